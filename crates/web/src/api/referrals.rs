//! The referral inbox over the API (issue 10 items 5 and 8), thin over
//! `crate::referrals::inbox` as the page is.
#![allow(clippy::result_large_err)]

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use store::ReferralId;
use store::codes::ReferralStatus;
use utoipa::ToSchema;

use super::handlers::{body, csrf, done};
use super::{fail, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::form::FieldError;
use crate::i18n::Tr;
use crate::referrals::FOLLOW_UP;
use crate::referrals::inbox::{Filter, InboxItem, advance, inbox};
use crate::routes::{Access, Routes};

pub fn routes(r: Routes) -> Routes {
    let who = Access::Roles(FOLLOW_UP);
    r.add(
        Method::GET,
        "/api/v1/referrals",
        "/api/v1/referrals?status=dibuat",
        who,
        get(list),
    )
    .add(
        Method::POST,
        "/api/v1/referrals/{referral}/advance",
        "/api/v1/referrals/{referral}/advance",
        who,
        post(move_on),
    )
}

/// A referral of the inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxOut {
    pub id: String,
    pub person_id: String,
    pub person_name: String,
    pub phone: Option<String>,
    /// The posyandu that referred.
    pub unit: String,
    pub referred_on: String,
    pub to_facility: String,
    pub reason: String,
    /// `dibuat`, `diterima`, `ditindaklanjuti`, `selesai`.
    pub status: String,
    pub status_note: Option<String>,
    /// The version to send back when moving it on.
    pub version: i64,
    /// Catalogue codes of what the rules found that day.
    pub findings: Vec<String>,
}

impl From<&InboxItem> for InboxOut {
    fn from(i: &InboxItem) -> Self {
        let r = &i.referral;
        InboxOut {
            id: r.id.to_string(),
            person_id: i.person.id.to_string(),
            person_name: i.person.name.clone(),
            phone: i.person.phone.clone(),
            unit: i.unit.clone(),
            referred_on: r.referred_on.to_string(),
            to_facility: r.to_facility.clone(),
            reason: r.reason.clone(),
            status: r.status.code().to_owned(),
            status_note: r.status_note.clone(),
            version: r.meta.version,
            findings: i.findings.clone(),
        }
    }
}

#[derive(Deserialize)]
pub struct InboxQuery {
    status: Option<String>,
    #[serde(default)]
    offset: usize,
    limit: Option<usize>,
}

/// Most referrals in one answer.
const LIMIT_MAX: usize = 500;

/// One page of the inbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct InboxPageOut {
    /// How many referrals the whole list has.
    pub total: usize,
    pub items: Vec<InboxOut>,
}

#[utoipa::path(get, path = "/api/v1/referrals",
    params(("status" = Option<String>, Query, description = "`dibuat`, `diterima`, `ditindaklanjuti` or `selesai`; none = every referral not yet `selesai`"),
           ("offset" = Option<usize>, Query), ("limit" = Option<usize>, Query, description = "default 100, at most 500")),
    responses((status = 200, body = InboxPageOut, description = "the referrals of the user's area, newest first")))]
pub async fn list(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<InboxQuery>,
) -> Response {
    let filter = Filter::parse(q.status.as_deref());
    let limit = q.limit.unwrap_or(100).min(LIMIT_MAX);
    let unit = user.user().org_unit_id;
    match inbox(&state.store, &user.actor(), unit, filter, q.offset, limit).await {
        Ok(page) => Json(InboxPageOut {
            total: page.total,
            items: page.items.iter().map(InboxOut::from).collect(),
        })
        .into_response(),
        Err(e) => fail(t, e),
    }
}

/// Moving a referral to its next status.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AdvanceIn {
    /// The version read (`InboxOut::version`): a referral moved on meanwhile is `stale`.
    pub version: i64,
    /// The next status.
    pub to: String,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral}/advance", request_body = AdvanceIn,
    responses((status = 200, body = super::dto::ReferralOut), (status = 404, body = super::ApiError),
              (status = 409, body = super::ApiError, description = "`stale`: moved on by someone else since read"),
              (status = 422, body = super::ApiError)))]
pub async fn move_on(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path(referral): Path<String>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            let actor = user.actor();
            let id = ReferralId::parse(&referral).map_err(|_| fail(t, DayError::NotFound))?;
            // Scope before the body: another area's referral is 404 whatever is sent.
            state
                .store
                .referral(&actor, id)
                .await
                .map_err(|e| fail(t, e.into()))?;
            let input: AdvanceIn = body(t, &bytes)?;
            let to = ReferralStatus::from_code(input.to.trim()).ok_or_else(|| {
                field_errors(t, &[FieldError::new("to", &input.to, "err-invalid")])
            })?;
            let r = advance(
                &state.store,
                &actor,
                id,
                input.version,
                to,
                input.note.as_deref(),
            )
            .await
            .map_err(|e| fail(t, e))?;
            Ok(Json(super::dto::ReferralOut::from(&r)).into_response())
        }
        .await,
    )
}
