//! The xlsb sheet walk: what calamine's xlsb reader does not give or gives wrongly, from the
//! BIFF12 records of each binary sheet part (MS-XLSB), found by walking their headers:
//! merged ranges (BrtMergeCell, which calamine does not report), a row or column beyond
//! Excel's limits (where calamine's reader stops without a word or builds a grid no worksheet
//! can hold), and the cells calamine passes over (a formula's error result, rich strings).
//! Sheet names map to parts through the BrtBundleSh records of xl/workbook.bin and
//! xl/_rels/workbook.bin.rels.
//!
//! Every function returns `None` when anything is unexpected; the caller then goes without
//! (no merges, no extra cells) and calamine reads the sheet as it can.

use super::parts::{Parts, part_path, targets};
use super::{ERROR_VALUES, MAX_COLUMNS, MAX_ROWS, merge_between};
use crate::grid::{CellValue, Merge};
use std::collections::HashMap;

/// The worksheet parts of an xlsb workbook by sheet name ("表2" ->
/// "xl/worksheets/sheet1.bin"), from the BrtBundleSh records of xl/workbook.bin and
/// xl/_rels/workbook.bin.rels.
pub struct XlsbParts<'a> {
    parts: Parts<'a>,
    paths: HashMap<String, String>,
}

/// What the walk over one xlsb sheet part found.
#[derive(Debug, Default, PartialEq)]
pub struct XlsbSheet {
    /// The merged ranges (BrtMergeCell records), in the order stored.
    pub merges: Vec<Merge>,
    /// The first row or cell of the sheet data beyond Excel's limits, if any (the walk stops
    /// there, so `merges` and `passed_over` are then incomplete).
    pub beyond: Option<Beyond>,
    /// Cells calamine's xlsb reader passes over without a word, by (row, column): a formula
    /// whose result is an error (BrtFmlaError: `#REF!` shown in the cell must not read as an
    /// empty amount) and text stored in the cell as a rich string (BrtCellRString).
    pub passed_over: Vec<((u32, u32), CellValue)>,
}

/// The most passed-over cells one sheet walk collects. Formula errors and rich strings are a
/// handful in a real budget; a sheet with more than this is damaged or hostile, and the walk
/// gives up rather than hold them all (the sheet then has no merges and no extra cells).
const MAX_PASSED_OVER: usize = 100_000;

/// A position in an xlsb sheet's data beyond Excel's limits (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Beyond {
    /// A row header (BrtRowHdr) at or past [`MAX_ROWS`].
    Row(u32),
    /// A cell in a column at or past [`MAX_COLUMNS`].
    Column {
        /// The cell's row.
        row: u32,
        /// The cell's column.
        col: u32,
    },
}

/// BIFF12 record types (MS-XLSB 2.4) that the walks below look at.
mod record {
    /// BrtRowHdr: a row's index (u32) starts its body; the cells after it are in that row.
    pub const ROW_HEADER: u16 = 0x0000;
    /// BrtCellBlank, the first cell record; each cell record's body starts with its column.
    pub const FIRST_CELL: u16 = 0x0001;
    /// BrtFmlaError (a formula whose result is an error), the last cell record of the range.
    pub const LAST_CELL: u16 = 0x000B;
    /// BrtCellRString: text stored in the cell itself, as a rich string.
    pub const RICH_STRING_CELL: u16 = 0x003E;
    /// BrtEndSheet.
    pub const END_SHEET: u16 = 0x0082;
    /// BrtEndBundleShs: after the last BrtBundleSh.
    pub const END_BUNDLE_SHEETS: u16 = 0x0090;
    /// BrtBeginSheetData.
    pub const BEGIN_SHEET_DATA: u16 = 0x0091;
    /// BrtEndSheetData.
    pub const END_SHEET_DATA: u16 = 0x0092;
    /// BrtBundleSh: one sheet of the workbook (state, tab id, relationship id, name).
    pub const BUNDLE_SHEET: u16 = 0x009C;
    /// BrtMergeCell: one merged range (first row, last row, first column, last column).
    pub const MERGE_CELL: u16 = 0x00B0;
}

