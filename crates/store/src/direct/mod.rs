//! SQLite reads and transactions run on the caller's thread, one call per statement.
//!
//! Through sqlx every SQLite statement is a message to the connection's own worker thread
//! and back; under load each of those hops waits for a CPU, and a capture makes about ten
//! of them (session, day, person, visit, history). The load benchmark showed that wait, not
//! SQLite, capping captures (README, Benchmarks). Reads of the pool (`fetch_all!`,
//! `fetch_opt!` on `on_pool`) and every [`crate::Tx`] therefore run here: a few read-only
//! connections of our own to the same file, and one read-write connection for the
//! transaction in progress, used synchronously; a point query takes microseconds, so
//! running it on the async worker costs less than handing it to another thread. sqlx keeps
//! the migrations, the pool's single-statement writes, backups and the checkpoint.
//!
//! The SQL is the same text (`$1` parameters are SQLite named parameters); values are
//! bound and read in exactly the representation sqlx uses for SQLite (RFC 3339 text for
//! instants, `YYYY-MM-DD` for dates, integers for booleans), so both paths read each
//! other's rows. rusqlite is the maintained binding over the same `libsqlite3-sys` sqlx
//! links, so one SQLite library serves both.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

mod bind;
mod row;

use rusqlite::{Connection, OpenFlags};

use crate::error::{Result, StoreError};

use bind::bind_all;
pub(crate) use bind::{Bind, Param, Sql, bind_params, placeholders};
pub(crate) use row::Row;
use row::column_names;

/// The WAL size (pages of 4 KiB) at which the writer's commit checkpoints: 16 MiB, four
/// times SQLite's default, so that under load the background checkpoint does it instead.
const WRITER_CHECKPOINT_PAGES: u32 = 4000;

/// Idle connections kept; more are opened when more threads read at once (rare: reads run
/// on the async workers, one per core).
const KEEP: usize = 8;

/// Read-only connections to one SQLite file, handed out last-in first-out so the most
/// recently used (warmest) page cache serves the next read.
pub(crate) struct DirectReads {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    /// The read-write connection of the transaction in progress (one at a time: writers
    /// take [`crate::Store`]'s writer turn first).
    writer: Mutex<Option<Connection>>,
    /// Set by [`DirectReads::close`]: connections handed back afterwards are closed.
    closed: AtomicBool,
}

impl DirectReads {
    /// Checks that the file opens read-only (it exists: sqlx created and migrated it).
    pub(crate) fn open(path: &Path) -> Result<DirectReads> {
        let d = DirectReads {
            path: path.to_path_buf(),
            idle: Mutex::new(Vec::new()),
            writer: Mutex::new(None),
            closed: AtomicBool::new(false),
        };
        let c = d.connect()?;
        d.give_back(c);
        Ok(d)
    }

