//! Story: a finding about the printed label of a 表1 or 表4 row (an income item that names no
//! known item, an expenditure 类 that 表3 or 表5-7 do not have) sends the budget officer to the
//! label's own cell, and a finding about a 编制说明 figure to the prose cell that states it —
//! in the disclosure text and in a workbook. Like a finding about a coded row's name, a label
//! finding names no amount column. Findings about amounts (and about items left out, which
//! have no cell) are unchanged, and so are all messages.

use crate::common::{
    check_bytes, check_file as check, convert, repo_path, set_cell_texts, sheet_cell,
};
use std::path::Path;
use yusuan::finding::Finding;

/// One finding as the tests compare it: rule, row, column, "sheet!cell", message ("" for an
/// absent column or location).
type Located = (String, String, String, String, String);

/// Every finding, in report order.
fn located(findings: &[Finding]) -> Vec<Located> {
    findings
        .iter()
        .map(|f| {
            let at = sheet_cell(f);
            let row = f.row.clone().unwrap_or_default();
            let column = f.column.clone().unwrap_or_default();
            (f.rule.clone(), row, column, at, f.message.clone())
        })
        .collect()
}

fn want(rows: &[(&str, &str, &str, &str, &str)]) -> Vec<Located> {
    rows.iter()
        .map(|(rule, row, column, at, message)| {
            let s = |t: &str| t.to_string();
            (s(rule), s(row), s(column), s(at), s(message))
        })
        .collect()
}

/// The findings of the 表1 label tests: 一、一般公共服务支出 relabelled 一、一般公共事务支出 (at
/// `expenditure_label`) and 四、其他收入 relabelled 四、其它收入项 (at `income_label`). The label
/// findings name the label cells and no column; the 收入总计 sum finding still names its amount
/// cell (`income_total`); the items now missing have no cell.
fn table1_label_findings(
    expenditure_label: &str,
    income_label: &str,
    income_total: &str,
) -> Vec<Located> {
    want(&[
        (
            "t1-expenditure",
            "一般公共事务支出",
            "",
            expenditure_label,
            "表1 财务收支预算总表 本年支出“一般公共事务支出”在表3 支出预算总表中没有同名的类",
        ),
        (
            "t1-expenditure",
            "一般公共服务支出",
            "预算数",
            "",
            "表1 财务收支预算总表 本年支出缺少“一般公共服务支出”，按表3应为 64,279,020",
        ),
        (
            "t1-income",
            "四、其他收入",
            "预算数",
            "",
            "表1 财务收支预算总表 缺少收入项目“四、其他收入”，按表2、表5至表7应为 200,000",
        ),
        (
            "t1-income",
            "四、其它收入项",
            "",
            income_label,
            "表1 财务收支预算总表 收入项目“四、其它收入项”无法识别，未核对",
        ),
        (
            "t1-sum",
            "收入总计",
            "预算数",
            income_total,
            "表1 财务收支预算总表 收入总计应等于一至四项收入之和（84,081,400），实为 84,281,400，相差 200,000 元",
        ),
    ])
}

/// The seed disclosure text with some (1-based) lines replaced, written to `dir`.
fn edited_disclosure(dir: &Path, edits: &[(usize, &str, &str)]) -> std::path::PathBuf {
    let seed = std::fs::read_to_string(repo_path("samples/seed-disclosure.txt")).unwrap();
    let mut lines: Vec<String> = seed.lines().map(str::to_string).collect();
    for (number, from, to) in edits {
        let line = &mut lines[number - 1];
        assert!(line.contains(from), "line {number}: {line}");
        *line = line.replacen(from, to, 1);
    }
    let path = dir.join("seed-disclosure.txt");
    std::fs::write(&path, lines.join("\n")).unwrap();
    path
}

#[test]
fn disclosure_text_table1_label_findings_name_the_label_cells() {
    // 表1 of the published text: line 93 `一、财政拨款收入→84,081,400→一、一般公共服务支出→…`,
    // line 99 `四、其他收入→200,000`, line 100 `收入总计→84,281,400→支出总计→84,281,400`.
    let dir = tempfile::tempdir().unwrap();
    let path = edited_disclosure(
        dir.path(),
        &[
            (93, "一、一般公共服务支出", "一、一般公共事务支出"),
            (99, "四、其他收入", "四、其它收入项"),
        ],
    );
    assert_eq!(
        located(&check(&path)),
        table1_label_findings("正文!C93", "正文!A99", "正文!B100")
    );
}

