//! `posyandu import`: owned by the import part (issue 4 part B).

use store::Store;

#[derive(clap::Args, Debug)]
pub struct ImportArgs {}

pub async fn run(_db: &Store, _args: &ImportArgs) -> anyhow::Result<()> {
    anyhow::bail!("posyandu import belum tersedia")
}
