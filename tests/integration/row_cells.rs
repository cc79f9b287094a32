//! Story: a finding about a row's code or name sends the budget officer to the cell that holds
//! it — the 科目名称 cell, or the code's cell (for codes split into 类/款/项 columns, the first
//! of them) — in every input shape: an xlsx workbook, a folder of CSV files, the disclosure
//! text. Findings about amounts still name the amount's cell, and the messages are unchanged.

use crate::common::{check_bytes, check_file as check, repo_path, set_cell_texts, sheet_cell};
use yusuan::finding::Finding;

/// The rules whose findings are about a row's code or name rather than an amount.
const LABEL_RULES: [&str; 7] = [
    "duplicate-code",
    "missing-parent",
    "nesting",
    "unknown-code",
    "code-name",
    "obsolete-name",
    "t2-t3-codes",
];

/// The findings about codes and names as (rule, table, row, "sheet!cell"), in report order.
fn label_findings(findings: &[Finding]) -> Vec<(String, u8, String, String)> {
    findings
        .iter()
        .filter(|f| LABEL_RULES.contains(&f.rule.as_str()))
        .map(|f| {
            let at = sheet_cell(f);
            let row = f.row.clone().unwrap_or_default();
            (f.rule.clone(), f.table.unwrap_or(0), row, at)
        })
        .collect()
}

fn want(rows: &[(&str, u8, &str, &str)]) -> Vec<(String, u8, String, String)> {
    rows.iter()
        .map(|(rule, t, row, at)| (rule.to_string(), *t, row.to_string(), at.to_string()))
        .collect()
}

/// The message of the only finding with this rule.
fn message<'f>(findings: &'f [Finding], rule: &str) -> &'f str {
    let found: Vec<&Finding> = findings.iter().filter(|f| f.rule == rule).collect();
    assert_eq!(found.len(), 1, "{rule}: {found:#?}");
    &found[0].message
}

/// The seed workbook with cells of 表3 (xl/worksheets/sheet5.xml) replaced by text.
fn edited_seed_xlsx(cells: &[(&str, &str)]) -> Vec<u8> {
    let seed = std::fs::read(repo_path("samples/seed-submission.xlsx")).unwrap();
    set_cell_texts(&seed, "xl/worksheets/sheet5.xml", cells)
}

#[test]
fn xlsx_name_and_code_findings_name_the_name_and_code_cells() {
    // 表3 of the seed: 类|款|项 in A:C, 科目名称 in D, amounts from E. Row 18 is 210, row 8
    // 2010301 行政运行, row 9 2010302 一般行政管理事务.
    let xlsx = edited_seed_xlsx(&[
        ("D18", "医疗卫生与计划生育支出"),
        ("D8", "行政运行费"),
        ("C9", "97"),
    ]);
    let findings = check_bytes("seed-edited.xlsx", &xlsx);
    assert_eq!(
        label_findings(&findings),
        want(&[
            ("t2-t3-codes", 2, "2010302", "表2!A9"),
            ("code-name", 3, "2010301", "表3!D8"),
            ("t2-t3-codes", 3, "2010397", "表3!A9"),
            ("unknown-code", 3, "2010397", "表3!A9"),
            ("obsolete-name", 3, "210", "表3!D18"),
        ])
    );
    assert_eq!(
        message(&findings, "obsolete-name"),
        "表3 支出预算总表 科目 210 医疗卫生与计划生育支出 使用了旧科目名称，现行名称为“卫生健康支出”"
    );
    assert_eq!(
        message(&findings, "code-name"),
        "表3 支出预算总表 科目 2010301 行政运行费 的名称与参考科目表不同，参考名称为“行政运行”"
    );
    assert_eq!(
        message(&findings, "unknown-code"),
        "表3 支出预算总表 科目编码 2010397（一般行政管理事务）不在参考科目表中，请核实"
    );
}

