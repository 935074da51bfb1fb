//! The `/laporan` page (with its CSV, XLSX, PDF and JSON downloads) and the JSON API.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use domain::immunization::Vaccine;
use report::monthly::{AgeBand, Indicator, MonthlyReport, Numbers, Section, Value, export};
use store::codes::Sex;

use super::close::ClosedView;
use super::query::{Asked, ReportQuery, month_text, read};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::Tr;
use crate::pages::Layout;
use crate::targets::page::{Choice, download, units};
use report::monthly::close::Closed;

/// The columns of the rows of the units below: the numbers a Puskesmas compares first.
const COMPARED: [&str; 6] = ["s", "d", "d_per_s", "n_per_d", "bgm", "prev_stunting"];

pub struct IndRow {
    pub label: String,
    pub value: String,
    /// The value as the month was closed (empty while it is open).
    pub closed: String,
    /// `4/6` for a ratio, empty for a count.
    pub detail: String,
    /// The drill-down of a count that is not zero.
    pub href: Option<String>,
    /// Boys and girls of each age band (counts only).
    pub bands: Vec<String>,
}

pub struct SectionView {
    pub title: String,
    pub rows: Vec<IndRow>,
    /// Balita sections: the split by age band and sex is shown.
    pub bands: bool,
}

pub struct ChildRow {
    pub name: String,
    pub href: String,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/monthly.html")]
struct MonthlyPage {
    t: Tr,
    css: String,
    units: Vec<Choice>,
    month: String,
    unit_name: String,
    sections: Vec<SectionView>,
    band_headers: Vec<String>,
    child_headers: Vec<String>,
    children: Vec<ChildRow>,
    csv: String,
    xlsx: String,
    /// The printable A4 report (`pdf::monthly_report`).
    pdf: String,
    json: String,
    trend: String,
    /// The month's close, when it was closed.
    closed: Option<ClosedView>,
    /// The Juknis ILP cluster-2 set, first (`indicators::CLUSTER2`).
    cluster2: Vec<IndRow>,
    /// The close button (a closer's role, a month that has ended, not closed yet).
    can_close: bool,
    /// The reopen form (a closer's role, a closed month).
    can_reopen: bool,
    /// The closes of the month that were reopened, the latest first.
    reopens: Vec<String>,
    csrf: String,
    unit_id: String,
}

/// An indicator's name in the user's language; a dose is named by its schedule code.
pub fn label(t: Tr, i: &Indicator) -> String {
    if Vaccine::from_code(i.code).is_some() {
        i.code.replace('_', "-")
    } else {
        t.t(&format!("ind-{}", i.code))
    }
}

/// A value as the page shows it: a count, or a percentage with the language's decimal
/// mark ("–" when there is nothing to divide by).
pub fn shown(t: Tr, v: Value) -> String {
    match v {
        Value::Count { n } => n.to_string(),
        Value::Ratio {
            percent: Some(p), ..
        } => {
            let s = format!("{p:.1} %");
            if t.code() == "id" {
                s.replace('.', ",")
            } else {
                s
            }
        }
        Value::Ratio { percent: None, .. } => "–".into(),
    }
}

pub fn href(a: &Asked, extra: &str) -> String {
    format!(
        "/laporan?unit={}&month={}{extra}",
        a.unit,
        month_text(a.month)
    )
}

fn section_title(t: Tr, s: Section) -> String {
    t.t(&format!("report-section-{}", s.code()))
}

fn sections(t: Tr, a: &Asked, n: &Numbers, closed: Option<&Closed>) -> Vec<SectionView> {
    Section::ALL
        .iter()
        .map(|s| SectionView {
            bands: s.is_balita(),
            title: section_title(t, *s),
            rows: report::monthly::indicators::ALL
                .iter()
                .filter(|i| i.section == *s)
                .map(|i| row(t, a, n, i, closed))
                .collect(),
        })
        .collect()
}

fn row(t: Tr, a: &Asked, n: &Numbers, i: &Indicator, closed: Option<&Closed>) -> IndRow {
    let v = n.value(i);
    let detail = match v {
        Value::Ratio {
            numerator,
            denominator,
            ..
        } => format!("{numerator}/{denominator}"),
        Value::Count { .. } => String::new(),
    };
    let href = matches!(v, Value::Count { n } if n > 0).then(|| {
        format!(
            "/laporan/orang?unit={}&month={}&ind={}",
            a.unit,
            month_text(a.month),
            i.code
        )
    });
    let mut bands = Vec::new();
    if i.is_count() && i.section.is_balita() {
        for band in AgeBand::ALL {
            for sex in [Sex::Male, Sex::Female] {
                bands.push(shown(t, n.value_for(i, band, sex)));
            }
        }
    }
    IndRow {
        label: label(t, i),
        closed: closed
            .and_then(|c| c.values.get(i.code))
            .map(|v| shown(t, *v))
            .unwrap_or_default(),
        value: shown(t, v),
        detail,
        href,
        bands,
    }
}

fn compared() -> Vec<&'static Indicator> {
    COMPARED
        .iter()
        .filter_map(|c| report::monthly::indicators::by_code(c))
        .collect()
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
    let format = q.format.as_deref();
    // A download leaves the server: audited like a target list.
    let audit = format.map(
        |f| serde_json::json!({"report": "bulanan", "month": month_text(asked.month), "as": f}),
    );
    let r = match read(&state.store, &user.actor(), &asked, audit).await {
        Ok(r) => r,
        Err(e) => return fail(t, e),
    };
    let name = format!("laporan-{}-{}", r.unit.code, month_text(asked.month));
    // A closed month's CSV and XLSX carry the values as closed (the late rows are the
    // page's only).
    let as_closed = match format {
        Some("csv" | "xlsx") => match report::monthly::close::as_closed(
            &state.store,
            &user.actor(),
            asked.unit,
            asked.month,
        )
        .await
        {
            Ok(c) => c.map(|(_, values)| values),
            Err(e) => return close_failed(t, e),
        },
        _ => None,
    };
    match format {
        Some("csv") => {
            return file(
                t,
                export::table_with_close(&r, as_closed.as_ref()).csv(),
                "text/csv; charset=utf-8",
                &name,
                "csv",
            );
        }
        Some("xlsx") => {
            return file(
                t,
                export::xlsx_with_close(&r, as_closed.as_ref()),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                &name,
                "xlsx",
            );
        }
        Some("pdf") => {
            let file = format!("{name}.pdf");
            return crate::person::print::pdf_response(t, file, move || pdf::monthly_report(&r))
                .await;
        }
        Some("json") => return json_of(t, &r),
        _ => {}
    }
    let closed =
        match report::monthly::close::closed(&state.store, &user.actor(), asked.unit, asked.month)
            .await
        {
            Ok(c) => c,
            Err(e) => return close_failed(t, e),
        };
    let closed_view = match &closed {
        Some(c) => Some(super::close::view(&state, t, &user, c).await),
        None => None,
    };
    let closer = super::close::CLOSERS.contains(&user.user().role);
    let can_close =
        closed.is_none() && closer && report::targets::next_month(asked.month) <= today();
    let can_reopen = closed.is_some() && closer;
    let reopens = match report::monthly::close::reopened(
        &state.store,
        &user.actor(),
        asked.unit,
        asked.month,
    )
    .await
    {
        Ok(list) => super::close::reopen_views(&state, t, &user, &list).await,
        Err(e) => return close_failed(t, e),
    };
    let cols = compared();
    let l = Layout::new(t);
    MonthlyPage {
        t: l.t,
        css: l.css,
        units: units(&state, &user, asked.unit).await,
        month: month_text(asked.month),
        unit_name: r.unit.name.clone(),
        cluster2: report::monthly::indicators::CLUSTER2
            .iter()
            .filter_map(|c| report::monthly::indicators::by_code(c))
            .map(|i| row(t, &asked, &r.numbers, i, closed.as_ref()))
            .collect(),
        sections: sections(t, &asked, &r.numbers, closed.as_ref()),
        band_headers: AgeBand::ALL
            .iter()
            .flat_map(|b| ["L", "P"].map(|s| format!("{} {s}", b.label())))
            .collect(),
        child_headers: cols.iter().map(|i| label(t, i)).collect(),
        children: r
            .children
            .iter()
            .map(|(u, n)| ChildRow {
                name: u.name.clone(),
                href: format!("/laporan?unit={}&month={}", u.id, month_text(asked.month)),
                cells: cols.iter().map(|i| shown(t, n.value(i))).collect(),
            })
            .collect(),
        csv: href(&asked, "&format=csv"),
        xlsx: href(&asked, "&format=xlsx"),
        pdf: href(&asked, "&format=pdf"),
        json: href(&asked, "&format=json"),
        trend: format!(
            "/laporan/tren?unit={}&month={}",
            asked.unit,
            month_text(asked.month)
        ),
        closed: closed_view,
        can_close,
        can_reopen,
        reopens,
        csrf: user.csrf().to_owned(),
        unit_id: asked.unit.to_string(),
    }
    .into_response()
}

