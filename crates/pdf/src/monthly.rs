//! The monthly report as a printable A4 document: a table per section of the report, then
//! the units below with the numbers a Puskesmas compares first. The indicator rows are
//! [`report::monthly::export::table`]'s, the rows the CSV and XLSX are written from, so the
//! paper carries exactly the numbers of the spreadsheet.

use report::monthly::export;
use report::monthly::indicators::{self, Indicator};
use report::monthly::{AgeBand, MonthlyReport, Numbers, Section, Value};
use report::table::Cell;
use time::OffsetDateTime;

use crate::PdfError;
use crate::layout::{A4_PORTRAIT, Align, Column, HEAD_FILL, Layout, MUTED, Row, Style};

/// The columns of the units' table (code, header): weighing (SKDN), its ratios, stunting
/// and IDL.
const COMPARED: [(&str, &str); 9] = [
    ("s", "S"),
    ("d", "D"),
    ("n", "N"),
    ("t", "T"),
    ("bgm", "BGM"),
    ("d_per_s", "D/S"),
    ("n_per_d", "N/D"),
    ("prev_stunting", "% stunting"),
    ("idl", "IDL"),
];

/// The export table's columns (see `export::section_table`).
const CODE: usize = 1;
const NAME: usize = 2;
const VALUE: usize = 3;
const FIRST_BAND: usize = 6;

/// The report of `report`, stamped as made now.
pub fn monthly_report(report: &MonthlyReport) -> Result<Vec<u8>, PdfError> {
    monthly_report_at(report, OffsetDateTime::now_utc())
}

/// The report of `report`, stamped as made at `made` (shown in the unit's time zone).
pub fn monthly_report_at(
    report: &MonthlyReport,
    made: OffsetDateTime,
) -> Result<Vec<u8>, PdfError> {
    let unit = &report.unit;
    let title = format!(
        "Laporan Bulanan {} {}",
        unit.name,
        crate::month_name(report.month)
    );
    let footer = format!(
        "{title} · dibuat {} · angka sama dengan unduhan XLSX",
        crate::made_at(made, unit.time_zone)
    );
    let mut l = Layout::new(A4_PORTRAIT, title.clone(), footer)?;
    l.text(&title, Style::new(16.0).bold());
    l.gap(2.0);
    let muted = Style::new(8.5).color(MUTED);
    l.text(
        &format!(
            "Kode {} · {} · bulan {}",
            unit.code,
            unit.path,
            report::monthly::month_code(report.month)
        ),
        muted,
    );
    l.text(
        "Nilai: jumlah orang, atau persentase pembilang/penyebut (\u{2013} bila penyebut 0). \
         Umur dalam bulan (bl); L laki-laki, P perempuan.",
        muted,
    );
    l.gap(6.0);

    let table = export::table(report);
    for section in Section::ALL {
        let rows: Vec<&[Cell]> = table
            .rows
            .iter()
            .map(|r| r.cells.as_slice())
            .filter(|c| indicator(c).is_some_and(|i| i.section == section))
            .collect();
        heading(&mut l, section.title());
        let (columns, groups, body) = section_rows(section, &rows);
        l.table(&columns, &groups, &body, 8.0);
        l.gap(12.0);
    }
    if !report.children.is_empty() {
        units_table(&mut l, report);
    }
    l.finish()
}

fn heading(l: &mut Layout, title: &str) {
    let style = Style::new(11.5).bold();
    // The heading, the table's header and a couple of rows stay together.
    l.keep(style.line_height() + 70.0);
    l.text(title, style);
    l.rule(HEAD_FILL, 1.5);
    l.gap(3.0);
}

fn indicator(cells: &[Cell]) -> Option<&'static Indicator> {
    match cells.get(CODE) {
        Some(Cell::Text(code)) => indicators::by_code(code),
        _ => None,
    }
}

/// An indicator's name as the page writes it: a dose as the Buku KIA names it
/// ("DPT-HB-Hib 1").
fn name_of(cells: &[Cell], i: &Indicator) -> String {
    match domain::immunization::Vaccine::from_code(i.code).map(|v| v.series()) {
        Some((series, Some(n))) => format!("{series} {n}"),
        Some((series, None)) => series.to_owned(),
        None => cells.get(NAME).map(|c| c.shown(',')).unwrap_or_default(),
    }
}

