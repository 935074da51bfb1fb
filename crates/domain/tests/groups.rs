//! Life-cycle groups and the age limits of each rule, through `screen`: birth dates on both
//! sides of every birthday and day limit, KMS months and weight faltering windows.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use domain::anthro::waz_at;
use domain::visit::Sex;
use growth::Indicator;
use serde_json::{Value, json};
use time::Duration;

/// Born so that the person turns `years` tomorrow (still `years − 1` today).
fn turns_tomorrow(years: i32) -> String {
    let b = domain::age::parse_iso_date(&born_years_ago(years)).unwrap();
    (b + Duration::days(1)).to_string()
}

/// (rule, years, measurements, questionnaires, sex, settings)
type AgeCase = (
    &'static str,
    i32,
    Value,
    Value,
    &'static str,
    Vec<&'static str>,
);

fn with(birth: &str, sex: &str, m: Value, q: Value) -> Value {
    let mut p = measured(sex, birth, m);
    p["questionnaires"] = q;
    run(&p)
}

#[test]
fn age_limits_of_the_adult_and_adolescent_rules() {
    let bp = json!({"systolic": 135, "diastolic": 70});
    let none = json!({});
    let cases: Vec<AgeCase> = vec![
        (
            "hypertension_stage1_adolescent",
            13,
            bp.clone(),
            none.clone(),
            "M",
            vec![],
        ),
        ("bp_high_normal", 18, bp.clone(), none.clone(), "M", vec![]),
        (
            "bp_high_normal",
            15,
            bp.clone(),
            none.clone(),
            "M",
            vec!["bp_adult_min_years=15"],
        ),
        (
            "cholesterol_borderline",
            15,
            json!({"cholesterol": 220}),
            none.clone(),
            "M",
            vec![],
        ),
        (
            "central_obesity",
            15,
            json!({"waist_cm": 81}),
            none.clone(),
            "F",
            vec![],
        ),
        (
            "bmi_underweight",
            19,
            json!({"weight_kg": 40, "lenhei_cm": 160}),
            none.clone(),
            "F",
            vec![],
        ),
        (
            "bmi_underweight",
            18,
            json!({"weight_kg": 40, "lenhei_cm": 160}),
            none.clone(),
            "F",
            vec!["adult_bmi_min_years=18"],
        ),
        (
            "srq20_suicidal",
            15,
            none.clone(),
            json!({"srq20": (0..20).map(|i| i == 16).collect::<Vec<_>>()}),
            "F",
            vec![],
        ),
        (
            "srq20_suicidal",
            19,
            none.clone(),
            json!({"srq20": (0..20).map(|i| i == 16).collect::<Vec<_>>()}),
            "F",
            vec!["srq20_min_years=19"],
        ),
        (
            "puma_high_risk",
            40,
            none.clone(),
            json!({"puma": {"pack_years": 35, "breathless": true, "phlegm": true, "cough": true, "spirometry": false}}),
            "M",
            vec![],
        ),
        (
            "adl_mild_dependency",
            60,
            none.clone(),
            json!({"barthel": 19}),
            "F",
            vec![],
        ),
        (
            "skilas_malnutrition",
            60,
            json!({"muac_cm": 20.5}),
            none.clone(),
            "F",
            vec![],
        ),
        (
            "vision_impairment_suspect",
            15,
            none.clone(),
            json!({"vision_fingers_wrong": 2}),
            "M",
            vec![],
        ),
        (
            "tb_presumptive_adult",
            15,
            none.clone(),
            json!({"tb_symptoms": {"night_sweats": true}}),
            "M",
            vec![],
        ),
        (
            "anemia_mild",
            15,
            json!({"hb": 12.5}),
            none.clone(),
            "M",
            vec![],
        ),
    ];
    for (code, years, m, q, sex, settings) in cases {
        let at = |birth: String| {
            let mut p = measured(sex, &birth, m.clone());
            p["questionnaires"] = q.clone();
            let out = run_with(&p, &settings);
            assert_eq!(out["errors"], json!([]), "{code}");
            has(&out, code)
        };
        assert!(
            at(born_years_ago(years)),
            "{code} on the {years}th birthday"
        );
        assert!(
            !at(turns_tomorrow(years)),
            "{code} the day before turning {years}"
        );
    }
}

