//! Cut-points for live classification: for one balita and one visit date, the measured
//! values at which each category of rules.md §1–§2 changes, so that a page can classify
//! what the cadre types with plain comparisons and no request (issue 8 item 4).
//!
//! Every cut is found by bisection on the engine's own answer ([`anthro::zscores`],
//! [`anthro::balita_rules`], [`kms`]) at the input grid — grams for weight, millimetres for
//! lengths and circumferences — never by inverting the LMS formulas, so the 2-decimal
//! rounding of z and WHO's flags are reproduced exactly for every value on the grid. A value
//! `v` (in grid units) is in band `i` = the number of cuts `≤ v`.
//!
//! Speed (one child per page load; `cargo bench -p domain --bench cutpoints`): the weight
//! tables are most of the work, so a row's cuts are searched outwards from a guess made
//! from the rows before it (exact whatever the guess: the search only stops between a
//! false and a true answer of the engine), `balita_rules` is asked once per distinct
//! published z, weight-for-length/height rows (which do not depend on age within a table
//! and adjustment case) are computed once per process and shared, and BMI rows of one
//! position are copied to the other where WHO's adjusted length is the same number.
//! [`prepare`] builds the shared rows ahead of the first page.

use std::cell::Cell;
use std::iter::zip;
use std::sync::OnceLock;

use serde::Serialize;
use time::Date;

use crate::age::{Age, days_between};
use crate::anthro::{self, Z, Zscores};
use crate::catalogue::Findings;
use crate::kms;
use crate::settings::Settings;
use crate::visit::{Measurements, Position, Sex, Weighing};

/// Largest valid inputs (rules.md §11.3), in grid units.
pub const WEIGHT_MAX_G: i64 = 300_000;
pub const LENHEI_MAX_MM: i64 = 2_500;
pub const HEAD_MAX_MM: i64 = 700;
pub const MUAC_MAX_MM: i64 = 600;

/// "Periksa ulang" when the weight fell by more than this share (per cent) of the last
/// weighing: a fluid deficit of more than 10 % of body weight is WHO's "severe dehydration"
/// (WHO, *The treatment of diarrhoea: a manual for physicians and other senior health
/// workers*, 2005, table of fluid deficit by degree of dehydration: < 5 %, 5–10 %, > 10 %),
/// an emergency rather than a growth pattern, so a larger fall is more likely a typing or
/// weighing error.
pub const WEIGHT_DROP_MAX_PERCENT: i64 = 10;
/// "Periksa ulang" when the weight rose by more than this many grams per day since the
/// last weighing. Chosen (no source): about twice the steepest median gain in WHO's 2006
/// weight-for-age table (boys, birth to day 30: M 3.3464 → 4.4525 kg, 37 g/day; the
/// steepest 30 days, days 11–41, 42 g/day).
pub const WEIGHT_GAIN_MAX_G_PER_DAY: i64 = 80;
/// The gain limit is never below this, so that weighings a few days apart allow for
/// clothing and scale error (chosen: five dacin divisions of 100 g).
pub const WEIGHT_GAIN_MIN_LIMIT_G: i64 = 500;
/// "Periksa ulang" when the length/height (brought to the same position) is shorter than
/// the last one by more than this. Borrowed, not a WHO rule for repeat visits: in the WHO
/// MGRS two anthropometrists measured each child independently at the same session and
/// repeated the measurement when they differed by more than a preset maximum allowable
/// difference, 7 mm for length/height (de Onis et al., *Measurement and standardization
/// protocols for anthropometry used in the construction of a new international growth
/// reference*, Food Nutr Bull 2004;25(1 Suppl):S27–S36). A child does not get shorter,
/// so a shrink beyond that measurement error means the length should be taken again.
pub const LENGTH_SHRINK_TOLERANCE_MM: i64 = 7;

/// Why no cut-points can be computed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CutError {
    #[error("tanggal ukur {visit} sebelum tanggal lahir {birth}")]
    VisitBeforeBirth { birth: Date, visit: Date },
    #[error("umur {age_days} hari bukan balita (maksimum 1826 hari)")]
    NotBalita { age_days: i64 },
}

