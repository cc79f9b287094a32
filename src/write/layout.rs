//! Table layouts as strict data: the files in `templates/` (one per official table, plus the
//! 校验结果 sheet, plus the batch's summary list), embedded in the binary, parsed and validated
//! once per process.
//!
//! A layout says what a sheet looks like (title pattern, sheet name, merged header rows,
//! column widths, orientation, unit label, empty-table note) and binds every body column to a
//! field of its row source; a layout may be restricted to one level (`level = "unit"`: the
//! unit-level 表1 with its 基本支出/项目支出 split), and [`layouts_for`] picks each table's
//! layout for a budget's level. It knows nothing of formats or of the model's values: `rows` turns
//! the model into rows, `sheet` renders rows through a layout. Not for cover or 目录 sheets,
//! which are not tables.
//!
//! A [`ListLayout`] (`templates/summary.toml`, [`summary`]) is the simpler shape of a plain
//! list: sheet name, document title, orientation, and one header text, fixed width and field
//! name per column; `list` renders the caller's rows through it.

use crate::model::{Level, MoneyUnit, TableId};
use serde::Deserialize;
use std::sync::OnceLock;

/// The embedded template files: (file name, text). The first ten in sheet order, then the
/// layouts of one level that replace a table's default (`layouts_for`).
const SOURCES: [(&str, &str); 11] = [
    ("templates/t1.toml", include_str!("../../templates/t1.toml")),
    ("templates/t2.toml", include_str!("../../templates/t2.toml")),
    ("templates/t3.toml", include_str!("../../templates/t3.toml")),
    ("templates/t4.toml", include_str!("../../templates/t4.toml")),
    ("templates/t5.toml", include_str!("../../templates/t5.toml")),
    ("templates/t6.toml", include_str!("../../templates/t6.toml")),
    ("templates/t7.toml", include_str!("../../templates/t7.toml")),
    ("templates/t8.toml", include_str!("../../templates/t8.toml")),
    ("templates/t9.toml", include_str!("../../templates/t9.toml")),
    (
        "templates/findings.toml",
        include_str!("../../templates/findings.toml"),
    ),
    (
        "templates/t1_unit.toml",
        include_str!("../../templates/t1_unit.toml"),
    ),
];

/// The embedded list template of summary.xlsx (the batch summary).
const SUMMARY_SOURCE: (&str, &str) = (
    "templates/summary.toml",
    include_str!("../../templates/summary.toml"),
);

/// The level a layout is restricted to, as written in a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum TemplateLevel {
    Department,
    Unit,
}

impl From<TemplateLevel> for Level {
    fn from(l: TemplateLevel) -> Level {
        match l {
            TemplateLevel::Department => Level::Department,
            TemplateLevel::Unit => Level::Unit,
        }
    }
}

/// Where a table's body rows come from: the few kinds of row source the renderer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Coded rows of 表2/3/5/6/7/8 plus the 合计 row.
    Classified,
    /// 表1: income list beside expenditure list (derive::overview).
    Overview,
    /// 表4: fund incomes beside expenditure split by fund (derive::fiscal_overview).
    FiscalOverview,
    /// 表9: one data row (derive::table9).
    Table9,
    /// The 校验结果 sheet: one row per finding.
    Findings,
}

/// Which unit a sheet's amounts print in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Money {
    /// The unit the caller asked for (`WriteOptions::unit`).
    #[default]
    Option,
    /// Always 万元 to 2 decimals (表9).
    WanYuan,
}

/// Page orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Orientation {
    /// 横向.
    Landscape,
    /// 纵向.
    Portrait,
}

/// How a text column is aligned and indented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    /// A code segment or short tag: centred.
    Code,
    /// A classification name: left, indented by the row's code level.
    Name,
    /// A printed label (表1/4 items, finding text): left.
    Label,
}

