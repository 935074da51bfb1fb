//! A laptop kept in step with a district server: the server's change feed applied here
//! ([`Store::apply_page`]), and what this database has to send back ([`Store::outgoing`],
//! [`Store::mark_pushed`]). The wire protocol is the phones' (`/api/v1/sync/pull` and
//! `/push`); the laptop is one more device of its user's subtree, and at the same time the
//! server of its own phones, which pull this database's feed. What to send and the
//! answers are in [`outgoing`]; a record's columns and references in [`rows`].
//!
//! **Pulled rows** keep the server's id, version, times and deletion; their change number
//! here (`seq`) is this database's own, so the phones of the laptop pull them too. Each
//! page is one transaction, and the last server number applied (`sync_state.pulled_seq`)
//! moves in it: a sync cut off anywhere resumes after the last page that committed, and a
//! page applied twice changes nothing (a row at the version already taken is left alone).
//!
//! **The base of an edit made here**: every row taken from the server is noted in
//! `sync_base` with the server's version, the change number it got here, and for a person
//! or household its editable fields as the server had them. A change number here other
//! than the noted one means the row was changed on the laptop since. Such a person or
//! household is never overwritten by a pulled row: [`Store::outgoing`] sends it as a
//! `PersonEdit` / `HouseholdEdit` (base = the noted fields and version), the server merges
//! it field by field (conflicts go to the server's review list), and the pull that follows
//! brings the merged row, which then replaces the laptop's (its change number is the one
//! noted as sent). A server row that arrives while an edit made here is still unsent is
//! held (`pending`) and written once the edit is answered. Other kinds have no edit in the
//! protocol: the server's row wins unless the laptop's has a higher version (a day closed
//! or a capture deleted here), which is kept and counted.
//!
//! **Made here**: captures (service days, visits, measurements, doses, screenings,
//! findings) and registry creates (households, persons, relationships, pregnancies,
//! referrals: `{"NewPerson": …}`, see `store::push_create`) are found in this database's
//! feed after `sync_state.pushed_seq`; rows noted in `sync_base` came from the server and
//! are not sent back. A batch is in dependency order (households, persons, the rest of the
//! creates, captures, referrals, edits), so a person registered here and its weighing
//! arrive in one push. A capture or referral carries who made it here (`captured_by`,
//! `store::device_author`). A create the server took is noted in `sync_base` (version 0:
//! the pull that follows brings the server's row); from then on the row is edited and
//! deleted like a pulled one. A referral moved on or a pregnancy ended here before its
//! create was sent goes as the create and, after it, the edit from the created state.
//!
//! **Edits made here** go from the noted base and version, merged by the server field by
//! field (`store::merge`): a person's fields and parent's name (`PersonEdit`), a
//! household's, a referral's status and note (`ReferralEdit`), a pregnancy's end
//! (`PregnancyEdit`). A person, household, relationship, pregnancy or referral deleted
//! here goes as `…Delete` from the noted version (the server reviews it if it changed
//! there). Changes the protocol cannot carry (org units and users made here, captures
//! deleted here) are counted as not sent.
//!
//! **Refused**: an item refused for a reason that can change (a row it points at not
//! there yet) is kept in `sync_retry` and sent again next time. One refused for good
//! (`store::refusal_is_final`), or pointing at a row parked so, is parked there with the
//! server's message and its change number here, reported once and not sent again until
//! the row changes here.
//!
//! **References**: the feed is in server number order, so a person may come before the
//! household it points at (changed later, hence a higher number). Such a row waits in
//! `sync_parked` and is written as soon as what it points at is here. The top unit of the
//! user's subtree comes without its parent (outside the subtree): it is stored as a root.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::db::Store;
use crate::deletion::Deletion;
use crate::direct::Param;
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_all, fetch_opt};
use crate::ids::OrgPath;
use crate::merge::{
    HouseholdEdit, PersonFields, PersonFieldsEdit, PregnancyEdit, PregnancyEnd, ReferralEdit,
    ReferralProgress,
};
use crate::model::*;
use crate::person::person_input;
use crate::push_create::{Create, PersonCreate};
use crate::registry::household_input;
use crate::row::{self, Get};
use crate::tx::{Tx, TxConn};

