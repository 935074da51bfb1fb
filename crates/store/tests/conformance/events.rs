//! Stories about captures: idempotent replay, bulk batches, month activity, the roster.

use store::*;
use time::OffsetDateTime;
use time::macros::date;

use crate::fixture::*;

pub async fn idempotent_capture_replay(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Rina", Sex::Female, date!(2024 - 02 - 01)),
    )
    .await;
    let day = NewServiceDay {
        id: ServiceDayId::new(),
        org_unit_id: r.posyandu_a.id,
        date: date!(2025 - 03 - 05),
        note: Some("hari buka Maret".into()),
        captured_at: OffsetDateTime::now_utc(),
    };
    let v = NewVisit {
        service_day_id: Some(day.id),
        ..visit(&child, &r.posyandu_a, day.date)
    };
    let mut w = weight(&child, &r.posyandu_a, day.date, 9.4);
    w.visit_id = Some(v.id);
    let h = NewMeasurement {
        id: MeasurementId::new(),
        kind: MeasurementKind::Length,
        value: 76.5,
        ..w.clone()
    };
    let dose = NewDose {
        id: DoseId::new(),
        person_id: child.id,
        visit_id: Some(v.id),
        org_unit_id: r.posyandu_a.id,
        given_on: day.date,
        vaccine: "MR".into(),
        dose_number: Some(1),
        batch: Some("B123".into()),
        captured_at: OffsetDateTime::now_utc(),
    };
    let mut answers = serde_json::Map::new();
    answers.insert("q1".into(), serde_json::json!("ya"));
    let screening = NewScreening {
        id: ScreeningId::new(),
        person_id: child.id,
        visit_id: Some(v.id),
        org_unit_id: r.posyandu_a.id,
        answered_on: day.date,
        questionnaire: "KPSP".into(),
        answers,
        score: Some(9.0),
        captured_at: OffsetDateTime::now_utc(),
    };
    let finding = NewFinding {
        id: FindingId::new(),
        person_id: child.id,
        visit_id: Some(v.id),
        org_unit_id: r.posyandu_a.id,
        found_on: day.date,
        code: "bb_t".into(),
        detail: Some("naik 50 g".into()),
        captured_at: OffsetDateTime::now_utc(),
    };
    // Listed children-first: the batch inserts in dependency order anyway.
    let batch: Vec<Capture> = vec![
        w.clone().into(),
        h.into(),
        dose.into(),
        screening.clone().into(),
        finding.into(),
        v.into(),
        day.into(),
    ];
    let mut tx = store.begin(&sys).await.unwrap();
    let first = tx.capture_batch(&batch).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        first,
        BatchOutcome {
            inserted: 7,
            duplicates: 0
        }
    );

    let feed_before = store.pull_changes(&sys, 0, 1000).await.unwrap();
    let audit_before = store.audit_of(&sys, w.id.0).await.unwrap().len();
    // The phone retries the whole batch: nothing changes.
    let mut tx = store.begin(&sys).await.unwrap();
    let again = tx.capture_batch(&batch).await.unwrap();
    assert_eq!(
        tx.capture(&w.clone().into()).await.unwrap(),
        Outcome::Duplicate
    );
    tx.commit().await.unwrap();
    assert_eq!(
        again,
        BatchOutcome {
            inserted: 0,
            duplicates: 7
        }
    );
    assert_eq!(
        store.pull_changes(&sys, 0, 1000).await.unwrap(),
        feed_before
    );
    assert_eq!(
        store.audit_of(&sys, w.id.0).await.unwrap().len(),
        audit_before
    );

    let ms = store.measurements_of(&sys, child.id).await.unwrap();
    assert_eq!(ms.len(), 2);
    let wt = ms
        .iter()
        .find(|m| m.kind == MeasurementKind::Weight)
        .unwrap();
    assert_eq!((wt.value, wt.unit), (9.4, Unit::Kg));
    assert_eq!(wt.captured_by, "system:test");
    assert_eq!(
        ms.iter()
            .find(|m| m.kind == MeasurementKind::Length)
            .unwrap()
            .unit,
        Unit::Cm
    );
    let sc = store.screenings_of(&sys, child.id).await.unwrap();
    assert_eq!(sc[0].answers, screening.answers);
    assert_eq!(
        store.doses_of(&sys, child.id).await.unwrap()[0].vaccine,
        "MR"
    );

    // Bad values are refused, naming the field, and nothing of the batch is stored.
    let bad = NewMeasurement {
        id: MeasurementId::new(),
        value: f64::NAN,
        ..w.clone()
    };
    let ok = NewMeasurement {
        id: MeasurementId::new(),
        ..w
    };
    let mut tx = store.begin(&sys).await.unwrap();
    let err = tx
        .capture_batch(&[ok.into(), bad.into()])
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid { field: "value", .. }),
        "{err}"
    );
    tx.commit().await.unwrap();
    assert_eq!(
        store.measurements_of(&sys, child.id).await.unwrap().len(),
        2
    );

    // References to rows that do not exist are refused naming the field.
    let ghost = NewMeasurement {
        id: MeasurementId::new(),
        person_id: PersonId::new(),
        ..ok_template(&child, &r)
    };
    let lost_visit = NewMeasurement {
        id: MeasurementId::new(),
        visit_id: Some(VisitId::new()),
        ..ok_template(&child, &r)
    };
    for (cap, field) in [(ghost, "person_id"), (lost_visit, "visit_id")] {
        let mut tx = store.begin(&sys).await.unwrap();
        let err = tx.capture(&cap.into()).await.unwrap_err();
        assert!(
            matches!(err, StoreError::Invalid { field: f, .. } if f == field),
            "{err}"
        );
    }
    // So are captures for a soft-deleted person.
    let gone = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Pindah", Sex::Male, date!(2024 - 01 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.soft_delete(EntityKind::Person, gone.id.0, 1, "pindah domisili")
        .await
        .unwrap();
    let err = tx
        .capture(&ok_template(&gone, &r).into())
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
}

