//! Restore of a SQLite backup over the live database file.
//!
//! In order, and touching nothing of the live database until the last step:
//! 1. the backup's SHA-256 must match its `FILE.sha256` (a backup without one is refused
//!    unless the caller allows it explicitly);
//! 2. the backup must pass [`check_sqlite_file`];
//! 3. no other process may have the live database open: we take SQLite's own EXCLUSIVE lock
//!    on it (see [`LiveLock`]) and hold it until the swap;
//! 4. the backup is copied to `TARGET.restore-tmp` (the copy's hash checked again), upgraded
//!    and checked; the temporary file is removed whatever fails ([`TempDb`]);
//! 5. the old database's WAL is folded into it, it gets a second name (`TARGET.before-restore-<unix time>`, a hard
//!    link) and the copy is renamed over `TARGET`, so the path never lacks a database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};

use crate::backup_sum::{self, Sha256Hex};
use crate::db::Store;
use crate::error::Result;
use crate::sqlite_file::{
    FileCheck, check_sqlite_file, file_error, remove_db_files, sibling, sibling_raw, sync_dir,
    wal_of,
};

/// How a restore treats a backup that has no checksum.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RestoreOptions {
    /// Accept a backup without `FILE.sha256` (made before backups had one). Its structure is
    /// still checked; a checksum that is present and does not match is refused regardless.
    pub allow_unverified: bool,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub check: FileCheck,
    /// The backup's verified SHA-256; `None` when it had none and that was allowed.
    pub sha256: Option<Sha256Hex>,
    /// Where the database that was replaced now lives (if there was one).
    pub previous: Option<PathBuf>,
}

/// Replaces the SQLite database at `target` with the backup at `backup` (see the module doc).
pub async fn restore_sqlite_file(
    backup: &Path,
    target: &Path,
    opts: RestoreOptions,
) -> Result<RestoreReport> {
    if backup.is_dir() {
        return Err(file_error(backup, "adalah direktori, bukan file backup"));
    }
    if !backup.is_file() {
        return Err(file_error(backup, "tidak ada"));
    }
    let sha256 = verify_sum(backup, opts)?;
    check_sqlite_file(backup).await?;
    if target.is_dir() {
        return Err(file_error(
            target,
            "adalah direktori, bukan file basis data (periksa --database-url)",
        ));
    }
    let lock = if target.exists() {
        Some(LiveLock::take(target).await?)
    } else {
        None
    };

    let tmp = TempDb(sibling(target, "restore-tmp"));
    remove_db_files(&tmp.0);
    let copied = backup_sum::copy_hashing(backup, &tmp.0).map_err(|e| file_error(&tmp.0, e))?;
    if let Some(sum) = &sha256
        && copied != *sum
    {
        return Err(file_error(
            backup,
            "berubah selama disalin (checksum salinan tidak cocok); ulangi restore",
        ));
    }
    let check = upgrade(&tmp.0).await?;

    let previous = match lock {
        Some(lock) => Some(lock.swap_in(&tmp.0).await?),
        None => {
            std::fs::rename(&tmp.0, target).map_err(|e| file_error(target, e))?;
            sync_dir(target);
            None
        }
    };
    Ok(RestoreReport {
        check,
        sha256,
        previous,
    })
}

/// Step 1: the backup's bytes against its recorded SHA-256.
fn verify_sum(backup: &Path, opts: RestoreOptions) -> Result<Option<Sha256Hex>> {
    let side = backup_sum::sidecar_path(backup);
    match backup_sum::recorded_sum(backup)? {
        Some(sum) => {
            let actual = backup_sum::sha256_file(backup)?;
            if actual != sum {
                return Err(file_error(
                    backup,
                    format!(
                        "checksum SHA-256 tidak cocok dengan {}: file backup rusak atau \
                         berubah sejak dibuat (tercatat {}…, dihitung {}…); pakai backup lain",
                        side.display(),
                        &sum[..12],
                        &actual[..12]
                    ),
                ));
            }
            Ok(Some(sum))
        }
        None if opts.allow_unverified => Ok(None),
        None => Err(file_error(
            backup,
            format!(
                "tidak punya checksum ({} tidak ada; backup dari versi lama?), jadi kerusakan \
                 isi baris tidak bisa dideteksi; jika yakin file ini utuh, ulangi dengan \
                 --unverified (strukturnya tetap diperiksa)",
                side.display()
            ),
        )),
    }
}

