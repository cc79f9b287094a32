//! The batch summary as files: `summary.json` (for machines) and `summary.xlsx` (for the
//! budget officer), one row per unit plus the consolidated department. Pure: report in, bytes
//! out.

use super::{BatchReport, UnitOutcome};
use crate::money::format_amount;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// The column headers of summary.xlsx.
const HEADERS: [&str; 10] = [
    "文件",
    "单位名称",
    "单位类型",
    "状态",
    "收入总计（元）",
    "支出总计（元）",
    "错误数",
    "警告数",
    "首个错误",
    "输出文件",
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

fn row_cells(o: &UnitOutcome) -> [String; 10] {
    let amount = |v: &Option<rust_decimal::Decimal>| v.map(format_amount).unwrap_or_default();
    [
        o.file.clone(),
        o.unit.clone(),
        o.kind.clone().unwrap_or_default(),
        o.status.label().to_string(),
        amount(&o.income_total),
        amount(&o.expenditure_total),
        o.errors.to_string(),
        o.warnings.to_string(),
        o.first_error.clone().unwrap_or_default(),
        o.output.clone().unwrap_or_default(),
    ]
}

/// summary.xlsx: one sheet 汇总, units in file order, then the department.
pub fn xlsx(report: &BatchReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2024, 1, 1)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&date));
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("汇总")?;
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let rows = report
        .units
        .iter()
        .chain(std::iter::once(&report.department));
    for (r, outcome) in rows.enumerate() {
        for (c, text) in row_cells(outcome).iter().enumerate() {
            let (row, col) = (r as u32 + 1, c as u16);
            match c {
                6 | 7 => sheet.write_number(row, col, text.parse::<f64>().unwrap_or(0.0))?,
                _ => sheet.write_string(row, col, text)?,
            };
        }
    }
    for (c, width) in [28.0, 34.0, 8.0, 8.0, 16.0, 16.0, 8.0, 8.0, 60.0, 40.0]
        .iter()
        .enumerate()
    {
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
