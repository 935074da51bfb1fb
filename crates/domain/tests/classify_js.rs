//! The proof that the page's script classifies as the server does: for WHO's public
//! reference cases (balita with a sex and an age in whole days) and for values just below,
//! at and above every cut of every table of many children, the answer of
//! `crates/web/static/classify.js` (run once in `node` over the whole batch) equals the
//! server's: `domain::screen`'s findings, and "periksa ulang" = a flagged z or the
//! cut-points' weight drop/jump or length shrink limit.
//!
//! Values are typed as text (kg and cm, decimal comma or point) and converted by the
//! script's own `toGrams` / `toMm`; the server reads the same text as a number. A value
//! finer than the grid (more than 3 decimals of kg, 1 of cm) gets no live answer: the
//! script must return `null` for it and it is left out on both sides.
//!
//! Every child's cut-points are also split as the prepared day ships them
//! (`domain::cutpoints::prepared`: shared tables by key, packed BMI rows), joined back by the
//! script's `join`, and must be the same object and give the same answers.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use domain::cutpoints::prepared::{PreparedCuts, SharedTables, WflCuts};
use domain::cutpoints::{
    CutInput, CutPoints, LIMITS, LengthMeasurement, cutpoints, last_weighing, length_shrank,
    weight_change,
};
use domain::{Measurements, Position, Settings, Sex, Visit, Weighing, screen};
use serde_json::{Value, json};
use time::{Date, Duration, macros::date};

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Skips (prints why) outside CI, fails in CI.
fn unavailable(what: &str) {
    assert!(!ci(), "CI=true but {what}");
    println!("skipped: {what}");
}

#[path = "classify_js/cases.rs"]
mod cases;
use cases::*;

fn js_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/static/classify.js")
}

/// The script's grid values (weight, lenhei, head, muac), labels, recheck and complete.
type JsAnswer = (Vec<Option<i64>>, Vec<String>, bool, bool);

/// Per child: whether `join` of its prepared cut-points equals its full ones (keys in any
/// order), the answers from the full cut-points and those from the joined ones.
type JsChild = (bool, Vec<JsAnswer>, Vec<JsAnswer>);

const DRIVER: &str = r#"
const c = require(process.argv[2]);
const data = JSON.parse(require('fs').readFileSync(process.argv[3], 'utf8'));
const canon = (v) => Array.isArray(v) ? '[' + v.map(canon).join(',') + ']'
  : v !== null && typeof v === 'object'
    ? '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canon(v[k])).join(',') + '}'
    : JSON.stringify(v);
const out = data.children.map((child) => {
  const joined = c.join(child.prepared, data.tables);
  const answers = (cuts) => child.inputs.map((t) => {
    const input = { weight_g: c.toGrams(t.weight), lenhei_mm: c.toMm(t.lenhei), position: t.position,
      head_mm: c.toMm(t.head), muac_mm: c.toMm(t.muac), oedema: t.oedema };
    const r = c.classify(cuts, input);
    return [[input.weight_g, input.lenhei_mm, input.head_mm, input.muac_mm], r.labels, r.recheck, r.complete];
  });
  return [canon(joined) === canon(child.cuts), answers(child.cuts), answers(joined)];
});
process.stdout.write(JSON.stringify(out));
"#;

