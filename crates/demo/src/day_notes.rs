//! What a demo service day notes beyond the generator's rows: the kader on duty typed when
//! the day opens, and the Buku KIA a balita shows in step 4. Both are read off stable ids,
//! not the generator's random streams, so every other number of the region stays as it was.

use serde_json::{Map, Value};
use store::model::{Capture, NewScreening};
use store::{OrgUnitId, PersonId, ScreeningId, VisitId};

use crate::model::{Kind, Region};
use crate::to_store::captured_at;

/// The "Kader bertugas" a demo service day notes, as a kader types it ("Sumiati, Sri dan
/// Painem"): the post's kader with the account first (she opens the day), then two to four
/// of the post's four other kader. Who is read off the day's and the post's stable ids,
/// not the generator's streams, so every other number stays as it was.
pub(crate) fn duty_note(roster: &uuid::Uuid, day: &uuid::Uuid, account: Option<&str>) -> String {
    let pool = crate::name_lists::JAVANESE.older_f;
    let mut others: Vec<&str> = Vec::new();
    for b in roster.as_bytes() {
        let name = pool[usize::from(*b) % pool.len()];
        if others.len() < 4 && !others.contains(&name) && Some(name) != account {
            others.push(name);
        }
    }
    let day = day.as_bytes();
    let n = (2 + usize::from(day[0]) % 3).min(others.len());
    let start = usize::from(day[1]);
    let mut names: Vec<&str> = account.into_iter().collect();
    names.extend((0..n).filter_map(|k| others.get((start + k) % others.len()).copied()));
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} dan {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_owned(),
        None => String::new(),
    }
}

/// The demo's share of balita with a Buku KIA: 235/256 ≈ 92 %, a demo choice (an active
/// posyandu hands the book out at birth or the first weighing), not a survey figure.
const KIA_BOOK_PER_256: u8 = 235;

/// Of the balita, [`KIA_BOOK_PER_256`] in 256 show a Buku KIA/KMS at their first weighing
/// of the period: a `LAYANAN` answer `buku_kia` (K of SKDN). Who does is read off the
/// person's stable id, not the generator's streams, so every other number stays as it was.
pub(crate) fn kia_books(
    region: &Region,
    id: &impl Fn(&str, usize) -> uuid::Uuid,
    person_id: &impl Fn(usize) -> PersonId,
    unit_id: &impl Fn(usize) -> OrgUnitId,
    service_unit: &[usize],
    captures: &mut Vec<Capture>,
) {
    let mut shown = vec![false; region.persons.len()];
    for (i, v) in region.visits.iter().enumerate() {
        let p = &region.persons[v.person];
        let age = (v.date - p.birth_date).whole_days();
        let weighed = v.measurements.iter().any(|(k, _)| *k == Kind::WeightKg);
        if shown[v.person] || !weighed || !(0..=1826).contains(&age) {
            continue;
        }
        shown[v.person] = true;
        if id("kia", v.person).as_bytes()[0] >= KIA_BOOK_PER_256 {
            continue;
        }
        let mut answers = Map::new();
        answers.insert("buku_kia".to_owned(), Value::Bool(true));
        captures.push(Capture::Screening(NewScreening {
            id: ScreeningId(id("layanan", i)),
            person_id: person_id(v.person),
            visit_id: Some(VisitId(id("visit", i))),
            org_unit_id: unit_id(v.service_day.map_or(p.unit, |s| service_unit[s])),
            answered_on: v.date,
            questionnaire: "LAYANAN".to_owned(),
            answers,
            score: None,
            captured_at: captured_at(v.date),
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_names_its_account_first_then_two_to_four_kader() {
        for i in 0..50u8 {
            let roster = uuid::Uuid::from_bytes(std::array::from_fn(|k| {
                i.wrapping_mul(37).wrapping_add(k as u8 % 3)
            }));
            let day = uuid::Uuid::from_bytes(std::array::from_fn(|k| i.wrapping_add(k as u8)));
            let note = duty_note(&roster, &day, Some("Dewi Lestari"));
            assert!(note.starts_with("Dewi Lestari"), "{note}");
            let names: Vec<&str> = note.split([',']).flat_map(|p| p.split(" dan ")).collect();
            assert!((2..=5).contains(&names.len()), "{note}");
            let unique: std::collections::HashSet<&str> = names.iter().map(|n| n.trim()).collect();
            assert_eq!(unique.len(), names.len(), "{note}");
        }
        let alone = duty_note(&uuid::Uuid::from_bytes([5; 16]), &uuid::Uuid::nil(), None);
        assert!(!alone.is_empty() && !alone.starts_with(','), "{alone}");
    }
}
