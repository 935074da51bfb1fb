//! The authorization matrix: every route of the route table × every role (and nobody
//! logged in), asserting for each cell whether the access check lets the request through.
//! Routes come from `web::route_table()`, the same table the router is built from, so a
//! route added later is in the matrix without touching this test.
//!
//! Routes that open one object (a person, a service day) will add their in-scope and
//! out-of-scope examples here; out-of-scope must answer 404.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use store::{Actor, NewUser, OrgUnit, Role, SessionPolicy, Store, UserId};
use tower::ServiceExt;
use web::routes::{Access, GUARD_HEADER};

/// A logged-in user of `role` at `unit`: the session token for the cookie.
async fn session(store: &Store, unit: &OrgUnit, role: Role) -> String {
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
    let now = time::OffsetDateTime::now_utc();
    let s = store
        .create_session(user.id, now, SessionPolicy::default(), None)
        .await
        .unwrap();
    s.token.expose().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_by_every_role() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let mut principals: Vec<(Option<Role>, Option<String>)> = vec![(None, None)];
    for (role, unit) in [
        (Role::Kader, &r.posyandu_a),
        (Role::Bidan, &r.desa_a),
        (Role::PuskesmasOfficer, &r.puskesmas),
        (Role::DinkesAdmin, &r.kabupaten),
    ] {
        principals.push((Some(role), Some(session(&store, unit, role).await)));
    }
    let app = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    let table = web::route_table();
    assert!(table.specs().len() >= 7, "the table lists the app's routes");
    let mut cells = 0;
    for spec in table.specs() {
        for (role, token) in &principals {
            let mut req = Request::builder()
                .method(spec.method.clone())
                .uri(spec.example)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
            if let Some(t) = token {
                req = req.header(header::COOKIE, format!("sid={t}"));
            }
            let res = app
                .clone()
                .oneshot(req.body(Body::empty()).unwrap())
                .await
                .unwrap();
            let guard = res
                .headers()
                .get(GUARD_HEADER)
                .map(|v| v.to_str().unwrap().to_owned());
            let cell = format!("{} {} as {role:?}", spec.method, spec.path);
            assert_ne!(
                res.status(),
                StatusCode::NOT_FOUND,
                "{cell}: route not routed"
            );
            if spec.access.allows(*role) {
                assert_eq!(guard, None, "{cell}: the access check must let it through");
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
