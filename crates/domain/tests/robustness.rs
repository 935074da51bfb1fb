//! Whatever arrives on a line, `screen_line` answers with one well-formed output line and
//! never panics (rules.md §11: a bad line never stops the batch).
#![allow(clippy::unwrap_used)]

use domain::Settings;
use domain::screen::screen_line;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Arbitrary JSON, biased towards the contract's own keys and plausible values.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1e6f64..1e6).prop_map(|x| json!(x)),
        (-50i64..400).prop_map(|x| json!(x)),
        prop::sample::select(vec![
            "M",
            "F",
            "l",
            "h",
            "2024-01-15",
            "2025-03-10",
            "2024-02-30",
            "HB0",
            "BCG",
            "MR2",
            "anemia",
            "breech",
            "",
            "x",
        ])
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop::sample::select(vec![
            "id",
            "sex",
            "birth_date",
            "visit_date",
            "pregnancy",
            "postpartum_days",
            "measurements",
            "weight_kg",
            "lenhei_cm",
            "measure",
            "muac_cm",
            "systolic",
            "diastolic",
            "hb",
            "oedema",
            "previous_weighings",
            "date",
            "immunizations",
            "vaccine",
            "questionnaires",
            "srq20",
            "puma",
            "barthel",
            "skilas",
            "cognitive",
            "tb_symptoms",
            "cough",
            "gestational_weeks",
            "kspr_factors",
            "anc_visits",
            "other",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..8).prop_map(|m| Value::Object(
                m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
            )),
        ]
    })
}

fn check(line: &str) {
    let out = screen_line(line, &Settings::default());
    assert!(!out.contains('\n'));
    let v: Value = serde_json::from_str(&out).unwrap();
    for key in [
        "id",
        "age_days",
        "age_months",
        "zscores",
        "findings",
        "errors",
    ] {
        assert!(v.get(key).is_some(), "{key} missing for {line}: {out}");
    }
    assert!(v["findings"].is_array() && v["errors"].is_array() && v["zscores"].is_object());
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let code = f["code"].as_str().unwrap();
            let rule = domain::catalogue::by_code(code).unwrap();
            assert_eq!(f["action"], rule.action.as_str());
            assert_eq!(f.as_object().unwrap().len(), 2, "{{code, action}} only");
            code
        })
        .collect();
    assert!(
        codes.windows(2).all(|w| w[0] < w[1]),
        "sorted, unique: {codes:?}"
    );
    for e in v["errors"].as_array().unwrap() {
        assert!(e["field"].is_string() && e["message"].is_string());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn any_json_gets_an_answer(v in json_value()) {
        check(&v.to_string());
    }

    #[test]
    fn any_person_like_object_gets_an_answer(
        birth in prop::sample::select(vec!["2024-01-15", "1950-06-01", "2012-03-03", "2025-03-10", "1890-01-01"]),
        sex in prop::sample::select(vec!["M", "F", "?"]),
        rest in prop::collection::btree_map(
            prop::sample::select(vec!["pregnancy", "postpartum_days", "measurements",
                "previous_weighings", "immunizations", "questionnaires"]),
            json_value(), 0..6),
    ) {
        let mut p = json!({"id": "p", "sex": sex, "birth_date": birth, "visit_date": "2025-03-10"});
        for (k, v) in rest {
            p[k] = v;
        }
        check(&p.to_string());
    }

    #[test]
    fn any_text_gets_an_answer(s in ".{0,200}") {
        check(&s);
    }
}
