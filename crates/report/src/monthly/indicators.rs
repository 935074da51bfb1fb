//! The indicators of the monthly posyandu report: what each counts, over what, in which
//! period, and where the definition comes from. `docs/INDICATORS.md` is generated from
//! [`ALL`] (a test keeps it in step), so what a district officer reads is what is counted.

/// A part of the report (one sheet of its workbook, one block of its page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Penimbangan balita: S, D, N, T, O, B, D′, 2T, BGM and their ratios.
    Skdn,
    /// Status gizi balita: stunting, wasting, underweight, overweight, with prevalence.
    Nutrition,
}

impl Section {
    pub const ALL: [Section; 2] = [Section::Skdn, Section::Nutrition];

    pub fn code(self) -> &'static str {
        match self {
            Section::Skdn => "skdn",
            Section::Nutrition => "gizi",
        }
    }

    /// Its title in the generated document (Bahasa Indonesia, like `docs/RULES.md`).
    pub fn title(self) -> &'static str {
        match self {
            Section::Skdn => "Penimbangan balita (SKDN)",
            Section::Nutrition => "Status gizi balita",
        }
    }
}

/// How an indicator's number is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A count of persons: additive, so a unit's number is the sum of its children's.
    Count,
    /// `numerator / denominator` of two counts, as a percentage; recomputed from the summed
    /// counts at every level, never averaged.
    Ratio {
        numerator: &'static str,
        denominator: &'static str,
    },
}

/// One indicator of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    /// Stable code: the column of the exports and the key of its words (`ind-<code>`).
    pub code: &'static str,
    pub section: Section,
    /// Short name as the forms write it.
    pub name: &'static str,
    /// Who is counted (for a count) or what the ratio says, in the document's words.
    pub counts: &'static str,
    pub measure: Measure,
    /// The source of the definition (a section of `shared/design`, marked as there).
    pub source: &'static str,
}

impl Indicator {
    pub fn is_count(&self) -> bool {
        matches!(self.measure, Measure::Count)
    }
}

const SKDN: &str = "exchange.md §2 (S), domain.md §5.1 (S)";
const KMS_RULES: &str = "rules.md §2 (kms_n, kms_t, kms_o, kms_b, kms_2t, kms_bgm)";
const NUTRITION: &str = "rules.md §1 (WHO 2006 z-score findings); exchange.md §4 (S)";

const fn count(
    code: &'static str,
    section: Section,
    name: &'static str,
    counts: &'static str,
    source: &'static str,
) -> Indicator {
    Indicator {
        code,
        section,
        name,
        counts,
        measure: Measure::Count,
        source,
    }
}

const fn ratio(
    code: &'static str,
    section: Section,
    name: &'static str,
    counts: &'static str,
    numerator: &'static str,
    denominator: &'static str,
    source: &'static str,
) -> Indicator {
    Indicator {
        code,
        section,
        name,
        counts,
        measure: Measure::Ratio {
            numerator,
            denominator,
        },
        source,
    }
}

use Section::{Nutrition, Skdn};

/// Every indicator, in the report's order.
pub const ALL: &[Indicator] = &[
    count(
        "s",
        Skdn,
        "S",
        "Balita (umur 0–1.826 hari pada hari terakhir bulan) terdaftar di unit, tidak dihapus.",
        SKDN,
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
        "d_per_s",
        Skdn,
        "D/S",
        "Partisipasi masyarakat: balita ditimbang dari semua balita.",
        "d",
        "s",
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

/// The indicator with this code.
pub fn by_code(code: &str) -> Option<&'static Indicator> {
    ALL.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ratios_name_counts() {
        let mut seen = std::collections::HashSet::new();
        for i in ALL {
            assert!(seen.insert(i.code), "{} twice", i.code);
            if let Measure::Ratio {
                numerator,
                denominator,
            } = i.measure
            {
                for part in [numerator, denominator] {
                    let p = by_code(part).unwrap_or_else(|| panic!("{}: {part}?", i.code));
                    assert!(p.is_count(), "{}: {part} is not a count", i.code);
                }
            }
        }
    }
}
