//! Counts, a checksum and the headline shares of a generated region, so that the demo can
//! be checked (same seed → same checksum) and its realism read at a glance.

use std::collections::HashMap;
use std::fmt::Write as _;

use growth::{Age, ChildMeasurements, Measure, who2006};
use sha2::{Digest, Sha256};
use time::Date;

use crate::model::{Kind, Region, Sex};

/// (date, weight kg, length/height cm, measured lying).
type BalitaWeighing = (Date, f64, Option<f64>, bool);

/// Headline figures of a region.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    pub units: usize,
    pub households: usize,
    pub persons: usize,
    pub balita_at_end: usize,
    pub elderly_at_end: usize,
    pub service_days: usize,
    pub visits: usize,
    pub measurements: usize,
    pub doses: usize,
    pub pregnancies: usize,
    pub screenings: usize,
    /// Share of balita (latest measurement in the last 3 months) with length/height-for-age
    /// z < −2 (Permenkes 2/2020).
    pub stunting: f64,
    /// Share of weighings with a weighing the month before that did not gain the KBM (T).
    pub t_share: f64,
    /// T share among weighings of children under 24 months (KBM ≥ 200 g is above the WHO
    /// median monthly gain from about 2 years, so older children are T more often).
    pub t_share_under2: f64,
    /// Share of such weighings that are T for the second time in a row (2T).
    pub t2_share: f64,
    /// Share of weighings below −3 SD weight-for-age (BGM, rules.md §2).
    pub bgm_share: f64,
    /// Share of pregnancies with LiLA < 23.5 cm at the first contact (KEK).
    pub kek_share: f64,
    /// Share of pregnancies with at least one KSPR factor.
    pub high_risk_share: f64,
    /// Share of adult (≥ 18 y) screenings with BP ≥ 140/90.
    pub hypertension_share: f64,
    /// SHA-256 of the region's canonical text form.
    pub checksum: String,
}

/// KBM (minimum weight gain, g) by completed month of age, rules.md §2 (KIA2023, §3.2 C;
/// bands 7–10 = 300 g and 11–59 = 200 g as chosen there).
pub fn kbm_grams(age_months: i64) -> Option<i64> {
    Some(match age_months {
        1 => 800,
        2 => 900,
        3 => 800,
        4 => 600,
        5 => 500,
        6 => 400,
        7..=10 => 300,
        11..=59 => 200,
        _ => return None,
    })
}

fn completed_months(birth: Date, on: Date) -> i64 {
    (on - birth).whole_days() * 16 / 487
}

fn month_index(d: Date) -> i32 {
    d.year() * 12 + u8::from(d.month()) as i32
}

