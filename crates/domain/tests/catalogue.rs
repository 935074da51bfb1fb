//! The catalogue in code is the catalogue in `rules.md`: every code there is implemented
//! (with its action and label), every implemented code is there, and every code can actually
//! be produced by `posyandu screen` on a real input line.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::*;
use domain::catalogue::{ALL, Action, by_code};
use domain::immunization::SCHEDULE;
use growth::Indicator;
use serde_json::{Value, json};

/// The contract, vendored so the test runs anywhere; checked against the shared design
/// copy when that is present, so a change there fails here until the vendored copy and the
/// code are updated together.
const RULES_MD: &str = include_str!("data/rules.md");

#[test]
fn vendored_rules_md_is_the_shared_one() {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/design/rules.md"
    );
    match std::fs::read_to_string(shared) {
        Ok(text) => assert_eq!(
            text, RULES_MD,
            "shared/design/rules.md changed: update tests/data"
        ),
        Err(_) => eprintln!("{shared} not present; using the vendored copy"),
    }
}

fn section<'a>(start: &str, end: &str) -> &'a str {
    let from = RULES_MD.find(start).unwrap();
    let to = RULES_MD[from..].find(end).unwrap() + from;
    &RULES_MD[from..to]
}

fn backticked(s: &str) -> Vec<&str> {
    s.split('`').skip(1).step_by(2).collect()
}

fn cells(row: &str) -> Vec<&str> {
    row.trim()
        .trim_matches('|')
        .split('|')
        .map(str::trim)
        .collect()
}

/// (code, action, label) of every finding row of rules.md §1–§8.
fn rules_md_findings() -> Vec<(String, Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for row in section("## 1.", "## 9.").lines() {
        if !row.starts_with("| `") {
            continue;
        }
        let c = cells(row);
        let action_at = c
            .iter()
            .position(|x| matches!(*x, "edukasi" | "pantau" | "rujuk"));
        let action = action_at.map(|i| c[i].to_owned());
        let label = action_at.map(|i| c[i + 1].to_owned());
        if c[0].contains('…') {
            // The SKILAS row names its six codes by suffix.
            let prefix = backticked(c[0])[0].split('_').next().unwrap().to_owned();
            for suffix in backticked(c[2]).iter().filter(|s| s.starts_with('_')) {
                out.push((format!("{prefix}{suffix}"), action.clone(), None));
            }
        } else {
            out.push((backticked(c[0])[0].to_owned(), action, label));
        }
    }
    // §7 names its codes in the table header.
    for line in section("## 7.", "## 8.").lines() {
        if line.starts_with("| group") {
            for code in backticked(line) {
                out.push((code.to_owned(), None, None));
            }
        }
    }
    out
}

#[test]
fn every_catalogue_code_is_implemented_and_every_implemented_code_is_catalogued() {
    let md = rules_md_findings();
    let documented: BTreeSet<&str> = md.iter().map(|(c, _, _)| c.as_str()).collect();
    let implemented: BTreeSet<&str> = ALL.iter().map(|r| r.code).collect();
    assert_eq!(documented.len(), 78);
    assert_eq!(
        documented.difference(&implemented).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "in rules.md, not implemented"
    );
    assert_eq!(
        implemented.difference(&documented).collect::<Vec<_>>(),
        Vec::<&&str>::new(),
        "implemented, not in rules.md"
    );
    for (code, action, label) in &md {
        let rule = by_code(code).unwrap();
        if let Some(a) = action {
            assert_eq!(rule.action.as_str(), a, "action of {code}");
        }
        if let Some(l) = label {
            assert!(
                l.starts_with(rule.label),
                "label of {code}: {l:?} vs {:?}",
                rule.label
            );
        }
    }
    // §7 actions are written in prose.
    assert_eq!(by_code("anemia_mild").unwrap().action, Action::Pantau);
    assert_eq!(by_code("anemia_moderate").unwrap().action, Action::Rujuk);
    assert_eq!(by_code("anemia_severe").unwrap().action, Action::Rujuk);
}

#[test]
fn vaccine_codes_and_settings_match_rules_md() {
    let mut vaccines = Vec::new();
    for row in section("## 9.", "## 10.").lines() {
        if row.starts_with("| `") {
            vaccines.push(backticked(row)[0]);
        }
    }
    let ours: Vec<&str> = SCHEDULE.iter().map(|e| e.code).collect();
    assert_eq!(vaccines, ours);

    let mut keys = Vec::new();
    for row in section("## 10.", "## 11.").lines() {
        if row.starts_with("| `") {
            keys.extend(backticked(cells(row)[0]));
        }
    }
    assert_eq!(keys, domain::settings::KEYS);
}

