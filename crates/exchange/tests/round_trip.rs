//! A file our own e-PPGBM export wrote imports back: on SQLite and on PostgreSQL, a
//! register is imported, the month is exported (`report::eppgbm`, CSV and XLSX) and the
//! export is checked against the same store — every row already stored, none new, none bad
//! — including a child registered on a service day without NIK and a child recorded with
//! the mother's NIK. Into an empty region the same export stores every row once.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use exchange::register::{self, Layout};
use exchange::{Lang, Options};
use store::model::{Capture, MeasurementKind, NewMeasurement, NewVisit};
use store::{Actor, MeasurementId, Nik, OrgUnit, Sex, Store, VisitId};
use time::macros::date;

const TODAY: time::Date = date!(2026 - 11 - 01);

const REGISTER: &str = "NIK;Nama Anak;JK;Tgl Lahir;Nama Ibu;Kode Desa;Posyandu;Tgl Ukur;BB;TB;Cara Ukur\n\
    3508014503240001;Siti Aminah;P;05/03/2024;Hosnah;35.08.01.2001;Melati;05/01/2025;8,1;70,2;telentang\n\
    ;Rafa Alfarizi;L;01/06/2023;Sri Wahyuni;35.08.01.2002;Mawar;06/01/2025;11,2;82;berdiri\n\
    ;Nayla Putri;P;10/02/2024;Sumiati;35.08.01.2001;Melati;05/01/2025;7,9;68;\n";

fn opts(check_only: bool) -> Options {
    Options {
        check_only,
        lang: Lang::Id,
        reveal_outside: true,
    }
}

/// A weighing captured the way a service day stores one (random ids, no import keys).
async fn weigh(store: &Store, person: &store::Person, on: time::Date, kg: f64) {
    let sys = Actor::system("test");
    let at = on.with_hms(3, 0, 0).unwrap().assume_utc();
    let visit = VisitId::new();
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture_batch(&[
        Capture::Visit(NewVisit {
            id: visit,
            person_id: person.id,
            service_day_id: None,
            org_unit_id: person.org_unit_id,
            date: on,
            captured_at: at,
        }),
        Capture::Measurement(NewMeasurement {
            id: MeasurementId::new(),
            person_id: person.id,
            visit_id: Some(visit),
            org_unit_id: person.org_unit_id,
            measured_on: on,
            kind: MeasurementKind::Weight,
            value: kg,
            implausible: false,
            captured_at: at,
        }),
    ])
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

async fn story(store: &Store) {
    store.migrate().await.unwrap();
    let r = fixture::region(store).await;
    let sys = Actor::system("test");
    let actor = Actor::system("import").narrowed(&r.puskesmas.path);
    let puskesmas: &OrgUnit = &r.puskesmas;

    // A register imported: three new rows.
    let parsed = register::parse(REGISTER, TODAY).unwrap();
    let first = exchange::import::run(store, &actor, puskesmas, &parsed, opts(false))
        .await
        .unwrap();
    assert!(first.errors.is_empty(), "{:?}", first.errors);
    assert_eq!((first.tally.rows_new, first.tally.rows_existing), (3, 0));

    // Two children registered on a service day: one without NIK, one with the mother's.
    let mut dimas = fixture::person(
        &r.posyandu_a,
        "Dimas Prasetyo",
        Sex::Male,
        date!(2024 - 05 - 20),
    );
    dimas.birth_date_estimated = false;
    let dimas = fixture::add_person(store, &sys, &dimas).await;
    let mut bayi = fixture::person(
        &r.posyandu_b,
        "Bayi Ny. Wulan",
        Sex::Female,
        date!(2024 - 09 - 01),
    );
    bayi.nik = Some(Nik::parse("3508016001950002").unwrap());
    bayi.nik_is_mother = true;
    let bayi = fixture::add_person(store, &sys, &bayi).await;
    let mut ibu = fixture::person(
        &r.posyandu_b,
        "Wulan Sari",
        Sex::Female,
        date!(1995 - 01 - 20),
    );
    ibu.nik = Some(Nik::parse("3508016001950002").unwrap());
    fixture::add_person(store, &sys, &ibu).await;
    weigh(store, &dimas, date!(2025 - 01 - 07), 9.4).await;
    weigh(store, &bayi, date!(2025 - 01 - 07), 6.9).await;

    // Our export of January 2025, in both formats, imports back as "already stored".
    let table = report::eppgbm::export(store, &actor, puskesmas.id, date!(2025 - 01 - 01))
        .await
        .unwrap();
    assert_eq!(table.rows.len(), 5);
    for bytes in [
        table.csv().unwrap(),
        table.xlsx(report::eppgbm::SHEET).unwrap(),
    ] {
        let parsed = register::parse_bytes(&bytes, TODAY, Lang::Id).unwrap();
        assert_eq!(parsed.layout, Layout::Eppgbm);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.rows.len(), 5);
        let back = exchange::import::run(store, &actor, puskesmas, &parsed, opts(true))
            .await
            .unwrap();
        assert!(back.errors.is_empty(), "{:?}", back.errors);
        assert_eq!((back.tally.rows_new, back.tally.rows_existing), (0, 5));
        // The child recorded with the mother's NIK: the NIK's sex and birth date are the
        // mother's, which is no news; the note the file alone gives is left out.
        assert!(
            parsed.notes.iter().any(|n| n.field == "nik"),
            "{:?}",
            parsed.notes
        );
        assert_eq!(back.mothers_nik.len(), 1);
        assert!(back.notes(&parsed).is_empty(), "{:?}", back.notes(&parsed));
        // Storing it changes nothing either.
        let stored = exchange::import::run(store, &actor, puskesmas, &parsed, opts(false))
            .await
            .unwrap();
        assert!(stored.errors.is_empty(), "{:?}", stored.errors);
        assert_eq!(stored.tally.persons_new + stored.tally.weighings_new, 0);
    }
    assert_eq!(
        store.persons_under(&sys, puskesmas.id).await.unwrap().len(),
        6
    );

    // A row for a posyandu outside the unit is a bad row, named.
    let narrow = Actor::system("import").narrowed(&r.desa_a.path);
    let parsed = register::parse_bytes(&table.csv().unwrap(), TODAY, Lang::Id).unwrap();
    let out = exchange::import::run(store, &narrow, &r.desa_a, &parsed, opts(true))
        .await
        .unwrap();
    let bad: Vec<(&str, &str)> = out
        .errors
        .iter()
        .map(|e| (e.field, e.value.as_str()))
        .collect();
    assert_eq!(bad, [("desa_kel", "Bulurejo"), ("desa_kel", "Bulurejo")]);
    assert_eq!(out.tally.rows_existing, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_eppgbm_export_imports_back_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("r.sqlite"))
        .await
        .unwrap();
    story(&store).await;
    store.close().await;
}

#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn our_eppgbm_export_imports_back_on_postgres() {
    use sqlx::AssertSqlSafe;
    let admin_url = std::env::var("POSYANDU_TEST_PG_URL").expect("POSYANDU_TEST_PG_URL");
    let admin = Store::connect(&admin_url).await.unwrap();
    let pool = admin.postgres_pool().unwrap();
    let name = format!("t_exchange_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(pool)
        .await
        .unwrap();
    let base = admin_url.split('?').next().unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    let store = Store::connect(&url).await.unwrap();
    // In its own task so the database is dropped even when the story fails.
    let outcome = tokio::spawn({
        let store = store.clone();
        async move { story(&store).await }
    })
    .await;
    store.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(pool)
        .await
        .unwrap();
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
