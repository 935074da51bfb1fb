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
    if !decimal_comma && (-Z_TABLE_MAX..=Z_TABLE_MAX).contains(&k) {
        // Nearly every z: one fixed-size copy of its ready-made text.
        let (text, len) = Z_TEXT[(k + Z_TABLE_MAX) as usize];
        out.extend_from_slice(&text);
        out.truncate(out.len() - (text.len() - usize::from(len)));
        return;
    }
    push_hundredths(out, k, decimal_comma);
}

/// z-scores from −10.00 to 10.00 (in hundredths) have their text in [`Z_TEXT`].
const Z_TABLE_MAX: i64 = 1000;

/// The text of every z in hundredths from −[`Z_TABLE_MAX`] to [`Z_TABLE_MAX`] (`-10`,
/// `-9.99`, …, `0`, …, `10`), made once: bytes padded to 6, and the length.
static Z_TEXT: std::sync::LazyLock<Vec<([u8; 6], u8)>> = std::sync::LazyLock::new(|| {
    (-Z_TABLE_MAX..=Z_TABLE_MAX)
        .map(|k| {
            let mut v = Vec::with_capacity(6);
            push_hundredths(&mut v, k, false);
            let mut text = [0u8; 6];
            text[..v.len()].copy_from_slice(&v);
            (text, v.len() as u8)
        })
        .collect()
});

/// Appends k/100 in its shortest decimal form (`-82` → `-0.82`, `320` → `3.2`).
fn push_hundredths(out: &mut Vec<u8>, k: i64, decimal_comma: bool) {
    let mut buf = [0u8; 24];
    let mut n = 0;
    if k < 0 {
        buf[0] = b'-';
        n = 1;
    }
    let k = k.unsigned_abs();
    let int = k / 100;
    if int < 10 {
        // |z| < 10, nearly every z: no general integer formatting.
        buf[n] = b'0' + int as u8;
        n += 1;
    } else {
        let mut ib = itoa::Buffer::new();
        let digits = ib.format(int).as_bytes();
        buf[n..n + digits.len()].copy_from_slice(digits);
        n += digits.len();
    }
    let frac = k % 100;
    if frac != 0 {
        buf[n] = if decimal_comma { b',' } else { b'.' };
        buf[n + 1] = b'0' + (frac / 10) as u8;
        n += 2;
        if !frac.is_multiple_of(10) {
            buf[n] = b'0' + (frac % 10) as u8;
            n += 1;
        }
    }
    out.extend_from_slice(&buf[..n]);
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
    let x = x.abs();
    if !push_g15_exact_integer(out, x, sep) {
        // Outside 1 ≤ x < 1e14 (rare here): Rust's exact conversion, then %g's layout.
        let mut buf = [0u8; 40];
        let mut cursor = &mut buf[..];
        if std::io::Write::write_fmt(&mut cursor, format_args!("{x:.14e}")).is_ok() {
            let n = 40 - cursor.len();
            let (digits, exp) = split_scientific(&buf[..n]);
            let mut len = digits.len();
            while len > 1 && digits[len - 1] == b'0' {
                len -= 1;
            }
            layout_g(out, &digits[..len], exp, sep);
        }
    }
}

/// Powers of ten as integers, for exact decimal rounding.
const POW10_U128: [u128; 16] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
];

/// `%.15g` for 1 ≤ x < 1e14 in exact integer arithmetic: x = m·2^e exactly, so the 15
/// significant digits are `round(m · 10^(15−k) / 2^−e)` with k integer digits, rounded
/// half to even as printf does. About ten times cheaper than a general float-to-decimal
/// conversion, and exact. Returns false, writing nothing, outside that range.
fn push_g15_exact_integer(out: &mut Vec<u8>, x: f64, sep: u8) -> bool {
    if !(1.0..1e14).contains(&x) {
        return false;
    }
    let bits = x.to_bits();
    let mantissa = u128::from((bits & ((1u64 << 52) - 1)) | (1u64 << 52));
    // x = mantissa · 2^−shift with 6 ≤ shift ≤ 52 for 1 ≤ x < 1e14.
    let shift = 1075 - ((bits >> 52) & 0x7ff) as u32;
    let int_part = x as u64;
    let mut k = POW10_U128
        .iter()
        .position(|&p| p > u128::from(int_part))
        .unwrap_or(15);
    let product = mantissa * POW10_U128[15 - k];
    // n < 10^15 fits a u64, whose division by 10 is a multiplication (u128's is a call).
    let mut n = (product >> shift) as u64;
    let rem = product & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rem > half || (rem == half && n & 1 == 1) {
        n += 1;
    }
    if n == 1_000_000_000_000_000 {
        // Rounded up to the next power of ten: one more integer digit.
        n = 100_000_000_000_000;
        k += 1;
        if k > 14 {
            return false;
        }
    }
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(n).as_bytes(); // 15 digits: n ≥ 10^14
    let mut end = digits.len();
    while end > k && digits[end - 1] == b'0' {
        end -= 1;
    }
    out.extend_from_slice(&digits[..k]);
    if end > k {
        out.push(sep);
        out.extend_from_slice(&digits[k..end]);
    }
    true
}

