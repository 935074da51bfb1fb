//! The geometry of a child's growth chart: the WHO z-score lines, the axes, the bands with
//! their Permenkes 2/2020 meaning and the child's points, for the web crate to draw. Pure:
//! values in, values out.
//!
//! The lines are the exact WHO curves (`growth::value_at_z`, the inverse of the z-score,
//! restricted beyond ±3 SD as WHO does), so a point drawn on a line has exactly that
//! z-score. The weight-for-age charts are the KMS of the Buku KIA; the others follow WHO's
//! own charts (length/height-for-age, weight-for-length/-height, BMI- and height-for-age
//! 2007).
//!
//! What the current KMS prints (checked 2026-12; sources below, the red line's z is not):
//! * Buku KIA 2023, the growth page (domain.md tag KIA2023,
//!   <https://fliphtml5.com/qwfmx/ulzi/files97653LO_KIA_SIAP_CETAK_%286_Mei_2023%29/54>):
//!   "Rujuk bila berat badan anak Tidak Naik (T) atau di Bawah Garis Merah atau di Atas
//!   Garis Oranye", N and T as in [`crate::kms`], plotting by the cadre per Permenkes 2/2020.
//! * Dinkes DI Yogyakarta, "KMS Terbaru Untuk Balita" (6 Sep 2021,
//!   <http://dinkes.jogjaprov.go.id/berita/detail/kms-terbaru-untuk-balita>), on the KMS
//!   revised after Permenkes 2/2020 (Juknis KMS 2021): the green and yellow background
//!   bands were removed from the chart, and the coloured lines were moved (the page's list
//!   is cut off there). So the current card has lines on white, no colour bands:
//!   [`KMS_PRINTS_BANDS`] is `false`, and [`Band`]s carry meaning, not paint.
//! * The red line's place is not stated in any text found: [`RED_LINE_Z`] is −3 SD, the
//!   same value as the BGM rule's setting `bgm_waz` (domain.md §3.2 [U]). The orange line
//!   at +1 SD is where Permenkes 2/2020 begins "risiko berat badan lebih" (domain.md §3.1).

use time::Date;

use crate::age::days_between;
use crate::visit::Sex;

mod kinds;
#[cfg(test)]
mod tests;

pub use kinds::{kms_kind_for_age, lenhei_kind_for_age, weight_for_lenhei_kind};

/// Days per month in WHO's tables (365.25 / 12): age charts are in months, the tables in days.
pub const DAYS_PER_MONTH: f64 = growth::DAYS_PER_MONTH;

/// The KMS red line (garis merah), in SD of weight-for-age. Not verified against the 2021
/// card (see the module note); kept equal to `Settings::bgm_waz`'s default so a point
/// below the drawn line is exactly a BGM finding.
pub const RED_LINE_Z: f64 = -3.0;

/// The KMS orange line (garis oranye), in SD of weight-for-age: Permenkes 2/2020's "risiko
/// berat badan lebih" is BB/U > +1 SD, and the Buku KIA 2023 refers a child above it.
pub const ORANGE_LINE_Z: f64 = 1.0;

/// Whether the current KMS prints colour bands behind the lines: no, since the 2021
/// revision (Dinkes DIY 2021, module note). The web draws none by default.
pub const KMS_PRINTS_BANDS: bool = false;

/// The charts the person page can draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// KMS weight-for-age, 0–24 months (the Buku KIA's first KMS page).
    WeightForAge0To24,
    /// KMS weight-for-age, 24–60 months (the second page).
    WeightForAge24To60,
    /// Weight-for-age on one sheet, 0–60 months.
    WeightForAge0To60,
    /// Length (to 24 months) / height-for-age, 0–60 months, with WHO's 0.7 cm step at 24.
    LengthHeightForAge,
    /// Length-for-age, 0–24 months (WHO's "Length-for-age, birth to 2 years").
    LengthForAge0To24,
    /// Height-for-age, 24–60 months (WHO's "Height-for-age, 2 to 5 years").
    HeightForAge24To60,
    /// Weight-for-length, 45–110 cm (measured lying, under 2 years).
    WeightForLength,
    /// Weight-for-height, 65–120 cm (measured standing, 2 years and over).
    WeightForHeight,
    /// BMI-for-age, WHO Growth Reference 2007, 5–19 years (61–228 months as WHO tabulates).
    BmiForAge5To19,
    /// Height-for-age, WHO Growth Reference 2007, 5–19 years (61–228 months, as BMI).
    HeightForAge5To19,
}

