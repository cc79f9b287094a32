//! Writers: the canonical model (plus the table layouts in `templates/`) in, bytes out.
//! Where the bytes go is the caller's decision; [`save_atomically`] is the one way to put them
//! on disk (temp file + rename).
//!
//! [`workbook`] renders the nine official tables, one sheet each in official order, exactly as
//! the layouts in `templates/` describe them (`layout`; 表1 has a department and a unit layout,
//! chosen by the budget's level), from rows the model gives (`rows`),
//! with every format from one style module (`style`), planned by one sheet planner (`sheet`);
//! optional 封面 and 目录 sheets come first (`cover`), a 校验结果 sheet last when there are
//! findings. The plan ([`Book`], `plan`) is data; rendering replays it through rust_xlsxwriter.
//! Values, never formulas.
//!
//! [`summary`] renders the batch's summary.xlsx through `templates/summary.toml` (`list`): the
//! caller supplies rows of values ([`ListRows`]), the template and `style` everything else.

mod cells;
mod cover;
pub mod layout;
mod list;
mod plan;
mod rows;
mod sheet;
mod style;

use crate::finding::Finding;
use crate::model::{Budget, MoneyUnit};
use layout::{Context, Money, Source};
use rust_xlsxwriter::{DocProperties, XlsxError};
use std::path::Path;

pub use list::{ListCell, ListRows};
pub use plan::Book;
pub use rows::chinese_number;
pub use sheet::printed;

/// How the workbook is rendered.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// The unit of the printed amounts (表9 always prints 万元).
    pub unit: MoneyUnit,
    /// Print zero amounts as `0` instead of blank.
    pub zeros_as_digits: bool,
    /// Add 封面 and 目录 sheets.
    pub cover: bool,
}

/// Why a workbook could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// rust_xlsxwriter refused.
    #[error("生成工作簿失败：{0}")]
    Xlsx(String),
    /// An embedded layout template is invalid (a build defect, named by file).
    #[error("表样模板无效：{0}")]
    Template(String),
}

/// Renders the nine official tables (and a 校验结果 sheet when `findings` is not empty).
pub fn workbook(
    budget: &Budget,
    findings: &[Finding],
    options: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    with_plan(budget, findings, options, |book| book.render())?
}

/// The workbook [`workbook`] would render, as data that owns its text: for timing the writing
/// alone (the batch benchmark's floor); `Book::render` gives the same bytes.
pub fn plan(
    budget: &Budget,
    findings: &[Finding],
    options: &WriteOptions,
) -> Result<Book<'static>, WriteError> {
    with_plan(budget, findings, options, |book| book.into_owned())
}

/// Plans the workbook (see [`workbook`]) and hands the plan, which borrows the rows it was
/// made from, to `then`.
fn with_plan<T>(
    budget: &Budget,
    findings: &[Finding],
    options: &WriteOptions,
    then: impl FnOnce(Book<'_>) -> T,
) -> Result<T, WriteError> {
    let layouts = layout::layouts_for(budget.meta.level).map_err(WriteError::Template)?;
    let styles = style::Styles::shared();
    let derived = rows::Derived::of(budget);
    let meta = &budget.meta;
    let context = |unit| Context {
        year: meta.year,
        level: meta.level,
        entity: &meta.entity,
        unit,
    };
    let settings = sheet::Settings {
        zeros_as_digits: options.zeros_as_digits,
    };
    let mut sheets = Vec::with_capacity(layouts.len() + 2);
    if options.cover {
        let ctx = context(options.unit);
        sheets.push(cover::cover(&ctx, styles));
        sheets.push(cover::contents(&ctx, &layouts, styles));
    }
    let printed: Vec<_> = layouts
        .iter()
        .filter(|layout| layout.source != Source::Findings || !findings.is_empty())
        .map(|&layout| {
            let unit = match layout.money {
                Money::Option => options.unit,
                Money::WanYuan => MoneyUnit::WanYuan,
            };
            (layout, unit, rows::body(layout, budget, &derived, findings))
        })
        .collect();
    for (layout, unit, body) in &printed {
        sheets.push(sheet::plan(layout, body, styles, &context(*unit), settings));
    }
    Ok(then(Book {
        properties: properties(budget),
        sheets,
    }))
}

/// Renders summary.xlsx: `rows` through the layout of `templates/summary.toml`.
pub fn summary(rows: &ListRows<'_>) -> Result<Vec<u8>, WriteError> {
    let layout = layout::summary().map_err(WriteError::Template)?;
    list::workbook(layout, rows)
}

/// Document properties: title, company (the entity), the year as keyword and custom property
/// 预算年度, and the unit kind (when known) as custom property 单位类型 ([`UnitKind::PROPERTY`],
/// its full label), which `read` gives back so a converted workbook keeps its kind.
///
/// [`UnitKind::PROPERTY`]: crate::model::UnitKind::PROPERTY
fn properties(budget: &Budget) -> DocProperties {
    let meta = &budget.meta;
    let year = meta.year.map(|y| format!("{y}年")).unwrap_or_default();
    let word = match meta.level {
        crate::model::Level::Department => "部门",
        crate::model::Level::Unit => "单位",
    };
    let mut props = DocProperties::new()
        .set_title(format!("{}{year}{word}预算公开表", meta.entity))
        .set_subject(format!("{year}{word}预算"))
        .set_company(&meta.entity)
        .set_author("yusuan");
    if let Some(y) = meta.year {
        props = props
            .set_keywords(y.to_string())
            .set_custom_property("预算年度", i32::from(y));
    }
    if let Some(kind) = meta.unit_kind {
        props = props.set_custom_property(crate::model::UnitKind::PROPERTY, kind.full_label());
    }
    props
}

/// Names the sheet a rust_xlsxwriter error happened in.
fn at(sheet: &str) -> impl Fn(XlsxError) -> WriteError + '_ {
    move |e| WriteError::Xlsx(format!("工作表“{sheet}”：{e}"))
}

