//! Workbooks (xlsx/xlsm, xlsb, xls, ods) through calamine, one grid per worksheet, with cells at
//! absolute positions, merged ranges (calamine's for xls; for xlsx, ods and xlsb our own scans
//! of the parts, see `merges` and `xlsb_parts`), the hidden flag, and exact cell values (cached
//! formula results; a formula never calculated becomes `FormulaWithoutValue`).
//!
//! Not for sniffing (the caller has decided the format) nor for any budget meaning.

use super::merges::{self, XlsxParts};
use super::parts::Parts;
use super::xlsb_parts::{Beyond, XlsbParts};
use super::{Document, ReadError};
use super::{ERROR_VALUES, MAX_ROWS, merge_between};
use super::{guard, props};
use crate::grid::{CellValue, Grid, Merge};
use calamine::{
    CellType, Data, DataRef, Dimensions, ExcelDateTime, Ods, Range, Reader, Sheet, SheetType,
    SheetVisible, Xls, Xlsb, Xlsx, XlsxFormulaMetadata,
};
use std::collections::HashMap;
use std::io::Cursor;

/// The most cells (counting the blanks a dense grid needs) one workbook may expand to: four
/// million, about 128 MB of grid. Budget workbooks use a few thousand.
pub const MAX_CELLS: usize = 4_000_000;

type Bytes<'a> = Cursor<&'a [u8]>;

/// Cell budget shared by all sheets of one workbook, so a hostile file cannot exhaust memory
/// by placing a few cells far apart.
struct Budget(usize);

/// Puts a value into a grid, charging the dense cells it adds against the budget.
fn put(
    grid: &mut Grid,
    budget: &mut Budget,
    (row, col): (u32, u32),
    value: CellValue,
) -> Result<(), ReadError> {
    let (row, col) = (row as usize, col as usize);
    let added_rows = (row + 1).saturating_sub(grid.rows.len());
    let row_len = grid.rows.get(row).map_or(0, Vec::len);
    let added = added_rows + (col + 1).saturating_sub(row_len);
    if added > budget.0 {
        return Err(ReadError::TooManyCells {
            file: grid.file.to_string(),
            sheet: grid.sheet.to_string(),
        });
    }
    budget.0 -= added;
    if row >= grid.rows.len() {
        // Rows of a table are about as wide as the one before: one allocation per row instead
        // of a regrowth every few cells (the previous row's cells were already charged).
        let width = grid.rows.last().map_or(0, Vec::len).max(col + 1);
        grid.rows.resize_with(row, Vec::new);
        grid.rows.push(Vec::with_capacity(width));
    }
    match grid.rows.get_mut(row) {
        // Cells mostly come left to right with none skipped: the common case appends.
        Some(cells) if cells.len() == col => cells.push(value),
        _ => grid.set(row, col, value),
    }
    Ok(())
}

/// Reads an xlsx/xlsm workbook: one streaming pass per sheet for values and formulas; merges
/// from a scan of the sheet's tail (calamine's merge reader is the fallback); the 单位类型
/// custom property from docProps/custom.xml when there is one.
pub fn xlsx(file: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let mut parts = Parts::open(bytes);
    if let Some(parts) = parts.as_mut() {
        guard::xlsx_shared_strings(file, parts)?;
    }
    let unit_kind_property = parts.as_ref().and_then(|p| props::unit_kind(p.archive()));
    let mut book: Xlsx<Bytes> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| book_error(file, &e.to_string()))?;
    let mut budget = Budget(MAX_CELLS);
    let sheets = book.sheets_metadata().to_vec();
    let mut parts = parts.and_then(XlsxParts::new);
    let mut grids = Vec::with_capacity(sheets.len());
    for sheet in worksheets(&sheets) {
        let mut grid = blank_grid(file, sheet);
        xlsx_cells(&mut book, &mut grid, &mut budget)
            .map_err(|e| e.into_error(file, &sheet.name))?;
        grid.merges = match parts.as_mut().and_then(|p| p.merges(&sheet.name)) {
            Some(merges) => merges,
            None => book
                .merge_cells_by_sheet_name(&sheet.name)
                .map_err(|e| sheet_error(file, &sheet.name, &e.to_string()))?
                .iter()
                .filter_map(merge_of)
                .collect(),
        };
        grids.push(grid);
    }
    Ok(Document {
        file: file.into(),
        grids,
        unit_kind_property,
    })
}

