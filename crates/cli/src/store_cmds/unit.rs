//! `posyandu unit add puskesmas|posyandu|poskestren` and `posyandu unit list`: the part of
//! the tree only the district knows, added by name under the regions of `region init`.
//!
//! - A Puskesmas stands in a kecamatan and serves some of its desa (`--desa` codes, or
//!   `semua`): the desa are created under it, since in the tree a desa lives under its
//!   Puskesmas. A desa already under another Puskesmas is refused.
//! - A posyandu or poskestren stands in a desa that already has its Puskesmas; two units of
//!   one desa may not share a name.
//!
//! Ids come from the kecamatan/desa code and the name, so the same command run again finds
//! its unit and stores nothing. Every command checks first and writes in one transaction
//! as `system:unit`: a refused command stores nothing.

use std::collections::BTreeSet;

use crate::out::say;
use anyhow::{Context, bail};
use store::model::{NewOrgUnit, OrgLevel, OrgUnit, Outcome};
use store::{Actor, OrgPath, OrgUnitId, Store, Tx};
use wilayah::{Code, Level, Region, Wilayah, WilayahError};

use super::region::{level_label, load, new_region_unit, region_id};
use super::{DbArgs, open_existing};

#[derive(clap::Subcommand, Debug)]
pub enum UnitCommand {
    /// Add a Puskesmas (with the desa it serves), a posyandu or a poskestren, by name.
    #[command(subcommand)]
    Add(AddCommand),
    /// Show the org tree (or the part under PATH or a Kemendagri code) with each unit's path,
    /// the value `posyandu import --unit` takes.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// A unit path (/35/3508/) or a Kemendagri code (35.08.01); the whole tree when absent.
        at: Option<String>,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum AddCommand {
    /// A Puskesmas in a kecamatan, serving the desa given with --desa.
    Puskesmas {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: PuskesmasArgs,
    },
    /// A posyandu in a desa.
    Posyandu {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: PostArgs,
    },
    /// A poskestren (pos kesehatan pesantren) in a desa.
    Poskestren {
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        args: PostArgs,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct PuskesmasArgs {
    /// Name, e.g. "Puskesmas Tempeh" ("Puskesmas " is added when missing).
    pub name: String,
    /// Kemendagri code of its kecamatan, e.g. 35.08.01.
    #[arg(long)]
    pub kecamatan: String,
    /// Desa/kelurahan it serves: codes separated by commas (35.08.01.2001,35.08.01.2002),
    /// or `semua` for every desa of the kecamatan not yet served. More can be added later.
    #[arg(long)]
    pub desa: Option<String>,
    /// Its Kemenkes code (path segment, e.g. P3508010101); made up from the kecamatan code
    /// when absent.
    #[arg(long)]
    pub kode: Option<String>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct PostArgs {
    /// Name, e.g. "Melati" ("Posyandu "/"Poskestren " is added when missing).
    pub name: String,
    /// Kemendagri code of its desa/kelurahan, e.g. 35.08.01.2001.
    #[arg(long)]
    pub desa: String,
    /// Local code (path segment); PY01, PY02, … (PK01, … for a poskestren) when absent.
    #[arg(long)]
    pub kode: Option<String>,
}

pub async fn run(cmd: UnitCommand) -> anyhow::Result<()> {
    let (db, job) = match cmd {
        UnitCommand::Add(AddCommand::Puskesmas { db, args }) => (db, Job::Puskesmas(args)),
        UnitCommand::Add(AddCommand::Posyandu { db, args }) => {
            (db, Job::Post(OrgLevel::Posyandu, args))
        }
        UnitCommand::Add(AddCommand::Poskestren { db, args }) => {
            (db, Job::Post(OrgLevel::Poskestren, args))
        }
        UnitCommand::List { db, at } => (db, Job::List(at)),
    };
    let wilayah = load()?;
    // Units go into a region made by `region init`: a mistyped URL must not create a database.
    let store = open_existing(&db).await?;
    store.migrate().await?;
    let res = match job {
        Job::Puskesmas(a) => match add_puskesmas(&store, &wilayah, &a).await {
            Ok(r) => print_added(&r),
            Err(e) => Err(e),
        },
        Job::Post(level, a) => match add_post(&store, &wilayah, level, &a).await {
            Ok(r) => print_added(&r),
            Err(e) => Err(e),
        },
        Job::List(at) => list(&store, &wilayah, at.as_deref()).await,
    };
    store.close().await;
    res
}

enum Job {
    Puskesmas(PuskesmasArgs),
    Post(OrgLevel, PostArgs),
    List(Option<String>),
}

/// What one `unit add` did.
#[derive(Debug, Clone, PartialEq)]
pub struct Added {
    /// The unit named on the command line.
    pub unit: OrgUnit,
    pub inserted: bool,
    /// Desa created under a new or existing Puskesmas by this run.
    pub desa_inserted: Vec<OrgUnit>,
    /// Desa asked for that were already under this Puskesmas.
    pub desa_existing: usize,
    /// With `--desa semua`: desa of the kecamatan left alone, already under another Puskesmas.
    pub desa_elsewhere: usize,
}

/// "Posyandu Melati" from "melati", "Posyandu  Melati" or "posyandu Melati": spaces
/// collapsed and the kind's word in front, written as the officer wrote the rest.
pub fn display_name(kind: &str, name: &str) -> anyhow::Result<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    let Some(first) = words.first() else {
        bail!("nama {} wajib diisi", kind.to_lowercase());
    };
    if first.eq_ignore_ascii_case(kind) {
        if words.len() == 1 {
            bail!("nama '{}' belum berisi nama {}", name.trim(), kind);
        }
        Ok(std::iter::once(kind)
            .chain(words[1..].iter().copied())
            .collect::<Vec<_>>()
            .join(" "))
    } else {
        Ok(format!("{kind} {}", words.join(" ")))
    }
}

/// The name without the kind's word, compared without case: "Posyandu Melati" and
/// "Poskestren Melati" both are "melati".
fn core_key(name: &str) -> String {
    let key = wilayah::ids::name_key(name);
    for word in ["puskesmas ", "posyandu ", "poskestren "] {
        if let Some(rest) = key.strip_prefix(word) {
            return rest.to_owned();
        }
    }
    key
}

/// A typed code that must exist and be of one of `levels`.
fn region_of<'w>(
    w: &'w Wilayah,
    text: &str,
    levels: &[Level],
    wanted: &'static str,
) -> anyhow::Result<&'w Region> {
    let r = w.lookup(text)?;
    if !levels.contains(&r.level) {
        return Err(WilayahError::WrongLevel {
            code: r.code.to_string(),
            actual: r.level.code(),
            wanted,
        }
        .into());
    }
    Ok(r)
}

/// The kecamatan's unit, or how to make it.
async fn kecamatan_unit(tx: &mut Tx, kec: &Region) -> anyhow::Result<OrgUnit> {
    match tx.find_org_unit(region_id(&kec.code)).await? {
        Some(u) if u.meta.deleted.is_none() => Ok(u),
        _ => bail!(
            "kecamatan {} {} belum ada di basis data: jalankan dulu posyandu region init {}",
            kec.code,
            kec.name,
            kec.code
                .ancestor(2)
                .map(|c| c.to_string())
                .unwrap_or_default()
        ),
    }
}

/// The first `{prefix}{nn}{suffix}` not used by a sibling.
fn free_code(siblings: &[OrgUnit], prefix: &str, suffix: &str) -> anyhow::Result<String> {
    let used: BTreeSet<String> = siblings.iter().map(|u| u.code.to_lowercase()).collect();
    (1..=99)
        .map(|n| format!("{prefix}{n:02}{suffix}"))
        .find(|c| !used.contains(&c.to_lowercase()))
        .context("kode otomatis habis (01–99): beri --kode")
}

/// Refuses a name or code a sibling other than `id` already has.
fn check_siblings(
    siblings: &[OrgUnit],
    id: OrgUnitId,
    name: &str,
    code: Option<&str>,
    place: &str,
) -> anyhow::Result<()> {
    let key = core_key(name);
    for s in siblings.iter().filter(|s| s.id != id) {
        if core_key(&s.name) == key {
            bail!(
                "nama '{name}' sudah dipakai di {place} oleh {} '{}' ({}): beri nama lain. \
                 Tidak ada yang ditulis",
                level_label(s.level),
                s.name,
                s.path
            );
        }
        if let Some(c) = code
            && s.code.eq_ignore_ascii_case(c)
        {
            bail!(
                "kode '{c}' sudah dipakai di {place} oleh '{}' ({}). Tidak ada yang ditulis",
                s.name,
                s.path
            );
        }
    }
    Ok(())
}

/// An existing unit keeps its code: a different `--kode` is a contradiction.
fn same_code(existing: &OrgUnit, kode: Option<&str>) -> anyhow::Result<()> {
    match kode {
        Some(k) if !existing.code.eq_ignore_ascii_case(k.trim()) => bail!(
            "'{}' sudah ada dengan kode {} ({}), bukan {}: kode unit tidak bisa diubah. \
             Tidak ada yang ditulis",
            existing.name,
            existing.code,
            existing.path,
            k.trim()
        ),
        _ => Ok(()),
    }
}

/// The desa `--desa` names: every desa of the kecamatan for `semua`, else each code, which
/// must be a desa/kelurahan of this kecamatan.
fn desa_list<'w>(
    w: &'w Wilayah,
    kec: &Region,
    text: Option<&str>,
) -> anyhow::Result<Vec<&'w Region>> {
    let Some(text) = text else {
        return Ok(Vec::new());
    };
    if text.trim().eq_ignore_ascii_case("semua") {
        return Ok(w.children(&kec.code).collect());
    }
    let mut out: Vec<&Region> = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let d = region_of(w, part, &[Level::Desa, Level::Kelurahan], "desa/kelurahan")?;
        if d.code.parent().as_ref() != Some(&kec.code) {
            let actual = d
                .code
                .parent()
                .and_then(|p| w.get(&p))
                .map(|p| format!("{} {}", p.code, p.name))
                .unwrap_or_default();
            bail!(
                "desa {} {} ada di kecamatan {actual}, bukan di kecamatan {} {}: sebuah Puskesmas \
                 melayani desa di kecamatannya sendiri",
                d.code,
                d.name,
                kec.code,
                kec.name
            );
        }
        if !out.iter().any(|x| x.code == d.code) {
            out.push(d);
        }
    }
    if out.is_empty() {
        bail!("--desa kosong: tulis kode desa dipisah koma, atau semua");
    }
    Ok(out)
}

