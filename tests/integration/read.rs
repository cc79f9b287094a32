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
use std::io::{Cursor, Write};
use std::path::PathBuf;
use yusuan::grid::{CellValue, Grid, Merge};
use yusuan::read::{ReadError, read_bytes, read_path};

use crate::common::{repo_path, rezip, rezip_as, rezip_keeping, xlsb};

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
    rezip(xlsx, |name, data| {
        if name.starts_with("xl/worksheets/") {
            *data = String::from_utf8(std::mem::take(data))
                .unwrap()
                .replace(from, to)
                .into_bytes();
        }
    })
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
        .find(|g| &*g.sheet == name)
        .unwrap_or_else(|| panic!("no sheet {name}"))
}

/// The values every workbook format must agree on.
fn assert_sample(grids: &[Grid], file: &str) {
    let names: Vec<&str> = grids.iter().map(|g| &*g.sheet).collect();
    assert_eq!(names, ["表2", "隐藏", "空表"]);
    let g = sheet(grids, "表2");
    assert_eq!(&*g.file, file);
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

/// Writes the sample as xlsb, to check it with another reader: `YUSUAN_SAMPLE_OUT=/tmp/sample.xlsb
/// cargo test -- --ignored write_sample_xlsb`, then `soffice --headless --convert-to csv`.
#[test]
#[ignore]
fn write_sample_xlsb() {
    let out = std::env::var("YUSUAN_SAMPLE_OUT").unwrap_or("/tmp/sample.xlsb".into());
    std::fs::write(out, sample_xlsb()).unwrap();
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
fn xlsx_merges_agree_with_calamine() {
    use calamine::Reader as _;
    let bytes = unit_workbook();
    let grids = read_bytes("unit.xlsx", &bytes).unwrap();
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes.as_slice())).unwrap();
    for g in &grids {
        let expected: Vec<Merge> = book
            .merge_cells_by_sheet_name(&g.sheet)
            .unwrap()
            .iter()
            .map(|d| Merge {
                first_row: d.start.0,
                first_col: d.start.1,
                last_row: d.end.0,
                last_col: d.end.1,
            })
            .collect();
        assert_eq!(g.merges, expected, "{}", g.sheet);
        assert_eq!(g.merges.len(), 3);
    }
    // Namespace-prefixed parts (as the .NET OpenXML SDK writes them) give the same merges.
    let prefixed = strip_cached_value(
        &sample_xlsx(),
        "<mergeCell ref=\"B2:E2\"/>",
        "<x:mergeCell xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" ref=\"B2:E2\"/>",
    );
    let grids = read_bytes("a.xlsx", &prefixed).unwrap();
    assert_eq!(sheet(&grids, "表2").merges, [TITLE_MERGE]);
}

#[test]
fn uncalculated_shared_formulas_are_expanded_per_cell() {
    // D5:E5 as one shared formula, never calculated (no <v>), as some generators write.
    let bytes = strip_cached_value(
        &sample_xlsx(),
        r#"<c r="D5"><f>SUM(D4:D4)</f><v>64079020.5</v></c><c r="E5"><f>SUM(E4:E4)</f></c>"#,
        r#"<c r="D5"><f t="shared" ref="D5:E5" si="0">SUM(D4:D4)</f></c><c r="E5"><f t="shared" si="0"/></c>"#,
    );
    let grids = read_bytes("a.xlsx", &bytes).unwrap();
    let g = sheet(&grids, "表2");
    assert_eq!(
        at(g, "D5"),
        &CellValue::FormulaWithoutValue("SUM(D4:D4)".into())
    );
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
    assert_eq!(g.merges, [TITLE_MERGE]);
    // LibreOffice has no boolean type: TRUE is saved as the number 1.
    assert_eq!(at(g, "G4"), &CellValue::Number(1.0));
    // Formulas showing errors.
    assert_eq!(at(g, "F4"), &CellValue::Error("#DIV/0!".into()));
    assert_eq!(at(g, "I4"), &CellValue::Error("#REF!".into()));
}

/// The sample as an xlsb workbook: the grids the xlsx path reads from `sample_xlsx()`, written
/// by the test writer (formula cells hold their cached results, as xlsb stores them; the
/// formula that was never calculated has none and is left out; the date is the text the xlsx
/// path shows, the writer having no number formats).
fn sample_xlsb() -> Vec<u8> {
    let grids = read_bytes("sample.xlsx", &sample_xlsx()).unwrap();
    xlsb::workbook(&grids)
}

