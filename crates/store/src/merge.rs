//! Merge, never discard: a person or household edited on a device from a version the
//! server has moved past. Field by field, against the values the device started from (`base`):
//!
//! - changed on the device only: the device's value is taken;
//! - changed on the server only, or on both to the same value: the server's stays;
//! - changed on both to different values: the server's stays and the field goes to the
//!   review list ([`Review`]) with the three values, who proposed the device's and when,
//!   for a bidan or admin to choose ([`Store::resolve_review`]).
//!
//! The same rules merge a person with the parent's name, a referral's progress and a
//! pregnancy's end ([`PersonFields`], [`ReferralProgress`], [`PregnancyEnd`]).
//!
//! A device edit of a deleted record goes to review: the field `deleted` (keep it deleted,
//! or restore it) and each field the device changed. A deletion sent from a device is in
//! [`crate::deletion`]. Every merge and every choice is audited; NIK values stay out of
//! the audit as everywhere.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::deletion::REVIEW_DELETE_REASON;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all, fetch_opt};
use crate::ids::OrgPath;
use crate::model::{HouseholdId, NewHousehold, NewPerson, PersonId};
use crate::person::person_input;
use crate::registry::household_input;
use crate::row::Get;
use crate::tx::Tx;

/// A record as edited on a device: what it started from (values and version) and what the
/// kader made of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Edit<T> {
    pub base_version: i64,
    pub base: T,
    pub edited: T,
}

/// A person edited on a device.
pub type PersonEdit = Edit<NewPerson>;
/// A household edited on a device.
pub type HouseholdEdit = Edit<NewHousehold>;
/// A person edited on a device, the parent's name included (a laptop's edits).
pub type PersonFieldsEdit = Edit<PersonFields>;
/// A referral moved on (and its note written) on a device.
pub type ReferralEdit = Edit<ReferralProgress>;
/// A pregnancy's end recorded on a device.
pub type PregnancyEdit = Edit<PregnancyEnd>;

mod fields;
pub use fields::{PersonFields, PregnancyEnd, ReferralProgress};

/// A registry record a device may edit offline: how the merge reads and writes it.
pub trait Editable:
    serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + 'static
{
    const KIND: EntityKind;
    fn uuid(&self) -> Uuid;
    /// The record's editable fields as stored now, with its path.
    fn current(tx: &mut Tx, id: Uuid) -> impl Future<Output = Result<(Self, OrgPath)>> + Send;
    /// Writes `new` at `version` (scope, validation and audit as every update).
    fn write(tx: &mut Tx, version: i64, new: &Self) -> impl Future<Output = Result<()>> + Send;
    /// Whether the device's value of `field` is already covered by the server's (so it
    /// is neither taken nor reviewed), beyond being equal: e.g. a step already passed.
    fn settled(_field: &str, _server: &Value, _device: &Value) -> bool {
        false
    }
}

impl Editable for NewPerson {
    const KIND: EntityKind = EntityKind::Person;
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    async fn current(tx: &mut Tx, id: Uuid) -> Result<(Self, OrgPath)> {
        let p = tx.person(PersonId(id)).await?;
        Ok((person_input(&p), p.org_path.clone()))
    }
    async fn write(tx: &mut Tx, version: i64, new: &Self) -> Result<()> {
        tx.update_person(version, new).await.map(|_| ())
    }
}

