//! `posyandu zscore`: WHO z-scores for a whole register, CSV in and CSV out.
//!
//! The input is cut into blocks at record boundaries; blocks are computed on all cores and
//! written back in order, so memory stays bounded and a million rows take well under a
//! second. A bad cell never stops the file: it is named in the row's `error` column.

mod columns;
mod messages;
mod numfmt;
mod row;

use anyhow::{Context, bail};
use columns::{Columns, ERROR, OUTPUT, RAW};
use indicatif::{ProgressBar, ProgressStyle};
pub use messages::Lang;
use row::RowProcessor;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

/// Arguments of `posyandu zscore`.
#[derive(clap::Args, Debug)]
pub struct ZscoreArgs {
    /// Input CSV (`,` or `;` separated; header names as in WHO's reference file). Reads
    /// standard input when absent or `-`.
    pub input: Option<PathBuf>,
    /// Output CSV; standard output when absent or `-`.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Also write the unrounded z-scores (`zlen_raw` … `zbfa_raw`).
    #[arg(long)]
    pub raw: bool,
    /// Language of messages in the `error` column.
    #[arg(long, value_enum, default_value = "id", env = "POSYANDU_LANG")]
    pub lang: Lang,
}

/// Bytes per block handed to a worker: large enough to amortise the thread hand-off,
/// small enough that a few blocks in flight stay in cache-friendly memory.
const BLOCK: usize = 1 << 20;

pub fn run(args: &ZscoreArgs) -> anyhow::Result<()> {
    let (input, size): (Box<dyn Read>, Option<u64>) = match &args.input {
        Some(p) if p.as_os_str() != "-" => {
            let f = File::open(p).with_context(|| format!("cannot open {}", p.display()))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        }
        _ => (Box::new(io::stdin().lock()), None),
    };
    let output: Box<dyn Write> = match &args.output {
        Some(p) if p.as_os_str() != "-" => Box::new(
            File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        ),
        _ => Box::new(io::stdout().lock()),
    };
    let progress = (io::stderr().is_terminal()).then(|| {
        let bar = size.map_or_else(ProgressBar::new_spinner, ProgressBar::new);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    let rows = convert(input, output, args.raw, args.lang, progress.as_ref())?;
    if let Some(bar) = progress {
        bar.finish_and_clear();
        eprintln!("{rows} baris / rows");
    }
    Ok(())
}

/// Reads a whole CSV from `input` and writes the z-score CSV to `output`; returns the number
/// of data rows.
pub fn convert(
    mut input: impl Read,
    mut output: impl Write,
    raw: bool,
    lang: Lang,
    progress: Option<&ProgressBar>,
) -> anyhow::Result<u64> {
    let mut pending: Vec<u8> = Vec::with_capacity(BLOCK * 2);
    let mut eof = fill(&mut input, &mut pending, BLOCK)?;
    if pending.starts_with(b"\xEF\xBB\xBF") {
        pending.drain(..3); // Excel's UTF-8 byte order mark.
    }
    // The header line decides the separator: Excel with Indonesian settings writes `;`
    // and decimal commas.
    let header_end = loop {
        if let Some(end) = record_end(&pending, 0) {
            break end;
        }
        if eof {
            break pending.len();
        }
        eof = fill(&mut input, &mut pending, BLOCK)?;
    };
    if pending[..header_end].iter().all(u8::is_ascii_whitespace) {
        bail!(match lang {
            Lang::Id => "berkas kosong: tidak ada baris header",
            Lang::En => "empty file: no header line",
        });
    }
    let delimiter = sniff_delimiter(&pending[..header_end]);
    let header = first_record(&pending[..header_end], delimiter)?;
    let columns = Columns::from_header(header.iter(), lang).map_err(anyhow::Error::msg)?;
    let proc = RowProcessor { columns, delimiter, decimal_comma: delimiter == b';', raw, lang };

    let mut head = Vec::new();
    for (i, name) in header.iter().enumerate() {
        if i > 0 {
            head.push(delimiter);
        }
        proc.push_field(&mut head, name);
    }
    let extra = OUTPUT.iter().chain(if raw { &RAW[..] } else { &[] }).chain(&[ERROR]);
    for name in extra {
        head.push(delimiter);
        head.extend_from_slice(name.as_bytes());
    }
    head.push(b'\n');
    output.write_all(&head)?;
    pending.drain(..header_end);

    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut rows = 0u64;
    let mut consumed = header_end as u64;
    loop {
        // Cut up to `threads` blocks at record boundaries, compute them in parallel, write
        // them in order. The tail of an unfinished record waits for the next read.
        while !eof && pending.len() < BLOCK * threads {
            let want = BLOCK * threads - pending.len();
            eof = fill(&mut input, &mut pending, want)?;
        }
        let mut cuts: Vec<(usize, usize)> = Vec::with_capacity(threads);
        let mut start = 0;
        while start < pending.len() && cuts.len() < threads {
            let want = (start + BLOCK).min(pending.len());
            let end = if want == pending.len() && eof {
                want
            } else {
                match last_record_end(&pending[start..want]) {
                    Some(e) => start + e,
                    None => match record_end(&pending, want) {
                        Some(e) => e,
                        None if eof => pending.len(),
                        None => break,
                    },
                }
            };
            cuts.push((start, end));
            start = end;
        }
        if cuts.is_empty() {
            if eof {
                break;
            }
            eof = fill(&mut input, &mut pending, BLOCK)?;
            continue;
        }
        let blocks: Vec<&[u8]> = cuts.iter().map(|&(a, b)| &pending[a..b]).collect();
        let results: Vec<anyhow::Result<(Vec<u8>, u64)>> = std::thread::scope(|s| {
            let handles: Vec<_> =
                blocks.iter().map(|b| s.spawn(|| process_block(&proc, b))).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(anyhow::anyhow!("worker panicked"))))
                .collect()
        });
        for r in results {
            let (out, n) = r?;
            output.write_all(&out)?;
            rows += n;
        }
        consumed += start as u64;
        if let Some(bar) = progress {
            bar.set_position(consumed);
        }
        pending.drain(..start);
    }
    output.flush()?;
    Ok(rows)
}

