//! Structure of the coded tables (表2/3/5/6/7/8): a 款 whose 类 row is missing, a 项 whose 款
//! row is missing, duplicated codes, rows printed outside their parent's block or at a level
//! the classification does not have, negative amounts, codes or names that differ from the
//! reference lists (obsolete 类 names included), and base tables (表2/3/5/8) missing from the
//! input. Reference differences are warnings only: the submission's own code and name win.
//! A finding about a row's code or name names the cell the code or name was read from; one
//! about an amount names the amount's cell. Not for amounts adding up (see the identity
//! rules).

use super::codes;
use super::describe::{Label, label_location, table_name};
use super::fxhash::FxHashSet;
use super::keys;
use crate::finding::{Finding, Severity};
use crate::model::{
    Amounts, Budget, CellKey, Classification, Classified, Code, CodeLevel, Line, SourceMap, TableId,
};
use crate::money::format_amount;

/// Every structure finding of the budget.
///
/// Clean rows cost no text: table names, row words and messages are formatted only for a
/// finding that is reported.
pub fn findings(budget: &Budget, sources: &SourceMap) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut earlier = Vec::new();
    let f = Classification::Function;
    let mut scan = Scan {
        sources,
        earlier: &mut earlier,
        out: &mut out,
    };
    scan.table(TableId::T2, &budget.income, f);
    scan.table(TableId::T3, &budget.expenditure, f);
    scan.table(TableId::T5, &budget.general, f);
    scan.table(TableId::T6, &budget.fund, f);
    scan.table(TableId::T7, &budget.capital, f);
    scan.table(TableId::T8, &budget.economic, Classification::Economic);
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

/// The coded tables in order, with every row seen so far.
struct Scan<'a, 'b> {
    sources: &'a SourceMap,
    /// Code and name of every row of the tables already scanned and of the rows above in the
    /// current one, in order.
    earlier: &'b mut Vec<(&'a Code, &'a str)>,
    out: &'b mut Vec<Finding>,
}

/// One row being scanned, with the words its findings use.
struct Row<'a, A> {
    id: TableId,
    line: &'a Line<A>,
}

impl<A> Row<'_, A> {
    /// "表3 支出预算总表".
    fn table(&self) -> String {
        table_name(self.id)
    }

    /// "2010301 行政运行".
    fn words(&self) -> String {
        format!("{} {}", self.line.code, self.line.name)
    }
}

