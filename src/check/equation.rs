//! Identities as linear relations over the model's amounts.
//!
//! The [`Ledger`] flattens a [`Budget`] into one value per cell ([`Slot`]), each with the unit
//! it was entered in and the rounding tolerance that unit implies, and numbers them: a
//! [`Term`] is an amount's position in the ledger, laid out table by table and row by row, so
//! that the rule modules name the amounts of a coded row without looking its cell key up.
//! An [`Identity`] says "Σ lhs = Σ rhs" (or ≤, ≥) over terms; whether it holds is decided in
//! whole 分 (exact integer sums), and evaluating it in `Decimal` (optionally with one term's
//! value overridden, which is how `culprit` tries a correction) gives its residual for a
//! finding. Not for wording findings (see `describe`) nor for deciding which identities exist.

use super::fxhash::FxHashMap;
use super::keys;
use super::tolerance;
use crate::finding::Severity;
use crate::model::{
    Amounts, Budget, CellKey, Classified, Code, MoneyUnit, NARRATIVE_FIGURES, Narrative, RowKey,
    TableId,
};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::hash_map::Entry as MapEntry;
use std::fmt;

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
        NARRATIVE_FIGURES
            .get(self.index())
            .copied()
            .unwrap_or_default()
    }

    /// The figure's index in `model::NARRATIVE_FIGURES`.
    fn index(self) -> usize {
        match self {
            Prose::Income => 0,
            Prose::Expenditure => 1,
            Prose::Fiscal => 2,
            Prose::Other => 3,
        }
    }

    /// The key of where the prose stated this figure in `Submission::sources`.
    pub fn source_key(self) -> CellKey {
        CellKey::narrative(self.index())
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

impl Entry {
    /// An amount entered in `unit`.
    fn entered(value: Decimal, unit: MoneyUnit) -> Entry {
        Entry {
            value,
            tolerance: tolerance::per_term(unit),
            shown: Shown::Unit(unit),
        }
    }
}

/// An amount in 元 as whole 分, when it has no finer digits.
fn to_fen(amount: Decimal) -> Option<i64> {
    let amount = if amount.scale() > 2 {
        amount.normalize()
    } else {
        amount
    };
    let factor = match amount.scale() {
        0 => 100,
        1 => 10,
        2 => 1,
        _ => return None,
    };
    i64::try_from(amount.mantissa()).ok()?.checked_mul(factor)
}

/// An amount's position in the [`Ledger`]: identities refer to amounts by term, so that
/// evaluating one reads a few array entries instead of looking cells up by key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Term(u32);

impl Term {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Where one coded table's cells lie in the ledger: row by row (each code's first row only),
/// every amount column, then the 合计 row when the table has one.
#[derive(Debug, Clone)]
struct CodedTable {
    table: TableId,
    /// The term of the first row's first cell.
    start: u32,
    /// Amount columns per row.
    columns: u32,
    /// The codes of the rows, in line order, each once.
    codes: Vec<Code>,
    /// The row of each code.
    rows: FxHashMap<Code, u32>,
    /// The term of the 合计 row's first cell, when the table printed one.
    total: Option<u32>,
}

impl CodedTable {
    fn term(&self, row: u32, column: usize) -> Term {
        Term(self.start + row * self.columns + column as u32)
    }

    /// The cell of a term, when it lies in this table.
    fn key(&self, term: Term) -> Option<CellKey> {
        let offset = term.0.checked_sub(self.start)?;
        let (row, column) = (offset / self.columns.max(1), offset % self.columns.max(1));
        let row = match self.codes.get(row as usize) {
            Some(code) => RowKey::Code(code.clone()),
            None if self.total.is_some() && row as usize == self.codes.len() => RowKey::Total,
            None => return None,
        };
        Some(CellKey {
            table: self.table,
            row,
            column: column as usize,
        })
    }

    fn column(&self, column: usize) -> Option<u32> {
        u32::try_from(column).ok().filter(|c| *c < self.columns)
    }
}

/// Every amount of a budget, each with its [`Term`]; slots an identity mentions that the
/// budget lacks get a term too (see [`Ledger::term`]), with no entry: they count as zero.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// The entry of each term (None for a slot the budget lacks).
    entries: Vec<Option<Entry>>,
    /// The value and tolerance of each term in whole 分 ((0, 0) for an absent amount), for
    /// deciding in integers whether an identity holds.
    fen: Vec<(i64, i64)>,
    /// Whether every amount and tolerance is whole 分 (else identities are evaluated in
    /// `Decimal`).
    all_fen: bool,
    /// The six coded tables (表2/3/5/6/7/8), found by code without hashing whole cell keys.
    coded: Vec<CodedTable>,
    /// The terms of every other slot (表1/4/9 labels, prose, slots the budget lacks).
    others: FxHashMap<Slot, Term>,
}

