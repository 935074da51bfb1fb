//! The OpenAPI 3 document of API v1, generated from the handlers' `#[utoipa::path]`
//! annotations and the DTOs' `ToSchema`, served at `/api/v1/openapi.json`.

use axum::Json;
use axum::response::IntoResponse;
use utoipa::OpenApi;

use super::days;
use super::dto::*;
use super::handlers;
use super::referrals;
use super::steps::{self, StepIn, StepOut, StepsIn, StepsOut};
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
        days::days,
        days::open_day,
        days::day_detail,
        handlers::search,
        handlers::arrive,
        handlers::register,
        handlers::assessment,
        handlers::measure,
        handlers::services,
        handlers::counselling,
        days::summary_of,
        days::close_day,
        days::reopen_day,
        sync::pull,
        sync::push,
        sync::prepare,
        steps::steps,
        referrals::list,
        referrals::move_on,
        crate::targets::page::api,
        crate::reports::page::api,
    ),
    components(schemas(
        referrals::InboxOut,
        referrals::InboxPageOut,
        referrals::AdvanceIn,
        PushIn,
        StepsIn,
        StepIn,
        StepsOut,
        StepOut,
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