#[test]
fn rules_that_switch_at_a_birthday() {
    // Adolescent BP to 17, adult from 18; child TB below 15.
    let bp = json!({"systolic": 135, "diastolic": 70});
    let out = with(&turns_tomorrow(18), "M", bp.clone(), json!({}));
    assert_eq!(codes(&out), ["hypertension_stage1_adolescent"]);
    let out = with(&born_years_ago(18), "M", bp.clone(), json!({}));
    assert_eq!(codes(&out), ["bp_high_normal"]);
    assert!(codes(&with(&turns_tomorrow(13), "M", bp, json!({}))).is_empty());
    let cough = json!({"tb_symptoms": {"cough": true}});
    assert!(codes(&with(&turns_tomorrow(15), "M", json!({}), cough.clone())).is_empty());
    assert_eq!(
        codes(&with(&born_years_ago(15), "M", json!({}), cough)),
        ["tb_presumptive_adult"]
    );
    // Anaemia rows: 11 → 12 years, 14 → 15 years (male).
    let hb = json!({"hb": 11.7});
    assert!(codes(&with(&turns_tomorrow(12), "M", hb.clone(), json!({}))).is_empty());
    assert_eq!(
        codes(&with(&born_years_ago(12), "M", hb, json!({}))),
        ["anemia_mild"]
    );
    let hb = json!({"hb": 12.5});
    assert!(codes(&with(&turns_tomorrow(15), "M", hb.clone(), json!({}))).is_empty());
    assert_eq!(
        codes(&with(&born_years_ago(15), "M", hb, json!({}))),
        ["anemia_mild"]
    );
}

#[test]
fn a_29_february_birthday_is_reached_on_1_march() {
    let bp = json!({"systolic": 135, "diastolic": 70});
    let mut p = measured("M", "2008-02-29", bp);
    p["visit_date"] = json!("2026-02-28");
    assert_eq!(codes(&run(&p)), ["hypertension_stage1_adolescent"]);
    p["visit_date"] = json!("2026-03-01");
    assert_eq!(codes(&run(&p)), ["bp_high_normal"]);
}

#[test]
fn balita_and_school_age_limits_in_days() {
    let glucose = json!({"glucose_random": 250, "hb": 10.5});
    let out = with(&born_days_ago(1826), "F", glucose.clone(), json!({}));
    assert_eq!(codes(&out), ["anemia_mild"], "balita: no glucose rule");
    let out = with(&born_days_ago(1827), "F", glucose, json!({}));
    assert_eq!(codes(&out), ["anemia_moderate", "glucose_random_diabetes"]);
    // Balita anaemia from 6 completed months (day 183).
    let hb = json!({"hb": 10.5});
    assert!(codes(&with(&born_days_ago(182), "F", hb.clone(), json!({}))).is_empty());
    assert_eq!(
        codes(&with(&born_days_ago(183), "F", hb, json!({}))),
        ["anemia_mild"]
    );
    // MUAC SAM from 6 months too.
    let muac = json!({"muac_cm": 11.4});
    assert!(!has(
        &with(&born_days_ago(182), "F", muac.clone(), json!({})),
        "muac_sam"
    ));
    assert!(has(
        &with(&born_days_ago(183), "F", muac, json!({})),
        "muac_sam"
    ));
}

#[test]
fn pregnant_adolescents_are_not_classified_by_imt_u() {
    let birth = born_years_ago(16);
    let h = at_z(Indicator::HeightForAge2007, "F", 192.0, 0.0);
    let w = at_z(Indicator::BmiForAge2007, "F", 192.0, -2.5) * (h / 100.0).powi(2);
    let m = json!({"weight_kg": w, "lenhei_cm": h});
    let out = with(&birth, "F", m.clone(), json!({}));
    assert_eq!(codes(&out), ["bfa_thin"]);
    let mut p = measured("F", &birth, m);
    p["pregnancy"] = json!({"gestational_weeks": 10});
    let out = run(&p);
    assert!(out["zscores"]["zbfa"].is_f64(), "z still output");
    assert!(codes(&out).is_empty());
}

/// A balita weighed today with `history`.
fn kms(birth: &str, weight: f64, history: Value) -> Vec<String> {
    let mut p = measured("M", birth, json!({"weight_kg": weight}));
    p["previous_weighings"] = history;
    codes(&run(&p))
        .into_iter()
        .filter(|c| c.starts_with("kms_"))
        .collect()
}

