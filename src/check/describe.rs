//! Wording: turns slots and evaluated identities into findings with readable Chinese
//! messages, official table names, row and column labels, submitted locations and values
//! shown in the unit they were entered in.
//!
//! Not for deciding anything: every function here only formats.

use super::equation::{Identity, Ledger, Outcome, Relation, Shown, Slot, saturating_add};
use super::keys;
use crate::finding::{Finding, Severity};
use crate::model::{
    Amounts, Budget, CellKey, Classified, Code, Location, MoneyUnit, RowKey, SourceMap, TableId,
};
use crate::money::{format_amount, format_fixed, format_wan};
use rust_decimal::Decimal;

/// "表3 支出预算总表".
pub fn table_name(table: TableId) -> String {
    format!("{table} {}", table.title_stem())
}

/// A value as the user entered it: 元 with separators, 万元 to 2 decimals, prose 万元.
pub fn show(value: Decimal, shown: Shown) -> String {
    match shown {
        Shown::Unit(MoneyUnit::Yuan) => format_amount(value),
        Shown::Unit(MoneyUnit::WanYuan) => format_wan(value),
        Shown::Prose(precision) => {
            let decimals = if precision >= Decimal::from(10_000) || precision.is_zero() {
                0
            } else {
                2
            };
            format_fixed(value / Decimal::from(10_000), decimals)
        }
    }
}

/// How a slot's values are shown (元 when the slot is absent).
pub fn shown_of(ledger: &Ledger, slot: &Slot) -> Shown {
    ledger
        .entry(slot)
        .map(|e| e.shown)
        .unwrap_or(Shown::Unit(unit_of_absent(slot)))
}

fn unit_of_absent(slot: &Slot) -> MoneyUnit {
    match slot {
        Slot::Cell(k) if k.table == TableId::T9 => MoneyUnit::WanYuan,
        _ => MoneyUnit::Yuan,
    }
}

/// The unit words for a message: "" for 元 (the tables say 单位：元), "（万元）" otherwise.
fn unit_note(shown: Shown) -> &'static str {
    match shown {
        Shown::Unit(MoneyUnit::Yuan) => "",
        Shown::Unit(MoneyUnit::WanYuan) | Shown::Prose(_) => "（万元）",
    }
}

/// The row label of a finding: the code, "合计" (also 表9's single data row, keyed as its 合计
/// row), or the printed label.
pub fn row_field(slot: &Slot) -> Option<String> {
    match slot {
        Slot::Cell(k) => Some(k.row.to_string()),
        Slot::Prose(p) => Some(p.label().to_string()),
    }
}

/// The name of a coded row as submitted (the first row of a duplicated code, as the ledger
/// keeps), "" when the budget has no such cell. Looked up only to word a finding.
fn row_name<'b>(ledger: &Ledger, budget: &'b Budget, slot: &Slot) -> &'b str {
    fn first<'b, A: Amounts>(t: &'b Classified<A>, code: &Code) -> Option<&'b str> {
        t.line(code).map(|l| l.name.as_str())
    }
    let Slot::Cell(k) = slot else {
        return "";
    };
    let RowKey::Code(code) = &k.row else {
        return "";
    };
    if !ledger.has(slot) {
        return "";
    }
    let name = match k.table {
        TableId::T2 => first(&budget.income, code),
        TableId::T3 => first(&budget.expenditure, code),
        TableId::T5 => first(&budget.general, code),
        TableId::T6 => first(&budget.fund, code),
        TableId::T7 => first(&budget.capital, code),
        TableId::T8 => first(&budget.economic, code),
        TableId::T1 | TableId::T4 | TableId::T9 => None,
    };
    name.unwrap_or("")
}

/// The row in words: "2010301 行政运行", "合计行", "一、财政拨款收入".
pub fn row_words(ledger: &Ledger, budget: &Budget, slot: &Slot) -> String {
    match slot {
        Slot::Cell(k) => match &k.row {
            RowKey::Code(c) => {
                let name = row_name(ledger, budget, slot);
                if name.is_empty() {
                    c.to_string()
                } else {
                    format!("{c} {name}")
                }
            }
            RowKey::Total if k.table == TableId::T9 => String::new(),
            RowKey::Total => "合计行".to_string(),
            RowKey::Label(l) if k.table == TableId::T1 && k.column >= 1 => format!("本年支出 {l}"),
            RowKey::Label(l) => l.clone(),
            RowKey::Narrative => k.row.to_string(),
        },
        Slot::Prose(p) => p.label().to_string(),
    }
}

