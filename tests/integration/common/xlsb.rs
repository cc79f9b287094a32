//! A minimal XLSB writer, for tests only: nothing on the development machine writes `.xlsb`
//! (LibreOffice imports it but cannot save it), so the tests build real ones from grids.
//!
//! Each grid becomes one worksheet: its cells at their absolute positions (text as shared
//! strings, whole numbers that fit as RK numbers, other numbers as 8-byte floats, booleans,
//! error values), its merged ranges and its hidden flag. The package holds what Excel's own
//! files hold at the least: `[Content_Types].xml`, `_rels/.rels`, `xl/workbook.bin`,
//! `xl/_rels/workbook.bin.rels`, `xl/sharedStrings.bin` and one `xl/worksheets/sheetN.bin` per
//! grid, in BIFF12 records as MS-XLSB describes them (record type and size as 7-bit
//! variable-length integers, then the body). No styles part, so no number formats: a date is
//! written as whatever the grid holds (the text the other readers show). xlsb stores formula
//! results only, and the grid holds results too; a `FormulaWithoutValue` cell has no result to
//! store and is left out.
//!
//! Checked by hand to be real xlsb: LibreOffice 24 (`soffice --headless --convert-to csv`)
//! imports the sample and the seed workbooks written here and shows their cells.
//!
//! Values are stored as constants, or ([`Cells`]) as Excel stores the results of formulas or
//! text typed with rich formatting, records calamine's cell reader handles differently.
//!
//! Not a general writer: no styles, column widths, formulas or anything else.

use std::collections::HashMap;
use std::io::{Cursor, Write};
use yusuan::grid::{CellValue, Grid, Merge};

/// How cell values are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    /// As typed constants: shared strings, RK or 8-byte numbers, booleans, error constants.
    Constants,
    /// As Excel stores what formulas show: BrtFmlaString, BrtFmlaNum, BrtFmlaBool and
    /// BrtFmlaError, each with an empty parsed formula.
    FormulaResults,
    /// Text in the cell itself as a rich string (BrtCellRString, no runs), the rest as
    /// constants.
    RichText,
}

/// The bytes of an `.xlsb` workbook holding `grids`, one worksheet each, in order, with
/// values stored as constants.
pub fn workbook(grids: &[Grid]) -> Vec<u8> {
    workbook_with(grids, Cells::Constants)
}

/// [`workbook`] with the cell values stored as `cells` says.
pub fn workbook_with(grids: &[Grid], cells: Cells) -> Vec<u8> {
    let mut strings = SharedStrings::default();
    let sheets: Vec<Vec<u8>> = grids
        .iter()
        .map(|g| worksheet(g, cells, &mut strings))
        .collect();
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), content_types(grids.len())),
        ("_rels/.rels".into(), PACKAGE_RELS.as_bytes().to_vec()),
        ("xl/workbook.bin".into(), workbook_part(grids)),
        (
            "xl/_rels/workbook.bin.rels".into(),
            workbook_rels(grids.len()),
        ),
        ("xl/sharedStrings.bin".into(), strings.part()),
    ];
    for (i, sheet) in sheets.into_iter().enumerate() {
        parts.push((format!("xl/worksheets/sheet{}.bin", i + 1), sheet));
    }
    zip_of(&parts)
}

