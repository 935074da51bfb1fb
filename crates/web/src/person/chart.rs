//! A growth chart as SVG, drawn on the server from `domain::growth_chart` (hand-written, as
//! stack.md §1.7 advises: a grid, a few WHO lines and the child's points).
//!
//! Mobile first: a 360-unit-wide `viewBox`, so it is 1:1 on a 360 px phone and scales to
//! paper; text at 11–13 units. Print and colour-blind safe: every line is also told apart
//! by width, dash and the SD written at its end; every mark by shape (N circle, T triangle,
//! BGM square, O/B hollow) and named in the legend inside the SVG; no meaning rests on a
//! background colour (the 2021 KMS has none, `KMS_PRINTS_BANDS`). The frame and heading
//! are the KIA colour of the child's sex: blue for boys, pink for girls.

use std::fmt::Write;

use domain::growth_chart::{Band, Edge, GrowthChart, LineRole, Mark, Meaning, Plotted, XUnit};
use domain::visit::Sex;

mod labels;
#[cfg(test)]
mod tests;

pub use labels::{ChartLabels, kind_key, labels, signed};

/// Drawing choices the page may change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// Pale tints behind the bands (not on the current KMS; off by default).
    pub tint_bands: bool,
}

/// The viewBox width: one unit a CSS pixel on a 360 px phone.
pub const WIDTH: f64 = 360.0;
const LEFT: f64 = 38.0;
const RIGHT: f64 = 330.0;
const TOP: f64 = 46.0;
const BOTTOM: f64 = 346.0;
const LEGEND_TOP: f64 = 398.0;
const LEGEND_ROW: f64 = 18.0;

/// The KIA colours of the two books: blue for boys, pink for girls.
pub fn sex_colour(sex: Sex) -> &'static str {
    match sex {
        Sex::Male => "#1565c0",
        Sex::Female => "#c2185b",
    }
}
const RED: &str = "#d32f2f";
const ORANGE: &str = "#ef6c00";
const GREEN: &str = "#2e7d32";
const INK: &str = "#1a1a1a";

/// Text for SVG content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to `max` characters with an ellipsis, so a long name stays inside the card.
fn fit(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

/// A coordinate, one decimal (a tenth of a pixel is below what a phone shows).
fn c(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_owned)
}

/// Chart values to viewBox coordinates.
struct Frame<'a> {
    chart: &'a GrowthChart,
}

impl Frame<'_> {
    fn x(&self, x: f64) -> f64 {
        let a = &self.chart.x;
        LEFT + (x - a.min) / (a.max - a.min) * (RIGHT - LEFT)
    }
    fn y(&self, y: f64) -> f64 {
        let a = &self.chart.y;
        BOTTOM - (y.clamp(a.min, a.max) - a.min) / (a.max - a.min) * (BOTTOM - TOP)
    }
    fn points(&self, pts: impl IntoIterator<Item = (f64, f64)>) -> String {
        let v: Vec<String> = pts
            .into_iter()
            .map(|(x, y)| format!("{},{}", c(self.x(x)), c(self.y(y))))
            .collect();
        v.join(" ")
    }
}

/// A number with the language's decimal separator and `places` decimals.
fn num(v: f64, places: usize, sep: &str) -> String {
    format!("{v:.places$}").replace('.', sep)
}

/// Where a point is, in words: "12 bln", "10 th 3 bln", "75,5 cm".
fn x_text(chart: &GrowthChart, l: &ChartLabels, x: f64) -> String {
    match chart.x_unit {
        XUnit::Months => format!("{} {}", x.floor(), l.months),
        XUnit::Years => {
            let m = x.floor() as i64;
            format!("{} {} {} {}", m / 12, l.years, m % 12, l.months)
        }
        XUnit::Cm => format!("{} cm", num(x, 1, &l.decimal_sep)),
    }
}

