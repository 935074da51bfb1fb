//! The `/sasaran` page (with its CSV and XLSX downloads) and the JSON of the same list.

use askama::Template;
use askama_web::WebTemplate;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use report::targets::List;

use super::query::{Asked, TargetQuery, table};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::day::DayError;
use crate::day::pages::{fail, today};
use crate::i18n::Tr;
use crate::pages::Layout;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct Header {
    pub label: String,
    pub href: String,
    /// `ascending` / `descending` on the sorted column (`aria-sort`), else empty.
    pub sorted: &'static str,
}

pub struct RowView {
    pub person: Option<String>,
    pub cells: Vec<CellView>,
}

/// A cell as shown: its text, or the doses it names (each kept on one line, so "DPT-HB-Hib
/// 1" never breaks at a hyphen), or a phone number to call from the bidan's phone.
pub struct CellView {
    pub text: String,
    pub items: Vec<String>,
    pub tel: Option<String>,
}

/// What each column of a list holds, for how its cells are shown.
#[derive(Clone, Copy, PartialEq)]
enum Column {
    Plain,
    Doses,
    Phone,
}

fn columns(t: Tr, headers: &[String]) -> Vec<Column> {
    let (overdue, due, phone) = (
        t.t("target-col-overdue"),
        t.t("target-col-due"),
        t.t("target-col-phone"),
    );
    headers
        .iter()
        .map(|h| {
            if *h == overdue || *h == due {
                Column::Doses
            } else if *h == phone {
                Column::Phone
            } else {
                Column::Plain
            }
        })
        .collect()
}

fn cell_view(text: String, column: Column) -> CellView {
    let tel = (column == Column::Phone && !text.is_empty())
        .then(|| {
            text.chars()
                .filter(|c| c.is_ascii_digit() || *c == '+')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty());
    let items = if column == Column::Doses && !text.is_empty() {
        text.split(", ").map(str::to_owned).collect()
    } else {
        Vec::new()
    };
    CellView { text, items, tel }
}

#[derive(Template, WebTemplate)]
#[template(path = "targets/list.html")]
struct ListPage {
    t: Tr,
    css: String,
    lists: Vec<Choice>,
    units: Vec<Choice>,
    month: String,
    title: String,
    on: String,
    count: String,
    headers: Vec<Header>,
    rows: Vec<RowView>,
    csv: String,
    xlsx: String,
    /// The month's e-PPGBM export, for the roles that upload it.
    eppgbm: Option<String>,
}

fn href(a: &Asked, extra: &str) -> String {
    format!(
        "/sasaran?list={}&unit={}&month={:04}-{:02}{extra}",
        a.list.code(),
        a.unit,
        a.month.year(),
        u8::from(a.month.month())
    )
}

pub(crate) async fn units(
    state: &AppState,
    user: &CurrentUser,
    chosen: store::OrgUnitId,
) -> Vec<Choice> {
    let own = user.user().org_unit_id;
    let Ok(all) = state.store.org_units_under(&user.actor(), own).await else {
        return Vec::new();
    };
    let top = all.iter().map(|u| u.level.depth()).min().unwrap_or(0);
    all.iter()
        .map(|u| Choice {
            value: u.id.to_string(),
            label: format!("{}{}", "· ".repeat(u.level.depth() - top), u.name),
            selected: u.id == chosen,
        })
        .collect()
}

pub(super) async fn page(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Query(q): Query<TargetQuery>,
) -> Response {
    let now = today();
    let asked = match q.asked(None, user.user().org_unit_id, now) {
        Ok(a) => a,
        Err(e) => return (StatusCode::UNPROCESSABLE_ENTITY, e.message(t)).into_response(),
    };
    let desc = q.desc.as_deref() == Some("1");
    let (table, on) = match table(
        &state.store,
        &user.actor(),
        t,
        &asked,
        now,
        q.sort.map(|c| (c, desc)),
        q.format.as_deref().unwrap_or("page"),
    )
    .await
    {
        Ok(x) => x,
        Err(e) => return fail(t, e),
    };
    let name = format!(
        "sasaran-{}-{:04}-{:02}",
        asked.list.code(),
        asked.month.year(),
        u8::from(asked.month.month())
    );
    match q.format.as_deref() {
        Some("csv") => {
            return match table.csv() {
                Ok(bytes) => download(bytes, "text/csv; charset=utf-8", &format!("{name}.csv")),
                Err(e) => fail(t, DayError::field("format", &e.to_string(), "err-invalid")),
            };
        }
        Some("xlsx") => {
            let sheet = t.t(&format!("target-{}", asked.list.code()));
            return match table.xlsx(&sheet) {
                Ok(bytes) => download(
                    bytes,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    &format!("{name}.xlsx"),
                ),
                Err(e) => fail(t, DayError::field("format", &e.to_string(), "err-invalid")),
            };
        }
        _ => {}
    }
    let decimal = if t.code() == "id" { ',' } else { '.' };
    let headers = table
        .headers
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let on_col = q.sort == Some(i);
            Header {
                label: h.clone(),
                href: href(
                    &asked,
                    &format!("&sort={i}{}", if on_col && !desc { "&desc=1" } else { "" }),
                ),
                sorted: match (on_col, desc) {
                    (true, false) => "ascending",
                    (true, true) => "descending",
                    _ => "",
                },
            }
        })
        .collect();
    let count = crate::i18n::format(
        t.lang,
        "target-count",
        &[("n", &table.rows.len().to_string())],
    );
    let units = units(&state, &user, asked.unit).await;
    let l = Layout::new(t);
    ListPage {
        t: l.t,
        css: l.css,
        lists: List::ALL
            .iter()
            .map(|x| Choice {
                value: x.code().to_owned(),
                label: t.t(&format!("target-{}", x.code())),
                selected: *x == asked.list,
            })
            .collect(),
        units,
        month: format!(
            "{:04}-{:02}",
            asked.month.year(),
            u8::from(asked.month.month())
        ),
        title: t.t(&format!("target-{}", asked.list.code())),
        on: on.to_string(),
        count,
        headers,
        rows: {
            let kinds = columns(t, &table.headers);
            table
                .rows
                .iter()
                .map(|r| RowView {
                    person: r.person.map(|p| p.to_string()),
                    cells: r
                        .cells
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let kind = kinds.get(i).copied().unwrap_or(Column::Plain);
                            cell_view(c.shown(decimal), kind)
                        })
                        .collect(),
                })
                .collect()
        },
        csv: href(&asked, "&format=csv"),
        xlsx: href(&asked, "&format=xlsx"),
        eppgbm: crate::review::REVIEWERS
            .contains(&user.user().role)
            .then(|| {
                format!(
                    "/ekspor/eppgbm?unit={}&month={:04}-{:02}",
                    asked.unit,
                    asked.month.year(),
                    u8::from(asked.month.month())
                )
            }),
    }
    .into_response()
}

