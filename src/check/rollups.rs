//! Roll-ups: down every amount column of 表2/3/5/6/7/8, each 类 equals the sum of its 款, each
//! 款 the sum of its 项, and the 合计 row the sum of the 类 rows. A parent without any child row
//! states its amount directly and is not rolled up. Not for rows whose parent is missing (see
//! `structure`).

use super::equation::{Identity, Slot, unique_lines};
use super::keys;
use crate::model::{Amounts, Budget, Classified, Code, CodeLevel, TableId};
use std::collections::HashMap;

/// The stable rule id of every roll-up identity.
pub const RULE: &str = "rollup";

/// Every roll-up identity of the budget.
pub fn identities(budget: &Budget) -> Vec<Identity> {
    let mut out = Vec::new();
    table(TableId::T2, &budget.income, &mut out);
    table(TableId::T3, &budget.expenditure, &mut out);
    table(TableId::T5, &budget.general, &mut out);
    table(TableId::T6, &budget.fund, &mut out);
    table(TableId::T7, &budget.capital, &mut out);
    table(TableId::T8, &budget.economic, &mut out);
    out
}

fn table<A: Amounts>(id: TableId, t: &Classified<A>, out: &mut Vec<Identity>) {
    let mut children: HashMap<Code, Vec<&Code>> = HashMap::new();
    let mut parents: Vec<&Code> = Vec::new();
    let mut leis: Vec<&Code> = Vec::new();
    for line in unique_lines(t) {
        match line.code.parent() {
            Some(parent) => children.entry(parent).or_default().push(&line.code),
            None => leis.push(&line.code),
        }
        parents.push(&line.code);
    }
    let columns = A::COLUMNS.len();
    for parent in parents {
        let Some(kids) = children.get(parent) else {
            continue;
        };
        let words = match parent.level() {
            CodeLevel::Lei => "其下各款之和",
            _ => "其下各项之和",
        };
        for c in 0..columns {
            let rhs = kids
                .iter()
                .map(|k| Slot::Cell(keys::coded(id, k, c)))
                .collect();
            out.push(Identity::new(
                RULE,
                Slot::Cell(keys::coded(id, parent, c)),
                rhs,
                words,
            ));
        }
    }
    let only_orphans = leis.is_empty() && !t.lines.is_empty();
    if t.total.is_some() && !only_orphans {
        for c in 0..columns {
            let rhs = leis
                .iter()
                .map(|k| Slot::Cell(keys::coded(id, k, c)))
                .collect();
            out.push(Identity::new(
                RULE,
                Slot::Cell(keys::total(id, c)),
                rhs,
                "各类之和",
            ));
        }
    }
}
