//! Amount cells to `Decimal` 元: numbers through `money::from_float`, text through
//! `money::parse_amount_text` (thousands separators, full-width digits, `-` for zero,
//! `(5)` for −5), scaled exactly from 万元. A cell that cannot be read becomes an error finding
//! (rule `unreadable-cell`) naming file, sheet, cell, table and column, and counts as 0.
//!
//! Not for codes or labels.

use crate::finding::{Finding, Severity};
use crate::grid::{CellValue, Grid};
use crate::model::{MoneyUnit, RowKey, TableId};
use crate::money::{from_float, fullwidth_to_ascii, parse_amount_text, round_fen};
use rust_decimal::Decimal;

/// The rule id of findings about cells that cannot be read.
pub const UNREADABLE: &str = "unreadable-cell";

/// Which amount a cell holds, for the finding when it cannot be read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot<'a> {
    /// The table.
    pub table: TableId,
    /// The row: a code, 合计 or a printed label (put into words only for a finding).
    pub row: &'a RowKey,
    /// The column as printed.
    pub column: &'a str,
}

/// True when the cell holds a number (numeric cell, or text that parses as a nonzero-length
/// number with at least one digit).
pub(crate) fn is_numeric(value: &CellValue) -> bool {
    match value {
        CellValue::Number(_) => true,
        CellValue::Text(t) => {
            plain_whole_text(t).is_some()
                || (may_be_amount_text(t) && matches!(parse_amount_text(t), Ok(Some(_))))
        }
        _ => false,
    }
}

/// False when `parse_amount_text` cannot give a number for the text: it has no digit, or a
/// character no amount is written with (after mapping full-width forms: digits, `,.()-+¥￥`
/// and whitespace). Label and prose cells mostly fail at their first character, before the
/// parse copies them.
fn may_be_amount_text(t: &str) -> bool {
    let mut digit = false;
    for c in t.chars().map(fullwidth_to_ascii) {
        if c.is_ascii_digit() {
            digit = true;
        } else if !(matches!(c, ',' | '.' | '(' | ')' | '-' | '+' | '¥' | '￥')
            || c.is_whitespace())
        {
            return false;
        }
    }
    digit
}

/// The amount in (row, col) in 元; blank is zero. A cell that cannot be read gives zero and a
/// finding, added to `findings`.
pub(crate) fn read(
    grid: &Grid,
    row: usize,
    col: usize,
    unit: MoneyUnit,
    slot: Slot<'_>,
    findings: &mut Vec<Finding>,
) -> Decimal {
    match value_in_unit(grid.cell(row, col), unit) {
        Ok(v) => v,
        Err(reason) => {
            findings.push(unreadable(grid, row, col, slot, &reason));
            Decimal::ZERO
        }
    }
}

/// The cell's value in 元, or why it cannot be read (in Chinese).
fn value_in_unit(value: &CellValue, unit: MoneyUnit) -> Result<Decimal, String> {
    let dp = match unit {
        MoneyUnit::Yuan => 2,
        MoneyUnit::WanYuan => 6,
    };
    // A whole amount in 元 (most cells) is already what `scale` makes of it: an integer of
    // scale 0, never -0.
    let yuan = unit == MoneyUnit::Yuan;
    let raw = match value {
        CellValue::Empty => return Ok(Decimal::ZERO),
        CellValue::Number(f) => match whole_float(*f) {
            Some(whole) if yuan => return Ok(whole),
            Some(whole) => whole,
            None => short_decimal_float(*f, dp)
                .or_else(|| from_float(*f, dp))
                .ok_or_else(|| format!("数值 {f} 超出范围"))?,
        },
        CellValue::Text(t) => match plain_whole_text(t) {
            Some(whole) if yuan => return Ok(whole),
            Some(whole) => whole,
            None => {
                match plain_decimal_text(t).map_or_else(|| parse_amount_text(t), |v| Ok(Some(v))) {
                    Ok(Some(v)) => v,
                    Ok(None) => Decimal::ZERO,
                    Err(()) => return Err(format!("“{}”不是数字", t.trim())),
                }
            }
        },
        CellValue::Bool(b) => {
            return Err(format!("是逻辑值 {}", if *b { "TRUE" } else { "FALSE" }));
        }
        CellValue::Error(e) => return Err(format!("是错误值 {e}")),
        CellValue::FormulaWithoutValue(f) => {
            // calamine gives the formula without its `=`; show it as Excel's formula bar does.
            let eq = if f.starts_with('=') { "" } else { "=" };
            return Err(format!(
                "是没有计算结果的公式 {eq}{f}（请在 Excel 中重新计算并保存）"
            ));
        }
    };
    scale(raw, unit).ok_or_else(|| "数值超出范围".to_string())
}

