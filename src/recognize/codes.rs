//! Classification codes as submitters write them: split over 类/款/项 cells (`201`|`03`|`01`,
//! 款 without its leading zero `2`), joined (`2010301`), spaced (`201 03 01`), bracketed
//! (`[2010301]行政运行`) or as a prefix of the name (`2010301 行政运行`).
//!
//! Only turns text into a [`Code`] plus the rest of the text; whether the code exists in the
//! reference lists is for `check` to say.

use crate::model::Code;
use crate::money::fullwidth_to_ascii;

/// A code at the start of `text` and the text after it (the name, trimmed): `[2010301]行政运行`
/// → (2010301, "行政运行"); `301  2` → (30102, ""). None when the text does not start with
/// a code. The name is a slice of `text`, in its own (full-width) characters.
pub(crate) fn split_code(text: &str) -> Option<(Code, &str)> {
    let text = without_float_zeros(text.trim());
    // Characters with their byte offsets, full-width forms read as ASCII.
    let mut chars = text
        .char_indices()
        .map(|(at, c)| (at, fullwidth_to_ascii(c)))
        .peekable();
    while chars
        .next_if(|(_, c)| is_open(*c) || c.is_whitespace())
        .is_some()
    {}
    let mut digits = Digits::default();
    let mut groups = 0;
    loop {
        let mut group = Digits::default();
        while let Some((_, d)) = chars.next_if(|(_, c)| c.is_ascii_digit()) {
            group.push(d);
        }
        if group.len == 0 {
            break;
        }
        groups += 1;
        if !digits.add_group(&group) {
            return None;
        }
        // Look past separators for another digit group.
        let mut rest = chars.clone();
        let mut separated = false;
        while rest.next_if(|(_, c)| is_separator(*c)).is_some() {
            separated = true;
        }
        if separated && groups < 3 && rest.peek().is_some_and(|(_, c)| c.is_ascii_digit()) {
            chars = rest;
        } else {
            break;
        }
    }
    let code = Code::new(digits.as_str())?;
    while chars
        .next_if(|(_, c)| is_close(*c) || is_separator(*c) || matches!(c, ':' | '、'))
        .is_some()
    {}
    let rest = chars
        .peek()
        .map_or("", |(at, _)| text.get(*at..).unwrap_or(""));
    Some((code, rest.trim()))
}
/// A code from the 类, 款 and 项 cells of one row (any may be blank). A blank 类 (or 类 and 款)
/// is taken from `previous`, the last code read in the same table, as indented layouts do.
pub(crate) fn from_parts(parts: [&str; 3], previous: Option<&Code>) -> Option<Code> {
    let parts = parts.map(|p| without_float_zeros(p.trim()));
    if parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
        return from_digit_parts(parts, previous);
    }
    from_text_parts(parts, previous)
}

/// `from_parts` of cells that are blank or plain digits (most are), as the text path reads
/// them but without joining them into a text to split again.
fn from_digit_parts(parts: [&str; 3], previous: Option<&Code>) -> Option<Code> {
    let filled = || parts.iter().copied().filter(|p| !p.is_empty());
    let last = filled().next_back()?;
    // A full code repeated in its own column (`20103` under 款, `2010301` under 项).
    if matches!(last.len(), 3 | 5 | 7) && (filled().count() == 1 || last.len() > 3) {
        return Code::new(last);
    }
    let [lei, kuan, xiang] = parts;
    if lei.is_empty() {
        let previous = previous?.as_str();
        let prefix = if kuan.is_empty() {
            previous.get(..5)?
        } else {
            previous.get(..3)?
        };
        return code_of_groups(prefix, [kuan, xiang]);
    }
    code_of_groups(lei, [kuan, xiang])
}

