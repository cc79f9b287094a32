//! Text normalisation for matching labels, titles and prose: full-width forms to ASCII, no
//! whitespace, no quotation marks. Used only to *compare* text; names and labels kept in the
//! model are the submitted text, trimmed.
//!
//! Not for amounts (see `amounts`) or codes (see `codes`).

use crate::grid::CellValue;
use crate::money::fullwidth_to_ascii;
use std::borrow::Cow;

/// The comparable form of a label: full-width ASCII variants mapped to ASCII (`（）：０`),
/// all whitespace (including U+3000) and quotation marks (`“”‘’"'「」`) removed.
pub(crate) fn norm(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    norm_into(&mut out, s);
    out
}

/// True for the bytes at which `norm` may change the text: ASCII whitespace and quotes, and
/// the lead bytes of the few Unicode blocks holding the other characters it drops or maps
/// (U+0080–U+00BF, which has U+0085 and U+00A0; U+1000–U+3FFF, which has the other spaces,
/// the quotation marks and U+3000; U+F000–U+FFFF, which has the full-width forms). Never a
/// UTF-8 continuation byte, so always at a character boundary. Plain CJK text has none, and is
/// copied in runs instead of character by character.
fn may_change(b: u8) -> bool {
    // Written without branches (`|`, not `||`) so that testing a chunk of bytes vectorises.
    (b.wrapping_sub(b'\t') <= b'\r' - b'\t')
        | (b == b' ')
        | (b == b'"')
        | (b == b'\'')
        | (b == 0xC2)
        | (b.wrapping_sub(0xE1) <= 0xE3 - 0xE1)
        | (b == 0xEF)
}

/// The index of the first byte of `bytes` at which `norm` may change the text. Bytes are
/// tested a chunk at a time without stopping early (which compiles to vector compares), and
/// one by one only in the chunk that has one: prose is long and mostly plain.
fn first_may_change(bytes: &[u8]) -> Option<usize> {
    const CHUNK: usize = 16;
    let mut chunks = bytes.chunks_exact(CHUNK);
    let mut start = 0;
    for chunk in &mut chunks {
        if chunk
            .iter()
            .fold(0u8, |any, &b| any | u8::from(may_change(b)))
            != 0
        {
            return chunk.iter().position(|&b| may_change(b)).map(|i| start + i);
        }
        start += CHUNK;
    }
    let rest = chunks.remainder().iter().position(|&b| may_change(b));
    rest.map(|i| start + i)
}

/// What `norm` writes for `c`: its ASCII form for a full-width one, `None` for one it drops
/// (whitespace and quotation marks, after that mapping).
pub(crate) fn kept_char(c: char) -> Option<char> {
    let c = fullwidth_to_ascii(c);
    (!c.is_whitespace() && !is_quote(c)).then_some(c)
}

/// True for a character `norm` drops (see [`kept_char`]).
pub(crate) fn is_dropped(c: char) -> bool {
    kept_char(c).is_none()
}

/// The comparable form of a row's text cells joined: `norm` of the concatenated `cell_text`s,
/// built in one buffer without a String per cell.
pub(crate) fn norm_row(cells: &[CellValue]) -> String {
    // Room for every text and the digits of the largest whole number (below 10^12).
    let room = cells
        .iter()
        .map(|value| match value {
            CellValue::Text(t) => t.len(),
            CellValue::Number(_) => 12,
            _ => 0,
        })
        .sum();
    let mut out = String::with_capacity(room);
    for value in cells {
        match value {
            // `norm` drops whitespace, so trimming first changes nothing.
            CellValue::Text(t) => norm_into(&mut out, t),
            CellValue::Number(f) => {
                if let Some(digits) = whole_number_text(*f) {
                    out.push_str(&digits);
                }
            }
            _ => {}
        }
    }
    out
}

/// The first `max_chars` characters of `norm_row(cells)`, without normalising the rest.
pub(crate) fn norm_row_prefix(cells: &[CellValue], max_chars: usize) -> String {
    let mut out = String::with_capacity(4 * max_chars);
    let mut count = 0;
    for value in cells {
        let number;
        let text = match value {
            CellValue::Text(t) => t.as_str(),
            CellValue::Number(f) => match whole_number_text(*f) {
                Some(digits) => {
                    number = digits;
                    number.as_str()
                }
                None => continue,
            },
            _ => continue,
        };
        for c in text.chars().filter_map(kept_char) {
            if count == max_chars {
                return out;
            }
            out.push(c);
            count += 1;
        }
    }
    out
}