pub(crate) fn download(bytes: Vec<u8>, mime: &'static str, file: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /api/v1/targets/{list}?unit=&month=`: the list as JSON, cells as shown.
#[utoipa::path(get, path = "/api/v1/targets/{list}",
    params(("list" = String, Path, description = "`imunisasi`, `pertumbuhan`, `stunting`, `wasting`, `tidak-ditimbang`, `bumil-risiko`, `ptm-belum-dicek`, `rujukan-tertunda`"),
           ("unit" = Option<String>, Query, description = "a unit in the user's subtree; the user's own by default"),
           ("month" = Option<String>, Query, description = "`2026-06`; this month by default")),
    responses((status = 200, description = "`{list, unit, on, headers, rows: [{person_id, cells}]}`, headers in the user's language"),
              (status = 404, body = crate::api::ApiError), (status = 422, body = crate::api::ApiError)))]
pub async fn api(
    State(state): State<AppState>,
    t: Tr,
    user: CurrentUser,
    Path(list): Path<String>,
    Query(q): Query<TargetQuery>,
) -> Response {
    let now = today();
    let asked = match q.asked(Some(&list), user.user().org_unit_id, now) {
        Ok(a) => a,
        Err(e) => return crate::api::field_errors(t, &[e]),
    };
    match table(&state.store, &user.actor(), t, &asked, now, None, "api").await {
        Ok((table, on)) => Json(serde_json::json!({
            "list": asked.list.code(),
            "unit": asked.unit.to_string(),
            "on": on.to_string(),
            "headers": table.headers,
            "rows": table.rows.iter().map(|r| serde_json::json!({
                "person_id": r.person.map(|p| p.to_string()),
                "cells": r.cells.iter().map(|c| c.shown('.')).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => crate::api::fail(t, e),
    }
}
