//! `posyandu demo`: owned by the demo part (issue 4 part B).

use store::Store;

#[derive(clap::Args, Debug)]
pub struct DemoArgs {}

pub async fn run(_db: &Store, _args: &DemoArgs) -> anyhow::Result<()> {
    anyhow::bail!("posyandu demo belum tersedia")
}
