//! The short lines around a table: its title (which table, year, department or unit level),
//! the entity line (`编制部门：X`, `编制单位：X`, `预算主管部门：X`) and the unit line
//! (`单位：元`, `单位:万元`, `金额单位：万元`).
//!
//! Not for the tables' headers and rows, nor for the prose figures (see `prose`).

use super::amounts::is_numeric;
use super::norm::{cell_str, cell_text, norm, norm_joined, norm_longer_than, year_in};
use super::tables::{CATALOGUE, LONGEST_STEM_CHARS, TITLE_EXTRA_CHARS, find_stem, title_table};
use crate::grid::{CellValue, Grid};
use crate::model::{Level, MoneyUnit, TableId};
use std::borrow::Cow;

/// A table title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Title {
    /// The table named.
    pub id: TableId,
    /// `2024年…` in the title.
    pub year: Option<u16>,
    /// 预算单位/单位 before the stem means unit level.
    pub level: Level,
}

/// The labels that introduce the entity's name, with the level they imply.
const ENTITY_LABELS: [(&str, Level); 6] = [
    ("编制部门", Level::Department),
    ("编制单位", Level::Unit),
    ("预算主管部门", Level::Department),
    ("部门名称", Level::Department),
    ("单位名称", Level::Unit),
    ("预算单位", Level::Unit),
];

/// Row `r` as a title: at most two text cells, no numbers, naming one of the nine tables.
pub(crate) fn title(grid: &Grid, r: usize) -> Option<Title> {
    let row = grid.rows.get(r)?;
    // A number cell makes a data row, and is the cheapest thing to spot.
    if row.iter().any(|c| matches!(c, CellValue::Number(_))) {
        return None;
    }
    // Every catalogue title stem ends in 表, which normalising neither makes nor removes: a row
    // without it in any text cell is no title (spares most rows the work below).
    if !row
        .iter()
        .any(|c| matches!(c, CellValue::Text(t) if t.contains('表')))
    {
        return None;
    }
    if row.iter().any(is_numeric) {
        return None;
    }
    // `表2 | 2024年部门收入预算总表 | 单位：元`: the unit part is not part of the title.
    let texts: Vec<Cow<'_, str>> = row
        .iter()
        .filter_map(cell_str)
        .filter(|t| !states_unit(t))
        .collect();
    if texts.is_empty() || texts.len() > 2 {
        return None;
    }
    let texts: Vec<&str> = texts.iter().map(AsRef::as_ref).collect();
    // Longer than any stem and the text a title may add to it (see `title_table`): prose
    // that mentions a table, not a title; spares normalising it.
    if norm_longer_than(
        texts.iter().copied(),
        LONGEST_STEM_CHARS + TITLE_EXTRA_CHARS,
    ) {
        return None;
    }
    title_in(&texts)
}

/// True when a cell's text states a money unit (`unit_in` of its normalised form).
fn states_unit(text: &str) -> bool {
    // `单位:元` has 位 and 元, which normalising keeps.
    text.contains('位') && text.contains('元') && unit_in(&norm(text)).is_some()
}

/// The title a sheet's name gives (`5.2预算单位收入预算总表`, `表3 部门支出预算总表`).
pub(crate) fn sheet_title(sheet: &str) -> Option<Title> {
    title_in(&[sheet])
}

fn title_in(texts: &[&str]) -> Option<Title> {
    let n = norm_joined(texts.iter().copied());
    let id = title_table(&n)?;
    let stem_at = CATALOGUE
        .iter()
        .filter(|s| s.id == id)
        .flat_map(|s| s.titles.iter())
        .filter_map(|stem| find_stem(&n, stem))
        .min()
        .unwrap_or(0);
    let prefix = n.get(..stem_at).unwrap_or("");
    let level = if prefix.contains("单位") && !prefix.ends_with("部门") {
        Level::Unit
    } else {
        Level::Department
    };
    Some(Title {
        id,
        year: texts.iter().find_map(|t| year_in(t)),
        level,
    })
}

/// The money unit a line states (`单位：元`, `单位:万元`, `金额单位：万元`, `单位：人民币元`).
pub(crate) fn unit_in(normalised: &str) -> Option<MoneyUnit> {
    normalised.match_indices("单位:").find_map(|(i, m)| {
        let rest = normalised.get(i + m.len()..)?;
        let rest = rest.strip_prefix("人民币").unwrap_or(rest);
        if rest.starts_with("万元") {
            Some(MoneyUnit::WanYuan)
        } else if rest.starts_with('元') {
            Some(MoneyUnit::Yuan)
        } else {
            None
        }
    })
}

/// The entity named in a line such as `编制部门：上海市…` (name as printed, trimmed), with the
/// level its label implies and whether the label was 编制部门/编制单位. When the label's cell holds only the label, the next text cell
/// of the row is the name.
pub(crate) fn entity_in(grid: &Grid, r: usize) -> Option<(String, Level, bool)> {
    let row = grid.rows.get(r)?;
    // Only a text cell can start with a label (a number's text is digits).
    let labelled = row.iter().any(|c| match c {
        CellValue::Text(t) => {
            let t = t.trim_start();
            ENTITY_LABELS.iter().any(|(label, _)| t.starts_with(label))
        }
        _ => false,
    });
    if !labelled {
        return None;
    }
    let texts: Vec<String> = row.iter().filter_map(cell_text).collect();
    for (i, text) in texts.iter().enumerate() {
        for (label, level) in ENTITY_LABELS {
            let Some(after) = after_label(text, label) else {
                continue;
            };
            let name = if after.is_empty() {
                texts
                    .get(i + 1)
                    .filter(|t| unit_in(&norm(t)).is_none())
                    .cloned()
                    .unwrap_or_default()
            } else {
                after
            };
            if !name.is_empty() {
                return Some((name, level, label.starts_with("编制")));
            }
        }
    }
    None
}

