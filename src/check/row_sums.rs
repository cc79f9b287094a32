//! Row sums: within one row, 合计 equals the sum of its parts. 表2: 合计 = 财政拨款收入 +
//! 事业收入 + 事业单位经营收入 + 其他收入. 表3/5/6/7: 合计 = 基本支出 + 项目支出. 表8: 合计 =
//! 人员经费 + 公用经费. Each stated 表4 支出 row: 合计 = the three fund columns. 表9: 合计 =
//! 出国 + 接待 + 车小计, and 车小计 = 购置 + 运行. Not for sums down a column (see `rollups`).

use super::equation::{Identity, Slot, unique_lines};
use super::keys::{self, t9};
use crate::model::{Amounts, Budget, CellKey, Classified, RowKey, TableId};
use std::sync::OnceLock;

/// The stable rule id of every row-sum identity.
pub const RULE: &str = "row-sum";

/// Every row-sum identity of the budget.
pub fn identities(budget: &Budget) -> Vec<Identity> {
    let mut out = Vec::new();
    push_identities(budget, &mut out);
    out
}

/// Appends every row-sum identity of the budget to `out`.
pub fn push_identities(budget: &Budget, out: &mut Vec<Identity>) {
    classified(TableId::T2, &budget.income, out);
    classified(TableId::T3, &budget.expenditure, out);
    classified(TableId::T5, &budget.general, out);
    classified(TableId::T6, &budget.fund, out);
    classified(TableId::T7, &budget.capital, out);
    classified(TableId::T8, &budget.economic, out);
    fiscal(budget, out);
    table9(budget, out);
}

fn sum_of(keys: impl Iterator<Item = CellKey>) -> Vec<Slot> {
    keys.map(Slot::Cell).collect()
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

fn classified<A: Amounts>(table: TableId, t: &Classified<A>, out: &mut Vec<Identity>) {
    let parts = parts(table);
    let words = explain(table);
    let mut rows: Vec<RowKey> = unique_lines(t)
        .map(|l| RowKey::Code(l.code.clone()))
        .collect();
    if t.total.is_some() {
        rows.push(RowKey::Total);
    }
    for row in rows {
        let key = |column| CellKey {
            table,
            row: row.clone(),
            column,
        };
        out.push(Identity::new(
            RULE,
            Slot::Cell(key(0)),
            sum_of(parts.clone().map(key)),
            words,
        ));
    }
}

fn fiscal(budget: &Budget, out: &mut Vec<Identity>) {
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
        out.push(Identity::new(
            RULE,
            Slot::Cell(keys::t4_expenditure(name, 1)),
            sum_of(parts(TableId::T4).map(|c| keys::t4_expenditure(name, c))),
            words,
        ));
    }
}

fn table9(budget: &Budget, out: &mut Vec<Identity>) {
    if budget.table9.three_public.is_none() {
        return;
    }
    out.push(Identity::new(
        RULE,
        Slot::Cell(keys::t9(t9::TOTAL)),
        sum_of(
            [t9::OVERSEAS, t9::RECEPTION, t9::VEHICLE_SUBTOTAL]
                .map(keys::t9)
                .into_iter(),
        ),
        "因公出国(境)费 + 公务接待费 + 公务用车购置及运行费",
    ));
    out.push(Identity::new(
        RULE,
        Slot::Cell(keys::t9(t9::VEHICLE_SUBTOTAL)),
        sum_of(
            [t9::VEHICLE_PURCHASE, t9::VEHICLE_RUNNING]
                .map(keys::t9)
                .into_iter(),
        ),
        "购置费 + 运行费",
    ));
}
