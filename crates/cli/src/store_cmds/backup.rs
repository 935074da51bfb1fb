//! `posyandu backup` and `posyandu restore` for the SQLite file.
//!
//! A backup is the file plus `FILE.sha256`; restore verifies that checksum before anything
//! else and refuses a backup without one unless `--unverified` says the operator accepts it.

use crate::out::say;
use std::path::PathBuf;

use anyhow::{Context, bail};

use super::DbArgs;

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// Backup file to write (must not exist yet), e.g. cadangan-2026-11-23.sqlite; its SHA-256
    /// goes to FILE.sha256 beside it.
    pub file: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// Backup file to restore from (its FILE.sha256 must be beside it).
    pub file: PathBuf,
    /// Accept a backup without FILE.sha256 (made before backups had checksums): damage inside
    /// row data cannot be detected then, only damage to the file's structure.
    #[arg(long)]
    pub unverified: bool,
}

fn target_file(db: &DbArgs) -> anyhow::Result<PathBuf> {
    match store::sqlite_path(&db.database_url) {
        Some(p) => Ok(p),
        None => bail!(
            "backup/restore hanya untuk file SQLite ({}); untuk PostgreSQL gunakan pg_dump/pg_restore",
            store::redact_url(&db.database_url)
        ),
    }
}

pub async fn backup(db: &DbArgs, args: &BackupArgs) -> anyhow::Result<()> {
    target_file(db)?;
    let store = super::open_existing(db).await?;
    let res = store.backup_sqlite(&args.file).await;
    store.close().await;
    let report = res.with_context(|| format!("backup ke {} gagal", args.file.display()))?;
    let check = &report.check;
    say!(
        "Backup tersimpan di {}: {} orang, {} pengukuran, {} baris audit (integrity_check ok).",
        args.file.display(),
        check.persons,
        check.measurements,
        check.audit_rows
    )?;
    say!(
        "SHA-256 {} di {} (restore memeriksanya; simpan kedua file bersama).",
        report.sha256,
        report.sidecar.display()
    )?;
    Ok(())
}

pub async fn restore(db: &DbArgs, args: &RestoreArgs) -> anyhow::Result<()> {
    let target = target_file(db)?;
    let opts = store::RestoreOptions {
        allow_unverified: args.unverified,
    };
    let report = store::restore_sqlite_file(&args.file, &target, opts)
        .await
        .with_context(|| format!("restore dari {} ditolak", args.file.display()))?;
    say!(
        "Dipulihkan ke {}: {} orang, {} pengukuran, {} baris audit.",
        target.display(),
        report.check.persons,
        report.check.measurements,
        report.check.audit_rows
    )?;
    match &report.sha256 {
        Some(sum) => say!("Checksum SHA-256 cocok: {sum}.")?,
        None => say!("Tanpa checksum (--unverified): hanya struktur file yang diperiksa.")?,
    }
    match report.previous {
        Some(prev) => say!("Basis data sebelumnya disimpan sebagai {}.", prev.display())?,
        None => say!(
            "Belum ada basis data di {}: dibuat dari backup.",
            target.display()
        )?,
    }
    Ok(())
}
