//! Story: the nine official tables are written as a print-ready workbook. Each test builds a
//! budget, writes it with `write::workbook`, and reads the bytes back: values cell by cell with
//! calamine, page setup and merges from the sheet XML inside the zip.

use crate::common::seed_budget;
use calamine::{Data, Reader, Xlsx};
use rust_decimal::Decimal;
use std::io::{Cursor, Read};
use yusuan::finding::{Finding, Severity};
use yusuan::model::{
    Budget, CellRef, Classified, Code, EconomicAmounts, IncomeAmounts, Level, Line, Location, Meta,
    MoneyUnit, SplitAmounts, Table9, ThreePublic, UnitKind,
};
use yusuan::write::layout::{Orientation, layouts};
use yusuan::write::{WriteOptions, workbook};

const SHEETS: [&str; 9] = [
    "1 收支总表",
    "2 收入总表",
    "3 支出总表",
    "4 财政拨款收支总表",
    "5 一般公共预算支出表",
    "6 政府性基金支出表",
    "7 国有资本经营支出表",
    "8 基本支出经济分类表",
    "9 三公经费表",
];

fn d(v: i64) -> Decimal {
    Decimal::from(v)
}

fn write(budget: &Budget, findings: &[Finding], options: &WriteOptions) -> Vec<u8> {
    workbook(budget, findings, options).expect("workbook renders")
}

/// A written workbook opened for reading.
struct Book {
    bytes: Vec<u8>,
    xlsx: Xlsx<Cursor<Vec<u8>>>,
}

impl Book {
    fn open(bytes: Vec<u8>) -> Book {
        let xlsx = Xlsx::new(Cursor::new(bytes.clone())).expect("calamine opens the workbook");
        Book { bytes, xlsx }
    }

    fn sheet(&mut self, name: &str) -> Sheet {
        Sheet(self.xlsx.worksheet_range(name).expect(name))
    }

    /// A file inside the xlsx zip, as text.
    fn part(&self, path: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(&self.bytes)).unwrap();
        let mut text = String::new();
        zip.by_name(path)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }
}

struct Sheet(calamine::Range<Data>);

impl Sheet {
    /// The cell at an A1 address.
    fn at(&self, a1: &str) -> Data {
        let (row, col) = parse_a1(a1);
        self.0.get_value((row, col)).cloned().unwrap_or(Data::Empty)
    }
    fn text(&self, a1: &str) -> String {
        match self.at(a1) {
            Data::String(s) => s,
            Data::Empty => String::new(),
            other => panic!("{a1} is not text: {other:?}"),
        }
    }
    fn number(&self, a1: &str) -> f64 {
        match self.at(a1) {
            Data::Float(f) => f,
            other => panic!("{a1} is not a number: {other:?}"),
        }
    }
    fn is_empty(&self, a1: &str) -> bool {
        self.at(a1) == Data::Empty
    }
    /// Texts of one row from column A to `last` (e.g. "I"), numbers as shortest text.
    fn row(&self, row: u32, last: char) -> Vec<String> {
        ('A'..=last)
            .map(|c| match self.at(&format!("{c}{row}")) {
                Data::String(s) => s,
                Data::Float(f) => format!("{f}"),
                Data::Empty => String::new(),
                other => format!("{other:?}"),
            })
            .collect()
    }
}

fn parse_a1(a1: &str) -> (u32, u32) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1)
        - 1;
    let row: u32 = a1[letters.len()..].parse().unwrap();
    (row - 1, col)
}

// ---------------------------------------------------------------------------------------
// Budgets built in code

fn code(s: &str) -> Code {
    Code::new(s).unwrap()
}

fn split(total: i64, basic: i64) -> SplitAmounts {
    SplitAmounts {
        total: d(total),
        basic: d(basic),
        project: d(total - basic),
    }
}

