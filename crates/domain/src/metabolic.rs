//! Blood pressure, glucose, cholesterol, adult BMI and waist (rules.md §4, §5).

use crate::age::Age;
use crate::catalogue::{self as cat, Findings, Rule};
use crate::settings::{AdultBmiScale, Settings};
use crate::visit::{Measurements, Sex};

/// Adolescent BP, AAP 2017 as quoted in KMK2023 (§3.5 C), 13 y to below the adult age.
/// S and D each get their own category; the higher one is the finding.
fn adolescent_bp(s: f64, d: f64) -> Option<&'static Rule> {
    let cat_s = if s >= 140.0 {
        3
    } else if s >= 130.0 {
        2
    } else if s >= 120.0 {
        1
    } else {
        0
    };
    let cat_d = if d >= 90.0 {
        3
    } else if d >= 80.0 {
        2
    } else {
        0
    };
    match cat_s.max(cat_d) {
        1 => Some(&cat::BP_ELEVATED_ADOLESCENT),
        2 => Some(&cat::HYPERTENSION_STAGE1_ADOLESCENT),
        3 => Some(&cat::HYPERTENSION_STAGE2_ADOLESCENT),
        _ => None,
    }
}

/// Adult BP, KMK2023 Tabel 22 (§3.5 C): optimal/normal carry no code.
fn adult_bp(s: f64, d: f64) -> Option<&'static Rule> {
    let band = |v: f64, cuts: [f64; 4]| cuts.iter().filter(|&&c| v >= c).count();
    let grade = band(s, [130.0, 140.0, 160.0, 180.0]).max(band(d, [85.0, 90.0, 100.0, 110.0]));
    match grade {
        1 => Some(&cat::BP_HIGH_NORMAL),
        2 => Some(&cat::HYPERTENSION_GRADE1),
        3 => Some(&cat::HYPERTENSION_GRADE2),
        4 => Some(&cat::HYPERTENSION_GRADE3),
        _ => None,
    }
}

/// Blood pressure for adolescents, adults and mothers (rules.md §4). Needs both values.
pub fn bp_rules(m: &Measurements, age: Age, maternal: bool, s: &Settings, out: &mut Findings) {
    let (Some(sys), Some(dia)) = (m.systolic, m.diastolic) else {
        return;
    };
    if age.years >= s.bp_adult_min_years {
        if let Some(rule) = adult_bp(sys, dia) {
            out.push(rule);
        }
        // Isolated systolic hypertension is reported besides the grade (KMK2023 T22).
        if sys >= 140.0 && dia < 90.0 {
            out.push(&cat::HYPERTENSION_ISOLATED_SYSTOLIC);
        }
    } else if age.years >= 13
        && let Some(rule) = adolescent_bp(sys, dia)
    {
        out.push(rule);
    }
    if maternal && (sys >= 140.0 || dia >= 90.0) {
        out.push(&cat::HYPERTENSION_MATERNAL);
    }
}

/// Glucometer (KMK2023 Tabel 23, §3.6 C) for everyone past balita age, and total
/// cholesterol (KMK2023 PPK, §3.6 C) from 15 years.
pub fn glucose_cholesterol_rules(m: &Measurements, age: Age, out: &mut Findings) {
    if age.is_balita() {
        return;
    }
    if let Some(gds) = m.glucose_random {
        if gds >= 200.0 {
            out.push(&cat::GLUCOSE_RANDOM_DIABETES);
        } else if gds >= 140.0 {
            out.push(&cat::GLUCOSE_RANDOM_PREDIABETES);
        }
    }
    if let Some(gdp) = m.glucose_fasting {
        if gdp >= 126.0 {
            out.push(&cat::GLUCOSE_FASTING_DIABETES);
        } else if gdp >= 100.0 {
            out.push(&cat::GLUCOSE_FASTING_PREDIABETES);
        }
    }
    if age.years >= 15
        && let Some(tc) = m.cholesterol
    {
        if tc >= 240.0 {
            out.push(&cat::CHOLESTEROL_HIGH);
        } else if tc >= 200.0 {
            out.push(&cat::CHOLESTEROL_BORDERLINE);
        }
    }
}

/// The BMI values at which a category of either scale changes (rules.md §5).
const BMI_CUT_OFFS: [f64; 6] = [17.0, 18.5, 23.0, 25.0, 27.0, 30.0];

