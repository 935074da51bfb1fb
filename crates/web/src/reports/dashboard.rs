//! `/laporan/dasbor?unit=&month=&ind=`: a unit's dashboard for a month, for the Puskesmas
//! officer on a phone and the Dinkes on a desktop. Charts drawn on the server as SVG (no
//! script): the 12-month trends of the nutrition prevalences and of D/S and N/D, the
//! year's immunization coverage by antigen ([`coverage`]), the units below ranked on one
//! ratio (`ind=`, stunting prevalence by default), and which pos have not reported
//! ([`complete`]). Every number is `report::monthly`'s (`trend` for the months), so the
//! dashboard cannot disagree with `/laporan`; each opens to the persons it counts or to
//! the report it comes from.

mod bars;
mod complete;
mod coverage;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use report::monthly::indicators::{ALL, Indicator, Measure, by_code};
use report::monthly::trend::trend;
use report::monthly::{MonthlyReport, Numbers, Value, monthly};
use store::{OrgUnit, OrgUnitId};
use time::Date;

use self::bars::{Bar, Mark, bars};
use self::complete::Pos;
use self::coverage::Coverage;
use super::chart::{self, Line, Marker, decimal, nice_max};
use super::page::{label, shown};
use super::query::{Asked, ReportQuery, month_text};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::fail;
use crate::form::FieldError;
use crate::i18n::{Tr, format};
use crate::pages::Layout;
use crate::targets::page::{Choice, units};

/// The ranking's indicator when none is asked: what the Dinkes is held to first.
const RANKED: &str = "prev_stunting";

