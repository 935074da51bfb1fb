//! One register row: parse the known cells, compute WHO's z-scores, write the output row.

use super::columns::{Columns, Input};
use super::messages::{AgeFrom, CellError, Lang};
use super::numfmt::{push_exact, push_g15, push_short_decimal, push_z2};
use growth::{
    Age, ChildMeasurements, ChildZscores, DAYS_PER_MONTH, Measure, Sex, YouthMeasurements,
    YouthZscores, Zscore, who2006, who2007,
};

/// How rows are read and written; shared by the worker threads.
#[derive(Debug, Clone)]
pub struct RowProcessor {
    pub columns: Columns,
    pub delimiter: u8,
    /// Write numbers with a decimal comma (files from Excel with Indonesian settings).
    pub decimal_comma: bool,
    pub raw: bool,
    pub lang: Lang,
}

#[derive(Clone, Copy, PartialEq)]
enum Standard {
    Who2006,
    Who2007,
}

impl RowProcessor {
    /// Appends the output row for the fields of one record (input fields, computed fields,
    /// error, newline). `line` is the record's text when it has no quotes, so that the
    /// input part can be copied as it is.
    pub fn process(&self, rec: &[&[u8]], line: Option<&[u8]>, out: &mut Vec<u8>) {
        let cols = &self.columns;
        let mut errors: Vec<CellError<'_>> = Vec::new();
        if rec.len() != self.columns.width {
            errors.push(CellError::FieldCount {
                found: rec.len(),
                expected: self.columns.width,
            });
        }
        match line {
            Some(line) if rec.len() == self.columns.width && !line.contains(&b'\r') => {
                out.extend_from_slice(line);
            }
            _ => {
                for i in 0..self.columns.width {
                    if i > 0 {
                        out.push(self.delimiter);
                    }
                    self.push_field(out, rec.get(i).copied().unwrap_or(b""));
                }
            }
        }

        let cell = |c: Input| -> &[u8] {
            self.columns
                .get(c)
                .and_then(|i| rec.get(i))
                .map_or(&b""[..], |f| f.trim_ascii())
        };
        let mut num = |c: Input| -> Option<f64> { parse_number(cell(c), cols, c, &mut errors) };
        let weight = num(Input::WeightKg);
        let lenhei = num(Input::LenheiCm);
        let headc = num(Input::HeadcCm);
        let armc = num(Input::ArmcCm);
        let triskin = num(Input::TriskinMm);
        let subskin = num(Input::SubskinMm);
        let age_days = num(Input::AgeDays);
        let age_months = num(Input::AgeMonths);
        // A measurement of zero or less is a typing slip: the cadre is told, and the value
        // still goes to WHO's algorithm, which leaves most z of it empty (weight-for-length
        // from a zero weight is still computed, as WHO's software does).
        let measured = [weight, lenhei, headc, armc, triskin, subskin];
        if measured.iter().any(|v| v.is_some_and(|x| x <= 0.0)) {
            not_positive(cols, &measured, cell, &mut errors);
        }
        // WHO's software stops on a negative age; here only that cell is refused.
        let age_days = non_negative(
            age_days,
            cols,
            Input::AgeDays,
            cell(Input::AgeDays),
            &mut errors,
        );
        let age_months = non_negative(
            age_months,
            cols,
            Input::AgeMonths,
            cell(Input::AgeMonths),
            &mut errors,
        );
        // A register without WHO's age columns: days from its birth and measurement dates.
        let date_days = if cols.age_from_dates() {
            age_from_dates(
                cols,
                cell(Input::BirthDate),
                cell(Input::MeasuredOn),
                &mut errors,
            )
        } else {
            None
        };
        let age_days = age_days.or(date_days.map(|d| d as f64));
        let sex = parse_sex(cell(Input::Sex), cols, &mut errors);
        let measure = parse_measure(cell(Input::Measure), cols, &mut errors);
        let oedema = parse_oedema(cell(Input::Oedema), cols, &mut errors);
        let forced = parse_standard(cell(Input::Standard), cols, &mut errors);

        // Age in months decides the reference when the row does not say: under 60 months
        // (day 1826 and before) the 2006 standards, from 60 months the 2007 reference.
        let months = age_days.map(|d| d / DAYS_PER_MONTH).or(age_months);
        let standard = forced.unwrap_or(match months {
            Some(m) if m >= 60.0 => Standard::Who2007,
            _ => Standard::Who2006,
        });
        // An age no reference covers gives an empty row: say why. (A float compare or two
        // per row; the messages are built only for such rows.)
        if let Some(m) = months {
            let age = || match (date_days, age_days) {
                (Some(days), _) => AgeFrom::Dates {
                    birth: cols.label(Input::BirthDate),
                    measured: cols.label(Input::MeasuredOn),
                    days,
                },
                (None, Some(_)) => AgeFrom::Cell {
                    column: cols.label(Input::AgeDays),
                    value: lossy(cell(Input::AgeDays)),
                },
                (None, None) => AgeFrom::Cell {
                    column: cols.label(Input::AgeMonths),
                    value: lossy(cell(Input::AgeMonths)),
                },
            };
            let outside = match forced {
                Some(Standard::Who2006) => m >= 60.0,
                Some(Standard::Who2007) => !(60.0..=228.0).contains(&m),
                None => {
                    if m > 228.0 {
                        errors.push(CellError::AgeBeyondReferences(age()));
                    }
                    false
                }
            };
            if outside {
                errors.push(CellError::StandardOutsideAges {
                    column: cols.label(Input::Standard),
                    value: lossy(cell(Input::Standard)),
                    who2007: standard == Standard::Who2007,
                    age: age(),
                    months: m,
                });
            }
        }

        // The results stay where the engine wrote them; the output refers to them.
        let child: ChildZscores;
        let youth: YouthZscores;
        let d = self.delimiter;
        let z: [Option<&Zscore>; 11] = match standard {
            Standard::Who2006 => {
                let age = age_days.map(Age::Days).or(age_months.map(Age::Months));
                child = who2006(&ChildMeasurements {
                    sex,
                    age,
                    weight_kg: weight,
                    lenhei_cm: lenhei,
                    measure,
                    headc_cm: headc,
                    armc_cm: armc,
                    triskin_mm: triskin,
                    subskin_mm: subskin,
                    oedema,
                });
                let r = &child;
                out.push(d);
                match (r.clenhei, lenhei) {
                    // Not adjusted: the cell's own digits are what %.15g would print (a
                    // decimal of at most 15 digits survives the trip through a double).
                    (Some(c), Some(l))
                        if c.to_bits() == l.to_bits()
                            && push_short_decimal(out, cell(Input::LenheiCm), self.sep()) => {}
                    (c, _) => self.push_opt(out, c),
                }
                out.push(d);
                out.extend_from_slice(match r.cmeasure {
                    Some(Measure::Lying) => b"l",
                    Some(Measure::Standing) => b"h",
                    None => b"",
                });
                out.push(d);
                out.push(if r.c9mo_flag { b'1' } else { b'0' });
                out.push(d);
                self.push_bmi(out, r.cbmi);
                [
                    r.zlen.as_ref(),
                    r.zwei.as_ref(),
                    r.zwfl.as_ref(),
                    r.zbmi.as_ref(),
                    r.zhc.as_ref(),
                    r.zac.as_ref(),
                    r.zts.as_ref(),
                    r.zss.as_ref(),
                    None,
                    None,
                    None,
                ]
            }
            Standard::Who2007 => {
                youth = who2007(&YouthMeasurements {
                    sex,
                    age_months: months,
                    weight_kg: weight,
                    height_cm: lenhei,
                    oedema,
                });
                let r = &youth;
                out.extend_from_slice(&[d, d, d, d]);
                self.push_bmi(out, r.cbmi);
                let mut z = [None; 11];
                z[8..].copy_from_slice(&[r.zhfa.as_ref(), r.zwfa.as_ref(), r.zbfa.as_ref()]);
                z
            }
        };
        for s in &z {
            if let Some(s) = s {
                out.push(d);
                push_z2(out, s.z, self.decimal_comma);
                out.extend_from_slice(&[d, if s.implausible { b'1' } else { b'0' }]);
            } else {
                out.extend_from_slice(&[d, d]);
            }
        }
        if self.raw {
            for s in &z {
                out.push(d);
                if let Some(s) = s {
                    push_exact(out, s.raw, self.decimal_comma);
                }
            }
        }
        out.push(d);
        if !errors.is_empty() {
            let text: Vec<String> = errors.iter().map(|e| e.text(self.lang)).collect();
            self.push_field(out, text.join("; ").as_bytes());
        }
        out.push(b'\n');
    }

