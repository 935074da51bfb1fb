//! KMS growth monitoring: N / T / 2T / O / B, BGM and weight faltering (rules.md §2).
//!
//! N/T follow Buku KIA 2023 (domain §3.2 C): the gain since last month's weighing against
//! the minimum weight gain (KBM) for the age. O and B are the field reporting codes
//! (§3.2 S), 2T is two consecutive T (§3.2 S), BGM is a WAZ proxy for the red line (§3.2 U).

use time::Date;

use crate::age::{Age, completed_months, days_between, previous_month};
use crate::anthro::{Z, waz_at};
use crate::catalogue::{self as cat, Findings};
use crate::settings::{KbmBand300, Settings};
use crate::visit::{Sex, Weighing};

/// Kenaikan berat badan minimal (g) by completed months at the later weighing.
/// Months 1–6 from Buku KIA 2023 (§3.2 C); month 3 and the 300/200 g band edges are
/// settings (§3.2 U, domain §10 #1). Under 1 month there is no KBM (no N/T).
pub fn kbm_g(age_months: i64, s: &Settings) -> Option<i64> {
    let last_300 = match s.kbm_band_300 {
        KbmBand300::Months7To10 => 10,
        KbmBand300::Months7To11 => 11,
    };
    Some(match age_months {
        ..=0 => return None,
        1 => 800,
        2 => 900,
        3 => i64::from(s.kbm_month3_g),
        4 => 600,
        5 => 500,
        6 => 400,
        m if m <= last_300 => 300,
        _ => 200,
    })
}

/// Gain in whole grams, rounded half away from zero (rules.md §2). The difference is first
/// snapped to a billionth of a gram so that binary noise (8.0005 − 8.0 = 0.49999… g, an
/// error under 1e-10 g for weights ≤ 300 kg) does not decide a decimal half, while a real
/// decimal difference (8.0004999999 − 8.0 = 0.4999999 g) still rounds down.
pub fn gain_g(later_kg: f64, earlier_kg: f64) -> i64 {
    let grams = (later_kg - earlier_kg) * 1000.0;
    ((grams * 1e9).round() / 1e9).round() as i64
}

/// The latest weighing dated in the calendar month before `d`'s month. rules.md does not
/// say which of two entries on the same day counts: the one later in the list (the
/// re-weighing) does, here and for weight faltering's *p*.
fn latest_in_month_before(history: &[Weighing], d: Date) -> Option<Weighing> {
    let (y, m) = previous_month(d.year(), d.month());
    history
        .iter()
        .filter(|w| w.date.year() == y && w.date.month() == m)
        .copied()
        .reduce(|a, b| if b.date >= a.date { b } else { a })
}

/// Whether the weighing `later` (at `later_date`) is T against the latest weighing of the
/// month before: `None` when there is no such pair (O, or under one completed month).
fn is_t(
    birth: Date,
    later_date: Date,
    later_kg: f64,
    history: &[Weighing],
    s: &Settings,
) -> Option<bool> {
    let earlier = latest_in_month_before(history, later_date)?;
    let kbm = kbm_g(completed_months(days_between(birth, later_date)), s)?;
    Some(gain_g(later_kg, earlier.weight_kg) < kbm)
}

/// KMS status codes for a balita weighed today (rules.md §2). `history` `None` means the
/// history is unknown: no B/O/N/T/2T.
pub fn kms_rules(
    birth: Date,
    visit: Date,
    weight_today: f64,
    history: Option<&[Weighing]>,
    s: &Settings,
    out: &mut Findings,
) {
    let Some(history) = history else { return };
    if history.is_empty() {
        out.push(&cat::KMS_B);
        return;
    }
    let Some(last) = latest_in_month_before(history, visit) else {
        out.push(&cat::KMS_O);
        return;
    };
    match is_t(birth, visit, weight_today, history, s) {
        Some(false) => out.push(&cat::KMS_N),
        Some(true) => {
            out.push(&cat::KMS_T);
            if is_t(birth, last.date, last.weight_kg, history, s) == Some(true) {
                out.push(&cat::KMS_2T);
            }
        }
        None => {}
    }
}

/// BGM: WAZ below the red line, read as `zwei < bgm_waz` (−3; §3.2 U).
pub fn bgm_rule(zwei: Option<Z>, s: &Settings, out: &mut Findings) {
    if Z::usable(zwei).is_some_and(|v| v < s.bgm_waz) {
        out.push(&cat::KMS_BGM);
    }
}

