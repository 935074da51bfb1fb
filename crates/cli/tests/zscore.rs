//! `posyandu zscore` end to end: the real binary on real files, checked against WHO's own
//! outputs in `shared/who-growth/reference-public.csv`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const INPUTS: [&str; 13] = [
    "case_id",
    "standard",
    "sex",
    "age_days",
    "age_months",
    "weight_kg",
    "lenhei_cm",
    "measure",
    "headc_cm",
    "armc_cm",
    "triskin_mm",
    "subskin_mm",
    "oedema",
];
const Z: [&str; 11] = [
    "zlen", "zwei", "zwfl", "zbmi", "zhc", "zac", "zts", "zss", "zhfa", "zwfa", "zbfa",
];
const F: [&str; 11] = [
    "flen", "fwei", "fwfl", "fbmi", "fhc", "fac", "fts", "fss", "fhfa", "fwfa", "fbfa",
];

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_posyandu"))
}

fn reference() -> Vec<HashMap<String, String>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/who-growth/reference-public.csv");
    read_output(&path, b',')
}

/// The reference file's input columns only, as a register export would have them.
fn write_inputs(path: &Path, rows: &[HashMap<String, String>], delimiter: u8, decimal_comma: bool) {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    w.write_record(INPUTS).unwrap();
    for r in rows {
        w.write_record(INPUTS.iter().map(|k| {
            let v = r[*k].clone();
            if decimal_comma {
                v.replace('.', ",")
            } else {
                v
            }
        }))
        .unwrap();
    }
    w.flush().unwrap();
}

/// Every row of a CSV file as a map from column name to cell.
fn read_output(path: &Path, delimiter: u8) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_path(path)
        .unwrap();
    let h = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            h.iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> Option<f64> {
    match s.replace(',', ".").as_str() {
        "" => None,
        "Inf" => Some(f64::INFINITY),
        "-Inf" => Some(f64::NEG_INFINITY),
        v => Some(v.parse().unwrap()),
    }
}