/// What a body column shows: a text slot or an amount slot of the row, by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    /// `Row::text[slot]`, aligned as `kind` says.
    Text {
        /// Index into the row's text slots.
        slot: usize,
        /// Alignment and indentation.
        kind: TextKind,
    },
    /// `Row::amounts[slot]`, in 元 in the row, printed in the sheet's unit.
    Amount {
        /// Index into the row's amount slots.
        slot: usize,
    },
}

/// How many text and amount slots a row has.
pub const TEXT_SLOTS: usize = 9;
/// See [`TEXT_SLOTS`].
pub const AMOUNT_SLOTS: usize = 8;

/// One header cell placed on the header grid (0-based within the header rows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderCell {
    /// The printed text.
    pub text: String,
    /// First header row (0 = the first header row).
    pub row: u16,
    /// First column.
    pub col: u16,
    /// Rows spanned (≥ 1).
    pub rows: u16,
    /// Columns spanned (≥ 1).
    pub cols: u16,
}

/// One body column: its binding and width bounds (in Excel character units).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The field name as written in the template.
    pub field: String,
    /// What the column shows.
    pub binding: Binding,
    /// Narrowest width.
    pub min_width: f64,
    /// Widest width; longer text wraps.
    pub max_width: f64,
}

/// A validated layout.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The template file it came from.
    pub file: &'static str,
    /// The official table, or None for the 校验结果 sheet.
    pub table: Option<TableId>,
    /// The level of budget this layout is for; `None` for both.
    pub level: Option<Level>,
    /// The sheet name.
    pub sheet: String,
    /// Title pattern ({year} {level} {level_short}).
    pub title: String,
    /// Page orientation.
    pub orientation: Orientation,
    /// The row source.
    pub source: Source,
    /// The unit of the printed amounts.
    pub money: Money,
    /// The entity row pattern ({compiler} {entity}).
    pub entity_line: String,
    /// The unit label pattern ({unit}), printed at the right of the entity row.
    pub unit_label: Option<String>,
    /// The note printed under an empty table ({level_short} {year}).
    pub empty_note: Option<String>,
    /// Labels of the total row (合计; or 收入总计 and 支出总计).
    pub total_labels: Vec<String>,
    /// Header cells, placed.
    pub header: Vec<HeaderCell>,
    /// Number of header rows.
    pub header_rows: u16,
    /// Body columns, left to right.
    pub columns: Vec<Column>,
}

/// The values a pattern's placeholders take for one workbook.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Budget year.
    pub year: Option<u16>,
    /// Department or unit.
    pub level: Level,
    /// 编制部门 name.
    pub entity: &'a str,
    /// The printed unit of this sheet.
    pub unit: MoneyUnit,
}

impl Context<'_> {
    /// Fills `{year}` ("2024年" or nothing), `{level}` (部门/预算单位), `{level_short}`
    /// (部门/单位), `{compiler}` (编制部门/编制单位), `{entity}` and `{unit}` (元/万元).
    ///
    /// One pass over the pattern (templates are checked to use only these placeholders). The
    /// result is what replacing each placeholder in turn gives: as `{unit}` was replaced
    /// after `{entity}`, a `{unit}` inside the entity name is filled too.
    pub fn fill(&self, pattern: &str) -> String {
        let mut out = String::with_capacity(pattern.len() + self.entity.len());
        let mut rest = pattern;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let name = after.find('}').map_or("", |end| &after[..end]);
            if self.value(name, &mut out) {
                rest = &after[name.len() + 1..];
            } else {
                out.push('{');
                rest = after;
            }
        }
        out.push_str(rest);
        out
    }

    /// Appends the value of placeholder `name` to `out`; false for an unknown name.
    fn value(&self, name: &str, out: &mut String) -> bool {
        match name {
            "year" => {
                if let Some(y) = self.year {
                    out.push_str(&y.to_string());
                    out.push('年');
                }
            }
            "level_short" => out.push_str(match self.level {
                Level::Department => "部门",
                Level::Unit => "单位",
            }),
            "level" => out.push_str(self.level.title_word()),
            "compiler" => out.push_str(self.level.compiler_label()),
            "entity" if self.entity.contains("{unit}") => {
                out.push_str(&self.entity.replace("{unit}", self.unit.label()));
            }
            "entity" => out.push_str(self.entity),
            "unit" => out.push_str(self.unit.label()),
            _ => return false,
        }
        true
    }
}