#[test]
fn kms_uses_the_calendar_month_before_the_visit() {
    let birth = born_days_ago(500); // 16 months: KBM 200 g
    // Last day of May counts; 1 June (the visit's month) does not.
    assert_eq!(
        kms(
            &birth,
            10.2,
            json!([{"date": "2025-05-31", "weight_kg": 10.0}])
        ),
        ["kms_n"]
    );
    assert_eq!(
        kms(
            &birth,
            10.2,
            json!([{"date": "2025-06-01", "weight_kg": 10.0}])
        ),
        ["kms_o"]
    );
    assert_eq!(
        kms(
            &birth,
            10.2,
            json!([{"date": "2025-04-30", "weight_kg": 10.0}])
        ),
        ["kms_o"]
    );
    // Gain exactly KBM is N, one gram less is T.
    assert_eq!(
        kms(
            &birth,
            10.2,
            json!([{"date": "2025-05-15", "weight_kg": 10.0}])
        ),
        ["kms_n"]
    );
    assert_eq!(
        kms(
            &birth,
            10.199,
            json!([{"date": "2025-05-15", "weight_kg": 10.0}])
        ),
        ["kms_t"]
    );
    // The same child at 4 months: KBM 600 g.
    let young = born_days_ago(4 * 31);
    assert_eq!(
        kms(
            &young,
            6.6,
            json!([{"date": "2025-05-15", "weight_kg": 6.0}])
        ),
        ["kms_n"]
    );
    assert_eq!(
        kms(
            &young,
            6.599,
            json!([{"date": "2025-05-15", "weight_kg": 6.0}])
        ),
        ["kms_t"]
    );
    // 2T: May was T against April (KBM by age in May).
    let two = json!([{"date": "2025-05-15", "weight_kg": 10.1}, {"date": "2025-04-15", "weight_kg": 10.0}]);
    assert_eq!(kms(&birth, 10.2, two), ["kms_2t", "kms_t"]);
    let not_two = json!([{"date": "2025-05-15", "weight_kg": 10.2}, {"date": "2025-04-15", "weight_kg": 10.0}]);
    assert_eq!(kms(&birth, 10.2, not_two), ["kms_t"]);
}

#[test]
fn kms_month_three_and_band_settings() {
    // 3 completed months = days 92..=121.
    let birth = born_days_ago(100);
    let hist = json!([{"date": "2025-05-15", "weight_kg": 5.0}]);
    let run_s = |w: f64, s: &[&str]| {
        let mut p = measured("F", &birth, json!({"weight_kg": w}));
        p["previous_weighings"] = hist.clone();
        codes(&run_with(&p, s))
    };
    assert!(run_s(5.7, &[]).contains(&"kms_t".to_owned()));
    assert!(run_s(5.8, &[]).contains(&"kms_n".to_owned()));
    assert!(run_s(5.6, &["kbm_month3_g=600"]).contains(&"kms_n".to_owned()));
    // 11 completed months: 200 g by default, 300 g with the 7–11 band.
    let birth = born_days_ago(340);
    let mut p = measured("F", &birth, json!({"weight_kg": 8.25}));
    p["previous_weighings"] = json!([{"date": "2025-05-15", "weight_kg": 8.0}]);
    assert!(has(&run(&p), "kms_n"));
    assert!(has(&run_with(&p, &["kbm_band_300=7-11"]), "kms_t"));
}

/// The published WAZ of a weighing, in hundredths.
fn waz100(age_days: i64, w: f64) -> i64 {
    (waz_at(Sex::Female, age_days, w).unwrap().z * 100.0).round() as i64
}

/// A weight (3 decimals) whose published WAZ at `age_days` is exactly `target` hundredths.
fn weight_with_waz(age_days: i64, target: i64) -> f64 {
    let start = at_z(
        Indicator::WeightForAge,
        "F",
        age_days as f64,
        target as f64 / 100.0 - 0.02,
    );
    (0..200)
        .map(|g| ((start * 1000.0).round() + f64::from(g)) / 1000.0)
        .find(|w| waz100(age_days, *w) == target)
        .unwrap()
}

