//! The laptop's side of the push: what it has to send ([`Store::outgoing`]) and what the
//! server's answers mean for it ([`Store::mark_pushed`]).

use super::*;

/// The server's answer to one pushed item, as [`Store::mark_pushed`] notes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushAnswer {
    /// Stored, duplicate or merged.
    Accepted,
    /// Refused for a reason that can change (or not answered): sent again next time.
    Retry,
    /// Refused for good (`final` in the answer), with the server's message: parked.
    Refused(String),
}

/// An item parked by this answer: not sent again until its row changes here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parked {
    pub kind: EntityKind,
    pub id: Uuid,
    /// The server's message, or the parked row this one points at.
    pub reason: String,
}

/// What noting a push's answers did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pushed {
    /// Server rows held for an edit now answered, written.
    pub applied: Applied,
    /// Items parked now (each is reported once: it is not sent again).
    pub parked: Vec<Parked>,
}

impl Outgoing {
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    pub fn id(&self) -> Uuid {
        self.id
    }

    /// The item as the push carries it: `{"Measurement": {…}, "captured_by": "…"}`.
    pub fn wire(&self) -> Value {
        let mut v = serde_json::to_value(&self.item).unwrap_or(Value::Null);
        if let (Some(by), Value::Object(m)) = (&self.captured_by, &mut v) {
            m.insert("captured_by".into(), by.clone().into());
        }
        v
    }
}

impl Store {
    /// What this database has to send to `server` after its send cursor, reading at most
    /// `limit` rows of its own feed; with `retry`, also the items refused last time and
    /// registry rows made here behind the cursor that never reached the server (made
    /// before the push could create them).
    pub async fn outgoing(&self, server: &str, limit: u32, retry: bool) -> Result<OutgoingBatch> {
        let server = server_key(server);
        let state = self.sync_state(&server).await?;
        let feed = self
            .pull_changes(&sync_actor(), state.pushed_seq, limit)
            .await?;
        let mut batch = OutgoingBatch {
            upto: feed.next_after,
            more: feed.more,
            ..Default::default()
        };
        let mut records: Vec<Record> = feed.changes.into_iter().map(|c| c.record).collect();
        if retry {
            let again: Vec<(String, String)> = fetch_all!(
                on_pool,
                self,
                "SELECT entity, entity_id FROM sync_retry WHERE server = $1 \
                 AND parked_seq IS NULL",
                [&server],
                |r| Ok((Get::text(r, "entity")?, Get::text(r, "entity_id")?))
            )?;
            for (entity, id) in again {
                let Some(kind) = EntityKind::from_code(&entity) else {
                    continue;
                };
                let sql = format!("SELECT * FROM {} WHERE id = $1", kind.table());
                if let Some(rec) =
                    fetch_opt!(on_pool, self, sqlx::AssertSqlSafe(sql), [&id], |r| {
                        row::record(kind, r)
                    })?
                    && !records.iter().any(|r| r.uuid() == rec.uuid())
                {
                    records.push(rec);
                }
            }
            // Registered here before the push could send creates (the cursor moved past
            // them then): rows behind the cursor the server never gave nor took.
            for kind in [
                EntityKind::Household,
                EntityKind::Person,
                EntityKind::Relationship,
                EntityKind::Pregnancy,
                EntityKind::Referral,
            ] {
                let sql = format!(
                    "SELECT * FROM {} WHERE seq <= $1 AND deleted_at IS NULL AND id NOT IN \
                     (SELECT entity_id FROM sync_base WHERE server = $2) ORDER BY seq",
                    kind.table()
                );
                let behind: Vec<Record> = fetch_all!(
                    on_pool,
                    self,
                    sqlx::AssertSqlSafe(sql),
                    [state.pushed_seq, &server],
                    |r| row::record(kind, r)
                )?;
                for rec in behind {
                    if !records.iter().any(|r| r.uuid() == rec.uuid()) {
                        records.push(rec);
                    }
                }
            }
        }
        let parked: HashMap<String, i64> = fetch_all!(
            on_pool,
            self,
            "SELECT entity_id, parked_seq FROM sync_retry WHERE server = $1 \
             AND parked_seq IS NOT NULL",
            [&server],
            |r| Ok((Get::text(r, "entity_id")?, Get::int(r, "parked_seq")?))
        )?
        .into_iter()
        .collect();
        for rec in records {
            let (kind, id, seq) = (rec.kind(), rec.uuid(), rec.meta().seq);
            let key = id.to_string();
            // Refused for good and unchanged since: not sent again.
            if parked.get(&key) == Some(&seq) {
                continue;
            }
            let base = fetch_opt!(
                on_pool,
                self,
                "SELECT version, local_seq, base, COALESCE(pushed_seq, -1) AS pushed_seq \
                 FROM sync_base WHERE server = $1 AND entity_id = $2",
                [&server, &key],
                |r| Ok((
                    Get::int(r, "version")?,
                    Get::int(r, "local_seq")?,
                    Get::opt_text(r, "base")?,
                    Some(Get::int(r, "pushed_seq")?).filter(|s| *s >= 0)
                ))
            )?;
            let deleted = rec.meta().deleted.as_ref();
            let out = |item: OutgoingItem, captured_by: Option<String>, whole: bool| Outgoing {
                item,
                captured_by,
                kind,
                id,
                local_seq: seq,
                whole,
            };
            let items: Vec<Outgoing> = match (&base, rec.as_capture()) {
                // Made here: sent, unless deleted before it ever left.
                (None, Some(c)) if deleted.is_none() => {
                    let by = rec.captured_by().map(str::to_owned);
                    vec![out(OutgoingItem::Capture(c), by, true)]
                }
                (None, None) if deleted.is_none() => match rec.as_create() {
                    Some((c, whole)) => {
                        let by = match c {
                            Create::NewReferral(_) => self.creator(id).await?,
                            _ => None,
                        };
                        // Moved on here before it was sent: the create, then the steps.
                        let steps = match (whole, created_state(&c)) {
                            (false, Some(from)) => edit(&rec, 1, &to_json(&from, id)?)?,
                            _ => None,
                        };
                        let mut v = vec![out(OutgoingItem::Create(c), by, whole)];
                        match steps {
                            Some(e) => v.push(out(e, None, true)),
                            // A create sent without the later steps made here: not sent.
                            None => batch.not_sent += u64::from(!whole),
                        }
                        v
                    }
                    None => Vec::new(),
                },
                (Some((_, local, _, pushed)), _) if *local == seq || *pushed == Some(seq) => {
                    continue;
                }
                (Some((version, ..)), None) if deleted.is_some() => {
                    let reason = deleted.map_or("", |d| d.reason.as_str());
                    deletion(&rec, *version, reason)
                        .map(|e| out(e, None, true))
                        .into_iter()
                        .collect()
                }
                (Some((version, _, Some(b), _)), None) => edit(&rec, *version, b)?
                    .map(|e| out(e, None, true))
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            };
            if items.is_empty() {
                batch.not_sent += 1;
            }
            batch.items.extend(items);
        }
        // What is pointed at first: the feed's order is kept within each rank.
        batch.items.sort_by_key(|o| o.item.rank());
        Ok(batch)
    }

