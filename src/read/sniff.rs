//! Sniffing: which reader a file's bytes need, decided from the bytes themselves (magic numbers,
//! zip entry names, OLE stream names), with the extension used only to word an error or to pick
//! between text shapes. Also the zip-bomb guard, since the zip directory is read here anyway.
//!
//! Not for reading cell data: that is the job of `sheet`, `csv` and `text`.

use super::ReadError;
use std::io::{Cursor, Read};

/// The largest total uncompressed size a workbook archive may declare (500 MB). Real budget
/// workbooks are a few hundred KB; anything near this is corrupt or hostile.
pub const MAX_UNZIPPED_BYTES: u64 = 500 * 1024 * 1024;

/// What a file really is, as far as reading goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// Excel 97-2003 workbook (.xls), an OLE compound file with a Workbook stream.
    Xls,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// Anything that decodes as text: CSV, TSV, or disclosure text.
    Text,
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

/// Decides how to read `bytes` (named `file` in errors). Errors for everything that is known to
/// be unreadable: empty files, encrypted workbooks, WPS `.et`, corrupt or oversized zips, and
/// binary files that are not spreadsheets.
pub fn sniff(file: &str, bytes: &[u8]) -> Result<Kind, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty { file: file.into() });
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return sniff_ole(file, bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return sniff_zip(file, bytes);
    }
    if let Some(what) = known_binary(bytes) {
        return Err(ReadError::NotSpreadsheet {
            file: file.into(),
            what: what.into(),
        });
    }
    Ok(Kind::Text)
}

/// True when the file name's extension (case-insensitive) is `ext` (given without the dot).
pub fn has_extension(file: &str, ext: &str) -> bool {
    extension(file).is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// The extension of a file name, without the dot.
pub fn extension(file: &str) -> Option<&str> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty()).then_some(ext)
}

/// OLE2 compound files: legacy .xls, encrypted OOXML, WPS .et, or some other Office document.
fn sniff_ole(file: &str, bytes: &[u8]) -> Result<Kind, ReadError> {
    if has_ole_stream(bytes, "EncryptionInfo") || has_ole_stream(bytes, "EncryptedPackage") {
        return Err(ReadError::Encrypted { file: file.into() });
    }
    if has_extension(file, "et") {
        return Err(ReadError::Wps { file: file.into() });
    }
    if has_ole_stream(bytes, "Workbook") || has_ole_stream(bytes, "Book") {
        return Ok(Kind::Xls);
    }
    let what = if has_ole_stream(bytes, "WordDocument") {
        "Word 文档"
    } else if has_ole_stream(bytes, "PowerPoint Document") {
        "PowerPoint 演示文稿"
    } else {
        "不含工作簿的 OLE 复合文件"
    };
    Err(ReadError::NotSpreadsheet {
        file: file.into(),
        what: what.into(),
    })
}

/// Whether an OLE compound file has a directory entry named `name`. Directory entries are 128
/// bytes, aligned to 128 within sectors of 512 or 4096 bytes, and start with the UTF-16LE name;
/// matching only at aligned offsets keeps cell text from producing false hits.
fn has_ole_stream(bytes: &[u8], name: &str) -> bool {
    let needle: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
    // Name length field (offset 64) counts the terminating NUL, in bytes.
    let declared = (needle.len() + 2) as u16;
    bytes
        .chunks_exact(128)
        .skip(4) // the 512-byte header is never a directory sector
        .any(|entry| {
            entry.starts_with(&needle) && entry.get(64..66) == Some(&declared.to_le_bytes()[..])
        })
}

