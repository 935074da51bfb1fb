//! `/api/v1/sync`: the device side of offline work. Pull: the rows of the user's subtree
//! changed after a sequence number, paged (`Store::pull_changes`). Push: a batch of items in
//! the store's own JSON form, each answered on its own: sending a batch again, whole or
//! after a cut, stores each item once. An item that does not parse is refused by itself,
//! naming its index. The items, stored in this order whatever the order sent:
//!
//! 1. registry creates with the device's ids (`Store::push_creates`): `{"NewHousehold":
//!    …}`, then `{"NewPerson": {…, "parent_name"?}}`, then `{"NewRelationship": …}` and
//!    `{"NewPregnancy": …}`, each through the store's create (validation, scope, audit); a
//!    unit outside the user's subtree is refused like any out-of-scope write. The same id
//!    again with the same content answers `duplicate`; with other content a person's or
//!    household's differing fields go to review (`merged`, `reviews`), another kind is
//!    refused naming the field (`store::CONFLICTING`);
//! 2. captures (`Store::push_captures`), so a person registered on the device and its
//!    weighing arrive in one push;
//! 3. `{"NewReferral": …}` (a referral may point at a finding of the same push);
//! 4. edits from a version, merged field by field (`Store::merge_edit`): a person
//!    (`{"PersonEdit": {base_version, base, edited}}`, the parent's name included when sent),
//!    a household (`HouseholdEdit`), a referral's status and note (`ReferralEdit`, steps
//!    forward only: a step the server already passed is no conflict), a pregnancy's end
//!    (`PregnancyEdit`): answered `merged`, with the fields taken and the review ids of the
//!    fields changed differently on both sides; a deletion (`{"PersonDelete": {id,
//!    base_version, reason}}`, `HouseholdDelete`, `RelationshipDelete`, `PregnancyDelete`,
//!    `ReferralDelete`) of a record changed on the server since goes to review
//!    (`Store::merge_delete`).
//!
//! An item may carry `"captured_by"` beside its kind: who made it on the device (a laptop's
//! user). A capture stores it as `"<that> via <this user>"`, a create names it so in its
//! audit detail; the audit's actor stays the pushing user (`store::device_author`). A
//! refusal that sending the same item again cannot change is marked `"final": true`
//! (`store::refusal_is_final`), so a laptop parks it instead of sending it every run.

use std::collections::HashMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use store::codes::EntityKind;
use store::{
    Capture, Create, CreateOutcome, Deletion, HouseholdEdit, PersonFieldsEdit, PregnancyEdit,
    PushOutcome, ReferralEdit,
};
use utoipa::ToSchema;

use super::handlers::{body, csrf, done};
use super::{error, field_errors};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::DAY_ROLES;
use crate::form::FieldError;
use crate::i18n::Tr;
use crate::routes::{Access, Routes};

/// Rows per pull page when the device does not say.
const PULL_DEFAULT: u32 = 500;
/// Most rows per pull page, and most captures per push: one answer stays a few MB.
const PAGE_MAX: u32 = 5000;

pub fn routes(r: Routes) -> Routes {
    r.add(
        Method::GET,
        "/api/v1/sync/pull",
        "/api/v1/sync/pull?after=0",
        Access::LoggedIn,
        get(pull),
    )
    .add(
        Method::GET,
        "/api/v1/days/{day}/prepare",
        "/api/v1/days/{day}/prepare",
        Access::Roles(DAY_ROLES),
        get(prepare),
    )
    .add(
        Method::POST,
        "/api/v1/sync/push",
        "/api/v1/sync/push",
        Access::Roles(DAY_ROLES),
        post(push),
    )
}

#[derive(Debug, Deserialize, Default)]
pub struct PullQuery {
    after: Option<String>,
    limit: Option<String>,
}

/// A number of the query, or the field error naming it.
fn number<T: std::str::FromStr>(
    field: &str,
    v: Option<&String>,
    default: T,
) -> Result<T, FieldError> {
    match v {
        None => Ok(default),
        Some(s) => s
            .trim()
            .parse()
            .map_err(|_| FieldError::new(field, s, "err-invalid")),
    }
}

#[utoipa::path(get, path = "/api/v1/sync/pull",
    params(("after" = Option<i64>, Query, description = "the last sequence number the device holds (0 at first)"),
           ("limit" = Option<u32>, Query, description = "rows per page, at most 5000 (default 500)")),
    responses((status = 200, description = "`{changes: [{seq, record: {Kind: row}}], next_after, more}`: pull again with `after = next_after` while `more`"),
              (status = 422, body = super::ApiError)))]