/// The unit of the x axis; age charts hold months in `x` whatever they label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XUnit {
    Months,
    /// Months in `x`, ticks every 12 labelled in whole years.
    Years,
    Cm,
}

/// The unit of the y axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YUnit {
    Kg,
    Cm,
    KgPerM2,
}

/// What a band between two lines means: the Permenkes 2/2020 categories (domain.md §3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meaning {
    /// BB/U < −3: berat badan sangat kurang (below the red line: BGM).
    SeverelyUnderweight,
    /// BB/U −3 to < −2: berat badan kurang.
    Underweight,
    /// BB/U −2 to +1: berat badan normal.
    NormalWeight,
    /// BB/U > +1: risiko berat badan lebih (above the orange line).
    RiskOfOverweight,
    /// PB/U or TB/U < −3: sangat pendek.
    SeverelyStunted,
    /// PB/U or TB/U −3 to < −2: pendek (stunting).
    Stunted,
    /// PB/U or TB/U −2 to +3: normal.
    NormalHeight,
    /// PB/U or TB/U > +3: tinggi.
    Tall,
    /// BB/PB, BB/TB < −3: gizi buruk; IMT/U 5–18 < −3 (severely thinness).
    SevereWasting,
    /// BB/PB, BB/TB −3 to < −2: gizi kurang; IMT/U 5–18 thinness.
    Wasting,
    /// BB/PB, BB/TB −2 to +1; IMT/U 5–18 −2 to +1: gizi baik.
    Normal,
    /// BB/PB, BB/TB > +1 to +2: berisiko gizi lebih.
    RiskOfOverweightWfl,
    /// BB/PB, BB/TB > +2 to +3; IMT/U 5–18 > +1 to +2: gizi lebih.
    Overweight,
    /// BB/PB, BB/TB > +3; IMT/U 5–18 > +2: obesitas.
    Obese,
}

/// The mark of one weighing on the KMS, from that day's KMS findings ([`crate::kms`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mark {
    /// Naik.
    N,
    /// Tidak naik (also 2T).
    T,
    /// Below the red line; outranks N and T on the same weighing.
    Bgm,
    /// Weighed this month, not last month.
    O,
    /// First weighing (baru).
    B,
    /// No mark (e.g. not a weight chart, or under one month old).
    None,
}

impl Mark {
    /// The mark of a weighing from its finding codes (`kms_n`, `kms_t`, …): BGM first, then
    /// T/2T, N, O, B, as a cadre would write one letter.
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Mark {
        let mut best = Mark::None;
        for code in codes {
            let m = match code {
                "kms_bgm" => Mark::Bgm,
                "kms_t" | "kms_2t" => Mark::T,
                "kms_n" => Mark::N,
                "kms_o" => Mark::O,
                "kms_b" => Mark::B,
                _ => continue,
            };
            if m.rank() > best.rank() {
                best = m;
            }
        }
        best
    }

    fn rank(self) -> u8 {
        match self {
            Mark::Bgm => 5,
            Mark::T => 4,
            Mark::N => 3,
            Mark::O => 2,
            Mark::B => 1,
            Mark::None => 0,
        }
    }
}

/// One measurement to plot, in the chart's units (`x` months for age charts, cm otherwise).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Observation {
    pub x: f64,
    pub y: f64,
    pub mark: Mark,
}

