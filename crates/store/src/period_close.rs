//! Closing a month for a unit (issue 11 item 4): the report as it stood is kept with who
//! closed it and when, so the closed numbers stay reproducible while later corrections are
//! still recorded (and shown beside them as late). Closing twice keeps the first close.
//! Reopening moves the close, unchanged, to `period_reopen` with who, when and why.

use serde_json::Value;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all, fetch_opt};
use crate::ids::OrgUnitId;
use crate::row::Get;

/// A closed month of a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodClose {
    pub org_unit_id: OrgUnitId,
    /// `2026-10`.
    pub month: String,
    pub closed_at: OffsetDateTime,
    /// The closing user (an actor label).
    pub closed_by: String,
    /// The report as closed (the caller's JSON).
    pub report: Value,
}

/// A close that was reopened: the close as it was, and who reopened it, when and why.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReopen {
    pub close: PeriodClose,
    pub reopened_at: OffsetDateTime,
    pub reopened_by: String,
    pub reason: String,
}

fn decode_reopen(r: &impl Get) -> Result<PeriodReopen> {
    Ok(PeriodReopen {
        close: decode(r)?,
        reopened_at: r.time("reopened_at")?,
        reopened_by: r.text("reopened_by")?,
        reason: r.text("reason")?,
    })
}

fn decode(r: &impl Get) -> Result<PeriodClose> {
    let unit = r.text("org_unit_id")?;
    let report = r.text("report")?;
    Ok(PeriodClose {
        org_unit_id: OrgUnitId::parse(&unit)
            .map_err(|_| StoreError::invalid("org_unit_id", &unit, "bukan id"))?,
        month: r.text("month")?,
        closed_at: r.time("closed_at")?,
        closed_by: r.text("closed_by")?,
        report: serde_json::from_str(&report)
            .map_err(|_| StoreError::invalid("report", "…", "bukan JSON"))?,
    })
}

impl Store {
    /// The close of `month` (`2026-10`) for `unit`, if it was closed (the unit must be in
    /// the actor's subtree).
    pub async fn period_close(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
    ) -> Result<Option<PeriodClose>> {
        let u = self.org_unit(actor, unit).await?;
        fetch_opt!(
            on_pool,
            self,
            "SELECT * FROM period_close WHERE org_unit_id = $1 AND month = $2",
            [u.id.to_string(), month],
            decode
        )
    }

    /// Closes `month` for `unit` with the report as it stands (`report`), audited; a month
    /// already closed keeps its first close, returned unchanged.
    pub async fn close_period(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
        report: &Value,
    ) -> Result<PeriodClose> {
        if let Some(done) = self.period_close(actor, unit, month).await? {
            return Ok(done);
        }
        let u = self.org_unit(actor, unit).await?;
        let mut tx = self.begin(actor).await?;
        let (now, by) = (tx.now, actor.label());
        let id = Uuid::now_v7();
        execute!(
            on_tx,
            tx,
            "INSERT INTO period_close (id, org_unit_id, org_path, month, closed_at, closed_by, \
             report) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            [
                id.to_string(),
                u.id.to_string(),
                u.path.as_str(),
                month,
                now,
                &by,
                report.to_string()
            ]
        );
        let detail = serde_json::json!({ "close_period": month });
        tx.audit(
            AuditAction::Transition,
            EntityKind::OrgUnit,
            u.id.0,
            &u.path,
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.period_close(actor, unit, month)
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::OrgUnit,
                id: u.id.0,
            })
    }

    /// Reopens the closed `month` of `unit`: the close moves, unchanged, to the reopened
    /// closes with who, when and `reason` (required), audited; the month may then be
    /// closed again. A month that is not closed is refused naming it.
    pub async fn reopen_period(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", reason, "alasan wajib diisi"));
        }
        let u = self.org_unit(actor, unit).await?;
        let mut tx = self.begin(actor).await?;
        let (now, by) = (tx.now, actor.label());
        let moved = execute!(
            on_tx,
            tx,
            "INSERT INTO period_reopen (id, org_unit_id, org_path, month, closed_at, closed_by, \
             report, reopened_at, reopened_by, reason) SELECT id, org_unit_id, org_path, month, \
             closed_at, closed_by, report, $3, $4, $5 FROM period_close \
             WHERE org_unit_id = $1 AND month = $2",
            [u.id.to_string(), month, now, &by, reason]
        );
        if moved == 0 {
            tx.rollback().await?;
            return Err(StoreError::invalid(
                "month",
                month,
                "bulan ini belum ditutup",
            ));
        }
        execute!(
            on_tx,
            tx,
            "DELETE FROM period_close WHERE org_unit_id = $1 AND month = $2",
            [u.id.to_string(), month]
        );
        let detail = serde_json::json!({ "reopen_period": month, "reason": reason });
        tx.audit(
            AuditAction::Transition,
            EntityKind::OrgUnit,
            u.id.0,
            &u.path,
            &detail,
        )
        .await?;
        tx.commit().await
    }

    /// The reopened closes of `month` for `unit`, the latest first.
    pub async fn period_reopens(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
    ) -> Result<Vec<PeriodReopen>> {
        let u = self.org_unit(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM period_reopen WHERE org_unit_id = $1 AND month = $2 \
             ORDER BY reopened_at DESC",
            [u.id.to_string(), month],
            decode_reopen
        )
    }
}
