//! A folder given as one submission: every readable table file directly inside it (CSV, TSV,
//! TXT, workbooks), in name order, skipping hidden files, Office lock files, empty files and
//! yusuan's own outputs. Subfolders are not entered.
//!
//! Not for batches of units (that is `batch`, which decides what a unit is).

use super::{ReadError, io_error, read_bytes, sniff::has_extension};
use crate::grid::Grid;
use std::path::{Path, PathBuf};

/// Extensions a submission folder may contain.
const TABLE_EXTENSIONS: [&str; 8] = ["csv", "tsv", "txt", "xlsx", "xlsm", "xls", "xlsb", "ods"];

/// Whether a file name is one of yusuan's own outputs (so re-running over a folder that holds
/// them does not read them back as input): names starting `yusuan` or containing `.yusuan.`.
pub fn is_own_output(name: &str) -> bool {
    name.starts_with("yusuan") || name.contains(".yusuan.")
}

/// Reads every table file in the folder; a workbook with a single worksheet takes the file stem
/// as its sheet name (like a CSV), since in a folder the file name is what says which table it
/// is. Empty files are skipped; otherwise fails on the first unreadable file (the error names
/// it).
pub fn read_folder(folder: &Path) -> Result<Vec<Grid>, ReadError> {
    let shown = folder.display().to_string();
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(|e| io_error(&shown, &e))?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.path())
        .filter(|path| wanted(path))
        .collect();
    files.sort();
    let mut grids = Vec::new();
    for path in &files {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| io_error(&file, &e))?;
        let mut found = match read_bytes(&file, &bytes) {
            // An empty file beside the tables (a 新建文本文档.txt) holds nothing to lose.
            Err(ReadError::Empty { .. }) => continue,
            other => other?,
        };
        if let ([only], Some(stem)) = (found.as_mut_slice(), path.file_stem()) {
            only.sheet = stem.to_string_lossy().into();
        }
        grids.append(&mut found);
    }
    if grids.is_empty() {
        return Err(ReadError::EmptyFolder { folder: shown });
    }
    Ok(grids)
}

/// A visible table file that is not ours.
fn wanted(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy()) else {
        return false;
    };
    let name = name.as_ref();
    !name.starts_with('.')
        && !name.starts_with("~$")
        && !is_own_output(name)
        && TABLE_EXTENSIONS.iter().any(|ext| has_extension(name, ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_hidden_lock_and_own_files() {
        assert!(wanted(Path::new("in/表2.csv")));
        assert!(wanted(Path::new("in/表2.XLSX")));
        assert!(!wanted(Path::new("in/.表2.csv")));
        assert!(!wanted(Path::new("in/~$表2.xlsx")));
        assert!(!wanted(Path::new("in/yusuan-公开表.xlsx")));
        assert!(!wanted(Path::new("in/单位.yusuan.xlsx")));
        assert!(!wanted(Path::new("in/说明.docx")));
    }
}
