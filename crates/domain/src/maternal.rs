//! Ibu hamil and ibu nifas: KEK, anaemia in pregnancy, the Poedji Rochjati score (KSPR)
//! and the ANC schedule (rules.md §6).

use crate::catalogue::{self as cat, Findings};
use crate::settings::Settings;
use crate::visit::Measurements;

/// A Poedji Rochjati risk factor as the form pre-fills it (§3.3 S). The engine never infers
/// factors from measurements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KsprFactor(usize);

/// Factor codes and points (4 for most, 8 for the five obstetric emergencies).
const KSPR_FACTORS: [(&str, u32); 28] = [
    ("primi_young", 4),
    ("primi_late_marriage", 4),
    ("primi_old", 4),
    ("short_interval", 4),
    ("long_interval", 4),
    ("grand_multipara", 4),
    ("age_35_plus", 4),
    ("short_stature", 4),
    ("prior_pregnancy_loss", 4),
    ("prior_vacuum_forceps", 4),
    ("prior_manual_placenta", 4),
    ("prior_infusion_transfusion", 4),
    ("anemia", 4),
    ("malaria", 4),
    ("tuberculosis", 4),
    ("heart_failure", 4),
    ("diabetes", 4),
    ("sexually_transmitted_infection", 4),
    ("oedema_hypertension", 4),
    ("multiple_pregnancy", 4),
    ("hydramnios", 4),
    ("intrauterine_death", 4),
    ("post_term", 4),
    ("prior_caesarean", 8),
    ("breech", 8),
    ("transverse_lie", 8),
    ("antepartum_haemorrhage", 8),
    ("severe_preeclampsia", 8),
];

impl KsprFactor {
    pub fn from_code(code: &str) -> Option<KsprFactor> {
        KSPR_FACTORS
            .iter()
            .position(|(c, _)| *c == code)
            .map(KsprFactor)
    }

    pub fn code(self) -> &'static str {
        KSPR_FACTORS[self.0].0
    }

    pub fn points(self) -> u32 {
        KSPR_FACTORS[self.0].1
    }

    /// Every factor, in the order of the KSPR card.
    pub fn all() -> impl Iterator<Item = KsprFactor> {
        (0..KSPR_FACTORS.len()).map(KsprFactor)
    }
}

/// KSPR score: 2 (skor awal) + the points of each distinct factor (§3.3 S).
pub fn kspr_score(factors: &[KsprFactor]) -> u32 {
    let mut seen = [false; KSPR_FACTORS.len()];
    let mut score = 2;
    for f in factors {
        if !std::mem::replace(&mut seen[f.0], true) {
            score += f.points();
        }
    }
    score
}

/// A current pregnancy. Fields are `None` when not given or invalid.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pregnancy {
    pub gestational_weeks: Option<f64>,
    pub anc_visits: Option<u32>,
    /// `None` = not filled in (or an unknown code): KSPR not evaluated.
    pub kspr_factors: Option<Vec<KsprFactor>>,
}

/// KEK: LiLA < 23.5 cm in pregnancy or postpartum (KMK2023 PMT ibu hamil KEK, §3.3 C).
pub fn kek_rule(m: &Measurements, out: &mut Findings) {
    if m.muac_cm.is_some_and(|v| v < 23.5) {
        out.push(&cat::KEK);
    }
}

