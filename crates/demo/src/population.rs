//! Households (KK) and their members across the whole life cycle.
//!
//! Families are grown the way they form: a couple marries, children follow at realistic
//! intervals, grown children leave, grandparents move in, widows live alone. This yields an
//! age structure close to Indonesia's (about 9–10 % balita, 10–12 % aged 60 or more) without
//! drawing ages from a table. Births that fall inside the demo period become pregnancies
//! with an outcome; a birth due after the period's end is an ongoing pregnancy.

use time::{Date, Duration};

use crate::model::{Household, HouseholdRole, Outcome, Person, Pregnancy, Region, Sex};
use crate::names::{self, FamilyName, Origin};
use crate::nik::{self, NikRegistry};
use crate::org::Post;
use crate::rng::DemoRng;

/// What the population step needs to know about the period.
pub struct Period {
    pub start: Date,
    pub end: Date,
}

/// A member before it is placed in the region's vectors.
struct Draft {
    sex: Sex,
    birth: Date,
    role: HouseholdRole,
    /// Index in the household's draft list.
    mother: Option<usize>,
    father: Option<usize>,
    /// Kecamatan of first registration (NIK digits 1–6).
    kecamatan: &'static str,
    own_marga: Option<&'static str>,
}

/// A pregnancy before the mother/child indices are known.
struct DraftPregnancy {
    mother: usize,
    birth: Date,
    gravida: u8,
    parity: u8,
    child: Option<usize>,
    abortion: bool,
}

struct HouseholdDraft {
    members: Vec<Draft>,
    pregnancies: Vec<DraftPregnancy>,
}

const DAYS_PER_YEAR: f64 = 365.25;

fn date_minus_years(end: Date, years: f64) -> Date {
    end - Duration::days((years * DAYS_PER_YEAR).round() as i64)
}

fn years_between(a: Date, b: Date) -> f64 {
    (b - a).whole_days() as f64 / DAYS_PER_YEAR
}

/// Draws the birth date of someone aged between `lo` and `hi` years at `end`.
fn birth_for_age(rng: &mut DemoRng, end: Date, lo: f64, hi: f64) -> Date {
    date_minus_years(end, rng.uniform(lo, hi))
}

/// Kecamatan of first registration for an adult of this origin: locals were born here.
fn adult_kecamatan(rng: &mut DemoRng, origin: Origin, local: &'static str) -> &'static str {
    let p_local = match origin {
        Origin::Javanese | Origin::Madurese | Origin::ArabicMuslim => 0.75,
        _ => 0.2,
    };
    if rng.chance(p_local) {
        local
    } else {
        nik::pick_home(rng, origin)
    }
}

/// Children of a mother married at `married`, up to `horizon` (the end of the period plus
/// a pregnancy). Returns (birth date, abortion?) for every pregnancy in order.
fn reproductive_history(
    rng: &mut DemoRng,
    mother_birth: Date,
    married: Date,
    horizon: Date,
) -> Vec<(Date, bool)> {
    let mut out = Vec::new();
    let mut t = married + Duration::days(rng.range(300, 900));
    let mut live = 0usize;
    // Probability of stopping after the n-th live birth (TFR about 2.2).
    const STOP: [f64; 6] = [0.1, 0.5, 0.55, 0.6, 0.7, 0.85];
    loop {
        if t > horizon || years_between(mother_birth, t) > 44.0 {
            break;
        }
        let abortion = rng.chance(0.06);
        out.push((t, abortion));
        if !abortion {
            live += 1;
            if rng.chance(STOP[(live - 1).min(STOP.len() - 1)]) {
                break;
            }
        }
        let gap_years = if abortion {
            rng.uniform(0.4, 1.5)
        } else {
            // Birth intervals: some short (< 2 y, a KSPR factor), mostly 2–6 y, a few ≥ 10 y.
            match rng.weighted(&[0.12, 0.78, 0.10]) {
                0 => rng.uniform(1.1, 2.0),
                1 => rng.uniform(2.0, 6.0),
                _ => rng.uniform(6.0, 11.0),
            }
        };
        t += Duration::days((gap_years * DAYS_PER_YEAR) as i64);
    }
    out
}

/// What the members of one household share.
#[derive(Clone, Copy)]
struct Home<'a> {
    period: &'a Period,
    origin: Origin,
    marga: Option<&'static str>,
    /// Kecamatan of the household (children are first registered here).
    local: &'static str,
}

