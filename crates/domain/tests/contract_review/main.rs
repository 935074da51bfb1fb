//! Independent contract review of rules.md: every case below was written from the document
//! alone (thresholds just below, at and just above; age and group edges; settings; §11
//! validation) and only then run through the real `screen_line`. Expected values are the
//! document's, never copied from the program's output.
#![allow(clippy::unwrap_used)]

mod anthropometry;
mod body_anaemia_questionnaires;
mod contract;
mod edges;
mod immunization;
mod kms;
mod oracle;
mod pressure_and_maternal;
mod z_oracle;

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

fn pregnant(years: i32, gw: Value, m: Value) -> Value {
    let mut v = measured("F", &years_old(years, 0), m);
    v["pregnancy"] = json!({"gestational_weeks": gw});
    v
}

fn kspr(factors: Value, gw: f64, anc: Value) -> Value {
    with(
        base("F", &years_old(25, 0)),
        "pregnancy",
        json!({"gestational_weeks": gw, "kspr_factors": factors, "anc_visits": anc}),
    )
}

fn chem(years: i32, m: Value) -> Value {
    measured("F", &years_old(years, 0), m)
}

fn body(years: i32, sex: &str, w: f64, h: f64) -> Value {
    measured(
        sex,
        &years_old(years, 0),
        json!({"weight_kg": w, "lenhei_cm": h}),
    )
}

fn hb(birth: &str, sex: &str, hb: f64) -> Value {
    measured(sex, birth, json!({"hb": hb}))
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

fn kms(days: i64, today: f64, prev: Value) -> Value {
    let mut v = balita(days, json!({"weight_kg": today}));
    v["previous_weighings"] = prev;
    v
}

fn wt(date: &str, kg: f64) -> Value {
    json!({"date": date, "weight_kg": kg})
}

fn adult_m(m: Value) -> Value {
    measured("M", &years_old(30, 0), m)
}
