//! The WAL is copied back into the SQLite file in the background, not by the writer: after
//! a burst of captures the database file itself holds them within a moment, although the
//! writer's own checkpoint threshold (SQLite's 1,000 pages) was not reached.
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "conformance/fixture.rs"]
mod fixture;

use std::time::Duration;

use store::*;
use time::macros::date;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn captures_reach_the_database_file_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("p.sqlite");
    let store = Store::open_sqlite_file(&file).await.unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let child = fixture::add_person(
        &store,
        &sys,
        &fixture::person(&r.posyandu_a, "Wulan", Sex::Female, date!(2024 - 02 - 02)),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = std::fs::metadata(&file).unwrap().len();
    let batch: Vec<Capture> = (0..4000)
        .map(|i| {
            fixture::weight(
                &child,
                &r.posyandu_a,
                date!(2025 - 01 - 01),
                5.0 + f64::from(i) / 1e4,
            )
            .into()
        })
        .collect();
    store.capture_grouped(&sys, batch).await.unwrap();
    let mut grown = 0;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        grown = std::fs::metadata(&file)
            .unwrap()
            .len()
            .saturating_sub(before);
        if grown > 500_000 {
            break;
        }
    }
    assert!(grown > 500_000, "the file grew by {grown} bytes only");
    assert_eq!(
        store.measurements_of(&sys, child.id).await.unwrap().len(),
        4000
    );
}