impl Observation {
    /// A measurement on `on` of a child born on `birth`: `x` is the age in WHO months.
    pub fn at_age(birth: Date, on: Date, y: f64, mark: Mark) -> Observation {
        Observation {
            x: days_between(birth, on) as f64 / DAYS_PER_MONTH,
            y,
            mark,
        }
    }
}

/// What a line is on the KMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineRole {
    /// The garis merah ([`RED_LINE_Z`]).
    Red,
    /// The garis oranye ([`ORANGE_LINE_Z`]).
    Orange,
    /// The WHO median (0 SD).
    Median,
    /// Any other SD line.
    Other,
}

/// One z-score line sampled along the x axis: `(x, y)` points in x order.
#[derive(Clone, Debug, PartialEq)]
pub struct ZLine {
    pub z: f64,
    pub role: LineRole,
    pub points: Vec<(f64, f64)>,
}

/// An edge of a band: the bottom or top of the plot, or the line of a z-score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Edge {
    Bottom,
    Line(f64),
    Top,
}

/// The area between two edges and what a point in it means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Band {
    pub lower: Edge,
    pub upper: Edge,
    pub meaning: Meaning,
}

/// An axis: its range and the values of its ticks (labels are the web's).
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub min: f64,
    pub max: f64,
    /// Labelled ticks with a grid line.
    pub major: Vec<f64>,
    /// Grid lines without a label.
    pub minor: Vec<f64>,
}

/// A child's point as drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plotted {
    pub x: f64,
    /// The value drawn: the measurement, or the edge of the plot when `off_scale`.
    pub y: f64,
    /// The measurement as taken.
    pub value: f64,
    pub mark: Mark,
    /// The band the measurement falls in (by its exact WHO value at `x`).
    pub meaning: Option<Meaning>,
    /// Beyond the y axis (an implausible value): drawn pinned to the edge, flagged.
    pub off_scale: bool,
    /// Joined by the child's line to the point before it. The KMS line is broken before an
    /// O or B weighing (last month not weighed), as the cadre leaves it on paper.
    pub joined: bool,
}

/// Everything one chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct GrowthChart {
    pub kind: ChartKind,
    pub sex: Sex,
    pub x_unit: XUnit,
    pub y_unit: YUnit,
    pub x: Axis,
    pub y: Axis,
    /// Bottom to top.
    pub lines: Vec<ZLine>,
    /// Bottom to top.
    pub bands: Vec<Band>,
    pub points: Vec<Plotted>,
    /// Observations left off: outside the x range, or not a finite positive number.
    pub left_out: usize,
}

/// The chart cannot be drawn.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ChartError {
    #[error("no WHO reference value for {kind:?} at x = {x}")]
    NoReference { kind: ChartKind, x: f64 },
}

