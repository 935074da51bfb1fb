//! WHO growth z-scores, exactly as WHO's own software computes them.
//!
//! * [`who2006`]: the WHO Child Growth Standards 2006 (0–5 years), eight indicators, as in
//!   WHO's `anthro` R package 1.1.0.
//! * [`who2007`]: the WHO Growth Reference 2007 (5–19 years), as in WHO's `anthroplus` 1.0.0.
//! * [`value_at_z`]: the inverse, for drawing KMS/growth-chart curves and making test data.
//!
//! The WHO tables are compiled into the crate by `build.rs` (see `data/README.md` for their
//! provenance); nothing is read or parsed at run time and there is no I/O. Results match WHO's unrounded z-scores
//! bit for bit and its rounded z-scores and flags exactly on WHO's reference cases.

mod indicator;
mod lms;
mod tables;
mod who2006;
mod who2007;

pub use indicator::{Indicator, value_at_z};
pub use lms::{Lms, round2};
pub use who2006::{Age, ChildMeasurements, ChildZscores, who2006};
pub use who2007::{YouthMeasurements, YouthZscores, who2007};

/// Days in an average month (365.25 / 12), WHO's conversion between days and months.
pub const DAYS_PER_MONTH: f64 = 30.4375;

/// Sex as the WHO tables code it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    /// WHO's numeric code: 1 male, 2 female.
    pub fn from_code(code: u8) -> Option<Sex> {
        match code {
            1 => Some(Sex::Male),
            2 => Some(Sex::Female),
            _ => None,
        }
    }

    /// WHO's numeric code: 1 male, 2 female.
    pub fn code(self) -> u8 {
        match self {
            Sex::Male => 1,
            Sex::Female => 2,
        }
    }

    pub(crate) fn index(self) -> usize {
        match self {
            Sex::Male => 0,
            Sex::Female => 1,
        }
    }
}

/// How length/height was measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Recumbent length (`l`): the standard under 24 months.
    Lying,
    /// Standing height (`h`): the standard from 24 months.
    Standing,
}

/// One z-score as WHO reports it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Zscore {
    /// Rounded to 2 decimals with R's algorithm (what WHO publishes).
    pub z: f64,
    /// Before rounding.
    pub raw: f64,
    /// Biologically implausible (WHO's flag, computed on the rounded z): re-check the
    /// measurement.
    pub implausible: bool,
}

impl Zscore {
    /// Rounds and flags a raw z; `None` for NaN (WHO writes a missing value).
    pub(crate) fn new(raw: f64, flag_low: f64, flag_high: f64) -> Option<Zscore> {
        if raw.is_nan() {
            return None;
        }
        let z = round2(raw);
        Some(Zscore {
            z,
            raw,
            implausible: z < flag_low || z > flag_high,
        })
    }
}
