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

/// One child on one visit date, with what the cut-points depend on.
struct Child {
    sex: Sex,
    birth: Date,
    visit: Date,
    history: Option<Vec<Weighing>>,
    prev_length: Option<LengthMeasurement>,
}

/// Measurements as typed. `position` is `"l"`, `"h"` or `""` (not recorded).
#[derive(Clone, Default)]
struct Typed {
    weight: Option<String>,
    lenhei: Option<String>,
    position: &'static str,
    head: Option<String>,
    muac: Option<String>,
    oedema: bool,
}

/// The text's value in 1/10^places of its unit if it is on that grid (independent of the
/// script's conversion, which must agree).
fn on_grid(text: &str, places: usize) -> Option<i64> {
    let t = text.trim().replace(',', ".");
    let (int, frac) = t.split_once('.').unwrap_or((&t, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) {
        return None;
    }
    if frac.len() > places && frac[places..].bytes().any(|b| b != b'0') {
        return None;
    }
    let mut f: String = frac.chars().take(places).collect();
    while f.len() < places {
        f.push('0');
    }
    let v = int.parse::<i64>().ok()? * 10i64.pow(places as u32) + f.parse::<i64>().unwrap_or(0);
    (v > 0).then_some(v)
}

fn kg_text(g: i64, comma: bool) -> String {
    format!(
        "{}{}{:03}",
        g / 1000,
        if comma { ',' } else { '.' },
        g % 1000
    )
}

fn cm_text(mm: i64, comma: bool) -> String {
    format!("{}{}{}", mm / 10, if comma { ',' } else { '.' }, mm % 10)
}

/// What the server answers, and which grid values it was given (`None` = left out: absent,
/// invalid or finer than the grid).
struct Server {
    grid: [Option<i64>; 4],
    labels: Vec<String>,
    recheck: bool,
    zlen_flagged: bool,
}

fn server(c: &Child, t: &Typed, s: &Settings) -> Server {
    // Valid as the server validates (rules.md §11.3) and on the grid; else left out.
    let field = |text: &Option<String>, places: usize, max: i64| {
        let v = on_grid(text.as_deref()?, places)?;
        (v <= max).then_some(v)
    };
    let g = field(&t.weight, 3, LIMITS.weight_g);
    let len = field(&t.lenhei, 1, LIMITS.lenhei_mm);
    let head = field(&t.head, 1, LIMITS.head_mm);
    let muac = field(&t.muac, 1, LIMITS.muac_mm);
    // The number the server reads from the typed text.
    let number = |text: &Option<String>, v: Option<i64>| {
        v.and(text.as_ref())
            .map(|t| t.trim().replace(',', ".").parse::<f64>().unwrap())
    };
    let measure = match t.position {
        "l" => Some(Position::Lying),
        "h" => Some(Position::Standing),
        _ => None,
    };
    let mut v = Visit::new(Some(c.sex), c.birth, c.visit);
    v.measurements = Measurements {
        weight_kg: number(&t.weight, g),
        lenhei_cm: number(&t.lenhei, len),
        measure,
        head_cm: number(&t.head, head),
        muac_cm: number(&t.muac, muac),
        oedema: t.oedema,
        ..Default::default()
    };
    v.previous_weighings = c.history.clone();
    let sc = screen(&v, s).unwrap();
    let mut recheck = sc
        .zscores
        .named()
        .iter()
        .any(|(_, z, _)| z.is_some_and(|z| z.implausible));
    if let (Some(h), Some(g)) = (&c.history, g)
        && let Some(last) = last_weighing(h, c.visit)
    {
        recheck |= weight_change(last, c.visit, g) != 0;
    }
    if let (Some(prev), Some(mm)) = (c.prev_length, len) {
        let standard = if sc.age.days < 731 {
            Position::Lying
        } else {
            Position::Standing
        };
        recheck |= length_shrank(c.birth, prev, c.visit, mm, measure.unwrap_or(standard));
    }
    Server {
        grid: [g, len, head, muac],
        labels: sc.findings.iter().map(|r| r.code.to_string()).collect(),
        recheck,
        zlen_flagged: sc.zscores.zlen.is_some_and(|z| z.implausible),
    }
}

fn median(indicator: growth::Indicator, c: &Child, scale: f64) -> Option<i64> {
    let days = (c.visit - c.birth).whole_days() as f64;
    growth::value_at_z(indicator, c.sex.to_growth(), days, 0.0).map(|v| (v * scale).round() as i64)
}

fn around(cuts: &[i64], max: i64) -> Vec<i64> {
    let mut v: Vec<i64> = cuts
        .iter()
        .flat_map(|&c| [c - 1, c, c + 1])
        .filter(|v| (1..=max).contains(v))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// Values just below, at and above every cut of every table of `cp`, each with the other
/// measurements near the median (or absent, to vary the combinations).
fn grid_cases(c: &Child, cp: &CutPoints) -> Vec<Typed> {
    use growth::Indicator as I;
    let std_pos = cp.standard_position;
    let w0 = median(I::WeightForAge, c, 1000.0);
    let l0 = median(I::LengthHeightForAge, c, 10.0);
    let h0 = median(I::HeadCircumferenceForAge, c, 10.0);
    let m0 = median(I::ArmCircumferenceForAge, c, 10.0).or(Some(110));
    let mut out = Vec::new();
    let mut n = 0usize;
    let mut comma = || {
        n += 1;
        n.is_multiple_of(2)
    };
    let weight_bands = [
        Some(&cp.wfa),
        Some(&cp.bgm),
        cp.faltering.as_ref(),
        cp.kms.as_ref(),
        cp.weight_change.as_ref(),
    ];
    for b in weight_bands.into_iter().flatten() {
        for g in around(&b.cuts, LIMITS.weight_g) {
            for oedema in [false, true] {
                out.push(Typed {
                    weight: Some(kg_text(g, comma())),
                    lenhei: l0.map(|mm| cm_text(mm, comma())),
                    position: std_pos,
                    head: h0.map(|mm| cm_text(mm, comma())),
                    muac: m0.map(|mm| cm_text(mm, comma())),
                    oedema,
                });
            }
        }
    }
    for l in &cp.lenhei {
        let mut cuts = l.lfa.cuts.clone();
        cuts.extend(l.shrink.iter().flat_map(|b| b.cuts.clone()));
        for mm in around(&cuts, LIMITS.lenhei_mm) {
            out.push(Typed {
                weight: w0.map(|g| kg_text(g, comma())),
                lenhei: Some(cm_text(mm, comma())),
                position: l.position,
                ..Default::default()
            });
        }
        for t in [&l.wfl, &l.bmi] {
            // Tables do not depend on the history: sample them densely once per age.
            let n = t.rows.len();
            let step = if c.history.is_none() { 7 } else { 61 };
            let mut rows: Vec<usize> = (0..n).step_by(step).collect();
            rows.extend(n.checked_sub(1));
            for i in rows {
                let mm = t.from_mm + i as i64;
                for g in around(&t.rows[i], LIMITS.weight_g) {
                    out.push(Typed {
                        weight: Some(kg_text(g, comma())),
                        lenhei: Some(cm_text(mm, comma())),
                        position: l.position,
                        ..Default::default()
                    });
                }
            }
            // Just outside the table: lengths flagged for age or without WHO's z.
            if n > 0 {
                for mm in [t.from_mm - 1, t.from_mm + n as i64] {
                    for g in [w0.unwrap_or(3000), 2_000, 30_000] {
                        out.push(Typed {
                            weight: Some(kg_text(g, comma())),
                            lenhei: Some(cm_text(mm, comma())),
                            position: l.position,
                            ..Default::default()
                        });
                    }
                }
            }
        }
    }
    for mm in around(&cp.head.cuts, LIMITS.head_mm) {
        out.push(Typed {
            head: Some(cm_text(mm, comma())),
            ..Default::default()
        });
    }
    let mut muac_cuts = vec![];
    muac_cuts.extend(cp.muac_sam.iter().flat_map(|b| b.cuts.clone()));
    muac_cuts.extend(cp.zac.iter().flat_map(|b| b.cuts.clone()));
    for mm in around(&muac_cuts, LIMITS.muac_mm) {
        out.push(Typed {
            muac: Some(cm_text(mm, comma())),
            ..Default::default()
        });
    }
    out
}

/// Children at a spread of ages, both sexes, with and without histories.
fn grid_children() -> Vec<Child> {
    let birth = date!(2022 - 01 - 31);
    let mut out = vec![];
    for sex in [Sex::Male, Sex::Female] {
        for days in [
            0i64, 35, 100, 183, 250, 400, 700, 730, 731, 1000, 1500, 1826,
        ] {
            let visit = birth + Duration::days(days);
            let c = Child {
                sex,
                birth,
                visit,
                history: None,
                prev_length: None,
            };
            let w = |d: i64, scale: f64| {
                let date = visit - Duration::days(d);
                let days = (date - birth).whole_days() as f64;
                let m =
                    growth::value_at_z(growth::Indicator::WeightForAge, sex.to_growth(), days, 0.0);
                m.map(|m| Weighing {
                    date,
                    weight_kg: (m * scale * 1000.0).round() / 1000.0,
                })
            };
            let prev_length = (days >= 40).then(|| LengthMeasurement {
                date: visit - Duration::days(30),
                mm: median(growth::Indicator::LengthHeightForAge, &c, 10.0).unwrap(),
                position: Position::Lying,
            });
            let histories: Vec<Option<Vec<Weighing>>> = vec![
                None,
                Some(vec![]),
                w(30, 1.0).map(|a| vec![a]),
                w(30, 1.0).zip(w(61, 1.05)).map(|(a, b)| vec![a, b]),
            ];
            for (i, history) in histories.into_iter().enumerate() {
                if history
                    .as_ref()
                    .is_some_and(|h| h.iter().any(|w| w.date < birth))
                {
                    continue;
                }
                out.push(Child {
                    sex,
                    birth,
                    visit,
                    history,
                    prev_length: prev_length.filter(|_| i >= 2),
                });
            }
        }
    }
    out
}

/// WHO's public cases under 5 years with a sex and a whole-day age, as typed measurements.
fn reference_children(path: &Path) -> Vec<(Child, Typed)> {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (standard, sex, age, weight, lenhei, measure, head, muac, oedema) = (
        col("standard"),
        col("sex"),
        col("age_days"),
        col("weight_kg"),
        col("lenhei_cm"),
        col("measure"),
        col("headc_cm"),
        col("armc_cm"),
        col("oedema"),
    );
    let birth = date!(2020 - 01 - 01);
    let mut out = vec![];
    for r in rdr.records() {
        let r = r.unwrap();
        let sex = match &r[sex] {
            "1" => Sex::Male,
            "2" => Sex::Female,
            _ => continue,
        };
        let Ok(days) = r[age].parse::<i64>() else {
            continue; // no age, or a fractional day: no visit date gives it
        };
        if &r[standard] != "who2006" || !(0..=1826).contains(&days) {
            continue;
        }
        let text = |i: usize| (!r[i].is_empty()).then(|| r[i].to_string());
        let typed = Typed {
            weight: text(weight),
            lenhei: text(lenhei),
            position: match &r[measure] {
                "l" | "L" => "l",
                "h" | "H" => "h",
                _ => "",
            },
            head: text(head),
            muac: text(muac),
            oedema: &r[oedema] == "y",
        };
        let child = Child {
            sex,
            birth,
            visit: birth + Duration::days(days),
            history: None,
            prev_length: None,
        };
        out.push((child, typed));
    }
    out
}

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
