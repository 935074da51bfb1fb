//! The PDFs read back by an independent reader (pdf-extract): the monthly report of a real
//! record on SQLite carries the numbers of the CSV/XLSX table, the units below and page
//! numbers; the IDL certificate names the child and every dose; the growth card carries its
//! chart's text and every weighing, with the table's header again on each page it runs
//! onto. With `PDF_SHOTS=/dir` the files are also written there (to look at them with
//! `pdftoppm`; the tests do not need it).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../../report/tests/support/captures.rs"]
mod captures;
#[allow(dead_code)]
#[path = "../../store/tests/conformance/fixture.rs"]
mod fixture;

use captures::{finding, reading};

use pdf::{DoseLine, GrowthCard, IdlCertificate, Weighing};
use report::monthly::{MonthlyReport, export, monthly};
use store::codes::MeasurementKind;
use store::{Actor, Sex, Store};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

fn keep(name: &str, bytes: &[u8]) {
    if let Ok(dir) = std::env::var("PDF_SHOTS") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
}

/// The text of each page.
fn pages(bytes: &[u8]) -> Vec<String> {
    assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
    pdf_extract::extract_text_from_mem_by_pages(bytes).unwrap()
}

/// Text with its runs of white space made one space (the reader puts cells on lines).
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// October 2026 in the fixture's region: at Melati three balita, two weighed (one up,
/// one not up and stunted), at Mawar one weighed (up).
async fn october() -> (tempfile::TempDir, Store, fixture::Region) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_sqlite_file(&dir.path().join("t.sqlite"))
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let r = fixture::region(&store).await;
    let sys = Actor::system("test");
    let add = async |at: &store::OrgUnit, name: &str, sex, birth| {
        fixture::add_person(&store, &sys, &fixture::person(at, name, sex, birth)).await
    };
    let sari = add(&r.posyandu_a, "Sari", Sex::Female, date!(2025 - 06 - 01)).await;
    let budi = add(&r.posyandu_a, "Budi", Sex::Male, date!(2024 - 02 - 01)).await;
    add(&r.posyandu_a, "Tuti", Sex::Female, date!(2023 - 03 - 01)).await;
    let dewi = add(&r.posyandu_b, "Dewi", Sex::Female, date!(2025 - 09 - 01)).await;
    let on = date!(2026 - 10 - 05);
    let mut tx = store.begin(&sys).await.unwrap();
    for c in [
        reading(&sari, on, MeasurementKind::Weight, 9.1),
        finding(&sari, on, "kms_n"),
        reading(&budi, on, MeasurementKind::Weight, 11.0),
        reading(&budi, on, MeasurementKind::Height, 82.0),
        finding(&budi, on, "kms_t"),
        finding(&budi, on, "stunting"),
        reading(&dewi, on, MeasurementKind::Weight, 8.0),
        finding(&dewi, on, "kms_n"),
    ] {
        tx.capture(&c).await.unwrap();
    }
    tx.commit().await.unwrap();
    (dir, store, r)
}

async fn report_of(store: &Store, unit: &store::OrgUnit) -> MonthlyReport {
    monthly(
        store,
        &Actor::system("test"),
        unit.id,
        date!(2026 - 10 - 01),
    )
    .await
    .unwrap()
}

