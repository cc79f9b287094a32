//! Readers: adapters from files to [`Grid`]s, with one dispatch point on the file's real type
//! (sniffed from its bytes, not trusted from its extension). No budget knowledge lives here.
//!
//! Supported: xlsx, xlsm, xls, xlsb, ods (calamine); CSV/TSV/TXT in UTF-8, UTF-8 with BOM,
//! UTF-16 with BOM, GBK/GB18030 (encoding detected); a folder of such files (one grid per CSV,
//! one per worksheet); and the tab-separated text of a published disclosure document (see
//! [`text`]). Every unreadable input gets a [`ReadError`] in Chinese that names the file and
//! says what to do. Input files are only ever read.
//!
//! Cell values are exact: numbers as `CellValue::Number` (the recogniser converts them), text
//! as stored (CSV fields are always text), cached formula results, `Error("#REF!")`,
//! `FormulaWithoutValue` for a formula that was never calculated (xlsx, xls, ods), and dates as
//! ISO text ("2024-01-31"). Merges come from every workbook format (xlsx, xlsb, xls, ods).
//!
//! Hostile or damaged files: the zip directory's declared size is capped (500 MB), a workbook
//! expands to at most four million grid cells, sizes calamine would reserve from the file's own
//! claims are checked first (`guard`), and a panic inside a parser becomes a `Corrupt` error.
//!
//! One document-level fact travels beside the grids ([`Document`]): an xlsx/xlsm workbook's
//! custom property 单位类型, which yusuan writes into its own output (`props`).
//!
//! Layout: `sniff` (what the bytes are) → `sheet` (calamine, plus `guard` against hostile
//! sizes, `props` for 单位类型, `merges` for xlsx and ods, `xlsb_parts` for what calamine's
//! xlsb reader misses, all reading the archive through `parts`) or `csv` (decoding,
//! delimiters) or [`text`] (disclosure documents); `folder` for directories.

mod csv;
mod folder;
mod guard;
mod merges;
mod parts;
mod props;
mod sheet;
mod sniff;
pub mod text;
mod xlsb_parts;

/// Rows in a worksheet (Excel's limit): row indices run from 0 to 1,048,575.
pub(crate) const MAX_ROWS: u32 = 1_048_576;

/// Columns in a worksheet (Excel's limit, A to XFD): column indices run from 0 to 16,383.
pub(crate) const MAX_COLUMNS: u32 = 16_384;

/// The merged range between two corners given in any order, as (row, column), 0-based; `None`
/// when either lies beyond Excel's limits. Every reader makes its merges through this, so a
/// reversed reference ("D5:B2") covers the same cells whichever format it came in.
pub(crate) fn merge_between(a: (u32, u32), b: (u32, u32)) -> Option<crate::grid::Merge> {
    let inside = |(row, col): (u32, u32)| row < MAX_ROWS && col < MAX_COLUMNS;
    (inside(a) && inside(b)).then(|| crate::grid::Merge {
        first_row: a.0.min(b.0),
        first_col: a.1.min(b.1),
        last_row: a.0.max(b.0),
        last_col: a.1.max(b.1),
    })
}

/// Excel's error values with their codes in binary workbooks (BErr, MS-XLSB 2.5.97.2), spelled
/// as calamine spells them when it reads an error cell.
pub(crate) const ERROR_VALUES: [(u8, &str); 8] = [
    (0x00, "#NULL!"),
    (0x07, "#DIV/0!"),
    (0x0F, "#VALUE!"),
    (0x17, "#REF!"),
    (0x1D, "#NAME?"),
    (0x24, "#NUM!"),
    (0x2A, "#N/A"),
    (0x2B, "#DATA!"),
];

pub use folder::is_own_output;
pub use sniff::{Kind, MAX_UNZIPPED_BYTES, sniff};

use crate::grid::Grid;
use sniff::has_extension;
use std::path::Path;

