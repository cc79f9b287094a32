//! Story: a budget officer converts the published 2024 disclosure text and gets back a
//! workbook whose nine tables carry every amount the document prints, plus the derived 表4 and
//! 表9 exactly as DOMAIN.md gives them.

use crate::common::repo_path;
use calamine::{Data, Reader, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

/// One printed row: its key (joined code, 合计, or label) and its amounts in 元 (blank = 0).
type Rows = Vec<(String, Vec<i64>)>;

fn amount(text: &str) -> Option<i64> {
    let t = text.trim().replace(',', "");
    if t.is_empty() {
        Some(0)
    } else {
        t.parse().ok()
    }
}

/// The classified tables (表2, 3, 5–8) of the seed text, parsed independently of yusuan.
fn seed_tables() -> BTreeMap<String, Rows> {
    let text = std::fs::read_to_string(repo_path("samples/seed-disclosure.txt")).unwrap();
    let mut tables = BTreeMap::new();
    let mut current: Option<(String, usize)> = None;
    for line in text.lines() {
        let fields: Vec<&str> = line.split('\t').collect();
        if line.starts_with("2024年部门") && line.ends_with("表") && fields.len() == 1 {
            let codes = if line.contains("经济分类") { 2 } else { 3 };
            let title = line.trim().to_string();
            current = (!line.contains("财务收支")).then(|| (title.clone(), codes));
            if current.is_some() {
                tables.insert(title, Rows::new());
            }
            continue;
        }
        let Some((title, codes)) = &current else {
            continue;
        };
        let first = fields[0].trim();
        let key = if first == "合计" {
            "合计".to_string()
        } else if first.len() == 3 && first.chars().all(|c| c.is_ascii_digit()) {
            fields[..*codes]
                .iter()
                .map(|s| s.trim())
                .collect::<String>()
        } else {
            continue;
        };
        let amounts: Vec<i64> = fields[*codes + 1..]
            .iter()
            .filter_map(|s| amount(s))
            .collect();
        tables.get_mut(title).unwrap().push((key, amounts));
    }
    tables
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.trim().to_string(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        _ => String::new(),
    }
}

/// The rows of the written sheet whose title (first non-empty cell) is `title`, keyed like
/// `seed_tables`, amounts read as numbers (blank = 0).
fn written_rows(workbook: &Path, title: &str, codes: usize, columns: usize) -> Rows {
    let mut wb = open_workbook_auto(workbook).unwrap();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let first = range.used_cells().next().map(|(_, _, d)| cell_text(d));
        if first.as_deref() != Some(title) {
            continue;
        }
        let mut rows = Rows::new();
        for row in range.rows() {
            let texts: Vec<String> = row.iter().map(cell_text).collect();
            let first = texts.first().cloned().unwrap_or_default();
            let key = if first == "合计" {
                "合计".to_string()
            } else if first.len() == 3 && first.chars().all(|c| c.is_ascii_digit()) {
                texts[..codes].concat()
            } else {
                continue;
            };
            let amounts = (0..columns)
                .map(|i| match row.get(codes + 1 + i) {
                    Some(Data::Float(f)) => *f as i64,
                    Some(Data::Int(n)) => *n,
                    Some(Data::Empty) | None => 0,
                    Some(other) => panic!("{title} {key}: amount cell is not a number: {other:?}"),
                })
                .collect();
            rows.push((key, amounts));
        }
        return rows;
    }
    panic!("no sheet titled {title}");
}

fn convert_seed(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("convert")
        .arg(repo_path("samples/seed-disclosure.txt"))
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        status.status.code() == Some(0),
        "convert failed: {}\n{}",
        String::from_utf8_lossy(&status.stdout),
        String::from_utf8_lossy(&status.stderr)
    );
}

