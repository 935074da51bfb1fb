//! The monthly report of a unit (issue 11): indicators computed from the record for any
//! unit in the user's scope and any month, with nothing typed by hand. [`indicators`] says
//! what each number counts and where the definition comes from (`docs/INDICATORS.md` is
//! generated from it: [`doc`]); [`facts`] decides who counts in what; [`numbers`] turns
//! the facts into counts and ratios; [`MonthlyReport::persons`] lists the persons behind
//! any count (the drill-down), from the same facts. [`monthly`] reads each unit's own
//! numbers from the stored summaries where they still hold ([`summary`]) and computes the
//! rest; [`recompute`] computes everything, [`detail`] also keeps the facts.
//!
//! Every row counts for the unit its person is registered at, wherever it was captured,
//! so a unit's numbers are exactly the sum of its children's.

pub mod close;
pub mod doc;
pub mod duty;
pub mod export;
pub mod facts;
pub mod groups;
pub mod indicators;
pub mod numbers;
pub mod referrals;
pub mod summary;
pub mod trend;

use std::collections::HashMap;
use store::codes::MeasurementKind;

use store::{Actor, OrgUnit, OrgUnitId, Person, PersonId, Store, StoreError};
use time::{Date, Duration};

use crate::targets::next_month;
pub use facts::{AgeBand, MonthRows, PersonFacts};
pub use indicators::{Indicator, Measure, Section};
pub use numbers::{Numbers, Tally, Value};

/// A month as the report writes it: `2026-10` (the close's key, the exports, the pages).
pub fn month_code(month: Date) -> String {
    format!("{:04}-{:02}", month.year(), u8::from(month.month()))
}

/// The first day of the month written `2026-10` (what [`month_code`] writes), or `None`
/// when the text is no such month. The one parser of the CLI's and the pages' months.
pub fn parse_month(text: &str) -> Option<Date> {
    let (y, m) = text.trim().split_once('-')?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month = time::Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year, month, 1).ok()
}

/// The questionnaire code under which the service day stores step 4's services.
const SERVICES: &str = "LAYANAN";
/// The `LAYANAN` answer that a balita has a Buku KIA/KMS (shown on a service day): K of
/// SKDN, and the e-PPGBM export's KIA column.
pub const KIA_BOOK: &str = "buku_kia";

/// A unit's report for one month.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthlyReport {
    pub unit: OrgUnit,
    /// The month's first day.
    pub month: Date,
    /// The whole unit's numbers.
    pub numbers: Numbers,
    /// The numbers of each direct child unit with anyone counted, in the tree's order
    /// (the roll-up's rows; empty for a posyandu).
    pub children: Vec<(OrgUnit, Numbers)>,
    /// The names of the units under this one.
    unit_names: HashMap<OrgUnitId, String>,
}

impl MonthlyReport {
    /// The report of `root` from each unit's own numbers (`units`: root and every unit
    /// below it).
    pub(crate) fn of_units(
        root: OrgUnit,
        month: Date,
        units: Vec<OrgUnit>,
        own: &HashMap<OrgUnitId, Numbers>,
    ) -> MonthlyReport {
        let mut numbers = Numbers::default();
        for n in own.values() {
            numbers.add(n);
        }
        MonthlyReport {
            children: roll_up(&root, &units, own),
            unit: root,
            month,
            numbers,
            unit_names: units.into_iter().map(|u| (u.id, u.name)).collect(),
        }
    }

    /// The name of a unit under this one.
    pub fn unit_name(&self, id: OrgUnitId) -> Option<&str> {
        self.unit_names.get(&id).map(String::as_str)
    }
}

/// A month's report with the facts behind it: who counts in what (the drill-down).
#[derive(Debug, Clone)]
pub struct MonthDetail {
    pub report: MonthlyReport,
    facts: Vec<PersonFacts>,
    /// The persons the facts are about, by id (for the drill-down's names).
    people: HashMap<PersonId, Person>,
    duties: Vec<duty::Duty>,
}

impl MonthDetail {
    /// The persons counted in a count indicator (the list behind the number): as many as
    /// the number says, by construction.
    pub fn persons(&self, code: &str) -> Vec<PersonId> {
        self.facts
            .iter()
            .filter(|f| f.counts(code))
            .map(|f| f.person)
            .collect()
    }

