//! The user administration pages through the real router on a real SQLite file: who may
//! create which account where, deactivation ending the sessions, 404 outside the subtree,
//! CSRF, and the form's errors naming the field and the value.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Actor, NewUser, OrgUnit, Role, SessionPolicy, Store, User, UserId};
use tower::ServiceExt;

const PASSWORD: &str = "kata-sandi-uji-2026";

struct App {
    router: axum::Router,
    store: Store,
    region: fixture::Region,
    _dir: tempfile::TempDir,
}

/// A logged-in user: the session cookie and the session's CSRF token.
struct Login {
    user: User,
    sid: String,
    csrf: String,
}

async fn app() -> App {
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
    async fn login(&self, username: &str, role: Role, unit: &OrgUnit) -> Login {
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

    async fn send(&self, req: Request<Body>) -> Answer {
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

    async fn get(&self, uri: &str, who: &Login) -> Answer {
        self.get_with(uri, &format!("sid={}", who.sid)).await
    }

    async fn get_with(&self, uri: &str, cookie: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    async fn post(&self, uri: &str, who: &Login, form: &[(&str, &str)]) -> Answer {
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
    async fn create(&self, who: &Login, fields: &[(&str, &str)]) -> Answer {
        let mut form = vec![("csrf", who.csrf.as_str())];
        form.extend_from_slice(fields);
        self.post("/admin/pengguna/baru", who, &form).await
    }

    async fn deactivate(&self, who: &Login, id: UserId) -> Answer {
        let uri = format!("/admin/pengguna/{id}/nonaktif");
        self.post(&uri, who, &[("csrf", &who.csrf)]).await
    }
}

struct Answer {
    status: StatusCode,
    location: Option<String>,
    body: String,
}

/// Percent-encoding for form values (enough for these tests).
fn encode(v: &str) -> String {
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

fn new_kader<'a>(username: &'a str, unit: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("username", username),
        ("display_name", "Kader Baru Sekali"),
        ("role", "kader"),
        ("unit", unit),
        ("password", "melati-baru-2026"),
        ("password2", "melati-baru-2026"),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_kader_who_can_then_log_in() {
    let app = app().await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    // The dashboard leads to the pages; the form offers every role and the subtree's units.
    let home = app.get("/beranda", &admin).await;
    assert!(home.body.contains("/admin/pengguna"), "{}", home.body);
    let form = app.get("/admin/pengguna/baru", &admin).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"admin_dinkes\""));
    let melati = app.region.posyandu_a.id.to_string();
    assert!(form.body.contains(&melati));
    assert!(!form.body.contains(&app.region.province.id.to_string()));

    let a = app.create(&admin, &new_kader("kader.baru", &melati)).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.location.unwrap();
    assert!(to.starts_with("/admin/pengguna?dibuat="), "{to}");
    let list = app.get(&to, &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Kader Baru Sekali (kader.baru) dibuat"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Posyandu Melati"));

    let made = app.store.credentials("kader.baru").await.unwrap().unwrap();
    assert_eq!(made.user.role, Role::Kader);
    assert_eq!(made.user.org_unit_id, app.region.posyandu_a.id);
    let trail = app
        .store
        .audit_of(&Actor::system("t"), made.user.id.0)
        .await
        .unwrap();
    assert!(trail.iter().all(|e| e.actor == admin.user.id.to_string()));

    // The new kader logs in through the real form.
    let page = app
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
            "username=kader.baru&password=melati-baru-2026&csrf={token}"
        )))
        .unwrap();
    let a = app.send(req).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location.as_deref(), Some("/beranda"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_unit_outside_the_subtree_is_refused() {
    let app = app().await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    let province = app.region.province.id.to_string();
    let a = app
        .create(&admin, &new_kader("kader.jauh", &province))
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Unit kerja"), "{}", a.body);
    assert!(a.body.contains(&province), "the value is named: {}", a.body);
    assert!(app.store.credentials("kader.jauh").await.unwrap().is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_puskesmas_officer_creates_kader_and_bidan_only() {
    let app = app().await;
    let officer = app
        .login(
            "pkm.tempursari",
            Role::PuskesmasOfficer,
            &app.region.puskesmas,
        )
        .await;
    let form = app.get("/admin/pengguna/baru", &officer).await;
    assert!(form.body.contains("value=\"kader\"") && form.body.contains("value=\"bidan\""));
    assert!(!form.body.contains("value=\"admin_dinkes\""), "not offered");
    assert!(
        !form.body.contains("value=\"petugas_puskesmas\""),
        "not offered"
    );

    let desa = app.region.desa_a.id.to_string();
    let mut fields = new_kader("admin.palsu", &desa);
    fields[2] = ("role", "admin_dinkes");
    let a = app.create(&officer, &fields).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Peran"), "{}", a.body);
    assert!(a.body.contains("Admin Dinkes"), "{}", a.body);
    assert!(
        app.store
            .credentials("admin.palsu")
            .await
            .unwrap()
            .is_none()
    );

    fields[0] = ("username", "bidan.tegalrejo");
    fields[2] = ("role", "bidan");
    let a = app.create(&officer, &fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    // Kader and bidan do not reach the pages at all.
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    assert_eq!(
        app.get("/admin/pengguna", &kader).await.status,
        StatusCode::FORBIDDEN
    );
    let a = app.create(&kader, &new_kader("kader.teman", &desa)).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_ends_the_users_session() {
    let app = app().await;
    let officer = app
        .login(
            "pkm.tempursari",
            Role::PuskesmasOfficer,
            &app.region.puskesmas,
        )
        .await;
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    assert_eq!(app.get("/beranda", &kader).await.status, StatusCode::OK);
    let list = app.get("/admin/pengguna", &officer).await;
    let action = format!("/admin/pengguna/{}/nonaktif", kader.user.id);
    assert!(list.body.contains(&action), "{}", list.body);

    let a = app.deactivate(&officer, kader.user.id).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.location.unwrap();
    let list = app.get(&to, &officer).await;
    assert!(list.body.contains("dinonaktifkan"), "{}", list.body);
    assert!(list.body.contains("Nonaktif"));
    assert!(
        !list.body.contains(&action),
        "no button for an inactive account"
    );

    // The kader's next request goes to the login page.
    let a = app.get("/beranda", &kader).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location.as_deref(), Some("/masuk"));
    let trail = app
        .store
        .audit_of(&Actor::system("t"), kader.user.id.0)
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.actor, officer.user.id.to_string());
    assert_eq!(last.detail["sessions_revoked"], 1);

    // Nobody deactivates themselves.
    let a = app.deactivate(&officer, officer.user.id).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(a.body.contains("akun Anda sendiri"), "{}", a.body);
    assert_eq!(app.get("/beranda", &officer).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_outside_the_subtree_is_not_found() {
    let app = app().await;
    let officer = app
        .login(
            "pkm.tempursari",
            Role::PuskesmasOfficer,
            &app.region.puskesmas,
        )
        .await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    let list = app.get("/admin/pengguna", &officer).await;
    assert!(!list.body.contains("admin.lumajang"), "{}", list.body);
    for id in [admin.user.id, UserId::new()] {
        let a = app.deactivate(&officer, id).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
        // Even without a token: the answer does not depend on whether the user exists.
        let uri = format!("/admin/pengguna/{id}/nonaktif");
        assert_eq!(
            app.post(&uri, &officer, &[]).await.status,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(app.get("/beranda", &admin).await.status, StatusCode::OK);
    let a = app
        .post(
            "/admin/pengguna/bukan-id/nonaktif",
            &officer,
            &[("csrf", &officer.csrf)],
        )
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_without_the_sessions_csrf_token_are_refused() {
    let app = app().await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    let melati = app.region.posyandu_a.id.to_string();
    let fields = new_kader("kader.csrf", &melati);
    let a = app.post("/admin/pengguna/baru", &admin, &fields).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let mut wrong = vec![("csrf", kader.csrf.as_str())];
    wrong.extend_from_slice(&fields);
    let a = app.post("/admin/pengguna/baru", &admin, &wrong).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN, "another session's token");
    assert!(app.store.credentials("kader.csrf").await.unwrap().is_none());

    let uri = format!("/admin/pengguna/{}/nonaktif", kader.user.id);
    assert_eq!(
        app.post(&uri, &admin, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let a = app.post(&uri, &admin, &[("csrf", &"0".repeat(64))]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/beranda", &kader).await.status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_shows_the_form_again_naming_the_field_and_value() {
    let app = app().await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    let melati = app.region.posyandu_a.id.to_string();
    let a = app
        .create(
            &admin,
            &[
                ("username", "kader baru"),
                ("display_name", ""),
                ("role", "kader"),
                ("unit", &melati),
                ("password", "pendek"),
                ("password2", "pendek"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let b = &a.body;
    assert!(
        b.contains("Nama pengguna “kader baru” tidak boleh berisi spasi"),
        "{b}"
    );
    assert!(b.contains("Nama lengkap wajib diisi"), "{b}");
    assert!(
        b.contains("Kata sandi awal terlalu pendek: 6 karakter, minimal 10"),
        "{b}"
    );
    assert!(b.contains("aria-invalid=\"true\""));
    // What was typed stays (the choices too), never the passwords.
    assert!(b.contains("value=\"kader baru\""), "{b}");
    assert!(b.contains(&format!("value=\"{melati}\" selected")), "{b}");
    assert!(!b.contains("pendek\""), "{b}");

    // In English with the language cookie; a taken username and differing passwords.
    let cookie = format!("sid={}; lang=en", admin.sid);
    let mut fields = new_kader("admin.lumajang", &melati);
    fields[5] = ("password2", "melati-lain-2026");
    let body = std::iter::once(("csrf", admin.csrf.as_str()))
        .chain(fields.iter().copied())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::post("/admin/pengguna/baru")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap();
    let a = app.send(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.body
            .contains("Repeat the password: the two passwords differ"),
        "{}",
        a.body
    );
    let mut fields = new_kader("admin.lumajang", &melati);
    fields[0] = ("username", "admin.lumajang");
    let a = app.create(&admin, &fields).await;
    assert!(
        a.body
            .contains("Nama pengguna “admin.lumajang” sudah dipakai"),
        "{}",
        a.body
    );
}

impl App {
    /// Logs in through the real form, as a person at the login page would.
    async fn log_in_via_form(&self, username: &str, password: &str) -> Answer {
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

    async fn reactivate(&self, who: &Login, id: UserId) -> Answer {
        let uri = format!("/admin/pengguna/{id}/aktif");
        self.post(&uri, who, &[("csrf", &who.csrf)]).await
    }

    /// Posts the edit form of `id` as `who` at the account's current version.
    async fn edit(&self, who: &Login, id: UserId, role: &str, unit: &str) -> Answer {
        let version = self.version(id).await.to_string();
        self.edit_at(who, id, &version, role, unit).await
    }

    async fn edit_at(
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

    async fn stored(&self, id: UserId) -> User {
        self.store.user(&Actor::system("t"), id).await.unwrap()
    }

    async fn version(&self, id: UserId) -> i64 {
        self.stored(id).await.meta.version
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reactivation_lets_the_user_log_in_again() {
    let app = app().await;
    let officer = app
        .login(
            "pkm.tempursari",
            Role::PuskesmasOfficer,
            &app.region.puskesmas,
        )
        .await;
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    let a = app.deactivate(&officer, kader.user.id).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let a = app.log_in_via_form("kader.melati", PASSWORD).await;
    assert_ne!(a.location.as_deref(), Some("/beranda"), "cannot log in");

    let list = app.get("/admin/pengguna", &officer).await;
    let action = format!("/admin/pengguna/{}/aktif", kader.user.id);
    assert!(list.body.contains(&action), "{}", list.body);
    assert!(list.body.contains("Aktifkan lagi"), "{}", list.body);
    let a = app.reactivate(&officer, kader.user.id).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.location.unwrap();
    assert!(to.starts_with("/admin/pengguna?aktif="), "{to}");
    let list = app.get(&to, &officer).await;
    assert!(
        list.body
            .contains("Pengguna Pengguna kader.melati (kader.melati) aktif lagi"),
        "{}",
        list.body
    );
    assert!(!list.body.contains(&action), "no button for an active one");
    assert!(app.stored(kader.user.id).await.active);

    // The old password works again.
    let a = app.log_in_via_form("kader.melati", PASSWORD).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location.as_deref(), Some("/beranda"));
    let trail = app
        .store
        .audit_of(&Actor::system("t"), kader.user.id.0)
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.actor, officer.user.id.to_string());
    assert_eq!(last.detail["changed"]["active"]["to"], true);

    // Without the session's token: refused, nothing changes.
    app.deactivate(&officer, kader.user.id).await;
    let a = app.post(&action, &officer, &[]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(!app.stored(kader.user.id).await.active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_role_change_ends_the_old_session() {
    let app = app().await;
    let admin = app
        .login("admin.lumajang", Role::DinkesAdmin, &app.region.kabupaten)
        .await;
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    assert_eq!(app.get("/beranda", &kader).await.status, StatusCode::OK);

    let list = app.get("/admin/pengguna", &admin).await;
    let page = format!("/admin/pengguna/{}/ubah", kader.user.id);
    assert!(list.body.contains(&page), "{}", list.body);
    assert!(
        !list
            .body
            .contains(&format!("/admin/pengguna/{}/ubah", admin.user.id)),
        "no edit link for oneself"
    );
    let form = app.get(&page, &admin).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(
        form.body.contains("value=\"kader\" selected"),
        "{}",
        form.body
    );
    let melati = app.region.posyandu_a.id.to_string();
    assert!(form.body.contains(&format!("value=\"{melati}\" selected")));
    assert!(form.body.contains("value=\"admin_dinkes\""), "every role");
    assert!(
        form.body.contains("name=\"version\" value=\"1\""),
        "{}",
        form.body
    );

    // The same role and unit: nothing happens, the session stays.
    let a = app.edit(&admin, kader.user.id, "kader", &melati).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.location.unwrap();
    assert!(to.starts_with("/admin/pengguna?tetap="), "{to}");
    assert!(
        app.get(&to, &admin)
            .await
            .body
            .contains("Tidak ada yang diubah")
    );
    assert_eq!(app.get("/beranda", &kader).await.status, StatusCode::OK);

    let desa = app.region.desa_a.id.to_string();
    let a = app.edit(&admin, kader.user.id, "bidan", &desa).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let to = a.location.unwrap();
    assert!(to.starts_with("/admin/pengguna?diubah="), "{to}");
    let list = app.get(&to, &admin).await;
    assert!(
        list.body.contains("semua sesinya berakhir"),
        "{}",
        list.body
    );
    let now = app.stored(kader.user.id).await;
    assert_eq!(now.role, Role::Bidan);
    assert_eq!(now.org_unit_id, app.region.desa_a.id);

    // The old session is over; the account logs in again with its new scope.
    let a = app.get("/beranda", &kader).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location.as_deref(), Some("/masuk"));
    let a = app.log_in_via_form("kader.melati", PASSWORD).await;
    assert_eq!(a.location.as_deref(), Some("/beranda"));
    let trail = app
        .store
        .audit_of(&Actor::system("t"), kader.user.id.0)
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.actor, admin.user.id.to_string());
    assert_eq!(last.detail["changed"]["role"]["to"], "Bidan");
    assert_eq!(last.detail["changed"]["org_unit_id"]["to"], desa);
    assert_eq!(last.detail["sessions_revoked"], 1);

    // A form shown before that change is stale: refused, not overwritten.
    let a = app
        .edit_at(&admin, kader.user.id, "1", "kader", &melati)
        .await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.body);
    assert!(a.body.contains("baru saja diubah orang lain"), "{}", a.body);
    assert_eq!(app.stored(kader.user.id).await.role, Role::Bidan);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_outside_the_admins_rule_are_refused() {
    let app = app().await;
    let officer = app
        .login(
            "pkm.tempursari",
            Role::PuskesmasOfficer,
            &app.region.puskesmas,
        )
        .await;
    let kader = app
        .login("kader.melati", Role::Kader, &app.region.posyandu_a)
        .await;
    let far = app
        .login("kader.kabupaten", Role::Kader, &app.region.kabupaten)
        .await;
    let peer = app
        .login("pkm.desa", Role::PuskesmasOfficer, &app.region.desa_a)
        .await;
    app.store
        .deactivate_user(&Actor::system("t"), far.user.id)
        .await
        .unwrap();
    let desa = app.region.desa_a.id.to_string();

    // Outside the subtree, or unknown: 404 for the page, the save and reactivation.
    for id in [far.user.id, UserId::new()] {
        let page = format!("/admin/pengguna/{id}/ubah");
        assert_eq!(app.get(&page, &officer).await.status, StatusCode::NOT_FOUND);
        let a = app.edit_at(&officer, id, "1", "bidan", &desa).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{id}");
        assert_eq!(
            app.reactivate(&officer, id).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.post(&page, &officer, &[]).await.status,
            StatusCode::NOT_FOUND,
            "even without a token"
        );
    }
    assert!(!app.stored(far.user.id).await.active);
    assert_eq!(app.stored(far.user.id).await.role, Role::Kader);

    // A role the officer may not give: the form again, naming the field and the role.
    let a = app
        .edit(&officer, kader.user.id, "admin_dinkes", &desa)
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body
            .contains("Peran “Admin Dinkes”: Anda tidak boleh memberi peran ini"),
        "{}",
        a.body
    );
    assert!(a.body.contains("aria-invalid=\"true\""));
    // A unit outside the subtree, in English.
    let kabupaten = app.region.kabupaten.id.to_string();
    let body = [
        ("csrf", officer.csrf.as_str()),
        ("version", "1"),
        ("role", "bidan"),
        ("unit", &kabupaten),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", encode(v)))
    .collect::<Vec<_>>()
    .join("&");
    let req = Request::post(format!("/admin/pengguna/{}/ubah", kader.user.id))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("sid={}; lang=en", officer.sid))
        .body(Body::from(body))
        .unwrap();
    let a = app.send(req).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(
        a.body.contains(&format!(
            "Working unit “{kabupaten}” is not in your working area"
        )),
        "{}",
        a.body
    );
    // Without the token.
    let uri = format!("/admin/pengguna/{}/ubah", kader.user.id);
    let a = app
        .post(&uri, &officer, &[("role", "bidan"), ("unit", &desa)])
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let still = app.stored(kader.user.id).await;
    assert_eq!(still.role, Role::Kader);
    assert_eq!(still.org_unit_id, app.region.posyandu_a.id);
    assert_eq!(app.get("/beranda", &kader).await.status, StatusCode::OK);

    // An account of a role the officer does not manage, and their own: no link, 403.
    let list = app.get("/admin/pengguna", &officer).await;
    for who in [&peer, &officer] {
        let page = format!("/admin/pengguna/{}/ubah", who.user.id);
        assert!(!list.body.contains(&page), "{}", list.body);
        assert_eq!(app.get(&page, &officer).await.status, StatusCode::FORBIDDEN);
        let a = app
            .edit(&officer, who.user.id, "petugas_puskesmas", &desa)
            .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.body);
    }
    let a = app
        .get(
            &format!("/admin/pengguna/{}/ubah", officer.user.id),
            &officer,
        )
        .await;
    assert!(a.body.contains("akun Anda sendiri"), "{}", a.body);
    assert_eq!(
        app.stored(officer.user.id).await.org_unit_id,
        app.region.puskesmas.id
    );
    assert_eq!(
        app.stored(peer.user.id).await.org_unit_id,
        app.region.desa_a.id
    );

    // Kader and bidan do not reach the pages.
    assert_eq!(app.get(&uri, &kader).await.status, StatusCode::FORBIDDEN);
}

/// The review list: a bidan sees a field two phones changed differently (both values) and
/// chooses the phone's; a kader may not open it; a choice that is neither is refused naming it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bidan_reviews_a_conflicting_edit_and_chooses() {
    let app = app().await;
    let r = &app.region;
    let sys = Actor::system("test");
    let base = fixture::person(
        &r.posyandu_a,
        "Wulan",
        store::Sex::Female,
        time::macros::date!(2023 - 08 - 01),
    );
    let p = fixture::add_person(&app.store, &sys, &base).await;
    let phone_a = fixture::kader(&app.store, &r.posyandu_a, "kader.hp.a").await;
    let phone_b = fixture::kader(&app.store, &r.posyandu_a, "kader.hp.b").await;
    for (who, phone) in [(&phone_a, "0811"), (&phone_b, "0822")] {
        let edit = store::PersonEdit {
            base_version: p.meta.version,
            base: base.clone(),
            edited: store::NewPerson {
                phone: Some(phone.into()),
                ..base.clone()
            },
        };
        app.store.merge_edit(who, &edit).await.unwrap();
    }
    let bidan = app.login("bidan.tinjau", Role::Bidan, &r.desa_a).await;
    let page = app.get("/tinjau", &bidan).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Wulan") && page.body.contains("No. HP"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("0811") && page.body.contains("0822"),
        "{}",
        page.body
    );
    let kader = app.login("kader.tinjau", Role::Kader, &r.posyandu_a).await;
    assert_eq!(
        app.get("/tinjau", &kader).await.status,
        StatusCode::FORBIDDEN
    );
    // Meanwhile the person's step 2 page says a review waits.
    let day = store::NewServiceDay {
        id: store::ServiceDayId::new(),
        org_unit_id: r.posyandu_a.id,
        date: time::macros::date!(2026 - 12 - 01),
        note: None,
        captured_at: time::OffsetDateTime::now_utc(),
    };
    let mut tx = app.store.begin(&sys).await.unwrap();
    tx.capture(&day.clone().into()).await.unwrap();
    tx.commit().await.unwrap();
    let step2 = format!("/hari/{}/orang/{}", day.id, p.id);
    let shown = app.get(&step2, &kader).await;
    assert_eq!(shown.status, StatusCode::OK);
    assert!(shown.body.contains("menunggu tinjauan"), "{}", shown.body);

    let review = app.store.open_reviews(&sys, p.id).await.unwrap()[0]
        .id
        .to_string();
    let bad = app
        .post(
            "/tinjau",
            &bidan,
            &[
                ("csrf", &bidan.csrf),
                ("review", &review),
                ("choice", "keduanya"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("keduanya"), "{}", bad.body);
    let done = app
        .post(
            "/tinjau",
            &bidan,
            &[
                ("csrf", &bidan.csrf),
                ("review", &review),
                ("choice", "device"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let now = app.store.person(&sys, p.id).await.unwrap();
    assert_eq!(now.phone.as_deref(), Some("0822"));
    let after = app.get("/tinjau", &bidan).await;
    assert!(
        after.body.contains("Tidak ada data yang menunggu tinjauan"),
        "{}",
        after.body
    );
    assert!(
        !app.get(&step2, &kader)
            .await
            .body
            .contains("menunggu tinjauan")
    );
}
