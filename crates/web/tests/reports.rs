//! The monthly report page, its drill-down, downloads and API (issue 11) on a real SQLite
//! file: a kader's posyandu in June with one of two children weighed; the number opens to
//! exactly that child (audited); the Puskesmas sees its villages' rows; another
//! posyandu's unit is 404; a bad indicator or month names the field and the value.
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
use store::codes::MeasurementKind;
use store::{Actor, Capture, Sex};
use time::OffsetDateTime;
use time::macros::date;

async fn get(app: &axum::Router, uri: &str, token: &str) -> (StatusCode, String, String) {
    let (s, kind, body) = get_as(app, uri, token).await;
    (s, kind, String::from_utf8_lossy(&body).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monthly_report_opens_to_the_persons_it_counts() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let add = async |name: &str, birth| {
        fixture::add_person(
            &store,
            &sys,
            &fixture::person(&r.posyandu_a, name, Sex::Female, birth),
        )
        .await
    };
    let sari = add("Sari", date!(2025 - 06 - 01)).await;
    add("Tuti", date!(2024 - 02 - 01)).await;
    let on = date!(2026 - 06 - 10);
    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&Capture::Measurement(store::NewMeasurement {
        id: store::MeasurementId::new(),
        person_id: sari.id,
        visit_id: None,
        org_unit_id: sari.org_unit_id,
        measured_on: on,
        kind: MeasurementKind::Weight,
        value: 9.0,
        implausible: false,
        captured_at: OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.capture(&Capture::Finding(store::NewFinding {
        id: store::FindingId::new(),
        person_id: sari.id,
        visit_id: None,
        org_unit_id: sari.org_unit_id,
        found_on: on,
        code: "kms_n".into(),
        detail: None,
        captured_at: OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.capture(&Capture::ServiceDay(store::NewServiceDay {
        id: store::ServiceDayId::new(),
        org_unit_id: r.posyandu_a.id,
        date: on,
        note: Some("Bu Yuli dan Bu Rahma".into()),
        captured_at: OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let (s, _, html) = get(&app, "/laporan?month=2026-06", &me).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("Laporan bulanan") && html.contains("Posyandu Melati · 2026-06"));
    assert!(
        html.contains("D (ditimbang)") && html.contains("50,0 %"),
        "D/S 1/2"
    );
    let drill = format!(
        "/laporan/orang?unit={}&#38;month=2026-06&#38;ind=d",
        r.posyandu_a.id
    );
    assert!(
        html.contains(&drill),
        "the count links to its persons: {html}"
    );
    assert!(
        !html.contains("Wilayah di bawahnya"),
        "a posyandu has no rows below"
    );
    // The cluster-2 set comes first, its counts the sections' own (S is 2 in both).
    let cluster = html.find("Dasbor klaster 2").expect("the cluster-2 block");
    let skdn = html.find("Penimbangan balita (SKDN)").unwrap();
    assert!(cluster < skdn, "cluster 2 first");
    let s_row = "<th scope=\"row\">S (semua balita)</th><td class=\"num\"><a";
    assert_eq!(
        html.matches(s_row).count(),
        2,
        "S in the block and in SKDN: {html}"
    );

    let (s, _, html) = get(&app, &drill.replace("&#38;", "&"), &me).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains(">Sari<") && !html.contains(">Tuti<") && html.contains("1 orang"));
    // The kader on duty open to their names, with their posyandu (no birth date column).
    let duty = drill
        .replace("&#38;", "&")
        .replace("ind=d", "ind=kader_bertugas");
    let (s, _, html) = get(&app, &duty, &me).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains(">Bu Yuli<") && html.contains(">Bu Rahma<") && html.contains("2 orang"),
        "{html}"
    );
    assert!(!html.contains("Tanggal lahir"), "{html}");
    let kader = store
        .user_by_username("kader.melati")
        .await
        .unwrap()
        .unwrap();
    let mine = store
        .audit_by_actor(&sys, &Actor::for_user(&kader).label(), 10)
        .await
        .unwrap();
    assert!(
        mine.iter().any(|a| a.detail["indicator"] == "d"),
        "the drill-down is in the access log: {mine:?}"
    );

    let (s, kind, csv) = get(&app, "/laporan?month=2026-06&format=csv", &me).await;
    assert_eq!(
        (s, kind.as_str()),
        (StatusCode::OK, "text/csv; charset=utf-8")
    );
    assert!(
        csv.starts_with("bagian,kode,indikator,nilai,pembilang,penyebut"),
        "{csv}"
    );
    assert!(csv.contains(",s,S,2,") && csv.contains(",d,D,1,"), "{csv}");
    let (s, kind, body) = get(&app, "/laporan?month=2026-06&format=xlsx", &me).await;
    assert_eq!(s, StatusCode::OK);
    assert!(kind.contains("spreadsheetml") && body.starts_with("PK"));
    // The printable report: a PDF with the CSV's numbers, its download audited.
    let (s, kind, body) = get_as(&app, "/laporan?month=2026-06&format=pdf", &me).await;
    assert_eq!((s, kind.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(body.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&body).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("Laporan Bulanan Posyandu Melati Juni 2026"),
        "{text}"
    );
    assert!(
        text.contains("S 2") && text.contains("D 1") && text.contains("D/S 50,0 % 1 2"),
        "{text}"
    );
    let mine = store
        .audit_by_actor(&sys, &Actor::for_user(&kader).label(), 20)
        .await
        .unwrap();
    assert!(
        mine.iter().any(|a| a.detail["as"] == "pdf"),
        "the PDF download is in the access log: {mine:?}"
    );
    let (_, _, html) = get(&app, "/laporan?month=2026-06", &me).await;
    assert!(
        html.contains("format=pdf\">PDF</a>"),
        "the page links the PDF"
    );

    let (s, v) = call(
        &app,
        Method::GET,
        "/api/v1/reports/monthly?month=2026-06",
        Some(&me),
        Value::Null,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let d = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "d")
        .unwrap();
    assert_eq!(d["n"], 1);
    let ds = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "d_per_s")
        .unwrap();
    assert_eq!(
        (ds["numerator"].as_u64(), ds["denominator"].as_u64()),
        (Some(1), Some(2))
    );

    // The 12-month trend up to June: a row per month, newest first, June's D/S 1 of 2;
    // the chart draws the ratios; May, closed, says so.
    let may = report::monthly::monthly(&store, &sys, r.posyandu_a.id, date!(2026 - 05 - 01))
        .await
        .unwrap();
    report::monthly::close::close(&store, &sys, &may, date!(2026 - 06 - 02))
        .await
        .unwrap();
    let (s, _, html) = get(&app, "/laporan/tren?month=2026-06", &me).await;
    assert!(
        html.contains(">2026-05</a> <span class=\"muted\">ditutup</span>")
            && !html.contains(">2026-06</a> <span"),
        "{html}"
    );
    assert_eq!(s, StatusCode::OK, "{html}");
    assert_eq!(html.matches("<tr><th scope=\"row\">").count(), 12, "{html}");
    let june = html.find(">2026-06<").unwrap();
    assert!(june < html.find(">2025-07<").unwrap(), "newest first");
    assert!(html[june..].contains("50,0 %"));
    assert!(html.contains("<polyline") && html.contains("<title id=\"trend-title\">"));

    // The Puskesmas: one row per village, each a link to its own report.
    user(&store, &r.puskesmas, "pkm.tempursari").await;
    let pkm = token(&app, "pkm.tempursari").await;
    let (s, _, html) = get(&app, "/laporan?month=2026-06", &pkm).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Wilayah di bawahnya") && html.contains(">Tegalrejo<"),
        "{html}"
    );

    // Out of scope, a bad indicator, a bad month.
    for page in ["/laporan", "/laporan/tren"] {
        let (s, _, _) = get(&app, &format!("{page}?unit={}", r.posyandu_b.id), &me).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{page}");
    }
    let (s, _, text) = get(&app, "/laporan/orang?month=2026-06&ind=d_per_s", &me).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("d_per_s"), "{text}");
    let (s, _, text) = get(&app, "/laporan?month=2026-13", &me).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text.contains("2026-13"), "{text}");
}
