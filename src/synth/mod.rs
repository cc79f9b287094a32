//! Synthetic submissions: renders a canonical [`Budget`] as the files a budget unit would
//! really send, in many messy shapes (official layout, stacked sheets, joined/spaced/bracketed
//! codes, text amounts, full-width digits, 万元, extra and hidden sheets, repeated headers,
//! formulas, 2026 labels, GBK/GB18030/BOM CSV folders, TSV), and splits a department budget into
//! N budget units that add back up to it exactly.
//!
//! Used by the samples, the round-trip tests (render → read → recognise must give the budget
//! back, see [`as_rendered`]) and the batch benchmark ([`generate_units`]). Not a writer of the
//! official disclosure workbook (that is `write`), and never used on real submissions.
//! Every shape is described as data (`Shape::style`); the table layouts live in `layout`,
//! the containers (xlsx, CSV folder, TSV) in `emit`.

mod emit;
mod example;
mod layout;
mod rng;
mod split;

pub use example::example_budget;
pub use rng::SplitMix64;
pub use split::split_units;

use crate::model::{Amounts, Budget, Classified, MoneyUnit, OverviewSplit};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

/// One way a unit's submission can look. Every shape states the same budget; see
/// [`as_rendered`] for what a perfect recogniser reads back from each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// The official layout: one table per sheet (表1…表9), title, 编制单位 and 单位 rows, merged
    /// three-row headers, codes split into 类/款/项 cells, amounts as numbers, zeros blank.
    Official,
    /// Sheets named like "5.2预算单位收入预算总表"; zeros written as the number 0 shown `0.00`.
    NumberedSheetNames,
    /// Sheets named Sheet1…Sheet9, tables without title, 编制 or 单位 rows.
    NoTitles,
    /// All tables stacked in one sheet (Sheet1), blank rows between them.
    Stacked,
    /// Codes joined in one cell (`2010301`), one flat header row, no merges.
    JoinedCodes,
    /// Codes spaced in one cell (`201 03 01`).
    SpacedCodes,
    /// Bracketed codes in the name cell (`[2010301]行政运行`), no code column.
    BracketedCodes,
    /// The code as a prefix of the name (`2010301 行政运行`), no code column.
    CodeInName,
    /// Code segments typed as numbers, so 款/项 lose their leading zero (`201 | 3 | 1`).
    KuanWithoutLeadingZero,
    /// Names indented with full-width spaces by level (款 one step, 项 two), joined codes.
    IndentedNames,
    /// Amounts stored as text with thousands separators (`48,215,638`), zeros as `-`.
    TextAmounts,
    /// Amounts as full-width text (`４８，２１５，６３８`), zeros as `0.00` text.
    FullWidthDigits,
    /// Amounts in 万元 to 2 decimals (`单位：万元`); figures are rounded half up to 0.01 万元.
    WanYuan,
    /// 封面 and 说明 sheets before the tables and a hidden 代码表 sheet after them.
    ExtraSheets,
    /// Header rows repeated every few rows (page breaks) with blank rows, and a 注： note under
    /// every table.
    PageBreaks,
    /// 款, 类 and 合计 rows as SUM formulas with cached values.
    Formulas,
    /// 2026 labels in 表1/表4 (`1、一般公共预算`, `一、一般公共预算`), zeros as `0`.
    Labels2026,
    /// The obsolete 类 name 医疗卫生与计划生育支出 for 210 (卫生健康支出 since 2019).
    ObsoleteNames,
    /// An empty 类 row (212 城乡社区支出, no money) printed in 表2, 3 and 5.
    EmptyLeiRow,
    /// A folder of CSV files (one per table) in GBK, as Excel on Windows saves them.
    CsvGbk,
    /// A folder of CSV files in GB18030 with amounts as text with separators (WPS).
    CsvGb18030,
    /// A folder of CSV files in UTF-8 with a BOM.
    CsvUtf8Bom,
    /// One tab-separated text file with all tables stacked (UTF-8).
    Tsv,
}

/// How the code of a row is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeStyle {
    /// 类 | 款 | 项 text cells ("201" | "03" | "01").
    Split,
    /// 类 | 款 | 项 number cells (201 | 3 | 1).
    SplitNumbers,
    /// One cell "2010301".
    Joined,
    /// One cell "201 03 01".
    Spaced,
    /// In the name cell: "[2010301]行政运行".
    Bracketed,
    /// In the name cell: "2010301 行政运行".
    PrefixInName,
}

/// How amounts are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AmountStyle {
    /// Numeric cells.
    Number,
    /// Text with thousands separators.
    Text,
    /// Full-width text with full-width separators.
    FullWidth,
}

