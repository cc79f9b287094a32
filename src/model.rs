//! The canonical budget: one typed table set that every reader produces and every writer,
//! check and derivation consumes.
//!
//! All money is `rust_decimal::Decimal` **in 元**, whatever unit the submission used; the unit
//! the figures were entered in is remembered per table (`MoneyUnit`) so that checks can allow
//! exactly the rounding that unit implies. A blank amount cell is zero. This module holds data
//! only: no I/O, no checks, no derivations (see `derive` and `check`).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Whether the document covers a whole department (部门) or a single budget unit (单位).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Level {
    /// 部门: the sum of all its budget units; titles read "部门…", "编制部门：".
    #[default]
    Department,
    /// 单位 (预算单位): one budget unit; titles read "预算单位…"/"单位…", "编制单位：".
    Unit,
}

impl Level {
    /// The word the official titles use: "部门" or "预算单位".
    pub fn title_word(self) -> &'static str {
        match self {
            Level::Department => "部门",
            Level::Unit => "预算单位",
        }
    }
    /// The label of the entity row: "编制部门" or "编制单位".
    pub fn compiler_label(self) -> &'static str {
        match self {
            Level::Department => "编制部门",
            Level::Unit => "编制单位",
        }
    }
}

/// The kind of a budget unit, which decides whether it has 机关运行经费.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnitKind {
    /// 行政单位: has 机关运行经费.
    Administrative,
    /// 参公事业单位 (managed under the civil-service law): has 机关运行经费.
    CivilServiceManaged,
    /// 事业单位: has no 机关运行经费.
    Institution,
}

impl UnitKind {
    /// The name of the custom document property that carries the kind in a workbook yusuan
    /// writes (its value is [`UnitKind::full_label`]), so that converting the output again
    /// keeps the kind.
    pub const PROPERTY: &'static str = "单位类型";

    /// Every kind, in the order their labels are listed to the user.
    pub const ALL: [UnitKind; 3] = [
        UnitKind::Administrative,
        UnitKind::CivilServiceManaged,
        UnitKind::Institution,
    ];

    /// True for the kinds whose 公用经费 counts as 机关运行经费.
    pub fn has_admin_running_cost(self) -> bool {
        !matches!(self, UnitKind::Institution)
    }
    /// Parses the Chinese label used in units.csv and prose (行政/参公/事业, with or without 单位).
    pub fn from_label(label: &str) -> Option<UnitKind> {
        let label = label.trim();
        if label.starts_with("参公") || label.contains("参照公务员") {
            Some(UnitKind::CivilServiceManaged)
        } else if label.starts_with("行政") || label == "机关" {
            Some(UnitKind::Administrative)
        } else if label.starts_with("事业") {
            Some(UnitKind::Institution)
        } else {
            None
        }
    }
    /// The full Chinese name: 行政单位, 参照公务员法管理事业单位 or 事业单位 ([`UnitKind::from_label`]
    /// reads each back).
    pub fn full_label(self) -> &'static str {
        match self {
            UnitKind::Administrative => "行政单位",
            UnitKind::CivilServiceManaged => "参照公务员法管理事业单位",
            UnitKind::Institution => "事业单位",
        }
    }
    /// The short Chinese label: 行政, 参公 or 事业.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Administrative => "行政",
            UnitKind::CivilServiceManaged => "参公",
            UnitKind::Institution => "事业",
        }
    }
}

/// The unit a table's amounts were entered in. Model amounts are always 元.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum MoneyUnit {
    /// 元, entered to the 分 at most: identities hold exactly.
    #[default]
    Yuan,
    /// 万元, entered to 2 decimals: every term may be off by up to 0.005 万元 (50 元).
    WanYuan,
}

impl MoneyUnit {
    /// How many 元 one unit of this kind is worth.
    pub fn factor(self) -> Decimal {
        match self {
            MoneyUnit::Yuan => Decimal::ONE,
            MoneyUnit::WanYuan => Decimal::from(10_000),
        }
    }
    /// The largest rounding error of one entered term, in 元 (0 for 元, 50 for 万元).
    pub fn rounding_per_term(self) -> Decimal {
        match self {
            MoneyUnit::Yuan => Decimal::ZERO,
            MoneyUnit::WanYuan => Decimal::from(50),
        }
    }
    /// The label printed after `单位：`.
    pub fn label(self) -> &'static str {
        match self {
            MoneyUnit::Yuan => "元",
            MoneyUnit::WanYuan => "万元",
        }
    }
}