pub async fn pull(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<PullQuery>,
) -> Response {
    done(
        async {
            let (after, limit) = (|| {
                Ok::<_, FieldError>((
                    number("after", q.after.as_ref(), 0i64)?,
                    number("limit", q.limit.as_ref(), PULL_DEFAULT)?,
                ))
            })()
            .map_err(|e| field_errors(t, &[e]))?;
            let page = state
                .store
                .pull_changes(&user.actor(), after, limit.clamp(1, PAGE_MAX))
                .await
                .map_err(|e| super::fail(t, e.into()))?;
            Ok(Json(page).into_response())
        }
        .await,
    )
}

/// "Siapkan hari buka" (`crate::day::prepare`): the day, the shared weight tables and the
/// persons, balita with their cut-points for the day (`PosyanduClassify.join(cutpoints,
/// tables)` gives the page's shape).
#[derive(Debug, Serialize)]
pub struct PreparedOut {
    pub day: super::dto::DayOut,
    /// `tables`, `persons` and `newcomers` (`crate::day::prepare::Prepared`).
    #[serde(flatten)]
    pub prepared: crate::day::prepare::Prepared,
}

#[utoipa::path(get, path = "/api/v1/days/{day}/prepare",
    responses((status = 200, description = "`{day, tables: {key: packed table}, persons: [{id, name, sex, birth_date, parent_name, group, last_weight, cutpoints}]}`: what a phone needs to run the day offline; a balita's cut-points name tables by key (classify.js `join`)"),
              (status = 404, body = super::ApiError)))]
pub async fn prepare(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    axum::extract::Path(day): axum::extract::Path<String>,
) -> Response {
    done(
        async {
            let actor = user.actor();
            let d = crate::day::service::load_day(&state.store, &actor, &day)
                .await
                .map_err(|e| super::fail(t, e))?;
            let prepared = crate::day::prepare::prepare(&state.store, &actor, &d)
                .await
                .map_err(|e| super::fail(t, e))?;
            Ok(Json(PreparedOut {
                day: (&d).into(),
                prepared,
            })
            .into_response())
        }
        .await,
    )
}

/// A push: creates, captures and edits as the store writes them (`{"NewPerson": {…}}`,
/// `{"Measurement": {…}}`, `{"PersonEdit": {…}}`, …); see the module doc.
#[derive(Debug, Deserialize, ToSchema)]
pub struct PushIn {
    #[schema(value_type = Vec<Object>)]
    pub captures: Vec<Value>,
}

/// What became of one pushed item, in the order sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct PushResult {
    pub index: usize,
    /// `stored`, `duplicate` (stored before: nothing to do), `merged` (a person edit:
    /// `applied`, `reviews`; a create sent again with other content: `reviews`) or `refused`
    /// (nothing stored; `error`, `field`, `value`, `message` say why).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `merged` person edits: the fields taken from the device.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<String>,
    /// `merged` person edits: the review ids of fields left for a bidan or admin to choose.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<String>,
    /// A `merged` visit: the person's visit of that day already there (another device's);
    /// this push's captures on it were stored on that one, later pushes must use this id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
    /// A `refused` item that cannot be stored by sending it again unchanged (its own
    /// values, a contradiction with what is stored, a unit outside the user's subtree:
    /// `store::refusal_is_final`); absent when sending it later may succeed.
    #[serde(rename = "final", skip_serializing_if = "std::ops::Not::not")]
    pub is_final: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PushOut {
    pub results: Vec<PushResult>,
}

impl PushResult {
    fn ok(index: usize, status: &'static str) -> Self {
        PushResult {
            index,
            status,
            error: None,
            field: None,
            value: None,
            message: None,
            applied: Vec::new(),
            reviews: Vec::new(),
            same_as: None,
            is_final: false,
        }
    }

    /// A create refused: a conflict with the stored row in the store's own words, naming
    /// the field; anything else as [`PushResult::refused`].
    fn create_refused(t: Tr, index: usize, e: store::StoreError) -> Self {
        let is_final = store::refusal_is_final(&e);
        let r = match e {
            store::StoreError::Invalid {
                field,
                value,
                reason,
            } if reason == store::CONFLICTING => PushResult {
                error: Some("conflict"),
                field: Some(field.to_owned()),
                value: Some(value),
                message: Some(reason),
                ..PushResult::ok(index, "refused")
            },
            e => PushResult::refused(t, index, e.into()),
        };
        PushResult { is_final, ..r }
    }

    /// An item refused by the store, marked final as `store::refusal_is_final` says.
    fn store_refused(t: Tr, index: usize, e: store::StoreError) -> Self {
        let is_final = store::refusal_is_final(&e);
        PushResult {
            is_final,
            ..PushResult::refused(t, index, e.into())
        }
    }

