//! The record types: what a caller writes (`New…`) and what the store returns.
//!
//! Two families. *Registry* rows (org units, users, households, persons, relationships,
//! pregnancies, referrals) change over time: they carry a version for optimistic concurrency.
//! *Captures* (service days, visits, measurements, doses, screenings, findings) are immutable
//! events with a client-minted id: storing one twice is harmless. Both can be soft-deleted
//! with a reason, and every row carries the change sequence a sync client pulls from.
//!
//! The store fills in what the caller must not choose: the org path (from the org unit),
//! versions, sequence numbers, who captured and when it was stored.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

pub use crate::codes::{
    AuditAction, EntityKind, MeasurementKind, OrgLevel, PregnancyOutcome, ReferralStatus,
    RelationKind, Role, Sex, TimeZone, Unit,
};
pub use crate::ids::*;
pub use crate::nik::{Nik, NikWarning};

/// Bookkeeping columns every row has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowMeta {
    /// 1 on insert, +1 on every update (including soft delete).
    pub version: i64,
    /// Position in the change feed: increases on every insert and update of the row.
    pub seq: i64,
    /// When the store wrote the row first (UTC).
    pub created_at: OffsetDateTime,
    /// When the store wrote the row last (UTC).
    pub updated_at: OffsetDateTime,
    /// Set when the row was soft-deleted.
    pub deleted: Option<Deletion>,
}

/// A soft delete: the row stays (for audit and sync) but is hidden from normal reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deletion {
    pub at: OffsetDateTime,
    pub reason: String,
}

// ---------------------------------------------------------------- organisation and users

/// A node of the organisation tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewOrgUnit {
    pub id: OrgUnitId,
    /// `None` only for a province (the roots of the tree).
    pub parent_id: Option<OrgUnitId>,
    pub level: OrgLevel,
    /// Path segment, unique among siblings: `[A-Za-z0-9.-]`. For regions the Kemendagri code
    /// without dots (`3508`), for a Puskesmas its Kemenkes code, for a posyandu a local code.
    pub code: String,
    pub name: String,
    /// Dotted Kemendagri code (`35.08.01.2001`) for province … desa; `None` otherwise.
    pub region_code: Option<String>,
    /// The decree the region code was taken from (codes change when regions split).
    pub region_decree: Option<String>,
    pub time_zone: TimeZone,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgUnit {
    pub id: OrgUnitId,
    pub parent_id: Option<OrgUnitId>,
    pub level: OrgLevel,
    pub code: String,
    pub name: String,
    pub region_code: Option<String>,
    pub region_decree: Option<String>,
    pub time_zone: TimeZone,
    /// Materialised path, e.g. `/35/3508/350801/P3508010201/3508012001/PY01/`.
    pub path: OrgPath,
    pub meta: RowMeta,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewUser {
    pub id: UserId,
    /// Login name, unique.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The subtree this user works in.
    pub org_unit_id: OrgUnitId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: OrgUnitId,
    /// Path of `org_unit_id`: the user's scope.
    pub org_path: OrgPath,
    pub active: bool,
    pub meta: RowMeta,
}

// ---------------------------------------------------------------- households and persons

/// A household (keluarga, as on the kartu keluarga).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct NewHousehold {
    pub id: HouseholdId,
    /// The posyandu (or desa) the household belongs to.
    pub org_unit_id: OrgUnitId,
    /// Nomor KK: 16 digits, personal data like the NIK (redacted in `Debug` of [`Household`]).
    pub kk_number: Option<String>,
    pub head_name: String,
    pub address: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
}

#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub kk_number: Option<String>,
    pub head_name: String,
    pub address: Option<String>,
    pub rt: Option<String>,
    pub rw: Option<String>,
    pub meta: RowMeta,
}