/// The nine official tables, in official order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TableId {
    /// 表1 财务收支预算总表 (derived from T2 + T3).
    T1,
    /// 表2 收入预算总表.
    T2,
    /// 表3 支出预算总表.
    T3,
    /// 表4 财政拨款收支预算总表 (derived from T5/T6/T7).
    T4,
    /// 表5 一般公共预算支出功能分类预算表.
    T5,
    /// 表6 政府性基金预算支出功能分类预算表.
    T6,
    /// 表7 国有资本经营预算支出功能分类预算表.
    T7,
    /// 表8 一般公共预算基本支出部门预算经济分类预算表.
    T8,
    /// 表9 “三公”经费和机关运行经费预算表.
    T9,
}

impl TableId {
    /// All nine tables in official order.
    pub const ALL: [TableId; 9] = [
        TableId::T1,
        TableId::T2,
        TableId::T3,
        TableId::T4,
        TableId::T5,
        TableId::T6,
        TableId::T7,
        TableId::T8,
        TableId::T9,
    ];

    /// 1 to 9.
    pub fn number(self) -> u8 {
        self as u8 + 1
    }

    /// The table with this official number (1 to 9).
    pub fn from_number(n: u8) -> Option<TableId> {
        TableId::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The title without year and level prefix, e.g. "收入预算总表".
    pub fn title_stem(self) -> &'static str {
        match self {
            TableId::T1 => "财务收支预算总表",
            TableId::T2 => "收入预算总表",
            TableId::T3 => "支出预算总表",
            TableId::T4 => "财政拨款收支预算总表",
            TableId::T5 => "一般公共预算支出功能分类预算表",
            TableId::T6 => "政府性基金预算支出功能分类预算表",
            TableId::T7 => "国有资本经营预算支出功能分类预算表",
            TableId::T8 => "一般公共预算基本支出部门预算经济分类预算表",
            TableId::T9 => "“三公”经费和机关运行经费预算表",
        }
    }

    /// The official title, e.g. "2024年部门收入预算总表". 表9 carries no year, as published:
    /// "部门“三公”经费和机关运行经费预算表", at unit level "单位“三公”经费和机关运行经费预算表".
    pub fn title(self, year: Option<u16>, level: Level) -> String {
        let year = year.map(|y| format!("{y}年")).unwrap_or_default();
        match (self, level) {
            (TableId::T9, Level::Department) => format!("部门{}", self.title_stem()),
            (TableId::T9, Level::Unit) => format!("单位{}", self.title_stem()),
            _ => format!("{year}{}{}", level.title_word(), self.title_stem()),
        }
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "表{}", self.number())
    }
}

/// Which classification a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Classification {
    /// 支出功能分类: 类 3 digits, 款 5, 项 7.
    Function,
    /// 部门预算支出经济分类: 类 3 digits, 款 5.
    Economic,
}

/// The level of a classification code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CodeLevel {
    /// 类 (3 digits).
    Lei,
    /// 款 (5 digits).
    Kuan,
    /// 项 (7 digits, functional classification only).
    Xiang,
}

impl CodeLevel {
    /// 类, 款 or 项.
    pub fn label(self) -> &'static str {
        match self {
            CodeLevel::Lei => "类",
            CodeLevel::Kuan => "款",
            CodeLevel::Xiang => "项",
        }
    }
}

/// A classification code as one string of 3, 5 or 7 ASCII digits (e.g. "2010301").
/// Ordering is string order, which is the printed order (every parent before its children).
///
/// The digits are held inline (no heap), so that cloning a code, or a cell key holding one, is
/// a copy of a few bytes: the checks clone codes into thousands of cell keys per budget.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Code {
    /// The digits as ASCII, padded with zero bytes after `len`. Padding sorts before every
    /// digit, so comparing the arrays is comparing the strings.
    digits: [u8; 7],
    /// How many of `digits` are used: 3, 5 or 7.
    len: u8,
}

