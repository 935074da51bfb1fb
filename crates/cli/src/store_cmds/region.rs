//! `posyandu region init CODE`: the province, kabupaten/kota and kecamatan of a region from
//! the Kemendagri codes shipped in the program (crate `wilayah`).
//!
//! Desa/kelurahan are not made here: in the org tree a desa lives under the Puskesmas that
//! serves it (`/35/3508/350801/P…/3508012001/`), and which Puskesmas that is only the
//! district knows. `posyandu unit add puskesmas … --desa …` makes them (module `unit`).
//! Ids come from the codes and everything is written in one transaction as `system:region`,
//! so a second run stores nothing and a refused run stores nothing either.

use crate::out::say;
use anyhow::{Context, bail};
use store::model::{NewOrgUnit, OrgLevel, OrgUnit, Outcome, TimeZone};
use store::{Actor, OrgPath, OrgUnitId, Store};
use wilayah::{Code, Level, Region, Wilayah, Zone};

use super::{DbArgs, open_migrated};

#[derive(clap::Subcommand, Debug)]
pub enum RegionCommand {
    /// Create a province or kabupaten/kota with its kecamatan from the Kemendagri codes
    /// (Kepmendagri 300.2.2-2138/2025). Running it again changes nothing.
    Init {
        #[command(flatten)]
        db: DbArgs,
        /// Province (35) or kabupaten/kota (35.08) code, dotted or plain digits (3508).
        code: String,
    },
}

pub async fn run(cmd: RegionCommand) -> anyhow::Result<()> {
    match cmd {
        RegionCommand::Init { db, code } => {
            let wilayah = load()?;
            let store = open_migrated(&db).await?;
            let res = match init(&store, &wilayah, &code).await {
                Ok(r) => print_init(&r),
                Err(e) => Err(e),
            };
            store.close().await;
            res
        }
    }
}

/// The code list shipped with the program.
pub fn load() -> anyhow::Result<Wilayah> {
    Ok(Wilayah::embedded()?)
}

/// The store's level for a level of the code list.
pub fn org_level(l: Level) -> OrgLevel {
    match l {
        Level::Provinsi => OrgLevel::Province,
        Level::Kabupaten | Level::Kota => OrgLevel::Regency,
        Level::Kecamatan => OrgLevel::District,
        Level::Kelurahan | Level::Desa => OrgLevel::Village,
    }
}

/// How a level is named to the officer.
pub fn level_label(l: OrgLevel) -> &'static str {
    match l {
        OrgLevel::Province => "provinsi",
        OrgLevel::Regency => "kabupaten/kota",
        OrgLevel::District => "kecamatan",
        OrgLevel::Puskesmas => "Puskesmas",
        OrgLevel::Village => "desa/kelurahan",
        OrgLevel::Posyandu => "posyandu",
        OrgLevel::Poskestren => "poskestren",
    }
}

/// The org unit id of a region (province … desa), derived from its code.
pub fn region_id(code: &Code) -> OrgUnitId {
    OrgUnitId(wilayah::ids::region_unit(code))
}

/// The time zone of every unit in a province.
pub fn zone(code: &Code) -> anyhow::Result<TimeZone> {
    let province = code.ancestor(1).context("kode wilayah kosong")?;
    let z = Zone::of_province(province.as_str())
        .with_context(|| format!("zona waktu provinsi {province} tidak dikenal"))?;
    TimeZone::from_code(z.code()).with_context(|| format!("zona waktu {}", z.code()))
}

/// The org unit a region becomes (its parent is the region one level up).
pub fn new_region_unit(r: &Region, tz: TimeZone, parent: Option<OrgUnitId>) -> NewOrgUnit {
    NewOrgUnit {
        id: region_id(&r.code),
        parent_id: parent,
        level: org_level(r.level),
        code: r.code.digits(),
        name: r.name.clone(),
        region_code: Some(r.code.to_string()),
        region_decree: Some(wilayah::DECREE.to_owned()),
        time_zone: tz,
    }
}

/// What one `region init` did.
#[derive(Debug, Clone, PartialEq)]
pub struct InitReport {
    pub code: String,
    pub name: String,
    /// Units stored by this run, per level (province, regency, district).
    pub inserted: [u64; 3],
    /// Units that were already there, per level.
    pub existing: [u64; 3],
    /// Desa/kelurahan of the region in the code list, and how many are in the tree already.
    pub desa_total: usize,
    pub desa_stored: usize,
    /// The region's unit, for `unit list`.
    pub path: OrgPath,
    /// A kecamatan of the region, for the hint printed after.
    pub first_kecamatan: Option<(String, String)>,
}

