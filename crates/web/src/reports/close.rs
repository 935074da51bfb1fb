//! `POST /laporan/tutup`: a Puskesmas officer (or the Dinkes) closes a month for a unit of
//! their area (`report::monthly::close`); the report page then shows the numbers as closed
//! beside today's, and how many rows arrived late. `POST /laporan/buka-kembali`: the same
//! roles reopen a closed month with a reason (closed before a posyandu had sent its rows);
//! the close is kept among the reopened ones and the page lists them.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use report::monthly::close::{CloseError, Closed, close, reopen};
use serde::Deserialize;
use store::Role;

use super::query::{Asked, ReportQuery, month_text, read};
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
    /// Why a closed month is reopened (required to reopen).
    #[serde(default)]
    reason: String,
}

/// The close as the page tells it.
pub struct ClosedView {
    pub at: String,
    pub by: String,
    /// How many rows came or changed late ("3 catatan masuk atau berubah sesudah ditutup").
    pub late: String,
    /// The latest of them, newest first ([`super::late`]).
    pub late_rows: Vec<super::late::LateView>,
    /// When there are more than the page lists: "the latest 200 of 250".
    pub late_more: Option<String>,
}

/// A user's name for an actor label (the label itself when it is no user of the scope).
pub(super) async fn name_of(state: &AppState, user: &CurrentUser, label: &str) -> String {
    match store::UserId::parse(label) {
        Ok(id) => match state.store.user(&user.actor(), id).await {
            Ok(u) => u.display_name,
            Err(_) => label.to_owned(),
        },
        Err(_) => label.to_owned(),
    }
}

pub(super) fn when(at: time::OffsetDateTime) -> String {
    let at = wib(at);
    format!("{} {:02}:{:02}", at.date(), at.hour(), at.minute())
}

/// The reopened closes as the page lists them: "Pernah ditutup <when> oleh <who>, dibuka
/// kembali <when> oleh <who>. Alasan: <why>".
pub async fn reopen_views(
    state: &AppState,
    t: Tr,
    user: &CurrentUser,
    list: &[store::PeriodReopen],
) -> Vec<String> {
    let mut out = Vec::new();
    for r in list {
        let closed_by = name_of(state, user, &r.close.closed_by).await;
        let reopened_by = name_of(state, user, &r.reopened_by).await;
        out.push(crate::i18n::format(
            t.lang,
            "report-reopened",
            &[
                ("closed_at", &when(r.close.closed_at)),
                ("closed_by", &closed_by),
                ("reopened_at", &when(r.reopened_at)),
                ("reopened_by", &reopened_by),
                ("reason", &r.reason),
            ],
        ));
    }
    out
}

pub async fn view(state: &AppState, t: Tr, user: &CurrentUser, c: &Closed) -> ClosedView {
    let by = name_of(state, user, &c.close.closed_by).await;
    let listed = c.late.rows.len();
    let late_more = (c.late.total > listed as i64).then(|| {
        crate::i18n::format(
            t.lang,
            "report-late-more",
            &[
                ("n", &listed.to_string()),
                ("total", &c.late.total.to_string()),
            ],
        )
    });
    ClosedView {
        at: when(c.close.closed_at),
        by,
        late: crate::i18n::format(
            t.lang,
            "report-late-rows",
            &[("n", &c.late.total.to_string())],
        ),
        late_rows: super::late::views(state, t, user, c).await,
        late_more,
    }
}

/// The form's unit and month, after its CSRF token (403) and the query's checks (422).
fn asked(t: Tr, user: &CurrentUser, f: &CloseForm) -> Result<Asked, Box<Response>> {
    if !user.csrf_ok(&f.csrf) {
        return Err(Box::new(
            (StatusCode::FORBIDDEN, t.t("csrf-failed")).into_response(),
        ));
    }
    let q = ReportQuery {
        unit: f.unit.clone(),
        month: f.month.clone(),
        ..ReportQuery::default()
    };
    q.asked_page(t, user)
}

pub(super) async fn close_month(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<CloseForm>,
) -> Response {
    let asked = match asked(t, &user, &f) {
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

pub(super) async fn reopen_month(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Form(f): Form<CloseForm>,
) -> Response {
    let asked = match asked(t, &user, &f) {
        Ok(a) => a,
        Err(page) => return *page,
    };
    if f.reason.trim().is_empty() {
        return fail(t, DayError::field("reason", "", "err-required"));
    }
    match reopen(
        &state.store,
        &user.actor(),
        asked.unit,
        asked.month,
        &f.reason,
    )
    .await
    {
        Ok(()) => Redirect::to(&format!(
            "/laporan?unit={}&month={}",
            asked.unit,
            month_text(asked.month)
        ))
        .into_response(),
        Err(CloseError::Store(e)) => fail(t, DayError::from(e)),
        Err(e) => fail(t, DayError::field("month", &e.to_string(), "err-invalid")),
    }
}
