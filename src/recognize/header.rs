//! Header blocks: finding the header rows of a table, spreading merged cells, and mapping the
//! printed column labels onto the catalogue's columns to decide which table it is.
//!
//! Works on labels only; reading the data rows under a header is for the table readers.

use super::norm::{cell_str, norm_end_into, norm_into, year_in};
use super::tables::{
    CATALOGUE, HEADER_LABEL_MAX_CHARS, SIDE_AMOUNTS, SIDE_LABELS, SPLIT_CODE_LABELS, Shape,
    TableSpec, is_header_label, is_total_label, spec,
};
use crate::grid::{CellValue, Grid, Merge};
use crate::model::TableId;

/// The widest header looked at; columns beyond are ignored.
const MAX_COLUMNS: usize = 200;
/// The most header rows one table can have.
const MAX_HEADER_ROWS: usize = 6;

/// Consecutive header rows of one table.
#[derive(Debug, Clone)]
pub(crate) struct HeaderBlock {
    /// First header row (absolute).
    pub first_row: usize,
    /// Last header row (absolute, inclusive).
    pub last_row: usize,
    /// Every label in the block, normalised, without repeats.
    pub labels: Vec<String>,
    /// Per column: the index in `labels` of the lowest label after spreading merges.
    leaf_labels: Vec<Option<usize>>,
    /// Per column: the cell its leaf label was read from (a merge's origin for every column
    /// the merge spans).
    leaf_origins: Vec<Option<(usize, usize)>>,
    /// The cells whose texts [`HeaderBlock::printed`] lists, in reading order.
    printed_cells: Vec<(usize, usize)>,
}

impl HeaderBlock {
    /// Per column: the lowest label after spreading merges, normalised ("" when none).
    pub(crate) fn leaves(&self) -> impl Iterator<Item = &str> + Clone + '_ {
        self.leaf_labels.iter().map(|i| self.label(*i))
    }

    /// The leaf of column `c` (see [`HeaderBlock::leaves`]); None beyond the block's width.
    pub(crate) fn leaf(&self, c: usize) -> Option<&str> {
        self.leaf_labels.get(c).map(|i| self.label(*i))
    }

    /// True when column `c`'s leaf is the same merged cell as column `c - 1`'s: a label
    /// printed over several columns names one column, its first.
    pub(crate) fn continues_left(&self, c: usize) -> bool {
        let origin = |c: usize| self.leaf_origins.get(c).copied().flatten();
        c.checked_sub(1)
            .is_some_and(|left| origin(left).is_some() && origin(left) == origin(c))
    }

    fn label(&self, index: Option<usize>) -> &str {
        index
            .and_then(|i| self.labels.get(i))
            .map_or("", String::as_str)
    }

    /// Every label in the block as printed (trimmed), in reading order, without repeats: only
    /// an error message shows them, so they are read again from `grid` when one is made.
    pub(crate) fn printed(&self, grid: &Grid) -> Vec<String> {
        let mut printed: Vec<String> = Vec::new();
        for &(r, c) in &self.printed_cells {
            if let Some(text) = cell_str(grid.cell(r, c))
                && !printed.iter().any(|p| *p == text)
            {
                printed.push(text.into_owned());
            }
        }
        printed
    }
}

/// One amount column found in a header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MappedColumn {
    /// The model column index (see `tables::ColumnSpec::index`).
    pub index: usize,
    /// The grid column.
    pub col: usize,
}

/// Where the parts of a table sit in the grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Layout {
    /// 表2/3/5/6/7/8.
    Classified {
        /// Amount columns.
        amounts: Vec<MappedColumn>,
        /// Columns of 类, 款, 项 when printed split.
        code_cols: [Option<usize>; 3],
        /// The name column, when labelled.
        name_col: Option<usize>,
        /// Columns before this one hold codes and names.
        label_end: usize,
    },
    /// 表1 and 表4.
    Sides {
        /// Income label column.
        income_label: usize,
        /// Income amount column.
        income_amount: usize,
        /// Expenditure label column.
        expenditure_label: usize,
        /// Expenditure amount columns (表1: index 0 only; 表4: 0..=3 = 合计 and the three funds).
        amounts: Vec<MappedColumn>,
    },
    /// 表9.
    ThreePublic {
        /// Amount columns, indices into `T9_COLUMNS`.
        amounts: Vec<MappedColumn>,
    },
}