/// Adds a Puskesmas to its kecamatan (or finds it) and puts the desa it serves under it.
pub async fn add_puskesmas(db: &Store, w: &Wilayah, a: &PuskesmasArgs) -> anyhow::Result<Added> {
    let kec = region_of(w, &a.kecamatan, &[Level::Kecamatan], "kecamatan")?;
    let name = display_name("Puskesmas", &a.name)?;
    let all = a
        .desa
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("semua"));
    let desa = desa_list(w, kec, a.desa.as_deref())?;
    let id = OrgUnitId(wilayah::ids::puskesmas(&kec.code, &name));

    let mut tx = db.begin(&Actor::system("unit")).await?;
    tx.serialize_writes().await?;
    let kec_unit = kecamatan_unit(&mut tx, kec).await?;
    let siblings = tx.org_unit_children(kec_unit.id).await?;
    let place = format!("kecamatan {} {}", kec.code, kec.name);
    let kode = a.kode.as_deref().map(str::trim);
    check_siblings(&siblings, id, &name, kode, &place)?;
    let (unit, inserted) = match tx.find_org_unit(id).await? {
        Some(u) => {
            same_code(&u, kode)?;
            (u, false)
        }
        None => {
            let code = match kode {
                Some(k) => k.to_owned(),
                // Kemenkes style: P + kecamatan digits + serial (as the demo's).
                None => free_code(&siblings, &format!("P{}", kec.code.digits()), "01")?,
            };
            let new = NewOrgUnit {
                id,
                parent_id: Some(kec_unit.id),
                level: OrgLevel::Puskesmas,
                code,
                name: name.clone(),
                region_code: None,
                region_decree: None,
                time_zone: kec_unit.time_zone,
            };
            let s = tx.create_org_unit(&new).await.context("Puskesmas")?;
            (s.record, s.outcome == Outcome::Inserted)
        }
    };
    let mut out = Added {
        unit: unit.clone(),
        inserted,
        desa_inserted: Vec::new(),
        desa_existing: 0,
        desa_elsewhere: 0,
    };
    for d in desa {
        match tx.find_org_unit(region_id(&d.code)).await? {
            Some(u) if u.parent_id == Some(unit.id) => out.desa_existing += 1,
            // `semua` means the desa nobody serves yet.
            Some(_) if all => out.desa_elsewhere += 1,
            Some(u) => {
                let by = match u.parent_id {
                    Some(p) => tx.find_org_unit(p).await?.map(|p| p.name),
                    None => None,
                };
                bail!(
                    "desa {} {} sudah dilayani {} ({}): satu desa hanya di bawah satu Puskesmas. \
                     Tidak ada yang ditulis",
                    d.code,
                    d.name,
                    by.unwrap_or_else(|| "unit lain".to_owned()),
                    u.path
                );
            }
            None => {
                let new = new_region_unit(d, unit.time_zone, Some(unit.id));
                let s = tx
                    .create_org_unit(&new)
                    .await
                    .with_context(|| format!("desa {} {}", d.code, d.name))?;
                out.desa_inserted.push(s.record);
            }
        }
    }
    tx.commit().await?;
    Ok(out)
}

