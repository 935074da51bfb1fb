//! The monthly report as a table (CSV, XLSX: one row per indicator, the total and each age
//! band × sex) and as JSON, the same numbers the pages show. Headers in Bahasa Indonesia,
//! as the forms a Puskesmas files.

use std::collections::HashMap;

use serde::Serialize;

use super::MonthlyReport;
use super::facts::AgeBand;
use super::indicators::Section;
use super::indicators::{ALL, Indicator};
use super::numbers::{Numbers, Value};
use crate::table::{Cell, Row, Table, TableError, workbook};
use store::codes::Sex;

/// The values of a closed month by indicator code ([`super::close::Closed::values`]).
pub type AsClosed = HashMap<String, Value>;

/// One row per indicator: section, code, name, value, numerator and denominator (ratios),
/// then boys and girls of each age band.
pub fn table(report: &MonthlyReport) -> Table {
    section_table(report, None, None)
}

/// [`table`] of a closed month: after the value today (with the late corrections), the
/// value as the month was closed ("saat ditutup"), side by side as on the page.
pub fn table_with_close(report: &MonthlyReport, closed: Option<&AsClosed>) -> Table {
    section_table(report, None, closed)
}

/// The workbook: one sheet per section (the rows of [`table`]), and a sheet "Wilayah" with
/// a row per unit below (its value of every indicator) when there are any.
pub fn xlsx(report: &MonthlyReport) -> Result<Vec<u8>, TableError> {
    xlsx_with_close(report, None)
}

/// [`xlsx`] of a closed month, each section with the "saat ditutup" column.
pub fn xlsx_with_close(
    report: &MonthlyReport,
    closed: Option<&AsClosed>,
) -> Result<Vec<u8>, TableError> {
    let tables: Vec<(&str, Table)> = Section::ALL
        .iter()
        .map(|s| (s.sheet(), section_table(report, Some(*s), closed)))
        .collect();
    let units = children_table(report);
    let mut sheets: Vec<(&str, &Table)> = tables.iter().map(|(n, t)| (*n, t)).collect();
    if !units.rows.is_empty() {
        sheets.push(("Wilayah", &units));
    }
    workbook(&sheets)
}

/// A row per unit below: its name and path, then every indicator's value.
fn children_table(report: &MonthlyReport) -> Table {
    let mut headers: Vec<String> = vec!["wilayah".into(), "path".into()];
    headers.extend(ALL.iter().map(|i| i.code.to_owned()));
    let rows = report
        .children
        .iter()
        .map(|(u, n)| {
            let mut cells = vec![Cell::text(u.name.as_str()), Cell::text(u.path.as_str())];
            cells.extend(ALL.iter().map(|i| match n.value(i) {
                Value::Count { n } => int(n),
                Value::Ratio { percent, .. } => percent.map_or(Cell::Empty, Cell::Num),
            }));
            Row {
                person: None,
                cells,
            }
        })
        .collect();
    Table { headers, rows }
}

fn section_table(
    report: &MonthlyReport,
    only: Option<Section>,
    closed: Option<&AsClosed>,
) -> Table {
    let mut headers: Vec<String> = [
        "bagian",
        "kode",
        "indikator",
        "nilai",
        "pembilang",
        "penyebut",
    ]
    .map(String::from)
    .into();
    if closed.is_some() {
        headers.extend(
            [
                "saat ditutup",
                "pembilang saat ditutup",
                "penyebut saat ditutup",
            ]
            .map(String::from),
        );
    }
    for band in AgeBand::ALL {
        for sex in ["L", "P"] {
            headers.push(format!("{} {sex}", band.label()));
        }
    }
    let rows = ALL
        .iter()
        .filter(|i| only.is_none_or(|s| i.section == s))
        .map(|i| Row {
            person: None,
            cells: cells(&report.numbers, i, closed),
        })
        .collect();
    Table { headers, rows }
}

fn cells(n: &Numbers, i: &Indicator, closed: Option<&AsClosed>) -> Vec<Cell> {
    let mut out = vec![
        Cell::text(i.section.title()),
        Cell::text(i.code),
        Cell::text(i.name),
    ];
    out.extend(value_cells(n.value(i)));
    if let Some(c) = closed {
        // An indicator added after the close has no value as closed: left empty.
        match c.get(i.code) {
            Some(v) => out.extend(value_cells(*v)),
            None => out.extend([Cell::Empty, Cell::Empty, Cell::Empty]),
        }
    }
    for band in AgeBand::ALL {
        for sex in [Sex::Male, Sex::Female] {
            if !i.section.is_balita() {
                out.push(Cell::Empty);
                continue;
            }
            out.push(match n.value_for(i, band, sex) {
                Value::Count { n } => int(n),
                Value::Ratio { percent, .. } => percent.map_or(Cell::Empty, Cell::Num),
            });
        }
    }
    out
}

fn value_cells(v: Value) -> [Cell; 3] {
    match v {
        Value::Count { n } => [int(n), Cell::Empty, Cell::Empty],
        Value::Ratio {
            numerator,
            denominator,
            percent,
        } => [
            percent.map_or(Cell::Empty, Cell::Num),
            int(numerator),
            int(denominator),
        ],
    }
}

fn int(n: u64) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

#[derive(Serialize)]
struct UnitJson<'a> {
    path: &'a str,
    name: &'a str,
    indicators: Vec<IndicatorJson>,
}

#[derive(Serialize)]
struct IndicatorJson {
    code: &'static str,
    section: &'static str,
    name: &'static str,
    #[serde(flatten)]
    value: Value,
    /// Balita counts only: `[band][0]` boys, `[band][1]` girls, bands 0–5, 6–11, 12–23,
    /// 24–59 bl.
    #[serde(skip_serializing_if = "Option::is_none")]
    by_band_sex: Option<[[u64; 2]; 4]>,
    /// Counts only: `[boys/men, girls/women]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    by_sex: Option<[u64; 2]>,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    month: String,
    #[serde(flatten)]
    unit: UnitJson<'a>,
    children: Vec<UnitJson<'a>>,
}

fn unit_json<'a>(path: &'a str, name: &'a str, n: &Numbers) -> UnitJson<'a> {
    UnitJson {
        path,
        name,
        indicators: ALL
            .iter()
            .map(|i| IndicatorJson {
                code: i.code,
                section: i.section.code(),
                name: i.name,
                value: n.value(i),
                by_band_sex: (i.is_count() && i.section.is_balita())
                    .then(|| n.tally(i.code).by_band_sex),
                by_sex: i.is_count().then(|| n.tally(i.code).by_sex),
            })
            .collect(),
    }
}

/// The report as JSON: the unit's indicators and each child unit's.
pub fn json(report: &MonthlyReport) -> Result<serde_json::Value, serde_json::Error> {
    let month = super::month_code(report.month);
    let r = ReportJson {
        month,
        unit: unit_json(
            report.unit.path.as_str(),
            &report.unit.name,
            &report.numbers,
        ),
        children: report
            .children
            .iter()
            .map(|(u, n)| unit_json(u.path.as_str(), &u.name, n))
            .collect(),
    };
    serde_json::to_value(r)
}