/// A unit-level budget with 分 in one amount, empty 表6/7 and no 三公 figures.
fn small_unit_budget() -> Budget {
    let lines = |rows: &[(&str, &str, i64, i64)]| {
        rows.iter()
            .map(|(c, n, t, b)| Line {
                code: code(c),
                name: n.to_string(),
                amounts: split(*t, *b),
            })
            .collect::<Vec<_>>()
    };
    let expenditure = lines(&[
        ("205", "教育支出", 1_200_000, 1_000_000),
        ("20502", "普通教育", 1_200_000, 1_000_000),
        ("2050201", "学前教育", 1_200_000, 1_000_000),
    ]);
    let mut general = Classified {
        lines: expenditure.clone(),
        total: Some(split(1_200_000, 1_000_000)),
        unit: MoneyUnit::Yuan,
        present: true,
    };
    general.lines[2].amounts.basic = Decimal::new(100_000_050, 2); // 1,000,000.50
    general.lines[2].amounts.project = Decimal::new(19_999_950, 2);
    let income_row = |total: i64| IncomeAmounts {
        total: d(total),
        fiscal: d(total),
        ..Default::default()
    };
    Budget {
        meta: Meta {
            year: Some(2024),
            entity: "上海市某某幼儿园".into(),
            level: Level::Unit,
            unit_kind: Some(UnitKind::Institution),
            admin_unit_count: None,
        },
        income: Classified {
            lines: expenditure
                .iter()
                .map(|l| Line {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    amounts: income_row(1_200_000),
                })
                .collect(),
            total: Some(income_row(1_200_000)),
            unit: MoneyUnit::Yuan,
            present: true,
        },
        expenditure: Classified {
            lines: expenditure,
            total: Some(split(1_200_000, 1_000_000)),
            unit: MoneyUnit::Yuan,
            present: true,
        },
        general,
        economic: Classified {
            lines: vec![
                Line {
                    code: code("301"),
                    name: "工资福利支出".into(),
                    amounts: EconomicAmounts {
                        total: d(1_000_000),
                        personnel: d(1_000_000),
                        public: d(0),
                    },
                },
                Line {
                    code: code("30101"),
                    name: "基本工资".into(),
                    amounts: EconomicAmounts {
                        total: d(1_000_000),
                        personnel: d(1_000_000),
                        public: d(0),
                    },
                },
            ],
            total: None,
            unit: MoneyUnit::Yuan,
            present: true,
        },
        ..Default::default()
    }
}

/// Long names, to exercise wrapping and widths.
const NAMES: [&str; 6] = [
    "行政运行",
    "一般行政管理事务",
    "机关事业单位基本养老保险缴费支出",
    "其他政府办公厅（室）及相关机构事务支出",
    "事业运行",
    "对从事公共服务的专业技术人员及其他工作人员的住房和生活补贴支出（试点）",
];

/// A department budget with `n_lei` 类 × 5 款 × 4 项 (= 26 rows per 类) in 表2/3/5, and 表8.
fn big_budget(n_lei: usize) -> Budget {
    let mut lines: Vec<Line<SplitAmounts>> = Vec::new();
    for l in 0..n_lei {
        let lei = format!("{}", 201 + l);
        let mut kuans = Vec::new();
        let mut lei_sum = (0i64, 0i64);
        for k in 1..=5 {
            let kuan = format!("{lei}{k:02}");
            let mut items = Vec::new();
            let mut kuan_sum = (0i64, 0i64);
            for x in 1..=4 {
                let seed = (l * 97 + k * 13 + x * 7) as i64;
                let total = 1_000_000 + seed * 123_457 % 90_000_000;
                let basic = total * (x as i64) / 5;
                kuan_sum = (kuan_sum.0 + total, kuan_sum.1 + basic);
                items.push(Line {
                    code: code(&format!("{kuan}{x:02}")),
                    name: NAMES[(l + k + x) % NAMES.len()].to_string(),
                    amounts: split(total, basic),
                });
            }
            lei_sum = (lei_sum.0 + kuan_sum.0, lei_sum.1 + kuan_sum.1);
            kuans.push(Line {
                code: code(&kuan),
                name: format!("款级科目{k}"),
                amounts: split(kuan_sum.0, kuan_sum.1),
            });
            kuans.extend(items);
        }
        lines.push(Line {
            code: code(&lei),
            name: format!("类级科目{}", l + 1),
            amounts: split(lei_sum.0, lei_sum.1),
        });
        lines.extend(kuans);
    }
    let expenditure = Classified {
        lines,
        total: None,
        unit: MoneyUnit::Yuan,
        present: true,
    };
    let income = Classified {
        lines: expenditure
            .lines
            .iter()
            .map(|l| Line {
                code: l.code.clone(),
                name: l.name.clone(),
                amounts: IncomeAmounts {
                    total: l.amounts.total,
                    fiscal: l.amounts.total,
                    ..Default::default()
                },
            })
            .collect(),
        total: None,
        unit: MoneyUnit::Yuan,
        present: true,
    };
    let mut economic = seed_budget().economic;
    economic.lines.truncate(20);
    economic.total = None;
    Budget {
        meta: Meta {
            year: Some(2024),
            entity: "上海市某某委员会".into(),
            level: Level::Department,
            unit_kind: Some(UnitKind::Administrative),
            admin_unit_count: None,
        },
        income,
        general: expenditure.clone(),
        expenditure,
        economic,
        table9: Table9 {
            three_public: Some(ThreePublic {
                total: d(5_776_000),
                overseas: d(936_000),
                reception: d(2_460_000),
                vehicle_subtotal: d(2_380_000),
                vehicle_purchase: d(0),
                vehicle_running: d(2_380_000),
            }),
            admin_running: None,
            unit: MoneyUnit::WanYuan,
        },
        ..Default::default()
    }
}

