//! End to end with the real binary and real SQLite files: `posyandu demo` is deterministic
//! and idempotent; `posyandu import` stores good rows, reports bad ones by line and column,
//! and adds nothing when run again.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_posyandu");
const POSYANDU_MELATI: &str = "/35/3508/350801/P3508010101/3508012001/PY01/";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

fn run(args: &[&str], db: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--database-url")
        .arg(url(db))
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The line of `out` that starts with `prefix`.
fn line<'a>(out: &'a str, prefix: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line '{prefix}' in:\n{out}"))
}

fn demo(db: &Path, persons: &str) -> String {
    let o = run(&["demo", "--persons", persons], db);
    assert!(
        o.status.success(),
        "demo failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    stdout(&o)
}

#[test]
fn demo_twice_gives_the_same_database_and_rerun_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.sqlite"), dir.path().join("b.sqlite"));
    let out_a = demo(&a, "600");
    let out_b = demo(&b, "600");
    for prefix in ["Di basis data:", "Checksum isi basis data:", "Pada "] {
        assert_eq!(line(&out_a, prefix), line(&out_b, prefix), "{prefix}");
    }
    let counts = line(&out_a, "Di basis data:");
    assert!(counts.contains(" 25 unit"), "{counts}");
    // Twelve posyandu and a poskestren, two years: about 13 × 24 service days.
    let days: usize = counts
        .split(", ")
        .find(|s| s.ends_with("hari buka"))
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((250..=312).contains(&days), "{days}");
    assert!(line(&out_a, "Ditulis:").contains(" 0 sudah ada"));

    let again = demo(&a, "600");
    assert!(
        line(&again, "Ditulis:").starts_with("Ditulis: 0 baru"),
        "{again}"
    );
    assert_eq!(
        line(&again, "Checksum isi basis data:"),
        line(&out_a, "Checksum isi basis data:")
    );
}

#[test]
fn last_month_moves_the_period() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    let o = run(
        &["demo", "--persons", "100", "--last-month", "2025-12"],
        &db,
    );
    assert!(o.status.success());
    assert!(stdout(&o).contains("periode 2024-01-01 s.d. 2025-12-31"));
    let bad = run(&["demo", "--last-month", "2025-13"], &db);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("'2025-13' bukan bulan"));
}

#[test]
fn another_seed_gives_another_region() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite");
    let b = dir.path().join("b.sqlite");
    let out_a = demo(&a, "150");
    let o = run(&["demo", "--persons", "150", "--seed", "7"], &b);
    assert!(o.status.success());
    assert_ne!(
        line(&out_a, "Checksum isi basis data:"),
        line(&stdout(&o), "Checksum isi basis data:")
    );
}

#[test]
fn import_stores_good_rows_reports_bad_ones_and_reimport_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.sqlite");
    demo(&db, "120");
    let before = line(&demo(&db, "120"), "Di basis data:").to_owned();
    let errors_csv = dir.path().join("errors.csv");
    let file = fixture("register_campuran.csv");
    let o = run(
        &[
            "import",
            file.to_str().unwrap(),
            "--unit",
            "/35/3508/",
            "--errors",
            errors_csv.to_str().unwrap(),
        ],
        &db,
    );
    let out = stdout(&o);
    // Bad rows make the exit status non-zero, but the good rows are stored.
    assert!(!o.status.success(), "{out}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("7 baris tidak disimpan"));
    assert_eq!(
        line(&out, "Disimpan"),
        "Disimpan 8 baris: orang baru 5, sudah ada 0; penimbangan baru 8, sudah ada 0; 1 pengukuran ditandai periksa ulang."
    );
    for expected in [
        "baris 10, kolom tgl_lahir = '31/02/2024'",
        "baris 11, kolom jk = 'X'",
        "baris 12, kolom berat = 'delapan': bukan angka",
        "baris 13, kolom nik = '…4009': NIK harus 16 angka",
        "baris 14, kolom kode_desa = '35.08.09.2001'",
        "baris 15, kolom posyandu = 'Kamboja': tidak ada di desa Tegalrejo",
        "baris 16, kolom tgl_ukur = '': wajib diisi",
        "baris 8, kolom berat = '85': tidak wajar menurut WHO",
    ] {
        assert!(out.contains(expected), "missing '{expected}' in:\n{out}");
    }
    // The full NIK never appears in the output.
    assert!(!out.contains("350801050524009"));
    let csv = std::fs::read_to_string(&errors_csv).unwrap();
    assert_eq!(csv.lines().count(), 8, "{csv}");
    assert!(csv.starts_with("baris,kolom,nilai,alasan\n10,tgl_lahir,31/02/2024,"));

    // The database now holds exactly five more persons and eight more visits.
    let after = line(&demo(&db, "120"), "Di basis data:").to_owned();
    let count = |s: &str, what: &str| -> usize {
        s.trim_start_matches("Di basis data: ")
            .split(", ")
            .find(|x| x.ends_with(what))
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(count(&after, "penduduk"), count(&before, "penduduk") + 5);
    assert_eq!(count(&after, "kunjungan"), count(&before, "kunjungan") + 8);

    // Importing the same file again adds nothing.
    let again = stdout(&run(
        &["import", file.to_str().unwrap(), "--unit", "/35/3508/"],
        &db,
    ));
    assert_eq!(
        line(&again, "Disimpan"),
        "Disimpan 8 baris: orang baru 0, sudah ada 5; penimbangan baru 0, sudah ada 8; 0 pengukuran ditandai periksa ulang."
    );
    let after_again = line(&demo(&db, "120"), "Di basis data:").to_owned();
    assert_eq!(after_again, after);

    // A later file with the same NIK but another name: refused, the registered person and
    // their weighings are untouched (never data attached to the wrong person).
    let fix = fixture("register_ralat.csv");
    let o = run(
        &["import", fix.to_str().unwrap(), "--unit", "/35/3508/"],
        &db,
    );
    let out = stdout(&o);
    assert!(!o.status.success(), "{out}");
    assert!(
        line(&out, "Disimpan")
            .starts_with("Disimpan 0 baris: orang baru 0, sudah ada 0; penimbangan baru 0"),
        "{out}"
    );
    assert!(out.contains("baris 2, kolom nama = 'Siti Aminah Zahra': NIK …0001 sudah terdaftar atas nama 'Siti Aminah'"), "{out}");
    let after_ralat = line(&demo(&db, "120"), "Di basis data:").to_owned();
    assert_eq!(after_ralat, after);
}

#[test]
fn import_into_one_posyandu_and_check_mode() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("p.sqlite");
    demo(&db, "100");
    let file = fixture("register_posyandu.csv");
    let check = run(
        &[
            "import",
            file.to_str().unwrap(),
            "--unit",
            POSYANDU_MELATI,
            "--check",
        ],
        &db,
    );
    assert!(check.status.success());
    assert!(
        stdout(&check)
            .contains("3 baris siap disimpan, 0 baris bermasalah. Tidak ada yang disimpan.")
    );
    let o = run(
        &["import", file.to_str().unwrap(), "--unit", POSYANDU_MELATI],
        &db,
    );
    assert!(o.status.success(), "{}", stdout(&o));
    // --check stored nothing: the real import still finds both persons new.
    assert!(stdout(&o).contains("orang baru 2, sudah ada 0; penimbangan baru 3, sudah ada 0"));
    // Rows without a posyandu need a posyandu as --unit.
    let wide = run(
        &["import", file.to_str().unwrap(), "--unit", "/35/3508/"],
        &db,
    );
    assert!(!wide.status.success());
    assert!(stdout(&wide).contains("baris 2, kolom posyandu = '': kosong"));
}

