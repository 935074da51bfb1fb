//! `posyandu import`: stores a register file (persons and weighings; CSV or XLSX, the
//! register layout or e-PPGBM's export) through `exchange`, the same code the web upload
//! uses.
//!
//! The file is read and checked first (`exchange::register`, pure): every bad row is
//! reported with its line, column and value. The `--errors` file is checked before the
//! database is opened, so a refused destination stores nothing and touches nothing. Each
//! good row is then stored in its own transaction (`exchange::import`), with ids derived
//! from the row's natural keys, so importing the same file again adds nothing. A database
//! that cannot write stops the import at the first failure with one message.

mod messages;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use exchange::register::{self, ParsedFile};
use exchange::{Options, Outcome};
use store::{Actor, OrgPath, Store};
use time::{OffsetDateTime, UtcOffset};

use crate::out::say;
use crate::safe_file::{Guard, OutputFile};
pub use messages::Lang;
use messages::Tr;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Register CSV (UTF-8; separator , ; or tab; decimal comma or point) or XLSX, in the
    /// register layout or e-PPGBM's export layout.
    pub file: PathBuf,
    /// Org unit the rows belong to, as its path (e.g. /35/3508/350801/P3508010101/3508012001/PY01/).
    /// A posyandu takes every row; a higher unit needs kode_desa + posyandu in each row.
    #[arg(long)]
    pub unit: String,
    /// Only check the file and report; store nothing.
    #[arg(long)]
    pub check: bool,
    /// Also write the rejected rows' problems to this CSV (baris, kolom, nilai, alasan).
    /// Never the register or the database; an existing file only with --force.
    #[arg(long)]
    pub errors: Option<PathBuf>,
    /// Replace an existing --errors file.
    #[arg(long)]
    pub force: bool,
    /// Language of the messages and the report.
    #[arg(long, value_enum, default_value = "id")]
    pub lang: Lang,
}

/// The whole command: read and check the register, check the `--errors` destination, then
/// open the database and store.
pub async fn command(db: &super::DbArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let tr = Tr(args.lang);
    let bytes = std::fs::read(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", tr.cannot_read(args.file.display())))?;
    // "Today" in WIB bounds birth and measurement dates.
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let today = OffsetDateTime::now_utc().to_offset(wib).date();
    let parsed = match register::parse_bytes(&bytes, today, tr.lang()) {
        Ok(p) => p,
        Err(register::FileError::NotUtf8) => {
            anyhow::bail!(tr.not_utf8(args.file.display()))
        }
        Err(e) => anyhow::bail!(tr.file_error(&e)),
    };
    let path =
        OrgPath::parse(&args.unit).map_err(|e| anyhow::anyhow!(tr.bad_unit_path(&args.unit, e)))?;
    let errors_file = match &args.errors {
        Some(dest) => {
            let guard = Guard {
                inputs: vec![args.file.clone()],
                database: store::sqlite_path(&db.database_url),
                force: args.force,
            };
            Some(OutputFile::create(dest, &guard)?)
        }
        None => None,
    };
    // A mistyped --database-url must not create an empty database to import into.
    let store = super::open_existing(db).await?;
    store.migrate().await?;
    let res = run(&store, args, tr, &parsed, &path, errors_file).await;
    store.close().await;
    res
}

async fn run(
    db: &Store,
    args: &ImportArgs,
    tr: Tr,
    parsed: &ParsedFile,
    path: &OrgPath,
    errors_file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let system = Actor::system("import");
    let scope_unit = db
        .org_unit_by_path(&system, path)
        .await?
        .ok_or_else(|| anyhow::anyhow!(tr.unit_not_in_db(&args.unit)))?;
    let actor = system.narrowed(&scope_unit.path);
    let opts = Options {
        check_only: args.check,
        lang: tr.lang(),
        reveal_outside: true,
    };
    let outcome = exchange::import::run(db, &actor, &scope_unit, parsed, opts).await?;
    report(args, tr, parsed, &outcome, errors_file)?;
    if let Some(s) = &outcome.stopped {
        anyhow::bail!(exchange::import::Tr(tr.lang()).stopped(s.line, &s.error, s.stored));
    }
    let rejected = outcome.rejected();
    if !rejected.is_empty() {
        anyhow::bail!(tr.some_rejected(rejected.len()));
    }
    Ok(())
}

fn report(
    args: &ImportArgs,
    tr: Tr,
    parsed: &ParsedFile,
    outcome: &Outcome,
    errors_file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let (t, errors, valid) = (&outcome.tally, &outcome.errors[..], outcome.valid);
    let rejected: BTreeSet<u64> = outcome.rejected();
    say!("{}", tr.read_lines(args.file.display(), parsed.lines_read))?;
    if args.check {
        say!("{}", tr.check_only(valid, rejected.len()))?;
    } else {
        say!(
            "{}",
            tr.stored(
                t.rows_stored,
                t.persons_new,
                t.persons_existing,
                t.weighings_new,
                t.weighings_existing,
                t.flagged
            )
        )?;
        say!("{}", tr.findings(t.findings))?;
        say!("{}", tr.rejected(rejected.len()))?;
    }
    for e in errors {
        say!("  {}", tr.line(e.line, e.field, &e.value, &e.reason))?;
    }
    // Notes of stored rows only: a rejected row is fixed and imported again anyway.
    let notes = outcome.notes(parsed);
    if !notes.is_empty() {
        say!("{}", tr.to_recheck(notes.len()))?;
        for n in notes {
            say!("  {}", tr.line(n.line, n.field, &n.value, &n.message))?;
        }
    }
    if let Some(mut file) = errors_file {
        let dest = file.dest().display().to_string();
        let written = (|| -> anyhow::Result<()> {
            let mut w = csv::Writer::from_writer(&mut file);
            w.write_record(tr.csv_header())?;
            for e in errors {
                w.write_record([e.line.to_string().as_str(), e.field, &e.value, &e.reason])?;
            }
            w.flush()?;
            drop(w);
            file.flush()?;
            Ok(())
        })();
        written.map_err(|e| anyhow::anyhow!("{}: {e}", tr.cannot_write(&dest)))?;
        file.commit()?;
    }
    Ok(())
}
