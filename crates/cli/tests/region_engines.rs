//! `region init` and `unit add` on both engines (a SQLite temp file; PostgreSQL at
//! `POSYANDU_TEST_PG_URL`): the tree equals the Kemendagri list, running again changes
//! nothing (audit rows counted), and every contradiction is refused with nothing written.
#![allow(clippy::unwrap_used)]

mod region_support;

use posyandu::store_cmds::region::{self, region_id};
use posyandu::store_cmds::unit::{self, PostArgs, PuskesmasArgs};
use region_support::{count_level, csv_count, footprint, wilayah_rows};
use store::model::{NewOrgUnit, OrgLevel, TimeZone};
use store::{Actor, OrgUnitId, Store};
use wilayah::{Code, Wilayah};

macro_rules! both_engines {
    ($($story:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = crate::region_support::sqlite().await;
                    crate::$story(&db.store).await;
                }
            )*
        }
        mod postgres {
            $(
                #[cfg_attr(no_pg_url, ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested")]
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let Some(db) = crate::region_support::postgres().await else { return };
                    crate::$story(&db.store).await;
                }
            )*
        }
    };
}

both_engines!(
    kabupaten_tree_equals_the_codes_and_rerun_changes_nothing,
    contradictions_are_refused_and_nothing_is_written,
    province_init_then_its_kabupaten_adds_nothing,
    a_tree_not_made_from_the_codes_is_left_alone,
    two_puskesmas_racing_for_one_desa_leave_one_owner,
);

fn wilayah() -> Wilayah {
    region::load().unwrap()
}

fn pusk(name: &str, kec: &str, desa: Option<&str>) -> PuskesmasArgs {
    PuskesmasArgs {
        name: name.to_owned(),
        kecamatan: kec.to_owned(),
        desa: desa.map(str::to_owned),
        kode: None,
    }
}

fn post(name: &str, desa: &str) -> PostArgs {
    PostArgs {
        name: name.to_owned(),
        desa: desa.to_owned(),
        kode: None,
    }
}

