//! Story: the synthetic submissions are the seed's budget in every messy shape a unit really
//! sends — each rendered file opens with calamine/csv and shows the same figures, spelled the
//! shape's way — and a department splits into units that add back up to it exactly.

use crate::common::seed_budget;
use calamine::{Data, Reader, SheetVisible, Xlsx, open_workbook_from_rs};
use std::io::Cursor;
use yusuan::model::{Amounts, Budget, Classified};
use yusuan::synth::{Shape, as_rendered, example_budget, generate_units_in, render, split_units};

/// One sheet (or CSV/TSV file) as text cells.
struct Sheet {
    name: String,
    hidden: bool,
    rows: Vec<Vec<String>>,
}

fn data_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        other => other.to_string(),
    }
}

/// Reads every rendered file back as text sheets (xlsx via calamine, CSV via csv after decoding
/// with `decode`, TSV by lines).
fn read_back(files: &[(String, Vec<u8>)], decode: impl Fn(&[u8]) -> String) -> Vec<Sheet> {
    let mut sheets = Vec::new();
    for (name, bytes) in files {
        if name.ends_with(".xlsx") {
            let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
            let meta = wb.sheets_metadata().to_vec();
            for m in meta {
                let range = wb.worksheet_range(&m.name).unwrap();
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut rows = vec![Vec::new(); r0 as usize];
                for row in range.rows() {
                    let mut cells = vec![String::new(); c0 as usize];
                    cells.extend(row.iter().map(data_text));
                    rows.push(cells);
                }
                sheets.push(Sheet {
                    name: m.name.clone(),
                    hidden: m.visible != SheetVisible::Visible,
                    rows,
                });
            }
        } else if name.ends_with(".csv") {
            let text = decode(bytes);
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            let rows = rdr
                .records()
                .map(|r| r.unwrap().iter().map(str::to_string).collect())
                .collect();
            sheets.push(Sheet {
                name: name.clone(),
                hidden: false,
                rows,
            });
        } else {
            let text = String::from_utf8(bytes.clone()).unwrap();
            let rows = text
                .lines()
                .map(|l| l.split('\t').map(str::to_string).collect())
                .collect();
            sheets.push(Sheet {
                name: name.clone(),
                hidden: false,
                rows,
            });
        }
    }
    sheets
}

fn utf8(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The rows of all visible sheets whose text contains `needle`.
fn rows_with<'a>(sheets: &'a [Sheet], needle: &str) -> Vec<&'a Vec<String>> {
    sheets
        .iter()
        .filter(|s| !s.hidden)
        .flat_map(|s| s.rows.iter())
        .filter(|r| r.iter().any(|c| c.contains(needle)))
        .collect()
}