/// Adds a couple (or a mother alone) and their children to `h`.
fn add_family(
    rng: &mut DemoRng,
    h: &mut HouseholdDraft,
    home: &Home,
    wife_age: (f64, f64),
    husband_present: f64,
    head_is_husband: bool,
) {
    let Home {
        period: p,
        origin,
        marga,
        local,
    } = *home;
    let wife_birth = birth_for_age(rng, p.end, wife_age.0, wife_age.1);
    let husband = rng.chance(husband_present);
    let wife_role = if husband && head_is_husband {
        HouseholdRole::Spouse
    } else {
        HouseholdRole::Head
    };
    let husband_idx = husband.then(|| {
        let gap = rng.normal_clamped(4.0, 3.0, -2.0, 15.0);
        let birth = wife_birth - Duration::days((gap * DAYS_PER_YEAR) as i64);
        h.members.push(Draft {
            sex: Sex::Male,
            birth,
            role: if head_is_husband {
                HouseholdRole::Head
            } else {
                HouseholdRole::Spouse
            },
            mother: None,
            father: None,
            kecamatan: adult_kecamatan(rng, origin, local),
            own_marga: None,
        });
        h.members.len() - 1
    });
    let wife_marga = (origin == Origin::Batak).then(|| names::other_marga(rng, marga));
    h.members.push(Draft {
        sex: Sex::Female,
        birth: wife_birth,
        role: wife_role,
        mother: None,
        father: None,
        kecamatan: adult_kecamatan(rng, origin, local),
        own_marga: wife_marga,
    });
    let wife_idx = h.members.len() - 1;
    // Marriage age: median about 21; a few child marriages (≤ 16, a KSPR factor).
    let marriage_age = rng.normal_clamped(21.5, 3.2, 15.5, 34.0);
    let married = wife_birth + Duration::days((marriage_age * DAYS_PER_YEAR) as i64);
    let horizon = p.end + Duration::days(275);
    let history = if married < p.end {
        reproductive_history(rng, wife_birth, married, horizon)
    } else {
        Vec::new()
    };
    let mut parity = 0u8;
    for (n, (birth, abortion)) in history.into_iter().enumerate() {
        let gravida = u8::try_from(n + 1).unwrap_or(u8::MAX);
        let born = birth <= p.end;
        let mut child = None;
        if !abortion && born {
            let age = years_between(birth, p.end);
            // Grown children mostly leave (marriage, work); a few children have died.
            let leaves = (age >= 19.0 && rng.chance((age - 17.0) / 8.0)) || rng.chance(0.01);
            if !leaves {
                h.members.push(Draft {
                    sex: if rng.chance(0.512) {
                        Sex::Male
                    } else {
                        Sex::Female
                    },
                    birth,
                    role: HouseholdRole::Child,
                    mother: Some(wife_idx),
                    father: husband_idx,
                    kecamatan: local,
                    own_marga: None,
                });
                child = Some(h.members.len() - 1);
            }
        }
        // Record pregnancies that touch the period: births in it, those ongoing at its end
        // (HPHT before the end), and abortions in it.
        let lmp = birth - Duration::days(280);
        if lmp <= p.end && birth >= p.start {
            h.pregnancies.push(DraftPregnancy {
                mother: wife_idx,
                birth,
                gravida,
                parity,
                child,
                abortion,
            });
        }
        if !abortion && born {
            parity += 1;
        }
    }
}

