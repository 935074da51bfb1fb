//! Account administration under `/admin/pengguna`: the users of the admin's subtree, a
//! form to create one, deactivation (which ends the user's sessions at once), reactivation,
//! and a form to change an account's role and unit (which ends its sessions too: its scope
//! changed).
//!
//! **Who may**: [`Role::DinkesAdmin`] manages accounts of every role, and
//! [`Role::PuskesmasOfficer`] manages kader and bidan accounts, both only inside the
//! subtree of their own unit; kader and bidan get 403 from the route table's guard. Nobody
//! deactivates their own account or changes their own role or unit. The rule itself is [`store::Actor::may_manage`], and the
//! store enforces it (and the scope) on every write, so these pages only decide what to
//! offer. A user id outside the subtree answers 404, like an unknown one.
//!
//! Every form is a plain POST carrying the session's CSRF token; writes go through the
//! store's audited transactions as the admin ([`store::Store::add_user`],
//! [`store::Store::deactivate_user`], [`store::Store::reactivate_user`],
//! [`store::Store::reassign_user`], the same functions `posyandu user` uses).

mod form;
mod password;
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
use form::{Choices, EditUserForm, FieldErrors, NewUserForm};

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
    .add(
        Method::POST,
        "/admin/pengguna/{user}/aktif",
        "/admin/pengguna/{user}/aktif",
        admins,
        post(reactivate),
    )
    .add(
        Method::GET,
        "/admin/pengguna/{user}/ubah",
        "/admin/pengguna/{user}/ubah",
        admins,
        get(edit_form),
    )
    .add(
        Method::POST,
        "/admin/pengguna/{user}/ubah",
        "/admin/pengguna/{user}/ubah",
        admins,
        post(edit),
    )
    .add(
        Method::POST,
        "/admin/pengguna/{user}/sandi",
        "/admin/pengguna/{user}/sandi",
        admins,
        post(password::reset),
    )
}

/// The query after a redirect: which user was just created, deactivated, reactivated,
/// changed, or left as it was.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Done {
    dibuat: String,
    nonaktif: String,
    aktif: String,
    diubah: String,
    tetap: String,
}

impl Done {
    /// The notice's message key and the user it names.
    fn notice(&self) -> Option<(&'static str, UserId)> {
        [
            (&self.dibuat, "admin-created"),
            (&self.nonaktif, "admin-deactivated"),
            (&self.aktif, "admin-reactivated"),
            (&self.diubah, "admin-changed"),
            (&self.tetap, "admin-unchanged"),
        ]
        .into_iter()
        .find_map(|(id, key)| UserId::parse(id).ok().map(|id| (key, id)))
    }
}

/// A page for a store failure that is not the admin's input (the database is away).
pub(super) fn unavailable(t: Tr, e: &StoreError) -> Response {
    tracing::warn!(error = %e, "admin page: store failed");
    (StatusCode::SERVICE_UNAVAILABLE, t.t("admin-err-store")).into_response()
}