/// One input line per code that must produce it, with the settings it needs.
fn triggers() -> Vec<(&'static str, Value, Vec<&'static str>)> {
    let f = "F";
    let b400 = born_days_ago(400);
    let len = (at_z(Indicator::LengthHeightForAge, f, 400.0, 0.0) * 10.0).round() / 10.0;
    let w_age = |z: f64| at_z(Indicator::WeightForAge, f, 400.0, z);
    let w_len = |z: f64| at_z(Indicator::WeightForLength, f, len, z);
    let w_bmi = |z: f64| at_z(Indicator::BmiForAge, f, 400.0, z) * (len / 100.0).powi(2);
    let balita = |m: Value| measured(f, &b400, m);
    let weighed = |w: f64, hist: Value| {
        let mut p = balita(json!({"weight_kg": w}));
        p["previous_weighings"] = hist;
        p
    };
    let school_h = at_z(Indicator::HeightForAge2007, f, 120.0, 0.0);
    let school = |z: f64| {
        let w = at_z(Indicator::BmiForAge2007, f, 120.0, z) * (school_h / 100.0).powi(2);
        measured(
            f,
            &born_years_ago(10),
            json!({"weight_kg": w, "lenhei_cm": school_h}),
        )
    };
    let adult = |sex: &str, years: i32, m: Value| measured(sex, &born_years_ago(years), m);
    let bp = |years: i32, s: f64, d: f64| adult("M", years, json!({"systolic": s, "diastolic": d}));
    let bmi = |b: f64| adult("M", 30, json!({"weight_kg": b * 2.56, "lenhei_cm": 160.0}));
    let pregnant = |preg: Value, m: Value| {
        let mut p = adult(f, 25, m);
        p["pregnancy"] = preg;
        p
    };
    let quest = |years: i32, sex: &str, q: Value| {
        let mut p = person(sex, &born_years_ago(years));
        p["questionnaires"] = q;
        p
    };
    let mut srq = vec![false; 20];
    let srq6: Vec<bool> = (0..20).map(|i| i < 6).collect();
    srq[16] = true;
    // Weight faltering: z 0 a month ago, z −1 today (300 days old).
    let b300 = born_days_ago(300);
    let then = at_z(Indicator::WeightForAge, f, 270.0, 0.0);
    let now = at_z(Indicator::WeightForAge, f, 300.0, -1.0);
    let mut faltering = measured(f, &b300, json!({"weight_kg": now}));
    faltering["previous_weighings"] = json!([{"date": born_days_ago(30), "weight_kg": then}]);

    let none = Vec::new;
    vec![
        (
            "wfa_severely_underweight",
            balita(json!({"weight_kg": w_age(-3.5)})),
            none(),
        ),
        (
            "wfa_underweight",
            balita(json!({"weight_kg": w_age(-2.5)})),
            none(),
        ),
        (
            "wfa_risk_overweight",
            balita(json!({"weight_kg": w_age(1.5)})),
            none(),
        ),
        ("kms_bgm", balita(json!({"weight_kg": w_age(-3.5)})), none()),
        (
            "lfa_severely_stunted",
            balita(json!({"lenhei_cm": at_z(Indicator::LengthHeightForAge, f, 400.0, -3.5)})),
            none(),
        ),
        (
            "lfa_stunted",
            balita(json!({"lenhei_cm": at_z(Indicator::LengthHeightForAge, f, 400.0, -2.5)})),
            none(),
        ),
        (
            "lfa_tall",
            balita(json!({"lenhei_cm": at_z(Indicator::LengthHeightForAge, f, 400.0, 3.5)})),
            none(),
        ),
        (
            "wfl_severely_wasted",
            balita(json!({"weight_kg": w_len(-3.5), "lenhei_cm": len, "measure": "l"})),
            none(),
        ),
        (
            "wfl_wasted",
            balita(json!({"weight_kg": w_len(-2.5), "lenhei_cm": len, "measure": "l"})),
            none(),
        ),
        (
            "wfl_risk_overweight",
            balita(json!({"weight_kg": w_len(1.5), "lenhei_cm": len, "measure": "l"})),
            none(),
        ),
        (
            "wfl_overweight",
            balita(json!({"weight_kg": w_len(2.5), "lenhei_cm": len, "measure": "l"})),
            none(),
        ),
        (
            "wfl_obese",
            balita(json!({"weight_kg": w_len(3.5), "lenhei_cm": len, "measure": "l"})),
            none(),
        ),
        (
            "bfa_u5_severely_wasted",
            balita(json!({"weight_kg": w_bmi(-3.5), "lenhei_cm": len})),
            none(),
        ),
        (
            "bfa_u5_wasted",
            balita(json!({"weight_kg": w_bmi(-2.5), "lenhei_cm": len})),
            none(),
        ),
        (
            "bfa_u5_risk_overweight",
            balita(json!({"weight_kg": w_bmi(1.5), "lenhei_cm": len})),
            none(),
        ),
        (
            "bfa_u5_overweight",
            balita(json!({"weight_kg": w_bmi(2.5), "lenhei_cm": len})),
            none(),
        ),
        (
            "bfa_u5_obese",
            balita(json!({"weight_kg": w_bmi(3.5), "lenhei_cm": len})),
            none(),
        ),
        (
            "hc_microcephaly",
            balita(json!({"head_cm": at_z(Indicator::HeadCircumferenceForAge, f, 400.0, -2.5)})),
            none(),
        ),
        (
            "hc_macrocephaly",
            balita(json!({"head_cm": at_z(Indicator::HeadCircumferenceForAge, f, 400.0, 2.5)})),
            none(),
        ),
        ("muac_sam", balita(json!({"muac_cm": 11.0})), none()),
        (
            "nutritional_oedema",
            balita(json!({"oedema": true, "weight_kg": 9.0})),
            none(),
        ),
        ("kms_b", weighed(9.0, json!([])), none()),
        (
            "kms_o",
            weighed(9.0, json!([{"date": "2025-04-10", "weight_kg": 8.8}])),
            none(),
        ),
        (
            "kms_n",
            weighed(9.0, json!([{"date": "2025-05-10", "weight_kg": 8.8}])),
            none(),
        ),
        (
            "kms_t",
            weighed(9.0, json!([{"date": "2025-05-10", "weight_kg": 9.0}])),
            none(),
        ),
        (
            "kms_2t",
            weighed(
                9.0,
                json!([{"date": "2025-05-10", "weight_kg": 9.0}, {"date": "2025-04-10", "weight_kg": 9.0}]),
            ),
            none(),
        ),
        ("weight_faltering", faltering, none()),
        ("bfa_severely_thin", school(-3.5), none()),
        ("bfa_thin", school(-2.5), none()),
        ("bfa_overweight", school(1.5), none()),
        ("bfa_obese", school(2.5), none()),
        ("bp_elevated_adolescent", bp(15, 125.0, 70.0), none()),
        (
            "hypertension_stage1_adolescent",
            bp(15, 135.0, 70.0),
            none(),
        ),
        (
            "hypertension_stage2_adolescent",
            bp(15, 145.0, 70.0),
            none(),
        ),
        ("bp_high_normal", bp(30, 135.0, 80.0), none()),
        ("hypertension_grade1", bp(30, 145.0, 95.0), none()),
        ("hypertension_grade2", bp(30, 165.0, 95.0), none()),
        ("hypertension_grade3", bp(30, 185.0, 95.0), none()),
        (
            "hypertension_isolated_systolic",
            bp(30, 145.0, 85.0),
            none(),
        ),
        (
            "hypertension_maternal",
            pregnant(
                json!({"gestational_weeks": 30}),
                json!({"systolic": 145, "diastolic": 95}),
            ),
            none(),
        ),
        (
            "glucose_random_prediabetes",
            adult("M", 30, json!({"glucose_random": 150})),
            none(),
        ),
        (
            "glucose_random_diabetes",
            adult("M", 30, json!({"glucose_random": 210})),
            none(),
        ),
        (
            "glucose_fasting_prediabetes",
            adult("M", 30, json!({"glucose_fasting": 110})),
            none(),
        ),
        (
            "glucose_fasting_diabetes",
            adult("M", 30, json!({"glucose_fasting": 130})),
            none(),
        ),
        (
            "cholesterol_borderline",
            adult("M", 30, json!({"cholesterol": 220})),
            none(),
        ),
        (
            "cholesterol_high",
            adult("M", 30, json!({"cholesterol": 250})),
            none(),
        ),
        (
            "bmi_underweight_severe",
            bmi(16.0),
            vec!["adult_bmi_scale=depkes"],
        ),
        ("bmi_underweight", bmi(17.5), none()),
        ("bmi_overweight", bmi(24.0), none()),
        ("bmi_obese_1", bmi(27.0), none()),
        ("bmi_obese_2", bmi(32.0), none()),
        ("bmi_obese", bmi(28.0), vec!["adult_bmi_scale=depkes"]),
        (
            "central_obesity",
            adult("M", 30, json!({"waist_cm": 95})),
            none(),
        ),
        (
            "kek",
            pregnant(json!({"gestational_weeks": 30}), json!({"muac_cm": 22})),
            none(),
        ),
        (
            "anemia_pregnancy",
            pregnant(json!({"gestational_weeks": 30}), json!({"hb": 10.0})),
            none(),
        ),
        (
            "kspr_krr",
            pregnant(
                json!({"gestational_weeks": 30, "kspr_factors": []}),
                json!({}),
            ),
            none(),
        ),
        (
            "kspr_krt",
            pregnant(
                json!({"gestational_weeks": 30, "kspr_factors": ["anemia"]}),
                json!({}),
            ),
            none(),
        ),
        (
            "kspr_krst",
            pregnant(
                json!({"gestational_weeks": 30, "kspr_factors": ["breech", "anemia"]}),
                json!({}),
            ),
            none(),
        ),
        (
            "anc_behind_schedule",
            pregnant(json!({"gestational_weeks": 30, "anc_visits": 1}), json!({})),
            none(),
        ),
        ("anemia_mild", adult("M", 30, json!({"hb": 12.0})), none()),
        (
            "anemia_moderate",
            adult("M", 30, json!({"hb": 10.0})),
            none(),
        ),
        ("anemia_severe", adult("M", 30, json!({"hb": 7.0})), none()),
        (
            "srq20_positive",
            quest(30, "F", json!({"srq20": srq6})),
            none(),
        ),
        (
            "srq20_suicidal",
            quest(30, "F", json!({"srq20": srq})),
            none(),
        ),
        (
            "puma_high_risk",
            quest(
                60,
                "M",
                json!({"puma": {"pack_years": 25, "breathless": true, "phlegm": false, "cough": true, "spirometry": false}}),
            ),
            none(),
        ),
        (
            "adl_mild_dependency",
            quest(65, "F", json!({"barthel": 15})),
            none(),
        ),
        (
            "adl_moderate_dependency",
            quest(65, "F", json!({"barthel": 10})),
            none(),
        ),
        (
            "adl_severe_dependency",
            quest(65, "F", json!({"barthel": 6})),
            none(),
        ),
        (
            "adl_total_dependency",
            quest(65, "F", json!({"barthel": 2})),
            none(),
        ),
        (
            "skilas_cognitive",
            quest(65, "F", json!({"skilas": {"cognitive": true}})),
            none(),
        ),
        (
            "skilas_mobility",
            quest(65, "F", json!({"skilas": {"mobility": true}})),
            none(),
        ),
        (
            "skilas_malnutrition",
            quest(65, "F", json!({"skilas": {"malnutrition": true}})),
            none(),
        ),
        (
            "skilas_vision",
            quest(65, "F", json!({"skilas": {"vision": true}})),
            none(),
        ),
        (
            "skilas_hearing",
            quest(65, "F", json!({"skilas": {"hearing": true}})),
            none(),
        ),
        (
            "skilas_depression",
            quest(65, "F", json!({"skilas": {"depression": true}})),
            none(),
        ),
        (
            "tb_presumptive_child",
            quest(10, "M", json!({"tb_symptoms": {"cough_2w": true}})),
            none(),
        ),
        (
            "tb_presumptive_adult",
            quest(30, "M", json!({"tb_symptoms": {"cough": true}})),
            none(),
        ),
        (
            "vision_impairment_suspect",
            quest(30, "M", json!({"vision_fingers_wrong": 2})),
            none(),
        ),
    ]
}

#[test]
fn every_code_is_produced_by_screen_with_its_action() {
    let mut produced = BTreeSet::new();
    for (code, input, settings) in triggers() {
        let out = run_with(&input, &settings);
        assert_eq!(out["errors"], json!([]), "{code}: {out}");
        let finding = out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == code)
            .unwrap_or_else(|| panic!("{code} not produced: {out}"));
        assert_eq!(
            finding["action"],
            by_code(code).unwrap().action.as_str(),
            "{code}"
        );
        produced.insert(code);
    }
    let all: BTreeSet<&str> = ALL.iter().map(|r| r.code).collect();
    assert_eq!(produced, all);
}
