//! Backups that can be trusted (issue 7, item 6), on the real binary and real files: every
//! corrupted byte is refused by the checksum, a backup without one needs `--unverified`, a
//! restore that fails half-way leaves no temporary file, and a restore waits for nobody: it
//! refuses while another process has the database open.
#![allow(clippy::unwrap_used)]

mod backup_common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use backup_common::*;
use store::*;

/// `cadangan.sqlite` (and its `.sha256`) made by the binary from `posyandu.sqlite` in `dir`.
fn backup(dir: &Path, db: &str) -> Vec<u8> {
    let out = posyandu(dir, &["backup", "--database-url", db, "cadangan.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dir.join("cadangan.sqlite.sha256").is_file());
    std::fs::read(dir.join("cadangan.sqlite")).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_corrupted_byte_is_refused_and_the_database_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("posyandu.sqlite");
    let store = Store::open_sqlite_file(&db).await.unwrap();
    store.migrate().await.unwrap();
    let unit = seed(&store).await;
    write_persons(&store, &unit, 30).await;
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    add_person(&mut tx, &unit, "Anak Ukur", 61.1).await;
    tx.commit().await.unwrap();
    store.close().await;
    let bytes = backup(root, "posyandu.sqlite");
    let sidecar = std::fs::read(root.join("cadangan.sqlite.sha256")).unwrap();
    let live = file_sum(&db);

    // Inside row data (the stored REAL 61.1 and a name), then anywhere in the file.
    let find = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .position(|w| w == needle)
            .unwrap()
    };
    let real = find(&61.1f64.to_be_bytes());
    let mut positions = vec![
        ("61.1, last mantissa byte".to_owned(), real + 7),
        ("61.1, exponent".to_owned(), real + 1),
        ("name 'Anak Ukur'".to_owned(), find(b"Anak Ukur") + 5),
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..16 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let len = u64::try_from(bytes.len()).unwrap();
        positions.push((format!("random {i}"), usize::try_from(x % len).unwrap()));
    }

    let mut structure_alone_accepts = Vec::new();
    for (i, (what, pos)) in positions.iter().enumerate() {
        let name = format!("rusak-{i}.sqlite");
        let mut bad = bytes.clone();
        bad[*pos] ^= 0x5a;
        std::fs::write(root.join(&name), &bad).unwrap();
        std::fs::write(root.join(format!("{name}.sha256")), &sidecar).unwrap();
        if check_sqlite_file(&root.join(&name)).await.is_ok() {
            structure_alone_accepts.push(what.clone());
        }
        let out = posyandu(root, &["restore", &name]);
        assert!(!out.status.success(), "{what} (byte {pos}) was accepted");
        assert!(
            stderr(&out).contains("checksum SHA-256 tidak cocok"),
            "{what}: {}",
            stderr(&out)
        );
        assert_eq!(file_sum(&db), live, "{what}: the live database changed");
        assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
    }
    eprintln!(
        "{} of {} corruptions pass integrity_check and the migration check alone: {:?}",
        structure_alone_accepts.len(),
        positions.len(),
        structure_alone_accepts
    );
    // What the checksum is for: damage to row data that the structure check cannot see.
    assert!(
        structure_alone_accepts
            .iter()
            .any(|w| w.starts_with("61.1, last")),
        "{structure_alone_accepts:?}"
    );

    // The intact backup restores.
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Checksum SHA-256 cocok"),
        "{}",
        stdout(&out)
    );
    assert_eq!(check_sqlite_file(&db).await.unwrap().persons, 31);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_without_checksum_needs_unverified() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("posyandu.sqlite");
    let before = database(&db, 5).await;
    backup(root, "posyandu.sqlite");
    let side = root.join("cadangan.sqlite.sha256");
    let live = file_sum(&db);

    std::fs::remove_file(&side).unwrap();
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert!(
        msg.contains("tidak punya checksum") && msg.contains("--unverified"),
        "{msg}"
    );
    assert_eq!(file_sum(&db), live);

    // A sidecar that is not a hash is never taken for "no checksum".
    std::fs::write(&side, "bukan hash\n").unwrap();
    let out = posyandu(root, &["restore", "--unverified", "cadangan.sqlite"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("bukan checksum SHA-256"),
        "{}",
        stderr(&out)
    );
    assert_eq!(file_sum(&db), live);

    std::fs::remove_file(&side).unwrap();
    let out = posyandu(root, &["restore", "--unverified", "cadangan.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Tanpa checksum"), "{}", stdout(&out));
    assert_eq!(check_sqlite_file(&db).await.unwrap(), before);
}

/// Runs the binary with writes beyond `limit_kb` KiB refused (EFBIG): a real write failure
/// that needs no root. SIGXFSZ is ignored, so the write fails instead of killing the process.
fn with_file_limit(dir: &Path, limit_kb: u64, args: &[&str]) -> Output {
    Command::new("sh")
        .current_dir(dir)
        .env_remove("POSYANDU_DATABASE_URL")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f \"$1\"; shift; exec \"$@\"")
        .arg("sh")
        // ulimit -f counts 512-byte blocks in dash and KiB in bash: either way below the size.
        .arg(limit_kb.to_string())
        .arg(bin())
        .args(args)
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_that_cannot_write_its_copy_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let live = root.join("posyandu.sqlite");
    let before = database(&live, 3).await;
    database(&root.join("besar.sqlite"), 600).await;
    let size = backup(root, "besar.sqlite").len() as u64;
    let sum = file_sum(&live);

    let out = with_file_limit(root, (size / 4096).max(1), &["restore", "cadangan.sqlite"]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert!(msg.contains("restore-tmp"), "{msg}");
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
    assert_eq!(file_sum(&live), sum);
    assert_eq!(check_sqlite_file(&live).await.unwrap(), before);
}

/// Unmounts the test's tmpfs whatever happens.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The case: a full disk. Needs `mount` (root); reported as skipped otherwise.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restore_onto_a_full_disk_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    database(&root.join("besar.sqlite"), 600).await;
    let size = backup(root, "besar.sqlite").len();
    let small = root.join("kecil.sqlite");
    let before = database(&small, 3).await;
    let small_size = std::fs::metadata(&small).unwrap().len() as usize;
    // Room for the live database and half the backup.
    let disk = root.join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o"])
        .arg(format!("size={}", small_size + size / 2))
        .arg("tmpfs")
        .arg(&disk)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: a_restore_onto_a_full_disk_leaves_nothing needs mount (root)");
        return;
    }
    let _guard = Mounted(disk.clone());
    let live = disk.join("posyandu.sqlite");
    std::fs::copy(&small, &live).unwrap();
    let sum = file_sum(&live);
    let url = live.to_str().unwrap();

    let out = posyandu(root, &["restore", "--database-url", url, "cadangan.sqlite"]);
    assert!(!out.status.success());
    let msg = stderr(&out);
    assert_eq!(msg.lines().count(), 1, "{msg}");
    assert!(msg.contains("No space left"), "{msg}");
    assert!(leftovers(&disk).is_empty(), "{:?}", leftovers(&disk));
    assert_eq!(file_sum(&live), sum);
    assert_eq!(check_sqlite_file(&live).await.unwrap(), before);
}

