//! The generated region as the store's records, with stable ids.
//!
//! Ids are UUIDs (version 8, RFC 9562 "custom") made from SHA-256 of the seed, the record
//! kind and its index, so the same seed always yields the same ids and writing the demo twice
//! stores nothing new (the store's inserts are idempotent on the id). Capture times are the
//! service date at 09:00 WIB, so they too are reproducible.

use growth::{Age, ChildMeasurements, Measure, who2006};
use serde_json::{Map, Value, json};
use store::model::{
    Capture, MeasurementKind, NewDose, NewFinding, NewHousehold, NewMeasurement, NewOrgUnit,
    NewPerson, NewPregnancy, NewReferral, NewRelationship, NewScreening, NewServiceDay, NewUser,
    NewVisit, OrgLevel, PregnancyOutcome, ReferralStatus, RelationKind, Role, Sex as StoreSex,
    TimeZone,
};
use store::{
    DoseId, FindingId, HouseholdId, MeasurementId, Nik, OrgUnitId, PersonId, PregnancyId,
    ReferralId, RelationshipId, ScreeningId, ServiceDayId, UserId, VisitId,
};
use time::{Date, OffsetDateTime, Time};

use crate::day_notes;
use crate::model::{HouseholdRole, Instrument, Kind, Outcome, Region, Sex, StaffRole, UnitLevel};
use crate::region::WILAYAH_VERSION;

/// A deterministic id: the first 16 bytes of SHA-256(namespace, kind, key) as a v8 UUID
/// (one implementation with the import's, whose row ids must stay the demo's).
pub use exchange::register::keys::stable_id;

/// A pregnancy with what happened to it.
#[derive(Clone, Debug, PartialEq)]
pub struct PregnancyRecord {
    pub new: NewPregnancy,
    pub outcome: Option<(PregnancyOutcome, Date)>,
}

/// A referral and how many status steps it moved (dibuat → … → selesai).
#[derive(Clone, Debug, PartialEq)]
pub struct ReferralRecord {
    pub new: NewReferral,
    /// The statuses it passed through after `dibuat`, in order.
    pub steps: Vec<ReferralStatus>,
}

/// Everything to write, in dependency order.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreRecords {
    pub org_units: Vec<NewOrgUnit>,
    pub users: Vec<NewUser>,
    pub households: Vec<NewHousehold>,
    pub persons: Vec<NewPerson>,
    pub relationships: Vec<NewRelationship>,
    pub pregnancies: Vec<PregnancyRecord>,
    /// Service days, visits, measurements, doses, screenings and findings.
    pub captures: Vec<Capture>,
    /// Written after the captures (they point at findings).
    pub referrals: Vec<ReferralRecord>,
    /// The posyandu visits and weighings of a service day, each recorded by the post's
    /// kader (`Tx::record_as`): so the report counts kader on duty.
    pub recorded_by: Vec<(uuid::Uuid, UserId)>,
}

pub(crate) fn captured_at(d: Date) -> OffsetDateTime {
    // 09:00 WIB = 02:00 UTC: a typical posyandu morning.
    d.with_time(Time::from_hms(2, 0, 0).unwrap_or(Time::MIDNIGHT))
        .assume_utc()
}

fn level(l: UnitLevel) -> OrgLevel {
    match l {
        UnitLevel::Provinsi => OrgLevel::Province,
        UnitLevel::Kabupaten => OrgLevel::Regency,
        UnitLevel::Kecamatan => OrgLevel::District,
        UnitLevel::Puskesmas => OrgLevel::Puskesmas,
        UnitLevel::Desa => OrgLevel::Village,
        UnitLevel::Posyandu => OrgLevel::Posyandu,
        UnitLevel::Poskestren => OrgLevel::Poskestren,
    }
}

fn sex(s: Sex) -> StoreSex {
    match s {
        Sex::Male => StoreSex::Male,
        Sex::Female => StoreSex::Female,
    }
}