mod outgoing;
mod rows;

pub use outgoing::{Parked, PushAnswer, Pushed};

use rows::{Col, columns, content};

/// Where a laptop stands with one server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncState {
    /// The last number of the server's feed applied here.
    pub pulled_seq: i64,
    /// The last number of this database's feed sent to the server (or taken from it).
    pub pushed_seq: i64,
}

/// What applying pulled rows did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Rows written (new here, or a newer server version).
    pub written: u64,
    /// Rows already here at that version (a page applied again, a capture sent from here).
    pub unchanged: u64,
    /// Server rows not written because the laptop's row was changed here: a person or
    /// household edit to send first, or a newer version made here.
    pub kept: u64,
    /// Rows waiting for a row they point at, after this page (see the module doc); when
    /// pages are added up, the last page's count.
    pub parked: u64,
}

impl std::ops::AddAssign for Applied {
    fn add_assign(&mut self, o: Applied) {
        self.written += o.written;
        self.unchanged += o.unchanged;
        self.kept += o.kept;
        self.parked = o.parked;
    }
}

/// A registry edit or deletion made here, as the push carries it (`{"PersonEdit": …}`,
/// `{"PersonDelete": …}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OutgoingEdit {
    PersonEdit(PersonFieldsEdit),
    HouseholdEdit(HouseholdEdit),
    PregnancyEdit(PregnancyEdit),
    ReferralEdit(ReferralEdit),
    PersonDelete(Deletion),
    HouseholdDelete(Deletion),
    RelationshipDelete(Deletion),
    PregnancyDelete(Deletion),
    ReferralDelete(Deletion),
}

/// One item of a push, serialized as the server reads it: a registry create
/// (`{"NewPerson": …}`), a capture (`{"Visit": …}`) or an edit (`{"PersonEdit": …}`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum OutgoingItem {
    Create(Create),
    Capture(Capture),
    Edit(OutgoingEdit),
}

impl OutgoingItem {
    /// Its place in a push: what is pointed at goes first (the server orders a push the
    /// same way; see `store::push_create`).
    fn rank(&self) -> u8 {
        match self {
            OutgoingItem::Create(c) if c.before_captures() => c.rank(),
            OutgoingItem::Capture(_) => 10,
            OutgoingItem::Create(c) => 20 + c.rank(),
            OutgoingItem::Edit(_) => 30,
        }
    }
}

/// An item to send, with what [`Store::mark_pushed`] needs to note its answer.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub item: OutgoingItem,
    /// Who made it here (a capture's `captured_by`, a referral's creator): sent beside
    /// the item ([`Outgoing::wire`]) so the server keeps it.
    pub captured_by: Option<String>,
    kind: EntityKind,
    id: Uuid,
    /// The row's change number here when it was read.
    local_seq: i64,
    /// A create that carries the whole row (not so a referral advanced or a pregnancy
    /// closed here before it was sent: the create cannot say it).
    whole: bool,
}

/// A batch of what this database has to send ([`Store::outgoing`]).
#[derive(Debug, Clone, Default)]
pub struct OutgoingBatch {
    pub items: Vec<Outgoing>,
    /// The feed number this batch covers up to: [`Store::mark_pushed`] moves the state here.
    pub upto: i64,
    /// More of the feed after `upto`.
    pub more: bool,
    /// Changes made here that the protocol cannot send, in this batch: org units and users
    /// made here, captures deleted here.
    pub not_sent: u64,
}

/// A `sync_base` row.
struct Base {
    version: i64,
    local_seq: i64,
    pushed_seq: Option<i64>,
    pending: Option<String>,
}

/// The fields a device edits of a pregnancy or referral as its create made them (open, or
/// `dibuat` with no note): the base of the edit sent after the create.
fn created_state(c: &Create) -> Option<CreatedState> {
    match c {
        Create::NewPregnancy(p) => Some(CreatedState::Pregnancy(PregnancyEnd {
            id: p.id,
            outcome: None,
            outcome_date: None,
        })),
        Create::NewReferral(r) => Some(CreatedState::Referral(ReferralProgress {
            id: r.id,
            status: crate::codes::ReferralStatus::Created,
            status_note: None,
        })),
        _ => None,
    }
}

