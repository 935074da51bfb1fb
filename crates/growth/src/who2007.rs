//! WHO Growth Reference 2007, 5–19 years: height-for-age, weight-for-age (to 10 years) and
//! BMI-for-age, as WHO's `anthroplus` (1.0.0) `anthroplus_zscores` computes them.
//!
//! Source: de Onis M et al., "Development of a WHO growth reference for school-aged
//! children and adolescents", *Bull WHO* 2007;85:660–7; algorithm notes in
//! `../data/README.md` §3.8–3.10.

use crate::tables::{self, Table};
use crate::{Sex, Zscore};

/// Inputs of one school-age child or adolescent for [`who2007`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YouthMeasurements {
    pub sex: Option<Sex>,
    /// Age in months, may be fractional (LMS is interpolated between months).
    pub age_months: Option<f64>,
    pub weight_kg: Option<f64>,
    /// Standing height in cm, used as given (no lying/standing adjustment).
    pub height_cm: Option<f64>,
    pub oedema: bool,
}

/// WHO's outputs for one school-age child or adolescent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YouthZscores {
    /// weight / (height/100)².
    pub cbmi: Option<f64>,
    /// Height-for-age, 60–228 months.
    pub zhfa: Option<Zscore>,
    /// Weight-for-age, 60–120 months.
    pub zwfa: Option<Zscore>,
    /// BMI-for-age, 60–228 months.
    pub zbfa: Option<Zscore>,
}

/// Oldest age (months) for height- and BMI-for-age.
const LAST_MONTH: f64 = 228.0;
/// Oldest age (months) for weight-for-age: the reference stops at 10 years.
const LAST_MONTH_WEIGHT: f64 = 120.0;

/// z-scores of one child aged 5–19 years under the WHO Growth Reference 2007.
pub fn who2007(y: &YouthMeasurements) -> YouthZscores {
    let cbmi = match (y.weight_kg, y.height_cm) {
        (Some(w), Some(h)) => Some(w / ((h / 100.0) * (h / 100.0))),
        _ => None,
    };
    let weight = if y.oedema { None } else { y.weight_kg };
    let bmi = if y.oedema { None } else { cbmi };
    YouthZscores {
        zhfa: at(
            &tables::HFA_2007,
            y,
            y.height_cm,
            LAST_MONTH,
            false,
            -6.0,
            6.0,
        ),
        zwfa: at(
            &tables::WFA_2007,
            y,
            weight,
            LAST_MONTH_WEIGHT,
            true,
            -6.0,
            5.0,
        ),
        zbfa: at(&tables::BFA_2007, y, bmi, LAST_MONTH, true, -5.0, 5.0),
        cbmi,
    }
}

/// One indicator: LMS interpolated between whole months (`low + d·(upp − low)` with
/// `d = age − trunc(age)`), then the plain or restricted z, rounded and flagged.
fn at(
    table: &Table,
    y: &YouthMeasurements,
    value: Option<f64>,
    last_month: f64,
    restricted: bool,
    flag_low: f64,
    flag_high: f64,
) -> Option<Zscore> {
    let (sex, age, value) = (y.sex?, y.age_months?, value?);
    if !(60.0..=last_month).contains(&age) {
        return None;
    }
    let lms = table.at_month(sex, age)?;
    let raw = if restricted {
        lms.z_restricted(value)
    } else {
        lms.z(value)
    };
    Zscore::new(raw, flag_low, flag_high)
}
