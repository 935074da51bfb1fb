//! The person page (`/orang/{person}`, issue 10 item 1) on a real SQLite file: a child's
//! family, last findings, open referral, immunization card and visits, a pregnant woman's
//! pregnancy with its ANC visits, and another posyandu's kader answered 404; the child's
//! papers as PDF in [`papers`].
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "support/api_app.rs"]
mod api_app;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use api_app::*;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Actor, Capture, Sex};
use time::macros::date;
use tower::ServiceExt;

/// A child's papers as PDF (the IDL certificate and the KMS card).
#[path = "person_page/papers.rs"]
mod papers;

async fn page(app: &axum::Router, uri: &str, token: &str) -> (StatusCode, String) {
    let req = Request::get(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_page_shows_the_whole_record_in_scope() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let other = token(&app, "kader.mawar").await;
    let sys = Actor::system("test");
    let at = &r.posyandu_a;

    let mut tx = store.begin(&sys).await.unwrap();
    let home = store::NewHousehold {
        id: store::HouseholdId::new(),
        org_unit_id: at.id,
        kk_number: None,
        head_name: "Pak Slamet".into(),
        address: Some("Dusun Krajan".into()),
        rt: Some("RT 02".into()),
        rw: None,
    };
    tx.create_household(&home).await.unwrap();
    tx.commit().await.unwrap();
    let in_home = |name: &str, sex, birth| store::NewPerson {
        household_id: Some(home.id),
        ..fixture::person(at, name, sex, birth)
    };
    let child = fixture::add_person(
        &store,
        &sys,
        &in_home("Sari", Sex::Female, date!(2026 - 01 - 10)),
    )
    .await;
    let mother = fixture::add_person(
        &store,
        &sys,
        &in_home("Bu Wati", Sex::Female, date!(1996 - 05 - 01)),
    )
    .await;

    let mut tx = store.begin(&sys).await.unwrap();
    tx.capture(&fixture::weight(&child, at, date!(2026 - 10 - 05), 7.2).into())
        .await
        .unwrap();
    tx.capture(&Capture::Finding(store::NewFinding {
        id: store::FindingId::new(),
        person_id: child.id,
        visit_id: None,
        org_unit_id: at.id,
        found_on: date!(2026 - 10 - 05),
        code: "stunting".into(),
        detail: None,
        captured_at: time::OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.capture(&Capture::Dose(store::NewDose {
        id: store::DoseId::new(),
        person_id: child.id,
        visit_id: None,
        org_unit_id: at.id,
        given_on: date!(2026 - 01 - 20),
        vaccine: "BCG".into(),
        dose_number: None,
        batch: None,
        captured_at: time::OffsetDateTime::now_utc(),
    }))
    .await
    .unwrap();
    tx.create_referral(&store::NewReferral {
        id: store::ReferralId::new(),
        person_id: child.id,
        finding_id: None,
        org_unit_id: at.id,
        referred_on: date!(2026 - 10 - 05),
        to_facility: "Puskesmas Tempursari".into(),
        reason: "Pendek, berat tidak naik".into(),
    })
    .await
    .unwrap();
    tx.open_pregnancy(&store::NewPregnancy {
        id: store::PregnancyId::new(),
        person_id: mother.id,
        lmp: Some(date!(2026 - 06 - 01)),
        due_date: Some(date!(2027 - 03 - 08)),
        gravida: Some(2),
        para: Some(1),
        abortus: Some(0),
        high_risk: false,
    })
    .await
    .unwrap();
    tx.capture(&fixture::weight(&mother, at, date!(2026 - 09 - 07), 58.0).into())
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let (s, html) = page(&app, &format!("/orang/{}", child.id), &me).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    let want = [
        "<h1>Sari</h1>",
        "Balita",
        // The family, with a link to the mother.
        "KK: Pak Slamet · Dusun Krajan · RT 02",
        &format!("href=\"/orang/{}\"", mother.id),
        // The last visit's findings and the open referral.
        "Temuan terakhir (2026-10-05):",
        "Rujukan belum selesai",
        "Dirujuk ke Puskesmas Tempursari · Pendek, berat tidak naik · dibuat",
        // The card: BCG given, HB0 missed, the 2-month doses late.
        "Catatan imunisasi",
        "Diberikan 2026-01-20",
        "Terlewat (tanyakan Puskesmas)",
        "Terlambat",
        "Imunisasi dasar lengkap: belum",
        // The visit.
        "Berat badan 7,2 kg",
    ];
    for w in want {
        assert!(html.contains(w), "missing {w:?}");
    }
    assert!(!html.contains("Sedang hamil"));

    let (s, html) = page(&app, &format!("/orang/{}", mother.id), &me).await;
    assert_eq!(s, StatusCode::OK);
    for w in [
        "Sedang hamil",
        "G2 P1 A0",
        "1 kunjungan: 2026-09-07",
        "Berat badan 58 kg",
    ] {
        assert!(html.contains(w), "missing {w:?}");
    }
    assert!(
        !html.contains("Catatan imunisasi"),
        "no child's card for an adult"
    );

    // Another posyandu's kader: not found, and nothing of the record.
    let (s, html) = page(&app, &format!("/orang/{}", child.id), &other).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(!html.contains("Sari"));
    let (s, _) = page(&app, "/orang/bukan-uuid", &me).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn post_form(
    app: &axum::Router,
    uri: &str,
    token: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, Option<String>) {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let req = Request::post(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_owned());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8_lossy(&bytes).into_owned(),
        location,
    )
}

fn urlencode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A hidden input's value in a page (`name="…" value="…"`), HTML entities undone.
fn hidden(html: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let start = html.find(&key).unwrap() + key.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end]
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#x22;", "\"")
        .replace("&amp;", "&")
}

/// Two people edit one child at once: the field changed only here is taken, the one
/// changed differently on both sides comes back with both values and the user picks;
/// a bad date is refused naming the field and nothing is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_at_once_shows_both_values_and_the_user_picks() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let child = fixture::add_person(
        &store,
        &sys,
        &store::NewPerson {
            phone: Some("0811".into()),
            ..fixture::person(&r.posyandu_a, "Sari", Sex::Female, date!(2026 - 01 - 10))
        },
    )
    .await;
    let uri = format!("/orang/{}/ubah", child.id);
    let (s, form) = page(&app, &uri, &me).await;
    assert_eq!(s, StatusCode::OK, "{form}");
    let csrf = hidden(&form, "csrf");
    let base = hidden(&form, "base");
    let version = hidden(&form, "base_version");

    // Meanwhile the bidan changes the phone number.
    let mut tx = store.begin(&sys).await.unwrap();
    let now = store.person(&sys, child.id).await.unwrap();
    tx.update_person(
        now.meta.version,
        &store::NewPerson {
            phone: Some("0822".into()),
            ..now.editable()
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let fields = |name: &'static str, birth: &'static str, phone: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("base_version", version.clone()),
            ("base", base.clone()),
            ("name", name.to_owned()),
            ("sex", "P".to_owned()),
            ("birth_date", birth.to_owned()),
            ("phone", phone.to_owned()),
        ]
    };
    let send = |f: Vec<(&'static str, String)>| {
        let app = app.clone();
        let uri = uri.clone();
        let me = me.clone();
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            post_form(&app, &uri, &me, &pairs).await
        }
    };
    // A date that is not one: refused, naming the field and the value, nothing stored.
    let (s, html, _) = send(fields("Sari Dewi", "2026-02-31", "0833")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("Tanggal lahir") && html.contains("2026-02-31"),
        "{html}"
    );
    assert!(
        html.contains("value=\"Sari Dewi\""),
        "what was typed comes back"
    );
    assert_eq!(store.person(&sys, child.id).await.unwrap().name, "Sari");

    // The name changed only here is taken; the phone changed on both sides waits.
    let (s, _, to) = send(fields("Sari Dewi", "2026-01-10", "0833")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to.as_deref(), Some(uri.as_str()));
    let stored = store.person(&sys, child.id).await.unwrap();
    assert_eq!(
        (stored.name.as_str(), stored.phone.as_deref()),
        ("Sari Dewi", Some("0822")),
        "the other's phone stays until the user picks"
    );
    let (_, conflict) = page(&app, &uri, &me).await;
    assert!(
        conflict.contains("Data ini juga diubah orang lain"),
        "{conflict}"
    );
    assert!(
        conflict.contains("Nilai Anda: <strong>0833</strong>"),
        "{conflict}"
    );
    assert!(conflict.contains("Nilai tersimpan: <strong>0822</strong>"));
    let review = hidden(&conflict, "review");
    let csrf2 = hidden(&conflict, "csrf");
    let (s, _, to) = post_form(
        &app,
        &format!("/orang/{}/pilih", child.id),
        &me,
        &[("csrf", &csrf2), ("review", &review), ("choice", "device")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to, Some(format!("/orang/{}", child.id)));
    let stored = store.person(&sys, child.id).await.unwrap();
    assert_eq!(stored.phone.as_deref(), Some("0833"));
    assert!(store.open_reviews(&sys, child.id).await.unwrap().is_empty());
    // The merge and the choice are in the audit.
    let audit = store.audit_of(&sys, child.id.0).await.unwrap();
    assert!(audit.len() >= 4, "{audit:?}");

    // Another posyandu's kader cannot open or save the form.
    let other = token(&app, "kader.mawar").await;
    let (s, _) = page(&app, &uri, &other).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

/// The `<figure>` of one growth chart in the page (from its id to its end), if shown.
fn figure<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    let start = html.find(&format!("id=\"grafik-{key}\""))?;
    let end = start + html[start..].find("</figure>")?;
    Some(&html[start..end])
}

/// Every growth chart id the page can show.
const CHARTS: [&str; 10] = [
    "chart-kind-wfa-0-24",
    "chart-kind-wfa-24-60",
    "chart-kind-wfa-0-60",
    "chart-kind-lhfa",
    "chart-kind-lfa-0-24",
    "chart-kind-hfa-24-60",
    "chart-kind-wfl",
    "chart-kind-wfh",
    "chart-kind-bmi",
    "chart-kind-hfa",
];

/// The growth charts on the page, in the page's order.
fn shown(html: &str) -> Vec<&'static str> {
    let mut v: Vec<(usize, &'static str)> = CHARTS
        .into_iter()
        .filter_map(|k| html.find(&format!("id=\"grafik-{k}\"")).map(|at| (at, k)))
        .collect();
    v.sort();
    v.into_iter().map(|(_, k)| k).collect()
}

/// The growth charts follow the person's age (issue 10 item 2): a balita's KMS page of
/// their age with every weighing marked N/T/BGM/B from that day's findings, length-for-age
/// and weight-for-length; a school child's BMI- and height-for-age; an adult's none. A
/// chart with none of the person's measurements is left off, and an implausible weight is
/// not drawn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_growth_charts_follow_the_age_and_carry_the_child_s_points() {
    let (_dir, store, r, app) = setup().await;
    let me = token(&app, "kader.melati").await;
    let sys = Actor::system("test");
    let at = &r.posyandu_a;
    let today = time::OffsetDateTime::now_utc().date();
    let ago = |days: i64| today - time::Duration::days(days);
    let add = |name: &'static str, sex, birth| {
        let store = store.clone();
        let sys = sys.clone();
        let p = fixture::person(at, name, sex, birth);
        async move { fixture::add_person(&store, &sys, &p).await }
    };
    let baby = add("Bayu", Sex::Male, ago(400)).await;
    let toddler = add("Tono", Sex::Male, ago(915)).await;
    let pupil = add("Putri", Sex::Female, ago(3653)).await;
    let adult = add("Pak Darto", Sex::Male, ago(12_000)).await;
    let measure = |p: &store::Person, on, kind, value| store::NewMeasurement {
        kind,
        value,
        ..fixture::weight(p, at, on, 0.0)
    };
    let finding = |p: &store::Person, on, code: &str| {
        Capture::Finding(store::NewFinding {
            id: store::FindingId::new(),
            person_id: p.id,
            visit_id: None,
            org_unit_id: at.id,
            found_on: on,
            code: code.into(),
            detail: None,
            captured_at: time::OffsetDateTime::now_utc(),
        })
    };
    use store::codes::MeasurementKind::{Height, Length, Weight};
    let mut tx = store.begin(&sys).await.unwrap();
    // The baby: weighed at about 1, 2, 3 and 12 months, measured lying twice.
    let weighings = [
        (ago(370), 4.6, "kms_b"),
        (ago(340), 5.6, "kms_n"),
        (ago(310), 5.6, "kms_t"),
        (ago(40), 6.4, "kms_bgm"),
    ];
    for (on, kg, code) in weighings {
        tx.capture(&measure(&baby, on, Weight, kg).into())
            .await
            .unwrap();
        tx.capture(&finding(&baby, on, code)).await.unwrap();
    }
    tx.capture(&measure(&baby, ago(340), Length, 57.5).into())
        .await
        .unwrap();
    tx.capture(&measure(&baby, ago(40), Length, 71.0).into())
        .await
        .unwrap();
    tx.capture(
        &store::NewMeasurement {
            implausible: true,
            ..measure(&baby, ago(20), Weight, 64.0)
        }
        .into(),
    )
    .await
    .unwrap();
    // The toddler (30 months): weighed as a baby and at 27 months, measured lying at 10
    // months and standing at 27.
    for (on, kind, value) in [
        (ago(900), Weight, 4.0),
        (ago(600), Length, 74.0),
        (ago(100), Weight, 12.5),
        (ago(100), Height, 90.0),
    ] {
        tx.capture(&measure(&toddler, on, kind, value).into())
            .await
            .unwrap();
    }
    // The pupil (10 years) and the adult: weight and height at a screening.
    for p in [&pupil, &adult] {
        let (kg, cm) = if p.id == pupil.id {
            (30.0, 136.0)
        } else {
            (70.0, 168.0)
        };
        tx.capture(&measure(p, ago(30), Weight, kg).into())
            .await
            .unwrap();
        tx.capture(&measure(p, ago(30), Height, cm).into())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let (s, html) = page(&app, &format!("/orang/{}", baby.id), &me).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("<h2 id=\"grafik\">Grafik pertumbuhan</h2>"));
    assert_eq!(
        shown(&html),
        [
            "chart-kind-wfa-0-24",
            "chart-kind-lfa-0-24",
            "chart-kind-wfl"
        ],
        "the KMS of his age, then length-for-age and weight-for-length"
    );
    let kms = figure(&html, "chart-kind-wfa-0-24").unwrap();
    assert!(
        kms.contains("<h3 class=\"visually-hidden\">KMS berat badan menurut umur, 0–24 bulan</h3>")
    );
    assert!(
        kms.contains("viewBox=\"0 0 360 "),
        "scales from a 360 px phone"
    );
    assert_eq!(
        kms.matches("<g class=\"point\">").count(),
        4,
        "the implausible weight is left off"
    );
    for mark in ["mark b", "mark n", "mark t", "mark bgm"] {
        assert!(kms.contains(&format!("class=\"{mark}\"")), "{mark}");
    }
    assert!(kms.contains("class=\"child\""), "the child's line");
    assert!(kms.contains("6,4 kg"), "the last weighing in words");
    assert!(
        kms.contains("<figcaption>Terakhir: 11 bln, 6,4 kg (berat badan"),
        "{kms}"
    );
    let lhfa = figure(&html, "chart-kind-lfa-0-24").unwrap();
    assert_eq!(lhfa.matches("<g class=\"point\">").count(), 2);
    assert!(lhfa.contains("71,0 cm"));
    let wfl = figure(&html, "chart-kind-wfl").unwrap();
    assert_eq!(wfl.matches("<g class=\"point\">").count(), 2);

    // The toddler: the pages of his age first, then the baby pages that hold his early
    // measurements; weight-for-length as a baby, weight-for-height now.
    let (s, html) = page(&app, &format!("/orang/{}", toddler.id), &me).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        shown(&html),
        [
            "chart-kind-wfa-24-60",
            "chart-kind-wfa-0-24",
            "chart-kind-hfa-24-60",
            "chart-kind-lfa-0-24",
            "chart-kind-wfh",
        ]
    );
    for key in [
        "chart-kind-wfa-24-60",
        "chart-kind-wfa-0-24",
        "chart-kind-hfa-24-60",
    ] {
        let f = figure(&html, key).unwrap();
        assert_eq!(f.matches("<g class=\"point\">").count(), 1, "{key}");
        assert!(
            !f.contains("di luar rentang"),
            "{key}: nothing counted as left out"
        );
    }
    assert!(
        figure(&html, "chart-kind-wfh")
            .unwrap()
            .contains("90,0 cm, 12,5 kg")
    );

    let (s, html) = page(&app, &format!("/orang/{}", pupil.id), &me).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(shown(&html), ["chart-kind-bmi", "chart-kind-hfa"]);
    let bmi = figure(&html, "chart-kind-bmi").unwrap();
    assert_eq!(bmi.matches("<g class=\"point\">").count(), 1);
    assert!(bmi.contains("16,2 kg/m²"), "30 kg at 136 cm: {bmi}");
    assert!(
        figure(&html, "chart-kind-hfa")
            .unwrap()
            .contains("136,0 cm")
    );

    let (s, html) = page(&app, &format!("/orang/{}", adult.id), &me).await;
    assert_eq!(s, StatusCode::OK);
    assert!(shown(&html).is_empty());
    assert!(!html.contains("Grafik pertumbuhan"));
    assert!(!html.contains("<svg"));
}
