//! The demo region in parts, each small enough to generate and write on its own.
//!
//! Why: [`crate::generate`] holds the whole region in memory (about 15 kB a person with its
//! two years of services, twice over once mapped to the store's records), which is fine for
//! the fixed tree's 40,000 persons but not for a kabupaten of a million. A scaled region
//! ([`crate::scale`]) is therefore produced as a sequence of parts that `posyandu demo`
//! writes one transaction each, dropping each before the next:
//!
//! 1. the fixed tree, as [`crate::generate_with`] makes it, with the persons of its six desa;
//! 2. the added tree: the other kecamatan with their Puskesmas (one demo officer each), the
//!    added desa and their posyandu;
//! 3. one part per added desa: its households, persons and services.
//!
//! Up to [`scale::FIXED_TREE_MAX_PERSONS`] there is only part 1 with all the persons: the
//! same region, ids and checksum as [`crate::generate`].
//!
//! Ids stay stable, so writing the region again adds nothing: the fixed tree's as before
//! (seed, kind, index); the added units' from their org path; a desa part's records from
//! the desa code and the index inside the part. Each desa part draws its randomness from a
//! seed derived from (seed, desa code), so no two parts share a stream. NIK and KK serials
//! come from one [`Registers`] handed from part to part in their fixed order, so NIKs stay
//! unique across the region.

use sha2::{Digest, Sha256};
use store::OrgUnitId;
use time::Month;

use crate::model::{Region, Staff, StaffRole, Unit, UnitLevel};
use crate::names::{self, FamilyName};
use crate::org::{self, Post};
use crate::population::{Period, Registers};
use crate::region;
use crate::rng::DemoRng;
use crate::scale::{self, Plan};
use crate::to_store::{self, Keys, stable_id};
use crate::{DemoConfig, DemoError};

/// One part: a region of its own with the ids it is written under.
#[derive(Clone, Debug)]
pub struct Part {
    /// What it holds, for progress lines (`desa Bulurejo`).
    pub label: String,
    /// The kecamatan of a desa part (progress is reported by kecamatan).
    pub kecamatan: Option<&'static str>,
    pub region: Region,
    pub keys: Keys,
}

/// The units of a scaled region: the fixed tree's provinsi, kabupaten, kecamatan and
/// Puskesmas first (the fixed part writes them), then every added unit.
#[derive(Clone, Debug)]
struct Tree {
    units: Vec<Unit>,
    ids: Vec<OrgUnitId>,
    fixed_units: usize,
    /// For each desa of the plan: its unit and its posyandu's units.
    desa: Vec<(usize, Vec<usize>)>,
}

/// The parts of the region `cfg` asks for, in the order they must be written.
pub struct Parts {
    cfg: DemoConfig,
    period: Period,
    months: Vec<(i32, Month)>,
    plan: Option<Plan>,
    tree: Option<Tree>,
    registers: Registers,
    next: usize,
}