    /// [`MonthlyReport::persons`] with their records, in the unit's order (path, name).
    pub fn people(&self, code: &str) -> Vec<&Person> {
        self.persons(code)
            .iter()
            .filter_map(|id| self.people.get(id))
            .collect()
    }

    pub fn facts(&self) -> &[PersonFacts] {
        &self.facts
    }

    /// How long the list behind a count indicator is: the persons counted, or for
    /// `kader_bertugas` the kader on duty. Equal to the number by construction.
    pub fn listed(&self, code: &str) -> usize {
        if code == duty::CODE {
            self.duties.len()
        } else {
            self.persons(code).len()
        }
    }

    /// The kader on duty (the list behind `kader_bertugas`), by posyandu then day.
    pub fn duties(&self) -> &[duty::Duty] {
        &self.duties
    }
}

/// The month `month` (any day of it) of `unit`, read through the actor's scope (a unit
/// outside it is not found): the stored summaries where they hold, the rest computed
/// (and stored).
pub async fn monthly(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthlyReport, StoreError> {
    summary::monthly(store, actor, unit, month).await
}

/// [`monthly`] computed from the record alone, no summary read or stored.
pub async fn recompute(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthlyReport, StoreError> {
    Ok(detail(store, actor, unit, month).await?.report)
}

/// The month of `unit` with its facts, computed from the record.
pub async fn detail(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthDetail, StoreError> {
    let month = month.replace_day(1).unwrap_or(month);
    let units = store.org_units_under(actor, unit).await?;
    let root = root_of(&units, unit)?;
    let all = facts_of(store, actor, unit, month).await?;
    let own = all.numbers_by_unit();
    Ok(MonthDetail {
        report: MonthlyReport::of_units(root, month, units, &own),
        facts: all.facts,
        people: all.people,
        duties: all.duties,
    })
}

pub(crate) fn root_of(units: &[OrgUnit], unit: OrgUnitId) -> Result<OrgUnit, StoreError> {
    units
        .iter()
        .find(|u| u.id == unit)
        .cloned()
        .ok_or(StoreError::NotFound {
            entity: store::codes::EntityKind::OrgUnit,
            id: unit.0,
        })
}

/// What a unit's month is counted from: the persons' facts, those persons, and the kader
/// on duty.
pub(crate) struct MonthFacts {
    pub facts: Vec<PersonFacts>,
    pub people: HashMap<PersonId, Person>,
    pub duties: Vec<duty::Duty>,
}

impl MonthFacts {
    /// The own numbers of each unit counted in.
    pub fn numbers_by_unit(&self) -> HashMap<OrgUnitId, Numbers> {
        let mut by_unit = Numbers::by_unit(&self.facts);
        duty::count(&mut by_unit, &self.duties);
        by_unit
    }
}

/// The facts of everyone registered under `unit` for the month starting `month`, those
/// persons, and the kader on duty.
pub(crate) async fn facts_of(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthFacts, StoreError> {
    let next = next_month(month);
    let end = next - Duration::days(1);
    let born = end - Duration::days(facts::BALITA_DAYS);
    let mut rows = MonthRows {
        persons: store.persons_born_under(actor, unit, born).await?,
        ..MonthRows::default()
    };
    for kind in [
        MeasurementKind::Weight,
        MeasurementKind::Length,
        MeasurementKind::Height,
    ] {
        let ms = store
            .measurements_in(actor, unit, kind, month, next)
            .await?;
        rows.measurements.extend(ms);
    }
    // One read of the month's findings for both the balita and the other groups.
    let group_codes = groups::group_finding_codes();
    let mut codes: Vec<&str> = facts::FINDING_CODES.to_vec();
    codes.extend(group_codes.iter().copied());
    codes.sort_unstable();
    codes.dedup();
    let found = store
        .findings_coded(actor, unit, &codes, month, next)
        .await?;
    let group_findings = found
        .iter()
        .filter(|f| group_codes.contains(&f.code.as_str()))
        .cloned()
        .collect();
    rows.findings = found
        .into_iter()
        .filter(|f| facts::FINDING_CODES.contains(&f.code.as_str()))
        .collect();
    rows.doses = store.dose_series_of_born(actor, unit, born, next).await?;
    rows.services = store
        .screenings_in(actor, unit, SERVICES, month, next)
        .await?;
    rows.kia = store
        .persons_with_answer_before(actor, unit, (SERVICES, KIA_BOOK), born, next)
        .await?
        .into_iter()
        .collect();
    let mut facts = facts::facts(month, &rows, &domain::Settings::default());
    let groups = group_rows(
        store,
        actor,
        unit,
        (month, next),
        rows.services,
        group_findings,
    )
    .await?;
    facts.extend(groups::group_facts(month, &groups));
    rows.persons.extend(groups.visitors);
    rows.persons
        .extend(groups.pregnant.into_iter().map(|(w, _)| w));
    let referrals = store.referrals_made(actor, unit, month, next).await?;
    if !referrals.is_empty() {
        let referred = store.persons_referred_in(actor, unit, month, next).await?;
        referrals::add(&mut facts, &referrals, &referred);
        rows.persons.extend(referred);
    }
    let counted: std::collections::HashSet<PersonId> = facts.iter().map(|f| f.person).collect();
    let people = rows
        .persons
        .into_iter()
        .filter(|p| counted.contains(&p.id))
        .map(|p| (p.id, p))
        .collect();
    let duties = duty::duties(store, actor, unit, (month, next)).await?;
    Ok(MonthFacts {
        facts,
        people,
        duties,
    })
}

/// The rows of the pregnant women and of those served from the other groups.
async fn group_rows(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    (month, next): (Date, Date),
    services: Vec<store::Screening>,
    findings: Vec<store::Finding>,
) -> Result<groups::GroupRows, StoreError> {
    let mut pregnancies: HashMap<PersonId, Vec<store::Pregnancy>> = HashMap::new();
    for p in store.pregnancies_under(actor, unit).await? {
        pregnancies.entry(p.person_id).or_default().push(p);
    }
    let pregnant = store
        .persons_with_pregnancy_under(actor, unit)
        .await?
        .into_iter()
        .map(|w| {
            let ps = pregnancies.remove(&w.id).unwrap_or_default();
            (w, ps)
        })
        .collect();
    Ok(groups::GroupRows {
        visitors: store.visitors_in(actor, unit, month, next).await?,
        pregnant,
        findings,
        services,
    })
}

/// Each direct child of `root` with the numbers of everyone under it (`own`: each unit's
/// own numbers).
fn roll_up(
    root: &OrgUnit,
    units: &[OrgUnit],
    own: &HashMap<OrgUnitId, Numbers>,
) -> Vec<(OrgUnit, Numbers)> {
    let children: Vec<&OrgUnit> = units
        .iter()
        .filter(|u| u.parent_id == Some(root.id))
        .collect();
    let mut out = Vec::new();
    for child in children {
        let mut n = Numbers::default();
        let mut any = false;
        for u in units.iter().filter(|u| child.path.contains(&u.path)) {
            if let Some(own) = own.get(&u.id).filter(|n| !n.is_empty()) {
                n.add(own);
                any = true;
            }
        }
        if any {
            out.push((child.clone(), n));
        }
    }
    out.sort_by(|a, b| a.0.path.as_str().cmp(b.0.path.as_str()));
    out
}

#[cfg(test)]
mod month_text_tests {
    use super::{month_code, parse_month};
    use time::macros::date;

    #[test]
    fn months_read_as_they_are_written() {
        for (text, want) in [
            ("2026-10", Some(date!(2026 - 10 - 01))),
            (" 2026-1 ", Some(date!(2026 - 01 - 01))),
            ("2026-13", None),
            ("2026-00", None),
            ("26-10", None),
            ("2026-010", None),
            ("2026/10", None),
            ("oktober", None),
            ("", None),
        ] {
            assert_eq!(parse_month(text), want, "{text:?}");
        }
        let d = date!(2026 - 02 - 01);
        assert_eq!(parse_month(&month_code(d)), Some(d));
    }
}
