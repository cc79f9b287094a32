//! Splitting a department budget into N realistic budget units whose figures add back up to
//! the department exactly, code by code and column by column.
//!
//! Only the *leaf* rows of each table are split (rows no other row of the same table rolls up
//! into); 款, 类 and 合计 rows of every unit are recomputed from its leaves, so each unit keeps
//! the roll-up identities. Cross-table identities are kept by construction: a unit's 表3 row is
//! its 表5/6/7 shares plus its share of the non-fiscal money, its 表2 财政拨款收入 is its fiscal
//! money, its 表2 事业/经营/其他收入 are allocated against its non-fiscal spending, and its 表8 is
//! allocated against its 表5 基本支出. Amounts move in whole 100 元 steps wherever possible (the
//! odd remainder of a figure goes to one unit), so most unit figures print exactly in 万元.
//! Identities only survive the split when the department budget satisfies them.
//! Not for recognising or checking anything.

use super::rng::SplitMix64;
use crate::derive;
use crate::model::{
    Amounts, Budget, Classified, Code, EconomicAmounts, IncomeAmounts, Level, Line, Meta,
    MoneyUnit, SplitAmounts, Table9, ThreePublic, UnitKind,
};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// The smallest step amounts move in: 100 元 = 0.01 万元.
const STEP: i64 = 100;

/// Places that name the unit bureaus a department's units are called after.
const PLACES: [&str; 32] = [
    "广州",
    "昆明",
    "新疆",
    "西藏",
    "西宁",
    "北京",
    "深圳",
    "成都",
    "重庆",
    "武汉",
    "西安",
    "沈阳",
    "哈尔滨",
    "长春",
    "南京",
    "杭州",
    "合肥",
    "福州",
    "南昌",
    "济南",
    "郑州",
    "长沙",
    "南宁",
    "海口",
    "贵阳",
    "兰州",
    "银川",
    "呼和浩特",
    "太原",
    "石家庄",
    "天津",
    "拉萨",
];
/// Kinds of unit bureaus, combined with `PLACES` for distinct names.
const BUREAUS: [&str; 4] = ["办事处", "联络处", "服务中心", "信息中心"];

/// Splits `budget` into `n` unit budgets (level `Unit`, kind 行政, each with its own entity
/// name; the first is the department's 本部) whose base tables and 三公 figures sum exactly back
/// to `budget`'s. Deterministic for a seed. `n == 0` gives no units.
pub fn split_units(budget: &Budget, n: usize, seed: u64) -> Vec<Budget> {
    if n == 0 {
        return Vec::new();
    }
    let mut rng = SplitMix64::new(seed);
    let sizes: Vec<u64> = (0..n)
        .map(|u| if u == 0 { 12 } else { 1 + rng.below(8) })
        .collect();
    let names = unit_names(&budget.meta.entity, n);
    let mut units: Vec<Budget> = names
        .into_iter()
        .map(|entity| Budget {
            meta: Meta {
                year: budget.meta.year,
                entity,
                level: Level::Unit,
                unit_kind: Some(UnitKind::Administrative),
                admin_unit_count: None,
            },
            ..Budget::default()
        })
        .collect();

    let functional = split_functional(budget, &sizes, &mut rng);
    let basic_per_unit: Vec<Decimal> = (0..n)
        .map(|u| {
            functional
                .general
                .values()
                .map(|shares| shares[u].basic)
                .sum()
        })
        .collect();
    let economic = split_economic(&budget.economic, &basic_per_unit);

    for (u, unit) in units.iter_mut().enumerate() {
        unit.income = assemble(&budget.income, &functional.income, u);
        unit.expenditure = assemble(&budget.expenditure, &functional.expenditure, u);
        unit.general = assemble(&budget.general, &functional.general, u);
        unit.fund = assemble(&budget.fund, &functional.fund, u);
        unit.capital = assemble(&budget.capital, &functional.capital, u);
        unit.economic = assemble(&budget.economic, &economic, u);
    }
    split_table9(&budget.table9, &mut units, &sizes);
    for unit in &mut units {
        if budget.stated_overview.is_some() {
            unit.stated_overview = Some(overview_with_split(unit));
        }
        if budget.stated_fiscal.is_some() {
            unit.stated_fiscal = Some(derive::fiscal_overview(unit));
        }
    }
    units
}

