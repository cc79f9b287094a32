//! Renders a list sheet: one header row, then one row per record, through a [`ListLayout`]
//! (`templates/summary.toml` for the batch summary), with the formats of `style`.
//!
//! The caller supplies only values: the fields its rows have, and per row one [`ListCell`]
//! per field (text, number or count); each template column picks a field by name, so the
//! template decides which columns appear, in which order, under which header and how wide.
//! Page setup: A4, the template's orientation, one page wide, the header row repeated and
//! frozen, a print area over the list, page n of N in the footer. Not for the official tables
//! (`sheet`), and it knows nothing of batches or units.

use super::layout::ListLayout;
use super::plan::print_setup;
use super::style::Styles;
use super::{WriteError, at};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};

/// One value of a list row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListCell {
    /// Text, as is (empty text gives a formatted blank cell).
    Text(String),
    /// An amount: thousands separators and 2 decimals.
    Number(Decimal),
    /// A count: a whole number.
    Count(usize),
    /// A formatted empty cell (an amount that is not known).
    Blank,
}

/// The caller's rows: the fields they have, and per row one cell per field, in that order.
#[derive(Debug, Clone)]
pub struct ListRows<'a> {
    /// The field names a template column may pick.
    pub fields: &'a [&'a str],
    /// The rows, top to bottom; a row shorter than `fields` is blank in the missing fields.
    pub rows: Vec<Vec<ListCell>>,
}

/// Renders `rows` through `layout` as a workbook of one sheet. A template column naming a
/// field the rows do not have is a template error; nothing is written then.
pub fn workbook(layout: &ListLayout, rows: &ListRows<'_>) -> Result<Vec<u8>, WriteError> {
    let picks: Vec<usize> = layout
        .columns
        .iter()
        .map(|c| {
            rows.fields
                .iter()
                .position(|f| *f == c.field)
                .ok_or_else(|| {
                    WriteError::Template(format!(
                        "模板 {}：行来源没有字段“{}”（可用：{}）",
                        layout.file,
                        c.field,
                        rows.fields.join("、")
                    ))
                })
        })
        .collect::<Result<_, _>>()?;
    let styles = Styles::shared();
    let sheet_err = at(&layout.sheet);
    let mut wb = Workbook::new();
    // A fixed creation date: the same rows give the same bytes.
    let date = ExcelDateTime::from_ymd(2024, 1, 1).map_err(at("工作簿"))?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(&layout.title)
            .set_creation_datetime(&date),
    );
    let ws = wb.add_worksheet();
    ws.set_name(&layout.sheet).map_err(&sheet_err)?;
    for (c, column) in layout.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &column.header, &styles.list_header)
            .map_err(&sheet_err)?;
    }
    let mut last_row = 0;
    for (r, cells) in rows.rows.iter().enumerate() {
        let row = r as u32 + 1;
        last_row = row;
        for (c, &pick) in picks.iter().enumerate() {
            let col = c as u16;
            match cells.get(pick).unwrap_or(&ListCell::Blank) {
                ListCell::Text(t) => ws.write_string_with_format(row, col, t, &styles.list_text),
                ListCell::Number(v) => ws.write_number_with_format(
                    row,
                    col,
                    v.to_f64().unwrap_or(0.0),
                    &styles.list_number,
                ),
                ListCell::Count(n) => {
                    ws.write_number_with_format(row, col, *n as f64, &styles.list_count)
                }
                ListCell::Blank => ws.write_blank(row, col, &styles.list_text),
            }
            .map_err(&sheet_err)?;
        }
    }
    for (c, column) in layout.columns.iter().enumerate() {
        ws.set_column_width(c as u16, column.width)
            .map_err(&sheet_err)?;
    }
    let last_col = (layout.columns.len() as u16).saturating_sub(1);
    print_setup(ws, layout.orientation, 1, last_row, last_col).map_err(&sheet_err)?;
    wb.save_to_buffer().map_err(at("工作簿"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::layout::parse_list;
    use calamine::{Data, Reader};

    const FIELDS: [&str; 4] = ["name", "amount", "count", "note"];

    fn layout() -> ListLayout {
        parse_list(
            "x.toml",
            r#"
sheet = "清单"
title = "测试清单"
orientation = "portrait"
[[columns]]
field = "count"
header = "个数"
width = 6
[[columns]]
field = "name"
header = "名称"
width = 20
[[columns]]
field = "amount"
header = "金额（元）"
width = 12
"#,
        )
        .unwrap()
    }

    fn read_back(bytes: &[u8]) -> (Vec<String>, calamine::Range<Data>) {
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let names = wb.sheet_names();
        let range = wb.worksheet_range(&names[0]).unwrap();
        (names, range)
    }

    #[test]
    fn columns_come_from_the_template_and_cells_from_the_rows_by_field() {
        let rows = ListRows {
            fields: &FIELDS,
            rows: vec![
                vec![
                    ListCell::Text("甲单位".into()),
                    ListCell::Number(Decimal::new(123_456, 2)),
                    ListCell::Count(3),
                    ListCell::Text("不显示".into()),
                ],
                // Short row: the missing fields are blank.
                vec![ListCell::Text("乙单位".into()), ListCell::Blank],
            ],
        };
        let bytes = workbook(&layout(), &rows).unwrap();
        let (names, range) = read_back(&bytes);
        assert_eq!(names, ["清单"]);
        assert_eq!(range.get_size(), (3, 3), "the note field has no column");
        let s = |t: &str| Data::String(t.into());
        let row = |r: usize| {
            (0..3)
                .map(|c| range.get((r, c)).cloned())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            row(0),
            [Some(s("个数")), Some(s("名称")), Some(s("金额（元）"))]
        );
        assert_eq!(
            row(1),
            [
                Some(Data::Float(3.0)),
                Some(s("甲单位")),
                Some(Data::Float(1234.56))
            ]
        );
        assert_eq!(row(2)[1], Some(s("乙单位")));
        assert!(matches!(row(2)[0], None | Some(Data::Empty)));
        assert!(matches!(row(2)[2], None | Some(Data::Empty)));
    }

    #[test]
    fn a_field_the_rows_do_not_have_is_a_template_error() {
        let rows = ListRows {
            fields: &FIELDS[1..],
            rows: Vec::new(),
        };
        let err = workbook(&layout(), &rows).unwrap_err().to_string();
        assert_eq!(
            err,
            "表样模板无效：模板 x.toml：行来源没有字段“name”（可用：amount、count、note）"
        );
    }
}
