//! Identities as linear relations over the model's amounts.
//!
//! The [`Ledger`] flattens a [`Budget`] into one value per cell ([`Slot`]), each with the unit
//! it was entered in and the rounding tolerance that unit implies. An [`Identity`] says
//! "Σ lhs = Σ rhs" (or ≤, ≥) over slots; evaluating it against the ledger (optionally with one
//! slot's value overridden, which is how `culprit` tries a correction) gives its residual.
//! Not for wording findings (see `describe`) nor for deciding which identities exist.

use super::fxhash::{FxHashMap, FxHashSet};
use super::keys;
use super::tolerance;
use crate::finding::Severity;
use crate::model::{Amounts, Budget, CellKey, Classified, Line, MoneyUnit, Narrative, TableId};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// A figure of the 编制说明 prose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prose {
    /// 收入预算 N 万元.
    Income,
    /// 支出预算 N 万元.
    Expenditure,
    /// 财政拨款收入 N 万元.
    Fiscal,
    /// 其他收入 N 万元.
    Other,
}

impl Prose {
    /// Each figure with the amount the 编制说明 states for it (None when it states none).
    pub fn figures(n: &Narrative) -> [(Prose, Option<Decimal>); 4] {
        [
            (Prose::Income, n.income_total),
            (Prose::Expenditure, n.expenditure_total),
            (Prose::Fiscal, n.fiscal_income),
            (Prose::Other, n.other_income),
        ]
    }

    /// The words the prose uses.
    pub fn label(self) -> &'static str {
        match self {
            Prose::Income => "收入预算",
            Prose::Expenditure => "支出预算",
            Prose::Fiscal => "财政拨款收入",
            Prose::Other => "其他收入",
        }
    }
}

/// One amount an identity can refer to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// An amount cell of one of the nine tables.
    Cell(CellKey),
    /// A figure of the 编制说明 prose.
    Prose(Prose),
}

/// How a slot's value is shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// As entered in 元 or 万元.
    Unit(MoneyUnit),
    /// As prose 万元 with the given precision in 元.
    Prose(Decimal),
}

/// One value of the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The amount in 元.
    pub value: Decimal,
    /// The rounding this term may carry, in 元.
    pub tolerance: Decimal,
    /// How the value was entered (for showing it back).
    pub shown: Shown,
}

/// Every amount of a budget, by slot.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: FxHashMap<Slot, Entry>,
}

impl Ledger {
    /// Flattens a budget. Only the first row of a duplicated code is kept (duplicates are a
    /// structure finding).
    pub fn new(budget: &Budget) -> Ledger {
        let mut ledger = Ledger {
            entries: FxHashMap::with_capacity_and_hasher(cell_count(budget), Default::default()),
        };
        ledger.add_classified(TableId::T2, &budget.income);
        ledger.add_classified(TableId::T3, &budget.expenditure);
        ledger.add_classified(TableId::T5, &budget.general);
        ledger.add_classified(TableId::T6, &budget.fund);
        ledger.add_classified(TableId::T7, &budget.capital);
        ledger.add_classified(TableId::T8, &budget.economic);
        ledger.add_overview(budget);
        ledger.add_fiscal(budget);
        ledger.add_table9(budget);
        ledger.add_prose(budget);
        ledger
    }

    /// The entry of a slot, if the budget has that amount.
    pub fn entry(&self, slot: &Slot) -> Option<&Entry> {
        self.entries.get(slot)
    }

    /// The value of a slot in 元 (zero when absent: a blank amount is zero).
    pub fn value(&self, slot: &Slot) -> Decimal {
        self.entries.get(slot).map(|e| e.value).unwrap_or_default()
    }

    /// True when the budget has this amount.
    pub fn has(&self, slot: &Slot) -> bool {
        self.entries.contains_key(slot)
    }

    /// All slots with their entries.
    pub fn iter(&self) -> impl Iterator<Item = (&Slot, &Entry)> {
        self.entries.iter()
    }

