//! Horizontal bars for the dashboard (coverage by antigen, the ranking of the units below,
//! completeness). A phone is narrow and unit names are long, so each row is two lines: the
//! name (left) and the value with its parts (right), then the bar across the whole width
//! over a grey track, so a zero still shows as an empty track. The name and the value are
//! links when the caller gives one; each link's hit area is a box about a thumb high, not
//! just its letters. A name too long for what the value leaves is cut, whole in its link.

use std::fmt::Write;

use crate::reports::chart::{WIDTH, escape};

/// The height of one row, in viewBox units.
const ROW: f64 = 48.0;
/// The text size: about the page's small print on a 360 px phone.
const FONT: f64 = 14.0;
/// A generous average advance of a character at [`FONT`] (digits and bold included), to
/// keep the name clear of the value without measuring text.
const CHAR: f64 = 8.0;

/// One bar.
pub struct Bar {
    pub label: String,
    /// The label's link (a unit's dashboard).
    pub label_href: Option<String>,
    /// The bar's length as a percentage (`None`: nothing to divide by, no bar).
    pub percent: Option<f64>,
    /// The value as printed: `21,3 % · 12/56`.
    pub text: String,
    /// The value's link (the persons counted, or the report).
    pub href: Option<String>,
}

/// A dashed line across every bar (the unit's own value, the year's pace).
pub struct Mark {
    pub at: f64,
    pub label: String,
}

/// The bars, 0 – `max` %, in the order given.
pub fn bars(id: &str, title: &str, rows: &[Bar], max: f64, mark: Option<&Mark>) -> String {
    let body = ROW * rows.len() as f64;
    let height = body + if mark.is_some() { 26.0 } else { 4.0 };
    let len = |p: f64| (p.clamp(0.0, max) / max * WIDTH).max(0.0);
    // Not role="img": the names and values inside are links a screen reader must reach.
    let mut s = format!(
        r#"<svg class="bars" viewBox="0 0 {WIDTH} {height}" role="group" aria-labelledby="{id}"><title id="{id}">{}</title>"#,
        escape(title)
    );
    for (k, b) in rows.iter().enumerate() {
        let y0 = ROW * k as f64;
        // The value takes what it needs on the right; the name gets the rest.
        let value_w = (CHAR * b.text.chars().count() as f64 + 6.0).min(WIDTH / 2.0);
        let name_w = WIDTH - value_w - 8.0;
        let name = short(&b.label, (name_w / CHAR) as usize);
        let label = format!(
            r#"<text x="0" y="{:.1}" font-size="{FONT}">{}</text>"#,
            y0 + 16.0,
            escape(&name)
        );
        link(
            &mut s,
            b.label_href.as_deref(),
            &b.label,
            (0.0, y0, name_w),
            &label,
        );
        let value = format!(
            r#"<text x="{WIDTH}" y="{:.1}" font-size="{FONT}" font-weight="700" text-anchor="end">{}</text>"#,
            y0 + 16.0,
            escape(&b.text)
        );
        link(
            &mut s,
            b.href.as_deref(),
            &format!("{}: {}", b.label, b.text),
            (WIDTH - value_w, y0, value_w),
            &value,
        );
        let _ = write!(
            s,
            r##"<rect x="0" y="{:.1}" width="{WIDTH}" height="14" fill="#e6ebe8"/>"##,
            y0 + 24.0
        );
        if let Some(p) = b.percent {
            let _ = write!(
                s,
                r##"<rect class="bar" x="0" y="{:.1}" width="{:.1}" height="14" fill="#1d4f91"/>"##,
                y0 + 24.0,
                len(p)
            );
        }
    }
    if let Some(m) = mark {
        // Across each bar only, never over the printed values.
        let x = len(m.at).clamp(1.0, WIDTH - 1.0);
        for k in 0..rows.len() {
            let y0 = ROW * k as f64;
            let _ = write!(
                s,
                r##"<line x1="{x:.1}" x2="{x:.1}" y1="{:.1}" y2="{:.1}" stroke="#b3261e" stroke-width="2" stroke-dasharray="4 3"/>"##,
                y0 + 21.0,
                y0 + 41.0
            );
        }
        let _ = write!(
            s,
            r##"<line x1="0" x2="22" y1="{}" y2="{}" stroke="#b3261e" stroke-width="2" stroke-dasharray="4 3"/><text x="28" y="{}" font-size="12">{}</text>"##,
            body + 12.0,
            body + 12.0,
            body + 16.0,
            escape(&m.label)
        );
    }
    s.push_str("</svg>");
    s
}

/// The name cut to `chars` characters, ending in "…" when cut.
fn short(name: &str, chars: usize) -> String {
    if name.chars().count() <= chars {
        return name.to_owned();
    }
    let cut: String = name.chars().take(chars.saturating_sub(1)).collect();
    format!("{}…", cut.trim_end())
}

/// `inner` inside a link with a row-high hit box, or as it is without a link.
fn link(s: &mut String, href: Option<&str>, name: &str, (x, y, w): (f64, f64, f64), inner: &str) {
    match href {
        Some(h) => {
            let _ = write!(
                s,
                r#"<a href="{}" aria-label="{}"><rect x="{x:.1}" y="{:.1}" width="{w:.1}" height="27" fill="transparent"/>{inner}</a>"#,
                escape(h),
                escape(name),
                y - 2.0
            );
        }
        None => s.push_str(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_row_prints_its_value_and_links_it() {
        let rows = [
            Bar {
                label: "Posyandu Melati & Mawar".into(),
                label_href: Some("/laporan/dasbor?unit=1&month=2026-10".into()),
                percent: Some(50.0),
                text: "50,0 % · 1/2".into(),
                href: Some("/laporan/orang?unit=1&month=2026-10&ind=stunting".into()),
            },
            Bar {
                label: "Posyandu Kenanga".into(),
                label_href: None,
                percent: None,
                text: "–".into(),
                href: None,
            },
        ];
        let mark = Mark {
            at: 25.0,
            label: "Desa: 25,0 %".into(),
        };
        let svg = bars("r", "Ranking", &rows, 100.0, Some(&mark));
        assert!(svg.contains(">50,0 % · 1/2</text></a>"), "{svg}");
        assert!(svg.contains("href=\"/laporan/orang?unit=1&amp;month=2026-10&amp;ind=stunting\""));
        assert!(svg.contains("Posyandu Melati &amp; Mawar"));
        assert_eq!(
            svg.matches("class=\"bar\"").count(),
            1,
            "no bar without a value"
        );
        assert!(
            svg.contains(r#"width="180.0" height="14""#),
            "half of 360: {svg}"
        );
        assert!(svg.contains(">Desa: 25,0 %</text>"));
    }

    #[test]
    fn a_long_name_is_cut_but_kept_whole_in_the_link() {
        let long = "Posyandu Bunga Melati Putih Harum Semerbak Sepanjang Hari";
        assert!(short(long, 20).ends_with('…') && short(long, 20).chars().count() <= 20);
        assert_eq!(short("Posyandu Melati", 20), "Posyandu Melati");
        let svg = bars(
            "r",
            "t",
            &[Bar {
                label: long.into(),
                label_href: Some("/x".into()),
                percent: Some(1.0),
                text: "1 %".into(),
                href: None,
            }],
            100.0,
            None,
        );
        assert!(svg.contains(&format!("aria-label=\"{long}\"")));
    }
}