async fn kabupaten_tree_equals_the_codes_and_rerun_changes_nothing(db: &Store) {
    let w = wilayah();
    let rows = wilayah_rows();
    let first = region::init(db, &w, "35.08").await.unwrap();
    assert_eq!(count_level(db, "provinsi", "35").await, 1);
    assert_eq!(count_level(db, "kabupaten_kota", "35.08").await, 1);
    let kecamatan = csv_count(&rows, "35.08", &["kecamatan"]);
    assert!(kecamatan > 10, "{kecamatan}");
    assert_eq!(count_level(db, "kecamatan", "35.08.").await, kecamatan);
    assert_eq!(first.inserted, [1, 1, kecamatan as u64]);
    let desa_total = csv_count(&rows, "35.08", &["desa", "kelurahan"]);
    assert_eq!(first.desa_total as i64, desa_total);
    assert_eq!(first.desa_stored, 0);

    // Every unit: id from its code, the decree stored, names as in the list, WIB (Jawa Timur).
    let actor = Actor::system("test");
    let units = db
        .org_units_under(&actor, region_id(&Code::parse("35").unwrap()))
        .await
        .unwrap();
    assert_eq!(units.len() as i64, 2 + kecamatan);
    for u in &units {
        let code = u.region_code.as_deref().unwrap();
        assert_eq!(u.id, region_id(&Code::parse(code).unwrap()));
        assert_eq!(u.region_decree.as_deref(), Some(wilayah::DECREE));
        assert_eq!(u.time_zone, TimeZone::Wib);
        let (_, name, _) = rows.iter().find(|(c, _, _)| c == code).unwrap();
        assert_eq!(&u.name, name);
        assert_eq!(u.code, code.replace('.', ""));
    }
    // The demo writes the same decree text next to its codes.
    assert_eq!(wilayah::DECREE, demo::region::WILAYAH_VERSION);

    // One Puskesmas per kecamatan serving all its desa: then every desa of the list is there.
    let kecs: Vec<(String, String)> = rows
        .iter()
        .filter(|(c, _, l)| c.starts_with("35.08.") && l == "kecamatan")
        .map(|(c, n, _)| (c.clone(), n.clone()))
        .collect();
    for (code, name) in &kecs {
        let added = unit::add_puskesmas(db, &w, &pusk(name, code, Some("semua")))
            .await
            .unwrap();
        assert!(added.inserted);
        assert_eq!(added.unit.name, format!("Puskesmas {name}"));
        assert_eq!(
            added.desa_inserted.len() as i64,
            csv_count(&rows, code, &["desa", "kelurahan"])
        );
    }
    assert_eq!(
        count_level(db, "desa_kelurahan", "35.08.").await,
        desa_total
    );
    let puskesmas = region_support::scalar(
        db,
        "SELECT COUNT(*) FROM org_unit WHERE level = 'puskesmas'",
    )
    .await;
    assert_eq!(puskesmas, kecs.len() as i64);
    let melati = unit::add_post(db, &w, OrgLevel::Posyandu, &post("Melati", "35.08.01.2001"))
        .await
        .unwrap();
    assert_eq!(
        melati.unit.path.as_str(),
        "/35/3508/350801/P3508010101/3508012001/PY01/"
    );
    let pk = unit::add_post(
        db,
        &w,
        OrgLevel::Poskestren,
        &post("Nurul Huda", "35.08.01.2001"),
    )
    .await
    .unwrap();
    assert_eq!(pk.unit.code, "PK01");

    // The same commands again: nothing stored, nothing audited.
    let before = footprint(db).await;
    assert_eq!(
        before.org_units,
        2 + kecamatan + kecs.len() as i64 + desa_total + 2
    );
    let again = region::init(db, &w, "3508").await.unwrap();
    assert_eq!(again.inserted, [0, 0, 0]);
    assert_eq!(again.existing, [1, 1, kecamatan as u64]);
    assert_eq!(again.desa_stored as i64, desa_total);
    for (code, name) in &kecs {
        let a = unit::add_puskesmas(
            db,
            &w,
            &pusk(&format!("puskesmas  {name}"), code, Some("semua")),
        )
        .await
        .unwrap();
        assert!(!a.inserted);
        assert!(a.desa_inserted.is_empty());
    }
    let m2 = unit::add_post(
        db,
        &w,
        OrgLevel::Posyandu,
        &post("POSYANDU melati", "3508012001"),
    )
    .await
    .unwrap();
    assert!(!m2.inserted);
    assert_eq!(m2.unit.id, melati.unit.id);
    assert_eq!(footprint(db).await, before);

    // Every write was audited as the system actor of its command.
    let actors = region_support::scalar(
        db,
        "SELECT COUNT(*) FROM audit_log WHERE actor NOT IN ('system:region', 'system:unit')",
    )
    .await;
    assert_eq!(actors, 0);
    assert_eq!(before.audit_rows, before.org_units);
}