#[test]
fn workbook_table1_and_table4_label_findings_name_the_label_cells() {
    // The seed workbook's 表1 (xl/worksheets/sheet3.xml): income labels in A, expenditure
    // labels in C; row 5 is 一、财政拨款收入 | 一、一般公共服务支出, row 11 四、其他收入.
    let seed = std::fs::read(repo_path("samples/seed-submission.xlsx")).unwrap();
    let xlsx = set_cell_texts(
        &seed,
        "xl/worksheets/sheet3.xml",
        &[("A11", "四、其它收入项"), ("C5", "一、一般公共事务支出")],
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed-edited.xlsx");
    std::fs::write(&path, xlsx).unwrap();
    assert_eq!(
        located(&check(&path)),
        table1_label_findings("表1!C5", "表1!A11", "表1!B12")
    );

    // 表4 as `yusuan convert` prints it (sheet 4 of the output): income labels in A (row 7
    // 三、国有资本经营预算), expenditure labels in C (row 7 三、卫生健康支出).
    let converted = dir.path().join("converted.xlsx");
    convert(&repo_path("samples/seed-submission.xlsx"), &converted);
    let written = std::fs::read(&converted).unwrap();
    let xlsx = set_cell_texts(
        &written,
        "xl/worksheets/sheet4.xml",
        &[("A7", "三、其他资金"), ("C7", "三、卫生保健支出")],
    );
    let path = dir.path().join("converted-edited.xlsx");
    std::fs::write(&path, xlsx).unwrap();
    let t4 = "4 财政拨款收支总表";
    assert_eq!(
        located(&check(&path))
            .into_iter()
            .filter(|(rule, ..)| rule.starts_with("t4-"))
            .collect::<Vec<_>>(),
        want(&[
            (
                "t4-income",
                "三、其他资金",
                "",
                &format!("{t4}!A7"),
                "表4 财政拨款收支预算总表 收入项目“三、其他资金”无法识别，未核对"
            ),
            (
                "t4-expenditure",
                "卫生保健支出",
                "",
                &format!("{t4}!C7"),
                "表4 财政拨款收支预算总表 财政拨款支出“卫生保健支出”在表5至表7中没有同名的类"
            ),
            (
                "t4-expenditure",
                "卫生健康支出",
                "合计",
                "",
                "表4 财政拨款收支预算总表 财政拨款支出缺少“卫生健康支出”，按表5至表7应为 2,095,505"
            ),
        ])
    );
}

#[test]
fn disclosure_text_narrative_findings_name_the_prose_cell() {
    // Line 72 of the published text: `2024年，…收入预算8,428万元，其中：财政拨款收入8,408万元…`.
    let dir = tempfile::tempdir().unwrap();
    let path = edited_disclosure(
        dir.path(),
        &[(72, "收入预算8,428万元", "收入预算8,528万元")],
    );
    let findings = check(&path);
    assert_eq!(
        located(&findings),
        want(&[(
            "narrative",
            "收入预算",
            "",
            "正文!A72",
            "编制说明 收入预算应等于表1 收入总计（8,428），实为 8,528（万元），相差 998,600 元，超出允许的舍入误差 5,000 元"
        )])
    );
    let text = yusuan::report::text("seed-disclosure.txt", &findings);
    assert!(
        text.contains(
            "  [错误] 收入预算 · 正文!A72：编制说明 收入预算应等于表1 收入总计（8,428），实为 8,528（万元）"
        ),
        "{text}"
    );
}

#[test]
fn workbook_narrative_findings_name_the_prose_cell() {
    // The seed workbook's 说明 sheet (xl/worksheets/sheet2.xml) holds notes in A1:A4; A4 is
    // replaced by a 编制说明 sentence whose 收入预算 disagrees with 表1 (84,281,400 元).
    let seed = std::fs::read(repo_path("samples/seed-submission.xlsx")).unwrap();
    let xlsx = set_cell_texts(
        &seed,
        "xl/worksheets/sheet2.xml",
        &[("A4", "2024年收入预算9,000万元，其他收入20万元。")],
    );
    assert_eq!(
        located(&check_bytes("seed-edited.xlsx", &xlsx)),
        want(&[(
            "narrative",
            "收入预算",
            "",
            "说明!A4",
            "编制说明 收入预算应等于表1 收入总计（8,428），实为 9,000（万元），相差 5,718,600 元，超出允许的舍入误差 5,000 元"
        )])
    );
}