/// A float holding a whole number of at most 15 digits, exactly: what `from_float` gives for
/// it (its shortest form is its digits, and rounding leaves a whole number alone) without
/// formatting and parsing text. Most amount cells are whole 元.
fn whole_float(f: f64) -> Option<Decimal> {
    const LIMIT: f64 = 1e15;
    // Below 2^53 every whole float is an exact `i64`; `-0.0` becomes 0 (as `scale`'s
    // normalising would make it).
    (f.fract() == 0.0 && f.abs() < LIMIT).then(|| Decimal::from(f as i64))
}

/// A fraction that is the float nearest to a decimal of at most `dp` (and six) decimals, below
/// 10^9 (`577.6`, `1879.28`, as 万元 amounts are typed): that decimal, which is what
/// `from_float` gives for it (its shortest form, which rounding to `dp` keeps), without
/// formatting and parsing text. The fewest decimals that give the float back are its shortest
/// form: below 10^9 no two decimals of up to six decimals round to the same float.
fn short_decimal_float(f: f64, dp: u32) -> Option<Decimal> {
    const LIMIT: f64 = 1e9;
    // A whole float's shortest form has no decimals (see `whole_float`).
    if !f.is_finite() || f.abs() >= LIMIT || f.fract() == 0.0 {
        return None;
    }
    (1..=dp.min(6)).find_map(|decimals| {
        // Powers of ten up to 10^22 are exact floats.
        let power = 10f64.powi(i32::try_from(decimals).ok()?);
        let mantissa = (f * power).round();
        (mantissa / power == f).then(|| Decimal::new(mantissa as i64, decimals))
    })
}

/// A whole amount typed in its plainest spelling, ASCII digits grouped by commas in threes or
/// not at all (`48,215,638`, `48215638`): what `parse_amount_text` gives for it, without its
/// copies. None for any other text (which goes the full way) and for more than 18 digits.
fn plain_whole_text(t: &str) -> Option<Decimal> {
    plain_whole_digits(t).map(|(value, _)| Decimal::from(value))
}

/// The value and digit count of a whole amount as `plain_whole_text` reads it.
fn plain_whole_digits(t: &str) -> Option<(u64, usize)> {
    let mut value: u64 = 0;
    let mut digits = 0;
    // Digits since the last comma, or None before the first comma.
    let mut group: Option<usize> = None;
    for b in t.bytes() {
        match b {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(b - b'0');
                digits += 1;
                if let Some(g) = group.as_mut() {
                    *g += 1;
                }
            }
            // The first group has 1 to 3 digits, every later one 3.
            b',' if group.map_or((1..=3).contains(&digits), |g| g == 3) => group = Some(0),
            _ => return None,
        }
        if digits > 18 {
            return None;
        }
    }
    let complete = digits > 0 && group.is_none_or(|g| g == 3);
    complete.then_some((value, digits))
}

/// An amount with decimals typed plainly, a whole part as `plain_whole_text` reads it, a point
/// and digits (`1,879.28`, `577.60`): the value `parse_amount_text` gives for it (the same
/// number, which `scale` then normalises). None for any other text and for more than 18 digits.
fn plain_decimal_text(t: &str) -> Option<Decimal> {
    let (whole, fraction) = t.split_once('.')?;
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (whole, whole_digits) = plain_whole_digits(whole)?;
    if whole_digits + fraction.len() > 18 {
        return None;
    }
    let mantissa = fraction
        .bytes()
        .fold(whole, |v, b| v * 10 + u64::from(b - b'0'));
    let scale = u32::try_from(fraction.len()).ok()?;
    Decimal::try_from_i128_with_scale(i128::from(mantissa), scale).ok()
}

/// Converts an amount entered in `unit` to 元, exactly, rounded to 分 and normalised.
pub(crate) fn scale(value: Decimal, unit: MoneyUnit) -> Option<Decimal> {
    value
        .checked_mul(unit.factor())
        .map(|v| round_fen(v).normalize())
}

