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
            PushOutcome::SameAs(_) => "same_as",
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

/// The pull feed never skips a row that commits late: eight writers each hold their
/// transaction open a few milliseconds after taking their change number (some roll back),
/// while a puller follows the feed from its cursor. Afterwards the puller has every
/// committed row exactly once. (On PostgreSQL numbers are no longer handed out in commit
/// order; this is what the pull horizon guarantees.)
pub async fn pull_never_skips_a_late_commit(store: Store) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Lestari", Sex::Female, date!(2024 - 03 - 01)),
    )
    .await;
    let mut start = store
        .pull_changes(&sys, 0, 100_000)
        .await
        .unwrap()
        .next_after;
    if store.kind() == EngineKind::Postgres {
        // The race, step by step (on SQLite the second writer would wait for the first).
        // A takes its number first; B takes a higher one and commits; a pull now must not
        // move past A's number, or A's row, committed next, would never be pulled.
        let a = weight(&child, &r.posyandu_a, date!(2025 - 06 - 01), 8.0);
        let b = weight(&child, &r.posyandu_a, date!(2025 - 06 - 01), 8.1);
        let mut tx_a = store.begin(&sys).await.unwrap();
        tx_a.capture(&a.clone().into()).await.unwrap();
        let mut tx_b = store.begin(&sys).await.unwrap();
        tx_b.capture(&b.clone().into()).await.unwrap();
        tx_b.commit().await.unwrap();
        let early = store.pull_changes(&sys, start, 100).await.unwrap();
        assert!(early.changes.is_empty(), "B waits behind A: {early:?}");
        tx_a.commit().await.unwrap();
        let page = store
            .pull_changes(&sys, early.next_after, 100)
            .await
            .unwrap();
        let ids: Vec<MeasurementId> = page
            .changes
            .iter()
            .filter_map(|c| match &c.record {
                Record::Measurement(m) => Some(m.id),
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec![a.id, b.id], "both, in number order");
        start = page.next_after;
    }
    let done = Arc::new(AtomicBool::new(false));
    let puller = {
        let (store, sys, done) = (store.clone(), sys.clone(), done.clone());
        tokio::spawn(async move {
            let mut cursor = start;
            let mut seen: Vec<MeasurementId> = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = store.pull_changes(&sys, cursor, 7).await.unwrap();
                assert!(page.next_after >= cursor, "the cursor never goes back");
                for c in &page.changes {
                    if let Record::Measurement(m) = &c.record {
                        seen.push(m.id);
                    }
                }
                cursor = page.next_after;
                if finished && !page.more {
                    return seen;
                }
                if !page.more {
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
            }
        })
    };
    let writers: Vec<_> = (0..8u32)
        .map(|w| {
            let (store, sys, child, unit) = (
                store.clone(),
                sys.clone(),
                child.clone(),
                r.posyandu_a.clone(),
            );
            tokio::spawn(async move {
                let mut committed = Vec::new();
                for i in 0..25u32 {
                    let m = weight(&child, &unit, date!(2025 - 06 - 02), 9.0);
                    let mut tx = store.begin(&sys).await.unwrap();
                    tx.capture(&m.clone().into()).await.unwrap();
                    // Hold the number a while: later writers commit first.
                    let ms = u64::from((w * 7 + i * 3) % 11);
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                    if (w + i) % 9 == 0 {
                        tx.rollback().await.unwrap();
                    } else {
                        tx.commit().await.unwrap();
                        committed.push(m.id);
                    }
                }
                committed
            })
        })
        .collect();
    let mut committed = Vec::new();
    for w in writers {
        committed.extend(w.await.unwrap());
    }
    done.store(true, Ordering::SeqCst);
    let mut seen = puller.await.unwrap();
    let n = seen.len();
    seen.sort_by_key(|m| m.0);
    seen.dedup();
    assert_eq!(n, seen.len(), "no row twice");
    committed.sort_by_key(|m| m.0);
    assert_eq!(
        seen.len(),
        committed.len(),
        "every committed row, none skipped"
    );
    assert_eq!(seen, committed);
}

