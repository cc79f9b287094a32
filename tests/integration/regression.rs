//! Regressions found by QA acting as a budget officer: one test per bug, named after what the
//! officer did. Inputs are small hand-made submissions under tests/fixtures/qa/ (the unit
//! 上海市人民政府驻沈阳办事处 as UTF-8 CSV files), changed in a temp folder the way a unit would.

use crate::common::repo_path;
use std::path::{Path, PathBuf};
use std::process::Command;
use yusuan::finding::Finding;

/// Runs the binary; returns exit code, stdout and stderr.
fn yusuan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

/// A copy of the unit's CSV folder in `dir`, to be changed by the test.
fn unit_copy(dir: &Path) -> PathBuf {
    let unit = dir.join("驻沈阳办事处");
    std::fs::create_dir_all(&unit).unwrap();
    for entry in std::fs::read_dir(repo_path("tests/fixtures/qa/unit-utf8")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), unit.join(entry.file_name())).unwrap();
    }
    unit
}

/// The path of the unit's CSV for table `n` (表8_… for 8).
fn table_csv(unit: &Path, n: u8) -> PathBuf {
    std::fs::read_dir(unit)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(&format!("表{n}_")))
        })
        .unwrap()
}

/// The findings of checking `path` with the library.
fn findings(path: &Path) -> Vec<Finding> {
    let submission = yusuan::load(path).unwrap();
    yusuan::check::check(&submission)
}

fn messages(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| f.message.clone()).collect()
}

#[test]
fn officer_converts_into_a_folder_that_does_not_exist_yet() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let out = dir.path().join("2024 公开表/单位/结果.xlsx");
    let (code, _, stderr) = yusuan(&[
        "convert",
        unit.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
}

#[test]
fn officer_gives_a_folder_or_a_csv_name_as_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let folder = dir.path().join("输出");
    std::fs::create_dir(&folder).unwrap();
    let (code, stdout, stderr) = yusuan(&[
        "convert",
        unit.to_str().unwrap(),
        "-o",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "yusuan：输出路径 {} 是一个文件夹，请给出工作簿的文件名，例如 {}\n",
            folder.display(),
            folder.join("公开表.xlsx").display()
        )
    );
    let csv = dir.path().join("结果.csv");
    let (code, _, stderr) = yusuan(&[
        "convert",
        unit.to_str().unwrap(),
        "-o",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：输出文件 {} 的扩展名应为 .xlsx（生成的是 Excel 工作簿），例如 {}\n",
            csv.display(),
            dir.path().join("结果.xlsx").display()
        )
    );
    assert!(!csv.exists());
}

#[test]
fn unit_folder_with_an_empty_text_file_beside_the_csvs() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    std::fs::write(unit.join("新建文本文档.txt"), "").unwrap();
    std::fs::write(unit.join("报送说明.txt"), "请审核。\n联系人：张三\n").unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}

#[test]
fn long_table_whose_title_and_header_repeat_after_a_page_break() {
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let t8 = table_csv(&unit, 8);
    let text = std::fs::read_to_string(&t8).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // Page 2 starts after 20 data rows with the title, the 编制单位 line and the header again.
    let mut paged: Vec<&str> = lines[..23].to_vec();
    paged.extend(["", lines[0], lines[1], lines[2]]);
    paged.extend(&lines[23..]);
    std::fs::write(&t8, paged.join("\r\n")).unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
    let budget = yusuan::load(&unit).unwrap().budget;
    let json = serde_json::to_value(&budget).unwrap();
    assert!(
        json.to_string().contains("30231"),
        "a row from page 2 is read"
    );
}

