//! Story: whatever shape the seed's budget arrives in — the published text, yusuan's own output
//! workbook, a unit's submission workbook, a folder of GBK CSV files — yusuan reads the same
//! canonical budget out of it.

use crate::common::{self, repo_path, seed_budget};
use std::path::Path;
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
