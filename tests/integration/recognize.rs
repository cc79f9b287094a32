//! Story: the recogniser reads the published seed text (tables split over pages, repeated
//! headers, empty 表6/7, 表9 only as prose) into exactly the committed canonical model, and
//! remembers the submitted cell of every amount.

use crate::common::{self, repo_path, seed_budget, xlsb};
use rust_decimal::Decimal;
use std::path::PathBuf;
use yusuan::derive;
use yusuan::grid::{CellValue, Grid};
use yusuan::model::{Budget, CellKey, Code, Level, RowKey, TableId};
use yusuan::read::text::disclosure_text;
use yusuan::recognize::{Submission, recognize};
use yusuan::synth::{Shape, as_rendered, example_budget, render, split_units};

fn seed() -> Submission {
    let path = repo_path("samples/seed-disclosure.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let grid = disclosure_text("seed-disclosure.txt", &text);
    recognize(&[grid]).unwrap()
}

fn cell(sub: &Submission, table: TableId, row: RowKey, column: usize) -> String {
    let key = CellKey { table, row, column };
    sub.sources
        .get(&key)
        .map(|l| l.sheet_cell())
        .unwrap_or_else(|| panic!("no source for {key:?}"))
}

fn code(s: &str) -> RowKey {
    RowKey::Code(Code::new(s).unwrap())
}

#[test]
fn seed_text_recognises_to_the_committed_model() {
    let sub = seed();
    assert_eq!(sub.budget, seed_budget());
    assert_eq!(sub.findings, vec![]);
}

#[test]
fn seed_key_figures() {
    let b = seed().budget;
    let yuan = Decimal::from;
    let t2 = b.income.total.unwrap();
    assert_eq!(
        (t2.total, t2.fiscal, t2.other),
        (yuan(84_281_400), yuan(84_081_400), yuan(200_000))
    );
    let t3 = b.expenditure.total.unwrap();
    assert_eq!(
        (t3.total, t3.basic, t3.project),
        (yuan(84_281_400), yuan(67_268_757), yuan(17_012_643))
    );
    assert_eq!(b.general.total.unwrap().total, yuan(84_081_400));
    let t8 = b.economic.total.unwrap();
    assert_eq!(
        (t8.total, t8.personnel, t8.public),
        (yuan(67_268_757), yuan(48_475_981), yuan(18_792_776))
    );
    assert_eq!(
        [
            b.income.lines.len(),
            b.expenditure.lines.len(),
            b.general.lines.len(),
            b.economic.lines.len()
        ],
        [21, 21, 21, 39]
    );
    assert!(b.fund.present && b.fund.lines.is_empty() && b.fund.total.unwrap().total.is_zero());
    assert!(b.capital.present && b.capital.lines.is_empty());
    assert_eq!(b.table9.admin_running, Some(yuan(18_792_800)));
    assert_eq!(b.table9.three_public.unwrap().total, yuan(5_776_000));
    assert_eq!(b.stated_fiscal, None);
}

#[test]
fn seed_sources_name_the_printed_cells() {
    let sub = seed();
    // 2 tables × 22 rows … : T2 110 + T3 66 + T5 66 + T6 3 + T7 3 + T8 120 + T1 13 + T9 7
    // amounts and the 4 编制说明 figures, and the code and name cells of the 21 + 21 + 21 + 39
    // coded rows and the label cells of 表1's 7 income and 4 expenditure items.
    let amounts = sub.sources.keys().filter(|k| k.is_amount()).count();
    assert_eq!(
        (amounts, sub.sources.len() - amounts),
        (388 + 4, 2 * 102 + 7 + 4)
    );
    // Line 113 of the text: `201→03→01→行政运行→48,215,638→48,015,638→→→200,000`.
    assert_eq!(cell(&sub, TableId::T2, code("2010301"), 0), "正文!E113");
    assert_eq!(cell(&sub, TableId::T2, code("2010301"), 4), "正文!I113");
    // The second page of 表2 (after the repeated header) and its 合计 row.
    assert_eq!(cell(&sub, TableId::T2, code("2210203"), 1), "正文!F135");
    assert_eq!(cell(&sub, TableId::T2, RowKey::Total, 0), "正文!E136");
    // 表8's 合计 row prints its amounts from column D.
    assert_eq!(cell(&sub, TableId::T8, RowKey::Total, 2), "正文!F288");
    // Empty 表6: the blank 合计 row is still the submitted cell.
    assert!(sub.sources.contains_key(&CellKey {
        table: TableId::T6,
        row: RowKey::Total,
        column: 2
    }));
    // 表1 items by label; 表9 figures from the prose sentences.
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("四、其他收入".into()), 0),
        "正文!B99"
    );
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("住房保障支出".into()), 1),
        "正文!D96"
    );
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("支出总计".into()), 1),
        "正文!D100"
    );
    // 表1 labels: income in A, expenditure in C.
    let at = |key: CellKey| sub.sources.get(&key).map(|l| l.sheet_cell());
    assert_eq!(
        at(CellKey::income_label_cell(TableId::T1, "四、其他收入")),
        Some("正文!A99".into())
    );
    assert_eq!(
        at(CellKey::expenditure_label_cell(TableId::T1, "住房保障支出")),
        Some("正文!C96".into())
    );
    // 编制说明: 收入预算 on line 72, 支出预算 on line 74.
    assert_eq!(at(CellKey::narrative(0)), Some("正文!A72".into()));
    assert_eq!(at(CellKey::narrative(1)), Some("正文!A74".into()));
    assert_eq!(cell(&sub, TableId::T9, RowKey::Total, 1), "正文!A296");
    assert_eq!(cell(&sub, TableId::T9, RowKey::Total, 6), "正文!A304");
}

