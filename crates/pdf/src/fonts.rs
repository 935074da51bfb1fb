//! The two faces every PDF uses, compiled into the binary (`fonts/README.md`: Noto Sans from
//! Debian's `fonts-noto-core`, OFL 1.1). Never a system font: the same bytes on a
//! Puskesmas laptop and on the district server, so a page breaks in the same place on
//! both. krilla subsets them, so a PDF carries only the glyphs it uses.

use std::sync::{Arc, LazyLock};

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

static REGULAR: &[u8] = include_bytes!("../fonts/NotoSans-Regular.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/NotoSans-Bold.ttf");

/// The family name the SVG charts ask for (`sans-serif` is mapped to it).
pub(crate) const FAMILY: &str = "Noto Sans";

/// One face: the krilla font to draw with and its advances to measure with.
pub(crate) struct Face {
    pub(crate) font: krilla::text::Font,
    /// Advance widths in em of the characters the documents use most (U+0000–U+024F), so
    /// measuring a line does not parse the font again.
    advances: Vec<f32>,
    data: &'static [u8],
}

impl Face {
    fn load(data: &'static [u8]) -> Option<Face> {
        let font = krilla::text::Font::new(data.into(), 0)?;
        let mut advances = Vec::with_capacity(0x250);
        for c in 0..0x250u32 {
            advances.push(char::from_u32(c).map_or(0.0, |c| em_advance(data, c)));
        }
        Some(Face {
            font,
            advances,
            data,
        })
    }

    /// Whether the face has a glyph for `c`.
    fn covers(&self, c: char) -> bool {
        c.is_whitespace()
            || skrifa::FontRef::new(self.data).is_ok_and(|f| f.charmap().map(c).is_some())
    }

    /// `text` with the characters this face lacks written with ones it has ("≥" as
    /// ">="), or "?", so that nothing prints as an empty box.
    pub(crate) fn printable<'a>(&self, text: &'a str) -> std::borrow::Cow<'a, str> {
        if text.chars().all(|c| (c as usize) < 0x250 || self.covers(c)) {
            return text.into();
        }
        let mut out = String::with_capacity(text.len() + 4);
        for c in text.chars() {
            if (c as usize) < 0x250 || self.covers(c) {
                out.push(c);
                continue;
            }
            out.push_str(match c {
                '\u{2265}' => ">=",
                '\u{2264}' => "<=",
                '\u{2212}' => "-",
                '\u{00d7}' => "x",
                _ => "?",
            });
        }
        out.into()
    }

    /// The width of `text` at `size` points (no kerning: a hair wider than shaped text,
    /// which keeps wrapped lines inside their box).
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| {
                self.advances
                    .get(c as usize)
                    .copied()
                    .unwrap_or_else(|| em_advance(self.data, c))
            })
            .sum::<f32>()
            * size
    }
}

/// The advance of `c` in em (0 for a character the font lacks).
fn em_advance(data: &[u8], c: char) -> f32 {
    let Ok(font) = skrifa::FontRef::new(data) else {
        return 0.0;
    };
    let upem = font
        .metrics(Size::unscaled(), LocationRef::default())
        .units_per_em;
    let Some(gid) = font.charmap().map(c) else {
        return 0.0;
    };
    let adv = font
        .glyph_metrics(Size::unscaled(), LocationRef::default())
        .advance_width(gid)
        .unwrap_or(0.0);
    adv / f32::from(upem.max(1))
}

pub(crate) struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
    /// The same faces for usvg, which lays out the charts' text.
    pub(crate) svg_db: Arc<usvg::fontdb::Database>,
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    let mut db = usvg::fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family(FAMILY);
    Some(Fonts {
        regular: Face::load(REGULAR)?,
        bold: Face::load(BOLD)?,
        svg_db: Arc::new(db),
    })
});

/// The shipped fonts, loaded once; `None` only if the bytes compiled in are not a font.
pub(crate) fn fonts() -> Option<&'static Fonts> {
    FONTS.as_ref()
}
