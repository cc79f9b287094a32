//! Reading every input shape into grids: one logical sheet in xlsx, xls, ods (and CSV in four
//! encodings), asserted cell by cell at A1 positions; one test per kind of bad file, asserting
//! the exact message the budget officer sees; and a property test that no bytes make the
//! reader panic.
//!
//! The xls and ods fixtures under tests/fixtures/read/ were made from `sample_xlsx()` with
//! LibreOffice (`cargo test -- --ignored write_sample_xlsx`, then
//! `soffice --headless --convert-to xls|ods`), which recalculates formulas on the way.

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;
use yusuan::grid::{CellValue, Grid, Merge};
use yusuan::read::{ReadError, read_bytes, read_path};

use crate::common::repo_path;

// ---------------------------------------------------------------- fixtures built in the test

/// The sample workbook: sheet 表2 with data starting at B2 (so absolute positions matter), a
/// merged title, a code stored as text, numbers, an error, a boolean, a date, formulas with and
/// (after `strip_cached_value`) without a cached value; a hidden sheet; an empty sheet.
fn sample_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("表2").unwrap();
    sheet
        .merge_range(1, 1, 1, 4, "部门财政拨款收支预算总表", &Format::new())
        .unwrap();
    for (col, title) in [
        (1, "科目编码"),
        (2, "科目名称"),
        (3, "合计"),
        (4, "基本支出"),
    ] {
        sheet.write_string(2, col, title).unwrap();
    }
    sheet.write_string(3, 1, "2010301").unwrap();
    sheet.write_string(3, 2, "行政运行").unwrap();
    sheet.write_number(3, 3, 64_079_020.5).unwrap();
    sheet.write_number(3, 4, 100).unwrap();
    sheet
        .write_formula(3, 5, Formula::new("=1/0").set_result("#DIV/0!"))
        .unwrap();
    sheet.write_boolean(3, 6, true).unwrap();
    let date = ExcelDateTime::from_ymd(2024, 1, 31).unwrap();
    sheet
        .write_datetime_with_format(3, 7, &date, &Format::new().set_num_format("yyyy-mm-dd"))
        .unwrap();
    sheet
        .write_formula(3, 8, Formula::new("=#REF!").set_result("#REF!"))
        .unwrap();
    sheet.write_string(4, 1, "合计").unwrap();
    sheet
        .write_formula(4, 3, Formula::new("=SUM(D4:D4)").set_result("64079020.5"))
        .unwrap();
    sheet
        .write_formula(4, 4, Formula::new("=SUM(E4:E4)"))
        .unwrap();
    let hidden = book.add_worksheet();
    hidden.set_name("隐藏").unwrap();
    hidden.write_string(0, 0, "secret").unwrap();
    hidden.set_hidden(true);
    book.add_worksheet().set_name("空表").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    strip_cached_value(&bytes, "<f>SUM(E4:E4)</f><v>0</v>", "<f>SUM(E4:E4)</f>")
}

/// Rewrites an xlsx, replacing `from` by `to` in every worksheet XML (to make a formula cell
/// without a cached value, as a never-recalculated file has).
fn strip_cached_value(xlsx: &[u8], from: &str, to: &str) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..input.len() {
        let mut entry = input.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name.starts_with("xl/worksheets/") {
            data = String::from_utf8(data)
                .unwrap()
                .replace(from, to)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn fixture(name: &str) -> PathBuf {
    repo_path("tests/fixtures/read").join(name)
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.to_string())
}

/// The cell at an A1 address.
fn at<'g>(grid: &'g Grid, address: &str) -> &'g CellValue {
    let split = address.find(|c: char| c.is_ascii_digit()).unwrap();
    let (letters, digits) = address.split_at(split);
    let col = letters
        .bytes()
        .fold(0usize, |acc, b| acc * 26 + usize::from(b - b'A' + 1))
        - 1;
    let row: usize = digits.parse::<usize>().unwrap() - 1;
    grid.cell(row, col)
}

