//! Bulk capture and the month query, with figures printed (run by `bench/store.sh`).
//!
//! 1. Inserts N measurements (default 1,000,000) through `Tx::capture_batch` (scope check,
//!    change sequence, audit rows, idempotent insert) and, in the same run, the same rows
//!    with raw SQL into the same schema in fresh files: multi-row INSERTs (the fastest raw
//!    path through sqlx) and one prepared INSERT per row. Target: store ≥ ½ of raw.
//! 2. Times "everything under this Puskesmas this month" (`Store::activity_under`) on the
//!    filled database.
//!
//! `POSYANDU_BENCH_ROWS` overrides N; `POSYANDU_BENCH_DIR` keeps the files; `POSYANDU_BENCH_PG_URL` (a database you can fill)
//! adds the store figure on PostgreSQL.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::{Duration, Instant};

use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use store::*;
use time::macros::date;
use time::{Date, OffsetDateTime};

const PERSONS: usize = 6000;
const TX_ROWS: usize = 10_000;
/// Rows per turn when the three writers alternate.
const BLOCK: usize = 100_000;

struct Region {
    puskesmas: Vec<OrgUnit>,
    posyandu: Vec<OrgUnit>,
    persons: Vec<(PersonId, OrgUnitId)>,
}

fn unit(parent: Option<&OrgUnit>, level: OrgLevel, code: String) -> NewOrgUnit {
    NewOrgUnit {
        id: OrgUnitId::new(),
        parent_id: parent.map(|p| p.id),
        level,
        name: format!("Unit {code}"),
        code,
        region_code: None,
        region_decree: None,
        time_zone: TimeZone::Wib,
    }
}

/// One kabupaten, two puskesmas, six desa, twelve posyandu, 6,000 persons.
async fn region(store: &Store) -> Region {
    let mut tx = store.begin(&Actor::system("bench")).await.unwrap();
    let mut add = async |parent: Option<&OrgUnit>, level, code: String| {
        tx.create_org_unit(&unit(parent, level, code))
            .await
            .unwrap()
            .record
    };
    let prov = add(None, OrgLevel::Province, "35".into()).await;
    let kab = add(Some(&prov), OrgLevel::Regency, "3508".into()).await;
    let kec = add(Some(&kab), OrgLevel::District, "350801".into()).await;
    let mut puskesmas = Vec::new();
    let mut posyandu = Vec::new();
    for p in 0..2 {
        let pkm = add(Some(&kec), OrgLevel::Puskesmas, format!("P{p}")).await;
        for d in 0..3 {
            let desa = add(Some(&pkm), OrgLevel::Village, format!("350801200{p}{d}")).await;
            for y in 0..2 {
                posyandu.push(add(Some(&desa), OrgLevel::Posyandu, format!("PY{y}")).await);
            }
        }
        puskesmas.push(pkm);
    }
    let mut persons = Vec::new();
    for i in 0..PERSONS {
        let at = &posyandu[i % posyandu.len()];
        let new = NewPerson {
            id: PersonId::new(),
            household_id: None,
            org_unit_id: at.id,
            name: format!("Anak {i}"),
            sex: if i % 2 == 0 { Sex::Male } else { Sex::Female },
            birth_date: date!(2021 - 01 - 01),
            birth_date_estimated: false,
            nik: None,
            nik_is_mother: false,
            phone: None,
        };
        tx.create_person(&new).await.unwrap();
        persons.push((new.id, at.id));
    }
    tx.commit().await.unwrap();
    Region {
        puskesmas,
        posyandu,
        persons,
    }
}

/// Monthly weighings and lengths over two years, spread over every person.
fn measurements(r: &Region, n: usize) -> Vec<NewMeasurement> {
    let start = date!(2024 - 01 - 05);
    let now = OffsetDateTime::now_utc();
    (0..n)
        .map(|i| {
            let (person, unit) = r.persons[i % r.persons.len()];
            let round = i / r.persons.len();
            let month = round % 24;
            let kind = if (round / 24).is_multiple_of(2) {
                MeasurementKind::Weight
            } else {
                MeasurementKind::Length
            };
            NewMeasurement {
                id: MeasurementId::new(),
                person_id: person,
                visit_id: None,
                org_unit_id: unit,
                measured_on: add_months(start, month),
                kind,
                value: 8.0 + (i % 50) as f64 / 10.0,
                implausible: false,
                captured_at: now,
            }
        })
        .collect()
}