    fn sep(&self) -> u8 {
        if self.decimal_comma { b',' } else { b'.' }
    }

    fn push_opt(&self, out: &mut Vec<u8>, x: Option<f64>) {
        if let Some(x) = x {
            push_g15(out, x, self.decimal_comma);
        }
    }

    /// BMI exactly (the shortest text that reads back as the same double), as WHO's
    /// reference file gives it (`%.17g`): it is a computed quotient, not a measurement.
    fn push_bmi(&self, out: &mut Vec<u8>, bmi: Option<f64>) {
        if let Some(x) = bmi {
            push_exact(out, x, self.decimal_comma);
        }
    }

    /// Writes a field as it was, quoting it only if it must be quoted.
    pub fn push_field(&self, out: &mut Vec<u8>, field: &[u8]) {
        let needs_quotes = field
            .iter()
            .any(|&b| b == self.delimiter || b == b'"' || b == b'\n' || b == b'\r');
        if !needs_quotes {
            out.extend_from_slice(field);
            return;
        }
        out.push(b'"');
        for &b in field {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    }
}

/// Reads a number written with a decimal point or a decimal comma (`9.4` or `9,4`). Empty
/// and `NA` (R's "not recorded") are missing; anything else that is not a number, `NaN`
/// included, is reported and treated as missing.
fn parse_number<'a>(
    s: &[u8],
    cols: &'a Columns,
    c: Input,
    errors: &mut Vec<CellError<'a>>,
) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    if let Some(x) = parse_simple_decimal(s) {
        return Some(x); // Nearly every cell.
    }
    if s.eq_ignore_ascii_case(b"na") {
        return None;
    }
    let parsed = if s.contains(&b',') {
        if s.contains(&b'.') || s.len() > 64 {
            None
        } else {
            let mut fixed = [0u8; 64];
            for (d, &b) in fixed.iter_mut().zip(s) {
                *d = if b == b',' { b'.' } else { b };
            }
            parse_f64(&fixed[..s.len()])
        }
    } else {
        parse_f64(s)
    };
    if parsed.is_none() {
        errors.push(CellError::NotANumber {
            column: cols.label(c),
            value: lossy(s),
        });
    }
    parsed
}

