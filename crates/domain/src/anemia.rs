//! Anaemia by age and sex, WHO 2011 haemoglobin cut-offs as used by Kemenkes (rules.md §7,
//! domain §3.4 S). Pregnant women use `maternal` instead.

use crate::age::Age;
use crate::catalogue::{self as cat, Findings};
use crate::visit::Sex;

/// (anaemia below, mild from, moderate from) in g/dL for the person's group, or `None`
/// when no WHO row applies (under 6 months, or ≥ 15 y with sex unknown).
fn cut_offs(age: Age, sex: Option<Sex>) -> Option<(f64, f64, f64)> {
    if age.is_balita() {
        return (age.months >= 6).then_some((11.0, 10.0, 7.0));
    }
    if age.years <= 11 {
        return Some((11.5, 11.0, 8.0));
    }
    if age.years <= 14 {
        return Some((12.0, 11.0, 8.0));
    }
    match sex? {
        Sex::Female => Some((12.0, 11.0, 8.0)),
        Sex::Male => Some((13.0, 11.0, 8.0)),
    }
}

/// Mild / moderate / severe anaemia for a non-pregnant person.
pub fn anemia_rules(hb: Option<f64>, age: Age, sex: Option<Sex>, out: &mut Findings) {
    let (Some(hb), Some((anaemic, mild, moderate))) = (hb, cut_offs(age, sex)) else {
        return;
    };
    if hb >= anaemic {
        return;
    }
    out.push(if hb >= mild {
        &cat::ANEMIA_MILD
    } else if hb >= moderate {
        &cat::ANEMIA_MODERATE
    } else {
        &cat::ANEMIA_SEVERE
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::age::completed_months;

    fn run(hb: f64, days: i64, years: i32, sex: Option<Sex>) -> Option<&'static str> {
        let age = Age {
            days,
            months: completed_months(days),
            years,
        };
        let mut f = Findings::default();
        anemia_rules(Some(hb), age, sex, &mut f);
        f.finish().first().map(|r| r.code)
    }

    #[test]
    fn who_2011_table() {
        let (mild, moderate, severe) = (
            Some("anemia_mild"),
            Some("anemia_moderate"),
            Some("anemia_severe"),
        );
        let f = Some(Sex::Female);
        let m = Some(Sex::Male);
        // (hb, age_days, age_years, sex, want)
        let table = [
            // balita ≥ 6 months
            (11.0, 400, 1, f, None),
            (10.99, 400, 1, f, mild),
            (10.0, 400, 1, f, mild),
            (9.99, 400, 1, f, moderate),
            (7.0, 400, 1, f, moderate),
            (6.99, 400, 1, f, severe),
            (6.0, 182, 0, f, None), // 5 completed months: no rule
            (10.9, 183, 0, f, mild),
            (11.2, 1826, 4, f, None),
            // 5–11 y
            (11.49, 1827, 5, m, mild),
            (11.5, 1827, 5, m, None),
            (11.0, 4000, 11, m, mild),
            (10.99, 4000, 11, m, moderate),
            (8.0, 4000, 11, m, moderate),
            (7.99, 4000, 11, m, severe),
            // 12–14 y
            (11.99, 4500, 12, m, mild),
            (12.0, 5400, 14, m, None),
            (10.99, 5400, 14, None, moderate),
            // ≥ 15 y
            (11.99, 6000, 15, f, mild),
            (12.0, 6000, 15, f, None),
            (12.99, 6000, 15, m, mild),
            (13.0, 6000, 15, m, None),
            (11.0, 6000, 15, m, mild),
            (10.99, 20000, 60, m, moderate),
            (7.99, 20000, 60, f, severe),
            (5.0, 6000, 15, None, None),
        ];
        for (hb, days, years, sex, want) in table {
            assert_eq!(
                run(hb, days, years, sex),
                want,
                "hb {hb} day {days} {sex:?}"
            );
        }
    }
}
