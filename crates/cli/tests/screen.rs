//! `posyandu screen` end to end: the real binary on real JSON Lines.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

fn screen(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .arg("screen")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().unwrap();
    // The binary may exit before reading stdin (a bad flag): a broken pipe is fine then.
    if let Err(e) = writer.join().unwrap() {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe);
    }
    out
}

fn lines(out: &Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn codes(v: &Value) -> Vec<&str> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

/// One person per life-cycle group, plus broken lines in between.
const VILLAGE: &str = r#"{"id":"balita","sex":"F","birth_date":"2024-01-15","visit_date":"2025-03-10","measurements":{"weight_kg":8.2,"lenhei_cm":72.5,"measure":"l","head_cm":45.1,"muac_cm":14.2},"previous_weighings":[{"date":"2025-02-10","weight_kg":8.0}],"immunizations":[{"vaccine":"HB0","date":"2024-01-15"},{"vaccine":"BCG","date":"2024-01-20"},{"vaccine":"OPV1","date":"2024-01-20"}]}
this is not json
{"id":"sekolah","sex":"M","birth_date":"2015-03-01","visit_date":"2025-03-10","measurements":{"weight_kg":45,"lenhei_cm":140}}
["an","array"]
{"id":"remaja","sex":"F","birth_date":"2010-03-01","visit_date":"2025-03-10","measurements":{"systolic":132,"diastolic":78,"hb":11.5},"questionnaires":{"tb_symptoms":{"cough":true}}}
{"id":"bumil","sex":"F","birth_date":"1998-07-01","visit_date":"2025-03-10","pregnancy":{"gestational_weeks":28,"anc_visits":2,"kspr_factors":["short_interval"]},"measurements":{"muac_cm":22.8,"hb":10.2,"systolic":142,"diastolic":88}}
{"id":"nifas","sex":"F","birth_date":"1995-02-01","visit_date":"2025-03-10","postpartum_days":12,"measurements":{"muac_cm":23.0,"hb":11.6}}
{"id":"dewasa","sex":"M","birth_date":"1980-05-05","visit_date":"2025-03-10","measurements":{"weight_kg":82,"lenhei_cm":168,"waist_cm":96,"systolic":150,"diastolic":85,"glucose_random":205,"cholesterol":230},"questionnaires":{"puma":{"pack_years":35,"breathless":true,"phlegm":true,"cough":true,"spirometry":false}}}
{"id":"lansia","sex":"F","birth_date":"1950-01-01","visit_date":"2025-03-10","measurements":{"muac_cm":20.5,"weight_kg":45,"lenhei_cm":150},"questionnaires":{"barthel":10,"skilas":{"hearing":true},"vision_fingers_wrong":3}}
"#;

#[test]
fn one_answer_per_line_in_order_for_every_group() {
    let out = screen(&[], VILLAGE.as_bytes());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = lines(&out);
    assert_eq!(v.len(), 9);
    let ids: Vec<&Value> = v.iter().map(|l| &l["id"]).collect();
    assert_eq!(
        ids,
        [
            &json!("balita"),
            &Value::Null,
            &json!("sekolah"),
            &Value::Null,
            &json!("remaja"),
            &json!("bumil"),
            &json!("nifas"),
            &json!("dewasa"),
            &json!("lansia")
        ]
    );
    // Balita: N, z-scores and the due list.
    assert_eq!(v[0]["age_days"], 420);
    assert_eq!(v[0]["age_months"], 13);
    assert_eq!(codes(&v[0]), ["kms_n"]);
    assert_eq!(v[0]["zscores"].as_object().unwrap().len(), 6);
    assert_eq!(
        v[0]["immunization"],
        json!({"due": [], "overdue": ["DPT_HB_HIB1", "OPV2", "IPV1", "MR1"],
               "idl_complete": false, "baduta_complete": false})
    );
    // Broken lines: the `$` error, nothing else.
    for i in [1, 3] {
        assert_eq!(v[i]["errors"][0]["field"], "$");
        assert_eq!(v[i]["findings"], json!([]));
    }
    // School age: BMI-for-age obese; WHO 2007 z-scores; no immunization.
    assert_eq!(codes(&v[2]), ["bfa_obese"]);
    assert!(v[2]["zscores"]["zbfa"].as_f64().unwrap() > 2.0);
    assert!(v[2].get("immunization").is_none());
    // Adolescent girl: AAP stage 1, adult TB symptom (15 y), 15 y anaemia row.
    assert_eq!(
        codes(&v[4]),
        [
            "anemia_mild",
            "hypertension_stage1_adolescent",
            "tb_presumptive_adult"
        ]
    );
    assert_eq!(
        codes(&v[5]),
        [
            "anc_behind_schedule",
            "anemia_pregnancy",
            "hypertension_grade1",
            "hypertension_isolated_systolic",
            "hypertension_maternal",
            "kek",
            "kspr_krt"
        ]
    );
    assert_eq!(codes(&v[6]), ["anemia_mild", "kek"]);
    assert_eq!(
        codes(&v[7]),
        [
            "bmi_obese_1",
            "central_obesity",
            "cholesterol_borderline",
            "glucose_random_diabetes",
            "hypertension_grade1",
            "hypertension_isolated_systolic",
            "puma_high_risk"
        ]
    );
    assert_eq!(
        codes(&v[8]),
        [
            "adl_moderate_dependency",
            "skilas_hearing",
            "skilas_malnutrition",
            "vision_impairment_suspect"
        ]
    );
    for l in &v {
        for f in l["findings"].as_array().unwrap() {
            let a = f["action"].as_str().unwrap();
            assert!(["edukasi", "pantau", "rujuk"].contains(&a));
        }
    }
}

#[test]
fn settings_change_the_answer() {
    let adult = r#"{"id":"a","sex":"M","birth_date":"1980-05-05","visit_date":"2025-03-10","measurements":{"weight_kg":75,"lenhei_cm":170}}"#;
    let out = screen(&[], adult.as_bytes());
    assert_eq!(codes(&lines(&out)[0]), ["bmi_obese_1"]);
    // 75 / 1.70² = 25.95: obese I on the Asia-Pacific scale, overweight on Depkes's.
    let out = screen(&["--setting", "adult_bmi_scale=depkes"], adult.as_bytes());
    assert!(out.status.success());
    assert_eq!(codes(&lines(&out)[0]), ["bmi_overweight"]);
    let out = screen(
        &[
            "--setting",
            "adult_bmi_scale=depkes",
            "--setting",
            "je_endemic=true",
        ],
        adult.as_bytes(),
    );
    assert!(out.status.success());
}

#[test]
fn a_bad_setting_is_a_bad_flag() {
    for flag in ["adult_bmi_scale=metric", "nope=1", "je_endemic"] {
        let out = screen(&["--setting", flag], b"{}\n");
        assert_eq!(out.status.code(), Some(2), "{flag}: a usage error");
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(flag.split('=').next().unwrap()), "{err}");
    }
}