/// The strict file format of a template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    table: Option<u8>,
    level: Option<TemplateLevel>,
    sheet: String,
    title: String,
    orientation: Orientation,
    rows: Source,
    #[serde(default)]
    money: Money,
    entity_line: String,
    unit_label: Option<String>,
    empty_note: Option<String>,
    total_labels: Vec<String>,
    header: Vec<Vec<RawHeaderCell>>,
    columns: Vec<RawColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeaderCell {
    text: String,
    #[serde(default = "one")]
    rows: u16,
    #[serde(default = "one")]
    cols: u16,
}

fn one() -> u16 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawColumn {
    field: String,
    min_width: f64,
    max_width: f64,
}

/// All layouts, parsed once per process: 表1–9 and 校验结果 in sheet order, then the
/// level-specific replacements (the unit-level 表1). Use [`layouts_for`] to get one workbook's.
pub fn layouts() -> Result<&'static [Layout], String> {
    static LAYOUTS: OnceLock<Result<Vec<Layout>, String>> = OnceLock::new();
    LAYOUTS
        .get_or_init(|| {
            let layouts: Vec<Layout> = SOURCES
                .iter()
                .map(|(file, text)| parse(file, text))
                .collect::<Result<_, _>>()?;
            for level in [Level::Department, Level::Unit] {
                let of_level: Vec<&Layout> = layouts
                    .iter()
                    .filter(|l| l.level.is_none_or(|x| x == level))
                    .collect();
                for (i, a) in of_level.iter().enumerate() {
                    let same = |b: &&&Layout| b.sheet == a.sheet || (b.table == a.table);
                    if let Some(b) = of_level[i + 1..].iter().find(same) {
                        return Err(format!(
                            "模板 {} 与 {} 的工作表名“{}”或表号重复",
                            a.file, b.file, a.sheet
                        ));
                    }
                }
            }
            Ok(layouts)
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// The layouts of a workbook for a budget of `level`, in sheet order (表1–9, then 校验结果):
/// each table's layout for that level.
pub fn layouts_for(level: Level) -> Result<Vec<&'static Layout>, String> {
    let mut chosen: Vec<&'static Layout> = layouts()?
        .iter()
        .filter(|l| l.level.is_none_or(|x| x == level))
        .collect();
    chosen.sort_by_key(|l| l.table.map_or(u8::MAX, TableId::number));
    Ok(chosen)
}

/// Parses and validates one template; the error names the file and what is wrong, in Chinese.
pub fn parse(file: &'static str, text: &str) -> Result<Layout, String> {
    let raw: RawLayout = toml::from_str(text).map_err(|e| format!("模板 {file} 格式错误：{e}"))?;
    let fail = |what: String| format!("模板 {file}：{what}");
    let table = match raw.table {
        Some(n) => Some(TableId::from_number(n).ok_or_else(|| fail(format!("表号 {n} 无效")))?),
        None => None,
    };
    check_sheet_name(&raw.sheet).map_err(fail)?;
    check_source(raw.rows, table).map_err(fail)?;
    let columns = raw
        .columns
        .iter()
        .map(|c| column(raw.rows, table, c))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    if columns.is_empty() {
        return Err(fail("没有列".into()));
    }
    let expected_totals = match raw.rows {
        Source::Classified => 1,
        Source::Overview | Source::FiscalOverview => 2,
        Source::Table9 | Source::Findings => 0,
    };
    if raw.total_labels.len() != expected_totals {
        return Err(fail(format!(
            "total_labels 应有 {expected_totals} 项，实有 {} 项",
            raw.total_labels.len()
        )));
    }
    let (header, header_rows) = place_header(&raw.header, columns.len()).map_err(fail)?;
    for pattern in [&raw.title, &raw.entity_line]
        .into_iter()
        .chain(raw.unit_label.as_ref())
        .chain(raw.empty_note.as_ref())
    {
        check_placeholders(pattern).map_err(fail)?;
    }
    Ok(Layout {
        file,
        table,
        level: raw.level.map(Level::from),
        sheet: raw.sheet,
        title: raw.title,
        orientation: raw.orientation,
        source: raw.rows,
        money: raw.money,
        entity_line: raw.entity_line,
        unit_label: raw.unit_label,
        empty_note: raw.empty_note,
        total_labels: raw.total_labels,
        header,
        header_rows,
        columns,
    })
}

/// A worksheet name Excel accepts: 1 to 31 characters, none of `[ ] : * ? / \`.
fn check_sheet_name(sheet: &str) -> Result<(), String> {
    if sheet.is_empty() || sheet.chars().count() > 31 {
        return Err(format!("工作表名“{sheet}”应为 1 到 31 个字符"));
    }
    if sheet.contains(['[', ']', ':', '*', '?', '/', '\\']) {
        return Err(format!("工作表名“{sheet}”含有不允许的字符"));
    }
    Ok(())
}

/// The source must fit the table: classified sources need a classified table, and so on.
fn check_source(source: Source, table: Option<TableId>) -> Result<(), String> {
    let ok = match source {
        Source::Classified => matches!(
            table,
            Some(TableId::T2 | TableId::T3 | TableId::T5 | TableId::T6 | TableId::T7 | TableId::T8)
        ),
        Source::Overview => table == Some(TableId::T1),
        Source::FiscalOverview => table == Some(TableId::T4),
        Source::Table9 => table == Some(TableId::T9),
        Source::Findings => table.is_none(),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("行来源 {source:?} 与表号 {table:?} 不符"))
    }
}

