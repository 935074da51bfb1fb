//! `posyandu import`: stores a register CSV (persons and weighings, e-PPGBM-style).
//!
//! The file is read and checked first (`demo::register_import`, pure): every bad row is
//! reported with its line, column and value. Each good row is then stored in its own
//! transaction (the person, the mother link and the weighing together, or nothing), with
//! ids derived from the row's natural keys, so importing the same file again adds nothing.
//! A person already registered with the same NIK keeps their record. Implausible
//! measurements are stored with the "periksa ulang" flag and listed.

use crate::out::say;
use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Context;
use demo::register_import::{self, RegisterRow, RowError, RowNote, UnitRef, keys};
use growth::Measure;
use store::model::{
    Capture, MeasurementKind, NewMeasurement, NewPerson, NewRelationship, NewVisit, OrgLevel,
    OrgUnit, Outcome, RelationKind,
};
use store::{Actor, MeasurementId, OrgPath, PersonId, RelationshipId, Store, VisitId};
use time::{OffsetDateTime, UtcOffset};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// Register CSV (UTF-8; separator , ; or tab; decimal comma or point).
    pub file: PathBuf,
    /// Org unit the rows belong to, as its path (e.g. /35/3508/350801/P3508010101/3508012001/PY01/).
    /// A posyandu takes every row; a higher unit needs kode_desa + posyandu in each row.
    #[arg(long)]
    pub unit: String,
    /// Only check the file and report; store nothing.
    #[arg(long)]
    pub check: bool,
    /// Also write the rejected rows' problems to this CSV (baris, kolom, nilai, alasan).
    #[arg(long)]
    pub errors: Option<PathBuf>,
}

/// Counts of one import.
#[derive(Default, Debug)]
struct Tally {
    rows_stored: u64,
    persons_new: u64,
    persons_existing: u64,
    weighings_new: u64,
    weighings_existing: u64,
    flagged: u64,
}

pub async fn run(db: &Store, args: &ImportArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file)
        .with_context(|| format!("tidak bisa membaca {}", args.file.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "{} bukan teks UTF-8: simpan ulang sebagai \"CSV UTF-8\"",
            args.file.display()
        )
    })?;
    // "Today" in WIB bounds birth and measurement dates.
    let wib = UtcOffset::from_hms(7, 0, 0).unwrap_or(UtcOffset::UTC);
    let today = OffsetDateTime::now_utc().to_offset(wib).date();
    let parsed = register_import::parse(&text, today)?;

    let path =
        OrgPath::parse(&args.unit).map_err(|e| anyhow::anyhow!("--unit '{}': {e}", args.unit))?;
    let system = Actor::system("import");
    let scope_unit = db
        .org_unit_by_path(&system, &path)
        .await?
        .with_context(|| format!("unit '{}' tidak ada di basis data", args.unit))?;
    let actor = system.narrowed(&scope_unit.path);
    let units = db.org_units_under(&actor, scope_unit.id).await?;

    let mut errors: Vec<RowError> = parsed.errors.clone();
    let mut resolved: Vec<(&RegisterRow, &OrgUnit)> = Vec::new();
    let mut cache: HashMap<UnitRef, Result<usize, RowError>> = HashMap::new();
    for row in &parsed.rows {
        let r = cache
            .entry(row.unit.clone())
            .or_insert_with(|| resolve_unit(&scope_unit, &units, &row.unit, row.line))
            .clone();
        match r {
            Ok(i) => resolved.push((row, &units[i])),
            Err(mut e) => {
                e.line = row.line;
                errors.push(e);
            }
        }
    }

    let mut tally = Tally::default();
    let mut db_notes: Vec<RowNote> = Vec::new();
    if !args.check {
        // Persons are counted once per import, however many weighings they have.
        let mut seen = std::collections::HashSet::new();
        for (row, unit) in &resolved {
            match store_row(db, &actor, row, unit).await {
                Ok(r) => {
                    tally.rows_stored += 1;
                    if seen.insert(r.person_id) {
                        if r.person_inserted {
                            tally.persons_new += 1;
                        } else {
                            tally.persons_existing += 1;
                        }
                    }
                    match r.weighing_inserted {
                        Some(true) => tally.weighings_new += 1,
                        Some(false) => tally.weighings_existing += 1,
                        None => {}
                    }
                    tally.flagged += r.flagged;
                    if let Some(message) = r.differs {
                        let nik = row
                            .person
                            .nik
                            .as_ref()
                            .map(|n| n.as_str())
                            .unwrap_or_default();
                        db_notes.push(RowNote {
                            line: row.line,
                            field: "nik",
                            value: format!("…{}", &nik[nik.len().saturating_sub(4)..]),
                            message,
                        });
                    }
                }
                Err(e) => errors.push(RowError {
                    line: row.line,
                    field: "baris",
                    value: String::new(),
                    reason: format!("gagal disimpan, tidak ada yang ditulis: {e:#}"),
                }),
            }
        }
    }
    errors.sort_by_key(|e| e.line);
    report(args, &parsed, &tally, &errors, &db_notes, resolved.len())?;
    let rejected: std::collections::BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
    if !rejected.is_empty() {
        anyhow::bail!(
            "{} baris tidak disimpan (lihat daftar di atas)",
            rejected.len()
        );
    }
    Ok(())
}

