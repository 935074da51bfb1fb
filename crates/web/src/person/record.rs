//! A person's whole record on one date (issue 10 item 1), read once for the person page and
//! the API: identity and household, the life-cycle group, every visit with what was
//! measured, found, given, answered and referred, the last visit's findings, open
//! referrals, pregnancies with their ANC visits, the immunization card of a child and any
//! edit waiting for review. Every read goes through the store's scope check.

use std::collections::BTreeMap;

use domain::immunization_card::Card;
use domain::lifecycle::Group;
use store::codes::ReferralStatus;
use store::{
    Actor, Dose, Finding, Household, Measurement, Person, PersonId, Pregnancy, Referral, Review,
    Screening, Store,
};
use time::Date;

use crate::day::DayError;
use crate::day::assess::{History, group_on};

/// Everything recorded on one date, whatever the posyandu or service day.
#[derive(Debug, Default)]
pub struct VisitEntry {
    pub date: Option<Date>,
    pub measurements: Vec<Measurement>,
    pub findings: Vec<Finding>,
    pub doses: Vec<Dose>,
    /// Questionnaires, services given (`LAYANAN`) and counselling notes (`KONSELING`).
    pub screenings: Vec<Screening>,
    pub referrals: Vec<Referral>,
}

/// A pregnancy with the visits made while it lasted (ANC at the posyandu).
#[derive(Debug)]
pub struct PregnancyEntry {
    pub pregnancy: Pregnancy,
    pub visits: Vec<Date>,
    /// KSPR findings (`kspr_krr`, `kspr_krt`, `kspr_krst`) made during it.
    pub kspr: Vec<String>,
}

#[derive(Debug)]
pub struct PersonRecord {
    pub person: Person,
    pub household: Option<Household>,
    /// The other persons of the household the user may see.
    pub family: Vec<Person>,
    pub group: Option<Group>,
    /// Newest first.
    pub visits: Vec<VisitEntry>,
    /// The findings of the newest visit that found something.
    pub last_findings: Vec<Finding>,
    pub open_referrals: Vec<Referral>,
    pub pregnancies: Vec<PregnancyEntry>,
    /// Children under six: the Buku KIA card.
    pub card: Option<Card>,
    pub reviews: Vec<Review>,
    /// Measurements, for the growth chart (oldest first).
    pub measurements: Vec<Measurement>,
    /// The growth charts of a child (KMS first), see [`super::growth::charts_of`].
    pub charts: Vec<domain::growth_chart::GrowthChart>,
}

/// The record of `id` as on `today`.
pub async fn load(
    store: &Store,
    actor: &Actor,
    id: PersonId,
    today: Date,
) -> Result<PersonRecord, DayError> {
    let person = store.person(actor, id).await?;
    let household = match person.household_id {
        Some(h) => Some(store.household(actor, h).await?),
        None => None,
    };
    let family = match person.household_id {
        Some(h) => store
            .household_members(actor, h)
            .await?
            .into_iter()
            .filter(|p| p.id != id)
            .collect(),
        None => Vec::new(),
    };
    let mut measurements = store.measurements_of(actor, id).await?;
    measurements.sort_by_key(|m| m.measured_on);
    let doses = store.doses_of(actor, id).await?;
    let pregnancies = store.pregnancies_of(actor, id).await?;
    let screenings = store.screenings_of(actor, id).await?;
    let findings = store.findings_of(actor, id).await?;
    let referrals = store.referrals_of(actor, id).await?;
    let visits = store.visits_of(actor, id).await?;
    let reviews = store.open_reviews(actor, id).await?;

    let history = History {
        measurements: measurements.clone(),
        doses: doses.clone(),
        pregnancies: pregnancies.clone(),
    };
    let group = group_on(&person, today, &history);
    let card = card_of(&person, today, &doses);
    let charts = super::growth::charts_of(&person, today, &measurements, &findings);

    let mut by_date: BTreeMap<Date, VisitEntry> = BTreeMap::new();
    for v in &visits {
        entry(&mut by_date, v.date);
    }
    for m in &measurements {
        entry(&mut by_date, m.measured_on)
            .measurements
            .push(m.clone());
    }
    for f in &findings {
        entry(&mut by_date, f.found_on).findings.push(f.clone());
    }
    for d in &doses {
        entry(&mut by_date, d.given_on).doses.push(d.clone());
    }
    for s in &screenings {
        entry(&mut by_date, s.answered_on)
            .screenings
            .push(s.clone());
    }
    for r in &referrals {
        entry(&mut by_date, r.referred_on).referrals.push(r.clone());
    }
    let last_findings = by_date
        .values()
        .rev()
        .find(|v| !v.findings.is_empty())
        .map(|v| v.findings.clone())
        .unwrap_or_default();
    let pregnancies = pregnancies
        .into_iter()
        .map(|p| {
            let from = p.lmp.unwrap_or(Date::MIN);
            let to = p.outcome_date.or(p.due_date).unwrap_or(today);
            let during = |d: Date| d >= from && d <= to;
            PregnancyEntry {
                visits: by_date.keys().copied().filter(|d| during(*d)).collect(),
                kspr: findings
                    .iter()
                    .filter(|f| f.code.starts_with("kspr_") && during(f.found_on))
                    .map(|f| f.code.clone())
                    .collect(),
                pregnancy: p,
            }
        })
        .collect();
    Ok(PersonRecord {
        open_referrals: referrals
            .iter()
            .filter(|r| r.status != ReferralStatus::Completed)
            .cloned()
            .collect(),
        visits: by_date.into_values().rev().collect(),
        person,
        household,
        family,
        group,
        last_findings,
        pregnancies,
        card,
        reviews,
        measurements,
        charts,
    })
}

fn entry(map: &mut BTreeMap<Date, VisitEntry>, d: Date) -> &mut VisitEntry {
    map.entry(d).or_insert_with(|| VisitEntry {
        date: Some(d),
        ..VisitEntry::default()
    })
}

/// How long the card is kept on the page: the schedule ends with the baduta doses, and
/// catch-up questions come up until school age.
const CARD_UNTIL_YEARS: i32 = 6;

fn card_of(p: &Person, today: Date, doses: &[Dose]) -> Option<Card> {
    let age = domain::age::Age::at(p.birth_date, today)?;
    if age.years >= CARD_UNTIL_YEARS {
        return None;
    }
    let given = crate::day::assess::schedule_doses(doses);
    domain::immunization_card::card(p.birth_date, today, &given, &domain::Settings::default())
}
