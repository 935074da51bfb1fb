//! `posyandu`: one binary for every job. Each subcommand lives in its own module and owns
//! its clap `Args`; this file only dispatches.

mod screen;
mod store_cmds;
mod zscore;

use clap::{Parser, Subcommand};

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

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Zscore(args) => zscore::run(&args),
        Command::Screen(args) => screen::run(&args),
        Command::Store(cmd) => store_cmds::run(cmd),
    }
}
