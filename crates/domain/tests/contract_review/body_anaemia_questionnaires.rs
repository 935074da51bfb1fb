//! Adult BMI and waist, anaemia, questionnaires (rules.md §5, §7, §8).

use super::*;

#[test]
fn adult_bmi_both_scales_and_waist() {
    const DEPKES: &[&str] = &["adult_bmi_scale=depkes"];
    check(vec![
        // Asia-Pacific (default). h = 200 cm: BMI = w / 4 exactly.
        case("BMI 18.5", body(30, "M", 74.0, 200.0), &[]),
        case(
            "BMI 18.4975",
            body(30, "M", 73.99, 200.0),
            &["bmi_underweight"],
        ),
        case("BMI 16", body(30, "M", 64.0, 200.0), &["bmi_underweight"]),
        case("BMI 22.9975", body(30, "M", 91.99, 200.0), &[]),
        case("BMI 23.0", body(30, "M", 92.0, 200.0), &["bmi_overweight"]),
        case(
            "BMI 24.9975",
            body(30, "M", 99.99, 200.0),
            &["bmi_overweight"],
        ),
        case("BMI 25.0", body(30, "M", 100.0, 200.0), &["bmi_obese_1"]),
        case(
            "BMI 29.9975",
            body(30, "M", 119.99, 200.0),
            &["bmi_obese_1"],
        ),
        case("BMI 30.0", body(30, "M", 120.0, 200.0), &["bmi_obese_2"]),
        // Decimal cut-offs reached exactly by decimal inputs (18.5·2.56 = 47.36; 23·2.89 = 66.47).
        case("BMI 18.5 at 160 cm", body(30, "F", 47.36, 160.0), &[]),
        case(
            "BMI 23 at 170 cm",
            body(30, "F", 66.47, 170.0),
            &["bmi_overweight"],
        ),
        case(
            "BMI 25 at 170 cm",
            body(30, "F", 72.25, 170.0),
            &["bmi_obese_1"],
        ),
        // Ages: 19 y default; 18 y with the setting.
        case("BMI 30 at 18 y", body(18, "M", 120.0, 200.0), &[]).has(&[], &["bmi_obese_2"]),
        case(
            "BMI 30 at 19 y minus a day",
            measured(
                "M",
                &years_old(19, 1),
                json!({"weight_kg": 120, "lenhei_cm": 200}),
            ),
            &[],
        )
        .has(&[], &["bmi_obese_2"]),
        case(
            "BMI 30 at 18 y setting 18",
            body(18, "M", 120.0, 200.0),
            &[],
        )
        .has(&["bmi_obese_2"], &[])
        .set(&["adult_bmi_min_years=18"]),
        // Depkes.
        case(
            "depkes 16.9975",
            body(30, "M", 67.99, 200.0),
            &["bmi_underweight_severe"],
        )
        .set(DEPKES),
        case(
            "depkes 17.0",
            body(30, "M", 68.0, 200.0),
            &["bmi_underweight"],
        )
        .set(DEPKES),
        case(
            "depkes 18.4975",
            body(30, "M", 73.99, 200.0),
            &["bmi_underweight"],
        )
        .set(DEPKES),
        case("depkes 18.5", body(30, "M", 74.0, 200.0), &[]).set(DEPKES),
        case("depkes 24", body(30, "M", 96.0, 200.0), &[]).set(DEPKES),
        case("depkes 25.0", body(30, "M", 100.0, 200.0), &[]).set(DEPKES),
        case(
            "depkes 25.0025",
            body(30, "M", 100.01, 200.0),
            &["bmi_overweight"],
        )
        .set(DEPKES),
        case(
            "depkes 27.0",
            body(30, "M", 108.0, 200.0),
            &["bmi_overweight"],
        )
        .set(DEPKES),
        case(
            "depkes 27.0025",
            body(30, "M", 108.01, 200.0),
            &["bmi_obese"],
        )
        .set(DEPKES),
        case("depkes 35", body(30, "M", 140.0, 200.0), &["bmi_obese"]).set(DEPKES),
        // Waist (≥ 15 y, needs sex).
        case(
            "M waist 90",
            measured("M", &years_old(30, 0), json!({"waist_cm": 90})),
            &[],
        ),
        case(
            "M waist 90.1",
            measured("M", &years_old(30, 0), json!({"waist_cm": 90.1})),
            &["central_obesity"],
        ),
        case(
            "F waist 80",
            measured("F", &years_old(30, 0), json!({"waist_cm": 80})),
            &[],
        ),
        case(
            "F waist 80.1",
            measured("F", &years_old(30, 0), json!({"waist_cm": 80.1})),
            &["central_obesity"],
        ),
        case(
            "F waist 85 at 15 y",
            measured("F", &years_old(15, 0), json!({"waist_cm": 85})),
            &["central_obesity"],
        ),
        case(
            "F waist 85 at 15 y minus a day",
            measured("F", &years_old(15, 1), json!({"waist_cm": 85})),
            &[],
        ),
        case(
            "sex unknown waist 120",
            measured("X", &years_old(30, 0), json!({"waist_cm": 120})),
            &[],
        )
        .errs(&["sex"]),
    ]);
}

