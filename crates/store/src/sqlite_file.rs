//! Backup of the SQLite file, and the checks a file must pass before it is restored.
//!
//! Backup is `VACUUM INTO` a temporary file next to the destination, then a rename: it reads
//! one consistent snapshot inside a read transaction, so writers keep going (WAL), and the
//! destination never holds a half-written copy. The SHA-256 of what was written goes into
//! `FILE.sha256` ([`crate::backup_sum`]) before the backup gets its name, so a backup under
//! its final name always has its checksum. Restore lives in [`crate::sqlite_restore`].

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::backup_sum::{self, Sha256Hex};
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

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub check: FileCheck,
    /// SHA-256 of the backup file, also in [`BackupReport::sidecar`].
    pub sha256: Sha256Hex,
    /// The `FILE.sha256` written beside the backup.
    pub sidecar: PathBuf,
}

pub(crate) fn file_error(path: &Path, reason: impl ToString) -> StoreError {
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
    /// Writes a consistent copy of this SQLite database to `dest`, and its SHA-256 to
    /// `dest.sha256`, while others keep writing. Refuses to overwrite an existing file.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<BackupReport> {
        let pool = self.sqlite_pool().ok_or_else(|| {
            StoreError::invalid(
                "database-url",
                "postgres",
                "backup hanya untuk SQLite; untuk PostgreSQL gunakan pg_dump",
            )
        })?;
        if dest.is_dir() {
            return Err(file_error(dest, "adalah direktori; beri nama file backup"));
        }
        let side = backup_sum::sidecar_path(dest);
        for existing in [dest, side.as_path()] {
            if existing.exists() {
                return Err(file_error(existing, "sudah ada; pilih nama lain"));
            }
        }
        let tmp = sibling(dest, "backup-tmp");
        remove_db_files(&tmp);
        let tmp_text = tmp
            .to_str()
            .ok_or_else(|| file_error(dest, "nama file bukan UTF-8"))?
            .to_owned();
        let written = async {
            sqlx::query("VACUUM INTO $1")
                .bind(&tmp_text)
                .execute(pool)
                .await?;
            // A self-contained file: rollback journal, so opening it never needs a -wal.
            let opts = SqliteConnectOptions::new().filename(&tmp);
            let mut conn = SqliteConnection::connect_with(&opts).await?;
            sqlx::query_scalar::<_, String>("PRAGMA journal_mode=DELETE")
                .fetch_one(&mut conn)
                .await?;
            conn.close().await?;
            let check = check_sqlite_file(&tmp).await?;
            std::fs::File::open(&tmp)
                .and_then(|f| f.sync_all())
                .map_err(|e| file_error(&tmp, e))?;
            let sha256 = backup_sum::sha256_file(&tmp)?;
            Ok::<_, StoreError>((check, sha256))
        }
        .await;
        let (check, sha256) = match written {
            Ok(w) => w,
            Err(e) => {
                remove_db_files(&tmp);
                return Err(e);
            }
        };
        // Checksum first, then the backup's name: a crash in between leaves a sidecar
        // without its backup, never a backup without its checksum.
        let sidecar = match backup_sum::write_sidecar(dest, &sha256) {
            Ok(s) => s,
            Err(e) => {
                remove_db_files(&tmp);
                return Err(e);
            }
        };
        if let Err(e) = std::fs::rename(&tmp, dest) {
            remove_db_files(&tmp);
            let _ = std::fs::remove_file(&sidecar);
            return Err(file_error(dest, e));
        }
        sync_dir(dest);
        Ok(BackupReport {
            check,
            sha256,
            sidecar,
        })
    }
}

/// Opens a file read-only and checks it is an intact database of this application with no
/// migration this binary does not know.
pub async fn check_sqlite_file(path: &Path) -> Result<FileCheck> {
    if path.is_dir() {
        return Err(file_error(path, "adalah direktori, bukan file basis data"));
    }
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

/// `dir/name.ext` → `dir/name.ext.<suffix>` (same directory, so renames stay atomic).
pub(crate) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".{suffix}"));
    path.with_file_name(name)
}

pub(crate) fn wal_of(path: &Path) -> PathBuf {
    sibling_raw(path, "-wal")
}

pub(crate) fn sibling_raw(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

pub(crate) fn remove_db_files(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(sibling_raw(path, "-wal"));
    let _ = std::fs::remove_file(sibling_raw(path, "-shm"));
}

/// Makes a rename in `path`'s directory durable (best effort: not every filesystem allows it).
pub(crate) fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
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
