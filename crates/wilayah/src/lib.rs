//! The Kemendagri region codes (kode wilayah), shipped inside the project so that a district
//! can build its org tree from the official list without the demo or a network.
//!
//! `data/wilayah.csv.gz` is `shared/wilayah/wilayah.csv` compressed byte for byte (gzip):
//! all 91,599 provinces, kabupaten/kota, kecamatan and desa/kelurahan of **Kepmendagri
//! 300.2.2-2138/2025** (see `data/README.md` for the provenance). [`Wilayah::embedded`]
//! unpacks and checks it; [`DECREE`] is stored next to every code written from it, because
//! codes change when regions split or merge and a later decree brings a new list.
//! [`ids`] derives the org units' ids from the codes, so building the tree twice stores
//! nothing new.

pub mod code;
pub mod ids;

use std::io::Read;

pub use code::{Code, Level};

/// The decree the embedded codes follow; stored in `org_unit.region_decree`. The same text
/// as the demo's, so demo units and units made here say the same thing.
pub const DECREE: &str = "kepmendagri_300.2.2-2138_2025 (amended 300.2.2-2430/2025)";

/// The decree as people write it, for messages.
pub const DECREE_TITLE: &str = "Kepmendagri 300.2.2-2138/2025";

/// SHA-256 of the unpacked CSV: the value `shared/wilayah/README.md` gives for its file.
pub const CSV_SHA256: &str = "65c1fba0ed094759e6f9fb0c6c9c09f63efe8351ec718c048a85cee9a7044b4a";

static PACKED: &[u8] = include_bytes!("../data/wilayah.csv.gz");

#[derive(Debug, thiserror::Error)]
pub enum WilayahError {
    #[error(
        "kode wilayah '{0}' tidak valid: tulis mis. 35, 35.08, 35.08.01 atau 35.08.01.2001 (titik boleh tidak ditulis)"
    )]
    BadCode(String),
    #[error("kode wilayah {code} tidak ada di {decree}", decree = DECREE_TITLE)]
    Unknown { code: String },
    #[error("kode wilayah {code} adalah {actual}, bukan {wanted}")]
    WrongLevel {
        code: String,
        actual: &'static str,
        wanted: &'static str,
    },
    #[error("data kode wilayah bawaan rusak: {0}")]
    Data(String),
}

pub type Result<T, E = WilayahError> = std::result::Result<T, E>;

/// One region of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub code: Code,
    pub name: String,
    pub level: Level,
}

/// Indonesian time zones, as the store spells them (`WIB`, `WITA`, `WIT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Wib,
    Wita,
    Wit,
}

impl Zone {
    pub fn code(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    /// The time zone of a province (UU/Keppres on the three zones): Sumatra, Java and West
    /// and Central Kalimantan are WIB; Bali, Nusa Tenggara, the rest of Kalimantan and
    /// Sulawesi WITA; Maluku and Papua WIT. `None` for a code that is no province.
    pub fn of_province(province: &str) -> Option<Zone> {
        let n: u8 = province.parse().ok()?;
        match n {
            11..=19 | 21 | 31..=36 | 61 | 62 => Some(Zone::Wib),
            51..=53 | 63..=65 | 71..=76 => Some(Zone::Wita),
            81 | 82 | 91..=96 => Some(Zone::Wit),
            _ => None,
        }
    }
}

/// The whole list, sorted by code (so a region's subtree is one contiguous run).
#[derive(Debug, Clone)]
pub struct Wilayah {
    regions: Vec<Region>,
}

impl Wilayah {
    /// The list shipped with the program (unpacked and checked; about 50 ms).
    pub fn embedded() -> Result<Wilayah> {
        let mut text = String::with_capacity(2_800_000);
        flate2::read::GzDecoder::new(PACKED)
            .read_to_string(&mut text)
            .map_err(|e| WilayahError::Data(format!("gzip: {e}")))?;
        Wilayah::from_csv(&text)
    }

