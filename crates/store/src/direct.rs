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

use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::error::{Result, StoreError};
use crate::row::Get;

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

/// The SQL text of a query, as the macros pass it to sqlx.
pub(crate) trait Sql {
    fn text(&self) -> &str;
}

impl Sql for &str {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for String {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for &String {
    fn text(&self) -> &str {
        self
    }
}

impl Sql for sqlx::AssertSqlSafe<String> {
    fn text(&self) -> &str {
        &self.0
    }
}

/// Binds `binds[i]` to the parameter named `$i+1`, wherever the SQL first names it.
fn bind_all(st: &mut rusqlite::Statement<'_>, binds: &[&dyn Bind]) -> Result<()> {
    for (i, b) in binds.iter().enumerate() {
        let name = format!("${}", i + 1);
        let idx = st
            .parameter_index(&name)?
            .ok_or(rusqlite::Error::InvalidParameterName(name))?;
        st.raw_bind_parameter(idx, b.sql_value())?;
    }
    Ok(())
}

/// A value bound to a direct query, encoded as sqlx encodes it for SQLite.
pub(crate) trait Bind {
    fn sql_value(&self) -> ToSqlOutput<'_>;
}

impl Bind for str {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Borrowed(ValueRef::Text(self.as_bytes()))
    }
}

impl Bind for String {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        self.as_str().sql_value()
    }
}

impl Bind for i64 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(*self))
    }
}

impl Bind for i32 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

impl Bind for f64 {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Real(*self))
    }
}

impl Bind for bool {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Integer(i64::from(*self)))
    }
}

impl Bind for Date {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        let text = self
            .format(format_description!("[year]-[month]-[day]"))
            .unwrap_or_default();
        ToSqlOutput::Owned(Value::Text(text))
    }
}

impl Bind for OffsetDateTime {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        ToSqlOutput::Owned(Value::Text(self.format(&Rfc3339).unwrap_or_default()))
    }
}

impl<T: Bind + ?Sized> Bind for &T {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        (**self).sql_value()
    }
}

impl<T: Bind> Bind for Option<T> {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        match self {
            Some(v) => v.sql_value(),
            None => ToSqlOutput::Owned(Value::Null),
        }
    }
}

/// A value of a statement built at run time (multi-row inserts, `IN` lists): bound
/// natively on each engine, so PostgreSQL sees the same types as a written bind.
#[derive(Clone, Debug)]
pub(crate) enum Param {
    Text(Option<String>),
    Int(Option<i64>),
    Int4(Option<i32>),
    Real(Option<f64>),
    Flag(bool),
    Date(Date),
    Time(OffsetDateTime),
}

impl Bind for Param {
    fn sql_value(&self) -> ToSqlOutput<'_> {
        match self {
            Param::Text(Some(v)) => v.sql_value(),
            Param::Text(None) => ToSqlOutput::Owned(Value::Null),
            Param::Int(v) => v.sql_value(),
            Param::Int4(v) => v.sql_value(),
            Param::Real(v) => v.sql_value(),
            Param::Flag(v) => v.sql_value(),
            Param::Date(v) => v.sql_value(),
            Param::Time(v) => v.sql_value(),
        }
    }
}

/// Binds run-time parameters onto a sqlx query of either engine.
pub(crate) fn bind_params<'q, DB>(
    mut q: sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>,
    params: &'q [Param],
) -> sqlx::query::Query<'q, DB, <DB as sqlx::Database>::Arguments>
where
    DB: sqlx::Database,
    Option<String>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<i32>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Option<f64>: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    Date: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
    OffsetDateTime: sqlx::Encode<'q, DB> + sqlx::Type<DB>,
{
    for p in params {
        q = match p {
            Param::Text(v) => q.bind(v.clone()),
            Param::Int(v) => q.bind(*v),
            Param::Int4(v) => q.bind(*v),
            Param::Real(v) => q.bind(*v),
            Param::Flag(v) => q.bind(*v),
            Param::Date(v) => q.bind(*v),
            Param::Time(v) => q.bind(*v),
        };
    }
    q
}

/// `($a+1, …, $b)`: the placeholders of parameters `a..b` (0-based) of a statement.
pub(crate) fn placeholders(a: usize, b: usize) -> String {
    let list: Vec<String> = (a + 1..=b).map(|i| format!("${i}")).collect();
    format!("({})", list.join(", "))
}

/// One row of a direct query, read through [`Get`] as the sqlx rows are.
/// The statement's column names, read once: rusqlite's lookup by name asks SQLite for
/// every name on every access, which for `SELECT *` of 25 columns cost more than the query.
fn column_names(st: &rusqlite::Statement<'_>) -> Vec<String> {
    st.column_names().into_iter().map(str::to_owned).collect()
}

