//! The immunization card (Buku KIA "Catatan Imunisasi Anak", rules.md §9): every dose of
//! the national schedule with its state on a date. Built on
//! [`immunization_status`](crate::immunization::immunization_status), so the card, the
//! service day's offer and `posyandu screen` never disagree about what is due.

use time::Date;

use crate::age::Age;
use crate::immunization::{Dose, Vaccine, immunization_status};
use crate::settings::Settings;

/// A dose's state on the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoseState {
    /// Recorded, on its earliest recorded date.
    Given(Date),
    /// Open and past the overdue age (recommended age + 1 month, §9).
    Overdue,
    /// Open and at the recommended age.
    Due,
    /// Not yet: the child is younger than the recommended age, or the previous dose of the
    /// series was given less than the minimum interval ago.
    TooEarly,
    /// Never given and no longer offered at this age (`until`, §9): a catch-up is for the
    /// Puskesmas to decide.
    Missed,
}

impl DoseState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Given(_) => "given",
            Self::Overdue => "overdue",
            Self::Due => "due",
            Self::TooEarly => "too_early",
            Self::Missed => "missed",
        }
    }
}

/// One row of the card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CardRow {
    pub vaccine: Vaccine,
    pub state: DoseState,
}

/// The whole card on a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Card {
    /// The schedule's doses in table order; JE only where the kabupaten is endemic.
    pub rows: Vec<CardRow>,
    /// Imunisasi Dasar Lengkap by the first birthday (§9, setting `idl_set`).
    pub idl_complete: bool,
    /// Baduta (booster) doses complete by the second birthday (§9, setting `baduta_set`).
    pub baduta_complete: bool,
}

/// The card of a child born on `birth`, on `on`, with the doses recorded before or on it;
/// `None` when `on` is before the birth.
pub fn card(birth: Date, on: Date, doses: &[Dose], s: &Settings) -> Option<Card> {
    let doses: Vec<Dose> = doses.iter().filter(|d| d.date <= on).copied().collect();
    let status = immunization_status(birth, on, &doses, s)?;
    let age = Age::at(birth, on)?;
    let rows = Vaccine::all()
        .filter(|v| !v.entry().endemic_only || s.je_endemic)
        .map(|v| {
            let given = doses
                .iter()
                .filter(|d| d.vaccine == v)
                .map(|d| d.date)
                .min();
            let state = match given {
                Some(d) => DoseState::Given(d),
                None if status.overdue.contains(&v) => DoseState::Overdue,
                None if status.due.contains(&v) => DoseState::Due,
                None if v.entry().until.reached(age) => DoseState::Missed,
                None => DoseState::TooEarly,
            };
            CardRow { vaccine: v, state }
        })
        .collect();
    Some(Card {
        rows,
        idl_complete: status.idl_complete,
        baduta_complete: status.baduta_complete,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn state_of(c: &Card, code: &str) -> DoseState {
        c.rows
            .iter()
            .find(|r| r.vaccine.code() == code)
            .map(|r| r.state)
            .unwrap()
    }

    fn dose(code: &str, date: Date) -> Dose {
        Dose {
            vaccine: Vaccine::from_code(code).unwrap(),
            date,
        }
    }

    /// A child born 2026-01-10 seen on 2026-05-20 (4 months 10 days): birth doses given,
    /// DPT-HB-Hib 1 given at 2 months; the table gives each dose's state (§9: due at the
    /// recommended age, overdue a month later, HB0 closed after 7 days, RV after 6 months).
    #[test]
    fn each_dose_gets_its_state() {
        let birth = date!(2026 - 01 - 10);
        let doses = [
            dose("BCG", date!(2026 - 01 - 20)),
            dose("OPV1", date!(2026 - 01 - 20)),
            dose("DPT_HB_HIB1", date!(2026 - 03 - 12)),
            // A dose recorded after the card's date is not on it yet.
            dose("OPV2", date!(2026 - 06 - 01)),
        ];
        let c = card(birth, date!(2026 - 05 - 20), &doses, &Settings::default()).unwrap();
        let cases = [
            ("HB0", DoseState::Missed),
            ("BCG", DoseState::Given(date!(2026 - 01 - 20))),
            ("OPV1", DoseState::Given(date!(2026 - 01 - 20))),
            ("DPT_HB_HIB1", DoseState::Given(date!(2026 - 03 - 12))),
            // 2-month doses never given: overdue from 3 months.
            ("OPV2", DoseState::Overdue),
            ("PCV1", DoseState::Overdue),
            ("RV1", DoseState::Overdue),
            // Its previous dose was given 69 days ago (≥ 28): open, and past 4 months.
            ("DPT_HB_HIB2", DoseState::Overdue),
            // Waiting for OPV2 (not given): not offered yet.
            ("OPV3", DoseState::TooEarly),
            ("MR1", DoseState::TooEarly),
        ];
        for (code, want) in cases {
            assert_eq!(state_of(&c, code), want, "{code}");
        }
        assert!(!c.idl_complete && !c.baduta_complete);
        assert!(
            c.rows.iter().all(|r| !r.vaccine.entry().endemic_only),
            "JE only where endemic"
        );
        let endemic = Settings {
            je_endemic: true,
            ..Settings::default()
        };
        let c2 = card(birth, date!(2026 - 05 - 20), &doses, &endemic).unwrap();
        assert!(c2.rows.len() > c.rows.len());
    }

    /// The card agrees with the status `screen` uses (given the doses recorded by then):
    /// every due or overdue dose of the status is on the card as such, for every day of
    /// the first two years.
    #[test]
    fn the_card_says_what_the_status_says() {
        let birth = date!(2025 - 03 - 01);
        let doses = [
            dose("HB0", birth),
            dose("BCG", date!(2025 - 03 - 20)),
            dose("DPT_HB_HIB1", date!(2025 - 05 - 05)),
        ];
        let s = Settings::default();
        let mut on = birth;
        while on < date!(2027 - 03 - 01) {
            let known: Vec<Dose> = doses.iter().filter(|d| d.date <= on).copied().collect();
            let st = immunization_status(birth, on, &known, &s).unwrap();
            let c = card(birth, on, &doses, &s).unwrap();
            for r in &c.rows {
                let want = st.overdue.contains(&r.vaccine) || st.due.contains(&r.vaccine);
                let got = matches!(r.state, DoseState::Due | DoseState::Overdue);
                assert_eq!(got, want, "{} on {on}", r.vaccine.code());
            }
            assert_eq!(c.idl_complete, st.idl_complete);
            on = on.next_day().unwrap();
        }
    }

    #[test]
    fn no_card_before_birth() {
        let birth = date!(2026 - 01 - 10);
        assert!(card(birth, date!(2026 - 01 - 09), &[], &Settings::default()).is_none());
    }
}
