//! Derivations: the tables that follow from the base tables.
//!
//! 表1 from 表2 + 表3 (+ the fiscal split of 表5/6/7), 表4 from 表5/6/7, and 机关运行经费 from the
//! 公用经费 of 表8 when the unit kind is known. Pure functions over the model; whether a stated
//! 表1/4/9 agrees with these is for `check` to say.

use crate::check::codes::PrintedLei;
use crate::model::{
    Amounts, Budget, Classified, Code, FiscalOverview, FiscalRow, Level, MoneyUnit, Overview,
    OverviewSplit, SplitAmounts, Table9,
};
use rust_decimal::Decimal;

/// The printed labels of 表1's income side, in order.
pub const OVERVIEW_INCOME_LABELS: [&str; 7] = [
    "一、财政拨款收入",
    "1、一般公共预算资金",
    "2、政府性基金",
    "3、国有资本经营预算",
    "二、事业收入",
    "三、事业单位经营收入",
    "四、其他收入",
];

/// The printed labels of 表4's income side, in order.
pub const FISCAL_INCOME_LABELS: [&str; 3] = [
    "一、一般公共预算资金",
    "二、政府性基金",
    "三、国有资本经营预算",
];

/// 表1 财务收支预算总表, derived: income items from 表2's 合计 row (财政拨款 split by the
/// totals of 表5/6/7), expenditure by 功能分类 类 from 表3. For a unit-level budget each 类
/// (and 支出总计) also carries its split: 基本支出 and 项目支出 from 表3, 人员经费/公用经费 from
/// the stated unit 表1 when it gave them (its item of the same 类, paired as `check` pairs
/// them), else unknown (see [`overview_split`]).
pub fn overview(budget: &Budget) -> Overview {
    let income = budget.income.total_or_sum();
    let fiscal_split = [
        total_of(&budget.general),
        total_of(&budget.fund),
        total_of(&budget.capital),
    ];
    let amounts = [
        income.fiscal,
        fiscal_split[0],
        fiscal_split[1],
        fiscal_split[2],
        income.business,
        income.operating,
        income.other,
    ];
    let expenditure: Vec<(String, Decimal)> = budget
        .expenditure
        .lei_lines()
        .map(|l| (l.name.clone(), l.amounts.total))
        .collect();
    let mut overview = Overview {
        income: OVERVIEW_INCOME_LABELS
            .iter()
            .zip(amounts)
            .map(|(label, amount)| (label.to_string(), amount))
            .collect(),
        income_total: Some(income.total),
        expenditure,
        expenditure_total: Some(budget.expenditure.total_or_sum().total),
        unit: MoneyUnit::Yuan,
        expenditure_split: Vec::new(),
        expenditure_total_split: None,
    };
    if budget.meta.level == Level::Unit {
        let (items, total) = overview_split(budget);
        overview.expenditure_split = items;
        overview.expenditure_total_split = Some(total);
    }
    overview
}

