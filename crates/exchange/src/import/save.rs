//! Storing the rows of one person, each in its own transaction, never onto the wrong
//! person: a row whose NIK (or natural key) finds a stored person with another name, birth
//! date, sex or posyandu is refused, and so is a value that differs from the one stored for
//! the same day. What is stored gets what a capture gets: flags computed for the stored
//! person, and the z-scores, KMS status and findings of `domain::screen`.

use std::collections::HashSet;

use growth::Measure;
use store::model::{
    Capture, MeasurementKind, NewFinding, NewMeasurement, NewPerson, NewRelationship, NewVisit,
    OrgUnit, Outcome, RelationKind, Sex,
};
use store::{
    Actor, FindingId, MeasurementId, Person, PersonId, RelationshipId, Store, StoreError, VisitId,
};
use time::{Date, OffsetDateTime};

use super::messages::{Tr, mask};
use crate::register::row::{reflag, weighing_values};
use crate::register::screening::{day_findings, day_measurements, kms_history, screen_day};
use crate::register::{Column, RegisterRow, RowError, Weighing, keys};

/// One stored measurement of the person, as far as the import needs it.
#[derive(Clone, Debug)]
struct Held {
    on: Date,
    kind: MeasurementKind,
    value: f64,
    implausible: bool,
}

/// What the store holds about the person of a group of rows, loaded once and kept up to
/// date as the rows are stored.
#[derive(Debug, Default)]
pub struct Known {
    person: Option<Person>,
    measurements: Vec<Held>,
    visits: Vec<(Date, VisitId)>,
    findings: HashSet<(Date, String)>,
    /// In a check: an earlier row of the file would create the person.
    planned: bool,
}

/// Where rows are stored: the database, the import's actor (the operator narrowed to
/// `--unit`, or the web user), the system actor that finds a NIK anywhere, the language of
/// messages, and whether a person found outside the actor's scope may be described (the
/// operator: yes; a web user: only "outside your area").
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    pub db: &'a Store,
    pub actor: &'a Actor,
    pub system: &'a Actor,
    pub tr: Tr,
    pub reveal_outside: bool,
}

/// A row that was refused, or what storing it did.
pub enum Saved {
    Refused(Vec<RowError>),
    Stored(RowResult),
}

/// What storing one row did.
#[derive(Debug, Default)]
pub struct RowResult {
    pub person_id: Option<PersonId>,
    pub person_inserted: bool,
    /// None when the row has no measurement; else whether anything of it was new.
    pub weighing_inserted: Option<bool>,
    pub flagged: u64,
    pub findings: u64,
}

/// Whether a store error ends the import (the database cannot write: a full disk, a
/// read-only file, a lost connection) rather than concerning one row only.
pub fn is_fatal(e: &StoreError) -> bool {
    matches!(
        e,
        StoreError::Database(_)
            | StoreError::Sqlite(_)
            | StoreError::Migrate(_)
            | StoreError::Corrupt { .. }
            | StoreError::UnsupportedUrl(_)
    )
}

/// Length and height are one slot: a day has one of them.
fn slot(k: MeasurementKind) -> MeasurementKind {
    match k {
        MeasurementKind::Height => MeasurementKind::Length,
        k => k,
    }
}

fn unit_label(u: &OrgUnit) -> String {
    format!("{} ({})", u.name, u.path.as_str())
}

