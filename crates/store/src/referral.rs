//! Referrals and their lifecycle: dibuat → diterima → ditindaklanjuti → selesai, one step at
//! a time, each step versioned and audited.

use crate::codes::{AuditAction, EntityKind, ReferralStatus};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::ReferralId;
use crate::model::*;
use crate::registry::conflict_unless;
use crate::row;
use crate::tx::{Tx, audit_value};

impl Tx {
    /// Creates a referral in status `dibuat`.
    pub async fn create_referral(&mut self, new: &NewReferral) -> Result<Stored<Referral>> {
        if new.to_facility.trim().is_empty() {
            return Err(StoreError::invalid(
                "to_facility",
                &new.to_facility,
                "wajib diisi",
            ));
        }
        if new.reason.trim().is_empty() {
            return Err(StoreError::invalid("reason", &new.reason, "wajib diisi"));
        }
        self.person_in_scope(new.person_id).await?;
        let path = self.unit_path_in_scope(new.org_unit_id).await?;
        let key = new.id.to_string();
        if let Some(r) = self.try_referral(&key).await? {
            if !self.actor.can_see(&r.org_path) {
                return Err(StoreError::OutOfScope {
                    entity: EntityKind::Referral,
                    id: new.id.0,
                });
            }
            return Ok(Stored {
                record: r,
                outcome: Outcome::Duplicate,
            });
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO referral (id, person_id, finding_id, org_unit_id, org_path, day, to_facility, \
             reason, status, status_note, version, seq, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, 1, $10, $11, $11)",
            [
                &key,
                new.person_id.to_string(),
                new.finding_id.map(|f| f.to_string()),
                new.org_unit_id.to_string(),
                path.as_str(),
                new.referred_on,
                new.to_facility.trim(),
                new.reason.trim(),
                ReferralStatus::Created.code(),
                seq,
                now
            ]
        );
        self.audit(
            AuditAction::Create,
            EntityKind::Referral,
            new.id.0,
            &path,
            &audit_value(new),
        )
        .await?;
        let record = self.referral(new.id).await?;
        Ok(Stored {
            record,
            outcome: Outcome::Inserted,
        })
    }

    /// Moves a referral one step forward; any other move is [`StoreError::InvalidTransition`].
    pub async fn advance_referral(
        &mut self,
        id: ReferralId,
        expected_version: i64,
        to: ReferralStatus,
        note: Option<&str>,
    ) -> Result<Referral> {
        let state = self
            .check_version(EntityKind::Referral, id.0, expected_version)
            .await?;
        let current = self.referral(id).await?;
        if current.status.next() != Some(to) {
            return Err(StoreError::InvalidTransition {
                from: current.status,
                to,
            });
        }
        let seq = self.next_seq(1).await?;
        let now = self.now;
        let key = id.to_string();
        let note = note.map(str::trim).filter(|n| !n.is_empty());
        let n = execute!(
            on_tx,
            self,
            "UPDATE referral SET status = $1, status_note = $2, version = version + 1, seq = $3, \
             updated_at = $4 WHERE id = $5 AND version = $6 AND status = $7",
            [
                to.code(),
                note,
                seq,
                now,
                &key,
                expected_version,
                current.status.code()
            ]
        );
        conflict_unless(n, EntityKind::Referral, id.0, expected_version)?;
        let detail = serde_json::json!({ "from": current.status, "to": to, "note": note });
        self.audit(
            AuditAction::Transition,
            EntityKind::Referral,
            id.0,
            &state.path,
            &detail,
        )
        .await?;
        self.referral(id).await
    }

    async fn referral(&mut self, id: ReferralId) -> Result<Referral> {
        self.try_referral(&id.to_string())
            .await?
            .ok_or(StoreError::NotFound {
                entity: EntityKind::Referral,
                id: id.0,
            })
    }

    async fn try_referral(&mut self, key: &str) -> Result<Option<Referral>> {
        fetch_opt!(
            on_tx,
            self,
            "SELECT * FROM referral WHERE id = $1",
            [key],
            row::referral
        )
    }
}