/// Why a file could not be read. Messages are for the budget officer, in Chinese, and always
/// name the file (and the sheet when one is to blame).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file or folder could not be opened.
    #[error("无法读取文件 {file}：{reason}")]
    Io {
        /// The path as given.
        file: String,
        /// The OS error, as text.
        reason: String,
    },
    /// The path does not exist.
    #[error("找不到文件 {file}：请检查路径和文件名是否正确")]
    NotFound {
        /// The path as given.
        file: String,
    },
    /// The file has no content (or only whitespace).
    #[error("{file}：文件为空，请重新导出或检查是否选错了文件")]
    Empty {
        /// The path as given.
        file: String,
    },
    /// A password-protected (encrypted) workbook.
    #[error(
        "{file}：工作簿设有密码保护（已加密），无法读取。请先在 Excel/WPS 中取消密码保护后另存为 .xlsx"
    )]
    Encrypted {
        /// The path as given.
        file: String,
    },
    /// A WPS spreadsheet in its own format.
    #[error("{file}：这是 WPS 表格专用格式（.et），无法直接读取。请在 WPS 中另存为 .xlsx")]
    Wps {
        /// The path as given.
        file: String,
    },
    /// A damaged or truncated file.
    #[error(
        "{file}：文件已损坏或不完整（{detail}）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx"
    )]
    Corrupt {
        /// The path as given.
        file: String,
        /// What is wrong, in Chinese.
        detail: String,
    },
    /// A binary file that is not a spreadsheet (an image renamed .xlsx, a Word file...).
    #[error("{file}：不是电子表格文件（看起来是{what}）。请提供 .xlsx、.xls 或 .csv 文件")]
    NotSpreadsheet {
        /// The path as given.
        file: String,
        /// What it looks like instead, in Chinese.
        what: String,
    },
    /// A zip archive declaring an absurd uncompressed size (zip bomb guard).
    #[error(
        "{file}：解压后大小异常（约 {megabytes} MB，上限 500 MB），可能已损坏或是恶意构造的文件，已拒绝读取"
    )]
    TooLarge {
        /// The path as given.
        file: String,
        /// The declared uncompressed size in MB.
        megabytes: u64,
    },
    /// A sheet whose used area is absurdly large.
    #[error(
        "{file} 的工作表「{sheet}」数据范围过大（超过 400 万个单元格），请删除多余的行列后另存为 .xlsx"
    )]
    TooManyCells {
        /// The path as given.
        file: String,
        /// The sheet name.
        sheet: String,
    },
    /// Text in an encoding we cannot identify (or binary data named .csv/.txt).
    #[error(
        "{file}：无法识别文本编码（不是 UTF-8、GBK 或 GB18030 文本）。请在 Excel/WPS 中另存为“CSV UTF-8”或 .xlsx"
    )]
    UnknownEncoding {
        /// The path as given.
        file: String,
    },
    /// One worksheet could not be parsed.
    #[error(
        "{file} 的工作表「{sheet}」内容已损坏，无法读取（解析器信息：{detail}）。请用 Excel/WPS 打开后另存为 .xlsx"
    )]
    Sheet {
        /// The path as given.
        file: String,
        /// The sheet name.
        sheet: String,
        /// The parser's complaint.
        detail: String,
    },
    /// A web page (HTML) or XML spreadsheet named .xls: what many finance systems' "导出 Excel"
    /// produce.
    #[error(
        "{file}：这是网页（HTML）或 XML 格式的表格，只是扩展名为 .xls（许多系统“导出 Excel”生成的就是这种文件），无法直接读取。请用 Excel/WPS 打开后“另存为”Excel 工作簿（.xlsx）"
    )]
    HtmlWorkbook {
        /// The path as given.
        file: String,
    },
    /// An Office lock file (`~$名称.xlsx`), which Excel/WPS leave beside a workbook they have
    /// open: it holds only the name of who opened it.
    #[error(
        "{file}：这是 Excel/WPS 打开工作簿时生成的临时锁定文件（以 ~$ 开头），不是报送材料。请选择原文件 {original}"
    )]
    LockFile {
        /// The path as given.
        file: String,
        /// The workbook it locks (the same path without `~$`).
        original: String,
    },
    /// A folder without any file we can read.
    #[error(
        "文件夹 {folder} 中没有可读取的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .tsv .txt）"
    )]
    EmptyFolder {
        /// The folder as given.
        folder: String,
    },
}

/// One input as read: its grids, plus the one document-level fact a reader carries beside
/// them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// The path as given (for findings about the document as a whole).
    pub file: String,
    /// One grid per worksheet, CSV file or disclosure text.
    pub grids: Vec<Grid>,
    /// The text of an xlsx/xlsm workbook's custom document property 单位类型
    /// ([`crate::model::UnitKind::PROPERTY`]; yusuan writes the kind's full label there),
    /// trimmed and not yet interpreted. `None` for other inputs and folders, and when
    /// `docProps/custom.xml` or the property is missing, blank, too large or malformed.
    pub unit_kind_property: Option<String>,
}

/// Reads a file, or a folder of files, into grids. The file name in every grid and error is
/// the path as given.
pub fn read_path(path: &Path) -> Result<Vec<Grid>, ReadError> {
    read_document(path).map(|document| document.grids)
}

