//! The organisation tree and the posyandu calendar (hari buka) of the demo region.

use time::{Date, Month, Weekday};

use crate::model::{Region, ServiceDay, Unit, UnitLevel};
use crate::region::{self, PUSKESMAS};
use crate::rng::DemoRng;

/// A posyandu or poskestren of the tree with what the generator needs to know about it.
#[derive(Clone, Debug)]
pub struct Post {
    pub unit: usize,
    /// Dotted code of the desa the post serves.
    pub desa_code: &'static str,
    pub kecamatan_code: &'static str,
    /// Share of the region's households that live in its area.
    pub weight: f64,
    pub open_day: u8,
    pub poskestren: bool,
}

fn push(
    region: &mut Region,
    level: UnitLevel,
    code: String,
    name: &str,
    wilayah: Option<&str>,
    parent: Option<usize>,
) -> usize {
    region.units.push(Unit {
        level,
        code,
        name: name.to_owned(),
        wilayah_code: wilayah.map(str::to_owned),
        parent,
    });
    region.units.len() - 1
}

/// Builds provinsi → kabupaten → kecamatan → puskesmas → desa → posyandu/poskestren.
pub fn build_tree(region: &mut Region) -> Vec<Post> {
    let prov = push(
        region,
        UnitLevel::Provinsi,
        region::digits(region::PROVINSI.0),
        region::PROVINSI.1,
        Some(region::PROVINSI.0),
        None,
    );
    let kab = push(
        region,
        UnitLevel::Kabupaten,
        region::digits(region::KABUPATEN.0),
        region::KABUPATEN.1,
        Some(region::KABUPATEN.0),
        Some(prov),
    );
    let mut posts = Vec::new();
    for pk in PUSKESMAS {
        let kec = push(
            region,
            UnitLevel::Kecamatan,
            region::digits(pk.kecamatan_code),
            pk.kecamatan_name,
            Some(pk.kecamatan_code),
            Some(kab),
        );
        // Puskesmas code in the Kemenkes style: P + kecamatan digits + serial (invented).
        let pusk = push(
            region,
            UnitLevel::Puskesmas,
            format!("P{}0101", region::digits(pk.kecamatan_code)),
            pk.name,
            None,
            Some(kec),
        );
        for d in pk.desa {
            let desa = push(
                region,
                UnitLevel::Desa,
                region::digits(d.code),
                d.name,
                Some(d.code),
                Some(pusk),
            );
            for (i, name) in d.posyandu.iter().enumerate() {
                let unit = push(
                    region,
                    UnitLevel::Posyandu,
                    format!("PY{:02}", i + 1),
                    name,
                    None,
                    Some(desa),
                );
                posts.push(Post {
                    unit,
                    desa_code: d.code,
                    kecamatan_code: pk.kecamatan_code,
                    weight: d.weight / 2.0,
                    open_day: d.open_day[i],
                    poskestren: false,
                });
            }
            if d.code == region::POSKESTREN_DESA {
                let unit = push(
                    region,
                    UnitLevel::Poskestren,
                    "PK01".to_owned(),
                    region::POSKESTREN_NAME,
                    None,
                    Some(desa),
                );
                posts.push(Post {
                    unit,
                    desa_code: d.code,
                    kecamatan_code: pk.kecamatan_code,
                    weight: 0.0,
                    open_day: region::POSKESTREN_OPEN_DAY,
                    poskestren: true,
                });
            }
        }
    }
    posts
}

/// The months of the demo period as (year, month), oldest first.
pub fn months(first: (i32, Month), count: u32) -> Vec<(i32, Month)> {
    let mut out = Vec::with_capacity(count as usize);
    let (mut y, mut m) = first;
    for _ in 0..count {
        out.push((y, m));
        if m == Month::December {
            y += 1;
        }
        m = m.next();
    }
    out
}

/// The date a post opens in a month: its usual day, moved off Sunday (to Monday) and
/// jittered a little, as posyandu do around holidays and the village calendar.
fn open_date(rng: &mut DemoRng, year: i32, month: Month, day: u8) -> Option<Date> {
    let shift = rng.range(-1, 2) as i8;
    let d = (day as i8 + shift).clamp(1, 28) as u8;
    let mut date = Date::from_calendar_date(year, month, d).ok()?;
    if date.weekday() == Weekday::Sunday {
        date = date.next_day()?;
    }
    Some(date)
}

/// Monthly service days of every post. A posyandu skips about one month a year (still
/// "aktif": ≥ 8 openings a year, domain.md §1.4 S).
pub fn service_days(seed: u64, posts: &[Post], months: &[(i32, Month)], region: &mut Region) {
    for (i, post) in posts.iter().enumerate() {
        let mut rng = DemoRng::new(seed, STREAM_CALENDAR + i as u64);
        for &(y, m) in months {
            if rng.chance(1.0 / 14.0) {
                continue;
            }
            if let Some(date) = open_date(&mut rng, y, m, post.open_day) {
                region.service_days.push(ServiceDay {
                    unit: post.unit,
                    date,
                });
            }
        }
    }
}

/// RNG stream bases, far apart so that no two purposes share a stream.
pub const STREAM_CALENDAR: u64 = 1 << 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_has_twelve_posyandu_and_one_poskestren() {
        let mut r = Region::default();
        let posts = build_tree(&mut r);
        assert_eq!(posts.iter().filter(|p| !p.poskestren).count(), 12);
        assert_eq!(posts.iter().filter(|p| p.poskestren).count(), 1);
        let count = |l| r.units.iter().filter(|u| u.level == l).count();
        assert_eq!(count(UnitLevel::Kabupaten), 1);
        assert_eq!(count(UnitLevel::Puskesmas), 2);
        assert_eq!(count(UnitLevel::Desa), 6);
        for u in &r.units[1..] {
            assert!(u.parent.is_some());
        }
    }

    #[test]
    fn months_roll_over_the_year() {
        let ms = months((2024, Month::November), 24);
        assert_eq!(ms.len(), 24);
        assert_eq!(ms[2], (2025, Month::January));
        assert_eq!(ms[23], (2026, Month::October));
    }

    #[test]
    fn service_days_fall_on_weekdays_in_their_month() {
        let mut r = Region::default();
        let posts = build_tree(&mut r);
        let ms = months((2024, Month::November), 24);
        service_days(7, &posts, &ms, &mut r);
        assert!(r.service_days.len() > 13 * 20);
        for sd in &r.service_days {
            assert_ne!(sd.date.weekday(), Weekday::Sunday);
        }
    }
}
