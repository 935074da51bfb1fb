//! Pregnancies: KSPR risk factors, ANC contacts K1–K6 with weight, LiLA, blood pressure,
//! Hb and fundal height.
//!
//! Shares follow national surveys loosely: KEK (LiLA < 23.5 cm, KMK2023, domain.md §3.3 C)
//! about 17 % of pregnant women (Riskesdas 2018: 17.3 %); anaemia (Hb < 11 g/dL) about
//! 40 % (Riskesdas 2018: 48.9 %); ANC contacts by the KMK2023 pattern 1–2–3 per trimester
//! (§3.3 C), with some missed. KSPR factors (rules.md §6) are derived from the mother's age,
//! parity, birth interval and height, plus a few obstetric histories drawn at random.

use time::{Date, Duration};

use crate::model::{Kind, Region, Visit};
use crate::rng::DemoRng;

/// Planned ANC contacts (gestational week, is the K1 or K5 doctor/lab visit with Hb).
const ANC_WEEKS: [(i64, bool); 6] = [
    (9, true),
    (16, false),
    (22, false),
    (28, false),
    (32, true),
    (36, false),
];

fn years(a: Date, b: Date) -> f64 {
    (b - a).whole_days() as f64 / 365.25
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Fills KSPR factors and adds ANC contacts for every pregnancy.
pub fn anc(seed: u64, region: &mut Region, end: Date) {
    let mut visits = Vec::new();
    for gi in 0..region.pregnancies.len() {
        let mut rng = DemoRng::new(seed, STREAM_MATERNAL + gi as u64);
        let preg = &region.pregnancies[gi];
        let mother = preg.mother;
        let mother_birth = region.persons[mother].birth_date;
        let age = years(mother_birth, preg.lmp);
        // The mother's previous live birth (her youngest child born before this pregnancy).
        let prev_birth = region
            .persons
            .iter()
            .filter(|c| c.mother == Some(mother) && c.birth_date < preg.lmp)
            .map(|c| c.birth_date)
            .max();
        let height = rng.normal_clamped(151.5, 5.5, 136.0, 172.0);
        let mut factors: Vec<&'static str> = Vec::new();
        if preg.gravida == 1 && age <= 16.0 {
            factors.push("primi_young");
        }
        if preg.gravida == 1 && age >= 35.0 {
            factors.push("primi_old");
        }
        if age >= 35.0 {
            factors.push("age_35_plus");
        }
        if preg.parity >= 4 {
            factors.push("grand_multipara");
        }
        if let Some(pb) = prev_birth {
            let gap = years(pb, preg.lmp + Duration::days(280));
            if gap < 2.0 {
                factors.push("short_interval");
            } else if gap >= 10.0 {
                factors.push("long_interval");
            }
        }
        if height <= 145.0 {
            factors.push("short_stature");
        }
        if preg.parity >= 1 && rng.chance(0.08) {
            factors.push("prior_caesarean");
        }
        if preg.gravida >= 2 && rng.chance(0.06) {
            factors.push("prior_pregnancy_loss");
        }
        // Hb at K1 and LiLA: the two numbers behind anaemia and KEK.
        let hb_level = rng.normal(11.4, 1.15);
        let lila = rng.normal_clamped(25.7, 2.5, 18.5, 36.0);
        if hb_level < 11.0 {
            factors.push("anemia");
        }
        if rng.chance(0.02) {
            factors.push("multiple_pregnancy");
        }
        let preeclampsia = rng.chance(0.05);
        let bmi0 = rng.normal_clamped(22.8, 3.8, 16.0, 38.0) - if lila < 23.5 { 2.5 } else { 0.0 };
        let w0 = bmi0 * (height / 100.0).powi(2);
        let sys0 = rng.normal(110.0, 9.0);
        let dia0 = rng.normal(71.0, 7.0);
        let last_day = preg.outcome.map(|(_, d)| d).unwrap_or(end).min(end);
        let lmp = preg.lmp;
        let late_k1 = rng.chance(0.15);
        let mut first = true;
        for (week, lab) in ANC_WEEKS {
            let week = if first && late_k1 {
                rng.range(13, 20)
            } else {
                week + rng.range(-1, 2)
            };
            let date = lmp + Duration::weeks(week);
            if date > last_day || (!first && !rng.chance(0.88)) {
                continue;
            }
            let gain = if week > 13 {
                0.42 * (week - 13) as f64
            } else {
                0.1 * week as f64
            };
            let mut m = vec![(Kind::WeightKg, round1(w0 + gain + rng.normal(0.0, 0.4)))];
            let (mut sys, mut dia) = (sys0 + rng.normal(0.0, 6.0), dia0 + rng.normal(0.0, 5.0));
            if preeclampsia && week >= 24 {
                sys += rng.uniform(30.0, 50.0);
                dia += rng.uniform(18.0, 30.0);
            }
            m.push((Kind::SystolicMmHg, sys.round()));
            m.push((Kind::DiastolicMmHg, dia.round()));
            if first {
                m.push((Kind::ArmCircCm, round1(lila)));
                m.push((Kind::HeightCm, round1(height)));
            }
            if lab {
                let hb = if first {
                    hb_level
                } else {
                    hb_level + rng.normal(0.2, 0.5)
                };
                m.push((Kind::HemoglobinGdl, round1(hb.clamp(6.0, 16.0))));
            }
            if week >= 20 {
                m.push((
                    Kind::FundalHeightCm,
                    (week as f64 + rng.normal(0.0, 1.5)).round(),
                ));
            }
            visits.push(Visit {
                person: mother,
                date,
                service_day: None,
                measurements: m,
                pregnancy: Some(gi),
            });
            first = false;
        }
        if preeclampsia {
            factors.push("oedema_hypertension");
        }
        region.pregnancies[gi].kspr_factors = factors;
    }
    region.visits.extend(visits);
}

/// RNG stream base of pregnancies.
pub const STREAM_MATERNAL: u64 = 5 << 40;
