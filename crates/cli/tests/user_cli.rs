//! `posyandu user` with the real binary: the first admin of a fresh region, password rules,
//! a new password, deactivation — checked against what the store then holds.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn posyandu(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .args(args)
        .current_dir(dir)
        .env_remove("POSYANDU_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_admin_password_and_deactivation() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = posyandu(root, &["region", "init", "35.08"], "");
    assert!(init.status.success(), "{}", text(&init.stderr));

    let add = |password: &str, unit: &str| {
        posyandu(
            root,
            &[
                "user",
                "add",
                "--username",
                "admin.lumajang",
                "--name",
                "Admin Dinkes Lumajang",
                "--role",
                "admin_dinkes",
                "--unit",
                unit,
                "--password-stdin",
            ],
            &format!("{password}\n"),
        )
    };
    let weak = add("pendek", "/35/3508/");
    assert!(!weak.status.success());
    assert!(
        text(&weak.stderr).contains("kata sandi"),
        "{}",
        text(&weak.stderr)
    );
    let nowhere = add("kabupaten-sehat-2026", "/35/3599/");
    assert!(!nowhere.status.success());
    assert!(
        text(&nowhere.stderr).contains("/35/3599/"),
        "{}",
        text(&nowhere.stderr)
    );
    let ok = add("kabupaten-sehat-2026", "/35/3508/");
    assert!(ok.status.success(), "{}", text(&ok.stderr));
    assert!(text(&ok.stdout).contains("admin.lumajang"));
    assert!(
        !text(&ok.stdout).contains("kabupaten-sehat-2026"),
        "password echoed"
    );

    let url = format!("sqlite://{}", root.join("posyandu.sqlite").display());
    let store = store::Store::connect(&url).await.unwrap();
    let creds = store.credentials("admin.lumajang").await.unwrap().unwrap();
    assert!(creds.can_log_in());
    assert_eq!(creds.user.org_path.to_string(), "/35/3508/");
    assert!(store::password::verify(
        "kabupaten-sehat-2026",
        creds.password_hash.as_ref()
    ));
    // A session now, to see the new password and the deactivation end it.
    let now = time::OffsetDateTime::now_utc();
    let s = store
        .create_session(creds.user.id, now, store::SessionPolicy::default(), None)
        .await
        .unwrap();

    let pw = posyandu(
        root,
        &["user", "passwd", "admin.lumajang", "--password-stdin"],
        "kata-sandi-baru-2026\n",
    );
    assert!(pw.status.success(), "{}", text(&pw.stderr));
    let creds = store.credentials("admin.lumajang").await.unwrap().unwrap();
    assert!(store::password::verify(
        "kata-sandi-baru-2026",
        creds.password_hash.as_ref()
    ));
    assert!(!store::password::verify(
        "kabupaten-sehat-2026",
        creds.password_hash.as_ref()
    ));
    assert!(
        store.session(&s.token, now).await.unwrap().is_none(),
        "old session ended"
    );

    let off = posyandu(root, &["user", "deactivate", "admin.lumajang"], "");
    assert!(off.status.success(), "{}", text(&off.stderr));
    let creds = store.credentials("admin.lumajang").await.unwrap().unwrap();
    assert!(!creds.can_log_in());
    let missing = posyandu(root, &["user", "deactivate", "tidak.ada"], "");
    assert!(!missing.status.success());
    assert!(text(&missing.stderr).contains("tidak.ada"));
    store.close().await;
}