fn unreadable(grid: &Grid, row: usize, col: usize, slot: Slot<'_>, reason: &str) -> Finding {
    let location = grid.location(row, col);
    let row_label = slot.row.to_string();
    let message = format!(
        "{} 工作表“{}”单元格 {}：{}“{}”行“{}”列的金额{}，已按 0 处理",
        location.file, location.sheet, location.cell, slot.table, row_label, slot.column, reason
    );
    Finding::new(Severity::Error, UNREADABLE, message)
        .in_table(slot.table)
        .at(row_label, slot.column)
        .located(Some(location))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// A deterministic xorshift64 stream for the randomised comparisons below.
    fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
        move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        }
    }

    /// `count` texts of fewer than `max_len` characters drawn from `alphabet`.
    fn random_texts(
        seed: u64,
        alphabet: &[char],
        max_len: u64,
        count: usize,
    ) -> impl Iterator<Item = String> + '_ {
        let mut next = xorshift(seed);
        (0..count).map(move |_| {
            let len = next() % max_len;
            (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        })
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn one(value: CellValue, unit: MoneyUnit) -> (Decimal, Option<Finding>) {
        let mut g = Grid::new("in.xlsx", "表2");
        g.set(4, 5, value);
        let slot = Slot {
            table: TableId::T2,
            row: &RowKey::Code(crate::model::Code::new("2010301").unwrap()),
            column: "财政拨款收入",
        };
        let mut findings = Vec::new();
        let value = read(&g, 4, 5, unit, slot, &mut findings);
        assert!(findings.len() <= 1);
        (value, findings.pop())
    }

    #[test]
    fn numbers_and_text_in_every_spelling() {
        use CellValue::*;
        let yuan = MoneyUnit::Yuan;
        assert_eq!(one(Number(48215638.0), yuan).0, d("48215638"));
        assert_eq!(one(Number(0.1 + 0.2), yuan).0, d("0.3"));
        assert_eq!(one(Text("84,281,400".into()), yuan).0, d("84281400"));
        assert_eq!(
            one(Text("８４，２８１，４００".into()), yuan).0,
            d("84281400")
        );
        assert_eq!(one(Text("-".into()), yuan).0, d("0"));
        assert_eq!(one(Text("0.00".into()), yuan).0, d("0"));
        assert_eq!(one(Text("(5)".into()), yuan).0, d("-5"));
        assert_eq!(one(Text("-5".into()), yuan).0, d("-5"));
        assert_eq!(one(Empty, yuan), (d("0"), None));
    }

    #[test]
    fn whole_floats_read_as_their_text_would() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -7.0,
            48215638.0,
            999_999_999_999_999.0,
            1e15,
            2.5,
            1e20,
        ] {
            for unit in [MoneyUnit::Yuan, MoneyUnit::WanYuan] {
                let fast = value_in_unit(&CellValue::Number(f), unit).unwrap();
                let dp = if unit == MoneyUnit::Yuan { 2 } else { 6 };
                let slow = scale(from_float(f, dp).unwrap(), unit).unwrap();
                assert_eq!(fast, slow, "{f}");
                assert_eq!(fast.to_string(), slow.to_string(), "{f}");
            }
        }
    }

    #[test]
    fn short_decimal_floats_read_as_from_float_reads_them() {
        let mut next = xorshift(577);
        for _ in 0..200_000 {
            let decimals = (next() % 8) as i32;
            let mantissa = (next() % 2_000_000_000_000) as i64 - 1_000_000_000_000;
            let typed = mantissa as f64 / 10f64.powi(decimals);
            let raw = f64::from_bits(next() % (1u64 << 62)) % 1e9;
            for f in [typed, raw, 0.1 + 0.2, 2.675, 1e9 - 0.5, -1879.28] {
                for dp in [2, 6] {
                    if let Some(fast) = short_decimal_float(f, dp) {
                        let slow = from_float(f, dp).unwrap();
                        assert_eq!(fast, slow, "{f} {dp}");
                        assert_eq!(fast.to_string(), slow.to_string(), "{f} {dp}");
                    }
                }
            }
        }
        assert_eq!(short_decimal_float(577.6, 6), Some(d("577.6")));
        assert_eq!(short_decimal_float(0.1 + 0.2, 6), None);
    }

    #[test]
    fn plain_text_amounts_read_as_parse_amount_text_reads_them() {
        let alphabet = ['1', '0', '9', ',', ',', '.', '-', ' '];
        for text in random_texts(2024, &alphabet, 23, 200_000) {
            if let Some(fast) = plain_whole_text(&text) {
                assert_eq!(Ok(Some(fast)), parse_amount_text(&text), "{text}");
            }
            if let Some(fast) = plain_decimal_text(&text) {
                assert_eq!(Ok(Some(fast)), parse_amount_text(&text), "{text}");
            }
        }
        assert_eq!(plain_whole_text("48,215,638"), Some(d("48215638")));
        assert_eq!(plain_whole_text("48215638"), Some(d("48215638")));
        for text in [
            "", ",1", "1,", "1,23", "1234,567", "1,2345", "-5", "1.5", " 1",
        ] {
            assert_eq!(plain_whole_text(text), None, "{text}");
        }
        assert_eq!(plain_decimal_text("1,879.28"), Some(d("1879.28")));
        assert_eq!(plain_decimal_text("577.60"), Some(d("577.60")));
        for text in [
            "1.", ".5", "1.2.3", "12,34.5", "1.5,0", "1,5.0", "-1.5", "1",
        ] {
            assert_eq!(plain_decimal_text(text), None, "{text}");
        }
    }

    #[test]
    fn wan_yuan_scales_exactly() {
        use CellValue::*;
        let wan = MoneyUnit::WanYuan;
        assert_eq!(one(Number(577.6), wan).0, d("5776000"));
        assert_eq!(one(Number(1879.28), wan).0, d("18792800"));
        assert_eq!(one(Text("1,879.28".into()), wan).0, d("18792800"));
        assert_eq!(one(Number(0.123456), wan).0, d("1234.56"));
    }

    #[test]
    fn unreadable_cells_become_findings_with_their_place() {
        let (v, f) = one(CellValue::Error("#REF!".into()), MoneyUnit::Yuan);
        assert_eq!(v, d("0"));
        let f = f.unwrap();
        assert_eq!(f.rule, UNREADABLE);
        assert_eq!(f.severity, Severity::Error);
        assert_eq!(f.table, Some(2));
        assert_eq!(f.row.as_deref(), Some("2010301"));
        assert_eq!(f.column.as_deref(), Some("财政拨款收入"));
        assert_eq!(f.location.as_ref().unwrap().cell.to_string(), "F5");
        assert_eq!(
            f.message,
            "in.xlsx 工作表“表2”单元格 F5：表2“2010301”行“财政拨款收入”列的金额是错误值 #REF!，已按 0 处理"
        );
        let (_, f) = one(
            CellValue::FormulaWithoutValue("=SUM(F6:F9)".into()),
            MoneyUnit::Yuan,
        );
        assert!(
            f.unwrap()
                .message
                .contains("没有计算结果的公式 =SUM(F6:F9)")
        );
        let (_, f) = one(CellValue::Text("见附表".into()), MoneyUnit::Yuan);
        assert!(f.unwrap().message.contains("“见附表”不是数字"));
        let (v, f) = one(CellValue::Number(1e28), MoneyUnit::WanYuan);
        assert_eq!(v, d("0"));
        let message = f.unwrap().message;
        assert!(
            message.starts_with("in.xlsx 工作表“表2”单元格 F5：")
                && message.ends_with("超出范围，已按 0 处理"),
            "{message}"
        );
    }

    #[test]
    fn numeric_cells_are_told_from_labels() {
        assert!(is_numeric(&CellValue::Number(0.0)));
        assert!(is_numeric(&CellValue::Text("1,200".into())));
        assert!(is_numeric(&CellValue::Text("201".into())));
        assert!(!is_numeric(&CellValue::Text("-".into())));
        assert!(!is_numeric(&CellValue::Text("合计".into())));
        assert!(!is_numeric(&CellValue::Empty));
    }

    #[test]
    fn numeric_text_is_what_parse_amount_text_reads() {
        let slow = |t: &str| {
            t.chars()
                .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
                && matches!(parse_amount_text(t), Ok(Some(_)))
        };
        let alphabet = [
            '1', '0', '９', ',', '，', '.', '．', '-', '－', '—', ' ', '\u{3000}', '\u{a0}', '\t',
            '(', '）', '+', '¥', '￥', '元', 'a', '%',
        ];
        for text in random_texts(2026, &alphabet, 9, 200_000) {
            assert_eq!(
                is_numeric(&CellValue::Text(text.clone())),
                slow(&text),
                "{text:?}"
            );
        }
    }
}
