//! JSON API v1 end to end on a real SQLite file: log in for a token, then a service day by
//! API calls only — the same operations as the pages, errors naming field and value,
//! replays harmless, another posyandu's ids 404, CSRF for cookie sessions, and the OpenAPI
//! document covering every API route of the route table.
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
use store::{Actor, Sex};
use time::macros::date;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_day_through_the_api() {
    let (_dir, store, r, app) = setup().await;
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/session",
        None,
        json!({"username": "kader.melati", "password": "salah"}),
    )
    .await;
    assert_eq!(
        (s, v["error"].as_str()),
        (StatusCode::UNAUTHORIZED, Some("login"))
    );
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
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

    // Open the day; a bad date is refused naming the field and the value.
    let day_id = uuid::Uuid::now_v7().to_string();
    let open = json!({"id": day_id, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"});
    let mut bad = open.clone();
    bad["date"] = json!("2026-13-01");
    let (s, v) = call(&app, Method::POST, "/api/v1/days", Some(&me), bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (v["field"].as_str(), v["value"].as_str()),
        (Some("date"), Some("2026-13-01")),
        "{v}"
    );
    let (s, v) = call(&app, Method::POST, "/api/v1/days", Some(&me), open.clone()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = call(&app, Method::POST, "/api/v1/days", Some(&me), open).await;
    assert_eq!(s, StatusCode::OK, "opening twice is harmless");
    let day = format!("/api/v1/days/{day_id}");

    let (_, found) = call(
        &app,
        Method::GET,
        &format!("{day}/search?q=putri"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(found[0]["name"], "Putri Lestari");

    // Step 3 preview then save, with a decimal comma; the answer equals `posyandu screen`'s.
    let person = format!("{day}/persons/{}", girl.id);
    let readings = json!({"weight_kg": "9,6", "lenhei_cm": 78.0, "measure": "h"});
    let (s, a) = call(
        &app,
        Method::POST,
        &format!("{person}/assessment"),
        Some(&me),
        json!({"id": uuid::Uuid::now_v7().to_string(), "readings": readings}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    assert_eq!(a["saved"], false);
    assert!(
        a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "lfa_stunted" && f["action"] == "rujuk"),
        "{a}"
    );
    let line = r#"{"id":"x","sex":"F","birth_date":"2024-12-01","visit_date":"2026-12-01","measurements":{"weight_kg":9.6,"lenhei_cm":78.0,"measure":"h"},"previous_weighings":[]}"#;
    let cli: Value = serde_json::from_str(&domain::screen::screen_line(
        line,
        &domain::Settings::default(),
    ))
    .unwrap();
    assert_eq!(a["zscores"]["zlen"], cli["zscores"]["zlen"]);
    assert_eq!(a["zscores"]["zwei"], cli["zscores"]["zwei"]);
    let capture = json!({"id": uuid::Uuid::now_v7().to_string(), "readings": readings});
    let (s, a) = call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&me),
        capture.clone(),
    )
    .await;
    assert_eq!((s, &a["saved"]), (StatusCode::OK, &json!(true)), "{a}");
    call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&me),
        capture,
    )
    .await;
    assert_eq!(
        store.measurements_of(&sys, girl.id).await.unwrap().len(),
        2,
        "the replay stored nothing"
    );
    // A bad reading names the field and the value.
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&me),
        json!({"id": uuid::Uuid::now_v7().to_string(), "readings": {"weight_kg": "9,6,1"}}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        (v["field"].as_str(), v["value"].as_str()),
        (Some("readings.weight_kg"), Some("9,6,1"))
    );
    // An implausible value is not stored until confirmed.
    let wild = json!({"weight_kg": 30.0, "lenhei_cm": 78.0, "measure": "h"});
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&me),
        json!({"id": uuid::Uuid::now_v7().to_string(), "readings": wild}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert_eq!(v["error"], "recheck");
    assert_eq!(store.measurements_of(&sys, girl.id).await.unwrap().len(), 2);

    // Services and counselling with a referral pre-filled from the findings.
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/services"),
        Some(&me),
        json!({"id": uuid::Uuid::now_v7().to_string(), "vaccines": ["MR2"], "pmt": true}),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{person}/counselling"),
        Some(&me),
        json!({"id": uuid::Uuid::now_v7().to_string(), "note": "Isi Piringku", "refer": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v["reason"].as_str().unwrap().contains("Pendek"), "{v}");
    let (_, sum) = call(
        &app,
        Method::GET,
        &format!("{day}/summary"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(sum["came"][0]["name"], "Putri Lestari");
    assert_eq!(sum["doses_total"], 1);
    assert_eq!(sum["referred"].as_array().unwrap().len(), 1);

    // Another posyandu's cadre: 404 on every id, nothing of the child in the answer.
    for uri in [
        day.clone(),
        format!("{day}/summary"),
        format!("/api/v1/persons/{}", girl.id),
    ] {
        let (s, v) = call(&app, Method::GET, &uri, Some(&other), Value::Null).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(!v.to_string().contains("Putri"));
    }
    let (s, _) = call(
        &app,
        Method::POST,
        &format!("{person}/measurements"),
        Some(&other),
        json!({}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "404 before the body is read");
    let (s, _) = call(&app, Method::GET, "/api/v1/days", None, Value::Null).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_covers_every_api_route() {
    let doc = serde_json::to_value(web::api::openapi::document()).unwrap();
    let paths = doc["paths"].as_object().unwrap();
    let mut missing = Vec::new();
    for spec in web::route_table().specs() {
        if !spec.path.starts_with("/api/") || spec.path.ends_with("openapi.json") {
            continue;
        }
        let method = spec.method.as_str().to_lowercase();
        if paths.get(spec.path).and_then(|p| p.get(&method)).is_none() {
            missing.push(format!("{} {}", spec.method, spec.path));
        }
    }
    assert!(
        missing.is_empty(),
        "not in the OpenAPI document: {missing:?}"
    );
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
}

/// Closing the day: the summary is final, captures into it are refused (409 `day_closed`)
/// until it is reopened; another posyandu's kader cannot close it (404).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_day_refuses_captures_until_reopened() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let sys = Actor::system("test");
    let boy = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_a, "Bima", Sex::Male, date!(2025 - 01 - 10)),
    )
    .await;
    let day_id = uuid::Uuid::now_v7().to_string();
    let open = json!({"id": day_id, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"});
    let (s, v) = call(&app, Method::POST, "/api/v1/days", Some(&me), open).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(v.get("closed_at").is_none(), "{v}");
    let day = format!("/api/v1/days/{day_id}");
    let measure = format!("{day}/persons/{}/measurements", boy.id);
    let reading = || json!({"id": uuid::Uuid::now_v7().to_string(), "readings": {"weight_kg": 9.1, "lenhei_cm": 76.0, "confirmed": true}});
    let (s, v) = call(&app, Method::POST, &measure, Some(&me), reading()).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let (s, _) = call(
        &app,
        Method::POST,
        &format!("{day}/close"),
        Some(&other),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another posyandu's day");
    let (s, closed) = call(
        &app,
        Method::POST,
        &format!("{day}/close"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{closed}");
    let at = closed["closed_at"].as_str().unwrap().to_owned();
    let (_, again) = call(
        &app,
        Method::POST,
        &format!("{day}/close"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(
        again["closed_at"].as_str(),
        Some(at.as_str()),
        "the first close is kept"
    );
    let (_, detail) = call(&app, Method::GET, &day, Some(&me), Value::Null).await;
    assert_eq!(
        detail["day"]["closed_at"].as_str(),
        Some(at.as_str()),
        "{detail}"
    );

    let (s, v) = call(&app, Method::POST, &measure, Some(&me), reading()).await;
    assert_eq!(
        (s, v["error"].as_str()),
        (StatusCode::CONFLICT, Some("day_closed")),
        "{v}"
    );
    assert!(v["message"].as_str().unwrap().contains("ditutup"), "{v}");
    let (s, v) = call(
        &app,
        Method::POST,
        &format!("{day}/arrivals"),
        Some(&me),
        json!({"visit_id": uuid::Uuid::now_v7().to_string(), "person_id": boy.id.to_string()}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");

    let (s, reopened) = call(
        &app,
        Method::POST,
        &format!("{day}/reopen"),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{reopened}");
    assert!(reopened.get("closed_at").is_none(), "{reopened}");
    let (s, v) = call(&app, Method::POST, &measure, Some(&me), reading()).await;
    assert_eq!(s, StatusCode::OK, "a late entry after reopening: {v}");
    let day_uuid = uuid::Uuid::parse_str(&day_id).unwrap();
    let trail = store.audit_of(&sys, day_uuid).await.unwrap();
    let closes: Vec<_> = trail
        .iter()
        .map(|a| a.detail["closed"].clone())
        .filter(|c| !c.is_null())
        .collect();
    assert_eq!(closes, vec![json!(true), json!(false)]);
}

/// Sync: a phone's outbox pushed, cut off and pushed again, stores each capture once; an
/// item that does not parse and one outside the user's subtree are refused by themselves;
/// the pull feed pages through the user's subtree only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_push_is_idempotent_and_pull_pages_the_users_subtree() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let sys = Actor::system("test");
    let child = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_a, "Nanda", Sex::Female, date!(2024 - 06 - 01)),
    )
    .await;
    let (_, start) = call(
        &app,
        Method::GET,
        "/api/v1/sync/pull?after=0&limit=5000",
        Some(&me),
        Value::Null,
    )
    .await;
    let after = start["next_after"].as_i64().unwrap();
    let outbox: Vec<Value> = (0..5)
        .map(|i| {
            let m = fixture::weight(
                &child,
                &r.posyandu_a,
                date!(2025 - 06 - 02),
                9.0 + f64::from(i) / 10.0,
            );
            serde_json::to_value(store::Capture::from(m)).unwrap()
        })
        .collect();
    let statuses = |v: &Value| -> Vec<String> {
        v["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_owned())
            .collect()
    };
    // The first three arrive, the answer is lost; then the whole outbox, twice.
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/push",
        Some(&me),
        json!({"captures": outbox[..3]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(statuses(&v), vec!["stored"; 3]);
    let (_, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/push",
        Some(&me),
        json!({"captures": outbox}),
    )
    .await;
    assert_eq!(
        statuses(&v),
        vec!["duplicate", "duplicate", "duplicate", "stored", "stored"]
    );
    let (_, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/push",
        Some(&me),
        json!({"captures": outbox}),
    )
    .await;
    assert_eq!(statuses(&v), vec!["duplicate"; 5]);

    // A broken item and one at another posyandu, between two good ones.
    let elsewhere = fixture::weight(&child, &r.posyandu_b, date!(2025 - 07 - 01), 9.9);
    let late = fixture::weight(&child, &r.posyandu_a, date!(2025 - 07 - 01), 9.8);
    let batch = json!({"captures": [
        serde_json::to_value(store::Capture::from(late)).unwrap(),
        {"Measurement": {"id": "bukan-uuid"}},
        serde_json::to_value(store::Capture::from(elsewhere)).unwrap(),
    ]});
    let (_, v) = call(&app, Method::POST, "/api/v1/sync/push", Some(&me), batch).await;
    assert_eq!(statuses(&v), vec!["stored", "refused", "refused"], "{v}");
    assert_eq!(
        v["results"][1]["field"].as_str(),
        Some("captures[1]"),
        "{v}"
    );
    assert_eq!(v["results"][2]["error"].as_str(), Some("not_found"), "{v}");

    // Pull in pages of 2: six measurements, each once; the other posyandu's kader: none.
    let mut seen = Vec::new();
    let mut cursor = after;
    loop {
        let (s, page) = call(
            &app,
            Method::GET,
            &format!("/api/v1/sync/pull?after={cursor}&limit=2"),
            Some(&me),
            Value::Null,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        for c in page["changes"].as_array().unwrap() {
            if let Some(m) = c["record"].get("Measurement") {
                seen.push(m["id"].as_str().unwrap().to_owned());
            }
        }
        cursor = page["next_after"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    let n = seen.len();
    seen.sort();
    seen.dedup();
    assert_eq!((n, seen.len()), (6, 6));
    let (_, theirs) = call(
        &app,
        Method::GET,
        &format!("/api/v1/sync/pull?after={after}"),
        Some(&other),
        Value::Null,
    )
    .await;
    assert!(!theirs.to_string().contains("Measurement"), "{theirs}");
    let (s, v) = call(
        &app,
        Method::GET,
        "/api/v1/sync/pull?after=sepuluh",
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("after"))
    );
}

/// Two phones edit one person offline from the same version and push: the fields changed
/// on one side are merged, the same field changed differently waits for review; the same
/// push again adds no second review.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_push_merges_person_edits_and_sends_true_conflicts_to_review() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let base = fixture::person(&r.posyandu_a, "Wulan", Sex::Female, date!(2023 - 08 - 01));
    let p = fixture::add_person(&store, &sys, &base).await;
    let edit = |name: &str, phone: &str| {
        let mut edited = serde_json::to_value(&base).unwrap();
        edited["name"] = json!(name);
        edited["phone"] = json!(phone);
        json!({"PersonEdit": {"base_version": p.meta.version, "base": base, "edited": edited}})
    };
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/push",
        Some(&me),
        json!({"captures": [edit("Wulan", "0811")]}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["results"][0]["status"], "merged", "{v}");
    assert_eq!(v["results"][0]["applied"], json!(["phone"]), "{v}");
    // The second phone renamed her and typed another number, from the same version.
    let second = json!({"captures": [edit("Wulan Sari", "0822")]});
    let (_, v) = call(
        &app,
        Method::POST,
        "/api/v1/sync/push",
        Some(&me),
        second.clone(),
    )
    .await;
    assert_eq!(v["results"][0]["applied"], json!(["name"]), "{v}");
    let review = v["results"][0]["reviews"][0].as_str().unwrap().to_owned();
    let (_, again) = call(&app, Method::POST, "/api/v1/sync/push", Some(&me), second).await;
    assert_eq!(
        again["results"][0]["reviews"][0].as_str(),
        Some(review.as_str()),
        "{again}"
    );
    let now = store.person(&sys, p.id).await.unwrap();
    assert_eq!(
        (now.name.as_str(), now.phone.as_deref()),
        ("Wulan Sari", Some("0811"))
    );
    let open = store.open_reviews(&sys, p.id).await.unwrap();
    assert_eq!(open.len(), 1, "one review, not one per push");
    assert_eq!(open[0].device_value, json!("0822"));
}

/// "Siapkan hari buka": every person of the posyandu, the balita with the day's cut-points
/// (weight-for-length tables named from `tables`, BMI tables packed) and last weighing, an
/// adult without cut-points; another posyandu's kader gets 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preparing_a_day_gives_each_balita_its_cut_points() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let home = store::NewHousehold {
        id: store::HouseholdId::new(),
        org_unit_id: r.posyandu_a.id,
        kk_number: None,
        head_name: "Pak Slamet".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("02".into()),
        rw: None,
    };
    tx.create_household(&home).await.unwrap();
    tx.commit().await.unwrap();
    let baby = fixture::add_person(
        &store,
        &sys,
        &store::NewPerson {
            household_id: Some(home.id),
            ..fixture::person(&r.posyandu_a, "Bayu", Sex::Male, date!(2025 - 10 - 01))
        },
    )
    .await;
    fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_a, "Pak Darto", Sex::Male, date!(1970 - 01 - 01)),
    )
    .await;
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&fixture::weight(&baby, &r.posyandu_a, date!(2026 - 11 - 02), 6.1).into())
        .await
        .unwrap();
    // October found him underweight, November stunted: the roster shows November's.
    for (on, code) in [
        (date!(2026 - 10 - 05), "underweight"),
        (date!(2026 - 11 - 02), "stunting"),
    ] {
        let f = store::NewFinding {
            id: store::FindingId::new(),
            person_id: baby.id,
            visit_id: None,
            org_unit_id: r.posyandu_a.id,
            found_on: on,
            code: code.into(),
            detail: None,
            captured_at: time::OffsetDateTime::now_utc(),
        };
        tx.capture(&store::Capture::Finding(f)).await.unwrap();
    }
    tx.commit().await.unwrap();
    let day_id = uuid::Uuid::now_v7().to_string();
    let open = json!({"id": day_id, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"});
    call(&app, Method::POST, "/api/v1/days", Some(&me), open).await;
    let uri = format!("/api/v1/days/{day_id}/prepare");
    let (s, v) = call(&app, Method::GET, &uri, Some(&me), Value::Null).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let persons = v["persons"].as_array().unwrap();
    let find = |name: &str| persons.iter().find(|p| p["name"] == name).unwrap().clone();
    let b = find("Bayu");
    assert_eq!(b["group"], "balita", "{b}");
    assert_eq!(b["last_weight"], json!(["2026-11-02", 6.1]));
    let cuts = &b["cutpoints"];
    assert_eq!(cuts["age_days"], 426, "{b}");
    let tables = v["tables"].as_object().unwrap();
    assert_eq!(cuts["lenhei"].as_array().unwrap().len(), 2);
    for l in cuts["lenhei"].as_array().unwrap() {
        // 426 days: lying as measured, standing brought to length (+0.7 cm); boys' tables.
        let key = l["wfl"]["table"].as_str().unwrap();
        let want = if l["position"] == "l" {
            "wfl_L_length"
        } else {
            "wfl_L_length_standing"
        };
        assert_eq!(key, want, "{l}");
        assert!(tables[key]["columns"].as_array().unwrap().len() == 7);
        assert!(l["wfl"]["len"].as_u64().unwrap() > 100, "{l}");
        assert!(l["bmi"]["columns"].as_array().unwrap().len() == 7, "{l}");
    }
    assert_eq!(tables.len(), 2, "only the tables named");
    // Step 4's offer as the page makes it: 14 months with no dose given, DPT-HB-Hib 1 is late.
    let due = b["offer"]["due"].as_array().unwrap();
    assert!(
        due.iter()
            .any(|d| d["code"] == "DPT_HB_HIB1" && d["overdue"] == true),
        "{b}"
    );
    assert!(
        b["offer"].get("vitamin_a").is_none(),
        "not a vitamin A month"
    );
    assert_eq!(
        b["household"],
        json!({"head": "Pak Slamet", "address": "Dusun Krajan, RT 02"})
    );
    assert_eq!(
        b["last_findings"],
        json!({"date": "2026-11-02", "codes": ["stunting"]})
    );
    assert_eq!(b["questionnaires"], json!(["tb_symptoms"]));
    let d = find("Pak Darto");
    assert_eq!(d["group"], "dewasa", "{d}");
    assert!(d["cutpoints"].is_null());
    // 56 years: TB symptoms, SRQ-20 (from 15) and PUMA (from 40), no lansia forms.
    assert_eq!(d["questionnaires"], json!(["tb_symptoms", "srq20", "puma"]));
    assert!(d.get("household").is_none() && d.get("last_findings").is_none());
    // Someone registered on the phone: the form by birth date, youngest band first.
    let bands = v["newcomers"].as_array().unwrap();
    assert_eq!(bands[0]["group"], "balita", "{v}");
    assert_eq!(bands.last().unwrap()["group"], "lansia");
    let (s, v) = call(&app, Method::GET, &uri, Some(&other), Value::Null).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!v.to_string().contains("Bayu"));
}