impl Code {
    /// Accepts exactly 3, 5 or 7 ASCII digits.
    pub fn new(digits: &str) -> Option<Code> {
        let ok = matches!(digits.len(), 3 | 5 | 7) && digits.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| Code::from_ascii(digits.as_bytes()))
    }
    /// A code of already validated digits (3, 5 or 7 of them).
    fn from_ascii(ascii: &[u8]) -> Code {
        let mut digits = [0u8; 7];
        let len = ascii.len().min(digits.len());
        digits[..len].copy_from_slice(&ascii[..len]);
        Code {
            digits,
            len: len as u8,
        }
    }
    /// The code's digits.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this never falls back.
        std::str::from_utf8(&self.digits[..usize::from(self.len)]).unwrap_or("")
    }
    /// 类, 款 or 项 by length.
    pub fn level(&self) -> CodeLevel {
        match self.len {
            3 => CodeLevel::Lei,
            5 => CodeLevel::Kuan,
            _ => CodeLevel::Xiang,
        }
    }
    /// The enclosing code (款 for a 项, 类 for a 款), or None for a 类.
    pub fn parent(&self) -> Option<Code> {
        match self.len {
            5 => Some(Code::from_ascii(&self.digits[..3])),
            7 => Some(Code::from_ascii(&self.digits[..5])),
            _ => None,
        }
    }
    /// The 类 this code falls under.
    pub fn lei(&self) -> Code {
        Code::from_ascii(&self.digits[..3])
    }
    /// The printed segments: ("201", "03", "01"), with absent levels as "".
    pub fn segments(&self) -> [&str; 3] {
        let s = self.as_str();
        [
            s.get(..3).unwrap_or(""),
            s.get(3..5).unwrap_or(""),
            s.get(5..7).unwrap_or(""),
        ]
    }
}

impl std::hash::Hash for Code {
    /// The digits and their count fill exactly one word, hashed at once.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let [a, b, c, d, e, f, g] = self.digits;
        state.write_u64(u64::from_le_bytes([a, b, c, d, e, f, g, self.len]));
    }
}

impl fmt::Debug for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Code").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Code {
    type Error = String;
    fn try_from(s: String) -> Result<Code, String> {
        Code::new(&s).ok_or_else(|| format!("不是有效的科目编码：{s}"))
    }
}

impl From<Code> for String {
    fn from(c: Code) -> String {
        c.as_str().to_string()
    }
}

/// A fixed set of amount columns of one classified table, first column always 合计.
pub trait Amounts: Default + Clone + PartialEq + fmt::Debug {
    /// The official column headers, in printed order (index 0 is 合计).
    const COLUMNS: &'static [&'static str];
    /// The amount in column `i` (元). Panics never: out-of-range gives zero.
    fn get(&self, i: usize) -> Decimal;
    /// Sets column `i` (元); out-of-range is ignored.
    fn set(&mut self, i: usize, value: Decimal);
    /// All columns in order.
    fn values(&self) -> Vec<Decimal> {
        (0..Self::COLUMNS.len()).map(|i| self.get(i)).collect()
    }
    /// Builds from column values in order; missing ones are zero.
    fn from_values(values: &[Decimal]) -> Self {
        let mut a = Self::default();
        for (i, v) in values.iter().enumerate() {
            a.set(i, *v);
        }
        a
    }
    /// Column-wise sum.
    fn add(&self, other: &Self) -> Self {
        // Column by column into a fresh value, as `from_values` would, without a list.
        let mut sum = Self::default();
        for i in 0..Self::COLUMNS.len() {
            sum.set(i, self.get(i) + other.get(i));
        }
        sum
    }
    /// True when every column is zero.
    fn is_zero(&self) -> bool {
        (0..Self::COLUMNS.len()).all(|i| self.get(i).is_zero())
    }
}

