//! The fast path of `parse_line` (typed, borrowed history arrays) must give exactly the
//! answer of the reference path (`serde_json::Value`), for clean and broken histories alike.
#![allow(clippy::unwrap_used)]

use domain::screen::{parse_line, parse_line_fast, parse_line_reference};
use proptest::prelude::*;

const WEIGHINGS: [&str; 12] = [
    r#"{"date":"2025-05-10","weight_kg":8.0}"#,
    r#"{"weight_kg":8.4,"date":"2025-04-10"}"#,
    r#"{"date":"2025-05-10","weight_kg":8.0,"note":"ok"}"#,
    r#"{"date":"2025-06-15","weight_kg":8.0}"#,
    r#"{"date":"2023-01-01","weight_kg":8.0}"#,
    r#"{"date":"2025-02-30","weight_kg":8.0}"#,
    r#"{"date":"2025-05-10","weight_kg":0}"#,
    r#"{"date":"2025-05-10","weight_kg":"8"}"#,
    r#"{"date":"2025-05-10"}"#,
    r#"{"date":null,"weight_kg":8.0}"#,
    r#"["2025-05-10",8.0]"#,
    r#"{"date":"2025\u002d05-10","weight_kg":8.0}"#,
];

const DOSES: [&str; 10] = [
    r#"{"vaccine":"HB0","date":"2024-01-15"}"#,
    r#"{"date":"2024-03-20","vaccine":"DPT_HB_HIB1"}"#,
    r#"{"vaccine":"BCG","date":"2024-02-01","lot":"A1"}"#,
    r#"{"vaccine":"XYZ","date":"2024-02-01"}"#,
    r#"{"vaccine":"OPV1","date":"2025-06-16"}"#,
    r#"{"vaccine":"OPV1","date":"2023-12-31"}"#,
    r#"{"vaccine":"OPV1"}"#,
    r#"["OPV1","2024-02-01"]"#,
    r#"{"vaccine":"OPV1","date":"2024-02-01","vaccine":"BCG"}"#,
    r#""HB0""#,
];

const MEASUREMENTS: [&str; 15] = [
    r#"{"weight_kg":9.1}"#,
    r#"{"weight_kg":9.1,"lenhei_cm":75,"measure":"L","oedema":false,"head_cm":45,"muac_cm":14}"#,
    r#"{"weight_kg":0}"#,
    r#"{"weight_kg":"9"}"#,
    r#"{"height":3}"#,
    r#"{"systolic":120,"diastolic":130}"#,
    r#"{"systolic":120,"diastolic":80,"hb":null}"#,
    r#"{"measure":"x"}"#,
    r#"{"oedema":null,"measure":null}"#,
    r#"{"weight_kg":9.1,"weight_kg":9.2}"#,
    r#"[1]"#,
    r#"null"#,
    r#"{"hb":25,"glucose_random":1000,"cholesterol":0.5}"#,
    r#"{"hb":25.01}"#,
    r#"{"oedema":true,"waist_cm":80,"glucose_fasting":99}"#,
];

const QUESTIONNAIRES: [&str; 24] = [
    r#"{"srq20":[true,true,true,true,true,true,false,false,false,false,false,false,false,false,false,false,true,false,false,false]}"#,
    r#"{"srq20":[true,true,true,true,true,true,false,false,false,false,false,false,false,false,false,false,true,false,false]}"#,
    r#"{"srq20":[true,true,true,true,true,true,false,false,false,false,false,false,false,false,false,false,true,false,false,null]}"#,
    r#"{"puma":{"pack_years":25,"breathless":true,"phlegm":false,"cough":true,"spirometry":false}}"#,
    r#"{"puma":{"pack_years":25,"breathless":true,"phlegm":false,"cough":true}}"#,
    r#"{"puma":{"pack_years":25,"breathless":true,"phlegm":false,"cough":true,"spirometry":false,"x":1}}"#,
    r#"{"puma":{"pack_years":201,"breathless":true,"phlegm":false,"cough":true,"spirometry":false}}"#,
    r#"{"puma":{"pack_years":25,"breathless":null,"phlegm":false,"cough":true,"spirometry":false}}"#,
    r#"{"barthel":18}"#,
    r#"{"barthel":18.5}"#,
    r#"{"barthel":21}"#,
    r#"{"barthel":3.0,"vision_fingers_wrong":2}"#,
    r#"{"skilas":{"cognitive":true,"memory":true}}"#,
    r#"{"skilas":{"hearing":null,"mobility":true}}"#,
    r#"{"skilas":[true]}"#,
    r#"{"tb_symptoms":{"cough":true,"night_sweats":false}}"#,
    r#"{"tb_symptoms":{"cough":"yes"}}"#,
    r#"{"vision_fingers_wrong":6}"#,
    r#"{"sdq":1}"#,
    r#"{"srq20":null,"puma":null}"#,
    r#""x""#,
    r#"{"barthel":5,"barthel":6}"#,
    r#"{"skilas":{"cognitive":true,"cognitive":false}}"#,
    r#"{"puma":[25,true,false,true,false]}"#,
];