    /// Reads a list in the `code,name,level` format of `wilayah.csv`, checking that codes
    /// are well formed, sorted, unique, have their parent, and that the level matches the code.
    pub fn from_csv(text: &str) -> Result<Wilayah> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| WilayahError::Data(e.to_string()))?;
        if header != vec!["code", "name", "level"] {
            return Err(WilayahError::Data(format!("kepala kolom {header:?}")));
        }
        let mut regions: Vec<Region> = Vec::with_capacity(92_000);
        // The last code seen at each depth: in sorted order a parent is the latest one above.
        let mut last: [Option<Code>; 4] = Default::default();
        for rec in reader.records() {
            let rec = rec.map_err(|e| WilayahError::Data(e.to_string()))?;
            let bad = |what: &str| {
                WilayahError::Data(format!(
                    "baris {}: {what}",
                    rec.position().map_or(0, |p| p.line())
                ))
            };
            let (Some(c), Some(name), Some(level)) = (rec.get(0), rec.get(1), rec.get(2)) else {
                return Err(bad("kurang kolom"));
            };
            let code = Code::parse(c).map_err(|_| bad("kode tidak valid"))?;
            let level = Level::from_code(level)
                .filter(|l| *l == code.level())
                .ok_or_else(|| bad("tingkat tidak cocok dengan kode"))?;
            if name.trim().is_empty() {
                return Err(bad("nama kosong"));
            }
            if let Some(prev) = regions.last()
                && prev.code >= code
            {
                return Err(bad("kode tidak urut atau ganda"));
            }
            let depth = code.depth();
            if let Some(parent) = code.parent()
                && last[depth - 2].as_ref() != Some(&parent)
            {
                return Err(bad("induk tidak ada"));
            }
            last[depth - 1] = Some(code.clone());
            regions.push(Region {
                code,
                name: name.to_owned(),
                level,
            });
        }
        Ok(Wilayah { regions })
    }

    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter()
    }

    pub fn get(&self, code: &Code) -> Option<&Region> {
        self.regions
            .binary_search_by(|r| r.code.cmp(code))
            .ok()
            .map(|i| &self.regions[i])
    }

    /// Parses a typed code (dotted or plain digits) and finds it, or says which one is unknown.
    pub fn lookup(&self, text: &str) -> Result<&Region> {
        let code = Code::parse(text)?;
        self.get(&code).ok_or_else(|| WilayahError::Unknown {
            code: code.to_string(),
        })
    }

    /// The region and everything below it, in code order (parents before children).
    pub fn subtree(&self, code: &Code) -> &[Region] {
        let lo = self.regions.partition_point(|r| r.code < *code);
        // Every code below `c` is `c.…`; '/' is the byte after '.', so it bounds the run.
        let end = format!("{code}/");
        let hi = self
            .regions
            .partition_point(|r| r.code.as_str() < end.as_str());
        &self.regions[lo..hi.max(lo)]
    }

    /// The direct children of a region, in code order.
    pub fn children(&self, code: &Code) -> impl Iterator<Item = &Region> {
        let depth = code.depth() + 1;
        self.subtree(code)
            .iter()
            .filter(move |r| r.code.depth() == depth)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn unpacked() -> String {
        let mut text = String::new();
        flate2::read::GzDecoder::new(PACKED)
            .read_to_string(&mut text)
            .unwrap_or_default();
        text
    }

    #[test]
    fn embedded_file_is_the_shared_file_byte_for_byte() {
        let text = unpacked();
        let hex: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(hex, CSV_SHA256);
        // Where the checkout has shared/ beside it, compare with the file itself too.
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/wilayah/wilayah.csv"
        );
        match std::fs::read_to_string(shared) {
            Ok(s) => assert!(s == text, "embedded list differs from {shared}"),
            Err(_) => eprintln!("{shared} not found: compared by checksum only"),
        }
    }

    #[test]
    fn counts_per_level_equal_the_decree_totals() {
        let w = Wilayah::embedded().map_err(|e| e.to_string());
        let w = w.as_ref().map_err(String::as_str);
        assert!(w.is_ok(), "{w:?}");
        let Ok(w) = w else { return };
        assert_eq!(w.len(), 91_599);
        let count = |l: Level| w.iter().filter(|r| r.level == l).count();
        assert_eq!(count(Level::Provinsi), 38);
        assert_eq!(count(Level::Kabupaten), 416);
        assert_eq!(count(Level::Kota), 98);
        assert_eq!(count(Level::Kecamatan), 7_285);
        assert_eq!(count(Level::Kelurahan), 8_496);
        assert_eq!(count(Level::Desa), 75_266);
    }

    #[test]
    fn every_province_has_a_time_zone() {
        let Ok(w) = Wilayah::embedded() else {
            panic!("embedded list unreadable")
        };
        for r in w.iter().filter(|r| r.level == Level::Provinsi) {
            assert!(
                Zone::of_province(r.code.as_str()).is_some(),
                "{} {}",
                r.code,
                r.name
            );
        }
        assert_eq!(Zone::of_province("35"), Some(Zone::Wib));
        assert_eq!(Zone::of_province("64"), Some(Zone::Wita));
        assert_eq!(Zone::of_province("96"), Some(Zone::Wit));
        assert_eq!(Zone::of_province("99"), None);
    }

    #[test]
    fn subtree_and_children_follow_the_codes() {
        let Ok(w) = Wilayah::embedded() else {
            panic!("embedded list unreadable")
        };
        let Ok(lumajang) = Code::parse("3508") else {
            panic!("code")
        };
        let sub = w.subtree(&lumajang);
        assert_eq!(sub[0].name, "Kabupaten Lumajang");
        assert!(sub.iter().all(|r| r.code.as_str().starts_with("35.08")));
        // The run ends where Lumajang ends: the next code in the list is another kabupaten.
        let text = unpacked();
        let in_file = text.lines().filter(|l| l.starts_with("35.08.")).count();
        assert_eq!(sub.len(), in_file + 1);
        let kec: Vec<&Region> = w.children(&lumajang).collect();
        assert!(kec.iter().all(|r| r.level == Level::Kecamatan));
        assert_eq!(kec[0].name, "Tempursari");
        assert_eq!(
            w.lookup("35.08.01.2001").map(|r| r.name.as_str()).ok(),
            Some("Tegalrejo")
        );
        assert!(matches!(
            w.lookup("35.99"),
            Err(WilayahError::Unknown { code }) if code == "35.99"
        ));
    }

    #[test]
    fn a_broken_list_is_refused() {
        for bad in [
            "code,name,level\n35.08,Kabupaten Lumajang,kabupaten\n",
            "code,name,level\n35,Jawa Timur,provinsi\n35,Jawa Timur,provinsi\n",
            "code,name,level\n35,Jawa Timur,kecamatan\n",
            "kode,nama\n35,Jawa Timur\n",
        ] {
            assert!(
                matches!(Wilayah::from_csv(bad), Err(WilayahError::Data(_))),
                "{bad}"
            );
        }
    }
}
