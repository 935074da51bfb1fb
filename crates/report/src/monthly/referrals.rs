//! The referral facts of a month: each person registered in the unit and referred in the
//! month counts once in `dirujuk`, and in `rujukan_diterima` / `rujukan_ditindaklanjuti`
//! when one of their referrals of the month has come that far (its status when the report
//! is read: a referral made in October and accepted in November counts as accepted in
//! October's report from then on). A stunted balita referred counts in `stunting_dirujuk`.

use std::collections::HashMap;

use store::codes::ReferralStatus;
use store::{Person, PersonId, Referral};

use super::facts::PersonFacts;

/// How far a referral has come: 0 made, 1 accepted, 2 followed up or completed.
fn reached(s: ReferralStatus) -> u8 {
    match s {
        ReferralStatus::Created => 0,
        ReferralStatus::Accepted => 1,
        ReferralStatus::FollowedUp | ReferralStatus::Completed => 2,
    }
}

/// Adds the referral codes to `facts`: to the person's fact when they have one (a balita,
/// a pregnant woman, someone served), else as a fact of their own from `referred` (the
/// persons referred in the month). Persons in the order of their first referral.
pub fn add(facts: &mut Vec<PersonFacts>, referrals: &[Referral], referred: &[Person]) {
    // Indexed, not searched: a kabupaten's month has tens of thousands of facts.
    let mut order: Vec<(PersonId, u8)> = Vec::new();
    let mut at: HashMap<PersonId, usize> = HashMap::new();
    for r in referrals {
        let step = reached(r.status);
        match at.get(&r.person_id) {
            Some(&i) => order[i].1 = order[i].1.max(step),
            None => {
                at.insert(r.person_id, order.len());
                order.push((r.person_id, step));
            }
        }
    }
    let mut first: HashMap<PersonId, usize> = HashMap::new();
    for (i, f) in facts.iter().enumerate() {
        first.entry(f.person).or_insert(i);
    }
    let persons: HashMap<PersonId, &Person> = referred.iter().map(|p| (p.id, p)).collect();
    for (person, step) in order {
        let mut codes = vec!["dirujuk"];
        if step >= 1 {
            codes.push("rujukan_diterima");
        }
        if step >= 2 {
            codes.push("rujukan_ditindaklanjuti");
        }
        if let Some(&i) = first.get(&person) {
            let f = &mut facts[i];
            if f.counts("stunting") {
                codes.push("stunting_dirujuk");
            }
            f.codes.extend(codes);
        } else if let Some(p) = persons.get(&person) {
            facts.push(PersonFacts {
                person,
                unit: p.org_unit_id,
                sex: p.sex,
                band: None,
                codes,
            });
        }
    }
}