#[test]
fn bom_crlf_blank_lines_invalid_utf8_and_no_final_newline() {
    let mut input = b"\xEF\xBB\xBF".to_vec();
    input.extend_from_slice(b"{\"id\":\"a\",\"sex\":\"F\",\"birth_date\":\"2020-01-01\",\"visit_date\":\"2025-01-01\"}\r\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"\xff\xfe\n");
    input.extend_from_slice(
        b"{\"id\":\"b\",\"sex\":\"M\",\"birth_date\":\"2020-01-01\",\"visit_date\":\"2025-01-01\"}",
    );
    let out = screen(&[], &input);
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 4);
    assert_eq!(v[0]["id"], "a");
    assert_eq!(v[0]["errors"], json!([]));
    assert_eq!(v[1]["errors"][0]["field"], "$");
    assert_eq!(v[2]["errors"][0]["field"], "$");
    assert_eq!(v[3]["id"], "b");
    assert!(out.stdout.ends_with(b"\n"));
}

#[test]
fn empty_input_gives_empty_output() {
    let out = screen(&[], b"");
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn a_large_batch_streams_through() {
    let line = r#"{"id":"x","sex":"F","birth_date":"2024-01-15","visit_date":"2025-03-10","measurements":{"weight_kg":8.2}}"#;
    let mut input = String::new();
    for i in 0..5000 {
        if i % 7 == 0 {
            input.push_str("garbage\n");
        } else {
            input.push_str(line);
            input.push('\n');
        }
    }
    let out = screen(&[], input.as_bytes());
    assert!(out.status.success());
    let v = lines(&out);
    assert_eq!(v.len(), 5000);
    for (i, l) in v.iter().enumerate() {
        if i % 7 == 0 {
            assert_eq!(l["errors"][0]["field"], "$", "line {i}");
        } else {
            assert_eq!(l["id"], "x", "line {i}");
        }
    }
}

#[test]
fn answers_each_line_before_the_next_arrives() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_posyandu"))
        .arg("screen")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut output = BufReader::new(child.stdout.take().unwrap());
    for id in ["satu", "dua"] {
        let line = format!(
            r#"{{"id":"{id}","sex":"M","birth_date":"1980-01-01","visit_date":"2025-01-01","measurements":{{"glucose_random":250}}}}"#
        );
        writeln!(input, "{line}").unwrap();
        input.flush().unwrap();
        let mut answer = String::new();
        output.read_line(&mut answer).unwrap();
        let v: Value = serde_json::from_str(&answer).unwrap();
        assert_eq!(v["id"], id);
        assert_eq!(codes(&v), ["glucose_random_diabetes"]);
    }
    drop(input);
    assert!(child.wait().unwrap().success());
}

