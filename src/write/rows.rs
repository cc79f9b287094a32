//! Row sources: the model turned into printable rows, one function per kind of source
//! (classified table, 表1 pair list, 表4 pair list, 表9 single row, findings).
//!
//! A row is a fixed set of text slots and amount slots (in 元); a layout's column bindings say
//! which slot each column shows. No formats, units or positions here: see `sheet`.

use super::layout::{AMOUNT_SLOTS, Layout, Source, TEXT_SLOTS};
use crate::finding::Finding;
use crate::model::{
    Amounts, Budget, Classified, CodeLevel, FiscalOverview, Overview, OverviewSplit, Table9,
    TableId,
};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// What kind of row this is, which decides its formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A coded row at this level (names indent by level).
    Line(CodeLevel),
    /// A plain row (表1/4 items, padding, 表9, findings).
    Plain,
    /// The 合计 row: bold, its label merged over the label columns.
    Total,
    /// The 收入总计 | … | 支出总计 | … row: bold, labels in their own columns.
    GrandTotal,
}

/// One printable row.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// Its kind.
    pub kind: RowKind,
    /// Text slots (meaning per source, see `layout::column`).
    pub text: [Cow<'a, str>; TEXT_SLOTS],
    /// Amount slots in 元; `None` prints blank (unknown or padding).
    pub amounts: [Option<Decimal>; AMOUNT_SLOTS],
}

impl<'a> Row<'a> {
    fn new(kind: RowKind) -> Row<'a> {
        Row {
            kind,
            text: Default::default(),
            amounts: [None; AMOUNT_SLOTS],
        }
    }
}

/// The body of one sheet.
#[derive(Debug, Clone)]
pub struct Body<'a> {
    /// Rows in printed order.
    pub rows: Vec<Row<'a>>,
    /// True when the table has no data (prints the empty-table note).
    pub empty: bool,
}

/// The derived tables a workbook prints, computed once per workbook.
#[derive(Debug, Clone)]
pub struct Derived {
    /// 表1.
    pub overview: Overview,
    /// 表4.
    pub fiscal: FiscalOverview,
    /// 表9.
    pub table9: Table9,
}

impl Derived {
    /// Derives 表1, 表4 and 表9 from the budget.
    pub fn of(budget: &Budget) -> Derived {
        Derived {
            overview: crate::derive::overview(budget),
            fiscal: crate::derive::fiscal_overview(budget),
            table9: crate::derive::table9(budget),
        }
    }
}

/// The rows of the sheet `layout` describes.
pub fn body<'a>(
    layout: &'a Layout,
    budget: &'a Budget,
    derived: &'a Derived,
    findings: &'a [Finding],
) -> Body<'a> {
    match (layout.source, layout.table) {
        (Source::Classified, Some(TableId::T2)) => classified(&budget.income),
        (Source::Classified, Some(TableId::T5)) => classified(&budget.general),
        (Source::Classified, Some(TableId::T6)) => classified(&budget.fund),
        (Source::Classified, Some(TableId::T7)) => classified(&budget.capital),
        (Source::Classified, Some(TableId::T8)) => classified(&budget.economic),
        (Source::Classified, _) => classified(&budget.expenditure),
        (Source::Overview, _) => overview(&derived.overview, &layout.total_labels),
        (Source::FiscalOverview, _) => fiscal(&derived.fiscal, &layout.total_labels),
        (Source::Table9, _) => table9(&derived.table9),
        (Source::Findings, _) => Body {
            rows: findings.iter().map(finding).collect(),
            empty: findings.is_empty(),
        },
    }
}

/// Coded rows as listed, then the 合计 row (stated, or Σ 类).
fn classified<A: Amounts>(table: &Classified<A>) -> Body<'_> {
    let width = A::COLUMNS.len().min(AMOUNT_SLOTS);
    let amounts = |a: &A| {
        let mut out = [None; AMOUNT_SLOTS];
        for (i, slot) in out.iter_mut().enumerate().take(width) {
            *slot = Some(a.get(i));
        }
        out
    };
    let mut rows: Vec<Row<'_>> = Vec::with_capacity(table.lines.len() + 1);
    for line in &table.lines {
        let mut row = Row::new(RowKind::Line(line.code.level()));
        for (slot, segment) in row.text.iter_mut().zip(line.code.segments()) {
            *slot = Cow::Borrowed(segment);
        }
        row.text[3] = Cow::Borrowed(line.name.as_str());
        row.amounts = amounts(&line.amounts);
        rows.push(row);
    }
    let mut total = Row::new(RowKind::Total);
    total.amounts = amounts(&table.total_or_sum());
    rows.push(total);
    Body {
        rows,
        empty: table.lines.is_empty(),
    }
}

/// 表1: income items beside numbered expenditure 类 (with their split at unit level), padded,
/// then the grand total row.
fn overview<'a>(t: &'a Overview, totals: &'a [String]) -> Body<'a> {
    let n = t.income.len().max(t.expenditure.len());
    let mut rows: Vec<Row<'a>> = (0..n)
        .map(|i| {
            let mut row = income_row(&t.income, i);
            if let Some((name, amount)) = t.expenditure.get(i) {
                row.text[1] = Cow::Owned(numbered(i, name));
                row.amounts[1] = Some(*amount);
                split_slots(&mut row, t.split_of(name));
            }
            row
        })
        .collect();
    let mut total = grand_total(totals);
    total.amounts[0] = Some(
        t.income_total
            .unwrap_or_else(|| t.income.iter().map(|(_, a)| a).sum()),
    );
    total.amounts[1] = Some(
        t.expenditure_total
            .unwrap_or_else(|| t.expenditure.iter().map(|(_, a)| a).sum()),
    );
    split_slots(&mut total, t.expenditure_total_split.as_ref());
    rows.push(total);
    Body { rows, empty: false }
}

