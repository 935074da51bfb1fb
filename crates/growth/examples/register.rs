//! Writes a synthetic posyandu register (CSV on stdout) for benchmarks: balita 0–59 months
//! with sex (L/P), age in days, weight and length/height to 0.1, position, and LiLA for
//! some, drawn around Indonesian z-score levels (length-for-age mean −0.9, weight-for-
//! length mean −0.3). Deterministic: the same row count gives the same file.
//!
//! `cargo run --release -p growth --example register -- 1000000 > register.csv`
use growth::{Indicator, Sex, value_at_z};
use std::io::{BufWriter, Write};

/// A small deterministic generator (SplitMix64), so that the file is the same on every
/// machine without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Approximately normal: the sum of four uniforms, rescaled.
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let s: f64 = (0..4).map(|_| self.unit()).sum::<f64>() - 2.0;
        mean + sd * s * 3f64.sqrt()
    }
}

fn main() -> std::io::Result<()> {
    let rows: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut rng = Rng(2024);
    let mut out = BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "no,nik_anak,sex,age_days,weight_kg,lenhei_cm,measure,armc_cm,oedema"
    )?;
    for i in 0..rows {
        let sex = if rng.next().is_multiple_of(2) {
            Sex::Male
        } else {
            Sex::Female
        };
        let day = (rng.next() % 1827) as f64;
        let standing = (day >= 731.0) != rng.next().is_multiple_of(30);
        let zl = rng.normal(-0.9, 1.2);
        let len = value_at_z(Indicator::LengthHeightForAge, sex, day, zl).unwrap_or(80.0);
        let table = if day < 731.0 {
            Indicator::WeightForLength
        } else {
            Indicator::WeightForHeight
        };
        let (lo, hi) = if day < 731.0 {
            (45.0, 110.0)
        } else {
            (65.0, 120.0)
        };
        let zw = rng.normal(-0.3, 1.1);
        let weight = value_at_z(table, sex, len.clamp(lo, hi), zw).unwrap_or(10.0);
        let armc = (day >= 180.0 && rng.next().is_multiple_of(3))
            .then(|| {
                value_at_z(
                    Indicator::ArmCircumferenceForAge,
                    sex,
                    day,
                    rng.normal(-0.2, 1.0),
                )
            })
            .flatten();
        writeln!(
            out,
            "{},3508{:012},{},{},{:.1},{:.1},{},{},n",
            i + 1,
            rng.next() % 1_000_000_000_000,
            if sex == Sex::Male { "L" } else { "P" },
            day,
            weight,
            len,
            if standing { "h" } else { "l" },
            armc.map(|a| format!("{a:.1}")).unwrap_or_default(),
        )?;
    }
    out.flush()
}