fn sheet<'g>(grids: &'g [Grid], name: &str) -> &'g Grid {
    grids
        .iter()
        .find(|g| g.sheet == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The values every workbook format must agree on.
fn assert_sample(grids: &[Grid], file: &str) {
    let names: Vec<&str> = grids.iter().map(|g| g.sheet.as_str()).collect();
    assert_eq!(names, ["表2", "隐藏", "空表"]);
    let g = sheet(grids, "表2");
    assert_eq!(g.file, file);
    assert!(!g.hidden);
    assert_eq!(at(g, "A1"), &CellValue::Empty);
    assert_eq!(at(g, "B2"), &text("部门财政拨款收支预算总表"));
    assert_eq!(at(g, "C2"), &CellValue::Empty);
    assert_eq!(at(g, "B3"), &text("科目编码"));
    assert_eq!(at(g, "E3"), &text("基本支出"));
    assert_eq!(at(g, "B4"), &text("2010301"));
    assert_eq!(at(g, "C4"), &text("行政运行"));
    assert_eq!(at(g, "D4"), &CellValue::Number(64_079_020.5));
    assert_eq!(at(g, "E4"), &CellValue::Number(100.0));
    assert_eq!(at(g, "H4"), &text("2024-01-31"));
    assert_eq!(at(g, "B5"), &text("合计"));
    assert_eq!(at(g, "D5"), &CellValue::Number(64_079_020.5));
    let hidden = sheet(grids, "隐藏");
    assert!(hidden.hidden);
    assert_eq!(at(hidden, "A1"), &text("secret"));
    assert!(sheet(grids, "空表").rows.is_empty());
}

const TITLE_MERGE: Merge = Merge {
    first_row: 1,
    first_col: 1,
    last_row: 1,
    last_col: 4,
};

/// Regenerates the source of the xls/ods fixtures: `YUSUAN_SAMPLE_OUT=/tmp/sample.xlsx cargo
/// test -- --ignored write_sample_xlsx`.
#[test]
#[ignore]
fn write_sample_xlsx() {
    let out = std::env::var("YUSUAN_SAMPLE_OUT").unwrap_or("/tmp/sample.xlsx".into());
    std::fs::write(out, sample_xlsx()).unwrap();
}

// ---------------------------------------------------------------- workbooks

#[test]
fn xlsx_cells_at_absolute_positions_with_merges_errors_and_formulas() {
    let grids = read_bytes("in/单位.xlsx", &sample_xlsx()).unwrap();
    assert_sample(&grids, "in/单位.xlsx");
    let g = sheet(&grids, "表2");
    assert_eq!(g.merges, [TITLE_MERGE]);
    assert_eq!(at(g, "F4"), &CellValue::Error("#DIV/0!".into()));
    assert_eq!(at(g, "I4"), &CellValue::Error("#REF!".into()));
    assert_eq!(at(g, "G4"), &CellValue::Bool(true));
    assert_eq!(
        at(g, "E5"),
        &CellValue::FormulaWithoutValue("SUM(E4:E4)".into())
    );
}

#[test]
fn xlsx_is_sniffed_whatever_the_extension() {
    // An xlsx saved as .xls or with no extension is still read as xlsx; .xlsm likewise.
    for name in ["a.xls", "a", "a.xlsm", "a.csv"] {
        let grids = read_bytes(name, &sample_xlsx()).unwrap();
        assert_sample(&grids, name);
    }
}

#[test]
fn xls_fixture_reads_like_the_xlsx() {
    let path = fixture("sample.xls");
    let grids = read_path(&path).unwrap();
    assert_sample(&grids, &path.display().to_string());
    let g = sheet(&grids, "表2");
    assert_eq!(g.merges, [TITLE_MERGE]);
    assert_eq!(at(g, "F4"), &CellValue::Error("#DIV/0!".into()));
    assert_eq!(at(g, "I4"), &CellValue::Error("#REF!".into()));
    assert_eq!(at(g, "G4"), &CellValue::Bool(true));
    // LibreOffice recalculated the formula that had no cached value.
    assert_eq!(at(g, "E5"), &CellValue::Number(100.0));
}

#[test]
fn ods_fixture_reads_like_the_xlsx() {
    let path = fixture("sample.ods");
    let grids = read_path(&path).unwrap();
    assert_sample(&grids, &path.display().to_string());
    let g = sheet(&grids, "表2");
    assert_eq!(at(g, "E5"), &CellValue::Number(100.0));
    // LibreOffice has no boolean type: TRUE is saved as the number 1.
    assert_eq!(at(g, "G4"), &CellValue::Number(1.0));
}
