//! Figures and facts stated in the document's prose: the 编制说明 totals (→ `Narrative`), the
//! 三公 figures and 机关运行经费 of 六、其他相关情况说明 (→ `Table9` when no 表9 is printed), the
//! unit kinds of 机构设置 (“行政单位6家”, “6家机关和0家参公事业单位”), the year of the cover.
//!
//! Matching is by key phrase followed by a number and 万元/元; a key phrase without a number
//! right after it (as in 名词解释) is skipped. Not for tables.

use super::amounts::scale;
use super::norm::{is_note, norm, year_in};
use crate::model::{
    CellKey, Location, MoneyUnit, Narrative, RowKey, SourceMap, Table9, TableId, ThreePublic,
    UnitKind,
};
use crate::model::{NARRATIVE_FIGURES, T9_COLUMNS};
use crate::money::fullwidth_to_ascii;
use rust_decimal::Decimal;

/// One text cell outside any table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProseLine {
    /// The text, trimmed.
    pub text: String,
    /// Its cell.
    pub location: Location,
}

/// A figure found in prose.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Figure {
    /// In 元.
    yuan: Decimal,
    /// The unit it was written in.
    unit: MoneyUnit,
    /// Decimals written.
    decimals: u32,
    /// The cell it was found in.
    location: Location,
}

/// Facts the prose states.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProseFacts {
    /// 编制说明 figures.
    pub narrative: Option<Narrative>,
    /// Where the 编制说明 figures were read (keys `CellKey::narrative`).
    pub narrative_sources: SourceMap,
    /// 三公 and 机关运行经费 from 六.
    pub table9: Option<Table9>,
    /// Where the 表9 figures were read (keys as for a printed 表9).
    pub table9_sources: SourceMap,
    /// From 机构设置.
    pub unit_kind: Option<UnitKind>,
    /// 行政 + 参公 units, from 机构设置.
    pub admin_unit_count: Option<u32>,
    /// The first `YYYY年…预算` line.
    pub year: Option<u16>,
}

/// Key phrases that must not directly precede 收入预算/支出预算 (they name parts, not the total).
const PART_PREFIXES: [&str; 6] = ["拨款", "基本", "项目", "经费", "公共", "基金"];

/// Reads the facts from prose lines in document order.
pub(crate) fn facts(lines: &[ProseLine]) -> ProseFacts {
    let normalised: Vec<(String, &Location)> =
        lines.iter().map(|l| (norm(&l.text), &l.location)).collect();
    // Every figure is stated in 元 or 万元: only lines with 元 are searched for them.
    let with_amounts: Vec<(&str, &Location)> = normalised
        .iter()
        .filter(|(t, _)| t.contains('元'))
        .map(|(t, l)| (t.as_str(), *l))
        .collect();
    let (table9, table9_sources) = three_public(&with_amounts);
    let (unit_kind, admin_unit_count) = unit_kinds(&normalised);
    let (narrative, narrative_sources) = narrative(&with_amounts);
    ProseFacts {
        narrative,
        narrative_sources,
        table9,
        table9_sources,
        unit_kind,
        admin_unit_count,
        year: normalised
            .iter()
            .filter(|(t, _)| is_heading(t) && t.contains("预算"))
            .find_map(|(t, _)| year_in(t)),
    }
}

/// A short line that is not a note: a cover or section heading such as `上海市2024年市级部门预算`.
fn is_heading(normalised: &str) -> bool {
    normalised.chars().count() <= 30 && !is_note(normalised) && !normalised.contains('元')
}

/// The first figure after one of `keys` in any line.
fn first_figure(lines: &[(&str, &Location)], keys: &[&str], excluded: &[&str]) -> Option<Figure> {
    lines.iter().find_map(|(text, location)| {
        keys.iter().find_map(|key| {
            text.match_indices(key).find_map(|(at, _)| {
                let before = text.get(..at).unwrap_or("");
                if excluded.iter().any(|p| before.ends_with(p)) {
                    return None;
                }
                let (value, unit, decimals) = number_after(text.get(at + key.len()..)?)?;
                Some(Figure {
                    yuan: scale(value, unit)?,
                    unit,
                    decimals,
                    location: (*location).clone(),
                })
            })
        })
    })
}

