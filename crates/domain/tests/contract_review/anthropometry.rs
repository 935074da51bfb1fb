//! Balita anthropometry and anak/remaja BMI-for-age at every published z edge (rules.md §1, §3).

use super::*;

#[test]
fn balita_anthropometry_at_every_published_z_edge() {
    let d = 400;
    let w = |z: f64| balita(d, json!({"weight_kg": wfa_kg("F", d, z)}));
    let l = |z: f64| {
        let cm = value_at_z(Indicator::LengthHeightForAge, Sex::Female, d as f64, z).unwrap();
        balita(d, json!({"lenhei_cm": cm, "measure": "l"}))
    };
    let hc = |z: f64| {
        let cm = value_at_z(Indicator::HeadCircumferenceForAge, Sex::Female, d as f64, z).unwrap();
        balita(d, json!({"head_cm": cm}))
    };
    let median_len = value_at_z(Indicator::LengthHeightForAge, Sex::Female, d as f64, 0.0).unwrap();
    let wfl = |z: f64| {
        let kg = value_at_z(Indicator::WeightForLength, Sex::Female, median_len, z).unwrap();
        balita(
            d,
            json!({"weight_kg": kg, "lenhei_cm": median_len, "measure": "l"}),
        )
    };
    let bmi = |z: f64| {
        let b = value_at_z(Indicator::BmiForAge, Sex::Female, d as f64, z).unwrap();
        let kg = b * (median_len / 100.0) * (median_len / 100.0);
        balita(
            d,
            json!({"weight_kg": kg, "lenhei_cm": median_len, "measure": "l"}),
        )
    };
    let mut cases = vec![
        case(
            "zwei -3.01",
            w(-3.01),
            &["kms_bgm", "wfa_severely_underweight"],
        )
        .z("zwei", Some(-3.01)),
        case("zwei -3.00", w(-3.0), &["wfa_underweight"]).z("zwei", Some(-3.0)),
        case("zwei -2.01", w(-2.01), &["wfa_underweight"]).z("zwei", Some(-2.01)),
        case("zwei -2.00", w(-2.0), &[]).z("zwei", Some(-2.0)),
        case("zwei 1.00", w(1.0), &[]).z("zwei", Some(1.0)),
        case("zwei 1.01", w(1.01), &["wfa_risk_overweight"]).z("zwei", Some(1.01)),
        case("zwei 5.00 not flagged", w(5.0), &["wfa_risk_overweight"]).z("zwei", Some(5.0)),
        case("zwei 5.01 flagged", w(5.01), &[])
            .z("zwei", Some(5.01))
            .errs(&["measurements.weight_kg"]),
        case(
            "zwei -6.00 not flagged",
            w(-6.0),
            &["kms_bgm", "wfa_severely_underweight"],
        )
        .z("zwei", Some(-6.0)),
        case("zwei -6.01 flagged", w(-6.01), &[])
            .z("zwei", Some(-6.01))
            .errs(&["measurements.weight_kg"]),
        case("zlen -3.01", l(-3.01), &["lfa_severely_stunted"]).z("zlen", Some(-3.01)),
        case("zlen -3.00", l(-3.0), &["lfa_stunted"]),
        case("zlen -2.01", l(-2.01), &["lfa_stunted"]),
        case("zlen -2.00", l(-2.0), &[]),
        case("zlen 3.00", l(3.0), &[]),
        case("zlen 3.01", l(3.01), &["lfa_tall"]),
        case("zlen 6.01 flagged", l(6.01), &[])
            .z("zlen", Some(6.01))
            .errs(&["measurements.lenhei_cm"]),
        case("zlen -6.00 not flagged", l(-6.0), &["lfa_severely_stunted"]),
        case("zhc -2.01", hc(-2.01), &["hc_microcephaly"]).z("zhc", Some(-2.01)),
        case("zhc -2.00", hc(-2.0), &[]),
        case("zhc 2.00", hc(2.0), &[]),
        case("zhc 2.01", hc(2.01), &["hc_macrocephaly"]),
        case("zhc 5.01 flagged", hc(5.01), &[]).errs(&["measurements.head_cm"]),
    ];
    let wfl_edges: &[(f64, &'static [&'static str])] = &[
        (-3.01, &["wfl_severely_wasted"]),
        (-3.0, &["wfl_wasted"]),
        (-2.01, &["wfl_wasted"]),
        (-2.0, &[]),
        (1.0, &[]),
        (1.01, &["wfl_risk_overweight"]),
        (2.0, &["wfl_risk_overweight"]),
        (2.01, &["wfl_overweight"]),
        (3.0, &["wfl_overweight"]),
        (3.01, &["wfl_obese"]),
    ];
    for &(z, want) in wfl_edges {
        cases.push(
            case(format!("zwfl {z}"), wfl(z), &[])
                .has(want, others(WFL_CODES, want))
                .z("zwfl", Some(z)),
        );
    }
    let bfa_edges: &[(f64, &'static [&'static str])] = &[
        (-3.01, &["bfa_u5_severely_wasted"]),
        (-3.0, &["bfa_u5_wasted"]),
        (-2.01, &["bfa_u5_wasted"]),
        (-2.0, &[]),
        (1.0, &[]),
        (1.01, &["bfa_u5_risk_overweight"]),
        (2.0, &["bfa_u5_risk_overweight"]),
        (2.01, &["bfa_u5_overweight"]),
        (3.0, &["bfa_u5_overweight"]),
        (3.01, &["bfa_u5_obese"]),
    ];
    for &(z, want) in bfa_edges {
        cases.push(
            case(format!("zbmi {z}"), bmi(z), &[])
                .has(want, others(BFA5_CODES, want))
                .z("zbmi", Some(z)),
        );
    }
    // MUAC: 6 ≤ age_months ≤ 59 and < 11.5 cm.
    cases.extend([
        case("muac 11.0 at 182 d (5 mo)", balita(182, json!({"muac_cm": 11.0})), &[]).has(&[], &["muac_sam"]),
        case("muac 11.49 at 183 d (6 mo)", balita(183, json!({"muac_cm": 11.49})), &[]).has(&["muac_sam"], &[]),
        case("muac 11.5 at 183 d", balita(183, json!({"muac_cm": 11.5})), &[]).has(&[], &["muac_sam"]),
        case("muac 11.4 at 1826 d (59 mo)", balita(1826, json!({"muac_cm": 11.4})), &[]).has(&["muac_sam"], &[]),
        case("muac 11.4 at 1827 d", balita(1827, json!({"muac_cm": 11.4})), &[]).has(&[], &["muac_sam"]),
        // Oedema: weight-based z absent, length kept.
        case(
            "oedema",
            balita(d, json!({"weight_kg": wfa_kg("F", d, -4.0), "lenhei_cm": median_len, "measure": "l", "oedema": true})),
            &["nutritional_oedema"],
        )
        .z("zwei", None)
        .z("zwfl", None)
        .z("zbmi", None)
        .z("zlen", Some(0.0)),
        case("oedema false", balita(d, json!({"oedema": false})), &[]),
        case("oedema 'y' is not boolean", balita(d, json!({"oedema": "y"})), &[]).errs(&["measurements.oedema"]),
        // Standing under 9 months: position not recorded (WHO-R §3.4), still a z.
        case("measure H accepted", balita(800, json!({"lenhei_cm": 85.0, "measure": "H"})), &[]).has(&[], &[]),
        case("measure x refused", balita(800, json!({"lenhei_cm": 85.0, "measure": "x"})), &[]).has(&[], &[])
            .errs(&["measurements.measure"]),
    ]);
    check(cases);
}