const MADE: OffsetDateTime = datetime!(2026-11-03 03:05 UTC);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_report_carries_the_numbers_of_the_spreadsheet() {
    let (_dir, store, r) = october().await;
    let puskesmas = report_of(&store, &r.puskesmas).await;
    let started = std::time::Instant::now();
    let bytes = pdf::monthly_report_at(&puskesmas, MADE).unwrap();
    println!(
        "monthly report: {} bytes in {:?}",
        bytes.len(),
        started.elapsed()
    );
    keep("laporan-puskesmas.pdf", &bytes);
    let pages = pages(&bytes);
    let text = flat(&pages.join("\n"));
    assert!(
        text.contains("Laporan Bulanan Puskesmas Tempursari Oktober 2026"),
        "{text}"
    );
    for section in report::monthly::Section::ALL {
        assert!(text.contains(section.title()), "{}", section.title());
    }
    // S 4, D 3, N 2, T 1 and D/S 75 %: the same cells as the CSV's rows.
    let csv = String::from_utf8(export::table(&puskesmas).csv().unwrap()).unwrap();
    assert!(
        csv.contains(",s,S,4,") && csv.contains(",d_per_s,D/S,75,3,4"),
        "{csv}"
    );
    for row in [
        "S 4",
        "D 3",
        "N 2",
        "T 1",
        "D/S 75,0 % 3 4",
        "N/D 66,7 % 2 3",
    ] {
        assert!(text.contains(row), "missing {row:?} in {text}");
    }
    // The units below, and the unit's total under them.
    for unit in ["Tegalrejo", "Bulurejo", "Jumlah Puskesmas Tempursari"] {
        assert!(text.contains(unit), "{unit}");
    }
    let n = pages.len();
    assert!(n >= 2, "{n} pages");
    for (i, p) in pages.iter().enumerate() {
        assert!(
            flat(p).contains(&format!("Halaman {}/{n}", i + 1)),
            "page {i}"
        );
    }
    assert!(text.contains("dibuat 3 November 2026 10.05 WIB"), "WIB");

    // A posyandu has no units below: no such table.
    let melati = report_of(&store, &r.posyandu_a).await;
    let bytes = pdf::monthly_report_at(&melati, MADE).unwrap();
    keep("laporan-melati.pdf", &bytes);
    let text = flat(&self::pages(&bytes).join("\n"));
    assert!(text.contains("Laporan Bulanan Posyandu Melati Oktober 2026"));
    assert!(
        text.contains("S 3") && text.contains("D/S 66,7 % 2 3"),
        "{text}"
    );
    assert!(!text.contains("Wilayah: unit di bawahnya"));
}

fn certificate() -> IdlCertificate {
    let dose = |vaccine: &str, dose: &str, given_on| DoseLine {
        vaccine: vaccine.into(),
        dose: dose.into(),
        given_on,
    };
    IdlCertificate {
        child_name: "Sari Wulandari".into(),
        sex: Sex::Female,
        birth_date: date!(2025 - 01 - 10),
        parent_name: Some("Bu Wati".into()),
        posyandu: "Posyandu Melati".into(),
        desa: Some("Tegalrejo".into()),
        kecamatan: Some("Tempursari".into()),
        kabupaten: Some("Kabupaten Lumajang".into()),
        doses: vec![
            dose("HB0", "", date!(2025 - 01 - 10)),
            dose("BCG", "", date!(2025 - 02 - 03)),
            dose("OPV", "1", date!(2025 - 02 - 03)),
            dose("DPT-HB-Hib", "1", date!(2025 - 03 - 10)),
            dose("OPV", "2", date!(2025 - 03 - 10)),
            dose("PCV", "1", date!(2025 - 03 - 10)),
            dose("RV", "1", date!(2025 - 03 - 10)),
            dose("DPT-HB-Hib", "2", date!(2025 - 04 - 14)),
            dose("OPV", "3", date!(2025 - 04 - 14)),
            dose("PCV", "2", date!(2025 - 04 - 14)),
            dose("RV", "2", date!(2025 - 04 - 14)),
            dose("DPT-HB-Hib", "3", date!(2025 - 05 - 12)),
            dose("OPV", "4", date!(2025 - 05 - 12)),
            dose("RV", "3", date!(2025 - 05 - 12)),
            dose("IPV", "1", date!(2025 - 05 - 12)),
            dose("IPV", "2", date!(2025 - 09 - 08)),
            dose("MR", "1", date!(2025 - 10 - 13)),
        ],
        completed_on: date!(2025 - 10 - 13),
        issued_by: "Posyandu Melati".into(),
        issued_on: date!(2026 - 12 - 03),
    }
}