/// The seed of a desa part: SHA-256 of (seed, desa code), so its streams are its own.
fn part_seed(seed: u64, code: &str) -> u64 {
    let digest = Sha256::digest(format!("posyandu-demo-part/{seed}/{code}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&digest[..8]);
    u64::from_le_bytes(b)
}

fn push(tree: &mut Tree, unit: Unit, id: OrgUnitId) -> usize {
    tree.units.push(unit);
    tree.ids.push(id);
    tree.units.len() - 1
}

/// Builds the scaled region's units for `plan`; the fixed tree's units keep their ids.
fn build_tree(seed: u64, plan: &Plan) -> Tree {
    let mut fixed = Region::default();
    org::build_tree(&mut fixed);
    let find = |level: UnitLevel, parent: Option<usize>, code: Option<&str>| {
        fixed.units.iter().position(|u| {
            u.level == level
                && (parent.is_none() || u.parent == parent)
                && (code.is_none() || u.wilayah_code.as_deref() == code)
        })
    };
    let mut tree = Tree {
        units: Vec::new(),
        ids: Vec::new(),
        fixed_units: 0,
        desa: Vec::new(),
    };
    // (index in `fixed`, parent in `tree`) → index in `tree`.
    let copy = |tree: &mut Tree, i: usize, parent: Option<usize>| {
        let unit = Unit {
            parent,
            ..fixed.units[i].clone()
        };
        push(tree, unit, to_store::unit_id(seed, i))
    };
    let prov = find(UnitLevel::Provinsi, None, None).map(|i| copy(&mut tree, i, None));
    let kab = find(UnitLevel::Kabupaten, None, None).map(|i| copy(&mut tree, i, prov));
    let mut puskesmas: Vec<Option<usize>> = vec![None; plan.kecamatan.len()];
    for (k, kp) in plan.kecamatan.iter().enumerate() {
        if kp.fixed.is_none() {
            continue;
        }
        let Some(fk) = find(UnitLevel::Kecamatan, None, Some(kp.place.code)) else {
            continue;
        };
        let kec = copy(&mut tree, fk, kab);
        puskesmas[k] =
            find(UnitLevel::Puskesmas, Some(fk), None).map(|fp| copy(&mut tree, fp, Some(kec)));
    }
    tree.fixed_units = tree.units.len();
    let mut paths: Vec<String> = Vec::new();
    for u in &tree.units {
        let parent = u.parent.map_or("/", |p| paths[p].as_str());
        paths.push(format!("{parent}{}/", u.code));
    }
    let mut add = |tree: &mut Tree,
                   level,
                   code: String,
                   name: String,
                   wilayah: Option<&str>,
                   parent: usize| {
        let path = format!("{}{code}/", paths[parent]);
        let id = OrgUnitId(stable_id(
            &to_store::namespace(seed),
            "org_unit_path",
            path.as_bytes(),
        ));
        paths.push(path);
        let unit = Unit {
            level,
            code,
            name,
            wilayah_code: wilayah.map(str::to_owned),
            parent: Some(parent),
        };
        push(tree, unit, id)
    };
    for (k, kp) in plan.kecamatan.iter().enumerate() {
        if puskesmas[k].is_some() {
            continue;
        }
        let Some(kab) = kab else { break };
        let digits = region::digits(kp.place.code);
        let kec = add(
            &mut tree,
            UnitLevel::Kecamatan,
            digits.clone(),
            kp.place.name.to_owned(),
            Some(kp.place.code),
            kab,
        );
        // The Kemenkes-style code of the fixed tree's Puskesmas (invented).
        puskesmas[k] = Some(add(
            &mut tree,
            UnitLevel::Puskesmas,
            format!("P{digits}0101"),
            format!("Puskesmas {}", kp.place.name),
            None,
            kec,
        ));
    }
    for d in &plan.desa {
        let Some(pusk) = puskesmas[d.kecamatan] else {
            continue;
        };
        let desa = add(
            &mut tree,
            UnitLevel::Desa,
            region::digits(d.place.code),
            d.place.name.to_owned(),
            Some(d.place.code),
            pusk,
        );
        let posts = d
            .posyandu
            .iter()
            .map(|p| {
                let name = p.name.clone();
                add(
                    &mut tree,
                    UnitLevel::Posyandu,
                    p.code.clone(),
                    name,
                    None,
                    desa,
                )
            })
            .collect();
        tree.desa.push((desa, posts));
    }
    tree
}

impl Parts {
    /// The parts for `cfg`; fails only on a period that is none.
    pub fn new(cfg: &DemoConfig) -> Result<Parts, DemoError> {
        let (start, end) = crate::checked_period(cfg)?;
        let plan = scale::plan(cfg.persons);
        let tree = plan.as_ref().map(|p| build_tree(cfg.seed, p));
        Ok(Parts {
            cfg: cfg.clone(),
            period: Period { start, end },
            months: org::months(cfg.first_month, cfg.months),
            plan,
            tree,
            registers: Registers::default(),
            next: 0,
        })
    }

    /// The scaled shape, or `None` for the fixed tree (a single part).
    pub fn plan(&self) -> Option<&Plan> {
        self.plan.as_ref()
    }

    /// How many parts there are.
    pub fn part_count(&self) -> usize {
        self.plan.as_ref().map_or(1, |p| 2 + p.desa.len())
    }

    /// The fixed tree with all the persons, or (scaled) with its six desa's share.
    fn fixed_part(&mut self) -> Result<Part, DemoError> {
        let mut cfg = self.cfg.clone();
        if let Some(p) = &self.plan {
            cfg.persons = p.fixed_persons;
        }
        let region = crate::generate_with(&cfg, &mut self.registers)?;
        let keys = Keys::whole(&region, cfg.seed);
        Ok(Part {
            label: "wilayah tetap".to_owned(),
            kecamatan: None,
            region,
            keys,
        })
    }

    /// The added units and one demo officer for each added Puskesmas.
    fn tree_part(&self, tree: &Tree) -> Part {
        let mut rng = DemoRng::new(part_seed(self.cfg.seed, "pohon"), org::STREAM_STAFF);
        let staff = (tree.fixed_units..tree.units.len())
            .filter(|&i| tree.units[i].level == UnitLevel::Puskesmas)
            .map(|i| {
                let female = rng.chance(0.6);
                let family = FamilyName::draw(&mut rng);
                let born = rng.range(1970, 1998) as i32;
                Staff {
                    unit: i,
                    role: StaffRole::PuskesmasOfficer,
                    username: format!("puskesmas.{}", org::slug(&tree.units[i].name)),
                    display_name: names::full_name(&mut rng, &family, female, born, None),
                }
            })
            .collect();
        Part {
            label: "pohon wilayah".to_owned(),
            kecamatan: None,
            region: Region {
                units: tree.units.clone(),
                staff,
                ..Region::default()
            },
            keys: Keys {
                namespace: format!("{}/pohon", to_store::namespace(self.cfg.seed)),
                unit_ids: tree.ids.clone(),
                written_before: tree.fixed_units,
            },
        }
    }

    /// The `j`-th added desa with `persons` persons: its units (copies, written by the tree
    /// part) from the provinsi down, and its people.
    fn desa_part(&mut self, j: usize, persons: usize) -> Option<Part> {
        let (plan, tree) = (self.plan.as_ref()?, self.tree.as_ref()?);
        let d = plan.desa.get(j)?;
        let (desa, posts) = tree.desa.get(j)?;
        let mut chain = vec![*desa];
        while let Some(p) = tree.units[chain[chain.len() - 1]].parent {
            chain.push(p);
        }
        chain.reverse();
        chain.extend(posts);
        let local = |g: usize| chain.iter().position(|&c| c == g);
        let units = chain
            .iter()
            .map(|&g| Unit {
                parent: tree.units[g].parent.and_then(local),
                ..tree.units[g].clone()
            })
            .collect();
        let kecamatan = plan.kecamatan[d.kecamatan].place;
        let posts: Vec<Post> = d
            .posyandu
            .iter()
            .zip(posts)
            .filter_map(|(p, &g)| {
                Some(Post {
                    unit: local(g)?,
                    desa_code: d.place.code,
                    kecamatan_code: kecamatan.code,
                    weight: p.weight,
                    open_day: p.open_day,
                    poskestren: false,
                })
            })
            .collect();
        let keys = Keys {
            namespace: format!(
                "{}/desa/{}",
                to_store::namespace(self.cfg.seed),
                region::digits(d.place.code)
            ),
            unit_ids: chain.iter().map(|&g| tree.ids[g]).collect(),
            written_before: chain.len(),
        };
        let mut region = Region {
            units,
            ..Region::default()
        };
        let seed = part_seed(self.cfg.seed, d.place.code);
        crate::fill(
            seed,
            persons,
            &self.period,
            &self.months,
            &posts,
            &mut region,
            &mut self.registers,
        );
        Some(Part {
            label: format!("desa {}", d.place.name),
            kecamatan: Some(kecamatan.name),
            region,
            keys,
        })
    }
}

impl Iterator for Parts {
    type Item = Result<Part, DemoError>;

    /// The next part; generating it advances the NIK and KK registers, so parts come in
    /// their one order.
    fn next(&mut self) -> Option<Self::Item> {
        let n = self.next;
        self.next += 1;
        match n {
            0 => Some(self.fixed_part()),
            1 => {
                let tree = self.tree.take()?;
                let part = self.tree_part(&tree);
                self.tree = Some(tree);
                Some(Ok(part))
            }
            _ => {
                let persons = self.plan.as_ref()?.desa.get(n - 2)?.persons;
                self.desa_part(n - 2, persons).map(Ok)
            }
        }
    }
}

#[cfg(test)]
mod tests;
