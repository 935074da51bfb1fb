//! The monthly report's stored summaries (migration 0013): each unit's own numbers of a
//! month, computed by `report::monthly` and kept so that a kabupaten's month is a sum of
//! stored rows. The store does not know what the numbers mean; it keeps them with the
//! stamp they were computed at and says the current stamps, so the report can tell which
//! summaries still hold. The triggers of 0013 bump the stamps in every writing
//! transaction, so no write path can forget to.
//!
//! A summary is derived data, not a change of anyone's record: writing one is not audited
//! (the reads that produce it are the report's, scoped like every read).

use std::collections::HashMap;

use crate::actor::Actor;
use crate::db::{EngineKind, Store};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all};
use crate::ids::OrgUnitId;
use crate::row::Get;

/// One unit's stored summary of a month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The unit's path (the persons registered at exactly this unit).
    pub org_path: String,
    /// The unit's stamp for the month when the numbers were computed.
    pub stamp: i64,
    /// The numbers, as the report serialises them.
    pub numbers: String,
}

impl Store {
    /// The stamp of each unit under `unit` (itself included) for `month` (`2026-10`): the
    /// count of writes that can change its numbers of that month. Units never written are
    /// absent (stamp 0).
    pub async fn summary_stamps(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
    ) -> Result<HashMap<String, i64>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        let rows = fetch_all!(
            on_pool,
            self,
            "SELECT org_path, CAST(SUM(gen) AS BIGINT) AS stamp FROM report_gen \
             WHERE org_path >= $1 AND org_path < $2 AND month <= $3 GROUP BY org_path",
            [&lo, &hi, month],
            |r: &_| Ok((Get::text(r, "org_path")?, Get::int(r, "stamp")?))
        )?;
        Ok(rows.into_iter().collect())
    }

    /// The summaries of `month` stored for the units under `unit` by code of `version`.
    pub async fn summaries(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
        version: i64,
    ) -> Result<Vec<Summary>> {
        let (lo, hi) = self.unit_range(actor, unit).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT org_path, stamp, numbers FROM report_cache WHERE org_path >= $1 \
             AND org_path < $2 AND month = $3 AND version = $4",
            [&lo, &hi, month, version],
            |r: &_| Ok(Summary {
                org_path: Get::text(r, "org_path")?,
                stamp: Get::int(r, "stamp")?,
                numbers: Get::text(r, "numbers")?,
            })
        )
    }

    /// Stores summaries of `month` for units under `unit` (one transaction). A summary
    /// already stored at a later stamp is kept: a slower reader cannot replace a newer one.
    pub async fn put_summaries(
        &self,
        actor: &Actor,
        unit: OrgUnitId,
        month: &str,
        version: i64,
        rows: &[Summary],
    ) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let (lo, hi) = self.unit_range(actor, unit).await?;
        if let Some(out) = rows
            .iter()
            .find(|r| r.org_path.as_str() < lo.as_str() || r.org_path.as_str() >= hi.as_str())
        {
            return Err(StoreError::invalid(
                "org_path",
                &out.org_path,
                "di luar unit laporan",
            ));
        }
        let mut tx = self.begin(actor).await?;
        for r in rows {
            execute!(
                on_tx,
                tx,
                "INSERT INTO report_cache (org_path, month, version, stamp, numbers) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_path, month) DO UPDATE \
                 SET version = excluded.version, stamp = excluded.stamp, numbers = excluded.numbers \
                 WHERE report_cache.version <> excluded.version OR report_cache.stamp <= excluded.stamp",
                [&r.org_path, month, version, r.stamp, &r.numbers]
            );
        }
        if self.kind() == EngineKind::Postgres {
            // Fold the appended stamp rows of the range into one per unit and month: the
            // sums (the stamps) stay what they are, in one statement. Writers only append,
            // so they are not held; a concurrent fold waits, then skips the rows this one
            // deleted. SQLite keeps one row per unit and month already (see 0013).
            execute!(
                on_tx,
                tx,
                "WITH gone AS (DELETE FROM report_gen WHERE org_path >= $1 AND org_path < $2 \
                 RETURNING org_path, month, gen) INSERT INTO report_gen (org_path, month, gen) \
                 SELECT org_path, month, SUM(gen) FROM gone GROUP BY org_path, month",
                [&lo, &hi]
            );
        }
        tx.commit().await
    }
}
