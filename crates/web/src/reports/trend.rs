//! `/laporan/tren?unit=&month=`: the 12 months up to the chosen one, each the month's own
//! report (`report::monthly::trend`), as a table and a small line chart of the ratios
//! (D/S, N/D, stunting prevalence) drawn on the server.

use std::fmt::Write;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use report::monthly::indicators::by_code;
use report::monthly::trend::{KEY, trend};
use report::monthly::{Numbers, Value};
use time::Date;

use super::page::{href, label, shown};
use super::query::{ReportQuery, month_text};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::fail;
use crate::i18n::Tr;
use crate::pages::Layout;

/// The ratios drawn, with their stroke (colour and dash, so they differ without colour).
const DRAWN: [(&str, &str, &str); 3] = [
    ("d_per_s", "#1b7a43", ""),
    ("n_per_d", "#1d4f91", "6 4"),
    ("prev_stunting", "#b3261e", "2 3"),
];

pub struct MonthRow {
    pub month: String,
    pub href: String,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/trend.html")]
struct TrendPage {
    t: Tr,
    css: String,
    unit_name: String,
    month: String,
    back: String,
    headers: Vec<String>,
    rows: Vec<MonthRow>,
    /// The chart (trusted: numbers and our own words, escaped).
    svg: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let asked = match q.asked_page(t, &user) {
        Ok(a) => a,
        Err(page) => return *page,
    };
    let actor = user.actor();
    let unit = match state.store.org_unit(&actor, asked.unit).await {
        Ok(u) => u,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let months = match trend(&state.store, &actor, asked.unit, asked.month, 12).await {
        Ok(m) => m,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let key: Vec<_> = KEY.iter().filter_map(|c| by_code(c)).collect();
    let l = Layout::new(t);
    TrendPage {
        t: l.t,
        css: l.css,
        unit_name: unit.name,
        month: month_text(asked.month),
        back: href(&asked, ""),
        headers: key.iter().map(|i| label(t, i)).collect(),
        rows: months
            .iter()
            .rev()
            .map(|(m, n)| MonthRow {
                month: month_text(*m),
                href: format!("/laporan?unit={}&month={}", asked.unit, month_text(*m)),
                cells: key.iter().map(|i| shown(t, n.value(i))).collect(),
            })
            .collect(),
        svg: chart(t, &months),
    }
    .into_response()
}

fn percent(n: &Numbers, code: &str) -> Option<f64> {
    match by_code(code).map(|i| n.value(i)) {
        Some(Value::Ratio { percent, .. }) => percent,
        _ => None,
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A line per ratio over the months, 0–100 %, in a 360-unit-wide viewBox; a month with
/// nothing to divide by breaks the line. Hand-written: a few lines of SVG need no crate.
fn chart(t: Tr, months: &[(Date, Numbers)]) -> String {
    let (w, top, h, left) = (360.0, 10.0, 150.0, 34.0);
    let step = (w - left - 10.0) / (months.len().max(2) - 1) as f64;
    let x = |i: usize| left + step * i as f64;
    let y = |p: f64| top + h * (1.0 - p.clamp(0.0, 100.0) / 100.0);
    let title = escape(&t.t("report-trend-chart"));
    let mut s = format!(
        r#"<svg class="trend" viewBox="0 0 {w} 232" role="img" aria-labelledby="trend-title"><title id="trend-title">{title}</title>"#
    );
    for p in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(
            s,
            r##"<line x1="{left}" x2="{}" y1="{y}" y2="{y}" stroke="#ccd" stroke-width="0.5"/><text x="{}" y="{}" font-size="9" text-anchor="end">{p}%</text>"##,
            w - 10.0,
            left - 4.0,
            y(p) + 3.0,
            y = y(p)
        );
    }
    for (i, (m, _)) in months.iter().enumerate() {
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" font-size="9" text-anchor="middle">{:02}</text>"#,
            x(i),
            top + h + 12.0,
            u8::from(m.month())
        );
    }
    for (k, (code, colour, dash)) in DRAWN.iter().enumerate() {
        let mut line = String::new();
        for (i, (_, n)) in months.iter().enumerate() {
            match percent(n, code) {
                Some(p) => {
                    let _ = write!(line, "{:.1},{:.1} ", x(i), y(p));
                    let _ = write!(
                        s,
                        r#"<circle cx="{:.1}" cy="{:.1}" r="2.5" fill="{colour}"/>"#,
                        x(i),
                        y(p)
                    );
                }
                None if !line.is_empty() => {
                    push_line(&mut s, &line, colour, dash);
                    line.clear();
                }
                None => {}
            }
        }
        if !line.is_empty() {
            push_line(&mut s, &line, colour, dash);
        }
        let name = by_code(code).map(|i| label(t, i)).unwrap_or_default();
        let ly = top + h + 30.0 + 14.0 * k as f64;
        let _ = write!(
            s,
            r#"<line x1="{left}" x2="{}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/><text x="{}" y="{}" font-size="10">{}</text>"#,
            left + 24.0,
            left + 30.0,
            ly + 3.5,
            escape(&name)
        );
    }
    s.push_str("</svg>");
    s
}

fn push_line(s: &mut String, points: &str, colour: &str, dash: &str) {
    let _ = write!(
        s,
        r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>"#,
        points.trim_end()
    );
}
