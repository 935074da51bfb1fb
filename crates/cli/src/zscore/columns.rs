//! The input columns `posyandu zscore` understands, and the columns it appends.
//!
//! One vocabulary for registers: WHO's names (`sex`, `age_days`, `weight_kg`, …) and every
//! header `posyandu import` reads (`jk`, `tgl_lahir` + `tgl_ukur`, `berat`, `tinggi`,
//! `cara_ukur`, `lila`, `lingkar_kepala`, the e-PPGBM export's `Tanggal Pengukuran`, …),
//! taken from the import's own table so that the two commands never disagree.

use super::messages::{Lang, missing_columns};
use demo::register_import::{Column, columns::normalise};

/// Input columns with a meaning; any other column passes through untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Standard,
    Sex,
    AgeDays,
    AgeMonths,
    WeightKg,
    LenheiCm,
    Measure,
    HeadcCm,
    ArmcCm,
    TriskinMm,
    SubskinMm,
    Oedema,
    /// A register's birth date: with [`Input::MeasuredOn`] it gives the age in days.
    BirthDate,
    MeasuredOn,
}

impl Input {
    const ALL: [Input; 14] = [
        Input::Standard,
        Input::Sex,
        Input::AgeDays,
        Input::AgeMonths,
        Input::WeightKg,
        Input::LenheiCm,
        Input::Measure,
        Input::HeadcCm,
        Input::ArmcCm,
        Input::TriskinMm,
        Input::SubskinMm,
        Input::Oedema,
        Input::BirthDate,
        Input::MeasuredOn,
    ];

    /// WHO's name of the column (the register's for the two dates).
    pub fn name(self) -> &'static str {
        match self {
            Input::Standard => "standard",
            Input::Sex => "sex",
            Input::AgeDays => "age_days",
            Input::AgeMonths => "age_months",
            Input::WeightKg => "weight_kg",
            Input::LenheiCm => "lenhei_cm",
            Input::Measure => "measure",
            Input::HeadcCm => "headc_cm",
            Input::ArmcCm => "armc_cm",
            Input::TriskinMm => "triskin_mm",
            Input::SubskinMm => "subskin_mm",
            Input::Oedema => "oedema",
            Input::BirthDate => Column::BirthDate.name(),
            Input::MeasuredOn => Column::MeasuredOn.name(),
        }
    }

    /// The column a register header names, as `import` reads it.
    fn from_register(c: Column) -> Option<Input> {
        Some(match c {
            Column::Sex => Input::Sex,
            Column::BirthDate => Input::BirthDate,
            Column::MeasuredOn => Input::MeasuredOn,
            Column::WeightKg => Input::WeightKg,
            Column::LengthCm => Input::LenheiCm,
            Column::Method => Input::Measure,
            Column::ArmCircCm => Input::ArmcCm,
            Column::HeadCircCm => Input::HeadcCm,
            _ => return None,
        })
    }

    /// The column a (normalised) header names: WHO's name, or a register's.
    fn from_header(normalised: &str) -> Option<Input> {
        if let Some(&c) = Input::ALL[..12].iter().find(|c| c.name() == normalised) {
            return Some(c);
        }
        Column::ALL
            .into_iter()
            .find(|c| c.aliases().contains(&normalised))
            .and_then(Input::from_register)
    }

    /// Measurement columns: a file needs at least one of them.
    pub const MEASUREMENTS: [Input; 6] = [
        Input::WeightKg,
        Input::LenheiCm,
        Input::HeadcCm,
        Input::ArmcCm,
        Input::TriskinMm,
        Input::SubskinMm,
    ];
}

/// Where each known column sits in the header, and its header as the file spells it (for
/// messages that the officer can match to the sheet).
#[derive(Debug, Clone)]
pub struct Columns {
    index: [Option<usize>; 14],
    labels: [String; 14],
    /// Number of fields in the header; every output row has exactly these first.
    pub width: usize,
}

