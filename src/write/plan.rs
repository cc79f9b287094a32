//! A workbook as data: every sheet's name, column widths, row heights, cells (values,
//! formats, merges) and page setup, all decided, nothing written yet. [`Book::render`] is the
//! one place that hands an official workbook to rust_xlsxwriter, and it decides nothing: it
//! replays the plan.
//!
//! The split keeps rendering dumb and lets the batch benchmark time exactly "writing the same
//! cells with rust_xlsxwriter" (a plan made before the clock starts, rendered after). Not for
//! deciding what goes where: that is `sheet`'s and `cover`'s.

use super::cells::Cells;
use super::layout::Orientation;
use super::{WriteError, at};
use rust_xlsxwriter::{DocProperties, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;

/// The footer: page n of N.
const FOOTER: &str = "&C第 &P 页 共 &N 页";
/// A4 in Excel's paper-size numbering.
const PAPER_A4: u8 = 9;

/// A planned workbook: its document properties and its sheets in order.
pub struct Book<'a> {
    pub(super) properties: DocProperties,
    pub(super) sheets: Vec<Sheet<'a>>,
}

/// A planned sheet.
#[derive(Debug)]
pub struct Sheet<'a> {
    pub(super) name: Cow<'a, str>,
    /// Column widths from column A, in Excel width units.
    pub(super) widths: Vec<f64>,
    /// Row heights in points, by 0-based row; rows not named keep the default.
    pub(super) heights: Vec<(u32, f64)>,
    pub(super) cells: Cells<'a>,
    pub(super) page: Page,
}

/// How a sheet prints.
#[derive(Debug, Clone, Copy)]
pub(super) enum Page {
    /// An official table (see [`print_setup`]), centred, with the tables' margins.
    Table {
        orientation: Orientation,
        header_rows: u32,
        last_row: u32,
        last_col: u16,
    },
    /// 封面 or 目录: portrait A4, one page, centred, column A down to `last_row`, no
    /// gridlines on screen.
    Single { last_row: u32 },
}

impl std::fmt::Debug for Book<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // rust_xlsxwriter's DocProperties has no Debug.
        f.debug_struct("Book")
            .field("sheets", &self.sheets)
            .finish_non_exhaustive()
    }
}

impl Book<'_> {
    /// Writes the workbook (level 1 deflate: about 20% faster for 25% larger files; batch
    /// writes thousands). An error names the sheet rust_xlsxwriter refused.
    pub fn render(&self) -> Result<Vec<u8>, WriteError> {
        let mut book = Workbook::new();
        book.set_zip_compression_level(1);
        book.set_properties(&self.properties);
        for sheet in &self.sheets {
            sheet.apply(book.add_worksheet()).map_err(at(&sheet.name))?;
        }
        book.save_to_buffer().map_err(at("工作簿"))
    }

    /// The same plan, owning all its text, so that it can outlive the budget it came from.
    pub fn into_owned(self) -> Book<'static> {
        Book {
            properties: self.properties,
            sheets: self.sheets.into_iter().map(Sheet::into_owned).collect(),
        }
    }
}

impl Sheet<'_> {
    /// Tells `ws` everything planned.
    fn apply(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        ws.set_name(self.name.as_ref())?;
        for (c, w) in self.widths.iter().enumerate() {
            ws.set_column_width(c as u16, *w)?;
        }
        for &(row, height) in &self.heights {
            ws.set_row_height(row, height)?;
        }
        self.cells.flush(ws)?;
        match self.page {
            Page::Table {
                orientation,
                header_rows,
                last_row,
                last_col,
            } => {
                print_setup(ws, orientation, header_rows, last_row, last_col)?;
                ws.set_print_center_horizontally(true);
                ws.set_margins(0.5, 0.5, 0.6, 0.7, 0.3, 0.3);
            }
            Page::Single { last_row } => {
                ws.set_paper_size(PAPER_A4);
                ws.set_portrait();
                ws.set_print_fit_to_pages(1, 1);
                ws.set_print_center_horizontally(true);
                ws.set_print_area(0, 0, last_row, 0)?;
                ws.set_screen_gridlines(false);
            }
        }
        Ok(())
    }

    fn into_owned(self) -> Sheet<'static> {
        Sheet {
            name: Cow::Owned(self.name.into_owned()),
            widths: self.widths,
            heights: self.heights,
            cells: self.cells.into_owned(),
            page: self.page,
        }
    }
}

/// The page setup the official tables and the lists share: A4 in `orientation`, one page
/// wide, the first `header_rows` rows repeated on every page and frozen, the print area over
/// rows 0..=`last_row` and columns 0..=`last_col`, page n of N in the footer.
pub(super) fn print_setup(
    ws: &mut Worksheet,
    orientation: Orientation,
    header_rows: u32,
    last_row: u32,
    last_col: u16,
) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A4);
    match orientation {
        Orientation::Landscape => ws.set_landscape(),
        Orientation::Portrait => ws.set_portrait(),
    };
    ws.set_print_fit_to_pages(1, 0);
    ws.set_footer(FOOTER);
    ws.set_repeat_rows(0, header_rows - 1)?;
    ws.set_print_area(0, 0, last_row, last_col)?;
    ws.set_freeze_panes(header_rows, 0)?;
    Ok(())
}
