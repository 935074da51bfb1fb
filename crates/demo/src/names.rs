//! Indonesian personal names, written for this project (not copied from any list).
//!
//! Indonesians mostly carry no family name: a Javanese or Madurese person may have one name,
//! younger people usually two or three. Batak families carry the father's marga; some Bugis
//! families of noble descent use the title "Andi". Names also follow the era of birth, so the
//! generator draws older-style names for people born before 1985 and modern ones for children.

use crate::name_lists::*;
use crate::rng::DemoRng;

/// Ethnic/regional origin of a household, which shapes its members' names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Javanese,
    Madurese,
    Sundanese,
    Batak,
    Bugis,
    Minang,
    ArabicMuslim,
}

/// Household origins in a kabupaten of the eastern Java "Tapal Kuda" (Javanese and Madurese
/// majority, migrants from elsewhere). Weights are illustrative, not census figures.
pub const ORIGIN_WEIGHTS: [(Origin, f64); 7] = [
    (Origin::Javanese, 0.52),
    (Origin::Madurese, 0.26),
    (Origin::Sundanese, 0.05),
    (Origin::Batak, 0.04),
    (Origin::Bugis, 0.04),
    (Origin::Minang, 0.03),
    (Origin::ArabicMuslim, 0.06),
];

/// Household-level name information shared by its members.
#[derive(Clone, Debug)]
pub struct FamilyName {
    pub origin: Origin,
    /// Marga passed from the father (Batak) or the "Andi" title line (some Bugis families).
    pub marga: Option<&'static str>,
    pub andi: bool,
}

impl FamilyName {
    pub fn draw(rng: &mut DemoRng) -> Self {
        let weights: Vec<f64> = ORIGIN_WEIGHTS.iter().map(|(_, w)| *w).collect();
        let origin = ORIGIN_WEIGHTS[rng.weighted(&weights)].0;
        let marga = (origin == Origin::Batak).then(|| *rng.pick(BATAK_MARGA));
        let andi = origin == Origin::Bugis && rng.chance(0.25);
        Self {
            origin,
            marga,
            andi,
        }
    }
}

fn pool(origin: Origin) -> &'static Pool {
    match origin {
        Origin::Javanese => &JAVANESE,
        Origin::Madurese => &MADURESE,
        Origin::Sundanese => &SUNDANESE,
        Origin::Batak => &BATAK,
        Origin::Bugis => &BUGIS,
        Origin::Minang => &MINANG,
        Origin::ArabicMuslim => &ARABIC,
    }
}

fn second_names(origin: Origin, female: bool) -> &'static [&'static str] {
    match (origin, female) {
        (Origin::Javanese, false) => JAVANESE_SECOND_M,
        (Origin::Javanese, true) => JAVANESE_SECOND_F,
        (Origin::Madurese, false) => MADURESE_SECOND_M,
        (Origin::Madurese, true) => MADURESE_SECOND_F,
        (Origin::Sundanese, false) => SUNDANESE_SECOND_M,
        (Origin::Sundanese, true) => SUNDANESE_SECOND_F,
        (Origin::Batak, _) => BATAK_MARGA,
        (Origin::Bugis, _) => BUGIS_SECOND,
        (Origin::Minang, false) => MINANG_SECOND_M,
        (Origin::Minang, true) => MINANG_SECOND_F,
        (Origin::ArabicMuslim, false) => ARABIC_SECOND_M,
        (Origin::ArabicMuslim, true) => ARABIC_SECOND_F,
    }
}

/// A full name for a person of `family` born in `birth_year`. `own_marga` is the person's
/// marga when it differs from the household's (a Batak wife keeps her own).
pub fn full_name(
    rng: &mut DemoRng,
    family: &FamilyName,
    female: bool,
    birth_year: i32,
    own_marga: Option<&'static str>,
) -> String {
    let p = pool(family.origin);
    let modern = birth_year >= 2015 && rng.chance(0.45);
    let older = birth_year < 1985;
    let first = if modern {
        *rng.pick(if female { MODERN_F } else { MODERN_M })
    } else if older {
        *rng.pick(if female { p.older_f } else { p.older_m })
    } else {
        // Born 1985–2014: mostly the younger pool, some older-style names.
        let list = match (female, rng.chance(0.7)) {
            (false, true) => p.young_m,
            (true, true) => p.young_f,
            (false, false) => p.older_m,
            (true, false) => p.older_f,
        };
        *rng.pick(list)
    };
    let mut name = String::new();
    if family.andi && rng.chance(0.8) {
        name.push_str("Andi ");
    }
    let christian = family.origin == Origin::Batak;
    let has_prefix = ["Sit", "Nur", "Siti"].iter().any(|p| first.starts_with(p));
    if female && !modern && !christian && !has_prefix && rng.chance(if older { 0.25 } else { 0.1 })
    {
        // "Siti"/"Nur" prefixes are common for Muslim women of all origins.
        name.push_str(if rng.chance(0.6) { "Siti " } else { "Nur " });
    }
    name.push_str(first);
    match family.origin {
        Origin::Batak => {
            if let Some(m) = own_marga.or(family.marga) {
                name.push(' ');
                name.push_str(m);
            }
        }
        origin => {
            // One name is common among the older generation; children mostly get two or three.
            let p_second = if older {
                0.35
            } else if birth_year >= 2005 {
                0.9
            } else {
                0.7
            };
            if rng.chance(p_second) || first.ends_with('.') {
                let second = *rng.pick(second_names(origin, female));
                if second != first {
                    name.push(' ');
                    name.push_str(second);
                }
            }
            if birth_year >= 2015 && rng.chance(0.3) {
                let third = *rng.pick(if female {
                    ARABIC_SECOND_F
                } else {
                    ARABIC_SECOND_M
                });
                if !name.ends_with(third) {
                    name.push(' ');
                    name.push_str(third);
                }
            }
        }
    }
    name
}

/// A marga for a woman marrying into a Batak household (never her husband's own).
pub fn other_marga(rng: &mut DemoRng, husbands: Option<&'static str>) -> &'static str {
    loop {
        let m = *rng.pick(BATAK_MARGA);
        if Some(m) != husbands {
            return m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batak_children_carry_the_household_marga() {
        let mut rng = DemoRng::new(1, 1);
        let fam = FamilyName {
            origin: Origin::Batak,
            marga: Some("Siregar"),
            andi: false,
        };
        for year in [1970, 1995, 2020] {
            let n = full_name(&mut rng, &fam, false, year, None);
            assert!(n.ends_with(" Siregar"), "{n}");
        }
        let wife = full_name(&mut rng, &fam, true, 1990, Some("Lubis"));
        assert!(wife.ends_with(" Lubis"), "{wife}");
    }

    #[test]
    fn names_are_non_empty_and_trimmed() {
        let mut rng = DemoRng::new(3, 3);
        for i in 0..500 {
            let fam = FamilyName::draw(&mut rng);
            let n = full_name(&mut rng, &fam, i % 2 == 0, 1950 + (i % 75), None);
            assert!(!n.is_empty());
            assert_eq!(n.trim(), n);
            assert!(!n.contains("  "), "{n}");
        }
    }

    #[test]
    fn other_marga_differs_from_husbands() {
        let mut rng = DemoRng::new(5, 5);
        for _ in 0..200 {
            assert_ne!(other_marga(&mut rng, Some("Sinaga")), "Sinaga");
        }
    }
}
