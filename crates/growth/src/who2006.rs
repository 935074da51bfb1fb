//! WHO Child Growth Standards 2006, 0–5 years: the eight indicators of WHO's `anthro`
//! (1.1.0) `anthro_zscores`, reproduced step by step.
//!
//! Sources: WHO MGRS Group, *WHO Child Growth Standards: Methods and development* (2006)
//! and the 2007 volume for head and arm circumference and skinfolds; the algorithm notes in
//! `../data/README.md` §3.3–3.7 and §3.9–3.10.

use crate::lms::{Lms, round_half_up};
use crate::tables::{self, Table};
use crate::{DAYS_PER_MONTH, Measure, Sex, Zscore};

/// Age as recorded: a day count (possibly fractional) or months (possibly fractional).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Age {
    Days(f64),
    Months(f64),
}

impl Age {
    /// `(rounded day used for the table look-up, unrounded age in months)`, as WHO derives
    /// them: days are rounded half up; months become `round_half_up(months × 30.4375)`
    /// days; the months are never rounded. A negative or non-finite age is treated as
    /// unknown (WHO's R stops with an error instead).
    pub fn days_and_months(self) -> Option<(i64, f64)> {
        let (days, months) = match self {
            Age::Days(d) => (d, d / DAYS_PER_MONTH),
            Age::Months(m) => (m * DAYS_PER_MONTH, m),
        };
        (days.is_finite() && days >= 0.0 && months.is_finite())
            .then(|| (round_half_up(days) as i64, months))
    }
}

/// Inputs of one child for [`who2006`]. Lengths in cm, weight in kg, skinfolds in mm.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildMeasurements {
    pub sex: Option<Sex>,
    pub age: Option<Age>,
    pub weight_kg: Option<f64>,
    /// Length or height as measured; adjusted by ±0.7 cm by age and position.
    pub lenhei_cm: Option<f64>,
    pub measure: Option<Measure>,
    pub headc_cm: Option<f64>,
    pub armc_cm: Option<f64>,
    pub triskin_mm: Option<f64>,
    pub subskin_mm: Option<f64>,
    /// Bilateral pitting oedema: weight-based z-scores are then not computed.
    pub oedema: bool,
}

/// WHO's outputs for one child: cleaned values and the eight z-scores (`None` = missing).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChildZscores {
    /// Length/height after the ±0.7 cm lying/standing adjustment.
    pub clenhei: Option<f64>,
    /// Position after cleaning (`None` when a child under 9 months was recorded standing).
    pub cmeasure: Option<Measure>,
    /// A child under 9 months recorded standing.
    pub c9mo_flag: bool,
    /// weight / (clenhei/100)².
    pub cbmi: Option<f64>,
    /// Length/height-for-age.
    pub zlen: Option<Zscore>,
    /// Weight-for-age.
    pub zwei: Option<Zscore>,
    /// Weight-for-length (under 731 days) or weight-for-height.
    pub zwfl: Option<Zscore>,
    /// BMI-for-age.
    pub zbmi: Option<Zscore>,
    /// Head circumference-for-age.
    pub zhc: Option<Zscore>,
    /// Arm circumference-for-age.
    pub zac: Option<Zscore>,
    /// Triceps skinfold-for-age.
    pub zts: Option<Zscore>,
    /// Subscapular skinfold-for-age.
    pub zss: Option<Zscore>,
}

/// Which restriction and plausibility bounds an indicator uses (README §3.2 and §3.9).
#[derive(Clone, Copy)]
struct Rule {
    /// Restricted LMS beyond ±3 SD (the skewed indicators).
    restricted: bool,
    /// Flag when the rounded z is below this…
    flag_low: f64,
    /// …or above this.
    flag_high: f64,
    /// First day for which the indicator is defined (91 for arm circumference and skinfolds).
    first_day: i64,
}

const LEN: Rule = Rule {
    restricted: false,
    flag_low: -6.0,
    flag_high: 6.0,
    first_day: 0,
};
const WEI: Rule = Rule {
    restricted: true,
    flag_low: -6.0,
    flag_high: 5.0,
    first_day: 0,
};
const BMI: Rule = Rule {
    restricted: true,
    flag_low: -5.0,
    flag_high: 5.0,
    first_day: 0,
};
const HC: Rule = Rule {
    restricted: false,
    flag_low: -5.0,
    flag_high: 5.0,
    first_day: 0,
};
const ARM: Rule = Rule {
    restricted: true,
    flag_low: -5.0,
    flag_high: 5.0,
    first_day: 91,
};
const WFL: Rule = BMI;

