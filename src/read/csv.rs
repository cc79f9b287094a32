//! Text inputs: decoding (UTF-8 with or without BOM, UTF-16 with BOM, GBK/GB18030 detected with
//! chardetng), delimiter sniffing (comma, tab, semicolon), and parsing CSV/TSV into one grid
//! whose sheet is the file stem. Also decides whether a text file is a published disclosure
//! document rather than a table (that text goes to `text::disclosure_text`).
//!
//! Not for interpreting values: every non-empty field stays `CellValue::Text` exactly as written
//! (amounts like "1,234.00" are the recogniser's business, and text keeps them exact), except
//! that an Excel text formula `="0201"` is the text it shows, `0201`.

use super::{ReadError, sniff::has_extension};
use crate::grid::{CellValue, Grid};
use encoding_rs::{BIG5, Encoding, GB18030};
use std::borrow::Cow;

/// How many leading bytes the encoding detector looks at; plenty for any real submission.
const DETECT_BYTES: usize = 1 << 20;
/// How many lines the delimiter and disclosure sniffers look at.
const SNIFF_LINES: usize = 200;

/// Decodes text bytes, or explains that they are not text in an encoding we know.
pub fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, ReadError> {
    let unknown = || ReadError::UnknownEncoding { file: file.into() };
    let text = if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let body = bytes.get(bom..).unwrap_or_default();
        encoding
            .decode_without_bom_handling_and_without_replacement(body)
            .ok_or_else(unknown)?
    } else if let Ok(text) = std::str::from_utf8(bytes) {
        Cow::Borrowed(text)
    } else {
        decode_legacy(bytes).ok_or_else(unknown)?
    };
    if looks_binary(&text) {
        return Err(unknown());
    }
    Ok(text)
}

/// Non-UTF-8 text: Chinese legacy encodings only. GBK is decoded with the GB18030 decoder (a
/// superset, and what Excel and WPS on Windows actually write). Big5 is considered only for
/// text that is valid Big5, and only then is the (costly) encoding detector run: GBK budget
/// text rarely is (人, GBK C8CB, has no Big5 mapping; nor do GBK's trail bytes 0x80-0xA0).
fn decode_legacy(bytes: &[u8]) -> Option<Cow<'_, str>> {
    match BIG5.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(big5) if detects_big5(bytes) => Some(big5),
        _ => GB18030.decode_without_bom_handling_and_without_replacement(bytes),
    }
}

/// Whether the detector is sure the bytes are Big5 rather than GB18030/GBK.
fn detects_big5(bytes: &[u8]) -> bool {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = bytes.get(..DETECT_BYTES).unwrap_or(bytes);
    detector.feed(sample, sample.len() == bytes.len());
    // Big5 only when the detector is sure of it; GB18030 also for other guesses: short Chinese
    // text is sometimes misdetected, and a strict decode rejects what is not GB18030.
    detector.guess(Some(b"cn"), chardetng::Utf8Detection::Deny) == BIG5
}

/// Text with NULs or many control characters is binary that happened to decode.
fn looks_binary(text: &str) -> bool {
    let mut controls = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(64 * 1024) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c') {
            controls += 1;
        }
    }
    controls * 100 > total
}

/// Whether text is a published disclosure document (prose with tab-separated tables) rather
/// than one table: at least five prose lines making up a tenth of the non-empty lines.
pub fn looks_like_disclosure(text: &str) -> bool {
    let mut lines = 0usize;
    let mut prose = 0usize;
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(SNIFF_LINES)
    {
        lines += 1;
        let long = line.trim().chars().count() >= 12;
        if long && !line.contains('\t') && (line.contains('。') || !line.contains(',')) {
            prose += 1;
        }
    }
    prose >= 5 && prose * 10 >= lines
}

/// The field delimiter: whichever of tab, comma and semicolon (outside quotes) appears on the
/// most lines, then the most often; ties go to the extension's own delimiter.
pub fn sniff_delimiter(file: &str, text: &str) -> u8 {
    let preferred: [u8; 3] = if has_extension(file, "csv") {
        [b',', b'\t', b';']
    } else {
        [b'\t', b',', b';']
    };
    let mut best = (preferred[0], 0usize, 0usize);
    for &delimiter in &preferred {
        let (mut lines, mut total) = (0usize, 0usize);
        for line in text.lines().take(SNIFF_LINES) {
            let n = count_unquoted(line, delimiter);
            lines += usize::from(n > 0);
            total += n;
        }
        if (lines, total) > (best.1, best.2) {
            best = (delimiter, lines, total);
        }
    }
    best.0
}

/// Occurrences of `delimiter` in `line` outside double quotes.
fn count_unquoted(line: &str, delimiter: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for &b in line.as_bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == delimiter && !quoted {
            n += 1;
        }
    }
    n
}