impl Editable for NewHousehold {
    const KIND: EntityKind = EntityKind::Household;
    fn uuid(&self) -> Uuid {
        self.id.0
    }
    async fn current(tx: &mut Tx, id: Uuid) -> Result<(Self, OrgPath)> {
        let h = tx.household_row(HouseholdId(id)).await?;
        Ok((household_input(&h), h.org_path.clone()))
    }
    async fn write(tx: &mut Tx, version: i64, new: &Self) -> Result<()> {
        tx.update_household(version, new).await.map(|_| ())
    }
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged<T> {
    /// The record's editable fields as stored after the merge.
    pub record: T,
    /// Fields taken from the device.
    pub applied: Vec<String>,
    /// Fields sent to the review list (the server's value kept meanwhile).
    pub reviews: Vec<Uuid>,
}

/// One field waiting for a choice, or chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: Uuid,
    /// `Person`, `Household`, `Relationship`, `Pregnancy` or `Referral`.
    pub entity: EntityKind,
    pub entity_id: Uuid,
    pub field: String,
    pub base_value: Value,
    pub server_value: Value,
    pub device_value: Value,
    pub proposed_by: String,
    pub proposed_at: OffsetDateTime,
    /// `server` or `device`, once chosen.
    pub resolution: Option<String>,
}

fn fields<T: Editable>(r: &T) -> Result<Map<String, Value>> {
    match serde_json::to_value(r) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(StoreError::invalid(
            "record",
            r.uuid(),
            "tidak bisa dibandingkan",
        )),
    }
}

fn record_from<T: Editable>(m: Map<String, Value>) -> Result<T> {
    serde_json::from_value(Value::Object(m))
        .map_err(|e| StoreError::invalid("record", "merged", e.to_string()))
}

fn review(r: &impl Get) -> Result<Review> {
    let json = |col: &'static str| -> Result<Value> {
        let t = r.text(col)?;
        serde_json::from_str(&t).map_err(|_| StoreError::Corrupt {
            column: col,
            value: t,
        })
    };
    let id = |col: &'static str| -> Result<Uuid> {
        let t = r.text(col)?;
        Uuid::parse_str(&t).map_err(|_| StoreError::Corrupt {
            column: col,
            value: t,
        })
    };
    Ok(Review {
        id: id("id")?,
        entity: {
            let t = r.text("entity")?;
            EntityKind::from_code(&t).ok_or(StoreError::Corrupt {
                column: "entity",
                value: t,
            })?
        },
        entity_id: id("entity_id")?,
        field: r.text("field")?,
        base_value: json("base_value")?,
        server_value: json("server_value")?,
        device_value: json("device_value")?,
        proposed_by: r.text("proposed_by")?,
        proposed_at: r.time("proposed_at")?,
        resolution: r.opt_text("resolution")?,
    })
}

