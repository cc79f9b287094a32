//! The tab-separated text of a published disclosure document: every line becomes a row, every
//! tab-separated field a cell (prose lines are one-cell rows). Sheet name "正文".

use crate::grid::{CellValue, Grid};

/// Turns disclosure text into one grid.
pub fn disclosure_text(file: &str, text: &str) -> Grid {
    let mut grid = Grid::new(file, "正文");
    for (r, line) in text.lines().enumerate() {
        for (c, field) in line.split('\t').enumerate() {
            if !field.trim().is_empty() {
                grid.set(r, c, CellValue::Text(field.to_string()));
            }
        }
    }
    grid
}
