//! One visit in, every finding out: the groups of rules.md §0 decide which rules run.

use crate::age::Age;
use crate::anemia::anemia_rules;
use crate::anthro::{self, Zscores};
use crate::catalogue::{Findings, Rule};
use crate::immunization::{ImmunizationStatus, immunization_status};
use crate::kms;
use crate::maternal::{Pregnancy, kek_rule, pregnancy_rules};
use crate::metabolic::{adult_body_rules, bp_rules, glucose_cholesterol_rules};
use crate::questionnaires::questionnaire_rules;
use crate::settings::Settings;
use crate::visit::{Sex, Visit};

/// The answer for one visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Screening {
    pub age: Age,
    pub zscores: Zscores,
    /// Unique, sorted by code.
    pub findings: Vec<&'static Rule>,
    /// Present for balita only.
    pub immunization: Option<ImmunizationStatus>,
}

/// Oldest age the rules accept (rules.md §11.3).
pub const MAX_AGE_YEARS: i32 = 130;

/// The pregnancy that counts: rules.md §0 needs sex F and age ≥ 10 y.
fn valid_pregnancy(v: &Visit, age: Age) -> Option<&Pregnancy> {
    v.pregnancy
        .as_ref()
        .filter(|_| v.sex == Some(Sex::Female) && age.years >= 10)
}

/// Screen one visit. `None` when the dates give no valid age (visit before birth, or older
/// than 130 years): then there is no age, no finding and no immunization.
pub fn screen(v: &Visit, s: &Settings) -> Option<Screening> {
    let age = Age::at(v.birth_date, v.visit_date)?;
    if age.years > MAX_AGE_YEARS {
        return None;
    }
    let m = &v.measurements;
    let pregnancy = valid_pregnancy(v, age);
    let nifas = pregnancy.is_none()
        && v.pregnancy.is_none()
        && v.sex == Some(Sex::Female)
        && age.years >= 10
        && v.postpartum_days.is_some_and(|d| d <= 42);

    let z = anthro::zscores(v.sex, age, m);
    let mut f = Findings::default();

    anthro::balita_rules(&z, age, m, s, &mut f);
    if age.is_balita() {
        kms::bgm_rule(z.zwei, s, &mut f);
        if let Some(w) = m.weight_kg {
            let history = v.previous_weighings.as_deref();
            kms::kms_rules(v.birth_date, v.visit_date, w, history, s, &mut f);
            if let Some(sex) = v.sex {
                kms::weight_faltering_rule(
                    sex,
                    v.birth_date,
                    v.visit_date,
                    age,
                    z.zwei,
                    history,
                    &mut f,
                );
            }
        }
    }
    anthro::school_age_rules(&z, age, pregnancy.is_some(), &mut f);
    bp_rules(m, age, pregnancy.is_some() || nifas, s, &mut f);
    glucose_cholesterol_rules(m, age, &mut f);
    adult_body_rules(m, v.sex, age, pregnancy.is_some(), s, &mut f);
    match pregnancy {
        Some(p) => pregnancy_rules(p, m, s, &mut f),
        None => {
            if nifas {
                kek_rule(m, &mut f);
            }
            anemia_rules(m.hb, age, v.sex, &mut f);
        }
    }
    questionnaire_rules(&v.questionnaires, m, v.sex, age, s, &mut f);

    let immunization = if age.is_balita() {
        immunization_status(v.birth_date, v.visit_date, &v.immunizations, s)
    } else {
        None
    };
    Some(Screening {
        age,
        zscores: z,
        findings: f.finish(),
        immunization,
    })
}