/// Appends `norm(s)` to `out` (a buffer reused across cells): runs of characters `norm` keeps
/// as they are are copied whole, only the characters at [`may_change`] bytes one by one.
pub(crate) fn norm_into(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(at) = first_may_change(rest.as_bytes()) {
        let Some((plain, tail)) = rest.split_at_checked(at) else {
            break;
        };
        out.push_str(plain);
        let mut chars = tail.chars();
        if let Some(c) = chars.next().and_then(kept_char) {
            out.push(c);
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// Appends an end of `norm(s)` of at least `min_chars` characters to `out` (all of it when it
/// is shorter): a short text is normalised whole, a long one only from where its last
/// `min_chars` kept characters start. Spares long prose cells the full normalising when only a
/// short label or the end of one can matter.
pub(crate) fn norm_end_into(out: &mut String, s: &str, min_chars: usize) {
    // Every kept character takes at most four bytes.
    if s.len() <= 4 * min_chars {
        norm_into(out, s);
        return;
    }
    let mut kept = 0;
    for (at, c) in s.char_indices().rev() {
        if is_dropped(c) {
            continue;
        }
        kept += 1;
        if kept == min_chars {
            norm_into(out, s.get(at..).unwrap_or(""));
            return;
        }
    }
    norm_into(out, s);
}

/// True when `norm` of the concatenated parts has more than `max_chars` characters, counted
/// without building it.
pub(crate) fn norm_longer_than<'a>(
    parts: impl IntoIterator<Item = &'a str>,
    max_chars: usize,
) -> bool {
    let mut kept = 0;
    for part in parts {
        // Every character, less those `norm` drops (each at a byte it may change).
        kept += part.chars().count();
        let mut rest = part;
        while let Some(at) = first_may_change(rest.as_bytes()) {
            let mut chars = rest.get(at..).unwrap_or("").chars();
            if chars.next().is_some_and(is_dropped) {
                kept -= 1;
            }
            rest = chars.as_str();
        }
    }
    kept > max_chars
}

/// `norm` of the concatenated parts, without building the concatenation.
pub(crate) fn norm_joined<'a, I>(parts: I) -> String
where
    I: IntoIterator<Item = &'a str>,
    I::IntoIter: Clone,
{
    let parts = parts.into_iter();
    let mut out = String::with_capacity(parts.clone().map(str::len).sum());
    for part in parts {
        norm_into(&mut out, part);
    }
    out
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '‘' | '’' | '「' | '」' | '『' | '』' | '〝' | '〞'
    )
}

/// The text of a cell for label matching: text trimmed, whole numbers without decimals
/// (codes typed as numbers), nothing for other kinds.
pub(crate) fn cell_text(value: &CellValue) -> Option<String> {
    cell_str(value).map(Cow::into_owned)
}

/// `cell_text` borrowing a text cell's text instead of copying it.
pub(crate) fn cell_str(value: &CellValue) -> Option<Cow<'_, str>> {
    match value {
        CellValue::Text(t) => {
            let t = t.trim();
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        CellValue::Number(f) => whole_number_text(*f).map(Cow::Owned),
        _ => None,
    }
}

/// `201.0` → "201"; None for fractions, negatives and huge values.
pub(crate) fn whole_number_text(f: f64) -> Option<String> {
    is_whole_number(f).then(|| (f as u64).to_string())
}

/// Whether [`whole_number_text`] gives a text for `f`.
fn is_whole_number(f: f64) -> bool {
    (0.0..1e12).contains(&f) && f.fract() == 0.0
}

/// The first plausible budget year written as `2024年` in the text.
pub(crate) fn year_in(text: &str) -> Option<u16> {
    // The five characters before the current one, oldest first ('\0' before the text).
    let mut window = ['\0'; 5];
    for c in text.chars().map(fullwidth_to_ascii) {
        if c == '年' {
            let [before, digits @ ..] = window;
            if !before.is_ascii_digit() && digits.iter().all(char::is_ascii_digit) {
                let year = digits
                    .iter()
                    .filter_map(|d| d.to_digit(10))
                    .fold(0u32, |y, d| y * 10 + d);
                if (1990..=2100).contains(&year) {
                    return u16::try_from(year).ok();
                }
            }
        }
        window.rotate_left(1);
        window[4] = c;
    }
    None
}

/// Strips list numbering from a printed label: `一、`, `1、`, `1.`, `（一）`, `(1)`.
pub(crate) fn strip_numbering(label: &str) -> String {
    let t = label.trim();
    let is_num =
        |c: char| c.is_ascii_digit() || "一二三四五六七八九十０１２３４５６７８９".contains(c);
    // (一) / （一）
    if let Some(inner) = t.strip_prefix(['(', '（']) {
        if let Some(close) = inner.find([')', '）'])
            && let (Some(number), Some(after)) = (inner.get(..close), inner.get(close..))
            && !number.is_empty()
            && number.chars().all(is_num)
        {
            let rest = after.strip_prefix([')', '）']).unwrap_or(after);
            return rest.trim().to_string();
        }
        return t.to_string();
    }
    let digits_end = t
        .char_indices()
        .find(|(_, c)| !is_num(*c))
        .map_or(t.len(), |(at, _)| at);
    if digits_end > 0
        && let Some(after) = t.get(digits_end..)
        && let Some(rest) = after.strip_prefix(['、', '.', '．', ')', '）', ',', '，'])
    {
        return rest.trim().to_string();
    }
    t.to_string()
}

/// How many leading characters of a normalised line `is_note` looks at: its longest start
/// (5) and one more, to tell a lone `注` from a longer line.
pub(crate) const NOTE_PREFIX_CHARS: usize = 6;

/// True for a note or signature line, which ends a table: `注：…`, `说明：…`, `单位负责人：…`.
/// Only the first [`NOTE_PREFIX_CHARS`] characters matter.
pub(crate) fn is_note(normalised: &str) -> bool {
    NOTE_STARTS.iter().any(|s| normalised.starts_with(s)) || normalised == "注"
}

/// How a note or signature line's normalised text starts (see [`is_note`]).
const NOTE_STARTS: [&str; 12] = [
    "注:",
    "注1",
    "注2",
    "注:",
    "注、",
    "备注",
    "说明:",
    "单位负责人",
    "财务负责人",
    "制表人",
    "填表人",
    "审核人",
];

/// False when `norm_row(cells)` cannot be a note, judged by its first character alone: spares
/// data rows building the prefix [`is_note`] needs.
pub(crate) fn may_be_note(cells: &[CellValue]) -> bool {
    for value in cells {
        match value {
            CellValue::Text(t) => {
                if let Some(first) = t.chars().find_map(kept_char) {
                    return first == '注' || NOTE_STARTS.iter().any(|s| s.starts_with(first));
                }
            }
            // A whole number's digits start the text, and no note starts with a digit.
            CellValue::Number(f) if is_whole_number(*f) => return false,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_row_is_norm_of_the_joined_cell_texts() {
        let cells = vec![
            CellValue::Text(" 表３ ".into()),
            CellValue::Empty,
            CellValue::Number(2024.0),
            CellValue::Number(1.5),
            CellValue::Text("“部门” 支出（单位：元）".into()),
            CellValue::Bool(true),
        ];
        let joined: String = cells.iter().filter_map(cell_text).collect();
        assert_eq!(norm_row(&cells), norm(&joined));
        assert_eq!(norm_row(&cells), "表32024部门支出(单位:元)");
        for n in 0..20 {
            let prefix: String = norm_row(&cells).chars().take(n).collect();
            assert_eq!(norm_row_prefix(&cells, n), prefix);
        }
        let mut buf = String::from("x");
        norm_into(&mut buf, " “部门” 支出（单位：元）");
        assert_eq!(buf, format!("x{}", norm(" “部门” 支出（单位：元）")));
        assert_eq!(
            norm_joined(["（一）", " 合　计 ", "“a”"]),
            norm("（一） 合　计 “a”")
        );
    }

    #[test]
    fn text_copied_in_runs_is_text_norm_would_not_change() {
        // Every character up to U+FFFF and a few beyond, alone and inside plain text.
        let slow = |s: &str| -> String {
            s.chars()
                .map(fullwidth_to_ascii)
                .filter(|c| !c.is_whitespace() && !is_quote(*c))
                .collect()
        };
        for c in (0..=0xFFFF_u32)
            .chain(0x1_0000..0x1_0100)
            .filter_map(char::from_u32)
        {
            for s in [
                c.to_string(),
                format!("支出{c}合计"),
                format!("{c} “{c}”{c}"),
            ] {
                assert_eq!(norm(&s), slow(&s), "U+{:04X}", c as u32);
            }
            let copied = !c.to_string().bytes().any(may_change);
            if copied {
                assert_eq!(slow(&c.to_string()), c.to_string(), "U+{:04X}", c as u32);
            }
        }
        assert!(!"一般公共服务支出".bytes().any(may_change));
        assert!("因公出国（境）费".bytes().any(may_change));
    }

    #[test]
    fn tails_and_lengths_of_the_normalised_text() {
        for s in [
            "",
            " ",
            "合计",
            " “部门” 支出（单位：元） ",
            "一般公共预算基本支出部门预算经济分类科目编码",
            "\u{3000}a b\u{3000}c ",
        ] {
            let whole = norm(s);
            let count = whole.chars().count();
            for n in 0..30 {
                let mut out = String::from("x");
                norm_end_into(&mut out, s, n);
                let end = out.strip_prefix('x').unwrap();
                assert!(whole.ends_with(end), "{s:?} {n}");
                assert!(end == whole || end.chars().count() >= n, "{s:?} {n}");
                assert_eq!(norm_longer_than([s, s], n), 2 * count > n, "{s:?} {n}");
            }
        }
    }

    #[test]
    fn labels_compare_without_width_space_or_quotes() {
        assert_eq!(norm("事业单位 经营收入"), "事业单位经营收入");
        assert_eq!(norm("部门“三公”经费"), "部门三公经费");
        assert_eq!(norm("因公出国（境）费"), "因公出国(境)费");
        assert_eq!(norm("单位：万元"), "单位:万元");
        assert_eq!(norm("\u{3000}合\u{3000}计 "), "合计");
    }

    #[test]
    fn years_come_from_four_digits_before_nian() {
        assert_eq!(year_in("2024年部门收入预算总表"), Some(2024));
        assert_eq!(year_in("上海市２０２６年市级部门预算"), Some(2026));
        assert_eq!(year_in("12024年"), None);
        assert_eq!(year_in("部门收入预算总表"), None);
        assert_eq!(year_in("1890年与2024年"), Some(2024));
        assert_eq!(year_in("2024年"), Some(2024));
        assert_eq!(year_in("024年"), None);
        assert_eq!(year_in("a2024年"), Some(2024));
    }

    #[test]
    fn numbering_is_stripped() {
        assert_eq!(strip_numbering("一、一般公共服务支出"), "一般公共服务支出");
        assert_eq!(strip_numbering("十二、住房保障支出"), "住房保障支出");
        assert_eq!(strip_numbering("1、一般公共预算资金"), "一般公共预算资金");
        assert_eq!(strip_numbering("（一）因公出国"), "因公出国");
        assert_eq!(strip_numbering("住房保障支出"), "住房保障支出");
        assert_eq!(strip_numbering("一般公共服务支出"), "一般公共服务支出");
        assert_eq!(strip_numbering("(1) 上年结转"), "上年结转");
        assert_eq!(strip_numbering("（）空"), "（）空");
        assert_eq!(strip_numbering("（一支出"), "（一支出");
        assert_eq!(strip_numbering("(a)支出"), "(a)支出");
        assert_eq!(strip_numbering("12"), "12");
        assert_eq!(strip_numbering("１２，收入"), "收入");
        assert_eq!(strip_numbering("、收入"), "、收入");
    }

    #[test]
    fn notes_and_signatures_are_recognised() {
        assert!(is_note(&norm("注：本部门无政府性基金")));
        assert!(is_note(&norm("单位负责人：张三")));
        assert!(!is_note(&norm("住房保障支出")));
        for line in [
            "注",
            "注：",
            "注1本表",
            "单位负责人：张三",
            "单位负责",
            "注意事项",
            "备",
        ] {
            let n = norm(line);
            let prefix: String = n.chars().take(NOTE_PREFIX_CHARS).collect();
            assert_eq!(is_note(&prefix), is_note(&n), "{line}");
        }
    }

    #[test]
    fn only_rows_starting_like_a_note_may_be_one() {
        let text = |t: &str| CellValue::Text(t.into());
        let rows = [
            vec![text(" “注”：本表"), CellValue::Number(1.0)],
            vec![CellValue::Empty, text("  "), text("　说明：")],
            vec![text("单位负责人："), text("张三")],
            vec![text("审核人")],
            vec![text("注")],
            vec![CellValue::Number(201.0), text("注：")],
            vec![CellValue::Number(0.5), text("注：")],
            vec![text("住房保障支出"), CellValue::Number(3.0)],
            vec![text("")],
            vec![],
        ];
        for row in rows {
            let note = is_note(&norm_row(&row));
            assert!(may_be_note(&row) || !note, "{row:?}");
        }
        assert!(!may_be_note(&[text("住房保障支出")]));
        assert!(!may_be_note(&[CellValue::Number(201.0), text("注：")]));
        assert!(may_be_note(&[CellValue::Number(0.5), text("注：")]));
    }

    #[test]
    fn cells_give_text_or_whole_numbers() {
        assert_eq!(cell_text(&CellValue::Number(201.0)), Some("201".into()));
        assert_eq!(cell_text(&CellValue::Number(2.5)), None);
        assert_eq!(
            cell_text(&CellValue::Text("  行政运行 ".into())),
            Some("行政运行".into())
        );
        assert_eq!(cell_text(&CellValue::Text("  ".into())), None);
    }
}
