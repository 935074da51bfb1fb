//! Random visits against small oracles written from rules.md alone (§2 KMS, §4 BP/glucose/
//! cholesterol, §5 adult BMI/waist, §7 anaemia, §9 immunization). Every number is an exact
//! decimal (grams, millimetres, hundredths), so the oracles compare in integers and the
//! program must agree on every boundary the generator lands on.

use super::*;
use proptest::prelude::*;

/// code, after, min interval (days), due, overdue, until (months; HB0 in days), rules.md §9.
type Dose = (&'static str, Option<&'static str>, i64, i64, i64, i64);
const SCHEDULE: &[Dose] = &[
    ("HB0", None, 0, 0, 1, 8),
    ("BCG", None, 0, 0, 1, 12),
    ("OPV1", None, 0, 0, 1, 60),
    ("DPT_HB_HIB1", None, 0, 2, 3, 60),
    ("OPV2", Some("OPV1"), 28, 2, 3, 60),
    ("PCV1", None, 0, 2, 3, 12),
    ("RV1", None, 0, 2, 3, 7),
    ("DPT_HB_HIB2", Some("DPT_HB_HIB1"), 28, 3, 4, 60),
    ("OPV3", Some("OPV2"), 28, 3, 4, 60),
    ("PCV2", Some("PCV1"), 28, 3, 4, 12),
    ("RV2", Some("RV1"), 28, 3, 4, 7),
    ("DPT_HB_HIB3", Some("DPT_HB_HIB2"), 28, 4, 5, 60),
    ("OPV4", Some("OPV3"), 28, 4, 5, 60),
    ("RV3", Some("RV2"), 28, 4, 5, 7),
    ("IPV1", None, 0, 4, 5, 60),
    ("MR1", None, 0, 9, 10, 60),
    ("IPV2", Some("IPV1"), 122, 9, 10, 60),
    ("JE", None, 0, 10, 11, 60),
    ("PCV3", Some("PCV2"), 56, 12, 13, 24),
    ("DPT_HB_HIB4", Some("DPT_HB_HIB3"), 365, 18, 24, 60),
    ("MR2", Some("MR1"), 183, 18, 24, 60),
];
const IDL_POST2022: &[&str] = &[
    "HB0",
    "BCG",
    "OPV1",
    "OPV2",
    "OPV3",
    "OPV4",
    "DPT_HB_HIB1",
    "DPT_HB_HIB2",
    "DPT_HB_HIB3",
    "PCV1",
    "PCV2",
    "RV1",
    "RV2",
    "RV3",
    "IPV1",
    "IPV2",
    "MR1",
];
const IDL_PMK12: &[&str] = &[
    "HB0",
    "BCG",
    "OPV1",
    "OPV2",
    "OPV3",
    "OPV4",
    "DPT_HB_HIB1",
    "DPT_HB_HIB2",
    "DPT_HB_HIB3",
    "MR1",
];

fn completed_months(days: i64) -> i64 {
    16 * days / 487
}

fn immunization_oracle(days: i64, doses: &[(&str, i64)], je: bool, pmk12: bool) -> Value {
    let mut given: std::collections::BTreeMap<&str, i64> = Default::default();
    for &(v, at) in doses {
        let e = given.entry(v).or_insert(at);
        *e = (*e).min(at);
    }
    let (mut due, mut overdue) = (Vec::new(), Vec::new());
    for &(code, after, interval, d, o, until) in SCHEDULE {
        if (code == "JE" && !je) || given.contains_key(code) {
            continue;
        }
        if let Some(prev) = after
            && given.get(prev).is_none_or(|&at| days < at + interval)
        {
            continue;
        }
        let age = if code == "HB0" {
            days
        } else {
            completed_months(days)
        };
        if age >= until {
            continue;
        }
        if age >= o {
            overdue.push(code);
        } else if age >= d {
            due.push(code);
        }
    }
    let all_by = |set: &[&str], limit: i64| {
        set.iter()
            .all(|c| given.get(c).is_some_and(|&at| at <= limit))
    };
    let idl = all_by(if pmk12 { IDL_PMK12 } else { IDL_POST2022 }, 365);
    let baduta: &[&str] = if pmk12 {
        &["DPT_HB_HIB4", "MR2"]
    } else {
        &["PCV3", "DPT_HB_HIB4", "MR2"]
    };
    json!({"due": due, "overdue": overdue, "idl_complete": idl,
           "baduta_complete": all_by(baduta, 730)})
}

