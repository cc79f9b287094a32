//! The catalogue of the nine official tables as data: title stems, group-header labels and
//! column labels (with the variants seen in real submissions) mapped to the column index of the
//! model (`Amounts::COLUMNS`, or the role lists of 表1/4/9 below).
//!
//! All labels are in normalised form (see `norm::norm`): no spaces, no quotes, ASCII brackets
//! and colons. Nothing here reads a grid.

use crate::model::TableId;
use std::sync::LazyLock;

/// How a table's rows are laid out, which decides the reader used for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Coded rows (类/款/项) plus 合计: 表2, 3, 5, 6, 7, 8.
    Classified,
    /// Income list beside an expenditure list: 表1 (one amount per side).
    Overview,
    /// Income list beside an expenditure list with fund columns: 表4.
    Fiscal,
    /// One unlabelled data row: 表9.
    ThreePublic,
}

/// One amount column: the model's column index and the labels it is printed with.
#[derive(Debug)]
pub(crate) struct ColumnSpec {
    /// Index into the model's columns (`Amounts::COLUMNS`; for 表4 合计 and the three funds;
    /// for 表9 `model::T9_COLUMNS`).
    pub index: usize,
    /// The official label first, then variants.
    pub labels: &'static [&'static str],
    /// A table missing this column cannot be read.
    pub required: bool,
}

/// One official table as the recogniser knows it.
#[derive(Debug)]
pub(crate) struct TableSpec {
    /// Which table.
    pub id: TableId,
    /// Row layout.
    pub shape: Shape,
    /// Title stems (after year and 部门/预算单位), official first.
    pub titles: &'static [&'static str],
    /// Group-header labels that single this table out among tables with the same columns.
    pub groups: &'static [&'static str],
    /// Amount columns (for 表1/4: the expenditure side's columns).
    pub columns: &'static [ColumnSpec],
}

const fn col(index: usize, labels: &'static [&'static str], required: bool) -> ColumnSpec {
    ColumnSpec {
        index,
        labels,
        required,
    }
}

const TOTAL: &[&str] = &[
    "合计",
    "总计",
    "小计",
    "合计数",
    "总合计",
    "收入合计",
    "支出合计",
    "本年收入合计",
    "本年支出合计",
];
/// 表8 is basic expenditure only, so its 合计 may be headed `基本支出合计` too.
const T8_TOTAL: &[&str] = &[
    "合计",
    "总计",
    "小计",
    "合计数",
    "总合计",
    "支出合计",
    "基本支出合计",
];
const SPLIT: &[ColumnSpec] = &[
    col(0, TOTAL, true),
    col(1, &["基本支出"], true),
    col(2, &["项目支出"], true),
];

/// Labels of the label columns of 表1/4 (`项目`).
pub(crate) const SIDE_LABELS: &[&str] = &["项目", "收入项目", "支出项目", "科目", "科目名称"];
/// Labels of the single amount column of each side of 表1/4.
pub(crate) const SIDE_AMOUNTS: &[&str] = &["预算数", "金额", "预算金额", "合计", "预算"];

/// Labels of code columns: split (`类`, `款`, `项`) or whole.
pub(crate) const SPLIT_CODE_LABELS: [&str; 3] = ["类", "款", "项"];

