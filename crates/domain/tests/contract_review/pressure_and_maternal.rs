//! Blood pressure, glucose, cholesterol, maternal rules, KSPR and ANC (rules.md §4, §6).

use super::*;

#[test]
fn blood_pressure_adolescent_and_adult_bands() {
    check(vec![
        // §4 adolescent 13–17 y.
        case("13y 119/79", bp(13, 119.0, 79.0), &[]),
        case(
            "13y 120/79",
            bp(13, 120.0, 79.0),
            &["bp_elevated_adolescent"],
        ),
        case(
            "17y 129/79",
            bp(17, 129.0, 79.0),
            &["bp_elevated_adolescent"],
        ),
        case(
            "17y 120/80",
            bp(17, 120.0, 80.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 130/70",
            bp(15, 130.0, 70.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 139/89",
            bp(15, 139.0, 89.0),
            &["hypertension_stage1_adolescent"],
        ),
        case(
            "15y 140/70",
            bp(15, 140.0, 70.0),
            &["hypertension_stage2_adolescent"],
        ),
        case(
            "15y 100/90",
            bp(15, 100.0, 90.0),
            &["hypertension_stage2_adolescent"],
        ),
        case("15y 119.9/79.9", bp(15, 119.9, 79.9), &[]),
        // No BP rule under 13 y: 12 y, and one day short of 13.
        case("12y 150/95", bp(12, 150.0, 95.0), &[]),
        case(
            "13y minus a day 150/95",
            measured(
                "M",
                &years_old(13, 1),
                json!({"systolic": 150, "diastolic": 95}),
            ),
            &[],
        ),
        // Adult ≥ 18 y.
        case("18y 129/84", bp(18, 129.0, 84.0), &[]),
        case("18y 130/84", bp(18, 130.0, 84.0), &["bp_high_normal"]),
        case("18y 120/85", bp(18, 120.0, 85.0), &["bp_high_normal"]),
        case("40y 139/89", bp(40, 139.0, 89.0), &["bp_high_normal"]),
        case(
            "40y 140/89",
            bp(40, 140.0, 89.0),
            &["hypertension_grade1", "hypertension_isolated_systolic"],
        ),
        case("40y 120/90", bp(40, 120.0, 90.0), &["hypertension_grade1"]),
        case("40y 159/99", bp(40, 159.0, 99.0), &["hypertension_grade1"]),
        case(
            "40y 160/80",
            bp(40, 160.0, 80.0),
            &["hypertension_grade2", "hypertension_isolated_systolic"],
        ),
        case(
            "40y 150/100",
            bp(40, 150.0, 100.0),
            &["hypertension_grade2"],
        ),
        case(
            "40y 179/109",
            bp(40, 179.0, 109.0),
            &["hypertension_grade2"],
        ),
        case(
            "40y 180/80",
            bp(40, 180.0, 80.0),
            &["hypertension_grade3", "hypertension_isolated_systolic"],
        ),
        case(
            "40y 150/110",
            bp(40, 150.0, 110.0),
            &["hypertension_grade3"],
        ),
        case("40y 180/90", bp(40, 180.0, 90.0), &["hypertension_grade3"]),
        // 18 y minus a day is still an adolescent.
        case(
            "18y minus a day 130/84",
            measured(
                "M",
                &years_old(18, 1),
                json!({"systolic": 130, "diastolic": 84}),
            ),
            &["hypertension_stage1_adolescent"],
        ),
        // Setting bp_adult_min_years = 15.
        case(
            "15y 130/84 adult setting",
            bp(15, 130.0, 84.0),
            &["bp_high_normal"],
        )
        .set(&["bp_adult_min_years=15"]),
        case(
            "14y 130/84 adult setting",
            bp(14, 130.0, 84.0),
            &["hypertension_stage1_adolescent"],
        )
        .set(&["bp_adult_min_years=15"]),
        // 29 Feb birthday reached on 1 Mar in a common year.
        case(
            "born 2012-02-29 seen 2025-02-28 (12 y)",
            json!({"id": "r", "sex": "F", "birth_date": "2012-02-29", "visit_date": "2025-02-28",
                   "measurements": {"systolic": 125, "diastolic": 70}}),
            &[],
        ),
        case(
            "born 2012-02-29 seen 2025-03-01 (13 y)",
            json!({"id": "r", "sex": "F", "birth_date": "2012-02-29", "visit_date": "2025-03-01",
                   "measurements": {"systolic": 125, "diastolic": 70}}),
            &["bp_elevated_adolescent"],
        ),
        // Only one of S/D given: the other's category is simply absent.
        // Only one of S/D given: BP is read as a pair (rules.md §4 compares S and D, and §11.3
        // ignores both when they disagree), so a lone value is not evaluated.
        case(
            "40y S only 145",
            measured("M", &years_old(40, 0), json!({"systolic": 145})),
            &[],
        ),
        case(
            "40y D only 95",
            measured("M", &years_old(40, 0), json!({"diastolic": 95})),
            &[],
        ),
    ]);
}

#[test]
fn maternal_hypertension_kek_anaemia() {
    check(vec![
        case(
            "hamil 140/80",
            pregnant(25, json!(20), json!({"systolic": 140, "diastolic": 80})),
            &[
                "hypertension_grade1",
                "hypertension_isolated_systolic",
                "hypertension_maternal",
            ],
        ),
        case(
            "hamil 139/89",
            pregnant(25, json!(20), json!({"systolic": 139, "diastolic": 89})),
            &["bp_high_normal"],
        ),
        case(
            "hamil 16y 120/90",
            pregnant(16, json!(20), json!({"systolic": 120, "diastolic": 90})),
            &["hypertension_maternal", "hypertension_stage2_adolescent"],
        ),
        case(
            "nifas day 42 140/90",
            with(
                measured(
                    "F",
                    &years_old(30, 0),
                    json!({"systolic": 140, "diastolic": 90}),
                ),
                "postpartum_days",
                json!(42),
            ),
            &["hypertension_grade1", "hypertension_maternal"],
        ),
        case(
            "postpartum day 43 not nifas",
            with(
                measured(
                    "F",
                    &years_old(30, 0),
                    json!({"systolic": 140, "diastolic": 90}),
                ),
                "postpartum_days",
                json!(43),
            ),
            &["hypertension_grade1"],
        ),
        case(
            "nifas day 0 kek",
            with(
                measured("F", &years_old(30, 0), json!({"muac_cm": 23.4})),
                "postpartum_days",
                json!(0),
            ),
            &["kek"],
        ),
        case(
            "hamil muac 23.5",
            pregnant(25, json!(20), json!({"muac_cm": 23.5})),
            &[],
        ),
        case(
            "hamil muac 23.49",
            pregnant(25, json!(20), json!({"muac_cm": 23.49})),
            &["kek"],
        ),
        case(
            "not pregnant muac 22",
            measured("F", &years_old(25, 0), json!({"muac_cm": 22})),
            &[],
        ),
        // Hb by trimester (§6).
        case(
            "gw 12 Hb 10.9",
            pregnant(25, json!(12), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 12 Hb 11.0",
            pregnant(25, json!(12), json!({"hb": 11.0})),
            &[],
        ),
        case(
            "gw 13 Hb 10.9",
            pregnant(25, json!(13), json!({"hb": 10.9})),
            &[],
        ),
        case(
            "gw 13 Hb 10.5",
            pregnant(25, json!(13), json!({"hb": 10.5})),
            &[],
        ),
        case(
            "gw 13 Hb 10.49",
            pregnant(25, json!(13), json!({"hb": 10.49})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 24 Hb 10.5",
            pregnant(25, json!(24), json!({"hb": 10.5})),
            &[],
        ),
        case(
            "gw 25 Hb 10.9",
            pregnant(25, json!(25), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 12.5 Hb 10.6",
            pregnant(25, json!(12.5), json!({"hb": 10.6})),
            &[],
        ),
        case(
            "gw 24.5 Hb 10.6",
            pregnant(25, json!(24.5), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 20 Hb 10.9 WHO setting",
            pregnant(25, json!(20), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .set(&["hb_pregnancy_tm2=11.0"]),
        case(
            "gw 20 Hb 6 only anemia_pregnancy",
            pregnant(25, json!(20), json!({"hb": 6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw absent Hb 10.9",
            pregnant(25, Value::Null, json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 0 invalid Hb 10.9",
            pregnant(25, json!(0), json!({"hb": 10.9})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 46 invalid Hb 10.6",
            pregnant(25, json!(46), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        )
        .errs(&["pregnancy.gestational_weeks"]),
        case(
            "gw 45 valid Hb 10.6",
            pregnant(25, json!(45), json!({"hb": 10.6})),
            &["anemia_pregnancy"],
        ),
        case(
            "gw 1 valid Hb 11",
            pregnant(25, json!(1), json!({"hb": 11})),
            &[],
        ),
        // Pregnancy refused: male, under 10 y, not an object.
        case(
            "pregnancy for a man",
            with(
                bp(30, 110.0, 70.0),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy at 9 y",
            with(
                base("F", &years_old(10, 1)),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy at 10 y",
            with(
                base("F", &years_old(10, 0)),
                "pregnancy",
                json!({"gestational_weeks": 20}),
            ),
            &[],
        ),
        case(
            "pregnancy not an object",
            with(base("F", &years_old(20, 0)), "pregnancy", json!(true)),
            &[],
        )
        .errs(&["pregnancy"]),
        case(
            "pregnancy null = absent",
            with(base("F", &years_old(20, 0)), "pregnancy", Value::Null),
            &[],
        ),
        case(
            "pregnancy unknown key",
            with(
                base("F", &years_old(20, 0)),
                "pregnancy",
                json!({"gestational_weeks": 20, "gravida": 2}),
            ),
            &[],
        )
        .has(&[], &[])
        .errs(&["pregnancy.gravida"]),
        case(
            "postpartum with pregnancy",
            with(
                pregnant(25, json!(20), json!({})),
                "postpartum_days",
                json!(3),
            ),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum for a man",
            with(base("M", &years_old(25, 0)), "postpartum_days", json!(3)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum 2.5",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(2.5)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum -1",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(-1)),
            &[],
        )
        .errs(&["postpartum_days"]),
        case(
            "postpartum 3.0 is an integer",
            with(base("F", &years_old(25, 0)), "postpartum_days", json!(3.0)),
            &[],
        ),
        // Pregnant women get no adult BMI and no waist rule (§5).
        case(
            "pregnant no BMI/waist",
            pregnant(
                25,
                json!(20),
                json!({"weight_kg": 120, "lenhei_cm": 160, "waist_cm": 100}),
            ),
            &[],
        ),
    ]);
}

#[test]
fn kspr_and_anc() {
    check(vec![
        case(
            "no factors = 2",
            kspr(json!([]), 10.0, Value::Null),
            &["kspr_krr"],
        ),
        case(
            "one 4-pt = 6",
            kspr(json!(["anemia"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "repeated factor counted once",
            kspr(json!(["anemia", "anemia"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "two 4-pt = 10",
            kspr(json!(["anemia", "malaria"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "one 8-pt = 10",
            kspr(json!(["breech"]), 10.0, Value::Null),
            &["kspr_krt"],
        ),
        case(
            "three 4-pt = 14",
            kspr(
                json!(["primi_young", "short_stature", "post_term"]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        case(
            "8 + 4 = 14",
            kspr(json!(["prior_caesarean", "age_35_plus"]), 10.0, Value::Null),
            &["kspr_krst"],
        ),
        case(
            "unknown factor",
            kspr(json!(["anemia", "twins"]), 10.0, Value::Null),
            &[],
        )
        .errs(&["pregnancy.kspr_factors[1]"]),
        case("kspr absent", kspr(Value::Null, 10.0, Value::Null), &[]),
        // Every factor code of §6 is known.
        case(
            "all 4-pt codes",
            kspr(
                json!([
                    "primi_young",
                    "primi_late_marriage",
                    "primi_old",
                    "short_interval",
                    "long_interval",
                    "grand_multipara",
                    "age_35_plus",
                    "short_stature",
                    "prior_pregnancy_loss",
                    "prior_vacuum_forceps",
                    "prior_manual_placenta",
                    "prior_infusion_transfusion",
                    "anemia",
                    "malaria",
                    "tuberculosis",
                    "heart_failure",
                    "diabetes",
                    "sexually_transmitted_infection",
                    "oedema_hypertension",
                    "multiple_pregnancy",
                    "hydramnios",
                    "intrauterine_death",
                    "post_term"
                ]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        case(
            "all 8-pt codes",
            kspr(
                json!([
                    "prior_caesarean",
                    "breech",
                    "transverse_lie",
                    "antepartum_haemorrhage",
                    "severe_preeclampsia"
                ]),
                10.0,
                Value::Null,
            ),
            &["kspr_krst"],
        ),
        // ANC (§6): only trimester ends are checked.
        case("gw 12 anc 0", kspr(Value::Null, 12.0, json!(0)), &[]),
        case(
            "gw 13 anc 0",
            kspr(Value::Null, 13.0, json!(0)),
            &["anc_behind_schedule"],
        ),
        case(
            "gw 12.5 anc 0",
            kspr(Value::Null, 12.5, json!(0)),
            &["anc_behind_schedule"],
        ),
        case("gw 13 anc 1", kspr(Value::Null, 13.0, json!(1)), &[]),
        case("gw 24 anc 1", kspr(Value::Null, 24.0, json!(1)), &[]),
        case(
            "gw 25 anc 2",
            kspr(Value::Null, 25.0, json!(2)),
            &["anc_behind_schedule"],
        ),
        case("gw 25 anc 3", kspr(Value::Null, 25.0, json!(3)), &[]),
        case("anc 2.5", kspr(Value::Null, 25.0, json!(2.5)), &[]).errs(&["pregnancy.anc_visits"]),
        case("anc 21", kspr(Value::Null, 25.0, json!(21)), &[]).errs(&["pregnancy.anc_visits"]),
        case("anc 20", kspr(Value::Null, 25.0, json!(20)), &[]),
        case("anc -1", kspr(Value::Null, 25.0, json!(-1)), &[]).errs(&["pregnancy.anc_visits"]),
    ]);
}

#[test]
fn glucose_and_cholesterol() {
    check(vec![
        case("GDS 139", chem(30, json!({"glucose_random": 139})), &[]),
        case(
            "GDS 140",
            chem(30, json!({"glucose_random": 140})),
            &["glucose_random_prediabetes"],
        ),
        case(
            "GDS 199.9",
            chem(30, json!({"glucose_random": 199.9})),
            &["glucose_random_prediabetes"],
        ),
        case(
            "GDS 200",
            chem(30, json!({"glucose_random": 200})),
            &["glucose_random_diabetes"],
        ),
        case("GDP 99.9", chem(30, json!({"glucose_fasting": 99.9})), &[]),
        case(
            "GDP 100",
            chem(30, json!({"glucose_fasting": 100})),
            &["glucose_fasting_prediabetes"],
        ),
        case(
            "GDP 125.9",
            chem(30, json!({"glucose_fasting": 125.9})),
            &["glucose_fasting_prediabetes"],
        ),
        case(
            "GDP 126",
            chem(30, json!({"glucose_fasting": 126})),
            &["glucose_fasting_diabetes"],
        ),
        case(
            "both",
            chem(30, json!({"glucose_fasting": 126, "glucose_random": 150})),
            &["glucose_fasting_diabetes", "glucose_random_prediabetes"],
        ),
        // Not balita: day 1826 is balita, 1827 is not.
        case(
            "GDS 250 at day 1826",
            measured("F", &days_old(1826), json!({"glucose_random": 250})),
            &[],
        ),
        case(
            "GDS 250 at day 1827",
            measured("F", &days_old(1827), json!({"glucose_random": 250})),
            &["glucose_random_diabetes"],
        ),
        case("TC 199.9", chem(30, json!({"cholesterol": 199.9})), &[]),
        case(
            "TC 200",
            chem(30, json!({"cholesterol": 200})),
            &["cholesterol_borderline"],
        ),
        case(
            "TC 239.9",
            chem(30, json!({"cholesterol": 239.9})),
            &["cholesterol_borderline"],
        ),
        case(
            "TC 240",
            chem(30, json!({"cholesterol": 240})),
            &["cholesterol_high"],
        ),
        case("TC 300 at 14 y", chem(14, json!({"cholesterol": 300})), &[]),
        case(
            "TC 300 at 15 y",
            chem(15, json!({"cholesterol": 300})),
            &["cholesterol_high"],
        ),
        case(
            "TC 1000 max",
            chem(30, json!({"cholesterol": 1000})),
            &["cholesterol_high"],
        ),
        case(
            "TC 1000.5 > max",
            chem(30, json!({"cholesterol": 1000.5})),
            &[],
        )
        .errs(&["measurements.cholesterol"]),
    ]);
}
