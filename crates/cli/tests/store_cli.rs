//! The storage subcommands on the real binary and real files: migrate twice, backup while a
//! writer is busy, restore, and refusing a bad backup.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

use store::sqlx::{AssertSqlSafe, query};
use store::*;
use time::macros::date;

fn posyandu(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .current_dir(dir)
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A province and one posyandu under it, for the writer.
async fn seed(store: &Store) -> OrgUnit {
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let mut last: Option<OrgUnit> = None;
    for (level, code) in [
        (OrgLevel::Province, "35"),
        (OrgLevel::Regency, "3508"),
        (OrgLevel::District, "350801"),
        (OrgLevel::Puskesmas, "P01"),
        (OrgLevel::Village, "3508012001"),
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

/// Adds `n` persons, each with a weighing, one transaction each.
async fn write_persons(store: &Store, unit: &OrgUnit, n: usize) {
    let sys = Actor::system("writer");
    for i in 0..n {
        let mut tx = store.begin(&sys).await.unwrap();
        let new = NewPerson {
            id: PersonId::new(),
            household_id: None,
            org_unit_id: unit.id,
            name: format!("Anak {i}"),
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
            value: 8.0,
            implausible: false,
            captured_at: time::OffsetDateTime::now_utc(),
        };
        tx.capture(&m.into()).await.unwrap();
        tx.commit().await.unwrap();
    }
}

#[test]
fn migrate_twice_is_a_noop() {
    let dir = tempfile::tempdir().unwrap();
    let first = posyandu(dir.path(), &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("3 diterapkan, 3 dikenal"),
        "{}",
        stdout(&first)
    );
    assert!(
        dir.path().join("posyandu.sqlite").is_file(),
        "default database file"
    );
    let second = posyandu(dir.path(), &["migrate"]);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(
        stdout(&second).contains("0 diterapkan"),
        "{}",
        stdout(&second)
    );

    // --database-url picks another file; a plain path works too.
    let other = posyandu(
        dir.path(),
        &["migrate", "--database-url", "sqlite://lain.sqlite"],
    );
    assert!(other.status.success(), "{}", stderr(&other));
    assert!(dir.path().join("lain.sqlite").is_file());
    let bad = posyandu(dir.path(), &["migrate", "--database-url", "mysql://x/y"]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("tidak dikenal"), "{}", stderr(&bad));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_while_writing_then_restore() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("posyandu.sqlite");
    let store = Store::open_sqlite_file(&db).await.unwrap();
    store.migrate().await.unwrap();
    let unit = seed(&store).await;
    write_persons(&store, &unit, 50).await;

    // A writer keeps committing while the backup runs.
    let writer = {
        let store = store.clone();
        let unit = unit.clone();
        tokio::spawn(async move { write_persons(&store, &unit, 300).await })
    };
    let root = dir.path().to_owned();
    let out = tokio::task::spawn_blocking(move || posyandu(&root, &["backup", "cadangan.sqlite"]))
        .await
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    writer.await.unwrap();

    // The backup is one consistent moment: every person has its weighing and both audit rows.
    let backup = dir.path().join("cadangan.sqlite");
    let check = check_sqlite_file(&backup).await.unwrap();
    assert!(check.persons >= 50 && check.persons <= 350, "{check:?}");
    eprintln!("backup taken with {} of 350 persons written", check.persons);
    assert_eq!(check.measurements, check.persons, "{check:?}");
    assert_eq!(check.audit_rows, 6 + 2 * check.persons, "{check:?}");
    assert!(
        stdout(&out).contains(&format!("{} orang", check.persons)),
        "{}",
        stdout(&out)
    );

    // Backing up onto an existing file is refused.
    let again = posyandu(dir.path(), &["backup", "cadangan.sqlite"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("sudah ada"), "{}", stderr(&again));

    // Restore (with the server stopped) brings back exactly the backup's rows.
    store.close().await;
    let out = posyandu(dir.path(), &["restore", "cadangan.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let restored = check_sqlite_file(&db).await.unwrap();
    assert_eq!(restored, check);
    let kept: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "the replaced database is kept");
    let previous = check_sqlite_file(&kept[0].path()).await.unwrap();
    assert_eq!(previous.persons, 350);
    // The restored database opens and takes writes.
    let store = Store::open_sqlite_file(&db).await.unwrap();
    write_persons(&store, &unit, 1).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_restore_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("posyandu.sqlite");
    let store = Store::open_sqlite_file(&db).await.unwrap();
    store.migrate().await.unwrap();
    let unit = seed(&store).await;
    write_persons(&store, &unit, 5).await;
    store.close().await;
    let before = check_sqlite_file(&db).await.unwrap();

    // Not a database at all.
    std::fs::write(dir.path().join("rusak.sqlite"), b"bukan basis data").unwrap();
    // A SQLite file that is not a posyandu database.
    let other = dir.path().join("lain.sqlite");
    let foreign = Store::open_sqlite_file(&other).await.unwrap();
    foreign.close().await;
    // A truncated backup.
    let out = posyandu(dir.path(), &["backup", "utuh.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(dir.path().join("utuh.sqlite")).unwrap();
    std::fs::write(dir.path().join("potong.sqlite"), &bytes[..bytes.len() / 2]).unwrap();

    // A backup whose measurements point at persons that are not there.
    let orphan = dir.path().join("yatim.sqlite");
    std::fs::copy(dir.path().join("utuh.sqlite"), &orphan).unwrap();
    {
        use store::sqlx::Connection;
        let opts = store::sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&orphan)
            .foreign_keys(false);
        let mut conn = store::sqlx::SqliteConnection::connect_with(&opts)
            .await
            .unwrap();
        query("UPDATE measurement SET person_id = 'hilang'")
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
    }

    for (file, why) in [
        ("rusak.sqlite", "bukan basis data SQLite"),
        ("lain.sqlite", "bukan basis data posyandu"),
        ("potong.sqlite", "malformed"),
        ("tidak-ada.sqlite", "tidak ada"),
        ("yatim.sqlite", "rujukan yang hilang"),
    ] {
        let out = posyandu(dir.path(), &["restore", file]);
        assert!(!out.status.success(), "{file} was accepted");
        assert!(stderr(&out).contains(why), "{file}: {}", stderr(&out));
        eprintln!("{file}: {}", stderr(&out).trim().replace('\n', " "));
        assert_eq!(
            check_sqlite_file(&db).await.unwrap(),
            before,
            "{file} touched the database"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp") || n.contains("before-restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// `--database-url postgres://…` selects PostgreSQL; backup is refused there with a hint.
/// Runs when `POSYANDU_TEST_PG_URL` is set (fails in CI when it is not).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_on_postgres() {
    let Ok(admin_url) = std::env::var("POSYANDU_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but POSYANDU_TEST_PG_URL is unset"
        );
        eprintln!("skipping PostgreSQL: POSYANDU_TEST_PG_URL is unset");
        return;
    };
    let admin = Store::connect(&admin_url).await.unwrap();
    let name = format!("t_cli_{}", uuid::Uuid::now_v7().simple());
    let pool = admin.postgres_pool().unwrap();
    let create = format!("CREATE DATABASE {name}");
    query(AssertSqlSafe(create)).execute(pool).await.unwrap();
    let base = admin_url.rsplit_once('/').unwrap().0;
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();

    let first = posyandu(dir.path(), &["migrate", "--database-url", &url]);
    let second = posyandu(dir.path(), &["migrate", "--database-url", &url]);
    let backup = posyandu(dir.path(), &["backup", "x.sqlite", "--database-url", &url]);

    let drop = format!("DROP DATABASE {name} WITH (FORCE)");
    query(AssertSqlSafe(drop)).execute(pool).await.unwrap();
    admin.close().await;

    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains("3 diterapkan, 3 dikenal") && stdout(&first).contains("Postgres"),
        "{}",
        stdout(&first)
    );
    assert!(
        stdout(&second).contains("0 diterapkan"),
        "{}",
        stdout(&second)
    );
    assert!(!backup.status.success());
    assert!(stderr(&backup).contains("pg_dump"), "{}", stderr(&backup));
    assert!(
        !dir.path().join("posyandu.sqlite").exists(),
        "no SQLite file was created"
    );
}