/// A unit's stated 表1 with the 人员经费/公用经费 split a unit's 表1 prints: 表8's 人员经费
/// spread over the 类 in proportion to their 基本支出 (whole 元; the 类 with the most 基本支出
/// takes the remainder), 公用经费 the rest of each 类's 基本支出. So Σ 人员经费 = 表8 人员经费,
/// and Σ 公用经费 = 表8 公用经费 when all 基本支出 is 一般公共预算 money (more otherwise). A 类
/// without 基本支出 states no split (it prints blank).
fn overview_with_split(unit: &Budget) -> crate::model::Overview {
    let mut o = derive::overview(unit);
    let personnel = unit.economic.total_or_sum().personnel;
    let basic_total = unit.expenditure.total_or_sum().basic;
    if basic_total <= Decimal::ZERO || personnel > basic_total || personnel < Decimal::ZERO {
        return o;
    }
    let basics: Vec<Decimal> = o
        .expenditure_split
        .iter()
        .map(|(_, s)| s.basic.unwrap_or_default())
        .collect();
    if basics.iter().any(|b| b.is_sign_negative()) {
        return o;
    }
    let mut shares: Vec<Decimal> = basics
        .iter()
        .map(|b| (*b * personnel / basic_total).floor())
        .collect();
    let largest = (0..basics.len()).max_by_key(|i| basics[*i]);
    if let Some(i) = largest {
        let rest = personnel - shares.iter().sum::<Decimal>();
        shares[i] += rest;
    }
    if basics.iter().zip(&shares).any(|(b, s)| s > b) {
        return o;
    }
    for ((_, s), (basic, share)) in o
        .expenditure_split
        .iter_mut()
        .zip(basics.iter().zip(shares))
    {
        if !basic.is_zero() {
            s.personnel = Some(share);
            s.public = Some(*basic - share);
        }
    }
    let mut with_split = unit.clone();
    with_split.stated_overview = Some(o);
    derive::overview(&with_split)
}

/// Distinct unit names: the department's 本部 first, then "上海市人民政府驻{地}{处}" — the
/// seed department's own five offices (广州, 昆明, 新疆, 西藏, 西宁) first.
fn unit_names(entity: &str, n: usize) -> Vec<String> {
    let head = if entity.is_empty() {
        "本部".to_string()
    } else {
        format!("{entity}本部")
    };
    let mut names = vec![head];
    for i in 0..n.saturating_sub(1) {
        let place = PLACES[i % PLACES.len()];
        let round = i / PLACES.len();
        let bureau = BUREAUS[round % BUREAUS.len()];
        let mut name = format!("上海市人民政府驻{place}{bureau}");
        let generation = round / BUREAUS.len();
        if generation > 0 {
            name.push_str(&format!("第{}分处", generation + 1));
        }
        names.push(name);
    }
    names
}

/// Unit shares of every split leaf row, by code, per table: `shares[code][unit]`.
type Shares<A> = BTreeMap<Code, Vec<A>>;

/// The functional-classification shares of 表2, 3, 5, 6, 7.
#[derive(Default)]
struct Functional {
    income: Shares<IncomeAmounts>,
    expenditure: Shares<SplitAmounts>,
    general: Shares<SplitAmounts>,
    fund: Shares<SplitAmounts>,
    capital: Shares<SplitAmounts>,
}

/// The codes of a table that no other row of the same table rolls up into.
fn leaves<A>(table: &Classified<A>) -> BTreeSet<Code> {
    let parents: BTreeSet<Code> = table.lines.iter().filter_map(|l| l.code.parent()).collect();
    table
        .lines
        .iter()
        .map(|l| l.code.clone())
        .filter(|c| !parents.contains(c))
        .collect()
}

/// A leaf row's amounts (zero when `code` is not a leaf of `table`).
fn leaf_amounts<A: Amounts>(table: &Classified<A>, leaves: &BTreeSet<Code>, code: &Code) -> A {
    if leaves.contains(code) {
        table
            .line(code)
            .map(|l| l.amounts.clone())
            .unwrap_or_default()
    } else {
        A::default()
    }
}

