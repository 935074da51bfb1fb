//! "Siapkan hari buka": what a phone needs to run one posyandu's service day with no signal
//! (issue 9 item 1), fetched once on the Puskesmas wifi: the day, every person of the
//! posyandu with their life-cycle group on that date and last weighing, and for each
//! balita the cut-points of the live classification for that date (the exact engine's:
//! the phone compares, it never computes). The cut-points are split for size
//! (`domain::cutpoints::prepared`, issue 9 item 7): the weight-for-length/height tables
//! once per sex and case in `tables`, each child naming its slice, and BMI tables packed;
//! `join` in classify.js gives back the page's shape. Each person also carries step 4's
//! offer for the day (doses due or overdue, vitamin A, deworming, iron tablets), as the
//! online page computes it, the referrals still open, and the person's record with its version (the base of an
//! edit on the phone). The offline page (`crate::offline`, static/offline.js) keeps
//! it in IndexedDB; bench/prepare.sh measures its wire size.

use domain::cutpoints::prepared::{PreparedCuts, SharedTables};
use serde::Serialize;
use store::{Actor, ServiceDay, Store};

use super::DayError;
use super::assess::{Readings, cutpoints_for, domain_sex, group_on, weighings};
use super::record::{assessed, history, offer};

/// One person of the prepared day.
#[derive(Debug, Serialize)]
pub struct PreparedPerson {
    pub id: String,
    pub name: String,
    /// `L` or `P`.
    pub sex: &'static str,
    pub birth_date: String,
    pub parent_name: Option<String>,
    /// `balita`, `ibu_hamil`, … (`domain::lifecycle::Group::code`).
    pub group: Option<&'static str>,
    /// The last weighing before the day: date and kg.
    pub last_weight: Option<(String, f64)>,
    /// Balita only: the live-classification cut-points for the day, naming tables of
    /// [`Prepared::tables`].
    pub cutpoints: Option<PreparedCuts>,
    /// The record as stored, and its version: the base of an edit made on the phone
    /// (`PersonEdit`, merged field by field when it arrives).
    pub version: i64,
    pub record: store::NewPerson,
    /// Referrals not yet completed, oldest first, so the cadre can ask what became of them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub referrals: Vec<OpenReferral>,
    /// What step 4 offers the person on the day; absent when it offers nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<PreparedOffer>,
}

/// A referral still open: when, why and how far it got (`dibuat`, `diterima`,
/// `ditindaklanjuti`).
#[derive(Debug, Serialize)]
pub struct OpenReferral {
    pub referred_on: String,
    pub reason: String,
    pub status: &'static str,
}

/// Step 4's offer (`record::offer`), without the list of every other vaccine the page
/// already has.
#[derive(Debug, Serialize)]
pub struct PreparedOffer {
    pub due: Vec<DueDose>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vitamin_a: Option<&'static str>,
    pub deworming: bool,
    pub iron_tablets: bool,
}

/// A dose due on the day, by its schedule code.
#[derive(Debug, Serialize)]
pub struct DueDose {
    pub code: &'static str,
    pub overdue: bool,
}

fn offer_of(
    p: &store::Person,
    day: &ServiceDay,
    h: &super::assess::History,
) -> Option<PreparedOffer> {
    let a = assessed(p, day, h, &Readings::default()).ok()?;
    let o = offer(p, day, &a);
    let due: Vec<DueDose> = o
        .due
        .iter()
        .map(|d| DueDose {
            code: d.code,
            overdue: d.overdue,
        })
        .collect();
    let any = !due.is_empty() || o.vitamin_a.is_some() || o.deworming || o.iron_tablets;
    any.then_some(PreparedOffer {
        due,
        vitamin_a: o.vitamin_a,
        deworming: o.deworming,
        iron_tablets: o.iron_tablets,
    })
}

/// The persons and the tables their cut-points name.
#[derive(Debug)]
pub struct Prepared {
    pub tables: SharedTables,
    pub persons: Vec<PreparedPerson>,
}

/// Every person of the day's posyandu, in the store's order, prepared for the day.
pub async fn prepare(store: &Store, actor: &Actor, day: &ServiceDay) -> Result<Prepared, DayError> {
    let persons = store.persons_under(actor, day.org_unit_id).await?;
    // One read for the posyandu's open referrals, handed out per person.
    let mut referrals: std::collections::HashMap<store::PersonId, Vec<OpenReferral>> =
        std::collections::HashMap::new();
    for r in store.referrals_under(actor, day.org_unit_id, None).await? {
        if r.status != store::codes::ReferralStatus::Completed {
            referrals
                .entry(r.person_id)
                .or_default()
                .push(OpenReferral {
                    referred_on: r.referred_on.to_string(),
                    reason: r.reason,
                    status: r.status.code(),
                });
        }
    }
    let mut tables = SharedTables::default();
    let mut out = Vec::with_capacity(persons.len());
    for p in persons.iter().filter(|p| p.meta.deleted.is_none()) {
        let h = history(store, actor, p, day.date).await?;
        let group = group_on(p, day.date, &h);
        let balita = group == Some(domain::lifecycle::Group::Balita);
        out.push(PreparedPerson {
            id: p.id.to_string(),
            name: p.name.clone(),
            sex: p.sex.code(),
            birth_date: p.birth_date.to_string(),
            parent_name: p.parent_name.clone(),
            group: group.map(|g| g.code()),
            last_weight: weighings(&h.measurements, day.date)
                .last()
                .map(|w| (w.date.to_string(), w.weight_kg)),
            cutpoints: if balita {
                cutpoints_for(day.date, p, &h).map(|c| tables.split(domain_sex(p.sex), c))
            } else {
                None
            },
            referrals: referrals.remove(&p.id).unwrap_or_default(),
            version: p.meta.version,
            record: p.editable(),
            offer: offer_of(p, day, &h),
        });
    }
    Ok(Prepared {
        tables,
        persons: out,
    })
}
