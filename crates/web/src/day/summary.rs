//! The day's summary, shown when the day is closed: who came, who on the target list did
//! not come, who was referred, and the doses given.

use serde::Serialize;
use store::{Actor, Person, Referral, ServiceDay, Store};
use time::Duration;

use super::DayError;
use super::service::{Arrival, arrivals};

/// One vaccine and how many doses of it were given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DoseCount {
    pub vaccine: String,
    pub count: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub came: Vec<Arrival>,
    /// Balita and pregnant women of the posyandu who did not come.
    pub missing: Vec<Person>,
    pub referred: Vec<(Referral, Person)>,
    pub doses: Vec<DoseCount>,
    pub doses_total: usize,
}

/// The target list of a service day: every balita (0–59 months on the day) and every
/// woman with an open pregnancy registered at the posyandu (the S of SKDN, and ibu hamil).
pub async fn targets(
    store: &Store,
    actor: &Actor,
    day: &ServiceDay,
) -> Result<Vec<Person>, DayError> {
    let persons = store.persons_under(actor, day.org_unit_id).await?;
    let pregnant: Vec<_> = store
        .open_pregnancies_under(actor, day.org_unit_id)
        .await?
        .into_iter()
        .map(|p| p.person_id)
        .collect();
    Ok(persons
        .into_iter()
        .filter(|p| {
            let days = domain::age::days_between(p.birth_date, day.date);
            (0..=1826).contains(&days) || pregnant.contains(&p.id)
        })
        .collect())
}

pub async fn summary(store: &Store, actor: &Actor, day: &ServiceDay) -> Result<Summary, DayError> {
    let came = arrivals(store, actor, day.id).await?;
    let missing = targets(store, actor, day)
        .await?
        .into_iter()
        .filter(|p| !came.iter().any(|a| a.person.id == p.id))
        .collect();
    let mut referred = Vec::new();
    for r in store.referrals_under(actor, day.org_unit_id, None).await? {
        if r.referred_on == day.date {
            let p = store.person(actor, r.person_id).await?;
            referred.push((r, p));
        }
    }
    let next = day.date + Duration::days(1);
    let activity = store
        .activity_under(actor, day.org_unit_id, day.date, next)
        .await?;
    let mut doses: Vec<DoseCount> = Vec::new();
    for d in &activity.doses {
        let name = match d.dose_number {
            Some(n) => format!("{} {n}", d.vaccine),
            None => d.vaccine.clone(),
        };
        match doses.iter_mut().find(|c| c.vaccine == name) {
            Some(c) => c.count += 1,
            None => doses.push(DoseCount {
                vaccine: name,
                count: 1,
            }),
        }
    }
    doses.sort_by(|a, b| a.vaccine.cmp(&b.vaccine));
    Ok(Summary {
        came,
        missing,
        referred,
        doses_total: activity.doses.len(),
        doses,
    })
}