pub(crate) struct Row<'a, 'stmt>(&'a rusqlite::Row<'stmt>, &'a [String]);

impl Row<'_, '_> {
    fn value(&self, col: &str) -> Result<ValueRef<'_>> {
        let i = self
            .1
            .iter()
            .position(|n| n == col)
            .or_else(|| self.1.iter().position(|n| n.eq_ignore_ascii_case(col)))
            .ok_or_else(|| rusqlite::Error::InvalidColumnName(col.to_owned()))?;
        Ok(self.0.get_ref(i)?)
    }

    fn opt<T>(
        &self,
        col: &str,
        want: &'static str,
        f: impl FnOnce(ValueRef<'_>) -> Option<T>,
    ) -> Result<Option<T>> {
        let v = self.value(col)?;
        if let ValueRef::Null = v {
            return Ok(None);
        }
        f(v).map(Some).ok_or_else(|| mismatch(col, want, show(v)))
    }

    fn req<T>(
        &self,
        col: &str,
        want: &'static str,
        f: impl FnOnce(ValueRef<'_>) -> Option<T>,
    ) -> Result<T> {
        self.opt(col, want, f)?
            .ok_or_else(|| mismatch(col, want, "NULL".to_owned()))
    }
}

fn show(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Blob(b) => format!("<{} byte>", b.len()),
    }
}

/// A column whose value is not of the type the record expects.
fn mismatch(col: &str, want: &'static str, value: String) -> StoreError {
    StoreError::Sqlite(rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Null,
        format!("kolom {col} = '{value}' bukan {want}").into(),
    ))
}

fn text(v: ValueRef<'_>) -> Option<&str> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    }
}

fn int(v: ValueRef<'_>) -> Option<i64> {
    match v {
        ValueRef::Integer(i) => Some(i),
        _ => None,
    }
}

fn real(v: ValueRef<'_>) -> Option<f64> {
    match v {
        ValueRef::Real(r) => Some(r),
        #[allow(clippy::cast_precision_loss)]
        ValueRef::Integer(i) => Some(i as f64),
        _ => None,
    }
}

fn date(v: ValueRef<'_>) -> Option<Date> {
    Date::parse(text(v)?, format_description!("[year]-[month]-[day]")).ok()
}

/// An instant as sqlx reads it: RFC 3339 (what it writes), else SQLite's own
/// `YYYY-MM-DD HH:MM:SS[.SSS]` in UTC (what `CURRENT_TIMESTAMP` writes), else Unix seconds.
fn instant(v: ValueRef<'_>) -> Option<OffsetDateTime> {
    if let ValueRef::Integer(i) = v {
        return OffsetDateTime::from_unix_timestamp(i).ok();
    }
    let t = text(v)?;
    OffsetDateTime::parse(t, &Rfc3339).ok().or_else(|| {
        PrimitiveDateTime::parse(
            t,
            format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second][optional [.[subsecond]]]"
            ),
        )
        .ok()
        .map(PrimitiveDateTime::assume_utc)
    })
}

impl Get for Row<'_, '_> {
    fn text(&self, col: &str) -> Result<String> {
        self.req(col, "teks", |v| text(v).map(str::to_owned))
    }
    fn opt_text(&self, col: &str) -> Result<Option<String>> {
        self.opt(col, "teks", |v| text(v).map(str::to_owned))
    }
    fn int(&self, col: &str) -> Result<i64> {
        self.req(col, "bilangan bulat", int)
    }
    fn opt_i32(&self, col: &str) -> Result<Option<i32>> {
        self.opt(col, "bilangan bulat", |v| {
            int(v).and_then(|i| i32::try_from(i).ok())
        })
    }
    fn real(&self, col: &str) -> Result<f64> {
        self.req(col, "angka", real)
    }
    fn opt_real(&self, col: &str) -> Result<Option<f64>> {
        self.opt(col, "angka", real)
    }
    fn flag(&self, col: &str) -> Result<bool> {
        self.req(col, "0/1", |v| int(v).map(|i| i != 0))
    }
    fn date(&self, col: &str) -> Result<Date> {
        self.req(col, "tanggal", date)
    }
    fn opt_date(&self, col: &str) -> Result<Option<Date>> {
        self.opt(col, "tanggal", date)
    }
    fn time(&self, col: &str) -> Result<OffsetDateTime> {
        self.req(col, "waktu", instant)
    }
    fn opt_time(&self, col: &str) -> Result<Option<OffsetDateTime>> {
        self.opt(col, "waktu", instant)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
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
