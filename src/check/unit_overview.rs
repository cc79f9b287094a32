//! The split of a stated unit-level 表1: its 本年支出 合计 | 基本支出 (小计, 人员经费, 公用经费) |
//! 项目支出 columns (`model::OverviewSplit`), checked within each row, down each column, against
//! 表3 and against 表8. Only what the table states is checked: a row that leaves 人员经费 and
//! 公用经费 blank (unknown) takes part in no identity about them, and a 表1 that states neither
//! anywhere is not compared with 表8.
//!
//! Identities (rule ids as in `check`): `row-sum` 基本支出 = 人员经费 + 公用经费 and 合计 =
//! 基本支出 + 项目支出 per row (支出总计 included); `t1-sum` 支出总计 = Σ 类 per split column;
//! `t1-expenditure` 基本支出/项目支出 per 类 (and 支出总计) = 表3's; `t1-t8` Σ 人员经费 = 表8
//! 合计行 人员经费 and Σ 公用经费 = 表8 公用经费 — equal when all 基本支出 is 一般公共预算 money
//! (表3 合计行 基本支出 = 表8 合计), else at least 表8's (表8 covers 一般公共预算 only).
//! Not for the 合计 column alone, which `cross` compares for every 表1.

use super::codes::{LeiRows, PrintedLei};
use super::cross::has;
use super::equation::{Explain, Identity, Ledger, Slot, Term};
use super::keys;
use super::row_sums;
use crate::model::{
    Budget, Overview, OverviewSplit, T1_BASIC, T1_PERSONNEL, T1_PROJECT, T1_PUBLIC, TableId,
};
use rust_decimal::Decimal;

/// Every identity of the stated unit-level 表1's split (none without one; its terms those of
/// `ledger`).
#[cfg(test)]
pub fn identities(budget: &Budget, ledger: &mut Ledger) -> Vec<Identity> {
    let mut out = Vec::new();
    push_identities(budget, ledger, &mut out);
    out
}

/// Appends every identity of the stated unit-level 表1's split to `out`.
pub fn push_identities(budget: &Budget, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    let Some(o) = &budget.stated_overview else {
        return;
    };
    if o.expenditure_split.is_empty() && o.expenditure_total_split.is_none() {
        return;
    }
    let rows = o
        .expenditure_split
        .iter()
        .map(|(name, s)| (name.as_str(), s))
        .chain(
            o.expenditure_total_split
                .as_ref()
                .map(|s| (keys::EXPENDITURE_TOTAL, s)),
        );
    for (name, split) in rows {
        row_identities(name, split, ledger, out);
    }
    column_sums(o, ledger, out);
    against_t3(budget, o, ledger, out);
    against_t8(budget, o, ledger, out);
}

/// A 表1 本年支出 cell: `column` per `model::T1_COLUMNS` (1 = 合计).
fn slot(name: &str, column: usize) -> Slot {
    Slot::Cell(keys::t1_expenditure_column(name, column))
}

/// The term of a 表1 本年支出 cell (see [`slot`]).
fn term(ledger: &mut Ledger, name: &str, column: usize) -> Term {
    ledger.term(&slot(name, column))
}

/// The identity "`at` = Σ `rhs`" with `at` a 表1 本年支出 cell.
fn identity(
    ledger: &mut Ledger,
    rule: &'static str,
    at: (&str, usize),
    rhs: Vec<Term>,
    words: impl Into<Explain>,
) -> Identity {
    let at_slot = slot(at.0, at.1);
    let at_term = ledger.term(&at_slot);
    Identity::new(rule, at_slot, at_term, rhs, words)
}

/// The stated 人员经费/公用经费 cells of a row.
fn stated_pair(name: &str, split: &OverviewSplit) -> Vec<Slot> {
    [(T1_PERSONNEL, split.personnel), (T1_PUBLIC, split.public)]
        .into_iter()
        .filter(|(_, v)| v.is_some())
        .map(|(c, _)| slot(name, c))
        .collect()
}