impl Columns {
    /// Maps a header (case, surrounding spaces and punctuation ignored, as `import` does;
    /// the first of duplicates wins), refusing a file that lacks a sex column, an age (WHO's
    /// `age_days`/`age_months`, or a register's birth and measurement dates) or every
    /// measurement column.
    pub fn from_header<'a>(
        header: impl IntoIterator<Item = &'a [u8]>,
        lang: Lang,
    ) -> Result<Columns, String> {
        let mut index = [None; 14];
        let mut labels: [String; 14] = Default::default();
        let mut width = 0;
        for (i, name) in header.into_iter().enumerate() {
            width += 1;
            let text = String::from_utf8_lossy(name);
            if let Some(c) = Input::from_header(&normalise(&text))
                && index[c as usize].is_none()
            {
                index[c as usize] = Some(i);
                labels[c as usize] = text.trim().to_owned();
            }
        }
        let cols = Columns {
            index,
            labels,
            width,
        };
        let mut missing = Vec::new();
        if cols.get(Input::Sex).is_none() {
            missing.push("sex (jk)");
        }
        if !cols.has_age() {
            missing.push(match lang {
                Lang::Id => "age_days atau age_months (atau tgl_lahir dan tgl_ukur)",
                Lang::En => "age_days or age_months (or tgl_lahir and tgl_ukur)",
            });
        }
        if Input::MEASUREMENTS.iter().all(|&c| cols.get(c).is_none()) {
            missing.push(match lang {
                Lang::Id => {
                    "salah satu dari weight_kg (berat), lenhei_cm (tinggi), headc_cm \
                     (lingkar_kepala), armc_cm (lila), triskin_mm, subskin_mm"
                }
                Lang::En => {
                    "one of weight_kg (berat), lenhei_cm (tinggi), headc_cm (lingkar_kepala), \
                     armc_cm (lila), triskin_mm, subskin_mm"
                }
            });
        }
        if missing.is_empty() {
            Ok(cols)
        } else {
            Err(missing_columns(&missing, lang))
        }
    }

    fn has_age(&self) -> bool {
        self.get(Input::AgeDays).is_some()
            || self.get(Input::AgeMonths).is_some()
            || (self.get(Input::BirthDate).is_some() && self.get(Input::MeasuredOn).is_some())
    }

    /// Whether the age comes from a register's two dates (no WHO age column).
    pub fn age_from_dates(&self) -> bool {
        self.get(Input::AgeDays).is_none() && self.get(Input::AgeMonths).is_none()
    }

    #[inline]
    pub fn get(&self, c: Input) -> Option<usize> {
        self.index[c as usize]
    }

    /// The header of a known column as the file has it (trimmed).
    pub fn label(&self, c: Input) -> &str {
        &self.labels[c as usize]
    }
}

/// Columns appended after the input's own, in this order.
pub const OUTPUT: [&str; 26] = [
    "clenhei",
    "cmeasure",
    "c9mo_flag",
    "cbmi",
    "zlen",
    "flen",
    "zwei",
    "fwei",
    "zwfl",
    "fwfl",
    "zbmi",
    "fbmi",
    "zhc",
    "fhc",
    "zac",
    "fac",
    "zts",
    "fts",
    "zss",
    "fss",
    "zhfa",
    "fhfa",
    "zwfa",
    "fwfa",
    "zbfa",
    "fbfa",
];

/// The unrounded z-scores, appended with `--raw`.
pub const RAW: [&str; 11] = [
    "zlen_raw", "zwei_raw", "zwfl_raw", "zbmi_raw", "zhc_raw", "zac_raw", "zts_raw", "zss_raw",
    "zhfa_raw", "zwfa_raw", "zbfa_raw",
];

/// The last column: what was wrong with the row, empty when nothing was.
pub const ERROR: &str = "error";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_is_matched_case_insensitively_and_missing_columns_are_named() {
        let cols =
            Columns::from_header([&b"ID"[..], b" Sex ", b"AGE_DAYS", b"weight_kg"], Lang::En)
                .expect("valid header");
        assert_eq!(
            (cols.get(Input::Sex), cols.get(Input::AgeDays)),
            (Some(1), Some(2))
        );
        assert_eq!(cols.width, 4);
        assert_eq!(cols.label(Input::Sex), "Sex");
        let err = Columns::from_header([&b"id"[..], b"weight_kg"], Lang::En).unwrap_err();
        assert!(
            err.contains("sex") && err.contains("age_days or age_months"),
            "{err}"
        );
        let err = Columns::from_header([&b"sex"[..], b"age_months"], Lang::Id).unwrap_err();
        assert!(err.contains("weight_kg"), "{err}");
    }

    #[test]
    fn register_headers_are_read_as_import_reads_them() {
        let header = [
            &b"No"[..],
            b"Nama Anak",
            b"JK",
            b"Tgl. Lahir",
            b"Tanggal Pengukuran",
            b"BB Lahir",
            b"Berat",
            b"TB/PB",
            b"Cara Ukur",
            b"LiLA",
            b"LK",
        ];
        let cols = Columns::from_header(header, Lang::Id).expect("a register header");
        for (c, at) in [
            (Input::Sex, 2),
            (Input::BirthDate, 3),
            (Input::MeasuredOn, 4),
            (Input::WeightKg, 6),
            (Input::LenheiCm, 7),
            (Input::Measure, 8),
            (Input::ArmcCm, 9),
            (Input::HeadcCm, 10),
        ] {
            assert_eq!(cols.get(c), Some(at), "{c:?}");
        }
        assert!(cols.age_from_dates());
        assert_eq!(cols.label(Input::BirthDate), "Tgl. Lahir");
        // WHO's columns and a register's mixed: the first of each wins.
        let cols = Columns::from_header([&b"sex"[..], b"jk", b"age_days", b"berat"], Lang::Id)
            .expect("mixed header");
        assert_eq!(cols.get(Input::Sex), Some(0));
        assert!(!cols.age_from_dates());
    }
}