#[test]
fn workbook_whose_total_row_formulas_were_never_calculated() {
    // 表3's 合计 row is `=E4+E7+E13` etc. with no cached value: one finding per such cell,
    // not a second "合计 ≠ Σ 类" error (and 表1/表9 errors) for the 0 it was read as.
    let path = repo_path("tests/fixtures/qa/表3合计公式未计算.xlsx");
    let found = findings(&path);
    let file = path.display();
    assert_eq!(
        messages(&found),
        ["E", "F", "G"].map(|c| {
            let column = match c {
                "E" => "合计",
                "F" => "基本支出",
                _ => "项目支出",
            };
            format!(
                "{file} 工作表“表3”单元格 {c}16：表3“合计”行“{column}”列的金额是没有计算结果的公式 \
                 ={c}4+{c}7+{c}13（请在 Excel 中重新计算并保存），已按 0 处理"
            )
        })
    );
    assert!(
        found
            .iter()
            .all(|f| f.rule == yusuan::recognize::UNREADABLE)
    );
}

#[test]
fn batch_folder_holding_a_resubmission_beside_the_first_one_and_an_empty_note() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("报送");
    std::fs::create_dir(&input).unwrap();
    let first = unit_copy(&input);
    let again = input.join("驻沈阳办事处（修改稿）");
    std::fs::rename(unit_copy(dir.path()), &again).unwrap();
    std::fs::write(input.join("新建文本文档.txt"), "").unwrap();
    let out = dir.path().join("结果");
    let (code, _, stderr) = yusuan(&[
        "batch",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let expected = format!(
        "驻沈阳办事处（修改稿） 与 {} 是同一单位“上海市人民政府驻沈阳办事处”的报送材料，\
         部门汇总中被重复计入；请只保留一份后重新运行",
        first.file_name().unwrap().to_string_lossy()
    );
    let units = summary["units"].as_array().unwrap();
    assert_eq!(units.len(), 2, "the empty note is not a unit: {summary}");
    assert_eq!(units[0]["status"], "ok");
    assert_eq!(units[1]["status"], "findings");
    assert_eq!(units[1]["first_error"], expected.as_str());
    assert_eq!(summary["department"]["status"], "findings");
    assert_eq!(summary["department"]["first_error"], expected.as_str());
    assert_eq!(summary["ignored"], serde_json::json!(["新建文本文档.txt"]));
}

#[test]
fn batch_run_on_one_units_folder_of_table_csvs() {
    // `yusuan batch 驻沈阳办事处 -o 结果`: the folder holds 表1_….csv … 表9_….csv of one unit;
    // it is one unit (not eight one-table "units" that each pass), also on a second run with
    // the output folder inside it.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let out = unit.join("结果");
    for _ in 0..2 {
        let (code, _, stderr) = yusuan(&[
            "batch",
            unit.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap())
                .unwrap();
        let units = summary["units"].as_array().unwrap();
        assert_eq!(units.len(), 1, "{summary}");
        assert_eq!(units[0]["file"], "驻沈阳办事处");
        assert_eq!(units[0]["unit"], "上海市人民政府驻沈阳办事处");
        assert_eq!(units[0]["income_total"], "9146500");
        assert_eq!(summary["department"]["income_total"], "9146500");
    }
}

#[test]
fn officer_mistypes_an_option_and_reads_the_error_in_chinese() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["check", "x", "--format", "xml"],
            "yusuan：参数 --format <FORMAT> 的值“xml”无效，可选值：text、json。用 yusuan --help 查看用法\n",
        ),
        (
            &["convert", "x", "-o", "a.xlsx", "--unit", "千元"],
            "yusuan：参数 --unit <UNIT> 的值无效：金额单位只能是“元”或“万元”，而不是“千元”。用 yusuan --help 查看用法\n",
        ),
        (
            &["check", "x", "--formt", "json"],
            "yusuan：不认识的参数 --formt（是不是想用 --format？）。用 yusuan --help 查看用法\n",
        ),
        (
            &["convert", "x"],
            "yusuan：缺少必需的参数：--output <OUTPUT>。用 yusuan --help 查看用法\n",
        ),
        (
            &["generate", "-n", "abc", "-o", "x"],
            "yusuan：参数 --units <UNITS> 的值无效：“abc”不是有效的数字。用 yusuan --help 查看用法\n",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = yusuan(args);
        assert_eq!((code, stdout.as_str(), stderr.as_str()), (2, "", expected));
    }
    let (code, stdout, _) = yusuan(&["--help"]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("Options"), "{stdout}");
}

