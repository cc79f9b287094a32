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
use std::ops::Range;

/// The cells the amounts of one input were read from, in reading order, every table's one
/// after the other (each `ReadTable` knows its range). A later entry for a key replaces an
/// earlier one, as inserting into a `SourceMap` would; `build` makes the one map of the
/// submission from the placed tables' entries at once (cheaper than a map per table merged),
/// and one list for all tables spares copying each table's list as it grows and again when
/// they are put together.
pub(crate) type Sources = Vec<(CellKey, Location)>;

/// The table being read's part of the input's [`Sources`]: the entries from `start` on.
pub(crate) struct TableSources<'a> {
    list: &'a mut Sources,
    start: usize,
}

impl<'a> TableSources<'a> {
    /// The part of `list` from `start` on.
    pub(crate) fn new(list: &'a mut Sources, start: usize) -> TableSources<'a> {
        TableSources { list, start }
    }

    /// Adds where the amount (or code or name) keyed `key` was read.
    pub(crate) fn push(&mut self, key: CellKey, location: Location) {
        self.list.push((key, location));
    }

    /// Makes room for `additional` more entries.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.list.reserve(additional);
    }

    /// Forgets every entry of this table keyed `key`.
    pub(crate) fn remove(&mut self, key: &CellKey) {
        let start = self.start.min(self.list.len());
        let ours = self.list.split_off(start);
        self.list.extend(ours.into_iter().filter(|(k, _)| k != key));
    }
}

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
    /// Offers row `r`; the cells read go to `sources`.
    fn feed(&mut self, grid: &Grid, r: usize, sources: &mut TableSources<'_>) -> Feed;
    /// A repeated header (after a page break) may place the columns differently.
    fn relayout(&mut self, layout: Layout);
    /// The table read so far, and the problems met reading it.
    fn finish(self: Box<Self>) -> (Content, Vec<Finding>);
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
    /// Its part of the input's [`Sources`]: the cell of every amount.
    pub sources: Range<usize>,
    /// Cells that could not be read.
    pub findings: Vec<Finding>,
    /// The title's year, if titled.
    pub year: Option<u16>,
    /// The title's level, if titled.
    pub level: Option<Level>,
    /// Where the table starts (title, or first header row).
    pub location: Location,
}
