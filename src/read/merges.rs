//! Merged ranges without a second XML parse of each sheet: calamine's xlsx merge reader
//! tokenises the whole worksheet again, while the `<mergeCells>` list sits after `</sheetData>`.
//! Here each sheet part is inflated (straight from the archive's bytes, with one reused
//! decompressor and buffer per workbook) and only its tail is scanned. ODS merges (which
//! calamine does not report) come from `table:number-columns-spanned`/`number-rows-spanned` in
//! content.xml. xlsb merges (which calamine does not report either) come from the BrtMergeCell
//! records of each binary sheet part, found by walking its record headers ([`XlsbParts`]); the
//! same walk notes a row or column beyond Excel's limits, where calamine's xlsb reader stops
//! without a word or builds a grid no worksheet can hold.
//!
//! Every function returns `None` when anything is unexpected; the caller then falls back to
//! calamine (xlsx) or reports no merges (ods, xlsb). Not for cell values.

use super::guard::Area;
use super::sniff::MAX_UNZIPPED_BYTES;
use crate::grid::{CellValue, Merge};
use flate2::{Decompress, FlushDecompress, Status};
use memchr::memmem;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use zip::CompressionMethod;

/// A workbook's zip archive over its bytes in memory.
pub type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The most bytes one part may inflate to here (larger parts fall back to calamine).
const MAX_PART_BYTES: u64 = 64 << 20;

/// Rows in a worksheet (Excel's limit): row indices run from 0 to 1,048,575.
pub const MAX_ROWS: u32 = 1_048_576;

/// Columns in a worksheet (Excel's limit, A to XFD): column indices run from 0 to 16,383.
pub const MAX_COLUMNS: u32 = 16_384;

/// The worksheet parts of an xlsx workbook by sheet name ("表2" -> "xl/worksheets/sheet1.xml").
pub struct XlsxParts<'a> {
    parts: Parts<'a>,
    paths: HashMap<String, String>,
}

impl<'a> XlsxParts<'a> {
    /// Maps sheet names to parts from xl/workbook.xml and its relationships.
    pub fn new(mut parts: Parts<'a>) -> Option<XlsxParts<'a>> {
        let rels = targets(parts.get("xl/_rels/workbook.xml.rels")?)?;
        let mut paths = HashMap::new();
        let mut reader = quick_xml::Reader::from_reader(parts.get("xl/workbook.xml")?);
        loop {
            match reader.read_event().ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attr(&e, "name")?;
                    let target = rels.get(&attr(&e, "id")?)?;
                    paths.insert(name, part_path(target));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        Some(XlsxParts { parts, paths })
    }

    /// The merged ranges of the named sheet.
    pub fn merges(&mut self, sheet: &str) -> Option<Vec<Merge>> {
        let path = self.paths.get(sheet)?;
        let xml = std::str::from_utf8(self.parts.get(path)?).ok()?.as_bytes();
        let tail = memmem::rfind(xml, b"sheetData>").map_or(xml, |end| &xml[end..]);
        let mut merges = Vec::new();
        for at in memmem::find_iter(tail, b"mergeCell") {
            let rest = &tail[at + b"mergeCell".len()..];
            // `<mergeCell ref=..>` or `<x:mergeCell ..>`, not `<mergeCells`.
            if !rest.first().is_some_and(u8::is_ascii_whitespace) {
                continue;
            }
            let tag = std::str::from_utf8(&rest[..memchr::memchr(b'>', rest)?]).ok()?;
            merges.push(parse_ref(ref_value(tag)?)?);
        }
        Some(merges)
    }
}

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
    /// there, so `merges` is then incomplete).
    pub beyond: Option<Beyond>,
    /// Cells calamine's xlsb reader passes over without a word, by (row, column): a formula
    /// whose result is an error (BrtFmlaError: `#REF!` shown in the cell must not read as an
    /// empty amount) and text stored in the cell as a rich string (BrtCellRString).
    pub passed_over: Vec<((u32, u32), CellValue)>,
}

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

