//! The input columns `posyandu zscore` understands (named as in WHO's reference file), and
//! the columns it appends.

use super::messages::{Lang, missing_columns};

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
}

impl Input {
    const ALL: [Input; 12] = [
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
    ];

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
        }
    }

    /// Measurement columns: a file needs at least one of them.
    const MEASUREMENTS: [Input; 6] = [
        Input::WeightKg,
        Input::LenheiCm,
        Input::HeadcCm,
        Input::ArmcCm,
        Input::TriskinMm,
        Input::SubskinMm,
    ];
}

/// Where each known column sits in the header.
#[derive(Debug, Clone)]
pub struct Columns {
    index: [Option<usize>; 12],
    /// Number of fields in the header; every output row has exactly these first.
    pub width: usize,
}

impl Columns {
    /// Maps a header (case and surrounding spaces ignored; the first of duplicates wins),
    /// refusing a file that lacks `sex`, an age column or every measurement column.
    pub fn from_header<'a>(
        header: impl IntoIterator<Item = &'a [u8]>,
        lang: Lang,
    ) -> Result<Columns, String> {
        let mut index = [None; 12];
        let mut width = 0;
        for (i, name) in header.into_iter().enumerate() {
            width += 1;
            let name = String::from_utf8_lossy(name).trim().to_ascii_lowercase();
            if let Some(k) = Input::ALL.iter().position(|c| c.name() == name) {
                index[k].get_or_insert(i);
            }
        }
        let cols = Columns { index, width };
        let mut missing = Vec::new();
        if cols.get(Input::Sex).is_none() {
            missing.push("sex");
        }
        if cols.get(Input::AgeDays).is_none() && cols.get(Input::AgeMonths).is_none() {
            missing.push(match lang {
                Lang::Id => "age_days atau age_months",
                Lang::En => "age_days or age_months",
            });
        }
        if Input::MEASUREMENTS.iter().all(|&c| cols.get(c).is_none()) {
            missing.push(match lang {
                Lang::Id => "salah satu dari weight_kg, lenhei_cm, headc_cm, armc_cm, triskin_mm, subskin_mm",
                Lang::En => "one of weight_kg, lenhei_cm, headc_cm, armc_cm, triskin_mm, subskin_mm",
            });
        }
        if missing.is_empty() {
            Ok(cols)
        } else {
            Err(missing_columns(&missing, lang))
        }
    }

    #[inline]
    pub fn get(&self, c: Input) -> Option<usize> {
        self.index[c as usize]
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
        let err = Columns::from_header([&b"id"[..], b"weight_kg"], Lang::En).unwrap_err();
        assert!(
            err.contains("sex") && err.contains("age_days or age_months"),
            "{err}"
        );
        let err = Columns::from_header([&b"sex"[..], b"age_months"], Lang::Id).unwrap_err();
        assert!(err.contains("weight_kg"), "{err}");
    }
}