#[test]
fn xlsx_amount_findings_keep_the_amount_cell_beside_a_name_finding() {
    // 2010301's name is obsolete-free but different, and its 合计 is mistyped (48,215,638 →
    // 48,215,683): the name finding names D8, the amount's culprit E8.
    let xlsx = edited_seed_xlsx(&[("D8", "行政运行费"), ("E8", "48215683")]);
    let findings = check_bytes("seed-edited.xlsx", &xlsx);
    let at = |rule: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.rule == rule)
            .filter_map(|f| f.location.as_ref())
            .map(|l| l.sheet_cell())
            .collect()
    };
    assert_eq!(at("code-name"), ["表3!D8"]);
    assert_eq!(at("culprit"), ["表3!E8"]);
}

#[test]
fn csv_name_and_code_findings_name_the_csv_cells() {
    // The GBK CSV folder of the seed, 表3 edited: row 16 is 210, row 7 2010302; 2080599 (row
    // 13) is printed twice.
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("seed-csv");
    std::fs::create_dir(&folder).unwrap();
    for entry in std::fs::read_dir(repo_path("samples/seed-csv-gbk")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let mut bytes = std::fs::read(entry.path()).unwrap();
        if name == "表3_支出预算总表.csv" {
            let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
            assert!(!bad);
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            assert_eq!(lines[15], "210,,,卫生健康支出,2095505,2041505,54000");
            lines[15] = "210,,,医疗卫生与计划生育支出,2095505,2041505,54000".into();
            assert_eq!(lines[6], "201,03,02,一般行政管理事务,16063382,,16063382");
            lines[6] = "201,03,97,一般行政管理事务,16063382,,16063382".into();
            assert_eq!(lines[12], "208,05,99,其他行政事业单位养老支出,42000,42000,");
            lines.insert(13, lines[12].clone());
            let text = lines.join("\r\n") + "\r\n";
            bytes = encoding_rs::GBK.encode(&text).0.into_owned();
        }
        std::fs::write(folder.join(&name), bytes).unwrap();
    }
    let findings = check(&folder);
    let t3 = "表3_支出预算总表";
    let cell = |c: &str| format!("{t3}!{c}");
    let (a7, a14, d17) = (cell("A7"), cell("A14"), cell("D17"));
    assert_eq!(
        label_findings(&findings),
        want(&[
            ("t2-t3-codes", 2, "2010302", "表2_收入预算总表!A7"),
            ("t2-t3-codes", 3, "2010397", &a7),
            ("unknown-code", 3, "2010397", &a7),
            ("duplicate-code", 3, "2080599", &a14),
            ("obsolete-name", 3, "210", &d17),
        ])
    );
    assert_eq!(
        message(&findings, "duplicate-code"),
        "表3 支出预算总表 科目 2080599 其他行政事业单位养老支出 重复出现（只核对第一行）"
    );
}

#[test]
fn disclosure_text_name_and_code_findings_name_the_text_cells() {
    // 表3 of the published text: line 150 is 2010302, line 159 is 210 (tab-separated cells).
    let seed = std::fs::read_to_string(repo_path("samples/seed-disclosure.txt")).unwrap();
    let mut lines: Vec<&str> = seed.lines().collect();
    let renamed = lines[158].replace("卫生健康支出", "医疗卫生与计划生育支出");
    assert!(lines[158].starts_with("210\t\t\t卫生健康支出\t"));
    lines[158] = &renamed;
    let recoded = lines[149].replacen("201\t03\t02\t", "201\t03\t97\t", 1);
    assert!(lines[149].starts_with("201\t03\t02\t一般行政管理事务\t"));
    lines[149] = &recoded;
    let findings = check_bytes("seed-disclosure.txt", lines.join("\n").as_bytes());
    assert_eq!(
        label_findings(&findings),
        want(&[
            ("t2-t3-codes", 2, "2010302", "正文!A114"),
            ("t2-t3-codes", 3, "2010397", "正文!A150"),
            ("unknown-code", 3, "2010397", "正文!A150"),
            ("obsolete-name", 3, "210", "正文!D159"),
        ])
    );
}