#[test]
fn the_certificate_names_the_child_and_every_dose() {
    let c = certificate();
    let started = std::time::Instant::now();
    let bytes = pdf::idl_certificate(&c).unwrap();
    println!(
        "certificate: {} bytes in {:?}",
        bytes.len(),
        started.elapsed()
    );
    let again = std::time::Instant::now();
    assert_eq!(
        pdf::idl_certificate(&c).unwrap(),
        bytes,
        "the same bytes again"
    );
    println!("certificate again in {:?}", again.elapsed());
    keep("sertifikat-idl.pdf", &bytes);
    let pages = pages(&bytes);
    assert_eq!(pages.len(), 1, "one page");
    let text = flat(&pages[0]);
    for want in [
        "SERTIFIKAT",
        "Imunisasi Dasar Lengkap",
        "Sari Wulandari",
        "Perempuan · lahir 10 Januari 2025",
        "Orang tua: Bu Wati",
        "Posyandu Melati, Desa Tegalrejo, Kecamatan Tempursari, Kabupaten Lumajang",
        "dosis terakhir diberikan 13 Oktober 2025",
        "HB0",
        "DPT-HB-Hib 3 12 Mei 2025",
        "MR 1 13 Oktober 2025",
        "Posyandu Melati, 3 Desember 2026",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text}");
    }
    for d in &c.doses {
        assert!(text.contains(&pdf::long_date(d.given_on)), "{d:?}");
    }
}

/// A chart as the web draws one: a frame, a line and text in the sans-serif family.
const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 300" width="100%" font-family="sans-serif"><rect x="0.5" y="0.5" width="359" height="299" fill="#fff" stroke="#c2185b"/><rect width="360" height="22" fill="#c2185b"/><text x="8" y="15.5" font-size="12.5" font-weight="bold" fill="#fff">Berat badan menurut umur</text><polyline points="40,250 120,200 200,170 320,120" fill="none" stroke="#2e7d32" stroke-width="1.5"/><text x="322" y="118" font-size="10.5">+2</text><circle cx="120" cy="205" r="4"/></svg>"##;

#[test]
fn the_growth_card_repeats_its_table_header_on_every_page() {
    let birth = date!(2021 - 01 - 04);
    let weighings: Vec<Weighing> = (0..70)
        .map(|k| Weighing {
            date: birth + time::Duration::days(30 * k + 3),
            weight_kg: Some(3.2 + 0.15 * k as f64),
            height_cm: (k % 3 == 0).then_some(50.0 + 0.6 * k as f64),
            status: if k % 10 == 9 {
                "T (tidak naik)"
            } else {
                "N (naik)"
            }
            .into(),
        })
        .collect();
    let card = GrowthCard {
        child_name: "Bayu Saputra".into(),
        sex: Sex::Male,
        birth_date: birth,
        parent_name: Some("Ibu Rina".into()),
        posyandu: "Posyandu Melati".into(),
        charts: vec![SVG.into(), SVG.into()],
        weighings,
        printed_on: date!(2026 - 12 - 03),
    };
    let started = std::time::Instant::now();
    let bytes = pdf::growth_card(&card).unwrap();
    println!(
        "growth card: {} bytes in {:?}",
        bytes.len(),
        started.elapsed()
    );
    keep("kms.pdf", &bytes);
    let pages = pages(&bytes);
    let text = flat(&pages.join("\n"));
    for want in [
        "Bayu Saputra",
        "Laki-laki · lahir 4 Januari 2021",
        "orang tua Ibu Rina",
        "Riwayat penimbangan",
        "07-01-2021 3 hr 3,2 50,0 N (naik)",
        "T (tidak naik)",
    ] {
        assert!(text.contains(want), "missing {want:?} in {text}");
    }
    // The chart's text is text (set glyph by glyph, so the reader spaces it out).
    assert!(text.replace(' ', "").contains("Beratbadanmenurutumur"));
    let last = &card.weighings[69];
    assert!(text.contains(&format!("{} 5 th", pdf_date(last.date))));
    let with_rows: Vec<&String> = pages.iter().filter(|p| p.contains("N (naik)")).collect();
    assert!(with_rows.len() >= 2, "the table runs over pages");
    for p in with_rows {
        assert!(
            flat(p).contains("Tanggal Umur Berat (kg) PB/TB (cm) Status"),
            "{p}"
        );
    }
    // A bad SVG is an error, not a panic.
    let bad = GrowthCard {
        charts: vec!["<svg".into()],
        ..card
    };
    assert!(matches!(pdf::growth_card(&bad), Err(pdf::PdfError::Svg(_))));
}

fn pdf_date(d: Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}