/// Every cell of `a` and `b` is the same, trailing blanks aside (a row's length is not a cell).
fn assert_same_cells(a: &Grid, b: &Grid) {
    let rows = a.rows.len().max(b.rows.len());
    let cols = a.width().max(b.width());
    for row in 0..rows {
        for col in 0..cols {
            assert_eq!(
                a.cell(row, col),
                b.cell(row, col),
                "{}!{}",
                a.sheet,
                yusuan::grid::a1(row, col)
            );
        }
    }
}

#[test]
fn xlsb_reads_like_the_xlsx_cell_by_cell_with_merges() {
    let grids = read_bytes("in/单位.xlsb", &sample_xlsb()).unwrap();
    assert_sample(&grids, "in/单位.xlsb");
    let g = sheet(&grids, "表2");
    assert_eq!(g.merges, [TITLE_MERGE]);
    // Cached formula results: an error, and the sum.
    assert_eq!(at(g, "F4"), &CellValue::Error("#DIV/0!".into()));
    assert_eq!(at(g, "I4"), &CellValue::Error("#REF!".into()));
    assert_eq!(at(g, "G4"), &CellValue::Bool(true));
    assert_eq!(at(g, "D5"), &CellValue::Number(64_079_020.5));
    // An xlsb always holds a formula's result: there is no uncalculated formula to report.
    assert_eq!(at(g, "E5"), &CellValue::Empty);
    // Everything else is what the xlsx path reads, cell for cell, merges and hidden flag too.
    let xlsx = read_bytes("in/单位.xlsx", &sample_xlsx()).unwrap();
    assert_eq!(grids.len(), xlsx.len());
    for (b, x) in grids.iter().zip(&xlsx) {
        let mut x = x.clone();
        if &*x.sheet == "表2" {
            x.set(4, 4, CellValue::Empty);
        }
        assert_same_cells(b, &x);
        assert_eq!(
            (&b.sheet, b.hidden, &b.merges),
            (&x.sheet, x.hidden, &x.merges)
        );
    }
}

#[test]
fn xlsb_formula_results_and_rich_text_read_like_constants() {
    // Excel stores what a formula shows in BrtFmla* records and text typed with rich
    // formatting in BrtCellRString. calamine's xlsb reader skips a formula's error result and
    // rich strings: `#REF!` in an amount cell read as an empty amount, and a rich 科目名称 as
    // nothing at all.
    let grids = read_bytes("sample.xlsx", &sample_xlsx()).unwrap();
    let constants = read_bytes("a.xlsb", &xlsb::workbook(&grids)).unwrap();
    for cells in [xlsb::Cells::FormulaResults, xlsb::Cells::RichText] {
        let read = read_bytes("a.xlsb", &xlsb::workbook_with(&grids, cells)).unwrap();
        assert_eq!(read.len(), constants.len());
        for (a, b) in read.iter().zip(&constants) {
            assert_same_cells(a, b);
        }
        let g = sheet(&read, "表2");
        assert_eq!(
            at(g, "F4"),
            &CellValue::Error("#DIV/0!".into()),
            "{cells:?}"
        );
        assert_eq!(at(g, "I4"), &CellValue::Error("#REF!".into()), "{cells:?}");
        assert_eq!(
            at(g, "C4"),
            &CellValue::Text("行政运行".into()),
            "{cells:?}"
        );
    }
}

#[test]
fn xlsb_parts_named_in_another_case_still_give_their_merges() {
    // The relationships spell the sheet part's name in other case than the archive stores it;
    // calamine finds parts ignoring case, and so must the merge walk.
    let bytes = rezip(&sample_xlsb(), |name, data| {
        if name == "xl/_rels/workbook.bin.rels" {
            let rels = String::from_utf8(std::mem::take(data)).unwrap();
            *data = rels
                .replace("worksheets/sheet1.bin", "worksheets/Sheet1.BIN")
                .into_bytes();
        }
    });
    let grids = read_bytes("a.xlsb", &bytes).unwrap();
    assert_eq!(sheet(&grids, "表2").merges, [TITLE_MERGE]);
}

