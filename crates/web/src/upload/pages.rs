//! The upload pages: the form, the preview (nothing stored) and the result of **Simpan**.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartError};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use store::codes::EntityKind;
use store::{OrgUnit, OrgUnitId, Store};

use super::MAX_BYTES;
use super::stash::{self, Kept, StashError};
use super::view::{self, Counts, Problem};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::{self, Tr};
use crate::pages::Layout;

pub struct UnitOption {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "upload/form.html")]
struct FormPage {
    t: Tr,
    css: String,
    csrf: String,
    units: Vec<UnitOption>,
    limit: String,
    error: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "upload/preview.html")]
struct PreviewPage {
    t: Tr,
    css: String,
    csrf: String,
    name: String,
    kind: String,
    unit: String,
    lines: u64,
    counts: Counts,
    problems: Vec<Problem>,
    notes: Vec<Problem>,
    /// The kept upload to confirm; none when nothing would be added.
    token: Option<String>,
    save_label: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "upload/done.html")]
struct DonePage {
    t: Tr,
    css: String,
    name: String,
    unit: String,
    summary: String,
    counts: Counts,
    problems: Vec<Problem>,
    stopped: Option<String>,
}

/// The units of the user's subtree a file can be for, the user's own first.
async fn unit_options(
    store: &Store,
    user: &CurrentUser,
    chosen: Option<OrgUnitId>,
) -> Result<Vec<UnitOption>, DayError> {
    let own = user.user().org_unit_id;
    let chosen = chosen.unwrap_or(own);
    let units = store.org_units_under(&user.actor(), own).await?;
    let top = units.first().map_or(0, |u| u.level.depth());
    Ok(units
        .iter()
        .map(|u| UnitOption {
            id: u.id.to_string(),
            label: format!(
                "{}{}",
                "— ".repeat(u.level.depth().saturating_sub(top)),
                u.name
            ),
            selected: u.id == chosen,
        })
        .collect())
}

async fn form_page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    chosen: Option<OrgUnitId>,
    error: Option<(StatusCode, String)>,
) -> Response {
    let units = match unit_options(&state.store, user, chosen).await {
        Ok(u) => u,
        Err(e) => return fail(t, e),
    };
    let l = Layout::new(t);
    let status = error.as_ref().map_or(StatusCode::OK, |(s, _)| *s);
    let page = FormPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        units,
        limit: i18n::format(
            t.lang,
            "upload-limit",
            &[("mb", &(MAX_BYTES / (1024 * 1024)).to_string())],
        ),
        error: error.map(|(_, m)| m),
    };
    (status, page).into_response()
}

pub(super) async fn form(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    form_page(&state, t, &user, None, None).await
}

/// The posted form: its token, the unit and the file (cut at [`MAX_BYTES`]).
#[derive(Default)]
struct Posted {
    csrf: String,
    unit: String,
    name: String,
    bytes: Vec<u8>,
    too_big: bool,
}

