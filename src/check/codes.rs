//! Reference code lists: the 支出功能分类 and 部门预算支出经济分类 codes with their official
//! names, embedded from `codes/*.tsv` (code, name, level, provenance), and the name
//! normalisation used to compare names.
//!
//! The lists are incomplete and rows not marked `observed` were recalled, not read from a real
//! document: a code missing from them or a name differing from them is only ever a warning,
//! and the submission's own code and name win. Not for checking amounts.

use super::fxhash::FxHashMap;
use crate::model::{Amounts, Classification, Classified, Code, Line};
use crate::money::fullwidth_to_ascii;
use std::borrow::Cow;
use std::sync::OnceLock;

const FUNCTION_TSV: &str = include_str!("codes/function_codes.tsv");
const ECONOMIC_TSV: &str = include_str!("codes/economic_codes.tsv");

/// One row of a reference list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The official name.
    pub name: &'static str,
    /// True when the row was printed in a real published document (provenance `observed`).
    pub observed: bool,
}

/// Names that were official once and are now obsolete, by 类 code: (code, obsolete, current).
pub const OBSOLETE_NAMES: [(&str, &str, &str); 4] = [
    ("210", "医疗卫生与计划生育支出", "卫生健康支出"),
    ("210", "医疗卫生支出", "卫生健康支出"),
    ("212", "城乡社区事务", "城乡社区支出"),
    ("220", "国土海洋气象等支出", "自然资源海洋气象等支出"),
];

fn parse(tsv: &'static str) -> FxHashMap<&'static str, Reference> {
    tsv.lines()
        .skip(1)
        .filter_map(|line| {
            let mut cols = line.split('\t');
            let code = cols.next()?.trim();
            let name = cols.next()?.trim();
            let _level = cols.next();
            let observed = cols.next().map(str::trim) == Some("observed");
            Some((code, Reference { name, observed }))
        })
        .collect()
}

fn list(classification: Classification) -> &'static FxHashMap<&'static str, Reference> {
    static FUNCTION: OnceLock<FxHashMap<&'static str, Reference>> = OnceLock::new();
    static ECONOMIC: OnceLock<FxHashMap<&'static str, Reference>> = OnceLock::new();
    match classification {
        Classification::Function => FUNCTION.get_or_init(|| parse(FUNCTION_TSV)),
        Classification::Economic => ECONOMIC.get_or_init(|| parse(ECONOMIC_TSV)),
    }
}

/// The reference row of a code, if the list has it.
pub fn lookup(classification: Classification, code: &str) -> Option<&'static Reference> {
    list(classification).get(code)
}

/// The current name when `name` is an obsolete official name of `code`.
pub fn obsolete(code: &str, name: &str) -> Option<&'static str> {
    // Most codes have no obsolete name: normalise only when one does.
    let mut candidates = OBSOLETE_NAMES
        .iter()
        .filter(|(c, _, _)| *c == code)
        .peekable();
    candidates.peek()?;
    let name = normalized(name);
    candidates
        .find(|(_, old, _)| normalized(old) == name)
        .map(|(_, _, current)| *current)
}

/// A name reduced for comparison: full-width ASCII variants (（）, ，) folded to ASCII, all
/// whitespace removed, and a leading list number (一、 1、 (一) 1.) stripped.
pub fn normalize_name(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    folded.extend(
        name.chars()
            .map(fullwidth_to_ascii)
            .filter(|c| !c.is_whitespace()),
    );
    let kept = strip_numbering(&folded).len();
    // The numbering is a prefix: keep the rest in place.
    folded.drain(..folded.len() - kept);
    folded
}

/// [`normalize_name`], borrowing the name (or the part after its numbering) when only the
/// numbering would change: names without full-width ASCII or spaces (most) need no copy.
pub fn normalized(name: &str) -> Cow<'_, str> {
    let plain = name
        .chars()
        .all(|c| !c.is_whitespace() && fullwidth_to_ascii(c) == c);
    if plain {
        Cow::Borrowed(strip_numbering(name))
    } else {
        Cow::Owned(normalize_name(name))
    }
}

/// A character that may number a list item: a Chinese numeral up to 十 or an ASCII digit.
fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '0'..='9'
    )
}

fn strip_numbering(s: &str) -> &str {
    let inner = s
        .strip_prefix('(')
        .and_then(|rest| rest.split_once(')'))
        .filter(|(n, _)| !n.is_empty() && n.chars().all(is_numeral))
        .map(|(_, rest)| rest);
    if let Some(rest) = inner {
        return rest;
    }
    let digits = s.chars().take_while(|c| is_numeral(*c)).count();
    if digits == 0 {
        return s;
    }
    let byte = s
        .char_indices()
        .nth(digits)
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    match s[byte..].chars().next() {
        Some(c @ ('、' | '.' | '．')) => &s[byte + c.len_utf8()..],
        _ => s,
    }
}

