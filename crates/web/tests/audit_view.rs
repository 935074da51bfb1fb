//! Who saw and changed what (issue 10 item 7) on a real SQLite file: a kader opens a
//! child's record and downloads a target list; the bidan reads the child's access history
//! and the Puskesmas admin the kader's activity (no NIK on either page); the admin gives the
//! kader a temporary password, after which the old one and the old session no longer work.
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

async fn account(store: &store::Store, unit: &store::OrgUnit, name: &str, role: Role) -> UserId {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let u = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: name.into(),
            display_name: format!("Pengguna {name}"),
            role,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new(name, "kata-sandi-uji-2026").unwrap();
    tx.set_password(u.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    u.id
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn get(uri: &str, token: &str) -> Request<Body> {
    Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap()
}

/// A hidden input's value in a page.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).unwrap() + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn views_and_changes_are_audited_and_shown_per_person_and_per_user() {
    let (_dir, store, r, app) = setup().await;
    let kader_id = store
        .user_by_username("kader.melati")
        .await
        .unwrap()
        .unwrap()
        .id;
    account(&store, &r.desa_a, "bidan.a", Role::Bidan).await;
    account(&store, &r.puskesmas, "admin.pkm", Role::PuskesmasOfficer).await;
    let kader = token(&app, "kader.melati").await;
    let bidan = token(&app, "bidan.a").await;
    let admin = token(&app, "admin.pkm").await;
    let sys = Actor::system("test");
    let nik = "3508014101260001";
    let child = fixture::add_person(
        &store,
        &sys,
        &store::NewPerson {
            nik: Some(store::Nik::parse(nik).unwrap()),
            ..fixture::person(&r.posyandu_a, "Sari", Sex::Female, date!(2026 - 01 - 01))
        },
    )
    .await;

    // The kader reads the record and downloads a list.
    let (s, _) = send(&app, get(&format!("/orang/{}", child.id), &kader)).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = send(
        &app,
        get("/sasaran?list=imunisasi&month=2026-06&format=csv", &kader),
    )
    .await;
    assert_eq!(s, StatusCode::OK);

    // The bidan: the child's access history names the kader's view; no NIK.
    let (s, html) = send(&app, get(&format!("/orang/{}/audit", child.id), &bidan)).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Dilihat · data orang"), "{html}");
    assert!(
        html.contains("Pengguna kader.melati") || html.contains("kader.melati"),
        "{html}"
    );
    assert!(html.contains("Dibuat · data orang"));
    assert!(
        !html.contains(nik) && !html.contains("0001"),
        "no NIK digits: {html}"
    );
    // A kader may not read access histories.
    let (s, _) = send(&app, get(&format!("/orang/{}/audit", child.id), &kader)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // The Puskesmas admin: the kader's activity, newest first (the download, then the view).
    let (s, html) = send(
        &app,
        get(&format!("/admin/pengguna/{kader_id}/audit"), &admin),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let list = html.find("Dilihat · wilayah").unwrap();
    let record = html.find("Dilihat · data orang").unwrap();
    assert!(list < record, "newest first");
    assert!(
        html.contains("list: imunisasi") && html.contains("as: csv"),
        "{html}"
    );

    // A temporary password: shown once, the old password and session end.
    let (_, users) = send(&app, get("/admin/pengguna", &admin)).await;
    let csrf = hidden(&users, "csrf");
    let req = Request::post(format!("/admin/pengguna/{kader_id}/sandi"))
        .header(header::AUTHORIZATION, format!("Bearer {admin}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
    let page =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    let start = page.find("class=\"temp-password mono\"").unwrap();
    let temp = page[start..]
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    assert_eq!(temp.len(), 14, "{temp}");
    let (s, _) = send(&app, get(&format!("/orang/{}", child.id), &kader)).await;
    assert_ne!(s, StatusCode::OK, "the old session has ended");
    let login = |password: &str| {
        call(
            &app,
            Method::POST,
            "/api/v1/session",
            None,
            json!({"username": "kader.melati", "password": password}),
        )
    };
    let (s, _) = login("kata-sandi-uji-2026").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, v): (StatusCode, Value) = login(&temp).await;
    assert_eq!(s, StatusCode::OK, "{v}");
}

/// The views a person's record leaves besides `/orang/{person}`, oldest first.
async fn views_of(store: &store::Store, person: uuid::Uuid) -> Vec<Value> {
    store
        .audit_of(&Actor::system("test"), person)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == store::codes::AuditAction::View)
        .map(|e| {
            assert!(!e.actor.starts_with("system:"), "the reader is named");
            e.detail
        })
        .collect()
}

/// Every other route that shows one person's record audits the view as `/orang/{person}`
/// does: the JSON person (`/api/v1/persons/{person}`) and the service day's steps that show
/// the person (2 measurements, 4 services, 5 counselling). A list that names the person
/// (the day's search, the day's arrivals) leaves no view per row; another posyandu's kader
/// gets 404 and leaves none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_api_and_the_day_steps_audit_each_view() {
    let (_dir, store, r, app) = setup().await;
    let kader = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let child = fixture::add_person(
        &store,
        &Actor::system("test"),
        &fixture::person(&r.posyandu_a, "Sari", Sex::Female, date!(2026 - 01 - 01)),
    )
    .await;
    let day_id = uuid::Uuid::now_v7().to_string();
    let (s, v) = call(
        &app,
        Method::POST,
        "/api/v1/days",
        Some(&kader),
        json!({"id": day_id, "unit_id": r.posyandu_a.id.to_string(), "date": "2026-12-01", "kader": "Bu Sri"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert!(views_of(&store, child.id.0).await.is_empty());

    // Lists naming her: no view.
    let (s, v) = call(
        &app,
        Method::GET,
        &format!("/api/v1/days/{day_id}/search?q=sari"),
        Some(&kader),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    let (s, _) = send(&app, get(&format!("/hari/{day_id}"), &kader)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        views_of(&store, child.id.0).await.is_empty(),
        "lists are not per-row views"
    );

    // Her record as JSON, then the day's steps showing her.
    let (s, v) = call(
        &app,
        Method::GET,
        &format!("/api/v1/persons/{}", child.id),
        Some(&kader),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    for step in ["", "/layanan", "/konseling"] {
        let (s, html) = send(
            &app,
            get(&format!("/hari/{day_id}/orang/{}{step}", child.id), &kader),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{step}: {html}");
    }
    let day = json!(day_id);
    assert_eq!(
        views_of(&store, child.id.0).await,
        [
            json!({"api": "persons"}),
            json!({"page": "hari", "step": 2, "day": day}),
            json!({"page": "hari", "step": 4, "day": day}),
            json!({"page": "hari", "step": 5, "day": day}),
        ]
    );

    // Another posyandu's kader: 404 everywhere, and nothing audited as seen.
    let (s, _) = call(
        &app,
        Method::GET,
        &format!("/api/v1/persons/{}", child.id),
        Some(&other),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = send(
        &app,
        get(&format!("/hari/{day_id}/orang/{}", child.id), &other),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(views_of(&store, child.id.0).await.len(), 4);

    // The bidan's access history names these views too.
    account(&store, &r.desa_a, "bidan.a", Role::Bidan).await;
    let bidan = token(&app, "bidan.a").await;
    let (s, html) = send(&app, get(&format!("/orang/{}/audit", child.id), &bidan)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("api: persons") && html.contains("step: 4"),
        "{html}"
    );
}
