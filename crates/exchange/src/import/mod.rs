//! Storing a parsed register ([`crate::register::ParsedFile`]) for one unit and its
//! subtree: the same steps for `posyandu import` and the web upload.
//!
//! Each row's posyandu is found under the import's unit ([`units`]); a row naming a post
//! elsewhere is refused. Then, person by person in date order (so each weighing's KMS status
//! sees the earlier ones), every row is checked against the store ([`save::check_row`]:
//! never onto the wrong person, never a second value for a day) and, unless only checking,
//! stored in its own transaction as the actor, audited by the store ([`save::save_row`]),
//! with ids from the row's natural keys so that importing the same file again adds nothing.
//! A database that cannot write stops the import at the first failure ([`Stopped`]).

pub mod messages;
pub mod save;
pub mod units;

use std::collections::{BTreeSet, HashMap, HashSet};

use store::model::OrgUnit;
use store::{Actor, Person, Store, StoreError};

use crate::register::{Column, Lang, ParsedFile, RegisterRow, RowError, RowNote, UnitRef, keys};
pub use messages::Tr;
use save::{Ctx, Known, Saved, check_row, is_fatal, save_row};

/// How to run an import.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Check every row against the store and count, but store nothing (`--check`, the
    /// web preview).
    pub check_only: bool,
    pub lang: Lang,
    /// Whether a row's person found outside the actor's scope may be described (name,
    /// birth date, posyandu): for the operator at the command line, not for a web user.
    pub reveal_outside: bool,
}

/// Counts of one import (or of one check: what storing would do).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Rows stored (in a check: 0).
    pub rows_stored: u64,
    /// Rows that add a person or a value.
    pub rows_new: u64,
    /// Rows whose person and values are all stored already.
    pub rows_existing: u64,
    pub persons_new: u64,
    pub persons_existing: u64,
    pub weighings_new: u64,
    pub weighings_existing: u64,
    pub flagged: u64,
    pub findings: u64,
}

/// Why an import stopped midway: the database refused a write.
#[derive(Clone, Debug, PartialEq)]
pub struct Stopped {
    pub line: u64,
    pub error: String,
    /// Rows stored whole before it.
    pub stored: u64,
}

/// What an import (or a check) did.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub tally: Tally,
    /// Every problem, the file's and the store's, in line order.
    pub errors: Vec<RowError>,
    /// Rows without a problem (ready to store in a check, stored otherwise).
    pub valid: usize,
    pub stopped: Option<Stopped>,
    /// Lines whose NIK is the registered child's mother's (`nik_is_mother`): the NIK's own
    /// sex and birth date are the mother's, so the file's notes about them are no news.
    pub mothers_nik: BTreeSet<u64>,
}

impl Outcome {
    /// The lines with at least one problem.
    pub fn rejected(&self) -> BTreeSet<u64> {
        self.errors.iter().map(|e| e.line).collect()
    }

    /// The notes to show, in line order: those of rows not refused, without the NIK notes
    /// of rows that carry the mother's NIK.
    pub fn notes<'a>(&self, parsed: &'a ParsedFile) -> Vec<&'a RowNote> {
        let refused = self.rejected();
        let mut v: Vec<&RowNote> = parsed
            .notes
            .iter()
            .filter(|n| !refused.contains(&n.line))
            .filter(|n| !(n.field == Column::Nik.name() && self.mothers_nik.contains(&n.line)))
            .collect();
        v.sort_by_key(|n| n.line);
        v
    }
}

