//! `posyandu`: one binary for every job. Each subcommand lives in its own module and owns
//! its clap `Args`; this file only dispatches.

mod screen;
mod store_cmds;
mod zscore;

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
    #[command(flatten)]
    Store(store_cmds::StoreCommand),
}

/// Errors are for the user: the message and its causes on one line, exit status 1, and no
/// stack trace even when `RUST_BACKTRACE` is set.
fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Zscore(args) => zscore::run(&args),
        Command::Screen(args) => screen::run(&args),
        Command::Store(cmd) => store_cmds::run(cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("galat / error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
