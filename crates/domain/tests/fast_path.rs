//! The fast path of `parse_line` (typed, borrowed history arrays) must give exactly the
//! answer of the reference path (`serde_json::Value`), for clean and broken histories alike.
#![allow(clippy::unwrap_used)]

use domain::screen::{parse_line, parse_line_reference};
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

fn line(weighings: Option<Vec<usize>>, doses: Option<Vec<usize>>, tail: &str) -> String {
    let arr = |idx: &[usize], src: &[&str]| {
        format!(
            "[{}]",
            idx.iter().map(|&i| src[i]).collect::<Vec<_>>().join(",")
        )
    };
    let mut s = String::from(
        r#"{"id":"c","sex":"F","birth_date":"2024-01-15","visit_date":"2025-06-15","measurements":{"weight_kg":9.1}"#,
    );
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

fn same(l: &str) {
    let fast = format!("{:?}", parse_line(l));
    let reference = format!("{:?}", parse_line_reference(l));
    assert_eq!(fast, reference, "{l}");
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
}

proptest! {
    #[test]
    fn random_histories_agree(
        w in proptest::option::of(proptest::collection::vec(0..WEIGHINGS.len(), 0..6)),
        d in proptest::option::of(proptest::collection::vec(0..DOSES.len(), 0..6)),
        bad_birth in any::<bool>(),
    ) {
        let tail = if bad_birth { r#","birth_date":"2024-02-30""# } else { "" };
        same(&line(w, d, tail));
    }
}
