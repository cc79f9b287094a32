//! Story: whatever shape the seed's budget arrives in — the published text, yusuan's own output
//! workbook, a unit's submission workbook (xlsx, xls, ods, xlsb), a folder of GBK CSV files —
//! yusuan reads the same canonical budget out of it.

use crate::common::{self, repo_path, seed_budget, xlsb};
use std::path::Path;
use yusuan::finding::Finding;
use yusuan::grid::{CellValue, Grid};
use yusuan::model::{Budget, UnitKind};

/// The part of the model every faithful shape carries: the base tables, 表9 and the
/// descriptive facts the tables print. Stated 表1/表4, the 编制说明 prose and the unit kind
/// (from the prose, or from the 单位类型 property of yusuan's own workbooks) are shape-specific
/// extras.
pub fn core(budget: &Budget) -> Budget {
    let mut b = budget.clone();
    b.stated_overview = None;
    b.stated_fiscal = None;
    b.narrative = None;
    b.meta.unit_kind = None;
    b.meta.admin_unit_count = None;
    b
}

fn load(path: &Path) -> Budget {
    match yusuan::load(path) {
        Ok(s) => s.budget,
        Err(e) => panic!("{}: {e}", path.display()),
    }
}

/// Converts and asserts the conversion was clean (exit 0).
fn convert(input: &Path, output: &Path) {
    assert_eq!(
        common::convert(input, output),
        Some(0),
        "{}",
        input.display()
    );
}

#[test]
fn the_seed_text_reads_to_the_committed_seed_model() {
    assert_eq!(
        load(&repo_path("samples/seed-disclosure.txt")),
        seed_budget()
    );
}

#[test]
fn the_converted_workbook_reads_back_to_the_same_budget() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.xlsx");
    let second = dir.path().join("second.xlsx");
    convert(&repo_path("samples/seed-disclosure.txt"), &first);
    let once = load(&first);
    assert_eq!(core(&once), core(&seed_budget()));
    // The unit kind the prose gave travels in the workbook's 单位类型 property.
    assert_eq!(once.meta.unit_kind, seed_budget().meta.unit_kind);
    assert_eq!(once.meta.unit_kind, Some(UnitKind::Administrative));
    // What yusuan writes, it reads back identically: a fixed point after one conversion.
    convert(&first, &second);
    assert_eq!(load(&second), once);
}

#[test]
fn the_sample_workbook_and_csv_folder_read_to_the_seed_budget() {
    for sample in ["samples/seed-submission.xlsx", "samples/seed-csv-gbk"] {
        let budget = load(&repo_path(sample));
        assert_eq!(core(&budget), core(&seed_budget()), "{sample}");
    }
}

#[test]
fn the_seed_as_old_xls_and_ods_reads_to_the_seed_budget() {
    // samples/seed-submission.xlsx saved as .xls and .ods by LibreOffice.
    for fixture in [
        "tests/fixtures/formats/seed.xls",
        "tests/fixtures/formats/seed.ods",
    ] {
        let budget = load(&repo_path(fixture));
        assert_eq!(core(&budget), core(&seed_budget()), "{fixture}");
    }
}

/// Findings as JSON, with the file they name replaced by `FILE` (the same grids read from two
/// files name different files).
fn portable(findings: &[Finding], file: &str) -> String {
    serde_json::to_string_pretty(findings)
        .unwrap()
        .replace(file, "FILE")
}

/// Writes `grids` as `seed.xlsb` in `dir` and returns its path.
fn write_xlsb(dir: &Path, grids: &[Grid]) -> std::path::PathBuf {
    let path = dir.join("seed.xlsb");
    std::fs::write(&path, xlsb::workbook(grids)).unwrap();
    path
}

#[test]
fn the_seed_as_xlsb_reads_to_the_same_budget_merges_and_findings() {
    // The seed submission's grids as the xlsx path reads them, written as an xlsb with their
    // merges (the xlsb holds the cells' values; the workbook has no formulas).
    let xlsx = repo_path("samples/seed-submission.xlsx");
    let mut grids = yusuan::read::read_path(&xlsx).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = write_xlsb(dir.path(), &grids);
    let read_back = yusuan::read::read_path(&path).unwrap();
    let merges = |grids: &[Grid]| -> Vec<_> {
        grids
            .iter()
            .map(|g| (g.sheet.clone(), g.hidden, g.merges.clone()))
            .collect()
    };
    assert_eq!(merges(&read_back), merges(&grids));
    assert_eq!(read_back.iter().map(|g| g.merges.len()).sum::<usize>(), 66);
    let from_xlsb = load(&path);
    assert_eq!(from_xlsb, load(&xlsx));
    assert_eq!(core(&from_xlsb), core(&seed_budget()));

    // The README's edited 表3 (F8 48,015,638 -> 48,015,683): the same three errors, naming
    // the same cells, from the xlsb as from the xlsx's grids.
    let t3 = grids.iter_mut().find(|g| &*g.sheet == "表3").unwrap();
    assert_eq!(*t3.cell(7, 5), CellValue::Number(48_015_638.0));
    t3.set(7, 5, CellValue::Number(48_015_683.0));
    let from_grids = yusuan::check::check(&yusuan::recognize::recognize(&grids).unwrap());
    let path = write_xlsb(dir.path(), &grids);
    let from_xlsb = common::check_file(&path);
    assert_eq!(from_xlsb.len(), 3);
    assert_eq!(
        portable(&from_xlsb, &path.display().to_string()),
        portable(&from_grids, &xlsx.display().to_string())
    );
}

#[test]
fn an_xlsb_amount_showing_ref_is_an_error_at_its_cell_as_in_the_xlsx() {
    // The seed saved by Excel as xlsb with every cell a formula's result, and 表3 F8 a formula
    // that shows #REF!: the same findings as the xlsx's grids with that cell, not an amount
    // silently read as empty.
    let xlsx = repo_path("samples/seed-submission.xlsx");
    let mut grids = yusuan::read::read_path(&xlsx).unwrap();
    let t3 = grids.iter_mut().find(|g| &*g.sheet == "表3").unwrap();
    assert_eq!(*t3.cell(7, 5), CellValue::Number(48_015_638.0));
    t3.set(7, 5, CellValue::Error("#REF!".into()));
    let from_grids = yusuan::check::check(&yusuan::recognize::recognize(&grids).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.xlsb");
    std::fs::write(
        &path,
        xlsb::workbook_with(&grids, xlsb::Cells::FormulaResults),
    )
    .unwrap();
    let from_xlsb = common::check_file(&path);
    assert!(
        from_xlsb
            .iter()
            .any(|f| common::sheet_cell(f) == "表3!F8" && f.message.contains("#REF!")),
        "{from_xlsb:#?}"
    );
    assert_eq!(
        portable(&from_xlsb, &path.display().to_string()),
        portable(&from_grids, &xlsx.display().to_string())
    );
}