    fn put(&mut self, key: CellKey, value: Decimal, unit: MoneyUnit) {
        self.entries.entry(Slot::Cell(key)).or_insert(Entry {
            value,
            tolerance: tolerance::per_term(unit),
            shown: Shown::Unit(unit),
        });
    }

    fn add_classified<A: Amounts>(&mut self, table: TableId, t: &Classified<A>) {
        let columns = A::COLUMNS.len();
        for line in &t.lines {
            for c in 0..columns {
                let key = keys::coded(table, &line.code, c);
                self.put(key, line.amounts.get(c), t.unit);
            }
        }
        if let Some(total) = &t.total {
            for c in 0..columns {
                self.put(keys::total(table, c), total.get(c), t.unit);
            }
        }
    }

    fn add_overview(&mut self, budget: &Budget) {
        let Some(o) = &budget.stated_overview else {
            return;
        };
        for (label, v) in &o.income {
            self.put(keys::t1_income(label), *v, o.unit);
        }
        if let Some(v) = o.income_total {
            self.put(keys::t1_income(keys::INCOME_TOTAL), v, o.unit);
        }
        for (name, v) in &o.expenditure {
            self.put(keys::t1_expenditure(name), *v, o.unit);
        }
        if let Some(v) = o.expenditure_total {
            self.put(keys::t1_expenditure(keys::EXPENDITURE_TOTAL), v, o.unit);
        }
        // The unit-level split: only the parts the table states.
        let splits = o.expenditure_split.iter().map(|(n, s)| (n.as_str(), s));
        let total = o
            .expenditure_total_split
            .iter()
            .map(|s| (keys::EXPENDITURE_TOTAL, s));
        for (name, s) in splits.chain(total) {
            for (column, value) in s.by_column() {
                if let Some(v) = value {
                    let key = keys::t1_expenditure_column(name, column);
                    self.put(key, v, o.unit);
                }
            }
        }
    }

    fn add_fiscal(&mut self, budget: &Budget) {
        let Some(f) = &budget.stated_fiscal else {
            return;
        };
        for (label, v) in &f.income {
            self.put(keys::t4_income(label), *v, f.unit);
        }
        if let Some(v) = f.income_total {
            self.put(keys::t4_income(keys::INCOME_TOTAL), v, f.unit);
        }
        let rows = f.expenditure.iter().map(|r| (r.name.as_str(), r));
        let total = f
            .expenditure_total
            .iter()
            .map(|r| (keys::EXPENDITURE_TOTAL, r));
        for (name, r) in rows.chain(total) {
            for (c, v) in [(1, r.total), (2, r.general), (3, r.fund), (4, r.capital)] {
                self.put(keys::t4_expenditure(name, c), v, f.unit);
            }
        }
    }

    fn add_table9(&mut self, budget: &Budget) {
        let t9 = &budget.table9;
        if let Some(p) = &t9.three_public {
            for (c, v) in p.figures().into_iter().enumerate() {
                self.put(keys::t9(c), v, t9.unit);
            }
        }
        if let Some(v) = t9.admin_running {
            self.put(keys::t9(keys::t9::ADMIN_RUNNING), v, t9.unit);
        }
    }

    fn add_prose(&mut self, budget: &Budget) {
        let Some(n) = &budget.narrative else {
            return;
        };
        for (p, v) in Prose::figures(n) {
            if let Some(value) = v {
                self.entries.insert(
                    Slot::Prose(p),
                    Entry {
                        value,
                        tolerance: tolerance::prose(n.precision),
                        shown: Shown::Prose(n.precision),
                    },
                );
            }
        }
    }

    /// The slots that make up a classified table's 合计 in `column`: the stated 合计 cell, or
    /// its 类 rows when the table printed no 合计 row, or nothing for an absent table.
    pub fn total_slots<A: Amounts>(
        &self,
        table: TableId,
        t: &Classified<A>,
        column: usize,
    ) -> Vec<Slot> {
        if t.total.is_some() {
            vec![Slot::Cell(keys::total(table, column))]
        } else {
            t.lei_lines()
                .map(|l| Slot::Cell(keys::coded(table, &l.code, column)))
                .collect()
        }
    }
}

