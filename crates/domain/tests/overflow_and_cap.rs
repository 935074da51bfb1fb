//! Issue 7 item 8: a number too large for f64 (`1e400`) is an error on its own field, the id
//! and the rest of the line kept; and a line lists at most `MAX_ERRORS` errors plus a count.
#![allow(clippy::unwrap_used)]

use domain::Settings;
use domain::screen::{MAX_ERRORS, screen_line};
use serde_json::{Value, json};

fn answer(line: &str) -> Value {
    serde_json::from_str(&screen_line(line, &Settings::default())).unwrap()
}

fn fields(out: &Value) -> Vec<&str> {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect()
}

fn message<'a>(out: &'a Value, field: &str) -> &'a str {
    out["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str())
        .unwrap_or_else(|| panic!("no error on {field}: {out}"))
}

const BALITA: &str = r#""sex":"F","birth_date":"2024-01-15","visit_date":"2025-03-10""#;

#[test]
fn an_overflowing_weight_is_an_error_on_that_field_and_the_rest_is_screened() {
    let bad = answer(&format!(
        r#"{{"id":"p-1",{BALITA},"measurements":{{"weight_kg":1e400,"lenhei_cm":72.5,"head_cm":45.1}}}}"#
    ));
    // The same line without the weight is what the rest of the line is worth.
    let without = answer(&format!(
        r#"{{"id":"p-1",{BALITA},"measurements":{{"lenhei_cm":72.5,"head_cm":45.1}}}}"#
    ));
    assert_eq!(bad["id"], "p-1");
    assert_eq!(fields(&bad), ["measurements.weight_kg"]);
    let msg = message(&bad, "measurements.weight_kg");
    assert!(msg.contains("1e400") && msg.contains("300"), "{msg}");
    for key in [
        "age_days",
        "age_months",
        "zscores",
        "findings",
        "immunization",
    ] {
        assert_eq!(bad[key], without[key], "{key}");
    }
    assert!(bad["zscores"]["zlen"].is_number() && bad["zscores"].get("zwei").is_none());
}

#[test]
fn overflows_anywhere_keep_their_paths_and_show_the_number_as_written() {
    let line = format!(
        r#"{{"id":"p-2",{BALITA},"unknown_top":1e999,
        "measurements":{{"weight_kg":8.2,"hb":-1E+400}},
        "previous_weighings":[{{"date":"2025-02-10","weight_kg":8.0}},{{"date":"2025-01-10","weight_kg":{big}}}],
        "questionnaires":{{"barthel":2e308}}}}"#,
        big = "9".repeat(400)
    )
    .replace('\n', "");
    let out = answer(&line);
    assert_eq!(out["id"], "p-2");
    assert_eq!(
        fields(&out),
        [
            "measurements.hb",
            "previous_weighings[1].weight_kg",
            "questionnaires.barthel"
        ]
    );
    assert!(message(&out, "measurements.hb").contains("-1E+400"));
    assert!(message(&out, "questionnaires.barthel").contains("2e308"));
    let w = message(&out, "previous_weighings[1].weight_kg");
    assert!(
        w.contains("99999") && w.contains('…') && !w.contains("e+302"),
        "{w}"
    );
    // The valid weight is still scored; the whole history is ignored (§11.3).
    assert!(out["zscores"]["zwei"].is_number());
    let codes: Vec<&str> = out["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.iter().any(|c| c.starts_with("kms_")), "{codes:?}");
}

#[test]
fn an_overflowing_id_or_line_is_reported_with_its_value() {
    let out = answer(&format!(r#"{{"id":1e400,{BALITA}}}"#));
    assert_eq!(out["id"], Value::Null);
    assert_eq!(fields(&out), ["id"]);
    assert!(message(&out, "id").contains("1e400"));
    assert!(out["age_days"].is_number());

    let out = answer("-1e400");
    assert_eq!(fields(&out), ["$"]);
    assert!(message(&out, "$").contains("-1e400"), "{out}");

    // Broken JSON stays a line error, whatever numbers it holds.
    let out = answer(r#"{"id":"p-3","weight_kg":1e400,"#);
    assert_eq!(fields(&out), ["$"]);
    assert_eq!(out["id"], Value::Null);
}

#[test]
fn numbers_that_only_look_big_are_untouched() {
    // 1e-400 reads as 0 (an ordinary invalid weight); "1e400" in a string is text.
    let out = answer(&format!(
        r#"{{"id":"1e400",{BALITA},"measurements":{{"weight_kg":1e-400}}}}"#
    ));
    assert_eq!(out["id"], "1e400");
    assert_eq!(fields(&out), ["measurements.weight_kg"]);
}

fn doses(n: usize) -> String {
    let doses: Vec<Value> = (0..n)
        .map(|i| json!({"vaccine": format!("XX{i}"), "date": "2024-02-01"}))
        .collect();
    let mut line = json!({"id": "many", "sex": "F", "birth_date": "2024-01-15",
        "visit_date": "2025-03-10", "measurements": {"weight_kg": 8.2}});
    line["immunizations"] = Value::Array(doses);
    line.to_string()
}

#[test]
fn errors_are_capped_with_a_count_of_the_rest() {
    let out = answer(&doses(MAX_ERRORS + 150));
    let f = fields(&out);
    assert_eq!(f.len(), MAX_ERRORS + 1);
    for (i, field) in f[..MAX_ERRORS].iter().enumerate() {
        assert_eq!(*field, format!("immunizations[{i}].vaccine"));
    }
    assert_eq!(f[MAX_ERRORS], "$");
    let last = out["errors"][MAX_ERRORS]["message"].as_str().unwrap();
    assert!(
        last.contains("150") && last.contains(&MAX_ERRORS.to_string()),
        "{last}"
    );
    // The rest of the line is still screened.
    assert_eq!(out["id"], "many");
    assert!(out["zscores"]["zwei"].is_number());
}

#[test]
fn exactly_the_cap_needs_no_count() {
    let out = answer(&doses(MAX_ERRORS));
    let f = fields(&out);
    assert_eq!(f.len(), MAX_ERRORS);
    assert!(f.iter().all(|f| f.starts_with("immunizations[")));
}

#[test]
fn an_implausible_z_beyond_the_cap_is_counted_not_listed() {
    // 100 bad doses fill the list; the implausible weight (zwei far beyond ±6) is counted.
    let mut alone: Value = serde_json::from_str(&doses(0)).unwrap();
    alone["measurements"]["weight_kg"] = json!(40);
    assert_eq!(
        fields(&answer(&alone.to_string())),
        ["measurements.weight_kg"]
    );
    let mut line: Value = serde_json::from_str(&doses(MAX_ERRORS)).unwrap();
    line["measurements"]["weight_kg"] = json!(40);
    let out = answer(&line.to_string());
    let f = fields(&out);
    assert_eq!(f.len(), MAX_ERRORS + 1);
    assert!(!f.contains(&"measurements.weight_kg"));
    assert!(
        out["errors"][MAX_ERRORS]["message"]
            .as_str()
            .unwrap()
            .starts_with("1 ")
    );
}