#[test]
fn classify_js_answers_as_the_server() {
    if Command::new("node").arg("--version").output().is_err() {
        return unavailable("node is not installed");
    }
    let s = Settings::default();
    let cuts_of = |c: &Child| {
        cutpoints(&CutInput {
            sex: c.sex,
            birth_date: c.birth,
            visit_date: c.visit,
            previous_weighings: c.history.as_deref(),
            previous_length: c.prev_length,
            settings: &s,
        })
        .unwrap()
    };
    let mut batch: Vec<(Child, CutPoints, Vec<Typed>)> = vec![];
    let reference = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/who-growth/reference-public.csv");
    let mut reference_cases = 0;
    if reference.exists() {
        for (child, typed) in reference_children(&reference) {
            reference_cases += 1;
            let cuts = cuts_of(&child);
            batch.push((child, cuts, vec![typed]));
        }
        assert!(
            reference_cases > 500,
            "only {reference_cases} reference cases"
        );
    } else {
        unavailable(&format!("{} is absent", reference.display()));
    }
    for child in grid_children() {
        let cuts = cuts_of(&child);
        let cases = grid_cases(&child, &cuts);
        batch.push((child, cuts, cases));
    }

    // Split as the prepared day does, into one set of shared tables; every seventh grid
    // child as the other sex, whose weight-for-length/height tables are then not the shared
    // ones and must travel packed in place.
    let mut tables = SharedTables::default();
    let mut own = 0;
    let prepared: Vec<PreparedCuts> = batch
        .iter()
        .enumerate()
        .map(|(k, (child, cuts, _))| {
            let wrong = k >= reference_cases && k % 7 == 3;
            let sex = match (child.sex, wrong) {
                (Sex::Male, true) => Sex::Female,
                (Sex::Female, true) => Sex::Male,
                (sex, false) => sex,
            };
            let p = tables.split(sex, cuts.clone());
            own += p
                .lenhei
                .iter()
                .filter(|l| matches!(l.wfl, WflCuts::Own(_)))
                .count();
            p
        })
        .collect();
    assert!(
        own > 0 && tables.len() == 8,
        "own {own}, {} tables",
        tables.len()
    );

    // One JSON file of {tables, children: [{cuts, prepared, inputs}]}, one node process.
    let dir = tempfile::tempdir().unwrap();
    let mut data = format!(
        r#"{{"tables":{},"children":["#,
        serde_json::to_string(&tables).unwrap()
    );
    for (k, ((_, cuts, inputs), prepared)) in batch.iter().zip(&prepared).enumerate() {
        let inputs: Vec<Value> = inputs
            .iter()
            .map(|t| {
                json!({"weight": t.weight, "lenhei": t.lenhei, "position": t.position,
                       "head": t.head, "muac": t.muac, "oedema": t.oedema})
            })
            .collect();
        let sep = if k == 0 { "" } else { "," };
        data += &format!(
            r#"{sep}{{"cuts":{},"prepared":{},"inputs":{}}}"#,
            serde_json::to_string(cuts).unwrap(),
            serde_json::to_string(prepared).unwrap(),
            serde_json::to_string(&inputs).unwrap()
        );
    }
    data.push_str("]}");
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, data).unwrap();
    let driver = dir.path().join("driver.js");
    std::fs::write(&driver, DRIVER).unwrap();
    let run = Command::new("node")
        .arg(&driver)
        .arg(js_path().canonicalize().unwrap())
        .arg(&cases_file)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let children: Vec<JsChild> = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(children.len(), batch.len());
    let mut answers = vec![];
    for ((child, _, _), (same, full, joined)) in batch.iter().zip(children) {
        let what = format!(
            "{:?} day {}",
            child.sex,
            (child.visit - child.birth).whole_days()
        );
        assert!(same, "join(prepared) differs from the cut-points: {what}");
        assert_eq!(full, joined, "answers from the joined cut-points: {what}");
        answers.push(full);
    }

    let (mut compared, mut partial, mut left_out, mut rechecks) = (0, 0, 0, 0);
    let mut seen = std::collections::BTreeSet::new();
    for ((child, _, inputs), answers) in batch.iter().zip(&answers) {
        assert_eq!(inputs.len(), answers.len());
        for (t, (grid, labels, recheck, complete)) in inputs.iter().zip(answers) {
            let want = server(child, t, &s);
            let what = format!(
                "{:?} day {} history {:?} prev {:?}: weight {:?} lenhei {:?} {:?} head {:?} \
                 muac {:?} oedema {}",
                child.sex,
                (child.visit - child.birth).whole_days(),
                child.history,
                child.prev_length,
                t.weight,
                t.lenhei,
                t.position,
                t.head,
                t.muac,
                t.oedema
            );
            assert_eq!(grid, &want.grid.to_vec(), "text → grid: {what}");
            left_out += [&t.weight, &t.lenhei, &t.head, &t.muac]
                .iter()
                .zip(&want.grid)
                .filter(|(text, v)| text.is_some() && v.is_none())
                .count();
            assert_eq!(*recheck, want.recheck, "periksa ulang: {what}");
            rechecks += usize::from(want.recheck);
            seen.extend(want.labels.iter().cloned());
            if *complete {
                assert_eq!(labels, &want.labels, "labels: {what}");
            } else {
                // The length is implausible for the age: the script leaves out only the
                // weight-for-length/height and BMI categories, and says so.
                assert!(
                    want.zlen_flagged,
                    "incomplete without a flagged length: {what}"
                );
                let known: Vec<String> = want
                    .labels
                    .iter()
                    .filter(|c| !c.starts_with("wfl_") && !c.starts_with("bfa_u5_"))
                    .cloned()
                    .collect();
                assert_eq!(labels, &known, "labels (incomplete): {what}");
                partial += 1;
            }
            compared += 1;
        }
    }
    println!(
        "classify.js = server on {compared} cases, from the page's and the prepared day's \
         cut-points ({reference_cases} WHO reference cases, {} around cuts of {} children; \
         {own} tables packed in place); {partial} with an implausible length answered \
         without the BB/PB and IMT/U category; {left_out} typed values off the grid or invalid \
         left out; {rechecks} with periksa ulang; {} finding codes seen",
        compared - reference_cases,
        batch.len() - reference_cases,
        seen.len()
    );
    assert!(compared > 10_000, "only {compared} cases compared");
    assert!(rechecks > 1000, "only {rechecks} cases with periksa ulang");
    // Every category the page can show was reached.
    let balita = domain::catalogue::ALL.iter().filter(|r| {
        use domain::catalogue::Section;
        matches!(r.section, Section::BalitaAnthropometry | Section::Kms)
    });
    for r in balita {
        assert!(seen.contains(r.code), "{} never found", r.code);
    }
}

