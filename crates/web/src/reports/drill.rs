//! `/laporan/orang?unit=&month=&ind=`: the persons counted in one number of the report,
//! exactly as many as the number (the same facts), each linked to their record. The list
//! is audited as a target list is.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use report::monthly::indicators::by_code;

use super::page::{href, label};
use super::query::{ReportQuery, month_text, read_detail};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::pages::fail;
use crate::form::FieldError;
use crate::i18n::Tr;
use crate::pages::Layout;

pub struct PersonRow {
    /// The person's page; `None` for a kader on duty (a name on a service day).
    pub href: Option<String>,
    pub name: String,
    pub birth: String,
    pub sex: &'static str,
    pub unit: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/persons.html")]
struct PersonsPage {
    t: Tr,
    css: String,
    title: String,
    unit_name: String,
    month: String,
    back: String,
    count: String,
    rows: Vec<PersonRow>,
    /// Persons (birth date and sex shown); `false` for the kader on duty (names only).
    persons: bool,
}

pub(super) async fn persons(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<ReportQuery>,
) -> Response {
    let asked = match q.asked_page(t, &user) {
        Ok(a) => a,
        Err(page) => return *page,
    };
    let code = q.ind.as_deref().unwrap_or_default();
    let Some(ind) = by_code(code).filter(|i| i.is_count()) else {
        let e = FieldError::new("ind", code, "err-invalid");
        return (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response();
    };
    let audit = serde_json::json!({
        "report": "bulanan", "month": month_text(asked.month), "indicator": ind.code,
    });
    let d = match read_detail(&state.store, &user.actor(), &asked, &audit).await {
        Ok(r) => r,
        Err(e) => return fail(t, e),
    };
    let r = &d.report;
    let mut rows: Vec<PersonRow> = d
        .people(ind.code)
        .into_iter()
        .map(|p| PersonRow {
            href: Some(format!("/orang/{}", p.id)),
            name: p.name.clone(),
            birth: p.birth_date.to_string(),
            sex: match p.sex {
                store::codes::Sex::Male => "L",
                store::codes::Sex::Female => "P",
            },
            unit: r.unit_name(p.org_unit_id).unwrap_or_default().to_owned(),
        })
        .collect();
    let persons = ind.code != report::monthly::duty::CODE;
    if !persons {
        rows = d
            .duties()
            .iter()
            .map(|k| PersonRow {
                href: None,
                name: k.name.clone(),
                birth: String::new(),
                sex: "",
                unit: r.unit_name(k.unit).unwrap_or_default().to_owned(),
            })
            .collect();
    }
    let count = crate::i18n::format(t.lang, "target-count", &[("n", &rows.len().to_string())]);
    let l = Layout::new(t);
    PersonsPage {
        t: l.t,
        css: l.css,
        title: label(t, ind),
        unit_name: r.unit.name.clone(),
        month: month_text(asked.month),
        back: href(&asked, ""),
        count,
        rows,
        persons,
    }
    .into_response()
}
