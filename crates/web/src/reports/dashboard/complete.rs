//! Completeness: which pos (posyandu and poskestren, the units that hold service days)
//! under a unit reported the month. A pos has reported when its month's report counts
//! anyone weighed or served: a balita weighed (D), or a pregnant woman, a school-age child
//! or adolescent, an adult or an elderly person served ([`SERVED`]). A pos with only
//! registered persons and nobody seen has not: no service day was recorded.
//!
//! The report gives each unit's direct children, so a pos's numbers are read from its
//! parent's report: one `report::monthly` per parent of pos (a desa), none for a branch
//! where nobody at all is counted (every pos in it is missing).

use std::collections::HashMap;

use report::monthly::{MonthlyReport, Numbers, monthly};
use store::codes::OrgLevel;
use store::{Actor, OrgUnit, OrgUnitId, Store, StoreError};

/// The counts that say a pos was open: anyone weighed or served.
pub const SERVED: [&str; 5] = [
    "d",
    "bumil_dilayani",
    "remaja_dilayani",
    "dewasa_dilayani",
    "lansia_dilayani",
];

/// One pos and whether it reported.
pub struct Pos {
    pub unit: OrgUnit,
    pub reported: bool,
}

pub fn served(n: &Numbers) -> bool {
    SERVED.iter().any(|c| n.tally(c).total > 0)
}

fn is_pos(u: &OrgUnit) -> bool {
    matches!(u.level, OrgLevel::Posyandu | OrgLevel::Poskestren)
}

/// Every pos under the report's unit (itself, when it is one), in the tree's order.
/// `units`: the unit and everything below it (`Store::org_units_under`).
pub async fn of(
    store: &Store,
    actor: &Actor,
    report: &MonthlyReport,
    units: &[OrgUnit],
) -> Result<Vec<Pos>, StoreError> {
    let root = &report.unit;
    if is_pos(root) {
        return Ok(vec![Pos {
            unit: root.clone(),
            reported: served(&report.numbers),
        }]);
    }
    let mut seen: HashMap<OrgUnitId, bool> = HashMap::new();
    let mut parents: Vec<OrgUnitId> = Vec::new();
    for u in units.iter().filter(|u| is_pos(u)) {
        if let Some(p) = u.parent_id.filter(|p| !parents.contains(p)) {
            parents.push(p);
        }
    }
    for p in parents {
        let rows = if p == root.id {
            report.children.clone()
        } else if counted_branch(report, units, p) {
            monthly(store, actor, p, report.month).await?.children
        } else {
            Vec::new()
        };
        for (u, n) in rows {
            seen.insert(u.id, served(&n));
        }
    }
    Ok(units
        .iter()
        .filter(|u| is_pos(u))
        .map(|u| Pos {
            unit: u.clone(),
            reported: seen.get(&u.id).copied().unwrap_or(false),
        })
        .collect())
}

/// Whether anyone is counted in the root's child that holds `unit` (the report lists only
/// such children); if not, nothing below it was seen and no report need be read.
fn counted_branch(report: &MonthlyReport, units: &[OrgUnit], unit: OrgUnitId) -> bool {
    let Some(path) = units.iter().find(|u| u.id == unit).map(|u| &u.path) else {
        return false;
    };
    report.children.iter().any(|(c, _)| c.path.contains(path))
}
