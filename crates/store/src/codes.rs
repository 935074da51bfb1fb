//! Closed vocabularies of the record (levels, roles, sexes, kinds, statuses), each with the
//! stable text code stored in the database. Codes are Indonesian where the field is a domain
//! word, and never change once written: add variants, never rename.

use serde::{Deserialize, Serialize};

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The code stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
            /// Parses a stored code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
        }
    };
}

coded_enum! {
    /// Level of an org unit in the tree: province → kabupaten/kota → kecamatan → puskesmas →
    /// desa/kelurahan → posyandu or poskestren.
    OrgLevel {
        Province = "provinsi",
        Regency = "kabupaten_kota",
        District = "kecamatan",
        Puskesmas = "puskesmas",
        Village = "desa_kelurahan",
        Posyandu = "posyandu",
        Poskestren = "poskestren",
    }
}

impl OrgLevel {
    /// Depth below the root (province = 1).
    pub fn depth(self) -> usize {
        match self {
            OrgLevel::Province => 1,
            OrgLevel::Regency => 2,
            OrgLevel::District => 3,
            OrgLevel::Puskesmas => 4,
            OrgLevel::Village => 5,
            OrgLevel::Posyandu | OrgLevel::Poskestren => 6,
        }
    }

    /// The level a child of this level must have (posyandu and poskestren are leaves).
    pub fn allows_child(self, child: OrgLevel) -> bool {
        child.depth() == self.depth() + 1
    }
}

coded_enum! {
    /// Indonesian time zones (no daylight saving): the display offset of an org unit.
    TimeZone {
        /// Waktu Indonesia Barat, UTC+7.
        Wib = "WIB",
        /// Waktu Indonesia Tengah, UTC+8.
        Wita = "WITA",
        /// Waktu Indonesia Timur, UTC+9.
        Wit = "WIT",
    }
}

impl TimeZone {
    pub fn utc_offset_hours(self) -> i8 {
        match self {
            TimeZone::Wib => 7,
            TimeZone::Wita => 8,
            TimeZone::Wit => 9,
        }
    }
    pub fn offset(self) -> time::UtcOffset {
        time::UtcOffset::from_hms(self.utc_offset_hours(), 0, 0).unwrap_or(time::UtcOffset::UTC)
    }
}

coded_enum! {
    /// Role of a user; the user's org unit bounds what the role may see and change.
    Role {
        Kader = "kader",
        Bidan = "bidan",
        PuskesmasOfficer = "petugas_puskesmas",
        DinkesAdmin = "admin_dinkes",
    }
}

coded_enum! {
    /// Sex as registered (Dukcapil: laki-laki / perempuan).
    Sex {
        Male = "L",
        Female = "P",
    }
}

coded_enum! {
    /// Kind of relationship, read "person is `kind` of related person".
    RelationKind {
        MotherOf = "ibu",
        FatherOf = "ayah",
        GuardianOf = "wali",
    }
}

coded_enum! {
    /// How a pregnancy ended.
    PregnancyOutcome {
        LiveBirth = "lahir_hidup",
        Stillbirth = "lahir_mati",
        Abortion = "abortus",
        LostToFollowUp = "tidak_diketahui",
    }
}

coded_enum! {
    /// What was measured. The unit follows from the kind (see [`MeasurementKind::unit`]).
    MeasurementKind {
        /// Berat badan.
        Weight = "berat",
        /// Panjang badan, measured lying (recumbent).
        Length = "panjang",
        /// Tinggi badan, measured standing.
        Height = "tinggi",
        /// Lingkar kepala.
        HeadCircumference = "lingkar_kepala",
        /// Lingkar lengan atas (LiLA).
        ArmCircumference = "lila",
        /// Lingkar perut.
        WaistCircumference = "lingkar_perut",
        /// Tekanan darah sistolik.
        SystolicBp = "sistolik",
        /// Tekanan darah diastolik.
        DiastolicBp = "diastolik",
        /// Hemoglobin.
        Hemoglobin = "hb",
        /// Gula darah sewaktu.
        BloodGlucose = "gula_darah",
        /// Kolesterol total.
        Cholesterol = "kolesterol",
        /// Asam urat.
        UricAcid = "asam_urat",
        /// Tinggi fundus uteri.
        FundalHeight = "tfu",
    }
}