macro_rules! amounts_struct {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        pub struct $name { $($(#[$fm])* pub $field: Decimal),+ }

        impl Amounts for $name {
            const COLUMNS: &'static [&'static str] = &[$($label),+];
            fn get(&self, i: usize) -> Decimal {
                let all = [$(self.$field),+];
                all.get(i).copied().unwrap_or_default()
            }
            fn set(&mut self, i: usize, value: Decimal) {
                let mut fields = [$(&mut self.$field),+];
                if let Some(f) = fields.get_mut(i) {
                    **f = value;
                }
            }
        }
    };
}

amounts_struct!(
    /// One row of 表2 收入预算总表 (元).
    IncomeAmounts {
        /// 合计.
        total => "合计",
        /// 财政拨款收入.
        fiscal => "财政拨款收入",
        /// 事业收入.
        business => "事业收入",
        /// 事业单位经营收入.
        operating => "事业单位经营收入",
        /// 其他收入.
        other => "其他收入",
    }
);

amounts_struct!(
    /// One row of 表3/5/6/7 (元): 合计 = 基本支出 + 项目支出.
    SplitAmounts {
        /// 合计.
        total => "合计",
        /// 基本支出.
        basic => "基本支出",
        /// 项目支出.
        project => "项目支出",
    }
);

amounts_struct!(
    /// One row of 表8 (元): 合计 = 人员经费 + 公用经费.
    EconomicAmounts {
        /// 合计.
        total => "合计",
        /// 人员经费.
        personnel => "人员经费",
        /// 公用经费.
        public => "公用经费",
    }
);

/// One coded row of a classified table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line<A> {
    /// The classification code (类, 款 or 项).
    pub code: Code,
    /// The name as submitted (trimmed; the submission's name wins over the reference list).
    pub name: String,
    /// The row's amounts in 元.
    pub amounts: A,
}

/// A table of coded rows plus its 合计 row: 表2, 3, 5, 6, 7 and 8.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classified<A> {
    /// Rows in printed order (code order), 类, 款 and 项 interleaved.
    pub lines: Vec<Line<A>>,
    /// The 合计 row as submitted; `None` when the submission had no 合计 row.
    pub total: Option<A>,
    /// The unit the amounts were entered in.
    pub unit: MoneyUnit,
    /// Whether the table was present in the input at all (a missing 表6/7 means zero).
    pub present: bool,
}

impl<A> Default for Classified<A> {
    fn default() -> Self {
        Classified {
            lines: Vec::new(),
            total: None,
            unit: MoneyUnit::Yuan,
            present: false,
        }
    }
}

impl<A: Amounts> Classified<A> {
    /// The row with this code.
    pub fn line(&self, code: &Code) -> Option<&Line<A>> {
        self.lines.iter().find(|l| &l.code == code)
    }
    /// The rows at 类 level.
    pub fn lei_lines(&self) -> impl Iterator<Item = &Line<A>> {
        self.lines
            .iter()
            .filter(|l| l.code.level() == CodeLevel::Lei)
    }
    /// Σ of the 类 rows (what the 合计 row should be).
    pub fn sum_of_lei(&self) -> A {
        self.lei_lines()
            .fold(A::default(), |acc, l| acc.add(&l.amounts))
    }
    /// The stated 合计 row, or Σ 类 when none was stated.
    pub fn total_or_sum(&self) -> A {
        self.total.clone().unwrap_or_else(|| self.sum_of_lei())
    }
}

/// The 三公 figures of 表9, in 元.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreePublic {
    /// 合计 = 因公出国(境)费 + 公务接待费 + 公务用车购置及运行费.
    pub total: Decimal,
    /// 因公出国(境)费.
    pub overseas: Decimal,
    /// 公务接待费.
    pub reception: Decimal,
    /// 公务用车购置及运行费 小计 = 购置费 + 运行费.
    pub vehicle_subtotal: Decimal,
    /// 公务用车购置费.
    pub vehicle_purchase: Decimal,
    /// 公务用车运行费.
    pub vehicle_running: Decimal,
}

impl ThreePublic {
    /// The six figures in printed order (the first six of [`T9_COLUMNS`]).
    pub fn figures(&self) -> [Decimal; 6] {
        [
            self.total,
            self.overseas,
            self.reception,
            self.vehicle_subtotal,
            self.vehicle_purchase,
            self.vehicle_running,
        ]
    }

    /// Figure-by-figure sum (a department's 三公 is the sum of its units').
    pub fn plus(&self, other: &ThreePublic) -> ThreePublic {
        ThreePublic {
            total: self.total + other.total,
            overseas: self.overseas + other.overseas,
            reception: self.reception + other.reception,
            vehicle_subtotal: self.vehicle_subtotal + other.vehicle_subtotal,
            vehicle_purchase: self.vehicle_purchase + other.vehicle_purchase,
            vehicle_running: self.vehicle_running + other.vehicle_running,
        }
    }
}