impl std::fmt::Debug for NewHousehold {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewHousehold")
            .field("id", &self.id)
            .field("org_unit_id", &self.org_unit_id)
            .field("kk_number", &self.kk_number.as_ref().map(|_| "<redacted>"))
            .field("head_name", &self.head_name)
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Household {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Household")
            .field("id", &self.id)
            .field("org_path", &self.org_path)
            .field("kk_number", &self.kk_number.as_ref().map(|_| "<redacted>"))
            .field("head_name", &self.head_name)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

/// A person. The NIK is optional (many children have none yet) and its consistency problems
/// are warnings returned next to the stored row, never a refusal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPerson {
    pub id: PersonId,
    pub household_id: Option<HouseholdId>,
    /// The posyandu (or poskestren, desa) where the person is served.
    pub org_unit_id: OrgUnitId,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    /// The birth date is an estimate (elderly without documents).
    pub birth_date_estimated: bool,
    pub nik: Option<Nik>,
    /// A newborn recorded with the mother's NIK until it has its own.
    pub nik_is_mother: bool,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    pub household_id: Option<HouseholdId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub birth_date_estimated: bool,
    pub nik: Option<Nik>,
    pub nik_is_mother: bool,
    pub phone: Option<String>,
    /// The parent's name as a register writes it (`Nama Ibu` / `Nama Ortu`), kept even when
    /// the parent is not registered. Set with [`crate::Tx::set_parent_name`].
    pub parent_name: Option<String>,
    pub meta: RowMeta,
}

/// "`person_id` is `kind` of `related_person_id`", e.g. mother of a child.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewRelationship {
    pub id: RelationshipId,
    pub person_id: PersonId,
    pub kind: RelationKind,
    pub related_person_id: PersonId,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relationship {
    pub id: RelationshipId,
    pub person_id: PersonId,
    pub kind: RelationKind,
    pub related_person_id: PersonId,
    /// Path of the first person (scoping).
    pub org_path: OrgPath,
    pub meta: RowMeta,
}

/// A pregnancy episode. Opened with HPHT and/or the estimated due date; closed by recording
/// the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewPregnancy {
    pub id: PregnancyId,
    pub person_id: PersonId,
    /// Hari pertama haid terakhir.
    pub lmp: Option<Date>,
    /// Hari perkiraan lahir (HPL).
    pub due_date: Option<Date>,
    /// G, P, A of the obstetric formula at registration.
    pub gravida: Option<i32>,
    pub para: Option<i32>,
    pub abortus: Option<i32>,
    /// Risiko tinggi flagged at registration.
    pub high_risk: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pregnancy {
    pub id: PregnancyId,
    pub person_id: PersonId,
    pub org_path: OrgPath,
    pub lmp: Option<Date>,
    pub due_date: Option<Date>,
    pub gravida: Option<i32>,
    pub para: Option<i32>,
    pub abortus: Option<i32>,
    pub high_risk: bool,
    pub outcome: Option<PregnancyOutcome>,
    pub outcome_date: Option<Date>,
    pub meta: RowMeta,
}

// ---------------------------------------------------------------- captures (events)

/// A service day (hari buka) of one posyandu or poskestren.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewServiceDay {
    pub id: ServiceDayId,
    pub org_unit_id: OrgUnitId,
    pub date: Date,
    pub note: Option<String>,
    /// When the client captured it (phone clock, UTC).
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceDay {
    pub id: ServiceDayId,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub date: Date,
    pub note: Option<String>,
    pub captured_at: OffsetDateTime,
    /// Who stored it: a user id or `system:<name>`.
    pub captured_by: String,
    /// When the day was closed ([`crate::Store::close_day`]) and by whom; `None`: open.
    pub closed: Option<DayClosed>,
    pub meta: RowMeta,
}

/// When and by whom a service day was closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayClosed {
    pub at: OffsetDateTime,
    /// A user id, as `captured_by`.
    pub by: String,
}

/// A person attending a service day (or seen at home).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewVisit {
    pub id: VisitId,
    pub person_id: PersonId,
    pub service_day_id: Option<ServiceDayId>,
    /// Where the visit happened.
    pub org_unit_id: OrgUnitId,
    pub date: Date,
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub person_id: PersonId,
    pub service_day_id: Option<ServiceDayId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub date: Date,
    pub captured_at: OffsetDateTime,
    pub captured_by: String,
    pub meta: RowMeta,
}

/// One typed measurement; the unit is `kind.unit()`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewMeasurement {
    pub id: MeasurementId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub measured_on: Date,
    pub kind: MeasurementKind,
    pub value: f64,
    /// The value was flagged implausible at capture and confirmed ("periksa ulang").
    pub implausible: bool,
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measurement {
    pub id: MeasurementId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub measured_on: Date,
    pub kind: MeasurementKind,
    pub value: f64,
    pub unit: Unit,
    pub implausible: bool,
    pub captured_at: OffsetDateTime,
    pub captured_by: String,
    pub meta: RowMeta,
}

/// One immunization dose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDose {
    pub id: DoseId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub given_on: Date,
    /// Antigen code of the national schedule, e.g. `HB0`, `BCG`, `DPT-HB-Hib`, `MR`.
    pub vaccine: String,
    /// 1-based dose number within the antigen series, if the series has several.
    pub dose_number: Option<i32>,
    pub batch: Option<String>,
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dose {
    pub id: DoseId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub given_on: Date,
    pub vaccine: String,
    pub dose_number: Option<i32>,
    pub batch: Option<String>,
    pub captured_at: OffsetDateTime,
    pub captured_by: String,
    pub meta: RowMeta,
}

/// One answered questionnaire (PUMA, SKILAS, SDQ, …): item code → answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewScreening {
    pub id: ScreeningId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub answered_on: Date,
    /// Questionnaire code, e.g. `PUMA`, `SKILAS`.
    pub questionnaire: String,
    pub answers: serde_json::Map<String, serde_json::Value>,
    /// Total score when the questionnaire has one.
    pub score: Option<f64>,
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Screening {
    pub id: ScreeningId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub answered_on: Date,
    pub questionnaire: String,
    pub answers: serde_json::Map<String, serde_json::Value>,
    pub score: Option<f64>,
    pub captured_at: OffsetDateTime,
    pub captured_by: String,
    pub meta: RowMeta,
}

