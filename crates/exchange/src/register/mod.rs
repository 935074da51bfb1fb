//! Reading a register file (persons and weighings): the pure part of the import.
//!
//! [`parse_bytes`] reads a CSV or XLSX file ([`sheet`]), in the project's own register
//! layout or in the e-PPGBM export layout ([`Layout`], told from the header row), and
//! returns every valid row, every problem (line, column, value, reason in Bahasa Indonesia
//! or English) and every note to re-check. Nothing is written here: [`crate::import`]
//! stores each valid row (person + weighing) in its own transaction, with ids from [`keys`]
//! so that importing the same file again adds nothing.
//!
//! # Accepted columns
//! One row per weighing (or per person without a weighing). Header names are matched
//! loosely (`Tgl. Lahir` = `tgl_lahir`); other columns are ignored. Separator `,`, `;` (Excel
//! with Indonesian settings) or tab, detected from the header; decimal comma or point; dates
//! `HH/BB/TTTT` or `TTTT-BB-HH` (in XLSX also real date cells); UTF-8 with or without BOM.
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
//! | `desa_kel` | desa, nama_desa, kelurahan | no* | desa name (e-PPGBM's `Desa/Kel`), when there is no code |
//!
//! \* The posyandu comes from `kode_desa` (or the desa's name) + `posyandu`, or from the
//! unit the import is for when that is a posyandu.
//!
//! e-PPGBM's export (`report::eppgbm::COLUMNS`, `exchange.md` §5) names the same things
//! `NIK`, `Nama`, `JK`, `Tgl Lahir`, `Nama Ortu`, `Desa/Kel`, `Posyandu`, `RT`, `RW`,
//! `Alamat`, `Tanggal Pengukuran`, `Berat`, `Tinggi`, `Cara Ukur`, `LiLA`; its other columns
//! (z-scores, categories, N/T, vitamin A) are computed again on import, never read.

pub mod columns;
pub mod keys;
pub mod lang;
pub mod row;
pub mod screening;
pub mod sheet;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use time::Date;

pub use columns::{Column, ColumnMap};
pub use lang::Lang;
pub use row::{PersonFields, RegisterRow, RowError, RowNote, UnitRef, Value, Weighing};
pub use sheet::{Format, Sheet, detect_delimiter};

/// The layout of a file, told from its header row.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// The project's own register columns (`nama`, `jk`, `tgl_lahir`, `kode_desa`, …).
    #[default]
    Register,
    /// e-PPGBM's export sheet (`Desa/Kel`, `Pukesmas`, `Usia Saat Ukur`, `ZS BB/U`, …), as
    /// e-PPGBM writes it and as `report::eppgbm` exports it.
    Eppgbm,
}

impl Layout {
    /// e-PPGBM when the header has its place columns and its measurement date, else the
    /// register layout. Both are read by the same columns ([`Column::aliases`]).
    pub fn detect<'a>(headers: impl IntoIterator<Item = &'a str>) -> Layout {
        let h: Vec<String> = headers.into_iter().map(columns::normalise).collect();
        let has = |n: &str| h.iter().any(|x| x == n);
        let place = has("desa_kel") && (has("pukesmas") || has("puskesmas") || has("kec"));
        let measured = has("tanggal_pengukuran") || has("usia_saat_ukur");
        if place && measured {
            Layout::Eppgbm
        } else {
            Layout::Register
        }
    }
}

/// The whole file, read and checked.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParsedFile {
    pub rows: Vec<RegisterRow>,
    pub errors: Vec<RowError>,
    pub notes: Vec<RowNote>,
    /// Data lines read (header excluded, blank lines skipped).
    pub lines_read: u64,
    pub layout: Layout,
    /// Each known column's header as the file spells it (`tgl_lahir` → `Tgl Lahir`).
    pub headers: Vec<(&'static str, String)>,
    /// The name cell of each data line, as written: which row a problem is about.
    pub names: BTreeMap<u64, String>,
}