fn add_months(d: Date, months: usize) -> Date {
    let total = d.year() * 12 + (d.month() as i32 - 1) + months as i32;
    Date::from_calendar_date(
        total / 12,
        time::Month::try_from((total % 12 + 1) as u8).unwrap(),
        d.day(),
    )
    .unwrap()
}

async fn through_store(store: &Store, rows: &[NewMeasurement]) -> Duration {
    let sys = Actor::system("bench");
    let caps: Vec<Capture> = rows.iter().cloned().map(Capture::from).collect();
    let t = Instant::now();
    for chunk in caps.chunks(TX_ROWS) {
        let mut tx = store.begin(&sys).await.unwrap();
        let out = tx.capture_batch(chunk).await.unwrap();
        assert_eq!(out.inserted as usize, chunk.len());
        tx.commit().await.unwrap();
    }
    t.elapsed()
}

const RAW_COLUMNS: &str = "INSERT INTO measurement (id, person_id, visit_id, org_unit_id, org_path, day, \
    kind, value, unit, implausible, captured_at, captured_by, version, seq, created_at, updated_at) ";

/// The same rows with plain multi-row INSERTs: no scope check, no sequence counter, no audit.
async fn raw_multirow(
    pool: &SqlitePool,
    rows: &[NewMeasurement],
    paths: &HashMap<OrgUnitId, String>,
    seq0: i64,
) -> Duration {
    let now = OffsetDateTime::now_utc();
    let t = Instant::now();
    let mut seq = seq0;
    for tx_rows in rows.chunks(TX_ROWS) {
        let mut tx = pool.begin().await.unwrap();
        for chunk in tx_rows.chunks(500) {
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(RAW_COLUMNS);
            qb.push_values(chunk, |mut b, m| {
                seq += 1;
                b.push_bind(m.id.to_string())
                    .push_bind(m.person_id.to_string())
                    .push_bind(None::<String>)
                    .push_bind(m.org_unit_id.to_string())
                    .push_bind(paths[&m.org_unit_id].clone())
                    .push_bind(m.measured_on)
                    .push_bind(m.kind.code())
                    .push_bind(m.value)
                    .push_bind(m.kind.unit().code())
                    .push_bind(m.implausible)
                    .push_bind(m.captured_at)
                    .push_bind("raw")
                    .push_bind(1i64)
                    .push_bind(seq)
                    .push_bind(now)
                    .push_bind(now);
            });
            qb.build().execute(&mut *tx).await.unwrap();
        }
        tx.commit().await.unwrap();
    }
    t.elapsed()
}

