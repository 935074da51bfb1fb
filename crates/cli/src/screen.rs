//! `posyandu screen`: JSON Lines on stdin, one JSON line per input line on stdout
//! (rules.md §11). The rules and the per-line contract live in `domain::screen`; this module
//! only reads, writes and applies `--setting` flags. A bad line never stops the batch.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};

use anyhow::Context;
use domain::Settings;
use domain::screen::{FieldError, OutputLine, screen_line};

/// Arguments of `posyandu screen`.
#[derive(clap::Args)]
pub struct ScreenArgs {
    /// Override a rule setting (rules.md §10), e.g. `--setting adult_bmi_scale=depkes`.
    /// Repeatable. Keys: kbm_month3_g, kbm_band_300, weight_faltering_method, bgm_waz,
    /// adult_bmi_scale, adult_bmi_min_years, bp_adult_min_years, puma_cutoff,
    /// srq20_min_years, hb_pregnancy_tm2, muac_sam_cm, je_endemic, idl_set, baduta_set.
    #[arg(long = "setting", value_name = "KEY=VALUE", value_parser = check_setting)]
    pub settings: Vec<String>,
}

/// Reject a bad `--setting` while parsing flags, so clap reports it as a usage error.
fn check_setting(pair: &str) -> Result<String, String> {
    Settings::default()
        .apply(pair)
        .map(|()| pair.to_owned())
        .map_err(|e| e.to_string())
}

pub fn run(args: &ScreenArgs) -> anyhow::Result<()> {
    let mut settings = Settings::default();
    for pair in &args.settings {
        settings
            .apply(pair)
            .with_context(|| format!("--setting {pair}"))?;
    }
    let stdin = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let stdout = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    screen_stream(stdin, stdout, &settings)
}

/// Answer every line of `input` on `output`, in order. Output is flushed whenever the input
/// has nothing more buffered, so a caller that writes one line and waits for the answer is
/// served at once while a batch still gets large writes.
fn screen_stream<R: Read>(
    mut input: BufReader<R>,
    mut output: impl Write,
    settings: &Settings,
) -> anyhow::Result<()> {
    let mut buf = Vec::with_capacity(4096);
    let mut line_no = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("membaca stdin setelah baris {line_no}"))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
        }
        // A UTF-8 byte-order mark (files saved by Windows tools) is not part of the JSON.
        let bytes = match buf.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) if line_no == 1 => rest,
            _ => &buf[..],
        };
        let answer = match std::str::from_utf8(bytes) {
            Ok(line) => screen_line(line, settings),
            Err(e) => OutputLine::not_an_object(FieldError::new(
                "$",
                format!("baris {line_no} bukan teks UTF-8 yang sah: {e}"),
            ))
            .to_json(),
        };
        output
            .write_all(answer.as_bytes())
            .and_then(|()| output.write_all(b"\n"))
            .context("menulis stdout")?;
        if input.buffer().is_empty() {
            output.flush().context("menulis stdout")?;
        }
    }
    output.flush().context("menulis stdout")?;
    Ok(())
}