    fn refused(t: Tr, index: usize, e: DayError) -> Self {
        let (error, field, value, message) = match e {
            DayError::NotFound => ("not_found", None, None, t.t("page-not-found")),
            DayError::Field(f) => (
                "field",
                Some(f.field.clone()),
                Some(f.value.clone()),
                f.message(t),
            ),
            // A store rule the item broke (a version, a state): its own words.
            other => ("refused", None, None, other.to_string()),
        };
        PushResult {
            index,
            status: "refused",
            error: Some(error),
            field,
            value,
            message: Some(message),
            applied: Vec::new(),
            reviews: Vec::new(),
            same_as: None,
            is_final: false,
        }
    }
}

/// A registry edit in a push: an edit from a version, or a deletion from a version.
/// A phone's `PersonEdit` has no `parent_name`: it reads as leaving it alone.
#[derive(Debug, Deserialize)]
enum RegistryEdit {
    PersonEdit(PersonFieldsEdit),
    HouseholdEdit(HouseholdEdit),
    PregnancyEdit(PregnancyEdit),
    ReferralEdit(ReferralEdit),
    PersonDelete(Deletion),
    HouseholdDelete(Deletion),
    RelationshipDelete(Deletion),
    PregnancyDelete(Deletion),
    ReferralDelete(Deletion),
}

impl RegistryEdit {
    const NAMES: [&str; 9] = [
        "PersonEdit",
        "HouseholdEdit",
        "PregnancyEdit",
        "ReferralEdit",
        "PersonDelete",
        "HouseholdDelete",
        "RelationshipDelete",
        "PregnancyDelete",
        "ReferralDelete",
    ];
}

/// Merges one edit: the fields applied and the reviews opened.
async fn merge(
    state: &AppState,
    user: &CurrentUser,
    e: &RegistryEdit,
) -> store::Result<(Vec<String>, Vec<uuid::Uuid>)> {
    let actor = user.actor();
    let store = &state.store;
    let (kind, d) = match e {
        RegistryEdit::PersonEdit(e) => return merged(store.merge_edit(&actor, e).await?),
        RegistryEdit::HouseholdEdit(e) => return merged(store.merge_edit(&actor, e).await?),
        RegistryEdit::PregnancyEdit(e) => return merged(store.merge_edit(&actor, e).await?),
        RegistryEdit::ReferralEdit(e) => return merged(store.merge_edit(&actor, e).await?),
        RegistryEdit::PersonDelete(d) => (EntityKind::Person, d),
        RegistryEdit::HouseholdDelete(d) => (EntityKind::Household, d),
        RegistryEdit::RelationshipDelete(d) => (EntityKind::Relationship, d),
        RegistryEdit::PregnancyDelete(d) => (EntityKind::Pregnancy, d),
        RegistryEdit::ReferralDelete(d) => (EntityKind::Referral, d),
    };
    merged(store.merge_delete(&actor, kind, d).await?)
}

fn merged<T>(m: store::Merged<T>) -> store::Result<(Vec<String>, Vec<uuid::Uuid>)> {
    Ok((m.applied, m.reviews))
}

#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushIn,
    description = "Items in the store's JSON form, stored in this order whatever the order sent: \
registry creates with the device's ids (`NewHousehold`, `NewPerson` with an optional `parent_name`, \
`NewRelationship`, `NewPregnancy`; scope-checked and validated like any create), captures \
(`ServiceDay`, `Visit`, `Measurement`, `Dose`, `Screening`, `Finding`), `NewReferral`, then edits \
(`PersonEdit` with an optional `parent_name`, `HouseholdEdit`, `ReferralEdit`, `PregnancyEdit`: \
merged field by field) and deletions (`PersonDelete`, `HouseholdDelete`, `RelationshipDelete`, \
`PregnancyDelete`, `ReferralDelete` `{id, base_version, reason}`: to review if changed here since). \
An item may carry `captured_by` beside its kind (who made it on the device: stored as \
'<captured_by> via <user>'). A refusal that cannot change by sending again is marked `final`. A create \
sent again with the same content answers `duplicate`; with other content a person's or \
household's differing fields go to review (`merged`), another kind is refused naming the \
field (`error: conflict`, 'bertentangan dengan data tersimpan'). Each item is answered by index.",
    responses((status = 200, body = PushOut), (status = 422, body = super::ApiError)))]
