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

/// A household and a baby registered on the laptop, with the baby's weighing, arrive on the
/// server once (and come back edited); a person deleted on the laptop is deleted on the
/// server, unless the server changed it since: then it waits in the server's review list.
async fn registered_and_deleted_on_the_laptop(
    server: &Store,
    laptop: &Store,
    target: &Target,
    on_laptop: &Actor,
    officer: &User,
    py: &OrgUnit,
) {
    let sys = Actor::system("test");
    let hh = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: py.id,
        kk_number: None,
        head_name: "Sutrisno".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("02".into()),
        rw: Some("01".into()),
    };
    let baby = NewPerson {
        id: PersonId::new(),
        household_id: Some(hh.id),
        org_unit_id: py.id,
        name: "Bayi Ny. Sutrisno".into(),
        sex: Sex::Male,
        birth_date: date!(2025 - 06 - 01),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    };
    let visit = NewVisit {
        id: VisitId::new(),
        person_id: baby.id,
        service_day_id: None,
        org_unit_id: py.id,
        date: date!(2025 - 07 - 02),
        captured_at: OffsetDateTime::now_utc(),
    };
    let weight = NewMeasurement {
        id: MeasurementId::new(),
        person_id: baby.id,
        visit_id: Some(visit.id),
        org_unit_id: py.id,
        measured_on: date!(2025 - 07 - 02),
        kind: MeasurementKind::Weight,
        value: 4.1,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    };
    let mut tx = laptop.begin(on_laptop).await.unwrap();
    tx.create_household(&hh).await.unwrap();
    tx.create_person(&baby).await.unwrap();
    tx.capture_batch(&[visit.into(), weight.into()])
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.created, r.stored, r.refused), (2, 2, 0), "{r:?}");
    assert_eq!(r.not_sent, 0, "{r:?}");
    let there = server.person(&sys, baby.id).await.unwrap();
    assert_eq!(
        (there.name.as_str(), there.household_id),
        ("Bayi Ny. Sutrisno", Some(hh.id))
    );
    assert_eq!(
        server.measurements_of(&sys, baby.id).await.unwrap().len(),
        1
    );
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!(
        (
            r.created,
            r.stored,
            r.duplicates,
            r.refused,
            r.applied.written
        ),
        (0, 0, 0, 0, 0),
        "sent once: {r:?}"
    );
    let persons = server.persons_under(&sys, py.id).await.unwrap();
    assert_eq!(persons.iter().filter(|p| p.id == baby.id).count(), 1);
    assert_eq!(
        server.measurements_of(&sys, baby.id).await.unwrap().len(),
        1
    );

    // Named on the server: the laptop gets the name.
    let now = server.person(&sys, baby.id).await.unwrap();
    let mut tx = server.begin(&sys).await.unwrap();
    tx.update_person(
        now.meta.version,
        &NewPerson {
            name: "Arka".into(),
            ..baby.clone()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    sync_cmd::sync_once(laptop, target).await.unwrap();
    let here = laptop.person(&sys, baby.id).await.unwrap();
    assert_eq!(here.name, "Arka");
    assert_eq!(
        here.meta.version,
        server.person(&sys, baby.id).await.unwrap().meta.version
    );

    // Two persons of the server's, on the laptop too; both deleted on the laptop, one of
    // them edited on the server meanwhile.
    let on_server = |name: &str| NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: py.id,
        name: name.into(),
        sex: Sex::Female,
        birth_date: date!(1990 - 03 - 04),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    };
    let (gone, kept) = (on_server("Tini"), on_server("Wati"));
    let mut tx = server.begin(&sys).await.unwrap();
    tx.create_person(&gone).await.unwrap();
    tx.create_person(&kept).await.unwrap();
    tx.commit().await.unwrap();
    sync_cmd::sync_once(laptop, target).await.unwrap();
    let mut tx = laptop.begin(on_laptop).await.unwrap();
    for p in [&gone, &kept] {
        tx.soft_delete(EntityKind::Person, p.id.0, 1, "pindah domisili")
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let mut tx = server.begin(&sys).await.unwrap();
    tx.update_person(
        1,
        &NewPerson {
            phone: Some("0857".into()),
            ..kept.clone()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.merged, r.reviews, r.refused), (2, 1, 0), "{r:?}");
    let deleted = server.person(&sys, gone.id).await.unwrap();
    assert_eq!(
        deleted.meta.deleted.map(|d| d.reason).as_deref(),
        Some("pindah domisili")
    );
    assert!(
        server
            .person(&sys, kept.id)
            .await
            .unwrap()
            .meta
            .deleted
            .is_none()
    );
    let reviews = server
        .open_reviews_in_scope(&Actor::for_user(officer), 50)
        .await
        .unwrap();
    let on_kept: Vec<_> = reviews
        .iter()
        .filter(|r| r.entity_id == kept.id.0)
        .collect();
    assert_eq!(on_kept.len(), 1, "{reviews:?}");
    assert_eq!(on_kept[0].field, "deleted");
    assert_eq!(on_kept[0].device_value, serde_json::json!(true));
    // The laptop follows the server meanwhile: one deleted, the other back with its edit.
    assert!(
        laptop
            .person(&sys, gone.id)
            .await
            .unwrap()
            .meta
            .deleted
            .is_some()
    );
    let back = laptop.person(&sys, kept.id).await.unwrap();
    assert_eq!(
        (back.meta.deleted.is_none(), back.phone.as_deref()),
        (true, Some("0857"))
    );
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.merged, r.applied.written), (0, 0), "{r:?}");

    // Registered here before the push could create persons (the send cursor moved past it
    // then, as an older release did): found behind the cursor and sent.
    let old = on_server("Lama");
    let mut tx = laptop.begin(on_laptop).await.unwrap();
    tx.create_person(&old).await.unwrap();
    tx.commit().await.unwrap();
    sqlx::query("UPDATE sync_state SET pushed_seq = (SELECT value FROM seq_counter WHERE id = 1)")
        .execute(laptop.sqlite_pool().unwrap())
        .await
        .unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.created, r.refused), (1, 0), "{r:?}");
    assert_eq!(server.person(&sys, old.id).await.unwrap().name, "Lama");
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.created, r.duplicates), (0, 0), "{r:?}");
}

