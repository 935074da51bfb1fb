//! The target lists page and API (issue 10 item 4) on a real SQLite file: a child with
//! overdue doses on the kader's list, sorted, downloaded as CSV and XLSX; another
//! posyandu's unit is 404; a bad month names the field and the value.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/api_app.rs"]
mod api_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use api_app::*;
use axum::http::{Method, StatusCode};
use serde_json::Value;
use store::{Actor, Sex};
use time::macros::date;

async fn get(app: &axum::Router, uri: &str, token: &str) -> (StatusCode, String, Vec<u8>) {
    get_as(app, uri, token).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn target_lists_show_sort_download_and_stay_in_scope() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    for (name, birth) in [
        ("Zaki", date!(2026 - 01 - 05)),
        ("Ayu", date!(2025 - 06 - 01)),
    ] {
        fixture::add_person(
            &store,
            &sys,
            &fixture::person(&r.posyandu_a, name, Sex::Male, birth),
        )
        .await;
    }
    let base = format!(
        "/sasaran?list=imunisasi&unit={}&month=2026-06",
        r.posyandu_a.id
    );
    let (s, _, body) = get(&app, &base, &me).await;
    let html = String::from_utf8(body).unwrap();
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Imunisasi saatnya dan terlambat") && html.contains("2 orang"));
    assert!(
        html.contains("keadaan per 2026-06-30"),
        "a past month: its last day"
    );
    // Sorted by name, then by birth date descending.
    let order = |h: &str| (h.find(">Ayu<").unwrap(), h.find(">Zaki<").unwrap());
    let (a, z) = order(&html);
    assert!(a < z, "by posyandu and name");
    let (_, _, body) = get(&app, &format!("{base}&sort=1&desc=1"), &me).await;
    let html = String::from_utf8(body).unwrap();
    let (a, z) = order(&html);
    assert!(z < a, "youngest first when sorted by birth date descending");
    assert!(html.contains("aria-sort=\"descending\""));

    let (s, kind, body) = get(&app, &format!("{base}&format=csv"), &me).await;
    assert_eq!(
        (s, kind.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    let csv = String::from_utf8(body).unwrap();
    assert!(
        csv.starts_with("Nama,Tanggal lahir,Umur (bulan),Terlambat,Saatnya"),
        "{csv}"
    );
    assert!(csv.contains("Zaki,2026-01-05,5,"), "{csv}");
    let (s, kind, body) = get(&app, &format!("{base}&format=xlsx"), &me).await;
    assert_eq!(s, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"));
    assert_eq!(&body[..2], b"PK");

    let (s, v) = call(
        &app,
        Method::GET,
        &format!(
            "/api/v1/targets/imunisasi?month=2026-06&unit={}",
            r.posyandu_a.id
        ),
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["rows"].as_array().unwrap().len(), 2);
    assert_eq!(v["headers"][0], "Nama");

    // Another posyandu: not found; a bad month: the field and the value.
    let (s, _, _) = get(
        &app,
        &format!("/sasaran?list=imunisasi&unit={}", r.posyandu_b.id),
        &me,
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, body) = get(&app, "/sasaran?month=2026-13", &me).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let text = String::from_utf8(body).unwrap();
    assert!(text.contains("Bulan") && text.contains("2026-13"), "{text}");
    let (s, v) = call(
        &app,
        Method::GET,
        "/api/v1/targets/semua",
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(
        (s, v["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("list"))
    );

    // The e-PPGBM export: not for a kader; the Puskesmas gets the sheet, audited.
    let (s, _, _) = get(&app, "/ekspor/eppgbm?month=2026-06", &me).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut tx = store.begin(&sys).await.unwrap();
    let officer = tx
        .create_user(&store::NewUser {
            id: store::UserId::new(),
            username: "gizi.pkm".into(),
            display_name: "Petugas Gizi".into(),
            role: store::Role::PuskesmasOfficer,
            org_unit_id: r.puskesmas.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new("gizi.pkm", "kata-sandi-uji-2026").unwrap();
    tx.set_password(officer.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    let gizi = token(&app, "gizi.pkm").await;
    let (s, kind, body) = get(&app, "/ekspor/eppgbm?month=2026-06", &gizi).await;
    assert_eq!(s, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"));
    assert_eq!(&body[..2], b"PK");
    let (_, _, body) = get(&app, "/ekspor/eppgbm?month=2026-06&format=csv", &gizi).await;
    assert!(
        String::from_utf8(body)
            .unwrap()
            .starts_with("NIK,Nama,JK,Tgl Lahir")
    );
    let audit = store
        .audit_by_actor(&sys, &store::Actor::for_user(&officer).label(), 10)
        .await
        .unwrap();
    assert!(
        audit.iter().any(|a| a.detail["export"] == "e-PPGBM"),
        "{audit:?}"
    );
}
