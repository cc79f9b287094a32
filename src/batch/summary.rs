//! The batch summary as files: `summary.json` (for machines) and `summary.xlsx` (for the
//! budget officer), one row per unit plus the consolidated department. Pure: report in, bytes
//! out. Here only the values of each row: summary.xlsx's sheet, headers, widths and formats
//! are `templates/summary.toml`'s and `write`'s.

use super::{BatchReport, UnitOutcome};
use crate::write::{self, ListCell, ListRows, WriteError};

/// The fields of a summary row, in the order of [`row_cells`]; `templates/summary.toml` picks
/// its columns from these by name.
const FIELDS: [&str; 10] = [
    "file",
    "unit",
    "kind",
    "status",
    "income_total",
    "expenditure_total",
    "errors",
    "warnings",
    "first_error",
    "output",
];

/// summary.json: department, units, ignored files, stale workbooks, counts and the exit code.
pub fn json(report: &BatchReport) -> Vec<u8> {
    let counts = report.counts();
    let value = serde_json::json!({
        "department": report.department,
        "units": report.units,
        "ignored": report.ignored,
        "stale": report.stale,
        "counts": { "ok": counts[0], "findings": counts[1], "failed": counts[2] },
        "exit_code": report.exit_code(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text.into_bytes()
}

/// One summary row: text cells, and the amount and count cells as numbers, in the order of
/// [`FIELDS`].
fn row_cells(o: &UnitOutcome) -> [ListCell; FIELDS.len()] {
    use ListCell::{Count, Text};
    let amount = |v: Option<rust_decimal::Decimal>| v.map_or(ListCell::Blank, ListCell::Number);
    [
        Text(o.file.clone()),
        Text(o.unit.clone()),
        Text(o.kind.clone().unwrap_or_default()),
        Text(o.status.label().to_string()),
        amount(o.income_total),
        amount(o.expenditure_total),
        Count(o.errors),
        Count(o.warnings),
        Text(o.first_error.clone().unwrap_or_default()),
        Text(o.output.clone().unwrap_or_default()),
    ]
}

/// summary.xlsx: units in file order, then the department, laid out as
/// `templates/summary.toml` says.
pub fn xlsx(report: &BatchReport) -> Result<Vec<u8>, WriteError> {
    let rows = report
        .units
        .iter()
        .chain(std::iter::once(&report.department))
        .map(|o| row_cells(o).into())
        .collect();
    write::summary(&ListRows {
        fields: &FIELDS,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::UnitStatus;
    use calamine::{Data, Reader};
    use rust_decimal::Decimal;

    fn outcome(file: &str, status: UnitStatus) -> UnitOutcome {
        UnitOutcome {
            file: file.into(),
            unit: "某某局机关".into(),
            kind: Some("行政".into()),
            status,
            income_total: Some(Decimal::new(8_428_140_025, 2)),
            expenditure_total: None,
            errors: 2,
            warnings: 13,
            first_error: Some("表2 合计不等于各行之和".into()),
            output: Some("units/某某局机关.xlsx".into()),
        }
    }

    /// What a unit's row shows under each field, written out independently of [`row_cells`].
    fn expected(o: &UnitOutcome, field: &str) -> Data {
        let text = |t: &str| Data::String(t.into());
        match field {
            "file" => text(&o.file),
            "unit" => text(&o.unit),
            // Empty text is written as a blank cell.
            "kind" => o.kind.as_deref().map_or(Data::Empty, text),
            "status" => text(o.status.label()),
            "income_total" => Data::Float(84_281_400.25),
            "expenditure_total" => Data::Empty,
            "errors" => Data::Float(2.0),
            "warnings" => Data::Float(13.0),
            "first_error" => text("表2 合计不等于各行之和"),
            "output" => text("units/某某局机关.xlsx"),
            other => panic!("the template names field {other}, which the test does not know"),
        }
    }

    #[test]
    fn summary_xlsx_has_the_templates_header_and_one_row_per_outcome_by_field() {
        let layout = write::layout::summary().unwrap();
        let unit = outcome("a/甲.xlsx", UnitStatus::Findings);
        let mut department = outcome("某某局.xlsx", UnitStatus::Ok);
        department.kind = None;
        let report = BatchReport {
            units: vec![unit.clone()],
            department: department.clone(),
            ignored: Vec::new(),
            stale: Vec::new(),
        };
        let bytes = xlsx(&report).unwrap();
        let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(wb.sheet_names(), std::slice::from_ref(&layout.sheet));
        let range = wb.worksheet_range(&layout.sheet).unwrap();
        assert_eq!(range.get_size(), (3, layout.columns.len()));
        let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
        for (c, column) in layout.columns.iter().enumerate() {
            assert_eq!(
                cell(0, c),
                Data::String(column.header.clone()),
                "header {c}"
            );
            assert_eq!(
                cell(1, c),
                expected(&unit, &column.field),
                "{}",
                column.field
            );
            assert_eq!(
                cell(2, c),
                expected(&department, &column.field),
                "{}",
                column.field
            );
        }
        assert_eq!(cell(2, 2), Data::Empty, "the department has no kind");
        // Every field the batch supplies is shown, once.
        let mut shown: Vec<&str> = layout.columns.iter().map(|c| c.field.as_str()).collect();
        shown.sort_unstable();
        let mut fields = FIELDS.to_vec();
        fields.sort_unstable();
        assert_eq!(shown, fields);
    }
}