/// `为1,879.28万元…` → (1879.28, 万元, 2). At most a few filler characters (为, 是, 预算数, :,
/// 财政拨款)
/// may stand between the key and the number.
fn number_after(text: &str) -> Option<(Decimal, MoneyUnit, u32)> {
    const FILLER: &str = "为是:共计合预算数约达财政拨款安排总额的";
    let chars: Vec<char> = text.chars().map(fullwidth_to_ascii).collect();
    let mut i = 0;
    while i < 10 && chars.get(i).is_some_and(|c| FILLER.contains(*c)) {
        i += 1;
    }
    let start = i;
    while chars.get(i).is_some_and(|c| {
        c.is_ascii_digit()
            || (matches!(c, ',' | '.') && chars.get(i + 1).is_some_and(char::is_ascii_digit))
    }) {
        i += 1;
    }
    let digits: String = chars.get(start..i)?.iter().filter(|c| **c != ',').collect();
    if digits.is_empty() {
        return None;
    }
    let value: Decimal = digits.parse().ok()?;
    let decimals = digits.split_once('.').map_or(0, |(_, f)| f.len() as u32);
    let unit_text: String = chars.get(i..)?.iter().take(2).collect();
    let unit = if unit_text == "万元" {
        MoneyUnit::WanYuan
    } else if unit_text.starts_with('元') {
        MoneyUnit::Yuan
    } else {
        return None;
    };
    Some((value, unit, decimals))
}

/// The 编制说明 figures, and where each was read (keys `CellKey::narrative`, figures in the
/// order of `model::NARRATIVE_FIGURES`).
fn narrative(lines: &[(&str, &Location)]) -> (Option<Narrative>, SourceMap) {
    let income = first_figure(lines, &["收入预算"], &PART_PREFIXES);
    let expenditure = first_figure(lines, &["支出预算"], &PART_PREFIXES);
    let fiscal = first_figure(lines, &["财政拨款收入"], &[]);
    let other = first_figure(lines, &["其他收入"], &[]);
    let found = [&income, &expenditure, &fiscal, &other];
    debug_assert_eq!(found.len(), NARRATIVE_FIGURES.len());
    let sources: SourceMap = found
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((CellKey::narrative(i), f.as_ref()?.location.clone())))
        .collect();
    let finest = found
        .iter()
        .filter_map(|f| f.as_ref())
        .map(|f| precision(f.unit, f.decimals))
        .min();
    let Some(finest) = finest else {
        return (None, sources);
    };
    let narrative = Narrative {
        income_total: income.map(|f| f.yuan),
        expenditure_total: expenditure.map(|f| f.yuan),
        fiscal_income: fiscal.map(|f| f.yuan),
        other_income: other.map(|f| f.yuan),
        precision: finest,
    };
    (Some(narrative), sources)
}

/// The step a figure written with `decimals` decimals in `unit` is rounded to, in 元.
fn precision(unit: MoneyUnit, decimals: u32) -> Decimal {
    let step = Decimal::new(1, decimals.min(10));
    (step * unit.factor()).normalize()
}

fn three_public(lines: &[(&str, &Location)]) -> (Option<Table9>, SourceMap) {
    const KEYS: [&[&str]; 7] = [
        &["三公经费预算数", "三公经费预算", "三公经费"],
        &["因公出国(境)费", "因公出国(境)经费", "因公出国费"],
        &["公务接待费"],
        &["公务用车购置及运行费", "公务用车购置及运行维护费"],
        &["公务用车购置费"],
        &["公务用车运行费", "公务用车运行维护费"],
        &["机关运行经费预算", "机关运行经费"],
    ];
    let figures: Vec<Option<Figure>> = KEYS.iter().map(|k| first_figure(lines, k, &[])).collect();
    let mut sources = SourceMap::new();
    for (column, figure) in figures.iter().enumerate() {
        if let Some(f) = figure {
            let key = CellKey {
                table: TableId::T9,
                row: RowKey::Total,
                column,
            };
            sources.insert(key, f.location.clone());
        }
    }
    let unit = figures.iter().flatten().map(|f| f.unit).next();
    let Some(unit) = unit else {
        return (None, sources);
    };
    let yuan = |i: usize| figures.get(i).and_then(|f| f.as_ref()).map(|f| f.yuan);
    let any_three = (0..6).any(|i| yuan(i).is_some());
    let table = Table9 {
        three_public: any_three.then(|| ThreePublic {
            total: yuan(0).unwrap_or_default(),
            overseas: yuan(1).unwrap_or_default(),
            reception: yuan(2).unwrap_or_default(),
            vehicle_subtotal: yuan(3).unwrap_or_default(),
            vehicle_purchase: yuan(4).unwrap_or_default(),
            vehicle_running: yuan(5).unwrap_or_default(),
        }),
        admin_running: yuan(6),
        unit,
    };
    debug_assert_eq!(T9_COLUMNS.len(), KEYS.len());
    (Some(table), sources)
}

