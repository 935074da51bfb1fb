//! The WHO LMS tables, compiled into the binary by `build.rs` from `../data/*.csv`: nothing
//! is read or parsed at run time. Provenance: `../data/README.md`.

use crate::Sex;
use crate::lms::{Lms, trunc};

/// One LMS table for both sexes, indexed by an integer key (day, month, or tenth of a cm)
/// starting at `first`.
#[derive(Debug)]
pub(crate) struct Table {
    first: i64,
    rows: [&'static [Lms]; 2],
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
        let low_key = trunc(x * 10.0);
        let d = (x - low_key / 10.0) / 0.1;
        let low = self.get(sex, low_key as i64)?;
        if d > 0.0 {
            Some(low.lerp(self.get(sex, trunc(x * 10.0 + 1.0) as i64)?, d))
        } else {
            Some(low)
        }
    }

    /// LMS at a fractional month from a table by month, interpolated as anthroplus does
    /// (`d = age − trunc(age)`, rows `trunc(age)` and `trunc(age + 1)`).
    pub(crate) fn at_month(&self, sex: Sex, age: f64) -> Option<Lms> {
        let low_month = trunc(age);
        let d = age - low_month;
        let low = self.get(sex, low_month as i64)?;
        if d > 0.0 {
            Some(low.lerp(self.get(sex, trunc(age + 1.0) as i64)?, d))
        } else {
            Some(low)
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/tables.rs"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_the_documented_ranges() {
        // Row counts and key ranges from the provenance README.
        let cases: [(&Table, i64, usize); 12] = [
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