/// Last day for which WHO computes an age-based z (the "< 60 months" rule cuts at 1826).
const LAST_DAY: i64 = 1856;

/// z-scores of one child under the WHO Child Growth Standards (0–5 years).
pub fn who2006(c: &ChildMeasurements) -> ChildZscores {
    let age = c.age.and_then(Age::days_and_months);
    let months = age.map(|(_, m)| m);
    let day = age.map(|(d, _)| d);

    // A standing measurement under 9 months is implausible: drop the position (anthro ≥ 1.1.0).
    let c9mo_flag = c.measure == Some(Measure::Standing) && months.is_some_and(|m| m < 9.0);
    let cmeasure = if c9mo_flag { None } else { c.measure };
    let clenhei = c.lenhei_cm.map(|l| adjust_lenhei(l, day, cmeasure));
    let cbmi = match (c.weight_kg, clenhei) {
        (Some(w), Some(h)) => Some(w / ((h / 100.0) * (h / 100.0))),
        _ => None,
    };

    // Age-based indicators need sex, a known age under 60 months, and a tabulated day.
    let at = |table: &Table, rule: Rule, y: Option<f64>| -> Option<Zscore> {
        let (sex, (day, months), y) = (c.sex?, age?, y?);
        if y <= 0.0 || months >= 60.0 || day < rule.first_day || day > LAST_DAY {
            return None;
        }
        let lms = table.get(sex, day)?;
        zscore(lms, y, rule)
    };
    let weight = if c.oedema { None } else { c.weight_kg };

    ChildZscores {
        zlen: at(&tables::LHFA_2006, LEN, clenhei),
        zwei: at(&tables::WFA_2006, WEI, weight),
        zwfl: weight_for_lenhei(c, weight, clenhei, cmeasure, age),
        zbmi: at(&tables::BMI_2006, BMI, if c.oedema { None } else { cbmi }),
        zhc: at(&tables::HC_2006, HC, c.headc_cm),
        zac: at(&tables::AC_2006, ARM, c.armc_cm),
        zts: at(&tables::TS_2006, ARM, c.triskin_mm),
        zss: at(&tables::SS_2006, ARM, c.subskin_mm),
        clenhei,
        cmeasure,
        c9mo_flag,
        cbmi,
    }
}

/// Under 731 days a standing height gets +0.7 cm (to lying length); from 731 days a lying
/// length gets −0.7 cm (to standing height). Unknown age or position: unchanged.
fn adjust_lenhei(lenhei: f64, day: Option<i64>, measure: Option<Measure>) -> f64 {
    match (day, measure) {
        (Some(d), Some(Measure::Standing)) if d < 731 => lenhei + 0.7,
        (Some(d), Some(Measure::Lying)) if d >= 731 => lenhei - 0.7,
        _ => lenhei,
    }
}

/// Weight-for-length (45–110 cm) or weight-for-height (65–120 cm), interpolated between
/// the 0.1 cm rows as WHO does (README §3.5). Computed even when age is unknown; the
/// "measurement ≤ 0 → missing" rule does not apply here.
fn weight_for_lenhei(
    c: &ChildMeasurements,
    weight: Option<f64>,
    clenhei: Option<f64>,
    cmeasure: Option<Measure>,
    age: Option<(i64, f64)>,
) -> Option<Zscore> {
    let (sex, y, x) = (c.sex?, weight?, clenhei?);
    let use_length = match (age, cmeasure) {
        (Some((day, months)), _) => {
            if day > LAST_DAY || months >= 60.0 {
                return None;
            }
            day < 731
        }
        (None, Some(m)) => m == Measure::Lying,
        (None, None) => x < 87.0,
    };
    let (table, lo_cm, hi_cm) = if use_length {
        (&tables::WFL_2006, 45.0, 110.0)
    } else {
        (&tables::WFH_2006, 65.0, 120.0)
    };
    if !(lo_cm..=hi_cm).contains(&x) {
        return None;
    }
    zscore(table.at_length(sex, x)?, y, WFL)
}

/// The z (restricted or not), rounded as WHO rounds it, with its plausibility flag. A NaN
/// z (e.g. a negative weight) is missing, as in WHO's output.
fn zscore(lms: Lms, y: f64, rule: Rule) -> Option<Zscore> {
    let raw = if rule.restricted {
        lms.z_restricted(y)
    } else {
        lms.z(y)
    };
    Zscore::new(raw, rule.flag_low, rule.flag_high)
}
