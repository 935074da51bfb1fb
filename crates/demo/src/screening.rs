//! Yearly screenings of school-age children, adolescents, adults and the elderly at the
//! posyandu (KMK2023 cluster 3, domain.md §1.3 C): weight, height, waist, blood pressure,
//! glucose for those ≥ 40 (or at risk), cholesterol for the elderly, SRQ-20, PUMA for
//! smokers ≥ 40, ADL (Barthel) and SKILAS for those ≥ 60; santri of the poskestren twice a
//! year, with Hb for santriwati (the TTD programme).
//!
//! Levels are chosen so that about a third of adults ≥ 18 have blood pressure ≥ 140/90
//! (Riskesdas 2018: 34.1 %), a tenth have high glucose, and most elderly are independent.

use time::Date;

use crate::model::{HouseholdRole, Instrument, Kind, Person, Region, Screening, Sex, Visit};
use crate::rng::DemoRng;

fn years(a: Date, b: Date) -> f64 {
    (b - a).whole_days() as f64 / 365.25
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Per-person traits drawn once (height and usual BMI come from [`crate::body`]).
struct Adult {
    height: f64,
    bmi: f64,
    bp_offset: f64,
    diabetic: bool,
    smoker_pack_years: f64,
}

fn traits(rng: &mut DemoRng, seed: u64, pi: usize, p: &Person) -> Adult {
    let male = p.sex == Sex::Male;
    let body = crate::body::body(seed, pi, p.sex);
    Adult {
        height: body.height_cm,
        bmi: body.bmi,
        bp_offset: rng.normal(0.0, 13.0),
        diabetic: rng.chance(0.09),
        smoker_pack_years: if male && rng.chance(0.62) {
            rng.uniform(2.0, 40.0)
        } else {
            0.0
        },
    }
}

/// Adds screenings for everyone aged ≥ 10 on the chosen service days.
pub fn screenings(
    seed: u64,
    region: &mut Region,
    days_by_unit: &[Vec<(usize, Date)>],
    poskestren_unit: Option<usize>,
) {
    let mut visits = Vec::new();
    let mut screenings = Vec::new();
    // Pregnant and postpartum women (to 42 days) are seen at ANC and KF contacts instead.
    let mut maternal: Vec<Vec<(Date, Date)>> = vec![Vec::new(); region.persons.len()];
    for g in &region.pregnancies {
        let until = g
            .outcome
            .map_or(Date::MAX, |(_, d)| d + time::Duration::days(42));
        maternal[g.mother].push((g.lmp, until));
    }
    for (pi, p) in region.persons.iter().enumerate() {
        let days = &days_by_unit[p.unit];
        if days.is_empty() {
            continue;
        }
        let mut rng = DemoRng::new(seed, STREAM_SCREENING + pi as u64);
        let santri = Some(p.unit) == poskestren_unit && p.role == HouseholdRole::Other;
        let t = traits(&mut rng, seed, pi, p);
        // Split the period into halves (santri) or years (everyone else).
        let per_year = if santri { 2 } else { 1 };
        let chunk = days.len().div_ceil(2 * per_year).max(1);
        for part in days.chunks(chunk) {
            let (sd, date) = *rng.pick(part);
            let age = years(p.birth_date, date);
            if age < 10.0 || maternal[pi].iter().any(|(a, b)| (*a..=*b).contains(&date)) {
                continue;
            }
            let p_come = if santri {
                0.9
            } else if age < 15.0 {
                0.3
            } else if age < 40.0 {
                if p.sex == Sex::Male { 0.25 } else { 0.4 }
            } else if age < 60.0 {
                0.55
            } else {
                0.7
            };
            if !rng.chance(p_come) {
                continue;
            }
            let mut m = Vec::new();
            let growth_h = if age < 18.0 {
                (age - 18.0) * if p.sex == Sex::Male { 4.5 } else { 2.5 }
            } else {
                0.0
            };
            let shrink = if age > 60.0 { (age - 60.0) * 0.1 } else { 0.0 };
            let height = (t.height + growth_h.max(-45.0) - shrink).max(120.0);
            let bmi = if age < 18.0 {
                18.0 + (t.bmi - 23.5) * 0.6 + (age - 12.0) * 0.35
            } else {
                t.bmi + rng.normal(0.0, 0.4)
            };
            let weight = bmi * (height / 100.0).powi(2);
            m.push((Kind::WeightKg, round1(weight)));
            m.push((Kind::HeightCm, round1(height + rng.normal(0.0, 0.4))));
            if age >= 15.0 {
                let waist = if p.sex == Sex::Male {
                    2.5 * bmi + 22.0
                } else {
                    2.4 * bmi + 21.0
                };
                m.push((Kind::WaistCm, round1(waist + rng.normal(0.0, 3.0))));
            }
            let sys = 108.0
                + 0.75 * (age - 18.0).max(0.0)
                + 1.0 * (bmi - 23.0)
                + t.bp_offset
                + rng.normal(0.0, 6.0);
            let dia = 70.0
                + 0.25 * (age - 18.0).max(0.0)
                + 0.6 * (bmi - 23.0)
                + 0.45 * t.bp_offset
                + rng.normal(0.0, 4.0);
            m.push((Kind::SystolicMmHg, sys.clamp(85.0, 230.0).round()));
            m.push((Kind::DiastolicMmHg, dia.clamp(50.0, 130.0).round()));
            if age >= 40.0 || (age >= 15.0 && (bmi >= 27.0 || sys >= 140.0)) {
                let g = if t.diabetic {
                    rng.normal(235.0, 55.0)
                } else {
                    rng.normal(112.0, 20.0)
                };
                m.push((Kind::GlucoseRandomMgdl, g.clamp(60.0, 480.0).round()));
            }
            if age >= 60.0 || (age >= 40.0 && rng.chance(0.3)) {
                let c = rng.normal(198.0 + 0.6 * (bmi - 23.0), 36.0);
                m.push((Kind::CholesterolMgdl, c.clamp(110.0, 360.0).round()));
            }
            if santri && p.sex == Sex::Female {
                m.push((
                    Kind::HemoglobinGdl,
                    round1(rng.normal(12.3, 1.2).clamp(7.0, 16.0)),
                ));
            }
            visits.push(Visit {
                person: pi,
                date,
                service_day: Some(sd),
                measurements: m,
                pregnancy: None,
                postpartum: None,
            });
            if age >= 15.0 && rng.chance(0.3) {
                // SRQ-20: most answer few "ya"; about one in eight reaches 6.
                let p_item = if rng.chance(0.12) { 0.4 } else { 0.07 };
                // Item 17 (thoughts of ending one's life) is much rarer than the others.
                let items: Vec<bool> = (0..20)
                    .map(|i| rng.chance(if i == 16 { p_item * 0.15 } else { p_item }))
                    .collect();
                let score = items.iter().filter(|b| **b).count() as u8;
                screenings.push(Screening {
                    person: pi,
                    date,
                    service_day: Some(sd),
                    instrument: Instrument::Srq20,
                    score,
                    items,
                    pack_years: None,
                });
            }
            if age >= 40.0 && t.smoker_pack_years > 0.0 {
                screenings.push(puma(
                    &mut rng,
                    pi,
                    date,
                    sd,
                    p.sex,
                    age,
                    t.smoker_pack_years,
                ));
            }
            if age >= 60.0 {
                let frail = ((age - 60.0) / 40.0).clamp(0.0, 0.6);
                let barthel = if rng.chance(0.9 - 0.6 * frail) {
                    20
                } else {
                    match rng.weighted(&[0.7, 0.18, 0.08, 0.04]) {
                        0 => rng.range(12, 19),
                        1 => rng.range(9, 11),
                        2 => rng.range(5, 8),
                        _ => rng.range(0, 4),
                    }
                } as u8;
                screenings.push(Screening {
                    person: pi,
                    date,
                    service_day: Some(sd),
                    instrument: Instrument::AdlBarthel,
                    score: barthel,
                    items: Vec::new(),
                    pack_years: None,
                });
                let items: Vec<bool> = (0..6).map(|_| rng.chance(0.04 + frail * 0.15)).collect();
                let score = items.iter().filter(|b| **b).count() as u8;
                screenings.push(Screening {
                    person: pi,
                    date,
                    service_day: Some(sd),
                    instrument: Instrument::Skilas,
                    score,
                    items,
                    pack_years: None,
                });
            }
        }
    }
    region.visits.extend(visits);
    region.screenings.extend(screenings);
}

/// PUMA (KMK2023 form, rules.md §8): pack-years and the items breathless, phlegm, cough,
/// earlier spirometry; with sex and age the score is 0–9.
fn puma(
    rng: &mut DemoRng,
    person: usize,
    date: Date,
    sd: usize,
    sex: Sex,
    age: f64,
    pack_years: f64,
) -> Screening {
    let male = sex == Sex::Male;
    let pack_years = round1(pack_years);
    let breathless = rng.chance(0.15 + pack_years / 200.0);
    let phlegm = rng.chance(0.2);
    let cough = rng.chance(0.25);
    let spirometry = rng.chance(0.03);
    let age_pts = if age >= 60.0 {
        2
    } else if age >= 50.0 {
        1
    } else {
        0
    };
    let pack_pts = if pack_years > 30.0 {
        2
    } else if pack_years >= 20.0 {
        1
    } else {
        0
    };
    let score = u8::from(male)
        + age_pts
        + pack_pts
        + u8::from(breathless)
        + u8::from(phlegm)
        + u8::from(cough)
        + u8::from(spirometry);
    Screening {
        person,
        date,
        service_day: Some(sd),
        instrument: Instrument::Puma,
        score,
        items: vec![breathless, phlegm, cough, spirometry],
        pack_years: Some(pack_years),
    }
}

/// RNG stream base of screenings.
pub const STREAM_SCREENING: u64 = 6 << 40;
