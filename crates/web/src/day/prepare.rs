//! "Siapkan hari buka": what a phone needs to run one posyandu's service day with no signal
//! (issue 9 item 1), fetched once on the Puskesmas wifi: the day, every person of the
//! posyandu with their life-cycle group on that date and last weighing, and for each
//! balita the cut-points of the live classification for that date (the exact engine's:
//! the phone compares, it never computes). The cut-points are split for size
//! (`domain::cutpoints::prepared`, issue 9 item 7): the weight-for-length/height tables
//! once per sex and case in `tables`, each child naming its slice, and BMI tables packed;
//! `join` in classify.js gives back the page's shape. Each person also carries step 4's
//! offer for the day (doses due or overdue, vitamin A, deworming, iron tablets), as the
//! online page computes it, the referrals still open or closed lately, and the person's record with its version (the base of an
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
    /// The household's head and address, to tell two persons of one name apart.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub household: Option<PreparedHousehold>,
    /// What the rules found at the person's last visit (catalogue codes, labelled on the
    /// page), so the cadre asks after it: "bulan lalu BGM".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_findings: Option<LastFindings>,
    /// Step 2's questionnaires due on the day (`tb_symptoms`, `srq20`, `puma`, `barthel`,
    /// `skilas`: rules.md §8, by group and age).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questionnaires: Vec<&'static str>,
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

/// A household as the roster shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PreparedHousehold {
    pub head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

/// The findings of the last visit before the day that found something.
#[derive(Debug, Serialize)]
pub struct LastFindings {
    pub date: String,
    pub codes: Vec<String>,
}

/// How far back the roster looks for a last visit's findings.
const FINDINGS_LOOKBACK_DAYS: i64 = 400;