fn file(
    t: Tr,
    bytes: Result<Vec<u8>, report::table::TableError>,
    mime: &'static str,
    name: &str,
    ext: &str,
) -> Response {
    match bytes {
        Ok(b) => download(b, mime, &format!("{name}.{ext}")),
        Err(e) => fail(t, DayError::field("format", &e.to_string(), "err-invalid")),
    }
}

fn json_of(t: Tr, r: &MonthlyReport) -> Response {
    match export::json(r) {
        Ok(v) => Json(v).into_response(),
        Err(e) => fail(t, DayError::field("format", &e.to_string(), "err-invalid")),
    }
}

/// `GET /api/v1/reports/monthly?unit=&month=`: the unit's indicators and its children's.
#[utoipa::path(get, path = "/api/v1/reports/monthly",
    params(("unit" = Option<String>, Query, description = "a unit in the user's subtree; the user's own by default"),
           ("month" = Option<String>, Query, description = "`2026-06`; this month by default")),
    responses((status = 200, description = "`{month, path, name, indicators: [{code, section, name, measure, n | numerator, denominator, percent, by_band_sex}], children: [...]}`"),
              (status = 404, body = crate::api::ApiError), (status = 422, body = crate::api::ApiError)))]
pub async fn api(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let asked = match q.asked(user.user().org_unit_id, today()) {
        Ok(a) => a,
        Err(e) => return crate::api::field_errors(t, &[e]),
    };
    match read(&state.store, &user.actor(), &asked, None).await {
        Ok(r) => match export::json(&r) {
            Ok(v) => Json(v).into_response(),
            Err(e) => crate::api::fail(t, DayError::field("format", &e.to_string(), "err-invalid")),
        },
        Err(e) => crate::api::fail(t, e),
    }
}

/// A close that could not be read: the store's error, or its stored report unreadable.
fn close_failed(t: Tr, e: report::monthly::close::CloseError) -> Response {
    match e {
        report::monthly::close::CloseError::Store(e) => fail(t, DayError::from(e)),
        e => fail(t, DayError::field("report", &e.to_string(), "err-invalid")),
    }
}