fn draft_household(
    rng: &mut DemoRng,
    p: &Period,
    post: &Post,
    family: &FamilyName,
) -> HouseholdDraft {
    let mut h = HouseholdDraft {
        members: Vec::new(),
        pregnancies: Vec::new(),
    };
    let local = post.kecamatan_code;
    let home = Home {
        period: p,
        origin: family.origin,
        marga: family.marga,
        local,
    };
    let kind = rng.weighted(&[0.36, 0.28, 0.13, 0.13, 0.05, 0.05]);
    match kind {
        // Young family: wife 18–35.
        0 => add_family(rng, &mut h, &home, (18.0, 35.0), 0.97, true),
        // Established family: wife 35–55.
        1 => add_family(rng, &mut h, &home, (35.0, 55.0), 0.9, true),
        // Three generations: young family plus one or two grandparents.
        2 => {
            add_family(rng, &mut h, &home, (20.0, 42.0), 0.95, true);
            let n = if rng.chance(0.4) { 2 } else { 1 };
            for i in 0..n {
                let sex = if i == 0 && rng.chance(0.65) || i == 1 {
                    Sex::Female
                } else {
                    Sex::Male
                };
                h.members.push(Draft {
                    sex,
                    birth: birth_for_age(rng, p.end, 58.0, 88.0),
                    role: HouseholdRole::Parent,
                    mother: None,
                    father: None,
                    kecamatan: adult_kecamatan(rng, family.origin, local),
                    own_marga: (family.origin == Origin::Batak && sex == Sex::Female)
                        .then(|| names::other_marga(rng, family.marga)),
                });
            }
        }
        // Elderly household: a couple or a widow(er), sometimes with a grandchild.
        3 => {
            add_family(rng, &mut h, &home, (58.0, 85.0), 0.55, true);
            if rng.chance(0.15) {
                h.members.push(Draft {
                    sex: if rng.chance(0.5) {
                        Sex::Male
                    } else {
                        Sex::Female
                    },
                    birth: birth_for_age(rng, p.end, 1.0, 15.0),
                    role: HouseholdRole::Other,
                    mother: None,
                    father: None,
                    kecamatan: local,
                    own_marga: None,
                });
            }
        }
        // Single-parent family: mother 25–50 without a husband in the house.
        4 => add_family(rng, &mut h, &home, (25.0, 50.0), 0.0, false),
        // Young adult living alone or newly married, no children yet.
        _ => {
            let sex = if rng.chance(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            h.members.push(Draft {
                sex,
                birth: birth_for_age(rng, p.end, 19.0, 40.0),
                role: HouseholdRole::Head,
                mother: None,
                father: None,
                kecamatan: adult_kecamatan(rng, family.origin, local),
                own_marga: None,
            });
        }
    }
    h
}

/// Santri of the pondok: adolescents from across Java and Madura in two dormitories.
fn draft_santri(rng: &mut DemoRng, p: &Period, female: bool, count: usize) -> HouseholdDraft {
    let mut h = HouseholdDraft {
        members: Vec::new(),
        pregnancies: Vec::new(),
    };
    for _ in 0..count {
        let origin = if rng.chance(0.6) {
            Origin::Madurese
        } else {
            Origin::Javanese
        };
        h.members.push(Draft {
            sex: if female { Sex::Female } else { Sex::Male },
            birth: birth_for_age(rng, p.end, 12.0, 19.5),
            role: HouseholdRole::Other,
            mother: None,
            father: None,
            kecamatan: nik::pick_home(rng, origin),
            own_marga: None,
        });
    }
    h
}

/// Places a drafted household into the region: names, NIK, KK, indices.
#[allow(clippy::too_many_arguments)]
fn place(
    rng: &mut DemoRng,
    region: &mut Region,
    niks: &mut NikRegistry,
    p: &Period,
    post: &Post,
    family: &FamilyName,
    h: HouseholdDraft,
    kk_serial: u32,
    dorm: Option<&str>,
) {
    let base = region.persons.len();
    let hh = region.households.len();
    let head_birth = h
        .members
        .iter()
        .find(|m| m.role == HouseholdRole::Head)
        .map(|m| m.birth);
    let kk_number = match (dorm, head_birth) {
        (None, Some(b)) => {
            let lo = (b + Duration::days((20.0 * DAYS_PER_YEAR) as i64)).max(Date::MIN);
            let issued =
                lo.max(p.end - Duration::days(20 * 365)) + Duration::days(rng.range(0, 3000));
            Some(nik::kk_number(
                post.kecamatan_code,
                issued.min(p.end),
                kk_serial,
            ))
        }
        _ => None,
    };
    let rw = rng.range(1, 6) as u8;
    let rt = rng.range(1, 4) as u8 + (rw - 1) * 3;
    let dusun = [
        "Krajan",
        "Sumbersari",
        "Karanganyar",
        "Kebonsari",
        "Gunungsari",
        "Sukomulyo",
    ];
    let address = match dorm {
        Some(name) => format!("{name}, Pondok Pesantren Nurul Huda"),
        None => format!("Dusun {}", rng.pick(&dusun)),
    };
    region.households.push(Household {
        unit: post.unit,
        kk_number,
        address,
        rt,
        rw,
    });
    for m in h.members.iter() {
        let fam = if m.role == HouseholdRole::Other && dorm.is_some() {
            // A santri's name follows where they come from (Madura or Java).
            let madura = ["35.26", "35.27", "35.28"]
                .iter()
                .any(|k| m.kecamatan.starts_with(k));
            FamilyName {
                origin: if madura {
                    Origin::Madurese
                } else {
                    Origin::Javanese
                },
                marga: None,
                andi: false,
            }
        } else {
            family.clone()
        };
        let female = m.sex == Sex::Female;
        let name = names::full_name(rng, &fam, female, m.birth.year(), m.own_marga);
        let age_days = (p.end - m.birth).whole_days();
        // Newborns often have no NIK yet: their records go by the mother's NIK.
        let nik = if age_days < 120 && rng.chance(0.6) || age_days < 365 && rng.chance(0.08) {
            None
        } else {
            Some(niks.issue(rng, m.kecamatan, m.birth, female))
        };
        region.persons.push(Person {
            household: hh,
            unit: post.unit,
            nik,
            name,
            sex: m.sex,
            birth_date: m.birth,
            role: m.role,
            mother: m.mother.map(|i| base + i),
            father: m.father.map(|i| base + i),
        });
    }
    for dp in h.pregnancies {
        let lmp = dp.birth - Duration::days(280 - rng.range(-10, 10));
        let due = lmp + Duration::days(280);
        let outcome = if dp.abortion {
            // An abortion in the first trimester, 8–14 weeks after HPHT.
            let at = lmp + Duration::days(rng.range(56, 98));
            (at <= p.end).then_some((Outcome::Abortion, at))
        } else if dp.birth <= p.end {
            Some((Outcome::LiveBirth, dp.birth))
        } else {
            None
        };
        region.pregnancies.push(Pregnancy {
            mother: base + dp.mother,
            lmp,
            due,
            gravida: dp.gravida,
            parity: dp.parity,
            kspr_factors: Vec::new(),
            outcome,
            child: dp.child.map(|i| base + i),
        });
    }
}

/// RNG stream base of households.
pub const STREAM_HOUSEHOLD: u64 = 2 << 40;

/// The numbers a region hands out once: NIK serials and KK serials. A region generated in
/// parts ([`crate::parts`]) passes one `Registers` from part to part, in a fixed order, so
/// that no two persons of the whole region share a NIK.
pub struct Registers {
    pub niks: NikRegistry,
    /// Serial of the next KK number.
    pub next_kk: u32,
}

impl Default for Registers {
    fn default() -> Self {
        Self {
            niks: NikRegistry::default(),
            next_kk: 1,
        }
    }
}

/// Generates about `target` persons spread over the posts by their weights, plus santri
/// of the poskestren (when there is one). Households are generated in a fixed order, so NIK
/// serials are stable.
pub fn generate(
    seed: u64,
    target: usize,
    p: &Period,
    posts: &[Post],
    region: &mut Region,
    registers: &mut Registers,
) {
    let niks = &mut registers.niks;
    let total_w: f64 = posts.iter().map(|q| q.weight).sum();
    let santri = if posts.iter().any(|q| q.poskestren) {
        (target / 60).max(10)
    } else {
        0
    };
    let residents = target.saturating_sub(santri);
    let mut stream = 0u64;
    let mut kk_serial = registers.next_kk;
    for post in posts {
        if post.poskestren {
            let mut rng = DemoRng::new(seed, STREAM_HOUSEHOLD + stream);
            stream += 1;
            for (female, dorm, n) in [
                (false, "Asrama Putra", santri / 2),
                (true, "Asrama Putri", santri - santri / 2),
            ] {
                let h = draft_santri(&mut rng, p, female, n);
                let fam = FamilyName::draw(&mut rng);
                place(&mut rng, region, niks, p, post, &fam, h, 0, Some(dorm));
            }
            continue;
        }
        let want = (residents as f64 * post.weight / total_w).round() as usize;
        let first = region.persons.len();
        while region.persons.len() - first < want {
            let mut rng = DemoRng::new(seed, STREAM_HOUSEHOLD + stream);
            stream += 1;
            let family = FamilyName::draw(&mut rng);
            let h = draft_household(&mut rng, p, post, &family);
            if h.members.is_empty() {
                continue;
            }
            place(&mut rng, region, niks, p, post, &family, h, kk_serial, None);
            kk_serial += 1;
        }
    }
    registers.next_kk = kk_serial;
}
