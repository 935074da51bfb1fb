//! Storage subcommands (issue 4): migrate, demo, backup, restore, import. Placeholder until
//! the store lands.

/// Subcommands that work on the record.
#[derive(clap::Subcommand)]
pub enum StoreCommand {}

pub fn run(cmd: StoreCommand) -> anyhow::Result<()> {
    match cmd {}
}
