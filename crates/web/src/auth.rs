//! Logging in and out, the session cookie, CSRF and login throttling.
//!
//! - The session lives in the database (`store::accounts`); the cookie `sid` holds the raw
//!   token (HttpOnly, SameSite=Strict, Secure behind TLS). Each request slides its expiry.
//! - CSRF: every form carries `csrf`, compared in constant time with the session's token.
//!   The login form, posted before there is a session, uses a double-submit cookie instead.
//! - Throttling: after [`MAX_USER_FAILURES`] failed logins for one account, or
//!   [`MAX_ADDR_FAILURES`] from one address, within [`WINDOW`], logins are refused with 429
//!   until the window passes. Counts are in the database so they survive restarts.

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{ConnectInfo, Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use serde::Deserialize;
use store::accounts::{LoginKey, Secret, Session, SessionPolicy};
use time::OffsetDateTime;

use crate::AppState;
use crate::i18n::Tr;
use crate::routes::{Access, Routes};

pub const SESSION_COOKIE: &str = "sid";
const LOGIN_CSRF_COOKIE: &str = "login_csrf";
/// Failed logins allowed per account within [`WINDOW`].
pub const MAX_USER_FAILURES: u64 = 5;
/// Failed logins allowed per client address within [`WINDOW`] (a posyandu shares one
/// phone hotspot, so this is higher than the per-account limit).
pub const MAX_ADDR_FAILURES: u64 = 30;
pub const WINDOW: time::Duration = time::Duration::minutes(15);

/// The logged-in user of a request. Pages that need one take this extractor; without a
/// live session the request is sent to the login page (or gets 401 under `/api/`).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub session: Session,
    /// Authenticated by an `Authorization: Bearer` token (an API client), not the cookie:
    /// such requests cannot be forged by another site, so they need no CSRF token.
    pub by_bearer: bool,
}

impl CurrentUser {
    pub fn user(&self) -> &store::User {
        &self.session.user
    }
    /// The store actor for this user: every read and write is scoped to their subtree.
    pub fn actor(&self) -> store::Actor {
        store::Actor::for_user(&self.session.user)
    }
    /// Whether a posted form's `csrf` field is this session's token.
    pub fn csrf_ok(&self, sent: &str) -> bool {
        self.session.csrf_token.matches(sent)
    }
    /// An API write is allowed: a bearer token, or the cookie with the `X-CSRF-Token`
    /// header (which another site's page cannot set).
    pub fn api_write_ok(&self, headers: &axum::http::HeaderMap) -> bool {
        self.by_bearer
            || headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| self.csrf_ok(v))
    }
    pub fn csrf(&self) -> &str {
        self.session.csrf_token.expose()
    }
}

/// Why a request has no user.
pub enum NoUser {
    Page,
    Api,
    Store,
}

impl IntoResponse for NoUser {
    fn into_response(self) -> Response {
        match self {
            NoUser::Page => Redirect::to("/masuk").into_response(),
            NoUser::Api => (StatusCode::UNAUTHORIZED, "login required").into_response(),
            NoUser::Store => StatusCode::SERVICE_UNAVAILABLE.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = NoUser;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NoUser> {
        if let Some(u) = parts.extensions.get::<CurrentUser>() {
            return Ok(u.clone());
        }
        let api = parts.uri.path().starts_with("/api/");
        let none = if api { NoUser::Api } else { NoUser::Page };
        let by_bearer = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .is_some_and(|v| v.as_bytes().starts_with(b"Bearer "));
        let Some(token) = request_token(&parts.headers) else {
            return Err(none);
        };
        match state
            .store
            .touch_session(&token, OffsetDateTime::now_utc(), SessionPolicy::default())
            .await
        {
            Ok(Some(session)) => Ok(CurrentUser { session, by_bearer }),
            Ok(None) => Err(none),
            Err(e) => {
                tracing::warn!(error = %e, "session lookup failed");
                Err(NoUser::Store)
            }
        }
    }
}

/// The session token a request carries: `Authorization: Bearer`, else the cookie.
pub fn request_token(headers: &axum::http::HeaderMap) -> Option<Secret> {
    let bearer = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| Secret::from_client(t.trim()));
    bearer.or_else(|| {
        CookieJar::from_headers(headers)
            .get(SESSION_COOKIE)
            .map(|c| Secret::from_client(c.value()))
    })
}

/// The client's address as the server saw it (no proxy headers are trusted).
fn client_ip(parts_ext: &axum::http::Extensions) -> Option<IpAddr> {
    parts_ext
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
}

/// The request's client address, for throttling and the session record.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(&parts.extensions)))
    }
}

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/masuk",
        "/masuk",
        Access::Public,
        get(login_form),
    )
    .add(
        Method::POST,
        "/masuk",
        "/masuk",
        Access::Public,
        post(login),
    )
    .add(
        Method::POST,
        "/keluar",
        "/keluar",
        Access::LoggedIn,
        post(logout),
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
struct LoginPage {
    t: Tr,
    css: String,
    csrf: String,
    username: String,
    error: Option<String>,
}

fn login_page(t: Tr, csrf: &str, username: &str, error: Option<String>) -> LoginPage {
    let l = crate::pages::Layout::new(t);
    LoginPage {
        t: l.t,
        css: l.css,
        csrf: csrf.to_owned(),
        username: username.to_owned(),
        error,
    }
}

fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .build()
}

