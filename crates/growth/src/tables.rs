//! The WHO LMS tables, embedded in the binary (`include_str!`) and parsed once on first
//! use: no file is read at run time. Provenance: `../data/README.md`.

use crate::Sex;
use crate::lms::Lms;
use std::sync::LazyLock;

/// One LMS table for both sexes, indexed by an integer key (day, month, or tenth of a cm)
/// starting at `first`.
#[derive(Debug)]
pub(crate) struct Table {
    first: i64,
    rows: [Vec<Lms>; 2],
}

impl Table {
    /// The row at integer `key`, if tabulated.
    #[inline]
    pub(crate) fn get(&self, sex: Sex, key: i64) -> Option<Lms> {
        let i = usize::try_from(key.checked_sub(self.first)?).ok()?;
        self.rows[sex.index()].get(i).copied()
    }

    /// LMS at length/height `x` cm from a table by 0.1 cm. WHO joins on `trunc(10x)/10`
    /// and `trunc(10x + 1)/10` and interpolates by `d = (x − low)/0.1` when `d > 0`.
    pub(crate) fn at_length(&self, sex: Sex, x: f64) -> Option<Lms> {
        let low_key = (x * 10.0).trunc();
        let d = (x - low_key / 10.0) / 0.1;
        let low = self.get(sex, low_key as i64)?;
        if d > 0.0 {
            Some(low.lerp(self.get(sex, (x * 10.0 + 1.0).trunc() as i64)?, d))
        } else {
            Some(low)
        }
    }

    /// LMS at a fractional month from a table by month, interpolated as anthroplus does
    /// (`d = age − trunc(age)`, rows `trunc(age)` and `trunc(age + 1)`).
    pub(crate) fn at_month(&self, sex: Sex, age: f64) -> Option<Lms> {
        let low_month = age.trunc();
        let d = age - low_month;
        let low = self.get(sex, low_month as i64)?;
        if d > 0.0 {
            Some(low.lerp(self.get(sex, (age + 1.0).trunc() as i64)?, d))
        } else {
            Some(low)
        }
    }

    /// Parses a table whose first column is sex (1/2) and second the key. `scale` turns
    /// the key into an integer (1 for days and months, 10 for lengths in cm); rows must be
    /// contiguous per sex.
    fn parse(name: &str, text: &str, scale: f64) -> Table {
        let mut rows: [Vec<Lms>; 2] = [Vec::new(), Vec::new()];
        let mut first: Option<i64> = None;
        for (n, line) in text.lines().enumerate().skip(1) {
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split(',').collect();
            let num = |i: usize| -> f64 {
                f.get(i)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or_else(|| panic!("{name} line {}: bad column {i}", n + 1))
            };
            let sex = match f.first() {
                Some(&"1") => 0,
                Some(&"2") => 1,
                _ => panic!("{name} line {}: bad sex", n + 1),
            };
            let key = (num(1) * scale).round() as i64;
            let start = *first.get_or_insert(key);
            assert_eq!(
                key - start,
                rows[sex].len() as i64,
                "{name} line {}: keys are not contiguous",
                n + 1
            );
            rows[sex].push(Lms { l: num(2), m: num(3), s: num(4) });
            if sex == 1 && rows[1].len() == 1 {
                // The female block restarts at the same first key.
                assert_eq!(key, start, "{name}: sexes start at different keys");
            }
        }
        Table { first: first.unwrap_or(0), rows }
    }
}

macro_rules! table {
    ($name:ident, $file:literal, $scale:expr) => {
        pub(crate) static $name: LazyLock<Table> = LazyLock::new(|| {
            Table::parse($file, include_str!(concat!("../data/", $file)), $scale)
        });
    };
}

// WHO Child Growth Standards 2006 (anthro), by day of age.
table!(WFA_2006, "who2006_weight_for_age.csv", 1.0);
table!(LHFA_2006, "who2006_length_height_for_age.csv", 1.0);
table!(BMI_2006, "who2006_bmi_for_age.csv", 1.0);
table!(HC_2006, "who2006_head_circumference_for_age.csv", 1.0);
table!(AC_2006, "who2006_arm_circumference_for_age.csv", 1.0);
table!(TS_2006, "who2006_triceps_skinfold_for_age.csv", 1.0);
table!(SS_2006, "who2006_subscapular_skinfold_for_age.csv", 1.0);
// By tenth of a centimetre.
table!(WFL_2006, "who2006_weight_for_length.csv", 10.0);
table!(WFH_2006, "who2006_weight_for_height.csv", 10.0);
// WHO Growth Reference 2007 (anthroplus), by month of age.
table!(HFA_2007, "who2007_height_for_age.csv", 1.0);
table!(WFA_2007, "who2007_weight_for_age.csv", 1.0);
table!(BFA_2007, "who2007_bmi_for_age.csv", 1.0);

/// Parses every table now, so that a server or a benchmark pays the cost up front and a
/// malformed table fails at start-up rather than mid-batch.
pub fn preload() {
    for t in [
        &WFA_2006, &LHFA_2006, &BMI_2006, &HC_2006, &AC_2006, &TS_2006, &SS_2006, &WFL_2006,
        &WFH_2006, &HFA_2007, &WFA_2007, &BFA_2007,
    ] {
        LazyLock::force(t);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_documented_ranges() {
        // Row counts and key ranges from the provenance README.
        let cases: [(&LazyLock<Table>, i64, usize); 12] = [
            (&WFA_2006, 0, 1827),
            (&LHFA_2006, 0, 1827),
            (&BMI_2006, 0, 1827),
            (&HC_2006, 0, 1827),
            (&AC_2006, 91, 1736),
            (&TS_2006, 91, 1736),
            (&SS_2006, 91, 1736),
            (&WFL_2006, 450, 651),
            (&WFH_2006, 650, 551),
            (&HFA_2007, 60, 170),
            (&BFA_2007, 60, 170),
            (&WFA_2007, 60, 62),
        ];
        for (t, first, len) in cases {
            assert_eq!(t.first, first);
            assert_eq!(t.rows[0].len(), len);
            assert_eq!(t.rows[1].len(), len);
        }
        let wfl = WFL_2006.get(Sex::Male, 450).expect("45.0 cm row");
        assert_eq!((wfl.l, wfl.m, wfl.s), (-0.3521, 2.441, 0.09182));
        assert!(WFL_2006.get(Sex::Male, 449).is_none());
        assert!(WFL_2006.get(Sex::Female, 1101).is_none());
    }
}
