//! `/laporan/tren?unit=&month=`: the 12 months up to the chosen one, each the month's own
//! report (`report::monthly::trend`), as a table and a small line chart of the ratios
//! (D/S, N/D, stunting prevalence) drawn on the server (`super::chart`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use report::monthly::indicators::by_code;
use report::monthly::trend::{KEY, trend};
use report::monthly::{Numbers, Value};
use time::Date;

use super::chart::{self, Line, Marker};
use super::page::{href, label, shown};
use super::query::{ReportQuery, month_text};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::fail;
use crate::i18n::Tr;
use crate::pages::Layout;

/// The ratios drawn, with their stroke (colour, dash and marker, so they differ without
/// colour).
const DRAWN: [(&str, &str, &str, Marker); 3] = [
    ("d_per_s", "#1b7a43", "", Marker::Circle),
    ("n_per_d", "#1d4f91", "6 4", Marker::Square),
    ("prev_stunting", "#b3261e", "2 3", Marker::Triangle),
];

pub struct MonthRow {
    pub month: String,
    pub href: String,
    pub cells: Vec<String>,
    /// The month was closed (its report shows the numbers as closed beside today's).
    pub closed: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/trend.html")]
struct TrendPage {
    t: Tr,
    css: String,
    unit_name: String,
    month: String,
    back: String,
    /// The same unit and month's dashboard.
    dashboard: String,
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
    let mut rows = Vec::with_capacity(months.len());
    for (m, n) in months.iter().rev() {
        let closed = match state
            .store
            .period_close(&actor, asked.unit, &report::monthly::month_code(*m))
            .await
        {
            Ok(c) => c.is_some(),
            Err(e) => return fail(t, DayError::from(e)),
        };
        rows.push(MonthRow {
            month: month_text(*m),
            href: format!("/laporan?unit={}&month={}", asked.unit, month_text(*m)),
            cells: key.iter().map(|i| shown(t, n.value(i))).collect(),
            closed,
        });
    }
    let l = Layout::new(t);
    TrendPage {
        t: l.t,
        css: l.css,
        unit_name: unit.name,
        month: month_text(asked.month),
        back: href(&asked, ""),
        dashboard: format!(
            "/laporan/dasbor?unit={}&month={}",
            asked.unit,
            month_text(asked.month)
        ),
        headers: key.iter().map(|i| label(t, i)).collect(),
        rows,
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

/// A line per ratio over the months, 0–100 % ([`chart::lines`]).
fn chart(t: Tr, months: &[(Date, Numbers)]) -> String {
    let days: Vec<Date> = months.iter().map(|(m, _)| *m).collect();
    let series: Vec<Line> = DRAWN
        .iter()
        .map(|(code, colour, dash, marker)| Line {
            name: by_code(code).map(|i| label(t, i)).unwrap_or_default(),
            colour,
            dash,
            marker: *marker,
            points: months.iter().map(|(_, n)| percent(n, code)).collect(),
        })
        .collect();
    chart::lines(
        t,
        "trend-title",
        &t.t("report-trend-chart"),
        &days,
        100.0,
        &series,
    )
}
