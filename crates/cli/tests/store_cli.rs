//! The storage subcommands on the real binary and real files: migrate twice, backup while a
//! writer is busy, restore, refusing a bad backup, refusing a missing database, one line per
//! error, the demo's one summary, and a closed or full stdout.
#![allow(clippy::unwrap_used)]

mod backup_common;

use std::fs::File;
use std::process::{Command, Stdio};

use backup_common::*;
use store::sqlx::{AssertSqlSafe, query};
use store::*;

/// "N diterapkan, N dikenal" for the migrations the store ships (one file each).
fn all_applied() -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations/sqlite");
    let n = std::fs::read_dir(dir).unwrap().count();
    format!("{n} diterapkan, {n} dikenal")
}

#[test]
fn migrate_twice_is_a_noop() {
    let dir = tempfile::tempdir().unwrap();
    let first = posyandu(dir.path(), &["migrate"]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stdout(&first).contains(&all_applied()),
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
        // Structural checks still run on a backup without checksum (--unverified).
        let out = posyandu(dir.path(), &["restore", "--unverified", file]);
        assert!(!out.status.success(), "{file} was accepted");
        assert!(stderr(&out).contains(why), "{file}: {}", stderr(&out));
        eprintln!("{file}: {}", stderr(&out).trim().replace('\n', " "));
        assert_eq!(
            check_sqlite_file(&db).await.unwrap(),
            before,
            "{file} touched the database"
        );
    }
    // With its checksum beside it, the truncated copy is refused before any other check.
    std::fs::copy(
        dir.path().join("utuh.sqlite.sha256"),
        dir.path().join("potong.sqlite.sha256"),
    )
    .unwrap();
    let out = posyandu(dir.path(), &["restore", "potong.sqlite"]);
    assert!(
        stderr(&out).contains("checksum SHA-256 tidak cocok"),
        "{}",
        stderr(&out)
    );
    // A directory is named as one.
    std::fs::create_dir(dir.path().join("folder")).unwrap();
    let out = posyandu(dir.path(), &["restore", "folder"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("adalah direktori"),
        "{}",
        stderr(&out)
    );
    assert_eq!(check_sqlite_file(&db).await.unwrap(), before);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

/// `--database-url postgres://…` selects PostgreSQL; backup is refused there with a hint.
/// Runs when `POSYANDU_TEST_PG_URL` is set (fails in CI when it is not).
#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
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
        stdout(&first).contains(&all_applied()) && stdout(&first).contains("Postgres"),
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

/// A mistyped `--database-url` for a command that needs data is refused; nothing is created.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_that_need_data_refuse_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // A good register: the import checks the file before it opens the database.
    std::fs::write(
        root.join("daftar.csv"),
        "nama;jk;tgl_lahir;nama_ibu;tgl_ukur;berat\nKeisha;P;2024-09-15;Ratna;2025-03-05;7,6\n",
    )
    .unwrap();
    for args in [
        &[
            "import",
            "--unit",
            "/35/",
            "--database-url",
            "sqlite://salah-ketik.sqlite",
            "daftar.csv",
        ][..],
        &[
            "backup",
            "--database-url",
            "sqlite://salah-ketik.sqlite",
            "b.sqlite",
        ][..],
        &[
            "import",
            "--unit",
            "/35/",
            "--database-url",
            "salah-ketik.sqlite",
            "daftar.csv",
        ][..],
    ] {
        let out = posyandu(root, args);
        assert!(!out.status.success(), "{args:?}");
        let msg = stderr(&out);
        assert!(
            msg.contains("salah-ketik.sqlite tidak ada"),
            "{args:?}: {msg}"
        );
        assert!(msg.contains("--database-url"), "{msg}");
        assert!(
            !root.join("salah-ketik.sqlite").exists(),
            "{args:?} created it"
        );
    }
    // An empty SQLite file (not a posyandu database) is not silently migrated by import.
    let empty = root.join("kosong.sqlite");
    Store::open_sqlite_file(&empty).await.unwrap().close().await;
    let out = posyandu(
        root,
        &[
            "import",
            "--unit",
            "/35/",
            "--database-url",
            "kosong.sqlite",
            "daftar.csv",
        ],
    );
    assert!(stderr(&out).contains("belum dimigrasi"), "{}", stderr(&out));
    assert_eq!(
        Store::open_sqlite_file(&empty)
            .await
            .unwrap()
            .applied_migrations()
            .await,
        0
    );
    // A directory given as the database.
    std::fs::create_dir(root.join("folder")).unwrap();
    let out = posyandu(root, &["backup", "--database-url", "folder", "b.sqlite"]);
    assert!(
        stderr(&out).contains("adalah direktori"),
        "{}",
        stderr(&out)
    );
    // migrate and demo do create.
    let out = posyandu(root, &["migrate", "--database-url", "baru.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// A database error is one line that says it once (sqlx and the store both repeat their
/// cause's text; it was printed four times).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_error_is_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    let other = dir.path().join("lain.sqlite");
    let store = Store::open_sqlite_file(&other).await.unwrap();
    query("CREATE TABLE org_unit (x)")
        .execute(store.sqlite_pool().unwrap())
        .await
        .unwrap();
    store.close().await;
    let out = posyandu(dir.path(), &["migrate", "--database-url", "lain.sqlite"]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert_eq!(msg.matches("already exists").count(), 1, "{msg}");
}

#[test]
fn demo_prints_one_checksum_and_one_set_of_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = posyandu(dir.path(), &["demo", "--persons", "80"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let lines_with = |word: &str| {
        text.lines()
            .filter(|l| l.to_lowercase().contains(word))
            .count()
    };
    assert_eq!(lines_with("checksum"), 1, "{text}");
    assert_eq!(lines_with("penduduk"), 1, "{text}");
    assert_eq!(lines_with("pengukuran"), 1, "{text}");
    assert_eq!(lines_with("stunting"), 1, "{text}");
}

/// The four storage commands, each run with stdout closed before it writes (as `| head -1`
/// leaves it) and with stdout on a full disk.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_or_full_stdout_ends_quietly_or_with_one_message() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    database(&root.join("posyandu.sqlite"), 3).await;
    let run = |args: &[&str], out: Stdio| {
        Command::new(bin())
            .current_dir(root)
            .env_remove("POSYANDU_DATABASE_URL")
            .env("RUST_BACKTRACE", "0")
            .args(args)
            .stdout(out)
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };
    let full = || Stdio::from(File::options().write(true).open("/dev/full").unwrap());
    let commands: [(&str, Vec<&str>); 4] = [
        ("migrate", vec!["migrate"]),
        (
            "demo",
            vec!["demo", "--persons", "40", "--database-url", "demo.sqlite"],
        ),
        ("backup", vec!["backup", "cadangan-N.sqlite"]),
        ("restore", vec!["restore", "cadangan-1.sqlite"]),
    ];
    for (i, stdout_kind) in ["closed", "full"].iter().enumerate() {
        for (name, args) in &commands {
            let args: Vec<String> = args
                .iter()
                .map(|a| a.replace("cadangan-N", &format!("cadangan-{}", i + 1)))
                .collect();
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = run(
                &args,
                if *stdout_kind == "closed" {
                    closed()
                } else {
                    full()
                },
            );
            let msg = stderr(&out);
            assert_ne!(out.status.code(), Some(101), "{name} panicked: {msg}");
            if *stdout_kind == "closed" {
                assert!(msg.is_empty(), "{name} | head -1 said: {msg}");
                assert!(
                    matches!(out.status.code(), Some(0 | 141)),
                    "{name}: {:?}",
                    out.status
                );
            } else {
                assert_eq!(out.status.code(), Some(1), "{name} >/dev/full: {msg}");
                assert_eq!(msg.lines().count(), 1, "{name}: {msg}");
                assert!(msg.contains("stdout"), "{name}: {msg}");
            }
        }
    }
    // The work was done before the output failed: both backups exist with checksums.
    for n in [1, 2] {
        assert!(root.join(format!("cadangan-{n}.sqlite.sha256")).is_file());
    }
}
