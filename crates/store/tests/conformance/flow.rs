//! Stories about the change feed, audit atomicity, referrals, concurrency and migrations.

use store::*;
use time::macros::date;

use crate::fixture::*;

pub async fn change_sequence_pull(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let a = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "A", Sex::Male, date!(2021 - 01 - 01)),
    )
    .await;
    let b = add_person(
        &store,
        &sys,
        &person(&r.posyandu_b, "B", Sex::Male, date!(2021 - 01 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&weight(&a, &r.posyandu_a, date!(2025 - 01 - 02), 12.0).into())
        .await
        .unwrap();
    tx.capture(&weight(&b, &r.posyandu_b, date!(2025 - 01 - 02), 13.0).into())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    // Pull everything in pages of 3: strictly increasing, nothing missed or repeated.
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let page = store.pull_changes(&sys, after, 3).await.unwrap();
        assert!(page.changes.len() <= 3);
        seen.extend(page.changes.iter().map(|c| c.seq));
        after = page.next_after;
        if !page.more {
            break;
        }
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    // 8 org units + 2 persons + 2 measurements.
    assert_eq!(seen.len(), 12, "{seen:?}");

    // An edit moves the row to the end of the feed.
    let mut tx = store.begin(&sys).await.unwrap();
    let edit = NewPerson {
        name: "A2".into(),
        ..person(&r.posyandu_a, "A", Sex::Male, date!(2021 - 01 - 01))
    };
    let edit = NewPerson { id: a.id, ..edit };
    tx.update_person(1, &edit).await.unwrap();
    tx.commit().await.unwrap();
    let page = store.pull_changes(&sys, after, 100).await.unwrap();
    assert_eq!(page.changes.len(), 1);
    match &page.changes[0].record {
        Record::Person(p) => assert_eq!((p.id, p.name.as_str()), (a.id, "A2")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(!page.more);
    assert_eq!(
        store
            .pull_changes(&sys, page.next_after, 100)
            .await
            .unwrap()
            .changes
            .len(),
        0
    );

    // A kader's feed holds only their subtree.
    let kader_a = kader(&store, &r.posyandu_a, "kader.feed").await;
    let feed = store.pull_changes(&kader_a, 0, 1000).await.unwrap();
    assert!(!feed.changes.is_empty());
    for c in &feed.changes {
        let path = match &c.record {
            Record::OrgUnit(x) => &x.path,
            Record::User(x) => &x.org_path,
            Record::Person(x) => &x.org_path,
            Record::Measurement(x) => &x.org_path,
            other => panic!("unexpected {other:?}"),
        };
        assert!(r.posyandu_a.path.contains(path), "{path} leaked to kader A");
    }
}

pub async fn audit_in_same_transaction(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let audit_count = async || {
        store
            .pull_changes(&sys, 0, 10_000)
            .await
            .unwrap()
            .changes
            .len()
    };
    let before = audit_count().await;

    // Rolled back: neither the person nor its audit row exists.
    let new = person(&r.posyandu_a, "Batal", Sex::Female, date!(2020 - 01 - 01));
    let mut tx = store.begin(&sys).await.unwrap();
    tx.create_person(&new).await.unwrap();
    tx.rollback().await.unwrap();
    assert!(matches!(
        store.person(&sys, new.id).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.audit_of(&sys, new.id.0).await.unwrap().is_empty());
    assert_eq!(audit_count().await, before);

    // Dropped without commit after an error: same.
    let mut tx = store.begin(&sys).await.unwrap();
    tx.create_person(&new).await.unwrap();
    let bad = NewPerson {
        name: " ".into(),
        ..person(&r.posyandu_a, "", Sex::Male, date!(2020 - 01 - 01))
    };
    assert!(tx.create_person(&bad).await.is_err());
    drop(tx);
    assert!(store.audit_of(&sys, new.id.0).await.unwrap().is_empty());

    // Committed: the row and exactly one audit row, by the acting user.
    let kader_a = kader(&store, &r.posyandu_a, "kader.audit").await;
    let mut tx = store.begin(&kader_a).await.unwrap();
    tx.create_person(&new).await.unwrap();
    tx.commit().await.unwrap();
    let audit = store.audit_of(&sys, new.id.0).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor, kader_a.label());
    assert_eq!(audit[0].entity, EntityKind::Person);
    assert_eq!(audit[0].org_path, r.posyandu_a.path);
    // Audit rows are scoped too: a kader of B cannot read A's trail.
    let kader_b = kader(&store, &r.posyandu_b, "kader.b").await;
    assert!(store.audit_of(&kader_b, new.id.0).await.unwrap().is_empty());
}

pub async fn referral_lifecycle(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Putra", Sex::Male, date!(2023 - 03 - 03)),
    )
    .await;
    let new = NewReferral {
        id: ReferralId::new(),
        person_id: child.id,
        finding_id: None,
        org_unit_id: r.posyandu_a.id,
        referred_on: date!(2025 - 04 - 04),
        to_facility: "Puskesmas Tempursari".into(),
        reason: "BB tidak naik 2 kali (2T)".into(),
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let created = tx.create_referral(&new).await.unwrap().record;
    tx.commit().await.unwrap();
    assert_eq!(created.status, ReferralStatus::Created);

    let step = async |version: i64, to: ReferralStatus| {
        let mut tx = store.begin(&sys).await.unwrap();
        let res = tx
            .advance_referral(new.id, version, to, Some("catatan"))
            .await;
        if res.is_ok() {
            tx.commit().await.unwrap();
        }
        res
    };
    // Skipping a step or going back is refused.
    let err = step(1, ReferralStatus::FollowedUp).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidTransition {
                from: ReferralStatus::Created,
                to: ReferralStatus::FollowedUp
            }
        ),
        "{err}"
    );
    let err = step(1, ReferralStatus::Created).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidTransition { .. }), "{err}");
    assert_eq!(
        step(1, ReferralStatus::Accepted).await.unwrap().status,
        ReferralStatus::Accepted
    );
    // A stale version is a conflict, not a silent overwrite.
    assert!(matches!(
        step(1, ReferralStatus::FollowedUp).await,
        Err(StoreError::Conflict { .. })
    ));
    assert_eq!(
        step(2, ReferralStatus::FollowedUp)
            .await
            .unwrap()
            .meta
            .version,
        3
    );
    let done = step(3, ReferralStatus::Completed).await.unwrap();
    assert_eq!(done.status, ReferralStatus::Completed);
    assert_eq!(done.status_note.as_deref(), Some("catatan"));
    assert!(matches!(
        step(4, ReferralStatus::Completed).await,
        Err(StoreError::InvalidTransition { .. })
    ));

    let inbox = store
        .referrals_under(&sys, r.puskesmas.id, Some(ReferralStatus::Completed))
        .await
        .unwrap();
    assert_eq!(inbox.len(), 1);
    assert!(
        store
            .referrals_under(&sys, r.puskesmas.id, Some(ReferralStatus::Created))
            .await
            .unwrap()
            .is_empty()
    );
    let trail: Vec<_> = store
        .audit_of(&sys, new.id.0)
        .await
        .unwrap()
        .iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        trail,
        vec![
            AuditAction::Create,
            AuditAction::Transition,
            AuditAction::Transition,
            AuditAction::Transition
        ]
    );
}