/// Whether the server's row of `table` is soft-deleted.
async fn deleted_on(server: &Store, table: &str, id: uuid::Uuid) -> bool {
    let sql = format!("SELECT deleted_at IS NOT NULL AS d FROM {table} WHERE id = $1");
    sqlx::query_scalar::<_, bool>(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(server.postgres_pool().unwrap())
        .await
        .unwrap()
}

fn woman(py: &OrgUnit, name: &str) -> NewPerson {
    NewPerson {
        id: PersonId::new(),
        household_id: None,
        org_unit_id: py.id,
        name: name.into(),
        sex: Sex::Female,
        birth_date: date!(1995 - 04 - 02),
        birth_date_estimated: false,
        nik: None,
        nik_is_mother: false,
        phone: None,
    }
}

fn referral_for(p: &NewPerson, py: &OrgUnit, reason: &str) -> NewReferral {
    NewReferral {
        id: ReferralId::new(),
        person_id: p.id,
        finding_id: None,
        org_unit_id: py.id,
        referred_on: date!(2025 - 07 - 01),
        to_facility: "Puskesmas Tempursari".into(),
        reason: reason.into(),
    }
}

fn pregnancy_of(p: &NewPerson, lmp: time::Date) -> NewPregnancy {
    NewPregnancy {
        id: PregnancyId::new(),
        person_id: p.id,
        lmp: Some(lmp),
        due_date: None,
        gravida: Some(2),
        para: Some(1),
        abortus: Some(0),
        high_risk: false,
    }
}

/// What the laptop changes besides persons' fields reaches the server through the same
/// merge as a phone's edits: a referral moved on with its note (and one moved on both
/// sides: the note to review), a pregnancy's end, a parent's name (merged with a server
/// edit of another field), deletions of a link, a pregnancy and a referral (one edited on
/// the server meanwhile: to review). A referral made and moved on here arrives moved on;
/// captures and referrals keep who made them here ("<kader> via <account>").
async fn laptop_changes_reach_the_server(
    server: &Store,
    laptop: &Store,
    target: &Target,
    officer: &User,
    py: &OrgUnit,
) {
    let sys = Actor::system("test");
    let kader = server
        .add_user(
            &sys,
            &NewUser {
                id: UserId::new(),
                username: "kader.melati".into(),
                display_name: "Kader Melati".into(),
                role: Role::Kader,
                org_unit_id: py.id,
            },
            &store::password::hash_new("kader.melati", PASSWORD).unwrap(),
        )
        .await
        .unwrap();
    let (mother, child) = (woman(py, "Rina"), woman(py, "Putri"));
    let child = NewPerson {
        birth_date: date!(2024 - 09 - 09),
        ..child
    };
    let link = NewRelationship {
        id: RelationshipId::new(),
        person_id: mother.id,
        kind: RelationKind::MotherOf,
        related_person_id: child.id,
    };
    let (ended, dropped) = (
        pregnancy_of(&mother, date!(2024 - 10 - 01)),
        pregnancy_of(&mother, date!(2023 - 01 - 01)),
    );
    let (advanced, gone, both) = (
        referral_for(&child, py, "BB tidak naik 2 kali"),
        referral_for(&child, py, "salah input"),
        referral_for(&mother, py, "tekanan darah tinggi"),
    );
    let mut tx = server.begin(&sys).await.unwrap();
    tx.create_person(&mother).await.unwrap();
    tx.create_person(&child).await.unwrap();
    tx.create_relationship(&link).await.unwrap();
    tx.open_pregnancy(&ended).await.unwrap();
    tx.open_pregnancy(&dropped).await.unwrap();
    for r in [&advanced, &gone, &both] {
        tx.create_referral(r).await.unwrap();
    }
    tx.commit().await.unwrap();
    sync_cmd::sync_once(laptop, target).await.unwrap();
    let kader_here = laptop
        .user_by_username("kader.melati")
        .await
        .unwrap()
        .unwrap();
    let by_kader = Actor::for_user(&kader_here);

    // On the laptop, by the kader.
    let mut tx = laptop.begin(&by_kader).await.unwrap();
    let r = tx
        .advance_referral(advanced.id, 1, ReferralStatus::Accepted, None)
        .await
        .unwrap();
    tx.advance_referral(
        advanced.id,
        r.meta.version,
        ReferralStatus::FollowedUp,
        Some("diperiksa dokter, diberi PMT"),
    )
    .await
    .unwrap();
    tx.advance_referral(
        both.id,
        1,
        ReferralStatus::Accepted,
        Some("diterima di posyandu"),
    )
    .await
    .unwrap();
    tx.record_pregnancy_outcome(
        ended.id,
        1,
        PregnancyOutcome::LiveBirth,
        date!(2025 - 07 - 05),
    )
    .await
    .unwrap();
    tx.set_parent_name(child.id, 1, "Rina").await.unwrap();
    tx.soft_delete(EntityKind::Relationship, link.id.0, 1, "salah ibu")
        .await
        .unwrap();
    tx.soft_delete(EntityKind::Pregnancy, dropped.id.0, 1, "dobel")
        .await
        .unwrap();
    tx.soft_delete(EntityKind::Referral, gone.id.0, 1, "salah input")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    // Meanwhile on the server: the child's phone, the same referral accepted with another
    // note, the pregnancy deleted on the laptop given an end.
    let mut tx = server.begin(&sys).await.unwrap();
    tx.update_person(
        1,
        &NewPerson {
            phone: Some("0877".into()),
            ..child.clone()
        },
    )
    .await
    .unwrap();
    tx.advance_referral(both.id, 1, ReferralStatus::Accepted, Some("diterima bidan"))
        .await
        .unwrap();
    tx.record_pregnancy_outcome(
        dropped.id,
        1,
        PregnancyOutcome::Abortion,
        date!(2023 - 03 - 01),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.merged, r.reviews, r.refused), (7, 2, 0), "{r:?}");
    assert_eq!(r.not_sent, 0, "{r:?}");
    let a = server.referral(&sys, advanced.id).await.unwrap();
    assert_eq!(
        (a.status, a.status_note.as_deref()),
        (
            ReferralStatus::FollowedUp,
            Some("diperiksa dokter, diberi PMT")
        )
    );
    let b = server.referral(&sys, both.id).await.unwrap();
    assert_eq!(
        (b.status, b.status_note.as_deref()),
        (ReferralStatus::Accepted, Some("diterima bidan"))
    );
    let p = server.pregnancies_of(&sys, mother.id).await.unwrap();
    let e = p.iter().find(|p| p.id == ended.id).unwrap();
    assert_eq!(
        (e.outcome, e.outcome_date),
        (
            Some(PregnancyOutcome::LiveBirth),
            Some(date!(2025 - 07 - 05))
        )
    );
    let c = server.person(&sys, child.id).await.unwrap();
    assert_eq!(
        (c.parent_name.as_deref(), c.phone.as_deref()),
        (Some("Rina"), Some("0877"))
    );
    assert!(deleted_on(server, "relationship", link.id.0).await);
    assert!(deleted_on(server, "referral", gone.id.0).await);
    assert!(!deleted_on(server, "pregnancy", dropped.id.0).await);
    let reviews = server
        .open_reviews_in_scope(&Actor::for_user(officer), 100)
        .await
        .unwrap();
    let on = |id: uuid::Uuid| reviews.iter().find(|r| r.entity_id == id).unwrap();
    let (note, del) = (on(both.id.0), on(dropped.id.0));
    assert_eq!(
        (note.field.as_str(), &note.device_value),
        ("status_note", &serde_json::json!("diterima di posyandu"))
    );
    assert_eq!(
        (del.field.as_str(), &del.device_value),
        ("deleted", &serde_json::json!(true))
    );
    // Choosing the laptop's note writes it (a new version), as for a person's field.
    server
        .resolve_review(&Actor::for_user(officer), note.id, true)
        .await
        .unwrap();
    assert_eq!(
        server
            .referral(&sys, both.id)
            .await
            .unwrap()
            .status_note
            .as_deref(),
        Some("diterima di posyandu")
    );
    // The laptop follows: nothing more to send.
    sync_cmd::sync_once(laptop, target).await.unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!(
        (r.merged, r.created, r.stored, r.refused),
        (0, 0, 0, 0),
        "{r:?}"
    );
    let here = laptop.referral(&sys, advanced.id).await.unwrap();
    assert_eq!(here.meta.version, a.meta.version);

    // Made and moved on here, with a weighing: arrives moved on, both naming the kader.
    let fresh = referral_for(&child, py, "gizi kurang");
    let visit = NewVisit {
        id: VisitId::new(),
        person_id: child.id,
        service_day_id: None,
        org_unit_id: py.id,
        date: date!(2025 - 07 - 08),
        captured_at: OffsetDateTime::now_utc(),
    };
    let weight = NewMeasurement {
        id: MeasurementId::new(),
        person_id: child.id,
        visit_id: Some(visit.id),
        org_unit_id: py.id,
        measured_on: date!(2025 - 07 - 08),
        kind: MeasurementKind::Weight,
        value: 8.9,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    };
    let mut tx = laptop.begin(&by_kader).await.unwrap();
    tx.capture_batch(&[visit.into(), weight.clone().into()])
        .await
        .unwrap();
    tx.create_referral(&fresh).await.unwrap();
    tx.advance_referral(fresh.id, 1, ReferralStatus::Accepted, Some("dibawa ibunya"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!(
        (r.created, r.stored, r.merged, r.refused),
        (1, 2, 1, 0),
        "{r:?}"
    );
    assert_eq!(r.not_sent, 0, "{r:?}");
    let f = server.referral(&sys, fresh.id).await.unwrap();
    assert_eq!(
        (f.status, f.status_note.as_deref()),
        (ReferralStatus::Accepted, Some("dibawa ibunya"))
    );
    let via = format!("{} via {}", kader.id, officer.id);
    let m = server.measurements_of(&sys, child.id).await.unwrap();
    let m = m.iter().find(|m| m.id == weight.id).unwrap();
    assert_eq!(m.captured_by, via);
    let audit = server.audit_of(&sys, fresh.id.0).await.unwrap();
    let made = audit
        .iter()
        .find(|a| a.action == AuditAction::Create)
        .unwrap();
    assert_eq!(made.actor, officer.id.to_string(), "the account pushed it");
    assert_eq!(made.detail["captured_by"], serde_json::json!(via));
    // The weighing stays the kader's on the laptop.
    let here = laptop.measurements_of(&sys, child.id).await.unwrap();
    assert_eq!(
        here.iter().find(|m| m.id == weight.id).unwrap().captured_by,
        kader.id.to_string()
    );
}

/// A household the server refuses for good (its unit is outside the account's subtree) is
/// parked: reported by the run that parked it, with the person registered into it, and
/// never sent again until changed here. A referral refused for a reason that can change
/// (its person deleted on the server) is sent again every run and stored once the person
/// is back.
async fn refused_for_good_is_parked(
    server: &Store,
    laptop: &Store,
    target: &Target,
    on_laptop: &Actor,
    py: &OrgUnit,
    outside: &OrgUnit,
) {
    let sys = Actor::system("test");
    // A person of the server's, on the laptop too.
    let moved = woman(py, "Pindah");
    let mut tx = server.begin(&sys).await.unwrap();
    tx.create_person(&moved).await.unwrap();
    tx.commit().await.unwrap();
    sync_cmd::sync_once(laptop, target).await.unwrap();
    // The laptop knows a unit of the server's that is outside the account's subtree (an
    // older copy): a household made there is out of scope on the server.
    let mut tx = laptop.begin(&sys).await.unwrap();
    let stray = NewOrgUnit {
        id: outside.id,
        ..unit(None, OrgLevel::Province, "99", "Salinan lama")
    };
    tx.create_org_unit(&stray).await.unwrap();
    tx.commit().await.unwrap();
    let hh = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: outside.id,
        kk_number: None,
        head_name: "Salah Unit".into(),
        address: None,
        rt: None,
        rw: None,
    };
    let member = NewPerson {
        household_id: Some(hh.id),
        ..woman(py, "Anggota")
    };
    let mut tx = laptop.begin(&sys).await.unwrap();
    tx.create_household(&hh).await.unwrap();
    tx.create_person(&member).await.unwrap();
    tx.commit().await.unwrap();
    // The person deleted on the server, referred on the laptop meanwhile.
    let mut tx = server.begin(&sys).await.unwrap();
    tx.soft_delete(EntityKind::Person, moved.id.0, 1, "pindah")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let waiting = referral_for(&moved, py, "batuk lama");
    let mut tx = laptop.begin(on_laptop).await.unwrap();
    tx.create_referral(&waiting).await.unwrap();
    tx.commit().await.unwrap();

    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    let parked: Vec<_> = r.parked.iter().map(|p| (p.kind, p.id)).collect();
    assert_eq!(
        parked,
        vec![
            (EntityKind::Household, hh.id.0),
            (EntityKind::Person, member.id.0)
        ],
        "{r:?}"
    );
    assert!(r.parked[1].reason.contains(&hh.id.to_string()), "{r:?}");
    let shown = r.to_string();
    assert!(
        shown.contains("tidak dikirim lagi") && shown.contains(&hh.id.to_string()),
        "{shown}"
    );
    assert!(server.household(&sys, hh.id).await.is_err());
    assert!(server.referral(&sys, waiting.id).await.is_err());
    // The next run: the parked ones are not sent nor reported; the referral is tried again.
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.parked.len(), r.refused), (0, 1), "{r:?}");
    assert!(!r.to_string().contains("tidak dikirim lagi"), "{r}");
    // The person back on the server: the referral goes through.
    let version = {
        let mut tx = server.begin(&sys).await.unwrap();
        tx.restore(EntityKind::Person, moved.id.0, 2).await.unwrap();
        tx.commit().await.unwrap();
        3
    };
    assert_eq!(
        server.person(&sys, moved.id).await.unwrap().meta.version,
        version
    );
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    assert_eq!((r.created, r.refused, r.parked.len()), (1, 0, 0), "{r:?}");
    assert_eq!(
        server.referral(&sys, waiting.id).await.unwrap().reason,
        "batuk lama"
    );
    // Changed here, the parked household is tried again (and parked again).
    let mut tx = laptop.begin(&sys).await.unwrap();
    tx.update_household(
        1,
        &NewHousehold {
            rt: Some("05".into()),
            ..hh.clone()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let r = sync_cmd::sync_once(laptop, target).await.unwrap();
    let parked: Vec<_> = r.parked.iter().map(|p| p.id).collect();
    assert_eq!(parked, vec![hh.id.0], "{r:?}");
}
