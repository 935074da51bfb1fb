//! Target lists (sasaran, issue 10 item 4): who in a unit needs someone to act this month.
//! Each list is computed from rows read once ([`Snapshot`]) with the same domain rules the
//! service day uses (the immunization schedule, the catalogue's finding codes); nothing is
//! stored. The words (headers, finding and status names) come from the caller's [`Words`],
//! so the lists are in the user's language.

use std::collections::HashMap;

use domain::immunization::Vaccine;
use store::codes::ReferralStatus;
use store::{Finding, Measurement, OrgUnitId, Person, PersonId, Pregnancy, Referral};
use time::{Date, Duration};

use crate::table::{Cell, Row, Table};

/// The lists, in the order the page offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// Doses due or overdue at the month's end (rules.md §9).
    Immunization,
    /// Balita weighed T, 2T or below the red line (BGM) in the month (rules.md §2).
    Growth,
    /// Balita found stunted or severely stunted in the month (length/height-for-age).
    Stunting,
    /// Balita found wasted, severely wasted or with MUAC < 11.5 cm in the month.
    Wasting,
    /// Balita weighed before, but not in the month nor the month before (drop-outs).
    NotWeighed,
    /// Pregnant women at the month's end with KEK or a KSPR score KRT/KRST.
    PregnancyRisk,
    /// Adults with raised blood pressure or glucose not measured again since.
    NotRechecked,
    /// Referrals still `dibuat` or `diterima` after the setting's days.
    ReferralsWaiting,
}

impl List {
    pub const ALL: [List; 8] = [
        List::Immunization,
        List::Growth,
        List::Stunting,
        List::Wasting,
        List::NotWeighed,
        List::PregnancyRisk,
        List::NotRechecked,
        List::ReferralsWaiting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            List::Immunization => "imunisasi",
            List::Growth => "pertumbuhan",
            List::Stunting => "stunting",
            List::Wasting => "wasting",
            List::NotWeighed => "tidak-ditimbang",
            List::PregnancyRisk => "bumil-risiko",
            List::NotRechecked => "ptm-belum-dicek",
            List::ReferralsWaiting => "rujukan-tertunda",
        }
    }

    pub fn from_code(code: &str) -> Option<List> {
        List::ALL.into_iter().find(|l| l.code() == code)
    }
}

/// KMS growth codes of [`List::Growth`] (rules.md §2).
pub const GROWTH: &[&str] = &["kms_t", "kms_2t", "kms_bgm"];
/// Length/height-for-age below −2 SD (rules.md §1).
pub const STUNTING: &[&str] = &["lfa_stunted", "lfa_severely_stunted"];
/// Weight-for-length/height or BMI-for-age below −2 SD, MUAC < 11.5 cm (rules.md §1).
pub const WASTING: &[&str] = &[
    "wfl_wasted",
    "wfl_severely_wasted",
    "bfa_u5_wasted",
    "bfa_u5_severely_wasted",
    "muac_sam",
];
/// KEK and the KSPR risk groups that refer (rules.md §3).
pub const PREGNANCY_RISK: &[&str] = &["kek", "kspr_krt", "kspr_krst"];
/// Raised blood pressure (rules.md §5; re-checked by a new systolic reading), then raised
/// random or fasting glucose (rules.md §6; re-checked by a new glucose reading).
const RAISED: &[&str] = &[
    "hypertension_grade1",
    "hypertension_grade2",
    "hypertension_grade3",
    "hypertension_isolated_systolic",
    "glucose_random_prediabetes",
    "glucose_random_diabetes",
    "glucose_fasting_prediabetes",
    "glucose_fasting_diabetes",
];
pub const BLOOD_PRESSURE: &[&str] = RAISED.split_at(4).0;
pub const GLUCOSE: &[&str] = RAISED.split_at(4).1;