    /// A reader: read-only, and `query_only` so that not even a PRAGMA writes. Its page
    /// cache is emptied whenever another connection commits (WAL), and emptying costs in
    /// proportion to the cache's size: 4 MiB, not the pool's 32.
    fn connect(&self) -> Result<Connection> {
        let c = open(&self.path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        c.execute_batch("PRAGMA query_only = 1; PRAGMA cache_size = -4096;")?;
        Ok(c)
    }

    /// Begins a write transaction (`BEGIN IMMEDIATE`: the write lock now, so a transaction
    /// that reads before it writes cannot fail half-way). The caller holds the writer turn.
    pub(crate) fn begin(self: &std::sync::Arc<Self>) -> Result<DirectTx> {
        let spare = self.writer.lock().ok().and_then(|mut w| w.take());
        let c = match spare {
            Some(c) => c,
            None => {
                let c = open(&self.path, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
                // The WAL is copied back by the background checkpoint; the writer copies it
                // itself (on the async worker, while every capture waits) only past
                // WRITER_CHECKPOINT_PAGES.
                c.execute_batch(&format!(
                    "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES};"
                ))?;
                c
            }
        };
        c.execute_batch("BEGIN IMMEDIATE")?;
        Ok(DirectTx {
            conn: Some(c),
            home: self.clone(),
        })
    }

    /// Closes the idle connections (the last connection to close checkpoints the WAL).
    pub(crate) fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        if let Ok(mut v) = self.idle.lock() {
            v.clear();
        }
        if let Ok(mut w) = self.writer.lock() {
            w.take();
        }
    }

    fn take(&self) -> Result<Connection> {
        let spare = self.idle.lock().map(|mut v| v.pop()).unwrap_or_default();
        match spare {
            Some(c) => Ok(c),
            None => self.connect(),
        }
    }

    fn give_back(&self, c: Connection) {
        if self.closed.load(Ordering::SeqCst) {
            return;
        }
        if let Ok(mut v) = self.idle.lock()
            && v.len() < KEEP
        {
            v.push(c);
        }
    }

    /// Every row of `sql` with `binds` as `$1…`, decoded by `decode`.
    pub(crate) fn fetch_all<T>(
        &self,
        sql: impl Sql,
        binds: &[&dyn Bind],
        decode: impl FnMut(&Row<'_, '_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let c = self.take()?;
        let out = fetch_all(&c, sql.text(), binds, decode);
        self.give_back(c);
        out
    }

    /// The first row of `sql`, if any.
    pub(crate) fn fetch_opt<T>(
        &self,
        sql: impl Sql,
        binds: &[&dyn Bind],
        decode: impl FnOnce(&Row<'_, '_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let c = self.take()?;
        let out = fetch_opt(&c, sql.text(), binds, decode);
        self.give_back(c);
        out
    }
}

/// Opens one connection with the settings of the sqlx pool's (busy timeout, page cache).
fn open(path: &Path, mode: OpenFlags) -> Result<Connection> {
    let c = Connection::open_with_flags(
        path,
        mode | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
    )?;
    c.busy_timeout(Duration::from_secs(30))?;
    c.execute_batch("PRAGMA cache_size = -32768; PRAGMA temp_store = MEMORY;")?;
    c.set_prepared_statement_cache_capacity(128);
    Ok(c)
}

fn fetch_all<T>(
    c: &Connection,
    sql: &str,
    binds: &[&dyn Bind],
    mut decode: impl FnMut(&Row<'_, '_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut st = c.prepare_cached(sql)?;
    bind_all(&mut st, binds)?;
    let names = column_names(&st);
    let mut rows = st.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(&Row(r, &names))?);
    }
    Ok(out)
}

fn fetch_opt<T>(
    c: &Connection,
    sql: &str,
    binds: &[&dyn Bind],
    decode: impl FnOnce(&Row<'_, '_>) -> Result<T>,
) -> Result<Option<T>> {
    let mut st = c.prepare_cached(sql)?;
    bind_all(&mut st, binds)?;
    let names = column_names(&st);
    let mut rows = st.raw_query();
    match rows.next()? {
        Some(r) => decode(&Row(r, &names)).map(Some),
        None => Ok(None),
    }
}

/// A write transaction on the caller's thread. Dropped without [`DirectTx::commit`], it
/// rolls back. Its connection goes back for the next transaction either way.
pub(crate) struct DirectTx {
    conn: Option<Connection>,
    home: std::sync::Arc<DirectReads>,
}

impl DirectTx {
    fn conn(&self) -> Result<&Connection> {
        self.conn
            .as_ref()
            .ok_or(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
    }

    pub(crate) fn fetch_all<T>(
        &self,
        sql: impl Sql,
        binds: &[&dyn Bind],
        decode: impl FnMut(&Row<'_, '_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        fetch_all(self.conn()?, sql.text(), binds, decode)
    }

    pub(crate) fn fetch_opt<T>(
        &self,
        sql: impl Sql,
        binds: &[&dyn Bind],
        decode: impl FnOnce(&Row<'_, '_>) -> Result<T>,
    ) -> Result<Option<T>> {
        fetch_opt(self.conn()?, sql.text(), binds, decode)
    }

    /// Runs one statement; the number of rows it changed.
    pub(crate) fn execute(&self, sql: impl Sql, binds: &[&dyn Bind]) -> Result<u64> {
        let mut st = self.conn()?.prepare_cached(sql.text())?;
        bind_all(&mut st, binds)?;
        Ok(st.raw_execute()? as u64)
    }

    /// Commits; on failure SQLite has rolled back (or does so when the connection is
    /// reused: a failed COMMIT leaves the transaction open, and drop rolls it back).
    pub(crate) fn commit(mut self) -> Result<()> {
        let c = self.conn.take();
        let r = match &c {
            Some(c) => c.execute_batch("COMMIT"),
            None => Ok(()),
        };
        match r {
            Ok(()) => {
                self.put_back(c);
                Ok(())
            }
            Err(e) => {
                self.conn = c;
                Err(e.into())
            }
        }
    }

    pub(crate) fn rollback(self) -> Result<()> {
        // Drop rolls back.
        drop(self);
        Ok(())
    }

    fn put_back(&self, c: Option<Connection>) {
        if self.home.closed.load(Ordering::SeqCst) {
            return;
        }
        if let (Some(c), Ok(mut slot)) = (c, self.home.writer.lock()) {
            *slot = Some(c);
        }
    }
}

impl Drop for DirectTx {
    fn drop(&mut self) {
        if let Some(c) = self.conn.take() {
            // A connection whose rollback fails is not reused (closing it rolls back).
            if !c.is_autocommit() && c.execute_batch("ROLLBACK").is_err() {
                return;
            }
            self.put_back(Some(c));
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::row::instant;
    use super::*;
    use crate::row::Get;
    use rusqlite::types::ValueRef;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    use time::OffsetDateTime;
    use time::macros::datetime;

    /// A value written by sqlx and the same value bound here are stored identically (type
    /// and bytes), and each path reads the other's row back to the same value: the
    /// guarantee that lets both paths share one file.
    #[tokio::test]
    async fn both_paths_write_and_read_the_same_representation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite");
        let pool = SqlitePool::connect_with(
            SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true),
        )
        .await
        .unwrap();
        sqlx::query(
            "CREATE TABLE t (k INTEGER, d DATE, at TEXT, f INTEGER, r REAL, n TEXT, s TEXT)",
        )
        .execute(&pool)
        .await
        .unwrap();
        let day = time::macros::date!(2025 - 03 - 05);
        let at = datetime!(2025-03-05 07:08:09.123456 +07:00);
        sqlx::query("INSERT INTO t VALUES (1, $1, $2, $3, $4, $5, $6)")
            .bind(day)
            .bind(at)
            .bind(true)
            .bind(7.25_f64)
            .bind(None::<String>)
            .bind("Keisha")
            .execute(&pool)
            .await
            .unwrap();
        let c = Connection::open(&path).unwrap();
        let none: Option<String> = None;
        let binds: [&dyn Bind; 6] = [&day, &at, &true, &7.25_f64, &none, &"Keisha"];
        let mut st = c
            .prepare("INSERT INTO t VALUES (2, $1, $2, $3, $4, $5, $6)")
            .unwrap();
        bind_all(&mut st, &binds).unwrap();
        st.raw_execute().unwrap();
        drop(st);
        let same: i64 = c
            .query_row(
                "SELECT COUNT(*) FROM t a JOIN t b ON a.k = 1 AND b.k = 2 \
                 AND a.d IS b.d AND typeof(a.d) = typeof(b.d) AND a.at IS b.at \
                 AND typeof(a.at) = typeof(b.at) AND a.f IS b.f AND typeof(a.f) = typeof(b.f) \
                 AND a.r IS b.r AND a.n IS b.n AND a.s IS b.s",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(same, 1, "sqlx and direct binds stored differently");
        let got = fetch_all(&c, "SELECT * FROM t ORDER BY k", &[], |r| {
            Ok((
                r.date("d")?,
                r.time("at")?,
                r.flag("f")?,
                r.real("r")?,
                r.opt_text("n")?,
                r.text("s")?,
            ))
        })
        .unwrap();
        let want = (day, at, true, 7.25, None, "Keisha".to_owned());
        assert_eq!(got, vec![want.clone(), want]);
        // A wrong type names the column and the value, in the user's language.
        let e = fetch_opt(&c, "SELECT * FROM t", &[], |r| r.int("s")).unwrap_err();
        assert!(e.to_string().contains("kolom s = 'Keisha'"), "{e}");
    }

    #[test]
    fn instants_read_as_sqlx_reads_them() {
        let cases = [
            (
                "2025-03-05T00:08:09.5Z",
                Some(datetime!(2025-03-05 00:08:09.5 UTC)),
            ),
            (
                "2025-03-05 00:08:09",
                Some(datetime!(2025-03-05 00:08:09 UTC)),
            ),
            (
                "2025-03-05 00:08:09.250",
                Some(datetime!(2025-03-05 00:08:09.25 UTC)),
            ),
            ("5 Maret 2025", None),
        ];
        for (text, want) in cases {
            assert_eq!(instant(ValueRef::Text(text.as_bytes())), want, "{text}");
        }
        assert_eq!(
            instant(ValueRef::Integer(0)),
            Some(OffsetDateTime::UNIX_EPOCH)
        );
    }

    #[test]
    fn placeholders_number_from_the_given_offset() {
        assert_eq!(placeholders(0, 2), "($1, $2)");
        assert_eq!(placeholders(3, 5), "($4, $5)");
    }
}
