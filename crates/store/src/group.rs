//! Group commit: captures sent at the same moment by many phones share one transaction.
//!
//! Why: alone, every capture pays BEGIN, a sequence reservation, one insert and one audit
//! row per kind, and COMMIT, about ten statements, while SQLite lets one writer in at a time.
//! Queued together, the captures waiting while a transaction commits pay those once, as
//! one multi-row batch (bench/load.sh). Each caller still gets its own answer: a group that
//! fails for any reason (one caller's bad capture, a lost connection) is rolled back and its
//! members are stored one by one, each in its own transaction, so one caller's error is
//! never another's, and nothing is half-written.

use std::collections::HashSet;
use std::sync::Mutex;

use tokio::sync::oneshot;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::EntityKind;
use crate::db::Store;
use crate::error::{Result, StoreError};
use crate::model::{BatchOutcome, Capture};
use crate::refs::capture_uuid;

/// Most callers in one group: bounds how long the last of them waits for the commit.
const MAX_GROUP: usize = 128;

/// The callers waiting for the next group transaction.
#[derive(Default)]
pub(crate) struct Queue(Mutex<Vec<Pending>>);

struct Pending {
    actor: Actor,
    captures: Vec<Capture>,
    reply: oneshot::Sender<Result<BatchOutcome>>,
}

impl Queue {
    fn push(&self, p: Pending) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(p);
    }

    fn take(&self) -> Vec<Pending> {
        let mut q = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = q.len().min(MAX_GROUP);
        q.drain(..n).collect()
    }
}

impl Store {
    /// Stores `captures` for `actor` in a transaction of their own or shared with captures
    /// sent at the same moment; durable when this returns `Ok`. All or nothing for this
    /// caller, as [`crate::Tx::capture_batch`] in its own transaction.
    pub async fn capture_grouped(
        &self,
        actor: &Actor,
        captures: Vec<Capture>,
    ) -> Result<BatchOutcome> {
        let (reply, answer) = oneshot::channel();
        self.queue.push(Pending {
            actor: actor.clone(),
            captures,
            reply,
        });
        // The group runs in a task of its own: a caller that goes away (a phone that lost
        // signal) must not cancel the transaction other callers wait on. Every caller starts
        // one run and every run takes all who queued before it, so nobody is left waiting.
        let store = self.clone();
        tokio::spawn(async move { store.run_group().await });
        answer.await.map_err(|_| StoreError::GroupLost)?
    }

    async fn run_group(&self) {
        // The writer turn (SQLite's one writer; on PostgreSQL it orders this process's groups:
        // one group at a time keeps groups big, and other processes still write alongside).
        let turn = self.writer.clone().lock_owned().await;
        // Let the requests this worker is already handling reach the queue first: a
        // bigger group writes each index page once for more captures.
        tokio::task::yield_now().await;
        let members = self.queue.take();
        if members.is_empty() {
            return;
        }
        match self.store_group(&members, turn).await {
            Ok(outcomes) => {
                for (m, o) in members.into_iter().zip(outcomes) {
                    // A caller that went away has nobody to answer.
                    let _ = m.reply.send(Ok(o));
                }
            }
            Err(e) => {
                if members.len() > 1 {
                    tracing::debug!(error = %e, members = members.len(), "group rolled back; storing one by one");
                }
                for m in members {
                    let one = self.store_alone(&m.actor, &m.captures).await;
                    let _ = m.reply.send(one);
                }
            }
        }
    }

    /// Every member's captures in one transaction, one batch per actor (audit rows and
    /// `captured_by` name who sent them).
    async fn store_group(
        &self,
        members: &[Pending],
        turn: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<Vec<BatchOutcome>> {
        let mut tx = self.begin_in_turn(&members[0].actor, turn).await?;
        let mut inserted: HashSet<(EntityKind, Uuid)> = HashSet::new();
        let mut actors: Vec<&Actor> = Vec::new();
        for m in members {
            if !actors.contains(&&m.actor) {
                actors.push(&m.actor);
            }
        }
        for actor in actors {
            let captures: Vec<Capture> = members
                .iter()
                .filter(|m| m.actor == *actor)
                .flat_map(|m| m.captures.iter().cloned())
                .collect();
            tx.actor = actor.clone();
            inserted.extend(tx.capture_batch_ids(&captures).await?);
        }
        tx.commit().await?;
        // An id two callers both sent counts as inserted for the first of them only.
        let mut claimed = HashSet::new();
        Ok(members
            .iter()
            .map(|m| {
                let mut o = BatchOutcome::default();
                for c in &m.captures {
                    let key = (c.kind(), capture_uuid(c));
                    if inserted.contains(&key) && claimed.insert(key) {
                        o.inserted += 1;
                    } else {
                        o.duplicates += 1;
                    }
                }
                o
            })
            .collect())
    }

    async fn store_alone(&self, actor: &Actor, captures: &[Capture]) -> Result<BatchOutcome> {
        let mut tx = self.begin(actor).await?;
        let out = tx.capture_batch(captures).await?;
        tx.commit().await?;
        Ok(out)
    }
}