/// The code `split_code` reads from digit groups written apart (`201 3 01`): the first as
/// written (3, 5 or 7 digits), each further non-blank one of one or two digits, padded to two.
fn code_of_groups(first: &str, more: [&str; 2]) -> Option<Code> {
    if !matches!(first.len(), 3 | 5 | 7) {
        return None;
    }
    let mut digits = Digits::default();
    first.chars().for_each(|d| digits.push(d));
    for group in more.iter().filter(|g| !g.is_empty()) {
        if group.len() > 2 || digits.len + 2 > 7 {
            return None;
        }
        if group.len() == 1 {
            digits.push('0');
        }
        group.chars().for_each(|d| digits.push(d));
    }
    Code::new(digits.as_str())
}

/// `from_parts` of cells that are not all plain digits (`[201`, `03.`, `2010301 行政运行`):
/// joined with spaces and read as one text.
fn from_text_parts(parts: [&str; 3], previous: Option<&Code>) -> Option<Code> {
    let filled: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    let last = filled.last()?;
    // A full code repeated in its own column (`20103` under 款, `2010301` under 项).
    if let Some((code, rest)) = split_code(last)
        && rest.is_empty()
        && (filled.len() == 1 || code.as_str().len() > 3)
    {
        return Some(code);
    }
    if parts[0].is_empty() {
        let previous = previous?;
        let prefix = if parts[1].is_empty() {
            previous.as_str().get(..5)?
        } else {
            previous.as_str().get(..3)?
        };
        let tail: Vec<&str> = parts[1..]
            .iter()
            .copied()
            .filter(|p| !p.is_empty())
            .collect();
        let joined = format!("{prefix} {}", tail.join(" "));
        return split_code(&joined)
            .filter(|(_, rest)| rest.is_empty())
            .map(|(c, _)| c);
    }
    split_code(&filled.join(" "))
        .filter(|(_, rest)| rest.is_empty())
        .map(|(c, _)| c)
}

/// A code cell written by a program that stored it as a float (`201.0`, `3.0`, `2010301.00`,
/// as pandas writes CSV) is the whole number; any other text is returned as is. The text comes
/// trimmed.
fn without_float_zeros(text: &str) -> &str {
    // Most texts are names (no number at all) or plain digits.
    if !text.starts_with(|c: char| c.is_ascii_digit()) || text.bytes().all(|b| b.is_ascii_digit()) {
        return text;
    }
    match text.split_once('.') {
        Some((int, zeros))
            if !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && !zeros.is_empty()
                && zeros.bytes().all(|b| b == b'0') =>
        {
            int
        }
        _ => text,
    }
}

/// Digits read for a code: up to 7 kept (a 项 code), `len` counts them all so that a longer
/// run is seen to be no code.
#[derive(Debug, Clone, Copy, Default)]
struct Digits {
    bytes: [u8; 7],
    len: usize,
}

impl Digits {
    fn push(&mut self, digit: char) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = digit as u8;
        }
        self.len += 1;
    }

    /// Adds a digit group to the code: the first as written (3, 5 or 7 digits), each further
    /// one of one or two digits padded to two (`301 2` → 30102); false when the groups cannot
    /// make a code.
    fn add_group(&mut self, group: &Digits) -> bool {
        if self.len == 0 {
            *self = *group;
            return matches!(group.len, 3 | 5 | 7);
        }
        if group.len > 2 || self.len + 2 > 7 {
            return false;
        }
        if group.len == 1 {
            self.push('0');
        }
        for &d in group.bytes.iter().take(group.len) {
            self.push(char::from(d));
        }
        true
    }

    /// The digits, or "" when there were more than fit a code.
    fn as_str(&self) -> &str {
        self.bytes
            .get(..self.len)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }
}

fn is_open(c: char) -> bool {
    matches!(c, '[' | '【' | '(' | '〔' | '<' | '{')
}

