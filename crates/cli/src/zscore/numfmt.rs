//! Number formatting for the z-score CSV: fast paths for the common cases, because a
//! district register of a million rows writes tens of millions of numbers.

/// Appends a z already rounded to 2 decimals (as [`growth::round2`] returns it) in its
/// shortest decimal form: `-0.82`, `3.2`, `0`. Infinite z (BMI from a zero length) is
/// written `Inf`/`-Inf`, as WHO's R writes it.
pub fn push_z2(out: &mut Vec<u8>, z: f64, decimal_comma: bool) {
    if !z.is_finite() || z.abs() >= 1e13 {
        push_g15(out, z, decimal_comma);
        return;
    }
    // z is the double nearest to k/100, so z·100 lies within 1e-9 of k: adding ½ and
    // truncating recovers k (and avoids a libm call).
    let k = (z * 100.0 + if z < 0.0 { -0.5 } else { 0.5 }) as i64;
    if k < 0 {
        out.push(b'-');
    }
    let k = k.unsigned_abs();
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(k / 100).as_bytes());
    let frac = k % 100;
    if frac != 0 {
        out.push(if decimal_comma { b',' } else { b'.' });
        out.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            out.push(b'0' + (frac % 10) as u8);
        }
    }
}

/// Appends `x` with 15 significant digits, like C's `%.15g` (how R writes `clenhei` and
/// `cbmi`): `72.5`, not `72.49999999999999`. NaN is written as an empty cell.
pub fn push_g15(out: &mut Vec<u8>, x: f64, decimal_comma: bool) {
    if x.is_nan() {
        return;
    }
    if x.is_infinite() {
        out.extend_from_slice(if x > 0.0 { b"Inf" } else { b"-Inf" });
        return;
    }
    if x == 0.0 {
        out.push(b'0');
        return;
    }
    if x < 0.0 {
        out.push(b'-');
    }
    let sep = if decimal_comma { b',' } else { b'.' };
    let mut rb = ryu::Buffer::new();
    if !push_fixed_15(out, x.abs(), rb.format_finite(x.abs()).as_bytes(), sep) {
        let (digits, len, exp) = significant_digits_15(x.abs());
        layout_g(out, &digits[..len], exp, sep);
    }
}

/// The common case of [`push_g15`], straight from ryu's text `s` of `x` (`ddd.ddd`: no
/// exponent, 1 to 14 integer digits): copies it when it has at most 15 significant digits,
/// or rounds it to 15 when the digits beyond are clearly not near halfway. ryu's digits
/// differ from the exact binary value by less than half an ulp, so rounding them gives the
/// exact answer unless the tail lies within half an ulp of the halfway point. Returns
/// false, writing nothing, when the general path is needed.
fn push_fixed_15(out: &mut Vec<u8>, x: f64, s: &[u8], sep: u8) -> bool {
    let Some(point) = s.iter().position(|&b| b == b'.') else { return false };
    if s.contains(&b'e') || point > 14 || s[0] == b'0' {
        return false; // Exponent form, ≥ 1e14, or below 1: the general path.
    }
    let significant = s.len() - 1;
    let start = out.len();
    if significant <= 15 {
        out.extend_from_slice(s);
    } else {
        // Position (in s) of the 15th significant digit and the two digits after it.
        let last = 15; // 15 digits plus the point, which comes before it (point ≤ 14).
        let digit = |i: usize| s.get(i).map_or(0, |&b| i32::from(b - b'0'));
        let tail = digit(last + 1) * 10 + digit(last + 2);
        // Half an ulp of x in units of the 17th significant digit (10^(e10 − 16)).
        let e10 = point as i32 - 1;
        let binary_exp = ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023;
        let half_ulp = f64::from_bits(((binary_exp - 53 + 1023) as u64) << 52);
        let window = half_ulp / 10f64.powi(e10 - 16);
        if f64::from((tail - 50).abs()) <= window + 1.0 {
            return false;
        }
        out.extend_from_slice(&s[..=last]);
        if tail > 50 {
            let mut i = out.len();
            loop {
                if i == start {
                    out.insert(start, b'1');
                    break;
                }
                i -= 1;
                match out[i] {
                    b'.' => {}
                    b'9' => out[i] = b'0',
                    _ => {
                        out[i] += 1;
                        break;
                    }
                }
            }
        }
    }
    // Trailing zeros of the fraction, then a bare point.
    while out.last() == Some(&b'0') && out[start..].contains(&b'.') {
        out.pop();
    }
    if out.last() == Some(&b'.') {
        out.pop();
    }
    if sep != b'.' {
        if let Some(p) = out[start..].iter().position(|&b| b == b'.') {
            out[start + p] = sep;
        }
    }
    true
}

