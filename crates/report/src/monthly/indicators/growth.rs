//! The balita's weighing (SKDN) and nutrition status indicators.

use super::{Indicator, Section, count, ratio};

const SKDN: &str = "exchange.md §2 (S), domain.md §5.1 (S)";
const KIA: &str = "exchange.md §2 (S: K balita with a KMS/Buku KIA), §4 (S: punya KIA)";
const KMS_RULES: &str = "rules.md §2 (kms_n, kms_t, kms_o, kms_b, kms_2t, kms_bgm)";
const NUTRITION: &str = "rules.md §1 (WHO 2006 z-score findings); exchange.md §4 (S)";

use Section::{Nutrition, Skdn};

/// SKDN and nutrition status, in the report's order.
pub const INDICATORS: &[Indicator] = &[
    count(
        "s",
        Skdn,
        "S",
        "Balita (umur 0–1.826 hari pada hari terakhir bulan) terdaftar di unit, tidak dihapus.",
        SKDN,
    ),
    count(
        "k",
        Skdn,
        "K",
        "Balita S yang punya Buku KIA/KMS: tercatat pada hari buka posyandu (langkah 4, \
         `buku_kia`) pada atau sebelum hari terakhir bulan.",
        KIA,
    ),
    count(
        "d",
        Skdn,
        "D",
        "Balita S yang ditimbang (berat badan tercatat) dalam bulan itu.",
        SKDN,
    ),
    count(
        "n",
        Skdn,
        "N",
        "Balita D yang pada penimbangan terakhir bulan itu naik sesuai KBM (temuan kms_n).",
        KMS_RULES,
    ),
    count(
        "t",
        Skdn,
        "T",
        "Balita D yang pada penimbangan terakhir bulan itu tidak naik sesuai KBM (kms_t).",
        KMS_RULES,
    ),
    count(
        "o",
        Skdn,
        "O",
        "Balita D yang bulan lalu tidak ditimbang (kms_o).",
        KMS_RULES,
    ),
    count(
        "b",
        Skdn,
        "B",
        "Balita D yang baru pertama kali ditimbang (kms_b).",
        KMS_RULES,
    ),
    count(
        "d_aksen",
        Skdn,
        "D′",
        "Balita D yang ditimbang bulan lalu dan bulan ini: N + T.",
        SKDN,
    ),
    count(
        "t2",
        Skdn,
        "2T",
        "Balita D yang dua kali berturut-turut tidak naik (kms_2t).",
        KMS_RULES,
    ),
    count(
        "bgm",
        Skdn,
        "BGM",
        "Balita D dengan berat di bawah garis merah KMS (kms_bgm).",
        KMS_RULES,
    ),
    ratio(
        "k_per_s",
        Skdn,
        "K/S",
        "Cakupan program: balita yang punya Buku KIA/KMS dari semua balita.",
        "k",
        "s",
        SKDN,
    ),
    ratio(
        "d_per_s",
        Skdn,
        "D/S",
        "Partisipasi masyarakat: balita ditimbang dari semua balita.",
        "d",
        "s",
        SKDN,
    ),
    ratio(
        "d_per_k",
        Skdn,
        "D/K",
        "Kelangsungan penimbangan: balita ditimbang dari yang punya Buku KIA/KMS.",
        "d",
        "k",
        SKDN,
    ),
    ratio(
        "n_per_d",
        Skdn,
        "N/D",
        "Keberhasilan penimbangan: balita naik dari yang ditimbang.",
        "n",
        "d",
        SKDN,
    ),
    ratio(
        "n_per_d_aksen",
        Skdn,
        "N/D′",
        "Keberhasilan penimbangan, bentuk yang dikoreksi: naik dari yang bisa dinilai (N + T).",
        "n",
        "d_aksen",
        SKDN,
    ),
    ratio(
        "n_per_s",
        Skdn,
        "N/S",
        "Hasil program: balita naik dari semua balita.",
        "n",
        "s",
        SKDN,
    ),
    ratio(
        "bgm_per_d",
        Skdn,
        "BGM/D",
        "Balita di bawah garis merah dari yang ditimbang.",
        "bgm",
        "d",
        SKDN,
    ),
    count(
        "diukur_tb",
        Nutrition,
        "Diukur PB/TB",
        "Balita S yang diukur panjang atau tinggi badannya dalam bulan itu.",
        NUTRITION,
    ),
    count(
        "stunting",
        Nutrition,
        "Stunting",
        "Balita diukur PB/TB yang pada pengukuran terakhir bulan itu pendek atau sangat pendek \
         (lfa_stunted, lfa_severely_stunted: TB/U < −2 SD).",
        NUTRITION,
    ),
    count(
        "underweight",
        Nutrition,
        "Berat badan kurang",
        "Balita D yang pada penimbangan terakhir bulan itu berat badan kurang atau sangat kurang \
         (wfa_underweight, wfa_severely_underweight: BB/U < −2 SD).",
        NUTRITION,
    ),
    count(
        "diukur_bbtb",
        Nutrition,
        "Diukur BB dan PB/TB",
        "Balita S yang ditimbang dan diukur PB/TB pada hari yang sama dalam bulan itu.",
        NUTRITION,
    ),
    count(
        "wasting",
        Nutrition,
        "Wasting",
        "Balita diukur BB dan PB/TB yang pada hari itu gizi kurang atau gizi buruk \
         (wfl_wasted, wfl_severely_wasted: BB/PB atau BB/TB < −2 SD).",
        NUTRITION,
    ),
    count(
        "overweight",
        Nutrition,
        "Gizi lebih",
        "Balita diukur BB dan PB/TB yang pada hari itu gizi lebih (wfl_overweight: > +2 SD).",
        NUTRITION,
    ),
    ratio(
        "prev_stunting",
        Nutrition,
        "Prevalensi stunting",
        "Stunting dari balita yang diukur PB/TB.",
        "stunting",
        "diukur_tb",
        NUTRITION,
    ),
    ratio(
        "prev_underweight",
        Nutrition,
        "Prevalensi berat badan kurang",
        "Berat badan kurang dari balita yang ditimbang.",
        "underweight",
        "d",
        NUTRITION,
    ),
    ratio(
        "prev_wasting",
        Nutrition,
        "Prevalensi wasting",
        "Wasting dari balita yang diukur BB dan PB/TB.",
        "wasting",
        "diukur_bbtb",
        NUTRITION,
    ),
    ratio(
        "prev_overweight",
        Nutrition,
        "Prevalensi gizi lebih",
        "Gizi lebih dari balita yang diukur BB dan PB/TB.",
        "overweight",
        "diukur_bbtb",
        NUTRITION,
    ),
];
