//! The KMS card as SVG, drawn on the server from `domain::kms_chart` (hand-written: a grid,
//! six WHO lines, coloured bands and a polyline are a few dozen elements, and no chart
//! crate draws the KIA bands well; see stack.md §1.7). A `viewBox` makes it fit a 360 px
//! phone and print at any size; the marks differ in shape as well as colour (N a green
//! circle, T a red triangle, BGM a red square), and a text list under the chart says the
//! same for a screen reader and for paper in black and white.

use std::fmt::Write;

use domain::kms_chart::{Chart, Mark};
use domain::visit::Sex;

/// Translated words of the card.
pub struct Labels {
    pub title: String,
    pub months: String,
    pub kg: String,
    pub red_line: String,
}

/// Points of a line, `(month, kg)`.
type Pts = Vec<(f64, f64)>;

const W: f64 = 360.0;
const H: f64 = 300.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 34.0;

/// Text for SVG (the few characters XML needs escaped).
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

struct Frame {
    max_month: f64,
    max_kg: f64,
}

impl Frame {
    fn x(&self, month: f64) -> f64 {
        LEFT + month / self.max_month * (W - LEFT - RIGHT)
    }
    fn y(&self, kg: f64) -> f64 {
        H - BOTTOM - kg / self.max_kg * (H - TOP - BOTTOM)
    }
    fn path(&self, pts: &[(f64, f64)]) -> String {
        pts.iter()
            .map(|(m, kg)| format!("{:.1},{:.1}", self.x(*m), self.y(*kg)))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The band fills between lines, bottom to top (below −3, −3…−2, −2…+1, +1…+2, above
/// +2): red, yellow, green, yellow, orange, pale so the lines and the child's line stay
/// readable and print in grey.
const BANDS: [&str; 5] = ["#f8d4d1", "#fbefc2", "#d9efdf", "#fbefc2", "#fde2c4"];

/// The SVG of `c`, with `labels` in the user's language.
pub fn svg(c: &Chart, l: &Labels) -> String {
    let f = Frame {
        max_month: f64::from(c.max_month),
        max_kg: c.max_kg,
    };
    let frame_colour = match c.sex {
        Sex::Male => "#1f5fa8",
        Sex::Female => "#c2457a",
    };
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="kms-title" class="kms"><title id="kms-title">{}</title>"#,
        esc(&l.title)
    );
    // Bands: the area between consecutive lines (and below the lowest, above the highest).
    let line = |i: usize| c.lines.get(i).map(|l| l.points.clone()).unwrap_or_default();
    let bottom: Vec<(f64, f64)> = vec![(0.0, 0.0), (f64::from(c.max_month), 0.0)];
    let top: Vec<(f64, f64)> = vec![(0.0, c.max_kg), (f64::from(c.max_month), c.max_kg)];
    // Lines are −3, −2, 0, +1, +2, +3: bands between −3|−2, −2|+1, +1|+2, +2|top.
    let edges: [(Pts, Pts); 5] = [
        (bottom, line(0)),
        (line(0), line(1)),
        (line(1), line(3)),
        (line(3), line(4)),
        (line(4), top),
    ];
    for ((low, high), fill) in edges.iter().zip(BANDS) {
        let mut pts = low.clone();
        pts.extend(high.iter().rev().copied());
        let _ = write!(s, r#"<polygon points="{}" fill="{fill}"/>"#, f.path(&pts));
    }
    // Grid: every 3 months (6 past two years), every 2 kg.
    let step = if c.max_month <= 24 { 3 } else { 6 };
    for m in (0..=c.max_month).step_by(step) {
        let x = f.x(f64::from(m));
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{:.1}" stroke="#ffffff" stroke-width="0.8"/><text x="{x:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333">{m}</text>"##,
            H - BOTTOM,
            H - BOTTOM + 12.0
        );
    }
    let mut kg = 0.0;
    while kg <= c.max_kg {
        let y = f.y(kg);
        let _ = write!(
            s,
            r##"<line x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}" stroke="#ffffff" stroke-width="0.8"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#333">{kg}</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            y + 3.5
        );
        kg += 2.0;
    }
    // The WHO lines: the red line (−3) heavy, the median green, the others thin.
    for line in &c.lines {
        let (colour, width, dash) = match line.z {
            -3.0 => ("#c62828", 2.2, ""),
            0.0 => ("#2e7d32", 1.6, ""),
            1.0 => ("#ef6c00", 1.4, ""),
            _ => ("#6d6d6d", 0.9, r#" stroke-dasharray="4 3""#),
        };
        let _ = write!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="{width}"{dash}/>"#,
            f.path(&line.points)
        );
    }
    if let Some(red) = c.lines.first().and_then(|l| l.points.last()) {
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="9" text-anchor="end" fill="#c62828">{}</text>"##,
            W - RIGHT - 2.0,
            f.y(red.1) + 11.0,
            esc(&l.red_line)
        );
    }
    // The child's line and marks.
    let child: Vec<(f64, f64)> = c.points.iter().map(|p| (p.month, p.kg)).collect();
    if child.len() > 1 {
        let _ = write!(
            s,
            r##"<polyline points="{}" fill="none" stroke="#111" stroke-width="2" class="child"/>"##,
            f.path(&child)
        );
    }
    for p in &c.points {
        let (x, y) = (f.x(p.month), f.y(p.kg));
        let _ = match p.mark {
            Mark::N => write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="#2e7d32" stroke="#fff" class="mark n"/>"##
            ),
            Mark::T => write!(
                s,
                r##"<polygon points="{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}" fill="#c62828" stroke="#fff" class="mark t"/>"##,
                x,
                y - 5.0,
                x - 5.0,
                y + 4.0,
                x + 5.0,
                y + 4.0
            ),
            Mark::Bgm => write!(
                s,
                r##"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="#7f0000" stroke="#fff" class="mark bgm"/>"##,
                x - 4.0,
                y - 4.0
            ),
            Mark::Other => write!(
                s,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="#111" class="mark"/>"##
            ),
        };
    }
    // Axis titles and the frame in the KIA colour of the child's sex.
    let _ = write!(
        s,
        r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333">{}</text><text x="10" y="{:.1}" font-size="11" text-anchor="middle" fill="#333" transform="rotate(-90 10 {:.1})">{}</text><rect x="{LEFT}" y="{TOP}" width="{:.1}" height="{:.1}" fill="none" stroke="{frame_colour}" stroke-width="2"/></svg>"##,
        (LEFT + W - RIGHT) / 2.0,
        H - 6.0,
        esc(&l.months),
        (TOP + H - BOTTOM) / 2.0,
        (TOP + H - BOTTOM) / 2.0,
        esc(&l.kg),
        W - LEFT - RIGHT,
        H - TOP - BOTTOM
    );
    s
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use domain::kms_chart::weight_for_age;
    use time::macros::date;