async fn read_form(mut mp: Multipart) -> Result<Posted, MultipartError> {
    let mut p = Posted::default();
    while let Some(mut field) = mp.next_field().await? {
        match field.name().unwrap_or_default() {
            "csrf" => p.csrf = field.text().await?,
            "unit" => p.unit = field.text().await?,
            "file" => {
                p.name = field.file_name().unwrap_or_default().to_owned();
                while let Some(chunk) = field.chunk().await? {
                    if p.bytes.len() + chunk.len() > MAX_BYTES {
                        p.too_big = true;
                        return Ok(p);
                    }
                    p.bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    Ok(p)
}

/// The file's name as shown: its last path part, without control characters.
fn shown_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    if clean.is_empty() {
        "-".to_owned()
    } else {
        clean
    }
}

/// Reads the file and checks it against the store as the user would import it: the
/// outcome of a check, or the message to show on the form.
async fn check(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    unit: &OrgUnit,
    bytes: &[u8],
    check_only: bool,
) -> Result<Result<(exchange::ParsedFile, exchange::Outcome), String>, DayError> {
    let lang = view::lang(t);
    let parsed = match exchange::register::parse_bytes(bytes, today(), lang) {
        Ok(p) => p,
        Err(e) => return Ok(Err(e.message(lang))),
    };
    let opts = exchange::Options {
        check_only,
        lang,
        reveal_outside: false,
    };
    let outcome = exchange::import::run(&state.store, &user.actor(), unit, &parsed, opts).await?;
    Ok(Ok((parsed, outcome)))
}

pub(super) async fn preview(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    mp: Multipart,
) -> Response {
    let posted = match read_form(mp).await {
        Ok(p) => p,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Posted {
            too_big: true,
            ..Posted::default()
        },
        Err(_) => {
            let msg = t.t("upload-bad-form");
            return form_page(&state, t, &user, None, Some((StatusCode::BAD_REQUEST, msg))).await;
        }
    };
    // Without the token nothing else of the form is looked at.
    if (posted.too_big && posted.csrf.is_empty()) || !user.csrf_ok(&posted.csrf) {
        if posted.too_big {
            let msg = too_big(t);
            return form_page(
                &state,
                t,
                &user,
                None,
                Some((StatusCode::PAYLOAD_TOO_LARGE, msg)),
            )
            .await;
        }
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let chosen = OrgUnitId::parse(posted.unit.trim()).ok();
    let refuse = |status, msg| form_page(&state, t, &user, chosen, Some((status, msg)));
    if posted.too_big {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, too_big(t)).await;
    }
    if posted.bytes.is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, t.t("upload-no-file")).await;
    }
    let unit_id = chosen.unwrap_or(user.user().org_unit_id);
    let run = async {
        let unit = state.store.org_unit(&user.actor(), unit_id).await?;
        let checked = check(&state, t, &user, &unit, &posted.bytes, true).await?;
        let (parsed, outcome) = match checked {
            Ok(c) => c,
            Err(msg) => return Ok(Err(msg)),
        };
        let name = shown_name(&posted.name);
        // What the preview shows of stored persons is a view of them: audited.
        state
            .store
            .record_view(
                &user.actor(),
                EntityKind::OrgUnit,
                unit.id.0,
                &unit.path,
                &serde_json::json!({
                    "upload": name,
                    "check": true,
                    "rows": parsed.lines_read,
                    "new": outcome.tally.rows_new,
                    "existing": outcome.tally.rows_existing,
                    "bad": outcome.rejected().len(),
                }),
            )
            .await?;
        let token = if outcome.tally.rows_new > 0 {
            let kept = Kept {
                unit: unit.id,
                name: name.clone(),
                bytes: posted.bytes.clone(),
            };
            Some(stash::keep(user.user().id, &kept)?)
        } else {
            None
        };
        let counts = Counts::of(&outcome);
        let l = Layout::new(t);
        Ok::<_, Failure>(Ok(PreviewPage {
            t: l.t,
            css: l.css,
            csrf: user.csrf().to_owned(),
            kind: view::kind(t, &parsed, &posted.bytes),
            unit: unit.name.clone(),
            lines: parsed.lines_read,
            save_label: i18n::format(t.lang, "upload-save", &[("n", &counts.new.to_string())]),
            problems: view::problems(t, &parsed, &outcome.errors),
            notes: view::notes(t, &parsed, &outcome),
            counts,
            token: token.map(|x| x.to_string()),
            name,
        }))
    };
    match run.await {
        Ok(Ok(page)) => page.into_response(),
        Ok(Err(msg)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, msg).await,
        Err(e) => failed(t, e),
    }
}

fn too_big(t: Tr) -> String {
    i18n::format(
        t.lang,
        "upload-too-big",
        &[("mb", &(MAX_BYTES / (1024 * 1024)).to_string())],
    )
}

/// Why a page could not be made: the store's answer, or the kept upload's folder.
enum Failure {
    Day(DayError),
    Stash(StashError),
}

impl From<DayError> for Failure {
    fn from(e: DayError) -> Self {
        Failure::Day(e)
    }
}

impl From<store::StoreError> for Failure {
    fn from(e: store::StoreError) -> Self {
        Failure::Day(e.into())
    }
}

impl From<StashError> for Failure {
    fn from(e: StashError) -> Self {
        Failure::Stash(e)
    }
}

fn failed(t: Tr, e: Failure) -> Response {
    match e {
        Failure::Day(e) => fail(t, e),
        Failure::Stash(e) => {
            tracing::warn!(error = %e, "upload could not be kept");
            (StatusCode::SERVICE_UNAVAILABLE, t.t("err-store")).into_response()
        }
    }
}

#[derive(Deserialize)]
pub(super) struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<ConfirmForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let me = user.user().id;
    let kept = match stash::take(me, &f.token) {
        Ok(k) => k,
        Err(StashError::Gone) => {
            let msg = t.t("upload-gone");
            return form_page(&state, t, &user, None, Some((StatusCode::GONE, msg))).await;
        }
        Err(e) => return failed(t, e.into()),
    };
    let run = async {
        let unit = state.store.org_unit(&user.actor(), kept.unit).await?;
        let (parsed, outcome) = match check(&state, t, &user, &unit, &kept.bytes, false).await? {
            Ok(c) => c,
            Err(msg) => return Ok(Err(msg)),
        };
        stash::forget(me, &f.token);
        let tally = &outcome.tally;
        let summary = i18n::format(
            t.lang,
            "upload-done-summary",
            &[
                ("persons", &tally.persons_new.to_string()),
                ("weighings", &tally.weighings_new.to_string()),
                ("findings", &tally.findings.to_string()),
                ("flagged", &tally.flagged.to_string()),
            ],
        );
        let stopped = outcome.stopped.as_ref().map(|s| {
            tracing::warn!(line = s.line, error = %s.error, "upload stopped");
            i18n::format(
                t.lang,
                "upload-stopped",
                &[("line", &s.line.to_string()), ("n", &s.stored.to_string())],
            )
        });
        let l = Layout::new(t);
        Ok::<_, Failure>(Ok(DonePage {
            t: l.t,
            css: l.css,
            name: kept.name.clone(),
            unit: unit.name.clone(),
            summary,
            counts: Counts::of(&outcome),
            problems: view::problems(t, &parsed, &outcome.errors),
            stopped,
        }))
    };
    match run.await {
        Ok(Ok(page)) => page.into_response(),
        Ok(Err(msg)) => {
            form_page(
                &state,
                t,
                &user,
                None,
                Some((StatusCode::UNPROCESSABLE_ENTITY, msg)),
            )
            .await
        }
        Err(e) => failed(t, e),
    }
}