/// How a zero amount is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ZeroStyle {
    /// An empty cell.
    Blank,
    /// The text `-`.
    Dash,
    /// `0.00` (a number formatted so, or text for text amounts).
    Decimals,
    /// `0`.
    Digit,
}

/// The file container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    /// One xlsx workbook.
    Xlsx,
    /// A folder of CSV files in this encoding.
    Csv(CsvEncoding),
    /// One TSV file.
    Tsv,
}

/// Encodings of CSV folders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvEncoding {
    /// GBK (code page 936).
    Gbk,
    /// GB18030.
    Gb18030,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
}

/// How sheets are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetNames {
    /// 表1 … 表9.
    Biao,
    /// 5.2预算单位收入预算总表.
    Numbered,
    /// Sheet1 … Sheet9.
    Generic,
}

/// Everything that distinguishes one shape from another, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    pub container: Container,
    pub sheet_names: SheetNames,
    pub stacked: bool,
    pub titles: bool,
    pub merged_header: bool,
    pub codes: CodeStyle,
    pub indent: bool,
    pub amounts: AmountStyle,
    pub zeros: ZeroStyle,
    pub unit: MoneyUnit,
    pub extra_sheets: bool,
    pub page_breaks: bool,
    pub formulas: bool,
    pub labels_2026: bool,
    pub obsolete_names: bool,
    pub empty_lei_row: bool,
}

/// The official layout every other shape departs from.
const OFFICIAL: Style = Style {
    container: Container::Xlsx,
    sheet_names: SheetNames::Biao,
    stacked: false,
    titles: true,
    merged_header: true,
    codes: CodeStyle::Split,
    indent: false,
    amounts: AmountStyle::Number,
    zeros: ZeroStyle::Blank,
    unit: MoneyUnit::Yuan,
    extra_sheets: false,
    page_breaks: false,
    formulas: false,
    labels_2026: false,
    obsolete_names: false,
    empty_lei_row: false,
};

impl Shape {
    /// Every shape, in a fixed order.
    pub const ALL: [Shape; 23] = [
        Shape::Official,
        Shape::NumberedSheetNames,
        Shape::NoTitles,
        Shape::Stacked,
        Shape::JoinedCodes,
        Shape::SpacedCodes,
        Shape::BracketedCodes,
        Shape::CodeInName,
        Shape::KuanWithoutLeadingZero,
        Shape::IndentedNames,
        Shape::TextAmounts,
        Shape::FullWidthDigits,
        Shape::WanYuan,
        Shape::ExtraSheets,
        Shape::PageBreaks,
        Shape::Formulas,
        Shape::Labels2026,
        Shape::ObsoleteNames,
        Shape::EmptyLeiRow,
        Shape::CsvGbk,
        Shape::CsvGb18030,
        Shape::CsvUtf8Bom,
        Shape::Tsv,
    ];