/// The nine tables in official order.
pub(crate) static CATALOGUE: [TableSpec; 9] = [
    TableSpec {
        id: TableId::T1,
        shape: Shape::Overview,
        titles: &["财务收支预算总表", "收支预算总表"],
        groups: &["本年收入", "本年支出"],
        // Unit level adds 基本支出 (小计 | 人员经费 | 公用经费) and 项目支出 after 合计: indices
        // 1..=4 are `model::T1_COLUMNS` 2..=5 (the reader adds one, as for 合计 → column 1).
        columns: &[
            col(0, &["预算数", "合计", "金额", "预算金额"], true),
            col(1, &["基本支出", "小计", "基本支出小计"], false),
            col(2, &["人员经费", "人员经费支出", "人员支出"], false),
            col(
                3,
                &["公用经费", "日常公用经费", "公用经费支出", "公用支出"],
                false,
            ),
            col(4, &["项目支出"], false),
        ],
    },
    TableSpec {
        id: TableId::T2,
        shape: Shape::Classified,
        titles: &["收入预算总表", "收入预算表"],
        groups: &["收入预算", "收入预算数"],
        columns: &[
            col(0, TOTAL, true),
            col(1, &["财政拨款收入", "财政拨款", "财政拨款资金"], true),
            col(2, &["事业收入"], false),
            col(3, &["事业单位经营收入", "经营收入"], false),
            col(4, &["其他收入"], false),
        ],
    },
    TableSpec {
        id: TableId::T3,
        shape: Shape::Classified,
        titles: &["支出预算总表", "支出预算表"],
        groups: &["支出预算", "支出预算数"],
        columns: SPLIT,
    },
    TableSpec {
        id: TableId::T4,
        shape: Shape::Fiscal,
        titles: &["财政拨款收支预算总表", "财政拨款收支总表"],
        groups: &["财政拨款收入", "财政拨款支出"],
        columns: &[
            col(0, TOTAL, true),
            col(
                1,
                &["一般公共预算", "一般公共预算资金", "一般公共预算财政拨款"],
                true,
            ),
            col(
                2,
                &["政府性基金预算", "政府性基金", "政府性基金预算财政拨款"],
                true,
            ),
            col(3, &["国有资本经营预算", "国有资本经营预算财政拨款"], true),
        ],
    },
    TableSpec {
        id: TableId::T5,
        shape: Shape::Classified,
        titles: &[
            "一般公共预算支出功能分类预算表",
            "一般公共预算支出预算表",
            "一般公共预算财政拨款支出预算表",
        ],
        groups: &[
            "一般公共预算支出",
            "一般公共预算财政拨款支出",
            "一般公共预算拨款支出",
        ],
        columns: SPLIT,
    },
    TableSpec {
        id: TableId::T6,
        shape: Shape::Classified,
        titles: &[
            "政府性基金预算支出功能分类预算表",
            "政府性基金预算支出预算表",
            "政府性基金预算财政拨款支出预算表",
        ],
        groups: &[
            "政府性基金预算支出",
            "政府性基金预算财政拨款支出",
            "政府性基金支出",
        ],
        columns: SPLIT,
    },
    TableSpec {
        id: TableId::T7,
        shape: Shape::Classified,
        titles: &[
            "国有资本经营预算支出功能分类预算表",
            "国有资本经营预算支出预算表",
            "国有资本经营预算财政拨款支出预算表",
        ],
        groups: &["国有资本经营预算支出", "国有资本经营预算财政拨款支出"],
        columns: SPLIT,
    },
    TableSpec {
        id: TableId::T8,
        shape: Shape::Classified,
        titles: &[
            "一般公共预算基本支出部门预算经济分类预算表",
            "一般公共预算基本支出经济分类预算表",
            "一般公共预算基本支出预算表",
        ],
        groups: &["一般公共预算基本支出"],
        columns: &[
            col(0, T8_TOTAL, true),
            col(1, &["人员经费", "人员经费支出", "人员支出"], true),
            col(
                2,
                &["公用经费", "日常公用经费", "公用经费支出", "公用支出"],
                true,
            ),
        ],
    },
    TableSpec {
        id: TableId::T9,
        shape: Shape::ThreePublic,
        titles: &[
            "三公经费和机关运行经费预算表",
            "三公经费及机关运行经费预算表",
            "三公经费和机关运行经费预算情况表",
        ],
        groups: &["三公经费预算数", "三公经费", "三公经费预算"],
        columns: &[
            col(0, &["合计", "小计合计"], true),
            col(
                1,
                &[
                    "因公出国(境)费",
                    "因公出国(境)费用",
                    "因公出国(境)经费",
                    "因公出国费",
                ],
                true,
            ),
            col(2, &["公务接待费", "公务接待费用"], true),
            col(
                3,
                &["小计", "公务用车购置及运行费", "公务用车购置及运行维护费"],
                false,
            ),
            col(4, &["购置费", "公务用车购置费", "车辆购置费"], false),
            col(
                5,
                &[
                    "运行费",
                    "公务用车运行费",
                    "运行维护费",
                    "公务用车运行维护费",
                ],
                false,
            ),
            col(
                6,
                &["机关运行经费预算数", "机关运行经费", "机关运行经费预算"],
                false,
            ),
        ],
    },
];

