//! Printable PDFs written in-process, with no program to install and no system font
//! (issue 11 item 5): the monthly report of a unit, the certificate of a child's complete
//! basic immunization (IDL) and the KMS growth card. Each function is pure: data in, the
//! PDF's bytes out, so the CLI, the web and the tests make the same file.
//!
//! Written with krilla (typst's PDF writer, stack.md §1.6) and its SVG extension, with Noto
//! Sans compiled in ([`fonts`]); [`layout`] is the small hand-written page layout on top.
//! The documents are in Bahasa Indonesia whatever the user's language, like the XLSX
//! export: they are filed with the Puskesmas and kept in the Buku KIA.

mod card;
mod certificate;
mod fonts;
mod layout;
mod monthly;

use time::{Date, OffsetDateTime};

pub use card::{GrowthCard, Weighing, growth_card};
pub use certificate::{DoseLine, IdlCertificate, idl_certificate};
pub use monthly::{monthly_report, monthly_report_at};

/// Why a PDF could not be made. None of these depends on the data being odd: each is a
/// fault of the program (or of an SVG it was given), reported rather than panicked on.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("pdf: the fonts compiled in could not be read")]
    Font,
    #[error("pdf: the SVG could not be read: {0}")]
    Svg(String),
    #[error("pdf: layout: {0}")]
    Layout(&'static str),
    #[error("pdf: writing failed: {0}")]
    Write(String),
}

/// The MIME type of what these functions return.
pub const MIME: &str = "application/pdf";

const MONTHS: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

/// "Oktober 2026".
pub fn month_name(month: Date) -> String {
    let m = MONTHS
        .get(usize::from(u8::from(month.month())) - 1)
        .copied()
        .unwrap_or_default();
    format!("{m} {}", month.year())
}

/// "5 Oktober 2026", as a certificate writes a date.
pub fn long_date(d: Date) -> String {
    format!("{} {}", d.day(), month_name(d))
}

/// "05-10-2026", as a table writes a date (short, and day first as Indonesians read it).
pub(crate) fn short_date(d: Date) -> String {
    format!("{:02}-{:02}-{}", d.day(), u8::from(d.month()), d.year())
}

/// "3 Desember 2026 10.05 WIB": when a document was made, in the unit's time.
pub(crate) fn made_at(at: OffsetDateTime, zone: store::codes::TimeZone) -> String {
    let local = at.to_offset(zone.offset());
    format!(
        "{} {:02}.{:02} {}",
        long_date(local.date()),
        local.hour(),
        local.minute(),
        zone.code()
    )
}

/// A decimal with a comma and `places` decimals: "9,4".
pub(crate) fn decimal(v: f64, places: usize) -> String {
    format!("{v:.places$}").replace('.', ",")
}

/// "Laki-laki" / "Perempuan".
pub(crate) fn sex_name(sex: store::Sex) -> &'static str {
    match sex {
        store::Sex::Male => "Laki-laki",
        store::Sex::Female => "Perempuan",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn dates_read_as_indonesians_write_them() {
        assert_eq!(month_name(date!(2026 - 10 - 01)), "Oktober 2026");
        assert_eq!(long_date(date!(2026 - 01 - 05)), "5 Januari 2026");
        assert_eq!(short_date(date!(2026 - 01 - 05)), "05-01-2026");
        assert_eq!(decimal(9.44, 1), "9,4");
    }

    #[test]
    fn wrapping_keeps_lines_inside_the_width() {
        let l = layout::Layout::new(layout::A4_PORTRAIT, "t", "f").expect("fonts");
        let style = layout::Style::new(10.0);
        let text = "Balita D yang pada penimbangan terakhir bulan itu naik sesuai KBM \
                    Supercalifragilisticexpialidocious-tanpa-spasi-sama-sekali";
        let lines = l.wrap(text, style, 120.0);
        assert!(lines.len() > 3, "{lines:?}");
        for line in &lines {
            assert!(l.measure(line, style) <= 120.0, "{line:?}");
        }
        assert_eq!(lines.join(" ").replace(' ', ""), text.replace(' ', ""));
        assert_eq!(l.wrap("a\nb", style, 100.0), ["a", "b"]);
    }
}
