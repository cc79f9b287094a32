//! Pre-flight checks for allocations calamine sizes from the file's own claims, which it does
//! without limit and which abort the process (not panic) when absurd: an xls DIMENSIONS record
//! or cell positions spanning billions of cells (its ranges are dense), and an xlsx shared
//! string table claiming billions of entries, an xlsb record claiming more bytes than its part.
//! An xls compound file the `cfb` crate rejects is refused rather than handed to calamine.
//!
//! Not for validating content: only sizes that would exhaust memory.

use super::ReadError;
use super::parts::{Parts, part_path, targets};
use super::sheet::MAX_CELLS;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Refuses an xls whose sheets declare or use an area beyond [`MAX_CELLS`], and one whose
/// compound-file structure is malformed (calamine tolerates some malformations, and then sizes
/// allocations from garbage; a process abort in a batch of a thousand units is worse than
/// asking for one file to be saved again).
pub fn xls(file: &str, bytes: &[u8]) -> Result<(), ReadError> {
    let Some(stream) = workbook_stream(bytes).map_err(|_| ReadError::Corrupt {
        file: file.into(),
        detail: "复合文档结构异常".into(),
    })?
    else {
        return Ok(());
    };
    // BOUNDSHEET records name the sheets by their BOF offset: in BIFF8 (BOF version 0x0600)
    // as Latin-1 or UTF-16, in BIFF5 as bytes in the code page of the CODEPAGE record before
    // them.
    let biff8 = stream.get(4..6) == Some(&[0x00, 0x06][..]);
    let mut codepage: Option<u16> = None;
    let mut names: HashMap<usize, String> = HashMap::new();
    let mut name: Option<String> = None;
    let mut sheet = Area::default();
    let mut depth = 0usize;
    let mut rest = stream.as_slice();
    while let [t0, t1, l0, l1, tail @ ..] = rest {
        let at = stream.len() - rest.len();
        let typ = u16::from_le_bytes([*t0, *t1]);
        let len = usize::from(u16::from_le_bytes([*l0, *l1]));
        let Some(data) = tail.get(..len) else { break };
        rest = &tail[len..];
        match typ {
            // FILEPASS: the rest is encrypted; calamine reports the password.
            0x002F => return Ok(()),
            0x0042 => {
                codepage = data.get(..2).map(|b| u16::from_le_bytes([b[0], b[1]]));
                continue;
            }
            0x0085 => {
                if let Some((bof, sheet_name)) = bound_sheet(data, biff8, codepage) {
                    names.insert(bof, sheet_name);
                }
                continue;
            }
            0x0809 => {
                depth += 1;
                if depth == 1 {
                    sheet = Area::default();
                    name = names.get(&at).cloned();
                }
            }
            0x000A => depth = depth.saturating_sub(1),
            0x0200 if !dimensions_fit(data) => return Err(too_large(file, name.as_deref())),
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let [r0, r1, c0, c1, ..] = data {
                    let (row, col) = (
                        u16::from_le_bytes([*r0, *r1]),
                        u16::from_le_bytes([*c0, *c1]),
                    );
                    sheet.add_cell(row, col);
                }
            }
            0x00BD => {
                // MulRk: row, first column, ..., last column in the final two bytes.
                if let ([r0, r1, c0, c1, ..], [.., l0, l1]) = (data, data) {
                    let row = u16::from_le_bytes([*r0, *r1]);
                    sheet.add_cell(row, u16::from_le_bytes([*c0, *c1]));
                    sheet.add_cell(row, u16::from_le_bytes([*l0, *l1]));
                }
            }
            _ => continue,
        }
        if sheet.cells() > MAX_CELLS as u64 {
            return Err(too_large(file, name.as_deref()));
        }
    }
    Ok(())
}