/// [`created_state`]'s answer, serialized as the fields alone.
#[derive(Serialize)]
#[serde(untagged)]
enum CreatedState {
    Pregnancy(PregnancyEnd),
    Referral(ReferralProgress),
}

fn sync_actor() -> Actor {
    Actor::system("sync")
}

/// The server URL as stored and audited: no password, no trailing slash.
fn server_key(server: &str) -> String {
    crate::db::redact_url(server.trim_end_matches('/'))
}

impl Tx {
    fn is_postgres(&self) -> bool {
        matches!(self.conn, TxConn::Postgres(_))
    }

    /// Whether a row exists here (or was written in this transaction).
    async fn exists(&mut self, kind: EntityKind, id: Uuid) -> Result<bool> {
        if self.known.contains(&(kind, id)) {
            return Ok(true);
        }
        let sql = format!("SELECT id FROM {} WHERE id = $1", kind.table());
        let key = id.to_string();
        let found = fetch_opt!(on_tx, self, sqlx::AssertSqlSafe(sql), [&key], |r| {
            Get::text(r, "id")
        })?
        .is_some();
        if found {
            self.known.insert((kind, id));
        }
        Ok(found)
    }

    async fn local_record(&mut self, kind: EntityKind, id: Uuid) -> Result<Option<Record>> {
        let sql = format!("SELECT * FROM {} WHERE id = $1", kind.table());
        let key = id.to_string();
        fetch_opt!(on_tx, self, sqlx::AssertSqlSafe(sql), [&key], |r| {
            row::record(kind, r)
        })
    }

    async fn sync_base(&mut self, server: &str, id: Uuid) -> Result<Option<Base>> {
        let key = id.to_string();
        fetch_opt!(
            on_tx,
            self,
            "SELECT version, local_seq, COALESCE(pushed_seq, -1) AS pushed_seq, pending \
             FROM sync_base WHERE server = $1 AND entity_id = $2",
            [server, &key],
            |r| Ok(Base {
                version: Get::int(r, "version")?,
                local_seq: Get::int(r, "local_seq")?,
                pushed_seq: Some(Get::int(r, "pushed_seq")?).filter(|s| *s >= 0),
                pending: Get::opt_text(r, "pending")?,
            })
        )
    }

