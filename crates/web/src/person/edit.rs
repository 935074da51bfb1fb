//! `/orang/{person}/ubah`: correcting a person's registry data from the browser. The form
//! carries the version and values it was opened on; saving goes through the same merge as
//! a phone's edit (`Store::merge_edit`), so a field someone else changed meanwhile is never
//! silently overwritten: a field changed only here is taken, and one changed differently
//! on both sides comes back on this page with both values (and who stored the other) for
//! the user to pick, through the review list's own choice (`Store::resolve_review`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use store::{NewPerson, Nik, Person, PersonId};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::fail;
use crate::form::{self, FieldError};
use crate::i18n::Tr;
use crate::pages::Layout;
use crate::review::{REVIEWERS, ReviewView, review_views};

#[derive(Template, WebTemplate)]
#[template(path = "person/edit.html")]
struct EditPage {
    t: Tr,
    css: String,
    csrf: String,
    id: String,
    name: String,
    version: i64,
    /// The values the form was opened on (JSON), the base of the merge.
    base: String,
    f: EditForm,
    errors: Vec<String>,
    /// Fields changed here and elsewhere differently: both values, to pick one.
    conflicts: Vec<ReviewView>,
}

/// The form as posted: every value as typed.
#[derive(Deserialize, Default, Clone)]
pub(super) struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    base_version: i64,
    #[serde(default)]
    base: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    sex: String,
    #[serde(default)]
    birth_date: String,
    #[serde(default)]
    birth_date_estimated: Option<String>,
    #[serde(default)]
    nik: String,
    #[serde(default)]
    nik_is_mother: Option<String>,
    #[serde(default)]
    phone: String,
}

impl EditForm {
    fn of(p: &Person) -> Self {
        EditForm {
            name: p.name.clone(),
            sex: p.sex.code().to_owned(),
            birth_date: p.birth_date.to_string(),
            birth_date_estimated: p.birth_date_estimated.then(|| "1".to_owned()),
            nik: p
                .nik
                .as_ref()
                .map(|n| n.as_str().to_owned())
                .unwrap_or_default(),
            nik_is_mother: p.nik_is_mother.then(|| "1".to_owned()),
            phone: p.phone.clone().unwrap_or_default(),
            ..EditForm::default()
        }
    }

    /// The record as edited: the base with the typed values, or every bad field named.
    fn edited(&self, base: &NewPerson) -> Result<NewPerson, Vec<FieldError>> {
        let mut errors = Vec::new();
        let core = form::person_core(&self.name, &self.sex, &self.birth_date, &mut errors);
        let nik = match form::optional(&self.nik) {
            None => None,
            Some(n) => match Nik::parse(&n) {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError::new("nik", &n, "err-nik-format"));
                    None
                }
            },
        };
        match core {
            Some((name, sex, birth_date)) if errors.is_empty() => Ok(NewPerson {
                name,
                sex,
                birth_date,
                birth_date_estimated: self.birth_date_estimated.is_some(),
                nik,
                nik_is_mother: self.nik_is_mother.is_some(),
                phone: form::optional(&self.phone),
                ..base.clone()
            }),
            _ => Err(errors),
        }
    }
}

/// The conflicts this user may pick for: their own proposals, or any for a reviewer.
async fn conflicts(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    id: PersonId,
) -> Result<Vec<ReviewView>, DayError> {
    let actor = user.actor();
    let me = actor.label();
    let reviewer = REVIEWERS.contains(&user.user().role);
    let mine: Vec<store::Review> = state
        .store
        .open_reviews(&actor, id)
        .await?
        .into_iter()
        .filter(|r| reviewer || r.proposed_by == me)
        .collect();
    Ok(review_views(state, t, &actor, mine).await)
}

async fn page(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    p: &Person,
    f: EditForm,
    errors: Vec<String>,
) -> Result<Response, DayError> {
    let conflicts = conflicts(state, t, user, p.id).await?;
    let l = Layout::new(t);
    Ok((
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        EditPage {
            t: l.t,
            css: l.css,
            csrf: user.csrf().to_owned(),
            id: p.id.to_string(),
            name: p.name.clone(),
            version: p.meta.version,
            base: serde_json::to_string(&p.editable()).unwrap_or_default(),
            f,
            errors,
            conflicts,
        },
    )
        .into_response())
}

fn person_id(text: &str) -> Result<PersonId, DayError> {
    PersonId::parse(text).map_err(|_| DayError::NotFound)
}

pub(super) async fn form_page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
) -> Response {
    let run = async {
        let p = state
            .store
            .person(&user.actor(), person_id(&person)?)
            .await?;
        page(&state, t, &user, &p, EditForm::of(&p), Vec::new()).await
    };
    run.await.unwrap_or_else(|e| fail(t, e))
}

pub(super) async fn save(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
    Form(f): Form<EditForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let run = async {
        let actor = user.actor();
        let p = state.store.person(&actor, person_id(&person)?).await?;
        // The values the form was opened on; a form without them is based on now.
        let base: NewPerson = serde_json::from_str(&f.base).unwrap_or_else(|_| p.editable());
        let base_version = if f.base.is_empty() {
            p.meta.version
        } else {
            f.base_version
        };
        if base.id != p.id {
            return Err(DayError::field("base", &f.base, "err-invalid"));
        }
        let edited = match f.edited(&base) {
            Ok(e) => e,
            Err(errors) => {
                let messages = errors.iter().map(|e| e.message(t)).collect();
                // Typed values come back as typed, on the version now stored.
                return page(&state, t, &user, &p, f.clone(), messages).await;
            }
        };
        let edit = store::PersonEdit {
            base_version,
            base,
            edited,
        };
        let merged = state.store.merge_edit(&actor, &edit).await?;
        if merged.reviews.is_empty() {
            return Ok(Redirect::to(&format!("/orang/{}", p.id)).into_response());
        }
        // Both sides changed a field: the page shows both values to pick.
        Ok(Redirect::to(&format!("/orang/{}/ubah", p.id)).into_response())
    };
    match run.await {
        Ok(r) => r,
        Err(DayError::Field(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response(),
        Err(e) => fail(t, e),
    }
}

#[derive(Deserialize)]
pub(super) struct PickForm {
    csrf: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    choice: String,
}

/// One conflict decided: the value typed here (`device`) or the one stored (`server`).
pub(super) async fn pick(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(person): Path<String>,
    Form(f): Form<PickForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let run = async {
        let id = person_id(&person)?;
        // Scope before the form: another unit's person is not found whatever is posted.
        state.store.person(&user.actor(), id).await?;
        let keep_device = match f.choice.as_str() {
            "device" => true,
            "server" => false,
            other => return Err(DayError::field("choice", other, "err-invalid")),
        };
        let review = uuid::Uuid::parse_str(f.review.trim())
            .map_err(|_| DayError::field("review", &f.review, "err-invalid"))?;
        // Only a conflict this user may pick for, of this person.
        let mine = conflicts(&state, t, &user, id).await?;
        if !mine.iter().any(|r| r.id == review.to_string()) {
            return Err(DayError::NotFound);
        }
        state
            .store
            .resolve_review(&user.actor(), review, keep_device)
            .await?;
        let left = conflicts(&state, t, &user, id).await?;
        Ok(Redirect::to(&if left.is_empty() {
            format!("/orang/{id}")
        } else {
            format!("/orang/{id}/ubah")
        })
        .into_response())
    };
    match run.await {
        Ok(r) => r,
        Err(DayError::Field(e)) => (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response(),
        Err(e) => fail(t, e),
    }
}
