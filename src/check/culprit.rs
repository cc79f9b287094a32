//! Pinpointing: when several failing identities share one amount cell (a 项 amount that breaks
//! its row sum, its 款 roll-up and the 表2/表3 agreement), name that cell as the probable
//! culprit together with the value that makes every identity hold.
//!
//! Method: failing error identities are grouped into connected sets (sharing any slot). For
//! each set, the candidates are the cells every identity in it mentions; a candidate is kept
//! when giving it the value that closes the first failing identity makes *all* identities that
//! mention it hold (the failing ones pass, no passing one breaks). One culprit per set, usually
//! a single cell; when the evidence cannot tell several cells apart, each of them gets a finding
//! at its own submitted cell that names the others. Not for other wording (see `describe`).

use super::describe;
use super::equation::{Identity, Ledger, Outcome, Relation, Slot, Term, saturating_add};
use super::fxhash::FxHashMap;
use crate::finding::{Finding, Severity};
use crate::model::{Budget, CellKey, SourceMap};
use rust_decimal::Decimal;

/// The stable rule id of culprit findings.
pub const RULE: &str = "culprit";

/// One cell that, changed alone, would make every identity it takes part in hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The cell.
    pub key: CellKey,
    /// The value (元) that makes every identity hold.
    pub expected: Decimal,
    /// The value (元) found.
    pub actual: Decimal,
}

/// The probable culprit of one connected set of failing identities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Culprit {
    /// The cells that explain the evidence equally well, in key order (usually exactly one).
    pub candidates: Vec<Candidate>,
    /// How many failing identities the correction repairs.
    pub repairs: usize,
}

/// Finds the culprits given every identity and its outcome (same order; None for an identity
/// that holds).
pub fn culprits(
    ledger: &Ledger,
    identities: &[Identity],
    outcomes: &[Option<Outcome>],
) -> Vec<Culprit> {
    let holds = |i: usize| outcomes.get(i).is_none_or(|o| o.is_none_or(|o| o.holds));
    let errors: Vec<usize> = (0..identities.len())
        .filter(|i| identities[*i].severity == Severity::Error)
        .collect();
    let failing: Vec<usize> = errors.iter().copied().filter(|i| !holds(*i)).collect();
    if failing.is_empty() {
        return Vec::new();
    }
    components(identities, &failing)
        .into_iter()
        .filter_map(|set| culprit_of(ledger, identities, outcomes, &errors, &set))
        .collect()
}

/// Groups failing identities that share an amount (union-find over their terms).
fn components(identities: &[Identity], failing: &[usize]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..failing.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: FxHashMap<Term, usize> = FxHashMap::default();
    for (pos, &i) in failing.iter().enumerate() {
        for t in identities[i].terms() {
            match owner.get(t) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, pos), root(&mut parent, other));
                    parent[a] = b;
                }
                None => {
                    owner.insert(*t, pos);
                }
            }
        }
    }
    let mut groups: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for (pos, &i) in failing.iter().enumerate() {
        let r = root(&mut parent, pos);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Vec<usize>> = groups.into_values().collect();
    out.sort();
    out
}

fn culprit_of(
    ledger: &Ledger,
    identities: &[Identity],
    outcomes: &[Option<Outcome>],
    errors: &[usize],
    set: &[usize],
) -> Option<Culprit> {
    let (&first, rest) = set.split_first()?;
    // The cells every identity of the set mentions, each once, in key order.
    let mut common: Vec<(Slot, Term)> = identities[first]
        .terms()
        .iter()
        .filter_map(|t| ledger.slot(*t).map(|s| (s, *t)))
        .filter(|(s, _)| matches!(s, Slot::Cell(_)))
        .collect();
    common.sort();
    common.dedup();
    for &i in rest {
        let mentioned = identities[i].terms();
        common.retain(|(_, t)| mentioned.contains(t));
    }
    let pivot = set
        .iter()
        .copied()
        .find(|i| identities[*i].relation == Relation::Equal)
        .unwrap_or(first);
    let gap = outcomes.get(pivot)?.as_ref()?.gap;
    let mut candidates = Vec::new();
    for (slot, term) in common {
        let Some(entry) = ledger.entry_of(term) else {
            continue;
        };
        let coefficient = identities[pivot].coefficient(term);
        if coefficient == 0 || set.iter().any(|i| identities[*i].coefficient(term) == 0) {
            continue;
        }
        let actual = entry.value;
        let expected = saturating_add(actual, -(gap / Decimal::from(coefficient)));
        let all_hold = errors
            .iter()
            .map(|i| &identities[*i])
            .filter(|id| id.terms().contains(&term))
            .all(|id| id.holds(ledger, Some((term, expected))));
        if let (true, Slot::Cell(key)) = (all_hold, slot) {
            candidates.push(Candidate {
                key,
                expected,
                actual,
            });
        }
    }
    (!candidates.is_empty()).then_some(Culprit {
        candidates,
        repairs: set.len(),
    })
}