fn refused_in_use(out: &Output) -> bool {
    !out.status.success() && stderr(out).contains("sedang dibuka proses lain")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restore_refuses_while_another_process_has_the_database_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let db = root.join("posyandu.sqlite");
    let store = Store::open_sqlite_file(&db).await.unwrap();
    store.migrate().await.unwrap();
    let unit = seed(&store).await;
    write_persons(&store, &unit, 5).await;
    backup(root, "posyandu.sqlite");

    // This test process is the other process. First it only has the database open, idle,
    // as a server between requests.
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    assert!(refused_in_use(&out), "idle reader: {}", stderr(&out));
    // Then it is in the middle of a write.
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    add_person(&mut tx, &unit, "Anak Baru", 9.0).await;
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    assert!(refused_in_use(&out), "writer: {}", stderr(&out));
    tx.commit().await.unwrap();
    store.close().await;
    assert!(leftovers(root).is_empty(), "{:?}", leftovers(root));
    assert_eq!(check_sqlite_file(&db).await.unwrap().persons, 6);

    // Another posyandu process writing: a demo filling the same database.
    let demo = Command::new(bin())
        .current_dir(root)
        .env_remove("POSYANDU_DATABASE_URL")
        .args(["demo", "--persons", "3000"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let wal = root.join("posyandu.sqlite-wal");
    let started = Instant::now();
    while !wal.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "demo never opened"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    let demo_out = demo.wait_with_output().unwrap();
    assert!(refused_in_use(&out), "demo running: {}", stderr(&out));
    assert!(
        demo_out.status.success(),
        "the demo was disturbed: {}",
        String::from_utf8_lossy(&demo_out.stderr)
    );
    let filled = check_sqlite_file(&db).await.unwrap();
    assert!(filled.persons > 3000, "{filled:?}");

    // Nobody has it open: the restore goes through.
    let out = posyandu(root, &["restore", "cadangan.sqlite"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(check_sqlite_file(&db).await.unwrap().persons, 5);
    let kept: Vec<_> = leftovers(root)
        .into_iter()
        .filter(|n| n.contains("before-restore"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    let previous = check_sqlite_file(&root.join(&kept[0])).await.unwrap();
    assert_eq!(previous, filled, "the replaced database is kept whole");
}