impl Tx {
    /// Stores a device's edit of a person or household, merged as the module says.
    pub async fn merge_edit<T: Editable>(&mut self, edit: &Edit<T>) -> Result<Merged<T>> {
        let id = edit.edited.uuid();
        if edit.base.uuid() != id {
            return Err(StoreError::invalid(
                "base.id",
                edit.base.uuid(),
                "bukan data yang sama",
            ));
        }
        let state = self.row_state(T::KIND, id).await?;
        if state.version == edit.base_version && !state.deleted {
            T::write(self, edit.base_version, &edit.edited).await?;
            let applied = changed_fields(&edit.base, &edit.edited)?;
            let (record, _) = T::current(self, id).await?;
            return Ok(Merged {
                record,
                applied,
                reviews: Vec::new(),
            });
        }
        let (current, path) = T::current(self, id).await?;
        let (base, mine, server) = (
            fields(&edit.base)?,
            fields(&edit.edited)?,
            fields(&current)?,
        );
        if state.deleted {
            // Deleted here, edited there: whether it stays deleted is a choice, and so is
            // each field the device changed (taken once the record is restored).
            let mut reviews = vec![
                self.add_review(
                    T::KIND,
                    id,
                    &path,
                    "deleted",
                    Value::Bool(false),
                    Value::Bool(true),
                    Value::Bool(false),
                )
                .await?,
            ];
            for (field, device_value) in &mine {
                let base_value = base.get(field).cloned().unwrap_or(Value::Null);
                let server_value = server.get(field).cloned().unwrap_or(Value::Null);
                if *device_value != base_value
                    && *device_value != server_value
                    && !T::settled(field, &server_value, device_value)
                {
                    reviews.push(
                        self.add_review(
                            T::KIND,
                            id,
                            &path,
                            field,
                            base_value,
                            server_value,
                            device_value.clone(),
                        )
                        .await?,
                    );
                }
            }
            return Ok(Merged {
                record: current,
                applied: Vec::new(),
                reviews,
            });
        }
        let mut merged = server.clone();
        let (mut applied, mut conflicts) = (Vec::new(), Vec::new());
        for (field, device_value) in &mine {
            let base_value = base.get(field).cloned().unwrap_or(Value::Null);
            let server_value = server.get(field).cloned().unwrap_or(Value::Null);
            if *device_value == base_value
                || *device_value == server_value
                || T::settled(field, &server_value, device_value)
            {
                continue;
            }
            if server_value == base_value {
                merged.insert(field.clone(), device_value.clone());
                applied.push(field.clone());
            } else {
                conflicts.push((
                    field.clone(),
                    base_value,
                    server_value,
                    device_value.clone(),
                ));
            }
        }
        let (record, path) = if applied.is_empty() {
            (current, path)
        } else {
            T::write(self, state.version, &record_from::<T>(merged)?).await?;
            T::current(self, id).await?
        };
        let mut reviews = Vec::new();
        for (field, base_value, server_value, device_value) in conflicts {
            reviews.push(
                self.add_review(
                    T::KIND,
                    id,
                    &path,
                    &field,
                    base_value,
                    server_value,
                    device_value,
                )
                .await?,
            );
        }
        let detail = serde_json::json!({
            "merge": { "base_version": edit.base_version, "applied": applied, "reviews": reviews },
        });
        self.audit(AuditAction::Update, T::KIND, id, &path, &detail)
            .await?;
        Ok(Merged {
            record,
            applied,
            reviews,
        })
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn add_review(
        &mut self,
        kind: EntityKind,
        entity_id: Uuid,
        path: &OrgPath,
        field: &str,
        base: Value,
        server: Value,
        device: Value,
    ) -> Result<Uuid> {
        let by = self.actor.label();
        // The same edit sent again (a replayed push) finds its review already open.
        let device_text = device.to_string();
        let eid = entity_id.to_string();
        let open = fetch_opt!(
            on_tx,
            self,
            "SELECT id FROM review WHERE entity_id = $1 AND field = $2 AND device_value = $3 \
             AND proposed_by = $4 AND resolved_at IS NULL",
            [&eid, field, &device_text, &by],
            |r| Get::text(r, "id")
        )?;
        if let Some(id) = open.and_then(|t| Uuid::parse_str(&t).ok()) {
            return Ok(id);
        }
        let id = Uuid::now_v7();
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO review (id, entity, entity_id, org_path, field, base_value, \
             server_value, device_value, proposed_by, proposed_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            [
                id.to_string(),
                kind.code(),
                &eid,
                path.as_str(),
                field,
                base.to_string(),
                server.to_string(),
                device_text,
                by,
                now
            ]
        );
        Ok(id)
    }

    /// Writes a review's device value into its record, now at `version` (a new version).
    async fn take_device_value<T: Editable>(&mut self, r: &Review, version: i64) -> Result<()> {
        let (current, _) = T::current(self, r.entity_id).await?;
        let mut m = fields(&current)?;
        m.insert(r.field.clone(), r.device_value.clone());
        T::write(self, version, &record_from::<T>(m)?).await
    }
}

/// The fields `b` changes from `a`.
fn changed_fields<T: Editable>(a: &T, b: &T) -> Result<Vec<String>> {
    let (a, b) = (fields(a)?, fields(b)?);
    Ok(b.iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect())
}

impl Store {
    /// [`Tx::merge_edit`] in a transaction of its own.
    pub async fn merge_edit<T: Editable>(
        &self,
        actor: &Actor,
        edit: &Edit<T>,
    ) -> Result<Merged<T>> {
        let mut tx = self.begin(actor).await?;
        let m = tx.merge_edit(edit).await?;
        tx.commit().await?;
        Ok(m)
    }

