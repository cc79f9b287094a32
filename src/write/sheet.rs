//! Plans one table sheet: rows from `rows` through a `layout`, with the formats of `style`.
//!
//! Title, 编制部门/单位 row, merged header, body, 合计 row, empty-table note, column widths
//! (measured with `unicode-width`, CJK counting double), row heights for wrapped text, and the
//! page setup (A4, orientation, one page wide, repeated header rows, print area, footer,
//! frozen panes), as a `plan::Sheet` that `plan` renders. The same planner serves all nine
//! tables and the 校验结果 sheet; nothing here is specific to one table. Not for deciding what
//! the rows are.

use super::cells::Cells;
use super::layout::{AMOUNT_SLOTS, Binding, Context, Layout, TextKind};
use super::plan::{Page, Sheet};
use super::rows::{Body, Row, RowKind};
use super::style::Styles;
use crate::model::{CodeLevel, MoneyUnit};
use crate::money::round_dp;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::Format;
use std::borrow::Cow;
use unicode_width::UnicodeWidthStr;

/// Excel width units per display column of body text (宋体 10pt is about one Calibri digit
/// per half-width character).
const UNITS_PER_CHAR: f64 = 1.0;
/// Padding added to every measured width, in Excel width units.
const PAD: f64 = 2.0;
/// Width units one indent level takes.
const INDENT_UNITS: f64 = 2.0;
/// Height of one line of body text in points.
const LINE: f64 = 14.0;
/// Smallest height of a header row in points.
const HEADER_MIN: f64 = 20.0;
/// Height of the title row in points.
const TITLE_HEIGHT: f64 = 36.0;
/// Height of the 编制部门 row in points.
const ENTITY_HEIGHT: f64 = 20.0;
/// Rendering settings that come from the caller.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Print zero amounts as 0 instead of blank.
    pub zeros_as_digits: bool,
}

/// Plans the sheet described by `layout` with `body`.
pub fn plan<'a>(
    layout: &'a Layout,
    body: &'a Body<'_>,
    styles: &'static Styles,
    ctx: &Context<'_>,
    settings: Settings,
) -> Sheet<'a> {
    // Title, entity and unit label, the header, one write per body cell, the note.
    let writes = 4 + layout.header.len() + body.rows.len() * layout.columns.len();
    let mut cells = Cells::with_capacity(writes);
    let mut heights = Vec::with_capacity(3 + usize::from(layout.header_rows));
    let ncols = layout.columns.len() as u16;
    let last_col = ncols.saturating_sub(1);
    let wan = ctx.unit == MoneyUnit::WanYuan;
    let amounts = printed_amounts(layout, body, ctx.unit);
    let cents = usize::from(wan || has_cents(&amounts));
    let needs = text_needs(layout, body);
    let widths = column_widths(layout, &needs, &amounts, cents == 1);

    // Title and 编制部门 rows: no borders.
    let title = ctx.fill(&layout.title);
    merge_or_write(&mut cells, 0, 0, last_col, title, &styles.title);
    heights.push((0, TITLE_HEIGHT));
    let entity = ctx.fill(&layout.entity_line);
    match &layout.unit_label {
        Some(label) if ncols >= 2 => {
            merge_or_write(&mut cells, 1, 0, last_col - 1, entity, &styles.entity);
            cells.text(1, last_col, ctx.fill(label), &styles.unit);
        }
        _ => merge_or_write(&mut cells, 1, 0, last_col, entity, &styles.entity),
    }
    heights.push((1, ENTITY_HEIGHT));

    // Header.
    let header_first = 2u32;
    for cell in &layout.header {
        let (r, c) = (header_first + u32::from(cell.row), cell.col);
        let (r2, c2) = (r + u32::from(cell.rows) - 1, c + cell.cols - 1);
        if r2 > r || c2 > c {
            cells.merge((r, r2), (c, c2), cell.text.as_str(), &styles.header);
        } else {
            cells.text(r, c, cell.text.as_str(), &styles.header);
        }
    }
    for (i, h) in header_heights(layout, &widths).into_iter().enumerate() {
        heights.push((header_first + i as u32, h));
    }

    // Body.
    let body_first = header_first + u32::from(layout.header_rows);
    let label_span = layout
        .columns
        .iter()
        .take_while(|c| matches!(c.binding, Binding::Text { .. }))
        .count() as u16;
    let mut r = body_first;
    let n = layout.columns.len();
    for (i, (row, printed)) in body.rows.iter().zip(&amounts).enumerate() {
        let needs = needs.get(i * n..(i + 1) * n).unwrap_or_default();
        write_row(
            &mut cells, r, row, printed, layout, styles, cents, label_span, settings,
        );
        let lines = row_lines(layout, row, needs, &widths);
        if lines > 1 {
            heights.push((r, LINE * f64::from(lines) + 4.0));
        }
        r += 1;
    }
    let mut last_row = r.saturating_sub(1);

    // The note under an empty table.
    if let (true, Some(note)) = (body.empty, &layout.empty_note) {
        let note = ctx.fill(note);
        let total: f64 = widths.iter().sum();
        let lines = wrapped_lines(&note, total);
        merge_or_write(&mut cells, r, 0, last_col, note, &styles.note);
        heights.push((r, LINE * lines + 8.0));
        last_row = r;
    }

    Sheet {
        name: Cow::Borrowed(layout.sheet.as_str()),
        widths,
        heights,
        cells,
        page: Page::Table {
            orientation: layout.orientation,
            header_rows: body_first,
            last_row,
            last_col,
        },
    }
}

