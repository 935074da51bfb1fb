//! The certificate of complete basic immunization (Sertifikat Imunisasi Dasar Lengkap):
//! one A4 landscape page that a family keeps with the Buku KIA, printed at the posyandu or
//! opened on a phone. The caller decides that the child's basic immunization is complete
//! (the web asks `domain::immunization::immunization_status`, as the monthly report's IDL
//! count does); this module only sets it on paper.

use time::Date;

use crate::PdfError;
use crate::layout::{A4_LANDSCAPE, Align, Column, Layout, MUTED, Rgb, Row, Style};

/// The certificate's green: the colour of the Buku KIA's immunization pages.
const GREEN: Rgb = Rgb(27, 110, 62);

/// One dose given: "DPT-HB-Hib", "1", the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoseLine {
    pub vaccine: String,
    /// The dose's number in its series, empty for a single dose (BCG, HB0).
    pub dose: String,
    pub given_on: Date,
}

/// What the certificate says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdlCertificate {
    pub child_name: String,
    pub sex: store::Sex,
    pub birth_date: Date,
    pub parent_name: Option<String>,
    /// The posyandu the child is registered at.
    pub posyandu: String,
    pub desa: Option<String>,
    pub kecamatan: Option<String>,
    pub kabupaten: Option<String>,
    /// The basic doses, in the schedule's order.
    pub doses: Vec<DoseLine>,
    /// The day the last basic dose was given.
    pub completed_on: Date,
    /// Who issues it (the posyandu or Puskesmas printing it) and when.
    pub issued_by: String,
    pub issued_on: Date,
}

/// The certificate as a one-page PDF.
pub fn idl_certificate(c: &IdlCertificate) -> Result<Vec<u8>, PdfError> {
    let title = format!("Sertifikat Imunisasi Dasar Lengkap {}", c.child_name);
    let footer = format!(
        "Sertifikat Imunisasi Dasar Lengkap · dicetak {} dari catatan Posyandu",
        crate::long_date(c.issued_on)
    );
    let paper = A4_LANDSCAPE;
    let mut l = Layout::new(paper, title, footer)?;
    // A double frame around the page, the footer inside it.
    let m = paper.margin / 2.0;
    l.rect(
        (m, m, paper.width - 2.0 * m, paper.height - 2.0 * m),
        None,
        Some((GREEN, 2.5)),
    );
    l.rect(
        (
            m + 5.0,
            m + 5.0,
            paper.width - 2.0 * m - 10.0,
            paper.height - 2.0 * m - 10.0,
        ),
        None,
        Some((GREEN, 0.6)),
    );
    let centre = |s: Style| s.align(Align::Center);
    l.gap(4.0);
    l.text("SERTIFIKAT", centre(Style::new(26.0).bold().color(GREEN)));
    l.text(
        "Imunisasi Dasar Lengkap",
        centre(Style::new(15.0).bold().color(GREEN)),
    );
    l.gap(8.0);
    l.text("diberikan kepada", centre(Style::new(10.5).color(MUTED)));
    l.gap(2.0);
    l.text(&c.child_name, centre(Style::new(22.0).bold()));
    l.gap(2.0);
    let body = centre(Style::new(11.0));
    l.text(
        &format!(
            "{} · lahir {}",
            crate::sex_name(c.sex),
            crate::long_date(c.birth_date)
        ),
        body,
    );
    if let Some(parent) = c.parent_name.as_deref().filter(|p| !p.trim().is_empty()) {
        l.text(&format!("Orang tua: {parent}"), body);
    }
    l.text(&place(c), body);
    l.gap(6.0);
    l.text(
        &format!(
            "telah menerima imunisasi dasar lengkap; dosis terakhir diberikan {}.",
            crate::long_date(c.completed_on)
        ),
        centre(Style::new(11.0).bold()),
    );
    l.gap(8.0);
    doses(&mut l, &c.doses);
    signature(&mut l, c, paper.height - paper.margin - 22.0);
    l.finish()
}

/// "Posyandu Melati, Desa Tegalrejo, Kecamatan Tempursari, Kabupaten Lumajang".
fn place(c: &IdlCertificate) -> String {
    let mut parts = vec![c.posyandu.clone()];
    let named = |prefix: &str, name: &Option<String>| {
        name.as_deref().filter(|n| !n.trim().is_empty()).map(|n| {
            // A name that already says what it is ("Kabupaten Lumajang") keeps its words.
            if n.to_lowercase().starts_with(&prefix.to_lowercase()) {
                n.to_owned()
            } else {
                format!("{prefix} {n}")
            }
        })
    };
    parts.extend(named("Desa", &c.desa));
    parts.extend(named("Kecamatan", &c.kecamatan));
    parts.extend(named("Kabupaten", &c.kabupaten));
    parts.join(", ")
}

/// The doses in two columns of (vaccine, dose, date), so that 17 doses fit on the page.
fn doses(l: &mut Layout, doses: &[DoseLine]) {
    let half = doses.len().div_ceil(2);
    let mut columns = Vec::new();
    for _ in 0..2 {
        columns.push(Column::new("Vaksin", 62.0, Align::Left));
        columns.push(Column::new("Dosis", 30.0, Align::Center));
        columns.push(Column::new("Tanggal diberikan", 78.0, Align::Left));
    }
    let cell = |d: Option<&DoseLine>| match d {
        Some(d) => [
            d.vaccine.clone(),
            d.dose.clone(),
            crate::long_date(d.given_on),
        ],
        None => Default::default(),
    };
    let rows: Vec<Row> = (0..half)
        .map(|k| {
            let mut cells: Vec<String> = cell(doses.get(k)).into();
            cells.extend(cell(doses.get(half + k)));
            Row { cells, bold: false }
        })
        .collect();
    // Indented from the frame, so the table reads as part of the certificate.
    let inset = 40.0;
    let (left, width) = (l.left(), l.width());
    l.indent(left + inset, width - 2.0 * inset);
    l.table(&columns, &[], &rows, 10.5);
    l.indent(left, width);
}

/// "Diterbitkan di Posyandu Melati, 3 Desember 2026" and a line to sign, at the bottom
/// right above `bottom`.
fn signature(l: &mut Layout, c: &IdlCertificate, bottom: f32) {
    let style = Style::new(10.0).align(Align::Center);
    let x = l.left() + l.width() - 130.0;
    let top = (bottom - 78.0).max(l.y() + 10.0);
    l.text_at(
        x,
        top,
        &format!("{}, {}", c.issued_by, crate::long_date(c.issued_on)),
        style,
    );
    l.text_at(x, top + 14.0, "Kader / petugas kesehatan", style);
    l.rect(
        (x - 90.0, top + 58.0, 180.0, 0.6),
        Some(crate::layout::INK),
        None,
    );
    l.text_at(
        x,
        top + 61.0,
        "nama dan tanda tangan",
        Style::new(8.0).color(MUTED).align(Align::Center),
    );
}