/// Finds the posyandu of a row: the scope itself when it is a posyandu/poskestren and the
/// row names none, else the desa by Kemendagri code and the post by code or name.
fn resolve_unit(
    scope: &OrgUnit,
    units: &[OrgUnit],
    r: &UnitRef,
    line: u64,
) -> Result<usize, RowError> {
    let is_post = |u: &OrgUnit| matches!(u.level, OrgLevel::Posyandu | OrgLevel::Poskestren);
    let fail = |field: &'static str, value: &str, reason: String| RowError {
        line,
        field,
        value: value.to_owned(),
        reason,
    };
    let pick_post = |under: &OrgUnit, want: &str| {
        let w = want.trim().to_lowercase();
        units.iter().position(|u| {
            is_post(u)
                && u.parent_id == Some(under.id)
                && (u.code.to_lowercase() == w
                    || u.name.to_lowercase() == w
                    || u.name.to_lowercase() == format!("posyandu {w}"))
        })
    };
    match (&r.desa_code, &r.posyandu) {
        (None, None) if is_post(scope) => units
            .iter()
            .position(|u| u.id == scope.id)
            .ok_or_else(|| fail("posyandu", "", "unit tidak ditemukan".into())),
        (None, None) => Err(fail(
            "posyandu",
            "",
            format!(
                "kosong: isi kode_desa dan posyandu, atau pilih --unit sebuah posyandu (sekarang {})",
                scope.name
            ),
        )),
        (Some(desa), post) => {
            let dotted = format!(
                "{}.{}.{}.{}",
                &desa[0..2],
                &desa[2..4],
                &desa[4..6],
                &desa[6..10]
            );
            let Some(d) = units.iter().find(|u| {
                u.level == OrgLevel::Village && u.region_code.as_deref() == Some(dotted.as_str())
            }) else {
                return Err(fail(
                    "kode_desa",
                    &dotted,
                    format!("desa ini tidak ada di bawah {}", scope.name),
                ));
            };
            match post {
                Some(p) => pick_post(d, p)
                    .ok_or_else(|| fail("posyandu", p, format!("tidak ada di desa {}", d.name))),
                None => {
                    let posts: Vec<usize> = units
                        .iter()
                        .enumerate()
                        .filter(|(_, u)| is_post(u) && u.parent_id == Some(d.id))
                        .map(|(i, _)| i)
                        .collect();
                    match posts.as_slice() {
                        [one] => Ok(*one),
                        _ => Err(fail(
                            "posyandu",
                            "",
                            format!(
                                "wajib diisi: desa {} punya {} posyandu",
                                d.name,
                                posts.len()
                            ),
                        )),
                    }
                }
            }
        }
        (None, Some(p)) => {
            if is_post(scope) && pick_post_matches(scope, p) {
                return units
                    .iter()
                    .position(|u| u.id == scope.id)
                    .ok_or_else(|| fail("posyandu", p, "unit tidak ditemukan".into()));
            }
            let hits: Vec<usize> = units
                .iter()
                .enumerate()
                .filter(|(_, u)| {
                    is_post(u)
                        && (u.name.eq_ignore_ascii_case(p.trim())
                            || u.code.eq_ignore_ascii_case(p.trim()))
                })
                .map(|(i, _)| i)
                .collect();
            match hits.as_slice() {
                [one] => Ok(*one),
                [] => Err(fail(
                    "posyandu",
                    p,
                    format!("tidak ada di bawah {}", scope.name),
                )),
                _ => Err(fail(
                    "posyandu",
                    p,
                    "nama ini dipakai beberapa posyandu: isi juga kode_desa".into(),
                )),
            }
        }
    }
}