#[test]
fn xlsb_is_sniffed_whatever_the_extension() {
    for name in ["a.xlsx", "a", "a.xls"] {
        assert_eq!(
            yusuan::read::sniff(name, &sample_xlsb()).unwrap(),
            yusuan::read::Kind::Xlsb
        );
        assert_sample(&read_bytes(name, &sample_xlsb()).unwrap(), name);
    }
}

#[test]
fn xlsb_is_dispatched_to_the_xlsb_reader() {
    // A zip with xl/workbook.bin reaches calamine's xlsb reader, whose complaint about a
    // workbook part that ends inside its first record is reported as damage.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("xl/workbook.bin", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"\x83\x01\x00").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(
        yusuan::read::sniff("a.xlsx", &bytes).unwrap(),
        yusuan::read::Kind::Xlsb
    );
    let err = read_bytes("单位.xlsb", &bytes).unwrap_err();
    assert!(matches!(err, ReadError::Corrupt { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("单位.xlsb：文件已损坏或不完整（工作簿结构无法解析："),
        "{err}"
    );
}

/// The sample xlsb with its first worksheet part (表2) changed by `edit`.
fn sample_xlsb_with_sheet(edit: impl Fn(&mut Vec<u8>)) -> Vec<u8> {
    rezip(&sample_xlsb(), |name, data| {
        if name == "xl/worksheets/sheet1.bin" {
            edit(data);
        }
    })
}

/// The offset of the body of the BrtRowHdr (type 0, 17 bytes) of 0-based `row` in a sheet
/// part, which starts with the row.
fn row_header_body(part: &[u8], row: u32) -> usize {
    let header = [&[0x00, 17][..], &row.to_le_bytes()].concat();
    part.windows(header.len())
        .position(|w| w == header)
        .unwrap()
        + 2
}

#[test]
fn xlsb_sheet_cut_inside_a_record_names_the_sheet() {
    // The part ends halfway through the BrtRowHdr of row 4.
    let bytes = sample_xlsb_with_sheet(|part| {
        let row4 = row_header_body(part, 3);
        part.truncate(row4 + 8);
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：I/O error: failed to fill whole buffer）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
}

#[test]
fn xlsb_rows_and_columns_beyond_the_sheet_are_refused() {
    // The BrtRowHdr of row 4 (0-based 3) moved to row 1,048,577, one past Excel's last:
    // calamine takes it (and stops without a word at any row after it), building a grid no
    // worksheet can hold.
    let bytes = sample_xlsb_with_sheet(|part| {
        let row4 = row_header_body(part, 3);
        part[row4..row4 + 4].copy_from_slice(&1_048_576u32.to_le_bytes());
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：第 1048577 行超出工作表的最大行数 1048576）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
    // The first cell of row 4 (B4, a shared string) moved to column 16,385 (past XFD).
    let bytes = sample_xlsb_with_sheet(|part| {
        let b4 = row_header_body(part, 3) + 17 + 2;
        assert_eq!(part[b4 - 2..b4 + 4], [0x07, 12, 1, 0, 0, 0]);
        part[b4..b4 + 4].copy_from_slice(&16_384u32.to_le_bytes());
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：单元格 XFE4 超出工作表的最后一列 XFD）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
}

#[test]
fn xlsb_with_a_missing_or_damaged_part_says_what_is_wrong() {
    // The package lost the part of its first sheet.
    let bytes = rezip_keeping(&sample_xlsb(), |name, _| name != "xl/worksheets/sheet1.bin");
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：File not found: 'xl/worksheets/sheet1.bin'）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
    // The workbook part ends inside the record naming the first sheet.
    let bytes = rezip(&sample_xlsb(), |name, data| {
        if name == "xl/workbook.bin" {
            data.truncate(12);
        }
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb：文件已损坏或不完整（工作簿结构无法解析：I/O error: failed to fill whole buffer）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx"
    );
}

#[test]
fn xlsb_record_claiming_a_quarter_gigabyte_is_refused_before_calamine_reserves_it() {
    // The sheet part's first record (BrtBeginSheet, empty) rewritten to claim 2^28 - 1 bytes:
    // calamine would reserve that much before finding the part too short.
    let bytes = sample_xlsb_with_sheet(|part| {
        assert_eq!(part[..3], [0x81, 0x01, 0x00]);
        part.splice(2..3, [0xFF, 0xFF, 0xFF, 0x7F]);
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：文件内部的数据长度与实际内容不符）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
    // The same claim in a sheet part stored under another name (the relationships say where
    // calamine looks), and in one that inflates to more than 64 MB.
    let renamed = rezip_as(&bytes, |name, data| {
        if name == "xl/_rels/workbook.bin.rels" {
            let rels = String::from_utf8(std::mem::take(data)).unwrap();
            *data = rels
                .replace("worksheets/sheet1.bin", "worksheets/表2.dat")
                .into_bytes();
        }
        Some(name.replace("xl/worksheets/sheet1.bin", "xl/worksheets/表2.dat"))
    });
    assert_eq!(
        error_text("单位.xlsb", &renamed),
        "单位.xlsb 的工作表「表2」内容已损坏，无法读取（解析器信息：文件内部的数据长度与实际内容不符）。请用 Excel/WPS 打开后另存为 .xlsx"
    );
    let padded = rezip(&bytes, |name, data| {
        if name == "xl/worksheets/sheet1.bin" {
            data.resize(data.len() + (65 << 20), 0);
        }
    });
    assert!(
        error_text("单位.xlsb", &padded).contains("文件内部的数据长度与实际内容不符"),
        "{}",
        error_text("单位.xlsb", &padded)
    );
    // In the workbook part, which names no sheet.
    let bytes = rezip(&sample_xlsb(), |name, data| {
        if name == "xl/workbook.bin" {
            assert_eq!(data[..3], [0x83, 0x01, 0x00]);
            data.splice(2..3, [0xFF, 0xFF, 0xFF, 0x7F]);
        }
    });
    assert_eq!(
        error_text("单位.xlsb", &bytes),
        "单位.xlsb：文件已损坏或不完整（文件内部的数据长度与实际内容不符，位于 xl/workbook.bin）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx"
    );
}

// ---------------------------------------------------------------- bad files, one per kind

/// An OLE compound file with the given streams (each holding a few bytes).
fn ole_with_streams(streams: &[&str]) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    for name in streams {
        let mut stream = file.create_stream(format!("/{name}")).unwrap();
        stream.write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0]).unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

fn error_text(file: &str, bytes: &[u8]) -> String {
    read_bytes(file, bytes).unwrap_err().to_string()
}

#[test]
fn encrypted_ooxml_says_remove_the_password() {
    // What Excel writes for a password-protected .xlsx: an OLE file, not a zip.
    let bytes = ole_with_streams(&["EncryptionInfo", "EncryptedPackage"]);
    assert_eq!(
        error_text("in/单位.xlsx", &bytes),
        "in/单位.xlsx：工作簿设有密码保护（已加密），无法读取。请先在 Excel/WPS 中取消密码保护后另存为 .xlsx"
    );
}

#[test]
fn encrypted_xls_says_remove_the_password() {
    // Saved by LibreOffice as "MS Excel 97" with the password "secret".
    let path = fixture("encrypted.xls");
    let err = read_path(&path).unwrap_err();
    assert!(matches!(err, ReadError::Encrypted { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "{}：工作簿设有密码保护（已加密），无法读取。请先在 Excel/WPS 中取消密码保护后另存为 .xlsx",
            path.display()
        )
    );
}

#[test]
fn wps_et_says_save_as_xlsx() {
    let wps = "单位.et：这是 WPS 表格专用格式（.et），无法直接读取。请在 WPS 中另存为 .xlsx";
    // The OLE flavour (a Workbook stream plus WPS's own ETExtData).
    let ole = ole_with_streams(&["Workbook", "ETExtData"]);
    assert_eq!(error_text("单位.et", &ole), wps);
    // The zip flavour, without Excel's parts.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("et/content.xml", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"<et/>").unwrap();
    let zip = zip.finish().unwrap().into_inner();
    assert_eq!(error_text("单位.et", &zip), wps);
}

#[test]
fn truncated_xlsx_is_reported_as_damaged() {
    let bytes = sample_xlsx();
    let half = bytes.get(..bytes.len() / 2).unwrap();
    assert_eq!(
        error_text("单位.xlsx", half),
        "单位.xlsx：文件已损坏或不完整（压缩结构不完整，可能下载或拷贝中断）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx"
    );
}

#[test]
fn empty_file_is_reported_as_empty() {
    assert_eq!(
        error_text("单位.xlsx", b""),
        "单位.xlsx：文件为空，请重新导出或检查是否选错了文件"
    );
    assert_eq!(
        error_text("表2.csv", b""),
        "表2.csv：文件为空，请重新导出或检查是否选错了文件"
    );
}

#[test]
fn png_renamed_xlsx_is_not_a_spreadsheet() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    assert_eq!(
        error_text("单位.xlsx", png),
        "单位.xlsx：不是电子表格文件（看起来是PNG 图片）。请提供 .xlsx、.xls 或 .csv 文件"
    );
    // Unknown binary named like a workbook gets the same advice.
    assert_eq!(
        error_text("单位.xlsx", &[0x00, 0x9f, 0x92, 0x96, 0xff, 0x00, 0x01]),
        "单位.xlsx：不是电子表格文件（看起来是无法识别的二进制数据）。请提供 .xlsx、.xls 或 .csv 文件"
    );
    // A Word document renamed .xls.
    let doc = ole_with_streams(&["WordDocument"]);
    assert_eq!(
        error_text("单位.xls", &doc),
        "单位.xls：不是电子表格文件（看起来是Word 文档）。请提供 .xlsx、.xls 或 .csv 文件"
    );
}

#[test]
fn random_bytes_csv_has_unknown_encoding() {
    let mut bytes = Vec::new();
    let mut x: u32 = 0x1234_5678;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.push((x >> 24) as u8);
    }
    assert_eq!(
        error_text("表2.csv", &bytes),
        "表2.csv：无法识别文本编码（不是 UTF-8、GBK 或 GB18030 文本）。请在 Excel/WPS 中另存为“CSV UTF-8”或 .xlsx"
    );
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    // A small xlsx whose central directory claims a 4 GB sheet.
    let mut bytes = sample_xlsx();
    let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
    bytes[central + 24..central + 28].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    assert_eq!(
        error_text("单位.xlsx", &bytes),
        "单位.xlsx：解压后大小异常（约 3840 MB，上限 500 MB），可能已损坏或是恶意构造的文件，已拒绝读取"
    );
}

#[test]
fn missing_file_and_empty_folder() {
    let err = read_path(std::path::Path::new("no/such/单位.xlsx")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "找不到文件 no/such/单位.xlsx：请检查路径和文件名是否正确"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("说明.docx"), b"x").unwrap();
    std::fs::write(dir.path().join(".hidden.csv"), b"a,b").unwrap();
    let err = read_path(dir.path()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "文件夹 {} 中没有可读取的表格文件（支持 .xlsx .xlsm .xls .xlsb .ods .csv .tsv .txt）",
            dir.path().display()
        )
    );
}

#[test]
fn html_saved_as_xls_is_not_a_spreadsheet() {
    assert_eq!(
        error_text(
            "导出.xls",
            "<html><table><tr><td>1</td></tr></table></html>".as_bytes()
        ),
        "导出.xls：这是网页（HTML）或 XML 格式的表格，只是扩展名为 .xls（许多系统“导出 Excel”生成的就是这种文件），无法直接读取。请用 Excel/WPS 打开后“另存为”Excel 工作簿（.xlsx）"
    );
}

// ---------------------------------------------------------------- text

const CSV: &str = "部门财政拨款收支预算总表,,\n单位：元,,\n科目编码,科目名称,合计\n2010301,行政运行,\"64,079,020.00\"\n,合计,-\n";

fn assert_csv(grids: &[Grid], file: &str) {
    assert_eq!(grids.len(), 1);
    let g = &grids[0];
    assert_eq!(&*g.file, file);
    assert_eq!(&*g.sheet, "表2");
    assert!(!g.hidden);
    assert_eq!(at(g, "A1"), &text("部门财政拨款收支预算总表"));
    assert_eq!(at(g, "B1"), &CellValue::Empty);
    assert_eq!(at(g, "A4"), &text("2010301"));
    assert_eq!(at(g, "B4"), &text("行政运行"));
    assert_eq!(at(g, "C4"), &text("64,079,020.00"));
    assert_eq!(at(g, "A5"), &CellValue::Empty);
    assert_eq!(at(g, "C5"), &text("-"));
    assert_eq!(g.rows.len(), 5);
}

#[test]
fn csv_in_utf8_with_and_without_bom() {
    assert_csv(
        &read_bytes("in/表2.csv", CSV.as_bytes()).unwrap(),
        "in/表2.csv",
    );
    let bom = [b"\xEF\xBB\xBF".as_slice(), CSV.as_bytes()].concat();
    assert_csv(&read_bytes("in/表2.csv", &bom).unwrap(), "in/表2.csv");
}

#[test]
fn csv_in_gbk_and_gb18030() {
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(CSV);
    assert!(!unmappable);
    assert_csv(&read_bytes("表2.csv", &gbk).unwrap(), "表2.csv");
    // GB18030-only characters (four-byte sequences) decode too.
    let extra = format!("{CSV}注：𠮷€,,\n");
    let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(&extra);
    assert!(!unmappable);
    let grids = read_bytes("表2.csv", &gb18030).unwrap();
    assert_eq!(at(&grids[0], "A6"), &text("注：𠮷€"));
    assert_eq!(at(&grids[0], "C4"), &text("64,079,020.00"));
}

#[test]
fn tab_and_semicolon_delimiters_are_sniffed() {
    let tsv = "部门财政拨款收支预算总表\t\t\n单位：元\t\t\n科目编码\t科目名称\t合计\n2010301\t行政运行\t64,079,020.00\n\t合计\t-\n";
    assert_csv(&read_bytes("表2.tsv", tsv.as_bytes()).unwrap(), "表2.tsv");
    // A .txt exported by Excel as "Unicode text": UTF-16LE with BOM, tab separated.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(tsv.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_csv(&read_bytes("表2.txt", &utf16).unwrap(), "表2.txt");
    let semi = "部门财政拨款收支预算总表;;\n单位：元;;\n科目编码;科目名称;合计\n2010301;行政运行;\"64,079,020.00\"\n;合计;-\n";
    assert_csv(&read_bytes("表2.csv", semi.as_bytes()).unwrap(), "表2.csv");
}

#[test]
fn disclosure_text_goes_to_the_text_reader() {
    let path = repo_path("../../shared/seed/000_ad5b7043e5cab9de.txt");
    let seed = std::fs::read(&path)
        .or_else(|_| std::fs::read("/work/shared/seed/000_ad5b7043e5cab9de.txt"))
        .unwrap();
    let grids = read_bytes("published.txt", &seed).unwrap();
    assert_eq!(grids.len(), 1);
    assert_eq!(&*grids[0].sheet, "正文");
    assert_eq!(at(&grids[0], "A3"), &text("上海市2024年市级部门预算"));
    // The same text named .csv is taken as a table (the extension decides the shape).
    let as_csv = read_bytes("published.csv", &seed).unwrap();
    assert_eq!(&*as_csv[0].sheet, "published");
}

#[test]
fn folder_reads_each_table_file_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let (gbk, _, _) = encoding_rs::GBK.encode(CSV);
    std::fs::write(dir.path().join("表2.csv"), &gbk).unwrap();
    std::fs::write(dir.path().join("表1.xlsx"), single_sheet_xlsx()).unwrap();
    std::fs::write(dir.path().join("全部.xlsx"), sample_xlsx()).unwrap();
    std::fs::write(dir.path().join(".表3.csv"), CSV).unwrap();
    std::fs::write(dir.path().join("~$表1.xlsx"), b"lock").unwrap();
    std::fs::write(dir.path().join("yusuan-公开表.xlsx"), b"ours").unwrap();
    std::fs::write(dir.path().join("说明.docx"), b"doc").unwrap();
    std::fs::create_dir(dir.path().join("子目录")).unwrap();
    std::fs::write(dir.path().join("子目录/表4.csv"), CSV).unwrap();
    let grids = read_path(dir.path()).unwrap();
    let names: Vec<&str> = grids.iter().map(|g| &*g.sheet).collect();
    // Sorted by file name (code point order): 全 < 表1 < 表2.
    assert_eq!(names, ["表2", "隐藏", "空表", "表1", "表2"]);
    let csv = grids.last().unwrap();
    assert_eq!(*csv.file, *dir.path().join("表2.csv").display().to_string());
    assert_eq!(at(csv, "C4"), &text("64,079,020.00"));
    assert_eq!(at(&grids[3], "A1"), &text("只有一个工作表"));
}

fn single_sheet_xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    book.add_worksheet()
        .write_string(0, 0, "只有一个工作表")
        .unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn input_files_are_never_modified() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("单位.xlsx");
    let bytes = sample_xlsx();
    std::fs::write(&path, &bytes).unwrap();
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    read_path(&path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

// ---------------------------------------------------------------- never panic

/// Reading `bytes` as `name` gives grids or an error a user can act on: one that names the
/// file and is written in Chinese.
fn read_or_user_error(name: &str, bytes: &[u8]) -> Result<(), String> {
    match read_bytes(name, bytes) {
        Ok(_) => Ok(()),
        Err(e) => {
            let text = e.to_string();
            let chinese = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            if text.contains(name) && chinese {
                Ok(())
            } else {
                Err(format!("{name}: {text}"))
            }
        }
    }
}

const NAMES: [&str; 10] = [
    "a.xlsx", "a.xlsm", "a.xls", "a.xlsb", "a.ods", "a.csv", "a.tsv", "a.txt", "a.et", "a",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048),
                                   name in 0..NAMES.len()) {
        prop_assert_eq!(read_or_user_error(NAMES[name], &bytes), Ok(()));
    }

    #[test]
    fn arbitrary_ole_and_zip_prefixes_never_panic(
        body in proptest::collection::vec(any::<u8>(), 0..2048),
        zip in any::<bool>(),
        name in 0..NAMES.len(),
    ) {
        let magic: &[u8] = if zip { b"PK\x03\x04" } else { b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" };
        let bytes = [magic, &body].concat();
        prop_assert_eq!(read_or_user_error(NAMES[name], &bytes), Ok(()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn mutated_workbooks_and_csv_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        which in 0..5usize,
        name in 0..NAMES.len(),
    ) {
        let mut bytes = match which {
            0 => sample_xlsx(),
            1 => std::fs::read(fixture("sample.xls")).unwrap(),
            2 => std::fs::read(fixture("sample.ods")).unwrap(),
            3 => sample_xlsb(),
            _ => encoding_rs::GBK.encode(CSV).0.into_owned(),
        };
        for (at, byte) in flips {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        let keep = bytes.len() - cut.index(bytes.len() / 4 + 1);
        bytes.truncate(keep);
        prop_assert_eq!(read_or_user_error(NAMES[name], &bytes), Ok(()));
    }

    /// Damage inside an xlsb's binary parts (flips in the archive mostly meet the zip layer's
    /// checksum instead), so the BIFF12 record readers meet it: calamine's and the merge walk.
    #[test]
    fn mutated_xlsb_parts_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        cut in any::<prop::sample::Index>(),
        part in 0..3usize,
    ) {
        let part = ["xl/workbook.bin", "xl/sharedStrings.bin", "xl/worksheets/sheet1.bin"][part];
        let bytes = rezip(&sample_xlsb(), |name, data| {
            if name == part {
                for (at, byte) in &flips {
                    let i = at.index(data.len());
                    data[i] = *byte;
                }
                let keep = data.len() - cut.index(data.len() / 4 + 1);
                data.truncate(keep);
            }
        });
        prop_assert_eq!(read_or_user_error("a.xlsb", &bytes), Ok(()));
    }
}

// ---------------------------------------------------------------- speed

/// A unit-sized workbook: nine sheets of 40 rows x 8 columns with merged titles and headers.
fn unit_workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    for t in 1..=9 {
        let sheet = book.add_worksheet();
        sheet.set_name(format!("表{t}")).unwrap();
        sheet
            .merge_range(0, 0, 0, 7, "2024年部门预算表", &Format::new())
            .unwrap();
        sheet
            .merge_range(2, 0, 3, 0, "科目编码", &Format::new())
            .unwrap();
        sheet
            .merge_range(2, 1, 3, 1, "科目名称", &Format::new())
            .unwrap();
        for r in 4..44u32 {
            sheet.write_string(r, 0, format!("2010{r:03}")).unwrap();
            sheet.write_string(r, 1, "一般公共服务支出").unwrap();
            for c in 2..8u16 {
                sheet
                    .write_number(r, c, f64::from(r) * 1000.5 + f64::from(c))
                    .unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn far_apart_cells_are_refused_not_allocated() {
    // A cell in column XFD on 300 rows: a dense grid would need almost five million cells.
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for row in 0..300u32 {
        sheet.write_string(row, 16_383, "z").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let Err(err) = read_bytes("大.xlsx", &bytes) else {
        panic!("a five-million-cell grid was built");
    };
    assert_eq!(
        err.to_string(),
        "大.xlsx 的工作表「Sheet1」数据范围过大（超过 400 万个单元格），请删除多余的行列后另存为 .xlsx"
    );
}

/// A longer soak than the proptests (about twenty seconds in the dev profile): 20,000 mutated
/// workbooks and CSVs. `cargo test -- --ignored mutation_soak`.
#[test]
#[ignore]
fn mutation_soak() {
    let seeds = [
        sample_xlsx(),
        std::fs::read(fixture("sample.xls")).unwrap(),
        std::fs::read(fixture("sample.ods")).unwrap(),
        std::fs::read(fixture("encrypted.xls")).unwrap(),
        encoding_rs::GBK.encode(CSV).0.into_owned(),
        sample_xlsb(),
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for round in 0..20_000u64 {
        let seed = &seeds[(round % seeds.len() as u64) as usize];
        let flips: Vec<(u64, u8)> = (0..1 + next() % 8)
            .map(|_| (next(), next() as u8))
            .collect();
        let flip = |bytes: &mut Vec<u8>| {
            for &(at, byte) in &flips {
                let i = (at % bytes.len().max(1) as u64) as usize;
                if let Some(b) = bytes.get_mut(i) {
                    *b = byte;
                }
            }
        };
        let mut bytes = seed.clone();
        // Every seed in turn; every other round of a zip seed damages the parts inside the
        // archive (XML or BIFF12), so the zip layer's CRC does not catch it.
        if seed.starts_with(b"PK") && (round / seeds.len() as u64).is_multiple_of(2) {
            bytes = rezip(seed, |name, data| {
                if name.ends_with(".xml") || name.ends_with(".bin") {
                    flip(data);
                }
            });
        } else {
            flip(&mut bytes);
        }
        let name = NAMES[(next() % NAMES.len() as u64) as usize];
        if std::env::var_os("SOAK_DUMP").is_some() {
            std::fs::write("/tmp/soak_last.bin", &bytes).unwrap();
        }
        assert_eq!(read_or_user_error(name, &bytes), Ok(()));
    }
}

#[test]
fn absurd_declared_sizes_are_refused_before_calamine_allocates() {
    // An xls whose DIMENSIONS record claims four billion rows (calamine reserves that much).
    let mut xls = std::fs::read(fixture("sample.xls")).unwrap();
    let dims = xls
        .windows(4)
        .position(|w| w == [0x00, 0x02, 0x0E, 0x00])
        .unwrap();
    xls[dims + 8..dims + 12].copy_from_slice(&0xF000_0000u32.to_le_bytes());
    assert_eq!(
        error_text("单位.xls", &xls),
        "单位.xls 的工作表「表2」数据范围过大（超过 400 万个单元格），请删除多余的行列后另存为 .xlsx"
    );
    // An xlsx whose shared string table claims four billion strings.
    let xlsx = rezip(&sample_xlsx(), |name, data| {
        if name == "xl/sharedStrings.xml" {
            let text = String::from_utf8(std::mem::take(data)).unwrap();
            let at = text.find("uniqueCount=\"").unwrap() + "uniqueCount=\"".len();
            let end = at + text[at..].find('"').unwrap();
            *data = format!("{}4000000000{}", &text[..at], &text[end..]).into_bytes();
        }
    });
    assert_eq!(
        error_text("单位.xlsx", &xlsx),
        "单位.xlsx：文件已损坏或不完整（共享字符串表声明了 4000000000 个字符串，超出文件实际能容纳的数量）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx"
    );
}

#[test]
fn opendocument_text_is_not_a_spreadsheet() {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.text")
        .unwrap();
    zip.start_file("content.xml", stored).unwrap();
    zip.write_all(b"<office:document-content/>").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(
        error_text("说明.ods", &bytes),
        "说明.ods：不是电子表格文件（看起来是OpenDocument 文本或演示文稿）。请提供 .xlsx、.xls 或 .csv 文件"
    );
}
