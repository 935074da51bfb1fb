//! Opening a store on either engine, migrations, and beginning a unit of work.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, SqlSafeStr};

use crate::actor::Actor;
use crate::error::{Result, StoreError};
use crate::tx::{Tx, TxConn};

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub(crate) enum Engine {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the record. Cheap to clone (it is a connection pool).
#[derive(Clone)]
pub struct Store {
    pub(crate) engine: Engine,
    /// SQLite has one writer at a time. Writers of this process queue here and are woken
    /// the moment the previous one commits; left to the file lock, each would wait in
    /// SQLite's busy handler, which sleeps in steps of up to 100 ms (a capture took
    /// 57 ms at p50 under 16 concurrent requests instead of a few). Group transactions take
    /// their turn here on both engines ([`Store::capture_grouped`]).
    pub(crate) writer: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Captures waiting for the next group transaction ([`Store::capture_grouped`]).
    pub(crate) queue: std::sync::Arc<crate::group::Queue>,
    /// Reads of a SQLite file on the caller's thread ([`crate::direct`]); `None` for
    /// PostgreSQL and in-memory SQLite.
    pub(crate) direct: Option<std::sync::Arc<crate::direct::DirectReads>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the URL: it may hold a password.
        write!(f, "Store({:?})", self.kind())
    }
}

use crate::fetch::on_pool;

/// Pool size for SQLite: readers run in parallel under WAL; writers queue on `writer`.
/// 8 rather than 4: a capture's reads wait for a connection while one is writing
/// (bench/load.sh: 351 → 449 captures/s).
const SQLITE_POOL: u32 = 8;
const PG_POOL: u32 = 8;

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);

/// Copies the WAL back into the database file every [`CHECKPOINT_EVERY`], on a pool
/// connection, so that the writer seldom has to: left to SQLite, the commit that fills the
/// WAL to 1,000 pages copies them and syncs the file while every waiting capture waits too.
/// PASSIVE: it never blocks the writer or a reader. SQLite's own threshold stays at its
/// default as the bound on the WAL: with 10,000 pages the load bench gained a quarter, but
/// the WAL may then take 40 MB of a small laptop's disk (see README, Benchmarks). Ends with
/// the last handle on the store.
fn checkpoint_in_background(pool: SqlitePool, alive: std::sync::Weak<crate::group::Queue>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.strong_count() == 0 || pool.is_closed() {
                break;
            }
            match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                Ok(_) => {}
                Err(sqlx::Error::PoolClosed) => break,
                Err(e) => tracing::warn!(error = %e, "WAL checkpoint failed"),
            }
        }
    });
}

/// What [`Store::migrate`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MigrateReport {
    /// Migrations applied by this call (0 when the schema was current).
    pub applied: usize,
    /// Migrations known to this binary.
    pub known: usize,
}

