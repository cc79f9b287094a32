//! Money helpers shared by every layer: exact conversion of spreadsheet floats to `Decimal`,
//! parsing of amount text as budget officers type it, and formatting with thousands separators.
//!
//! Never does arithmetic on `f64`: a float is only ever turned into its shortest decimal
//! representation and then rounded half-up (四舍五入) to 分.

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to 2 decimals, half away from zero (四舍五入), as budget figures are rounded.
pub fn round_fen(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Rounds to `dp` decimals, half away from zero.
pub fn round_dp(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Converts a float read from a spreadsheet to an exact `Decimal`: the float's shortest
/// round-trip decimal form (what Excel displays), parsed exactly, then rounded to `dp` places
/// half-up. `None` for NaN, infinities and magnitudes `Decimal` cannot hold.
///
/// ```
/// use rust_decimal::Decimal;
/// use yusuan::money::from_float;
///
/// // 0.1 + 0.2 is 0.30000000000000004 as a float, 0.30 as money; 2.675 rounds up, not down.
/// assert_eq!(from_float(0.1 + 0.2, 2), Some(Decimal::new(30, 2)));
/// assert_eq!(from_float(2.675, 2), Some(Decimal::new(268, 2)));
/// ```
pub fn from_float(value: f64, dp: u32) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // `{}` prints the shortest representation that round-trips, never in exponent form.
    let text = format!("{value}");
    let exact = text
        .parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{value:e}")).ok())?;
    Some(round_dp(exact, dp))
}

/// Parses an amount typed as text: thousands separators (`,` `，`), full-width digits, spaces,
/// a leading `¥`, negatives as `-123` or `(123)`/`（123）`, and the zero spellings
/// blank, `-`, `—`, `0`, `0.00`. Returns `Ok(None)` for a blank/zero-dash cell,
/// `Err(())` when the text is not a number at all.
#[allow(
    clippy::result_unit_err,
    reason = "the only failure is \"not a number\"; each caller words it with the cell it knows"
)]
pub fn parse_amount_text(raw: &str) -> Result<Option<Decimal>, ()> {
    if !commas_group_thousands(raw) {
        return Err(());
    }
    let mut s: String = raw
        .chars()
        .map(fullwidth_to_ascii)
        .filter(|c| !matches!(c, ',' | ' ' | '\u{3000}' | '\u{a0}' | '¥' | '￥'))
        .collect();
    s = s.trim().to_string();
    if s.is_empty() || s.chars().all(|c| matches!(c, '-' | '—' | '–' | '－')) {
        return Ok(None);
    }
    let mut negative = false;
    if (s.starts_with('(') && s.ends_with(')')) && s.len() > 2 {
        negative = true;
        s = s[1..s.len() - 1].to_string();
    }
    if let Some(rest) = s.strip_prefix('-') {
        negative = !negative;
        s = rest.to_string();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.to_string();
    }
    if s.is_empty() || !s.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return Err(());
    }
    if s.starts_with('.') || s.ends_with('.') || s.matches('.').count() > 1 {
        return Err(());
    }
    let value: Decimal = s.parse().map_err(|_| ())?;
    Ok(Some(if negative { -value } else { value }))
}

/// True unless commas in `raw` stand where no thousands separator can: `12,34`, `1234,50` (a
/// decimal comma), `1,2345` are typing or locale slips that would silently change the amount
/// 100-fold, so they are not read as numbers.
fn commas_group_thousands(raw: &str) -> bool {
    let s: String = raw
        .chars()
        .map(fullwidth_to_ascii)
        .filter(|c| c.is_ascii_digit() || matches!(c, ',' | '.'))
        .collect();
    if !s.contains(',') {
        return true;
    }
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut groups = int.split(',');
    let first_ok = groups.next().is_some_and(|g| (1..=3).contains(&g.len()));
    first_ok && groups.all(|g| g.len() == 3) && !frac.contains(',')
}

