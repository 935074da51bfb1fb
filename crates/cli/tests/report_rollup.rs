//! `posyandu report` over a demo region, as a user runs it: for every unit of the tree and
//! two months, each count of a unit equals the sum of the units below it, each child row of
//! a report equals that child's own report (computed on its own), and each ratio is made of
//! the summed counts. The table, CSV and XLSX forms carry the same numbers as the JSON; a
//! bad month and an unknown unit are refused naming the value.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_posyandu");

fn run(args: &[&str], db: &Path) -> Output {
    let url = format!("sqlite://{}", db.display());
    Command::new(BIN)
        .args(args)
        .args(["--database-url", &url])
        .output()
        .unwrap()
}

fn report(db: &Path, unit: &str, month: &str) -> Value {
    let o = run(
        &[
            "report", "--unit", unit, "--month", month, "--format", "json",
        ],
        db,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Indicator code → its object.
fn by_code(unit: &Value) -> HashMap<String, Value> {
    unit["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["code"].as_str().unwrap().to_owned(), i.clone()))
        .collect()
}

fn n(i: &Value) -> u64 {
    i["n"].as_u64().unwrap()
}

#[test]
fn every_unit_is_the_sum_of_the_units_below_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let o = run(
        &["demo", "--persons", "1500", "--last-month", "2026-10"],
        &db,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = run(&["unit", "list"], &db);
    let paths: Vec<String> = String::from_utf8(list.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .filter(|p| p.starts_with('/'))
        .map(str::to_owned)
        .collect();
    assert!(paths.len() > 10, "{paths:?}");
    let mut checked_children = 0;
    for month in ["2026-08", "2026-10"] {
        for path in &paths {
            let r = report(&db, path, month);
            let own = by_code(&r);
            let children = r["children"].as_array().unwrap();
            if children.is_empty() {
                continue;
            }
            let kids: Vec<HashMap<String, Value>> = children.iter().map(by_code).collect();
            for (code, i) in &own {
                if i["measure"] == "count" {
                    let sum: u64 = kids.iter().map(|k| n(&k[code])).sum();
                    assert_eq!(n(i), sum, "{path} {month} {code}");
                } else {
                    let num: u64 = kids
                        .iter()
                        .map(|k| k[code]["numerator"].as_u64().unwrap())
                        .sum();
                    let den: u64 = kids
                        .iter()
                        .map(|k| k[code]["denominator"].as_u64().unwrap())
                        .sum();
                    assert_eq!(i["numerator"].as_u64(), Some(num), "{path} {month} {code}");
                    assert_eq!(
                        i["denominator"].as_u64(),
                        Some(den),
                        "{path} {month} {code}"
                    );
                }
            }
            // Each child row is the child's own report.
            for child in children {
                let alone = report(&db, child["path"].as_str().unwrap(), month);
                assert_eq!(
                    child["indicators"], alone["indicators"],
                    "{}",
                    child["path"]
                );
                checked_children += 1;
            }
        }
    }
    assert!(checked_children > 10, "{checked_children}");

    // The demo kabupaten's October has weighed children; the CSV has the same S and D.
    let kab = paths.iter().find(|p| p.matches('/').count() == 3).unwrap();
    let r = by_code(&report(&db, kab, "2026-10"));
    assert!(n(&r["d"]) > 0 && n(&r["d"]) <= n(&r["s"]), "{:?}", r["d"]);
    let csv = run(
        &[
            "report", "--unit", kab, "--month", "2026-10", "--format", "csv",
        ],
        &db,
    );
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.contains(&format!(",s,S,{},", n(&r["s"]))), "{csv}");
    assert!(csv.contains(&format!(",d,D,{},", n(&r["d"]))), "{csv}");
    let table = run(&["report", "--unit", kab, "--month", "2026-10"], &db);
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(table.contains("Penimbangan balita (SKDN)"), "{table}");
    let xlsx = dir.path().join("oktober.xlsx");
    let write_xlsx = || {
        let out = xlsx.to_str().unwrap();
        let args = [
            "report", "--unit", kab, "--month", "2026-10", "--format", "xlsx", "--output", out,
        ];
        run(&args, &db)
    };
    let o = write_xlsx();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let written = std::fs::read(&xlsx).unwrap();
    assert_eq!(&written[..2], b"PK");
    // Written again without --force: refused, the file kept.
    assert!(!write_xlsx().status.success());
    assert_eq!(std::fs::read(&xlsx).unwrap(), written);

    let o = run(&["report", "--unit", kab, "--month", "2026-13"], &db);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("2026-13"), "{err}");
    let o = run(&["report", "--unit", "/99/", "--month", "2026-10"], &db);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("/99/"), "{err}");
}

/// `--format pdf`: the printable report, written only with `--output` and never over an
/// existing file, read back by an independent reader (pdf-extract) with the JSON's S, D
/// and D/S and the units below it.
#[test]
fn the_report_prints_as_a_pdf_with_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let o = run(
        &["demo", "--persons", "300", "--last-month", "2026-10"],
        &db,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let list = run(&["unit", "list"], &db);
    let kab = String::from_utf8(list.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().last())
        .find(|p| p.starts_with('/') && p.matches('/').count() == 3)
        .map(str::to_owned)
        .unwrap();
    let json = report(&db, &kab, "2026-10");
    let r = by_code(&json);

    let o = run(
        &[
            "report", "--unit", &kab, "--month", "2026-10", "--format", "pdf",
        ],
        &db,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("--output"), "{err}");

    let out = dir.path().join("oktober.pdf");
    let args = [
        "report",
        "--unit",
        &kab,
        "--month",
        "2026-10",
        "--format",
        "pdf",
        "--output",
        out.to_str().unwrap(),
    ];
    let o = run(&args, &db);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let name = json["name"].as_str().unwrap();
    assert!(
        text.contains(&format!("Laporan Bulanan {name} Oktober 2026")),
        "{text}"
    );
    assert!(text.contains(&format!("S {} ", n(&r["s"]))), "S in {text}");
    assert!(text.contains(&format!("D {} ", n(&r["d"]))), "D in {text}");
    let ds = &r["d_per_s"];
    let percent = format!("{:.1}", ds["percent"].as_f64().unwrap()).replace('.', ",");
    let row = format!("D/S {percent} % {} {}", ds["numerator"], ds["denominator"]);
    assert!(text.contains(&row), "{row} in {text}");
    for child in json["children"].as_array().unwrap() {
        let child = child["name"].as_str().unwrap();
        assert!(text.contains(child), "{child}");
    }
    // Not over the file it wrote, without --force.
    assert!(!run(&args, &db).status.success());
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
}
