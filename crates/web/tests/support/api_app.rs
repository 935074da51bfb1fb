//! The JSON API's test harness: a real router over a real SQLite file with the fixture
//! region and a kader at each of its two posyandu, and calls as an app sends them.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use store::{Actor, NewUser, OrgUnit, Role, Store, UserId};
use tower::ServiceExt;

use super::fixture;

pub async fn call(
    app: &axum::Router,
    method: Method,
    uri: &str,
    auth: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// A GET with the token: status, content type and body (pages and downloads).
pub async fn get_as(app: &axum::Router, uri: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let kind = res
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, kind, bytes)
}

pub async fn user(store: &Store, unit: &OrgUnit, name: &str) {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let u = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: name.into(),
            display_name: name.into(),
            role: Role::Kader,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new(name, "kata-sandi-uji-2026").unwrap();
    tx.set_password(u.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
}

pub async fn token(app: &axum::Router, name: &str) -> String {
    let (s, v) = call(
        app,
        Method::POST,
        "/api/v1/session",
        None,
        json!({"username": name, "password": "kata-sandi-uji-2026"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

/// A fresh SQLite store with the fixture region, a kader at each of its two posyandu
/// (`kader.melati` at A, `kader.mawar` at B) and the router over it.
pub async fn setup() -> (tempfile::TempDir, Store, fixture::Region, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    user(&store, &r.posyandu_a, "kader.melati").await;
    user(&store, &r.posyandu_b, "kader.mawar").await;
    let app = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    (dir, store, r, app)
}
