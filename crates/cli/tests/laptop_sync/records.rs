//! Records registered and deleted on the laptop, and the records the other parts make
//! (part of the story in `laptop_sync.rs`).

use super::*;

/// A household and a baby registered on the laptop, with the baby's weighing, arrive on the
/// server once (and come back edited); a person deleted on the laptop is deleted on the
/// server, unless the server changed it since: then it waits in the server's review list.
pub(super) async fn registered_and_deleted_on_the_laptop(
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
pub(super) async fn deleted_on(server: &Store, table: &str, id: uuid::Uuid) -> bool {
    let sql = format!("SELECT deleted_at IS NOT NULL AS d FROM {table} WHERE id = $1");
    sqlx::query_scalar::<_, bool>(AssertSqlSafe(sql))
        .bind(id.to_string())
        .fetch_one(server.postgres_pool().unwrap())
        .await
        .unwrap()
}

pub(super) fn woman(py: &OrgUnit, name: &str) -> NewPerson {
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

pub(super) fn referral_for(p: &NewPerson, py: &OrgUnit, reason: &str) -> NewReferral {
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

pub(super) fn pregnancy_of(p: &NewPerson, lmp: time::Date) -> NewPregnancy {
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
