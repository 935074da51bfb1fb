//! Registry records created on a device (a laptop, a phone) and sent in the push with the
//! device's own ids: households, persons, relationships, pregnancies and referrals. Each is
//! written through the store's own `create_*` (validation, scope, audit) in a transaction
//! of its own, so one refused create costs no other.
//!
//! Sent again (a lost answer, a cut push), the same id with the same content answers
//! `Duplicate`. The same id with other content is never guessed at:
//!
//! - a person or household: each field that differs goes to the review list (server's
//!   value kept, the device's proposed, no common base) and the create answers `Reviewed`.
//!   This is the merge's rule, chosen over a refusal because a refused create would sit on
//!   the device forever while the pull overwrites the device's values: a review keeps them
//!   until a bidan or admin chooses;
//! - a relationship, pregnancy or referral (no review for them): refused naming the first
//!   field that differs, [`CONFLICTING`].
//!
//! Order inside a push: households, persons, relationships and pregnancies before the
//! captures (which point at them), referrals after the captures (a referral may point at a
//! finding of the same push).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::ids::OrgPath;
use crate::model::*;
use crate::person::person_input;
use crate::registry::household_input;
use crate::sync::is_fatal;
use crate::tx::Tx;

/// Why a create sent again with other content is refused.
pub const CONFLICTING: &str = "bertentangan dengan data tersimpan";

/// How the store words a reference to a row that is not there (yet) or deleted.
const MISSING: &str = "tidak ditemukan atau sudah dihapus";

/// Whether a refusal of a pushed item is final: sending the same item again cannot
/// succeed (its own values, a contradiction with what is stored, a unit outside the
/// account's subtree). A row it points at that is missing, deleted or out of scope, or a
/// version moved on, can change: that refusal is not final. (An org unit out of scope is
/// told apart from one not there; the tree is no secret, a person's existence is.)
pub fn refusal_is_final(e: &StoreError) -> bool {
    match e {
        StoreError::Invalid { reason, .. } => reason != MISSING,
        StoreError::OutOfScope { entity, .. } => *entity == EntityKind::OrgUnit,
        _ => false,
    }
}

/// Provenance of a record made on a device that syncs through an account (a laptop):
/// who the device says made it (its `captured_by`, a user id or `system:<name>`) and
/// the pushing account, as `"<device's> via <account>"` (just the account when they are
/// the same). The pushing account stays the audit row's actor: it vouches for the push;
/// the device's name is what it says, kept apart by `via`.
pub fn device_author(actor: &Actor, device: Option<&str>) -> Result<Option<String>> {
    let Some(device) = device.map(str::trim).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    if device.chars().count() > 200 {
        return Err(StoreError::invalid(
            "captured_by",
            device,
            "lebih dari 200 karakter",
        ));
    }
    let me = actor.label();
    Ok(Some(if device == me {
        me
    } else {
        format!("{device} via {me}")
    }))
}

/// A person created on a device, with the parent's name a register gives (`Nama Ibu`),
/// which is not one of [`NewPerson`]'s fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonCreate {
    #[serde(flatten)]
    pub person: NewPerson,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_name: Option<String>,
}

/// A registry create in a push (`{"NewPerson": {…}}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Create {
    NewHousehold(NewHousehold),
    NewPerson(PersonCreate),
    NewRelationship(NewRelationship),
    NewPregnancy(NewPregnancy),
    NewReferral(NewReferral),
}

impl Create {
    /// The item names a push reads as creates.
    pub const NAMES: [&str; 5] = [
        "NewHousehold",
        "NewPerson",
        "NewRelationship",
        "NewPregnancy",
        "NewReferral",
    ];

    pub fn kind(&self) -> EntityKind {
        match self {
            Create::NewHousehold(_) => EntityKind::Household,
            Create::NewPerson(_) => EntityKind::Person,
            Create::NewRelationship(_) => EntityKind::Relationship,
            Create::NewPregnancy(_) => EntityKind::Pregnancy,
            Create::NewReferral(_) => EntityKind::Referral,
        }
    }

