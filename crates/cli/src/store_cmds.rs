//! Storage subcommands (issue 4): `migrate`, `backup`, `restore`, and (owned by the demo
//! part) `demo` and `import`. Every one takes `--database-url` / `POSYANDU_DATABASE_URL`;
//! `sqlite://…` (or a plain file path) selects SQLite, `postgres://…` PostgreSQL.

mod backup;
pub mod demo;
mod import;
pub mod region;
pub mod unit;

use crate::out::say;
use clap::Args;
use store::Store;

/// Default database: a SQLite file in the current directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://posyandu.sqlite";

/// Where the record lives.
#[derive(Args, Debug, Clone)]
pub struct DbArgs {
    /// Database URL: sqlite://FILE (default sqlite://posyandu.sqlite) or postgres://USER@HOST/DB.
    #[arg(long = "database-url", env = "POSYANDU_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, hide_env_values = true)]
    pub database_url: String,
}

/// Subcommands that work on the record.
#[derive(clap::Subcommand)]
pub enum StoreCommand {
    /// Create or upgrade the database schema (running it twice changes nothing).
    Migrate {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Copy a SQLite database to FILE while it is in use (consistent snapshot).
    Backup {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: backup::BackupArgs,
    },
    /// Replace the SQLite database with a backup FILE, after checking the file.
    Restore {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: backup::RestoreArgs,
    },
    /// Fill the database with the seeded demo region.
    Demo {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: demo::DemoArgs,
    },
    /// Import a register CSV (persons and weighings).
    Import {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: import::ImportArgs,
    },
    /// Build the org tree from the Kemendagri codes: `region init 35.08`.
    #[command(subcommand)]
    Region(region::RegionCommand),
    /// Add Puskesmas, posyandu and poskestren by name; list the tree and unit paths.
    #[command(subcommand)]
    Unit(unit::UnitCommand),
}

pub fn run(cmd: StoreCommand) -> anyhow::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        match cmd {
            StoreCommand::Migrate { db } => {
                let store = open(&db).await?;
                let report = store.migrate().await?;
                say!(
                    "Migrasi selesai: {} diterapkan, {} dikenal ({:?}).",
                    report.applied,
                    report.known,
                    store.kind()
                )?;
                store.close().await;
                Ok(())
            }
            StoreCommand::Backup { db, args } => backup::backup(&db, &args).await,
            StoreCommand::Restore { db, args } => backup::restore(&db, &args).await,
            StoreCommand::Demo { db, args } => {
                let store = open_migrated(&db).await?;
                let res = demo::run(&store, &args).await;
                store.close().await;
                res
            }
            // Opens the database itself, after checking the register and --errors.
            StoreCommand::Import { db, args } => import::command(&db, &args).await,
            StoreCommand::Region(cmd) => region::run(cmd).await,
            StoreCommand::Unit(cmd) => unit::run(cmd).await,
        }
    })
}

/// Opens the database named by `db`, without migrating.
pub async fn open(db: &DbArgs) -> anyhow::Result<Store> {
    Store::connect(&db.database_url).await.map_err(|e| {
        anyhow::anyhow!(
            "tidak bisa membuka basis data {}: {e}",
            store::redact_url(&db.database_url)
        )
    })
}

/// Opens a database that must already exist, for the commands that need its data (`import`,
/// `backup`, …): a mistyped `--database-url` is refused instead of silently creating an empty
/// database there (only `migrate` and `demo` create one).
pub async fn open_existing(db: &DbArgs) -> anyhow::Result<Store> {
    let shown = store::redact_url(&db.database_url);
    if let Some(path) = store::sqlite_path(&db.database_url) {
        if path.is_dir() {
            anyhow::bail!("basis data {shown} adalah direktori, bukan file SQLite");
        }
        if !path.exists() {
            anyhow::bail!(
                "basis data {shown} tidak ada: periksa --database-url (buat yang baru dengan \
                 `posyandu migrate` atau `posyandu demo`)"
            );
        }
    }
    let store = open(db).await?;
    if store.applied_migrations().await == 0 {
        store.close().await;
        anyhow::bail!(
            "basis data {shown} belum berisi data posyandu (belum dimigrasi): periksa \
             --database-url, atau jalankan `posyandu migrate` dulu"
        );
    }
    Ok(store)
}

/// Opens the database and brings its schema up to date.
pub async fn open_migrated(db: &DbArgs) -> anyhow::Result<Store> {
    let store = open(db).await?;
    store.migrate().await?;
    Ok(store)
}
