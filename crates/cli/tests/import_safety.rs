//! `posyandu import` never attaches data to the wrong person and never loses a user's file
//! (issue 7 items 1–3, 7, 9): the real binary on copies of one real demo database.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use store::sqlx::{self, Row};
use store::{Actor, PersonId, Store};

const BIN: &str = env!("CARGO_BIN_EXE_posyandu");
const MELATI: &str = "/35/3508/350801/P3508010101/3508012001/PY01/";

fn run(args: &[&str], url: &str) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--database-url")
        .arg(url)
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn url(db: &Path) -> String {
    format!("sqlite://{}", db.display())
}

/// The default demo region (the database), made once per test run; each test
/// works on its own copy.
fn demo_template() -> &'static Path {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("demo.sqlite");
        let o = run(&["demo", "--last-month", "2026-10"], &url(&db));
        assert!(o.status.success(), "demo: {}", text(&o.stderr));
        (dir, db)
    });
    path
}

fn demo_copy(dir: &Path) -> PathBuf {
    let db = dir.join("posyandu.sqlite");
    std::fs::copy(demo_template(), &db).unwrap();
    db
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

async fn open(db: &Path) -> Store {
    Store::connect(&url(db)).await.unwrap()
}

/// Rows of one query as strings (text, integer or real columns).
fn rows(db: &Path, sql: &str) -> Vec<Vec<String>> {
    block(async {
        let s = open(db).await;
        let pool = s.sqlite_pool().unwrap();
        let out: Vec<Vec<String>> = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
            .fetch_all(pool)
            .await
            .unwrap()
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        r.try_get::<Option<String>, _>(i)
                            .map(Option::unwrap_or_default)
                            .or_else(|_| r.try_get::<i64, _>(i).map(|n| n.to_string()))
                            .or_else(|_| r.try_get::<f64, _>(i).map(|n| n.to_string()))
                            .unwrap()
                    })
                    .collect()
            })
            .collect();
        s.close().await;
        out
    })
}

fn count(db: &Path, sql: &str) -> i64 {
    rows(db, sql)[0][0].parse().unwrap()
}

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn a_nik_of_another_person_is_refused_and_she_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let her = "SELECT name, birth_date, sex, org_path, version FROM person WHERE nik = '3508026602240001'";
    let before = rows(&db, her);
    assert_eq!(before.len(), 1);
    assert_eq!(before[0][1..3], ["2024-02-26".to_owned(), "P".to_owned()]);
    let weights = "SELECT COUNT(*) FROM measurement m JOIN person p ON p.id = m.person_id \
                   WHERE p.nik = '3508026602240001'";
    let (n_before, all_before) = (
        count(&db, weights),
        count(&db, "SELECT COUNT(*) FROM measurement"),
    );
    // The row, with the header the importer reads.
    let file = write(
        dir.path(),
        "r.csv",
        "nik;nama;jk;tgl_lahir;kode_desa;posyandu;tgl_ukur;berat\n\
         3508026602240001;Orang Lain;L;01/01/2020;35.08.01.2001;Melati;05/01/2025;20\n",
    );
    // --check already compares with the store.
    let o = run(
        &[
            "import",
            file.to_str().unwrap(),
            "--unit",
            "/35/3508/",
            "--check",
        ],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("0 baris siap disimpan, 1 baris bermasalah"),
        "{out}"
    );
    assert!(
        out.contains("baris 2, kolom jk = 'L': NIK …0001 terdaftar dengan jenis kelamin P"),
        "{out}"
    );
    let o = run(
        &["import", file.to_str().unwrap(), "--unit", "/35/3508/"],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("Disimpan 0 baris: orang baru 0, sudah ada 0; penimbangan baru 0"),
        "{out}"
    );
    for field in [
        "baris 2, kolom nama = 'Orang Lain': NIK …0001 sudah terdaftar atas nama",
        "baris 2, kolom tgl_lahir = '01/01/2020': NIK …0001 terdaftar lahir 26/02/2024",
        "baris 2, kolom jk = 'L': NIK …0001 terdaftar dengan jenis kelamin P",
        "baris 2, kolom posyandu = 'Posyandu Melati",
    ] {
        assert!(out.contains(field), "missing '{field}' in:\n{out}");
    }
    assert!(!out.contains("3508026602240001") && !text(&o.stderr).contains("3508026602240001"));
    assert_eq!(rows(&db, her), before);
    assert_eq!(count(&db, weights), n_before);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM measurement"), all_before);
}

