//! The midwife's and the Puskesmas's referral inbox (issue 10 item 5), shared by the page
//! and the API: the referrals of the user's area with the person, the posyandu and what
//! the rules found that day, oldest first (the one waiting longest on top); and moving a
//! referral one step on (dibuat → diterima → ditindaklanjuti → selesai) with a note,
//! audited by the store, refused when someone else moved it first.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use store::codes::ReferralStatus;
use store::{Actor, OrgUnitId, Person, PersonId, Referral, ReferralId, Store};

use crate::day::DayError;

/// One referral as the inbox shows it.
#[derive(Debug, Clone)]
pub struct InboxItem {
    pub referral: Referral,
    pub person: Person,
    /// The posyandu that referred.
    pub unit: String,
    /// Finding codes of the person on the day of the referral.
    pub findings: Vec<String>,
}

/// Which referrals: those still open (any status but `selesai`), or one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    Open,
    Status(ReferralStatus),
}

impl Filter {
    /// From the query string (`?status=diterima`); anything else is the open ones.
    pub fn parse(text: Option<&str>) -> Filter {
        text.and_then(ReferralStatus::from_code)
            .map_or(Filter::Open, Filter::Status)
    }

    pub fn code(self) -> &'static str {
        match self {
            Filter::Open => "",
            Filter::Status(s) => s.code(),
        }
    }
}

/// One page of an inbox, and how many referrals the whole list has.
#[derive(Debug, Clone)]
pub struct Inbox {
    pub total: usize,
    pub items: Vec<InboxItem>,
}

/// The inbox of `unit` (the user's own, usually), newest referral first (an inbox, like a
/// letter tray: what came in today on top; the waiting time is on each), `limit` from
/// `offset`.
pub async fn inbox(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    filter: Filter,
    offset: usize,
    limit: usize,
) -> Result<Inbox, DayError> {
    let status = match filter {
        Filter::Open => None,
        Filter::Status(s) => Some(s),
    };
    let mut referrals: Vec<Referral> = store
        .referrals_under(actor, unit, status)
        .await?
        .into_iter()
        .filter(|r| filter != Filter::Open || r.status != ReferralStatus::Completed)
        .collect();
    referrals.reverse();
    let total = referrals.len();
    let mut persons: HashMap<PersonId, (Person, Vec<store::Finding>)> = HashMap::new();
    let mut units: HashMap<OrgUnitId, String> = HashMap::new();
    let mut out = Vec::new();
    for r in referrals.into_iter().skip(offset).take(limit) {
        if let Entry::Vacant(slot) = persons.entry(r.person_id) {
            let p = store.person(actor, r.person_id).await?;
            let f = store.findings_of(actor, r.person_id).await?;
            slot.insert((p, f));
        }
        if let Entry::Vacant(slot) = units.entry(r.org_unit_id) {
            let name = store
                .org_unit(actor, r.org_unit_id)
                .await
                .map_or_else(|_| String::new(), |u| u.name);
            slot.insert(name);
        }
        let (person, findings) = &persons[&r.person_id];
        let mut codes: Vec<String> = findings
            .iter()
            .filter(|f| f.found_on == r.referred_on)
            .map(|f| f.code.clone())
            .collect();
        codes.dedup();
        out.push(InboxItem {
            person: person.clone(),
            unit: units[&r.org_unit_id].clone(),
            findings: codes,
            referral: r,
        });
    }
    Ok(Inbox { total, items: out })
}

/// Moves a referral on to `to`, the step after its status, as read at `version`.
pub async fn advance(
    store: &Store,
    actor: &Actor,
    id: ReferralId,
    version: i64,
    to: ReferralStatus,
    note: Option<&str>,
) -> Result<Referral, DayError> {
    // Scope first: another area's referral is not found, whatever else is wrong.
    store.referral(actor, id).await?;
    let mut tx = store.begin(actor).await?;
    let r = tx.advance_referral(id, version, to, note).await?;
    tx.commit().await?;
    Ok(r)
}