fn parse_f64(s: &[u8]) -> Option<f64> {
    if let Some(x) = parse_simple_decimal(s) {
        return Some(x);
    }
    // Only plain decimal numbers: Rust would also accept "inf" and "nan" spelled out.
    if !s
        .iter()
        .all(|&b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

/// Powers of ten that a double holds exactly.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Clinger's fast path for the numbers registers hold (`-12.345`, `9,4`): with at most 15 digits
/// the digits and the power of ten are exact doubles, and one correctly rounded division
/// gives the same bits as a full decimal parser. Anything else returns `None` and goes to
/// the standard parser.
fn parse_simple_decimal(s: &[u8]) -> Option<f64> {
    let (negative, digits) = match s.first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (mut mantissa, mut count, mut scale, mut seen_point) = (0u64, 0usize, 0usize, false);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                scale += usize::from(seen_point);
            }
            b'.' | b',' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if count == 0 || count > 15 {
        return None;
    }
    let x = mantissa as f64 / POW10[scale];
    Some(if negative { -x } else { x })
}

/// Names each measurement of zero or less (`values` in [`Input::MEASUREMENTS`] order); off
/// the common path.
#[cold]
fn not_positive<'a, 'r>(
    cols: &'a Columns,
    values: &[Option<f64>; 6],
    cell: impl Fn(Input) -> &'r [u8],
    errors: &mut Vec<CellError<'a>>,
) {
    for (&c, v) in Input::MEASUREMENTS.iter().zip(values) {
        if v.is_some_and(|x| x <= 0.0) {
            errors.push(CellError::NotPositive {
                column: cols.label(c),
                value: lossy(cell(c)),
            });
        }
    }
}

fn lossy(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

fn non_negative<'a>(
    v: Option<f64>,
    cols: &'a Columns,
    c: Input,
    cell: &[u8],
    errors: &mut Vec<CellError<'a>>,
) -> Option<f64> {
    match v {
        Some(x) if x < 0.0 => {
            errors.push(CellError::Negative {
                column: cols.label(c),
                value: lossy(cell),
            });
            None
        }
        v => v,
    }
}

/// Whole days from a register's birth date to its measurement date, both read as `import`
/// reads them (`HH/BB/TTTT` or ISO). An empty date means no age; a bad one is reported.
fn age_from_dates<'a>(
    cols: &'a Columns,
    birth: &[u8],
    measured: &[u8],
    errors: &mut Vec<CellError<'a>>,
) -> Option<i64> {
    if birth.is_empty() || measured.is_empty() {
        return None;
    }
    let mut read = |c: Input, cell: &[u8]| {
        let text = String::from_utf8_lossy(cell);
        demo::register_import::values::date(&text)
            .map_err(|reason| {
                errors.push(CellError::BadDate {
                    column: cols.label(c),
                    value: text.clone().into_owned(),
                    reason,
                });
            })
            .ok()
    };
    let born = read(Input::BirthDate, birth);
    let on = read(Input::MeasuredOn, measured);
    let days = (on? - born?).whole_days();
    if days < 0 {
        errors.push(CellError::MeasuredBeforeBirth {
            birth: cols.label(Input::BirthDate),
            birth_value: lossy(birth),
            measured: cols.label(Input::MeasuredOn),
            measured_value: lossy(measured),
        });
        return None;
    }
    Some(days)
}