fn row_identities(name: &str, split: &OverviewSplit, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    let pair = stated_pair(name, split);
    let basic = if split.basic.is_some() {
        if !pair.is_empty() {
            let rhs = vec![
                term(ledger, name, T1_PERSONNEL),
                term(ledger, name, T1_PUBLIC),
            ];
            let words = "人员经费 + 公用经费";
            out.push(identity(
                ledger,
                row_sums::RULE,
                (name, T1_BASIC),
                rhs,
                words,
            ));
        }
        vec![term(ledger, name, T1_BASIC)]
    } else {
        ledger.terms(&pair)
    };
    if split.project.is_some() && !basic.is_empty() {
        let mut rhs = basic;
        rhs.push(term(ledger, name, T1_PROJECT));
        let words = if split.basic.is_some() {
            "基本支出 + 项目支出"
        } else {
            "人员经费 + 公用经费 + 项目支出"
        };
        out.push(identity(ledger, row_sums::RULE, (name, 1), rhs, words));
    }
}

/// 支出总计 = Σ 类 in every split column the total row states.
fn column_sums(o: &Overview, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    let Some(total) = &o.expenditure_total_split else {
        return;
    };
    for (column, value) in total.by_column() {
        if value.is_none() {
            continue;
        }
        let items = o
            .expenditure_split
            .iter()
            .map(|(name, _)| term(ledger, name, column))
            .collect();
        let at = (keys::EXPENDITURE_TOTAL, column);
        out.push(identity(ledger, "t1-sum", at, items, "本年支出各项之和"));
    }
}

/// 基本支出 and 项目支出 of each 类 (and of 支出总计) = 表3's (by 人员经费 + 公用经费 when the
/// table prints no 基本支出 小计).
fn against_t3(budget: &Budget, o: &Overview, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    let t3 = &budget.expenditure;
    if !has(t3) {
        return;
    }
    let mut push =
        |ledger: &mut Ledger, name: &str, split: &OverviewSplit, rhs: [Vec<Term>; 2], what| {
            let [basic_rhs, project_rhs] = rhs;
            let basic_side = if split.basic.is_some() {
                vec![slot(name, T1_BASIC)]
            } else {
                stated_pair(name, split)
            };
            if let Some(at) = basic_side.first().cloned() {
                let words = format!("{what} 基本支出");
                let at_term = ledger.term(&at);
                let lhs = ledger.terms(&basic_side);
                let identity = Identity::new("t1-expenditure", at, at_term, basic_rhs, words);
                out.push(identity.with_lhs(lhs));
            }
            if split.project.is_some() {
                let words = format!("{what} 项目支出");
                let at = (name, T1_PROJECT);
                out.push(identity(ledger, "t1-expenditure", at, project_rhs, words));
            }
        };
    let leis = LeiRows::new(t3);
    for (name, split) in &o.expenditure_split {
        if let Some(l) = leis.find(&PrintedLei::new(name)) {
            let code = &l.code;
            let rhs = [1, 2].map(|c| ledger.term(&Slot::Cell(keys::coded(TableId::T3, code, c))));
            let words = format!("表3 {} {}", l.code, l.name);
            push(ledger, name, split, rhs.map(|t| vec![t]), words);
        }
        // A 类 表3 does not have is reported once, by `cross`, for the 合计 column.
    }
    if let Some(total) = &o.expenditure_total_split {
        let rhs = [1, 2].map(|c| ledger.total_terms(TableId::T3, t3, c));
        let words = "表3 合计行".to_string();
        push(ledger, keys::EXPENDITURE_TOTAL, total, rhs, words);
    }
}

/// One part of a split, read from it.
type Part = fn(&OverviewSplit) -> Option<Decimal>;

