//! The monthly report of a unit (issue 11): indicators computed from the record for any
//! unit in the user's scope and any month, with nothing typed by hand. [`indicators`] says
//! what each number counts and where the definition comes from (`docs/INDICATORS.md` is
//! generated from it: [`doc`]); [`facts`] decides who counts in what; [`numbers`] turns
//! the facts into counts and ratios; [`MonthlyReport::persons`] lists the persons behind
//! any count (the drill-down), from the same facts.
//!
//! First slice: SKDN and the balita's nutrition status. Immunization, vitamin A, pregnant
//! women, the screening counts of the other life-cycle groups and referrals follow, each
//! as more indicators and facts of the same shape.

pub mod doc;
pub mod export;
pub mod facts;
pub mod indicators;
pub mod numbers;

use store::codes::MeasurementKind;
use store::{Actor, OrgUnit, OrgUnitId, PersonId, Store, StoreError};
use time::{Date, Duration};

use crate::targets::next_month;
pub use facts::{AgeBand, MonthRows, PersonFacts};
pub use indicators::{Indicator, Measure, Section};
pub use numbers::{Numbers, Tally, Value};

/// A unit's report for one month.
#[derive(Debug, Clone)]
pub struct MonthlyReport {
    pub unit: OrgUnit,
    /// The month's first day.
    pub month: Date,
    /// The whole unit's numbers.
    pub numbers: Numbers,
    /// The numbers of each direct child unit that has any balita, in the tree's order
    /// (the roll-up's rows; empty for a posyandu).
    pub children: Vec<(OrgUnit, Numbers)>,
    facts: Vec<PersonFacts>,
}

impl MonthlyReport {
    /// The persons counted in a count indicator (the list behind the number): as many as
    /// the number says, by construction.
    pub fn persons(&self, code: &str) -> Vec<PersonId> {
        self.facts
            .iter()
            .filter(|f| f.counts(code))
            .map(|f| f.person)
            .collect()
    }

    pub fn facts(&self) -> &[PersonFacts] {
        &self.facts
    }
}

/// The month `month` (any day of it) of `unit`, read through the actor's scope (a unit
/// outside it is not found).
pub async fn monthly(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
) -> Result<MonthlyReport, StoreError> {
    let month = month.replace_day(1).unwrap_or(month);
    let next = next_month(month);
    let end = next - Duration::days(1);
    let units = store.org_units_under(actor, unit).await?;
    let Some(root) = units.iter().find(|u| u.id == unit).cloned() else {
        return Err(StoreError::NotFound {
            entity: store::codes::EntityKind::OrgUnit,
            id: unit.0,
        });
    };
    let mut rows = MonthRows {
        persons: store
            .persons_born_under(actor, unit, end - Duration::days(facts::BALITA_DAYS))
            .await?,
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
    rows.findings = store
        .findings_coded(actor, unit, facts::FINDING_CODES, month, next)
        .await?;
    let facts = facts::facts(month, &rows);
    let numbers = Numbers::of(&facts);
    let children = roll_up(&root, &units, &facts);
    Ok(MonthlyReport {
        unit: root,
        month,
        numbers,
        children,
        facts,
    })
}

/// Each direct child of `root` with the numbers of everyone under it.
fn roll_up(root: &OrgUnit, units: &[OrgUnit], facts: &[PersonFacts]) -> Vec<(OrgUnit, Numbers)> {
    let by_unit = Numbers::by_unit(facts);
    let children: Vec<&OrgUnit> = units
        .iter()
        .filter(|u| u.parent_id == Some(root.id))
        .collect();
    let mut out = Vec::new();
    for child in children {
        let mut n = Numbers::default();
        let mut any = false;
        for u in units.iter().filter(|u| child.path.contains(&u.path)) {
            if let Some(own) = by_unit.get(&u.id) {
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
