//! yusuan turns Chinese government department budget submissions into the nine official
//! disclosure tables (部门预算公开表).
//!
//! The pipeline is visible in the module tree: [`read`] turns a file (workbook, CSV, disclosure
//! text) into [`grid::Grid`]s; [`recognize`] finds the official tables in those grids and
//! normalises them into the canonical [`model::Budget`] (money as `Decimal` 元); [`check`]
//! verifies every identity and returns [`finding::Finding`]s; [`derive`] computes the derivable
//! tables (表1, 表4, 机关运行经费); [`write`] renders the official workbook as bytes; [`batch`]
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
