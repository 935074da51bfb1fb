//! The screening of the other life-cycle groups in the month: who was served and how many
//! screened positive, per group (age on the month's last day): usia sekolah and remaja
//! (5–18 years), dewasa (19–59) and lansia (60 and over). Which findings each counts is in
//! `monthly::groups::POSITIVES`.

use super::{Indicator, Section, count};

const SCREENING: &str =
    "rules.md §6–§8 (the finding codes named); KMK HK.01.07/2015/2023 (Juknis ILP)";

use Section::Screening;

macro_rules! screened {
    ($code:literal, $name:literal, $counts:literal) => {
        count($code, Screening, $name, $counts, SCREENING)
    };
}

pub const INDICATORS: &[Indicator] = &[
    screened!(
        "remaja_dilayani",
        "Usia sekolah & remaja dilayani",
        "Umur 5–18 tahun dengan kunjungan dalam bulan itu."
    ),
    screened!(
        "remaja_hipertensi",
        "Remaja: tekanan darah tinggi",
        "Dilayani 5–18 tahun dengan hypertension_stage1/2_adolescent."
    ),
    screened!(
        "remaja_obesitas",
        "Remaja: obesitas",
        "Dilayani 5–18 tahun dengan bfa_obese (IMT/U > +2 SD)."
    ),
    screened!(
        "remaja_anemia",
        "Remaja: anemia",
        "Dilayani 5–18 tahun dengan anemia_mild/moderate/severe."
    ),
    screened!(
        "remaja_srq",
        "Remaja: SRQ-20 positif",
        "Dilayani 5–18 tahun dengan srq20_positive."
    ),
    screened!(
        "remaja_tb",
        "Remaja: terduga TB",
        "Dilayani 5–18 tahun dengan tb_presumptive_child atau _adult."
    ),
    screened!(
        "dewasa_dilayani",
        "Dewasa dilayani",
        "Umur 19–59 tahun dengan kunjungan dalam bulan itu."
    ),
    screened!(
        "dewasa_hipertensi",
        "Dewasa: hipertensi",
        "Dilayani 19–59 tahun dengan hypertension_grade1/2/3 atau isolated_systolic."
    ),
    screened!(
        "dewasa_diabetes",
        "Dewasa: gula darah diabetes",
        "Dilayani 19–59 tahun dengan glucose_random_diabetes atau glucose_fasting_diabetes."
    ),
    screened!(
        "dewasa_obesitas",
        "Dewasa: obesitas",
        "Dilayani 19–59 tahun dengan bmi_obese, bmi_obese_1 atau bmi_obese_2."
    ),
    screened!(
        "dewasa_obesitas_sentral",
        "Dewasa: obesitas sentral",
        "Dilayani 19–59 tahun dengan central_obesity."
    ),
    screened!(
        "dewasa_srq",
        "Dewasa: SRQ-20 positif",
        "Dilayani 19–59 tahun dengan srq20_positive."
    ),
    screened!(
        "dewasa_puma",
        "Dewasa: PUMA risiko tinggi (PPOK)",
        "Dilayani 19–59 tahun dengan puma_high_risk."
    ),
    screened!(
        "dewasa_tb",
        "Dewasa: terduga TB",
        "Dilayani 19–59 tahun dengan tb_presumptive_adult."
    ),
    screened!(
        "lansia_dilayani",
        "Lansia dilayani",
        "Umur 60 tahun ke atas dengan kunjungan dalam bulan itu."
    ),
    screened!(
        "lansia_hipertensi",
        "Lansia: hipertensi",
        "Dilayani ≥ 60 tahun dengan hypertension_grade1/2/3 atau isolated_systolic."
    ),
    screened!(
        "lansia_diabetes",
        "Lansia: gula darah diabetes",
        "Dilayani ≥ 60 tahun dengan glucose_random_diabetes atau glucose_fasting_diabetes."
    ),
    screened!(
        "lansia_obesitas",
        "Lansia: obesitas",
        "Dilayani ≥ 60 tahun dengan bmi_obese, bmi_obese_1 atau bmi_obese_2."
    ),
    screened!(
        "lansia_obesitas_sentral",
        "Lansia: obesitas sentral",
        "Dilayani ≥ 60 tahun dengan central_obesity."
    ),
    screened!(
        "lansia_srq",
        "Lansia: SRQ-20 positif",
        "Dilayani ≥ 60 tahun dengan srq20_positive."
    ),
    screened!(
        "lansia_puma",
        "Lansia: PUMA risiko tinggi (PPOK)",
        "Dilayani ≥ 60 tahun dengan puma_high_risk."
    ),
    screened!(
        "lansia_tb",
        "Lansia: terduga TB",
        "Dilayani ≥ 60 tahun dengan tb_presumptive_adult."
    ),
    screened!(
        "lansia_skilas",
        "Lansia: SKILAS ada penurunan",
        "Dilayani ≥ 60 tahun dengan satu temuan skilas_* atau lebih."
    ),
    screened!(
        "lansia_adl",
        "Lansia: ketergantungan (ADL)",
        "Dilayani ≥ 60 tahun dengan adl_mild/moderate/severe/total_dependency."
    ),
];
