//! Typed record ids and the materialised organisation path.
//!
//! Ids are UUIDv7 minted by the client (a phone offline, the demo generator, an import), so
//! the id doubles as the idempotency key of a capture. They are stored as hyphenated TEXT on
//! both engines so that SQLite and PostgreSQL behave the same.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! define_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh, time-ordered UUIDv7 id.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
            /// Parses the hyphenated text form.
            pub fn parse(text: &str) -> Result<Self, uuid::Error> {
                Uuid::parse_str(text).map(Self)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }

        impl From<Uuid> for $name {
            fn from(u: Uuid) -> Self {
                Self(u)
            }
        }
    )*};
}

define_id! {
    /// An organisation unit (province … posyandu).
    OrgUnitId;
    /// A user account.
    UserId;
    /// A household (kartu keluarga).
    HouseholdId;
    /// A person.
    PersonId;
    /// A relationship between two persons (mother → child).
    RelationshipId;
    /// A pregnancy episode.
    PregnancyId;
    /// A service day (hari buka) of one posyandu.
    ServiceDayId;
    /// A visit of one person on one day.
    VisitId;
    /// One measurement (weight, length, LiLA, blood pressure, …).
    MeasurementId;
    /// One immunization dose.
    DoseId;
    /// One answered questionnaire.
    ScreeningId;
    /// One finding (a classification such as stunting or KEK).
    FindingId;
    /// One referral.
    ReferralId;
    /// One audit row.
    AuditId;
}

/// Why an [`OrgPath`] or a path segment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("kode unit kosong")]
    EmptySegment,
    #[error("kode unit '{0}' hanya boleh berisi huruf, angka, '.' dan '-'")]
    BadSegment(String),
    #[error("path '{0}' harus diawali dan diakhiri '/'")]
    BadPath(String),
}

/// The materialised path of an org unit: `/35/3508/350801/P3508010201/3508012001/PY01/`.
///
/// Every path starts and ends with `/`, so "everything under X" is a prefix test that cannot
/// confuse `/35/` with `/351/`. Segments are restricted to `[A-Za-z0-9.-]`: no `%` or `_`, so a
/// path is also safe inside `LIKE`, and all bytes sort below `0x7f`, which [`OrgPath::range`]
/// relies on.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgPath(String);

impl OrgPath {
    /// The root: the scope of the system actor and of a national administrator.
    pub fn root() -> Self {
        Self("/".to_owned())
    }

    /// Checks a stored or typed path.
    pub fn parse(text: &str) -> Result<Self, PathError> {
        if !text.starts_with('/') || !text.ends_with('/') {
            return Err(PathError::BadPath(text.to_owned()));
        }
        if text != "/" {
            for seg in text[1..text.len() - 1].split('/') {
                check_segment(seg)?;
            }
        }
        Ok(Self(text.to_owned()))
    }

    /// The path of a child unit with the given code.
    pub fn child(&self, code: &str) -> Result<Self, PathError> {
        check_segment(code)?;
        Ok(Self(format!("{}{}/", self.0, code)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `other` is this unit or lies below it.
    pub fn contains(&self, other: &OrgPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Half-open byte range `[lo, hi)` holding exactly the paths under this one. Used as
    /// `org_path >= lo AND org_path < hi`, which both engines answer from a plain index
    /// (PostgreSQL columns are `COLLATE "C"` so comparison is bytewise there too).
    pub fn range(&self) -> (String, String) {
        let mut hi = self.0.clone();
        hi.pop(); // the trailing '/' (0x2f) becomes '0' (0x30), the next byte up
        hi.push('0');
        (self.0.clone(), hi)
    }

    /// Number of segments (0 for the root).
    pub fn depth(&self) -> usize {
        self.0.matches('/').count().saturating_sub(1)
    }
}

fn check_segment(seg: &str) -> Result<(), PathError> {
    if seg.is_empty() {
        return Err(PathError::EmptySegment);
    }
    if !seg
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return Err(PathError::BadSegment(seg.to_owned()));
    }
    Ok(())
}

impl fmt::Display for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgPath({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn paths_parse_and_nest() {
        let root = OrgPath::root();
        let prov = root.child("35").unwrap();
        let kab = prov.child("3508").unwrap();
        assert_eq!(kab.as_str(), "/35/3508/");
        assert_eq!(kab.depth(), 2);
        assert_eq!(root.depth(), 0);
        assert!(prov.contains(&kab));
        assert!(!kab.contains(&prov));
        assert!(root.contains(&kab));
        assert_eq!(OrgPath::parse("/35/3508/").unwrap(), kab);
        assert_eq!(OrgPath::parse("/").unwrap(), root);
    }

    #[test]
    fn bad_paths_are_refused() {
        for bad in ["", "35/", "/35", "/35//", "/3_5/", "/35%/", "/a b/"] {
            assert!(OrgPath::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            OrgPath::root().child("a_b"),
            Err(PathError::BadSegment("a_b".into()))
        );
    }

    #[test]
    fn range_holds_exactly_the_subtree() {
        let p = OrgPath::parse("/35/3508/").unwrap();
        let (lo, hi) = p.range();
        let inside = ["/35/3508/", "/35/3508/350801/", "/35/3508/zz-.9/"];
        let outside = ["/35/", "/35/3509/", "/35/35080/", "/35/3507/x/", "/36/"];
        for s in inside {
            assert!(s >= lo.as_str() && s < hi.as_str(), "{s} should be inside");
        }
        for s in outside {
            assert!(
                !(s >= lo.as_str() && s < hi.as_str()),
                "{s} should be outside"
            );
        }
    }
}
