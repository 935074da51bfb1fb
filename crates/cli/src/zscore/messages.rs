//! What `posyandu zscore` tells its user, in Bahasa Indonesia (default) or English. The
//! messages name the column (as the file's header spells it) and the value so that an
//! officer can find and fix the cell.

use crate::safe_file::SafeFileError;

/// Language of the messages in the `error` column and on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Bahasa Indonesia.
    Id,
    /// English.
    En,
}

/// Where a row's age came from, for messages about it.
#[derive(Debug, Clone, PartialEq)]
pub enum AgeFrom<'a> {
    /// An `age_days` or `age_months` cell.
    Cell { column: &'a str, value: String },
    /// A register's birth and measurement dates.
    Dates {
        birth: &'a str,
        measured: &'a str,
        days: i64,
    },
}

impl AgeFrom<'_> {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (AgeFrom::Cell { column, value }, _) => format!("{column} \"{value}\""),
            (
                AgeFrom::Dates {
                    birth,
                    measured,
                    days,
                },
                Lang::Id,
            ) => format!("umur {days} hari ({birth} sampai {measured})"),
            (
                AgeFrom::Dates {
                    birth,
                    measured,
                    days,
                },
                Lang::En,
            ) => format!("the age of {days} days ({birth} to {measured})"),
        }
    }
}

/// A problem with one cell or row. A cell that cannot be read is treated as empty; a value
/// that can be read but is odd (zero, negative, beyond the references) is still given to
/// WHO's algorithm, whose numbers stay as they are.
#[derive(Debug, Clone, PartialEq)]
pub enum CellError<'a> {
    NotANumber {
        column: &'a str,
        value: String,
    },
    Negative {
        column: &'a str,
        value: String,
    },
    /// A measurement of zero or less.
    NotPositive {
        column: &'a str,
        value: String,
    },
    /// Older than the last age of WHO's references (228 months).
    AgeBeyondReferences(AgeFrom<'a>),
    /// A `standard` cell forcing WHO 2006 or 2007 at an age it does not cover.
    StandardOutsideAges {
        column: &'a str,
        value: String,
        who2007: bool,
        age: AgeFrom<'a>,
        months: f64,
    },
    BadDate {
        column: &'a str,
        value: String,
        /// Why, in Bahasa Indonesia (the import's own wording).
        reason: String,
    },
    MeasuredBeforeBirth {
        birth: &'a str,
        birth_value: String,
        measured: &'a str,
        measured_value: String,
    },
    UnknownSex {
        column: &'a str,
        value: String,
    },
    UnknownMeasure {
        column: &'a str,
        value: String,
    },
    UnknownOedema {
        column: &'a str,
        value: String,
    },
    UnknownStandard {
        column: &'a str,
        value: String,
    },
    FieldCount {
        found: usize,
        expected: usize,
    },
}

/// `68.5` or `68,5`: months with one decimal, in the language's decimal mark.
fn months_text(months: f64, lang: Lang) -> String {
    let s = format!("{months:.1}");
    match lang {
        Lang::Id => s.replace('.', ","),
        Lang::En => s,
    }
}

