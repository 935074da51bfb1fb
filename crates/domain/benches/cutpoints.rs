//! Cut-points for one child, as a page load of the measuring step computes them: a
//! balita with a weighing history and a previous length. Target: well under 10 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use time::{Duration, macros::date};

use domain::cutpoints::{CutInput, LengthMeasurement, cutpoints};
use domain::{Position, Settings, Sex, Weighing};

fn bench(c: &mut Criterion) {
    let s = Settings::default();
    let birth = date!(2024 - 03 - 05);
    for (sex, days) in [(Sex::Female, 100i64), (Sex::Male, 400), (Sex::Female, 1500)] {
        let visit = birth + Duration::days(days);
        let history = [
            Weighing {
                date: visit - Duration::days(30),
                weight_kg: 8.1,
            },
            Weighing {
                date: visit - Duration::days(61),
                weight_kg: 7.9,
            },
        ];
        let input = CutInput {
            sex,
            birth_date: birth,
            visit_date: visit,
            previous_weighings: Some(&history),
            previous_length: Some(LengthMeasurement {
                date: visit - Duration::days(30),
                mm: 700,
                position: Position::Lying,
            }),
            settings: &s,
        };
        c.bench_function(&format!("cutpoints/day {days}"), |b| {
            b.iter(|| cutpoints(black_box(&input)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
