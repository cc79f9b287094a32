//! Consolidation: the department budget as the sum of its units' budgets. Base tables are
//! summed code by code (the name of a code comes from the first unit that lists it), 三公 is
//! summed, and 机关运行经费 is the 公用经费 of the 行政/参公 units only. Built incrementally and
//! mergeable in order, so a parallel batch never holds every unit's budget at once.

use crate::model::{
    Amounts, Budget, Classified, Level, Line, Meta, MoneyUnit, Table9, ThreePublic, UnitKind,
};
use rust_decimal::Decimal;

/// One table being summed: lines by code, the summed 合计, and the table's flags.
#[derive(Debug, Clone)]
struct Sum<A> {
    /// One line per code, in code order (the name from the first unit that lists it).
    lines: Vec<Line<A>>,
    total: A,
    any_total: bool,
    unit: MoneyUnit,
    present: bool,
}

impl<A: Amounts> Default for Sum<A> {
    fn default() -> Self {
        Sum {
            lines: Vec::new(),
            total: A::default(),
            any_total: false,
            unit: MoneyUnit::Yuan,
            present: false,
        }
    }
}

impl<A: Amounts> Sum<A> {
    fn add(&mut self, table: &Classified<A>) {
        self.add_owned(table.clone());
    }

    /// [`Sum::add`] taking the table's lines rather than copying them.
    fn add_owned(&mut self, mut table: Classified<A>) {
        // Before the lines are taken: a table without 合计 counts the sum of its 类 rows.
        self.add_rest(&table);
        self.add_lines(std::mem::take(&mut table.lines));
    }

    /// Adds one table's lines: summed per code (the first line of a code keeps its name).
    fn add_lines(&mut self, mut lines: Vec<Line<A>>) {
        // Stable: lines of the same code stay in their order, so the first one leads.
        lines.sort_by(|a, b| a.code.cmp(&b.code));
        lines.dedup_by(|later, first| {
            let same = later.code == first.code;
            if same {
                first.amounts = first.amounts.add(&later.amounts);
            }
            same
        });
        self.merge_lines(lines);
    }

    /// The 合计, units and presence of one table (its lines are added apart).
    fn add_rest(&mut self, table: &Classified<A>) {
        self.total = self.total.add(&table.total_or_sum());
        self.any_total |= table.total.is_some();
        self.present |= table.present;
        self.unit = coarser(self.unit, table.unit);
    }

    /// Merges lines in code order with one line per code into ours: a code both list keeps
    /// our line with the later amounts added; new codes are inserted in order. Units mostly
    /// share their codes, so the lines are added in place and only new codes move ours.
    fn merge_lines(&mut self, later: Vec<Line<A>>) {
        if self.lines.is_empty() {
            self.lines = later;
            return;
        }
        let mut later = later.into_iter().peekable();
        let mut new_codes = Vec::new();
        for line in &mut self.lines {
            while let Some(next) = later.next_if(|l| l.code < line.code) {
                new_codes.push(next);
            }
            if let Some(same) = later.next_if(|l| l.code == line.code) {
                line.amounts = line.amounts.add(&same.amounts);
            }
        }
        new_codes.extend(later);
        if !new_codes.is_empty() {
            self.lines.append(&mut new_codes);
            // Two sorted runs of distinct codes: the sort merges them.
            self.lines.sort_by(|a, b| a.code.cmp(&b.code));
        }
    }

    fn merge(&mut self, later: Sum<A>) {
        self.merge_lines(later.lines);
        self.total = self.total.add(&later.total);
        self.any_total |= later.any_total;
        self.present |= later.present;
        self.unit = coarser(self.unit, later.unit);
    }

    fn finish(self) -> Classified<A> {
        Classified {
            lines: self.lines,
            total: self.any_total.then_some(self.total),
            unit: self.unit,
            present: self.present,
        }
    }
}

