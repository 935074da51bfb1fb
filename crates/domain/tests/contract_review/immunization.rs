//! Immunization due/overdue/until/intervals, IDL and baduta (rules.md §9).

use super::*;

struct Imm {
    name: &'static str,
    settings: &'static [&'static str],
    days: i64,
    /// (vaccine, age in days at the dose)
    doses: Vec<(&'static str, i64)>,
    due: &'static [&'static str],
    overdue: &'static [&'static str],
    idl: bool,
    baduta: bool,
}

fn imm(
    name: &'static str,
    days: i64,
    doses: &[(&'static str, i64)],
    due: &'static [&'static str],
    overdue: &'static [&'static str],
) -> Imm {
    Imm {
        name,
        settings: &[],
        days,
        doses: doses.to_vec(),
        due,
        overdue,
        idl: false,
        baduta: false,
    }
}

impl Imm {
    fn set(mut self, s: &'static [&'static str]) -> Imm {
        self.settings = s;
        self
    }
    fn complete(mut self, idl: bool, baduta: bool) -> Imm {
        self.idl = idl;
        self.baduta = baduta;
        self
    }
}

fn imm_input(days: i64, doses: &[(&str, i64)]) -> Value {
    let list: Vec<Value> = doses
        .iter()
        .map(|(v, at)| json!({"vaccine": v, "date": date_minus(days - at)}))
        .collect();
    with(base("M", &days_old(days)), "immunizations", json!(list))
}

