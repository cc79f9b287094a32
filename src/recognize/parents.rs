//! Missing 类/款 rows of a coded table, rebuilt from the rows under them. Many finance systems
//! export only the 项 rows (or 款 and 项 rows); the disclosure prints every level, and each
//! missing row is exactly the sum of the rows it heads. The rows are added before their first
//! child with the reference list's name, and one warning says which were added.
//!
//! Not for checking sums (a present 类 row that disagrees with its 款 rows is `check`'s
//! business) and not for 表1/4/9. A separate step after [`super::recognize`] (run by
//! `yusuan::load`), so the recogniser itself still reports a table exactly as printed.

use crate::check::codes;
use crate::finding::{Finding, Severity};
use crate::model::{
    Amounts, CellKey, Classification, Classified, Code, Line, Location, RowKey, SourceMap, TableId,
};
use crate::recognize::Submission;
use std::collections::{BTreeMap, BTreeSet};

/// Adds the missing parent rows of 表2/3/5/6/7/8, with one warning per table that had any.
pub fn fill_missing_parents(submission: &mut Submission) {
    let sources = &submission.sources;
    let budget = &mut submission.budget;
    let findings = [
        fill(TableId::T2, &mut budget.income, sources),
        fill(TableId::T3, &mut budget.expenditure, sources),
        fill(TableId::T5, &mut budget.general, sources),
        fill(TableId::T6, &mut budget.fund, sources),
        fill(TableId::T7, &mut budget.capital, sources),
        fill(TableId::T8, &mut budget.economic, sources),
    ];
    submission.findings.extend(findings.into_iter().flatten());
}

fn fill<A: Amounts>(
    id: TableId,
    table: &mut Classified<A>,
    sources: &SourceMap,
) -> Option<Finding> {
    let location = table.lines.first().and_then(|l| {
        let key = CellKey {
            table: id,
            row: RowKey::Code(l.code.clone()),
            column: 0,
        };
        sources.get(&key).cloned()
    });
    fill_table(id, table, location)
}

/// Adds the parent rows `table` lacks; returns the warning naming them, if any were added.
fn fill_table<A: Amounts>(
    id: TableId,
    table: &mut Classified<A>,
    location: Option<Location>,
) -> Option<Finding> {
    let missing = missing_parents(&table.lines);
    if missing.is_empty() {
        return None;
    }
    let classification = if id == TableId::T8 {
        Classification::Economic
    } else {
        Classification::Function
    };
    let lines = std::mem::take(&mut table.lines);
    table.lines = with_parents(lines, &missing, classification);
    let listed: Vec<&str> = missing.iter().map(Code::as_str).collect();
    let message = format!(
        "{id}（{}）缺少上级科目 {} 的行，已按其下各科目汇总补齐",
        id.title_stem(),
        listed.join("、")
    );
    Some(
        Finding::new(Severity::Warning, "filled-parents", message)
            .in_table(id)
            .located(location),
    )
}

/// The ancestor codes of the rows that no row of the table has.
fn missing_parents<A>(lines: &[Line<A>]) -> BTreeSet<Code> {
    let present: BTreeSet<&Code> = lines.iter().map(|l| &l.code).collect();
    let mut missing: BTreeSet<Code> = BTreeSet::new();
    for line in lines {
        let mut parent = line.code.parent();
        while let Some(p) = parent {
            if present.contains(&p) {
                break;
            }
            parent = p.parent();
            missing.insert(p);
        }
    }
    missing
}

/// `lines` with each missing parent inserted before its first child (outermost first), named
/// from the reference list and holding the sum of the rows under it.
fn with_parents<A: Amounts>(
    lines: Vec<Line<A>>,
    missing: &BTreeSet<Code>,
    classification: Classification,
) -> Vec<Line<A>> {
    let sums = sums_of(&lines, missing);
    let mut emitted: BTreeSet<Code> = BTreeSet::new();
    let mut out = Vec::with_capacity(lines.len() + missing.len());
    for line in lines {
        let mut chain = Vec::new();
        let mut parent = line.code.parent();
        while let Some(p) = parent {
            parent = p.parent();
            if missing.contains(&p) && !emitted.contains(&p) {
                chain.push(p);
            }
        }
        for code in chain.into_iter().rev() {
            let name = codes::lookup(classification, code.as_str())
                .map(|r| r.name.to_string())
                .unwrap_or_default();
            let amounts = sums.get(&code).cloned().unwrap_or_default();
            emitted.insert(code.clone());
            out.push(Line {
                code,
                name,
                amounts,
            });
        }
        out.push(line);
    }
    out
}

/// The amounts of each missing code: the sum of its direct children, present or missing
/// (deepest level first, so a missing 类 adds up its missing 款 already summed).
fn sums_of<A: Amounts>(lines: &[Line<A>], missing: &BTreeSet<Code>) -> BTreeMap<Code, A> {
    let mut sums: BTreeMap<Code, A> = BTreeMap::new();
    for line in lines {
        if let Some(p) = line.code.parent().filter(|p| missing.contains(p)) {
            let entry = sums.entry(p).or_default();
            *entry = entry.add(&line.amounts);
        }
    }
    for code in missing.iter().rev() {
        let Some(p) = code.parent().filter(|p| missing.contains(p)) else {
            continue;
        };
        let child = sums.get(code).cloned().unwrap_or_default();
        let entry = sums.entry(p).or_default();
        *entry = entry.add(&child);
    }
    sums
}
