//! Changing accounts on the admin pages: reactivation, a new role or unit (ending the old
//! sessions), and the edits the admin's rule refuses.
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