/// Splits every functional leaf so that each unit's 表3 = its 表5/6/7 + its non-fiscal money and
/// its 表2 matches its 表3 row by row.
fn split_functional(budget: &Budget, sizes: &[u64], rng: &mut SplitMix64) -> Functional {
    let n = sizes.len();
    let tables = [
        &budget.expenditure,
        &budget.general,
        &budget.fund,
        &budget.capital,
    ];
    let split_leaves: Vec<BTreeSet<Code>> = tables.iter().map(|t| leaves(t)).collect();
    let income_leaves = leaves(&budget.income);
    let codes: BTreeSet<Code> = split_leaves
        .iter()
        .flatten()
        .chain(income_leaves.iter())
        .cloned()
        .collect();

    let mut out = Functional::default();
    for code in codes {
        let weights = code_weights(sizes, rng);
        let [all, general, fund, capital]: [SplitAmounts; 4] =
            std::array::from_fn(|i| leaf_amounts(tables[i], &split_leaves[i], &code));
        let funds: Vec<Vec<SplitAmounts>> = [&general, &fund, &capital]
            .iter()
            .map(|a| split_row(a, &weights))
            .collect();
        let fiscal = funds
            .iter()
            .fold(SplitAmounts::default(), |acc, f| acc.add(&f_sum(f)));
        let non_fiscal = [all.basic - fiscal.basic, all.project - fiscal.project]
            .map(|amount| split_weighted(amount, &weights));
        let mut unit_all = Vec::with_capacity(n);
        let mut unit_fiscal = Vec::with_capacity(n);
        for u in 0..n {
            let f: SplitAmounts = funds
                .iter()
                .fold(SplitAmounts::default(), |acc, f| acc.add(&f[u]));
            let basic = f.basic + non_fiscal[0][u];
            let project = f.project + non_fiscal[1][u];
            unit_all.push(split_amounts(basic, project));
            unit_fiscal.push(f.total);
        }
        let income = leaf_amounts(&budget.income, &income_leaves, &code);
        let unit_income = split_income(&income, &unit_fiscal, &unit_all, &weights);
        let put = |shares: &mut Shares<SplitAmounts>, i: usize, v: Vec<SplitAmounts>| {
            if split_leaves[i].contains(&code) {
                shares.insert(code.clone(), v);
            }
        };
        put(&mut out.expenditure, 0, unit_all);
        let mut funds = funds.into_iter();
        put(&mut out.general, 1, funds.next().unwrap_or_default());
        put(&mut out.fund, 2, funds.next().unwrap_or_default());
        put(&mut out.capital, 3, funds.next().unwrap_or_default());
        if income_leaves.contains(&code) {
            out.income.insert(code, unit_income);
        }
    }
    out
}

/// The column-wise sum of unit shares.
fn f_sum<A: Amounts>(shares: &[A]) -> A {
    shares.iter().fold(A::default(), |acc, a| acc.add(a))
}

/// A 表3-shaped row from its two parts.
fn split_amounts(basic: Decimal, project: Decimal) -> SplitAmounts {
    SplitAmounts {
        total: basic + project,
        basic,
        project,
    }
}

/// Splits a 基本/项目 row by weights, keeping 合计 = 基本 + 项目 in every unit.
fn split_row(row: &SplitAmounts, weights: &[u64]) -> Vec<SplitAmounts> {
    let basic = split_weighted(row.basic, weights);
    let project = split_weighted(row.project, weights);
    basic
        .into_iter()
        .zip(project)
        .map(|(b, p)| split_amounts(b, p))
        .collect()
}

/// A unit's 表2 row for one code: 财政拨款收入 = its fiscal money (any disagreement of the
/// department's own row goes to the first unit), the other incomes allocated against its
/// non-fiscal spending.
fn split_income(
    income: &IncomeAmounts,
    unit_fiscal: &[Decimal],
    unit_all: &[SplitAmounts],
    weights: &[u64],
) -> Vec<IncomeAmounts> {
    let mut fiscal = unit_fiscal.to_vec();
    let gap = income.fiscal - fiscal.iter().copied().sum::<Decimal>();
    if let Some(first) = fiscal.get_mut(first_weighted(weights)) {
        *first += gap;
    }
    let demands: Vec<Decimal> = unit_all
        .iter()
        .zip(unit_fiscal)
        .map(|(a, f)| a.total - f)
        .collect();
    let others = allocate(&[income.business, income.operating, income.other], &demands);
    (0..fiscal.len())
        .map(|u| {
            let [business, operating, other] =
                std::array::from_fn(|i| others.get(i).map(|s| s[u]).unwrap_or_default());
            IncomeAmounts {
                total: fiscal[u] + business + operating + other,
                fiscal: fiscal[u],
                business,
                operating,
                other,
            }
        })
        .collect()
}

/// Splits 表8's leaves (人员经费, 公用经费 of each code) so that each unit's 表8 合计 equals its
/// 表5 基本支出 (`demands`).
fn split_economic(
    table: &Classified<EconomicAmounts>,
    demands: &[Decimal],
) -> Shares<EconomicAmounts> {
    let table_leaves = leaves(table);
    let codes: Vec<&Code> = table
        .lines
        .iter()
        .map(|l| &l.code)
        .filter(|c| table_leaves.contains(*c))
        .collect();
    let items: Vec<Decimal> = codes
        .iter()
        .flat_map(|c| {
            let a = leaf_amounts(table, &table_leaves, c);
            [a.personnel, a.public]
        })
        .collect();
    let shares = allocate(&items, demands);
    codes
        .into_iter()
        .zip(shares.chunks(2))
        .map(|(code, pair)| {
            let units = (0..demands.len())
                .map(|u| {
                    let personnel = pair.first().map(|s| s[u]).unwrap_or_default();
                    let public = pair.get(1).map(|s| s[u]).unwrap_or_default();
                    EconomicAmounts {
                        total: personnel + public,
                        personnel,
                        public,
                    }
                })
                .collect();
            (code.clone(), units)
        })
        .collect()
}

