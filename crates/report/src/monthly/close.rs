//! Closing a month (issue 11 item 4): the report as it stands is kept in the store
//! (`Store::close_period`) as the export's JSON, so the numbers as closed can be shown
//! beside today's numbers (with the late corrections), and the rows that arrived or
//! changed after the close are counted and listed (`Store::late_rows`).

use std::collections::HashMap;

use serde::Deserialize;
use store::{Actor, LateRows, OrgUnitId, PeriodClose, Store, StoreError};
use time::Date;

use super::numbers::Value;
use super::{MonthlyReport, export, month_code};
use crate::targets::next_month;

/// How many late rows a closed month lists (the count covers them all): a page of them is
/// what an officer reads; more means the month should be reopened and closed again.
pub const LATE_LIST_LIMIT: i64 = 200;

/// A closed month: the close, its numbers by indicator code, and the rows that arrived or
/// changed after it.
#[derive(Debug, Clone)]
pub struct Closed {
    pub close: PeriodClose,
    pub values: HashMap<String, Value>,
    pub late: LateRows,
}

#[derive(Deserialize)]
struct Stored {
    indicators: Vec<StoredIndicator>,
}

#[derive(Deserialize)]
struct StoredIndicator {
    code: String,
    #[serde(flatten)]
    value: Value,
}

/// Why a month cannot be closed.
#[derive(Debug, thiserror::Error)]
pub enum CloseError {
    #[error("bulan {0} belum selesai")]
    NotOver(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("laporan: {0}")]
    Json(#[from] serde_json::Error),
}

/// Closes the month of `report` (it must have ended by `today`), keeping its numbers.
pub async fn close(
    store: &Store,
    actor: &Actor,
    report: &MonthlyReport,
    today: Date,
) -> Result<PeriodClose, CloseError> {
    let code = month_code(report.month);
    if next_month(report.month) > today {
        return Err(CloseError::NotOver(code));
    }
    let json = export::json(report)?;
    Ok(store
        .close_period(actor, report.unit.id, &code, &json)
        .await?)
}

/// The close of `month` (any day of it) for `unit` with its numbers by indicator code, as
/// the downloads need them (no late rows read); `None` when open.
pub async fn as_closed(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<Option<(PeriodClose, HashMap<String, Value>)>, CloseError> {
    let month = month.replace_day(1).unwrap_or(month);
    let Some(close) = store.period_close(actor, unit, &month_code(month)).await? else {
        return Ok(None);
    };
    let stored: Stored = serde_json::from_value(close.report.clone())?;
    let values = stored
        .indicators
        .into_iter()
        .map(|i| (i.code, i.value))
        .collect();
    Ok(Some((close, values)))
}

/// The close of `month` for `unit`, with its numbers and the late rows; `None` when open.
pub async fn closed(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<Option<Closed>, CloseError> {
    let month = month.replace_day(1).unwrap_or(month);
    let Some((close, values)) = as_closed(store, actor, unit, month).await? else {
        return Ok(None);
    };
    let late = store
        .late_rows(
            actor,
            unit,
            (month, next_month(month)),
            close.closed_at,
            LATE_LIST_LIMIT,
        )
        .await?;
    Ok(Some(Closed {
        close,
        values,
        late,
    }))
}

/// Reopens the closed `month` (any day of it) of `unit` with a reason: the close is kept
/// among the reopened ones (`Store::reopen_period`) and the month may be closed again.
pub async fn reopen(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
    reason: &str,
) -> Result<(), CloseError> {
    let month = month.replace_day(1).unwrap_or(month);
    Ok(store
        .reopen_period(actor, unit, &month_code(month), reason)
        .await?)
}

/// The closes of `month` that were reopened, the latest first.
pub async fn reopened(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<Vec<store::PeriodReopen>, CloseError> {
    let month = month.replace_day(1).unwrap_or(month);
    Ok(store
        .period_reopens(actor, unit, &month_code(month))
        .await?)
}
