//! Numbers too large for an `f64` (`1e400`, a 400-digit integer) make serde_json reject the
//! whole line, which would lose its id and every valid field (issue 7 item 8). Before giving
//! up on such a line, each overflowing number is replaced by a distinct stand-in that is
//! still a number outside every valid range (about ±1e302), so validation reports it as an
//! error on its own JSON path. While that line is validated ([`Overflows::while_shown`]),
//! every value a message shows has its stand-ins replaced by the numbers as written
//! ([`as_written`]), before the value is cut to length.

use std::cell::RefCell;
use std::collections::HashMap;

use serde_json::Value;

/// The stand-ins of one line: the text a message shows for a stand-in → the number as the
/// line wrote it.
pub(super) struct Overflows {
    pub text: String,
    originals: HashMap<String, String>,
}

/// Every stand-in is `(1e12 + k)·1e290`: 13 significant digits keep them distinct whatever
/// the float parser rounds, and `1.…e302` is beyond every maximum in rules.md §11.3.
const STAND_IN_BASE: u64 = 1_000_000_000_000;
const STAND_IN_EXP: &str = "e290";
/// How serde_json writes the stand-ins' exponent.
const STAND_IN_SHOWN_EXP: &str = "e+302";

/// The line with every overflowing number replaced, or `None` when it has none.
pub(super) fn substitute(line: &str) -> Option<Overflows> {
    let bytes = line.as_bytes();
    let mut text = String::with_capacity(line.len());
    let mut originals = HashMap::new();
    let (mut copied, mut i, mut in_string) = (0, 0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b != b'-' && !b.is_ascii_digit() {
            i += 1;
            continue;
        }
        // Outside strings a digit or `-` can only start a number (or be a syntax error).
        let end = bytes[i..]
            .iter()
            .position(|c| !matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'))
            .map_or(bytes.len(), |n| i + n);
        let token = &line[i..end];
        if token.parse::<f64>().is_ok_and(f64::is_infinite) {
            let sign = if token.starts_with('-') { "-" } else { "" };
            let k = STAND_IN_BASE + 1 + originals.len() as u64;
            let stand_in = format!("{sign}{k}{STAND_IN_EXP}");
            // The key is what a message shows for the parsed stand-in (serde_json's format).
            let shown = serde_json::from_str::<Value>(&stand_in).ok()?.to_string();
            if !shown.ends_with(STAND_IN_SHOWN_EXP) {
                return None;
            }
            text.push_str(&line[copied..i]);
            text.push_str(&stand_in);
            copied = end;
            originals.insert(shown, token.to_owned());
        }
        i = end;
    }
    if originals.is_empty() {
        return None;
    }
    text.push_str(&line[copied..]);
    Some(Overflows { text, originals })
}

/// Replace every stand-in shown in `message` by the number the line wrote.
fn restore(originals: &HashMap<String, String>, message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    // A stand-in is shown as `[-]1.…e+302`: find each exponent, walk back over the
    // mantissa, look the whole number up.
    while let Some(at) = rest.find(STAND_IN_SHOWN_EXP) {
        let end = at + STAND_IN_SHOWN_EXP.len();
        let start = rest[..at]
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'.' || *b == b'-')
            .count();
        let from = at - start;
        out.push_str(&rest[..from]);
        match originals.get(&rest[from..end]) {
            Some(original) => out.push_str(original),
            None => out.push_str(&rest[from..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

thread_local! {
    /// The stand-ins of the line being validated on this thread, if it had any.
    static SHOWN: RefCell<Option<HashMap<String, String>>> = const { RefCell::new(None) };
}

/// Clears [`SHOWN`] even if validation panics.
struct Clear;

impl Drop for Clear {
    fn drop(&mut self) {
        SHOWN.with_borrow_mut(|s| *s = None);
    }
}

impl Overflows {
    /// Run `f` (the validation of this line) with its stand-ins shown as written.
    pub(super) fn while_shown<T>(self, f: impl FnOnce() -> T) -> T {
        SHOWN.with_borrow_mut(|s| *s = Some(self.originals));
        let _clear = Clear;
        f()
    }
}

/// `shown` with the current line's stand-ins replaced by the numbers as written.
pub(super) fn as_written(shown: String) -> String {
    SHOWN.with_borrow(|s| match s {
        Some(originals) => restore(originals, &shown),
        None => shown,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_line_without_overflow_is_left_alone() {
        assert!(substitute(r#"{"a":1e300,"b":"1e400","c":-2.5e-400}"#).is_none());
    }

    #[test]
    fn each_overflow_gets_its_own_stand_in_and_strings_are_untouched() {
        let line = r#"{"s":"x\"1e400","a":1e400,"b":[-1E+999,7],"c":1e400}"#;
        let o = substitute(line).unwrap();
        let v: Value = serde_json::from_str(&o.text).unwrap();
        assert_eq!(v["s"], "x\"1e400");
        assert_eq!(v["b"][1], 7);
        let (a, b, c) = (
            v["a"].to_string(),
            v["b"][0].to_string(),
            v["c"].to_string(),
        );
        assert!(v["a"].as_f64().unwrap() > 1e301 && v["b"][0].as_f64().unwrap() < -1e301);
        assert!(a != c, "distinct stand-ins: {a} {c}");
        let written = o.while_shown(|| {
            [
                as_written(format!("x {a}; y [{b},7]; z {c}.")),
                as_written("1.5e+302 and 1.".to_owned()),
            ]
        });
        assert_eq!(written[0], "x 1e400; y [-1E+999,7]; z 1e400.");
        assert_eq!(written[1], "1.5e+302 and 1.");
        assert_eq!(
            as_written(a.clone()),
            a,
            "only while that line is validated"
        );
    }

    #[test]
    fn a_huge_integer_overflows_too() {
        let digits = "9".repeat(400);
        let o = substitute(&format!("[{digits}]")).unwrap();
        let v: Value = serde_json::from_str(&o.text).unwrap();
        assert_eq!(o.while_shown(|| as_written(v[0].to_string())), digits);
    }
}
