//! Every row of WHO's own outputs (`shared/who-growth/reference-public.csv`, made with WHO's
//! anthro and anthroplus R packages) must come out of this crate exactly: rounded z, flags,
//! missing values, `clenhei`, `cmeasure`, `c9mo_flag`, `cbmi`, and raw z within 1e-9.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use growth::{Age, ChildMeasurements, Measure, Sex, YouthMeasurements, Zscore, who2006, who2007};
use std::collections::HashMap;
use std::path::PathBuf;

fn reference_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/who-growth/reference-public.csv")
}

struct Row(HashMap<String, String>);

impl Row {
    fn s(&self, k: &str) -> &str {
        self.0
            .get(k)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no column {k}"))
    }
    fn num(&self, k: &str) -> Option<f64> {
        match self.s(k) {
            "" => None,
            "Inf" => Some(f64::INFINITY),
            "-Inf" => Some(f64::NEG_INFINITY),
            v => Some(v.parse().unwrap_or_else(|_| panic!("{k}={v}"))),
        }
    }
}

fn read_rows() -> Vec<Row> {
    let mut rdr = csv::Reader::from_path(reference_path()).expect("reference file in ../shared");
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            Row(headers
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect())
        })
        .collect()
}

fn sex(row: &Row) -> Option<Sex> {
    row.num("sex").and_then(|c| Sex::from_code(c as u8))
}

/// Compares one z with WHO's rounded value, raw value and flag; returns a list of problems.
fn check(row: &Row, name: &str, flag: &str, got: Option<Zscore>, problems: &mut Vec<String>) {
    let id = row.s("case_id");
    let want = row.num(name);
    let want_raw = row.num(&format!("{name}_raw"));
    let want_flag = row.num(flag);
    match (got, want) {
        (None, None) => {
            if want_flag.is_some() || want_raw.is_some() {
                problems.push(format!("{id} {name}: flag/raw present without z"));
            }
        }
        (Some(g), Some(w)) => {
            if g.z != w {
                problems.push(format!("{id} {name}: got {} want {w}", g.z));
            }
            let wr = want_raw.expect("raw present");
            let close = if wr.is_infinite() {
                g.raw == wr
            } else {
                (g.raw - wr).abs() <= 1e-9
            };
            if !close {
                problems.push(format!("{id} {name}_raw: got {:e} want {wr:e}", g.raw));
            }
            if Some(if g.implausible { 1.0 } else { 0.0 }) != want_flag {
                problems.push(format!(
                    "{id} {flag}: got {} want {want_flag:?}",
                    g.implausible
                ));
            }
        }
        (g, w) => problems.push(format!("{id} {name}: got {g:?} want {w:?}")),
    }
}

fn close_or_both_missing(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) if x.is_infinite() || y.is_infinite() => x == y,
        // The file prints clenhei with 15 significant digits.
        (Some(x), Some(y)) => (x - y).abs() <= 1e-12 * y.abs().max(1.0),
        _ => false,
    }
}

#[test]
fn every_reference_row_matches_who() {
    let rows = read_rows();
    assert_eq!(
        rows.len(),
        1061,
        "the public reference file has 1,061 cases"
    );
    let mut problems = Vec::new();
    let (mut n2006, mut n2007, mut raw_exact, mut raw_total) = (0, 0, 0, 0);
    for row in &rows {
        let id = row.s("case_id");
        match row.s("standard") {
            "who2006" => {
                n2006 += 1;
                let age = match (row.num("age_days"), row.num("age_months")) {
                    (Some(d), _) => Some(Age::Days(d)),
                    (None, Some(m)) => Some(Age::Months(m)),
                    _ => None,
                };
                let measure = match row.s("measure").to_ascii_lowercase().as_str() {
                    "l" => Some(Measure::Lying),
                    "h" => Some(Measure::Standing),
                    _ => None,
                };
                let input = ChildMeasurements {
                    sex: sex(row),
                    age,
                    weight_kg: row.num("weight_kg"),
                    lenhei_cm: row.num("lenhei_cm"),
                    measure,
                    headc_cm: row.num("headc_cm"),
                    armc_cm: row.num("armc_cm"),
                    triskin_mm: row.num("triskin_mm"),
                    subskin_mm: row.num("subskin_mm"),
                    oedema: matches!(row.s("oedema"), "y" | "Y" | "1"),
                };
                let out = who2006(&input);
                if !close_or_both_missing(out.clenhei, row.num("clenhei")) {
                    problems.push(format!(
                        "{id} clenhei: {:?} vs {:?}",
                        out.clenhei,
                        row.num("clenhei")
                    ));
                }
                let cm = match out.cmeasure {
                    Some(Measure::Lying) => "l",
                    Some(Measure::Standing) => "h",
                    None => "",
                };
                if cm != row.s("cmeasure") {
                    problems.push(format!("{id} cmeasure: {cm} vs {}", row.s("cmeasure")));
                }
                if row.num("c9mo_flag") != Some(if out.c9mo_flag { 1.0 } else { 0.0 }) {
                    problems.push(format!("{id} c9mo_flag: {}", out.c9mo_flag));
                }
                if out.cbmi.map(f64::to_bits) != row.num("cbmi").map(f64::to_bits)
                    && !(out.cbmi.is_some_and(f64::is_nan) && row.num("cbmi").is_none())
                {
                    problems.push(format!(
                        "{id} cbmi: {:?} vs {:?}",
                        out.cbmi,
                        row.num("cbmi")
                    ));
                }
                for (name, flag, z) in [
                    ("zlen", "flen", out.zlen),
                    ("zwei", "fwei", out.zwei),
                    ("zwfl", "fwfl", out.zwfl),
                    ("zbmi", "fbmi", out.zbmi),
                    ("zhc", "fhc", out.zhc),
                    ("zac", "fac", out.zac),
                    ("zts", "fts", out.zts),
                    ("zss", "fss", out.zss),
                ] {
                    if let (Some(g), Some(w)) = (z, row.num(&format!("{name}_raw"))) {
                        raw_total += 1;
                        raw_exact += usize::from(g.raw.to_bits() == w.to_bits());
                    }
                    check(row, name, flag, z, &mut problems);
                }
            }
            "who2007" => {
                n2007 += 1;
                let input = YouthMeasurements {
                    sex: sex(row),
                    age_months: row.num("age_months"),
                    weight_kg: row.num("weight_kg"),
                    height_cm: row.num("lenhei_cm"),
                    oedema: matches!(row.s("oedema"), "y" | "Y" | "1"),
                };
                let out = who2007(&input);
                if out.cbmi.map(f64::to_bits) != row.num("cbmi").map(f64::to_bits) {
                    problems.push(format!(
                        "{id} cbmi: {:?} vs {:?}",
                        out.cbmi,
                        row.num("cbmi")
                    ));
                }
                for (name, flag, z) in [
                    ("zhfa", "fhfa", out.zhfa),
                    ("zwfa", "fwfa", out.zwfa),
                    ("zbfa", "fbfa", out.zbfa),
                ] {
                    if let (Some(g), Some(w)) = (z, row.num(&format!("{name}_raw"))) {
                        raw_total += 1;
                        raw_exact += usize::from(g.raw.to_bits() == w.to_bits());
                    }
                    check(row, name, flag, z, &mut problems);
                }
            }
            other => problems.push(format!("{id}: unknown standard {other}")),
        }
    }
    assert_eq!((n2006, n2007), (796, 265));
    println!("raw z identical to the bit: {raw_exact} of {raw_total}");
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
