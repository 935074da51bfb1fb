//! Pregnant women (ibu hamil) of the unit in the month: served, and the findings the
//! service day stored for them.

use super::{Indicator, Section, count, ratio};

const MATERNAL: &str = "rules.md §5 (kek, anemia_pregnancy, kspr_*, hypertension_maternal); \
                        exchange.md §1 (V, bumil form)";

use Section::Maternal;

pub const INDICATORS: &[Indicator] = &[
    count(
        "bumil",
        Maternal,
        "Ibu hamil",
        "Perempuan terdaftar di unit dengan kehamilan yang berjalan dalam bulan itu (HPHT \
         sebelum akhir bulan; belum berakhir sebelum bulan mulai).",
        MATERNAL,
    ),
    count(
        "bumil_dilayani",
        Maternal,
        "Ibu hamil dilayani",
        "Ibu hamil dengan kunjungan posyandu dalam bulan itu.",
        MATERNAL,
    ),
    ratio(
        "bumil_cakupan",
        Maternal,
        "Ibu hamil dilayani / ibu hamil",
        "Ibu hamil yang datang dari semua ibu hamil.",
        "bumil_dilayani",
        "bumil",
        MATERNAL,
    ),
    count(
        "bumil_kek",
        Maternal,
        "KEK",
        "Ibu hamil dengan temuan kek (LiLA < 23,5 cm) dalam bulan itu.",
        MATERNAL,
    ),
    count(
        "bumil_anemia",
        Maternal,
        "Anemia",
        "Ibu hamil dengan temuan anemia_pregnancy dalam bulan itu.",
        MATERNAL,
    ),
    count(
        "bumil_hipertensi",
        Maternal,
        "Hipertensi kehamilan",
        "Ibu hamil dengan temuan hypertension_maternal dalam bulan itu.",
        MATERNAL,
    ),
    count(
        "bumil_krt",
        Maternal,
        "KRT (KSPR 6–10)",
        "Ibu hamil dengan temuan kspr_krt dalam bulan itu.",
        MATERNAL,
    ),
    count(
        "bumil_krst",
        Maternal,
        "KRST (KSPR ≥ 12)",
        "Ibu hamil dengan temuan kspr_krst dalam bulan itu.",
        MATERNAL,
    ),
    count(
        "bumil_ttd",
        Maternal,
        "Mendapat TTD",
        "Ibu hamil yang mendapat tablet tambah darah dalam bulan itu (layanan langkah 4).",
        MATERNAL,
    ),
];
