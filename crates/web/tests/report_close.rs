//! Closing a month from `/laporan` (issue 11 item 4): only a Puskesmas officer or the Dinkes
//! may, only a month that has ended, with the session's CSRF token; the page then shows
//! who closed it and the numbers as closed beside today's; the close is audited. Reopening
//! needs the same roles and a reason, keeps the close among the reopened ones (listed on
//! the page) and lets the month be closed again.
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
        page.body
            .contains("0 catatan masuk atau berubah sesudah ditutup"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("Lihat catatan yang terlambat"));
    // The closed month's CSV carries the values as closed beside today's.
    let csv = app
        .get(
            &format!("/laporan?unit={unit}&month=2026-06&format=csv"),
            &officer,
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.lines().next().unwrap().contains(",saat ditutup,"),
        "{}",
        csv.body
    );
    assert!(!page.body.contains("Tutup bulan ini"), "closed once");

    // A weighing of June recorded after the close: counted and listed, with whose it is.
    let sys = store::Actor::system("t");
    let dewi = fixture::add_person(
        &app.store,
        &sys,
        &fixture::person(
            &r.posyandu_a,
            "Dewi Lestari",
            store::Sex::Female,
            time::macros::date!(2025 - 01 - 10),
        ),
    )
    .await;
    let mut tx = app.store.begin(&sys).await.unwrap();
    tx.capture(&store::Capture::Measurement(fixture::weight(
        &dewi,
        &r.posyandu_a,
        time::macros::date!(2026 - 06 - 12),
        9.1,
    )))
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let page = app
        .get(&format!("/laporan?unit={unit}&month=2026-06"), &officer)
        .await;
    assert!(
        page.body
            .contains("1 catatan masuk atau berubah sesudah ditutup"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Lihat catatan yang terlambat"));
    let listed = format!("<a href=\"/orang/{}\">Dewi Lestari</a>", dewi.id);
    assert!(page.body.contains(&listed), "{}", page.body);
    assert!(
        page.body.contains("Pengukuran: Berat badan") && page.body.contains("2026-06-12"),
        "{}",
        page.body
    );
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

    // Reopen: a kader may not, a reason is required; then the month is open again, the
    // old close listed with the reason, and it can be closed again.
    let reopen = async |who: &Login, reason: &str| {
        let mut f = form(&who.csrf, "2026-06");
        f.push(("reason", reason.to_owned()));
        let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        app.post("/laporan/buka-kembali", who, &fields).await
    };
    assert!(page.body.contains("Buka kembali bulan ini"));
    assert_eq!(reopen(&kader, "x").await.status, StatusCode::FORBIDDEN);
    let no_reason = reopen(&officer, "  ").await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("wajib diisi"), "{}", no_reason.body);
    let done = reopen(&officer, "Posyandu Mawar belum mengirim").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app
        .get(&format!("/laporan?unit={unit}&month=2026-06"), &officer)
        .await;
    assert!(!page.body.contains("Bulan ini ditutup"), "open again");
    assert!(page.body.contains("Tutup bulan ini"));
    let closer = &officer.user.display_name;
    assert!(
        page.body
            .contains(&format!("oleh {closer}, dibuka kembali"))
            && page.body.contains(&format!(
                "oleh {closer}. Alasan: Posyandu Mawar belum mengirim"
            )),
        "{}",
        page.body
    );
    // Reopening an open month is refused naming it.
    let again = reopen(&officer, "lagi").await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("2026-06"), "{}", again.body);
    assert_eq!(
        post(&officer, &officer.csrf, "2026-06").await.status,
        StatusCode::SEE_OTHER
    );
    let audit = app
        .store
        .audit_by_actor(
            &store::Actor::system("t"),
            &store::Actor::for_user(&officer.user).label(),
            20,
        )
        .await
        .unwrap();
    assert!(
        audit.iter().any(|a| a.detail["reopen_period"] == "2026-06"
            && a.detail["reason"] == "Posyandu Mawar belum mengirim"),
        "{audit:?}"
    );
}
