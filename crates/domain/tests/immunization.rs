//! The immunization schedule of rules.md §9 through `screen`: for every dose, birth dates
//! at and around its due, overdue and until ages and its minimum interval; IDL and baduta
//! completeness at their day limits.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use domain::immunization::{AgeMark, SCHEDULE, ScheduleEntry, baduta_set, idl_set};
use domain::settings::ScheduleSet;
use serde_json::{Value, json};
use time::Duration;

/// The first age in days at which `m` is reached (completed months = floor(16·d/487)).
fn first_day(m: AgeMark) -> i64 {
    match m {
        AgeMark::Days(d) => d,
        AgeMark::Months(m) => (487 * m + 15) / 16,
    }
}

fn date_days_before_visit(days: i64) -> String {
    (visit_date() - Duration::days(days)).to_string()
}

/// Where `code` appears in the answer: "due", "overdue" or "".
fn listed(out: &Value, code: &str) -> &'static str {
    let imm = &out["immunization"];
    if imm["due"].as_array().unwrap().contains(&json!(code)) {
        "due"
    } else if imm["overdue"].as_array().unwrap().contains(&json!(code)) {
        "overdue"
    } else {
        ""
    }
}

/// The series before `e`, each dose recorded on the birth date (so every interval is met
/// once the child is old enough), plus `extra` doses.
fn child(age_days: i64, e: &ScheduleEntry, extra: &[(&str, String)]) -> Value {
    let birth = born_days_ago(age_days);
    let mut doses = Vec::new();
    let mut cur = e.after;
    while let Some((prev, _)) = cur {
        doses.push(json!({"vaccine": prev.code(), "date": birth}));
        cur = prev.entry().after;
    }
    for (v, d) in extra {
        doses.push(json!({"vaccine": v, "date": d}));
    }
    let mut p = person("F", &birth);
    p["immunizations"] = json!(doses);
    p
}

fn status(age_days: i64, e: &ScheduleEntry, extra: &[(&str, String)]) -> &'static str {
    let out = run_with(&child(age_days, e, extra), &["je_endemic=true"]);
    assert_eq!(out["errors"], json!([]), "{}", e.code);
    if age_days > 1826 {
        assert!(out.get("immunization").is_none());
        return "";
    }
    listed(&out, e.code)
}

#[test]
fn every_dose_at_its_due_overdue_and_until_ages() {
    for e in &SCHEDULE {
        let (due, overdue, until) = (first_day(e.due), first_day(e.overdue), first_day(e.until));
        let c = e.code;
        if due > 0 {
            assert_eq!(
                status(due - 1, e, &[]),
                "",
                "{c} day before due ({})",
                due - 1
            );
        }
        assert_eq!(status(due, e, &[]), "due", "{c} at due ({due})");
        assert_eq!(status(overdue - 1, e, &[]), "due", "{c} day before overdue");
        assert_eq!(
            status(overdue, e, &[]),
            "overdue",
            "{c} at overdue ({overdue})"
        );
        assert_eq!(status(overdue + 1, e, &[]), "overdue", "{c} after overdue");
        assert_eq!(status(until - 1, e, &[]), "overdue", "{c} day before until");
        assert_eq!(status(until, e, &[]), "", "{c} at until ({until})");
        // Recorded doses are never listed.
        let given = [(c, born_days_ago(overdue))];
        assert_eq!(status(overdue, e, &given), "", "{c} recorded");
    }
}

#[test]
fn every_follow_on_dose_waits_for_its_previous_dose_and_interval() {
    for e in SCHEDULE.iter().filter(|e| e.after.is_some()) {
        let (prev, interval) = e.after.unwrap();
        let age = first_day(e.overdue);
        let c = e.code;
        // Previous dose not recorded: not open.
        let mut p = person("F", &born_days_ago(age));
        p["immunizations"] = json!([]);
        let out = run(&p);
        assert_eq!(listed(&out, c), "", "{c} without {}", prev.code());
        // Previous dose recorded one day too late for the interval, then just in time.
        for (days_ago, want) in [
            (interval - 1, ""),
            (interval, "overdue"),
            (interval + 1, "overdue"),
        ] {
            let mut p = child(age, e, &[]);
            let doses = p["immunizations"].as_array_mut().unwrap();
            doses[0] = json!({"vaccine": prev.code(), "date": date_days_before_visit(days_ago)});
            let out = run(&p);
            assert_eq!(out["errors"], json!([]));
            assert_eq!(
                listed(&out, c),
                want,
                "{c}: {} given {days_ago} days ago",
                prev.code()
            );
        }
    }
}