#[test]
fn anaemia_by_age_and_sex() {
    // 2020-03-01 → 2025-03-01 is 1826 days (balita, 5 y); 2019-03-01 → 2024-03-01 is 1827.
    let balita_5y = json!({"id": "r", "sex": "M", "birth_date": "2020-03-01", "visit_date": "2025-03-01",
                           "measurements": {"hb": 11.2}});
    let anak_1827 = json!({"id": "r", "sex": "M", "birth_date": "2019-03-01", "visit_date": "2024-03-01",
                           "measurements": {"hb": 11.2}});
    check(vec![
        // Under 6 completed months: no rule. Day 182 = 5.98 mo, day 183 = 6.01 mo.
        case("182 d Hb 6", hb(&days_old(182), "F", 6.0), &[]),
        case(
            "183 d Hb 10.9",
            hb(&days_old(183), "F", 10.9),
            &["anemia_mild"],
        ),
        case("balita Hb 11.0", hb(&days_old(400), "F", 11.0), &[]),
        case(
            "balita Hb 10.0",
            hb(&days_old(400), "F", 10.0),
            &["anemia_mild"],
        ),
        case(
            "balita Hb 9.99",
            hb(&days_old(400), "F", 9.99),
            &["anemia_moderate"],
        ),
        case(
            "balita Hb 7.0",
            hb(&days_old(400), "F", 7.0),
            &["anemia_moderate"],
        ),
        case(
            "balita Hb 6.99",
            hb(&days_old(400), "F", 6.99),
            &["anemia_severe"],
        ),
        case("balita day 1826 aged 5 y Hb 11.2", balita_5y, &[]),
        case("anak day 1827 Hb 11.2", anak_1827, &["anemia_mild"]),
        case("anak 8 y Hb 11.5", hb(&years_old(8, 0), "F", 11.5), &[]),
        case(
            "anak 8 y Hb 11.49",
            hb(&years_old(8, 0), "F", 11.49),
            &["anemia_mild"],
        ),
        case(
            "anak 8 y Hb 11.0",
            hb(&years_old(8, 0), "F", 11.0),
            &["anemia_mild"],
        ),
        case(
            "anak 8 y Hb 10.99",
            hb(&years_old(8, 0), "F", 10.99),
            &["anemia_moderate"],
        ),
        case(
            "anak 8 y Hb 8.0",
            hb(&years_old(8, 0), "F", 8.0),
            &["anemia_moderate"],
        ),
        case(
            "anak 8 y Hb 7.99",
            hb(&years_old(8, 0), "F", 7.99),
            &["anemia_severe"],
        ),
        case("11 y Hb 11.9", hb(&years_old(11, 0), "M", 11.9), &[]),
        case(
            "12 y Hb 11.9",
            hb(&years_old(12, 0), "M", 11.9),
            &["anemia_mild"],
        ),
        case(
            "12 y minus a day Hb 11.9",
            hb(&years_old(12, 1), "M", 11.9),
            &[],
        ),
        case("14 y M Hb 12.5", hb(&years_old(14, 0), "M", 12.5), &[]),
        case("14 y M Hb 12.0", hb(&years_old(14, 0), "M", 12.0), &[]),
        case(
            "15 y M Hb 12.5",
            hb(&years_old(15, 0), "M", 12.5),
            &["anemia_mild"],
        ),
        case("15 y F Hb 12.5", hb(&years_old(15, 0), "F", 12.5), &[]),
        case(
            "15 y F Hb 11.99",
            hb(&years_old(15, 0), "F", 11.99),
            &["anemia_mild"],
        ),
        case("40 y M Hb 13.0", hb(&years_old(40, 0), "M", 13.0), &[]),
        case(
            "40 y M Hb 12.99",
            hb(&years_old(40, 0), "M", 12.99),
            &["anemia_mild"],
        ),
        case(
            "40 y M Hb 10.99",
            hb(&years_old(40, 0), "M", 10.99),
            &["anemia_moderate"],
        ),
        case(
            "40 y M Hb 7.99",
            hb(&years_old(40, 0), "M", 7.99),
            &["anemia_severe"],
        ),
        case(
            "nifas Hb 11.9",
            with(
                hb(&years_old(30, 0), "F", 11.9),
                "postpartum_days",
                json!(10),
            ),
            &["anemia_mild"],
        ),
        case(
            "sex unknown ≥ 15 y Hb 9",
            hb(&years_old(40, 0), "", 9.0),
            &[],
        )
        .errs(&["sex"]),
        case(
            "sex unknown 13 y Hb 9",
            hb(&years_old(13, 0), "", 9.0),
            &["anemia_moderate"],
        )
        .errs(&["sex"]),
        case("Hb 25 max", hb(&years_old(40, 0), "M", 25.0), &[]),
        case("Hb 25.1", hb(&years_old(40, 0), "M", 25.1), &[]).errs(&["measurements.hb"]),
        case("Hb 0", hb(&years_old(40, 0), "M", 0.0), &[]).errs(&["measurements.hb"]),
    ]);
}