/// The whole place in words: "表3 支出预算总表 2010301 行政运行 合计列".
pub fn place(ledger: &Ledger, budget: &Budget, slot: &Slot) -> String {
    match slot {
        Slot::Cell(k) => {
            let row = row_words(ledger, budget, slot);
            let column = keys::column_header(k.table, k.column);
            let mut s = table_name(k.table);
            if !row.is_empty() {
                s.push(' ');
                s.push_str(&row);
            }
            // 表1's 预算数 columns go without saying; a unit 表1's split columns are named.
            if k.table != TableId::T1 || k.column >= crate::model::T1_BASIC {
                s.push(' ');
                s.push_str(column);
                s.push('列');
            }
            s
        }
        Slot::Prose(p) => format!("编制说明 {}", p.label()),
    }
}

/// The submitted cell of a slot, when known: the amount's cell, or the prose cell that stated
/// a 编制说明 figure.
pub fn location(sources: &SourceMap, slot: &Slot) -> Option<Location> {
    match slot {
        Slot::Cell(k) => sources.get(k).cloned(),
        Slot::Prose(p) => sources.get(&p.source_key()).cloned(),
    }
}

/// The submitted cell of the label of the 表1/表4 row whose amount is `key` (the income label
/// for column 0, else the expenditure label); the amount's cell when the sources do not know
/// the label's (a map made without label cells).
pub fn row_label_location(sources: &SourceMap, key: &CellKey) -> Option<Location> {
    let RowKey::Label(label) = &key.row else {
        return sources.get(key).cloned();
    };
    let label_key = if key.column == 0 {
        CellKey::income_label_cell(key.table, label)
    } else {
        CellKey::expenditure_label_cell(key.table, label)
    };
    sources
        .get(&label_key)
        .or_else(|| sources.get(key))
        .cloned()
}

/// The part of a coded row a finding is about, when it is not an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// The code (duplicated, misplaced, unknown, without its parent).
    Code,
    /// The name (obsolete, or not the reference name of its code).
    Name,
}

/// The submitted cell of a coded row's code or name; the row's 合计 cell when the sources do
/// not know it (a map made without label cells).
pub fn label_location(
    sources: &SourceMap,
    table: TableId,
    code: &Code,
    label: Label,
) -> Option<Location> {
    let key = match label {
        Label::Code => CellKey::code_cell(table, code),
        Label::Name => CellKey::name_cell(table, code),
    };
    sources
        .get(&key)
        .or_else(|| sources.get(&keys::coded(table, code, 0)))
        .cloned()
}

/// A finding placed at `slot`: table, row, column and location filled in.
pub fn finding_at(
    sources: &SourceMap,
    slot: &Slot,
    severity: Severity,
    rule: &str,
    message: String,
) -> Finding {
    let mut f = Finding::new(severity, rule, message);
    if let Slot::Cell(k) = slot {
        f = f.in_table(k.table);
        f.column = Some(keys::column_header(k.table, k.column).to_string());
    }
    f.row = row_field(slot);
    f.located(location(sources, slot))
}

/// The finding for an identity that does not hold.
pub fn identity_failure(
    ledger: &Ledger,
    budget: &Budget,
    sources: &SourceMap,
    identity: &Identity,
    outcome: &Outcome,
) -> Finding {
    let shown = shown_of(ledger, &identity.at);
    let expected = show(outcome.rhs, shown);
    let actual = show(outcome.lhs, shown);
    let place = place(ledger, budget, &identity.at);
    let gap = format_amount(outcome.gap.abs());
    let allowed = identity
        .terms()
        .iter()
        .map(|t| ledger.entry_of(*t).map(|e| e.tolerance).unwrap_or_default())
        .fold(Decimal::ZERO, saturating_add);
    let allowance = if allowed.is_zero() {
        String::new()
    } else {
        format!("，超出允许的舍入误差 {} 元", format_amount(allowed))
    };
    let note = unit_note(shown);
    let message = match identity.relation {
        Relation::Equal => format!(
            "{place}应等于{}（{expected}），实为 {actual}{note}，相差 {gap} 元{allowance}",
            identity.explain
        ),
        Relation::AtLeast => format!(
            "{place}（{actual}）应不小于{}（{expected}）{note}，少 {gap} 元{allowance}",
            identity.explain
        ),
        Relation::AtMost => format!(
            "{place}（{actual}）应不大于{}（{expected}）{note}，多 {gap} 元{allowance}",
            identity.explain
        ),
    };
    finding_at(
        sources,
        &identity.at,
        identity.severity,
        identity.rule,
        message,
    )
    .values(expected, actual)
}
