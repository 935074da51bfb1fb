//! Settings, decimal inputs, rules meeting at an edge, WHO z ranges (rules.md §0, §10, §11).

use super::*;

#[test]
fn settings_without_shipped_tables_are_refused() {
    // rules.md §10 names `who_increment_p5`, but §2 says its P5 tables are not shipped: the
    // honest answer is to refuse the flag rather than silently screen without the rule.
    let mut s = Settings::default();
    assert!(s.apply("weight_faltering_method=who_increment_p5").is_err());
    assert!(s.apply("weight_faltering_method=waz_drop").is_ok());
    for ok in [
        "kbm_month3_g=600",
        "kbm_month3_g=800",
        "kbm_band_300=7-10",
        "kbm_band_300=7-11",
        "adult_bmi_scale=asia_pacific",
        "adult_bmi_scale=depkes",
        "adult_bmi_min_years=18",
        "adult_bmi_min_years=19",
        "bp_adult_min_years=15",
        "bp_adult_min_years=18",
        "puma_cutoff=6",
        "puma_cutoff=8",
        "srq20_min_years=15",
        "srq20_min_years=19",
        "hb_pregnancy_tm2=10.5",
        "hb_pregnancy_tm2=11.0",
        "je_endemic=true",
        "je_endemic=false",
        "idl_set=post2022",
        "idl_set=pmk12_2017",
        "baduta_set=post2022",
        "baduta_set=pmk12_2017",
        "bgm_waz=-3",
        "muac_sam_cm=11.5",
    ] {
        assert!(Settings::default().apply(ok).is_ok(), "{ok}");
    }
    for bad in [
        "adult_bmi_scale=who",
        "je_endemic=ya",
        "no_such_key=1",
        "kbm_month3_g",
    ] {
        assert!(Settings::default().apply(bad).is_err(), "{bad}");
    }
}

#[test]
fn edges_between_rules() {
    let d = 400;
    let w = |z: f64| balita(d, json!({"weight_kg": wfa_kg("F", d, z)}));
    let wf_pair = |zp: f64, zt: f64| {
        let mut v = balita(400, json!({"weight_kg": wfa_kg("F", 400, zt)}));
        v["previous_weighings"] = json!([wt(&date_minus(45), wfa_kg("F", 355, zp))]);
        v
    };
    const WF: &[&str] = &["weight_faltering"];
    let mut preg12 = bp(12, 150.0, 95.0);
    preg12["sex"] = json!("F");
    preg12["pregnancy"] = json!({"gestational_weeks": 20});
    let mut preg14 = measured("F", &years_old(14, 0), json!({"hb": 10.9}));
    preg14["pregnancy"] = json!({"gestational_weeks": 20});
    let mut nifas14 = measured("F", &years_old(14, 0), json!({"hb": 11.5, "muac_cm": 23}));
    nifas14["postpartum_days"] = json!(5);
    let mut preg_sexless = base("", &years_old(25, 0));
    preg_sexless["pregnancy"] = json!({"gestational_weeks": 20});
    let mut oedema_wf = balita(400, json!({"weight_kg": 7.0, "oedema": true}));
    oedema_wf["previous_weighings"] = json!([wt(&date_minus(30), 9.0)]);
    check(vec![
        // Published z decides (raw −2.004 is published −2.00).
        case("raw zwei -2.004", w(-2.004), &[]).z("zwei", Some(-2.0)),
        case("raw zwei -2.006", w(-2.006), &["wfa_underweight"]).z("zwei", Some(-2.01)),
        case("raw zwei -3.004", w(-3.004), &["wfa_underweight"]).z("zwei", Some(-3.0)),
        case("raw zwei 1.004", w(1.004), &[]).z("zwei", Some(1.0)),
        case("raw zwei -0.004 is 0", w(-0.004), &[]).z("zwei", Some(0.0)),
        // Weight only: only zwei is computed.
        case("weight only", w(0.5), &[]).z("zwei", Some(0.5)).z("zbmi", None).z("zwfl", None).z("zlen", None),
        // Weight-faltering drop of exactly 68 hundredths, whatever the float noise.
        case("drop 0.29 → -0.39", wf_pair(0.29, -0.39), &[]).has(WF, &[]),
        case("drop 1.13 → 0.45", wf_pair(1.13, 0.45), &[]).has(WF, &[]),
        case("drop -2.07 → -2.75", wf_pair(-2.07, -2.75), &[]).has(WF, &[]),
        case("drop 0.07 → -0.61", wf_pair(0.07, -0.61), &[]).has(WF, &[]),
        case("drop 0.57 → -0.11", wf_pair(0.57, -0.11), &[]).has(WF, &[]),
        case("drop 0.28 → -0.39 (67)", wf_pair(0.28, -0.39), &[]).has(&[], WF),
        case("drop 0.56 → -0.11 (67)", wf_pair(0.56, -0.11), &[]).has(&[], WF),
        case("oedema today: no zwei, no faltering, no BGM", oedema_wf, &["kms_t", "nutritional_oedema"]),
        // Maternal hypertension has no age floor beyond the group's 10 y.
        case("pregnant 12 y 150/95", preg12, &["hypertension_maternal"]),
        // A pregnant 14-year-old gets the pregnancy Hb rule only.
        case("pregnant 14 y Hb 10.9 gw 20", preg14, &[]),
        // A 14-year-old in nifas: 12–14 y row (12.0), and KEK.
        case("nifas 14 y Hb 11.5", nifas14, &["anemia_mild", "kek"]),
        case("pregnancy with unknown sex", preg_sexless, &[]).errs(&["sex", "pregnancy"]),
        case("nifas F waist 85", with(measured("F", &years_old(30, 0), json!({"waist_cm": 85})), "postpartum_days", json!(10)), &["central_obesity"]),
        case("suicidal item at 18 y with setting 19", q(18, "F", srq(&[16])), &[]).set(&["srq20_min_years=19"]),
        case("srq20 null item", q(30, "F", json!({"srq20": [null, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]})), &[])
            .errs(&["questionnaires.srq20"]),
        case("kspr_factors not an array", kspr(json!("anemia"), 10.0, Value::Null), &[]).errs(&["pregnancy.kspr_factors"]),
        case("kspr evaluated with bad gw", with(base("F", &years_old(25, 0)), "pregnancy", json!({"gestational_weeks": 50, "kspr_factors": []})), &["kspr_krr"])
            .errs(&["pregnancy.gestational_weeks"]),
        case("BGM but oedema: none", balita(d, json!({"weight_kg": wfa_kg("F", d, -3.5), "oedema": true})), &["nutritional_oedema"]),
        case("anak 10 y with weight: no zwfa after 120 mo", measured("F", &years_old(10, 0), json!({"weight_kg": 30, "lenhei_cm": 138})), &[])
            .z("zwfa", None)
            .has(&[], &[]),
        case("anak 9 y: zwfa", measured("F", &years_old(9, 0), json!({"weight_kg": 27, "lenhei_cm": 132})), &[])
            .has(&[], &[]),
        case("19 y: no WHO 2007 z", measured("F", &years_old(19, 0), json!({"weight_kg": 55, "lenhei_cm": 160})), &[])
            .z("zbfa", None)
            .z("zhfa", None),
    ]);
}