/// Rules for a pregnant woman (rules.md §6). Cut-offs: anaemia Hb < 11.0 in trimester I and
/// III and when gw is unknown, < 10.5 in trimester II (KMK2023 PPK, §3.3 C; setting
/// `hb_pregnancy_tm2`); ANC K1 by the end of TM I, K3 by the end of TM II (§3.3 C).
pub fn pregnancy_rules(p: &Pregnancy, m: &Measurements, s: &Settings, out: &mut Findings) {
    kek_rule(m, out);
    let gw = p.gestational_weeks;
    if let Some(hb) = m.hb {
        let cut = match gw {
            Some(w) if w > 12.0 && w <= 24.0 => s.hb_pregnancy_tm2,
            _ => 11.0,
        };
        if hb < cut {
            out.push(&cat::ANEMIA_PREGNANCY);
        }
    }
    if let Some(factors) = &p.kspr_factors {
        let score = kspr_score(factors);
        out.push(if score <= 5 {
            &cat::KSPR_KRR
        } else if score <= 11 {
            &cat::KSPR_KRT
        } else {
            &cat::KSPR_KRST
        });
    }
    if let (Some(w), Some(k)) = (gw, p.anc_visits)
        && ((w > 12.0 && k < 1) || (w > 24.0 && k < 3))
    {
        out.push(&cat::ANC_BEHIND_SCHEDULE);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn run(p: &Pregnancy, m: &Measurements, s: &Settings) -> Vec<&'static str> {
        let mut f = Findings::default();
        pregnancy_rules(p, m, s, &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    fn hb(v: f64) -> Measurements {
        Measurements {
            hb: Some(v),
            ..Measurements::default()
        }
    }

    #[test]
    fn anaemia_by_trimester() {
        let s = Settings::default();
        let table: [(Option<f64>, f64, bool); 14] = [
            (Some(12.0), 10.99, true),
            (Some(12.0), 11.0, false),
            (Some(12.0), 11.01, false),
            (Some(12.5), 10.99, false),
            (Some(12.5), 10.49, true),
            (Some(12.5), 10.5, false),
            (Some(24.0), 10.49, true),
            (Some(24.0), 10.5, false),
            (Some(24.0), 10.51, false),
            (Some(24.5), 10.99, true),
            (Some(24.5), 11.0, false),
            (None, 10.99, true),
            (None, 11.0, false),
            (Some(40.0), 7.0, true),
        ];
        for (gw, v, fires) in table {
            let p = Pregnancy {
                gestational_weeks: gw,
                ..Pregnancy::default()
            };
            assert_eq!(
                run(&p, &hb(v), &s) == ["anemia_pregnancy"],
                fires,
                "gw {gw:?} hb {v}"
            );
        }
        let mut who = Settings::default();
        who.apply("hb_pregnancy_tm2=11.0").unwrap();
        let p = Pregnancy {
            gestational_weeks: Some(20.0),
            ..Pregnancy::default()
        };
        assert_eq!(run(&p, &hb(10.9), &who), ["anemia_pregnancy"]);
        assert!(run(&p, &hb(10.9), &s).is_empty());
    }

    #[test]
    fn kek_threshold() {
        let s = Settings::default();
        let p = Pregnancy::default();
        for (muac, fires) in [(23.49, true), (23.5, false), (23.51, false)] {
            let m = Measurements {
                muac_cm: Some(muac),
                ..Measurements::default()
            };
            assert_eq!(run(&p, &m, &s) == ["kek"], fires, "{muac}");
        }
    }

    fn factors(codes: &[&str]) -> Vec<KsprFactor> {
        codes
            .iter()
            .map(|c| KsprFactor::from_code(c).unwrap())
            .collect()
    }

    #[test]
    fn kspr_score_bands() {
        let s = Settings::default();
        let table: [(&[&str], u32, &str); 7] = [
            (&[], 2, "kspr_krr"),
            (&["anemia"], 6, "kspr_krt"),
            (&["anemia", "anemia"], 6, "kspr_krt"),
            (&["anemia", "malaria"], 10, "kspr_krt"),
            (&["breech"], 10, "kspr_krt"),
            (&["anemia", "malaria", "tuberculosis"], 14, "kspr_krst"),
            (&["breech", "anemia"], 14, "kspr_krst"),
        ];
        for (codes, score, want) in table {
            let f = factors(codes);
            assert_eq!(kspr_score(&f), score, "{codes:?}");
            let p = Pregnancy {
                kspr_factors: Some(f),
                ..Pregnancy::default()
            };
            assert_eq!(run(&p, &Measurements::default(), &s), [want], "{codes:?}");
        }
        assert_eq!(KsprFactor::all().count(), 28);
        assert_eq!(KsprFactor::all().filter(|f| f.points() == 8).count(), 5);
        assert!(KsprFactor::from_code("unknown").is_none());
    }

    #[test]
    fn anc_schedule() {
        let s = Settings::default();
        let table = [
            (12.0, 0, false),
            (12.1, 0, true),
            (13.0, 1, false),
            (24.0, 1, false),
            (24.1, 2, true),
            (24.1, 3, false),
            (30.0, 0, true),
        ];
        for (gw, k, fires) in table {
            let p = Pregnancy {
                gestational_weeks: Some(gw),
                anc_visits: Some(k),
                ..Pregnancy::default()
            };
            let got = run(&p, &Measurements::default(), &s);
            assert_eq!(got == ["anc_behind_schedule"], fires, "gw {gw} K{k}");
        }
        let p = Pregnancy {
            anc_visits: Some(0),
            ..Pregnancy::default()
        };
        assert!(run(&p, &Measurements::default(), &s).is_empty());
    }
}