    /// Walks the named sheet's part: its merges, and whether its data goes beyond Excel's
    /// limits.
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
                        found.passed_over.push(((row, col), value));
                    }
                }
                record::MERGE_CELL => found.merges.push(merge_cell(body)?),
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

/// The text of a BErr error code (MS-XLSB 2.5.97.2), as calamine spells the same error read
/// from a constant error cell.
fn error_text(code: u8) -> String {
    use calamine::CellErrorType as E;
    let error = match code {
        0x00 => E::Null,
        0x07 => E::Div0,
        0x0F => E::Value,
        0x17 => E::Ref,
        0x1D => E::Name,
        0x24 => E::Num,
        0x2A => E::NA,
        0x2B => E::GettingData,
        other => return format!("#错误（代码 0x{other:02X}）"),
    };
    error.to_string()
}

/// Takes one BIFF12 record off the front of `bytes`: its type (one or two bytes of seven bits,
/// the high bit saying another follows) and its body (the size in one to four such bytes,
/// then that many bytes). `None` when a header is malformed or the body runs past the end.
fn next_record<'b>(bytes: &mut &'b [u8]) -> Option<(u16, &'b [u8])> {
    let mut rest = *bytes;
    let kind = seven_bit_number(&mut rest, 2)?;
    let size = usize::try_from(seven_bit_number(&mut rest, 4)?).ok()?;
    let body = rest.get(..size)?;
    *bytes = &rest[size..];
    Some((u16::try_from(kind).ok()?, body))
}

/// A little-endian number in at most `max_bytes` bytes of seven bits each (the high bit of a
/// byte says another follows).
fn seven_bit_number(bytes: &mut &[u8], max_bytes: u32) -> Option<u32> {
    let mut value = 0u32;
    for i in 0..max_bytes {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u32::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
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
    String::from_utf16(&units).ok()
}

/// A BrtMergeCell body (first row, last row, first column, last column) as a merge; `None`
/// when short or beyond Excel's limits.
fn merge_cell(body: &[u8]) -> Option<Merge> {
    let [first_row, last_row, first_col, last_col] = [0, 4, 8, 12].map(|at| u32_at(body, at));
    let (rows, cols) = ([first_row?, last_row?], [first_col?, last_col?]);
    if rows.iter().any(|r| *r >= MAX_ROWS) || cols.iter().any(|c| *c >= MAX_COLUMNS) {
        return None;
    }
    Some(Merge {
        first_row: rows[0].min(rows[1]),
        first_col: cols[0].min(cols[1]),
        last_row: rows[0].max(rows[1]),
        last_col: cols[0].max(cols[1]),
    })
}

/// The little-endian u32 at `at` in `bytes`.
fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let four = bytes.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes(four.try_into().ok()?))
}

/// The archive path of a relationship target: relative to xl/, or absolute with a leading '/'.
fn part_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    }
}

/// Reads parts of an archive held in memory: stored parts are borrowed from its bytes,
/// deflated ones inflated into one reused buffer by one reused decompressor. One per workbook:
/// the shared-string guard and the merge scan inflate through it, and the 单位类型 property
/// reads its part through the same archive (its zip reader), so the zip directory is parsed
/// once.
pub struct Parts<'a> {
    archive: Archive<'a>,
    bytes: &'a [u8],
    inflater: Decompress,
    buffer: Vec<u8>,
}

impl<'a> Parts<'a> {
    /// The archive in `bytes`; `None` when its directory cannot be read.
    pub fn open(bytes: &'a [u8]) -> Option<Parts<'a>> {
        Some(Parts {
            archive: zip::ZipArchive::new(Cursor::new(bytes)).ok()?,
            bytes,
            inflater: Decompress::new(false),
            buffer: Vec::new(),
        })
    }

    /// The archive (its directory is shared by clones).
    pub fn archive(&self) -> &Archive<'a> {
        &self.archive
    }