/// The catalogue entry of a table.
pub(crate) fn spec(id: TableId) -> &'static TableSpec {
    CATALOGUE
        .iter()
        .find(|s| s.id == id)
        .unwrap_or(&CATALOGUE[0])
}

/// The table whose title stem the normalised text contains (longest stem wins), if the text is
/// short enough to be a title.
pub(crate) fn title_table(normalised: &str) -> Option<TableId> {
    // Every catalogue title stem ends in 表: text without it names no table (a cheap test that
    // spares most rows the search for every stem).
    if !normalised.contains('表') {
        return None;
    }
    // The text up to each 表: a stem occurs in the text when one of them ends with it.
    let heads: Vec<&str> = normalised
        .match_indices('表')
        .filter_map(|(at, m)| normalised.get(..at + m.len()))
        .collect();
    let mut best: Option<(usize, TableId)> = None;
    for spec in &CATALOGUE {
        for stem in spec.titles {
            if !heads.iter().any(|head| head.ends_with(stem)) {
                continue;
            }
            let len = stem.chars().count();
            if best.is_none_or(|(l, _)| len > l) {
                best = Some((len, spec.id));
            }
        }
    }
    let (len, id) = best?;
    (normalised.chars().count() <= len + TITLE_EXTRA_CHARS).then_some(id)
}

/// How many characters a title may have besides its stem (year, department, `表3`, …).
pub(crate) const TITLE_EXTRA_CHARS: usize = 40;

/// The most characters of any title stem: a normalised line longer than this and
/// [`TITLE_EXTRA_CHARS`] together is no title.
pub(crate) const LONGEST_STEM_CHARS: usize = 21;

/// The most characters of any label [`is_header_label`] knows by name (the others end with
/// 科目编码, 科目名称 or 科目代码): a longer text is a header label only by its end.
pub(crate) const HEADER_LABEL_MAX_CHARS: usize = 14;

/// Where a title stem first occurs in `text` (as `str::find`): every stem ends in 表, so only
/// the text ending at each 表 is compared, which spares a substring search per stem.
pub(crate) fn find_stem(text: &str, stem: &str) -> Option<usize> {
    text.match_indices('表').find_map(|(at, m)| {
        let end = at + m.len();
        let head = text.get(..end)?;
        head.ends_with(stem).then(|| end - stem.len())
    })
}

/// True when the normalised text is a label some table prints in its header.
pub(crate) fn is_header_label(label: &str) -> bool {
    label.ends_with("科目编码")
        || label.ends_with("科目名称")
        || label.ends_with("科目代码")
        || NAMED_LABELS
            .get(label.len())
            .is_some_and(|same_length| same_length.contains(&label))
}

/// The labels [`is_header_label`] knows by name (structural, group and column labels),
/// indexed by their length in bytes: a text is compared only with the few of its length.
static NAMED_LABELS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(|| {
    let groups = CATALOGUE.iter().flat_map(|s| s.groups.iter());
    let columns = CATALOGUE
        .iter()
        .flat_map(|s| s.columns.iter().flat_map(|c| c.labels.iter()));
    let mut by_length: Vec<Vec<&'static str>> = Vec::new();
    for &label in STRUCTURAL.iter().chain(groups).chain(columns) {
        if by_length.len() <= label.len() {
            by_length.resize_with(label.len() + 1, Vec::new);
        }
        if let Some(same_length) = by_length.get_mut(label.len()) {
            same_length.push(label);
        }
    }
    by_length
});

