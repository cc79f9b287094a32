//! Grids for the recogniser's unit tests, spelled as rows of short strings plus merged ranges
//! as tuples, so each test shows its sheet at a glance. Test-only: not for reading real files
//! (that is `crate::read`).

use crate::grid::{CellValue, Grid, Merge};

/// The three header rows of the official unit-level 表1 (基本支出 over 小计 | 人员经费 |
/// 公用经费; 8 columns), as a unit prints them.
pub(super) const UNIT_T1_HEADER: [&[&str]; 3] = [
    &["本年收入", "", "本年支出"],
    &[
        "项目",
        "预算数",
        "项目",
        "合计",
        "基本支出",
        "",
        "",
        "项目支出",
    ],
    &["", "", "", "", "小计", "人员经费", "公用经费"],
];

/// A cell from a short spelling: "" empty, "=12.5" number, "!#REF!" error value,
/// "~=SUM(E5:E9)" formula without cached value, anything else text.
pub(super) fn value(s: &str) -> CellValue {
    if s.is_empty() {
        CellValue::Empty
    } else if let Some(n) = s.strip_prefix('=') {
        CellValue::Number(n.parse().unwrap())
    } else if let Some(e) = s.strip_prefix('!') {
        CellValue::Error(e.to_string())
    } else if let Some(f) = s.strip_prefix('~') {
        CellValue::FormulaWithoutValue(f.to_string())
    } else {
        CellValue::Text(s.to_string())
    }
}

/// Sheet `sheet` of file `file` holding `rows` (spelled as for [`value`]) from A1.
pub(super) fn grid_of(file: &str, sheet: &str, rows: &[&[&str]]) -> Grid {
    let mut g = Grid::new(file, sheet);
    append(&mut g, rows);
    g
}

/// Adds `rows` (spelled as for [`value`]) below the grid's last row; empty cells stay unset.
pub(super) fn append(g: &mut Grid, rows: &[&[&str]]) {
    let base = g.rows.len();
    for (r, row) in rows.iter().enumerate() {
        g.rows.push(Vec::new());
        for (c, v) in row.iter().enumerate() {
            let v = value(v);
            if v != CellValue::Empty {
                g.set(base + r, c, v);
            }
        }
    }
}

/// Merges each 0-based `(first_row, first_col, last_row, last_col)` range of `ranges`.
pub(super) fn merge_all(g: &mut Grid, ranges: &[(u32, u32, u32, u32)]) {
    for &(first_row, first_col, last_row, last_col) in ranges {
        g.merges.push(Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        });
    }
}
