//! The shape of a demo region bigger than the fixed tree: which kecamatan and desa of
//! Kabupaten Lumajang it covers, how many posyandu each desa has and how many persons live
//! in each desa.
//!
//! Why: the fixed tree of [`crate::region`] (2 Puskesmas, 6 desa, 12 posyandu) is what the
//! tests, the hand-counted reports and the benchmarks of up to 40,000 persons pin, so it stays
//! exactly as it is up to [`FIXED_TREE_MAX_PERSONS`]. A benchmark of a whole kabupaten
//! (1,000,000 persons) on that tree would put 80,000 persons in a posyandu, where a real one
//! serves about 1,000–3,000 (100–400 balita). Above the limit the region therefore grows
//! kecamatan by kecamatan, in code order, through Lumajang's real Kemendagri codes
//! (`lumajang.csv`, an excerpt of `shared/wilayah/wilayah.csv`): one kecamatan for every
//! [`PERSONS_PER_KECAMATAN`] (Lumajang has about 1.1 million people in 21 kecamatan), one
//! Puskesmas per kecamatan, every desa or kelurahan of a kecamatan taken, each with 2–6
//! posyandu by its size. A posyandu then serves about 1,000–2,000 persons at any size up to a
//! million (all 21 kecamatan, about 730 posyandu); beyond that the posyandu just grow.
//!
//! The shape depends on the number of persons only, not on the seed: it is geography.

use std::sync::OnceLock;

use crate::region::PUSKESMAS;

/// Up to this many persons the demo is the fixed tree of [`crate::region`], unchanged.
pub const FIXED_TREE_MAX_PERSONS: usize = 40_000;

/// One more kecamatan for every this many persons (Lumajang: about 1.1 million in 21).
pub const PERSONS_PER_KECAMATAN: usize = 48_000;

/// A desa's size relative to the fixed tree's desa (whose weights are 0.85–1.25): from 0.8
/// to 2.8, drawn from the code. A desa gets `round(2 × weight)` posyandu, 2–6.
pub const DESA_WEIGHT: (f64, f64) = (0.8, 2.8);

/// Invented posyandu names, flowers as is the custom; a desa's posyandu get distinct ones.
pub const FLOWERS: [&str; 32] = [
    "Melati",
    "Mawar",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Flamboyan",
    "Cempaka",
    "Teratai",
    "Seruni",
    "Bougenville",
    "Sakura",
    "Asoka",
    "Tulip",
    "Kamboja",
    "Lili",
    "Aster",
    "Edelweis",
    "Nusa Indah",
    "Matahari",
    "Kemuning",
    "Sedap Malam",
    "Alamanda",
    "Gardenia",
    "Wijaya Kusuma",
    "Bakung",
    "Soka",
    "Kenikir",
    "Lavender",
    "Krisan",
    "Anyelir",
    "Kana",
    "Gerbera",
];

/// A kecamatan or desa/kelurahan of Lumajang, as in `wilayah.csv`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place {
    /// Dotted Kemendagri code (`35.08.03`, `35.08.03.2001`).
    pub code: &'static str,
    pub name: &'static str,
}

/// A kecamatan of Lumajang with its desa and kelurahan, in code order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LumajangKecamatan {
    pub place: Place,
    pub desa: Vec<Place>,
}

/// The 21 kecamatan and 205 desa/kelurahan of Kabupaten Lumajang (35.08), read once from
/// the embedded excerpt. `'static` so that posts can point at their codes like the fixed
/// tree's do.
pub fn lumajang() -> &'static [LumajangKecamatan] {
    static LIST: OnceLock<Vec<LumajangKecamatan>> = OnceLock::new();
    LIST.get_or_init(|| {
        let mut out: Vec<LumajangKecamatan> = Vec::new();
        for line in include_str!("lumajang.csv").lines() {
            let mut f = line.splitn(3, ',');
            let (Some(code), Some(name), Some(level)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            let place = Place { code, name };
            match (level, out.last_mut()) {
                ("kecamatan", _) => out.push(LumajangKecamatan {
                    place,
                    desa: Vec::new(),
                }),
                ("desa" | "kelurahan", Some(k)) if code.starts_with(k.place.code) => {
                    k.desa.push(place);
                }
                _ => {}
            }
        }
        out
    })
}

/// One posyandu of an added desa.
#[derive(Clone, Debug, PartialEq)]
pub struct PosyanduPlan {
    /// Path segment, `PY01` … `PY06` as in the fixed tree.
    pub code: String,
    pub name: String,
    /// Usual day of the month it opens (hari buka), 1–27: spread over the month.
    pub open_day: u8,
    /// Share of the desa's households in its area (relative).
    pub weight: f64,
}

/// A desa added to the fixed tree, with its people.
#[derive(Clone, Debug, PartialEq)]
pub struct DesaPlan {
    /// Index into [`Plan::kecamatan`].
    pub kecamatan: usize,
    pub place: Place,
    pub persons: usize,
    pub posyandu: Vec<PosyanduPlan>,
}

/// A kecamatan of the scaled region.
#[derive(Clone, Debug, PartialEq)]
pub struct KecamatanPlan {
    pub place: Place,
    /// Index into [`PUSKESMAS`] for Tempursari and Pronojiwo, whose Kecamatan, Puskesmas,
    /// three desa and accounts are the fixed tree's; `None` for a kecamatan added whole.
    pub fixed: Option<usize>,
}