/// What a header block turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A table we can read.
    Table(TableId, Layout),
    /// The header of this table, missing required columns (official labels).
    Missing(TableId, Vec<&'static str>),
    /// Not the header of any official table.
    Unknown,
}

/// True when row `r` looks like a header row: at least one known label, no numbers, and not a
/// lone 合计 (an empty table's total row).
pub(crate) fn is_header_row(grid: &Grid, r: usize) -> bool {
    let Some(row) = grid.rows.get(r) else {
        return false;
    };
    let cells = row.get(..MAX_COLUMNS).unwrap_or(row);
    // A numeric cell makes a data row; number cells are the cheapest to spot, so first, and
    // numbers stored as text before any label is normalised.
    if cells.iter().any(|v| matches!(v, CellValue::Number(_)))
        || cells.iter().any(super::amounts::is_numeric)
    {
        return false;
    }
    let mut labels = 0;
    let mut lone_total = false;
    // Room for the end `norm_end_into` gives: at most this many characters of four bytes.
    let mut n = String::with_capacity(4 * (HEADER_LABEL_MAX_CHARS + 1));
    for value in cells {
        if let Some(text) = cell_str(value) {
            n.clear();
            // A label is known by name (short) or by its end: an end one character longer
            // than the longest name tells a long text from every name, so the rest of a long
            // text need not be normalised.
            norm_end_into(&mut n, &text, HEADER_LABEL_MAX_CHARS + 1);
            if is_header_label(&n) {
                labels += 1;
                lone_total = is_total_label(&n);
            }
        }
    }
    labels >= 2 || (labels == 1 && !lone_total)
}

/// The header rows starting at `r` (which must be a header row), with merges spread.
pub(crate) fn read_block(grid: &Grid, r: usize) -> HeaderBlock {
    let mut last = r;
    while last + 1 < r + MAX_HEADER_ROWS && is_header_row(grid, last + 1) {
        last += 1;
    }
    let width = grid
        .rows
        .get(r..=last)
        .unwrap_or_default()
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .min(MAX_COLUMNS);
    // Only merges that reach into the block's rows can cover one of its cells.
    let merges: Vec<Merge> = grid
        .merges
        .iter()
        .filter(|m| m.first_row as usize <= last && m.last_row as usize >= r)
        .copied()
        .collect();
    let mut leaf_labels: Vec<Option<usize>> = vec![None; width];
    // Per column: the cell whose text the leaf holds. A merged cell repeats its origin's text,
    // already normalised for the column above or to the left and already among the labels.
    let mut leaf_origins: Vec<Option<(usize, usize)>> = vec![None; width];
    let mut printed_cells = Vec::with_capacity(width * (last + 1 - r));
    let mut labels: Vec<String> = Vec::with_capacity(width * (last + 1 - r));
    let mut n = String::new();
    for row in r..=last {
        for c in 0..width {
            let origin = merge_origin(&merges, row, c);
            if leaf_origins.get(c) == Some(&Some(origin)) {
                continue;
            }
            let left = c.checked_sub(1);
            if origin != (row, c)
                && let Some(left) = left
                && leaf_origins.get(left) == Some(&Some(origin))
            {
                let label = leaf_labels.get(left).copied().flatten();
                if let (Some(leaf), Some(from)) = (leaf_labels.get_mut(c), leaf_origins.get_mut(c))
                {
                    *leaf = label;
                    *from = Some(origin);
                }
                continue;
            }
            let Some(text) = cell_str(grid.cell(origin.0, origin.1)) else {
                continue;
            };
            n.clear();
            norm_into(&mut n, &text);
            let index = labels.iter().position(|l| *l == n).unwrap_or_else(|| {
                labels.push(n.clone());
                labels.len() - 1
            });
            if let (Some(leaf), Some(from)) = (leaf_labels.get_mut(c), leaf_origins.get_mut(c)) {
                *leaf = Some(index);
                *from = Some(origin);
            }
            if origin == (row, c) {
                printed_cells.push(origin);
            }
        }
    }
    HeaderBlock {
        first_row: r,
        last_row: last,
        labels,
        leaf_labels,
        leaf_origins,
        printed_cells,
    }
}