/// Either a calamine error (to be worded with file and sheet) or one of ours.
enum CellsError {
    Calamine(String),
    Ours(ReadError),
}

impl CellsError {
    fn into_error(self, file: &str, sheet: &str) -> ReadError {
        match self {
            CellsError::Calamine(detail) => sheet_error(file, sheet, &detail),
            CellsError::Ours(e) => e,
        }
    }
}

impl From<calamine::XlsxError> for CellsError {
    fn from(e: calamine::XlsxError) -> Self {
        CellsError::Calamine(e.to_string())
    }
}

impl From<ReadError> for CellsError {
    fn from(e: ReadError) -> Self {
        CellsError::Ours(e)
    }
}

/// Streams one xlsx sheet's cells into the grid.
fn xlsx_cells(
    book: &mut Xlsx<Bytes>,
    grid: &mut Grid,
    budget: &mut Budget,
) -> Result<(), CellsError> {
    let mut reader = book.worksheet_cells_reader(&grid.sheet)?;
    // Shared-formula anchors of this sheet: index -> (template text, anchor cell).
    let mut anchors: HashMap<usize, (String, (u32, u32))> = HashMap::new();
    while let Some(record) = reader.next_cell_with_formula_metadata()? {
        let value = match (record.value, record.formula) {
            (DataRef::Empty, None) => continue,
            (DataRef::Empty, Some(formula)) => {
                CellValue::FormulaWithoutValue(formula_text(formula, record.pos, &mut anchors))
            }
            (
                value,
                Some(XlsxFormulaMetadata::Shared {
                    shared_index,
                    formula,
                    ..
                }),
            ) => {
                anchors.insert(shared_index, (formula, record.pos));
                cell_of_ref(value)
            }
            (value, _) => cell_of_ref(value),
        };
        put(grid, budget, record.pos, value)?;
    }
    Ok(())
}

