//! `POST /laporan/tutup`: a Puskesmas officer (or the Dinkes) closes a month for a unit of
//! their area (`report::monthly::close`); the report page then shows the numbers as closed
//! beside today's, and how many rows arrived late.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use report::monthly::close::{CloseError, Closed, close};
use serde::Deserialize;
use store::Role;

use super::query::{ReportQuery, month_text, read};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today, wib};
use crate::i18n::Tr;

/// Who may close a month: the Puskesmas for its area, the Dinkes for its district.
pub const CLOSERS: &[Role] = &[Role::PuskesmasOfficer, Role::DinkesAdmin];

#[derive(Deserialize)]
pub(super) struct CloseForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    month: Option<String>,
}

/// The close as the page tells it.
pub struct ClosedView {
    pub at: String,
    pub by: String,
    pub late: String,
}

pub async fn view(state: &AppState, t: Tr, user: &CurrentUser, c: &Closed) -> ClosedView {
    let by = match store::UserId::parse(&c.close.closed_by) {
        Ok(id) => match state.store.user(&user.actor(), id).await {
            Ok(u) => u.display_name,
            Err(_) => c.close.closed_by.clone(),
        },
        Err(_) => c.close.closed_by.clone(),
    };
    let at = wib(c.close.closed_at);
    ClosedView {
        at: format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute()),
        by,
        late: crate::i18n::format(
            t.lang,
            "report-late-rows",
            &[("n", &c.late_rows.to_string())],
        ),
    }
}

pub(super) async fn close_month(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<CloseForm>,
) -> Response {
    if !user.csrf_ok(&f.csrf) {
        return (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response();
    }
    let q = ReportQuery {
        unit: f.unit,
        month: f.month,
        ..ReportQuery::default()
    };
    let asked = match q.asked_page(t, &user) {
        Ok(a) => a,
        Err(page) => return *page,
    };
    let actor = user.actor();
    let r = match read(&state.store, &actor, &asked, None).await {
        Ok(r) => r,
        Err(e) => return fail(t, e),
    };
    match close(&state.store, &actor, &r, today()).await {
        Ok(_) => Redirect::to(&format!(
            "/laporan?unit={}&month={}",
            asked.unit,
            month_text(asked.month)
        ))
        .into_response(),
        Err(CloseError::NotOver(m)) => {
            fail(t, DayError::field("month", &m, "report-close-not-over"))
        }
        Err(CloseError::Store(e)) => fail(t, DayError::from(e)),
        Err(CloseError::Json(e)) => {
            fail(t, DayError::field("report", &e.to_string(), "err-invalid"))
        }
    }
}