fn pick_post_matches(u: &OrgUnit, want: &str) -> bool {
    let w = want.trim();
    u.code.eq_ignore_ascii_case(w) || u.name.eq_ignore_ascii_case(w)
}

/// What storing one row did.
struct RowResult {
    person_id: PersonId,
    person_inserted: bool,
    /// None when the row has no measurement; else whether the weighing was new.
    weighing_inserted: Option<bool>,
    flagged: u64,
    /// The stored person (found by NIK) differs from the row: kept as stored, to re-check.
    differs: Option<String>,
}

/// The person registered in scope under `nik` as their own NIK (not a newborn carrying the
/// mother's NIK), if any.
async fn registered_by_nik(
    db: &Store,
    actor: &Actor,
    nik: Option<&store::nik::Nik>,
) -> anyhow::Result<Option<store::Person>> {
    let Some(nik) = nik else { return Ok(None) };
    Ok(db
        .persons_by_nik(actor, nik)
        .await?
        .into_iter()
        .find(|x| !x.nik_is_mother))
}

/// Stores one row (person, mother link, weighing) in one transaction.
async fn store_row(
    db: &Store,
    actor: &Actor,
    row: &RegisterRow,
    unit: &OrgUnit,
) -> anyhow::Result<RowResult> {
    let p = &row.person;
    let key = keys::person_key(p);
    // Someone already registered with this NIK keeps their record (and id).
    let existing = registered_by_nik(db, actor, p.nik.as_ref()).await?;
    let mother = registered_by_nik(db, actor, p.mother_nik.as_ref()).await?;
    let person_id = existing
        .as_ref()
        .map_or(PersonId(keys::person_id(&key)), |x| x.id);
    let mut tx = db.begin(actor).await?;
    let mut r = RowResult {
        person_id,
        person_inserted: false,
        weighing_inserted: None,
        flagged: 0,
        differs: None,
    };
    if let Some(x) = &existing {
        let mut diff = Vec::new();
        if keys::normalise_name(&x.name) != keys::normalise_name(&p.name) {
            diff.push(format!("nama '{}'", x.name));
        }
        if x.birth_date != p.birth_date {
            diff.push(format!("tanggal lahir {}", x.birth_date));
        }
        if x.sex != p.sex {
            diff.push(format!("jenis kelamin {}", x.sex.code()));
        }
        if !diff.is_empty() {
            r.differs = Some(format!(
                "NIK ini sudah terdaftar dengan {}; data tersimpan tidak diubah",
                diff.join(", ")
            ));
        }
    }
    if existing.is_none() {
        // A child without NIK yet is recorded with the mother's NIK (nik_is_mother).
        let (nik, nik_is_mother) = match (&p.nik, &p.mother_nik) {
            (Some(n), _) => (Some(n.clone()), false),
            (None, Some(m)) => (Some(m.clone()), true),
            (None, None) => (None, false),
        };
        let new = NewPerson {
            id: person_id,
            household_id: None,
            org_unit_id: unit.id,
            name: p.name.clone(),
            sex: p.sex,
            birth_date: p.birth_date,
            birth_date_estimated: false,
            nik,
            nik_is_mother,
            phone: None,
        };
        r.person_inserted = tx.create_person(&new).await?.0.outcome == Outcome::Inserted;
    }
    if let Some(m) = mother.filter(|m| m.id != person_id) {
        tx.create_relationship(&NewRelationship {
            id: RelationshipId(keys::relationship_id(m.id.0, person_id.0)),
            person_id: m.id,
            kind: RelationKind::MotherOf,
            related_person_id: person_id,
        })
        .await?;
    }
    if let Some(w) = &row.weighing {
        let visit_id = VisitId(keys::visit_id(&key, w.date));
        let at = w
            .date
            .with_hms(2, 0, 0)
            .map(|d| d.assume_utc())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let mut captures = vec![Capture::Visit(NewVisit {
            id: visit_id,
            person_id,
            service_day_id: None,
            org_unit_id: unit.id,
            date: w.date,
            captured_at: at,
        })];
        let length_kind = match w.method {
            Measure::Lying => MeasurementKind::Length,
            Measure::Standing => MeasurementKind::Height,
        };
        for (kind, v) in [
            (MeasurementKind::Weight, w.weight_kg),
            (length_kind, w.length_cm),
            (MeasurementKind::ArmCircumference, w.arm_circ_cm),
            (MeasurementKind::HeadCircumference, w.head_circ_cm),
        ] {
            let Some(v) = v else { continue };
            r.flagged += u64::from(v.implausible);
            captures.push(Capture::Measurement(NewMeasurement {
                id: MeasurementId(keys::measurement_id(&key, w.date, kind)),
                person_id,
                visit_id: Some(visit_id),
                org_unit_id: unit.id,
                measured_on: w.date,
                kind,
                value: v.value,
                implausible: v.implausible,
                captured_at: at,
            }));
        }
        let out = tx.capture_batch(&captures).await?;
        r.weighing_inserted = Some(out.inserted > 0);
    }
    tx.commit().await?;
    Ok(r)
}