/// How many amount columns and code segments a classified table has.
pub fn classified_shape(table: TableId) -> (usize, usize) {
    use crate::model::{Amounts, EconomicAmounts, IncomeAmounts, SplitAmounts};
    match table {
        TableId::T2 => (IncomeAmounts::COLUMNS.len(), 3),
        TableId::T8 => (EconomicAmounts::COLUMNS.len(), 2),
        _ => (SplitAmounts::COLUMNS.len(), 3),
    }
}

/// Resolves a field name to a binding for this source; unknown names are errors.
fn column(source: Source, table: Option<TableId>, raw: &RawColumn) -> Result<Column, String> {
    let field = raw.field.as_str();
    let text = |slot, kind| Some(Binding::Text { slot, kind });
    let amount_index = |prefix: &str, count: usize| {
        field
            .strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&n| n < count)
    };
    let binding = match source {
        Source::Classified => {
            let (amounts, segments) = table.map(classified_shape).unwrap_or((0, 0));
            match field {
                "code.lei" => text(0, TextKind::Code),
                "code.kuan" => text(1, TextKind::Code),
                "code.xiang" if segments == 3 => text(2, TextKind::Code),
                "name" => text(3, TextKind::Name),
                _ => amount_index("amount.", amounts).map(|slot| Binding::Amount { slot }),
            }
        }
        Source::Overview | Source::FiscalOverview => {
            // 表1: 合计, then the unit layout's 基本支出, 人员经费, 公用经费, 项目支出.
            let count = if source == Source::Overview { 5 } else { 4 };
            match field {
                "income.label" => text(0, TextKind::Label),
                "income.amount" => Some(Binding::Amount { slot: 0 }),
                "expenditure.label" => text(1, TextKind::Label),
                _ => amount_index("expenditure.amount.", count)
                    .map(|n| Binding::Amount { slot: n + 1 }),
            }
        }
        Source::Table9 => amount_index("amount.", 7).map(|slot| Binding::Amount { slot }),
        Source::Findings => match field {
            "severity" => text(0, TextKind::Code),
            "rule" => text(1, TextKind::Label),
            "table" => text(2, TextKind::Code),
            "row" => text(3, TextKind::Label),
            "column" => text(4, TextKind::Label),
            "location" => text(5, TextKind::Label),
            "expected" => text(6, TextKind::Label),
            "actual" => text(7, TextKind::Label),
            "message" => text(8, TextKind::Label),
            _ => None,
        },
    };
    let binding = binding.ok_or_else(|| format!("行来源 {source:?} 没有字段“{field}”"))?;
    if !(raw.min_width > 0.0 && raw.min_width <= raw.max_width && raw.max_width <= 255.0) {
        return Err(format!(
            "字段“{field}”的列宽 {}–{} 无效",
            raw.min_width, raw.max_width
        ));
    }
    Ok(Column {
        field: raw.field.clone(),
        binding,
        min_width: raw.min_width,
        max_width: raw.max_width,
    })
}

