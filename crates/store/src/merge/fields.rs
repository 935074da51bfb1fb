//! The other records a device changes offline, merged by the same per-field rules as a
//! person's or household's edit ([`super::Tx::merge_edit`]): a person with the parent's name
//! a register gives, a referral's progress, a pregnancy's end. Each names only the fields a
//! device may change and writes them through the store's own update (scope, version, audit).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use super::Editable;
use crate::codes::{AuditAction, EntityKind, PregnancyOutcome, ReferralStatus};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::{OrgPath, PersonId, PregnancyId, ReferralId};
use crate::model::NewPerson;
use crate::person::person_input;
use crate::registry::conflict_unless;
use crate::row;
use crate::tx::Tx;

/// A person's editable fields and the parent's name (`Nama Ibu`), which is not one of
/// [`NewPerson`]'s. The JSON is a [`NewPerson`]'s with an optional `parent_name`, so a
/// phone's `PersonEdit` (which never sends it) reads as one that leaves it alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonFields {
    #[serde(flatten)]
    pub person: NewPerson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_name: Option<String>,
}

/// What a device may change of a referral: its status, one step at a time forward
/// (dibuat → diterima → ditindaklanjuti → selesai), and the note of the last step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralProgress {
    pub id: ReferralId,
    pub status: ReferralStatus,
    pub status_note: Option<String>,
}

/// How a pregnancy ended, as a device recorded it (`None` while it goes on).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PregnancyEnd {
    pub id: PregnancyId,
    pub outcome: Option<PregnancyOutcome>,
    pub outcome_date: Option<Date>,
}

impl Editable for PersonFields {
    const KIND: EntityKind = EntityKind::Person;
    fn uuid(&self) -> Uuid {
        self.person.id.0
    }
    async fn current(tx: &mut Tx, id: Uuid) -> Result<(Self, OrgPath)> {
        let p = tx.person(PersonId(id)).await?;
        let fields = PersonFields {
            person: person_input(&p),
            parent_name: p.parent_name.clone(),
        };
        Ok((fields, p.org_path))
    }
    /// Only what differs is written: the parent's name has its own update.
    async fn write(tx: &mut Tx, version: i64, new: &Self) -> Result<()> {
        let (now, _) = Self::current(tx, new.uuid()).await?;
        let mut version = version;
        if now.person != new.person {
            version = tx.update_person(version, &new.person).await?.0.meta.version;
        }
        if now.parent_name != new.parent_name {
            // No update clears the name: `None` is refused as empty.
            let name = new.parent_name.as_deref().unwrap_or("");
            tx.set_parent_name(new.person.id, version, name).await?;
        }
        Ok(())
    }
}

impl Editable for ReferralProgress {
    const KIND: EntityKind = EntityKind::Referral;
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    async fn current(tx: &mut Tx, id: Uuid) -> Result<(Self, OrgPath)> {
        let r = fetch_opt!(
            on_tx,
            tx,
            "SELECT * FROM referral WHERE id = $1",
            [id.to_string()],
            row::referral
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Referral,
            id,
        })?;
        let p = ReferralProgress {
            id: r.id,
            status: r.status,
            status_note: r.status_note,
        };
        Ok((p, r.org_path))
    }
    /// The steps from the stored status to the new one, each through
    /// [`Tx::advance_referral`] (the note on the last); a note alone is its own update.
    async fn write(tx: &mut Tx, version: i64, new: &Self) -> Result<()> {
        let (now, path) = Self::current(tx, new.uuid()).await?;
        if rank(new.status) < rank(now.status) {
            return Err(StoreError::InvalidTransition {
                from: now.status,
                to: new.status,
            });
        }
        let (mut status, mut version) = (now.status, version);
        while status != new.status {
            let next = status.next().ok_or(StoreError::InvalidTransition {
                from: status,
                to: new.status,
            })?;
            let note = (next == new.status)
                .then_some(new.status_note.as_deref())
                .flatten();
            let r = tx.advance_referral(new.id, version, next, note).await?;
            (status, version) = (r.status, r.meta.version);
            if next == new.status {
                return Ok(());
            }
        }
        if now.status_note != new.status_note {
            set_referral_note(tx, new, version, &path, now.status_note.as_deref()).await?;
        }
        Ok(())
    }
    /// A step the server has already taken, or passed, is no conflict: the status only
    /// moves forward.
    fn settled(field: &str, server: &Value, device: &Value) -> bool {
        let read = |v: &Value| serde_json::from_value::<ReferralStatus>(v.clone()).ok();
        field == "status"
            && matches!((read(server), read(device)), (Some(s), Some(d)) if rank(d) <= rank(s))
    }
}

/// A referral's place in its lifecycle (0 for `dibuat`).
fn rank(s: ReferralStatus) -> usize {
    std::iter::successors(Some(ReferralStatus::Created), |s| s.next())
        .position(|x| x == s)
        .unwrap_or(0)
}

/// The note of a referral's last step changed without a step (a review chose the
/// device's note): a new version, audited like a step.
async fn set_referral_note(
    tx: &mut Tx,
    new: &ReferralProgress,
    version: i64,
    path: &OrgPath,
    old: Option<&str>,
) -> Result<()> {
    tx.check_version(EntityKind::Referral, new.id.0, version)
        .await?;
    let note = new
        .status_note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let seq = tx.next_seq(1).await?;
    let now = tx.now;
    let key = new.id.to_string();
    let n = execute!(
        on_tx,
        tx,
        "UPDATE referral SET status_note = $1, version = version + 1, seq = $2, \
         updated_at = $3 WHERE id = $4 AND version = $5",
        [note, seq, now, &key, version]
    );
    conflict_unless(n, EntityKind::Referral, new.id.0, version)?;
    let detail = serde_json::json!({ "changed": { "status_note": { "from": old, "to": note } } });
    tx.audit(
        AuditAction::Update,
        EntityKind::Referral,
        new.id.0,
        path,
        &detail,
    )
    .await
}

impl Editable for PregnancyEnd {
    const KIND: EntityKind = EntityKind::Pregnancy;
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    async fn current(tx: &mut Tx, id: Uuid) -> Result<(Self, OrgPath)> {
        let p = fetch_opt!(
            on_tx,
            tx,
            "SELECT * FROM pregnancy WHERE id = $1",
            [id.to_string()],
            row::pregnancy
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Pregnancy,
            id,
        })?;
        let end = PregnancyEnd {
            id: p.id,
            outcome: p.outcome,
            outcome_date: p.outcome_date,
        };
        Ok((end, p.org_path))
    }
    /// Through [`Tx::record_pregnancy_outcome`]; an end is recorded with both its outcome
    /// and date, and no update reopens a pregnancy.
    async fn write(tx: &mut Tx, version: i64, new: &Self) -> Result<()> {
        let (now, _) = Self::current(tx, new.uuid()).await?;
        if now == *new {
            return Ok(());
        }
        match (new.outcome, new.outcome_date) {
            (Some(o), Some(on)) => tx
                .record_pregnancy_outcome(new.id, version, o, on)
                .await
                .map(|_| ()),
            (Some(_), None) => Err(StoreError::invalid("outcome_date", "", "wajib diisi")),
            (None, _) => Err(StoreError::invalid(
                "outcome",
                "",
                "kehamilan yang selesai tidak bisa dibuka lagi",
            )),
        }
    }
}
