//! `docs/INDICATORS.md`, generated from [`super::indicators::ALL`] so that what a district
//! officer reads is what is counted (a test keeps the file in step, as for RULES.md).

use std::fmt::Write;

use super::facts::AgeBand;
use super::indicators::{ALL, Measure, Section};

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The whole document, in Markdown.
pub fn indicators_markdown() -> String {
    let mut md = String::new();
    let bands: Vec<&str> = AgeBand::ALL.iter().map(|b| b.label()).collect();
    let _ = writeln!(
        md,
        "# Indikator laporan bulanan posyandu (indicator catalogue)\n\n\
         Dibuat otomatis dari `crates/report` (`report::monthly::doc`); jangan diedit tangan:\n\
         `UPDATE_INDICATORS_MD=1 cargo test -p report --test indicators_doc`.\n\n\
         Periode: satu bulan kalender. Balita: umur 0–1.826 hari pada hari terakhir bulan;\n\
         kelompok umur (bulan genap pada hari terakhir bulan): {}. Setiap angka dihitung\n\
         dari catatan (pengukuran dan temuan yang disimpan bersama kunjungan, oleh aturan yang\n\
         sama dengan hari buka); bila balita ditimbang dua kali dalam sebulan, penimbangan\n\
         terakhir yang dihitung. Angka hitungan dapat dijumlahkan: angka sebuah unit = jumlah\n\
         angka unit di bawahnya. Rasio dihitung ulang dari jumlah pembilang dan penyebut di\n\
         setiap tingkat (tidak dirata-rata), dalam persen dengan satu desimal; penyebut 0\n\
         ditulis \"–\". Setiap angka hitungan dapat dibuka menjadi daftar orang yang dihitung.",
        bands.join(", ")
    );
    for section in Section::ALL {
        let _ = writeln!(md, "\n## {}\n", section.title());
        let _ = writeln!(md, "| kode | indikator | dihitung | jenis | sumber |");
        let _ = writeln!(md, "|---|---|---|---|---|");
        for i in ALL.iter().filter(|i| i.section == section) {
            let kind = match i.measure {
                Measure::Count => "jumlah orang".to_owned(),
                Measure::Ratio {
                    numerator,
                    denominator,
                } => format!("rasio `{numerator}` / `{denominator}`"),
            };
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} |",
                i.code,
                cell(i.name),
                cell(i.counts),
                kind,
                cell(i.source)
            );
        }
    }
    md
}
