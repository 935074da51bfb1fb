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
    // z is the double nearest to k/100, so rounding z·100 recovers k exactly.
    let k = (z * 100.0).round() as i64;
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
    // Fast path: when the shortest round-trip form has at most 15 significant digits it is
    // exactly what %.15g prints (a double is finer than the 15-digit grid).
    let mut rb = ryu::Buffer::new();
    let s = rb.format_finite(x);
    let significant = s
        .bytes()
        .take_while(|&b| b != b'e')
        .filter(u8::is_ascii_digit)
        .skip_while(|&b| b == b'0')
        .count();
    let plain = !s.contains('e') && (1e-4..1e15).contains(&x.abs());
    if plain && significant <= 15 {
        push_decimal(out, s.strip_suffix(".0").unwrap_or(s), decimal_comma);
        return;
    }
    // Slow path: exact rounding to 15 significant digits, then %g's layout.
    let e = format!("{x:.14e}");
    let (mantissa, exp) = e.split_once('e').unwrap_or((&e, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let end = digits.iter().rposition(|&d| d != b'0').map_or(1, |i| i + 1);
    let digits = &digits[..end];
    if negative {
        out.push(b'-');
    }
    let sep = if decimal_comma { b',' } else { b'.' };
    if (-4..15).contains(&exp) {
        if exp < 0 {
            out.extend_from_slice(b"0");
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
        out.extend_from_slice(format!("e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs()).as_bytes());
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
    fn z2_prints_two_decimals_at_most() {
        for (x, want) in [(-0.82, "-0.82"), (3.2, "3.2"), (0.0, "0"), (-6.0, "-6"), (0.05, "0.05"), (-0.07, "-0.07")] {
            assert_eq!(z2(x), want);
        }
        let mut v = Vec::new();
        push_z2(&mut v, -1.5, true);
        assert_eq!(v, b"-1,5");
    }
}
