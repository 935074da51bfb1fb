//! The adult body of each person (height, usual BMI), drawn once from the person's own
//! stream, so that every module sees the same woman or man: ANC and postpartum contacts,
//! the KSPR short-stature factor, and the yearly screenings.
//!
//! Means are close to Riskesdas 2018 adult figures (women about 151–152 cm, men about 163 cm;
//! mean BMI about 24 for women and 23 for men).

use crate::model::Sex;
use crate::rng::DemoRng;

/// Height and usual BMI of an adult.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Body {
    pub height_cm: f64,
    pub bmi: f64,
}

/// The body of person number `person` (index in the region).
pub fn body(seed: u64, person: usize, sex: Sex) -> Body {
    let mut rng = DemoRng::new(seed, STREAM_BODY + person as u64);
    match sex {
        Sex::Male => Body {
            height_cm: rng.normal_clamped(163.0, 6.3, 145.0, 185.0),
            bmi: rng.normal_clamped(23.2, 4.0, 15.5, 42.0),
        },
        Sex::Female => Body {
            height_cm: rng.normal_clamped(151.8, 5.6, 136.0, 172.0),
            bmi: rng.normal_clamped(24.4, 4.0, 15.5, 42.0),
        },
    }
}

/// Mid-upper arm circumference that goes with a BMI (women; LiLA < 23.5 cm = KEK for about
/// one pregnant woman in six, Riskesdas 2018: 17.3 %).
pub fn lila_for_bmi(rng: &mut DemoRng, bmi: f64) -> f64 {
    (0.55 * bmi + 12.2 + rng.normal(0.0, 1.6)).clamp(17.0, 40.0)
}

/// RNG stream base of bodies.
pub const STREAM_BODY: u64 = 10 << 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_always_has_the_same_body() {
        assert_eq!(body(1, 42, Sex::Female), body(1, 42, Sex::Female));
        assert_ne!(body(1, 42, Sex::Female), body(1, 43, Sex::Female));
    }

    #[test]
    fn about_one_woman_in_six_has_kek_lila() {
        let n = 4000;
        let mut rng = DemoRng::new(3, 3);
        let kek = (0..n)
            .filter(|&i| lila_for_bmi(&mut rng, body(3, i, Sex::Female).bmi) < 23.5)
            .count();
        let share = kek as f64 / n as f64;
        assert!((0.14..0.28).contains(&share), "{share}");
    }
}
