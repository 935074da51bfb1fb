//! What `posyandu zscore` tells its user, in Bahasa Indonesia (default) or English. The
//! messages name the column and the value so that an officer can find and fix the cell.

/// Language of the messages in the `error` column and on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

/// A problem with one cell; the row is still computed with that cell treated as empty.
#[derive(Debug, Clone, PartialEq)]
pub enum CellError {
    NotANumber { column: &'static str, value: String },
    Negative { column: &'static str, value: String },
    UnknownSex(String),
    UnknownMeasure(String),
    UnknownOedema(String),
    UnknownStandard(String),
    FieldCount { found: usize, expected: usize },
}

impl CellError {
    pub fn text(&self, lang: Lang) -> String {
        use CellError::*;
        match (self, lang) {
            (NotANumber { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" bukan angka")
            }
            (NotANumber { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" is not a number")
            }
            (Negative { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" tidak boleh negatif")
            }
            (Negative { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" cannot be negative")
            }
            (UnknownSex(v), Lang::Id) => {
                format!("sex: \"{v}\" tidak dikenal (pakai 1/2, L/P atau M/F)")
            }
            (UnknownSex(v), Lang::En) => format!("sex: \"{v}\" is not known (use 1/2, M/F or L/P)"),
            (UnknownMeasure(v), Lang::Id) => {
                format!("measure: \"{v}\" tidak dikenal (pakai l = terlentang atau h = berdiri)")
            }
            (UnknownMeasure(v), Lang::En) => {
                format!("measure: \"{v}\" is not known (use l = lying or h = standing)")
            }
            (UnknownOedema(v), Lang::Id) => {
                format!("oedema: \"{v}\" tidak dikenal (pakai y atau n)")
            }
            (UnknownOedema(v), Lang::En) => format!("oedema: \"{v}\" is not known (use y or n)"),
            (UnknownStandard(v), Lang::Id) => {
                format!("standard: \"{v}\" tidak dikenal (pakai who2006 atau who2007)")
            }
            (UnknownStandard(v), Lang::En) => {
                format!("standard: \"{v}\" is not known (use who2006 or who2007)")
            }
            (FieldCount { found, expected }, Lang::Id) => {
                format!("baris ini punya {found} kolom, header punya {expected}")
            }
            (FieldCount { found, expected }, Lang::En) => {
                format!("this row has {found} fields, the header has {expected}")
            }
        }
    }
}

/// The file lacks columns that every computation needs.
pub fn missing_columns(missing: &[&str], lang: Lang) -> String {
    let list = missing.join(", ");
    match lang {
        Lang::Id => format!("kolom yang diperlukan tidak ada: {list}"),
        Lang::En => format!("required columns are missing: {list}"),
    }
}