/// Step 4: migrate the copy and make it a single self-contained file again.
async fn upgrade(tmp: &Path) -> Result<FileCheck> {
    let store = Store::open_sqlite_file(tmp).await?;
    let res = store.migrate().await;
    store.close().await;
    res?;
    let opts = SqliteConnectOptions::new().filename(tmp);
    let mut conn = SqliteConnection::connect_with(&opts).await?;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode=DELETE")
        .fetch_one(&mut conn)
        .await?;
    conn.close().await?;
    if mode != "delete" || wal_of(tmp).exists() {
        return Err(file_error(tmp, "WAL tidak tertutup"));
    }
    check_sqlite_file(tmp).await
}

/// The temporary copy; removed (with any -wal/-shm) unless it was renamed into place.
struct TempDb(PathBuf);

impl Drop for TempDb {
    fn drop(&mut self) {
        remove_db_files(&self.0);
    }
}

/// SQLite's EXCLUSIVE lock on the live database, held by our own connection.
///
/// In WAL mode every connection keeps a SHARED lock on the database file for as long as it is
/// open, idle or not, and a writer in rollback mode holds one for its transaction; so
/// `BEGIN EXCLUSIVE` with no busy timeout fails at once while any other process (server,
/// `import`, `demo`, the `sqlite3` shell) has the database open. `locking_mode=EXCLUSIVE`
/// keeps the lock after the transaction, and new openers wait or fail until we close.
struct LiveLock {
    target: PathBuf,
    conn: SqliteConnection,
}

fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i32>().ok())
        // SQLITE_BUSY (5) and SQLITE_LOCKED (6), with their extended codes.
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

impl LiveLock {
    async fn take(target: &Path) -> Result<LiveLock> {
        let in_use = || {
            file_error(
                target,
                "basis data sedang dibuka proses lain (server, import, demo, atau sqlite3): \
                 hentikan proses itu dulu, lalu ulangi restore",
            )
        };
        let cannot = |e: sqlx::Error| {
            file_error(
                target,
                format!(
                    "basis data yang akan diganti tidak bisa dikunci ({e}); \
                     jika file itu rusak, pindahkan dulu lalu ulangi restore"
                ),
            )
        };
        let opts = SqliteConnectOptions::new()
            .filename(target)
            .create_if_missing(false)
            .locking_mode(SqliteLockingMode::Exclusive)
            .busy_timeout(Duration::ZERO);
        let mut conn = match SqliteConnection::connect_with(&opts).await {
            Ok(c) => c,
            Err(e) if is_busy(&e) => return Err(in_use()),
            Err(e) => return Err(cannot(e)),
        };
        let locked = async {
            sqlx::raw_sql("BEGIN EXCLUSIVE").execute(&mut conn).await?;
            sqlx::raw_sql("COMMIT").execute(&mut conn).await
        }
        .await;
        match locked {
            Ok(_) => Ok(LiveLock {
                target: target.to_owned(),
                conn,
            }),
            Err(e) => {
                let _ = conn.close().await;
                if is_busy(&e) {
                    Err(in_use())
                } else {
                    Err(cannot(e))
                }
            }
        }
    }

    /// Step 5: keep the old database under a second name, rename the copy over it, release.
    async fn swap_in(mut self, tmp: &Path) -> Result<PathBuf> {
        let target = self.target.clone();
        let target = target.as_path();
        // Fold any WAL (also one left by a killed process) into the file and drop it, so the
        // kept database is one self-contained file and no -wal is left beside the new one.
        let mode = sqlx::query_scalar::<_, String>("PRAGMA journal_mode=DELETE")
            .fetch_one(&mut self.conn)
            .await
            .map_err(|e| file_error(target, e))?;
        if mode != "delete" || wal_of(target).exists() {
            return Err(file_error(
                target,
                "WAL basis data lama tidak bisa ditutup; tidak ada yang diganti",
            ));
        }
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let mut keep = sibling(target, &format!("before-restore-{stamp}"));
        let mut n = 1;
        while keep.exists() {
            n += 1;
            keep = sibling(target, &format!("before-restore-{stamp}-{n}"));
        }
        // A filesystem without hard links gets a rename: the path lacks a database for the
        // moment between the two renames, and the old one is put back if the second fails.
        let linked = std::fs::hard_link(target, &keep).is_ok();
        if !linked {
            std::fs::rename(target, &keep).map_err(|e| file_error(&keep, e))?;
        }
        // Nobody else has the file open (we hold the lock): a stale -shm must not be
        // picked up by the first opener of the new file.
        let _ = std::fs::remove_file(sibling_raw(target, "-shm"));
        if let Err(e) = std::fs::rename(tmp, target) {
            if linked {
                let _ = std::fs::remove_file(&keep);
            } else {
                let _ = std::fs::rename(&keep, target);
            }
            return Err(file_error(target, e));
        }
        sync_dir(target);
        // The connection's file is now `keep`; closing it releases the lock.
        let _ = self.conn.close().await;
        Ok(keep)
    }
}
