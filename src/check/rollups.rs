//! Roll-ups: down every amount column of 表2/3/5/6/7/8, each 类 equals the sum of its 款, each
//! 款 the sum of its 项, and the 合计 row the sum of the 类 rows. A parent without any child row
//! states its amount directly and is not rolled up. Not for rows whose parent is missing (see
//! `structure`).

use super::equation::{Identity, Ledger, Slot};
use super::keys;
use crate::model::{Amounts, Budget, Classified, Code, CodeLevel, TableId};

/// The stable rule id of every roll-up identity.
pub const RULE: &str = "rollup";

/// Every roll-up identity of the budget (its terms those of `ledger`).
#[cfg(test)]
pub fn identities(budget: &Budget, ledger: &Ledger) -> Vec<Identity> {
    let mut out = Vec::new();
    push_identities(budget, ledger, &mut out);
    out
}

/// Appends every roll-up identity of the budget to `out`.
pub fn push_identities(budget: &Budget, ledger: &Ledger, out: &mut Vec<Identity>) {
    table(TableId::T2, &budget.income, ledger, out);
    table(TableId::T3, &budget.expenditure, ledger, out);
    table(TableId::T5, &budget.general, ledger, out);
    table(TableId::T6, &budget.fund, ledger, out);
    table(TableId::T7, &budget.capital, ledger, out);
    table(TableId::T8, &budget.economic, ledger, out);
}

fn table<A: Amounts>(id: TableId, t: &Classified<A>, ledger: &Ledger, out: &mut Vec<Identity>) {
    // The ledger's rows are the table's codes, each once, in line order.
    let codes = ledger.codes(id);
    // (parent, child row) in line order, then sorted by parent: stable, so each parent's
    // children stay in line order, found as one run without a list per parent.
    let mut children: Vec<(Code, usize)> = Vec::with_capacity(codes.len());
    let mut leis: Vec<usize> = Vec::new();
    for (row, code) in codes.iter().enumerate() {
        match code.parent() {
            Some(parent) => children.push((parent, row)),
            None => leis.push(row),
        }
    }
    children.sort_by(|a, b| a.0.cmp(&b.0));
    let columns = A::COLUMNS.len();
    for (row, parent) in codes.iter().enumerate() {
        let first = children.partition_point(|(p, _)| p < parent);
        let end = children.partition_point(|(p, _)| p <= parent);
        let kids = &children[first..end];
        if kids.is_empty() {
            continue;
        }
        let words = match parent.level() {
            CodeLevel::Lei => "其下各款之和",
            _ => "其下各项之和",
        };
        for c in 0..columns {
            let Some(at) = ledger.row_term(id, row, c) else {
                continue;
            };
            let rhs = kids
                .iter()
                .filter_map(|(_, kid)| ledger.row_term(id, *kid, c));
            let at_slot = Slot::Cell(keys::coded(id, parent, c));
            out.push(Identity::new(RULE, at_slot, at, rhs, words));
        }
    }
    let only_orphans = leis.is_empty() && !t.lines.is_empty();
    if t.total.is_some() && !only_orphans {
        for c in 0..columns {
            let Some(at) = ledger.total_term(id, c) else {
                continue;
            };
            let rhs = leis.iter().filter_map(|row| ledger.row_term(id, *row, c));
            let at_slot = Slot::Cell(keys::total(id, c));
            out.push(Identity::new(RULE, at_slot, at, rhs, "各类之和"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::equation::Ledger;
    use crate::check::testing::{line, table};
    use crate::model::{MoneyUnit, SplitAmounts};

    fn lei_over_three_kuan(lei_total: i64) -> Budget {
        let lines: Vec<crate::model::Line<SplitAmounts>> = vec![
            line("201", "一般公共服务支出", &[lei_total, lei_total, 0]),
            line("20101", "人大事务", &[10_000, 10_000, 0]),
            line("20102", "政协事务", &[10_000, 10_000, 0]),
            line(
                "20103",
                "政府办公厅（室）及相关机构事务",
                &[10_000, 10_000, 0],
            ),
        ];
        Budget {
            expenditure: table(MoneyUnit::WanYuan, lines, None),
            ..Budget::default()
        }
    }

    fn lei_rollup_holds(lei_total: i64) -> bool {
        let budget = lei_over_three_kuan(lei_total);
        let ledger = Ledger::new(&budget);
        let ids = identities(&budget, &ledger);
        let at = Slot::Cell(keys::coded(TableId::T3, &Code::new("201").unwrap(), 0));
        let id = ids.iter().find(|i| i.at == at).expect("类 roll-up");
        assert_eq!(id.rhs().len(), 3);
        id.evaluate(&ledger, None).holds
    }

    #[test]
    fn wan_lei_over_three_kuan_allows_four_terms_of_fifty_yuan() {
        assert!(lei_rollup_holds(30_000));
        assert!(lei_rollup_holds(30_200));
        assert!(lei_rollup_holds(29_800));
        assert!(!lei_rollup_holds(30_201));
        assert!(!lei_rollup_holds(29_799));
    }

    #[test]
    fn empty_table_total_must_be_zero_and_childless_rows_are_not_rolled_up() {
        let budget = Budget {
            fund: table::<SplitAmounts>(MoneyUnit::Yuan, Vec::new(), Some(&[1, 0, 1])),
            capital: table(
                MoneyUnit::Yuan,
                vec![line("223", "国有资本经营预算支出", &[5, 5, 0])],
                Some(&[5, 5, 0]),
            ),
            ..Budget::default()
        };
        let ledger = Ledger::new(&budget);
        let failing: Vec<(TableId, usize)> = identities(&budget, &ledger)
            .iter()
            .filter(|i| !i.evaluate(&ledger, None).holds)
            .filter_map(|i| match &i.at {
                Slot::Cell(k) => Some((k.table, k.column)),
                Slot::Prose(_) => None,
            })
            .collect();
        assert_eq!(failing, [(TableId::T6, 0), (TableId::T6, 2)]);
    }
}