fn faltering(age: i64, p_days_ago: i64, z_then: i64, z_now: i64, oedema: bool) -> bool {
    let then = weight_with_waz(age - p_days_ago, z_then);
    let now = weight_with_waz(age, z_now);
    let mut p = measured(
        "F",
        &born_days_ago(age),
        json!({"weight_kg": now, "oedema": oedema}),
    );
    p["previous_weighings"] = json!([{"date": born_days_ago(p_days_ago), "weight_kg": then}]);
    let out = run(&p);
    assert_eq!(out["errors"], json!([]));
    has(&out, "weight_faltering")
}

#[test]
fn weight_faltering_fall_window_and_age() {
    // A fall of 0.68 SD fires, 0.67 does not.
    assert!(faltering(300, 30, 0, -68, false));
    assert!(!faltering(300, 30, 0, -67, false));
    assert!(faltering(300, 30, 50, -18, false));
    assert!(!faltering(300, 30, -100, -100, false));
    // The earlier weighing must be 21–92 days old.
    assert!(!faltering(300, 20, 0, -150, false));
    assert!(faltering(300, 21, 0, -150, false));
    assert!(faltering(300, 92, 0, -150, false));
    assert!(!faltering(300, 93, 0, -150, false));
    // Up to 730 days of age; not with oedema (no WAZ today).
    assert!(faltering(730, 30, 0, -150, false));
    assert!(!faltering(731, 30, 0, -150, false));
    assert!(!faltering(300, 30, 0, -150, true));
}

#[test]
fn weight_faltering_uses_the_latest_weighing_in_the_window() {
    let age = 300;
    let now = weight_with_waz(age, -100);
    let old = weight_with_waz(age - 60, 0); // a fall of 1.00 from here
    let recent = weight_with_waz(age - 30, -80); // a fall of 0.20 from here
    let mut p = measured("F", &born_days_ago(age), json!({"weight_kg": now}));
    p["previous_weighings"] = json!([
        {"date": born_days_ago(30), "weight_kg": recent},
        {"date": born_days_ago(60), "weight_kg": old}
    ]);
    assert!(!has(&run(&p), "weight_faltering"));
    // A weighing 10 days ago is outside the window and does not hide the one 60 days ago.
    p["previous_weighings"] = json!([
        {"date": born_days_ago(10), "weight_kg": now},
        {"date": born_days_ago(60), "weight_kg": old}
    ]);
    assert!(has(&run(&p), "weight_faltering"));
}

/// Weight (to 0.1 g) at 400 days for a girl whose published WAZ is `target` hundredths,
/// optionally requiring the unrounded z to lie below the published one.
fn weight_at_published(target: i64, raw_below: bool) -> f64 {
    let centre = at_z(Indicator::WeightForAge, "F", 400.0, target as f64 / 100.0);
    (-200..200)
        .map(|k| ((centre * 10_000.0).round() + f64::from(k)) / 10_000.0)
        .find(|&w| {
            let z = growth::who2006(&growth::ChildMeasurements {
                sex: Some(growth::Sex::Female),
                age: Some(growth::Age::Days(400.0)),
                weight_kg: Some(w),
                ..Default::default()
            })
            .zwei
            .unwrap();
            (z.z * 100.0).round() as i64 == target && (!raw_below || z.raw < z.z)
        })
        .unwrap()
}

#[test]
fn categories_follow_the_published_two_decimal_z() {
    let birth = born_days_ago(400);
    let table: [(i64, bool, &[&str]); 9] = [
        (-301, false, &["kms_bgm", "wfa_severely_underweight"]),
        (-300, true, &["wfa_underweight"]), // raw z just below −3, shown −3.00
        (-299, false, &["wfa_underweight"]),
        (-201, false, &["wfa_underweight"]),
        (-200, true, &[]),
        (-199, false, &[]),
        (100, false, &[]),
        (101, false, &["wfa_risk_overweight"]),
        (100, true, &[]),
    ];
    for (target, raw_below, want) in table {
        let w = weight_at_published(target, raw_below);
        let out = run(&measured("F", &birth, json!({"weight_kg": w})));
        assert_eq!(
            (out["zscores"]["zwei"].as_f64().unwrap() * 100.0).round() as i64,
            target
        );
        assert_eq!(codes(&out), want, "zwei {target} (weight {w})");
    }
}