#[test]
fn officer_checks_a_folder_holding_two_units_files_as_one_submission() {
    // The CSVs of 驻沈阳办事处 and the workbook of 本部 in one folder: the tables would be a
    // mix of both units, so this is an error, not 46 warnings and "0 个错误".
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    std::fs::copy(
        repo_path("samples/units/0001_official.xlsx"),
        unit.join("0001_official.xlsx"),
    )
    .unwrap();
    let found = findings(&unit);
    let errors: Vec<&Finding> = found.iter().filter(|f| f.is_error()).collect();
    assert_eq!(errors.len(), 1, "{:?}", messages(&found));
    assert_eq!(errors[0].rule, "mixed-entities");
    assert_eq!(
        errors[0].message,
        "报送材料中出现了多个编制单位（上海市人民政府合作交流办公室本部、上海市人民政府驻沈阳办事处），\
         各表来自不同单位，不能作为一份报送材料核对；请每个单位分别检查，或用 yusuan batch 处理整个文件夹"
    );
}

#[test]
fn damaged_xls_that_makes_the_parser_panic_gets_only_the_chinese_message() {
    // Three bytes of a LibreOffice .xls changed: calamine panics inside a formula record.
    // read reports the file as damaged; no English panic text or backtrace reaches the user.
    let path = repo_path("tests/fixtures/qa/损坏的工作簿.xls");
    let (code, stdout, stderr) = yusuan(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        format!(
            "yusuan：{}：文件已损坏或不完整（内部结构异常，解析器无法处理）。请重新导出，或用 Excel/WPS 打开后另存为 .xlsx\n",
            path.display()
        )
    );
}

#[test]
fn officer_picks_the_excel_lock_file_beside_the_open_workbook() {
    // Excel keeps `~$单位预算.xlsx` (165 bytes: the user's name) while 单位预算.xlsx is open.
    let dir = tempfile::tempdir().unwrap();
    let mut lock = vec![8u8];
    lock.extend(b"zhangsan");
    lock.resize(165, b' ');
    let path = dir.path().join("~$单位预算.xlsx");
    std::fs::write(&path, &lock).unwrap();
    let (code, _, stderr) = yusuan(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：{}：这是 Excel/WPS 打开工作簿时生成的临时锁定文件（以 ~$ 开头），不是报送材料。请选择原文件 {}\n",
            path.display(),
            dir.path().join("单位预算.xlsx").display()
        )
    );
}