/// The text of a formula whose cell has no cached value (shared formulas are expanded for the
/// cell they land in).
fn formula_text(
    formula: XlsxFormulaMetadata,
    pos: (u32, u32),
    anchors: &mut HashMap<usize, (String, (u32, u32))>,
) -> String {
    match formula {
        XlsxFormulaMetadata::Normal { formula } => formula,
        XlsxFormulaMetadata::Shared {
            shared_index,
            formula,
            ..
        } => {
            anchors.insert(shared_index, (formula.clone(), pos));
            formula
        }
        XlsxFormulaMetadata::SharedDerived { shared_index } => anchors
            .get(&shared_index)
            .and_then(|(template, anchor)| {
                calamine::expand_shared_formula(template, *anchor, pos).ok()
            })
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// Reads an xls workbook (already parsed whole by calamine when opened).
pub fn xls(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, ReadError> {
    guard::xls(file, bytes)?;
    let book: Xls<Bytes> = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsError::Password => ReadError::Encrypted { file: file.into() },
        e => book_error(file, &e.to_string()),
    })?;
    generic(file, book, |book, name| {
        book.merge_cells_by_sheet_name(name)
            .map(|dims| dims.iter().filter_map(merge_of).collect())
            .map_err(|e| e.to_string())
    })
}

/// Reads an ods workbook (merges from content.xml, which calamine does not report).
pub fn ods(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, ReadError> {
    let scan = merges::ods_scan(bytes).unwrap_or_default();
    if scan.largest_area > MAX_CELLS as u64 {
        return Err(ReadError::TooManyCells {
            file: file.into(),
            sheet: scan.largest_sheet,
        });
    }
    let merges = scan.merges;
    let book: Ods<Bytes> =
        Ods::new(Cursor::new(bytes)).map_err(|e| book_error(file, &e.to_string()))?;
    generic(file, book, |_, name| {
        Ok(merges.get(name).cloned().unwrap_or_default())
    })
}

/// Reads an xlsb workbook, streaming each sheet's cells; merges from the sheet parts' records
/// (calamine does not report them), which are walked first to refuse a sheet whose data goes
/// beyond Excel's limits (calamine takes row 1,048,577 and stops without a word at any row
/// after it) and to supply the cells calamine passes over (error results of formulas,
/// rich-text strings). xlsb always stores formula results, so formulas are not read.
pub fn xlsb(file: &str, bytes: &[u8]) -> Result<Vec<Grid>, ReadError> {
    let mut parts = Parts::open(bytes);
    let overstated = parts.as_mut().and_then(guard::xlsb_overstated_part);
    let mut parts = parts.and_then(XlsbParts::new);
    if let Some(part) = overstated {
        let detail = guard::OVERSTATED_RECORD;
        return Err(match parts.as_ref().and_then(|p| p.sheet_of(&part)) {
            Some(sheet) => sheet_error(file, sheet, detail),
            None => ReadError::Corrupt {
                file: file.into(),
                detail: format!("{detail}，位于 {part}"),
            },
        });
    }
    let mut book: Xlsb<Bytes> = Xlsb::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::XlsbError::Password => ReadError::Encrypted { file: file.into() },
        e => book_error(file, &e.to_string()),
    })?;
    let mut budget = Budget(MAX_CELLS);
    let sheets = book.sheets_metadata().to_vec();
    let mut grids = Vec::with_capacity(sheets.len());
    for sheet in worksheets(&sheets) {
        let name = sheet.name.as_str();
        let scan = parts
            .as_mut()
            .and_then(|p| p.sheet(name))
            .unwrap_or_default();
        if let Some(beyond) = scan.beyond {
            return Err(sheet_error(file, name, &beyond_limits(beyond)));
        }
        let mut grid = blank_grid(file, sheet);
        let mut reader = book
            .worksheet_cells_reader(name)
            .map_err(|e| sheet_error(file, name, &e.to_string()))?;
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| sheet_error(file, name, &e.to_string()))?
        {
            let pos = cell.get_position();
            match cell_of_ref(cell.get_value().clone()) {
                CellValue::Empty => {}
                value => put(&mut grid, &mut budget, pos, value)?,
            }
        }
        for (pos, value) in scan.passed_over {
            if grid.cell(pos.0 as usize, pos.1 as usize).is_blank() {
                put(&mut grid, &mut budget, pos, value)?;
            }
        }
        grid.merges = scan.merges;
        grids.push(grid);
    }
    Ok(grids)
}

/// Says, in Chinese, which row (1-based, as Excel numbers them) or cell (A1 style) lies beyond
/// a worksheet's limits.
fn beyond_limits(beyond: Beyond) -> String {
    match beyond {
        Beyond::Row(row) => format!(
            "第 {} 行超出工作表的最大行数 {MAX_ROWS}",
            u64::from(row) + 1
        ),
        Beyond::Column { row, col } => {
            let cell = crate::model::CellRef::new(row as usize, col as usize);
            format!("单元格 {cell} 超出工作表的最后一列 XFD")
        }
    }
}

