//! Structure of the coded tables (表2/3/5/6/7/8): a 款 whose 类 row is missing, a 项 whose 款
//! row is missing, duplicated codes, rows printed outside their parent's block or at a level
//! the classification does not have, negative amounts, codes or names that differ from the
//! reference lists (obsolete 类 names included), and base tables (表2/3/5/8) missing from the
//! input. Reference differences are warnings only: the submission's own code and name win.
//! Not for amounts adding up (see the identity rules).

use super::codes;
use super::describe::table_name;
use super::keys;
use crate::finding::{Finding, Severity};
use crate::model::{
    Amounts, Budget, CellKey, Classification, Classified, Code, CodeLevel, Line, SourceMap, TableId,
};
use crate::money::format_amount;
use std::collections::HashSet;

/// Every structure finding of the budget.
pub fn findings(budget: &Budget, sources: &SourceMap) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut named = HashSet::new();
    let f = Classification::Function;
    table(
        TableId::T2,
        &budget.income,
        f,
        sources,
        &mut named,
        &mut out,
    );
    table(
        TableId::T3,
        &budget.expenditure,
        f,
        sources,
        &mut named,
        &mut out,
    );
    table(
        TableId::T5,
        &budget.general,
        f,
        sources,
        &mut named,
        &mut out,
    );
    table(TableId::T6, &budget.fund, f, sources, &mut named, &mut out);
    table(
        TableId::T7,
        &budget.capital,
        f,
        sources,
        &mut named,
        &mut out,
    );
    let e = Classification::Economic;
    table(
        TableId::T8,
        &budget.economic,
        e,
        sources,
        &mut named,
        &mut out,
    );
    let base = [
        (TableId::T2, budget.income.present),
        (TableId::T3, budget.expenditure.present),
        (TableId::T5, budget.general.present),
        (TableId::T8, budget.economic.present),
    ];
    for (id, present) in base {
        if !present {
            let message = format!("输入中没有{}，与之相关的核对无法进行", table_name(id));
            out.push(Finding::new(Severity::Warning, "missing-table", message).in_table(id));
        }
    }
    out
}

fn row_finding<A>(
    id: TableId,
    line: &Line<A>,
    sources: &SourceMap,
    severity: Severity,
    rule: &str,
    message: String,
) -> Finding {
    let mut f = Finding::new(severity, rule, message).in_table(id);
    f.row = Some(line.code.to_string());
    f.located(sources.get(&keys::coded(id, &line.code, 0)).cloned())
}

fn table<A: Amounts>(
    id: TableId,
    t: &Classified<A>,
    classification: Classification,
    sources: &SourceMap,
    named: &mut HashSet<(Code, String)>,
    out: &mut Vec<Finding>,
) {
    let codes: HashSet<&Code> = t.lines.iter().map(|l| &l.code).collect();
    let mut seen: HashSet<&Code> = HashSet::new();
    let mut current: [Option<&Code>; 2] = [None, None];
    let name = table_name(id);
    for line in &t.lines {
        let row = format!("{} {}", line.code, line.name);
        let mut push = |severity, rule: &str, message: String| {
            out.push(row_finding(id, line, sources, severity, rule, message));
        };
        if !seen.insert(&line.code) {
            push(
                Severity::Error,
                "duplicate-code",
                format!("{name} 科目 {row} 重复出现（只核对第一行）"),
            );
        }
        let level = line.code.level();
        if classification == Classification::Economic && level == CodeLevel::Xiang {
            push(
                Severity::Error,
                "nesting",
                format!("{name} 科目 {row} 是7位编码，经济分类只有类、款两级"),
            );
        }
        if let Some(parent) = line.code.parent() {
            parent_position(&name, &row, level, &parent, &codes, current, &mut push);
        }
        match level {
            CodeLevel::Lei => current = [Some(&line.code), None],
            CodeLevel::Kuan => current[1] = Some(&line.code),
            CodeLevel::Xiang => {}
        }
        // Each code and name is compared with the reference list once, where it first appears.
        if named.insert((line.code.clone(), codes::normalize_name(&line.name))) {
            reference(&name, &row, line, classification, &mut push);
        }
        let described = format!("{name} {row}");
        let at = line.code.to_string();
        let key = |c| keys::coded(id, &line.code, c);
        negative_amounts(id, &line.amounts, &described, &at, key, sources, out);
    }
    if let Some(total) = &t.total {
        let described = format!("{name} 合计行");
        let key = |c| keys::total(id, c);
        negative_amounts(id, total, &described, "合计", key, sources, out);
    }
}

/// A 款/项 row whose parent `parent` is missing from the table is an error; one not listed
/// under its parent (`current`: the 类 and 款 rows above it) is a warning.
fn parent_position(
    name: &str,
    row: &str,
    level: CodeLevel,
    parent: &Code,
    codes: &HashSet<&Code>,
    current: [Option<&Code>; 2],
    push: &mut impl FnMut(Severity, &str, String),
) {
    let (slot, parent_level) = match level {
        CodeLevel::Kuan => (0, "类"),
        _ => (1, "款"),
    };
    if !codes.contains(parent) {
        push(
            Severity::Error,
            "missing-parent",
            format!(
                "{name} {}级科目 {row} 缺少其所属的{parent_level}级科目 {parent}",
                level.label()
            ),
        );
    } else if current[slot] != Some(parent) {
        push(
            Severity::Warning,
            "nesting",
            format!("{name} 科目 {row} 没有排在其上级科目 {parent} 之下"),
        );
    }
}