/// The text after `label：` up to a wide gap or a `单位：` part, trimmed; None when the text does
/// not start with the label and a colon.
fn after_label(text: &str, label: &str) -> Option<String> {
    let rest = text.trim().strip_prefix(label)?.trim_start();
    let rest = rest.strip_prefix(['：', ':'])?;
    let mut name = String::with_capacity(rest.len());
    let mut spaces = 0;
    for c in rest.chars() {
        if c.is_whitespace() {
            spaces += 1;
            if spaces >= 2 || c == '\u{3000}' {
                break;
            }
            continue;
        }
        if spaces == 1 {
            name.push(' ');
        }
        spaces = 0;
        name.push(c);
        // Each tail ends in 位, : or ：, so only those can complete one.
        let may_end_tail = matches!(c, '位' | ':' | '：');
        if may_end_tail
            && (name.ends_with("金额单位") || name.ends_with("单位:") || name.ends_with("单位："))
        {
            break;
        }
    }
    for tail in ["金额单位", "单位:", "单位："] {
        if let Some(stripped) = name.strip_suffix(tail) {
            name = stripped.to_string();
        }
    }
    Some(name.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_label_holds_bu_or_dan() {
        // `scan` looks for an entity only in rows with 部 or 单 in their text.
        for (label, _) in ENTITY_LABELS {
            assert!(label.contains('部') || label.contains('单'), "{label}");
        }
    }
    use crate::recognize::test_grid::grid_of;

    fn row(cells: &[&str]) -> Grid {
        grid_of("f.txt", "正文", &[cells])
    }

    #[test]
    fn titles_give_table_year_and_level() {
        let t = title(&row(&["2024年部门收入预算总表"]), 0).unwrap();
        assert_eq!(
            (t.id, t.year, t.level),
            (TableId::T2, Some(2024), Level::Department)
        );
        let t = title(
            &row(&[
                "表8",
                "2026年预算单位一般公共预算基本支出部门预算经济分类预算表",
            ]),
            0,
        )
        .unwrap();
        assert_eq!(
            (t.id, t.year, t.level),
            (TableId::T8, Some(2026), Level::Unit)
        );
        let t = title(&row(&["单位“三公”经费和机关运行经费预算表"]), 0).unwrap();
        assert_eq!((t.id, t.level), (TableId::T9, Level::Unit));
        assert_eq!(title(&row(&["2024年部门收入预算总表", "100"]), 0), None);
        assert_eq!(title(&row(&["合计"]), 0), None);
        let t = title(&row(&["表3", "2024年部门支出预算总表", "单位：元"]), 0).unwrap();
        assert_eq!((t.id, t.year), (TableId::T3, Some(2024)));
        let t = sheet_title("5.2预算单位收入预算总表").unwrap();
        assert_eq!((t.id, t.year, t.level), (TableId::T2, None, Level::Unit));
        assert_eq!(sheet_title("Sheet1"), None);
    }

    #[test]
    fn unit_lines_in_their_spellings() {
        assert_eq!(unit_in(&norm("单位：元")), Some(MoneyUnit::Yuan));
        assert_eq!(unit_in(&norm("单位:万元")), Some(MoneyUnit::WanYuan));
        assert_eq!(unit_in(&norm("金额单位：万元")), Some(MoneyUnit::WanYuan));
        assert_eq!(unit_in(&norm("（单位：人民币元）")), Some(MoneyUnit::Yuan));
        assert_eq!(
            unit_in(&norm("编制部门：X      单位：万元")),
            Some(MoneyUnit::WanYuan)
        );
        assert_eq!(unit_in(&norm("计量单位：辆")), None);
        assert_eq!(unit_in(&norm("行政单位6家")), None);
    }

    #[test]
    fn entity_lines_in_their_spellings() {
        let g = row(&["编制部门：上海市人民政府合作交流办公室", "", "单位：元"]);
        assert_eq!(
            entity_in(&g, 0),
            Some((
                "上海市人民政府合作交流办公室".into(),
                Level::Department,
                true
            ))
        );
        let g = row(&["编制单位:上海市某某局（本级）      单位：万元"]);
        assert_eq!(
            entity_in(&g, 0),
            Some(("上海市某某局（本级）".into(), Level::Unit, true))
        );
        let g = row(&["编制部门：", "上海市某某局", "单位：元"]);
        assert_eq!(
            entity_in(&g, 0),
            Some(("上海市某某局".into(), Level::Department, true))
        );
        let g = row(&["预算主管部门：上海市人民政府合作交流办公室"]);
        assert_eq!(entity_in(&g, 0).map(|e| e.1), Some(Level::Department));
        assert_eq!(entity_in(&row(&["单位：元"]), 0), None);
        assert_eq!(entity_in(&row(&["编制部门："]), 0), None);
    }
}
