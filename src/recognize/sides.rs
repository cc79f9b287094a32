//! The reader of 表1 and 表4, which print an income list beside an expenditure list:
//! `项目 | 预算数 | 项目 | 预算数…`, padding rows, then `收入总计 | N | 支出总计 | N…`.
//!
//! Income items known to the official lists (`derive`) are keyed by their official label even
//! when printed with a 2026 variant (`1、一般公共预算` → `1、一般公共预算资金`); others as printed.
//!
//! Sources (see `check::keys`): 表1 income items are keyed `RowKey::Label(label)` (official or
//! as printed, as above) column 0, expenditure items `RowKey::Label(name without numbering)`
//! column 1, the totals `收入总计` (0) and `支出总计` (1); where each item's label was read is
//! keyed by the same label in column `model::INCOME_LABEL_CELL` (income side) or
//! `model::EXPENDITURE_LABEL_CELL` (expenditure side), for the findings about the label (not
//! for the totals, whose labels no finding is about). A unit-level 表1 (合计 | 基本支出 (小计,
//! 人员经费, 公用经费) | 项目支出) adds its split columns 2..=5 of `model::T1_COLUMNS` (基本支出,
//! 人员经费, 公用经费, 项目支出) on the same rows; a row whose 人员经费 and 公用经费 are both blank
//! states neither (`None`: unknown, as the writer prints an unknown split). 表4 likewise with
//! the expenditure columns 1..=4 (`合计`, `一般公共预算`, `政府性基金预算`, `国有资本经营预算`).
//!
//! Not for checking a stated 表1/4 against the tables it summarises: that is `check::cross`.

use super::amounts::{self, Slot};
use super::header::{Layout, MappedColumn};
use super::norm::{cell_str, norm, strip_numbering};
use super::reader::{Content, Feed, TableReader, TableSources};
use crate::derive::{FISCAL_INCOME_LABELS, OVERVIEW_INCOME_LABELS};
use crate::finding::Finding;
use crate::grid::CellValue;
use crate::grid::Grid;
use crate::model::{
    CellKey, FiscalOverview, FiscalRow, MoneyUnit, Overview, OverviewSplit, RowKey, TableId,
};
use crate::model::{EXPENDITURE_TOTAL, INCOME_TOTAL, T1_COLUMNS, T4_COLUMNS};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::sync::LazyLock;

/// How many expenditure amounts a row can have: 表4 合计 and three funds; 表1 合计 and, at unit
/// level, 基本支出, 人员经费, 公用经费, 项目支出.
const SIDE_WIDTH: usize = 5;

/// One expenditure row's amounts by catalogue index; `None` where the column is not printed.
type SideValues = [Option<Decimal>; SIDE_WIDTH];

/// Longer single texts in the label column are prose, not items.
const MAX_LABEL_CHARS: usize = 30;

/// Income labels printed differently from the official ones (2026: `一、一般公共预算` for
/// `一、一般公共预算资金`), as (printed, official) without numbering.
const INCOME_ALIASES: [(&str, &str); 4] = [
    ("一般公共预算", "一般公共预算资金"),
    ("政府性基金预算", "政府性基金"),
    ("政府性基金预算资金", "政府性基金"),
    ("国有资本经营预算资金", "国有资本经营预算"),
];

/// The official label (`derive::OVERVIEW_INCOME_LABELS` / `FISCAL_INCOME_LABELS`) of an income
/// item printed with other numbering or a 2026 variant; other labels as printed (trimmed).
fn canonical_income_label(id: TableId, printed: &str) -> String {
    let official = if id == TableId::T4 {
        &BARE_OFFICIAL.fiscal
    } else {
        &BARE_OFFICIAL.overview
    };
    let bare = bare_label(printed);
    let bare = INCOME_ALIASES
        .iter()
        .find(|(variant, _)| *variant == bare)
        .map_or(bare.as_str(), |(_, official)| official);
    official
        .iter()
        .find(|(official_bare, _)| official_bare == bare)
        .map_or_else(|| printed.trim().to_string(), |(_, l)| l.to_string())
}

