//! Who counts in which indicator of a month. Each balita of the unit gets the codes of the
//! count indicators it is counted in ([`PersonFacts`]); every number of the report is a
//! count of those facts, so a number and the list of persons behind it cannot disagree,
//! and a unit's count is the sum of its posyandu's by construction.
//!
//! The findings are the record's own, stored with each visit by the same rules the
//! service day ran (rules.md §1–§2); nothing is re-classified here. When a child was
//! weighed twice in a month, the last weighing of the month is the one that counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use domain::Settings;
use domain::age::{completed_months, days_between};
use domain::immunization::{Dose, Vaccine, immunization_status};
use store::codes::{MeasurementKind, Sex};
use store::{Finding, Measurement, OrgUnitId, Person, PersonId, Screening};
use time::{Date, Duration};

use crate::targets::next_month;

/// The oldest balita on the month's last day, in days (`Age::is_balita`).
pub const BALITA_DAYS: i64 = 1_826;

/// The rows of one month a report is computed from.
#[derive(Debug, Clone, Default)]
pub struct MonthRows {
    /// Persons registered under the unit (any age: those not balita on the month's last
    /// day are left out here).
    pub persons: Vec<Person>,
    /// Weight, length and height measurements in the month.
    pub measurements: Vec<Measurement>,
    /// Findings in the month with one of [`FINDING_CODES`].
    pub findings: Vec<Finding>,
    /// The persons' doses given before the month's end, as (person, vaccine, dose number,
    /// day): the schedule reads the whole series.
    pub doses: Vec<(PersonId, String, Option<i32>, Date)>,
    /// The services of step 4 given in the month (`LAYANAN` answers).
    pub services: Vec<Screening>,
    /// The balita with a Buku KIA/KMS noted on or before the month's end (K).
    pub kia: HashSet<PersonId>,
}

/// The finding codes the report reads.
pub const FINDING_CODES: &[&str] = &[
    "kms_n",
    "kms_t",
    "kms_o",
    "kms_b",
    "kms_2t",
    "kms_bgm",
    "lfa_stunted",
    "lfa_severely_stunted",
    "wfa_underweight",
    "wfa_severely_underweight",
    "wfl_wasted",
    "wfl_severely_wasted",
    "wfl_overweight",
];

/// The age bands the report splits balita into (completed months on the month's last
/// day): 0–5, 6–11, 12–23, 24–59 (issue 11, SIGIZI-KESGA bands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    M0To5,
    M6To11,
    M12To23,
    M24To59,
}

impl AgeBand {
    pub const ALL: [AgeBand; 4] = [
        AgeBand::M0To5,
        AgeBand::M6To11,
        AgeBand::M12To23,
        AgeBand::M24To59,
    ];