/// The stream offset of a sheet's BOF record and the sheet's name, from a BOUNDSHEET record;
/// `None` when malformed. In BIFF8 the name is a ShortXLUnicodeString (8-bit Latin-1 or
/// UTF-16LE); in BIFF5 its bytes are in the workbook's code page (936 GBK and 950 Big5 for
/// Chinese workbooks, 65001 UTF-8; Windows-1252, BIFF's default, otherwise).
fn bound_sheet(r: &[u8], biff8: bool, codepage: Option<u16>) -> Option<(usize, String)> {
    let [p0, p1, p2, p3, _, _, cch, rest @ ..] = r else {
        return None;
    };
    let bof = usize::try_from(u32::from_le_bytes([*p0, *p1, *p2, *p3])).ok()?;
    let cch = usize::from(*cch);
    if !biff8 {
        let encoding = match codepage {
            Some(936) => encoding_rs::GBK,
            Some(950) => encoding_rs::BIG5,
            Some(65001) => encoding_rs::UTF_8,
            _ => encoding_rs::WINDOWS_1252,
        };
        let (name, _) = encoding.decode_without_bom_handling(rest.get(..cch)?);
        return Some((bof, name.into_owned()));
    }
    let [flags, chars @ ..] = rest else {
        return None;
    };
    let name = if flags & 1 == 0 {
        chars.get(..cch)?.iter().map(|&b| char::from(b)).collect()
    } else {
        let units: Vec<u16> = chars
            .get(..2 * cch)?
            .chunks_exact(2)
            .map(|u| u16::from_le_bytes([u[0], u[1]]))
            .collect();
        String::from_utf16(&units).ok()?
    };
    Some((bof, name))
}

/// The Workbook (BIFF8) or Book (BIFF5) stream of a compound file; `Ok(None)` when there is
/// none (calamine then says so), an error when the compound file is malformed.
fn workbook_stream(bytes: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
    let mut compound = cfb::CompoundFile::open(Cursor::new(bytes))?;
    let Some(name) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| compound.is_stream(n))
    else {
        return Ok(None);
    };
    let mut stream = compound.open_stream(name)?;
    let mut out = Vec::new();
    // A stream cannot be larger than the file holding it.
    (&mut stream)
        .take(bytes.len() as u64)
        .read_to_end(&mut out)?;
    Ok(Some(out))
}

/// Whether a DIMENSIONS record describes an area calamine can reserve: mirrors its parsing,
/// including the cases where its arithmetic would wrap.
fn dimensions_fit(r: &[u8]) -> bool {
    let u16_at = |i: usize| {
        r.get(i..i + 2)
            .map_or(0, |b| u64::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |i: usize| {
        r.get(i..i + 4).map_or(0, |b| {
            u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        })
    };
    let (rf, rl, mut cf, cl) = match r.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return true, // calamine rejects the record itself
    };
    if cf > 0xFF || cl < cf {
        cf = 0;
    }
    if rl == 0 || cl == 0 {
        return true;
    }
    let (end_row, end_col) = (rl - 1, cl - 1);
    if end_row < rf || end_col < cf {
        return false;
    }
    (end_row - rf + 1).saturating_mul(end_col - cf + 1) <= MAX_CELLS as u64
}

/// The bounding box of a sheet's non-empty cells, in cells: calamine's ranges are dense, so
/// this is what it will allocate. Measured here for xls records and in
/// [`ods_scan`](super::merges::ods_scan) for ODS.
#[derive(Default)]
pub(super) struct Area {
    rows: Option<(u64, u64)>,
    cols: Option<(u64, u64)>,
}

impl Area {
    /// Widens the box to cover rows `rows.0..=rows.1` and columns `cols.0..=cols.1`.
    pub(super) fn add(&mut self, rows: (u64, u64), cols: (u64, u64)) {
        let widen = |span: Option<(u64, u64)>, (lo, hi): (u64, u64)| {
            Some(span.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))))
        };
        self.rows = widen(self.rows, rows);
        self.cols = widen(self.cols, cols);
    }

    /// Widens the box to cover one cell.
    fn add_cell(&mut self, row: u16, col: u16) {
        let (row, col) = (u64::from(row), u64::from(col));
        self.add((row, row), (col, col));
    }

    /// The cells in the box (0 when empty), saturating.
    pub(super) fn cells(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some((r0, r1)), Some((c0, c1))) => (r1 - r0)
                .saturating_add(1)
                .saturating_mul((c1 - c0).saturating_add(1)),
            _ => 0,
        }
    }
}