/// Every finding code a list reads (empty for the lists that read none).
pub fn codes(list: List) -> &'static [&'static str] {
    match list {
        List::Growth => GROWTH,
        List::Stunting => STUNTING,
        List::Wasting => WASTING,
        List::PregnancyRisk => PREGNANCY_RISK,
        List::NotRechecked => RAISED,
        _ => &[],
    }
}

/// The named settings of the lists.
#[derive(Debug, Clone, Copy)]
pub struct TargetSettings {
    /// A referral still `dibuat`/`diterima` this many days after it was made is late.
    pub referral_days: i64,
    /// A raised reading not measured again within this many days is listed.
    pub recheck_days: i64,
}

impl Default for TargetSettings {
    fn default() -> Self {
        // Two weeks: the Puskesmas sees a referred person within the next service week.
        TargetSettings {
            referral_days: 14,
            recheck_days: 30,
        }
    }
}

/// The words of the lists in the user's language.
pub trait Words {
    /// A column header by key (`target-col-…`).
    fn header(&self, key: &str) -> String;
    /// A finding's name by catalogue code.
    fn finding(&self, code: &str) -> String;
    /// A referral status by code (`dibuat`, …).
    fn status(&self, code: &str) -> String;
}

/// Everything the lists read, for one unit and month.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The first day of the month.
    pub month: Date,
    /// The day the lists are as of: the month's last day, or today within this month.
    pub on: Date,
    pub persons: Vec<Person>,
    /// A child's mother (from `ibu` relationships), for her phone.
    pub mothers: HashMap<PersonId, PersonId>,
    pub units: HashMap<OrgUnitId, String>,
    /// Each person's latest visit up to `on`.
    pub last_visit: HashMap<PersonId, Date>,
    /// Every dose up to `on` of the balita.
    pub doses: Vec<GivenDose>,
    /// The findings of the year up to `on` ([`FINDINGS_DAYS`]).
    pub findings: Vec<Finding>,
    /// The month's weighings up to `on`.
    pub month_weights: Vec<Measurement>,
    /// Each person's latest weighing, systolic and glucose reading up to `on`.
    pub last_weighed: HashMap<PersonId, Date>,
    pub last_systolic: HashMap<PersonId, Date>,
    pub last_glucose: HashMap<PersonId, Date>,
    pub referrals: Vec<Referral>,
    pub pregnancies: Vec<Pregnancy>,
    pub settings: TargetSettings,
}

/// A dose as the immunization schedule reads it.
#[derive(Debug, Clone)]
pub struct GivenDose {
    pub person_id: PersonId,
    /// The stored series name (`Vaccine::from_series`).
    pub vaccine: String,
    pub dose_number: Option<i32>,
    pub given_on: Date,
}

/// How far back findings count: a raised reading of more than a year ago is history, not
/// a re-check to chase; a pregnancy lasts under ten months.
pub const FINDINGS_DAYS: i64 = 400;

/// The first day of the month after `month`'s.
pub fn next_month(month: Date) -> Date {
    let (y, m) = if month.month() == time::Month::December {
        (month.year() + 1, time::Month::January)
    } else {
        (month.year(), month.month().next())
    };
    Date::from_calendar_date(y, m, 1).unwrap_or(month)
}

struct Index<'a> {
    s: &'a Snapshot,
    persons: HashMap<PersonId, &'a Person>,
}

impl<'a> Index<'a> {
    fn new(s: &'a Snapshot) -> Self {
        Index {
            s,
            persons: s.persons.iter().map(|p| (p.id, p)).collect(),
        }
    }

    /// The mother's phone when recorded, else the person's own.
    fn phone(&self, p: &Person) -> Cell {
        let mother = self.s.mothers.get(&p.id).and_then(|m| self.persons.get(m));
        Cell::opt_text(
            mother
                .and_then(|m| m.phone.as_deref())
                .or(p.phone.as_deref()),
        )
    }

    fn unit(&self, p: &Person) -> Cell {
        Cell::opt_text(self.s.units.get(&p.org_unit_id).map(String::as_str))
    }