/// Splits Rust's `{:.14e}` text of a positive number (`7.25000000000000e1`) into its 15
/// significant digits and the decimal exponent of the first one.
fn split_scientific(s: &[u8]) -> ([u8; 15], i32) {
    let mut digits = [b'0'; 15];
    let (mantissa, exp) = match s.iter().position(|&b| b == b'e') {
        Some(i) => (
            &s[..i],
            std::str::from_utf8(&s[i + 1..])
                .ok()
                .and_then(|e| e.parse().ok()),
        ),
        None => (s, None),
    };
    for (d, &b) in digits
        .iter_mut()
        .zip(mantissa.iter().filter(|b| b.is_ascii_digit()))
    {
        *d = b;
    }
    (digits, exp.unwrap_or(0))
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

/// Appends a plain decimal cell (`+069.20`, `9,4`, `.5`) as `%.15g` would print the number
/// it denotes (`69.2`, `9.4`, `0.5`), when it has at most 15 digits: any such decimal
/// comes back unchanged from a double at 15 significant digits, so the text can be
/// normalised instead of converting the double. Returns false, writing nothing, otherwise.
pub fn push_short_decimal(out: &mut Vec<u8>, cell: &[u8], sep: u8) -> bool {
    let (negative, body) = match cell.first() {
        Some(b'-') => (true, &cell[1..]),
        Some(b'+') => (false, &cell[1..]),
        _ => (false, cell),
    };
    let point = body.iter().position(|&b| b == b'.' || b == b',');
    let (int, frac) = match point {
        Some(p) => (&body[..p], &body[p + 1..]),
        None => (body, &body[..0]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if !all_digits(int) || !all_digits(frac) || int.len() + frac.len() == 0 {
        return false;
    }
    let int = &int[int.iter().position(|&b| b != b'0').unwrap_or(int.len())..];
    let frac = &frac[..frac.iter().rposition(|&b| b != b'0').map_or(0, |i| i + 1)];
    if int.len() + frac.len() > 15 || int.len() > 14 || (int.is_empty() && frac.len() > 4) {
        return false; // Long, large (%g switches to exponents) or tiny: the general path.
    }
    if negative && !(int.is_empty() && frac.is_empty()) {
        out.push(b'-');
    }
    if int.is_empty() {
        out.push(b'0');
    } else {
        out.extend_from_slice(int);
    }
    if !frac.is_empty() {
        out.push(sep);
        out.extend_from_slice(frac);
    }
    true
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
            // Exact binary ties at the 16th digit: printf rounds half to even.
            (1.0 + 1.0 / 32768.0, "1.00003051757812"),
            (1.0 + 3.0 / 32768.0, "1.00009155273438"),
            (9.999999999999999, "10"),
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
    fn short_decimal_cells_print_like_g15_of_their_value() {
        for cell in [
            "69.2",
            "+069.20",
            "0.5",
            ".5",
            "100",
            "100.",
            "-5.0",
            "9,4",
            "0.0001",
            "12345678901234",
            "0",
            "-0",
            "0.000",
        ] {
            let mut got = Vec::new();
            assert!(
                push_short_decimal(&mut got, cell.as_bytes(), b'.'),
                "{cell}"
            );
            let value: f64 = cell.replace(',', ".").parse().unwrap_or(f64::NAN);
            let want = if value == 0.0 {
                "0".to_string()
            } else {
                g15(value)
            };
            assert_eq!(String::from_utf8(got).unwrap_or_default(), want, "{cell}");
        }
        for cell in [
            "1e5",
            "abc",
            "",
            "1.2.3",
            "0.00001",
            "123456789012345.6",
            "1234567890123456",
        ] {
            assert!(
                !push_short_decimal(&mut Vec::new(), cell.as_bytes(), b'.'),
                "{cell}"
            );
        }
    }

    #[test]
    fn z_table_agrees_with_the_arithmetic_everywhere() {
        for k in -1500..=1500 {
            let z = k as f64 / 100.0;
            let (mut table, mut plain) = (Vec::new(), Vec::new());
            push_z2(&mut table, z, false);
            push_hundredths(&mut plain, k, false);
            assert_eq!(table, plain, "k={k}");
            assert_eq!(
                String::from_utf8(table)
                    .ok()
                    .and_then(|t| t.parse::<f64>().ok()),
                Some(z)
            );
        }
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