/// Refuses an xlsx whose shared string table claims more entries than its size can hold
/// (each `<si>` takes at least ten bytes). Every part named like a shared string table is
/// checked, since calamine finds it relative to the workbook and ignoring case.
pub fn xlsx_shared_strings(file: &str, parts: &mut Parts<'_>) -> Result<(), ReadError> {
    let archive = parts.archive();
    let tables: Vec<usize> = (0..archive.len())
        .filter(|&index| {
            archive
                .name_for_index(index)
                .is_some_and(|name| name.is_ok_and(|n| is_shared_strings(&n)))
        })
        .collect();
    for index in tables {
        let Some((size, claimed)) = declared_unique_count(parts, index) else {
            continue;
        };
        let room = size / 10 + 16;
        match claimed {
            Some(n) if n > room => {
                return Err(ReadError::Corrupt {
                    file: file.into(),
                    detail: format!("共享字符串表声明了 {n} 个字符串，超出文件实际能容纳的数量"),
                });
            }
            _ => {}
        }
    }
    Ok(())
}

/// The first xlsb part holding a record that declares more bytes than remain in the part:
/// calamine sizes its buffer from a record's declared length (up to 256 MB) before it finds the
/// part too short, so one damaged length byte costs a quarter of a gigabyte per file; such a
/// file is refused instead. Checked are the parts calamine opens: the workbook, shared strings
/// and styles, and every part the workbook's relationships name (whatever its name or size),
/// each streamed through the zip reader, so nothing is held but one record header.
pub fn xlsb_overstated_part(parts: &mut Parts<'_>) -> Option<String> {
    let mut archive = parts.archive().clone();
    let mut wanted: Vec<String> = ["xl/workbook.bin", "xl/sharedStrings.bin", "xl/styles.bin"]
        .map(String::from)
        .to_vec();
    if let Some(rels) = parts.get("xl/_rels/workbook.bin.rels").and_then(targets) {
        wanted.extend(rels.values().map(|target| part_path(target)));
    }
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok())
        .filter(|name| wanted.iter().any(|w| w.eq_ignore_ascii_case(name)))
        .map(|name| name.into_owned())
        .collect();
    names.into_iter().find(|name| {
        archive
            .by_name(name)
            .is_ok_and(|part| overstated_record(std::io::BufReader::new(part)))
    })
}

/// What [`xlsb_overstated_part`] found, in Chinese.
pub const OVERSTATED_RECORD: &str = "文件内部的数据长度与实际内容不符";

/// Record lengths up to this are left to calamine even when the part is shorter (a part cut
/// short mid-record: calamine reports it, having allocated little).
const SMALL_RECORD: u64 = 64 << 10;

/// Whether some record of a BIFF12 part declares a body longer than what remains of the part
/// and than [`SMALL_RECORD`], its header read as calamine reads it
/// ([`record_header`](super::xlsb_parts::record_header)). Bodies are skipped as they stream
/// by; the walk ends at the part's end or at a damaged record calamine reports itself.
fn overstated_record(mut part: impl Read) -> bool {
    while let Some((_, size)) = super::xlsb_parts::record_header(&mut part) {
        match std::io::copy(&mut (&mut part).take(size), &mut std::io::sink()) {
            Ok(n) if n == size => {}
            Ok(_) => return size > SMALL_RECORD,
            Err(_) => return false,
        }
    }
    false
}

/// Whether a part name ends with "sharedstrings.xml", ignoring ASCII case.
fn is_shared_strings(name: &str) -> bool {
    const SUFFIX: &[u8] = b"sharedstrings.xml";
    name.len()
        .checked_sub(SUFFIX.len())
        .and_then(|at| name.as_bytes().get(at..))
        .is_some_and(|tail| tail.eq_ignore_ascii_case(SUFFIX))
}

