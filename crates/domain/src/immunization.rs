//! The national routine immunization schedule for balita (KMK HK.01.07/2015/2023, domain §4
//! C; rules.md §9): which doses are due or overdue at a visit, and whether the child has
//! imunisasi dasar lengkap (IDL) and imunisasi baduta lengkap.

use time::Date;

use crate::age::{Age, days_between};
use crate::settings::{ScheduleSet, Settings};

/// An age in the unit the schedule uses: whole days (HB0, earliest ages) or completed months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeMark {
    Days(i64),
    Months(i64),
}

impl AgeMark {
    /// Whether a person of `age` has reached this mark.
    pub fn reached(self, age: Age) -> bool {
        match self {
            AgeMark::Days(d) => age.days >= d,
            AgeMark::Months(m) => age.months >= m,
        }
    }
}

/// One row of the schedule table (rules.md §9).
#[derive(Clone, Copy, Debug)]
pub struct ScheduleEntry {
    pub code: &'static str,
    /// Recommended age as the Buku KIA prints it.
    pub recommended: &'static str,
    /// Minimum valid age for entering the dose (UI validation; `screen` never re-validates).
    pub earliest: AgeMark,
    /// The previous dose of the series and the minimum interval after it, in days.
    pub after: Option<(Vaccine, i64)>,
    pub due: AgeMark,
    pub overdue: AgeMark,
    /// The dose is no longer offered from this age.
    pub until: AgeMark,
    /// Only in JE-endemic kabupaten.
    pub endemic_only: bool,
    pub source: &'static str,
}

/// A vaccine dose code of the schedule, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Vaccine(usize);

use AgeMark::{Days as D, Months as M};

const fn row(
    code: &'static str,
    recommended: &'static str,
    earliest: AgeMark,
    after: Option<(Vaccine, i64)>,
    due_overdue_until: (i64, i64, i64),
    source: &'static str,
) -> ScheduleEntry {
    let (due, overdue, until) = due_overdue_until;
    ScheduleEntry {
        code,
        recommended,
        earliest,
        after,
        due: M(due),
        overdue: M(overdue),
        until: M(until),
        endemic_only: false,
        source,
    }
}

const C: &str = "§4 C (KMK2023)";

/// The schedule. Overdue = recommended age + 1 month (HB0 after 24 h); DPT-HB-Hib 4 and MR2
/// have the KMK window 18–23 months, so they are overdue from 24 months.
pub const SCHEDULE: [ScheduleEntry; 21] = [
    ScheduleEntry {
        code: "HB0",
        recommended: "< 24 jam",
        earliest: D(0),
        after: None,
        due: D(0),
        overdue: D(1),
        until: D(8),
        endemic_only: false,
        source: "§4 C; batas U (PMK 12/2017 \"0–7 hari\")",
    },
    row("BCG", "< 1 bl", D(0), None, (0, 1, 12), "§4 C; batas U"),
    row("OPV1", "< 1 bl", D(0), None, (0, 1, 60), C),
    row("DPT_HB_HIB1", "2 bl", D(42), None, (2, 3, 60), C),
    row("OPV2", "2 bl", D(42), Some((Vaccine(2), 28)), (2, 3, 60), C),
    row(
        "PCV1",
        "2 bl",
        D(42),
        None,
        (2, 3, 12),
        "§4 C; batas U (kejar per juknis)",
    ),
    row(
        "RV1",
        "2 bl",
        D(42),
        None,
        (2, 3, 7),
        "§4 C; batas S (RV terakhir ≤ 6 bl 29 hr)",
    ),
    row(
        "DPT_HB_HIB2",
        "3 bl",
        D(70),
        Some((Vaccine(3), 28)),
        (3, 4, 60),
        C,
    ),
    row("OPV3", "3 bl", D(70), Some((Vaccine(4), 28)), (3, 4, 60), C),
    row("PCV2", "3 bl", D(70), Some((Vaccine(5), 28)), (3, 4, 12), C),
    row("RV2", "3 bl", D(70), Some((Vaccine(6), 28)), (3, 4, 7), C),
    row(
        "DPT_HB_HIB3",
        "4 bl",
        D(98),
        Some((Vaccine(7), 28)),
        (4, 5, 60),
        C,
    ),
    row("OPV4", "4 bl", D(98), Some((Vaccine(8), 28)), (4, 5, 60), C),
    row("RV3", "4 bl", D(98), Some((Vaccine(10), 28)), (4, 5, 7), C),
    row("IPV1", "4 bl", D(98), None, (4, 5, 60), C),
    row("MR1", "9 bl", M(9), None, (9, 10, 60), C),
    row(
        "IPV2",
        "9 bl",
        M(9),
        Some((Vaccine(14), 122)),
        (9, 10, 60),
        "§4 C; interval S",
    ),
    ScheduleEntry {
        endemic_only: true,
        ..row(
            "JE",
            "10 bl",
            M(9),
            None,
            (10, 11, 60),
            "§4 C (daerah endemis)",
        )
    },
    row(
        "PCV3",
        "12 bl",
        M(12),
        Some((Vaccine(9), 56)),
        (12, 13, 24),
        "§4 C; batas U",
    ),
    row(
        "DPT_HB_HIB4",
        "18 bl",
        M(18),
        Some((Vaccine(11), 365)),
        (18, 24, 60),
        C,
    ),
    row(
        "MR2",
        "18 bl",
        M(18),
        Some((Vaccine(15), 183)),
        (18, 24, 60),
        C,
    ),
];

