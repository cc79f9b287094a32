//! The reader of coded tables (表2, 3, 5, 6, 7, 8): one `Line` per coded row, the 合计 row as
//! the stated total, blank padding skipped; a row of text without a code ends the table.
//!
//! Not for 表1/4 (`sides`) or 表9 (`table9`), and not for rebuilding missing 类/款 rows
//! (`parents`).

use super::amounts::{self, Slot};
use super::codes::{code_and_rest, from_parts, split_code};
use super::header::{Layout, MappedColumn};
use super::norm::{cell_str, norm_joined};
use super::reader::{Content, Feed, Sources, TableReader};
use super::tables::is_total_label;
use crate::finding::{Finding, Severity};
use crate::grid::Grid;
use crate::model::{Amounts, CellKey, Classified, Code, Line, MoneyUnit, RowKey, TableId};
use std::borrow::Cow;

/// Where the label and amount columns of a coded table are.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Columns {
    amounts: Vec<MappedColumn>,
    code_cols: [Option<usize>; 3],
    name_col: Option<usize>,
    label_end: usize,
}

impl Columns {
    fn from_layout(layout: Layout) -> Option<Columns> {
        match layout {
            Layout::Classified {
                amounts,
                code_cols,
                name_col,
                label_end,
            } => Some(Columns {
                amounts,
                code_cols,
                name_col,
                label_end,
            }),
            _ => None,
        }
    }
}

/// A label cell of a row: its column and text.
type Label<'g> = (usize, Cow<'g, str>);

/// Reads one coded table with amount type `A`.
pub(crate) struct ClassifiedReader<A: Amounts> {
    id: TableId,
    columns: Columns,
    table: Classified<A>,
    last_code: Option<Code>,
    sources: Sources,
    findings: Vec<Finding>,
    wrap: fn(Classified<A>) -> Content,
}

impl<A: Amounts> ClassifiedReader<A> {
    /// A reader for table `id` laid out as `layout` (must be `Layout::Classified`), amounts in
    /// `unit`; `wrap` turns the finished table into its `Content`.
    pub(crate) fn new(
        id: TableId,
        layout: Layout,
        unit: MoneyUnit,
        wrap: fn(Classified<A>) -> Content,
    ) -> Option<Self> {
        Some(ClassifiedReader {
            id,
            columns: Columns::from_layout(layout)?,
            table: Classified {
                lines: Vec::new(),
                total: None,
                unit,
                present: true,
            },
            last_code: None,
            sources: Sources::new(),
            findings: Vec::new(),
            wrap,
        })
    }