/// The chart of `kind` for a child of `sex` with `observations` (any order; in time order
/// for the length/height-based charts, whose line follows the visits).
pub fn growth_chart(
    kind: ChartKind,
    sex: Sex,
    observations: &[Observation],
) -> Result<GrowthChart, ChartError> {
    let g = sex.to_growth();
    let (x_min, x_max) = kind.x_range();
    let value = |x: f64, z: f64| -> Result<f64, ChartError> {
        growth::value_at_z(kind.indicator(), g, kind.table_x(x), z)
            .ok_or(ChartError::NoReference { kind, x })
    };
    let samples = kind.samples();
    let lines = kind
        .z_lines()
        .iter()
        .map(|&z| {
            let points = samples
                .iter()
                .map(|&(x, table_x)| {
                    growth::value_at_z(kind.indicator(), g, table_x, z)
                        .map(|y| (x, y))
                        .ok_or(ChartError::NoReference { kind, x })
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(ZLine {
                z,
                role: kind.role(z),
                points,
            })
        })
        .collect::<Result<Vec<_>, ChartError>>()?;

    let in_range = |o: &&Observation| {
        o.x.is_finite() && o.y.is_finite() && o.y > 0.0 && (x_min..=x_max).contains(&o.x)
    };
    let mut kept: Vec<Observation> = observations.iter().filter(in_range).copied().collect();
    let left_out = observations.len() - kept.len();
    if kind.is_age_based() {
        kept.sort_by(|a, b| a.x.total_cmp(&b.x));
    }

    let y = y_axis(kind, &lines, &kept);
    let bands = kind.bands();
    let mut points = Vec::with_capacity(kept.len());
    for (i, o) in kept.iter().enumerate() {
        let meaning = meaning_at(&bands, o.y, |z| value(o.x, z))?;
        let off_scale = o.y < y.min || o.y > y.max;
        let breaks = kind.is_kms() && matches!(o.mark, Mark::O | Mark::B);
        points.push(Plotted {
            x: o.x,
            y: o.y.clamp(y.min, y.max),
            value: o.y,
            mark: o.mark,
            meaning,
            off_scale,
            joined: i > 0 && !breaks,
        });
    }
    let (major, minor) = kind.x_ticks();
    Ok(GrowthChart {
        kind,
        sex,
        x_unit: kind.x_unit(),
        y_unit: kind.y_unit(),
        x: Axis {
            min: x_min,
            max: x_max,
            major: ticks(x_min, x_max, major),
            minor: ticks(x_min, x_max, minor),
        },
        y,
        lines,
        bands,
        points,
        left_out,
    })
}

/// The band a value falls in at one x: below the lowest edge, between two, or above.
/// Boundaries follow Permenkes 2/2020: below the median a band is open at its top ("−3 SD
/// to < −2 SD"), above it closed ("> +1 SD to +2 SD").
fn meaning_at(
    bands: &[Band],
    y: f64,
    at: impl Fn(f64) -> Result<f64, ChartError>,
) -> Result<Option<Meaning>, ChartError> {
    for b in bands {
        let below_upper = match b.upper {
            Edge::Line(z) if z < 0.0 => y < at(z)?,
            Edge::Line(z) => y <= at(z)?,
            _ => true,
        };
        if below_upper {
            return Ok(Some(b.meaning));
        }
    }
    Ok(None)
}

/// The y axis: the lines' range widened to the child's values, on a round step, but never
/// past twice the chart's own span, so one mistyped weight does not flatten the curves.
fn y_axis(kind: ChartKind, lines: &[ZLine], kept: &[Observation]) -> Axis {
    let ys = lines.iter().flat_map(|l| l.points.iter().map(|p| p.1));
    let (lo, hi) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
        (a.min(y), b.max(y))
    });
    let span = hi - lo;
    let (cap_lo, cap_hi) = ((lo - span / 2.0).max(0.0), hi + span / 2.0);
    let (mut lo, mut hi) = (lo, hi);
    for o in kept {
        lo = lo.min(o.y.max(cap_lo));
        hi = hi.max(o.y.min(cap_hi));
    }
    let step = nice_step(lo, hi);
    let min = ((lo / step).floor() * step).max(0.0);
    let max = (hi / step).ceil() * step;
    let minor = if kind.y_unit() == YUnit::Kg && step <= 1.0 {
        step / 2.0
    } else {
        step / 5.0
    };
    Axis {
        min,
        max,
        major: ticks(min, max, step),
        minor: ticks(min, max, minor),
    }
}

/// A round step giving at most 16 labelled intervals from `lo` to `hi` once rounded out:
/// labels 16 px or more apart on a plot about 260 px high (a 360 px phone), and 1 kg
/// steps on the first KMS page.
fn nice_step(lo: f64, hi: f64) -> f64 {
    [0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .find(|s| (hi / s).ceil() - (lo / s).floor() <= 16.0)
        .unwrap_or(100.0)
}

/// Multiples of `step` from `min` to `max` inclusive (by index, so no drift).
fn ticks(min: f64, max: f64, step: f64) -> Vec<f64> {
    let first = (min / step - 1e-9).ceil() as i64;
    let last = (max / step + 1e-9).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}