/// Σ 人员经费 and Σ 公用经费 over the 类 against 表8's 合计 row.
fn against_t8(budget: &Budget, o: &Overview, ledger: &mut Ledger, out: &mut Vec<Identity>) {
    if !o.states_personnel_public() || !has(&budget.economic) {
        return;
    }
    let t8 =
        |ledger: &Ledger, column: usize| ledger.total_terms(TableId::T8, &budget.economic, column);
    // 表3 合计行 基本支出 = 表8 合计: all basic money is 一般公共预算, so 表8 covers all of it.
    let t8_total = Slot::Cell(keys::total(TableId::T8, 0));
    let t8_total_term = ledger.term(&t8_total);
    let all_basic_is_general = Identity::new("t1-t8", t8_total, t8_total_term, t8(ledger, 0), "")
        .with_lhs(ledger.total_terms(TableId::T3, &budget.expenditure, 1))
        .holds(ledger, None);
    let total = o.expenditure_total_split.as_ref();
    let complete = o.expenditure_split.iter().all(|(_, s)| {
        s.personnel.is_some() || s.public.is_some() || s.basic.is_none_or(|b| b.is_zero())
    });
    let parts: [(usize, usize, &str, Part); 2] = [
        (T1_PERSONNEL, 1, "人员经费", |s| s.personnel),
        (T1_PUBLIC, 2, "公用经费", |s| s.public),
    ];
    for (column, t8_column, label, part) in parts {
        let at = (keys::EXPENDITURE_TOTAL, column);
        // The stated 支出总计 cell (itself Σ 类 by `t1-sum`), else Σ 类 directly when every 类
        // with 基本支出 states its split (a partly stated split says nothing about the total).
        let lhs: Vec<Term> = if total.and_then(part).is_some() {
            vec![term(ledger, at.0, at.1)]
        } else if complete {
            o.expenditure_split
                .iter()
                .filter(|(_, s)| s.personnel.is_some() || s.public.is_some())
                .map(|(name, _)| term(ledger, name, column))
                .collect()
        } else {
            continue;
        };
        let words = format!("表8 合计行 {label}");
        let rhs = t8(ledger, t8_column);
        let identity = identity(ledger, "t1-t8", at, rhs, words).with_lhs(lhs);
        out.push(if all_basic_is_general {
            identity
        } else {
            identity.at_least()
        });
    }
}

#[cfg(test)]
mod tests {
    use crate::check::check_budget;
    use crate::check::equation::{Ledger, Relation};
    use crate::check::testing::{line, table};
    use crate::derive;
    use crate::finding::Finding;
    use crate::model::{
        Amounts, Budget, EconomicAmounts, IncomeAmounts, Level, MoneyUnit, SourceMap, SplitAmounts,
    };
    use rust_decimal::Decimal;

    /// A unit with 201 (基本 1000 = 人员 700 + 公用 300, 项目 200) and 208 (基本 300 = 200 +
    /// 100), all 一般公共预算, 表8 人员经费 900 and 公用经费 400, and a 表1 stating the split.
    pub(crate) fn unit() -> Budget {
        let split: Vec<crate::model::Line<SplitAmounts>> = vec![
            line("201", "一般公共服务支出", &[1200, 1000, 200]),
            line("208", "社会保障和就业支出", &[300, 300, 0]),
        ];
        let income: Vec<crate::model::Line<IncomeAmounts>> = vec![
            line("201", "一般公共服务支出", &[1200, 1200, 0, 0, 0]),
            line("208", "社会保障和就业支出", &[300, 300, 0, 0, 0]),
        ];
        let economic: Vec<crate::model::Line<EconomicAmounts>> = vec![
            line("301", "工资福利支出", &[900, 900, 0]),
            line("302", "商品和服务支出", &[400, 0, 400]),
        ];
        let mut b = Budget {
            income: table(MoneyUnit::Yuan, income, Some(&[1500, 1500, 0, 0, 0])),
            expenditure: table(MoneyUnit::Yuan, split.clone(), Some(&[1500, 1300, 200])),
            general: table(MoneyUnit::Yuan, split, Some(&[1500, 1300, 200])),
            economic: table(MoneyUnit::Yuan, economic, Some(&[1300, 900, 400])),
            ..Budget::default()
        };
        b.meta.level = Level::Unit;
        let mut o = derive::overview(&b);
        let d = Decimal::from;
        for ((_, s), (p, q)) in o.expenditure_split.iter_mut().zip([(700, 300), (200, 100)]) {
            s.personnel = Some(d(p));
            s.public = Some(d(q));
        }
        if let Some(t) = o.expenditure_total_split.as_mut() {
            t.personnel = Some(d(900));
            t.public = Some(d(400));
        }
        b.stated_overview = Some(o);
        b
    }

    fn check(b: &Budget) -> Vec<Finding> {
        let mut found = check_budget(b, &SourceMap::new());
        found.retain(|f| f.rule != "missing-table");
        found
    }

    fn brief(found: &[Finding]) -> Vec<(String, String, String)> {
        found
            .iter()
            .map(|f| {
                let s = |o: &Option<String>| o.clone().unwrap_or_default();
                (f.rule.clone(), s(&f.row), s(&f.column))
            })
            .collect()
    }

    #[test]
    fn a_consistent_unit_table1_has_no_findings() {
        let b = unit();
        assert_eq!(check(&b), Vec::new());
        // The derivation keeps the stated 人员经费/公用经费 and takes the rest from 表3.
        assert_eq!(derive::overview(&b), b.stated_overview.clone().unwrap());
    }