impl<'a> Scan<'a, '_> {
    fn table<A: Amounts>(
        &mut self,
        id: TableId,
        t: &'a Classified<A>,
        classification: Classification,
    ) {
        let codes: FxHashSet<&Code> = t.lines.iter().map(|l| &l.code).collect();
        let mut seen: FxHashSet<&Code> = FxHashSet::default();
        let mut current: [Option<&Code>; 2] = [None, None];
        for line in &t.lines {
            let row = Row { id, line };
            if !seen.insert(&line.code) {
                let message = format!(
                    "{} 科目 {} 重复出现（只核对第一行）",
                    row.table(),
                    row.words()
                );
                self.push(
                    &row,
                    Label::Code,
                    Severity::Error,
                    "duplicate-code",
                    message,
                );
            }
            let level = line.code.level();
            if classification == Classification::Economic && level == CodeLevel::Xiang {
                let message = format!(
                    "{} 科目 {} 是7位编码，经济分类只有类、款两级",
                    row.table(),
                    row.words()
                );
                self.push(&row, Label::Code, Severity::Error, "nesting", message);
            }
            if let Some(parent) = line.code.parent()
                && let Some((severity, rule, message)) =
                    parent_position(&row, level, &parent, &codes, current)
            {
                self.push(&row, Label::Code, severity, rule, message);
            }
            match level {
                CodeLevel::Lei => current = [Some(&line.code), None],
                CodeLevel::Kuan => current[1] = Some(&line.code),
                CodeLevel::Xiang => {}
            }
            // Each code and name is compared with the reference list once, where it first
            // appears.
            if let Some((label, rule, message)) = reference(&row, classification)
                && !self.named_before(line)
            {
                self.push(&row, label, Severity::Warning, rule, message);
            }
            self.earlier.push((&line.code, &line.name));
            let key = |c| keys::coded(id, &line.code, c);
            let at = || line.code.to_string();
            let described = || format!("{} {}", row.table(), row.words());
            self.negative_amounts(id, &line.amounts, described, at, key);
        }
        if let Some(total) = &t.total {
            let described = || format!("{} 合计行", table_name(id));
            let key = |c| keys::total(id, c);
            self.negative_amounts(id, total, described, || "合计".to_string(), key);
        }
    }

    /// Whether a row above (in this table or an earlier one) has the same code and the same
    /// name up to normalisation, and so was compared with the reference list already.
    fn named_before<A>(&self, line: &Line<A>) -> bool {
        let mut same_code = self.earlier.iter().filter(|(c, _)| **c == line.code);
        let Some(first) = same_code.next() else {
            return false;
        };
        let name = codes::normalized(&line.name);
        std::iter::once(first)
            .chain(same_code)
            .any(|(_, n)| *n == line.name || codes::normalized(n) == name)
    }

    /// A finding about the code or the name of `row`, located at that cell.
    fn push<A>(
        &mut self,
        row: &Row<'_, A>,
        label: Label,
        severity: Severity,
        rule: &str,
        message: String,
    ) {
        let mut f = Finding::new(severity, rule, message).in_table(row.id);
        f.row = Some(row.line.code.to_string());
        let location = label_location(self.sources, row.id, &row.line.code, label);
        self.out.push(f.located(location));
    }

    /// A warning for every negative amount of one row: `described` names the table and row in
    /// the message, `at` is the finding's row, `key` gives each column's cell.
    fn negative_amounts<A: Amounts>(
        &mut self,
        id: TableId,
        amounts: &A,
        described: impl Fn() -> String,
        at: impl Fn() -> String,
        key: impl Fn(usize) -> CellKey,
    ) {
        for (c, header) in A::COLUMNS.iter().enumerate() {
            let v = amounts.get(c);
            if v.is_sign_negative() && !v.is_zero() {
                let mut f = Finding::new(
                    Severity::Warning,
                    "negative",
                    format!("{} {header}列为负数 {}", described(), format_amount(v)),
                )
                .in_table(id)
                .at(at(), *header)
                .located(self.sources.get(&key(c)).cloned());
                f.actual = Some(format_amount(v));
                self.out.push(f);
            }
        }
    }
}

/// A 款/项 row whose parent `parent` is missing from the table is an error; one not listed
/// under its parent (`current`: the 类 and 款 rows above it) is a warning.
fn parent_position<A>(
    row: &Row<'_, A>,
    level: CodeLevel,
    parent: &Code,
    codes: &FxHashSet<&Code>,
    current: [Option<&Code>; 2],
) -> Option<(Severity, &'static str, String)> {
    let (slot, parent_level) = match level {
        CodeLevel::Kuan => (0, "类"),
        _ => (1, "款"),
    };
    if !codes.contains(parent) {
        Some((
            Severity::Error,
            "missing-parent",
            format!(
                "{} {}级科目 {} 缺少其所属的{parent_level}级科目 {parent}",
                row.table(),
                level.label(),
                row.words()
            ),
        ))
    } else if current[slot] != Some(parent) {
        Some((
            Severity::Warning,
            "nesting",
            format!(
                "{} 科目 {} 没有排在其上级科目 {parent} 之下",
                row.table(),
                row.words()
            ),
        ))
    } else {
        None
    }
}

