//! Hand-written SVG charts for the report pages (`/laporan/tren`, `/laporan/dasbor`): a few
//! lines of SVG need no chart crate and no script. Every chart carries a `<title>`, its
//! numbers as text, and lines told apart by dash and marker as well as colour, so it reads
//! in grey print and to a screen reader. Drawn in a 360-unit-wide viewBox: on a 360 px
//! phone one unit is about one pixel.

use std::fmt::Write;

use time::{Date, Month};

use crate::i18n::Tr;

/// The viewBox width every chart is drawn in.
pub const WIDTH: f64 = 360.0;

/// Text made safe for SVG content and attribute values.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A number as an axis writes it, with the language's decimal mark.
pub fn decimal(t: Tr, v: f64) -> String {
    let s = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    };
    if t.code() == "id" {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The top of a percentage axis: the smallest round step above every value (at least 10 %,
/// so a small prevalence is not drawn as a cliff), 100 % once anything passes 80 %.
pub fn nice_max(values: impl IntoIterator<Item = f64>) -> f64 {
    let top = values.into_iter().fold(0.0_f64, f64::max);
    [10.0, 20.0, 30.0, 40.0, 60.0, 80.0, 100.0]
        .into_iter()
        .find(|m| top <= *m)
        .unwrap_or_else(|| (top / 50.0).ceil() * 50.0)
}

/// How a line's points are marked (the second cue beside the dash).
#[derive(Clone, Copy)]
pub enum Marker {
    Circle,
    Square,
    Triangle,
}

/// One line of a chart: its name in the legend (with any value the caller prints), its
/// stroke, and a percentage per month (`None` breaks the line: nothing to divide by).
pub struct Line {
    pub name: String,
    pub colour: &'static str,
    pub dash: &'static str,
    pub marker: Marker,
    pub points: Vec<Option<f64>>,
}

/// A line per series over `months` (oldest first), 0 – `max` %, the legend under the axis.
pub fn lines(t: Tr, id: &str, title: &str, months: &[Date], max: f64, series: &[Line]) -> String {
    let (top, h, left, right) = (10.0, 150.0, 36.0, 12.0);
    let step = (WIDTH - left - right) / (months.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |p: f64| top + h * (1.0 - p.clamp(0.0, max) / max);
    let legend = top + h + 40.0;
    let height = legend + 16.0 * series.len() as f64;
    let mut s = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}"><title id="{id}">{}</title>"#,
        escape(title)
    );
    for k in 0..=4 {
        let p = max * f64::from(k) / 4.0;
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#ccd" stroke-width="0.5"/><text x="{}" y="{}" font-size="10" text-anchor="end">{}%</text>"##,
            WIDTH - right,
            left - 4.0,
            y(p) + 3.0,
            decimal(t, p),
            y = y(p)
        );
    }
    for (i, m) in months.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" font-size="10" text-anchor="middle">{:02}</text>"#,
            x(i),
            top + h + 13.0,
            u8::from(m.month())
        );
        // The year under the first month and under each January.
        if i == 0 || m.month() == Month::January {
            let _ = write!(
                s,
                r##"<text x="{:.1}" y="{}" font-size="9" text-anchor="middle" fill="#5b6660">{}</text>"##,
                x(i),
                top + h + 24.0,
                m.year()
            );
        }
    }
    for (k, line) in series.iter().enumerate() {
        let mut run = String::new();
        for (i, p) in line.points.iter().enumerate() {
            match p {
                Some(p) => {
                    let _ = write!(run, "{:.1},{:.1} ", x(i), y(*p));
                    mark(&mut s, line, x(i), y(*p));
                }
                None if !run.is_empty() => {
                    polyline(&mut s, &run, line);
                    run.clear();
                }
                None => {}
            }
        }
        if !run.is_empty() {
            polyline(&mut s, &run, line);
        }
        // The legend starts at the left edge: a name with its value is long on a phone.
        let ly = legend + 16.0 * k as f64;
        let _ = write!(
            s,
            r#"<line x1="4" x2="30" y1="{ly}" y2="{ly}" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
            line.colour, line.dash
        );
        mark(&mut s, line, 17.0, ly);
        let _ = write!(
            s,
            r#"<text x="36" y="{}" font-size="12">{}</text>"#,
            ly + 4.0,
            escape(&line.name)
        );
    }
    s.push_str("</svg>");
    s
}

fn mark(s: &mut String, line: &Line, x: f64, y: f64) {
    let c = line.colour;
    let _ = match line.marker {
        Marker::Circle => write!(s, r#"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="{c}"/>"#),
        Marker::Square => write!(
            s,
            r#"<rect x="{:.1}" y="{:.1}" width="6" height="6" fill="{c}"/>"#,
            x - 3.0,
            y - 3.0
        ),
        Marker::Triangle => write!(
            s,
            r#"<path d="M{x:.1} {:.1}l3.5 6.5h-7z" fill="{c}"/>"#,
            y - 3.5
        ),
    };
}

fn polyline(s: &mut String, points: &str, line: &Line) {
    let _ = write!(
        s,
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2" stroke-dasharray="{}"/>"#,
        points.trim_end(),
        line.colour,
        line.dash
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_stops_at_a_round_step_above_every_value() {
        assert_eq!(nice_max([]), 10.0);
        assert_eq!(nice_max([3.2, 21.4]), 30.0);
        assert_eq!(nice_max([81.0]), 100.0);
        assert_eq!(nice_max([104.0]), 150.0);
    }

    #[test]
    fn a_gap_breaks_the_line_and_names_are_escaped() {
        let t = Tr::new(crate::i18n::Lang::Id);
        let months: Vec<Date> = (1..=4)
            .filter_map(|m| Date::from_calendar_date(2026, Month::try_from(m).ok()?, 1).ok())
            .collect();
        let svg = lines(
            t,
            "c",
            "A <b>",
            &months,
            100.0,
            &[Line {
                name: "D/S & N/D".into(),
                colour: "#000",
                dash: "",
                marker: Marker::Square,
                points: vec![Some(10.0), Some(20.0), None, Some(40.0)],
            }],
        );
        assert_eq!(svg.matches("<polyline").count(), 2, "{svg}");
        assert!(svg.contains("<title id=\"c\">A &lt;b&gt;</title>"));
        assert!(svg.contains("D/S &amp; N/D"));
    }
}
