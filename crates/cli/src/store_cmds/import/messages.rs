//! What `posyandu import` tells its user about the file and the run, in Bahasa Indonesia
//! (default) or English (`--lang en`). Why a row is refused is `exchange::import::messages`.

use std::fmt::Display;

use exchange::register::FileError;

pub use crate::zscore::Lang;

/// The messages of one run, in its language.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Lang);

impl Tr {
    /// The language as the import's library takes it.
    pub fn lang(self) -> exchange::Lang {
        match self.0 {
            Lang::Id => exchange::Lang::Id,
            Lang::En => exchange::Lang::En,
        }
    }

    fn pick(self, id: impl Into<String>, en: impl Into<String>) -> String {
        match self.0 {
            Lang::Id => id.into(),
            Lang::En => en.into(),
        }
    }

    // ------------------------------------------------------------ file and arguments

    pub fn cannot_read(self, file: impl Display) -> String {
        self.pick(
            format!("tidak bisa membaca {file}"),
            format!("cannot read {file}"),
        )
    }

    pub fn not_utf8(self, file: impl Display) -> String {
        self.pick(
            format!("{file} bukan teks UTF-8: simpan ulang sebagai \"CSV UTF-8\""),
            format!("{file} is not UTF-8 text: save it again as \"CSV UTF-8\""),
        )
    }

    pub fn file_error(self, e: &FileError) -> String {
        e.message(self.lang())
    }

    pub fn bad_unit_path(self, unit: &str, e: impl Display) -> String {
        self.pick(
            format!("--unit '{unit}': {e}"),
            format!("--unit '{unit}': {e}"),
        )
    }

    pub fn unit_not_in_db(self, unit: &str) -> String {
        self.pick(
            format!("unit '{unit}' tidak ada di basis data"),
            format!("unit '{unit}' is not in the database"),
        )
    }

    // ------------------------------------------------------------ the report

    pub fn read_lines(self, file: impl Display, n: u64) -> String {
        self.pick(
            format!("Berkas {file}: {n} baris data dibaca."),
            format!("File {file}: {n} data lines read."),
        )
    }

    pub fn check_only(self, valid: usize, rejected: usize) -> String {
        self.pick(
            format!("Pemeriksaan saja (--check): {valid} baris siap disimpan, {rejected} baris bermasalah. Tidak ada yang disimpan."),
            format!("Check only (--check): {valid} lines ready to store, {rejected} lines with problems. Nothing was stored."),
        )
    }

    pub fn stored(
        self,
        rows: u64,
        persons_new: u64,
        persons_existing: u64,
        weighings_new: u64,
        weighings_existing: u64,
        flagged: u64,
    ) -> String {
        self.pick(
            format!("Disimpan {rows} baris: orang baru {persons_new}, sudah ada {persons_existing}; penimbangan baru {weighings_new}, sudah ada {weighings_existing}; {flagged} pengukuran ditandai periksa ulang."),
            format!("Stored {rows} lines: new persons {persons_new}, already there {persons_existing}; new weighings {weighings_new}, already there {weighings_existing}; {flagged} measurements flagged to re-check."),
        )
    }

    pub fn findings(self, n: u64) -> String {
        self.pick(
            format!("Temuan (status KMS, gizi) baru disimpan: {n}."),
            format!("New findings (KMS status, nutrition) stored: {n}."),
        )
    }

    pub fn rejected(self, n: usize) -> String {
        self.pick(
            format!("Ditolak {n} baris."),
            format!("Rejected {n} lines."),
        )
    }

    pub fn to_recheck(self, n: usize) -> String {
        self.pick(
            format!("Perlu diperiksa ulang ({n}):"),
            format!("To re-check ({n}):"),
        )
    }

    pub fn line(self, line: u64, field: &str, value: &str, reason: &str) -> String {
        self.pick(
            format!("baris {line}, kolom {field} = '{value}': {reason}"),
            format!("line {line}, column {field} = '{value}': {reason}"),
        )
    }

    pub fn csv_header(self) -> [&'static str; 4] {
        match self.0 {
            Lang::Id => ["baris", "kolom", "nilai", "alasan"],
            Lang::En => ["line", "column", "value", "reason"],
        }
    }

    pub fn some_rejected(self, n: usize) -> String {
        self.pick(
            format!("{n} baris tidak disimpan (lihat daftar di atas)"),
            format!("{n} lines not stored (see the list above)"),
        )
    }

    pub fn cannot_write(self, file: impl Display) -> String {
        self.pick(
            format!("tidak bisa menulis {file}"),
            format!("cannot write {file}"),
        )
    }
}