impl Store {
    /// Opens `sqlite://file`, `sqlite:file`, `postgres://…` (or `postgresql://…`). A plain
    /// path is taken as a SQLite file. The SQLite file is created if missing.
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(PG_POOL)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await?;
            return Ok(Store {
                writer: Default::default(),
                queue: Default::default(),
                direct: None,
                engine: Engine::Postgres(pool),
            });
        }
        if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)?;
            // Every connection to an in-memory database is a separate database: use one.
            let size = if url.contains(":memory:") || url.contains("mode=memory") {
                1
            } else {
                SQLITE_POOL
            };
            let mut store = Self::open_sqlite(opts, size).await?;
            // A file opened read-only or immutable must refuse writes: sqlx alone serves it.
            if url.contains("mode=ro") || url.contains("immutable=") {
                store.direct = None;
            }
            return Ok(store);
        }
        if url.contains("://") {
            return Err(StoreError::UnsupportedUrl(redact_url(url)));
        }
        Self::open_sqlite_file(Path::new(url)).await
    }

    /// Opens (creating if missing) a SQLite file.
    pub async fn open_sqlite_file(path: &Path) -> Result<Store> {
        Self::open_sqlite(SqliteConnectOptions::new().filename(path), SQLITE_POOL).await
    }

    async fn open_sqlite(opts: SqliteConnectOptions, size: u32) -> Result<Store> {
        let opts = opts
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // 32 MiB page cache per connection (default 2 MiB): the indexes of a district's
            // measurements stay in memory during bulk captures and month queries.
            .pragma("cache_size", "-32768")
            .pragma("temp_store", "memory");
        let file = opts.get_filename().to_path_buf();
        // The default pings a connection before handing it out: a round trip to the
        // connection's worker thread before every query. An embedded file's connection does
        // not go stale as a network one does.
        let pool = SqlitePoolOptions::new()
            .max_connections(size)
            .test_before_acquire(false)
            .connect_with(opts)
            .await?;
        // An in-memory database is private to its one connection: no direct reads.
        let direct = if size > 1 {
            Some(std::sync::Arc::new(crate::direct::DirectReads::open(
                &file,
            )?))
        } else {
            None
        };
        let store = Store {
            engine: Engine::Sqlite(pool.clone()),
            writer: Default::default(),
            queue: Default::default(),
            direct,
        };
        if size > 1 {
            checkpoint_in_background(pool, std::sync::Arc::downgrade(&store.queue));
        }
        Ok(store)
    }

    pub fn kind(&self) -> EngineKind {
        match self.engine {
            Engine::Sqlite(_) => EngineKind::Sqlite,
            Engine::Postgres(_) => EngineKind::Postgres,
        }
    }

    /// The SQLite pool, for tools that need the raw engine (backup, benchmarks).
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.engine {
            Engine::Sqlite(p) => Some(p),
            Engine::Postgres(_) => None,
        }
    }

    /// The PostgreSQL pool, for tools that need the raw engine.
    pub fn postgres_pool(&self) -> Option<&PgPool> {
        match &self.engine {
            Engine::Postgres(p) => Some(p),
            Engine::Sqlite(_) => None,
        }
    }

    /// Applies the migrations this binary knows that the database lacks. Running it again
    /// is a no-op. Refuses a database migrated by a newer binary or with an edited migration.
    pub async fn migrate(&self) -> Result<MigrateReport> {
        let migrator = migrator(self.kind());
        let known = migrator.iter().count();
        let before = self.applied_migrations().await;
        on_pool!(self, pool => migrator.run(pool).await?);
        let after = self.applied_migrations().await;
        let applied = after.saturating_sub(before);
        tracing::info!(engine = ?self.kind(), applied, known, "migrations");
        Ok(MigrateReport { applied, known })
    }

    /// Number of applied migrations (0 for an empty database).
    pub async fn applied_migrations(&self) -> usize {
        let sql = "SELECT COUNT(*) FROM _sqlx_migrations WHERE success";
        let n: std::result::Result<i64, sqlx::Error> =
            on_pool!(self, pool => sqlx::query_scalar(sql).fetch_one(pool).await);
        n.map(|n| usize::try_from(n).unwrap_or(0)).unwrap_or(0)
    }

    /// Begins a unit of work for `actor`. Nothing is visible to others until
    /// [`Tx::commit`]; dropping the `Tx` rolls back.
    pub async fn begin(&self, actor: &Actor) -> Result<Tx> {
        match &self.engine {
            Engine::Sqlite(_) => {
                let turn = self.writer.clone().lock_owned().await;
                self.begin_in_turn(actor, turn).await
            }
            Engine::Postgres(pool) => Ok(Tx::new(
                TxConn::Postgres(pool.begin().await?),
                actor.clone(),
                None,
            )),
        }
    }

    /// [`Store::begin`] for a caller that holds the writer turn already; the `Tx` keeps it.
    pub(crate) async fn begin_in_turn(
        &self,
        actor: &Actor,
        turn: tokio::sync::OwnedMutexGuard<()>,
    ) -> Result<Tx> {
        let conn = match (&self.engine, &self.direct) {
            (Engine::Sqlite(_), Some(d)) => TxConn::Direct(d.begin()?),
            // IMMEDIATE takes the write lock now, so a transaction that reads before it
            // writes cannot fail with SQLITE_BUSY half-way (busy_timeout covers the wait
            // for another process; this process's writers queue on `writer` first).
            (Engine::Sqlite(pool), None) => {
                TxConn::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?)
            }
            (Engine::Postgres(pool), _) => TxConn::Postgres(pool.begin().await?),
        };
        Ok(Tx::new(conn, actor.clone(), Some(turn)))
    }

    /// Closes the pool (checkpoints the SQLite WAL).
    pub async fn close(&self) {
        if let Some(d) = &self.direct {
            d.close();
        }
        on_pool!(self, pool => pool.close().await)
    }
}