/// 表4: fund incomes beside numbered expenditure 类 split by fund, then the grand total row.
fn fiscal<'a>(t: &'a FiscalOverview, totals: &'a [String]) -> Body<'a> {
    let n = t.income.len().max(t.expenditure.len());
    let mut rows: Vec<Row<'a>> = (0..n)
        .map(|i| {
            let mut row = income_row(&t.income, i);
            if let Some(e) = t.expenditure.get(i) {
                row.text[1] = Cow::Owned(numbered(i, &e.name));
                row.amounts[1..5].copy_from_slice(&[
                    Some(e.total),
                    Some(e.general),
                    Some(e.fund),
                    Some(e.capital),
                ]);
            }
            row
        })
        .collect();
    let mut total = grand_total(totals);
    total.amounts[0] = Some(
        t.income_total
            .unwrap_or_else(|| t.income.iter().map(|(_, a)| a).sum()),
    );
    if let Some(e) = &t.expenditure_total {
        total.amounts[1..5].copy_from_slice(&[
            Some(e.total),
            Some(e.general),
            Some(e.fund),
            Some(e.capital),
        ]);
    }
    rows.push(total);
    Body { rows, empty: false }
}

/// The unit-level split of a 表1 expenditure row in amount slots 2..=5 (基本支出, 人员经费,
/// 公用经费, 项目支出); unknown parts stay blank. Unused by the department layout.
fn split_slots(row: &mut Row<'_>, split: Option<&OverviewSplit>) {
    if let Some(s) = split {
        row.amounts[2..6].copy_from_slice(&[s.basic, s.personnel, s.public, s.project]);
    }
}

/// A plain row of a paired table carrying the `i`th income item (if any) on its left side.
fn income_row(income: &[(String, Decimal)], i: usize) -> Row<'_> {
    let mut row = Row::new(RowKind::Plain);
    if let Some((label, amount)) = income.get(i) {
        row.text[0] = Cow::Borrowed(label.as_str());
        row.amounts[0] = Some(*amount);
    }
    row
}

fn grand_total(labels: &[String]) -> Row<'_> {
    let mut row = Row::new(RowKind::GrandTotal);
    for (slot, label) in row.text.iter_mut().zip(labels) {
        *slot = Cow::Borrowed(label.as_str());
    }
    row
}

/// 表9: the 三公 figures and 机关运行经费 in one row; unknown figures stay blank.
fn table9(t: &Table9) -> Body<'_> {
    let mut row = Row::new(RowKind::Plain);
    if let Some(p) = &t.three_public {
        for (slot, value) in row.amounts.iter_mut().zip(p.figures()) {
            *slot = Some(value);
        }
    }
    row.amounts[6] = t.admin_running;
    Body {
        empty: t.three_public.is_none() && t.admin_running.is_none(),
        rows: vec![row],
    }
}

/// One finding: 严重程度, 规则, 表, 行, 列, 位置 (file!sheet!cell), 应为, 实为, 说明.
fn finding(f: &Finding) -> Row<'_> {
    fn opt(s: &Option<String>) -> Cow<'_, str> {
        s.as_deref().map(Cow::Borrowed).unwrap_or_default()
    }
    let mut row = Row::new(RowKind::Plain);
    row.text = [
        Cow::Borrowed(f.severity.label()),
        Cow::Borrowed(f.rule.as_str()),
        f.table
            .map(|n| Cow::Owned(format!("表{n}")))
            .unwrap_or_default(),
        opt(&f.row),
        opt(&f.column),
        f.location
            .as_ref()
            .map(|l| Cow::Owned(format!("{}!{}!{}", l.file, l.sheet, l.cell)))
            .unwrap_or_default(),
        opt(&f.expected),
        opt(&f.actual),
        Cow::Borrowed(f.message.as_str()),
    ];
    row
}

/// "一、一般公共服务支出" for the first item.
fn numbered(index: usize, name: &str) -> String {
    format!("{}、{name}", chinese_number(index + 1))
}

/// 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九; larger numbers in digits.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=99 => {
            let (tens, ones) = (n / 10, n % 10);
            let mut s = String::new();
            if tens > 1 {
                s.push_str(DIGITS[tens]);
            }
            s.push('十');
            if ones > 0 {
                s.push_str(DIGITS[ones]);
            }
            s
        }
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers_as_printed_in_item_lists() {
        let got: Vec<String> = [1, 4, 10, 11, 20, 23, 99, 100]
            .into_iter()
            .map(chinese_number)
            .collect();
        assert_eq!(
            got,
            ["一", "四", "十", "十一", "二十", "二十三", "九十九", "100"]
        );
        assert_eq!(numbered(1, "社会保障和就业支出"), "二、社会保障和就业支出");
    }
}