/// 1/2 as WHO codes it; M/F; L/P (laki-laki/perempuan) as Indonesian registers write it.
/// Whether `s` is one of `codes`, ignoring ASCII case.
fn is_one_of(s: &[u8], codes: &[&[u8]]) -> bool {
    codes.iter().any(|c| s.eq_ignore_ascii_case(c))
}

/// Cells that mean "not recorded" for a code column.
const MISSING: [&[u8]; 2] = [b"", b"na"];

/// WHO's and the commonest register codes first (no allocation); then every spelling the
/// import accepts (`Laki laki`, …), from its own parser.
fn parse_sex<'a>(s: &[u8], cols: &'a Columns, errors: &mut Vec<CellError<'a>>) -> Option<Sex> {
    const MALE: [&[u8]; 6] = [b"1", b"m", b"l", b"male", b"laki-laki", b"lk"];
    const FEMALE: [&[u8]; 6] = [b"2", b"f", b"p", b"female", b"perempuan", b"pr"];
    if is_one_of(s, &MALE) {
        return Some(Sex::Male);
    }
    if is_one_of(s, &FEMALE) {
        return Some(Sex::Female);
    }
    if is_one_of(s, &MISSING) {
        return None;
    }
    match demo::register_import::values::sex(&String::from_utf8_lossy(s)) {
        Ok(store::model::Sex::Male) => Some(Sex::Male),
        Ok(store::model::Sex::Female) => Some(Sex::Female),
        Err(_) => {
            errors.push(CellError::UnknownSex {
                column: cols.label(Input::Sex),
                value: lossy(s),
            });
            None
        }
    }
}

/// WHO's `l`/`h`, or a register's `telentang`/`berdiri` (the import's parser).
fn parse_measure<'a>(
    s: &[u8],
    cols: &'a Columns,
    errors: &mut Vec<CellError<'a>>,
) -> Option<Measure> {
    if is_one_of(s, &[b"l"]) {
        return Some(Measure::Lying);
    }
    if is_one_of(s, &[b"h"]) {
        return Some(Measure::Standing);
    }
    if is_one_of(s, &MISSING) {
        return None;
    }
    match demo::register_import::values::method(&String::from_utf8_lossy(s)) {
        Ok(m) => Some(m),
        Err(_) => {
            errors.push(CellError::UnknownMeasure {
                column: cols.label(Input::Measure),
                value: lossy(s),
            });
            None
        }
    }
}

