//! Reports: pure renderers of findings for people (text grouped by table, in Chinese) and for
//! programs (JSON with a fixed shape), and [`io_reason`] for file-system errors. They return strings; where the bytes go is the caller's
//! business. Not for deciding findings (see `check`).

use crate::finding::{Finding, Severity};
use crate::model::TableId;
use serde_json::{Value, json};

/// A file-system error in Chinese, for messages that name the path themselves (the OS text is
/// English): what went wrong and, where it helps, what to do.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied => {
            "没有访问权限，请检查文件夹权限，或先在 Excel/WPS 中关闭同名文件".into()
        }
        ErrorKind::NotFound => "路径不存在".into(),
        ErrorKind::AlreadyExists => "已存在同名文件".into(),
        ErrorKind::IsADirectory => "这是一个文件夹，请给出文件名".into(),
        ErrorKind::NotADirectory => "路径中有一级是文件而不是文件夹".into(),
        ErrorKind::StorageFull => "磁盘空间不足".into(),
        ErrorKind::ReadOnlyFilesystem => "磁盘为只读".into(),
        _ => format!("系统错误（{e}）"),
    }
}

/// The findings as readable Chinese text, grouped by table in table order:
///
/// ```text
/// 校验结果：input.xlsx（1 个错误，0 个警告）
///
/// 表3 支出预算总表
///   [错误] 2010301 · 合计 · 表3!F12：…
/// ```
pub fn text(input: &str, findings: &[Finding]) -> String {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings.len() - errors;
    let mut out = format!("校验结果：{input}（{errors} 个错误，{warnings} 个警告）\n");
    if findings.is_empty() {
        out.push_str("\n未发现问题。\n");
        return out;
    }
    let mut groups: Vec<(Option<u8>, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match groups.iter_mut().find(|(t, _)| *t == f.table) {
            Some((_, list)) => list.push(f),
            None => groups.push((f.table, vec![f])),
        }
    }
    groups.sort_by_key(|(t, _)| t.unwrap_or(0));
    for (table, list) in groups {
        out.push('\n');
        out.push_str(&heading(table));
        out.push('\n');
        for f in list {
            out.push_str("  ");
            out.push_str(&line(f));
            out.push('\n');
        }
    }
    out
}

fn heading(table: Option<u8>) -> String {
    match table.and_then(TableId::from_number) {
        Some(t) => format!("{t} {}", t.title_stem()),
        None => "整体".to_string(),
    }
}

fn line(f: &Finding) -> String {
    let severity = match f.severity {
        Severity::Error => "[错误]",
        Severity::Warning => "[警告]",
    };
    let mut place: Vec<String> = Vec::new();
    if let Some(r) = &f.row {
        place.push(r.clone());
    }
    if let Some(c) = &f.column {
        place.push(c.clone());
    }
    if let Some(l) = &f.location {
        place.push(l.sheet_cell());
    }
    if place.is_empty() {
        format!("{severity} {}", f.message)
    } else {
        format!("{severity} {}：{}", place.join(" · "), f.message)
    }
}

/// The findings as JSON: `{"input": …, "findings": [{"severity", "rule", "table", "row",
/// "column", "location": {"file", "sheet", "cell"} or null, "expected", "actual",
/// "message"}]}`, pretty-printed.
pub fn json(input: &str, findings: &[Finding]) -> String {
    let list: Vec<Value> = findings.iter().map(finding_json).collect();
    let doc = json!({ "input": input, "findings": list });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|_| doc.to_string())
}

fn finding_json(f: &Finding) -> Value {
    let location = f.location.as_ref().map(|l| {
        json!({
            "file": l.file,
            "sheet": l.sheet,
            "cell": l.cell,
        })
    });
    let severity = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    json!({
        "severity": severity,
        "rule": f.rule,
        "table": f.table,
        "row": f.row,
        "column": f.column,
        "location": location,
        "expected": f.expected,
        "actual": f.actual,
        "message": f.message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Location;

    fn sample() -> Vec<Finding> {
        vec![
            Finding::new(
                Severity::Warning,
                "unknown-code",
                "科目编码 2019999 不在参考科目表中",
            )
            .in_table(TableId::T2)
            .at("2019999", "合计"),
            Finding::new(Severity::Error, "row-sum", "合计应等于基本支出 + 项目支出")
                .in_table(TableId::T3)
                .at("2010301", "合计")
                .located(Some(Location {
                    file: "in.xlsx".into(),
                    sheet: "表3".into(),
                    cell: crate::model::CellRef::new(11, 5),
                }))
                .values("48,215,638", "48,215,683"),
            Finding::new(Severity::Error, "read", "文件无法读取"),
        ]
    }

    #[test]
    fn text_groups_by_table_with_counts() {
        let out = text("in.xlsx", &sample());
        assert_eq!(
            out,
            "校验结果：in.xlsx（2 个错误，1 个警告）\n\n整体\n  [错误] 文件无法读取\n\n\
             表2 收入预算总表\n  [警告] 2019999 · 合计：科目编码 2019999 不在参考科目表中\n\n\
             表3 支出预算总表\n  [错误] 2010301 · 合计 · 表3!F12：合计应等于基本支出 + 项目支出\n"
        );
        assert!(text("x", &[]).ends_with("未发现问题。\n"));
    }

    #[test]
    fn json_has_exactly_the_agreed_fields() {
        let v: Value = serde_json::from_str(&json("in.xlsx", &sample())).unwrap();
        assert_eq!(v["input"], "in.xlsx");
        let f = &v["findings"][1];
        let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        keys.sort();
        assert_eq!(
            keys,
            [
                "actual", "column", "expected", "location", "message", "row", "rule", "severity",
                "table"
            ]
        );
        assert_eq!(f["severity"], "error");
        assert_eq!(f["table"], 3);
        assert_eq!(f["location"]["cell"], "F12");
        assert_eq!(f["expected"], "48,215,638");
        assert!(v["findings"][2]["location"].is_null());
    }
}
