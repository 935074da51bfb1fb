//! Immunization coverage by antigen, year to date, from the monthly reports alone (the
//! report has no population target, so the denominator is the record's own):
//!
//! - numerator: the doses of the antigen's last basic dose (the last dose of each series
//!   in the IDL set, `domain::immunization::idl_set`) given from January to the month, the
//!   sum of each month's count (`Balita S who received this dose in the month`), and IDL
//!   likewise (children whose basic series became complete in the month);
//! - denominator: the infants 0–11 months registered in the month (the S of the 0–5 and
//!   6–11 month bands), about one year's birth cohort, as the Puskesmas' PWS uses the
//!   infant target.
//!
//! So in October a unit on pace for the whole cohort stands near 10/12; the chart draws
//! that pace as a dashed line, the PWS's cumulative target line.

use domain::immunization::{Vaccine, idl_set};
use report::monthly::{AgeBand, Numbers};
use store::codes::Sex;
use time::Date;

/// One antigen's year to date.
pub struct Antigen {
    /// Its name as the Buku KIA writes it: `DPT-HB-Hib 3`.
    pub name: String,
    /// Doses given from January to the month.
    pub given: u64,
}

/// The year to date of each antigen, and the infants 0–11 months of the last month.
pub struct Coverage {
    pub antigens: Vec<Antigen>,
    pub infants: u64,
    /// The month's number in its year (10 for October): the pace is `month / 12`.
    pub month: u8,
}

impl Coverage {
    /// From the months of a trend (oldest first, the last one the month shown).
    pub fn of(months: &[(Date, Numbers)]) -> Coverage {
        let Some((last, now)) = months.last() else {
            return Coverage {
                antigens: Vec::new(),
                infants: 0,
                month: 1,
            };
        };
        let year: Vec<&Numbers> = months
            .iter()
            .filter(|(m, _)| m.year() == last.year())
            .map(|(_, n)| n)
            .collect();
        let s = now.tally("s");
        let infants = [AgeBand::M0To5, AgeBand::M6To11]
            .iter()
            .flat_map(|b| [Sex::Male, Sex::Female].map(|x| s.of(*b, x)))
            .sum();
        let mut codes: Vec<&'static str> = last_doses();
        codes.push("idl");
        let antigens = codes
            .into_iter()
            .map(|code| Antigen {
                name: name(code),
                given: year.iter().map(|n| n.tally(code).total).sum(),
            })
            .collect();
        Coverage {
            antigens,
            infants,
            month: u8::from(last.month()),
        }
    }

    /// The pace of the year, in percent: the share of the year gone by the month's end.
    pub fn pace(&self) -> f64 {
        f64::from(self.month) * 100.0 / 12.0
    }
}

/// The last dose of each series of the basic (IDL) set, in schedule order.
fn last_doses() -> Vec<&'static str> {
    let set = idl_set(domain::Settings::default().idl_set);
    let mut out: Vec<Vaccine> = Vec::new();
    for v in set.iter().filter_map(|c| Vaccine::from_code(c)) {
        let series = v.series().0;
        match out.iter_mut().find(|o| o.series().0 == series) {
            Some(o) if v.series().1 > o.series().1 => *o = v,
            Some(_) => {}
            None => out.push(v),
        }
    }
    out.sort();
    out.into_iter().map(Vaccine::code).collect()
}

fn name(code: &str) -> String {
    match Vaccine::from_code(code).map(Vaccine::series) {
        Some((series, Some(n))) => format!("{series} {n}"),
        Some((series, None)) => series.to_owned(),
        None => "IDL".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_basic_series_ends_with_these_doses() {
        assert_eq!(
            last_doses(),
            [
                "HB0",
                "BCG",
                "PCV2",
                "DPT_HB_HIB3",
                "OPV4",
                "RV3",
                "MR1",
                "IPV2"
            ]
        );
        assert_eq!(name("DPT_HB_HIB3"), "DPT-HB-Hib 3");
        assert_eq!(name("BCG"), "BCG");
    }
}
