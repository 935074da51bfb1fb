//! Indicators by name, and the inverse LMS used to draw reference curves (the KMS card's
//! lines) and to make realistic test and demo data.

use crate::Sex;
use crate::lms::Lms;
use crate::tables::{self, Table};

/// Every indicator the crate computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    /// 2006, by day: length (to day 730) or height (from day 731), cm.
    LengthHeightForAge,
    /// 2006, by day: weight, kg.
    WeightForAge,
    /// 2006, by length 45–110 cm: weight, kg.
    WeightForLength,
    /// 2006, by height 65–120 cm: weight, kg.
    WeightForHeight,
    /// 2006, by day: BMI, kg/m².
    BmiForAge,
    /// 2006, by day: head circumference, cm.
    HeadCircumferenceForAge,
    /// 2006, by day from day 91: mid-upper arm circumference, cm.
    ArmCircumferenceForAge,
    /// 2006, by day from day 91: triceps skinfold, mm.
    TricepsSkinfoldForAge,
    /// 2006, by day from day 91: subscapular skinfold, mm.
    SubscapularSkinfoldForAge,
    /// 2007, by month 60–228: height, cm.
    HeightForAge2007,
    /// 2007, by month 60–120: weight, kg.
    WeightForAge2007,
    /// 2007, by month 60–228: BMI, kg/m².
    BmiForAge2007,
}

impl Indicator {
    /// Whether WHO restricts the LMS beyond ±3 SD for this indicator.
    pub fn restricted(self) -> bool {
        !matches!(
            self,
            Indicator::LengthHeightForAge
                | Indicator::HeadCircumferenceForAge
                | Indicator::HeightForAge2007
        )
    }

    /// The LMS parameters at `x` (day, cm, or month as the indicator is indexed). Lengths
    /// are interpolated between 0.1 cm rows and months between whole months, as WHO does.
    pub fn lms(self, sex: Sex, x: f64) -> Option<Lms> {
        if !x.is_finite() || x < 0.0 {
            return None;
        }
        let by_day = |t: &Table| t.get(sex, crate::lms::round_half_up(x) as i64);
        match self {
            Indicator::LengthHeightForAge => by_day(&tables::LHFA_2006),
            Indicator::WeightForAge => by_day(&tables::WFA_2006),
            Indicator::BmiForAge => by_day(&tables::BMI_2006),
            Indicator::HeadCircumferenceForAge => by_day(&tables::HC_2006),
            Indicator::ArmCircumferenceForAge => by_day(&tables::AC_2006),
            Indicator::TricepsSkinfoldForAge => by_day(&tables::TS_2006),
            Indicator::SubscapularSkinfoldForAge => by_day(&tables::SS_2006),
            Indicator::WeightForLength => tables::WFL_2006.at_length(sex, x),
            Indicator::WeightForHeight => tables::WFH_2006.at_length(sex, x),
            Indicator::HeightForAge2007 => tables::HFA_2007.at_month(sex, x),
            Indicator::WeightForAge2007 => tables::WFA_2007.at_month(sex, x),
            Indicator::BmiForAge2007 => tables::BFA_2007.at_month(sex, x),
        }
    }
}

/// The measurement at which `indicator`'s z-score equals `z`, for a child of `sex` at `x`
/// (age in days for 2006 age-based indicators, length/height in cm for weight-for-length
/// and -height, age in months for 2007). Beyond ±3 SD the skewed indicators follow WHO's
/// restricted (linear) scale, so `value_at_z` is the exact inverse of the z-score.
pub fn value_at_z(indicator: Indicator, sex: Sex, x: f64, z: f64) -> Option<f64> {
    let lms = indicator.lms(sex, x)?;
    let v = if indicator.restricted() {
        lms.value_at_z_restricted(z)
    } else {
        lms.sd(z)
    };
    v.is_finite().then_some(v)
}