fn visit_on(v: Date, birth: Date) -> Value {
    json!({"id": "o", "sex": "F", "birth_date": birth.to_string(), "visit_date": v.to_string()})
}

fn prev_month(d: Date) -> (i32, u8) {
    if d.month() == Month::January {
        (d.year() - 1, 12)
    } else {
        (d.year(), u8::from(d.month()) - 1)
    }
}

/// *last* of rules.md §2: the latest entry dated in the month before `d`'s (on equal dates,
/// the later entry in the list).
fn latest_before(hist: &[(Date, i64)], d: Date) -> Option<(Date, i64)> {
    let ym = prev_month(d);
    hist.iter()
        .copied()
        .filter(|(date, _)| (date.year(), u8::from(date.month())) == ym)
        .reduce(|a, b| if b.0 >= a.0 { b } else { a })
}

/// Gain in grams from weights in tenths of a gram, rounded half away from zero.
fn gain_g(later: i64, earlier: i64) -> i64 {
    let t = later - earlier;
    (t + 5 * t.signum()) / 10
}

fn kbm(months: i64, m3: i64, last_300: i64) -> i64 {
    match months {
        1 => 800,
        2 => 900,
        3 => m3,
        4 => 600,
        5 => 500,
        6 => 400,
        m if m <= last_300 => 300,
        _ => 200,
    }
}

fn kms_oracle(
    birth: Date,
    v: Date,
    today: i64,
    hist: &[(Date, i64)],
    m3: i64,
    l300: i64,
) -> Vec<&'static str> {
    if hist.is_empty() {
        return vec!["kms_b"];
    }
    let Some(last) = latest_before(hist, v) else {
        return vec!["kms_o"];
    };
    let is_t = |date: Date, w: i64, prev: (Date, i64)| {
        let mo = completed_months((date - birth).whole_days());
        (mo >= 1).then(|| gain_g(w, prev.1) < kbm(mo, m3, l300))
    };
    match is_t(v, today, last) {
        None => vec![],
        Some(false) => vec!["kms_n"],
        Some(true) => {
            let two = latest_before(hist, last.0).and_then(|b| is_t(last.0, last.1, b));
            if two == Some(true) {
                vec!["kms_2t", "kms_t"]
            } else {
                vec!["kms_t"]
            }
        }
    }
}

/// Gains (g) the generator aims at: every KBM of §2 and a few others.
const KBMS: &[i64] = &[0, 100, 200, 300, 400, 500, 600, 800, 900, 1_000];

fn visits() -> impl Strategy<Value = Date> {
    prop_oneof![
        Just(Date::from_calendar_date(2025, Month::January, 15).unwrap()),
        Just(Date::from_calendar_date(2025, Month::June, 15).unwrap()),
        Just(Date::from_calendar_date(2024, Month::March, 1).unwrap()),
    ]
}

