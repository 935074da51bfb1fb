//! Stories about deletions in sync: deleted on one side and edited on the other goes to
//! review, never decided silently.

use store::*;
use time::macros::date;

use crate::fixture::*;

/// A device deletes a person it saw at a version: unchanged since, it is deleted (and the
/// same deletion again changes nothing); edited on the server since, it stays and the review
/// list gets `deleted`, which the bidan decides either way. Deleted on the server and edited
/// on a device: the review list gets `deleted` and the edited field; the field waits until
/// the record is restored.
pub async fn deletions_against_edits_go_to_review(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let kader_a = kader(&store, &r.posyandu_a, "kader.hapus").await;
    let delete = |p: &Person| Deletion {
        id: p.id.0,
        base_version: p.meta.version,
        reason: "pindah desa".into(),
    };

    // Unchanged on the server: deleted, once.
    let plain = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Ani", Sex::Female, date!(2023 - 01 - 01)),
    )
    .await;
    let m = store
        .merge_delete(&kader_a, EntityKind::Person, &delete(&plain))
        .await
        .unwrap();
    assert_eq!(
        (m.applied.clone(), m.reviews.len()),
        (vec!["deleted".to_owned()], 0)
    );
    assert!(
        store
            .person(&sys, plain.id)
            .await
            .unwrap()
            .meta
            .deleted
            .is_some()
    );
    let m = store
        .merge_delete(&kader_a, EntityKind::Person, &delete(&plain))
        .await
        .unwrap();
    assert!(m.applied.is_empty() && m.reviews.is_empty(), "{m:?}");

    // Edited on the server after the device saw it: review; the device's side deletes.
    for keep_device in [true, false] {
        let seen_base = person(&r.posyandu_a, "Budi", Sex::Male, date!(2022 - 03 - 01));
        let seen = add_person(&store, &sys, &seen_base).await;
        let mut tx = store.begin(&sys).await.unwrap();
        tx.update_person(
            seen.meta.version,
            &NewPerson {
                phone: Some("0811".into()),
                ..seen_base.clone()
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let m = store
            .merge_delete(&kader_a, EntityKind::Person, &delete(&seen))
            .await
            .unwrap();
        assert_eq!((m.applied.len(), m.reviews.len()), (0, 1), "{m:?}");
        assert!(
            store
                .person(&sys, seen.id)
                .await
                .unwrap()
                .meta
                .deleted
                .is_none(),
            "kept until chosen"
        );
        let again = store
            .merge_delete(&kader_a, EntityKind::Person, &delete(&seen))
            .await
            .unwrap();
        assert_eq!(again.reviews, m.reviews, "a replay finds its review open");
        let open = store.open_reviews(&sys, seen.id).await.unwrap();
        assert_eq!(
            (
                open[0].field.as_str(),
                &open[0].server_value,
                &open[0].device_value
            ),
            (
                "deleted",
                &serde_json::json!(false),
                &serde_json::json!(true)
            )
        );
        store
            .resolve_review(&sys, m.reviews[0], keep_device)
            .await
            .unwrap();
        let now = store.person(&sys, seen.id).await.unwrap();
        assert_eq!(now.meta.deleted.is_some(), keep_device);
        assert_eq!(
            now.phone.as_deref(),
            Some("0811"),
            "the server's edit is not lost"
        );
    }

    // Deleted on the server, edited on a device: restore first, then take the field.
    let gone_base = person(&r.posyandu_a, "Sinta", Sex::Female, date!(2023 - 05 - 01));
    let gone = add_person(&store, &sys, &gone_base).await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.soft_delete(
        EntityKind::Person,
        gone.id.0,
        gone.meta.version,
        "salah input",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let m = store
        .merge_edit(
            &kader_a,
            &PersonEdit {
                base_version: gone.meta.version,
                base: gone_base.clone(),
                edited: NewPerson {
                    name: "Sinta Dewi".into(),
                    ..gone_base
                },
            },
        )
        .await
        .unwrap();
    assert_eq!(m.reviews.len(), 2, "deleted and name");
    let open = store.open_reviews(&sys, gone.id).await.unwrap();
    let id_of = |field: &str| {
        open.iter()
            .find(|r| r.field == field)
            .map(|r| r.id)
            .unwrap()
    };
    let e = store
        .resolve_review(&sys, id_of("name"), true)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Deleted { .. }), "{e}");
    store
        .resolve_review(&sys, id_of("deleted"), true)
        .await
        .unwrap();
    store
        .resolve_review(&sys, id_of("name"), true)
        .await
        .unwrap();
    let back = store.person(&sys, gone.id).await.unwrap();
    assert_eq!(
        (back.meta.deleted.is_none(), back.name.as_str()),
        (true, "Sinta Dewi")
    );
    let trail = store.audit_of(&sys, gone.id.0).await.unwrap();
    assert!(
        trail.iter().any(|e| e.detail["restored"] == true),
        "the restore is audited"
    );

    // A mother link ended on a device: deleted (relationships are made and ended, never
    // edited, so nothing on the server can have moved past the device's version).
    let mum = add_person(
        &store,
        &sys,
        &person(
            &r.posyandu_a,
            "Ibu Wati",
            Sex::Female,
            date!(1995 - 01 - 01),
        ),
    )
    .await;
    let kid = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Dedi", Sex::Male, date!(2025 - 01 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    let link = tx
        .create_relationship(&NewRelationship {
            id: RelationshipId::new(),
            person_id: mum.id,
            kind: RelationKind::MotherOf,
            related_person_id: kid.id,
        })
        .await
        .unwrap()
        .record;
    tx.commit().await.unwrap();
    let ended = Deletion {
        id: link.id.0,
        base_version: link.meta.version,
        reason: "salah ibu".into(),
    };
    let m = store
        .merge_delete(&kader_a, EntityKind::Relationship, &ended)
        .await
        .unwrap();
    assert_eq!(m.applied, vec!["deleted".to_owned()]);
    assert!(
        store
            .relationships_of(&sys, kid.id)
            .await
            .unwrap()
            .is_empty()
    );
    let e = store
        .merge_delete(&kader_a, EntityKind::Visit, &ended)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid { .. }),
        "captures are not deleted this way: {e}"
    );
}
