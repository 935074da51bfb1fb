//! Pregnancies: KSPR risk factors, ANC contacts K1–K6 with weight, LiLA, blood pressure,
//! Hb and fundal height.
//!
//! Shares follow national surveys loosely: KEK (LiLA < 23.5 cm, KMK2023, domain.md §3.3 C)
//! about 17 % of pregnant women (Riskesdas 2018: 17.3 %); anaemia (Hb < 11 g/dL) about
//! 40 % (Riskesdas 2018: 48.9 %); ANC contacts by the KMK2023 pattern 1–2–3 per trimester
//! (§3.3 C), with some missed. KSPR factors (rules.md §6) are derived from the mother's age,
//! parity, birth interval and height, plus a few obstetric histories drawn at random.

use time::{Date, Duration};

use crate::model::{Kind, Outcome, Region, Visit};
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
        let body = crate::body::body(seed, mother, region.persons[mother].sex);
        let height = body.height_cm;
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
        let lila = crate::body::lila_for_bmi(&mut rng, body.bmi);
        if hb_level < 11.0 {
            factors.push("anemia");
        }
        if rng.chance(0.02) {
            factors.push("multiple_pregnancy");
        }
        let preeclampsia = rng.chance(0.05);
        let w0 = body.bmi * (height / 100.0).powi(2);
        let sys0 = rng.normal(110.0, 9.0);
        let dia0 = rng.normal(71.0, 7.0);
        let last_day = preg.outcome.map(|(_, d)| d).unwrap_or(end).min(end);
        let lmp = preg.lmp;
        let late_k1 = rng.chance(0.15);
        let mut first = true;
        let mut last_week = 0i64;
        for (week, lab) in ANC_WEEKS {
            let week = if first && late_k1 {
                rng.range(13, 20)
            } else {
                week + rng.range(-1, 2)
            };
            let date = lmp + Duration::weeks(week);
            // A late K1 replaces the contacts planned before it.
            if week <= last_week + 1 || date > last_day || (!first && !rng.chance(0.88)) {
                continue;
            }
            last_week = week;
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
                postpartum: None,
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

/// Postpartum windows (days after birth) and how often the contact happens: KF1 6 h–2 d,
/// KF2 3–7 d, KF3 8–28 d, KF4 29–42 d (KMK2023 `05-pelayanan-nifas`, domain.md §3.3 C).
const KF_WINDOWS: [(i64, i64, f64); 4] = [(0, 2, 0.9), (3, 7, 0.8), (8, 28, 0.7), (29, 42, 0.55)];

/// Adds the postpartum contacts KF1–KF4 after every live birth: blood pressure and weight,
/// LiLA at KF1. Mothers whose blood pressure was high in pregnancy stay high for a while.
pub fn nifas(seed: u64, region: &mut Region, end: Date) {
    // The last ANC contact of each pregnancy, for the mother's blood pressure and LiLA.
    let mut last_anc: Vec<Option<usize>> = vec![None; region.pregnancies.len()];
    for (i, v) in region.visits.iter().enumerate() {
        if let Some(g) = v.pregnancy
            && last_anc[g].is_none_or(|j| region.visits[j].date < v.date)
        {
            last_anc[g] = Some(i);
        }
    }
    let mut visits = Vec::new();
    for (gi, preg) in region.pregnancies.iter().enumerate() {
        let Some((Outcome::LiveBirth, born)) = preg.outcome else {
            continue;
        };
        let mut rng = DemoRng::new(seed, STREAM_NIFAS + gi as u64);
        let anc = last_anc[gi].map(|i| &region.visits[i].measurements);
        let get = |k: Kind| {
            anc.and_then(|m| m.iter().find(|(x, _)| *x == k))
                .map(|m| m.1)
        };
        let sys0 = get(Kind::SystolicMmHg).unwrap_or_else(|| rng.normal(112.0, 9.0));
        let dia0 = get(Kind::DiastolicMmHg).unwrap_or_else(|| rng.normal(72.0, 7.0));
        let w0 = get(Kind::WeightKg).map_or_else(|| rng.normal(58.0, 9.0), |w| w - 6.5);
        let lila = region
            .visits
            .iter()
            .filter(|v| v.pregnancy == Some(gi))
            .find_map(|v| {
                v.measurements
                    .iter()
                    .find(|(k, _)| *k == Kind::ArmCircCm)
                    .map(|m| m.1)
            });
        for (n, (lo, hi, p)) in KF_WINDOWS.into_iter().enumerate() {
            let date = born + Duration::days(rng.range(lo, hi));
            if date > end || !rng.chance(p) {
                continue;
            }
            // Pregnancy hypertension eases over the weeks after birth.
            let ease = 1.0 - 0.2 * n as f64;
            let (sys, dia) = if sys0 >= 140.0 {
                (118.0 + (sys0 - 118.0) * ease, 75.0 + (dia0 - 75.0) * ease)
            } else {
                (sys0, dia0)
            };
            let mut m = vec![
                (
                    Kind::WeightKg,
                    round1(w0 - 0.1 * (date - born).whole_days() as f64 + rng.normal(0.0, 0.4)),
                ),
                (Kind::SystolicMmHg, (sys + rng.normal(0.0, 6.0)).round()),
                (Kind::DiastolicMmHg, (dia + rng.normal(0.0, 5.0)).round()),
            ];
            if n == 0
                && let Some(l) = lila
            {
                m.push((Kind::ArmCircCm, round1(l + rng.normal(-0.2, 0.3))));
            }
            visits.push(Visit {
                person: preg.mother,
                date,
                service_day: None,
                measurements: m,
                pregnancy: None,
                postpartum: Some(gi),
            });
        }
    }
    region.visits.extend(visits);
}

/// RNG stream base of pregnancies.
pub const STREAM_MATERNAL: u64 = 5 << 40;
/// RNG stream base of postpartum contacts.
pub const STREAM_NIFAS: u64 = 7 << 40;
