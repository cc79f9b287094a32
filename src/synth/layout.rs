//! Table layouts for synthetic submissions: each official table of a budget becomes a block of
//! cells (title rows, header rows with merges, data rows, 合计, notes) printed the way a
//! [`Style`] says. Containers (xlsx, CSV, TSV) are `emit`'s business.

use super::{AmountStyle, CodeStyle, Style, ZeroStyle};
use crate::derive::{FISCAL_INCOME_LABELS, OVERVIEW_INCOME_LABELS};
use crate::model::{
    Amounts, Budget, Classified, Code, CodeLevel, FiscalOverview, MoneyUnit, Overview,
    OverviewSplit, Table9, TableId,
};
use crate::money::{format_amount, format_fixed, round_fen};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::HashMap;

/// How a numeric cell is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fmt {
    /// General (code numbers).
    General,
    /// `#,##0`.
    Integer,
    /// `#,##0.00`.
    Decimals,
}

/// One output cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Out {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A number and its display format.
    Number(f64, Fmt),
    /// A sum of the same column in other rows of the block (local row indices), with the
    /// cached value a spreadsheet would have stored.
    Sum(Vec<usize>, f64, Fmt),
}

impl Out {
    fn text(s: impl Into<String>) -> Out {
        Out::Text(s.into())
    }
}

/// A merged range in block-local coordinates: first row, first col, last row, last col.
pub(crate) type MergeRange = [usize; 4];

/// One table as printed.
#[derive(Debug, Clone)]
pub(crate) struct Block {
    /// Which table.
    pub table: TableId,
    /// The cells, row by row.
    pub rows: Vec<Vec<Out>>,
    /// Merged ranges.
    pub merges: Vec<MergeRange>,
}

/// Builds the blocks of every rendered table, in official order.
pub(crate) fn blocks(budget: &Budget, style: &Style) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(o) = &budget.stated_overview {
        out.push(overview(budget, o, style));
    }
    out.push(coded(budget, TableId::T2, &budget.income, style));
    out.push(coded(budget, TableId::T3, &budget.expenditure, style));
    if let Some(f) = &budget.stated_fiscal {
        out.push(fiscal(budget, f, style));
    }
    out.push(coded(budget, TableId::T5, &budget.general, style));
    for (id, table) in [(TableId::T6, &budget.fund), (TableId::T7, &budget.capital)] {
        if table.present {
            out.push(coded(budget, id, table, style));
        }
    }
    out.push(coded(budget, TableId::T8, &budget.economic, style));
    let t9 = &budget.table9;
    if t9.three_public.is_some() || t9.admin_running.is_some() {
        out.push(table9(budget, t9, style));
    }
    out
}

/// Accumulates rows and merges of one block.
struct Builder {
    table: TableId,
    rows: Vec<Vec<Out>>,
    merges: Vec<MergeRange>,
    style: Style,
}