pub(super) fn csrf_refused(t: Tr) -> Response {
    (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response()
}

async fn list(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(done): Query<Done>,
) -> Response {
    match view::list_page(&state.store, t, &user, done.notice(), None).await {
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

/// The account named in the path, if it lies in the admin's subtree; else the answer to
/// give: 400 for a malformed id, 404 for one unknown or outside the subtree (alike, so the
/// answer never tells whether such a user exists elsewhere).
pub(super) async fn target(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    id: &str,
) -> Result<store::User, Response> {
    let Ok(id) = UserId::parse(id) else {
        return Err(StatusCode::BAD_REQUEST.into_response());
    };
    match state.store.user(&user.actor(), id).await {
        Ok(u) => Ok(u),
        Err(StoreError::NotFound { .. } | StoreError::OutOfScope { .. }) => {
            Err(crate::pages::not_found(t).await.into_response())
        }
        Err(e) => Err(unavailable(t, &e)),
    }
}

/// The users list with a refusal above it, answered with `status`.
pub(super) async fn refused(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    status: StatusCode,
    key: &str,
) -> Response {
    match view::list_page(&state.store, t, user, None, Some(t.t(key))).await {
        Ok(page) => (status, page).into_response(),
        Err(e) => unavailable(t, &e),
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
    let id = match target(&state, t, &user, &id).await {
        Ok(u) => u.id,
        Err(answer) => return answer,
    };
    let actor = user.actor();
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

/// Lets a deactivated user of the admin's subtree log in again (with their old password).
/// The same order of answers as [`deactivate`]: 400, 404, then 403 for the token. An
/// account already active is left as it is.
async fn reactivate(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
    posted: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let id = match target(&state, t, &user, &id).await {
        Ok(u) => u.id,
        Err(answer) => return answer,
    };
    match posted {
        Ok(Form(f)) if user.csrf_ok(&f.csrf) => {}
        _ => return csrf_refused(t),
    }
    let (status, refusal) = match state.store.reactivate_user(&user.actor(), id).await {
        Ok(on) => {
            return Redirect::to(&format!("/admin/pengguna?aktif={}", on.id)).into_response();
        }
        Err(StoreError::NotFound { .. }) => {
            return crate::pages::not_found(t).await.into_response();
        }
        Err(StoreError::RoleNotAllowed { .. }) => {
            (StatusCode::FORBIDDEN, "admin-err-reactivate-role")
        }
        Err(StoreError::Conflict { .. } | StoreError::Deleted { .. }) => {
            (StatusCode::CONFLICT, "admin-err-conflict")
        }
        Err(e) => return unavailable(t, &e),
    };
    refused(&state, t, &user, status, refusal).await
}

/// Why this admin may not edit `target` at all (a role they do not manage, or their own
/// account), as a message key; `None` when they may.
pub(super) fn edit_refusal(user: &CurrentUser, target: &store::User) -> Option<&'static str> {
    let actor = user.actor();
    if actor.principal == store::Principal::User(target.id) {
        Some("admin-err-edit-self")
    } else if !actor.may_manage(target.role) {
        Some("admin-err-edit-role")
    } else {
        None
    }
}

/// The form to change the role and unit of a user of the admin's subtree (404 outside it).
async fn edit_form(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Response {
    let target = match target(&state, t, &user, &id).await {
        Ok(u) => u,
        Err(answer) => return answer,
    };
    if let Some(key) = edit_refusal(&user, &target) {
        return refused(&state, t, &user, StatusCode::FORBIDDEN, key).await;
    }
    match choices(&state, &user).await {
        Ok(c) => view::edit_page(t, &user, &c, &target, None, &FieldErrors::default(), None)
            .into_response(),
        Err(e) => unavailable(t, &e),
    }
}

/// Saves a new role and unit: 400/404 for the account as in [`deactivate`], 403 for the
/// token or an account the admin may not edit, 422 with the form again naming the field for
/// a role or unit they may not give, 409 when someone changed the account since the form
/// was shown. Success ends the account's sessions (the store does, in the same transaction).
async fn edit(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
    posted: Result<Form<EditUserForm>, FormRejection>,
) -> Response {
    let target = match target(&state, t, &user, &id).await {
        Ok(u) => u,
        Err(answer) => return answer,
    };
    let posted = match posted {
        Ok(Form(f)) if user.csrf_ok(&f.csrf) => f,
        _ => return csrf_refused(t),
    };
    if let Some(key) = edit_refusal(&user, &target) {
        return refused(&state, t, &user, StatusCode::FORBIDDEN, key).await;
    }
    let c = match choices(&state, &user).await {
        Ok(c) => c,
        Err(e) => return unavailable(t, &e),
    };
    let again = |status: StatusCode, errors: FieldErrors, alert: Option<String>| {
        let page = view::edit_page(t, &user, &c, &target, Some(&posted), &errors, alert);
        (status, page).into_response()
    };
    let checked = match form::check_edit(&posted, &c, t) {
        Ok(x) => x,
        Err(errors) => return again(StatusCode::UNPROCESSABLE_ENTITY, errors, None),
    };
    let conflict = || {
        again(
            StatusCode::CONFLICT,
            FieldErrors::default(),
            Some(t.t("admin-err-conflict")),
        )
    };
    // A form without the version it was shown at cannot tell whether it overwrites a
    // change made meanwhile: it is refused the same way.
    let Some(version) = checked.version else {
        return conflict();
    };
    let saved = state
        .store
        .reassign_user(
            &user.actor(),
            target.id,
            version,
            checked.role,
            checked.unit,
        )
        .await;
    match saved {
        Ok(u) if u.meta.version == version => {
            Redirect::to(&format!("/admin/pengguna?tetap={}", u.id)).into_response()
        }
        Ok(u) => Redirect::to(&format!("/admin/pengguna?diubah={}", u.id)).into_response(),
        Err(StoreError::NotFound {
            entity: store::EntityKind::User,
            ..
        }) => crate::pages::not_found(t).await.into_response(),
        Err(StoreError::Conflict { .. } | StoreError::Deleted { .. }) => conflict(),
        Err(StoreError::OwnScope { .. }) => {
            refused(
                &state,
                t,
                &user,
                StatusCode::FORBIDDEN,
                "admin-err-edit-self",
            )
            .await
        }
        Err(e) => match form::edit_store_message(t, &e, &posted, checked.role) {
            Some((f, m)) => {
                let mut errors = FieldErrors::default();
                errors.add(f, m);
                again(StatusCode::UNPROCESSABLE_ENTITY, errors, None)
            }
            None if matches!(e, StoreError::RoleNotAllowed { .. }) => {
                refused(
                    &state,
                    t,
                    &user,
                    StatusCode::FORBIDDEN,
                    "admin-err-edit-role",
                )
                .await
            }
            None => unavailable(t, &e),
        },
    }
}