/// How many leading bytes of a shared string table are inflated to find its `<sst>` element
/// (the XML declaration and the element take under 200).
const SST_HEAD_BYTES: usize = 512;

/// The declared size of the part at `index` and the `uniqueCount` of its first element when
/// that is `<sst>`; `None` when the part cannot be opened. Only the part's head is inflated
/// (with the workbook's one decompressor) when the element lies within it; otherwise, and for
/// parts shorter than the head, the zip reader streams the part as far as the element.
fn declared_unique_count(parts: &mut Parts<'_>, index: usize) -> Option<(u64, Option<u64>)> {
    if let Some((size, head)) = parts.head(index, SST_HEAD_BYTES)
        && let Some(claimed) = first_element_count(&mut quick_xml::Reader::from_reader(head))
    {
        return Some((size, claimed));
    }
    // A cheap clone: the archive's directory is shared.
    let mut archive = parts.archive().clone();
    let entry = archive.by_index(index).ok()?;
    let size = entry.size();
    let reader = std::io::BufReader::with_capacity(512, entry);
    let claimed = first_element_count(&mut quick_xml::Reader::from_reader(reader)).flatten();
    Some((size, claimed))
}

/// What the first element says: `Some(count)` once it is read (the `uniqueCount` of an
/// `<sst>`, `None` for another element or a missing or malformed count), `None` when the XML
/// ends or fails before it.
fn first_element_count<R: std::io::BufRead>(
    reader: &mut quick_xml::Reader<R>,
) -> Option<Option<u64>> {
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                if e.local_name().as_ref() != "sst" {
                    return Some(None);
                }
                let count = super::parts::attr(&e, "uniqueCount");
                return Some(count.and_then(|n| n.trim().parse().ok()));
            }
            quick_xml::events::Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The error for an absurd declared or used area, naming the sheet when its name is known.