/// Weight faltering proxy (rules.md §2): a WAZ fall of at least 0.68 (more than 0.67 SD,
/// one major centile space) since the latest weighing 21–92 days ago, to 730 days of age.
/// Kemenkes defines faltering as gain < P5 of the WHO increment tables (§3.1 C), which are
/// not shipped yet.
pub fn weight_faltering_rule(
    sex: Sex,
    birth: Date,
    visit: Date,
    age: Age,
    zwei_today: Option<Z>,
    history: Option<&[Weighing]>,
    out: &mut Findings,
) {
    if age.days > 730 {
        return;
    }
    let (Some(today), Some(history)) = (Z::usable(zwei_today), history) else {
        return;
    };
    let p = history
        .iter()
        .filter(|w| (21..=92).contains(&days_between(w.date, visit)))
        .copied()
        .reduce(|a, b| if b.date >= a.date { b } else { a });
    let Some(p) = p else { return };
    let Some(then) = Z::usable(waz_at(sex, days_between(birth, p.date), p.weight_kg)) else {
        return;
    };
    let hundredths = |z: f64| (z * 100.0).round() as i64;
    if hundredths(today) - hundredths(then) <= -68 {
        out.push(&cat::WEIGHT_FALTERING);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn kbm_table_and_settings() {
        let s = Settings::default();
        let want = [
            (0, None),
            (1, Some(800)),
            (2, Some(900)),
            (3, Some(800)),
            (4, Some(600)),
            (5, Some(500)),
            (6, Some(400)),
            (7, Some(300)),
            (10, Some(300)),
            (11, Some(200)),
            (24, Some(200)),
            (59, Some(200)),
        ];
        for (m, g) in want {
            assert_eq!(kbm_g(m, &s), g, "month {m}");
        }
        let mut alt = Settings::default();
        alt.apply("kbm_month3_g=600").unwrap();
        alt.apply("kbm_band_300=7-11").unwrap();
        assert_eq!(kbm_g(3, &alt), Some(600));
        assert_eq!(kbm_g(11, &alt), Some(300));
        assert_eq!(kbm_g(12, &alt), Some(200));
    }

    #[test]
    fn gain_rounds_half_away_from_zero() {
        assert_eq!(gain_g(8.2, 8.0), 200);
        assert_eq!(gain_g(8.0005, 8.0), 1);
        assert_eq!(gain_g(8.0004999999, 8.0), 0);
        assert_eq!(gain_g(299.9995, 299.999), 1);
        assert_eq!(gain_g(7.9995, 8.0), -1);
        assert_eq!(gain_g(8.0, 8.2), -200);
    }

    fn run(visit: Date, w: f64, hist: Option<Vec<(Date, f64)>>) -> Vec<&'static str> {
        let birth = date!(2024 - 01 - 15);
        let h: Option<Vec<Weighing>> = hist.map(|v| {
            v.into_iter()
                .map(|(date, weight_kg)| Weighing { date, weight_kg })
                .collect()
        });
        let mut f = Findings::default();
        kms_rules(birth, visit, w, h.as_deref(), &Settings::default(), &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    #[test]
    fn b_o_n_t_2t() {
        let v = date!(2025 - 03 - 10); // 13 completed months: KBM 200 g
        assert!(run(v, 9.0, None).is_empty());
        assert_eq!(run(v, 9.0, Some(vec![])), ["kms_b"]);
        // Only this month's and older entries: O.
        assert_eq!(
            run(
                v,
                9.0,
                Some(vec![
                    (date!(2025 - 03 - 01), 8.9),
                    (date!(2025 - 01 - 10), 8.0)
                ])
            ),
            ["kms_o"]
        );
        let feb = date!(2025 - 02 - 10);
        assert_eq!(run(v, 9.2, Some(vec![(feb, 9.0)])), ["kms_n"]);
        assert_eq!(run(v, 9.199, Some(vec![(feb, 9.0)])), ["kms_t"]);
        assert_eq!(run(v, 9.201, Some(vec![(feb, 9.0)])), ["kms_n"]);
        // Latest entry of February decides.
        assert_eq!(
            run(v, 9.2, Some(vec![(date!(2025 - 02 - 28), 9.1), (feb, 9.0)])),
            ["kms_t"]
        );
        // February T against January (12 months at Feb 10: KBM 200) → 2T.
        let jan = date!(2025 - 01 - 10);
        assert_eq!(
            run(v, 9.0, Some(vec![(feb, 9.0), (jan, 8.9)])),
            ["kms_2t", "kms_t"]
        );
        // February was N → only T.
        assert_eq!(run(v, 9.0, Some(vec![(feb, 9.0), (jan, 8.8)])), ["kms_t"]);
        // February had no January partner (O then) → only T.
        assert_eq!(
            run(v, 9.0, Some(vec![(feb, 9.0), (date!(2024 - 12 - 10), 8.9)])),
            ["kms_t"]
        );
    }

    #[test]
    fn january_looks_at_december_of_last_year() {
        let birth = date!(2024 - 01 - 15);
        let h = [Weighing {
            date: date!(2024 - 12 - 20),
            weight_kg: 8.0,
        }];
        let mut f = Findings::default();
        kms_rules(
            birth,
            date!(2025 - 01 - 05),
            8.3,
            Some(&h),
            &Settings::default(),
            &mut f,
        );
        assert_eq!(f.finish()[0].code, "kms_n");
    }

    #[test]
    fn no_n_or_t_under_one_month() {
        let birth = date!(2025 - 01 - 20);
        let h = [Weighing {
            date: date!(2025 - 01 - 25),
            weight_kg: 3.2,
        }];
        // 2025-02-19: 30 days, 0 completed months.
        let mut f = Findings::default();
        kms_rules(
            birth,
            date!(2025 - 02 - 19),
            3.0,
            Some(&h),
            &Settings::default(),
            &mut f,
        );
        assert!(f.finish().is_empty());
        // 2025-02-20: 31 days, 1 month, KBM 800.
        let mut f = Findings::default();
        kms_rules(
            birth,
            date!(2025 - 02 - 20),
            4.0,
            Some(&h),
            &Settings::default(),
            &mut f,
        );
        assert_eq!(f.finish()[0].code, "kms_n");
    }

    #[test]
    fn bgm_threshold() {
        for (v, fires) in [(-3.01, true), (-3.0, false), (-2.99, false)] {
            let mut f = Findings::default();
            let z = Some(Z {
                z: v,
                implausible: false,
            });
            bgm_rule(z, &Settings::default(), &mut f);
            assert_eq!(!f.finish().is_empty(), fires, "zwei {v}");
        }
    }
}
