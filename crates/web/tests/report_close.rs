//! Closing a month from `/laporan` (issue 11 item 4): only a Puskesmas officer or the Dinkes
//! may, only a month that has ended, with the session's CSRF token; the page then shows
//! who closed it and the numbers as closed beside today's; the close is audited.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/admin_app.rs"]
mod admin_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use admin_app::*;
use axum::http::StatusCode;
use store::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_puskesmas_officer_closes_an_ended_month() {
    let app = app().await;
    let r = &app.region;
    let officer = app
        .login("pkm.tempursari", Role::PuskesmasOfficer, &r.puskesmas)
        .await;
    let kader = app.login("kader.melati", Role::Kader, &r.posyandu_a).await;
    let unit = r.puskesmas.id.to_string();
    let form = |csrf: &str, month: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("unit", unit.clone()),
            ("month", month.to_owned()),
        ]
    };
    let post = async |who: &Login, csrf: &str, month: &str| {
        let f = form(csrf, month);
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post("/laporan/tutup", who, &fields).await
    };

    // The page offers the button to the officer for an ended month, not to a kader.
    let page = app
        .get(&format!("/laporan?unit={unit}&month=2026-06"), &officer)
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Tutup bulan ini"));
    let theirs = app.get("/laporan?month=2026-06", &kader).await;
    assert!(!theirs.body.contains("Tutup bulan ini"));

    // A kader may not; a wrong token is refused; this month has not ended.
    assert_eq!(
        post(&kader, &kader.csrf, "2026-06").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post(&officer, &"0".repeat(64), "2026-06").await.status,
        StatusCode::FORBIDDEN
    );
    let month = time::OffsetDateTime::now_utc().date();
    let this = format!("{:04}-{:02}", month.year(), u8::from(month.month()));
    let early = post(&officer, &officer.csrf, &this).await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.body
    );
    assert!(early.body.contains(&this), "{}", early.body);

    // Closed: back to the page, which says so and shows both columns.
    let done = post(&officer, &officer.csrf, "2026-06").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app
        .get(&format!("/laporan?unit={unit}&month=2026-06"), &officer)
        .await;
    assert!(page.body.contains("Bulan ini ditutup") && page.body.contains("Saat ditutup"));
    assert!(
        page.body.contains("0 catatan masuk sesudah ditutup"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Tutup bulan ini"), "closed once");
    let audit = app
        .store
        .audit_by_actor(
            &store::Actor::system("t"),
            &store::Actor::for_user(&officer.user).label(),
            10,
        )
        .await
        .unwrap();
    assert!(
        audit.iter().any(|a| a.detail["close_period"] == "2026-06"),
        "{audit:?}"
    );
}
