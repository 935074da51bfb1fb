//! Cut-points agree with `domain::screen` just below, at and just above every cut.
#![allow(clippy::unwrap_used)]

use domain::cutpoints::{Bands, CutInput, LengthMeasurement, Table, cutpoints};
use domain::{Measurements, Position, Settings, Sex, Visit, Weighing, screen};
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

// ---------------------------------------------------------------------------------------
// The remaining tables: weight-for-length/height and BMI per millimetre, MUAC, BGM,
// faltering, KMS with a history, weight drop/jump and length shrink.

const AGES: [i64; 9] = [0, 45, 200, 400, 729, 731, 800, 1500, 1826];

fn input<'a>(
    sex: Sex,
    birth: Date,
    visit: Date,
    history: Option<&'a [Weighing]>,
    prev_len: Option<LengthMeasurement>,
    s: &'a Settings,
) -> CutInput<'a> {
    CutInput {
        sex,
        birth_date: birth,
        visit_date: visit,
        previous_weighings: history,
        previous_length: prev_len,
        settings: s,
    }
}

/// Screen's findings restricted to `codes`, plus `"recheck"` when one of the z-scores named
/// in `zs` is flagged.
fn screened_with(
    sex: Sex,
    birth: Date,
    visit: Date,
    m: Measurements,
    history: Option<&[Weighing]>,
    codes: &[&str],
    zs: &[&str],
) -> Vec<String> {
    let mut v = Visit::new(Some(sex), birth, visit);
    v.measurements = m;
    v.previous_weighings = history.map(<[Weighing]>::to_vec);
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
        .any(|(name, z, _)| zs.contains(name) && z.is_some_and(|z| z.implausible))
    {
        out.push("recheck".into());
    }
    out.sort();
    out
}

fn around(cuts: &[i64], lo: i64, hi: i64) -> Vec<i64> {
    let mut v: Vec<i64> = cuts
        .iter()
        .flat_map(|&c| [c - 1, c, c + 1])
        .filter(|v| (lo..=hi).contains(v))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn table_band(t: &Table, mm: i64, g: i64) -> Option<Vec<&'static str>> {
    let row = t.rows.get(usize::try_from(mm - t.from_mm).ok()?)?;
    Some(t.labels[row.iter().filter(|c| **c <= g).count()].clone())
}

fn kg(g: i64) -> Option<f64> {
    Some(g as f64 / 1000.0)
}

fn cm(mm: i64) -> Option<f64> {
    Some(mm as f64 / 10.0)
}

const WFL_CODES: [&str; 5] = [
    "wfl_severely_wasted",
    "wfl_wasted",
    "wfl_risk_overweight",
    "wfl_overweight",
    "wfl_obese",
];
const BMI_CODES: [&str; 5] = [
    "bfa_u5_severely_wasted",
    "bfa_u5_wasted",
    "bfa_u5_risk_overweight",
    "bfa_u5_overweight",
    "bfa_u5_obese",
];

#[test]
fn weight_for_length_and_bmi_tables_match_screen() {
    let s = Settings::default();
    let birth = date!(2021 - 07 - 10);
    let mut checked = 0;
    for sex in [Sex::Male, Sex::Female] {
        for days in AGES {
            let visit = birth + Duration::days(days);
            let cp = cutpoints(&input(sex, birth, visit, None, None, &s)).unwrap();
            for l in &cp.lenhei {
                let p = if l.position == "l" {
                    Position::Lying
                } else {
                    Position::Standing
                };
                for (t, codes, z) in [(&l.wfl, &WFL_CODES, "zwfl"), (&l.bmi, &BMI_CODES, "zbmi")] {
                    let n = t.rows.len() as i64;
                    assert!(n > 0, "{sex:?} day {days} {} {z}: no rows", l.position);
                    // Every length at four ages (rows are copied between positions and
                    // weight-for-length rows shared between children: each copy is
                    // checked), every 17th and both ends at the others; each cut −1, at, +1.
                    let step = if [200, 400, 731, 1500].contains(&days) {
                        1
                    } else {
                        17
                    };
                    let mut lengths: Vec<i64> = (0..n).step_by(step).collect();
                    lengths.push(n - 1);
                    for i in lengths {
                        let mm = t.from_mm + i;
                        let row = &t.rows[i as usize];
                        assert!(row.windows(2).all(|w| w[0] <= w[1]), "cuts not sorted");
                        for g in around(row, 1, 300_000) {
                            let m = Measurements {
                                weight_kg: kg(g),
                                lenhei_cm: cm(mm),
                                measure: Some(p),
                                ..Default::default()
                            };
                            assert_eq!(
                                sorted(table_band(t, mm, g).unwrap()),
                                screened_with(sex, birth, visit, m, None, codes, &[z]),
                                "{sex:?} day {days} {} {mm} mm {g} g ({z})",
                                l.position
                            );
                            checked += 1;
                        }
                    }
                    // Just outside the table the length is flagged for age (the page shows
                    // "periksa ulang" for the length) or WHO gives no z.
                    for mm in [t.from_mm - 1, t.from_mm + n] {
                        let m = Measurements {
                            weight_kg: kg(10_000),
                            lenhei_cm: cm(mm),
                            measure: Some(p),
                            ..Default::default()
                        };
                        let mut v = Visit::new(Some(sex), birth, visit);
                        v.measurements = m;
                        let zs = screen(&v, &s).unwrap().zscores;
                        let outside = if z == "zwfl" { zs.zwfl } else { zs.zbmi };
                        assert!(
                            outside.is_none() || zs.zlen.is_some_and(|z| z.implausible),
                            "{sex:?} day {days} {} {mm} mm is outside the {z} table",
                            l.position
                        );
                    }
                }
            }
        }
    }
    println!("{checked} values checked");
    assert!(checked > 100_000, "only {checked} values checked");
}