    /// The label cells (before the first amount column) of row `r`, as (column, text).
    fn labels<'g>(&self, grid: &'g Grid, r: usize) -> Vec<Label<'g>> {
        (0..self.columns.label_end)
            .filter_map(|c| cell_str(grid.cell(r, c)).map(|t| (c, t)))
            .collect()
    }

    /// The code and name of a row, from split code cells or from the label text.
    fn code_and_name(&self, labels: &[Label<'_>]) -> Option<(Code, String)> {
        let text_at = |col: Option<usize>| {
            col.and_then(|c| labels.iter().find(|(lc, _)| *lc == c))
                .map(|(_, t)| t.as_ref())
                .unwrap_or("")
        };
        let named = text_at(self.columns.name_col);
        let code_cols = self.columns.code_cols;
        if code_cols.iter().any(Option::is_some) {
            let parts = code_cols.map(text_at);
            if let Some(code) = from_parts(parts, self.last_code.as_ref()) {
                let name = if named.is_empty() {
                    let others: Vec<&str> = labels
                        .iter()
                        .filter(|(c, _)| !code_cols.contains(&Some(*c)))
                        .map(|(_, t)| t.as_ref())
                        .collect();
                    others.join(" ").trim().to_string()
                } else {
                    without_code(named, &code).trim().to_string()
                };
                return Some((code, name));
            }
        }
        let texts: Vec<&str> = labels.iter().map(|(_, t)| t.as_ref()).collect();
        let (code, rest) = code_and_rest(&texts.join(" ")).or_else(|| code_in_any_cell(labels))?;
        let name = if named.is_empty() || split_code(named).is_some() {
            rest
        } else {
            named.to_string()
        };
        Some((code, name.trim().to_string()))
    }

    fn read_amounts(&mut self, grid: &Grid, r: usize, row: &RowKey) -> A {
        let mut values = A::default();
        self.sources.reserve(self.columns.amounts.len());
        for m in &self.columns.amounts {
            let slot = Slot {
                table: self.id,
                row,
                column: A::COLUMNS.get(m.index).copied().unwrap_or_default(),
            };
            let (value, finding) = amounts::read(grid, r, m.col, self.table.unit, slot);
            values.set(m.index, value);
            self.findings.extend(finding);
            let key = CellKey {
                table: self.id,
                row: row.clone(),
                column: m.index,
            };
            self.sources.push((key, grid.location(r, m.col)));
        }
        values
    }

    fn has_amounts(&self, grid: &Grid, r: usize) -> bool {
        self.columns
            .amounts
            .iter()
            .any(|m| !grid.cell(r, m.col).is_blank())
    }

    fn unknown_row(&mut self, grid: &Grid, r: usize) {
        let location = grid.location(r, 0);
        let message = format!(
            "{} 工作表“{}”第 {} 行：{}中这一行有金额但没有可识别的科目编码，已忽略",
            location.file,
            location.sheet,
            r + 1,
            self.id
        );
        self.findings.push(
            Finding::new(Severity::Warning, "unknown-row", message)
                .in_table(self.id)
                .located(Some(location)),
        );
    }
}

/// The name without a repeat of its own code (`2010301 行政运行` under split code cells).
fn without_code<'a>(name: &'a str, code: &Code) -> &'a str {
    match split_code(name) {
        Some((c, rest)) if &c == code => rest,
        _ => name,
    }
}

/// The first label cell that starts with a code (an extra leading column such as 单位名称 may
/// precede it); the name is the rest of that cell, or the label cells after it.
fn code_in_any_cell(labels: &[Label<'_>]) -> Option<(Code, String)> {
    labels.iter().enumerate().find_map(|(i, (_, text))| {
        let (code, rest) = split_code(text)?;
        if !rest.is_empty() {
            return Some((code, rest.to_string()));
        }
        let after: Vec<&str> = labels.iter().skip(i + 1).map(|(_, t)| t.as_ref()).collect();
        Some((code, after.join(" ")))
    })
}

impl<A: Amounts> TableReader for ClassifiedReader<A> {
    fn id(&self) -> TableId {
        self.id
    }

    fn feed(&mut self, grid: &Grid, r: usize) -> Feed {
        let labels = self.labels(grid, r);
        // Every total label has 计 (which normalising keeps): most rows need no joining.
        let may_be_total = labels.iter().any(|(_, t)| t.contains('计'));
        if may_be_total && is_total_label(&norm_joined(labels.iter().map(|(_, t)| t.as_ref()))) {
            let total = self.read_amounts(grid, r, &RowKey::Total);
            self.table.total = Some(total);
            return Feed::Took;
        }
        if let Some((code, name)) = self.code_and_name(&labels) {
            let amounts = self.read_amounts(grid, r, &RowKey::Code(code.clone()));
            self.table.lines.push(Line {
                code: code.clone(),
                name,
                amounts,
            });
            self.last_code = Some(code);
            return Feed::Took;
        }
        match (labels.is_empty(), self.has_amounts(grid, r)) {
            (_, true) => {
                self.unknown_row(grid, r);
                Feed::Took
            }
            (true, false) => Feed::Took,
            (false, false) => Feed::End,
        }
    }

    fn relayout(&mut self, layout: Layout) {
        if let Some(columns) = Columns::from_layout(layout) {
            self.columns = columns;
        }
    }

    fn finish(self: Box<Self>) -> (Content, Sources, Vec<Finding>) {
        let this = *self;
        ((this.wrap)(this.table), this.sources, this.findings)
    }
}