fn merge_or_write<'a>(
    cells: &mut Cells<'a>,
    row: u32,
    first: u16,
    last: u16,
    text: impl Into<Cow<'a, str>>,
    format: &'static Format,
) {
    if last > first {
        cells.merge((row, row), (first, last), text, format);
    } else {
        cells.text(row, first, text, format);
    }
}

#[allow(clippy::too_many_arguments)]
fn write_row<'a>(
    cells: &mut Cells<'a>,
    r: u32,
    row: &'a Row<'_>,
    printed: &PrintedRow,
    layout: &'a Layout,
    styles: &'static Styles,
    cents: usize,
    label_span: u16,
    settings: Settings,
) {
    let total = matches!(row.kind, RowKind::Total | RowKind::GrandTotal);
    let mut first_col = 0u16;
    if row.kind == RowKind::Total && label_span > 0 {
        let label = layout.total_labels.first().map_or("合计", String::as_str);
        merge_or_write(cells, r, 0, label_span - 1, label, &styles.total_label);
        first_col = label_span;
    }
    for (c, column) in layout
        .columns
        .iter()
        .enumerate()
        .skip(usize::from(first_col))
    {
        let c = c as u16;
        match column.binding {
            Binding::Text { slot, kind } => {
                let text = row.text.get(slot).map_or("", |t| t.as_ref());
                let format = if total {
                    &styles.total_label
                } else {
                    match kind {
                        TextKind::Code => &styles.code,
                        TextKind::Label => &styles.label,
                        TextKind::Name => &styles.names[indent(row.kind)],
                    }
                };
                if text.is_empty() {
                    cells.blank(r, c, format);
                } else {
                    cells.text(r, c, text, format);
                }
            }
            Binding::Amount { slot } => {
                let format = if total {
                    &styles.total_amounts[cents]
                } else {
                    &styles.amounts[cents]
                };
                let value = printed
                    .get(slot)
                    .copied()
                    .flatten()
                    .filter(|v| settings.zeros_as_digits || !v.is_zero());
                match value.and_then(to_cell_number) {
                    Some(n) => cells.number(r, c, n, format),
                    None => cells.blank(r, c, format),
                };
            }
        }
    }
}

fn indent(kind: RowKind) -> usize {
    match kind {
        RowKind::Line(CodeLevel::Kuan) => 1,
        RowKind::Line(CodeLevel::Xiang) => 2,
        _ => 0,
    }
}

