//! A forgotten password: the admin of the user's area sets a temporary one, shown once to
//! read out or hand over; every session of the user ends (`Tx::set_password`, audited
//! without the hash). Who may: the same rule as editing (`Actor::may_manage`, not one's
//! own account).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{csrf_refused, edit_refusal, refused, target, unavailable};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser};
use crate::i18n::Tr;
use crate::pages::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "admin_password.html")]
struct ResetPage {
    t: Tr,
    css: String,
    name: String,
    username: String,
    password: String,
}

pub(super) async fn reset(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(id): Path<String>,
    posted: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let u = match target(&state, t, &user, &id).await {
        Ok(u) => u,
        Err(answer) => return answer,
    };
    match posted {
        Ok(Form(f)) if user.csrf_ok(&f.csrf) => {}
        _ => return csrf_refused(t),
    }
    if let Some(key) = edit_refusal(&user, &u) {
        return refused(&state, t, &user, StatusCode::FORBIDDEN, key).await;
    }
    let password = match store::password::temporary() {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, "temporary password failed");
            return (StatusCode::SERVICE_UNAVAILABLE, t.t("admin-err-store")).into_response();
        }
    };
    let hash = match store::password::hash_async(u.username.clone(), password.clone()).await {
        Ok(h) => h,
        Err(e) => {
            tracing::warn!(error = %e, "password hash failed");
            return (StatusCode::SERVICE_UNAVAILABLE, t.t("admin-err-store")).into_response();
        }
    };
    let set = async {
        let mut tx = state.store.begin(&user.actor()).await?;
        tx.set_password(u.id, &hash).await?;
        tx.commit().await
    };
    if let Err(e) = set.await {
        return unavailable(t, &e);
    }
    let l = Layout::new(t);
    (
        // Shown once: never cached, never kept in the browser's history.
        [(axum::http::header::CACHE_CONTROL, "no-store")],
        ResetPage {
            t: l.t,
            css: l.css,
            name: u.display_name,
            username: u.username,
            password,
        },
    )
        .into_response()
}
