//! The v1 handlers: parse, call the same operation the page calls, answer JSON.
//!
//! Steps return `Result<_, Response>`: the error is the answer to send, made once and
//! returned at once, so boxing it would buy nothing.
#![allow(clippy::result_large_err)]

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use store::{HouseholdId, PersonId, VisitId};

use super::days::*;
use super::dto::{self, *};
use super::{error, fail, field_errors};
use crate::AppState;
use crate::auth::{ClientIp, CurrentUser, LoginError, authenticate};
use crate::day::pages::DAY_ROLES;
use crate::day::record::{self, Counsel, Services};
use crate::day::service::{self, Registered, Registration};
use crate::form::{self, FieldError};
use crate::i18n::Tr;
use crate::routes::{Access, Routes};

pub fn routes(r: Routes) -> Routes {
    let day = Access::Roles(DAY_ROLES);
    r.add(
        Method::POST,
        "/api/v1/session",
        "/api/v1/session",
        Access::Public,
        post(login),
    )
    .add(
        Method::DELETE,
        "/api/v1/session",
        "/api/v1/session",
        Access::LoggedIn,
        delete(logout),
    )
    .add(
        Method::GET,
        "/api/v1/openapi.json",
        "/api/v1/openapi.json",
        Access::Public,
        get(super::openapi::serve),
    )
    .add(
        Method::GET,
        "/api/v1/persons/{person}",
        "/api/v1/persons/{person}",
        Access::LoggedIn,
        get(person),
    )
    .add(Method::GET, "/api/v1/days", "/api/v1/days", day, get(days))
    .add(
        Method::POST,
        "/api/v1/days",
        "/api/v1/days",
        day,
        post(open_day),
    )
    .add(
        Method::GET,
        "/api/v1/days/{day}",
        "/api/v1/days/{day}",
        day,
        get(day_detail),
    )
    .add(
        Method::GET,
        "/api/v1/days/{day}/search",
        "/api/v1/days/{day}/search?q=a",
        day,
        get(search),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/arrivals",
        "/api/v1/days/{day}/arrivals",
        day,
        post(arrive),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/persons",
        "/api/v1/days/{day}/persons",
        day,
        post(register),
    )
    .add(
        Method::GET,
        "/api/v1/days/{day}/summary",
        "/api/v1/days/{day}/summary",
        day,
        get(summary_of),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/close",
        "/api/v1/days/{day}/close",
        day,
        post(close_day),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/reopen",
        "/api/v1/days/{day}/reopen",
        day,
        post(reopen_day),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/persons/{person}/assessment",
        "/api/v1/days/{day}/persons/{person}/assessment",
        day,
        post(assessment),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/persons/{person}/measurements",
        "/api/v1/days/{day}/persons/{person}/measurements",
        day,
        post(measure),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/persons/{person}/services",
        "/api/v1/days/{day}/persons/{person}/services",
        day,
        post(services),
    )
    .add(
        Method::POST,
        "/api/v1/days/{day}/persons/{person}/counselling",
        "/api/v1/days/{day}/persons/{person}/counselling",
        day,
        post(counselling),
    )
}

/// The body as `T`, or a field error naming where serde stopped.
pub(super) fn body<T: DeserializeOwned>(t: Tr, bytes: &Bytes) -> Result<T, Response> {
    serde_json::from_slice(bytes).map_err(|e| {
        field_errors(
            t,
            &[FieldError::new("$", e.to_string(), "err-invalid-json")],
        )
    })
}

pub(super) fn csrf(t: Tr, user: &CurrentUser, headers: &HeaderMap) -> Result<(), Response> {
    if user.api_write_ok(headers) {
        Ok(())
    } else {
        Err(error(StatusCode::FORBIDDEN, "csrf", t.t("csrf-failed")))
    }
}

/// What every write about one person on one day needs, in this order: the CSRF check, the
/// day and the person (404 before the body is read), the body and its client id.
struct PersonCapture {
    actor: store::Actor,
    day: store::ServiceDay,
    person: store::Person,
    id: uuid::Uuid,
}