/// 表9 as stated in the input (table or prose), in 元.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table9 {
    /// The 三公 figures, when the input states them (not derivable).
    pub three_public: Option<ThreePublic>,
    /// 机关运行经费预算数, when the input states it (derivable from 表8 for 行政/参公 units).
    pub admin_running: Option<Decimal>,
    /// The unit the figures were entered in (published as 万元).
    pub unit: MoneyUnit,
}

/// 表1 as read from an input (never trusted: compared with the derivation from 表2 + 表3).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overview {
    /// 本年收入 items, by label as printed (e.g. "一、财政拨款收入") with the amount in 元.
    pub income: Vec<(String, Decimal)>,
    /// 收入总计.
    pub income_total: Option<Decimal>,
    /// 本年支出 items by 功能分类 类 name as printed (numbering stripped), amount (合计) in 元.
    pub expenditure: Vec<(String, Decimal)>,
    /// 支出总计.
    pub expenditure_total: Option<Decimal>,
    /// The unit the figures were entered in.
    pub unit: MoneyUnit,
    /// Unit-level 表1 only (本年支出 合计 | 基本支出 (小计, 人员经费, 公用经费) | 项目支出): the split
    /// of each `expenditure` item, keyed by the same name. Empty for the department layout,
    /// which prints one amount per item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expenditure_split: Vec<(String, OverviewSplit)>,
    /// Unit-level 表1 only: the split of 支出总计, when the table printed one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expenditure_total_split: Option<OverviewSplit>,
}

impl Overview {
    /// The split of the expenditure item `name` (unit-level 表1), if stated.
    pub fn split_of(&self, name: &str) -> Option<&OverviewSplit> {
        self.expenditure_split
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s)
    }

    /// True when any item or the total states 人员经费 or 公用经费.
    pub fn states_personnel_public(&self) -> bool {
        self.expenditure_split
            .iter()
            .map(|(_, s)| s)
            .chain(self.expenditure_total_split.as_ref())
            .any(|s| s.personnel.is_some() || s.public.is_some())
    }
}

/// One 本年支出 row of a unit-level 表1 beyond its 合计, in 元: 基本支出 (= 人员经费 + 公用经费)
/// and 项目支出. `None` is "not stated": a column the table did not print, or 人员经费/公用经费
/// left blank on both (the per-类 split of 基本支出 is not derivable from 表3/表8, which use
/// other classifications, so a derived 表1 leaves it blank unless a stated one gave it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewSplit {
    /// 基本支出 (小计).
    #[serde(default)]
    pub basic: Option<Decimal>,
    /// 基本支出 of it 人员经费.
    #[serde(default)]
    pub personnel: Option<Decimal>,
    /// 基本支出 of it 公用经费.
    #[serde(default)]
    pub public: Option<Decimal>,
    /// 项目支出.
    #[serde(default)]
    pub project: Option<Decimal>,
}

impl OverviewSplit {
    /// Each part beside its unit-level 表1 column (`T1_BASIC`, `T1_PERSONNEL`, `T1_PUBLIC`,
    /// `T1_PROJECT`), in column order.
    pub fn by_column(&self) -> [(usize, Option<Decimal>); 4] {
        [
            (T1_BASIC, self.basic),
            (T1_PERSONNEL, self.personnel),
            (T1_PUBLIC, self.public),
            (T1_PROJECT, self.project),
        ]
    }
}

/// One 支出 row of 表4, in 元.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalRow {
    /// 功能分类 类 name as printed (numbering stripped).
    pub name: String,
    /// 合计.
    pub total: Decimal,
    /// 一般公共预算.
    pub general: Decimal,
    /// 政府性基金预算.
    pub fund: Decimal,
    /// 国有资本经营预算.
    pub capital: Decimal,
}

/// 表4 as read from an input (compared with the derivation from 表5/6/7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiscalOverview {
    /// 财政拨款收入 items by label as printed, amount in 元.
    pub income: Vec<(String, Decimal)>,
    /// 收入总计.
    pub income_total: Option<Decimal>,
    /// 财政拨款支出 rows.
    pub expenditure: Vec<FiscalRow>,
    /// 支出总计 (合计 column, then the three fund columns).
    pub expenditure_total: Option<FiscalRow>,
    /// The unit the figures were entered in.
    pub unit: MoneyUnit,
}

