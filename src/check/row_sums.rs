//! Row sums: within one row, 合计 equals the sum of its parts. 表2: 合计 = 财政拨款收入 +
//! 事业收入 + 事业单位经营收入 + 其他收入. 表3/5/6/7: 合计 = 基本支出 + 项目支出. 表8: 合计 =
//! 人员经费 + 公用经费. Each stated 表4 支出 row: 合计 = the three fund columns. 表9: 合计 =
//! 出国 + 接待 + 车小计, and 车小计 = 购置 + 运行. Not for sums down a column (see `rollups`).

use super::equation::{Identity, Ledger, Slot};
use super::keys::{self, t9};
use crate::model::{Budget, CellKey, TableId};
use std::sync::OnceLock;

/// The stable rule id of every row-sum identity.
pub const RULE: &str = "row-sum";

/// Appends every row-sum identity of the budget to `out`.
pub fn push_identities(budget: &Budget, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    for table in [
        TableId::T2,
        TableId::T3,
        TableId::T5,
        TableId::T6,
        TableId::T7,
        TableId::T8,
    ] {
        classified(table, ledger, out);
    }
    fiscal(budget, ledger, out);
    table9(budget, ledger, out);
}

/// The identity "`at` = Σ `parts`" over labelled cells (表4, 表9).
fn labelled(
    ledger: &mut Ledger,
    at: CellKey,
    parts: impl IntoIterator<Item = CellKey>,
    words: &'static str,
) -> Identity {
    let at = Slot::Cell(at);
    let at_term = ledger.term(&at);
    let rhs: Vec<_> = parts
        .into_iter()
        .map(|k| ledger.term(&Slot::Cell(k)))
        .collect();
    Identity::new(RULE, at, at_term, rhs, words)
}

/// The columns a table's 合计 column is the sum of: 表4's three fund columns, every other
/// column elsewhere.
fn parts(table: TableId) -> std::ops::Range<usize> {
    match table {
        TableId::T4 => 2..5,
        _ => 1..keys::columns(table).len(),
    }
}

/// The parts of a table's row sum in words ("基本支出 + 项目支出"), joined once per process.
fn explain(table: TableId) -> &'static str {
    static WORDS: OnceLock<Vec<String>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        TableId::ALL
            .iter()
            .map(|t| {
                parts(*t)
                    .map(|c| keys::column_header(*t, c))
                    .collect::<Vec<_>>()
                    .join(" + ")
            })
            .collect()
    });
    let index = TableId::ALL.iter().position(|t| *t == table);
    index.and_then(|i| words.get(i)).map_or("", String::as_str)
}

/// Each row of a coded table (each code's first row, then the 合计 row): 合计 = its parts.
fn classified(table: TableId, ledger: &Ledger, out: &mut Vec<Identity>) {
    let parts = parts(table);
    let words = explain(table);
    let codes = ledger.codes(table);
    for (row, code) in codes.iter().enumerate() {
        let term = |column| ledger.row_term(table, row, column);
        let Some(at) = term(0) else {
            continue;
        };
        let at_slot = Slot::Cell(keys::coded(table, code, 0));
        let rhs = parts.clone().filter_map(term);
        out.push(Identity::new(RULE, at_slot, at, rhs, words));
    }
    if let Some(at) = ledger.total_term(table, 0) {
        let rhs = parts.clone().filter_map(|c| ledger.total_term(table, c));
        let at_slot = Slot::Cell(keys::total(table, 0));
        out.push(Identity::new(RULE, at_slot, at, rhs, words));
    }
}

fn fiscal(budget: &Budget, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    let Some(f) = &budget.stated_fiscal else {
        return;
    };
    let names = f
        .expenditure
        .iter()
        .map(|r| r.name.as_str())
        .chain(f.expenditure_total.iter().map(|_| keys::EXPENDITURE_TOTAL));
    let words = explain(TableId::T4);
    for name in names {
        let at = keys::t4_expenditure(name, 1);
        let parts = parts(TableId::T4).map(|c| keys::t4_expenditure(name, c));
        out.push(labelled(ledger, at, parts, words));
    }
}

fn table9(budget: &Budget, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    if budget.table9.three_public.is_none() {
        return;
    }
    out.push(labelled(
        ledger,
        keys::t9(t9::TOTAL),
        [t9::OVERSEAS, t9::RECEPTION, t9::VEHICLE_SUBTOTAL].map(keys::t9),
        "因公出国(境)费 + 公务接待费 + 公务用车购置及运行费",
    ));
    out.push(labelled(
        ledger,
        keys::t9(t9::VEHICLE_SUBTOTAL),
        [t9::VEHICLE_PURCHASE, t9::VEHICLE_RUNNING].map(keys::t9),
        "购置费 + 运行费",
    ));
}