/// Anak/remaja BMI-for-age (WHO 2007).
#[test]
fn anak_remaja_bmi_for_age() {
    let mk_h = |birth: String, z: f64, h: f64| {
        let days = (visit()
            - time::Date::parse(
                &birth,
                &time::format_description::well_known::Iso8601::DEFAULT,
            )
            .unwrap())
        .whole_days();
        let months = days as f64 / 30.4375;
        let b = value_at_z(Indicator::BmiForAge2007, Sex::Female, months, z).unwrap();
        measured(
            "F",
            &birth,
            json!({"weight_kg": b * (h / 100.0) * (h / 100.0), "lenhei_cm": h}),
        )
    };
    let mk = |birth: String, z: f64| mk_h(birth, z, 140.0);
    let ten = || years_old(10, 0);
    let mut cases = vec![
        case("zbfa -3.01", mk(ten(), -3.01), &["bfa_severely_thin"]).z("zbfa", Some(-3.01)),
        case("zbfa -3.00", mk(ten(), -3.0), &["bfa_thin"]),
        case("zbfa -2.01", mk(ten(), -2.01), &["bfa_thin"]),
        case("zbfa -2.00", mk(ten(), -2.0), &[]),
        case("zbfa 1.00", mk(ten(), 1.0), &[]),
        case("zbfa 1.01", mk(ten(), 1.01), &["bfa_overweight"]),
        case("zbfa 2.00", mk(ten(), 2.0), &["bfa_overweight"]),
        case("zbfa 2.01", mk(ten(), 2.01), &["bfa_obese"]),
        case("zbfa 5.01 flagged", mk(ten(), 5.01), &[]).errs(&["measurements.weight_kg"]),
        case(
            "zbfa at 1827 d",
            mk_h(days_old(1827), -2.5, 110.0),
            &["bfa_thin"],
        )
        .z("zwei", None),
        case(
            "zbfa at 18 y 364 d",
            mk(years_old(19, 1), -2.5),
            &["bfa_thin"],
        ),
    ];
    let mut preg = mk(years_old(16, 0), -2.5);
    preg["pregnancy"] = json!({"gestational_weeks": 20});
    cases.push(case("pregnant 16 y thin", preg, &[]));
    check(cases);
}
