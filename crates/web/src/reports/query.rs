//! What a report request asks for (unit, month, indicator), parsed once for the page, the
//! drill-down and the API; the report read through the user's scope and its reading
//! audited (a drill-down lists persons).

use report::monthly::{MonthlyReport, monthly};
use serde::Deserialize;
use store::{Actor, OrgUnitId, Store};
use time::Date;

use crate::day::DayError;
use crate::form::FieldError;
use crate::targets::query::parse_month;

#[derive(Debug, Deserialize, Default)]
pub struct ReportQuery {
    /// The unit's id; the user's own when absent.
    pub unit: Option<String>,
    /// `2026-06`; this month when absent.
    pub month: Option<String>,
    /// A count indicator's code (the drill-down).
    pub ind: Option<String>,
    /// `csv`, `xlsx` or `json` to download.
    pub format: Option<String>,
}

pub struct Asked {
    pub unit: OrgUnitId,
    pub month: Date,
}

impl ReportQuery {
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

/// `2026-06`.
pub fn month_text(month: Date) -> String {
    format!("{:04}-{:02}", month.year(), u8::from(month.month()))
}

/// The report, and (for a drill-down or a download) its reading in the access log.
pub async fn read(
    store: &Store,
    actor: &Actor,
    a: &Asked,
    audit: Option<serde_json::Value>,
) -> Result<MonthlyReport, DayError> {
    let r = monthly(store, actor, a.unit, a.month).await?;
    if let Some(detail) = audit {
        store
            .record_view(
                actor,
                store::codes::EntityKind::OrgUnit,
                r.unit.id.0,
                &r.unit.path,
                &detail,
            )
            .await?;
    }
    Ok(r)
}
