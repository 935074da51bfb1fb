//! The demo's store records hang together: NIKs agree with birth date, sex and the current
//! kecamatan list; every reference points at a record; ids are unique; dose series are in
//! order; pregnancies belong to women of child-bearing age.
#![allow(clippy::unwrap_used)]

use std::collections::{HashMap, HashSet};

use demo::to_store::{StoreRecords, records};
use demo::{DemoConfig, generate};
use store::model::{Capture, OrgLevel, Sex};
use time::Duration;

fn demo_records() -> StoreRecords {
    let cfg = DemoConfig {
        persons: 2500,
        ..DemoConfig::default()
    };
    records(&generate(&cfg).unwrap(), cfg.seed)
}

#[test]
fn niks_agree_with_birth_date_sex_and_region_list() {
    let r = demo_records();
    let mut seen = HashSet::new();
    let mut with_nik = 0;
    for p in &r.persons {
        let Some(nik) = &p.nik else { continue };
        let warnings = store::nik::check(nik, p.sex, p.birth_date, p.nik_is_mother);
        assert!(
            warnings.is_empty(),
            "{} ({}): {warnings:?}",
            p.name,
            p.birth_date
        );
        if !p.nik_is_mother {
            with_nik += 1;
            assert!(seen.insert(nik.as_str().to_owned()), "NIK repeated");
        }
    }
    assert!(with_nik > r.persons.len() * 9 / 10);
    assert!(
        r.persons.iter().any(|p| p.nik_is_mother),
        "no newborn on the mother's NIK"
    );
}

#[test]
fn every_reference_points_at_a_record_and_ids_are_unique() {
    let r = demo_records();
    let units: HashMap<_, _> = r.org_units.iter().map(|u| (u.id, u.level)).collect();
    let persons: HashSet<_> = r.persons.iter().map(|p| p.id).collect();
    let households: HashSet<_> = r.households.iter().map(|h| h.id).collect();
    for u in &r.org_units {
        assert!(u.parent_id.is_none_or(|p| units.contains_key(&p)));
    }
    for p in &r.persons {
        assert!(matches!(
            units[&p.org_unit_id],
            OrgLevel::Posyandu | OrgLevel::Poskestren
        ));
        assert!(p.household_id.is_none_or(|h| households.contains(&h)));
    }
    for rel in &r.relationships {
        assert!(persons.contains(&rel.person_id) && persons.contains(&rel.related_person_id));
    }
    let mut ids = HashSet::new();
    let mut visits = HashSet::new();
    let mut days = HashSet::new();
    for c in &r.captures {
        let (id, person) = match c {
            Capture::ServiceDay(x) => {
                days.insert(x.id);
                (x.id.0, None)
            }
            Capture::Visit(x) => {
                visits.insert(x.id);
                assert!(x.service_day_id.is_none_or(|d| days.contains(&d)));
                (x.id.0, Some(x.person_id))
            }
            Capture::Measurement(x) => {
                assert!(x.visit_id.is_none_or(|v| visits.contains(&v)));
                (x.id.0, Some(x.person_id))
            }
            Capture::Dose(x) => (x.id.0, Some(x.person_id)),
            Capture::Screening(x) => (x.id.0, Some(x.person_id)),
            Capture::Finding(x) => {
                assert!(x.visit_id.is_none_or(|v| visits.contains(&v)));
                (x.id.0, Some(x.person_id))
            }
        };
        assert!(ids.insert(id), "duplicate id {id}");
        assert!(person.is_none_or(|p| persons.contains(&p)));
    }
    for rf in &r.referrals {
        assert!(persons.contains(&rf.new.person_id));
    }
}

#[test]
fn dose_series_are_in_order_and_spaced() {
    let r = demo_records();
    let mut series: HashMap<(store::PersonId, String), Vec<(i32, time::Date)>> = HashMap::new();
    for c in &r.captures {
        if let Capture::Dose(d) = c
            && let Some(n) = d.dose_number
        {
            series
                .entry((d.person_id, d.vaccine.clone()))
                .or_default()
                .push((n, d.given_on));
        }
    }
    assert!(!series.is_empty());
    for ((_, vaccine), mut doses) in series {
        doses.sort();
        for w in doses.windows(2) {
            assert_eq!(w[1].0, w[0].0 + 1, "{vaccine}: dose numbers skip");
            assert!(
                w[1].1 - w[0].1 >= Duration::days(28),
                "{vaccine}: doses {w:?} too close"
            );
        }
    }
}

#[test]
fn pregnancies_belong_to_women_of_child_bearing_age() {
    let r = demo_records();
    let persons: HashMap<_, _> = r.persons.iter().map(|p| (p.id, p)).collect();
    assert!(r.pregnancies.len() > 100);
    for g in &r.pregnancies {
        let mother = persons[&g.new.person_id];
        assert_eq!(mother.sex, Sex::Female);
        let lmp = g.new.lmp.unwrap();
        let age = (lmp - mother.birth_date).whole_days() / 365;
        assert!((14..=45).contains(&age), "mother aged {age}");
        assert_eq!(g.new.due_date, Some(lmp + Duration::days(280)));
        if let Some((_, on)) = g.outcome {
            assert!(on > lmp);
        }
    }
}
