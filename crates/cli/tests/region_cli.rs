//! End to end with the real binary on an empty SQLite file, without the demo: `region init`
//! → `unit add puskesmas` + `posyandu` → `import` of a register → the rows are in the
//! database under the new posyandu; every command run again stores nothing.
#![allow(clippy::unwrap_used)]

mod region_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use store::{Actor, OrgPath, Store};

const BIN: &str = env!("CARGO_BIN_EXE_posyandu");
const MELATI: &str = "/35/3508/350801/P3508010101/3508012001/PY01/";
const ANGGREK: &str = "/35/3508/350801/P3508010101/3508012005/PY01/";

fn run(args: &[&str], db: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--database-url")
        .arg(format!("sqlite://{}", db.display()))
        .env_remove("POSYANDU_DATABASE_URL")
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap()
}

fn ok(args: &[&str], db: &Path) -> String {
    let o = run(args, db);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        o.status.success(),
        "{args:?} failed:\n{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// A command that must fail: exit 1, nothing on stdout, the message on stderr.
fn refused(args: &[&str], db: &Path) -> String {
    let o = run(args, db);
    assert_eq!(o.status.code(), Some(1), "{args:?}");
    assert!(
        o.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A small e-PPGBM-style register for two posyandu of the new tree (named by desa + name).
const REGISTER: &str = "\
nik;nama;jk;tgl_lahir;nama_ibu;kode_desa;posyandu;tgl_ukur;berat;tinggi
3508014503240001;Siti Aminah;P;05/03/2024;Hosnah;35.08.01.2001;Melati;05/01/2025;8,1;70,2
3508014503240001;Siti Aminah;P;05/03/2024;Hosnah;35.08.01.2001;Melati;05/02/2025;8,3;71,0
3508011207230002;Rafa Alfarizi;L;12/07/2023;Sumiati;35.08.01.2005;Anggrek;12/01/2025;10,4;79,5
";

#[test]
fn empty_database_to_imported_register_without_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kabupaten.sqlite");
    let rows = region_support::wilayah_rows();
    let kecamatan = region_support::csv_count(&rows, "35.08", &["kecamatan"]);

    let init = ok(&["region", "init", "35.08"], &db);
    assert!(
        init.contains(&format!(
            "Wilayah 35.08 Kabupaten Lumajang (Kepmendagri 300.2.2-2138/2025): {} unit baru, 0 sudah ada.",
            2 + kecamatan
        )),
        "{init}"
    );
    let pusk = ok(
        &[
            "unit",
            "add",
            "puskesmas",
            "Puskesmas Tempursari",
            "--kecamatan",
            "35.08.01",
            "--desa",
            "35.08.01.2001,3508012005",
        ],
        &db,
    );
    assert!(
        pusk.contains("Desa/kelurahan dilayani: 2 baru, 0 sudah ada."),
        "{pusk}"
    );
    assert!(pusk.contains("35.08.01.2005 Tempursari /35/3508/350801/P3508010101/3508012005/"));
    let melati = ok(
        &[
            "unit",
            "add",
            "posyandu",
            "Melati",
            "--desa",
            "35.08.01.2001",
        ],
        &db,
    );
    assert!(melati.contains(&format!("posyandu 'Posyandu Melati' ditambahkan: {MELATI}")));
    let anggrek = ok(
        &[
            "unit",
            "add",
            "posyandu",
            "Anggrek",
            "--desa",
            "35.08.01.2005",
        ],
        &db,
    );
    assert!(anggrek.contains(ANGGREK), "{anggrek}");

    let list = ok(&["unit", "list", "35.08.01"], &db);
    assert!(
        list.contains(&format!("      Posyandu Melati [posyandu] {MELATI}")),
        "{list}"
    );
    assert!(list.contains("1 kecamatan, 1 Puskesmas, 2 desa/kelurahan, 2 posyandu."));
    let desa_01 = region_support::csv_count(&rows, "35.08.01", &["desa", "kelurahan"]);
    assert!(list.contains(&format!(
        "{} dari {desa_01} desa/kelurahan belum punya Puskesmas",
        desa_01 - 2
    )));

    let register = dir.path().join("register.csv");
    std::fs::write(&register, REGISTER).unwrap();
    let imp = ok(
        &["import", register.to_str().unwrap(), "--unit", "/35/3508/"],
        &db,
    );
    assert!(
        imp.contains("Disimpan 3 baris: orang baru 2, sudah ada 0; penimbangan baru 3"),
        "{imp}"
    );
    let posyandu_file = fixture("register_posyandu.csv");
    let imp2 = ok(
        &["import", posyandu_file.to_str().unwrap(), "--unit", MELATI],
        &db,
    );
    assert!(
        imp2.contains("orang baru 2, sudah ada 0; penimbangan baru 3"),
        "{imp2}"
    );

    // Everything again: nothing new.
    let again = ok(&["region", "init", "3508"], &db);
    assert!(again.contains(": 0 unit baru,"), "{again}");
    let again = ok(
        &[
            "unit",
            "add",
            "puskesmas",
            "puskesmas tempursari",
            "--kecamatan",
            "350801",
            "--desa",
            "35.08.01.2001,35.08.01.2005",
        ],
        &db,
    );
    assert!(again.contains("sudah ada, tidak diubah"), "{again}");
    assert!(again.contains("0 baru, 2 sudah ada"), "{again}");
    let again = ok(
        &[
            "unit",
            "add",
            "posyandu",
            "Melati",
            "--desa",
            "35.08.01.2001",
        ],
        &db,
    );
    assert!(again.contains(&format!("sudah ada, tidak diubah: {MELATI}")));
    let again = ok(
        &["import", register.to_str().unwrap(), "--unit", "/35/3508/"],
        &db,
    );
    assert!(again.contains("penimbangan baru 0, sudah ada 3"), "{again}");

    // The rows are in the database, under the posyandu the officer made.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = Store::open_sqlite_file(&db).await.unwrap();
        let actor = Actor::system("test");
        let at = |p: &str| {
            let store = store.clone();
            let actor = actor.clone();
            let path = OrgPath::parse(p).unwrap();
            async move {
                let u = store
                    .org_unit_by_path(&actor, &path)
                    .await
                    .unwrap()
                    .unwrap();
                store.persons_under(&actor, u.id).await.unwrap()
            }
        };
        let melati = at(MELATI).await;
        let mut names: Vec<&str> = melati.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Arkan Hidayat", "Keisha Aulia", "Siti Aminah"]);
        let anggrek = at(ANGGREK).await;
        assert_eq!(anggrek.len(), 1);
        assert_eq!(anggrek[0].name, "Rafa Alfarizi");
        // Six weighings (three rows of each file), each a weight and a length or height.
        let weights = region_support::scalar(
            &store,
            "SELECT COUNT(*) FROM measurement WHERE kind = 'berat'",
        )
        .await;
        assert_eq!(weights, 6);
        let total = region_support::scalar(&store, "SELECT COUNT(*) FROM measurement").await;
        assert_eq!(total, 12);
        let outside = region_support::scalar(
            &store,
            "SELECT COUNT(*) FROM person WHERE org_path NOT LIKE '/35/3508/350801/P3508010101/%'",
        )
        .await;
        assert_eq!(outside, 0);
        store.close().await;
    });
}

