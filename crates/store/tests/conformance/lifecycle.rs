//! Stories about soft delete, pregnancy episodes, households and relationships.

use store::*;
use time::macros::date;

use crate::fixture::*;

pub async fn soft_delete_with_reason(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let p = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Dobel", Sex::Male, date!(2022 - 02 - 02)),
    )
    .await;
    let keep = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Tetap", Sex::Male, date!(2022 - 02 - 03)),
    )
    .await;

    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .soft_delete(EntityKind::Person, p.id.0, 1, "  ")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "reason",
                ..
            }
        ),
        "{err}"
    );
    let err = tx
        .soft_delete(EntityKind::Person, p.id.0, 7, "duplikat")
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { actual: 1, .. }),
        "{err}"
    );
    tx.soft_delete(EntityKind::Person, p.id.0, 1, "duplikat dengan Tetap")
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let listed = store.persons_under(&sys, r.posyandu_a.id).await.unwrap();
    assert_eq!(
        listed.iter().map(|x| x.id).collect::<Vec<_>>(),
        vec![keep.id]
    );
    let gone = store.person(&sys, p.id).await.unwrap();
    let deletion = gone.meta.deleted.expect("marked deleted");
    assert_eq!(deletion.reason, "duplikat dengan Tetap");
    assert_eq!(gone.meta.version, 2);
    assert!(gone.meta.seq > keep.meta.seq);

    // A deleted row cannot be edited or deleted again; the delete is audited with its reason.
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .soft_delete(EntityKind::Person, p.id.0, 2, "lagi")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Deleted { .. }), "{err}");
    drop(tx);
    let audit = store.audit_of(&sys, p.id.0).await.unwrap();
    assert_eq!(audit.last().unwrap().action, AuditAction::Delete);
    assert_eq!(
        audit.last().unwrap().detail["reason"],
        "duplikat dengan Tetap"
    );

    // Captures can be withdrawn the same way.
    let m = weight(&keep, &r.posyandu_a, date!(2025 - 02 - 01), 11.2);
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&m.clone().into()).await.unwrap();
    tx.soft_delete(EntityKind::Measurement, m.id.0, 1, "salah timbang")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert!(
        store
            .measurements_of(&sys, keep.id)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn pregnancy_episode(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let ibu = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Lestari", Sex::Female, date!(1998 - 04 - 04)),
    )
    .await;
    let pak = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Joko", Sex::Male, date!(1995 - 04 - 04)),
    )
    .await;
    let new = NewPregnancy {
        id: PregnancyId::new(),
        person_id: ibu.id,
        lmp: Some(date!(2025 - 01 - 10)),
        due_date: Some(date!(2025 - 10 - 17)),
        gravida: Some(2),
        para: Some(1),
        abortus: Some(0),
        high_risk: true,
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .open_pregnancy(&NewPregnancy {
            person_id: pak.id,
            ..new.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "person_id",
                ..
            }
        ),
        "{err}"
    );
    let err = tx
        .open_pregnancy(&NewPregnancy {
            due_date: Some(date!(2024 - 12 - 01)),
            ..new.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "due_date",
                ..
            }
        ),
        "{err}"
    );
    let opened = tx.open_pregnancy(&new).await.unwrap();
    assert_eq!(opened.outcome, Outcome::Inserted);
    assert_eq!(
        tx.open_pregnancy(&new).await.unwrap().outcome,
        Outcome::Duplicate
    );
    tx.commit().await.unwrap();

    let mut tx = store.begin(&sys).await.unwrap();
    let closed = tx
        .record_pregnancy_outcome(
            new.id,
            1,
            PregnancyOutcome::LiveBirth,
            date!(2025 - 10 - 12),
        )
        .await
        .unwrap();
    let err = tx
        .record_pregnancy_outcome(
            new.id,
            1,
            PregnancyOutcome::Stillbirth,
            date!(2025 - 10 - 12),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    drop(tx);
    // The failed second call ran in the same (dropped) transaction: nothing was kept.
    let stored = store.pregnancies_of(&sys, ibu.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].outcome, None);
    assert_eq!(closed.outcome, Some(PregnancyOutcome::LiveBirth));

    let mut tx = store.begin(&sys).await.unwrap();
    tx.record_pregnancy_outcome(
        new.id,
        1,
        PregnancyOutcome::LiveBirth,
        date!(2025 - 10 - 12),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let stored = store.pregnancies_of(&sys, ibu.id).await.unwrap();
    assert_eq!(stored[0].outcome, Some(PregnancyOutcome::LiveBirth));
    assert_eq!(stored[0].outcome_date, Some(date!(2025 - 10 - 12)));
    assert_eq!(stored[0].gravida, Some(2));
    assert!(stored[0].high_risk);
    assert_eq!(stored[0].meta.version, 2);
}