impl PersonCapture {
    /// The person's visit of the day, recorded if they had not arrived: its id derives
    /// from the capture's, so a replay finds the same visit. Called once the body is valid.
    async fn visit(&self, state: &AppState, t: Tr) -> Result<store::Visit, Response> {
        let visit_id = VisitId(crate::day::record::derived(self.id, "visit"));
        service::arrive(
            &state.store,
            &self.actor,
            &self.day,
            self.person.id,
            visit_id,
        )
        .await
        .map_err(|e| fail(t, e))
    }
}

#[allow(clippy::too_many_arguments)]
async fn person_capture<T: DeserializeOwned>(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    headers: &HeaderMap,
    day: &str,
    person: &str,
    bytes: &Bytes,
    id_of: impl Fn(&T) -> &String,
) -> Result<(PersonCapture, T), Response> {
    csrf(t, user, headers)?;
    let actor = user.actor();
    let (d, p) = service::load_person(&state.store, &actor, day, person)
        .await
        .map_err(|e| fail(t, e))?;
    let input: T = body(t, bytes)?;
    let id = dto::uuid("id", id_of(&input)).map_err(|e| field_errors(t, &[e]))?;
    Ok((
        PersonCapture {
            actor,
            day: d,
            person: p,
            id,
        },
        input,
    ))
}

/// `Ok` or the response to send: lets handlers use `?` on every step.
pub(super) type Answer = Result<Response, Response>;

pub(super) fn done(a: Answer) -> Response {
    a.unwrap_or_else(|r| r)
}

#[utoipa::path(post, path = "/api/v1/session", request_body = LoginIn,
    responses((status = 200, body = SessionOut), (status = 401, body = super::ApiError), (status = 429, body = super::ApiError)))]
pub async fn login(
    State(state): State<AppState>,
    t: Tr,
    ClientIp(ip): ClientIp,
    bytes: Bytes,
) -> Response {
    done(
        async {
            let input: LoginIn = body(t, &bytes)?;
            match authenticate(&state, &input.username, &input.password, ip).await {
                Ok(s) => Ok(Json(SessionOut {
                    token: s.token.expose().to_owned(),
                    csrf: s.session.csrf_token.expose().to_owned(),
                    expires_at: s.session.expires_at.to_string(),
                    username: s.session.user.username.clone(),
                    role: s.session.user.role.code().to_owned(),
                    unit_id: s.session.user.org_unit_id.to_string(),
                })
                .into_response()),
                Err(LoginError::Throttled) => Err(error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "throttled",
                    t.t("login-throttled"),
                )),
                Err(LoginError::Failed) => Err(error(
                    StatusCode::UNAUTHORIZED,
                    "login",
                    t.t("login-failed"),
                )),
                Err(LoginError::Unavailable) => Err(error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    t.t("err-store"),
                )),
            }
        }
        .await,
    )
}

#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            if let Some(token) = crate::auth::request_token(&headers) {
                let _ = state
                    .store
                    .revoke_session(&token, time::OffsetDateTime::now_utc())
                    .await;
            }
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}

#[utoipa::path(get, path = "/api/v1/persons/{person}", responses((status = 200, body = PersonOut), (status = 404, body = super::ApiError)))]
pub async fn person(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let actor = user.actor();
    let found = async {
        let id = PersonId::parse(&id).map_err(|_| crate::day::DayError::NotFound)?;
        let p = state.store.person(&actor, id).await?;
        // Seeing a record is audited, as on /orang/{person}; no audit, no record.
        state
            .store
            .record_view(
                &actor,
                store::codes::EntityKind::Person,
                p.id.0,
                &p.org_path,
                &serde_json::json!({ "api": "persons" }),
            )
            .await?;
        Ok::<_, crate::day::DayError>(p)
    };
    match found.await {
        Ok(p) => Json(PersonOut::from(&p)).into_response(),
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[utoipa::path(get, path = "/api/v1/days/{day}/search", params(("q" = String, Query, description = "name, NIK prefix, household head or parent's name")),
    responses((status = 200, body = Vec<PersonOut>), (status = 404, body = super::ApiError)))]
pub async fn search(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(day): Path<String>,
    Query(q): Query<SearchQuery>,
) -> Response {
    done(
        async {
            let actor = user.actor();
            let d = service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| fail(t, e))?;
            let found = service::find(&state.store, &actor, &d, &q.q)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(found.iter().map(PersonOut::from).collect::<Vec<_>>()).into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/arrivals", request_body = ArriveIn,
    responses((status = 200, body = VisitOut), (status = 404, body = super::ApiError)))]
pub async fn arrive(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path(day): Path<String>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            let actor = user.actor();
            let d = service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| fail(t, e))?;
            let i: ArriveIn = body(t, &bytes)?;
            let visit =
                VisitId(dto::uuid("visit_id", &i.visit_id).map_err(|e| field_errors(t, &[e]))?);
            let (_, p) = service::load_person(&state.store, &actor, &day, &i.person_id)
                .await
                .map_err(|e| fail(t, e))?;
            let v = service::arrive(&state.store, &actor, &d, p.id, visit)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(VisitOut::from(&v)).into_response())
        }
        .await,
    )
}

