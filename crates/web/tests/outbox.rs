//! `POST /api/v1/sync/steps`, the offline page's outbox sent in one request: each step
//! answered as its own endpoint answers it, in order; a failed step holds the later steps of
//! its person (and the day's close) until the cadre decides; sending the batch again, whole
//! or after a cut, stores each step once; another posyandu's day answers 404 step by step.
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
use store::{Actor, PersonId, Sex};
use time::macros::date;
use uuid::Uuid;

fn id() -> String {
    Uuid::now_v7().to_string()
}

fn statuses(v: &Value) -> Vec<u64> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_u64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_is_answered_step_by_step_and_stored_once() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let girl = fixture::add_person(
        &store,
        &sys,
        &fixture::person(
            &r.posyandu_a,
            "Putri Lestari",
            Sex::Female,
            date!(2024 - 12 - 01),
        ),
    )
    .await;
    let day = id();
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/days",
        Some(&me),
        json!({"id": day, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");

    // A baby registered on the phone, weighed, vaccinated and referred; the girl weighed
    // with a value to measure again, so her services and the close wait.
    let baby = id();
    let girl_id = girl.id.to_string();
    let step = |op: &str, person: Option<&str>, body: Value| json!({"id": id(), "op": op, "day": day, "person": person, "body": body});
    let heavy = step(
        "measurements",
        Some(&girl_id),
        json!({"id": id(), "readings": {"weight_kg": "60", "lenhei_cm": "85"}}),
    );
    let girl_services = step("services", Some(&girl_id), json!({"id": id(), "pmt": true}));
    let batch = json!({"steps": [
        step("register", None, json!({"person_id": baby, "visit_id": id(), "name": "Bayi Uji",
            "sex": "L", "birth_date": "2026-10-01", "parent_name": "Ibu Uji", "household_head": "Pak Uji"})),
        step("measurements", Some(&baby), json!({"id": id(), "readings": {"weight_kg": "4,9", "lenhei_cm": "55", "measure": "l"}})),
        step("services", Some(&baby), json!({"id": id(), "vaccines": ["DPT_HB_HIB1"]})),
        step("counselling", Some(&baby), json!({"id": id(), "refer": true, "reason": "BB kurang"})),
        step("arrive", Some(&girl_id), json!({"visit_id": id(), "person_id": girl_id})),
        heavy,
        girl_services,
        step("close", None, json!({})),
    ]});
    let (s, first) = call(
        &app,
        Method::POST,
        "/api/v1/sync/steps",
        Some(&me),
        batch.clone(),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{first}");
    assert_eq!(
        statuses(&first),
        [200, 200, 204, 200, 200, 409, 424, 424],
        "{first}"
    );
    assert_eq!(first["results"][0]["body"]["stored"], true);
    assert_eq!(first["results"][5]["body"]["error"], "recheck");
    assert_eq!(first["results"][6]["body"]["error"], "held");

    // Sent again (the answer was lost), then only its first half (a cut): nothing twice.
    let (_, again) = call(
        &app,
        Method::POST,
        "/api/v1/sync/steps",
        Some(&me),
        batch.clone(),
    )
    .await;
    assert_eq!(statuses(&again), statuses(&first), "{again}");
    let half = json!({"steps": batch["steps"].as_array().unwrap()[..3]});
    let (_, _) = call(&app, Method::POST, "/api/v1/sync/steps", Some(&me), half).await;
    let baby_id = PersonId(Uuid::parse_str(&baby).unwrap());
    assert_eq!(
        store.measurements_of(&sys, baby_id).await.unwrap().len(),
        2,
        "weight and length, once"
    );
    assert_eq!(store.doses_of(&sys, baby_id).await.unwrap().len(), 1);
    assert!(
        store
            .measurements_of(&sys, girl.id)
            .await
            .unwrap()
            .is_empty(),
        "the re-check stored nothing"
    );
    let (_, sum) = call(
        &app,
        Method::GET,
        &format!("/api/v1/days/{day}/summary"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(sum["referred"].as_array().unwrap().len(), 1, "{sum}");
    assert_eq!(sum["came"].as_array().unwrap().len(), 2, "{sum}");

    // The next preparation shows the baby's referral as still open.
    let (_, prep) = call(
        &app,
        Method::GET,
        &format!("/api/v1/days/{day}/prepare"),
        Some(&me),
        Value::Null,
    )
    .await;
    let b = prep["persons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == baby.as_str())
        .unwrap()
        .clone();
    assert_eq!(
        (
            b["referrals"][0]["status"].as_str(),
            b["referrals"][0]["reason"].as_str()
        ),
        (Some("dibuat"), Some("BB kurang")),
        "{b}"
    );

    // The cadre confirms the girl's values: the held steps go through, the day closes.
    let mut confirmed = batch["steps"][5].clone();
    confirmed["body"]["readings"]["confirmed"] = json!(true);
    let rest = json!({"steps": [confirmed, batch["steps"][6], batch["steps"][7]]});
    let (_, done) = call(&app, Method::POST, "/api/v1/sync/steps", Some(&me), rest).await;
    assert_eq!(statuses(&done), [200, 204, 200], "{done}");
    assert_eq!(store.measurements_of(&sys, girl.id).await.unwrap().len(), 2);
    let (_, d) = call(
        &app,
        Method::GET,
        &format!("/api/v1/days/{day}"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert!(d["day"]["closed_at"].is_string(), "{d}");

    // Another posyandu's kader: every step is refused as not found, nothing stored.
    let other = token(&app, "kader.mawar").await;
    let theirs = json!({"steps": [step("measurements", Some(&girl_id), json!({"id": id(), "readings": {"weight_kg": "11"}}))]});
    let (_, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/steps",
        Some(&other),
        theirs,
    )
    .await;
    assert_eq!(statuses(&v), [404], "{v}");
    assert_eq!(store.measurements_of(&sys, girl.id).await.unwrap().len(), 2);

    // An unknown step is refused by itself, naming the field and the value.
    let odd = json!({"steps": [step("teleport", None, json!({}))]});
    let (_, v) = call(&app, Method::POST, "/api/v1/sync/steps", Some(&me), odd).await;
    assert_eq!(statuses(&v), [422]);
    assert_eq!(
        (
            v["results"][0]["body"]["field"].as_str(),
            v["results"][0]["body"]["value"].as_str()
        ),
        (Some("op"), Some("teleport"))
    );
}
