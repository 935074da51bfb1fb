//! Reading a [`Snapshot`] for one unit and month: a dozen reads, "latest date per person"
//! as database aggregates rather than years of rows, all through the store's scope check
//! (a unit outside the user's subtree is not found).

use std::collections::HashMap;

use store::codes::{MeasurementKind, RelationKind};
use store::{Actor, OrgUnitId, Store, StoreError};
use time::{Date, Duration};

use crate::targets::{FINDINGS_DAYS, Snapshot, TargetSettings, next_month};

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
    let after = on + Duration::days(1);
    let findings = store
        .findings_in(actor, unit, on - Duration::days(FINDINGS_DAYS), after)
        .await?;
    let last = |kind| store.last_measured_under(actor, unit, kind, on);
    Ok(Snapshot {
        month,
        on,
        persons,
        mothers,
        units,
        last_visit: store.last_visits_under(actor, unit, on).await?,
        doses: store.doses_under(actor, unit, after).await?,
        findings,
        month_weights: store
            .measurements_in(actor, unit, MeasurementKind::Weight, month, after)
            .await?,
        last_weighed: last(MeasurementKind::Weight).await?,
        last_systolic: last(MeasurementKind::SystolicBp).await?,
        last_glucose: last(MeasurementKind::BloodGlucose).await?,
        referrals: store.referrals_under(actor, unit, None).await?,
        pregnancies: store.pregnancies_under(actor, unit).await?,
        settings,
    })
}
