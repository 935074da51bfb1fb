//! Monthly weighings of balita with realistic growth trajectories.
//!
//! Each child gets a length-for-age z that starts near the Indonesian birth average and
//! falls over the first two years (the typical Indonesian pattern), and a weight-for-length z
//! with slow drift and occasional illness episodes. `growth::value_at_z` turns the z values
//! into centimetres and kilograms, so the data reproduce the WHO standard's shape exactly.
//! Parameters are tuned so that about one child in five is stunted (SSGI 2024: 19.8 %), some
//! falter for a month or two (T, and 2T when it repeats), and a few fall below −3 SD weight
//! for age (BGM). Not every child comes every month.

use growth::{Indicator, value_at_z};
use time::{Date, Month};

use crate::model::{Kind, Person, Region, Sex, Visit};
use crate::rng::DemoRng;

/// Last day of the WHO 2006 standard (60 completed months = day 1826, rules.md §0).
pub const BALITA_LAST_DAY: i64 = 1826;

/// Per-child traits drawn once.
struct Child {
    /// Length-for-age z at birth.
    haz0: f64,
    /// Change of length-for-age z by 24 months (negative: growth falls behind).
    haz_fall: f64,
    /// Weight-for-length baseline.
    whz0: f64,
    /// Head-circumference-for-age z.
    hcz: f64,
    /// How likely the family comes on a posyandu day.
    attendance: f64,
}

fn who_sex(s: Sex) -> growth::Sex {
    match s {
        Sex::Male => growth::Sex::Male,
        Sex::Female => growth::Sex::Female,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Length (lying, under 731 days) or height (standing) for a length-for-age z.
fn length_at(sex: growth::Sex, age_days: i64, haz: f64) -> Option<f64> {
    value_at_z(Indicator::LengthHeightForAge, sex, age_days as f64, haz)
}

/// Weight for a weight-for-length/height z; outside the WFL/WFH ranges, weight-for-age.
fn weight_at(
    sex: growth::Sex,
    age_days: i64,
    len: f64,
    whz: f64,
    waz_fallback: f64,
) -> Option<f64> {
    let (ind, lo, hi) = if age_days < 731 {
        (Indicator::WeightForLength, 45.0, 110.0)
    } else {
        (Indicator::WeightForHeight, 65.0, 120.0)
    };
    if (lo..=hi).contains(&len) {
        value_at_z(ind, sex, len, whz)
    } else {
        value_at_z(Indicator::WeightForAge, sex, age_days as f64, waz_fallback)
    }
}

/// Adds posyandu weighings for every person who is a balita at some point of the period.
/// `days_by_unit[u]` lists the (service day index, date) of unit `u`, oldest first.
pub fn weighings(
    seed: u64,
    region: &mut Region,
    days_by_unit: &[Vec<(usize, Date)>],
    start: Date,
    end: Date,
) {
    let mut visits = Vec::new();
    for (pi, person) in region.persons.iter().enumerate() {
        let last_balita_day = person.birth_date + time::Duration::days(BALITA_LAST_DAY);
        if person.birth_date > end || last_balita_day < start {
            continue;
        }
        let mut rng = DemoRng::new(seed, STREAM_BALITA + pi as u64);
        child_visits(
            &mut rng,
            pi,
            person,
            &days_by_unit[person.unit],
            end,
            &mut visits,
        );
    }
    region.visits.extend(visits);
}

fn child_visits(
    rng: &mut DemoRng,
    pi: usize,
    person: &Person,
    days: &[(usize, Date)],
    end: Date,
    out: &mut Vec<Visit>,
) {
    let sex = who_sex(person.sex);
    let c = Child {
        haz0: rng.normal(-0.5, 0.85),
        haz_fall: rng.normal_clamped(-0.88, 0.45, -2.2, 0.4),
        whz0: rng.normal(-0.2, 0.8),
        hcz: rng.normal(-0.15, 0.8),
        attendance: rng.normal_clamped(0.82, 0.12, 0.35, 0.98),
    };
    let mut drift = 0.0f64;
    let mut illness_left = 0u8;
    let mut illness_depth = 0.0f64;
    for &(sd, date) in days {
        let age = (date - person.birth_date).whole_days();
        // Monthly dynamics run every month, attended or not.
        drift = 0.8 * drift + rng.normal(0.0, 0.08);
        if illness_left == 0 && rng.chance(0.05) {
            illness_left = rng.range(1, 3) as u8;
            illness_depth = rng.uniform(0.35, 0.9);
        }
        let sick = if illness_left > 0 {
            illness_left -= 1;
            illness_depth
        } else {
            0.0
        };
        if !(0..=BALITA_LAST_DAY).contains(&age) || date > end {
            continue;
        }
        // Older balita come less often (D/S falls after the immunization months).
        let p_come = c.attendance
            * if age < 365 {
                1.0
            } else if age < 730 {
                0.93
            } else {
                0.82
            };
        if age > 14 && !rng.chance(p_come) {
            continue;
        }
        let months = age as f64 / growth::DAYS_PER_MONTH;
        let haz = c.haz0 + c.haz_fall * (months / 24.0).min(1.0);
        let whz = c.whz0 + drift - sick;
        let Some(true_len) = length_at(sex, age, haz) else {
            continue;
        };
        let len = round1(true_len + rng.normal(0.0, 0.3));
        let Some(true_w) = weight_at(sex, age, true_len, whz, 0.6 * haz + 0.6 * whz) else {
            continue;
        };
        let mut weight = round1(true_w + rng.normal(0.0, 0.04));
        // A rare slip of the pen (decimal in the wrong place): the store must flag it.
        if rng.chance(0.0015) {
            weight = round1(weight * 10.0);
        }
        let mut m = vec![(Kind::WeightKg, weight)];
        m.push((
            if age < 731 {
                Kind::LengthCm
            } else {
                Kind::HeightCm
            },
            len,
        ));
        if age < 731
            && let Some(hc) = value_at_z(
                Indicator::HeadCircumferenceForAge,
                sex,
                age as f64,
                c.hcz + 0.2 * (haz - c.haz0),
            )
        {
            m.push((Kind::HeadCircCm, round1(hc + rng.normal(0.0, 0.12))));
        }
        // LiLA for 6–59 months in the vitamin A months (February and August).
        if age >= 183
            && matches!(date.month(), Month::February | Month::August)
            && let Some(ac) = value_at_z(
                Indicator::ArmCircumferenceForAge,
                sex,
                age as f64,
                0.8 * whz + 0.2 * haz,
            )
        {
            m.push((Kind::ArmCircCm, round1(ac + rng.normal(0.0, 0.2))));
        }
        out.push(Visit {
            person: pi,
            date,
            service_day: Some(sd),
            measurements: m,
            pregnancy: None,
            postpartum: None,
        });
    }
}

/// RNG stream base of balita trajectories.
pub const STREAM_BALITA: u64 = 3 << 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_weight_follow_the_who_median_at_z_zero() {
        let l = length_at(growth::Sex::Male, 365, 0.0).unwrap_or_default();
        assert!((l - 75.7).abs() < 0.2, "{l}");
        let w = weight_at(growth::Sex::Male, 365, 75.7, 0.0, 0.0).unwrap_or_default();
        assert!((w - 9.6).abs() < 0.4, "{w}");
    }

    #[test]
    fn weight_falls_back_to_weight_for_age_for_tiny_newborns() {
        let w = weight_at(growth::Sex::Female, 3, 44.0, 0.0, -2.0).unwrap_or_default();
        assert!(w > 2.0 && w < 3.0, "{w}");
    }
}
