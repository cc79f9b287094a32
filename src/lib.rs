//! yusuan turns Chinese government department budget submissions into the nine official
//! disclosure tables (部门预算公开表).
//!
//! The pipeline is visible in the module tree: [`read`] turns a file (workbook, CSV, disclosure
//! text) into [`grid::Grid`]s; [`recognize`] finds the official tables in those grids and
//! normalises them into the canonical [`model::Budget`] (money as `Decimal` 元); [`check`]
//! verifies every identity and returns [`finding::Finding`]s; [`mod@derive`] computes the derivable
//! tables (表1, 表4, 机关运行经费); [`mod@write`] renders the official workbook as bytes; [`batch`]
//! runs all of this over a folder of units. The library never prints: the CLI decides what the
//! user sees.

pub mod batch;
pub mod check;
pub mod derive;
pub mod finding;
pub mod grid;
pub mod model;
pub mod money;
pub mod read;
pub mod recognize;
pub mod report;
pub mod synth;
pub mod write;

use std::path::Path;

/// Why an input could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read as a spreadsheet, CSV or text.
    #[error(transparent)]
    Read(#[from] read::ReadError),
    /// No official table could be recognised in it.
    #[error(transparent)]
    Recognize(#[from] recognize::RecognizeError),
}

/// Reads and recognises one input (file or CSV folder): the first half of the pipeline. The
/// unit kind comes from the document's prose, else from a workbook's 单位类型 property
/// ([`recognize::recognize_document`]); a caller's own kind (`--kind`, units.csv) overrides both.
pub fn load(path: &Path) -> Result<recognize::Submission, Error> {
    let document = read::read_document(path)?;
    let mut submission = recognize::recognize_document(&document)?;
    recognize::fill_missing_parents(&mut submission);
    Ok(submission)
}
