//! A list as typed columns, so each output keeps what a value is: a date stays a date in
//! Excel, a number a number, and sorting compares values, not their text.

use std::cmp::Ordering;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook};
use time::Date;

/// One value of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Date(Date),
    Int(i64),
    Num(f64),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    pub fn opt_text(s: Option<&str>) -> Cell {
        s.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()))
    }

    /// As a person reads it: dates ISO, decimals with `decimal` (`,` in Indonesian).
    pub fn shown(&self, decimal: char) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Date(d) => d.to_string(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(x) => format!("{x}").replace('.', &decimal.to_string()),
            Cell::Empty => String::new(),
        }
    }

    /// Empty cells last, then by value; text ignoring case.
    fn order(&self, other: &Cell) -> Ordering {
        use Cell::*;
        match (self, other) {
            (Empty, Empty) => Ordering::Equal,
            (Empty, _) => Ordering::Greater,
            (_, Empty) => Ordering::Less,
            (Date(a), Date(b)) => a.cmp(b),
            (Int(a), Int(b)) => a.cmp(b),
            (Num(a), Num(b)) => a.total_cmp(b),
            (Int(a), Num(b)) => (*a as f64).total_cmp(b),
            (Num(a), Int(b)) => a.total_cmp(&(*b as f64)),
            (a, b) => a
                .shown('.')
                .to_lowercase()
                .cmp(&b.shown('.').to_lowercase()),
        }
    }
}

/// A list: headers in the user's language, rows of cells, each row with the person it
/// is about (for the link to their record).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub person: Option<store::PersonId>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("csv: {0}")]
    CsvInto(String),
}

impl Table {
    /// Sorts by column `col` (stable, so equal rows keep the list's own order).
    pub fn sort(&mut self, col: usize, descending: bool) {
        if col >= self.headers.len() {
            return;
        }
        self.rows.sort_by(|a, b| {
            let (x, y) = (&a.cells[col], &b.cells[col]);
            let o = x.order(y);
            // Empty cells stay last either way.
            match (x, y, descending) {
                (Cell::Empty, _, _) | (_, Cell::Empty, _) => o,
                (_, _, true) => o.reverse(),
                _ => o,
            }
        });
    }

    /// CSV with a header row, dates ISO and decimals with a point (what spreadsheets and
    /// other systems read back).
    pub fn csv(&self) -> Result<Vec<u8>, TableError> {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.headers)?;
        for r in &self.rows {
            w.write_record(r.cells.iter().map(|c| c.shown('.')))?;
        }
        w.into_inner()
            .map_err(|e| TableError::CsvInto(e.to_string()))
    }

    /// One formatted sheet: a bold header row that stays in view, real dates
    /// (dd/mm/yyyy), whole and decimal numbers, a filter on the headers, sensible widths.
    pub fn xlsx(&self, sheet: &str) -> Result<Vec<u8>, TableError> {
        workbook(&[(sheet, self)])
    }

    fn write_sheet(&self, book: &mut Workbook, sheet: &str) -> Result<(), TableError> {
        let ws = book.add_worksheet();
        // Excel limits sheet names to 31 characters without []:*?/\.
        let name: String = sheet
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        ws.set_name(&name)?;
        let head = Format::new()
            .set_bold()
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let whole = Format::new().set_num_format("0");
        let decimal = Format::new().set_num_format("0.0##");
        for (c, h) in self.headers.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(0, col, h, &head)?;
            let widest = self
                .rows
                .iter()
                .map(|r| r.cells.get(c).map_or(0, |x| x.shown(',').chars().count()))
                .chain([h.chars().count().min(24)])
                .max()
                .unwrap_or(8);
            ws.set_column_width(col, (widest as f64 + 2.0).clamp(8.0, 50.0))?;
        }
        for (i, r) in self.rows.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (c, cell) in r.cells.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => {
                        ws.write_string(row, col, s)?;
                    }
                    Cell::Date(d) => {
                        let x = ExcelDateTime::from_ymd(
                            u16::try_from(d.year()).unwrap_or(1900),
                            u8::from(d.month()),
                            d.day(),
                        )?;
                        ws.write_date_with_format(row, col, &x, &date)?;
                    }
                    Cell::Int(n) => {
                        ws.write_number_with_format(row, col, *n as f64, &whole)?;
                    }
                    Cell::Num(x) => {
                        ws.write_number_with_format(row, col, *x, &decimal)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        if !self.headers.is_empty() {
            let last_col = u16::try_from(self.headers.len() - 1).unwrap_or(0);
            let last_row = u32::try_from(self.rows.len()).unwrap_or(0);
            ws.autofilter(0, 0, last_row, last_col)?;
        }
        Ok(())
    }
}

/// A workbook of several sheets, each as [`Table::xlsx`] formats one (the monthly report:
/// one sheet per section).
pub fn workbook(sheets: &[(&str, &Table)]) -> Result<Vec<u8>, TableError> {
    let mut book = Workbook::new();
    for (name, table) in sheets {
        table.write_sheet(&mut book, name)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    fn table() -> Table {
        let row = |name: &str, d: Option<Date>, n: i64| Row {
            person: None,
            cells: vec![
                Cell::text(name),
                d.map_or(Cell::Empty, Cell::Date),
                Cell::Int(n),
            ],
        };
        Table {
            headers: vec!["Nama".into(), "Tanggal".into(), "Bulan".into()],
            rows: vec![
                row("budi", Some(date!(2026 - 03 - 01)), 10),
                row("Ani", None, 2),
                row("citra", Some(date!(2025 - 12 - 31)), 7),
            ],
        }
    }

    #[test]
    fn sorts_by_value_with_empty_cells_last() {
        let names =
            |t: &Table| -> Vec<String> { t.rows.iter().map(|r| r.cells[0].shown(',')).collect() };
        let mut t = table();
        t.sort(0, false);
        assert_eq!(names(&t), ["Ani", "budi", "citra"], "text ignoring case");
        t.sort(1, false);
        assert_eq!(
            names(&t),
            ["citra", "budi", "Ani"],
            "dates, the empty one last"
        );
        t.sort(1, true);
        assert_eq!(names(&t), ["budi", "citra", "Ani"], "still last descending");
        t.sort(2, true);
        assert_eq!(names(&t), ["budi", "citra", "Ani"]);
        t.sort(9, false);
        assert_eq!(
            names(&t),
            ["budi", "citra", "Ani"],
            "an unknown column leaves it"
        );
    }

    #[test]
    fn csv_has_the_headers_and_iso_dates() {
        let text = String::from_utf8(table().csv().unwrap()).unwrap();
        assert_eq!(
            text,
            "Nama,Tanggal,Bulan\nbudi,2026-03-01,10\nAni,,2\ncitra,2025-12-31,7\n"
        );
    }

    /// Read back with calamine: the sheet's name without Excel's forbidden characters,
    /// the headers, a real date (a serial number with a date format), a number.
    #[test]
    fn xlsx_reads_back_with_types() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = table().xlsx("Imunisasi: terlambat/kejar").unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), ["Imunisasi terlambatkejar"]);
        let range = book.worksheet_range("Imunisasi terlambatkejar").unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(0, 0), Data::String("Nama".into()));
        assert_eq!(cell(1, 0), Data::String("budi".into()));
        match cell(1, 1) {
            Data::DateTime(d) => assert_eq!(d.as_f64(), 46082.0, "2026-03-01 as Excel's serial"),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(cell(2, 1), Data::Empty);
        assert_eq!(cell(3, 2), Data::Float(7.0));
    }
}
