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

/// Everything measured lying or standing depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LenheiCuts {
    /// `"l"` or `"h"`, as typed.
    pub position: &'static str,
    pub lfa: Bands,
    pub shrink: Option<Bands>,
    /// Weight-for-length (under 731 days) or -height: only over the lengths WHO does not
    /// flag for this age (other lengths are "periksa ulang" anyway).
    pub wfl: Table,
    pub bmi: Table,
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
/// `crates/web/static/classify.js` reads).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CutPoints {
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
    pub lenhei: Vec<LenheiCuts>,
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

/// The smallest `v` in `lo..=hi` with `pred(v)`, `hi + 1` if none; `pred` must be
/// monotone (false then true).
fn first_true(lo: i64, hi: i64, pred: impl Fn(i64) -> bool) -> i64 {
    if pred(lo) {
        return lo;
    }
    if !pred(hi) {
        return hi + 1;
    }
    let (mut a, mut b) = (lo, hi);
    while b - a > 1 {
        let m = a + (b - a) / 2;
        if pred(m) { b = m } else { a = m }
    }
    b
}

/// The smallest `v` in `a + 1..=b` with `pred(v)`, given `pred(a)` false and `pred(b)` true.
fn bisect(mut a: i64, mut b: i64, pred: impl Fn(i64) -> bool) -> i64 {
    while b - a > 1 {
        let m = a + (b - a) / 2;
        if pred(m) { b = m } else { a = m }
    }
    b
}

/// [`first_true`] searched outwards from `guess` (steps 1, 2, 4, … then bisection): the
/// same answer for any guess, in two evaluations when the guess is the answer and about
/// `2·log2(error)` otherwise.
fn first_true_near(guess: i64, lo: i64, hi: i64, pred: impl Fn(i64) -> bool) -> i64 {
    let g = guess.clamp(lo, hi);
    let mut step = 1;
    if pred(g) {
        let mut t = g;
        loop {
            if t == lo {
                return lo;
            }
            let probe = (t - step).max(lo);
            if !pred(probe) {
                return bisect(probe, t, &pred);
            }
            t = probe;
            step *= 2;
        }
    } else {
        let mut f = g;
        loop {
            if f == hi {
                return hi + 1;
            }
            let probe = (f + step).min(hi);
            if pred(probe) {
                return bisect(f, probe, &pred);
            }
            f = probe;
            step *= 2;
        }
    }
}

/// Cuts of a monotone band function over `lo..=hi` with `n` bands.
fn cuts(lo: i64, hi: i64, n: usize, band: impl Fn(i64) -> usize) -> Vec<i64> {
    (1..n)
        .map(|k| first_true(lo, hi, |v| band(v) >= k))
        .collect()
}

/// [`cuts`] searched from `guesses` (one per cut).
fn cuts_near(guesses: &[i64], lo: i64, hi: i64, band: impl Fn(i64) -> usize) -> Vec<i64> {
    guesses
        .iter()
        .enumerate()
        .map(|(i, &g)| first_true_near(g, lo, hi, |v| band(v) > i))
        .collect()
}

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

/// One weight table: its bands, the z it reads, and how a row's cuts are guessed from the
/// rows before it.
struct TableSpec {
    order: &'static [&'static str],
    pick: fn(&Zscores) -> Option<Z>,
    only: fn(Z) -> Zscores,
    guess: Guess,
}

/// The guess for the next row's cuts (the search is exact whatever the guess).
#[derive(Clone, Copy)]
enum Guess {
    /// Weight-for-length moves smoothly with length: the last two rows, extrapolated.
    Linear,
    /// BMI is weight / length²: the last row scaled by the squared ratio of the lengths.
    Square,
}

const WFL_SPEC: TableSpec = TableSpec {
    order: &WFL,
    pick: |z| z.zwfl,
    only: |z| Zscores {
        zwfl: Some(z),
        ..Zscores::default()
    },
    guess: Guess::Linear,
};

const BMI_SPEC: TableSpec = TableSpec {
    order: &BMI,
    pick: |z| z.zbmi,
    only: |z| Zscores {
        zbmi: Some(z),
        ..Zscores::default()
    },
    guess: Guess::Square,
};

impl Table {
    /// The rows for measured lengths `lo..=hi` only.
    fn slice(&self, lo: i64, hi: i64) -> Table {
        let to = self.from_mm + self.rows.len() as i64 - 1;
        let (a, b) = (lo.max(self.from_mm), hi.min(to));
        Table {
            from_mm: if a <= b { a } else { 0 },
            labels: self.labels.clone(),
            rows: if a <= b {
                self.rows[(a - self.from_mm) as usize..=(b - self.from_mm) as usize].to_vec()
            } else {
                vec![]
            },
        }
    }
}

/// The length WHO computes with (after its ±0.7 cm adjustment), as bits, from the engine.
fn clenhei_bits(sex: Sex, age: Age, mm: i64, p: Position) -> u64 {
    let m = growth::ChildMeasurements {
        sex: Some(sex.to_growth()),
        age: Some(growth::Age::Days(age.days as f64)),
        lenhei_cm: Some(cm(mm)),
        measure: Some(match p {
            Position::Lying => growth::Measure::Lying,
            Position::Standing => growth::Measure::Standing,
        }),
        ..Default::default()
    };
    growth::who2006(&m).clenhei.unwrap_or(f64::NAN).to_bits()
}

