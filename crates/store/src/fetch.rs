//! Query-and-decode macros over a pool ([`crate::Store`]) or a transaction ([`crate::Tx`]).
//! Each expands one body per engine, so the SQL text is shared and the types are checked
//! for both.

/// `fetch_all!(on_pool | on_tx, target, sql, [binds…], decoder)` → `Result<Vec<T>>`.
macro_rules! fetch_all {
    ($on:ident, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        $crate::fetch::$on!($target, c => {
            let rows = sqlx::query($sql)$(.bind($bind))*.fetch_all(c).await?;
            rows.iter().map(|r| ($decode)(r)).collect::<$crate::error::Result<Vec<_>>>()
        })
    };
}
pub(crate) use fetch_all;

/// `fetch_opt!(on_pool | on_tx, target, sql, [binds…], decoder)` → `Result<Option<T>>`.
macro_rules! fetch_opt {
    ($on:ident, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        $crate::fetch::$on!($target, c => {
            let row = sqlx::query($sql)$(.bind($bind))*.fetch_optional(c).await?;
            row.as_ref().map(|r| ($decode)(r)).transpose()
        })
    };
}
pub(crate) use fetch_opt;

/// `execute!(on_pool | on_tx, target, sql, [binds…])` → rows affected.
macro_rules! execute {
    ($on:ident, $target:expr, $sql:expr, [$($bind:expr),* $(,)?]) => {
        $crate::fetch::$on!($target, c => {
            sqlx::query($sql)$(.bind($bind))*.execute(c).await?.rows_affected()
        })
    };
}
pub(crate) use execute;

macro_rules! on_pool {
    ($store:expr, $c:ident => $body:expr) => {
        match &$store.engine {
            $crate::db::Engine::Sqlite($c) => $body,
            $crate::db::Engine::Postgres($c) => $body,
        }
    };
}
pub(crate) use on_pool;

pub(crate) use crate::tx::on_tx;
