//! Merge, never discard: a person edited on a device from a version the server has moved
//! past. Field by field, against the values the device started from (`base`):
//!
//! - changed on the device only: the device's value is taken;
//! - changed on the server only, or on both to the same value: the server's stays;
//! - changed on both to different values: the server's stays and the field goes to the
//!   review list ([`Review`]) with the three values, who proposed the device's and when,
//!   for a bidan or admin to choose ([`Store::resolve_review`]).
//!
//! A device edit of a deleted person goes to review whole (field `deleted`). Every merge
//! and every choice is audited; NIK values stay out of the audit as everywhere.

use serde_json::{Map, Value};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all, fetch_opt};
use crate::model::{NewPerson, Person, PersonId};
use crate::person::person_input;
use crate::row::Get;
use crate::tx::Tx;

/// A person as edited on a device: what it started from (values and version) and what the
/// kader made of it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PersonEdit {
    pub base_version: i64,
    pub base: NewPerson,
    pub edited: NewPerson,
}

/// What a merge did.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub person: Person,
    /// Fields taken from the device.
    pub applied: Vec<String>,
    /// Fields sent to the review list (the server's value kept meanwhile).
    pub reviews: Vec<Uuid>,
}

/// One field waiting for a choice, or chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub id: Uuid,
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

fn fields(p: &NewPerson) -> Result<Map<String, Value>> {
    match serde_json::to_value(p) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(StoreError::invalid(
            "person",
            p.id,
            "tidak bisa dibandingkan",
        )),
    }
}

fn person_from(m: Map<String, Value>) -> Result<NewPerson> {
    serde_json::from_value(Value::Object(m))
        .map_err(|e| StoreError::invalid("person", "merged", e.to_string()))
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
    /// Stores a device's edit of a person, merged as the module says.
    pub async fn merge_person_edit(&mut self, edit: &PersonEdit) -> Result<Merged> {
        let id = edit.edited.id;
        if edit.base.id != id {
            return Err(StoreError::invalid(
                "base.id",
                edit.base.id,
                "bukan orang yang sama",
            ));
        }
        let state = self.row_state(EntityKind::Person, id.0).await?;
        if state.version == edit.base_version && !state.deleted {
            let (person, _) = self.update_person(edit.base_version, &edit.edited).await?;
            let applied = changed_fields(&edit.base, &edit.edited)?;
            return Ok(Merged {
                person,
                applied,
                reviews: Vec::new(),
            });
        }
        let current = self.person(id).await?;
        if state.deleted {
            let r = self
                .add_review(
                    &current,
                    "deleted",
                    Value::Bool(false),
                    Value::Bool(true),
                    Value::Bool(false),
                )
                .await?;
            return Ok(Merged {
                person: current,
                applied: Vec::new(),
                reviews: vec![r],
            });
        }
        let (base, mine, server) = (
            fields(&edit.base)?,
            fields(&edit.edited)?,
            fields(&person_input(&current))?,
        );
        let mut merged = server.clone();
        let (mut applied, mut conflicts) = (Vec::new(), Vec::new());
        for (field, device_value) in &mine {
            let base_value = base.get(field).cloned().unwrap_or(Value::Null);
            let server_value = server.get(field).cloned().unwrap_or(Value::Null);
            if *device_value == base_value || *device_value == server_value {
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
        let person = if applied.is_empty() {
            current.clone()
        } else {
            self.update_person(current.meta.version, &person_from(merged)?)
                .await?
                .0
        };
        let mut reviews = Vec::new();
        for (field, base_value, server_value, device_value) in conflicts {
            reviews.push(
                self.add_review(&person, &field, base_value, server_value, device_value)
                    .await?,
            );
        }
        let detail = serde_json::json!({
            "merge": { "base_version": edit.base_version, "applied": applied, "reviews": reviews },
        });
        self.audit(
            AuditAction::Update,
            EntityKind::Person,
            id.0,
            &person.org_path,
            &detail,
        )
        .await?;
        Ok(Merged {
            person,
            applied,
            reviews,
        })
    }

    async fn add_review(
        &mut self,
        p: &Person,
        field: &str,
        base: Value,
        server: Value,
        device: Value,
    ) -> Result<Uuid> {
        let by = self.actor.label();
        // The same edit sent again (a replayed push) finds its review already open.
        let device_text = device.to_string();
        let pid = p.id.to_string();
        let open = fetch_opt!(
            on_tx,
            self,
            "SELECT id FROM review WHERE entity_id = $1 AND field = $2 AND device_value = $3 \
             AND proposed_by = $4 AND resolved_at IS NULL",
            [&pid, field, &device_text, &by],
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
                EntityKind::Person.code(),
                p.id.to_string(),
                p.org_path.as_str(),
                field,
                base.to_string(),
                server.to_string(),
                device.to_string(),
                by,
                now
            ]
        );
        Ok(id)
    }
}

/// The fields `b` changes from `a`.
fn changed_fields(a: &NewPerson, b: &NewPerson) -> Result<Vec<String>> {
    let (a, b) = (fields(a)?, fields(b)?);
    Ok(b.iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect())
}

impl Store {
    /// [`Tx::merge_person_edit`] in a transaction of its own.
    pub async fn merge_person_edit(&self, actor: &Actor, edit: &PersonEdit) -> Result<Merged> {
        let mut tx = self.begin(actor).await?;
        let m = tx.merge_person_edit(edit).await?;
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

    /// Chooses for one review: `keep_device` writes the device's value into the person (a
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
        // Scope: the person's, read through the transaction's actor.
        let state = tx.row_state(EntityKind::Person, r.entity_id).await?;
        if r.resolution.is_some() {
            return Ok(r);
        }
        if keep_device && r.field != "deleted" {
            let current = tx.person(PersonId(r.entity_id)).await?;
            let before = person_input(&current);
            let mut m = fields(&before)?;
            m.insert(r.field.clone(), r.device_value.clone());
            let new = person_from(m)?;
            tx.update_person(current.meta.version, &new).await?;
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
            EntityKind::Person,
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
