//! The rule catalogue: every finding code with its fixed action, its Bahasa Indonesia label,
//! its condition in words and its source. This is the one place a health officer reads
//! (`docs/RULES.md` is generated from it by a test) and the one place rules take their
//! codes from, so a code can never be emitted with the wrong action.
//!
//! Source tags follow `shared/design/rules.md`: `§x.y` is a section of the domain reference
//! with its mark (C official, S secondary, U unconfirmed or conflicting).

use serde::Serialize;

/// What the kader does with a finding (rules.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Counsel now.
    Edukasi,
    /// Counsel and re-check at the next posyandu (within 3 months).
    Pantau,
    /// Send to Pustu, Puskesmas or bidan.
    Rujuk,
}

impl Action {
    /// The wire name used in `posyandu screen` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Edukasi => "edukasi",
            Action::Pantau => "pantau",
            Action::Rujuk => "rujuk",
        }
    }
}

/// The catalogue section a rule belongs to, in the order of `rules.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    BalitaAnthropometry,
    Kms,
    SchoolAge,
    BloodPressureMetabolic,
    AdultBmi,
    Maternal,
    Anaemia,
    Questionnaires,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::BalitaAnthropometry,
        Section::Kms,
        Section::SchoolAge,
        Section::BloodPressureMetabolic,
        Section::AdultBmi,
        Section::Maternal,
        Section::Anaemia,
        Section::Questionnaires,
    ];

    /// Heading for the health officer's table (Bahasa Indonesia with the English gloss).
    pub fn title(self) -> &'static str {
        match self {
            Section::BalitaAnthropometry => "1. Antropometri balita (Permenkes 2/2020, WHO 2006)",
            Section::Kms => "2. KMS: pemantauan pertumbuhan balita",
            Section::SchoolAge => "3. Anak usia sekolah dan remaja 5–18 tahun (IMT/U, WHO 2007)",
            Section::BloodPressureMetabolic => "4. Tekanan darah, gula darah, kolesterol",
            Section::AdultBmi => "5. IMT dewasa dan lingkar perut",
            Section::Maternal => "6. Ibu hamil dan nifas",
            Section::Anaemia => "7. Anemia (WHO 2011), bukan ibu hamil",
            Section::Questionnaires => "8. Kuesioner dan skrining gejala",
        }
    }
}

/// One catalogue entry. Rules return `&'static Rule`, so code and action travel together.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable machine code (`snake_case`), the key in every output and report.
    pub code: &'static str,
    pub action: Action,
    /// What the kader reads (Bahasa Indonesia).
    pub label: &'static str,
    pub section: Section,
    /// Who the rule applies to.
    pub group: &'static str,
    /// The condition, as the inequality that is computed.
    pub condition: &'static str,
    /// The source tag (see the module doc).
    pub source: &'static str,
}