/// The unit-level split of 表1's 本年支出, per 功能分类 类 of 表3 (in 表3's order, keyed by its
/// name) and for 支出总计: 基本支出 and 项目支出 are 表3's; 人员经费 and 公用经费 are not
/// derivable (表8 is by 经济分类, not by 类), so they come from the stated 表1's split of the
/// same 类 when it states them and stay `None` otherwise. The total's 人员经费/公用经费 are the
/// sums over the 类, known only when every 类 with 基本支出 states them (`None` otherwise).
pub fn overview_split(budget: &Budget) -> (Vec<(String, OverviewSplit)>, OverviewSplit) {
    let stated = budget.stated_overview.as_ref();
    // The stated item of the same 类: by its exact name, else as `check` pairs a printed 类
    // name with a 表3 row (numbering, punctuation width, spacing, a dropped 支出, reference or
    // obsolete names).
    let stated_of = |code: &Code, name: &str| {
        stated.and_then(|o| {
            o.split_of(name).or_else(|| {
                o.expenditure_split
                    .iter()
                    .find(|(n, _)| PrintedLei::new(n).names(code, name))
                    .map(|(_, s)| s)
            })
        })
    };
    let items: Vec<(String, OverviewSplit)> = budget
        .expenditure
        .lei_lines()
        .map(|l| {
            let given = stated_of(&l.code, &l.name);
            let split = OverviewSplit {
                basic: Some(l.amounts.basic),
                personnel: given.and_then(|s| s.personnel),
                public: given.and_then(|s| s.public),
                project: Some(l.amounts.project),
            };
            (l.name.clone(), split)
        })
        .collect();
    // Known for the total only when known for every 类 that has 基本支出 at all.
    let complete = items.iter().all(|(_, s)| {
        s.personnel.is_some() || s.public.is_some() || s.basic.is_none_or(|b| b.is_zero())
    });
    let sum = |f: fn(&OverviewSplit) -> Option<Decimal>| {
        let mut stated = items.iter().filter_map(|(_, s)| f(s)).peekable();
        stated.peek()?;
        complete.then(|| stated.sum())
    };
    let t3 = budget.expenditure.total_or_sum();
    let total = OverviewSplit {
        basic: Some(t3.basic),
        personnel: sum(|s| s.personnel),
        public: sum(|s| s.public),
        project: Some(t3.project),
    };
    (items, total)
}

/// 表4 财政拨款收支预算总表, derived from 表5/6/7: one expenditure row per 类 that any of them
/// lists, in code order.
pub fn fiscal_overview(budget: &Budget) -> FiscalOverview {
    let funds = [&budget.general, &budget.fund, &budget.capital];
    let mut codes: Vec<&Code> = funds
        .iter()
        .flat_map(|t| t.lei_lines().map(|l| &l.code))
        .collect();
    codes.sort();
    codes.dedup();
    let expenditure: Vec<FiscalRow> = codes
        .into_iter()
        .map(|code| {
            let of = |t: &Classified<SplitAmounts>| {
                t.line(code).map(|l| l.amounts.total).unwrap_or_default()
            };
            let name = funds
                .iter()
                .find_map(|t| t.line(code).map(|l| l.name.clone()))
                .unwrap_or_default();
            fiscal_row(name, of(funds[0]), of(funds[1]), of(funds[2]))
        })
        .collect();
    let totals = funds.map(total_of);
    FiscalOverview {
        income: FISCAL_INCOME_LABELS
            .iter()
            .zip(totals)
            .map(|(label, amount)| (label.to_string(), amount))
            .collect(),
        income_total: Some(totals.iter().sum()),
        expenditure,
        expenditure_total: Some(fiscal_row(
            "合计".to_string(),
            totals[0],
            totals[1],
            totals[2],
        )),
        unit: MoneyUnit::Yuan,
    }
}

/// 机关运行经费 in 元, derived: the 公用经费 total of 表8 when the entity is (or consists only
/// of) 行政/参公 units, zero for a 事业单位, `None` when the unit kind is unknown.
pub fn admin_running(budget: &Budget) -> Option<Decimal> {
    let kind = budget.meta.unit_kind?;
    Some(if kind.has_admin_running_cost() {
        budget.economic.total_or_sum().public
    } else {
        Decimal::ZERO
    })
}

/// 表9 as it should be printed: the stated 三公 figures (not derivable) and the stated
/// 机关运行经费, or the derived one when none was stated.
pub fn table9(budget: &Budget) -> Table9 {
    let stated = &budget.table9;
    Table9 {
        three_public: stated.three_public.clone(),
        admin_running: stated.admin_running.or_else(|| admin_running(budget)),
        unit: stated.unit,
    }
}

fn total_of<A: Amounts>(table: &Classified<A>) -> Decimal {
    table.total_or_sum().get(0)
}

fn fiscal_row(name: String, general: Decimal, fund: Decimal, capital: Decimal) -> FiscalRow {
    FiscalRow {
        name,
        total: general + fund + capital,
        general,
        fund,
        capital,
    }
}