/// The amount as printed: 元 to the 分, or 万元 rounded half-up to 2 decimals.
pub fn printed(yuan: Decimal, unit: MoneyUnit) -> Decimal {
    match unit {
        // Dividing by 1 would leave the value as it is.
        MoneyUnit::Yuan => round_dp(yuan, 2),
        MoneyUnit::WanYuan => round_dp(yuan / unit.factor(), 2),
    }
}

/// The cell value of a printed amount: exact for whole numbers, the nearest float otherwise
/// (through the decimal text, never float arithmetic).
fn to_cell_number(value: Decimal) -> Option<f64> {
    if value.is_integer() {
        value.trunc().to_i64().map(|i| i as f64)
    } else {
        value.to_string().parse().ok()
    }
}

/// One row's amounts as printed, by amount slot; `None` for a blank or an unshown slot.
type PrintedRow = [Option<Decimal>; AMOUNT_SLOTS];

/// Every row's amounts as printed in `unit`, for the slots the layout shows: computed once
/// per sheet, then used for the number format, the widths and the cells.
fn printed_amounts(layout: &Layout, body: &Body<'_>, unit: MoneyUnit) -> Vec<PrintedRow> {
    let slots: Vec<usize> = layout
        .columns
        .iter()
        .filter_map(|c| match c.binding {
            Binding::Amount { slot } => Some(slot),
            Binding::Text { .. } => None,
        })
        .collect();
    body.rows
        .iter()
        .map(|row| {
            let mut out: PrintedRow = [None; AMOUNT_SLOTS];
            for &slot in &slots {
                if let (Some(cell), Some(Some(yuan))) = (out.get_mut(slot), row.amounts.get(slot)) {
                    *cell = Some(printed(*yuan, unit));
                }
            }
            out
        })
        .collect()
}

/// True when some printed amount of the sheet has 分.
fn has_cents(amounts: &[PrintedRow]) -> bool {
    amounts.iter().flatten().flatten().any(|v| !v.is_integer())
}

/// Width of text in Excel units: display width (CJK double) at the body font; for text with
/// explicit line breaks, the widest line.
fn text_units(text: &str) -> f64 {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0) as f64 * UNITS_PER_CHAR
}

/// The length of `money::format_fixed(value, decimals)` (all ASCII, so also its display
/// width), counted rather than formatted: sign, digits, thousands separators, decimals.
fn fixed_len(value: Decimal, decimals: u32) -> usize {
    let v = round_dp(value, decimals);
    let negative = v.is_sign_negative() && !v.is_zero();
    let mut int = v.abs().trunc().mantissa().unsigned_abs();
    let mut digits = 1;
    while int >= 10 {
        int /= 10;
        digits += 1;
    }
    let fraction = if decimals > 0 {
        1 + decimals as usize
    } else {
        0
    };
    usize::from(negative) + digits + (digits - 1) / 3 + fraction
}

/// How many lines text takes in a cell `width` units wide (explicit breaks, then wrapping).
fn wrapped_lines(text: &str, width: f64) -> f64 {
    let room = (width - 1.0).max(1.0);
    text.lines()
        .map(|line| {
            (line.width() as f64 * UNITS_PER_CHAR / room)
                .ceil()
                .max(1.0)
        })
        .sum::<f64>()
        .max(1.0)
}

/// The width a row's text in one column needs, including the indent.
fn cell_units(row: &Row<'_>, slot: usize, kind: TextKind) -> f64 {
    let text = row.text.get(slot).map_or("", |t| t.as_ref());
    let indent = if kind == TextKind::Name {
        indent(row.kind) as f64 * INDENT_UNITS
    } else {
        0.0
    };
    text_units(text) + indent
}