impl<'a> XlsbParts<'a> {
    /// Maps sheet names to parts from xl/workbook.bin and its relationships.
    pub fn new(mut parts: Parts<'a>) -> Option<XlsbParts<'a>> {
        let rels = targets(parts.get("xl/_rels/workbook.bin.rels")?)?;
        let mut paths = HashMap::new();
        let mut rest = parts.get("xl/workbook.bin")?;
        while !rest.is_empty() {
            let (kind, body) = next_record(&mut rest)?;
            match kind {
                record::BUNDLE_SHEET => {
                    // A sheet without a relationship (a null id) has no part to scan.
                    if let Some((id, name)) = bundle_sheet(body)? {
                        paths.insert(name, part_path(rels.get(&id)?));
                    }
                }
                record::END_BUNDLE_SHEETS => break,
                _ => {}
            }
        }
        Some(XlsbParts { parts, paths })
    }

    /// The sheet whose part is `part` (an archive name, compared ignoring ASCII case).
    pub fn sheet_of(&self, part: &str) -> Option<&str> {
        self.paths
            .iter()
            .find(|(_, path)| path.eq_ignore_ascii_case(part))
            .map(|(sheet, _)| sheet.as_str())
    }

    /// Walks the named sheet's part: its merges, whether its data goes beyond Excel's limits,
    /// and the cells calamine passes over.
    pub fn sheet(&mut self, sheet: &str) -> Option<XlsbSheet> {
        let path = self.paths.get(sheet)?;
        let mut rest = self.parts.get(path)?;
        let mut found = XlsbSheet::default();
        let (mut in_data, mut row) = (false, 0u32);
        while !rest.is_empty() {
            let (kind, body) = next_record(&mut rest)?;
            match kind {
                record::BEGIN_SHEET_DATA => in_data = true,
                record::END_SHEET_DATA => in_data = false,
                record::ROW_HEADER if in_data => {
                    row = u32_at(body, 0)?;
                    if row >= MAX_ROWS {
                        found.beyond = Some(Beyond::Row(row));
                        return Some(found);
                    }
                }
                record::FIRST_CELL..=record::LAST_CELL | record::RICH_STRING_CELL if in_data => {
                    let col = u32_at(body, 0)?;
                    if col >= MAX_COLUMNS {
                        found.beyond = Some(Beyond::Column { row, col });
                        return Some(found);
                    }
                    if let Some(value) = passed_over_value(kind, body)? {
                        let count = found.passed_over.len();
                        match found.passed_over.last_mut() {
                            // The same cell again: the later record wins, as in calamine.
                            Some((at, last)) if *at == (row, col) => *last = value,
                            _ if count >= MAX_PASSED_OVER => return None,
                            _ => found.passed_over.push(((row, col), value)),
                        }
                    }
                }
                // A merge that is short or beyond the sheet is left out, not the whole walk.
                record::MERGE_CELL => found.merges.extend(merge_cell(body)),
                record::END_SHEET => break,
                _ => {}
            }
        }
        Some(found)
    }
}

/// The value of a cell record calamine's xlsb reader skips (see [`XlsbSheet::passed_over`]):
/// `Some(None)` for any other cell record, `None` when such a record is too short. The Cell
/// structure (column, style and flags) takes the body's first eight bytes.
fn passed_over_value(kind: u16, body: &[u8]) -> Option<Option<CellValue>> {
    Some(match kind {
        record::LAST_CELL => Some(CellValue::Error(error_text(*body.get(8)?))),
        // A RichStr: one flags byte, then the text (any runs and phonetics after it are
        // formatting).
        record::RICH_STRING_CELL => Some(CellValue::Text(wide_string(&mut body.get(9..)?)?)),
        _ => None,
    })
}

/// The text of a BErr error code ([`ERROR_VALUES`]); an unknown code is named by its number.
fn error_text(code: u8) -> String {
    match ERROR_VALUES.iter().find(|(c, _)| *c == code) {
        Some((_, text)) => (*text).to_string(),
        None => format!("#错误（代码 0x{code:02X}）"),
    }
}

/// Takes one BIFF12 record off the front of `bytes`: its header (see [`record_header`]) and
/// its body. `None` when the bytes end inside a header or the body runs past the end.
fn next_record<'b>(bytes: &mut &'b [u8]) -> Option<(u16, &'b [u8])> {
    let mut rest = *bytes;
    let (kind, size) = record_header(&mut rest)?;
    let size = usize::try_from(size).ok()?;
    let body = rest.get(..size)?;
    *bytes = &rest[size..];
    Some((kind, body))
}

