//! A cheap round trip to the database, for `/healthz` and start-up checks.

use crate::db::{Engine, Store};
use crate::error::Result;

impl Store {
    /// Runs `SELECT 1` on the engine: proves a connection can be had and answers.
    pub async fn ping(&self) -> Result<()> {
        match &self.engine {
            Engine::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
            Engine::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }
}