    pub fn uuid(&self) -> Uuid {
        match self {
            Create::NewHousehold(x) => x.id.0,
            Create::NewPerson(x) => x.person.id.0,
            Create::NewRelationship(x) => x.id.0,
            Create::NewPregnancy(x) => x.id.0,
            Create::NewReferral(x) => x.id.0,
        }
    }

    /// Whether it goes before the captures of a push (see the module doc).
    pub fn before_captures(&self) -> bool {
        !matches!(self, Create::NewReferral(_))
    }

    /// Its place among the creates: what is pointed at first.
    pub fn rank(&self) -> u8 {
        match self {
            Create::NewHousehold(_) => 0,
            Create::NewPerson(_) => 1,
            Create::NewRelationship(_) | Create::NewPregnancy(_) => 2,
            Create::NewReferral(_) => 3,
        }
    }
}

/// What became of one pushed create.
#[derive(Debug)]
pub enum CreateOutcome {
    Stored,
    /// Stored before with this content: nothing to do.
    Duplicate,
    /// Stored before with other content: the fields that differ went to the review list.
    Reviewed(Vec<Uuid>),
    /// Not stored: why (nothing of it was written).
    Refused(StoreError),
}

/// A field name as the errors carry it.
fn static_field(name: &str) -> &'static str {
    const FIELDS: [&str; 28] = [
        "household_id",
        "org_unit_id",
        "kk_number",
        "head_name",
        "address",
        "rt",
        "rw",
        "name",
        "sex",
        "birth_date",
        "birth_date_estimated",
        "nik",
        "nik_is_mother",
        "phone",
        "parent_name",
        "person_id",
        "kind",
        "related_person_id",
        "lmp",
        "due_date",
        "gravida",
        "para",
        "abortus",
        "high_risk",
        "finding_id",
        "referred_on",
        "to_facility",
        "reason",
    ];
    FIELDS.into_iter().find(|f| *f == name).unwrap_or("record")
}

