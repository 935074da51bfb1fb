//! Random children near every z edge: the findings and the re-measure errors must follow
//! from the published 2-decimal z-scores in the same answer (rules.md §0, §1, §3, §11.4;
//! WHO-R §3.9 flags), and weight faltering from the published z of both weighings (§2).

use super::*;
use growth::{Age, ChildMeasurements, who2006};
use proptest::prelude::*;

/// WHO-R §3.9: (low, high) bounds outside which a published z is flagged.
fn flag_bounds(key: &str) -> (f64, f64) {
    match key {
        "zlen" | "zhfa" => (-6.0, 6.0),
        "zwei" | "zwfa" => (-6.0, 5.0),
        _ => (-5.0, 5.0),
    }
}

/// rules.md §11.4: which measurement a flagged z asks to re-check.
fn field_of(key: &str) -> &'static str {
    match key {
        "zlen" | "zhfa" => "measurements.lenhei_cm",
        "zhc" => "measurements.head_cm",
        "zac" => "measurements.muac_cm",
        _ => "measurements.weight_kg",
    }
}

/// §1 and §3 categories of one published z.
fn category(key: &str, z: f64) -> Option<&'static str> {
    let five = |p: &'static str| -> Option<&'static str> {
        let code = if z < -3.0 {
            "severely_wasted"
        } else if z < -2.0 {
            "wasted"
        } else if z > 3.0 {
            "obese"
        } else if z > 2.0 {
            "overweight"
        } else if z > 1.0 {
            "risk_overweight"
        } else {
            return None;
        };
        Some(Box::leak(format!("{p}_{code}").into_boxed_str()))
    };
    match key {
        "zwei" if z < -3.0 => Some("wfa_severely_underweight"),
        "zwei" if z < -2.0 => Some("wfa_underweight"),
        "zwei" if z > 1.0 => Some("wfa_risk_overweight"),
        "zlen" if z < -3.0 => Some("lfa_severely_stunted"),
        "zlen" if z < -2.0 => Some("lfa_stunted"),
        "zlen" if z > 3.0 => Some("lfa_tall"),
        "zwfl" => five("wfl"),
        "zbmi" => five("bfa_u5"),
        "zhc" if z < -2.0 => Some("hc_microcephaly"),
        "zhc" if z > 2.0 => Some("hc_macrocephaly"),
        "zbfa" if z < -3.0 => Some("bfa_severely_thin"),
        "zbfa" if z < -2.0 => Some("bfa_thin"),
        "zbfa" if z > 2.0 => Some("bfa_obese"),
        "zbfa" if z > 1.0 => Some("bfa_overweight"),
        _ => None,
    }
}

/// Findings and error fields implied by the answer's own z-scores.
fn implied(out: &Value, balita: bool) -> (Vec<String>, Vec<String>) {
    let (mut codes, mut errors) = (Vec::new(), Vec::new());
    for (key, z) in out["zscores"].as_object().unwrap() {
        let z = z.as_f64().unwrap();
        let (lo, hi) = flag_bounds(key);
        if z < lo || z > hi {
            errors.push(field_of(key).to_owned());
            continue;
        }
        if let Some(c) = category(key, z) {
            codes.push(c.to_owned());
        }
        if balita && key == "zwei" && z < -3.0 {
            codes.push("kms_bgm".to_owned());
        }
    }
    codes.sort();
    errors.sort();
    errors.dedup();
    (codes, errors)
}

/// A value of `ind` at a z drawn near a rules.md edge (a few hundredths either side).
fn near_edge(ind: Indicator, sex: Sex, x: f64, edge: f64, off: f64) -> f64 {
    value_at_z(ind, sex, x, edge + off).unwrap()
}

const EDGES: &[f64] = &[-6.0, -5.0, -3.0, -2.0, 1.0, 2.0, 3.0, 5.0, 6.0];

fn edge() -> impl Strategy<Value = (f64, f64)> {
    (0..EDGES.len(), -0.02f64..=0.02).prop_map(|(i, o)| (EDGES[i], o))
}

