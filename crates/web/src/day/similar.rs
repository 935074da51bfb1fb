//! "Is this person already registered?" at the registration table.
//!
//! Similar = the **same birth date**, registered **in the same desa** (any posyandu of it),
//! and a **similar name**: both names normalised (lower case, letters and digits only,
//! spaces collapsed) and then either one contains the other as whole words ("Siti" and
//! "Siti Aminah") or their Jaro–Winkler similarity is at least [`MIN_JARO_WINKLER`]
//! ("Muhamad Rizki" and "Muhammad Rizky": 0.96). Jaro–Winkler suits short personal names
//! with spelling variants and weighs the start of the name most, where Indonesian names
//! vary least.
//!
//! The check looks beyond the kader's posyandu on purpose (a child weighed at two posyandu
//! of one desa is counted twice otherwise), but shows a person outside the kader's scope
//! only by the posyandu's name, never their details.

use serde::Serialize;
use store::{Actor, OrgLevel, OrgUnit, PersonId, Store};
use time::Date;

use super::DayError;

/// Jaro–Winkler threshold for "similar names" (chosen: spelling variants of one name score
/// 0.9–0.98, different names with the same start about 0.7–0.85).
pub const MIN_JARO_WINKLER: f64 = 0.9;

/// A registered person who may be the one at the table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Similar {
    pub id: PersonId,
    /// `None` when the person is outside the user's scope (only the unit is shown).
    pub name: Option<String>,
    pub unit_name: String,
    pub score: f64,
}

/// Lower case, letters and digits only, single spaces.
pub fn normalise(name: &str) -> String {
    name.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The similarity of two names in 0–1 (1 = one contains the other as whole words).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalise(a), normalise(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let words = |s: &str| s.split(' ').map(str::to_owned).collect::<Vec<_>>();
    let (wa, wb) = (words(&a), words(&b));
    let contains = |x: &[String], y: &[String]| y.windows(x.len()).any(|w| w == x);
    if contains(&wa, &wb) || contains(&wb, &wa) {
        return 1.0;
    }
    strsim::jaro_winkler(&a, &b)
}

/// The desa of a posyandu (its parent), or the unit itself when it has no desa above it.
async fn desa_of(store: &Store, unit: &OrgUnit) -> Result<OrgUnit, DayError> {
    let system = Actor::system("similar-person-check");
    match unit.parent_id {
        Some(parent) if unit.level != OrgLevel::Village => {
            let p = store.org_unit(&system, parent).await?;
            Ok(if p.level == OrgLevel::Village {
                p
            } else {
                unit.clone()
            })
        }
        _ => Ok(unit.clone()),
    }
}

/// Registered persons born on `birth` in the desa of `unit` with a name similar to `name`,
/// most similar first.
pub async fn find(
    store: &Store,
    actor: &Actor,
    unit: &OrgUnit,
    name: &str,
    birth: Date,
) -> Result<Vec<Similar>, DayError> {
    let desa = desa_of(store, unit).await?;
    let system = Actor::system("similar-person-check");
    let mut out = Vec::new();
    for p in store.persons_born_on(&system, desa.id, birth).await? {
        let score = similarity(name, &p.name);
        if score < MIN_JARO_WINKLER {
            continue;
        }
        let inside = actor.can_see(&p.org_path);
        let unit_name = store.org_unit(&system, p.org_unit_id).await?.name;
        out.push(Similar {
            id: p.id,
            name: inside.then(|| p.name.clone()),
            unit_name,
            score,
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_variants_are_similar_and_different_names_are_not() {
        assert_eq!(normalise("  Siti  AMINAH, S.Pd "), "siti aminah s pd");
        assert_eq!(similarity("Siti", "Siti Aminah"), 1.0);
        assert!(similarity("Muhamad Rizki", "Muhammad Rizky") >= MIN_JARO_WINKLER);
        assert!(similarity("Nur Aini", "Nur Aeni") >= MIN_JARO_WINKLER);
        assert!(similarity("Budi Santoso", "Bayu Saputra") < MIN_JARO_WINKLER);
        assert!(similarity("Dewi", "Dian") < MIN_JARO_WINKLER);
        assert_eq!(similarity("", "Dewi"), 0.0);
    }
}
