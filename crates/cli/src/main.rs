//! `posyandu`: one binary for every job. Each subcommand lives in its own module and owns
//! its clap `Args`; this file only dispatches.

use posyandu::{out, report_cmd, screen, serve, store_cmds, sync_cmd, user_cmd, zscore};

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "posyandu",
    version,
    about = "Posyandu ILP: growth z-scores, clinical screening and the community health record"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// WHO z-scores for a CSV register (file or stdin) to CSV (file or stdout).
    Zscore(zscore::ZscoreArgs),
    /// Clinical rules and immunization schedule: JSON Lines in, JSON Lines out.
    Screen(screen::ScreenArgs),
    /// The web app: the service day in the browser (SQLite file by default).
    Serve(serve::ServeArgs),
    /// The monthly report of a unit (SKDN, nutrition status) as a table, CSV, XLSX or JSON.
    Report(report_cmd::ReportArgs),
    /// Keep this laptop and a district server in step (push, then pull) for one account's subtree.
    Sync(sync_cmd::SyncArgs),
    /// Accounts: add (the first admin), passwd, deactivate.
    #[command(subcommand)]
    User(user_cmd::UserCommand),
    #[command(flatten)]
    Store(store_cmds::StoreCommand),
}

/// Errors are for the user: the message and its causes on one line, exit status 1, and no
/// stack trace even when `RUST_BACKTRACE` is set. A closed stdout (`… | head -1`) ends the
/// command quietly with the status a shell gives a process ended by SIGPIPE (141), as
/// other Unix tools do; a message that could not be written to stderr still fails the run.
fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Zscore(args) => zscore::run(&args),
        Command::Screen(args) => screen::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Report(args) => report_cmd::run(&args),
        Command::Sync(args) => sync_cmd::run(&args),
        Command::User(cmd) => user_cmd::run(cmd),
        Command::Store(cmd) => store_cmds::run(cmd),
    };
    match result {
        Err(e) if out::is_broken_pipe(&e) => ExitCode::from(141),
        Err(e) => {
            out::warn_line(format_args!("galat / error: {}", one_line(&e)));
            ExitCode::FAILURE
        }
        Ok(()) if out::stderr_failed() => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
    }
}

/// The error and its causes on one line, each said once. Many errors (sqlx's, ours) already
/// include their source's text in their own message and also report it as the source, so
/// `{e:#}` repeated one database error up to four times; a cause whose text is already in
/// the message before it is left out.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut previous = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !previous.is_empty() && previous.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
        previous = text;
    }
    line
}
