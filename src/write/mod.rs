//! Writers: the canonical model (plus the table layouts in `templates/`) in, bytes out.
//! Where the bytes go is the caller's decision; [`save_atomically`] is the one way to put them
//! on disk (temp file + rename).

use crate::finding::Finding;
use crate::model::{Budget, MoneyUnit};
use std::path::Path;

/// How the workbook is rendered.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The unit of the printed amounts (表9 always prints 万元).
    pub unit: MoneyUnit,
    /// Print zero amounts as `0` instead of blank.
    pub zeros_as_digits: bool,
    /// Add 封面 and 目录 sheets.
    pub cover: bool,
}

/// Why a workbook could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// rust_xlsxwriter refused.
    #[error("生成工作簿失败：{0}")]
    Xlsx(String),
}

/// Renders the nine official tables (and a 校验结果 sheet when `findings` is not empty).
pub fn workbook(
    _budget: &Budget,
    _findings: &[Finding],
    _options: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    Err(WriteError::Xlsx("尚未实现".into()))
}

/// Writes bytes to `path` atomically: a temp file in the same folder, then a rename.
pub fn save_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