#[test]
fn kms_2t_uses_kbm_at_the_earlier_pair() {
    // Visit at 130 d (4 mo, KBM 600); last on 20 May at 104 d (3 mo, KBM 800 or 600 by setting);
    // the one before on 20 Apr at 74 d.
    let mk = || {
        kms(
            130,
            6.9,
            json!([wt("2025-04-20", 5.7), wt("2025-05-20", 6.4)]),
        )
    };
    // Today +500 < 600: T. Last +700: T with 800, N with 600.
    // Last at 0 completed months is never T, so no 2T after it.
    let young = kms(
        50,
        4.5,
        json!([wt("2025-04-27", 3.5), wt("2025-05-10", 3.9)]),
    );
    check(vec![
        case("last T by month-3 KBM 800", mk(), &[]).has(&["kms_2t", "kms_t"], &[]),
        case("last N by month-3 KBM 600", mk(), &[])
            .has(&["kms_t"], &["kms_2t"])
            .set(&["kbm_month3_g=600"]),
        case("last under 1 month", young, &[]).has(&["kms_t"], &["kms_2t"]),
    ]);
}

#[test]
fn decimal_inputs_are_not_rounded() {
    // rules.md §0: boundaries hold on the given number, BMI is not rounded.
    check(vec![
        case(
            "BMI 18.49999999996",
            body(30, "M", 47.3599999999, 160.0),
            &["bmi_underweight"],
        ),
        case("BMI 18.5 exactly", body(30, "M", 47.36, 160.0), &[]),
        case(
            "BMI 25.0000000004",
            body(30, "M", 64.0000000001, 160.0),
            &["bmi_overweight"],
        )
        .set(&["adult_bmi_scale=depkes"]),
        case(
            "BMI 25 exactly (depkes: no finding)",
            body(30, "M", 64.0, 160.0),
            &[],
        )
        .set(&["adult_bmi_scale=depkes"]),
        case(
            "Hb 12.9999999",
            hb(&years_old(40, 0), "M", 12.9999999),
            &["anemia_mild"],
        ),
        // KMS gain: 199.4999999 g rounds to 199 (T), 199.5 g to 200 (N).
        case(
            "gain 199.4999999 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005000001)])),
            &["kms_t"],
        ),
        case(
            "gain 199.5 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005)])),
            &["kms_n"],
        ),
    ]);
}