/// The findings for one culprit, one per candidate cell so that each candidate is flagged
/// where it was submitted: "疑似错误单元格 表3!F12（…）：应为 48,215,638，实为 48,215,683…"; when
/// several cells explain the evidence equally, each names the others.
pub fn findings(
    ledger: &Ledger,
    budget: &Budget,
    sources: &SourceMap,
    culprit: &Culprit,
) -> Vec<Finding> {
    let described: Vec<Described> = culprit
        .candidates
        .iter()
        .map(|c| Described::new(ledger, budget, sources, c))
        .collect();
    described
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let message = if described.len() == 1 {
                format!(
                    "疑似错误单元格 {}：应为 {}，实为 {}（改正后 {} 处不成立的勾稽关系均成立）",
                    d.at, d.expected, d.actual, culprit.repairs
                )
            } else {
                one_of_several(&described, i)
            };
            describe::finding_at(sources, &d.slot, Severity::Error, RULE, message)
                .values(d.expected.clone(), d.actual.clone())
        })
        .collect()
}

/// One candidate cell as the messages show it.
struct Described {
    slot: Slot,
    /// `sheet!cell（place）`, or the place alone when the cell's source is unknown.
    at: String,
    expected: String,
    actual: String,
}

impl Described {
    fn new(ledger: &Ledger, budget: &Budget, sources: &SourceMap, c: &Candidate) -> Described {
        let slot = Slot::Cell(c.key.clone());
        let shown = describe::shown_of(ledger, &slot);
        let place = describe::place(ledger, budget, &slot);
        let at = match describe::location(sources, &slot) {
            Some(l) => format!("{}（{place}）", l.sheet_cell()),
            None => place,
        };
        Described {
            expected: describe::show(c.expected, shown),
            actual: describe::show(c.actual, shown),
            slot,
            at,
        }
    }
}

/// The message for candidate `i` when several cells explain the evidence equally well: it
/// names the others too.
fn one_of_several(described: &[Described], i: usize) -> String {
    let d = &described[i];
    let others: Vec<String> = described
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, o)| format!("{} 应为 {}，实为 {}", o.at, o.expected, o.actual))
        .collect();
    format!(
        "疑似错误单元格（{} 个可能之一，无法确定唯一）{}：应为 {}，实为 {}；同样可能有误：{}",
        described.len(),
        d.at,
        d.expected,
        d.actual,
        others.join("；")
    )
}

#[cfg(test)]
mod tests {
    use crate::check::testing::{line, table};
    use crate::check::{check_budget, culprits, keys};
    use crate::model::{Budget, Code, MoneyUnit, SourceMap, SplitAmounts, TableId};
    use rust_decimal::Decimal;

    fn two_items(first_total: i64) -> Budget {
        let lines: Vec<crate::model::Line<SplitAmounts>> = vec![
            line("201", "一般公共服务支出", &[300, 200, 100]),
            line("20103", "政府办公厅（室）及相关机构事务", &[300, 200, 100]),
            line("2010301", "行政运行", &[first_total, 200, 0]),
            line("2010302", "一般行政管理事务", &[100, 0, 100]),
        ];
        Budget {
            expenditure: table(MoneyUnit::Yuan, lines, Some(&[300, 200, 100])),
            ..Budget::default()
        }
    }

    #[test]
    fn a_cell_breaking_its_row_and_its_column_is_the_only_culprit() {
        let found = culprits(&two_items(210));
        assert_eq!(found.len(), 1);
        let c = &found[0];
        assert_eq!(c.repairs, 2);
        assert_eq!(c.candidates.len(), 1);
        let key = keys::coded(TableId::T3, &Code::new("2010301").unwrap(), 0);
        assert_eq!(c.candidates[0].key, key);
        assert_eq!(c.candidates[0].expected, Decimal::from(200));
        assert_eq!(c.candidates[0].actual, Decimal::from(210));
        assert!(culprits(&two_items(200)).is_empty());
    }

    #[test]
    fn equally_likely_cells_are_all_listed() {
        let lines = vec![line("201", "一般公共服务支出", &[301, 200, 100])];
        let budget = Budget {
            expenditure: table::<SplitAmounts>(MoneyUnit::Yuan, lines, None),
            ..Budget::default()
        };
        let found = culprits(&budget);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].candidates.len(), 3);
        let findings = check_budget(&budget, &SourceMap::new());
        let messages: Vec<&str> = findings
            .iter()
            .filter(|f| f.rule == "culprit")
            .map(|f| f.message.as_str())
            .collect();
        let place = "表3 支出预算总表 201 一般公共服务支出";
        assert_eq!(
            messages,
            [
                format!(
                    "疑似错误单元格（3 个可能之一，无法确定唯一）{place} 合计列：应为 300，实为 301；\
                     同样可能有误：{place} 基本支出列 应为 201，实为 200；{place} 项目支出列 应为 101，实为 100"
                ),
                format!(
                    "疑似错误单元格（3 个可能之一，无法确定唯一）{place} 基本支出列：应为 201，实为 200；\
                     同样可能有误：{place} 合计列 应为 300，实为 301；{place} 项目支出列 应为 101，实为 100"
                ),
                format!(
                    "疑似错误单元格（3 个可能之一，无法确定唯一）{place} 项目支出列：应为 101，实为 100；\
                     同样可能有误：{place} 合计列 应为 300，实为 301；{place} 基本支出列 应为 201，实为 200"
                ),
            ]
        );
    }
}