fn all_text(sheets: &[Sheet]) -> String {
    sheets
        .iter()
        .flat_map(|s| s.rows.iter().flatten())
        .cloned()
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn the_example_budget_is_the_committed_seed_model() {
    let mut seed = seed_budget();
    // The prose figures are the one thing a table-only fixture does not carry.
    seed.narrative = None;
    assert_eq!(example_budget(), seed);
}

#[test]
fn every_shape_shows_the_seed_figures_spelled_its_own_way() {
    let seed = seed_budget();
    assert!(Shape::ALL.len() >= 15);
    // 表2/表3 行政运行 合计 = 48,215,638; 表5 = 48,015,638.
    let expected: &[(Shape, &str)] = &[
        (Shape::Official, "48215638"),
        (Shape::NumberedSheetNames, "48215638"),
        (Shape::NoTitles, "48215638"),
        (Shape::Stacked, "48215638"),
        (Shape::JoinedCodes, "48215638"),
        (Shape::SpacedCodes, "48215638"),
        (Shape::BracketedCodes, "48215638"),
        (Shape::CodeInName, "48215638"),
        (Shape::KuanWithoutLeadingZero, "48215638"),
        (Shape::IndentedNames, "48215638"),
        (Shape::TextAmounts, "48,215,638"),
        (Shape::FullWidthDigits, "４８，２１５，６３８"),
        (Shape::WanYuan, "4821.56"),
        (Shape::ExtraSheets, "48215638"),
        (Shape::PageBreaks, "48215638"),
        (Shape::Formulas, "48215638"),
        (Shape::Labels2026, "48215638"),
        (Shape::ObsoleteNames, "48215638"),
        (Shape::EmptyLeiRow, "48215638"),
        (Shape::CsvGbk, "48215638"),
        (Shape::CsvGb18030, "48,215,638"),
        (Shape::CsvUtf8Bom, "48215638"),
        (Shape::Tsv, "48,215,638"),
    ];
    assert_eq!(
        expected.len(),
        Shape::ALL.len(),
        "every shape is spot-checked"
    );
    for (shape, amount) in expected {
        let files = render(&seed, *shape).unwrap();
        let sheets = read_back(&files, |b| match shape {
            Shape::CsvGbk => encoding_rs::GBK.decode(b).0.into_owned(),
            Shape::CsvGb18030 => encoding_rs::GB18030.decode(b).0.into_owned(),
            _ => utf8(b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)),
        });
        let rows = rows_with(&sheets, "行政运行");
        assert!(
            rows.iter().any(|r| r.iter().any(|c| c == amount)),
            "{shape}: no 行政运行 row shows {amount}: {rows:?}"
        );
        // 表9 in 万元 in every shape: 三公 577.60, 机关运行经费 1,879.28.
        let text = all_text(&sheets);
        let t9 = match shape {
            Shape::TextAmounts | Shape::CsvGb18030 | Shape::Tsv => "1,879.28",
            Shape::FullWidthDigits => "１，８７９．２８",
            _ => "1879.28",
        };
        assert!(text.contains(t9), "{shape}: 表9 机关运行经费 {t9} missing");
        // Every shape carries the 表8 公用经费 total.
        let public = match shape {
            Shape::TextAmounts | Shape::CsvGb18030 | Shape::Tsv => "18,792,776",
            Shape::FullWidthDigits => "１８，７９２，７７６",
            Shape::WanYuan => "1879.28",
            _ => "18792776",
        };
        assert!(
            text.contains(public),
            "{shape}: 表8 公用经费 {public} missing"
        );
    }
}