fn is_close(c: char) -> bool {
    matches!(c, ']' | '】' | ')' | '〕' | '>' | '}')
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '|' | '-' | '.' | '/' | '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> Code {
        Code::new(s).unwrap()
    }

    fn parse(s: &str) -> Option<(String, String)> {
        split_code(s).map(|(c, r)| (c.to_string(), r.to_string()))
    }

    #[test]
    fn joined_spaced_bracketed_and_prefixed_codes() {
        assert_eq!(parse("2010301"), Some(("2010301".into(), "".into())));
        assert_eq!(parse("201 03 01"), Some(("2010301".into(), "".into())));
        assert_eq!(
            parse("[2010301]行政运行"),
            Some(("2010301".into(), "行政运行".into()))
        );
        assert_eq!(
            parse("【20103】政府办公厅"),
            Some(("20103".into(), "政府办公厅".into()))
        );
        assert_eq!(
            parse("2010301 行政运行"),
            Some(("2010301".into(), "行政运行".into()))
        );
        assert_eq!(
            parse("　201　一般公共服务支出"),
            Some(("201".into(), "一般公共服务支出".into()))
        );
        assert_eq!(
            parse("２０１０３０１行政运行"),
            Some(("2010301".into(), "行政运行".into()))
        );
    }

    #[test]
    fn codes_written_as_floats_are_whole_numbers() {
        assert_eq!(
            from_parts(["201.0", "3.0", "1.0"], None),
            Some(code("2010301"))
        );
        assert_eq!(
            from_parts(["2010301.00", "", ""], None),
            Some(code("2010301"))
        );
        assert_eq!(parse("2010301.0"), Some(("2010301".into(), String::new())));
    }

    #[test]
    fn kuan_without_leading_zero_is_padded() {
        assert_eq!(parse("301  2"), Some(("30102".into(), "".into())));
        assert_eq!(parse("301 | 2"), Some(("30102".into(), "".into())));
        assert_eq!(parse("201 3 1"), Some(("2010301".into(), "".into())));
    }

    #[test]
    fn non_codes_are_refused() {
        assert_eq!(parse("合计"), None);
        assert_eq!(parse("2、政府性基金"), None);
        assert_eq!(parse("2024年"), None);
        assert_eq!(parse("20103 123"), None);
        assert_eq!(parse("1234"), None);
        assert_eq!(parse(""), None);
    }

    #[test]
    fn split_cells_join_with_padding() {
        assert_eq!(from_parts(["201", "03", "01"], None), Some(code("2010301")));
        assert_eq!(from_parts(["201", "", ""], None), Some(code("201")));
        assert_eq!(from_parts(["301", "2", ""], None), Some(code("30102")));
        assert_eq!(from_parts(["201", "20103", ""], None), Some(code("20103")));
        assert_eq!(
            from_parts(["201", "20103", "2010301"], None),
            Some(code("2010301"))
        );
        assert_eq!(from_parts(["2010301", "", ""], None), Some(code("2010301")));
        assert_eq!(from_parts(["", "", ""], None), None);
        assert_eq!(from_parts(["合计", "", ""], None), None);
    }

    #[test]
    fn digit_cells_read_as_their_joined_text() {
        let cells = [
            "", "0", "2", "02", "12", "123", "201", "2010", "20103", "201030", "2010301",
            "20103011", "3.0", "201.00", " 03 ",
        ];
        let previous = [
            None,
            Some(code("201")),
            Some(code("20103")),
            Some(code("2010301")),
        ];
        for a in cells {
            for b in cells {
                for c in cells {
                    for prev in &previous {
                        let parts = [a, b, c];
                        let trimmed = parts.map(|p| without_float_zeros(p.trim()));
                        assert_eq!(
                            from_parts(parts, prev.as_ref()),
                            from_text_parts(trimmed, prev.as_ref()),
                            "{parts:?} {prev:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn blank_lei_inherits_from_the_previous_code() {
        let prev = code("20103");
        assert_eq!(from_parts(["", "05", ""], Some(&prev)), Some(code("20105")));
        assert_eq!(
            from_parts(["", "03", "02"], Some(&prev)),
            Some(code("2010302"))
        );
        assert_eq!(
            from_parts(["", "", "02"], Some(&prev)),
            Some(code("2010302"))
        );
        assert_eq!(from_parts(["", "05", ""], None), None);
        assert_eq!(from_parts(["", "", "02"], Some(&code("201"))), None);
    }
}