/// The top-left cell of the first of `merges` covering (r, c), or (r, c) itself.
fn merge_origin(merges: &[Merge], r: usize, c: usize) -> (usize, usize) {
    merges
        .iter()
        .find(|m| {
            (m.first_row as usize..=m.last_row as usize).contains(&r)
                && (m.first_col as usize..=m.last_col as usize).contains(&c)
        })
        .map(|m| (m.first_row as usize, m.first_col as usize))
        .unwrap_or((r, c))
}

/// Decides which table a header block belongs to. `title` is the table named by the title
/// above it (if any), `active` the table being read (a repeated header continues it).
/// `Missing` is only ever said of the titled table.
pub(crate) fn judge(
    block: &HeaderBlock,
    title: Option<TableId>,
    active: Option<TableId>,
) -> Verdict {
    // Fits are tried lazily, in the order the verdict prefers them: most headers sit under a
    // title they fit, which needs one fit instead of one per catalogue table.
    let titled = title.map(|id| (id, fit(spec(id), block)));
    let (id, missing) = match titled {
        Some((id, Ok(layout))) => return Verdict::Table(id, layout),
        Some((id, Err(missing))) => (Some(id), missing),
        None => (None, Vec::new()),
    };
    // A title that does not fit yields only to a table its group label names; otherwise its
    // missing columns are the problem (a 表3 whose 基本支出 is split must not pass for 表8).
    if let Some((grouped, layout)) = grouped_fit(block) {
        return Verdict::Table(grouped, layout);
    }
    if let Some(id) = id
        && partly_there(spec(id), block)
    {
        return Verdict::Missing(id, missing);
    }
    let first_fit = || {
        CATALOGUE
            .iter()
            .find_map(|s| fit(s, block).ok().map(|l| (s.id, l)))
    };
    if let Some((id, layout)) = active
        .and_then(|id| fit(spec(id), block).ok().map(|l| (id, l)))
        .or_else(first_fit)
    {
        return Verdict::Table(id, layout);
    }
    // An untitled header that fits nothing is some other table (项目支出明细, 政府采购…): not
    // an error, whatever group label it shares with ours.
    Verdict::Unknown
}

/// The first catalogue table (in catalogue order) whose group label is in the block and whose
/// columns the block fits.
fn grouped_fit(block: &HeaderBlock) -> Option<(TableId, Layout)> {
    let has_group = |spec: &TableSpec| {
        spec.groups
            .iter()
            .any(|g| block.labels.iter().any(|l| l == g))
    };
    CATALOGUE
        .iter()
        .filter(|s| has_group(s))
        .find_map(|s| fit(s, block).ok().map(|l| (s.id, l)))
}

/// True when some column other than 合计 (which every table has) is in the header.
fn partly_there(spec: &TableSpec, block: &HeaderBlock) -> bool {
    spec.columns
        .iter()
        .skip(1)
        .any(|c| block.leaves().any(|l| c.labels.contains(&l)))
}

/// How the block fits the table, or the official labels of the required columns it lacks.
fn fit(spec: &TableSpec, block: &HeaderBlock) -> Result<Layout, Vec<&'static str>> {
    match spec.shape {
        Shape::Classified => fit_classified(spec, block),
        Shape::Overview | Shape::Fiscal => fit_sides(spec, block),
        Shape::ThreePublic => {
            let (amounts, missing) = map_columns(spec, block, 0);
            if missing.is_empty() {
                Ok(Layout::ThreePublic { amounts })
            } else {
                Err(missing)
            }
        }
    }
}

fn fit_classified(spec: &TableSpec, block: &HeaderBlock) -> Result<Layout, Vec<&'static str>> {
    let (amounts, missing) = map_columns(spec, block, 0);
    if !missing.is_empty() {
        return Err(missing);
    }
    let label_end = amounts.iter().map(|m| m.col).min().unwrap_or(0);
    // The leaves before the first amount column (none when that lies beyond the block).
    let region_width = if label_end <= block.leaf_labels.len() {
        label_end
    } else {
        0
    };
    let region = || block.leaves().take(region_width);
    if region().all(str::is_empty) {
        return Err(vec!["科目编码"]);
    }
    let find = |label: &str| region().position(|l| l == label);
    let code_cols = SPLIT_CODE_LABELS.map(find);
    let name_col = region()
        .position(|l| l.ends_with("科目名称"))
        .or_else(|| region().position(|l| l.ends_with("名称") && !l.contains("单位")));
    Ok(Layout::Classified {
        amounts,
        code_cols,
        name_col,
        label_end,
    })
}

