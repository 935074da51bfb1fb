//! The phone with no signal (issue 9 item 1): an installable web app (manifest, icons, a
//! service worker) and one page per service day that runs the five steps from data kept
//! on the phone (IndexedDB).
//!
//! The server still decides everything: the page is rendered here with every label and
//! form field; "Siapkan hari buka" stores the day's roster and cut-points
//! (`/api/v1/days/{day}/prepare`); each step the cadre saves goes into an outbox as the
//! very request its online endpoint takes, sent in order through `/api/v1/sync/steps` when
//! there is signal, where the same handlers apply every rule. `static/offline.js` only
//! stores, shows and sends; `static/classify.js` compares typed values with the cut-points.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{Method, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use domain::lifecycle::Group;
use serde_json::json;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::pages::{DAY_ROLES, fail, live_labels, long_date, measure_units};
use crate::i18n::{self, Tr};
use crate::pages::Layout;
use crate::routes::{Access, Routes};

pub fn routes(r: Routes) -> Routes {
    r.add(Method::GET, "/sw.js", "/sw.js", Access::Public, get(worker))
        .add(
            Method::GET,
            "/manifest.webmanifest",
            "/manifest.webmanifest",
            Access::Public,
            get(manifest),
        )
        .add(
            Method::GET,
            "/icon/{size}",
            "/icon/192.png",
            Access::Public,
            get(icon),
        )
        .add(
            Method::GET,
            "/luring",
            "/luring",
            Access::LoggedIn,
            get(home),
        )
        .add(
            Method::GET,
            "/hari/{day}/luring",
            "/hari/{day}/luring",
            Access::Roles(DAY_ROLES),
            get(day_page),
        )
}