/// Places header cells like an HTML table: each cell takes the first free column of its row.
/// Every position of the header grid must be covered exactly once.
fn place_header(
    rows: &[Vec<RawHeaderCell>],
    width: usize,
) -> Result<(Vec<HeaderCell>, u16), String> {
    let height = rows.len();
    if height == 0 {
        return Err("没有表头行".into());
    }
    let mut taken = vec![vec![false; width]; height];
    let mut placed = Vec::new();
    for (r, cells) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in cells {
            while taken[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            let (rs, cs) = (usize::from(cell.rows), usize::from(cell.cols));
            if rs == 0 || cs == 0 || r + rs > height || c + cs > width {
                return Err(format!(
                    "表头“{}”（第 {} 行）超出表头范围（{height} 行 × {width} 列）",
                    cell.text,
                    r + 1
                ));
            }
            for row in taken.iter_mut().skip(r).take(rs) {
                for slot in row.iter_mut().skip(c).take(cs) {
                    if *slot {
                        return Err(format!("表头“{}”与其他表头重叠", cell.text));
                    }
                    *slot = true;
                }
            }
            placed.push(HeaderCell {
                text: cell.text.clone(),
                row: r as u16,
                col: c as u16,
                rows: cell.rows,
                cols: cell.cols,
            });
            c += cs;
        }
    }
    if let Some(r) = taken.iter().position(|row| row.iter().any(|t| !t)) {
        return Err(format!("表头第 {} 行没有覆盖全部 {width} 列", r + 1));
    }
    Ok((placed, height as u16))
}

/// Only known placeholders may appear in a pattern.
fn check_placeholders(pattern: &str) -> Result<(), String> {
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let end = after
            .find('}')
            .ok_or_else(|| format!("“{pattern}”中的“{{”没有闭合"))?;
        let name = &after[..end];
        if !matches!(
            name,
            "year" | "level" | "level_short" | "compiler" | "entity" | "unit"
        ) {
            return Err(format!("“{pattern}”中的占位符“{{{name}}}”未知"));
        }
        rest = &after[end + 1..];
    }
    Ok(())
}

/// One column of a list sheet: the caller's field it shows, its header text and fixed width.
#[derive(Debug, Clone, PartialEq)]
pub struct ListColumn {
    /// The field of the caller's rows this column shows (`list::ListRows::fields`).
    pub field: String,
    /// The header text.
    pub header: String,
    /// The width, in Excel character units.
    pub width: f64,
}

/// A validated list layout: one header row, then one row per record, columns of fixed width.
#[derive(Debug, Clone)]
pub struct ListLayout {
    /// The template file it came from.
    pub file: &'static str,
    /// The sheet name.
    pub sheet: String,
    /// The workbook's document title (the sheet itself has no title row).
    pub title: String,
    /// Page orientation.
    pub orientation: Orientation,
    /// Columns, left to right.
    pub columns: Vec<ListColumn>,
}

/// The strict file format of a list template.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListLayout {
    sheet: String,
    title: String,
    orientation: Orientation,
    columns: Vec<RawListColumn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListColumn {
    field: String,
    header: String,
    width: f64,
}

