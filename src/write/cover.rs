//! The 封面 and 目录 sheets of a published budget document, added before the nine tables when
//! `WriteOptions::cover` asks for them.
//!
//! Not tables: no template, just a centred title page and a list of the nine titles. Formats come from `style`.

use super::cells::Cells;
use super::layout::{Context, Layout};
use super::plan::{Page, Sheet};
use super::style::Styles;
use crate::model::Level;
use std::borrow::Cow;

/// The width of column A of both sheets.
const WIDTH: f64 = 90.0;

/// The cover: "上海市2024年市级部门预算" and "预算主管部门：{entity}".
pub fn cover(ctx: &Context<'_>, styles: &'static Styles) -> Sheet<'static> {
    let year = ctx.year.map(|y| format!("{y}年")).unwrap_or_default();
    let (kind, who) = match ctx.level {
        Level::Department => ("部门", "预算主管部门"),
        Level::Unit => ("单位", "预算单位"),
    };
    let mut cells = Cells::with_capacity(2);
    cells.text(
        6,
        0,
        format!("上海市{year}市级{kind}预算"),
        &styles.cover_title,
    );
    cells.text(12, 0, format!("{who}：{}", ctx.entity), &styles.cover_line);
    Sheet {
        name: Cow::Borrowed("封面"),
        widths: vec![WIDTH],
        heights: vec![(6, 60.0), (12, 30.0)],
        cells,
        page: Page::Single { last_row: 14 },
    }
}

/// 目录: the nine titles in order, numbered 1.–9.
pub fn contents(ctx: &Context<'_>, layouts: &[&Layout], styles: &'static Styles) -> Sheet<'static> {
    let mut cells = Cells::with_capacity(1 + layouts.len());
    let mut heights = vec![(0, 40.0)];
    cells.text(0, 0, "目 录", &styles.toc_heading);
    let mut row = 1;
    for layout in layouts {
        let Some(table) = layout.table else { continue };
        row += 1;
        let text = format!("{}. {}", table.number(), ctx.fill(&layout.title));
        // Plain text, not hyperlinks: LibreOffice prints link cells outside the page margin.
        cells.text(row, 0, text, &styles.toc_item);
        heights.push((row, 24.0));
    }
    Sheet {
        name: Cow::Borrowed("目录"),
        widths: vec![WIDTH],
        heights,
        cells,
        page: Page::Single { last_row: row },
    }
}