#[test]
fn flagged_z_skips_only_the_rules_that_use_it() {
    let d = 400;
    // p's zwei flagged (> 5): weight faltering needs both z unflagged.
    let mut p_flagged = balita(d, json!({"weight_kg": wfa_kg("F", d, 0.0)}));
    p_flagged["previous_weighings"] = json!([wt(&date_minus(30), wfa_kg("F", d - 30, 5.5))]);
    // MUAC 6 cm at 13 months: zac flagged, but muac_sam reads muac_cm, not zac.
    let tiny_arm = balita(d, json!({"muac_cm": 6.0}));
    check(vec![
        case("previous zwei flagged: no faltering", p_flagged, &[])
            .has(&["kms_t"], &["weight_faltering"]),
        case("zac flagged, muac_sam still", tiny_arm, &["muac_sam"])
            .errs(&["measurements.muac_cm"]),
    ]);
    // -0 is written as 0 (WHO-R §3.10).
    let raw = screen_line(
        &balita(d, json!({"weight_kg": wfa_kg("F", d, -0.004)})).to_string(),
        &Settings::default(),
    );
    assert!(
        !raw.contains("-0.0") && !raw.contains(":-0,") && !raw.contains(":-0}"),
        "{raw}"
    );
}

#[test]
fn zscore_keys_follow_who_ranges() {
    // §11.2: WHO 2006 to day 1826; WHO 2007 zhfa/zbfa to 228 months (day 6939.75) and zwfa to
    // 120 months (day 3652.5), whatever the rule group.
    let m = || json!({"weight_kg": 30, "lenhei_cm": 140});
    let keys = |days: i64| -> Vec<String> {
        let out = screen(&[], &measured("F", &days_old(days), m()));
        let mut k: Vec<String> = out["zscores"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    };
    assert_eq!(keys(3652), ["zbfa", "zhfa", "zwfa"]);
    assert_eq!(keys(3653), ["zbfa", "zhfa"]);
    assert_eq!(keys(6939), ["zbfa", "zhfa"]);
    assert!(keys(6940).is_empty());
    assert_eq!(keys(1827), ["zbfa", "zhfa", "zwfa"]);
    // Day 1826: WHO 2006; 140 cm is outside the weight-for-height table, so no zwfl.
    assert_eq!(keys(1826), ["zbmi", "zlen", "zwei"]);
    // A pregnant 16-year-old still gets her WHO 2007 z-scores (output is not by rule group).
    let mut p = measured(
        "F",
        &years_old(16, 0),
        json!({"weight_kg": 50, "lenhei_cm": 155}),
    );
    p["pregnancy"] = json!({"gestational_weeks": 20});
    let out = screen(&[], &p);
    assert!(
        out["zscores"]["zbfa"].is_f64() && out["zscores"]["zhfa"].is_f64(),
        "{out}"
    );
    // Unknown keys in pregnancy/measurements are reported; the rest is still used.
    let mut p = measured("F", &years_old(25, 0), json!({"hb": 10, "temp": 37}));
    p["pregnancy"] = json!({"gestational_weeks": 20, "kspr_factors": [], "gravida": 2});
    let out = screen(&[], &p);
    assert_eq!(codes(&out), ["anemia_pregnancy", "kspr_krr"]);
    // The order of errors is not part of the contract.
    let mut errs = error_fields(&out);
    errs.sort();
    assert_eq!(errs, ["measurements.temp", "pregnancy.gravida"]);
    // 1900 was not a leap year.
    let out = screen(&[], &base("F", "1900-02-29"));
    assert_eq!(error_fields(&out), ["birth_date"]);
    assert_eq!(out["age_days"], Value::Null);
}

#[test]
fn same_day_weighings_the_later_entry_counts() {
    // Ambiguous in rules.md §2 ("the latest entry"): two weighings on the same day are a
    // re-weighing, so the entry later in the list is *last*.
    check(vec![
        case(
            "re-weighed heavier: +100 g, T",
            kms(
                400,
                9.0,
                json!([wt("2025-05-20", 8.5), wt("2025-05-20", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "re-weighed lighter: +500 g, N",
            kms(
                400,
                9.0,
                json!([wt("2025-05-20", 8.9), wt("2025-05-20", 8.5)]),
            ),
            &["kms_n"],
        ),
    ]);
}