/// How many amount cells the six coded tables can hold: every line and the 合计 row times the
/// table's columns (an upper bound: a line may repeat a code).
pub(super) fn coded_cells(budget: &Budget) -> usize {
    fn classified<A: Amounts>(t: &Classified<A>) -> usize {
        (t.lines.len() + 1) * A::COLUMNS.len()
    }
    classified(&budget.income)
        + classified(&budget.expenditure)
        + classified(&budget.general)
        + classified(&budget.fund)
        + classified(&budget.capital)
        + classified(&budget.economic)
}

/// About how many cells a budget has (an upper bound for the coded tables, which hold most of
/// them), so that the ledger is allocated once.
fn cell_count(budget: &Budget) -> usize {
    let overview = budget
        .stated_overview
        .as_ref()
        .map_or(0, |o| o.income.len() + o.expenditure.len() * 5 + 12);
    let fiscal = budget
        .stated_fiscal
        .as_ref()
        .map_or(0, |f| f.income.len() + f.expenditure.len() * 4 + 6);
    coded_cells(budget) + overview + fiscal + 12
}

/// How the two sides of an identity must compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Σ lhs = Σ rhs.
    Equal,
    /// Σ lhs ≥ Σ rhs.
    AtLeast,
    /// Σ lhs ≤ Σ rhs.
    AtMost,
}

/// One identity the tables must satisfy.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// The stable rule id reported with a failure.
    pub rule: &'static str,
    /// Error, or warning for identities that legitimately fail at times.
    pub severity: Severity,
    /// =, ≥ or ≤.
    pub relation: Relation,
    /// The cell the finding is reported at (the checked cell; may be a 合计 the table did not
    /// print, then `lhs` holds its 类 rows instead).
    pub at: Slot,
    /// The checked side when it is not `at` alone (see [`Identity::lhs`]); most identities
    /// check one cell and so need no list of their own.
    lhs: Option<Vec<Slot>>,
    /// The side it must equal (or be at least).
    pub rhs: Vec<Slot>,
    /// The rhs in words, e.g. "基本支出 + 项目支出" (borrowed when the words are fixed).
    pub explain: Cow<'static, str>,
}

impl Identity {
    /// An identity whose checked side is the single slot `at`.
    pub fn new(
        rule: &'static str,
        at: Slot,
        rhs: Vec<Slot>,
        explain: impl Into<Cow<'static, str>>,
    ) -> Self {
        Identity {
            rule,
            severity: Severity::Error,
            relation: Relation::Equal,
            lhs: None,
            at,
            rhs,
            explain: explain.into(),
        }
    }

    /// The same identity as "lhs ≥ rhs".
    pub fn at_least(mut self) -> Self {
        self.relation = Relation::AtLeast;
        self
    }

    /// The same identity as "lhs ≤ rhs".
    pub fn at_most(mut self) -> Self {
        self.relation = Relation::AtMost;
        self
    }

    /// The same identity reported as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// Replaces the checked side (for a 合计 that must be summed from its 类 rows).
    pub fn with_lhs(mut self, lhs: Vec<Slot>) -> Self {
        let only_at = matches!(lhs.as_slice(), [s] if *s == self.at);
        self.lhs = (!only_at).then_some(lhs);
        self
    }

    /// The checked side: `at` alone unless replaced by [`Identity::with_lhs`].
    pub fn lhs(&self) -> &[Slot] {
        match &self.lhs {
            Some(lhs) => lhs,
            None => std::slice::from_ref(&self.at),
        }
    }

