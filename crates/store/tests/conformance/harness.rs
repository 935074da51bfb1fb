//! Fresh databases for the conformance stories: a temporary SQLite file per test, and a
//! fresh PostgreSQL database per test when the server of `POSYANDU_TEST_PG_URL` answers
//! (dropped after).

use store::Store;
use store::sqlx;

/// A migrated store that cleans up after itself.
pub struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open_sqlite_file(&dir.path().join("test.sqlite"))
        .await
        .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb {
        store,
        _dir: Some(dir),
        pg_drop: None,
    }
}

/// Whether the PostgreSQL stories run: the server of `POSYANDU_TEST_PG_URL` must answer.
/// Outside CI an unset variable or a silent server skips them (reported as ignored); with
/// `CI=true` they are not skipped: each fails at once with the reason.
#[derive(Clone)]
pub enum PgPlan {
    Run(String),
    Skip(String),
    Fail(String),
}

pub fn postgres_plan() -> PgPlan {
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let url = match std::env::var("POSYANDU_TEST_PG_URL") {
        Ok(u) if !u.trim().is_empty() => u,
        _ if ci => {
            return PgPlan::Fail(
                "CI=true but POSYANDU_TEST_PG_URL is unset: the PostgreSQL stories must run in CI"
                    .to_owned(),
            );
        }
        _ => return PgPlan::Skip("POSYANDU_TEST_PG_URL is unset".to_owned()),
    };
    let probe = async {
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(std::time::Duration::from_secs(5))
            .connect(&url)
            .await?;
        pool.close().await;
        Ok::<(), sqlx::Error>(())
    };
    let answered = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(sqlx::Error::Io)
        .and_then(|rt| rt.block_on(probe));
    match answered {
        Ok(()) => PgPlan::Run(url),
        Err(e) if ci => PgPlan::Fail(format!(
            "CI=true but PostgreSQL at POSYANDU_TEST_PG_URL does not answer: {e}"
        )),
        Err(e) => PgPlan::Skip(format!(
            "PostgreSQL at POSYANDU_TEST_PG_URL does not answer ({e}); set CI=true to fail instead"
        )),
    }
}

/// For PostgreSQL tests outside the conformance harness: a fresh database, or `None` with
/// the reason printed when [`postgres_plan`] skips; panics where it must fail (CI).
#[allow(dead_code)] // the conformance binary itself plans with `postgres_plan`
pub async fn postgres_or_skip() -> Option<TestDb> {
    match tokio::task::spawn_blocking(postgres_plan)
        .await
        .expect("PostgreSQL probe")
    {
        PgPlan::Run(url) => Some(postgres(&url).await),
        PgPlan::Skip(why) => {
            eprintln!("PostgreSQL skipped: {why}");
            None
        }
        PgPlan::Fail(why) => panic!("{why}"),
    }
}

/// A fresh, migrated PostgreSQL database on the server of `admin_url` (dropped after).
pub async fn postgres(admin_url: &str) -> TestDb {
    let name = format!("t_{}", uuid::Uuid::now_v7().simple());
    let admin = sqlx::PgPool::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at POSYANDU_TEST_PG_URL unreachable: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let url = with_database(admin_url, &name);
    let store = Store::connect(&url).await.expect("connect test database");
    store.migrate().await.expect("migrate postgres");
    TestDb {
        store,
        _dir: None,
        pg_drop: Some((admin_url.to_owned(), name)),
    }
}

/// The same URL pointing at another database.
fn with_database(url: &str, db: &str) -> String {
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
        // Drop runs outside async: use a small runtime on its own thread.
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

pub fn urls_point_at_other_databases() {
    assert_eq!(
        with_database("postgres://postgres@127.0.0.1:5432/test", "t_1"),
        "postgres://postgres@127.0.0.1:5432/t_1"
    );
    assert_eq!(
        with_database("postgres://u:p@h/test?sslmode=disable", "t_1"),
        "postgres://u:p@h/t_1?sslmode=disable"
    );
    assert_eq!(with_database("postgres://h", "t_1"), "postgres://h/t_1");
}
