//! Findings of every generated visit, computed by the project's rules engine
//! (`domain::screen`, rules.md) exactly as they would be at capture: stunting, KMS N/T/2T/O/B
//! and BGM from the child's earlier weighings, KEK and anaemia in pregnancy with the KSPR
//! factors, blood pressure, glucose, BMI and waist for adults. Storing them lets target lists
//! and reports work on the demo data from the first start.

use domain::maternal::{KsprFactor, Pregnancy};
use domain::questionnaires::{Puma, Questionnaires, Skilas};
use domain::{Measurements, Position, Settings, Visit, Weighing};
use time::Date;

use crate::model::{Instrument, Kind, Region, Screening, Sex};
use crate::to_store::balita_flags;

/// One finding of one visit.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Index of the visit in `Region::visits`.
    pub visit: usize,
    pub person: usize,
    pub date: Date,
    /// Rule code of the catalogue (e.g. `lfa_stunted`, `kms_2t`, `kek`).
    pub code: &'static str,
    pub label: &'static str,
}

fn measurements(ms: &[(Kind, f64)]) -> Measurements {
    let mut m = Measurements::default();
    for &(k, v) in ms {
        match k {
            Kind::WeightKg => m.weight_kg = Some(v),
            Kind::LengthCm => {
                m.lenhei_cm = Some(v);
                m.measure = Some(Position::Lying);
            }
            Kind::HeightCm => {
                m.lenhei_cm = Some(v);
                m.measure = Some(Position::Standing);
            }
            Kind::HeadCircCm => m.head_cm = Some(v),
            Kind::ArmCircCm => m.muac_cm = Some(v),
            Kind::WaistCm => m.waist_cm = Some(v),
            Kind::SystolicMmHg => m.systolic = Some(v),
            Kind::DiastolicMmHg => m.diastolic = Some(v),
            Kind::HemoglobinGdl => m.hb = Some(v),
            Kind::GlucoseRandomMgdl => m.glucose_random = Some(v),
            Kind::CholesterolMgdl => m.cholesterol = Some(v),
            Kind::FundalHeightCm => {}
        }
    }
    m
}

/// The questionnaires answered by one person on one day, as the rules read them.
fn questionnaires(answered: &[&Screening]) -> Questionnaires {
    let mut q = Questionnaires::default();
    for s in answered {
        match s.instrument {
            Instrument::Srq20 => {
                let mut items = [false; 20];
                for (slot, b) in items.iter_mut().zip(&s.items) {
                    *slot = *b;
                }
                q.srq20 = Some(items);
            }
            Instrument::Puma => {
                let item = |i: usize| s.items.get(i).copied().unwrap_or(false);
                q.puma = Some(Puma {
                    pack_years: s.pack_years.unwrap_or(0.0),
                    breathless: item(0),
                    phlegm: item(1),
                    cough: item(2),
                    spirometry: item(3),
                });
            }
            Instrument::AdlBarthel => q.barthel = Some(s.score),
            Instrument::Skilas => {
                let item = |i: usize| s.items.get(i).copied().unwrap_or(false);
                q.skilas = Some(Skilas {
                    cognitive: item(0),
                    mobility: item(1),
                    malnutrition: item(2),
                    vision: item(3),
                    hearing: item(4),
                    depression: item(5),
                });
            }
        }
    }
    q
}

