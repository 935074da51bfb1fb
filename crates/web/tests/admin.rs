//! The user administration pages through the real router on a real SQLite file: who may
//! create which account where, deactivation ending the sessions, 404 outside the subtree,
//! CSRF, and the form's errors naming the field and the value.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/admin_app.rs"]
mod admin_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use admin_app::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use store::{Actor, Role, UserId};

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
