//! Puts the tables and prose facts found in all grids together into one `Submission`: each
//! table into its place in the `Budget` (the first occurrence wins; later ones are reported),
//! the meta data (year, entity, level, unit kind), 表9 from a printed table or else the prose.
//!
//! Not for reading cells or judging headers (the readers and `header` do that) and not for
//! checking the tables against each other (`check`).

use super::Submission;
use super::prose::ProseFacts;
use super::reader::{Content, ReadTable, Sources};
use crate::finding::{Finding, Severity};
use crate::model::{Budget, Level, SourceMap, TableId};
use std::ops::Range;

/// Everything the scans produced, in reading order.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Tables in the order found.
    pub tables: Vec<ReadTable>,
    /// Entities from `编制部门：`-style lines: name, level, and whether the label was
    /// 编制部门/编制单位 (preferred over a cover's 预算主管部门).
    pub entities: Vec<(String, Level, bool)>,
    /// Facts from the prose.
    pub prose: ProseFacts,
    /// The cells every table's amounts were read from (each table knows its range).
    pub sources: Sources,
}

/// The submission these findings make.
pub(crate) fn submission(found: Found) -> Submission {
    let mut sub = Submission::default();
    fill_meta(&mut sub.budget, &found);
    let Found {
        tables,
        entities,
        prose,
        sources,
    } = found;
    let mut placed: Vec<(TableId, String)> = Vec::new();
    let mut unplaced: Vec<Range<usize>> = Vec::new();
    for table in tables {
        if let Some((_, first)) = placed.iter().find(|(id, _)| *id == table.id) {
            sub.findings.push(duplicate(&table, first));
            unplaced.push(table.sources);
            continue;
        }
        placed.push((table.id, describe(&table)));
        // A placed table's content, sources and findings move into the submission.
        sub.findings.extend(table.findings);
        place(&mut sub.budget, table.id, table.content);
    }
    sub.sources = source_map(without(sources, &unplaced));
    let duplicated = sub.findings.iter().any(|f| f.rule == "duplicate-table");
    sub.findings.extend(mixed_entities(&entities, duplicated));
    fill_from_prose(&mut sub, prose);
    sub
}

/// The sources without the entries in `ranges` (those of tables not placed).
fn without(sources: Sources, ranges: &[Range<usize>]) -> Sources {
    if ranges.is_empty() {
        return sources;
    }
    sources
        .into_iter()
        .enumerate()
        .filter(|(i, _)| !ranges.iter().any(|r| r.contains(i)))
        .map(|(_, entry)| entry)
        .collect()
}

/// The map of all the cells read, built once (sorted, then bulk-built): for a key read twice
/// the later cell wins, as inserting in reading order would give.
fn source_map(sources: Sources) -> SourceMap {
    // `BTreeMap::from_iter` sorts stably and keeps the last of equal keys.
    sources.into_iter().collect()
}

/// Tables naming different 编制单位 come from different units (a folder of several units'
/// files given to `check`/`convert`): an error when tables are also duplicated (the budget
/// is then a mix of units), else a warning.
fn mixed_entities(entities: &[(String, Level, bool)], duplicated: bool) -> Option<Finding> {
    let mut names: Vec<String> = Vec::new();
    for (name, _, compiler) in entities {
        let name: String = name.split_whitespace().collect();
        if *compiler && !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    if names.len() < 2 {
        return None;
    }
    let (severity, advice) = if duplicated {
        (
            Severity::Error,
            "各表来自不同单位，不能作为一份报送材料核对；请每个单位分别检查，或用 yusuan batch 处理整个文件夹",
        )
    } else {
        (Severity::Warning, "请确认各表属于同一单位")
    };
    let message = format!(
        "报送材料中出现了多个编制单位（{}），{advice}",
        names.join("、")
    );
    Some(Finding::new(severity, "mixed-entities", message))
}

fn describe(table: &ReadTable) -> String {
    format!("工作表“{}”{}", table.location.sheet, table.location.cell)
}

fn duplicate(table: &ReadTable, first: &str) -> Finding {
    let message = format!(
        "{} {}：{}出现了不止一次，只采用第一次出现的（{}）",
        table.location.file,
        describe(table),
        table.id,
        first
    );
    Finding::new(Severity::Warning, "duplicate-table", message)
        .in_table(table.id)
        .located(Some(table.location.clone()))
}

fn place(budget: &mut Budget, id: TableId, content: Content) {
    match content {
        Content::Split(t) => match id {
            TableId::T3 => budget.expenditure = t,
            TableId::T5 => budget.general = t,
            TableId::T6 => budget.fund = t,
            TableId::T7 => budget.capital = t,
            _ => {}
        },
        Content::Income(t) => budget.income = t,
        Content::Economic(t) => budget.economic = t,
        Content::Overview(t) => budget.stated_overview = Some(t),
        Content::Fiscal(t) => budget.stated_fiscal = Some(t),
        Content::Table9(t) => budget.table9 = t,
    }
}

fn fill_meta(budget: &mut Budget, found: &Found) {
    let meta = &mut budget.meta;
    meta.year = found
        .tables
        .iter()
        .find_map(|t| t.year)
        .or(found.prose.year);
    // 编制部门/编制单位 lines name the entity; a cover's 预算主管部门 is the fallback.
    let compiler = found
        .entities
        .iter()
        .find(|e| e.2)
        .or(found.entities.first());
    if let Some((name, _, _)) = compiler {
        meta.entity = name.clone();
    }
    let unit_level = found.tables.iter().any(|t| t.level == Some(Level::Unit))
        || found.entities.iter().any(|(_, l, _)| *l == Level::Unit);
    meta.level = if unit_level {
        Level::Unit
    } else {
        Level::Department
    };
    meta.unit_kind = found.prose.unit_kind;
    meta.admin_unit_count = found.prose.admin_unit_count;
}

fn fill_from_prose(sub: &mut Submission, prose: ProseFacts) {
    sub.budget.narrative = prose.narrative;
    sub.sources.extend(prose.narrative_sources);
    let Some(stated) = prose.table9 else {
        return;
    };
    let table9 = &mut sub.budget.table9;
    let printed = table9.three_public.is_some() || table9.admin_running.is_some();
    let mut take = |column: usize| {
        let key = prose
            .table9_sources
            .keys()
            .find(|k| k.column == column)
            .cloned();
        if let Some(key) = key
            && let Some(location) = prose.table9_sources.get(&key)
        {
            sub.sources.insert(key, location.clone());
        }
    };
    if table9.three_public.is_none() && stated.three_public.is_some() {
        table9.three_public = stated.three_public;
        (0..6).for_each(&mut take);
    }
    if table9.admin_running.is_none() && stated.admin_running.is_some() {
        table9.admin_running = stated.admin_running;
        take(6);
    }
    if !printed {
        table9.unit = stated.unit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CellKey, Location, RowKey};

    #[test]
    fn a_cell_read_twice_keeps_the_later_source() {
        let key = |column| CellKey {
            table: TableId::T3,
            row: RowKey::Total,
            column,
        };
        let at = |cell: &str| Location {
            file: "f.xlsx".into(),
            sheet: "表3".into(),
            cell: crate::model::CellRef::parse(cell).unwrap(),
        };
        let map = source_map(vec![
            (key(1), at("C9")),
            (key(0), at("B9")),
            (key(1), at("C12")),
            (key(0), at("B12")),
            (key(1), at("C15")),
        ]);
        assert_eq!(map.len(), 2);
        assert_eq!(map.get(&key(0)), Some(&at("B12")));
        assert_eq!(map.get(&key(1)), Some(&at("C15")));
    }
}