/// The range-based path shared by xls and ods (both parsed whole when opened).
fn generic<'a, R>(
    file: &str,
    mut book: R,
    merges: impl Fn(&R, &str) -> Result<Vec<Merge>, String>,
) -> Result<Vec<Grid>, ReadError>
where
    R: Reader<Bytes<'a>>,
    R::Error: std::fmt::Display,
{
    let mut budget = Budget(MAX_CELLS);
    let sheets = book.sheets_metadata().to_vec();
    let mut grids = Vec::with_capacity(sheets.len());
    for sheet in worksheets(&sheets) {
        let name = sheet.name.as_str();
        let mut grid = blank_grid(file, sheet);
        let range = book
            .worksheet_range(name)
            .map_err(|e| sheet_error(file, name, &e.to_string()))?;
        fill_from_range(&mut grid, &mut budget, &range)?;
        let formulas = book
            .worksheet_formula(name)
            .map_err(|e| sheet_error(file, name, &e.to_string()))?;
        mark_formula_results(&mut grid, &mut budget, &formulas)?;
        grid.merges = merges(&book, name).map_err(|detail| sheet_error(file, name, &detail))?;
        grids.push(grid);
    }
    Ok(grids)
}

/// Copies a calamine range (which starts at its first used cell) to absolute positions.
fn fill_from_range(
    grid: &mut Grid,
    budget: &mut Budget,
    range: &Range<Data>,
) -> Result<(), ReadError> {
    for (pos, value) in used_cells_at(range) {
        put(grid, budget, pos, cell_of(value))?;
    }
    Ok(())
}

/// Formula cells that have no value in the range become `FormulaWithoutValue`; those whose
/// value is the text of an error (what an ods stores for a formula showing `#DIV/0!`, or
/// LibreOffice's `Err:502`) become that `Error`, as the xlsx, xls and xlsb readers give it.
fn mark_formula_results(
    grid: &mut Grid,
    budget: &mut Budget,
    formulas: &Range<String>,
) -> Result<(), ReadError> {
    for (pos, formula) in used_cells_at(formulas) {
        let value = match grid.cell(pos.0 as usize, pos.1 as usize) {
            CellValue::Empty => CellValue::FormulaWithoutValue(formula.clone()),
            CellValue::Text(t) if is_error_text(t) => CellValue::Error(t.clone()),
            _ => continue,
        };
        put(grid, budget, pos, value)?;
    }
    Ok(())
}

/// Whether a formula's text result is an error: one of Excel's error values
/// ([`ERROR_VALUES`]), or LibreOffice's `Err:` and a code.
fn is_error_text(text: &str) -> bool {
    ERROR_VALUES.iter().any(|(_, error)| *error == text)
        || text
            .strip_prefix("Err:")
            .is_some_and(|code| !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()))
}

/// The workbook's worksheets (chart sheets and macro sheets hold no table).
fn worksheets(sheets: &[Sheet]) -> impl Iterator<Item = &Sheet> {
    sheets.iter().filter(|s| s.typ == SheetType::WorkSheet)
}

/// An empty grid for `sheet`, hidden when the workbook hides the sheet.
fn blank_grid(file: &str, sheet: &Sheet) -> Grid {
    let mut grid = Grid::new(file, sheet.name.as_str());
    grid.hidden = sheet.visible != SheetVisible::Visible;
    grid
}

/// The used cells of a calamine range at their absolute (row, column) positions: a range
/// starts at its first used cell, the grid at A1.
fn used_cells_at<T: CellType>(range: &Range<T>) -> impl Iterator<Item = ((u32, u32), &T)> {
    let (row0, col0) = range.start().unwrap_or((0, 0));
    range.used_cells().map(move |(r, c, value)| {
        let r = u32::try_from(r).unwrap_or(u32::MAX);
        let c = u32::try_from(c).unwrap_or(u32::MAX);
        ((row0.saturating_add(r), col0.saturating_add(c)), value)
    })
}