impl Builder {
    fn new(table: TableId, style: &Style) -> Builder {
        Builder {
            table,
            rows: Vec::new(),
            merges: Vec::new(),
            style: *style,
        }
    }
    fn push(&mut self, row: Vec<Out>) -> usize {
        self.rows.push(row);
        self.rows.len() - 1
    }
    /// Merges when the style prints merged headers and the range covers more than one cell.
    fn merge(&mut self, range: MergeRange) {
        if self.style.merged_header && (range[0] != range[2] || range[1] != range[3]) {
            self.merges.push(range);
        }
    }
    /// Title, 编制单位 and 单位 rows, when the style prints them.
    fn titles(&mut self, budget: &Budget, width: usize, unit: MoneyUnit) {
        if !self.style.titles {
            return;
        }
        let title = self.table.title(budget.meta.year, budget.meta.level);
        let r = self.push(vec![Out::text(title)]);
        if self.style.merged_header {
            self.merges.push([r, 0, r, width.saturating_sub(1)]);
        }
        let mut row = vec![Out::Empty; width.max(2)];
        row[0] = Out::text(format!(
            "{}：{}",
            budget.meta.level.compiler_label(),
            budget.meta.entity
        ));
        if let Some(last) = row.last_mut() {
            *last = Out::text(format!("单位：{}", unit.label()));
        }
        self.push(row);
    }
    /// Repeats the header rows `header` after a blank row, as a printed page break does.
    fn page_break(&mut self, header: std::ops::Range<usize>) {
        self.push(Vec::new());
        let start = self.rows.len();
        let rows: Vec<Vec<Out>> = self.rows[header.clone()].to_vec();
        let merges: Vec<MergeRange> = self
            .merges
            .iter()
            .filter(|m| header.contains(&m[0]))
            .map(|m| {
                [
                    m[0] - header.start + start,
                    m[1],
                    m[2] - header.start + start,
                    m[3],
                ]
            })
            .collect();
        self.rows.extend(rows);
        self.merges.extend(merges);
    }
    fn note(&mut self, text: Option<String>) {
        let mut notes: Vec<String> = text.into_iter().collect();
        if self.style.page_breaks {
            notes.push("注：本表数据按预算编制系统导出数据填列，金额以财政部门批复为准。".into());
        }
        for n in notes {
            self.push(vec![Out::Text(n)]);
        }
    }
    fn finish(self) -> Block {
        Block {
            table: self.table,
            rows: self.rows,
            merges: self.merges,
        }
    }
}

/// The amount cell for a value in 元, printed in `unit`.
pub(crate) fn amount(value: Decimal, unit: MoneyUnit, style: &Style) -> Out {
    let wan = unit == MoneyUnit::WanYuan;
    let v = if wan {
        round_fen(value / unit.factor())
    } else {
        value
    };
    let decimals = wan || !v.fract().is_zero();
    let fmt = if decimals {
        Fmt::Decimals
    } else {
        Fmt::Integer
    };
    let number_style = style.amounts == AmountStyle::Number;
    if v.is_zero() {
        return match (style.zeros, number_style) {
            (ZeroStyle::Blank, _) => Out::Empty,
            (ZeroStyle::Dash, _) => Out::text("-"),
            (ZeroStyle::Decimals, true) => Out::Number(0.0, Fmt::Decimals),
            (ZeroStyle::Decimals, false) => Out::text("0.00"),
            (ZeroStyle::Digit, true) => Out::Number(0.0, Fmt::Integer),
            (ZeroStyle::Digit, false) => Out::text("0"),
        };
    }
    let text = || {
        if decimals {
            format_fixed(v, 2)
        } else {
            format_amount(v)
        }
    };
    match style.amounts {
        AmountStyle::Number => Out::Number(v.to_f64().unwrap_or_default(), fmt),
        AmountStyle::Text => Out::Text(text()),
        AmountStyle::FullWidth => Out::Text(text().chars().map(full_width).collect()),
    }
}

/// The full-width form of an ASCII digit, comma or point.
fn full_width(c: char) -> char {
    match c {
        '0'..='9' | ',' | '.' | '-' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A numeric cell as a cached formula value.
fn as_sum(cell: Out, value: Decimal, unit: MoneyUnit) -> Out {
    let v = if unit == MoneyUnit::WanYuan {
        round_fen(value / unit.factor())
    } else {
        value
    };
    let fmt = match cell {
        Out::Number(_, f) => f,
        _ if unit == MoneyUnit::WanYuan => Fmt::Decimals,
        _ => Fmt::Integer,
    };
    Out::Sum(Vec::new(), v.to_f64().unwrap_or_default(), fmt)
}

/// Which classification a coded table uses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Function,
    Economic,
}

/// The printed labels of a coded table's code, name and amount columns.
struct CodedHead {
    class: Class,
    group: &'static str,
    columns: &'static [&'static str],
}