/// The figures of [`Narrative`] in the order of their `CellKey::narrative` columns: 收入预算,
/// 支出预算, 财政拨款收入, 其他收入 (the words the prose uses).
pub const NARRATIVE_FIGURES: [&str; 4] = ["收入预算", "支出预算", "财政拨款收入", "其他收入"];

/// Figures stated in the 部门预算编制说明 prose, in 元 (the prose prints 万元 rounded to 1 万元).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Narrative {
    /// 收入预算 N 万元.
    pub income_total: Option<Decimal>,
    /// 支出预算 N 万元.
    pub expenditure_total: Option<Decimal>,
    /// 财政拨款收入 N 万元.
    pub fiscal_income: Option<Decimal>,
    /// 其他收入 N 万元.
    pub other_income: Option<Decimal>,
    /// The smallest step the prose figures are rounded to, in 元 (10,000 for "8,428万元").
    pub precision: Decimal,
}

/// Descriptive facts about the document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Budget year (e.g. 2024), from the titles.
    pub year: Option<u16>,
    /// The department or unit name (编制部门 / 编制单位).
    pub entity: String,
    /// Department or unit level.
    pub level: Level,
    /// The unit's kind, when known: from `--kind` or units.csv, else the 机构设置 prose, else a
    /// workbook's 单位类型 document property ([`UnitKind::PROPERTY`]), in that precedence.
    pub unit_kind: Option<UnitKind>,
    /// For a department: how many 行政 and 参公 units it has, when the prose says so.
    pub admin_unit_count: Option<u32>,
}

/// The canonical budget: base tables plus whatever derivable tables the input stated.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// Year, entity, level.
    pub meta: Meta,
    /// 表2 收入预算总表.
    pub income: Classified<IncomeAmounts>,
    /// 表3 支出预算总表.
    pub expenditure: Classified<SplitAmounts>,
    /// 表5 一般公共预算支出功能分类预算表.
    pub general: Classified<SplitAmounts>,
    /// 表6 政府性基金预算支出功能分类预算表.
    pub fund: Classified<SplitAmounts>,
    /// 表7 国有资本经营预算支出功能分类预算表.
    pub capital: Classified<SplitAmounts>,
    /// 表8 一般公共预算基本支出部门预算经济分类预算表.
    pub economic: Classified<EconomicAmounts>,
    /// 表9 as stated (table or prose).
    pub table9: Table9,
    /// 表1 as stated in the input, if it carried one.
    pub stated_overview: Option<Overview>,
    /// 表4 as stated in the input, if it carried one.
    pub stated_fiscal: Option<FiscalOverview>,
    /// 编制说明 prose figures, if the input carried them.
    pub narrative: Option<Narrative>,
}

/// Where a model value came from: file, sheet and absolute A1 cell.
///
/// `file` and `sheet` are shared with the [`crate::grid::Grid`] the value was read from, so the
/// thousand-odd locations of one submission clone two reference counts rather than two strings;
/// they serialise as plain strings.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    /// The input file's path as given.
    pub file: Arc<str>,
    /// The sheet name (for CSV: the file stem; for disclosure text: "正文").
    pub sheet: Arc<str>,
    /// The cell, shown and serialised A1-style, e.g. "F12".
    pub cell: CellRef,
}

impl Location {
    /// The sheet and cell as the budget officer looks them up, e.g. "表3!F12".
    pub fn sheet_cell(&self) -> String {
        format!("{}!{}", self.sheet, self.cell)
    }
}

/// An absolute 0-based cell position, shown and serialised A1-style (`CellRef { row: 11, col:
/// 5 }` is "F12"). Kept as two numbers so that recording where each of a submission's values
/// came from allocates nothing; the address is written out only when a finding or report
/// shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CellRef {
    /// The row, 0-based (row 12 of the sheet is 11).
    pub row: usize,
    /// The column, 0-based (column F is 5).
    pub col: usize,
}

impl CellRef {
    /// The cell at absolute 0-based (row, col).
    pub fn new(row: usize, col: usize) -> CellRef {
        CellRef { row, col }
    }

