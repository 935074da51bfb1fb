//! Independent contract review of rules.md: every case below was written from the document
//! alone (thresholds just below, at and just above; age and group edges; settings; §11
//! validation) and only then run through the real `screen_line`. Expected values are the
//! document's, never copied from the program's output.
#![allow(clippy::unwrap_used)]

use domain::Settings;
use domain::screen::screen_line;
use growth::{Indicator, Sex, value_at_z};
use serde_json::{Value, json};
use time::{Date, Duration, Month};

const VISIT: &str = "2025-06-15";

fn visit() -> Date {
    Date::from_calendar_date(2025, Month::June, 15).unwrap()
}

/// Birth date making the person `days` old on [`VISIT`].
fn days_old(days: i64) -> String {
    (visit() - Duration::days(days)).to_string()
}

/// Birth date `years` calendar years before [`VISIT`], plus `shift` days (a positive shift
/// makes the person one day short of the birthday).
fn years_old(years: i32, shift: i64) -> String {
    let v = visit();
    (v.replace_year(v.year() - years).unwrap() + Duration::days(shift)).to_string()
}

fn date_minus(days: i64) -> String {
    days_old(days)
}

fn base(sex: &str, birth: &str) -> Value {
    json!({"id": "r", "sex": sex, "birth_date": birth, "visit_date": VISIT})
}

fn with(mut v: Value, key: &str, val: Value) -> Value {
    v[key] = val;
    v
}

fn screen(settings: &[&str], input: &Value) -> Value {
    let mut s = Settings::default();
    for p in settings {
        s.apply(p).unwrap();
    }
    serde_json::from_str(&screen_line(&input.to_string(), &s)).unwrap()
}

fn codes(out: &Value) -> Vec<String> {
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

fn error_fields(out: &Value) -> Vec<String> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

/// Action of every code, copied from the tables of rules.md §1–§8.
const DOC_ACTIONS: &[(&str, &str)] = &[
    ("wfa_severely_underweight", "rujuk"),
    ("wfa_underweight", "rujuk"),
    ("wfa_risk_overweight", "pantau"),
    ("lfa_severely_stunted", "rujuk"),
    ("lfa_stunted", "rujuk"),
    ("lfa_tall", "pantau"),
    ("wfl_severely_wasted", "rujuk"),
    ("wfl_wasted", "rujuk"),
    ("wfl_risk_overweight", "edukasi"),
    ("wfl_overweight", "rujuk"),
    ("wfl_obese", "rujuk"),
    ("bfa_u5_severely_wasted", "rujuk"),
    ("bfa_u5_wasted", "rujuk"),
    ("bfa_u5_risk_overweight", "edukasi"),
    ("bfa_u5_overweight", "rujuk"),
    ("bfa_u5_obese", "rujuk"),
    ("hc_microcephaly", "rujuk"),
    ("hc_macrocephaly", "rujuk"),
    ("muac_sam", "rujuk"),
    ("nutritional_oedema", "rujuk"),
    ("kms_b", "edukasi"),
    ("kms_o", "edukasi"),
    ("kms_n", "edukasi"),
    ("kms_t", "rujuk"),
    ("kms_2t", "rujuk"),
    ("kms_bgm", "rujuk"),
    ("weight_faltering", "rujuk"),
    ("bfa_severely_thin", "rujuk"),
    ("bfa_thin", "rujuk"),
    ("bfa_overweight", "edukasi"),
    ("bfa_obese", "rujuk"),
    ("bp_elevated_adolescent", "pantau"),
    ("hypertension_stage1_adolescent", "pantau"),
    ("hypertension_stage2_adolescent", "rujuk"),
    ("bp_high_normal", "pantau"),
    ("hypertension_grade1", "rujuk"),
    ("hypertension_grade2", "rujuk"),
    ("hypertension_grade3", "rujuk"),
    ("hypertension_isolated_systolic", "rujuk"),
    ("hypertension_maternal", "rujuk"),
    ("glucose_random_prediabetes", "pantau"),
    ("glucose_random_diabetes", "rujuk"),
    ("glucose_fasting_prediabetes", "pantau"),
    ("glucose_fasting_diabetes", "rujuk"),
    ("cholesterol_borderline", "pantau"),
    ("cholesterol_high", "rujuk"),
    ("bmi_underweight_severe", "rujuk"),
    ("bmi_underweight", "edukasi"),
    ("bmi_overweight", "edukasi"),
    ("bmi_obese_1", "pantau"),
    ("bmi_obese_2", "pantau"),
    ("bmi_obese", "pantau"),
    ("central_obesity", "pantau"),
    ("kek", "rujuk"),
    ("anemia_pregnancy", "rujuk"),
    ("kspr_krr", "edukasi"),
    ("kspr_krt", "rujuk"),
    ("kspr_krst", "rujuk"),
    ("anc_behind_schedule", "rujuk"),
    ("anemia_mild", "pantau"),
    ("anemia_moderate", "rujuk"),
    ("anemia_severe", "rujuk"),
    ("srq20_positive", "rujuk"),
    ("srq20_suicidal", "rujuk"),
    ("puma_high_risk", "rujuk"),
    ("adl_mild_dependency", "rujuk"),
    ("adl_moderate_dependency", "rujuk"),
    ("adl_severe_dependency", "rujuk"),
    ("adl_total_dependency", "rujuk"),
    ("skilas_cognitive", "rujuk"),
    ("skilas_mobility", "rujuk"),
    ("skilas_malnutrition", "rujuk"),
    ("skilas_vision", "rujuk"),
    ("skilas_hearing", "rujuk"),
    ("skilas_depression", "rujuk"),
    ("tb_presumptive_child", "rujuk"),
    ("tb_presumptive_adult", "rujuk"),
    ("vision_impairment_suspect", "rujuk"),
];

/// What a case expects: either the exact sorted finding list, or codes that must and must
/// not appear (when other rules fire on the same measurement).
enum Want {
    Exact(&'static [&'static str]),
    Has(&'static [&'static str], &'static [&'static str]),
}

struct Case {
    name: String,
    settings: &'static [&'static str],
    input: Value,
    want: Want,
    errors: &'static [&'static str],
    z: Vec<(&'static str, Option<f64>)>,
}

fn case(name: impl Into<String>, input: Value, want: &'static [&'static str]) -> Case {
    Case {
        name: name.into(),
        settings: &[],
        input,
        want: Want::Exact(want),
        errors: &[],
        z: Vec::new(),
    }
}

impl Case {
    fn set(mut self, settings: &'static [&'static str]) -> Case {
        self.settings = settings;
        self
    }
    fn errs(mut self, errors: &'static [&'static str]) -> Case {
        self.errors = errors;
        self
    }
    /// The published z the document expects (`None` = key absent).
    fn z(mut self, key: &'static str, z: Option<f64>) -> Case {
        self.z.push((key, z));
        self
    }
    fn has(mut self, has: &'static [&'static str], lacks: &'static [&'static str]) -> Case {
        self.want = Want::Has(has, lacks);
        self
    }
}