fn ok_template(p: &Person, r: &Region) -> NewMeasurement {
    weight(p, &r.posyandu_a, date!(2025 - 03 - 05), 9.5)
}

pub async fn bulk_capture_in_chunks(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_b, "Dewi", Sex::Female, date!(2023 - 06 - 01)),
    )
    .await;
    let batch: Vec<Capture> = (0..1203)
        .map(|i| {
            weight(
                &child,
                &r.posyandu_b,
                date!(2025 - 01 - 01),
                5.0 + f64::from(i) / 1000.0,
            )
            .into()
        })
        .collect();
    let mut tx = store.begin(&sys).await.unwrap();
    let out = tx.capture_batch(&batch).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(out.inserted, 1203);
    let ms = store.measurements_of(&sys, child.id).await.unwrap();
    assert_eq!(ms.len(), 1203);
    let mut seqs: Vec<i64> = ms.iter().map(|m| m.meta.seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), 1203, "every row has its own sequence number");
    // One audit row per chunk of 500, listing the ids.
    let first = match &batch[0] {
        Capture::Measurement(m) => m.id,
        _ => unreachable!(),
    };
    let audit = store.audit_of(&sys, first.0).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::CaptureBatch);
    assert_eq!(audit[0].detail["count"], 500);
}

pub async fn activity_under_puskesmas_this_month(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let a = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "A", Sex::Female, date!(2024 - 01 - 01)),
    )
    .await;
    let b = add_person(
        &store,
        &sys,
        &person(&r.posyandu_b, "B", Sex::Female, date!(2024 - 01 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    let caps: Vec<Capture> = vec![
        visit(&a, &r.posyandu_a, date!(2025 - 05 - 01)).into(),
        weight(&a, &r.posyandu_a, date!(2025 - 05 - 01), 10.0).into(),
        weight(&b, &r.posyandu_b, date!(2025 - 05 - 31), 10.5).into(),
        weight(&a, &r.posyandu_a, date!(2025 - 04 - 30), 9.9).into(),
        weight(&b, &r.posyandu_b, date!(2025 - 06 - 01), 10.6).into(),
    ];
    tx.capture_batch(&caps).await.unwrap();
    tx.commit().await.unwrap();
    let may = store
        .activity_under(
            &sys,
            r.puskesmas.id,
            date!(2025 - 05 - 01),
            date!(2025 - 06 - 01),
        )
        .await
        .unwrap();
    assert_eq!(may.visits.len(), 1);
    let mut values: Vec<f64> = may.measurements.iter().map(|m| m.value).collect();
    values.sort_by(f64::total_cmp);
    assert_eq!(values, vec![10.0, 10.5]);
    let only_a = store
        .activity_under(
            &sys,
            r.posyandu_a.id,
            date!(2025 - 05 - 01),
            date!(2025 - 06 - 01),
        )
        .await
        .unwrap();
    assert_eq!(only_a.measurements.len(), 1);
}

pub async fn roster_in_one_query(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let a = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Ayu", Sex::Female, date!(2024 - 01 - 01)),
    )
    .await;
    let b = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Bima", Sex::Male, date!(2023 - 01 - 01)),
    )
    .await;
    let c = add_person(
        &store,
        &sys,
        &person(&r.posyandu_b, "Citra", Sex::Female, date!(2023 - 01 - 01)),
    )
    .await;
    let dose = |p: &Person, on, vaccine: &str, n| NewDose {
        id: DoseId::new(),
        person_id: p.id,
        visit_id: None,
        org_unit_id: r.posyandu_a.id,
        given_on: on,
        vaccine: vaccine.into(),
        dose_number: n,
        batch: None,
        captured_at: OffsetDateTime::now_utc(),
    };
    let caps: Vec<Capture> = vec![
        weight(&a, &r.posyandu_a, date!(2025 - 04 - 10), 8.1).into(),
        weight(&a, &r.posyandu_a, date!(2025 - 05 - 10), 8.4).into(),
        weight(&b, &r.posyandu_a, date!(2025 - 05 - 10), 11.0).into(),
        weight(&c, &r.posyandu_b, date!(2025 - 05 - 10), 10.0).into(),
        dose(&a, date!(2024 - 01 - 01), "HB0", None).into(),
        dose(&a, date!(2024 - 03 - 01), "DPT-HB-Hib", Some(1)).into(),
    ];
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture_batch(&caps).await.unwrap();
    tx.commit().await.unwrap();

    let roster = store
        .roster(
            &sys,
            r.posyandu_a.id,
            date!(2025 - 05 - 01),
            date!(2025 - 06 - 01),
        )
        .await
        .unwrap();
    assert_eq!(roster.len(), 2, "only posyandu A's persons");
    let ayu = roster.iter().find(|e| e.person_id == a.id).unwrap();
    assert_eq!(
        (ayu.name.as_str(), ayu.sex, ayu.birth_date),
        ("Ayu", Sex::Female, date!(2024 - 01 - 01))
    );
    assert_eq!(ayu.measurements.len(), 1, "only May's weighing");
    assert_eq!(ayu.measurements[0].value, 8.4);
    assert_eq!(ayu.measurements[0].kind, MeasurementKind::Weight);
    let vaccines: Vec<_> = ayu
        .doses
        .iter()
        .map(|d| (d.vaccine.as_str(), d.dose_number))
        .collect();
    assert_eq!(vaccines, vec![("HB0", None), ("DPT-HB-Hib", Some(1))]);
    let bima = roster.iter().find(|e| e.person_id == b.id).unwrap();
    assert_eq!(bima.measurements.len(), 1);
    assert!(bima.doses.is_empty());
    // Scoped like every read.
    let kader_b = kader(&store, &r.posyandu_b, "kader.roster").await;
    assert!(matches!(
        store
            .roster(
                &kader_b,
                r.posyandu_a.id,
                date!(2025 - 05 - 01),
                date!(2025 - 06 - 01)
            )
            .await,
        Err(StoreError::OutOfScope { .. })
    ));
}