/// The embedded migrations of one engine. Versions are integers; never edit an applied one,
/// add a new file instead.
pub(crate) fn migrator(kind: EngineKind) -> Migrator {
    let files: &[(i64, &str, &'static str)] = match kind {
        EngineKind::Sqlite => &[
            (
                1,
                "record",
                include_str!("../migrations/sqlite/0001_record.sql"),
            ),
            (
                2,
                "month indexes",
                include_str!("../migrations/sqlite/0002_month_indexes.sql"),
            ),
            (
                3,
                "person parent name",
                include_str!("../migrations/sqlite/0003_person_parent_name.sql"),
            ),
            (
                4,
                "accounts",
                include_str!("../migrations/sqlite/0004_accounts.sql"),
            ),
            (
                5,
                "service day reads",
                include_str!("../migrations/sqlite/0005_service_day_reads.sql"),
            ),
            (
                6,
                "one visit per day",
                include_str!("../migrations/sqlite/0006_one_visit_per_day.sql"),
            ),
            (
                7,
                "day closed",
                include_str!("../migrations/sqlite/0007_day_closed.sql"),
            ),
            (
                8,
                "review",
                include_str!("../migrations/sqlite/0008_review.sql"),
            ),
            (
                9,
                "sync state",
                include_str!("../migrations/sqlite/0009_sync_state.sql"),
            ),
            (
                10,
                "sync refused",
                include_str!("../migrations/sqlite/0010_sync_refused.sql"),
            ),
            (
                11,
                "target list reads",
                include_str!("../migrations/sqlite/0011_target_list_reads.sql"),
            ),
            (
                12,
                "period close",
                include_str!("../migrations/sqlite/0012_period_close.sql"),
            ),
            (
                13,
                "report summary",
                include_str!("../migrations/sqlite/0013_report_summary.sql"),
            ),
            (
                14,
                "period reopen",
                include_str!("../migrations/sqlite/0014_period_reopen.sql"),
            ),
            (
                15,
                "service day report",
                include_str!("../migrations/sqlite/0015_service_day_report.sql"),
            ),
        ],
        EngineKind::Postgres => &[
            (
                1,
                "record",
                include_str!("../migrations/postgres/0001_record.sql"),
            ),
            (
                2,
                "month indexes",
                include_str!("../migrations/postgres/0002_month_indexes.sql"),
            ),
            (
                3,
                "person parent name",
                include_str!("../migrations/postgres/0003_person_parent_name.sql"),
            ),
            (
                4,
                "accounts",
                include_str!("../migrations/postgres/0004_accounts.sql"),
            ),
            (
                5,
                "service day reads",
                include_str!("../migrations/postgres/0005_service_day_reads.sql"),
            ),
            (
                6,
                "one visit per day",
                include_str!("../migrations/postgres/0006_one_visit_per_day.sql"),
            ),
            (
                7,
                "day closed",
                include_str!("../migrations/postgres/0007_day_closed.sql"),
            ),
            (
                8,
                "review",
                include_str!("../migrations/postgres/0008_review.sql"),
            ),
            (
                9,
                "sync state",
                include_str!("../migrations/postgres/0009_sync_state.sql"),
            ),
            (
                10,
                "sync refused",
                include_str!("../migrations/postgres/0010_sync_refused.sql"),
            ),
            (
                11,
                "target list reads",
                include_str!("../migrations/postgres/0011_target_list_reads.sql"),
            ),
            (
                12,
                "period close",
                include_str!("../migrations/postgres/0012_period_close.sql"),
            ),
            (
                13,
                "report summary",
                include_str!("../migrations/postgres/0013_report_summary.sql"),
            ),
            (
                14,
                "period reopen",
                include_str!("../migrations/postgres/0014_period_reopen.sql"),
            ),
            (
                15,
                "service day report",
                include_str!("../migrations/postgres/0015_service_day_report.sql"),
            ),
        ],
    };
    Migrator::with_migrations(
        files
            .iter()
            .map(|(v, d, sql)| {
                Migration::new(
                    *v,
                    (*d).into(),
                    MigrationType::Simple,
                    AssertSqlSafe(*sql).into_sql_str(),
                    false,
                )
            })
            .collect(),
    )
}

/// The URL without its password, for error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..s], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A migration file that is not in [`migrator`] would never run: every file of each
    /// engine's folder must be listed, with its number as the version.
    #[test]
    fn every_migration_file_is_embedded() {
        for (kind, dir) in [
            (EngineKind::Sqlite, "sqlite"),
            (EngineKind::Postgres, "postgres"),
        ] {
            let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir);
            let mut versions: Vec<i64> = std::fs::read_dir(&folder)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .filter_map(|e| e.file_name().to_str()?.get(..4)?.parse().ok())
                        .collect()
                })
                .unwrap_or_default();
            versions.sort_unstable();
            let embedded: Vec<i64> = migrator(kind).iter().map(|m| m.version).collect();
            assert_eq!(embedded, versions, "{dir}");
        }
    }
}
