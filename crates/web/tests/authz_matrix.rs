//! The authorization matrix: every route of the route table × every role (and nobody
//! logged in), asserting for each cell whether the access check lets the request through.
//! Routes come from `web::route_table()`, the same table the router is built from, so a
//! route added later is in the matrix without touching this test.
//!
//! A route whose example names an object (`{day}`, `{person}`, `{user}`) is asked twice by
//! every role it admits: with objects in the user's subtree (not 404) and with objects of a
//! posyandu in another kabupaten (404, and the page does not carry the object's data).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{
    Actor, Capture, NewServiceDay, NewUser, OrgLevel, OrgUnit, Role, ServiceDayId, SessionPolicy,
    Sex, Store, UserId,
};
use tower::ServiceExt;
use web::routes::{Access, GUARD_HEADER};

/// A fresh session of `user`.
async fn login(store: &Store, user: UserId) -> (String, String) {
    let now = time::OffsetDateTime::now_utc();
    let s = store
        .create_session(user, now, SessionPolicy::default(), None)
        .await
        .unwrap();
    (
        s.token.expose().to_owned(),
        s.session.csrf_token.expose().to_owned(),
    )
}

/// A user of `role` at `unit` with a password.
async fn account(store: &Store, unit: &OrgUnit, role: Role) -> UserId {
    let username = format!("u.{}", role.code());
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let user = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: username.clone(),
            display_name: format!("Pengguna {}", role.code()),
            role,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new(&username, "kata-sandi-uji-2026").unwrap();
    tx.set_password(user.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    user.id
}

/// The objects a route's example can name: `{day}`, `{person}`, `{user}`, `{referral}`.
struct Objects {
    day: String,
    person: String,
    user: String,
    referral: String,
}

/// One service day with a person and a user, at `unit`.
async fn objects(store: &Store, unit: &OrgUnit, username: &str) -> Objects {
    let sys = Actor::system("test");
    let p = fixture::add_person(
        store,
        &sys,
        &fixture::person(
            unit,
            "Anak Uji",
            Sex::Female,
            time::macros::date!(2025 - 01 - 10),
        ),
    )
    .await;
    let day = ServiceDayId::new();
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&Capture::ServiceDay(NewServiceDay {
        id: day,
        org_unit_id: unit.id,
        date: time::macros::date!(2026 - 12 - 01),
        note: Some("Bu Sri".into()),
        captured_at: time::OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    let user = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: username.into(),
            display_name: "Kader Lain".into(),
            role: Role::Kader,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let referral = tx
        .create_referral(&store::NewReferral {
            id: store::ReferralId::new(),
            person_id: p.id,
            finding_id: None,
            org_unit_id: unit.id,
            referred_on: time::macros::date!(2026 - 12 - 01),
            to_facility: "Puskesmas".into(),
            reason: "Anak Uji dirujuk".into(),
        })
        .await
        .unwrap()
        .record;
    tx.commit().await.unwrap();
    Objects {
        day: day.to_string(),
        person: p.id.to_string(),
        user: user.id.to_string(),
        referral: referral.id.to_string(),
    }
}

fn fill(example: &str, o: &Objects) -> String {
    example
        .replace("{day}", &o.day)
        .replace("{person}", &o.person)
        .replace("{user}", &o.user)
        .replace("{referral}", &o.referral)
}

/// A posyandu in another kabupaten: outside the scope of every user of the matrix.
async fn far_posyandu(store: &Store, r: &fixture::Region) -> OrgUnit {
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let mut parent = r.province.clone();
    for (level, code, name, region) in [
        (OrgLevel::Regency, "3509", "Kabupaten Jember", Some("35.09")),
        (OrgLevel::District, "350901", "Kencong", Some("35.09.01")),
        (
            OrgLevel::Puskesmas,
            "P3509010101",
            "Puskesmas Kencong",
            None,
        ),
        (
            OrgLevel::Village,
            "3509012001",
            "Kencong",
            Some("35.09.01.2001"),
        ),
        (OrgLevel::Posyandu, "PY09", "Posyandu Anggrek", None),
    ] {
        parent = tx
            .create_org_unit(&fixture::unit(Some(&parent), level, code, name, region))
            .await
            .unwrap()
            .record;
    }
    tx.commit().await.unwrap();
    parent
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_by_every_role_in_and_out_of_scope() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let far = far_posyandu(&store, &r).await;
    let mine = objects(&store, &r.posyandu_a, "kader.dekat").await;
    let theirs = objects(&store, &far, "kader.jauh").await;
    let mut principals: Vec<(Option<Role>, Option<UserId>)> = vec![(None, None)];
    for (role, unit) in [
        (Role::Kader, &r.posyandu_a),
        (Role::Bidan, &r.desa_a),
        (Role::PuskesmasOfficer, &r.puskesmas),
        (Role::DinkesAdmin, &r.kabupaten),
    ] {
        principals.push((Some(role), Some(account(&store, unit, role).await)));
    }
    let app = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    let table = web::route_table();
    assert!(
        table.specs().len() >= 20,
        "the table lists the app's routes"
    );
    let mut cells = 0;
    let mut out_of_scope_cells = 0;
    // Each cell logs in afresh: a logout cell ends only its own session.
    for spec in table.specs() {
        let has_object = ["{day}", "{person}", "{user}", "{referral}"]
            .iter()
            .any(|p| spec.example.contains(p));
        for (role, user) in &principals {
            let session = match user {
                Some(u) => Some(login(&store, *u).await),
                None => None,
            };
            let request = |objects: &Objects| {
                let uri = fill(spec.example, objects);
                let mut req = Request::builder().method(spec.method.clone()).uri(uri);
                let mut body = String::new();
                if let Some((token, csrf)) = &session {
                    req = req.header(header::COOKIE, format!("sid={token}"));
                    // A body every form of the app can parse, naming the same objects.
                    body = format!(
                        "csrf={csrf}&cid={}&person={}&readings=%7B%7D&date=2026-12-01&kader=Bu+Sri",
                        uuid::Uuid::now_v7(),
                        objects.person
                    );
                }
                if spec.path.starts_with("/api/") {
                    req = req.header(header::CONTENT_TYPE, "application/json");
                    body = "{}".into();
                    if let Some((_, csrf)) = &session {
                        req = req.header("x-csrf-token", csrf.as_str());
                    }
                } else {
                    req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                }
                req.body(Body::from(body)).unwrap()
            };
            let res = app.clone().oneshot(request(&mine)).await.unwrap();
            let guard = res
                .headers()
                .get(GUARD_HEADER)
                .map(|v| v.to_str().unwrap().to_owned());
            let cell = format!("{} {} as {role:?}", spec.method, spec.path);
            assert_ne!(
                res.status(),
                StatusCode::NOT_FOUND,
                "{cell}: not routed, or an in-scope object not found"
            );
            if spec.access.allows(*role) {
                assert_eq!(guard, None, "{cell}: the access check must let it through");
                if has_object && role.is_some() {
                    let res = app.clone().oneshot(request(&theirs)).await.unwrap();
                    assert_eq!(
                        res.status(),
                        StatusCode::NOT_FOUND,
                        "{cell}: another unit's object must answer 404"
                    );
                    let body = res.into_body().collect().await.unwrap().to_bytes();
                    let text = String::from_utf8_lossy(&body);
                    assert!(!text.contains("Anak Uji"), "{cell}: leaks the name");
                    out_of_scope_cells += 1;
                }
            } else if role.is_none() {
                assert_eq!(guard.as_deref(), Some("login"), "{cell}");
                let to_login = res.status() == StatusCode::SEE_OTHER
                    && res.headers()[header::LOCATION] == "/masuk";
                let api_401 =
                    spec.path.starts_with("/api/") && res.status() == StatusCode::UNAUTHORIZED;
                assert!(to_login || api_401, "{cell}: {}", res.status());
            } else {
                assert_eq!(guard.as_deref(), Some("role"), "{cell}");
                assert_eq!(res.status(), StatusCode::FORBIDDEN, "{cell}");
            }
            cells += 1;
        }
    }
    assert_eq!(cells, table.specs().len() * principals.len());
    assert!(
        out_of_scope_cells >= 30,
        "{out_of_scope_cells} out-of-scope cells"
    );
    println!("{cells} cells, {out_of_scope_cells} of them also out of scope");
}

#[test]
fn access_rules() {
    assert!(Access::Public.allows(None));
    assert!(!Access::LoggedIn.allows(None));
    assert!(Access::LoggedIn.allows(Some(Role::Kader)));
    let admins = Access::Roles(&[Role::DinkesAdmin]);
    assert!(admins.allows(Some(Role::DinkesAdmin)));
    assert!(!admins.allows(Some(Role::Kader)));
    assert!(!admins.allows(None));
}
