//! Whole-recogniser tests on small hand-built grids, one per input shape of DOMAIN.md
//! ("How submissions really look"), plus a property test that no grid makes it panic.

use super::test_grid::{append, grid_of, merge_all};
use super::*;
use crate::finding::Severity;
use crate::grid::{CellValue, Merge};
use crate::model::{
    CellKey, Code, IncomeAmounts, Level, MoneyUnit, RowKey, SplitAmounts, TableId, UnitKind,
};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn code(s: &str) -> Code {
    Code::new(s).unwrap()
}

fn sheet(name: &str, rows: &[&[&str]]) -> Grid {
    grid_of("in.xlsx", name, rows)
}

fn split(total: &str, basic: &str, project: &str) -> SplitAmounts {
    SplitAmounts {
        total: d(total),
        basic: d(basic),
        project: d(project),
    }
}

fn source(sub: &Submission, table: TableId, row: RowKey, column: usize) -> String {
    let key = CellKey { table, row, column };
    sub.sources
        .get(&key)
        .map(|l| l.sheet_cell())
        .unwrap_or_else(|| format!("no source for {key:?}"))
}

/// The leaf header row of 表3 (and 表5-7) as the official layout prints it: code over three
/// columns (类 款 项 below), name, then the three amounts.
const T3_LEAVES: &[&str] = &[
    "功能分类科目编码",
    "",
    "",
    "功能分类科目名称",
    "合计",
    "基本支出",
    "项目支出",
];

/// 表3 as yusuan's writer lays it out: title, entity/unit row, three merged header rows, codes
/// as text cells, amounts as numbers, zeros blank, merged 合计 row.
fn official_t3(title: &str, unit: &str) -> Grid {
    let mut g = sheet(
        "表3",
        &[
            &[title],
            &["编制部门：上海市某某局", "", "", "", "", "", unit],
            &["项目", "", "", "", "支出预算"],
            T3_LEAVES,
            &["类", "款", "项"],
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
            &["201", "03", "01", "行政运行", "=100", "=100", ""],
            &["201", "03", "02", "一般行政管理事务", "=200", "", "=200"],
            &["合计", "", "", "", "=300", "=100", "=200"],
        ],
    );
    merge_all(
        &mut g,
        &[
            (0, 0, 0, 6),
            (2, 0, 2, 3),
            (2, 4, 2, 6),
            (3, 0, 3, 2),
            (3, 3, 4, 3),
            (3, 4, 4, 4),
            (3, 5, 4, 5),
            (3, 6, 4, 6),
            (9, 0, 9, 3),
        ],
    );
    g
}

