//! Age arithmetic, output shape, validation and implausible z (rules.md §0, §11).

use super::*;

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