/// BIFF12 record types written here (MS-XLSB 2.3.2).
mod record {
    pub const ROW_HEADER: u16 = 0x0000;
    pub const CELL_RK: u16 = 0x0002;
    pub const CELL_ERROR: u16 = 0x0003;
    pub const CELL_BOOL: u16 = 0x0004;
    pub const CELL_REAL: u16 = 0x0005;
    pub const CELL_SHARED_STRING: u16 = 0x0007;
    pub const FORMULA_STRING: u16 = 0x0008;
    pub const FORMULA_NUMBER: u16 = 0x0009;
    pub const FORMULA_BOOL: u16 = 0x000A;
    pub const FORMULA_ERROR: u16 = 0x000B;
    pub const CELL_RICH_STRING: u16 = 0x003E;
    pub const SHARED_STRING_ITEM: u16 = 0x0013;
    pub const BEGIN_SHEET: u16 = 0x0081;
    pub const END_SHEET: u16 = 0x0082;
    pub const BEGIN_BOOK: u16 = 0x0083;
    pub const END_BOOK: u16 = 0x0084;
    pub const BEGIN_BUNDLE_SHEETS: u16 = 0x008F;
    pub const END_BUNDLE_SHEETS: u16 = 0x0090;
    pub const BEGIN_SHEET_DATA: u16 = 0x0091;
    pub const END_SHEET_DATA: u16 = 0x0092;
    pub const SHEET_DIMENSION: u16 = 0x0094;
    pub const BUNDLE_SHEET: u16 = 0x009C;
    pub const BEGIN_SHARED_STRINGS: u16 = 0x009F;
    pub const END_SHARED_STRINGS: u16 = 0x00A0;
    pub const MERGE_CELL: u16 = 0x00B0;
    pub const BEGIN_MERGE_CELLS: u16 = 0x00B1;
    pub const END_MERGE_CELLS: u16 = 0x00B2;
}

/// Appends one record: its type and body size as 7-bit variable-length integers, then the body.
fn push_record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    push_seven_bit(out, u32::from(kind));
    push_seven_bit(out, u32::try_from(body.len()).unwrap());
    out.extend_from_slice(body);
}