/// BMI = kg / m², computed as `kg·10000 / cm²` and not rounded (rules.md §0). A result within
/// 1e-13 (relative) of a cut-off is that cut-off: the three float steps err by under 1e-15,
/// so 64 kg at 160 cm is 25.0, not 24.999999999999996, while a decimal input that is really
/// below a cut-off (47.3599999999 kg at 160 cm = 18.49999999996) stays below it.
pub fn adult_bmi(weight_kg: f64, height_cm: f64) -> f64 {
    let bmi = weight_kg * 10_000.0 / (height_cm * height_cm);
    BMI_CUT_OFFS
        .into_iter()
        .find(|c| (bmi - c).abs() <= c * 1e-13)
        .unwrap_or(bmi)
}

/// Adult BMI category on the chosen scale (§3.7): Asia-Pacific (KMK2023, C) or Depkes (S).
pub fn adult_bmi_category(bmi: f64, scale: AdultBmiScale) -> Option<&'static Rule> {
    match scale {
        AdultBmiScale::AsiaPacific => {
            if bmi < 18.5 {
                Some(&cat::BMI_UNDERWEIGHT)
            } else if bmi < 23.0 {
                None
            } else if bmi < 25.0 {
                Some(&cat::BMI_OVERWEIGHT)
            } else if bmi < 30.0 {
                Some(&cat::BMI_OBESE_1)
            } else {
                Some(&cat::BMI_OBESE_2)
            }
        }
        AdultBmiScale::Depkes => {
            if bmi < 17.0 {
                Some(&cat::BMI_UNDERWEIGHT_SEVERE)
            } else if bmi < 18.5 {
                Some(&cat::BMI_UNDERWEIGHT)
            } else if bmi <= 25.0 {
                None
            } else if bmi <= 27.0 {
                Some(&cat::BMI_OVERWEIGHT)
            } else {
                Some(&cat::BMI_OBESE)
            }
        }
    }
}

