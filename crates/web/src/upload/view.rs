//! What the upload pages show of a parsed file and an import's outcome: the counts and each
//! problem with the column as the file spells it.

use exchange::register::{Layout, ParsedFile};
use exchange::{Outcome, RowError};

use crate::i18n::{self, Tr};

/// The language of the import's reasons, as the page's.
pub fn lang(t: Tr) -> exchange::Lang {
    match t.lang {
        i18n::Lang::Id => exchange::Lang::Id,
        i18n::Lang::En => exchange::Lang::En,
    }
}

/// One problem or note: "Baris 3, kolom BB: “abc”", whose row it is, and why.
pub struct Problem {
    pub line: u64,
    pub at: String,
    /// The name written on the row, if any.
    pub name: Option<String>,
    pub reason: String,
}

fn at(t: Tr, parsed: &ParsedFile, line: u64, field: &str, value: &str) -> String {
    let value = if value.is_empty() {
        t.t("upload-empty-cell")
    } else {
        value.to_owned()
    };
    if field == "baris" {
        return i18n::format(t.lang, "upload-at-line", &[("line", &line.to_string())]);
    }
    i18n::format(
        t.lang,
        "upload-at",
        &[
            ("line", &line.to_string()),
            ("column", parsed.header_of(field)),
            ("value", &value),
        ],
    )
}

pub fn problems(t: Tr, parsed: &ParsedFile, errors: &[RowError]) -> Vec<Problem> {
    errors
        .iter()
        .map(|e| Problem {
            line: e.line,
            at: at(t, parsed, e.line, e.field, &e.value),
            name: parsed.name_on(e.line).map(str::to_owned),
            reason: e.reason.clone(),
        })
        .collect()
}

/// The notes (values to re-check) of the rows that are stored, not of refused ones.
pub fn notes(t: Tr, parsed: &ParsedFile, outcome: &Outcome) -> Vec<Problem> {
    outcome
        .notes(parsed)
        .into_iter()
        .map(|n| Problem {
            line: n.line,
            at: at(t, parsed, n.line, n.field, &n.value),
            name: parsed.name_on(n.line).map(str::to_owned),
            reason: n.message.clone(),
        })
        .collect()
}

/// "Register posyandu" or "Ekspor e-PPGBM", and CSV or XLSX.
pub fn kind(t: Tr, parsed: &ParsedFile, bytes: &[u8]) -> String {
    let layout = match parsed.layout {
        Layout::Register => t.t("upload-layout-register"),
        Layout::Eppgbm => t.t("upload-layout-eppgbm"),
    };
    let format = match exchange::register::Format::sniff(bytes) {
        exchange::register::Format::Csv => "CSV",
        exchange::register::Format::Xlsx => "XLSX",
    };
    format!("{layout} · {format}")
}

/// The three numbers of a preview or a result.
pub struct Counts {
    pub new: u64,
    pub existing: u64,
    pub bad: usize,
}

impl Counts {
    pub fn of(outcome: &Outcome) -> Self {
        Self {
            new: outcome.tally.rows_new,
            existing: outcome.tally.rows_existing,
            bad: outcome.rejected().len(),
        }
    }
}