/// An earlier length/height measurement, for the "length shrank" check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LengthMeasurement {
    pub date: Date,
    pub mm: i64,
    pub position: Position,
}

/// What the cut-points depend on: the person, the date and their history.
#[derive(Clone, Debug)]
pub struct CutInput<'a> {
    pub sex: Sex,
    pub birth_date: Date,
    pub visit_date: Date,
    /// As in [`crate::Visit::previous_weighings`]: `None` = unknown.
    pub previous_weighings: Option<&'a [Weighing]>,
    pub previous_length: Option<LengthMeasurement>,
    pub settings: &'a Settings,
}

/// Value bands: `labels[i]` (finding codes, or `"recheck"`) applies from `cuts[i-1]`
/// (inclusive) to `cuts[i]` (exclusive). Equal cuts leave a band empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bands {
    pub cuts: Vec<i64>,
    pub labels: Vec<Vec<&'static str>>,
}

/// Bands of weight (g) for each measured length in mm from `from_mm`: `rows[i]` are the
/// cuts at `from_mm + i`, all sharing `labels`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table {
    pub from_mm: i64,
    pub labels: Vec<Vec<&'static str>>,
    pub rows: Vec<Vec<i64>>,
}

/// Everything measured lying or standing depends on. `W` and `B` are how the two weight
/// tables are carried: in full for one child's page ([`Table`]), packed or shared by key in
/// the prepared day ([`prepared`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LenheiCuts<W = Table, B = Table> {
    /// `"l"` or `"h"`, as typed.
    pub position: &'static str,
    pub lfa: Bands,
    pub shrink: Option<Bands>,
    /// Weight-for-length (under 731 days) or -height: only over the lengths WHO does not
    /// flag for this age (other lengths are "periksa ulang" anyway).
    pub wfl: W,
    pub bmi: B,
}

/// Largest valid value of each measurement in grid units (rules.md §11.3): the server
/// rejects larger ones, so the page does not classify them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Limits {
    pub weight_g: i64,
    pub lenhei_mm: i64,
    pub head_mm: i64,
    pub muac_mm: i64,
}

pub const LIMITS: Limits = Limits {
    weight_g: WEIGHT_MAX_G,
    lenhei_mm: LENHEI_MAX_MM,
    head_mm: HEAD_MAX_MM,
    muac_mm: MUAC_MAX_MM,
};

/// The cut-points of one child on one date; serialised into the page (the shape
/// `crates/web/static/classify.js` reads). `W`, `B`: as in [`LenheiCuts`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CutPoints<W = Table, B = Table> {
    pub age_days: i64,
    pub age_months: i64,
    pub max: Limits,
    /// The position used when none is typed (WHO: lying under 731 days).
    pub standard_position: &'static str,
    pub wfa: Bands,
    pub bgm: Bands,
    pub faltering: Option<Bands>,
    pub kms: Option<Bands>,
    pub weight_change: Option<Bands>,
    pub lenhei: Vec<LenheiCuts<W, B>>,
    pub head: Bands,
    pub muac_sam: Option<Bands>,
    pub zac: Option<Bands>,
}

const RECHECK: &str = "recheck";
const WFA: [&str; 6] = [
    RECHECK,
    "wfa_severely_underweight",
    "wfa_underweight",
    "",
    "wfa_risk_overweight",
    RECHECK,
];
const LFA: [&str; 6] = [
    RECHECK,
    "lfa_severely_stunted",
    "lfa_stunted",
    "",
    "lfa_tall",
    RECHECK,
];
const WFL: [&str; 8] = [
    RECHECK,
    "wfl_severely_wasted",
    "wfl_wasted",
    "",
    "wfl_risk_overweight",
    "wfl_overweight",
    "wfl_obese",
    RECHECK,
];
const BMI: [&str; 8] = [
    RECHECK,
    "bfa_u5_severely_wasted",
    "bfa_u5_wasted",
    "",
    "bfa_u5_risk_overweight",
    "bfa_u5_overweight",
    "bfa_u5_obese",
    RECHECK,
];
const HC: [&str; 5] = [RECHECK, "hc_microcephaly", "", "hc_macrocephaly", RECHECK];

