//! The scaled tree's shape at a million persons (without generating them) and what a desa
//! part holds.

use std::collections::HashSet;

use super::*;

fn cfg(persons: usize) -> DemoConfig {
    DemoConfig {
        persons,
        ..DemoConfig::default()
    }
}

#[test]
fn up_to_the_limit_there_is_one_part_the_whole_region() {
    let c = cfg(300);
    let mut parts = Parts::new(&c).unwrap();
    assert_eq!(parts.part_count(), 1);
    assert!(parts.plan().is_none());
    let part = parts.next().unwrap().unwrap();
    assert!(parts.next().is_none());
    assert_eq!(part.region, crate::generate(&c).unwrap());
    assert_eq!(part.keys, Keys::whole(&part.region, c.seed));
}

/// A million persons: all of Lumajang (21 kecamatan, 205 desa and kelurahan), one Puskesmas
/// per kecamatan, 400–1,000 posyandu of about 1,000–2,500 persons each; every code real.
#[test]
fn a_million_persons_cover_lumajang_with_realistic_posyandu() {
    let parts = Parts::new(&cfg(1_000_000)).unwrap();
    let plan = parts.plan().unwrap();
    let tree = parts.tree.as_ref().unwrap();
    let mut fixed = Region::default();
    let fixed_posts = org::build_tree(&mut fixed);
    // The whole region's units: the fixed tree and the added ones.
    let units: Vec<&Unit> = fixed
        .units
        .iter()
        .chain(&tree.units[tree.fixed_units..])
        .collect();
    let count = |l| units.iter().filter(|u| u.level == l).count();
    assert_eq!(count(UnitLevel::Provinsi), 1);
    assert_eq!(count(UnitLevel::Kabupaten), 1);
    assert_eq!(count(UnitLevel::Kecamatan), 21);
    assert_eq!(count(UnitLevel::Puskesmas), 21);
    assert_eq!(count(UnitLevel::Desa), 205);
    assert_eq!(count(UnitLevel::Poskestren), 1);
    let posyandu = count(UnitLevel::Posyandu);
    assert_eq!(posyandu, plan.posyandu());
    assert!((400..=1000).contains(&posyandu), "{posyandu} posyandu");
    assert_eq!(parts.part_count(), 2 + 199);
    // Persons: about the million asked, about 1,000–2,500 per posyandu everywhere.
    let total = plan.fixed_persons + plan.desa.iter().map(|d| d.persons).sum::<usize>();
    assert!(total.abs_diff(1_000_000) < 1000, "{total}");
    let fixed_per_post = plan.fixed_persons / (fixed_posts.len() - 1);
    assert!((1000..=2500).contains(&fixed_per_post), "{fixed_per_post}");
    for d in &plan.desa {
        let per = d.persons / d.posyandu.len();
        assert!((800..=2500).contains(&per), "{} {per}", d.place.name);
        assert!((2..=6).contains(&d.posyandu.len()));
        let names: HashSet<&str> = d.posyandu.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names.len(), d.posyandu.len(), "{}", d.place.name);
        assert!(d.posyandu.iter().all(|p| (1..=27).contains(&p.open_day)));
    }
    // Open days spread over the month.
    let days: HashSet<u8> = plan
        .desa
        .iter()
        .flat_map(|d| d.posyandu.iter().map(|p| p.open_day))
        .collect();
    assert_eq!(days.len(), 27);
    // Ids and paths: the fixed tree's ancestors keep theirs, no two units share one.
    assert_eq!(tree.ids.len(), tree.units.len());
    let ids: HashSet<OrgUnitId> = tree.ids.iter().copied().collect();
    assert_eq!(ids.len(), tree.ids.len());
    for i in 0..tree.fixed_units {
        assert!(
            (0..fixed.units.len())
                .any(|f| to_store::unit_id(crate::DemoConfig::default().seed, f) == tree.ids[i])
        );
    }
    // Every administrative code is Kemendagri's, with its name and level.
    if let Some(text) = region::wilayah_csv() {
        let rows: HashSet<&str> = text.lines().collect();
        for u in &units {
            let Some(code) = &u.wilayah_code else {
                continue;
            };
            let level = match u.level {
                UnitLevel::Provinsi => "provinsi",
                UnitLevel::Kabupaten => "kabupaten",
                UnitLevel::Kecamatan => "kecamatan",
                _ if code.rsplit('.').next().is_some_and(|s| s.starts_with('1')) => "kelurahan",
                _ => "desa",
            };
            let row = format!("{code},{},{level}", u.name);
            assert!(rows.contains(row.as_str()), "{row}");
        }
    }
    // One demo officer per added Puskesmas, logins unique next to the fixed tree's.
    let frame = parts.tree_part(tree);
    assert_eq!(frame.region.staff.len(), 19);
    assert!(
        frame
            .region
            .staff
            .iter()
            .any(|s| s.username == "puskesmas.candipuro")
    );
    org::staff(2026, &mut fixed);
    let logins: HashSet<&str> = fixed
        .staff
        .iter()
        .chain(&frame.region.staff)
        .map(|s| s.username.as_str())
        .collect();
    assert_eq!(logins.len(), fixed.staff.len() + 19);
    let rec = to_store::records_with(&frame.region, &frame.keys);
    assert_eq!(rec.org_units.len(), tree.units.len() - tree.fixed_units);
}

/// A desa part names its units (written by the tree part) and holds its own people, with
/// ids and NIKs of its own.
#[test]
fn desa_parts_hold_their_own_people() {
    let mut parts = Parts::new(&cfg(1_000_000)).unwrap();
    let a = parts.desa_part(0, 400).unwrap();
    let b = parts.desa_part(1, 400).unwrap();
    assert_eq!(a.label, "desa Bulurejo");
    assert_eq!(a.kecamatan, Some("Tempursari"));
    let mut niks = HashSet::new();
    let mut person_ids = HashSet::new();
    for part in [&a, &b] {
        let r = &part.region;
        assert_eq!(part.keys.written_before, r.units.len());
        assert!(
            (380..=440).contains(&r.persons.len()),
            "{}",
            r.persons.len()
        );
        assert!(
            r.persons
                .iter()
                .all(|p| r.units[p.unit].level == UnitLevel::Posyandu)
        );
        assert!(!r.service_days.is_empty() && !r.visits.is_empty());
        assert!(
            r.referrals
                .iter()
                .all(|x| x.to_facility == "Puskesmas Tempursari")
        );
        let rec = to_store::records_with(r, &part.keys);
        assert!(rec.org_units.is_empty() && rec.users.is_empty());
        for p in &rec.persons {
            assert!(person_ids.insert(p.id));
        }
        for p in &r.persons {
            if let Some(n) = &p.nik {
                assert!(niks.insert(n.clone()), "NIK {n} twice");
            }
        }
    }
}
