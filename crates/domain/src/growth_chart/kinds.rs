//! What each chart kind is: its WHO table, ranges, lines, bands and ticks.

use growth::Indicator;

use super::{
    Band, ChartKind, DAYS_PER_MONTH, Edge, LineRole, Meaning, ORANGE_LINE_Z, RED_LINE_Z, XUnit,
    YUnit,
};

use Edge::{Bottom, Line, Top};

/// The KMS page for a child of `age_months`: the Buku KIA prints 0–24 and 24–60 months.
pub fn kms_kind_for_age(age_months: f64) -> ChartKind {
    if age_months < 24.0 {
        ChartKind::WeightForAge0To24
    } else {
        ChartKind::WeightForAge24To60
    }
}

/// The length/height-for-age page for a child of `age_months`: length to 24 months, then
/// height, as WHO's two charts (and the KMS's two pages) split the years.
pub fn lenhei_kind_for_age(age_months: f64) -> ChartKind {
    if age_months < 24.0 {
        ChartKind::LengthForAge0To24
    } else {
        ChartKind::HeightForAge24To60
    }
}

/// Weight-for-length under 2 years (731 days, measured lying), weight-for-height from then
/// on, as WHO and Permenkes 2/2020 split BB/PB and BB/TB.
pub fn weight_for_lenhei_kind(age_days: i64) -> ChartKind {
    if age_days < 731 {
        ChartKind::WeightForLength
    } else {
        ChartKind::WeightForHeight
    }
}

impl ChartKind {
    pub const ALL: [ChartKind; 10] = [
        ChartKind::WeightForAge0To24,
        ChartKind::WeightForAge24To60,
        ChartKind::WeightForAge0To60,
        ChartKind::LengthHeightForAge,
        ChartKind::LengthForAge0To24,
        ChartKind::HeightForAge24To60,
        ChartKind::WeightForLength,
        ChartKind::WeightForHeight,
        ChartKind::BmiForAge5To19,
        ChartKind::HeightForAge5To19,
    ];

    /// The WHO table the chart draws.
    pub fn indicator(self) -> Indicator {
        match self {
            ChartKind::WeightForAge0To24
            | ChartKind::WeightForAge24To60
            | ChartKind::WeightForAge0To60 => Indicator::WeightForAge,
            ChartKind::LengthHeightForAge
            | ChartKind::LengthForAge0To24
            | ChartKind::HeightForAge24To60 => Indicator::LengthHeightForAge,
            ChartKind::WeightForLength => Indicator::WeightForLength,
            ChartKind::WeightForHeight => Indicator::WeightForHeight,
            ChartKind::BmiForAge5To19 => Indicator::BmiForAge2007,
            ChartKind::HeightForAge5To19 => Indicator::HeightForAge2007,
        }
    }

    /// The x range: WHO's tables' own (WFL 45–110 cm, WFH 65–120 cm, BMI 2007 61–228
    /// months) and the KMS pages' (0–24, 24–60 months).
    pub fn x_range(self) -> (f64, f64) {
        match self {
            ChartKind::WeightForAge0To24 | ChartKind::LengthForAge0To24 => (0.0, 24.0),
            ChartKind::WeightForAge24To60 | ChartKind::HeightForAge24To60 => (24.0, 60.0),
            ChartKind::WeightForAge0To60 | ChartKind::LengthHeightForAge => (0.0, 60.0),
            ChartKind::WeightForLength => (45.0, 110.0),
            ChartKind::WeightForHeight => (65.0, 120.0),
            ChartKind::BmiForAge5To19 | ChartKind::HeightForAge5To19 => (61.0, 228.0),
        }
    }

    pub fn x_unit(self) -> XUnit {
        match self {
            ChartKind::WeightForLength | ChartKind::WeightForHeight => XUnit::Cm,
            ChartKind::BmiForAge5To19 | ChartKind::HeightForAge5To19 => XUnit::Years,
            _ => XUnit::Months,
        }
    }

    pub fn y_unit(self) -> YUnit {
        match self {
            ChartKind::LengthHeightForAge
            | ChartKind::LengthForAge0To24
            | ChartKind::HeightForAge24To60
            | ChartKind::HeightForAge5To19 => YUnit::Cm,
            ChartKind::BmiForAge5To19 => YUnit::KgPerM2,
            _ => YUnit::Kg,
        }
    }

    /// A KMS page (weight-for-age): the red and orange lines, the N/T/BGM marks.
    pub fn is_kms(self) -> bool {
        self.indicator() == Indicator::WeightForAge
    }

    /// Indexed by age (the child's line follows age; otherwise it follows the visits).
    pub(super) fn is_age_based(self) -> bool {
        self.x_unit() != XUnit::Cm
    }

