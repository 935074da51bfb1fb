//! The parent's name a register gives (`Nama Ibu` / `Nama Ortu`) is kept with the person on
//! both engines: read back, versioned, audited, and setting it again changes nothing.
#![allow(clippy::unwrap_used)]

#[path = "conformance/fixture.rs"]
#[allow(dead_code)]
mod fixture;
#[path = "conformance/harness.rs"]
#[allow(dead_code)]
mod harness;

use store::*;
use time::macros::date;

async fn parent_name_is_kept(store: Store) {
    let region = fixture::region(&store).await;
    let sys = Actor::system("test");
    let new = fixture::person(
        &region.posyandu_a,
        "Nayla Putri",
        Sex::Female,
        date!(2024 - 02 - 10),
    );
    let p = fixture::add_person(&store, &sys, &new).await;
    assert_eq!(p.parent_name, None);

    let mut tx = store.begin(&sys).await.unwrap();
    let set = tx
        .set_parent_name(p.id, p.meta.version, "  Sri   Wahyuni ")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(set.parent_name.as_deref(), Some("Sri Wahyuni"));
    assert_eq!(set.meta.version, p.meta.version + 1);

    // Read back by id and by the unit's list.
    let read = store.person(&sys, p.id).await.unwrap();
    assert_eq!(read.parent_name.as_deref(), Some("Sri Wahyuni"));
    let listed = store
        .persons_under(&sys, region.posyandu_a.id)
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|x| x.id == p.id)
            .and_then(|x| x.parent_name.clone()),
        Some("Sri Wahyuni".to_owned())
    );

    // The same name again: no new version. A stale version is a conflict.
    let mut tx = store.begin(&sys).await.unwrap();
    let same = tx
        .set_parent_name(p.id, set.meta.version, "Sri Wahyuni")
        .await
        .unwrap();
    assert_eq!(same.meta.version, set.meta.version);
    let stale = tx.set_parent_name(p.id, p.meta.version, "Sumiati").await;
    assert!(
        matches!(stale, Err(StoreError::Conflict { .. })),
        "{stale:?}"
    );
    let empty = tx.set_parent_name(p.id, set.meta.version, "  ").await;
    assert!(
        matches!(empty, Err(StoreError::Invalid { .. })),
        "{empty:?}"
    );
    drop(tx);

    // An update of the person's other fields keeps the parent's name.
    let mut tx = store.begin(&sys).await.unwrap();
    let edited = NewPerson {
        name: "Nayla Putri Ramadhani".into(),
        ..new.clone()
    };
    let (after, _) = tx.update_person(set.meta.version, &edited).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(after.parent_name.as_deref(), Some("Sri Wahyuni"));

    // Created with the name in one insert: version 1, and in the creation's audit row.
    let born = fixture::person(
        &region.posyandu_b,
        "Arkan Hidayat",
        Sex::Male,
        date!(2023 - 11 - 30),
    );
    let mut tx = store.begin(&sys).await.unwrap();
    let (made, _) = tx
        .create_person_with_parent_name(&born, Some("Wartini"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(made.outcome, Outcome::Inserted);
    assert_eq!(made.record.parent_name.as_deref(), Some("Wartini"));
    assert_eq!(made.record.meta.version, 1);
    let created = store.audit_of(&sys, born.id.0).await.unwrap();
    assert!(
        created[0].detail.to_string().contains("Wartini"),
        "{created:?}"
    );

    // The change is in the audit log with the old and new value.
    let audit = store.audit_of(&sys, p.id.0).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|a| a.detail.to_string().contains("\"parent_name\"")
                && a.detail.to_string().contains("Sri Wahyuni")),
        "{audit:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_keeps_the_parent_name() {
    let db = harness::sqlite().await;
    parent_name_is_kept(db.store.clone()).await;
}

#[cfg_attr(
    no_pg_url,
    ignore = "POSYANDU_TEST_PG_URL is unset: PostgreSQL not tested"
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_keeps_the_parent_name() {
    let Some(db) = harness::postgres_or_skip().await else {
        return;
    };
    parent_name_is_kept(db.store.clone()).await;
}