fn y_text(chart: &GrowthChart, l: &ChartLabels, y: f64) -> String {
    let unit = match chart.y_unit {
        domain::growth_chart::YUnit::Kg => "kg",
        domain::growth_chart::YUnit::Cm => "cm",
        domain::growth_chart::YUnit::KgPerM2 => "kg/m²",
    };
    format!("{} {unit}", num(y, 1, &l.decimal_sep))
}

fn mark_text(l: &ChartLabels, m: Mark) -> &str {
    match m {
        Mark::N => &l.mark_n,
        Mark::T => &l.mark_t,
        Mark::Bgm => &l.mark_bgm,
        Mark::O => &l.mark_o,
        Mark::B => &l.mark_b,
        Mark::None => &l.point,
    }
}

/// The stroke of a line: colour, width, dash. The KMS's red and orange lines are solid and
/// heavy, the median solid green; the other SD lines in the sex colour, dashed by distance.
fn line_style(role: LineRole, z: f64, sex: Sex) -> (&'static str, f64, &'static str) {
    match role {
        LineRole::Red => (RED, 2.4, ""),
        LineRole::Orange => (ORANGE, 2.2, ""),
        LineRole::Median => (GREEN, 1.8, ""),
        LineRole::Other if z.abs() >= 3.0 => (sex_colour(sex), 1.2, "2 3"),
        LineRole::Other => (sex_colour(sex), 1.2, "7 4"),
    }
}

/// One mark's shape at (x, y), `k` times its full size; `hollow` for O, B and off-scale
/// points.
fn marker(s: &mut String, m: Mark, x: f64, y: f64, off_scale: bool, k: f64) {
    let (fill, class) = match m {
        Mark::N => (GREEN, "n"),
        Mark::T => (RED, "t"),
        Mark::Bgm => ("#8e0000", "bgm"),
        Mark::O => ("#ffffff", "o"),
        Mark::B => ("#ffffff", "b"),
        Mark::None => (INK, "none"),
    };
    let fill = if off_scale { "#ffffff" } else { fill };
    let dash = if off_scale {
        r#" stroke-dasharray="2 1.5""#
    } else {
        ""
    };
    let (x, y) = (c(x), c(y));
    let u = |v: f64| c(v * k);
    let _ = match m {
        Mark::N | Mark::None => write!(
            s,
            r#"<circle class="mark {class}" cx="{x}" cy="{y}" r="{}" fill="{fill}" stroke="{INK}" stroke-width="1"{dash}/>"#,
            u(if m == Mark::N { 4.5 } else { 3.0 })
        ),
        Mark::T => write!(
            s,
            r#"<path class="mark {class}" d="M{x} {y}m0 -{}l{} {}h-{}z" fill="{fill}" stroke="{INK}" stroke-width="1"{dash}/>"#,
            u(5.5),
            u(5.0),
            u(9.0),
            u(10.0)
        ),
        Mark::Bgm => write!(
            s,
            r#"<path class="mark {class}" d="M{x} {y}m-{h} -{h}h{w}v{w}h-{w}z" fill="{fill}" stroke="{INK}" stroke-width="1"{dash}/>"#,
            h = u(4.5),
            w = u(9.0)
        ),
        Mark::O | Mark::B => write!(
            s,
            r#"<circle class="mark {class}" cx="{x}" cy="{y}" r="{}" fill="{fill}" stroke="{INK}" stroke-width="1.6"{dash}/>"#,
            u(4.0)
        ),
    };
}

/// The size of the marks on the plot: full on the first KMS page (a month is 12 units),
/// smaller where months are closer (the 24–60 page: 8 units), so monthly weighings do not
/// overlap and the child's line shows between them; never below three quarters.
fn mark_scale(f: &Frame) -> f64 {
    if !f.chart.kind.is_kms() {
        return 1.0;
    }
    let month = f.x(f.chart.x.min + 1.0) - f.x(f.chart.x.min);
    (month / 12.0).clamp(0.75, 1.0)
}