fn too_large(file: &str, sheet: Option<&str>) -> ReadError {
    match sheet {
        Some(sheet) => ReadError::TooManyCells {
            file: file.into(),
            sheet: sheet.into(),
        },
        None => ReadError::Corrupt {
            file: file.into(),
            detail: "某个工作表声明或使用的数据范围超过 400 万个单元格；如确为正常文件，请删除多余的行列后另存为 .xlsx"
                .into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dimensions() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            let mut r = Vec::new();
            r.extend(rf.to_le_bytes());
            r.extend(rl.to_le_bytes());
            r.extend(cf.to_le_bytes());
            r.extend(cl.to_le_bytes());
            r.extend([0, 0]);
            r
        };
        assert!(dimensions_fit(&biff8(0, 100, 0, 10)));
        assert!(dimensions_fit(&biff8(0, 0, 0, 0)));
        assert!(!dimensions_fit(&biff8(0, 4_000_000_000, 0, 200)));
        // calamine would compute (rl - 1) - rf + 1 with rf > rl - 1: wraps.
        assert!(!dimensions_fit(&biff8(50, 10, 0, 5)));
    }

    /// A BIFF5 record: type, length, data.
    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend(u16::try_from(data.len()).unwrap().to_le_bytes());
        r.extend(data);
        r
    }

    /// A BIFF5 workbook (a compound file with a Book stream) whose one sheet, named `name` in
    /// code page 936, declares 65,535 rows by 256 columns in its DIMENSIONS record.
    fn biff5_with_huge_sheet(name: &str) -> Vec<u8> {
        use std::io::Write;
        let bof = |kind: u16| {
            record(
                0x0809,
                &[&0x0500u16.to_le_bytes()[..], &kind.to_le_bytes(), &[0; 4]].concat(),
            )
        };
        let (gbk, _, _) = encoding_rs::GBK.encode(name);
        let globals_len = bof(5).len() + record(0x0042, &[0, 0]).len() + 4 + 7 + gbk.len() + 4;
        let mut sheet_entry = u32::try_from(globals_len).unwrap().to_le_bytes().to_vec();
        sheet_entry.extend([0, 0, u8::try_from(gbk.len()).unwrap()]);
        sheet_entry.extend(gbk.iter());
        let mut stream = bof(5);
        stream.extend(record(0x0042, &936u16.to_le_bytes()));
        stream.extend(record(0x0085, &sheet_entry));
        stream.extend(record(0x000A, &[]));
        assert_eq!(stream.len(), globals_len);
        stream.extend(bof(0x10));
        let dims: Vec<u8> = [0u16, 65_535, 0, 256, 0]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect();
        stream.extend(record(0x0200, &dims));
        stream.extend(record(0x000A, &[]));
        let mut compound = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        compound
            .create_stream("/Book")
            .unwrap()
            .write_all(&stream)
            .unwrap();
        compound.flush().unwrap();
        compound.into_inner().into_inner()
    }

    #[test]
    fn a_too_large_biff5_sheet_is_named_in_its_code_page() {
        let err = xls("旧.xls", &biff5_with_huge_sheet("表3")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "旧.xls 的工作表「表3」数据范围过大（超过 400 万个单元格），请删除多余的行列后另存为 .xlsx"
        );
    }

    /// A workbook archive holding only a shared string table claiming `claimed` strings, with
    /// `padding` strings of ten bytes, written with `method`.
    fn with_shared_strings(
        claimed: u64,
        padding: usize,
        method: zip::CompressionMethod,
    ) -> Vec<u8> {
        use std::io::Write;
        let mut text = format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="{claimed}">"#
        );
        text.push_str(&"<si><t/></si>".repeat(padding));
        text.push_str("</sst>");
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file("xl/SharedStrings.xml", options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
        zip.finish().unwrap().into_inner()
    }

    #[test]
    fn shared_string_claims_are_read_from_long_and_short_tables() {
        for method in [
            zip::CompressionMethod::Stored,
            zip::CompressionMethod::Deflated,
        ] {
            // 200 strings: past the inflated head; 2: shorter than it (streamed instead).
            for padding in [200, 2] {
                let check = |claimed: u64| {
                    let bytes = with_shared_strings(claimed, padding, method);
                    xlsx_shared_strings("a.xlsx", &mut Parts::open(&bytes).unwrap())
                };
                assert!(check(padding as u64).is_ok());
                assert!(matches!(
                    check(4_000_000_000),
                    Err(ReadError::Corrupt { detail, .. }) if detail.contains("4000000000")
                ));
            }
        }
    }

    #[test]
    fn xlsb_records_longer_than_their_part_are_found_as_calamine_reads_them() {
        // Type 0x0081 (two bytes), then sizes in one to four bytes of seven bits.
        let record = |size: &[u8], body: usize| [&[0x81, 0x01][..], size, &vec![0; body]].concat();
        let overstated = |part: &[u8]| overstated_record(part);
        let fine = [record(&[0x03], 3), record(&[0x80, 0x01], 128)].concat();
        assert!(!overstated(&fine));
        // 2^28 - 1 declared in a part of a few bytes.
        assert!(overstated(&record(&[0xFF, 0xFF, 0xFF, 0x7F], 2)));
        // calamine reads at most four size bytes, whatever the fourth's high bit says.
        assert!(overstated(&record(&[0xFF, 0xFF, 0xFF, 0xFF], 2)));
        // A part cut inside a small record is calamine's to report.
        assert!(!overstated(&record(&[0x40], 10)));
        assert!(!overstated(&[0x81]));
        // After a good record too.
        let late = [record(&[0x01], 1), record(&[0x80, 0x80, 0x40], 0)].concat();
        assert!(overstated(&late));
    }

    proptest::proptest! {
        /// Any bytes: the record-length walk never panics (nothing around it catches one).
        #[test]
        fn the_record_length_walk_never_panics(
            part in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        ) {
            let _ = overstated_record(part.as_slice());
        }
    }

    #[test]
    fn area() {
        let mut a = Area::default();
        assert_eq!(a.cells(), 0);
        a.add_cell(5, 2);
        a.add_cell(9, 0);
        assert_eq!(a.cells(), 15);
        a.add_cell(u16::MAX, u16::MAX);
        assert_eq!(a.cells(), 65_531 * 65_536);
    }
}