/// A fake document just large enough for `bind`: one form with the cut-points script, the
/// measurement inputs and one output list; each step types values and fires `input`.
const DOM_DRIVER: &str = r#"
const fs = require('fs');
const c = require(process.argv[2]);
const el = (attrs) => ({
  attrs, value: '', checked: false, children: [], hidden: false, textContent: '',
  getAttribute(n) { return n in this.attrs ? this.attrs[n] : null; },
  setAttribute(n, v) { this.attrs[n] = String(v); },
  get firstChild() { return this.children[0] || null; },
  removeChild(x) { this.children.splice(this.children.indexOf(x), 1); },
  appendChild(x) { this.children.push(x); },
});
const fields = {};
['weight', 'lenhei', 'position', 'head', 'muac', 'oedema'].forEach((n) => (fields[n] = el({ 'data-classify': n })));
const out = el({ 'data-classify-out': '', 'data-labels': fs.readFileSync(process.argv[4], 'utf8') });
const handlers = {};
const form = {
  querySelector(sel) {
    const m = /^\[data-classify="(\w+)"\](:checked)?$/.exec(sel);
    return m && !m[2] ? fields[m[1]] || null : null;
  },
  querySelectorAll(sel) { return sel === '[data-classify-out]' ? [out] : []; },
  addEventListener(type, h) { handlers[type] = h; },
};
const script = { textContent: fs.readFileSync(process.argv[3], 'utf8'), closest: (s) => (s === 'form' ? form : null) };
const doc = { getElementById: (id) => (id === 'cutpoints' ? script : null), createElement: () => el({}) };
out.ownerDocument = doc;
c.bind(doc);
const steps = JSON.parse(fs.readFileSync(process.argv[5], 'utf8'));
const seen = steps.map((s) => {
  ['weight', 'lenhei', 'position', 'head', 'muac'].forEach((n) => (fields[n].value = s[n] || ''));
  fields.oedema.checked = s.oedema;
  handlers.input();
  return [out.hidden, out.children.map((li) => [li.getAttribute('data-code'), li.textContent])];
});
process.stdout.write(JSON.stringify(seen));
"#;