/// Adult BMI from 19 y (setting) and central obesity from 15 y, not pregnant (rules.md §5).
pub fn adult_body_rules(
    m: &Measurements,
    sex: Option<Sex>,
    age: Age,
    pregnant: bool,
    s: &Settings,
    out: &mut Findings,
) {
    if pregnant {
        return;
    }
    if age.years >= s.adult_bmi_min_years
        && let (Some(w), Some(h)) = (m.weight_kg, m.lenhei_cm)
        && let Some(rule) = adult_bmi_category(adult_bmi(w, h), s.adult_bmi_scale)
    {
        out.push(rule);
    }
    if age.years >= 15
        && let (Some(waist), Some(sex)) = (m.waist_cm, sex)
    {
        let limit = match sex {
            Sex::Male => 90.0,
            Sex::Female => 80.0,
        };
        if waist > limit {
            out.push(&cat::CENTRAL_OBESITY);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn age(years: i32) -> Age {
        Age {
            days: i64::from(years) * 366,
            months: i64::from(years) * 12,
            years,
        }
    }

    fn bp(sys: f64, dia: f64, years: i32, maternal: bool, s: &Settings) -> Vec<&'static str> {
        let m = Measurements {
            systolic: Some(sys),
            diastolic: Some(dia),
            ..Measurements::default()
        };
        let mut f = Findings::default();
        bp_rules(&m, age(years), maternal, s, &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    #[test]
    fn adult_bp_table() {
        let s = Settings::default();
        let table: [(f64, f64, &[&str]); 22] = [
            (119.0, 79.0, &[]),
            (129.9, 84.9, &[]),
            (130.0, 70.0, &["bp_high_normal"]),
            (120.0, 85.0, &["bp_high_normal"]),
            (139.9, 89.9, &["bp_high_normal"]),
            (139.0, 89.0, &["bp_high_normal"]),
            (
                140.0,
                70.0,
                &["hypertension_grade1", "hypertension_isolated_systolic"],
            ),
            (120.0, 90.0, &["hypertension_grade1"]),
            (159.0, 99.0, &["hypertension_grade1"]),
            (140.0, 90.0, &["hypertension_grade1"]),
            (
                159.9,
                89.9,
                &["hypertension_grade1", "hypertension_isolated_systolic"],
            ),
            (
                160.0,
                80.0,
                &["hypertension_grade2", "hypertension_isolated_systolic"],
            ),
            (130.0, 100.0, &["hypertension_grade2"]),
            (179.0, 109.0, &["hypertension_grade2"]),
            (
                180.0,
                80.0,
                &["hypertension_grade3", "hypertension_isolated_systolic"],
            ),
            (150.0, 110.0, &["hypertension_grade3"]),
            (179.9, 109.9, &["hypertension_grade2"]),
            (200.0, 120.0, &["hypertension_grade3"]),
            (129.0, 85.0, &["bp_high_normal"]),
            (129.0, 84.0, &[]),
            (
                141.0,
                89.0,
                &["hypertension_grade1", "hypertension_isolated_systolic"],
            ),
            (139.0, 90.0, &["hypertension_grade1"]),
        ];
        for (sys, dia, want) in table {
            assert_eq!(bp(sys, dia, 18, false, &s), want, "{sys}/{dia}");
        }
    }

    #[test]
    fn adolescent_bp_table() {
        let s = Settings::default();
        let table: [(f64, f64, &[&str]); 12] = [
            (119.9, 79.9, &[]),
            (120.0, 79.0, &["bp_elevated_adolescent"]),
            (129.9, 79.9, &["bp_elevated_adolescent"]),
            (130.0, 70.0, &["hypertension_stage1_adolescent"]),
            (110.0, 80.0, &["hypertension_stage1_adolescent"]),
            (125.0, 80.0, &["hypertension_stage1_adolescent"]),
            (139.9, 89.9, &["hypertension_stage1_adolescent"]),
            (140.0, 70.0, &["hypertension_stage2_adolescent"]),
            (110.0, 90.0, &["hypertension_stage2_adolescent"]),
            (100.0, 60.0, &[]),
            (139.0, 89.0, &["hypertension_stage1_adolescent"]),
            (141.0, 91.0, &["hypertension_stage2_adolescent"]),
        ];
        for (sys, dia, want) in table {
            assert_eq!(bp(sys, dia, 13, false, &s), want, "{sys}/{dia}");
            assert_eq!(bp(sys, dia, 17, false, &s), want, "{sys}/{dia}");
        }
        assert!(bp(150.0, 95.0, 12, false, &s).is_empty());
    }

    #[test]
    fn bp_adult_age_setting_and_maternal() {
        let mut s = Settings::default();
        assert_eq!(
            bp(135.0, 70.0, 17, false, &s),
            ["hypertension_stage1_adolescent"]
        );
        assert_eq!(bp(135.0, 70.0, 18, false, &s), ["bp_high_normal"]);
        s.apply("bp_adult_min_years=15").unwrap_or_default();
        assert_eq!(bp(135.0, 70.0, 15, false, &s), ["bp_high_normal"]);
        assert_eq!(
            bp(135.0, 70.0, 14, false, &s),
            ["hypertension_stage1_adolescent"]
        );
        let d = Settings::default();
        assert_eq!(
            bp(139.0, 90.0, 25, true, &d),
            ["hypertension_grade1", "hypertension_maternal"]
        );
        assert_eq!(bp(139.9, 89.9, 25, true, &d), ["bp_high_normal"]);
        assert_eq!(bp(140.0, 89.0, 12, true, &d), ["hypertension_maternal"]);
    }

    fn metab(m: Measurements, years: i32, days: Option<i64>) -> Vec<&'static str> {
        let mut a = age(years);
        if let Some(d) = days {
            a.days = d;
        }
        let mut f = Findings::default();
        glucose_cholesterol_rules(&m, a, &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    #[test]
    fn glucose_and_cholesterol() {
        let g = |r: f64, f: f64, c: f64| Measurements {
            glucose_random: Some(r),
            glucose_fasting: Some(f),
            cholesterol: Some(c),
            ..Measurements::default()
        };
        assert!(metab(g(139.9, 99.9, 199.9), 30, None).is_empty());
        assert_eq!(
            metab(g(140.0, 100.0, 200.0), 30, None),
            [
                "cholesterol_borderline",
                "glucose_fasting_prediabetes",
                "glucose_random_prediabetes"
            ]
        );
        assert_eq!(
            metab(g(199.9, 125.9, 239.9), 30, None),
            [
                "cholesterol_borderline",
                "glucose_fasting_prediabetes",
                "glucose_random_prediabetes"
            ]
        );
        assert_eq!(
            metab(g(200.0, 126.0, 240.0), 30, None),
            [
                "cholesterol_high",
                "glucose_fasting_diabetes",
                "glucose_random_diabetes"
            ]
        );
        // Cholesterol from 15 y; glucose from school age; nothing for balita.
        assert_eq!(
            metab(g(200.0, 126.0, 240.0), 14, None),
            ["glucose_fasting_diabetes", "glucose_random_diabetes"]
        );
        assert!(metab(g(200.0, 126.0, 240.0), 4, Some(1826)).is_empty());
        assert_eq!(
            metab(g(200.0, 90.0, 100.0), 5, Some(1827)),
            ["glucose_random_diabetes"]
        );
    }

    #[test]
    fn bmi_is_exact_at_decimal_cut_offs() {
        // (weight, height, BMI): each lands exactly on a cut-off in decimal arithmetic.
        let table = [
            (64.0, 160.0, 25.0),
            (47.36, 160.0, 18.5),
            (58.88, 160.0, 23.0),
            (76.8, 160.0, 30.0),
            (43.52, 160.0, 17.0),
            (69.12, 160.0, 27.0),
            (72.25, 170.0, 25.0),
            (53.465, 170.0, 18.5),
        ];
        for (w, h, want) in table {
            assert_eq!(adult_bmi(w, h), want, "{w} kg {h} cm");
        }
        assert!(adult_bmi(63.99, 160.0) < 25.0);
        assert!(adult_bmi(47.3599999999, 160.0) < 18.5);
        assert!(adult_bmi(64.0000000001, 160.0) > 25.0);
        assert!(adult_bmi(64.01, 160.0) > 25.0);
        let ap = AdultBmiScale::AsiaPacific;
        assert_eq!(
            adult_bmi_category(adult_bmi(64.0, 160.0), ap).map(|r| r.code),
            Some("bmi_obese_1")
        );
        assert_eq!(adult_bmi_category(adult_bmi(47.36, 160.0), ap), None);
    }

    #[test]
    fn bmi_scales() {
        let ap = AdultBmiScale::AsiaPacific;
        let dk = AdultBmiScale::Depkes;
        let code = |b: f64, s| adult_bmi_category(b, s).map(|r| r.code);
        let table = [
            (
                16.99,
                Some("bmi_underweight"),
                Some("bmi_underweight_severe"),
            ),
            (17.0, Some("bmi_underweight"), Some("bmi_underweight")),
            (18.49, Some("bmi_underweight"), Some("bmi_underweight")),
            (18.5, None, None),
            (22.99, None, None),
            (23.0, Some("bmi_overweight"), None),
            (24.99, Some("bmi_overweight"), None),
            (25.0, Some("bmi_obese_1"), None),
            (25.01, Some("bmi_obese_1"), Some("bmi_overweight")),
            (27.0, Some("bmi_obese_1"), Some("bmi_overweight")),
            (27.01, Some("bmi_obese_1"), Some("bmi_obese")),
            (29.99, Some("bmi_obese_1"), Some("bmi_obese")),
            (30.0, Some("bmi_obese_2"), Some("bmi_obese")),
        ];
        for (b, want_ap, want_dk) in table {
            assert_eq!(code(b, ap), want_ap, "asia_pacific {b}");
            assert_eq!(code(b, dk), want_dk, "depkes {b}");
        }
    }

    #[test]
    fn adult_bmi_age_pregnancy_and_waist() {
        let m = Measurements {
            weight_kg: Some(40.0),
            lenhei_cm: Some(160.0), // BMI 15.6
            waist_cm: Some(80.5),
            ..Measurements::default()
        };
        let run = |years: i32, sex: Sex, pregnant: bool, s: &Settings| {
            let mut f = Findings::default();
            adult_body_rules(&m, Some(sex), age(years), pregnant, s, &mut f);
            f.finish().iter().map(|r| r.code).collect::<Vec<_>>()
        };
        let s = Settings::default();
        assert_eq!(
            run(19, Sex::Female, false, &s),
            ["bmi_underweight", "central_obesity"]
        );
        assert_eq!(run(18, Sex::Female, false, &s), ["central_obesity"]);
        assert!(run(14, Sex::Female, false, &s).is_empty());
        assert_eq!(run(19, Sex::Male, false, &s), ["bmi_underweight"]);
        assert!(run(19, Sex::Female, true, &s).is_empty());
        let mut s18 = Settings::default();
        s18.apply("adult_bmi_min_years=18").unwrap_or_default();
        assert_eq!(run(18, Sex::Male, false, &s18), ["bmi_underweight"]);
        for (waist, sex, fires) in [
            (80.0, Sex::Female, false),
            (80.01, Sex::Female, true),
            (90.0, Sex::Male, false),
            (90.01, Sex::Male, true),
        ] {
            let m = Measurements {
                waist_cm: Some(waist),
                ..Measurements::default()
            };
            let mut f = Findings::default();
            adult_body_rules(&m, Some(sex), age(15), false, &s, &mut f);
            assert_eq!(!f.finish().is_empty(), fires, "{waist} {sex:?}");
        }
    }
}