/// Screens every visit with the default settings.
pub fn findings(region: &Region) -> Vec<Finding> {
    let settings = Settings::default();
    // Visits of each person in date order (visits are generated per purpose, not by date).
    let mut by_person: Vec<Vec<usize>> = vec![Vec::new(); region.persons.len()];
    for (i, v) in region.visits.iter().enumerate() {
        by_person[v.person].push(i);
    }
    let mut anc_count = vec![0u32; region.pregnancies.len()];
    let mut answered: std::collections::HashMap<(usize, Date), Vec<&Screening>> =
        std::collections::HashMap::new();
    for s in &region.screenings {
        answered.entry((s.person, s.date)).or_default().push(s);
    }
    let mut out = Vec::new();
    for (pi, visits) in by_person.iter_mut().enumerate() {
        if visits.is_empty() {
            continue;
        }
        visits.sort_by_key(|&i| (region.visits[i].date, i));
        let p = &region.persons[pi];
        let sex = match p.sex {
            Sex::Male => domain::Sex::Male,
            Sex::Female => domain::Sex::Female,
        };
        // Earlier weighings as on the KMS (implausible entries left out, as a kader would).
        let mut history: Vec<Weighing> = Vec::new();
        for &vi in visits.iter() {
            let v = &region.visits[vi];
            let mut dv = Visit::new(Some(sex), p.birth_date, v.date);
            dv.measurements = measurements(&v.measurements);
            if let Some(qs) = answered.get(&(pi, v.date)) {
                dv.questionnaires = questionnaires(qs);
            }
            let balita = (v.date - p.birth_date).whole_days() <= 1826;
            if balita && v.pregnancy.is_none() {
                dv.previous_weighings = Some(history.clone());
            }
            if let Some(g) = v.postpartum
                && let Some((_, born)) = region.pregnancies[g].outcome
            {
                dv.postpartum_days = u32::try_from((v.date - born).whole_days()).ok();
            }
            if let Some(g) = v.pregnancy {
                let preg = &region.pregnancies[g];
                let factors = preg
                    .kspr_factors
                    .iter()
                    .filter_map(|c| KsprFactor::from_code(c))
                    .collect();
                dv.pregnancy = Some(Pregnancy {
                    gestational_weeks: Some((v.date - preg.lmp).whole_days() as f64 / 7.0),
                    anc_visits: Some(anc_count[g] + 1),
                    kspr_factors: Some(factors),
                });
                anc_count[g] += 1;
            }
            if let Some(s) = domain::screen(&dv, &settings) {
                for rule in s.findings {
                    out.push(Finding {
                        visit: vi,
                        person: pi,
                        date: v.date,
                        code: rule.code,
                        label: rule.label,
                    });
                }
            }
            if balita && v.pregnancy.is_none() {
                let (weight_flag, _) = balita_flags(p.sex, p.birth_date, v.date, &v.measurements);
                if let Some(w) = dv.measurements.weight_kg.filter(|_| !weight_flag) {
                    history.push(Weighing {
                        date: v.date,
                        weight_kg: w,
                    });
                }
            }
        }
    }
    out.sort_by_key(|f| (f.visit, f.code));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{HouseholdRole, Person, Visit as DemoVisit};
    use time::macros::date;

    fn child_region(weights: &[(Date, f64, f64)]) -> Region {
        let mut r = Region::default();
        r.persons.push(Person {
            household: 0,
            unit: 0,
            nik: None,
            name: "Ayu".into(),
            sex: Sex::Female,
            birth_date: date!(2024 - 01 - 10),
            role: HouseholdRole::Child,
            mother: None,
            father: None,
        });
        for &(d, w, l) in weights {
            r.visits.push(DemoVisit {
                person: 0,
                date: d,
                service_day: None,
                measurements: vec![(Kind::WeightKg, w), (Kind::LengthCm, l)],
                pregnancy: None,
                postpartum: None,
            });
        }
        r
    }

    #[test]
    fn two_months_without_gain_give_t_then_2t() {
        let r = child_region(&[
            (date!(2025 - 01 - 10), 8.5, 73.0),
            (date!(2025 - 02 - 10), 8.5, 73.5),
            (date!(2025 - 03 - 10), 8.5, 74.0),
        ]);
        let f = findings(&r);
        let codes = |visit: usize| {
            f.iter()
                .filter(|x| x.visit == visit)
                .map(|x| x.code)
                .collect::<Vec<_>>()
        };
        assert!(codes(0).contains(&"kms_b"), "{:?}", codes(0));
        assert!(codes(1).contains(&"kms_t"), "{:?}", codes(1));
        assert!(codes(2).contains(&"kms_2t"), "{:?}", codes(2));
    }

    #[test]
    fn a_short_child_is_stunted() {
        // 12 months, 68 cm: length-for-age z below −2 (WHO girls' median 74.0 cm).
        let r = child_region(&[(date!(2025 - 01 - 10), 7.6, 68.0)]);
        assert!(
            findings(&r)
                .iter()
                .any(|x| x.code == "lfa_stunted" || x.code == "lfa_severely_stunted")
        );
    }
}