/// A label compared without its numbering: `norm(strip_numbering(label))`.
fn bare_label(label: &str) -> String {
    norm(&strip_numbering(label))
}

/// The official income labels as (`bare_label`, label), made once rather than per row.
struct BareOfficial {
    overview: Vec<(String, &'static str)>,
    fiscal: Vec<(String, &'static str)>,
}

static BARE_OFFICIAL: LazyLock<BareOfficial> = LazyLock::new(|| {
    let bare = |labels: &[&'static str]| labels.iter().map(|l| (bare_label(l), *l)).collect();
    BareOfficial {
        overview: bare(&OVERVIEW_INCOME_LABELS),
        fiscal: bare(&FISCAL_INCOME_LABELS),
    }
});

/// Catalogue indices (`tables::CATALOGUE`, 表1) of the unit-level split columns.
const SPLIT_BASIC: usize = 1;
const SPLIT_PERSONNEL: usize = 2;
const SPLIT_PUBLIC: usize = 3;
const SPLIT_PROJECT: usize = 4;

#[derive(Debug, Clone)]
struct Columns {
    income_label: usize,
    income_amount: usize,
    expenditure_label: usize,
    amounts: Vec<MappedColumn>,
}

/// Reads 表1 (`TableId::T1`) or 表4 (`TableId::T4`).
pub(crate) struct SidesReader {
    id: TableId,
    unit: MoneyUnit,
    columns: Columns,
    income: Vec<(String, Decimal)>,
    income_total: Option<Decimal>,
    expenditure: Vec<(String, SideValues)>,
    expenditure_total: Option<SideValues>,
    findings: Vec<Finding>,
}

fn columns_of(layout: Layout) -> Option<Columns> {
    match layout {
        Layout::Sides {
            income_label,
            income_amount,
            expenditure_label,
            amounts,
        } => Some(Columns {
            income_label,
            income_amount,
            expenditure_label,
            amounts,
        }),
        _ => None,
    }
}

impl SidesReader {
    /// A reader for 表1 or 表4 laid out as `layout` (must be `Layout::Sides`).
    pub(crate) fn new(id: TableId, layout: Layout, unit: MoneyUnit) -> Option<SidesReader> {
        Some(SidesReader {
            id,
            unit,
            columns: columns_of(layout)?,
            income: Vec::new(),
            income_total: None,
            expenditure: Vec::new(),
            expenditure_total: None,
            findings: Vec::new(),
        })
    }

    fn amount(
        &mut self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        col: usize,
        key: CellKey,
        column: &str,
    ) -> Decimal {
        let slot = Slot {
            table: self.id,
            row: &key.row,
            column,
        };
        let value = amounts::read(grid, r, col, self.unit, slot, &mut self.findings);
        sources.push(key, grid.location(r, col));
        value
    }

    fn key(&self, label: &str, column: usize) -> CellKey {
        CellKey {
            table: self.id,
            row: RowKey::Label(label.to_string()),
            column,
        }
    }

    /// The income side of row `r`; true when it was the total.
    fn income_side(
        &mut self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        label: &str,
    ) -> bool {
        let n = norm(label);
        let is_total = n.contains("总计");
        if n.ends_with("合计") && !is_total {
            return false;
        }
        let canonical = canonical_income_label(self.id, label);
        let key_label = if is_total {
            INCOME_TOTAL
        } else {
            canonical.as_str()
        };
        if !is_total {
            let label_key = CellKey::income_label_cell(self.id, key_label);
            sources.push(label_key, grid.location(r, self.columns.income_label));
        }
        let key = self.key(key_label, 0);
        let col = self.columns.income_amount;
        let value = self.amount((grid, r, sources), col, key, "预算数");
        if is_total {
            self.income_total = Some(value);
        } else {
            self.income.push((canonical, value));
        }
        is_total
    }

    /// The expenditure side of row `r`; true when it was the total.
    fn expenditure_side(
        &mut self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        label: &str,
    ) -> bool {
        let n = norm(label);
        let is_total = n.contains("总计");
        if n.ends_with("合计") && !is_total {
            return false;
        }
        let name = if is_total {
            EXPENDITURE_TOTAL.to_string()
        } else {
            strip_numbering(label)
        };
        if !is_total {
            let label_key = CellKey::expenditure_label_cell(self.id, &name);
            sources.push(label_key, grid.location(r, self.columns.expenditure_label));
        }
        let mut values: SideValues = [None; SIDE_WIDTH];
        for i in 0..self.columns.amounts.len() {
            let Some(m) = self.columns.amounts.get(i).cloned() else {
                continue;
            };
            let columns: &[&str] = if self.id == TableId::T4 {
                &T4_COLUMNS
            } else {
                &T1_COLUMNS
            };
            let column = columns.get(m.index + 1).copied().unwrap_or_default();
            let key = self.key(&name, m.index + 1);
            if let Some(slot) = values.get_mut(m.index) {
                *slot = Some(self.amount((grid, r, sources), m.col, key, column));
            }
        }
        if self.id == TableId::T1 {
            self.unstated_personnel_public((grid, r, sources), &name, &mut values);
        }
        if is_total {
            self.expenditure_total = Some(values);
        } else {
            self.expenditure.push((name, values));
        }
        is_total
    }

    /// A unit 表1 row with 人员经费 and 公用经费 both blank states neither: both become `None`
    /// and their cells leave the sources (nothing was submitted there).
    fn unstated_personnel_public(
        &mut self,
        (grid, r, sources): (&Grid, usize, &mut TableSources<'_>),
        name: &str,
        values: &mut SideValues,
    ) {
        // Walked twice rather than collected: this runs for every 本年支出 row.
        let mapped = || {
            self.columns
                .amounts
                .iter()
                .filter(|m| matches!(m.index, SPLIT_PERSONNEL | SPLIT_PUBLIC))
        };
        let blank = |col: usize| match grid.cell(r, col) {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        };
        if mapped().next().is_none() || !mapped().all(|m| blank(m.col)) {
            return;
        }
        for m in mapped() {
            if let Some(slot) = values.get_mut(m.index) {
                *slot = None;
            }
            sources.remove(&self.key(name, m.index + 1));
        }
    }

    fn overview(self) -> Overview {
        let has_split = self
            .columns
            .amounts
            .iter()
            .any(|m| (SPLIT_BASIC..=SPLIT_PROJECT).contains(&m.index));
        let split = |v: &SideValues| OverviewSplit {
            basic: v[SPLIT_BASIC],
            personnel: v[SPLIT_PERSONNEL],
            public: v[SPLIT_PUBLIC],
            project: v[SPLIT_PROJECT],
        };
        let expenditure_split = if has_split {
            self.expenditure
                .iter()
                .map(|(name, v)| (name.clone(), split(v)))
                .collect()
        } else {
            Vec::new()
        };
        Overview {
            income: self.income,
            income_total: self.income_total,
            expenditure_total: self.expenditure_total.map(|v| v[0].unwrap_or_default()),
            expenditure_total_split: self
                .expenditure_total
                .as_ref()
                .filter(|_| has_split)
                .map(split),
            expenditure: self
                .expenditure
                .into_iter()
                .map(|(name, v)| (name, v[0].unwrap_or_default()))
                .collect(),
            expenditure_split,
            unit: self.unit,
        }
    }

    fn fiscal(self) -> FiscalOverview {
        let row = |name: String, v: SideValues| FiscalRow {
            name,
            total: v[0].unwrap_or_default(),
            general: v[1].unwrap_or_default(),
            fund: v[2].unwrap_or_default(),
            capital: v[3].unwrap_or_default(),
        };
        FiscalOverview {
            income: self.income,
            income_total: self.income_total,
            expenditure: self
                .expenditure
                .into_iter()
                .map(|(name, v)| row(name, v))
                .collect(),
            // Named "合计" like `derive::fiscal_overview`.
            expenditure_total: self.expenditure_total.map(|v| row("合计".to_string(), v)),
            unit: self.unit,
        }
    }
}

impl TableReader for SidesReader {
    fn id(&self) -> TableId {
        self.id
    }

    fn feed(&mut self, grid: &Grid, r: usize, sources: &mut TableSources<'_>) -> Feed {
        let income = cell_str(grid.cell(r, self.columns.income_label));
        let expenditure = cell_str(grid.cell(r, self.columns.expenditure_label));
        let prose = |t: &Option<Cow<'_, str>>| {
            t.as_ref()
                .is_some_and(|t| t.chars().count() > MAX_LABEL_CHARS)
        };
        if prose(&income) || prose(&expenditure) {
            return Feed::End;
        }
        let mut total = false;
        if let Some(label) = income {
            total |= self.income_side((grid, r, sources), &label);
        }
        if let Some(label) = expenditure {
            total |= self.expenditure_side((grid, r, sources), &label);
        }
        if total { Feed::TookLast } else { Feed::Took }
    }

    fn relayout(&mut self, layout: Layout) {
        if let Some(columns) = columns_of(layout) {
            self.columns = columns;
        }
    }

    fn finish(self: Box<Self>) -> (Content, Vec<Finding>) {
        let mut this = *self;
        let findings = std::mem::take(&mut this.findings);
        let content = if this.id == TableId::T4 {
            Content::Fiscal(this.fiscal())
        } else {
            Content::Overview(this.overview())
        };
        (content, findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EXPENDITURE_LABEL_CELL, INCOME_LABEL_CELL, Level};
    use crate::recognize::test_grid::{UNIT_T1_HEADER, append, grid_of, merge_all};
    use std::str::FromStr;

    /// The 表1 the recogniser states for a one-sheet submission.
    fn stated_overview(g: Grid) -> Overview {
        crate::recognize::recognize(&[g])
            .unwrap()
            .budget
            .stated_overview
            .unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// A hand-built unit-level 表1 in the official 8-column layout, merged header included:
    /// 201 states its split, 208 leaves 人员经费/公用经费 blank, 支出总计 states all.
    fn unit_table1() -> Grid {
        let title: &[&[&str]] = &[
            &["2024年预算单位财务收支预算总表"],
            &[
                "编制单位：上海市某某服务中心",
                "",
                "",
                "",
                "",
                "",
                "",
                "单位：元",
            ],
        ];
        let body: &[&[&str]] = &[
            &[
                "一、财政拨款收入",
                "1,500",
                "一、一般公共服务支出",
                "1,200",
                "1,000",
                "700",
                "300",
                "200",
            ],
            &[
                "1、一般公共预算资金",
                "1,500",
                "二、社会保障和就业支出",
                "300",
                "300",
                "",
                "",
                "-",
            ],
            &[
                "收入总计",
                "1,500",
                "支出总计",
                "1,500",
                "1,300",
                "700",
                "300",
                "200",
            ],
        ];
        let mut g = grid_of("unit.xlsx", "表1", title);
        append(&mut g, &UNIT_T1_HEADER);
        append(&mut g, body);
        merge_all(
            &mut g,
            &[
                (2, 0, 2, 1),
                (2, 2, 2, 7),
                (3, 0, 4, 0),
                (3, 1, 4, 1),
                (3, 2, 4, 2),
                (3, 3, 4, 3),
                (3, 4, 3, 6),
                (3, 7, 4, 7),
            ],
        );
        g
    }

    #[test]
    fn a_unit_table1_with_the_split_is_read_with_its_sources() {
        let sub = crate::recognize::recognize(&[unit_table1()]).unwrap();
        assert_eq!(sub.budget.meta.level, Level::Unit);
        assert_eq!(sub.findings, Vec::new());
        let o = sub.budget.stated_overview.clone().unwrap();
        assert_eq!(
            o.expenditure,
            [
                ("一般公共服务支出".to_string(), d("1200")),
                ("社会保障和就业支出".to_string(), d("300")),
            ]
        );
        let split = |basic: &str, personnel: Option<&str>, public: Option<&str>, project: &str| {
            OverviewSplit {
                basic: Some(d(basic)),
                personnel: personnel.map(d),
                public: public.map(d),
                project: Some(d(project)),
            }
        };
        assert_eq!(
            o.expenditure_split,
            [
                (
                    "一般公共服务支出".to_string(),
                    split("1000", Some("700"), Some("300"), "200")
                ),
                (
                    "社会保障和就业支出".to_string(),
                    split("300", None, None, "0")
                ),
            ]
        );
        assert_eq!(
            o.expenditure_total_split,
            Some(split("1300", Some("700"), Some("300"), "200"))
        );
        assert_eq!(o.expenditure_total, Some(d("1500")));
        let at = |row: &str, column: usize| {
            let key = CellKey {
                table: TableId::T1,
                row: RowKey::Label(row.to_string()),
                column,
            };
            sub.sources.get(&key).map(|l| l.cell.to_string())
        };
        assert_eq!(at("一般公共服务支出", 1), Some("D6".into()));
        assert_eq!(at("一般公共服务支出", 2), Some("E6".into()));
        assert_eq!(at("一般公共服务支出", 3), Some("F6".into()));
        assert_eq!(at("一般公共服务支出", 4), Some("G6".into()));
        assert_eq!(at("一般公共服务支出", 5), Some("H6".into()));
        // Blank 人员经费 and 公用经费 were not submitted: no source.
        assert_eq!(at("社会保障和就业支出", 3), None);
        assert_eq!(at("社会保障和就业支出", 5), Some("H7".into()));
        assert_eq!(at(EXPENDITURE_TOTAL, 3), Some("F8".into()));
        // Each item's label cell, on its side; none for the totals.
        assert_eq!(at("一、财政拨款收入", INCOME_LABEL_CELL), Some("A6".into()));
        assert_eq!(
            at("社会保障和就业支出", EXPENDITURE_LABEL_CELL),
            Some("C7".into())
        );
        assert_eq!(at(EXPENDITURE_TOTAL, EXPENDITURE_LABEL_CELL), None);
        assert_eq!(at(INCOME_TOTAL, INCOME_LABEL_CELL), None);
    }

    #[test]
    fn a_unit_table1_without_a_basic_subtotal_states_personnel_and_public_only() {
        let rows: &[&[&str]] = &[
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "合计", "基本支出", "", "项目支出"],
            &["", "", "", "", "人员经费", "公用经费"],
            &[
                "一、财政拨款收入",
                "100",
                "一、一般公共服务支出",
                "100",
                "60",
                "30",
                "10",
            ],
            &["收入总计", "100", "支出总计", "100", "60", "30", "10"],
        ];
        let g = grid_of("unit.csv", "unit", rows);
        let o = stated_overview(g);
        let want = OverviewSplit {
            basic: None,
            personnel: Some(d("60")),
            public: Some(d("30")),
            project: Some(d("10")),
        };
        assert_eq!(
            o.expenditure_split,
            [("一般公共服务支出".to_string(), want.clone())]
        );
        assert_eq!(o.expenditure_total_split, Some(want));
    }

    #[test]
    fn a_department_table1_states_no_split() {
        let rows: &[&[&str]] = &[
            &["本年收入", "", "本年支出"],
            &["项目", "预算数", "项目", "预算数"],
            &["一、财政拨款收入", "100", "一、一般公共服务支出", "100"],
            &["收入总计", "100", "支出总计", "100"],
        ];
        let g = grid_of("dept.xlsx", "表1", rows);
        let o = stated_overview(g);
        assert!(o.expenditure_split.is_empty());
        assert_eq!(o.expenditure_total_split, None);
    }

    #[test]
    fn income_labels_2026_map_to_the_official_ones() {
        for (table, printed, official) in [
            (TableId::T1, "1、一般公共预算", "1、一般公共预算资金"),
            (TableId::T4, "一、一般公共预算", "一、一般公共预算资金"),
            (TableId::T1, " 四、其他收入 ", "四、其他收入"),
            (TableId::T1, "五、上年结转", "五、上年结转"),
            (TableId::T4, "二、政府性基金预算", "二、政府性基金"),
        ] {
            assert_eq!(
                canonical_income_label(table, printed),
                official,
                "{printed}"
            );
        }
    }
}
