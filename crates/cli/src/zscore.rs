//! `posyandu zscore` (placeholder; lands with the growth engine).

/// Arguments of `posyandu zscore`.
#[derive(clap::Args)]
pub struct ZscoreArgs {}

pub fn run(_args: &ZscoreArgs) -> anyhow::Result<()> {
    anyhow::bail!("not built yet")
}