fn official_t9() -> Grid {
    let mut g = sheet(
        "表9",
        &[
            &["部门“三公”经费和机关运行经费预算表"],
            &["编制部门：上海市某某局", "", "", "", "", "", "单位：万元"],
            &["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
            &[
                "合计",
                "因公出国(境)费",
                "公务接待费",
                "公务用车购置及运行费",
            ],
            &["", "", "", "小计", "购置费", "运行费"],
            &["=577.6", "=93.6", "=246", "=238", "", "=238", "=1879.28"],
        ],
    );
    merge_all(
        &mut g,
        &[
            (0, 0, 0, 6),
            (2, 0, 2, 5),
            (2, 6, 4, 6),
            (3, 0, 4, 0),
            (3, 1, 4, 1),
            (3, 2, 4, 2),
            (3, 3, 3, 5),
        ],
    );
    g
}

#[test]
fn official_layout_with_extra_sheets() {
    let cover = sheet("封面", &[&["2024年部门预算"], &["2024年部门支出预算总表"]]);
    let contents = sheet("目录", &[&["表3", "2024年部门支出预算总表"]]);
    let checks = sheet(
        "校验结果",
        &[
            &["严重程度", "规则", "表", "行", "列", "说明"],
            &[
                "错误",
                "row-sum",
                "表3",
                "合计",
                "合计",
                "机关运行经费预算为9.99万元",
            ],
        ],
    );
    let grids = [
        cover,
        contents,
        official_t3("2024年部门支出预算总表", "单位：元"),
        official_t9(),
        checks,
    ];
    let sub = recognize(&grids).unwrap();
    let b = &sub.budget;
    assert_eq!(b.meta.year, Some(2024));
    assert_eq!(b.meta.entity, "上海市某某局");
    assert_eq!(b.meta.level, Level::Department);
    assert_eq!(b.expenditure.lines.len(), 4);
    assert_eq!(b.expenditure.lines[2].code, code("2010301"));
    assert_eq!(b.expenditure.lines[2].name, "行政运行");
    assert_eq!(b.expenditure.lines[2].amounts, split("100", "100", "0"));
    assert_eq!(b.expenditure.total, Some(split("300", "100", "200")));
    assert_eq!(b.expenditure.unit, MoneyUnit::Yuan);
    assert!(b.expenditure.present && !b.general.present);
    let t9 = &b.table9;
    assert_eq!(t9.unit, MoneyUnit::WanYuan);
    assert_eq!(t9.admin_running, Some(d("18792800")));
    let three = t9.three_public.clone().unwrap();
    assert_eq!(
        [
            three.total,
            three.overseas,
            three.reception,
            three.vehicle_subtotal,
            three.vehicle_purchase,
            three.vehicle_running
        ],
        [
            d("5776000"),
            d("936000"),
            d("2460000"),
            d("2380000"),
            d("0"),
            d("2380000")
        ]
    );
    assert_eq!(
        source(&sub, TableId::T3, RowKey::Code(code("2010302")), 2),
        "表3!G9"
    );
    assert_eq!(source(&sub, TableId::T3, RowKey::Total, 0), "表3!E10");
    assert_eq!(source(&sub, TableId::T9, RowKey::Total, 6), "表9!G6");
    assert_eq!(source(&sub, TableId::T9, RowKey::Total, 4), "表9!E6");
    assert_eq!(sub.findings, vec![]);
}

#[test]
fn table9_listing_units_takes_its_total_row() {
    let g = sheet(
        "表9",
        &[
            &["2024年部门“三公”经费和机关运行经费预算表"],
            &["单位：万元"],
            &[
                "单位名称",
                "合计",
                "因公出国（境）费",
                "公务接待费",
                "公务用车购置及运行费",
                "机关运行经费",
            ],
            &["上海市某某局本部", "=1", "=1", "", "", "=2"],
            &["上海市某某中心", "=2", "", "=2", "", ""],
            &["合计", "=3", "=1", "=2", "", "=2"],
            &["注：单位为万元。"],
        ],
    );
    let sub = recognize(&[g]).unwrap();
    let t9 = &sub.budget.table9;
    assert_eq!(t9.three_public.as_ref().map(|t| t.total), Some(d("30000")));
    assert_eq!(t9.admin_running, Some(d("20000")));
    assert_eq!(source(&sub, TableId::T9, RowKey::Total, 0), "表9!B6");
    assert_eq!(source(&sub, TableId::T9, RowKey::Total, 3), "表9!E6");
}

#[test]
fn a_side_label_merged_over_two_columns_counts_once() {
    // 项目 printed over two columns on each side (the labels sit in the first): the second
    // column of the merge is not the expenditure side's 项目.
    let mut t1 = sheet(
        "表1",
        &[
            &["2026年部门财务收支预算总表"],
            &["编制部门：X", "", "", "", "", "单位：元"],
            &["本年收入", "", "", "本年支出"],
            &["项目", "", "预算数", "项目", "", "预算数"],
            &[
                "一、财政拨款收入",
                "",
                "=300",
                "一、一般公共服务支出",
                "",
                "=300",
            ],
            &["收入总计", "", "=300", "支出总计", "", "=300"],
        ],
    );
    merge_all(
        &mut t1,
        &[(2, 0, 2, 2), (2, 3, 2, 5), (3, 0, 3, 1), (3, 3, 3, 4)],
    );
    let sub = recognize(&[t1]).unwrap();
    let o = sub.budget.stated_overview.clone().unwrap();
    assert_eq!(o.income, vec![("一、财政拨款收入".to_string(), d("300"))]);
    assert_eq!(
        o.expenditure,
        vec![("一般公共服务支出".to_string(), d("300"))]
    );
    assert_eq!(
        (o.income_total, o.expenditure_total),
        (Some(d("300")), Some(d("300")))
    );
    assert_eq!(
        source(&sub, TableId::T1, RowKey::Label("收入总计".into()), 0),
        "表1!C6"
    );
    assert_eq!(
        source(&sub, TableId::T1, RowKey::Label("支出总计".into()), 1),
        "表1!F6"
    );
}

#[test]
fn overview_and_fiscal_tables_are_stated() {
    let t1 = sheet(
        "表1",
        &[
            &["2026年部门财务收支预算总表"],
            &["编制部门：X", "", "", "单位：元"],
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "预算数"],
            &["一、财政拨款收入", "=300", "一、一般公共服务支出", "=300"],
            &["1、一般公共预算", "=300", "", ""],
            &["2、政府性基金", "", "", ""],
            &["", "", "", ""],
            &["收入总计", "=300", "支出总计", "=300"],
        ],
    );
    let t4 = sheet(
        "表4",
        &[
            &["2026年部门财政拨款收支预算总表"],
            &["编制部门：X", "", "", "单位：元"],
            &["财政拨款收入", "", "财政拨款支出"],
            &[
                "项目",
                "预算数",
                "项目",
                "合计",
                "一般公共预算",
                "政府性基金预算",
                "国有资本经营预算",
            ],
            &[
                "一、一般公共预算",
                "=300",
                "一、一般公共服务支出",
                "=300",
                "=300",
                "",
                "",
            ],
            &["二、政府性基金", "", "", "", "", "", ""],
            &["收入总计", "=300", "支出总计", "=300", "=300", "", ""],
        ],
    );
    let sub = recognize(&[t1, t4]).unwrap();
    let o = sub.budget.stated_overview.clone().unwrap();
    assert_eq!(
        o.income,
        vec![
            ("一、财政拨款收入".to_string(), d("300")),
            // The 2026 label is read as the official one.
            ("1、一般公共预算资金".to_string(), d("300")),
            ("2、政府性基金".to_string(), d("0")),
        ]
    );
    assert_eq!(
        o.expenditure,
        vec![("一般公共服务支出".to_string(), d("300"))]
    );
    assert_eq!(
        (o.income_total, o.expenditure_total),
        (Some(d("300")), Some(d("300")))
    );
    let f = sub.budget.stated_fiscal.clone().unwrap();
    assert_eq!(f.income.len(), 2);
    assert_eq!(f.expenditure[0].name, "一般公共服务支出");
    assert_eq!(
        (f.expenditure[0].total, f.expenditure[0].general),
        (d("300"), d("300"))
    );
    let total = f.expenditure_total.unwrap();
    assert_eq!((total.name.as_str(), total.total), ("合计", d("300")));
    assert_eq!(sub.budget.meta.year, Some(2026));
    assert_eq!(
        source(
            &sub,
            TableId::T4,
            RowKey::Label("一般公共服务支出".into()),
            2
        ),
        "表4!E5"
    );
    assert_eq!(
        source(&sub, TableId::T1, RowKey::Label("收入总计".into()), 0),
        "表1!B9"
    );
}