fn registration(i: &RegisterIn) -> Result<Registration, Vec<FieldError>> {
    let mut errs = Vec::new();
    let mut id = |field: &str, text: &str| dto::uuid(field, text).map_err(|e| errs.push(e)).ok();
    let person_id = id("person_id", &i.person_id);
    let visit_id = id("visit_id", &i.visit_id);
    let opt_id = |field: &str, text: &Option<String>, errs: &mut Vec<FieldError>| {
        text.as_deref()
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| dto::uuid(field, t).map_err(|e| errs.push(e)).ok())
    };
    let household_id = opt_id("household_id", &i.household_id, &mut errs).map(HouseholdId);
    let mother_id = opt_id("mother_id", &i.mother_id, &mut errs).map(PersonId);
    let sex = dto::sex(&i.sex).map_err(|e| errs.push(e)).ok();
    let birth = match form::date("birth_date", &i.birth_date) {
        Ok(Some(d)) => Some(d),
        Ok(None) => {
            errs.push(FieldError::new("birth_date", "", "err-required"));
            None
        }
        Err(e) => {
            errs.push(e);
            None
        }
    };
    let (Some(person_id), Some(visit_id), Some(sex), Some(birth_date)) =
        (person_id, visit_id, sex, birth)
    else {
        return Err(errs);
    };
    if !errs.is_empty() {
        return Err(errs);
    }
    Ok(Registration {
        person_id: PersonId(person_id),
        visit_id: VisitId(visit_id),
        name: i.name.clone(),
        sex,
        birth_date,
        nik: i.nik.clone(),
        nik_is_mother: i.nik_is_mother,
        parent_name: i.parent_name.clone(),
        phone: i.phone.clone(),
        household_id,
        new_household_head: i.household_head.clone(),
        new_household_id: Some(HouseholdId(uuid::Uuid::new_v5(&person_id, b"household"))),
        address: i.address.clone(),
        mother_id,
        not_a_duplicate: i.not_a_duplicate,
    })
}

#[utoipa::path(post, path = "/api/v1/days/{day}/persons", request_body = RegisterIn,
    responses((status = 200, body = RegisteredOut), (status = 422, body = super::ApiError)))]
pub async fn register(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path(day): Path<String>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            let actor = user.actor();
            let d = service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| fail(t, e))?;
            let i: RegisterIn = body(t, &bytes)?;
            let r = registration(&i).map_err(|e| field_errors(t, &e))?;
            let out = match service::register(&state.store, &actor, &d, &r)
                .await
                .map_err(|e| fail(t, e))?
            {
                Registered::Stored {
                    person,
                    visit,
                    nik_warnings,
                } => RegisteredOut {
                    stored: true,
                    person: Some((&person).into()),
                    visit: Some((&visit).into()),
                    nik_warnings: nik_warnings.iter().map(|w| w.message()).collect(),
                    similar: Vec::new(),
                },
                Registered::PossibleDuplicates(s) => RegisteredOut {
                    stored: false,
                    person: None,
                    visit: None,
                    nik_warnings: Vec::new(),
                    similar: s.iter().map(Into::into).collect(),
                },
            };
            Ok(Json(out).into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/persons/{person}/assessment", request_body = MeasureIn,
    responses((status = 200, body = AssessmentOut), (status = 404, body = super::ApiError), (status = 422, body = super::ApiError)))]
