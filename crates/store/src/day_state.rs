//! Closing and reopening a service day. A closed day's summary is final: the service-day
//! operations refuse captures into it (`web::day`), until someone in scope reopens it (a
//! late entry, a day closed by mistake). Both are one audited update of the day's row.

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::execute;
use crate::model::{ServiceDay, ServiceDayId};

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
        if day.closed.is_some() == closed {
            return Ok(day);
        }
        let mut tx = self.begin(actor).await?;
        let state = tx
            .check_version(EntityKind::ServiceDay, id.0, day.meta.version)
            .await?;
        let seq = tx.next_seq(1).await?;
        let now = tx.now;
        let (at, by) = if closed {
            (Some(now), Some(actor.label()))
        } else {
            (None, None)
        };
        let key = id.to_string();
        let done = execute!(
            on_tx,
            tx,
            "UPDATE service_day SET closed_at = $1, closed_by = $2, updated_at = $3, \
             version = version + 1, seq = $4 WHERE id = $5 AND version = $6",
            [at, by, now, seq, &key, day.meta.version]
        );
        if done != 1 {
            return Err(StoreError::Conflict {
                entity: EntityKind::ServiceDay,
                id: id.0,
                expected: day.meta.version,
                actual: day.meta.version + 1,
            });
        }
        let detail = serde_json::json!({ "closed": closed });
        tx.audit(
            AuditAction::Update,
            EntityKind::ServiceDay,
            id.0,
            &state.path,
            &detail,
        )
        .await?;
        tx.commit().await?;
        self.service_day(actor, id).await
    }
}