#[test]
fn import_refuses_a_file_without_required_columns_and_an_unknown_unit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    demo(&db, "50");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "nama;berat\nAyu;8,1\n").unwrap();
    let o = run(
        &["import", bad.to_str().unwrap(), "--unit", POSYANDU_MELATI],
        &db,
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("kolom wajib tidak ada: jk, tgl_lahir"));
    let file = fixture("register_posyandu.csv");
    let o = run(
        &["import", file.to_str().unwrap(), "--unit", "/35/3509/"],
        &db,
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unit '/35/3509/' tidak ada"));
}

/// A fresh PostgreSQL database on the server of `POSYANDU_TEST_PG_URL` (the store's
/// conformance suite uses the same variable), created and dropped with `psql`.
struct PgDb {
    admin: String,
    name: String,
    url: String,
}

impl PgDb {
    fn create() -> Option<PgDb> {
        let admin = std::env::var("POSYANDU_TEST_PG_URL")
            .ok()
            .filter(|u| !u.trim().is_empty())?;
        let name = format!("demo_import_{}", std::process::id());
        let ok = Command::new("psql")
            .arg(&admin)
            .args(["-q", "-c", &format!("CREATE DATABASE {name}")])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("psql could not create a database: PostgreSQL demo test skipped");
            return None;
        }
        let (base, query) = admin
            .split_once('?')
            .map_or((admin.as_str(), None), |(b, q)| (b, Some(q)));
        let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
        let url = match query {
            Some(q) => format!("{base}/{name}?{q}"),
            None => format!("{base}/{name}"),
        };
        Some(PgDb { admin, name, url })
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(&self.admin)
            .args([
                "-q",
                "-c",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .status();
    }
}

#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
#[test]
fn postgres_and_sqlite_hold_the_same_demo_and_import() {
    let Some(pg) = PgDb::create() else {
        eprintln!("POSYANDU_TEST_PG_URL unset: PostgreSQL demo test skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let lite = dir.path().join("l.sqlite");
    let out_lite = demo(&lite, "300");
    let run_pg = |args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .arg("--database-url")
            .arg(&pg.url)
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap()
    };
    let o = run_pg(&["demo", "--persons", "300"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out_pg = stdout(&o);
    assert_eq!(
        line(&out_pg, "Checksum isi basis data:"),
        line(&out_lite, "Checksum isi basis data:")
    );
    assert_eq!(
        line(&out_pg, "Di basis data:"),
        line(&out_lite, "Di basis data:")
    );
    let file = fixture("register_campuran.csv");
    let imp = stdout(&run_pg(&[
        "import",
        file.to_str().unwrap(),
        "--unit",
        "/35/3508/",
    ]));
    assert!(
        line(&imp, "Disimpan").starts_with("Disimpan 8 baris: orang baru 5"),
        "{imp}"
    );
    let again = stdout(&run_pg(&[
        "import",
        file.to_str().unwrap(),
        "--unit",
        "/35/3508/",
    ]));
    assert!(
        line(&again, "Disimpan").contains("penimbangan baru 0, sudah ada 8"),
        "{again}"
    );
}
