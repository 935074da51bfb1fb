//! `POST /api/v1/sync/push` with registry records created on a phone or laptop: stored in
//! dependency order whatever the order sent (a new person's weighing in the same push), the
//! same create again a duplicate, other content reviewed (person) or refused naming the
//! field (pregnancy), a person at another posyandu refused like any out-of-scope write.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/api_app.rs"]
mod api_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use api_app::*;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use store::*;
use time::OffsetDateTime;
use time::macros::date;

fn statuses(v: &Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

async fn push(app: &axum::Router, token: &str, items: &[Value]) -> Value {
    let (s, v) = call(
        app,
        Method::POST,
        "/api/v1/sync/push",
        Some(token),
        json!({ "captures": items }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_creates_registry_records_in_order_once() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let hh = NewHousehold {
        id: HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: None,
        head_name: "Sutrisno".into(),
        address: None,
        rt: Some("02".into()),
        rw: None,
    };
    let mother = NewPerson {
        household_id: Some(hh.id),
        ..fixture::person(&r.posyandu_a, "Siti", Sex::Female, date!(1995 - 02 - 03))
    };
    let baby = NewPerson {
        household_id: Some(hh.id),
        ..fixture::person(&r.posyandu_a, "Bayi Siti", Sex::Male, date!(2025 - 06 - 01))
    };
    let weight = NewMeasurement {
        id: MeasurementId::new(),
        person_id: baby.id,
        visit_id: None,
        org_unit_id: r.posyandu_a.id,
        measured_on: date!(2025 - 07 - 01),
        kind: MeasurementKind::Weight,
        value: 4.2,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    };
    let finding = NewFinding {
        id: FindingId::new(),
        person_id: baby.id,
        visit_id: None,
        org_unit_id: r.posyandu_a.id,
        found_on: date!(2025 - 07 - 01),
        code: "bgm".into(),
        detail: None,
        captured_at: OffsetDateTime::now_utc(),
    };
    let referral = NewReferral {
        id: ReferralId::new(),
        person_id: baby.id,
        finding_id: Some(finding.id),
        org_unit_id: r.posyandu_a.id,
        referred_on: date!(2025 - 07 - 01),
        to_facility: "Puskesmas Tempursari".into(),
        reason: "BGM".into(),
    };
    let pregnancy = NewPregnancy {
        id: PregnancyId::new(),
        person_id: mother.id,
        lmp: Some(date!(2025 - 05 - 01)),
        due_date: None,
        gravida: Some(2),
        para: Some(1),
        abortus: Some(0),
        high_risk: false,
    };
    let relation = NewRelationship {
        id: RelationshipId::new(),
        person_id: mother.id,
        kind: RelationKind::MotherOf,
        related_person_id: baby.id,
    };
    let person = |p: &NewPerson, parent: Option<&str>| {
        serde_json::to_value(Create::NewPerson(PersonCreate {
            person: p.clone(),
            parent_name: parent.map(Into::into),
        }))
        .unwrap()
    };
    // Sent in the wrong order on purpose: what is pointed at comes last.
    let items = vec![
        serde_json::to_value(Create::NewReferral(referral.clone())).unwrap(),
        serde_json::to_value(Capture::from(weight)).unwrap(),
        serde_json::to_value(Capture::from(finding)).unwrap(),
        serde_json::to_value(Create::NewRelationship(relation)).unwrap(),
        serde_json::to_value(Create::NewPregnancy(pregnancy.clone())).unwrap(),
        person(&baby, Some("Siti")),
        person(&mother, None),
        serde_json::to_value(Create::NewHousehold(hh.clone())).unwrap(),
    ];
    let v = push(&app, &me, &items).await;
    assert_eq!(statuses(&v), vec!["stored"; 8], "{v}");
    let there = store.person(&sys, baby.id).await.unwrap();
    assert_eq!(
        (there.household_id, there.parent_name.as_deref()),
        (Some(hh.id), Some("Siti"))
    );
    assert_eq!(store.measurements_of(&sys, baby.id).await.unwrap().len(), 1);

    // Sent again: each a duplicate, nothing new.
    let v = push(&app, &me, &items).await;
    assert_eq!(statuses(&v), vec!["duplicate"; 8], "{v}");

    // The same ids with other content: the person's field to review, the pregnancy
    // refused naming its field.
    let renamed = NewPerson {
        name: "Arka".into(),
        ..baby.clone()
    };
    let changed = NewPregnancy {
        gravida: Some(3),
        ..pregnancy
    };
    let v = push(
        &app,
        &me,
        &[
            person(&renamed, None),
            serde_json::to_value(Create::NewPregnancy(changed)).unwrap(),
        ],
    )
    .await;
    assert_eq!(statuses(&v), vec!["merged", "refused"], "{v}");
    assert_eq!(v["results"][0]["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(v["results"][1]["error"], "conflict");
    assert_eq!(v["results"][1]["field"], "gravida");
    assert_eq!(
        v["results"][1]["message"],
        "bertentangan dengan data tersimpan"
    );
    assert_eq!(store.person(&sys, baby.id).await.unwrap().name, "Bayi Siti");
    let kader = store
        .user_by_username("kader.melati")
        .await
        .unwrap()
        .unwrap();
    let reviews = store
        .open_reviews(&Actor::for_user(&kader), baby.id)
        .await
        .unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(
        (reviews[0].field.as_str(), &reviews[0].device_value),
        ("name", &json!("Arka"))
    );

    // A person at the other posyandu: refused, nothing stored.
    let far = fixture::person(&r.posyandu_b, "Jauh", Sex::Male, date!(2024 - 01 - 01));
    let v = push(&app, &me, &[person(&far, None)]).await;
    assert_eq!(statuses(&v), vec!["refused"], "{v}");
    assert!(store.person(&sys, far.id).await.is_err());
}
