//! A unit of work: many writes, each with its audit row, committed or rolled back together.

use std::collections::{HashMap, HashSet};

use serde_json::Value;
use sqlx::{Postgres, Sqlite, Transaction};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::actor::Actor;
use crate::codes::{AuditAction, EntityKind};
use crate::direct::{DirectTx, Param, bind_params};
use crate::error::{Result, StoreError};
use crate::fetch::{execute, fetch_opt};
use crate::ids::{AuditId, OrgPath, OrgUnitId, UserId};
use crate::row::Get;

pub(crate) enum TxConn {
    /// A SQLite file: statements on the caller's thread ([`crate::direct`]).
    Direct(DirectTx),
    /// In-memory SQLite (tests): its one sqlx connection.
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// PostgreSQL change numbers: transaction id × 2^24 + the row's place in its transaction
/// (up to 16.7 M rows per transaction; transaction ids up to 2^39, centuries at 100 a second).
pub(crate) const PG_SEQ_SHIFT: u32 = 24;

/// A unit of work on behalf of one [`Actor`]. Every write checks the actor's scope and writes
/// its audit row in this transaction. Call [`Tx::commit`]; dropping it rolls everything back.
pub struct Tx {
    pub(crate) conn: TxConn,
    pub(crate) actor: Actor,
    /// One timestamp per transaction: all its rows and audit entries share it.
    pub(crate) now: OffsetDateTime,
    /// Org unit id → path, cached for batch captures.
    pub(crate) paths: HashMap<OrgUnitId, OrgPath>,
    /// Rows known to exist (checked or written in this transaction), for reference checks.
    pub(crate) known: HashSet<(EntityKind, Uuid)>,
    /// Who made a record on the device that pushes it (`<device's captured_by> via
    /// <pushing account>`, [`crate::push_create::device_author`]), by record id: a capture's
    /// `captured_by` and the record's audit detail name them. Empty but for a push.
    pub(crate) captured_by: HashMap<Uuid, String>,
    /// PostgreSQL: the next change number of this transaction ([`Tx::next_seq`]).
    pg_seq: Option<i64>,
    /// This process's SQLite write turn, held until commit, rollback or drop (declared
    /// after `conn` so the transaction ends before the next writer starts).
    _writer: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Tx {
    pub(crate) fn new(
        conn: TxConn,
        actor: Actor,
        writer: Option<tokio::sync::OwnedMutexGuard<()>>,
    ) -> Tx {
        Tx {
            conn,
            actor,
            now: OffsetDateTime::now_utc(),
            paths: HashMap::new(),
            known: HashSet::new(),
            captured_by: HashMap::new(),
            pg_seq: None,
            _writer: writer,
        }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Records `record` (a capture of this unit of work) as made by `account` (a user's
    /// label), as a push names the device's author: the demo writes each posyandu's visits
    /// as its kader's. Only an operator's command (a system actor) may; a user never
    /// writes in another's name.
    pub fn record_as(&mut self, record: Uuid, account: UserId) -> Result<()> {
        if !matches!(self.actor.principal, crate::actor::Principal::System(_)) {
            return Err(StoreError::invalid(
                "captured_by",
                account.to_string(),
                "hanya perintah operator yang boleh mencatat atas nama akun lain",
            ));
        }
        self.captured_by.insert(record, account.to_string());
        Ok(())
    }

    /// Makes every write of this unit of work durable and visible.
    pub async fn commit(self) -> Result<()> {
        match self.conn {
            TxConn::Direct(t) => t.commit()?,
            TxConn::Sqlite(t) => t.commit().await?,
            TxConn::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    /// Discards every write of this unit of work (dropping the `Tx` does the same).
    pub async fn rollback(self) -> Result<()> {
        match self.conn {
            TxConn::Direct(t) => t.rollback()?,
            TxConn::Sqlite(t) => t.rollback().await?,
            TxConn::Postgres(t) => t.rollback().await?,
        }
        Ok(())
    }

    /// The `id` column of every row of a statement built at run time (multi-row inserts
    /// with `RETURNING id`, `IN` lists).
    pub(crate) async fn fetch_ids(&mut self, sql: String, params: &[Param]) -> Result<Vec<String>> {
        match &mut self.conn {
            TxConn::Direct(d) => {
                let binds: Vec<&dyn crate::direct::Bind> = params
                    .iter()
                    .map(|p| p as &dyn crate::direct::Bind)
                    .collect();
                d.fetch_all(sql, &binds, |r| r.text("id"))
            }
            TxConn::Sqlite(t) => {
                let q = bind_params(sqlx::query(sqlx::AssertSqlSafe(sql)), params);
                let rows = q.fetch_all(&mut **t).await?;
                rows.iter().map(|r| r.text("id")).collect()
            }
            TxConn::Postgres(t) => {
                let q = bind_params(sqlx::query(sqlx::AssertSqlSafe(sql)), params);
                let rows = q.fetch_all(&mut **t).await?;
                rows.iter().map(|r| r.text("id")).collect()
            }
        }
    }

    /// Takes `n` numbers of the change sequence; returns the first. A puller that has seen
    /// number N must never later find a row below N appear, whatever order transactions
    /// commit in.
    ///
    /// SQLite: a counter row. Its one writer at a time makes number order commit order.
    ///
    /// PostgreSQL: the numbers of a transaction are its transaction id shifted left by
    /// [`PG_SEQ_SHIFT`] bits, plus a count within it: no row is shared, so concurrent
    /// writers do not queue on one another (the counter row made every write wait for the
    /// one before it to commit). The pull only reads numbers below the oldest transaction
    /// still running in this database (`Store::pg_pull_horizon`): every transaction below it has ended, so
    /// nothing can appear there later.
    pub(crate) async fn next_seq(&mut self, n: i64) -> Result<i64> {
        if let TxConn::Postgres(_) = self.conn {
            return self.next_pg_seq(n).await;
        }
        let sql = "UPDATE seq_counter SET value = value + $1 WHERE id = 1 RETURNING value";
        let last = fetch_opt!(on_tx, self, sql, [n], |r| Get::int(r, "value"))?.ok_or(
            StoreError::Corrupt {
                column: "seq_counter.value",
                value: String::new(),
            },
        )?;
        Ok(last - n + 1)
    }

    async fn next_pg_seq(&mut self, n: i64) -> Result<i64> {
        let first = match self.pg_seq {
            Some(next) => next,
            None => {
                let sql = "SELECT (pg_current_xact_id()::text::bigint << 24) + 1 AS base";
                fetch_opt!(on_tx, self, sql, [], |r| Get::int(r, "base"))?.unwrap_or(1)
            }
        };
        let next = first + n.max(0);
        // The numbers must stay inside this transaction's block.
        if (next - 1) >> PG_SEQ_SHIFT != first >> PG_SEQ_SHIFT {
            return Err(StoreError::invalid(
                "rows",
                n,
                "terlalu banyak baris dalam satu transaksi (paling banyak 16.777.215)",
            ));
        }
        self.pg_seq = Some(next);
        Ok(first)
    }

    /// The path of an org unit (cached), refusing units outside the actor's scope.
    pub(crate) async fn unit_path_in_scope(&mut self, id: OrgUnitId) -> Result<OrgPath> {
        let path = self.unit_path(id).await?;
        if !self.actor.can_see(&path) {
            return Err(StoreError::OutOfScope {
                entity: EntityKind::OrgUnit,
                id: id.0,
            });
        }
        Ok(path)
    }

    pub(crate) async fn unit_path(&mut self, id: OrgUnitId) -> Result<OrgPath> {
        if let Some(p) = self.paths.get(&id) {
            return Ok(p.clone());
        }
        let sql = "SELECT org_path FROM org_unit WHERE id = $1 AND deleted_at IS NULL";
        let key = id.to_string();
        let found: Option<String> =
            fetch_opt!(on_tx, self, sql, [&key], |r| Get::text(r, "org_path"))?;
        let text = found.ok_or(StoreError::NotFound {
            entity: EntityKind::OrgUnit,
            id: id.0,
        })?;
        let path = OrgPath::parse(&text).map_err(|_| StoreError::Corrupt {
            column: "org_unit.org_path",
            value: text.clone(),
        })?;
        self.paths.insert(id, path.clone());
        Ok(path)
    }

    /// The path and state of any row, refusing rows outside the actor's scope.
    pub(crate) async fn row_state(&mut self, kind: EntityKind, id: Uuid) -> Result<RowState> {
        let sql = format!(
            "SELECT org_path, version, deleted_at IS NOT NULL AS deleted FROM {} WHERE id = $1",
            kind.table()
        );
        let key = id.to_string();
        let row: Option<(String, i64, bool)> =
            fetch_opt!(on_tx, self, sqlx::AssertSqlSafe(sql), [&key], |r| Ok((
                Get::text(r, "org_path")?,
                Get::int(r, "version")?,
                Get::flag(r, "deleted")?
            )))?;
        let (path, version, deleted) = row.ok_or(StoreError::NotFound { entity: kind, id })?;
        let path = OrgPath::parse(&path).map_err(|_| StoreError::Corrupt {
            column: "org_path",
            value: path.clone(),
        })?;
        if !self.actor.can_see(&path) {
            return Err(StoreError::OutOfScope { entity: kind, id });
        }
        Ok(RowState {
            path,
            version,
            deleted,
        })
    }

    /// Checks a registry row can be updated at `expected` version.
    pub(crate) async fn check_version(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        expected: i64,
    ) -> Result<RowState> {
        let state = self.row_state(kind, id).await?;
        if state.deleted {
            return Err(StoreError::Deleted { entity: kind, id });
        }
        if state.version != expected {
            return Err(StoreError::Conflict {
                entity: kind,
                id,
                expected,
                actual: state.version,
            });
        }
        Ok(state)
    }

    /// Writes one audit row in this transaction.
    pub(crate) async fn audit(
        &mut self,
        action: AuditAction,
        entity: EntityKind,
        entity_id: Uuid,
        org_path: &OrgPath,
        detail: &Value,
    ) -> Result<()> {
        let sql = "INSERT INTO audit_log (id, at, actor, action, entity, entity_id, org_path, detail) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        let id = AuditId::new().to_string();
        let actor = self.actor.label();
        let detail = match (self.captured_by.get(&entity_id), detail) {
            (Some(by), Value::Object(m)) => {
                let mut m = m.clone();
                m.insert("captured_by".into(), by.clone().into());
                Value::Object(m).to_string()
            }
            _ => detail.to_string(),
        };
        let now = self.now;
        let entity_id = entity_id.to_string();
        execute!(
            on_tx,
            self,
            sql,
            [
                &id,
                now,
                &actor,
                action.code(),
                entity.code(),
                &entity_id,
                org_path.as_str(),
                &detail
            ]
        );
        Ok(())
    }

    /// Soft-deletes any row (registry or capture) at `expected_version`, with a reason.
    pub async fn soft_delete(
        &mut self,
        kind: EntityKind,
        id: Uuid,
        expected_version: i64,
        reason: &str,
    ) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid(
                "reason",
                reason,
                "alasan hapus wajib diisi",
            ));
        }
        let state = self.check_version(kind, id, expected_version).await?;
        let seq = self.next_seq(1).await?;
        let sql = format!(
            "UPDATE {} SET deleted_at = $1, delete_reason = $2, updated_at = $1, \
             version = version + 1, seq = $3 WHERE id = $4 AND version = $5",
            kind.table()
        );
        let now = self.now;
        let key = id.to_string();
        let done = execute!(
            on_tx,
            self,
            sqlx::AssertSqlSafe(sql),
            [now, reason, seq, &key, expected_version]
        );
        if done != 1 {
            return Err(StoreError::Conflict {
                entity: kind,
                id,
                expected: expected_version,
                actual: expected_version + 1,
            });
        }
        self.known.remove(&(kind, id));
        let detail = serde_json::json!({ "reason": reason });
        self.audit(AuditAction::Delete, kind, id, &state.path, &detail)
            .await
    }
}

pub(crate) struct RowState {
    pub path: OrgPath,
    pub version: i64,
    pub deleted: bool,
}

/// Field names whose values never go into an audit row.
const REDACTED: &[&str] = &["nik", "kk_number"];

/// The record as audit detail, with personal identifiers redacted.
pub(crate) fn audit_value<T: serde::Serialize>(value: &T) -> Value {
    let mut v = serde_json::to_value(value).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        for key in REDACTED {
            if let Some(field) = map.get_mut(*key)
                && !field.is_null()
            {
                *field = Value::String("<redacted>".into());
            }
        }
    }
    v
}

/// `{field: {from, to}}` for the fields that differ, personal identifiers redacted.
pub(crate) fn audit_diff<T: serde::Serialize>(old: &T, new: &T) -> Value {
    let (Ok(Value::Object(a)), Ok(Value::Object(b))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Value::Null;
    };
    let mut changed = serde_json::Map::new();
    for (key, new_v) in &b {
        let old_v = a.get(key).unwrap_or(&Value::Null);
        if old_v != new_v {
            let entry = if REDACTED.contains(&key.as_str()) {
                Value::String("<redacted: changed>".into())
            } else {
                serde_json::json!({ "from": old_v, "to": new_v })
            };
            changed.insert(key.clone(), entry);
        }
    }
    serde_json::json!({ "changed": changed })
}
