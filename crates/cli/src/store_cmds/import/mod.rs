//! `posyandu import`: stores a register CSV (persons and weighings, e-PPGBM-style).
//!
//! The file is read and checked first (`demo::register_import`, pure): every bad row is
//! reported with its line, column and value. The `--errors` file is checked before the
//! database is opened, so a refused destination stores nothing and touches nothing. Each
//! good row is then stored in its own transaction ([`save`]), with ids derived from the
//! row's natural keys, so importing the same file again adds nothing; rows are stored person
//! by person in date order so that each weighing's KMS status sees the earlier ones. A
//! database that cannot write stops the import at the first failure with one message.

mod messages;
mod save;
mod units;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::PathBuf;

use demo::register_import::{self, ParsedFile, RegisterRow, RowError, RowNote, UnitRef, keys};
use store::model::OrgUnit;
use store::{Actor, OrgPath, Person, Store};
use time::{OffsetDateTime, UtcOffset};

use crate::out::say;
use crate::safe_file::{Guard, OutputFile};
pub use messages::Lang;
use messages::Tr;
use save::{Ctx, Known, Saved, check_row, is_fatal, save_row};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Register CSV (UTF-8; separator , ; or tab; decimal comma or point).
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

/// Counts of one import.
#[derive(Default, Debug)]
struct Tally {
    rows_stored: u64,
    persons_new: u64,
    persons_existing: u64,
    weighings_new: u64,
    weighings_existing: u64,
    flagged: u64,
    findings: u64,
}