fn fit_sides(spec: &TableSpec, block: &HeaderBlock) -> Result<Layout, Vec<&'static str>> {
    let side_cols: Vec<usize> = block
        .leaves()
        .enumerate()
        .filter(|(c, l)| SIDE_LABELS.contains(l) && !block.continues_left(*c))
        .map(|(c, _)| c)
        .collect();
    let (Some(&income_label), Some(&expenditure_label)) = (side_cols.first(), side_cols.get(1))
    else {
        return Err(vec!["项目"]);
    };
    let income_amount = (income_label + 1..expenditure_label)
        .find(|c| block.leaf(*c).is_some_and(is_side_amount))
        .ok_or_else(|| vec!["预算数"])?;
    let (amounts, missing) = map_columns(spec, block, expenditure_label + 1);
    if !missing.is_empty() {
        return Err(missing);
    }
    if spec.shape == Shape::Overview {
        // A 表4 header also fits 表1's columns; its fund columns tell them apart.
        let fiscal = spec_fits_fiscal(block, expenditure_label + 1);
        if fiscal {
            return Err(vec!["预算数"]);
        }
    }
    Ok(Layout::Sides {
        income_label,
        income_amount,
        expenditure_label,
        amounts,
    })
}

fn spec_fits_fiscal(block: &HeaderBlock, from: usize) -> bool {
    map_columns(spec(TableId::T4), block, from).1.is_empty()
}

/// Maps each catalogue column to the first unused grid column at or after `from` whose leaf
/// label is one of its labels; returns the mapping and the official labels of required
/// columns not found.
fn map_columns(
    spec: &TableSpec,
    block: &HeaderBlock,
    from: usize,
) -> (Vec<MappedColumn>, Vec<&'static str>) {
    let mut mapped: Vec<MappedColumn> = Vec::new();
    let mut missing = Vec::new();
    for column in spec.columns {
        let free = |c: usize| !mapped.iter().any(|m| m.col == c);
        let leaves = || block.leaves().enumerate().skip(from);
        let found = leaves()
            .find(|(c, leaf)| free(*c) && column.labels.contains(leaf))
            .or_else(|| leaves().find(|(c, leaf)| free(*c) && flattened(spec, column, leaf)));
        match found {
            Some((col, _)) => mapped.push(MappedColumn {
                index: column.index,
                col,
            }),
            None if column.required => {
                missing.push(column.labels.first().copied().unwrap_or_default())
            }
            None => {}
        }
    }
    (mapped, missing)
}

/// True when a flat header joined a group or parent label and the column's label into one cell:
/// `“三公”经费合计`, `公务用车购置及运行费小计`, `收入预算合计`.
fn flattened(spec: &TableSpec, column: &super::tables::ColumnSpec, leaf: &str) -> bool {
    column.labels.iter().any(|label| {
        leaf.strip_suffix(label).is_some_and(|prefix| {
            !prefix.is_empty()
                && (spec.groups.contains(&prefix)
                    || spec.columns.iter().any(|c| c.labels.contains(&prefix))
                    || is_year_prefix(prefix))
        })
    })
}

/// `2024年` or `本年`, as in `2024年预算数`.
fn is_year_prefix(prefix: &str) -> bool {
    prefix == "本年" || (year_in(prefix).is_some() && prefix.chars().count() == 5)
}