coded_enum! {
    /// Unit of a measurement value.
    Unit {
        Kg = "kg",
        Cm = "cm",
        MmHg = "mmHg",
        GPerDl = "g/dL",
        MgPerDl = "mg/dL",
    }
}

impl MeasurementKind {
    /// The one unit this kind is stored in (the database checks the pair).
    pub fn unit(self) -> Unit {
        use MeasurementKind::*;
        match self {
            Weight => Unit::Kg,
            Length | Height | HeadCircumference | ArmCircumference | WaistCircumference
            | FundalHeight => Unit::Cm,
            SystolicBp | DiastolicBp => Unit::MmHg,
            Hemoglobin => Unit::GPerDl,
            BloodGlucose | Cholesterol | UricAcid => Unit::MgPerDl,
        }
    }
}

coded_enum! {
    /// Referral lifecycle: dibuat → diterima → ditindaklanjuti → selesai, one step at a time.
    ReferralStatus {
        Created = "dibuat",
        Accepted = "diterima",
        FollowedUp = "ditindaklanjuti",
        Completed = "selesai",
    }
}

impl ReferralStatus {
    /// The only status this one may move to, if any.
    pub fn next(self) -> Option<ReferralStatus> {
        match self {
            ReferralStatus::Created => Some(ReferralStatus::Accepted),
            ReferralStatus::Accepted => Some(ReferralStatus::FollowedUp),
            ReferralStatus::FollowedUp => Some(ReferralStatus::Completed),
            ReferralStatus::Completed => None,
        }
    }
}

coded_enum! {
    /// Table of a record; used by soft delete, audit rows and the change feed.
    EntityKind {
        OrgUnit = "org_unit",
        User = "app_user",
        Household = "household",
        Person = "person",
        Relationship = "relationship",
        Pregnancy = "pregnancy",
        ServiceDay = "service_day",
        Visit = "visit",
        Measurement = "measurement",
        Dose = "dose",
        Screening = "screening",
        Finding = "finding",
        Referral = "referral",
    }
}

impl EntityKind {
    /// The table name (the code is the table name).
    pub fn table(self) -> &'static str {
        self.code()
    }
    /// Captures are immutable events: no updates, idempotent inserts.
    pub fn is_capture(self) -> bool {
        use EntityKind::*;
        matches!(
            self,
            ServiceDay | Visit | Measurement | Dose | Screening | Finding
        )
    }
}

coded_enum! {
    /// What an audit row records.
    AuditAction {
        Create = "create",
        Update = "update",
        Delete = "delete",
        Capture = "capture",
        CaptureBatch = "capture_batch",
        Transition = "transition",
        /// Personal data shown or exported (a person's record, a target list).
        View = "view",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in MeasurementKind::ALL {
            assert_eq!(MeasurementKind::from_code(k.code()), Some(*k));
        }
        for k in EntityKind::ALL {
            assert_eq!(EntityKind::from_code(k.code()), Some(*k));
        }
        assert_eq!(OrgLevel::from_code("posyandu"), Some(OrgLevel::Posyandu));
        assert_eq!(Sex::from_code("X"), None);
    }

    #[test]
    fn referral_moves_one_step_forward() {
        assert_eq!(
            ReferralStatus::Created.next(),
            Some(ReferralStatus::Accepted)
        );
        assert_eq!(
            ReferralStatus::Accepted.next(),
            Some(ReferralStatus::FollowedUp)
        );
        assert_eq!(
            ReferralStatus::FollowedUp.next(),
            Some(ReferralStatus::Completed)
        );
        assert_eq!(ReferralStatus::Completed.next(), None);
    }

    #[test]
    fn tree_levels_nest() {
        assert!(OrgLevel::Province.allows_child(OrgLevel::Regency));
        assert!(OrgLevel::Puskesmas.allows_child(OrgLevel::Village));
        assert!(OrgLevel::Village.allows_child(OrgLevel::Poskestren));
        assert!(!OrgLevel::Village.allows_child(OrgLevel::Puskesmas));
        assert!(!OrgLevel::Posyandu.allows_child(OrgLevel::Posyandu));
    }

    #[test]
    fn units_follow_kind() {
        assert_eq!(MeasurementKind::Weight.unit(), Unit::Kg);
        assert_eq!(MeasurementKind::ArmCircumference.unit(), Unit::Cm);
        assert_eq!(MeasurementKind::SystolicBp.unit(), Unit::MmHg);
    }
}
