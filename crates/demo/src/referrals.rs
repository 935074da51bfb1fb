//! Referrals (rujukan) that follow the serious findings, each moved along
//! dibuat → diterima → ditindaklanjuti → selesai as far as time allows.
//!
//! Not every "rujuk" finding becomes a referral in real registers: the kader refers the
//! problems that need a nakes now (2T, BGM, severe stunting or wasting, KEK, high blood
//! pressure or glucose, dependency, suicidal thoughts, PPOK risk), about four times in five,
//! and once per person and problem within three months. Older referrals are further along.

use time::{Date, Duration};

use crate::findings::Finding;
use crate::model::{Region, UnitLevel};
use crate::rng::DemoRng;

/// Finding codes that lead to a referral (rules.md; all have action `rujuk`).
pub const REFERRED: [&str; 14] = [
    "kms_2t",
    "kms_bgm",
    "lfa_severely_stunted",
    "wfl_severely_wasted",
    "wfl_wasted",
    "kek",
    "anemia_pregnancy",
    "hypertension_grade2",
    "hypertension_grade3",
    "glucose_random_diabetes",
    "adl_severe_dependency",
    "adl_total_dependency",
    "srq20_suicidal",
    "puma_high_risk",
];

/// One referral and how far it got.
#[derive(Clone, Debug, PartialEq)]
pub struct Referral {
    /// Index into the findings list it follows.
    pub finding: usize,
    pub person: usize,
    /// The referring post (the visit's unit).
    pub unit: usize,
    pub date: Date,
    /// The Puskesmas above the post.
    pub to_facility: String,
    pub reason: String,
    /// 0 = dibuat, 1 = diterima, 2 = ditindaklanjuti, 3 = selesai.
    pub steps: u8,
}

fn puskesmas_of(region: &Region, mut unit: usize) -> Option<&str> {
    loop {
        let u = &region.units[unit];
        if u.level == UnitLevel::Puskesmas {
            return Some(&u.name);
        }
        unit = u.parent?;
    }
}

/// Referrals for `findings` (as returned by [`crate::findings::findings`]), up to `end`.
pub fn referrals(seed: u64, region: &Region, findings: &[Finding], end: Date) -> Vec<Referral> {
    let mut rng = DemoRng::new(seed, STREAM_REFERRAL);
    let mut last: std::collections::HashMap<(usize, &str), Date> = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if !REFERRED.contains(&f.code) {
            continue;
        }
        let key = (f.person, f.code);
        if last
            .get(&key)
            .is_some_and(|d| f.date - *d < Duration::days(90))
        {
            continue;
        }
        last.insert(key, f.date);
        if !rng.chance(0.8) {
            continue;
        }
        let v = &region.visits[f.visit];
        let unit = v.service_day.map_or(region.persons[f.person].unit, |s| {
            region.service_days[s].unit
        });
        let Some(to) = puskesmas_of(region, unit) else {
            continue;
        };
        // Age of the referral at the end of the period decides how far it can have moved.
        let age_days = (end - f.date).whole_days();
        let max_steps: u8 = match age_days {
            ..=6 => 0,
            7..=20 => 1,
            21..=45 => 2,
            _ => 3,
        };
        let steps = max_steps.min(match rng.weighted(&[0.12, 0.08, 0.15, 0.65]) {
            0 => 0,
            1 => 1,
            2 => 2,
            _ => 3,
        });
        out.push(Referral {
            finding: i,
            person: f.person,
            unit,
            date: f.date,
            to_facility: to.to_owned(),
            reason: f.label.to_owned(),
            steps,
        });
    }
    out
}

/// RNG stream of referrals.
pub const STREAM_REFERRAL: u64 = 9 << 40;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{DemoConfig, generate};

    #[test]
    fn referrals_follow_referred_findings_once_per_quarter() {
        let cfg = DemoConfig {
            persons: 800,
            ..DemoConfig::default()
        };
        let (_, end) = cfg.period().unwrap_or((end_default(), end_default()));
        let region = generate(&cfg).unwrap_or_default();
        let fs = crate::findings::findings(&region);
        let rs = referrals(cfg.seed, &region, &fs, end);
        assert!(!rs.is_empty());
        for r in &rs {
            assert!(REFERRED.contains(&fs[r.finding].code));
            assert!(r.to_facility.starts_with("Puskesmas "));
            assert!(r.steps <= 3);
        }
        let mut last = std::collections::HashMap::new();
        for r in &rs {
            if let Some(d) = last.insert((r.person, fs[r.finding].code), r.date) {
                assert!(r.date - d >= Duration::days(90));
            }
        }
        // Recent referrals have not moved yet.
        assert!(
            rs.iter()
                .filter(|r| (end - r.date).whole_days() <= 6)
                .all(|r| r.steps == 0)
        );
    }

    fn end_default() -> Date {
        time::macros::date!(2026 - 10 - 31)
    }
}