impl Vaccine {
    pub fn from_code(code: &str) -> Option<Vaccine> {
        SCHEDULE.iter().position(|e| e.code == code).map(Vaccine)
    }

    pub fn code(self) -> &'static str {
        SCHEDULE[self.0].code
    }

    pub fn entry(self) -> &'static ScheduleEntry {
        &SCHEDULE[self.0]
    }

    /// Every vaccine, in table order.
    pub fn all() -> impl Iterator<Item = Vaccine> {
        (0..SCHEDULE.len()).map(Vaccine)
    }

    /// How the record stores this dose: the antigen series as the Buku KIA writes it and
    /// the dose number within it (`DPT_HB_HIB2` → `("DPT-HB-Hib", Some(2))`, `BCG` →
    /// `("BCG", None)`). The store, the import, the demo and the pages all go through this
    /// one vocabulary, so no layer keeps its own mapping table.
    pub fn series(self) -> (&'static str, Option<i32>) {
        let code = self.code();
        for (prefix, name) in SERIES {
            if let Some(n) = code.strip_prefix(prefix).and_then(|n| n.parse().ok()) {
                return (name, Some(n));
            }
        }
        (code, None)
    }

    /// The dose a stored (series, number) pair is, if the schedule has it.
    pub fn from_series(name: &str, number: Option<i32>) -> Option<Vaccine> {
        let name = name.trim();
        Vaccine::all().find(|v| {
            let (n, k) = v.series();
            n.eq_ignore_ascii_case(name) && k == number
        })
    }
}

/// Schedule-code prefixes of the multi-dose series and their names in the record.
const SERIES: [(&str, &str); 6] = [
    ("DPT_HB_HIB", "DPT-HB-Hib"),
    ("OPV", "OPV"),
    ("PCV", "PCV"),
    ("RV", "RV"),
    ("IPV", "IPV"),
    ("MR", "MR"),
];

/// One recorded dose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dose {
    pub vaccine: Vaccine,
    pub date: Date,
}

/// Whether a dose given on `date` respects the earliest age and the minimum interval after
/// the previous dose. For capture forms; `screen` counts every recorded dose as given.
pub fn dose_is_valid(birth: Date, date: Date, vaccine: Vaccine, recorded: &[Dose]) -> bool {
    let e = vaccine.entry();
    let Some(age) = Age::at(birth, date) else {
        return false;
    };
    let interval_ok = match e.after {
        None => true,
        Some((prev, days)) => recorded
            .iter()
            .filter(|d| d.vaccine == prev)
            .any(|d| days_between(d.date, date) >= days),
    };
    e.earliest.reached(age) && interval_ok
}

/// IDL: imunisasi dasar lengkap. `post2022` = every infant dose of KMK2023 but JE;
/// `pmk12_2017` = HB0, BCG, OPV1–4, DPT-HB-Hib 1–3, MR1 (§4 S).
pub fn idl_set(set: ScheduleSet) -> &'static [&'static str] {
    match set {
        ScheduleSet::Post2022 => &[
            "HB0",
            "BCG",
            "OPV1",
            "OPV2",
            "OPV3",
            "OPV4",
            "DPT_HB_HIB1",
            "DPT_HB_HIB2",
            "DPT_HB_HIB3",
            "PCV1",
            "PCV2",
            "RV1",
            "RV2",
            "RV3",
            "IPV1",
            "IPV2",
            "MR1",
        ],
        ScheduleSet::Pmk12_2017 => &[
            "HB0",
            "BCG",
            "OPV1",
            "OPV2",
            "OPV3",
            "OPV4",
            "DPT_HB_HIB1",
            "DPT_HB_HIB2",
            "DPT_HB_HIB3",
            "MR1",
        ],
    }
}

/// Imunisasi lanjutan baduta (KMK2023): PCV3, DPT-HB-Hib 4, MR2; `pmk12_2017` without PCV3.
pub fn baduta_set(set: ScheduleSet) -> &'static [&'static str] {
    match set {
        ScheduleSet::Post2022 => &["PCV3", "DPT_HB_HIB4", "MR2"],
        ScheduleSet::Pmk12_2017 => &["DPT_HB_HIB4", "MR2"],
    }
}

/// The immunization answer for one balita visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImmunizationStatus {
    /// Open doses the child has reached the age for, in table order.
    pub due: Vec<Vaccine>,
    /// Open doses past the overdue age, in table order.
    pub overdue: Vec<Vaccine>,
    pub idl_complete: bool,
    pub baduta_complete: bool,
}