/// One unit's table: its leaf shares, parents recomputed from their listed children, in the
/// department's row order. A row is listed when the unit has money in it; rows the department
/// lists with no money at all stay with the first unit, so the units' code lists together are
/// the department's.
fn assemble<A: Amounts>(source: &Classified<A>, shares: &Shares<A>, unit: usize) -> Classified<A> {
    let mut amounts: BTreeMap<Code, A> = BTreeMap::new();
    for line in source.lines.iter().rev() {
        let value = match shares.get(&line.code) {
            Some(units) => units.get(unit).cloned().unwrap_or_default(),
            None => amounts
                .iter()
                .filter(|(c, _)| c.parent().as_ref() == Some(&line.code))
                .fold(A::default(), |acc, (_, a)| acc.add(a)),
        };
        amounts.insert(line.code.clone(), value);
    }
    let lines: Vec<Line<A>> = source
        .lines
        .iter()
        .filter_map(|line| {
            let value = amounts.get(&line.code)?.clone();
            let keep = !value.is_zero() || (unit == 0 && line.amounts.is_zero());
            keep.then(|| Line {
                code: line.code.clone(),
                name: line.name.clone(),
                amounts: value,
            })
        })
        .collect();
    let mut table = Classified {
        lines,
        total: None,
        unit: source.unit,
        present: source.present,
    };
    if source.total.is_some() {
        table.total = Some(table.sum_of_lei());
    }
    table
}

/// Splits the 三公 figures in whole 100 元 steps, each unit's 出国/接待/车运行 at least its 表8
/// 30212/30217/30231, and sets each unit's 机关运行经费 to its 公用经费 (to 0.01 万元 when 表9 is
/// in 万元).
fn split_table9(source: &Table9, units: &mut [Budget], sizes: &[u64]) {
    let floor_of = |code: &str| -> Vec<Decimal> {
        let code = Code::new(code);
        units
            .iter()
            .map(|u| {
                code.as_ref()
                    .and_then(|c| u.economic.line(c))
                    .map(|l| ceil_step(l.amounts.total))
                    .unwrap_or_default()
            })
            .collect()
    };
    let three: Option<Vec<ThreePublic>> = source.three_public.as_ref().map(|t| {
        let overseas = split_with_floor(t.overseas, &floor_of("30212"), sizes);
        let reception = split_with_floor(t.reception, &floor_of("30217"), sizes);
        let running = split_with_floor(t.vehicle_running, &floor_of("30231"), sizes);
        let purchase = split_weighted(t.vehicle_purchase, sizes);
        (0..units.len())
            .map(|u| {
                let subtotal = purchase[u] + running[u];
                ThreePublic {
                    total: overseas[u] + reception[u] + subtotal,
                    overseas: overseas[u],
                    reception: reception[u],
                    vehicle_subtotal: subtotal,
                    vehicle_purchase: purchase[u],
                    vehicle_running: running[u],
                }
            })
            .collect()
    });
    for (u, unit) in units.iter_mut().enumerate() {
        let admin_running = source.admin_running.map(|_| {
            let public = unit.economic.total_or_sum().public;
            match source.unit {
                MoneyUnit::WanYuan => round_step(public),
                MoneyUnit::Yuan => public,
            }
        });
        unit.table9 = Table9 {
            three_public: three.as_ref().and_then(|t| t.get(u).cloned()),
            admin_running,
            unit: source.unit,
        };
    }
}

/// Weights of the units for one code: usually every unit by size, sometimes only a few units
/// (a code only some units spend on).
fn code_weights(sizes: &[u64], rng: &mut SplitMix64) -> Vec<u64> {
    let mut weights: Vec<u64> = sizes.iter().map(|s| s * (1 + rng.below(4))).collect();
    if sizes.len() > 1 && rng.chance(40) {
        for w in weights.iter_mut() {
            if rng.chance(50) {
                *w = 0;
            }
        }
        if weights.iter().all(|w| *w == 0) {
            let keep = rng.below(sizes.len() as u64) as usize;
            if let (Some(w), Some(s)) = (weights.get_mut(keep), sizes.get(keep)) {
                *w = *s;
            }
        }
    }
    weights
}