pub async fn push(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    done(
        async {
            csrf(t, &user, &headers)?;
            let i: PushIn = body(t, &bytes)?;
            if i.captures.len() > PAGE_MAX as usize {
                let n = i.captures.len().to_string();
                return Err(field_errors(
                    t,
                    &[FieldError::new("captures", &n, "err-too-many")],
                ));
            }
            let mut results: Vec<Option<PushResult>> = Vec::with_capacity(i.captures.len());
            let mut parsed: Vec<(usize, Capture)> = Vec::new();
            let mut edits: Vec<(usize, RegistryEdit)> = Vec::new();
            let mut creates: Vec<(usize, Create)> = Vec::new();
            let mut by: HashMap<usize, String> = HashMap::new();
            for (index, mut item) in i.captures.into_iter().enumerate() {
                // Who made it on the device (a laptop's user), beside the item.
                let author = item.as_object_mut().and_then(|m| m.remove("captured_by"));
                let read = match author {
                    Some(Value::String(a)) => {
                        by.insert(index, a);
                        Ok(())
                    }
                    Some(Value::Null) | None => Ok(()),
                    Some(other) => Err(FieldError::new(
                        format!("captures[{index}].captured_by"),
                        other.to_string(),
                        "err-invalid",
                    )),
                };
                let is_edit = RegistryEdit::NAMES.iter().any(|n| item.get(n).is_some());
                let is_create = Create::NAMES.iter().any(|n| item.get(n).is_some());
                let read = read.and_then(|()| {
                    if is_edit {
                        serde_json::from_value::<RegistryEdit>(item).map(|e| edits.push((index, e)))
                    } else if is_create {
                        serde_json::from_value::<Create>(item).map(|c| creates.push((index, c)))
                    } else {
                        serde_json::from_value::<Capture>(item).map(|c| parsed.push((index, c)))
                    }
                    .map_err(|e| {
                        let field = format!("captures[{index}]");
                        FieldError::new(&field, e.to_string(), "err-invalid-json")
                    })
                });
                results.push(
                    read.err()
                        .map(|f| PushResult::refused(t, index, DayError::Field(f))),
                );
            }
            let unavailable = |e: store::StoreError| {
                tracing::warn!(error = %e, "sync push failed");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    t.t("err-store"),
                )
            };
            // What is pointed at first (see the module doc); the order sent within a rank.
            creates.sort_by_key(|(_, c)| c.rank());
            let (early, late): (Vec<_>, Vec<_>) =
                creates.into_iter().partition(|(_, c)| c.before_captures());
            push_creates(&state, &user, t, &early, &by, &mut results)
                .await
                .map_err(unavailable)?;
            let captures: Vec<Capture> = parsed.iter().map(|(_, c)| c.clone()).collect();
            let authors: Vec<Option<String>> =
                parsed.iter().map(|(i, _)| by.get(i).cloned()).collect();
            let outcomes = state
                .store
                .push_captures_from(&user.actor(), &captures, &authors)
                .await
                .map_err(unavailable)?;
            for ((index, _), o) in parsed.iter().zip(outcomes) {
                results[*index] = Some(match o {
                    PushOutcome::Stored => PushResult::ok(*index, "stored"),
                    PushOutcome::Duplicate => PushResult::ok(*index, "duplicate"),
                    PushOutcome::SameAs(there) => PushResult {
                        same_as: Some(there.to_string()),
                        ..PushResult::ok(*index, "merged")
                    },
                    PushOutcome::Refused(e) => PushResult::store_refused(t, *index, e),
                });
            }
            push_creates(&state, &user, t, &late, &by, &mut results)
                .await
                .map_err(unavailable)?;
            // Edits after the captures: each merged on its own, so one refused edit (a
            // person outside the subtree) costs no other.
            for (index, e) in &edits {
                results[*index] = Some(match merge(&state, &user, e).await {
                    Ok((applied, reviews)) => PushResult {
                        applied,
                        reviews: reviews.iter().map(ToString::to_string).collect(),
                        ..PushResult::ok(*index, "merged")
                    },
                    Err(e) => PushResult::store_refused(t, *index, e),
                });
            }
            Ok(Json(PushOut {
                results: results.into_iter().flatten().collect(),
            })
            .into_response())
        }
        .await,
    )
}

/// Stores `creates` in the order given, each answer put at its index.
async fn push_creates(
    state: &AppState,
    user: &CurrentUser,
    t: Tr,
    creates: &[(usize, Create)],
    by: &HashMap<usize, String>,
    results: &mut [Option<PushResult>],
) -> store::Result<()> {
    if creates.is_empty() {
        return Ok(());
    }
    let items: Vec<Create> = creates.iter().map(|(_, c)| c.clone()).collect();
    let authors: Vec<Option<String>> = creates.iter().map(|(i, _)| by.get(i).cloned()).collect();
    let outcomes = state
        .store
        .push_creates_from(&user.actor(), &items, &authors)
        .await?;
    for ((index, _), o) in creates.iter().zip(outcomes) {
        let Some(slot) = results.get_mut(*index) else {
            continue;
        };
        *slot = Some(match o {
            CreateOutcome::Stored => PushResult::ok(*index, "stored"),
            CreateOutcome::Duplicate => PushResult::ok(*index, "duplicate"),
            CreateOutcome::Reviewed(reviews) => PushResult {
                reviews: reviews.iter().map(ToString::to_string).collect(),
                ..PushResult::ok(*index, "merged")
            },
            CreateOutcome::Refused(e) => PushResult::create_refused(t, *index, e),
        });
    }
    Ok(())
}