    /// Notes the server's answer to a push of `batch`: `answers[i]` for `batch.items[i]`
    /// (a missing answer is [`PushAnswer::Retry`]). Items refused for a reason that can
    /// change are kept to send again; those refused for good, or pointing at a row parked
    /// so, are parked; the send cursor moves to `batch.upto`; a server row held for an
    /// edit now answered is written.
    pub async fn mark_pushed(
        &self,
        server: &str,
        batch: &OutgoingBatch,
        answers: &[PushAnswer],
    ) -> Result<Pushed> {
        let server = server_key(server);
        let mut tx = self.begin(&sync_actor()).await?;
        let mut done = Pushed::default();
        let mut written = Vec::new();
        for (i, out) in batch.items.iter().enumerate() {
            let key = out.id.to_string();
            let answer = answers.get(i).unwrap_or(&PushAnswer::Retry);
            let refused = match answer {
                PushAnswer::Accepted => None,
                PushAnswer::Refused(why) => Some(why.clone()),
                PushAnswer::Retry => tx.parked_reference(&server, out).await?,
            };
            if let Some(reason) = refused {
                execute!(
                    on_tx,
                    tx,
                    "INSERT INTO sync_retry (server, entity, entity_id, parked_seq, \
                     parked_reason) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (server, entity_id) \
                     DO UPDATE SET parked_seq = excluded.parked_seq, \
                     parked_reason = excluded.parked_reason",
                    [&server, out.kind.code(), &key, out.local_seq, &reason]
                );
                done.parked.push(Parked {
                    kind: out.kind,
                    id: out.id,
                    reason,
                });
                continue;
            }
            if *answer == PushAnswer::Retry {
                execute!(
                    on_tx,
                    tx,
                    "INSERT INTO sync_retry (server, entity, entity_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (server, entity_id) DO UPDATE SET parked_seq = NULL, \
                     parked_reason = NULL",
                    [&server, out.kind.code(), &key]
                );
                continue;
            }
            execute!(
                on_tx,
                tx,
                "DELETE FROM sync_retry WHERE server = $1 AND entity_id = $2",
                [&server, &key]
            );
            if let OutgoingItem::Create(c) = &out.item {
                tx.note_sent_create(&server, out, c).await?;
            }
            if let OutgoingItem::Edit(_) = out.item {
                execute!(
                    on_tx,
                    tx,
                    "UPDATE sync_base SET pushed_seq = $1 WHERE server = $2 AND entity_id = $3",
                    [out.local_seq, &server, &key]
                );
                if let Some(pending) = tx.sync_base(&server, out.id).await?.and_then(|b| b.pending)
                {
                    let rec: Record =
                        serde_json::from_str(&pending).map_err(|_| StoreError::Corrupt {
                            column: "sync_base.pending",
                            value: key.clone(),
                        })?;
                    tx.apply_one(&server, 0, &rec, &mut done.applied, &mut written)
                        .await?;
                }
            }
        }
        tx.audit_pulled(&server, &written).await?;
        let mut state = tx.state(&server).await?;
        state.pushed_seq = state.pushed_seq.max(batch.upto);
        tx.set_state(&server, state).await?;
        tx.commit().await?;
        Ok(done)
    }