macro_rules! catalogue {
    ($( $(#[$meta:meta])* $name:ident = $code:literal, $action:ident, $section:ident,
        $group:literal, $cond:literal, $label:literal, $source:literal; )*) => {
        $(
            $(#[$meta])*
            pub const $name: Rule = Rule {
                code: $code,
                action: Action::$action,
                label: $label,
                section: Section::$section,
                group: $group,
                condition: $cond,
                source: $source,
            };
        )*
        /// Every rule, in catalogue order.
        pub const ALL: &[Rule] = &[$($name),*];
    };
}

catalogue! {
    // §1 Balita anthropometry: Permenkes 2/2020 categories on WHO 2006 z (domain §3.1 S).
    /// BB/U < −3 SD, Permenkes 2/2020 (§3.1 S).
    WFA_SEVERELY_UNDERWEIGHT = "wfa_severely_underweight", Rujuk, BalitaAnthropometry,
        "balita", "zwei < −3", "BB sangat kurang", "§3.1 S (Permenkes 2/2020)";
    /// BB/U −3 to < −2 SD (§3.1 S).
    WFA_UNDERWEIGHT = "wfa_underweight", Rujuk, BalitaAnthropometry,
        "balita", "−3 ≤ zwei < −2", "BB kurang", "§3.1 S (Permenkes 2/2020)";
    /// BB/U > +1 SD: risk category, check BB/PB (§3.1 S).
    WFA_RISK_OVERWEIGHT = "wfa_risk_overweight", Pantau, BalitaAnthropometry,
        "balita", "zwei > +1", "Risiko BB lebih, cek BB/PB", "§3.1 S (Permenkes 2/2020)";
    /// PB/U or TB/U < −3 SD (§3.1 S).
    LFA_SEVERELY_STUNTED = "lfa_severely_stunted", Rujuk, BalitaAnthropometry,
        "balita", "zlen < −3", "Sangat pendek", "§3.1 S (Permenkes 2/2020)";
    /// PB/U or TB/U −3 to < −2 SD: stunting (§3.1 S).
    LFA_STUNTED = "lfa_stunted", Rujuk, BalitaAnthropometry,
        "balita", "−3 ≤ zlen < −2", "Pendek (stunting)", "§3.1 S (Permenkes 2/2020)";
    /// PB/U or TB/U > +3 SD (§3.1 S).
    LFA_TALL = "lfa_tall", Pantau, BalitaAnthropometry,
        "balita", "zlen > +3", "Tinggi", "§3.1 S (Permenkes 2/2020)";
    /// BB/PB or BB/TB < −3 SD (§3.1 S).
    WFL_SEVERELY_WASTED = "wfl_severely_wasted", Rujuk, BalitaAnthropometry,
        "balita", "zwfl < −3", "Gizi buruk", "§3.1 S (Permenkes 2/2020)";
    /// BB/PB or BB/TB −3 to < −2 SD (§3.1 S).
    WFL_WASTED = "wfl_wasted", Rujuk, BalitaAnthropometry,
        "balita", "−3 ≤ zwfl < −2", "Gizi kurang", "§3.1 S (Permenkes 2/2020)";
    /// BB/PB or BB/TB > +1 to +2 SD (§3.1 S).
    WFL_RISK_OVERWEIGHT = "wfl_risk_overweight", Edukasi, BalitaAnthropometry,
        "balita", "+1 < zwfl ≤ +2", "Berisiko gizi lebih", "§3.1 S (Permenkes 2/2020)";
    /// BB/PB or BB/TB > +2 to +3 SD (§3.1 S).
    WFL_OVERWEIGHT = "wfl_overweight", Rujuk, BalitaAnthropometry,
        "balita", "+2 < zwfl ≤ +3", "Gizi lebih", "§3.1 S (Permenkes 2/2020)";
    /// BB/PB or BB/TB > +3 SD (§3.1 S).
    WFL_OBESE = "wfl_obese", Rujuk, BalitaAnthropometry,
        "balita", "zwfl > +3", "Obesitas", "§3.1 S (Permenkes 2/2020)";
    /// IMT/U 0–60 months < −3 SD (§3.1 S).
    BFA_U5_SEVERELY_WASTED = "bfa_u5_severely_wasted", Rujuk, BalitaAnthropometry,
        "balita", "zbmi < −3", "IMT/U gizi buruk", "§3.1 S (Permenkes 2/2020)";
    /// IMT/U 0–60 months −3 to < −2 SD (§3.1 S).
    BFA_U5_WASTED = "bfa_u5_wasted", Rujuk, BalitaAnthropometry,
        "balita", "−3 ≤ zbmi < −2", "IMT/U gizi kurang", "§3.1 S (Permenkes 2/2020)";
    /// IMT/U 0–60 months > +1 to +2 SD (§3.1 S).
    BFA_U5_RISK_OVERWEIGHT = "bfa_u5_risk_overweight", Edukasi, BalitaAnthropometry,
        "balita", "+1 < zbmi ≤ +2", "IMT/U berisiko gizi lebih", "§3.1 S (Permenkes 2/2020)";
    /// IMT/U 0–60 months > +2 to +3 SD (§3.1 S).
    BFA_U5_OVERWEIGHT = "bfa_u5_overweight", Rujuk, BalitaAnthropometry,
        "balita", "+2 < zbmi ≤ +3", "IMT/U gizi lebih", "§3.1 S (Permenkes 2/2020)";
    /// IMT/U 0–60 months > +3 SD (§3.1 S).
    BFA_U5_OBESE = "bfa_u5_obese", Rujuk, BalitaAnthropometry,
        "balita", "zbmi > +3", "IMT/U obesitas", "§3.1 S (Permenkes 2/2020)";
    /// LK/U < −2 SD (§3.1 S).
    HC_MICROCEPHALY = "hc_microcephaly", Rujuk, BalitaAnthropometry,
        "balita", "zhc < −2", "Lingkar kepala kecil (mikrosefal)", "§3.1 S";
    /// LK/U > +2 SD (§3.1 S).
    HC_MACROCEPHALY = "hc_macrocephaly", Rujuk, BalitaAnthropometry,
        "balita", "zhc > +2", "Lingkar kepala besar (makrosefal)", "§3.1 S";
    /// LiLA < 11.5 cm at 6–59 months: severe acute malnutrition (§3.2 U: WHO / Pedoman Gizi
    /// Buruk 2019, source text not verified). Cut-off is setting `muac_sam_cm`.
    MUAC_SAM = "muac_sam", Rujuk, BalitaAnthropometry,
        "balita", "6 ≤ age_months ≤ 59 dan muac_cm < 11,5 (setting muac_sam_cm)",
        "LiLA < 11,5 cm: gizi buruk", "§3.2 U (teks sumber belum diverifikasi)";
    /// Bilateral pitting oedema counts as severe malnutrition (WHO-R §3.6).
    NUTRITIONAL_OEDEMA = "nutritional_oedema", Rujuk, BalitaAnthropometry,
        "balita", "oedema = true (zwei/zwfl/zbmi tidak dihitung)", "Edema bilateral: gizi buruk",
        "WHO-R §3.6";

    // §2 KMS growth monitoring (Buku KIA 2023 and field SKDN formats).
    /// First weighing ever (B, baru): field reporting formats (§3.2 S).
    KMS_B = "kms_b", Edukasi, Kms,
        "balita, BB hari ini", "previous_weighings ada dan kosong", "B: baru pertama ditimbang", "§3.2 S";
    /// Not weighed last month (O): field reporting formats (§3.2 S).
    KMS_O = "kms_o", Edukasi, Kms,
        "balita, BB hari ini", "riwayat ada, tidak ada penimbangan di bulan kalender sebelumnya",
        "O: bulan lalu tidak ditimbang", "§3.2 S";
    /// Gain ≥ KBM since last month's weighing (Buku KIA 2023, §3.2 C).
    KMS_N = "kms_n", Edukasi, Kms,
        "balita ≥ 1 bulan, BB hari ini", "kenaikan (g) ≥ KBM menurut umur bulan ini",
        "N: naik", "§3.2 C (KIA2023)";
    /// Gain < KBM since last month's weighing: refer (Buku KIA 2023, §3.2 C).
    KMS_T = "kms_t", Rujuk, Kms,
        "balita ≥ 1 bulan, BB hari ini", "kenaikan (g) < KBM menurut umur bulan ini",
        "T: tidak naik", "§3.2 C (KIA2023)";
    /// T twice in a row: refer to Puskesmas (§3.2 S, SKDN indicator decks).
    KMS_2T = "kms_2t", Rujuk, Kms,
        "balita ≥ 1 bulan, BB hari ini",
        "kms_t, dan penimbangan bulan lalu juga T terhadap penimbangan bulan sebelumnya",
        "2T: dua kali tidak naik", "§3.2 S";
    /// Below the red line of the KMS, read as WAZ < −3 (§3.2 U proxy; setting `bgm_waz`).
    KMS_BGM = "kms_bgm", Rujuk, Kms,
        "balita, BB hari ini", "zwei < −3 (setting bgm_waz)", "BGM (di bawah garis merah)",
        "§3.2 U: proksi, garis merah = −3 SD";
    /// Weight faltering (KMK2023 PPK, §3.1 C definition); computed with the WAZ-drop proxy
    /// of 0.67 SD until WHO weight-increment tables ship (§3.1 U proxy).
    WEIGHT_FALTERING = "weight_faltering", Rujuk, Kms,
        "age_days ≤ 730, BB hari ini",
        "penimbangan terakhir 21–92 hari lalu; 100·zwei hari ini − 100·zwei saat itu ≤ −68",
        "Weight faltering (BB tidak naik memadai)", "§3.1 C definisi; U proksi";

    // §3 School age and adolescents: IMT/U on WHO 2007.
    /// IMT/U < −3 SD: severely thinness, Permenkes 2/2020 (§3.1 S).
    BFA_SEVERELY_THIN = "bfa_severely_thin", Rujuk, SchoolAge,
        "anak/remaja 5–18 th, tidak hamil", "zbfa < −3", "Gizi buruk (severely thinness)",
        "§3.1 S (P2/2020)";
    /// IMT/U −3 to < −2 SD, KMK2023 skrining obesitas (§3.1 C).
    BFA_THIN = "bfa_thin", Rujuk, SchoolAge,
        "anak/remaja 5–18 th, tidak hamil", "−3 ≤ zbfa < −2", "Gizi kurang (thinness)", "§3.1 C";
    /// IMT/U > +1 to +2 SD (§3.1 C).
    BFA_OVERWEIGHT = "bfa_overweight", Edukasi, SchoolAge,
        "anak/remaja 5–18 th, tidak hamil", "+1 < zbfa ≤ +2", "Gizi lebih (overweight)", "§3.1 C";
    /// IMT/U > +2 SD (§3.1 C).
    BFA_OBESE = "bfa_obese", Rujuk, SchoolAge,
        "anak/remaja 5–18 th, tidak hamil", "zbfa > +2", "Obesitas", "§3.1 C";

    // §4 Blood pressure and metabolic.
    /// AAP 2017 elevated BP for ≥ 13 y, as quoted in KMK2023 (§3.5 C).
    BP_ELEVATED_ADOLESCENT = "bp_elevated_adolescent", Pantau, BloodPressureMetabolic,
        "13–17 th", "120 ≤ S < 130 dan D < 80", "TD meningkat", "§3.5 C (AAP 2017)";
    /// AAP 2017 stage 1 hypertension (§3.5 C).
    HYPERTENSION_STAGE1_ADOLESCENT = "hypertension_stage1_adolescent", Pantau, BloodPressureMetabolic,
        "13–17 th", "130 ≤ S < 140 atau 80 ≤ D < 90", "Hipertensi derajat 1 (remaja)", "§3.5 C (AAP 2017)";
    /// AAP 2017 stage 2 hypertension (§3.5 C).
    HYPERTENSION_STAGE2_ADOLESCENT = "hypertension_stage2_adolescent", Rujuk, BloodPressureMetabolic,
        "13–17 th", "S ≥ 140 atau D ≥ 90", "Hipertensi derajat 2 (remaja)", "§3.5 C (AAP 2017)";
    /// KMK2023 Tabel 22 normal tinggi: monthly monitoring (§3.5 C).
    BP_HIGH_NORMAL = "bp_high_normal", Pantau, BloodPressureMetabolic,
        "≥ 18 th (setting bp_adult_min_years)", "130 ≤ S < 140 atau 85 ≤ D < 90", "Normal tinggi",
        "§3.5 C (KMK2023 T22)";
    /// KMK2023 Tabel 22 derajat 1 (§3.5 C).
    HYPERTENSION_GRADE1 = "hypertension_grade1", Rujuk, BloodPressureMetabolic,
        "≥ 18 th", "140 ≤ S < 160 atau 90 ≤ D < 100", "Hipertensi derajat 1", "§3.5 C (KMK2023 T22)";
    /// KMK2023 Tabel 22 derajat 2 (§3.5 C).
    HYPERTENSION_GRADE2 = "hypertension_grade2", Rujuk, BloodPressureMetabolic,
        "≥ 18 th", "160 ≤ S < 180 atau 100 ≤ D < 110", "Hipertensi derajat 2", "§3.5 C (KMK2023 T22)";
    /// KMK2023 Tabel 22 derajat 3 (§3.5 C).
    HYPERTENSION_GRADE3 = "hypertension_grade3", Rujuk, BloodPressureMetabolic,
        "≥ 18 th", "S ≥ 180 atau D ≥ 110", "Hipertensi derajat 3", "§3.5 C (KMK2023 T22)";
    /// KMK2023 Tabel 22 isolated systolic, reported besides the grade (§3.5 C).
    HYPERTENSION_ISOLATED_SYSTOLIC = "hypertension_isolated_systolic", Rujuk, BloodPressureMetabolic,
        "≥ 18 th", "S ≥ 140 dan D < 90 (selain derajat)", "Hipertensi sistolik terisolasi",
        "§3.5 C (KMK2023 T22)";
    /// ≥ 140/90 in pregnancy or postpartum (§3.5 C cut-off; the referral rule is U).
    HYPERTENSION_MATERNAL = "hypertension_maternal", Rujuk, BloodPressureMetabolic,
        "ibu hamil atau nifas", "S ≥ 140 atau D ≥ 90 (tambahan)", "Hipertensi kehamilan/nifas",
        "§3.5 C batas; U aturan";
    /// KMK2023 Tabel 23 random glucose 140–199 mg/dL (§3.6 C).
    GLUCOSE_RANDOM_PREDIABETES = "glucose_random_prediabetes", Pantau, BloodPressureMetabolic,
        "bukan balita", "140 ≤ GDS < 200", "GDS prediabetes", "§3.6 C (KMK2023 T23)";
    /// KMK2023 Tabel 23 random glucose ≥ 200 mg/dL (§3.6 C).
    GLUCOSE_RANDOM_DIABETES = "glucose_random_diabetes", Rujuk, BloodPressureMetabolic,
        "bukan balita", "GDS ≥ 200", "GDS ≥ 200: curiga DM", "§3.6 C (KMK2023 T23)";
    /// KMK2023 Tabel 23 fasting glucose 100–125 mg/dL (§3.6 C).
    GLUCOSE_FASTING_PREDIABETES = "glucose_fasting_prediabetes", Pantau, BloodPressureMetabolic,
        "bukan balita", "100 ≤ GDP < 126", "GDP prediabetes", "§3.6 C (KMK2023 T23)";
    /// KMK2023 Tabel 23 fasting glucose ≥ 126 mg/dL (§3.6 C).
    GLUCOSE_FASTING_DIABETES = "glucose_fasting_diabetes", Rujuk, BloodPressureMetabolic,
        "bukan balita", "GDP ≥ 126", "GDP ≥ 126: curiga DM", "§3.6 C (KMK2023 T23)";
    /// Total cholesterol 200–239 mg/dL, KMK2023 PPK DM-2 (§3.6 C).
    CHOLESTEROL_BORDERLINE = "cholesterol_borderline", Pantau, BloodPressureMetabolic,
        "≥ 15 th", "200 ≤ TC < 240", "Kolesterol batas tinggi", "§3.6 C";
    /// Total cholesterol ≥ 240 mg/dL (§3.6 C).
    CHOLESTEROL_HIGH = "cholesterol_high", Rujuk, BloodPressureMetabolic,
        "≥ 15 th", "TC ≥ 240", "Kolesterol tinggi", "§3.6 C";

    // §5 Adult BMI (setting adult_bmi_scale) and waist.
    /// Depkes scale only: BMI < 17.0 (§3.7 S).
    BMI_UNDERWEIGHT_SEVERE = "bmi_underweight_severe", Rujuk, AdultBmi,
        "≥ 19 th, tidak hamil", "depkes: IMT < 17,0", "Kurus tingkat berat", "§3.7 S (Depkes)";
    /// Asia-Pacific BMI < 18.5 (§3.7 C); Depkes 17.0–18.4 (§3.7 S).
    BMI_UNDERWEIGHT = "bmi_underweight", Edukasi, AdultBmi,
        "≥ 19 th, tidak hamil", "asia_pacific: IMT < 18,5; depkes: 17,0 ≤ IMT < 18,5",
        "Berat badan kurang", "§3.7 C (KMK2023) / S (Depkes)";
    /// Asia-Pacific 23.0–24.9 (§3.7 C); Depkes > 25.0 to 27.0 (§3.7 S).
    BMI_OVERWEIGHT = "bmi_overweight", Edukasi, AdultBmi,
        "≥ 19 th, tidak hamil", "asia_pacific: 23,0 ≤ IMT < 25,0; depkes: 25,0 < IMT ≤ 27,0",
        "Berat badan lebih", "§3.7 C (KMK2023) / S (Depkes)";
    /// Asia-Pacific obese I 25.0–29.9 (KMK2023 prints "23–29.9", read as 25; §3.7 C).
    BMI_OBESE_1 = "bmi_obese_1", Pantau, AdultBmi,
        "≥ 19 th, tidak hamil", "asia_pacific: 25,0 ≤ IMT < 30,0", "Obesitas I", "§3.7 C (KMK2023)";
    /// Asia-Pacific obese II ≥ 30.0 (§3.7 C).
    BMI_OBESE_2 = "bmi_obese_2", Pantau, AdultBmi,
        "≥ 19 th, tidak hamil", "asia_pacific: IMT ≥ 30,0", "Obesitas II", "§3.7 C (KMK2023)";
    /// Depkes scale only: BMI > 27.0 (§3.7 S).
    BMI_OBESE = "bmi_obese", Pantau, AdultBmi,
        "≥ 19 th, tidak hamil", "depkes: IMT > 27,0", "Obesitas", "§3.7 S (Depkes)";
    /// Waist > 90 cm (M), > 80 cm (F), KMK2023 skrining obesitas (§3.7 C).
    CENTRAL_OBESITY = "central_obesity", Pantau, AdultBmi,
        "≥ 15 th, tidak hamil, jenis kelamin diketahui", "LP > 90 cm (L), > 80 cm (P)",
        "Obesitas sentral", "§3.7 C (KMK2023)";

    // §6 Maternal.
    /// LiLA < 23.5 cm, KMK2023 PMT ibu hamil KEK (§3.3 C).
    KEK = "kek", Rujuk, Maternal,
        "ibu hamil atau nifas", "LiLA < 23,5 cm", "KEK (LiLA < 23,5 cm)", "§3.3 C (KMK2023)";
    /// Hb < 11.0 (TM I, III, unknown) or < 10.5 (TM II; setting `hb_pregnancy_tm2`),
    /// KMK2023 PPK anemia (§3.3 C).
    ANEMIA_PREGNANCY = "anemia_pregnancy", Rujuk, Maternal,
        "ibu hamil", "Hb < 11,0 (gw ≤ 12, gw > 24 atau gw tidak diketahui); Hb < 10,5 (12 < gw ≤ 24)",
        "Anemia ibu hamil", "§3.3 C (KMK2023 PPK)";
    /// Poedji Rochjati score ≤ 5 (= 2): kehamilan risiko rendah (§3.3 S).
    KSPR_KRR = "kspr_krr", Edukasi, Maternal,
        "ibu hamil, kspr_factors diisi", "skor ≤ 5", "KRR (skor 2)", "§3.3 S (Poedji Rochjati)";
    /// Poedji Rochjati score 6–11: kehamilan risiko tinggi (§3.3 S).
    KSPR_KRT = "kspr_krt", Rujuk, Maternal,
        "ibu hamil, kspr_factors diisi", "6 ≤ skor ≤ 11", "KRT (skor 6–10)", "§3.3 S (Poedji Rochjati)";
    /// Poedji Rochjati score ≥ 12: kehamilan risiko sangat tinggi (§3.3 S).
    KSPR_KRST = "kspr_krst", Rujuk, Maternal,
        "ibu hamil, kspr_factors diisi", "skor ≥ 12", "KRST (skor ≥ 12)", "§3.3 S (Poedji Rochjati)";
    /// K1 by the end of TM I, K3 by the end of TM II, KMK2023 ANC terpadu (§3.3 C).
    ANC_BEHIND_SCHEDULE = "anc_behind_schedule", Rujuk, Maternal,
        "ibu hamil, anc_visits dan gestational_weeks diisi",
        "anc_visits < 1 bila gw > 12; anc_visits < 3 bila gw > 24", "Kunjungan ANC tertinggal",
        "§3.3 C (KMK2023)";

    // §7 Anaemia, WHO 2011 (§3.4 S).
    /// WHO 2011 mild anaemia (§3.4 S).
    ANEMIA_MILD = "anemia_mild", Pantau, Anaemia,
        "≥ 6 bulan, tidak hamil",
        "balita 10,0 ≤ Hb < 11,0; 5–11 th 11,0 ≤ Hb < 11,5; 12–14 th dan P ≥ 15 th 11,0 ≤ Hb < 12,0; L ≥ 15 th 11,0 ≤ Hb < 13,0",
        "Anemia ringan", "§3.4 S (WHO 2011)";
    /// WHO 2011 moderate anaemia (§3.4 S).
    ANEMIA_MODERATE = "anemia_moderate", Rujuk, Anaemia,
        "≥ 6 bulan, tidak hamil", "balita 7,0 ≤ Hb < 10,0; ≥ 5 th 8,0 ≤ Hb < 11,0",
        "Anemia sedang", "§3.4 S (WHO 2011)";
    /// WHO 2011 severe anaemia (§3.4 S).
    ANEMIA_SEVERE = "anemia_severe", Rujuk, Anaemia,
        "≥ 6 bulan, tidak hamil", "balita Hb < 7,0; ≥ 5 th Hb < 8,0", "Anemia berat",
        "§3.4 S (WHO 2011)";

    // §8 Questionnaires (KMK2023 forms, §3.8 C).
    /// SRQ-20 ≥ 6 "ya" (KMK2023 skrining jiwa, §3.8 C).
    SRQ20_POSITIVE = "srq20_positive", Rujuk, Questionnaires,
        "≥ 15 th (setting srq20_min_years)", "≥ 6 dari 20 jawaban ya",
        "SRQ-20 ≥ 6: berpotensi masalah jiwa", "§3.8 C (KMK2023)";
    /// SRQ-20 item 17 (suicidal thoughts) yes, whatever the total (§3.8 C).
    SRQ20_SUICIDAL = "srq20_suicidal", Rujuk, Questionnaires,
        "≥ 15 th", "butir 17 ya", "SRQ-20 no. 17: pikiran bunuh diri", "§3.8 C (KMK2023)";
    /// PUMA ≥ 6: high COPD risk (KMK2023 kuesioner PUMA, §3.8 C; setting `puma_cutoff`).
    PUMA_HIGH_RISK = "puma_high_risk", Rujuk, Questionnaires,
        "≥ 40 th, jenis kelamin diketahui", "skor PUMA ≥ 6", "PUMA ≥ 6: risiko PPOK",
        "§3.8 C (KMK2023)";
    /// Barthel 12–19 (KMK2023 skrining geriatri, §3.8 C).
    ADL_MILD_DEPENDENCY = "adl_mild_dependency", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "12 ≤ Barthel ≤ 19", "Ketergantungan ringan", "§3.8 C (KMK2023)";
    /// Barthel 9–11 (§3.8 C).
    ADL_MODERATE_DEPENDENCY = "adl_moderate_dependency", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "9 ≤ Barthel ≤ 11", "Ketergantungan sedang", "§3.8 C (KMK2023)";
    /// Barthel 5–8 (§3.8 C).
    ADL_SEVERE_DEPENDENCY = "adl_severe_dependency", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "5 ≤ Barthel ≤ 8", "Ketergantungan berat", "§3.8 C (KMK2023)";
    /// Barthel 0–4 (§3.8 C).
    ADL_TOTAL_DEPENDENCY = "adl_total_dependency", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "0 ≤ Barthel ≤ 4", "Ketergantungan total", "§3.8 C (KMK2023)";
    /// SKILAS cognitive domain ticked (KMK2023 kuesioner SKILAS, §3.8 C).
    SKILAS_COGNITIVE = "skilas_cognitive", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS kognitif ya", "Penurunan kognitif", "§3.8 C (KMK2023)";
    /// SKILAS mobility domain ticked (§3.8 C).
    SKILAS_MOBILITY = "skilas_mobility", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS mobilisasi ya", "Keterbatasan mobilisasi", "§3.8 C (KMK2023)";
    /// SKILAS malnutrition domain ticked, or LiLA < 21 cm (§3.8 C).
    SKILAS_MALNUTRITION = "skilas_malnutrition", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS malnutrisi ya, atau LiLA < 21 cm", "Malnutrisi", "§3.8 C (KMK2023)";
    /// SKILAS vision domain ticked (§3.8 C).
    SKILAS_VISION = "skilas_vision", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS penglihatan ya", "Gangguan penglihatan", "§3.8 C (KMK2023)";
    /// SKILAS hearing domain ticked (§3.8 C).
    SKILAS_HEARING = "skilas_hearing", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS pendengaran ya", "Gangguan pendengaran", "§3.8 C (KMK2023)";
    /// SKILAS depression domain ticked (§3.8 C).
    SKILAS_DEPRESSION = "skilas_depression", Rujuk, Questionnaires,
        "lansia ≥ 60 th", "SKILAS depresi ya", "Gejala depresi", "§3.8 C (KMK2023)";
    /// Child TB symptoms: cough ≥ 2 weeks, fever > 2 weeks, weight loss, lethargy (KMK2023
    /// balita skrining TB, §3.8 C). A short cough or fever alone is not a child symptom.
    TB_PRESUMPTIVE_CHILD = "tb_presumptive_child", Rujuk, Questionnaires,
        "< 15 th", "cough_2w, fever_2w, weight_loss atau lethargy", "Terduga TBC anak (≥ 1 gejala)",
        "§3.8 C (KMK2023)";
    /// Adult TB symptoms, any (KMK2023 form TB, §3.8 C).
    TB_PRESUMPTIVE_ADULT = "tb_presumptive_adult", Rujuk, Questionnaires,
        "≥ 15 th", "gejala apa pun", "Terduga TBC", "§3.8 C (KMK2023)";
    /// Finger counting at 6 m: ≥ 2 wrong of 5 (KMK2023 skrining mata, §3.8 C).
    VISION_IMPAIRMENT_SUSPECT = "vision_impairment_suspect", Rujuk, Questionnaires,
        "≥ 15 th", "hitung jari salah ≥ 2 dari 5", "Curiga gangguan penglihatan", "§3.8 C (KMK2023)";
}

/// The rule with this code, if it is in the catalogue.
pub fn by_code(code: &str) -> Option<&'static Rule> {
    ALL.iter().find(|r| r.code == code)
}

/// Sorted, de-duplicated findings of one visit (rules.md §11.2: unique, byte order).
#[derive(Debug, Default, Clone)]
pub struct Findings(Vec<&'static Rule>);

impl Findings {
    pub fn push(&mut self, rule: &'static Rule) {
        self.0.push(rule);
    }

    /// Sort by code (byte order) and drop repeats.
    pub fn finish(mut self) -> Vec<&'static Rule> {
        self.0
            .sort_unstable_by(|a, b| a.code.as_bytes().cmp(b.code.as_bytes()));
        self.0.dedup_by(|a, b| a.code == b.code);
        self.0
    }

    pub fn contains(&self, rule: &Rule) -> bool {
        self.0.iter().any(|r| r.code == rule.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case() {
        let mut codes: Vec<&str> = ALL.iter().map(|r| r.code).collect();
        assert!(codes.iter().all(|c| {
            c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }));
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n);
        assert_eq!(n, 78);
    }

    #[test]
    fn findings_sorted_and_unique() {
        let mut f = Findings::default();
        f.push(&WFL_WASTED);
        f.push(&KMS_T);
        f.push(&WFL_WASTED);
        f.push(&KMS_2T);
        let codes: Vec<&str> = f.finish().iter().map(|r| r.code).collect();
        assert_eq!(codes, ["kms_2t", "kms_t", "wfl_wasted"]);
    }
}