impl Ledger {
    /// Flattens a budget. Only the first row of a duplicated code is kept (duplicates are a
    /// structure finding).
    pub fn new(budget: &Budget) -> Ledger {
        let cells = cell_count(budget);
        let mut ledger = Ledger {
            entries: Vec::with_capacity(cells),
            fen: Vec::with_capacity(cells),
            all_fen: true,
            coded: Vec::with_capacity(6),
            others: FxHashMap::with_capacity_and_hasher(labelled_cells(budget), Default::default()),
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

    /// The term of a slot the ledger knows (the budget's amounts, and slots given a term).
    pub fn find(&self, slot: &Slot) -> Option<Term> {
        if let Slot::Cell(k) = slot
            && let Some(t) = self.coded_table(k.table)
        {
            let found = match &k.row {
                RowKey::Code(code) => t.rows.get(code).map(|r| t.start + r * t.columns),
                RowKey::Total => t.total,
                RowKey::Label(_) | RowKey::Narrative => None,
            };
            if let (Some(first), Some(column)) = (found, t.column(k.column)) {
                return Some(Term(first + column));
            }
        }
        self.others.get(slot).copied()
    }

    /// The term of `slot`, giving it one when the budget lacks the amount (it counts as zero).
    pub fn term(&mut self, slot: &Slot) -> Term {
        if let Some(term) = self.find(slot) {
            return term;
        }
        self.push_other(slot.clone(), None)
    }

    /// The terms of `slots`, in order (see [`Ledger::term`]).
    pub fn terms(&mut self, slots: &[Slot]) -> Vec<Term> {
        slots.iter().map(|s| self.term(s)).collect()
    }

    /// The slot of a term (None for a term of another ledger). Rebuilt from the layout, or
    /// searched for among the labelled slots: for wording findings, not for evaluating.
    pub fn slot(&self, term: Term) -> Option<Slot> {
        if let Some(key) = self.coded.iter().find_map(|t| t.key(term)) {
            return Some(Slot::Cell(key));
        }
        self.others
            .iter()
            .find(|(_, t)| **t == term)
            .map(|(s, _)| s.clone())
    }

    /// The entry of a term (None for an amount the budget lacks, or a term of another ledger).
    pub fn entry_of(&self, term: Term) -> Option<&Entry> {
        self.entries.get(term.index()).and_then(Option::as_ref)
    }

    fn fen_of(&self, term: Term) -> (i64, i64) {
        self.fen.get(term.index()).copied().unwrap_or_default()
    }

    /// Records an amount's value and tolerance in 分 (None: not whole 分).
    fn push_fen(&mut self, value: Option<i64>, tolerance: Option<i64>) {
        match (value, tolerance) {
            (Some(v), Some(t)) => self.fen.push((v, t)),
            _ => {
                self.all_fen = false;
                self.fen.push((0, 0));
            }
        }
    }

    /// The entry of a slot, if the budget has that amount.
    pub fn entry(&self, slot: &Slot) -> Option<&Entry> {
        self.find(slot).and_then(|t| self.entry_of(t))
    }

    /// The value of a slot in 元 (zero when absent: a blank amount is zero).
    pub fn value(&self, slot: &Slot) -> Decimal {
        self.entry(slot).map(|e| e.value).unwrap_or_default()
    }

    /// True when the budget has this amount.
    pub fn has(&self, slot: &Slot) -> bool {
        self.entry(slot).is_some()
    }

    /// All slots with their entries (the amounts the budget has).
    pub fn iter(&self) -> impl Iterator<Item = (Slot, &Entry)> {
        (0..self.next_term()).filter_map(|i| {
            let term = Term(i);
            let entry = self.entry_of(term)?;
            self.slot(term).map(|s| (s, entry))
        })
    }

    /// The codes of a coded table's rows in line order, each code once (its first row).
    pub fn codes(&self, table: TableId) -> &[Code] {
        self.coded_table(table).map_or(&[], |t| t.codes.as_slice())
    }

    /// The term of row `row` (an index into [`Ledger::codes`]) of a coded table in `column`.
    pub fn row_term(&self, table: TableId, row: usize, column: usize) -> Option<Term> {
        let t = self.coded_table(table)?;
        let row = u32::try_from(row)
            .ok()
            .filter(|r| (*r as usize) < t.codes.len())?;
        t.column(column).map(|_| t.term(row, column))
    }

    /// The row (an index into [`Ledger::codes`]) of a code in a coded table, when the table has
    /// that code.
    pub fn coded_row(&self, table: TableId, code: &Code) -> Option<usize> {
        let t = self.coded_table(table)?;
        t.rows.get(code).map(|r| *r as usize)
    }

    /// The term of a coded table's cell, when the table has that code.
    pub fn coded_term(&self, table: TableId, code: &Code, column: usize) -> Option<Term> {
        let t = self.coded_table(table)?;
        let row = *t.rows.get(code)?;
        t.column(column).map(|_| t.term(row, column))
    }

    /// The term of a coded table's 合计 row cell, when the table printed that row.
    pub fn total_term(&self, table: TableId, column: usize) -> Option<Term> {
        let t = self.coded_table(table)?;
        let column = t.column(column)?;
        t.total.map(|first| Term(first + column))
    }

    fn coded_table(&self, table: TableId) -> Option<&CodedTable> {
        self.coded.iter().find(|t| t.table == table)
    }

    fn next_term(&self) -> u32 {
        u32::try_from(self.entries.len()).unwrap_or(u32::MAX)
    }

    fn push_other(&mut self, slot: Slot, entry: Option<Entry>) -> Term {
        let term = Term(self.next_term());
        self.others.insert(slot, term);
        self.push_entry(entry);
        term
    }

    fn push_entry(&mut self, entry: Option<Entry>) {
        match &entry {
            Some(e) => self.push_fen(to_fen(e.value), to_fen(e.tolerance)),
            None => self.fen.push((0, 0)),
        }
        self.entries.push(entry);
    }

    /// Adds a labelled amount (表1/4/9); a repeated key keeps its first value.
    fn put(&mut self, key: CellKey, value: Decimal, unit: MoneyUnit) {
        let term = Term(self.next_term());
        if let MapEntry::Vacant(v) = self.others.entry(Slot::Cell(key)) {
            v.insert(term);
            self.push_entry(Some(Entry::entered(value, unit)));
        }
    }

    fn add_classified<A: Amounts>(&mut self, table: TableId, t: &Classified<A>) {
        let columns = A::COLUMNS.len();
        let mut coded = CodedTable {
            table,
            start: self.next_term(),
            columns: columns as u32,
            codes: Vec::with_capacity(t.lines.len()),
            rows: FxHashMap::with_capacity_and_hasher(t.lines.len(), Default::default()),
            total: None,
        };
        for line in &t.lines {
            let row = coded.codes.len() as u32;
            match coded.rows.entry(line.code.clone()) {
                MapEntry::Occupied(_) => continue,
                MapEntry::Vacant(v) => v.insert(row),
            };
            coded.codes.push(line.code.clone());
            self.push_row(&line.amounts, t.unit);
        }
        if let Some(total) = &t.total {
            coded.total = Some(self.next_term());
            self.push_row(total, t.unit);
        }
        self.coded.push(coded);
    }

    /// Adds a coded row's amounts, all entered in `unit`.
    fn push_row<A: Amounts>(&mut self, amounts: &A, unit: MoneyUnit) {
        let tolerance = tolerance::per_term(unit);
        let tolerance_fen = to_fen(tolerance);
        for column in 0..A::COLUMNS.len() {
            let value = amounts.get(column);
            self.push_fen(to_fen(value), tolerance_fen);
            self.entries.push(Some(Entry {
                value,
                tolerance,
                shown: Shown::Unit(unit),
            }));
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
                let entry = Entry {
                    value,
                    tolerance: tolerance::prose(n.precision),
                    shown: Shown::Prose(n.precision),
                };
                self.push_other(Slot::Prose(p), Some(entry));
            }
        }
    }

    /// The terms that make up a classified table's 合计 in `column`: the stated 合计 cell, or
    /// its 类 rows when the table printed no 合计 row (a repeated 类 counts each time), or
    /// nothing for an absent table.
    pub fn total_terms<A: Amounts>(
        &self,
        table: TableId,
        t: &Classified<A>,
        column: usize,
    ) -> Vec<Term> {
        match self.total_term(table, column) {
            Some(total) => vec![total],
            None => t
                .lei_lines()
                .filter_map(|l| self.coded_term(table, &l.code, column))
                .collect(),
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
    coded_cells(budget) + labelled_cells(budget)
}

/// About how many labelled cells (表1/4/9, prose) a budget has, and slots it lacks that the
/// identities mention.
fn labelled_cells(budget: &Budget) -> usize {
    let overview = budget
        .stated_overview
        .as_ref()
        .map_or(0, |o| o.income.len() + o.expenditure.len() * 5 + 12);
    let fiscal = budget
        .stated_fiscal
        .as_ref()
        .map_or(0, |f| f.income.len() + f.expenditure.len() * 4 + 6);
    overview + fiscal + 32
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
    /// print, then the checked side holds its 类 rows instead).
    pub at: Slot,
    /// The checked side's terms, then the other side's.
    terms: Terms,
    /// How many of `terms` are the checked side.
    lhs_len: usize,
    /// The rhs in words, e.g. "基本支出 + 项目支出".
    pub explain: Explain,
}

/// The other side of an identity in words, spelled out only when a failure is reported.
#[derive(Debug, Clone, PartialEq)]
pub enum Explain {
    /// Words, e.g. "基本支出 + 项目支出" (borrowed when fixed).
    Words(Cow<'static, str>),
    /// A table's 合计 row: "表5 合计".
    Total(TableId),
    /// A coded row's 合计 in a table: "表3 2010301 合计".
    RowTotal(TableId, Code),
}

impl fmt::Display for Explain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Explain::Words(w) => f.write_str(w),
            Explain::Total(table) => write!(f, "{table} 合计"),
            Explain::RowTotal(table, code) => write!(f, "{table} {code} 合计"),
        }
    }
}

impl From<&'static str> for Explain {
    fn from(words: &'static str) -> Self {
        Explain::Words(Cow::Borrowed(words))
    }
}

