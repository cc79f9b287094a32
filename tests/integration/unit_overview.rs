//! Story: a budget unit's 表1 prints its 本年支出 split into 基本支出 (小计, 人员经费, 公用经费)
//! and 项目支出. yusuan writes that 8-column layout for unit-level budgets (blank where
//! 人员经费/公用经费 are unknown), reads it back to the same model, and checks the split.

use crate::common::seed_budget;
use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use std::io::{Cursor, Read};
use yusuan::derive;
use yusuan::model::{
    Amounts, Budget, Classified, Code, EconomicAmounts, IncomeAmounts, Level, Line, Meta,
    MoneyUnit, SplitAmounts,
};
use yusuan::write::{WriteOptions, workbook};

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn table<A: Amounts>(lines: &[(&str, &str, &[i64])], total: &[i64]) -> Classified<A> {
    let amounts = |v: &[i64]| A::from_values(&v.iter().map(|x| d(*x)).collect::<Vec<_>>());
    Classified {
        lines: lines
            .iter()
            .map(|(code, name, v)| Line {
                code: Code::new(code).unwrap(),
                name: name.to_string(),
                amounts: amounts(v),
            })
            .collect(),
        total: Some(amounts(total)),
        unit: MoneyUnit::Yuan,
        present: true,
    }
}

/// A unit with 201 (基本 1,000 = 人员 700 + 公用 300, 项目 200) and 208 (基本 300, split not
/// stated), all 一般公共预算; its stated 表1 as derived plus the 201 split.
fn unit() -> Budget {
    let split: &[(&str, &str, &[i64])] = &[
        ("201", "一般公共服务支出", &[1200, 1000, 200]),
        ("208", "社会保障和就业支出", &[300, 300, 0]),
    ];
    let mut b = Budget {
        meta: Meta {
            year: Some(2024),
            entity: "上海市某某服务中心".into(),
            level: Level::Unit,
            ..Meta::default()
        },
        income: table::<IncomeAmounts>(
            &[
                ("201", "一般公共服务支出", &[1200, 1200, 0, 0, 0]),
                ("208", "社会保障和就业支出", &[300, 300, 0, 0, 0]),
            ],
            &[1500, 1500, 0, 0, 0],
        ),
        expenditure: table::<SplitAmounts>(split, &[1500, 1300, 200]),
        general: table::<SplitAmounts>(split, &[1500, 1300, 200]),
        economic: table::<EconomicAmounts>(
            &[
                ("301", "工资福利支出", &[900, 900, 0]),
                ("302", "商品和服务支出", &[400, 0, 400]),
            ],
            &[1300, 900, 400],
        ),
        // Empty 表6/表7 as printed: headers and a blank 合计 row.
        fund: table::<SplitAmounts>(&[], &[0, 0, 0]),
        capital: table::<SplitAmounts>(&[], &[0, 0, 0]),
        ..Budget::default()
    };
    let mut o = derive::overview(&b);
    o.expenditure_split[0].1.personnel = Some(d(700));
    o.expenditure_split[0].1.public = Some(d(300));
    b.stated_overview = Some(o);
    b.stated_overview = Some(derive::overview(&b));
    b
}

fn cells(bytes: &[u8], sheet: &str) -> calamine::Range<Data> {
    let mut xlsx = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    xlsx.worksheet_range(sheet).unwrap()
}

fn row_texts(range: &calamine::Range<Data>, row: u32) -> Vec<String> {
    (0..8)
        .map(|c| match range.get_value((row, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(f)) => format!("{f}"),
            Some(Data::Empty) | None => String::new(),
            Some(other) => format!("{other:?}"),
        })
        .collect()
}

