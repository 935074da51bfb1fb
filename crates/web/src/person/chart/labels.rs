//! The words of a growth chart in the user's language, from the `chart-*` keys.

use domain::growth_chart::{ChartKind, GrowthChart, Meaning, ORANGE_LINE_Z, RED_LINE_Z, XUnit};
use domain::visit::Sex;

use crate::i18n::{self, Tr};

/// Every text the SVG shows, already translated (the renderer never looks a word up).
#[derive(Clone, Debug, PartialEq)]
pub struct ChartLabels {
    /// The `<title>`: chart, child and sex in one line.
    pub title: String,
    /// The visible heading (the chart) and the line under it (the child and sex).
    pub heading: String,
    pub subject: String,
    pub x_axis: String,
    pub y_axis: String,
    /// `,` in Bahasa Indonesia, `.` in English.
    pub decimal_sep: String,
    /// Short units for a point's text: months ("bln"), years ("th").
    pub months: String,
    pub years: String,
    pub red_line: String,
    pub orange_line: String,
    pub median: String,
    pub sd_lines: String,
    pub child_line: String,
    /// N, T, BGM, O, B.
    pub mark_n: String,
    pub mark_t: String,
    pub mark_bgm: String,
    pub mark_o: String,
    pub mark_b: String,
    /// A point with no mark: a measurement on the charts other than the KMS, a weighing
    /// without N/T/BGM/O/B on the KMS (e.g. under a month old).
    pub point: String,
    pub off_scale: String,
    /// "3 measurements outside …", empty when none were left out.
    pub left_out: String,
    pub no_points: String,
    /// "Latest: { $at }, { $value } ({ $meaning })" with the placeholders unfilled: the
    /// renderer formats the numbers.
    pub last: String,
    pub meanings: Vec<(Meaning, String)>,
}

impl ChartLabels {
    /// The words of a meaning (empty if the chart has no such band).
    pub fn meaning(&self, m: Meaning) -> &str {
        self.meanings
            .iter()
            .find(|(k, _)| *k == m)
            .map_or("", |(_, s)| s.as_str())
    }
}

/// The i18n key of a chart kind's name.
pub fn kind_key(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::WeightForAge0To24 => "chart-kind-wfa-0-24",
        ChartKind::WeightForAge24To60 => "chart-kind-wfa-24-60",
        ChartKind::WeightForAge0To60 => "chart-kind-wfa-0-60",
        ChartKind::LengthHeightForAge => "chart-kind-lhfa",
        ChartKind::LengthForAge0To24 => "chart-kind-lfa-0-24",
        ChartKind::HeightForAge24To60 => "chart-kind-hfa-24-60",
        ChartKind::WeightForLength => "chart-kind-wfl",
        ChartKind::WeightForHeight => "chart-kind-wfh",
        ChartKind::BmiForAge5To19 => "chart-kind-bmi",
        ChartKind::HeightForAge5To19 => "chart-kind-hfa",
    }
}

fn meaning_key(m: Meaning) -> &'static str {
    match m {
        Meaning::SeverelyUnderweight => "chart-m-severely-underweight",
        Meaning::Underweight => "chart-m-underweight",
        Meaning::NormalWeight => "chart-m-normal-weight",
        Meaning::RiskOfOverweight => "chart-m-risk-overweight",
        Meaning::SeverelyStunted => "chart-m-severely-stunted",
        Meaning::Stunted => "chart-m-stunted",
        Meaning::NormalHeight => "chart-m-normal-height",
        Meaning::Tall => "chart-m-tall",
        Meaning::SevereWasting => "chart-m-severe-wasting",
        Meaning::Wasting => "chart-m-wasting",
        Meaning::Normal => "chart-m-normal",
        Meaning::RiskOfOverweightWfl => "chart-m-risk-overweight-wfl",
        Meaning::Overweight => "chart-m-overweight",
        Meaning::Obese => "chart-m-obese",
    }
}

/// A signed SD as the card writes it: −3, +1 (a real minus sign).
pub fn signed(z: f64) -> String {
    let v = format!("{}", z.abs());
    match z {
        z if z < 0.0 => format!("−{v}"),
        z if z > 0.0 => format!("+{v}"),
        _ => v,
    }
}

/// The labels of `chart` for the child `name`, in `t`'s language.
pub fn labels(t: Tr, chart: &GrowthChart, name: &str) -> ChartLabels {
    let sex = t.t(match chart.sex {
        Sex::Male => "chart-boy",
        Sex::Female => "chart-girl",
    });
    let heading = t.t(kind_key(chart.kind));
    let title = i18n::format(
        t.lang,
        "chart-title",
        &[("chart", &heading), ("name", name), ("sex", &sex)],
    );
    let subject = i18n::format(t.lang, "chart-subject", &[("name", name), ("sex", &sex)]);
    let x_axis = t.t(match (chart.x_unit, chart.kind) {
        (XUnit::Months, _) => "chart-x-months",
        (XUnit::Years, _) => "chart-x-years",
        (XUnit::Cm, ChartKind::WeightForLength) => "chart-x-length",
        (XUnit::Cm, _) => "chart-x-height",
    });
    let y_axis = t.t(match chart.kind {
        ChartKind::LengthHeightForAge => "chart-y-lenhei",
        ChartKind::LengthForAge0To24 => "chart-x-length",
        ChartKind::HeightForAge24To60 | ChartKind::HeightForAge5To19 => "chart-x-height",
        ChartKind::BmiForAge5To19 => "chart-y-bmi",
        _ => "chart-y-weight",
    });
    let count = chart.left_out.to_string();
    ChartLabels {
        title,
        heading,
        subject,
        x_axis,
        y_axis,
        decimal_sep: t.t("decimal-sep"),
        months: t.t("chart-unit-months"),
        years: t.t("chart-unit-years"),
        red_line: i18n::format(t.lang, "chart-red-line", &[("z", &signed(RED_LINE_Z))]),
        orange_line: i18n::format(
            t.lang,
            "chart-orange-line",
            &[("z", &signed(ORANGE_LINE_Z))],
        ),
        median: t.t("chart-median"),
        sd_lines: t.t("chart-sd-lines"),
        child_line: t.t("chart-child-line"),
        mark_n: t.t("chart-mark-n"),
        mark_t: t.t("chart-mark-t"),
        mark_bgm: t.t("chart-mark-bgm"),
        mark_o: t.t("chart-mark-o"),
        mark_b: t.t("chart-mark-b"),
        point: t.t(if chart.kind.is_kms() {
            "chart-mark-none"
        } else {
            "chart-point"
        }),
        off_scale: t.t("chart-off-scale"),
        left_out: if chart.left_out == 0 {
            String::new()
        } else {
            i18n::format(t.lang, "chart-left-out", &[("count", &count)])
        },
        no_points: t.t("chart-no-points"),
        last: i18n::format(
            t.lang,
            "chart-last",
            &[
                ("at", "{at}"),
                ("value", "{value}"),
                ("meaning", "{meaning}"),
            ],
        ),
        meanings: chart
            .bands
            .iter()
            .map(|b| (b.meaning, t.t(meaning_key(b.meaning))))
            .collect(),
    }
}