    /// The SD lines drawn: every Permenkes 2/2020 cut-off of the index (domain.md §3.1)
    /// and the median; weight-for-age adds +2 and height-for-age +2 as WHO's charts do.
    pub fn z_lines(self) -> &'static [f64] {
        match self.indicator() {
            Indicator::WeightForAge => &[RED_LINE_Z, -2.0, 0.0, ORANGE_LINE_Z, 2.0],
            Indicator::LengthHeightForAge | Indicator::HeightForAge2007 => {
                &[-3.0, -2.0, 0.0, 2.0, 3.0]
            }
            Indicator::BmiForAge2007 => &[-3.0, -2.0, 0.0, 1.0, 2.0],
            _ => &[-3.0, -2.0, 0.0, 1.0, 2.0, 3.0],
        }
    }

    pub(super) fn role(self, z: f64) -> LineRole {
        match z {
            z if self.is_kms() && z == RED_LINE_Z => LineRole::Red,
            z if self.is_kms() && z == ORANGE_LINE_Z => LineRole::Orange,
            0.0 => LineRole::Median,
            _ => LineRole::Other,
        }
    }

    /// The Permenkes 2/2020 categories between the cut-off lines, bottom to top
    /// (domain.md §3.1; IMT/U 5–18 per KMK 2023 with < −3 from Permenkes 2/2020).
    /// Permenkes 2/2020 names no TB/U category after 60 months: height-for-age 5–19 keeps
    /// the 0–60 month words at the same cut-offs (WHO's 2007 reference reads < −2 SD as
    /// stunted and < −3 SD as severely stunted).
    pub fn bands(self) -> Vec<Band> {
        use Meaning::*;
        let b = |lower, upper, meaning| Band {
            lower,
            upper,
            meaning,
        };
        match self.indicator() {
            Indicator::WeightForAge => vec![
                b(Bottom, Line(RED_LINE_Z), SeverelyUnderweight),
                b(Line(RED_LINE_Z), Line(-2.0), Underweight),
                b(Line(-2.0), Line(ORANGE_LINE_Z), NormalWeight),
                b(Line(ORANGE_LINE_Z), Top, RiskOfOverweight),
            ],
            Indicator::LengthHeightForAge | Indicator::HeightForAge2007 => vec![
                b(Bottom, Line(-3.0), SeverelyStunted),
                b(Line(-3.0), Line(-2.0), Stunted),
                b(Line(-2.0), Line(3.0), NormalHeight),
                b(Line(3.0), Top, Tall),
            ],
            Indicator::BmiForAge2007 => vec![
                b(Bottom, Line(-3.0), SevereWasting),
                b(Line(-3.0), Line(-2.0), Wasting),
                b(Line(-2.0), Line(1.0), Normal),
                b(Line(1.0), Line(2.0), Overweight),
                b(Line(2.0), Top, Obese),
            ],
            _ => vec![
                b(Bottom, Line(-3.0), SevereWasting),
                b(Line(-3.0), Line(-2.0), Wasting),
                b(Line(-2.0), Line(1.0), Normal),
                b(Line(1.0), Line(2.0), RiskOfOverweightWfl),
                b(Line(2.0), Line(3.0), Overweight),
                b(Line(3.0), Top, Obese),
            ],
        }
    }

    /// The table's own x for a chart x: days for the 2006 age tables, else unchanged.
    pub(super) fn table_x(self, x: f64) -> f64 {
        match self.indicator() {
            Indicator::WeightForAge | Indicator::LengthHeightForAge => x * DAYS_PER_MONTH,
            _ => x,
        }
    }

    /// `(chart x, table x)` sample points of the lines: a week apart on the 0–24 month
    /// pages (the curves bend most in the first months), half a month or half a cm
    /// elsewhere, monthly for the 2007 charts (WHO's own step). Length/height-for-age 0–60
    /// gets day 730 too, so the line shows WHO's step from length to height at 24 months.
    pub(super) fn samples(self) -> Vec<(f64, f64)> {
        let (min, max) = self.x_range();
        let step = match self {
            ChartKind::WeightForAge0To24 | ChartKind::LengthForAge0To24 => 0.25,
            ChartKind::BmiForAge5To19 | ChartKind::HeightForAge5To19 => 1.0,
            _ => 0.5,
        };
        let n = ((max - min) / step).round() as i64;
        let mut out: Vec<(f64, f64)> = (0..=n)
            .map(|i| {
                let x = min + i as f64 * step;
                (x, self.table_x(x))
            })
            .collect();
        let last_length_day = 730.0;
        if self == ChartKind::LengthForAge0To24
            && let Some(last) = out.last_mut()
        {
            // 24 months is day 730.5, which the table rounds to 731 (height): the length
            // page ends on the last day of length.
            last.1 = last_length_day;
        }
        if self == ChartKind::LengthHeightForAge {
            let at = out.partition_point(|p| p.1 < last_length_day);
            out.insert(at, (last_length_day / DAYS_PER_MONTH, last_length_day));
        }
        out
    }

    /// `(major, minor)` x tick steps, in x units: labels at least ~25 px apart at 360 px
    /// (three-digit cm every 10).
    pub(super) fn x_ticks(self) -> (f64, f64) {
        match self {
            ChartKind::WeightForAge0To24 | ChartKind::LengthForAge0To24 => (2.0, 1.0),
            ChartKind::WeightForAge24To60 | ChartKind::HeightForAge24To60 => (3.0, 1.0),
            ChartKind::WeightForAge0To60 | ChartKind::LengthHeightForAge => (6.0, 3.0),
            ChartKind::WeightForLength | ChartKind::WeightForHeight => (10.0, 1.0),
            ChartKind::BmiForAge5To19 | ChartKind::HeightForAge5To19 => (12.0, 6.0),
        }
    }
}
