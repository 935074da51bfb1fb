//! Shared by the `region_*` tests: a fresh migrated store on each engine, row counts read
//! with plain SQL (so they check what the database holds, not what the commands report),
//! and the codes of `shared/wilayah/wilayah.csv` itself.
#![allow(dead_code, clippy::unwrap_used)]

use posyandu::store_cmds::region;
use store::Store;
use store::sqlx;

// The store's own test harness: one way to make a fresh database on each engine.
#[path = "../../../store/tests/conformance/harness.rs"]
mod harness;
#[allow(unused_imports)] // each test binary uses only part of this module
pub use harness::{TestDb, sqlite};

/// A fresh PostgreSQL database at `POSYANDU_TEST_PG_URL`; `None` (reason printed) where the
/// harness skips, a failure under `CI=true`.
pub async fn postgres() -> Option<TestDb> {
    harness::postgres_or_skip().await
}

/// One number from SQL without parameters, on either engine.
pub async fn scalar(store: &Store, sql: &str) -> i64 {
    let sql = || sqlx::AssertSqlSafe(sql.to_owned());
    if let Some(p) = store.sqlite_pool() {
        sqlx::query_scalar::<_, i64>(sql())
            .fetch_one(p)
            .await
            .unwrap()
    } else {
        let p = store.postgres_pool().unwrap();
        sqlx::query_scalar::<_, i64>(sql())
            .fetch_one(p)
            .await
            .unwrap()
    }
}

/// What a command may not change silently: the audit trail, the tree and the change feed.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Footprint {
    pub audit_rows: i64,
    pub org_units: i64,
    pub seq: i64,
}

pub async fn footprint(store: &Store) -> Footprint {
    Footprint {
        audit_rows: scalar(store, "SELECT COUNT(*) FROM audit_log").await,
        org_units: scalar(store, "SELECT COUNT(*) FROM org_unit").await,
        seq: scalar(store, "SELECT value FROM seq_counter WHERE id = 1").await,
    }
}

/// Number of org units of a level (store code) whose region code starts with `prefix`.
pub async fn count_level(store: &Store, level: &str, prefix: &str) -> i64 {
    scalar(
        store,
        &format!(
            "SELECT COUNT(*) FROM org_unit WHERE level = '{level}' AND region_code LIKE '{prefix}%'"
        ),
    )
    .await
}

/// `shared/wilayah/wilayah.csv` as (code, name, level) rows: the file beside the checkout,
/// or (with a note) the copy shipped in the program when the shared folder is absent.
pub fn wilayah_rows() -> Vec<(String, String, String)> {
    let shared = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/wilayah/wilayah.csv"
    );
    match std::fs::read_to_string(shared) {
        Ok(text) => {
            let mut r = csv::Reader::from_reader(text.as_bytes());
            r.records()
                .map(|rec| {
                    let rec = rec.unwrap();
                    (rec[0].to_owned(), rec[1].to_owned(), rec[2].to_owned())
                })
                .collect()
        }
        Err(_) => {
            eprintln!("{shared} not found: counting the embedded copy");
            region::load()
                .unwrap()
                .iter()
                .map(|r| {
                    (
                        r.code.to_string(),
                        r.name.clone(),
                        r.level.code().to_owned(),
                    )
                })
                .collect()
        }
    }
}

/// Rows of the CSV under `code` (not the code itself) of the given levels.
pub fn csv_count(rows: &[(String, String, String)], code: &str, levels: &[&str]) -> i64 {
    let prefix = format!("{code}.");
    rows.iter()
        .filter(|(c, _, l)| c.starts_with(&prefix) && levels.contains(&l.as_str()))
        .count() as i64
}
