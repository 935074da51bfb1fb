//! The indicators of the monthly posyandu report: what each counts, over what, in which
//! period, and where the definition comes from. `docs/INDICATORS.md` is generated from
//! [`ALL`] (a test keeps it in step), so what a district officer reads is what is counted.
//! Each section's list is in its own module.

mod growth;
mod immunization;
mod maternal;
mod referral;
mod screening;
mod services;

use std::sync::LazyLock;

/// A part of the report (one sheet of its workbook, one block of its page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Penimbangan balita: S, D, N, T, O, B, D′, 2T, BGM and their ratios.
    Skdn,
    /// Status gizi balita: stunting, wasting, underweight, overweight, with prevalence.
    Nutrition,
    /// Imunisasi: each dose of the schedule given in the month, IDL and baduta complete.
    Immunization,
    /// Layanan: vitamin A, obat cacing, PMT.
    Services,
    /// Ibu hamil: served, KEK, anaemia, hypertension, KRT/KRST, TTD.
    Maternal,
    /// The other life-cycle groups: served and screened positive.
    Screening,
    /// Rujukan: persons referred in the month and how far their referral has come.
    Referral,
    /// The posyandu itself: kader on duty.
    Posyandu,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::Skdn,
        Section::Nutrition,
        Section::Immunization,
        Section::Services,
        Section::Maternal,
        Section::Screening,
        Section::Referral,
        Section::Posyandu,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section::Skdn => "skdn",
            Section::Nutrition => "gizi",
            Section::Immunization => "imunisasi",
            Section::Services => "layanan",
            Section::Maternal => "bumil",
            Section::Screening => "skrining",
            Section::Referral => "rujukan",
            Section::Posyandu => "posyandu",
        }
    }

    /// Its sheet's name in the XLSX (at most 31 characters, as Excel allows).
    pub fn sheet(self) -> &'static str {
        match self {
            Section::Skdn => "SKDN",
            Section::Nutrition => "Status gizi",
            Section::Immunization => "Imunisasi",
            Section::Services => "Vitamin A, obat cacing, PMT",
            Section::Maternal => "Ibu hamil",
            Section::Screening => "Skrining",
            Section::Referral => "Rujukan",
            Section::Posyandu => "Posyandu",
        }
    }

    /// Whether its counts are of balita (split by age band as well as by sex).
    pub fn is_balita(self) -> bool {
        !matches!(
            self,
            Section::Maternal | Section::Screening | Section::Referral | Section::Posyandu
        )
    }

    /// Its title in the generated document (Bahasa Indonesia, like `docs/RULES.md`).
    pub fn title(self) -> &'static str {
        match self {
            Section::Skdn => "Penimbangan balita (SKDN)",
            Section::Nutrition => "Status gizi balita",
            Section::Immunization => "Imunisasi bayi dan baduta",
            Section::Services => "Vitamin A, obat cacing dan PMT balita",
            Section::Maternal => "Ibu hamil",
            Section::Screening => "Skrining usia sekolah, remaja, dewasa dan lansia",
            Section::Referral => "Rujukan ke Puskesmas",
            Section::Posyandu => "Posyandu: kader bertugas",
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

pub(crate) const fn count(
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

pub(crate) const fn ratio(
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

/// Every indicator, in the report's order (the immunization doses from the schedule).
pub static ALL: LazyLock<Vec<Indicator>> = LazyLock::new(|| {
    let mut all = growth::INDICATORS.to_vec();
    all.extend(immunization::indicators());
    all.extend_from_slice(services::INDICATORS);
    all.extend_from_slice(maternal::INDICATORS);
    all.extend_from_slice(screening::INDICATORS);
    all.extend_from_slice(referral::INDICATORS);
    all.push(count(
        super::duty::CODE,
        Section::Posyandu,
        "Kader bertugas",
        "Kader yang ditulis sebagai kader bertugas pada hari buka posyandu itu dalam bulan \
         itu, tiap nama sekali; kader yang bertugas di dua posyandu dihitung di masing-masing.",
        "exchange.md §3 (S: register F5, kader hadir)",
    ));
    all
});

/// The cluster-2 (ibu dan anak) dashboard set of the Juknis ILP that a posyandu's numbers
/// give (exchange.md §1, V: KMK HK.01.07/MENKES/2015/2023): S, D, T, gizi kurang (our
/// `wasting`: weight-for-length below −2 SD, PMK 2/2020, severe included), stunting, IDL
/// and baduta complete. The set's K1, K6, births in a facility, KF and KN are facility
/// numbers, not the posyandu's.
pub const CLUSTER2: [&str; 7] = ["s", "d", "t", "wasting", "stunting", "idl", "baduta"];

/// The indicator with this code.
pub fn by_code(code: &str) -> Option<&'static Indicator> {
    ALL.iter().find(|i| i.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cluster_2_set_names_counts() {
        for code in CLUSTER2 {
            let i = by_code(code).unwrap_or_else(|| panic!("{code}?"));
            assert!(i.is_count(), "{code}");
        }
    }

    #[test]
    fn codes_are_unique_and_ratios_name_counts() {
        let mut seen = std::collections::HashSet::new();
        for i in ALL.iter() {
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
