//! Cross-table identities: 表1 (as stated, item by item against `derive::overview`) with 表2/3;
//! 表2 and 表3 listing the same codes with equal 合计; 表4 (as stated, against
//! `derive::fiscal_overview`) with 表5/6/7; fiscal money within all money (表5 + 表6 + 表7 ≤
//! 表3 per code); 表5 基本支出 = 表8 合计; 表9 机关运行经费 and 三公 against 表8; the 编制说明
//! prose against 表1. Rows that cannot be paired at all (a 表1 类 name 表3 does not have, a code
//! only one of 表2/表3 lists) become findings directly. Not for sums within one table.

use super::codes::{LeiRows, PrintedLei, normalize_name, normalized};
use super::describe::{self, Label, finding_at};
use super::equation::{Explain, Identity, Ledger, Prose, Slot, Term};
use super::keys::{self, t9};
use crate::derive;
use crate::finding::{Finding, Severity};
use crate::model::{
    Budget, Classified, Code, FiscalOverview, Overview, SourceMap, SplitAmounts, TableId,
};
use crate::money::format_amount;
use std::collections::BTreeSet;

/// Codes of rows, each once, in code order.
fn sorted_codes<'a>(codes: impl Iterator<Item = &'a Code>) -> Vec<&'a Code> {
    let mut codes: Vec<&Code> = codes.collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Appends every cross-table identity of the budget to `identities`; returns the findings for
/// unpairable rows.
pub fn push_identities(
    budget: &Budget,
    ledger: &mut Ledger,
    sources: &SourceMap,
    identities: &mut Vec<Identity>,
) -> Vec<Finding> {
    let mut cx = Context {
        budget,
        ledger,
        sources,
        identities,
        findings: Vec::new(),
        fiscal_leis: None,
    };
    cx.overview();
    cx.income_expenditure_rows();
    cx.fiscal_overview();
    cx.fiscal_within_total();
    cx.basic_is_economic();
    cx.admin_running();
    cx.three_public();
    cx.narrative();
    cx.findings
}

/// True when the table was in the input (or has any amount).
pub(super) fn has<A>(t: &Classified<A>) -> bool {
    t.present || !t.lines.is_empty() || t.total.is_some()
}

/// 表5, 表6, 表7 for those ids, 表3 for any other.
fn split_of(budget: &Budget, table: TableId) -> &Classified<SplitAmounts> {
    match table {
        TableId::T5 => &budget.general,
        TableId::T6 => &budget.fund,
        TableId::T7 => &budget.capital,
        _ => &budget.expenditure,
    }
}

/// 表4's fund columns (一般公共预算, 政府性基金, 国有资本经营) and the table each comes from.
const FISCAL_FUNDS: [(usize, TableId); 3] = [(2, TableId::T5), (3, TableId::T6), (4, TableId::T7)];

fn cell(key: crate::model::CellKey) -> Slot {
    Slot::Cell(key)
}

/// Which of the canonical 表1 income items (`derive::OVERVIEW_INCOME_LABELS`) a printed label
/// is, tolerating numbering and wording variants (e.g. 2026's `一、一般公共预算`).
pub fn overview_income_index(label: &str) -> Option<usize> {
    let s = normalized(label);
    [
        (0, "财政拨款"),
        (1, "一般公共预算"),
        (2, "政府性基金"),
        (3, "国有资本"),
        (5, "经营收入"),
        (4, "事业收入"),
        (6, "其他收入"),
    ]
    .into_iter()
    .find(|(_, word)| s.contains(word))
    .map(|(i, _)| i)
}

struct Context<'a> {
    budget: &'a Budget,
    ledger: &'a mut Ledger,
    sources: &'a SourceMap,
    identities: &'a mut Vec<Identity>,
    findings: Vec<Finding>,
    /// The 类 rows of 表5, 表6, 表7 and 表3 (in that order), for finding 表4's rows by name;
    /// made when first needed.
    fiscal_leis: Option<[LeiRows<'a, SplitAmounts>; 4]>,
}

