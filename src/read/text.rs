//! The tab-separated text of a published disclosure document: every line becomes a row (line
//! N is row N, so A1 addresses name the line), every tab-separated field a cell; prose lines are
//! one-cell rows. Sheet name "正文".
//!
//! An adapter only: fields stay text exactly as written (the recogniser trims and parses them);
//! a leading byte-order mark is dropped; `\r\n` and `\n` both end a line. Decoding bytes to text
//! is the caller's business (see `read`).

use crate::grid::{CellValue, Grid};

/// The sheet name of a disclosure text's grid.
pub const SHEET: &str = "正文";

/// Turns disclosure text into one grid.
pub fn disclosure_text(file: &str, text: &str) -> Grid {
    let mut grid = Grid::new(file, SHEET);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (r, line) in text.lines().enumerate() {
        grid.rows.push(Vec::new());
        for (c, field) in line.split('\t').enumerate() {
            if !field.trim().is_empty() {
                grid.set(r, c, CellValue::Text(field.to_string()));
            }
        }
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.to_string())
    }

    #[test]
    fn lines_are_rows_and_tabs_are_cells() {
        let g = disclosure_text(
            "seed.txt",
            "\u{feff}2024年部门收入预算总表\r\n\r\n201\t03\t\t政府办公厅（室）及相关机构事务\t64,279,020\n合计\t\t\t\t84,281,400\t\n",
        );
        assert_eq!((&*g.file, &*g.sheet), ("seed.txt", "正文"));
        assert_eq!(g.rows.len(), 4);
        assert_eq!(g.cell(0, 0), &text("2024年部门收入预算总表"));
        assert!(g.rows[1].is_empty());
        assert_eq!(g.cell(2, 1), &text("03"));
        assert_eq!(g.cell(2, 2), &CellValue::Empty);
        assert_eq!(g.cell(2, 4), &text("64,279,020"));
        assert_eq!(g.cell(3, 4), &text("84,281,400"));
        assert_eq!(g.location(2, 4).cell.to_string(), "E3");
        assert!(g.merges.is_empty());
    }

    #[test]
    fn fields_keep_their_spaces_and_blank_fields_stay_empty() {
        let g = disclosure_text("f.txt", "功能分类科目编码\t \t事业单位 经营收入");
        assert_eq!(g.cell(0, 1), &CellValue::Empty);
        assert_eq!(g.cell(0, 2), &text("事业单位 经营收入"));
        assert_eq!(disclosure_text("f.txt", "").rows.len(), 0);
    }
}