/// The scaled region: the fixed tree with `fixed_persons`, plus the desa in `desa`.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub persons: usize,
    /// Persons of the fixed tree's six desa (the santri of the poskestren included).
    pub fixed_persons: usize,
    /// Kecamatan 35.08.01 … in code order.
    pub kecamatan: Vec<KecamatanPlan>,
    /// The desa that are not the fixed tree's, in code order.
    pub desa: Vec<DesaPlan>,
}

impl Plan {
    /// Posyandu of the whole region (the fixed tree's twelve included; not the poskestren).
    pub fn posyandu(&self) -> usize {
        12 + self.desa.iter().map(|d| d.posyandu.len()).sum::<usize>()
    }
}

/// A number in [0, 1) drawn from `text`: FNV-1a, then SplitMix64's finaliser so that codes
/// one digit apart land far apart.
fn unit_of(text: &str) -> f64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// The posyandu of an added desa: their number from its weight, distinct flower names,
/// open days four days apart from a first day drawn from the code.
fn posyandu_of(desa: &Place, weight: f64) -> Vec<PosyanduPlan> {
    let n = ((2.0 * weight).round() as usize).clamp(2, 6);
    let name0 = (unit_of(&format!("{}/name", desa.code)) * FLOWERS.len() as f64) as usize;
    let day0 = (unit_of(&format!("{}/day", desa.code)) * 27.0) as usize;
    (0..n)
        .map(|i| PosyanduPlan {
            code: format!("PY{:02}", i + 1),
            name: format!("Posyandu {}", FLOWERS[(name0 + i) % FLOWERS.len()]),
            open_day: ((day0 + 4 * i) % 27 + 1) as u8,
            weight: 0.75 + 0.5 * unit_of(&format!("{}/PY{i}", desa.code)),
        })
        .collect()
}

/// The shape for `persons`, or `None` up to [`FIXED_TREE_MAX_PERSONS`] (the fixed tree).
pub fn plan(persons: usize) -> Option<Plan> {
    if persons <= FIXED_TREE_MAX_PERSONS {
        return None;
    }
    let all = lumajang();
    let k = persons.div_ceil(PERSONS_PER_KECAMATAN).clamp(2, all.len());
    let fixed_desa: Vec<(&str, f64)> = PUSKESMAS
        .iter()
        .flat_map(|p| p.desa.iter().map(|d| (d.code, d.weight)))
        .collect();
    let fixed_weight: f64 = fixed_desa.iter().map(|d| d.1).sum();
    let mut kecamatan = Vec::new();
    let mut added: Vec<(usize, Place, f64)> = Vec::new();
    for (ki, kec) in all.iter().take(k).enumerate() {
        kecamatan.push(KecamatanPlan {
            place: kec.place,
            fixed: PUSKESMAS
                .iter()
                .position(|p| p.kecamatan_code == kec.place.code),
        });
        for d in &kec.desa {
            if fixed_desa.iter().any(|(c, _)| *c == d.code) {
                continue;
            }
            let (lo, hi) = DESA_WEIGHT;
            let w = lo + (hi - lo) * unit_of(d.code);
            added.push((ki, *d, w));
        }
    }
    let total = fixed_weight + added.iter().map(|a| a.2).sum::<f64>();
    let share = |w: f64| (persons as f64 * w / total).round() as usize;
    let desa = added
        .into_iter()
        .map(|(kecamatan, place, w)| DesaPlan {
            kecamatan,
            place,
            persons: share(w),
            posyandu: posyandu_of(&place, w),
        })
        .collect();
    Some(Plan {
        persons,
        fixed_persons: share(fixed_weight),
        kecamatan,
        desa,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn up_to_the_limit_the_tree_is_the_fixed_one() {
        assert_eq!(plan(6000), None);
        assert_eq!(plan(FIXED_TREE_MAX_PERSONS), None);
        let p = plan(FIXED_TREE_MAX_PERSONS + 1).expect("scaled");
        // Tempursari and Pronojiwo whole: their other seven desa join the fixed tree.
        assert_eq!(p.kecamatan.len(), 2);
        assert_eq!(p.desa.len(), 7);
        assert!(p.kecamatan.iter().all(|k| k.fixed.is_some()));
    }

    #[test]
    fn the_list_is_lumajang_s_21_kecamatan_and_205_desa() {
        let l = lumajang();
        assert_eq!(l.len(), 21);
        assert_eq!(l.iter().map(|k| k.desa.len()).sum::<usize>(), 205);
        assert_eq!(l[0].place.code, "35.08.01");
        assert_eq!(l[20].place.name, "Sumbersuko");
        // Every fixed-tree desa is in it, under its kecamatan.
        for p in PUSKESMAS {
            let k = l.iter().find(|k| k.place.code == p.kecamatan_code).unwrap();
            for d in p.desa {
                assert!(k.desa.iter().any(|x| x.code == d.code && x.name == d.name));
            }
        }
    }

    /// `lumajang.csv` is a verbatim excerpt of `wilayah.csv` (checked when the shared file
    /// is beside the checkout, as [`crate::region`]'s codes are).
    #[test]
    fn the_excerpt_matches_the_wilayah_file() {
        let Some(text) = crate::region::wilayah_csv() else {
            return;
        };
        let want: Vec<&str> = text.lines().filter(|l| l.starts_with("35.08.")).collect();
        let have: Vec<&str> = include_str!("lumajang.csv").lines().collect();
        assert_eq!(have, want);
    }

    #[test]
    fn the_shape_depends_on_the_persons_only() {
        assert_eq!(plan(250_000), plan(250_000));
        assert_ne!(plan(250_000), plan(300_000));
    }
}
