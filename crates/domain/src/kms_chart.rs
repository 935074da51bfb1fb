//! The geometry of the KMS weight-for-age chart (Kartu Menuju Sehat in the Buku KIA): the
//! WHO 2006 curves the card draws, computed exactly (`growth::value_at_z`, the inverse of
//! the z-score, restricted beyond ±3 SD as WHO does), and the child's weighings with each
//! month's KMS mark. Pure: the web crate draws it as SVG.
//!
//! Lines and bands (domain.md §3.2): the red line is −3 SD (BGM, "bawah garis merah") and
//! the orange line +1 SD in the current KMS; −2 SD bounds "berat badan kurang" (Permenkes
//! 2/2020). domain.md marks the red/orange placement as unverified [U] against the 2021
//! Juknis KMS; they are the constants below, so a check against the printed card changes
//! one line.

use time::Date;

use crate::age::days_between;
use crate::visit::Sex;

/// The z-lines the card draws, bottom to top: −3 (red line), −2, 0 (median), +1 (orange
/// line), +2, +3.
pub const LINES: [f64; 6] = [-3.0, -2.0, 0.0, 1.0, 2.0, 3.0];

/// Days per month in WHO's tables (365.25 / 12).
const DAYS_PER_MONTH: f64 = 30.4375;

/// A mark of one weighing, from the KMS findings of that day (rules.md §2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Naik: gained at least the KBM.
    N,
    /// Tidak naik (or 2T).
    T,
    /// Below the red line.
    Bgm,
    /// First weighing (B), not weighed last month (O), or no mark.
    Other,
}

/// One weighing on the chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    /// Age in months (fractional, from days).
    pub month: f64,
    pub kg: f64,
    pub mark: Mark,
}

/// One z-line: `(month, kg)` at every whole month of the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub z: f64,
    pub points: Vec<(f64, f64)>,
}

/// Everything the card shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub sex: Sex,
    /// The months shown: 0–24 for a baby, then by whole years up to 60.
    pub max_month: u32,
    /// The y-axis, kg (0 to a whole number above the +3 SD line).
    pub max_kg: f64,
    pub lines: Vec<Line>,
    pub points: Vec<Point>,
}

/// The card of a child of `sex` born on `birth`, with `(date, kg, mark)` weighings (any
/// order; those after 60 months or before birth are left off the card), as on `today`.
pub fn weight_for_age(
    sex: Sex,
    birth: Date,
    today: Date,
    weighings: &[(Date, f64, Mark)],
) -> Chart {
    let month_of = |d: Date| days_between(birth, d) as f64 / DAYS_PER_MONTH;
    let mut points: Vec<Point> = weighings
        .iter()
        .map(|(d, kg, mark)| Point {
            month: month_of(*d),
            kg: *kg,
            mark: *mark,
        })
        .filter(|p| (0.0..=60.0).contains(&p.month) && p.kg.is_finite() && p.kg > 0.0)
        .collect();
    points.sort_by(|a, b| a.month.total_cmp(&b.month));
    let age = month_of(today).max(points.last().map_or(0.0, |p| p.month));
    let max_month = if age <= 24.0 {
        24
    } else {
        ((age / 12.0).ceil() as u32 * 12).min(60)
    };
    let g = sex.to_growth();
    let lines: Vec<Line> = LINES
        .iter()
        .map(|&z| Line {
            z,
            points: (0..=max_month)
                .filter_map(|m| {
                    let days = (f64::from(m) * DAYS_PER_MONTH).round();
                    growth::value_at_z(growth::Indicator::WeightForAge, g, days, z)
                        .map(|kg| (f64::from(m), kg))
                })
                .collect(),
        })
        .collect();
    let top = lines
        .last()
        .and_then(|l| l.points.last())
        .map_or(20.0, |p| p.1)
        .max(points.iter().map(|p| p.kg).fold(0.0, f64::max));
    Chart {
        sex,
        max_month,
        max_kg: (top + 1.0).ceil(),
        lines,
        points,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn at(line: &Line, month: f64) -> f64 {
        line.points.iter().find(|p| p.0 == month).unwrap().1
    }

    /// The median line is WHO's M (weight-for-age, day 365: boys 9.646 kg, girls 8.9462 kg,
    /// `who2006_weight_for_age.csv`), the lines are ordered at every month, and the ranges
    /// follow the child's age.
    #[test]
    fn the_lines_are_who_s_and_the_range_fits_the_child() {
        let birth = date!(2025 - 01 - 01);
        let today = date!(2025 - 12 - 01);
        let boy = weight_for_age(Sex::Male, birth, today, &[]);
        let girl = weight_for_age(Sex::Female, birth, today, &[]);
        let median = |c: &Chart| c.lines.iter().find(|l| l.z == 0.0).cloned().unwrap();
        // Month 12 is day 365 (12 × 30.4375 = 365.25, rounded).
        assert!((at(&median(&boy), 12.0) - 9.646).abs() < 1e-9);
        assert!((at(&median(&girl), 12.0) - 8.9462).abs() < 1e-9);
        for c in [&boy, &girl] {
            assert_eq!(c.max_month, 24, "a baby: the first two years");
            assert_eq!(c.lines.len(), LINES.len());
            for m in 0..=c.max_month {
                let ys: Vec<f64> = c.lines.iter().map(|l| at(l, f64::from(m))).collect();
                assert!(ys.windows(2).all(|w| w[0] < w[1]), "ordered at {m}: {ys:?}");
            }
            assert!(c.max_kg > at(c.lines.last().unwrap(), 24.0));
        }
        let older = weight_for_age(Sex::Male, birth, date!(2027 - 03 - 01), &[]);
        assert_eq!(older.max_month, 36);
        let oldest = weight_for_age(Sex::Male, birth, date!(2032 - 01 - 01), &[]);
        assert_eq!(oldest.max_month, 60, "never past the KMS's five years");
    }

    #[test]
    fn weighings_become_points_in_order_and_out_of_range_ones_are_left_off() {
        let birth = date!(2026 - 01 - 01);
        let w = [
            (date!(2026 - 03 - 02), 5.2, Mark::N),
            (date!(2026 - 02 - 01), 4.4, Mark::Other),
            (date!(2025 - 12 - 01), 3.0, Mark::Other),
            (date!(2026 - 04 - 01), 5.1, Mark::T),
        ];
        let c = weight_for_age(Sex::Female, birth, date!(2026 - 04 - 10), &w);
        let got: Vec<(i64, f64, Mark)> = c
            .points
            .iter()
            .map(|p| ((p.month * 10.0).round() as i64, p.kg, p.mark))
            .collect();
        assert_eq!(
            got,
            [
                (10, 4.4, Mark::Other),
                (20, 5.2, Mark::N),
                (30, 5.1, Mark::T)
            ],
            "by age, the one before birth left off"
        );
    }
}
