//! One visit as the rules see it: typed, already validated values. Parsing from JSON (and
//! its error messages) lives in `screen::input`; the web app can build these directly.

use time::Date;

use crate::immunization::Dose;
use crate::maternal::Pregnancy;
use crate::questionnaires::Questionnaires;

/// Sex as recorded (`"M"` / `"F"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn to_growth(self) -> growth::Sex {
        match self {
            Sex::Male => growth::Sex::Male,
            Sex::Female => growth::Sex::Female,
        }
    }
}

/// Recumbent length or standing height.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    Lying,
    Standing,
}

/// Today's measurements; `None` = not measured (or invalid and reported).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measurements {
    pub weight_kg: Option<f64>,
    /// Length (lying) or height (standing), cm.
    pub lenhei_cm: Option<f64>,
    pub measure: Option<Position>,
    pub head_cm: Option<f64>,
    pub muac_cm: Option<f64>,
    pub waist_cm: Option<f64>,
    /// Blood pressure, mmHg. Rules need both and `diastolic < systolic`.
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
    /// Glucose, mg/dL (glucometer).
    pub glucose_random: Option<f64>,
    pub glucose_fasting: Option<f64>,
    /// Total cholesterol, mg/dL.
    pub cholesterol: Option<f64>,
    /// Haemoglobin, g/dL.
    pub hb: Option<f64>,
    /// Bilateral pitting oedema.
    pub oedema: bool,
}

/// One earlier weighing from the KMS / register.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weighing {
    pub date: Date,
    pub weight_kg: f64,
}

/// Everything the rules read about one person at one visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    pub sex: Option<Sex>,
    pub birth_date: Date,
    /// "Today": the rules never read a clock.
    pub visit_date: Date,
    pub pregnancy: Option<Pregnancy>,
    pub postpartum_days: Option<u32>,
    pub measurements: Measurements,
    /// `None` = history unknown; `Some(vec![])` = never weighed before.
    pub previous_weighings: Option<Vec<Weighing>>,
    pub immunizations: Vec<Dose>,
    pub questionnaires: Questionnaires,
}

impl Visit {
    /// A visit with only the required facts; fill in the rest field by field.
    pub fn new(sex: Option<Sex>, birth_date: Date, visit_date: Date) -> Visit {
        Visit {
            sex,
            birth_date,
            visit_date,
            pregnancy: None,
            postpartum_days: None,
            measurements: Measurements::default(),
            previous_weighings: None,
            immunizations: Vec::new(),
            questionnaires: Questionnaires::default(),
        }
    }
}