/// A referral still open, or closed lately: when, why, how far it got (`dibuat`,
/// `diterima`, `ditindaklanjuti`, `selesai`) and the midwife's note, so the cadre can tell
/// the family what became of it.
#[derive(Debug, Serialize)]
pub struct OpenReferral {
    pub referred_on: String,
    pub reason: String,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A closed referral stays on the roster this long after it was closed: the next one or
/// two service days.
const CLOSED_SHOWN_DAYS: i64 = 60;

/// Whether a referral is shown with the person on a service day `on`: still open, or
/// closed within [`CLOSED_SHOWN_DAYS`].
pub fn shown_on_day(r: &store::Referral, on: time::Date) -> bool {
    r.status != store::codes::ReferralStatus::Completed
        || (on - r.meta.updated_at.date()).whole_days() <= CLOSED_SHOWN_DAYS
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
    pub kia_book: bool,
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
    a: &super::assess::Assessment,
) -> Option<PreparedOffer> {
    let o = offer(p, day, a);
    let due: Vec<DueDose> = o
        .due
        .iter()
        .map(|d| DueDose {
            code: d.code,
            overdue: d.overdue,
        })
        .collect();
    let any =
        !due.is_empty() || o.vitamin_a.is_some() || o.deworming || o.iron_tablets || o.kia_book;
    any.then_some(PreparedOffer {
        due,
        vitamin_a: o.vitamin_a,
        deworming: o.deworming,
        iron_tablets: o.iron_tablets,
        kia_book: o.kia_book,
    })
}

/// The persons and the tables their cut-points name.
#[derive(Debug, Serialize)]
pub struct Prepared {
    pub tables: SharedTables,
    pub persons: Vec<PreparedPerson>,
    /// The group and questionnaires of someone registered on the phone, by birth date.
    pub newcomers: Vec<NewcomerBand>,
}

/// Everyone born on or after `born_from` (and after the next band's) is, on the day and
/// unless pregnant or just delivered, in `group` with these questionnaires: the server's
/// `lifecycle::group` and `form` worked out for every birth date, so the phone only
/// compares two ISO dates to show a newcomer the right form.
#[derive(Debug, Serialize, PartialEq)]
pub struct NewcomerBand {
    pub born_from: String,
    pub group: &'static str,
    pub questionnaires: Vec<&'static str>,
}

/// The bands of [`NewcomerBand`] for `day`, youngest first.
pub fn newcomer_bands(day: time::Date) -> Vec<NewcomerBand> {
    use domain::lifecycle::{form, group};
    let mut bands: Vec<NewcomerBand> = Vec::new();
    let mut birth = day;
    // Day by day back over the oldest age the rules accept (about 47,000 steps, < 10 ms).
    while let Some(g) = group(domain::visit::Sex::Female, birth, day, false, None) {
        let age = domain::age::Age::at(birth, day).map_or(0, |a| a.years);
        let qs: Vec<&'static str> = form(g, age)
            .questionnaires
            .iter()
            .map(|q| q.code())
            .collect();
        match bands.last_mut() {
            Some(b) if b.group == g.code() && b.questionnaires == qs => {
                b.born_from = birth.to_string();
            }
            _ => bands.push(NewcomerBand {
                born_from: birth.to_string(),
                group: g.code(),
                questionnaires: qs,
            }),
        }
        match birth.previous_day() {
            Some(b) => birth = b,
            None => break,
        }
    }
    bands
}

/// Every person of the day's posyandu, in the store's order, prepared for the day.
pub async fn prepare(store: &Store, actor: &Actor, day: &ServiceDay) -> Result<Prepared, DayError> {
    let persons = store.persons_under(actor, day.org_unit_id).await?;
    // One read for the posyandu's open referrals, handed out per person.
    let mut referrals: std::collections::HashMap<store::PersonId, Vec<OpenReferral>> =
        std::collections::HashMap::new();
    for r in store.referrals_under(actor, day.org_unit_id, None).await? {
        if shown_on_day(&r, day.date) {
            referrals
                .entry(r.person_id)
                .or_default()
                .push(OpenReferral {
                    referred_on: r.referred_on.to_string(),
                    reason: r.reason,
                    status: r.status.code(),
                    note: r.status_note,
                });
        }
    }
    let households: std::collections::HashMap<store::HouseholdId, PreparedHousehold> = store
        .households_under(actor, day.org_unit_id)
        .await?
        .into_iter()
        .map(|h| {
            let address = [
                h.address,
                h.rt.map(|rt| format!("RT {rt}")),
                h.rw.map(|rw| format!("RW {rw}")),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
            let address = (!address.is_empty()).then_some(address);
            (
                h.id,
                PreparedHousehold {
                    head: h.head_name,
                    address,
                },
            )
        })
        .collect();
    let since = day.date - time::Duration::days(FINDINGS_LOOKBACK_DAYS);
    let mut findings: std::collections::HashMap<store::PersonId, LastFindings> =
        std::collections::HashMap::new();
    // Ordered by day: a later visit's findings replace an earlier one's.
    for f in store
        .findings_in(actor, day.org_unit_id, since, day.date)
        .await?
    {
        let last = findings.entry(f.person_id).or_insert_with(|| LastFindings {
            date: f.found_on.to_string(),
            codes: Vec::new(),
        });
        if last.date != f.found_on.to_string() {
            *last = LastFindings {
                date: f.found_on.to_string(),
                codes: Vec::new(),
            };
        }
        if !last.codes.contains(&f.code) {
            last.codes.push(f.code);
        }
    }
    let mut tables = SharedTables::default();
    let mut out = Vec::with_capacity(persons.len());
    for p in persons.iter().filter(|p| p.meta.deleted.is_none()) {
        let h = history(store, actor, p, day.date).await?;
        let group = group_on(p, day.date, &h);
        let balita = group == Some(domain::lifecycle::Group::Balita);
        let assessed = assessed(p, day, &h, &Readings::default()).ok();
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
            household: p.household_id.and_then(|id| households.get(&id).cloned()),
            last_findings: findings.remove(&p.id),
            questionnaires: assessed
                .as_ref()
                .map(|a| {
                    domain::lifecycle::form(a.group, a.age_years)
                        .questionnaires
                        .iter()
                        .map(|q| q.code())
                        .collect()
                })
                .unwrap_or_default(),
            referrals: referrals.remove(&p.id).unwrap_or_default(),
            version: p.meta.version,
            record: p.editable(),
            offer: assessed.as_ref().and_then(|a| offer_of(p, day, a)),
        });
    }
    Ok(Prepared {
        tables,
        persons: out,
        newcomers: newcomer_bands(day.date),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::lifecycle::group;
    use domain::visit::Sex;
    use time::macros::{date, format_description};

    /// Each band starts where `lifecycle::group` or `form` changes: the fifth birthday
    /// (`Age::is_balita`), 15 (SRQ-20, remaja), 19 (dewasa), 40 (PUMA) and 60 (lansia:
    /// ADL, SKILAS); the day before a band's first birth date is the next band.
    #[test]
    fn newcomer_bands_follow_the_lifecycle_rules() {
        let day = date!(2026 - 12 - 02);
        let bands = newcomer_bands(day);
        let shape: Vec<(&str, usize)> = bands
            .iter()
            .map(|b| (b.group, b.questionnaires.len()))
            .collect();
        assert_eq!(
            shape,
            [
                ("balita", 1),
                ("usia_sekolah", 1),
                ("remaja", 2),
                ("dewasa", 2),
                ("dewasa", 3),
                ("lansia", 5),
            ]
        );
        let iso = format_description!("[year]-[month]-[day]");
        for (b, older) in bands.iter().zip(bands.iter().skip(1)) {
            let from = time::Date::parse(&b.born_from, &iso).unwrap();
            assert_eq!(
                group(Sex::Male, from, day, false, None).map(|g| g.code()),
                Some(b.group)
            );
            let before = from.previous_day().unwrap();
            let age = domain::age::Age::at(before, day).unwrap().years;
            let g = group(Sex::Male, before, day, false, None).unwrap();
            assert_eq!(g.code(), older.group, "{}", b.born_from);
            assert_eq!(
                domain::lifecycle::form(g, age).questionnaires.len(),
                older.questionnaires.len()
            );
        }
        assert_eq!(bands[0].born_from, "2021-12-02");
        assert_eq!(bands[2].born_from, "2007-12-03");
    }
}
