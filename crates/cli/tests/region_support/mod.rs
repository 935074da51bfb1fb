//! Shared by the `region_*` tests: a fresh migrated store on each engine, row counts read
//! with plain SQL (so they check what the database holds, not what the commands report),
//! and the codes of `shared/wilayah/wilayah.csv` itself.
#![allow(dead_code, clippy::unwrap_used)]

use posyandu::store_cmds::region;
use store::Store;
use store::sqlx;

/// A migrated store that removes its database when dropped.
pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("region.sqlite"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    TestDb {
        store,
        _dir: Some(dir),
        pg_drop: None,
    }
}

pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A fresh PostgreSQL database on the server of `POSYANDU_TEST_PG_URL` (default: the local
/// test server). Skipped, with the reason printed, only outside CI when the server cannot be
/// reached; with `CI=true` an unreachable server fails the test.
pub async fn postgres() -> Option<TestDb> {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let admin_url = std::env::var("POSYANDU_TEST_PG_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_PG_URL.to_owned());
    let admin = match sqlx::PgPool::connect(&admin_url).await {
        Ok(a) => a,
        Err(e) => {
            assert!(
                !ci,
                "CI=true but PostgreSQL at {admin_url} is unreachable: {e}"
            );
            eprintln!(
                "skipping PostgreSQL: {} unreachable: {e}",
                store::redact_url(&admin_url)
            );
            return None;
        }
    };
    let name = format!("t_region_{}", uuid::Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let url = with_database(&admin_url, &name);
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    Some(TestDb {
        store,
        _dir: None,
        pg_drop: Some((admin_url, name)),
    })
}

/// The same URL naming another database.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    format!("{host_part}/{db}{query}")
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.pg_drop.take() else {
            return;
        };
        let store = self.store.clone();
        let _ = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                store.close().await;
                if let Ok(admin) = sqlx::PgPool::connect(&admin_url).await {
                    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                    let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&admin).await;
                    admin.close().await;
                }
            });
        })
        .join();
    }
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