#[test]
fn refusals_exit_1_with_the_code_named_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kabupaten.sqlite");
    let e = refused(&["region", "init", "35.99"], &db);
    assert!(e.contains("kode wilayah 35.99 tidak ada"), "{e}");
    ok(&["region", "init", "35.08"], &db);
    let footprint = || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async {
            let store = Store::open_sqlite_file(&db).await.unwrap();
            let f = region_support::footprint(&store).await;
            store.close().await;
            f
        })
    };
    let before = footprint();
    let e = refused(
        &[
            "unit",
            "add",
            "puskesmas",
            "Pronojiwo",
            "--kecamatan",
            "35.08.02",
            "--desa",
            "35.08.01.2001",
        ],
        &db,
    );
    assert!(
        e.contains("ada di kecamatan 35.08.01 Tempursari, bukan di kecamatan 35.08.02"),
        "{e}"
    );
    let e = refused(
        &[
            "unit",
            "add",
            "poskestren",
            "Al Falah",
            "--desa",
            "35.08.02.2001",
        ],
        &db,
    );
    assert!(e.contains("belum punya Puskesmas"), "{e}");
    assert_eq!(footprint(), before);
    let e = refused(&["unit", "list", "/35/3509/"], &db);
    assert!(e.contains("tidak ada unit dengan path /35/3509/"), "{e}");
    let list = ok(&["unit", "list"], &db);
    assert!(list.contains("Jawa Timur [provinsi 35] /35/"), "{list}");
    assert!(!list.contains("Puskesmas ["), "{list}");
}