fn labels(order: &[&'static str]) -> Vec<Vec<&'static str>> {
    order
        .iter()
        .map(|l| if l.is_empty() { vec![] } else { vec![*l] })
        .collect()
}

pub mod prepared;
mod search;
mod tables;

use search::*;
pub use tables::prepare;
use tables::*;

fn codes(f: Findings) -> Vec<&'static str> {
    f.finish().iter().map(|r| r.code).collect()
}

/// The band in `order` of each published z of one indicator: flagged → the first or last
/// band (by sign), otherwise the band of the finding `balita_rules` gives for that z alone.
/// `balita_rules` is asked once per distinct z and its answer remembered: WHO's published z
/// is a whole number of hundredths (`k / 100.0`, R's rounding), so `k` is the key.
struct ZBands<'a> {
    order: &'a [&'static str],
    only: fn(Z) -> Zscores,
    age: Age,
    s: &'a Settings,
    /// Band + 1 for `k` = −600 … 600; 0 = not asked yet.
    memo: Vec<Cell<u8>>,
}

impl<'a> ZBands<'a> {
    fn new(order: &'a [&'static str], only: fn(Z) -> Zscores, age: Age, s: &'a Settings) -> Self {
        ZBands {
            order,
            only,
            age,
            s,
            memo: vec![Cell::new(0); 1201],
        }
    }

    fn band(&self, z: Option<Z>) -> usize {
        match z {
            None => 0,
            Some(z) if z.implausible => {
                if z.z < 0.0 {
                    0
                } else {
                    self.order.len() - 1
                }
            }
            Some(z) => {
                let k = (z.z * 100.0).round() as i64;
                match usize::try_from(k + 600).ok().and_then(|i| self.memo.get(i)) {
                    Some(cell) if k as f64 / 100.0 == z.z => {
                        if cell.get() == 0 {
                            cell.set(self.ask(z) as u8 + 1);
                        }
                        usize::from(cell.get() - 1)
                    }
                    _ => self.ask(z),
                }
            }
        }
    }

    fn ask(&self, z: Z) -> usize {
        let mut f = Findings::default();
        let only = (self.only)(z);
        anthro::balita_rules(&only, self.age, &Measurements::default(), self.s, &mut f);
        let found = codes(f);
        self.order
            .iter()
            .position(|l| found.contains(l))
            .or_else(|| self.order.iter().position(|l| l.is_empty()))
            .unwrap_or(0)
    }
}

fn kg(g: i64) -> f64 {
    g as f64 / 1000.0
}

fn cm(mm: i64) -> f64 {
    mm as f64 / 10.0
}

fn pos_code(p: Position) -> &'static str {
    match p {
        Position::Lying => "l",
        Position::Standing => "h",
    }
}

/// WHO's ±0.7 cm rule in whole millimetres (growth `adjust_lenhei`, with the position of a
/// standing child under 9 months dropped).
fn adjusted_mm(mm: i64, age_days: i64, p: Position) -> i64 {
    let under_9_months = (age_days as f64 / growth::DAYS_PER_MONTH) < 9.0;
    match p {
        Position::Standing if age_days < 731 && !under_9_months => mm + 7,
        Position::Lying if age_days >= 731 => mm - 7,
        _ => mm,
    }
}

/// Whether a length/height today is shorter than `prev` by more than
/// [`LENGTH_SHRINK_TOLERANCE_MM`], both brought to lying/standing by WHO's rule.
pub fn length_shrank(
    birth: Date,
    prev: LengthMeasurement,
    visit: Date,
    mm: i64,
    p: Position,
) -> bool {
    let then = adjusted_mm(prev.mm, days_between(birth, prev.date), prev.position);
    let now = adjusted_mm(mm, days_between(birth, visit), p);
    now < then - LENGTH_SHRINK_TOLERANCE_MM
}

/// The latest weighing before `visit` (the re-weighing wins a tie, as in `kms`).
pub fn last_weighing(history: &[Weighing], visit: Date) -> Option<Weighing> {
    history
        .iter()
        .filter(|w| w.date < visit)
        .copied()
        .reduce(|a, b| if b.date >= a.date { b } else { a })
}

