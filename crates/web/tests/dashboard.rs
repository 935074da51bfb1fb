//! The dashboard (`/laporan/dasbor`, issue 11 item 3) on a real SQLite file: the fixture's
//! Puskesmas in June 2026 with one posyandu that weighed a child (stunted) and one that saw
//! nobody. The page's numbers are checked against `report::monthly` itself: the ranking's
//! values and order, the coverage by antigen (the year's doses over the infants 0–11
//! months), the pos that have not reported. Also: the indicator select (a GET form), a bad
//! indicator, a kader's own posyandu, and units outside the user's area not found.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/api_app.rs"]
mod api_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use api_app::*;
use axum::http::StatusCode;
use report::monthly::indicators::by_code;
use report::monthly::{Value, monthly};
use store::codes::MeasurementKind;
use store::{Actor, Capture, OrgUnit, Person, Sex, Store};
use time::macros::date;
use time::{Date, OffsetDateTime};

const JUNE: Date = date!(2026 - 06 - 01);

async fn page(app: &axum::Router, uri: &str, token: &str) -> (StatusCode, String) {
    let (s, _, body) = get_as(app, uri, token).await;
    (s, String::from_utf8_lossy(&body).into_owned())
}

async fn capture(store: &Store, c: Capture) {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    tx.capture(&c).await.unwrap();
    tx.commit().await.unwrap();
}

async fn measure(store: &Store, p: &Person, on: Date, kind: MeasurementKind, value: f64) {
    capture(
        store,
        Capture::Measurement(store::NewMeasurement {
            id: store::MeasurementId::new(),
            person_id: p.id,
            visit_id: None,
            org_unit_id: p.org_unit_id,
            measured_on: on,
            kind,
            value,
            implausible: false,
            captured_at: OffsetDateTime::now_utc(),
        }),
    )
    .await;
}

async fn finding(store: &Store, p: &Person, on: Date, code: &str) {
    capture(
        store,
        Capture::Finding(store::NewFinding {
            id: store::FindingId::new(),
            person_id: p.id,
            visit_id: None,
            org_unit_id: p.org_unit_id,
            found_on: on,
            code: code.into(),
            detail: None,
            captured_at: OffsetDateTime::now_utc(),
        }),
    )
    .await;
}

async fn dose(store: &Store, p: &Person, on: Date, vaccine: &str) {
    capture(
        store,
        Capture::Dose(store::NewDose {
            id: store::DoseId::new(),
            person_id: p.id,
            visit_id: None,
            org_unit_id: p.org_unit_id,
            given_on: on,
            vaccine: vaccine.into(),
            dose_number: None,
            batch: None,
            captured_at: OffsetDateTime::now_utc(),
        }),
    )
    .await;
}

/// The text of every `<text>` of the SVG whose title has this id, in document order.
fn texts(html: &str, title_id: &str) -> Vec<String> {
    let at = html
        .find(&format!("aria-labelledby=\"{title_id}\""))
        .unwrap_or_else(|| panic!("no chart {title_id}: {html}"));
    let svg = &html[at..at + html[at..].find("</svg>").unwrap()];
    svg.split("<text ")
        .skip(1)
        .map(|t| {
            let t = &t[t.find('>').unwrap() + 1..];
            t[..t.find("</text>").unwrap()].replace("&amp;", "&")
        })
        .collect()
}

/// A value as the dashboard prints it, from the report's own number.
fn printed(v: Value) -> String {
    match v {
        Value::Ratio {
            numerator,
            denominator,
            percent: Some(p),
        } => format!(
            "{} · {numerator}/{denominator}",
            format!("{p:.1} %").replace('.', ",")
        ),
        _ => "–".into(),
    }
}