/// The cuts of weight for each measured length in `lo..=hi` (in `p`) where WHO computes the
/// spec's z, found with the engine's own z and categories, and the bits of each row's
/// WHO-adjusted length. A row whose adjusted length is bit for bit a row of `donor` (the
/// same child measured in the other position) is copied from it: WHO's BMI reads the
/// measurements only as weight / adjusted length² (WHO-R §3.4).
#[allow(clippy::too_many_arguments)]
fn table(
    sex: Sex,
    age: Age,
    p: Position,
    s: &Settings,
    lo: i64,
    hi: i64,
    spec: &TableSpec,
    donor: Option<(&Table, &[u64])>,
) -> (Table, Vec<u64>) {
    let zs = |mm: i64, g: i64| {
        let m = Measurements {
            weight_kg: Some(kg(g)),
            lenhei_cm: Some(cm(mm)),
            measure: Some(p),
            ..Measurements::default()
        };
        anthro::zscores(Some(sex), age, &m)
    };
    let z_bands = ZBands::new(spec.order, spec.only, age, s);
    let mut from_mm = None;
    let mut rows: Vec<Vec<i64>> = Vec::new();
    let mut basis = Vec::new();
    for mm in lo..=hi {
        let bits = clenhei_bits(sex, age, mm, p);
        let copy = donor.and_then(|(t, b)| {
            let v = f64::from_bits(bits);
            let i = b.partition_point(|x| f64::from_bits(*x) < v);
            (b.get(i) == Some(&bits)).then(|| t.rows[i].clone())
        });
        if copy.is_none() && (spec.pick)(&zs(mm, 10_000)).is_none() {
            if from_mm.is_some() {
                break;
            }
            continue;
        }
        from_mm.get_or_insert(mm);
        basis.push(bits);
        if let Some(row) = copy {
            rows.push(row);
            continue;
        }
        let band = |g: i64| z_bands.band((spec.pick)(&zs(mm, g)));
        let row = match (rows.as_slice(), spec.guess) {
            ([.., q, p], Guess::Linear) => {
                let guesses: Vec<i64> = zip(p, q).map(|(p, q)| 2 * p - q).collect();
                cuts_near(&guesses, 1, WEIGHT_MAX_G, band)
            }
            ([.., last], Guess::Square) => {
                let now = adjusted_mm(mm, age.days, p) as f64;
                let ratio = (now / (now - 1.0)).powi(2);
                let guesses: Vec<i64> = last
                    .iter()
                    .map(|&c| (c as f64 * ratio).round() as i64)
                    .collect();
                cuts_near(&guesses, 1, WEIGHT_MAX_G, band)
            }
            ([last], Guess::Linear) => cuts_near(last, 1, WEIGHT_MAX_G, band),
            ([], _) => cuts(1, WEIGHT_MAX_G, spec.order.len(), band),
        };
        rows.push(row);
    }
    let t = Table {
        from_mm: from_mm.unwrap_or(0),
        labels: labels(spec.order),
        rows,
    };
    (t, basis)
}

/// Weight-for-length/height rows depend on the age only through the table (length under
/// 731 days, height from 731) and WHO's ±0.7 cm adjustment of the measured length, and
/// their categories need no setting, so they are computed once per sex and case, over
/// every length WHO tabulates, and shared by every child (the tests compare them with
/// `screen` at many ages). Cases: 0 length as measured, 1 standing + 0.7 cm (copied from
/// case 0 where the adjusted length is the same number), 2 height as measured, 3 lying
/// − 0.7 cm (from case 2). Each holds the table and the adjusted lengths' bits.
type Rows = (Table, Vec<u64>);
static WFL_ROWS: [[OnceLock<Rows>; 4]; 2] = [const { [const { OnceLock::new() }; 4] }; 2];

/// Builds the weight-for-length/height tables of every child now rather than on the
/// first page that needs them (about 25 ms in a release build, once per process).
pub fn prepare() {
    for sex in [Sex::Male, Sex::Female] {
        for case in 0..4 {
            wfl_case(sex, case);
        }
    }
}

fn wfl_table(sex: Sex, age: Age, p: Position) -> &'static Table {
    let adjusted = adjusted_mm(0, age.days, p) != 0;
    let case = match (age.days < 731, adjusted) {
        (true, false) => 0,
        (true, true) => 1,
        (false, false) => 2,
        (false, true) => 3,
    };
    &wfl_case(sex, case).0
}

fn wfl_case(sex: Sex, case: usize) -> &'static Rows {
    let by_sex = match sex {
        Sex::Male => &WFL_ROWS[0],
        Sex::Female => &WFL_ROWS[1],
    };
    by_sex[case].get_or_init(|| {
        // A representative age (days, completed months) and position for the case.
        let (days, months, rep) = [
            (0, 0, Position::Lying),
            (300, 9, Position::Standing),
            (731, 24, Position::Standing),
            (731, 24, Position::Lying),
        ][case];
        let rep_age = Age {
            days,
            months,
            years: (days / 366) as i32,
        };
        let donor = (case % 2 == 1).then(|| wfl_case(sex, case - 1));
        let donor = donor.map(|(t, b)| (t, b.as_slice()));
        let s = Settings::default();
        table(sex, rep_age, rep, &s, 1, LENHEI_MAX_MM, &WFL_SPEC, donor)
    })
}
