//! The LMS method and WHO's rounding, written to reproduce WHO's R code operation by
//! operation, so that results agree to the last bit rather than "within tolerance".
//!
//! Source: WHO Multicentre Growth Reference Study Group, *WHO Child Growth Standards:
//! Methods and development* (2006), chapter 7; anthro 1.1.0 `compute_zscore` and
//! `compute_zscore_adjusted`; R 4.x `round(x, 2)` (`src/nmath/fround.c`).

/// Box-Cox power `l`, median `m` and coefficient of variation `s` at one table key.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lms {
    pub l: f64,
    pub m: f64,
    pub s: f64,
}

impl Lms {
    /// Linear interpolation between two rows, in WHO's operation order
    /// (`low + d * (upp - low)` for each parameter).
    pub(crate) fn lerp(self, upp: Lms, d: f64) -> Lms {
        Lms {
            l: self.l + d * (upp.l - self.l),
            m: self.m + d * (upp.m - self.m),
            s: self.s + d * (upp.s - self.s),
        }
    }

    /// Plain LMS z-score: `((y/M)^L − 1) / (S·L)`. Used for length/height-for-age and head
    /// circumference-for-age, whose distributions are not skewed.
    #[inline]
    pub fn z(self, y: f64) -> f64 {
        // L = 1 (length/height and head circumference tables): x^1 = x and S·1 = S
        // exactly, so skipping `pow` gives the same bits, several times faster.
        if self.l == 1.0 {
            return (y / self.m - 1.0) / self.s;
        }
        ((y / self.m).powf(self.l) - 1.0) / (self.s * self.l)
    }

    /// The measurement at `k` standard deviations: `M·(1 + L·S·k)^(1/L)`.
    pub fn sd(self, k: f64) -> f64 {
        self.m * (1.0 + self.l * self.s * k).powf(1.0 / self.l)
    }

    /// WHO's "restricted application of the LMS method": beyond ±3 SD the scale is linear,
    /// with the distance between the 2 and 3 SD curves on that side as the unit. Used for the
    /// skewed indicators (weight, BMI, arm circumference, skinfolds). The test is on the
    /// unrestricted z; a NaN z stays NaN.
    pub fn z_restricted(self, y: f64) -> f64 {
        let z = self.z(y);
        if z > 3.0 {
            let sd3 = self.sd(3.0);
            3.0 + (y - sd3) / (sd3 - self.sd(2.0))
        } else if z < -3.0 {
            let sd3neg = self.sd(-3.0);
            -3.0 + (y - sd3neg) / (self.sd(-2.0) - sd3neg)
        } else {
            z
        }
    }

    /// Inverse of [`Lms::z_restricted`]: the measurement whose restricted z is `z`.
    pub fn value_at_z_restricted(self, z: f64) -> f64 {
        if z > 3.0 {
            let sd3 = self.sd(3.0);
            sd3 + (z - 3.0) * (sd3 - self.sd(2.0))
        } else if z < -3.0 {
            let sd3neg = self.sd(-3.0);
            sd3neg + (z + 3.0) * (self.sd(-2.0) - sd3neg)
        } else {
            self.sd(z)
        }
    }
}

/// `round(x, 2)` exactly as R ≥ 4.0.0 computes it: of the two 2-decimal candidates around
/// |x|, the closer one in double arithmetic; on an exact tie the one with an even last
/// digit. Plain `(x * 100).round() / 100` differs from R on many values (see the provenance
/// README §3.10). `-0` becomes `0`; NaN and infinities pass through.
pub fn round2(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return if x == 0.0 { 0.0 } else { x };
    }
    let ax = x.abs();
    // R returns x unchanged when it already has more digits than a double can hold:
    // log10(2)·(0.5 + logb|x|) + 2 > DBL_DIG (15), which holds exactly when |x| ≥ 2^43.
    if ax >= BIG {
        return x;
    }
    let x100 = 100.0 * ax;
    let i100 = floor(x100);
    let frac = x100 - i100;
    // Far from halfway (and small enough that x100 carries fractional bits) R's comparison
    // of the two candidates cannot go the other way; near halfway, compare as R does.
    let r = if x100 < SMALL && frac < 0.45 {
        i100 / 100.0
    } else if x100 < SMALL && frac > 0.55 {
        (i100 + 1.0) / 100.0
    } else {
        let xd = i100 / 100.0;
        let xu = ceil(x100) / 100.0;
        let du = xu - ax;
        let dd = ax - xd;
        // i100 < 2^50 here, so the parity test is exact on an integer.
        if du < dd || (du == dd && (i100 as i64) & 1 == 1) {
            xu
        } else {
            xd
        }
    };
    if r == 0.0 {
        0.0
    } else if x < 0.0 {
        -r
    } else {
        r
    }
}