#[test]
fn generate_into_the_folder_that_holds_the_real_submissions() {
    // `yusuan generate -n 2 -o 报送 --from 报送/0001_official.xlsx` used to replace the real
    // 0001_official.xlsx (the --from input itself) and units.csv with synthetic ones.
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("0001_official.xlsx");
    std::fs::copy(repo_path("samples/units/0001_official.xlsx"), &input).unwrap();
    std::fs::write(dir.path().join("units.csv"), "单位名称,单位类型,文件\r\n").unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, _, stderr) = yusuan(&[
        "generate",
        "-n",
        "2",
        "-o",
        dir.path().to_str().unwrap(),
        "--from",
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：输出文件夹 {} 不是空的（已有 2 项），模拟单位会覆盖其中的同名文件和 units.csv；请换一个空文件夹或新文件夹\n",
            dir.path().display()
        )
    );
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn officer_names_an_existing_file_as_the_output_folder() {
    // OS errors used to reach the officer in English ("Not a directory (os error 20)").
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let file = dir.path().join("汇总");
    std::fs::write(&file, "x").unwrap();
    let (code, _, stderr) = yusuan(&[
        "batch",
        unit.to_str().unwrap(),
        "-o",
        file.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：无法访问 {}：路径中有一级是文件而不是文件夹\n",
            file.join("units").display()
        )
    );
    let (code, _, stderr) = yusuan(&[
        "convert",
        unit.to_str().unwrap(),
        "-o",
        file.join("公开表.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：无法创建输出文件夹 {}：已存在同名文件\n",
            file.display()
        )
    );
}

#[test]
fn workbook_with_one_damaged_sheet_says_so_in_chinese() {
    // A byte of 表8's sheet XML damaged: the message says the sheet is damaged (the parser's
    // English detail only in brackets).
    let path = repo_path("tests/fixtures/qa/表8工作表损坏.xlsx");
    let (code, _, stderr) = yusuan(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!(
            "yusuan：{} 的工作表「表8」内容已损坏，无法读取（解析器信息：",
            path.display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("）。请用 Excel/WPS 打开后另存为 .xlsx\n"),
        "{stderr}"
    );
}

#[test]
fn csv_from_a_finance_system_with_codes_as_excel_text_formulas() {
    // 表3's codes written `="201",="03",="01"` to keep the leading zeros: Excel shows 201 03 01.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let t3 = table_csv(&unit, 3);
    let text = std::fs::read_to_string(&t3).unwrap();
    let coded: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
            if fields[0].bytes().all(|b| b.is_ascii_digit()) && !fields[0].is_empty() {
                for f in fields.iter_mut().take(3).filter(|f| !f.is_empty()) {
                    *f = format!("=\"{f}\"");
                }
            }
            fields.join(",")
        })
        .collect();
    assert!(
        coded[5].starts_with("=\"201\",=\"03\",=\"01\",行政运行"),
        "{}",
        coded[5]
    );
    std::fs::write(&t3, coded.join("\n")).unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}

#[test]
fn table9_typed_with_decimal_commas() {
    // 表9 in 万元 typed "85,70" for 85.70: read as 8,570 万元 the 三公 row still added up and
    // passed; only 机关运行经费 was caught. A comma that cannot be a thousands separator is
    // now "not a number" in every cell.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let t9 = table_csv(&unit, 9);
    let text = std::fs::read_to_string(&t9).unwrap().replace(
        "85.70,12.42,41.69,31.59,,31.59,249.31",
        "\"85,70\",\"12,42\",\"41,69\",\"31,59\",,\"31,59\",\"249,31\"",
    );
    std::fs::write(&t9, text).unwrap();
    let found = findings(&unit);
    let unreadable: Vec<String> = found
        .iter()
        .filter(|f| f.rule == yusuan::recognize::UNREADABLE)
        .filter_map(|f| f.location.as_ref().map(|l| l.cell.to_string()))
        .collect();
    assert_eq!(unreadable, ["A4", "B4", "C4", "D4", "F4", "G4"]);
    assert!(
        found.iter().any(|f| f
            .message
            .ends_with("单元格 A4：表9“合计”行“合计”列的金额“85,70”不是数字，已按 0 处理")),
        "{:?}",
        messages(&found)
    );
}

#[test]
fn finance_system_export_that_is_html_named_xls() {
    // "导出 Excel" in many systems writes an HTML table named .xls; telling the officer to
    // "provide an .xls file" about an .xls file helped nobody.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("部门预算导出.xls");
    std::fs::write(
        &path,
        "<html><body><table><tr><td>2024年预算单位支出预算总表</td></tr></table></body></html>",
    )
    .unwrap();
    let (code, _, stderr) = yusuan(&["check", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!(
            "yusuan：{}：这是网页（HTML）或 XML 格式的表格，只是扩展名为 .xls（许多系统“导出 Excel”生成的就是这种文件），无法直接读取。请用 Excel/WPS 打开后“另存为”Excel 工作簿（.xlsx）\n",
            path.display()
        )
    );
}

#[test]
fn unit_heads_the_total_columns_income_total_and_expenditure_total() {
    // 表2 headed `收入合计`, 表3 `支出合计`: refused as "缺少必需的列“合计”".
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    for (n, from, to) in [
        (
            2,
            "科目名称,合计,财政拨款收入",
            "科目名称,收入合计,财政拨款收入",
        ),
        (3, "科目名称,合计,基本支出", "科目名称,支出合计,基本支出"),
    ] {
        let path = table_csv(&unit, n);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replace(from, to)).unwrap();
    }
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}

