//! Checks: every identity of the nine tables over the canonical model, as findings that name
//! the submitted cell. Pure: no I/O, no printing (rendering is `report`'s business).
//!
//! The pipeline: the budget is flattened into a [`equation::Ledger`] (one value per cell, with
//! the rounding its unit allows); the rule modules state identities as linear relations over
//! those cells ([`row_sums`], [`rollups`], [`cross`]); every identity is evaluated, each failure
//! becomes a finding, and [`culprit`] names the single cell that explains a group of failures.
//! [`structure`] adds findings about codes and rows that are not identities.
//!
//! Rule ids (stable; `Finding::rule`), errors unless marked:
//! - `row-sum` 合计 = its parts within a row; `rollup` 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类.
//! - `t1-income`, `t1-expenditure`, `t1-sum`, `t1-balance`: a stated 表1 against 表2/3/5/6/7
//!   and itself (an unrecognised income label is a warning). A unit-level 表1's split
//!   ([`unit_overview`]): `row-sum` 基本支出 = 人员经费 + 公用经费, 合计 = 基本支出 + 项目支出;
//!   `t1-sum` per split column; `t1-expenditure` 基本支出/项目支出 per 类 = 表3's; `t1-t8`
//!   Σ 人员经费 and Σ 公用经费 = 表8's (at least, when some 基本支出 is not 一般公共预算).
//! - `t2-t3` equal 合计 per code and in total; `t2-t3-codes` a code only one of them lists
//!   (a warning when that row is empty).
//! - `t4-income`, `t4-expenditure`, `t4-sum`, `t4-balance`: a stated 表4 against 表2/5/6/7.
//! - `fiscal-within-total` 表5 + 表6 + 表7 ≤ 表3; `t5-t8` 表5 基本支出 = 表8 合计.
//! - `t9-admin` 机关运行经费 = 表8 公用经费 (unit kind known); `t9-three-public` (warning)
//!   三公 items at least the matching 表8 basic items.
//! - `narrative` 编制说明 figures = 表1 within their rounding.
//! - `culprit` the single cell that explains a group of failures.
//! - `duplicate-code`, `missing-parent`, `nesting` (a warning when only the print order is
//!   off); warnings `negative`, `unknown-code`, `code-name`, `obsolete-name`, `missing-table`.
//! - Met while loading (`recognize`): `unreadable-cell` (error); warnings `duplicate-table` and
//!   `unknown-unit-kind` (a workbook's 单位类型 property that names no kind, ignored).
//!
//! A finding about an amount names the amount's cell. One about a row's code
//! (`duplicate-code`, `missing-parent`, `nesting`, `unknown-code`, `t2-t3-codes`) or its name
//! (`code-name`, `obsolete-name`) names the cell the code or name was read from
//! ([`describe::label_location`]). One about the label of a 表1/表4 row (`t1-income`,
//! `t4-income` for a label that names no known item; `t1-expenditure`, `t4-expenditure` for a
//! 类 name the other tables do not have) names the label's cell and no column
//! ([`describe::row_label_location`]), and one about a 编制说明 figure (`narrative`, or a
//! `culprit` there) the prose cell it was read from.

pub mod codes;
pub mod cross;
pub mod culprit;
pub mod describe;
pub mod equation;
mod fxhash;
pub mod keys;
pub mod rollups;
pub mod row_sums;
pub mod structure;
pub mod tolerance;
pub mod unit_overview;

use crate::finding::Finding;
use crate::model::{Budget, Location, SourceMap};
use crate::recognize::Submission;
use crate::recognize::UNREADABLE;
use equation::{Identity, Ledger, Outcome};
use std::cmp::Ordering;
use std::collections::HashSet;

/// All findings for a submission (including those met while reading it), in a stable order:
/// table, row, column, rule.
///
/// A cell that could not be read (`#REF!`, a formula never calculated) is already reported and
/// taken as 0; identities over it are not reported again, since their failure says nothing
/// new (the culprit finding may still suggest the value it should have).
pub fn check(submission: &Submission) -> Vec<Finding> {
    let unreadable: HashSet<&Location> = submission
        .findings
        .iter()
        .filter(|f| f.rule == UNREADABLE)
        .filter_map(|f| f.location.as_ref())
        .collect();
    let mut findings = submission.findings.clone();
    findings.extend(check_with(
        &submission.budget,
        &submission.sources,
        &unreadable,
    ));
    sort(&mut findings);
    findings
}

/// The findings of the checks alone, for a budget and where its amounts came from.
pub fn check_budget(budget: &Budget, sources: &SourceMap) -> Vec<Finding> {
    check_with(budget, sources, &HashSet::new())
}