#[test]
fn stacked_untitled_tables_are_told_apart_by_group_header() {
    let mut g = Grid::new("all.xlsx", "Sheet1");
    append(
        &mut g,
        &[
            &["单位：元"],
            &["项目", "", "支出预算"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "=100", "=100", ""],
            &["合计", "", "=100", "=100", ""],
            &[""],
            &["项目", "", "一般公共预算支出"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "=90", "=90", ""],
            &["合计", "", "=90", "=90", ""],
            &["注：本表不含其他收入安排的支出。"],
            &["项目", "", "一般公共预算基本支出"],
            &["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            &["30101", "基本工资", "=90", "=90", ""],
            &["合计", "", "=90", "=90", ""],
            &["项目", "", "收入预算"],
            &[
                "科目编码",
                "科目名称",
                "合计",
                "财政拨款收入",
                "事业收入",
                "事业单位经营收入",
                "其他收入",
            ],
            &["2010301", "行政运行", "=100", "=90", "", "", "=10"],
        ],
    );
    let sub = recognize(&[g]).unwrap();
    let b = &sub.budget;
    assert_eq!(b.expenditure.total, Some(split("100", "100", "0")));
    assert_eq!(b.general.total, Some(split("90", "90", "0")));
    assert_eq!(b.economic.lines[0].code, code("30101"));
    assert_eq!(b.economic.total.clone().unwrap().personnel, d("90"));
    assert_eq!(
        b.income.lines[0].amounts,
        IncomeAmounts {
            total: d("100"),
            fiscal: d("90"),
            business: d("0"),
            operating: d("0"),
            other: d("10"),
        }
    );
    assert_eq!(b.income.total, None);
}

#[test]
fn unit_level_documents() {
    let t1 = sheet(
        "预算单位财务收支预算总表",
        &[
            &["2024年预算单位财务收支预算总表"],
            &[
                "编制单位：上海市某某中心",
                "",
                "",
                "",
                "",
                "",
                "",
                "单位：元",
            ],
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "合计", "基本支出", "", "项目支出"],
            &["", "", "", "", "人员经费", "公用经费", ""],
            &[
                "一、财政拨款收入",
                "=500",
                "一、一般公共服务支出",
                "=500",
                "=300",
                "=100",
                "=100",
            ],
            &[
                "收入总计",
                "=500",
                "支出总计",
                "=500",
                "=300",
                "=100",
                "=100",
            ],
        ],
    );
    let t3 = official_t3("2024年预算单位支出预算总表", "单位：元");
    let sub = recognize(&[t1, t3]).unwrap();
    let b = &sub.budget;
    assert_eq!(b.meta.level, Level::Unit);
    assert_eq!(b.meta.entity, "上海市某某中心");
    let o = b.stated_overview.clone().unwrap();
    assert_eq!(
        o.expenditure,
        vec![("一般公共服务支出".to_string(), d("500"))]
    );
    assert_eq!(o.expenditure_total, Some(d("500")));
    assert!(b.expenditure.present);
}