/// Reads a BIFF12 record header as calamine reads it: the type in one or two bytes and the
/// body's size in one to four, each of seven bits with the high bit saying another byte
/// follows (the last allowed byte ends the number whatever its high bit says, so both walk
/// the same records). `None` when the bytes end first. Shared by the sheet walk here and the
/// record-length guard, which streams parts.
pub(super) fn record_header(bytes: &mut impl std::io::Read) -> Option<(u16, u64)> {
    let kind = seven_bit_number(bytes, 2)?;
    let size = seven_bit_number(bytes, 4)?;
    Some((u16::try_from(kind).ok()?, u64::from(size)))
}

/// A little-endian number in at most `max_bytes` bytes of seven bits each (see
/// [`record_header`]).
fn seven_bit_number(bytes: &mut impl std::io::Read, max_bytes: u32) -> Option<u32> {
    let mut value = 0u32;
    for i in 0..max_bytes {
        let mut byte = [0u8];
        bytes.read_exact(&mut byte).ok()?;
        let byte = byte[0];
        value |= u32::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 || i + 1 == max_bytes {
            return Some(value);
        }
    }
    None
}

/// The relationship id and name of a BrtBundleSh body (state u32, tab id u32, then the id as
/// a nullable and the name as a plain length-prefixed UTF-16 string); `Some(None)` for a null
/// id.
fn bundle_sheet(body: &[u8]) -> Option<Option<(String, String)>> {
    let mut rest = body.get(8..)?;
    if u32_at(rest, 0)? == u32::MAX {
        return Some(None);
    }
    let id = wide_string(&mut rest)?;
    let name = wide_string(&mut rest)?;
    Some(Some((id, name)))
}

/// Takes a length-prefixed (u32 characters) UTF-16LE string off the front of `bytes`.
fn wide_string(bytes: &mut &[u8]) -> Option<String> {
    let chars = usize::try_from(u32_at(bytes, 0)?).ok()?;
    let end = chars.checked_mul(2)?.checked_add(4)?;
    let units: Vec<u16> = bytes
        .get(4..end)?
        .chunks_exact(2)
        .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    *bytes = &bytes[end..];
    // Lossy, as calamine decodes names and texts: a sheet name keeps the same key here.
    Some(String::from_utf16_lossy(&units))
}

/// A BrtMergeCell body (first row, last row, first column, last column) as a merge; `None`
/// when short or beyond Excel's limits.
fn merge_cell(body: &[u8]) -> Option<Merge> {
    let [first_row, last_row, first_col, last_col] = [0, 4, 8, 12].map(|at| u32_at(body, at));
    merge_between((first_row?, first_col?), (last_row?, last_col?))
}