/// The checks, leaving out identity failures that involve an `unreadable` cell.
fn check_with(
    budget: &Budget,
    sources: &SourceMap,
    unreadable: &HashSet<&Location>,
) -> Vec<Finding> {
    let mut checked = Checked::new(budget, sources);
    let mut findings = std::mem::take(&mut checked.findings);
    let touches_unreadable = |identity: &Identity| {
        let at = describe::location(sources, &identity.at);
        let terms = identity.terms().iter();
        let slots = terms.filter_map(|t| checked.ledger.slot(*t));
        at.into_iter()
            .chain(slots.filter_map(|slot| describe::location(sources, &slot)))
            .any(|l| unreadable.contains(&l))
    };
    let outcomes = checked.identities.iter().zip(&checked.outcomes);
    for (identity, outcome) in outcomes.filter_map(|(i, o)| o.as_ref().map(|o| (i, o))) {
        if !outcome.holds && !touches_unreadable(identity) {
            findings.push(describe::identity_failure(
                &checked.ledger,
                budget,
                sources,
                identity,
                outcome,
            ));
        }
    }
    let culprits = culprit::culprits(&checked.ledger, &checked.identities, &checked.outcomes);
    findings.extend(
        culprits
            .iter()
            .flat_map(|c| culprit::findings(&checked.ledger, budget, sources, c)),
    );
    findings.extend(structure::findings(budget, sources));
    sort(&mut findings);
    findings
}

/// The probable culprits of a budget's failing identities (what the `culprit` findings say),
/// for callers that want the cell keys rather than the wording.
pub fn culprits(budget: &Budget) -> Vec<culprit::Culprit> {
    let checked = Checked::new(budget, &SourceMap::new());
    culprit::culprits(&checked.ledger, &checked.identities, &checked.outcomes)
}

/// Every identity the budget must satisfy (row sums, roll-ups, cross-table), in rule order;
/// their terms are those of `equation::Ledger::new(budget)`.
pub fn identities(budget: &Budget) -> Vec<Identity> {
    Checked::new(budget, &SourceMap::new()).identities
}

/// A budget with its identities evaluated.
struct Checked {
    ledger: Ledger,
    identities: Vec<Identity>,
    /// Each identity's outcome; None for one found to hold without its sums (most).
    outcomes: Vec<Option<Outcome>>,
    findings: Vec<Finding>,
}

impl Checked {
    fn new(budget: &Budget, sources: &SourceMap) -> Checked {
        let mut ledger = Ledger::new(budget);
        let mut identities = Vec::with_capacity(expected_identities(budget));
        row_sums::push_identities(budget, &mut ledger, &mut identities);
        rollups::push_identities(budget, &ledger, &mut identities);
        unit_overview::push_identities(budget, &mut ledger, &mut identities);
        let findings = cross::push_identities(budget, &mut ledger, sources, &mut identities);
        let outcomes = identities
            .iter()
            .map(|i| (!i.holds(&ledger, None)).then(|| i.evaluate_with(&ledger, None)))
            .collect();
        Checked {
            ledger,
            identities,
            outcomes,
            findings,
        }
    }
}

/// A generous estimate of how many identities a budget has (about one per cell of the coded
/// tables, plus the fixed ones), so that they are collected without moving them.
fn expected_identities(budget: &Budget) -> usize {
    let stated = |n: usize| 4 * n + 16;
    equation::coded_cells(budget)
        + budget
            .stated_overview
            .as_ref()
            .map_or(0, |o| stated(o.income.len() + o.expenditure.len()))
        + budget
            .stated_fiscal
            .as_ref()
            .map_or(0, |f| stated(f.income.len() + f.expenditure.len()))
        + 32
}

/// Sorts findings by table, row (codes in code order, then labels, then 合计), column (in
/// printed order), rule, then message.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(compare);
}

fn compare(a: &Finding, b: &Finding) -> Ordering {
    let table = |f: &Finding| f.table.unwrap_or(0);
    table(a)
        .cmp(&table(b))
        .then_with(|| row_rank(a).cmp(&row_rank(b)))
        .then_with(|| column_rank(a).cmp(&column_rank(b)))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.message.cmp(&b.message))
}

fn row_rank(f: &Finding) -> (u8, &str) {
    match f.row.as_deref() {
        None => (0, ""),
        Some("合计") => (3, ""),
        Some(r) if r.bytes().all(|b| b.is_ascii_digit()) => (1, r),
        Some(r) => (2, r),
    }
}

fn column_rank(f: &Finding) -> usize {
    let table = f.table.and_then(crate::model::TableId::from_number);
    match (table, f.column.as_deref()) {
        (Some(t), Some(c)) => keys::columns(t)
            .iter()
            .position(|h| *h == c)
            .map_or(usize::MAX, |i| i + 1),
        _ => 0,
    }
}

/// Small hand-made budgets for the unit tests of the rule modules.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::{Amounts, Classified, Code, Line, MoneyUnit};
    use rust_decimal::Decimal;

    /// A line with the given column values (元).
    pub fn line<A: Amounts>(code: &str, name: &str, values: &[i64]) -> Line<A> {
        let values: Vec<Decimal> = values.iter().map(|v| Decimal::from(*v)).collect();
        Line {
            code: Code::new(code).expect("test code"),
            name: name.to_string(),
            amounts: A::from_values(&values),
        }
    }

    /// A present table of these lines and an optional 合计 row.
    pub fn table<A: Amounts>(
        unit: MoneyUnit,
        lines: Vec<Line<A>>,
        total: Option<&[i64]>,
    ) -> Classified<A> {
        let total = total.map(|t| {
            let values: Vec<Decimal> = t.iter().map(|v| Decimal::from(*v)).collect();
            A::from_values(&values)
        });
        Classified {
            lines,
            total,
            unit,
            present: true,
        }
    }
}