/// Two devices edit one family member from the same version: fields changed on one side
/// only are merged; the same field changed differently goes to review with both values,
/// the server's value kept meanwhile; a choice writes the device's value. An edit of a
/// deleted person goes to review whole. Another posyandu's kader can neither see nor
/// resolve the review.
pub async fn two_devices_edit_one_person(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let base = person(&r.posyandu_a, "Rina", Sex::Female, date!(2024 - 02 - 01));
    let p = add_person(&store, &sys, &base).await;
    let a = kader(&store, &r.posyandu_a, "kader.merge.a").await;
    let b = kader(&store, &r.posyandu_a, "kader.merge.b").await;
    let far = kader(&store, &r.posyandu_b, "kader.merge.far").await;
    let edit = |edited: NewPerson| PersonEdit {
        base_version: p.meta.version,
        base: base.clone(),
        edited,
    };

    // A, first: a plain update.
    let on_a = NewPerson {
        phone: Some("0812".into()),
        ..base.clone()
    };
    let m = store.merge_edit(&a, &edit(on_a)).await.unwrap();
    assert_eq!(
        (m.applied.clone(), m.reviews.len()),
        (vec!["phone".to_owned()], 0)
    );
    // B, from the same version: a new name (merged) and another phone (review).
    let on_b = NewPerson {
        name: "Rina Wati".into(),
        phone: Some("0813".into()),
        ..base.clone()
    };
    let m = store.merge_edit(&b, &edit(on_b)).await.unwrap();
    assert_eq!(m.applied, vec!["name".to_owned()]);
    assert_eq!(m.reviews.len(), 1);
    assert_eq!(m.record.name, "Rina Wati");
    assert_eq!(
        m.record.phone.as_deref(),
        Some("0812"),
        "the server's value stays"
    );
    // A third device that made A's change too: nothing new, no review.
    let same = NewPerson {
        phone: Some("0812".into()),
        ..base.clone()
    };
    let m = store.merge_edit(&b, &edit(same)).await.unwrap();
    assert!(m.applied.is_empty() && m.reviews.is_empty(), "{m:?}");

    let open = store.open_reviews(&a, p.id).await.unwrap();
    assert_eq!(open.len(), 1);
    let rv = &open[0];
    assert_eq!(rv.field, "phone");
    assert_eq!(
        (&rv.base_value, &rv.server_value, &rv.device_value),
        (
            &serde_json::Value::Null,
            &serde_json::json!("0812"),
            &serde_json::json!("0813")
        )
    );
    assert_eq!(rv.proposed_by, b.label());
    let e = store.open_reviews(&far, p.id).await.unwrap_err();
    assert!(matches!(e, StoreError::OutOfScope { .. }), "{e}");
    let e = store.resolve_review(&far, rv.id, true).await.unwrap_err();
    assert!(matches!(e, StoreError::OutOfScope { .. }), "{e}");

    let done = store.resolve_review(&a, rv.id, true).await.unwrap();
    assert_eq!(done.resolution.as_deref(), Some("device"));
    let now = store.person(&sys, p.id).await.unwrap();
    assert_eq!(
        (now.name.as_str(), now.phone.as_deref()),
        ("Rina Wati", Some("0813"))
    );
    assert!(store.open_reviews(&a, p.id).await.unwrap().is_empty());
    let again = store.resolve_review(&a, rv.id, false).await.unwrap();
    assert_eq!(
        again.resolution.as_deref(),
        Some("device"),
        "the first choice stands"
    );
    let trail = store.audit_of(&sys, p.id.0).await.unwrap();
    assert!(trail.iter().any(|e| e.detail.get("merge").is_some()));
    assert!(trail.iter().any(|e| e.detail["resolution"] == "device"));
    // Deleted on one side and edited on the other: deletion.rs.
}