impl Known {
    /// Finds the person a row is about anywhere in the database (a NIK is unique to one
    /// person whatever `--unit` says), with their measurements, visits and findings.
    ///
    /// A NIK that belongs to a child registered with the mother's NIK (`nik_is_mother`, as
    /// e-PPGBM and our own export write it) finds that child when name and birth date
    /// match. A row without NIK finds the person its natural key made earlier, else the one
    /// person of the row's posyandu with that name, sex and birth date (and parent's name,
    /// when both are known): a register typed from the service day's own record.
    pub async fn load(
        db: &Store,
        system: &Actor,
        tr: Tr,
        row: &RegisterRow,
        unit: &OrgUnit,
    ) -> Result<Result<Known, RowError>, StoreError> {
        let p = &row.person;
        let same = |x: &Person| {
            keys::normalise_name(&x.name) == keys::normalise_name(&p.name)
                && x.birth_date == p.birth_date
                && x.sex == p.sex
        };
        let person = match &p.nik {
            Some(nik) => {
                let all = db.persons_by_nik(system, nik).await?;
                let (own, children): (Vec<Person>, Vec<Person>) =
                    all.into_iter().partition(|x| !x.nik_is_mother);
                let child: Vec<Person> = children.into_iter().filter(same).collect();
                if let [c] = child.as_slice() {
                    Some(c.clone())
                } else {
                    if own.len() > 1 {
                        return Ok(Err(RowError {
                            line: row.line,
                            field: Column::Nik.name(),
                            value: mask(nik.as_str()),
                            reason: tr.nik_shared(&tr.who(Some(nik.as_str())), own.len()),
                        }));
                    }
                    own.into_iter().next()
                }
            }
            None => {
                let id = PersonId(keys::person_id(&keys::person_key(p)));
                match db.person(system, id).await {
                    Ok(x) => Some(x),
                    Err(StoreError::NotFound { .. }) => {
                        let parent = p.mother_name.as_deref().map(keys::normalise_name);
                        let found: Vec<Person> = db
                            .persons_born_on(system, unit.id, p.birth_date)
                            .await?
                            .into_iter()
                            .filter(|x| x.org_unit_id == unit.id && same(x))
                            .filter(|x| match (&parent, &x.parent_name) {
                                (Some(a), Some(b)) => *a == keys::normalise_name(b),
                                _ => true,
                            })
                            .collect();
                        match <[Person; 1]>::try_from(found) {
                            Ok([x]) => Some(x),
                            Err(_) => None,
                        }
                    }
                    Err(e) => return Err(e),
                }
            }
        };
        let mut known = Known::default();
        if let Some(x) = &person {
            known.measurements = db
                .measurements_of(system, x.id)
                .await?
                .into_iter()
                .map(|m| Held {
                    on: m.measured_on,
                    kind: m.kind,
                    value: m.value,
                    implausible: m.implausible,
                })
                .collect();
            known.visits = db
                .visits_of(system, x.id)
                .await?
                .into_iter()
                .map(|v| (v.date, v.id))
                .collect();
            known.findings = db
                .findings_of(system, x.id)
                .await?
                .into_iter()
                .map(|f| (f.found_on, f.code))
                .collect();
        }
        known.person = person;
        Ok(Ok(known))
    }

    /// Why the row is not about the stored person (one error per differing field).
    async fn mismatches(
        &self,
        cx: Ctx<'_>,
        row: &RegisterRow,
        unit: &OrgUnit,
    ) -> Result<Vec<RowError>, StoreError> {
        let Ctx { db, system, tr, .. } = cx;
        let Some(x) = &self.person else {
            return Ok(Vec::new());
        };
        let p = &row.person;
        let who = tr.who(p.nik.as_ref().map(|n| n.as_str()));
        let err = |field: &'static str, value: String, reason: String| RowError {
            line: row.line,
            field,
            value,
            reason,
        };
        // Someone of another area: neither stored there nor described to a web user.
        if !cx.reveal_outside && !cx.actor.can_see(&x.org_path) {
            let (field, value) = match &p.nik {
                Some(n) => (Column::Nik.name(), mask(n.as_str())),
                None => (Column::Name.name(), p.name.clone()),
            };
            return Ok(vec![err(field, value, tr.outside_scope(&who))]);
        }
        let mut out = Vec::new();
        if keys::normalise_name(&x.name) != keys::normalise_name(&p.name) {
            out.push(err(
                Column::Name.name(),
                p.name.clone(),
                tr.other_name(&who, &x.name),
            ));
        }
        if x.birth_date != p.birth_date {
            out.push(err(
                Column::BirthDate.name(),
                super::messages::dmy(p.birth_date),
                tr.other_birth(&who, x.birth_date),
            ));
        }
        if x.sex != p.sex {
            out.push(err(
                Column::Sex.name(),
                p.sex.code().to_owned(),
                tr.other_sex(&who, x.sex.code()),
            ));
        }
        if x.org_unit_id != unit.id {
            let stored = match db.org_unit(system, x.org_unit_id).await {
                Ok(u) => unit_label(&u),
                Err(StoreError::NotFound { .. }) => x.org_path.as_str().to_owned(),
                Err(e) => return Err(e),
            };
            out.push(err(
                Column::Posyandu.name(),
                unit_label(unit),
                tr.other_unit(&who, &stored),
            ));
        }
        Ok(out)
    }
}