/// The polygon of a band: its lower edge left to right, its upper edge back.
fn band_polygon(f: &Frame, b: &Band) -> String {
    let xs: Vec<f64> = f.chart.lines[0].points.iter().map(|p| p.0).collect();
    let edge = |e: Edge| -> Vec<(f64, f64)> {
        match e {
            Edge::Bottom => xs.iter().map(|&x| (x, f.chart.y.min)).collect(),
            Edge::Top => xs.iter().map(|&x| (x, f.chart.y.max)).collect(),
            Edge::Line(z) => f
                .chart
                .lines
                .iter()
                .find(|l| l.z == z)
                .map(|l| l.points.clone())
                .unwrap_or_default(),
        }
    };
    let mut pts = edge(b.lower);
    pts.extend(edge(b.upper).into_iter().rev());
    f.points(pts)
}

fn band_tint(m: Meaning) -> &'static str {
    match m {
        Meaning::NormalWeight | Meaning::NormalHeight | Meaning::Normal => "#e8f5e9",
        Meaning::SeverelyUnderweight
        | Meaning::SeverelyStunted
        | Meaning::SevereWasting
        | Meaning::Obese => "#fde7e7",
        _ => "#fff5dc",
    }
}

/// The SVG of `chart` with `l`'s words. The text is escaped; the result can go into a
/// page as is (askama `|safe`) or be served as `image/svg+xml`.
pub fn svg(chart: &GrowthChart, l: &ChartLabels, style: Style) -> String {
    let f = Frame { chart };
    let id = kind_key(chart.kind);
    let colour = sex_colour(chart.sex);
    let legend = legend_items(chart, l);
    let height = LEGEND_TOP + legend.len().div_ceil(2) as f64 * LEGEND_ROW + 4.0;
    let mut s = String::with_capacity(24 * 1024);
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc" class="growth-chart" font-family="sans-serif">"#,
        h = c(height)
    );
    let _ = write!(
        s,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(&l.title),
        esc(&summary(chart, l))
    );
    let _ = write!(
        s,
        r##"<rect x="0.5" y="0.5" width="{}" height="{}" fill="#ffffff" stroke="{colour}" stroke-width="1"/><rect x="0" y="0" width="{WIDTH}" height="22" fill="{colour}"/><text x="8" y="15.5" font-size="12.5" font-weight="bold" fill="#ffffff">{}</text><text x="8" y="37" font-size="12.5" font-weight="bold" fill="{colour}">{}</text>"##,
        WIDTH - 1.0,
        c(height - 1.0),
        esc(&l.heading),
        esc(&fit(&l.subject, 50))
    );
    if style.tint_bands {
        for b in &chart.bands {
            let _ = write!(
                s,
                r#"<polygon class="band" points="{}" fill="{}"/>"#,
                band_polygon(&f, b),
                band_tint(b.meaning)
            );
        }
    }
    grid(&mut s, &f, l);
    lines(&mut s, &f);
    child(&mut s, &f, l);
    legend_svg(&mut s, &legend);
    s.push_str("</svg>");
    s
}

