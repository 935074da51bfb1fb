//! Stories about the sync push: replay, a batch cut off and sent again, one bad item.

use store::*;
use time::macros::date;

use crate::fixture::*;

fn outcomes(o: &[PushOutcome]) -> Vec<&'static str> {
    o.iter()
        .map(|o| match o {
            PushOutcome::Stored => "stored",
            PushOutcome::Duplicate => "duplicate",
            PushOutcome::Refused(_) => "refused",
        })
        .collect()
}

/// A phone's outbox of ten captures: the first six reach the server but the answer is lost
/// (the batch was cut off); sending all ten again stores the other four and answers the six
/// as duplicates; sending it a third time stores nothing. Every row is there once, and the
/// device user's pull feed carries them; another posyandu's kader pulls none of them.
pub async fn push_replayed_and_resumed_stores_each_once(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Dewi", Sex::Female, date!(2024 - 03 - 01)),
    )
    .await;
    let kader_a = kader(&store, &r.posyandu_a, "kader.sync.a").await;
    let kader_b = kader(&store, &r.posyandu_b, "kader.sync.b").await;
    let v = visit(&child, &r.posyandu_a, date!(2025 - 06 - 02));
    let mut batch: Vec<Capture> = vec![v.clone().into()];
    for i in 0..9 {
        let mut m = weight(
            &child,
            &r.posyandu_a,
            date!(2025 - 06 - 02),
            9.0 + f64::from(i) / 10.0,
        );
        m.visit_id = Some(v.id);
        batch.push(m.into());
    }
    let after = store
        .pull_changes(&kader_a, 0, 1000)
        .await
        .unwrap()
        .next_after;

    let first = store.push_captures(&kader_a, &batch[..6]).await.unwrap();
    assert_eq!(outcomes(&first), vec!["stored"; 6]);
    let again = store.push_captures(&kader_a, &batch).await.unwrap();
    let mut expected = vec!["duplicate"; 6];
    expected.extend(["stored"; 4]);
    assert_eq!(outcomes(&again), expected);
    let third = store.push_captures(&kader_a, &batch).await.unwrap();
    assert_eq!(outcomes(&third), vec!["duplicate"; 10]);

    let page = store.pull_changes(&kader_a, after, 1000).await.unwrap();
    let weights = page
        .changes
        .iter()
        .filter(|c| matches!(c.record, Record::Measurement(_)))
        .count();
    assert_eq!(weights, 9, "each measurement once in the feed");
    assert!(
        page.changes
            .iter()
            .any(|c| matches!(c.record, Record::Visit(_)))
    );
    let theirs = store.pull_changes(&kader_b, after, 1000).await.unwrap();
    assert!(
        !theirs
            .changes
            .iter()
            .any(|c| matches!(c.record, Record::Measurement(_) | Record::Visit(_))),
        "another posyandu's kader pulls none of it"
    );
}

/// One bad item in a batch (a capture at another posyandu, outside the device user's
/// subtree) is refused on its own; the items around it are stored; an id sent twice in one
/// batch is stored once.
pub async fn push_refuses_a_bad_item_alone(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Sari", Sex::Female, date!(2024 - 03 - 01)),
    )
    .await;
    let kader_a = kader(&store, &r.posyandu_a, "kader.sync.c").await;
    let good = weight(&child, &r.posyandu_a, date!(2025 - 06 - 02), 9.4);
    let elsewhere = weight(&child, &r.posyandu_b, date!(2025 - 06 - 02), 9.5);
    let later = weight(&child, &r.posyandu_a, date!(2025 - 07 - 01), 9.7);
    let batch: Vec<Capture> = vec![
        good.clone().into(),
        elsewhere.into(),
        later.into(),
        good.into(),
    ];
    let o = store.push_captures(&kader_a, &batch).await.unwrap();
    assert_eq!(
        outcomes(&o),
        vec!["stored", "refused", "stored", "duplicate"]
    );
    match &o[1] {
        PushOutcome::Refused(e) => {
            assert!(matches!(e, StoreError::OutOfScope { .. }), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let rows = store
        .pull_changes(&sys, 0, 10_000)
        .await
        .unwrap()
        .changes
        .into_iter()
        .filter(|c| matches!(c.record, Record::Measurement(_)))
        .count();
    assert_eq!(rows, 2);
}