/// Checks or stores `parsed` for `scope` (a unit the actor may see) and the units under it.
/// Errors only when the units cannot be read; a failed write is [`Outcome::stopped`].
pub async fn run(
    db: &Store,
    actor: &Actor,
    scope: &OrgUnit,
    parsed: &ParsedFile,
    opts: Options,
) -> Result<Outcome, StoreError> {
    let tr = Tr(opts.lang);
    let system = Actor::system("import");
    let units = db.org_units_under(actor, scope.id).await?;
    let mut out = Outcome {
        errors: parsed.errors.clone(),
        ..Outcome::default()
    };
    let mut resolved: Vec<(&RegisterRow, &OrgUnit)> = Vec::new();
    let mut cache: HashMap<UnitRef, Result<usize, RowError>> = HashMap::new();
    for row in &parsed.rows {
        let r = cache
            .entry(row.unit.clone())
            .or_insert_with(|| units::resolve_unit(tr, scope, &units, &row.unit, row.line))
            .clone();
        match r {
            Ok(i) => resolved.push((row, &units[i])),
            Err(mut e) => {
                e.line = row.line;
                out.errors.push(e);
            }
        }
    }
    let cx = Ctx {
        db,
        actor,
        system: &system,
        tr,
        reveal_outside: opts.reveal_outside,
    };
    out.stopped = store_all(cx, &resolved, opts.check_only, &mut out).await;
    out.errors.sort_by_key(|e| e.line);
    let refused = out.rejected();
    out.valid = resolved
        .iter()
        .filter(|(r, _)| !refused.contains(&r.line))
        .count();
    Ok(out)
}

fn row_failed(tr: Tr, line: u64, e: &StoreError) -> RowError {
    RowError {
        line,
        field: "baris",
        value: String::new(),
        reason: tr.not_stored(e),
    }
}

/// Stores the rows person by person (file order within a person's day), each row in its
/// own transaction; with `check_only`, only checks them against the store. Returns what
/// stopped the import, if the database failed.
async fn store_all(
    cx: Ctx<'_>,
    resolved: &[(&RegisterRow, &OrgUnit)],
    check_only: bool,
    out: &mut Outcome,
) -> Option<Stopped> {
    let Ctx { db, actor, tr, .. } = cx;
    let mut order: Vec<(String, usize)> = resolved
        .iter()
        .enumerate()
        .map(|(i, (row, _))| (keys::person_key(&row.person), i))
        .collect();
    let date = |i: usize| resolved[i].0.weighing.as_ref().map(|w| w.date);
    order.sort_by(|(ka, a), (kb, b)| ka.cmp(kb).then(date(*a).cmp(&date(*b))).then(a.cmp(b)));
    let mut mothers: HashMap<String, Option<Person>> = HashMap::new();
    let mut group: Option<(&str, Result<Known, RowError>)> = None;
    let mut counted = HashSet::new();
    let stop = |line: u64, e: &StoreError, stored: u64| {
        Some(Stopped {
            line,
            error: e.to_string(),
            stored,
        })
    };
    let tally = &mut out.tally;
    let errors = &mut out.errors;
    let out_mothers = &mut out.mothers_nik;
    for (key, i) in &order {
        let (row, unit) = resolved[*i];
        if group.as_ref().is_none_or(|(k, _)| k != key) {
            match Known::load(db, cx.system, tr, row, unit).await {
                Ok(k) => group = Some((key, k)),
                Err(e) if is_fatal(&e) => return stop(row.line, &e, tally.rows_stored),
                Err(e) => group = Some((key, Err(row_failed(tr, row.line, &e)))),
            }
        }
        let Some((_, known)) = group.as_mut() else {
            continue;
        };
        let known = match known {
            Ok(k) if k.is_mothers_nik() && row.person.nik.is_some() => {
                out_mothers.insert(row.line);
                k
            }
            Ok(k) => k,
            Err(e) => {
                errors.push(RowError {
                    line: row.line,
                    ..e.clone()
                });
                continue;
            }
        };
        if check_only {
            match check_row(cx, row, unit, known).await {
                Ok(Ok(plan)) => {
                    if plan.adds_anything(known) {
                        tally.rows_new += 1;
                    } else {
                        tally.rows_existing += 1;
                    }
                    known.assume(&plan);
                }
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
                if r.person_inserted || r.weighing_inserted == Some(true) {
                    tally.rows_new += 1;
                } else {
                    tally.rows_existing += 1;
                }
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
