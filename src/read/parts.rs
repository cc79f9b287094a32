//! Parts of a workbook's zip archive, read in memory: one archive and one decompressor per
//! workbook, shared by the shared-string guard, the 单位类型 property, the xlsx merge scan and
//! the xlsb sheet walk, so the zip directory is parsed once and no part is copied needlessly;
//! and the relationships (`.rels`) that map a workbook's sheets to their parts.
//!
//! Every function returns `None` when anything is unexpected: callers fall back to calamine or
//! go without what the part would have told.

use flate2::{Decompress, FlushDecompress, Status};
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use zip::CompressionMethod;

/// A workbook's zip archive over its bytes in memory.
pub type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// The most bytes one part may inflate to here (larger parts fall back to calamine).
const MAX_PART_BYTES: u64 = 64 << 20;

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

    /// A part's bytes (until the next call). The name is matched exactly, else ignoring ASCII
    /// case, as calamine finds parts (a relationship may spell `Worksheets/Sheet1.bin`).
    pub(super) fn get(&mut self, name: &str) -> Option<&[u8]> {
        let index = self.index_of(name)?;
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

    /// The index of the part named `name`, exactly or else ignoring ASCII case.
    fn index_of(&self, name: &str) -> Option<usize> {
        self.archive.index_for_name(name).or_else(|| {
            (0..self.archive.len()).find(|&i| {
                self.archive
                    .name_for_index(i)
                    .is_some_and(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
            })
        })
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
pub(super) fn targets(rels: &[u8]) -> Option<HashMap<String, String>> {
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

/// The archive path of a relationship target: relative to xl/, or absolute with a leading '/'.
pub(super) fn part_path(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("xl/{target}"),
    }
}
