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

/// JSON pointers of every number in `v`.
fn number_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Number(_) => out.push(at),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                number_pointers(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                let k = k.replace('~', "~0").replace('/', "~1");
                number_pointers(x, format!("{at}/{k}"), out);
            }
        }
        _ => {}
    }
}

/// Everything of an answer but the error messages.
fn without_messages(out: &str) -> Value {
    let mut v: Value = serde_json::from_str(out).unwrap();
    for e in v["errors"].as_array_mut().unwrap() {
        e.as_object_mut().unwrap().remove("message");
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Issue 7 item 8: a number too large for f64 anywhere in a line is answered exactly as
    /// a merely out-of-range number there (1.2345e300), shown as written: same id, age,
    /// z-scores, findings and error fields.
    #[test]
    fn an_overflowing_number_anywhere_is_an_ordinary_bad_value(
        birth in prop::sample::select(vec!["2024-01-15", "1950-06-01", "2012-03-03"]),
        rest in prop::collection::btree_map(
            prop::sample::select(vec!["pregnancy", "postpartum_days", "measurements",
                "previous_weighings", "immunizations", "questionnaires", "extra"]),
            json_value(), 0..6),
        pick in any::<prop::sample::Index>(),
        negative in any::<bool>(),
    ) {
        let mut p = json!({"id": "p", "sex": "F", "birth_date": birth, "visit_date": "2025-03-10",
            "measurements": {"weight_kg": 8.2}});
        for (k, v) in rest {
            p[k] = v;
        }
        let mut pointers = Vec::new();
        number_pointers(&p, String::new(), &mut pointers);
        if pointers.is_empty() {
            p["n"] = json!(1);
            pointers.push("/n".to_owned());
        }
        let at = pick.get(&pointers).clone();
        let (big, huge) = if negative { (-1.2345e300, "-1e400") } else { (1.2345e300, "1e400") };
        *p.pointer_mut(&at).unwrap() = json!(big);
        let plain = p.to_string();
        let shown_big = json!(big).to_string();
        prop_assert_eq!(plain.matches(&shown_big).count(), 1);
        let overflowing = plain.replace(&shown_big, huge);
        let (a, b) = (
            screen_line(&plain, &Settings::default()),
            screen_line(&overflowing, &Settings::default()),
        );
        let (a_fields, b_fields) = (without_messages(&a), without_messages(&b));
        prop_assert_eq!(&a_fields, &b_fields);
        prop_assert_eq!(b_fields["id"].as_str(), Some("p"));
        // Shown as written wherever the plain number is shown (the shorter literal fits
        // wherever the longer one did), and never as the stand-in.
        prop_assert!(!a.contains(&shown_big) || b.contains(huge), "{} / {}", a, b);
        prop_assert!(!b.contains("e+302") && !b.contains("1.00000000000"), "{}", b);
    }
}