/// The warning (the cell it is about, rule and message) when a row's code and name differ
/// from the reference list: an obsolete or different name is the name's, an unknown code the
/// code's.
fn reference<A>(
    row: &Row<'_, A>,
    classification: Classification,
) -> Option<(Label, &'static str, String)> {
    let line = row.line;
    let code = line.code.as_str();
    if let Some(current) = codes::obsolete(code, &line.name) {
        let message = format!(
            "{} 科目 {} 使用了旧科目名称，现行名称为“{current}”",
            row.table(),
            row.words()
        );
        return Some((Label::Name, "obsolete-name", message));
    }
    let Some(reference) = codes::lookup(classification, code) else {
        let message = format!(
            "{} 科目编码 {code}（{}）不在参考科目表中，请核实",
            row.table(),
            line.name
        );
        return Some((Label::Code, "unknown-code", message));
    };
    // Equal text normalises equally: only differing names need normalising.
    if line.name != reference.name
        && codes::normalized(&line.name) != codes::normalized(reference.name)
    {
        let doubt = if reference.observed {
            ""
        } else {
            "；参考名称未经实际公开文件核实，可能有误"
        };
        let message = format!(
            "{} 科目 {} 的名称与参考科目表不同，参考名称为“{}”{doubt}",
            row.table(),
            row.words(),
            reference.name
        );
        return Some((Label::Name, "code-name", message));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::testing::{line, table};
    use crate::model::{MoneyUnit, SplitAmounts};

    /// The findings of `budget` but its missing-table warnings (the tests give a table or two).
    fn findings_of_given_tables(budget: &Budget, sources: &SourceMap) -> Vec<Finding> {
        findings(budget, sources)
            .into_iter()
            .filter(|f| f.rule != "missing-table")
            .collect()
    }

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
        let found: Vec<(Severity, String, Option<String>)> =
            findings_of_given_tables(&budget, &SourceMap::new())
                .into_iter()
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
        let found: Vec<(Option<u8>, String)> = findings_of_given_tables(&budget, &SourceMap::new())
            .into_iter()
            .map(|f| (f.table, f.rule))
            .collect();
        assert_eq!(found, [(Some(3), "unknown-code".to_string())]);
    }

    #[test]
    fn code_and_name_findings_name_the_code_and_name_cells() {
        let lines: Vec<Line<SplitAmounts>> = vec![
            line("210", "医疗卫生支出", &[5, 5, 0]),
            line("21011", "行政事业单位医疗", &[5, 6, -1]),
            line("2101101", "行政单位医疗", &[5, 5, 0]),
            line("2101101", "行政单位医疗费", &[0, 0, 0]),
            line("2109901", "其他支出（测试）", &[0, 0, 0]),
        ];
        let budget = Budget {
            expenditure: table(MoneyUnit::Yuan, lines, None),
            ..Budget::default()
        };
        let at = |cell: &str| crate::model::Location {
            file: "in.xlsx".into(),
            sheet: "表3".into(),
            cell: crate::model::CellRef::parse(cell).unwrap(),
        };
        let mut sources = SourceMap::new();
        let t3 = TableId::T3;
        // A code read twice keeps its later cells, as the recogniser's map does.
        let rows = [
            ("210", 6),
            ("21011", 7),
            ("2101101", 8),
            ("2101101", 9),
            ("2109901", 10),
        ];
        for (code, row) in rows {
            let code = Code::new(code).unwrap();
            sources.insert(CellKey::code_cell(t3, &code), at(&format!("A{row}")));
            sources.insert(CellKey::name_cell(t3, &code), at(&format!("D{row}")));
            for c in 0..3 {
                let cell = format!("{}{row}", ['E', 'F', 'G'][c]);
                sources.insert(keys::coded(t3, &code, c), at(&cell));
            }
        }
        let found: Vec<(String, Option<String>, String)> =
            findings_of_given_tables(&budget, &sources)
                .into_iter()
                .map(|f| {
                    let cell = f.location.map(|l| l.cell.to_string());
                    (f.rule, cell, f.row.unwrap_or_default())
                })
                .collect();
        let want = [
            ("obsolete-name", "D6", "210"),
            ("negative", "G7", "21011"),
            ("duplicate-code", "A9", "2101101"),
            ("code-name", "D9", "2101101"),
            ("missing-parent", "A10", "2109901"),
            ("unknown-code", "A10", "2109901"),
        ];
        let want: Vec<(String, Option<String>, String)> = want
            .iter()
            .map(|(r, c, row)| (r.to_string(), Some(c.to_string()), row.to_string()))
            .collect();
        assert_eq!(found, want);

        // Sources without code and name cells: the row's 合计 cell, as before.
        let amounts_only: SourceMap = sources.into_iter().filter(|(k, _)| k.is_amount()).collect();
        let obsolete = findings(&budget, &amounts_only)
            .into_iter()
            .find(|f| f.rule == "obsolete-name")
            .and_then(|f| f.location)
            .map(|l| l.cell.to_string());
        assert_eq!(obsolete.as_deref(), Some("E6"));
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
        let rules: Vec<String> = findings_of_given_tables(&budget, &SourceMap::new())
            .into_iter()
            .map(|f| format!("{:?} {} {}", f.severity, f.rule, f.row.unwrap_or_default()))
            .collect();
        assert_eq!(
            rules,
            ["Error nesting 3010101", "Warning unknown-code 3010101"]
        );
    }
}
