//! A Puskesmas laptop (SQLite) kept in step with a district server (the web router on
//! 127.0.0.1 over a fresh PostgreSQL database), both sides edited: `posyandu sync`'s run
//! (`sync_cmd::sync_once`) and the binary against a server that is down.
//!
//! Needs `POSYANDU_TEST_PG_URL`; without it the test is ignored (and with `CI=true` it
//! fails instead of skipping).
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use posyandu::sync_cmd::{self, Target};
use store::sqlx::{self, AssertSqlSafe};
use store::*;
use time::OffsetDateTime;
use time::macros::date;

#[path = "laptop_sync/changes.rs"]
mod changes;
#[path = "laptop_sync/records.rs"]
mod records;

use changes::{laptop_changes_reach_the_server, refused_for_good_is_parked};
use records::registered_and_deleted_on_the_laptop;

const PASSWORD: &str = "kata-sandi-laptop-2026";

struct Server {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

async fn start(store: &Store, addr: &str) -> Server {
    let listener = web::server::bind(addr).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let state = web::AppState {
        store: store.clone(),
        secure_cookies: false,
    };
    let task = tokio::spawn(async move {
        web::server::serve(listener, state, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    });
    Server {
        addr,
        stop: Some(tx),
        task,
    }
}

impl Server {
    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        let _ = self.task.await;
    }
}

/// A fresh PostgreSQL database (its URL and a handle to drop it), or `None` outside CI
/// when `POSYANDU_TEST_PG_URL` is unset.
async fn fresh_pg() -> Option<(String, String, Store)> {
    let Ok(admin_url) = std::env::var("POSYANDU_TEST_PG_URL") else {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but POSYANDU_TEST_PG_URL is unset"
        );
        eprintln!("skipping: POSYANDU_TEST_PG_URL is unset");
        return None;
    };
    let admin = Store::connect(&admin_url).await.unwrap();
    let name = format!("t_laptop_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.postgres_pool().unwrap())
        .await
        .unwrap();
    let base = admin_url.split('?').next().unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    Some((url, name, admin))
}

/// `posyandu sync` as a user runs it, off the runtime's workers (the server in this
/// process must go on answering).
async fn binary_sync(
    server: &str,
    pw: &std::path::Path,
    db: &std::path::Path,
) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_posyandu"));
    cmd.args(["sync", "--server", server, "--user", "officer.pkm"])
        .arg("--password-file")
        .arg(pw)
        .arg("--database-url")
        .arg(format!("sqlite://{}", db.display()));
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

fn unit(parent: Option<&OrgUnit>, level: OrgLevel, code: &str, name: &str) -> NewOrgUnit {
    NewOrgUnit {
        id: OrgUnitId::new(),
        parent_id: parent.map(|p| p.id),
        level,
        code: code.into(),
        name: name.into(),
        region_code: None,
        region_decree: None,
        time_zone: TimeZone::Wib,
    }
}

#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn laptop_and_district_server_stay_in_step() {
    let Some((url, name, admin)) = fresh_pg().await else {
        return;
    };
    let server = Store::connect(&url).await.unwrap();
    let outcome = tokio::spawn({
        let server = server.clone();
        async move { story(server).await }
    })
    .await;
    server.close().await;
    sqlx::query(AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)")))
        .execute(admin.postgres_pool().unwrap())
        .await
        .unwrap();
    admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn story(server: Store) {
    server.migrate().await.unwrap();
    let sys = Actor::system("test");
    // The district's tree, an officer of the Puskesmas (the laptop's account), a person.
    let mut tx = server.begin(&sys).await.unwrap();
    let mut add = async |u: NewOrgUnit| tx.create_org_unit(&u).await.unwrap().record;
    let prov = add(unit(None, OrgLevel::Province, "35", "Jawa Timur")).await;
    let kab = add(unit(Some(&prov), OrgLevel::Regency, "3508", "Lumajang")).await;
    let kec = add(unit(Some(&kab), OrgLevel::District, "350801", "Tempursari")).await;
    let pkm = add(unit(Some(&kec), OrgLevel::Puskesmas, "P01", "Puskesmas")).await;
    let desa = add(unit(
        Some(&pkm),
        OrgLevel::Village,
        "3508012001",
        "Tegalrejo",
    ))
    .await;
    let py = add(unit(Some(&desa), OrgLevel::Posyandu, "PY01", "Melati")).await;
    let base = NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: py.id,
        name: "Sari".into(),
        sex: Sex::Female,
        birth_date: date!(2024 - 01 - 05),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    };
    let p = tx.create_person(&base).await.unwrap().0.record;
    tx.commit().await.unwrap();
    let hash = store::password::hash_new("officer.pkm", PASSWORD).unwrap();
    let officer = server
        .add_user(
            &sys,
            &NewUser {
                id: UserId::new(),
                username: "officer.pkm".into(),
                display_name: "Petugas Puskesmas".into(),
                role: Role::PuskesmasOfficer,
                org_unit_id: pkm.id,
            },
            &hash,
        )
        .await
        .unwrap();