fn coded_head<A: Amounts>(table: TableId) -> CodedHead {
    let (class, group) = match table {
        TableId::T2 => (Class::Function, "收入预算"),
        TableId::T3 => (Class::Function, "支出预算"),
        TableId::T5 => (Class::Function, "一般公共预算支出"),
        TableId::T6 => (Class::Function, "政府性基金预算支出"),
        TableId::T7 => (Class::Function, "国有资本经营预算支出"),
        _ => (Class::Economic, "一般公共预算基本支出"),
    };
    CodedHead {
        class,
        group,
        columns: A::COLUMNS,
    }
}

/// How many code cells precede the name cell.
fn code_cells(class: Class, codes: CodeStyle) -> usize {
    match (codes, class) {
        (CodeStyle::Split | CodeStyle::SplitNumbers, Class::Function) => 3,
        (CodeStyle::Split | CodeStyle::SplitNumbers, Class::Economic) => 2,
        (CodeStyle::Joined | CodeStyle::Spaced, _) => 1,
        (CodeStyle::Bracketed | CodeStyle::PrefixInName, _) => 0,
    }
}

/// The label cells (codes and name) of one coded row.
fn label_cells(code: &Code, name: &str, class: Class, style: &Style) -> Vec<Out> {
    let depth = match code.level() {
        CodeLevel::Lei => 0,
        CodeLevel::Kuan => 1,
        CodeLevel::Xiang => 2,
    };
    let indent = if style.indent {
        "\u{3000}\u{3000}".repeat(depth)
    } else {
        String::new()
    };
    let segments: Vec<&str> = code
        .segments()
        .into_iter()
        .take(code_cells(class, CodeStyle::Split))
        .collect();
    let name_cell = |prefix: String| Out::Text(format!("{indent}{prefix}{name}"));
    match style.codes {
        CodeStyle::Split => {
            let mut cells: Vec<Out> = segments
                .iter()
                .map(|s| {
                    if s.is_empty() {
                        Out::Empty
                    } else {
                        Out::text(*s)
                    }
                })
                .collect();
            cells.push(name_cell(String::new()));
            cells
        }
        CodeStyle::SplitNumbers => {
            let mut cells: Vec<Out> = segments
                .iter()
                .map(|s| match s.parse::<u32>() {
                    Ok(n) => Out::Number(f64::from(n), Fmt::General),
                    Err(_) => Out::Empty,
                })
                .collect();
            cells.push(name_cell(String::new()));
            cells
        }
        CodeStyle::Joined => vec![Out::text(code.as_str()), name_cell(String::new())],
        CodeStyle::Spaced => {
            let spaced: Vec<&str> = segments.into_iter().filter(|s| !s.is_empty()).collect();
            vec![Out::text(spaced.join(" ")), name_cell(String::new())]
        }
        CodeStyle::Bracketed => vec![name_cell(format!("[{code}]"))],
        CodeStyle::PrefixInName => vec![name_cell(format!("{code} "))],
    }
}

/// Header rows of a coded table; returns the range of rows they occupy.
fn coded_header(b: &mut Builder, head: &CodedHead) -> std::ops::Range<usize> {
    let style = b.style;
    let n_code = code_cells(head.class, style.codes);
    let label_width = n_code + 1;
    let width = label_width + head.columns.len();
    let (code_title, name_title) = match head.class {
        Class::Function => ("功能分类科目编码", "功能分类科目名称"),
        Class::Economic => ("部门预算经济分类科目编码", "经济分类科目名称"),
    };
    let split = matches!(style.codes, CodeStyle::Split | CodeStyle::SplitNumbers);
    let sub: &[&str] = if head.class == Class::Function {
        &["类", "款", "项"]
    } else {
        &["类", "款"]
    };
    let start = b.rows.len();
    if !style.merged_header {
        let mut row: Vec<Out> = Vec::with_capacity(width);
        if split {
            row.extend(sub.iter().map(|s| Out::text(*s)));
        } else if n_code == 1 {
            row.push(Out::text("科目编码"));
        }
        row.push(Out::text(if n_code == 0 {
            "科目编码及名称"
        } else {
            "科目名称"
        }));
        row.extend(head.columns.iter().map(|c| Out::text(*c)));
        b.push(row);
        return start..b.rows.len();
    }
    let mut top = vec![Out::Empty; width];
    top[0] = Out::text("项目");
    top[label_width] = Out::text(head.group);
    let r0 = b.push(top);
    b.merge([r0, 0, r0, label_width - 1]);
    b.merge([r0, label_width, r0, width - 1]);
    let deep = split;
    let mut mid = vec![Out::Empty; width];
    if n_code > 0 {
        mid[0] = Out::text(code_title);
    }
    mid[n_code] = Out::text(name_title);
    for (i, c) in head.columns.iter().enumerate() {
        mid[label_width + i] = Out::text(*c);
    }
    let r1 = b.push(mid);
    if n_code > 0 {
        b.merge([r1, 0, r1, n_code - 1]);
    }
    if deep {
        let mut low = vec![Out::Empty; width];
        for (i, s) in sub.iter().enumerate() {
            low[i] = Out::text(*s);
        }
        let r2 = b.push(low);
        for c in n_code..width {
            b.merge([r1, c, r2, c]);
        }
    }
    start..b.rows.len()
}