/// Adds a posyandu or poskestren to a desa (or finds it).
pub async fn add_post(
    db: &Store,
    w: &Wilayah,
    level: OrgLevel,
    a: &PostArgs,
) -> anyhow::Result<Added> {
    let (kind, prefix) = match level {
        OrgLevel::Poskestren => ("Poskestren", "PK"),
        _ => ("Posyandu", "PY"),
    };
    let desa = region_of(
        w,
        &a.desa,
        &[Level::Desa, Level::Kelurahan],
        "desa/kelurahan",
    )?;
    let name = display_name(kind, &a.name)?;
    let id = OrgUnitId(wilayah::ids::post(&desa.code, level.code(), &name));

    let mut tx = db.begin(&Actor::system("unit")).await?;
    tx.serialize_writes().await?;
    let desa_unit = match tx.find_org_unit(region_id(&desa.code)).await? {
        Some(u) if u.meta.deleted.is_none() => u,
        _ => {
            let kec = desa
                .code
                .parent()
                .and_then(|k| w.get(&k))
                .context("kecamatan desa")?;
            kecamatan_unit(&mut tx, kec).await?;
            bail!(
                "desa {} {} belum punya Puskesmas: tambahkan dulu, mis. posyandu unit add \
                 puskesmas \"Puskesmas {}\" --kecamatan {} --desa {}",
                desa.code,
                desa.name,
                kec.name,
                kec.code,
                desa.code
            );
        }
    };
    let siblings = tx.org_unit_children(desa_unit.id).await?;
    let place = format!("desa {} {}", desa.code, desa.name);
    let kode = a.kode.as_deref().map(str::trim);
    check_siblings(&siblings, id, &name, kode, &place)?;
    let (unit, inserted) = match tx.find_org_unit(id).await? {
        Some(u) => {
            same_code(&u, kode)?;
            (u, false)
        }
        None => {
            let code = match kode {
                Some(k) => k.to_owned(),
                None => free_code(&siblings, prefix, "")?,
            };
            let new = NewOrgUnit {
                id,
                parent_id: Some(desa_unit.id),
                level,
                code,
                name,
                region_code: None,
                region_decree: None,
                time_zone: desa_unit.time_zone,
            };
            let s = tx.create_org_unit(&new).await.context(kind)?;
            (s.record, s.outcome == Outcome::Inserted)
        }
    };
    tx.commit().await?;
    Ok(Added {
        unit,
        inserted,
        desa_inserted: Vec::new(),
        desa_existing: 0,
        desa_elsewhere: 0,
    })
}

