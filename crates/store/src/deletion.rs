//! A deletion sent from a device, merged like an edit (merge, never discard): a person,
//! household, relationship (which is never edited, only made and ended), pregnancy or
//! referral deleted on a phone or laptop from the version it saw.
//!
//! - Unchanged on the server since that version: it is deleted (soft, with the reason).
//! - Changed on the server since: it stays, and the review list gets the field `deleted`
//!   (server `false`, device `true`) for a bidan or admin to choose; a deletion never wins
//!   silently over someone's edit.
//! - Deleted already: nothing to do.
//!
//! The other way round (deleted on the server, edited on a device) is in [`crate::merge`].
//! Choosing the device's side of a `deleted` review deletes, or restores, the record
//! ([`Tx::restore`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::execute;
use crate::merge::Merged;
use crate::tx::Tx;

/// A record deleted on a device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deletion {
    pub id: Uuid,
    /// The version the device saw when it was deleted there.
    pub base_version: i64,
    pub reason: String,
}

/// Why a record is deleted when a bidan takes the device's side of a `deleted` review.
pub(crate) const REVIEW_DELETE_REASON: &str = "dihapus di perangkat, dipilih saat tinjauan";

impl Tx {
    /// Stores a device's deletion of a registry record, as the module says.
    pub async fn merge_delete(&mut self, kind: EntityKind, d: &Deletion) -> Result<Merged<()>> {
        if !matches!(
            kind,
            EntityKind::Person
                | EntityKind::Household
                | EntityKind::Relationship
                | EntityKind::Pregnancy
                | EntityKind::Referral
        ) {
            return Err(StoreError::invalid(
                "entity",
                kind.code(),
                "bukan data registrasi",
            ));
        }
        let state = self.row_state(kind, d.id).await?;
        if state.deleted {
            return Ok(Merged {
                record: (),
                applied: Vec::new(),
                reviews: Vec::new(),
            });
        }
        if state.version == d.base_version {
            self.soft_delete(kind, d.id, d.base_version, &d.reason)
                .await?;
            return Ok(Merged {
                record: (),
                applied: vec!["deleted".into()],
                reviews: Vec::new(),
            });
        }
        let review = self
            .add_review(
                kind,
                d.id,
                &state.path,
                "deleted",
                Value::Bool(false),
                Value::Bool(false),
                Value::Bool(true),
            )
            .await?;
        let detail = serde_json::json!({
            "merge": { "base_version": d.base_version, "deleted_on_device": true, "reviews": [review] },
        });
        self.audit(AuditAction::Update, kind, d.id, &state.path, &detail)
            .await?;
        Ok(Merged {
            record: (),
            applied: Vec::new(),
            reviews: vec![review],
        })
    }

    /// Undoes a soft delete at `expected_version` (a new version), audited.
    pub async fn restore(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        expected_version: i64,
    ) -> Result<()> {
        let state = self.row_state(kind, id).await?;
        if !state.deleted || state.version != expected_version {
            return Err(StoreError::Conflict {
                entity: kind,
                id,
                expected: expected_version,
                actual: state.version,
            });
        }
        let seq = self.next_seq(1).await?;
        let sql = format!(
            "UPDATE {} SET deleted_at = NULL, delete_reason = NULL, updated_at = $1, \
             version = version + 1, seq = $2 WHERE id = $3 AND version = $4",
            kind.table()
        );
        let now = self.now;
        let key = id.to_string();
        execute!(
            on_tx,
            self,
            sqlx::AssertSqlSafe(sql),
            [now, seq, &key, expected_version]
        );
        let detail = serde_json::json!({ "restored": true });
        self.audit(AuditAction::Update, kind, id, &state.path, &detail)
            .await
    }
}

impl Store {
    /// [`Tx::merge_delete`] in a transaction of its own.
    pub async fn merge_delete(
        &self,
        actor: &Actor,
        kind: EntityKind,
        d: &Deletion,
    ) -> Result<Merged<()>> {
        let mut tx = self.begin(actor).await?;
        let m = tx.merge_delete(kind, d).await?;
        tx.commit().await?;
        Ok(m)
    }
}