    fn last_visit(&self, p: &Person) -> Cell {
        self.s
            .last_visit
            .get(&p.id)
            .map_or(Cell::Empty, |d| Cell::Date(*d))
    }

    fn age_months(&self, p: &Person) -> Option<i64> {
        domain::age::Age::at(p.birth_date, self.s.on).map(|a| a.months)
    }

    fn age_years(&self, p: &Person) -> Option<i32> {
        domain::age::Age::at(p.birth_date, self.s.on).map(|a| a.years)
    }
}

fn headers(w: &dyn Words, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| w.header(k)).collect()
}

/// One list for the snapshot, sorted by posyandu and name.
pub fn list(which: List, s: &Snapshot, w: &dyn Words) -> Table {
    let ix = Index::new(s);
    let mut t = match which {
        List::Immunization => immunization(&ix, w),
        List::Growth => found_in_month(&ix, w, GROWTH),
        List::Stunting => found_in_month(&ix, w, STUNTING),
        List::Wasting => found_in_month(&ix, w, WASTING),
        List::NotWeighed => not_weighed(&ix, w),
        List::PregnancyRisk => pregnancy_risk(&ix, w),
        List::NotRechecked => not_rechecked(&ix, w),
        List::ReferralsWaiting => referrals_waiting(&ix, w),
    };
    let unit_col = t.headers.len() - 1;
    t.sort(0, false);
    t.sort(unit_col, false);
    t
}