/// The ranking the report gives: each child of `unit` by the indicator, highest first.
async fn ranking(store: &Store, unit: &OrgUnit, code: &str) -> Vec<(String, String)> {
    let sys = Actor::system("test");
    let r = monthly(store, &sys, unit.id, JUNE).await.unwrap();
    let ind = by_code(code).unwrap();
    let mut rows: Vec<(String, Value, String)> = r
        .children
        .iter()
        .map(|(u, n)| (u.name.clone(), n.value(ind), u.path.as_str().to_owned()))
        .collect();
    let key = |v: &Value| match v {
        Value::Ratio { percent, .. } => percent.unwrap_or(-1.0),
        Value::Count { .. } => -1.0,
    };
    rows.sort_by(|a, b| key(&b.1).total_cmp(&key(&a.1)).then(a.2.cmp(&b.2)));
    rows.into_iter()
        .enumerate()
        .map(|(k, (name, v, _))| (format!("{}. {name}", k + 1), printed(v)))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_the_reports_numbers() {
    let (_dir, store, r, app) = setup().await;
    let sys = Actor::system("test");
    let add = async |at: &OrgUnit, name: &str, sex, birth| {
        fixture::add_person(&store, &sys, &fixture::person(at, name, sex, birth)).await
    };
    let sari = add(&r.posyandu_a, "Sari", Sex::Female, date!(2025 - 06 - 01)).await;
    add(&r.posyandu_a, "Tuti", Sex::Female, date!(2024 - 02 - 01)).await;
    let ani = add(&r.posyandu_a, "Ani", Sex::Female, date!(2026 - 01 - 15)).await;
    add(&r.posyandu_b, "Budi", Sex::Male, date!(2025 - 01 - 01)).await;
    let on = date!(2026 - 06 - 10);
    measure(&store, &sari, on, MeasurementKind::Weight, 9.0).await;
    finding(&store, &sari, on, "kms_n").await;
    measure(&store, &sari, on, MeasurementKind::Length, 66.0).await;
    finding(&store, &sari, on, "lfa_stunted").await;
    dose(&store, &ani, date!(2026 - 01 - 15), "HB0").await;
    dose(&store, &ani, date!(2026 - 02 - 02), "BCG").await;

    user(&store, &r.puskesmas, "pkm.tempursari").await;
    let pkm = token(&app, "pkm.tempursari").await;
    let (s, html) = page(&app, "/laporan/dasbor?month=2026-06", &pkm).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("Dasbor · Puskesmas Tempursari · 2026-06"),
        "{html}"
    );
    for id in ["gizi-title", "timbang-title"] {
        assert!(html.contains(&format!("<title id=\"{id}\">")), "{id}");
    }
    assert!(
        html.contains("Prevalensi stunting · 2026-06: 100,0 %"),
        "legend"
    );
    // The headline tiles: the month's own numbers, each opening its persons.
    let own = monthly(&store, &sys, r.puskesmas.id, JUNE).await.unwrap();
    let ds = own.numbers.value(by_code("d_per_s").unwrap());
    assert_eq!(printed(ds), "25,0 % · 1/4");
    let tile = format!(
        "<li><a href=\"/laporan/orang?unit={}&#38;month=2026-06&#38;ind=d\"><span>D/S partisipasi</span><strong>25,0 %</strong><span class=\"muted\">1/4</span>",
        r.puskesmas.id
    );
    assert!(html.contains(&tile), "{html}");
    assert!(html.contains("<strong>1/2</strong><span class=\"muted\">Belum melapor: 1</span>"));

    // The ranking: the report's children, highest stunting prevalence first, each name a
    // link to its dashboard and each value to the children it counts.
    let expected = ranking(&store, &r.puskesmas, "prev_stunting").await;
    let shown = texts(&html, "rank-title");
    let pairs: Vec<(String, String)> = shown
        .chunks(2)
        .take(expected.len())
        .map(|c| (c[0].clone(), c[1].clone()))
        .collect();
    assert_eq!(pairs, expected, "{shown:?}");
    assert_eq!(expected[0], ("1. Tegalrejo".into(), "100,0 % · 1/1".into()));
    assert_eq!(shown.last().unwrap(), "Puskesmas Tempursari: 100,0 %");
    assert!(html.contains(&format!(
        "href=\"/laporan/dasbor?unit={}&amp;month=2026-06&amp;ind=prev_stunting\"",
        r.desa_a.id
    )));
    assert!(html.contains(&format!(
        "href=\"/laporan/orang?unit={}&amp;month=2026-06&amp;ind=stunting\"",
        r.desa_a.id
    )));

    // The select: every ratio of the report, the asked one selected; another indicator
    // reorders the ranking (a GET form, no script).
    assert!(
        html.contains(
            "<form class=\"no-print dash-ind\" method=\"get\" action=\"/laporan/dasbor\">"
        )
    );
    assert!(html.contains("<option value=\"prev_stunting\" selected>"));
    let ratios = report::monthly::indicators::ALL
        .iter()
        .filter(|i| !i.is_count())
        .count();
    let select = &html[html.find("<select id=\"ind\"").unwrap()..];
    let select = &select[..select.find("</select>").unwrap()];
    assert_eq!(select.matches("<option").count(), ratios);
    let (s, html) = page(&app, "/laporan/dasbor?month=2026-06&ind=d_per_s", &pkm).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("<option value=\"d_per_s\" selected>"));
    let expected = ranking(&store, &r.puskesmas, "d_per_s").await;
    let shown = texts(&html, "rank-title");
    assert_eq!(
        shown[..4],
        [
            expected[0].0.clone(),
            expected[0].1.clone(),
            expected[1].0.clone(),
            expected[1].1.clone()
        ],
    );
    assert_eq!(shown[1], "33,3 % · 1/3");
    let (s, text) = page(&app, "/laporan/dasbor?month=2026-06&ind=s", &pkm).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "a count is not ranked");
    assert!(text.contains('s'));

    // Coverage: the doses of January–June over the infants 0–11 months of June (Ani).
    let months = report::monthly::trend::trend(&store, &sys, r.puskesmas.id, JUNE, 12)
        .await
        .unwrap();
    let bcg: u64 = months
        .iter()
        .filter(|(m, _)| m.year() == 2026)
        .map(|(_, n)| n.tally("BCG").total)
        .sum();
    assert_eq!(bcg, 1);
    let cov = texts(&html, "coverage-title");
    let at = cov.iter().position(|t| t == "BCG").unwrap();
    assert_eq!(cov[at + 1], "100,0 % · 1/1", "{cov:?}");
    let at = cov.iter().position(|t| t == "MR 1").unwrap();
    assert_eq!(cov[at + 1], "0,0 % · 0/1", "{cov:?}");
    assert!(cov.last().unwrap().contains("6/12: 50 %"), "{cov:?}");

    // Completeness: the posyandu whose June report counts nobody weighed or served.
    let mut missing = Vec::new();
    for p in [&r.posyandu_a, &r.posyandu_b] {
        let n = monthly(&store, &sys, p.id, JUNE).await.unwrap().numbers;
        if n.tally("d").total == 0 && n.tally("bumil_dilayani").total == 0 {
            missing.push(p.name.clone());
        }
    }
    assert_eq!(missing, ["Posyandu Mawar"]);
    assert!(html.contains("1 dari 2 pos melapor"), "{html}");
    let list = &html[html.find("<ul class=\"dash-missing\">").unwrap()..];
    let list = &list[..list.find("</ul>").unwrap()];
    assert!(
        list.contains(&format!(
            "/laporan/dasbor?unit={}&#38;month=2026-06",
            r.posyandu_b.id
        )) && list.contains(">Posyandu Mawar<")
            && !list.contains("Melati"),
        "{list}"
    );

    // The kabupaten (the Dinkes): the same pos, read through each desa.
    user(&store, &r.kabupaten, "dinkes.lumajang").await;
    let dinkes = token(&app, "dinkes.lumajang").await;
    let (s, html) = page(&app, "/laporan/dasbor?month=2026-06", &dinkes).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("1 dari 2 pos melapor") && html.contains(">Posyandu Mawar<"));

    // A kader: their posyandu, nothing below it to rank; another posyandu is not found,
    // nor is a unit above the Puskesmas for its officer.
    let me = token(&app, "kader.melati").await;
    let (s, html) = page(&app, "/laporan/dasbor?month=2026-06", &me).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("1 dari 1 pos melapor") && html.contains("Semua pos sudah melapor"));
    assert!(!html.contains("rank-title"));
    let far = format!("/laporan/dasbor?unit={}&month=2026-06", r.posyandu_b.id);
    assert_eq!(page(&app, &far, &me).await.0, StatusCode::NOT_FOUND);
    let up = format!("/laporan/dasbor?unit={}", r.kabupaten.id);
    assert_eq!(page(&app, &up, &pkm).await.0, StatusCode::NOT_FOUND);

    // The pages that lead here.
    let (_, html) = page(&app, "/laporan?month=2026-06", &pkm).await;
    assert!(html.contains(&format!(
        "/laporan/dasbor?unit={}&amp;month=2026-06",
        r.puskesmas.id
    )));
    let (_, html) = page(&app, "/laporan/tren?month=2026-06", &pkm).await;
    assert!(html.contains("/laporan/dasbor?unit="));
}