/// The layout of summary.xlsx (`templates/summary.toml`), parsed once per process.
pub fn summary() -> Result<&'static ListLayout, String> {
    static SUMMARY: OnceLock<Result<ListLayout, String>> = OnceLock::new();
    SUMMARY
        .get_or_init(|| parse_list(SUMMARY_SOURCE.0, SUMMARY_SOURCE.1))
        .as_ref()
        .map_err(Clone::clone)
}

/// Parses and validates one list template; the error names the file and what is wrong, in
/// Chinese. Field names are checked against the caller's rows when the list is rendered.
pub fn parse_list(file: &'static str, text: &str) -> Result<ListLayout, String> {
    let raw: RawListLayout =
        toml::from_str(text).map_err(|e| format!("模板 {file} 格式错误：{e}"))?;
    let fail = |what: String| format!("模板 {file}：{what}");
    check_sheet_name(&raw.sheet).map_err(fail)?;
    if raw.columns.is_empty() {
        return Err(fail("没有列".into()));
    }
    for (i, c) in raw.columns.iter().enumerate() {
        if c.field.is_empty() {
            return Err(fail(format!("第 {} 列没有字段名", i + 1)));
        }
        if raw.columns[..i].iter().any(|d| d.field == c.field) {
            return Err(fail(format!("字段“{}”重复", c.field)));
        }
        if !(c.width > 0.0 && c.width <= 255.0) {
            return Err(fail(format!("字段“{}”的列宽 {} 无效", c.field, c.width)));
        }
    }
    Ok(ListLayout {
        file,
        sheet: raw.sheet,
        title: raw.title,
        orientation: raw.orientation,
        columns: raw
            .columns
            .into_iter()
            .map(|c| ListColumn {
                field: c.field,
                header: c.header,
                width: c.width,
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_loads_and_the_tables_come_in_official_order() {
        let layouts = layouts().unwrap();
        assert_eq!(layouts.len(), 11);
        for (layout, id) in layouts.iter().zip(TableId::ALL) {
            assert_eq!(layout.table, Some(id), "{}", layout.file);
            assert!(layout.sheet.starts_with(&id.number().to_string()));
        }
        assert_eq!(layouts[9].table, None);
        assert_eq!(layouts[9].sheet, "校验结果");
        assert_eq!(layouts[10].file, "templates/t1_unit.toml");
        for level in [Level::Department, Level::Unit] {
            let chosen = layouts_for(level).unwrap();
            let files: Vec<&str> = chosen.iter().map(|l| l.file).collect();
            let t1 = match level {
                Level::Department => "templates/t1.toml",
                Level::Unit => "templates/t1_unit.toml",
            };
            assert_eq!(files[0], t1);
            assert_eq!(files.len(), 10);
            let rest: Vec<&str> = SOURCES[1..10].iter().map(|(f, _)| *f).collect();
            assert_eq!(files[1..], rest);
        }
    }

    #[test]
    fn unit_table1_header_is_placed_as_printed() {
        let t1 = &layouts().unwrap()[10];
        assert_eq!((t1.table, t1.level), (Some(TableId::T1), Some(Level::Unit)));
        assert_eq!(t1.header_rows, 3);
        assert_eq!(t1.columns.len(), 8);
        let placed: Vec<(&str, u16, u16, u16, u16)> = t1
            .header
            .iter()
            .map(|c| (c.text.as_str(), c.row, c.col, c.rows, c.cols))
            .collect();
        assert_eq!(
            placed,
            [
                ("本年收入", 0, 0, 1, 2),
                ("本年支出", 0, 2, 1, 6),
                ("项目", 1, 0, 2, 1),
                ("预算数", 1, 1, 2, 1),
                ("项目", 1, 2, 2, 1),
                ("合计", 1, 3, 2, 1),
                ("基本支出", 1, 4, 1, 3),
                ("项目支出", 1, 7, 2, 1),
                ("小计", 2, 4, 1, 1),
                ("人员经费", 2, 5, 1, 1),
                ("公用经费", 2, 6, 1, 1),
            ]
        );
        let slots: Vec<Binding> = t1.columns.iter().map(|c| c.binding).collect();
        assert_eq!(
            slots[3..],
            (1..=5)
                .map(|slot| Binding::Amount { slot })
                .collect::<Vec<_>>()
        );
        // The department layout has no such field.
        let t1_dept = SOURCES[0]
            .1
            .replace("expenditure.amount.0", "expenditure.amount.5");
        assert!(parse("x.toml", &t1_dept).is_err());
        let bad_level = SOURCES[10]
            .1
            .replace("level = \"unit\"", "level = \"province\"");
        assert!(
            parse("x.toml", &bad_level)
                .unwrap_err()
                .contains("province")
        );
    }

    #[test]
    fn every_file_in_templates_is_embedded() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .map(|n| format!("templates/{n}"))
            .collect();
        on_disk.sort();
        let all = SOURCES.iter().chain([&SUMMARY_SOURCE]);
        let mut embedded: Vec<String> = all.clone().map(|(f, _)| f.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
        for (file, text) in all {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            assert_eq!(std::fs::read_to_string(path).unwrap(), *text, "{file}");
        }
    }

    #[test]
    fn title_patterns_give_the_official_titles() {
        for level in [Level::Department, Level::Unit] {
            for year in [Some(2024), None] {
                let ctx = Context {
                    year,
                    level,
                    entity: "x",
                    unit: MoneyUnit::Yuan,
                };
                let chosen = layouts_for(level).unwrap();
                for (layout, id) in chosen.iter().zip(TableId::ALL) {
                    let title = ctx.fill(&layout.title);
                    if id == TableId::T9 {
                        // As published: no year in the 三公 title at either level.
                        let word = if level == Level::Unit {
                            "单位"
                        } else {
                            "部门"
                        };
                        assert_eq!(title, format!("{word}“三公”经费和机关运行经费预算表"));
                    } else {
                        assert_eq!(title, id.title(year, level), "{}", layout.file);
                    }
                }
            }
        }
    }

    #[test]
    fn table2_header_is_placed_as_printed() {
        let t2 = &layouts().unwrap()[1];
        assert_eq!(t2.header_rows, 3);
        let at = |text: &str| {
            let c = t2.header.iter().find(|c| c.text == text).unwrap();
            (c.row, c.col, c.rows, c.cols)
        };
        assert_eq!(at("项目"), (0, 0, 1, 4));
        assert_eq!(at("收入预算"), (0, 4, 1, 5));
        assert_eq!(at("功能分类科目编码"), (1, 0, 1, 3));
        assert_eq!(at("功能分类科目名称"), (1, 3, 2, 1));
        assert_eq!(at("其他收入"), (1, 8, 2, 1));
        assert_eq!(at("项"), (2, 2, 1, 1));
    }

    #[test]
    fn unknown_keys_and_fields_are_refused() {
        let t8 = SOURCES[7].1;
        let extra = format!("colour = \"red\"\n{t8}");
        let err = parse("x.toml", &extra).unwrap_err();
        assert!(
            err.contains("unknown field") && err.contains("colour"),
            "{err}"
        );

        let bad_field = t8.replace("field = \"name\"", "field = \"nmae\"");
        assert_eq!(
            parse("x.toml", &bad_field).unwrap_err(),
            "模板 x.toml：行来源 Classified 没有字段“nmae”"
        );
        // 表8 has no 项 segment.
        let xiang = t8.replace("field = \"code.kuan\"", "field = \"code.xiang\"");
        assert!(parse("x.toml", &xiang).is_err());
        let bad_cell = t8.replace("{ text = \"类\" }", "{ text = \"类\", colour = 1 }");
        assert!(parse("x.toml", &bad_cell).unwrap_err().contains("colour"));
    }

    #[test]
    fn header_grids_must_be_covered_exactly_once() {
        let t9 = SOURCES[8].1;
        let short = t9.replace("{ text = \"运行费\" }", "");
        assert_eq!(
            parse("x.toml", &short).unwrap_err(),
            "模板 x.toml：表头第 3 行没有覆盖全部 7 列"
        );
        let wide = t9.replace("cols = 6", "cols = 7");
        assert!(parse("x.toml", &wide).unwrap_err().contains("超出表头范围"));
        let placeholder = t9.replace("{level_short}", "{levle}");
        assert!(
            parse("x.toml", &placeholder)
                .unwrap_err()
                .contains("{levle}")
        );
    }

    #[test]
    fn fill_gives_what_replacing_each_placeholder_in_turn_gives() {
        let replaced = |ctx: &Context<'_>, pattern: &str| {
            let year = ctx.year.map(|y| format!("{y}年")).unwrap_or_default();
            let short = match ctx.level {
                Level::Department => "部门",
                Level::Unit => "单位",
            };
            pattern
                .replace("{year}", &year)
                .replace("{level_short}", short)
                .replace("{level}", ctx.level.title_word())
                .replace("{compiler}", ctx.level.compiler_label())
                .replace("{entity}", ctx.entity)
                .replace("{unit}", ctx.unit.label())
        };
        let patterns = [
            "{year}{level}收入预算总表",
            "{compiler}：{entity}",
            "单位：{unit}",
            "注：本{level_short}{year}无一般公共预算基本支出，故本表为空表。",
            "{{year}} {unknown} {unit {entity}{entity}",
            "no placeholder",
            "",
        ];
        for entity in ["上海市某局", "{year}{unit}{entity}", "{"] {
            for (year, level, unit) in [
                (Some(2025), Level::Department, MoneyUnit::Yuan),
                (None, Level::Unit, MoneyUnit::WanYuan),
            ] {
                let ctx = Context {
                    year,
                    level,
                    entity,
                    unit,
                };
                for pattern in patterns {
                    assert_eq!(
                        ctx.fill(pattern),
                        replaced(&ctx, pattern),
                        "{pattern} {entity}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_summary_template_loads_and_is_strict() {
        let summary = summary().unwrap();
        assert_eq!(summary.file, "templates/summary.toml");
        assert_eq!(summary.sheet, "汇总");
        assert_eq!(summary.title, "预算批量处理结果汇总");
        assert_eq!(summary.orientation, Orientation::Landscape);
        let columns: Vec<(&str, &str, f64)> = summary
            .columns
            .iter()
            .map(|c| (c.field.as_str(), c.header.as_str(), c.width))
            .collect();
        assert_eq!(
            columns,
            [
                ("file", "文件", 34.0),
                ("unit", "单位名称", 30.0),
                ("kind", "单位类型", 8.0),
                ("status", "状态", 8.0),
                ("income_total", "收入总计（元）", 15.0),
                ("expenditure_total", "支出总计（元）", 15.0),
                ("errors", "错误数", 7.0),
                ("warnings", "警告数", 7.0),
                ("first_error", "首个错误", 40.0),
                ("output", "输出文件", 30.0),
            ]
        );

        let text = SUMMARY_SOURCE.1;
        let extra = format!("colour = \"red\"\n{text}");
        let err = parse_list("x.toml", &extra).unwrap_err();
        assert!(
            err.contains("unknown field") && err.contains("colour"),
            "{err}"
        );
        let bad_column = text.replacen("width = 34", "width = 34\nformat = \"0\"", 1);
        assert!(
            parse_list("x.toml", &bad_column)
                .unwrap_err()
                .contains("format")
        );
        let twice = text.replace("field = \"unit\"", "field = \"file\"");
        assert_eq!(
            parse_list("x.toml", &twice).unwrap_err(),
            "模板 x.toml：字段“file”重复"
        );
        let wide = text.replace("width = 40", "width = 256");
        assert_eq!(
            parse_list("x.toml", &wide).unwrap_err(),
            "模板 x.toml：字段“first_error”的列宽 256 无效"
        );
        let bad_sheet = text.replace("sheet = \"汇总\"", "sheet = \"汇/总\"");
        assert!(
            parse_list("x.toml", &bad_sheet)
                .unwrap_err()
                .contains("不允许的字符")
        );
    }
}