/// A classification derived by the rules (stunting, BB T/2T, BGM, KEK, anemia, hypertension…).
/// Queried by code for target lists and reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewFinding {
    pub id: FindingId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub found_on: Date,
    /// Rule code, e.g. `stunting`, `bb_2t`, `bgm`, `kek`, `hipertensi`.
    pub code: String,
    /// Free detail (the z-score, the reading) for display.
    pub detail: Option<String>,
    pub captured_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub id: FindingId,
    pub person_id: PersonId,
    pub visit_id: Option<VisitId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub found_on: Date,
    pub code: String,
    pub detail: Option<String>,
    pub captured_at: OffsetDateTime,
    pub captured_by: String,
    pub meta: RowMeta,
}

// ---------------------------------------------------------------- referrals

/// A referral (rujukan) from a posyandu to a facility; its status moves
/// dibuat → diterima → ditindaklanjuti → selesai.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewReferral {
    pub id: ReferralId,
    pub person_id: PersonId,
    pub finding_id: Option<FindingId>,
    /// The unit that refers (posyandu).
    pub org_unit_id: OrgUnitId,
    pub referred_on: Date,
    /// Where to, e.g. "Puskesmas Tempursari".
    pub to_facility: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub person_id: PersonId,
    pub finding_id: Option<FindingId>,
    pub org_unit_id: OrgUnitId,
    pub org_path: OrgPath,
    pub referred_on: Date,
    pub to_facility: String,
    pub reason: String,
    pub status: ReferralStatus,
    /// Note of the last transition.
    pub status_note: Option<String>,
    pub meta: RowMeta,
}

// ---------------------------------------------------------------- captures as one type

/// Any capture, for batch writes ([`crate::Tx::capture_batch`]) and the sync push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Capture {
    ServiceDay(NewServiceDay),
    Visit(NewVisit),
    Measurement(NewMeasurement),
    Dose(NewDose),
    Screening(NewScreening),
    Finding(NewFinding),
}

impl Capture {
    pub fn kind(&self) -> EntityKind {
        match self {
            Capture::ServiceDay(_) => EntityKind::ServiceDay,
            Capture::Visit(_) => EntityKind::Visit,
            Capture::Measurement(_) => EntityKind::Measurement,
            Capture::Dose(_) => EntityKind::Dose,
            Capture::Screening(_) => EntityKind::Screening,
            Capture::Finding(_) => EntityKind::Finding,
        }
    }
}

macro_rules! capture_from {
    ($($variant:ident($ty:ty)),*) => {$(
        impl From<$ty> for Capture {
            fn from(c: $ty) -> Self { Capture::$variant(c) }
        }
    )*};
}
capture_from!(
    ServiceDay(NewServiceDay),
    Visit(NewVisit),
    Measurement(NewMeasurement),
    Dose(NewDose),
    Screening(NewScreening),
    Finding(NewFinding)
);

/// Result of an insert keyed by a client id: creating or capturing the same id twice is
/// harmless (a retried sync, a re-run import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// Stored now.
    Inserted,
    /// A row with this id was already stored: nothing changed.
    Duplicate,
}

/// A registry row after a create: the stored row (the earlier one on a duplicate id).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored<T> {
    pub record: T,
    pub outcome: Outcome,
}

/// Result of storing a batch of captures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchOutcome {
    pub inserted: u64,
    pub duplicates: u64,
}

// ---------------------------------------------------------------- audit and change feed

/// One audit row: who did what to which record, written in the same transaction.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: OffsetDateTime,
    /// A user id or `system:<name>`.
    pub actor: String,
    pub action: AuditAction,
    pub entity: EntityKind,
    /// The record's id (for a batch, the first id; the others are in `detail`).
    pub entity_id: uuid::Uuid,
    pub org_path: OrgPath,
    /// What changed. Never holds a NIK or KK number (they show as `"<redacted>"`).
    pub detail: serde_json::Value,
}

/// A row as seen by the change feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Record {
    OrgUnit(OrgUnit),
    User(User),
    Household(Household),
    Person(Person),
    Relationship(Relationship),
    Pregnancy(Pregnancy),
    ServiceDay(ServiceDay),
    Visit(Visit),
    Measurement(Measurement),
    Dose(Dose),
    Screening(Screening),
    Finding(Finding),
    Referral(Referral),
}

/// One entry of the change feed: the row's current state at its sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: i64,
    pub record: Record,
}

/// A page of the change feed. Pull again with `after = next_after` until `more` is false.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangePage {
    pub changes: Vec<Change>,
    pub next_after: i64,
    pub more: bool,
}