#[test]
fn shape_specific_features_are_really_there() {
    let seed = seed_budget();
    let sheets_of = |shape: Shape| read_back(&render(&seed, shape).unwrap(), utf8);
    let names = |shape: Shape| {
        sheets_of(shape)
            .into_iter()
            .map(|s| s.name)
            .collect::<Vec<_>>()
    };

    assert_eq!(
        names(Shape::Official),
        ["表1", "表2", "表3", "表5", "表6", "表7", "表8", "表9"]
    );
    assert!(names(Shape::NumberedSheetNames).contains(&"5.2部门收入预算总表".to_string()));
    assert_eq!(names(Shape::Stacked), ["Sheet1"]);
    assert_eq!(names(Shape::NoTitles)[0], "Sheet1");
    let no_titles = all_text(&sheets_of(Shape::NoTitles));
    assert!(!no_titles.contains("2024年部门") && !no_titles.contains("编制部门"));
    let official = all_text(&sheets_of(Shape::Official));
    assert!(
        official.contains("2024年部门收入预算总表")
            && official.contains("编制部门：上海市人民政府合作交流办公室")
    );
    assert!(
        official.contains("注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。")
    );

    let extra = sheets_of(Shape::ExtraSheets);
    assert_eq!(extra[0].name, "封面");
    assert_eq!(extra[1].name, "说明");
    let hidden: Vec<&str> = extra
        .iter()
        .filter(|s| s.hidden)
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(hidden, ["代码表"]);

    let codes = |shape: Shape| {
        rows_with(&sheets_of(shape), "行政运行")
            .first()
            .map(|r| {
                r.iter()
                    .filter(|c| !c.is_empty())
                    .take(4)
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .unwrap()
    };
    assert_eq!(codes(Shape::Official)[..4], ["201", "03", "01", "行政运行"]);
    assert_eq!(codes(Shape::JoinedCodes)[..2], ["2010301", "行政运行"]);
    assert_eq!(codes(Shape::SpacedCodes)[..2], ["201 03 01", "行政运行"]);
    assert_eq!(codes(Shape::BracketedCodes)[0], "[2010301]行政运行");
    assert_eq!(codes(Shape::CodeInName)[0], "2010301 行政运行");
    assert_eq!(codes(Shape::KuanWithoutLeadingZero)[..3], ["201", "3", "1"]);
    assert_eq!(
        codes(Shape::IndentedNames)[1],
        "\u{3000}\u{3000}\u{3000}\u{3000}行政运行"
    );

    let wan = all_text(&sheets_of(Shape::WanYuan));
    assert!(wan.contains("单位：万元") && !wan.contains("单位：元"));

    let paged = sheets_of(Shape::PageBreaks);
    let t3 = paged.iter().find(|s| s.name == "表3").unwrap();
    let headers = t3
        .rows
        .iter()
        .filter(|r| r.iter().any(|c| c == "功能分类科目编码"))
        .count();
    assert!(
        headers >= 3,
        "表3 repeats its header after page breaks ({headers})"
    );
    assert!(
        t3.rows.iter().any(|r| r.iter().all(String::is_empty)),
        "blank padding row"
    );
    assert!(t3.rows.last().unwrap()[0].starts_with("注："));

    let obsolete = all_text(&sheets_of(Shape::ObsoleteNames));
    assert!(obsolete.contains("医疗卫生与计划生育支出") && !obsolete.contains("|卫生健康支出|"));
    assert!(
        obsolete.contains("三、医疗卫生与计划生育支出"),
        "表1 uses the printed name too"
    );
    let empty = sheets_of(Shape::EmptyLeiRow);
    let t3 = empty.iter().find(|s| s.name == "表3").unwrap();
    let row = t3
        .rows
        .iter()
        .find(|r| r.contains(&"城乡社区支出".to_string()))
        .unwrap();
    assert_eq!(row[..4], ["212", "", "", "城乡社区支出"]);
    assert!(
        row[4..].iter().all(String::is_empty),
        "no money in the empty 类 row: {row:?}"
    );
    let labels = all_text(&sheets_of(Shape::Labels2026));
    assert!(labels.contains("1、一般公共预算|") && !labels.contains("一般公共预算资金"));
}

#[test]
fn formulas_carry_cached_values() {
    let files = render(&seed_budget(), Shape::Formulas).unwrap();
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(files[0].1.clone())).unwrap();
    let formulas = wb.worksheet_formula("表2").unwrap();
    let values = wb.worksheet_range("表2").unwrap();
    // The 合计 row: 合计 column = Σ 类 rows, cached 84,281,400.
    let (row, _) = values
        .cells()
        .rfind(|(_, _, v)| data_text(v) == "合计")
        .map(|(r, c, _)| (r, c))
        .map(|(r, c)| {
            let (r0, c0) = values.start().unwrap();
            (r as u32 + r0, c as u32 + c0)
        })
        .unwrap();
    let total = values.get_value((row, 4)).map(data_text);
    assert_eq!(total.as_deref(), Some("84281400"));
    let formula = formulas.get_value((row, 4)).cloned().unwrap_or_default();
    assert!(
        formula.contains('+') && formula.contains('E'),
        "合计 is a formula: {formula:?}"
    );
    let merges = {
        let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(
            render(&seed_budget(), Shape::Official).unwrap()[0]
                .1
                .clone(),
        ))
        .unwrap();
        wb.merge_cells_by_sheet_name("表2").unwrap()
    };
    assert!(
        merges.len() >= 8,
        "the official header is merged: {}",
        merges.len()
    );
}