/// Many callers at once through [`Store::capture_grouped`], as phones on a busy day: each
/// gets its own answer, a bad capture fails its caller only (and nothing of that caller is
/// stored), a replay is a duplicate, another posyandu's kader is refused, and every capture
/// is stored once, with its own sequence number and an audit row naming who sent it.
pub async fn grouped_captures_answer_each_caller(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Sari", Sex::Female, date!(2024 - 01 - 10)),
    )
    .await;
    let kader_a = kader(&store, &r.posyandu_a, "kader.a").await;
    let kader_b = kader(&store, &r.posyandu_b, "kader.b").await;
    let on = date!(2025 - 04 - 07);
    let good: Vec<NewMeasurement> = (0..36)
        .map(|i| weight(&child, &r.posyandu_a, on, 9.0 + f64::from(i) / 100.0))
        .collect();
    let mut calls: Vec<(&str, Actor, Vec<Capture>)> = Vec::new();
    for (i, w) in good.iter().enumerate() {
        let who = if i % 2 == 0 { &kader_a } else { &sys };
        calls.push(("ok", who.clone(), vec![w.clone().into()]));
    }
    calls.push(("replay", kader_a.clone(), vec![good[0].clone().into()]));
    calls.push(("replay", sys.clone(), vec![good[1].clone().into()]));
    let hidden = weight(&child, &r.posyandu_a, on, 9.8);
    let bad = NewMeasurement {
        value: -1.0,
        ..weight(&child, &r.posyandu_a, on, 1.0)
    };
    calls.push((
        "bad",
        kader_a.clone(),
        vec![hidden.clone().into(), bad.into()],
    ));
    calls.push((
        "scope",
        kader_b.clone(),
        vec![weight(&child, &r.posyandu_a, on, 9.9).into()],
    ));
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(what, actor, captures)| {
            let s = store.clone();
            tokio::spawn(async move { (what, s.capture_grouped(&actor, captures).await) })
        })
        .collect();
    let (mut inserted, mut duplicates) = (0, 0);
    for t in tasks {
        match t.await.unwrap() {
            ("ok" | "replay", Ok(o)) => {
                inserted += o.inserted;
                duplicates += o.duplicates;
            }
            ("bad", Err(e)) => assert!(
                matches!(&e, StoreError::Invalid { field, .. } if *field == "value"),
                "{e}"
            ),
            ("scope", Err(e)) => assert!(matches!(e, StoreError::OutOfScope { .. }), "{e}"),
            (what, other) => panic!("{what}: {other:?}"),
        }
    }
    assert_eq!((inserted, duplicates), (36, 2));

    let ms = store.measurements_of(&sys, child.id).await.unwrap();
    assert_eq!(
        ms.len(),
        36,
        "every good capture once, nothing of the refused calls"
    );
    assert!(ms.iter().all(|m| m.id != hidden.id));
    // What the rules read on that day is the earlier days only; the next day, all of them.
    let (before, _, _) = store.history_of(&sys, &child, on).await.unwrap();
    assert!(before.is_empty());
    let (after, _, _) = store
        .history_of(&sys, &child, on.next_day().unwrap())
        .await
        .unwrap();
    assert_eq!(after.len(), 36);
    let mut seqs: Vec<i64> = ms.iter().map(|m| m.meta.seq).collect();
    seqs.sort_unstable();
    seqs.dedup();
    assert_eq!(seqs.len(), 36, "every row has its own sequence number");
    // Each row is in an audit row (alone, or listed in a batch's ids) naming its sender.
    let mut audited = std::collections::HashMap::new();
    for m in &ms {
        for a in store.audit_of(&sys, m.id.0).await.unwrap() {
            let listed: Vec<String> = a.detail["ids"]
                .as_array()
                .map(|ids| {
                    ids.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_else(|| vec![a.entity_id.to_string()]);
            for id in listed {
                audited.insert(id, a.actor.clone());
            }
        }
    }
    for (i, w) in good.iter().enumerate() {
        let who = if i % 2 == 0 { &kader_a } else { &sys };
        let stored = ms.iter().find(|m| m.id == w.id).unwrap();
        assert_eq!(stored.captured_by, who.label());
        assert_eq!(
            audited.get(&w.id.to_string()),
            Some(&who.label()),
            "audit of {i}"
        );
    }
}

/// Two phones record the same arrival at the same moment, each with its own visit id: one
/// visit is stored, the other write fails as a unique violation (the caller then reads the
/// visit that won); a visit outside any service day (an import) is not bound by the rule.
pub async fn one_visit_per_person_per_day(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let child = add_person(
        &store,
        &sys,
        &person(&r.posyandu_a, "Nur", Sex::Female, date!(2024 - 05 - 01)),
    )
    .await;
    let day = open_day(&store, &r.posyandu_a, date!(2025 - 06 - 02)).await;
    let arrivals: Vec<_> = (0..2)
        .map(|_| {
            let (s, sys) = (store.clone(), sys.clone());
            let v = NewVisit {
                service_day_id: Some(day.id),
                ..visit(&child, &r.posyandu_a, day.date)
            };
            tokio::spawn(async move {
                let mut tx = s.begin(&sys).await?;
                tx.capture(&v.into()).await?;
                tx.commit().await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for a in arrivals {
        outcomes.push(a.await.unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1);
    let lost = outcomes.into_iter().find_map(|o| o.err()).unwrap();
    assert!(lost.is_unique_violation(), "{lost}");
    assert_eq!(store.visits_of_day(&sys, day.id).await.unwrap().len(), 1);
    // Without a service day, two visits on one date stay possible (imported history).
    for _ in 0..2 {
        let mut tx = store.begin(&sys).await.unwrap();
        tx.capture(&visit(&child, &r.posyandu_a, day.date).into())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }
}

/// A kader closes the day: stored with when and by whom, audited, a new version and change
/// number; closing again keeps the first close; a kader of another posyandu cannot close it
/// (out of scope); reopening clears it.
pub async fn closing_and_reopening_a_day(store: Store) {
    let r = region(&store).await;
    let sys = Actor::system("test");
    let day = open_day(&store, &r.posyandu_a, date!(2025 - 06 - 02)).await;
    let open = store.service_day(&sys, day.id).await.unwrap();
    assert_eq!(open.closed, None);

    let mine = kader(&store, &r.posyandu_a, "kader.tutup").await;
    let closed = store.close_day(&mine, day.id).await.unwrap();
    let c = closed.closed.clone().unwrap();
    assert_eq!(c.by, mine.label());
    assert_eq!(closed.meta.version, open.meta.version + 1);
    assert!(closed.meta.seq > open.meta.seq);
    assert_eq!(store.service_day(&sys, day.id).await.unwrap(), closed);
    let again = store.close_day(&mine, day.id).await.unwrap();
    assert_eq!(again, closed, "a second close changes nothing");

    let other = kader(&store, &r.posyandu_b, "kader.lain").await;
    let e = store.reopen_day(&other, day.id).await.unwrap_err();
    assert!(matches!(e, StoreError::OutOfScope { .. }), "{e}");
    assert_eq!(store.service_day(&sys, day.id).await.unwrap(), closed);

    let reopened = store.reopen_day(&mine, day.id).await.unwrap();
    assert_eq!(reopened.closed, None);
    assert_eq!(reopened.meta.version, closed.meta.version + 1);
    let trail = store.audit_of(&sys, day.id.0).await.unwrap();
    let updates: Vec<_> = trail
        .iter()
        .filter(|a| a.action == AuditAction::Update)
        .map(|a| (a.actor.clone(), a.detail["closed"].clone()))
        .collect();
    assert_eq!(
        updates,
        vec![
            (mine.label(), serde_json::json!(true)),
            (mine.label(), serde_json::json!(false))
        ]
    );
}

/// A service day at `unit` on `date`, stored by the system.
async fn open_day(store: &Store, unit: &OrgUnit, date: time::Date) -> NewServiceDay {
    let day = NewServiceDay {
        id: ServiceDayId::new(),
        org_unit_id: unit.id,
        date,
        note: None,
        captured_at: OffsetDateTime::now_utc(),
    };
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    tx.capture(&day.clone().into()).await.unwrap();
    tx.commit().await.unwrap();
    day
}
