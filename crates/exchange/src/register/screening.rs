//! What a capture computes for a weighing, for imported rows: WHO z-scores, the KMS status
//! (N/T/2T/O/B, BGM, from the earlier weighings) and every finding, all by `domain::screen`
//! — the same engine the demo's findings and `posyandu screen` use, so the stored findings of
//! an imported child are what `screen` says about the same visit.
//!
//! Pure: the caller passes the person as stored, the day's measurements and the earlier
//! weighings (from the store); nothing here reads a clock or a database.

use domain::{Measurements, Position, Settings, Visit, Weighing};
use store::model::{MeasurementKind, Sex};
use time::Date;

/// One finding of a weighing: rule code and the detail stored with it.
#[derive(Clone, Debug, PartialEq)]
pub struct DayFinding {
    pub code: &'static str,
    /// The rule's label and the visit's z-scores (`Pendek (stunted); zlen -2.31 zwei -1.02`).
    pub detail: String,
}

fn domain_sex(s: Sex) -> domain::Sex {
    match s {
        Sex::Male => domain::Sex::Male,
        Sex::Female => domain::Sex::Female,
    }
}

/// The measurements of one day as the rules read them; kinds the rules of a weighing do not
/// use are ignored. Length (lying) wins over height when both are present.
pub fn day_measurements(ms: impl IntoIterator<Item = (MeasurementKind, f64)>) -> Measurements {
    let mut m = Measurements::default();
    for (kind, v) in ms {
        match kind {
            MeasurementKind::Weight => m.weight_kg = Some(v),
            MeasurementKind::Length => {
                m.lenhei_cm = Some(v);
                m.measure = Some(Position::Lying);
            }
            MeasurementKind::Height if m.measure != Some(Position::Lying) => {
                m.lenhei_cm = Some(v);
                m.measure = Some(Position::Standing);
            }
            MeasurementKind::HeadCircumference => m.head_cm = Some(v),
            MeasurementKind::ArmCircumference => m.muac_cm = Some(v),
            _ => {}
        }
    }
    m
}

/// The KMS history before `date`: one weight per earlier day, implausible ones left out (as
/// a kader leaves them off the card), oldest first. `weights` are (day, kg, implausible).
pub fn kms_history(
    weights: impl IntoIterator<Item = (Date, f64, bool)>,
    date: Date,
) -> Vec<Weighing> {
    let mut h: Vec<Weighing> = weights
        .into_iter()
        .filter(|(d, _, implausible)| *d < date && !implausible)
        .map(|(d, w, _)| Weighing {
            date: d,
            weight_kg: w,
        })
        .collect();
    h.sort_by_key(|w| w.date);
    h.dedup_by_key(|w| w.date);
    h
}

/// Screens one weighing of a person (as stored: `sex`, `birth`) with the default settings.
/// `None` when the dates give no age.
pub fn screen_day(
    sex: Sex,
    birth: Date,
    date: Date,
    measurements: Measurements,
    history: Vec<Weighing>,
) -> Option<domain::Screening> {
    let mut v = Visit::new(Some(domain_sex(sex)), birth, date);
    v.measurements = measurements;
    v.previous_weighings = Some(history);
    domain::screen(&v, &Settings::default())
}

/// The z-scores of a screening, as stored with each finding (`zlen -2.31 zwei -1.02`; a
/// flagged one is marked `!`).
pub fn zscore_summary(s: &domain::Screening) -> String {
    s.zscores
        .named()
        .iter()
        .filter_map(|(name, z, _)| {
            z.map(|z| format!("{name} {:.2}{}", z.z, if z.implausible { "!" } else { "" }))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The findings to store for a screening, each with its label and the z-scores.
pub fn day_findings(s: &domain::Screening) -> Vec<DayFinding> {
    let z = zscore_summary(s);
    s.findings
        .iter()
        .map(|rule| DayFinding {
            code: rule.code,
            detail: if z.is_empty() {
                rule.label.to_owned()
            } else {
                format!("{}; {z}", rule.label)
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn weighing(
        sex: Sex,
        birth: Date,
        date: Date,
        kg: f64,
        cm: f64,
        h: &[(Date, f64, bool)],
    ) -> Vec<&'static str> {
        let m = day_measurements([(MeasurementKind::Weight, kg), (MeasurementKind::Length, cm)]);
        let s = screen_day(sex, birth, date, m, kms_history(h.iter().copied(), date));
        s.map(|s| day_findings(&s).iter().map(|f| f.code).collect())
            .unwrap_or_default()
    }

    #[test]
    fn kms_status_comes_from_the_earlier_weighings() {
        let birth = date!(2024 - 01 - 10);
        let first = weighing(Sex::Female, birth, date!(2025 - 01 - 10), 8.5, 73.0, &[]);
        assert!(first.contains(&"kms_b"), "{first:?}");
        let h = [(date!(2025 - 01 - 10), 8.5, false)];
        let second = weighing(Sex::Female, birth, date!(2025 - 02 - 10), 8.5, 73.5, &h);
        assert!(second.contains(&"kms_t"), "{second:?}");
        // An implausible earlier weight is left off the card: the child counts as new.
        let h = [(date!(2025 - 01 - 10), 8.5, true)];
        let again = weighing(Sex::Female, birth, date!(2025 - 02 - 10), 8.5, 73.5, &h);
        assert!(!again.contains(&"kms_t"), "{again:?}");
    }

    #[test]
    fn details_carry_the_label_and_the_zscores() {
        let birth = date!(2024 - 01 - 10);
        let m = day_measurements([
            (MeasurementKind::Weight, 7.6),
            (MeasurementKind::Length, 68.0),
        ]);
        let s = screen_day(Sex::Female, birth, date!(2025 - 01 - 10), m, Vec::new());
        let f = s.as_ref().map(day_findings).unwrap_or_default();
        let stunted = f.iter().find(|x| x.code.starts_with("lfa_"));
        let detail = stunted.map(|x| x.detail.clone()).unwrap_or_default();
        assert!(detail.contains("zlen -"), "{f:?}");
        assert!(detail.contains("zwei "), "{f:?}");
    }

    #[test]
    fn a_lying_length_wins_over_a_height_of_the_same_day() {
        let m = day_measurements([
            (MeasurementKind::Length, 70.0),
            (MeasurementKind::Height, 69.0),
        ]);
        assert_eq!(
            (m.lenhei_cm, m.measure),
            (Some(70.0), Some(Position::Lying))
        );
    }
}