    async fn note_base(&mut self, server: &str, rec: &Record, local_seq: i64) -> Result<()> {
        let (kind, key) = (rec.kind(), rec.uuid().to_string());
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_base (server, entity, entity_id, version, local_seq, base) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (server, entity_id) DO UPDATE SET \
             entity = excluded.entity, version = excluded.version, \
             local_seq = excluded.local_seq, base = excluded.base, pushed_seq = NULL, \
             pending = NULL",
            [
                server,
                kind.code(),
                &key,
                rec.meta().version,
                local_seq,
                rec.editable_json()
            ]
        );
        Ok(())
    }

    /// A create the server took: from now on the row has a base like one pulled. Its
    /// version there is noted as 0 (not known yet), so the pull that follows writes the
    /// server's row here unless the row changed here since (then it is an edit from the
    /// content sent). A create that did not carry the whole row notes no change number of
    /// this database, so the steps made here are kept against the server's first version.
    async fn note_sent_create(&mut self, server: &str, out: &Outgoing, c: &Create) -> Result<()> {
        let base = match c {
            Create::NewHousehold(h) => serde_json::to_string(h).ok(),
            Create::NewPerson(p) => serde_json::to_string(p).ok(),
            Create::NewPregnancy(_) | Create::NewReferral(_) => {
                created_state(c).and_then(|b| serde_json::to_string(&b).ok())
            }
            Create::NewRelationship(_) => None,
        };
        let local_seq = if out.whole { out.local_seq } else { -1 };
        let key = out.id.to_string();
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_base (server, entity, entity_id, version, local_seq, base) \
             VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT (server, entity_id) DO NOTHING",
            [server, out.kind.code(), &key, local_seq, base]
        );
        Ok(())
    }

    /// Writes `rec` (insert or replace) with the next change number here; returns it.
    async fn write_record(&mut self, rec: &Record) -> Result<i64> {
        let parent_here = match rec {
            Record::OrgUnit(u) => match u.parent_id {
                Some(p) => self.exists(EntityKind::OrgUnit, p.0).await?,
                None => true,
            },
            _ => true,
        };
        if let Record::Visit(v) = rec {
            self.retire_other_visit(v).await?;
        }
        let seq = self.next_seq(1).await?;
        let cols = columns(rec, seq, parent_here);
        let pg = self.is_postgres();
        let names: Vec<&str> = cols.iter().map(|(n, _)| *n).collect();
        let mut params = Vec::with_capacity(cols.len());
        let mut holes = Vec::with_capacity(cols.len());
        for (i, (name, col)) in cols.into_iter().enumerate() {
            let n = i + 1;
            match col {
                Col::P(p) => {
                    holes.push(format!("${n}"));
                    params.push(p);
                }
                Col::OptTime(t) => {
                    let cast = if !pg {
                        ""
                    } else if name.ends_with("_at") {
                        "::timestamptz"
                    } else {
                        "::date"
                    };
                    holes.push(format!("${n}{cast}"));
                    params.push(Param::Text(t.and_then(|t| t.format(&Rfc3339).ok())));
                }
            }
        }
        let updates: Vec<String> = names
            .iter()
            .skip(1)
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT (id) DO UPDATE SET {} RETURNING id",
            rec.kind().table(),
            names.join(", "),
            holes.join(", "),
            updates.join(", ")
        );
        self.fetch_ids(sql, &params).await?;
        self.known.insert((rec.kind(), rec.uuid()));
        Ok(seq)
    }

    /// A server visit of a person and service day where this database has another (made
    /// here; the server answered the push with `same_as` and moved its captures): the one
    /// here is retired (soft-deleted, naming the server's), so one visit per day remains.
    async fn retire_other_visit(&mut self, v: &Visit) -> Result<()> {
        let (Some(day), None) = (v.service_day_id, &v.meta.deleted) else {
            return Ok(());
        };
        let (d, p, me) = (day.to_string(), v.person_id.to_string(), v.id.to_string());
        let other = fetch_opt!(
            on_tx,
            self,
            "SELECT id FROM visit WHERE service_day_id = $1 AND person_id = $2 \
             AND deleted_at IS NULL AND id <> $3",
            [&d, &p, &me],
            |r| Get::text(r, "id")
        )?;
        let Some(other) = other else {
            return Ok(());
        };
        let seq = self.next_seq(1).await?;
        let (now, reason) = (self.now, format!("sama dengan kunjungan server {}", v.id));
        execute!(
            on_tx,
            self,
            "UPDATE visit SET deleted_at = $1, delete_reason = $2, updated_at = $1, \
             version = version + 1, seq = $3 WHERE id = $4",
            [now, &reason, seq, &other]
        );
        let id = Uuid::parse_str(&other).map_err(|_| StoreError::Corrupt {
            column: "visit.id",
            value: other.clone(),
        })?;
        let detail = serde_json::json!({ "reason": reason });
        self.audit(
            AuditAction::Delete,
            EntityKind::Visit,
            id,
            &v.org_path,
            &detail,
        )
        .await
    }

    /// Applies one pulled row (see the module doc); `written` collects what was written.
    async fn apply_one(
        &mut self,
        server: &str,
        seq: i64,
        rec: &Record,
        done: &mut Applied,
        written: &mut Vec<(EntityKind, Uuid, OrgPath)>,
    ) -> Result<()> {
        for (kind, id) in rec.references() {
            if !self.exists(kind, id).await? {
                let json = serde_json::to_string(rec)
                    .map_err(|e| StoreError::invalid("record", rec.uuid(), e.to_string()))?;
                execute!(
                    on_tx,
                    self,
                    "INSERT INTO sync_parked (server, seq, record) VALUES ($1, $2, $3) \
                     ON CONFLICT (server, seq) DO NOTHING",
                    [server, seq, &json]
                );
                done.parked += 1;
                return Ok(());
            }
        }
        let (kind, id) = (rec.kind(), rec.uuid());
        let version = rec.meta().version;
        let local = self.local_record(kind, id).await?;
        let base = self.sync_base(server, id).await?;
        if let Some(local) = &local {
            let local_seq = local.meta().seq;
            let changed_here = match &base {
                Some(b) => local_seq != b.local_seq && Some(local_seq) != b.pushed_seq,
                None => true,
            };
            if let Some(b) = &base
                && (version < b.version || (version == b.version && !changed_here))
            {
                done.unchanged += 1;
                return Ok(());
            }
            // A capture sent from here coming back: the same event (the server's times and
            // `captured_by`, the account that synced, are its bookkeeping), nothing to write.
            let own_capture = kind.is_capture() && base.is_none();
            if (own_capture && local.meta().version == version) || content(local) == content(rec) {
                self.note_base(server, rec, local_seq).await?;
                done.unchanged += 1;
                return Ok(());
            }
            let editable = matches!(
                kind,
                EntityKind::Person
                    | EntityKind::Household
                    | EntityKind::Pregnancy
                    | EntityKind::Referral
            );
            if changed_here && editable && base.is_some() {
                // The laptop's edit goes to the server first; this row waits for its answer.
                let json = serde_json::to_string(rec)
                    .map_err(|e| StoreError::invalid("record", id, e.to_string()))?;
                let key = id.to_string();
                execute!(
                    on_tx,
                    self,
                    "UPDATE sync_base SET pending = $1 WHERE server = $2 AND entity_id = $3",
                    [&json, server, &key]
                );
                done.kept += 1;
                return Ok(());
            }
            if changed_here && local.meta().version > version {
                done.kept += 1;
                return Ok(());
            }
        }
        let local_seq = self.write_record(rec).await?;
        self.note_base(server, rec, local_seq).await?;
        written.push((kind, id, rec.org_path().clone()));
        done.written += 1;
        Ok(())
    }

    /// Writes the parked rows whose references are here now, until none moves.
    async fn unpark(
        &mut self,
        server: &str,
        done: &mut Applied,
        written: &mut Vec<(EntityKind, Uuid, OrgPath)>,
    ) -> Result<()> {
        loop {
            let parked: Vec<(i64, String)> = fetch_all!(
                on_tx,
                self,
                "SELECT seq, record FROM sync_parked WHERE server = $1 ORDER BY seq",
                [server],
                |r| Ok((Get::int(r, "seq")?, Get::text(r, "record")?))
            )?;
            let mut moved = false;
            for (seq, json) in parked {
                let rec: Record = serde_json::from_str(&json).map_err(|_| StoreError::Corrupt {
                    column: "sync_parked.record",
                    value: seq.to_string(),
                })?;
                let mut ready = true;
                for (kind, id) in rec.references() {
                    ready &= self.exists(kind, id).await?;
                }
                if !ready {
                    continue;
                }
                execute!(
                    on_tx,
                    self,
                    "DELETE FROM sync_parked WHERE server = $1 AND seq = $2",
                    [server, seq]
                );
                self.apply_one(server, seq, &rec, done, written).await?;
                moved = true;
            }
            if !moved {
                return Ok(());
            }
        }
    }

    /// One audit row per kind for the rows a pull wrote.
    async fn audit_pulled(
        &mut self,
        server: &str,
        written: &[(EntityKind, Uuid, OrgPath)],
    ) -> Result<()> {
        let mut by_kind: HashMap<EntityKind, Vec<&(EntityKind, Uuid, OrgPath)>> = HashMap::new();
        for w in written {
            by_kind.entry(w.0).or_default().push(w);
        }
        for (kind, rows) in by_kind {
            let Some((_, first, path)) = rows.first().map(|r| (*r).clone()) else {
                continue;
            };
            let ids: Vec<String> = rows.iter().map(|r| r.1.to_string()).collect();
            let detail =
                serde_json::json!({ "pulled_from": server, "count": ids.len(), "ids": ids });
            self.audit(AuditAction::Update, kind, first, &path, &detail)
                .await?;
        }
        Ok(())
    }

    /// This database's last change number, on SQLite (its counter); `None` on PostgreSQL,
    /// where numbers are not one counter.
    async fn sqlite_last_seq(&mut self) -> Result<Option<i64>> {
        if self.is_postgres() {
            return Ok(None);
        }
        fetch_opt!(
            on_tx,
            self,
            "SELECT value FROM seq_counter WHERE id = 1",
            [],
            |r| Get::int(r, "value")
        )
    }

    async fn state(&mut self, server: &str) -> Result<SyncState> {
        Ok(fetch_opt!(
            on_tx,
            self,
            "SELECT pulled_seq, pushed_seq FROM sync_state WHERE server = $1",
            [server],
            |r| Ok(SyncState {
                pulled_seq: Get::int(r, "pulled_seq")?,
                pushed_seq: Get::int(r, "pushed_seq")?,
            })
        )?
        .unwrap_or_default())
    }

    async fn set_state(&mut self, server: &str, s: SyncState) -> Result<()> {
        let now = self.now;
        execute!(
            on_tx,
            self,
            "INSERT INTO sync_state (server, pulled_seq, pushed_seq, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (server) DO UPDATE SET \
             pulled_seq = excluded.pulled_seq, pushed_seq = excluded.pushed_seq, \
             updated_at = excluded.updated_at",
            [server, s.pulled_seq, s.pushed_seq, now]
        );
        Ok(())
    }
}