/// Maps full-width ASCII variants (０-９, ．, ，, （）, －, ＋) to their ASCII forms.
pub fn fullwidth_to_ascii(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Formats with thousands separators and as many decimals as the value needs (0 or 2):
///
/// ```
/// use rust_decimal::Decimal;
/// use yusuan::money::format_amount;
///
/// assert_eq!(format_amount(Decimal::from(48_215_638)), "48,215,638");
/// assert_eq!(format_amount(Decimal::new(9_360_005, 1)), "936,000.50");
/// ```
pub fn format_amount(value: Decimal) -> String {
    let v = round_fen(value);
    let decimals = if v.fract().is_zero() { 0 } else { 2 };
    format_fixed(v, decimals)
}

/// Formats with thousands separators and exactly `decimals` decimals.
pub fn format_fixed(value: Decimal, decimals: u32) -> String {
    let v = round_dp(value, decimals);
    let negative = v.is_sign_negative() && !v.is_zero();
    let abs = v.abs();
    let int = abs.trunc().to_string();
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if decimals > 0 {
        let frac = (abs.fract() * Decimal::from(10u64.pow(decimals))).trunc();
        out.push('.');
        out.push_str(&format!("{:0width$}", frac, width = decimals as usize));
    }
    out
}

/// Formats an amount in 元 as 万元 with 2 decimals: 18,792,776 → "1,879.28".
pub fn format_wan(value_yuan: Decimal) -> String {
    format_fixed(value_yuan / Decimal::from(10_000), 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn floats_round_half_up_from_their_shortest_form() {
        assert_eq!(from_float(0.1 + 0.2, 2), Some(d("0.30")));
        assert_eq!(from_float(1.005, 2), Some(d("1.01"))); // shortest form is 1.005
        assert_eq!(from_float(2.675, 2), Some(d("2.68")));
        assert_eq!(from_float(-2.675, 2), Some(d("-2.68")));
        assert_eq!(from_float(84281400.0, 2), Some(d("84281400")));
        assert_eq!(from_float(1e300, 2), None);
        assert_eq!(from_float(f64::NAN, 2), None);
    }

    #[test]
    fn amount_text_in_every_spelling() {
        assert_eq!(parse_amount_text("84,281,400"), Ok(Some(d("84281400"))));
        assert_eq!(parse_amount_text("-1,234.50"), Ok(Some(d("-1234.50"))));
        assert_eq!(parse_amount_text("12,34"), Err(()));
        assert_eq!(parse_amount_text("1234,50"), Err(()));
        assert_eq!(parse_amount_text("8,59,2800"), Err(()));
        assert_eq!(parse_amount_text("1,234.5,0"), Err(()));
        assert_eq!(parse_amount_text("８４，２８１"), Ok(Some(d("84281"))));
        assert_eq!(parse_amount_text(" 1,879.28 "), Ok(Some(d("1879.28"))));
        assert_eq!(parse_amount_text("(200)"), Ok(Some(d("-200"))));
        assert_eq!(parse_amount_text("（200）"), Ok(Some(d("-200"))));
        assert_eq!(parse_amount_text("-5"), Ok(Some(d("-5"))));
        assert_eq!(parse_amount_text("-"), Ok(None));
        assert_eq!(parse_amount_text(""), Ok(None));
        assert_eq!(parse_amount_text("0.00"), Ok(Some(d("0.00"))));
        assert_eq!(parse_amount_text("abc"), Err(()));
        assert_eq!(parse_amount_text("1.2.3"), Err(()));
    }

    #[test]
    fn amounts_format_like_the_published_tables() {
        assert_eq!(format_amount(d("48215638")), "48,215,638");
        assert_eq!(format_amount(d("936000.5")), "936,000.50");
        assert_eq!(format_amount(d("-1200")), "-1,200");
        assert_eq!(format_amount(d("0")), "0");
        assert_eq!(format_wan(d("18792776")), "1,879.28");
        assert_eq!(format_wan(d("5776000")), "577.60");
    }
}