#[test]
fn code_spellings_and_indented_names() {
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门一般公共预算基本支出部门预算经济分类预算表"],
            &["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            &["301", "工资福利支出", "=30", "=30", ""],
            &["301  1", "\u{3000}\u{3000}基本工资", "=10", "=10", ""],
            &["301 | 2", "  津贴补贴", "=20", "=20", ""],
            &["[302]商品和服务支出", "", "=5", "", "=5"],
            &["30201 办公费", "", "=5", "", "=5"],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    let got: Vec<(String, String)> = b
        .economic
        .lines
        .iter()
        .map(|l| (l.code.to_string(), l.name.clone()))
        .collect();
    let want = [
        ("301", "工资福利支出"),
        ("30101", "基本工资"),
        ("30102", "津贴补贴"),
        ("302", "商品和服务支出"),
        ("30201", "办公费"),
    ];
    assert_eq!(got, want.map(|(c, n)| (c.to_string(), n.to_string())));

    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门支出预算总表"],
            &["功能分类科目", "合计", "基本支出", "项目支出"],
            &["201 03 01 行政运行", "=1", "=1", ""],
            &["2010302一般行政管理事务", "=2", "", "=2"],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    assert_eq!(b.expenditure.lines[0].code, code("2010301"));
    assert_eq!(b.expenditure.lines[1].name, "一般行政管理事务");

    // Codes typed as numbers, 款 losing its leading zero; a blank 类 inherits.
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门支出预算总表"],
            &["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
            &["=201", "", "", "一般公共服务支出", "=3", "=3", ""],
            &[
                "=201",
                "=3",
                "",
                "政府办公厅（室）及相关机构事务",
                "=3",
                "=3",
                "",
            ],
            &["", "=3", "=1", "行政运行", "=3", "=3", ""],
            &["201", "03", "02", "2010302 一般行政管理事务", "", "", ""],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    let codes: Vec<String> = b
        .expenditure
        .lines
        .iter()
        .map(|l| l.code.to_string())
        .collect();
    assert_eq!(codes, ["201", "20103", "2010301", "2010302"]);
    assert_eq!(b.expenditure.lines[3].name, "一般行政管理事务");
}

/// A unit-level 表3 whose first column is 单位名称, with the code and name once in their own
/// columns and once together in the code column.
fn unit_column_sheet() -> Grid {
    sheet(
        "Sheet1",
        &[
            &["2024年预算单位支出预算总表"],
            &[
                "单位名称",
                "科目编码",
                "科目名称",
                "合计",
                "基本支出",
                "项目支出",
            ],
            &["上海市某某中心", "2010301", "行政运行", "=1", "=1", ""],
            &[
                "上海市某某中心",
                "2010302 一般行政管理事务",
                "",
                "=2",
                "",
                "=2",
            ],
        ],
    )
}

#[test]
fn a_leading_unit_column_does_not_hide_the_code() {
    let g = unit_column_sheet();
    let b = recognize(&[g]).unwrap().budget;
    let got: Vec<(String, String)> = b
        .expenditure
        .lines
        .iter()
        .map(|l| (l.code.to_string(), l.name.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("2010301".to_string(), "行政运行".to_string()),
            ("2010302".to_string(), "一般行政管理事务".to_string())
        ]
    );
}

/// Where the code and the name of the row coded `row` of `table` were read, as "sheet!cell".
fn label_cells(sub: &Submission, table: TableId, row: &str) -> [String; 2] {
    let at = |key: CellKey| {
        sub.sources
            .get(&key)
            .map(|l| l.sheet_cell())
            .unwrap_or_else(|| format!("no source for {key:?}"))
    };
    [
        at(CellKey::code_cell(table, &code(row))),
        at(CellKey::name_cell(table, &code(row))),
    ]
}

/// Recognises `g` and asserts where the code and the name of each listed row were read.
fn assert_label_cells(g: Grid, table: TableId, expected: &[(&str, [&str; 2])]) {
    let sub = recognize(&[g]).unwrap();
    for (row, cells) in expected {
        assert_eq!(label_cells(&sub, table, row), *cells, "{row}");
    }
}

#[test]
fn code_and_name_cells_are_remembered_per_coded_row() {
    // Split 类/款/项 cells: the code is where its first printed part is, the name in 科目名称.
    let sub = recognize(&[official_t3("2024年部门支出预算总表", "单位：元")]).unwrap();
    let t3 = TableId::T3;
    assert_eq!(label_cells(&sub, t3, "201"), ["表3!A6", "表3!D6"]);
    assert_eq!(label_cells(&sub, t3, "2010302"), ["表3!A9", "表3!D9"]);
    // The amounts keep their own cells, and the 合计 row has no label cells.
    assert_eq!(source(&sub, t3, RowKey::Code(code("2010302")), 0), "表3!E9");
    assert!(
        !sub.sources
            .keys()
            .any(|k| k.row == RowKey::Total && !k.is_amount())
    );

    // A blank 类 is inherited, not read: the code's first printed part is under 款. A name
    // after its own code in 科目名称 is still read from 科目名称.
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门支出预算总表"],
            &["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
            &["201", "", "", "一般公共服务支出", "=3", "=3", ""],
            &[
                "201",
                "03",
                "",
                "政府办公厅（室）及相关机构事务",
                "=3",
                "=3",
                "",
            ],
            &["", "03", "01", "行政运行", "=1", "=1", ""],
            &[
                "201",
                "03",
                "02",
                "2010302 一般行政管理事务",
                "=2",
                "=2",
                "",
            ],
            &["201", "03", "50", "", "", "", ""],
        ],
    );
    assert_label_cells(
        g,
        TableId::T3,
        &[
            ("2010301", ["Sheet1!B5", "Sheet1!D5"]),
            ("2010302", ["Sheet1!A6", "Sheet1!D6"]),
            // No name at all: the blank 科目名称 cell is where it belongs.
            ("2010350", ["Sheet1!A7", "Sheet1!D7"]),
        ],
    );

    // Code and name in one cell, or the name in the next cell.
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门一般公共预算基本支出部门预算经济分类预算表"],
            &["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
            &["301", "工资福利支出", "=10", "=10", ""],
            &["30101", "\u{3000}基本工资", "=10", "=10", ""],
            &["[302]商品和服务支出", "", "=5", "", "=5"],
            &["30201 办公费", "", "=5", "", "=5"],
        ],
    );
    assert_label_cells(
        g,
        TableId::T8,
        &[
            ("30101", ["Sheet1!A4", "Sheet1!B4"]),
            ("302", ["Sheet1!A5", "Sheet1!A5"]),
            ("30201", ["Sheet1!A6", "Sheet1!A6"]),
        ],
    );

    // A leading 单位名称 column: the code's cell is the one that starts with it.
    let g = unit_column_sheet();
    assert_label_cells(
        g,
        TableId::T3,
        &[
            ("2010301", ["Sheet1!B3", "Sheet1!C3"]),
            ("2010302", ["Sheet1!B4", "Sheet1!B4"]),
        ],
    );

    // One label column for code and name, split over two cells of a merged-away layout: the
    // name is read from the cell it starts in.
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门支出预算总表"],
            &["功能分类科目", "", "合计", "基本支出", "项目支出"],
            &["201 03 01", "行政运行", "=1", "=1", ""],
            &["2010302一般行政管理事务", "", "=2", "", "=2"],
        ],
    );
    assert_label_cells(
        g,
        TableId::T3,
        &[
            ("2010301", ["Sheet1!A3", "Sheet1!B3"]),
            ("2010302", ["Sheet1!A4", "Sheet1!A4"]),
        ],
    );
}