/// Reads a file, or a folder of files, into a [`Document`]: its grids and, for an xlsx/xlsm,
/// its 单位类型 property.
pub fn read_document(path: &Path) -> Result<Document, ReadError> {
    let file = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| io_error(&file, &e))?;
    if meta.is_dir() {
        let grids = folder::read_folder(path)?;
        return Ok(Document {
            file,
            grids,
            unit_kind_property: None,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, &e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    if let Some(original) = name.as_deref().and_then(|n| n.strip_prefix("~$"))
        && bytes.len() < 1024
        && !bytes.starts_with(b"PK")
    {
        return Err(ReadError::LockFile {
            file,
            original: path.with_file_name(original).display().to_string(),
        });
    }
    read_document_bytes(&file, &bytes)
}

/// Reads one file's bytes into grids; `file_name` names the file in grids and errors, and its
/// extension and stem are used only where the bytes cannot decide (text shape, CSV sheet name,
/// WPS wording). Never panics, whatever the bytes: calamine does panic on some malformed
/// workbooks (e.g. xls records shorter than they claim), so a panic in a parser is caught and
/// reported as a damaged file. The process's panic hook still sees it (the CLI may install a
/// quiet one); with `panic = "abort"` this protection is lost.
pub fn read_bytes(file_name: &str, bytes: &[u8]) -> Result<Vec<Grid>, ReadError> {
    read_document_bytes(file_name, bytes).map(|document| document.grids)
}

/// Reads one file's bytes into a [`Document`], as [`read_bytes`] does (never panics), with the
/// 单位类型 property of an xlsx/xlsm.
pub fn read_document_bytes(file_name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    std::panic::catch_unwind(|| dispatch(file_name, bytes)).unwrap_or_else(|_| {
        Err(ReadError::Corrupt {
            file: file_name.into(),
            detail: "内部结构异常，解析器无法处理".into(),
        })
    })
}

/// The one dispatch point: the sniffed kind decides the reader.
fn dispatch(file_name: &str, bytes: &[u8]) -> Result<Document, ReadError> {
    let grids = match sniff(file_name, bytes)? {
        Kind::Xlsx => return sheet::xlsx(file_name, bytes),
        Kind::Xlsb => sheet::xlsb(file_name, bytes),
        Kind::Xls => sheet::xls(file_name, bytes),
        Kind::Ods => sheet::ods(file_name, bytes),
        Kind::Text => read_text(file_name, bytes).map(|grid| vec![grid]),
    }?;
    Ok(Document {
        file: file_name.into(),
        grids,
        unit_kind_property: None,
    })
}

/// Text: delimited table or disclosure document.
fn read_text(file: &str, bytes: &[u8]) -> Result<Grid, ReadError> {
    let workbook_name = ["xlsx", "xlsm", "xlsb", "xls", "ods", "et"]
        .iter()
        .any(|ext| has_extension(file, ext));
    let text = match csv::decode(file, bytes) {
        Ok(text) => text,
        // Binary named like a workbook: say it is not one, rather than talk about encodings.
        Err(_) if workbook_name => {
            return Err(ReadError::NotSpreadsheet {
                file: file.into(),
                what: "无法识别的二进制数据".into(),
            });
        }
        Err(e) => return Err(e),
    };
    let body = text.trim_start();
    if body.is_empty() {
        return Err(ReadError::Empty { file: file.into() });
    }
    let workbook_name = ["xls", "xlsx", "et"].iter().any(|e| has_extension(file, e));
    if body.starts_with('<') && workbook_name {
        return Err(ReadError::HtmlWorkbook { file: file.into() });
    }
    if body.starts_with('<') {
        return Err(ReadError::NotSpreadsheet {
            file: file.into(),
            what: "网页（HTML）或 XML 文件".into(),
        });
    }
    let delimited = has_extension(file, "csv") || has_extension(file, "tsv");
    if !delimited && csv::looks_like_disclosure(&text) {
        return Ok(text::disclosure_text(file, &text));
    }
    let delimiter = csv::sniff_delimiter(file, &text);
    csv::parse(file, file_stem(file), &text, delimiter)
}

/// The file name without folders and extension ("表2" for "in/表2.csv").
fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// An I/O error worded for the user.
fn io_error(file: &str, e: &std::io::Error) -> ReadError {
    let reason = match e.kind() {
        std::io::ErrorKind::NotFound => return ReadError::NotFound { file: file.into() },
        std::io::ErrorKind::PermissionDenied => {
            "没有读取权限，请检查文件权限或先关闭占用它的程序".into()
        }
        _ => e.to_string(),
    };
    ReadError::Io {
        file: file.into(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        assert_eq!(file_stem("in/表2.csv"), "表2");
        assert_eq!(file_stem("C:\\a\\b.tar.csv"), "b.tar");
        assert_eq!(file_stem(".hidden"), ".hidden");
        assert_eq!(file_stem("plain"), "plain");
    }

    #[test]
    fn whitespace_only_text_is_empty() {
        let err = read_bytes("a.csv", b" \r\n ").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.csv：文件为空，请重新导出或检查是否选错了文件"
        );
    }
}
