//! Child nutrition status: WHO z-scores from the `growth` crate and the Permenkes 2/2020
//! categories on them (rules.md §1 and §3). Rules compare the published 2-decimal z, so
//! the category always matches the number the cadre sees; a z WHO flags as implausible is
//! shown but never classified (WHO-R §3.9).

use crate::age::Age;
use crate::catalogue::{self as cat, Findings};
use crate::settings::Settings;
use crate::visit::{Measurements, Position, Sex};

/// One published z-score: WHO's 2-decimal value and its implausibility flag.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Z {
    pub z: f64,
    pub implausible: bool,
}

impl Z {
    /// The z a rule may use: present and not flagged.
    pub fn usable(z: Option<Z>) -> Option<f64> {
        z.filter(|z| !z.implausible).map(|z| z.z)
    }

    fn from_growth(z: Option<growth::Zscore>) -> Option<Z> {
        z.filter(|z| z.z.is_finite()).map(|z| Z {
            // R prints −0 as 0; keep the sign out of the output.
            z: if z.z == 0.0 { 0.0 } else { z.z },
            implausible: z.implausible,
        })
    }
}

/// The z-scores WHO computes for one visit (WHO 2006 to 1826 days, WHO 2007 from 1827).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Zscores {
    pub zlen: Option<Z>,
    pub zwei: Option<Z>,
    pub zwfl: Option<Z>,
    pub zbmi: Option<Z>,
    pub zhc: Option<Z>,
    pub zac: Option<Z>,
    pub zhfa: Option<Z>,
    pub zbfa: Option<Z>,
    pub zwfa: Option<Z>,
}

impl Zscores {
    /// Name, value and the measurement to re-check when flagged (rules.md §11.4), in
    /// output order.
    pub fn named(&self) -> [(&'static str, Option<Z>, &'static str); 9] {
        [
            ("zlen", self.zlen, "lenhei_cm"),
            ("zwei", self.zwei, "weight_kg"),
            ("zwfl", self.zwfl, "weight_kg"),
            ("zbmi", self.zbmi, "weight_kg"),
            ("zhc", self.zhc, "head_cm"),
            ("zac", self.zac, "muac_cm"),
            ("zhfa", self.zhfa, "lenhei_cm"),
            ("zbfa", self.zbfa, "weight_kg"),
            ("zwfa", self.zwfa, "weight_kg"),
        ]
    }
}

/// WHO z-scores by WHO's own ranges (not by rule group): WHO 2006 for `age_days ≤ 1826`,
/// WHO 2007 from 1827 days (WHO-R §3.3, §3.8). No sex, no z (WHO-R §3.7).
pub fn zscores(sex: Option<Sex>, age: Age, m: &Measurements) -> Zscores {
    let Some(sex) = sex else {
        return Zscores::default();
    };
    if age.is_balita() {
        let input = growth::ChildMeasurements {
            sex: Some(sex.to_growth()),
            age: Some(growth::Age::Days(age.days as f64)),
            weight_kg: m.weight_kg,
            lenhei_cm: m.lenhei_cm,
            measure: m.measure.map(|p| match p {
                Position::Lying => growth::Measure::Lying,
                Position::Standing => growth::Measure::Standing,
            }),
            headc_cm: m.head_cm,
            armc_cm: m.muac_cm,
            oedema: m.oedema,
            ..Default::default()
        };
        let z = growth::who2006(&input);
        Zscores {
            zlen: Z::from_growth(z.zlen),
            zwei: Z::from_growth(z.zwei),
            zwfl: Z::from_growth(z.zwfl),
            zbmi: Z::from_growth(z.zbmi),
            zhc: Z::from_growth(z.zhc),
            zac: Z::from_growth(z.zac),
            ..Zscores::default()
        }
    } else {
        let input = growth::YouthMeasurements {
            sex: Some(sex.to_growth()),
            age_months: Some(age.days as f64 / 30.4375),
            weight_kg: m.weight_kg,
            height_cm: m.lenhei_cm,
            oedema: m.oedema,
        };
        let z = growth::who2007(&input);
        Zscores {
            zhfa: Z::from_growth(z.zhfa),
            zbfa: Z::from_growth(z.zbfa),
            zwfa: Z::from_growth(z.zwfa),
            ..Zscores::default()
        }
    }
}

/// Weight-for-age (WHO 2006) of an earlier weighing, without oedema (rules.md §2).
pub fn waz_at(sex: Sex, age_days: i64, weight_kg: f64) -> Option<Z> {
    let input = growth::ChildMeasurements {
        sex: Some(sex.to_growth()),
        age: Some(growth::Age::Days(age_days as f64)),
        weight_kg: Some(weight_kg),
        ..Default::default()
    };
    Z::from_growth(growth::who2006(&input).zwei)
}