/// `y`/`1` oedema, `n`/`2` none; empty counts as none, as in WHO's software.
fn parse_oedema<'a>(s: &[u8], cols: &'a Columns, errors: &mut Vec<CellError<'a>>) -> bool {
    if is_one_of(s, &[b"y", b"1", b"ya"]) {
        return true;
    }
    if !is_one_of(s, &[b"", b"na", b"n", b"2", b"tidak"]) {
        errors.push(CellError::UnknownOedema {
            column: cols.label(Input::Oedema),
            value: lossy(s),
        });
    }
    false
}

fn parse_standard<'a>(
    s: &[u8],
    cols: &'a Columns,
    errors: &mut Vec<CellError<'a>>,
) -> Option<Standard> {
    if is_one_of(s, &[b"who2006"]) {
        Some(Standard::Who2006)
    } else if is_one_of(s, &[b"who2007"]) {
        Some(Standard::Who2007)
    } else {
        if !s.is_empty() {
            errors.push(CellError::UnknownStandard {
                column: cols.label(Input::Standard),
                value: lossy(s),
            });
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Columns {
        let names: Vec<&[u8]> = names.iter().map(|n| n.as_bytes()).collect();
        Columns::from_header(names, Lang::En).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn numbers_accept_decimal_comma_and_name_bad_cells() {
        let cols = header(&["sex", "age_days", "weight_kg"]);
        let mut e = Vec::new();
        assert_eq!(
            parse_number(b"9,4", &cols, Input::WeightKg, &mut e),
            Some(9.4)
        );
        assert_eq!(
            parse_number(b"9.4", &cols, Input::WeightKg, &mut e),
            Some(9.4)
        );
        assert_eq!(parse_number(b"NA", &cols, Input::WeightKg, &mut e), None);
        assert!(e.is_empty());
        assert_eq!(parse_number(b"NaN", &cols, Input::WeightKg, &mut e), None);
        assert_eq!(e.len(), 1, "NaN is named");
        e.clear();
        assert_eq!(parse_number(b"9.4kg", &cols, Input::WeightKg, &mut e), None);
        assert_eq!(parse_number(b"inf", &cols, Input::WeightKg, &mut e), None);
        assert_eq!(
            parse_number(b"1.234,5", &cols, Input::WeightKg, &mut e),
            None
        );
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].text(Lang::Id), "weight_kg: \"9.4kg\" bukan angka");
    }

    #[test]
    fn fast_decimal_path_gives_the_same_bits_as_the_full_parser() {
        for s in [
            "0",
            "9.4",
            "-0.7",
            "110.05",
            "123456789012345",
            "0.000000000000001",
            "72.45",
            "1e5",
            "12345678901234567",
            "3.14159265358979",
            "+5.5",
            "17.651942489583416",
        ] {
            let want: f64 = s.parse().unwrap_or(f64::NAN);
            assert_eq!(
                parse_f64(s.as_bytes()).map(f64::to_bits),
                Some(want.to_bits()),
                "{s}"
            );
        }
        assert_eq!(parse_simple_decimal(b"1.2.3"), None);
        assert_eq!(parse_simple_decimal(b""), None);
        assert_eq!(parse_simple_decimal(b"-"), None);
    }

    #[test]
    fn sex_codes_of_who_and_indonesian_registers() {
        let who = header(&["sex", "age_days", "weight_kg"]);
        let register = header(&["jk", "tgl_lahir", "tgl_ukur", "berat"]);
        let mut e = Vec::new();
        for (s, want) in [
            ("1", Some(Sex::Male)),
            ("L", Some(Sex::Male)),
            ("m", Some(Sex::Male)),
            ("2", Some(Sex::Female)),
            ("P", Some(Sex::Female)),
            ("F", Some(Sex::Female)),
            ("", None),
        ] {
            assert_eq!(parse_sex(s.as_bytes(), &who, &mut e), want, "{s}");
        }
        assert!(e.is_empty());
        assert_eq!(parse_sex(b"Laki laki", &register, &mut e), Some(Sex::Male));
        assert!(e.is_empty(), "the import's spellings too");
        assert_eq!(parse_sex(b"X", &register, &mut e), None);
        assert_eq!(
            e,
            [CellError::UnknownSex {
                column: "jk",
                value: "X".into()
            }]
        );
    }
}