/// The width each body text cell needs, with its indent, row by row and column by column
/// (`rows × columns`): measured once for the column widths and the row heights. 0 for amount
/// columns and for 合计 rows, whose labels neither widen their columns nor wrap.
fn text_needs(layout: &Layout, body: &Body<'_>) -> Vec<f64> {
    let mut needs = Vec::with_capacity(body.rows.len() * layout.columns.len());
    for row in &body.rows {
        for column in &layout.columns {
            needs.push(match column.binding {
                Binding::Text { slot, kind } if row.kind != RowKind::Total => {
                    cell_units(row, slot, kind)
                }
                _ => 0.0,
            });
        }
    }
    needs
}

/// Column widths from the content: header text of single-column header cells, body text with
/// its indent (`needs`, see [`text_needs`]), and the widest printed amount; clamped to the
/// template's bounds.
fn column_widths(layout: &Layout, needs: &[f64], amounts: &[PrintedRow], cents: bool) -> Vec<f64> {
    let decimals = if cents { 2 } else { 0 };
    let ncols = layout.columns.len().max(1);
    layout
        .columns
        .iter()
        .enumerate()
        .map(|(c, column)| {
            let header = layout
                .header
                .iter()
                .filter(|h| usize::from(h.col) == c && h.cols == 1)
                .map(|h| text_units(&h.text))
                .fold(0.0, f64::max);
            let content = match column.binding {
                Binding::Text { .. } => needs
                    .iter()
                    .skip(c)
                    .step_by(ncols)
                    .copied()
                    .fold(0.0, f64::max),
                Binding::Amount { slot } => {
                    let widest = amounts
                        .iter()
                        .filter_map(|r| r.get(slot).copied().flatten())
                        .fold(Decimal::ZERO, |m, v| if v.abs() > m.abs() { v } else { m });
                    // Bold totals are a little wider than the body digits.
                    fixed_len(widest, decimals) as f64 * UNITS_PER_CHAR * 1.1
                }
            };
            let fitted = (header.max(content) + PAD).clamp(column.min_width, column.max_width);
            match column.binding {
                // Numbers cannot wrap: never narrower than the widest amount (Excel's ###).
                Binding::Amount { .. } => fitted.max(content + PAD),
                Binding::Text { .. } => fitted,
            }
        })
        .collect()
}

/// Heights of the header rows: enough lines for every wrapped header cell; a cell spanning
/// several rows shares its lines among them.
fn header_heights(layout: &Layout, widths: &[f64]) -> Vec<f64> {
    let mut heights = vec![HEADER_MIN; usize::from(layout.header_rows)];
    for cell in &layout.header {
        let span: f64 = widths
            .iter()
            .skip(usize::from(cell.col))
            .take(usize::from(cell.cols))
            .sum();
        let lines = wrapped_lines(&cell.text, span);
        let needed = (LINE * lines + 6.0) / f64::from(cell.rows);
        if let Some(h) = heights.get_mut(usize::from(cell.row)) {
            *h = h.max(needed);
        }
    }
    heights
}