impl Context<'_> {
    fn push(&mut self, identity: Identity) {
        self.identities.push(identity);
    }

    /// The term of a slot (one of its own when the budget lacks the amount).
    fn term(&mut self, slot: &Slot) -> Term {
        self.ledger.term(slot)
    }

    /// The identity "`at` = Σ `rhs`" (or ≥, ≤ when so marked).
    fn identity(
        &mut self,
        rule: &'static str,
        at: Slot,
        rhs: Vec<Term>,
        words: impl Into<Explain>,
    ) -> Identity {
        let at_term = self.term(&at);
        Identity::new(rule, at, at_term, rhs, words)
    }

    fn finding(&mut self, slot: &Slot, severity: Severity, rule: &str, message: String) {
        let f = finding_at(self.sources, slot, severity, rule, message);
        self.findings.push(f);
    }

    /// A finding about the label of the 表1/表4 row whose amount is `key` (a label that names
    /// no known item or 类): like one about a coded row's name, it names the label's cell and
    /// no amount column.
    fn label_finding(
        &mut self,
        key: crate::model::CellKey,
        severity: Severity,
        rule: &str,
        message: String,
    ) {
        let location = describe::row_label_location(self.sources, &key);
        let mut f = finding_at(self.sources, &cell(key), severity, rule, message);
        f.location = location;
        f.column = None;
        self.findings.push(f);
    }

    fn t2_total(&self, column: usize) -> Vec<Term> {
        self.ledger
            .total_terms(TableId::T2, &self.budget.income, column)
    }

    /// `total` equals 表2's 合计 in `column`, when 表2 was submitted at all.
    fn against_t2_total(
        &mut self,
        rule: &'static str,
        total: &Slot,
        column: usize,
        words: &'static str,
    ) {
        if has(&self.budget.income) {
            let rhs = self.t2_total(column);
            let identity = self.identity(rule, total.clone(), rhs, words);
            self.push(identity);
        }
    }

    fn split_total(&self, table: TableId, column: usize) -> Vec<Term> {
        let t = self.split(table);
        self.ledger.total_terms(table, t, column)
    }

    fn split(&self, table: TableId) -> &Classified<SplitAmounts> {
        split_of(self.budget, table)
    }

    /// The slots the canonical 表1 income item `index` must equal, or None when the table they
    /// come from (表2, 表5) is missing altogether (a missing 表6/7 means zero).
    fn overview_income_target(&self, index: usize) -> Option<(Vec<Term>, String)> {
        let t2 = has(&self.budget.income);
        let t5 = has(&self.budget.general);
        Some(match index {
            0 if t2 => (self.t2_total(1), "表2 合计行 财政拨款收入".into()),
            1 if t5 => (self.split_total(TableId::T5, 0), "表5 合计".into()),
            2 => (self.split_total(TableId::T6, 0), "表6 合计".into()),
            3 => (self.split_total(TableId::T7, 0), "表7 合计".into()),
            4 if t2 => (self.t2_total(2), "表2 合计行 事业收入".into()),
            5 if t2 => (self.t2_total(3), "表2 合计行 事业单位经营收入".into()),
            6 if t2 => (self.t2_total(4), "表2 合计行 其他收入".into()),
            _ => return None,
        })
    }

    /// 表1 as stated against 表2/3 and 表5-7, item by item and in its totals.
    fn overview(&mut self) {
        let Some(stated) = &self.budget.stated_overview else {
            return;
        };
        let derived = derive::overview(self.budget);
        let by_index = self.overview_income_items(stated);
        self.overview_missing_income(&derived, &by_index);
        self.overview_income_sums(stated, &by_index);
        self.overview_expenditure(stated, &derived);
        self.overview_expenditure_total(stated);
    }

    /// Pairs each stated 表1 income item with its source table; returns the slot of each
    /// canonical item (`derive::OVERVIEW_INCOME_LABELS` order) that 表1 states.
    fn overview_income_items(&mut self, stated: &Overview) -> [Option<Slot>; 7] {
        let mut by_index: [Option<Slot>; 7] = Default::default();
        for (label, _) in &stated.income {
            let slot = cell(keys::t1_income(label));
            let Some(i) = overview_income_index(label) else {
                self.label_finding(
                    keys::t1_income(label),
                    Severity::Warning,
                    "t1-income",
                    format!("表1 财务收支预算总表 收入项目“{label}”无法识别，未核对"),
                );
                continue;
            };
            if let Some((rhs, words)) = self.overview_income_target(i) {
                let identity = self.identity("t1-income", slot.clone(), rhs, words);
                self.push(identity);
            }
            if let Some(entry) = by_index.get_mut(i) {
                entry.get_or_insert(slot);
            }
        }
        by_index
    }

    /// An income item 表1 leaves out although the other tables give it an amount is an error.
    fn overview_missing_income(&mut self, derived: &Overview, by_index: &[Option<Slot>; 7]) {
        for (i, (label, amount)) in derived.income.iter().enumerate() {
            let missing = by_index.get(i).is_some_and(|s| s.is_none());
            if missing && !amount.is_zero() {
                let slot = cell(keys::t1_income(label));
                self.finding(
                    &slot,
                    Severity::Error,
                    "t1-income",
                    format!(
                        "表1 财务收支预算总表 缺少收入项目“{label}”，按表2、表5至表7应为 {}",
                        format_amount(*amount)
                    ),
                );
            }
        }
    }

    /// 财政拨款 = items 1-3, and 收入合计 = 财政拨款 + the other income items = 表2 合计.
    fn overview_income_sums(&mut self, stated: &Overview, by_index: &[Option<Slot>; 7]) {
        let pick = |is: &[usize]| -> Vec<Slot> {
            is.iter()
                .filter_map(|i| by_index.get(*i).cloned().flatten())
                .collect()
        };
        if let Some(fiscal) = by_index[0].clone() {
            let parts = self.ledger.terms(&pick(&[1, 2, 3]));
            let identity = self.identity("t1-sum", fiscal, parts, "1、2、3 项之和");
            self.push(identity);
        }
        if stated.income_total.is_some() {
            let income_total = cell(keys::t1_income(keys::INCOME_TOTAL));
            let parts = self.ledger.terms(&pick(&[0, 4, 5, 6]));
            let identity = self.identity("t1-sum", income_total.clone(), parts, "一至四项收入之和");
            self.push(identity);
            self.against_t2_total("t1-income", &income_total, 0, "表2 合计");
        }
    }

    /// 支出总计 = 收入总计, and = 表3 合计.
    fn overview_expenditure_total(&mut self, stated: &Overview) {
        if stated.expenditure_total.is_none() {
            return;
        }
        let income_total = cell(keys::t1_income(keys::INCOME_TOTAL));
        let spend_total = cell(keys::t1_expenditure(keys::EXPENDITURE_TOTAL));
        if stated.income_total.is_some() {
            let rhs = vec![self.term(&spend_total)];
            let identity = self.identity("t1-balance", income_total, rhs, "支出总计");
            self.push(identity);
        }
        if has(&self.budget.expenditure) {
            let rhs = self.split_total(TableId::T3, 0);
            let identity = self.identity("t1-expenditure", spend_total, rhs, "表3 合计");
            self.push(identity);
        }
    }

    fn overview_expenditure(&mut self, stated: &Overview, derived: &Overview) {
        let t3 = &self.budget.expenditure;
        let mut matched: BTreeSet<String> = BTreeSet::new();
        let mut items = Vec::new();
        let leis = LeiRows::new(t3);
        for (name, amount) in &stated.expenditure {
            let slot = cell(keys::t1_expenditure(name));
            items.push(self.term(&slot));
            let lei = leis.find(&PrintedLei::new(name));
            match lei {
                Some(l) => {
                    matched.insert(normalize_name(&l.name));
                    let rhs = vec![self.term(&cell(keys::coded(TableId::T3, &l.code, 0)))];
                    let words = format!("表3 {} {} 合计", l.code, l.name);
                    let identity = self.identity("t1-expenditure", slot, rhs, words);
                    self.push(identity);
                }
                None if has(t3) => self.label_finding(
                    keys::t1_expenditure(name),
                    if amount.is_zero() {
                        Severity::Warning
                    } else {
                        Severity::Error
                    },
                    "t1-expenditure",
                    format!(
                        "表1 财务收支预算总表 本年支出“{name}”在表3 支出预算总表中没有同名的类"
                    ),
                ),
                None => {}
            }
        }
        for (name, amount) in &derived.expenditure {
            if !matched.contains(normalized(name).as_ref()) && !amount.is_zero() {
                let slot = cell(keys::t1_expenditure(name));
                self.finding(
                    &slot,
                    Severity::Error,
                    "t1-expenditure",
                    format!(
                        "表1 财务收支预算总表 本年支出缺少“{name}”，按表3应为 {}",
                        format_amount(*amount)
                    ),
                );
            }
        }
        if stated.expenditure_total.is_some() {
            let total = cell(keys::t1_expenditure(keys::EXPENDITURE_TOTAL));
            let identity = self.identity("t1-sum", total, items, "本年支出各项之和");
            self.push(identity);
        }
    }

    /// 表2 and 表3 list the same codes, each row's 合计 agreeing, and equal 合计 rows.
    fn income_expenditure_rows(&mut self) {
        let budget = self.budget;
        let (t2, t3) = (&budget.income, &budget.expenditure);
        if !has(t2) || !has(t3) {
            return;
        }
        let codes2 = sorted_codes(t2.lines.iter().map(|l| &l.code));
        let codes3 = sorted_codes(t3.lines.iter().map(|l| &l.code));
        let listed = |codes: &[&Code], code| codes.binary_search(&code).is_ok();
        for code in sorted_codes(codes2.iter().chain(&codes3).copied()) {
            let s2 = cell(keys::coded(TableId::T2, code, 0));
            let s3 = cell(keys::coded(TableId::T3, code, 0));
            match (listed(&codes2, code), listed(&codes3, code)) {
                (true, true) => {
                    let words = Explain::RowTotal(TableId::T3, code.clone());
                    let rhs = vec![self.term(&s3)];
                    let identity = self.identity("t2-t3", s2, rhs, words);
                    self.push(identity);
                }
                (true, false) => self.unpaired(code, &s2, TableId::T2, TableId::T3),
                _ => self.unpaired(code, &s3, TableId::T3, TableId::T2),
            }
        }
        let lhs = self.t2_total(0);
        let rhs = self.split_total(TableId::T3, 0);
        let at = cell(keys::total(TableId::T2, 0));
        let identity = self.identity("t2-t3", at, rhs, "表3 合计").with_lhs(lhs);
        self.push(identity);
    }

    /// Reports a code one of 表2/表3 lists and the other does not: an error when the row has
    /// money, a warning for an empty row (printed for a 类 without money). The finding is
    /// about the code: it names the row's code cell in the table that lists it, and no amount
    /// column (the 合计's money only decides the severity).
    fn unpaired(&mut self, code: &Code, slot: &Slot, has_it: TableId, lacks: TableId) {
        let row = describe::row_words(self.ledger, self.budget, slot);
        let severity = if self.ledger.value(slot).is_zero() {
            Severity::Warning
        } else {
            Severity::Error
        };
        let message = format!(
            "{} 有科目 {row}，{} 没有（表2与表3应列出相同的科目）",
            describe::table_name(has_it),
            describe::table_name(lacks)
        );
        let mut f = finding_at(self.sources, slot, severity, "t2-t3-codes", message);
        f.location = describe::label_location(self.sources, has_it, code, Label::Code);
        f.column = None;
        self.findings.push(f);
    }

    /// The 类 code a printed 表4 expenditure name stands for (looked up in 表5/6/7, then 表3).
    fn lei_by_name(&mut self, name: &str) -> Option<Code> {
        let budget = self.budget;
        let leis = self.fiscal_leis.get_or_insert_with(|| {
            [TableId::T5, TableId::T6, TableId::T7, TableId::T3]
                .map(|t| LeiRows::new(split_of(budget, t)))
        });
        let printed = PrintedLei::new(name);
        leis.iter()
            .find_map(|rows| rows.find(&printed))
            .map(|l| l.code.clone())
    }

    /// 表4 as stated against 表2 and 表5-7, item by item and in its totals.
    fn fiscal_overview(&mut self) {
        let Some(stated) = &self.budget.stated_fiscal else {
            return;
        };
        self.fiscal_income(stated);
        let stated_codes = self.fiscal_expenditure_rows(stated);
        self.fiscal_missing_expenditure(&stated_codes);
        self.fiscal_expenditure_total(stated);
    }

    /// Each 表4 income item equals its fund table's 合计; 收入总计 is their sum and 表2's
    /// 财政拨款 合计.
    fn fiscal_income(&mut self, stated: &FiscalOverview) {
        let mut income_items = Vec::new();
        for (label, _) in &stated.income {
            let slot = cell(keys::t4_income(label));
            income_items.push(self.term(&slot));
            let fund = match overview_income_index(label) {
                Some(1) => TableId::T5,
                Some(2) => TableId::T6,
                Some(3) => TableId::T7,
                _ => {
                    self.label_finding(
                        keys::t4_income(label),
                        Severity::Warning,
                        "t4-income",
                        format!("表4 财政拨款收支预算总表 收入项目“{label}”无法识别，未核对"),
                    );
                    continue;
                }
            };
            let rhs = self.split_total(fund, 0);
            let identity = self.identity("t4-income", slot, rhs, Explain::Total(fund));
            self.push(identity);
        }
        if stated.income_total.is_some() {
            let income_total = cell(keys::t4_income(keys::INCOME_TOTAL));
            let identity =
                self.identity("t4-sum", income_total.clone(), income_items, "各项收入之和");
            self.push(identity);
            self.against_t2_total(
                "t4-income",
                &income_total,
                1,
                "表2 合计行 财政拨款收入（表1 一、财政拨款收入）",
            );
        }
    }

    /// Each stated 表4 expenditure row equals, fund by fund, the 类 row of 表5-7 with its name;
    /// returns the codes of the rows that were paired.
    fn fiscal_expenditure_rows(&mut self, stated: &FiscalOverview) -> BTreeSet<Code> {
        let mut stated_codes: BTreeSet<Code> = BTreeSet::new();
        for row in &stated.expenditure {
            let Some(code) = self.lei_by_name(&row.name) else {
                self.label_finding(
                    keys::t4_expenditure(&row.name, 1),
                    Severity::Error,
                    "t4-expenditure",
                    format!(
                        "表4 财政拨款收支预算总表 财政拨款支出“{}”在表5至表7中没有同名的类",
                        row.name
                    ),
                );
                continue;
            };
            for (column, table) in FISCAL_FUNDS {
                let slot = cell(keys::t4_expenditure(&row.name, column));
                let rhs = self
                    .ledger
                    .coded_term(table, &code, 0)
                    .into_iter()
                    .collect();
                let words = Explain::RowTotal(table, code.clone());
                let identity = self.identity("t4-expenditure", slot, rhs, words);
                self.push(identity);
            }
            stated_codes.insert(code);
        }
        stated_codes
    }

    /// A 类 with fiscal money in 表5-7 that 表4 does not state is an error.
    fn fiscal_missing_expenditure(&mut self, stated_codes: &BTreeSet<Code>) {
        for row in derive::fiscal_overview(self.budget).expenditure {
            let stated = self
                .lei_by_name(&row.name)
                .is_some_and(|c| stated_codes.contains(&c));
            if !stated && !row.total.is_zero() {
                let slot = cell(keys::t4_expenditure(&row.name, 1));
                self.finding(
                    &slot,
                    Severity::Error,
                    "t4-expenditure",
                    format!(
                        "表4 财政拨款收支预算总表 财政拨款支出缺少“{}”，按表5至表7应为 {}",
                        row.name,
                        format_amount(row.total)
                    ),
                );
            }
        }
    }

    /// 支出总计 is the sum of the 类 rows in each column, equals 收入总计, and each fund
    /// column equals that fund table's 合计.
    fn fiscal_expenditure_total(&mut self, stated: &FiscalOverview) {
        if stated.expenditure_total.is_none() {
            return;
        }
        let total = |c| cell(keys::t4_expenditure(keys::EXPENDITURE_TOTAL, c));
        for c in 1..=4 {
            let rows = stated
                .expenditure
                .iter()
                .map(|r| self.term(&cell(keys::t4_expenditure(&r.name, c))))
                .collect();
            let identity = self.identity("t4-sum", total(c), rows, "各类之和");
            self.push(identity);
        }
        if stated.income_total.is_some() {
            let income_total = vec![self.term(&cell(keys::t4_income(keys::INCOME_TOTAL)))];
            let identity = self.identity("t4-balance", total(1), income_total, "收入总计");
            self.push(identity);
        }
        for (column, table) in FISCAL_FUNDS {
            let rhs = self.split_total(table, 0);
            let words = Explain::Total(table);
            let identity = self.identity("t4-expenditure", total(column), rhs, words);
            self.push(identity);
        }
    }

    /// For every code and column: 表5 + 表6 + 表7 ≤ 表3.
    fn fiscal_within_total(&mut self) {
        if !has(&self.budget.expenditure) {
            return;
        }
        let funds = [TableId::T5, TableId::T6, TableId::T7];
        let budget = self.budget;
        let lines = [&budget.general, &budget.fund, &budget.capital].map(|t| &t.lines);
        let codes = sorted_codes(lines.iter().flat_map(|l| l.iter()).map(|l| &l.code));
        let words = "表5、表6、表7 同一科目之和";
        for code in codes {
            // Each table's row of the code, found once for the three columns.
            let rows = funds.map(|t| (t, self.ledger.coded_row(t, code)));
            let t3_row = self.ledger.coded_row(TableId::T3, code);
            for c in 0..3 {
                let at = cell(keys::coded(TableId::T3, code, c));
                let at_term = match t3_row.and_then(|r| self.ledger.row_term(TableId::T3, r, c)) {
                    Some(term) => term,
                    None => self.term(&at),
                };
                let rhs = rows
                    .iter()
                    .filter_map(|(t, row)| row.and_then(|r| self.ledger.row_term(*t, r, c)));
                let identity = Identity::new("fiscal-within-total", at, at_term, rhs, words);
                self.push(identity.at_least());
            }
        }
        if funds.iter().any(|t| has(self.split(*t))) {
            for c in 0..3 {
                let rhs = funds.iter().flat_map(|t| self.split_total(*t, c)).collect();
                let lhs = self.split_total(TableId::T3, c);
                let at = cell(keys::total(TableId::T3, c));
                let identity =
                    self.identity("fiscal-within-total", at, rhs, "表5、表6、表7 合计之和");
                self.push(identity.with_lhs(lhs).at_least());
            }
        }
    }

    /// 表5 基本支出 total = 表8 合计.
    fn basic_is_economic(&mut self) {
        if !has(&self.budget.general) || !has(&self.budget.economic) {
            return;
        }
        let lhs = self
            .ledger
            .total_terms(TableId::T8, &self.budget.economic, 0);
        let rhs = self.split_total(TableId::T5, 1);
        let at = cell(keys::total(TableId::T8, 0));
        let identity = self.identity("t5-t8", at, rhs, "表5 合计行 基本支出");
        self.push(identity.with_lhs(lhs));
    }

    /// 表9 机关运行经费 against 表8 公用经费, as far as the unit kind allows.
    fn admin_running(&mut self) {
        let t9 = &self.budget.table9;
        if t9.admin_running.is_some() {
            let at = cell(keys::t9(t9::ADMIN_RUNNING));
            let public = self
                .ledger
                .total_terms(TableId::T8, &self.budget.economic, 2);
            let id = match self.budget.meta.unit_kind {
                Some(kind) if kind.has_admin_running_cost() => self.identity(
                    "t9-admin",
                    at,
                    public,
                    "表8 合计行 公用经费（行政、参公单位）",
                ),
                Some(_) => {
                    self.identity("t9-admin", at, Vec::new(), "0（事业单位没有机关运行经费）")
                }
                // Unknown kind: the 公用经费 of some units at most, never more than all of it.
                None if has(&self.budget.economic) => self
                    .identity(
                        "t9-admin",
                        at,
                        public,
                        "表8 合计行 公用经费（单位类型未知，不应超过）",
                    )
                    .at_most(),
                None => return,
            };
            self.push(id);
        }
    }

    /// 三公 items at least the matching 表8 basic items (warnings).
    fn three_public(&mut self) {
        let t9 = &self.budget.table9;
        if t9.three_public.is_none() {
            return;
        }
        let pairs = [
            (t9::OVERSEAS, "30212"),
            (t9::RECEPTION, "30217"),
            (t9::VEHICLE_RUNNING, "30231"),
        ];
        for (column, code) in pairs {
            let Some(code) = Code::new(code) else {
                continue;
            };
            let Some(line) = self.budget.economic.line(&code) else {
                continue;
            };
            let words = format!("表8 {code} {} 合计（基本支出部分）", line.name);
            let rhs = vec![self.term(&cell(keys::coded(TableId::T8, &code, 0)))];
            let id = self
                .identity("t9-three-public", cell(keys::t9(column)), rhs, words)
                .at_least()
                .warning();
            self.push(id);
        }
    }

    /// 编制说明 figures against 表1 (or the base tables when no 表1 was stated).
    fn narrative(&mut self) {
        let Some(n) = &self.budget.narrative else {
            return;
        };
        for (prose, value) in Prose::figures(n) {
            if value.is_none() {
                continue;
            }
            if let Some((rhs, words)) = self.prose_target(prose) {
                let identity = self.identity("narrative", Slot::Prose(prose), rhs, words);
                self.push(identity);
            }
        }
    }

    /// What a prose figure is compared with: the stated 表1 cell, else the base table's 合计
    /// (None when that table is missing as well).
    fn prose_target(&mut self, prose: Prose) -> Option<(Vec<Term>, &'static str)> {
        let t1 = self.budget.stated_overview.as_ref();
        let stated_item = |index: usize| {
            t1.and_then(|o| {
                o.income
                    .iter()
                    .find(|(l, _)| overview_income_index(l) == Some(index))
                    .map(|(l, _)| keys::t1_income(l))
            })
        };
        let (stated, words) = match prose {
            Prose::Income => (
                t1.and_then(|o| o.income_total)
                    .map(|_| keys::t1_income(keys::INCOME_TOTAL)),
                "表1 收入总计",
            ),
            Prose::Expenditure => (
                t1.and_then(|o| o.expenditure_total)
                    .map(|_| keys::t1_expenditure(keys::EXPENDITURE_TOTAL)),
                "表1 支出总计",
            ),
            Prose::Fiscal => (stated_item(0), "表1 一、财政拨款收入"),
            Prose::Other => (stated_item(6), "表1 四、其他收入"),
        };
        if let Some(key) = stated {
            return Some((vec![self.term(&cell(key))], words));
        }
        let income = has(&self.budget.income);
        let (present, slots, words) = match prose {
            Prose::Income => (income, self.t2_total(0), "表2 合计"),
            Prose::Expenditure => (
                has(&self.budget.expenditure),
                self.split_total(TableId::T3, 0),
                "表3 合计",
            ),
            Prose::Fiscal => (income, self.t2_total(1), "表2 合计行 财政拨款收入"),
            Prose::Other => (income, self.t2_total(4), "表2 合计行 其他收入"),
        };
        present.then_some((slots, words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn income_labels_map_to_canonical_items() {
        assert_eq!(overview_income_index("一、财政拨款收入"), Some(0));
        assert_eq!(overview_income_index("1、一般公共预算资金"), Some(1));
        assert_eq!(overview_income_index("一、一般公共预算"), Some(1));
        assert_eq!(overview_income_index("2、政府性基金"), Some(2));
        assert_eq!(overview_income_index("3、国有资本经营预算"), Some(3));
        assert_eq!(overview_income_index("二、事业收入"), Some(4));
        assert_eq!(overview_income_index("三、事业单位经营收入"), Some(5));
        assert_eq!(overview_income_index("四、其他收入"), Some(6));
        assert_eq!(overview_income_index("上年结转"), None);
    }
}

#[cfg(test)]
mod budget_tests {
    use crate::check::check_budget;
    use crate::check::testing::{line, table};
    use crate::derive;
    use crate::model::{Budget, IncomeAmounts, MoneyUnit, SourceMap, SplitAmounts};
    use rust_decimal::Decimal;

    /// The findings apart from the missing 表8 these small budgets do without.
    fn check(b: &Budget) -> Vec<crate::finding::Finding> {
        let mut found = check_budget(b, &SourceMap::new());
        found.retain(|f| f.rule != "missing-table");
        found
    }

    fn health_only() -> Budget {
        let lines: Vec<crate::model::Line<SplitAmounts>> = vec![
            line("210", "卫生健康支出", &[100, 100, 0]),
            line("21011", "行政事业单位医疗", &[100, 100, 0]),
        ];
        let income: Vec<crate::model::Line<IncomeAmounts>> = vec![
            line("210", "卫生健康支出", &[100, 100, 0, 0, 0]),
            line("21011", "行政事业单位医疗", &[100, 100, 0, 0, 0]),
        ];
        let mut b = Budget {
            income: table(MoneyUnit::Yuan, income, Some(&[100, 100, 0, 0, 0])),
            expenditure: table(MoneyUnit::Yuan, lines.clone(), Some(&[100, 100, 0])),
            general: table(MoneyUnit::Yuan, lines, Some(&[100, 100, 0])),
            ..Budget::default()
        };
        b.stated_overview = Some(derive::overview(&b));
        b.stated_fiscal = Some(derive::fiscal_overview(&b));
        b
    }

    #[test]
    fn overview_names_match_through_obsolete_names() {
        let mut b = health_only();
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure[0].0 = "医疗卫生与计划生育支出".into();
            o.income.retain(|(_, v)| !v.is_zero());
        }
        assert_eq!(check(&b), Vec::new());
    }

    #[test]
    fn stated_fiscal_overview_is_compared_cell_by_cell() {
        let mut b = health_only();
        if let Some(f) = b.stated_fiscal.as_mut() {
            f.expenditure[0].general = Decimal::from(90);
        }
        let found: Vec<(String, Option<String>, Option<String>)> = check(&b)
            .into_iter()
            .map(|f| (f.rule, f.row, f.column))
            .collect();
        let row = || Some("卫生健康支出".to_string());
        assert_eq!(
            found,
            [
                ("row-sum".into(), row(), Some("合计".into())),
                ("culprit".into(), row(), Some("一般公共预算".into())),
                ("t4-expenditure".into(), row(), Some("一般公共预算".into())),
                (
                    "t4-sum".into(),
                    Some("支出总计".into()),
                    Some("一般公共预算".into())
                ),
            ]
        );
    }

    #[test]
    fn a_missing_income_table_does_not_cascade_into_table1_or_prose_errors() {
        let mut b = health_only();
        b.income = Default::default();
        b.narrative = Some(crate::model::Narrative {
            income_total: None,
            expenditure_total: None,
            fiscal_income: None,
            other_income: Some(Decimal::ZERO),
            precision: Decimal::from(10_000),
        });
        if let Some(o) = b.stated_overview.as_mut() {
            o.income.retain(|(l, _)| !l.contains("其他"));
        }
        let found: Vec<(String, Option<u8>)> = check_budget(&b, &SourceMap::new())
            .into_iter()
            .map(|f| (f.rule, f.table))
            .collect();
        let missing = |t| ("missing-table".to_string(), Some(t));
        assert_eq!(found, [missing(2), missing(8)]);
    }

    #[test]
    fn fiscal_money_above_all_money_is_an_error() {
        let mut b = health_only();
        b.general.lines[1].amounts.basic = Decimal::from(120);
        b.general.lines[1].amounts.total = Decimal::from(120);
        let found = check(&b);
        assert!(
            found
                .iter()
                .any(|f| f.rule == "fiscal-within-total" && f.row.as_deref() == Some("21011")),
            "{found:#?}"
        );
    }
}
