//! A whole service day through the real router and a real SQLite file, form by form as a
//! cadre's phone posts them: open the day, find and register people (with the similar-person
//! warning), weigh a stunted child and see `rujuk` before saving, give a due vaccine,
//! screen an adult with high blood pressure, refer, and the day's summary. Another
//! posyandu's cadre gets 404 for all of it.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use store::{Actor, MeasurementKind, NewUser, OrgUnit, Role, SessionPolicy, Sex, Store, UserId};
use time::macros::date;
use tower::ServiceExt;

struct Client {
    router: axum::Router,
    token: String,
    csrf: String,
}

struct Answer {
    status: StatusCode,
    body: String,
    location: String,
}

impl Client {
    async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let location = res
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            body: String::from_utf8_lossy(&body).into_owned(),
            location,
        }
    }
    async fn get(&self, uri: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, format!("sid={}", self.token))
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }
    /// Posts a form with this session's CSRF token and a fresh client id.
    async fn post(&self, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let mut body = format!("csrf={}&cid={}", self.csrf, uuid::Uuid::now_v7());
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", urlencode(v)));
        }
        self.post_raw(uri, body).await
    }
    async fn post_raw(&self, uri: &str, body: String) -> Answer {
        let req = Request::post(uri)
            .header(header::COOKIE, format!("sid={}", self.token))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The value of the hidden input `name` in a page (HTML entities undone).
fn hidden(page: &str, name: &str) -> String {
    let key = format!("name=\"{name}\" value=\"");
    let at = page
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in page"))
        + key.len();
    let end = at + page[at..].find('"').unwrap();
    page[at..end]
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

async fn login(store: &Store, router: &axum::Router, unit: &OrgUnit, name: &str) -> Client {
    let mut tx = store.begin(&Actor::system("test")).await.unwrap();
    let user = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: name.into(),
            display_name: name.into(),
            role: Role::Kader,
            org_unit_id: unit.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new(name, "kata-sandi-uji-2026").unwrap();
    tx.set_password(user.id, &hash).await.unwrap();
    tx.commit().await.unwrap();
    let s = store
        .create_session(
            user.id,
            time::OffsetDateTime::now_utc(),
            SessionPolicy::default(),
            None,
        )
        .await
        .unwrap();
    Client {
        router: router.clone(),
        token: s.token.expose().to_owned(),
        csrf: s.session.csrf_token.expose().to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_whole_service_day() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let router = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    let kader = login(&store, &router, &r.posyandu_a, "kader.melati").await;
    let other = login(&store, &router, &r.posyandu_b, "kader.mawar").await;
    let sys = Actor::system("test");
    // A girl of 24 months already on the register, and an adult.
    let girl = fixture::add_person(
        &store,
        &sys,
        &fixture::person(
            &r.posyandu_a,
            "Putri Lestari",
            Sex::Female,
            date!(2024 - 12 - 01),
        ),
    )
    .await;
    let adult = fixture::add_person(
        &store,
        &sys,
        &fixture::person(
            &r.posyandu_a,
            "Slamet Riyadi",
            Sex::Male,
            date!(1970 - 05 - 05),
        ),
    )
    .await;

    // Open the day.
    let unit = r.posyandu_a.id.to_string();
    let a = kader
        .post(
            "/hari",
            &[("unit", &unit), ("date", "2026-12-01"), ("kader", "Bu Sri")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let day = a.location.clone();
    let page = kader.get(&day).await;
    assert!(page.body.contains("Posyandu Melati"), "{}", page.body);
    assert!(
        page.body.contains("Selasa, 1 Desember 2026"),
        "the day's date as people say it"
    );

    // Step 1: find the girl in a few keystrokes, and record her arrival.
    let found = kader.get(&format!("{day}/cari?q=putri")).await;
    assert!(found.body.contains("Putri Lestari"));
    let none = kader.get(&format!("{day}/cari?q=zzz")).await;
    assert!(!none.body.contains("Putri Lestari"));
    let a = kader
        .post(
            &format!("{day}/datang"),
            &[("person", &girl.id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let girl_page = a.location.clone();
    assert!(girl_page.ends_with(&girl.id.to_string()));

    // Step 2: the balita form, with the cut-points for the live classification.
    let form = kader.get(&girl_page).await;
    assert!(form.body.contains("name=\"lenhei_cm\""), "{}", form.body);
    assert!(form.body.contains("id=\"cutpoints\""));
    // Step 3: a stunted girl (78 cm at 24 months: zlen about −2.5) shows `rujuk` before saving.
    let check = kader
        .post(
            &format!("{girl_page}/periksa"),
            &[
                ("weight_kg", "9,6"),
                ("lenhei_cm", "78,0"),
                ("measure", "h"),
                ("asked", "tb"),
            ],
        )
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains("Pendek (stunting)"), "{}", check.body);
    assert!(check.body.contains("Rujuk"));
    assert!(
        store
            .measurements_of(&sys, girl.id)
            .await
            .unwrap()
            .is_empty(),
        "not saved yet"
    );
    let readings = hidden(&check.body, "readings");
    let cid = hidden(&check.body, "cid");
    let save_body = format!(
        "csrf={}&cid={cid}&readings={}",
        kader.csrf,
        urlencode(&readings)
    );
    let saved = kader
        .post_raw(&format!("{girl_page}/simpan"), save_body.clone())
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(saved.location.ends_with("/layanan"));
    // Saving the same form again stores nothing twice.
    kader
        .post_raw(&format!("{girl_page}/simpan"), save_body)
        .await;
    let ms = store.measurements_of(&sys, girl.id).await.unwrap();
    assert_eq!(ms.len(), 2, "{ms:?}");
    assert!(
        ms.iter()
            .any(|m| m.kind == MeasurementKind::Height && m.value == 78.0)
    );
    let findings = store.findings_of(&sys, girl.id).await.unwrap();
    assert!(
        findings.iter().any(|f| f.code == "lfa_stunted"),
        "{findings:?}"
    );
    // The same visit through `posyandu screen`'s contract gives the same findings.
    let line = r#"{"id":"x","sex":"F","birth_date":"2024-12-01","visit_date":"2026-12-01","measurements":{"weight_kg":9.6,"lenhei_cm":78.0,"measure":"h"},"previous_weighings":[],"questionnaires":{"tb_symptoms":{}}}"#;
    let out: serde_json::Value = serde_json::from_str(&domain::screen::screen_line(
        line,
        &domain::Settings::default(),
    ))
    .unwrap();
    let mut cli: Vec<String> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect();
    let mut stored: Vec<String> = findings.iter().map(|f| f.code.clone()).collect();
    cli.sort();
    stored.sort();
    assert_eq!(stored, cli);

    // Step 5 for the girl: the referral is pre-filled from the `rujuk` findings.
    let counsel = kader.get(&format!("{girl_page}/konseling")).await;
    assert!(
        counsel.body.contains("Pendek (stunting)"),
        "{}",
        counsel.body
    );
    let a = kader
        .post(
            &format!("{girl_page}/konseling"),
            &[
                ("note", "Isi Piringku, kontrol 1 bulan"),
                ("refer", "1"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let refs = store
        .referrals_under(&sys, r.posyandu_a.id, None)
        .await
        .unwrap();
    assert_eq!(refs.len(), 1);
    assert!(refs[0].reason.contains("Pendek"), "{}", refs[0].reason);
    assert_eq!(refs[0].to_facility, "Puskesmas Tempursari");

    // Register a new baby with its mother: the mother first, then "register their child".
    let a = kader
        .post(
            &format!("{day}/baru"),
            &[
                ("name", "Siti Aminah"),
                ("sex", "P"),
                ("birth_date", "1998-03-03"),
                ("household_head", "Joko Susilo"),
                ("nik", "3508014303980001"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let mother_id = a.location.rsplit('/').next().unwrap().to_owned();
    let form = kader.get(&format!("{day}/baru?ibu={mother_id}")).await;
    assert!(form.body.contains("Siti Aminah"));
    let household = hidden(&form.body, "household");
    assert!(
        !household.is_empty(),
        "the baby joins the mother's household"
    );
    let baby_fields = [
        ("name", "Bayi Ny Siti"),
        ("sex", "L"),
        ("birth_date", "2026-10-01"),
        ("mother", mother_id.as_str()),
        ("household", household.as_str()),
        ("parent_name", "Siti Aminah"),
    ];
    let a = kader.post(&format!("{day}/baru"), &baby_fields).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let baby_page = a.location.clone();
    let baby_id = store::PersonId::parse(baby_page.rsplit('/').next().unwrap()).unwrap();
    let rel = store.relationships_of(&sys, baby_id).await.unwrap();
    assert_eq!(rel.len(), 1, "mother linked");
    // A second registration of a similar name with the same birth date is held back…
    let twin = [
        ("name", "Bayi Nyonya Siti"),
        ("sex", "L"),
        ("birth_date", "2026-10-01"),
    ];
    let held = kader.post(&format!("{day}/baru"), &twin).await;
    assert_eq!(held.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        held.body.contains("Mungkin orang ini sudah terdaftar"),
        "{}",
        held.body
    );
    // …until the kader says it is someone else.
    let mut confirmed = twin.to_vec();
    confirmed.push(("not_a_duplicate", "1"));
    let a = kader.post(&format!("{day}/baru"), &confirmed).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);

    // Step 4 for the baby (2 months): the due doses come first; give DPT-HB-Hib 1.
    let services = kader.get(&format!("{baby_page}/layanan")).await;
    let due_at = services.body.find("DPT_HB_HIB1").unwrap();
    let other_at = services.body.find("vaccines-other").unwrap_or(usize::MAX);
    let other_heading = services.body.find("Imunisasi lain").unwrap_or(usize::MAX);
    assert!(
        due_at < other_heading.min(other_at),
        "due doses listed first"
    );
    // A balita is asked for the Buku KIA (K of SKDN).
    assert!(
        services.body.contains("name=\"kia_book\"") && services.body.contains("Punya Buku KIA/KMS"),
        "{}",
        services.body
    );
    let a = kader
        .post(
            &format!("{baby_page}/layanan"),
            &[
                ("vaccine", "DPT_HB_HIB1"),
                ("vaccine", "OPV2"),
                ("kia_book", "1"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let today = time::OffsetDateTime::now_utc().date();
    let kia = store
        .persons_with_answer_before(
            &sys,
            r.posyandu_a.id,
            ("LAYANAN", "buku_kia"),
            today - time::Duration::days(400),
            today + time::Duration::days(1),
        )
        .await
        .unwrap();
    assert_eq!(kia, vec![baby_id], "the book is noted");
    let doses = store.doses_of(&sys, baby_id).await.unwrap();
    assert_eq!(doses.len(), 2);
    assert!(
        doses
            .iter()
            .any(|d| d.vaccine == "DPT-HB-Hib" && d.dose_number == Some(1))
    );
    let bad = kader
        .post(&format!("{baby_page}/layanan"), &[("vaccine", "XYZ")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("XYZ"));

    // An adult with high blood pressure: the adult form, hypertension, `rujuk`.
    kader
        .post(
            &format!("{day}/datang"),
            &[("person", &adult.id.to_string())],
        )
        .await;
    let adult_page = format!("{day}/orang/{}", adult.id);
    let form = kader.get(&adult_page).await;
    assert!(form.body.contains("name=\"systolic\"") && form.body.contains("SRQ-20"));
    let check = kader
        .post(
            &format!("{adult_page}/periksa"),
            &[
                ("systolic", "165"),
                ("diastolic", "100"),
                ("weight_kg", "70,5"),
                ("asked", "tb"),
            ],
        )
        .await;
    assert!(check.body.contains("Rujuk"), "{}", check.body);
    // A typo is refused with the field and the value named.
    let typo = kader
        .post(&format!("{adult_page}/periksa"), &[("systolic", "16o")])
        .await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        typo.body.contains("16o") && typo.body.contains("sistolik"),
        "{}",
        typo.body
    );

    // The summary: who came, who did not, who was referred, doses given.
    let summary = kader.get(&format!("{day}/tutup")).await;
    assert_eq!(summary.status, StatusCode::OK);
    for name in ["Putri Lestari", "Bayi Ny Siti", "Slamet Riyadi"] {
        assert!(summary.body.contains(name), "{name} came");
    }
    assert!(summary.body.contains("DPT-HB-Hib 1"));

    // Another posyandu's cadre sees none of it.
    for uri in [
        day.clone(),
        girl_page.clone(),
        format!("{girl_page}/layanan"),
        format!("{day}/tutup"),
    ] {
        let a = other.get(&uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!a.body.contains("Putri"));
    }
    let a = other
        .post(
            &format!("{day}/datang"),
            &[("person", &girl.id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
}