/// How many lines the tallest wrapped text cell of a row takes (`needs`: the row's text
/// widths, see [`text_needs`]).
fn row_lines(layout: &Layout, row: &Row<'_>, needs: &[f64], widths: &[f64]) -> u32 {
    if row.kind == RowKind::Total {
        return 1;
    }
    layout
        .columns
        .iter()
        .zip(needs)
        .zip(widths)
        .filter_map(|((column, need), width)| match column.binding {
            Binding::Text { kind, .. } if kind != TextKind::Code => {
                Some((need / (width - 1.0).max(1.0)).ceil().max(1.0) as u32)
            }
            _ => None,
        })
        .max()
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::format_fixed;
    use std::str::FromStr;

    fn t3_body(name: &'static str, total: Decimal) -> Body<'static> {
        let mut row = Row {
            kind: RowKind::Line(CodeLevel::Xiang),
            text: Default::default(),
            amounts: [None; super::super::layout::AMOUNT_SLOTS],
        };
        row.text[0] = "201".into();
        row.text[1] = "03".into();
        row.text[2] = "01".into();
        row.text[3] = name.into();
        row.amounts[0] = Some(total);
        Body {
            rows: vec![row],
            empty: false,
        }
    }

    #[test]
    fn cents_format_only_when_some_printed_amount_has_fen() {
        let t3 = &super::super::layout::layouts().unwrap()[2];
        let whole = t3_body("行政运行", Decimal::from(48_215_638));
        let fen = t3_body("行政运行", Decimal::new(4_821_563_850, 2));
        let cents = |body: &Body<'_>, unit| has_cents(&printed_amounts(t3, body, unit));
        assert!(!cents(&whole, MoneyUnit::Yuan));
        assert!(cents(&fen, MoneyUnit::Yuan));
        // 4,821.5638 万元 prints with 分 in 万元.
        assert!(cents(&whole, MoneyUnit::WanYuan));
    }

    #[test]
    fn widths_count_cjk_double_and_the_indent() {
        let t3 = &super::super::layout::layouts().unwrap()[2];
        let widths_of = |body: &Body<'_>, cents| {
            let amounts = printed_amounts(t3, body, MoneyUnit::Yuan);
            column_widths(t3, &text_needs(t3, body), &amounts, cents)
        };
        // 14 CJK characters = 28 columns, + 2 indent levels × 2, + padding 2 = 34.
        let body = t3_body("机关事业单位基本养老保险缴费", Decimal::from(1_596_926));
        let widths = widths_of(&body, false);
        assert_eq!(widths[3], 34.0);
        // Codes stay at their minimum; "1,596,926" (9) × 1.1 + 2 is below the minimum 12.
        assert_eq!(widths[0], 5.0);
        assert_eq!(widths[4], 12.0);
        // A name wider than the maximum is clamped, and wraps onto more lines.
        let long = t3_body(
            "对从事公共服务的专业技术人员及其他工作人员的住房和生活补贴支出（试点）",
            Decimal::ONE,
        );
        let widths = widths_of(&long, false);
        assert_eq!(widths[3], 44.0);
        let needs = text_needs(t3, &long);
        assert_eq!(row_lines(t3, &long.rows[0], &needs, &widths), 2);
        // An amount wider than the template's maximum widens its column instead of "###":
        // "-999,999,999,999.99" is 19 columns, × 1.1 + 2.
        let huge = t3_body("行政运行", Decimal::new(-99_999_999_999_999, 2));
        let widths = widths_of(&huge, true);
        assert!((widths[4] - 22.9).abs() < 1e-9, "{}", widths[4]);
    }

    #[test]
    fn fixed_len_is_the_formatted_length() {
        let d = |s| Decimal::from_str(s).unwrap();
        for text in [
            "0",
            "-0",
            "0.004",
            "-0.005",
            "0.05",
            "-0.5",
            "9.995",
            "999",
            "1000",
            "-1000.5",
            "123456.78",
            "-999999.999",
            "1234567890123.45",
            "100000000",
        ] {
            for decimals in [0, 2] {
                let value = d(text);
                assert_eq!(
                    fixed_len(value, decimals),
                    format_fixed(value, decimals).len(),
                    "{text} with {decimals} decimals"
                );
            }
        }
    }

    #[test]
    fn wan_yuan_rounds_half_up_to_two_decimals() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(printed(d("18792776"), MoneyUnit::WanYuan), d("1879.28"));
        assert_eq!(printed(d("50"), MoneyUnit::WanYuan), d("0.01"));
        assert_eq!(printed(d("49"), MoneyUnit::WanYuan), d("0.00"));
        assert_eq!(printed(d("-50"), MoneyUnit::WanYuan), d("-0.01"));
        assert_eq!(printed(d("936000.5"), MoneyUnit::Yuan), d("936000.50"));
        assert_eq!(to_cell_number(d("1879.28")), Some(1879.28));
        assert_eq!(to_cell_number(d("84281400")), Some(84_281_400.0));
    }
}
