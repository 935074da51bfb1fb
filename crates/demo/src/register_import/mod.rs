//! Import of a register CSV (persons and weighings, e-PPGBM-style): the pure part.
//!
//! [`parse`] reads the whole file and returns every valid row, every problem (line, column,
//! value, reason in Bahasa Indonesia) and every note to re-check. Nothing is written here:
//! the `posyandu import` command stores each valid row (person + weighing) in its own
//! transaction, with ids from [`keys`] so that importing the same file again adds nothing.
//!
//! # Accepted columns
//! One row per weighing (or per person without a weighing). Header names are matched
//! loosely (`Tgl. Lahir` = `tgl_lahir`); other columns are ignored. Separator `,`, `;` (Excel
//! with Indonesian settings) or tab, detected from the header; decimal comma or point; dates
//! `HH/BB/TTTT` or `TTTT-BB-HH`; UTF-8 with or without BOM.
//!
//! | column | also accepted | required | content |
//! |---|---|---|---|
//! | `nama` | nama_anak, nama_balita | yes | full name |
//! | `jk` | jenis_kelamin, l_p | yes | `L` / `P` |
//! | `tgl_lahir` | tanggal_lahir | yes | birth date |
//! | `nik` | nik_anak | no | 16 digits; empty for a child without NIK |
//! | `nama_ibu` | nama_ortu | no | mother's name (part of the key when there is no NIK) |
//! | `nik_ibu` | nik_ortu | no | mother's NIK (links the child to a registered mother) |
//! | `kode_desa` | kode_wilayah | no* | Kemendagri desa code, `35.08.01.2001` |
//! | `posyandu` | kode_posyandu, nama_posyandu | no* | posyandu code (`PY01`) or name |
//! | `alamat`, `rt`, `rw` | | no | address |
//! | `tgl_ukur` | tanggal_pengukuran, tgl_timbang | with a measurement | date measured |
//! | `berat` | bb, berat_badan | no | kg |
//! | `tinggi` | tb, pb, tb_pb | no | cm (length or height) |
//! | `cara_ukur` | posisi | no | `telentang` / `berdiri` (default by age: < 24 months lying) |
//! | `lila` | lingkar_lengan_atas | no | cm |
//! | `lingkar_kepala` | lk | no | cm |
//!
//! \* The posyandu comes from `kode_desa` + `posyandu`, or from the command's `--posyandu`.

pub mod columns;
pub mod keys;
pub mod lang;
pub mod row;
pub mod screening;
pub mod values;

use std::collections::HashMap;

use time::Date;

pub use columns::{Column, ColumnMap};
pub use lang::Lang;
pub use row::{PersonFields, RegisterRow, RowError, RowNote, UnitRef, Value, Weighing};

/// The whole file, read and checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedFile {
    pub rows: Vec<RegisterRow>,
    pub errors: Vec<RowError>,
    pub notes: Vec<RowNote>,
    /// Data lines read (header excluded, blank lines skipped).
    pub lines_read: u64,
}

/// Why a file cannot be read at all.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FileError {
    #[error("berkas kosong: baris judul kolom tidak ada")]
    Empty,
    #[error("kolom wajib tidak ada: {}", .0.join(", "))]
    MissingColumns(Vec<&'static str>),
    #[error("berkas tidak bisa dibaca sebagai CSV: {0}")]
    Csv(String),
}

/// The separator of the file: `;` or tab when the header has more of them than commas.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    if count(';') > count(',') && count(';') >= count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// Line numbers of records, counted as the reader moves forward through the text.
///
/// The csv reader's own line count skips blank lines and counts CRLF oddly, and its byte
/// offset may point at the end of the previous line, so lines are counted here: skip line
/// ends forward from the offset, then count the line ends passed since the last record.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at (or just after) `byte`.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > self.pos {
            // A line ends at LF, CRLF, or a lone CR (old spreadsheet exports).
            let b = self.bytes;
            let ends = (self.pos..at)
                .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
                .count();
            self.line += ends as u64;
            self.pos = at;
        }
        self.line
    }
}

/// Parses and validates a register file. `today` bounds dates (no future births).
pub fn parse(text: &str, today: Date) -> Result<ParsedFile, FileError> {
    parse_in(text, today, Lang::Id)
}

/// [`parse`] with the reasons and notes in `lang`.
pub fn parse_in(text: &str, today: Date, lang: Lang) -> Result<ParsedFile, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| FileError::Csv(e.to_string()))?
        .clone();
    let map = ColumnMap::from_headers(headers.iter())
        .map_err(|missing| FileError::MissingColumns(missing.iter().map(|c| c.name()).collect()))?;
    let mut out = ParsedFile::default();
    // First row of each person (by key) and of each weighing, to catch contradictions.
    let mut persons: HashMap<String, (u64, PersonFields)> = HashMap::new();
    let mut weighings: HashMap<(String, Date), (u64, Weighing)> = HashMap::new();
    let mut lines = LineCounter::new(text);
    for record in rdr.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.lines_read += 1;
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                out.errors.push(RowError {
                    line,
                    field: "baris",
                    value: String::new(),
                    reason: lang.pick(
                        format!("baris CSV rusak: {e}"),
                        format!("broken CSV line: {e}"),
                    ),
                });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        let cells: Vec<&str> = record.iter().collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.lines_read += 1;
        match row::validate(line, &cells, &map, today, lang) {
            Err(errs) => out.errors.extend(errs),
            Ok((r, notes)) => {
                let key = keys::person_key(&r.person);
                if let Some((first, p)) = persons.get(&key) {
                    if p.name != r.person.name
                        || p.sex != r.person.sex
                        || p.birth_date != r.person.birth_date
                    {
                        out.errors.push(RowError {
                            line,
                            field: if r.person.nik.is_some() { Column::Nik.name() } else { Column::Name.name() },
                            value: r.person.name.clone(),
                            reason: lang.pick(
                                format!("orang yang sama dengan baris {first} tetapi nama, jenis kelamin atau tanggal lahir berbeda"),
                                format!("the same person as line {first} but another name, sex or birth date"),
                            ),
                        });
                        continue;
                    }
                } else {
                    persons.insert(key.clone(), (line, r.person.clone()));
                }
                if let Some(w) = &r.weighing {
                    // The same weighing twice is stored once ("sudah ada"); another value
                    // for the same person and day is a conflict, never a second value.
                    if let Some((first, fw)) = weighings.get(&(key.clone(), w.date)) {
                        if let Some(e) = row::weighing_conflict(line, *first, fw, w, lang) {
                            out.errors.push(e);
                            continue;
                        }
                    } else {
                        weighings.insert((key, w.date), (line, w.clone()));
                    }
                }
                out.notes.extend(notes);
                out.rows.push(r);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