/// 表2, 3, 5, 6, 7 and 8.
fn coded<A: Amounts>(budget: &Budget, id: TableId, table: &Classified<A>, style: &Style) -> Block {
    let head = coded_head::<A>(id);
    let unit = style.unit;
    let n_code = code_cells(head.class, style.codes);
    let label_width = n_code + 1;
    let width = label_width + head.columns.len();
    let mut b = Builder::new(id, style);
    b.titles(budget, width, unit);
    let header = coded_header(&mut b, &head);
    let mut row_of: HashMap<&Code, usize> = HashMap::new();
    let mut sums: Vec<(usize, Vec<&Code>)> = Vec::new();
    for (i, line) in table.lines.iter().enumerate() {
        if style.page_breaks && i > 0 && i % 8 == 0 {
            b.page_break(header.clone());
        }
        let mut row = label_cells(&line.code, &line.name, head.class, style);
        let children: Vec<&Code> = table
            .lines
            .iter()
            .filter(|c| c.code.parent().as_ref() == Some(&line.code))
            .map(|c| &c.code)
            .collect();
        let formula = style.formulas && !children.is_empty();
        row.extend(amount_cells(&line.amounts, unit, style, formula));
        let r = b.push(row);
        row_of.insert(&line.code, r);
        if formula {
            sums.push((r, children));
        }
    }
    if let Some(total) = &table.total {
        let mut row = vec![Out::Empty; label_width];
        row[0] = Out::text("合计");
        row.extend(amount_cells(total, unit, style, style.formulas));
        let r = b.push(row);
        b.merge([r, 0, r, label_width - 1]);
        if style.formulas {
            sums.push((r, table.lei_lines().map(|l| &l.code).collect()));
        }
    }
    for (r, children) in sums {
        let refs: Vec<usize> = children
            .iter()
            .filter_map(|c| row_of.get(c).copied())
            .collect();
        for cell in b.rows[r].iter_mut().skip(label_width) {
            if let Out::Sum(rs, _, _) = cell {
                *rs = refs.clone();
            }
        }
    }
    // Exports without titles carry no explanatory notes either.
    let empty = table.lines.is_empty() && matches!(id, TableId::T6 | TableId::T7);
    let empty_note = (empty && style.titles).then(|| {
        let fund = if id == TableId::T6 {
            "政府性基金"
        } else {
            "国有资本经营"
        };
        let year = budget
            .meta
            .year
            .map(|y| format!("{y}年"))
            .unwrap_or_default();
        let who = if budget.meta.level == crate::model::Level::Unit {
            "本单位"
        } else {
            "本部门"
        };
        format!("注：{who}{year}无{fund}预算财政拨款安排的预算，故本表为空表。")
    });
    b.note(empty_note);
    b.finish()
}

