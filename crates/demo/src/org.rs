//! The organisation tree and the posyandu calendar (hari buka) of the demo region.

use time::{Date, Month, Weekday};

use crate::model::{Region, ServiceDay, Staff, StaffRole, Unit, UnitLevel};
use crate::names::{self, FamilyName};
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

/// Lower-case ASCII letters of a name, for login names (`Posyandu Melati` → `melati`).
pub(crate) fn slug(name: &str) -> String {
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| {
            !["posyandu", "poskestren", "puskesmas", "kabupaten"]
                .contains(&w.to_lowercase().as_str())
        })
        .collect();
    words
        .join("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}

/// One demo account per unit that has staff: a kader for each posyandu and the poskestren,
/// a bidan desa for each desa, an officer for each Puskesmas and a Dinkes administrator for
/// the kabupaten. The web app decides how they log in; here they are only the people.
pub fn staff(seed: u64, region: &mut Region) {
    let mut rng = DemoRng::new(seed, STREAM_STAFF);
    let mut out = Vec::new();
    for (i, u) in region.units.iter().enumerate() {
        let parent = u
            .parent
            .map(|p| slug(&region.units[p].name))
            .unwrap_or_default();
        let (role, username, female) = match u.level {
            UnitLevel::Posyandu | UnitLevel::Poskestren => (
                StaffRole::Kader,
                format!("kader.{parent}.{}", slug(&u.name)),
                rng.chance(0.9),
            ),
            UnitLevel::Desa => (StaffRole::Bidan, format!("bidan.{}", slug(&u.name)), true),
            UnitLevel::Puskesmas => (
                StaffRole::PuskesmasOfficer,
                format!("puskesmas.{}", slug(&u.name)),
                rng.chance(0.6),
            ),
            UnitLevel::Kabupaten => (
                StaffRole::DinkesAdmin,
                format!("dinkes.{}", slug(&u.name)),
                rng.chance(0.5),
            ),
            _ => continue,
        };
        let family = FamilyName::draw(&mut rng);
        let born = rng.range(1970, 1998) as i32;
        let display_name = names::full_name(&mut rng, &family, female, born, None);
        out.push(Staff {
            unit: i,
            role,
            username,
            display_name,
        });
    }
    region.staff = out;
}

/// RNG stream bases, far apart so that no two purposes share a stream.
pub const STREAM_CALENDAR: u64 = 1 << 40;
/// RNG stream of the demo accounts.
pub const STREAM_STAFF: u64 = 8 << 40;

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
    fn every_post_has_a_kader_with_a_unique_login() {
        let mut r = Region::default();
        let posts = build_tree(&mut r);
        staff(1, &mut r);
        assert_eq!(
            r.staff
                .iter()
                .filter(|s| s.role == StaffRole::Kader)
                .count(),
            posts.len()
        );
        let names: std::collections::HashSet<&str> =
            r.staff.iter().map(|s| s.username.as_str()).collect();
        assert_eq!(names.len(), r.staff.len());
        assert!(names.contains("kader.tegalrejo.melati"), "{names:?}");
        assert!(names.contains("bidan.tegalrejo"));
        assert!(names.contains("puskesmas.tempursari"));
        assert!(names.contains("dinkes.lumajang"));
        assert!(r.staff.iter().all(|s| {
            s.username
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.')
        }));
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
