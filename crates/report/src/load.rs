//! Reading a [`Snapshot`] for one unit and month: a handful of range reads, all through
//! the store's scope check (a unit outside the user's subtree is not found).

use std::collections::HashMap;

use store::codes::RelationKind;
use store::{Actor, OrgUnitId, Store, StoreError};
use time::{Date, Duration};

use crate::targets::{Snapshot, TargetSettings, next_month};

/// How far back the captures are read: a balita's whole life (doses since birth, the
/// last weighing of a drop-out), with a year to spare.
const HISTORY_DAYS: i64 = 6 * 366;

/// The day a month's lists are as of: today within the month, else its last day.
pub fn as_of(month: Date, today: Date) -> Date {
    let last = next_month(month) - Duration::days(1);
    if today >= month && today <= last {
        today
    } else {
        last
    }
}

pub async fn snapshot(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
    today: Date,
    settings: TargetSettings,
) -> Result<Snapshot, StoreError> {
    let on = as_of(month, today);
    let persons = store.persons_under(actor, unit).await?;
    let mothers = store
        .relationships_under(actor, unit)
        .await?
        .into_iter()
        .filter(|r| r.kind == RelationKind::MotherOf)
        .map(|r| (r.related_person_id, r.person_id))
        .collect();
    let units: HashMap<OrgUnitId, String> = store
        .org_units_under(actor, unit)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let activity = store
        .activity_under(
            actor,
            unit,
            on - Duration::days(HISTORY_DAYS),
            on + Duration::days(1),
        )
        .await?;
    let pregnancies = store.pregnancies_under(actor, unit).await?;
    Ok(Snapshot {
        month,
        on,
        persons,
        mothers,
        units,
        activity,
        pregnancies,
        settings,
    })
}
