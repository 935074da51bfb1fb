//! Seeded randomness with a portable, documented algorithm.
//!
//! `rand::rngs::StdRng` is explicitly *non-portable* (its algorithm may change between rand
//! versions), so the demo uses the named generator `ChaCha12Rng` (re-exported by rand 0.10
//! from the `chacha20` crate), whose output stream is fixed by the ChaCha specification.
//! All sampling (uniform, ranges, normal) is done here from raw `next_u64` words instead of
//! rand's distribution code, so the same seed gives byte-identical data on every platform and
//! every rand 0.10.x release.

use rand::Rng;
use rand::SeedableRng;
use rand::rngs::ChaCha12Rng;

/// A deterministic random source; one independent stream per household/unit.
pub struct DemoRng {
    inner: ChaCha12Rng,
}

impl DemoRng {
    /// Stream `stream` of the generator keyed by `seed`. Different streams never overlap, so a
    /// household's data depends only on (seed, household number), not on generation order.
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut key = [0u8; 32];
        key[..8].copy_from_slice(&seed.to_le_bytes());
        key[8..16].copy_from_slice(b"posyandu");
        let mut inner = ChaCha12Rng::from_seed(key);
        inner.set_stream(stream);
        Self { inner }
    }

    /// A uniform `u64`.
    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in `lo..=hi` (Lemire's multiply-shift; bias < 2^-32 for our ranges).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        let r = ((self.next_u64() as u128 * span as u128) >> 64) as u64;
        lo + r as i64
    }

    /// Uniform real in [lo, hi).
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Normal(mean, sd), approximated by the sum of twelve uniforms minus six (Irwin–Hall:
    /// mean 0, variance 1, tails cut at ±6). Only additions: unlike Box–Muller it needs no
    /// `ln`/`cos`, whose last bit may differ between platforms' maths libraries.
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let sum: f64 = (0..12).map(|_| self.unit()).sum();
        mean + sd * (sum - 6.0)
    }

    /// Normal(mean, sd) clamped to [lo, hi].
    pub fn normal_clamped(&mut self, mean: f64, sd: f64, lo: f64, hi: f64) -> f64 {
        self.normal(mean, sd).clamp(lo, hi)
    }

    /// One element of a non-empty slice (the first one if empty is impossible by contract).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.range(0, items.len().saturating_sub(1) as i64) as usize;
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// An index chosen with the given relative weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_and_stream_give_the_same_words() {
        let mut a = DemoRng::new(42, 7);
        let mut b = DemoRng::new(42, 7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn streams_differ() {
        let mut a = DemoRng::new(42, 1);
        let mut b = DemoRng::new(42, 2);
        assert_ne!(a.next_u64(), b.next_u64());
    }

    #[test]
    fn known_first_word_pins_the_algorithm() {
        // Pins ChaCha12 + our key layout: if rand ever swapped the algorithm behind the name,
        // or the key derivation changed, this fails and the demo's checksums would change too.
        let first = DemoRng::new(2026, 0).next_u64();
        let again = DemoRng::new(2026, 0).next_u64();
        assert_eq!(first, again);
        assert_eq!(first, PINNED_FIRST_WORD);
    }
    const PINNED_FIRST_WORD: u64 = 12_522_354_495_589_390_772;

    #[test]
    fn range_stays_inside_bounds_and_hits_both_ends() {
        let mut r = DemoRng::new(1, 1);
        let (mut lo, mut hi) = (false, false);
        for _ in 0..2000 {
            let v = r.range(3, 6);
            assert!((3..=6).contains(&v));
            lo |= v == 3;
            hi |= v == 6;
        }
        assert!(lo && hi);
    }

    #[test]
    fn normal_has_the_asked_mean_and_sd() {
        let mut r = DemoRng::new(9, 9);
        let n = 20_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal(10.0, 2.0)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n as f64;
        assert!((mean - 10.0).abs() < 0.05, "mean {mean}");
        assert!((var.sqrt() - 2.0).abs() < 0.05, "sd {}", var.sqrt());
    }
}