    /// Every slot the identity mentions.
    pub fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.lhs().iter().chain(self.rhs.iter())
    }

    /// How often `slot` counts on the lhs minus on the rhs (its coefficient).
    pub fn coefficient(&self, slot: &Slot) -> i64 {
        let count = |side: &[Slot]| side.iter().filter(|s| *s == slot).count() as i64;
        count(self.lhs()) - count(&self.rhs)
    }

    /// Evaluates against the ledger, with `over` replacing one slot's value.
    pub fn evaluate(&self, ledger: &Ledger, over: Option<(&Slot, Decimal)>) -> Outcome {
        // An absent slot is zero (scale 0), and adding that changes neither the value nor its
        // scale: only present amounts and the override are added.
        let sum = |side: &[Slot]| {
            let mut total = Decimal::ZERO;
            for s in side {
                let value = match over {
                    Some((o, v)) if o == s => Some(v),
                    _ => ledger.entry(s).map(|e| e.value),
                };
                if let Some(v) = value {
                    total = saturating_add(total, v);
                }
            }
            total
        };
        let lhs = sum(self.lhs());
        let rhs = sum(&self.rhs);
        let gap = saturating_add(lhs, -rhs);
        // Tolerances are never negative, so a zero gap holds whatever the rounding allowed
        // (most identities): the tolerances are only added up when there is a gap.
        let holds = gap.is_zero() || {
            let allowed = self.allowed(ledger);
            match self.relation {
                Relation::Equal => gap.abs() <= allowed,
                Relation::AtLeast => gap >= -allowed,
                Relation::AtMost => gap <= allowed,
            }
        };
        Outcome {
            lhs,
            rhs,
            gap,
            holds,
        }
    }

    /// The rounding the identity's present terms may carry together, in 元 (an overridden
    /// slot keeps its entry's tolerance; an absent one has none).
    fn allowed(&self, ledger: &Ledger) -> Decimal {
        self.slots()
            .filter_map(|s| ledger.entry(s))
            .map(|e| e.tolerance)
            .filter(|t| !t.is_zero())
            .fold(Decimal::ZERO, saturating_add)
    }
}

/// Adds without panicking on absurd input amounts (beyond `Decimal`'s range).
pub fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or(if b.is_sign_negative() {
        Decimal::MIN
    } else {
        Decimal::MAX
    })
}

/// The result of evaluating an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Σ lhs in 元.
    pub lhs: Decimal,
    /// Σ rhs in 元.
    pub rhs: Decimal,
    /// lhs − rhs.
    pub gap: Decimal,
    /// Whether the identity holds within tolerance.
    pub holds: bool,
}

/// The rows of a table with each code's first occurrence only (duplicates are reported by
/// `structure`).
pub fn unique_lines<A>(t: &Classified<A>) -> impl Iterator<Item = &Line<A>> {
    let mut seen = FxHashSet::default();
    t.lines.iter().filter(move |l| seen.insert(&l.code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Code, SplitAmounts};

    fn budget_with_wan_line(total: i64, basic: i64) -> Budget {
        let mut b = Budget::default();
        b.expenditure.unit = MoneyUnit::WanYuan;
        b.expenditure.lines.push(Line {
            code: Code::new("201").unwrap(),
            name: "一般公共服务支出".into(),
            amounts: SplitAmounts {
                total: Decimal::from(total),
                basic: Decimal::from(basic),
                project: Decimal::ZERO,
            },
        });
        b
    }

    #[test]
    fn wan_identity_allows_fifty_yuan_per_term_and_no_more() {
        let code = Code::new("201").unwrap();
        let slot = |c| Slot::Cell(keys::coded(TableId::T3, &code, c));
        let id = Identity::new(
            "row-sum",
            slot(0),
            vec![slot(1), slot(2)],
            "基本支出 + 项目支出",
        );
        let ok = Ledger::new(&budget_with_wan_line(10_150, 10_000));
        assert!(id.evaluate(&ok, None).holds);
        let bad = Ledger::new(&budget_with_wan_line(10_151, 10_000));
        let out = id.evaluate(&bad, None);
        assert!(!out.holds);
        assert_eq!(out.gap, Decimal::from(151));
        assert!(
            id.evaluate(&bad, Some((&slot(1), Decimal::from(10_001))))
                .holds
        );
    }
}
