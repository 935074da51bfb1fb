//! NIK and KK numbers consistent with the person's birth date, sex and kecamatan of first
//! registration.
//!
//! NIK layout (PP 37/2007 art. 37; domain.md §8 S): digits 1–6 the kecamatan code of first
//! registration (it never changes on moving), 7–8 day of birth (+40 for women), 9–10 month,
//! 11–12 the year's last two digits, 13–16 a serial from 0001. The demo's NIK are
//! syntactically right and use real kecamatan codes (Kepmendagri 300.2.2-2138/2025), but
//! they are invented: none is a real person's.

use std::collections::HashMap;

use time::Date;

use crate::names::Origin;
use crate::rng::DemoRng;

/// Kecamatan where people of each origin were first registered when they moved into the
/// region as adults (dotted codes, all present in `wilayah.csv`).
pub fn home_kecamatan(origin: Origin) -> &'static [&'static str] {
    match origin {
        // Other kecamatan of Lumajang and of neighbouring Jember.
        Origin::Javanese | Origin::ArabicMuslim => {
            &["35.08.03", "35.08.04", "35.08.05", "35.09.01", "35.09.02"]
        }
        // Madura: Bangkalan, Sampang, Pamekasan.
        Origin::Madurese => &["35.26.01", "35.26.03", "35.27.02", "35.27.03", "35.28.02"],
        Origin::Sundanese => &["32.05.01", "32.05.02", "32.05.03"],
        Origin::Batak => &["12.12.01", "12.12.02", "12.12.03"],
        Origin::Bugis => &["73.13.01", "73.13.02", "73.13.03"],
        Origin::Minang => &["13.06.01", "13.06.02", "13.06.03"],
    }
}

/// One of the origin's home kecamatan, at random.
pub fn pick_home(rng: &mut DemoRng, origin: Origin) -> &'static str {
    let list = home_kecamatan(origin);
    let &code = rng.pick(list);
    code
}

/// Hands out NIK serials so that no two persons share a NIK.
#[derive(Default)]
pub struct NikRegistry {
    next_serial: HashMap<String, u32>,
}

impl NikRegistry {
    /// A fresh NIK for someone first registered in `kecamatan` (dotted code).
    pub fn issue(
        &mut self,
        rng: &mut DemoRng,
        kecamatan: &str,
        birth: Date,
        female: bool,
    ) -> String {
        let day = birth.day() + if female { 40 } else { 0 };
        let prefix = format!(
            "{}{:02}{:02}{:02}",
            crate::region::digits(kecamatan),
            day,
            u8::from(birth.month()),
            birth.year().rem_euclid(100)
        );
        let start = rng.range(1, 3) as u32;
        let serial = self.next_serial.entry(prefix.clone()).or_insert(start);
        let nik = format!("{prefix}{:04}", *serial);
        *serial += 1;
        nik
    }
}

/// A KK (kartu keluarga) number: kecamatan, issue date DDMMYY, serial.
pub fn kk_number(kecamatan: &str, issued: Date, serial: u32) -> String {
    format!(
        "{}{:02}{:02}{:02}{:04}",
        crate::region::digits(kecamatan),
        issued.day(),
        u8::from(issued.month()),
        issued.year().rem_euclid(100),
        serial % 10_000
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn nik_encodes_birth_date_and_sex() {
        let mut rng = DemoRng::new(1, 1);
        let mut reg = NikRegistry::default();
        let f = reg.issue(&mut rng, "35.08.01", date!(2023 - 03 - 07), true);
        assert_eq!(f.len(), 16);
        assert_eq!(&f[..12], "350801470323");
        let m = reg.issue(&mut rng, "35.08.01", date!(1961 - 12 - 31), false);
        assert_eq!(&m[..12], "350801311261");
    }

    #[test]
    fn serials_never_repeat_for_the_same_prefix() {
        let mut rng = DemoRng::new(1, 1);
        let mut reg = NikRegistry::default();
        let a = reg.issue(&mut rng, "35.08.02", date!(2020 - 01 - 01), false);
        let b = reg.issue(&mut rng, "35.08.02", date!(2020 - 01 - 01), false);
        assert_ne!(a, b);
        assert_eq!(a[..12], b[..12]);
    }

    #[test]
    fn kk_number_has_sixteen_digits() {
        let kk = kk_number("35.08.01", date!(2015 - 06 - 02), 17);
        assert_eq!(kk, "3508010206150017");
    }

    #[test]
    fn home_kecamatan_codes_exist_in_the_wilayah_file() {
        let Some(text) = crate::region::wilayah_csv() else {
            return;
        };
        for (o, _) in crate::names::ORIGIN_WEIGHTS {
            for code in home_kecamatan(o) {
                let needle = format!("\n{code},");
                assert!(text.contains(&needle), "{code} missing");
                assert!(
                    text.lines()
                        .any(|l| l.starts_with(&format!("{code},")) && l.ends_with(",kecamatan"))
                );
            }
        }
    }
}