#[test]
fn converting_the_seed_reproduces_every_printed_amount() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.xlsx");
    convert_seed(&out);
    let mut compared = 0;
    for (title, expected) in seed_tables() {
        let codes = if title.contains("经济分类") { 2 } else { 3 };
        let columns = expected
            .iter()
            .map(|(_, a)| a.len())
            .max()
            .unwrap_or(3)
            .max(3);
        let columns = if title.contains("收入预算") {
            5
        } else {
            columns
        };
        let written = written_rows(&out, &title, codes, columns);
        let expected: Rows = expected
            .into_iter()
            .map(|(k, mut a)| {
                a.resize(columns, 0);
                (k, a)
            })
            .collect();
        assert_eq!(written, expected, "{title}");
        compared += expected.iter().map(|(_, a)| a.len()).sum::<usize>();
    }
    // 表2 110 + 表3 66 + 表5 66 + 表6 3 + 表7 3 + 表8 120 amounts.
    assert_eq!(compared, 368);
}

/// Every non-empty cell of a sheet as (row, col) → text, for the pair-list tables.
fn sheet_cells(workbook: &Path, title: &str) -> Vec<Vec<String>> {
    let mut wb = open_workbook_auto(workbook).unwrap();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        if range
            .used_cells()
            .next()
            .map(|(_, _, d)| cell_text(d))
            .as_deref()
            == Some(title)
        {
            return range
                .rows()
                .map(|r| r.iter().map(cell_text).collect())
                .collect();
        }
    }
    panic!("no sheet titled {title}");
}

/// Finds the row whose cells contain `label` and returns the numbers that follow it.
fn numbers_after(rows: &[Vec<String>], label: &str) -> Vec<f64> {
    let row = rows
        .iter()
        .find(|r| r.iter().any(|c| c == label))
        .unwrap_or_else(|| panic!("no row labelled {label}"));
    let at = row.iter().position(|c| c == label).unwrap();
    row[at + 1..]
        .iter()
        .map_while(|c| {
            if c.is_empty() {
                Some(0.0)
            } else {
                c.parse::<f64>().ok()
            }
        })
        .collect()
}

#[test]
fn table1_carries_the_published_income_and_expenditure() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.xlsx");
    convert_seed(&out);
    let rows = sheet_cells(&out, "2024年部门财务收支预算总表");
    let expect = [
        ("一、财政拨款收入", 84_081_400.0),
        ("1、一般公共预算资金", 84_081_400.0),
        ("2、政府性基金", 0.0),
        ("3、国有资本经营预算", 0.0),
        ("二、事业收入", 0.0),
        ("三、事业单位经营收入", 0.0),
        ("四、其他收入", 200_000.0),
        ("一、一般公共服务支出", 64_279_020.0),
        ("二、社会保障和就业支出", 9_094_213.0),
        ("三、卫生健康支出", 2_095_505.0),
        ("四、住房保障支出", 8_812_662.0),
        ("收入总计", 84_281_400.0),
        ("支出总计", 84_281_400.0),
    ];
    for (label, value) in expect {
        assert_eq!(
            numbers_after(&rows, label).first().copied(),
            Some(value),
            "{label}"
        );
    }
}

#[test]
fn derived_table4_and_table9_match_the_domain_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("seed.xlsx");
    convert_seed(&out);
    let t4 = sheet_cells(&out, "2024年部门财政拨款收支预算总表");
    for (label, value) in [
        ("一、一般公共服务支出", 64_079_020.0),
        ("二、社会保障和就业支出", 9_094_213.0),
        ("三、卫生健康支出", 2_095_505.0),
        ("四、住房保障支出", 8_812_662.0),
    ] {
        // 合计 then 一般公共预算 (the same money), 政府性基金 and 国有资本经营 blank.
        assert_eq!(numbers_after(&t4, label)[..2], [value, value], "{label}");
    }
    assert_eq!(numbers_after(&t4, "收入总计")[0], 84_081_400.0);
    assert_eq!(numbers_after(&t4, "一、一般公共预算资金")[0], 84_081_400.0);

    let t9 = sheet_cells(&out, "部门“三公”经费和机关运行经费预算表");
    let data = t9
        .iter()
        .find(|r| r.iter().any(|c| c == "577.6"))
        .expect("a data row starting with 577.60");
    let at = data.iter().position(|c| c == "577.6").unwrap();
    let figures: Vec<f64> = (at..at + 7)
        .map(|i| data.get(i).map_or(0.0, |c| c.parse().unwrap_or(0.0)))
        .collect();
    assert_eq!(figures, [577.6, 93.6, 246.0, 238.0, 0.0, 238.0, 1879.28]);
}