/// Contract-review boundary lines through the real binary (expected values from rules.md,
/// not from the program): decimal inputs are compared as given (§0), KMS gain rounds half
/// away from zero on the true difference (§2), settings combine (§10).
#[test]
fn review_boundaries_through_the_binary() {
    let input = [
        // 47.3599999999 kg at 160 cm = BMI 18.49999999996 < 18.5; 47.36 kg is exactly 18.5.
        r#"{"id":"bmi-below","sex":"M","birth_date":"1990-06-15","visit_date":"2025-06-15","measurements":{"weight_kg":47.3599999999,"lenhei_cm":160}}"#,
        r#"{"id":"bmi-at","sex":"M","birth_date":"1990-06-15","visit_date":"2025-06-15","measurements":{"weight_kg":47.36,"lenhei_cm":160}}"#,
        // 13 months (KBM 200 g): 9.0 − 8.8005000001 = 199.4999999 g → 199 (T); 8.8005 → 200 (N).
        r#"{"id":"gain-below","sex":"F","birth_date":"2024-05-11","visit_date":"2025-06-15","measurements":{"weight_kg":9.0},"previous_weighings":[{"date":"2025-05-15","weight_kg":8.8005000001}]}"#,
        r#"{"id":"gain-half","sex":"F","birth_date":"2024-05-11","visit_date":"2025-06-15","measurements":{"weight_kg":9.0},"previous_weighings":[{"date":"2025-05-15","weight_kg":8.8005}]}"#,
        // 15 y with bp_adult_min_years=15: adult bands; BMI 25.0 on Depkes is normal.
        r#"{"id":"bp15","sex":"M","birth_date":"2010-06-15","visit_date":"2025-06-15","measurements":{"systolic":130,"diastolic":84}}"#,
        r#"{"id":"depkes25","sex":"M","birth_date":"1990-06-15","visit_date":"2025-06-15","measurements":{"weight_kg":64,"lenhei_cm":160}}"#,
    ]
    .join("\n");
    let want: [&[&str]; 6] = [
        &["bmi_underweight"],
        &[],
        &["kms_t"],
        &["kms_n"],
        &["bp_high_normal"],
        &[],
    ];
    let out = screen(
        &[
            "--setting",
            "bp_adult_min_years=15",
            "--setting",
            "adult_bmi_scale=depkes",
        ],
        input.as_bytes(),
    );
    assert!(out.status.success());
    let got = lines(&out);
    assert_eq!(got.len(), want.len());
    // Depkes: 18.49999999996 is 17.0 ≤ BMI < 18.5, still "bmi_underweight".
    for (line, want) in got.iter().zip(want) {
        assert_eq!(codes(line), want, "{line}");
        assert_eq!(line["errors"], json!([]), "{line}");
    }
}

/// Issue 7 item 8 reproducer: `1e400` in any measurement used to turn the whole line into a
/// `$` error with `"id":null`. Now each is an error on its own field and the line is kept.
#[test]
fn an_overflowing_number_is_a_field_error_and_keeps_the_id() {
    let keys = [
        "weight_kg",
        "lenhei_cm",
        "head_cm",
        "muac_cm",
        "waist_cm",
        "systolic",
        "diastolic",
        "glucose_random",
        "glucose_fasting",
        "cholesterol",
        "hb",
    ];
    let input: String = keys
        .iter()
        .map(|k| {
            format!(
                r#"{{"id":"{k}","sex":"M","birth_date":"2024-01-15","visit_date":"2025-03-10","measurements":{{"{k}":1e400}}}}"#
            ) + "\n"
        })
        .collect();
    let out = screen(&[], input.as_bytes());
    assert!(out.status.success());
    let got = lines(&out);
    assert_eq!(got.len(), keys.len());
    for (line, k) in got.iter().zip(keys) {
        assert_eq!(line["id"], k, "{line}");
        assert_eq!(line["age_days"], 420, "{line}");
        let errors = line["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{line}");
        assert_eq!(errors[0]["field"], format!("measurements.{k}"));
        assert!(errors[0]["message"].as_str().unwrap().contains("1e400"));
    }
}

/// A line with thousands of bad entries gets a short answer: 100 errors and a count.
#[test]
fn errors_per_line_are_capped() {
    let doses: Vec<Value> = (0..5000)
        .map(|_| json!({"vaccine": "NOPE", "date": "2024-02-01"}))
        .collect();
    let line = json!({"id": "x", "sex": "F", "birth_date": "2024-01-15",
        "visit_date": "2025-03-10", "immunizations": doses});
    let out = screen(&[], format!("{line}\n").as_bytes());
    assert!(out.status.success());
    let got = lines(&out);
    let errors = got[0]["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 101);
    assert_eq!(errors[100]["field"], "$");
    assert!(
        errors[100]["message"]
            .as_str()
            .unwrap()
            .starts_with("4900 ")
    );
    assert_eq!(got[0]["id"], "x");
}
