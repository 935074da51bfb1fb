//! NIK (Nomor Induk Kependudukan): parsing and consistency warnings. Pure: no I/O.
//!
//! Source: PP 37/2007 art. 37 and Dukcapil's explanation of the 16 digits — d1–2 provinsi,
//! d3–4 kabupaten/kota, d5–6 kecamatan *of first registration*, d7–8 day of birth (+40 for
//! women), d9–10 month, d11–12 two-digit year, d13–16 serial from 0001
//! (<https://dukcapil.klaten.go.id/arti-16-digit-nomor-induk-kependudukan-nik>).
//!
//! Only the format (16 digits) is enforced. Everything else is a warning: Dukcapil data wins,
//! region codes are renumbered when regions split, and a newborn may be recorded with the
//! mother's NIK. A NIK is personal data: its `Debug` is redacted and errors never echo it.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::codes::Sex;

/// Decree of the region list the kecamatan codes come from (see `data/README.md`).
pub const REGION_DECREE: &str = "kepmendagri_300.2.2-2138_2025 (amended 300.2.2-2430/2025)";

const KECAMATAN_CODES: &str = include_str!("../data/kecamatan_codes.txt");

/// True when `code6` (6 digits, no dots) is a kecamatan of the current region list.
pub fn is_known_kecamatan(code6: &str) -> bool {
    // The file is sorted and every line is 6 digits + '\n', so binary search by line.
    let bytes = KECAMATAN_CODES.as_bytes();
    let n = bytes.len() / 7;
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let line = &KECAMATAN_CODES[mid * 7..mid * 7 + 6];
        match line.cmp(code6) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
        }
    }
    false
}

/// A NIK with a valid format: exactly 16 ASCII digits.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik(String);

/// Why a NIK was refused. Never contains the digits themselves.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NikError {
    #[error("NIK harus 16 angka, diterima {0} karakter")]
    WrongLength(usize),
    #[error("NIK hanya boleh berisi angka (karakter ke-{0} bukan angka)")]
    NotDigit(usize),
}

impl Nik {
    /// Accepts 16 digits; spaces and dots between groups (as printed on a KTP) are ignored.
    pub fn parse(text: &str) -> Result<Nik, NikError> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| *c != ' ' && *c != '.')
            .collect();
        if let Some(pos) = cleaned.chars().position(|c| !c.is_ascii_digit()) {
            return Err(NikError::NotDigit(pos + 1));
        }
        if cleaned.len() != 16 {
            return Err(NikError::WrongLength(cleaned.chars().count()));
        }
        Ok(Nik(cleaned))
    }

    /// The 16 digits, for storage and for showing to an authorised user. Never log this.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Province, kabupaten/kota and kecamatan code (digits 1–6).
    pub fn region_code(&self) -> &str {
        &self.0[0..6]
    }

    /// The last four digits, enough for a person to recognise their own NIK.
    pub fn masked(&self) -> String {
        format!("************{}", &self.0[12..])
    }

    fn two(&self, at: usize) -> u8 {
        self.0.as_bytes()[at..at + 2]
            .iter()
            .fold(0u8, |acc, b| acc * 10 + (b - b'0'))
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Nik(<redacted>)")
    }
}

impl TryFrom<String> for Nik {
    type Error = NikError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Nik::parse(&s)
    }
}

impl From<Nik> for String {
    fn from(n: Nik) -> String {
        n.0
    }
}

/// A consistency warning. Never blocks a write; shown to the kader to double-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum NikWarning {
    /// Digits 1–6 are not a kecamatan of the current region list (may be an older code).
    UnknownRegion { region: String },
    /// Digits 7–12 are not a calendar date (day 1–31 or 41–71, month 1–12).
    ImpossibleBirthDate,
    /// The day part says female (41–71) or male (1–31) but the record says otherwise.
    SexMismatch { nik_says: Sex },
    /// The birth date in the NIK differs from the recorded one.
    BirthDateMismatch,
    /// Serial number 0000 is never issued.
    ZeroSerial,
}

impl NikWarning {
    /// Short Indonesian text for the user interface.
    pub fn message(&self) -> String {
        match self {
            NikWarning::UnknownRegion { region } => {
                format!("Kode wilayah NIK {region} tidak ada di daftar kecamatan terkini")
            }
            NikWarning::ImpossibleBirthDate => "Bagian tanggal lahir NIK tidak valid".into(),
            NikWarning::SexMismatch { nik_says } => format!(
                "NIK menunjukkan jenis kelamin {}, berbeda dengan data",
                match nik_says {
                    Sex::Male => "laki-laki",
                    Sex::Female => "perempuan",
                }
            ),
            NikWarning::BirthDateMismatch => "Tanggal lahir di NIK berbeda dengan data".into(),
            NikWarning::ZeroSerial => "Nomor urut NIK 0000 tidak pernah diterbitkan".into(),
        }
    }
}