async fn contradictions_are_refused_and_nothing_is_written(db: &Store) {
    let w = wilayah();
    region::init(db, &w, "35.08").await.unwrap();
    // Posyandu before its desa has a Puskesmas: refused, with the command that fixes it.
    let e = unit::add_post(db, &w, OrgLevel::Posyandu, &post("Melati", "35.08.01.2001"))
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("35.08.01.2001 Tegalrejo belum punya Puskesmas"),
        "{e}"
    );
    assert!(
        e.contains("--kecamatan 35.08.01 --desa 35.08.01.2001"),
        "{e}"
    );

    let a = unit::add_puskesmas(
        db,
        &w,
        &pusk(
            "Tempursari",
            "35.08.01",
            Some("35.08.01.2001,35.08.01.2002"),
        ),
    )
    .await
    .unwrap();
    assert_eq!(a.desa_inserted.len(), 2);
    unit::add_post(db, &w, OrgLevel::Posyandu, &post("Melati", "35.08.01.2001"))
        .await
        .unwrap();
    let before = footprint(db).await;

    let refusals: Vec<(String, &str)> = vec![
        // A desa already served by another Puskesmas; the first desa must not be written either.
        (
            unit::add_puskesmas(
                db,
                &w,
                &pusk(
                    "Puskesmas Lain",
                    "35.08.01",
                    Some("35.08.01.2003,35.08.01.2002"),
                ),
            )
            .await
            .unwrap_err()
            .to_string(),
            "35.08.01.2002 Bulurejo sudah dilayani Puskesmas Tempursari",
        ),
        // A desa of another kecamatan.
        (
            unit::add_puskesmas(
                db,
                &w,
                &pusk("Tempursari", "35.08.01", Some("35.08.02.2001")),
            )
            .await
            .unwrap_err()
            .to_string(),
            "bukan di kecamatan 35.08.01 Tempursari",
        ),
        // A name used twice in one desa (a poskestren named like the posyandu).
        (
            unit::add_post(
                db,
                &w,
                OrgLevel::Poskestren,
                &post("melati", "35.08.01.2001"),
            )
            .await
            .unwrap_err()
            .to_string(),
            "nama 'Poskestren melati' sudah dipakai di desa 35.08.01.2001 Tegalrejo",
        ),
        // A code used twice in one desa.
        (
            unit::add_post(
                db,
                &w,
                OrgLevel::Posyandu,
                &PostArgs {
                    kode: Some("PY01".into()),
                    ..post("Mawar", "35.08.01.2001")
                },
            )
            .await
            .unwrap_err()
            .to_string(),
            "kode 'PY01' sudah dipakai",
        ),
        // The existing unit named with another code.
        (
            unit::add_post(
                db,
                &w,
                OrgLevel::Posyandu,
                &PostArgs {
                    kode: Some("PY07".into()),
                    ..post("Melati", "35.08.01.2001")
                },
            )
            .await
            .unwrap_err()
            .to_string(),
            "sudah ada dengan kode PY01",
        ),
        // Unknown and malformed codes, and codes of the wrong level, named in the message.
        (
            region::init(db, &w, "35.99").await.unwrap_err().to_string(),
            "kode wilayah 35.99 tidak ada di Kepmendagri 300.2.2-2138/2025",
        ),
        (
            region::init(db, &w, "35-08").await.unwrap_err().to_string(),
            "kode wilayah '35-08' tidak valid",
        ),
        (
            region::init(db, &w, "35.08.01")
                .await
                .unwrap_err()
                .to_string(),
            "35.08.01 Tempursari adalah kecamatan",
        ),
        (
            unit::add_puskesmas(db, &w, &pusk("X", "35.08", None))
                .await
                .unwrap_err()
                .to_string(),
            "kode wilayah 35.08 adalah kabupaten, bukan kecamatan",
        ),
        (
            unit::add_post(db, &w, OrgLevel::Posyandu, &post("Melati", "35.08.01.9999"))
                .await
                .unwrap_err()
                .to_string(),
            "kode wilayah 35.08.01.9999 tidak ada",
        ),
        // A kecamatan of a kabupaten that was not initialised.
        (
            unit::add_puskesmas(db, &w, &pusk("Wlingi", "35.05.01", Some("semua")))
                .await
                .unwrap_err()
                .to_string(),
            "belum ada di basis data: jalankan dulu posyandu region init 35.05",
        ),
        (
            unit::add_post(db, &w, OrgLevel::Posyandu, &post("  ", "35.08.01.2001"))
                .await
                .unwrap_err()
                .to_string(),
            "nama posyandu wajib diisi",
        ),
    ];
    for (message, expected) in &refusals {
        assert!(
            message.contains(expected),
            "'{expected}' not in '{message}'"
        );
    }
    assert_eq!(
        footprint(db).await,
        before,
        "a refused command wrote something"
    );
    // Desa Purorejo (first in the refused list) is still unserved.
    assert!(
        db.org_unit(
            &Actor::system("t"),
            region_id(&Code::parse("35.08.01.2003").unwrap())
        )
        .await
        .is_err()
    );

    // `semua` on a kecamatan partly served takes only the desa nobody serves yet.
    let rest = unit::add_puskesmas(db, &w, &pusk("Puskesmas Lain", "35.08.01", Some("semua")))
        .await
        .unwrap();
    let rows = wilayah_rows();
    assert_eq!(
        rest.desa_inserted.len() as i64,
        csv_count(&rows, "35.08.01", &["desa", "kelurahan"]) - 2
    );
    assert_eq!(rest.desa_elsewhere, 2);
    assert_eq!(rest.unit.code, "P3508010201");
}