/// Counts of 行政, 参公 and 事业 units from 机构设置, and the kind they imply.
fn unit_kinds(lines: &[(String, &Location)]) -> (Option<UnitKind>, Option<u32>) {
    let mut admin: Option<u32> = None;
    let mut civil: Option<u32> = None;
    let mut institution: Option<u32> = None;
    let mut stated: Option<UnitKind> = None;
    let keep_max = |slot: &mut Option<u32>, n: Option<u32>| {
        if let Some(n) = n {
            *slot = Some(slot.map_or(n, |s| s.max(n)));
        }
    };
    // Every phrase looked for holds 单位 or 机关 (`家机关`): other lines need no search.
    let relevant = lines
        .iter()
        .filter(|(text, _)| text.contains("单位") || text.contains("机关"));
    for (text, _) in relevant {
        keep_max(&mut admin, count_after(text, "行政单位", &[]));
        keep_max(&mut admin, count_before(text, "家行政单位"));
        keep_max(&mut admin, count_before(text, "家机关"));
        keep_max(&mut civil, count_after(text, "参公事业单位", &[]));
        keep_max(
            &mut civil,
            count_after(text, "参照公务员法管理的事业单位", &[]),
        );
        keep_max(&mut civil, count_before(text, "家参公事业单位"));
        keep_max(
            &mut civil,
            count_before(text, "家参照公务员法管理的事业单位"),
        );
        keep_max(
            &mut institution,
            count_after(text, "事业单位", &["参公", "管理的", "行政"]),
        );
        keep_max(&mut institution, count_before(text, "家事业单位"));
        for label in ["单位性质:", "单位类型:", "单位性质为", "单位类型为"] {
            if stated.is_none()
                && let Some((_, rest)) = text.split_once(label)
            {
                stated = UnitKind::from_label(rest);
            }
        }
    }
    if admin.is_none() && civil.is_none() && institution.is_none() {
        return (stated, None);
    }
    let (a, c, i) = (
        admin.unwrap_or(0),
        civil.unwrap_or(0),
        institution.unwrap_or(0),
    );
    let kind = match (a > 0, c > 0, i > 0) {
        (true, _, false) => Some(UnitKind::Administrative),
        (false, true, false) => Some(UnitKind::CivilServiceManaged),
        (false, false, true) => Some(UnitKind::Institution),
        _ => stated,
    };
    (kind, Some(a + c))
}

/// `行政单位6家` → 6 (the number right after `key`, followed by 家).
fn count_after(text: &str, key: &str, excluded: &[&str]) -> Option<u32> {
    text.match_indices(key).find_map(|(at, _)| {
        let before = text.get(..at).unwrap_or("");
        if excluded.iter().any(|p| before.ends_with(p)) {
            return None;
        }
        let rest = text.get(at + key.len()..)?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let after = rest.get(digits.len()..)?;
        (after.starts_with('家') || after.starts_with('个')).then(|| digits.parse().ok())?
    })
}