fn grid(s: &mut String, f: &Frame, l: &ChartLabels) {
    let ch = f.chart;
    s.push_str(r##"<g class="grid" stroke="#dcdcdc" stroke-width="0.5">"##);
    for &x in &ch.x.minor {
        let _ = write!(
            s,
            r#"<line x1="{0}" y1="{TOP}" x2="{0}" y2="{BOTTOM}"/>"#,
            c(f.x(x))
        );
    }
    for &y in &ch.y.minor {
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" y1="{0}" x2="{RIGHT}" y2="{0}"/>"#,
            c(f.y(y))
        );
    }
    s.push_str(r##"</g><g class="grid major" stroke="#a8a8a8" stroke-width="0.8">"##);
    for &x in &ch.x.major {
        let _ = write!(
            s,
            r#"<line x1="{0}" y1="{TOP}" x2="{0}" y2="{BOTTOM}"/>"#,
            c(f.x(x))
        );
    }
    for &y in &ch.y.major {
        let _ = write!(
            s,
            r#"<line x1="{LEFT}" y1="{0}" x2="{RIGHT}" y2="{0}"/>"#,
            c(f.y(y))
        );
    }
    s.push_str("</g>");
    let _ = write!(
        s,
        r#"<g class="ticks" font-size="11" fill="{INK}" text-anchor="middle">"#
    );
    let places = |step: f64| usize::from(step.fract() != 0.0);
    let xstep =
        ch.x.major
            .get(1)
            .zip(ch.x.major.first())
            .map_or(1.0, |(b, a)| b - a);
    for &x in &ch.x.major {
        let v = if ch.x_unit == XUnit::Years {
            x / 12.0
        } else {
            x
        };
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            c(f.x(x)),
            c(BOTTOM + 13.0),
            num(v, places(xstep), &l.decimal_sep)
        );
    }
    let ystep =
        ch.y.major
            .get(1)
            .zip(ch.y.major.first())
            .map_or(1.0, |(b, a)| b - a);
    for &y in &ch.y.major {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            c(LEFT - 4.0),
            c(f.y(y) + 3.8),
            num(y, places(ystep), &l.decimal_sep)
        );
    }
    let mid_y = (TOP + BOTTOM) / 2.0;
    let _ = write!(
        s,
        r#"</g><g font-size="12" fill="{INK}" text-anchor="middle"><text x="{}" y="{}">{}</text><text x="12" y="{}" transform="rotate(-90 12 {})">{}</text></g>"#,
        c((LEFT + RIGHT) / 2.0),
        c(BOTTOM + 29.0),
        esc(&l.x_axis),
        c(mid_y),
        c(mid_y),
        esc(&l.y_axis)
    );
    let _ = write!(
        s,
        r#"<rect x="{LEFT}" y="{TOP}" width="{}" height="{}" fill="none" stroke="{INK}" stroke-width="1"/>"#,
        RIGHT - LEFT,
        BOTTOM - TOP
    );
}