fn object(v: &impl Serialize) -> Map<String, Value> {
    match serde_json::to_value(v) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// Text compared as the store keeps it (trimmed).
fn norm(v: Value) -> Value {
    match v {
        Value::String(s) => Value::String(s.trim().to_owned()),
        v => v,
    }
}

/// The fields where `sent` differs from `stored`: (field, stored value, sent value).
fn differing(stored: &impl Serialize, sent: &impl Serialize) -> Vec<(String, Value, Value)> {
    let (stored, sent) = (object(stored), object(sent));
    sent.into_iter()
        .filter_map(|(k, v)| {
            let there = norm(stored.get(&k).cloned().unwrap_or(Value::Null));
            let v = norm(v);
            (there != v).then_some((k, there, v))
        })
        .collect()
}

/// The refusal naming the first field that differs (never its value for a NIK or KK).
fn conflict(diff: &[(String, Value, Value)]) -> StoreError {
    let (field, value) = diff
        .first()
        .map(|(f, _, v)| (static_field(f), v.to_string()))
        .unwrap_or(("record", String::new()));
    let value = if matches!(field, "nik" | "kk_number") {
        "<redacted>".to_owned()
    } else {
        value
    };
    StoreError::invalid(field, value, CONFLICTING)
}

impl Tx {
    /// Stores one create from a device, as the module says.
    pub async fn create_from_device(&mut self, c: &Create) -> Result<CreateOutcome> {
        let (outcome, diff, path) = match c {
            Create::NewHousehold(new) => {
                let s = self.create_household(new).await?;
                let diff = differing(&household_input(&s.record), new);
                (s.outcome, diff, s.record.org_path)
            }
            Create::NewPerson(new) => {
                let (s, _) = self
                    .create_person_with_parent_name(&new.person, new.parent_name.as_deref())
                    .await?;
                let mut diff = differing(&person_input(&s.record), &new.person);
                // A parent's name not sent is not a difference (the server may know it).
                if let Some(sent) = &new.parent_name
                    && s.record.parent_name.as_deref().map(str::trim) != Some(sent.trim())
                {
                    diff.push((
                        "parent_name".into(),
                        s.record.parent_name.clone().into(),
                        sent.clone().into(),
                    ));
                }
                (s.outcome, diff, s.record.org_path)
            }
            Create::NewRelationship(new) => {
                let s = self.create_relationship(new).await?;
                let r = &s.record;
                let stored = NewRelationship {
                    id: r.id,
                    person_id: r.person_id,
                    kind: r.kind,
                    related_person_id: r.related_person_id,
                };
                (s.outcome, differing(&stored, new), s.record.org_path)
            }
            Create::NewPregnancy(new) => {
                let s = self.open_pregnancy(new).await?;
                let r = &s.record;
                let stored = NewPregnancy {
                    id: r.id,
                    person_id: r.person_id,
                    lmp: r.lmp,
                    due_date: r.due_date,
                    gravida: r.gravida,
                    para: r.para,
                    abortus: r.abortus,
                    high_risk: r.high_risk,
                };
                (s.outcome, differing(&stored, new), s.record.org_path)
            }
            Create::NewReferral(new) => {
                let s = self.create_referral(new).await?;
                let r = &s.record;
                let stored = NewReferral {
                    id: r.id,
                    person_id: r.person_id,
                    finding_id: r.finding_id,
                    org_unit_id: r.org_unit_id,
                    referred_on: r.referred_on,
                    to_facility: r.to_facility.clone(),
                    reason: r.reason.clone(),
                };
                (s.outcome, differing(&stored, new), s.record.org_path)
            }
        };
        if outcome == Outcome::Inserted {
            return Ok(CreateOutcome::Stored);
        }
        if diff.is_empty() {
            return Ok(CreateOutcome::Duplicate);
        }
        let kind = c.kind();
        // parent_name has no review (it is not an editable field): refused like the rest.
        let reviewable = matches!(kind, EntityKind::Person | EntityKind::Household)
            && diff.iter().all(|(f, _, _)| f != "parent_name");
        if !reviewable {
            return Err(conflict(&diff));
        }
        self.review_create(kind, c.uuid(), &path, diff).await
    }

    /// The fields of a create sent again with other content, to the review list.
    async fn review_create(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        path: &OrgPath,
        diff: Vec<(String, Value, Value)>,
    ) -> Result<CreateOutcome> {
        let mut reviews = Vec::with_capacity(diff.len());
        let mut fields = Vec::with_capacity(diff.len());
        for (field, server, device) in diff {
            reviews.push(
                self.add_review(kind, id, path, &field, Value::Null, server, device)
                    .await?,
            );
            fields.push(field);
        }
        let detail = serde_json::json!({
            "merge": { "created_on_device": true, "fields": fields, "reviews": reviews },
        });
        self.audit(AuditAction::Update, kind, id, path, &detail)
            .await?;
        Ok(CreateOutcome::Reviewed(reviews))
    }
}

impl Store {
    /// Stores `creates` for `actor` in the order given, each in a transaction of its own,
    /// answering each (see the module doc). Only a failure of the store itself (the
    /// database unreachable) fails the whole call.
    pub async fn push_creates(
        &self,
        actor: &Actor,
        creates: &[Create],
    ) -> Result<Vec<CreateOutcome>> {
        self.push_creates_from(actor, creates, &[]).await
    }

    /// [`Store::push_creates`] with who made each create on the device (`by[i]` for
    /// `creates[i]`, see [`device_author`]), named in its audit detail.
    pub async fn push_creates_from(
        &self,
        actor: &Actor,
        creates: &[Create],
        by: &[Option<String>],
    ) -> Result<Vec<CreateOutcome>> {
        let mut out = Vec::with_capacity(creates.len());
        for (i, c) in creates.iter().enumerate() {
            let mut tx = self.begin(actor).await?;
            let author = device_author(actor, by.get(i).and_then(|b| b.as_deref()));
            let done = match author {
                Ok(Some(a)) => {
                    tx.captured_by.insert(c.uuid(), a);
                    tx.create_from_device(c).await
                }
                Ok(None) => tx.create_from_device(c).await,
                Err(e) => Err(e),
            };
            match done {
                Ok(o) => {
                    tx.commit().await?;
                    out.push(o);
                }
                Err(e) if is_fatal(&e) => return Err(e),
                Err(e) => {
                    tx.rollback().await?;
                    out.push(CreateOutcome::Refused(e));
                }
            }
        }
        Ok(out)
    }
}
