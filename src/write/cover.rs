//! The 封面 and 目录 sheets of a published budget document, added before the nine tables when
//! `WriteOptions::cover` asks for them.
//!
//! Not tables: no template, just a centred title page and a list of the nine titles. Formats come from `style`.

use super::layout::{Context, Layout};
use super::style::Styles;
use crate::model::Level;
use rust_xlsxwriter::{Worksheet, XlsxError};

/// The cover: "上海市2024年市级部门预算" and "预算主管部门：{entity}".
pub fn cover(ws: &mut Worksheet, ctx: &Context<'_>, styles: &Styles) -> Result<(), XlsxError> {
    ws.set_name("封面")?;
    let year = ctx.year.map(|y| format!("{y}年")).unwrap_or_default();
    let (kind, who) = match ctx.level {
        Level::Department => ("部门", "预算主管部门"),
        Level::Unit => ("单位", "预算单位"),
    };
    ws.set_column_width(0, 90)?;
    ws.set_row_height(6, 60)?;
    ws.write_string_with_format(
        6,
        0,
        format!("上海市{year}市级{kind}预算"),
        &styles.cover_title,
    )?;
    ws.set_row_height(12, 30)?;
    ws.write_string_with_format(12, 0, format!("{who}：{}", ctx.entity), &styles.cover_line)?;
    page(ws, 14)
}

/// 目录: the nine titles in order, numbered 1.–9.
pub fn contents(
    ws: &mut Worksheet,
    ctx: &Context<'_>,
    layouts: &[&Layout],
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name("目录")?;
    ws.set_column_width(0, 90)?;
    ws.set_row_height(0, 40)?;
    ws.write_string_with_format(0, 0, "目 录", &styles.toc_heading)?;
    let mut row = 1;
    for layout in layouts {
        let Some(table) = layout.table else { continue };
        row += 1;
        let text = format!("{}. {}", table.number(), ctx.fill(&layout.title));
        // Plain text, not hyperlinks: LibreOffice prints link cells outside the page margin.
        ws.write_string_with_format(row, 0, text, &styles.toc_item)?;
        ws.set_row_height(row, 24)?;
    }
    page(ws, row)
}

fn page(ws: &mut Worksheet, last_row: u32) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_center_horizontally(true);
    ws.set_print_area(0, 0, last_row, 0)?;
    ws.set_screen_gridlines(false);
    Ok(())
}
