//! The report's numbers from the facts: a tally per count indicator (total, and by age band
//! and sex), ratios recomputed from the tallies at every level. Tallies add, so a unit's
//! numbers are the sum of its children's ([`Numbers::add`]).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use store::OrgUnitId;
use store::codes::Sex;

use super::facts::{AgeBand, PersonFacts};
use super::indicators::{ALL, Indicator, Measure};

/// A count, in total and by age band × sex (boys first).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub total: u64,
    /// `[band][0]` boys, `[band][1]` girls, bands as [`AgeBand::ALL`] (balita only).
    pub by_band_sex: [[u64; 2]; 4],
    /// Boys (men) and girls (women), of every age.
    pub by_sex: [u64; 2],
}

impl Tally {
    fn count(&mut self, band: Option<AgeBand>, sex: Sex) {
        self.total += 1;
        self.by_sex[sex_index(sex)] += 1;
        if let Some(band) = band {
            self.by_band_sex[band.index()][sex_index(sex)] += 1;
        }
    }

    /// One more, of no age band or sex (a kader on duty: a name on a service day, not a
    /// registered person).
    fn count_unsplit(&mut self) {
        self.total += 1;
    }

    fn add(&mut self, other: &Tally) {
        self.total += other.total;
        self.by_sex[0] += other.by_sex[0];
        self.by_sex[1] += other.by_sex[1];
        for (mine, theirs) in self.by_band_sex.iter_mut().zip(other.by_band_sex) {
            mine[0] += theirs[0];
            mine[1] += theirs[1];
        }
    }

    pub fn of(&self, band: AgeBand, sex: Sex) -> u64 {
        self.by_band_sex[band.index()][sex_index(sex)]
    }
}

fn sex_index(sex: Sex) -> usize {
    match sex {
        Sex::Male => 0,
        Sex::Female => 1,
    }
}

/// What one indicator's cell says.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum Value {
    Count {
        n: u64,
    },
    /// `percent` is `None` when the denominator is 0 (shown as "–", never as 0 %).
    Ratio {
        numerator: u64,
        denominator: u64,
        percent: Option<f64>,
    },
}

/// A unit's numbers for a month: a tally per count indicator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Numbers {
    tallies: HashMap<&'static str, Tally>,
}

impl Numbers {
    /// The numbers of these facts.
    pub fn of(facts: &[PersonFacts]) -> Numbers {
        let mut n = Numbers::default();
        for f in facts {
            for code in &f.codes {
                n.tallies.entry(code).or_default().count(f.band, f.sex);
            }
        }
        n
    }

    /// The numbers of each unit the facts' persons belong to.
    pub fn by_unit(facts: &[PersonFacts]) -> HashMap<OrgUnitId, Numbers> {
        let mut out: HashMap<OrgUnitId, Numbers> = HashMap::new();
        for f in facts {
            let n = out.entry(f.unit).or_default();
            for code in &f.codes {
                n.tallies.entry(code).or_default().count(f.band, f.sex);
            }
        }
        out
    }

    /// Counts one more in `code`, with no age band or sex ([`super::duty`]).
    pub(crate) fn count_one(&mut self, code: &'static str) {
        self.tallies.entry(code).or_default().count_unsplit();
    }

    /// Adds another unit's numbers (a roll-up).
    pub fn add(&mut self, other: &Numbers) {
        for (code, t) in &other.tallies {
            self.tallies.entry(code).or_default().add(t);
        }
    }

    /// The tally of a count indicator (zero when nobody is counted).
    pub fn tally(&self, code: &str) -> Tally {
        self.tallies.get(code).copied().unwrap_or_default()
    }

    /// The indicator's value: its count, or its ratio from the two counts.
    pub fn value(&self, i: &Indicator) -> Value {
        match i.measure {
            Measure::Count => Value::Count {
                n: self.tally(i.code).total,
            },
            Measure::Ratio {
                numerator,
                denominator,
            } => ratio(self.tally(numerator).total, self.tally(denominator).total),
        }
    }

    /// The indicator's value for one age band and sex.
    pub fn value_for(&self, i: &Indicator, band: AgeBand, sex: Sex) -> Value {
        match i.measure {
            Measure::Count => Value::Count {
                n: self.tally(i.code).of(band, sex),
            },
            Measure::Ratio {
                numerator,
                denominator,
            } => ratio(
                self.tally(numerator).of(band, sex),
                self.tally(denominator).of(band, sex),
            ),
        }
    }

    /// Nobody counted in anything.
    pub fn is_empty(&self) -> bool {
        self.tallies.values().all(|t| t.total == 0)
    }

    /// The tallies as JSON, for the stored summaries (codes sorted, so equal numbers give
    /// equal text).
    pub fn to_json(&self) -> String {
        let sorted: std::collections::BTreeMap<&str, &Tally> =
            self.tallies.iter().map(|(c, t)| (*c, t)).collect();
        serde_json::to_string(&sorted).unwrap_or_default()
    }

    /// [`Numbers::to_json`] read back; `None` when the text names a code this program does
    /// not count (a summary of other code, never trusted).
    pub fn from_json(text: &str) -> Option<Numbers> {
        let raw: HashMap<String, Tally> = serde_json::from_str(text).ok()?;
        let mut n = Numbers::default();
        for (code, t) in raw {
            let i = super::indicators::by_code(&code).filter(|i| i.is_count())?;
            n.tallies.insert(i.code, t);
        }
        Some(n)
    }

    /// Every indicator's value, in the catalogue's order.
    pub fn values(&self) -> Vec<(&'static Indicator, Value)> {
        ALL.iter().map(|i| (i, self.value(i))).collect()
    }
}

fn ratio(numerator: u64, denominator: u64) -> Value {
    // Rounded to one decimal, as the forms write percentages.
    let percent =
        (denominator > 0).then(|| (numerator as f64 * 1000.0 / denominator as f64).round() / 10.0);
    Value::Ratio {
        numerator,
        denominator,
        percent,
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Count { n } => write!(f, "{n}"),
            Value::Ratio {
                percent: Some(p), ..
            } => write!(f, "{}", format!("{p:.1}").replace('.', ",")),
            Value::Ratio { percent: None, .. } => write!(f, "–"),
        }
    }
}