/// A demo child with a NIK and a stored weighing: (nik, name, sex, birth, unit path, day, kg).
fn weighed_child(db: &Path) -> Vec<String> {
    rows(
        db,
        "SELECT p.nik, p.name, p.sex, p.birth_date, p.org_path, m.day, CAST(m.value AS TEXT) \
         FROM person p JOIN measurement m ON m.person_id = p.id \
         WHERE p.nik IS NOT NULL AND p.nik_is_mother = 0 AND m.kind = 'berat' \
         AND p.birth_date > '2024-06-01' ORDER BY p.id, m.day LIMIT 1",
    )
    .remove(0)
}

#[test]
fn another_value_for_a_stored_or_repeated_day_is_a_conflict_the_same_value_is_already_there() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let c = weighed_child(&db);
    let (nik, name, sex, birth, unit, day, kg) = (&c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6]);
    let kg: f64 = kg.parse().unwrap();
    let m_before = count(&db, "SELECT COUNT(*) FROM measurement");
    let other_day = "2026-11-20";
    // Another weight for the stored day.
    let first = write(
        dir.path(),
        "a.csv",
        &format!(
            "nik;nama;jk;tgl_lahir;tgl_ukur;berat\n{nik};{name};{sex};{birth};{day};{}\n",
            kg + 1.5
        ),
    );
    let o = run(
        &["import", first.to_str().unwrap(), "--unit", unit],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains(&format!(
            "baris 2, kolom berat = '{}': NIK …{} sudah punya berat = {kg} pada",
            kg + 1.5,
            &nik[12..]
        )),
        "{out}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM measurement"), m_before);
    // The stored value again, a new day twice with one value, then with another.
    let body = format!(
        "nik;nama;jk;tgl_lahir;tgl_ukur;berat\n\
         {nik};{name};{sex};{birth};{day};{kg}\n\
         {nik};{name};{sex};{birth};{other_day};9.5\n\
         {nik};{name};{sex};{birth};{other_day};9.5\n\
         {nik};{name};{sex};{birth};{other_day};9.9\n"
    );
    let file = write(dir.path(), "c.csv", &body);
    let o = run(
        &["import", file.to_str().unwrap(), "--unit", unit],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(!o.status.success(), "{out}");
    assert!(
        out.contains("baris 5, kolom berat = '9.9': bertentangan dengan baris 3"),
        "{out}"
    );
    assert!(
        out.contains(
            "Disimpan 3 baris: orang baru 0, sudah ada 1; penimbangan baru 1, sudah ada 2"
        ),
        "{out}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM measurement"), m_before + 1);
    let per_day = rows(
        &db,
        &format!(
            "SELECT m.day, COUNT(*) FROM measurement m JOIN person p ON p.id = m.person_id \
             WHERE p.nik = '{nik}' AND p.nik_is_mother = 0 AND m.kind = 'berat' \
             AND m.day IN ('{day}', '{other_day}') GROUP BY m.day ORDER BY m.day"
        ),
    );
    assert_eq!(per_day.len(), 2, "{per_day:?}");
    assert!(per_day.iter().all(|r| r[1] == "1"), "{per_day:?}");
}