/// A department being summed from its units, in unit order.
#[derive(Debug, Clone, Default)]
pub struct Consolidation {
    units: usize,
    year: Option<u16>,
    kinds: Vec<Option<UnitKind>>,
    income: Sum<crate::model::IncomeAmounts>,
    expenditure: Sum<crate::model::SplitAmounts>,
    general: Sum<crate::model::SplitAmounts>,
    fund: Sum<crate::model::SplitAmounts>,
    capital: Sum<crate::model::SplitAmounts>,
    economic: Sum<crate::model::EconomicAmounts>,
    three_public: Option<ThreePublic>,
    admin_running: Option<Decimal>,
    table9_unit: MoneyUnit,
}

fn add_three(a: Option<ThreePublic>, b: Option<&ThreePublic>) -> Option<ThreePublic> {
    match (a, b) {
        (None, None) => None,
        (Some(a), None) => Some(a),
        (a, Some(b)) => Some(a.unwrap_or_default().plus(b)),
    }
}

/// The unit a sum of amounts in `a` and in `b` is shown in: 万元 when either is.
fn coarser(a: MoneyUnit, b: MoneyUnit) -> MoneyUnit {
    if b == MoneyUnit::WanYuan { b } else { a }
}

fn add_option(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or_default() + b.unwrap_or_default()),
    }
}

impl Consolidation {
    /// An empty consolidation.
    pub fn new() -> Consolidation {
        Consolidation::default()
    }

    /// Adds the next unit (its kind as known from `units.csv` or its own documents).
    pub fn add(&mut self, unit: &Budget, kind: Option<UnitKind>) {
        self.add_figures(unit, kind);
        self.income.add(&unit.income);
        self.expenditure.add(&unit.expenditure);
        self.general.add(&unit.general);
        self.fund.add(&unit.fund);
        self.capital.add(&unit.capital);
        self.economic.add(&unit.economic);
    }

    /// [`Consolidation::add`] for a budget that is no longer needed: its lines are moved in
    /// rather than copied.
    pub fn add_owned(&mut self, unit: Budget, kind: Option<UnitKind>) {
        self.add_figures(&unit, kind);
        self.income.add_owned(unit.income);
        self.expenditure.add_owned(unit.expenditure);
        self.general.add_owned(unit.general);
        self.fund.add_owned(unit.fund);
        self.capital.add_owned(unit.capital);
        self.economic.add_owned(unit.economic);
    }

    /// Everything of a unit but its base tables' lines and 合计: the count, year, kind and 表9.
    fn add_figures(&mut self, unit: &Budget, kind: Option<UnitKind>) {
        self.units += 1;
        self.year = self.year.or(unit.meta.year);
        self.kinds.push(kind);
        self.three_public = add_three(self.three_public.take(), unit.table9.three_public.as_ref());
        let admin = kind.map(|k| {
            if k.has_admin_running_cost() {
                unit.economic.total_or_sum().public
            } else {
                Decimal::ZERO
            }
        });
        self.admin_running = add_option(self.admin_running, admin);
        self.table9_unit = coarser(self.table9_unit, unit.table9.unit);
    }

    /// Appends a consolidation of units that all come after this one's (for parallel folds).
    pub fn merge(mut self, later: Consolidation) -> Consolidation {
        self.units += later.units;
        self.year = self.year.or(later.year);
        self.kinds.extend(later.kinds);
        self.income.merge(later.income);
        self.expenditure.merge(later.expenditure);
        self.general.merge(later.general);
        self.fund.merge(later.fund);
        self.capital.merge(later.capital);
        self.economic.merge(later.economic);
        self.three_public = add_three(self.three_public, later.three_public.as_ref());
        self.admin_running = add_option(self.admin_running, later.admin_running);
        self.table9_unit = coarser(self.table9_unit, later.table9_unit);
        self
    }

    /// How many units were added.
    pub fn units(&self) -> usize {
        self.units
    }