// ---------------------------------------------------------------------------------------
// Values read back with calamine

#[test]
fn the_nine_sheets_come_in_official_order_with_titles_and_entity_rows() {
    let budget = seed_budget();
    let mut book = Book::open(write(&budget, &[], &WriteOptions::default()));
    assert_eq!(book.xlsx.sheet_names(), SHEETS.map(String::from).to_vec());
    let titles = [
        "2024年部门财务收支预算总表",
        "2024年部门收入预算总表",
        "2024年部门支出预算总表",
        "2024年部门财政拨款收支预算总表",
        "2024年部门一般公共预算支出功能分类预算表",
        "2024年部门政府性基金预算支出功能分类预算表",
        "2024年部门国有资本经营预算支出功能分类预算表",
        "2024年部门一般公共预算基本支出部门预算经济分类预算表",
        "部门“三公”经费和机关运行经费预算表",
    ];
    let unit_cells = ["D2", "I2", "G2", "G2", "G2", "G2", "G2", "F2", "G2"];
    for ((name, title), unit_cell) in SHEETS.iter().zip(titles).zip(unit_cells) {
        let sheet = book.sheet(name);
        assert_eq!(sheet.text("A1"), title, "{name}");
        assert_eq!(sheet.text("A2"), "编制部门：上海市人民政府合作交流办公室");
        let unit = if name.starts_with('9') {
            "单位:万元"
        } else {
            "单位：元"
        };
        assert_eq!(sheet.text(unit_cell), unit, "{name}");
    }
}

#[test]
fn table2_prints_the_seed_header_codes_amounts_and_total() {
    let mut book = Book::open(write(&seed_budget(), &[], &WriteOptions::default()));
    let t2 = book.sheet("2 收入总表");
    assert_eq!(t2.text("A3"), "项目");
    assert_eq!(t2.text("E3"), "收入预算");
    assert_eq!(
        t2.row(4, 'I'),
        [
            "功能分类科目编码",
            "",
            "",
            "功能分类科目名称",
            "合计",
            "财政拨款收入",
            "事业收入",
            "事业单位\n经营收入",
            "其他收入"
        ]
    );
    assert_eq!(t2.row(5, 'C'), ["类", "款", "项"]);
    assert_eq!(
        t2.row(6, 'I'),
        [
            "201",
            "",
            "",
            "一般公共服务支出",
            "64279020",
            "64079020",
            "",
            "",
            "200000"
        ]
    );
    assert_eq!(
        t2.row(7, 'E'),
        [
            "201",
            "03",
            "",
            "政府办公厅（室）及相关机构事务",
            "64279020"
        ]
    );
    assert_eq!(t2.row(8, 'E'), ["201", "03", "01", "行政运行", "48215638"]);
    // 21 coded rows, then 合计 merged over A:D.
    assert_eq!(
        t2.row(27, 'I'),
        ["合计", "", "", "", "84281400", "84081400", "", "", "200000"]
    );
    assert!(t2.is_empty("A28"));

    let t8 = book.sheet("8 基本支出经济分类表");
    assert_eq!(t8.text("A4"), "部门预算经济分类\n科目编码");
    assert_eq!(t8.text("C4"), "经济分类科目名称");
    assert_eq!(t8.row(5, 'B'), ["类", "款"]);
    assert_eq!(t8.row(7, 'D'), ["301", "01", "基本工资", "5187980"]);
    let last = 5 + 39;
    assert_eq!(
        t8.row(last + 1, 'F'),
        ["合计", "", "", "67268757", "48475981", "18792776"]
    );
}

