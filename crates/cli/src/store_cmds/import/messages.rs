//! What `posyandu import` tells its user, in Bahasa Indonesia (default) or English
//! (`--lang en`). Messages name the line, the column and the value; a NIK only masked.

use std::fmt::Display;

use demo::register_import::FileError;
use time::Date;

pub use crate::zscore::Lang;

/// The messages of one run, in its language.
#[derive(Clone, Copy, Debug)]
pub struct Tr(pub Lang);

/// `26/02/2024`, as registers write dates.
pub fn dmy(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// The last four digits of a NIK: `…0001`.
pub fn mask(nik: &str) -> String {
    format!("…{}", &nik[nik.len().saturating_sub(4)..])
}

impl Tr {
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
        match (self.0, e) {
            (Lang::Id, e) => e.to_string(),
            (Lang::En, FileError::Empty) => "empty file: no header line".into(),
            (Lang::En, FileError::MissingColumns(c)) => {
                format!("required columns missing: {}", c.join(", "))
            }
            (Lang::En, FileError::Csv(m)) => format!("the file cannot be read as CSV: {m}"),
        }
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

    // ------------------------------------------------------------ which posyandu

    pub fn unit_missing(self) -> String {
        self.pick("unit tidak ditemukan", "unit not found")
    }

    pub fn posyandu_empty(self, scope: &str) -> String {
        self.pick(
            format!("kosong: isi kode_desa dan posyandu, atau pilih --unit sebuah posyandu (sekarang {scope})"),
            format!("empty: fill in kode_desa and posyandu, or give a posyandu as --unit (now {scope})"),
        )
    }

    pub fn desa_not_under(self, scope: &str) -> String {
        self.pick(
            format!("desa ini tidak ada di bawah {scope}"),
            format!("this desa is not under {scope}"),
        )
    }

    pub fn post_not_in(self, desa: &str) -> String {
        self.pick(
            format!("tidak ada di desa {desa}"),
            format!("not in desa {desa}"),
        )
    }

    pub fn post_required(self, desa: &str, n: usize) -> String {
        self.pick(
            format!("wajib diisi: desa {desa} punya {n} posyandu"),
            format!("required: desa {desa} has {n} posyandu"),
        )
    }

    pub fn post_not_under(self, scope: &str) -> String {
        self.pick(
            format!("tidak ada di bawah {scope}"),
            format!("not under {scope}"),
        )
    }

    pub fn post_ambiguous(self) -> String {
        self.pick(
            "nama ini dipakai beberapa posyandu: isi juga kode_desa",
            "several posyandu have this name: fill in kode_desa too",
        )
    }

    // ------------------------------------------------------------ the wrong person

    /// Who a row is about, for messages: the masked NIK, or the natural key.
    pub fn who(self, nik: Option<&str>) -> String {
        match nik {
            Some(n) => format!("NIK {}", mask(n)),
            None => self.pick(
                "orang dengan nama, tanggal lahir dan ibu ini",
                "the person with this name, birth date and mother",
            ),
        }
    }

    pub fn other_name(self, who: &str, stored: &str) -> String {
        self.pick(
            format!("{who} sudah terdaftar atas nama '{stored}': periksa NIK dan nama; baris tidak disimpan"),
            format!("{who} is registered as '{stored}': check the NIK and the name; row not stored"),
        )
    }

    pub fn other_birth(self, who: &str, stored: Date) -> String {
        self.pick(
            format!(
                "{who} terdaftar lahir {}: periksa NIK dan tanggal lahir; baris tidak disimpan",
                dmy(stored)
            ),
            format!(
                "{who} is registered as born {}: check the NIK and the birth date; row not stored",
                dmy(stored)
            ),
        )
    }

    pub fn other_sex(self, who: &str, stored: &str) -> String {
        self.pick(
            format!("{who} terdaftar dengan jenis kelamin {stored}: periksa NIK dan jk; baris tidak disimpan"),
            format!("{who} is registered with sex {stored}: check the NIK and jk; row not stored"),
        )
    }

    pub fn other_unit(self, who: &str, stored: &str) -> String {
        self.pick(
            format!("{who} terdaftar di {stored}: pindahkan orangnya dulu atau perbaiki baris ini; baris tidak disimpan"),
            format!("{who} is registered at {stored}: move the person first or fix this row; row not stored"),
        )
    }

    pub fn nik_shared(self, who: &str, n: usize) -> String {
        self.pick(
            format!(
                "{who} dipakai {n} orang terdaftar: tidak jelas yang mana; baris tidak disimpan"
            ),
            format!("{who} is used by {n} registered persons: unclear which; row not stored"),
        )
    }

    pub fn stored_value_differs(self, who: &str, column: &str, stored: f64, on: Date) -> String {
        self.pick(
            format!(
                "{who} sudah punya {column} = {stored} pada {} (tersimpan): nilai lain untuk hari yang sama tidak disimpan",
                dmy(on)
            ),
            format!(
                "{who} already has {column} = {stored} on {} (stored): another value for the same day is not stored",
                dmy(on)
            ),
        )
    }

    pub fn not_stored(self, e: impl Display) -> String {
        self.pick(
            format!("gagal disimpan, tidak ada yang ditulis: {e}"),
            format!("not stored, nothing written: {e}"),
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

    pub fn stopped(self, line: u64, e: impl Display, stored: u64) -> String {
        self.pick(
            format!(
                "impor berhenti di baris {line}: basis data menolak menulis ({e}). {stored} baris sebelumnya sudah tersimpan utuh; \
                 perbaiki penyebabnya (mis. disk penuh) lalu jalankan perintah yang sama lagi: baris yang sudah tersimpan dilewati"
            ),
            format!(
                "import stopped at line {line}: the database refused the write ({e}). {stored} earlier lines are stored whole; \
                 fix the cause (e.g. a full disk) and run the same command again: lines already stored are skipped"
            ),
        )
    }

    pub fn cannot_write(self, file: impl Display) -> String {
        self.pick(
            format!("tidak bisa menulis {file}"),
            format!("cannot write {file}"),
        )
    }
}
