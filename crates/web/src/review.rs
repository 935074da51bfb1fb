//! The review list (`/tinjau`): fields of a person changed differently on a phone and on
//! the server (`store::Store::merge_edit`). The bidan, the Puskesmas officer or the
//! Dinkes admin sees both values, who proposed the phone's and when, and chooses; the
//! server's value stays until then. Scoped to the user's subtree like every read; the
//! choice is audited by the store.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::Value;
use store::{PersonId, Role};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::i18n::Tr;
use crate::pages::Layout;
use crate::routes::{Access, Routes};

/// Who chooses: the roles above the kader who made the edits.
pub const REVIEWERS: &[Role] = &[Role::Bidan, Role::PuskesmasOfficer, Role::DinkesAdmin];

/// Most reviews on one page: the oldest first.
const PAGE: u32 = 100;

pub fn routes(r: Routes) -> Routes {
    let who = Access::Roles(REVIEWERS);
    r.add(Method::GET, "/tinjau", "/tinjau", who, get(list))
        .add(Method::POST, "/tinjau", "/tinjau", who, post(choose))
}

/// One review as a page shows it (here and on the person's edit page).
pub(crate) struct ReviewView {
    pub id: String,
    pub person: String,
    pub field: String,
    pub server: String,
    pub device: String,
    pub proposed: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "review.html")]
struct ReviewPage {
    t: Tr,
    css: String,
    csrf: String,
    reviews: Vec<ReviewView>,
    notice: Option<String>,
}

/// A stored JSON value as a person would read it (text without quotes, "—" for none).
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "—".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Who proposed a value, as people know them: the account's name and username (the
/// stored actor label is a user id, or `system:…`).
pub(crate) async fn who(state: &AppState, actor: &store::Actor, label: &str) -> String {
    let Ok(id) = uuid::Uuid::parse_str(label) else {
        return label.to_owned();
    };
    match state.store.user(actor, store::UserId(id)).await {
        Ok(u) => format!("{} ({})", u.display_name, u.username),
        Err(_) => label.to_owned(),
    }
}

async fn page(state: &AppState, t: Tr, user: &CurrentUser, notice: Option<String>) -> Response {
    let actor = user.actor();
    let reviews = match state.store.open_reviews_in_scope(&actor, PAGE).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "reviews failed");
            return (StatusCode::SERVICE_UNAVAILABLE, t.t("err-store")).into_response();
        }
    };
    let views = review_views(state, t, &actor, reviews).await;
    let l = Layout::new(t);
    ReviewPage {
        t: l.t,
        css: l.css,
        csrf: user.csrf().to_owned(),
        reviews: views,
        notice,
    }
    .into_response()
}

/// The reviews as people read them: whose record, the field's label, both values in words
/// and who proposed the device's value when. A record no longer in scope is left out.
pub(crate) async fn review_views(
    state: &AppState,
    t: Tr,
    actor: &store::Actor,
    reviews: Vec<store::Review>,
) -> Vec<ReviewView> {
    let mut views = Vec::with_capacity(reviews.len());
    for r in reviews {
        // Whose record: the person's name, or the household's head.
        let person = match r.entity {
            store::codes::EntityKind::Household => state
                .store
                .household(actor, store::HouseholdId(r.entity_id))
                .await
                .map(|h| format!("{} ({})", h.head_name, t.t("review-household"))),
            _ => state
                .store
                .person(actor, PersonId(r.entity_id))
                .await
                .map(|p| p.name),
        };
        let Ok(person) = person else { continue };
        // Which side deleted it reads from the values; shown as words, not true/false.
        let deleted_on_device = r.field == "deleted" && r.device_value == Value::Bool(true);
        let field_key = if deleted_on_device {
            "review-field-deleted-device".to_owned()
        } else {
            format!("review-field-{}", r.field)
        };
        let value = |v: &Value| match (r.field.as_str(), v) {
            ("deleted", Value::Bool(true)) => t.t("review-deleted-yes"),
            ("deleted", Value::Bool(false)) => t.t("review-deleted-no"),
            _ => shown(v),
        };
        let label = t.t(&field_key);
        views.push(ReviewView {
            id: r.id.to_string(),
            person,
            // A field with no label of its own shows its name.
            field: if label == field_key {
                r.field.clone()
            } else {
                label
            },
            server: value(&r.server_value),
            device: value(&r.device_value),
            proposed: format!(
                "{} · {}",
                who(state, actor, &r.proposed_by).await,
                r.proposed_at.date()
            ),
        });
    }
    views
}

async fn list(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    page(&state, t, &user, None).await
}

#[derive(Deserialize)]
struct ChooseForm {
    csrf: String,
    #[serde(default)]
    review: String,
    #[serde(default)]
    choice: String,
}

async fn choose(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<ChooseForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let keep_device = match f.choice.as_str() {
        "device" => true,
        "server" => false,
        other => {
            let msg = format!("choice = '{other}': {}", t.t("review-err-choice"));
            return (StatusCode::UNPROCESSABLE_ENTITY, msg).into_response();
        }
    };
    let Ok(id) = uuid::Uuid::parse_str(f.review.trim()) else {
        let msg = format!("review = '{}': {}", f.review, t.t("review-err-id"));
        return (StatusCode::UNPROCESSABLE_ENTITY, msg).into_response();
    };
    match state
        .store
        .resolve_review(&user.actor(), id, keep_device)
        .await
    {
        Ok(_) => Redirect::to("/tinjau").into_response(),
        Err(store::StoreError::NotFound { .. } | store::StoreError::OutOfScope { .. }) => {
            crate::pages::not_found_page(t).into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "review choice failed");
            page(&state, t, &user, Some(t.t("err-store"))).await
        }
    }
}
