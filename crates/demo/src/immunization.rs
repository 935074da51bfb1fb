//! Immunization histories following the national schedule (KMK HK.01.07/MENKES/2015/2023,
//! rules.md §9), with the delays and drop-outs a real register shows.
//!
//! Doses are grouped into the contacts at which they are given together (2 months: DPT-HB-Hib
//! 1, OPV2, PCV1, RV1; …). Most children come on time or a month late; about one in seven
//! drops out after some contact, and a few have only the birth dose. Vaccines introduced
//! recently are given only from their national roll-out (PCV 2022, IPV2 2023, RV mid-2023;
//! domain.md §4 S, rules.md §9 "children born before the 2022–23 roll-outs"), so older
//! children's histories look like their real cohorts'.

use time::{Date, Duration, macros::date};

use crate::model::{Dose, Region};
use crate::rng::DemoRng;

/// One contact of the schedule: the recommended age in days and its antigens.
struct Contact {
    age_days: i64,
    doses: &'static [&'static str],
}

/// Contacts after birth (HB0 is given at the birth facility). Ages: BCG/OPV1 in the first
/// month, then 2, 3, 4, 9, 12 and 18 months (rules.md §9, "recommended").
const CONTACTS: [Contact; 7] = [
    Contact {
        age_days: 21,
        doses: &["BCG", "OPV1"],
    },
    Contact {
        age_days: 61,
        doses: &["DPT_HB_HIB1", "OPV2", "PCV1", "RV1"],
    },
    Contact {
        age_days: 91,
        doses: &["DPT_HB_HIB2", "OPV3", "PCV2", "RV2"],
    },
    Contact {
        age_days: 122,
        doses: &["DPT_HB_HIB3", "OPV4", "RV3", "IPV1"],
    },
    Contact {
        age_days: 274,
        doses: &["MR1", "IPV2"],
    },
    Contact {
        age_days: 365,
        doses: &["PCV3"],
    },
    Contact {
        age_days: 548,
        doses: &["DPT_HB_HIB4", "MR2"],
    },
];

/// Whether an antigen may be given at `age_days` on `on` (age limits of rules.md §9 "until",
/// national roll-out dates).
fn allowed(antigen: &str, age_days: i64, on: Date) -> bool {
    let months = age_days as f64 / growth::DAYS_PER_MONTH;
    match antigen {
        "RV1" | "RV2" | "RV3" => months < 7.0 && on >= date!(2023 - 08 - 01),
        "PCV1" | "PCV2" => months < 12.0 && on >= date!(2022 - 01 - 01),
        "PCV3" => months < 24.0 && on >= date!(2022 - 01 - 01),
        "IPV2" => on >= date!(2023 - 01 - 01),
        "BCG" => months < 12.0,
        _ => months < 60.0,
    }
}

/// The first service day on or after `target` among `days` (sorted), if within 40 days.
fn snap(days: &[(usize, Date)], target: Date) -> Option<(usize, Date)> {
    let i = days.partition_point(|(_, d)| *d < target);
    days.get(i)
        .copied()
        .filter(|(_, d)| (*d - target).whole_days() <= 40)
}

/// Adds the dose history of every child aged under 6 years at `end`.
pub fn doses(
    seed: u64,
    region: &mut Region,
    days_by_unit: &[Vec<(usize, Date)>],
    start: Date,
    end: Date,
) {
    let mut out = Vec::new();
    for (pi, p) in region.persons.iter().enumerate() {
        let age_end = (end - p.birth_date).whole_days();
        if !(0..=6 * 365).contains(&age_end) {
            continue;
        }
        let mut rng = DemoRng::new(seed, STREAM_IMMUNIZATION + pi as u64);
        let days = &days_by_unit[p.unit];
        // HB0 at the birth facility, mostly within 24 hours.
        let hb0 = match rng.weighted(&[0.88, 0.08, 0.04]) {
            0 => Some(p.birth_date),
            1 => Some(p.birth_date + Duration::days(rng.range(1, 7))),
            _ => None,
        };
        if let Some(d) = hb0.filter(|d| *d <= end) {
            out.push(Dose {
                person: pi,
                antigen: "HB0",
                date: d,
                service_day: None,
            });
        }
        // Zero-dose after birth, drop-out after some contact, or complete.
        let last_contact = match rng.weighted(&[0.03, 0.14, 0.83]) {
            0 => 0,
            1 => rng.weighted(&[0.15, 0.2, 0.2, 0.3, 0.1, 0.05]) + 1,
            _ => CONTACTS.len(),
        };
        let mut prev: Option<Date> = None;
        for contact in CONTACTS.iter().take(last_contact) {
            let delay = match rng.weighted(&[0.68, 0.22, 0.10]) {
                0 => rng.range(0, 20),
                1 => rng.range(21, 60),
                _ => rng.range(61, 130),
            };
            let mut target = p.birth_date + Duration::days(contact.age_days + delay);
            if let Some(prev) = prev {
                target = target.max(prev + Duration::days(28));
            }
            // Within the period doses are given on the posyandu day; before it, the date in
            // the Buku KIA is taken as recorded.
            let (sd, date) = if target >= start {
                match snap(days, target) {
                    Some((sd, d)) => (Some(sd), d),
                    None => (None, target),
                }
            } else {
                (None, target)
            };
            if date > end {
                break;
            }
            let age = (date - p.birth_date).whole_days();
            let mut given = false;
            for antigen in contact.doses {
                if allowed(antigen, age, date) {
                    out.push(Dose {
                        person: pi,
                        antigen,
                        date,
                        service_day: sd,
                    });
                    given = true;
                }
            }
            if given {
                prev = Some(date);
            }
        }
    }
    region.doses.extend(out);
}

/// RNG stream base of immunization histories.
pub const STREAM_IMMUNIZATION: u64 = 4 << 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotavirus_only_before_seven_months_and_after_roll_out() {
        assert!(allowed("RV1", 61, date!(2024 - 01 - 10)));
        assert!(!allowed("RV1", 61, date!(2023 - 07 - 31)));
        assert!(!allowed("RV3", 214, date!(2025 - 01 - 10)));
    }

    #[test]
    fn pcv_primary_doses_stop_at_twelve_months() {
        assert!(allowed("PCV2", 300, date!(2025 - 01 - 10)));
        assert!(!allowed("PCV2", 366, date!(2025 - 01 - 10)));
        assert!(allowed("PCV3", 366, date!(2025 - 01 - 10)));
    }

    #[test]
    fn snap_takes_the_next_service_day_within_forty_days() {
        let days = vec![(0, date!(2025 - 01 - 05)), (1, date!(2025 - 02 - 05))];
        assert_eq!(
            snap(&days, date!(2025 - 01 - 06)),
            Some((1, date!(2025 - 02 - 05)))
        );
        assert_eq!(
            snap(&days, date!(2025 - 01 - 05)),
            Some((0, date!(2025 - 01 - 05)))
        );
        assert_eq!(snap(&days, date!(2025 - 03 - 01)), None);
    }
}
