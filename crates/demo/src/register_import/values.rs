//! Cell parsers for the forms Indonesian spreadsheets produce: decimal commas (`9,4`),
//! day-first dates (`05/03/2024`), `L`/`P` for sex, `telentang`/`berdiri` for the method.
//! Each returns the reason in Bahasa Indonesia when the cell cannot be read.

use growth::Measure;
use store::model::Sex;
use time::{Date, Month};

/// A decimal number with `.` or `,` as the decimal mark (no thousands separators).
pub fn decimal(cell: &str) -> Result<f64, String> {
    let t = cell.trim();
    if t.matches([',', '.']).count() > 1 {
        return Err("gunakan satu tanda desimal (koma atau titik), tanpa pemisah ribuan".into());
    }
    let v: f64 = t
        .replace(',', ".")
        .parse()
        .map_err(|_| "bukan angka".to_owned())?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err("bukan angka".into())
    }
}

/// A date as `TTTT-BB-HH` (ISO) or day first `HH/BB/TTTT`, `HH-BB-TTTT`, `HH.BB.TTTT`.
pub fn date(cell: &str) -> Result<Date, String> {
    const FORMAT_HINT: &str = "format tanggal HH/BB/TTTT atau TTTT-BB-HH";
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
        return Err(format!("bukan tanggal ({FORMAT_HINT})"));
    }
    let num = |s: &str| {
        s.parse::<i32>()
            .map_err(|_| format!("bukan tanggal ({FORMAT_HINT})"))
    };
    let (y, m, d) = if parts[0].len() == 4 {
        (num(parts[0])?, num(parts[1])?, num(parts[2])?)
    } else if parts[2].len() == 4 {
        (num(parts[2])?, num(parts[1])?, num(parts[0])?)
    } else {
        return Err(format!("tahun harus 4 angka ({FORMAT_HINT})"));
    };
    let month = u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| format!("bulan {m} tidak ada"))?;
    let day = u8::try_from(d).map_err(|_| format!("tanggal {d} tidak ada"))?;
    Date::from_calendar_date(y, month, day)
        .map_err(|_| format!("tanggal {d} tidak ada di bulan {m} tahun {y}"))
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
    match cell.trim().to_lowercase().as_str() {
        "l" | "lk" | "laki-laki" | "laki laki" | "lakilaki" | "1" => Ok(Sex::Male),
        "p" | "pr" | "perempuan" | "2" => Ok(Sex::Female),
        _ => Err("isi L (laki-laki) atau P (perempuan)".into()),
    }
}

/// `telentang`/`terlentang`/`L` (lying) or `berdiri`/`H` (standing).
pub fn method(cell: &str) -> Result<Measure, String> {
    match cell.trim().to_lowercase().as_str() {
        "telentang" | "terlentang" | "berbaring" | "l" | "pb" => Ok(Measure::Lying),
        "berdiri" | "h" | "tb" => Ok(Measure::Standing),
        _ => Err("isi 'telentang' atau 'berdiri'".into()),
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
