//! Every cell format of the workbook, built once per process and borrowed by the renderers.
//!
//! Fonts, borders, alignment and number formats live here and nowhere else; the renderers only
//! pick a format by role (title, header, code, name at indent n, amount, total, note…). Not for
//! layout decisions (which column, which width): those are the templates' and `sheet`'s.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};
use std::sync::OnceLock;

/// The body font: 宋体 (SimSun), GB2312 charset so that Excel picks the Chinese face.
pub const BODY_FONT: &str = "宋体";
/// The title font.
pub const TITLE_FONT: &str = "黑体";
/// GB2312 charset id.
const CHARSET_GB2312: u8 = 134;
/// Body font size in points.
pub const BODY_SIZE: f64 = 10.0;
/// Title font size in points.
pub const TITLE_SIZE: f64 = 18.0;

/// Number format for tables whose amounts are all whole.
const WHOLE: &str = "#,##0";
/// Number format for tables with 分 (and for every 万元 table).
const CENTS: &str = "#,##0.00";

/// The formats of one workbook.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Sheet title: large, centred, no border.
    pub title: Format,
    /// `编制部门：…`: left, no border.
    pub entity: Format,
    /// `单位：元`: right, no border.
    pub unit: Format,
    /// Header cells: centred, wrapped, bordered.
    pub header: Format,
    /// Code segments and short tags: centred, bordered, text.
    pub code: Format,
    /// Classification names at indent 0, 1, 2 (类, 款, 项): left, wrapped, bordered.
    pub names: [Format; 3],
    /// Printed labels (表1/4 items, finding text): left, wrapped, bordered.
    pub label: Format,
    /// Total-row labels (合计, 收入总计): bold, centred, bordered.
    pub total_label: Format,
    /// Amounts: [whole, with 分].
    pub amounts: [Format; 2],
    /// Total-row amounts: [whole, with 分], bold.
    pub total_amounts: [Format; 2],
    /// The empty-table note: left, wrapped, no border.
    pub note: Format,
    /// Cover: the big title.
    pub cover_title: Format,
    /// Cover: the department line.
    pub cover_line: Format,
    /// 目录: the heading.
    pub toc_heading: Format,
    /// 目录: one entry.
    pub toc_item: Format,
    /// List sheets (summary.xlsx): the header row, bold and centred.
    pub list_header: Format,
    /// List sheets: text and blank cells, wrapped.
    pub list_text: Format,
    /// List sheets: numbers, with thousands separators and 2 decimals.
    pub list_number: Format,
    /// List sheets: counts, whole.
    pub list_count: Format,
}

fn body() -> Format {
    Format::new()
        .set_font_name(BODY_FONT)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(BODY_SIZE)
        .set_align(FormatAlign::VerticalCenter)
}

fn cell() -> Format {
    body().set_border(FormatBorder::Thin)
}

/// A list sheet's cell: bordered, wrapped, the body font without a charset (summary.xlsx has
/// always been written so).
fn list_cell() -> Format {
    Format::new()
        .set_font_name(BODY_FONT)
        .set_font_size(BODY_SIZE)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

fn heading(size: f64) -> Format {
    Format::new()
        .set_font_name(TITLE_FONT)
        .set_font_charset(CHARSET_GB2312)
        .set_font_size(size)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    /// The formats every workbook uses, built once per process.
    pub fn shared() -> &'static Styles {
        static STYLES: OnceLock<Styles> = OnceLock::new();
        STYLES.get_or_init(Styles::new)
    }

    /// Builds every format.
    pub fn new() -> Styles {
        let name = |indent: u8| {
            let f = cell().set_align(FormatAlign::Left).set_text_wrap();
            if indent > 0 { f.set_indent(indent) } else { f }
        };
        let amount = |fmt: &str| cell().set_align(FormatAlign::Right).set_num_format(fmt);
        Styles {
            title: heading(TITLE_SIZE),
            entity: body().set_align(FormatAlign::Left),
            unit: body().set_align(FormatAlign::Right),
            header: cell().set_align(FormatAlign::Center).set_text_wrap(),
            code: cell().set_align(FormatAlign::Center).set_num_format("@"),
            names: [name(0), name(1), name(2)],
            label: name(0),
            total_label: cell().set_align(FormatAlign::Center).set_bold(),
            amounts: [amount(WHOLE), amount(CENTS)],
            total_amounts: [amount(WHOLE).set_bold(), amount(CENTS).set_bold()],
            note: body().set_align(FormatAlign::Left).set_text_wrap(),
            cover_title: heading(26.0),
            cover_line: heading(16.0),
            toc_heading: heading(20.0),
            toc_item: body()
                .set_font_size(12.0)
                .set_align(FormatAlign::Left)
                .set_indent(4),
            list_header: list_cell().set_bold().set_align(FormatAlign::Center),
            list_text: list_cell(),
            list_number: list_cell().set_num_format(CENTS),
            list_count: list_cell().set_num_format("0"),
        }
    }
}

impl Default for Styles {
    fn default() -> Self {
        Styles::new()
    }
}