/// The amount cells of one row (as cached sums when `formula`).
fn amount_cells<A: Amounts>(
    amounts: &A,
    unit: MoneyUnit,
    style: &Style,
    formula: bool,
) -> Vec<Out> {
    amounts
        .values()
        .into_iter()
        .map(|v| {
            let cell = amount(v, unit, style);
            if formula && style.amounts == AmountStyle::Number {
                as_sum(cell, v, unit)
            } else {
                cell
            }
        })
        .collect()
}

/// 一, 二, … 九十九 for numbering 类 rows.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10..=19 => format!("十{}", DIGITS[n % 10]),
        20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
        _ => n.to_string(),
    }
}

/// The label as the style prints it (2026 labels drop "资金").
fn income_label(label: &str, style: &Style) -> String {
    let canonical =
        OVERVIEW_INCOME_LABELS.contains(&label) || FISCAL_INCOME_LABELS.contains(&label);
    if style.labels_2026 && canonical {
        label.replace("一般公共预算资金", "一般公共预算")
    } else {
        label.to_string()
    }
}

/// A two-level header of side-by-side tables: group titles, then column titles.
fn paired_header(
    b: &mut Builder,
    groups: &[(&str, usize)],
    columns: &[&str],
) -> std::ops::Range<usize> {
    let start = b.rows.len();
    let width = columns.len();
    let mut top = vec![Out::Empty; width];
    let mut c = 0;
    let mut spans = Vec::new();
    for (title, span) in groups {
        if let Some(cell) = top.get_mut(c) {
            *cell = Out::text(*title);
        }
        spans.push([c, c + span - 1]);
        c += span;
    }
    let r = b.push(top);
    for [a, z] in spans {
        b.merge([r, a, r, z]);
    }
    b.push(columns.iter().map(|c| Out::text(*c)).collect());
    start..b.rows.len()
}

/// True when a stated 表1 is printed in the unit layout (its 本年支出 split into 基本支出
/// (小计, 人员经费, 公用经费) and 项目支出).
pub(crate) fn has_split(o: &Overview) -> bool {
    !o.expenditure_split.is_empty() || o.expenditure_total_split.is_some()
}

/// Header rows of the unit-level 表1 (8 columns, 3 rows): 本年收入 (项目, 预算数) | 本年支出
/// (项目, 合计, 基本支出 over 小计/人员经费/公用经费, 项目支出).
fn unit_overview_header(b: &mut Builder) {
    let text = |cells: [&str; 8]| -> Vec<Out> {
        cells
            .iter()
            .map(|t| {
                if t.is_empty() {
                    Out::Empty
                } else {
                    Out::text(*t)
                }
            })
            .collect()
    };
    let r0 = b.push(text(["本年收入", "", "本年支出", "", "", "", "", ""]));
    let r1 = b.push(text([
        "项目",
        "预算数",
        "项目",
        "合计",
        "基本支出",
        "",
        "",
        "项目支出",
    ]));
    let r2 = b.push(text(["", "", "", "", "小计", "人员经费", "公用经费", ""]));
    b.merge([r0, 0, r0, 1]);
    b.merge([r0, 2, r0, 7]);
    for c in [0, 1, 2, 3, 7] {
        b.merge([r1, c, r2, c]);
    }
    b.merge([r1, 4, r1, 6]);
}

/// The four split cells of a unit-level 表1 row; unknown parts blank.
fn split_cells(split: Option<&OverviewSplit>, unit: MoneyUnit, style: &Style) -> Vec<Out> {
    let s = split.cloned().unwrap_or_default();
    [s.basic, s.personnel, s.public, s.project]
        .into_iter()
        .map(|v| v.map_or(Out::Empty, |v| amount(v, unit, style)))
        .collect()
}