/// A side table's amount label: `预算数`, `金额`, or such with a year (`2024年预算数`).
fn is_side_amount(leaf: &str) -> bool {
    SIDE_AMOUNTS.contains(&leaf)
        || SIDE_AMOUNTS
            .iter()
            .any(|a| leaf.strip_suffix(a).is_some_and(is_year_prefix))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::test_grid::{UNIT_T1_HEADER, grid_of, merge_all};

    fn grid(rows: &[&[&str]]) -> Grid {
        grid_of("t.xlsx", "Sheet1", rows)
    }

    fn amounts(pairs: &[(usize, usize)]) -> Vec<MappedColumn> {
        pairs
            .iter()
            .map(|&(index, col)| MappedColumn { index, col })
            .collect()
    }

    /// 表9 with its seven amounts in columns A to G, in the official order.
    fn table9_in_columns_a_to_g() -> Verdict {
        Verdict::Table(
            TableId::T9,
            Layout::ThreePublic {
                amounts: amounts(&[(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5), (6, 6)]),
            },
        )
    }

    #[test]
    fn seed_income_header_maps_all_columns() {
        let g = grid(&[
            &["项目", "", "", "收入预算"],
            &[
                "功能分类科目编码",
                "",
                "",
                "功能分类科目名称",
                "合计",
                "财政拨款收入",
                "事业收入",
                "事业单位 经营收入",
                "其他收入",
            ],
            &["类", "款", "项"],
        ]);
        assert!(is_header_row(&g, 0) && is_header_row(&g, 2));
        let block = read_block(&g, 0);
        assert_eq!(block.last_row, 2);
        let verdict = judge(&block, None, None);
        assert_eq!(
            verdict,
            Verdict::Table(
                TableId::T2,
                Layout::Classified {
                    amounts: amounts(&[(0, 4), (1, 5), (2, 6), (3, 7), (4, 8)]),
                    code_cols: [Some(0), Some(1), Some(2)],
                    name_col: Some(3),
                    label_end: 4,
                }
            )
        );
    }

    #[test]
    fn group_label_tells_split_tables_apart() {
        for (group, id) in [
            ("支出预算", TableId::T3),
            ("一般公共预算支出", TableId::T5),
            ("政府性基金预算支出", TableId::T6),
            ("国有资本经营预算支出", TableId::T7),
        ] {
            let g = grid(&[
                &["项目", "", "", "", group],
                &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            ]);
            let Verdict::Table(found, _) = judge(&read_block(&g, 0), None, None) else {
                panic!("{group}");
            };
            assert_eq!(found, id, "{group}");
        }
        let g = grid(&[&["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]);
        let block = read_block(&g, 0);
        assert!(matches!(
            judge(&block, None, None),
            Verdict::Table(TableId::T3, _)
        ));
        assert!(matches!(
            judge(&block, Some(TableId::T6), None),
            Verdict::Table(TableId::T6, _)
        ));
        assert!(matches!(
            judge(&block, None, Some(TableId::T7)),
            Verdict::Table(TableId::T7, _)
        ));
    }

    #[test]
    fn merged_headers_spread_their_labels() {
        let mut g = grid(&[
            &["项目", "", "", "", "一般公共预算基本支出"],
            &[
                "部门预算经济分类科目编码",
                "",
                "经济分类科目名称",
                "合计",
                "人员经费",
                "公用经费",
            ],
            &["类", "款"],
        ]);
        merge_all(&mut g, &[(1, 2, 2, 2), (1, 3, 2, 3)]);
        let block = read_block(&g, 0);
        assert_eq!(block.leaf(2), Some("经济分类科目名称"));
        assert_eq!(block.leaf(3), Some("合计"));
        let Verdict::Table(
            TableId::T8,
            Layout::Classified {
                code_cols,
                name_col,
                ..
            },
        ) = judge(&block, None, None)
        else {
            panic!("not T8");
        };
        assert_eq!(code_cols, [Some(0), Some(1), None]);
        assert_eq!(name_col, Some(2));
    }

    #[test]
    fn table9_header_with_merges() {
        let mut g = grid(&[
            &["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
            &[
                "合计",
                "因公出国（境）费",
                "公务接待费",
                "公务用车购置及运行费",
            ],
            &["", "", "", "小计", "购置费", "运行费"],
        ]);
        merge_all(
            &mut g,
            &[
                (0, 0, 0, 5),
                (0, 6, 2, 6),
                (1, 0, 2, 0),
                (1, 1, 2, 1),
                (1, 2, 2, 2),
                (1, 3, 1, 5),
            ],
        );
        assert_eq!(
            judge(&read_block(&g, 0), None, None),
            table9_in_columns_a_to_g()
        );
    }

    #[test]
    fn flat_table9_header_joins_group_and_leaf() {
        let g = grid(&[&[
            "“三公”经费合计",
            "因公出国(境)费",
            "公务接待费",
            "公务用车购置及运行费小计",
            "公务用车购置费",
            "公务用车运行费",
            "机关运行经费预算数",
        ]]);
        assert_eq!(
            judge(&read_block(&g, 0), None, None),
            table9_in_columns_a_to_g()
        );
    }

    #[test]
    fn overview_and_fiscal_sides() {
        let g = grid(&[
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "预算数"],
        ]);
        assert_eq!(
            judge(&read_block(&g, 0), None, None),
            Verdict::Table(
                TableId::T1,
                Layout::Sides {
                    income_label: 0,
                    income_amount: 1,
                    expenditure_label: 2,
                    amounts: amounts(&[(0, 3)])
                }
            )
        );
        let g = grid(&[
            &["财政拨款收入", "", "财政拨款支出"],
            &[
                "项目",
                "预算数",
                "项目",
                "合计",
                "一般公共预算",
                "政府性基金预算",
                "国有资本经营预算",
            ],
        ]);
        let Verdict::Table(TableId::T4, Layout::Sides { amounts: a, .. }) =
            judge(&read_block(&g, 0), None, None)
        else {
            panic!("not T4");
        };
        assert_eq!(a, amounts(&[(0, 3), (1, 4), (2, 5), (3, 6)]));
        // A unit-level 表1 without a 基本支出 小计: 合计 | 基本支出 (人员经费, 公用经费) | 项目支出.
        let g = grid(&[
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "合计", "基本支出", "", "项目支出"],
            &["", "", "", "", "人员经费", "公用经费"],
        ]);
        let Verdict::Table(TableId::T1, Layout::Sides { amounts: a, .. }) =
            judge(&read_block(&g, 0), None, None)
        else {
            panic!("not T1");
        };
        assert_eq!(a, amounts(&[(0, 3), (2, 4), (3, 5), (4, 6)]));
        // The official unit layout: 基本支出 over 小计 | 人员经费 | 公用经费 (8 columns).
        let g = grid(&UNIT_T1_HEADER);
        let Verdict::Table(TableId::T1, Layout::Sides { amounts: a, .. }) =
            judge(&read_block(&g, 0), None, None)
        else {
            panic!("not T1");
        };
        assert_eq!(a, amounts(&[(0, 3), (1, 4), (2, 5), (3, 6), (4, 7)]));
    }

    #[test]
    fn missing_required_column_is_named() {
        let g = grid(&[&["科目编码", "科目名称", "合计", "基本支出"]]);
        let block = read_block(&g, 0);
        assert_eq!(judge(&block, None, None), Verdict::Unknown);
        assert_eq!(
            judge(&block, Some(TableId::T3), None),
            Verdict::Missing(TableId::T3, vec!["项目支出"])
        );
    }

    #[test]
    fn a_title_that_does_not_fit_is_not_taken_for_another_table() {
        // 表3 with 基本支出 split into 人员经费/公用经费 also fits 表8's columns.
        let g = grid(&[
            &["项目", "", "支出预算"],
            &["科目编码", "科目名称", "合计", "基本支出", "", "项目支出"],
            &["", "", "", "人员经费", "公用经费"],
        ]);
        let block = read_block(&g, 0);
        assert_eq!(
            judge(&block, Some(TableId::T3), None),
            Verdict::Missing(TableId::T3, vec!["基本支出"])
        );
        // A group label naming another table overrides a stale title.
        let g = grid(&[
            &["项目", "", "一般公共预算支出"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ]);
        let verdict = judge(&read_block(&g, 0), Some(TableId::T2), None);
        assert!(matches!(verdict, Verdict::Table(TableId::T5, _)));
        // A stale title (from a 目录) sharing only 合计 with the header does not block it.
        let g = grid(&[&["科目编码", "科目名称", "合计", "人员经费", "公用经费"]]);
        let verdict = judge(&read_block(&g, 0), Some(TableId::T9), None);
        assert!(matches!(verdict, Verdict::Table(TableId::T8, _)));
    }

    #[test]
    fn lone_total_and_data_rows_are_not_headers() {
        let g = grid(&[
            &["合计"],
            &["201", "", "", "一般公共服务支出", "100"],
            &["其他相关情况说明"],
        ]);
        assert!(!is_header_row(&g, 0));
        assert!(!is_header_row(&g, 1));
        assert!(!is_header_row(&g, 2));
    }
}
