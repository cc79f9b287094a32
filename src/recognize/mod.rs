//! Recognition: finds the official tables in grids and normalises them into the canonical
//! [`Budget`], remembering where every amount came from.
//!
//! The pipeline inside: `scan` walks each grid and cuts it into tables and prose
//! (titles, `编制部门：`/`单位：` lines, header blocks judged against the table catalogue in
//! `tables`, data rows read by `classified`, `sides` or `table9`); `prose` reads the figures
//! stated in text; `build` puts it all into one [`Submission`].
//!
//! Not for checking: a recognised table whose sums do not add up is still recognised; the
//! problems of single cells that cannot be read (error values, formulas without a cached value,
//! text that is not a number) become findings with rule [`UNREADABLE`].
//!
//! # Sources
//! `Submission::sources` holds the submitted cell of every amount read, keyed as
//! [`crate::check::keys`] names them:
//! - 表2/3/5/6/7/8: `RowKey::Code(code)` or `RowKey::Total`, column = `Amounts::COLUMNS` index;
//!   each coded row also gives where its code and name were read, column `model::CODE_CELL`
//!   (for codes split over 类/款/项 cells the first that holds text) and `model::NAME_CELL`
//!   (the 科目名称 cell, else the cell the name text starts in, else the code's cell); for a
//!   code read twice the later row's cells are kept, as for its amounts;
//! - 表1: `RowKey::Label(label)`: income items in column 0 (the official label of
//!   `derive::OVERVIEW_INCOME_LABELS` when the printed one is a variant such as the 2026
//!   `1、一般公共预算`, else as printed), expenditure items (类 name without numbering) in column
//!   1, totals as `收入总计` (0) and `支出总计` (1); a unit-level 表1's split in columns 2..=5
//!   (`model::T1_COLUMNS`: 基本支出, 人员经费, 公用经费, 项目支出), none for a blank 人员经费/公用经费
//!   pair (not stated); each item (not the totals) also gives where its label was read, keyed by
//!   the same label in column `model::INCOME_LABEL_CELL` or `model::EXPENDITURE_LABEL_CELL`;
//! - 表4: as 表1, expenditure columns 1..=4 (`model::T4_COLUMNS`);
//! - 表9: `RowKey::Total`, column = index in `model::T9_COLUMNS` (from the table, or the prose
//!   sentence that stated the figure);
//! - 编制说明 figures: `CellKey::narrative(i)` (`RowKey::Narrative` under 表1, column = index
//!   of `model::NARRATIVE_FIGURES`), the prose cell the figure was read from.
//!
//! # Conventions
//! - An empty table (header and a blank 合计 row, like 表6/7 of the seed) is `present: true`,
//!   no lines, `total: Some(zero)`: the 合计 row was submitted, it is just blank.
//! - A 表9 printed without a data row gives `three_public: None`.
//! - The level is `Unit` when any title (or a sheet name used as title) says 预算单位/单位, or
//!   an entity line says 编制单位.
//! - A sheet named after a table (`5.2预算单位收入预算总表`) titles an untitled table on it.
//! - Sheets named 封面, 目录 and 校验结果 are skipped; hidden sheets are read after visible ones.
//! - 表9 figures come from a printed 表9; the prose of 六 (“三公”经费预算数为…万元) fills what
//!   it lacks. A 表9 without a 单位 line is taken as 万元, every other table as 元.
//! - Errors are only for inputs without any table and for a titled table missing a required
//!   column; an untitled header that fits no table is some other table and is ignored.

mod amounts;
mod build;
mod classified;
mod codes;
mod header;
mod meta;
mod norm;
mod parents;
mod prose;
mod reader;
mod scan;
mod sides;
mod table9;
mod tables;

pub use amounts::UNREADABLE;
pub use parents::fill_missing_parents;

/// The official table a file or sheet name names (`表3_支出预算总表`, `5.2预算单位收入预算总表`),
/// if any: how a caller tells one unit's per-table CSV files from a folder of units.
pub fn table_named(name: &str) -> Option<crate::model::TableId> {
    meta::sheet_title(name).map(|t| t.id)
}

use crate::finding::{Finding, Severity};
use crate::grid::Grid;
use crate::model::{Budget, SourceMap, UnitKind};
use crate::read::Document;

/// A recognised input: the canonical budget, where its amounts came from, and findings about
/// cells that could not be read.
#[derive(Debug, Clone, Default)]
pub struct Submission {
    /// The canonical model.
    pub budget: Budget,
    /// The submitted cell of every amount, and of every coded row's code and name.
    pub sources: SourceMap,
    /// Problems met while reading cells (errors cells, formulas without value, bad numbers).
    pub findings: Vec<Finding>,
}

/// Why no budget could be recognised. Messages name the file and sheet, in Chinese.
#[derive(Debug, thiserror::Error)]
pub enum RecognizeError {
    /// None of the nine tables was found.
    #[error("{file}：未找到任何部门预算表（已查看的工作表：{sheets}；见到的表头文字：{labels}）")]
    NoTables {
        /// The input file.
        file: String,
        /// The sheets looked at, joined.
        sheets: String,
        /// Some short texts seen near the top of the sheets, joined.
        labels: String,
    },
    /// A titled table (title row or sheet name) lacks a required column.
    #[error("{0}")]
    MissingColumn(Box<MissingColumn>),
}