/// Permenkes 2/2020 balita categories (rules.md §1; domain §3.1 S), MUAC and oedema.
pub fn balita_rules(z: &Zscores, age: Age, m: &Measurements, s: &Settings, out: &mut Findings) {
    if !age.is_balita() {
        return;
    }
    // BB/U: < −3 sangat kurang; −3 to < −2 kurang; > +1 risiko BB lebih.
    if let Some(v) = Z::usable(z.zwei) {
        if v < -3.0 {
            out.push(&cat::WFA_SEVERELY_UNDERWEIGHT);
        } else if v < -2.0 {
            out.push(&cat::WFA_UNDERWEIGHT);
        } else if v > 1.0 {
            out.push(&cat::WFA_RISK_OVERWEIGHT);
        }
    }
    // PB/U or TB/U: < −3 sangat pendek; −3 to < −2 pendek; > +3 tinggi.
    if let Some(v) = Z::usable(z.zlen) {
        if v < -3.0 {
            out.push(&cat::LFA_SEVERELY_STUNTED);
        } else if v < -2.0 {
            out.push(&cat::LFA_STUNTED);
        } else if v > 3.0 {
            out.push(&cat::LFA_TALL);
        }
    }
    // BB/PB, BB/TB and IMT/U share the six Permenkes bands.
    if let Some(v) = Z::usable(z.zwfl) {
        wasting_bands(
            v,
            [
                &cat::WFL_SEVERELY_WASTED,
                &cat::WFL_WASTED,
                &cat::WFL_RISK_OVERWEIGHT,
                &cat::WFL_OVERWEIGHT,
                &cat::WFL_OBESE,
            ],
            out,
        );
    }
    if let Some(v) = Z::usable(z.zbmi) {
        wasting_bands(
            v,
            [
                &cat::BFA_U5_SEVERELY_WASTED,
                &cat::BFA_U5_WASTED,
                &cat::BFA_U5_RISK_OVERWEIGHT,
                &cat::BFA_U5_OVERWEIGHT,
                &cat::BFA_U5_OBESE,
            ],
            out,
        );
    }
    if let Some(v) = Z::usable(z.zhc) {
        if v < -2.0 {
            out.push(&cat::HC_MICROCEPHALY);
        } else if v > 2.0 {
            out.push(&cat::HC_MACROCEPHALY);
        }
    }
    if let Some(muac) = m.muac_cm
        && (6..=59).contains(&age.months)
        && muac < s.muac_sam_cm
    {
        out.push(&cat::MUAC_SAM);
    }
    if m.oedema {
        out.push(&cat::NUTRITIONAL_OEDEMA);
    }
}

