//! `posyandu report --unit PATH --month 2026-10 [--format table|csv|xlsx|pdf|json]`: the
//! monthly report of a unit (`report::monthly`), the same numbers the pages show. A table
//! on the terminal by default; CSV and JSON to stdout or `--output FILE`; XLSX and PDF (the
//! printable A4 report, `pdf::monthly_report`) need `--output`.
//! Files are written through [`crate::safe_file`] (temp file and rename, never over the
//! database or an existing file without `--force`).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use report::monthly::{self, MonthlyReport, export};
use store::Actor;
use time::Date;

use crate::out::say;
use crate::safe_file::{Guard, OutputFile};
use crate::store_cmds::{DbArgs, open_existing, unit::unit_at};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Xlsx,
    /// The printable A4 report (needs `--output`).
    Pdf,
    Json,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// The unit: a path (`/35/3508/…/`) or a Kemendagri code (`35.08.01`), see `posyandu unit list`.
    #[arg(long)]
    pub unit: String,
    /// The month, `YYYY-MM`.
    #[arg(long)]
    pub month: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Write to FILE instead of stdout (required for xlsx and pdf).
    #[arg(long)]
    pub output: Option<PathBuf>,
    /// Replace an existing output file.
    #[arg(long)]
    pub force: bool,
}

/// `2026-10` as the month's first day, or an error naming the value.
pub fn parse_month(s: &str) -> anyhow::Result<Date> {
    monthly::parse_month(s).with_context(|| format!("--month '{s}': bukan bulan YYYY-MM"))
}

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let month = parse_month(&args.month)?;
    // Binary formats are never written to a terminal.
    match args.format {
        Format::Xlsx if args.output.is_none() => bail!("--format xlsx perlu --output FILE.xlsx"),
        Format::Pdf if args.output.is_none() => bail!("--format pdf perlu --output FILE.pdf"),
        _ => {}
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let (report, closed) = rt.block_on(async {
        let store = open_existing(&args.db).await?;
        // The command line works on the whole database, as `import` and `export` do.
        let actor = Actor::system("report");
        let res = async {
            let unit = unit_at(&store, &actor, &args.unit).await?;
            let report = monthly::monthly(&store, &actor, unit.id, month).await?;
            // A closed month's CSV and XLSX add the values as closed, as the page shows.
            let closed = match args.format {
                Format::Csv | Format::Xlsx => {
                    monthly::close::as_closed(&store, &actor, unit.id, month)
                        .await?
                        .map(|(_, values)| values)
                }
                _ => None,
            };
            anyhow::Ok((report, closed))
        }
        .await;
        store.close().await;
        res
    })?;
    let bytes = render(&report, closed.as_ref(), args.format)?;
    match &args.output {
        Some(dest) => {
            let guard = Guard {
                inputs: Vec::new(),
                database: store::sqlite_path(&args.db.database_url),
                force: args.force,
            };
            let out = OutputFile::create(dest, &guard)?;
            out.as_file()
                .write_all(&bytes)
                .with_context(|| format!("menulis {}", dest.display()))?;
            out.commit()?;
            say!("Laporan {} ditulis ke {}.", args.month, dest.display())?;
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&bytes).map_err(crate::out::stdout_error)?;
        }
    }
    Ok(())
}

fn render(
    report: &MonthlyReport,
    closed: Option<&export::AsClosed>,
    format: Format,
) -> anyhow::Result<Vec<u8>> {
    Ok(match format {
        Format::Csv => export::table_with_close(report, closed).csv()?,
        Format::Xlsx => export::xlsx_with_close(report, closed)?,
        Format::Pdf => pdf::monthly_report(report)?,
        Format::Json => {
            let mut v = serde_json::to_vec_pretty(&export::json(report)?)?;
            v.push(b'\n');
            v
        }
        Format::Table => terminal(report).into_bytes(),
    })
}

/// Indicator, value and (ratios) numerator/denominator, a line each, under the unit's name.
fn terminal(report: &MonthlyReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}) — {:04}-{:02}",
        report.unit.name,
        report.unit.path,
        report.month.year(),
        u8::from(report.month.month())
    );
    let mut section = None;
    for (i, v) in report.numbers.values() {
        if section != Some(i.section) {
            let _ = writeln!(s, "\n{}", i.section.title());
            section = Some(i.section);
        }
        let detail = match v {
            monthly::Value::Ratio {
                numerator,
                denominator,
                ..
            } => format!("  ({numerator}/{denominator})"),
            monthly::Value::Count { .. } => String::new(),
        };
        let pct = if matches!(
            v,
            monthly::Value::Ratio {
                percent: Some(_),
                ..
            }
        ) {
            " %"
        } else {
            "  "
        };
        let _ = writeln!(s, "  {:<32} {:>8}{pct}{detail}", i.name, v.to_string());
    }
    s
}