fn check_imm(cases: Vec<Imm>) {
    let mut failures = Vec::new();
    for c in &cases {
        let out = screen(c.settings, &imm_input(c.days, &c.doses));
        let want = json!({"due": c.due, "overdue": c.overdue, "idl_complete": c.idl, "baduta_complete": c.baduta});
        if out["immunization"] != want {
            failures.push(format!(
                "{}: got {}, document says {want}",
                c.name, out["immunization"]
            ));
        }
        if !error_fields(&out).is_empty() {
            failures.push(format!("{}: errors {}", c.name, out["errors"]));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Every dose of the post-2022 IDL set at its recommended age (days).
const IDL_ON_TIME: &[(&str, i64)] = &[
    ("HB0", 0),
    ("BCG", 0),
    ("OPV1", 0),
    ("DPT_HB_HIB1", 61),
    ("OPV2", 61),
    ("PCV1", 61),
    ("RV1", 61),
    ("DPT_HB_HIB2", 92),
    ("OPV3", 92),
    ("PCV2", 92),
    ("RV2", 92),
    ("DPT_HB_HIB3", 122),
    ("OPV4", 122),
    ("RV3", 122),
    ("IPV1", 122),
    ("MR1", 275),
    ("IPV2", 275),
];

fn idl_plus(extra: &[(&'static str, i64)]) -> Vec<(&'static str, i64)> {
    let mut v = IDL_ON_TIME.to_vec();
    v.extend_from_slice(extra);
    v
}

fn idl_without(drop: &[&str]) -> Vec<(&'static str, i64)> {
    IDL_ON_TIME
        .iter()
        .copied()
        .filter(|(v, _)| !drop.contains(v))
        .collect()
}

#[test]
fn immunization_due_overdue_until_and_intervals() {
    let birth3: &[(&str, i64)] = &[("HB0", 0), ("BCG", 0), ("OPV1", 0)];
    check_imm(vec![
        imm("day 0", 0, &[], &["HB0", "BCG", "OPV1"], &[]),
        imm("day 1: HB0 overdue", 1, &[], &["BCG", "OPV1"], &["HB0"]),
        imm("day 7", 7, &[], &["BCG", "OPV1"], &["HB0"]),
        imm("day 8: HB0 closed", 8, &[], &["BCG", "OPV1"], &[]),
        imm("day 30 (0 mo)", 30, &[], &["BCG", "OPV1"], &[]),
        imm("day 31 (1 mo)", 31, &[], &[], &["BCG", "OPV1"]),
        imm("day 60 (1 mo)", 60, &[], &[], &["BCG", "OPV1"]),
        imm(
            "day 61 nothing given: OPV2 needs OPV1",
            61,
            &[],
            &["DPT_HB_HIB1", "PCV1", "RV1"],
            &["BCG", "OPV1"],
        ),
        imm(
            "day 61 birth doses given",
            61,
            birth3,
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "OPV1 at 40, visit 67: interval",
            67,
            &[("HB0", 0), ("BCG", 0), ("OPV1", 40)],
            &["DPT_HB_HIB1", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "OPV1 at 40, visit 68",
            68,
            &[("HB0", 0), ("BCG", 0), ("OPV1", 40)],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
            &[],
        ),
        imm(
            "day 92 (3 mo)",
            92,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
        ),
        imm(
            "day 213 (6 mo): RV1 still open",
            213,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1", "IPV1"],
        ),
        imm(
            "day 214 (7 mo): RV closed",
            214,
            birth3,
            &[],
            &["DPT_HB_HIB1", "OPV2", "PCV1", "IPV1"],
        ),
        imm(
            "day 365 (11 mo): BCG open",
            365,
            &[("HB0", 0)],
            &[],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1", "IPV1", "MR1"],
        ),
        imm(
            "day 366 (12 mo): BCG, PCV1 closed",
            366,
            &[("HB0", 0)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "second doses at 3 mo",
            92,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 61),
                ("OPV2", 61),
                ("PCV1", 61),
                ("RV1", 61),
            ],
            &["DPT_HB_HIB2", "OPV3", "PCV2", "RV2"],
            &[],
        ),
        imm(
            "second doses 22 d after the first",
            92,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 70),
                ("OPV2", 70),
                ("PCV1", 70),
                ("RV1", 70),
            ],
            &[],
            &[],
        ),
        imm(
            "second doses 28 d after the first",
            98,
            &[
                ("HB0", 0),
                ("BCG", 0),
                ("OPV1", 0),
                ("DPT_HB_HIB1", 70),
                ("OPV2", 70),
                ("PCV1", 70),
                ("RV1", 70),
            ],
            &["DPT_HB_HIB2", "OPV3", "PCV2", "RV2"],
            &[],
        ),
        imm(
            "9 mo after full infant series",
            275,
            &idl_without(&["MR1", "IPV2"]),
            &["MR1", "IPV2"],
            &[],
        ),
        imm(
            "9 mo JE endemic: not yet",
            275,
            &idl_without(&["MR1", "IPV2"]),
            &["MR1", "IPV2"],
            &[],
        )
        .set(&["je_endemic=true"]),
        imm("10 mo JE endemic: due", 305, IDL_ON_TIME, &["JE"], &[])
            .set(&["je_endemic=true"])
            .complete(true, false),
        imm("11 mo JE endemic: overdue", 335, IDL_ON_TIME, &[], &["JE"])
            .set(&["je_endemic=true"])
            .complete(true, false),
        imm("11 mo JE not endemic", 335, IDL_ON_TIME, &[], &[]).complete(true, false),
        imm(
            "IPV2 before 122 d",
            300,
            &[("IPV1", 200)],
            &["MR1"],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1"],
        ),
        imm(
            "IPV2 at 122 d",
            322,
            &[("IPV1", 200)],
            &[],
            &["BCG", "OPV1", "DPT_HB_HIB1", "PCV1", "MR1", "IPV2"],
        ),
        imm("12 mo PCV3 due", 366, IDL_ON_TIME, &["PCV3"], &[]).complete(true, false),
        imm("13 mo PCV3 overdue", 396, IDL_ON_TIME, &[], &["PCV3"]).complete(true, false),
        imm(
            "23 mo PCV3 still open",
            730,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &["PCV3"],
        )
        .complete(true, false),
        imm(
            "24 mo PCV3 closed",
            731,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .complete(true, false),
        imm(
            "PCV3 before 56 d after PCV2",
            366,
            &[("PCV2", 330)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "PCV3 at 56 d after PCV2",
            386,
            &[("PCV2", 330)],
            &["PCV3"],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        imm(
            "18 mo DPT4 MR2 due",
            548,
            &idl_plus(&[("PCV3", 366)]),
            &["DPT_HB_HIB4", "MR2"],
            &[],
        )
        .complete(true, false),
        imm("17 mo nothing", 547, &idl_plus(&[("PCV3", 366)]), &[], &[]).complete(true, false),
        imm(
            "23 mo still due",
            730,
            &idl_plus(&[("PCV3", 366)]),
            &["DPT_HB_HIB4", "MR2"],
            &[],
        )
        .complete(true, false),
        imm(
            "24 mo overdue",
            731,
            &idl_plus(&[("PCV3", 366)]),
            &[],
            &["DPT_HB_HIB4", "MR2"],
        )
        .complete(true, false),
        imm(
            "DPT4 before 365 d after DPT3",
            548,
            &[("DPT_HB_HIB3", 200), ("MR1", 400)],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "DPT4 at 365 d, MR2 at 183 d",
            583,
            &[("DPT_HB_HIB3", 218), ("MR1", 400)],
            &["DPT_HB_HIB4", "MR2"],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "MR2 before 183 d",
            582,
            &[("DPT_HB_HIB3", 217), ("MR1", 400)],
            &["DPT_HB_HIB4"],
            &["OPV1", "DPT_HB_HIB1", "IPV1"],
        ),
        imm(
            "59 mo nothing given",
            1826,
            &[],
            &[],
            &["OPV1", "DPT_HB_HIB1", "IPV1", "MR1"],
        ),
        // IDL / baduta completeness.
        imm(
            "IDL dose at 365 d counts",
            380,
            &idl_plus(&[("MR1", 365)])
                .into_iter()
                .filter(|d| *d != ("MR1", 275))
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(true, false),
        imm(
            "IDL dose at 366 d does not",
            380,
            &idl_without(&["MR1"])
                .into_iter()
                .chain([("MR1", 366)])
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(false, false),
        imm(
            "repeated MR1 keeps the earliest",
            380,
            &idl_without(&["MR1"])
                .into_iter()
                .chain([("MR1", 380), ("MR1", 300)])
                .collect::<Vec<_>>(),
            &["PCV3"],
            &[],
        )
        .complete(true, false),
        imm(
            "IDL without PCV/RV/IPV: post2022 false",
            400,
            &idl_without(&["PCV1", "PCV2", "RV1", "RV2", "RV3", "IPV1", "IPV2"]),
            &[],
            &["IPV1"],
        )
        .complete(false, false),
        imm(
            "IDL without PCV/RV/IPV: pmk12 true",
            400,
            &idl_without(&["PCV1", "PCV2", "RV1", "RV2", "RV3", "IPV1", "IPV2"]),
            &[],
            &["IPV1"],
        )
        .set(&["idl_set=pmk12_2017"])
        .complete(true, false),
        imm(
            "baduta at 730 d",
            800,
            &idl_plus(&[("PCV3", 366), ("DPT_HB_HIB4", 548), ("MR2", 730)]),
            &[],
            &[],
        )
        .complete(true, true),
        imm(
            "baduta MR2 at 731 d",
            800,
            &idl_plus(&[("PCV3", 366), ("DPT_HB_HIB4", 548), ("MR2", 731)]),
            &[],
            &[],
        )
        .complete(true, false),
        imm(
            "baduta pmk12 without PCV3",
            800,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .set(&["baduta_set=pmk12_2017"])
        .complete(true, true),
        imm(
            "baduta post2022 without PCV3",
            800,
            &idl_plus(&[("DPT_HB_HIB4", 548), ("MR2", 548)]),
            &[],
            &[],
        )
        .complete(true, false),
    ]);
}

#[test]
fn immunization_presence_and_entry_validation() {
    let mut failures = Vec::new();
    let mut expect =
        |name: &str, input: Value, present: bool, errors: &[&str], due: Option<Value>| {
            let out = screen(&[], &input);
            if out.get("immunization").is_some() != present {
                failures.push(format!("{name}: immunization presence {}", !present));
            }
            if error_fields(&out) != errors {
                failures.push(format!("{name}: errors {}", out["errors"]));
            }
            if let Some(d) = due
                && out["immunization"]["due"] != d
            {
                failures.push(format!("{name}: due {}", out["immunization"]["due"]));
            }
        };
    expect(
        "day 1826 balita",
        base("F", &days_old(1826)),
        true,
        &[],
        None,
    );
    expect(
        "day 1827 not balita",
        base("F", &days_old(1827)),
        false,
        &[],
        None,
    );
    expect("adult", base("F", &years_old(30, 0)), false, &[], None);
    expect(
        "bad dates",
        json!({"id": "r", "sex": "F", "birth_date": "2025-02-30", "visit_date": VISIT}),
        false,
        &["birth_date"],
        None,
    );
    expect(
        "sex unknown still balita",
        base("?", &days_old(0)),
        true,
        &["sex"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "unknown vaccine ignored",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "XYZ", "date": VISIT}, {"vaccine": "HB0", "date": VISIT}]),
        ),
        true,
        &["immunizations[0].vaccine"],
        Some(json!(["BCG", "OPV1"])),
    );
    expect(
        "lower-case code refused",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "hb0", "date": VISIT}]),
        ),
        true,
        &["immunizations[0].vaccine"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "dose after the visit",
        with(
            base("F", &days_old(0)),
            "immunizations",
            json!([{"vaccine": "HB0", "date": "2025-06-16"}]),
        ),
        true,
        &["immunizations[0].date"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    expect(
        "dose before birth",
        with(
            base("F", &days_old(3)),
            "immunizations",
            json!([{"vaccine": "BCG", "date": days_old(4)}, {"vaccine": "HB0", "date": days_old(3)}]),
        ),
        true,
        &["immunizations[0].date"],
        Some(json!(["BCG", "OPV1"])),
    );
    expect(
        "entry not an object",
        with(base("F", &days_old(0)), "immunizations", json!(["HB0"])),
        true,
        &["immunizations[0]"],
        Some(json!(["HB0", "BCG", "OPV1"])),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
