//! The reader of coded tables (表2, 3, 5, 6, 7, 8): one `Line` per coded row, the 合计 row as
//! the stated total, blank padding skipped; a row of text without a code ends the table.
//!
//! Not for 表1/4 (`sides`) or 表9 (`table9`), and not for rebuilding missing 类/款 rows
//! (`parents`).

use super::amounts::{self, Slot};
use super::codes::{from_parts, split_code};
use super::header::{Layout, MappedColumn};
use super::norm::{cell_str, norm_joined};
use super::reader::{Content, Feed, TableReader, TableSources};
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

/// The code and name of a coded row, with the columns they were read from.
struct RowLabel {
    code: Code,
    name: String,
    /// The code's cell (for split 类/款/项 cells, the first one with text).
    code_col: usize,
    /// The name's cell: the name column, else the cell the name text starts in, else the
    /// code's cell.
    name_col: usize,
}

/// Reads one coded table with amount type `A`.
pub(crate) struct ClassifiedReader<A: Amounts> {
    id: TableId,
    columns: Columns,
    table: Classified<A>,
    last_code: Option<Code>,
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
            findings: Vec::new(),
            wrap,
        })
    }

    /// The label cells (before the first amount column) of row `r`, as (column, text).
    fn labels<'g>(&self, grid: &'g Grid, r: usize) -> Vec<Label<'g>> {
        let mut labels = Vec::with_capacity(self.columns.label_end);
        labels.extend(
            (0..self.columns.label_end).filter_map(|c| cell_str(grid.cell(r, c)).map(|t| (c, t))),
        );
        labels
    }

    /// The code and name of a row, from split code cells or from the label text, with the
    /// columns they were read from.
    fn code_and_name(&self, labels: &[Label<'_>]) -> Option<RowLabel> {
        let text_at = |col: Option<usize>| {
            col.and_then(|c| labels.iter().find(|(lc, _)| *lc == c))
                .map(|(_, t)| t.as_ref())
                .unwrap_or("")
        };
        let name_col = self.columns.name_col;
        let named = text_at(name_col);
        let code_cols = self.columns.code_cols;
        if code_cols.iter().any(Option::is_some) {
            let parts = code_cols.map(text_at);
            if let Some(code) = from_parts(parts, self.last_code.as_ref()) {
                // The first code cell that holds text (a blank 类 is inherited, not read).
                let code_col = code_cols
                    .iter()
                    .zip(parts)
                    .find_map(|(c, p)| c.filter(|_| !p.trim().is_empty()))
                    .or_else(|| code_cols.iter().find_map(|c| *c))
                    .unwrap_or(0);
                let (name, name_at) = if named.is_empty() {
                    let mut others = labels
                        .iter()
                        .filter(|(c, _)| !code_cols.contains(&Some(*c)))
                        .peekable();
                    let first = others.peek().map(|(c, _)| *c);
                    let texts: Vec<&str> = others.map(|(_, t)| t.as_ref()).collect();
                    (texts.join(" ").trim().to_string(), first.or(name_col))
                } else {
                    (without_code(named, &code).trim().to_string(), name_col)
                };
                return Some(RowLabel {
                    code,
                    name,
                    code_col,
                    name_col: name_at.unwrap_or(code_col),
                });
            }
        }
        let texts: Vec<&str> = labels.iter().map(|(_, t)| t.as_ref()).collect();
        let joined = texts.join(" ");
        let (code, code_col, rest, rest_col) = match split_code(&joined) {
            Some((code, rest)) => {
                let code_col = labels.first().map_or(0, |(c, _)| *c);
                let rest_col = offset_in(&joined, rest).and_then(|at| label_at(labels, at));
                (code, code_col, rest.to_string(), rest_col)
            }
            None => code_in_any_cell(labels)?,
        };
        let (name, name_at) = if named.is_empty() || split_code(named).is_some() {
            let at = if rest.is_empty() { name_col } else { rest_col };
            (rest, at)
        } else {
            (named.to_string(), name_col)
        };
        Some(RowLabel {
            code,
            name: name.trim().to_string(),
            code_col,
            name_col: name_at.unwrap_or(code_col),
        })
    }

    /// The code and name cells of a coded row, as sources: column `CODE_CELL` and `NAME_CELL`.
    fn push_label_sources(
        &self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        label: &RowLabel,
    ) {
        let code_key = CellKey::code_cell(self.id, &label.code);
        sources.push(code_key, grid.location(r, label.code_col));
        let name_key = CellKey::name_cell(self.id, &label.code);
        sources.push(name_key, grid.location(r, label.name_col));
    }

    fn read_amounts(
        &mut self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        row: &RowKey,
    ) -> A {
        let mut values = A::default();
        // The amounts, and a coded row's code and name cells.
        sources.reserve(self.columns.amounts.len() + 2);
        for m in &self.columns.amounts {
            let slot = Slot {
                table: self.id,
                row,
                column: A::COLUMNS.get(m.index).copied().unwrap_or_default(),
            };
            let value = amounts::read(grid, r, m.col, self.table.unit, slot, &mut self.findings);
            values.set(m.index, value);
            let key = CellKey {
                table: self.id,
                row: row.clone(),
                column: m.index,
            };
            sources.push(key, grid.location(r, m.col));
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
/// precede it); the name is the rest of that cell, or the label cells after it. Gives the
/// code, its column, the name and the column the name starts in.
fn code_in_any_cell(labels: &[Label<'_>]) -> Option<(Code, usize, String, Option<usize>)> {
    labels.iter().enumerate().find_map(|(i, (col, text))| {
        let (code, rest) = split_code(text)?;
        if !rest.is_empty() {
            return Some((code, *col, rest.to_string(), Some(*col)));
        }
        let mut after = labels.iter().skip(i + 1).peekable();
        let first = after.peek().map(|(c, _)| *c);
        let texts: Vec<&str> = after.map(|(_, t)| t.as_ref()).collect();
        Some((code, *col, texts.join(" "), first))
    })
}

/// The byte offset of `part` in `whole`, when `part` is a slice of it.
fn offset_in(whole: &str, part: &str) -> Option<usize> {
    let at = (part.as_ptr() as usize).checked_sub(whole.as_ptr() as usize)?;
    (at + part.len() <= whole.len()).then_some(at)
}

/// The column of the label that byte `at` of the labels joined with single spaces falls in.
fn label_at(labels: &[Label<'_>], at: usize) -> Option<usize> {
    let mut start = 0;
    for (col, text) in labels {
        let end = start + text.len();
        if at < end {
            return Some(*col);
        }
        start = end + 1;
    }
    None
}

impl<A: Amounts> TableReader for ClassifiedReader<A> {
    fn id(&self) -> TableId {
        self.id
    }

    fn feed(&mut self, grid: &Grid, r: usize, sources: &mut TableSources<'_>) -> Feed {
        let labels = self.labels(grid, r);
        // Every total label has 计 (which normalising keeps) and no digit: most rows (those
        // with a code) need no joining.
        let may_be_total = !labels
            .iter()
            .any(|(_, t)| t.bytes().any(|b| b.is_ascii_digit()))
            && labels.iter().any(|(_, t)| t.contains('计'));
        if may_be_total && is_total_label(&norm_joined(labels.iter().map(|(_, t)| t.as_ref()))) {
            let total = self.read_amounts((grid, r, sources), &RowKey::Total);
            self.table.total = Some(total);
            return Feed::Took;
        }
        if let Some(label) = self.code_and_name(&labels) {
            let amounts = self.read_amounts((grid, r, sources), &RowKey::Code(label.code.clone()));
            self.push_label_sources((grid, r, sources), &label);
            self.table.lines.push(Line {
                code: label.code.clone(),
                name: label.name,
                amounts,
            });
            self.last_code = Some(label.code);
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

    fn finish(self: Box<Self>) -> (Content, Vec<Finding>) {
        let this = *self;
        ((this.wrap)(this.table), this.findings)
    }
}