/// −1: dropped beyond [`WEIGHT_DROP_MAX_PERCENT`]; +1: jumped beyond the gain limit;
/// 0: plausible. `grams` is today's weight.
pub fn weight_change(last: Weighing, visit: Date, grams: i64) -> i8 {
    let prev = (last.weight_kg * 1000.0).round() as i64;
    let days = days_between(last.date, visit).max(0);
    let limit = (WEIGHT_GAIN_MAX_G_PER_DAY * days).max(WEIGHT_GAIN_MIN_LIMIT_G);
    if 100 * grams < (100 - WEIGHT_DROP_MAX_PERCENT) * prev {
        -1
    } else if grams - prev > limit {
        1
    } else {
        0
    }
}

/// Computes the cut-points of one balita on `visit_date`.
pub fn cutpoints(input: &CutInput) -> Result<CutPoints, CutError> {
    let (sex, s) = (input.sex, input.settings);
    let age = Age::at(input.birth_date, input.visit_date).ok_or(CutError::VisitBeforeBirth {
        birth: input.birth_date,
        visit: input.visit_date,
    })?;
    if !age.is_balita() {
        return Err(CutError::NotBalita { age_days: age.days });
    }
    let zs = |m: Measurements| anthro::zscores(Some(sex), age, &m);
    let zwei = |g: i64| {
        zs(Measurements {
            weight_kg: Some(kg(g)),
            ..Measurements::default()
        })
        .zwei
    };
    let wfa_bands = ZBands::new(
        &WFA,
        |z| Zscores {
            zwei: Some(z),
            ..Zscores::default()
        },
        age,
        s,
    );
    let w_band = |g: i64| wfa_bands.band(zwei(g));
    let wfa = Bands {
        cuts: cuts(1, WEIGHT_MAX_G, WFA.len(), w_band),
        labels: labels(&WFA),
    };
    // BGM and faltering: nothing when the z is flagged (low band 0, high band 2).
    let flag_or = |z: Option<Z>, fired: bool| match z {
        Some(z) if z.implausible && z.z < 0.0 => 0,
        _ if fired => 1,
        _ => 2,
    };
    let three = |code: &'static str| vec![vec![], vec![code], vec![]];
    let bgm = Bands {
        cuts: cuts(1, WEIGHT_MAX_G, 3, |g| {
            let z = zwei(g);
            let mut f = Findings::default();
            kms::bgm_rule(z, s, &mut f);
            flag_or(z, !f.finish().is_empty())
        }),
        labels: three("kms_bgm"),
    };
    let history = input.previous_weighings;
    let faltering = history.and_then(|h| {
        let c = cuts(1, WEIGHT_MAX_G, 3, |g| {
            let z = zwei(g);
            let mut f = Findings::default();
            let (b, v) = (input.birth_date, input.visit_date);
            kms::weight_faltering_rule(sex, b, v, age, z, Some(h), &mut f);
            flag_or(z, !f.finish().is_empty())
        });
        (c[0] < c[1]).then(|| Bands {
            cuts: c,
            labels: three("weight_faltering"),
        })
    });
    let kms_codes = |g: i64| {
        let mut f = Findings::default();
        let (b, v) = (input.birth_date, input.visit_date);
        kms::kms_rules(b, v, kg(g), history, s, &mut f);
        codes(f)
    };
    let kms = history.map(|_| {
        let (lo, hi) = (kms_codes(1), kms_codes(WEIGHT_MAX_G));
        if lo == hi {
            Bands {
                cuts: vec![],
                labels: vec![lo],
            }
        } else {
            Bands {
                cuts: vec![first_true(1, WEIGHT_MAX_G, |g| kms_codes(g) == hi)],
                labels: vec![lo, hi],
            }
        }
    });
    let weight_change = history
        .and_then(|h| last_weighing(h, input.visit_date))
        .map(|last| Bands {
            cuts: cuts(1, WEIGHT_MAX_G, 3, |g| {
                (weight_change(last, input.visit_date, g) + 1) as usize
            }),
            labels: vec![vec![RECHECK], vec![], vec![RECHECK]],
        });

    // BMI rows of standing heights whose WHO-adjusted length equals a lying one are the same
    // rows: the lying table is the donor.
    let (lying, donor) = lenhei_cuts(input, age, Position::Lying, None);
    let (standing, _) = lenhei_cuts(input, age, Position::Standing, Some((&lying.bmi, &donor)));
    let lenhei = vec![lying, standing];

    let hc_bands = ZBands::new(
        &HC,
        |z| Zscores {
            zhc: Some(z),
            ..Zscores::default()
        },
        age,
        s,
    );
    let head = Bands {
        cuts: cuts(1, HEAD_MAX_MM, HC.len(), |mm| {
            hc_bands.band(
                zs(Measurements {
                    head_cm: Some(cm(mm)),
                    ..Measurements::default()
                })
                .zhc,
            )
        }),
        labels: labels(&HC),
    };
    let muac_sam = (6..=59).contains(&age.months).then(|| Bands {
        cuts: vec![first_true(1, MUAC_MAX_MM, |mm| {
            let m = Measurements {
                muac_cm: Some(cm(mm)),
                ..Measurements::default()
            };
            let mut f = Findings::default();
            anthro::balita_rules(&Zscores::default(), age, &m, s, &mut f);
            !codes(f).contains(&"muac_sam")
        })],
        labels: vec![vec!["muac_sam"], vec![]],
    });
    let zac_at = |mm: i64| {
        zs(Measurements {
            muac_cm: Some(cm(mm)),
            ..Measurements::default()
        })
        .zac
    };
    let zac = zac_at(150).is_some().then(|| Bands {
        cuts: cuts(1, MUAC_MAX_MM, 3, |mm| match zac_at(mm) {
            Some(z) if z.implausible && z.z < 0.0 => 0,
            Some(z) if z.implausible => 2,
            _ => 1,
        }),
        labels: vec![vec![RECHECK], vec![], vec![RECHECK]],
    });

    Ok(CutPoints {
        age_days: age.days,
        age_months: age.months,
        max: LIMITS,
        standard_position: if age.days < 731 { "l" } else { "h" },
        wfa,
        bgm,
        faltering,
        kms,
        weight_change,
        lenhei,
        head,
        muac_sam,
        zac,
    })
}