/// The decimal digits of `x` (> 0) rounded to 15 significant digits, trailing zeros
/// removed, and the decimal exponent of the first digit.
///
/// The shortest round-trip digits (ryu) are rounded when that is provably the same as
/// rounding the exact binary value: they differ from it by less than half an ulp, i.e. by
/// less than 12 units of the 17th digit, so only tails within 12 units of the halfway
/// point need the exact (slower) conversion.
fn significant_digits_15(x: f64) -> ([u8; 17], usize, i32) {
    let mut rb = ryu::Buffer::new();
    let (mut digits, mut len, mut exp) = split_decimal(rb.format_finite(x).as_bytes());
    if len > 15 {
        let tail = i32::from(digits[15] - b'0') * 10
            + if len > 16 { i32::from(digits[16] - b'0') } else { 0 };
        if (38..=62).contains(&tail) {
            let mut buf = [0u8; 40];
            let mut cursor = &mut buf[..];
            let written = std::io::Write::write_fmt(&mut cursor, format_args!("{x:.14e}"));
            let n = 40 - cursor.len();
            if written.is_ok() {
                (digits, len, exp) = split_decimal(&buf[..n]);
            }
        } else {
            len = 15;
            if tail > 50 {
                // Round up, carrying through nines.
                let mut i = 15;
                loop {
                    if i == 0 {
                        digits[0] = b'1';
                        len = 1;
                        exp += 1;
                        break;
                    }
                    i -= 1;
                    if digits[i] == b'9' {
                        digits[i] = b'0';
                    } else {
                        digits[i] += 1;
                        break;
                    }
                }
            }
        }
    }
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    (digits, len, exp)
}

/// Splits a positive decimal (`123.45`, `0.0012`, `1.5e-7`, `1e20`, `7.25000000000000e1`)
/// into its significant digits (at most 17) and the exponent of the first one.
fn split_decimal(s: &[u8]) -> ([u8; 17], usize, i32) {
    let (mantissa, exp_part) = match s.iter().position(|&b| b == b'e' || b == b'E') {
        Some(i) => (&s[..i], std::str::from_utf8(&s[i + 1..]).ok().and_then(|e| e.parse().ok())),
        None => (s, Some(0)),
    };
    let mut digits = [b'0'; 17];
    let (mut len, mut point, mut leading) = (0usize, None, 0i32);
    for (i, &b) in mantissa.iter().enumerate() {
        match b {
            b'.' => point = Some(i),
            b'0' if len == 0 => {
                if point.is_some() {
                    leading += 1;
                }
            }
            b'0'..=b'9' => {
                if len < 17 {
                    digits[len] = b;
                }
                len += 1;
            }
            _ => {}
        }
    }
    // Digits before the point (leading zeros excluded) fix the exponent.
    let int_digits = match point {
        Some(p) => mantissa[..p].iter().filter(|b| b.is_ascii_digit()).count() as i32
            - mantissa[..p].iter().take_while(|&&b| b == b'0').count() as i32,
        None => mantissa.iter().filter(|b| b.is_ascii_digit()).count() as i32
            - mantissa.iter().take_while(|&&b| b == b'0').count() as i32,
    };
    let exp = if int_digits > 0 { int_digits - 1 } else { -leading - 1 };
    (digits, len.min(17), exp + exp_part.unwrap_or(0))
}

