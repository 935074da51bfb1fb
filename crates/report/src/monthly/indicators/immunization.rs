//! Immunization: one count per dose of the national schedule (its code is the indicator's),
//! and the children who completed IDL or baduta in the month.

use domain::immunization::SCHEDULE;

use super::{Indicator, Section, count};

const COMPLETE: &str = "rules.md §9 (idl_set, baduta_set; domain::immunization_status)";

/// Who counts in a dose's number.
const DOSE: &str = "Balita S yang mendapat dosis ini (kode jadwal, rules.md §9) dalam bulan itu \
                    (tanggal pemberian di bulan itu; dosis yang diulang dihitung sekali).";

/// The schedule's doses, then IDL and baduta complete.
pub fn indicators() -> Vec<Indicator> {
    let mut out: Vec<Indicator> = SCHEDULE
        .iter()
        .map(|e| count(e.code, Section::Immunization, e.code, DOSE, e.source))
        .collect();
    out.push(count(
        "idl",
        Section::Immunization,
        "IDL",
        "Balita yang imunisasi dasarnya menjadi lengkap dalam bulan itu: lengkap pada hari \
         terakhir bulan, belum lengkap sehari sebelum bulan mulai (setiap dosis dasar sebelum \
         umur 12 bulan).",
        COMPLETE,
    ));
    out.push(count(
        "baduta",
        Section::Immunization,
        "Baduta lengkap",
        "Balita yang imunisasi lanjutan badutanya menjadi lengkap dalam bulan itu (setiap dosis \
         sebelum umur 24 bulan), dihitung seperti IDL.",
        COMPLETE,
    ));
    out
}