pub async fn household_and_relationships(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let new = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: Some("3508010101200001".into()),
        head_name: "Sugeng".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("001".into()),
        rw: Some("002".into()),
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .create_household(&NewHousehold {
            kk_number: Some("12345".into()),
            ..new.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "kk_number",
                ..
            }
        ),
        "{err}"
    );
    let hh = tx.create_household(&new).await.unwrap().record;
    let mut homeless = person(&r.posyandu_a, "Tanpa KK", Sex::Male, date!(2020 - 01 - 01));
    homeless.household_id = Some(HouseholdId::new());
    let err = tx.create_person(&homeless).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "household_id",
                ..
            }
        ),
        "{err}"
    );
    let mut ibu = person(
        &r.posyandu_a,
        "Sulastri",
        Sex::Female,
        date!(1995 - 05 - 05),
    );
    ibu.household_id = Some(hh.id);
    let mut anak = person(&r.posyandu_a, "Dimas", Sex::Male, date!(2024 - 08 - 08));
    anak.household_id = Some(hh.id);
    let ibu = tx.create_person(&ibu).await.unwrap().0.record;
    let anak = tx.create_person(&anak).await.unwrap().0.record;
    let link = NewRelationship {
        id: RelationshipId::new(),
        person_id: ibu.id,
        kind: RelationKind::MotherOf,
        related_person_id: anak.id,
    };
    let err = tx
        .create_relationship(&NewRelationship {
            person_id: anak.id,
            related_person_id: ibu.id,
            ..link.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "kind", .. }),
        "a mother is a woman: {err}"
    );
    let err = tx
        .create_relationship(&NewRelationship {
            related_person_id: ibu.id,
            ..link.clone()
        })
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "related_person_id",
                ..
            }
        ),
        "{err}"
    );
    tx.create_relationship(&link).await.unwrap();
    assert_eq!(
        tx.create_relationship(&link).await.unwrap().outcome,
        Outcome::Duplicate
    );
    tx.commit().await.unwrap();

    let rels = store.relationships_of(&sys, anak.id).await.unwrap();
    assert_eq!(rels.len(), 1);
    assert_eq!(
        (rels[0].person_id, rels[0].kind),
        (ibu.id, RelationKind::MotherOf)
    );
    assert_eq!(
        store
            .households_under(&sys, r.desa_a.id)
            .await
            .unwrap()
            .len(),
        1
    );

    // Versioned update; the KK number never shows in Debug output or the audit trail.
    let mut tx = store.begin(&sys).await.unwrap();
    let moved = NewHousehold {
        kk_number: Some("3508010101200002".into()),
        rt: Some("003".into()),
        ..new.clone()
    };
    let updated = tx.update_household(1, &moved).await.unwrap();
    assert!(matches!(
        tx.update_household(1, &moved).await,
        Err(StoreError::Conflict { .. })
    ));
    drop(tx);
    assert_eq!(updated.meta.version, 2);
    assert_eq!(
        store.household(&sys, hh.id).await.unwrap().meta.version,
        1,
        "the conflict rolled back the Tx"
    );
    let mut tx = store.begin(&sys).await.unwrap();
    tx.update_household(1, &moved).await.unwrap();
    tx.commit().await.unwrap();
    let stored = store.household(&sys, hh.id).await.unwrap();
    assert_eq!(stored.rt.as_deref(), Some("003"));
    assert!(!format!("{stored:?} {new:?}").contains("350801010120000"));
    let trail = store.audit_of(&sys, hh.id.0).await.unwrap();
    assert_eq!(trail.len(), 2);
    let text = format!("{} {}", trail[0].detail, trail[1].detail);
    assert!(!text.contains("350801010120000"), "{text}");
    assert_eq!(trail[1].detail["changed"]["rt"]["to"], "003");
}

pub async fn user_moves_and_deactivation(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let kader_a = kader(&store, &r.posyandu_a, "kader.pindah").await;
    let Principal::User(uid) = kader_a.principal else {
        panic!("a user actor")
    };
    let user = store.user(&sys, uid).await.unwrap();
    assert_eq!(user.org_path, r.posyandu_a.path);

    // A kader cannot move themselves out of their subtree.
    let to_b = NewUser {
        id: uid,
        username: "kader.pindah".into(),
        display_name: "Kader Pindah".into(),
        role: Role::Kader,
        org_unit_id: r.posyandu_b.id,
    };
    let mut tx = store.begin(&kader_a).await.unwrap();
    let err = tx.update_user(1, &to_b).await.unwrap_err();
    assert!(matches!(err, StoreError::OutOfScope { .. }), "{err}");
    drop(tx);

    // The Puskesmas moves them; their scope follows, and the old actor is stale.
    let officer = sys.narrowed(&r.puskesmas.path);
    let mut tx = store.begin(&officer).await.unwrap();
    let moved = tx.update_user(1, &to_b).await.unwrap();
    let err = tx.update_user(1, &to_b).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    drop(tx);
    assert_eq!(moved.org_path, r.posyandu_b.path);
    let mut tx = store.begin(&officer).await.unwrap();
    tx.update_user(1, &to_b).await.unwrap();
    let renamed = NewUser {
        username: "lain".into(),
        ..to_b.clone()
    };
    let err = tx.update_user(2, &renamed).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Invalid {
                field: "username",
                ..
            }
        ),
        "{err}"
    );
    drop(tx);
    let mut tx = store.begin(&officer).await.unwrap();
    let moved = tx.update_user(1, &to_b).await.unwrap();
    tx.commit().await.unwrap();
    let now_b = Actor::for_user(&moved);
    assert_eq!(now_b.scope, r.posyandu_b.path);

    // Deactivated: no login, history kept.
    let mut tx = store.begin(&officer).await.unwrap();
    let off = tx.set_user_active(uid, 2, false).await.unwrap();
    tx.commit().await.unwrap();
    assert!(!off.active);
    assert!(
        store
            .user_by_username("kader.pindah")
            .await
            .unwrap()
            .is_none()
    );
    let trail = store.audit_of(&sys, uid.0).await.unwrap();
    let actions: Vec<_> = trail.iter().map(|a| a.action).collect();
    assert_eq!(
        actions,
        vec![
            AuditAction::Create,
            AuditAction::Update,
            AuditAction::Update
        ]
    );
    assert_eq!(
        trail[1].detail["changed"]["org_unit_id"]["to"],
        r.posyandu_b.id.to_string()
    );
}