/// Runs every case and reports all disagreements at once.
fn check(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for c in &cases {
        let out = screen(c.settings, &c.input);
        let got = codes(&out);
        match &c.want {
            Want::Exact(want) => {
                if got != *want {
                    failures.push(format!(
                        "{}: findings {got:?}, document says {want:?}",
                        c.name
                    ));
                }
            }
            Want::Has(has, lacks) => {
                for h in *has {
                    if !got.iter().any(|g| g == h) {
                        failures.push(format!("{}: {h} missing from {got:?}", c.name));
                    }
                }
                for l in *lacks {
                    if got.iter().any(|g| g == l) {
                        failures.push(format!("{}: {l} present in {got:?}", c.name));
                    }
                }
            }
        }
        for f in out["findings"].as_array().unwrap() {
            let code = f["code"].as_str().unwrap();
            let want = DOC_ACTIONS
                .iter()
                .find(|(c2, _)| *c2 == code)
                .map(|(_, a)| *a);
            if f["action"].as_str() != want {
                failures.push(format!(
                    "{}: {code} action {}, document {want:?}",
                    c.name, f["action"]
                ));
            }
            if f.as_object().unwrap().len() != 2 {
                failures.push(format!("{}: finding {f} is not {{code, action}}", c.name));
            }
        }
        for (key, want) in &c.z {
            let got = out["zscores"].get(*key).map(|v| v.as_f64().unwrap());
            if got != *want {
                failures.push(format!("{}: {key} = {got:?}, expected {want:?}", c.name));
            }
        }
        // A deeper error path than the one the document names is allowed (§11.3).
        // The order of errors is not part of the contract: compare sorted.
        let mut errs = error_fields(&out);
        errs.sort();
        let mut wanted = c.errors.to_vec();
        wanted.sort();
        let same = errs.len() == wanted.len()
            && errs.iter().zip(&wanted).all(|(g, w)| {
                g == w || g.starts_with(&format!("{w}.")) || g.starts_with(&format!("{w}["))
            });
        if !same {
            failures.push(format!(
                "{}: errors {errs:?} ({}), document says {:?}",
                c.name, out["errors"], c.errors
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

fn measured(sex: &str, birth: &str, m: Value) -> Value {
    with(base(sex, birth), "measurements", m)
}

fn bp(years: i32, s: f64, d: f64) -> Value {
    measured(
        "M",
        &years_old(years, 0),
        json!({"systolic": s, "diastolic": d}),
    )
}

#[test]
fn blood_pressure_adolescent_and_adult_bands() {
    check(vec![
        // §4 adolescent 13–17 y.
        case("13y 119/79", bp(13, 119.0, 79.0), &[]),
        case(
            "13y 120/79",
            bp(13, 120.0, 79.0),
            &["bp_elevated_adolescent"],
        ),
        case(
            "17y 129/79",
            bp(17, 129.0, 79.0),
            &["bp_elevated_adolescent"],
        ),
        case(
            "17y 120/80",
            bp(17, 120.0, 80.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 130/70",
            bp(15, 130.0, 70.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 139/89",
            bp(15, 139.0, 89.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 140/70",
            bp(15, 140.0, 70.0),
            &["hypertension_stage2_adolescent"],
        ),
        case(
            "15y 100/90",
            bp(15, 100.0, 90.0),
            &["hypertension_stage2_adolescent"],
        ),
        case("15y 119.9/79.9", bp(15, 119.9, 79.9), &[]),
        // No BP rule under 13 y: 12 y, and one day short of 13.
        case("12y 150/95", bp(12, 150.0, 95.0), &[]),
        case(
            "13y minus a day 150/95",
            measured(
                "M",
                &years_old(13, 1),
                json!({"systolic": 150, "diastolic": 95}),
            ),
            &[],
        ),
        // Adult ≥ 18 y.
        case("18y 129/84", bp(18, 129.0, 84.0), &[]),
        case("18y 130/84", bp(18, 130.0, 84.0), &["bp_high_normal"]),
        case("18y 120/85", bp(18, 120.0, 85.0), &["bp_high_normal"]),
        case("40y 139/89", bp(40, 139.0, 89.0), &["bp_high_normal"]),
        case(
            "40y 140/89",
            bp(40, 140.0, 89.0),
            &["hypertension_grade1", "hypertension_isolated_systolic"],
        ),
        case("40y 120/90", bp(40, 120.0, 90.0), &["hypertension_grade1"]),
        case("40y 159/99", bp(40, 159.0, 99.0), &["hypertension_grade1"]),
        case(
            "40y 160/80",
            bp(40, 160.0, 80.0),
            &["hypertension_grade2", "hypertension_isolated_systolic"],
        ),
        case(
            "40y 150/100",
            bp(40, 150.0, 100.0),
            &["hypertension_grade2"],
        ),
        case(
            "40y 179/109",
            bp(40, 179.0, 109.0),
            &["hypertension_grade2"],
        ),
        case(
            "40y 180/80",
            bp(40, 180.0, 80.0),
            &["hypertension_grade3", "hypertension_isolated_systolic"],
        ),
        case(
            "40y 150/110",
            bp(40, 150.0, 110.0),
            &["hypertension_grade3"],
        ),
        case("40y 180/90", bp(40, 180.0, 90.0), &["hypertension_grade3"]),
        // 18 y minus a day is still an adolescent.
        case(
            "18y minus a day 130/84",
            measured(
                "M",
                &years_old(18, 1),
                json!({"systolic": 130, "diastolic": 84}),
            ),
            &["hypertension_stage1_adolescent"],
        ),
        // Setting bp_adult_min_years = 15.
        case(
            "15y 130/84 adult setting",
            bp(15, 130.0, 84.0),
            &["bp_high_normal"],
        )
        .set(&["bp_adult_min_years=15"]),
        case(
            "14y 130/84 adult setting",
            bp(14, 130.0, 84.0),
            &["hypertension_stage1_adolescent"],
        )
        .set(&["bp_adult_min_years=15"]),
        // 29 Feb birthday reached on 1 Mar in a common year.
        case(
            "born 2012-02-29 seen 2025-02-28 (12 y)",
            json!({"id": "r", "sex": "F", "birth_date": "2012-02-29", "visit_date": "2025-02-28",
                   "measurements": {"systolic": 125, "diastolic": 70}}),
            &[],
        ),
        case(
            "born 2012-02-29 seen 2025-03-01 (13 y)",
            json!({"id": "r", "sex": "F", "birth_date": "2012-02-29", "visit_date": "2025-03-01",
                   "measurements": {"systolic": 125, "diastolic": 70}}),
            &["bp_elevated_adolescent"],
        ),
        // Only one of S/D given: the other's category is simply absent.
        // Only one of S/D given: BP is read as a pair (rules.md §4 compares S and D, and §11.3
        // ignores both when they disagree), so a lone value is not evaluated.
        case(
            "40y S only 145",
            measured("M", &years_old(40, 0), json!({"systolic": 145})),
            &[],
        ),
        case(
            "40y D only 95",
            measured("M", &years_old(40, 0), json!({"diastolic": 95})),
            &[],
        ),
    ]);
}

fn pregnant(years: i32, gw: Value, m: Value) -> Value {
    let mut v = measured("F", &years_old(years, 0), m);
    v["pregnancy"] = json!({"gestational_weeks": gw});
    v
}

#[test]
fn maternal_hypertension_kek_anaemia() {
    check(vec![
        case(
            "hamil 140/80",
            pregnant(25, json!(20), json!({"systolic": 140, "diastolic": 80})),
            &[
                "hypertension_grade1",
                "hypertension_isolated_systolic",
                "hypertension_maternal",
            ],
        ),
        case(
            "hamil 139/89",
            pregnant(25, json!(20), json!({"systolic": 139, "diastolic": 89})),
            &["bp_high_normal"],
        ),
        case(
            "hamil 16y 120/90",
            pregnant(16, json!(20), json!({"systolic": 120, "diastolic": 90})),
            &["hypertension_maternal", "hypertension_stage2_adolescent"],
        ),
        case(
            "nifas day 42 140/90",
            with(
                measured(
                    "F",
                    &years_old(30, 0),
                    json!({"systolic": 140, "diastolic": 90}),
                ),
                "postpartum_days",
                json!(42),
            ),
            &["hypertension_grade1", "hypertension_maternal"],
        ),
        case(
            "postpartum day 43 not nifas",
            with(
                measured(
                    "F",
                    &years_old(30, 0),
                    json!({"systolic": 140, "diastolic": 90}),
                ),
                "postpartum_days",
                json!(43),
            ),
            &["hypertension_grade1"],
        ),
        case(
            "nifas day 0 kek",
            with(
                measured("F", &years_old(30, 0), json!({"muac_cm": 23.4})),
                "postpartum_days",
                json!(0),
            ),
            &["kek"],
        ),
        case(
            "hamil muac 23.5",
            pregnant(25, json!(20), json!({"muac_cm": 23.5})),
            &[],
        ),
        case(
            "hamil muac 23.49",
            pregnant(25, json!(20), json!({"muac_cm": 23.49})),
            &["kek"],
        ),
        case(
            "not pregnant muac 22",
            measured("F", &years_old(25, 0), json!({"muac_cm": 22})),
            &[],
        ),
        // Hb by trimester (§6).
        case(
            "gw 12 Hb 10.9",
            pregnant(25, json!(12), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 12 Hb 11.0",
            pregnant(25, json!(12), json!({"hb": 11.0})),
            &[],
        ),
        case(
            "gw 13 Hb 10.9",
            pregnant(25, json!(13), json!({"hb": 10.9})),
            &[],
        ),
        case(
            "gw 13 Hb 10.5",
            pregnant(25, json!(13), json!({"hb": 10.5})),
            &[],
        ),
        case(
            "gw 13 Hb 10.49",
            pregnant(25, json!(13), json!({"hb": 10.49})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 24 Hb 10.5",
            pregnant(25, json!(24), json!({"hb": 10.5})),
            &[],
        ),
        case(
            "gw 25 Hb 10.9",
            pregnant(25, json!(25), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 12.5 Hb 10.6",
            pregnant(25, json!(12.5), json!({"hb": 10.6})),
            &[],
        ),
        case(
            "gw 24.5 Hb 10.6",
            pregnant(25, json!(24.5), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 20 Hb 10.9 WHO setting",
            pregnant(25, json!(20), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .set(&["hb_pregnancy_tm2=11.0"]),
        case(
            "gw 20 Hb 6 only anemia_pregnancy",
            pregnant(25, json!(20), json!({"hb": 6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw absent Hb 10.9",
            pregnant(25, Value::Null, json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 0 invalid Hb 10.9",
            pregnant(25, json!(0), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 46 invalid Hb 10.6",
            pregnant(25, json!(46), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 45 valid Hb 10.6",
            pregnant(25, json!(45), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 1 valid Hb 11",
            pregnant(25, json!(1), json!({"hb": 11})),
            &[],
        ),
        // Pregnancy refused: male, under 10 y, not an object.
        case(
            "pregnancy for a man",
            with(
                bp(30, 110.0, 70.0),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy at 9 y",
            with(
                base("F", &years_old(10, 1)),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy at 10 y",
            with(
                base("F", &years_old(10, 0)),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        ),
        case(
            "pregnancy not an object",
            with(base("F", &years_old(20, 0)), "pregnancy", json!(true)),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy null = absent",
            with(base("F", &years_old(20, 0)), "pregnancy", Value::Null),
            &[],
        ),
        case(
            "pregnancy unknown key",
            with(
                base("F", &years_old(20, 0)),
                "pregnancy",
                json!({"gestational_weeks": 20, "gravida": 2}),
            ),
            &[],
        )
        .has(&[], &[])
        .errs(&["pregnancy.gravida"]),
        case(
            "postpartum with pregnancy",
            with(
                pregnant(25, json!(20), json!({})),
                "postpartum_days",
                json!(3),
            ),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum for a man",
            with(base("M", &years_old(25, 0)), "postpartum_days", json!(3)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum 2.5",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(2.5)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum -1",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(-1)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum 3.0 is an integer",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(3.0)),
            &[],
        ),
        // Pregnant women get no adult BMI and no waist rule (§5).
        case(
            "pregnant no BMI/waist",
            pregnant(
                25,
                json!(20),
                json!({"weight_kg": 120, "lenhei_cm": 160, "waist_cm": 100}),
            ),
            &[],
        ),
    ]);
}

fn kspr(factors: Value, gw: f64, anc: Value) -> Value {
    with(
        base("F", &years_old(25, 0)),
        "pregnancy",
        json!({"gestational_weeks": gw, "kspr_factors": factors, "anc_visits": anc}),
    )
}

#[test]
fn kspr_and_anc() {
    check(vec![
        case(
            "no factors = 2",
            kspr(json!([]), 10.0, Value::Null),
            &["kspr_krr"],
        ),
        case(
            "one 4-pt = 6",
            kspr(json!(["anemia"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "repeated factor counted once",
            kspr(json!(["anemia", "anemia"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "two 4-pt = 10",
            kspr(json!(["anemia", "malaria"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "one 8-pt = 10",
            kspr(json!(["breech"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "three 4-pt = 14",
            kspr(
                json!(["primi_young", "short_stature", "post_term"]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        case(
            "8 + 4 = 14",
            kspr(json!(["prior_caesarean", "age_35_plus"]), 10.0, Value::Null),
            &["kspr_krst"],
        ),
        case(
            "unknown factor",
            kspr(json!(["anemia", "twins"]), 10.0, Value::Null),
            &[],
        )
        .errs(&["pregnancy.kspr_factors[1]"]),
        case("kspr absent", kspr(Value::Null, 10.0, Value::Null), &[]),
        // Every factor code of §6 is known.
        case(
            "all 4-pt codes",
            kspr(
                json!([
                    "primi_young",
                    "primi_late_marriage",
                    "primi_old",
                    "short_interval",
                    "long_interval",
                    "grand_multipara",
                    "age_35_plus",
                    "short_stature",
                    "prior_pregnancy_loss",
                    "prior_vacuum_forceps",
                    "prior_manual_placenta",
                    "prior_infusion_transfusion",
                    "anemia",
                    "malaria",
                    "tuberculosis",
                    "heart_failure",
                    "diabetes",
                    "sexually_transmitted_infection",
                    "oedema_hypertension",
                    "multiple_pregnancy",
                    "hydramnios",
                    "intrauterine_death",
                    "post_term"
                ]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        case(
            "all 8-pt codes",
            kspr(
                json!([
                    "prior_caesarean",
                    "breech",
                    "transverse_lie",
                    "antepartum_haemorrhage",
                    "severe_preeclampsia"
                ]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        // ANC (§6): only trimester ends are checked.
        case("gw 12 anc 0", kspr(Value::Null, 12.0, json!(0)), &[]),
        case(
            "gw 13 anc 0",
            kspr(Value::Null, 13.0, json!(0)),
            &["anc_behind_schedule"],
        ),
        case(
            "gw 12.5 anc 0",
            kspr(Value::Null, 12.5, json!(0)),
            &["anc_behind_schedule"],
        ),
        case("gw 13 anc 1", kspr(Value::Null, 13.0, json!(1)), &[]),
        case("gw 24 anc 1", kspr(Value::Null, 24.0, json!(1)), &[]),
        case(
            "gw 25 anc 2",
            kspr(Value::Null, 25.0, json!(2)),
            &["anc_behind_schedule"],
        ),
        case("gw 25 anc 3", kspr(Value::Null, 25.0, json!(3)), &[]),
        case("anc 2.5", kspr(Value::Null, 25.0, json!(2.5)), &[]).errs(&["pregnancy.anc_visits"]),
        case("anc 21", kspr(Value::Null, 25.0, json!(21)), &[]).errs(&["pregnancy.anc_visits"]),
        case("anc 20", kspr(Value::Null, 25.0, json!(20)), &[]),
        case("anc -1", kspr(Value::Null, 25.0, json!(-1)), &[]).errs(&["pregnancy.anc_visits"]),
    ]);
}

fn chem(years: i32, m: Value) -> Value {
    measured("F", &years_old(years, 0), m)
}

#[test]
fn glucose_and_cholesterol() {
    check(vec![
        case("GDS 139", chem(30, json!({"glucose_random": 139})), &[]),
        case(
            "GDS 140",
            chem(30, json!({"glucose_random": 140})),
            &["glucose_random_prediabetes"],
        ),
        case(
            "GDS 199.9",
            chem(30, json!({"glucose_random": 199.9})),
            &["glucose_random_prediabetes"],
        ),
        case(
            "GDS 200",
            chem(30, json!({"glucose_random": 200})),
            &["glucose_random_diabetes"],
        ),
        case("GDP 99.9", chem(30, json!({"glucose_fasting": 99.9})), &[]),
        case(
            "GDP 100",
            chem(30, json!({"glucose_fasting": 100})),
            &["glucose_fasting_prediabetes"],
        ),
        case(
            "GDP 125.9",
            chem(30, json!({"glucose_fasting": 125.9})),
            &["glucose_fasting_prediabetes"],
        ),
        case(
            "GDP 126",
            chem(30, json!({"glucose_fasting": 126})),
            &["glucose_fasting_diabetes"],
        ),
        case(
            "both",
            chem(30, json!({"glucose_fasting": 126, "glucose_random": 150})),
            &["glucose_fasting_diabetes", "glucose_random_prediabetes"],
        ),
        // Not balita: day 1826 is balita, 1827 is not.
        case(
            "GDS 250 at day 1826",
            measured("F", &days_old(1826), json!({"glucose_random": 250})),
            &[],
        ),
        case(
            "GDS 250 at day 1827",
            measured("F", &days_old(1827), json!({"glucose_random": 250})),
            &["glucose_random_diabetes"],
        ),
        case("TC 199.9", chem(30, json!({"cholesterol": 199.9})), &[]),
        case(
            "TC 200",
            chem(30, json!({"cholesterol": 200})),
            &["cholesterol_borderline"],
        ),
        case(
            "TC 239.9",
            chem(30, json!({"cholesterol": 239.9})),
            &["cholesterol_borderline"],
        ),
        case(
            "TC 240",
            chem(30, json!({"cholesterol": 240})),
            &["cholesterol_high"],
        ),
        case("TC 300 at 14 y", chem(14, json!({"cholesterol": 300})), &[]),
        case(
            "TC 300 at 15 y",
            chem(15, json!({"cholesterol": 300})),
            &["cholesterol_high"],
        ),
        case(
            "TC 1000 max",
            chem(30, json!({"cholesterol": 1000})),
            &["cholesterol_high"],
        ),
        case(
            "TC 1000.5 > max",
            chem(30, json!({"cholesterol": 1000.5})),
            &[],
        )
        .errs(&["measurements.cholesterol"]),
    ]);
}

fn body(years: i32, sex: &str, w: f64, h: f64) -> Value {
    measured(
        sex,
        &years_old(years, 0),
        json!({"weight_kg": w, "lenhei_cm": h}),
    )
}

#[test]
fn adult_bmi_both_scales_and_waist() {
    const DEPKES: &[&str] = &["adult_bmi_scale=depkes"];
    check(vec![
        // Asia-Pacific (default). h = 200 cm: BMI = w / 4 exactly.
        case("BMI 18.5", body(30, "M", 74.0, 200.0), &[]),
        case(
            "BMI 18.4975",
            body(30, "M", 73.99, 200.0),
            &["bmi_underweight"],
        ),
        case("BMI 16", body(30, "M", 64.0, 200.0), &["bmi_underweight"]),
        case("BMI 22.9975", body(30, "M", 91.99, 200.0), &[]),
        case("BMI 23.0", body(30, "M", 92.0, 200.0), &["bmi_overweight"]),
        case(
            "BMI 24.9975",
            body(30, "M", 99.99, 200.0),
            &["bmi_overweight"],
        ),
        case("BMI 25.0", body(30, "M", 100.0, 200.0), &["bmi_obese_1"]),
        case(
            "BMI 29.9975",
            body(30, "M", 119.99, 200.0),
            &["bmi_obese_1"],
        ),
        case("BMI 30.0", body(30, "M", 120.0, 200.0), &["bmi_obese_2"]),
        // Decimal cut-offs reached exactly by decimal inputs (18.5·2.56 = 47.36; 23·2.89 = 66.47).
        case("BMI 18.5 at 160 cm", body(30, "F", 47.36, 160.0), &[]),
        case(
            "BMI 23 at 170 cm",
            body(30, "F", 66.47, 170.0),
            &["bmi_overweight"],
        ),
        case(
            "BMI 25 at 170 cm",
            body(30, "F", 72.25, 170.0),
            &["bmi_obese_1"],
        ),
        // Ages: 19 y default; 18 y with the setting.
        case("BMI 30 at 18 y", body(18, "M", 120.0, 200.0), &[]).has(&[], &["bmi_obese_2"]),
        case(
            "BMI 30 at 19 y minus a day",
            measured(
                "M",
                &years_old(19, 1),
                json!({"weight_kg": 120, "lenhei_cm": 200}),
            ),
            &[],
        )
        .has(&[], &["bmi_obese_2"]),
        case(
            "BMI 30 at 18 y setting 18",
            body(18, "M", 120.0, 200.0),
            &[],
        )
        .has(&["bmi_obese_2"], &[])
        .set(&["adult_bmi_min_years=18"]),
        // Depkes.
        case(
            "depkes 16.9975",
            body(30, "M", 67.99, 200.0),
            &["bmi_underweight_severe"],
        )
        .set(DEPKES),
        case(
            "depkes 17.0",
            body(30, "M", 68.0, 200.0),
            &["bmi_underweight"],
        )
        .set(DEPKES),
        case(
            "depkes 18.4975",
            body(30, "M", 73.99, 200.0),
            &["bmi_underweight"],
        )
        .set(DEPKES),
        case("depkes 18.5", body(30, "M", 74.0, 200.0), &[]).set(DEPKES),
        case("depkes 24", body(30, "M", 96.0, 200.0), &[]).set(DEPKES),
        case("depkes 25.0", body(30, "M", 100.0, 200.0), &[]).set(DEPKES),
        case(
            "depkes 25.0025",
            body(30, "M", 100.01, 200.0),
            &["bmi_overweight"],
        )
        .set(DEPKES),
        case(
            "depkes 27.0",
            body(30, "M", 108.0, 200.0),
            &["bmi_overweight"],
        )
        .set(DEPKES),
        case(
            "depkes 27.0025",
            body(30, "M", 108.01, 200.0),
            &["bmi_obese"],
        )
        .set(DEPKES),
        case("depkes 35", body(30, "M", 140.0, 200.0), &["bmi_obese"]).set(DEPKES),
        // Waist (≥ 15 y, needs sex).
        case(
            "M waist 90",
            measured("M", &years_old(30, 0), json!({"waist_cm": 90})),
            &[],
        ),
        case(
            "M waist 90.1",
            measured("M", &years_old(30, 0), json!({"waist_cm": 90.1})),
            &["central_obesity"],
        ),
        case(
            "F waist 80",
            measured("F", &years_old(30, 0), json!({"waist_cm": 80})),
            &[],
        ),
        case(
            "F waist 80.1",
            measured("F", &years_old(30, 0), json!({"waist_cm": 80.1})),
            &["central_obesity"],
        ),
        case(
            "F waist 85 at 15 y",
            measured("F", &years_old(15, 0), json!({"waist_cm": 85})),
            &["central_obesity"],
        ),
        case(
            "F waist 85 at 15 y minus a day",
            measured("F", &years_old(15, 1), json!({"waist_cm": 85})),
            &[],
        ),
        case(
            "sex unknown waist 120",
            measured("X", &years_old(30, 0), json!({"waist_cm": 120})),
            &[],
        )
        .errs(&["sex"]),
    ]);
}

fn hb(birth: &str, sex: &str, hb: f64) -> Value {
    measured(sex, birth, json!({"hb": hb}))
}

#[test]
fn anaemia_by_age_and_sex() {
    // 2020-03-01 → 2025-03-01 is 1826 days (balita, 5 y); 2019-03-01 → 2024-03-01 is 1827.
    let balita_5y = json!({"id": "r", "sex": "M", "birth_date": "2020-03-01", "visit_date": "2025-03-01",
                           "measurements": {"hb": 11.2}});
    let anak_1827 = json!({"id": "r", "sex": "M", "birth_date": "2019-03-01", "visit_date": "2024-03-01",
                           "measurements": {"hb": 11.2}});
    check(vec![
        // Under 6 completed months: no rule. Day 182 = 5.98 mo, day 183 = 6.01 mo.
        case("182 d Hb 6", hb(&days_old(182), "F", 6.0), &[]),
        case(
            "183 d Hb 10.9",
            hb(&days_old(183), "F", 10.9),
            &["anemia_mild"],
        ),
        case("balita Hb 11.0", hb(&days_old(400), "F", 11.0), &[]),
        case(
            "balita Hb 10.0",
            hb(&days_old(400), "F", 10.0),
            &["anemia_mild"],
        ),
        case(
            "balita Hb 9.99",
            hb(&days_old(400), "F", 9.99),
            &["anemia_moderate"],
        ),
        case(
            "balita Hb 7.0",
            hb(&days_old(400), "F", 7.0),
            &["anemia_moderate"],
        ),
        case(
            "balita Hb 6.99",
            hb(&days_old(400), "F", 6.99),
            &["anemia_severe"],
        ),
        case("balita day 1826 aged 5 y Hb 11.2", balita_5y, &[]),
        case("anak day 1827 Hb 11.2", anak_1827, &["anemia_mild"]),
        case("anak 8 y Hb 11.5", hb(&years_old(8, 0), "F", 11.5), &[]),
        case(
            "anak 8 y Hb 11.49",
            hb(&years_old(8, 0), "F", 11.49),
            &["anemia_mild"],
        ),
        case(
            "anak 8 y Hb 11.0",
            hb(&years_old(8, 0), "F", 11.0),
            &["anemia_mild"],
        ),
        case(
            "anak 8 y Hb 10.99",
            hb(&years_old(8, 0), "F", 10.99),
            &["anemia_moderate"],
        ),
        case(
            "anak 8 y Hb 8.0",
            hb(&years_old(8, 0), "F", 8.0),
            &["anemia_moderate"],
        ),
        case(
            "anak 8 y Hb 7.99",
            hb(&years_old(8, 0), "F", 7.99),
            &["anemia_severe"],
        ),
        case("11 y Hb 11.9", hb(&years_old(11, 0), "M", 11.9), &[]),
        case(
            "12 y Hb 11.9",
            hb(&years_old(12, 0), "M", 11.9),
            &["anemia_mild"],
        ),
        case(
            "12 y minus a day Hb 11.9",
            hb(&years_old(12, 1), "M", 11.9),
            &[],
        ),
        case("14 y M Hb 12.5", hb(&years_old(14, 0), "M", 12.5), &[]),
        case("14 y M Hb 12.0", hb(&years_old(14, 0), "M", 12.0), &[]),
        case(
            "15 y M Hb 12.5",
            hb(&years_old(15, 0), "M", 12.5),
            &["anemia_mild"],
        ),
        case("15 y F Hb 12.5", hb(&years_old(15, 0), "F", 12.5), &[]),
        case(
            "15 y F Hb 11.99",
            hb(&years_old(15, 0), "F", 11.99),
            &["anemia_mild"],
        ),
        case("40 y M Hb 13.0", hb(&years_old(40, 0), "M", 13.0), &[]),
        case(
            "40 y M Hb 12.99",
            hb(&years_old(40, 0), "M", 12.99),
            &["anemia_mild"],
        ),
        case(
            "40 y M Hb 10.99",
            hb(&years_old(40, 0), "M", 10.99),
            &["anemia_moderate"],
        ),
        case(
            "40 y M Hb 7.99",
            hb(&years_old(40, 0), "M", 7.99),
            &["anemia_severe"],
        ),
        case(
            "nifas Hb 11.9",
            with(
                hb(&years_old(30, 0), "F", 11.9),
                "postpartum_days",
                json!(10),
            ),
            &["anemia_mild"],
        ),
        case(
            "sex unknown ≥ 15 y Hb 9",
            hb(&years_old(40, 0), "", 9.0),
            &[],
        )
        .errs(&["sex"]),
        case(
            "sex unknown 13 y Hb 9",
            hb(&years_old(13, 0), "", 9.0),
            &["anemia_moderate"],
        )
        .errs(&["sex"]),
        case("Hb 25 max", hb(&years_old(40, 0), "M", 25.0), &[]),
        case("Hb 25.1", hb(&years_old(40, 0), "M", 25.1), &[]).errs(&["measurements.hb"]),
        case("Hb 0", hb(&years_old(40, 0), "M", 0.0), &[]).errs(&["measurements.hb"]),
    ]);
}

fn q(years: i32, sex: &str, questionnaires: Value) -> Value {
    with(
        base(sex, &years_old(years, 0)),
        "questionnaires",
        questionnaires,
    )
}

fn srq(trues: &[usize]) -> Value {
    let mut a = vec![false; 20];
    for &i in trues {
        a[i] = true;
    }
    json!({"srq20": a})
}

fn puma(pack: f64, b: bool, p: bool, c: bool, s: bool) -> Value {
    json!({"puma": {"pack_years": pack, "breathless": b, "phlegm": p, "cough": c, "spirometry": s}})
}

#[test]
fn questionnaires() {
    check(vec![
        case("srq 5 true", q(30, "F", srq(&[0, 1, 2, 3, 4])), &[]),
        case("srq 6 true", q(30, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]),
        case("srq item 17 only", q(30, "F", srq(&[16])), &["srq20_suicidal"]),
        case("srq 6 with 17", q(30, "F", srq(&[0, 1, 2, 3, 4, 16])), &["srq20_positive", "srq20_suicidal"]),
        case("srq item 16 only", q(30, "F", srq(&[15])), &[]),
        case("srq at 14 y", q(14, "F", srq(&[0, 1, 2, 3, 4, 5, 16])), &[]),
        case("srq at 15 y", q(15, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]),
        case("srq at 18 y setting 19", q(18, "F", srq(&[0, 1, 2, 3, 4, 5])), &[]).set(&["srq20_min_years=19"]),
        case("srq at 19 y setting 19", q(19, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]).set(&["srq20_min_years=19"]),
        case("srq 19 answers", q(30, "F", json!({"srq20": vec![true; 19]})), &[]).errs(&["questionnaires.srq20"]),
        case("srq 21 answers", q(30, "F", json!({"srq20": vec![true; 21]})), &[]).errs(&["questionnaires.srq20"]),
        case("srq with a 1", q(30, "F", json!({"srq20": [1, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]})), &[])
            .errs(&["questionnaires.srq20"]),
        // PUMA: M = 1; 40–49 = 0; all four symptoms = 4 → 5.
        case("puma M 40 y 5", q(40, "M", puma(0.0, true, true, true, true)), &[]),
        case("puma M 50 y 6", q(50, "M", puma(0.0, true, true, true, true)), &["puma_high_risk"]),
        case("puma M 49 y pack 20 = 6", q(49, "M", puma(20.0, true, true, true, true)), &["puma_high_risk"]),
        case("puma M 49 y pack 19.9 = 5", q(49, "M", puma(19.9, true, true, true, true)), &[]),
        case("puma F 60 y pack 30 = 2+1+2", q(60, "F", puma(30.0, true, true, false, false)), &[]),
        case("puma F 60 y pack 30.1 = 2+2+2", q(60, "F", puma(30.1, true, true, false, false)), &["puma_high_risk"]),
        case("puma 39 y", q(39, "M", puma(50.0, true, true, true, true)), &[]),
        case("puma cutoff 8: 7", q(60, "M", puma(0.0, true, true, true, true)), &[]).set(&["puma_cutoff=8"]),
        case("puma cutoff 8: 8", q(60, "M", puma(25.0, true, true, true, true)), &["puma_high_risk"]).set(&["puma_cutoff=8"]),
        case("puma sex unknown", q(70, "?", puma(50.0, true, true, true, true)), &[]).errs(&["sex"]),
        case("puma missing key", q(70, "M", json!({"puma": {"pack_years": 50, "breathless": true, "phlegm": true, "cough": true}})), &[])
            .has(&[], &["puma_high_risk"])
            .errs(&["questionnaires.puma"]),
        case("puma pack 201", q(70, "M", puma(201.0, true, true, true, true)), &[]).has(&[], &["puma_high_risk"]).errs(&["questionnaires.puma"]),
        case("puma pack 200", q(70, "M", puma(200.0, true, true, true, true)), &["puma_high_risk"]),
        // Barthel (lansia ≥ 60 y).
        case("barthel 20", q(60, "F", json!({"barthel": 20})), &[]),
        case("barthel 19", q(60, "F", json!({"barthel": 19})), &["adl_mild_dependency"]),
        case("barthel 12", q(60, "F", json!({"barthel": 12})), &["adl_mild_dependency"]),
        case("barthel 11", q(60, "F", json!({"barthel": 11})), &["adl_moderate_dependency"]),
        case("barthel 9", q(60, "F", json!({"barthel": 9})), &["adl_moderate_dependency"]),
        case("barthel 8", q(60, "F", json!({"barthel": 8})), &["adl_severe_dependency"]),
        case("barthel 5", q(60, "F", json!({"barthel": 5})), &["adl_severe_dependency"]),
        case("barthel 4", q(60, "F", json!({"barthel": 4})), &["adl_total_dependency"]),
        case("barthel 0", q(60, "F", json!({"barthel": 0})), &["adl_total_dependency"]),
        case("barthel at 59 y", q(59, "F", json!({"barthel": 0})), &[]),
        case("barthel 21", q(60, "F", json!({"barthel": 21})), &[]).errs(&["questionnaires.barthel"]),
        case("barthel 10.5", q(60, "F", json!({"barthel": 10.5})), &[]).errs(&["questionnaires.barthel"]),
        case("barthel 10.0 integer", q(60, "F", json!({"barthel": 10.0})), &["adl_moderate_dependency"]),
        // SKILAS.
        case(
            "skilas all six",
            q(60, "F", json!({"skilas": {"cognitive": true, "mobility": true, "malnutrition": true, "vision": true, "hearing": true, "depression": true}})),
            &["skilas_cognitive", "skilas_depression", "skilas_hearing", "skilas_malnutrition", "skilas_mobility", "skilas_vision"],
        ),
        case("skilas false", q(60, "F", json!({"skilas": {"cognitive": false}})), &[]),
        case("skilas at 59 y", q(59, "F", json!({"skilas": {"cognitive": true}})), &[]),
        case("skilas unknown key", q(60, "F", json!({"skilas": {"memory": true}})), &[]).errs(&["questionnaires.skilas"]),
        case("skilas non-boolean", q(60, "F", json!({"skilas": {"vision": 1}})), &[]).errs(&["questionnaires.skilas"]),
        case("lansia muac 20.9", measured("F", &years_old(60, 0), json!({"muac_cm": 20.9})), &["skilas_malnutrition"]),
        case("lansia muac 21", measured("F", &years_old(60, 0), json!({"muac_cm": 21})), &[]),
        case("59 y muac 20", measured("F", &years_old(59, 0), json!({"muac_cm": 20})), &[]),
        // TB.
        case("child cough only", q(14, "M", json!({"tb_symptoms": {"cough": true}})), &[]),
        case("child fever only", q(14, "M", json!({"tb_symptoms": {"fever": true}})), &[]),
        case("child night sweats only", q(14, "M", json!({"tb_symptoms": {"night_sweats": true}})), &[]),
        case("child cough_2w", q(14, "M", json!({"tb_symptoms": {"cough_2w": true}})), &["tb_presumptive_child"]),
        case("child fever_2w", q(3, "M", json!({"tb_symptoms": {"fever_2w": true}})), &["tb_presumptive_child"]),
        case("child weight_loss", q(3, "M", json!({"tb_symptoms": {"weight_loss": true}})), &["tb_presumptive_child"]),
        case("child lethargy", q(3, "M", json!({"tb_symptoms": {"lethargy": true}})), &["tb_presumptive_child"]),
        case("adult cough", q(15, "M", json!({"tb_symptoms": {"cough": true}})), &["tb_presumptive_adult"]),
        case("adult night sweats", q(40, "F", json!({"tb_symptoms": {"night_sweats": true}})), &["tb_presumptive_adult"]),
        case("adult fever", q(40, "F", json!({"tb_symptoms": {"fever": true}})), &["tb_presumptive_adult"]),
        case("adult all false", q(40, "F", json!({"tb_symptoms": {"cough": false, "fever": false}})), &[]),
        case("tb unknown key", q(40, "F", json!({"tb_symptoms": {"cough_3w": true}})), &[]).has(&[], &["tb_presumptive_adult"]).errs(&["questionnaires.tb_symptoms"]),
        // Vision.
        case("vision 1", q(30, "F", json!({"vision_fingers_wrong": 1})), &[]),
        case("vision 2", q(30, "F", json!({"vision_fingers_wrong": 2})), &["vision_impairment_suspect"]),
        case("vision 5", q(30, "F", json!({"vision_fingers_wrong": 5})), &["vision_impairment_suspect"]),
        case("vision at 14 y", q(14, "F", json!({"vision_fingers_wrong": 5})), &[]),
        case("vision 6", q(30, "F", json!({"vision_fingers_wrong": 6})), &[]).errs(&["questionnaires.vision_fingers_wrong"]),
        case("unknown questionnaire", q(30, "F", json!({"audit": 3})), &[]).errs(&["questionnaires.audit"]),
        case("questionnaires null", q(30, "F", Value::Null), &[]),
    ]);
}

fn gsex(sex: &str) -> Sex {
    if sex == "M" { Sex::Male } else { Sex::Female }
}

/// Weight (kg) whose WHO 2006 weight-for-age z is `z` at `days`.
fn wfa_kg(sex: &str, days: i64, z: f64) -> f64 {
    value_at_z(Indicator::WeightForAge, gsex(sex), days as f64, z).unwrap()
}

fn balita(days: i64, m: Value) -> Value {
    measured("F", &days_old(days), m)
}

const WFL_CODES: &[&str] = &[
    "wfl_severely_wasted",
    "wfl_wasted",
    "wfl_risk_overweight",
    "wfl_overweight",
    "wfl_obese",
];
const BFA5_CODES: &[&str] = &[
    "bfa_u5_severely_wasted",
    "bfa_u5_wasted",
    "bfa_u5_risk_overweight",
    "bfa_u5_overweight",
    "bfa_u5_obese",
];

fn others(all: &'static [&'static str], keep: &'static [&'static str]) -> &'static [&'static str] {
    let v: Vec<&'static str> = all.iter().copied().filter(|c| !keep.contains(c)).collect();
    Box::leak(v.into_boxed_slice())
}

#[test]
fn balita_anthropometry_at_every_published_z_edge() {
    let d = 400;
    let w = |z: f64| balita(d, json!({"weight_kg": wfa_kg("F", d, z)}));
    let l = |z: f64| {
        let cm = value_at_z(Indicator::LengthHeightForAge, Sex::Female, d as f64, z).unwrap();
        balita(d, json!({"lenhei_cm": cm, "measure": "l"}))
    };
    let hc = |z: f64| {
        let cm = value_at_z(Indicator::HeadCircumferenceForAge, Sex::Female, d as f64, z).unwrap();
        balita(d, json!({"head_cm": cm}))
    };
    let median_len = value_at_z(Indicator::LengthHeightForAge, Sex::Female, d as f64, 0.0).unwrap();
    let wfl = |z: f64| {
        let kg = value_at_z(Indicator::WeightForLength, Sex::Female, median_len, z).unwrap();
        balita(
            d,
            json!({"weight_kg": kg, "lenhei_cm": median_len, "measure": "l"}),
        )
    };
    let bmi = |z: f64| {
        let b = value_at_z(Indicator::BmiForAge, Sex::Female, d as f64, z).unwrap();
        let kg = b * (median_len / 100.0) * (median_len / 100.0);
        balita(
            d,
            json!({"weight_kg": kg, "lenhei_cm": median_len, "measure": "l"}),
        )
    };
    let mut cases = vec![
        case(
            "zwei -3.01",
            w(-3.01),
            &["kms_bgm", "wfa_severely_underweight"],
        )
        .z("zwei", Some(-3.01)),
        case("zwei -3.00", w(-3.0), &["wfa_underweight"]).z("zwei", Some(-3.0)),
        case("zwei -2.01", w(-2.01), &["wfa_underweight"]).z("zwei", Some(-2.01)),
        case("zwei -2.00", w(-2.0), &[]).z("zwei", Some(-2.0)),
        case("zwei 1.00", w(1.0), &[]).z("zwei", Some(1.0)),
        case("zwei 1.01", w(1.01), &["wfa_risk_overweight"]).z("zwei", Some(1.01)),
        case("zwei 5.00 not flagged", w(5.0), &["wfa_risk_overweight"]).z("zwei", Some(5.0)),
        case("zwei 5.01 flagged", w(5.01), &[])
            .z("zwei", Some(5.01))
            .errs(&["measurements.weight_kg"]),
        case(
            "zwei -6.00 not flagged",
            w(-6.0),
            &["kms_bgm", "wfa_severely_underweight"],
        )
        .z("zwei", Some(-6.0)),
        case("zwei -6.01 flagged", w(-6.01), &[])
            .z("zwei", Some(-6.01))
            .errs(&["measurements.weight_kg"]),
        case("zlen -3.01", l(-3.01), &["lfa_severely_stunted"]).z("zlen", Some(-3.01)),
        case("zlen -3.00", l(-3.0), &["lfa_stunted"]),
        case("zlen -2.01", l(-2.01), &["lfa_stunted"]),
        case("zlen -2.00", l(-2.0), &[]),
        case("zlen 3.00", l(3.0), &[]),
        case("zlen 3.01", l(3.01), &["lfa_tall"]),
        case("zlen 6.01 flagged", l(6.01), &[])
            .z("zlen", Some(6.01))
            .errs(&["measurements.lenhei_cm"]),
        case("zlen -6.00 not flagged", l(-6.0), &["lfa_severely_stunted"]),
        case("zhc -2.01", hc(-2.01), &["hc_microcephaly"]).z("zhc", Some(-2.01)),
        case("zhc -2.00", hc(-2.0), &[]),
        case("zhc 2.00", hc(2.0), &[]),
        case("zhc 2.01", hc(2.01), &["hc_macrocephaly"]),
        case("zhc 5.01 flagged", hc(5.01), &[]).errs(&["measurements.head_cm"]),
    ];
    let wfl_edges: &[(f64, &'static [&'static str])] = &[
        (-3.01, &["wfl_severely_wasted"]),
        (-3.0, &["wfl_wasted"]),
        (-2.01, &["wfl_wasted"]),
        (-2.0, &[]),
        (1.0, &[]),
        (1.01, &["wfl_risk_overweight"]),
        (2.0, &["wfl_risk_overweight"]),
        (2.01, &["wfl_overweight"]),
        (3.0, &["wfl_overweight"]),
        (3.01, &["wfl_obese"]),
    ];
    for &(z, want) in wfl_edges {
        cases.push(
            case(format!("zwfl {z}"), wfl(z), &[])
                .has(want, others(WFL_CODES, want))
                .z("zwfl", Some(z)),
        );
    }
    let bfa_edges: &[(f64, &'static [&'static str])] = &[
        (-3.01, &["bfa_u5_severely_wasted"]),
        (-3.0, &["bfa_u5_wasted"]),
        (-2.01, &["bfa_u5_wasted"]),
        (-2.0, &[]),
        (1.0, &[]),
        (1.01, &["bfa_u5_risk_overweight"]),
        (2.0, &["bfa_u5_risk_overweight"]),
        (2.01, &["bfa_u5_overweight"]),
        (3.0, &["bfa_u5_overweight"]),
        (3.01, &["bfa_u5_obese"]),
    ];
    for &(z, want) in bfa_edges {
        cases.push(
            case(format!("zbmi {z}"), bmi(z), &[])
                .has(want, others(BFA5_CODES, want))
                .z("zbmi", Some(z)),
        );
    }
    // MUAC: 6 ≤ age_months ≤ 59 and < 11.5 cm.
    cases.extend([
        case("muac 11.0 at 182 d (5 mo)", balita(182, json!({"muac_cm": 11.0})), &[]).has(&[], &["muac_sam"]),
        case("muac 11.49 at 183 d (6 mo)", balita(183, json!({"muac_cm": 11.49})), &[]).has(&["muac_sam"], &[]),
        case("muac 11.5 at 183 d", balita(183, json!({"muac_cm": 11.5})), &[]).has(&[], &["muac_sam"]),
        case("muac 11.4 at 1826 d (59 mo)", balita(1826, json!({"muac_cm": 11.4})), &[]).has(&["muac_sam"], &[]),
        case("muac 11.4 at 1827 d", balita(1827, json!({"muac_cm": 11.4})), &[]).has(&[], &["muac_sam"]),
        // Oedema: weight-based z absent, length kept.
        case(
            "oedema",
            balita(d, json!({"weight_kg": wfa_kg("F", d, -4.0), "lenhei_cm": median_len, "measure": "l", "oedema": true})),
            &["nutritional_oedema"],
        )
        .z("zwei", None)
        .z("zwfl", None)
        .z("zbmi", None)
        .z("zlen", Some(0.0)),
        case("oedema false", balita(d, json!({"oedema": false})), &[]),
        case("oedema 'y' is not boolean", balita(d, json!({"oedema": "y"})), &[]).errs(&["measurements.oedema"]),
        // Standing under 9 months: position not recorded (WHO-R §3.4), still a z.
        case("measure H accepted", balita(800, json!({"lenhei_cm": 85.0, "measure": "H"})), &[]).has(&[], &[]),
        case("measure x refused", balita(800, json!({"lenhei_cm": 85.0, "measure": "x"})), &[]).has(&[], &[])
            .errs(&["measurements.measure"]),
    ]);
    check(cases);
}

/// Anak/remaja BMI-for-age (WHO 2007).
#[test]
fn anak_remaja_bmi_for_age() {
    let mk_h = |birth: String, z: f64, h: f64| {
        let days = (visit()
            - time::Date::parse(
                &birth,
                &time::format_description::well_known::Iso8601::DEFAULT,
            )
            .unwrap())
        .whole_days();
        let months = days as f64 / 30.4375;
        let b = value_at_z(Indicator::BmiForAge2007, Sex::Female, months, z).unwrap();
        measured(
            "F",
            &birth,
            json!({"weight_kg": b * (h / 100.0) * (h / 100.0), "lenhei_cm": h}),
        )
    };
    let mk = |birth: String, z: f64| mk_h(birth, z, 140.0);
    let ten = || years_old(10, 0);
    let mut cases = vec![
        case("zbfa -3.01", mk(ten(), -3.01), &["bfa_severely_thin"]).z("zbfa", Some(-3.01)),
        case("zbfa -3.00", mk(ten(), -3.0), &["bfa_thin"]),
        case("zbfa -2.01", mk(ten(), -2.01), &["bfa_thin"]),
        case("zbfa -2.00", mk(ten(), -2.0), &[]),
        case("zbfa 1.00", mk(ten(), 1.0), &[]),
        case("zbfa 1.01", mk(ten(), 1.01), &["bfa_overweight"]),
        case("zbfa 2.00", mk(ten(), 2.0), &["bfa_overweight"]),
        case("zbfa 2.01", mk(ten(), 2.01), &["bfa_obese"]),
        case("zbfa 5.01 flagged", mk(ten(), 5.01), &[]).errs(&["measurements.weight_kg"]),
        case(
            "zbfa at 1827 d",
            mk_h(days_old(1827), -2.5, 110.0),
            &["bfa_thin"],
        )
        .z("zwei", None),
        case(
            "zbfa at 18 y 364 d",
            mk(years_old(19, 1), -2.5),
            &["bfa_thin"],
        ),
    ];
    let mut preg = mk(years_old(16, 0), -2.5);
    preg["pregnancy"] = json!({"gestational_weeks": 20});
    cases.push(case("pregnant 16 y thin", preg, &[]));
    check(cases);
}

fn kms(days: i64, today: f64, prev: Value) -> Value {
    let mut v = balita(days, json!({"weight_kg": today}));
    v["previous_weighings"] = prev;
    v
}

fn wt(date: &str, kg: f64) -> Value {
    json!({"date": date, "weight_kg": kg})
}

#[test]
fn kms_status_and_kbm_table() {
    // 400 d = 13 completed months: KBM 200 g. Visit 2025-06-15, prev month = May.
    check(vec![
        case("B: empty list", kms(400, 9.0, json!([])), &["kms_b"]),
        case(
            "absent history: nothing",
            balita(400, json!({"weight_kg": 9.0})),
            &[],
        ),
        case("null history = absent", kms(400, 9.0, Value::Null), &[]),
        case(
            "O: only April",
            kms(400, 9.0, json!([wt("2025-04-20", 8.8)])),
            &["kms_o"],
        ),
        case(
            "O: only this month",
            kms(400, 9.0, json!([wt("2025-06-01", 8.8)])),
            &["kms_o"],
        ),
        case(
            "N: +200 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8)])),
            &["kms_n"],
        ),
        case(
            "T: +199 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.801)])),
            &["kms_t"],
        ),
        case(
            "N: +199.5 g rounds to 200",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005)])),
            &["kms_n"],
        ),
        case(
            "this month's entry ignored for N/T",
            kms(
                400,
                9.0,
                json!([wt("2025-05-15", 8.8), wt("2025-06-10", 8.95)]),
            ),
            &["kms_n"],
        ),
        case(
            "latest May entry decides (out of order)",
            kms(
                400,
                9.0,
                json!([wt("2025-05-30", 8.9), wt("2025-05-02", 8.0)]),
            ),
            &["kms_t"],
        ),
        // 2T is a T that follows a T: both codes hold (kms_2t's condition includes kms_t's).
        case(
            "2T: T in May against April too",
            kms(
                400,
                9.0,
                json!([wt("2025-04-10", 8.9), wt("2025-05-10", 8.9)]),
            ),
            &["kms_2t", "kms_t"],
        ),
        case(
            "T after N is not 2T",
            kms(
                400,
                9.0,
                json!([wt("2025-04-10", 8.7), wt("2025-05-10", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "T with March (not April) before May: not 2T",
            kms(
                400,
                9.0,
                json!([wt("2025-03-10", 8.9), wt("2025-05-10", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "2T uses the latest April entry",
            kms(
                400,
                9.0,
                json!([
                    wt("2025-04-02", 8.9),
                    wt("2025-04-28", 8.5),
                    wt("2025-05-10", 8.9)
                ]),
            ),
            &["kms_t"],
        ),
        // Under 1 completed month: no N/T (30 d = 0 mo).
        case(
            "30 d: no N/T",
            kms(30, 3.6, json!([wt("2025-05-20", 3.5)])),
            &[],
        )
        .has(&[], &["kms_n", "kms_t", "kms_o", "kms_b"]),
        case(
            "31 d: 1 mo KBM 800 met",
            kms(31, 3.8, json!([wt("2025-05-16", 3.0)])),
            &["kms_n"],
        ),
        case(
            "31 d: 799 g",
            kms(31, 3.799, json!([wt("2025-05-16", 3.0)])),
            &["kms_t"],
        ),
        case(
            "2 mo: 900 met",
            kms(75, 5.5, json!([wt("2025-05-20", 4.6)])),
            &["kms_n"],
        ),
        case(
            "2 mo: 899",
            kms(75, 5.499, json!([wt("2025-05-20", 4.6)])),
            &["kms_t"],
        ),
        case(
            "3 mo: 800 met",
            kms(100, 6.6, json!([wt("2025-05-20", 5.8)])),
            &["kms_n"],
        ),
        case(
            "3 mo: 799",
            kms(100, 6.599, json!([wt("2025-05-20", 5.8)])),
            &["kms_t"],
        ),
        case(
            "3 mo setting 600: 600",
            kms(100, 6.4, json!([wt("2025-05-20", 5.8)])),
            &["kms_n"],
        )
        .set(&["kbm_month3_g=600"]),
        case(
            "3 mo setting 600: 599",
            kms(100, 6.399, json!([wt("2025-05-20", 5.8)])),
            &["kms_t"],
        )
        .set(&["kbm_month3_g=600"]),
        case(
            "4 mo: 600",
            kms(130, 7.0, json!([wt("2025-05-20", 6.4)])),
            &["kms_n"],
        ),
        case(
            "4 mo: 599",
            kms(130, 6.999, json!([wt("2025-05-20", 6.4)])),
            &["kms_t"],
        ),
        case(
            "5 mo: 500",
            kms(160, 7.4, json!([wt("2025-05-20", 6.9)])),
            &["kms_n"],
        ),
        case(
            "5 mo: 499",
            kms(160, 7.399, json!([wt("2025-05-20", 6.9)])),
            &["kms_t"],
        ),
        case(
            "6 mo: 400",
            kms(190, 7.7, json!([wt("2025-05-20", 7.3)])),
            &["kms_n"],
        ),
        case(
            "6 mo: 399",
            kms(190, 7.699, json!([wt("2025-05-20", 7.3)])),
            &["kms_t"],
        ),
        case(
            "7 mo: 300",
            kms(220, 7.9, json!([wt("2025-05-20", 7.6)])),
            &["kms_n"],
        ),
        case(
            "7 mo: 299",
            kms(220, 7.899, json!([wt("2025-05-20", 7.6)])),
            &["kms_t"],
        ),
        case(
            "10 mo: 299",
            kms(310, 8.799, json!([wt("2025-05-20", 8.5)])),
            &["kms_t"],
        ),
        case(
            "11 mo: 200",
            kms(340, 8.9, json!([wt("2025-05-20", 8.7)])),
            &["kms_n"],
        ),
        case(
            "11 mo band 7–11: 299",
            kms(340, 8.999, json!([wt("2025-05-20", 8.7)])),
            &["kms_t"],
        )
        .set(&["kbm_band_300=7-11"]),
        case(
            "12 mo band 7–11: 200",
            kms(370, 9.1, json!([wt("2025-05-20", 8.9)])),
            &["kms_n"],
        )
        .set(&["kbm_band_300=7-11"]),
        case(
            "59 mo: 200",
            kms(1826, 18.2, json!([wt("2025-05-20", 18.0)])),
            &["kms_n"],
        ),
        case(
            "59 mo: 199",
            kms(1826, 18.199, json!([wt("2025-05-20", 18.0)])),
            &["kms_t"],
        ),
        case("60 mo: no KMS", kms(1827, 18.2, json!([])), &[]),
        // January visit: prev month is December of the year before.
        case(
            "January visit",
            json!({"id": "r", "sex": "F", "birth_date": "2024-01-01", "visit_date": "2025-01-15",
                   "measurements": {"weight_kg": 9.0}, "previous_weighings": [wt("2024-12-20", 8.8)]}),
            &["kms_n"],
        ),
        case(
            "January visit 2T through November",
            json!({"id": "r", "sex": "F", "birth_date": "2024-01-01", "visit_date": "2025-01-15",
                   "measurements": {"weight_kg": 9.0},
                   "previous_weighings": [wt("2024-11-20", 9.0), wt("2024-12-20", 9.0)]}),
            &[],
        )
        .has(&["kms_2t"], &["kms_n"]),
        // No weight today: no KMS at all.
        case(
            "no weight today",
            with(balita(400, json!({})), "previous_weighings", json!([])),
            &[],
        ),
        // Validation: one bad entry drops the whole list.
        case(
            "entry dated the visit day",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8), wt(VISIT, 8.9)])),
            &[],
        )
        .errs(&["previous_weighings[1].date"]),
        case(
            "entry before birth",
            kms(
                400,
                9.0,
                json!([wt("2024-01-01", 3.0), wt("2025-05-15", 8.8)]),
            ),
            &[],
        )
        .errs(&["previous_weighings[0].date"]),
        case(
            "entry weight 0",
            kms(400, 9.0, json!([wt("2025-05-15", 0.0)])),
            &[],
        )
        .errs(&["previous_weighings[0].weight_kg"]),
        case(
            "entry weight missing",
            kms(400, 9.0, json!([{"date": "2025-05-15"}])),
            &[],
        )
        .errs(&["previous_weighings[0].weight_kg"]),
        case(
            "entry date bad",
            kms(400, 9.0, json!([wt("2025-02-30", 8.8)])),
            &[],
        )
        .errs(&["previous_weighings[0].date"]),
        case(
            "not an array",
            kms(400, 9.0, json!({"date": "2025-05-15"})),
            &[],
        )
        .errs(&["previous_weighings"]),
        case(
            "entry on the birth day",
            kms(400, 9.0, json!([wt(&days_old(400), 3.2)])),
            &["kms_o"],
        ),
    ]);
}

#[test]
fn weight_faltering_waz_drop() {
    // Girl, 400 d today. zwei_p − zwei_today in hundredths ≤ −68.
    let wf = |days_today: i64, p_days_before: i64, zp: f64, zt: f64| {
        let p = date_minus(p_days_before);
        let p_age = days_today - p_days_before;
        let mut v = balita(
            days_today,
            json!({"weight_kg": wfa_kg("F", days_today, zt)}),
        );
        v["previous_weighings"] = json!([wt(&p, wfa_kg("F", p_age, zp))]);
        v
    };
    const WF: &[&str] = &["weight_faltering"];
    check(vec![
        case("drop 0.68 at 30 d", wf(400, 30, -0.5, -1.18), &[]).has(WF, &[]),
        case("drop 0.67 at 30 d", wf(400, 30, -0.5, -1.17), &[]).has(&[], WF),
        case("p at 21 d", wf(400, 21, -0.5, -1.2), &[]).has(WF, &[]),
        case("p at 20 d: none", wf(400, 20, -0.5, -1.5), &[]).has(&[], WF),
        case("p at 92 d", wf(400, 92, -0.5, -1.2), &[]).has(WF, &[]),
        case("p at 93 d: none", wf(400, 93, -0.5, -1.5), &[]).has(&[], WF),
        case("730 d", wf(730, 30, 0.0, -0.7), &[]).has(WF, &[]),
        case("731 d: none", wf(731, 30, 0.0, -0.9), &[]).has(&[], WF),
        case("rise: none", wf(400, 30, -1.0, 0.0), &[]).has(&[], WF),
        {
            // The latest entry in the window decides, not the worst.
            let mut v = balita(400, json!({"weight_kg": wfa_kg("F", 400, -1.18)}));
            v["previous_weighings"] = json!([
                wt(&date_minus(60), wfa_kg("F", 340, -0.5)),
                wt(&date_minus(30), wfa_kg("F", 370, -1.0)),
                wt(&date_minus(10), wfa_kg("F", 390, -1.1)),
            ]);
            case("latest in window decides", v, &[]).has(&[], WF)
        },
    ]);
}

struct Imm {
    name: &'static str,
    settings: &'static [&'static str],
    days: i64,
    /// (vaccine, age in days at the dose)
    doses: Vec<(&'static str, i64)>,
    due: &'static [&'static str],
    overdue: &'static [&'static str],
    idl: bool,
    baduta: bool,
}

fn imm(
    name: &'static str,
    days: i64,
    doses: &[(&'static str, i64)],
    due: &'static [&'static str],
    overdue: &'static [&'static str],
) -> Imm {
    Imm {
        name,
        settings: &[],
        days,
        doses: doses.to_vec(),
        due,
        overdue,
        idl: false,
        baduta: false,
    }
}

impl Imm {
    fn set(mut self, s: &'static [&'static str]) -> Imm {
        self.settings = s;
        self
    }
    fn complete(mut self, idl: bool, baduta: bool) -> Imm {
        self.idl = idl;
        self.baduta = baduta;
        self
    }
}

fn imm_input(days: i64, doses: &[(&str, i64)]) -> Value {
    let list: Vec<Value> = doses
        .iter()
        .map(|(v, at)| json!({"vaccine": v, "date": date_minus(days - at)}))
        .collect();
    with(base("M", &days_old(days)), "immunizations", json!(list))
}

fn check_imm(cases: Vec<Imm>) {
    let mut failures = Vec::new();
    for c in &cases {
        let out = screen(c.settings, &imm_input(c.days, &c.doses));
        let want = json!({"due": c.due, "overdue": c.overdue, "idl_complete": c.idl, "baduta_complete": c.baduta});
        if out["immunization"] != want {
            failures.push(format!(
                "{}: got {}, document says {want}",
                c.name, out["immunization"]
            ));
        }
        if !error_fields(&out).is_empty() {
            failures.push(format!("{}: errors {}", c.name, out["errors"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every dose of the post-2022 IDL set at its recommended age (days).
const IDL_ON_TIME: &[(&str, i64)] = &[
    ("HB0", 0),
    ("BCG", 0),
    ("OPV1", 0),
    ("DPT_HB_HIB1", 61),
    ("OPV2", 61),
    ("PCV1", 61),
    ("RV1", 61),
    ("DPT_HB_HIB2", 92),
    ("OPV3", 92),
    ("PCV2", 92),
    ("RV2", 92),
    ("DPT_HB_HIB3", 122),
    ("OPV4", 122),
    ("RV3", 122),
    ("IPV1", 122),
    ("MR1", 275),
    ("IPV2", 275),
];

fn idl_plus(extra: &[(&'static str, i64)]) -> Vec<(&'static str, i64)> {
    let mut v = IDL_ON_TIME.to_vec();
    v.extend_from_slice(extra);
    v
}

fn idl_without(drop: &[&str]) -> Vec<(&'static str, i64)> {
    IDL_ON_TIME
        .iter()
        .copied()
        .filter(|(v, _)| !drop.contains(v))
        .collect()
}

#[test]
fn immunization_due_overdue_until_and_intervals() {
    let birth3: &[(&str, i64)] = &[("HB0", 0), ("BCG", 0), ("OPV1", 0)];
    check_imm(vec![
        imm("day 0", 0, &[], &["HB0", "BCG", "OPV1"], &[]),
        imm("day 1: HB0 overdue", 1, &[], &["BCG", "OPV1"], &["HB0"]),
        imm("day 7", 7, &[], &["BCG", "OPV1"], &["HB0"]),
        imm("day 8: HB0 closed", 8, &[], &["BCG", "OPV1"], &[]),
        imm("day 30 (0 mo)", 30, &[], &["BCG", "OPV1"], &[]),
        imm("day 31 (1 mo)", 31, &[], &[], &["BCG", "OPV1"]),
        imm("day 60 (1 mo)", 60, &[], &[], &["BCG", "OPV1"]),
        imm(
            "day 61 nothing given: OPV2 needs OPV1",
            61,
            &[],
            &["DPT_HB_HIB1", "PCV1", "RV1"],
            &["BCG", "OPV1"],
        ),
        imm(
            "day 61 birth doses given",
            61,
            birth3,
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "OPV1 at 40, visit 67: interval",
            67,
            &[("HB0", 0), ("BCG", 0), ("OPV1", 40)],
            &["DPT_HB_HIB1", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "OPV1 at 40, visit 68",
            68,
            &[("HB0", 0), ("BCG", 0), ("OPV1", 40)],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "day 92 (3 mo)",
            92,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
        ),
        imm(
            "day 213 (6 mo): RV1 still open",
            213,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1", "IPV1"],
        ),
        imm(
            "day 214 (7 mo): RV closed",
            214,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "IPV1"],
        ),
        imm(
            "day 365 (11 mo): BCG open",
            365,
            &[("HB0", 0)],
            &[],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1", "IPV1", "MR1"],
        ),
        imm(
            "day 366 (12 mo): BCG, PCV1 closed",
            366,
            &[("HB0", 0)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "second doses at 3 mo",
            92,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 61),
                ("OPV2", 61),
                ("PCV1", 61),
                ("RV1", 61),
            ],
            &["DPT_HB_HIB2", "OPV3", "PCV2", "RV2"],
            &[],
        ),
        imm(
            "second doses 22 d after the first",
            92,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 70),
                ("OPV2", 70),
                ("PCV1", 70),
                ("RV1", 70),
            ],
            &[],
            &[],
        ),
        imm(
            "second doses 28 d after the first",
            98,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 70),
                ("OPV2", 70),
                ("PCV1", 70),
                ("RV1", 70),
            ],
            &["DPT_HB_HIB2", "OPV3", "PCV2", "RV2"],
            &[],
        ),
        imm(
            "9 mo after full infant series",
            275,
            &idl_without(&["MR1", "IPV2"]),
            &["MR1", "IPV2"],
            &[],
        ),
        imm(
            "9 mo JE endemic: not yet",
            275,
            &idl_without(&["MR1", "IPV2"]),
            &["MR1", "IPV2"],
            &[],
        )
        .set(&["je_endemic=true"]),
        imm("10 mo JE endemic: due", 305, IDL_ON_TIME, &["JE"], &[])
            .set(&["je_endemic=true"])
            .complete(true, false),
        imm("11 mo JE endemic: overdue", 335, IDL_ON_TIME, &[], &["JE"])
            .set(&["je_endemic=true"])
            .complete(true, false),
        imm("11 mo JE not endemic", 335, IDL_ON_TIME, &[], &[]).complete(true, false),
        imm(
            "IPV2 before 122 d",
            300,
            &[("IPV1", 200)],
            &["MR1"],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1"],
        ),
        imm(
            "IPV2 at 122 d",
            322,
            &[("IPV1", 200)],
            &[],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1", "MR1", "IPV2"],
        ),
        imm("12 mo PCV3 due", 366, IDL_ON_TIME, &["PCV3"], &[]).complete(true, false),
        imm("13 mo PCV3 overdue", 396, IDL_ON_TIME, &[], &["PCV3"]).complete(true, false),
        imm(
            "23 mo PCV3 still open",
            730,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &["PCV3"],
        )
        .complete(true, false),
        imm(
            "24 mo PCV3 closed",
            731,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .complete(true, false),
        imm(
            "PCV3 before 56 d after PCV2",
            366,
            &[("PCV2", 330)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "PCV3 at 56 d after PCV2",
            386,
            &[("PCV2", 330)],
            &["PCV3"],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "18 mo DPT4 MR2 due",
            548,
            &idl_plus(&[("PCV3", 366)]),
            &["DPT_HB_HIB4", "MR2"],
            &[],
        )
        .complete(true, false),
        imm("17 mo nothing", 547, &idl_plus(&[("PCV3", 366)]), &[], &[]).complete(true, false),
        imm(
            "23 mo still due",
            730,
            &idl_plus(&[("PCV3", 366)]),
            &["DPT_HB_HIB4", "MR2"],
            &[],
        )
        .complete(true, false),
        imm(
            "24 mo overdue",
            731,
            &idl_plus(&[("PCV3", 366)]),
            &[],
            &["DPT_HB_HIB4", "MR2"],
        )
        .complete(true, false),
        imm(
            "DPT4 before 365 d after DPT3",
            548,
            &[("DPT_HB_HIB3", 200), ("MR1", 400)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "DPT4 at 365 d, MR2 at 183 d",
            583,
            &[("DPT_HB_HIB3", 218), ("MR1", 400)],
            &["DPT_HB_HIB4", "MR2"],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "MR2 before 183 d",
            582,
            &[("DPT_HB_HIB3", 217), ("MR1", 400)],
            &["DPT_HB_HIB4"],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "59 mo nothing given",
            1826,
            &[],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        // IDL / baduta completeness.
        imm(
            "IDL dose at 365 d counts",
            380,
            &idl_plus(&[("MR1", 365)])
                .into_iter()
                .filter(|d| *d != ("MR1", 275))
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(true, false),
        imm(
            "IDL dose at 366 d does not",
            380,
            &idl_without(&["MR1"])
                .into_iter()
                .chain([("MR1", 366)])
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(false, false),
        imm(
            "repeated MR1 keeps the earliest",
            380,
            &idl_without(&["MR1"])
                .into_iter()
                .chain([("MR1", 380), ("MR1", 300)])
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(true, false),
        imm(
            "IDL without PCV/RV/IPV: post2022 false",
            400,
            &idl_without(&["PCV1", "PCV2", "RV1", "RV2", "RV3", "IPV1", "IPV2"]),
            &[],
            &["IPV1"],
        )
        .complete(false, false),
        imm(
            "IDL without PCV/RV/IPV: pmk12 true",
            400,
            &idl_without(&["PCV1", "PCV2", "RV1", "RV2", "RV3", "IPV1", "IPV2"]),
            &[],
            &["IPV1"],
        )
        .set(&["idl_set=pmk12_2017"])
        .complete(true, false),
        imm(
            "baduta at 730 d",
            800,
            &idl_plus(&[("PCV3", 366), ("DPT_HB_HIB4", 548), ("MR2", 730)]),
            &[],
            &[],
        )
        .complete(true, true),
        imm(
            "baduta MR2 at 731 d",
            800,
            &idl_plus(&[("PCV3", 366), ("DPT_HB_HIB4", 548), ("MR2", 731)]),
            &[],
            &[],
        )
        .complete(true, false),
        imm(
            "baduta pmk12 without PCV3",
            800,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .set(&["baduta_set=pmk12_2017"])
        .complete(true, true),
        imm(
            "baduta post2022 without PCV3",
            800,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .complete(true, false),
    ]);
}

#[test]
fn immunization_presence_and_entry_validation() {
    let mut failures = Vec::new();
    let mut expect =
        |name: &str, input: Value, present: bool, errors: &[&str], due: Option<Value>| {
            let out = screen(&[], &input);
            if out.get("immunization").is_some() != present {
                failures.push(format!("{name}: immunization presence {}", !present));
            }
            if error_fields(&out) != errors {
                failures.push(format!("{name}: errors {}", out["errors"]));
            }
            if let Some(d) = due
                && out["immunization"]["due"] != d
            {
                failures.push(format!("{name}: due {}", out["immunization"]["due"]));
            }
        };
    expect(
        "day 1826 balita",
        base("F", &days_old(1826)),
        true,
        &[],
        None,
    );
    expect(
        "day 1827 not balita",
        base("F", &days_old(1827)),
        false,
        &[],
        None,
    );
    expect("adult", base("F", &years_old(30, 0)), false, &[], None);
    expect(
        "bad dates",
        json!({"id": "r", "sex": "F", "birth_date": "2025-02-30", "visit_date": VISIT}),
        false,
        &["birth_date"],
        None,
    );
    expect(
        "sex unknown still balita",
        base("?", &days_old(0)),
        true,
        &["sex"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "unknown vaccine ignored",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "XYZ", "date": VISIT}, {"vaccine": "HB0", "date": VISIT}]),
        ),
        true,
        &["immunizations[0].vaccine"],
        Some(json!(["BCG", "OPV1"])),
    );
    expect(
        "lower-case code refused",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "hb0", "date": VISIT}]),
        ),
        true,
        &["immunizations[0].vaccine"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "dose after the visit",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "HB0", "date": "2025-06-16"}]),
        ),
        true,
        &["immunizations[0].date"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "dose before birth",
        with(
            base("F", &days_old(3)),
            "immunizations",
            json!([{"vaccine": "BCG", "date": days_old(4)}, {"vaccine": "HB0", "date": days_old(3)}]),
        ),
        true,
        &["immunizations[0].date"],
        Some(json!(["BCG", "OPV1"])),
    );
    expect(
        "entry not an object",
        with(base("F", &days_old(0)), "immunizations", json!(["HB0"])),
        true,
        &["immunizations[0]"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn age_arithmetic_and_output_shape() {
    let mut failures = Vec::new();
    let ages: &[(&str, &str, Value, Value)] = &[
        ("2024-01-15", "2025-03-10", json!(420), json!(13)),
        ("2025-06-15", VISIT, json!(0), json!(0)),
        ("2025-05-16", VISIT, json!(30), json!(0)),
        ("2025-05-15", VISIT, json!(31), json!(1)),
        ("2025-04-16", VISIT, json!(60), json!(1)),
        ("2025-04-15", VISIT, json!(61), json!(2)),
        ("2020-03-01", "2025-03-01", json!(1826), json!(59)),
        ("2019-03-01", "2024-03-01", json!(1827), json!(60)),
        ("1895-06-15", VISIT, json!(47482), json!(1559)),
        ("2025-06-16", VISIT, Value::Null, Value::Null),
        ("2025-02-29", VISIT, Value::Null, Value::Null),
        ("2025-6-15", VISIT, Value::Null, Value::Null),
    ];
    for (b, v, days, months) in ages {
        let out = screen(
            &[],
            &json!({"id": "a", "sex": "F", "birth_date": b, "visit_date": v}),
        );
        if out["age_days"] != *days || out["age_months"] != *months {
            failures.push(format!(
                "{b}→{v}: {} {}, expected {days} {months}",
                out["age_days"], out["age_months"]
            ));
        }
    }
    // Key order of §11.2.
    let raw = screen_line(
        &json!({"id": "k", "sex": "F", "birth_date": days_old(400), "visit_date": VISIT,
                "measurements": {"weight_kg": 9.0, "lenhei_cm": 75.0, "measure": "l", "head_cm": 45.0, "muac_cm": 14.0}})
        .to_string(),
        &Settings::default(),
    );
    let order = [
        "\"id\"",
        "\"age_days\"",
        "\"age_months\"",
        "\"zscores\"",
        "\"zlen\"",
        "\"zwei\"",
        "\"zwfl\"",
        "\"zbmi\"",
        "\"zhc\"",
        "\"zac\"",
        "\"findings\"",
        "\"immunization\"",
        "\"due\"",
        "\"overdue\"",
        "\"idl_complete\"",
        "\"baduta_complete\"",
        "\"errors\"",
    ];
    let pos: Vec<Option<usize>> = order.iter().map(|k| raw.find(k)).collect();
    if pos.iter().any(Option::is_none) || pos.windows(2).any(|w| w[0] >= w[1]) {
        failures.push(format!("key order: {raw}"));
    }
    // Every z printed with at most 2 decimals.
    let out: Value = serde_json::from_str(&raw).unwrap();
    for (k, z) in out["zscores"].as_object().unwrap() {
        let s = z.to_string();
        if s.split('.').nth(1).is_some_and(|d| d.len() > 2) {
            failures.push(format!("{k} = {s}"));
        }
    }
    // A line that is not an object.
    for line in ["[]", "x", "", "null"] {
        let out: Value = serde_json::from_str(&screen_line(line, &Settings::default())).unwrap();
        let want_keys = [
            "id",
            "age_days",
            "age_months",
            "zscores",
            "findings",
            "errors",
        ];
        let keys: Vec<&str> = out
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted_want = want_keys.to_vec();
        sorted_want.sort();
        let mut sorted_keys = keys.clone();
        sorted_keys.sort();
        if sorted_keys != sorted_want
            || out["id"] != Value::Null
            || out["zscores"] != json!({})
            || out["findings"] != json!([])
            || error_fields(&out) != ["$"]
        {
            failures.push(format!("not an object {line:?}: {out}"));
        }
    }
    // Findings sorted by code and unique.
    let out = screen(
        &[],
        &json!({"id": "s", "sex": "M", "birth_date": years_old(65, 0), "visit_date": VISIT,
                "measurements": {"systolic": 185, "diastolic": 80, "glucose_random": 250, "cholesterol": 250,
                                 "hb": 7, "weight_kg": 100, "lenhei_cm": 160, "waist_cm": 110, "muac_cm": 20},
                "questionnaires": {"barthel": 3, "skilas": {"malnutrition": true, "vision": true},
                                   "tb_symptoms": {"cough": true}, "vision_fingers_wrong": 3}}),
    );
    let got = codes(&out);
    let want = [
        "adl_total_dependency",
        "anemia_severe",
        "bmi_obese_2",
        "central_obesity",
        "cholesterol_high",
        "glucose_random_diabetes",
        "hypertension_grade3",
        "hypertension_isolated_systolic",
        "skilas_malnutrition",
        "skilas_vision",
        "tb_presumptive_adult",
        "vision_impairment_suspect",
    ];
    if got != want {
        failures.push(format!("sorted findings: {got:?}"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn adult_m(m: Value) -> Value {
    measured("M", &years_old(30, 0), m)
}

#[test]
fn validation_of_every_field() {
    let mut cases = vec![
        case(
            "id empty",
            json!({"id": "", "sex": "F", "birth_date": years_old(30, 0), "visit_date": VISIT}),
            &[],
        )
        .errs(&["id"]),
        case(
            "id number",
            json!({"id": 7, "sex": "F", "birth_date": years_old(30, 0), "visit_date": VISIT}),
            &[],
        )
        .errs(&["id"]),
        case(
            "id missing",
            json!({"sex": "F", "birth_date": years_old(30, 0), "visit_date": VISIT}),
            &[],
        )
        .errs(&["id"]),
        case("sex lower case", base("f", &years_old(30, 0)), &[]).errs(&["sex"]),
        case(
            "sex missing",
            json!({"id": "r", "birth_date": years_old(30, 0), "visit_date": VISIT}),
            &[],
        )
        .errs(&["sex"]),
        case(
            "sex 2",
            json!({"id": "r", "sex": 2, "birth_date": years_old(30, 0), "visit_date": VISIT}),
            &[],
        )
        .errs(&["sex"]),
        case(
            "sex unknown: no z-score, but BP",
            measured("", &days_old(400), json!({"weight_kg": 3.0})),
            &[],
        )
        .errs(&["sex"])
        .z("zwei", None),
        case(
            "birth after visit",
            with(bp(30, 150.0, 95.0), "birth_date", json!("2025-06-16")),
            &[],
        )
        .errs(&["visit_date"]),
        case(
            "birth not a date",
            with(bp(30, 150.0, 95.0), "birth_date", json!("2025-13-01")),
            &[],
        )
        .errs(&["birth_date"]),
        case(
            "visit not a date",
            with(bp(30, 150.0, 95.0), "visit_date", json!("15/06/2025")),
            &[],
        )
        .errs(&["visit_date"]),
        case(
            "visit missing",
            json!({"id": "r", "sex": "F", "birth_date": "2000-01-01"}),
            &[],
        )
        .errs(&["visit_date"]),
        case(
            "age 130 y",
            with(bp(30, 150.0, 95.0), "birth_date", json!("1895-06-15")),
            &["hypertension_grade1"],
        ),
        case(
            "unknown top-level key ignored",
            with(bp(30, 110.0, 70.0), "kk", json!("123")),
            &[],
        ),
        case(
            "measurements not an object",
            with(base("M", &years_old(30, 0)), "measurements", json!([1])),
            &[],
        )
        .errs(&["measurements"]),
        case(
            "measurements unknown key",
            adult_m(json!({"temp": 37})),
            &[],
        )
        .errs(&["measurements.temp"]),
        case(
            "measurement null = absent",
            adult_m(json!({"weight_kg": null, "systolic": null})),
            &[],
        ),
        case(
            "D = S",
            adult_m(json!({"systolic": 150, "diastolic": 150})),
            &[],
        )
        .errs(&["measurements.diastolic"]),
        case(
            "D > S",
            adult_m(json!({"systolic": 150, "diastolic": 160})),
            &[],
        )
        .errs(&["measurements.diastolic"]),
        case(
            "measure l for an adult is fine",
            adult_m(json!({"measure": "L"})),
            &[],
        ),
        case("string number", adult_m(json!({"systolic": "150"})), &[])
            .errs(&["measurements.systolic"]),
    ];
    let limits: &[(&'static str, f64)] = &[
        ("weight_kg", 300.0),
        ("lenhei_cm", 250.0),
        ("head_cm", 70.0),
        ("muac_cm", 60.0),
        ("waist_cm", 250.0),
        ("systolic", 300.0),
        ("diastolic", 200.0),
        ("glucose_random", 1000.0),
        ("glucose_fasting", 1000.0),
        ("cholesterol", 1000.0),
        ("hb", 25.0),
    ];
    for &(key, max) in limits {
        let field: &'static str = Box::leak(format!("measurements.{key}").into_boxed_str());
        let errs: &'static [&'static str] = Box::leak(vec![field].into_boxed_slice());
        let mk = |v: f64| {
            let mut m = json!({key: v});
            if key == "diastolic" {
                m["systolic"] = json!(300);
            }
            adult_m(m)
        };
        cases.push(case(format!("{key} = max"), mk(max), &[]).has(&[], &[]));
        cases.push(
            case(format!("{key} > max"), mk(max + 0.1), &[])
                .has(&[], &[])
                .errs(errs),
        );
        cases.push(
            case(format!("{key} = 0"), mk(0.0), &[])
                .has(&[], &[])
                .errs(errs),
        );
        cases.push(
            case(format!("{key} < 0"), mk(-1.0), &[])
                .has(&[], &[])
                .errs(errs),
        );
        cases.push(case(format!("{key} = 0.01"), mk(0.01), &[]).has(&[], &[]));
    }
    check(cases);
}

#[test]
fn implausible_z_one_error_per_field() {
    let d = 400;
    let len = value_at_z(Indicator::LengthHeightForAge, Sex::Female, d as f64, 0.0).unwrap();
    check(vec![
        // Weight 30 kg at 13 months: zwei, zwfl and zbmi all flagged → one entry.
        case(
            "heavy balita",
            balita(
                d,
                json!({"weight_kg": 30.0, "lenhei_cm": len, "measure": "l"}),
            ),
            &[],
        )
        .errs(&["measurements.weight_kg"])
        .z("zlen", Some(0.0)),
        // Arm circumference.
        case(
            "muac 30 cm at 13 months",
            balita(d, json!({"muac_cm": 30.0})),
            &[],
        )
        .errs(&["measurements.muac_cm"]),
    ]);
}

#[test]
fn settings_without_shipped_tables_are_refused() {
    // rules.md §10 names `who_increment_p5`, but §2 says its P5 tables are not shipped: the
    // honest answer is to refuse the flag rather than silently screen without the rule.
    let mut s = Settings::default();
    assert!(s.apply("weight_faltering_method=who_increment_p5").is_err());
    assert!(s.apply("weight_faltering_method=waz_drop").is_ok());
    for ok in [
        "kbm_month3_g=600",
        "kbm_month3_g=800",
        "kbm_band_300=7-10",
        "kbm_band_300=7-11",
        "adult_bmi_scale=asia_pacific",
        "adult_bmi_scale=depkes",
        "adult_bmi_min_years=18",
        "adult_bmi_min_years=19",
        "bp_adult_min_years=15",
        "bp_adult_min_years=18",
        "puma_cutoff=6",
        "puma_cutoff=8",
        "srq20_min_years=15",
        "srq20_min_years=19",
        "hb_pregnancy_tm2=10.5",
        "hb_pregnancy_tm2=11.0",
        "je_endemic=true",
        "je_endemic=false",
        "idl_set=post2022",
        "idl_set=pmk12_2017",
        "baduta_set=post2022",
        "baduta_set=pmk12_2017",
        "bgm_waz=-3",
        "muac_sam_cm=11.5",
    ] {
        assert!(Settings::default().apply(ok).is_ok(), "{ok}");
    }
    for bad in [
        "adult_bmi_scale=who",
        "je_endemic=ya",
        "no_such_key=1",
        "kbm_month3_g",
    ] {
        assert!(Settings::default().apply(bad).is_err(), "{bad}");
    }
}

#[test]
fn edges_between_rules() {
    let d = 400;
    let w = |z: f64| balita(d, json!({"weight_kg": wfa_kg("F", d, z)}));
    let wf_pair = |zp: f64, zt: f64| {
        let mut v = balita(400, json!({"weight_kg": wfa_kg("F", 400, zt)}));
        v["previous_weighings"] = json!([wt(&date_minus(45), wfa_kg("F", 355, zp))]);
        v
    };
    const WF: &[&str] = &["weight_faltering"];
    let mut preg12 = bp(12, 150.0, 95.0);
    preg12["sex"] = json!("F");
    preg12["pregnancy"] = json!({"gestational_weeks": 20});
    let mut preg14 = measured("F", &years_old(14, 0), json!({"hb": 10.9}));
    preg14["pregnancy"] = json!({"gestational_weeks": 20});
    let mut nifas14 = measured("F", &years_old(14, 0), json!({"hb": 11.5, "muac_cm": 23}));
    nifas14["postpartum_days"] = json!(5);
    let mut preg_sexless = base("", &years_old(25, 0));
    preg_sexless["pregnancy"] = json!({"gestational_weeks": 20});
    let mut oedema_wf = balita(400, json!({"weight_kg": 7.0, "oedema": true}));
    oedema_wf["previous_weighings"] = json!([wt(&date_minus(30), 9.0)]);
    check(vec![
        // Published z decides (raw −2.004 is published −2.00).
        case("raw zwei -2.004", w(-2.004), &[]).z("zwei", Some(-2.0)),
        case("raw zwei -2.006", w(-2.006), &["wfa_underweight"]).z("zwei", Some(-2.01)),
        case("raw zwei -3.004", w(-3.004), &["wfa_underweight"]).z("zwei", Some(-3.0)),
        case("raw zwei 1.004", w(1.004), &[]).z("zwei", Some(1.0)),
        case("raw zwei -0.004 is 0", w(-0.004), &[]).z("zwei", Some(0.0)),
        // Weight only: only zwei is computed.
        case("weight only", w(0.5), &[]).z("zwei", Some(0.5)).z("zbmi", None).z("zwfl", None).z("zlen", None),
        // Weight-faltering drop of exactly 68 hundredths, whatever the float noise.
        case("drop 0.29 → -0.39", wf_pair(0.29, -0.39), &[]).has(WF, &[]),
        case("drop 1.13 → 0.45", wf_pair(1.13, 0.45), &[]).has(WF, &[]),
        case("drop -2.07 → -2.75", wf_pair(-2.07, -2.75), &[]).has(WF, &[]),
        case("drop 0.07 → -0.61", wf_pair(0.07, -0.61), &[]).has(WF, &[]),
        case("drop 0.57 → -0.11", wf_pair(0.57, -0.11), &[]).has(WF, &[]),
        case("drop 0.28 → -0.39 (67)", wf_pair(0.28, -0.39), &[]).has(&[], WF),
        case("drop 0.56 → -0.11 (67)", wf_pair(0.56, -0.11), &[]).has(&[], WF),
        case("oedema today: no zwei, no faltering, no BGM", oedema_wf, &["kms_t", "nutritional_oedema"]),
        // Maternal hypertension has no age floor beyond the group's 10 y.
        case("pregnant 12 y 150/95", preg12, &["hypertension_maternal"]),
        // A pregnant 14-year-old gets the pregnancy Hb rule only.
        case("pregnant 14 y Hb 10.9 gw 20", preg14, &[]),
        // A 14-year-old in nifas: 12–14 y row (12.0), and KEK.
        case("nifas 14 y Hb 11.5", nifas14, &["anemia_mild", "kek"]),
        case("pregnancy with unknown sex", preg_sexless, &[]).errs(&["sex", "pregnancy"]),
        case("nifas F waist 85", with(measured("F", &years_old(30, 0), json!({"waist_cm": 85})), "postpartum_days", json!(10)), &["central_obesity"]),
        case("suicidal item at 18 y with setting 19", q(18, "F", srq(&[16])), &[]).set(&["srq20_min_years=19"]),
        case("srq20 null item", q(30, "F", json!({"srq20": [null, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]})), &[])
            .errs(&["questionnaires.srq20"]),
        case("kspr_factors not an array", kspr(json!("anemia"), 10.0, Value::Null), &[]).errs(&["pregnancy.kspr_factors"]),
        case("kspr evaluated with bad gw", with(base("F", &years_old(25, 0)), "pregnancy", json!({"gestational_weeks": 50, "kspr_factors": []})), &["kspr_krr"])
            .errs(&["pregnancy.gestational_weeks"]),
        case("BGM but oedema: none", balita(d, json!({"weight_kg": wfa_kg("F", d, -3.5), "oedema": true})), &["nutritional_oedema"]),
        case("anak 10 y with weight: no zwfa after 120 mo", measured("F", &years_old(10, 0), json!({"weight_kg": 30, "lenhei_cm": 138})), &[])
            .z("zwfa", None)
            .has(&[], &[]),
        case("anak 9 y: zwfa", measured("F", &years_old(9, 0), json!({"weight_kg": 27, "lenhei_cm": 132})), &[])
            .has(&[], &[]),
        case("19 y: no WHO 2007 z", measured("F", &years_old(19, 0), json!({"weight_kg": 55, "lenhei_cm": 160})), &[])
            .z("zbfa", None)
            .z("zhfa", None),
    ]);
}

#[test]
fn kms_2t_uses_kbm_at_the_earlier_pair() {
    // Visit at 130 d (4 mo, KBM 600); last on 20 May at 104 d (3 mo, KBM 800 or 600 by setting);
    // the one before on 20 Apr at 74 d.
    let mk = || {
        kms(
            130,
            6.9,
            json!([wt("2025-04-20", 5.7), wt("2025-05-20", 6.4)]),
        )
    };
    // Today +500 < 600: T. Last +700: T with 800, N with 600.
    // Last at 0 completed months is never T, so no 2T after it.
    let young = kms(
        50,
        4.5,
        json!([wt("2025-04-27", 3.5), wt("2025-05-10", 3.9)]),
    );
    check(vec![
        case("last T by month-3 KBM 800", mk(), &[]).has(&["kms_2t", "kms_t"], &[]),
        case("last N by month-3 KBM 600", mk(), &[])
            .has(&["kms_t"], &["kms_2t"])
            .set(&["kbm_month3_g=600"]),
        case("last under 1 month", young, &[]).has(&["kms_t"], &["kms_2t"]),
    ]);
}

#[test]
fn decimal_inputs_are_not_rounded() {
    // rules.md §0: boundaries hold on the given number, BMI is not rounded.
    check(vec![
        case(
            "BMI 18.49999999996",
            body(30, "M", 47.3599999999, 160.0),
            &["bmi_underweight"],
        ),
        case("BMI 18.5 exactly", body(30, "M", 47.36, 160.0), &[]),
        case(
            "BMI 25.0000000004",
            body(30, "M", 64.0000000001, 160.0),
            &["bmi_overweight"],
        )
        .set(&["adult_bmi_scale=depkes"]),
        case(
            "BMI 25 exactly (depkes: no finding)",
            body(30, "M", 64.0, 160.0),
            &[],
        )
        .set(&["adult_bmi_scale=depkes"]),
        case(
            "Hb 12.9999999",
            hb(&years_old(40, 0), "M", 12.9999999),
            &["anemia_mild"],
        ),
        // KMS gain: 199.4999999 g rounds to 199 (T), 199.5 g to 200 (N).
        case(
            "gain 199.4999999 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005000001)])),
            &["kms_t"],
        ),
        case(
            "gain 199.5 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005)])),
            &["kms_n"],
        ),
    ]);
}

#[test]
fn flagged_z_skips_only_the_rules_that_use_it() {
    let d = 400;
    // p's zwei flagged (> 5): weight faltering needs both z unflagged.
    let mut p_flagged = balita(d, json!({"weight_kg": wfa_kg("F", d, 0.0)}));
    p_flagged["previous_weighings"] = json!([wt(&date_minus(30), wfa_kg("F", d - 30, 5.5))]);
    // MUAC 6 cm at 13 months: zac flagged, but muac_sam reads muac_cm, not zac.
    let tiny_arm = balita(d, json!({"muac_cm": 6.0}));
    check(vec![
        case("previous zwei flagged: no faltering", p_flagged, &[])
            .has(&["kms_t"], &["weight_faltering"]),
        case("zac flagged, muac_sam still", tiny_arm, &["muac_sam"])
            .errs(&["measurements.muac_cm"]),
    ]);
    // -0 is written as 0 (WHO-R §3.10).
    let raw = screen_line(
        &balita(d, json!({"weight_kg": wfa_kg("F", d, -0.004)})).to_string(),
        &Settings::default(),
    );
    assert!(
        !raw.contains("-0.0") && !raw.contains(":-0,") && !raw.contains(":-0}"),
        "{raw}"
    );
}

#[test]
fn zscore_keys_follow_who_ranges() {
    // §11.2: WHO 2006 to day 1826; WHO 2007 zhfa/zbfa to 228 months (day 6939.75) and zwfa to
    // 120 months (day 3652.5), whatever the rule group.
    let m = || json!({"weight_kg": 30, "lenhei_cm": 140});
    let keys = |days: i64| -> Vec<String> {
        let out = screen(&[], &measured("F", &days_old(days), m()));
        let mut k: Vec<String> = out["zscores"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(3652), ["zbfa", "zhfa", "zwfa"]);
    assert_eq!(keys(3653), ["zbfa", "zhfa"]);
    assert_eq!(keys(6939), ["zbfa", "zhfa"]);
    assert!(keys(6940).is_empty());
    assert_eq!(keys(1827), ["zbfa", "zhfa", "zwfa"]);
    // Day 1826: WHO 2006; 140 cm is outside the weight-for-height table, so no zwfl.
    assert_eq!(keys(1826), ["zbmi", "zlen", "zwei"]);
    // A pregnant 16-year-old still gets her WHO 2007 z-scores (output is not by rule group).
    let mut p = measured(
        "F",
        &years_old(16, 0),
        json!({"weight_kg": 50, "lenhei_cm": 155}),
    );
    p["pregnancy"] = json!({"gestational_weeks": 20});
    let out = screen(&[], &p);
    assert!(
        out["zscores"]["zbfa"].is_f64() && out["zscores"]["zhfa"].is_f64(),
        "{out}"
    );
    // Unknown keys in pregnancy/measurements are reported; the rest is still used.
    let mut p = measured("F", &years_old(25, 0), json!({"hb": 10, "temp": 37}));
    p["pregnancy"] = json!({"gestational_weeks": 20, "kspr_factors": [], "gravida": 2});
    let out = screen(&[], &p);
    assert_eq!(codes(&out), ["anemia_pregnancy", "kspr_krr"]);
    // The order of errors is not part of the contract.
    let mut errs = error_fields(&out);
    errs.sort();
    assert_eq!(errs, ["measurements.temp", "pregnancy.gravida"]);
    // 1900 was not a leap year.
    let out = screen(&[], &base("F", "1900-02-29"));
    assert_eq!(error_fields(&out), ["birth_date"]);
    assert_eq!(out["age_days"], Value::Null);
}

#[test]
fn same_day_weighings_the_later_entry_counts() {
    // Ambiguous in rules.md §2 ("the latest entry"): two weighings on the same day are a
    // re-weighing, so the entry later in the list is *last*.
    check(vec![
        case(
            "re-weighed heavier: +100 g, T",
            kms(
                400,
                9.0,
                json!([wt("2025-05-20", 8.5), wt("2025-05-20", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "re-weighed lighter: +500 g, N",
            kms(
                400,
                9.0,
                json!([wt("2025-05-20", 8.9), wt("2025-05-20", 8.5)]),
            ),
            &["kms_n"],
        ),
    ]);
}