/// Header labels that name no column: label columns and group labels of the layouts.
const STRUCTURAL: &[&str] = &[
    "项目",
    "类",
    "款",
    "项",
    "科目编码",
    "编码",
    "科目代码",
    "科目名称",
    "科目",
    "预算数",
    "金额",
    "本年收入",
    "本年支出",
    "财政拨款收入",
    "财政拨款支出",
    "基本支出",
    "功能分类科目",
    "经济分类科目",
];

/// True for the labels of a total row.
pub(crate) fn is_total_label(label: &str) -> bool {
    let label = label.trim_end_matches(':');
    matches!(
        label,
        "合计" | "总计" | "合计数" | "总合计" | "支出合计" | "收入合计"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recognize::norm::norm;

    #[test]
    fn titles_pick_the_longest_stem() {
        assert_eq!(
            title_table(&norm("2024年部门收入预算总表")),
            Some(TableId::T2)
        );
        assert_eq!(
            title_table(&norm("2024年部门财政拨款收支预算总表")),
            Some(TableId::T4)
        );
        assert_eq!(
            title_table(&norm("2024年部门财务收支预算总表")),
            Some(TableId::T1)
        );
        assert_eq!(
            title_table(&norm("部门“三公”经费和机关运行经费预算表")),
            Some(TableId::T9)
        );
        assert_eq!(
            title_table(&norm(
                "2024年预算单位一般公共预算基本支出部门预算经济分类预算表"
            )),
            Some(TableId::T8)
        );
        assert_eq!(title_table(&norm("2024年部门预算编制说明")), None);
        assert_eq!(
            title_table(&norm(
                "注：本部门2024年无政府性基金预算财政拨款安排的预算，故本表为空表。"
            )),
            None
        );
    }

    #[test]
    fn stems_end_in_biao_and_are_found_as_find_finds_them() {
        for stem in CATALOGUE.iter().flat_map(|s| s.titles.iter()) {
            assert!(stem.ends_with('表'), "{stem}");
            for text in [
                String::new(),
                stem.to_string(),
                format!("2024年部门{stem}"),
                format!("表{stem}续表{stem}表"),
                "表3部门支出预算表".to_string(),
            ] {
                assert_eq!(find_stem(&text, stem), text.find(stem), "{text}");
            }
        }
    }

    #[test]
    fn every_table_is_catalogued_once_in_order() {
        for (spec, id) in CATALOGUE.iter().zip(TableId::ALL) {
            assert_eq!(spec.id, id);
            assert_eq!(self::spec(id).id, id);
            assert!(
                spec.titles
                    .iter()
                    .any(|t| id.title_stem().replace(['“', '”'], "") == *t)
            );
        }
    }

    #[test]
    fn length_limits_cover_every_stem_and_label() {
        let chars = |s: &&str| s.chars().count();
        let stems = CATALOGUE.iter().flat_map(|s| s.titles.iter());
        assert_eq!(stems.map(chars).max(), Some(LONGEST_STEM_CHARS));
        let labels = STRUCTURAL.iter().chain(CATALOGUE.iter().flat_map(|s| {
            s.groups
                .iter()
                .chain(s.columns.iter().flat_map(|c| c.labels.iter()))
        }));
        assert_eq!(labels.map(chars).max(), Some(HEADER_LABEL_MAX_CHARS));
    }

    #[test]
    fn header_labels_are_known() {
        for label in [
            "合计",
            "财政拨款收入",
            "类",
            "部门预算经济分类科目编码",
            "小计",
            "收入预算",
        ] {
            assert!(is_header_label(label), "{label}");
        }
        assert!(!is_header_label("一般公共服务支出"));
        assert!(!is_header_label("一、财政拨款收入"));
    }
}