fn kind(k: Kind) -> MeasurementKind {
    match k {
        Kind::WeightKg => MeasurementKind::Weight,
        Kind::LengthCm => MeasurementKind::Length,
        Kind::HeightCm => MeasurementKind::Height,
        Kind::HeadCircCm => MeasurementKind::HeadCircumference,
        Kind::ArmCircCm => MeasurementKind::ArmCircumference,
        Kind::WaistCm => MeasurementKind::WaistCircumference,
        Kind::SystolicMmHg => MeasurementKind::SystolicBp,
        Kind::DiastolicMmHg => MeasurementKind::DiastolicBp,
        Kind::HemoglobinGdl => MeasurementKind::Hemoglobin,
        Kind::GlucoseRandomMgdl => MeasurementKind::BloodGlucose,
        Kind::CholesterolMgdl => MeasurementKind::Cholesterol,
        Kind::FundalHeightCm => MeasurementKind::FundalHeight,
    }
}

/// Splits a schedule code (`DPT_HB_HIB2`, `OPV1`, `HB0`) into the store's vaccine name and
/// dose number, by the domain's one vocabulary ([`domain::immunization::Vaccine::series`]).
pub fn vaccine(code: &str) -> (String, Option<i32>) {
    match domain::immunization::Vaccine::from_code(code) {
        Some(v) => {
            let (name, n) = v.series();
            (name.to_owned(), n)
        }
        None => (code.to_owned(), None),
    }
}

/// WHO flags for a balita's weight and length (biologically implausible z-scores).
pub fn balita_flags(person_sex: Sex, birth: Date, on: Date, ms: &[(Kind, f64)]) -> (bool, bool) {
    let days = (on - birth).whole_days();
    if !(0..=1826).contains(&days) {
        return (false, false);
    }
    let get = |k: Kind| ms.iter().find(|(x, _)| *x == k).map(|m| m.1);
    let (len, lying) = match (get(Kind::LengthCm), get(Kind::HeightCm)) {
        (Some(l), _) => (Some(l), true),
        (None, h) => (h, false),
    };
    let z = who2006(&ChildMeasurements {
        sex: Some(match person_sex {
            Sex::Male => growth::Sex::Male,
            Sex::Female => growth::Sex::Female,
        }),
        age: Some(Age::Days(days as f64)),
        weight_kg: get(Kind::WeightKg),
        lenhei_cm: len,
        measure: Some(if lying {
            Measure::Lying
        } else {
            Measure::Standing
        }),
        ..ChildMeasurements::default()
    });
    let flag = |z: Option<growth::Zscore>| z.is_some_and(|z| z.implausible);
    (flag(z.zwei) || flag(z.zwfl), flag(z.zlen))
}

fn screening_answers(
    instrument: Instrument,
    items: &[bool],
    score: u8,
    pack_years: Option<f64>,
) -> (&'static str, Map<String, Value>) {
    let mut m = Map::new();
    if let Some(p) = pack_years {
        m.insert("pack_years".to_owned(), json!(p));
    }
    let names: &[&str] = match instrument {
        Instrument::Srq20 => &[],
        Instrument::Puma => &["sesak", "dahak", "batuk", "spirometri"],
        Instrument::Skilas => &[
            "kognitif",
            "mobilisasi",
            "malnutrisi",
            "penglihatan",
            "pendengaran",
            "depresi",
        ],
        Instrument::AdlBarthel => &[],
    };
    match instrument {
        Instrument::Srq20 => {
            for (i, b) in items.iter().enumerate() {
                m.insert(format!("q{}", i + 1), Value::Bool(*b));
            }
        }
        Instrument::AdlBarthel => {
            m.insert("skor".to_owned(), json!(score));
        }
        _ => {
            for (n, b) in names.iter().zip(items) {
                m.insert((*n).to_owned(), Value::Bool(*b));
            }
        }
    }
    let code = match instrument {
        Instrument::Srq20 => "SRQ20",
        Instrument::Puma => "PUMA",
        Instrument::AdlBarthel => "ADL",
        Instrument::Skilas => "SKILAS",
    };
    (code, m)
}

