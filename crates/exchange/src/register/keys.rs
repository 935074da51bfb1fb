//! Stable ids for imported rows, from the file's natural keys, so that importing the same
//! rows again (even from a renamed or re-exported file) stores nothing new.
//!
//! Person key: the NIK when present, else the normalised name + birth date + mother's name
//! (or mother's NIK). Visit key: person key + date measured. Measurement key: visit key +
//! measurement kind. Ids are SHA-256 of the key as UUID version 8.

use sha2::{Digest, Sha256};
use store::model::MeasurementKind;
use time::Date;
use uuid::{Builder, Uuid};

use super::row::PersonFields;

const NAMESPACE: &str = "posyandu-import";

/// A UUID version 8 from SHA-256 of namespace, kind and key: the same bytes the demo's
/// `to_store::stable_id` gives, so rows imported before this crate existed keep their ids.
pub fn stable_id(namespace: &str, kind: &str, key: &[u8]) -> Uuid {
    let mut h = Sha256::new();
    h.update(namespace.as_bytes());
    h.update([0]);
    h.update(kind.as_bytes());
    h.update([0]);
    h.update(key);
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Builder::from_custom_bytes(bytes).into_uuid()
}

/// Lower case, letters and digits only, single spaces.
pub fn normalise_name(name: &str) -> String {
    name.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn person_key(p: &PersonFields) -> String {
    match &p.nik {
        Some(n) => format!("nik:{}", n.as_str()),
        None => {
            let mother = match (&p.mother_nik, &p.mother_name) {
                (Some(n), _) => format!("nik:{}", n.as_str()),
                (None, Some(m)) => normalise_name(m),
                (None, None) => String::new(),
            };
            format!(
                "nama:{}|lahir:{}|ibu:{}",
                normalise_name(&p.name),
                p.birth_date,
                mother
            )
        }
    }
}

pub fn person_id(key: &str) -> Uuid {
    stable_id(NAMESPACE, "person", key.as_bytes())
}

pub fn household_id(key: &str) -> Uuid {
    stable_id(NAMESPACE, "household", key.as_bytes())
}

pub fn visit_id(person_key: &str, on: Date) -> Uuid {
    stable_id(NAMESPACE, "visit", format!("{person_key}|{on}").as_bytes())
}

pub fn measurement_id(person_key: &str, on: Date, kind: MeasurementKind) -> Uuid {
    stable_id(
        NAMESPACE,
        "measurement",
        format!("{person_key}|{on}|{}", kind.code()).as_bytes(),
    )
}

/// A finding of an imported weighing: one per rule code per person and day.
pub fn finding_id(person_key: &str, on: Date, code: &str) -> Uuid {
    stable_id(
        NAMESPACE,
        "finding",
        format!("{person_key}|{on}|{code}").as_bytes(),
    )
}

pub fn relationship_id(mother: Uuid, child: Uuid) -> Uuid {
    stable_id(
        NAMESPACE,
        "relationship",
        format!("{mother}|{child}").as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use store::model::Sex;
    use time::macros::date;

    fn person(nik: Option<&str>, name: &str, mother: Option<&str>) -> PersonFields {
        PersonFields {
            nik: nik.and_then(|n| store::Nik::parse(n).ok()),
            name: name.into(),
            sex: Sex::Female,
            birth_date: date!(2024 - 02 - 10),
            mother_name: mother.map(str::to_owned),
            mother_nik: None,
            address: None,
            rt: None,
            rw: None,
        }
    }

    #[test]
    fn nik_decides_the_key_when_present() {
        let a = person(Some("3508015002240001"), "Siti Aminah", None);
        let b = person(Some("3508015002240001"), "SITI  AMINAH", Some("Hosnah"));
        assert_eq!(person_key(&a), person_key(&b));
    }

    #[test]
    fn without_nik_name_birth_and_mother_decide() {
        let a = person(None, "Nayla Putri", Some("Sri Wahyuni"));
        let b = person(None, " nayla  putri ", Some("SRI WAHYUNI"));
        let c = person(None, "Nayla Putri", Some("Sumiati"));
        assert_eq!(person_key(&a), person_key(&b));
        assert_ne!(person_key(&a), person_key(&c));
        assert_eq!(person_id(&person_key(&a)), person_id(&person_key(&b)));
    }

    #[test]
    fn visit_and_measurement_ids_depend_on_date_and_kind() {
        let k = "nik:3508015002240001";
        let d = date!(2025 - 01 - 05);
        assert_ne!(visit_id(k, d), visit_id(k, date!(2025 - 02 - 05)));
        assert_ne!(
            measurement_id(k, d, MeasurementKind::Weight),
            measurement_id(k, d, MeasurementKind::Length)
        );
        assert_eq!(
            measurement_id(k, d, MeasurementKind::Weight),
            measurement_id(k, d, MeasurementKind::Weight)
        );
    }
}
