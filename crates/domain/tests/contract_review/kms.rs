//! KMS N/T/2T/O/B, the KBM table and weight faltering (rules.md §2).

use super::*;

#[test]
fn kms_status_and_kbm_table() {
    // 400 d = 13 completed months: KBM 200 g. Visit 2025-06-15, prev month = May.
    check(vec![
        case("B: empty list", kms(400, 9.0, json!([])), &["kms_b"]),
        case(
            "absent history: nothing",
            balita(400, json!({"weight_kg": 9.0})),
            &[],
        ),
        case("null history = absent", kms(400, 9.0, Value::Null), &[]),
        case(
            "O: only April",
            kms(400, 9.0, json!([wt("2025-04-20", 8.8)])),
            &["kms_o"],
        ),
        case(
            "O: only this month",
            kms(400, 9.0, json!([wt("2025-06-01", 8.8)])),
            &["kms_o"],
        ),
        case(
            "N: +200 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8)])),
            &["kms_n"],
        ),
        case(
            "T: +199 g",
            kms(400, 9.0, json!([wt("2025-05-15", 8.801)])),
            &["kms_t"],
        ),
        case(
            "N: +199.5 g rounds to 200",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8005)])),
            &["kms_n"],
        ),
        case(
            "this month's entry ignored for N/T",
            kms(
                400,
                9.0,
                json!([wt("2025-05-15", 8.8), wt("2025-06-10", 8.95)]),
            ),
            &["kms_n"],
        ),
        case(
            "latest May entry decides (out of order)",
            kms(
                400,
                9.0,
                json!([wt("2025-05-30", 8.9), wt("2025-05-02", 8.0)]),
            ),
            &["kms_t"],
        ),
        // 2T is a T that follows a T: both codes hold (kms_2t's condition includes kms_t's).
        case(
            "2T: T in May against April too",
            kms(
                400,
                9.0,
                json!([wt("2025-04-10", 8.9), wt("2025-05-10", 8.9)]),
            ),
            &["kms_2t", "kms_t"],
        ),
        case(
            "T after N is not 2T",
            kms(
                400,
                9.0,
                json!([wt("2025-04-10", 8.7), wt("2025-05-10", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "T with March (not April) before May: not 2T",
            kms(
                400,
                9.0,
                json!([wt("2025-03-10", 8.9), wt("2025-05-10", 8.9)]),
            ),
            &["kms_t"],
        ),
        case(
            "2T uses the latest April entry",
            kms(
                400,
                9.0,
                json!([
                    wt("2025-04-02", 8.9),
                    wt("2025-04-28", 8.5),
                    wt("2025-05-10", 8.9)
                ]),
            ),
            &["kms_t"],
        ),
        // Under 1 completed month: no N/T (30 d = 0 mo).
        case(
            "30 d: no N/T",
            kms(30, 3.6, json!([wt("2025-05-20", 3.5)])),
            &[],
        )
        .has(&[], &["kms_n", "kms_t", "kms_o", "kms_b"]),
        case(
            "31 d: 1 mo KBM 800 met",
            kms(31, 3.8, json!([wt("2025-05-16", 3.0)])),
            &["kms_n"],
        ),
        case(
            "31 d: 799 g",
            kms(31, 3.799, json!([wt("2025-05-16", 3.0)])),
            &["kms_t"],
        ),
        case(
            "2 mo: 900 met",
            kms(75, 5.5, json!([wt("2025-05-20", 4.6)])),
            &["kms_n"],
        ),
        case(
            "2 mo: 899",
            kms(75, 5.499, json!([wt("2025-05-20", 4.6)])),
            &["kms_t"],
        ),
        case(
            "3 mo: 800 met",
            kms(100, 6.6, json!([wt("2025-05-20", 5.8)])),
            &["kms_n"],
        ),
        case(
            "3 mo: 799",
            kms(100, 6.599, json!([wt("2025-05-20", 5.8)])),
            &["kms_t"],
        ),
        case(
            "3 mo setting 600: 600",
            kms(100, 6.4, json!([wt("2025-05-20", 5.8)])),
            &["kms_n"],
        )
        .set(&["kbm_month3_g=600"]),
        case(
            "3 mo setting 600: 599",
            kms(100, 6.399, json!([wt("2025-05-20", 5.8)])),
            &["kms_t"],
        )
        .set(&["kbm_month3_g=600"]),
        case(
            "4 mo: 600",
            kms(130, 7.0, json!([wt("2025-05-20", 6.4)])),
            &["kms_n"],
        ),
        case(
            "4 mo: 599",
            kms(130, 6.999, json!([wt("2025-05-20", 6.4)])),
            &["kms_t"],
        ),
        case(
            "5 mo: 500",
            kms(160, 7.4, json!([wt("2025-05-20", 6.9)])),
            &["kms_n"],
        ),
        case(
            "5 mo: 499",
            kms(160, 7.399, json!([wt("2025-05-20", 6.9)])),
            &["kms_t"],
        ),
        case(
            "6 mo: 400",
            kms(190, 7.7, json!([wt("2025-05-20", 7.3)])),
            &["kms_n"],
        ),
        case(
            "6 mo: 399",
            kms(190, 7.699, json!([wt("2025-05-20", 7.3)])),
            &["kms_t"],
        ),
        case(
            "7 mo: 300",
            kms(220, 7.9, json!([wt("2025-05-20", 7.6)])),
            &["kms_n"],
        ),
        case(
            "7 mo: 299",
            kms(220, 7.899, json!([wt("2025-05-20", 7.6)])),
            &["kms_t"],
        ),
        case(
            "10 mo: 299",
            kms(310, 8.799, json!([wt("2025-05-20", 8.5)])),
            &["kms_t"],
        ),
        case(
            "11 mo: 200",
            kms(340, 8.9, json!([wt("2025-05-20", 8.7)])),
            &["kms_n"],
        ),
        case(
            "11 mo band 7–11: 299",
            kms(340, 8.999, json!([wt("2025-05-20", 8.7)])),
            &["kms_t"],
        )
        .set(&["kbm_band_300=7-11"]),
        case(
            "12 mo band 7–11: 200",
            kms(370, 9.1, json!([wt("2025-05-20", 8.9)])),
            &["kms_n"],
        )
        .set(&["kbm_band_300=7-11"]),
        case(
            "59 mo: 200",
            kms(1826, 18.2, json!([wt("2025-05-20", 18.0)])),
            &["kms_n"],
        ),
        case(
            "59 mo: 199",
            kms(1826, 18.199, json!([wt("2025-05-20", 18.0)])),
            &["kms_t"],
        ),
        case("60 mo: no KMS", kms(1827, 18.2, json!([])), &[]),
        // January visit: prev month is December of the year before.
        case(
            "January visit",
            json!({"id": "r", "sex": "F", "birth_date": "2024-01-01", "visit_date": "2025-01-15",
                   "measurements": {"weight_kg": 9.0}, "previous_weighings": [wt("2024-12-20", 8.8)]}),
            &["kms_n"],
        ),
        case(
            "January visit 2T through November",
            json!({"id": "r", "sex": "F", "birth_date": "2024-01-01", "visit_date": "2025-01-15",
                   "measurements": {"weight_kg": 9.0},
                   "previous_weighings": [wt("2024-11-20", 9.0), wt("2024-12-20", 9.0)]}),
            &[],
        )
        .has(&["kms_2t"], &["kms_n"]),
        // No weight today: no KMS at all.
        case(
            "no weight today",
            with(balita(400, json!({})), "previous_weighings", json!([])),
            &[],
        ),
        // Validation: one bad entry drops the whole list.
        case(
            "entry dated the visit day",
            kms(400, 9.0, json!([wt("2025-05-15", 8.8), wt(VISIT, 8.9)])),
            &[],
        )
        .errs(&["previous_weighings[1].date"]),
        case(
            "entry before birth",
            kms(
                400,
                9.0,
                json!([wt("2024-01-01", 3.0), wt("2025-05-15", 8.8)]),
            ),
            &[],
        )
        .errs(&["previous_weighings[0].date"]),
        case(
            "entry weight 0",
            kms(400, 9.0, json!([wt("2025-05-15", 0.0)])),
            &[],
        )
        .errs(&["previous_weighings[0].weight_kg"]),
        case(
            "entry weight missing",
            kms(400, 9.0, json!([{"date": "2025-05-15"}])),
            &[],
        )
        .errs(&["previous_weighings[0].weight_kg"]),
        case(
            "entry date bad",
            kms(400, 9.0, json!([wt("2025-02-30", 8.8)])),
            &[],
        )
        .errs(&["previous_weighings[0].date"]),
        case(
            "not an array",
            kms(400, 9.0, json!({"date": "2025-05-15"})),
            &[],
        )
        .errs(&["previous_weighings"]),
        case(
            "entry on the birth day",
            kms(400, 9.0, json!([wt(&days_old(400), 3.2)])),
            &["kms_o"],
        ),
    ]);
}

#[test]
fn weight_faltering_waz_drop() {
    // Girl, 400 d today. zwei_p − zwei_today in hundredths ≤ −68.
    let wf = |days_today: i64, p_days_before: i64, zp: f64, zt: f64| {
        let p = date_minus(p_days_before);
        let p_age = days_today - p_days_before;
        let mut v = balita(
            days_today,
            json!({"weight_kg": wfa_kg("F", days_today, zt)}),
        );
        v["previous_weighings"] = json!([wt(&p, wfa_kg("F", p_age, zp))]);
        v
    };
    const WF: &[&str] = &["weight_faltering"];
    check(vec![
        case("drop 0.68 at 30 d", wf(400, 30, -0.5, -1.18), &[]).has(WF, &[]),
        case("drop 0.67 at 30 d", wf(400, 30, -0.5, -1.17), &[]).has(&[], WF),
        case("p at 21 d", wf(400, 21, -0.5, -1.2), &[]).has(WF, &[]),
        case("p at 20 d: none", wf(400, 20, -0.5, -1.5), &[]).has(&[], WF),
        case("p at 92 d", wf(400, 92, -0.5, -1.2), &[]).has(WF, &[]),
        case("p at 93 d: none", wf(400, 93, -0.5, -1.5), &[]).has(&[], WF),
        case("730 d", wf(730, 30, 0.0, -0.7), &[]).has(WF, &[]),
        case("731 d: none", wf(731, 30, 0.0, -0.9), &[]).has(&[], WF),
        case("rise: none", wf(400, 30, -1.0, 0.0), &[]).has(&[], WF),
        {
            // The latest entry in the window decides, not the worst.
            let mut v = balita(400, json!({"weight_kg": wfa_kg("F", 400, -1.18)}));
            v["previous_weighings"] = json!([
                wt(&date_minus(60), wfa_kg("F", 340, -0.5)),
                wt(&date_minus(30), wfa_kg("F", 370, -1.0)),
                wt(&date_minus(10), wfa_kg("F", 390, -1.1)),
            ]);
            case("latest in window decides", v, &[]).has(&[], WF)
        },
    ]);
}
