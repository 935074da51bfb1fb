//! Backup and restore of the SQLite file.
//!
//! Backup is `VACUUM INTO` a temporary file next to the destination, then a rename: it reads
//! one consistent snapshot inside a read transaction, so writers keep going (WAL), and the
//! destination never holds a half-written copy. Restore checks the file first
//! (`PRAGMA integrity_check`, migrations known to this binary), upgrades a copy, and only
//! then swaps it in, keeping the previous database beside it.

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::db::{EngineKind, Store, migrator};
use crate::error::{Result, StoreError};

/// What a checked SQLite file holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileCheck {
    /// Migrations applied in the file.
    pub migrations: usize,
    pub persons: i64,
    pub measurements: i64,
    pub audit_rows: i64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub check: FileCheck,
    /// Where the database that was replaced now lives (if there was one).
    pub previous: Option<PathBuf>,
}

fn file_error(path: &Path, reason: impl ToString) -> StoreError {
    StoreError::invalid("file", path.display(), reason)
}

/// The file path of a SQLite URL (`sqlite://x.db`, `sqlite:x.db?mode=rwc`, or a plain path).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    let rest = rest.split('?').next().unwrap_or(rest);
    if rest.is_empty() || rest == ":memory:" || rest.contains("://") {
        return None;
    }
    Some(PathBuf::from(rest))
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `dest` while others keep writing.
    /// Refuses to overwrite an existing file.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<FileCheck> {
        let pool = self.sqlite_pool().ok_or_else(|| {
            StoreError::invalid(
                "database-url",
                "postgres",
                "backup hanya untuk SQLite; untuk PostgreSQL gunakan pg_dump",
            )
        })?;
        if dest.exists() {
            return Err(file_error(dest, "sudah ada; pilih nama lain"));
        }
        let tmp = sibling(dest, "backup-tmp");
        let _ = std::fs::remove_file(&tmp);
        let tmp_text = tmp
            .to_str()
            .ok_or_else(|| file_error(dest, "nama file bukan UTF-8"))?
            .to_owned();
        let res = sqlx::query("VACUUM INTO $1")
            .bind(&tmp_text)
            .execute(pool)
            .await;
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.into());
        }
        let check = match check_sqlite_file(&tmp).await {
            Ok(c) => c,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, dest).map_err(|e| file_error(dest, e))?;
        Ok(check)
    }
}

/// Opens a file read-only and checks it is an intact database of this application with no
/// migration this binary does not know.
pub async fn check_sqlite_file(path: &Path) -> Result<FileCheck> {
    if !path.is_file() {
        return Err(file_error(path, "tidak ada"));
    }
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false);
    let mut conn = SqliteConnection::connect_with(&opts)
        .await
        .map_err(|e| file_error(path, format!("bukan basis data SQLite: {e}")))?;
    let res = check_conn(&mut conn, path).await;
    let _ = conn.close().await;
    res
}

async fn check_conn(conn: &mut SqliteConnection, path: &Path) -> Result<FileCheck> {
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| file_error(path, format!("bukan basis data SQLite: {e}")))?;
    if integrity != ["ok"] {
        return Err(file_error(
            path,
            format!("integrity_check gagal: {}", integrity.join("; ")),
        ));
    }
    // Rows pointing at missing rows (a file edited by hand, or stitched from two databases).
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(&mut *conn)
        .await?;
    if let Some((table,)) = dangling.first() {
        return Err(file_error(
            path,
            format!(
                "{} baris dengan rujukan yang hilang (mis. di tabel {table})",
                dangling.len()
            ),
        ));
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut *conn)
            .await
            .map_err(|_| file_error(path, "bukan basis data posyandu (tidak ada migrasi)"))?;
    let known = migrator(EngineKind::Sqlite);
    for (version, checksum) in &applied {
        let Some(m) = known.iter().find(|m| m.version == *version) else {
            return Err(file_error(
                path,
                format!(
                    "migrasi {version} tidak dikenal (dibuat oleh versi posyandu yang lebih baru?)"
                ),
            ));
        };
        if m.checksum.as_ref() != checksum.as_slice() {
            return Err(file_error(path, format!("migrasi {version} berbeda isi")));
        }
    }
    let count = |table: &'static str| {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql))
    };
    Ok(FileCheck {
        migrations: applied.len(),
        persons: count("person").fetch_one(&mut *conn).await?,
        measurements: count("measurement").fetch_one(&mut *conn).await?,
        audit_rows: count("audit_log").fetch_one(&mut *conn).await?,
    })
}