fn print_added(r: &Added) -> anyhow::Result<()> {
    let what = level_label(r.unit.level);
    if r.inserted {
        say!("{what} '{}' ditambahkan: {}", r.unit.name, r.unit.path)?;
    } else {
        say!(
            "{what} '{}' sudah ada, tidak diubah: {}",
            r.unit.name,
            r.unit.path
        )?;
    }
    if r.unit.level == OrgLevel::Puskesmas {
        say!(
            "Desa/kelurahan dilayani: {} baru, {} sudah ada.",
            r.desa_inserted.len(),
            r.desa_existing
        )?;
        for d in &r.desa_inserted {
            say!(
                "  {} {} {}",
                d.region_code.as_deref().unwrap_or(""),
                d.name,
                d.path
            )?;
        }
        if r.desa_elsewhere > 0 {
            say!(
                "{} desa kecamatan ini sudah dilayani Puskesmas lain dan tidak diubah.",
                r.desa_elsewhere
            )?;
        }
    } else {
        say!(
            "Impor register: posyandu import FILE.csv --unit {}",
            r.unit.path
        )?;
    }
    Ok(())
}

/// The units to list: all, or the subtree of a path or of a region code.
async fn units_at(db: &Store, at: Option<&str>) -> anyhow::Result<Vec<OrgUnit>> {
    let actor = Actor::system("unit");
    let Some(at) = at else {
        return Ok(db.org_units_in_scope(&actor).await?);
    };
    let root = unit_at(db, &actor, at).await?;
    Ok(db.org_units_under(&actor, root.id).await?)
}

