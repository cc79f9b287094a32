//! The batch summary as files: `summary.json` (for machines) and `summary.xlsx` (for the
//! budget officer), one row per unit plus the consolidated department. Pure: report in, bytes
//! out.

use super::{BatchReport, UnitOutcome};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

/// The columns of summary.xlsx, left to right: header and width (Excel character units), in
/// the order of [`row_cells`].
const COLUMNS: [(&str, f64); 10] = [
    ("文件", 22.0),
    ("单位名称", 30.0),
    ("单位类型", 8.0),
    ("状态", 8.0),
    ("收入总计（元）", 15.0),
    ("支出总计（元）", 15.0),
    ("错误数", 7.0),
    ("警告数", 7.0),
    ("首个错误", 40.0),
    ("输出文件", 30.0),
];

/// summary.json: department, units, ignored files, counts and the exit code.
pub fn json(report: &BatchReport) -> Vec<u8> {
    let counts = report.counts();
    let value = serde_json::json!({
        "department": report.department,
        "units": report.units,
        "ignored": report.ignored,
        "counts": { "ok": counts[0], "findings": counts[1], "failed": counts[2] },
        "exit_code": report.exit_code(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// One summary row: text cells, and the amount and count cells as numbers.
enum SummaryCell {
    Text(String),
    Amount(Option<rust_decimal::Decimal>),
    Count(usize),
}

fn row_cells(o: &UnitOutcome) -> [SummaryCell; COLUMNS.len()] {
    use SummaryCell::{Amount, Count, Text};
    [
        Text(o.file.clone()),
        Text(o.unit.clone()),
        Text(o.kind.clone().unwrap_or_default()),
        Text(o.status.label().to_string()),
        Amount(o.income_total),
        Amount(o.expenditure_total),
        Count(o.errors),
        Count(o.warnings),
        Text(o.first_error.clone().unwrap_or_default()),
        Text(o.output.clone().unwrap_or_default()),
    ]
}

/// summary.xlsx: one sheet 汇总, units in file order, then the department; amounts and counts
/// are numbers; printed A4 landscape, one page wide, the header row repeated on every page.
pub fn xlsx(report: &BatchReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2024, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("预算批量处理结果汇总")
            .set_creation_datetime(&date),
    );
    let body = Format::new()
        .set_font_name("宋体")
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let header = body.clone().set_bold().set_align(FormatAlign::Center);
    let money = body.clone().set_num_format("#,##0.00");
    let count = body.clone().set_num_format("0");
    let sheet = wb.add_worksheet();
    sheet.set_name("汇总")?;
    for (c, (h, _)) in COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let rows = report
        .units
        .iter()
        .chain(std::iter::once(&report.department));
    let mut last_row = 0;
    for (r, outcome) in rows.enumerate() {
        let row = r as u32 + 1;
        last_row = row;
        for (c, cell) in row_cells(outcome).into_iter().enumerate() {
            let col = c as u16;
            match cell {
                SummaryCell::Text(t) => sheet.write_string_with_format(row, col, t, &body)?,
                SummaryCell::Amount(Some(v)) => {
                    let v = rust_decimal::prelude::ToPrimitive::to_f64(&v).unwrap_or(0.0);
                    sheet.write_number_with_format(row, col, v, &money)?
                }
                SummaryCell::Amount(None) => sheet.write_blank(row, col, &body)?,
                SummaryCell::Count(n) => {
                    sheet.write_number_with_format(row, col, n as f64, &count)?
                }
            };
        }
    }
    for (c, (_, width)) in COLUMNS.iter().enumerate() {
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_area(0, 0, last_row, COLUMNS.len() as u16 - 1)?;
    sheet.set_footer("&C第 &P 页 共 &N 页");
    wb.save_to_buffer()
}