/// Length-for-age, the shrink check and the weight-for-length/height and BMI tables for
/// one measuring position.
/// Also returns the bits of the WHO-adjusted length of each BMI row, for [`table`]'s donor.
fn lenhei_cuts(
    input: &CutInput,
    age: Age,
    p: Position,
    donor: Option<(&Table, &[u64])>,
) -> (LenheiCuts, Vec<u64>) {
    let s = input.settings;
    let zs = |mm: i64, g: Option<i64>| {
        let m = Measurements {
            weight_kg: g.map(kg),
            lenhei_cm: Some(cm(mm)),
            measure: Some(p),
            ..Measurements::default()
        };
        anthro::zscores(Some(input.sex), age, &m)
    };
    let lfa_bands = ZBands::new(
        &LFA,
        |z| Zscores {
            zlen: Some(z),
            ..Zscores::default()
        },
        age,
        s,
    );
    let lfa = Bands {
        cuts: cuts(1, LENHEI_MAX_MM, LFA.len(), |mm| {
            lfa_bands.band(zs(mm, None).zlen)
        }),
        labels: labels(&LFA),
    };
    let shrink = input.previous_length.map(|prev| {
        let (b, v) = (input.birth_date, input.visit_date);
        Bands {
            cuts: vec![first_true(1, LENHEI_MAX_MM, |mm| {
                !length_shrank(b, prev, v, mm, p)
            })],
            labels: vec![vec![RECHECK], vec![]],
        }
    });
    // Lengths WHO does not flag for this age: from the first unflagged to the last.
    let (lo, hi) = (lfa.cuts[0], lfa.cuts[LFA.len() - 2] - 1);
    let wfl = wfl_table(input.sex, age, p).slice(lo, hi);
    let (bmi, basis) = table(input.sex, age, p, s, lo, hi, &BMI_SPEC, donor);
    let cuts = LenheiCuts {
        position: pos_code(p),
        lfa,
        shrink,
        wfl,
        bmi,
    };
    (cuts, basis)
}