    /// Who made a record here, from its create's audit row (a referral has no column).
    async fn creator(&self, id: Uuid) -> Result<Option<String>> {
        fetch_opt!(
            on_pool,
            self,
            "SELECT actor FROM audit_log WHERE entity_id = $1 AND action = $2 \
             ORDER BY at LIMIT 1",
            [id.to_string(), AuditAction::Create.code()],
            |r| Get::text(r, "actor")
        )
    }
}

impl Tx {
    /// For an item refused for a reason that can change: a row it points at that is
    /// parked (so it cannot succeed either until that one is sent), as the reason.
    async fn parked_reference(&mut self, server: &str, out: &Outgoing) -> Result<Option<String>> {
        if matches!(out.item, OutgoingItem::Edit(_)) {
            return Ok(None);
        }
        let Some(rec) = self.local_record(out.kind, out.id).await? else {
            return Ok(None);
        };
        for (kind, id) in rec.references() {
            let key = id.to_string();
            let parked = fetch_opt!(
                on_tx,
                self,
                "SELECT entity_id FROM sync_retry WHERE server = $1 AND entity_id = $2 \
                 AND parked_seq IS NOT NULL",
                [server, &key],
                |r| Get::text(r, "entity_id")
            )?;
            if parked.is_some() {
                return Ok(Some(format!("menunggu {} {id} yang ditolak", kind.code())));
            }
        }
        Ok(None)
    }
}

/// `v` as the JSON a `sync_base.base` holds.
fn to_json(v: &impl Serialize, id: Uuid) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::invalid("record", id, e.to_string()))
}

/// The deletion of a registry record deleted here, from its noted version.
fn deletion(rec: &Record, base_version: i64, reason: &str) -> Option<OutgoingItem> {
    let d = Deletion {
        id: rec.uuid(),
        base_version,
        reason: reason.to_owned(),
    };
    Some(OutgoingItem::Edit(match rec {
        Record::Person(_) => OutgoingEdit::PersonDelete(d),
        Record::Household(_) => OutgoingEdit::HouseholdDelete(d),
        Record::Relationship(_) => OutgoingEdit::RelationshipDelete(d),
        Record::Pregnancy(_) => OutgoingEdit::PregnancyDelete(d),
        Record::Referral(_) => OutgoingEdit::ReferralDelete(d),
        _ => return None,
    }))
}

/// The edit of a record changed here, from its noted base (the fields `editable_json`
/// gives: the base and the edit are the same shape).
fn edit(rec: &Record, base_version: i64, base: &str) -> Result<Option<OutgoingItem>> {
    fn read<T: serde::de::DeserializeOwned>(base: &str, id: Uuid) -> Result<T> {
        serde_json::from_str(base).map_err(|_| StoreError::Corrupt {
            column: "sync_base.base",
            value: id.to_string(),
        })
    }
    let (id, Some(now)) = (rec.uuid(), rec.editable_json()) else {
        return Ok(None);
    };
    Ok(Some(OutgoingItem::Edit(match rec {
        Record::Person(_) => OutgoingEdit::PersonEdit(PersonFieldsEdit {
            base_version,
            base: read(base, id)?,
            edited: read(&now, id)?,
        }),
        Record::Household(_) => OutgoingEdit::HouseholdEdit(HouseholdEdit {
            base_version,
            base: read(base, id)?,
            edited: read(&now, id)?,
        }),
        Record::Pregnancy(_) => OutgoingEdit::PregnancyEdit(PregnancyEdit {
            base_version,
            base: read(base, id)?,
            edited: read(&now, id)?,
        }),
        Record::Referral(_) => OutgoingEdit::ReferralEdit(ReferralEdit {
            base_version,
            base: read(base, id)?,
            edited: read(&now, id)?,
        }),
        _ => return Ok(None),
    })))
}
