//! `posyandu backup` and `posyandu restore` for the SQLite file.

use crate::out::say;
use std::path::PathBuf;

use anyhow::{Context, bail};

use super::DbArgs;

#[derive(clap::Args, Debug)]
pub struct BackupArgs {
    /// Backup file to write (must not exist yet), e.g. cadangan-2026-11-23.sqlite.
    pub file: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct RestoreArgs {
    /// Backup file to restore from.
    pub file: PathBuf,
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
    let source = target_file(db)?;
    if !source.is_file() {
        bail!("basis data {} tidak ada", source.display());
    }
    let store = super::open(db).await?;
    let res = store.backup_sqlite(&args.file).await;
    store.close().await;
    let check = res.with_context(|| format!("backup ke {} gagal", args.file.display()))?;
    say!(
        "Backup tersimpan di {}: {} orang, {} pengukuran, {} baris audit (integrity_check ok).",
        args.file.display(),
        check.persons,
        check.measurements,
        check.audit_rows
    )?;
    Ok(())
}

pub async fn restore(db: &DbArgs, args: &RestoreArgs) -> anyhow::Result<()> {
    let target = target_file(db)?;
    let report = store::restore_sqlite_file(&args.file, &target)
        .await
        .with_context(|| format!("restore dari {} ditolak", args.file.display()))?;
    say!(
        "Dipulihkan ke {}: {} orang, {} pengukuran, {} baris audit.",
        target.display(),
        report.check.persons,
        report.check.measurements,
        report.check.audit_rows
    )?;
    if let Some(prev) = report.previous {
        say!("Basis data sebelumnya disimpan sebagai {}.", prev.display())?;
    }
    Ok(())
}