#[test]
fn stored_findings_of_an_imported_child_equal_what_screen_says() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    // Rows out of date order; the weight stalls (T, then 2T) and the child is short.
    let file = write(
        dir.path(),
        "k.csv",
        "nama,jk,tgl_lahir,nama_ibu,tgl_ukur,berat,tinggi\n\
         Alya Safitri,P,2024-03-10,Rina Marlina,2025-05-10,7.9,67.0\n\
         Alya Safitri,P,2024-03-10,Rina Marlina,2025-03-10,7.6,66.0\n\
         Alya Safitri,P,2024-03-10,Rina Marlina,2025-04-10,7.9,66.5\n\
         Alya Safitri,P,2024-03-10,Rina Marlina,2025-06-10,7.9,67.4\n",
    );
    let o = run(
        &["import", file.to_str().unwrap(), "--unit", MELATI],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    let id = rows(&db, "SELECT id FROM person WHERE name = 'Alya Safitri'")
        .remove(0)
        .remove(0);
    let (stored, weights) = block(async {
        let s = open(&db).await;
        let sys = Actor::system("test");
        let pid = PersonId(uuid::Uuid::parse_str(&id).unwrap());
        let f = s.findings_of(&sys, pid).await.unwrap();
        let m = s.measurements_of(&sys, pid).await.unwrap();
        s.close().await;
        (f, m)
    });
    // The same visits through `posyandu screen`, with the earlier weighings as history.
    let mut input = String::new();
    let days: Vec<time::Date> = {
        let mut d: Vec<_> = weights.iter().map(|m| m.measured_on).collect();
        d.dedup();
        d
    };
    assert_eq!(days.len(), 4);
    for (i, day) in days.iter().enumerate() {
        let get = |kind: &str| {
            weights
                .iter()
                .find(|m| m.measured_on == *day && m.kind.code() == kind)
                .map(|m| m.value)
        };
        let history: Vec<serde_json::Value> = days[..i]
            .iter()
            .map(|d| {
                let w = weights
                    .iter()
                    .find(|m| m.measured_on == *d && m.kind.code() == "berat")
                    .unwrap();
                serde_json::json!({ "date": d.to_string(), "weight_kg": w.value })
            })
            .collect();
        let line = serde_json::json!({
            "id": day.to_string(),
            "sex": "F",
            "birth_date": "2024-03-10",
            "visit_date": day.to_string(),
            "measurements": { "weight_kg": get("berat"), "lenhei_cm": get("panjang"), "measure": "l" },
            "previous_weighings": history,
        });
        input.push_str(&line.to_string());
        input.push('\n');
    }
    let mut child = Command::new(BIN)
        .arg("screen")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), input.as_bytes()).unwrap();
    let screened = child.wait_with_output().unwrap();
    let mut want: Vec<(String, String)> = Vec::new();
    for line in text(&screened.stdout).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let day = v["id"].as_str().unwrap().to_owned();
        for f in v["findings"].as_array().unwrap() {
            want.push((day.clone(), f["code"].as_str().unwrap().to_owned()));
        }
    }
    let mut got: Vec<(String, String)> = stored
        .iter()
        .map(|f| (f.found_on.to_string(), f.code.clone()))
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    // The card reads B, then N, T and 2T; every finding carries the z-scores.
    for (day, code) in [
        ("2025-03-10", "kms_b"),
        ("2025-04-10", "kms_n"),
        ("2025-05-10", "kms_t"),
        ("2025-06-10", "kms_2t"),
    ] {
        assert!(
            got.contains(&(day.to_owned(), code.to_owned())),
            "{code} on {day}: {got:?}"
        );
    }
    assert!(
        stored
            .iter()
            .all(|f| f.detail.as_deref().is_some_and(|d| d.contains("zwei ")))
    );
    // Importing again stores no second finding.
    let again = run(
        &["import", file.to_str().unwrap(), "--unit", MELATI],
        &url(&db),
    );
    assert!(text(&again.stdout).contains("Temuan (status KMS, gizi) baru disimpan: 0."));
    assert!(text(&again.stdout).contains("penimbangan baru 0, sudah ada 4"));
}

