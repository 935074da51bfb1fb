//! `posyandu screen` (issue 3): placeholder until the rules engine lands.

/// Arguments of `posyandu screen`.
#[derive(clap::Args)]
pub struct ScreenArgs {}

pub fn run(_args: &ScreenArgs) -> anyhow::Result<()> {
    anyhow::bail!("`posyandu screen` is not built yet (issue 3)")
}
