//! `domain::screen::screen_line` on any line: one JSON object answers it (rules.md §11.2),
//! with every key of the contract, at most 101 errors, and the id kept whenever the line
//! was a JSON object whose `id` is a non-empty string.
#![no_main]

use domain::Settings;
use domain::screen::{MAX_ERRORS, screen_line};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    // The CLI hands over one line at a time, without its newline.
    if line.contains('\n') {
        return;
    }
    let out = screen_line(line, &Settings::default());
    assert!(!out.contains('\n'), "one line out: {out}");
    let v: Value = serde_json::from_str(&out).expect("the answer is JSON");
    let o = v.as_object().expect("the answer is an object");
    for key in [
        "id",
        "age_days",
        "age_months",
        "zscores",
        "findings",
        "errors",
    ] {
        assert!(o.contains_key(key), "{key} missing: {out}");
    }
    let errors = v["errors"].as_array().expect("errors is an array");
    assert!(errors.len() <= MAX_ERRORS + 1, "{} errors", errors.len());
    for e in errors {
        assert!(e["field"].is_string() && e["message"].is_string(), "{e}");
    }
    for f in v["findings"].as_array().expect("findings is an array") {
        let code = f["code"].as_str().expect("a code");
        assert!(
            domain::catalogue::by_code(code).is_some(),
            "unknown code {code}"
        );
    }
    // The id survives whatever else is wrong with an object line.
    if let Ok(Value::Object(input)) = serde_json::from_str::<Value>(line)
        && let Some(Value::String(id)) = input.get("id")
        && !id.is_empty()
    {
        assert_eq!(v["id"].as_str(), Some(id.as_str()), "id lost: {out}");
    }
    if v["age_days"].is_null() {
        assert!(v["findings"].as_array().is_some_and(Vec::is_empty));
    }
});
