//! What every table reader shares: the rows-in, table-out interface the scanner drives, and
//! the content a finished table hands back with its sources and findings.
//!
//! Not for any one table's layout: each reader (`classified`, `sides`, `table9`) knows its own.

use super::header::Layout;
use crate::finding::Finding;
use crate::grid::Grid;
use crate::model::{
    CellKey, Classified, EconomicAmounts, FiscalOverview, IncomeAmounts, Level, Location, Overview,
    SplitAmounts, Table9, TableId,
};

/// The cells one table's amounts were read from, in reading order. A later entry for a key
/// replaces an earlier one, as inserting into a `SourceMap` would; `build` makes the one map
/// of the submission from all placed tables at once (cheaper than a map per table merged).
pub(crate) type Sources = Vec<(CellKey, Location)>;

/// What a reader did with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Feed {
    /// The row belonged to the table.
    Took,
    /// The row belonged to the table and was its last (e.g. 收入总计, 表9's data row).
    TookLast,
    /// The row is not part of the table: the table ended before it.
    End,
}

/// Reads the data rows under one header.
pub(crate) trait TableReader {
    /// Which table is being read.
    fn id(&self) -> TableId;
    /// Offers row `r`.
    fn feed(&mut self, grid: &Grid, r: usize) -> Feed;
    /// A repeated header (after a page break) may place the columns differently.
    fn relayout(&mut self, layout: Layout);
    /// The table read so far.
    fn finish(self: Box<Self>) -> (Content, Sources, Vec<Finding>);
}

/// The content of one recognised table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    /// 表2.
    Income(Classified<IncomeAmounts>),
    /// 表3, 5, 6 or 7.
    Split(Classified<SplitAmounts>),
    /// 表8.
    Economic(Classified<EconomicAmounts>),
    /// 表1.
    Overview(Overview),
    /// 表4.
    Fiscal(FiscalOverview),
    /// 表9.
    Table9(Table9),
}

/// A recognised table with where it came from.
#[derive(Debug, Clone)]
pub(crate) struct ReadTable {
    /// Which table.
    pub id: TableId,
    /// Its rows.
    pub content: Content,
    /// The cell of every amount.
    pub sources: Sources,
    /// Cells that could not be read.
    pub findings: Vec<Finding>,
    /// The title's year, if titled.
    pub year: Option<u16>,
    /// The title's level, if titled.
    pub level: Option<Level>,
    /// Where the table starts (title, or first header row).
    pub location: Location,
}
