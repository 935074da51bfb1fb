//! Stories about captures, the change feed, audit atomicity, referrals and migrations.

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
