//! The sync push: a device's batch of captures, each answered on its own.
//!
//! Captures are events with client-made ids, so a batch can be sent again any number of
//! times (a phone that lost the answer, a batch cut off halfway): what is stored already
//! answers `Duplicate`, the rest is stored once. The batch is tried in one transaction
//! (one commit for the lot, the common case); if any item fails, it is rolled back and every
//! item is stored in a transaction of its own, so one bad item (a value out of range, a
//! unit outside the device user's subtree) is answered as refused and never costs the
//! others. The pull side is [`Store::pull_changes`].

use crate::actor::Actor;
use crate::codes::EntityKind;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::model::{BatchOutcome, Capture};
use crate::refs::capture_uuid;

/// What became of one pushed capture.
#[derive(Debug)]
pub enum PushOutcome {
    Stored,
    /// Its id was stored already (this batch, or an earlier send of it).
    Duplicate,
    /// Not stored: why (nothing of it was written).
    Refused(StoreError),
}

impl Store {
    /// Stores `captures` for `actor`, answering each in order (see the module doc). Only a
    /// failure of the store itself (the database unreachable) fails the whole call.
    pub async fn push_captures(
        &self,
        actor: &Actor,
        captures: &[Capture],
    ) -> Result<Vec<PushOutcome>> {
        if captures.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.begin(actor).await?;
        match tx.capture_batch_ids(captures).await {
            Ok(inserted) => {
                tx.commit().await?;
                let mut seen = std::collections::HashSet::new();
                return Ok(captures
                    .iter()
                    .map(|c| {
                        let key: (EntityKind, uuid::Uuid) = (c.kind(), capture_uuid(c));
                        // An id twice in one batch is stored once: the second is a duplicate.
                        if inserted.contains(&key) && seen.insert(key) {
                            PushOutcome::Stored
                        } else {
                            PushOutcome::Duplicate
                        }
                    })
                    .collect());
            }
            Err(e) if is_fatal(&e) => return Err(e),
            Err(_) => tx.rollback().await?,
        }
        let mut out = Vec::with_capacity(captures.len());
        for c in captures {
            out.push(match self.store_one(actor, c).await {
                Ok(o) if o.inserted == 1 => PushOutcome::Stored,
                Ok(_) => PushOutcome::Duplicate,
                Err(e) if is_fatal(&e) => return Err(e),
                Err(e) => PushOutcome::Refused(e),
            });
        }
        Ok(out)
    }

    async fn store_one(&self, actor: &Actor, c: &Capture) -> Result<BatchOutcome> {
        let mut tx = self.begin(actor).await?;
        let o = tx.capture_batch(std::slice::from_ref(c)).await?;
        tx.commit().await?;
        Ok(o)
    }
}

/// A failure of the store rather than of an item: retried later by the device, not
/// answered as the item's fault.
fn is_fatal(e: &StoreError) -> bool {
    match e {
        StoreError::Database(sqlx::Error::Database(db)) => !matches!(
            db.kind(),
            sqlx::error::ErrorKind::ForeignKeyViolation
                | sqlx::error::ErrorKind::CheckViolation
                | sqlx::error::ErrorKind::NotNullViolation
                | sqlx::error::ErrorKind::UniqueViolation
        ),
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => {
            f.code != rusqlite::ErrorCode::ConstraintViolation
        }
        StoreError::Database(_) | StoreError::Sqlite(_) | StoreError::GroupLost => true,
        _ => false,
    }
}