#[test]
fn csv_folders_are_in_their_encodings() {
    let seed = seed_budget();
    let gbk = render(&seed, Shape::CsvGbk).unwrap();
    assert!(
        gbk.iter().any(|(n, _)| n == "表2_收入预算总表.csv"),
        "{:?}",
        gbk.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    for (name, bytes) in &gbk {
        assert!(std::str::from_utf8(bytes).is_err(), "{name} is not UTF-8");
        let (text, _, errors) = encoding_rs::GBK.decode(bytes);
        assert!(!errors, "{name} decodes as GBK");
        assert!(
            text.contains("单位：元") || text.contains("单位：万元"),
            "{name}"
        );
    }
    let t2 = &gbk.iter().find(|(n, _)| n.starts_with("表2")).unwrap().1;
    assert!(encoding_rs::GBK.decode(t2).0.contains("行政运行"));
    for (_, bytes) in render(&seed, Shape::CsvGb18030).unwrap() {
        assert!(std::str::from_utf8(&bytes).is_err());
        assert!(!encoding_rs::GB18030.decode(&bytes).2);
    }
    for (_, bytes) in render(&seed, Shape::CsvUtf8Bom).unwrap() {
        assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
        assert!(std::str::from_utf8(&bytes).is_ok());
    }
    let tsv = render(&seed, Shape::Tsv).unwrap();
    assert_eq!(tsv.len(), 1);
    assert!(utf8(&tsv[0].1).contains("201\t03\t01\t行政运行\t48,215,638\t48,015,638\t\t\t200,000"));
}

#[test]
fn as_rendered_rounds_only_the_wan_yuan_shape() {
    let seed = seed_budget();
    let exact = as_rendered(&seed, Shape::Official);
    assert_eq!(exact.income, seed.income);
    assert_eq!(exact.narrative, None);
    let wan = as_rendered(&seed, Shape::WanYuan);
    let line = wan
        .income
        .lines
        .iter()
        .find(|l| l.code.as_str() == "2010301")
        .unwrap();
    assert_eq!(line.amounts.total.to_string(), "48215600");
    assert_eq!(wan.income.unit, yusuan::model::MoneyUnit::WanYuan);
    assert_eq!(as_rendered(&seed, Shape::NoTitles).meta.year, None);
}

fn sum_units<A: Amounts>(units: &[Budget], f: fn(&Budget) -> &Classified<A>) -> A {
    units
        .iter()
        .fold(A::default(), |acc, u| acc.add(&f(u).total_or_sum()))
}

#[test]
fn the_seed_splits_into_units_that_add_back_up_and_render() {
    let seed = seed_budget();
    let units = split_units(&seed, 6, 2024);
    assert_eq!(
        sum_units(&units, |b| &b.income),
        seed.income.total.clone().unwrap()
    );
    assert_eq!(
        sum_units(&units, |b| &b.expenditure),
        seed.expenditure.total.clone().unwrap()
    );
    assert_eq!(
        sum_units(&units, |b| &b.economic),
        seed.economic.total.clone().unwrap()
    );
    assert_eq!(units[1].meta.level, yusuan::model::Level::Unit);
    let files = render(&units[1], Shape::Official).unwrap();
    let text = all_text(&read_back(&files, utf8));
    assert!(text.contains(&format!("编制单位：{}", units[1].meta.entity)));
    assert!(text.contains("2024年预算单位收入预算总表"));
}

#[test]
fn generated_units_rotate_shapes_and_list_themselves_in_units_csv() {
    let dir = tempfile::tempdir().unwrap();
    let shapes = [Shape::Official, Shape::CsvGbk, Shape::Tsv];
    let paths = generate_units_in(&seed_budget(), 4, 5, dir.path(), &shapes).unwrap();
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            "0001_official.xlsx",
            "0002_csv-gbk",
            "0003_tsv.tsv",
            "0004_official.xlsx"
        ]
    );
    assert!(paths[1].is_dir() && paths[1].join("表3_支出预算总表.csv").is_file());
    let listing = std::fs::read(dir.path().join("units.csv")).unwrap();
    let listing = utf8(listing.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap());
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines[0], "部门名称,上海市人民政府合作交流办公室");
    assert_eq!(lines[1], "单位名称,单位类型,文件");
    assert_eq!(
        lines[2],
        "上海市人民政府合作交流办公室本部,行政,0001_official.xlsx"
    );
    assert_eq!(lines.len(), 6);
}
