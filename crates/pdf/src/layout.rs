//! A small page-layout helper over krilla: wrapped text, a table whose header row comes back
//! on every page it runs onto, an SVG placed at full width, and a footer with "Halaman x/y".
//!
//! Hand-written because krilla is a low-level writer (glyphs, paths and images at
//! coordinates; no line breaking, tables or pagination), and the documents need only these
//! few blocks: a layout engine (typst) would bring about 240 more crates and minutes of
//! cold build for them (stack.md §1.6). The layout is done first into a list of drawing
//! operations per page, and written to the PDF only at the end, because the footer must
//! know how many pages there are.
//!
//! Coordinates are PDF points (1/72 inch) from the page's top-left corner, y downwards.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla_svg::{SurfaceExt, SvgSettings};

use crate::PdfError;
use crate::fonts::{FAMILY, Face, Fonts};

/// A colour as 8-bit RGB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const INK: Rgb = Rgb(26, 26, 26);
pub(crate) const MUTED: Rgb = Rgb(90, 90, 90);
pub(crate) const RULE: Rgb = Rgb(190, 190, 190);
/// The header row's fill and every other row's: light enough to print on any printer.
pub(crate) const HEAD_FILL: Rgb = Rgb(225, 232, 240);
const ZEBRA: Rgb = Rgb(245, 247, 250);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

/// How a piece of text looks.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: Rgb,
    pub align: Align,
}

impl Style {
    pub(crate) const fn new(size: f32) -> Style {
        Style {
            size,
            bold: false,
            color: INK,
            align: Align::Left,
        }
    }
    pub(crate) const fn bold(mut self) -> Style {
        self.bold = true;
        self
    }
    pub(crate) const fn color(mut self, c: Rgb) -> Style {
        self.color = c;
        self
    }
    pub(crate) const fn align(mut self, a: Align) -> Style {
        self.align = a;
        self
    }
    /// The distance from one line's top to the next's.
    pub(crate) fn line_height(&self) -> f32 {
        self.size * 1.3
    }
}

/// A page size with its margins.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Paper {
    pub width: f32,
    pub height: f32,
    pub margin: f32,
}

pub(crate) const A4_PORTRAIT: Paper = Paper {
    width: 595.28,
    height: 841.89,
    margin: 40.0,
};
pub(crate) const A4_LANDSCAPE: Paper = Paper {
    width: 841.89,
    height: 595.28,
    margin: 36.0,
};

/// The space between a table cell's edge and its text.
const CELL_PAD: f32 = 3.0;

/// The space the footer takes above the bottom margin.
const FOOTER: f32 = 22.0;