    /// A part's bytes (until the next call).
    fn get(&mut self, name: &str) -> Option<&[u8]> {
        let index = self.archive.index_for_name(name)?;
        let (method, size, raw) = self.raw(index)?;
        match method {
            CompressionMethod::Stored => Some(raw),
            CompressionMethod::Deflated => {
                self.buffer.clear();
                // The declared size bounds the output, as the zip reader does.
                self.buffer.reserve_exact(usize::try_from(size).ok()?);
                self.inflater.reset(false);
                let status = self
                    .inflater
                    .decompress_vec(raw, &mut self.buffer, FlushDecompress::Finish)
                    .ok()?;
                (status == Status::StreamEnd).then_some(self.buffer.as_slice())
            }
            _ => None,
        }
    }

    /// The declared size and first `len` bytes of the part at `index`, when it inflates to
    /// more than that (`None` when it is shorter, unreadable, or neither stored nor deflated).
    /// Only those bytes are inflated.
    pub fn head(&mut self, index: usize, len: usize) -> Option<(u64, &[u8])> {
        let (method, size, raw) = self.raw(index)?;
        match method {
            CompressionMethod::Stored => Some((size, raw.get(..len).filter(|_| raw.len() > len)?)),
            CompressionMethod::Deflated => {
                self.buffer.clear();
                self.buffer.resize(len, 0);
                self.inflater.reset(false);
                let status = self
                    .inflater
                    .decompress(raw, &mut self.buffer, FlushDecompress::None)
                    .ok()?;
                let full = self.inflater.total_out() == len as u64;
                (full && status != Status::StreamEnd).then_some((size, self.buffer.as_slice()))
            }
            _ => None,
        }
    }

    /// The compression method, declared size and raw (compressed) bytes of the part at `index`;
    /// `None` when it is encrypted, declares more than [`MAX_PART_BYTES`] or lies outside the
    /// archive's bytes.
    fn raw(&mut self, index: usize) -> Option<(CompressionMethod, u64, &'a [u8])> {
        let entry = self.archive.by_index_raw(index).ok()?;
        if entry.encrypted() || entry.size() > MAX_PART_BYTES {
            return None;
        }
        let start = usize::try_from(entry.data_start()?).ok()?;
        let len = usize::try_from(entry.compressed_size()).ok()?;
        let raw = self.bytes.get(start..start.checked_add(len)?)?;
        Some((entry.compression(), entry.size(), raw))
    }
}

/// A part's bytes, inflated by the zip reader; `None` when the part is missing or unreadable,
/// or declares or inflates to more than `cap` bytes (a declared size may lie: never more than
/// `cap` plus one byte is inflated).
pub(super) fn inflate(archive: &mut Archive<'_>, name: &str, cap: u64) -> Option<Vec<u8>> {
    let entry = archive.by_name(name).ok()?;
    if entry.size() > cap {
        return None;
    }
    let capacity = usize::try_from(entry.size()).ok()?.min(64 << 20);
    let mut out = Vec::with_capacity(capacity);
    entry
        .take(cap.saturating_add(1))
        .read_to_end(&mut out)
        .ok()?;
    (out.len() as u64 <= cap).then_some(out)
}

/// Relationship Id -> Target from a .rels part.
fn targets(rels: &[u8]) -> Option<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(rels);
    let mut map = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                map.insert(attr(&e, "Id")?, attr(&e, "Target")?);
            }
            Event::Eof => return Some(map),
            _ => {}
        }
    }
}

/// An attribute's unescaped value, matched on its local name (so `r:id` matches `id`).
pub(super) fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    // Unchecked: a duplicate key comes after the first, which `find` returns either way.
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The value of `ref="..."` (or single-quoted) inside a tag's text.
fn ref_value(tag: &str) -> Option<&str> {
    let at = memmem::find(tag.as_bytes(), b"ref=")?;
    let rest = tag.get(at + 4..)?;
    let quote = rest.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let rest = &rest[1..];
    Some(&rest[..rest.find(quote)?])
}

/// "B2:E2" (or a lone "B2") as an absolute merge.
pub fn parse_ref(range: &str) -> Option<Merge> {
    let (first, last) = range.split_once(':').unwrap_or((range, range));
    let (first_row, first_col) = parse_a1(first)?;
    let (last_row, last_col) = parse_a1(last)?;
    Some(Merge {
        first_row: first_row.min(last_row),
        first_col: first_col.min(last_col),
        last_row: first_row.max(last_row),
        last_col: first_col.max(last_col),
    })
}