/// The WHO lines, each with its SD written at its right end (nudged apart to stay legible).
fn lines(s: &mut String, f: &Frame) {
    s.push_str(r#"<g class="z-lines" fill="none">"#);
    let mut ends = Vec::new();
    for line in &f.chart.lines {
        let (colour, width, dash) = line_style(line.role, line.z, f.chart.sex);
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(r#" stroke-dasharray="{dash}""#)
        };
        let _ = write!(
            s,
            r#"<polyline class="z-line" data-z="{}" points="{}" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
            line.z,
            f.points(line.points.iter().copied())
        );
        if let Some(&(_, y)) = line.points.last() {
            ends.push((f.y(y), signed(line.z), colour));
        }
    }
    s.push_str("</g>");
    // Bottom to top: each label at least 11 units above the one below.
    let mut last = f64::INFINITY;
    s.push_str(r#"<g class="z-labels" font-size="10.5" font-weight="bold">"#);
    for (y, text, colour) in ends {
        let y = (y + 3.5).min(last - 11.0);
        last = y;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" fill="{colour}">{text}</text>"#,
            c(RIGHT + 3.0),
            c(y)
        );
    }
    s.push_str("</g>");
}

/// The child's line (broken where the KMS breaks it) and marks, each with a tooltip.
fn child(s: &mut String, f: &Frame, l: &ChartLabels) {
    let pts = &f.chart.points;
    let k = mark_scale(f);
    let mut runs: Vec<Vec<&Plotted>> = Vec::new();
    for p in pts {
        match runs.last_mut() {
            Some(run) if p.joined => run.push(p),
            _ => runs.push(vec![p]),
        }
    }
    for run in runs.iter().filter(|r| r.len() > 1) {
        let _ = write!(
            s,
            r#"<polyline class="child" points="{}" fill="none" stroke="{INK}" stroke-width="2"/>"#,
            f.points(run.iter().map(|p| (p.x, p.y)))
        );
    }
    for p in pts {
        let mut tip = format!(
            "{}: {} — {}",
            x_text(f.chart, l, p.x),
            y_text(f.chart, l, p.value),
            mark_text(l, p.mark)
        );
        if p.off_scale {
            let _ = write!(tip, " ({})", l.off_scale);
        }
        let _ = write!(s, r#"<g class="point"><title>{}</title>"#, esc(&tip));
        marker(s, p.mark, f.x(p.x), f.y(p.y), p.off_scale, k);
        s.push_str("</g>");
    }
}

/// What a reader without the picture needs: the latest measurement and its band, or that
/// there is none; and how many were left off.
pub fn summary(chart: &GrowthChart, l: &ChartLabels) -> String {
    // Age charts are in age order; the others in visit order: the last is the latest.
    let mut out = chart
        .points
        .last()
        .map_or_else(|| l.no_points.clone(), |p| latest(chart, l, p));
    if !l.left_out.is_empty() {
        let _ = write!(out, ". {}", l.left_out);
    }
    out
}

fn latest(chart: &GrowthChart, l: &ChartLabels, p: &Plotted) -> String {
    l.last
        .replace("{at}", &x_text(chart, l, p.x))
        .replace("{value}", &y_text(chart, l, p.value))
        .replace("{meaning}", p.meaning.map_or("", |m| l.meaning(m)))
}

/// A legend entry: its swatch and words.
enum Swatch {
    Line(&'static str, f64, &'static str),
    Mark(Mark),
}

fn legend_items(chart: &GrowthChart, l: &ChartLabels) -> Vec<(Swatch, String)> {
    let mut v = vec![(Swatch::Line(INK, 2.0, ""), l.child_line.clone())];
    if chart.kind.is_kms() {
        for m in [Mark::N, Mark::T, Mark::Bgm, Mark::O, Mark::B] {
            v.push((Swatch::Mark(m), mark_text(l, m).to_owned()));
        }
        if chart.points.iter().any(|p| p.mark == Mark::None) {
            v.push((Swatch::Mark(Mark::None), l.point.clone()));
        }
        v.push((Swatch::Line(RED, 2.4, ""), l.red_line.clone()));
        v.push((Swatch::Line(ORANGE, 2.2, ""), l.orange_line.clone()));
    } else {
        v.push((Swatch::Mark(Mark::None), l.point.clone()));
    }
    v.push((Swatch::Line(GREEN, 1.8, ""), l.median.clone()));
    let (colour, _, _) = line_style(LineRole::Other, 2.0, chart.sex);
    v.push((Swatch::Line(colour, 1.2, "7 4"), l.sd_lines.clone()));
    v
}

fn legend_svg(s: &mut String, items: &[(Swatch, String)]) {
    let _ = write!(s, r#"<g class="legend" font-size="11.5" fill="{INK}">"#);
    for (i, (sw, text)) in items.iter().enumerate() {
        let x = if i % 2 == 0 { 10.0 } else { 186.0 };
        let y = LEGEND_TOP + (i / 2) as f64 * LEGEND_ROW;
        match sw {
            Swatch::Line(colour, width, dash) => {
                let dash = if dash.is_empty() {
                    String::new()
                } else {
                    format!(r#" stroke-dasharray="{dash}""#)
                };
                let _ = write!(
                    s,
                    r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
                    c(x),
                    c(y - 4.0),
                    c(x + 18.0),
                    c(y - 4.0)
                );
            }
            Swatch::Mark(m) => marker(s, *m, x + 9.0, y - 4.0, false, 1.0),
        }
        let _ = write!(
            s,
            r#"<text x="{}" y="{}">{}</text>"#,
            c(x + 24.0),
            c(y),
            esc(text)
        );
    }
    s.push_str("</g>");
}
