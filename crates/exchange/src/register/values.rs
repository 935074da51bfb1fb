//! Cell parsers for the forms Indonesian spreadsheets produce: decimal commas (`9,4`),
//! day-first dates (`05/03/2024`), `L`/`P` for sex, `telentang`/`berdiri` for the method.
//! Each returns the reason (in Bahasa Indonesia, or the [`Lang`] of the `_in` variant) when
//! the cell cannot be read.

use growth::Measure;
use store::model::Sex;
use time::{Date, Month};

use super::lang::Lang;

/// A decimal number with `.` or `,` as the decimal mark (no thousands separators).
pub fn decimal(cell: &str) -> Result<f64, String> {
    decimal_in(cell, Lang::Id)
}

/// [`decimal`] with the reason in `lang`.
pub fn decimal_in(cell: &str, lang: Lang) -> Result<f64, String> {
    let t = cell.trim();
    if t.matches([',', '.']).count() > 1 {
        return Err(lang.pick(
            "gunakan satu tanda desimal (koma atau titik), tanpa pemisah ribuan",
            "use one decimal mark (comma or point), no thousands separators",
        ));
    }
    let nan = || lang.pick("bukan angka", "not a number");
    let v: f64 = t.replace(',', ".").parse().map_err(|_| nan())?;
    if v.is_finite() { Ok(v) } else { Err(nan()) }
}

/// A date as `TTTT-BB-HH` (ISO) or day first `HH/BB/TTTT`, `HH-BB-TTTT`, `HH.BB.TTTT`.
pub fn date(cell: &str) -> Result<Date, String> {
    date_in(cell, Lang::Id)
}

/// [`date`] with the reason in `lang`.
pub fn date_in(cell: &str, lang: Lang) -> Result<Date, String> {
    let hint = lang.pick(
        "format tanggal HH/BB/TTTT atau TTTT-BB-HH",
        "date format DD/MM/YYYY or YYYY-MM-DD",
    );
    let not_date = || {
        lang.pick(
            format!("bukan tanggal ({hint})"),
            format!("not a date ({hint})"),
        )
    };
    let t = cell.trim();
    // Database exports add a time of day (`2024-03-05 00:00:00`, `2024-03-05T00:00:00`).
    let t = match t.split_once([' ', 'T']) {
        Some((d, time)) if is_time_of_day(time) => d,
        _ => t,
    };
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(not_date());
    }
    let num = |s: &str| s.parse::<i32>().map_err(|_| not_date());
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[2].len() == 4 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(lang.pick(
            format!("tahun harus 4 angka ({hint})"),
            format!("the year needs 4 digits ({hint})"),
        ));
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| {
            lang.pick(
                format!("bulan {m} tidak ada"),
                format!("there is no month {m}"),
            )
        })?;
    let day = u8::try_from(d).map_err(|_| {
        lang.pick(
            format!("tanggal {d} tidak ada"),
            format!("there is no day {d}"),
        )
    })?;
    Date::from_calendar_date(y, month, day).map_err(|_| {
        lang.pick(
            format!("tanggal {d} tidak ada di bulan {m} tahun {y}"),
            format!("there is no day {d} in month {m} of {y}"),
        )
    })
}

/// `hh:mm` or `hh:mm:ss` (optionally with fractions or a zone), as exports append to dates.
fn is_time_of_day(t: &str) -> bool {
    let t = t.trim();
    let clock = t.split(['.', '+', 'Z']).next().unwrap_or_default();
    let parts: Vec<&str> = clock.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `L`/`P`, `Laki-laki`/`Perempuan`, or WHO's `1`/`2`.
pub fn sex(cell: &str) -> Result<Sex, String> {
    sex_in(cell, Lang::Id)
}

/// [`sex`] with the reason in `lang`.
pub fn sex_in(cell: &str, lang: Lang) -> Result<Sex, String> {
    match cell.trim().to_lowercase().as_str() {
        "l" | "lk" | "laki-laki" | "laki laki" | "lakilaki" | "1" => Ok(Sex::Male),
        "p" | "pr" | "perempuan" | "2" => Ok(Sex::Female),
        _ => Err(lang.pick(
            "isi L (laki-laki) atau P (perempuan)",
            "use L (male, laki-laki) or P (female, perempuan)",
        )),
    }
}

/// `telentang`/`terlentang`/`L` (lying) or `berdiri`/`H` (standing).
pub fn method(cell: &str) -> Result<Measure, String> {
    method_in(cell, Lang::Id)
}

/// [`method`] with the reason in `lang`.
pub fn method_in(cell: &str, lang: Lang) -> Result<Measure, String> {
    match cell.trim().to_lowercase().as_str() {
        "telentang" | "terlentang" | "berbaring" | "l" | "pb" => Ok(Measure::Lying),
        "berdiri" | "h" | "tb" => Ok(Measure::Standing),
        _ => Err(lang.pick(
            "isi 'telentang' atau 'berdiri'",
            "use 'telentang' (lying) or 'berdiri' (standing)",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn decimals_accept_comma_and_point() {
        for (cell, want) in [("9,4", 9.4), ("9.4", 9.4), (" 12 ", 12.0), ("0,85", 0.85)] {
            assert_eq!(decimal(cell), Ok(want), "{cell}");
        }
        for bad in ["", "abc", "1.234,5", "9,4,1", "NaN", "inf"] {
            assert!(decimal(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_accept_iso_and_day_first() {
        for cell in [
            "2024-03-05",
            "05/03/2024",
            "5/3/2024",
            "05-03-2024",
            "05.03.2024",
        ] {
            assert_eq!(date(cell), Ok(date!(2024 - 03 - 05)), "{cell}");
        }
        for bad in [
            "31/02/2024",
            "2024-13-01",
            "05/03/24",
            "kemarin",
            "",
            "05/03",
        ] {
            assert!(date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sex_and_method_codes() {
        assert_eq!(sex("l"), Ok(Sex::Male));
        assert_eq!(sex("Perempuan"), Ok(Sex::Female));
        assert!(sex("X").is_err());
        assert_eq!(method("Terlentang"), Ok(Measure::Lying));
        assert_eq!(method("berdiri"), Ok(Measure::Standing));
        assert!(method("duduk").is_err());
    }
}