/// "B2" or "$B$2" -> (1, 1) (0-based row, column); None beyond Excel's limits (1,048,576 rows,
/// 16,384 columns) or when malformed (lower-case letters included: Excel writes upper case).
fn parse_a1(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.trim();
    if cell.bytes().any(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let cell = if cell.contains('$') {
        std::borrow::Cow::Owned(cell.replace('$', ""))
    } else {
        std::borrow::Cow::Borrowed(cell)
    };
    let at = crate::model::CellRef::parse(&cell)?;
    let (row, col) = (u32::try_from(at.row).ok()?, u32::try_from(at.col).ok()?);
    (row < MAX_ROWS && col < MAX_COLUMNS).then_some((row, col))
}

/// What one pass over an ODS content.xml tells before calamine parses it.
#[derive(Debug, Default)]
pub struct OdsScan {
    /// Merged ranges by sheet name.
    pub merges: HashMap<String, Vec<Merge>>,
    /// The largest bounding box of non-empty cells over all sheets, in cells (calamine builds
    /// dense ranges of that size).
    pub largest_area: u64,
    /// The sheet with that bounding box (empty when no sheet has a non-empty cell).
    pub largest_sheet: String,
}

/// ODS merges by sheet name, from content.xml: a cell with `number-columns-spanned` or
/// `number-rows-spanned` greater than one starts a merge. Positions count repeated rows and
/// cells (`number-rows-repeated`, `number-columns-repeated`), covered cells included. Also
/// measures each sheet's used area.
pub fn ods_scan(bytes: &[u8]) -> Option<OdsScan> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    // Sizes were checked against the zip-bomb limit when sniffing.
    let content = inflate(&mut archive, "content.xml", MAX_UNZIPPED_BYTES)?;
    let mut reader = quick_xml::Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    let mut all: HashMap<String, Vec<Merge>> = HashMap::new();
    let (mut largest_area, mut largest_sheet) = (0u64, String::new());
    let mut used = Area::default();
    let mut sheet: Option<String> = None;
    let (mut row, mut col) = (0u64, 0u64);
    let mut row_repeat = 1u64;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "table" => {
                    sheet = Some(attr(&e, "name")?);
                    row = 0;
                    used = Area::default();
                }
                "table-row" => {
                    col = 0;
                    row_repeat = number(&e, "number-rows-repeated");
                    if empty {
                        row += row_repeat;
                    }
                }
                "table-cell" | "covered-table-cell" => {
                    let cols = number(&e, "number-columns-spanned");
                    let rows = number(&e, "number-rows-spanned");
                    if (cols > 1 || rows > 1) && e.local_name().as_ref() == "table-cell" {
                        let merge = Merge {
                            first_row: u32::try_from(row).ok()?,
                            first_col: u32::try_from(col).ok()?,
                            last_row: u32::try_from(row.saturating_add(rows - 1)).ok()?,
                            last_col: u32::try_from(col.saturating_add(cols - 1)).ok()?,
                        };
                        all.entry(sheet.clone()?).or_default().push(merge);
                    }
                    let repeat = number(&e, "number-columns-repeated");
                    if !empty || attr(&e, "value-type").is_some() {
                        used.add(
                            (row, row.saturating_add(row_repeat - 1)),
                            (col, col.saturating_add(repeat - 1)),
                        );
                        if used.cells() > largest_area {
                            largest_area = used.cells();
                            largest_sheet = sheet.clone().unwrap_or_default();
                        }
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "table-row" => {
                row = row.saturating_add(row_repeat);
            }
            Event::Eof => {
                return Some(OdsScan {
                    merges: all,
                    largest_area,
                    largest_sheet,
                });
            }
            _ => {}
        }
        buf.clear();
    }
}