    let running = start(&server, "127.0.0.1:0").await;
    let addr = running.addr;
    let dir = tempfile::tempdir().unwrap();
    let pw = dir.path().join("pw");
    std::fs::write(&pw, format!("{PASSWORD}\n")).unwrap();
    let target = Target::new(&format!("http://{addr}/"), "officer.pkm", &pw).unwrap();
    let laptop = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("laptop.sqlite").display()
    ))
    .await
    .unwrap();
    laptop.migrate().await.unwrap();

    // First run: the Puskesmas' subtree comes down.
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert!(r.applied.written >= 5, "{r:?}");
    let here = laptop.person(&sys, p.id).await.unwrap();
    assert_eq!(here.name, "Sari");
    assert!(
        laptop.org_unit(&sys, kec.id).await.is_err(),
        "outside the subtree"
    );

    // A weighing on the laptop (by the officer, whose account came down) arrives once.
    let user_here = laptop
        .user_by_username("officer.pkm")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user_here.id, officer.id);
    let on_laptop = Actor::for_user(&user_here);
    let visit = NewVisit {
        id: VisitId::new(),
        person_id: p.id,
        service_day_id: None,
        org_unit_id: py.id,
        date: date!(2025 - 07 - 01),
        captured_at: OffsetDateTime::now_utc(),
    };
    let weight = NewMeasurement {
        id: MeasurementId::new(),
        person_id: p.id,
        visit_id: Some(visit.id),
        org_unit_id: py.id,
        measured_on: date!(2025 - 07 - 01),
        kind: MeasurementKind::Weight,
        value: 8.4,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    };
    let mut tx = laptop.begin(&on_laptop).await.unwrap();
    tx.capture_batch(&[visit.into(), weight.into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!((r.stored, r.duplicates, r.refused), (2, 0, 0), "{r:?}");
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!(
        (r.stored, r.duplicates, r.applied.written),
        (0, 0, 0),
        "{r:?}"
    );
    assert_eq!(server.measurements_of(&sys, p.id).await.unwrap().len(), 1);

    // Edited on the server: arrives on the laptop.
    let edit_on = async |store: &Store, f: &(dyn Fn(NewPerson) -> NewPerson + Sync)| {
        let now = store.person(&sys, p.id).await.unwrap();
        let mut tx = store.begin(&sys).await.unwrap();
        let new = f(NewPerson {
            name: now.name.clone(),
            phone: now.phone.clone(),
            ..base.clone()
        });
        tx.update_person(now.meta.version, &new).await.unwrap();
        tx.commit().await.unwrap();
    };
    edit_on(&server, &|p| NewPerson {
        name: "Sari Dewi".into(),
        ..p
    })
    .await;
    sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!(laptop.person(&sys, p.id).await.unwrap().name, "Sari Dewi");

    // Both sides, different fields: merged on both.
    edit_on(&server, &|p| NewPerson {
        name: "Sari Dewi Lestari".into(),
        ..p
    })
    .await;
    edit_on(&laptop, &|p| NewPerson {
        phone: Some("0812".into()),
        ..p
    })
    .await;
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!((r.merged, r.reviews), (1, 0), "{r:?}");
    for store in [&server, &laptop] {
        let now = store.person(&sys, p.id).await.unwrap();
        assert_eq!(
            (now.name.as_str(), now.phone.as_deref()),
            ("Sari Dewi Lestari", Some("0812"))
        );
    }
    let versions = (
        server.person(&sys, p.id).await.unwrap().meta.version,
        laptop.person(&sys, p.id).await.unwrap().meta.version,
    );
    assert_eq!(versions.0, versions.1);

    // Both sides, the same field differently: the server's review list, the server's
    // value on both meanwhile.
    edit_on(&server, &|p| NewPerson {
        phone: Some("0813".into()),
        ..p
    })
    .await;
    edit_on(&laptop, &|p| NewPerson {
        phone: Some("0899".into()),
        ..p
    })
    .await;
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!((r.merged, r.reviews), (1, 1), "{r:?}");
    let reviews = server
        .open_reviews_in_scope(&Actor::for_user(&officer), 10)
        .await
        .unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].field, "phone");
    assert_eq!(reviews[0].device_value, serde_json::json!("0899"));
    assert_eq!(
        laptop.person(&sys, p.id).await.unwrap().phone.as_deref(),
        Some("0813")
    );
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!((r.merged, r.stored, r.applied.written), (0, 0, 0), "{r:?}");

    // The server down: the run fails and nothing changes here; the next one succeeds.
    running.stop().await;
    let state = laptop.sync_state(&target.server).await.unwrap();
    edit_on(&laptop, &|p| NewPerson {
        name: "Sari D. Lestari".into(),
        ..p
    })
    .await;
    let e = sync_cmd::sync_once(&laptop, &target).await.unwrap_err();
    assert!(e.to_string().contains("tidak bisa dihubungi"), "{e:#}");
    assert_eq!(laptop.sync_state(&target.server).await.unwrap(), state);
    let running = start(&server, &addr.to_string()).await;
    let r = sync_cmd::sync_once(&laptop, &target).await.unwrap();
    assert_eq!(r.merged, 1, "{r:?}");
    assert_eq!(
        server.person(&sys, p.id).await.unwrap().name,
        "Sari D. Lestari"
    );

    registered_and_deleted_on_the_laptop(&server, &laptop, &target, &on_laptop, &officer, &py)
        .await;
    laptop_changes_reach_the_server(&server, &laptop, &target, &officer, &py).await;
    refused_for_good_is_parked(&server, &laptop, &target, &on_laptop, &py, &kec).await;

    // The binary: a server that does not answer is a clear failure, and no database is
    // created.
    let db = dir.path().join("never.sqlite");
    let out = binary_sync("http://127.0.0.1:9", &pw, &db).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("tidak bisa dihubungi"), "{stderr}");
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    assert!(!db.exists());
    // And against the running server it prints what it did.
    let out = binary_sync(&target.server, &pw, &db).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("diterima:"), "{stdout}");
    let _ = tokio::time::timeout(Duration::from_secs(5), running.stop()).await;
    laptop.close().await;
}