/// A cell as printed: a percentage with its sign, "–" for a ratio over nothing.
fn shown(cell: Option<&Cell>, ratio: bool) -> String {
    match cell {
        Some(Cell::Empty) | None if ratio => "\u{2013}".into(),
        // One decimal, as the page writes a percentage ("75,0 %").
        Some(Cell::Num(x)) if ratio => format!("{} %", crate::decimal(*x, 1)),
        Some(c @ Cell::Int(_)) if ratio => format!("{} %", c.shown(',')),
        Some(c) => c.shown(','),
        None => String::new(),
    }
}

/// A section's columns, the group row over its age bands, and its rows.
type SectionTable = (Vec<Column>, Vec<(String, usize)>, Vec<Row>);

fn section_rows(section: Section, rows: &[&[Cell]]) -> SectionTable {
    let mut columns = vec![
        Column::new("Indikator", 128.0, Align::Left),
        Column::new("Nilai", 44.0, Align::Right),
        Column::new("Pembilang", 54.0, Align::Right),
        Column::new("Penyebut", 45.0, Align::Right),
    ];
    let mut groups = Vec::new();
    let bands = section.is_balita();
    if bands {
        groups.push((String::new(), columns.len()));
        for band in AgeBand::ALL {
            groups.push((band.label().to_owned(), 2));
            for sex in ["L", "P"] {
                columns.push(Column::new(sex, 30.5, Align::Right));
            }
        }
    } else {
        columns[0].weight = 300.0;
    }
    let body = rows
        .iter()
        .filter_map(|cells| {
            let i = indicator(cells)?;
            let ratio = !i.is_count();
            let mut out = vec![
                name_of(cells, i),
                shown(cells.get(VALUE), ratio),
                cells
                    .get(VALUE + 1)
                    .map(|c| c.shown(','))
                    .unwrap_or_default(),
                cells
                    .get(VALUE + 2)
                    .map(|c| c.shown(','))
                    .unwrap_or_default(),
            ];
            if bands {
                out.extend((0..8).map(|k| shown(cells.get(FIRST_BAND + k), ratio)));
            }
            Some(Row {
                cells: out,
                bold: ratio,
            })
        })
        .collect();
    (columns, groups, body)
}

/// What one value of a unit prints as.
fn value_text(n: &Numbers, i: &Indicator) -> String {
    match n.value(i) {
        Value::Count { n } => n.to_string(),
        Value::Ratio {
            percent: Some(p), ..
        } => format!("{} %", crate::decimal(p, 1)),
        Value::Ratio { percent: None, .. } => "\u{2013}".into(),
    }
}

/// The units below, one row each, and the unit's own total under them.
fn units_table(l: &mut Layout, report: &MonthlyReport) {
    heading(l, "Wilayah: unit di bawahnya");
    l.text(
        "Setiap unit dengan siapa pun yang dihitung. Semua indikator setiap unit ada di \
         lembar \u{201c}Wilayah\u{201d} unduhan XLSX.",
        Style::new(8.5).color(MUTED),
    );
    l.gap(3.0);
    let (cols, heads): (Vec<&Indicator>, Vec<&str>) = COMPARED
        .iter()
        .filter_map(|(c, h)| Some((indicators::by_code(c)?, *h)))
        .unzip();
    let mut columns = vec![Column::new("Wilayah", 150.0, Align::Left)];
    columns.extend(heads.iter().map(|h| {
        let weight = if h.len() > 4 { 52.0 } else { 40.0 };
        Column::new(*h, weight, Align::Right)
    }));
    let row = |name: &str, n: &Numbers, bold: bool| {
        let mut cells = vec![name.to_owned()];
        cells.extend(cols.iter().map(|i| value_text(n, i)));
        Row { cells, bold }
    };
    let mut rows: Vec<Row> = report
        .children
        .iter()
        .map(|(u, n)| row(&u.name, n, false))
        .collect();
    rows.push(row(
        &format!("Jumlah {}", report.unit.name),
        &report.numbers,
        true,
    ));
    l.table(&columns, &[], &rows, 8.0);
}
