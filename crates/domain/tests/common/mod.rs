//! Helpers shared by the integration tests: build JSON Lines input, run the real contract
//! (`screen_line`), read the answer back.
#![allow(dead_code, clippy::unwrap_used)]

use domain::Settings;
use domain::screen::screen_line;
use growth::{Indicator, Sex, value_at_z};
use serde_json::{Value, json};
use time::{Date, Duration};

/// Screen one input object with `settings` (`key=value` pairs) and parse the answer.
pub fn run_with(input: &Value, settings: &[&str]) -> Value {
    let mut s = Settings::default();
    for pair in settings {
        s.apply(pair).unwrap();
    }
    let out = screen_line(&input.to_string(), &s);
    assert!(!out.contains('\n'), "one output line per input line");
    serde_json::from_str(&out).unwrap()
}

pub fn run(input: &Value) -> Value {
    run_with(input, &[])
}

/// The finding codes of an answer, in output order.
pub fn codes(out: &Value) -> Vec<String> {
    out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The `field` of every error of an answer.
pub fn error_fields(out: &Value) -> Vec<String> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect()
}

pub fn has(out: &Value, code: &str) -> bool {
    codes(out).iter().any(|c| c == code)
}

pub const VISIT: &str = "2025-06-15";

pub fn visit_date() -> Date {
    domain::age::parse_iso_date(VISIT).unwrap()
}

/// The birth date that makes someone exactly `days` old on [`VISIT`].
pub fn born_days_ago(days: i64) -> String {
    (visit_date() - Duration::days(days)).to_string()
}

/// A birth date `years` calendar years before [`VISIT`] (birthday today).
pub fn born_years_ago(years: i32) -> String {
    let v = visit_date();
    v.replace_year(v.year() - years).unwrap().to_string()
}

/// A minimal valid input line.
pub fn person(sex: &str, birth_date: &str) -> Value {
    json!({"id": "t-1", "sex": sex, "birth_date": birth_date, "visit_date": VISIT})
}

/// A person with measurements.
pub fn measured(sex: &str, birth_date: &str, m: Value) -> Value {
    let mut p = person(sex, birth_date);
    p["measurements"] = m;
    p
}

pub fn growth_sex(sex: &str) -> Sex {
    if sex == "M" { Sex::Male } else { Sex::Female }
}

/// The WHO measurement at `z` (age in days, or length in cm for weight-for-length).
pub fn at_z(ind: Indicator, sex: &str, x: f64, z: f64) -> f64 {
    value_at_z(ind, growth_sex(sex), x, z).unwrap()
}
