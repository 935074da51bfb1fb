//! Logging in and out through the real router on a real SQLite file: CSRF on the login
//! form, wrong passwords, throttling, the session cookie, logout and deactivation.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Actor, Principal, Store, User};
use tower::ServiceExt;

const PASSWORD: &str = "melati-sehat-2026";

struct App {
    router: axum::Router,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn app() -> (App, User) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let actor = fixture::kader(&store, &r.posyandu_a, "kader.melati").await;
    let Principal::User(id) = actor.principal else {
        unreachable!()
    };
    let hash = store::password::hash_new("kader.melati", PASSWORD).unwrap();
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let user = tx.set_password(id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    let router = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    (
        App {
            router,
            store,
            _dir: dir,
        },
        user,
    )
}

struct Answer {
    status: StatusCode,
    body: String,
    cookies: Vec<String>,
    location: Option<String>,
    clear_site_data: Option<String>,
}

async fn send(app: &App, req: Request<Body>) -> Answer {
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let clear_site_data = res
        .headers()
        .get("clear-site-data")
        .map(|v| v.to_str().unwrap().to_owned());
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
        cookies,
        location,
        clear_site_data,
    }
}

fn cookie_value(cookies: &[String], name: &str) -> Option<String> {
    cookies.iter().find_map(|c| {
        let first = c.split(';').next()?;
        let (k, v) = first.split_once('=')?;
        (k == name && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The login form's CSRF token (cookie and hidden field hold the same value).
async fn login_csrf(app: &App) -> String {
    let a = send(app, Request::get("/masuk").body(Body::empty()).unwrap()).await;
    assert_eq!(a.status, StatusCode::OK);
    let token = cookie_value(&a.cookies, "login_csrf").expect("login_csrf cookie");
    assert!(
        a.body.contains(&format!("value=\"{token}\"")),
        "token in the form"
    );
    token
}

fn form(body: String) -> Body {
    Body::from(body)
}

async fn post_login(app: &App, csrf: &str, cookie_csrf: &str, user: &str, pw: &str) -> Answer {
    let req = Request::post("/masuk")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("login_csrf={cookie_csrf}"))
        .body(form(format!("username={user}&password={pw}&csrf={csrf}")))
        .unwrap();
    send(app, req).await
}

async fn get_with(app: &App, uri: &str, sid: &str) -> Answer {
    let req = Request::get(uri)
        .header(header::COOKIE, format!("sid={sid}"))
        .body(Body::empty())
        .unwrap();
    send(app, req).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_dashboard_logout() {
    let (app, user) = app().await;
    // No session: the start page sends you to the login form.
    let a = send(&app, Request::get("/beranda").body(Body::empty()).unwrap()).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location.as_deref(), Some("/masuk"));

    let csrf = login_csrf(&app).await;
    let a = post_login(&app, &csrf, &csrf, "kader.melati", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location.as_deref(), Some("/beranda"));
    let sid = cookie_value(&a.cookies, "sid").expect("session cookie");
    let set = a.cookies.iter().find(|c| c.starts_with("sid=")).unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );

    let a = get_with(&app, "/beranda", &sid).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains(&user.display_name), "{}", a.body);
    assert!(a.body.contains("Kader"));
    let page_csrf = a
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_owned();

    // Logout needs the session's CSRF token.
    let logout = |token: String| {
        Request::post("/keluar")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("sid={sid}"))
            .body(form(format!("csrf={token}")))
            .unwrap()
    };
    let a = send(&app, logout("0".repeat(64))).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get_with(&app, "/beranda", &sid).await.status,
        StatusCode::OK
    );
    let a = send(&app, logout(page_csrf)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    // The phone forgets the prepared days, the outbox and the cached pages.
    assert_eq!(a.clear_site_data.as_deref(), Some("\"cache\", \"storage\""));
    // The session is revoked in the database: the old cookie no longer works.
    let a = get_with(&app, "/beranda", &sid).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_form_needs_its_csrf_pair_and_the_right_password() {
    let (app, _) = app().await;
    let csrf = login_csrf(&app).await;
    let other = "a".repeat(64);
    let a = post_login(&app, &csrf, &other, "kader.melati", PASSWORD).await;
    assert_eq!(
        a.status,
        StatusCode::FORBIDDEN,
        "mismatched double-submit token"
    );
    let a = post_login(&app, &csrf, &csrf, "kader.melati", "salah-sekali-2026").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert!(a.body.contains("Nama pengguna atau kata sandi salah"));
    assert!(cookie_value(&a.cookies, "sid").is_none());
    let a = post_login(&app, &csrf, &csrf, "tidak.ada", PASSWORD).await;
    assert_eq!(
        a.status,
        StatusCode::UNAUTHORIZED,
        "unknown user: same answer"
    );
    assert!(a.body.contains("Nama pengguna atau kata sandi salah"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_failures_lock_the_account_for_the_window() {
    let (app, _) = app().await;
    let csrf = login_csrf(&app).await;
    for _ in 0..web::auth::MAX_USER_FAILURES {
        let a = post_login(&app, &csrf, &csrf, "Kader.Melati", "salah-sekali-2026").await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused now.
    let a = post_login(&app, &csrf, &csrf, "kader.melati", PASSWORD).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(a.body.contains("Terlalu banyak percobaan"));
    assert!(cookie_value(&a.cookies, "sid").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivating_a_user_ends_their_session() {
    let (app, user) = app().await;
    let csrf = login_csrf(&app).await;
    let a = post_login(&app, &csrf, &csrf, "kader.melati", PASSWORD).await;
    let sid = cookie_value(&a.cookies, "sid").unwrap();
    assert_eq!(
        get_with(&app, "/beranda", &sid).await.status,
        StatusCode::OK
    );
    let mut tx = app.store.begin(&Actor::system("test")).await.unwrap();
    tx.set_user_active(user.id, user.meta.version, false)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let a = get_with(&app, "/beranda", &sid).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location.as_deref(), Some("/masuk"));
}