#[test]
fn muac_cuts_match_screen() {
    let s = Settings::default();
    let birth = date!(2022 - 01 - 31);
    let mut checked = 0;
    for sex in [Sex::Male, Sex::Female] {
        for days in [0i64, 90, 91, 182, 183, 400, 1000, 1826] {
            let visit = birth + Duration::days(days);
            let cp = cutpoints(&input(sex, birth, visit, None, None, &s)).unwrap();
            let months = domain::age::completed_months(days);
            assert_eq!(
                cp.muac_sam.is_some(),
                (6..=59).contains(&months),
                "day {days}"
            );
            assert_eq!(cp.zac.is_some(), days >= 91, "day {days}");
            let mut cuts = vec![];
            cuts.extend(cp.muac_sam.iter().flat_map(|b| b.cuts.clone()));
            cuts.extend(cp.zac.iter().flat_map(|b| b.cuts.clone()));
            cuts.extend([1, 115, 600]);
            for mm in around(&cuts, 1, 600) {
                let m = || Measurements {
                    muac_cm: cm(mm),
                    ..Default::default()
                };
                let mut want = cp
                    .muac_sam
                    .as_ref()
                    .map(|b| band(b, mm))
                    .unwrap_or_default();
                want.extend(cp.zac.as_ref().map(|b| band(b, mm)).unwrap_or_default());
                assert_eq!(
                    sorted(want),
                    screened_with(sex, birth, visit, m(), None, &["muac_sam"], &["zac"]),
                    "{sex:?} day {days} MUAC {mm} mm"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} values checked");
}

/// Histories that exercise B, O, N, T, 2T, faltering and weight change for a visit on
/// `visit`: `(name, history)`; weights near the WHO median for the age.
fn histories(sex: Sex, birth: Date, visit: Date) -> Vec<(String, Option<Vec<Weighing>>)> {
    // Dates before birth get a made-up weight and are dropped with their history below.
    let median = |d: Date| {
        let days = (d - birth).whole_days();
        growth::value_at_z(
            growth::Indicator::WeightForAge,
            sex.to_growth(),
            days as f64,
            0.0,
        )
        .unwrap_or(3.0)
    };
    let w = |d: Date, dz: f64| Weighing {
        date: d,
        weight_kg: (median(d) * (1.0 + dz) * 1000.0).round() / 1000.0,
    };
    let m1 = visit - Duration::days(30);
    let m2 = visit - Duration::days(61);
    let recent = visit - Duration::days(10);
    let mut out = vec![
        ("unknown".into(), None),
        ("never weighed".into(), Some(vec![])),
        ("last month".into(), Some(vec![w(m1, 0.0)])),
        ("two months".into(), Some(vec![w(m1, -0.02), w(m2, 0.0)])),
        ("2T history".into(), Some(vec![w(m1, 0.0), w(m2, 0.05)])),
        ("heavy last month".into(), Some(vec![w(m1, 0.25)])),
        ("only older".into(), Some(vec![w(m2, 0.0)])),
        (
            "this month too".into(),
            Some(vec![w(recent, 0.0), w(m1, 0.0)]),
        ),
    ];
    out.retain(|(_, h)| {
        h.as_ref()
            .is_none_or(|h| h.iter().all(|w| w.date >= birth && w.date < visit))
    });
    out
}

const KMS_CODES: [&str; 6] = ["kms_b", "kms_o", "kms_n", "kms_t", "kms_2t", "kms_bgm"];

#[test]
fn bgm_faltering_and_kms_bands_match_screen() {
    let s = Settings::default();
    let birth = date!(2023 - 05 - 17);
    let mut checked = 0;
    let mut seen = std::collections::BTreeSet::new();
    for sex in [Sex::Male, Sex::Female] {
        for days in [20i64, 40, 75, 100, 200, 330, 700, 730, 731, 1200, 1826] {
            let visit = birth + Duration::days(days);
            for (name, h) in histories(sex, birth, visit) {
                let cp = cutpoints(&input(sex, birth, visit, h.as_deref(), None, &s)).unwrap();
                assert_eq!(cp.kms.is_some(), h.is_some());
                let mut cuts = cp.bgm.cuts.clone();
                cuts.extend(cp.faltering.iter().flat_map(|b| b.cuts.clone()));
                cuts.extend(cp.kms.iter().flat_map(|b| b.cuts.clone()));
                cuts.extend([1, 300_000]);
                for g in around(&cuts, 1, 300_000) {
                    let m = || Measurements {
                        weight_kg: kg(g),
                        ..Default::default()
                    };
                    let mut kms = band(&cp.bgm, g);
                    kms.extend(cp.kms.as_ref().map(|b| band(b, g)).unwrap_or_default());
                    let hs = h.as_deref();
                    let what = format!("{sex:?} day {days} {name} {g} g");
                    let got = screened_with(sex, birth, visit, m(), hs, &KMS_CODES, &[]);
                    seen.extend(got.clone());
                    assert_eq!(sorted(kms), got, "{what}");
                    let falter = cp
                        .faltering
                        .as_ref()
                        .map(|b| band(b, g))
                        .unwrap_or_default();
                    let got = screened_with(sex, birth, visit, m(), hs, &["weight_faltering"], &[]);
                    seen.extend(got.clone());
                    assert_eq!(sorted(falter), got, "{what}");
                    checked += 1;
                }
            }
        }
    }
    // Every code was reached, so every band was tested with values on both sides.
    for code in KMS_CODES.iter().chain(&["weight_faltering"]) {
        assert!(seen.contains(*code), "{code} never found: {seen:?}");
    }
    assert!(checked > 500, "only {checked} values checked");
}

#[test]
fn weight_change_bands_match_the_limits() {
    let s = Settings::default();
    let birth = date!(2022 - 09 - 02);
    let mut checked = 0;
    for (days, gap, last_kg) in [
        (400i64, 30i64, 9.0),
        (400, 3, 9.0),
        (400, 6, 9.4),
        (400, 7, 9.4),
        (100, 45, 5.2),
        (1826, 90, 17.55),
        (60, 60, 3.3),
        (800, 1, 0.001),
    ] {
        let visit = birth + Duration::days(days);
        let last = Weighing {
            date: visit - Duration::days(gap),
            weight_kg: last_kg,
        };
        let h = [last];
        let cp = cutpoints(&input(Sex::Female, birth, visit, Some(&h), None, &s)).unwrap();
        let b = cp.weight_change.unwrap();
        let prev = (last_kg * 1000.0).round() as i64;
        let limit = (80 * gap).max(500);
        for g in around(&b.cuts, 1, 300_000) {
            // Independent of the module: a fall of more than 10 % of the last weight, or a
            // gain of more than 80 g a day (at least 500 g).
            let drop = (g as f64) < 0.9 * prev as f64 - 1e-9;
            let jump = g - prev > limit;
            let want: Vec<&str> = if drop || jump {
                vec!["recheck"]
            } else {
                vec![]
            };
            assert_eq!(
                band(&b, g),
                want,
                "day {days} gap {gap} last {last_kg} kg {g} g"
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} values checked");
}

#[test]
fn length_shrink_bands_match_the_limit() {
    let s = Settings::default();
    let birth = date!(2021 - 12 - 25);
    let mut checked = 0;
    // (age today, age then, then mm, then position)
    for (days, then_days, then_mm, then_pos) in [
        (400i64, 370i64, 745i64, Position::Lying),
        (400, 370, 738, Position::Standing),
        (200, 150, 640, Position::Standing), // under 9 months: no adjustment then
        (760, 700, 850, Position::Lying),
        (760, 740, 850, Position::Lying),
        (760, 700, 843, Position::Standing),
        (1500, 1400, 1010, Position::Standing),
    ] {
        let visit = birth + Duration::days(days);
        let prev = LengthMeasurement {
            date: birth + Duration::days(then_days),
            mm: then_mm,
            position: then_pos,
        };
        let cp = cutpoints(&input(Sex::Male, birth, visit, None, Some(prev), &s)).unwrap();
        // Both brought to the WHO basis of their own age (±7 mm), then compared.
        let basis = |mm: i64, age: i64, p: Position| match p {
            Position::Standing if age < 731 && (age as f64) / 30.4375 >= 9.0 => mm + 7,
            Position::Lying if age >= 731 => mm - 7,
            _ => mm,
        };
        for l in &cp.lenhei {
            let p = if l.position == "l" {
                Position::Lying
            } else {
                Position::Standing
            };
            let b = l.shrink.as_ref().unwrap();
            for mm in around(&b.cuts, 1, 2500) {
                let shrank = basis(then_mm, then_days, then_pos) - basis(mm, days, p) > 7;
                let want: Vec<&str> = if shrank { vec!["recheck"] } else { vec![] };
                assert_eq!(
                    band(b, mm),
                    want,
                    "day {days} then {then_mm} mm {then_pos:?}, now {mm} mm {p:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 40, "only {checked} values checked");
}
