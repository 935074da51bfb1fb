//! Questionnaire and symptom screens of the KMK2023 forms (rules.md §8, domain §3.8 C):
//! SRQ-20, PUMA, Barthel ADL, SKILAS, TB symptoms and finger-counting vision.

use crate::age::Age;
use crate::catalogue::{self as cat, Findings};
use crate::settings::Settings;
use crate::visit::{Measurements, Sex};

/// PUMA answers (KMK2023 kuesioner PUMA).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Puma {
    pub pack_years: f64,
    pub breathless: bool,
    pub phlegm: bool,
    pub cough: bool,
    pub spirometry: bool,
}

/// SKILAS: one flag per domain; a domain not asked counts as not ticked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Skilas {
    pub cognitive: bool,
    pub mobility: bool,
    pub malnutrition: bool,
    pub vision: bool,
    pub hearing: bool,
    pub depression: bool,
}

impl Skilas {
    pub const DOMAINS: [&'static str; 6] = [
        "cognitive",
        "mobility",
        "malnutrition",
        "vision",
        "hearing",
        "depression",
    ];

    /// Set a domain by its JSON key; `false` if the key is not a domain.
    pub fn set(&mut self, key: &str, value: bool) -> bool {
        let slot = match key {
            "cognitive" => &mut self.cognitive,
            "mobility" => &mut self.mobility,
            "malnutrition" => &mut self.malnutrition,
            "vision" => &mut self.vision,
            "hearing" => &mut self.hearing,
            "depression" => &mut self.depression,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// TB symptoms (KMK2023 form TB and balita skrining TB).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TbSymptoms {
    /// Cough of any duration.
    pub cough: bool,
    pub cough_2w: bool,
    /// Unexplained fever.
    pub fever: bool,
    /// Fever longer than 2 weeks.
    pub fever_2w: bool,
    /// Weight loss, not gaining, or loss of appetite.
    pub weight_loss: bool,
    pub night_sweats: bool,
    pub lethargy: bool,
}

impl TbSymptoms {
    pub const KEYS: [&'static str; 7] = [
        "cough",
        "cough_2w",
        "fever",
        "fever_2w",
        "weight_loss",
        "night_sweats",
        "lethargy",
    ];

    /// Set a symptom by its JSON key; `false` if the key is not a symptom.
    pub fn set(&mut self, key: &str, value: bool) -> bool {
        let slot = match key {
            "cough" => &mut self.cough,
            "cough_2w" => &mut self.cough_2w,
            "fever" => &mut self.fever,
            "fever_2w" => &mut self.fever_2w,
            "weight_loss" => &mut self.weight_loss,
            "night_sweats" => &mut self.night_sweats,
            "lethargy" => &mut self.lethargy,
            _ => return false,
        };
        *slot = value;
        true
    }
}

/// The questionnaires filled in at this visit; `None` = not asked (or invalid).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Questionnaires {
    pub srq20: Option<[bool; 20]>,
    pub puma: Option<Puma>,
    /// Barthel ADL index, 0–20.
    pub barthel: Option<u8>,
    pub skilas: Option<Skilas>,
    pub tb_symptoms: Option<TbSymptoms>,
    /// Fingers miscounted at 6 m, of 5.
    pub vision_fingers_wrong: Option<u8>,
}

/// PUMA score 0–9: sex M 1; age 40–49 0, 50–59 1, ≥ 60 2; pack-years < 20 0, 20–30 1,
/// > 30 2; +1 each for breathless, phlegm, cough, earlier spirometry.
pub fn puma_score(p: &Puma, sex: Sex, age_years: i32) -> u32 {
    let sex_pts = u32::from(sex == Sex::Male);
    let age_pts = match age_years {
        ..50 => 0,
        50..60 => 1,
        _ => 2,
    };
    let pack_pts = if p.pack_years < 20.0 {
        0
    } else if p.pack_years <= 30.0 {
        1
    } else {
        2
    };
    let answers = [p.breathless, p.phlegm, p.cough, p.spirometry];
    sex_pts + age_pts + pack_pts + answers.iter().map(|&b| u32::from(b)).sum::<u32>()
}

/// All questionnaire rules (rules.md §8).
pub fn questionnaire_rules(
    q: &Questionnaires,
    m: &Measurements,
    sex: Option<Sex>,
    age: Age,
    s: &Settings,
    out: &mut Findings,
) {
    // SRQ-20: ≥ 6 "ya" → rujuk; item 17 (suicidal thoughts) always followed up.
    if age.years >= s.srq20_min_years
        && let Some(srq) = &q.srq20
    {
        if srq.iter().filter(|&&b| b).count() >= 6 {
            out.push(&cat::SRQ20_POSITIVE);
        }
        if srq[16] {
            out.push(&cat::SRQ20_SUICIDAL);
        }
    }
    // PUMA from 40 y; the score needs sex.
    if age.years >= 40
        && let (Some(p), Some(sex)) = (&q.puma, sex)
        && puma_score(p, sex, age.years) >= s.puma_cutoff
    {
        out.push(&cat::PUMA_HIGH_RISK);
    }
    if age.is_lansia() {
        if let Some(b) = q.barthel {
            match b {
                0..=4 => out.push(&cat::ADL_TOTAL_DEPENDENCY),
                5..=8 => out.push(&cat::ADL_SEVERE_DEPENDENCY),
                9..=11 => out.push(&cat::ADL_MODERATE_DEPENDENCY),
                12..=19 => out.push(&cat::ADL_MILD_DEPENDENCY),
                _ => {}
            }
        }
        let sk = q.skilas.unwrap_or_default();
        let domains = [
            (sk.cognitive, &cat::SKILAS_COGNITIVE),
            (sk.mobility, &cat::SKILAS_MOBILITY),
            (
                sk.malnutrition || m.muac_cm.is_some_and(|v| v < 21.0),
                &cat::SKILAS_MALNUTRITION,
            ),
            (sk.vision, &cat::SKILAS_VISION),
            (sk.hearing, &cat::SKILAS_HEARING),
            (sk.depression, &cat::SKILAS_DEPRESSION),
        ];
        for (ticked, rule) in domains {
            if ticked {
                out.push(rule);
            }
        }
    }
    if let Some(tb) = &q.tb_symptoms {
        if age.years < 15 {
            // A child's short cough or fever alone is not a child TB symptom.
            if tb.cough_2w || tb.fever_2w || tb.weight_loss || tb.lethargy {
                out.push(&cat::TB_PRESUMPTIVE_CHILD);
            }
        } else if tb.cough
            || tb.cough_2w
            || tb.fever
            || tb.fever_2w
            || tb.weight_loss
            || tb.night_sweats
            || tb.lethargy
        {
            out.push(&cat::TB_PRESUMPTIVE_ADULT);
        }
    }
    if age.years >= 15 && q.vision_fingers_wrong.is_some_and(|n| n >= 2) {
        out.push(&cat::VISION_IMPAIRMENT_SUSPECT);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn age(years: i32) -> Age {
        Age {
            days: i64::from(years) * 366,
            months: i64::from(years) * 12,
            years,
        }
    }

    fn run(q: &Questionnaires, sex: Option<Sex>, years: i32, s: &Settings) -> Vec<&'static str> {
        run_m(q, &Measurements::default(), sex, years, s)
    }

    fn run_m(
        q: &Questionnaires,
        m: &Measurements,
        sex: Option<Sex>,
        years: i32,
        s: &Settings,
    ) -> Vec<&'static str> {
        let mut f = Findings::default();
        questionnaire_rules(q, m, sex, age(years), s, &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    fn srq(yes: usize, item17: bool) -> Questionnaires {
        let mut a = [false; 20];
        for slot in a.iter_mut().take(yes) {
            *slot = true;
        }
        if item17 {
            a[16] = true;
        }
        Questionnaires {
            srq20: Some(a),
            ..Questionnaires::default()
        }
    }

    #[test]
    fn srq20() {
        let s = Settings::default();
        assert!(run(&srq(5, false), None, 15, &s).is_empty());
        assert_eq!(run(&srq(6, false), None, 15, &s), ["srq20_positive"]);
        assert_eq!(run(&srq(7, false), None, 15, &s), ["srq20_positive"]);
        assert_eq!(run(&srq(0, true), None, 15, &s), ["srq20_suicidal"]);
        assert_eq!(
            run(&srq(5, true), None, 15, &s),
            ["srq20_positive", "srq20_suicidal"]
        );
        assert!(run(&srq(10, true), None, 14, &s).is_empty());
        let mut s19 = Settings::default();
        s19.apply("srq20_min_years=19").unwrap();
        assert!(run(&srq(10, true), None, 18, &s19).is_empty());
        assert_eq!(run(&srq(0, true), None, 19, &s19), ["srq20_suicidal"]);
    }

    fn puma(pack_years: f64, answers: usize) -> Puma {
        Puma {
            pack_years,
            breathless: answers > 0,
            phlegm: answers > 1,
            cough: answers > 2,
            spirometry: answers > 3,
        }
    }

    #[test]
    fn puma_points() {
        let m = Sex::Male;
        let f = Sex::Female;
        let table = [
            (puma(0.0, 0), f, 40, 0),
            (puma(0.0, 0), m, 49, 1),
            (puma(0.0, 0), f, 50, 1),
            (puma(0.0, 0), f, 59, 1),
            (puma(0.0, 0), f, 60, 2),
            (puma(19.9, 0), f, 40, 0),
            (puma(20.0, 0), f, 40, 1),
            (puma(30.0, 0), f, 40, 1),
            (puma(30.1, 0), f, 40, 2),
            (puma(31.0, 4), m, 60, 9),
        ];
        for (p, sex, years, want) in table {
            assert_eq!(puma_score(&p, sex, years), want, "{p:?} {sex:?} {years}");
        }
    }

    #[test]
    fn puma_cut_off_age_and_sex() {
        let s = Settings::default();
        let q = |p: Puma| Questionnaires {
            puma: Some(p),
            ..Questionnaires::default()
        };
        // Male, 50 y, 20 pack-years = 3, + answers.
        assert!(run(&q(puma(20.0, 2)), Some(Sex::Male), 50, &s).is_empty());
        assert_eq!(
            run(&q(puma(20.0, 3)), Some(Sex::Male), 50, &s),
            ["puma_high_risk"]
        );
        assert!(run(&q(puma(40.0, 4)), None, 60, &s).is_empty());
        assert!(run(&q(puma(40.0, 4)), Some(Sex::Male), 39, &s).is_empty());
        let mut s8 = Settings::default();
        s8.apply("puma_cutoff=8").unwrap();
        assert!(run(&q(puma(20.0, 3)), Some(Sex::Male), 60, &s8).is_empty()); // 7
        assert_eq!(
            run(&q(puma(31.0, 3)), Some(Sex::Male), 60, &s8), // 8
            ["puma_high_risk"]
        );
    }

    #[test]
    fn barthel_bands() {
        let s = Settings::default();
        let table: [(u8, &[&str]); 10] = [
            (20, &[]),
            (19, &["adl_mild_dependency"]),
            (12, &["adl_mild_dependency"]),
            (11, &["adl_moderate_dependency"]),
            (9, &["adl_moderate_dependency"]),
            (8, &["adl_severe_dependency"]),
            (5, &["adl_severe_dependency"]),
            (4, &["adl_total_dependency"]),
            (0, &["adl_total_dependency"]),
            (13, &["adl_mild_dependency"]),
        ];
        for (b, want) in table {
            let q = Questionnaires {
                barthel: Some(b),
                ..Questionnaires::default()
            };
            assert_eq!(run(&q, None, 60, &s), want, "barthel {b}");
            assert!(run(&q, None, 59, &s).is_empty());
        }
    }

    #[test]
    fn skilas_domains_and_muac() {
        let s = Settings::default();
        for (i, key) in Skilas::DOMAINS.iter().enumerate() {
            let mut sk = Skilas::default();
            assert!(sk.set(key, true));
            let q = Questionnaires {
                skilas: Some(sk),
                ..Questionnaires::default()
            };
            assert_eq!(run(&q, None, 70, &s), [format!("skilas_{key}")], "{i}");
            assert!(run(&q, None, 59, &s).is_empty());
        }
        let none = Questionnaires::default();
        for (muac, fires) in [(20.99, true), (21.0, false), (21.01, false)] {
            let m = Measurements {
                muac_cm: Some(muac),
                ..Measurements::default()
            };
            assert_eq!(
                run_m(&none, &m, None, 60, &s) == ["skilas_malnutrition"],
                fires,
                "{muac}"
            );
        }
    }

    #[test]
    fn tb_child_and_adult() {
        let s = Settings::default();
        for key in TbSymptoms::KEYS {
            let mut tb = TbSymptoms::default();
            assert!(tb.set(key, true));
            let q = Questionnaires {
                tb_symptoms: Some(tb),
                ..Questionnaires::default()
            };
            let child = matches!(key, "cough_2w" | "fever_2w" | "weight_loss" | "lethargy");
            let want: &[&str] = if child {
                &["tb_presumptive_child"]
            } else {
                &[]
            };
            assert_eq!(run(&q, None, 14, &s), want, "child {key}");
            assert_eq!(run(&q, None, 1, &s), want, "balita {key}");
            assert_eq!(
                run(&q, None, 15, &s),
                ["tb_presumptive_adult"],
                "adult {key}"
            );
        }
        let q = Questionnaires {
            tb_symptoms: Some(TbSymptoms::default()),
            ..Questionnaires::default()
        };
        assert!(run(&q, None, 30, &s).is_empty());
    }

    #[test]
    fn vision_fingers() {
        let s = Settings::default();
        for (n, years, fires) in [(1, 15, false), (2, 15, true), (5, 70, true), (2, 14, false)] {
            let q = Questionnaires {
                vision_fingers_wrong: Some(n),
                ..Questionnaires::default()
            };
            assert_eq!(
                run(&q, None, years, &s) == ["vision_impairment_suspect"],
                fires,
                "{n} wrong at {years}"
            );
        }
    }
}
