//! A small region used by the stories: one province … two desa, each with a posyandu.
//!
//! ```text
//! /35/ Jawa Timur
//!   /35/3508/ Kabupaten Lumajang
//!     /35/3508/350801/ Tempursari
//!       /35/3508/350801/P3508010201/ Puskesmas Tempursari
//!         …/3508012001/ Tegalrejo        …/3508012001/PY01/ Posyandu Melati
//!         …/3508012002/ Bulurejo         …/3508012002/PY02/ Posyandu Mawar
//! ```

use store::*;
use time::{Date, OffsetDateTime};

pub struct Region {
    pub province: OrgUnit,
    pub kabupaten: OrgUnit,
    pub puskesmas: OrgUnit,
    pub desa_a: OrgUnit,
    pub posyandu_a: OrgUnit,
    pub posyandu_b: OrgUnit,
}

pub fn unit(
    parent: Option<&OrgUnit>,
    level: OrgLevel,
    code: &str,
    name: &str,
    region: Option<&str>,
) -> NewOrgUnit {
    NewOrgUnit {
        id: OrgUnitId::new(),
        parent_id: parent.map(|p| p.id),
        level,
        code: code.into(),
        name: name.into(),
        region_code: region.map(Into::into),
        region_decree: region.map(|_| store::nik::REGION_DECREE.to_owned()),
        time_zone: TimeZone::Wib,
    }
}

pub async fn region(store: &Store) -> Region {
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.expect("begin");
    let mut add = async |parent: Option<&OrgUnit>, level, code: &str, name: &str, reg| {
        tx.create_org_unit(&unit(parent, level, code, name, reg))
            .await
            .expect("create org unit")
            .record
    };
    let province = add(None, OrgLevel::Province, "35", "Jawa Timur", Some("35")).await;
    let kabupaten = add(
        Some(&province),
        OrgLevel::Regency,
        "3508",
        "Kabupaten Lumajang",
        Some("35.08"),
    )
    .await;
    let kecamatan = add(
        Some(&kabupaten),
        OrgLevel::District,
        "350801",
        "Tempursari",
        Some("35.08.01"),
    )
    .await;
    let puskesmas = add(
        Some(&kecamatan),
        OrgLevel::Puskesmas,
        "P3508010201",
        "Puskesmas Tempursari",
        None,
    )
    .await;
    let desa_a = add(
        Some(&puskesmas),
        OrgLevel::Village,
        "3508012001",
        "Tegalrejo",
        Some("35.08.01.2001"),
    )
    .await;
    let desa_b = add(
        Some(&puskesmas),
        OrgLevel::Village,
        "3508012002",
        "Bulurejo",
        Some("35.08.01.2002"),
    )
    .await;
    let posyandu_a = add(
        Some(&desa_a),
        OrgLevel::Posyandu,
        "PY01",
        "Posyandu Melati",
        None,
    )
    .await;
    let posyandu_b = add(
        Some(&desa_b),
        OrgLevel::Posyandu,
        "PY02",
        "Posyandu Mawar",
        None,
    )
    .await;
    tx.commit().await.expect("commit region");
    Region {
        province,
        kabupaten,
        puskesmas,
        desa_a,
        posyandu_a,
        posyandu_b,
    }
}

pub fn person(at: &OrgUnit, name: &str, sex: Sex, birth: Date) -> NewPerson {
    NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: at.id,
        name: name.into(),
        sex,
        birth_date: birth,
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    }
}

pub async fn add_person(store: &Store, actor: &Actor, new: &NewPerson) -> Person {
    let mut tx = store.begin(actor).await.expect("begin");
    let (stored, _) = tx.create_person(new).await.expect("create person");
    tx.commit().await.expect("commit");
    stored.record
}

pub fn weight(p: &Person, at: &OrgUnit, on: Date, kg: f64) -> NewMeasurement {
    NewMeasurement {
        id: MeasurementId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: at.id,
        measured_on: on,
        kind: MeasurementKind::Weight,
        value: kg,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    }
}

pub fn visit(p: &Person, at: &OrgUnit, on: Date) -> NewVisit {
    NewVisit {
        id: VisitId::new(),
        person_id: p.id,
        service_day_id: None,
        org_unit_id: at.id,
        date: on,
        captured_at: OffsetDateTime::now_utc(),
    }
}

/// A kader bound to `unit`.
pub async fn kader(store: &Store, unit: &OrgUnit, username: &str) -> Actor {
    let mut tx = store.begin(&Actor::system("test")).await.expect("begin");
    let user = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: username.into(),
            display_name: format!("Kader {username}"),
            role: Role::Kader,
            org_unit_id: unit.id,
        })
        .await
        .expect("create user")
        .record;
    tx.commit().await.expect("commit");
    Actor::for_user(&user)
}