/// The adult/child rules of §4, §5 and §7 in integers: S/D in tenths of mmHg, glucose and
/// cholesterol in tenths of mg/dL, weight in grams, height in mm, Hb in hundredths of g/dL.
fn adult_oracle(
    years: i32,
    balita: bool,
    months: i64,
    male: bool,
    m: &[i64; 9],
) -> Vec<&'static str> {
    let [s, d, gds, gdp, tc, w, h, waist, hb] = *m;
    let mut f = Vec::new();
    if d < s {
        if (13..18).contains(&years) {
            let cs = [1200, 1300, 1400].iter().filter(|&&c| s >= c).count();
            let cd = if d < 800 {
                0
            } else if d < 900 {
                2
            } else {
                3
            };
            match cs.max(cd) {
                1 => f.push("bp_elevated_adolescent"),
                2 => f.push("hypertension_stage1_adolescent"),
                3 => f.push("hypertension_stage2_adolescent"),
                _ => {}
            }
        } else if years >= 18 {
            let cs = [1300, 1400, 1600, 1800].iter().filter(|&&c| s >= c).count();
            let cd = [850, 900, 1000, 1100].iter().filter(|&&c| d >= c).count();
            let codes = [
                "bp_high_normal",
                "hypertension_grade1",
                "hypertension_grade2",
                "hypertension_grade3",
            ];
            if let Some(c) = cs.max(cd).checked_sub(1) {
                f.push(codes[c]);
            }
            if s >= 1400 && d < 900 {
                f.push("hypertension_isolated_systolic");
            }
        }
    }
    if !balita {
        if gds >= 2000 {
            f.push("glucose_random_diabetes");
        } else if gds >= 1400 {
            f.push("glucose_random_prediabetes");
        }
        if gdp >= 1260 {
            f.push("glucose_fasting_diabetes");
        } else if gdp >= 1000 {
            f.push("glucose_fasting_prediabetes");
        }
    }
    if years >= 15 {
        if tc >= 2400 {
            f.push("cholesterol_high");
        } else if tc >= 2000 {
            f.push("cholesterol_borderline");
        }
        if waist > if male { 900 } else { 800 } {
            f.push("central_obesity");
        }
    }
    if years >= 19 {
        // BMI < c/10 ⟺ grams·10000 < c·mm².
        let below = |c: i64| w * 10_000 < c * h * h;
        f.push(if below(185) {
            "bmi_underweight"
        } else if below(230) {
            ""
        } else if below(250) {
            "bmi_overweight"
        } else if below(300) {
            "bmi_obese_1"
        } else {
            "bmi_obese_2"
        });
    }
    let cut = if balita {
        (months >= 6).then_some((1100, 1000, 700))
    } else if years <= 11 {
        Some((1150, 1100, 800))
    } else if years <= 14 || !male {
        Some((1200, 1100, 800))
    } else {
        Some((1300, 1100, 800))
    };
    if let Some((a, mild, moderate)) = cut
        && hb < a
    {
        f.push(if hb >= mild {
            "anemia_mild"
        } else if hb >= moderate {
            "anemia_moderate"
        } else {
            "anemia_severe"
        });
    }
    f.retain(|c| !c.is_empty());
    f.sort_unstable();
    f
}