#[test]
fn unit_heads_table8_total_as_basic_expenditure_total() {
    // 表8 (basic expenditure only) headed `基本支出合计 | 人员经费 | 公用经费`.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let path = table_csv(&unit, 8);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = "科目名称,合计,人员经费";
    assert!(text.contains(from));
    std::fs::write(&path, text.replace(from, "科目名称,基本支出合计,人员经费")).unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}

#[test]
fn table1_lists_expenditure_classes_without_the_word_expenditure() {
    // 表1 printed `一、一般公共服务 | 二、社会保障和就业`: the same 类 as 表3's 一般公共服务支出…
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let path = table_csv(&unit, 1);
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("一、一般公共服务支出", "一、一般公共服务")
        .replace("二、社会保障和就业支出", "二、社会保障和就业");
    std::fs::write(&path, text).unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}

#[test]
fn finance_system_export_lists_only_the_item_rows() {
    // 表2/3/5 with only the 7-digit 项 rows (no 类/款 rows): 18 errors before (missing parents,
    // and 表1's 类 not found in 表3). The parents are the sums of their rows, so they are
    // rebuilt, with one warning per table, and the workbook is the same as from the full input.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    for n in [2, 3, 5] {
        let path = table_csv(&unit, n);
        let text = std::fs::read_to_string(&path).unwrap();
        let kept: Vec<&str> = text
            .lines()
            .enumerate()
            .filter(|(i, line)| {
                let fields: Vec<&str> = line.split(',').collect();
                *i < 3 || fields[0] == "合计" || fields.get(2).is_some_and(|f| !f.is_empty())
            })
            .map(|(_, line)| line)
            .collect();
        std::fs::write(&path, kept.join("\n")).unwrap();
    }
    let found = findings(&unit);
    assert_eq!(
        messages(&found),
        [2, 3, 5].map(|n| {
            let stem = yusuan::model::TableId::from_number(n).unwrap().title_stem();
            format!(
                "表{n}（{stem}）缺少上级科目 201、20103、208、20805、20808、210、21099 的行，已按其下各科目汇总补齐"
            )
        })
    );
    let budget = yusuan::load(&unit).unwrap().budget;
    let full = yusuan::load(&repo_path("tests/fixtures/qa/unit-utf8"))
        .unwrap()
        .budget;
    assert_eq!(budget.expenditure.lines, full.expenditure.lines);
    assert_eq!(budget.income.lines, full.income.lines);
}

#[test]
fn csv_written_by_a_program_with_codes_as_floats() {
    // pandas writes the code columns as floats: `201.0,3.0,1.0,行政运行,8592800.0,…`.
    let dir = tempfile::tempdir().unwrap();
    let unit = unit_copy(dir.path());
    let t3 = table_csv(&unit, 3);
    let text = std::fs::read_to_string(&t3).unwrap();
    let floats: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            if i < 3 || line.starts_with("合计") {
                return line.to_string();
            }
            line.split(',')
                .enumerate()
                .map(|(j, f)| match (j, f.is_empty()) {
                    (3, _) | (_, true) => f.to_string(),
                    _ => format!("{}.0", f.trim_start_matches('0').max("0")),
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert!(
        floats[5].starts_with("201.0,3.0,1.0,行政运行,8592800.0"),
        "{}",
        floats[5]
    );
    std::fs::write(&t3, floats.join("\n")).unwrap();
    assert_eq!(messages(&findings(&unit)), Vec::<String>::new());
}