/// The unit named by a path (`/35/3508/`) or a Kemendagri code (`35.08.01`), as `unit
/// list`, `user add --unit` and `user list --under` take it.
pub async fn unit_at(db: &Store, actor: &Actor, at: &str) -> anyhow::Result<OrgUnit> {
    let at = at.trim();
    let root = if at.starts_with('/') {
        let path = OrgPath::parse(at).map_err(|e| anyhow::anyhow!("path '{at}': {e}"))?;
        db.org_unit_by_path(actor, &path)
            .await?
            .with_context(|| format!("tidak ada unit dengan path {path}"))?
    } else {
        let code = Code::parse(at)?;
        match db.org_unit(actor, region_id(&code)).await {
            Ok(u) => u,
            Err(store::StoreError::NotFound { .. }) => {
                bail!("kode wilayah {code} belum ada di basis data (lihat posyandu unit list)")
            }
            Err(e) => return Err(e.into()),
        }
    };
    Ok(root)
}

/// Prints the tree, one unit a line indented by depth, with its path; a kecamatan also
/// says how many of its desa still wait for their Puskesmas.
pub async fn list(db: &Store, w: &Wilayah, at: Option<&str>) -> anyhow::Result<()> {
    let units = units_at(db, at).await?;
    let Some(top) = units.first() else {
        say!("Basis data belum berisi unit: mulai dengan posyandu region init KODE (mis. 35.08).")?;
        return Ok(());
    };
    let base = top.path.depth();
    // Desa in the tree per kecamatan code, for the "still waiting" note.
    let mut desa_here: std::collections::HashMap<String, usize> = Default::default();
    for d in units.iter().filter(|d| d.level == OrgLevel::Village) {
        if let Some(k) = d.region_code.as_deref().and_then(|c| c.rsplit_once('.')) {
            *desa_here.entry(k.0.to_owned()).or_default() += 1;
        }
    }
    let mut per_level = [0usize; 7];
    for u in &units {
        per_level[level_index(u.level)] += 1;
        let indent = "  ".repeat(u.path.depth().saturating_sub(base));
        let code = u
            .region_code
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        let mut note = String::new();
        if u.level == OrgLevel::District
            && let Some(c) = u.region_code.as_deref().and_then(|c| Code::parse(c).ok())
        {
            let total = w.children(&c).count();
            let here = desa_here.get(c.as_str()).copied().unwrap_or(0);
            if here < total {
                note = format!(
                    " — {} dari {total} desa/kelurahan belum punya Puskesmas",
                    total - here
                );
            }
        }
        say!(
            "{indent}{} [{}{code}] {}{note}",
            u.name,
            level_label(u.level),
            u.path
        )?;
    }
    let counts: Vec<String> = LEVELS
        .iter()
        .map(|l| level_label(*l))
        .zip(per_level)
        .filter(|(_, n)| *n > 0)
        .map(|(l, n)| format!("{n} {l}"))
        .collect();
    say!("{} unit: {}.", units.len(), counts.join(", "))?;
    Ok(())
}

/// The levels in tree order, for the counts line of `unit list`.
const LEVELS: [OrgLevel; 7] = [
    OrgLevel::Province,
    OrgLevel::Regency,
    OrgLevel::District,
    OrgLevel::Puskesmas,
    OrgLevel::Village,
    OrgLevel::Posyandu,
    OrgLevel::Poskestren,
];

fn level_index(l: OrgLevel) -> usize {
    LEVELS.iter().position(|x| *x == l).unwrap_or(0)
}
