//! A register file as rows of text cells, whatever it was saved as: CSV text (`,` `;` or
//! tab, with or without a byte order mark, LF, CRLF or a lone CR) or an XLSX workbook
//! (its first sheet, or the sheet named `RECORDS` as e-PPGBM exports it). Each row keeps the
//! line (CSV) or the row number (XLSX) a person sees in a text editor or in Excel, so every
//! problem can be named where it is.

use calamine::{Data, Reader, Xlsx};

use super::FileError;

/// One data row: its line in the file and its cells as text (trimmed later).
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<String>,
}

/// A row of the file, or a line the CSV reader could not read (the reader's message).
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Row(Record),
    Broken { line: u64, message: String },
}

/// The header and the rows of a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub items: Vec<Item>,
}

/// What a file is, from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// An XLSX workbook is a ZIP archive (`PK\x03\x04`); anything else is read as text.
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }
}

/// Reads a file of either format.
pub fn read(bytes: &[u8]) -> Result<Sheet, FileError> {
    match Format::sniff(bytes) {
        Format::Xlsx => from_xlsx(bytes),
        Format::Csv => {
            let text = std::str::from_utf8(bytes).map_err(|_| FileError::NotUtf8)?;
            from_csv(text)
        }
    }
}

/// The separator of the file: `;` or tab when the header has more of them than commas.
pub fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    let count = |c: char| header.matches(c).count();
    if count(';') > count(',') && count(';') >= count('\t') {
        b';'
    } else if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// Line numbers of records, counted as the reader moves forward through the text.
///
/// The csv reader's own line count skips blank lines and counts CRLF oddly, and its byte
/// offset may point at the end of the previous line, so lines are counted here: skip line
/// ends forward from the offset, then count the line ends passed since the last record.
struct LineCounter<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            bytes: text.as_bytes(),
            pos: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record starting at (or just after) `byte`.
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while at < self.bytes.len() && matches!(self.bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at > self.pos {
            // A line ends at LF, CRLF, or a lone CR (old spreadsheet exports).
            let b = self.bytes;
            let ends = (self.pos..at)
                .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
                .count();
            self.line += ends as u64;
            self.pos = at;
        }
        self.line
    }
}

/// Reads CSV text.
pub fn from_csv(text: &str) -> Result<Sheet, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileError::Empty);
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| FileError::Csv(e.to_string()))?
        .iter()
        .map(str::to_owned)
        .collect();
    let mut lines = LineCounter::new(text);
    let mut items = Vec::new();
    for record in rdr.records() {
        items.push(match record {
            Ok(r) => Item::Row(Record {
                line: r.position().map_or(0, |p| lines.line_at(p.byte())),
                cells: r.iter().map(str::to_owned).collect(),
            }),
            Err(e) => Item::Broken {
                line: e.position().map_or(0, |p| lines.line_at(p.byte())),
                message: e.to_string(),
            },
        });
    }
    Ok(Sheet { headers, items })
}

/// A cell of a workbook as the register's text: dates as ISO `TTTT-BB-HH` (Excel keeps
/// them as serial numbers with a date format), whole numbers without `.0`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTime(dt) => dt.as_f64().to_string(),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the sheet `RECORDS` of an XLSX workbook (e-PPGBM's name), else its first sheet.
/// Row numbers are Excel's (the header is row 1 when the sheet starts at A1).
pub fn from_xlsx(bytes: &[u8]) -> Result<Sheet, FileError> {
    let bad = |e: &dyn std::fmt::Display| FileError::Xlsx(e.to_string());
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let names = book.sheet_names();
    let name = names
        .iter()
        .find(|n| n.eq_ignore_ascii_case("records"))
        .or_else(|| names.first())
        .cloned()
        .ok_or(FileError::Empty)?;
    let range = book.worksheet_range(&name).map_err(|e| bad(&e))?;
    let first_row = u64::from(range.start().map_or(0, |(r, _)| r)) + 1;
    // Cells left of the used range are empty in Excel's view: keep the columns aligned.
    let skip = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = range.rows().enumerate().map(|(i, r)| {
        let mut cells = vec![String::new(); skip];
        cells.extend(r.iter().map(cell_text));
        (first_row + i as u64, cells)
    });
    let headers = loop {
        match rows.next() {
            None => return Err(FileError::Empty),
            Some((_, cells)) if cells.iter().all(|c| c.trim().is_empty()) => continue,
            Some((_, cells)) => break cells,
        }
    };
    let items = rows
        .map(|(line, cells)| Item::Row(Record { line, cells }))
        .collect();
    Ok(Sheet { headers, items })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_is_told_by_the_first_bytes() {
        assert_eq!(Format::sniff(b"PK\x03\x04rest"), Format::Xlsx);
        assert_eq!(Format::sniff(b"nama;jk"), Format::Csv);
        assert_eq!(read(b"\xff\xfen\x00a\x00"), Err(FileError::NotUtf8));
        assert!(matches!(read(b"PK\x03\x04broken"), Err(FileError::Xlsx(_))));
    }

    #[test]
    fn csv_lines_count_blank_lines_and_lone_cr() {
        let s = from_csv("a,b\r1,2\r\r3,4\n").unwrap_or_default();
        let lines: Vec<u64> = s
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Row(r) if r.cells.iter().any(|c| !c.is_empty()) => Some(r.line),
                _ => None,
            })
            .collect();
        assert_eq!(lines, [2, 4]);
    }
}
