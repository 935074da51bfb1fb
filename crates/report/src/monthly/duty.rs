//! Kader on duty: the kader named on a posyandu's service days in the month (the F5
//! register's "kader hadir", exchange.md §3 S). Opening a day asks for the kader on duty
//! (`Kader bertugas`, required, stored as the day's note), typed by one kader for all of
//! them: most kader of a posyandu have no account, so who recorded the visits would count
//! only the one with the phone. A kader is counted once per posyandu a month, so a unit's
//! count is the sum of its posyandu's, like every other count.

use std::collections::{HashMap, HashSet};

use store::{Actor, OrgUnitId, Store, StoreError};
use time::Date;

use super::numbers::Numbers;

/// The count indicator.
pub const CODE: &str = "kader_bertugas";

/// One kader on duty at one posyandu in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    /// The posyandu (the service day's unit).
    pub unit: OrgUnitId,
    /// The name as first written in the month.
    pub name: String,
}

/// The names in a "Kader bertugas" note: split at commas, semicolons, slashes, `&`, `+`,
/// line breaks and the word "dan" (`Sari, Rina dan Wati`), spaces collapsed. Titles are
/// kept as written ("Bu Sari" and "Sari" stay two names): guessing who is who is not ours.
pub fn names(note: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in note.split([',', ';', '/', '&', '+', '\n']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        for name in words.split(|w| w.eq_ignore_ascii_case("dan")) {
            if !name.is_empty() {
                out.push(name.join(" "));
            }
        }
    }
    out
}

/// How two spellings of a name compare: case aside ([`names`] has collapsed the spaces).
fn key(name: &str) -> String {
    name.to_lowercase()
}

/// Each (posyandu, name) of the notes once, in the notes' order.
pub fn of_notes(notes: &[(OrgUnitId, String)]) -> Vec<Duty> {
    let mut seen: HashSet<(OrgUnitId, String)> = HashSet::new();
    let mut out = Vec::new();
    for (unit, note) in notes {
        for name in names(note) {
            if seen.insert((*unit, key(&name))) {
                out.push(Duty { unit: *unit, name });
            }
        }
    }
    out
}

/// The kader on duty under `unit` in `[from, to)`.
pub async fn duties(
    store: &Store,
    actor: &Actor,
    unit: OrgUnitId,
    (from, to): (Date, Date),
) -> Result<Vec<Duty>, StoreError> {
    let notes = store.service_day_notes(actor, unit, from, to).await?;
    Ok(of_notes(&notes))
}

/// Adds each duty to its posyandu's numbers.
pub fn count(by_unit: &mut HashMap<OrgUnitId, Numbers>, duties: &[Duty]) {
    for d in duties {
        by_unit.entry(d.unit).or_default().count_one(CODE);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_split_as_kader_write_them() {
        let cases: &[(&str, &[&str])] = &[
            ("Sari", &["Sari"]),
            ("Sari, Rina dan Wati", &["Sari", "Rina", "Wati"]),
            (
                "Bu Sari; Bu  Rina / Tini & Yuli",
                &["Bu Sari", "Bu Rina", "Tini", "Yuli"],
            ),
            ("Sari\nRina + Wati", &["Sari", "Rina", "Wati"]),
            ("Sari DAN Dani", &["Sari", "Dani"]),
            ("Daniati, Handayani", &["Daniati", "Handayani"]),
            (" , ;", &[]),
        ];
        for (note, want) in cases {
            assert_eq!(names(note), *want, "{note:?}");
        }
    }

    #[test]
    fn a_kader_counts_once_per_posyandu() {
        let (a, b) = (OrgUnitId::new(), OrgUnitId::new());
        let notes = vec![
            (a, "Sari, Rina".to_owned()),
            (a, "sari dan Wati".to_owned()),
            (b, "Sari".to_owned()),
        ];
        let d = of_notes(&notes);
        let got: Vec<(OrgUnitId, &str)> = d.iter().map(|d| (d.unit, d.name.as_str())).collect();
        assert_eq!(got, [(a, "Sari"), (a, "Rina"), (a, "Wati"), (b, "Sari")]);
    }
}
