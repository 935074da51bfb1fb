//! A Kemendagri code in its dotted form (`35.08.01.2001`), parsed from what an officer types:
//! dotted or plain digits (`3508012001`), with surrounding spaces.

use std::fmt;

use crate::WilayahError;

/// Segment widths of the four levels: provinsi `PP`, kabupaten/kota `KK`, kecamatan `CC`,
/// desa/kelurahan `DDDD`.
const WIDTHS: [usize; 4] = [2, 2, 2, 4];

/// A well-formed code (not necessarily one that exists: see [`crate::Wilayah::lookup`]).
/// Ordered as text, which for fixed-width codes is also the tree order.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Code(String);

impl Code {
    pub fn parse(text: &str) -> Result<Code, WilayahError> {
        let t = text.trim();
        let bad = || WilayahError::BadCode(text.trim().to_owned());
        let segments: Vec<&str> = if t.contains('.') {
            t.split('.').collect()
        } else {
            // Plain digits: cut at the level widths (2, 4, 6 or 10 digits).
            let mut out = Vec::new();
            let mut rest = t;
            for w in WIDTHS {
                if rest.is_empty() {
                    break;
                }
                if rest.len() < w || !rest.is_char_boundary(w) {
                    return Err(bad());
                }
                let (head, tail) = rest.split_at(w);
                out.push(head);
                rest = tail;
            }
            if !rest.is_empty() {
                return Err(bad());
            }
            out
        };
        if segments.is_empty() || segments.len() > WIDTHS.len() {
            return Err(bad());
        }
        for (seg, w) in segments.iter().zip(WIDTHS) {
            if seg.len() != w || !seg.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
        }
        Ok(Code(segments.join(".")))
    }

    /// Dotted, as in the decree.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without dots: the org path segment (`3508012001`).
    pub fn digits(&self) -> String {
        self.0.chars().filter(char::is_ascii_digit).collect()
    }

    /// 1 province, 2 kabupaten/kota, 3 kecamatan, 4 desa/kelurahan.
    pub fn depth(&self) -> usize {
        self.0.split('.').count()
    }

    pub fn parent(&self) -> Option<Code> {
        self.0.rsplit_once('.').map(|(p, _)| Code(p.to_owned()))
    }

    /// The ancestor at `depth` (the code itself when it is that deep).
    pub fn ancestor(&self, depth: usize) -> Option<Code> {
        let segs: Vec<&str> = self.0.split('.').collect();
        (1..=segs.len())
            .contains(&depth)
            .then(|| Code(segs[..depth].join(".")))
    }

    /// The level the code's form says (regency part 01–69 kabupaten, 71–99 kota; village part
    /// starting with 1 kelurahan, else desa, as `shared/wilayah/README.md` derives them).
    pub fn level(&self) -> Level {
        let segs: Vec<&str> = self.0.split('.').collect();
        match segs.len() {
            1 => Level::Provinsi,
            2 if segs[1] >= "71" => Level::Kota,
            2 => Level::Kabupaten,
            3 => Level::Kecamatan,
            _ if segs[3].starts_with('1') => Level::Kelurahan,
            _ => Level::Desa,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code({})", self.0)
    }
}

/// The level column of `wilayah.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Provinsi,
    Kabupaten,
    Kota,
    Kecamatan,
    Kelurahan,
    Desa,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Provinsi => "provinsi",
            Level::Kabupaten => "kabupaten",
            Level::Kota => "kota",
            Level::Kecamatan => "kecamatan",
            Level::Kelurahan => "kelurahan",
            Level::Desa => "desa",
        }
    }

    pub fn from_code(text: &str) -> Option<Level> {
        [
            Level::Provinsi,
            Level::Kabupaten,
            Level::Kota,
            Level::Kecamatan,
            Level::Kelurahan,
            Level::Desa,
        ]
        .into_iter()
        .find(|l| l.code() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(t: &str) -> String {
        Code::parse(t).map(|c| c.to_string()).unwrap_or_default()
    }

    #[test]
    fn dotted_and_plain_digits_give_the_same_code() {
        assert_eq!(code("35"), "35");
        assert_eq!(code(" 3508 "), "35.08");
        assert_eq!(code("35.08"), "35.08");
        assert_eq!(code("350801"), "35.08.01");
        assert_eq!(code("3508012001"), "35.08.01.2001");
        assert_eq!(code("35.08.01.2001"), "35.08.01.2001");
    }

    #[test]
    fn malformed_codes_are_refused_with_the_text() {
        for bad in [
            "",
            "3",
            "350",
            "35.8",
            "35.08.1",
            "35.08.01.201",
            "35080120011",
            "35.08.01.2001.1",
            "3a08",
            "35..08",
            "३५",
            "35-08",
        ] {
            match Code::parse(bad) {
                Err(WilayahError::BadCode(t)) => assert_eq!(t, bad.trim()),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn level_parent_and_digits_come_from_the_form() {
        let Ok(c) = Code::parse("35.08.01.2001") else {
            panic!("parse")
        };
        assert_eq!(c.level(), Level::Desa);
        assert_eq!(c.digits(), "3508012001");
        assert_eq!(
            c.parent().map(|p| p.to_string()).as_deref(),
            Some("35.08.01")
        );
        assert_eq!(
            c.ancestor(2).map(|p| p.to_string()).as_deref(),
            Some("35.08")
        );
        assert_eq!(c.ancestor(5), None);
        assert_eq!(
            Code::parse("35.71").map(|c| c.level()).ok(),
            Some(Level::Kota)
        );
        assert_eq!(
            Code::parse("35.08.01.1001").map(|c| c.level()).ok(),
            Some(Level::Kelurahan)
        );
        assert_eq!(Code::parse("35").ok().and_then(|c| c.parent()), None);
    }

    proptest::proptest! {
        /// Whatever an officer types, parsing never panics, and a code it accepts reads back
        /// the same from its dotted form and from its digits.
        #[test]
        fn parse_is_total_and_round_trips(text in "\\PC{0,16}") {
            if let Ok(c) = Code::parse(&text) {
                proptest::prop_assert_eq!(Code::parse(c.as_str()).ok(), Some(c.clone()));
                proptest::prop_assert_eq!(Code::parse(&c.digits()).ok(), Some(c.clone()));
                proptest::prop_assert!(matches!(c.depth(), 1..=4));
            }
        }

        #[test]
        fn digit_strings_of_a_level_width_are_codes(d in "[0-9]{2}|[0-9]{4}|[0-9]{6}|[0-9]{10}") {
            let c = Code::parse(&d);
            proptest::prop_assert!(c.is_ok(), "{d}");
            proptest::prop_assert_eq!(c.map(|c| c.digits()).ok(), Some(d));
        }
    }
}