fn sheet_xml(bytes: &[u8], index: usize) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name(&format!("xl/worksheets/sheet{index}.xml"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn a_unit_workbook_prints_table1_in_the_unit_layout() {
    let bytes = workbook(&unit(), &[], &WriteOptions::default()).unwrap();
    let t1 = cells(&bytes, "1 收支总表");
    let rows: Vec<Vec<String>> = (0..8).map(|r| row_texts(&t1, r)).collect();
    let expected: [[&str; 8]; 8] = [
        ["2024年预算单位财务收支预算总表", "", "", "", "", "", "", ""],
        [
            "编制单位：上海市某某服务中心",
            "",
            "",
            "",
            "",
            "",
            "",
            "单位：元",
        ],
        ["本年收入", "", "本年支出", "", "", "", "", ""],
        [
            "项目",
            "预算数",
            "项目",
            "合计",
            "基本支出",
            "",
            "",
            "项目支出",
        ],
        ["", "", "", "", "小计", "人员经费", "公用经费", ""],
        [
            "一、财政拨款收入",
            "1500",
            "一、一般公共服务支出",
            "1200",
            "1000",
            "700",
            "300",
            "200",
        ],
        // 208's 人员经费/公用经费 are unknown: blank; its 项目支出 is zero: blank.
        [
            "1、一般公共预算资金",
            "1500",
            "二、社会保障和就业支出",
            "300",
            "300",
            "",
            "",
            "",
        ],
        ["2、政府性基金", "", "", "", "", "", "", ""],
    ];
    for (r, want) in expected.iter().enumerate() {
        assert_eq!(rows[r], want.map(String::from), "row {}", r + 1);
    }
    // The grand total row closes the table: 收入总计 | N | 支出总计 | 合计 and the split, whose
    // 人员经费/公用经费 are unknown while 208's are.
    let last = (0..40)
        .map(|r| row_texts(&t1, r))
        .find(|row| row[0] == "收入总计")
        .unwrap();
    assert_eq!(
        last,
        [
            "收入总计",
            "1500",
            "支出总计",
            "1500",
            "1300",
            "",
            "",
            "200"
        ]
        .map(String::from)
    );
    let xml = sheet_xml(&bytes, 1);
    for m in [
        "A1:H1", "A3:B3", "C3:H3", "A4:A5", "B4:B5", "C4:C5", "D4:D5", "E4:G4", "H4:H5",
    ] {
        assert!(
            xml.contains(&format!("<mergeCell ref=\"{m}\"/>")),
            "merge {m} missing"
        );
    }
    // Headers repeat on every printed page: rows 1 to 5.
    let book = {
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut text = String::new();
        zip.by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    assert!(book.contains("'1 收支总表'!$1:$5"), "{book}");
}

#[test]
fn a_department_workbook_keeps_the_four_column_table1() {
    let mut b = unit();
    b.meta.level = Level::Department;
    b.stated_overview = Some(derive::overview(&b));
    let bytes = workbook(&b, &[], &WriteOptions::default()).unwrap();
    let t1 = cells(&bytes, "1 收支总表");
    assert_eq!(
        row_texts(&t1, 3),
        ["项目", "预算数", "项目", "预算数", "", "", "", ""].map(String::from)
    );
    assert_eq!(t1.get_size().1, 4);
}

#[test]
fn a_unit_budget_with_its_split_round_trips_through_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    for budget in [unit(), seed_unit_with_split()] {
        let path = dir.path().join(format!("{}.xlsx", budget.meta.entity));
        let bytes = workbook(&budget, &[], &WriteOptions::default()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        let sub = yusuan::load(&path).unwrap();
        let mut loaded = sub.budget.clone();
        assert_eq!(loaded.stated_overview, budget.stated_overview, "{path:?}");
        // What the workbook does not print: the unit kind (prose only).
        loaded.meta.unit_kind = budget.meta.unit_kind;
        let mut want = budget.clone();
        want.stated_fiscal = Some(derive::fiscal_overview(&budget));
        want.table9.unit = loaded.table9.unit;
        assert_eq!(loaded, want, "{path:?}");
        let errors: Vec<String> = yusuan::check::check(&sub)
            .into_iter()
            .filter(|f| f.severity == yusuan::finding::Severity::Error)
            .map(|f| f.message)
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{path:?}");
    }
}

/// A unit of the seed department whose stated 表1 gives every 类 its 人员经费/公用经费: 表8's
/// totals spread over the 类 in proportion to their 基本支出 (whole 元, the last 类 takes the
/// remainder), so the split agrees with 表3 and 表8.
fn seed_unit_with_split() -> Budget {
    let mut unit = yusuan::synth::split_units(&seed_budget(), 3, 11).remove(1);
    let t8 = unit.economic.total_or_sum();
    let basic_total = unit.expenditure.total_or_sum().basic;
    assert_eq!(basic_total, t8.total, "all basic money is 一般公共预算");
    let mut o = derive::overview(&unit);
    let n = o.expenditure_split.len();
    let mut left = t8.personnel;
    for (i, (_, s)) in o.expenditure_split.iter_mut().enumerate() {
        let basic = s.basic.unwrap_or_default();
        let personnel = if i + 1 == n {
            left
        } else {
            (basic * t8.personnel / basic_total).round()
        };
        left -= personnel;
        // A 类 without 基本支出 prints both blank: unknown, as it reads back.
        if !basic.is_zero() {
            s.personnel = Some(personnel);
            s.public = Some(basic - personnel);
        }
    }
    unit.stated_overview = Some(o);
    unit.stated_overview = Some(derive::overview(&unit));
    unit
}

#[test]
fn synthetic_units_state_a_split_that_agrees_with_table8() {
    for unit in yusuan::synth::split_units(&seed_budget(), 6, 2024) {
        let o = unit.stated_overview.clone().unwrap();
        assert_eq!(o.expenditure_split.len(), o.expenditure.len());
        let total = o.expenditure_total_split.clone().unwrap();
        let t8 = unit.economic.total_or_sum();
        assert_eq!(total.personnel, Some(t8.personnel), "{}", unit.meta.entity);
        assert_eq!(total.public, Some(t8.public), "{}", unit.meta.entity);
        for (name, s) in &o.expenditure_split {
            let basic = s.basic.unwrap();
            let parts = s.personnel.unwrap_or_default() + s.public.unwrap_or_default();
            assert_eq!(parts, basic, "{name}");
        }
        // Rendered official-style and read back, the unit states the same 表1.
        let files = yusuan::synth::render(&unit, yusuan::synth::Shape::Official).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(&files[0].0);
        std::fs::write(&path, &files[0].1).unwrap();
        let read = yusuan::load(&path).unwrap().budget;
        assert_eq!(read.stated_overview, Some(o), "{}", unit.meta.entity);
    }
}

#[test]
fn a_slip_in_a_written_unit_table1_is_located_at_its_cell() {
    let mut b = unit();
    if let Some(o) = b.stated_overview.as_mut() {
        o.expenditure_split[1].1.personnel = Some(d(200));
        o.expenditure_split[1].1.public = Some(d(100));
        // The slip: 710 where 700 belongs.
        o.expenditure_split[0].1.personnel = Some(d(710));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unit.xlsx");
    std::fs::write(&path, workbook(&b, &[], &WriteOptions::default()).unwrap()).unwrap();
    let sub = yusuan::load(&path).unwrap();
    let found: Vec<(String, String, String, String)> = yusuan::check::check(&sub)
        .into_iter()
        .filter(|f| f.severity == yusuan::finding::Severity::Error)
        .map(|f| {
            let at = f.location.map(|l| l.sheet_cell()).unwrap_or_default();
            (
                f.rule,
                f.row.unwrap_or_default(),
                f.column.unwrap_or_default(),
                at,
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    assert_eq!(
        found,
        [
            (
                s("row-sum"),
                s("一般公共服务支出"),
                s("基本支出"),
                s("1 收支总表!E6")
            ),
            // The 支出总计 row (row 13, after the seven income items) sums the slip too.
            (
                s("row-sum"),
                s("支出总计"),
                s("基本支出"),
                s("1 收支总表!E13")
            ),
            (
                s("t1-t8"),
                s("支出总计"),
                s("人员经费"),
                s("1 收支总表!F13")
            ),
        ]
    );
}

#[test]
fn converting_a_sample_unit_prints_its_table1_in_the_unit_layout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("unit.xlsx");
    let input = crate::common::repo_path("samples/units/0001_official.xlsx");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("convert")
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        status.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let t1 = cells(&bytes, "1 收支总表");
    let title = row_texts(&t1, 0);
    assert!(
        title[0].ends_with("年预算单位财务收支预算总表"),
        "{title:?}"
    );
    assert!(row_texts(&t1, 1)[0].starts_with("编制单位："));
    assert_eq!(
        row_texts(&t1, 3),
        [
            "项目",
            "预算数",
            "项目",
            "合计",
            "基本支出",
            "",
            "",
            "项目支出"
        ]
        .map(String::from)
    );
    // 基本支出/项目支出 come from 表3; 人员经费/公用经费 as the sample's 表1 states them (blank
    // when it is printed in the department layout); read back, the split is what was printed.
    let read = yusuan::load(&out).unwrap().budget;
    let o = read.stated_overview.unwrap();
    let source = yusuan::load(&input).unwrap().budget;
    assert_eq!(o.expenditure_split.len(), o.expenditure.len());
    for ((name, s), line) in o
        .expenditure_split
        .iter()
        .zip(source.expenditure.lei_lines())
    {
        assert_eq!(name, &line.name);
        assert_eq!(s.basic, Some(line.amounts.basic), "{name}");
        assert_eq!(s.project, Some(line.amounts.project), "{name}");
        let stated = source
            .stated_overview
            .as_ref()
            .and_then(|o| o.split_of(name))
            .map(|s| (s.personnel, s.public));
        assert_eq!(
            (s.personnel, s.public),
            stated.unwrap_or((None, None)),
            "{name}"
        );
    }
}