/// The service worker: the assets of this release to keep (their URLs carry their
/// hashes, so a new release is a new worker), then `static/sw.js`.
async fn worker() -> Response {
    let assets: Vec<String> = ["app.css", "classify.js", "offline.js"]
        .iter()
        .map(|a| crate::assets::url(a))
        .chain([
            "/icon/192.png".to_owned(),
            "/manifest.webmanifest".to_owned(),
        ])
        .collect();
    let body = format!(
        "const ASSETS = {};\n{}",
        json!(assets),
        include_str!("../static/sw.js")
    );
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser checks the worker for an update on every visit.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn manifest(t: Tr) -> Response {
    let body = json!({
        "name": t.t("app-name"),
        "short_name": t.t("app-name"),
        "lang": t.code(),
        "start_url": "/beranda",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1b7f4b",
        "icons": [
            {"src": "/icon/192.png", "sizes": "192x192", "type": "image/png"},
            {"src": "/icon/512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
        ],
    });
    (
        [(header::CONTENT_TYPE, "application/manifest+json")],
        body.to_string(),
    )
        .into_response()
}

async fn icon(t: Tr, Path(size): Path<String>) -> Response {
    let png: &'static [u8] = match size.as_str() {
        "192.png" => include_bytes!("../static/icon-192.png"),
        "512.png" => include_bytes!("../static/icon-512.png"),
        _ => return crate::pages::not_found_page(t).into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        png,
    )
        .into_response()
}

/// The texts `offline.js` shows (its name, the Fluent key), and below those with
/// `{n}`-style placeholders that the script fills in.
const MESSAGES: &[(&str, &str)] = &[
    ("online", "offline-online"),
    ("offline", "offline-offline"),
    ("not-prepared", "offline-not-prepared"),
    ("preparing", "offline-preparing"),
    ("prepare-failed", "offline-prepare-failed"),
    ("none-waiting", "offline-none-waiting"),
    ("sending", "offline-sending"),
    ("send-failed", "offline-send-failed"),
    ("login-again", "offline-login-again"),
    ("saved", "offline-saved"),
    ("held", "offline-held"),
    ("close-confirm", "offline-close-confirm"),
    ("closed", "offline-closed"),
    ("new", "offline-new-person"),
    ("no-live", "offline-no-live"),
    ("op-arrive", "offline-op-arrive"),
    ("op-register", "offline-op-register"),
    ("op-measurements", "offline-op-measurements"),
    ("op-services", "offline-op-services"),
    ("op-counselling", "offline-op-counselling"),
    ("op-close", "offline-op-close"),
    ("op-person_edit", "offline-op-person_edit"),
    ("edit-review", "offline-edit-review"),
    ("stored", "offline-stored"),
    ("ref-dibuat", "offline-ref-dibuat"),
    ("ref-diterima", "offline-ref-diterima"),
    ("ref-ditindaklanjuti", "offline-ref-ditindaklanjuti"),
    ("ref-selesai", "offline-ref-selesai"),
    ("confirm-recheck", "recheck-confirm"),
    ("register-anyway", "similar-confirm"),
    ("retry", "offline-retry"),
    ("capsule-biru", "capsule-biru"),
    ("capsule-merah", "capsule-merah"),
    ("similar", "similar-title"),
    ("group-balita", "group-balita"),
    ("group-ibu_hamil", "group-ibu_hamil"),
    ("group-ibu_nifas", "group-ibu_nifas"),
    ("group-usia_sekolah", "group-usia_sekolah"),
    ("group-remaja", "group-remaja"),
    ("group-dewasa", "group-dewasa"),
    ("group-lansia", "group-lansia"),
];

/// A text with placeholders: its name, the Fluent key, and each argument with the `{name}`
/// the script replaces.
type Placeholder = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

fn messages(t: Tr) -> String {
    let mut m: serde_json::Map<String, serde_json::Value> = MESSAGES
        .iter()
        .map(|(name, key)| ((*name).to_owned(), json!(t.t(key))))
        .collect();
    let placeholders: [Placeholder; 6] = [
        ("household", "offline-household", &[("head", "{head}")]),
        (
            "last-findings",
            "offline-last-findings",
            &[("date", "{date}")],
        ),
        (
            "prepared",
            "offline-prepared",
            &[("n", "{n}"), ("time", "{time}")],
        ),
        ("waiting", "offline-waiting", &[("n", "{n}")]),
        ("sent", "offline-sent", &[("n", "{n}")]),
        (
            "last-weight",
            "offline-last-weight",
            &[("kg", "{kg}"), ("date", "{date}")],
        ),
    ];
    for (name, key, args) in placeholders {
        m.insert(name.to_owned(), json!(i18n::format(t.lang, key, args)));
    }
    serde_json::Value::Object(m).to_string()
}

/// One input of the offline step-2 form, shown for the groups whose form has it (all of
/// them for a person registered offline, whose group the server decides on arrival).
pub struct OfflineField {
    pub name: &'static str,
    pub label: String,
    pub unit: &'static str,
    pub classify: &'static str,
    /// Space-separated group codes.
    pub groups: String,
}

fn fields(t: Tr) -> Vec<OfflineField> {
    let groups = [
        Group::Balita,
        Group::IbuHamil,
        Group::IbuNifas,
        Group::UsiaSekolah,
        Group::Remaja,
        Group::Dewasa,
        Group::Lansia,
    ];
    let mut out: Vec<OfflineField> = Vec::new();
    for g in groups {
        for f in domain::lifecycle::form(g, 0).fields {
            if f == "oedema" {
                continue;
            }
            match out.iter_mut().find(|o| o.name == f) {
                Some(o) => {
                    o.groups.push(' ');
                    o.groups.push_str(g.code());
                }
                None => out.push(OfflineField {
                    name: f,
                    label: t.t(&format!("field-{f}")),
                    unit: measure_units(f),
                    classify: match f {
                        "weight_kg" => "weight",
                        "lenhei_cm" => "lenhei",
                        "head_cm" => "head",
                        "muac_cm" => "muac",
                        _ => "",
                    },
                    groups: g.code().to_owned(),
                }),
            }
        }
    }
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "offline_home.html")]
struct HomePage {
    t: Tr,
    css: String,
    offline_js: String,
    messages: String,
}

