//! The accepted columns of a register file and their header spellings (the project's own
//! and e-PPGBM's).
//!
//! Headers are matched case-insensitively after trimming and folding spaces, dots, dashes
//! and slashes to `_`, so `Tgl. Lahir`, `TGL_LAHIR` and `tanggal lahir` all name the same
//! column. Unknown columns are ignored (exports carry many); a missing required column
//! stops the import before any row is read.

/// A column the importer understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    Nik,
    Name,
    Sex,
    BirthDate,
    MotherName,
    MotherNik,
    DesaCode,
    DesaName,
    Posyandu,
    Address,
    Rt,
    Rw,
    MeasuredOn,
    WeightKg,
    LengthCm,
    Method,
    ArmCircCm,
    HeadCircCm,
}

impl Column {
    pub const ALL: [Column; 18] = [
        Column::Nik,
        Column::Name,
        Column::Sex,
        Column::BirthDate,
        Column::MotherName,
        Column::MotherNik,
        Column::DesaCode,
        Column::DesaName,
        Column::Posyandu,
        Column::Address,
        Column::Rt,
        Column::Rw,
        Column::MeasuredOn,
        Column::WeightKg,
        Column::LengthCm,
        Column::Method,
        Column::ArmCircCm,
        Column::HeadCircCm,
    ];

    /// The canonical header, used in messages and in the documentation.
    pub fn name(self) -> &'static str {
        self.aliases()[0]
    }

    /// Accepted spellings (normalised), canonical first.
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Nik => &["nik", "nik_anak", "no_nik"],
            Column::Name => &["nama", "nama_anak", "nama_balita", "nama_lengkap"],
            Column::Sex => &["jk", "jenis_kelamin", "l_p", "sex"],
            Column::BirthDate => &["tgl_lahir", "tanggal_lahir", "tgl_lhr"],
            Column::MotherName => &["nama_ibu", "nama_ortu", "nama_orang_tua", "ibu"],
            Column::MotherNik => &["nik_ibu", "nik_ortu"],
            Column::DesaCode => &["kode_desa", "kode_wilayah", "kode_kelurahan"],
            Column::DesaName => &[
                "desa_kel",
                "desa",
                "nama_desa",
                "kelurahan",
                "desa_kelurahan",
            ],
            Column::Posyandu => &["posyandu", "kode_posyandu", "nama_posyandu"],
            Column::Address => &["alamat"],
            Column::Rt => &["rt"],
            Column::Rw => &["rw"],
            Column::MeasuredOn => &[
                "tgl_ukur",
                "tanggal_ukur",
                "tanggal_pengukuran",
                "tgl_pengukuran",
                "tgl_timbang",
            ],
            Column::WeightKg => &["berat", "bb", "berat_badan", "bb_kg"],
            Column::LengthCm => &[
                "tinggi",
                "tb",
                "pb",
                "tb_pb",
                "pb_tb",
                "tinggi_badan",
                "panjang_badan",
                "tb_cm",
            ],
            Column::Method => &["cara_ukur", "cara_pengukuran", "posisi"],
            Column::ArmCircCm => &["lila", "lingkar_lengan_atas"],
            Column::HeadCircCm => &["lingkar_kepala", "lk"],
        }
    }

    /// Columns without which no row can be stored.
    pub fn required(self) -> bool {
        matches!(self, Column::Name | Column::Sex | Column::BirthDate)
    }
}

/// Normalises a header cell: trimmed, lower case, separators folded to single `_`.
pub fn normalise(header: &str) -> String {
    let mut out = String::new();
    for c in header.trim().trim_start_matches('\u{feff}').chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_owned()
}

/// Where each known column sits in the file's header.
#[derive(Clone, Debug, Default)]
pub struct ColumnMap {
    positions: Vec<(Column, usize)>,
}

impl ColumnMap {
    /// Maps a header row. Returns the missing required columns as an error.
    pub fn from_headers<'a>(
        headers: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, Vec<Column>> {
        let normalised: Vec<String> = headers.into_iter().map(normalise).collect();
        let mut positions = Vec::new();
        for col in Column::ALL {
            if let Some(pos) = normalised
                .iter()
                .position(|h| col.aliases().contains(&h.as_str()))
            {
                positions.push((col, pos));
            }
        }
        let missing: Vec<Column> = Column::ALL
            .into_iter()
            .filter(|c| c.required() && !positions.iter().any(|(p, _)| p == c))
            .collect();
        if missing.is_empty() {
            Ok(Self { positions })
        } else {
            Err(missing)
        }
    }

    pub fn position(&self, col: Column) -> Option<usize> {
        self.positions
            .iter()
            .find(|(c, _)| *c == col)
            .map(|(_, p)| *p)
    }

    pub fn has(&self, col: Column) -> bool {
        self.position(col).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_matched_loosely() {
        assert_eq!(normalise(" Tgl. Lahir "), "tgl_lahir");
        assert_eq!(normalise("\u{feff}NIK"), "nik");
        assert_eq!(normalise("TB/PB (cm)"), "tb_pb_cm");
        assert_eq!(normalise("L/P"), "l_p");
    }

    #[test]
    fn required_columns_are_reported_when_missing() {
        let err = ColumnMap::from_headers(["nik", "nama"]).err();
        assert_eq!(err, Some(vec![Column::Sex, Column::BirthDate]));
        let ok = ColumnMap::from_headers(["Nama Anak", "JK", "Tanggal Lahir", "BB"]).ok();
        let map = ok.unwrap_or_default();
        assert_eq!(map.position(Column::WeightKg), Some(3));
        assert!(!map.has(Column::Nik));
    }

    #[test]
    fn every_alias_is_already_normalised_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for c in Column::ALL {
            for a in c.aliases() {
                assert_eq!(normalise(a), *a);
                assert!(seen.insert(*a), "{a} used twice");
            }
        }
    }
}
