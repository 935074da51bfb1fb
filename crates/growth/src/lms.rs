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
    // R returns x unchanged when it already has more digits than a double can hold
    // (log10 estimate from the binary exponent, DBL_DIG = 15).
    let l10x = std::f64::consts::LOG10_2 * (0.5 + logb(ax));
    if l10x + 2.0 > 15.0 {
        return x;
    }
    let x100 = 100.0 * ax;
    let i100 = floor(x100);
    let xd = i100 / 100.0;
    let xu = ceil(x100) / 100.0;
    let du = xu - ax;
    let dd = ax - xd;
    // i100 < 1e14 here (guard above), so the parity test is exact on an integer.
    let r = if du < dd || (du == dd && (i100 as i64) & 1 == 1) {
        xu
    } else {
        xd
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

/// C's `logb` for positive finite x: the unbiased binary exponent.
fn logb(x: f64) -> f64 {
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    if exp == 0 {
        // Subnormal: exponent of the leading bit.
        let mant = bits & ((1u64 << 52) - 1);
        (-1011 - i64::from(mant.leading_zeros())) as f64
    } else {
        (exp - 1023) as f64
    }
}

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