    pub fn of_months(months: i64) -> AgeBand {
        match months {
            ..=5 => AgeBand::M0To5,
            6..=11 => AgeBand::M6To11,
            12..=23 => AgeBand::M12To23,
            _ => AgeBand::M24To59,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::M0To5 => "0–5 bl",
            AgeBand::M6To11 => "6–11 bl",
            AgeBand::M12To23 => "12–23 bl",
            AgeBand::M24To59 => "24–59 bl",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One balita's part in the month's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFacts {
    pub person: PersonId,
    /// The person's own unit (a posyandu): the roll-ups group by it.
    pub unit: OrgUnitId,
    pub sex: Sex,
    /// The balita's age band; `None` for the other life-cycle groups.
    pub band: Option<AgeBand>,
    /// The count indicators the person is counted in.
    pub codes: Vec<&'static str>,
}

impl PersonFacts {
    pub fn counts(&self, code: &str) -> bool {
        self.codes.contains(&code)
    }
}

/// The month's last day.
pub fn month_end(month: Date) -> Date {
    next_month(month) - Duration::days(1)
}

/// The facts of every balita among `rows.persons`, in the persons' order.
pub fn facts(month: Date, rows: &MonthRows, settings: &Settings) -> Vec<PersonFacts> {
    let on = month_end(month);
    let next = next_month(month);
    let in_month = |d: Date| d >= month && d < next;
    // Per person: the last day in the month with a weighing, with a length/height, and the
    // days with both.
    let mut weighed: HashMap<PersonId, Date> = HashMap::new();
    let mut sized: HashMap<PersonId, Date> = HashMap::new();
    let mut weight_days: HashMap<PersonId, Vec<Date>> = HashMap::new();
    let mut size_days: HashMap<PersonId, Vec<Date>> = HashMap::new();
    for m in rows.measurements.iter().filter(|m| in_month(m.measured_on)) {
        let (last, days) = match m.kind {
            MeasurementKind::Weight => (&mut weighed, &mut weight_days),
            MeasurementKind::Length | MeasurementKind::Height => (&mut sized, &mut size_days),
            _ => continue,
        };
        let e = last.entry(m.person_id).or_insert(m.measured_on);
        *e = (*e).max(m.measured_on);
        days.entry(m.person_id).or_default().push(m.measured_on);
    }
    let mut found: HashMap<PersonId, BTreeMap<Date, Vec<&str>>> = HashMap::new();
    for f in rows.findings.iter().filter(|f| in_month(f.found_on)) {
        found
            .entry(f.person_id)
            .or_default()
            .entry(f.found_on)
            .or_default()
            .push(f.code.as_str());
    }
    let on_day = |p: PersonId, day: Option<Date>, codes: &[&str]| -> bool {
        day.and_then(|d| found.get(&p).and_then(|by_day| by_day.get(&d)))
            .is_some_and(|fs| fs.iter().any(|c| codes.contains(c)))
    };
    let mut doses: HashMap<PersonId, Vec<Dose>> = HashMap::new();
    for (person, vaccine, number, day) in &rows.doses {
        if let Some(v) = Vaccine::from_series(vaccine, *number) {
            doses.entry(*person).or_default().push(Dose {
                vaccine: v,
                date: *day,
            });
        }
    }
    let mut services: HashMap<PersonId, Vec<&Screening>> = HashMap::new();
    for sc in rows.services.iter().filter(|s| in_month(s.answered_on)) {
        services.entry(sc.person_id).or_default().push(sc);
    }
    let mut out = Vec::new();
    for p in &rows.persons {
        let days = days_between(p.birth_date, on);
        if !(0..=BALITA_DAYS).contains(&days) {
            continue;
        }
        let id = p.id;
        let w = weighed.get(&id).copied();
        let s = sized.get(&id).copied();
        // The last day of the month with both a weighing and a length/height.
        let both = weight_days.get(&id).and_then(|ws| {
            let ss = size_days.get(&id)?;
            ws.iter().filter(|d| ss.contains(d)).max().copied()
        });
        let mut codes = vec!["s"];
        if rows.kia.contains(&id) {
            codes.push("k");
        }
        if w.is_some() {
            codes.push("d");
            let kms = |c: &str| on_day(id, w, &[c]);
            for (code, finding) in [
                ("n", "kms_n"),
                ("t", "kms_t"),
                ("o", "kms_o"),
                ("b", "kms_b"),
            ] {
                if kms(finding) {
                    codes.push(code);
                }
            }
            if kms("kms_n") || kms("kms_t") {
                codes.push("d_aksen");
            }
            if kms("kms_2t") {
                codes.push("t2");
            }
            if kms("kms_bgm") {
                codes.push("bgm");
            }
        }
        if s.is_some() {
            codes.push("diukur_tb");
            if on_day(id, s, &["lfa_stunted", "lfa_severely_stunted"]) {
                codes.push("stunting");
            }
        }
        if on_day(id, w, &["wfa_underweight", "wfa_severely_underweight"]) {
            codes.push("underweight");
        }
        if both.is_some() {
            codes.push("diukur_bbtb");
            if on_day(id, both, &["wfl_wasted", "wfl_severely_wasted"]) {
                codes.push("wasting");
            }
            if on_day(id, both, &["wfl_overweight"]) {
                codes.push("overweight");
            }
        }
        let band = AgeBand::of_months(completed_months(days));
        let given = doses.get(&id).map(Vec::as_slice).unwrap_or_default();
        immunization(p.birth_date, month, given, settings, &mut codes);
        let given = services.get(&id).map(Vec::as_slice).unwrap_or_default();
        services_given(band, given, &mut codes);
        out.push(PersonFacts {
            person: id,
            unit: p.org_unit_id,
            sex: p.sex,
            band: Some(band),
            codes,
        });
    }
    out
}

/// The doses given in the month (each schedule code once), and IDL / baduta when they
/// became complete in it: complete on the month's last day by `immunization_status`, not
/// on the day before the month began.
fn immunization(
    birth: Date,
    month: Date,
    given: &[Dose],
    settings: &Settings,
    codes: &mut Vec<&'static str>,
) {
    let end = month_end(month);
    let next = next_month(month);
    for v in Vaccine::all() {
        if given
            .iter()
            .any(|d| d.vaccine == v && d.date >= month && d.date < next)
        {
            codes.push(v.code());
        }
    }
    let status_on = |day: Date| {
        let before: Vec<Dose> = given.iter().filter(|d| d.date <= day).copied().collect();
        immunization_status(birth, day, &before, settings)
    };
    let now = status_on(end);
    let then = status_on(month - Duration::days(1));
    let was =
        |f: fn(&domain::immunization::ImmunizationStatus) -> bool| then.as_ref().is_some_and(f);
    if let Some(now) = now {
        if now.idl_complete && !was(|s| s.idl_complete) {
            codes.push("idl");
        }
        if now.baduta_complete && !was(|s| s.baduta_complete) {
            codes.push("baduta");
        }
    }
}

/// Vitamin A (by the age band it was given for), deworming and PMT given in the month.
fn services_given(band: AgeBand, given: &[&Screening], codes: &mut Vec<&'static str>) {
    match band {
        AgeBand::M6To11 => codes.push("s_6_11"),
        AgeBand::M12To23 | AgeBand::M24To59 => codes.push("s_12_59"),
        AgeBand::M0To5 => {}
    }
    let answered = |key: &str| {
        given.iter().any(|s| {
            s.answers
                .get(key)
                .is_some_and(|v| !v.is_null() && *v != serde_json::Value::Bool(false))
        })
    };
    if answered("vitamin_a") {
        match band {
            AgeBand::M6To11 => codes.push("vita_6_11"),
            AgeBand::M12To23 | AgeBand::M24To59 => codes.push("vita_12_59"),
            AgeBand::M0To5 => {}
        }
    }
    if answered("obat_cacing") {
        codes.push("obat_cacing");
    }
    if answered("pmt") {
        codes.push("pmt");
    }
}