fn line(weighings: Option<Vec<usize>>, doses: Option<Vec<usize>>, tail: &str) -> String {
    let arr = |idx: &[usize], src: &[&str]| {
        format!(
            "[{}]",
            idx.iter().map(|&i| src[i]).collect::<Vec<_>>().join(",")
        )
    };
    let mut s =
        String::from(r#"{"id":"c","sex":"F","birth_date":"2024-01-15","visit_date":"2025-06-15""#);
    if let Some(w) = weighings {
        s.push_str(&format!(r#","previous_weighings":{}"#, arr(&w, &WEIGHINGS)));
    }
    if let Some(d) = doses {
        s.push_str(&format!(r#","immunizations":{}"#, arr(&d, &DOSES)));
    }
    s.push_str(tail);
    s.push('}');
    s
}

/// Both paths agree; returns whether the fast path answered by itself.
fn same(l: &str) -> bool {
    let reference = parse_line_reference(l);
    assert_eq!(
        format!("{:?}", parse_line(l)),
        format!("{reference:?}"),
        "{l}"
    );
    match parse_line_fast(l) {
        Some(fast) => {
            assert_eq!(
                format!("{fast:?}"),
                format!("{:?}", reference.unwrap()),
                "{l}"
            );
            true
        }
        None => false,
    }
}

#[test]
fn fixed_cases_agree() {
    for l in [
        line(Some(vec![0, 1]), Some(vec![0, 1, 2]), ""),
        line(Some(vec![]), Some(vec![]), ""),
        line(None, None, r#","previous_weighings":null,"immunizations":null"#),
        line(Some(vec![0]), None, r#","id":"dup""#),
        line(None, None, r#","previous_weighings":{"date":"2025-05-10"}"#),
        "[1,2]".to_owned(),
        r#"  {"id":"x"}"#.to_owned(),
        r#"{"id":"x","sex":"F","birth_date":"2025-01-01","visit_date":"2024-01-01","previous_weighings":[{"date":"2024-06-01","weight_kg":5}]}"#.to_owned(),
    ] {
        same(&l);
    }
    // Clean lines take the fast path.
    let clean = [
        line(Some(vec![0, 1, 2]), Some(vec![0, 1, 2]), ""),
        line(
            None,
            None,
            &format!(r#","measurements":{}"#, MEASUREMENTS[1]),
        ),
        line(
            None,
            None,
            &format!(r#","questionnaires":{}"#, QUESTIONNAIRES[0]),
        ),
        line(
            None,
            None,
            &format!(r#","questionnaires":{}"#, QUESTIONNAIRES[3]),
        ),
        line(
            None,
            None,
            &format!(r#","questionnaires":{}"#, QUESTIONNAIRES[13]),
        ),
        line(
            None,
            None,
            r#","pregnancy":{"gestational_weeks":20},"nik":"x""#,
        ),
    ];
    for l in clean {
        assert!(same(&l), "fast path declined a clean line: {l}");
    }
}

proptest! {
    #[test]
    fn random_histories_agree(
        w in proptest::option::of(proptest::collection::vec(0..WEIGHINGS.len(), 0..6)),
        d in proptest::option::of(proptest::collection::vec(0..DOSES.len(), 0..6)),
        bad_birth in any::<bool>(),
        m in proptest::option::of(0..MEASUREMENTS.len()),
        q in proptest::option::of(0..QUESTIONNAIRES.len()),
    ) {
        let mut tail = String::new();
        if bad_birth {
            tail.push_str(r#","birth_date":"2024-02-30""#);
        }
        if let Some(m) = m {
            tail.push_str(&format!(r#","measurements":{}"#, MEASUREMENTS[m]));
        }
        if let Some(q) = q {
            tail.push_str(&format!(r#","questionnaires":{}"#, QUESTIONNAIRES[q]));
        }
        same(&line(w, d, &tail));
    }

    #[test]
    fn every_measurement_and_questionnaire_variant_agrees(
        m in 0..MEASUREMENTS.len(),
        q in 0..QUESTIONNAIRES.len(),
    ) {
        let tail = format!(
            r#","measurements":{},"questionnaires":{}"#,
            MEASUREMENTS[m], QUESTIONNAIRES[q]
        );
        same(&line(Some(vec![0]), Some(vec![0]), &tail));
    }
}