pub async fn assessment(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path((day, person)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            let actor = user.actor();
            let (d, p) = service::load_person(&state.store, &actor, &day, &person)
                .await
                .map_err(|e| fail(t, e))?;
            let i: MeasureIn = body(t, &bytes)?;
            let r = dto::readings(&i.readings).map_err(|e| field_errors(t, &e))?;
            let a = record::preview(&state.store, &actor, &d, &p, &r)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(AssessmentOut::new(t, &a, false)).into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/persons/{person}/measurements", request_body = MeasureIn,
    responses((status = 200, body = AssessmentOut), (status = 404, body = super::ApiError), (status = 409, description = "values to measure again; send `confirmed: true`"), (status = 422, body = super::ApiError)))]
pub async fn measure(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path((day, person)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            let (cap, i): (PersonCapture, MeasureIn) = person_capture(
                &state,
                t,
                &user,
                &headers,
                &day,
                &person,
                &bytes,
                |i: &MeasureIn| &i.id,
            )
            .await?;
            let r = dto::readings(&i.readings).map_err(|e| field_errors(t, &e))?;
            let visit = cap.visit(&state, t).await?;
            let (actor, d, p, id) = (cap.actor, cap.day, cap.person, cap.id);
            let a = record::save_readings(&state.store, &actor, &d, &visit, &p, &r, id)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(AssessmentOut::new(t, &a, true)).into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/persons/{person}/services", request_body = ServicesIn,
    responses((status = 204), (status = 404, body = super::ApiError), (status = 422, body = super::ApiError)))]
pub async fn services(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path((day, person)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            let (cap, i): (PersonCapture, ServicesIn) = person_capture(
                &state,
                t,
                &user,
                &headers,
                &day,
                &person,
                &bytes,
                |i: &ServicesIn| &i.id,
            )
            .await?;
            let visit = cap.visit(&state, t).await?;
            let (actor, d, p, id) = (cap.actor, cap.day, cap.person, cap.id);
            let s = Services {
                vaccines: i.vaccines,
                vitamin_a: i.vitamin_a,
                deworming: i.deworming,
                iron_tablets: i.iron_tablets,
                pmt: i.pmt,
                kia_book: i.kia_book,
                batch: i.batch,
            };
            record::give(&state.store, &actor, &d, &visit, &p, &s, id)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        .await,
    )
}

#[utoipa::path(post, path = "/api/v1/days/{day}/persons/{person}/counselling", request_body = CounselIn,
    responses((status = 200, body = Option<ReferralOut>), (status = 404, body = super::ApiError), (status = 422, body = super::ApiError)))]
pub async fn counselling(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    Path((day, person)): Path<(String, String)>,
    bytes: Bytes,
) -> Response {
    done(
        async {
            let (cap, i): (PersonCapture, CounselIn) = person_capture(
                &state,
                t,
                &user,
                &headers,
                &day,
                &person,
                &bytes,
                |i: &CounselIn| &i.id,
            )
            .await?;
            let visit = cap.visit(&state, t).await?;
            let (actor, d, p, id) = (cap.actor, cap.day, cap.person, cap.id);
            // The reason defaults to today's stored `rujuk` findings, as on the page.
            let found = state
                .store
                .findings_of(&actor, p.id)
                .await
                .map_err(|e| fail(t, e.into()))?;
            let prefilled = crate::day::record::rujuk_labels(
                found
                    .iter()
                    .filter(|f| f.found_on == d.date)
                    .map(|f| f.code.as_str()),
            );
            let c = Counsel {
                note: i.note,
                refer: i.refer,
                reason: i.reason,
            };
            let r = record::counsel(&state.store, &actor, &d, &visit, &p, &c, &prefilled, id)
                .await
                .map_err(|e| fail(t, e))?;
            Ok(Json(r.as_ref().map(ReferralOut::from)).into_response())
        }
        .await,
    )
}