async fn province_init_then_its_kabupaten_adds_nothing(db: &Store) {
    let w = wilayah();
    let rows = wilayah_rows();
    // Kalimantan Utara: a small province, in WITA.
    let r = region::init(db, &w, "65").await.unwrap();
    let regencies = csv_count(&rows, "65", &["kabupaten", "kota"]);
    let kecamatan = csv_count(&rows, "65", &["kecamatan"]);
    assert_eq!(r.inserted, [1, regencies as u64, kecamatan as u64]);
    assert_eq!(count_level(db, "kabupaten_kota", "65.").await, regencies);
    assert_eq!(count_level(db, "kecamatan", "65.").await, kecamatan);
    let wita = region_support::scalar(
        db,
        "SELECT COUNT(*) FROM org_unit WHERE region_code LIKE '65%' AND time_zone = 'WITA'",
    )
    .await;
    assert_eq!(wita, 1 + regencies + kecamatan);
    let before = footprint(db).await;
    let kota = region::init(db, &w, "6571").await.unwrap();
    assert_eq!(kota.inserted, [0, 0, 0]);
    assert_eq!(kota.existing[0..2], [1, 1]);
    assert_eq!(footprint(db).await, before);
}

async fn a_tree_not_made_from_the_codes_is_left_alone(db: &Store) {
    // A province at /35/ made otherwise (as the demo does, with its own ids).
    let mut tx = db.begin(&Actor::system("test")).await.unwrap();
    tx.create_org_unit(&NewOrgUnit {
        id: OrgUnitId::new(),
        parent_id: None,
        level: OrgLevel::Province,
        code: "35".into(),
        name: "Jawa Timur".into(),
        region_code: Some("35".into()),
        region_decree: None,
        time_zone: TimeZone::Wib,
    })
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let before = footprint(db).await;
    let e = region::init(db, &wilayah(), "35.08")
        .await
        .unwrap_err()
        .to_string();
    assert!(e.contains("'Jawa Timur' (/35/) sudah ada"), "{e}");
    assert!(e.contains("Tidak ada yang ditulis"), "{e}");
    assert_eq!(footprint(db).await, before);
}

async fn two_puskesmas_racing_for_one_desa_leave_one_owner(db: &Store) {
    let w = std::sync::Arc::new(wilayah());
    region::init(db, &w, "35.08").await.unwrap();
    // Two officers at once, each claiming desa 2001 (and one other desa each).
    let claims = [
        ("Puskesmas Utara", "35.08.01.2002,35.08.01.2001"),
        ("Puskesmas Selatan", "35.08.01.2003,35.08.01.2001"),
    ];
    let mut tasks = Vec::new();
    for (name, desa) in claims {
        let (db, w) = (db.clone(), w.clone());
        tasks.push(tokio::spawn(async move {
            unit::add_puskesmas(&db, &w, &pusk(name, "35.08.01", Some(desa))).await
        }));
    }
    let mut winners = Vec::new();
    let mut losers = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            Ok(added) => winners.push(added.unit),
            Err(e) => losers.push(format!("{e:#}")),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one claim may win: {losers:?}");
    // The loser is told which desa was taken, and by whom.
    assert!(
        losers[0].contains("35.08.01.2001 Tegalrejo sudah dilayani"),
        "{losers:?}"
    );
    let actor = Actor::system("t");
    let desa = db
        .org_unit(&actor, region_id(&Code::parse("35.08.01.2001").unwrap()))
        .await
        .unwrap();
    assert_eq!(desa.parent_id, Some(winners[0].id));
    // The loser wrote nothing: one Puskesmas, two desa in the tree.
    let count = |sql: &'static str| region_support::scalar(db, sql);
    assert_eq!(
        count("SELECT COUNT(*) FROM org_unit WHERE level = 'puskesmas'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM org_unit WHERE level = 'desa_kelurahan'").await,
        2
    );
}
