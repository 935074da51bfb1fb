//! Who saw and changed what, when (issue 10 item 7): the audit of one person
//! (`/orang/{person}/audit`, for the bidan, the Puskesmas and the Dinkes) and of one account
//! (`/admin/pengguna/{user}/audit`, for its admins), newest first, in local time. The store
//! never writes a NIK into the audit, so none can show here.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Method;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;
use store::{AuditEntry, PersonId, UserId};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::fail;
use crate::i18n::Tr;
use crate::pages::Layout;
use crate::routes::{Access, Routes};

/// Most entries on one page.
const LIMIT: u32 = 300;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/orang/{person}/audit",
        "/orang/{person}/audit",
        Access::Roles(crate::review::REVIEWERS),
        get(person_audit),
    )
    .add(
        Method::GET,
        "/admin/pengguna/{user}/audit",
        "/admin/pengguna/{user}/audit",
        Access::Roles(crate::admin::ADMINS),
        get(user_audit),
    )
}

pub struct Line {
    pub at: String,
    pub who: String,
    pub what: String,
    pub detail: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit.html")]
struct AuditPage {
    t: Tr,
    css: String,
    title: String,
    back: String,
    lines: Vec<Line>,
}

/// A change's detail in a line: `field: from → to` for each changed field, else the
/// detail's own words (a view's page or list, a transition's statuses).
fn detail_text(t: Tr, v: &Value) -> String {
    if let Some(changed) = v.get("changed").and_then(Value::as_object) {
        return changed
            .iter()
            .map(|(field, c)| {
                let label = t.t(&format!("review-field-{field}"));
                let label = if label.starts_with("review-field-") {
                    field.clone()
                } else {
                    label
                };
                match (c.get("from"), c.get("to")) {
                    (Some(from), Some(to)) => format!("{label}: {} → {}", plain(from), plain(to)),
                    _ => format!("{label}: {}", plain(c)),
                }
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    match v {
        Value::Object(m) => m
            .iter()
            .map(|(k, x)| format!("{k}: {}", plain(x)))
            .collect::<Vec<_>>()
            .join("; "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn lines(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    entries: Vec<AuditEntry>,
    zone: store::codes::TimeZone,
) -> Vec<Line> {
    let actor = user.actor();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let local = e.at.to_offset(zone.offset());
        out.push(Line {
            at: format!(
                "{} {:02}:{:02} {}",
                local.date(),
                local.hour(),
                local.minute(),
                zone.code()
            ),
            who: crate::review::who(state, &actor, &e.actor).await,
            what: format!(
                "{} · {}",
                t.t(&format!("audit-action-{}", e.action.code())),
                t.t(&format!("audit-entity-{}", e.entity.code()))
            ),
            detail: detail_text(t, &e.detail),
        });
    }
    out
}

async fn person_audit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Response {
    let run = async {
        let id = PersonId::parse(&person).map_err(|_| DayError::NotFound)?;
        let actor = user.actor();
        let p = state.store.person(&actor, id).await?;
        let zone = state.store.org_unit(&actor, p.org_unit_id).await?.time_zone;
        let mut entries = state.store.audit_of(&actor, id.0).await?;
        entries.reverse();
        entries.truncate(LIMIT as usize);
        let l = Layout::new(t);
        Ok::<_, DayError>(
            AuditPage {
                t: l.t,
                css: l.css,
                title: crate::i18n::format(t.lang, "audit-person-title", &[("name", &p.name)]),
                back: format!("/orang/{id}"),
                lines: lines(&state, t, &user, entries, zone).await,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

async fn user_audit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let run = async {
        let id = UserId::parse(&id).map_err(|_| DayError::NotFound)?;
        let actor = user.actor();
        let target = state.store.user(&actor, id).await?;
        let zone = state
            .store
            .org_unit(&actor, user.user().org_unit_id)
            .await?
            .time_zone;
        let entries = state
            .store
            .audit_by_actor(&actor, &store::Actor::for_user(&target).label(), LIMIT)
            .await?;
        let l = Layout::new(t);
        Ok::<_, DayError>(
            AuditPage {
                t: l.t,
                css: l.css,
                title: crate::i18n::format(
                    t.lang,
                    "audit-user-title",
                    &[(
                        "name",
                        &format!("{} ({})", target.display_name, target.username),
                    )],
                ),
                back: "/admin/pengguna".to_owned(),
                lines: lines(&state, t, &user, entries, zone).await,
            }
            .into_response(),
        )
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}