#[test]
fn errors_file_never_replaces_the_database_the_register_or_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let db_bytes = std::fs::metadata(&db).unwrap().len();
    let persons = "SELECT COUNT(*) FROM person";
    let n = count(&db, persons);
    let file = write(
        dir.path(),
        "r.csv",
        "nama;jk;tgl_lahir;tgl_ukur;berat\nBima Sakti;L;2024-05-01;2025-05-01;9.1\nX;Q;2024-05-01;;\n",
    );
    let f = file.to_str().unwrap();
    let u = url(&db);
    for (errors, extra) in [
        (db.to_str().unwrap(), &["--check"][..]),
        (db.to_str().unwrap(), &["--force"][..]),
        (f, &[][..]),
    ] {
        let mut args = vec!["import", f, "--unit", MELATI, "--errors", errors];
        args.extend_from_slice(extra);
        let o = run(&args, &u);
        assert!(!o.status.success());
        assert!(o.stdout.is_empty(), "{}", text(&o.stdout));
        assert!(text(&o.stderr).contains(errors), "{}", text(&o.stderr));
    }
    assert_eq!(std::fs::metadata(&db).unwrap().len(), db_bytes);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("nama;jk")
    );
    assert_eq!(count(&db, persons), n, "a refused run stored something");

    // An existing file: refused and kept; replaced with --force.
    let old = write(dir.path(), "salah.csv", "keep me\n");
    let o = run(
        &[
            "import",
            f,
            "--unit",
            MELATI,
            "--errors",
            old.to_str().unwrap(),
        ],
        &u,
    );
    assert!(
        text(&o.stderr).contains("sudah ada: pilih nama lain, atau --force"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(&old).unwrap(), "keep me\n");
    assert_eq!(count(&db, persons), n);
    let o = run(
        &[
            "import",
            f,
            "--unit",
            MELATI,
            "--errors",
            old.to_str().unwrap(),
            "--force",
        ],
        &u,
    );
    assert!(!o.status.success());
    let csv = std::fs::read_to_string(&old).unwrap();
    assert!(
        csv.starts_with("baris,kolom,nilai,alasan\n3,jk,Q,"),
        "{csv}"
    );
    assert_eq!(count(&db, persons), n + 1);
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// 300 rows of 75 new children in Melati.
fn register(dir: &Path) -> PathBuf {
    let mut body = String::from("nama;jk;tgl_lahir;nama_ibu;tgl_ukur;berat;tinggi\n");
    for i in 0..75 {
        for m in 1..=4 {
            body.push_str(&format!(
                "Anak Uji {i};{};2024-{:02}-15;Ibu Uji {i};2025-{m:02}-15;{:.1};{:.1}\n",
                if i % 2 == 0 { "L" } else { "P" },
                1 + i % 9,
                6.0 + f64::from(m) * 0.3,
                62.0 + f64::from(m)
            ));
        }
    }
    write(dir, "bulk.csv", &body)
}

#[test]
fn a_database_that_cannot_write_stops_at_the_first_failure_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = register(dir.path());
    let f = file.to_str().unwrap();
    let m = count(&db, "SELECT COUNT(*) FROM measurement");
    // Read-only: every write fails; the import stops at once with one message.
    let ro = format!("{}?mode=ro", url(&db));
    let o = run(&["import", f, "--unit", MELATI], &ro);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("impor berhenti di baris") && err.contains("jalankan perintah yang sama lagi"),
        "{err}"
    );
    assert_eq!(
        text(&o.stdout)
            .lines()
            .filter(|l| l.contains("gagal"))
            .count(),
        0
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM measurement"), m);
    let o = run(&["import", f, "--unit", MELATI], &url(&db));
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Disimpan 300 baris: orang baru 75, sudah ada 0"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM measurement"), m + 600);
}

