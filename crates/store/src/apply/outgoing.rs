//! The laptop's side of the push: what it has to send ([`Store::outgoing`]) and what the
//! server's answers mean for it ([`Store::mark_pushed`]).

use super::*;

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
                "SELECT entity, entity_id FROM sync_retry WHERE server = $1",
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
        for rec in records {
            let (kind, id, seq) = (rec.kind(), rec.uuid(), rec.meta().seq);
            let key = id.to_string();
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
            let mut whole = true;
            let item = match (&base, rec.as_capture()) {
                // Made here: sent, unless deleted before it ever left.
                (None, Some(c)) if deleted.is_none() => Some(OutgoingItem::Capture(c)),
                (None, None) if deleted.is_none() => rec.as_create().map(|(c, all)| {
                    whole = all;
                    OutgoingItem::Create(c)
                }),
                (Some((_, local, _, pushed)), _) if *local == seq || *pushed == Some(seq) => {
                    continue;
                }
                (Some((version, _, Some(_), _)), None) if deleted.is_some() => {
                    deletion(&rec, *version, deleted.map_or("", |d| d.reason.as_str()))
                }
                (Some((version, _, Some(b), _)), None) => edit(&rec, *version, b)?,
                _ => None,
            };
            match item {
                Some(item) => {
                    // A create sent without the later steps made here: those are not sent.
                    batch.not_sent += u64::from(!whole);
                    batch.items.push(Outgoing {
                        item,
                        kind,
                        id,
                        local_seq: seq,
                        whole,
                    })
                }
                None => batch.not_sent += 1,
            }
        }
        // What is pointed at first: the feed's order is kept within each rank.
        batch.items.sort_by_key(|o| o.item.rank());
        Ok(batch)
    }

    /// Notes the server's answer to a push of `batch`: `accepted[i]` for `batch.items[i]`
    /// (stored, duplicate or merged). Refused items are kept to send again; the send
    /// cursor moves to `batch.upto`; a server row held for an edit now answered is written.
    pub async fn mark_pushed(
        &self,
        server: &str,
        batch: &OutgoingBatch,
        accepted: &[bool],
    ) -> Result<Applied> {
        let server = server_key(server);
        let mut tx = self.begin(&sync_actor()).await?;
        let mut done = Applied::default();
        let mut written = Vec::new();
        for (i, out) in batch.items.iter().enumerate() {
            let key = out.id.to_string();
            if !accepted.get(i).copied().unwrap_or(false) {
                execute!(
                    on_tx,
                    tx,
                    "INSERT INTO sync_retry (server, entity, entity_id) VALUES ($1, $2, $3) \
                     ON CONFLICT (server, entity_id) DO NOTHING",
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
                    tx.apply_one(&server, 0, &rec, &mut done, &mut written)
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
}

/// The deletion of a person or household deleted here, from its noted version.
fn deletion(rec: &Record, base_version: i64, reason: &str) -> Option<OutgoingItem> {
    let d = crate::deletion::Deletion {
        id: rec.uuid(),
        base_version,
        reason: reason.to_owned(),
    };
    Some(OutgoingItem::Edit(match rec {
        Record::Person(_) => OutgoingEdit::PersonDelete(d),
        Record::Household(_) => OutgoingEdit::HouseholdDelete(d),
        _ => return None,
    }))
}

/// The edit of a person or household changed here, from its noted base.
fn edit(rec: &Record, base_version: i64, base: &str) -> Result<Option<OutgoingItem>> {
    let bad = |_| StoreError::Corrupt {
        column: "sync_base.base",
        value: rec.uuid().to_string(),
    };
    Ok(Some(OutgoingItem::Edit(match rec {
        Record::Person(p) => OutgoingEdit::PersonEdit(PersonEdit {
            base_version,
            base: serde_json::from_str(base).map_err(bad)?,
            edited: person_input(p),
        }),
        Record::Household(h) => OutgoingEdit::HouseholdEdit(HouseholdEdit {
            base_version,
            base: serde_json::from_str(base).map_err(bad)?,
            edited: household_input(h),
        }),
        _ => return Ok(None),
    })))
}