/// Replaces the SQLite database at `target` with the backup at `backup`.
///
/// Nothing is touched unless the backup checks out and upgrades cleanly. The replaced
/// database is kept as `<target>.before-restore-<unix time>`. Refuses while another process
/// has the target open (its WAL would be lost): stop the server first.
pub async fn restore_sqlite_file(backup: &Path, target: &Path) -> Result<RestoreReport> {
    check_sqlite_file(backup).await?;
    let tmp = sibling(target, "restore-tmp");
    remove_db_files(&tmp);
    std::fs::copy(backup, &tmp).map_err(|e| file_error(&tmp, e))?;
    let upgraded = async {
        let store = Store::open_sqlite_file(&tmp).await?;
        let res = store.migrate().await;
        store.close().await;
        res?;
        // Back to a single self-contained file (no -wal/-shm beside it) before the swap.
        let opts = SqliteConnectOptions::new().filename(&tmp);
        let mut conn = SqliteConnection::connect_with(&opts).await?;
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode=DELETE")
            .fetch_one(&mut conn)
            .await?;
        conn.close().await?;
        if mode != "delete" || wal_of(&tmp).exists() {
            return Err(file_error(&tmp, "WAL tidak tertutup"));
        }
        check_sqlite_file(&tmp).await
    }
    .await;
    let check = match upgraded {
        Ok(c) => c,
        Err(e) => {
            remove_db_files(&tmp);
            return Err(e);
        }
    };

    let mut previous = None;
    if target.exists() {
        // Fold a leftover WAL into the file; if it stays, someone has the database open.
        if wal_of(target).exists() {
            let store = Store::open_sqlite_file(target).await?;
            store.close().await;
        }
        if wal_of(target).exists() {
            remove_db_files(&tmp);
            return Err(file_error(
                target,
                "basis data sedang dipakai proses lain; hentikan server dulu",
            ));
        }
        let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
        let keep = sibling(target, &format!("before-restore-{stamp}"));
        std::fs::rename(target, &keep).map_err(|e| file_error(target, e))?;
        previous = Some(keep);
    }
    if let Err(e) = std::fs::rename(&tmp, target) {
        // Put the old database back so the operator is never left without one.
        if let Some(prev) = &previous {
            let _ = std::fs::rename(prev, target);
        }
        return Err(file_error(target, e));
    }
    Ok(RestoreReport { check, previous })
}

/// `dir/name.ext` → `dir/name.ext.<suffix>` (same directory, so renames stay atomic).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

fn wal_of(path: &Path) -> PathBuf {
    sibling_raw(path, "-wal")
}

fn sibling_raw(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

fn remove_db_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(sibling_raw(path, "-wal"));
    let _ = std::fs::remove_file(sibling_raw(path, "-shm"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_from_urls() {
        let cases: &[(&str, Option<&str>)] = &[
            ("sqlite://posyandu.sqlite", Some("posyandu.sqlite")),
            ("sqlite:///var/lib/p.db", Some("/var/lib/p.db")),
            ("sqlite:p.db?mode=rwc", Some("p.db")),
            ("p.sqlite", Some("p.sqlite")),
            ("postgres://u@h/db", None),
            ("sqlite::memory:", None),
        ];
        for (url, want) in cases {
            assert_eq!(sqlite_path(url), want.map(PathBuf::from), "{url}");
        }
    }
}