    /// Regression: the derived 表1 (which the writer prints) lost a stated 类's 人员经费/公用经费
    /// when its printed name was one `check` pairs with the 表3 row but not letter for letter
    /// (here without its 支出), and so lost the total's too.
    #[test]
    fn the_derived_split_keeps_personnel_of_a_class_printed_under_a_shorter_name() {
        let mut b = unit();
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure_split[0].0 = "一般公共服务".into();
        }
        let derived = derive::overview(&b);
        let (name, split) = &derived.expenditure_split[0];
        assert_eq!(name, "一般公共服务支出");
        assert_eq!(split.personnel, Some(Decimal::from(700)));
        assert_eq!(split.public, Some(Decimal::from(300)));
        let total = derived.expenditure_total_split.unwrap();
        assert_eq!(total.personnel, Some(Decimal::from(900)));
        assert_eq!(total.public, Some(Decimal::from(400)));
    }

    #[test]
    fn a_slip_in_personnel_is_found_and_pinned_to_its_cell() {
        let mut b = unit();
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure_split[0].1.personnel = Some(Decimal::from(710));
        }
        let found = check(&b);
        let row = "一般公共服务支出".to_string();
        assert_eq!(
            brief(&found),
            [
                ("row-sum".into(), row.clone(), "基本支出".into()),
                ("culprit".into(), row, "人员经费".into()),
                ("t1-sum".into(), "支出总计".into(), "人员经费".into()),
            ]
        );
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "表1 财务收支预算总表 本年支出 一般公共服务支出 基本支出列应等于人员经费 + 公用经费（1,010），实为 1,000，相差 10 元",
                "疑似错误单元格 表1 财务收支预算总表 本年支出 一般公共服务支出 人员经费列：应为 700，实为 710（改正后 2 处不成立的勾稽关系均成立）",
                "表1 财务收支预算总表 本年支出 支出总计 人员经费列应等于本年支出各项之和（910），实为 900，相差 10 元",
            ]
        );
    }

    #[test]
    fn a_split_that_adds_up_but_disagrees_with_table8_is_an_error() {
        let mut b = unit();
        let d = Decimal::from;
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure_split[0].1.personnel = Some(d(710));
            o.expenditure_split[0].1.public = Some(d(290));
            if let Some(t) = o.expenditure_total_split.as_mut() {
                t.personnel = Some(d(910));
                t.public = Some(d(390));
            }
        }
        let found = check(&b);
        let total = || "支出总计".to_string();
        assert_eq!(
            brief(&found),
            [
                ("t1-t8".into(), total(), "人员经费".into()),
                ("t1-t8".into(), total(), "公用经费".into()),
            ]
        );
        assert_eq!(
            found[0].message,
            "表1 财务收支预算总表 本年支出 支出总计 人员经费列应等于表8 合计行 人员经费（900），实为 910，相差 10 元"
        );
        // When part of 基本支出 is not 一般公共预算 money, 表8 is a lower bound only.
        b.expenditure.lines[1].amounts.basic = d(320);
        b.expenditure.lines[1].amounts.total = d(320);
        b.expenditure.total = Some(SplitAmounts::from_values(&[d(1520), d(1320), d(200)]));
        let mut ledger = Ledger::new(&b);
        let relations: Vec<Relation> = super::identities(&b, &mut ledger)
            .into_iter()
            .filter(|i| i.rule == "t1-t8")
            .map(|i| i.relation)
            .collect();
        assert_eq!(relations, [Relation::AtLeast, Relation::AtLeast]);
    }

    #[test]
    fn an_unknown_personnel_public_split_is_not_checked() {
        let mut b = unit();
        b.stated_overview = None;
        b.stated_overview = Some(derive::overview(&b));
        let o = b.stated_overview.as_ref().unwrap();
        assert!(!o.states_personnel_public());
        assert_eq!(o.expenditure_split[0].1.basic, Some(Decimal::from(1000)));
        assert_eq!(check(&b), Vec::new());
        // 基本支出 per 类 is still compared with 表3.
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure_split[1].1.basic = Some(Decimal::from(310));
        }
        let rules: Vec<String> = check(&b).into_iter().map(|f| f.rule).collect();
        assert!(rules.contains(&"t1-expenditure".to_string()), "{rules:?}");
    }
}