    /// A stable kebab-case name, e.g. "csv-gbk" (used in file names and test output).
    pub fn name(self) -> &'static str {
        match self {
            Shape::Official => "official",
            Shape::NumberedSheetNames => "numbered-sheet-names",
            Shape::NoTitles => "no-titles",
            Shape::Stacked => "stacked",
            Shape::JoinedCodes => "joined-codes",
            Shape::SpacedCodes => "spaced-codes",
            Shape::BracketedCodes => "bracketed-codes",
            Shape::CodeInName => "code-in-name",
            Shape::KuanWithoutLeadingZero => "kuan-without-leading-zero",
            Shape::IndentedNames => "indented-names",
            Shape::TextAmounts => "text-amounts",
            Shape::FullWidthDigits => "full-width-digits",
            Shape::WanYuan => "wan-yuan",
            Shape::ExtraSheets => "extra-sheets",
            Shape::PageBreaks => "page-breaks",
            Shape::Formulas => "formulas",
            Shape::Labels2026 => "labels-2026",
            Shape::ObsoleteNames => "obsolete-names",
            Shape::EmptyLeiRow => "empty-lei-row",
            Shape::CsvGbk => "csv-gbk",
            Shape::CsvGb18030 => "csv-gb18030",
            Shape::CsvUtf8Bom => "csv-utf8-bom",
            Shape::Tsv => "tsv",
        }
    }

    /// True when the shape states every amount exactly (all but [`Shape::WanYuan`], which rounds
    /// to 0.01 万元 = 100 元).
    pub fn is_exact(self) -> bool {
        self != Shape::WanYuan
    }

    /// True when the shape is a folder of several files rather than one file.
    pub fn is_folder(self) -> bool {
        matches!(self.style().container, Container::Csv(_))
    }

    /// The shape as data.
    pub(crate) fn style(self) -> Style {
        let s = OFFICIAL;
        match self {
            Shape::Official => s,
            Shape::NumberedSheetNames => Style {
                sheet_names: SheetNames::Numbered,
                zeros: ZeroStyle::Decimals,
                ..s
            },
            Shape::NoTitles => Style {
                sheet_names: SheetNames::Generic,
                titles: false,
                ..s
            },
            Shape::Stacked => Style { stacked: true, ..s },
            Shape::JoinedCodes => Style {
                codes: CodeStyle::Joined,
                merged_header: false,
                ..s
            },
            Shape::SpacedCodes => Style {
                codes: CodeStyle::Spaced,
                ..s
            },
            Shape::BracketedCodes => Style {
                codes: CodeStyle::Bracketed,
                ..s
            },
            Shape::CodeInName => Style {
                codes: CodeStyle::PrefixInName,
                merged_header: false,
                ..s
            },
            Shape::KuanWithoutLeadingZero => Style {
                codes: CodeStyle::SplitNumbers,
                ..s
            },
            Shape::IndentedNames => Style {
                codes: CodeStyle::Joined,
                indent: true,
                ..s
            },
            Shape::TextAmounts => Style {
                amounts: AmountStyle::Text,
                zeros: ZeroStyle::Dash,
                ..s
            },
            Shape::FullWidthDigits => Style {
                amounts: AmountStyle::FullWidth,
                zeros: ZeroStyle::Decimals,
                ..s
            },
            Shape::WanYuan => Style {
                unit: MoneyUnit::WanYuan,
                ..s
            },
            Shape::ExtraSheets => Style {
                extra_sheets: true,
                ..s
            },
            Shape::PageBreaks => Style {
                page_breaks: true,
                ..s
            },
            Shape::Formulas => Style {
                formulas: true,
                ..s
            },
            Shape::Labels2026 => Style {
                labels_2026: true,
                zeros: ZeroStyle::Digit,
                ..s
            },
            Shape::ObsoleteNames => Style {
                obsolete_names: true,
                ..s
            },
            Shape::EmptyLeiRow => Style {
                empty_lei_row: true,
                ..s
            },
            Shape::CsvGbk => Style {
                container: Container::Csv(CsvEncoding::Gbk),
                merged_header: false,
                ..s
            },
            Shape::CsvGb18030 => Style {
                container: Container::Csv(CsvEncoding::Gb18030),
                amounts: AmountStyle::Text,
                ..s
            },
            Shape::CsvUtf8Bom => Style {
                container: Container::Csv(CsvEncoding::Utf8Bom),
                codes: CodeStyle::Joined,
                ..s
            },
            Shape::Tsv => Style {
                container: Container::Tsv,
                stacked: true,
                amounts: AmountStyle::Text,
                ..s
            },
        }
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Renders `budget` in `shape`: one `(relative file name, bytes)` for single-file shapes, one
/// per table for CSV folders (names relative to the folder, e.g. "表2_收入预算总表.csv").
///
/// What is rendered: 表2, 3, 5, 8 always; 表6/7 when `present` (an empty one keeps its headers,
/// 合计 row and a 注 line); 表1 when the budget states an overview, 表4 when it states a fiscal
/// overview; 表9 (in 万元, as published) when it states 三公 or 机关运行经费. The 编制说明 prose
/// and the unit kind are not rendered. An error means a layout of ours that rust_xlsxwriter
/// refuses (a bug, never the budget's fault).
pub fn render(
    budget: &Budget,
    shape: Shape,
) -> Result<Vec<(String, Vec<u8>)>, rust_xlsxwriter::XlsxError> {
    let style = shape.style();
    let budget = restate(budget, &style);
    let blocks = layout::blocks(&budget, &style);
    emit::files(&budget, &blocks, &style)
}

/// The 类 whose obsolete name [`Shape::ObsoleteNames`] prints: (code, current, obsolete).
const OBSOLETE_NAME: (&str, &str, &str) = ("210", "卫生健康支出", "医疗卫生与计划生育支出");
/// The moneyless 类 row [`Shape::EmptyLeiRow`] prints.
const EMPTY_LEI: (&str, &str) = ("212", "城乡社区支出");

/// The budget as the shape states it: with the obsolete 210 name, or with an empty 类 row.
fn restate(budget: &Budget, style: &Style) -> Budget {
    let mut b = budget.clone();
    if style.obsolete_names {
        let (code, current, obsolete) = OBSOLETE_NAME;
        let rename = |name: &mut String| {
            if name == current {
                *name = obsolete.to_string();
            }
        };
        fn rename_lines<A>(t: &mut Classified<A>, code: &str, rename: &dyn Fn(&mut String)) {
            for l in t.lines.iter_mut().filter(|l| l.code.as_str() == code) {
                rename(&mut l.name);
            }
        }
        rename_lines(&mut b.income, code, &rename);
        rename_lines(&mut b.expenditure, code, &rename);
        rename_lines(&mut b.general, code, &rename);
        rename_lines(&mut b.fund, code, &rename);
        rename_lines(&mut b.capital, code, &rename);
        if let Some(o) = b.stated_overview.as_mut() {
            o.expenditure.iter_mut().for_each(|(name, _)| rename(name));
            o.expenditure_split
                .iter_mut()
                .for_each(|(name, _)| rename(name));
        }
        if let Some(f) = b.stated_fiscal.as_mut() {
            f.expenditure.iter_mut().for_each(|r| rename(&mut r.name));
        }
    }
    if style.empty_lei_row {
        fn insert_empty<A: Amounts>(t: &mut Classified<A>) {
            let (code, name) = EMPTY_LEI;
            let Some(code) = crate::model::Code::new(code) else {
                return;
            };
            if t.line(&code).is_none() {
                let at = t.lines.partition_point(|l| l.code < code);
                t.lines.insert(
                    at,
                    crate::model::Line {
                        code,
                        name: name.to_string(),
                        amounts: A::default(),
                    },
                );
            }
        }
        insert_empty(&mut b.income);
        insert_empty(&mut b.expenditure);
        insert_empty(&mut b.general);
    }
    b
}

/// A unit-level 表1 split as its printed row reads back: every column printed (an unknown or
/// absent 基本支出/项目支出 reads as 0), 人员经费 and 公用经费 unknown when both print blank,
/// else both stated (a blank one as 0).
fn split_as_printed(
    split: Option<&OverviewSplit>,
    q: &dyn Fn(Decimal) -> Decimal,
    blank_zeros: bool,
) -> OverviewSplit {
    let s = split.cloned().unwrap_or_default();
    let shown = |v: Option<Decimal>| v.map(q).filter(|v| !(blank_zeros && v.is_zero()));
    let pair_blank = shown(s.personnel).is_none() && shown(s.public).is_none();
    let stated = |v: Option<Decimal>| (!pair_blank).then(|| v.map(q).unwrap_or_default());
    OverviewSplit {
        basic: Some(s.basic.map(q).unwrap_or_default()),
        personnel: stated(s.personnel),
        public: stated(s.public),
        project: Some(s.project.map(q).unwrap_or_default()),
    }
}

/// The budget exactly as the files of [`render`] state it, i.e. what a perfect recogniser
/// returns for them: no narrative or unit kind (not rendered); year, entity and level unknown
/// (`None`, "", the default) for [`Shape::NoTitles`]; 表9 always in 万元; for
/// [`Shape::WanYuan`] every amount rounded half up to 0.01 万元 and every table's unit 万元.
/// 表1/表4 income labels are the canonical ones of `derive` (the 2026 labels of
/// [`Shape::Labels2026`] read back as their official equivalents).
pub fn as_rendered(budget: &Budget, shape: Shape) -> Budget {
    let style = shape.style();
    let mut b = restate(budget, &style);
    b.narrative = None;
    b.meta.unit_kind = None;
    b.meta.admin_unit_count = None;
    if !style.titles {
        b.meta.year = None;
        b.meta.entity = String::new();
        b.meta.level = Default::default();
    }
    let q = |v: Decimal| -> Decimal {
        match style.unit {
            MoneyUnit::Yuan => v,
            MoneyUnit::WanYuan => to_wan_step(v),
        }
    };
    fn quantise<A: Amounts>(
        t: &mut Classified<A>,
        unit: MoneyUnit,
        q: &dyn Fn(Decimal) -> Decimal,
    ) {
        t.unit = unit;
        let fix = |a: &mut A| {
            for i in 0..A::COLUMNS.len() {
                a.set(i, q(a.get(i)));
            }
        };
        t.lines.iter_mut().for_each(|l| fix(&mut l.amounts));
        if let Some(total) = t.total.as_mut() {
            fix(total);
        }
    }
    quantise(&mut b.income, style.unit, &q);
    quantise(&mut b.expenditure, style.unit, &q);
    quantise(&mut b.general, style.unit, &q);
    quantise(&mut b.fund, style.unit, &q);
    quantise(&mut b.capital, style.unit, &q);
    quantise(&mut b.economic, style.unit, &q);
    if let Some(o) = b.stated_overview.as_mut() {
        o.unit = style.unit;
        o.income.iter_mut().for_each(|(_, v)| *v = q(*v));
        o.expenditure.iter_mut().for_each(|(_, v)| *v = q(*v));
        o.income_total = o.income_total.map(q);
        o.expenditure_total = o.expenditure_total.map(q);
        if layout::has_split(o) {
            let blank_zeros = style.zeros == ZeroStyle::Blank;
            let printed = |s: Option<&OverviewSplit>| split_as_printed(s, &q, blank_zeros);
            o.expenditure_split = o
                .expenditure
                .iter()
                .map(|(name, _)| (name.clone(), printed(o.split_of(name))))
                .collect();
            o.expenditure_total_split = Some(printed(o.expenditure_total_split.as_ref()));
        }
    }
    if let Some(f) = b.stated_fiscal.as_mut() {
        f.unit = style.unit;
        f.income.iter_mut().for_each(|(_, v)| *v = q(*v));
        f.income_total = f.income_total.map(q);
        for row in f
            .expenditure
            .iter_mut()
            .chain(f.expenditure_total.iter_mut())
        {
            row.total = q(row.total);
            row.general = q(row.general);
            row.fund = q(row.fund);
            row.capital = q(row.capital);
        }
    }
    let t9 = &mut b.table9;
    if t9.three_public.is_some() || t9.admin_running.is_some() {
        t9.unit = MoneyUnit::WanYuan;
        t9.admin_running = t9.admin_running.map(to_wan_step);
        if let Some(t) = t9.three_public.as_mut() {
            for v in [
                &mut t.total,
                &mut t.overseas,
                &mut t.reception,
                &mut t.vehicle_subtotal,
                &mut t.vehicle_purchase,
                &mut t.vehicle_running,
            ] {
                *v = to_wan_step(*v);
            }
        }
    }
    b
}

/// Rounds an amount in 元 half up to a whole 0.01 万元 (100 元).
fn to_wan_step(v: Decimal) -> Decimal {
    let wan = MoneyUnit::WanYuan.factor();
    (crate::money::round_fen(v / wan) * wan).normalize()
}

/// Splits `budget` into `n` units ([`split_units`]) and writes each unit's submission under
/// `dir` in rotating shapes (every shape of [`Shape::ALL`]), plus a `units.csv` naming every
/// unit, its kind and its file. Returns the written unit paths (files, or folders for CSV
/// shapes) in unit order.
pub fn generate_units(
    budget: &Budget,
    n: usize,
    seed: u64,
    dir: &Path,
) -> std::io::Result<Vec<PathBuf>> {
    generate_units_in(budget, n, seed, dir, &Shape::ALL)
}

/// [`generate_units`] with the shapes to rotate through (an empty list means all shapes).
pub fn generate_units_in(
    budget: &Budget,
    n: usize,
    seed: u64,
    dir: &Path,
    shapes: &[Shape],
) -> std::io::Result<Vec<PathBuf>> {
    let shapes = if shapes.is_empty() {
        &Shape::ALL[..]
    } else {
        shapes
    };
    std::fs::create_dir_all(dir)?;
    let units = split_units(budget, n, seed);
    let mut paths = Vec::with_capacity(units.len());
    let mut listing = String::from("单位名称,单位类型,文件\r\n");
    listing = format!("部门名称,{}\r\n{listing}", budget.meta.entity);
    for (i, unit) in units.iter().enumerate() {
        let shape = shapes[i % shapes.len()];
        let files = render(unit, shape).map_err(std::io::Error::other)?;
        let stem = format!("{:04}_{}", i + 1, shape.name());
        let relative = if shape.is_folder() {
            let folder = dir.join(&stem);
            std::fs::create_dir_all(&folder)?;
            for (name, bytes) in &files {
                std::fs::write(folder.join(name), bytes)?;
            }
            stem.clone()
        } else {
            let (name, bytes) = files
                .first()
                .map(|(n, b)| (n.as_str(), b.as_slice()))
                .unwrap_or(("", &[]));
            let ext = Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("xlsx");
            let file = format!("{stem}.{ext}");
            std::fs::write(dir.join(&file), bytes)?;
            file
        };
        let kind = unit.meta.unit_kind.map(|k| k.label()).unwrap_or("行政");
        listing.push_str(&format!("{},{kind},{relative}\r\n", unit.meta.entity));
        paths.push(dir.join(relative));
    }
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(listing.as_bytes());
    std::fs::write(dir.join("units.csv"), bytes)?;
    Ok(paths)
}