    /// Parses an A1-style address (`F12`, `aa3`); None for anything else.
    pub fn parse(a1: &str) -> Option<CellRef> {
        let digits_at = a1.find(|c: char| c.is_ascii_digit())?;
        let (letters, digits) = a1.split_at(digits_at);
        if letters.is_empty() || !letters.bytes().all(|b| b.is_ascii_alphabetic()) {
            return None;
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let col = letters.bytes().try_fold(0usize, |col, b| {
            let letter = usize::from(b.to_ascii_uppercase() - b'A') + 1;
            col.checked_mul(26)?.checked_add(letter)
        })?;
        let row: usize = digits.parse().ok()?;
        Some(CellRef {
            row: row.checked_sub(1)?,
            col: col - 1,
        })
    }
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Letters right to left into a small buffer: at most 14 for a 64-bit column.
        let mut letters = [0u8; 16];
        let mut start = letters.len();
        let mut c = self.col as u128 + 1;
        while c > 0 && start > 0 {
            start -= 1;
            if let Some(slot) = letters.get_mut(start) {
                *slot = b'A' + ((c - 1) % 26) as u8;
            }
            c = (c - 1) / 26;
        }
        let letters = letters
            .get(start..)
            .and_then(|l| std::str::from_utf8(l).ok())
            .unwrap_or_default();
        write!(f, "{letters}{}", self.row as u128 + 1)
    }
}

impl Serialize for CellRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CellRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<CellRef, D::Error> {
        let text = String::deserialize(deserializer)?;
        CellRef::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an A1 cell address: {text}")))
    }
}

/// Identifies one amount in the model: table, row and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CellKey {
    /// The table.
    pub table: TableId,
    /// The row: a code, "合计", or a label for 表1/4/9.
    pub row: RowKey,
    /// The column index within the table's amount columns (0 = 合计), or [`CODE_CELL`] /
    /// [`NAME_CELL`] for where a coded row's code or name was read, [`INCOME_LABEL_CELL`] /
    /// [`EXPENDITURE_LABEL_CELL`] for where a 表1/表4 row's label was read.
    pub column: usize,
}

impl CellKey {
    /// The key of the cell a coded row's code was read from (column [`CODE_CELL`]).
    pub fn code_cell(table: TableId, code: &Code) -> CellKey {
        CellKey {
            table,
            row: RowKey::Code(code.clone()),
            column: CODE_CELL,
        }
    }
    /// The key of the cell a coded row's name was read from (column [`NAME_CELL`]).
    pub fn name_cell(table: TableId, code: &Code) -> CellKey {
        CellKey {
            table,
            row: RowKey::Code(code.clone()),
            column: NAME_CELL,
        }
    }
    /// The key of the cell a 表1/表4 income item's label was read from (column
    /// [`INCOME_LABEL_CELL`]; `label` as the item's amount is keyed).
    pub fn income_label_cell(table: TableId, label: &str) -> CellKey {
        CellKey {
            table,
            row: RowKey::Label(label.to_string()),
            column: INCOME_LABEL_CELL,
        }
    }
    /// The key of the cell a 表1/表4 expenditure item's label was read from (column
    /// [`EXPENDITURE_LABEL_CELL`]; `name` as the item's amounts are keyed).
    pub fn expenditure_label_cell(table: TableId, name: &str) -> CellKey {
        CellKey {
            table,
            row: RowKey::Label(name.to_string()),
            column: EXPENDITURE_LABEL_CELL,
        }
    }
    /// The key of where the 编制说明 prose stated figure `figure` (an index of
    /// [`NARRATIVE_FIGURES`]).
    pub fn narrative(figure: usize) -> CellKey {
        CellKey {
            table: TableId::T1,
            row: RowKey::Narrative,
            column: figure,
        }
    }
    /// True for the key of an amount, false for a code, name or label cell.
    pub fn is_amount(&self) -> bool {
        self.column < INCOME_LABEL_CELL
    }
}