/// KSPR score (Poedji Rochjati, rules.md §6): 2 + 4 per factor, 8 for the heavy ones.
fn kspr_score(factors: &[&str]) -> u32 {
    const EIGHT: [&str; 5] = [
        "prior_caesarean",
        "breech",
        "transverse_lie",
        "antepartum_haemorrhage",
        "severe_preeclampsia",
    ];
    2 + factors
        .iter()
        .map(|f| if EIGHT.contains(f) { 8 } else { 4 })
        .sum::<u32>()
}

/// Where a region's ids come from: the namespace of its records' ids and the id of each of
/// its units. A part of a scaled region ([`crate::parts`]) names units another part writes
/// (its ancestors, or the whole tree), so those ids are given, and are not written again.
#[derive(Clone, Debug, PartialEq)]
pub struct Keys {
    /// Namespace of every id derived from an index (persons, visits, …).
    pub namespace: String,
    /// The id of `region.units[i]`.
    pub unit_ids: Vec<OrgUnitId>,
    /// The first this many units are written by an earlier part.
    pub written_before: usize,
}

/// The namespace of the fixed tree's ids: every record's id is (namespace, kind, index).
pub fn namespace(seed: u64) -> String {
    format!("posyandu-demo/{seed}")
}

/// The id of the fixed tree's `i`-th unit.
pub fn unit_id(seed: u64, i: usize) -> OrgUnitId {
    OrgUnitId(stable_id(
        &namespace(seed),
        "org_unit",
        &(i as u64).to_le_bytes(),
    ))
}

impl Keys {
    /// The keys of a whole region generated at once ([`crate::generate`]).
    pub fn whole(region: &Region, seed: u64) -> Keys {
        Keys {
            namespace: namespace(seed),
            unit_ids: (0..region.units.len()).map(|i| unit_id(seed, i)).collect(),
            written_before: 0,
        }
    }
}

/// Maps the region onto the store's records. `seed` namespaces the ids.
pub fn records(region: &Region, seed: u64) -> StoreRecords {
    records_with(region, &Keys::whole(region, seed))
}