impl Store {
    /// Where this database stands with `server` (zeros before the first sync).
    pub async fn sync_state(&self, server: &str) -> Result<SyncState> {
        let server = server_key(server);
        Ok(fetch_opt!(
            on_pool,
            self,
            "SELECT pulled_seq, pushed_seq FROM sync_state WHERE server = $1",
            [&server],
            |r| Ok(SyncState {
                pulled_seq: Get::int(r, "pulled_seq")?,
                pushed_seq: Get::int(r, "pushed_seq")?,
            })
        )?
        .unwrap_or_default())
    }

    /// Applies one page of `server`'s change feed in one transaction, and notes
    /// `page.next_after` as pulled in it (see the module doc). A page at or below the
    /// number already pulled is applied again harmlessly.
    pub async fn apply_page(&self, server: &str, page: &ChangePage) -> Result<Applied> {
        let server = server_key(server);
        let mut tx = self.begin(&sync_actor()).await?;
        let mut state = tx.state(&server).await?;
        // Nothing of this database waiting to be sent: the rows written now came from the
        // server, so the send cursor moves past them (they are never scanned as outgoing).
        let before = tx.sqlite_last_seq().await?;
        let mut done = Applied::default();
        let mut written = Vec::new();
        for c in &page.changes {
            tx.apply_one(&server, c.seq, &c.record, &mut done, &mut written)
                .await?;
        }
        if done.written > 0 {
            tx.unpark(&server, &mut done, &mut written).await?;
        }
        done.parked = fetch_opt!(
            on_tx,
            tx,
            "SELECT COUNT(*) AS n FROM sync_parked WHERE server = $1",
            [&server],
            |r| Get::int(r, "n")
        )?
        .map_or(0, |n| u64::try_from(n).unwrap_or(0));
        tx.audit_pulled(&server, &written).await?;
        state.pulled_seq = state.pulled_seq.max(page.next_after);
        if let (Some(before), Some(after)) = (before, tx.sqlite_last_seq().await?)
            && state.pushed_seq == before
        {
            state.pushed_seq = after;
        }
        tx.set_state(&server, state).await?;
        tx.commit().await?;
        tracing::debug!(
            rows = page.changes.len(),
            written = done.written,
            unchanged = done.unchanged,
            kept = done.kept,
            parked = done.parked,
            "sync page applied"
        );
        Ok(done)
    }
}
