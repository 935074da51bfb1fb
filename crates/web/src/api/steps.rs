//! `POST /api/v1/sync/steps`: a phone's outbox of service-day steps, sent in one request.
//!
//! The offline page (`crate::offline`) queues each step exactly as it would have sent it
//! online: the same body, with the same client id, for the same endpoint. This answers them
//! in order, each by the same handler as its own route (one implementation of each step),
//! so the server applies every rule on arrival, and a step sent again stores nothing twice.
//! One request for the lot because a phone on 3G pays a round trip per request: 200 steps
//! one by one would cost 200 round trips (bench/drain.sh).
//!
//! A step that fails holds the later steps of the same person in this batch (answered
//! `424 held`, nothing done): a measurement must not be stored before the registration it
//! depends on, and the cadre decides first (confirm a re-check, register despite a
//! possible duplicate). A close is held while any step of its day failed. The phone keeps
//! every step it was not told was stored.
// The error of a step is the answer to send, made once and returned at once (as in handlers).
#![allow(clippy::result_large_err)]

use std::collections::HashSet;

use axum::Json;
use axum::body::{Bytes, to_bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::handlers::{self, body, csrf};
use super::{days, error};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::pages::DAY_ROLES;
use crate::i18n::Tr;
use crate::routes::{Access, Routes};

/// Most steps in one request (an outbox of a long day, with room to spare).
pub const STEPS_MAX: usize = 5000;
/// Largest answer body read back from one step (an assessment is a few KB).
const ANSWER_MAX: usize = 1 << 20;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::POST,
        "/api/v1/sync/steps",
        "/api/v1/sync/steps",
        Access::Roles(DAY_ROLES),
        post(steps),
    )
}

/// The steps, oldest first.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepsIn {
    pub steps: Vec<StepIn>,
}

/// One queued step: what it is, on which day and person, and the body its own endpoint
/// takes (`ArriveIn`, `RegisterIn`, `MeasureIn`, `ServicesIn`, `CounselIn`, a
/// `PersonEdit`; none to close).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepIn {
    /// The outbox item's own id, echoed in the answer.
    pub id: String,
    /// `arrive`, `register`, `measurements`, `services`, `counselling`, `close`, or
    /// `person_edit` (body: `{base_version, base, edited}`, merged as in the push).
    pub op: String,
    pub day: String,
    /// For `measurements`, `services` and `counselling`: the person's id.
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    #[schema(value_type = Object)]
    pub body: Value,
}

/// Each step's answer, in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct StepsOut {
    pub results: Vec<StepOut>,
}

/// What the step's own endpoint answered: its status and JSON body (null when empty).
#[derive(Debug, Serialize, ToSchema)]
pub struct StepOut {
    pub id: String,
    pub status: u16,
    #[schema(value_type = Object)]
    pub body: Value,
}

#[utoipa::path(post, path = "/api/v1/sync/steps", request_body = StepsIn,
    responses((status = 200, body = StepsOut, description = "one answer per step, in order: the status and body its own endpoint gives; 424 `held` = not tried because an earlier step of the same person failed"),
              (status = 403, body = super::ApiError), (status = 422, body = super::ApiError)))]
pub async fn steps(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    if let Err(r) = csrf(t, &user, &headers) {
        return r;
    }
    let input: StepsIn = match body(t, &bytes) {
        Ok(i) => i,
        Err(r) => return r,
    };
    if input.steps.len() > STEPS_MAX {
        let n = input.steps.len().to_string();
        return super::field_errors(
            t,
            &[crate::form::FieldError::new("steps", n, "err-too-many")],
        );
    }
    let mut failed_persons: HashSet<String> = HashSet::new();
    let mut failed_days: HashSet<String> = HashSet::new();
    let mut results = Vec::with_capacity(input.steps.len());
    for step in input.steps {
        let person = step.person.clone().or_else(|| registered_person(&step));
        let held = person.as_ref().is_some_and(|p| failed_persons.contains(p))
            || (step.op == "close" && failed_days.contains(&step.day));
        let (status, answer) = if held {
            let r = error(StatusCode::FAILED_DEPENDENCY, "held", t.t("step-held"));
            answer_of(r).await
        } else {
            let r = run(&state, t, &user, &headers, &step).await;
            answer_of(r).await
        };
        if !succeeded(&step, status, &answer) {
            if let Some(p) = person {
                failed_persons.insert(p);
            }
            failed_days.insert(step.day.clone());
        }
        results.push(StepOut {
            id: step.id,
            status,
            body: answer,
        });
    }
    Json(StepsOut { results }).into_response()
}

/// A registration's person, so the steps queued after it for that person are held when it
/// is not stored.
fn registered_person(step: &StepIn) -> Option<String> {
    (step.op == "register")
        .then(|| step.body.get("person_id")?.as_str().map(str::to_owned))
        .flatten()
}

/// Stored: a 2xx, and for a registration `stored: true` (not "possible duplicates").
fn succeeded(step: &StepIn, status: u16, answer: &Value) -> bool {
    (200..300).contains(&status)
        && (step.op != "register" || answer.get("stored") == Some(&Value::Bool(true)))
}

/// The step through its own endpoint's handler.
async fn run(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    headers: &HeaderMap,
    step: &StepIn,
) -> Response {
    let st = State(state.clone());
    let (u, h) = (user.clone(), headers.clone());
    let day = step.day.clone();
    let b = Bytes::from(serde_json::to_vec(&step.body).unwrap_or_default());
    let person = || {
        step.person.clone().ok_or_else(|| {
            super::field_errors(
                t,
                &[crate::form::FieldError::new("person", "", "err-required")],
            )
        })
    };
    match step.op.as_str() {
        "arrive" => handlers::arrive(st, t, u, h, Path(day), b).await,
        "register" => handlers::register(st, t, u, h, Path(day), b).await,
        "close" => days::close_day(st, t, u, h, Path(day)).await,
        "measurements" => match person() {
            Ok(p) => handlers::measure(st, t, u, h, Path((day, p)), b).await,
            Err(r) => r,
        },
        "services" => match person() {
            Ok(p) => handlers::services(st, t, u, h, Path((day, p)), b).await,
            Err(r) => r,
        },
        "counselling" => match person() {
            Ok(p) => handlers::counselling(st, t, u, h, Path((day, p)), b).await,
            Err(r) => r,
        },
        "person_edit" => person_edit(state, t, user, &step.body).await,
        other => super::field_errors(
            t,
            &[crate::form::FieldError::new("op", other, "err-invalid")],
        ),
    }
}

/// A person edited on the phone (`store::PersonEdit`): merged field by field, answering
/// the fields taken and the reviews opened, as the push does.
async fn person_edit(state: &AppState, t: Tr, user: &CurrentUser, body: &Value) -> Response {
    let edit: store::PersonEdit = match serde_json::from_value(body.clone()) {
        Ok(e) => e,
        Err(e) => {
            let f = crate::form::FieldError::new("body", e.to_string(), "err-invalid-json");
            return super::field_errors(t, &[f]);
        }
    };
    match state.store.merge_edit(&user.actor(), &edit).await {
        Ok(m) => Json(serde_json::json!({
            "applied": m.applied,
            "reviews": m.reviews.iter().map(ToString::to_string).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => super::fail(t, e.into()),
    }
}

/// A handler's answer as status and JSON (null when it has no body).
async fn answer_of(r: Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let bytes = to_bytes(r.into_body(), ANSWER_MAX)
        .await
        .unwrap_or_default();
    let v = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, v)
}
