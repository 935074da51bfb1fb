//! Stable ids for the org units a district builds, so that every command can be run again
//! and finds what it made the first time (the store's creates are idempotent on the id).
//!
//! Regions are keyed by their Kemendagri code; a Puskesmas by its kecamatan and name; a
//! posyandu or poskestren by its desa, kind and name. The id is the first 16 bytes of
//! SHA-256 over a fixed namespace, the kind and the key, as a version 8 ("custom") UUID, the
//! same construction as the demo's ids (in another namespace, so they never collide).

use sha2::{Digest, Sha256};
use uuid::{Builder, Uuid};

use crate::Code;

const NAMESPACE: &str = "posyandu-wilayah/v1";

fn stable(kind: &str, key: &str) -> Uuid {
    let mut h = Sha256::new();
    for part in [NAMESPACE, kind, key] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Builder::from_custom_bytes(bytes).into_uuid()
}

/// A province, kabupaten/kota, kecamatan or desa/kelurahan.
pub fn region_unit(code: &Code) -> Uuid {
    stable("region", code.as_str())
}

/// A Puskesmas, by the kecamatan it stands in and its name (see [`name_key`]).
pub fn puskesmas(kecamatan: &Code, name: &str) -> Uuid {
    stable("puskesmas", &format!("{kecamatan}\u{0}{}", name_key(name)))
}

/// A posyandu or poskestren (`kind`), by its desa and name.
pub fn post(desa: &Code, kind: &str, name: &str) -> Uuid {
    stable(kind, &format!("{desa}\u{0}{}", name_key(name)))
}

/// How names are compared: case and runs of spaces do not make a different unit
/// ("Posyandu  melati" is "Posyandu Melati").
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(t: &str) -> Code {
        Code::parse(t).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn ids_depend_on_the_key_only() {
        assert_eq!(region_unit(&c("3508")), region_unit(&c("35.08")));
        assert_ne!(region_unit(&c("35.08")), region_unit(&c("35.07")));
        let kec = c("35.08.01");
        assert_eq!(
            puskesmas(&kec, "Puskesmas Tempursari"),
            puskesmas(&kec, " puskesmas   TEMPURSARI ")
        );
        assert_ne!(
            puskesmas(&kec, "Puskesmas Tempursari"),
            puskesmas(&c("35.08.02"), "Puskesmas Tempursari")
        );
        let desa = c("35.08.01.2001");
        assert_ne!(
            post(&desa, "posyandu", "Melati"),
            post(&desa, "poskestren", "Melati")
        );
        assert_eq!(region_unit(&kec).get_version_num(), 8);
    }
}