/// Maps the region onto the store's records with ids from `keys`.
pub fn records_with(region: &Region, keys: &Keys) -> StoreRecords {
    let ns = keys.namespace.as_str();
    let id = |kind: &str, i: usize| stable_id(ns, kind, &(i as u64).to_le_bytes());
    let unit_id = |i: usize| keys.unit_ids[i];
    let person_id = |i: usize| PersonId(id("person", i));
    let org_units = region
        .units
        .iter()
        .enumerate()
        .skip(keys.written_before)
        .map(|(i, u)| NewOrgUnit {
            id: unit_id(i),
            parent_id: u.parent.map(unit_id),
            level: level(u.level),
            code: u.code.clone(),
            name: u.name.clone(),
            region_code: u.wilayah_code.clone(),
            region_decree: u.wilayah_code.as_ref().map(|_| WILAYAH_VERSION.to_owned()),
            time_zone: TimeZone::Wib,
        })
        .collect();
    let users = region
        .staff
        .iter()
        .enumerate()
        .map(|(i, s)| NewUser {
            id: UserId(id("user", i)),
            username: s.username.clone(),
            display_name: s.display_name.clone(),
            role: match s.role {
                StaffRole::Kader => Role::Kader,
                StaffRole::Bidan => Role::Bidan,
                StaffRole::PuskesmasOfficer => Role::PuskesmasOfficer,
                StaffRole::DinkesAdmin => Role::DinkesAdmin,
            },
            org_unit_id: unit_id(s.unit),
        })
        .collect();
    let mut heads: Vec<Option<&str>> = vec![None; region.households.len()];
    for p in &region.persons {
        if p.role == HouseholdRole::Head && heads[p.household].is_none() {
            heads[p.household] = Some(&p.name);
        }
    }
    let households = region
        .households
        .iter()
        .enumerate()
        .map(|(i, h)| NewHousehold {
            id: HouseholdId(id("household", i)),
            org_unit_id: unit_id(h.unit),
            kk_number: h.kk_number.clone(),
            head_name: heads[i]
                .map(str::to_owned)
                .unwrap_or_else(|| h.address.clone()),
            address: Some(h.address.clone()),
            rt: Some(format!("{:03}", h.rt)),
            rw: Some(format!("{:03}", h.rw)),
        })
        .collect();
    let mut persons = Vec::with_capacity(region.persons.len());
    let mut relationships = Vec::new();
    for (i, p) in region.persons.iter().enumerate() {
        // A newborn without NIK is registered with the mother's NIK (nik_is_mother).
        let mother_nik = p.mother.and_then(|m| region.persons[m].nik.clone());
        let (nik, nik_is_mother) = match (&p.nik, mother_nik) {
            (Some(n), _) => (Nik::parse(n).ok(), false),
            (None, Some(m)) => (Nik::parse(&m).ok(), true),
            (None, None) => (None, false),
        };
        persons.push(NewPerson {
            id: person_id(i),
            household_id: Some(HouseholdId(id("household", p.household))),
            org_unit_id: unit_id(p.unit),
            name: p.name.clone(),
            sex: sex(p.sex),
            birth_date: p.birth_date,
            birth_date_estimated: false,
            nik,
            nik_is_mother,
            phone: None,
        });
        for (parent, kind_) in [
            (p.mother, RelationKind::MotherOf),
            (p.father, RelationKind::FatherOf),
        ] {
            if let Some(par) = parent {
                relationships.push(NewRelationship {
                    id: RelationshipId(id("relationship", relationships.len())),
                    person_id: person_id(par),
                    kind: kind_,
                    related_person_id: person_id(i),
                });
            }
        }
    }
    let mut captures: Vec<Capture> = Vec::new();
    let mut recorded_by = Vec::new();
    let pregnancies = region
        .pregnancies
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let abortus = i32::from(g.gravida)
                .saturating_sub(1 + i32::from(g.parity))
                .max(0);
            PregnancyRecord {
                new: NewPregnancy {
                    id: PregnancyId(id("pregnancy", i)),
                    person_id: person_id(g.mother),
                    lmp: Some(g.lmp),
                    due_date: Some(g.due),
                    gravida: Some(i32::from(g.gravida)),
                    para: Some(i32::from(g.parity)),
                    abortus: Some(abortus),
                    high_risk: kspr_score(&g.kspr_factors) >= 6,
                },
                outcome: g.outcome.map(|(o, d)| {
                    (
                        match o {
                            Outcome::LiveBirth => PregnancyOutcome::LiveBirth,
                            Outcome::Abortion => PregnancyOutcome::Abortion,
                        },
                        d,
                    )
                }),
            }
        })
        .collect();
    // Each post's kader with a demo account: she opens its days and records its visits.
    let mut kader_staff: Vec<Option<usize>> = vec![None; region.units.len()];
    for (i, s) in region.staff.iter().enumerate() {
        if s.role == StaffRole::Kader {
            kader_staff[s.unit] = Some(i);
        }
    }
    let kader_of: Vec<Option<UserId>> = kader_staff
        .iter()
        .map(|s| s.map(|i| UserId(id("user", i))))
        .collect();
    let service_unit: Vec<usize> = region.service_days.iter().map(|s| s.unit).collect();
    for (i, sd) in region.service_days.iter().enumerate() {
        let day_id = ServiceDayId(id("service_day", i));
        let account = kader_staff[sd.unit].map(|s| region.staff[s].display_name.as_str());
        if let Some(k) = kader_of[sd.unit] {
            recorded_by.push((day_id.0, k));
        }
        captures.push(Capture::ServiceDay(NewServiceDay {
            id: day_id,
            org_unit_id: unit_id(sd.unit),
            date: sd.date,
            note: Some(day_notes::duty_note(
                &id("kader_roster", sd.unit),
                &id("kader_duty", i),
                account,
            )),
            captured_at: captured_at(sd.date),
        }));
    }
    // Doses and questionnaires given at a visit point to it.
    let visit_of: std::collections::HashMap<(usize, Date), usize> = region
        .visits
        .iter()
        .enumerate()
        .map(|(i, v)| ((v.person, v.date), i))
        .collect();
    let visit_at = |person: usize, on: Date| {
        visit_of
            .get(&(person, on))
            .map(|&i| VisitId(id("visit", i)))
    };
    let mut measurement_no = 0usize;
    for (i, v) in region.visits.iter().enumerate() {
        let p = &region.persons[v.person];
        // Posyandu visits happen at the person's post; ANC contacts at the Puskesmas are
        // recorded under the person's post too (the bidan's desa register).
        let unit = v.service_day.map_or(p.unit, |s| service_unit[s]);
        let visit_id = VisitId(id("visit", i));
        let kader = v.service_day.and_then(|_| kader_of[unit]);
        if let Some(k) = kader {
            recorded_by.push((visit_id.0, k));
        }
        captures.push(Capture::Visit(NewVisit {
            id: visit_id,
            person_id: person_id(v.person),
            service_day_id: v.service_day.map(|s| ServiceDayId(id("service_day", s))),
            org_unit_id: unit_id(unit),
            date: v.date,
            captured_at: captured_at(v.date),
        }));
        let (weight_flag, length_flag) = balita_flags(p.sex, p.birth_date, v.date, &v.measurements);
        for &(k, value) in &v.measurements {
            let implausible = match k {
                Kind::WeightKg => weight_flag,
                Kind::LengthCm | Kind::HeightCm => length_flag,
                _ => false,
            };
            let measurement = MeasurementId(id("measurement", measurement_no));
            if let Some(k) = kader {
                recorded_by.push((measurement.0, k));
            }
            captures.push(Capture::Measurement(NewMeasurement {
                id: measurement,
                person_id: person_id(v.person),
                visit_id: Some(visit_id),
                org_unit_id: unit_id(unit),
                measured_on: v.date,
                kind: kind(k),
                value,
                implausible,
                captured_at: captured_at(v.date),
            }));
            measurement_no += 1;
        }
    }
    for (i, d) in region.doses.iter().enumerate() {
        let p = &region.persons[d.person];
        let (name, number) = vaccine(d.antigen);
        captures.push(Capture::Dose(NewDose {
            id: DoseId(id("dose", i)),
            person_id: person_id(d.person),
            visit_id: visit_at(d.person, d.date),
            org_unit_id: unit_id(d.service_day.map_or(p.unit, |s| service_unit[s])),
            given_on: d.date,
            vaccine: name,
            dose_number: number,
            batch: None,
            captured_at: captured_at(d.date),
        }));
    }
    for (i, s) in region.screenings.iter().enumerate() {
        let p = &region.persons[s.person];
        let (code, answers) = screening_answers(s.instrument, &s.items, s.score, s.pack_years);
        captures.push(Capture::Screening(NewScreening {
            id: ScreeningId(id("screening", i)),
            person_id: person_id(s.person),
            visit_id: visit_at(s.person, s.date),
            org_unit_id: unit_id(s.service_day.map_or(p.unit, |x| service_unit[x])),
            answered_on: s.date,
            questionnaire: code.to_owned(),
            answers,
            score: Some(f64::from(s.score)),
            captured_at: captured_at(s.date),
        }));
    }
    // KSPR of each pregnancy as a scored questionnaire (the factors behind "risiko tinggi"),
    // answered at the first ANC contact; a pregnancy with no contact yet has none.
    let mut first_contact: Vec<Option<Date>> = vec![None; region.pregnancies.len()];
    for v in &region.visits {
        if let Some(g) = v.pregnancy {
            let slot = &mut first_contact[g];
            *slot = Some(slot.map_or(v.date, |d| d.min(v.date)));
        }
    }
    for (i, g) in region.pregnancies.iter().enumerate() {
        let Some(on) = first_contact[i] else { continue };
        let p = &region.persons[g.mother];
        let mut answers = Map::new();
        for f in &g.kspr_factors {
            answers.insert((*f).to_owned(), Value::Bool(true));
        }
        captures.push(Capture::Screening(NewScreening {
            id: ScreeningId(id("kspr", i)),
            person_id: person_id(g.mother),
            visit_id: visit_at(g.mother, on),
            org_unit_id: unit_id(p.unit),
            answered_on: on,
            questionnaire: "KSPR".to_owned(),
            answers,
            score: Some(f64::from(kspr_score(&g.kspr_factors))),
            captured_at: captured_at(on),
        }));
    }
    for (i, f) in region.findings.iter().enumerate() {
        let unit = region.visits[f.visit]
            .service_day
            .map_or(region.persons[f.person].unit, |s| service_unit[s]);
        captures.push(Capture::Finding(NewFinding {
            id: FindingId(id("finding", i)),
            person_id: person_id(f.person),
            visit_id: Some(VisitId(id("visit", f.visit))),
            org_unit_id: unit_id(unit),
            found_on: f.date,
            code: f.code.to_owned(),
            detail: Some(f.label.to_owned()),
            captured_at: captured_at(f.date),
        }));
    }
    day_notes::kia_books(
        region,
        &id,
        &person_id,
        &unit_id,
        &service_unit,
        &mut captures,
    );
    let referrals = region
        .referrals
        .iter()
        .enumerate()
        .map(|(i, r)| ReferralRecord {
            new: NewReferral {
                id: ReferralId(id("referral", i)),
                person_id: person_id(r.person),
                finding_id: Some(FindingId(id("finding", r.finding))),
                org_unit_id: unit_id(r.unit),
                referred_on: r.date,
                to_facility: r.to_facility.clone(),
                reason: r.reason.clone(),
            },
            steps: [
                ReferralStatus::Accepted,
                ReferralStatus::FollowedUp,
                ReferralStatus::Completed,
            ]
            .into_iter()
            .take(usize::from(r.steps))
            .collect(),
        })
        .collect();
    StoreRecords {
        org_units,
        referrals,
        users,
        households,
        persons,
        relationships,
        pregnancies,
        captures,
        recorded_by,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_are_stable_and_distinct() {
        let a = stable_id("ns", "person", b"1");
        assert_eq!(a, stable_id("ns", "person", b"1"));
        assert_ne!(a, stable_id("ns", "person", b"2"));
        assert_ne!(a, stable_id("ns", "household", b"1"));
        assert_eq!(a.get_version_num(), 8);
    }

    #[test]
    fn vaccine_codes_split_into_series_and_dose() {
        assert_eq!(vaccine("DPT_HB_HIB3"), ("DPT-HB-Hib".to_owned(), Some(3)));
        assert_eq!(vaccine("OPV1"), ("OPV".to_owned(), Some(1)));
        assert_eq!(vaccine("HB0"), ("HB0".to_owned(), None));
        assert_eq!(vaccine("BCG"), ("BCG".to_owned(), None));
        assert_eq!(vaccine("MR2"), ("MR".to_owned(), Some(2)));
    }

    #[test]
    fn kspr_score_counts_heavy_factors_double() {
        assert_eq!(kspr_score(&[]), 2);
        assert_eq!(kspr_score(&["anemia"]), 6);
        assert_eq!(kspr_score(&["prior_caesarean", "age_35_plus"]), 14);
    }

    #[test]
    fn a_tenfold_weight_is_flagged_implausible() {
        let birth = time::macros::date!(2024 - 01 - 01);
        let on = time::macros::date!(2025 - 01 - 01);
        let ok = [(Kind::WeightKg, 9.6), (Kind::LengthCm, 75.5)];
        assert_eq!(balita_flags(Sex::Male, birth, on, &ok), (false, false));
        let typo = [(Kind::WeightKg, 96.0), (Kind::LengthCm, 75.5)];
        assert!(balita_flags(Sex::Male, birth, on, &typo).0);
    }
}
