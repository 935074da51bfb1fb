//! JSON API v1: everything the service-day pages do, over the same operations
//! (`crate::day::*`), for apps and the offline client to come. OpenAPI 3 at
//! `/api/v1/openapi.json` (utoipa).
//!
//! - Auth: `POST /api/v1/session` gives a token for `Authorization: Bearer`; a browser
//!   session cookie also works, with its CSRF token in `X-CSRF-Token` for writes.
//! - Errors: `{"error": code, "field", "value", "message"}`, the message in the user's
//!   language (the `lang` cookie, as the pages; Accept-Language is not read, see `lang.rs`). Out of scope = 404, like not found.
//! - Every capture carries a client-generated id: sending it again stores nothing twice.
//! - Handlers read the path's objects first and only then the body, so another unit's id
//!   answers 404 whatever the body.

mod days;
pub mod dto;
mod handlers;
pub mod openapi;
mod referrals;
mod steps;
mod sync;

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::day::DayError;
use crate::form::FieldError;
use crate::i18n::Tr;

/// Every API route: the service day's, then sync's and the outbox's.
pub fn routes(r: crate::routes::Routes) -> crate::routes::Routes {
    referrals::routes(steps::routes(sync::routes(handlers::routes(r))))
}

/// An API error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    /// `not_found`, `field`, `recheck`, `stale`, `day_closed`, `csrf`, `login`, `throttled`,
    /// `unavailable`.
    pub error: &'static str,
    pub field: Option<String>,
    pub value: Option<String>,
    pub message: String,
    /// More field errors, when a body had several.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ApiFieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiFieldError {
    pub field: String,
    pub value: String,
    pub message: String,
}

pub fn error(status: StatusCode, code: &'static str, message: String) -> Response {
    (
        status,
        Json(ApiError {
            error: code,
            field: None,
            value: None,
            message,
            errors: Vec::new(),
        }),
    )
        .into_response()
}

pub fn field_errors(t: Tr, errs: &[FieldError]) -> Response {
    let first = errs.first();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ApiError {
            error: "field",
            field: first.map(|e| e.field.clone()),
            value: first.map(|e| e.value.clone()),
            message: first.map(|e| e.message(t)).unwrap_or_default(),
            errors: errs
                .iter()
                .map(|e| ApiFieldError {
                    field: e.field.clone(),
                    value: e.value.clone(),
                    message: e.message(t),
                })
                .collect(),
        }),
    )
        .into_response()
}

/// A failed operation as JSON.
pub fn fail(t: Tr, e: DayError) -> Response {
    match e {
        DayError::NotFound => error(StatusCode::NOT_FOUND, "not_found", t.t("page-not-found")),
        DayError::Field(f) => field_errors(t, &[f]),
        DayError::Recheck(a) => (
            StatusCode::CONFLICT,
            Json(serde_json::json!({
                "error": "recheck",
                "message": t.t("recheck-first"),
                "assessment": dto::AssessmentOut::new(t, &a, false),
            })),
        )
            .into_response(),
        DayError::Stale => error(StatusCode::CONFLICT, "stale", t.t("err-stale")),
        DayError::Closed => error(
            StatusCode::CONFLICT,
            "day_closed",
            t.t("day-closed-refused"),
        ),
        DayError::Store(e) => {
            tracing::warn!(error = %e, "api operation failed");
            error(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                t.t("err-store"),
            )
        }
    }
}