#[test]
fn questionnaires() {
    check(vec![
        case("srq 5 true", q(30, "F", srq(&[0, 1, 2, 3, 4])), &[]),
        case("srq 6 true", q(30, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]),
        case("srq item 17 only", q(30, "F", srq(&[16])), &["srq20_suicidal"]),
        case("srq 6 with 17", q(30, "F", srq(&[0, 1, 2, 3, 4, 16])), &["srq20_positive", "srq20_suicidal"]),
        case("srq item 16 only", q(30, "F", srq(&[15])), &[]),
        case("srq at 14 y", q(14, "F", srq(&[0, 1, 2, 3, 4, 5, 16])), &[]),
        case("srq at 15 y", q(15, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]),
        case("srq at 18 y setting 19", q(18, "F", srq(&[0, 1, 2, 3, 4, 5])), &[]).set(&["srq20_min_years=19"]),
        case("srq at 19 y setting 19", q(19, "F", srq(&[0, 1, 2, 3, 4, 5])), &["srq20_positive"]).set(&["srq20_min_years=19"]),
        case("srq 19 answers", q(30, "F", json!({"srq20": vec![true; 19]})), &[]).errs(&["questionnaires.srq20"]),
        case("srq 21 answers", q(30, "F", json!({"srq20": vec![true; 21]})), &[]).errs(&["questionnaires.srq20"]),
        case("srq with a 1", q(30, "F", json!({"srq20": [1, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false, false]})), &[])
            .errs(&["questionnaires.srq20"]),
        // PUMA: M = 1; 40–49 = 0; all four symptoms = 4 → 5.
        case("puma M 40 y 5", q(40, "M", puma(0.0, true, true, true, true)), &[]),
        case("puma M 50 y 6", q(50, "M", puma(0.0, true, true, true, true)), &["puma_high_risk"]),
        case("puma M 49 y pack 20 = 6", q(49, "M", puma(20.0, true, true, true, true)), &["puma_high_risk"]),
        case("puma M 49 y pack 19.9 = 5", q(49, "M", puma(19.9, true, true, true, true)), &[]),
        case("puma F 60 y pack 30 = 2+1+2", q(60, "F", puma(30.0, true, true, false, false)), &[]),
        case("puma F 60 y pack 30.1 = 2+2+2", q(60, "F", puma(30.1, true, true, false, false)), &["puma_high_risk"]),
        case("puma 39 y", q(39, "M", puma(50.0, true, true, true, true)), &[]),
        case("puma cutoff 8: 7", q(60, "M", puma(0.0, true, true, true, true)), &[]).set(&["puma_cutoff=8"]),
        case("puma cutoff 8: 8", q(60, "M", puma(25.0, true, true, true, true)), &["puma_high_risk"]).set(&["puma_cutoff=8"]),
        case("puma sex unknown", q(70, "?", puma(50.0, true, true, true, true)), &[]).errs(&["sex"]),
        case("puma missing key", q(70, "M", json!({"puma": {"pack_years": 50, "breathless": true, "phlegm": true, "cough": true}})), &[])
            .has(&[], &["puma_high_risk"])
            .errs(&["questionnaires.puma"]),
        case("puma pack 201", q(70, "M", puma(201.0, true, true, true, true)), &[]).has(&[], &["puma_high_risk"]).errs(&["questionnaires.puma"]),
        case("puma pack 200", q(70, "M", puma(200.0, true, true, true, true)), &["puma_high_risk"]),
        // Barthel (lansia ≥ 60 y).
        case("barthel 20", q(60, "F", json!({"barthel": 20})), &[]),
        case("barthel 19", q(60, "F", json!({"barthel": 19})), &["adl_mild_dependency"]),
        case("barthel 12", q(60, "F", json!({"barthel": 12})), &["adl_mild_dependency"]),
        case("barthel 11", q(60, "F", json!({"barthel": 11})), &["adl_moderate_dependency"]),
        case("barthel 9", q(60, "F", json!({"barthel": 9})), &["adl_moderate_dependency"]),
        case("barthel 8", q(60, "F", json!({"barthel": 8})), &["adl_severe_dependency"]),
        case("barthel 5", q(60, "F", json!({"barthel": 5})), &["adl_severe_dependency"]),
        case("barthel 4", q(60, "F", json!({"barthel": 4})), &["adl_total_dependency"]),
        case("barthel 0", q(60, "F", json!({"barthel": 0})), &["adl_total_dependency"]),
        case("barthel at 59 y", q(59, "F", json!({"barthel": 0})), &[]),
        case("barthel 21", q(60, "F", json!({"barthel": 21})), &[]).errs(&["questionnaires.barthel"]),
        case("barthel 10.5", q(60, "F", json!({"barthel": 10.5})), &[]).errs(&["questionnaires.barthel"]),
        case("barthel 10.0 integer", q(60, "F", json!({"barthel": 10.0})), &["adl_moderate_dependency"]),
        // SKILAS.
        case(
            "skilas all six",
            q(60, "F", json!({"skilas": {"cognitive": true, "mobility": true, "malnutrition": true, "vision": true, "hearing": true, "depression": true}})),
            &["skilas_cognitive", "skilas_depression", "skilas_hearing", "skilas_malnutrition", "skilas_mobility", "skilas_vision"],
        ),
        case("skilas false", q(60, "F", json!({"skilas": {"cognitive": false}})), &[]),
        case("skilas at 59 y", q(59, "F", json!({"skilas": {"cognitive": true}})), &[]),
        case("skilas unknown key", q(60, "F", json!({"skilas": {"memory": true}})), &[]).errs(&["questionnaires.skilas"]),
        case("skilas non-boolean", q(60, "F", json!({"skilas": {"vision": 1}})), &[]).errs(&["questionnaires.skilas"]),
        case("lansia muac 20.9", measured("F", &years_old(60, 0), json!({"muac_cm": 20.9})), &["skilas_malnutrition"]),
        case("lansia muac 21", measured("F", &years_old(60, 0), json!({"muac_cm": 21})), &[]),
        case("59 y muac 20", measured("F", &years_old(59, 0), json!({"muac_cm": 20})), &[]),
        // TB.
        case("child cough only", q(14, "M", json!({"tb_symptoms": {"cough": true}})), &[]),
        case("child fever only", q(14, "M", json!({"tb_symptoms": {"fever": true}})), &[]),
        case("child night sweats only", q(14, "M", json!({"tb_symptoms": {"night_sweats": true}})), &[]),
        case("child cough_2w", q(14, "M", json!({"tb_symptoms": {"cough_2w": true}})), &["tb_presumptive_child"]),
        case("child fever_2w", q(3, "M", json!({"tb_symptoms": {"fever_2w": true}})), &["tb_presumptive_child"]),
        case("child weight_loss", q(3, "M", json!({"tb_symptoms": {"weight_loss": true}})), &["tb_presumptive_child"]),
        case("child lethargy", q(3, "M", json!({"tb_symptoms": {"lethargy": true}})), &["tb_presumptive_child"]),
        case("adult cough", q(15, "M", json!({"tb_symptoms": {"cough": true}})), &["tb_presumptive_adult"]),
        case("adult night sweats", q(40, "F", json!({"tb_symptoms": {"night_sweats": true}})), &["tb_presumptive_adult"]),
        case("adult fever", q(40, "F", json!({"tb_symptoms": {"fever": true}})), &["tb_presumptive_adult"]),
        case("adult all false", q(40, "F", json!({"tb_symptoms": {"cough": false, "fever": false}})), &[]),
        case("tb unknown key", q(40, "F", json!({"tb_symptoms": {"cough_3w": true}})), &[]).has(&[], &["tb_presumptive_adult"]).errs(&["questionnaires.tb_symptoms"]),
        // Vision.
        case("vision 1", q(30, "F", json!({"vision_fingers_wrong": 1})), &[]),
        case("vision 2", q(30, "F", json!({"vision_fingers_wrong": 2})), &["vision_impairment_suspect"]),
        case("vision 5", q(30, "F", json!({"vision_fingers_wrong": 5})), &["vision_impairment_suspect"]),
        case("vision at 14 y", q(14, "F", json!({"vision_fingers_wrong": 5})), &[]),
        case("vision 6", q(30, "F", json!({"vision_fingers_wrong": 6})), &[]).errs(&["questionnaires.vision_fingers_wrong"]),
        case("unknown questionnaire", q(30, "F", json!({"audit": 3})), &[]).errs(&["questionnaires.audit"]),
        case("questionnaires null", q(30, "F", Value::Null), &[]),
    ]);
}