fn near(cuts: &'static [i64], spread: i64) -> impl Strategy<Value = i64> {
    (0..cuts.len(), -spread..=spread).prop_map(move |(i, o)| cuts[i] + o)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn immunization_agrees_with_the_schedule_oracle(
        days in 0i64..=1826,
        doses in proptest::collection::vec((0..SCHEDULE.len(), 0.0f64..=1.0), 0..24),
        je in any::<bool>(),
        pmk12 in any::<bool>(),
    ) {
        let doses: Vec<(&str, i64)> =
            doses.iter().map(|&(i, x)| (SCHEDULE[i].0, (x * days as f64).round() as i64)).collect();
        let set = if pmk12 { "pmk12_2017" } else { "post2022" };
        let settings = [
            format!("je_endemic={je}"),
            format!("idl_set={set}"),
            format!("baduta_set={set}"),
        ];
        let mut s = Settings::default();
        for p in &settings {
            s.apply(p).unwrap();
        }
        let list: Vec<Value> = doses
            .iter()
            .map(|(v, at)| json!({"vaccine": v, "date": date_minus(days - at)}))
            .collect();
        let input = with(base("M", &days_old(days)), "immunizations", json!(list));
        let out: Value = serde_json::from_str(&screen_line(&input.to_string(), &s)).unwrap();
        prop_assert_eq!(&out["immunization"], &immunization_oracle(days, &doses, je, pmk12));
    }

    #[test]
    fn kms_agrees_with_the_kbm_oracle(
        v in visits(),
        days in 0i64..=1826,
        today in 20_000i64..=200_000,
        hist in proptest::collection::vec((1i64..=130, 0..KBMS.len(), -15i64..=15), 0..6),
        known in prop::bool::weighted(0.9),
        m3 in prop_oneof![Just(800i64), Just(600)],
        l300 in prop_oneof![Just(10i64), Just(11)],
    ) {
        let birth = v - Duration::days(days);
        // Weights in tenths of a gram, each a KBM (± 1.5 g) below today's, so gains land on
        // and around every KBM; history dated birth ≤ date < visit.
        let hist: Vec<(Date, i64)> = hist
            .iter()
            .filter(|(back, _, _)| *back <= days)
            .map(|&(back, k, off)| (v - Duration::days(back), today - KBMS[k] * 10 + off))
            .collect();
        let mut input = visit_on(v, birth);
        input["measurements"] = json!({"weight_kg": today as f64 / 10_000.0});
        if known {
            input["previous_weighings"] = json!(hist
                .iter()
                .map(|(d, w)| json!({"date": d.to_string(), "weight_kg": *w as f64 / 10_000.0}))
                .collect::<Vec<_>>());
        }
        let out = screen(&[&format!("kbm_month3_g={m3}"), &format!("kbm_band_300=7-{l300}")], &input);
        let got: Vec<String> = codes(&out).into_iter().filter(|c| c.starts_with("kms_") && c != "kms_bgm").collect();
        let want = if known { kms_oracle(birth, v, today, &hist, m3, l300) } else { vec![] };
        prop_assert_eq!(got, want, "{}", input);
    }

    #[test]
    fn adult_rules_agree_with_the_integer_oracle(
        days in prop_oneof![0i64..=1826, 1827i64..=7000, 7000i64..=36_500],
        male in any::<bool>(),
        s in near(&[1200, 1300, 1400, 1600, 1800], 15),
        d in near(&[800, 850, 900, 1000, 1100], 15),
        gds in near(&[1400, 2000], 15),
        gdp in near(&[1000, 1260], 15),
        tc in near(&[2000, 2400], 15),
        h in 1400i64..=1900,
        bmi_cut in prop_oneof![Just(185i64), Just(230), Just(250), Just(300)],
        w_off in -3i64..=3,
        waist in near(&[800, 900], 5),
        hb in near(&[700, 800, 1000, 1100, 1150, 1200, 1300], 3),
    ) {
        let v = Date::from_calendar_date(2025, Month::June, 15).unwrap();
        let birth = v - Duration::days(days);
        // A weight in grams within a few grams of the cut-off at height h (mm).
        let w = (bmi_cut * h * h / 10_000 + w_off).max(1);
        let mut input = visit_on(v, birth);
        input["sex"] = json!(if male { "M" } else { "F" });
        input["measurements"] = json!({
            "systolic": s as f64 / 10.0, "diastolic": d as f64 / 10.0,
            "glucose_random": gds as f64 / 10.0, "glucose_fasting": gdp as f64 / 10.0,
            "cholesterol": tc as f64 / 10.0, "waist_cm": waist as f64 / 10.0, "hb": hb as f64 / 100.0,
        });
        if days > 1826 {
            input["measurements"]["weight_kg"] = json!(w as f64 / 1000.0);
            input["measurements"]["lenhei_cm"] = json!(h as f64 / 10.0);
        }
        let out = screen(&[], &input);
        let years = {
            let y = v.year() - birth.year();
            if (u8::from(v.month()), v.day()) < (u8::from(birth.month()), birth.day()) { y - 1 } else { y }
        };
        let rule_codes = |c: &String| {
            ["bp_", "hypertension_", "glucose_", "cholesterol_", "bmi_", "central_", "anemia_"]
                .iter()
                .any(|p| c.starts_with(p))
        };
        let got: Vec<String> = codes(&out).into_iter().filter(rule_codes).collect();
        let mut want = adult_oracle(years, days <= 1826, completed_months(days), male,
            &[s, d, gds, gdp, tc, if days > 1826 { w } else { 0 }, h, waist, hb]);
        if days <= 1826 {
            want.retain(|c| !c.starts_with("bmi_"));
        }
        prop_assert_eq!(got, want, "{}", input);
    }
}
