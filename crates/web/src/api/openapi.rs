//! The OpenAPI 3 document of API v1, generated from the handlers' `#[utoipa::path]`
//! annotations and the DTOs' `ToSchema`, served at `/api/v1/openapi.json`.

use axum::Json;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::dto::*;
use super::handlers;
use super::sync::{self, PushIn, PushOut, PushResult};
use super::{ApiError, ApiFieldError};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Posyandu API",
        version = "1",
        description = "The service day of a posyandu: the same operations as the pages. Auth: POST /api/v1/session, then Authorization: Bearer <token>."
    ),
    paths(
        handlers::login,
        handlers::logout,
        handlers::person,
        handlers::days,
        handlers::open_day,
        handlers::day_detail,
        handlers::search,
        handlers::arrive,
        handlers::register,
        handlers::assessment,
        handlers::measure,
        handlers::services,
        handlers::counselling,
        handlers::summary_of,
        handlers::close_day,
        handlers::reopen_day,
        sync::pull,
        sync::push,
        sync::prepare,
    ),
    components(schemas(
        PushIn,
        PushOut,
        PushResult,
        ApiError,
        ApiFieldError,
        PersonOut,
        DayOut,
        VisitOut,
        ArrivalOut,
        DayDetail,
        FindingOut,
        RecheckOut,
        ImmunizationApi,
        AssessmentOut,
        SimilarOut,
        RegisteredOut,
        ReferralOut,
        DoseCountOut,
        SummaryOut,
        LoginIn,
        SessionOut,
        OpenDayIn,
        ArriveIn,
        RegisterIn,
        MeasureIn,
        ServicesIn,
        CounselIn
    ))
)]
pub struct ApiDoc;

/// The document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn serve() -> impl IntoResponse {
    Json(document())
}