/// A row that may be stored: who it is about and what of it is new.
pub struct Plan {
    key: String,
    sex: Sex,
    birth: Date,
    person_id: PersonId,
    /// The row's weighing with flags for the stored person.
    weighing: Option<Weighing>,
    /// Values not stored yet: kind, value, implausible.
    new_values: Vec<(MeasurementKind, f64, bool)>,
}

impl Plan {
    /// Whether storing the row would add anything (a person or a value).
    pub fn adds_anything(&self, known: &Known) -> bool {
        (known.person.is_none() && !known.planned) || !self.new_values.is_empty()
    }
}

impl Known {
    /// Whether the person found is a child recorded with the mother's NIK.
    pub fn is_mothers_nik(&self) -> bool {
        self.person.as_ref().is_some_and(|p| p.nik_is_mother)
    }

    /// In a check (nothing stored): what storing `plan` would add, so that the file's next
    /// rows of the person count as "already stored" where storing would make them so.
    pub fn assume(&mut self, plan: &Plan) {
        self.planned = true;
        if let Some(w) = &plan.weighing {
            self.measurements
                .extend(
                    plan.new_values
                        .iter()
                        .map(|&(kind, value, implausible)| Held {
                            on: w.date,
                            kind,
                            value,
                            implausible,
                        }),
                );
        }
    }
}

/// Checks a row against what the store holds (reads only; `--check` stops here): the
/// person's identity and posyandu, and every value against the one stored for the day.
pub async fn check_row(
    cx: Ctx<'_>,
    row: &RegisterRow,
    unit: &OrgUnit,
    known: &Known,
) -> Result<Result<Plan, Vec<RowError>>, StoreError> {
    let tr = cx.tr;
    let refused = known.mismatches(cx, row, unit).await?;
    if !refused.is_empty() {
        return Ok(Err(refused));
    }
    let p = &row.person;
    let key = keys::person_key(p);
    // Identity matched: the stored facts and the row's are the same; flags from the stored.
    let (sex, birth) = known
        .person
        .as_ref()
        .map_or((p.sex, p.birth_date), |x| (x.sex, x.birth_date));
    let person_id = known
        .person
        .as_ref()
        .map_or(PersonId(keys::person_id(&key)), |x| x.id);
    let who = tr.who(p.nik.as_ref().map(|n| n.as_str()));

    // The row's values, each new, already stored (same value) or a conflict.
    let weighing = row.weighing.as_ref().map(|w| reflag(w, sex, birth));
    let mut new_values: Vec<(MeasurementKind, f64, bool)> = Vec::new();
    let mut conflicts = Vec::new();
    if let Some(w) = &weighing {
        let length_kind = match w.method {
            Measure::Lying => MeasurementKind::Length,
            Measure::Standing => MeasurementKind::Height,
        };
        let flags = [
            w.weight_kg.is_some_and(|v| v.implausible),
            w.length_cm.is_some_and(|v| v.implausible),
            w.arm_circ_cm.is_some_and(|v| v.implausible),
            w.head_circ_cm.is_some_and(|v| v.implausible),
        ];
        for (((col, v), kind), flag) in weighing_values(w)
            .into_iter()
            .zip([
                MeasurementKind::Weight,
                length_kind,
                MeasurementKind::ArmCircumference,
                MeasurementKind::HeadCircumference,
            ])
            .zip(flags)
        {
            let Some(v) = v else { continue };
            let stored = known
                .measurements
                .iter()
                .find(|m| m.on == w.date && slot(m.kind) == slot(kind));
            match stored {
                Some(m) if (m.value - v).abs() < 1e-9 => {}
                Some(m) => conflicts.push(RowError {
                    line: row.line,
                    field: col.name(),
                    value: v.to_string(),
                    reason: tr.stored_value_differs(&who, col.name(), m.value, w.date),
                }),
                None => new_values.push((kind, v, flag)),
            }
        }
    }
    if !conflicts.is_empty() {
        return Ok(Err(conflicts));
    }
    Ok(Ok(Plan {
        key,
        sex,
        birth,
        person_id,
        weighing,
        new_values,
    }))
}

