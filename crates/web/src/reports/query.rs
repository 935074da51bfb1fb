//! What a report request asks for (unit, month, indicator), parsed once for the page, the
//! drill-down and the API; the report read through the user's scope and its reading
//! audited (a drill-down lists persons).

use report::monthly::{MonthDetail, MonthlyReport, detail, monthly};
use serde::Deserialize;
use store::{Actor, OrgUnitId, Store};
use time::Date;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::today;
use crate::form::FieldError;
use crate::i18n::Tr;
use crate::targets::query::parse_month;

#[derive(Debug, Deserialize, Default)]
pub struct ReportQuery {
    /// The unit's id; the user's own when absent.
    pub unit: Option<String>,
    /// `2026-06`; this month when absent.
    pub month: Option<String>,
    /// A count indicator's code (the drill-down).
    pub ind: Option<String>,
    /// `csv`, `xlsx`, `json` or `pdf` to download.
    pub format: Option<String>,
}

pub struct Asked {
    pub unit: OrgUnitId,
    pub month: Date,
}

impl ReportQuery {
    /// What a page asked for, or the page that names the bad field and value (422).
    pub fn asked_page(&self, t: Tr, user: &CurrentUser) -> Result<Asked, Box<Response>> {
        self.asked(user.user().org_unit_id, today())
            .map_err(|e| Box::new((StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response()))
    }

    pub fn asked(&self, own: OrgUnitId, today: Date) -> Result<Asked, FieldError> {
        let unit = match self.unit.as_deref().filter(|u| !u.is_empty()) {
            Some(u) => {
                OrgUnitId::parse(u).map_err(|_| FieldError::new("unit", u, "err-invalid"))?
            }
            None => own,
        };
        let month = match self.month.as_deref().filter(|m| !m.is_empty()) {
            Some(m) => parse_month(m)?,
            None => today.replace_day(1).unwrap_or(today),
        };
        Ok(Asked { unit, month })
    }
}

pub use report::monthly::month_code as month_text;

/// The report, and (for a drill-down or a download) its reading in the access log.
pub async fn read(
    store: &Store,
    actor: &Actor,
    a: &Asked,
    audit: Option<serde_json::Value>,
) -> Result<MonthlyReport, DayError> {
    let r = monthly(store, actor, a.unit, a.month).await?;
    if let Some(detail) = audit {
        record(store, actor, &r, &detail).await?;
    }
    Ok(r)
}

/// The report with the facts behind it (the drill-down lists persons), its reading audited.
pub async fn read_detail(
    store: &Store,
    actor: &Actor,
    a: &Asked,
    audit: &serde_json::Value,
) -> Result<MonthDetail, DayError> {
    let d = detail(store, actor, a.unit, a.month).await?;
    record(store, actor, &d.report, audit).await?;
    Ok(d)
}

async fn record(
    store: &Store,
    actor: &Actor,
    r: &MonthlyReport,
    detail: &serde_json::Value,
) -> Result<(), DayError> {
    store
        .record_view(
            actor,
            store::codes::EntityKind::OrgUnit,
            r.unit.id.0,
            &r.unit.path,
            detail,
        )
        .await?;
    Ok(())
}
