//! Dates and ages exactly as rules.md §0 defines them: whole days, completed months
//! (`floor(16·days/487)`, i.e. days / 30.4375 as WHO uses) and completed calendar years.

use time::{Date, Month};

/// Parse a strict ISO `YYYY-MM-DD` calendar date (no sign, no time, real day).
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

/// Completed months for an age in days: `floor(age_days / 30.4375)` in integers.
pub fn completed_months(age_days: i64) -> i64 {
    (16 * age_days).div_euclid(487)
}

/// Completed calendar years on `on` for someone born on `birth`. A 29 February birthday
/// is reached on 1 March in common years (the (month, day) comparison does that).
pub fn completed_years(birth: Date, on: Date) -> i32 {
    let before_birthday = (on.month() as u8, on.day()) < (birth.month() as u8, birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// Whole days from `from` to `to`.
pub fn days_between(from: Date, to: Date) -> i64 {
    i64::from(to.to_julian_day() - from.to_julian_day())
}

/// A person's age at a visit, in the three units the rules use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Age {
    pub days: i64,
    pub months: i64,
    pub years: i32,
}

impl Age {
    /// The age on `on`, or `None` if `on` is before `birth`.
    pub fn at(birth: Date, on: Date) -> Option<Age> {
        let days = days_between(birth, on);
        (days >= 0).then(|| Age {
            days,
            months: completed_months(days),
            years: completed_years(birth, on),
        })
    }

    /// Balita: WHO 2006 range, `age_days ≤ 1826` (= `age_months ≤ 59`).
    pub fn is_balita(self) -> bool {
        self.days <= 1826
    }

    /// Anak/remaja: WHO 2007 range up to 18 completed years.
    pub fn is_school_age(self) -> bool {
        self.days >= 1827 && self.years <= 18
    }

    /// Lansia: 60 years and over.
    pub fn is_lansia(self) -> bool {
        self.years >= 60
    }
}

/// The (year, month) of the calendar month before `d`'s (January → December of last year).
pub fn previous_month(year: i32, month: Month) -> (i32, Month) {
    if month == Month::January {
        (year - 1, Month::December)
    } else {
        (year, month.previous())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use time::macros::date;

    #[test]
    fn iso_dates_are_strict() {
        assert_eq!(parse_iso_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
        for bad in [
            "2023-02-29",
            "2024-2-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "24-01-01",
            "2024/01/01",
            "+024-01-01",
            "2024-01-01T00",
            "",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn completed_months_match_floor_of_30_4375() {
        for d in 0..20_000i64 {
            let m = (d as f64 / 30.4375).floor() as i64;
            assert_eq!(completed_months(d), m, "day {d}");
        }
        assert_eq!(completed_months(30), 0);
        assert_eq!(completed_months(31), 1);
        assert_eq!(completed_months(1826), 59);
        assert_eq!(completed_months(1827), 60);
    }

    #[test]
    fn completed_years_and_leap_birthdays() {
        let b = date!(2000 - 02 - 29);
        assert_eq!(completed_years(b, date!(2001 - 02 - 28)), 0);
        assert_eq!(completed_years(b, date!(2001 - 03 - 01)), 1);
        assert_eq!(completed_years(b, date!(2004 - 02 - 29)), 4);
        let b = date!(1990 - 06 - 15);
        assert_eq!(completed_years(b, date!(2008 - 06 - 14)), 17);
        assert_eq!(completed_years(b, date!(2008 - 06 - 15)), 18);
    }

    #[test]
    fn groups_at_their_edges() {
        let b = date!(2020 - 01 - 01);
        let a = Age::at(b, date!(2024 - 12 - 31)).unwrap();
        assert_eq!((a.days, a.months, a.years), (1826, 59, 4));
        assert!(a.is_balita() && !a.is_school_age());
        let a = Age::at(b, date!(2025 - 01 - 01)).unwrap();
        assert_eq!(a.days, 1827);
        assert!(!a.is_balita() && a.is_school_age());
        assert_eq!(Age::at(b, date!(2019 - 12 - 31)), None);
    }

    #[test]
    fn previous_month_wraps_the_year() {
        assert_eq!(
            previous_month(2025, Month::January),
            (2024, Month::December)
        );
        assert_eq!(previous_month(2025, Month::March), (2025, Month::February));
    }
}