/// One calamine value as a grid cell.
fn cell_of(value: &Data) -> CellValue {
    match value {
        Data::Empty => CellValue::Empty,
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Float(f) => CellValue::Number(*f),
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(d) => date_cell(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// One streamed xlsx value as a grid cell (owned strings move, shared strings copy once).
fn cell_of_ref(value: DataRef<'_>) -> CellValue {
    match value {
        DataRef::Empty => CellValue::Empty,
        DataRef::Int(i) => CellValue::Number(i as f64),
        DataRef::Float(f) => CellValue::Number(f),
        DataRef::String(s) => CellValue::Text(s),
        DataRef::SharedString(s) => CellValue::Text(s.to_owned()),
        DataRef::Bool(b) => CellValue::Bool(b),
        DataRef::DateTime(d) => date_cell(&d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Text(s),
        DataRef::Error(e) => CellValue::Error(e.to_string()),
    }
}

/// A date-formatted number as the date Excel displays ("2024-01-31", with the time when it has
/// one); durations and out-of-range serials stay numbers.
fn date_cell(d: &ExcelDateTime) -> CellValue {
    let serial = d.as_f64();
    if !d.is_datetime() || !(0.0..2_958_466.0).contains(&serial) {
        return CellValue::Number(serial);
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        CellValue::Text(format!("{y:04}-{mo:02}-{day:02}"))
    } else {
        CellValue::Text(format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}"))
    }
}

/// A merge from calamine's reader, made as every reader makes one ([`merge_between`]):
/// calamine keeps a reversed reference such as "D5:B2" as written, which would cover no cell.
fn merge_of(d: &Dimensions) -> Option<Merge> {
    merge_between(d.start, d.end)
}

/// A workbook-level failure: the file is damaged or not what its structure claims.
fn book_error(file: &str, detail: &str) -> ReadError {
    ReadError::Corrupt {
        file: file.into(),
        detail: format!("工作簿结构无法解析：{detail}"),
    }
}

/// A sheet-level failure.
fn sheet_error(file: &str, sheet: &str, detail: &str) -> ReadError {
    ReadError::Sheet {
        file: file.into(),
        sheet: sheet.into(),
        detail: detail.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::MAX_COLUMNS;
    use calamine::ExcelDateTimeType;

    #[test]
    fn merges_from_calamine_are_read_as_our_own_scan_reads_them() {
        let reversed = Dimensions {
            start: (4, 3),
            end: (1, 1),
        };
        let merge = merge_of(&reversed).unwrap();
        let corners = (
            merge.first_row,
            merge.first_col,
            merge.last_row,
            merge.last_col,
        );
        assert_eq!(corners, (1, 1, 4, 3));
        assert_eq!(Some(merge), merges::parse_ref("D5:B2"));
        // Beyond Excel's last column (XFD): no merge, as our own scan reads it.
        let beyond = Dimensions {
            start: (0, 0),
            end: (0, MAX_COLUMNS),
        };
        assert_eq!(merge_of(&beyond), None);
        assert_eq!(merges::parse_ref("A1:XFE1"), None);
    }

    #[test]
    fn error_texts_of_formulas() {
        for text in ["#DIV/0!", "#REF!", "#N/A", "Err:502"] {
            assert!(is_error_text(text), "{text}");
        }
        for text in ["#DIV/0", "Err:", "Err:5x", "行政运行", "#REF! "] {
            assert!(!is_error_text(text), "{text}");
        }
    }

    #[test]
    fn dates_display_as_dates() {
        let d = ExcelDateTime::new(45322.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_cell(&d), CellValue::Text("2024-01-31".into()));
        let d = ExcelDateTime::new(45322.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_cell(&d), CellValue::Text("2024-01-31 12:00:00".into()));
        let d = ExcelDateTime::new(-1.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(date_cell(&d), CellValue::Number(-1.0));
    }

    #[test]
    fn budget_refuses_far_cells() {
        let mut grid = Grid::new("a.xlsx", "S");
        let mut budget = Budget(100);
        assert!(put(&mut grid, &mut budget, (0, 5), CellValue::Bool(true)).is_ok());
        assert_eq!(budget.0, 93); // one row and six cells
        assert_eq!(*grid.cell(0, 5), CellValue::Bool(true));
        assert!(matches!(
            put(&mut grid, &mut budget, (3, 200), CellValue::Bool(true)),
            Err(ReadError::TooManyCells { .. })
        ));
    }
}