/// The details of [`RecognizeError::MissingColumn`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} 工作表“{sheet}”{cell}：{table}缺少必需的列“{columns}”（表头中见到：{labels}）")]
pub struct MissingColumn {
    /// The input file.
    pub file: String,
    /// The sheet.
    pub sheet: String,
    /// The first header cell (A1).
    pub cell: String,
    /// The table expected, e.g. "表3（支出预算总表）".
    pub table: String,
    /// The official labels of the missing columns, joined.
    pub columns: String,
    /// The header labels seen, joined.
    pub labels: String,
}

/// Sheets that never hold the tables: the writer's cover, contents and check sheets.
const IGNORED_SHEETS: [&str; 3] = ["目录", "校验结果", "封面"];

/// Recognises the official tables in the grids of one input. Visible sheets are read before
/// hidden ones; when a table occurs twice the first is used and a warning finding is added.
pub fn recognize(grids: &[Grid]) -> Result<Submission, RecognizeError> {
    let ordered = grids
        .iter()
        .filter(|g| !g.hidden)
        .chain(grids.iter().filter(|g| g.hidden))
        .filter(|g| !IGNORED_SHEETS.contains(&norm::norm(&g.sheet).as_str()));
    let mut found = build::Found {
        sources: Vec::with_capacity(sources_hint(grids)),
        ..build::Found::default()
    };
    let mut prose = Vec::new();
    for grid in ordered {
        let scanned = scan::scan(grid, &mut found.sources)?;
        found.tables.extend(scanned.tables);
        found.entities.extend(scanned.entities);
        prose.extend(scanned.prose);
    }
    if found.tables.is_empty() {
        return Err(no_tables(grids));
    }
    found.prose = prose::facts(&prose);
    Ok(build::submission(found))
}

/// Room for the sources of `grids`, which mostly suffices: an entry per cell read, and a
/// coded row's code and name entries (usually in cells that have an entry of their own). A
/// hint, not a limit: rows may be read wider than they are stored. Spares copying the list
/// (thousands of entries) each time it grows.
fn sources_hint(grids: &[Grid]) -> usize {
    grids
        .iter()
        .flat_map(|g| &g.rows)
        .map(|row| row.len() + 2)
        .sum()
}

/// Rule id of the warning about a 单位类型 document property whose value names no unit kind.
pub const UNKNOWN_UNIT_KIND: &str = "unknown-unit-kind";

/// Recognises a [`Document`] as [`recognize`] does its grids, then takes the unit kind from
/// the workbook's 单位类型 property when the document's own prose did not state one.
///
/// Precedence of the unit kind, highest first: the caller's `--kind` / units.csv (applied by the
/// CLI and the batch after loading) > the document's own 机构设置 prose > this property. A
/// value that names no kind is ignored with an [`UNKNOWN_UNIT_KIND`] warning naming the file.
pub fn recognize_document(document: &Document) -> Result<Submission, RecognizeError> {
    let mut submission = recognize(&document.grids)?;
    if let Some(label) = document.unit_kind_property.as_deref() {
        match UnitKind::from_label(label) {
            Some(kind) => {
                submission.budget.meta.unit_kind.get_or_insert(kind);
            }
            None => submission.findings.push(Finding::new(
                Severity::Warning,
                UNKNOWN_UNIT_KIND,
                format!(
                    "{}：文档属性“{}”的值“{label}”不是可识别的单位类型（应为 {}），已忽略",
                    document.file,
                    UnitKind::PROPERTY,
                    known_kinds()
                ),
            )),
        }
    }
    Ok(submission)
}

/// The error for inputs without any table: the sheets and some short texts seen.
fn no_tables(grids: &[Grid]) -> RecognizeError {
    const MAX_LABELS: usize = 12;
    let mut labels: Vec<String> = Vec::new();
    'grids: for grid in grids {
        for row in grid.rows.iter().take(40) {
            for text in row.iter().filter_map(norm::cell_text) {
                if labels.len() >= MAX_LABELS {
                    break 'grids;
                }
                let short = text.chars().count() <= 20;
                if short
                    && !labels.contains(&text)
                    && !amounts::is_numeric(&crate::grid::CellValue::Text(text.clone()))
                {
                    labels.push(text);
                }
            }
        }
    }
    RecognizeError::NoTables {
        file: grids
            .first()
            .map(|g| g.file.to_string())
            .unwrap_or_default(),
        sheets: grids
            .iter()
            .map(|g| &*g.sheet)
            .collect::<Vec<_>>()
            .join("、"),
        labels: if labels.is_empty() {
            "（无）".to_string()
        } else {
            labels.join("、")
        },
    }
}

/// The full labels of every unit kind, as a Chinese list: "行政单位、参照公务员法管理事业单位 或 事业单位".
fn known_kinds() -> String {
    let labels: Vec<&str> = UnitKind::ALL.iter().map(|k| k.full_label()).collect();
    match labels.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} 或 {last}", rest.join("、")),
        _ => labels.concat(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod test_grid;