    /// The department budget (level 部门, entity `department`). Its unit kind is the units'
    /// common kind and its 行政/参公 unit count is stated, when every unit's kind is known.
    pub fn finish(self, department: &str) -> Budget {
        let all_known: Option<Vec<UnitKind>> = self.kinds.iter().copied().collect();
        let common_kind = all_known.as_ref().and_then(|kinds| {
            let first = *kinds.first()?;
            kinds.iter().all(|k| *k == first).then_some(first)
        });
        let admin_units = all_known
            .as_ref()
            .map(|kinds| kinds.iter().filter(|k| k.has_admin_running_cost()).count() as u32);
        Budget {
            meta: Meta {
                year: self.year,
                entity: department.to_string(),
                level: Level::Department,
                unit_kind: common_kind,
                admin_unit_count: admin_units,
            },
            income: self.income.finish(),
            expenditure: self.expenditure.finish(),
            general: self.general.finish(),
            fund: self.fund.finish(),
            capital: self.capital.finish(),
            economic: self.economic.finish(),
            table9: Table9 {
                three_public: self.three_public,
                admin_running: self.admin_running,
                unit: self.table9_unit,
            },
            ..Budget::default()
        }
    }
}

/// The department budget of `units` (each with its kind), in order.
pub fn consolidate(department: &str, units: &[(Budget, Option<UnitKind>)]) -> Budget {
    let mut c = Consolidation::new();
    for (budget, kind) in units {
        c.add(budget, *kind);
    }
    c.finish(department)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::{example_budget, split_units};

    #[test]
    fn split_units_consolidate_back_to_the_department() {
        let dept = example_budget();
        let units: Vec<(Budget, Option<UnitKind>)> = split_units(&dept, 6, 11)
            .into_iter()
            .map(|u| (u, Some(UnitKind::Administrative)))
            .collect();
        let got = consolidate(&dept.meta.entity, &units);
        assert_eq!(got.income, dept.income);
        assert_eq!(got.expenditure, dept.expenditure);
        assert_eq!(got.general, dept.general);
        assert_eq!(got.fund, dept.fund);
        assert_eq!(got.capital, dept.capital);
        assert_eq!(got.economic, dept.economic);
        assert_eq!(got.table9.three_public, dept.table9.three_public);
        assert_eq!(got.table9.unit, MoneyUnit::WanYuan);
        // Σ 公用经费 of the six 行政 units, exactly (the seed prints it as 1,879.28 万元).
        assert_eq!(got.table9.admin_running, Some(Decimal::from(18_792_776)));
        assert_eq!(got.meta, dept.meta);
    }

    #[test]
    fn merging_in_order_equals_adding_in_order_and_names_come_from_the_first_unit() {
        let mut units = split_units(&example_budget(), 4, 5);
        for l in units[3].income.lines.iter_mut() {
            l.name = format!("{}（旧）", l.name);
        }
        let code = units[3].income.lines[0].code.clone();
        let mut a = Consolidation::new();
        let mut b = Consolidation::new();
        let mut all = Consolidation::new();
        for (i, u) in units.iter().enumerate() {
            all.add(u, None);
            if i < 2 {
                a.add(u, None)
            } else {
                b.add(u, None)
            }
        }
        let merged = a.merge(b).finish("部门");
        assert_eq!(merged, all.finish("部门"));
        let first = units.iter().find_map(|u| u.income.line(&code)).unwrap();
        assert_eq!(merged.income.line(&code).unwrap().name, first.name);
        assert_eq!(
            merged.table9.admin_running, None,
            "no kind known, no 机关运行经费"
        );
        assert_eq!(merged.meta.unit_kind, None);
    }

    #[test]
    fn institutions_have_no_admin_running_cost() {
        let units = split_units(&example_budget(), 3, 1);
        let public = |u: &Budget| u.economic.total_or_sum().public;
        let kinds = [
            Some(UnitKind::Administrative),
            Some(UnitKind::Institution),
            Some(UnitKind::CivilServiceManaged),
        ];
        let pairs: Vec<_> = units.iter().cloned().zip(kinds).collect();
        let got = consolidate("部门", &pairs);
        assert_eq!(
            got.table9.admin_running,
            Some(public(&units[0]) + public(&units[2]))
        );
        assert_eq!(got.meta.admin_unit_count, Some(2));
        assert_eq!(got.meta.unit_kind, None);
    }
}