impl ParsedFile {
    /// The name written on `line`, if any.
    pub fn name_on(&self, line: u64) -> Option<&str> {
        self.names.get(&line).map(String::as_str)
    }

    /// The file's own header for a canonical column name (`baris` and unknown names as they are).
    pub fn header_of<'a>(&'a self, field: &'a str) -> &'a str {
        self.headers
            .iter()
            .find(|(c, _)| *c == field)
            .map_or(field, |(_, h)| h.trim())
    }
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
    #[error("berkas bukan teks UTF-8: simpan ulang sebagai \"CSV UTF-8\" atau XLSX")]
    NotUtf8,
    #[error("berkas tidak bisa dibaca sebagai XLSX: {0}")]
    Xlsx(String),
}

impl FileError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (lang, self) {
            (Lang::Id, e) => e.to_string(),
            (Lang::En, FileError::Empty) => "empty file: no header line".into(),
            (Lang::En, FileError::MissingColumns(c)) => {
                format!("required columns missing: {}", c.join(", "))
            }
            (Lang::En, FileError::Csv(m)) => format!("the file cannot be read as CSV: {m}"),
            (Lang::En, FileError::NotUtf8) => {
                "the file is not UTF-8 text: save it again as \"CSV UTF-8\" or XLSX".into()
            }
            (Lang::En, FileError::Xlsx(m)) => format!("the file cannot be read as XLSX: {m}"),
        }
    }
}

/// Parses and validates a register CSV. `today` bounds dates (no future births).
pub fn parse(text: &str, today: Date) -> Result<ParsedFile, FileError> {
    parse_in(text, today, Lang::Id)
}

/// [`parse`] with the reasons and notes in `lang`.
pub fn parse_in(text: &str, today: Date, lang: Lang) -> Result<ParsedFile, FileError> {
    parse_sheet(&sheet::from_csv(text)?, today, lang)
}

/// A CSV or XLSX file (told from its first bytes), in either layout.
pub fn parse_bytes(bytes: &[u8], today: Date, lang: Lang) -> Result<ParsedFile, FileError> {
    parse_sheet(&sheet::read(bytes)?, today, lang)
}

/// Validates the rows of a sheet read from either format.
pub fn parse_sheet(sheet: &Sheet, today: Date, lang: Lang) -> Result<ParsedFile, FileError> {
    let layout = Layout::detect(sheet.headers.iter().map(String::as_str));
    let map = ColumnMap::from_headers(sheet.headers.iter().map(String::as_str))
        .map_err(|missing| FileError::MissingColumns(missing.iter().map(|c| c.name()).collect()))?;
    let mut out = ParsedFile {
        layout,
        headers: Column::ALL
            .into_iter()
            .filter_map(|c| {
                let h = sheet.headers.get(map.position(c)?)?;
                Some((c.name(), h.clone()))
            })
            .collect(),
        ..ParsedFile::default()
    };
    // First row of each person (by key) and of each weighing, to catch contradictions.
    let mut persons: HashMap<String, (u64, PersonFields)> = HashMap::new();
    let mut weighings: HashMap<(String, Date), (u64, Weighing)> = HashMap::new();
    for item in &sheet.items {
        let (line, cells) = match item {
            sheet::Item::Broken { line, message } => {
                out.lines_read += 1;
                out.errors.push(RowError {
                    line: *line,
                    field: "baris",
                    value: String::new(),
                    reason: lang.pick(
                        format!("baris CSV rusak: {message}"),
                        format!("broken CSV line: {message}"),
                    ),
                });
                continue;
            }
            sheet::Item::Row(r) => (r.line, &r.cells),
        };
        let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        out.lines_read += 1;
        if let Some(name) = map
            .position(Column::Name)
            .and_then(|i| cells.get(i))
            .map(|n| n.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|n| !n.is_empty())
        {
            out.names.insert(line, name.chars().take(100).collect());
        }
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
mod format_tests;
#[cfg(test)]
mod tests;
