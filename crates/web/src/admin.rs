//! Account administration under `/admin/pengguna`: the users of the admin's subtree, a
//! form to create one, and deactivation (which ends the user's sessions at once).
//!
//! **Who may**: [`Role::DinkesAdmin`] manages accounts of every role, and
//! [`Role::PuskesmasOfficer`] manages kader and bidan accounts, both only inside the
//! subtree of their own unit; kader and bidan get 403 from the route table's guard. Nobody
//! deactivates their own account. The rule itself is [`store::Actor::may_manage`], and the
//! store enforces it (and the scope) on every write, so these pages only decide what to
//! offer. A user id outside the subtree answers 404, like an unknown one.
//!
//! Every form is a plain POST carrying the session's CSRF token; writes go through the
//! store's audited transactions as the admin ([`store::Store::add_user`],
//! [`store::Store::deactivate_user`], the same functions `posyandu user` uses).

mod form;
mod view;

use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use store::{Role, StoreError, UserId};

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::i18n::Tr;
use crate::routes::{Access, Routes};
use form::{Choices, FieldErrors, NewUserForm};

/// The roles that reach these pages (what each may do is [`store::Actor::may_manage`]).
pub const ADMINS: &[Role] = &[Role::DinkesAdmin, Role::PuskesmasOfficer];

pub fn routes(r: Routes) -> Routes {
    let admins = Access::Roles(ADMINS);
    r.add(
        Method::GET,
        "/admin/pengguna",
        "/admin/pengguna",
        admins,
        get(list),
    )
    .add(
        Method::GET,
        "/admin/pengguna/baru",
        "/admin/pengguna/baru",
        admins,
        get(new_form),
    )
    .add(
        Method::POST,
        "/admin/pengguna/baru",
        "/admin/pengguna/baru",
        admins,
        post(create),
    )
    .add(
        Method::POST,
        "/admin/pengguna/{user}/nonaktif",
        "/admin/pengguna/{user}/nonaktif",
        admins,
        post(deactivate),
    )
}

/// The query after a redirect: which user was just created or deactivated.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    dibuat: String,
    nonaktif: String,
}

/// A page for a store failure that is not the admin's input (the database is away).
fn unavailable(t: Tr, e: &StoreError) -> Response {
    tracing::warn!(error = %e, "admin page: store failed");
    (StatusCode::SERVICE_UNAVAILABLE, t.t("admin-err-store")).into_response()
}

fn csrf_refused(t: Tr) -> Response {
    (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response()
}

async fn list(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(done): Query<Done>,
) -> Response {
    let notice = if let Ok(id) = UserId::parse(&done.dibuat) {
        Some(("admin-created", id))
    } else {
        UserId::parse(&done.nonaktif)
            .ok()
            .map(|id| ("admin-deactivated", id))
    };
    match view::list_page(&state.store, t, &user, notice, None).await {
        Ok(page) => page.into_response(),
        Err(e) => unavailable(t, &e),
    }
}

/// The admin's choices: roles they may give, units of their subtree.
async fn choices(state: &AppState, user: &CurrentUser) -> Result<Choices, StoreError> {
    let actor = user.actor();
    let units = state
        .store
        .org_units_under(&actor, user.user().org_unit_id)
        .await?;
    Ok(Choices {
        roles: actor.manageable_roles(),
        units,
    })
}

async fn new_form(State(state): State<AppState>, t: Tr, user: CurrentUser) -> Response {
    match choices(&state, &user).await {
        Ok(c) => {
            let blank = NewUserForm::default();
            view::form_page(t, &user, &c, &blank, &FieldErrors::default()).into_response()
        }
        Err(e) => unavailable(t, &e),
    }
}

async fn create(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    posted: Result<Form<NewUserForm>, FormRejection>,
) -> Response {
    let Ok(Form(posted)) = posted else {
        return csrf_refused(t);
    };
    if !user.csrf_ok(&posted.csrf) {
        return csrf_refused(t);
    }
    let c = match choices(&state, &user).await {
        Ok(c) => c,
        Err(e) => return unavailable(t, &e),
    };
    let again = |errors: FieldErrors| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            view::form_page(t, &user, &c, &posted, &errors),
        )
            .into_response()
    };
    let checked = match form::check(&posted, &c, t) {
        Ok(x) => x,
        Err(errors) => return again(errors),
    };
    let new = checked.new;
    match state.store.credentials(&new.username).await {
        Ok(None) => {}
        Ok(Some(_)) => {
            let mut errors = FieldErrors::default();
            errors.add("username", form::username_taken(t, &new.username));
            return again(errors);
        }
        Err(e) => return unavailable(t, &e),
    }
    let hash = match store::password::hash_async(new.username.clone(), checked.password).await {
        Ok(h) => h,
        Err(e) => {
            let mut errors = FieldErrors::default();
            errors.add("password", form::password_message(t, &e));
            return again(errors);
        }
    };
    match state.store.add_user(&user.actor(), &new, &hash).await {
        Ok(made) => Redirect::to(&format!("/admin/pengguna?dibuat={}", made.id)).into_response(),
        Err(e) => match form::store_message(t, &e, &posted) {
            Some((f, m)) => {
                let mut errors = FieldErrors::default();
                errors.add(f, m);
                again(errors)
            }
            None => unavailable(t, &e),
        },
    }
}

/// Deactivates a user of the admin's subtree. An id that is malformed answers 400; unknown
/// or outside the subtree, 404 (before the CSRF check, so the answer never depends on
/// whether such a user exists elsewhere); then a missing or wrong token, 403.
async fn deactivate(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
    posted: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let Ok(id) = UserId::parse(&id) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let actor = user.actor();
    match state.store.user(&actor, id).await {
        Ok(_) => {}
        Err(StoreError::NotFound { .. } | StoreError::OutOfScope { .. }) => {
            return crate::pages::not_found(t).await.into_response();
        }
        Err(e) => return unavailable(t, &e),
    }
    match posted {
        Ok(Form(f)) if user.csrf_ok(&f.csrf) => {}
        _ => return csrf_refused(t),
    }
    let (status, refusal) = match state.store.deactivate_user(&actor, id).await {
        Ok(off) => {
            return Redirect::to(&format!("/admin/pengguna?nonaktif={}", off.id)).into_response();
        }
        Err(StoreError::RoleNotAllowed { .. }) => {
            (StatusCode::FORBIDDEN, "admin-err-deactivate-role")
        }
        Err(StoreError::OwnAccount { .. }) => (StatusCode::FORBIDDEN, "admin-err-deactivate-self"),
        Err(StoreError::Conflict { .. } | StoreError::Deleted { .. }) => {
            (StatusCode::CONFLICT, "admin-err-conflict")
        }
        Err(e) => return unavailable(t, &e),
    };
    match view::list_page(&state.store, t, &user, None, Some(t.t(refusal))).await {
        Ok(page) => (status, page).into_response(),
        Err(e) => unavailable(t, &e),
    }
}