/// A number in bytes of seven bits, least significant first, the high bit saying "more".
fn push_seven_bit(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7F) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// An XLWideString: the length in UTF-16 units (u32), then the units.
fn wide_string(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = u32::try_from(units.len()).unwrap().to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// u32s, little-endian, one after another.
fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The workbook's shared string table: each distinct text once, in order of first use.
#[derive(Default)]
struct SharedStrings {
    texts: Vec<String>,
    index: HashMap<String, u32>,
    uses: u32,
}

impl SharedStrings {
    /// The index of `text`, added when new.
    fn index_of(&mut self, text: &str) -> u32 {
        self.uses += 1;
        if let Some(&i) = self.index.get(text) {
            return i;
        }
        let i = u32::try_from(self.texts.len()).unwrap();
        self.texts.push(text.to_string());
        self.index.insert(text.to_string(), i);
        i
    }

    /// xl/sharedStrings.bin: BrtBeginSst (uses, distinct), one BrtSSTItem (a RichStr without
    /// rich runs: flags byte 0, then the string) per text, BrtEndSst.
    fn part(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let distinct = u32::try_from(self.texts.len()).unwrap();
        push_record(
            &mut out,
            record::BEGIN_SHARED_STRINGS,
            &u32s(&[self.uses, distinct]),
        );
        for text in &self.texts {
            let body = [&[0u8][..], &wide_string(text)].concat();
            push_record(&mut out, record::SHARED_STRING_ITEM, &body);
        }
        push_record(&mut out, record::END_SHARED_STRINGS, &[]);
        out
    }
}

/// A worksheet part: BrtBeginSheet, BrtWsDim (the used area), the sheet data (one BrtRowHdr
/// per row with cells, then its cells left to right), the merged ranges, BrtEndSheet.
fn worksheet(grid: &Grid, storage: Cells, strings: &mut SharedStrings) -> Vec<u8> {
    let mut out = Vec::new();
    push_record(&mut out, record::BEGIN_SHEET, &[]);
    push_record(&mut out, record::SHEET_DIMENSION, &u32s(&used_area(grid)));
    push_record(&mut out, record::BEGIN_SHEET_DATA, &[]);
    for (row, cells) in grid.rows.iter().enumerate() {
        let stored: Vec<(usize, &CellValue)> = cells
            .iter()
            .enumerate()
            .filter(|(_, v)| !matches!(v, CellValue::Empty | CellValue::FormulaWithoutValue(_)))
            .collect();
        if stored.is_empty() {
            continue;
        }
        push_record(&mut out, record::ROW_HEADER, &row_header(row));
        for (col, value) in stored {
            let col = u32::try_from(col).unwrap();
            let (kind, body) = match storage {
                Cells::Constants => cell(col, value, strings),
                Cells::FormulaResults => formula_result(col, value),
                Cells::RichText => match value {
                    CellValue::Text(text) => rich_string(col, text),
                    _ => cell(col, value, strings),
                },
            };
            push_record(&mut out, kind, &body);
        }
    }
    push_record(&mut out, record::END_SHEET_DATA, &[]);
    if !grid.merges.is_empty() {
        let count = u32::try_from(grid.merges.len()).unwrap();
        push_record(&mut out, record::BEGIN_MERGE_CELLS, &count.to_le_bytes());
        for m in &grid.merges {
            push_record(&mut out, record::MERGE_CELL, &merge_cell(m));
        }
        push_record(&mut out, record::END_MERGE_CELLS, &[]);
    }
    push_record(&mut out, record::END_SHEET, &[]);
    out
}

/// The used area as BrtWsDim's RfX: first row, last row, first column, last column (all zero
/// for an empty sheet, as Excel writes it).
fn used_area(grid: &Grid) -> [u32; 4] {
    let used = || {
        grid.rows.iter().enumerate().flat_map(|(r, cells)| {
            cells
                .iter()
                .enumerate()
                .filter(|(_, v)| **v != CellValue::Empty)
                .map(move |(c, _)| (r as u32, c as u32))
        })
    };
    let rows = used().map(|(r, _)| r);
    let cols = used().map(|(_, c)| c);
    [
        rows.clone().min().unwrap_or(0),
        rows.max().unwrap_or(0),
        cols.clone().min().unwrap_or(0),
        cols.max().unwrap_or(0),
    ]
}

/// A BrtRowHdr body: the row, style 0, height 300 twips (15 pt), no flags, no column spans.
fn row_header(row: usize) -> Vec<u8> {
    let mut body = u32s(&[u32::try_from(row).unwrap(), 0]);
    body.extend_from_slice(&300u16.to_le_bytes());
    body.extend_from_slice(&[0, 0, 0]);
    body.extend_from_slice(&0u32.to_le_bytes());
    body
}

/// One cell record: the Cell structure (column, then style 0 and flags in four bytes), then
/// the value.
fn cell(col: u32, value: &CellValue, strings: &mut SharedStrings) -> (u16, Vec<u8>) {
    let mut body = u32s(&[col, 0]);
    let kind = match value {
        CellValue::Text(text) => {
            body.extend_from_slice(&strings.index_of(text).to_le_bytes());
            record::CELL_SHARED_STRING
        }
        CellValue::Number(n) => match rk_integer(*n) {
            Some(rk) => {
                body.extend_from_slice(&rk.to_le_bytes());
                record::CELL_RK
            }
            None => {
                body.extend_from_slice(&n.to_le_bytes());
                record::CELL_REAL
            }
        },
        CellValue::Bool(b) => {
            body.push(u8::from(*b));
            record::CELL_BOOL
        }
        CellValue::Error(e) => {
            body.push(error_code(e));
            record::CELL_ERROR
        }
        CellValue::Empty | CellValue::FormulaWithoutValue(_) => unreachable!("not stored"),
    };
    (kind, body)
}

/// One formula cell as Excel stores its result: the Cell structure, the value, two flag bytes,
/// then the parsed formula (here empty: no tokens, no extra data).
fn formula_result(col: u32, value: &CellValue) -> (u16, Vec<u8>) {
    let mut body = u32s(&[col, 0]);
    let kind = match value {
        CellValue::Text(text) => {
            body.extend(wide_string(text));
            record::FORMULA_STRING
        }
        CellValue::Number(n) => {
            body.extend_from_slice(&n.to_le_bytes());
            record::FORMULA_NUMBER
        }
        CellValue::Bool(b) => {
            body.push(u8::from(*b));
            record::FORMULA_BOOL
        }
        CellValue::Error(e) => {
            body.push(error_code(e));
            record::FORMULA_ERROR
        }
        CellValue::Empty | CellValue::FormulaWithoutValue(_) => unreachable!("not stored"),
    };
    body.extend_from_slice(&[0, 0]);
    body.extend(u32s(&[0, 0]));
    (kind, body)
}

/// Text stored in the cell as a RichStr without runs or phonetics: flags 0, then the text.
fn rich_string(col: u32, text: &str) -> (u16, Vec<u8>) {
    let body = [u32s(&[col, 0]), vec![0], wide_string(text)].concat();
    (record::CELL_RICH_STRING, body)
}

/// A whole number in the 30-bit signed range as an RkNumber (integer flag set, not scaled by
/// 100), as Excel stores most whole numbers.
fn rk_integer(n: f64) -> Option<u32> {
    let whole = n.fract() == 0.0 && (-(1 << 29) as f64..(1 << 29) as f64).contains(&n);
    whole.then_some(((n as i32) << 2) as u32 | 0b10)
}

/// The BErr code of an error value's text.
fn error_code(text: &str) -> u8 {
    match text {
        "#NULL!" => 0x00,
        "#DIV/0!" => 0x07,
        "#VALUE!" => 0x0F,
        "#REF!" => 0x17,
        "#NAME?" => 0x1D,
        "#NUM!" => 0x24,
        "#N/A" => 0x2A,
        other => panic!("no xlsb error code for {other}"),
    }
}

/// A BrtMergeCell body: first row, last row, first column, last column.
fn merge_cell(m: &Merge) -> Vec<u8> {
    u32s(&[m.first_row, m.last_row, m.first_col, m.last_col])
}

/// xl/workbook.bin: BrtBeginBook, the sheets (BrtBundleSh: visibility, tab id, relationship
/// id, name) between BrtBeginBundleShs and BrtEndBundleShs, BrtEndBook.
fn workbook_part(grids: &[Grid]) -> Vec<u8> {
    let mut out = Vec::new();
    push_record(&mut out, record::BEGIN_BOOK, &[]);
    push_record(&mut out, record::BEGIN_BUNDLE_SHEETS, &[]);
    for (i, grid) in grids.iter().enumerate() {
        let tab = u32::try_from(i + 1).unwrap();
        let mut body = u32s(&[u32::from(grid.hidden), tab]);
        body.extend(wide_string(&format!("rId{tab}")));
        body.extend(wide_string(&grid.sheet));
        push_record(&mut out, record::BUNDLE_SHEET, &body);
    }
    push_record(&mut out, record::END_BUNDLE_SHEETS, &[]);
    push_record(&mut out, record::END_BOOK, &[]);
    out
}

const PACKAGE_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.bin"/></Relationships>"#;

/// The content types: the workbook, each worksheet and the shared strings.
fn content_types(sheets: usize) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/sharedStrings.bin" ContentType="application/vnd.ms-excel.sharedStrings"/>"#,
    );
    for n in 1..=sheets {
        xml.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.bin" ContentType="application/vnd.ms-excel.worksheet"/>"#
        ));
    }
    xml.push_str("</Types>");
    xml.into_bytes()
}

/// xl/_rels/workbook.bin.rels: rId1.. for the worksheets, then the shared strings.
fn workbook_rels(sheets: usize) -> Vec<u8> {
    let base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for n in 1..=sheets {
        xml.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{base}/worksheet" Target="worksheets/sheet{n}.bin"/>"#
        ));
    }
    xml.push_str(&format!(
        r#"<Relationship Id="rId{}" Type="{base}/sharedStrings" Target="sharedStrings.bin"/></Relationships>"#,
        sheets + 1
    ));
    xml.into_bytes()
}

/// A deflated zip of the parts, in order.
fn zip_of(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in parts {
        zip.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}