/// The first unit with a non-zero weight (0 when none).
fn first_weighted(weights: &[u64]) -> usize {
    weights.iter().position(|w| *w > 0).unwrap_or(0)
}

fn step() -> Decimal {
    Decimal::from(STEP)
}

/// Rounds down (towards zero) to a whole 100 元.
fn floor_step(value: Decimal) -> Decimal {
    (value / step()).trunc() * step()
}

/// Rounds up (away from zero) to a whole 100 元.
fn ceil_step(value: Decimal) -> Decimal {
    let f = floor_step(value);
    if f == value {
        f
    } else {
        if value.is_sign_negative() {
            f - step()
        } else {
            f + step()
        }
    }
}

/// Rounds half up to a whole 100 元 (0.01 万元).
fn round_step(value: Decimal) -> Decimal {
    crate::money::round_dp(value / step(), 0) * step()
}

/// Splits `amount` in proportion to `weights`, in whole 100 元 steps; the remainder goes to the
/// first weighted unit. The shares always sum to `amount` exactly.
pub(crate) fn split_weighted(amount: Decimal, weights: &[u64]) -> Vec<Decimal> {
    let mut shares = vec![Decimal::ZERO; weights.len()];
    let total: u64 = weights.iter().sum();
    if amount.is_zero() || shares.is_empty() {
        return shares;
    }
    let first = first_weighted(weights);
    if total > 0 {
        for (u, w) in weights.iter().enumerate() {
            if u != first {
                // Checked: an absurd amount gives its whole share to the first unit instead
                // of overflowing.
                let share = amount
                    .checked_mul(Decimal::from(*w))
                    .and_then(|x| x.checked_div(Decimal::from(total)));
                shares[u] = share.map(floor_step).unwrap_or_default();
            }
        }
    }
    shares[first] = amount - shares.iter().copied().sum::<Decimal>();
    shares
}

/// Splits `amount` so that every unit gets at least its `floor`, the rest by `weights`; falls
/// back to a plain weighted split when the floors do not fit.
fn split_with_floor(amount: Decimal, floor: &[Decimal], weights: &[u64]) -> Vec<Decimal> {
    let floor_total: Decimal = floor.iter().copied().sum();
    if floor.len() != weights.len() || floor_total > amount {
        return split_weighted(amount, weights);
    }
    split_weighted(amount - floor_total, weights)
        .into_iter()
        .zip(floor)
        .map(|(s, f)| s + f)
        .collect()
}