/// The SHA-256 of the region's Debug form: every field, in order, with full float precision.
pub fn checksum(region: &Region) -> String {
    sha256_hex(format!("{region:?}").as_bytes())
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(bytes) {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// Computes the summary; `end` is the last day of the period.
pub fn summarize(region: &Region, end: Date) -> Summary {
    let mut s = Summary {
        units: region.units.len(),
        households: region.households.len(),
        persons: region.persons.len(),
        service_days: region.service_days.len(),
        visits: region.visits.len(),
        measurements: region.measurement_count(),
        doses: region.doses.len(),
        pregnancies: region.pregnancies.len(),
        screenings: region.screenings.len(),
        checksum: checksum(region),
        ..Summary::default()
    };
    for p in &region.persons {
        let days = (end - p.birth_date).whole_days();
        if (0..=1826).contains(&days) {
            s.balita_at_end += 1;
        }
        if days >= 60 * 365 + 15 {
            s.elderly_at_end += 1;
        }
    }
    // Balita weighings by child, in date order.
    let mut by_child: HashMap<usize, Vec<BalitaWeighing>> = HashMap::new();
    for v in region.visits.iter().filter(|v| v.pregnancy.is_none()) {
        let p = &region.persons[v.person];
        let days = (v.date - p.birth_date).whole_days();
        if days > 1826 {
            continue;
        }
        let w = v
            .measurements
            .iter()
            .find(|(k, _)| *k == Kind::WeightKg)
            .map(|m| m.1);
        let len = v
            .measurements
            .iter()
            .find(|(k, _)| matches!(k, Kind::LengthCm | Kind::HeightCm));
        if let Some(w) = w {
            by_child.entry(v.person).or_default().push((
                v.date,
                w,
                len.map(|m| m.1),
                len.is_some_and(|m| m.0 == Kind::LengthCm),
            ));
        }
    }
    let (mut stunted, mut latest_n, mut weighed, mut t, mut t2, mut with_prev, mut bgm) =
        (0, 0, 0, 0, 0, 0, 0);
    let (mut t_u2, mut with_prev_u2) = (0, 0);
    let recent = month_index(end) - 2;
    let mut children: Vec<_> = by_child.into_iter().collect();
    children.sort_by_key(|(k, _)| *k);
    for (pi, mut ws) in children {
        ws.sort_by_key(|w| w.0);
        let p = &region.persons[pi];
        let sex = match p.sex {
            Sex::Male => growth::Sex::Male,
            Sex::Female => growth::Sex::Female,
        };
        let z = |&(d, w, len, lying): &(Date, f64, Option<f64>, bool)| {
            who2006(&ChildMeasurements {
                sex: Some(sex),
                age: Some(Age::Days((d - p.birth_date).whole_days() as f64)),
                weight_kg: Some(w),
                lenhei_cm: len,
                measure: Some(if lying {
                    Measure::Lying
                } else {
                    Measure::Standing
                }),
                ..ChildMeasurements::default()
            })
        };
        if let Some(last) = ws.last().filter(|w| month_index(w.0) >= recent)
            && let Some(zl) = z(last).zlen.filter(|z| !z.implausible)
        {
            latest_n += 1;
            if zl.z < -2.0 {
                stunted += 1;
            }
        }
        let mut prev_t = false;
        for i in 0..ws.len() {
            weighed += 1;
            if z(&ws[i]).zwei.is_some_and(|z| z.z < -3.0 && !z.implausible) {
                bgm += 1;
            }
            let is_t = i > 0 && month_index(ws[i].0) - month_index(ws[i - 1].0) == 1 && {
                let kbm = kbm_grams(completed_months(p.birth_date, ws[i].0));
                kbm.is_some_and(|k| ((ws[i].1 - ws[i - 1].1) * 1000.0).round() < k as f64)
            };
            if i > 0 && month_index(ws[i].0) - month_index(ws[i - 1].0) == 1 {
                with_prev += 1;
                let under2 = (ws[i].0 - p.birth_date).whole_days() < 731;
                with_prev_u2 += usize::from(under2);
                if is_t {
                    t += 1;
                    t_u2 += usize::from(under2);
                    if prev_t {
                        t2 += 1;
                    }
                }
            }
            prev_t = is_t;
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    s.stunting = share(stunted, latest_n);
    s.t_share = share(t, with_prev);
    s.t2_share = share(t2, with_prev);
    s.t_share_under2 = share(t_u2, with_prev_u2);
    s.bgm_share = share(bgm, weighed);
    let mut kek = 0;
    for (gi, _) in region.pregnancies.iter().enumerate() {
        let first = region
            .visits
            .iter()
            .filter(|v| v.pregnancy == Some(gi))
            .min_by_key(|v| v.date);
        if first.is_some_and(|v| {
            v.measurements
                .iter()
                .any(|(k, x)| *k == Kind::ArmCircCm && *x < 23.5)
        }) {
            kek += 1;
        }
    }
    s.kek_share = share(kek, region.pregnancies.len());
    s.high_risk_share = share(
        region
            .pregnancies
            .iter()
            .filter(|p| !p.kspr_factors.is_empty())
            .count(),
        region.pregnancies.len(),
    );
    let (mut ht, mut adults) = (0, 0);
    for v in region
        .visits
        .iter()
        .filter(|v| v.pregnancy.is_none() && v.postpartum.is_none())
    {
        let age = (v.date - region.persons[v.person].birth_date).whole_days();
        if age < 18 * 365 {
            continue;
        }
        let get = |kind| v.measurements.iter().find(|(k, _)| *k == kind).map(|m| m.1);
        if let (Some(sys), Some(dia)) = (get(Kind::SystolicMmHg), get(Kind::DiastolicMmHg)) {
            adults += 1;
            if sys >= 140.0 || dia >= 90.0 {
                ht += 1;
            }
        }
    }
    s.hypertension_share = share(ht, adults);
    s
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| format!("{:.1} %", x * 100.0);
        writeln!(f, "unit organisasi   {}", self.units)?;
        writeln!(f, "rumah tangga (KK) {}", self.households)?;
        writeln!(
            f,
            "penduduk          {} (balita {}, lansia {})",
            self.persons, self.balita_at_end, self.elderly_at_end
        )?;
        writeln!(f, "hari buka         {}", self.service_days)?;
        writeln!(
            f,
            "kunjungan         {} ({} pengukuran)",
            self.visits, self.measurements
        )?;
        writeln!(f, "dosis imunisasi   {}", self.doses)?;
        writeln!(
            f,
            "kehamilan         {} (KEK {}, risiko tinggi {})",
            self.pregnancies,
            pct(self.kek_share),
            pct(self.high_risk_share)
        )?;
        writeln!(f, "skrining kuesioner {}", self.screenings)?;
        writeln!(f, "stunting          {}", pct(self.stunting))?;
        writeln!(
            f,
            "T / 2T            {} / {} (T di bawah 2 tahun {})",
            pct(self.t_share),
            pct(self.t2_share),
            pct(self.t_share_under2)
        )?;
        writeln!(f, "BGM               {}", pct(self.bgm_share))?;
        writeln!(f, "hipertensi (≥18)  {}", pct(self.hypertension_share))?;
        write!(f, "checksum          {}", self.checksum)
    }
}
