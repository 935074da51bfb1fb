//! Rule labels follow the reader's language: one stunted girl seen through the step 2, 3
//! and 5 pages and the API's assessment, with the `lang` cookie set to `en` and to `id`.
//! The referral reason, stored for the Puskesmas, stays Bahasa Indonesia either way.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use store::{Actor, NewUser, Role, SessionPolicy, Sex, Store, UserId};
use time::macros::date;
use tower::ServiceExt;

/// A logged-in kader whose requests carry a `lang` cookie.
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
    fn cookie(&self, lang: &str) -> String {
        format!("sid={}; lang={lang}", self.token)
    }
    async fn get(&self, lang: &str, uri: &str) -> Answer {
        let req = Request::get(uri)
            .header(header::COOKIE, self.cookie(lang))
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }
    async fn post(&self, lang: &str, uri: &str, fields: &[(&str, &str)]) -> Answer {
        let mut body = format!("csrf={}&cid={}", self.csrf, uuid::Uuid::now_v7());
        for (k, v) in fields {
            body.push_str(&format!("&{k}={}", urlencode(v)));
        }
        let req = Request::post(uri)
            .header(header::COOKIE, self.cookie(lang))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
    /// The API's step 3 preview, the browser session's cookie carrying the language.
    async fn api_assessment(&self, lang: &str, uri: &str, readings: &Value) -> Value {
        let body = json!({"id": uuid::Uuid::now_v7().to_string(), "readings": readings});
        let req = Request::post(uri)
            .header(header::COOKIE, self.cookie(lang))
            .header("x-csrf-token", &self.csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let a = self.send(req).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        serde_json::from_str(&a.body).unwrap()
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

/// The `label` of finding `code` in an API assessment.
fn api_label(a: &Value, code: &str) -> String {
    a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {a}"))["label"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rule_labels_follow_the_language() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let router = web::router(web::AppState {
        store: store.clone(),
        secure_cookies: false,
    });
    let sys = Actor::system("test");
    let mut tx = store.begin(&sys).await.unwrap();
    let user = tx
        .create_user(&NewUser {
            id: UserId::new(),
            username: "kader.melati".into(),
            display_name: "Kader Melati".into(),
            role: Role::Kader,
            org_unit_id: r.posyandu_a.id,
        })
        .await
        .unwrap()
        .record;
    let hash = store::password::hash_new("kader.melati", "kata-sandi-uji-2026").unwrap();
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
    let kader = Client {
        router,
        token: s.token.expose().to_owned(),
        csrf: s.session.csrf_token.expose().to_owned(),
    };
    // 78 cm at 24 months: stunted (lfa_stunted, rujuk).
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
    let unit = r.posyandu_a.id.to_string();
    let a = kader
        .post(
            "en",
            "/hari",
            &[("unit", &unit), ("date", "2026-12-01"), ("kader", "Bu Sri")],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let day = a.location.clone();
    let a = kader
        .post(
            "en",
            &format!("{day}/datang"),
            &[("person", &girl.id.to_string())],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    let girl_page = a.location.clone();

    // Step 2: the live classification's labels.
    let form = kader.get("en", &girl_page).await;
    assert!(form.body.contains("Stunted · Refer"), "{}", form.body);
    assert!(!form.body.contains("Pendek (stunting)"), "{}", form.body);
    let form = kader.get("id", &girl_page).await;
    assert!(
        form.body.contains("Pendek (stunting) · Rujuk"),
        "{}",
        form.body
    );

    // Step 3: the findings before saving.
    let readings = [
        ("weight_kg", "9,6"),
        ("lenhei_cm", "78,0"),
        ("measure", "h"),
    ];
    let check = kader
        .post("en", &format!("{girl_page}/periksa"), &readings)
        .await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(
        check.body.contains("<span>Stunted</span>"),
        "{}",
        check.body
    );
    assert!(!check.body.contains("Pendek (stunting)"), "{}", check.body);
    let typed = hidden(&check.body, "readings");
    let check = kader
        .post("id", &format!("{girl_page}/periksa"), &readings)
        .await;
    assert!(
        check.body.contains("<span>Pendek (stunting)</span>"),
        "{}",
        check.body
    );
    assert!(!check.body.contains("Stunted"), "{}", check.body);

    // The API's assessment, in the same two languages.
    let api = girl_page.replacen("/hari/", "/api/v1/days/", 1);
    let api = api.replacen("/orang/", "/persons/", 1);
    let body = json!({"weight_kg": "9,6", "lenhei_cm": 78.0, "measure": "h"});
    let en = kader
        .api_assessment("en", &format!("{api}/assessment"), &body)
        .await;
    assert_eq!(api_label(&en, "lfa_stunted"), "Stunted");
    let id = kader
        .api_assessment("id", &format!("{api}/assessment"), &body)
        .await;
    assert_eq!(api_label(&id, "lfa_stunted"), "Pendek (stunting)");

    // Save (in English), then step 5: the list is English, the stored reason Indonesian.
    let saved = kader
        .post(
            "en",
            &format!("{girl_page}/simpan"),
            &[("readings", &typed)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let findings = store.findings_of(&sys, girl.id).await.unwrap();
    let stunted = findings.iter().find(|f| f.code == "lfa_stunted").unwrap();
    assert!(
        stunted
            .detail
            .as_deref()
            .is_some_and(|d| d.starts_with("Pendek (stunting)")),
        "stored in Bahasa Indonesia: {stunted:?}"
    );
    let counsel = kader.get("en", &format!("{girl_page}/konseling")).await;
    assert_eq!(counsel.status, StatusCode::OK, "{}", counsel.body);
    assert!(
        counsel.body.contains("<span>Stunted</span>"),
        "{}",
        counsel.body
    );
    assert!(
        counsel.body.contains(">Pendek (stunting)</textarea>"),
        "the reason to be stored stays Indonesian: {}",
        counsel.body
    );
}