/// Earliest recorded date per vaccine (a repeated vaccine keeps its earliest date).
fn recorded_dates(doses: &[Dose]) -> [Option<Date>; SCHEDULE.len()] {
    let mut out = [None; SCHEDULE.len()];
    for d in doses {
        let slot: &mut Option<Date> = &mut out[d.vaccine.0];
        if slot.is_none_or(|old| d.date < old) {
            *slot = Some(d.date);
        }
    }
    out
}

/// Due and overdue doses, IDL and baduta status at `visit` (rules.md §9). A dose is open
/// when it is not recorded, its previous dose is recorded at least the interval before the
/// visit, the child is younger than `until`, and (JE) the kabupaten is endemic.
pub fn immunization_status(
    birth: Date,
    visit: Date,
    doses: &[Dose],
    s: &Settings,
) -> Option<ImmunizationStatus> {
    let age = Age::at(birth, visit)?;
    let rec = recorded_dates(doses);
    let mut due = Vec::new();
    let mut overdue = Vec::new();
    for v in Vaccine::all() {
        let e = v.entry();
        let prev_ok = match e.after {
            None => true,
            Some((prev, days)) => rec[prev.0].is_some_and(|d| days_between(d, visit) >= days),
        };
        let open = rec[v.0].is_none()
            && prev_ok
            && !e.until.reached(age)
            && (!e.endemic_only || s.je_endemic);
        if !open {
            continue;
        }
        if e.overdue.reached(age) {
            overdue.push(v);
        } else if e.due.reached(age) {
            due.push(v);
        }
    }
    let complete = |codes: &[&str], max_days: i64| {
        codes.iter().all(|c| {
            Vaccine::from_code(c)
                .and_then(|v| rec[v.0])
                .is_some_and(|d| days_between(birth, d) <= max_days)
        })
    };
    Some(ImmunizationStatus {
        due,
        overdue,
        idl_complete: complete(idl_set(s.idl_set), 365),
        baduta_complete: complete(baduta_set(s.baduta_set), 730),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_dose_round_trips_through_its_stored_series() {
        for v in Vaccine::all() {
            let (name, n) = v.series();
            assert_eq!(Vaccine::from_series(name, n), Some(v), "{}", v.code());
        }
        let dpt3 = Vaccine::from_code("DPT_HB_HIB3").unwrap();
        assert_eq!(dpt3.series(), ("DPT-HB-Hib", Some(3)));
        assert_eq!(
            Vaccine::from_series("bcg", None).map(Vaccine::code),
            Some("BCG")
        );
        assert_eq!(Vaccine::from_series("MR", Some(9)), None);
    }

    #[test]
    fn table_links_point_to_the_previous_dose_of_the_series() {
        let pairs: Vec<(&str, &str, i64)> = SCHEDULE
            .iter()
            .filter_map(|e| e.after.map(|(p, d)| (e.code, p.code(), d)))
            .collect();
        assert_eq!(
            pairs,
            [
                ("OPV2", "OPV1", 28),
                ("DPT_HB_HIB2", "DPT_HB_HIB1", 28),
                ("OPV3", "OPV2", 28),
                ("PCV2", "PCV1", 28),
                ("RV2", "RV1", 28),
                ("DPT_HB_HIB3", "DPT_HB_HIB2", 28),
                ("OPV4", "OPV3", 28),
                ("RV3", "RV2", 28),
                ("IPV2", "IPV1", 122),
                ("PCV3", "PCV2", 56),
                ("DPT_HB_HIB4", "DPT_HB_HIB3", 365),
                ("MR2", "MR1", 183),
            ]
        );
        for set in [ScheduleSet::Post2022, ScheduleSet::Pmk12_2017] {
            for c in idl_set(set).iter().chain(baduta_set(set)) {
                assert!(Vaccine::from_code(c).is_some(), "{c}");
            }
        }
    }

    #[test]
    fn earliest_age_and_interval_validation() {
        let birth = time::macros::date!(2025 - 01 - 01);
        let dpt1 = Vaccine::from_code("DPT_HB_HIB1").unwrap();
        let dpt2 = Vaccine::from_code("DPT_HB_HIB2").unwrap();
        let d = |n: i64| birth + time::Duration::days(n);
        assert!(!dose_is_valid(birth, d(41), dpt1, &[]));
        assert!(dose_is_valid(birth, d(42), dpt1, &[]));
        let given = [Dose {
            vaccine: dpt1,
            date: d(42),
        }];
        assert!(!dose_is_valid(birth, d(69), dpt2, &given));
        assert!(!dose_is_valid(birth, d(70), dpt2, &[]));
        assert!(dose_is_valid(birth, d(70), dpt2, &given));
        let late = [Dose {
            vaccine: dpt1,
            date: d(50),
        }];
        assert!(!dose_is_valid(birth, d(77), dpt2, &late));
        assert!(dose_is_valid(birth, d(78), dpt2, &late));
    }
}