/// `%g` layout: fixed notation for exponents −4 to 14, otherwise `d.ddde+XX`.
fn layout_g(out: &mut Vec<u8>, digits: &[u8], exp: i32, sep: u8) {
    if (-4..15).contains(&exp) {
        if exp < 0 {
            out.push(b'0');
            out.push(sep);
            out.extend(std::iter::repeat_n(b'0', (-exp - 1) as usize));
            out.extend_from_slice(digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.extend_from_slice(digits);
                out.extend(std::iter::repeat_n(b'0', int_len - digits.len()));
            } else {
                out.extend_from_slice(&digits[..int_len]);
                out.push(sep);
                out.extend_from_slice(&digits[int_len..]);
            }
        }
    } else {
        out.push(digits[0]);
        if digits.len() > 1 {
            out.push(sep);
            out.extend_from_slice(&digits[1..]);
        }
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(itoa::Buffer::new().format(e).as_bytes());
    }
}

/// Appends the shortest text that reads back as exactly `x` (for the `--raw` columns).
pub fn push_exact(out: &mut Vec<u8>, x: f64, decimal_comma: bool) {
    if !x.is_finite() {
        push_g15(out, x, decimal_comma);
        return;
    }
    let mut rb = ryu::Buffer::new();
    let s = rb.format_finite(x);
    push_decimal(out, s.strip_suffix(".0").unwrap_or(s), decimal_comma);
}

fn push_decimal(out: &mut Vec<u8>, s: &str, decimal_comma: bool) {
    if decimal_comma {
        out.extend(s.bytes().map(|b| if b == b'.' { b',' } else { b }));
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g15(x: f64) -> String {
        let mut v = Vec::new();
        push_g15(&mut v, x, false);
        String::from_utf8(v).unwrap_or_default()
    }

    fn z2(x: f64) -> String {
        let mut v = Vec::new();
        push_z2(&mut v, x, false);
        String::from_utf8(v).unwrap_or_default()
    }

    #[test]
    fn g15_prints_like_c_printf() {
        // Expected strings are what C's printf("%.15g") prints.
        let cases = [
            (71.8 + 0.7, "72.5"),
            (17.651942489583416, "17.6519424895834"),
            (0.1 + 0.2, "0.3"),
            (100.0, "100"),
            (1e20, "1e+20"),
            (1.5e-7, "1.5e-07"),
            (-3.25, "-3.25"),
            (0.00012345, "0.00012345"),
            (123456789012345.6, "123456789012346"),
            (f64::INFINITY, "Inf"),
        ];
        for (x, want) in cases {
            assert_eq!(g15(x), want, "{x:e}");
        }
    }

    #[test]
    fn g15_agrees_with_exact_rounding_on_many_values() {
        // Against the exact conversion (Rust's `{:.14e}` is exact) on values of every
        // magnitude, including many with 16-17 significant digits and halfway tails.
        let mut x = 1.0e-5_f64;
        let mut checked = 0;
        while x < 1e17 {
            for v in [x, x * 1.000000000000005, x + 0.7, x / 3.0, 1.0 / x] {
                let exact = format!("{v:.14e}");
                let (mantissa, e) = exact.split_once('e').unwrap_or((&exact, "0"));
                let want: f64 = format!("{mantissa}e{e}").parse().unwrap_or(f64::NAN);
                let got: f64 = g15(v).parse().unwrap_or(f64::NAN);
                assert_eq!(got, want, "{v:e}: {} vs {exact}", g15(v));
                checked += 1;
            }
            x *= 1.0137;
        }
        assert!(checked > 10_000);
    }

    #[test]
    fn z2_prints_two_decimals_at_most() {
        for (x, want) in [
            (-0.82, "-0.82"),
            (3.2, "3.2"),
            (0.0, "0"),
            (-6.0, "-6"),
            (0.05, "0.05"),
            (-0.07, "-0.07"),
        ] {
            assert_eq!(z2(x), want);
        }
        let mut v = Vec::new();
        push_z2(&mut v, -1.5, true);
        assert_eq!(v, b"-1,5");
    }
}