fn immunization(ix: &Index, w: &dyn Words) -> Table {
    let s = ix.s;
    let mut doses: HashMap<PersonId, Vec<domain::immunization::Dose>> = HashMap::new();
    for d in s.doses.iter().filter(|d| d.given_on <= s.on) {
        if let Some(v) = Vaccine::from_series(&d.vaccine, d.dose_number) {
            doses
                .entry(d.person_id)
                .or_default()
                .push(domain::immunization::Dose {
                    vaccine: v,
                    date: d.given_on,
                });
        }
    }
    let settings = domain::Settings::default();
    let names = |vs: &[Vaccine]| {
        vs.iter()
            .map(|v| match v.series() {
                (series, Some(n)) => format!("{series} {n}"),
                (series, None) => series.to_owned(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let rows = s
        .persons
        .iter()
        .filter(|p| ix.age_months(p).is_some_and(|m| m < 60))
        .filter_map(|p| {
            let given = doses.get(&p.id).map_or(&[][..], Vec::as_slice);
            let st =
                domain::immunization::immunization_status(p.birth_date, s.on, given, &settings)?;
            if st.due.is_empty() && st.overdue.is_empty() {
                return None;
            }
            Some(Row {
                person: Some(p.id),
                cells: vec![
                    Cell::text(&p.name),
                    Cell::Date(p.birth_date),
                    Cell::Int(ix.age_months(p).unwrap_or(0)),
                    Cell::text(names(&st.overdue)),
                    Cell::text(names(&st.due)),
                    ix.last_visit(p),
                    ix.phone(p),
                    ix.unit(p),
                ],
            })
        })
        .collect();
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-birth",
                "target-col-age-months",
                "target-col-overdue",
                "target-col-due",
                "target-col-last-visit",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

/// Persons with a finding of `codes` in the month: one row each, the month's last such
/// day, every such finding named, and the weight of that day.
fn found_in_month(ix: &Index, w: &dyn Words, codes: &[&str]) -> Table {
    let s = ix.s;
    let end = next_month(s.month);
    let mut by_person: HashMap<PersonId, (Date, Vec<String>)> = HashMap::new();
    for f in s
        .findings
        .iter()
        .filter(|f| f.found_on >= s.month && f.found_on < end && f.found_on <= s.on)
        .filter(|f| codes.contains(&f.code.as_str()))
    {
        let e = by_person
            .entry(f.person_id)
            .or_insert((f.found_on, Vec::new()));
        e.0 = e.0.max(f.found_on);
        if !e.1.contains(&f.code) {
            e.1.push(f.code.clone());
        }
    }
    let weight = |p: PersonId, d: Date| {
        s.month_weights
            .iter()
            .find(|m| m.person_id == p && m.measured_on == d && !m.implausible)
            .map_or(Cell::Empty, |m| Cell::Num(m.value))
    };
    let rows = by_person
        .into_iter()
        .filter_map(|(id, (date, found))| {
            let p = ix.persons.get(&id)?;
            Some(Row {
                person: Some(id),
                cells: vec![
                    Cell::text(&p.name),
                    Cell::Date(p.birth_date),
                    ix.age_months(p).map_or(Cell::Empty, Cell::Int),
                    Cell::text(
                        found
                            .iter()
                            .map(|c| w.finding(c))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::Date(date),
                    weight(id, date),
                    ix.phone(p),
                    ix.unit(p),
                ],
            })
        })
        .collect();
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-birth",
                "target-col-age-months",
                "target-col-findings",
                "target-col-found-on",
                "target-col-weight",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

/// Whole months from `a` to `b` (b after a).
fn months_between(a: Date, b: Date) -> i64 {
    let m = i64::from(b.year() - a.year()) * 12 + i64::from(u8::from(b.month()))
        - i64::from(u8::from(a.month()));
    if b.day() < a.day() { m - 1 } else { m }
}

fn not_weighed(ix: &Index, w: &dyn Words) -> Table {
    let s = ix.s;
    // "2+ months": no weighing in this month nor in the one before.
    let previous = domain::age::previous_month(s.month.year(), s.month.month());
    let since = Date::from_calendar_date(previous.0, previous.1, 1).unwrap_or(s.month);
    let last = &s.last_weighed;
    let rows = s
        .persons
        .iter()
        .filter(|p| ix.age_months(p).is_some_and(|m| m < 60))
        .filter_map(|p| {
            let l = *last.get(&p.id)?;
            (l < since).then(|| Row {
                person: Some(p.id),
                cells: vec![
                    Cell::text(&p.name),
                    Cell::Date(p.birth_date),
                    Cell::Int(ix.age_months(p).unwrap_or(0)),
                    Cell::Date(l),
                    Cell::Int(months_between(l, s.on)),
                    ix.phone(p),
                    ix.unit(p),
                ],
            })
        })
        .collect();
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-birth",
                "target-col-age-months",
                "target-col-last-weighed",
                "target-col-months-since",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

fn pregnancy_risk(ix: &Index, w: &dyn Words) -> Table {
    let s = ix.s;
    let open = |q: &&Pregnancy| {
        q.meta.deleted.is_none()
            && q.lmp.is_none_or(|l| l <= s.on)
            && match (q.outcome, q.outcome_date) {
                (None, _) => true,
                (Some(_), Some(d)) => d > s.on,
                (Some(_), None) => false,
            }
    };
    let findings: Vec<&Finding> = s
        .findings
        .iter()
        .filter(|f| PREGNANCY_RISK.contains(&f.code.as_str()) && f.found_on <= s.on)
        .collect();
    let rows = s
        .pregnancies
        .iter()
        .filter(open)
        .filter_map(|q| {
            let p = ix.persons.get(&q.person_id)?;
            let from = q.lmp.unwrap_or(s.on - Duration::days(280));
            let mut risks: Vec<String> = Vec::new();
            for f in findings
                .iter()
                .filter(|f| f.person_id == q.person_id && f.found_on >= from)
            {
                if !risks.contains(&f.code) {
                    risks.push(f.code.clone());
                }
            }
            if risks.is_empty() {
                return None;
            }
            Some(Row {
                person: Some(p.id),
                cells: vec![
                    Cell::text(&p.name),
                    ix.age_years(p)
                        .map_or(Cell::Empty, |y| Cell::Int(i64::from(y))),
                    q.due_date.map_or(Cell::Empty, Cell::Date),
                    q.lmp.map_or(Cell::Empty, Cell::Date),
                    q.lmp
                        .map_or(Cell::Empty, |l| Cell::Int((s.on - l).whole_weeks())),
                    Cell::text(
                        risks
                            .iter()
                            .map(|c| w.finding(c))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    ix.phone(p),
                    ix.unit(p),
                ],
            })
        })
        .collect();
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-age-years",
                "target-col-due-date",
                "target-col-lmp",
                "target-col-weeks",
                "target-col-risk",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

fn not_rechecked(ix: &Index, w: &dyn Words) -> Table {
    let s = ix.s;
    let before = s.on - Duration::days(s.settings.recheck_days);
    let mut rows = Vec::new();
    for (codes, last) in [
        (BLOOD_PRESSURE, &s.last_systolic),
        (GLUCOSE, &s.last_glucose),
    ] {
        // Each person's latest such finding up to the day.
        let mut latest: HashMap<PersonId, &Finding> = HashMap::new();
        for f in s
            .findings
            .iter()
            .filter(|f| codes.contains(&f.code.as_str()) && f.found_on <= s.on)
        {
            let e = latest.entry(f.person_id).or_insert(f);
            if f.found_on > e.found_on {
                *e = f;
            }
        }
        for (id, f) in latest {
            let rechecked = last.get(&id).is_some_and(|d| *d > f.found_on);
            let Some(p) = ix.persons.get(&id) else {
                continue;
            };
            if rechecked || f.found_on > before {
                continue;
            }
            rows.push(Row {
                person: Some(id),
                cells: vec![
                    Cell::text(&p.name),
                    ix.age_years(p)
                        .map_or(Cell::Empty, |y| Cell::Int(i64::from(y))),
                    Cell::text(w.finding(&f.code)),
                    Cell::Date(f.found_on),
                    Cell::Int((s.on - f.found_on).whole_days()),
                    ix.phone(p),
                    ix.unit(p),
                ],
            });
        }
    }
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-age-years",
                "target-col-findings",
                "target-col-found-on",
                "target-col-days-since",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

fn referrals_waiting(ix: &Index, w: &dyn Words) -> Table {
    let s = ix.s;
    let late = s.on - Duration::days(s.settings.referral_days);
    let rows = s
        .referrals
        .iter()
        .filter(|r| {
            matches!(r.status, ReferralStatus::Created | ReferralStatus::Accepted)
                && r.referred_on <= late
        })
        .filter_map(|r| {
            let p = ix.persons.get(&r.person_id)?;
            Some(Row {
                person: Some(p.id),
                cells: vec![
                    Cell::text(&p.name),
                    Cell::Date(r.referred_on),
                    Cell::text(&r.reason),
                    Cell::text(w.status(r.status.code())),
                    Cell::Int((s.on - r.referred_on).whole_days()),
                    Cell::text(&r.to_facility),
                    ix.phone(p),
                    ix.unit(p),
                ],
            })
        })
        .collect();
    Table {
        headers: headers(
            w,
            &[
                "target-col-name",
                "target-col-referred-on",
                "target-col-reason",
                "target-col-status",
                "target-col-days-waiting",
                "target-col-facility",
                "target-col-phone",
                "target-col-unit",
            ],
        ),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn months_and_next_month() {
        let cases = [
            (date!(2026 - 01 - 31), date!(2026 - 03 - 30), 1),
            (date!(2026 - 01 - 31), date!(2026 - 03 - 31), 2),
            (date!(2025 - 11 - 05), date!(2026 - 02 - 05), 3),
            (date!(2026 - 02 - 10), date!(2026 - 02 - 28), 0),
        ];
        for (a, b, want) in cases {
            assert_eq!(months_between(a, b), want, "{a} → {b}");
        }
        assert_eq!(next_month(date!(2026 - 12 - 01)), date!(2027 - 01 - 01));
        assert_eq!(next_month(date!(2026 - 02 - 01)), date!(2026 - 03 - 01));
        assert!(
            List::ALL
                .iter()
                .all(|l| List::from_code(l.code()) == Some(*l))
        );
    }
}