/// `6家机关` → 6 (the number right before `key`, which starts with 家).
fn count_before(text: &str, key: &str) -> Option<u32> {
    text.match_indices(key).find_map(|(at, _)| {
        let before = text.get(..at)?;
        let digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        digits.parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn lines(texts: &[&str]) -> Vec<ProseLine> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| ProseLine {
                text: t.to_string(),
                location: Location {
                    file: "seed.txt".into(),
                    sheet: "正文".into(),
                    cell: crate::model::CellRef::new(i, 0),
                },
            })
            .collect()
    }

    const SEED: [&str; 12] = [
        "本部门中，行政单位6家，具体包括：",
        "（七）“三公”经费：是与市级财政有经费领拨关系的部门使用市级财政拨款安排的因公出国（境）费、公务用车购置及运行费、公务接待费。",
        "（八）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
        "（五）基本支出预算：是市级预算主管部门及所属预算单位为保障其机构正常运转而编制的年度基本支出计划。",
        "2024年，上海市人民政府合作交流办公室收入预算8,428万元，其中：财政拨款收入8,408万元，比2023年预算增加916万元；事业收入0万元；事业单位经营收入0万元；其他收入20万元。",
        "支出预算8,428万元，其中：财政拨款支出预算8,408万元，比2023年预算增加916万元。",
        "2024年“三公”经费预算数为577.60万元，与2023年预算持平。其中：",
        "（一）因公出国（境）费93.60万元，与2023年预算持平。",
        "（二）公务用车购置及运行费238.00万元，与2023年预算持平。其中：公务用车购置费0.00万元，与2023年预算持平。公务用车运行费238.00万元，与2023年预算持平。",
        "（三）公务接待费246.00万元，与2023年预算持平。",
        "2024年上海市人民政府合作交流办公室（部门）下属6家机关和0家参公事业单位财政拨款的机关运行经费预算为1,879.28万元。",
        "上海市2024年市级部门预算",
    ];

    #[test]
    fn seed_prose_gives_narrative_table9_and_unit_kind() {
        let f = facts(&lines(&SEED));
        assert_eq!(
            f.narrative,
            Some(Narrative {
                income_total: Some(d("84280000")),
                expenditure_total: Some(d("84280000")),
                fiscal_income: Some(d("84080000")),
                other_income: Some(d("200000")),
                precision: d("10000"),
            })
        );
        assert_eq!(
            f.table9,
            Some(Table9 {
                three_public: Some(ThreePublic {
                    total: d("5776000"),
                    overseas: d("936000"),
                    reception: d("2460000"),
                    vehicle_subtotal: d("2380000"),
                    vehicle_purchase: d("0"),
                    vehicle_running: d("2380000"),
                }),
                admin_running: Some(d("18792800")),
                unit: MoneyUnit::WanYuan,
            })
        );
        let overseas = CellKey {
            table: TableId::T9,
            row: RowKey::Total,
            column: 1,
        };
        assert_eq!(
            f.table9_sources
                .get(&overseas)
                .map(|l| l.cell.to_string())
                .as_deref(),
            Some("A8")
        );
        assert_eq!(f.table9_sources.len(), 7);
        assert_eq!(f.unit_kind, Some(UnitKind::Administrative));
        assert_eq!(f.admin_unit_count, Some(6));
        assert_eq!(f.year, Some(2024));
    }

    #[test]
    fn three_public_with_fiscal_wording() {
        let f = facts(&lines(&[
            "2025年“三公”经费财政拨款预算为12.34万元。",
            "机关运行经费财政拨款预算数为5.00万元。",
        ]));
        let t9 = f.table9.unwrap();
        assert_eq!(t9.three_public.unwrap().total, d("123400"));
        assert_eq!(t9.admin_running, Some(d("50000")));
    }

    #[test]
    fn unit_kinds_from_counts() {
        let kind = |t: &str| facts(&lines(&[t])).unit_kind;
        assert_eq!(kind("本部门中，行政单位1家，事业单位3家"), None);
        assert_eq!(kind("本部门中，事业单位3家"), Some(UnitKind::Institution));
        assert_eq!(
            kind("本部门中，参公事业单位2家"),
            Some(UnitKind::CivilServiceManaged)
        );
        assert_eq!(
            kind("本部门中，行政单位1家，参公事业单位2家"),
            Some(UnitKind::Administrative)
        );
        assert_eq!(kind("单位性质：事业单位"), Some(UnitKind::Institution));
        assert_eq!(kind("没有说明"), None);
    }

    #[test]
    fn figures_need_a_number_and_a_unit_right_after_the_key() {
        let f = facts(&lines(&[
            "项目支出预算100万元",
            "因公出国（境）费主要安排",
            "支出预算12.5万元",
        ]));
        let n = f.narrative.unwrap();
        assert_eq!(n.expenditure_total, Some(d("125000")));
        assert_eq!(n.precision, d("1000"));
        assert_eq!(n.income_total, None);
        assert!(f.table9.is_none());
        let f = facts(&lines(&["本单位收入预算总额为1,234,567.89元"]));
        assert_eq!(f.narrative.unwrap().precision, d("0.01"));
    }
}