    /// The fields of `person` waiting for a choice, oldest first (scoped: another unit's
    /// person is `OutOfScope`).
    pub async fn open_reviews(&self, actor: &Actor, person: PersonId) -> Result<Vec<Review>> {
        let p = self.person(actor, person).await?;
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM review WHERE entity_id = $1 AND org_path = $2 \
             AND resolved_at IS NULL ORDER BY proposed_at, id",
            [p.id.to_string(), p.org_path.as_str()],
            review
        )
    }

    /// The reviews waiting in the actor's subtree, oldest first (at most `limit`).
    pub async fn open_reviews_in_scope(&self, actor: &Actor, limit: u32) -> Result<Vec<Review>> {
        let (lo, hi) = actor.scope.range();
        fetch_all!(
            on_pool,
            self,
            "SELECT * FROM review WHERE org_path >= $1 AND org_path < $2 \
             AND resolved_at IS NULL ORDER BY proposed_at, id LIMIT $3",
            [&lo, &hi, i64::from(limit.max(1))],
            review
        )
    }

    /// Chooses for one review: `keep_device` writes the device's value into the record (a
    /// new version), otherwise the server's value stays. Choosing twice changes nothing.
    pub async fn resolve_review(
        &self,
        actor: &Actor,
        id: Uuid,
        keep_device: bool,
    ) -> Result<Review> {
        let mut tx = self.begin(actor).await?;
        let key = id.to_string();
        let r = fetch_opt!(
            on_tx,
            tx,
            "SELECT * FROM review WHERE id = $1",
            [&key],
            review
        )?
        .ok_or(StoreError::NotFound {
            entity: EntityKind::Person,
            id,
        })?;
        // Scope: the record's, read through the transaction's actor.
        let state = tx.row_state(r.entity, r.entity_id).await?;
        if r.resolution.is_some() {
            return Ok(r);
        }
        if keep_device && r.field == "deleted" {
            // The device deleted it (device `true`), or kept it while it was deleted here.
            if r.device_value == Value::Bool(true) && !state.deleted {
                tx.soft_delete(r.entity, r.entity_id, state.version, REVIEW_DELETE_REASON)
                    .await?;
            } else if r.device_value == Value::Bool(false) && state.deleted {
                tx.restore(r.entity, r.entity_id, state.version).await?;
            }
        } else if keep_device {
            if state.deleted {
                // A field of a deleted record: restore it first (its `deleted` review).
                return Err(StoreError::Deleted {
                    entity: r.entity,
                    id: r.entity_id,
                });
            }
            match r.entity {
                EntityKind::Household => {
                    tx.take_device_value::<NewHousehold>(&r, state.version)
                        .await?
                }
                EntityKind::Person => {
                    tx.take_device_value::<PersonFields>(&r, state.version)
                        .await?
                }
                EntityKind::Referral => {
                    tx.take_device_value::<ReferralProgress>(&r, state.version)
                        .await?
                }
                EntityKind::Pregnancy => {
                    tx.take_device_value::<PregnancyEnd>(&r, state.version)
                        .await?
                }
                other => {
                    return Err(StoreError::invalid(
                        "entity",
                        other.code(),
                        "tidak ada isian untuk dipilih",
                    ));
                }
            }
        }
        let choice = if keep_device { "device" } else { "server" };
        let now = tx.now;
        let by = tx.actor.label();
        execute!(
            on_tx,
            tx,
            "UPDATE review SET resolved_at = $1, resolved_by = $2, resolution = $3 WHERE id = $4",
            [now, by, choice, &key]
        );
        let detail = serde_json::json!({ "review": key, "field": r.field, "resolution": choice });
        tx.audit(
            AuditAction::Update,
            r.entity,
            r.entity_id,
            &state.path,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(Review {
            resolution: Some(choice.into()),
            ..r
        })
    }
}