fn published(z: Option<growth::Zscore>) -> Option<(f64, bool)> {
    z.map(|z| (z.z, z.implausible))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn balita_findings_follow_the_published_z(
        days in 0i64..=1826,
        male in any::<bool>(),
        (wz, wo) in edge(),
        (lz, lo) in edge(),
        (hz, ho) in edge(),
        parts in 0u8..8,
        oedema in prop::bool::weighted(0.1),
    ) {
        let sex = if male { Sex::Male } else { Sex::Female };
        let x = days as f64;
        let mut m = json!({});
        if parts & 1 != 0 {
            m["weight_kg"] = json!(near_edge(Indicator::WeightForAge, sex, x, wz, wo));
        }
        if parts & 2 != 0 {
            m["lenhei_cm"] = json!(near_edge(Indicator::LengthHeightForAge, sex, x, lz, lo));
            m["measure"] = json!(if days < 731 { "l" } else { "h" });
        }
        if parts & 4 != 0 {
            m["head_cm"] = json!(near_edge(Indicator::HeadCircumferenceForAge, sex, x, hz, ho));
        }
        if oedema {
            m["oedema"] = json!(true);
        }
        let input = measured(if male { "M" } else { "F" }, &days_old(days), m);
        let out = screen(&[], &input);
        let (mut want, want_errors) = implied(&out, true);
        if oedema {
            want.push("nutritional_oedema".to_owned());
            want.sort();
            prop_assert!(out["zscores"].get("zwei").is_none());
        }
        prop_assert_eq!(codes(&out), want, "{}", out);
        let mut errs = error_fields(&out);
        errs.sort();
        prop_assert_eq!(errs, want_errors, "{}", out);
    }

    #[test]
    fn school_age_findings_follow_the_published_z(
        days in 1827i64..=7000,
        male in any::<bool>(),
        (bz, bo) in edge(),
        h_cm in 100.0f64..190.0,
    ) {
        let sex = if male { Sex::Male } else { Sex::Female };
        let months = days as f64 / 30.4375;
        let Some(bmi) = value_at_z(Indicator::BmiForAge2007, sex, months, bz + bo) else {
            return Ok(());
        };
        let w = bmi * (h_cm / 100.0) * (h_cm / 100.0);
        let input = measured(if male { "M" } else { "F" }, &days_old(days), json!({"weight_kg": w, "lenhei_cm": h_cm}));
        let out = screen(&[], &input);
        let (want, want_errors) = implied(&out, false);
        // Only §3 codes come from z here; adult BMI (≥ 19 y) is not z-based.
        let got: Vec<String> = codes(&out).into_iter().filter(|c| c.starts_with("bfa_")).collect();
        let age_years_le_18 = days_old(days).as_str() > years_old(19, 0).as_str();
        let want: Vec<String> = if age_years_le_18 { want } else { vec![] };
        prop_assert_eq!(got, want, "{}", out);
        let mut errs = error_fields(&out);
        errs.sort();
        prop_assert_eq!(errs, want_errors, "{}", out);
    }

    #[test]
    fn weight_faltering_follows_both_published_z(
        days in 21i64..=760,
        back in 15i64..=100,
        male in any::<bool>(),
        zp in -6.2f64..5.2,
        drop in 0.60f64..0.76,
        today_oedema in prop::bool::weighted(0.05),
    ) {
        prop_assume!(back <= days);
        let sex = if male { Sex::Male } else { Sex::Female };
        let then_days = days - back;
        let w_then = value_at_z(Indicator::WeightForAge, sex, then_days as f64, zp);
        let w_now = value_at_z(Indicator::WeightForAge, sex, days as f64, zp - drop);
        let (Some(w_then), Some(w_now)) = (w_then, w_now) else {
            return Ok(());
        };
        let mut input = measured(
            if male { "M" } else { "F" },
            &days_old(days),
            json!({"weight_kg": w_now, "oedema": today_oedema}),
        );
        input["previous_weighings"] = json!([wt(&date_minus(back), w_then)]);
        let out = screen(&[], &input);
        // The z of the earlier weighing as WHO publishes it.
        let then = published(who2006(&ChildMeasurements {
            sex: Some(sex),
            age: Some(Age::Days(then_days as f64)),
            weight_kg: Some(w_then),
            ..Default::default()
        }).zwei);
        let now = out["zscores"].get("zwei").and_then(Value::as_f64);
        let unflagged = |z: f64| (-6.0..=5.0).contains(&z);
        let want = days <= 730
            && (21..=92).contains(&back)
            && !today_oedema
            && matches!((now, then), (Some(n), Some((t, false)))
                if unflagged(n) && ((n * 100.0).round() as i64) - ((t * 100.0).round() as i64) <= -68);
        prop_assert_eq!(codes(&out).iter().any(|c| c == "weight_faltering"), want, "{}", out);
    }
}
