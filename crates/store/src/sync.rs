//! The sync push: a device's batch of captures, each answered on its own.
//!
//! Captures are events with client-made ids, so a batch can be sent again any number of
//! times (a phone that lost the answer, a batch cut off halfway): what is stored already
//! answers `Duplicate`, the rest is stored once. The batch is tried in one transaction
//! (one commit for the lot, the common case); if any item fails, it is rolled back and every
//! item is stored in a transaction of its own, so one bad item (a value out of range, a
//! unit outside the device user's subtree) is answered as refused and never costs the
//! others. The pull side is [`Store::pull_changes`].
//!
//! Two devices offline record the same person's arrival on the same service day, each with
//! its own visit id; the store keeps one visit per person and day. The second device's visit
//! is answered [`PushOutcome::SameAs`] the visit already there, and the captures of the
//! same batch that point at it are stored on that visit: nothing measured is refused for
//! it. (A later batch must use the id the answer names.)

use std::collections::HashMap;

use crate::actor::Actor;
use crate::codes::EntityKind;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::model::{BatchOutcome, Capture, VisitId};
use crate::push_create::device_author;
use crate::refs::capture_uuid;

/// What became of one pushed capture.
#[derive(Debug)]
pub enum PushOutcome {
    Stored,
    /// Its id was stored already (this batch, or an earlier send of it).
    Duplicate,
    /// Not stored: why (nothing of it was written).
    Refused(StoreError),
    /// A visit not stored because the person's visit of that service day is there already
    /// (another device's): this batch's captures on it were stored on that one.
    SameAs(VisitId),
}

impl Store {
    /// Stores `captures` for `actor`, answering each in order (see the module doc). Only a
    /// failure of the store itself (the database unreachable) fails the whole call.
    pub async fn push_captures(
        &self,
        actor: &Actor,
        captures: &[Capture],
    ) -> Result<Vec<PushOutcome>> {
        self.push_captures_from(actor, captures, &[]).await
    }

    /// [`Store::push_captures`] with who made each capture on the device (`by[i]` for
    /// `captures[i]`; see [`crate::push_create::device_author`]): stored as its
    /// `captured_by`, the pushing account the audit's actor.
    pub async fn push_captures_from(
        &self,
        actor: &Actor,
        captures: &[Capture],
        by: &[Option<String>],
    ) -> Result<Vec<PushOutcome>> {
        if captures.is_empty() {
            return Ok(Vec::new());
        }
        let mut authors = HashMap::new();
        let mut refused = HashMap::new();
        for (i, c) in captures.iter().enumerate() {
            match device_author(actor, by.get(i).and_then(|b| b.as_deref())) {
                Ok(Some(a)) => {
                    authors.insert(capture_uuid(c), a);
                }
                Ok(None) => {}
                Err(e) => {
                    refused.insert(i, e);
                }
            }
        }
        // A bad author fails only its item: the batch goes item by item.
        if refused.is_empty() {
            let mut tx = self.begin(actor).await?;
            tx.captured_by = authors.clone();
            match tx.capture_batch_ids(captures).await {
                Ok(inserted) => {
                    tx.commit().await?;
                    let mut seen = std::collections::HashSet::new();
                    return Ok(captures
                        .iter()
                        .map(|c| {
                            let key: (EntityKind, uuid::Uuid) = (c.kind(), capture_uuid(c));
                            // An id twice in one batch is stored once: the second is a
                            // duplicate.
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
        }
        let mut out = Vec::with_capacity(captures.len());
        let mut same_as: HashMap<VisitId, VisitId> = HashMap::new();
        for (i, c) in captures.iter().enumerate() {
            if let Some(e) = refused.remove(&i) {
                out.push(PushOutcome::Refused(e));
                continue;
            }
            let c = on_visit(c, &same_as);
            let by = authors.get(&capture_uuid(&c)).cloned();
            out.push(match self.store_one(actor, &c, by).await {
                Ok(o) if o.inserted == 1 => PushOutcome::Stored,
                Ok(_) => PushOutcome::Duplicate,
                Err(e) if e.is_unique_violation() => match self.visit_there(actor, &c).await? {
                    Some(there) => {
                        if let Capture::Visit(v) = &c {
                            same_as.insert(v.id, there);
                        }
                        PushOutcome::SameAs(there)
                    }
                    None => PushOutcome::Refused(e),
                },
                Err(e) if is_fatal(&e) => return Err(e),
                Err(e) => PushOutcome::Refused(e),
            });
        }
        Ok(out)
    }

    /// For a visit refused as a second one of its person and service day: the visit there.
    async fn visit_there(&self, actor: &Actor, c: &Capture) -> Result<Option<VisitId>> {
        let Capture::Visit(v) = c else {
            return Ok(None);
        };
        let Some(day) = v.service_day_id else {
            return Ok(None);
        };
        Ok(self
            .visit_on_day(actor, day, v.person_id)
            .await?
            .map(|there| there.id)
            .filter(|id| *id != v.id))
    }

    async fn store_one(
        &self,
        actor: &Actor,
        c: &Capture,
        by: Option<String>,
    ) -> Result<BatchOutcome> {
        let mut tx = self.begin(actor).await?;
        if let Some(by) = by {
            tx.captured_by.insert(capture_uuid(c), by);
        }
        let o = tx.capture_batch(std::slice::from_ref(c)).await?;
        tx.commit().await?;
        Ok(o)
    }
}

/// `c`, pointing at the visit its own visit was found to be (see the module doc).
fn on_visit(c: &Capture, same_as: &HashMap<VisitId, VisitId>) -> Capture {
    let mut c = c.clone();
    let visit = match &mut c {
        Capture::Measurement(m) => &mut m.visit_id,
        Capture::Dose(d) => &mut d.visit_id,
        Capture::Screening(s) => &mut s.visit_id,
        Capture::Finding(f) => &mut f.visit_id,
        Capture::ServiceDay(_) | Capture::Visit(_) => return c,
    };
    if let Some(there) = visit.and_then(|v| same_as.get(&v)) {
        *visit = Some(*there);
    }
    c
}

/// A failure of the store rather than of an item: retried later by the device, not
/// answered as the item's fault.
pub(crate) fn is_fatal(e: &StoreError) -> bool {
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
