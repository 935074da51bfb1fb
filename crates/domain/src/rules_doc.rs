//! `docs/RULES.md`, generated from the catalogue and the schedule so that what a health
//! officer reads is what the code does (a test keeps the file in step).

use std::fmt::Write;

use crate::catalogue::{ALL, Section};
use crate::immunization::{AgeMark, SCHEDULE, baduta_set, idl_set};
use crate::settings::ScheduleSet;

fn mark(m: AgeMark) -> String {
    match m {
        AgeMark::Days(d) => format!("{d} hr"),
        AgeMark::Months(m) => format!("{m} bl"),
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The whole document, in Markdown.
pub fn rules_markdown() -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "# Aturan skrining Posyandu ILP (rules catalogue)\n\n\
         Dibuat otomatis dari `crates/domain` (`domain::rules_doc`); jangan diedit tangan.\n\
         Kontrak lengkap: `shared/design/rules.md`. Tindakan: **edukasi** (konseling sekarang),\n\
         **pantau** (konseling + periksa ulang di posyandu berikutnya / dalam 3 bulan),\n\
         **rujuk** (kirim ke Pustu/Puskesmas/bidan). Sumber: `§x.y` = bagian referensi domain\n\
         dengan tanda C (resmi), S (sekunder), U (belum pasti atau bertentangan).\n\n\
         Umur: `age_days` = hari sejak lahir; `age_months` = bulan genap = floor(age_days / 30,4375);\n\
         tahun = tahun kalender genap. Balita: age_days ≤ 1826. Anak/remaja: age_days ≥ 1827 dan\n\
         ≤ 18 tahun. Dewasa ≥ 15 tahun, lansia ≥ 60 tahun. Ibu hamil/nifas: perempuan ≥ 10 tahun.\n\
         Z-score dibandingkan dalam 2 desimal yang ditampilkan; z yang ditandai WHO tidak masuk\n\
         akal tidak dipakai aturan (ukur ulang)."
    );
    for section in Section::ALL {
        let _ = writeln!(md, "\n## {}\n", section.title());
        let _ = writeln!(
            md,
            "| kode | kelompok | kondisi | tindakan | label | sumber |"
        );
        let _ = writeln!(md, "|---|---|---|---|---|---|");
        for r in ALL.iter().filter(|r| r.section == section) {
            let _ = writeln!(
                md,
                "| `{}` | {} | {} | {} | {} | {} |",
                r.code,
                cell(r.group),
                cell(r.condition),
                r.action.as_str(),
                cell(r.label),
                cell(r.source)
            );
        }
    }
    md.push_str(
        "\nKBM (kenaikan berat badan minimal, g) menurut umur bulan pada penimbangan kedua:\n\
         1: 800 · 2: 900 · 3: 800 · 4: 600 · 5: 500 · 6: 400 · 7–10: 300 · 11–59: 200\n\
         (setting `kbm_month3_g`, `kbm_band_300`). Kenaikan = selisih berat dibulatkan ke gram\n\
         terdekat (setengah gram menjauhi nol). 2T juga T: `kms_2t` muncul bersama `kms_t`.\n\
         Dua penimbangan pada hari yang sama: yang tercatat terakhir dalam daftar (penimbangan\n\
         ulang) yang dipakai. IMT dewasa dan Hb dibandingkan apa adanya, tanpa pembulatan.\n\
         \nFaktor KSPR (Poedji Rochjati): skor = 2 + jumlah faktor berbeda; 8 poin untuk\n\
         `prior_caesarean`, `breech`, `transverse_lie`, `antepartum_haemorrhage`,\n\
         `severe_preeclampsia`; 4 poin untuk faktor lain.\n",
    );
    let _ = writeln!(
        md,
        "\n## 9. Jadwal imunisasi rutin (KMK HK.01.07/2015/2023), balita\n\n\
         Dosis *terbuka* bila belum dicatat, dosis sebelumnya sudah dicatat ≥ interval sebelum\n\
         kunjungan, dan umur < batas. Terbuka dan umur ≥ *terlambat* → `overdue`; terbuka dan\n\
         umur ≥ *jatuh tempo* → `due`. JE hanya bila `je_endemic=true`.\n\n\
         | vaksin | dianjurkan | paling awal | setelah (interval) | jatuh tempo | terlambat | batas | sumber |\n\
         |---|---|---|---|---|---|---|---|"
    );
    for e in &SCHEDULE {
        let after = e
            .after
            .map_or("—".to_owned(), |(v, d)| format!("{}, {d} hr", v.code()));
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            e.code,
            e.recommended,
            mark(e.earliest),
            after,
            mark(e.due),
            mark(e.overdue),
            mark(e.until),
            cell(e.source)
        );
    }
    let list = |codes: &[&str]| codes.join(", ");
    let _ = writeln!(
        md,
        "\n`idl_complete` (imunisasi dasar lengkap): semua dosis dicatat pada umur ≤ 365 hari.\n\
         `post2022` (bawaan): {}.\n`pmk12_2017`: {}.\n\n\
         `baduta_complete`: semua dosis dicatat pada umur ≤ 730 hari. `post2022`: {}.\n\
         `pmk12_2017`: {}.",
        list(idl_set(ScheduleSet::Post2022)),
        list(idl_set(ScheduleSet::Pmk12_2017)),
        list(baduta_set(ScheduleSet::Post2022)),
        list(baduta_set(ScheduleSet::Pmk12_2017)),
    );
    md.push_str(
        "\n## 10. Setting (`posyandu screen --setting kunci=nilai`)\n\n\
         | setting | bawaan | alternatif |\n|---|---|---|\n\
         | `kbm_month3_g` | 800 | 600 |\n\
         | `kbm_band_300` | 7-10 | 7-11 |\n\
         | `weight_faltering_method` | waz_drop | who_increment_p5 (belum tersedia: tabel WHO belum disertakan) |\n\
         | `bgm_waz` | -3 | — |\n\
         | `adult_bmi_scale` | asia_pacific | depkes |\n\
         | `adult_bmi_min_years` | 19 | 18 |\n\
         | `bp_adult_min_years` | 18 | 15 |\n\
         | `puma_cutoff` | 6 | 8 |\n\
         | `srq20_min_years` | 15 | 19 |\n\
         | `hb_pregnancy_tm2` | 10.5 | 11.0 |\n\
         | `muac_sam_cm` | 11.5 | — |\n\
         | `je_endemic` | false | true |\n\
         | `idl_set` / `baduta_set` | post2022 | pmk12_2017 |\n",
    );
    md
}
