//! A deterministic, seeded demo region: org tree, households, persons and two years of
//! services (weighings, immunization, pregnancies, screenings), and the register CSV import.
//!
//! Everything here is pure: [`generate`] returns plain values and performs no I/O; the
//! `posyandu demo` command writes them into the store. The same [`DemoConfig`] always gives
//! byte-identical data (see [`rng`] for why the algorithm is portable; the only platform
//! maths left is `powf` inside `growth::value_at_z`, whose results are rounded to 0.1 here).

pub mod balita;
pub mod body;
mod day_notes;
pub mod findings;
pub mod immunization;
pub mod maternal;
pub mod model;
mod name_lists;
pub mod names;
pub mod nik;
pub mod org;
pub mod parts;
pub mod population;
pub mod referrals;
pub mod region;
pub mod register_import;
pub mod rng;
pub mod scale;
pub mod screening;
pub mod summary;
pub mod to_store;

use time::{Date, Month};

pub use model::Region;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoConfig {
    pub seed: u64,
    /// About how many persons (residents plus santri).
    pub persons: usize,
    /// First month of the service period.
    pub first_month: (i32, Month),
    /// Number of months of service days.
    pub months: u32,
}

impl Default for DemoConfig {
    /// The documented demo: seed 2026, about 6,000 persons, November 2024 – October 2026.
    fn default() -> Self {
        Self {
            seed: 2026,
            persons: 6000,
            first_month: (2024, Month::November),
            months: 24,
        }
    }
}

impl DemoConfig {
    /// Two years of service days ending with `last_month` (inclusive).
    pub fn ending(seed: u64, persons: usize, last_month: (i32, Month)) -> Self {
        let months = 24u32;
        let (mut y, mut m) = last_month;
        for _ in 1..months {
            if m == Month::January {
                y -= 1;
            }
            m = m.previous();
        }
        Self {
            seed,
            persons,
            first_month: (y, m),
            months,
        }
    }

    /// First and last day of the service period.
    pub fn period(&self) -> Option<(Date, Date)> {
        let ms = org::months(self.first_month, self.months.max(1));
        let start = Date::from_calendar_date(self.first_month.0, self.first_month.1, 1).ok()?;
        let &(y, m) = ms.last()?;
        let end = Date::from_calendar_date(y, m, time::util::days_in_month(m, y)).ok()?;
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ending_counts_back_two_years() {
        let c = DemoConfig::ending(2026, 6000, (2026, Month::October));
        assert_eq!(c, DemoConfig::default());
        let c = DemoConfig::ending(1, 10, (2027, Month::January));
        assert_eq!(c.first_month, (2025, Month::February));
    }
}

/// Why a configuration cannot be generated.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum DemoError {
    #[error("periode demo tidak valid: bulan awal {0}-{1}, {2} bulan")]
    BadPeriod(i32, u8, u32),
}

/// Generates the whole region for `cfg` on the fixed tree of [`region`] (what `posyandu demo`
/// writes up to [`scale::FIXED_TREE_MAX_PERSONS`]; above, it writes [`parts::Parts`]).
pub fn generate(cfg: &DemoConfig) -> Result<Region, DemoError> {
    generate_with(cfg, &mut population::Registers::default())
}

/// [`generate`], handing out NIK and KK serials from `registers` (shared with the parts
/// that follow it in a scaled region).
pub fn generate_with(
    cfg: &DemoConfig,
    registers: &mut population::Registers,
) -> Result<Region, DemoError> {
    let (start, end) = checked_period(cfg)?;
    let mut region = Region::default();
    let posts = org::build_tree(&mut region);
    org::staff(cfg.seed, &mut region);
    let months = org::months(cfg.first_month, cfg.months);
    let period = population::Period { start, end };
    fill(
        cfg.seed,
        cfg.persons,
        &period,
        &months,
        &posts,
        &mut region,
        registers,
    );
    Ok(region)
}

/// The period of `cfg`, or why it is none.
pub(crate) fn checked_period(cfg: &DemoConfig) -> Result<(Date, Date), DemoError> {
    cfg.period().ok_or(DemoError::BadPeriod(
        cfg.first_month.0,
        cfg.first_month.1 as u8,
        cfg.months,
    ))
}

/// Everything below the tree: service days of `posts`, about `persons` persons and their
/// two years of services, findings and referrals. `region` holds the units `posts` point at.
pub(crate) fn fill(
    seed: u64,
    persons: usize,
    period: &population::Period,
    months: &[(i32, Month)],
    posts: &[org::Post],
    region: &mut Region,
    registers: &mut population::Registers,
) {
    let (start, end) = (period.start, period.end);
    org::service_days(seed, posts, months, region);
    population::generate(seed, persons, period, posts, region, registers);
    let mut days_by_unit: Vec<Vec<(usize, Date)>> = vec![Vec::new(); region.units.len()];
    for (i, sd) in region.service_days.iter().enumerate() {
        days_by_unit[sd.unit].push((i, sd.date));
    }
    for days in &mut days_by_unit {
        days.sort_by_key(|(_, d)| *d);
    }
    balita::weighings(seed, region, &days_by_unit, start, end);
    immunization::doses(seed, region, &days_by_unit, start, end);
    maternal::anc(seed, region, end);
    maternal::nifas(seed, region, end);
    let poskestren = posts.iter().find(|p| p.poskestren).map(|p| p.unit);
    screening::screenings(seed, region, &days_by_unit, poskestren);
    region.findings = findings::findings(region);
    region.referrals = referrals::referrals(seed, region, &region.findings, end);
}
