//! Closing and reopening a service day. A closed day's summary is final: the service-day
//! operations refuse captures into it (`web::day`), until someone in scope reopens it (a
//! late entry, a day closed by mistake). Both are one audited update of the day's row.

use time::OffsetDateTime;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::model::{ServiceDay, ServiceDayId};
use crate::row::Get;
use crate::tx::Tx;

impl Store {
    /// Closes the day `id` on behalf of `actor` (it must be in the actor's subtree). Closing
    /// a closed day changes nothing: the first close is kept.
    pub async fn close_day(&self, actor: &Actor, id: ServiceDayId) -> Result<ServiceDay> {
        self.set_day_closed(actor, id, true).await
    }

    /// Reopens the day `id`; reopening an open day changes nothing.
    pub async fn reopen_day(&self, actor: &Actor, id: ServiceDayId) -> Result<ServiceDay> {
        self.set_day_closed(actor, id, false).await
    }

    async fn set_day_closed(
        &self,
        actor: &Actor,
        id: ServiceDayId,
        closed: bool,
    ) -> Result<ServiceDay> {
        let day = self.service_day(actor, id).await?;
        if day.closed.is_some() != closed {
            let mut tx = self.begin(actor).await?;
            let at = closed.then_some(tx.now);
            tx.set_day_closed(id, at).await?;
            tx.commit().await?;
        }
        self.service_day(actor, id).await
    }
}

impl Tx {
    /// Closes the day `id` at `at` (`None`: reopens it) in this transaction, by this
    /// transaction's actor. A day already closed (or open) is left as it is: `false`.
    pub async fn set_day_closed(
        &mut self,
        id: ServiceDayId,
        at: Option<OffsetDateTime>,
    ) -> Result<bool> {
        let kind = EntityKind::ServiceDay;
        let state = self.row_state(kind, id.0).await?;
        if state.deleted {
            return Err(StoreError::Deleted {
                entity: kind,
                id: id.0,
            });
        }
        let key = id.to_string();
        let closed = fetch_opt!(
            on_tx,
            self,
            "SELECT closed_at IS NOT NULL AS closed FROM service_day WHERE id = $1",
            [&key],
            |r| Get::flag(r, "closed")
        )?
        .unwrap_or(false);
        if closed == at.is_some() {
            return Ok(false);
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let by = at.map(|_| self.actor.label());
        let done = execute!(
            on_tx,
            self,
            "UPDATE service_day SET closed_at = $1, closed_by = $2, updated_at = $3, \
             version = version + 1, seq = $4 WHERE id = $5 AND version = $6",
            [at, by, now, seq, &key, state.version]
        );
        if done != 1 {
            return Err(StoreError::Conflict {
                entity: kind,
                id: id.0,
                expected: state.version,
                actual: state.version + 1,
            });
        }
        let detail = serde_json::json!({ "closed": at.is_some() });
        self.audit(AuditAction::Update, kind, id.0, &state.path, &detail)
            .await?;
        Ok(true)
    }
}
