//! Recognition: finds the official tables in grids and normalises them into the canonical
//! [`Budget`], remembering where every amount came from.
//!
//! Not for checking: a recognised table whose sums do not add up is still recognised; the
//! problems of single cells that cannot be read (error values, formulas without a cached value)
//! become findings.

use crate::finding::Finding;
use crate::grid::Grid;
use crate::model::{Budget, SourceMap};

/// A recognised input: the canonical budget, where its amounts came from, and findings about
/// cells that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// The canonical model.
    pub budget: Budget,
    /// The submitted cell of every amount.
    pub sources: SourceMap,
    /// Problems met while reading cells (errors cells, formulas without value, bad numbers).
    pub findings: Vec<Finding>,
}

/// Why no budget could be recognised.
#[derive(Debug, thiserror::Error)]
pub enum RecognizeError {
    /// None of the nine tables was found.
    #[error("{file}：未找到任何部门预算表（已查看的工作表：{sheets}）")]
    NoTables {
        /// The input file.
        file: String,
        /// The sheets looked at, joined.
        sheets: String,
    },
}

/// Recognises the official tables in the grids of one input.
pub fn recognize(grids: &[Grid]) -> Result<Submission, RecognizeError> {
    Err(RecognizeError::NoTables {
        file: grids.first().map(|g| g.file.clone()).unwrap_or_default(),
        sheets: grids
            .iter()
            .map(|g| g.sheet.as_str())
            .collect::<Vec<_>>()
            .join("、"),
    })
}