#[test]
fn tables_1_and_4_pair_the_lists_and_end_with_the_grand_totals() {
    let mut book = Book::open(write(&seed_budget(), &[], &WriteOptions::default()));
    let t1 = book.sheet("1 收支总表");
    assert_eq!(t1.row(3, 'D'), ["本年收入", "", "本年支出", ""]);
    assert_eq!(t1.row(4, 'D'), ["项目", "预算数", "项目", "预算数"]);
    assert_eq!(
        t1.row(5, 'D'),
        [
            "一、财政拨款收入",
            "84081400",
            "一、一般公共服务支出",
            "64279020"
        ]
    );
    assert_eq!(
        t1.row(7, 'D'),
        ["2、政府性基金", "", "三、卫生健康支出", "2095505"]
    );
    assert_eq!(t1.row(9, 'D'), ["二、事业收入", "", "", ""]);
    assert_eq!(t1.row(11, 'D'), ["四、其他收入", "200000", "", ""]);
    assert_eq!(
        t1.row(12, 'D'),
        ["收入总计", "84281400", "支出总计", "84281400"]
    );

    let t4 = book.sheet("4 财政拨款收支总表");
    assert_eq!(t4.row(3, 'C'), ["财政拨款收入", "", "财政拨款支出"]);
    assert_eq!(
        t4.row(4, 'G'),
        [
            "项目",
            "预算数",
            "项目",
            "合计",
            "一般公共预算",
            "政府性基金预算",
            "国有资本经营预算"
        ]
    );
    assert_eq!(
        t4.row(5, 'G'),
        [
            "一、一般公共预算资金",
            "84081400",
            "一、一般公共服务支出",
            "64079020",
            "64079020",
            "",
            ""
        ]
    );
    assert_eq!(t4.row(8, 'D'), ["", "", "四、住房保障支出", "8812662"]);
    assert_eq!(
        t4.row(9, 'G'),
        [
            "收入总计",
            "84081400",
            "支出总计",
            "84081400",
            "84081400",
            "",
            ""
        ]
    );
}