/// Writes a rendered shape under `dir` and returns the path to load (file or folder).
fn write_shape(dir: &std::path::Path, shape: Shape, files: &[(String, Vec<u8>)]) -> PathBuf {
    let root = dir.join(shape.name());
    for (name, bytes) in files {
        let path = if shape.is_folder() {
            root.join(name)
        } else {
            dir.join(name)
        };
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        if !shape.is_folder() {
            return path;
        }
    }
    root
}

#[test]
fn every_synthetic_shape_recognises_to_its_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for budget in [example_budget(), with_stated_tables(example_budget())] {
        for shape in Shape::ALL {
            let files = render(&budget, shape).unwrap();
            let path = write_shape(dir.path(), shape, &files);
            let got = match yusuan::load(&path) {
                Ok(sub) => sub,
                Err(e) => {
                    failures.push(format!("{shape}: {e}"));
                    continue;
                }
            };
            let want = as_rendered(&budget, shape);
            if got.budget != want {
                failures.push(format!("{shape}: {}", first_difference(&got.budget, &want)));
            }
            if !got.findings.is_empty() {
                failures.push(format!("{shape}: findings {:?}", got.findings));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The budget with stated 表1 and 表4 (as derived), so that every table is rendered.
fn with_stated_tables(mut b: Budget) -> Budget {
    b.stated_overview = Some(derive::overview(&b));
    b.stated_fiscal = Some(derive::fiscal_overview(&b));
    b
}

fn first_difference(got: &Budget, want: &Budget) -> String {
    let got = serde_json::to_value(got).unwrap();
    let want = serde_json::to_value(want).unwrap();
    fn walk(path: String, a: &serde_json::Value, b: &serde_json::Value) -> Option<String> {
        use serde_json::Value::*;
        match (a, b) {
            (Object(x), Object(y)) => x.keys().chain(y.keys()).find_map(|k| {
                walk(
                    format!("{path}.{k}"),
                    x.get(k).unwrap_or(&Null),
                    y.get(k).unwrap_or(&Null),
                )
            }),
            (Array(x), Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| walk(format!("{path}[{i}]"), p, q)),
            _ if a == b => None,
            _ => Some(format!("{path}: got {a} want {b}")),
        }
    }
    walk(String::new(), &got, &want).unwrap_or_default()
}

#[test]
fn unit_level_submissions_recognise_in_every_shape() {
    let dir = tempfile::tempdir().unwrap();
    let units = split_units(&with_stated_tables(example_budget()), 3, 7);
    let mut failures = Vec::new();
    for (i, unit) in units.iter().enumerate() {
        assert_eq!(unit.meta.level, Level::Unit);
        for shape in Shape::ALL {
            let sub_dir = dir.path().join(format!("u{i}"));
            std::fs::create_dir_all(&sub_dir).unwrap();
            let path = write_shape(&sub_dir, shape, &render(unit, shape).unwrap());
            match yusuan::load(&path) {
                Ok(sub) => {
                    let want = as_rendered(unit, shape);
                    if sub.budget != want {
                        let diff = first_difference(&sub.budget, &want);
                        failures.push(format!("unit {i} {shape}: {diff}"));
                    }
                }
                Err(e) => failures.push(format!("unit {i} {shape}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 表3 whose header cells 名称, 合计, 基本支出 and 项目支出 are each merged over the two header
/// rows, the cell under 合计 still holding 基本支出 (Excel shows the merged 合计 only; a
/// generator or an earlier layout left the text in the covered cell), codes split into 类/款/项
/// under a merged 功能分类科目编码, and 行政运行's 合计 one yuan off.
fn t3_with_text_under_a_merge() -> Grid {
    let rows: [&[&str]; 7] = [
        &["2024年部门支出预算总表"],
        &[
            "功能分类科目编码",
            "",
            "",
            "功能分类科目名称",
            "合计",
            "基本支出",
            "项目支出",
        ],
        &["类", "款", "项", "", "基本支出"],
        &["201", "", "", "一般公共服务支出", "=300", "=100", "=200"],
        &[
            "201",
            "03",
            "",
            "政府办公厅（室）及相关机构事务",
            "=300",
            "=100",
            "=200",
        ],
        &["201", "03", "01", "行政运行", "=301", "=100", "=200"],
        &["合计", "", "", "", "=300", "=100", "=200"],
    ];
    let merges = [
        (0, 0, 0, 6),
        (1, 0, 1, 2),
        (1, 3, 2, 3),
        (1, 4, 2, 4),
        (1, 5, 2, 5),
        (1, 6, 2, 6),
        (6, 0, 6, 3),
    ];
    common::grid("t3.xlsx", "表3", &rows, &merges)
}

/// The grid as an xlsx: merges first, then every cell (covered ones included).
fn xlsx_of(grid: &Grid) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(&*grid.sheet).unwrap();
    let format = rust_xlsxwriter::Format::new();
    for m in &grid.merges {
        let (r0, c0, r1, c1) = (
            m.first_row,
            m.first_col as u16,
            m.last_row,
            m.last_col as u16,
        );
        sheet.merge_range(r0, c0, r1, c1, "", &format).unwrap();
    }
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match value {
                CellValue::Text(text) => sheet.write_string(r, c, text).map(|_| ()),
                CellValue::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
                _ => Ok(()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_header_read_through_its_merges_is_recognised_the_same_from_xlsb_and_xlsx() {
    let grid = t3_with_text_under_a_merge();
    // Without its merges this header says 基本支出 twice and has no 合计: it needs them.
    let mut unmerged = grid.clone();
    unmerged.merges.clear();
    let err = recognize(&[unmerged]).unwrap_err().to_string();
    assert!(err.contains("缺少必需的列“合计”"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let (xlsx, xlsb) = (dir.path().join("单位.xlsx"), dir.path().join("单位.xlsb"));
    std::fs::write(&xlsx, xlsx_of(&grid)).unwrap();
    std::fs::write(&xlsb, xlsb::workbook(&[grid])).unwrap();
    for path in [&xlsx, &xlsb] {
        let read = yusuan::read::read_path(path).unwrap();
        assert_eq!(read[0].cell(2, 4), &CellValue::Text("基本支出".into()));
        assert_eq!(read[0].merges.len(), 7, "{}", path.display());
    }
    let from_xlsx = yusuan::load(&xlsx).unwrap();
    let from_xlsb = yusuan::load(&xlsb).unwrap();
    assert_eq!(from_xlsb.budget, from_xlsx.budget);
    let t3 = from_xlsb.budget.expenditure.total.unwrap();
    let yuan = Decimal::from;
    assert_eq!(
        (t3.total, t3.basic, t3.project),
        (yuan(300), yuan(100), yuan(200))
    );
    assert_eq!(from_xlsb.budget.expenditure.lines.len(), 3);
    // The same findings (合计 one yuan off in E6, the tables this one-table file lacks), naming
    // the same cells.
    let findings = |path: &std::path::Path| -> Vec<(String, String)> {
        let file = path.display().to_string();
        common::check_file(path)
            .iter()
            .map(|f| (common::sheet_cell(f), f.message.replace(&file, "FILE")))
            .collect()
    };
    let from_xlsb = findings(&xlsb);
    assert!(from_xlsb.iter().any(|(cell, _)| cell == "表3!E6"));
    assert_eq!(from_xlsb, findings(&xlsx));
}