#[test]
fn hb0_is_counted_in_days() {
    let e = &SCHEDULE[0];
    assert_eq!(e.code, "HB0");
    let table = [(0, "due"), (1, "overdue"), (7, "overdue"), (8, "")];
    for (day, want) in table {
        assert_eq!(status(day, e, &[]), want, "HB0 at day {day}");
    }
}

#[test]
fn je_only_in_endemic_kabupaten() {
    let p = person("F", &born_days_ago(first_day(AgeMark::Months(11))));
    assert_eq!(listed(&run(&p), "JE"), "");
    assert_eq!(listed(&run_with(&p, &["je_endemic=true"]), "JE"), "overdue");
}

#[test]
fn lists_follow_table_order() {
    // 5 months, nothing recorded: every open dose in table order.
    let out = run(&person("M", &born_days_ago(first_day(AgeMark::Months(5)))));
    assert_eq!(
        out["immunization"]["overdue"],
        json!(["BCG", "OPV1", "DPT_HB_HIB1", "PCV1", "RV1", "IPV1"])
    );
    assert_eq!(out["immunization"]["due"], json!([]));
}

/// A child of `age_days` with every dose of `codes` recorded at `dose_age` days.
fn with_doses(age_days: i64, codes: &[&str], dose_age: i64) -> Value {
    let birth = born_days_ago(age_days);
    let when = (visit_date() - Duration::days(age_days - dose_age)).to_string();
    let mut p = person("F", &birth);
    p["immunizations"] = json!(
        codes
            .iter()
            .map(|c| json!({"vaccine": c, "date": when}))
            .collect::<Vec<_>>()
    );
    p
}

#[test]
fn idl_complete_needs_every_dose_by_day_365() {
    let post = idl_set(ScheduleSet::Post2022);
    let pmk = idl_set(ScheduleSet::Pmk12_2017);
    assert_eq!(post.len(), 17);
    assert_eq!(pmk.len(), 10);
    let age = 700;
    for (dose_age, want) in [(364, true), (365, true), (366, false)] {
        let out = run(&with_doses(age, post, dose_age));
        assert_eq!(
            out["immunization"]["idl_complete"], want,
            "doses at day {dose_age}"
        );
    }
    // One dose missing.
    for missing in post {
        let codes: Vec<&str> = post.iter().copied().filter(|c| c != missing).collect();
        let out = run(&with_doses(age, &codes, 300));
        assert_eq!(
            out["immunization"]["idl_complete"], false,
            "without {missing}"
        );
    }
    // The PMK 12/2017 set: complete under its setting, not under the default.
    let out = run(&with_doses(age, pmk, 300));
    assert_eq!(out["immunization"]["idl_complete"], false);
    let out = run_with(&with_doses(age, pmk, 300), &["idl_set=pmk12_2017"]);
    assert_eq!(out["immunization"]["idl_complete"], true);
    // A late repeat does not undo an on-time dose (earliest date kept).
    let mut p = with_doses(age, post, 300);
    p["immunizations"]
        .as_array_mut()
        .unwrap()
        .push(json!({"vaccine": "MR1", "date": VISIT}));
    assert_eq!(run(&p)["immunization"]["idl_complete"], true);
}

#[test]
fn baduta_complete_needs_its_doses_by_day_730() {
    let post = baduta_set(ScheduleSet::Post2022);
    let pmk = baduta_set(ScheduleSet::Pmk12_2017);
    for (dose_age, want) in [(729, true), (730, true), (731, false)] {
        let out = run(&with_doses(1000, post, dose_age));
        assert_eq!(
            out["immunization"]["baduta_complete"], want,
            "day {dose_age}"
        );
    }
    let out = run(&with_doses(1000, pmk, 600));
    assert_eq!(out["immunization"]["baduta_complete"], false);
    let out = run_with(&with_doses(1000, pmk, 600), &["baduta_set=pmk12_2017"]);
    assert_eq!(out["immunization"]["baduta_complete"], true);
}