/// The same rows with one prepared single-row INSERT each.
async fn raw_per_row(
    pool: &SqlitePool,
    rows: &[NewMeasurement],
    paths: &HashMap<OrgUnitId, String>,
    seq0: i64,
) -> Duration {
    let now = OffsetDateTime::now_utc();
    let sql = "INSERT INTO measurement (id, person_id, visit_id, org_unit_id, org_path, day, kind, value, \
               unit, implausible, captured_at, captured_by, version, seq, created_at, updated_at) \
               VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, 'raw', 1, $11, $12, $12)";
    let t = Instant::now();
    let mut seq = seq0;
    for tx_rows in rows.chunks(TX_ROWS) {
        let mut tx = pool.begin().await.unwrap();
        for m in tx_rows {
            seq += 1;
            sqlx::query(sql)
                .bind(m.id.to_string())
                .bind(m.person_id.to_string())
                .bind(m.org_unit_id.to_string())
                .bind(&paths[&m.org_unit_id])
                .bind(m.measured_on)
                .bind(m.kind.code())
                .bind(m.value)
                .bind(m.kind.unit().code())
                .bind(m.implausible)
                .bind(m.captured_at)
                .bind(seq)
                .bind(now)
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
    }
    t.elapsed()
}

async fn fresh_sqlite(dir: &std::path::Path, name: &str) -> (Store, Region) {
    let store = Store::open_sqlite_file(&dir.join(name)).await.unwrap();
    store.migrate().await.unwrap();
    let r = region(&store).await;
    (store, r)
}

fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// Measurements for `region`'s persons with the ids and values of `rows` (same rows, other db).
fn same_rows_for(r: &Region, rows: &[NewMeasurement], src: &Region) -> Vec<NewMeasurement> {
    let map: HashMap<PersonId, (PersonId, OrgUnitId)> = src
        .persons
        .iter()
        .zip(r.persons.iter())
        .map(|(a, b)| (a.0, *b))
        .collect();
    rows.iter()
        .map(|m| {
            let (p, u) = map[&m.person_id];
            NewMeasurement {
                person_id: p,
                org_unit_id: u,
                ..m.clone()
            }
        })
        .collect()
}

fn paths_of(r: &Region) -> HashMap<OrgUnitId, String> {
    r.posyandu
        .iter()
        .map(|u| (u.id, u.path.as_str().to_owned()))
        .collect()
}

async fn month_query(store: &Store, r: &Region) {
    let sys = Actor::system("bench");
    let pkm = &r.puskesmas[0];
    let (from, to) = (date!(2024 - 01 - 01), date!(2024 - 02 - 01));
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..7 {
        let t = Instant::now();
        let a = store.activity_under(&sys, pkm.id, from, to).await.unwrap();
        times.push(t.elapsed());
        rows = a.measurements.len() + a.visits.len() + a.doses.len() + a.findings.len();
    }
    times.sort();
    println!(
        "month query  {:?}: everything under {} in 2024-01: {rows} rows, median {:.1} ms (min {:.1} ms)",
        store.kind(),
        pkm.name,
        times[3].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes --bench; `cargo test --all-targets` runs this binary without it
    // (or with --list), and must not insert a million rows.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let n: usize = std::env::var("POSYANDU_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    // POSYANDU_BENCH_DIR keeps the database files for inspection (e.g. with sqlite3).
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var("POSYANDU_BENCH_DIR") {
        Ok(d) => {
            std::fs::create_dir_all(&d).unwrap();
            std::path::PathBuf::from(d)
        }
        Err(_) => tmp.path().to_owned(),
    };

    let (store, r) = fresh_sqlite(&dir, "store.sqlite").await;
    let (raw_db, raw_r) = fresh_sqlite(&dir, "raw.sqlite").await;
    let (one_db, one_r) = fresh_sqlite(&dir, "one.sqlite").await;
    let rows = measurements(&r, n);
    let raw_rows = same_rows_for(&raw_r, &rows, &r);
    let one_rows = same_rows_for(&one_r, &rows, &r);
    let (raw_paths, one_paths) = (paths_of(&raw_r), paths_of(&one_r));
    let (raw_pool, one_pool) = (raw_db.sqlite_pool().unwrap(), one_db.sqlite_pool().unwrap());

    // The three writers take turns, block by block (rotating who goes first), so a busy
    // neighbour on a shared machine slows all three alike.
    let (mut d_store, mut d_raw, mut d_one) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    for (b, start) in (0..n).step_by(BLOCK).enumerate() {
        let end = (start + BLOCK).min(n);
        let seq0 = 1_000_000_000 + start as i64;
        for turn in 0..3 {
            match (b + turn) % 3 {
                0 => d_store += through_store(&store, &rows[start..end]).await,
                1 => d_raw += raw_multirow(raw_pool, &raw_rows[start..end], &raw_paths, seq0).await,
                _ => d_one += raw_per_row(one_pool, &one_rows[start..end], &one_paths, seq0).await,
            }
        }
    }
    raw_db.close().await;
    one_db.close().await;

    println!(
        "bulk capture: {n} measurements, {TX_ROWS} per transaction, SQLite file (WAL, \
         synchronous=NORMAL), the three writers alternating every {BLOCK} rows"
    );
    println!(
        "  store (capture_batch: scope, seq, audit) {:>9.0} rows/s  {:>6.2} s",
        rate(n, d_store),
        d_store.as_secs_f64()
    );
    println!(
        "  raw multi-row INSERT (same rows)         {:>9.0} rows/s  {:>6.2} s",
        rate(n, d_raw),
        d_raw.as_secs_f64()
    );
    println!(
        "  raw one INSERT per row (same rows)       {:>9.0} rows/s  {:>6.2} s",
        rate(n, d_one),
        d_one.as_secs_f64()
    );
    println!(
        "  store / raw multi-row = {:.2}, store / raw per-row = {:.2} (target >= 0.50)",
        d_raw.as_secs_f64() / d_store.as_secs_f64(),
        d_one.as_secs_f64() / d_store.as_secs_f64()
    );
    month_query(&store, &r).await;
    store.close().await;

    if let Ok(url) = std::env::var("POSYANDU_BENCH_PG_URL") {
        let pg = Store::connect(&url).await.unwrap();
        pg.migrate().await.unwrap();
        let pr = region(&pg).await;
        let pg_rows = same_rows_for(&pr, &rows, &r);
        let d_pg = through_store(&pg, &pg_rows).await;
        println!(
            "  store on PostgreSQL                      {:>9.0} rows/s  {:>6.2} s",
            rate(n, d_pg),
            d_pg.as_secs_f64()
        );
        month_query(&pg, &pr).await;
        pg.close().await;
    }
}
