//! Helpers shared by the storage tests: the real binary, a small org tree, and writers.
#![allow(clippy::unwrap_used, dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use sha2::{Digest, Sha256};
use store::*;
use time::macros::date;

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_posyandu")
}

/// The binary run in `dir` with the default database (`posyandu.sqlite` there).
pub fn posyandu(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .args(args)
        .output()
        .unwrap()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// SHA-256 of a file's bytes, to show a database was not touched at all.
pub fn file_sum(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Names in `dir` that a restore or backup must not leave behind.
pub fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp") || n.contains("before-restore"))
        .collect()
}

/// A province and one posyandu under it, for the writer.
pub async fn seed(store: &Store) -> OrgUnit {
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let mut last: Option<OrgUnit> = None;
    for (level, code) in [
        (OrgLevel::Province, "31"),
        (OrgLevel::Regency, "3171"),
        (OrgLevel::District, "317101"),
        (OrgLevel::Puskesmas, "P01"),
        (OrgLevel::Village, "3171011001"),
        (OrgLevel::Posyandu, "PY01"),
    ] {
        let unit = NewOrgUnit {
            id: OrgUnitId::new(),
            parent_id: last.as_ref().map(|u| u.id),
            level,
            code: code.into(),
            name: format!("Unit {code}"),
            region_code: None,
            region_decree: None,
            time_zone: TimeZone::Wib,
        };
        last = Some(tx.create_org_unit(&unit).await.unwrap().record);
    }
    tx.commit().await.unwrap();
    last.unwrap()
}

/// One person with a weighing of `kg`, in `tx` (not committed).
pub async fn add_person(tx: &mut Tx, unit: &OrgUnit, name: &str, kg: f64) {
    let new = NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: unit.id,
        name: name.into(),
        sex: Sex::Female,
        birth_date: date!(2024 - 01 - 01),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    };
    let (p, _) = tx.create_person(&new).await.unwrap();
    let m = NewMeasurement {
        id: MeasurementId::new(),
        person_id: p.record.id,
        visit_id: None,
        org_unit_id: unit.id,
        measured_on: date!(2025 - 01 - 01),
        kind: MeasurementKind::Weight,
        value: kg,
        implausible: false,
        captured_at: time::OffsetDateTime::now_utc(),
    };
    tx.capture(&m.into()).await.unwrap();
}

/// Adds `n` persons, each with a weighing, one transaction each.
pub async fn write_persons(store: &Store, unit: &OrgUnit, n: usize) {
    let sys = Actor::system("writer");
    for i in 0..n {
        let mut tx = store.begin(&sys).await.unwrap();
        add_person(&mut tx, unit, &format!("Anak {i}"), 8.0).await;
        tx.commit().await.unwrap();
    }
}

/// A closed, migrated database at `path` with the tree and `n` persons.
pub async fn database(path: &Path, n: usize) -> FileCheck {
    let store = Store::open_sqlite_file(path).await.unwrap();
    store.migrate().await.unwrap();
    let unit = seed(&store).await;
    write_persons(&store, &unit, n).await;
    store.close().await;
    check_sqlite_file(path).await.unwrap()
}
