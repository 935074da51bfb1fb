//! Everything else a laptop changes, and refusals parked for good (part of the story in
//! `laptop_sync.rs`).

use super::*;

use super::records::{deleted_on, pregnancy_of, referral_for, woman};

/// What the laptop changes besides persons' fields reaches the server through the same
/// merge as a phone's edits: a referral moved on with its note (and one moved on both
/// sides: the note to review), a pregnancy's end, a parent's name (merged with a server
/// edit of another field), deletions of a link, a pregnancy and a referral (one edited on
/// the server meanwhile: to review). A referral made and moved on here arrives moved on;
/// captures and referrals keep who made them here ("<kader> via <account>").
pub(super) async fn laptop_changes_reach_the_server(
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
pub(super) async fn refused_for_good_is_parked(
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