type Drawn = (&'static str, &'static str, &'static str, Marker);

/// The nutrition prevalences drawn (colour, dash and marker: they differ without colour).
const NUTRITION: [Drawn; 3] = [
    ("prev_stunting", "#b3261e", "", Marker::Circle),
    ("prev_underweight", "#7a4a00", "6 4", Marker::Square),
    ("prev_wasting", "#1d4f91", "2 3", Marker::Triangle),
];

/// The month's headline numbers: the first screen of a phone.
const HEADLINE: [&str; 4] = ["d_per_s", "n_per_d", "prev_stunting", "prev_underweight"];

/// Participation and weighing success.
const WEIGHING: [Drawn; 2] = [
    ("d_per_s", "#1b7a43", "", Marker::Circle),
    ("n_per_d", "#1d4f91", "6 4", Marker::Square),
];

/// A headline number: the value, its parts, the persons behind it.
pub struct Tile {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub href: String,
}

pub struct Cell {
    pub text: String,
    pub href: Option<String>,
}

pub struct MonthRow {
    pub month: String,
    pub href: String,
    pub cells: Vec<Cell>,
}

/// A trend chart and, folded under it, its numbers month by month.
pub struct TrendView {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
    pub headers: Vec<String>,
    pub rows: Vec<MonthRow>,
}

pub struct Link {
    pub name: String,
    /// The unit above it (the desa of a posyandu), to tell like names apart.
    pub within: String,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/dashboard.html")]
struct DashboardPage {
    t: Tr,
    css: String,
    units: Vec<Choice>,
    month: String,
    unit_id: String,
    unit_name: String,
    ind: String,
    report: String,
    trend: String,
    tiles: Vec<Tile>,
    /// Pos reported, of all pos.
    reported: usize,
    pos: usize,
    trends: Vec<TrendView>,
    coverage_title: String,
    coverage: Option<String>,
    coverage_def: String,
    ranked: Vec<Choice>,
    ranking: Option<String>,
    complete_svg: String,
    missing: Vec<Link>,
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
    let ind = match ranked(q.ind.as_deref()) {
        Ok(i) => i,
        Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response(),
    };
    let (store, actor) = (&state.store, user.actor());
    // Scope first: a unit outside the user's area is not found, before anything is read.
    let tree = match store.org_units_under(&actor, asked.unit).await {
        Ok(u) => u,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let report = match monthly(store, &actor, asked.unit, asked.month).await {
        Ok(r) => r,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let months = match trend(store, &actor, asked.unit, asked.month, 12).await {
        Ok(m) => m,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let pos = match complete::of(store, &actor, &report, &tree).await {
        Ok(p) => p,
        Err(e) => return fail(t, DayError::from(e)),
    };
    let month = month_text(asked.month);
    let cov = Coverage::of(&months);
    let reported = pos.iter().filter(|p| p.reported).count();
    let complete_count = format(
        t.lang,
        "dash-complete-count",
        &[("x", &reported.to_string()), ("y", &pos.len().to_string())],
    );
    let l = Layout::new(t);
    DashboardPage {
        t: l.t,
        css: l.css,
        units: units(&state, &user, asked.unit).await,
        unit_id: asked.unit.to_string(),
        unit_name: report.unit.name.clone(),
        ind: ind.code.to_owned(),
        report: format!("/laporan?unit={}&month={month}", asked.unit),
        trend: format!("/laporan/tren?unit={}&month={month}", asked.unit),
        tiles: tiles(t, &asked, &report.numbers),
        reported,
        pos: pos.len(),
        trends: vec![
            trend_view(t, &asked, "gizi", "dash-nutrition", &NUTRITION, &months),
            trend_view(t, &asked, "timbang", "dash-weighing", &WEIGHING, &months),
        ],
        coverage_title: format(
            t.lang,
            "dash-coverage",
            &[("year", &asked.month.year().to_string())],
        ),
        coverage: coverage_chart(t, &asked, &cov),
        coverage_def: format(
            t.lang,
            "dash-coverage-def",
            &[
                ("month", &month),
                ("n", &cov.infants.to_string()),
                ("k", &cov.month.to_string()),
                ("p", &decimal(t, (cov.pace() * 10.0).round() / 10.0)),
            ],
        ),
        ranked: ALL
            .iter()
            .filter(|i| !i.is_count())
            .map(|i| Choice {
                value: i.code.to_owned(),
                label: label(t, i),
                selected: i.code == ind.code,
            })
            .collect(),
        ranking: ranking(t, &asked, ind, &report, &tree),
        complete_svg: bars(
            "complete-title",
            &t.t("dash-complete-chart"),
            &[Bar {
                label: t.t("dash-complete-reported"),
                label_href: None,
                percent: (!pos.is_empty()).then(|| reported as f64 * 100.0 / pos.len() as f64),
                text: complete_count,
                href: None,
            }],
            100.0,
            None,
        ),
        missing: missing(&asked, ind, &pos, &tree),
        month,
    }
    .into_response()
}

fn tiles(t: Tr, a: &Asked, n: &Numbers) -> Vec<Tile> {
    HEADLINE
        .iter()
        .filter_map(|c| by_code(c))
        .map(|i| {
            let v = n.value(i);
            Tile {
                label: label(t, i),
                value: shown(t, v),
                detail: match v {
                    Value::Ratio {
                        numerator,
                        denominator,
                        ..
                    } => format!("{numerator}/{denominator}"),
                    Value::Count { .. } => String::new(),
                },
                href: drill(a.unit, a.month, i, v),
            }
        })
        .collect()
}

/// The ranking's indicator: a ratio of the report (a count would rank size, not
/// performance).
fn ranked(code: Option<&str>) -> Result<&'static Indicator, FieldError> {
    let code = code.filter(|c| !c.is_empty()).unwrap_or(RANKED);
    by_code(code)
        .filter(|i| !i.is_count())
        .ok_or_else(|| FieldError::new("ind", code, "err-invalid"))
}

/// This page for another unit, the same month and indicator.
fn dashboard(unit: OrgUnitId, month: Date, ind: &Indicator) -> String {
    format!(
        "/laporan/dasbor?unit={unit}&month={}&ind={}",
        month_text(month),
        ind.code
    )
}

/// The persons behind a ratio's numerator, when there are any; else the unit's report.
fn drill(unit: OrgUnitId, month: Date, i: &Indicator, v: Value) -> String {
    match (i.measure, v) {
        (Measure::Ratio { numerator, .. }, Value::Ratio { numerator: n, .. }) if n > 0 => {
            format!(
                "/laporan/orang?unit={unit}&month={}&ind={numerator}",
                month_text(month)
            )
        }
        _ => format!("/laporan?unit={unit}&month={}", month_text(month)),
    }
}

/// `21,3 % · 12/56`, or `–` with nothing to divide by.
fn with_parts(t: Tr, v: Value) -> String {
    match v {
        Value::Ratio {
            numerator,
            denominator,
            percent: Some(_),
        } => format!("{} · {numerator}/{denominator}", shown(t, v)),
        _ => shown(t, v),
    }
}

fn percent(v: Value) -> Option<f64> {
    match v {
        Value::Ratio { percent, .. } => percent,
        Value::Count { .. } => None,
    }
}

fn trend_view(
    t: Tr,
    a: &Asked,
    id: &'static str,
    title: &str,
    drawn: &[Drawn],
    months: &[(Date, Numbers)],
) -> TrendView {
    let inds: Vec<&Indicator> = drawn.iter().filter_map(|d| by_code(d.0)).collect();
    let last = months.last();
    let series: Vec<Line> = drawn
        .iter()
        .zip(&inds)
        .map(|((_, colour, dash, marker), i)| Line {
            name: format(
                t.lang,
                "dash-legend",
                &[
                    ("name", &label(t, i)),
                    (
                        "month",
                        &last.map(|(m, _)| month_text(*m)).unwrap_or_default(),
                    ),
                    (
                        "value",
                        &last.map(|(_, n)| shown(t, n.value(i))).unwrap_or_default(),
                    ),
                ],
            ),
            colour,
            dash,
            marker: *marker,
            points: months.iter().map(|(_, n)| percent(n.value(i))).collect(),
        })
        .collect();
    let max = nice_max(
        series
            .iter()
            .flat_map(|l| l.points.iter().flatten().copied()),
    );
    let days: Vec<Date> = months.iter().map(|(m, _)| *m).collect();
    let title = t.t(title);
    TrendView {
        id,
        svg: chart::lines(t, &format!("{id}-title"), &title, &days, max, &series),
        title,
        headers: inds.iter().map(|i| label(t, i)).collect(),
        rows: months
            .iter()
            .rev()
            .map(|(m, n)| MonthRow {
                month: month_text(*m),
                href: format!("/laporan?unit={}&month={}", a.unit, month_text(*m)),
                cells: inds
                    .iter()
                    .map(|i| {
                        let v = n.value(i);
                        Cell {
                            text: with_parts(t, v),
                            href: Some(drill(a.unit, *m, i, v)),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The year's coverage by antigen against the pace of the year; `None` without infants to
/// divide by.
fn coverage_chart(t: Tr, a: &Asked, c: &Coverage) -> Option<String> {
    if c.infants == 0 {
        return None;
    }
    let report = format!("/laporan?unit={}&month={}", a.unit, month_text(a.month));
    let rows: Vec<Bar> = c
        .antigens
        .iter()
        .map(|g| {
            let p = (g.given as f64 * 1000.0 / c.infants as f64).round() / 10.0;
            Bar {
                // "IDL" as the forms write it: the full name would be cut on a phone.
                label: g.name.clone(),
                label_href: None,
                percent: Some(p),
                text: with_parts(
                    t,
                    Value::Ratio {
                        numerator: g.given,
                        denominator: c.infants,
                        percent: Some(p),
                    },
                ),
                href: Some(report.clone()),
            }
        })
        .collect();
    let max = nice_max(rows.iter().filter_map(|b| b.percent)).max(100.0);
    let pace = c.pace();
    let mark = Mark {
        at: pace,
        label: format(
            t.lang,
            "dash-coverage-pace",
            &[
                ("k", &c.month.to_string()),
                ("p", &decimal(t, (pace * 10.0).round() / 10.0)),
            ],
        ),
    };
    Some(bars(
        "coverage-title",
        &t.t("dash-coverage-chart"),
        &rows,
        max,
        Some(&mark),
    ))
}

/// The direct children of the unit, highest value first (none to divide by last), each
/// name opening its own dashboard, each value the persons it counts; the unit's own value
/// as a dashed line. `None` for a pos (nothing below it).
fn ranking(
    t: Tr,
    a: &Asked,
    ind: &Indicator,
    r: &MonthlyReport,
    tree: &[OrgUnit],
) -> Option<String> {
    let empty = Numbers::default();
    let mut rows: Vec<(&OrgUnit, Value)> = tree
        .iter()
        .filter(|u| u.parent_id == Some(r.unit.id))
        .map(|u| {
            let n = r
                .children
                .iter()
                .find(|(c, _)| c.id == u.id)
                .map_or(&empty, |(_, n)| n);
            (u, n.value(ind))
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|x, y| {
        let (px, py) = (percent(x.1), percent(y.1));
        py.partial_cmp(&px)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| x.0.path.cmp(&y.0.path))
    });
    let max = nice_max(rows.iter().filter_map(|(_, v)| percent(*v))).max(100.0);
    let own = r.numbers.value(ind);
    let bars_of: Vec<Bar> = rows
        .iter()
        .enumerate()
        .map(|(k, (u, v))| Bar {
            label: format!("{}. {}", k + 1, u.name),
            label_href: Some(dashboard(u.id, a.month, ind)),
            percent: percent(*v),
            text: with_parts(t, *v),
            href: Some(drill(u.id, a.month, ind, *v)),
        })
        .collect();
    let mark = percent(own).map(|at| Mark {
        at,
        label: format!("{}: {}", r.unit.name, shown(t, own)),
    });
    let title = format(t.lang, "dash-rank-chart", &[("ind", &label(t, ind))]);
    Some(bars("rank-title", &title, &bars_of, max, mark.as_ref()))
}

/// The pos that have not reported, each opening its dashboard.
fn missing(a: &Asked, ind: &Indicator, pos: &[Pos], tree: &[OrgUnit]) -> Vec<Link> {
    pos.iter()
        .filter(|p| !p.reported)
        .map(|p| Link {
            name: p.unit.name.clone(),
            within: p
                .unit
                .parent_id
                .and_then(|id| tree.iter().find(|u| u.id == id))
                .map(|u| u.name.clone())
                .unwrap_or_default(),
            href: dashboard(p.unit.id, a.month, ind),
        })
        .collect()
}