/// Creates the region `code_text` (province or kabupaten/kota) with its ancestors and its
/// kecamatan, in one transaction. Refuses, storing nothing, a code that is unknown or of
/// another level, and a tree position already held by a unit not made from the codes.
pub async fn init(db: &Store, wilayah: &Wilayah, code_text: &str) -> anyhow::Result<InitReport> {
    let region = wilayah.lookup(code_text)?;
    let code = &region.code;
    match region.level {
        Level::Provinsi | Level::Kabupaten | Level::Kota => {}
        other => bail!(
            "region init memakai kode provinsi (mis. 35) atau kabupaten/kota (mis. 35.08); \
             {code} {} adalah {}: jalankan region init {} lalu tambahkan Puskesmas-nya dengan \
             posyandu unit add puskesmas",
            region.name,
            other.code(),
            code.ancestor(2).map(|c| c.to_string()).unwrap_or_default()
        ),
    }
    let tz = zone(code)?;
    // Ancestors first, then the region's own subtree down to kecamatan, parents before children.
    let mut plan: Vec<&Region> = Vec::new();
    for depth in 1..code.depth() {
        let a = code.ancestor(depth).context("kode induk")?;
        plan.push(
            wilayah
                .get(&a)
                .with_context(|| format!("kode induk {a} tidak ada di daftar"))?,
        );
    }
    plan.extend(wilayah.subtree(code).iter().filter(|r| r.code.depth() <= 3));

    let actor = Actor::system("region");
    let mut tx = db.begin(&actor).await?;
    tx.serialize_writes().await?;
    let mut report = InitReport {
        code: code.to_string(),
        name: region.name.clone(),
        inserted: [0; 3],
        existing: [0; 3],
        desa_total: 0,
        desa_stored: 0,
        path: OrgPath::root(),
        first_kecamatan: None,
    };
    for r in &plan {
        let parent = r.code.parent().map(|p| region_id(&p));
        let new = new_region_unit(r, tz, parent);
        let path = region_path(&r.code)?;
        if let Some(other) = tx.find_org_unit_by_path(&path).await?
            && other.id != new.id
        {
            bail!(
                "unit '{}' ({path}) sudah ada di basis data tetapi tidak dibuat dari kode wilayah \
                 (mis. dari posyandu demo): pakai basis data tanpa demo untuk wilayah sendiri. \
                 Tidak ada yang ditulis",
                other.name
            );
        }
        let stored = tx
            .create_org_unit(&new)
            .await
            .with_context(|| format!("{} {} {}", r.level.code(), r.code, r.name))?;
        let i = r.code.depth() - 1;
        match stored.outcome {
            Outcome::Inserted => report.inserted[i] += 1,
            Outcome::Duplicate => report.existing[i] += 1,
        }
        if r.code == *code {
            report.path = stored.record.path.clone();
        }
        if r.code.depth() == 3 && report.first_kecamatan.is_none() {
            report.first_kecamatan = Some((r.code.to_string(), r.name.clone()));
        }
    }
    tx.commit().await?;
    let desa: Vec<&Region> = wilayah
        .subtree(code)
        .iter()
        .filter(|r| r.code.depth() == 4)
        .collect();
    report.desa_total = desa.len();
    let units = db.org_units_under(&actor, region_id(code)).await?;
    report.desa_stored = count_desa(&units);
    Ok(report)
}

fn count_desa(units: &[OrgUnit]) -> usize {
    units
        .iter()
        .filter(|u| u.level == OrgLevel::Village && u.region_code.is_some())
        .count()
}

/// The path of a province, kabupaten/kota or kecamatan: its codes without dots
/// (`/35/3508/350801/`). Desa paths also hold their Puskesmas, so they have none here.
pub fn region_path(code: &Code) -> anyhow::Result<OrgPath> {
    let mut path = OrgPath::root();
    for depth in 1..=code.depth().min(3) {
        let a = code.ancestor(depth).context("kode induk")?;
        path = path.child(&a.digits())?;
    }
    Ok(path)
}

fn print_init(r: &InitReport) -> anyhow::Result<()> {
    let total_new: u64 = r.inserted.iter().sum();
    let total_old: u64 = r.existing.iter().sum();
    say!(
        "Wilayah {} {} ({}): {total_new} unit baru, {total_old} sudah ada.",
        r.code,
        r.name,
        wilayah::DECREE_TITLE
    )?;
    for (i, label) in ["provinsi", "kabupaten/kota", "kecamatan"]
        .iter()
        .enumerate()
    {
        say!(
            "  {label}: {} baru, {} sudah ada",
            r.inserted[i],
            r.existing[i]
        )?;
    }
    say!(
        "Desa/kelurahan: {} menurut {}, {} sudah di pohon (di bawah Puskesmas-nya).",
        r.desa_total,
        wilayah::DECREE_TITLE,
        r.desa_stored
    )?;
    if r.desa_stored < r.desa_total {
        let (kec, name) = r
            .first_kecamatan
            .clone()
            .unwrap_or_else(|| ("PP.KK.CC".to_owned(), "…".to_owned()));
        say!(
            "Desa dibuat saat Puskesmas yang melayaninya ditambahkan, mis.:\n  posyandu unit add puskesmas \"Puskesmas {name}\" --kecamatan {kec} --desa semua"
        )?;
    }
    say!("Lihat pohon dan path unit: posyandu unit list {}", r.path)?;
    Ok(())
}