/// The `CellKey::column` of a 表1/表4 income item's label cell in a [`SourceMap`] (no amount
/// column): where the printed label was read. The label cells sort after every amount column
/// of the row (and before [`CODE_CELL`] and [`NAME_CELL`]).
pub const INCOME_LABEL_CELL: usize = usize::MAX - 3;
/// The `CellKey::column` of a 表1/表4 expenditure item's label cell in a [`SourceMap`] (no
/// amount column): where the printed 类 name was read.
pub const EXPENDITURE_LABEL_CELL: usize = usize::MAX - 2;

/// The `CellKey::column` of a coded row's code cell in a [`SourceMap`] (no amount column):
/// where the code was read, for codes split into 类/款/项 columns the first of them that holds
/// text. Sorts after every amount column of the row.
pub const CODE_CELL: usize = usize::MAX - 1;
/// The `CellKey::column` of a coded row's name cell in a [`SourceMap`] (no amount column):
/// the 科目名称 cell when the table has a name column, else where the name text was read (the
/// code's own cell for `2010301 行政运行`).
pub const NAME_CELL: usize = usize::MAX;

/// The row part of a `CellKey`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RowKey {
    /// A coded row.
    Code(Code),
    /// The 合计 row.
    Total,
    /// A labelled row of 表1/4/9 (label as printed).
    Label(String),
    /// The figures of the 编制说明 prose, which restate 表1 (keyed under 表1; column = index
    /// of [`NARRATIVE_FIGURES`]).
    Narrative,
}

impl fmt::Display for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowKey::Code(c) => write!(f, "{c}"),
            RowKey::Total => f.write_str("合计"),
            RowKey::Label(l) => f.write_str(l),
            RowKey::Narrative => f.write_str("编制说明"),
        }
    }
}

/// 表1 amount columns of a `CellKey`: 本年收入 预算数 (0) and 本年支出 预算数 (1; printed 合计
/// in the unit-level layout), then the unit-level split of 本年支出 (`OverviewSplit`): 基本支出
/// (2), 人员经费 (3), 公用经费 (4), 项目支出 (5). Rows are labels as for the department layout
/// (类 name without numbering, or `支出总计`).
pub const T1_COLUMNS: [&str; 6] = [
    "预算数",
    "预算数",
    "基本支出",
    "人员经费",
    "公用经费",
    "项目支出",
];

/// `T1_COLUMNS` index of 本年支出 基本支出 (unit-level 表1).
pub const T1_BASIC: usize = 2;
/// `T1_COLUMNS` index of 本年支出 人员经费 (unit-level 表1).
pub const T1_PERSONNEL: usize = 3;
/// `T1_COLUMNS` index of 本年支出 公用经费 (unit-level 表1).
pub const T1_PUBLIC: usize = 4;
/// `T1_COLUMNS` index of 本年支出 项目支出 (unit-level 表1).
pub const T1_PROJECT: usize = 5;

/// 表4 amount columns of a `CellKey`: 财政拨款收入 预算数 (0), then 财政拨款支出 合计 (1),
/// 一般公共预算 (2), 政府性基金预算 (3), 国有资本经营预算 (4).
pub const T4_COLUMNS: [&str; 5] = [
    "预算数",
    "合计",
    "一般公共预算",
    "政府性基金预算",
    "国有资本经营预算",
];

/// 表9 columns in printed order; `CellKey { table: T9, row: RowKey::Total, column }` indexes
/// this list.
pub const T9_COLUMNS: [&str; 7] = [
    "合计",
    "因公出国(境)费",
    "公务接待费",
    "公务用车购置及运行费小计",
    "公务用车购置费",
    "公务用车运行费",
    "机关运行经费预算数",
];

/// The `RowKey::Label` of the 收入总计 row of 表1/表4.
pub const INCOME_TOTAL: &str = "收入总计";
/// The `RowKey::Label` of the 支出总计 row of 表1/表4.
pub const EXPENDITURE_TOTAL: &str = "支出总计";

/// Where each amount of the model was read from, for findings that name the submitted cell;
/// for every coded row of 表2/3/5/6/7/8 also where its code and name were read (keys
/// [`CellKey::code_cell`] and [`CellKey::name_cell`]), for every item of a stated 表1/表4 where
/// its label was read ([`CellKey::income_label_cell`], [`CellKey::expenditure_label_cell`]),
/// and where the 编制说明 stated its figures ([`CellKey::narrative`]).
pub type SourceMap = std::collections::BTreeMap<CellKey, Location>;
