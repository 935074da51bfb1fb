//! Criterion benchmark of the engine alone (no CSV): WHO's 1,061 reference cases, the
//! 2006 and the 2007 rows computed as a batch. Reports time per batch; divide for rows/s.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use growth::{Age, ChildMeasurements, Measure, Sex, YouthMeasurements, who2006, who2007};
use std::hint::black_box;
use std::path::PathBuf;

fn load() -> (Vec<ChildMeasurements>, Vec<YouthMeasurements>) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/who-growth/reference-public.csv");
    let mut rdr = csv::Reader::from_path(path).expect("reference file in ../shared");
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (mut kids, mut youth) = (Vec::new(), Vec::new());
    for r in rdr.records() {
        let r = r.unwrap();
        let num = |n: &str| r[col(n)].parse::<f64>().ok();
        let sex = num("sex").and_then(|c| Sex::from_code(c as u8));
        let oedema = &r[col("oedema")] == "y";
        if &r[col("standard")] == "who2006" {
            kids.push(ChildMeasurements {
                sex,
                age: num("age_days")
                    .map(Age::Days)
                    .or(num("age_months").map(Age::Months)),
                weight_kg: num("weight_kg"),
                lenhei_cm: num("lenhei_cm"),
                measure: match &r[col("measure")] {
                    "l" => Some(Measure::Lying),
                    "h" => Some(Measure::Standing),
                    _ => None,
                },
                headc_cm: num("headc_cm"),
                armc_cm: num("armc_cm"),
                triskin_mm: num("triskin_mm"),
                subskin_mm: num("subskin_mm"),
                oedema,
            });
        } else {
            youth.push(YouthMeasurements {
                sex,
                age_months: num("age_months"),
                weight_kg: num("weight_kg"),
                height_cm: num("lenhei_cm"),
                oedema,
            });
        }
    }
    (kids, youth)
}

fn bench(c: &mut Criterion) {
    let (kids, youth) = load();
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(kids.len() as u64));
    g.bench_function("who2006 reference rows", |b| {
        b.iter(|| {
            kids.iter().for_each(|k| {
                black_box(who2006(black_box(k)));
            })
        })
    });
    g.throughput(Throughput::Elements(youth.len() as u64));
    g.bench_function("who2007 reference rows", |b| {
        b.iter(|| {
            youth.iter().for_each(|y| {
                black_box(who2007(black_box(y)));
            })
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
