//! The common currency between readers and the recogniser: a sheet of cells at absolute
//! positions, with the file and sheet they came from.
//!
//! Readers (`read`) produce grids and know nothing of budgets; the recogniser (`recognize`)
//! consumes grids and knows nothing of file formats. Row and column indices are absolute and
//! 0-based, so `a1(0, 0)` is "A1" whatever the source's used range was.

use crate::model::{CellRef, Location};
use std::sync::Arc;

/// One cell's raw value, before any budget meaning is given to it.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum CellValue {
    /// Nothing in the cell (or the non-top-left part of a merge).
    #[default]
    Empty,
    /// Text as stored (numbers stored as text stay text here).
    Text(String),
    /// A numeric cell (Excel stores every number as a float).
    Number(f64),
    /// A boolean cell.
    Bool(bool),
    /// An error value such as "#REF!" or "#DIV/0!".
    Error(String),
    /// A formula cell without a cached value (the file was never recalculated).
    FormulaWithoutValue(String),
}

impl CellValue {
    /// True for `Empty` and whitespace-only text.
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
    /// The text of a text cell, trimmed (None for other kinds).
    pub fn text(&self) -> Option<&str> {
        match self {
            CellValue::Text(t) => Some(t.trim()),
            _ => None,
        }
    }
}

/// A merged range, inclusive, absolute 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

/// One sheet (or CSV file, or disclosure text) as a rectangle of cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// The input file's path as given by the user (shared with every [`Location`] in it).
    pub file: Arc<str>,
    /// Sheet name; a CSV file's stem; "正文" for disclosure text (shared like `file`).
    pub sheet: Arc<str>,
    /// Whether the sheet was hidden in the workbook.
    pub hidden: bool,
    /// `rows[r][c]` is the cell at absolute row r, column c. Rows may differ in length.
    pub rows: Vec<Vec<CellValue>>,
    /// Merged ranges (value only in the top-left cell).
    pub merges: Vec<Merge>,
}

impl Grid {
    /// A new empty grid for a file and sheet.
    pub fn new(file: impl Into<Arc<str>>, sheet: impl Into<Arc<str>>) -> Grid {
        Grid {
            file: file.into(),
            sheet: sheet.into(),
            ..Grid::default()
        }
    }
    /// The cell at (row, col), `Empty` when outside the data.
    pub fn cell(&self, row: usize, col: usize) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }
    /// Puts a value at (row, col), growing the grid as needed.
    pub fn set(&mut self, row: usize, col: usize, value: CellValue) {
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize_with(col + 1, CellValue::default);
        }
        r[col] = value;
    }
    /// The number of columns of the widest row.
    pub fn width(&self) -> usize {
        self.rows.iter().map(Vec::len).max().unwrap_or(0)
    }
    /// The location of (row, col) for findings and errors.
    pub fn location(&self, row: usize, col: usize) -> Location {
        Location {
            file: Arc::clone(&self.file),
            sheet: Arc::clone(&self.sheet),
            cell: CellRef::new(row, col),
        }
    }
}

/// The A1-style address of an absolute 0-based (row, col): `a1(11, 5)` is "F12".
pub fn a1(row: usize, col: usize) -> String {
    CellRef::new(row, col).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_addresses() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(11, 5), "F12");
        assert_eq!(a1(0, 25), "Z1");
        assert_eq!(a1(0, 26), "AA1");
        assert_eq!(a1(9, 701), "ZZ10");
        assert_eq!(a1(0, 702), "AAA1");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(usize::MAX - 1, 0), format!("A{}", usize::MAX));
    }

    #[test]
    fn cell_refs_parse_their_addresses_and_serialise_as_them() {
        for (row, col) in [
            (0, 0),
            (11, 5),
            (0, 25),
            (0, 26),
            (9, 701),
            (1_048_575, 16_383),
        ] {
            let cell = CellRef::new(row, col);
            assert_eq!(CellRef::parse(&cell.to_string()), Some(cell));
            let json = serde_json::to_string(&cell).unwrap();
            assert_eq!(json, format!("\"{}\"", a1(row, col)));
            assert_eq!(serde_json::from_str::<CellRef>(&json).unwrap(), cell);
        }
        assert_eq!(CellRef::parse("f12"), Some(CellRef::new(11, 5)));
        for bad in ["", "F", "12", "F0", "1F", "F1x", "Ä1", "F-1"] {
            assert_eq!(CellRef::parse(bad), None, "{bad}");
        }
    }
}