/// Zip archives: xlsx/xlsm, xlsb, ods, or something else (Word, WPS, plain zip).
fn sniff_zip(file: &str, bytes: &[u8]) -> Result<Kind, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt {
        file: file.into(),
        detail: zip_detail(&e),
    })?;
    guard_size(file, &archive)?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if has("EncryptionInfo") || has("EncryptedPackage") {
        return Err(ReadError::Encrypted { file: file.into() });
    }
    if has("xl/workbook.xml") {
        return Ok(Kind::Xlsx);
    }
    if has("xl/workbook.bin") {
        return Ok(Kind::Xlsb);
    }
    if has("content.xml") && has("mimetype") {
        if is_ods_mimetype(&mut archive) {
            return Ok(Kind::Ods);
        }
        return Err(ReadError::NotSpreadsheet {
            file: file.into(),
            what: "OpenDocument 文本或演示文稿".into(),
        });
    }
    if has_extension(file, "et") {
        return Err(ReadError::Wps { file: file.into() });
    }
    let what = if has("word/document.xml") {
        "Word 文档"
    } else if has("ppt/presentation.xml") {
        "PowerPoint 演示文稿"
    } else {
        "zip 压缩包"
    };
    Err(ReadError::NotSpreadsheet {
        file: file.into(),
        what: what.into(),
    })
}

/// Whether the `mimetype` entry names an OpenDocument spreadsheet (or its template).
fn is_ods_mimetype(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> bool {
    let Ok(entry) = archive.by_name("mimetype") else {
        return false;
    };
    let mut head = Vec::with_capacity(64);
    entry.take(64).read_to_end(&mut head).is_ok() && head.starts_with(ODS_MIME)
}

/// Refuses archives whose declared uncompressed size is absurd (the zip crate bounds each
/// entry's output by its declared size, so the declaration is what needs checking).
fn guard_size(file: &str, archive: &zip::ZipArchive<Cursor<&[u8]>>) -> Result<(), ReadError> {
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let size = archive.by_index_data(index).map_or(0, |entry| entry.size());
        total = total.saturating_add(size);
    }
    if total > MAX_UNZIPPED_BYTES {
        return Err(ReadError::TooLarge {
            file: file.into(),
            megabytes: total / (1024 * 1024),
        });
    }
    Ok(())
}

/// A short Chinese description of a zip error.
pub fn zip_detail(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::Io(_) | ZipError::InvalidArchive(_) => {
            "压缩结构不完整，可能下载或拷贝中断".into()
        }
        ZipError::UnsupportedArchive(_) => "使用了不支持的压缩方式或加密".into(),
        _ => "压缩结构无法解析".into(),
    }
}

/// Common binary formats people rename to .xlsx or .csv by mistake.
fn known_binary(bytes: &[u8]) -> Option<&'static str> {
    const MAGICS: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
        (b"\xFF\xD8\xFF", "JPEG 图片"),
        (b"GIF87a", "GIF 图片"),
        (b"GIF89a", "GIF 图片"),
        (b"BM", "BMP 图片"),
        (b"%PDF", "PDF 文档"),
        (b"Rar!", "RAR 压缩包"),
        (b"7z\xBC\xAF\x27\x1C", "7z 压缩包"),
        (b"\x1F\x8B", "gzip 压缩包"),
        (b"{\\rtf", "RTF 文档"),
        (b"MZ", "可执行程序"),
        (b"\x7FELF", "可执行程序"),
    ];
    MAGICS
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|&(_, what)| what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions() {
        assert!(has_extension("a/b/表2.XLSX", "xlsx"));
        assert!(has_extension("C:\\x\\y.et", "et"));
        assert!(!has_extension(".hidden", "hidden"));
        assert_eq!(extension("noext"), None);
    }

    #[test]
    fn empty_and_binary() {
        assert!(matches!(sniff("a.xlsx", b""), Err(ReadError::Empty { .. })));
        assert!(matches!(
            sniff("a.xlsx", b"\x89PNG\r\n\x1a\n0000"),
            Err(ReadError::NotSpreadsheet { .. })
        ));
        assert_eq!(
            sniff("a.csv", "项目,金额\n".as_bytes()).ok(),
            Some(Kind::Text)
        );
    }

    #[test]
    fn ole_stream_names_match_only_directory_entries() {
        let mut bytes = vec![0u8; 1024];
        bytes[..8].copy_from_slice(&OLE_MAGIC);
        let name: Vec<u8> = "Workbook"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        // Misaligned: not a directory entry.
        bytes[520..520 + name.len()].copy_from_slice(&name);
        assert!(!has_ole_stream(&bytes, "Workbook"));
        // Aligned, with the right length field.
        bytes[640..640 + name.len()].copy_from_slice(&name);
        bytes[640 + 64] = 18;
        assert!(has_ole_stream(&bytes, "Workbook"));
    }
}