/// The login form, with a fresh double-submit CSRF token in a cookie and the form.
async fn login_form(State(state): State<AppState>, t: Tr, jar: CookieJar) -> Response {
    let token = match Secret::random() {
        Ok(s) => s,
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let jar = jar.add(cookie(
        LOGIN_CSRF_COOKIE,
        token.expose().to_owned(),
        state.secure_cookies,
    ));
    (jar, login_page(t, token.expose(), "", None)).into_response()
}

#[derive(Deserialize)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    pub csrf: String,
}

async fn login(
    State(state): State<AppState>,
    t: Tr,
    ClientIp(ip): ClientIp,
    jar: CookieJar,
    Form(form): Form<LoginForm>,
) -> Response {
    let sent_ok = jar.get(LOGIN_CSRF_COOKIE).is_some_and(|c| {
        Secret::from_client(c.value()).matches(&form.csrf) && !form.csrf.is_empty()
    });
    if !sent_ok {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let again = |status: StatusCode, key: &str| {
        (
            status,
            login_page(t, &form.csrf, &form.username, Some(t.t(key))),
        )
            .into_response()
    };
    match authenticate(&state, &form.username, &form.password, ip).await {
        Ok(new) => {
            let jar = jar
                .remove(Cookie::build(LOGIN_CSRF_COOKIE).path("/"))
                .add(cookie(
                    SESSION_COOKIE,
                    new.token.expose().to_owned(),
                    state.secure_cookies,
                ));
            (jar, Redirect::to("/beranda")).into_response()
        }
        Err(LoginError::Throttled) => again(StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
        Err(LoginError::Failed) => again(StatusCode::UNAUTHORIZED, "login-failed"),
        Err(LoginError::Unavailable) => again(StatusCode::SERVICE_UNAVAILABLE, "login-failed"),
    }
}

/// Why a login did not give a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginError {
    /// Too many failures for this account or address within [`WINDOW`].
    Throttled,
    /// Unknown user, wrong password, or an inactive account (not told apart).
    Failed,
    Unavailable,
}

/// Checks a username and password with throttling, and opens a session. Shared by the
/// login form and `POST /api/v1/session`.
pub async fn authenticate(
    state: &AppState,
    username: &str,
    password: &str,
    ip: Option<IpAddr>,
) -> Result<store::NewSession, LoginError> {
    let now = OffsetDateTime::now_utc();
    let user_key = LoginKey::user(username);
    let addr_key = ip.map(LoginKey::addr);
    let store = &state.store;
    let since = now - WINDOW;
    let user_failures = store
        .login_failures_since(&user_key, since)
        .await
        .unwrap_or(u64::MAX);
    let addr_failures = match &addr_key {
        Some(k) => store
            .login_failures_since(k, since)
            .await
            .unwrap_or(u64::MAX),
        None => 0,
    };
    if user_failures >= MAX_USER_FAILURES || addr_failures >= MAX_ADDR_FAILURES {
        return Err(LoginError::Throttled);
    }
    let creds = store.credentials(username).await.ok().flatten();
    let hash = creds.as_ref().and_then(|c| c.password_hash.clone());
    let password = password.to_owned();
    // argon2 takes tens of milliseconds: off the async workers.
    let verified =
        tokio::task::spawn_blocking(move || store::password::verify(&password, hash.as_ref()))
            .await
            .unwrap_or(false);
    let user = match creds {
        Some(c) if verified && c.can_log_in() => c.user,
        _ => {
            let _ = store.record_login_failure(&user_key, now).await;
            if let Some(k) = &addr_key {
                let _ = store.record_login_failure(k, now).await;
            }
            tracing::info!("login failed");
            return Err(LoginError::Failed);
        }
    };
    let _ = store.clear_login_failures(&user_key).await;
    let ip_text = ip.map(|i| i.to_string());
    store
        .create_session(user.id, now, SessionPolicy::default(), ip_text.as_deref())
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "session not created");
            LoginError::Unavailable
        })
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: String,
}

/// Logs out: the session is revoked in the database, not only forgotten by the browser.
async fn logout(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
    Form(form): Form<CsrfForm>,
) -> Response {
    if !user.csrf_ok(&form.csrf) {
        return StatusCode::FORBIDDEN.into_response();
    }
    if let Some(c) = jar.get(SESSION_COOKIE) {
        let _ = state
            .store
            .revoke_session(&Secret::from_client(c.value()), OffsetDateTime::now_utc())
            .await;
    }
    let jar = jar.remove(Cookie::build(SESSION_COOKIE).path("/"));
    // A shared phone keeps no one's health data after they log out: the prepared days,
    // the outbox and the cached pages go (logout.js asks first when items are unsent).
    (
        jar,
        [(
            axum::http::HeaderName::from_static("clear-site-data"),
            "\"cache\", \"storage\"",
        )],
        Redirect::to("/masuk"),
    )
        .into_response()
}
