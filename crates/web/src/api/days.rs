//! The service days of the API: the list, opening one, its detail, its summary, closing
//! and reopening it. Thin over `crate::day::{service, summary}`, as the pages.
#![allow(clippy::result_large_err)]

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use store::{OrgUnitId, ServiceDayId};

use super::dto::{self, *};
use super::fail;
use super::field_errors;
use super::handlers::{body, csrf, done};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::pages::today;
use crate::day::service;
use crate::day::summary;
use crate::form::{self, FieldError};
use crate::i18n::Tr;

#[utoipa::path(get, path = "/api/v1/days", responses((status = 200, body = Vec<DayOut>)))]
pub async fn days(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    match service::recent_days(&state.store, &user.actor(), today()).await {
        Ok(d) => Json(d.iter().map(|(d, _)| DayOut::from(d)).collect::<Vec<_>>()).into_response(),
        Err(e) => fail(t, e),
    }
}

#[utoipa::path(post, path = "/api/v1/days", request_body = OpenDayIn,
    responses((status = 200, body = DayOut), (status = 422, body = super::ApiError)))]
pub async fn open_day(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            let i: OpenDayIn = body(t, &bytes)?;
            let parsed = (|| -> Result<service::OpenDay, FieldError> {
                Ok(service::OpenDay {
                    id: ServiceDayId(dto::uuid("id", &i.id)?),
                    unit: OrgUnitId(dto::uuid("unit_id", &i.unit_id)?),
                    date: form::date("date", &i.date)?
                        .ok_or_else(|| FieldError::new("date", "", "err-required"))?,
                    kader: i.kader.clone(),
                })
            })()
            .map_err(|e| field_errors(t, &[e]))?;
            let d = service::open_day(&state.store, &user.actor(), &parsed)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(DayOut::from(&d)).into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/close",
    responses((status = 200, body = DayOut, description = "the day, closed (closing again changes nothing)"), (status = 404, body = super::ApiError)))]
pub async fn close_day(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path(day): Path<String>,
) -> Response {
    set_closed(&state, t, &user, &headers, &day, true).await
}

#[utoipa::path(post, path = "/api/v1/days/{day}/reopen",
    responses((status = 200, body = DayOut, description = "the day, open again"), (status = 404, body = super::ApiError)))]
pub async fn reopen_day(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path(day): Path<String>,
) -> Response {
    set_closed(&state, t, &user, &headers, &day, false).await
}

async fn set_closed(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    headers: &HeaderMap,
    day: &str,
    closed: bool,
) -> Response {
    done(
        async {
            csrf(t, user, headers)?;
            let d = service::set_day_closed(&state.store, &user.actor(), day, closed)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(DayOut::from(&d)).into_response())
        }
        .await,
    )
}

#[utoipa::path(get, path = "/api/v1/days/{day}", responses((status = 200, body = DayDetail), (status = 404, body = super::ApiError)))]
pub async fn day_detail(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
) -> Response {
    done(
        async {
            let actor = user.actor();
            let d = service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| fail(t, e))?;
            let arrivals = service::arrivals(&state.store, &actor, d.id)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(DayDetail {
                day: (&d).into(),
                arrivals: arrivals.iter().map(Into::into).collect(),
            })
            .into_response())
        }
        .await,
    )
}

#[utoipa::path(get, path = "/api/v1/days/{day}/summary", responses((status = 200, body = SummaryOut), (status = 404, body = super::ApiError)))]
pub async fn summary_of(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
) -> Response {
    done(
        async {
            let actor = user.actor();
            let d = service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| fail(t, e))?;
            let s = summary::summary(&state.store, &actor, &d)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(SummaryOut::from(&s)).into_response())
        }
        .await,
    )
}