/// Checks a NIK against the person it is recorded for.
///
/// `is_mother_nik` marks a newborn recorded with the mother's NIK: then only the region and
/// serial are checked, since the date and sex digits are the mother's.
pub fn check(nik: &Nik, sex: Sex, birth_date: Date, is_mother_nik: bool) -> Vec<NikWarning> {
    let mut out = Vec::new();
    if !is_known_kecamatan(nik.region_code()) {
        out.push(NikWarning::UnknownRegion {
            region: nik.region_code().to_owned(),
        });
    }
    if &nik.0[12..] == "0000" {
        out.push(NikWarning::ZeroSerial);
    }
    if is_mother_nik {
        return out;
    }
    let (raw_day, month, yy) = (nik.two(6), nik.two(8), nik.two(10));
    let (day, nik_sex) = if raw_day > 40 {
        (raw_day - 40, Sex::Female)
    } else {
        (raw_day, Sex::Male)
    };
    let plausible_day = (1..=31).contains(&day);
    let Ok(month_t) = time::Month::try_from(month) else {
        out.push(NikWarning::ImpossibleBirthDate);
        return out;
    };
    if !plausible_day {
        out.push(NikWarning::ImpossibleBirthDate);
        return out;
    }
    if nik_sex != sex {
        out.push(NikWarning::SexMismatch { nik_says: nik_sex });
    }
    // The year has two digits: compare modulo 100, which also avoids guessing the century.
    let same_date = birth_date.day() == day
        && birth_date.month() == month_t
        && birth_date.year().rem_euclid(100) == i32::from(yy);
    if !same_date {
        // A day that no calendar has (31 April) is impossible, not just different.
        let full_year = 1900 + i32::from(yy);
        if Date::from_calendar_date(full_year, month_t, day).is_err()
            && Date::from_calendar_date(full_year + 100, month_t, day).is_err()
        {
            out.push(NikWarning::ImpossibleBirthDate);
        } else {
            out.push(NikWarning::BirthDateMismatch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn format_is_enforced() {
        let cases: &[(&str, Result<(), NikError>)] = &[
            ("3508014101900001", Ok(())),
            ("3508 0141 0190 0001", Ok(())),
            ("35.08.01.410190.0001", Ok(())),
            ("350801410190001", Err(NikError::WrongLength(15))),
            ("35080141019000012", Err(NikError::WrongLength(17))),
            ("35080141019O0001", Err(NikError::NotDigit(12))),
            ("", Err(NikError::WrongLength(0))),
        ];
        for (input, want) in cases {
            assert_eq!(&Nik::parse(input).map(|_| ()), want, "input {input:?}");
        }
    }

    #[test]
    fn debug_and_errors_never_show_digits() {
        let nik = Nik::parse("3508014101900001").unwrap();
        let dbg = format!("{nik:?}");
        assert!(!dbg.contains("3508"), "{dbg}");
        let err = Nik::parse("350801410190001").unwrap_err().to_string();
        assert!(!err.contains("3508"), "{err}");
        assert_eq!(nik.masked(), "************0001");
    }

    #[test]
    fn kecamatan_list_is_searchable() {
        assert!(is_known_kecamatan("110101"));
        assert!(is_known_kecamatan("350801")); // Tempursari, Lumajang
        assert!(!is_known_kecamatan("350899"));
        assert!(!is_known_kecamatan("000000"));
        assert_eq!(KECAMATAN_CODES.len() % 7, 0);
    }

    #[test]
    fn consistency_warnings() {
        use NikWarning::*;
        let f = Sex::Female;
        let m = Sex::Male;
        let d = date!(1990 - 01 - 01);
        let cases: &[(&str, Sex, Date, bool, Vec<NikWarning>)] = &[
            // woman born 1 Jan 1990: day 01 + 40 = 41
            ("3508014101900001", f, d, false, vec![]),
            // same NIK recorded as a man
            (
                "3508014101900001",
                m,
                d,
                false,
                vec![SexMismatch { nik_says: f }],
            ),
            // man born 1 Jan 1990
            ("3508010101900001", m, d, false, vec![]),
            // recorded birth date differs
            (
                "3508014101900001",
                f,
                date!(1990 - 01 - 02),
                false,
                vec![BirthDateMismatch],
            ),
            // year is compared modulo 100 (born 2001 → "01")
            ("3508014101010001", f, date!(2001 - 01 - 01), false, vec![]),
            // unknown kecamatan code
            (
                "3508994101900001",
                f,
                d,
                false,
                vec![UnknownRegion {
                    region: "350899".into(),
                }],
            ),
            // day 32, month 13, 31 April
            ("3508013201900001", m, d, false, vec![ImpossibleBirthDate]),
            ("3508010113900001", m, d, false, vec![ImpossibleBirthDate]),
            ("3508013104900001", m, d, false, vec![ImpossibleBirthDate]),
            // serial 0000
            ("3508014101900000", f, d, false, vec![ZeroSerial]),
            // newborn boy with his mother's NIK: only region and serial are checked
            ("3508014101900001", m, date!(2025 - 03 - 04), true, vec![]),
            (
                "3508994101900000",
                m,
                date!(2025 - 03 - 04),
                true,
                vec![
                    UnknownRegion {
                        region: "350899".into(),
                    },
                    ZeroSerial,
                ],
            ),
        ];
        for (nik, sex, birth, mother, want) in cases {
            let got = check(&Nik::parse(nik).unwrap(), *sex, *birth, *mother);
            assert_eq!(&got, want, "nik {nik} sex {sex:?} birth {birth}");
        }
    }
}
