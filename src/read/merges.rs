//! Merged ranges without a second XML parse of each sheet: calamine's xlsx merge reader
//! tokenises the whole worksheet again, while the `<mergeCells>` list sits after `</sheetData>`.
//! Here each sheet part is inflated (straight from the archive's bytes, through [`Parts`]) and
//! only its tail is scanned. ODS merges (which calamine does not report) come from
//! `table:number-columns-spanned`/`number-rows-spanned` in content.xml. (xlsb merges come from
//! the sheet walk in `xlsb`.)
//!
//! Every function returns `None` when anything is unexpected; the caller then falls back to
//! calamine (xlsx) or reports no merges (ods). Not for cell values.

use super::guard::Area;
use super::parts::{Parts, attr, inflate, part_path, targets};
use super::sniff::MAX_UNZIPPED_BYTES;
use super::{MAX_COLUMNS, MAX_ROWS, merge_between};
use crate::grid::Merge;
use memchr::memmem;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::Cursor;

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
    merge_between(parse_a1(first)?, parse_a1(last)?)
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
    use zip::CompressionMethod;
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