/// Stores one row of the person `known` describes (in one transaction), or refuses it.
/// `mother` is the registered person with the row's mother NIK, if any.
pub async fn save_row(
    cx: Ctx<'_>,
    row: &RegisterRow,
    unit: &OrgUnit,
    known: &mut Known,
    mother: Option<&Person>,
) -> Result<Saved, StoreError> {
    let plan = match check_row(cx, row, unit, known).await? {
        Ok(plan) => plan,
        Err(refused) => return Ok(Saved::Refused(refused)),
    };
    let Plan {
        key,
        sex,
        birth,
        person_id,
        weighing,
        new_values,
    } = plan;
    let (db, actor, p) = (cx.db, cx.actor, &row.person);

    let mut r = RowResult {
        person_id: Some(person_id),
        ..RowResult::default()
    };
    let mut tx = db.begin(actor).await?;
    let mut person = known.person.clone();
    if person.is_none() {
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
        let stored = tx
            .create_person_with_parent_name(&new, p.mother_name.as_deref())
            .await?
            .0;
        r.person_inserted = stored.outcome == Outcome::Inserted;
        person = Some(stored.record);
    }
    // `Nama Ibu` / `Nama Ortu` is kept with the person (filled in when still empty).
    if let (Some(x), Some(name)) = (&person, &p.mother_name)
        && x.parent_name.is_none()
    {
        person = Some(tx.set_parent_name(x.id, x.meta.version, name).await?);
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
    let mut new_findings = Vec::new();
    let mut new_visit = None;
    if let Some(w) = &weighing {
        let at = w
            .date
            .with_hms(2, 0, 0)
            .map(|d| d.assume_utc())
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        // One visit per day: the one already stored, else the row's.
        let visit_id = known
            .visits
            .iter()
            .find(|(d, _)| *d == w.date)
            .map(|(_, id)| *id);
        let mut captures = Vec::new();
        let visit_id = visit_id.unwrap_or_else(|| {
            let id = VisitId(keys::visit_id(&key, w.date));
            new_visit = Some((w.date, id));
            captures.push(Capture::Visit(NewVisit {
                id,
                person_id,
                service_day_id: None,
                org_unit_id: unit.id,
                date: w.date,
                captured_at: at,
            }));
            id
        });
        for &(kind, value, implausible) in &new_values {
            r.flagged += u64::from(implausible);
            captures.push(Capture::Measurement(NewMeasurement {
                id: MeasurementId(keys::measurement_id(&key, w.date, kind)),
                person_id,
                visit_id: Some(visit_id),
                org_unit_id: unit.id,
                measured_on: w.date,
                kind,
                value,
                implausible,
                captured_at: at,
            }));
        }
        if !new_values.is_empty() {
            // The day as it will be stored, and the card's earlier weighings.
            let day = known
                .measurements
                .iter()
                .filter(|m| m.on == w.date)
                .map(|m| (m.kind, m.value))
                .chain(new_values.iter().map(|&(k, v, _)| (k, v)));
            let weights = known
                .measurements
                .iter()
                .filter(|m| m.kind == MeasurementKind::Weight)
                .map(|m| (m.on, m.value, m.implausible));
            let screening = screen_day(
                sex,
                birth,
                w.date,
                day_measurements(day),
                kms_history(weights, w.date),
            );
            for f in screening.as_ref().map(day_findings).unwrap_or_default() {
                if known.findings.contains(&(w.date, f.code.to_owned())) {
                    continue;
                }
                new_findings.push((w.date, f.code.to_owned()));
                captures.push(Capture::Finding(NewFinding {
                    id: FindingId(keys::finding_id(&key, w.date, f.code)),
                    person_id,
                    visit_id: Some(visit_id),
                    org_unit_id: unit.id,
                    found_on: w.date,
                    code: f.code.to_owned(),
                    detail: Some(f.detail),
                    captured_at: at,
                }));
            }
        }
        let out = tx.capture_batch(&captures).await?;
        r.weighing_inserted = Some(!new_values.is_empty() && out.inserted > 0);
        r.findings = new_findings.len() as u64;
    }
    tx.commit().await?;

    // Committed: the next rows of this person see it.
    known.person = person;
    if let Some(w) = &weighing {
        known
            .measurements
            .extend(new_values.iter().map(|&(kind, value, implausible)| Held {
                on: w.date,
                kind,
                value,
                implausible,
            }));
    }
    known.visits.extend(new_visit);
    known.findings.extend(new_findings);
    Ok(Saved::Stored(r))
}