#[test]
fn amount_spellings_and_unreadable_cells() {
    let g = sheet(
        "表3",
        &[
            &["2024年部门支出预算总表"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "1,234,567.50", "１，０００", "-"],
            &["2010302", "一般行政管理事务", "0.00", "(5)", "-5"],
            &["2010350", "事业运行", "!#REF!", "~=SUM(C3:C4)", "见附表"],
            &["合计", "", "=1234567.5", "", ""],
        ],
    );
    let mut grid = g;
    grid.set(5, 4, CellValue::Bool(true));
    let sub = recognize(&[grid]).unwrap();
    let lines = &sub.budget.expenditure.lines;
    assert_eq!(lines[0].amounts, split("1234567.5", "1000", "0"));
    assert_eq!(lines[1].amounts, split("0", "-5", "-5"));
    assert_eq!(lines[2].amounts, split("0", "0", "0"));
    let messages: Vec<&str> = sub.findings.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "in.xlsx 工作表“表3”单元格 C5：表3“2010350”行“合计”列的金额是错误值 #REF!，已按 0 处理",
            "in.xlsx 工作表“表3”单元格 D5：表3“2010350”行“基本支出”列的金额是没有计算结果的公式 =SUM(C3:C4)（请在 Excel 中重新计算并保存），已按 0 处理",
            "in.xlsx 工作表“表3”单元格 E5：表3“2010350”行“项目支出”列的金额“见附表”不是数字，已按 0 处理",
            "in.xlsx 工作表“表3”单元格 E6：表3“合计”行“项目支出”列的金额是逻辑值 TRUE，已按 0 处理",
        ]
    );
    assert!(
        sub.findings
            .iter()
            .all(|f| f.severity == Severity::Error && f.rule == UNREADABLE)
    );
    assert_eq!(
        sub.findings[0].location.as_ref().unwrap().cell.to_string(),
        "C5"
    );
}