/// A full disk, on a small tmpfs (needs root; skipped with a message otherwise).
#[test]
fn a_full_disk_stops_the_import_once_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    // Room for the rerun: the writer's WAL grows to 4,000 pages (16 MB) before it is
    // checkpointed, plus the rows themselves.
    let size = std::fs::metadata(demo_template()).unwrap().len() / (1 << 20) + 32;
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}m"), "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: cannot mount a tmpfs (not root): full-disk import test not run");
        return;
    }
    struct Unmount(PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = Command::new("umount").arg(&self.0).status();
        }
    }
    let _guard = Unmount(mnt.clone());
    let db = demo_copy(&mnt);
    let file = register(dir.path());
    let f = file.to_str().unwrap();
    // Leave a little room: a few rows fit, then the disk is full.
    let filler = mnt.join("filler");
    let stat = Command::new("df")
        .args(["--output=avail", "-B1"])
        .arg(&mnt)
        .output()
        .unwrap();
    let avail: u64 = text(&stat.stdout)
        .lines()
        .nth(1)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    std::fs::write(
        &filler,
        vec![1u8; usize::try_from(avail.saturating_sub(256 << 10)).unwrap()],
    )
    .ok();
    let o = run(&["import", f, "--unit", MELATI], &url(&db));
    let err = text(&o.stderr);
    assert!(!o.status.success());
    // One error, last; before it the summary of the rows stored before the disk filled
    // (how many fit depends on how SQLite spends the room between its WAL and the file).
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("galat")).collect();
    assert_eq!(errors.len(), 1, "{err}");
    assert_eq!(err.lines().last(), Some(errors[0]), "{err}");
    assert!(errors[0].contains("impor berhenti di baris"), "{err}");
    std::fs::remove_file(&filler).unwrap();
    let o = run(&["import", f, "--unit", MELATI], &url(&db));
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    assert!(out.contains("Disimpan 300 baris"), "{out}");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM person WHERE name LIKE 'Anak Uji %'"
        ),
        75
    );
}

#[test]
fn nama_ibu_is_kept_with_the_person_and_lang_en_reports_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let file = write(
        dir.path(),
        "p.csv",
        "Nama Anak;JK;Tgl Lahir;Nama Ortu;Tgl Ukur;BB\n\
         Keisha Aulia;P;15/09/2024;Ratna  Dewi;05/03/2025;7,6\n\
         Budi;X;15/09/2024;Sri;05/03/2025;7,6\n",
    );
    let o = run(
        &[
            "import",
            file.to_str().unwrap(),
            "--unit",
            MELATI,
            "--lang",
            "en",
        ],
        &url(&db),
    );
    let out = text(&o.stdout);
    assert!(!o.status.success());
    assert!(
        out.contains("Stored 1 lines: new persons 1, already there 0; new weighings 1"),
        "{out}"
    );
    assert!(out.contains("Rejected 1 lines."), "{out}");
    assert!(
        out.contains("line 3, column jk = 'X': use L (male"),
        "{out}"
    );
    assert!(!out.contains("wajib") && !out.contains("baris"), "{out}");
    assert!(
        text(&o.stderr).contains("1 lines not stored"),
        "{}",
        text(&o.stderr)
    );
    let kept = rows(
        &db,
        "SELECT parent_name FROM person WHERE name = 'Keisha Aulia'",
    );
    assert_eq!(kept, vec![vec!["Ratna Dewi".to_owned()]]);
    // Read back through the store.
    let id = rows(&db, "SELECT id FROM person WHERE name = 'Keisha Aulia'")
        .remove(0)
        .remove(0);
    let p = block(async {
        let s = open(&db).await;
        let p = s
            .person(
                &Actor::system("test"),
                PersonId(uuid::Uuid::parse_str(&id).unwrap()),
            )
            .await
            .unwrap();
        s.close().await;
        p
    });
    assert_eq!(p.parent_name.as_deref(), Some("Ratna Dewi"));
}

/// The demo's past service days are closed, at noon WIB of their own date, by the demo
/// (its template is shared with the import tests above, hence here).
#[test]
fn the_demo_closes_its_past_days() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_copy(dir.path());
    let days = count(&db, "SELECT COUNT(*) FROM service_day");
    assert!(days > 250, "{days}");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM service_day WHERE closed_at IS NULL"
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM service_day WHERE closed_by = 'system:demo' \
             AND closed_at LIKE day || 'T05:00:00%'"
        ),
        days
    );
}
