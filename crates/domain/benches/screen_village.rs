//! Screening a whole village: 6,000 people across every life-cycle group, the balita with
//! two years of monthly weighings and their immunization doses. Target: under 50 ms.
//!
//! Two figures: the pure rules engine on typed visits (what the web app calls after its own
//! parsing) and the full JSON Lines contract (`screen_line`, what `posyandu screen` does
//! per line, parsing and serialising included).

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;
use time::{Date, Duration, macros::date};

use domain::screen::{parse_line, parse_line_fast, screen_line};
use domain::{Settings, Visit, screen};

/// A small deterministic generator (64-bit LCG) so the village is the same every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }

    fn chance(&mut self, p: f64) -> bool {
        self.next() < p
    }
}

const VISIT: Date = date!(2026 - 11 - 14);

/// Median-ish weight (kg) for a balita of `months`, plus noise.
fn child_weight(months: f64, r: &mut Lcg) -> f64 {
    let base = if months < 12.0 {
        3.3 + 0.55 * months
    } else {
        9.9 + 0.2 * (months - 12.0)
    };
    (base * r.range(0.85, 1.12) * 10.0).round() / 10.0
}

fn child_length(months: f64, r: &mut Lcg) -> f64 {
    let base = if months < 12.0 {
        50.0 + 2.1 * months
    } else {
        75.0 + 0.85 * (months - 12.0)
    };
    (base * r.range(0.94, 1.04) * 10.0).round() / 10.0
}

fn date_str(d: Date) -> String {
    d.to_string()
}

fn balita(i: usize, r: &mut Lcg) -> Value {
    let age_days = r.range(20.0, 1820.0) as i64;
    let birth = VISIT - Duration::days(age_days);
    let months = age_days as f64 / 30.4375;
    // Two years of monthly weighings (as many as the child has lived).
    let weighings: Vec<Value> = (1..=24)
        .filter_map(|k| {
            let d = VISIT - Duration::days(30 * k);
            (d > birth).then(|| {
                let m = (d - birth).whole_days() as f64 / 30.4375;
                json!({"date": date_str(d), "weight_kg": child_weight(m, r)})
            })
        })
        .collect();
    let schedule = [
        ("HB0", 0),
        ("BCG", 10),
        ("OPV1", 10),
        ("DPT_HB_HIB1", 62),
        ("OPV2", 62),
        ("PCV1", 62),
        ("RV1", 62),
        ("DPT_HB_HIB2", 92),
        ("OPV3", 92),
        ("PCV2", 92),
        ("RV2", 92),
        ("DPT_HB_HIB3", 122),
        ("OPV4", 122),
        ("RV3", 122),
        ("IPV1", 122),
        ("MR1", 275),
        ("IPV2", 275),
        ("PCV3", 370),
        ("DPT_HB_HIB4", 550),
        ("MR2", 550),
    ];
    let doses: Vec<Value> = schedule
        .iter()
        .filter(|(_, d)| *d <= age_days && r.chance(0.9))
        .map(|(v, d)| json!({"vaccine": v, "date": date_str(birth + Duration::days(*d))}))
        .collect();
    json!({
        "id": format!("b-{i}"),
        "sex": if r.chance(0.5) { "M" } else { "F" },
        "birth_date": date_str(birth),
        "visit_date": date_str(VISIT),
        "measurements": {
            "weight_kg": child_weight(months, r),
            "lenhei_cm": child_length(months, r),
            "measure": if months < 24.0 { "l" } else { "h" },
            "head_cm": (r.range(40.0, 50.0) * 10.0).round() / 10.0,
            "muac_cm": (r.range(11.0, 17.0) * 10.0).round() / 10.0,
            "hb": (r.range(9.0, 13.0) * 10.0).round() / 10.0,
        },
        "previous_weighings": weighings,
        "immunizations": doses,
        "questionnaires": {"tb_symptoms": {"cough_2w": r.chance(0.03)}},
    })
}

