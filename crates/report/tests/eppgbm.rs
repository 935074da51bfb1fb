//! The e-PPGBM export of a month on a real SQLite record: one row per balita and day
//! weighed, in the export's columns, with the region names above the posyandu, the
//! calendar age, our WHO z-scores and their Permenkes words, N/T/O/B and vitamin A.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/harness.rs"]
mod harness;

use report::eppgbm::{COLUMNS, export};
use store::codes::MeasurementKind;
use store::{Actor, Capture, NewMeasurement, Sex};
use time::macros::date;
use time::{Date, OffsetDateTime};

fn reading(p: &store::Person, on: Date, kind: MeasurementKind, value: f64) -> Capture {
    Capture::Measurement(NewMeasurement {
        id: store::MeasurementId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: p.org_unit_id,
        measured_on: on,
        kind,
        value,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_weighings_in_the_e_ppgbm_layout() {
    let db = harness::sqlite().await;
    let store = &db.store;
    let r = fixture::region(store).await;
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let home = store::NewHousehold {
        id: store::HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: None,
        head_name: "Pak Slamet".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("002".into()),
        rw: Some("004".into()),
    };
    tx.create_household(&home).await.unwrap();
    tx.commit().await.unwrap();
    let nik = "3508014101250001";
    let child = fixture::add_person(
        store,
        &sys,
        &store::NewPerson {
            household_id: Some(home.id),
            nik: Some(store::Nik::parse(nik).unwrap()),
            ..fixture::person(&r.posyandu_a, "Sari", Sex::Female, date!(2025 - 03 - 14))
        },
    )
    .await;
    let on = date!(2026 - 07 - 01);
    let mut tx = store.begin(&sys).await.unwrap();
    tx.set_parent_name(child.id, child.meta.version, "Wati")
        .await
        .unwrap();
    for c in [
        reading(&child, on, MeasurementKind::Weight, 7.1),
        reading(&child, on, MeasurementKind::Length, 71.0),
        reading(&child, on, MeasurementKind::ArmCircumference, 12.9),
        // Last month's weighing is not in July's export.
        reading(&child, date!(2026 - 06 - 02), MeasurementKind::Weight, 7.0),
        Capture::Finding(store::NewFinding {
            id: store::FindingId::new(),
            person_id: child.id,
            visit_id: None,
            org_unit_id: r.posyandu_a.id,
            found_on: on,
            code: "kms_t".into(),
            detail: None,
            captured_at: OffsetDateTime::now_utc(),
        }),
        Capture::Screening(store::NewScreening {
            id: store::ScreeningId::new(),
            person_id: child.id,
            visit_id: None,
            org_unit_id: r.posyandu_a.id,
            answered_on: on,
            questionnaire: "LAYANAN".into(),
            answers: serde_json_map(),
            score: None,
            captured_at: OffsetDateTime::now_utc(),
        }),
    ] {
        tx.capture(&c).await.unwrap();
    }
    tx.commit().await.unwrap();

    // As the Puskesmas sees it: the province, kabupaten and kecamatan come from above.
    let t = export(store, &sys, r.puskesmas.id, date!(2026 - 07 - 01))
        .await
        .unwrap();
    assert_eq!(t.headers, COLUMNS.map(String::from));
    assert_eq!(t.rows.len(), 1, "one balita, one day");
    let col = |name: &str| {
        let i = COLUMNS.iter().position(|c| *c == name).unwrap();
        t.rows[0].cells[i].shown('.')
    };
    let want = [
        ("NIK", nik),
        ("Nama", "Sari"),
        ("JK", "P"),
        ("Tgl Lahir", "2025-03-14"),
        ("Nama Ortu", "Wati"),
        ("Prov", "Jawa Timur"),
        ("Kab/Kota", "Kabupaten Lumajang"),
        ("Kec", "Tempursari"),
        ("Pukesmas", "Puskesmas Tempursari"),
        ("Posyandu", "Posyandu Melati"),
        ("RT", "002"),
        ("RW", "004"),
        ("Alamat", "Dusun Krajan"),
        ("Usia Saat Ukur", "1 Tahun - 3 Bulan - 17 Hari"),
        ("Tanggal Pengukuran", "2026-07-01"),
        ("Bulan Pengukuran", "07-2026"),
        ("Berat", "7.1"),
        ("Tinggi", "71"),
        ("Cara Ukur", "Telentang"),
        ("LiLA", "12.9"),
        ("Naik Berat Badan", "T"),
        ("Jml Vit A", "1"),
        ("KIA", "Ya"),
        ("BB Lahir", ""),
        ("KPSP", ""),
    ];
    for (name, value) in want {
        assert_eq!(col(name), value, "{name}");
    }
    // Our engine's z-scores, and the words the same rules give them (a girl of 15 months,
    // 7.1 kg and 71 cm: underweight and stunted, BB/TB within normal).
    let zw: f64 = col("ZS BB/U").parse().unwrap();
    let zl: f64 = col("ZS TB/U").parse().unwrap();
    assert!((-3.0..-2.0).contains(&zw), "{zw}");
    assert!((-3.0..-2.0).contains(&zl), "{zl}");
    assert_eq!(col("BB/U"), "Berat Badan Kurang");
    assert_eq!(col("TB/U"), "Pendek");
    assert_eq!(col("BB/TB"), "Gizi Baik");
    assert!(!col("Desa/Kel").is_empty());
    let xlsx = t.xlsx(report::eppgbm::SHEET).unwrap();
    assert_eq!(&xlsx[..2], b"PK");
}

fn serde_json_map() -> serde_json::Map<String, serde_json::Value> {
    let mut m = serde_json::Map::new();
    m.insert("vitamin_a".into(), serde_json::json!("biru"));
    m.insert("buku_kia".into(), serde_json::json!(true));
    m
}