fn compare(want: &[HashMap<String, String>], got: &[HashMap<String, String>]) {
    assert_eq!(want.len(), got.len());
    let mut problems = Vec::new();
    for (w, g) in want.iter().zip(got) {
        let id = &w["case_id"];
        assert_eq!(&g["case_id"], id, "rows stay in order");
        for k in INPUTS.iter().skip(1) {
            if g[*k].replace(',', ".") != w[*k] {
                problems.push(format!("{id} input {k} changed: {} vs {}", g[*k], w[*k]));
            }
        }
        for k in Z.iter().chain(&F).chain(&["c9mo_flag"]) {
            if num(&g[*k]) != num(&w[*k]) {
                problems.push(format!("{id} {k}: {} vs {}", g[*k], w[*k]));
            }
        }
        for k in Z {
            let (gr, wr) = (num(&g[&format!("{k}_raw")]), num(&w[&format!("{k}_raw")]));
            if gr.map(f64::to_bits) != wr.map(f64::to_bits) {
                problems.push(format!("{id} {k}_raw: {gr:?} vs {wr:?}"));
            }
        }
        if g["cmeasure"] != w["cmeasure"] {
            problems.push(format!("{id} cmeasure"));
        }
        // clenhei as WHO's file prints it (%.15g, same text); cbmi exactly (WHO's file has
        // %.17g, which reads back as the exact double).
        if g["clenhei"].replace(',', ".") != w["clenhei"] {
            problems.push(format!(
                "{id} clenhei: {} vs {}",
                g["clenhei"], w["clenhei"]
            ));
        }
        if num(&g["cbmi"]).map(f64::to_bits) != num(&w["cbmi"]).map(f64::to_bits) {
            problems.push(format!("{id} cbmi: {} vs {}", g["cbmi"], w["cbmi"]));
        }
        let want_errors = expected_errors(w);
        let got_errors: Vec<&str> = g["error"].split("; ").filter(|e| !e.is_empty()).collect();
        if got_errors.len() != want_errors.len()
            // The file's own decimal mark (`-4,1` in a `;` file).
            || !want_errors
                .iter()
                .all(|w| g["error"].replace(',', ".").contains(w.as_str()))
        {
            problems.push(format!(
                "{id} error: {:?}, expected messages starting {want_errors:?}",
                g["error"]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// What the `error` column must name for one of WHO's cases, derived from its inputs: each
/// measurement of zero or less (WHO's test cases include them), and a `standard` forced
/// outside its ages (WHO 2006: under 60 months; WHO 2007: 60 to 228 months).
fn expected_errors(w: &HashMap<String, String>) -> Vec<String> {
    let mut want = Vec::new();
    for k in [
        "weight_kg",
        "lenhei_cm",
        "headc_cm",
        "armc_cm",
        "triskin_mm",
        "subskin_mm",
    ] {
        if num(&w[k]).is_some_and(|x| x <= 0.0) {
            want.push(format!("{k}: \"{}\"", w[k]));
        }
    }
    let months = num(&w["age_days"])
        .map(|d| d / growth::DAYS_PER_MONTH)
        .or(num(&w["age_months"]));
    if let Some(m) = months {
        let outside = match w["standard"].as_str() {
            "who2006" => m >= 60.0,
            _ => !(60.0..=228.0).contains(&m),
        };
        if outside {
            want.push(format!("standard: \"{}\"", w["standard"]));
        }
    }
    want
}

#[test]
fn reference_file_round_trip_matches_who_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let rows = reference();
    let (input, output) = (dir.path().join("register.csv"), dir.path().join("z.csv"));
    write_inputs(&input, &rows, b',', false);
    let st = bin()
        .arg("zscore")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("--raw")
        .status()
        .unwrap();
    assert!(st.success());
    let got = read_output(&output, b',');
    compare(&rows, &got);
    // Unknown columns pass through in order, computed columns follow, error is last.
    let header = std::fs::read_to_string(&output).unwrap();
    let header = header.lines().next().unwrap();
    assert!(header.starts_with(&INPUTS.join(",")));
    assert!(header.ends_with(",zbfa_raw,error"));
}

#[test]
fn excel_indonesian_semicolon_file_with_decimal_commas() {
    let dir = tempfile::tempdir().unwrap();
    let rows = reference();
    let (input, output) = (dir.path().join("excel.csv"), dir.path().join("z.csv"));
    write_inputs(&input, &rows, b';', true);
    let st = bin()
        .args(["zscore", "--raw"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .status()
        .unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(&output).unwrap();
    assert!(
        text.lines().nth(1).unwrap().contains(';'),
        "written back with ;"
    );
    compare(&rows, &read_output(&output, b';'));
}

#[test]
fn stdin_to_stdout_with_bad_cells_reported_per_row() {
    let input = "nama,sex,age_months,weight_kg,lenhei_cm,measure\n\
                 Ani,P,14,\"8,9\",74.1,l\n\
                 Budi,X,14,9.1,75,l\n\
                 Citra,2,abc,9.1,75,q\n\
                 Dedi,L,30,12.5,88,h\n";
    let mut child = bin()
        .arg("zscore")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let rows: Vec<HashMap<String, String>> = rdr
        .records()
        .map(|r| {
            h.iter()
                .map(String::from)
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4, "no row is dropped");
    assert_eq!(rows[0]["error"], "");
    assert_eq!(
        rows[0]["weight_kg"], "8,9",
        "input passes through unchanged"
    );
    assert!(!rows[0]["zwei"].is_empty() && !rows[0]["zlen"].is_empty());
    assert!(
        rows[1]["error"].contains("sex: \"X\""),
        "{}",
        rows[1]["error"]
    );
    assert_eq!(rows[1]["zwei"], "", "no sex, no z");
    assert!(rows[2]["error"].contains("age_months: \"abc\" bukan angka"));
    assert!(rows[2]["error"].contains("measure: \"q\""));
    assert!(
        !rows[2]["zwfl"].is_empty(),
        "weight-for-length needs no age"
    );
    assert!(!rows[3]["zlen"].is_empty() && rows[3]["error"].is_empty());
}

#[test]
fn a_file_without_the_needed_columns_is_refused_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.csv");
    std::fs::write(&input, "nama,catatan\nAni,9\n").unwrap();
    let out = bin().arg("zscore").arg(&input).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("sex (jk)") && err.contains("age_days atau age_months"),
        "{err}"
    );
    assert!(err.contains("weight_kg (berat)"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn age_picks_the_reference_when_there_is_no_standard_column() {
    let input = "sex,age_days,weight_kg,lenhei_cm\n1,1826,18,110\n1,1827,18,110\n";
    let out = bin()
        .arg("zscore")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(input.as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    assert!(
        !rows[0][col("zlen")].is_empty() && rows[0][col("zhfa")].is_empty(),
        "day 1826: WHO 2006"
    );
    assert!(
        rows[1][col("zlen")].is_empty() && !rows[1][col("zhfa")].is_empty(),
        "day 1827: WHO 2007"
    );
}