#[test]
fn list_shows_the_accounts_of_a_subtree_as_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = posyandu(root, &["region", "init", "35.08"], "");
    assert!(init.status.success(), "{}", text(&init.stderr));
    let empty = posyandu(root, &["user", "list"], "");
    assert!(empty.status.success(), "{}", text(&empty.stderr));
    assert!(text(&empty.stdout).contains("Belum ada pengguna"));

    // --unit takes a Kemendagri code as well as a path.
    for (username, name, role, unit) in [
        (
            "admin.lumajang",
            "Admin Dinkes Lumajang",
            "admin_dinkes",
            "/35/3508/",
        ),
        ("kader.tempursari", "Siti Aminah", "kader", "35.08.01"),
        (
            "bidan.pronojiwo",
            "Bidan Pronojiwo",
            "bidan",
            "/35/3508/350802/",
        ),
    ] {
        let add = posyandu(
            root,
            &[
                "user",
                "add",
                "--username",
                username,
                "--name",
                name,
                "--role",
                role,
                "--unit",
                unit,
                "--password-stdin",
            ],
            "puskesmas-sehat-2026\n",
        );
        assert!(add.status.success(), "{username}: {}", text(&add.stderr));
    }
    let off = posyandu(root, &["user", "deactivate", "bidan.pronojiwo"], "");
    assert!(off.status.success(), "{}", text(&off.stderr));

    let all = posyandu(root, &["user", "list"], "");
    assert!(all.status.success(), "{}", text(&all.stderr));
    let out = text(&all.stdout);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert!(lines[0].starts_with("NAMA PENGGUNA"), "{out}");
    for h in ["NAMA", "PERAN", "UNIT", "AKTIF"] {
        assert!(lines[0].contains(h), "{out}");
    }
    // Path order: the kabupaten's admin, then Tempursari (350801), then Pronojiwo (350802).
    fn cells(l: &str) -> Vec<&str> {
        l.split("  ")
            .filter(|c| !c.is_empty())
            .map(str::trim)
            .collect()
    }
    assert_eq!(
        cells(lines[1]),
        [
            "admin.lumajang",
            "Admin Dinkes Lumajang",
            "admin_dinkes",
            "Kabupaten Lumajang /35/3508/",
            "ya"
        ]
    );
    assert_eq!(
        cells(lines[2]),
        [
            "kader.tempursari",
            "Siti Aminah",
            "kader",
            "Tempursari /35/3508/350801/",
            "ya"
        ]
    );
    assert_eq!(cells(lines[3])[0], "bidan.pronojiwo");
    assert_eq!(cells(lines[3])[4], "tidak");
    // Columns line up: every row's role starts where the header's does.
    let at = lines[0].find("PERAN").unwrap();
    for l in &lines[1..4] {
        assert!(
            l[at..].starts_with("admin_dinkes")
                || l[at..].starts_with("kader")
                || l[at..].starts_with("bidan"),
            "{out}"
        );
    }
    assert_eq!(lines[4], "3 pengguna, 2 aktif.");

    let sub = posyandu(root, &["user", "list", "--under", "35.08.01"], "");
    assert!(sub.status.success(), "{}", text(&sub.stderr));
    let out = text(&sub.stdout);
    assert!(out.contains("kader.tempursari"), "{out}");
    assert!(
        !out.contains("admin.lumajang") && !out.contains("bidan.pronojiwo"),
        "{out}"
    );
    let sub = posyandu(root, &["user", "list", "--under", "/35/3508/350802/"], "");
    assert!(text(&sub.stdout).contains("bidan.pronojiwo"));

    let nowhere = posyandu(root, &["user", "list", "--under", "/35/3599/"], "");
    assert!(!nowhere.status.success());
    assert!(
        text(&nowhere.stderr).contains("/35/3599/"),
        "{}",
        text(&nowhere.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactivate_and_set_role_and_unit() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let init = posyandu(root, &["region", "init", "35.08"], "");
    assert!(init.status.success(), "{}", text(&init.stderr));
    let add = posyandu(
        root,
        &[
            "user",
            "add",
            "--username",
            "kader.tempursari",
            "--name",
            "Siti Aminah",
            "--role",
            "kader",
            "--unit",
            "35.08.01",
            "--password-stdin",
        ],
        "puskesmas-sehat-2026\n",
    );
    assert!(add.status.success(), "{}", text(&add.stderr));
    let url = format!("sqlite://{}", root.join("posyandu.sqlite").display());
    let store = store::Store::connect(&url).await.unwrap();
    let creds =
        |s: store::Store| async move { s.credentials("kader.tempursari").await.unwrap().unwrap() };

    let off = posyandu(root, &["user", "deactivate", "kader.tempursari"], "");
    assert!(off.status.success(), "{}", text(&off.stderr));
    assert!(!creds(store.clone()).await.can_log_in());
    let on = posyandu(root, &["user", "reactivate", "kader.tempursari"], "");
    assert!(on.status.success(), "{}", text(&on.stderr));
    assert!(
        text(&on.stdout).contains("aktif lagi"),
        "{}",
        text(&on.stdout)
    );
    let c = creds(store.clone()).await;
    assert!(c.can_log_in());

    // A new role and unit end the sessions.
    let now = time::OffsetDateTime::now_utc();
    let s = store
        .create_session(c.user.id, now, store::SessionPolicy::default(), None)
        .await
        .unwrap();
    let set = posyandu(
        root,
        &[
            "user",
            "set",
            "kader.tempursari",
            "--role",
            "bidan",
            "--unit",
            "/35/3508/350802/",
        ],
        "",
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let c = creds(store.clone()).await;
    assert_eq!(c.user.role, store::Role::Bidan);
    assert_eq!(c.user.org_path.to_string(), "/35/3508/350802/");
    assert!(store.session(&s.token, now).await.unwrap().is_none());

    // Only the role; nothing given; an unknown unit.
    let set = posyandu(
        root,
        &["user", "set", "kader.tempursari", "--role", "kader"],
        "",
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let c = creds(store.clone()).await;
    assert_eq!(c.user.role, store::Role::Kader);
    assert_eq!(c.user.org_path.to_string(), "/35/3508/350802/");
    let none = posyandu(root, &["user", "set", "kader.tempursari"], "");
    assert!(!none.status.success());
    let far = posyandu(
        root,
        &["user", "set", "kader.tempursari", "--unit", "/35/3599/"],
        "",
    );
    assert!(!far.status.success());
    assert!(
        text(&far.stderr).contains("/35/3599/"),
        "{}",
        text(&far.stderr)
    );
    store.close().await;
}