#[test]
fn wan_yuan_tables_are_scaled_exactly() {
    for unit_line in ["单位：万元", "单位:万元", "金额单位：万元"] {
        let sub = recognize(&[official_t3("2024年部门支出预算总表", unit_line)]).unwrap();
        let t = &sub.budget.expenditure;
        assert_eq!(t.unit, MoneyUnit::WanYuan, "{unit_line}");
        assert_eq!(
            t.total,
            Some(split("3000000", "1000000", "2000000")),
            "{unit_line}"
        );
    }
    let g = sheet(
        "Sheet1",
        &[
            &["2024年部门支出预算总表", "", "（单位：万元）"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "=4821.5638", "1,234.56", ""],
        ],
    );
    let t = recognize(&[g]).unwrap().budget.expenditure;
    assert_eq!(t.lines[0].amounts, split("48215638", "12345600", "0"));
}

#[test]
fn repeated_headers_padding_notes_and_prose_end_tables() {
    let g = sheet(
        "正文",
        &[
            &["2024年部门支出预算总表"],
            &["编制部门：上海市某某局"],
            &["单位：元"],
            &["项目", "", "", "支出预算"],
            T3_LEAVES,
            &["类", "款", "项"],
            &["201", "", "", "一般公共服务支出", "=3", "=3", ""],
            &[""],
            &["项目", "", "", "", "支出预算"],
            T3_LEAVES,
            &["类", "款", "项"],
            &[
                "201",
                "03",
                "",
                "政府办公厅（室）及相关机构事务",
                "=3",
                "=3",
                "",
            ],
            &["项目", "", "", "支出预算"],
            &["", ""],
            &["合计", "", "", "", "=3", "=3", ""],
            &["注：本表按功能分类列示。"],
            &["208", "", "", "社会保障和就业支出", "=9", "=9", ""],
            &["2024年部门一般公共预算支出功能分类预算表"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["201", "一般公共服务支出", "=3", "=3", ""],
            &["其他相关情况说明"],
            &["208", "社会保障和就业支出", "=9", "=9", ""],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    let codes: Vec<String> = b
        .expenditure
        .lines
        .iter()
        .map(|l| l.code.to_string())
        .collect();
    assert_eq!(codes, ["201", "20103"]);
    assert_eq!(b.expenditure.total, Some(split("3", "3", "0")));
    let codes: Vec<String> = b.general.lines.iter().map(|l| l.code.to_string()).collect();
    assert_eq!(codes, ["201"]);
}

#[test]
fn empty_tables_are_present_with_a_zero_total() {
    let g = sheet(
        "正文",
        &[
            &["2024年部门政府性基金预算支出功能分类预算表"],
            &["编制部门：上海市某某局"],
            &["单位：元"],
            &["项目", "", "", "政府性基金预算支出"],
            T3_LEAVES,
            &["类", "款", "项"],
            &["合计"],
            &["注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"],
        ],
    );
    let sub = recognize(&[g]).unwrap();
    let fund = &sub.budget.fund;
    assert!(fund.present);
    assert!(fund.lines.is_empty());
    assert_eq!(fund.total, Some(split("0", "0", "0")));
    assert_eq!(source(&sub, TableId::T6, RowKey::Total, 1), "正文!F7");
}

#[test]
fn the_sheet_name_titles_an_untitled_table() {
    let g = sheet(
        "5.5预算单位一般公共预算支出功能分类预算表",
        &[
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "=1", "=1", ""],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    assert!(b.general.present && !b.expenditure.present);
    assert_eq!(b.meta.level, Level::Unit);
}

#[test]
fn column_numbering_rows_are_skipped() {
    let g = sheet(
        "表3",
        &[
            &["2024年部门支出预算总表"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["栏次", "", "=1", "=2", "=3"],
            &["2010301", "行政运行", "=5", "=5", ""],
        ],
    );
    let sub = recognize(&[g]).unwrap();
    assert_eq!(sub.budget.expenditure.lines.len(), 1);
    assert_eq!(sub.findings, vec![]);
}

#[test]
fn untitled_table_with_plain_header_defaults_to_table3() {
    let g = sheet(
        "Sheet1",
        &[
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
            &["2010301", "行政运行", "=1", "=1", ""],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    assert!(b.expenditure.present);
    assert_eq!(b.expenditure.lines.len(), 1);
}

#[test]
fn visible_sheets_win_over_hidden_and_duplicates_are_reported() {
    let mut hidden = official_t3("2024年部门支出预算总表", "单位：万元");
    hidden.sheet = "旧表3".into();
    hidden.hidden = true;
    let visible = official_t3("2024年部门支出预算总表", "单位：元");
    let sub = recognize(&[hidden, visible]).unwrap();
    assert_eq!(sub.budget.expenditure.unit, MoneyUnit::Yuan);
    assert_eq!(sub.findings.len(), 1);
    assert_eq!(sub.findings[0].rule, "duplicate-table");
    assert_eq!(
        sub.findings[0].message,
        "in.xlsx 工作表“旧表3”A1：表3出现了不止一次，只采用第一次出现的（工作表“表3”A1）"
    );
}

#[test]
fn prose_gives_unit_kind_and_table9_when_no_table9_is_printed() {
    let mut g = official_t3("2024年部门支出预算总表", "单位：元");
    append(
        &mut g,
        &[
            &["本部门中，事业单位2家。"],
            &["2024年“三公”经费预算数为10.00万元。其中：因公出国（境）费10.00万元。"],
        ],
    );
    let b = recognize(&[g]).unwrap().budget;
    assert_eq!(b.meta.unit_kind, Some(UnitKind::Institution));
    assert_eq!(b.meta.admin_unit_count, Some(0));
    let three = b.table9.three_public.unwrap();
    assert_eq!(
        (three.total, three.overseas, three.reception),
        (d("100000"), d("100000"), d("0"))
    );
    assert_eq!(b.table9.admin_running, None);
    assert_eq!(b.table9.unit, MoneyUnit::WanYuan);
}

#[test]
fn no_tables_names_file_sheets_and_labels() {
    let grids = [
        sheet("说明", &[&["填报说明"], &["请按要求填写"]]),
        sheet("Sheet2", &[&["序号", "名称", "=12"]]),
    ];
    let err = recognize(&grids).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.xlsx：未找到任何部门预算表（已查看的工作表：说明、Sheet2；见到的表头文字：填报说明、请按要求填写、序号、名称）"
    );
    let err = recognize(&[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "：未找到任何部门预算表（已查看的工作表：；见到的表头文字：（无））"
    );
}

#[test]
fn missing_required_column_names_table_and_labels() {
    let g = sheet(
        "表3",
        &[
            &["2024年部门支出预算总表"],
            &["单位：元"],
            &["科目编码", "科目名称", "合计", "基本支出"],
            &["2010301", "行政运行", "=1", "=1"],
        ],
    );
    let err = recognize(&[g]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "in.xlsx 工作表“表3”A3：表3（支出预算总表）缺少必需的列“项目支出”（表头中见到：科目编码、科目名称、合计、基本支出）"
    );
}

#[test]
fn untitled_foreign_tables_are_ignored_not_errors() {
    let g = sheet(
        "附表",
        &[
            &["项目", "", "一般公共预算支出"],
            &["项目名称", "合计", "项目支出"],
            &["合作交流工作业务费", "=10", "=10"],
        ],
    );
    let t3 = official_t3("2024年部门支出预算总表", "单位：元");
    let sub = recognize(&[g, t3]).unwrap();
    assert!(sub.budget.expenditure.present && !sub.budget.general.present);
}

#[test]
fn three_hundred_rows_are_all_read() {
    let mut g = Grid::new("big.xlsx", "表3");
    append(
        &mut g,
        &[
            &["2024年部门支出预算总表"],
            &["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ],
    );
    for i in 0..300 {
        let row = g.rows.len();
        g.set(row, 0, CellValue::Text(format!("{}", 2010100 + i)));
        g.set(row, 1, CellValue::Text("行政运行".into()));
        for c in 2..5 {
            g.set(row, c, CellValue::Number(1234.5 + i as f64));
        }
    }
    let sub = recognize(std::slice::from_ref(&g)).unwrap();
    assert_eq!(sub.budget.expenditure.lines.len(), 300);
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const WORDS: &[&str] = &[
        "合计",
        "项目",
        "类",
        "款",
        "项",
        "201",
        "03",
        "01",
        "2010301",
        "[2010301]行政运行",
        "301  2",
        "收入预算",
        "支出预算",
        "一般公共预算支出",
        "基本支出",
        "项目支出",
        "人员经费",
        "公用经费",
        "财政拨款收入",
        "本年收入",
        "本年支出",
        "预算数",
        "收入总计",
        "支出总计",
        "单位：万元",
        "编制部门：X",
        "编制单位：",
        "注：空表",
        "2024年部门收入预算总表",
        "部门“三公”经费和机关运行经费预算表",
        "因公出国(境)费",
        "小计",
        "机关运行经费预算数",
        "一般公共预算",
        "政府性基金预算",
        "国有资本经营预算",
        "功能分类科目编码",
        "科目名称",
        "1,234.50",
        "(5)",
        "-",
        "２０１",
        "",
        "“三公”经费预算数为577.60万元",
        "行政单位6家",
        "收入预算8,428万元",
        "年",
        "9999年",
    ];

    fn cell() -> impl Strategy<Value = CellValue> {
        prop_oneof![
            3 => Just(CellValue::Empty),
            4 => proptest::sample::select(WORDS).prop_map(|w| CellValue::Text(w.to_string())),
            1 => ".{0,6}".prop_map(CellValue::Text),
            2 => any::<f64>().prop_map(CellValue::Number),
            1 => (-1e30f64..1e30).prop_map(CellValue::Number),
            1 => Just(CellValue::Error("#REF!".into())),
            1 => Just(CellValue::FormulaWithoutValue("=A1".into())),
            1 => any::<bool>().prop_map(CellValue::Bool),
        ]
    }

    fn grid() -> impl Strategy<Value = Grid> {
        let rows = proptest::collection::vec(proptest::collection::vec(cell(), 0..9), 0..24);
        let merges = proptest::collection::vec((0u32..30, 0u32..10, 0u32..30, 0u32..10), 0..4);
        (rows, merges, any::<bool>()).prop_map(|(rows, merges, hidden)| Grid {
            file: "p.xlsx".into(),
            sheet: "S".into(),
            hidden,
            rows,
            merges: merges
                .into_iter()
                .map(|(first_row, first_col, last_row, last_col)| Merge {
                    first_row,
                    first_col,
                    last_row,
                    last_col,
                })
                .collect(),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn arbitrary_grids_never_panic(grids in proptest::collection::vec(grid(), 0..3)) {
            // Whatever the grids, what the user reads is Chinese.
            let chinese = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            match recognize(&grids) {
                Ok(sub) => {
                    for f in &sub.findings {
                        prop_assert!(chinese(&f.message), "{}", f.message);
                    }
                }
                Err(e) => prop_assert!(chinese(&e.to_string()), "{e}"),
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The seed text with some of its cells replaced: still no panic, and every amount
        /// the recogniser keeps still has its source cell.
        #[test]
        fn damaged_seed_never_panics(
            edits in proptest::collection::vec((0usize..320, 0usize..10, cell()), 0..40)
        ) {
            let mut g = crate::read::text::disclosure_text(
                "seed.txt",
                include_str!("../../samples/seed-disclosure.txt"),
            );
            for (r, c, v) in edits {
                g.set(r, c, v);
            }
            if let Ok(sub) = recognize(&[g]) {
                let b = &sub.budget;
                let lines = b.income.lines.len() + b.expenditure.lines.len()
                    + b.general.lines.len() + b.economic.lines.len();
                prop_assert!(sub.sources.len() >= lines);
            }
        }
    }
}