fn older(i: usize, r: &mut Lcg) -> Value {
    // 5–85 years, more adults than children, some lansia.
    let years = match i % 10 {
        0..=2 => r.range(5.0, 19.0),
        3..=7 => r.range(19.0, 60.0),
        _ => r.range(60.0, 85.0),
    };
    let birth = VISIT - Duration::days((years * 365.25) as i64);
    let female = r.chance(0.5);
    let height = r.range(145.0, 175.0);
    let bmi = r.range(16.0, 34.0);
    let systolic = r.range(100.0, 185.0).round();
    let mut person = json!({
        "id": format!("p-{i}"),
        "sex": if female { "F" } else { "M" },
        "birth_date": date_str(birth),
        "visit_date": date_str(VISIT),
        "measurements": {
            "weight_kg": (bmi * (height / 100.0).powi(2) * 10.0).round() / 10.0,
            "lenhei_cm": (height * 10.0).round() / 10.0,
            "waist_cm": r.range(60.0, 110.0).round(),
            "systolic": systolic,
            "diastolic": (systolic * r.range(0.55, 0.7)).round(),
            "glucose_random": r.range(80.0, 260.0).round(),
            "cholesterol": r.range(150.0, 280.0).round(),
            "hb": (r.range(9.5, 15.5) * 10.0).round() / 10.0,
            "muac_cm": (r.range(19.0, 32.0) * 10.0).round() / 10.0,
        },
        "questionnaires": {
            "srq20": (0..20).map(|_| r.chance(0.15)).collect::<Vec<_>>(),
            "tb_symptoms": {"cough": r.chance(0.05), "night_sweats": r.chance(0.02)},
            "vision_fingers_wrong": (r.range(0.0, 2.6)) as u8,
        },
    });
    if years >= 40.0 {
        person["questionnaires"]["puma"] = json!({
            "pack_years": r.range(0.0, 40.0).round(),
            "breathless": r.chance(0.2), "phlegm": r.chance(0.2),
            "cough": r.chance(0.2), "spirometry": false,
        });
    }
    if years >= 60.0 {
        person["questionnaires"]["barthel"] = json!(r.range(8.0, 20.99) as u8);
        person["questionnaires"]["skilas"] = json!({
            "cognitive": r.chance(0.1), "mobility": r.chance(0.1), "hearing": r.chance(0.1),
        });
    }
    if female && (16.0..45.0).contains(&years) {
        if r.chance(0.08) {
            person["pregnancy"] = json!({
                "gestational_weeks": r.range(6.0, 40.0).round(),
                "anc_visits": r.range(0.0, 6.0) as u8,
                "kspr_factors": if r.chance(0.3) { json!(["anemia"]) } else { json!([]) },
            });
        } else if r.chance(0.04) {
            person["postpartum_days"] = json!(r.range(0.0, 42.0) as u8);
        }
    }
    person
}

/// 6,000 people: 1,500 balita with full histories and 4,500 older residents
/// (`balita_every` = 4), or 6,000 balita (`balita_every` = 1, the worst case).
fn village(balita_every: usize) -> Vec<String> {
    let mut r = Lcg(0x5eed_2026);
    (0..6000)
        .map(|i| {
            let v = if i % balita_every == 0 {
                balita(i, &mut r)
            } else {
                older(i, &mut r)
            };
            v.to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let lines = village(4);
    let settings = Settings::default();
    let visits: Vec<Visit> = lines
        .iter()
        .filter_map(|l| parse_line(l).ok().and_then(|p| p.visit))
        .collect();
    assert_eq!(visits.len(), 6000, "every synthetic line must parse");
    let findings: usize = visits
        .iter()
        .filter_map(|v| screen(v, &settings))
        .map(|s| s.findings.len())
        .sum();
    let fast = lines
        .iter()
        .filter(|l| parse_line_fast(l).is_some())
        .count();
    eprintln!(
        "village: {} people, {} bytes of JSON Lines, {findings} findings, {fast} lines on the fast path",
        lines.len(),
        lines.iter().map(String::len).sum::<usize>()
    );

    let mut g = c.benchmark_group("village_6000");
    g.sample_size(20);
    g.bench_function("rules_engine_typed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for v in &visits {
                if let Some(s) = screen(black_box(v), &settings) {
                    n += s.findings.len();
                }
            }
            black_box(n)
        })
    });
    g.bench_function("json_lines_contract", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for l in &lines {
                bytes += screen_line(black_box(l), &settings).len();
            }
            black_box(bytes)
        })
    });
    // Worst case: every one of the 6,000 is a balita with two years of history.
    let all_balita = village(1);
    let all_visits: Vec<Visit> = all_balita
        .iter()
        .filter_map(|l| parse_line(l).ok().and_then(|p| p.visit))
        .collect();
    assert_eq!(all_visits.len(), 6000);
    g.bench_function("all_balita_rules_engine_typed", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for v in &all_visits {
                if let Some(s) = screen(black_box(v), &settings) {
                    n += s.findings.len();
                }
            }
            black_box(n)
        })
    });
    g.bench_function("all_balita_json_lines_contract", |b| {
        b.iter(|| {
            let mut bytes = 0usize;
            for l in &all_balita {
                bytes += screen_line(black_box(l), &settings).len();
            }
            black_box(bytes)
        })
    });
    // For reading the figures: how much of the contract is plain JSON parsing.
    g.bench_function("json_parse_only", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for l in &lines {
                if let Ok(Value::Object(o)) = serde_json::from_str::<Value>(black_box(l)) {
                    n += o.len();
                }
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