/// Writes bytes to `path` atomically: a temp file in the same folder, then a rename.
pub fn save_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        // Durability, kept on purpose: without the sync a crash soon after the rename can
        // leave the final name on an empty or partial file (delayed allocation). It costs
        // 0.5-4.5 ms per workbook on the shared dev box (examples/bench_write with an output
        // folder), off-CPU, hidden by the batch's extra worker threads (`batch::default_jobs`);
        // the benchmark's floor pays it too.
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Every part of a written workbook, in order, but docProps/core.xml (which holds the time of
/// writing): for tests that compare two workbooks byte by byte.
#[cfg(test)]
fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).unwrap();
        let name = part.name().unwrap().to_string();
        let mut data = Vec::new();
        part.read_to_end(&mut data).unwrap();
        if name != "docProps/core.xml" {
            out.push((name, data));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_atomically_replaces_the_file_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.xlsx");
        save_atomically(&path, b"first").unwrap();
        save_atomically(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out.xlsx"]);
        // A missing folder is an error, not a panic, and leaves nothing behind.
        assert!(save_atomically(&dir.path().join("no/such/out.xlsx"), b"x").is_err());
    }

    /// The text of the workbook's docProps/custom.xml.
    fn custom_xml(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        if let Ok(mut part) = archive.by_name("docProps/custom.xml") {
            part.read_to_string(&mut text).unwrap();
        }
        text
    }

    #[test]
    fn the_unit_kind_is_written_as_custom_property_only_when_known() {
        use crate::model::UnitKind;
        let mut budget = Budget::default();
        budget.meta.year = Some(2025);
        let bytes = workbook(&budget, &[], &WriteOptions::default()).unwrap();
        assert!(!custom_xml(&bytes).contains("单位类型"));
        let read = crate::read::read_document_bytes("a.xlsx", &bytes).unwrap();
        assert_eq!(read.unit_kind_property, None);

        budget.meta.unit_kind = Some(UnitKind::CivilServiceManaged);
        let bytes = workbook(&budget, &[], &WriteOptions::default()).unwrap();
        assert!(custom_xml(&bytes).contains(
            r#"name="单位类型"><vt:lpwstr>参照公务员法管理事业单位</vt:lpwstr></property>"#
        ));
        let read = crate::read::read_document_bytes("a.xlsx", &bytes).unwrap();
        assert_eq!(
            read.unit_kind_property.as_deref(),
            Some("参照公务员法管理事业单位")
        );
    }

    #[test]
    fn a_plan_rendered_later_gives_the_workbook_the_budget_gives() {
        use crate::finding::Severity;
        let budget = crate::synth::example_budget();
        let findings = [Finding::new(
            Severity::Error,
            "row-sum",
            "合计不等于各项之和",
        )];
        let options = WriteOptions {
            cover: true,
            ..WriteOptions::default()
        };
        let direct = workbook(&budget, &findings, &options).unwrap();
        let planned = plan(&budget, &findings, &options).unwrap();
        drop(budget);
        let later = planned.render().unwrap();
        let (direct, later) = (parts(&direct), parts(&later));
        // 封面, 目录, the nine tables and 校验结果.
        let sheets = |p: &[(String, Vec<u8>)]| {
            let sheet = |name: &str| name.starts_with("xl/worksheets/sheet");
            p.iter().filter(|(name, _)| sheet(name)).count()
        };
        assert_eq!(sheets(&direct), 12);
        assert_eq!(direct.len(), later.len());
        for ((name, a), (other, b)) in direct.iter().zip(&later) {
            assert_eq!(name, other);
            assert!(a == b, "{name} differs");
        }
    }

    #[test]
    fn an_empty_budget_still_gives_nine_sheets() {
        let bytes = workbook(&Budget::default(), &[], &WriteOptions::default()).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