/// The whole command: read and check the register, check the `--errors` destination, then
/// open the database and store.
pub async fn command(db: &super::DbArgs, args: &ImportArgs) -> anyhow::Result<()> {
    let tr = Tr(args.lang);
    let bytes = std::fs::read(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", tr.cannot_read(args.file.display())))?;
    let text =
        String::from_utf8(bytes).map_err(|_| anyhow::anyhow!(tr.not_utf8(args.file.display())))?;
    // "Today" in WIB bounds birth and measurement dates.
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let today = OffsetDateTime::now_utc().to_offset(wib).date();
    let lang = match args.lang {
        Lang::Id => register_import::Lang::Id,
        Lang::En => register_import::Lang::En,
    };
    let parsed = register_import::parse_in(&text, today, lang)
        .map_err(|e| anyhow::anyhow!(tr.file_error(&e)))?;
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
    let units = db.org_units_under(&actor, scope_unit.id).await?;

    let mut errors: Vec<RowError> = parsed.errors.clone();
    let mut resolved: Vec<(&RegisterRow, &OrgUnit)> = Vec::new();
    let mut cache: HashMap<UnitRef, Result<usize, RowError>> = HashMap::new();
    for row in &parsed.rows {
        let r = cache
            .entry(row.unit.clone())
            .or_insert_with(|| units::resolve_unit(tr, &scope_unit, &units, &row.unit, row.line))
            .clone();
        match r {
            Ok(i) => resolved.push((row, &units[i])),
            Err(mut e) => {
                e.line = row.line;
                errors.push(e);
            }
        }
    }

    let mut tally = Tally::default();
    let stopped = store_all(
        db,
        &actor,
        &system,
        tr,
        &resolved,
        args.check,
        &mut tally,
        &mut errors,
    )
    .await;
    errors.sort_by_key(|e| e.line);
    let refused: BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
    let valid = resolved
        .iter()
        .filter(|(r, _)| !refused.contains(&r.line))
        .count();
    report(args, tr, parsed, &tally, &errors, valid, errors_file)?;
    if let Some(message) = stopped {
        anyhow::bail!(message);
    }
    let rejected: BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
    if !rejected.is_empty() {
        anyhow::bail!(tr.some_rejected(rejected.len()));
    }
    Ok(())
}

/// Stores the rows person by person (file order within a person's day), each row in its
/// own transaction; with `check_only`, only checks them against the store. Returns the
/// message that stopped the import, if the database failed.
#[allow(clippy::too_many_arguments)]
async fn store_all(
    db: &Store,
    actor: &Actor,
    system: &Actor,
    tr: Tr,
    resolved: &[(&RegisterRow, &OrgUnit)],
    check_only: bool,
    tally: &mut Tally,
    errors: &mut Vec<RowError>,
) -> Option<String> {
    let mut order: Vec<(String, usize)> = resolved
        .iter()
        .enumerate()
        .map(|(i, (row, _))| (keys::person_key(&row.person), i))
        .collect();
    let date = |i: usize| resolved[i].0.weighing.as_ref().map(|w| w.date);
    order.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then(date(*a).cmp(&date(*b))).then(a.cmp(b)));
    let mut mothers: HashMap<String, Option<Person>> = HashMap::new();
    let mut group: Option<(&str, Result<Known, RowError>)> = None;
    let mut counted = std::collections::HashSet::new();
    let stop = |line: u64, e: &store::StoreError, stored: u64| Some(tr.stopped(line, e, stored));
    for (key, i) in &order {
        let (row, unit) = resolved[*i];
        if group.as_ref().is_none_or(|(k, _)| k != key) {
            match Known::load(db, system, tr, row).await {
                Ok(k) => group = Some((key, k)),
                Err(e) if is_fatal(&e) => return stop(row.line, &e, tally.rows_stored),
                Err(e) => {
                    group = Some((key, Err(row_failed(tr, row.line, &e))));
                }
            }
        }
        let Some((_, known)) = group.as_mut() else {
            continue;
        };
        let known = match known {
            Ok(k) => k,
            Err(e) => {
                errors.push(RowError {
                    line: row.line,
                    ..e.clone()
                });
                continue;
            }
        };
        let cx = Ctx {
            db,
            actor,
            system,
            tr,
        };
        if check_only {
            match check_row(cx, row, unit, known).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => errors.extend(e),
                Err(e) if is_fatal(&e) => return stop(row.line, &e, 0),
                Err(e) => errors.push(row_failed(tr, row.line, &e)),
            }
            continue;
        }
        let mother = match &row.person.mother_nik {
            None => None,
            Some(nik) => {
                if !mothers.contains_key(nik.as_str()) {
                    let found = match db.persons_by_nik(actor, nik).await {
                        Ok(v) => v.into_iter().find(|x| !x.nik_is_mother),
                        Err(e) if is_fatal(&e) => return stop(row.line, &e, tally.rows_stored),
                        Err(_) => None,
                    };
                    mothers.insert(nik.as_str().to_owned(), found);
                }
                mothers.get(nik.as_str()).and_then(Option::as_ref)
            }
        };
        match save_row(cx, row, unit, known, mother).await {
            Ok(Saved::Refused(e)) => errors.extend(e),
            Ok(Saved::Stored(r)) => {
                tally.rows_stored += 1;
                if let Some(id) = r.person_id
                    && counted.insert(id)
                {
                    if r.person_inserted {
                        tally.persons_new += 1;
                    } else {
                        tally.persons_existing += 1;
                    }
                }
                match r.weighing_inserted {
                    Some(true) => tally.weighings_new += 1,
                    Some(false) => tally.weighings_existing += 1,
                    None => {}
                }
                tally.flagged += r.flagged;
                tally.findings += r.findings;
            }
            Err(e) if is_fatal(&e) => return stop(row.line, &e, tally.rows_stored),
            Err(e) => errors.push(row_failed(tr, row.line, &e)),
        }
    }
    None
}

fn row_failed(tr: Tr, line: u64, e: &store::StoreError) -> RowError {
    RowError {
        line,
        field: "baris",
        value: String::new(),
        reason: tr.not_stored(e),
    }
}

fn report(
    args: &ImportArgs,
    tr: Tr,
    parsed: &ParsedFile,
    t: &Tally,
    errors: &[RowError],
    valid: usize,
    errors_file: Option<OutputFile>,
) -> anyhow::Result<()> {
    let rejected: BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
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
    let mut notes: Vec<&RowNote> = parsed
        .notes
        .iter()
        .filter(|n| !rejected.contains(&n.line))
        .collect();
    notes.sort_by_key(|n| n.line);
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