/// `f64::trunc` without a libm call: x86-64's baseline instruction set has no rounding
/// instruction, so `trunc`/`floor`/`ceil` are function calls, and they are on the hot path.
/// Exact: doubles of magnitude ≥ 2^52 are already integers; NaN passes through.
#[inline]
pub(crate) fn trunc(x: f64) -> f64 {
    if x.abs() < 4_503_599_627_370_496.0 {
        x as i64 as f64
    } else {
        x
    }
}

#[inline]
pub(crate) fn floor(x: f64) -> f64 {
    let t = trunc(x);
    if t > x { t - 1.0 } else { t }
}

#[inline]
pub(crate) fn ceil(x: f64) -> f64 {
    let t = trunc(x);
    if t < x { t + 1.0 } else { t }
}

/// |x| from which R's `round(x, 2)` returns x unchanged (2^43).
const BIG: f64 = 8_796_093_022_208.0;
/// Below this (2^40) 100·|x| has an ulp under 2^-12, far finer than the ±0.05 margin of the
/// shortcut in [`round2`].
const SMALL: f64 = 1_099_511_627_776.0;

/// WHO's "round half up" for non-negative day counts (`anthro:::round_up`).
pub fn round_half_up(x: f64) -> f64 {
    let f = floor(x);
    if x - f >= 0.5 { f + 1.0 } else { f }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round2_matches_r_on_known_values() {
        // (input, R's round(x, 2)); ties resolved as R 4 does.
        let cases = [
            (0.125, 0.12),
            (0.135, 0.14),
            (2.675, 2.67),
            (-1.005, -1.0),
            (1.115, 1.11),
            (-0.004, 0.0),
            (-6.004, -6.0),
            (3.2378866825903847, 3.24),
            (-0.017091994612010428, -0.02),
            (0.5, 0.5),
        ];
        for (x, want) in cases {
            assert_eq!(round2(x), want, "round2({x})");
        }
        assert!(round2(f64::INFINITY).is_infinite());
        assert!(round2(f64::NAN).is_nan());
        assert_eq!(round2(-0.0).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn integer_rounding_matches_std() {
        for x in [
            0.0, 0.4, 0.5, 0.99, 1.0, 72.45, 1234.5678, -0.3, -2.0, -7.9, 4.5e15, 1e300,
        ] {
            assert_eq!(trunc(x), x.trunc(), "trunc {x}");
            assert_eq!(floor(x), x.floor(), "floor {x}");
            assert_eq!(ceil(x), x.ceil(), "ceil {x}");
        }
        assert!(trunc(f64::NAN).is_nan());
    }

    /// R's algorithm written out literally (fround.c, R ≥ 4.0.0), without shortcuts.
    fn r_round2_literal(x: f64) -> f64 {
        if !x.is_finite() || x == 0.0 {
            return x;
        }
        let (sgn, ax) = if x < 0.0 { (-1.0, -x) } else { (1.0, x) };
        let logb = f64::from(ax.to_bits().wrapping_shr(52) as u32 & 0x7ff) - 1023.0;
        if 2.0 + (logb + 0.5) * std::f64::consts::LOG10_2 > 15.0 {
            return x;
        }
        let x10 = 100.0 * ax;
        let i10 = x10.floor();
        let (xd, xu) = (i10 / 100.0, x10.ceil() / 100.0);
        let (du, dd) = (xu - ax, ax - xd);
        sgn * if du < dd || (du == dd && i10 % 2.0 == 1.0) {
            xu
        } else {
            xd
        }
    }

    #[test]
    fn round2_equals_r_literal_algorithm_on_many_values() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut checked = 0;
        for _ in 0..300_000 {
            let r = next();
            let k = (r % 2_000_000) as f64 - 1_000_000.0;
            let tiny = ((r >> 32) % 7) as f64 - 3.0;
            for x in [
                k / 1000.0,
                k / 200.0,                    // decimal ties
                k / 200.0 + tiny * 1e-15,     // just off them
                f64::from_bits(r >> 2) % 1e6, // anything
                (k / 1000.0) * 1e9,           // large
                k * 1e-9,                     // tiny
            ] {
                if x.is_finite() {
                    let (a, b) = (round2(x), r_round2_literal(x));
                    assert!(a == b || (a == 0.0 && b == 0.0), "{x:e}: {a} vs {b}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1_000_000);
    }

    #[test]
    fn round_half_up_rounds_halves_up() {
        assert_eq!(round_half_up(10.5), 11.0);
        assert_eq!(round_half_up(10.49), 10.0);
        assert_eq!(round_half_up(0.0), 0.0);
    }

    #[test]
    fn restricted_and_inverse_agree() {
        let lms = Lms {
            l: -0.3521,
            m: 2.441,
            s: 0.09182,
        };
        for z in [-7.0, -3.5, -3.0, -1.0, 0.0, 2.0, 3.0, 4.2, 8.0] {
            let y = lms.value_at_z_restricted(z);
            assert!((lms.z_restricted(y) - z).abs() < 1e-9, "z={z}");
        }
    }
}