/// A 类 name as printed in 表1/表4, normalised once to be compared with many 类 rows.
pub(crate) struct PrintedLei<'a> {
    printed: &'a str,
    wanted: Cow<'a, str>,
}

impl<'a> PrintedLei<'a> {
    pub(crate) fn new(printed: &'a str) -> Self {
        PrintedLei {
            printed,
            wanted: normalized(printed),
        }
    }

    /// Whether the printed name stands for the 类 row `code`/`name` of a coded table: the same
    /// name up to numbering, punctuation width and spacing, or the code's reference name, or an
    /// obsolete official name of that code.
    pub(crate) fn names(&self, code: &Code, name: &str) -> bool {
        // Equal text normalises equally: only differing text is normalised.
        let same = |n: &str| n == self.printed || self.same_normalized(&normalized(n));
        same(name)
            || lookup(Classification::Function, code.as_str()).is_some_and(|r| same(r.name))
            || obsolete(code.as_str(), self.printed).is_some()
    }

    /// [`PrintedLei::names`] for a row whose names are normalised already.
    fn names_row<A>(&self, row: &LeiRow<'_, A>) -> bool {
        let same = |raw: &str, normal: &str| raw == self.printed || self.same_normalized(normal);
        same(&row.line.name, &row.name)
            || row.reference.as_ref().is_some_and(|(raw, n)| same(raw, n))
            || obsolete(row.line.code.as_str(), self.printed).is_some()
    }

    /// Whether a normalised name is the printed one, also when one of them leaves out the
    /// 支出 (`一、一般公共服务` for 一般公共服务支出: the 类 name without it still names it).
    fn same_normalized(&self, n: &str) -> bool {
        let short = |n: &str| n.strip_suffix("支出").unwrap_or(n).len();
        let wanted = self.wanted.as_ref();
        n == wanted || n[..short(n)] == wanted[..short(wanted)]
    }
}

/// The 类 rows of a coded table with their names (and their codes' reference names)
/// normalised once, to be matched with many printed names.
pub(crate) struct LeiRows<'a, A> {
    rows: Vec<LeiRow<'a, A>>,
}

/// One 类 row of [`LeiRows`].
struct LeiRow<'a, A> {
    line: &'a Line<A>,
    /// The row's name, normalised.
    name: Cow<'a, str>,
    /// The code's reference name as listed and normalised, when the list has the code.
    reference: Option<(&'static str, Cow<'static, str>)>,
}

impl<'a, A: Amounts> LeiRows<'a, A> {
    /// The 类 rows of `t`, in line order.
    pub(crate) fn new(t: &'a Classified<A>) -> Self {
        let rows = t
            .lei_lines()
            .map(|line| LeiRow {
                line,
                name: normalized(&line.name),
                reference: lookup(Classification::Function, line.code.as_str())
                    .map(|r| (r.name, normalized(r.name))),
            })
            .collect();
        LeiRows { rows }
    }

    /// The first 类 row (in line order) the printed name stands for.
    pub(crate) fn find(&self, printed: &PrintedLei<'_>) -> Option<&'a Line<A>> {
        self.rows
            .iter()
            .find(|row| printed.names_row(row))
            .map(|row| row.line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_lists_load_with_provenance() {
        let r = lookup(Classification::Function, "2010301").unwrap();
        assert_eq!(r.name, "行政运行");
        assert!(r.observed);
        assert!(!lookup(Classification::Function, "20101").unwrap().observed);
        assert_eq!(
            lookup(Classification::Economic, "30213").unwrap().name,
            "维修（护）费"
        );
        assert!(lookup(Classification::Economic, "2010301").is_none());
    }

    #[test]
    fn names_compare_without_punctuation_width_spacing_or_numbering() {
        assert_eq!(normalize_name("维修(护)费"), normalize_name("维修（护）费"));
        assert_eq!(normalize_name(" 行政 运行 "), "行政运行");
        assert_eq!(normalize_name("一、一般公共服务支出"), "一般公共服务支出");
        assert_eq!(normalize_name("（二）事业收入"), "事业收入");
        assert_eq!(normalize_name("1、一般公共预算资金"), "一般公共预算资金");
        assert_eq!(normalize_name("2010301行政运行"), "2010301行政运行");
        assert_eq!(
            obsolete("210", "医疗卫生与计划生育支出"),
            Some("卫生健康支出")
        );
        assert_eq!(obsolete("210", "卫生健康支出"), None);
    }
}
