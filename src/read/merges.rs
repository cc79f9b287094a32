//! Merged ranges without a second XML parse of each sheet: calamine's xlsx merge reader
//! tokenises the whole worksheet again, while the `<mergeCells>` list sits after `</sheetData>`.
//! Here each sheet part is inflated and only its tail is scanned. ODS merges (which calamine
//! does not report) come from `table:number-columns-spanned`/`number-rows-spanned` in
//! content.xml.
//!
//! Every function returns `None` when anything is unexpected; the caller then falls back to
//! calamine (xlsx) or reports no merges (ods). Not for cell values.

use crate::grid::Merge;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The worksheet parts of an xlsx workbook by sheet name ("表2" -> "xl/worksheets/sheet1.xml").
pub struct XlsxParts<'a> {
    archive: Archive<'a>,
    paths: HashMap<String, String>,
}

impl<'a> XlsxParts<'a> {
    /// Maps sheet names to parts from xl/workbook.xml and its relationships.
    pub fn new(bytes: &'a [u8]) -> Option<XlsxParts<'a>> {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let rels = targets(&inflate(&mut archive, "xl/_rels/workbook.xml.rels")?)?;
        let mut paths = HashMap::new();
        let workbook = inflate(&mut archive, "xl/workbook.xml")?;
        let mut reader = quick_xml::Reader::from_reader(workbook.as_slice());
        let mut buf = Vec::new();
        loop {
            match reader.read_event_into(&mut buf).ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let name = attr(&e, "name")?;
                    let target = rels.get(&attr(&e, "id")?)?;
                    let path = match target.strip_prefix('/') {
                        Some(absolute) => absolute.to_string(),
                        None => format!("xl/{target}"),
                    };
                    paths.insert(name, path);
                }
                Event::Eof => break,
                _ => {}
            }
            buf.clear();
        }
        Some(XlsxParts { archive, paths })
    }

    /// The merged ranges of the named sheet.
    pub fn merges(&mut self, sheet: &str) -> Option<Vec<Merge>> {
        let path = self.paths.get(sheet)?;
        let xml = inflate(&mut self.archive, path)?;
        let xml = std::str::from_utf8(&xml).ok()?;
        let tail = xml.rfind("sheetData>").map_or(xml, |end| &xml[end..]);
        let mut merges = Vec::new();
        for (at, _) in tail.match_indices("mergeCell") {
            let rest = &tail[at + "mergeCell".len()..];
            // `<mergeCell ref=..>` or `<x:mergeCell ..>`, not `<mergeCells`.
            if !rest.starts_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let tag = &rest[..rest.find('>')?];
            merges.push(parse_ref(ref_value(tag)?)?);
        }
        Some(merges)
    }
}

/// A part's bytes, inflated (sizes were checked against the zip-bomb limit when sniffing).
fn inflate(archive: &mut Archive<'_>, name: &str) -> Option<Vec<u8>> {
    let mut entry = archive.by_name(name).ok()?;
    let capacity = usize::try_from(entry.size()).ok()?.min(64 << 20);
    let mut out = Vec::with_capacity(capacity);
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

/// Relationship Id -> Target from a .rels part.
fn targets(rels: &[u8]) -> Option<HashMap<String, String>> {
    let mut reader = quick_xml::Reader::from_reader(rels);
    let mut buf = Vec::new();
    let mut map = HashMap::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                map.insert(attr(&e, "Id")?, attr(&e, "Target")?);
            }
            Event::Eof => return Some(map),
            _ => {}
        }
        buf.clear();
    }
}

/// An attribute's unescaped value, matched on its local name (so `r:id` matches `id`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
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
    let at = tag.find("ref=")?;
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

/// "B2" -> (1, 1); None beyond Excel's limits or when malformed.
fn parse_a1(cell: &str) -> Option<(u32, u32)> {
    let cell = cell.trim().trim_start_matches('$');
    let split = cell.find(|c: char| !c.is_ascii_uppercase())?;
    let (letters, digits) = cell.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A' + 1));
    let row: u32 = digits.trim_start_matches('$').parse().ok()?;
    if !(1..=16_384).contains(&col) || !(1..=1_048_576).contains(&row) {
        return None;
    }
    Some((row - 1, col - 1))
}

/// What one pass over an ODS content.xml tells before calamine parses it.
#[derive(Debug, Default)]
pub struct OdsScan {
    /// Merged ranges by sheet name.
    pub merges: HashMap<String, Vec<Merge>>,
    /// The largest bounding box of non-empty cells over all sheets, in cells (calamine builds
    /// dense ranges of that size).
    pub largest_area: u64,
}

/// ODS merges by sheet name, from content.xml: a cell with `number-columns-spanned` or
/// `number-rows-spanned` greater than one starts a merge. Positions count repeated rows and
/// cells (`number-rows-repeated`, `number-columns-repeated`), covered cells included. Also
/// measures each sheet's used area.
pub fn ods_scan(bytes: &[u8]) -> Option<OdsScan> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = inflate(&mut archive, "content.xml")?;
    let mut reader = quick_xml::Reader::from_reader(content.as_slice());
    let mut buf = Vec::new();
    let mut all: HashMap<String, Vec<Merge>> = HashMap::new();
    let mut largest_area = 0u64;
    let mut used = Span::default();
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
                    used = Span::default();
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
                        used.add(row, row.saturating_add(row_repeat - 1));
                        used.add_col(col, col.saturating_add(repeat - 1));
                        largest_area = largest_area.max(used.area());
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
                });
            }
            _ => {}
        }
        buf.clear();
    }
}

/// The bounding box of a sheet's non-empty cells.
#[derive(Default)]
struct Span {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Span {
    fn add(&mut self, first: u64, last: u64) {
        self.rows = Some(
            self.rows
                .map_or((first, last), |(a, b)| (a.min(first), b.max(last))),
        );
    }
    fn add_col(&mut self, first: u64, last: u64) {
        self.cols = Some(
            self.cols
                .map_or((first, last), |(a, b)| (a.min(first), b.max(last))),
        );
    }
    fn area(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0 + 1).saturating_mul(c1 - c0 + 1),
            _ => 0,
        }
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
        assert_eq!(ref_value(r#" ref="A1:B2"/"#), Some("A1:B2"));
        assert_eq!(ref_value(" ref='C3:D4' "), Some("C3:D4"));
    }
}