/// Two phones offline both record a child's arrival on the same service day (each its own
/// visit id) and weigh her on it. The second phone's push: its visit is answered as the
/// visit already there, and its weighing is stored on that visit, not refused. Sending it
/// again changes nothing.
pub async fn a_second_devices_visit_is_merged_into_the_first(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Ayu", Sex::Female, date!(2024 - 03 - 01)),
    )
    .await;
    let k = kader(&store, &r.posyandu_a, "kader.visit.a").await;
    let day = NewServiceDay {
        id: ServiceDayId::new(),
        org_unit_id: r.posyandu_a.id,
        date: date!(2025 - 06 - 02),
        note: None,
        captured_at: time::OffsetDateTime::now_utc(),
    };
    let phone = |kg: f64| {
        let v = NewVisit {
            service_day_id: Some(day.id),
            ..visit(&child, &r.posyandu_a, day.date)
        };
        let mut m = weight(&child, &r.posyandu_a, day.date, kg);
        m.visit_id = Some(v.id);
        (v, m)
    };
    let (v1, m1) = phone(9.1);
    let (v2, m2) = phone(9.2);
    let first: Vec<Capture> = vec![day.clone().into(), v1.clone().into(), m1.into()];
    assert_eq!(
        outcomes(&store.push_captures(&k, &first).await.unwrap()),
        vec!["stored"; 3]
    );
    let second: Vec<Capture> = vec![day.clone().into(), v2.into(), m2.clone().into()];
    let o = store.push_captures(&k, &second).await.unwrap();
    assert_eq!(outcomes(&o), vec!["duplicate", "same_as", "stored"]);
    assert!(matches!(o[1], PushOutcome::SameAs(id) if id == v1.id));
    let again = store.push_captures(&k, &second).await.unwrap();
    assert_eq!(outcomes(&again), vec!["duplicate", "same_as", "duplicate"]);
    let on_v1: Vec<Measurement> = store
        .pull_changes(&sys, 0, 10_000)
        .await
        .unwrap()
        .changes
        .into_iter()
        .filter_map(|c| match c.record {
            Record::Measurement(m) if m.visit_id == Some(v1.id) => Some(m),
            _ => None,
        })
        .collect();
    assert_eq!(on_v1.len(), 2, "both weighings on the one visit");
    assert!(on_v1.iter().any(|m| m.id == m2.id));
}

/// A household edited on two phones from the same version merges the same way: the RT
/// changed on one side is taken, the address changed on both goes to review; keeping the
/// server's value leaves the record as it is.
pub async fn household_edits_merge_too(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let base = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: None,
        head_name: "Sugeng".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("001".into()),
        rw: Some("002".into()),
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let h = tx.create_household(&base).await.unwrap().record;
    tx.commit().await.unwrap();
    let a = kader(&store, &r.posyandu_a, "kader.kk.a").await;
    let edit = |edited: NewHousehold| HouseholdEdit {
        base_version: h.meta.version,
        base: base.clone(),
        edited,
    };
    let first = NewHousehold {
        address: Some("Dusun Krajan Lor".into()),
        ..base.clone()
    };
    store.merge_edit(&a, &edit(first)).await.unwrap();
    let second = NewHousehold {
        address: Some("Krajan Kidul".into()),
        rt: Some("003".into()),
        ..base.clone()
    };
    let m = store.merge_edit(&a, &edit(second)).await.unwrap();
    assert_eq!(m.applied, vec!["rt".to_owned()]);
    assert_eq!(m.reviews.len(), 1);
    assert_eq!(
        (m.record.address.as_deref(), m.record.rt.as_deref()),
        (Some("Dusun Krajan Lor"), Some("003"))
    );
    let waiting = store.open_reviews_in_scope(&a, 10).await.unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(
        (waiting[0].entity, waiting[0].field.as_str()),
        (EntityKind::Household, "address")
    );
    let done = store
        .resolve_review(&a, waiting[0].id, false)
        .await
        .unwrap();
    assert_eq!(done.resolution.as_deref(), Some("server"));
    let now = store.household(&sys, h.id).await.unwrap();
    assert_eq!(now.address.as_deref(), Some("Dusun Krajan Lor"));
    assert!(
        store
            .open_reviews_in_scope(&a, 10)
            .await
            .unwrap()
            .is_empty()
    );
}
