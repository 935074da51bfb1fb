//! The KMS growth card (Kartu Menuju Sehat) on A4: the child, each growth chart at the
//! page's full width, then every weighing as a row. The charts are the SVGs the person
//! page shows (the web draws them from `domain::growth_chart`), so paper and screen agree
//! line for line; their text stays text in the PDF.

use time::Date;

use crate::PdfError;
use crate::layout::{A4_PORTRAIT, Align, Column, HEAD_FILL, Layout, MUTED, Row, Style};

/// One day's weighing and measuring, with what was found that day.
#[derive(Debug, Clone, PartialEq)]
pub struct Weighing {
    pub date: Date,
    pub weight_kg: Option<f64>,
    /// Length or height, as measured.
    pub height_cm: Option<f64>,
    /// The day's KMS mark and findings in words ("N (naik)", "Pendek"), empty when none.
    pub status: String,
}

/// What the card shows.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthCard {
    pub child_name: String,
    pub sex: store::Sex,
    pub birth_date: Date,
    pub parent_name: Option<String>,
    pub posyandu: String,
    /// The growth charts as SVG documents, KMS first.
    pub charts: Vec<String>,
    /// Oldest first.
    pub weighings: Vec<Weighing>,
    pub printed_on: Date,
}

/// "1 th 3 bl", "7 bl", "12 hr": the age on a weighing day as the KMS writes it.
fn age_text(birth: Date, on: Date) -> String {
    match domain::age::Age::at(birth, on) {
        Some(a) if a.months >= 12 => format!("{} th {} bl", a.months / 12, a.months % 12),
        Some(a) if a.months >= 1 => format!("{} bl", a.months),
        Some(a) => format!("{} hr", a.days),
        None => String::new(),
    }
}

/// The card as a PDF.
pub fn growth_card(c: &GrowthCard) -> Result<Vec<u8>, PdfError> {
    let title = format!("KMS {}", c.child_name);
    let footer = format!(
        "Kartu Menuju Sehat {} · dicetak {} dari catatan {}",
        c.child_name,
        crate::long_date(c.printed_on),
        c.posyandu
    );
    let mut l = Layout::new(A4_PORTRAIT, title, footer)?;
    l.text(
        "Kartu Menuju Sehat (KMS)",
        Style::new(10.0).bold().color(MUTED),
    );
    l.text(&c.child_name, Style::new(18.0).bold());
    let mut line = vec![
        crate::sex_name(c.sex).to_owned(),
        format!("lahir {}", crate::long_date(c.birth_date)),
        format!("umur {}", age_text(c.birth_date, c.printed_on)),
    ];
    if let Some(p) = c.parent_name.as_deref().filter(|p| !p.trim().is_empty()) {
        line.push(format!("orang tua {p}"));
    }
    l.text(&line.join(" · "), Style::new(10.0));
    l.text(&c.posyandu, Style::new(10.0).color(MUTED));
    l.gap(4.0);
    l.rule(HEAD_FILL, 1.5);
    l.gap(8.0);
    let width = l.width();
    for svg in &c.charts {
        l.svg(svg, width)?;
        l.gap(10.0);
    }
    let head = Style::new(11.5).bold();
    l.keep(head.line_height() + 60.0);
    l.text("Riwayat penimbangan dan pengukuran", head);
    l.rule(HEAD_FILL, 1.5);
    l.gap(3.0);
    if c.weighings.is_empty() {
        l.text("Belum ada penimbangan.", Style::new(10.0).color(MUTED));
        return l.finish();
    }
    let columns = [
        Column::new("Tanggal", 62.0, Align::Left),
        Column::new("Umur", 52.0, Align::Left),
        Column::new("Berat (kg)", 50.0, Align::Right),
        Column::new("PB/TB (cm)", 52.0, Align::Right),
        Column::new("Status", 200.0, Align::Left),
    ];
    let rows: Vec<Row> = c
        .weighings
        .iter()
        .map(|w| Row {
            cells: vec![
                crate::short_date(w.date),
                age_text(c.birth_date, w.date),
                w.weight_kg
                    .map(|v| crate::decimal(v, 1))
                    .unwrap_or_default(),
                w.height_cm
                    .map(|v| crate::decimal(v, 1))
                    .unwrap_or_default(),
                w.status.clone(),
            ],
            bold: false,
        })
        .collect();
    l.table(&columns, &[], &rows, 9.0);
    l.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ages_as_the_kms_writes_them() {
        let birth = date!(2025 - 01 - 10);
        assert_eq!(age_text(birth, date!(2025 - 01 - 20)), "10 hr");
        assert_eq!(age_text(birth, date!(2025 - 08 - 15)), "7 bl");
        assert_eq!(age_text(birth, date!(2026 - 04 - 12)), "1 th 3 bl");
        assert_eq!(age_text(birth, date!(2024 - 01 - 01)), "");
    }
}
