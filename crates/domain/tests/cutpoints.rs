//! Cut-points agree with `domain::screen` just below, at and just above every cut.
#![allow(clippy::unwrap_used)]

use domain::cutpoints::{Bands, CutInput, cutpoints};
use domain::{Measurements, Position, Settings, Sex, Visit, screen};
use time::{Date, Duration, macros::date};

fn band(b: &Bands, v: i64) -> Vec<&'static str> {
    b.labels[b.cuts.iter().filter(|c| **c <= v).count()].clone()
}

fn screened(sex: Sex, birth: Date, visit: Date, m: Measurements, codes: &[&str]) -> Vec<String> {
    let mut v = Visit::new(Some(sex), birth, visit);
    v.measurements = m;
    let s = screen(&v, &Settings::default()).unwrap();
    let mut out: Vec<String> = s
        .findings
        .iter()
        .map(|r| r.code.to_string())
        .filter(|c| codes.contains(&c.as_str()))
        .collect();
    if s.zscores
        .named()
        .iter()
        .any(|(_, z, _)| z.is_some_and(|z| z.implausible))
    {
        out.push("recheck".into());
    }
    out.sort();
    out
}

fn sorted(v: Vec<&str>) -> Vec<String> {
    let mut v: Vec<String> = v.into_iter().map(String::from).collect();
    v.sort();
    v
}

#[test]
fn weight_length_and_head_cuts_match_screen() {
    let s = Settings::default();
    let birth = date!(2022 - 03 - 01);
    let mut checked = 0;
    for sex in [Sex::Male, Sex::Female] {
        for days in [0i64, 45, 200, 400, 800, 1500, 1826] {
            let visit = birth + Duration::days(days);
            let input = CutInput {
                sex,
                birth_date: birth,
                visit_date: visit,
                previous_weighings: None,
                previous_length: None,
                settings: &s,
            };
            let cp = cutpoints(&input).unwrap();
            let wfa_codes = [
                "wfa_severely_underweight",
                "wfa_underweight",
                "wfa_risk_overweight",
            ];
            for &c in &cp.wfa.cuts {
                for g in [c - 1, c, c + 1]
                    .into_iter()
                    .filter(|g| (1..=300_000).contains(g))
                {
                    let m = Measurements {
                        weight_kg: Some(g as f64 / 1000.0),
                        ..Default::default()
                    };
                    assert_eq!(
                        sorted(band(&cp.wfa, g)),
                        screened(sex, birth, visit, m, &wfa_codes),
                        "{sex:?} day {days} {g} g"
                    );
                    checked += 1;
                }
            }
            let lfa_codes = ["lfa_severely_stunted", "lfa_stunted", "lfa_tall"];
            let std = if days < 731 {
                Position::Lying
            } else {
                Position::Standing
            };
            let l = cp
                .lenhei
                .iter()
                .find(|l| l.position == if days < 731 { "l" } else { "h" })
                .unwrap();
            for &c in &l.lfa.cuts {
                for mm in [c - 1, c, c + 1]
                    .into_iter()
                    .filter(|v| (1..=2500).contains(v))
                {
                    let m = Measurements {
                        lenhei_cm: Some(mm as f64 / 10.0),
                        measure: Some(std),
                        ..Default::default()
                    };
                    assert_eq!(
                        sorted(band(&l.lfa, mm)),
                        screened(sex, birth, visit, m, &lfa_codes),
                        "{sex:?} day {days} {mm} mm"
                    );
                    checked += 1;
                }
            }
            let hc_codes = ["hc_microcephaly", "hc_macrocephaly"];
            for &c in &cp.head.cuts {
                for mm in [c - 1, c, c + 1]
                    .into_iter()
                    .filter(|v| (1..=700).contains(v))
                {
                    let m = Measurements {
                        head_cm: Some(mm as f64 / 10.0),
                        ..Default::default()
                    };
                    assert_eq!(
                        sorted(band(&cp.head, mm)),
                        screened(sex, birth, visit, m, &hc_codes),
                        "{sex:?} day {days} head {mm} mm"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 300, "only {checked} values checked");
}