impl From<String> for Explain {
    fn from(words: String) -> Self {
        Explain::Words(Cow::Owned(words))
    }
}

/// How many terms an identity keeps without allocating: a row sum or a 表2/表3 pairing has a
/// handful; only roll-ups over many rows and column sums go beyond.
const INLINE_TERMS: usize = 7;

/// An identity's terms, inline when few, so that building thousands of identities per budget
/// allocates for almost none of them.
#[derive(Debug, Clone)]
enum Terms {
    /// Up to [`INLINE_TERMS`] terms: `len` of `terms` are used.
    Inline {
        len: u8,
        terms: [Term; INLINE_TERMS],
    },
    /// More terms.
    Heap(Vec<Term>),
}

impl Terms {
    fn new() -> Terms {
        Terms::Inline {
            len: 0,
            terms: [Term(0); INLINE_TERMS],
        }
    }

    fn push(&mut self, term: Term) {
        match self {
            Terms::Inline { len, terms } => match terms.get_mut(usize::from(*len)) {
                Some(free) => {
                    *free = term;
                    *len += 1;
                }
                None => {
                    let mut all = Vec::with_capacity(2 * INLINE_TERMS);
                    all.extend_from_slice(terms);
                    all.push(term);
                    *self = Terms::Heap(all);
                }
            },
            Terms::Heap(all) => all.push(term),
        }
    }