#[test]
fn table9_prints_wan_yuan_to_two_decimals_and_empty_tables_keep_header_total_and_note() {
    let mut book = Book::open(write(&seed_budget(), &[], &WriteOptions::default()));
    let t9 = book.sheet("9 三公经费表");
    assert_eq!(t9.text("A3"), "“三公”经费预算数");
    assert_eq!(t9.text("G3"), "机关运行经费预算数");
    assert_eq!(
        t9.row(4, 'F'),
        [
            "合计",
            "因公出国(境)费",
            "公务接待费",
            "公务用车购置及运行费",
            "",
            ""
        ]
    );
    assert_eq!(t9.row(5, 'F')[3..], ["小计", "购置费", "运行费"]);
    assert_eq!(
        t9.row(6, 'G'),
        ["577.6", "93.6", "246", "238", "", "238", "1879.28"]
    );

    let t6 = book.sheet("6 政府性基金支出表");
    assert_eq!(t6.text("E3"), "政府性基金预算支出");
    assert_eq!(t6.row(6, 'G'), ["合计", "", "", "", "", "", ""]);
    assert_eq!(
        t6.text("A7"),
        "注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    );
    let t7 = book.sheet("7 国有资本经营支出表");
    assert_eq!(
        t7.text("A7"),
        "注：本部门2024年无国有资本经营预算财政拨款安排的预算，故本表为空表。"
    );
    // Non-empty tables carry no note.
    let t5 = book.sheet("5 一般公共预算支出表");
    assert_eq!(t5.row(27, 'A'), ["合计"]);
    assert!(t5.is_empty("A28"));
}

#[test]
fn wan_yuan_option_divides_by_ten_thousand_rounding_half_up() {
    let budget = seed_budget();
    let options = WriteOptions {
        unit: MoneyUnit::WanYuan,
        ..Default::default()
    };
    let mut book = Book::open(write(&budget, &[], &options));
    let t2 = book.sheet("2 收入总表");
    assert_eq!(t2.text("I2"), "单位：万元");
    // 64,279,020 元 → 6,427.902 → 6,427.90; 48,215,638 → 4,821.5638 → 4,821.56;
    // 16,063,382 → 1,606.3382 → 1,606.34.
    assert_eq!(t2.number("E6"), 6427.9);
    assert_eq!(t2.number("E8"), 4821.56);
    assert_eq!(t2.number("E9"), 1606.34);
    assert_eq!(t2.number("E27"), 8428.14);
    let t3 = book.sheet("3 支出总表");
    // 1,596,926 → 159.6926 → 159.69; 695,261 → 69.5261 → 69.53.
    let values: Vec<f64> = (6..=26)
        .filter_map(|r| match t3.at(&format!("E{r}")) {
            Data::Float(f) => Some(f),
            _ => None,
        })
        .collect();
    assert!(
        values.contains(&159.69) && values.contains(&69.53),
        "{values:?}"
    );
    // Every printed value equals 元 / 10,000 rounded half-up to 2 dp.
    for (i, line) in budget.expenditure.lines.iter().enumerate() {
        let expected = yusuan::write::printed(line.amounts.total, MoneyUnit::WanYuan);
        let cell = format!("E{}", 6 + i);
        assert_eq!(
            t3.number(&cell).to_string(),
            expected.normalize().to_string(),
            "{cell}"
        );
    }
    // 表9 is 万元 whatever the option.
    let t9 = book.sheet("9 三公经费表");
    assert_eq!(t9.number("G6"), 1879.28);
}

#[test]
fn zeros_as_digits_prints_zero_and_unknown_table9_figures_stay_blank() {
    let options = WriteOptions {
        zeros_as_digits: true,
        ..Default::default()
    };
    let budget = small_unit_budget();
    let mut book = Book::open(write(&budget, &[], &options));
    let t2 = book.sheet("2 收入总表");
    assert_eq!(t2.text("A1"), "2024年预算单位收入预算总表");
    assert_eq!(t2.text("A2"), "编制单位：上海市某某幼儿园");
    assert_eq!(t2.number("G6"), 0.0);
    let t9 = book.sheet("9 三公经费表");
    assert_eq!(t9.text("A1"), "单位“三公”经费和机关运行经费预算表");
    // No 三公 figures stated: blank; a 事业单位 has 0 机关运行经费.
    assert!(t9.is_empty("A6") && t9.is_empty("F6"));
    assert_eq!(t9.number("G6"), 0.0);
    let t6 = book.sheet("6 政府性基金支出表");
    assert_eq!(t6.number("E6"), 0.0);
    assert_eq!(
        t6.text("A7"),
        "注：本单位2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    );
}

#[test]
fn findings_sheet_lists_every_finding_and_cover_sheets_come_first() {
    let findings = vec![
        Finding::new(
            Severity::Error,
            "row-sum",
            "合计不等于基本支出与项目支出之和",
        )
        .in_table(yusuan::model::TableId::T3)
        .at("2010301", "合计")
        .located(Some(Location {
            file: "unit.xlsx".into(),
            sheet: "表3".into(),
            cell: CellRef::new(7, 4),
        }))
        .values("48,215,638", "48,215,639"),
        Finding::new(Severity::Warning, "unknown-code", "科目编码不在参考目录中"),
    ];
    let options = WriteOptions {
        cover: true,
        ..Default::default()
    };
    let mut book = Book::open(write(&seed_budget(), &findings, &options));
    let names = book.xlsx.sheet_names();
    assert_eq!(names.len(), 12);
    assert_eq!(names[..2], ["封面", "目录"]);
    assert_eq!(names[2..11], SHEETS.map(String::from));
    assert_eq!(names[11], "校验结果");

    // Cover and 目录 print portrait, one page.
    for (i, name) in names[..2].iter().enumerate() {
        let xml = sheet_xml(&book, i);
        assert!(xml.contains("orientation=\"portrait\""), "{name}");
        assert!(xml.contains("paperSize=\"9\""), "{name}");
    }
    let cover = book.sheet("封面");
    assert_eq!(cover.text("A7"), "上海市2024年市级部门预算");
    assert_eq!(
        cover.text("A13"),
        "预算主管部门：上海市人民政府合作交流办公室"
    );
    let toc = book.sheet("目录");
    assert_eq!(toc.text("A1"), "目 录");
    assert_eq!(toc.text("A3"), "1. 2024年部门财务收支预算总表");
    assert_eq!(toc.text("A11"), "9. 部门“三公”经费和机关运行经费预算表");

    let sheet = book.sheet("校验结果");
    assert_eq!(sheet.text("A1"), "校验结果");
    assert_eq!(
        sheet.row(3, 'I'),
        [
            "严重程度",
            "规则",
            "表",
            "行",
            "列",
            "位置",
            "应为",
            "实为",
            "说明"
        ]
    );
    assert_eq!(
        sheet.row(4, 'I'),
        [
            "错误",
            "row-sum",
            "表3",
            "2010301",
            "合计",
            "unit.xlsx!表3!E8",
            "48,215,638",
            "48,215,639",
            "合计不等于基本支出与项目支出之和"
        ]
    );
    assert_eq!(sheet.row(5, 'C'), ["警告", "unknown-code", ""]);
    // Without findings there is no such sheet.
    let book = Book::open(write(&seed_budget(), &[], &WriteOptions::default()));
    assert!(!book.part("xl/workbook.xml").contains("校验结果"));
}

#[test]
fn a_300_row_table_is_written_in_full() {
    let budget = big_budget(12); // 12 × 26 = 312 coded rows
    let mut book = Book::open(write(&budget, &[], &WriteOptions::default()));
    let t3 = book.sheet("3 支出总表");
    let n = budget.expenditure.lines.len() as u32;
    assert_eq!(n, 312);
    let last = budget.expenditure.lines.last().unwrap();
    assert_eq!(t3.row(5 + n, 'D'), ["212", "05", "04", last.name.as_str()]);
    assert_eq!(
        t3.number(&format!("E{}", 5 + n)),
        last.amounts.total.to_string().parse::<f64>().unwrap()
    );
    let total = budget.expenditure.sum_of_lei().total;
    assert_eq!(t3.text(&format!("A{}", 6 + n)), "合计");
    assert_eq!(
        t3.number(&format!("E{}", 6 + n)),
        total.to_string().parse::<f64>().unwrap()
    );
    // Every amount cell of the body is a number or blank, never text.
    for r in 6..=6 + n {
        for c in ['E', 'F', 'G'] {
            let cell = t3.at(&format!("{c}{r}"));
            assert!(
                matches!(cell, Data::Float(_) | Data::Empty),
                "{c}{r}: {cell:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Page setup and merges, from the sheet XML

/// The XML part of each sheet, in workbook order (sheetN.xml follows sheet order).
fn sheet_xml(book: &Book, index: usize) -> String {
    book.part(&format!("xl/worksheets/sheet{}.xml", index + 1))
}

#[test]
fn every_table_prints_a4_one_page_wide_with_repeated_header_and_print_area() {
    let book = Book::open(write(&big_budget(12), &[], &WriteOptions::default()));
    let workbook = book.part("xl/workbook.xml");
    // The last header row of each table (1-based): title, 编制部门, then 2 or 3 header rows.
    let header_end = [4, 5, 5, 4, 5, 5, 5, 5, 5];
    let layouts = layouts().unwrap();
    for (i, name) in SHEETS.iter().enumerate() {
        let xml = sheet_xml(&book, i);
        assert!(xml.contains("<pageSetUpPr fitToPage=\"1\"/>"), "{name}");
        let setup = xml
            .split("<pageSetup ")
            .nth(1)
            .and_then(|s| s.split("/>").next())
            .unwrap_or_else(|| panic!("{name}: no pageSetup"));
        assert!(setup.contains("paperSize=\"9\""), "{name}: {setup}");
        let orientation = match layouts[i].orientation {
            Orientation::Landscape => "orientation=\"landscape\"",
            Orientation::Portrait => "orientation=\"portrait\"",
        };
        assert!(setup.contains(orientation), "{name}: {setup}");
        assert!(setup.contains("fitToHeight=\"0\""), "{name}: {setup}");
        // fitToWidth defaults to 1 in the schema; rust_xlsxwriter writes it only when ≠ 1.
        assert!(
            !setup.contains("fitToWidth") || setup.contains("fitToWidth=\"1\""),
            "{name}: {setup}"
        );
        assert!(xml.contains("第 &amp;P 页 共 &amp;N 页"), "{name}: footer");
        assert!(xml.contains("<pane ySplit="), "{name}: frozen header");
        let titles = format!(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"{i}\">'{name}'!$1:${}</definedName>",
            header_end[i]
        );
        assert!(workbook.contains(&titles), "{name}: {titles}\n{workbook}");
        let area =
            format!("<definedName name=\"_xlnm.Print_Area\" localSheetId=\"{i}\">'{name}'!$A$1:$");
        assert!(workbook.contains(&area), "{name}: print area");
    }
    // The 300-row 表3's print area runs to its 合计 row: 5 + 312 + 1 = 318.
    assert!(workbook.contains("'3 支出总表'!$A$1:$G$318<"), "{workbook}");
}

#[test]
fn header_merges_are_written_for_each_table() {
    let book = Book::open(write(&seed_budget(), &[], &WriteOptions::default()));
    let expected: [&[&str]; 9] = [
        &["A1:D1", "A2:C2", "A3:B3", "C3:D3"],
        &[
            "A1:I1", "A2:H2", "A3:D3", "E3:I3", "A4:C4", "D4:D5", "E4:E5", "I4:I5", "A27:D27",
        ],
        &["A3:D3", "E3:G3", "A4:C4", "D4:D5", "G4:G5", "A27:D27"],
        &["A3:B3", "C3:G3"],
        &["A3:D3", "E3:G3", "A4:C4", "A27:D27"],
        &["A3:D3", "E3:G3", "A4:C4", "A6:D6", "A7:G7"],
        &["A3:D3", "E3:G3", "A4:C4", "A6:D6", "A7:G7"],
        &[
            "A3:C3", "D3:F3", "A4:B4", "C4:C5", "D4:D5", "F4:F5", "A45:C45",
        ],
        &["A3:F3", "G3:G5", "A4:A5", "B4:B5", "C4:C5", "D4:F4"],
    ];
    for (i, merges) in expected.iter().enumerate() {
        let xml = sheet_xml(&book, i);
        for m in *merges {
            assert!(
                xml.contains(&format!("<mergeCell ref=\"{m}\"/>")),
                "{}: no merge {m}",
                SHEETS[i]
            );
        }
    }
}

#[test]
fn amounts_use_whole_or_cent_formats_and_the_body_font_is_songti() {
    let book = Book::open(write(&small_unit_budget(), &[], &WriteOptions::default()));
    let styles = book.part("xl/styles.xml");
    assert!(styles.contains("formatCode=\"#,##0.00\""));
    assert!(
        styles.contains("<name val=\"宋体\"/><family val=\"2\"/><charset val=\"134\"/>")
            || styles.contains("<charset val=\"134\"/>")
    );
    assert!(styles.contains("<name val=\"宋体\"/>"));
    // Document properties name the entity as company and carry the title.
    let app = book.part("docProps/app.xml");
    assert!(app.contains("<Company>上海市某某幼儿园</Company>"), "{app}");
    let core = book.part("docProps/core.xml");
    assert!(
        core.contains("上海市某某幼儿园2024年单位预算公开表"),
        "{core}"
    );
}

/// Not a test: writes sample workbooks into YUSUAN_RENDER_DIR for `scripts/render.sh
/// --samples` (ignored, so it never passes for free in the suite).
#[test]
#[ignore = "sample generator for scripts/render.sh --samples"]
fn write_render_samples() {
    let dir = std::env::var_os("YUSUAN_RENDER_DIR").expect("YUSUAN_RENDER_DIR names the folder");
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let findings = vec![
        Finding::new(
            Severity::Error,
            "row-sum",
            "合计不等于基本支出与项目支出之和，请核对本行各列金额是否录入完整",
        )
        .in_table(yusuan::model::TableId::T3)
        .at("2010301", "合计")
        .located(Some(Location {
            file: "submissions/某某单位/2024年部门预算.xlsx".into(),
            sheet: "表3".into(),
            cell: CellRef::new(7, 4),
        }))
        .values("48,215,638", "48,215,639"),
    ];
    let cover = WriteOptions {
        cover: true,
        ..Default::default()
    };
    for (name, budget, findings, options) in [
        ("seed", seed_budget(), findings.clone(), cover),
        ("big", big_budget(12), vec![], WriteOptions::default()),
        (
            "unit",
            small_unit_budget(),
            vec![],
            WriteOptions {
                unit: MoneyUnit::WanYuan,
                ..Default::default()
            },
        ),
    ] {
        let bytes = write(&budget, &findings, &options);
        yusuan::write::save_atomically(&dir.join(format!("{name}.xlsx")), &bytes).unwrap();
    }
}

/// What the writer prints, the reader reads back: cover, 目录 and 校验结果 sheets do not
/// disturb recognition, and a 300-row budget survives whole.
#[test]
fn written_workbooks_read_back_to_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let findings = vec![Finding::new(
        Severity::Warning,
        "unknown-code",
        "科目编码不在参考目录中",
    )];
    let cover = WriteOptions {
        cover: true,
        ..Default::default()
    };
    for (name, budget, findings, options) in [
        ("seed", seed_budget(), findings, cover),
        ("big", big_budget(12), vec![], WriteOptions::default()),
    ] {
        let path = dir.path().join(format!("{name}.xlsx"));
        yusuan::write::save_atomically(&path, &write(&budget, &findings, &options)).unwrap();
        let back = yusuan::load(&path)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .budget;
        assert_eq!(back.meta.entity, budget.meta.entity, "{name}");
        assert_eq!(back.meta.year, budget.meta.year, "{name}");
        assert_eq!(back.income.lines, budget.income.lines, "{name} 表2");
        assert_eq!(
            back.expenditure.lines, budget.expenditure.lines,
            "{name} 表3"
        );
        assert_eq!(back.general.lines, budget.general.lines, "{name} 表5");
        assert_eq!(back.economic.lines, budget.economic.lines, "{name} 表8");
        assert_eq!(
            back.expenditure.total_or_sum(),
            budget.expenditure.total_or_sum(),
            "{name} 表3 合计"
        );
        assert_eq!(
            back.table9.three_public, budget.table9.three_public,
            "{name} 表9"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// Any amounts (negative, with 分, up to 10^12 元) are written as the numbers they are,
        /// in 元 exactly and in 万元 rounded half-up to 2 decimals.
        #[test]
        fn amounts_round_trip_as_numbers(
            fen in proptest::collection::vec(-100_000_000_000_000i64..100_000_000_000_000, 1..20),
            wan in any::<bool>(),
        ) {
            let mut budget = small_unit_budget();
            budget.expenditure.lines = fen
                .iter()
                .enumerate()
                .map(|(i, f)| Line {
                    code: code(&format!("{}", 201 + i)),
                    name: format!("类{i}"),
                    amounts: SplitAmounts {
                        total: Decimal::new(*f, 2),
                        basic: Decimal::new(*f, 2),
                        project: Decimal::ZERO,
                    },
                })
                .collect();
            let unit = if wan { MoneyUnit::WanYuan } else { MoneyUnit::Yuan };
            let options = WriteOptions { unit, ..Default::default() };
            let mut book = Book::open(write(&budget, &[], &options));
            let t3 = book.sheet("3 支出总表");
            for (i, line) in budget.expenditure.lines.iter().enumerate() {
                let cell = format!("E{}", 6 + i);
                let expected = yusuan::write::printed(line.amounts.total, unit);
                if expected.is_zero() {
                    prop_assert!(t3.is_empty(&cell));
                } else {
                    let expected: f64 = expected.to_string().parse().unwrap();
                    prop_assert_eq!(t3.number(&cell), expected);
                }
            }
        }
    }
}