enum Op {
    Text {
        x: f32,
        /// The baseline.
        y: f32,
        style: Style,
        text: String,
    },
    Rect {
        rect: (f32, f32, f32, f32),
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Svg {
        tree: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

/// A table column: its header (`\n` breaks it), its share of the width, its alignment.
pub(crate) struct Column {
    pub header: String,
    pub weight: f32,
    pub align: Align,
}

impl Column {
    pub(crate) fn new(header: impl Into<String>, weight: f32, align: Align) -> Column {
        Column {
            header: header.into(),
            weight,
            align,
        }
    }
}

/// A table row; `bold` for a total or a key row.
pub(crate) struct Row {
    pub cells: Vec<String>,
    pub bold: bool,
}

pub(crate) struct Layout {
    paper: Paper,
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    /// The top of the free space on the current page.
    y: f32,
    trees: Vec<usvg::Tree>,
    title: String,
    /// The footer's left text (what this is and when it was made).
    footer: String,
    /// The column text and tables go in: its left edge and width (the page between the
    /// margins unless [`Layout::indent`] narrowed it).
    column: (f32, f32),
}

impl Layout {
    pub(crate) fn new(
        paper: Paper,
        title: impl Into<String>,
        footer: impl Into<String>,
    ) -> Result<Layout, PdfError> {
        let fonts = crate::fonts::fonts().ok_or(PdfError::Font)?;
        Ok(Layout {
            paper,
            fonts,
            pages: vec![Vec::new()],
            y: paper.margin,
            trees: Vec::new(),
            title: title.into(),
            footer: footer.into(),
            column: (paper.margin, paper.width - 2.0 * paper.margin),
        })
    }

    fn face(&self, bold: bool) -> &'static Face {
        if bold {
            &self.fonts.bold
        } else {
            &self.fonts.regular
        }
    }

    pub(crate) fn left(&self) -> f32 {
        self.column.0
    }

    pub(crate) fn width(&self) -> f32 {
        self.column.1
    }

    /// Text and tables from now on go in the column from `left`, `width` wide.
    pub(crate) fn indent(&mut self, left: f32, width: f32) {
        self.column = (left, width);
    }

    /// The lowest point content may reach on a page (the footer is below it).
    fn bottom(&self) -> f32 {
        self.paper.height - self.paper.margin - FOOTER
    }

    pub(crate) fn y(&self) -> f32 {
        self.y
    }

    pub(crate) fn measure(&self, text: &str, style: Style) -> f32 {
        self.face(style.bold).width(text, style.size)
    }

    pub(crate) fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.paper.margin;
    }

    /// Starts a new page unless `h` points still fit on this one (a heading kept with what
    /// follows it).
    pub(crate) fn keep(&mut self, h: f32) {
        if self.y + h > self.bottom() && self.y > self.paper.margin {
            self.new_page();
        }
    }

    pub(crate) fn gap(&mut self, h: f32) {
        self.y += h;
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// `text` broken into lines no wider than `width` (at spaces; a word longer than the
    /// line at characters); `\n` always breaks.
    pub(crate) fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
        let face = self.face(style.bold);
        let text = face.printable(text);
        let fits = |s: &str| face.width(s, style.size) <= width;
        let mut out = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            for word in para.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_owned()
                } else {
                    format!("{line} {word}")
                };
                if fits(&candidate) {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    out.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it where it fills the line.
                for c in word.chars() {
                    line.push(c);
                    if !fits(&line) && line.chars().count() > 1 {
                        line.pop();
                        out.push(std::mem::take(&mut line));
                        line.push(c);
                    }
                }
            }
            out.push(line);
        }
        out
    }

    /// Text at a point: `y` is the top of the line, `x` its left edge, centre or right edge
    /// as `style.align` says.
    pub(crate) fn text_at(&mut self, x: f32, y: f32, text: &str, style: Style) {
        let text = self.face(style.bold).printable(text).into_owned();
        let w = self.measure(&text, style);
        let x = match style.align {
            Align::Left => x,
            Align::Center => x - w / 2.0,
            Align::Right => x - w,
        };
        self.push(Op::Text {
            x,
            y: y + style.size * 0.95,
            style,
            text,
        });
    }

    /// A paragraph across the text width, wrapped, continuing on the next page when full.
    pub(crate) fn text(&mut self, text: &str, style: Style) {
        let width = self.width();
        self.text_in(self.left(), width, text, style);
    }

    /// A paragraph in the column from `x`, `width` wide.
    pub(crate) fn text_in(&mut self, x: f32, width: f32, text: &str, style: Style) {
        let lh = style.line_height();
        for line in self.wrap(text, style, width) {
            self.keep(lh);
            let at = match style.align {
                Align::Left => x,
                Align::Center => x + width / 2.0,
                Align::Right => x + width,
            };
            let y = self.y;
            self.text_at(at, y, &line, style);
            self.y += lh;
        }
    }

    pub(crate) fn rect(
        &mut self,
        rect: (f32, f32, f32, f32),
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    ) {
        self.push(Op::Rect { rect, fill, stroke });
    }

    /// A horizontal rule across the text width at the cursor.
    pub(crate) fn rule(&mut self, colour: Rgb, width: f32) {
        let (x, y, w) = (self.left(), self.y, self.width());
        self.rect((x, y, w, width), Some(colour), None);
        self.y += width;
    }

    /// A table: the header row on a tint, then the rows (every other one tinted), each
    /// cell wrapped in its column. A row that does not fit starts a new page, and the
    /// header is drawn again there. `groups` (label, number of columns), when not empty,
    /// is a row above the header naming runs of columns ("0–5 bl" over its L and P).
    pub(crate) fn table(
        &mut self,
        columns: &[Column],
        groups: &[(String, usize)],
        rows: &[Row],
        size: f32,
    ) {
        let total: f32 = columns
            .iter()
            .map(|c| c.weight)
            .sum::<f32>()
            .max(f32::EPSILON);
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| c.weight / total * self.width())
            .collect();
        let body = Style::new(size);
        let head = Style::new(size).bold();
        let headers: Vec<String> = columns.iter().map(|c| c.header.clone()).collect();
        let (head_lines, head_h) = self.lay(&headers, &widths, head);
        // The group row: a column per group, as wide as the columns it spans.
        let mut group_cols = Vec::new();
        let mut group_widths = Vec::new();
        let mut at = 0;
        for (label, span) in groups {
            let end = (at + span).min(widths.len());
            group_cols.push(Column::new(label.clone(), 1.0, Align::Center));
            group_widths.push(widths.get(at..end).map_or(0.0, |w| w.iter().sum()));
            at = end;
        }
        let labels: Vec<String> = groups.iter().map(|g| g.0.clone()).collect();
        let (group_lines, group_h) = if groups.is_empty() {
            (Vec::new(), 0.0)
        } else {
            self.lay(&labels, &group_widths, head)
        };
        let first_h = rows.first().map_or(0.0, |r| {
            self.lay(&r.cells, &widths, if r.bold { head } else { body })
                .1
        });
        self.keep(group_h + head_h + first_h);
        let header = |l: &mut Layout| {
            if !group_cols.is_empty() {
                l.table_row(
                    &group_cols,
                    &group_widths,
                    &group_lines,
                    group_h,
                    head,
                    Some(HEAD_FILL),
                );
            }
            l.table_row(columns, &widths, &head_lines, head_h, head, Some(HEAD_FILL));
        };
        header(self);
        for (i, r) in rows.iter().enumerate() {
            let style = if r.bold { head } else { body };
            let (lines, h) = self.lay(&r.cells, &widths, style);
            if self.y + h > self.bottom() {
                self.new_page();
                header(self);
            }
            let fill = (i % 2 == 1).then_some(ZEBRA);
            self.table_row(columns, &widths, &lines, h, style, fill);
        }
    }

    /// Cells wrapped in their widths, and the row's height.
    fn lay(&self, cells: &[String], widths: &[f32], style: Style) -> (Vec<Vec<String>>, f32) {
        let lines: Vec<Vec<String>> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.wrap(c, style, (w - 2.0 * CELL_PAD).max(1.0)))
            .collect();
        let n = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (lines, n as f32 * style.line_height() + 2.0 * CELL_PAD)
    }

    fn table_row(
        &mut self,
        columns: &[Column],
        widths: &[f32],
        lines: &[Vec<String>],
        h: f32,
        style: Style,
        fill: Option<Rgb>,
    ) {
        let pad = CELL_PAD;
        let (left, y, total) = (self.left(), self.y, self.width());
        if fill.is_some() {
            self.rect((left, y, total, h), fill, None);
        }
        let mut x = left;
        for ((col, w), cell) in columns.iter().zip(widths).zip(lines) {
            let at = match col.align {
                Align::Left => x + pad,
                Align::Center => x + w / 2.0,
                Align::Right => x + w - pad,
            };
            for (k, line) in cell.iter().enumerate() {
                let top = y + pad + k as f32 * style.line_height();
                self.text_at(at, top, line, style.align(col.align));
            }
            x += w;
            // A light rule between this column and the next.
            if x < left + total - 1.0 {
                self.rect((x - 0.15, y, 0.3, h), Some(RULE), None);
            }
        }
        // The rule under the row, and the table's sides.
        self.rect((left, y + h - 0.4, total, 0.4), Some(RULE), None);
        self.rect((left, y, 0.4, h), Some(RULE), None);
        self.rect((left + total - 0.4, y, 0.4, h), Some(RULE), None);
        self.y = y + h;
    }

    /// An SVG `width` points wide (its height from its aspect, shrunk to fit a page), at
    /// the cursor; its text is set in the shipped fonts and stays text in the PDF.
    pub(crate) fn svg(&mut self, svg: &str, width: f32) -> Result<(), PdfError> {
        let options = usvg::Options {
            fontdb: self.fonts.svg_db.clone(),
            font_family: FAMILY.to_owned(),
            ..usvg::Options::default()
        };
        // The chart's text too: a character the font lacks ("−" in "−2 SD") is written
        // with one it has, instead of an empty box (markup is ASCII, so it is untouched).
        let svg = self.fonts.regular.printable(svg);
        let tree =
            usvg::Tree::from_str(&svg, &options).map_err(|e| PdfError::Svg(e.to_string()))?;
        let size = tree.size();
        let mut w = width;
        let mut h = width * size.height() / size.width().max(1.0);
        let page = self.bottom() - self.paper.margin;
        if h > page {
            w *= page / h;
            h = page;
        }
        // Shrunk a little to stay on this page rather than leave most of it empty.
        let left = self.bottom() - self.y;
        if h > left && left >= 0.75 * h {
            w *= left / h;
            h = left;
        }
        self.keep(h);
        let x = self.left() + (self.width() - w) / 2.0;
        let y = self.y;
        self.trees.push(tree);
        let tree = self.trees.len() - 1;
        self.push(Op::Svg { tree, x, y, w, h });
        self.y += h;
        Ok(())
    }

    /// The PDF: every page with its footer (the note on the left, "Halaman x/y" on the
    /// right).
    pub(crate) fn finish(self) -> Result<Vec<u8>, PdfError> {
        let mut doc = Document::new();
        doc.set_metadata(
            Metadata::new()
                .title(self.title.clone())
                .language("id".to_owned())
                .creator("Posyandu".to_owned()),
        );
        let n = self.pages.len();
        let settings = PageSettings::from_wh(self.paper.width, self.paper.height)
            .ok_or(PdfError::Layout("page size"))?;
        for (i, ops) in self.pages.iter().enumerate() {
            let mut page = doc.start_page_with(settings.clone());
            let mut s = page.surface();
            for op in ops {
                self.draw(&mut s, op)?;
            }
            self.draw_footer(&mut s, i + 1, n)?;
            s.finish();
            page.finish();
        }
        doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
    }

    fn draw_footer(&self, s: &mut Surface, page: usize, of: usize) -> Result<(), PdfError> {
        let p = self.paper;
        let top = p.height - p.margin - FOOTER + 8.0;
        let style = Style::new(7.5).color(MUTED);
        let rule = Op::Rect {
            rect: (p.margin, top, p.width - 2.0 * p.margin, 0.5),
            fill: Some(RULE),
            stroke: None,
        };
        self.draw(s, &rule)?;
        // A one-page document (a certificate) has no page number.
        let number = if of > 1 {
            format!("Halaman {page}/{of}")
        } else {
            String::new()
        };
        let nw = self.measure(&number, style);
        // The note is cut to one line, leaving room for the page number.
        let room = p.width - 2.0 * p.margin - nw - 12.0;
        let note = self
            .wrap(&self.footer, style, room)
            .into_iter()
            .next()
            .unwrap_or_default();
        let baseline = top + 4.0 + style.size;
        for (x, text) in [(p.margin, note), (p.width - p.margin - nw, number)] {
            self.draw(
                s,
                &Op::Text {
                    x,
                    y: baseline,
                    style,
                    text,
                },
            )?;
        }
        Ok(())
    }

    fn draw(&self, s: &mut Surface, op: &Op) -> Result<(), PdfError> {
        match op {
            Op::Text { x, y, style, text } => {
                s.set_stroke(None);
                s.set_fill(Some(fill(style.color)));
                let font = self.face(style.bold).font.clone();
                s.draw_text(
                    Point::from_xy(*x, *y),
                    font,
                    style.size,
                    text,
                    false,
                    TextDirection::Auto,
                );
            }
            Op::Rect {
                rect: (x, y, w, h),
                fill: f,
                stroke,
            } => {
                let mut pb = PathBuilder::new();
                pb.push_rect(Rect::from_xywh(*x, *y, *w, *h).ok_or(PdfError::Layout("rect"))?);
                let path = pb.finish().ok_or(PdfError::Layout("rect"))?;
                s.set_fill(f.map(fill));
                s.set_stroke(stroke.map(|(c, width)| Stroke {
                    paint: colour(c).into(),
                    width,
                    ..Stroke::default()
                }));
                if f.is_some() || stroke.is_some() {
                    s.draw_path(&path);
                }
            }
            Op::Svg { tree, x, y, w, h } => {
                let tree = self.trees.get(*tree).ok_or(PdfError::Layout("svg"))?;
                let size = Size::from_wh(*w, *h).ok_or(PdfError::Layout("svg size"))?;
                s.push_transform(&Transform::from_translate(*x, *y));
                let drawn = s.draw_svg(tree, size, SvgSettings::default());
                s.pop();
                drawn.ok_or(PdfError::Layout("svg"))?;
            }
        }
        Ok(())
    }
}

fn colour(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: colour(c).into(),
        ..Fill::default()
    }
}