/// 表1 财务收支预算总表 as stated: 4 columns, or the unit layout's 8 when 表1 states the
/// 基本支出/项目支出 split of its expenditure.
fn overview(budget: &Budget, o: &Overview, style: &Style) -> Block {
    let split = has_split(o);
    let width = if split { 8 } else { 4 };
    let unit = style.unit;
    let mut b = Builder::new(TableId::T1, style);
    b.titles(budget, width, unit);
    if split {
        unit_overview_header(&mut b);
    } else {
        paired_header(
            &mut b,
            &[("本年收入", 2), ("本年支出", 2)],
            &["项目", "预算数", "项目", "预算数"],
        );
    }
    let rows = o.income.len().max(o.expenditure.len());
    for i in 0..rows {
        let mut row = vec![Out::Empty; 4];
        if let Some((label, v)) = o.income.get(i) {
            row[0] = Out::Text(income_label(label, style));
            row[1] = amount(*v, unit, style);
        }
        match o.expenditure.get(i) {
            Some((name, v)) => {
                row[2] = Out::Text(format!("{}、{name}", chinese_number(i + 1)));
                row[3] = amount(*v, unit, style);
                if split {
                    row.extend(split_cells(o.split_of(name), unit, style));
                }
            }
            None if split => row.extend([Out::Empty, Out::Empty, Out::Empty, Out::Empty]),
            None => {}
        }
        b.push(row);
    }
    if style.page_breaks {
        b.push(vec![Out::Empty; width]);
    }
    let total = |v: Option<Decimal>| v.map(|v| amount(v, unit, style)).unwrap_or(Out::Empty);
    let mut last = vec![
        Out::text("收入总计"),
        total(o.income_total),
        Out::text("支出总计"),
        total(o.expenditure_total),
    ];
    if split {
        last.extend(split_cells(o.expenditure_total_split.as_ref(), unit, style));
    }
    b.push(last);
    b.note(None);
    b.finish()
}

/// 表4 财政拨款收支预算总表 as stated.
fn fiscal(budget: &Budget, f: &FiscalOverview, style: &Style) -> Block {
    let unit = style.unit;
    let mut b = Builder::new(TableId::T4, style);
    b.titles(budget, 7, unit);
    let budget_words = ["一般公共预算", "政府性基金预算", "国有资本经营预算"];
    paired_header(
        &mut b,
        &[("财政拨款收入", 2), ("财政拨款支出", 5)],
        &[
            "项目",
            "预算数",
            "项目",
            "合计",
            budget_words[0],
            budget_words[1],
            budget_words[2],
        ],
    );
    let rows = f.income.len().max(f.expenditure.len());
    for i in 0..rows {
        let mut row = vec![Out::Empty; 7];
        if let Some((label, v)) = f.income.get(i) {
            row[0] = Out::Text(income_label(label, style));
            row[1] = amount(*v, unit, style);
        }
        if let Some(e) = f.expenditure.get(i) {
            row[2] = Out::Text(format!("{}、{}", chinese_number(i + 1), e.name));
            for (k, v) in [e.total, e.general, e.fund, e.capital]
                .into_iter()
                .enumerate()
            {
                row[3 + k] = amount(v, unit, style);
            }
        }
        b.push(row);
    }
    let mut last = vec![
        Out::text("收入总计"),
        f.income_total
            .map(|v| amount(v, unit, style))
            .unwrap_or(Out::Empty),
        Out::text("支出总计"),
    ];
    if let Some(t) = &f.expenditure_total {
        last.extend([t.total, t.general, t.fund, t.capital].map(|v| amount(v, unit, style)));
    }
    b.push(last);
    b.note(None);
    b.finish()
}