pub async fn concurrent_writers(store: Store) {
    let r = region(&store).await;
    let mut tasks = Vec::new();
    for t in 0..4 {
        let store = store.clone();
        let unit = r.posyandu_a.clone();
        tasks.push(tokio::spawn(async move {
            let sys = Actor::system("test");
            for i in 0..10 {
                let mut tx = store.begin(&sys).await.unwrap();
                let name = format!("Anak {t}-{i}");
                tx.create_person(&person(&unit, &name, Sex::Male, date!(2024 - 01 - 01)))
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let sys = Actor::system("test");
    assert_eq!(
        store
            .persons_under(&sys, r.posyandu_a.id)
            .await
            .unwrap()
            .len(),
        40
    );
    let feed = store.pull_changes(&sys, 0, 10_000).await.unwrap();
    let mut seqs: Vec<i64> = feed.changes.iter().map(|c| c.seq).collect();
    seqs.dedup();
    assert_eq!(
        seqs.len(),
        feed.changes.len(),
        "sequence numbers are unique"
    );
}

pub async fn migrate_twice_is_a_noop(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    add_person(
        &store,
        &sys,
        &person(
            &r.posyandu_a,
            "Tetap Ada",
            Sex::Female,
            date!(2020 - 01 - 01),
        ),
    )
    .await;
    let again = store.migrate().await.unwrap();
    assert_eq!(again.applied, 0);
    assert!(again.known >= 1);
    assert_eq!(store.applied_migrations().await, again.known);
    assert_eq!(
        store
            .persons_under(&sys, r.posyandu_a.id)
            .await
            .unwrap()
            .len(),
        1
    );
}