/// A positive count attribute (default 1).
fn number(e: &BytesStart<'_>, local: &str) -> u64 {
    attr(e, local)
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A minimal workbook's parts, each written with `method`.
    fn workbook(method: CompressionMethod) -> Vec<u8> {
        let parts = [
            (
                "xl/_rels/workbook.xml.rels",
                r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
            (
                "xl/workbook.xml",
                r#"<workbook><sheets><sheet name="表&amp;2" r:id="rId1"/></sheets></workbook>"#,
            ),
            (
                "xl/worksheets/sheet1.xml",
                r#"<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData><mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="B2"/></mergeCells></worksheet>"#,
            ),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, text) in parts {
            let options = SimpleFileOptions::default().compression_method(method);
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn merges_from_stored_and_deflated_parts() {
        for method in [CompressionMethod::Stored, CompressionMethod::Deflated] {
            let bytes = workbook(method);
            let mut parts = XlsxParts::new(Parts::open(&bytes).unwrap()).unwrap();
            let merges = parts.merges("表&2").unwrap();
            assert_eq!(
                merges,
                [parse_ref("A1:C1").unwrap(), parse_ref("B2").unwrap()]
            );
            assert_eq!(parts.merges("表2"), None);
        }
    }

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
        // Too short to hold its value: no scan.
        let short = [u32s(&[1, 0])].concat();
        let cut = [
            record(record::BEGIN_SHEET_DATA, &[]),
            record(record::LAST_CELL, &short),
        ]
        .concat();
        assert_eq!(xlsb_sheet(&cut), None);
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
        // A merge beyond the sheet, or one too short.
        let far = record(record::MERGE_CELL, &u32s(&[0, 0, 0, MAX_COLUMNS]));
        assert_eq!(xlsb_sheet(&sheet_part(3, 2, &far)), None);
        let short = record(record::MERGE_CELL, &u32s(&[0, 0, 0]));
        assert_eq!(xlsb_sheet(&sheet_part(3, 2, &short)), None);
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
        // A type of more than two bytes, a size of more than four, a body past the end.
        assert_eq!(next_record(&mut &[0x80, 0x80, 0x01, 0x00][..]), None);
        assert_eq!(
            next_record(&mut &[0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][..]),
            None
        );
        assert_eq!(next_record(&mut &[0x01, 0x05, 1, 2, 3][..]), None);
    }

    #[test]
    fn ods_scan_names_the_sheet_with_the_largest_area() {
        let content = r#"<office:document-content><office:body><office:spreadsheet>
<table:table table:name="小"><table:table-row><table:table-cell office:value-type="float"/></table:table-row></table:table>
<table:table table:name="大"><table:table-row table:number-rows-repeated="3"><table:table-cell table:number-columns-repeated="4" office:value-type="string"/></table:table-row></table:table>
<table:table table:name="空"><table:table-row><table:table-cell/></table:table-row></table:table>
</office:spreadsheet></office:body></office:document-content>"#;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        zip.start_file("content.xml", SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        let bytes = zip.finish().unwrap().into_inner();
        let scan = ods_scan(&bytes).unwrap();
        assert_eq!((scan.largest_area, scan.largest_sheet.as_str()), (12, "大"));
    }

    #[test]
    fn refs() {
        assert_eq!(
            parse_ref("B2:E2"),
            Some(Merge {
                first_row: 1,
                first_col: 1,
                last_row: 1,
                last_col: 4
            })
        );
        assert_eq!(
            parse_ref("AA10").map(|m| (m.first_col, m.last_row)),
            Some((26, 9))
        );
        assert_eq!(parse_ref("A0:B2"), None);
        assert_eq!(parse_ref("XFE1"), None);
        assert_eq!(parse_ref("a1"), None);
        assert_eq!(
            parse_ref("$B$2:C$3"),
            Some(Merge {
                first_row: 1,
                first_col: 1,
                last_row: 2,
                last_col: 2
            })
        );
        assert_eq!(ref_value(r#" ref="A1:B2"/"#), Some("A1:B2"));
        assert_eq!(ref_value(" ref='C3:D4' "), Some("C3:D4"));
    }
}
