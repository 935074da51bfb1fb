//! Inputs found by the fuzz targets in `fuzz/` (fuzz/run.sh), kept as ordinary tests.
#![allow(clippy::unwrap_used)]

use posyandu::zscore::{Lang, convert};

fn zscore_rows(input: &str) -> (u64, Vec<csv::StringRecord>) {
    let mut out = Vec::new();
    let n = convert(input.as_bytes(), &mut out, false, Lang::Id, None).unwrap();
    let mut rdr = csv::Reader::from_reader(out.as_slice());
    let rows = rdr.records().map(Result::unwrap).collect();
    (n, rows)
}

/// zscore_rows: a quoted empty record `""` was dropped as if it were a blank line, so the
/// output had one row fewer than the input and every later row moved up one.
#[test]
fn a_quoted_empty_record_is_a_row_not_a_blank_line() {
    for eol in ["\n", "\r\n"] {
        let input = ["sex,age_days,weight_kg", "L,400,9", "\"\"", "P,400,9", ""].join(eol);
        let (n, rows) = zscore_rows(&input);
        assert_eq!(n, 3, "{eol:?}");
        let sexes: Vec<&str> = rows.iter().map(|r| r.get(0).unwrap()).collect();
        assert_eq!(sexes, ["L", "", "P"], "{eol:?}");
        let error = rows[1].get(rows[1].len() - 1).unwrap();
        assert!(error.contains("kolom"), "the short row is named: {error}");
    }
    // A line of spaces stays a blank line, quoted file or not.
    let (n, _) = zscore_rows("sex,age_days,weight_kg\n\"L\",400,9\n   \nP,400,9\n");
    assert_eq!(n, 2);
}

/// zscore_rows: in a tab-separated file a line of tabs (an empty spreadsheet row) was a
/// row when some other line had a quote and was dropped as blank when none had, so the
/// row count depended on quoting elsewhere in the file.
#[test]
fn a_line_of_tabs_is_a_row_whether_or_not_the_file_has_quotes() {
    for first in ["L", "\"L\""] {
        let input = format!("sex\tage_days\tweight_kg\n{first}\t400\t9\n\t\t\nP\t400\t9\n");
        let mut out = Vec::new();
        let n = convert(input.as_bytes(), &mut out, false, Lang::Id, None).unwrap();
        assert_eq!(n, 3, "{first}");
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
    }
}