/// Reads up to `want` more bytes; returns true at end of input.
fn fill(input: &mut impl Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let n = input.take(want as u64).read_to_end(buf)?;
    Ok(n == 0)
}

fn process_block(proc: &RowProcessor, block: &[u8]) -> anyhow::Result<(Vec<u8>, u64)> {
    let mut out = Vec::with_capacity(block.len() * 3);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(proc.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(block);
    let mut rec = csv::ByteRecord::new();
    let mut n = 0;
    while rdr.read_byte_record(&mut rec)? {
        if rec.len() == 1 && rec.get(0).is_some_and(|f| f.trim_ascii().is_empty()) {
            continue; // A blank line.
        }
        proc.process(&rec, &mut out);
        n += 1;
    }
    Ok((out, n))
}

/// The separator of the header line: `;`, tab or `,`, whichever occurs most (outside
/// quotes); `,` on a tie.
fn sniff_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in header {
        match b {
            b'"' => quoted = !quoted,
            b';' if !quoted => counts[0] += 1,
            b'\t' if !quoted => counts[1] += 1,
            b',' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    if counts[0] > counts[2] && counts[0] >= counts[1] {
        b';'
    } else if counts[1] > counts[2] {
        b'\t'
    } else {
        b','
    }
}

fn first_record(line: &[u8], delimiter: u8) -> anyhow::Result<csv::ByteRecord> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(line);
    let mut rec = csv::ByteRecord::new();
    rdr.read_byte_record(&mut rec)?;
    Ok(rec)
}

/// End (after the newline) of the first record that ends at or after `from`, outside
/// quotes, assuming `buf` starts at a record boundary.
fn record_end(buf: &[u8], from: usize) -> Option<usize> {
    let mut quoted = memchr::memchr_iter(b'"', &buf[..from]).count() % 2 == 1;
    let mut i = from;
    while i < buf.len() {
        match buf[i] {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return Some(i + 1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// End of the last complete record in `buf` (which starts at a record boundary).
fn last_record_end(buf: &[u8]) -> Option<usize> {
    let mut quotes_before = memchr::memchr_iter(b'"', buf).count();
    let mut end = buf.len();
    while let Some(nl) = memchr::memrchr(b'\n', &buf[..end]) {
        // Quotes between this newline and the previous cut point.
        quotes_before -= memchr::memchr_iter(b'"', &buf[nl..end]).count();
        if quotes_before % 2 == 0 {
            return Some(nl + 1);
        }
        end = nl;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_str(input: &str, raw: bool) -> String {
        let mut out = Vec::new();
        convert(input.as_bytes(), &mut out, raw, Lang::En, None).expect("converts");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn semicolon_files_with_decimal_commas_are_read_and_written_back_alike() {
        let out = run_str("\u{feff}id;sex;age_days;weight_kg\r\nA;L;400;9,4\r\n", false);
        let mut lines = out.lines();
        assert!(lines.next().unwrap_or_default().starts_with("id;sex;age_days;weight_kg;clenhei;"));
        let row: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
        assert_eq!(&row[..4], ["A", "L", "400", "9,4"]);
        let want = growth::who2006(&growth::ChildMeasurements {
            sex: Some(growth::Sex::Male),
            age: Some(growth::Age::Days(400.0)),
            weight_kg: Some(9.4),
            ..Default::default()
        })
        .zwei
        .map(|z| z.z.to_string().replace('.', ","));
        assert_eq!(Some(row[10].to_string()), want, "zwei, written with a decimal comma");
    }

    #[test]
    fn quoted_fields_with_newlines_survive_block_cuts() {
        let mut input = String::from("note,sex,age_days,weight_kg\n");
        for i in 0..50_000 {
            input.push_str(&format!("\"line {i}\nsecond, \"\"quoted\"\"\",1,{},9.5\n", 300 + i % 500));
        }
        let out = run_str(&input, false);
        let mut rdr = csv::Reader::from_reader(out.as_bytes());
        let mut n = 0;
        for rec in rdr.records() {
            let rec = rec.expect("valid csv");
            assert_eq!(rec.get(0), Some(format!("line {n}\nsecond, \"quoted\"").as_str()));
            assert_eq!(rec.get(rec.len() - 1), Some(""));
            n += 1;
        }
        assert_eq!(n, 50_000);
    }

    #[test]
    fn delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter(b"a;b;c"), b';');
        assert_eq!(sniff_delimiter(b"a,b,c"), b',');
        assert_eq!(sniff_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c"), b',');
    }
}
