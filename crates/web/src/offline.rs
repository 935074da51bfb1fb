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

/// The texts `offline.js` shows, `{n}`-style placeholders filled in there.
fn messages(t: Tr) -> String {
    let f = |key: &str, args: &[(&str, &str)]| i18n::format(t.lang, key, args);
    json!({
        "online": t.t("offline-online"),
        "offline": t.t("offline-offline"),
        "prepared": f("offline-prepared", &[("n", "{n}"), ("time", "{time}")]),
        "not-prepared": t.t("offline-not-prepared"),
        "preparing": t.t("offline-preparing"),
        "prepare-failed": t.t("offline-prepare-failed"),
        "waiting": f("offline-waiting", &[("n", "{n}")]),
        "none-waiting": t.t("offline-none-waiting"),
        "sending": t.t("offline-sending"),
        "sent": f("offline-sent", &[("n", "{n}")]),
        "send-failed": t.t("offline-send-failed"),
        "login-again": t.t("offline-login-again"),
        "saved": t.t("offline-saved"),
        "held": t.t("offline-held"),
        "close-confirm": t.t("offline-close-confirm"),
        "closed": t.t("offline-closed"),
        "new": t.t("offline-new-person"),
        "last-weight": f("offline-last-weight", &[("kg", "{kg}"), ("date", "{date}")]),
        "no-live": t.t("offline-no-live"),
        "op-arrive": t.t("offline-op-arrive"),
        "op-register": t.t("offline-op-register"),
        "op-measurements": t.t("offline-op-measurements"),
        "op-services": t.t("offline-op-services"),
        "op-counselling": t.t("offline-op-counselling"),
        "op-close": t.t("offline-op-close"),
        "op-person_edit": t.t("offline-op-person_edit"),
        "edit-review": t.t("offline-edit-review"),
        "stored": t.t("offline-stored"),
        "confirm-recheck": t.t("recheck-confirm"),
        "register-anyway": t.t("similar-confirm"),
        "retry": t.t("offline-retry"),
        "capsule-biru": t.t("capsule-biru"),
        "capsule-merah": t.t("capsule-merah"),
        "similar": t.t("similar-title"),
        "group-balita": t.t("group-balita"),
        "group-ibu_hamil": t.t("group-ibu_hamil"),
        "group-ibu_nifas": t.t("group-ibu_nifas"),
        "group-usia_sekolah": t.t("group-usia_sekolah"),
        "group-remaja": t.t("group-remaja"),
        "group-dewasa": t.t("group-dewasa"),
        "group-lansia": t.t("group-lansia"),
    })
    .to_string()
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