/// The little-endian u32 at `at` in `bytes`.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::merges::parse_ref;
    use std::io::{Cursor, Write};
    use zip::write::SimpleFileOptions;
    /// One BIFF12 record: type and size as 7-bit variable-length numbers, then the body.
    fn record(kind: u16, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mut value, _) in [(u32::from(kind), 2), (body.len() as u32, 4)] {
            loop {
                let byte = (value & 0x7F) as u8;
                value >>= 7;
                if value == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
        }
        out.extend_from_slice(body);
        out
    }

    fn wide(text: &str) -> Vec<u8> {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut out = (units.len() as u32).to_le_bytes().to_vec();
        out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        out
    }

    fn u32s(values: &[u32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// An xlsb package: sheet 表2 (rId1, visible) and a sheet with a null relationship id,
    /// with `sheet` as the part of 表2.
    fn xlsb_workbook(sheet: &[u8]) -> Vec<u8> {
        let bundle = |id: Option<&str>, name: &str| {
            let mut body = u32s(&[0, 1]);
            body.extend(id.map_or(u32::MAX.to_le_bytes().to_vec(), wide));
            body.extend(wide(name));
            record(record::BUNDLE_SHEET, &body)
        };
        let workbook = [
            record(0x0083, &[]),
            record(0x008F, &[]),
            bundle(Some("rId1"), "表2"),
            bundle(None, "无关系"),
            record(record::END_BUNDLE_SHEETS, &[]),
            record(0x0084, &[]),
        ]
        .concat();
        let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.bin"/></Relationships>"#;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in [
            ("xl/_rels/workbook.bin.rels", rels.as_bytes()),
            ("xl/workbook.bin", &workbook),
            ("xl/worksheets/sheet1.bin", sheet),
        ] {
            zip.start_file(name, SimpleFileOptions::default()).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A sheet part's records: one row header, one cell, then the sheet data's end and `tail`.
    fn sheet_records(row: u32, col: u32, tail: &[u8]) -> Vec<Vec<u8>> {
        let row_header = [u32s(&[row, 0]), vec![0; 9]].concat();
        vec![
            record(0x0081, &[]),
            record(0x0094, &u32s(&[0, 0, 0, 0])),
            record(record::BEGIN_SHEET_DATA, &[]),
            record(record::ROW_HEADER, &row_header),
            record(
                0x0005,
                &[u32s(&[col, 0]), 1.5f64.to_le_bytes().to_vec()].concat(),
            ),
            record(record::END_SHEET_DATA, &[]),
            tail.to_vec(),
            record(record::END_SHEET, &[]),
        ]
    }

    fn sheet_part(row: u32, col: u32, tail: &[u8]) -> Vec<u8> {
        sheet_records(row, col, tail).concat()
    }

    fn xlsb_sheet(sheet: &[u8]) -> Option<XlsbSheet> {
        let bytes = xlsb_workbook(sheet);
        XlsbParts::new(Parts::open(&bytes)?)?.sheet("表2")
    }

    #[test]
    fn xlsb_merges_from_merge_cell_records() {
        // Rows and columns in either order, as parse_ref takes them; a two-byte record type
        // (BrtBeginMergeCells, 0x00B1) and the merges after the sheet data.
        let merges = [
            record(0x00B1, &2u32.to_le_bytes()),
            record(record::MERGE_CELL, &u32s(&[1, 1, 1, 4])),
            record(record::MERGE_CELL, &u32s(&[9, 2, 0, 0])),
            record(0x00B2, &[]),
        ]
        .concat();
        let found = xlsb_sheet(&sheet_part(3, 2, &merges)).unwrap();
        assert_eq!(
            found.merges,
            [parse_ref("B2:E2").unwrap(), parse_ref("A3:A10").unwrap()]
        );
        assert_eq!(found.beyond, None);
        // A sheet without a part of its own, or not in the workbook, has no scan.
        let bytes = xlsb_workbook(&sheet_part(3, 2, &merges));
        let mut parts = XlsbParts::new(Parts::open(&bytes).unwrap()).unwrap();
        assert_eq!(parts.sheet("无关系"), None);
        assert_eq!(parts.sheet("表3"), None);
    }

    #[test]
    fn xlsb_walk_supplies_the_cells_calamine_passes_over() {
        // B4 a formula showing #REF! (BrtFmlaError: the Cell, the error code, two flag bytes,
        // an empty parsed formula), C4 a rich string (flags 0, then the text), D4 an error
        // code no version of Excel writes.
        let fmla_error = |col: u32, code: u8| {
            let body = [u32s(&[col, 0]), vec![code, 0, 0], u32s(&[0, 0])].concat();
            record(record::LAST_CELL, &body)
        };
        let rich = [u32s(&[2, 0]), vec![0], wide("一般公共服务支出")].concat();
        let sheet = [
            record(0x0081, &[]),
            record(record::BEGIN_SHEET_DATA, &[]),
            record(record::ROW_HEADER, &[u32s(&[3, 0]), vec![0; 9]].concat()),
            fmla_error(1, 0x17),
            record(record::RICH_STRING_CELL, &rich),
            fmla_error(3, 0x99),
            record(record::END_SHEET_DATA, &[]),
            record(record::END_SHEET, &[]),
        ]
        .concat();
        let found = xlsb_sheet(&sheet).unwrap();
        assert_eq!(
            found.passed_over,
            [
                ((3, 1), CellValue::Error("#REF!".into())),
                ((3, 2), CellValue::Text("一般公共服务支出".into())),
                ((3, 3), CellValue::Error("#错误（代码 0x99）".into())),
            ]
        );
        // The same cell again keeps the later value; more cells than a budget holds give up.
        let row = record(record::ROW_HEADER, &[u32s(&[3, 0]), vec![0; 9]].concat());
        let at = |col: u32| fmla_error(col, 0x07);
        let repeated = [
            record(record::BEGIN_SHEET_DATA, &[]),
            row.clone(),
            fmla_error(1, 0x17),
            at(1),
        ]
        .concat();
        let found = xlsb_sheet(&repeated).unwrap();
        assert_eq!(
            found.passed_over,
            [((3, 1), CellValue::Error("#DIV/0!".into()))]
        );
        let many: Vec<u8> = [record(record::BEGIN_SHEET_DATA, &[]), row]
            .into_iter()
            .chain((0..=MAX_PASSED_OVER as u32).map(|c| at(c % MAX_COLUMNS)))
            .flatten()
            .collect();
        assert_eq!(xlsb_sheet(&many), None);
        // Too short to hold its value: no scan.
        let short = [u32s(&[1, 0])].concat();
        let cut = [
            record(record::BEGIN_SHEET_DATA, &[]),
            record(record::LAST_CELL, &short),
        ]
        .concat();
        assert_eq!(xlsb_sheet(&cut), None);
    }

    proptest::proptest! {
        /// Damaged sheet parts (bytes flipped, the end cut off) never make the walk panic:
        /// nothing around it catches a panic (the reader's catch is for calamine).
        #[test]
        fn the_walk_never_panics(
            flips in proptest::collection::vec((0usize..400, 1u8..=255), 0..8),
            cut in 0usize..400,
        ) {
            let fmla_error = [u32s(&[1, 0]), vec![0x17, 0, 0], u32s(&[0, 0])].concat();
            let rich = [u32s(&[2, 0]), vec![0], wide("行政运行")].concat();
            let tail = [
                record(record::MERGE_CELL, &u32s(&[1, 1, 1, 4])),
                record(record::LAST_CELL, &fmla_error),
                record(record::RICH_STRING_CELL, &rich),
            ]
            .concat();
            let mut part = sheet_part(3, 2, &tail);
            let len = part.len();
            for (at, mask) in flips {
                part[at % len] ^= mask;
            }
            part.truncate(cut);
            let _ = xlsb_sheet(&part);
        }
    }

    #[test]
    fn xlsb_walk_refuses_damage_and_notes_positions_beyond_the_sheet() {
        let merge = record(record::MERGE_CELL, &u32s(&[1, 1, 1, 4]));
        let records = sheet_records(3, 2, &merge);
        let whole = records.concat();
        let ends: Vec<usize> = records
            .iter()
            .scan(0, |end, r| {
                *end += r.len();
                Some(*end)
            })
            .collect();
        // Cut inside a record: no scan (the caller reports no merges). Cut between records:
        // what came before the cut.
        for cut in 1..whole.len() {
            let found = xlsb_sheet(&whole[..cut]);
            assert_eq!(found.is_some(), ends.contains(&cut), "cut at {cut}");
        }
        // A merge beyond the sheet, or one too short, is left out; the walk goes on.
        let far = record(record::MERGE_CELL, &u32s(&[0, 0, 0, MAX_COLUMNS]));
        let short = record(record::MERGE_CELL, &u32s(&[0, 0, 0]));
        let mixed = [far, short, merge.clone()].concat();
        let found = xlsb_sheet(&sheet_part(3, 2, &mixed)).unwrap();
        assert_eq!(found.merges, [parse_ref("B2:E2").unwrap()]);
        // The last row and column are in; one past either is noted.
        let last = xlsb_sheet(&sheet_part(MAX_ROWS - 1, MAX_COLUMNS - 1, &merge)).unwrap();
        assert_eq!(last.beyond, None);
        let row = xlsb_sheet(&sheet_part(MAX_ROWS, 0, &merge)).unwrap();
        assert_eq!(row.beyond, Some(Beyond::Row(MAX_ROWS)));
        let col = xlsb_sheet(&sheet_part(7, MAX_COLUMNS, &merge)).unwrap();
        assert_eq!(
            col.beyond,
            Some(Beyond::Column {
                row: 7,
                col: MAX_COLUMNS
            })
        );
    }

    #[test]
    fn biff12_record_headers() {
        // A two-byte type and a two-byte size.
        let body = vec![7u8; 200];
        let bytes = record(0x0269, &body);
        assert_eq!(&bytes[..4], [0xE9, 0x04, 0xC8, 0x01]);
        let mut rest = bytes.as_slice();
        assert_eq!(next_record(&mut rest), Some((0x0269, body.as_slice())));
        assert!(rest.is_empty());
        // The second type byte and the fourth size byte end their numbers whatever their high
        // bit says, as calamine reads them; a body past the end is no record.
        let mut rest = &[0x80, 0x80, 0x01, 0x09][..];
        assert_eq!(next_record(&mut rest), Some((0, &[0x09][..])));
        assert_eq!(
            next_record(&mut &[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][..]),
            None
        );
        assert_eq!(next_record(&mut &[0x01, 0x05, 1, 2, 3][..]), None);
        // A name with an unpaired surrogate is read as calamine reads it.
        let mut name = &[1, 0, 0, 0, 0x00, 0xD8][..];
        assert_eq!(wide_string(&mut name).as_deref(), Some("\u{FFFD}"));
    }
}