/// Parses delimited text into one grid named after the file stem.
pub fn parse(file: &str, sheet: &str, text: &str, delimiter: u8) -> Result<Grid, ReadError> {
    let mut grid = Grid::new(file, sheet);
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => grid.rows.push(row_of(&record)),
            Ok(false) => break,
            Err(e) => {
                return Err(ReadError::Corrupt {
                    file: file.into(),
                    detail: format!("第 {} 行无法解析：{e}", grid.rows.len() + 1),
                });
            }
        }
    }
    Ok(grid)
}

/// One record as a row of cells, without trailing empty cells.
fn row_of(record: &::csv::StringRecord) -> Vec<CellValue> {
    let used = record
        .iter()
        .enumerate()
        .filter(|(_, f)| !excel_text(f).is_empty())
        .last()
        .map_or(0, |(last, _)| last + 1);
    record
        .iter()
        .take(used)
        .map(|f| match excel_text(f) {
            "" => CellValue::Empty,
            f => CellValue::Text(f.to_owned()),
        })
        .collect()
}

/// The text of a field written as an Excel text formula, `="0201"` (how finance systems and
/// people keep leading zeros in a CSV; Excel shows the cell as `0201`); any other field as is.
fn excel_text(field: &str) -> &str {
    field
        .strip_prefix("=\"")
        .and_then(|f| f.strip_suffix('"'))
        .filter(|inner| !inner.contains('"'))
        .unwrap_or(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(v: &CellValue) -> &str {
        match v {
            CellValue::Text(t) => t,
            _ => "",
        }
    }

    #[test]
    fn delimiters() {
        assert_eq!(sniff_delimiter("a.csv", "a,b,c\n1,2,3\n"), b',');
        assert_eq!(sniff_delimiter("a.csv", "a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("a.txt", "a;b;c\n1;2;3\n"), b';');
        // Commas inside quotes do not count.
        assert_eq!(sniff_delimiter("a.txt", "a;\"1,234\"\nb;\"5,678\"\n"), b';');
        // A single column falls back to the extension's delimiter.
        assert_eq!(sniff_delimiter("a.tsv", "abc\n"), b'\t');
    }

    #[test]
    fn parse_keeps_text_and_positions() {
        let g = parse("x.csv", "x", "标题,,\n项目,\"1,234.00\",\n,,5\n", b',').unwrap();
        assert_eq!(g.rows.len(), 3);
        assert_eq!(text(g.cell(0, 0)), "标题");
        assert_eq!(g.rows[0].len(), 1);
        assert_eq!(text(g.cell(1, 1)), "1,234.00");
        assert_eq!(g.cell(2, 0), &CellValue::Empty);
        assert_eq!(text(g.cell(2, 2)), "5");
    }

    #[test]
    fn decodes_gbk_and_rejects_binary() {
        let (gbk, _, _) = encoding_rs::GBK.encode("项目,金额\n一般公共服务支出,100\n");
        assert_eq!(
            decode("a.csv", &gbk).unwrap(),
            "项目,金额\n一般公共服务支出,100\n"
        );
        assert!(decode("a.csv", b"\x00\x01\x02abc").is_err());
        assert!(decode("a.csv", b"\xff\xfe\x00\xd8").is_err());
        assert_eq!(decode("a.csv", b"\xef\xbb\xbfa,b").unwrap(), "a,b");
    }

    #[test]
    fn big5_is_considered_only_when_valid() {
        // Not valid Big5 (人 is C8CB, unmapped in Big5): GB18030, without the detector.
        let (gbk, _, _) = encoding_rs::GBK.encode("人员经费,100\n");
        assert!(
            BIG5.decode_without_bom_handling_and_without_replacement(&gbk)
                .is_none()
        );
        assert_eq!(decode("a.csv", &gbk).unwrap(), "人员经费,100\n");
        // Valid Big5 goes to the detector, which (told the text is from China) keeps GB18030
        // unless it is sure of Big5.
        let (big5, _, _) = BIG5.encode("項目,金額\n一般公共服務支出,100\n");
        let detected = if detects_big5(&big5) { BIG5 } else { GB18030 };
        let expected = detected
            .decode_without_bom_handling_and_without_replacement(&big5)
            .unwrap();
        assert_eq!(decode("a.csv", &big5).unwrap(), expected);
    }

    #[test]
    fn disclosure_detection() {
        let prose = "上海市人民政府合作交流办公室是市政府直属机构，主要职能如下。\n".repeat(6);
        assert!(looks_like_disclosure(&format!("{prose}项目\t金额\n")));
        assert!(!looks_like_disclosure(
            "项目\t金额\n一般公共服务支出\t100\n"
        ));
    }
}
