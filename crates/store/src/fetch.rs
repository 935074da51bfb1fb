//! Query-and-decode macros over a pool ([`crate::Store`]) or a transaction ([`crate::Tx`]).
//! Each expands one body per engine, so the SQL text is shared and the types are checked
//! for both. On a SQLite file, the pool's reads and every transaction run on the caller's
//! thread ([`crate::direct`]); the same decoders read both kinds of row.

/// `fetch_all!(on_pool | on_tx, target, sql, [binds…], decoder)` → `Result<Vec<T>>`.
macro_rules! fetch_all {
    (on_pool, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        match &$target.direct {
            Some(d) => d.fetch_all($sql, &[$(&$bind as &dyn $crate::direct::Bind),*], |r| ($decode)(r)),
            None => $crate::fetch::on_pool!($target, c => {
                let rows = sqlx::query($sql)$(.bind($bind))*.fetch_all(c).await?;
                rows.iter().map(|r| ($decode)(r)).collect::<$crate::error::Result<Vec<_>>>()
            }),
        }
    };
    (on_tx, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        match &mut $target.conn {
            $crate::tx::TxConn::Direct(d) => {
                d.fetch_all($sql, &[$(&$bind as &dyn $crate::direct::Bind),*], |r| ($decode)(r))
            }
            $crate::tx::TxConn::Sqlite(t) => {
                let rows = sqlx::query($sql)$(.bind($bind))*.fetch_all(&mut **t).await?;
                rows.iter().map(|r| ($decode)(r)).collect::<$crate::error::Result<Vec<_>>>()
            }
            $crate::tx::TxConn::Postgres(t) => {
                let rows = sqlx::query($sql)$(.bind($bind))*.fetch_all(&mut **t).await?;
                rows.iter().map(|r| ($decode)(r)).collect::<$crate::error::Result<Vec<_>>>()
            }
        }
    };
}
pub(crate) use fetch_all;

/// `fetch_opt!(on_pool | on_tx, target, sql, [binds…], decoder)` → `Result<Option<T>>`.
macro_rules! fetch_opt {
    (on_pool, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        match &$target.direct {
            Some(d) => d.fetch_opt($sql, &[$(&$bind as &dyn $crate::direct::Bind),*], |r| ($decode)(r)),
            None => $crate::fetch::on_pool!($target, c => {
                let row = sqlx::query($sql)$(.bind($bind))*.fetch_optional(c).await?;
                row.as_ref().map(|r| ($decode)(r)).transpose()
            }),
        }
    };
    (on_tx, $target:expr, $sql:expr, [$($bind:expr),* $(,)?], $decode:expr) => {
        match &mut $target.conn {
            $crate::tx::TxConn::Direct(d) => {
                d.fetch_opt($sql, &[$(&$bind as &dyn $crate::direct::Bind),*], |r| ($decode)(r))
            }
            $crate::tx::TxConn::Sqlite(t) => {
                let row = sqlx::query($sql)$(.bind($bind))*.fetch_optional(&mut **t).await?;
                row.as_ref().map(|r| ($decode)(r)).transpose()
            }
            $crate::tx::TxConn::Postgres(t) => {
                let row = sqlx::query($sql)$(.bind($bind))*.fetch_optional(&mut **t).await?;
                row.as_ref().map(|r| ($decode)(r)).transpose()
            }
        }
    };
}
pub(crate) use fetch_opt;

/// `execute!(on_pool | on_tx, target, sql, [binds…])` → rows affected. The pool's writes
/// stay on sqlx (single statements, each on its own connection thread).
macro_rules! execute {
    (on_pool, $target:expr, $sql:expr, [$($bind:expr),* $(,)?]) => {
        $crate::fetch::on_pool!($target, c => {
            sqlx::query($sql)$(.bind($bind))*.execute(c).await?.rows_affected()
        })
    };
    (on_tx, $target:expr, $sql:expr, [$($bind:expr),* $(,)?]) => {
        match &mut $target.conn {
            $crate::tx::TxConn::Direct(d) => {
                d.execute($sql, &[$(&$bind as &dyn $crate::direct::Bind),*])?
            }
            $crate::tx::TxConn::Sqlite(t) => {
                sqlx::query($sql)$(.bind($bind))*.execute(&mut **t).await?.rows_affected()
            }
            $crate::tx::TxConn::Postgres(t) => {
                sqlx::query($sql)$(.bind($bind))*.execute(&mut **t).await?.rows_affected()
            }
        }
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
