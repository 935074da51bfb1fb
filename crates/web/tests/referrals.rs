//! The referral inbox (issue 10 item 5) on a real SQLite file: a kader refers a child on
//! the service day; the village midwife finds it in her inbox with the day's findings,
//! accepts it, records the follow-up and closes it, each step audited; a second move from a
//! stale version is refused; the cadre sees the outcome on the person page, on the next
//! day's step 2 and in its prepared roster; another village's referral is not in the inbox and 404 by id.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/api_app.rs"]
mod api_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use api_app::*;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use store::{Actor, NewUser, Role, Sex, UserId};
use time::macros::date;
use tower::ServiceExt;

async fn bidan(store: &store::Store, unit: &store::OrgUnit, name: &str) {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let u = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: name.into(),
            display_name: "Bidan Rina".into(),
            role: Role::Bidan,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new(name, "kata-sandi-uji-2026").unwrap();
    tx.set_password(u.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
}

async fn html(app: &axum::Router, uri: &str, token: &str) -> String {
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{uri}");
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    String::from_utf8_lossy(&bytes).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_goes_from_the_posyandu_to_the_midwife_and_back() {
    let (_dir, store, r, app) = setup().await;
    bidan(&store, &r.desa_a, "bidan.a").await;
    let kader = token(&app, "kader.melati").await;
    let mid = token(&app, "bidan.a").await;
    let sys = Actor::system("test");
    let child = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_a, "Bayu", Sex::Male, date!(2025 - 10 - 01)),
    )
    .await;
    let elsewhere = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_b, "Dimas", Sex::Male, date!(2025 - 03 - 01)),
    )
    .await;

    // The service day: weigh a child far below the line, then refer at step 5.
    let day = uuid::Uuid::now_v7().to_string();
    let open = json!({"id": day, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"});
    let (s, v) = call(&app, Method::POST, "/api/v1/days", Some(&kader), open).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let person = format!("/api/v1/days/{day}/persons/{}", child.id);
    let weigh = json!({"id": uuid::Uuid::now_v7().to_string(), "readings": {"weight_kg": 6.0, "lenhei_cm": 70, "measure": "l", "confirmed": true}});
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&kader),
        weigh,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let refer = json!({"id": uuid::Uuid::now_v7().to_string(), "refer": true, "reason": "Berat sangat kurang"});
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/counselling"),
        Some(&kader),
        refer,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    // Another village's referral, which the midwife of desa A does not see.
    let mut tx = store.begin(&sys).await.unwrap();
    let far = tx
        .create_referral(&store::NewReferral {
            id: store::ReferralId::new(),
            person_id: elsewhere.id,
            finding_id: None,
            org_unit_id: r.posyandu_b.id,
            referred_on: date!(2026 - 12 - 01),
            to_facility: "Puskesmas".into(),
            reason: "Demam".into(),
        })
        .await
        .unwrap()
        .record;
    tx.commit().await.unwrap();

    // The midwife's inbox: the child with the day's findings.
    let (s, inbox) = call(
        &app,
        Method::GET,
        "/api/v1/referrals",
        Some(&mid),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{inbox}");
    let items = inbox["items"].as_array().unwrap();
    assert_eq!(
        (items.len(), inbox["total"].as_u64()),
        (1, Some(1)),
        "only her village: {inbox}"
    );
    let item = &items[0];
    assert_eq!(
        (
            item["person_name"].as_str(),
            item["status"].as_str(),
            item["reason"].as_str()
        ),
        (Some("Bayu"), Some("dibuat"), Some("Berat sangat kurang"))
    );
    assert!(!item["findings"].as_array().unwrap().is_empty(), "{item}");
    let page = html(&app, "/rujukan", &mid).await;
    assert!(page.contains("Bayu") && page.contains("Terima rujukan") && !page.contains("Dimas"));
    let id = item["id"].as_str().unwrap().to_owned();
    let advance = format!("/api/v1/referrals/{id}/advance");

    // Accept, then a second accept from the same (now stale) version is refused.
    let mut version = item["version"].as_i64().unwrap();
    let step = |to: &str, note: &str, v: i64| json!({"version": v, "to": to, "note": note});
    let (s, v) = call(
        &app,
        Method::POST,
        &advance,
        Some(&mid),
        step("diterima", "", version),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(
        &app,
        Method::POST,
        &advance,
        Some(&mid),
        step("diterima", "", version),
    )
    .await;
    assert_eq!(
        (s, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("stale")),
        "{v}"
    );
    // Skipping a step is refused too, naming nothing stored.
    version += 1;
    let (s, _) = call(
        &app,
        Method::POST,
        &advance,
        Some(&mid),
        step("selesai", "", version),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = call(
        &app,
        Method::POST,
        &advance,
        Some(&mid),
        step("ditindaklanjuti", "Diberi PMT dan konseling gizi", version),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = call(
        &app,
        Method::POST,
        &advance,
        Some(&mid),
        step("selesai", "Kembali dipantau di posyandu", version + 1),
    )
    .await;
    assert_eq!(
        (s, v["status"].as_str()),
        (StatusCode::OK, Some("selesai")),
        "{v}"
    );
    let (_, open) = call(
        &app,
        Method::GET,
        "/api/v1/referrals",
        Some(&mid),
        Value::Null,
    )
    .await;
    assert_eq!(
        open,
        json!({"total": 0, "items": []}),
        "nothing open any more"
    );
    let (_, done) = call(
        &app,
        Method::GET,
        "/api/v1/referrals?status=selesai",
        Some(&mid),
        Value::Null,
    )
    .await;
    assert_eq!(
        done["items"][0]["status_note"],
        "Kembali dipantau di posyandu"
    );
    let rid = store::ReferralId::parse(&id).unwrap();
    let audit = store.audit_of(&sys, rid.0).await.unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action == store::codes::AuditAction::Transition)
            .count(),
        3,
        "{audit:?}"
    );

    // The cadre sees it on the person page.
    let page = html(&app, &format!("/orang/{}", child.id), &kader).await;
    assert!(
        page.contains("selesai (Kembali dipantau di posyandu)"),
        "{page}"
    );

    // And on the next service day: in the prepared roster and on the person's step 2.
    let next = uuid::Uuid::now_v7().to_string();
    let open = json!({"id": next, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-15", "kader": "Bu Sri"});
    call(&app, Method::POST, "/api/v1/days", Some(&kader), open).await;
    let (_, prepared) = call(
        &app,
        Method::GET,
        &format!("/api/v1/days/{next}/prepare"),
        Some(&kader),
        Value::Null,
    )
    .await;
    let bayu = prepared["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Bayu")
        .unwrap();
    assert_eq!(
        bayu["referrals"],
        json!([{"referred_on": "2026-12-01", "reason": "Berat sangat kurang", "status": "selesai", "note": "Kembali dipantau di posyandu"}])
    );
    let step2 = html(&app, &format!("/hari/{next}/orang/{}", child.id), &kader).await;
    assert!(
        step2.contains("selesai (Kembali dipantau di posyandu)"),
        "{step2}"
    );

    // Another village's referral: 404 by id, for the page and the API.
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("/api/v1/referrals/{}/advance", far.id),
        Some(&mid),
        step("diterima", "", 1),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // A kader has no inbox.
    let (s, _) = call(
        &app,
        Method::GET,
        "/api/v1/referrals",
        Some(&kader),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
