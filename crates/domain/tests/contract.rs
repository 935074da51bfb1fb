//! The JSON Lines contract of rules.md §11: output shape, validation of every field, and
//! implausible z-scores. Each case is a real input line through `screen_line`.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use domain::Settings;
use domain::screen::screen_line;
use growth::Indicator;
use serde_json::{Value, json};

#[test]
fn the_example_of_rules_md_answers_with_field_errors() {
    // §11.1 verbatim: srq20 is a placeholder, the girl is 1 year old and both pregnant and
    // postpartum, so those fields are reported and ignored; the rest is screened.
    let line = r#"{"id":"p-001","sex":"F","birth_date":"2024-01-15","visit_date":"2025-03-10",
 "pregnancy":{"gestational_weeks":20,"kspr_factors":["anemia"],"anc_visits":2},
 "postpartum_days":10,
 "measurements":{"weight_kg":8.2,"lenhei_cm":72.5,"measure":"l","head_cm":45.1,
   "muac_cm":14.2,"waist_cm":80,"systolic":120,"diastolic":80,"glucose_random":150,
   "glucose_fasting":95,"cholesterol":210,"hb":11.2,"oedema":false},
 "previous_weighings":[{"date":"2025-02-10","weight_kg":8.0}],
 "immunizations":[{"vaccine":"HB0","date":"2024-01-15"}],
 "questionnaires":{"srq20":[false,false,"… 20 booleans"],
   "puma":{"pack_years":25,"breathless":true,"phlegm":false,"cough":true,"spirometry":false},
   "barthel":18,"skilas":{"cognitive":false,"mobility":true},"tb_symptoms":{"cough_2w":true},
   "vision_fingers_wrong":1}}"#
        .replace('\n', "");
    let out: Value = serde_json::from_str(&screen_line(&line, &Settings::default())).unwrap();
    assert_eq!(out["id"], "p-001");
    assert_eq!(out["age_days"], 420);
    assert_eq!(out["age_months"], 13);
    assert_eq!(
        error_fields(&out),
        ["pregnancy", "postpartum_days", "questionnaires.srq20"]
    );
    // 13 months, +200 g since February: N. Cough ≥ 2 weeks: child TB.
    assert_eq!(codes(&out), ["kms_n", "tb_presumptive_child"]);
    let z = out["zscores"].as_object().unwrap();
    let keys: Vec<&str> = z.keys().map(String::as_str).collect();
    assert_eq!(keys.len(), 6);
    for k in ["zlen", "zwei", "zwfl", "zbmi", "zhc", "zac"] {
        assert!(z[k].is_f64(), "{k}");
    }
    assert_eq!(out["immunization"]["idl_complete"], false);
    for e in out["errors"].as_array().unwrap() {
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_line_that_is_not_an_object_gets_the_dollar_error() {
    for line in [
        "not json", "", "[1,2]", "42", "\"x\"", "null", "{\"id\":", "{} {}",
    ] {
        let out: Value = serde_json::from_str(&screen_line(line, &Settings::default())).unwrap();
        assert_eq!(
            out.as_object().unwrap().keys().collect::<Vec<_>>(),
            [
                "age_days",
                "age_months",
                "errors",
                "findings",
                "id",
                "zscores"
            ],
            "{line:?}"
        );
        assert_eq!(out["id"], Value::Null);
        assert_eq!(out["age_days"], Value::Null);
        assert_eq!(out["age_months"], Value::Null);
        assert_eq!(out["zscores"], json!({}));
        assert_eq!(out["findings"], json!([]));
        assert_eq!(error_fields(&out), ["$"], "{line:?}");
    }
}

#[test]
fn output_keys_are_in_contract_order() {
    let out = screen_line(
        &person("F", &born_days_ago(100)).to_string(),
        &Settings::default(),
    );
    let order = [
        "\"id\"",
        "\"age_days\"",
        "\"age_months\"",
        "\"zscores\"",
        "\"findings\"",
        "\"immunization\"",
        "\"errors\"",
    ];
    let pos: Vec<usize> = order.iter().map(|k| out.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "{out}");
}

#[test]
fn id_problems_do_not_stop_processing() {
    let birth = born_years_ago(30);
    for id in [json!(""), json!(5), json!(null), json!(["a"])] {
        let mut p = measured("M", &birth, json!({"glucose_random": 250}));
        p["id"] = id.clone();
        let out = run(&p);
        assert_eq!(out["id"], Value::Null, "{id}");
        assert_eq!(error_fields(&out), ["id"], "{id}");
        assert_eq!(codes(&out), ["glucose_random_diabetes"]);
    }
    let mut p = person("M", &birth);
    p.as_object_mut().unwrap().remove("id");
    assert_eq!(error_fields(&run(&p)), ["id"]);
}

#[test]
fn unknown_sex_skips_the_rules_that_need_it() {
    let m = json!({"weight_kg": 9.0, "lenhei_cm": 75.0, "hb": 10.5, "waist_cm": 100});
    let out = run(&measured("X", &born_days_ago(400), m.clone()));
    assert_eq!(error_fields(&out), ["sex"]);
    assert_eq!(out["zscores"], json!({}));
    // Balita anaemia does not need sex.
    assert_eq!(codes(&out), ["anemia_mild"]);
    let out = run(&measured(
        "m",
        &born_years_ago(30),
        json!({"hb": 10.5, "waist_cm": 100}),
    ));
    assert_eq!(error_fields(&out), ["sex"]);
    assert!(codes(&out).is_empty(), "anaemia ≥ 15 y and waist need sex");
    let mut p = person("F", &born_years_ago(30));
    p.as_object_mut().unwrap().remove("sex");
    assert_eq!(error_fields(&run(&p)), ["sex"]);
}

#[test]
fn invalid_dates_give_no_age_findings_or_immunization() {
    let cases = [
        ("2024-02-30", VISIT, "birth_date"),
        ("2024/01/01", VISIT, "birth_date"),
        ("2020-01-01", "2025-13-01", "visit_date"),
        ("2025-06-16", VISIT, "visit_date"),
        ("1894-06-15", VISIT, "birth_date"),
    ];
    for (birth, visit, field) in cases {
        let mut p = measured("M", birth, json!({"glucose_random": 300, "weight_kg": 9.0}));
        p["visit_date"] = json!(visit);
        let out = run(&p);
        assert_eq!(error_fields(&out), [field], "{birth} {visit}");
        assert_eq!(out["age_days"], Value::Null);
        assert_eq!(out["age_months"], Value::Null);
        assert_eq!(out["findings"], json!([]));
        assert_eq!(out["zscores"], json!({}));
        assert!(out.get("immunization").is_none());
    }
    // Exactly 130 years old is valid; born today is valid.
    let out = run(&person("F", &born_years_ago(130)));
    assert_eq!(out["errors"], json!([]));
    let out = run(&person("F", VISIT));
    assert_eq!(
        (out["age_days"].clone(), out["age_months"].clone()),
        (json!(0), json!(0))
    );
}

#[test]
fn measurement_values_are_checked_against_their_maxima() {
    let maxima = [
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
    let birth = born_years_ago(40);
    for (key, max) in maxima {
        for (value, ok) in [
            (json!(max), true),
            (json!(max + 0.01), false),
            (json!(0), false),
            (json!(-1.5), false),
            (json!(0.01), true),
            (json!("12"), false),
            (json!(true), false),
            (json!(null), true),
        ] {
            let mut m = json!({});
            m[key] = value.clone();
            if key == "diastolic" {
                m["systolic"] = json!(300);
            }
            let out = run(&measured("M", &birth, m));
            let want: Vec<String> = if ok {
                vec![]
            } else {
                vec![format!("measurements.{key}")]
            };
            assert_eq!(error_fields(&out), want, "{key} = {value}");
            if !ok {
                let msg = out["errors"][0]["message"].as_str().unwrap();
                assert!(
                    msg.contains(&value.to_string()),
                    "message names the value: {msg}"
                );
            }
        }
    }
}

#[test]
fn other_measurement_fields() {
    let birth = born_years_ago(40);
    let cases = [
        (json!({"measure": "L"}), vec![]),
        (json!({"measure": "h"}), vec![]),
        (json!({"measure": "x"}), vec!["measurements.measure"]),
        (json!({"oedema": "yes"}), vec!["measurements.oedema"]),
        (json!({"oedema": false}), vec![]),
        (json!({"height": 150}), vec!["measurements.height"]),
        (json!([1]), vec!["measurements"]),
    ];
    for (m, want) in cases {
        assert_eq!(
            error_fields(&run(&measured("M", &birth, m.clone()))),
            want,
            "{m}"
        );
    }
}

#[test]
fn diastolic_not_below_systolic_drops_both() {
    let birth = born_years_ago(40);
    for (s, d, err) in [(150, 150, true), (150, 160, true), (150, 95, false)] {
        let out = run(&measured(
            "M",
            &birth,
            json!({"systolic": s, "diastolic": d}),
        ));
        if err {
            assert_eq!(error_fields(&out), ["measurements.diastolic"]);
            assert!(codes(&out).is_empty(), "{s}/{d} ignored");
        } else {
            assert_eq!(codes(&out), ["hypertension_grade1"]);
        }
    }
}

#[test]
fn pregnancy_validation() {
    let woman = born_years_ago(25);
    let preg = |p: Value, sex: &str, birth: &str| {
        let mut x = measured(sex, birth, json!({"hb": 10.8, "muac_cm": 22}));
        x["pregnancy"] = p;
        run(&x)
    };
    // Not an object, sex M, under 10: one error on `pregnancy`, treated as not pregnant.
    let out = preg(json!(true), "F", &woman);
    assert_eq!(error_fields(&out), ["pregnancy"]);
    assert_eq!(codes(&out), ["anemia_moderate"]);
    let out = preg(json!({"gestational_weeks": 20}), "M", &woman);
    assert_eq!(error_fields(&out), ["pregnancy"]);
    let out = preg(json!({"gestational_weeks": 20}), "F", &born_years_ago(9));
    assert_eq!(error_fields(&out), ["pregnancy"]);
    assert!(!has(&out, "kek"));
    let out = preg(json!({"gestational_weeks": 20}), "F", &born_years_ago(10));
    assert_eq!(out["errors"], json!([]));
    assert_eq!(codes(&out), ["kek"]);
    // gestational_weeks absent or out of range: error, anaemia at 11.0, ANC skipped.
    for gw in [json!(null), json!(0), json!(45.5), json!("20")] {
        let out = preg(
            json!({"gestational_weeks": gw, "anc_visits": 0}),
            "F",
            &woman,
        );
        assert_eq!(error_fields(&out), ["pregnancy.gestational_weeks"], "{gw}");
        assert_eq!(codes(&out), ["anemia_pregnancy", "kek"], "{gw}");
    }
    for gw in [json!(1), json!(45), json!(20.5)] {
        let out = preg(json!({"gestational_weeks": gw}), "F", &woman);
        assert_eq!(out["errors"], json!([]), "{gw}");
    }
    // Unknown key, bad anc_visits, unknown KSPR factor.
    let out = preg(json!({"gestational_weeks": 30, "parity": 2}), "F", &woman);
    assert_eq!(error_fields(&out), ["pregnancy.parity"]);
    for anc in [json!(2.5), json!(-1), json!(21), json!("3")] {
        let out = preg(
            json!({"gestational_weeks": 30, "anc_visits": anc}),
            "F",
            &woman,
        );
        assert_eq!(error_fields(&out), ["pregnancy.anc_visits"], "{anc}");
        assert!(!has(&out, "anc_behind_schedule"));
    }
    let out = preg(
        json!({"gestational_weeks": 30, "kspr_factors": ["anemia", "twins"]}),
        "F",
        &woman,
    );
    assert_eq!(error_fields(&out), ["pregnancy.kspr_factors[1]"]);
    assert!(codes(&out).iter().all(|c| !c.starts_with("kspr")));
    let out = preg(
        json!({"gestational_weeks": 30, "kspr_factors": "anemia"}),
        "F",
        &woman,
    );
    assert_eq!(error_fields(&out), ["pregnancy.kspr_factors"]);
}

#[test]
fn postpartum_validation_and_nifas_window() {
    let woman = born_years_ago(25);
    let pp = |days: Value, sex: &str, birth: &str| {
        let mut x = measured(sex, birth, json!({"muac_cm": 22}));
        x["postpartum_days"] = days;
        run(&x)
    };
    for bad in [json!(-1), json!(2.5), json!("10"), json!(true)] {
        assert_eq!(
            error_fields(&pp(bad.clone(), "F", &woman)),
            ["postpartum_days"],
            "{bad}"
        );
    }
    assert_eq!(
        error_fields(&pp(json!(10), "M", &woman)),
        ["postpartum_days"]
    );
    assert_eq!(
        error_fields(&pp(json!(10), "F", &born_years_ago(9))),
        ["postpartum_days"]
    );
    assert_eq!(codes(&pp(json!(0), "F", &woman)), ["kek"]);
    assert_eq!(codes(&pp(json!(42), "F", &woman)), ["kek"]);
    let out = pp(json!(43), "F", &woman);
    assert_eq!(out["errors"], json!([]));
    assert!(codes(&out).is_empty(), "> 42 days is not nifas");
    let mut both = measured("F", &woman, json!({}));
    both["pregnancy"] = json!({"gestational_weeks": 10});
    both["postpartum_days"] = json!(5);
    assert_eq!(error_fields(&run(&both)), ["postpartum_days"]);
}

#[test]
fn a_bad_weighing_voids_the_whole_history() {
    let birth = born_days_ago(400);
    let cases = [
        (
            json!([{"date": "2025-05-10", "weight_kg": 0}]),
            "previous_weighings[0].weight_kg",
        ),
        (
            json!([{"date": VISIT, "weight_kg": 8.0}]),
            "previous_weighings[0].date",
        ),
        (
            json!([{"date": "2020-01-01", "weight_kg": 8.0}]),
            "previous_weighings[0].date",
        ),
        (
            json!([{"date": "2025-05-10", "weight_kg": 8.0}, {"date": "2025-04-31", "weight_kg": 8.0}]),
            "previous_weighings[1].date",
        ),
        (
            json!([{"date": "2025-05-10"}]),
            "previous_weighings[0].weight_kg",
        ),
        (
            json!([{"date": "2025-05-10", "weight_kg": 8.0}, 3]),
            "previous_weighings[1]",
        ),
        (json!({"date": "2025-05-10"}), "previous_weighings"),
    ];
    for (hist, field) in cases {
        let mut p = measured("F", &birth, json!({"weight_kg": 9.0}));
        p["previous_weighings"] = hist.clone();
        let out = run(&p);
        assert_eq!(error_fields(&out), [field], "{hist}");
        assert!(
            codes(&out).iter().all(|c| !c.starts_with("kms_")),
            "{hist}: history ignored"
        );
    }
    // A weighing on the birth date is valid.
    let mut p = measured("F", &birth, json!({"weight_kg": 9.0}));
    p["previous_weighings"] = json!([{"date": birth, "weight_kg": 3.0}]);
    let out = run(&p);
    assert_eq!(out["errors"], json!([]));
    assert_eq!(codes(&out), ["kms_o"]);
}

#[test]
fn a_bad_dose_is_dropped_alone_and_repeats_keep_the_earliest() {
    let birth = born_days_ago(100);
    let mut p = person("F", &birth);
    p["immunizations"] = json!([
        {"vaccine": "HB0", "date": birth},
        {"vaccine": "XYZ", "date": birth},
        {"vaccine": "BCG", "date": "2025-06-16"},
        {"vaccine": "OPV1", "date": "2020-01-01"},
        {"vaccine": "BCG"},
        "OPV1"
    ]);
    let out = run(&p);
    assert_eq!(
        error_fields(&out),
        [
            "immunizations[1].vaccine",
            "immunizations[2].date",
            "immunizations[3].date",
            "immunizations[4].date",
            "immunizations[5]"
        ]
    );
    // HB0 kept (not listed); BCG and OPV1 not recorded so overdue.
    let overdue = out["immunization"]["overdue"].as_array().unwrap();
    assert!(!overdue.contains(&json!("HB0")));
    assert!(overdue.contains(&json!("BCG")) && overdue.contains(&json!("OPV1")));
    let mut p = person("F", &birth);
    p["immunizations"] = json!("HB0");
    assert_eq!(error_fields(&run(&p)), ["immunizations"]);
}

#[test]
fn questionnaire_validation() {
    let birth = born_years_ago(65);
    let srq = |n: usize| json!((0..n).map(|_| true).collect::<Vec<_>>());
    let cases = [
        (json!({"srq20": srq(19)}), "questionnaires.srq20"),
        (json!({"srq20": srq(21)}), "questionnaires.srq20"),
        (
            json!({"puma": {"pack_years": 10, "breathless": true, "phlegm": true, "cough": true}}),
            "questionnaires.puma",
        ),
        (
            json!({"puma": {"pack_years": 201, "breathless": true, "phlegm": true, "cough": true, "spirometry": true}}),
            "questionnaires.puma",
        ),
        (json!({"barthel": 21}), "questionnaires.barthel"),
        (json!({"barthel": 3.5}), "questionnaires.barthel"),
        (json!({"barthel": -1}), "questionnaires.barthel"),
        (
            json!({"skilas": {"memory": true}}),
            "questionnaires.skilas.memory",
        ),
        (
            json!({"skilas": {"cognitive": "ya"}}),
            "questionnaires.skilas.cognitive",
        ),
        (json!({"skilas": [true]}), "questionnaires.skilas"),
        (
            json!({"tb_symptoms": {"cough_3w": true}}),
            "questionnaires.tb_symptoms.cough_3w",
        ),
        (
            json!({"vision_fingers_wrong": 6}),
            "questionnaires.vision_fingers_wrong",
        ),
        (
            json!({"vision_fingers_wrong": 1.5}),
            "questionnaires.vision_fingers_wrong",
        ),
        (json!({"sdq": 3}), "questionnaires.sdq"),
        (json!([1]), "questionnaires"),
    ];
    for (q, field) in cases {
        let mut p = person("M", &birth);
        p["questionnaires"] = q.clone();
        let out = run(&p);
        assert_eq!(error_fields(&out), [field], "{q}");
        assert!(codes(&out).is_empty(), "{q}: invalid questionnaire ignored");
    }
    // A bad key voids the whole SKILAS, even its valid domains.
    let mut p = person("M", &birth);
    p["questionnaires"] = json!({"skilas": {"cognitive": true, "memory": true}, "barthel": 20});
    assert!(codes(&run(&p)).is_empty());
    // Integers may be written 3.0; skilas null values are absent.
    p["questionnaires"] = json!({"barthel": 3.0, "skilas": {"cognitive": null, "hearing": true}});
    let out = run(&p);
    assert_eq!(out["errors"], json!([]));
    assert_eq!(codes(&out), ["adl_total_dependency", "skilas_hearing"]);
}

#[test]
fn unknown_top_level_keys_and_nulls_are_ignored() {
    let mut p = measured(
        "M",
        &born_years_ago(30),
        json!({"hb": null, "waist_cm": 95}),
    );
    p["nik"] = json!("3201010101010001");
    p["pregnancy"] = Value::Null;
    p["previous_weighings"] = Value::Null;
    p["questionnaires"] = Value::Null;
    let out = run(&p);
    assert_eq!(out["errors"], json!([]));
    assert_eq!(codes(&out), ["central_obesity"]);
}

#[test]
fn implausible_z_is_shown_not_classified_and_asks_for_a_re_measure() {
    // A 400-day-old girl weighing 40 kg: zwei, zwfl and zbmi are all flagged.
    let birth = born_days_ago(400);
    let len = at_z(Indicator::LengthHeightForAge, "F", 400.0, 0.0);
    let out = run(&measured(
        "F",
        &birth,
        json!({"weight_kg": 40.0, "lenhei_cm": len, "head_cm": 80.0 - 15.0}),
    ));
    assert!(out["zscores"]["zwei"].as_f64().unwrap() > 5.0);
    assert_eq!(
        error_fields(&out),
        ["measurements.weight_kg", "measurements.head_cm"],
        "{out}"
    );
    let c = codes(&out);
    assert!(
        c.iter().all(|c| !c.starts_with("wfa_")
            && !c.starts_with("wfl_")
            && !c.starts_with("bfa_u5")
            && !c.starts_with("hc_")),
        "{c:?}"
    );
    // A plausible z just inside the flag limit is classified.
    let w = at_z(Indicator::WeightForAge, "F", 400.0, 4.9);
    let out = run(&measured("F", &birth, json!({"weight_kg": w})));
    assert_eq!(out["errors"], json!([]));
    assert_eq!(codes(&out), ["wfa_risk_overweight"]);
}

#[test]
fn findings_are_sorted_unique_and_zscores_follow_who_ranges() {
    let out = run(&measured(
        "M",
        &born_years_ago(70),
        json!({"systolic": 190, "diastolic": 80, "hb": 7.5, "cholesterol": 300,
               "glucose_random": 300, "glucose_fasting": 200, "waist_cm": 120,
               "weight_kg": 100, "lenhei_cm": 160, "muac_cm": 20}),
    ));
    let c = codes(&out);
    let mut sorted = c.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(c, sorted);
    assert_eq!(out["zscores"], json!({}), "70 y: WHO computes nothing");
    assert!(out.get("immunization").is_none());
    // 10 y: zhfa, zbfa and zwfa; 15 y: zhfa and zbfa only; 1826/1827 days switch standards.
    let keys = |birth: &str, m: Value| {
        let out = run(&measured("F", birth, m));
        let mut k: Vec<String> = out["zscores"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    };
    let school = json!({"weight_kg": 30, "lenhei_cm": 135});
    let small = json!({"weight_kg": 18, "lenhei_cm": 110});
    assert_eq!(
        keys(&born_years_ago(9), school.clone()),
        ["zbfa", "zhfa", "zwfa"]
    );
    assert_eq!(
        keys(&born_years_ago(10), school.clone()),
        ["zbfa", "zhfa"],
        "120.02 mo"
    );
    assert_eq!(keys(&born_years_ago(15), school.clone()), ["zbfa", "zhfa"]);
    assert_eq!(
        keys(&born_years_ago(19), school.clone()),
        Vec::<String>::new()
    );
    assert_eq!(
        keys(&born_days_ago(1826), small.clone()),
        ["zbmi", "zlen", "zwei", "zwfl"]
    );
    assert_eq!(
        keys(&born_days_ago(1827), small.clone()),
        ["zbfa", "zhfa", "zwfa"]
    );
    let m = small;
    let out = run(&measured("F", &born_days_ago(1826), m.clone()));
    assert!(out.get("immunization").is_some());
    let out = run(&measured("F", &born_days_ago(1827), m));
    assert!(out.get("immunization").is_none());
}
