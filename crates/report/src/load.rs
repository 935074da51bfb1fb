//! Reading a [`Snapshot`] for one list, unit and month: only that list's rows, "latest
//! date per person" as database aggregates over the persons concerned rather than years of
//! rows, all through the store's scope check (a unit outside the user's subtree is not
//! found).

use std::collections::{HashMap, HashSet};

use store::codes::{MeasurementKind, ReferralStatus};
use store::{Actor, OrgUnitId, Store, StoreError};
use time::{Date, Duration};

use crate::targets::{
    BLOOD_PRESSURE, FINDINGS_DAYS, GLUCOSE, GivenDose, List, Snapshot, TargetSettings, codes,
    next_month,
};

/// The day a month's lists are as of: today within the month, else its last day.
pub fn as_of(month: Date, today: Date) -> Date {
    let last = next_month(month) - Duration::days(1);
    if today >= month && today <= last {
        today
    } else {
        last
    }
}

/// Persons born this long before the day are the balita of the lists (`Age::is_balita`:
/// up to 1,826 days), with a few days to spare; the lists check the age themselves.
const BALITA_DAYS: i64 = 1_830;

/// The snapshot `list` needs (the other parts stay empty): each list reads only its own
/// rows, the balita lists only the balita's, through the person and code indexes.
pub async fn snapshot(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    month: Date,
    today: Date,
    settings: TargetSettings,
    list: List,
) -> Result<Snapshot, StoreError> {
    let on = as_of(month, today);
    let after = on + Duration::days(1);
    let born = on - Duration::days(BALITA_DAYS);
    let units: HashMap<OrgUnitId, String> = store
        .org_units_under(actor, unit)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let mut s = Snapshot {
        month,
        on,
        persons: Vec::new(),
        mothers: HashMap::new(),
        units,
        last_visit: HashMap::new(),
        doses: Vec::new(),
        findings: Vec::new(),
        month_weights: Vec::new(),
        last_weighed: HashMap::new(),
        last_systolic: HashMap::new(),
        last_glucose: HashMap::new(),
        referrals: Vec::new(),
        pregnancies: Vec::new(),
        settings,
    };
    // Each list reads the persons it can name: every balita for the lists that go through
    // all of them, else only those with the list's findings, pregnancies or referrals.
    let waiting = [ReferralStatus::Created, ReferralStatus::Accepted];
    match list {
        List::Immunization | List::NotWeighed => {
            s.persons = store.persons_born_under(actor, unit, born).await?;
            let mothers = store.mothers_of_born(actor, unit, born).await?;
            add_mothers(&mut s, mothers);
        }
        List::Growth | List::Stunting | List::Wasting => {
            let (codes, from) = (codes(list), month);
            s.persons = store
                .persons_found(actor, unit, codes, from, after, Some(born))
                .await?;
            let mothers = store
                .mothers_found(actor, unit, codes, from, after, Some(born))
                .await?;
            add_mothers(&mut s, mothers);
        }
        List::PregnancyRisk | List::NotRechecked => {
            let from = on - Duration::days(FINDINGS_DAYS);
            s.persons = store
                .persons_found(actor, unit, codes(list), from, after, None)
                .await?;
        }
        List::ReferralsWaiting => {
            s.persons = store.persons_referred(actor, unit, &waiting).await?;
        }
    }
    match list {
        List::Immunization => {
            s.last_visit = store.last_visits_of_born(actor, unit, born, on).await?;
            s.doses = store
                .dose_series_of_born(actor, unit, born, after)
                .await?
                .into_iter()
                .map(|(person_id, vaccine, dose_number, given_on)| GivenDose {
                    person_id,
                    vaccine,
                    dose_number,
                    given_on,
                })
                .collect();
        }
        List::Growth | List::Stunting | List::Wasting => {
            s.findings = store
                .findings_coded(actor, unit, codes(list), month, after)
                .await?;
            s.month_weights = store
                .measurements_in(actor, unit, MeasurementKind::Weight, month, after)
                .await?;
        }
        List::NotWeighed => {
            s.last_weighed = store
                .last_measured_of_born(actor, unit, MeasurementKind::Weight, born, on)
                .await?;
        }
        List::PregnancyRisk => {
            s.pregnancies = store.pregnancies_under(actor, unit).await?;
            s.findings = store
                .findings_coded(
                    actor,
                    unit,
                    codes(list),
                    on - Duration::days(FINDINGS_DAYS),
                    after,
                )
                .await?;
        }
        List::NotRechecked => {
            let from = on - Duration::days(FINDINGS_DAYS);
            s.findings = store
                .findings_coded(actor, unit, codes(list), from, after)
                .await?;
            s.last_systolic = store
                .last_measured_after_findings(
                    actor,
                    unit,
                    MeasurementKind::SystolicBp,
                    BLOOD_PRESSURE,
                    from,
                    on,
                )
                .await?;
            s.last_glucose = store
                .last_measured_after_findings(
                    actor,
                    unit,
                    MeasurementKind::BloodGlucose,
                    GLUCOSE,
                    from,
                    on,
                )
                .await?;
        }
        List::ReferralsWaiting => {
            s.referrals = store.referrals_in(actor, unit, &waiting).await?;
        }
    }
    Ok(s)
}

/// A child's phone is often the mother's: each child's mother, and the mother herself
/// among the persons (once).
fn add_mothers(s: &mut Snapshot, mothers: Vec<(store::PersonId, store::Person)>) {
    let mut known: HashSet<_> = s.persons.iter().map(|p| p.id).collect();
    for (child, mother) in mothers {
        s.mothers.insert(child, mother.id);
        if known.insert(mother.id) {
            s.persons.push(mother);
        }
    }
}
