//! `posyandu zscore`'s reader (`zscore::convert`) on any bytes: it never panics, and when
//! it answers, the output is CSV with one row per data record, each as wide as the header.
//!
//! The first byte picks the mode. Raw: the rest is the file as it is (only the output's own
//! consistency is checked). Built: the rest is cells (split on 0x1F) and rows (0x1E) written
//! as CSV here, quoted where needed, so the number of records is known and checked.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posyandu::zscore::{Lang, convert};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (input, records) = if mode & 1 == 0 {
        (rest.to_vec(), None)
    } else {
        let (input, n) = build(mode, rest);
        (input, Some(n))
    };
    let mut out = Vec::new();
    let lang = if mode & 32 == 0 { Lang::Id } else { Lang::En };
    let Ok(n) = convert(input.as_slice(), &mut out, mode & 64 != 0, lang, None) else {
        assert!(out.is_empty(), "a refused file writes nothing");
        return;
    };
    if let Some(records) = records {
        assert_eq!(n, records, "one output row per input record");
    }
    let rows = output_rows(&out);
    assert_eq!(rows, n, "the returned count is the rows written");
});

/// The CSV for `rest` and its number of non-blank data records.
fn build(mode: u8, rest: &[u8]) -> (Vec<u8>, u64) {
    let delimiter = [b',', b';', b'\t', b','][usize::from(mode >> 1 & 3)];
    let eol: &[u8] = if mode & 8 == 0 { b"\n" } else { b"\r\n" };
    let quote_all = mode & 16 != 0;
    let mut input = Vec::new();
    let mut records = 0;
    for (i, row) in rest.split(|&b| b == 0x1E).enumerate() {
        let start = input.len();
        for (j, cell) in row.split(|&b| b == 0x1F).enumerate() {
            if j > 0 {
                input.push(delimiter);
            }
            let special = |b: &u8| matches!(b, b'"' | b',' | b';' | b'\t' | b'\n' | b'\r');
            if quote_all || cell.iter().any(special) {
                input.push(b'"');
                for &b in cell {
                    if b == b'"' {
                        input.push(b'"');
                    }
                    input.push(b);
                }
                input.push(b'"');
            } else {
                input.extend_from_slice(cell);
            }
        }
        // A line of nothing but spaces is a blank line, not a record (a separator makes
        // it a record of empty cells, even a tab).
        let line = &input[start..];
        if i > 0 && (!line.trim_ascii().is_empty() || line.contains(&delimiter)) {
            records += 1;
        }
        input.extend_from_slice(eol);
    }
    (input, records)
}

/// Data rows of the output, checked to be CSV whose records are all as wide as its header.
fn output_rows(out: &[u8]) -> u64 {
    for delimiter in [b',', b';', b'\t'] {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(out);
        let width = match rdr.byte_headers() {
            Ok(h) if h.len() > 1 && h.get(h.len() - 1) == Some(b"error") => h.len(),
            _ => continue,
        };
        let mut n = 0;
        for rec in rdr.byte_records() {
            let rec = rec.expect("the output is valid CSV");
            assert_eq!(rec.len(), width, "row {n} as wide as the header");
            n += 1;
        }
        return n;
    }
    panic!(
        "no output header ending in `error`: {}",
        String::from_utf8_lossy(out)
    );
}