    fn labels() -> Labels {
        Labels {
            title: "KMS <Sari> & ibu".into(),
            months: "Umur (bulan)".into(),
            kg: "Berat (kg)".into(),
            red_line: "garis merah".into(),
        }
    }

    /// Parsed by a real XML parser: the viewBox, the escaped title, six lines, five bands,
    /// the child's line through its weighings and one mark of each kind where it belongs.
    #[test]
    fn the_svg_is_well_formed_and_draws_what_the_chart_holds() {
        let birth = date!(2026 - 01 - 01);
        let w = [
            (date!(2026 - 02 - 01), 4.2, Mark::Other),
            (date!(2026 - 03 - 01), 5.0, Mark::N),
            (date!(2026 - 04 - 01), 4.9, Mark::T),
            (date!(2026 - 05 - 01), 4.0, Mark::Bgm),
        ];
        let c = weight_for_age(Sex::Female, birth, date!(2026 - 05 - 02), &w);
        let text = svg(&c, &labels());
        let doc = roxmltree::Document::parse(&text).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("viewBox"), Some("0 0 360 300"));
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some("KMS <Sari> & ibu"));
        let count = |tag: &str, class: Option<&str>| {
            doc.descendants()
                .filter(|n| {
                    n.has_tag_name(tag) && class.is_none_or(|c| n.attribute("class") == Some(c))
                })
                .count()
        };
        assert_eq!(count("polyline", None), 7, "six WHO lines and the child's");
        assert_eq!(
            count("polygon", None),
            5 + 1,
            "five bands and the T triangle"
        );
        assert_eq!(count("circle", Some("mark n")), 1);
        assert_eq!(count("polygon", Some("mark t")), 1);
        assert_eq!(count("rect", Some("mark bgm")), 1);
        // The child's line starts at the first weighing: month 31/30.4375, 4.2 kg.
        let f = Frame {
            max_month: 24.0,
            max_kg: c.max_kg,
        };
        let child = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("child"))
            .unwrap();
        let first = child
            .attribute("points")
            .unwrap()
            .split(' ')
            .next()
            .unwrap();
        assert_eq!(first, format!("{:.1},{:.1}", f.x(31.0 / 30.4375), f.y(4.2)));
    }
}