/// A warning for every negative amount of one row: `described` names the table and row in
/// the message, `at` is the finding's row, `key` gives each column's cell.
fn negative_amounts<A: Amounts>(
    id: TableId,
    amounts: &A,
    described: &str,
    at: &str,
    key: impl Fn(usize) -> CellKey,
    sources: &SourceMap,
    out: &mut Vec<Finding>,
) {
    for (c, header) in A::COLUMNS.iter().enumerate() {
        let v = amounts.get(c);
        if v.is_sign_negative() && !v.is_zero() {
            let mut f = Finding::new(
                Severity::Warning,
                "negative",
                format!("{described} {header}列为负数 {}", format_amount(v)),
            )
            .in_table(id)
            .at(at, *header)
            .located(sources.get(&key(c)).cloned());
            f.actual = Some(format_amount(v));
            out.push(f);
        }
    }
}

/// Compares a row's code and name with the reference list (warnings only).
fn reference<A>(
    table: &str,
    row: &str,
    line: &Line<A>,
    classification: Classification,
    push: &mut impl FnMut(Severity, &str, String),
) {
    let code = line.code.as_str();
    if let Some(current) = codes::obsolete(code, &line.name) {
        push(
            Severity::Warning,
            "obsolete-name",
            format!("{table} 科目 {row} 使用了旧科目名称，现行名称为“{current}”"),
        );
        return;
    }
    let Some(reference) = codes::lookup(classification, code) else {
        push(
            Severity::Warning,
            "unknown-code",
            format!(
                "{table} 科目编码 {code}（{}）不在参考科目表中，请核实",
                line.name
            ),
        );
        return;
    };
    // Equal text normalises equally: only differing names need normalising.
    if line.name != reference.name
        && codes::normalize_name(&line.name) != codes::normalize_name(reference.name)
    {
        let doubt = if reference.observed {
            ""
        } else {
            "；参考名称未经实际公开文件核实，可能有误"
        };
        push(
            Severity::Warning,
            "code-name",
            format!(
                "{table} 科目 {row} 的名称与参考科目表不同，参考名称为“{}”{doubt}",
                reference.name
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{line, table};
    use crate::model::{MoneyUnit, SplitAmounts};

    #[test]
    fn a_kuan_printed_under_another_lei_is_a_nesting_warning() {
        let lines: Vec<Line<SplitAmounts>> = vec![
            line("208", "社会保障和就业支出", &[5, 5, 0]),
            line("210", "卫生健康支出", &[0, 0, 0]),
            line("20805", "行政事业单位养老支出", &[5, 5, 0]),
        ];
        let budget = Budget {
            expenditure: table(MoneyUnit::Yuan, lines, None),
            ..Budget::default()
        };
        let found: Vec<(Severity, String, Option<String>)> = findings(&budget, &SourceMap::new())
            .into_iter()
            .filter(|f| f.rule != "missing-table")
            .map(|f| (f.severity, f.rule, f.row))
            .collect();
        assert_eq!(
            found,
            [(
                Severity::Warning,
                "nesting".to_string(),
                Some("20805".to_string())
            )]
        );
    }

    #[test]
    fn a_code_is_compared_with_the_reference_once() {
        let lines: Vec<Line<SplitAmounts>> = vec![line("299", "其他支出（测试）", &[1, 1, 0])];
        let budget = Budget {
            expenditure: table(MoneyUnit::Yuan, lines.clone(), None),
            general: table(MoneyUnit::Yuan, lines, None),
            ..Budget::default()
        };
        let found: Vec<(Option<u8>, String)> = findings(&budget, &SourceMap::new())
            .into_iter()
            .filter(|f| f.rule != "missing-table")
            .map(|f| (f.table, f.rule))
            .collect();
        assert_eq!(found, [(Some(3), "unknown-code".to_string())]);
    }

    #[test]
    fn missing_base_tables_are_named() {
        let budget = Budget {
            income: table(MoneyUnit::Yuan, Vec::new(), None),
            expenditure: table(MoneyUnit::Yuan, Vec::new(), None),
            general: table(MoneyUnit::Yuan, Vec::new(), None),
            ..Budget::default()
        };
        let found: Vec<(Option<u8>, String)> = findings(&budget, &SourceMap::new())
            .into_iter()
            .map(|f| (f.table, f.message))
            .collect();
        assert_eq!(
            found,
            [(
                Some(8),
                "输入中没有表8 一般公共预算基本支出部门预算经济分类预算表，与之相关的核对无法进行"
                    .to_string()
            )]
        );
    }

    #[test]
    fn economic_codes_have_no_xiang_level() {
        let lines = vec![
            line("301", "工资福利支出", &[1, 1, 0]),
            line("30101", "基本工资", &[1, 1, 0]),
            line("3010101", "基本工资", &[1, 1, 0]),
        ];
        let budget = Budget {
            economic: table(MoneyUnit::Yuan, lines, None),
            ..Budget::default()
        };
        let rules: Vec<String> = findings(&budget, &SourceMap::new())
            .into_iter()
            .filter(|f| f.rule != "missing-table")
            .map(|f| format!("{:?} {} {}", f.severity, f.rule, f.row.unwrap_or_default()))
            .collect();
        assert_eq!(
            rules,
            ["Error nesting 3010101", "Warning unknown-code 3010101"]
        );
    }
}