/// Allocates each item to the units in proportion to what each unit still needs (`demands`),
/// in whole 100 元 steps, so that when Σ items = Σ demands every unit ends up with exactly its
/// demand. `result[item][unit]`; every item's shares sum to the item exactly.
pub(crate) fn allocate(items: &[Decimal], demands: &[Decimal]) -> Vec<Vec<Decimal>> {
    let n = demands.len();
    let mut remaining = demands.to_vec();
    let mut result = Vec::with_capacity(items.len());
    for &amount in items {
        let mut shares = vec![Decimal::ZERO; n];
        let open: Decimal = remaining.iter().filter(|r| r.is_sign_positive()).sum();
        // The unit that absorbs the odd remainder: the one that still needs the most.
        let sink = (0..n).fold(0, |best, u| {
            if remaining[u] > remaining[best] {
                u
            } else {
                best
            }
        });
        if n == 0 {
            result.push(shares);
            continue;
        }
        if amount > Decimal::ZERO && open > Decimal::ZERO {
            for u in (0..n).filter(|u| *u != sink) {
                let need = remaining[u].max(Decimal::ZERO);
                let share = amount.checked_mul(need).and_then(|x| x.checked_div(open));
                shares[u] = share.map(floor_step).unwrap_or_default().min(need);
            }
        }
        shares[sink] = amount - shares.iter().copied().sum::<Decimal>();
        // Never give the sink more than it needs while others still need something.
        let mut excess = shares[sink] - remaining[sink].max(Decimal::ZERO);
        if amount > Decimal::ZERO && excess > Decimal::ZERO {
            shares[sink] -= excess;
            for u in (0..n).filter(|u| *u != sink) {
                let room = (remaining[u] - shares[u]).max(Decimal::ZERO).min(excess);
                shares[u] += room;
                excess -= room;
            }
            shares[sink] += excess;
        }
        for u in 0..n {
            remaining[u] -= shares[u];
        }
        result.push(shares);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::example_budget;

    fn d(v: i64) -> Decimal {
        Decimal::from(v)
    }

    #[test]
    fn weighted_split_is_exact_and_in_hundreds() {
        let shares = split_weighted(d(48_015_638), &[12, 3, 0, 5]);
        assert_eq!(shares.iter().copied().sum::<Decimal>(), d(48_015_638));
        assert_eq!(shares[2], Decimal::ZERO);
        assert!(shares[1..].iter().all(|s| (s % d(100)).is_zero()));
        assert_eq!(
            split_weighted(d(-700), &[1, 1])
                .iter()
                .copied()
                .sum::<Decimal>(),
            d(-700)
        );
        assert_eq!(split_weighted(d(5), &[0, 0]), vec![d(5), d(0)]);
        let huge = Decimal::MAX - d(1);
        assert_eq!(
            split_weighted(huge, &[3, 5])
                .iter()
                .copied()
                .sum::<Decimal>(),
            huge
        );
        let shares = allocate(&[huge], &[huge / d(2), d(7)]);
        assert_eq!(shares[0].iter().copied().sum::<Decimal>(), huge);
    }

    #[test]
    fn allocation_meets_every_demand_exactly() {
        let demands = [d(1_000_050), d(300_000), d(12_345)];
        let items = [d(800_000), d(212_345), d(300_050)];
        let shares = allocate(&items, &demands);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(shares[i].iter().copied().sum::<Decimal>(), *item);
        }
        for (u, demand) in demands.iter().enumerate() {
            assert_eq!(shares.iter().map(|s| s[u]).sum::<Decimal>(), *demand);
            assert!(shares.iter().all(|s| s[u] >= Decimal::ZERO));
        }
    }

    /// Every coded table (表2, 表3, 表5-8) of the units adds up to the department's.
    fn assert_coded_tables_sum_back(dept: &Budget, units: &[Budget]) {
        let refs =
            |f: fn(&Budget) -> &Classified<SplitAmounts>| units.iter().map(f).collect::<Vec<_>>();
        assert_sums_back(&dept.expenditure, &refs(|b| &b.expenditure));
        assert_sums_back(&dept.general, &refs(|b| &b.general));
        assert_sums_back(&dept.fund, &refs(|b| &b.fund));
        assert_sums_back(&dept.capital, &refs(|b| &b.capital));
        assert_sums_back(
            &dept.income,
            &units.iter().map(|b| &b.income).collect::<Vec<_>>(),
        );
        assert_sums_back(
            &dept.economic,
            &units.iter().map(|b| &b.economic).collect::<Vec<_>>(),
        );
    }

    fn assert_sums_back<A: Amounts>(dept: &Classified<A>, units: &[&Classified<A>]) {
        for line in &dept.lines {
            let sum = units
                .iter()
                .filter_map(|t| t.line(&line.code))
                .fold(A::default(), |acc, l| acc.add(&l.amounts));
            assert_eq!(sum, line.amounts, "code {}", line.code);
        }
        let total = units
            .iter()
            .fold(A::default(), |acc, t| acc.add(&t.total_or_sum()));
        assert_eq!(total, dept.total_or_sum());
        for t in units {
            for l in &t.lines {
                assert!(
                    dept.line(&l.code).is_some(),
                    "unit invented code {}",
                    l.code
                );
            }
        }
    }

    fn assert_identities(unit: &Budget) {
        fn rollups<A: Amounts>(t: &Classified<A>) {
            for l in &t.lines {
                let children: Vec<_> = t
                    .lines
                    .iter()
                    .filter(|c| c.code.parent().as_ref() == Some(&l.code))
                    .collect();
                if !children.is_empty() {
                    let sum = children
                        .iter()
                        .fold(A::default(), |acc, c| acc.add(&c.amounts));
                    assert_eq!(sum, l.amounts, "roll-up of {}", l.code);
                }
                let v = l.amounts.values();
                assert_eq!(
                    v[0],
                    v[1..].iter().copied().sum::<Decimal>(),
                    "row sum {}",
                    l.code
                );
            }
            if let Some(total) = &t.total {
                assert_eq!(total, &t.sum_of_lei());
            }
        }
        rollups(&unit.income);
        rollups(&unit.expenditure);
        rollups(&unit.general);
        rollups(&unit.fund);
        rollups(&unit.capital);
        rollups(&unit.economic);
        let codes = |t: &Classified<_>| {
            t.lines
                .iter()
                .map(|l: &Line<SplitAmounts>| l.code.clone())
                .collect::<Vec<_>>()
        };
        let income_codes: Vec<Code> = unit.income.lines.iter().map(|l| l.code.clone()).collect();
        assert_eq!(
            income_codes,
            codes(&unit.expenditure),
            "表2 and 表3 list the same codes"
        );
        for l in &unit.expenditure.lines {
            let income = unit.income.line(&l.code).map(|i| i.amounts.total);
            assert_eq!(income, Some(l.amounts.total));
            let fiscal = [&unit.general, &unit.fund, &unit.capital]
                .iter()
                .filter_map(|t| t.line(&l.code))
                .fold(SplitAmounts::default(), |acc, f| acc.add(&f.amounts));
            assert!(fiscal.basic <= l.amounts.basic && fiscal.project <= l.amounts.project);
            assert_eq!(
                unit.income.line(&l.code).map(|i| i.amounts.fiscal),
                Some(fiscal.total)
            );
        }
        assert_eq!(
            unit.general.total_or_sum().basic,
            unit.economic.total_or_sum().total
        );
        if let Some(t) = &unit.table9.three_public {
            assert_eq!(t.total, t.overseas + t.reception + t.vehicle_subtotal);
            assert_eq!(t.vehicle_subtotal, t.vehicle_purchase + t.vehicle_running);
            for v in [
                t.overseas,
                t.reception,
                t.vehicle_purchase,
                t.vehicle_running,
            ] {
                assert!(
                    (v % d(100)).is_zero(),
                    "三公 figure {v} is not whole 0.01 万元"
                );
            }
            let item = |c: &str| {
                unit.economic
                    .line(&Code::new(c).unwrap())
                    .map(|l| l.amounts.total)
                    .unwrap_or_default()
            };
            assert!(t.overseas >= item("30212") && t.reception >= item("30217"));
            assert!(t.vehicle_running >= item("30231"));
        }
    }

    #[test]
    fn units_sum_back_exactly_and_keep_every_identity() {
        let dept = example_budget();
        for n in [1, 2, 6, 25] {
            let units = split_units(&dept, n, 42 + n as u64);
            assert_eq!(units.len(), n);
            assert_coded_tables_sum_back(&dept, &units);
            let three = units
                .iter()
                .filter_map(|u| u.table9.three_public.clone())
                .fold(ThreePublic::default(), |a, t| a.plus(&t));
            assert_eq!(Some(three), dept.table9.three_public);
            let mut names: Vec<&str> = units.iter().map(|u| u.meta.entity.as_str()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), n, "unit names are distinct");
            for unit in &units {
                assert_eq!(unit.meta.level, Level::Unit);
                assert_eq!(unit.meta.unit_kind, Some(UnitKind::Administrative));
                assert_identities(unit);
            }
        }
    }

    fn line<A>(code: &Code, amounts: A) -> Line<A> {
        Line {
            code: code.clone(),
            name: format!("科目{code}"),
            amounts,
        }
    }

    /// A random budget that satisfies every identity: fiscal money per code in 表5/表6, extra
    /// non-fiscal money in 表3 funded by 事业/其他收入, 表8 summing to 表5 基本支出, 三公 at
    /// least the 表8 items. Amounts carry 分 now and then.
    fn random_budget(seed: u64) -> Budget {
        let mut rng = SplitMix64::new(seed);
        let amount = |max: u64, rng: &mut SplitMix64| {
            let yuan = Decimal::from(rng.below(max));
            if rng.chance(20) {
                yuan + Decimal::new(rng.below(100) as i64, 2)
            } else {
                yuan
            }
        };
        let function = [
            "2010301", "2010302", "2080501", "2080505", "2101101", "2210201", "2130101",
        ];
        let mut dept = example_budget();
        let (mut t3, mut t5, mut t6, mut t2) = (vec![], vec![], vec![], vec![]);
        for code in function {
            if !rng.chance(80) {
                continue;
            }
            let code = Code::new(code).unwrap();
            let (b5, p5) = (amount(5_000_000, &mut rng), amount(2_000_000, &mut rng));
            let p6 = if rng.chance(30) {
                amount(800_000, &mut rng)
            } else {
                Decimal::ZERO
            };
            let (nb, np) = if rng.chance(40) {
                (amount(300_000, &mut rng), amount(300_000, &mut rng))
            } else {
                (Decimal::ZERO, Decimal::ZERO)
            };
            let business = if rng.chance(50) {
                (nb + np) / Decimal::from(3)
            } else {
                Decimal::ZERO
            };
            let business = crate::money::round_fen(business);
            t5.push(line(&code, split_amounts(b5, p5)));
            if !p6.is_zero() {
                t6.push(line(&code, split_amounts(Decimal::ZERO, p6)));
            }
            t3.push(line(&code, split_amounts(b5 + nb, p5 + p6 + np)));
            let fiscal = b5 + p5 + p6;
            t2.push(line(
                &code,
                IncomeAmounts {
                    total: fiscal + nb + np,
                    fiscal,
                    business,
                    operating: Decimal::ZERO,
                    other: nb + np - business,
                },
            ));
        }
        fn table<A: Amounts>(leaves: Vec<Line<A>>) -> Classified<A> {
            let mut lines = leaves.clone();
            for level in [5, 3] {
                let mut parents: BTreeMap<Code, A> = BTreeMap::new();
                for l in lines.iter().filter(|l| l.code.as_str().len() == level + 2) {
                    let p = Code::new(&l.code.as_str()[..level]).unwrap();
                    let e = parents.entry(p).or_default();
                    *e = e.add(&l.amounts);
                }
                for (code, amounts) in parents {
                    lines.push(Line {
                        name: format!("科目{code}"),
                        code,
                        amounts,
                    });
                }
            }
            lines.sort_by(|a, b| a.code.cmp(&b.code));
            let mut t = Classified {
                lines,
                present: true,
                ..Classified::default()
            };
            t.total = Some(t.sum_of_lei());
            t
        }
        dept.general = table(t5);
        dept.fund = table(t6);
        dept.expenditure = table(t3);
        dept.income = table(t2);
        let basic = dept.general.total_or_sum().basic;
        let economic = [
            "30101", "30102", "30201", "30212", "30217", "30231", "30302", "31002",
        ];
        let weights: Vec<u64> = economic.iter().map(|_| 1 + rng.below(20)).collect();
        let shares = split_weighted(basic, &weights);
        let e_leaves: Vec<Line<EconomicAmounts>> = economic
            .iter()
            .zip(shares)
            .map(|(code, v)| {
                let personnel = code.starts_with("301") || code.starts_with("303");
                let amounts = EconomicAmounts {
                    total: v,
                    personnel: if personnel { v } else { Decimal::ZERO },
                    public: if personnel { Decimal::ZERO } else { v },
                };
                Line {
                    code: Code::new(code).unwrap(),
                    name: format!("经济{code}"),
                    amounts,
                }
            })
            .collect();
        dept.economic = table(e_leaves);
        let item = |c: &str| {
            dept.economic
                .line(&Code::new(c).unwrap())
                .unwrap()
                .amounts
                .total
        };
        let (o, r, v) = (
            ceil_step(item("30212")),
            ceil_step(item("30217")),
            ceil_step(item("30231")),
        );
        dept.table9.three_public = Some(ThreePublic {
            total: o + r + v + d(5_000),
            overseas: o,
            reception: r + d(5_000),
            vehicle_subtotal: v,
            vehicle_purchase: Decimal::ZERO,
            vehicle_running: v,
        });
        dept.stated_overview = Some(derive::overview(&dept));
        dept
    }

    #[test]
    fn random_consistent_budgets_split_exactly_into_consistent_units() {
        for case in 0..40u64 {
            let dept = random_budget(case);
            let n = 1 + (case as usize * 7) % 13;
            let units = split_units(&dept, n, case);
            assert_coded_tables_sum_back(&dept, &units);
            for unit in &units {
                assert_identities(unit);
                fn non_negative<A: Amounts>(t: &Classified<A>) -> bool {
                    t.lines
                        .iter()
                        .all(|l| l.amounts.values().iter().all(|v| !v.is_sign_negative()))
                }
                let all_non_negative = non_negative(&unit.expenditure)
                    && non_negative(&unit.income)
                    && non_negative(&unit.economic)
                    && non_negative(&unit.general);
                assert!(
                    all_non_negative,
                    "case {case}: a unit got a negative amount"
                );
            }
        }
    }

    #[test]
    fn first_unit_is_the_head_office_and_others_are_bureaus() {
        let units = split_units(&example_budget(), 3, 7);
        assert_eq!(units[0].meta.entity, "上海市人民政府合作交流办公室本部");
        assert!(units[1].meta.entity.starts_with("上海市人民政府驻"));
        let many = unit_names("", 300);
        let unique: BTreeSet<&String> = many.iter().collect();
        assert_eq!(unique.len(), 300);
    }

    #[test]
    fn split_is_deterministic_for_a_seed_and_differs_across_seeds() {
        let dept = example_budget();
        assert_eq!(split_units(&dept, 6, 9), split_units(&dept, 6, 9));
        assert_ne!(split_units(&dept, 6, 9), split_units(&dept, 6, 10));
        assert!(split_units(&dept, 0, 9).is_empty());
    }

    #[test]
    fn admin_running_is_each_units_public_funds_to_the_table9_unit() {
        let dept = example_budget();
        for unit in split_units(&dept, 6, 3) {
            let public = unit.economic.total_or_sum().public;
            let stated = unit.table9.admin_running.unwrap();
            assert!((stated - public).abs() <= d(50));
            assert!((stated % d(100)).is_zero());
        }
    }
}