/// < −3 | −3 to < −2 | (normal) | > +1 to +2 | > +2 to +3 | > +3.
fn wasting_bands(v: f64, rules: [&'static cat::Rule; 5], out: &mut Findings) {
    let [severe, moderate, risk, over, obese] = rules;
    if v < -3.0 {
        out.push(severe);
    } else if v < -2.0 {
        out.push(moderate);
    } else if v > 3.0 {
        out.push(obese);
    } else if v > 2.0 {
        out.push(over);
    } else if v > 1.0 {
        out.push(risk);
    }
}

/// IMT/U 5–18 years on WHO 2007 (rules.md §3; KMK2023 §3.1 C, severe band P2/2020 §3.1 S).
pub fn school_age_rules(z: &Zscores, age: Age, pregnant: bool, out: &mut Findings) {
    if !age.is_school_age() || pregnant {
        return;
    }
    if let Some(v) = Z::usable(z.zbfa) {
        if v < -3.0 {
            out.push(&cat::BFA_SEVERELY_THIN);
        } else if v < -2.0 {
            out.push(&cat::BFA_THIN);
        } else if v > 2.0 {
            out.push(&cat::BFA_OBESE);
        } else if v > 1.0 {
            out.push(&cat::BFA_OVERWEIGHT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn z(v: f64) -> Option<Z> {
        Some(Z {
            z: v,
            implausible: false,
        })
    }

    fn age(days: i64) -> Age {
        Age {
            days,
            months: crate::age::completed_months(days),
            years: (days / 366) as i32,
        }
    }

    fn codes(zs: Zscores, a: Age, m: &Measurements) -> Vec<&'static str> {
        let mut f = Findings::default();
        balita_rules(&zs, a, m, &Settings::default(), &mut f);
        f.finish().iter().map(|r| r.code).collect()
    }

    #[test]
    fn weight_for_age_bands() {
        let table: [(f64, &[&str]); 9] = [
            (-3.01, &["wfa_severely_underweight"]),
            (-3.0, &["wfa_underweight"]),
            (-2.99, &["wfa_underweight"]),
            (-2.01, &["wfa_underweight"]),
            (-2.0, &[]),
            (-1.99, &[]),
            (1.0, &[]),
            (1.01, &["wfa_risk_overweight"]),
            (5.0, &["wfa_risk_overweight"]),
        ];
        for (v, want) in table {
            let zs = Zscores {
                zwei: z(v),
                ..Zscores::default()
            };
            assert_eq!(
                codes(zs, age(400), &Measurements::default()),
                want,
                "zwei {v}"
            );
        }
    }

    #[test]
    fn length_for_age_bands() {
        let table: [(f64, &[&str]); 8] = [
            (-3.01, &["lfa_severely_stunted"]),
            (-3.0, &["lfa_stunted"]),
            (-2.01, &["lfa_stunted"]),
            (-2.0, &[]),
            (-1.99, &[]),
            (2.99, &[]),
            (3.0, &[]),
            (3.01, &["lfa_tall"]),
        ];
        for (v, want) in table {
            let zs = Zscores {
                zlen: z(v),
                ..Zscores::default()
            };
            assert_eq!(
                codes(zs, age(400), &Measurements::default()),
                want,
                "zlen {v}"
            );
        }
    }

    #[test]
    fn wfl_and_bmi_bands() {
        let table: [(f64, &str); 16] = [
            (-3.01, "severely_wasted"),
            (-3.0, "wasted"),
            (-2.99, "wasted"),
            (-2.01, "wasted"),
            (-2.0, ""),
            (-1.99, ""),
            (1.0, ""),
            (1.01, "risk_overweight"),
            (1.99, "risk_overweight"),
            (2.0, "risk_overweight"),
            (2.01, "overweight"),
            (2.99, "overweight"),
            (3.0, "overweight"),
            (3.01, "obese"),
            (0.0, ""),
            (-5.0, "severely_wasted"),
        ];
        for (v, want) in table {
            let zs = Zscores {
                zwfl: z(v),
                ..Zscores::default()
            };
            let got = codes(zs, age(400), &Measurements::default());
            let want_wfl: Vec<String> = if want.is_empty() {
                vec![]
            } else {
                vec![format!("wfl_{want}")]
            };
            assert_eq!(got, want_wfl, "zwfl {v}");
            let zs = Zscores {
                zbmi: z(v),
                ..Zscores::default()
            };
            let got = codes(zs, age(400), &Measurements::default());
            let want_bmi: Vec<String> = if want.is_empty() {
                vec![]
            } else {
                vec![format!("bfa_u5_{want}")]
            };
            assert_eq!(got, want_bmi, "zbmi {v}");
        }
    }

    #[test]
    fn head_circumference_bands() {
        let table: [(f64, &[&str]); 6] = [
            (-2.01, &["hc_microcephaly"]),
            (-2.0, &[]),
            (-1.99, &[]),
            (1.99, &[]),
            (2.0, &[]),
            (2.01, &["hc_macrocephaly"]),
        ];
        for (v, want) in table {
            let zs = Zscores {
                zhc: z(v),
                ..Zscores::default()
            };
            assert_eq!(
                codes(zs, age(400), &Measurements::default()),
                want,
                "zhc {v}"
            );
        }
    }

    #[test]
    fn flagged_z_is_not_classified() {
        let zs = Zscores {
            zwei: Some(Z {
                z: -6.5,
                implausible: true,
            }),
            ..Zscores::default()
        };
        assert!(codes(zs, age(400), &Measurements::default()).is_empty());
    }

    #[test]
    fn muac_sam_ages_and_cut_off() {
        // (age_days, muac, fires): 6 completed months = day 183 (16·183/487 = 6.01).
        let table = [
            (182, 11.0, false),
            (183, 11.0, true),
            (400, 11.49, true),
            (400, 11.5, false),
            (400, 11.51, false),
            (1826, 11.0, true),
        ];
        for (d, muac, fires) in table {
            let m = Measurements {
                muac_cm: Some(muac),
                ..Measurements::default()
            };
            let got = codes(Zscores::default(), age(d), &m);
            assert_eq!(got.contains(&"muac_sam"), fires, "day {d} muac {muac}");
        }
    }

    #[test]
    fn oedema_is_severe_malnutrition_only_for_balita() {
        let m = Measurements {
            oedema: true,
            ..Measurements::default()
        };
        assert_eq!(
            codes(Zscores::default(), age(100), &m),
            ["nutritional_oedema"]
        );
        assert!(codes(Zscores::default(), age(1827), &m).is_empty());
    }

    #[test]
    fn school_age_bands() {
        let table: [(f64, &[&str]); 10] = [
            (-3.01, &["bfa_severely_thin"]),
            (-3.0, &["bfa_thin"]),
            (-2.01, &["bfa_thin"]),
            (-2.0, &[]),
            (1.0, &[]),
            (1.01, &["bfa_overweight"]),
            (2.0, &["bfa_overweight"]),
            (2.01, &["bfa_obese"]),
            (-1.99, &[]),
            (0.99, &[]),
        ];
        for (v, want) in table {
            let zs = Zscores {
                zbfa: z(v),
                ..Zscores::default()
            };
            let a = Age {
                days: 3000,
                months: 98,
                years: 8,
            };
            let mut f = Findings::default();
            school_age_rules(&zs, a, false, &mut f);
            let got: Vec<&str> = f.finish().iter().map(|r| r.code).collect();
            assert_eq!(got, want, "zbfa {v}");
            let mut f = Findings::default();
            school_age_rules(&zs, a, true, &mut f);
            assert!(
                f.finish().is_empty(),
                "pregnant girls are not classified by IMT/U"
            );
        }
    }
}
