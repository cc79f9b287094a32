//! The reader of 表9 “三公”经费和机关运行经费预算表: one unlabelled data row under a three-row
//! header, printed in 万元 (when a department lists its units as well, the row labelled 合计).
//! Sources are keyed `RowKey::Total` with the column index of `model::T9_COLUMNS`.
//!
//! Not for the 表9 figures stated only in the 编制说明 prose (`prose`), and not for checking 表9
//! against 表8 (`check`).

use super::amounts::{self, Slot};
use super::header::{Layout, MappedColumn};
use super::norm::{cell_text, norm};
use super::reader::{Content, Feed, TableReader, TableSources};
use super::tables::is_total_label;
use crate::finding::Finding;
use crate::grid::Grid;
use crate::model::T9_COLUMNS;
use crate::model::{CellKey, MoneyUnit, RowKey, Table9, TableId, ThreePublic};
use rust_decimal::Decimal;

/// Reads 表9.
pub(crate) struct Table9Reader {
    unit: MoneyUnit,
    amounts: Vec<MappedColumn>,
    values: Option<[Decimal; 7]>,
    findings: Vec<Finding>,
}

impl Table9Reader {
    /// A reader for 表9 laid out as `layout` (must be `Layout::ThreePublic`).
    pub(crate) fn new(layout: Layout, unit: MoneyUnit) -> Option<Table9Reader> {
        match layout {
            Layout::ThreePublic { amounts } => Some(Table9Reader {
                unit,
                amounts,
                values: None,
                findings: Vec::new(),
            }),
            _ => None,
        }
    }
}

impl Table9Reader {
    /// True when a cell outside the amount columns says 合计.
    fn is_total_row(&self, grid: &Grid, r: usize) -> bool {
        let row = grid.rows.get(r).map(Vec::as_slice).unwrap_or_default();
        row.iter().enumerate().any(|(c, value)| {
            !self.amounts.iter().any(|m| m.col == c)
                && cell_text(value).is_some_and(|t| is_total_label(&norm(&t)))
        })
    }

    fn read_row(&mut self, grid: &Grid, r: usize, sources: &mut TableSources<'_>) {
        let mut values = [Decimal::ZERO; 7];
        for m in &self.amounts {
            let column = T9_COLUMNS.get(m.index).copied().unwrap_or_default();
            let slot = Slot {
                table: TableId::T9,
                row: &RowKey::Total,
                column,
            };
            let value = amounts::read(grid, r, m.col, self.unit, slot, &mut self.findings);
            if let Some(v) = values.get_mut(m.index) {
                *v = value;
            }
            let key = CellKey {
                table: TableId::T9,
                row: RowKey::Total,
                column: m.index,
            };
            sources.push(key, grid.location(r, m.col));
        }
        self.values = Some(values);
    }
}

impl TableReader for Table9Reader {
    fn id(&self) -> TableId {
        TableId::T9
    }

    fn feed(&mut self, grid: &Grid, r: usize, sources: &mut TableSources<'_>) -> Feed {
        if self.amounts.iter().all(|m| grid.cell(r, m.col).is_blank()) {
            return Feed::End;
        }
        // A department's 表9 may list its units too: the 合计 row wins, else the first row.
        let total_row = self.is_total_row(grid, r);
        if self.values.is_none() || total_row {
            self.read_row(grid, r, sources);
        }
        if total_row {
            Feed::TookLast
        } else {
            Feed::Took
        }
    }

    fn relayout(&mut self, layout: Layout) {
        if let Layout::ThreePublic { amounts } = layout {
            self.amounts = amounts;
        }
    }

    fn finish(self: Box<Self>) -> (Content, Vec<Finding>) {
        let has_admin = self.amounts.iter().any(|m| m.index == 6);
        let table = Table9 {
            three_public: self.values.map(|v| ThreePublic {
                total: v[0],
                overseas: v[1],
                reception: v[2],
                vehicle_subtotal: v[3],
                vehicle_purchase: v[4],
                vehicle_running: v[5],
            }),
            admin_running: self.values.filter(|_| has_admin).map(|v| v[6]),
            unit: self.unit,
        };
        (Content::Table9(table), self.findings)
    }
}
