//! The admin pages' test harness: a real router over a real SQLite file with the fixture
//! region, accounts logged in by the operator, and requests as a browser sends them.
//! Shared by `admin.rs`, `admin_edit.rs` and `review.rs` (each uses what it needs).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Actor, NewUser, OrgUnit, Role, SessionPolicy, Store, User, UserId};
use tower::ServiceExt;

use super::fixture;

pub const PASSWORD: &str = "kata-sandi-uji-2026";

pub struct App {
    pub router: axum::Router,
    pub store: Store,
    pub region: fixture::Region,
    pub _dir: tempfile::TempDir,
}

/// A logged-in user: the session cookie and the session's CSRF token.
pub struct Login {
    pub user: User,
    pub sid: String,
    pub csrf: String,
}

pub async fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let region = fixture::region(&store).await;
    let router = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    App {
        router,
        store,
        region,
        _dir: dir,
    }
}

impl App {
    /// An account made by the operator, logged in.
    pub async fn login(&self, username: &str, role: Role, unit: &OrgUnit) -> Login {
        let hash = store::password::hash_new(username, PASSWORD).unwrap();
        let new = NewUser {
            id: UserId::new(),
            username: username.into(),
            display_name: format!("Pengguna {username}"),
            role,
            org_unit_id: unit.id,
        };
        let user = self
            .store
            .add_user(&Actor::system("test"), &new, &hash)
            .await
            .unwrap();
        let now = time::OffsetDateTime::now_utc();
        let s = self
            .store
            .create_session(user.id, now, SessionPolicy::default(), None)
            .await
            .unwrap();
        Login {
            user,
            sid: s.token.expose().to_owned(),
            csrf: s.session.csrf_token.expose().to_owned(),
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            location,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub async fn get(&self, uri: &str, who: &Login) -> Answer {
        self.get_with(uri, &format!("sid={}", who.sid)).await
    }

    pub async fn get_with(&self, uri: &str, cookie: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    pub async fn post(&self, uri: &str, who: &Login, form: &[(&str, &str)]) -> Answer {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("sid={}", who.sid))
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Posts the new-user form as `who`, with their CSRF token.
    pub async fn create(&self, who: &Login, fields: &[(&str, &str)]) -> Answer {
        let mut form = vec![("csrf", who.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post("/admin/pengguna/baru", who, &form).await
    }

    pub async fn deactivate(&self, who: &Login, id: UserId) -> Answer {
        let uri = format!("/admin/pengguna/{id}/nonaktif");
        self.post(&uri, who, &[("csrf", &who.csrf)]).await
    }
}

pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub body: String,
}

/// Percent-encoding for form values (enough for these tests).
pub fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => {
                char::from(b).to_string()
            }
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

pub fn new_kader<'a>(username: &'a str, unit: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("username", username),
        ("display_name", "Kader Baru Sekali"),
        ("role", "kader"),
        ("unit", unit),
        ("password", "melati-baru-2026"),
        ("password2", "melati-baru-2026"),
    ]
}

impl App {
    /// Logs in through the real form, as a person at the login page would.
    pub async fn log_in_via_form(&self, username: &str, password: &str) -> Answer {
        let page = self
            .send(Request::get("/masuk").body(Body::empty()).unwrap())
            .await;
        let token = page
            .body
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap()
            .to_owned();
        let req = Request::post("/masuk")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, format!("login_csrf={token}"))
            .body(Body::from(format!(
                "username={username}&password={}&csrf={token}",
                encode(password)
            )))
            .unwrap();
        self.send(req).await
    }

    pub async fn reactivate(&self, who: &Login, id: UserId) -> Answer {
        let uri = format!("/admin/pengguna/{id}/aktif");
        self.post(&uri, who, &[("csrf", &who.csrf)]).await
    }

    /// Posts the edit form of `id` as `who` at the account's current version.
    pub async fn edit(&self, who: &Login, id: UserId, role: &str, unit: &str) -> Answer {
        let version = self.version(id).await.to_string();
        self.edit_at(who, id, &version, role, unit).await
    }

    pub async fn edit_at(
        &self,
        who: &Login,
        id: UserId,
        version: &str,
        role: &str,
        unit: &str,
    ) -> Answer {
        let uri = format!("/admin/pengguna/{id}/ubah");
        let form = [
            ("csrf", who.csrf.as_str()),
            ("version", version),
            ("role", role),
            ("unit", unit),
        ];
        self.post(&uri, who, &form).await
    }

    pub async fn stored(&self, id: UserId) -> User {
        self.store.user(&Actor::system("t"), id).await.unwrap()
    }

    pub async fn version(&self, id: UserId) -> i64 {
        self.stored(id).await.meta.version
    }
}