impl CellError<'_> {
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
            (NotPositive { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" harus lebih dari 0")
            }
            (NotPositive { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" must be more than 0")
            }
            (AgeBeyondReferences(age), Lang::Id) => format!(
                "{} di atas 228 bulan (19 tahun), batas rujukan WHO: z menurut umur tidak dihitung",
                age_subject(age, lang)
            ),
            (AgeBeyondReferences(age), Lang::En) => format!(
                "{} is over 228 months (19 years), the end of WHO's references: no age-based z",
                age_subject(age, lang)
            ),
            (
                StandardOutsideAges {
                    column,
                    value,
                    who2007,
                    age,
                    months,
                },
                Lang::Id,
            ) => format!(
                "{column}: \"{value}\" hanya untuk umur {}, tetapi {} = {} bulan: z tidak dihitung",
                if *who2007 {
                    "60–228 bulan"
                } else {
                    "di bawah 60 bulan"
                },
                age.text(lang),
                months_text(*months, lang)
            ),
            (
                StandardOutsideAges {
                    column,
                    value,
                    who2007,
                    age,
                    months,
                },
                Lang::En,
            ) => format!(
                "{column}: \"{value}\" is only for ages {}, but {} is {} months: no z computed",
                if *who2007 {
                    "60–228 months"
                } else {
                    "under 60 months"
                },
                age.text(lang),
                months_text(*months, lang)
            ),
            (
                BadDate {
                    column,
                    value,
                    reason,
                },
                Lang::Id,
            ) => format!("{column}: \"{value}\" {reason}"),
            (BadDate { column, value, .. }, Lang::En) => {
                format!("{column}: \"{value}\" is not a date (use DD/MM/YYYY or YYYY-MM-DD)")
            }
            (
                MeasuredBeforeBirth {
                    birth,
                    birth_value,
                    measured,
                    measured_value,
                },
                Lang::Id,
            ) => format!(
                "{measured}: \"{measured_value}\" lebih awal dari {birth} \"{birth_value}\""
            ),
            (
                MeasuredBeforeBirth {
                    birth,
                    birth_value,
                    measured,
                    measured_value,
                },
                Lang::En,
            ) => format!("{measured}: \"{measured_value}\" is before {birth} \"{birth_value}\""),
            (UnknownSex { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" tidak dikenal (pakai 1/2, L/P atau M/F)")
            }
            (UnknownSex { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" is not known (use 1/2, M/F or L/P)")
            }
            (UnknownMeasure { column, value }, Lang::Id) => format!(
                "{column}: \"{value}\" tidak dikenal (pakai l = terlentang atau h = berdiri)"
            ),
            (UnknownMeasure { column, value }, Lang::En) => format!(
                "{column}: \"{value}\" is not known (use l = lying (terlentang) or h = standing (berdiri))"
            ),
            (UnknownOedema { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" tidak dikenal (pakai y atau n)")
            }
            (UnknownOedema { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" is not known (use y or n)")
            }
            (UnknownStandard { column, value }, Lang::Id) => {
                format!("{column}: \"{value}\" tidak dikenal (pakai who2006 atau who2007)")
            }
            (UnknownStandard { column, value }, Lang::En) => {
                format!("{column}: \"{value}\" is not known (use who2006 or who2007)")
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

/// `age_days: "1e15"` for a cell; the dates' wording otherwise.
fn age_subject(age: &AgeFrom<'_>, lang: Lang) -> String {
    match age {
        AgeFrom::Cell { column, value } => format!("{column}: \"{value}\""),
        dates => dates.text(lang),
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

/// Why the `-o` file was refused or could not be written; the shared Indonesian wording,
/// or English with `--lang en`.
pub fn output_refused(e: &SafeFileError, lang: Lang) -> String {
    if lang == Lang::Id {
        return e.to_string();
    }
    match e {
        SafeFileError::IsDatabase(p) => format!(
            "{} is the database: it is never replaced (choose another file name)",
            p.display()
        ),
        SafeFileError::IsInput(p) => format!(
            "{} is the input file: choose another name, or --force to replace it",
            p.display()
        ),
        SafeFileError::Exists(p) => format!(
            "{} already exists: choose another name, or --force to replace it",
            p.display()
        ),
        SafeFileError::IsDirectory(p) => format!("{} is a folder, not a file", p.display()),
        SafeFileError::Io(p, e) => format!("cannot write {}: {e}", p.display()),
    }
}

/// Standard output is the input file (`zscore in.csv >> in.csv`).
pub fn stdout_is_input(path: &std::path::Path, lang: Lang) -> String {
    match lang {
        Lang::Id => format!(
            "keluaran standar (stdout) adalah berkas masukan {}: tulis ke berkas lain dengan -o",
            path.display()
        ),
        Lang::En => format!(
            "standard output (stdout) is the input file {}: write to another file with -o",
            path.display()
        ),
    }
}

/// An error writing the output (stdout or the `-o` file), naming where; a closed pipe
/// keeps its kind so that `main` ends quietly.
pub fn write_failed(
    e: std::io::Error,
    target: Option<&std::path::Path>,
    lang: Lang,
) -> std::io::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return e;
    }
    let text = match (target, lang) {
        (None, Lang::Id) => return crate::out::stdout_error(e),
        (None, Lang::En) => format!("cannot write to standard output (stdout): {e}"),
        (Some(p), Lang::Id) => format!("tidak bisa menulis {}: {e}", p.display()),
        (Some(p), Lang::En) => format!("cannot write {}: {e}", p.display()),
    };
    std::io::Error::new(e.kind(), text)
}

/// An error reading the input, naming it (`None`: "the input").
pub fn read_failed(e: std::io::Error, source: Option<&str>, lang: Lang) -> std::io::Error {
    let name = match (source, lang) {
        (Some(name), _) => name,
        (None, Lang::Id) => "masukan",
        (None, Lang::En) => "the input",
    };
    let text = match lang {
        Lang::Id => format!("tidak bisa membaca {name}: {e}"),
        Lang::En => format!("cannot read {name}: {e}"),
    };
    std::io::Error::new(e.kind(), text)
}
