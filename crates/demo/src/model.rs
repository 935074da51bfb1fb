//! The generated region as plain values. Records refer to each other by index into the
//! region's vectors; `to_store` turns them into the store's records with stable ids.

use time::Date;

/// Level of a generated org unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitLevel {
    Provinsi,
    Kabupaten,
    Kecamatan,
    Puskesmas,
    Desa,
    Posyandu,
    Poskestren,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Unit {
    pub level: UnitLevel,
    /// Path segment: wilayah digits for administrative units, `P…`/`PY…`/`PK…` for posts.
    pub code: String,
    pub name: String,
    /// Dotted Kemendagri code for provinsi … desa.
    pub wilayah_code: Option<String>,
    pub parent: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// Place in the household (the KK's "hubungan keluarga").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HouseholdRole {
    Head,
    Spouse,
    Child,
    Parent,
    Other,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    /// The posyandu (or poskestren) whose area the household lives in.
    pub unit: usize,
    /// None for a pondok dormitory (santri keep the KK of their family at home).
    pub kk_number: Option<String>,
    pub address: String,
    pub rt: u8,
    pub rw: u8,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Person {
    pub household: usize,
    pub unit: usize,
    /// None for newborns whose NIK is not issued yet (registered by the mother's NIK).
    pub nik: Option<String>,
    pub name: String,
    pub sex: Sex,
    pub birth_date: Date,
    pub role: HouseholdRole,
    pub mother: Option<usize>,
    pub father: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDay {
    pub unit: usize,
    pub date: Date,
}

/// What a measurement measures; values are in the unit named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    WeightKg,
    /// Recumbent length (under 24 months).
    LengthCm,
    /// Standing height.
    HeightCm,
    HeadCircCm,
    ArmCircCm,
    WaistCm,
    SystolicMmHg,
    DiastolicMmHg,
    HemoglobinGdl,
    GlucoseRandomMgdl,
    CholesterolMgdl,
    FundalHeightCm,
}

/// One person's measurements on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Visit {
    pub person: usize,
    pub date: Date,
    /// The posyandu day, or None for a Puskesmas/bidan contact (ANC) or home visit.
    pub service_day: Option<usize>,
    pub measurements: Vec<(Kind, f64)>,
    /// Pregnancy this contact belongs to (ANC).
    pub pregnancy: Option<usize>,
    /// Pregnancy whose birth this postpartum contact (KF1–KF4) follows.
    pub postpartum: Option<usize>,
}

/// One immunization dose (codes as in rules.md §9).
#[derive(Clone, Debug, PartialEq)]
pub struct Dose {
    pub person: usize,
    pub antigen: &'static str,
    pub date: Date,
    pub service_day: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    LiveBirth,
    Abortion,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pregnancy {
    pub mother: usize,
    /// HPHT (first day of the last menstrual period).
    pub lmp: Date,
    /// HPL by Naegele's rule (HPHT + 280 days).
    pub due: Date,
    pub gravida: u8,
    pub parity: u8,
    /// KSPR factor codes (rules.md §6) known at registration.
    pub kspr_factors: Vec<&'static str>,
    /// How and when it ended; None while ongoing at the end of the demo period.
    pub outcome: Option<(Outcome, Date)>,
    pub child: Option<usize>,
}

/// An answered questionnaire or scored screening (SRQ-20, PUMA, ADL, SKILAS).
#[derive(Clone, Debug, PartialEq)]
pub struct Screening {
    pub person: usize,
    pub date: Date,
    pub service_day: Option<usize>,
    pub instrument: Instrument,
    /// Total score (ADL Barthel 0–20, SRQ-20 count of "ya", PUMA 0–9) or ticked domains.
    pub score: u8,
    /// Per-item answers where the instrument has them (SRQ-20: 20 items; SKILAS: 6 domains;
    /// PUMA: breathless, phlegm, cough, earlier spirometry).
    pub items: Vec<bool>,
    /// PUMA only: pack-years smoked (sex and age come from the person).
    pub pack_years: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Instrument {
    Srq20,
    Puma,
    AdlBarthel,
    Skilas,
}

/// Role of a demo user account (one per unit level: kader, bidan desa, Puskesmas, Dinkes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffRole {
    Kader,
    Bidan,
    PuskesmasOfficer,
    DinkesAdmin,
}

/// A user account of the demo: its unit bounds what it may see.
#[derive(Clone, Debug, PartialEq)]
pub struct Staff {
    pub unit: usize,
    pub role: StaffRole,
    /// Login name, lower case ASCII, e.g. `kader.tegalrejo.melati`.
    pub username: String,
    pub display_name: String,
}

/// Everything the generator produces.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Region {
    pub units: Vec<Unit>,
    pub staff: Vec<Staff>,
    pub households: Vec<Household>,
    pub persons: Vec<Person>,
    pub service_days: Vec<ServiceDay>,
    pub visits: Vec<Visit>,
    pub doses: Vec<Dose>,
    pub pregnancies: Vec<Pregnancy>,
    pub screenings: Vec<Screening>,
    /// What the rules found at each visit (see [`crate::findings`]).
    pub findings: Vec<crate::findings::Finding>,
    pub referrals: Vec<crate::referrals::Referral>,
}

impl Region {
    pub fn measurement_count(&self) -> usize {
        self.visits.iter().map(|v| v.measurements.len()).sum()
    }
}