#[test]
fn dom_binder_writes_the_servers_labels() {
    if Command::new("node").arg("--version").output().is_err() {
        return unavailable("node is not installed");
    }
    let s = Settings::default();
    let birth = date!(2024 - 05 - 01);
    let visit = birth + Duration::days(400);
    let history = vec![Weighing {
        date: visit - Duration::days(30),
        weight_kg: 9.0,
    }];
    let child = Child {
        sex: Sex::Female,
        birth,
        visit,
        history: Some(history),
        prev_length: None,
    };
    let cuts = cutpoints(&CutInput {
        sex: child.sex,
        birth_date: birth,
        visit_date: visit,
        previous_weighings: child.history.as_deref(),
        previous_length: None,
        settings: &s,
    })
    .unwrap();
    let t = |w: &str, l: &str, p: &'static str, oedema: bool| Typed {
        weight: (!w.is_empty()).then(|| w.to_string()),
        lenhei: (!l.is_empty()).then(|| l.to_string()),
        position: p,
        oedema,
        ..Default::default()
    };
    let steps = [
        t("", "", "", false),
        t("9,1", "74,5", "l", false),
        t("6.4", "74.5", "h", false),
        t("8,12345", "74.5", "l", false),
        t("9.1", "40", "l", false),
        t("9.1", "74.5", "", true),
        t("1,2", "", "", false),
    ];
    // The labels the server renders: the catalogue's Bahasa Indonesia text.
    let mut names: serde_json::Map<String, Value> = domain::catalogue::ALL
        .iter()
        .map(|r| (r.code.to_string(), json!(r.label)))
        .collect();
    names.insert("recheck".into(), json!("Periksa ulang"));
    names.insert(
        "incomplete".into(),
        json!("BB/PB dan IMT/U: ukur ulang panjang"),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, body: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        p
    };
    let steps_json: Vec<Value> = steps
        .iter()
        .map(|t| json!({"weight": t.weight, "lenhei": t.lenhei, "position": t.position, "oedema": t.oedema}))
        .collect();
    let run = Command::new("node")
        .arg(file("dom.js", DOM_DRIVER.into()))
        .arg(js_path().canonicalize().unwrap())
        .arg(file("cuts.json", serde_json::to_string(&cuts).unwrap()))
        .arg(file(
            "labels.json",
            Value::Object(names.clone()).to_string(),
        ))
        .arg(file("steps.json", Value::Array(steps_json).to_string()))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let seen: Vec<(bool, Vec<(String, String)>)> = serde_json::from_slice(&run.stdout).unwrap();
    for (t, (hidden, items)) in steps.iter().zip(seen) {
        let want = server(&child, t, &s);
        let mut codes: Vec<String> = want.recheck.then(|| "recheck".into()).into_iter().collect();
        let incomplete = want.zlen_flagged && want.grid[0].is_some() && !t.oedema;
        codes.extend(
            want.labels
                .iter()
                .filter(|c| !incomplete || !(c.starts_with("wfl_") || c.starts_with("bfa_u5_")))
                .cloned(),
        );
        if incomplete {
            codes.push("incomplete".into());
        }
        let texts: Vec<(String, String)> = codes
            .iter()
            .map(|c| (c.clone(), names[c].as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            items, texts,
            "{:?} {:?} {:?}",
            t.weight, t.lenhei, t.position
        );
        assert_eq!(hidden, texts.is_empty());
    }
}
