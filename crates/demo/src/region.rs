//! The demo region: real Kemendagri codes, fictional health posts.
//!
//! Codes and names are taken from `shared/wilayah/wilayah.csv`, **Kepmendagri
//! 300.2.2-2138/2025** (25 April 2025; amended by 300.2.2-2430/2025, islands only):
//! Provinsi Jawa Timur (35), Kabupaten Lumajang (35.08), Kecamatan Tempursari (35.08.01) and
//! Pronojiwo (35.08.02), three desa in each. The Puskesmas carry their kecamatan's name, as is
//! usual; posyandu and poskestren names are invented (flower names are the common custom).

/// The decree the codes below come from; stored next to every code the demo writes.
pub const WILAYAH_VERSION: &str = "kepmendagri_300.2.2-2138_2025 (amended 300.2.2-2430/2025)";

pub const PROVINSI: (&str, &str) = ("35", "Jawa Timur");
pub const KABUPATEN: (&str, &str) = ("35.08", "Kabupaten Lumajang");

/// One desa with its posyandu (two each) and, for one desa, the poskestren.
#[derive(Clone, Copy, Debug)]
pub struct DesaSpec {
    pub code: &'static str,
    pub name: &'static str,
    /// Relative population weight (desa differ in size).
    pub weight: f64,
    pub posyandu: [&'static str; 2],
    /// Day of the month the desa's posyandu usually open (hari buka).
    pub open_day: [u8; 2],
}

/// One Puskesmas: its kecamatan and the desa in its working area.
#[derive(Clone, Copy, Debug)]
pub struct PuskesmasSpec {
    pub kecamatan_code: &'static str,
    pub kecamatan_name: &'static str,
    pub name: &'static str,
    pub desa: [DesaSpec; 3],
}

pub const PUSKESMAS: [PuskesmasSpec; 2] = [
    PuskesmasSpec {
        kecamatan_code: "35.08.01",
        kecamatan_name: "Tempursari",
        name: "Puskesmas Tempursari",
        desa: [
            DesaSpec {
                code: "35.08.01.2001",
                name: "Tegalrejo",
                weight: 1.0,
                posyandu: ["Posyandu Melati", "Posyandu Mawar"],
                open_day: [5, 12],
            },
            DesaSpec {
                code: "35.08.01.2005",
                name: "Tempursari",
                weight: 1.25,
                posyandu: ["Posyandu Anggrek", "Posyandu Kenanga"],
                open_day: [7, 14],
            },
            DesaSpec {
                code: "35.08.01.2006",
                name: "Pundungsari",
                weight: 0.85,
                posyandu: ["Posyandu Dahlia", "Posyandu Flamboyan"],
                open_day: [9, 16],
            },
        ],
    },
    PuskesmasSpec {
        kecamatan_code: "35.08.02",
        kecamatan_name: "Pronojiwo",
        name: "Puskesmas Pronojiwo",
        desa: [
            DesaSpec {
                code: "35.08.02.2001",
                name: "Sidomulyo",
                weight: 0.9,
                posyandu: ["Posyandu Cempaka", "Posyandu Teratai"],
                open_day: [6, 13],
            },
            DesaSpec {
                code: "35.08.02.2002",
                name: "Pronojiwo",
                weight: 1.15,
                posyandu: ["Posyandu Seruni", "Posyandu Bougenville"],
                open_day: [8, 15],
            },
            DesaSpec {
                code: "35.08.02.2006",
                name: "Supiturang",
                weight: 0.85,
                posyandu: ["Posyandu Sakura", "Posyandu Asoka"],
                open_day: [10, 17],
            },
        ],
    },
];

/// The poskestren: in desa Pronojiwo (index 1 of Puskesmas Pronojiwo).
pub const POSKESTREN_NAME: &str = "Poskestren Nurul Huda";
pub const POSKESTREN_DESA: &str = "35.08.02.2002";
pub const POSKESTREN_OPEN_DAY: u8 = 20;

/// The digits of a dotted code (`35.08.01.2001` → `3508012001`).
pub fn digits(code: &str) -> String {
    code.chars().filter(char::is_ascii_digit).collect()
}

/// `shared/wilayah/wilayah.csv`, for tests that check embedded codes against it; `None`
/// (with a note) where the shared folder is not beside the checkout.
#[cfg(test)]
pub(crate) fn wilayah_csv() -> Option<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/wilayah/wilayah.csv"
    );
    let text = std::fs::read_to_string(path).ok();
    if text.is_none() {
        eprintln!("shared/wilayah/wilayah.csv not found; code check skipped");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded codes are a verbatim excerpt of `wilayah.csv` (checked when the shared
    /// file is present, i.e. in the project workspace).
    #[test]
    fn codes_match_the_wilayah_file() {
        let Some(text) = wilayah_csv() else { return };
        let lookup = |code: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{code},")).map(str::to_owned))
        };
        assert_eq!(lookup(PROVINSI.0).as_deref(), Some("Jawa Timur,provinsi"));
        assert_eq!(
            lookup(KABUPATEN.0).as_deref(),
            Some("Kabupaten Lumajang,kabupaten")
        );
        for p in PUSKESMAS {
            assert_eq!(
                lookup(p.kecamatan_code),
                Some(format!("{},kecamatan", p.kecamatan_name))
            );
            for d in p.desa {
                assert_eq!(lookup(d.code), Some(format!("{},desa", d.name)));
            }
        }
    }

    #[test]
    fn digits_strip_the_dots() {
        assert_eq!(digits("35.08.01.2001"), "3508012001");
    }
}