fn report(
    args: &ImportArgs,
    parsed: &register_import::ParsedFile,
    t: &Tally,
    errors: &[RowError],
    db_notes: &[RowNote],
    valid: usize,
) -> anyhow::Result<()> {
    let rejected: std::collections::BTreeSet<u64> = errors.iter().map(|e| e.line).collect();
    say!(
        "Berkas {}: {} baris data dibaca.",
        args.file.display(),
        parsed.lines_read
    )?;
    if args.check {
        say!(
            "Pemeriksaan saja (--check): {valid} baris siap disimpan, {} baris bermasalah. Tidak ada yang disimpan.",
            rejected.len()
        )?;
    } else {
        say!(
            "Disimpan {} baris: orang baru {}, sudah ada {}; penimbangan baru {}, sudah ada {}; {} pengukuran ditandai periksa ulang.",
            t.rows_stored,
            t.persons_new,
            t.persons_existing,
            t.weighings_new,
            t.weighings_existing,
            t.flagged
        )?;
        say!("Ditolak {} baris.", rejected.len())?;
    }
    for e in errors {
        say!("  {e}")?;
    }
    // Notes of stored rows only: a rejected row is fixed and imported again anyway.
    let mut notes: Vec<&RowNote> = parsed
        .notes
        .iter()
        .filter(|n| !rejected.contains(&n.line))
        .chain(db_notes)
        .collect();
    notes.sort_by_key(|n| n.line);
    if !notes.is_empty() {
        say!("Perlu diperiksa ulang ({}):", notes.len())?;
        for n in notes {
            say!("  {n}")?;
        }
    }
    if let Some(path) = &args.errors {
        let mut w = csv::Writer::from_path(path)
            .with_context(|| format!("tidak bisa menulis {}", path.display()))?;
        w.write_record(["baris", "kolom", "nilai", "alasan"])?;
        for e in errors {
            w.write_record([e.line.to_string().as_str(), e.field, &e.value, &e.reason])?;
        }
        w.flush()?;
    }
    Ok(())
}