/// The list of days prepared on this phone (read from IndexedDB by the script): what a
/// navigation shows when there is no signal and the page asked for was never stored.
async fn home(t: Tr) -> HomePage {
    let l = Layout::new(t);
    HomePage {
        t: l.t,
        css: l.css,
        offline_js: crate::assets::url("offline.js"),
        messages: messages(t),
    }
}

/// A questionnaire block of the offline step-2 form; its inputs are named so that the form
/// reads as the readings the endpoint takes (`tb_symptoms: [..]`, `srq20_yes: [1, ..]`,
/// `puma: {pack_years, ..}`, `barthel`, `skilas: [..]`).
pub struct OfflineQuestionnaire {
    /// `lifecycle::Questionnaire::code`, matched with the person's prepared list.
    pub code: &'static str,
    pub title: String,
    /// Each answer box: input name, value, label.
    pub items: Vec<(String, String, String)>,
    /// Boxes that collect into a list (not PUMA's yes/no fields).
    pub list: bool,
    /// Values that are whole numbers (SRQ-20's item numbers).
    pub items_int: bool,
    /// A typed number: input name, label, whole number or not.
    pub number: Option<(&'static str, String, bool)>,
}

fn questionnaires(t: Tr) -> Vec<OfflineQuestionnaire> {
    use domain::lifecycle::{Form, Group, Questionnaire as Q};
    let all = Form {
        group: Group::Lansia,
        fields: Vec::new(),
        questionnaires: Q::ALL.to_vec(),
    };
    let views = crate::day::pages::questionnaire_views(t, &all, &Default::default());
    Q::ALL
        .iter()
        .zip(views)
        .map(|(q, v)| {
            let (name, list, items_int) = match q {
                Q::TbSymptoms => ("tb_symptoms", true, false),
                Q::Srq20 => ("srq20_yes", true, true),
                Q::Skilas => ("skilas", true, false),
                Q::Puma | Q::Barthel => ("", false, false),
            };
            OfflineQuestionnaire {
                code: q.code(),
                title: v.title,
                items: v
                    .items
                    .into_iter()
                    .map(|i| {
                        if list {
                            (name.to_owned(), i.value, i.label)
                        } else {
                            (format!("puma.{}", i.value), "true".to_owned(), i.label)
                        }
                    })
                    .collect(),
                list,
                items_int,
                number: v.number.map(|(_, label, _)| match q {
                    Q::Barthel => ("barthel", label, true),
                    _ => ("puma.pack_years", label, false),
                }),
            }
        })
        .collect()
}

pub struct VaccineBox {
    pub code: &'static str,
    pub name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "day/offline.html")]
struct DayPage {
    t: Tr,
    css: String,
    classify_js: String,
    offline_js: String,
    csrf: String,
    day_id: String,
    title: String,
    closed: bool,
    fields: Vec<OfflineField>,
    questionnaires: Vec<OfflineQuestionnaire>,
    vaccines: Vec<VaccineBox>,
    live_labels: String,
    messages: String,
}

async fn day_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
) -> Response {
    let actor = user.actor();
    let d = match crate::day::service::load_day(&state.store, &actor, &day).await {
        Ok(d) => d,
        Err(e) => return fail(t, e),
    };
    let unit = match state.store.org_unit(&actor, d.org_unit_id).await {
        Ok(u) => u,
        Err(e) => return fail(t, e.into()),
    };
    let l = Layout::new(t);
    DayPage {
        t: l.t,
        css: l.css,
        classify_js: crate::assets::url("classify.js"),
        offline_js: crate::assets::url("offline.js"),
        csrf: user.csrf().to_owned(),
        day_id: d.id.to_string(),
        title: format!("{} · {}", unit.name, long_date(t, d.date)),
        closed: d.closed.is_some(),
        fields: fields(t),
        questionnaires: questionnaires(t),
        vaccines: domain::immunization::Vaccine::all()
            .map(|v| VaccineBox {
                code: v.code(),
                name: crate::day::record::dose_name(v),
            })
            .collect(),
        live_labels: live_labels(t),
        messages: messages(t),
    }
    .into_response()
}
