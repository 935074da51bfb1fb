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

/// The counts behind a [`Summary`]: whole numbers only, so that the tallies of the parts of
/// a region ([`crate::parts`]) add up to the region's (the shares are taken at the end).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
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
    /// Balita with a recent plausible length/height z, and of them those below −2.
    pub latest_n: usize,
    pub stunted: usize,
    /// Weighings; with a weighing the month before (all, under 2 years); T, T under 2, 2T.
    pub weighed: usize,
    pub with_prev: usize,
    pub with_prev_u2: usize,
    pub t: usize,
    pub t_u2: usize,
    pub t2: usize,
    pub bgm: usize,
    /// Pregnancies with KEK at the first contact, and with a KSPR factor.
    pub kek: usize,
    pub high_risk: usize,
    /// Adult screenings with a blood pressure, and of them ≥ 140/90.
    pub adults: usize,
    pub hypertensive: usize,
}

impl std::ops::AddAssign<&Tally> for Tally {
    fn add_assign(&mut self, o: &Tally) {
        self.units += o.units;
        self.households += o.households;
        self.persons += o.persons;
        self.balita_at_end += o.balita_at_end;
        self.elderly_at_end += o.elderly_at_end;
        self.service_days += o.service_days;
        self.visits += o.visits;
        self.measurements += o.measurements;
        self.doses += o.doses;
        self.pregnancies += o.pregnancies;
        self.screenings += o.screenings;
        self.latest_n += o.latest_n;
        self.stunted += o.stunted;
        self.weighed += o.weighed;
        self.with_prev += o.with_prev;
        self.with_prev_u2 += o.with_prev_u2;
        self.t += o.t;
        self.t_u2 += o.t_u2;
        self.t2 += o.t2;
        self.bgm += o.bgm;
        self.kek += o.kek;
        self.high_risk += o.high_risk;
        self.adults += o.adults;
        self.hypertensive += o.hypertensive;
    }
}

impl Tally {
    /// The summary of these counts, without a checksum (that needs the whole region).
    pub fn summary(&self) -> Summary {
        let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        Summary {
            units: self.units,
            households: self.households,
            persons: self.persons,
            balita_at_end: self.balita_at_end,
            elderly_at_end: self.elderly_at_end,
            service_days: self.service_days,
            visits: self.visits,
            measurements: self.measurements,
            doses: self.doses,
            pregnancies: self.pregnancies,
            screenings: self.screenings,
            stunting: share(self.stunted, self.latest_n),
            t_share: share(self.t, self.with_prev),
            t2_share: share(self.t2, self.with_prev),
            t_share_under2: share(self.t_u2, self.with_prev_u2),
            bgm_share: share(self.bgm, self.weighed),
            kek_share: share(self.kek, self.pregnancies),
            high_risk_share: share(self.high_risk, self.pregnancies),
            hypertension_share: share(self.hypertensive, self.adults),
            checksum: String::new(),
        }
    }
}

/// Computes the summary; `end` is the last day of the period.
pub fn summarize(region: &Region, end: Date) -> Summary {
    Summary {
        checksum: checksum(region),
        ..tally(region, end).summary()
    }
}

/// Counts what [`summarize`] reports; `end` is the last day of the period.
pub fn tally(region: &Region, end: Date) -> Tally {
    let mut s = Tally {
        units: region.units.len(),
        households: region.households.len(),
        persons: region.persons.len(),
        service_days: region.service_days.len(),
        visits: region.visits.len(),
        measurements: region.measurement_count(),
        doses: region.doses.len(),
        pregnancies: region.pregnancies.len(),
        screenings: region.screenings.len(),
        ..Tally::default()
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
            s.latest_n += 1;
            if zl.z < -2.0 {
                s.stunted += 1;
            }
        }
        let mut prev_t = false;
        for i in 0..ws.len() {
            s.weighed += 1;
            if z(&ws[i]).zwei.is_some_and(|z| z.z < -3.0 && !z.implausible) {
                s.bgm += 1;
            }
            let is_t = i > 0 && month_index(ws[i].0) - month_index(ws[i - 1].0) == 1 && {
                let kbm = kbm_grams(completed_months(p.birth_date, ws[i].0));
                kbm.is_some_and(|k| ((ws[i].1 - ws[i - 1].1) * 1000.0).round() < k as f64)
            };
            if i > 0 && month_index(ws[i].0) - month_index(ws[i - 1].0) == 1 {
                s.with_prev += 1;
                let under2 = (ws[i].0 - p.birth_date).whole_days() < 731;
                s.with_prev_u2 += usize::from(under2);
                if is_t {
                    s.t += 1;
                    s.t_u2 += usize::from(under2);
                    if prev_t {
                        s.t2 += 1;
                    }
                }
            }
            prev_t = is_t;
        }
    }
    // The first contact of each pregnancy (the earliest; of two on one day, the first listed).
    let mut first: Vec<Option<usize>> = vec![None; region.pregnancies.len()];
    for (i, v) in region.visits.iter().enumerate() {
        if let Some(slot) = v.pregnancy.and_then(|g| first.get_mut(g)) {
            match *slot {
                Some(j) if region.visits[j].date <= v.date => {}
                _ => *slot = Some(i),
            }
        }
    }
    for v in first.into_iter().flatten().map(|i| &region.visits[i]) {
        if v.measurements
            .iter()
            .any(|(k, x)| *k == Kind::ArmCircCm && *x < 23.5)
        {
            s.kek += 1;
        }
    }
    s.high_risk = region
        .pregnancies
        .iter()
        .filter(|p| !p.kspr_factors.is_empty())
        .count();
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
            s.adults += 1;
            if sys >= 140.0 || dia >= 90.0 {
                s.hypertensive += 1;
            }
        }
    }
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
