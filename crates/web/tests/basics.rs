//! The app's basic routes, through the real router on a real SQLite file.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn app() -> (axum::Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = store::Store::connect(&url).await.expect("open");
    store.migrate().await.expect("migrate");
    (
        web::router(web::AppState {
            store,
            secure_cookies: false,
        }),
        dir,
    )
}

async fn get(
    app: &axum::Router,
    uri: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, axum::http::HeaderMap) {
    let mut req = Request::get(uri);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned(), headers)
}

#[tokio::test]
async fn healthz_answers_ok_when_the_database_does() {
    let (app, _dir) = app().await;
    let (status, body, _) = get(&app, "/healthz", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, "ok");
}

#[tokio::test]
async fn home_is_indonesian_by_default_and_english_by_cookie() {
    let (app, _dir) = app().await;
    let (status, body, _) = get(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"id\">"), "{body}");
    assert!(body.contains("Masuk"));
    let (_, body, _) = get(&app, "/", Some("lang=en")).await;
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("Log in"));
}

#[tokio::test]
async fn language_switch_sets_the_cookie_and_returns_to_the_same_site_only() {
    let (app, _dir) = app().await;
    let res = app
        .clone()
        .oneshot(
            Request::get("/bahasa/en")
                .header(header::REFERER, "http://evil.example//elsewhere")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[header::SET_COOKIE].to_str().expect("ascii");
    assert!(cookie.starts_with("lang=en"), "{cookie}");
    assert!(cookie.contains("HttpOnly"));
    assert_eq!(res.headers()[header::LOCATION], "/");
}

#[tokio::test]
async fn unknown_paths_are_404_pages_and_assets_are_cached() {
    let (app, _dir) = app().await;
    let (status, body, _) = get(&app, "/tidak-ada", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Halaman tidak ditemukan"));
    // A way back for a cadre who followed an old link.
    assert!(
        body.contains(r#"<a class="btn" href="/">Beranda</a>"#),
        "{body}"
    );
    let css = web::assets::url("app.css");
    let (status, body, headers) = get(&app, &css, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("--green"));
    assert!(
        headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap_or_default()
            .contains("immutable")
    );
}
