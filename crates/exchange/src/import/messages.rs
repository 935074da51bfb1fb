//! Why a row is not stored, in Bahasa Indonesia (default) or English: the posyandu it
//! names, the person it would be confused with, a value that differs from the stored one.
//! A NIK is only ever shown masked.

use std::fmt::Display;

use time::Date;

pub use crate::register::Lang;

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
        self.0.pick(id, en)
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

    pub fn desa_name_not_under(self, scope: &str) -> String {
        self.pick(
            format!("tidak ada desa dengan nama ini di bawah {scope}"),
            format!("no desa of this name under {scope}"),
        )
    }

    pub fn desa_name_ambiguous(self) -> String {
        self.pick(
            "nama desa ini dipakai beberapa desa: isi kode_desa",
            "several desa have this name: fill in kode_desa",
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

    pub fn outside_scope(self, who: &str) -> String {
        self.pick(
            format!("{who} terdaftar di luar wilayah Anda: baris tidak disimpan"),
            format!("{who} is registered outside your area: row not stored"),
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
}