    fn as_slice(&self) -> &[Term] {
        match self {
            Terms::Inline { len, terms } => terms.get(..usize::from(*len)).unwrap_or_default(),
            Terms::Heap(all) => all,
        }
    }
}

impl Extend<Term> for Terms {
    fn extend<I: IntoIterator<Item = Term>>(&mut self, terms: I) {
        for term in terms {
            self.push(term);
        }
    }
}

impl PartialEq for Terms {
    fn eq(&self, other: &Terms) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Identity {
    /// An identity whose checked side is the single amount `at` (reported at its slot,
    /// evaluated by its term `at_term` of the ledger).
    pub fn new(
        rule: &'static str,
        at: Slot,
        at_term: Term,
        rhs: impl IntoIterator<Item = Term>,
        explain: impl Into<Explain>,
    ) -> Self {
        let mut terms = Terms::new();
        terms.push(at_term);
        terms.extend(rhs);
        Identity {
            rule,
            severity: Severity::Error,
            relation: Relation::Equal,
            at,
            terms,
            lhs_len: 1,
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
    pub fn with_lhs(mut self, lhs: impl IntoIterator<Item = Term>) -> Self {
        let mut terms = Terms::new();
        terms.extend(lhs);
        let lhs_len = terms.as_slice().len();
        terms.extend(self.rhs().iter().copied());
        self.terms = terms;
        self.lhs_len = lhs_len;
        self
    }

    /// The checked side: `at` alone unless replaced by [`Identity::with_lhs`].
    pub fn lhs(&self) -> &[Term] {
        self.terms().get(..self.lhs_len).unwrap_or_default()
    }

    /// The side the checked side must equal (or be at least, or at most).
    pub fn rhs(&self) -> &[Term] {
        self.terms().get(self.lhs_len..).unwrap_or_default()
    }

    /// Every term the identity mentions (the checked side first).
    pub fn terms(&self) -> &[Term] {
        self.terms.as_slice()
    }

    /// How often `term` counts on the lhs minus on the rhs (its coefficient).
    pub fn coefficient(&self, term: Term) -> i64 {
        let count = |side: &[Term]| side.iter().filter(|t| **t == term).count() as i64;
        count(self.lhs()) - count(self.rhs())
    }

    /// Evaluates against the ledger, with `over` replacing the value of one slot the ledger
    /// knows.
    pub fn evaluate(&self, ledger: &Ledger, over: Option<(&Slot, Decimal)>) -> Outcome {
        let over = over.and_then(|(slot, value)| ledger.find(slot).map(|t| (t, value)));
        self.evaluate_with(ledger, over)
    }

    /// Whether the identity holds against the ledger, with `over` replacing one term's value:
    /// decided in whole 分 when every amount is in whole 分 (exact, as
    /// [`Identity::evaluate_with`] is), without computing the sums' `Decimal`s.
    pub fn holds(&self, ledger: &Ledger, over: Option<(Term, Decimal)>) -> bool {
        self.holds_in_fen(ledger, over)
            .unwrap_or_else(|| self.evaluate_with(ledger, over).holds)
    }

    /// [`Identity::holds`] in 分, or None when an amount is finer than 分.
    fn holds_in_fen(&self, ledger: &Ledger, over: Option<(Term, Decimal)>) -> Option<bool> {
        if !ledger.all_fen {
            return None;
        }
        let over = match over {
            Some((term, value)) => Some((term, to_fen(value)?)),
            None => None,
        };
        let mut allowed: i128 = 0;
        let mut sum = |side: &[Term]| {
            let mut total: i128 = 0;
            for term in side {
                let (value, tolerance) = ledger.fen_of(*term);
                let value = match over {
                    Some((o, v)) if o == *term => v,
                    _ => value,
                };
                total += i128::from(value);
                allowed += i128::from(tolerance);
            }
            total
        };
        let gap = sum(self.lhs()) - sum(self.rhs());
        Some(
            gap == 0
                || match self.relation {
                    Relation::Equal => gap.abs() <= allowed,
                    Relation::AtLeast => gap >= -allowed,
                    Relation::AtMost => gap <= allowed,
                },
        )
    }

    /// Evaluates against the ledger, with `over` replacing one term's value.
    pub fn evaluate_with(&self, ledger: &Ledger, over: Option<(Term, Decimal)>) -> Outcome {
        // An absent amount is zero (scale 0), and adding that changes neither the value nor
        // its scale: only present amounts and the override are added.
        let sum = |side: &[Term]| {
            let mut total = Decimal::ZERO;
            for t in side {
                let value = match over {
                    Some((o, v)) if o == *t => Some(v),
                    _ => ledger.entry_of(*t).map(|e| e.value),
                };
                if let Some(v) = value {
                    total = saturating_add(total, v);
                }
            }
            total
        };
        let lhs = sum(self.lhs());
        let rhs = sum(self.rhs());
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
    /// term keeps its entry's tolerance; an absent one has none).
    pub fn allowed(&self, ledger: &Ledger) -> Decimal {
        self.terms()
            .iter()
            .filter_map(|t| ledger.entry_of(*t))
            .map(|e| e.tolerance)
            .filter(|t| !t.is_zero())
            .fold(Decimal::ZERO, saturating_add)
    }
}

/// Adds without panicking on absurd input amounts (beyond `Decimal`'s range).
pub fn saturating_add(a: Decimal, b: Decimal) -> Decimal {
    a.checked_add(b).unwrap_or_else(|| {
        if b.is_sign_negative() {
            Decimal::MIN
        } else {
            Decimal::MAX
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Line, SplitAmounts};

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
        let ok = Ledger::new(&budget_with_wan_line(10_150, 10_000));
        let term = |c| ok.coded_term(TableId::T3, &code, c).unwrap();
        let id = Identity::new(
            "row-sum",
            slot(0),
            term(0),
            [term(1), term(2)],
            "基本支出 + 项目支出",
        );
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