/// 表9 “三公”经费和机关运行经费预算表, always in 万元.
fn table9(budget: &Budget, t9: &Table9, style: &Style) -> Block {
    let unit = MoneyUnit::WanYuan;
    let mut b = Builder::new(TableId::T9, style);
    b.titles(budget, 7, unit);
    let start = b.rows.len();
    if style.merged_header {
        let mut a = vec![Out::Empty; 7];
        a[0] = Out::text("“三公”经费预算数");
        a[6] = Out::text("机关运行经费预算数");
        let mut m = vec![Out::Empty; 7];
        m[0] = Out::text("合计");
        m[1] = Out::text("因公出国(境)费");
        m[2] = Out::text("公务接待费");
        m[3] = Out::text("公务用车购置及运行费");
        let mut l = vec![Out::Empty; 7];
        l[3] = Out::text("小计");
        l[4] = Out::text("购置费");
        l[5] = Out::text("运行费");
        b.push(a);
        b.push(m);
        b.push(l);
        for range in [
            [0, 0, 0, 5],
            [0, 6, 2, 6],
            [1, 0, 2, 0],
            [1, 1, 2, 1],
            [1, 2, 2, 2],
            [1, 3, 1, 5],
        ] {
            b.merge([range[0] + start, range[1], range[2] + start, range[3]]);
        }
    } else {
        b.push(
            [
                "合计",
                "因公出国(境)费",
                "公务接待费",
                "小计",
                "购置费",
                "运行费",
                "机关运行经费预算数",
            ]
            .iter()
            .map(|c| Out::text(*c))
            .collect(),
        );
    }
    let mut row: Vec<Out> = match &t9.three_public {
        Some(t) => t
            .figures()
            .iter()
            .map(|v| amount(*v, unit, style))
            .collect(),
        None => vec![Out::Empty; 6],
    };
    row.push(
        t9.admin_running
            .map(|v| amount(v, unit, style))
            .unwrap_or(Out::Empty),
    );
    b.push(row);
    b.note(None);
    b.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::Shape;

    #[test]
    fn amounts_in_every_style() {
        let d = |v: i64| Decimal::from(v);
        let s = |shape: Shape| shape.style();
        assert_eq!(
            amount(d(48_215_638), MoneyUnit::Yuan, &s(Shape::TextAmounts)),
            Out::text("48,215,638")
        );
        assert_eq!(
            amount(d(48_215_638), MoneyUnit::Yuan, &s(Shape::FullWidthDigits)),
            Out::text("４８，２１５，６３８")
        );
        assert_eq!(
            amount(d(18_792_776), MoneyUnit::WanYuan, &s(Shape::Official)),
            Out::Number(1879.28, Fmt::Decimals)
        );
        assert_eq!(
            amount(d(0), MoneyUnit::Yuan, &s(Shape::TextAmounts)),
            Out::text("-")
        );
        assert_eq!(
            amount(d(0), MoneyUnit::Yuan, &s(Shape::Official)),
            Out::Empty
        );
        assert_eq!(
            amount(d(0), MoneyUnit::Yuan, &s(Shape::FullWidthDigits)),
            Out::text("0.00")
        );
        assert_eq!(chinese_number(4), "四");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(21), "二十一");
    }

    #[test]
    fn code_labels_in_every_style() {
        let code = Code::new("2010301").unwrap();
        let cells = |shape: Shape| label_cells(&code, "行政运行", Class::Function, &shape.style());
        assert_eq!(
            cells(Shape::Official),
            vec![
                Out::text("201"),
                Out::text("03"),
                Out::text("01"),
                Out::text("行政运行")
            ]
        );
        assert_eq!(cells(Shape::SpacedCodes)[0], Out::text("201 03 01"));
        assert_eq!(
            cells(Shape::BracketedCodes),
            vec![Out::text("[2010301]行政运行")]
        );
        assert_eq!(
            cells(Shape::CodeInName),
            vec![Out::text("2010301 行政运行")]
        );
        assert_eq!(
            cells(Shape::KuanWithoutLeadingZero)[1],
            Out::Number(3.0, Fmt::General)
        );
        assert_eq!(
            cells(Shape::IndentedNames)[1],
            Out::text("\u{3000}\u{3000}\u{3000}\u{3000}行政运行")
        );
        let econ = Code::new("30212").unwrap();
        let e = label_cells(
            &econ,
            "因公出国（境）费用",
            Class::Economic,
            &Shape::Official.style(),
        );
        assert_eq!(e.len(), 3);
    }
}
