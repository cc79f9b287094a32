//! Containers for synthetic submissions: puts the blocks of `layout` into an xlsx workbook
//! (one sheet per table or all stacked, extra and hidden sheets, formulas with cached values),
//! a folder of CSV files in GBK/GB18030/UTF-8-BOM, or one TSV file.
//!
//! Not for yusuan's own print-ready output (`write`): these files imitate what units send.

use super::layout::{Block, Fmt, Out};
use super::{Container, CsvEncoding, SheetNames, Style};
use crate::grid::a1;
use crate::model::{Budget, TableId};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};

/// Blank rows between stacked tables.
const STACK_GAP: usize = 2;

/// The files of one rendered submission. An error can only come from a layout of our own that
/// rust_xlsxwriter refuses (a bad merge, an over-long sheet name).
pub(crate) fn files(
    budget: &Budget,
    blocks: &[Block],
    style: &Style,
) -> Result<Vec<(String, Vec<u8>)>, XlsxError> {
    Ok(match style.container {
        Container::Xlsx => vec![("预算.xlsx".to_string(), xlsx(budget, blocks, style)?)],
        Container::Csv(encoding) => blocks
            .iter()
            .map(|b| {
                let name = format!("{}_{}.csv", b.table, b.table.title_stem());
                (name, encode(&csv_text(&b.rows), encoding))
            })
            .collect(),
        Container::Tsv => vec![("预算.tsv".to_string(), tsv(blocks).into_bytes())],
    })
}

/// The text a spreadsheet would export for a cell.
fn cell_text(cell: &Out) -> String {
    match cell {
        Out::Empty => String::new(),
        Out::Text(t) => t.clone(),
        Out::Number(v, fmt) | Out::Sum(_, v, fmt) => match fmt {
            Fmt::Decimals => format!("{v:.2}"),
            Fmt::Integer | Fmt::General => format!("{v}"),
        },
    }
}

fn csv_text(rows: &[Vec<Out>]) -> String {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in rows {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        // An empty record still needs one field to print an empty line.
        let cells = if cells.is_empty() {
            vec![String::new()]
        } else {
            cells
        };
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&cells);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

fn encode(text: &str, encoding: CsvEncoding) -> Vec<u8> {
    match encoding {
        CsvEncoding::Gbk => encoding_rs::GBK.encode(text).0.into_owned(),
        CsvEncoding::Gb18030 => encoding_rs::GB18030.encode(text).0.into_owned(),
        CsvEncoding::Utf8Bom => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
    }
}

fn tsv(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        for row in &block.rows {
            let mut cells: Vec<String> = row.iter().map(cell_text).collect();
            while cells.last().is_some_and(|c| c.is_empty()) {
                cells.pop();
            }
            out.push_str(&cells.join("\t"));
            out.push('\n');
        }
        out.push('\n');
    }
    out
}

/// The sheet name of a table.
fn sheet_name(table: TableId, budget: &Budget, names: SheetNames) -> String {
    match names {
        SheetNames::Biao => table.to_string(),
        SheetNames::Numbered => format!(
            "5.{}{}",
            table.number(),
            table
                .title(None, budget.meta.level)
                .chars()
                .take(26)
                .collect::<String>()
        ),
        SheetNames::Generic => format!("Sheet{}", table.number()),
    }
}

/// Cell formats shared by all sheets.
struct Formats {
    integer: Format,
    decimals: Format,
    general: Format,
    header: Format,
}

fn xlsx(budget: &Budget, blocks: &[Block], style: &Style) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    if let Ok(date) = ExcelDateTime::from_ymd(2024, 1, 1) {
        wb.set_properties(&DocProperties::new().set_creation_datetime(&date));
    }
    let f = Formats {
        integer: Format::new().set_num_format("#,##0"),
        decimals: Format::new().set_num_format("#,##0.00"),
        general: Format::new(),
        header: Format::new().set_align(FormatAlign::Center),
    };
    if style.extra_sheets {
        let year = budget.meta.year.map(|y| y.to_string()).unwrap_or_default();
        let cover = wb.add_worksheet();
        cover.set_name("封面")?;
        cover.write_string(2, 0, format!("上海市{year}年市级部门预算"))?;
        cover.write_string(4, 0, format!("预算单位：{}", budget.meta.entity))?;
        cover.write_string(6, 0, "报送日期：    年  月  日")?;
        let notes = wb.add_worksheet();
        notes.set_name("说明")?;
        for (r, line) in [
            "填报说明",
            "1. 除表9以万元为单位外，各表金额单位以表头所示为准。",
            "2. 功能分类科目按当年政府收支分类科目填列，经济分类科目按部门预算支出经济分类科目填列。",
            "3. 空表请保留表头并注明原因。",
        ]
        .iter()
        .enumerate()
        {
            notes.write_string(r as u32, 0, *line)?;
        }
    }
    if style.stacked {
        let sheet = wb.add_worksheet();
        sheet.set_name("Sheet1")?;
        let mut offset = 0;
        for block in blocks {
            put_block(sheet, block, offset, &f)?;
            offset += block.rows.len() + STACK_GAP;
        }
        widths(sheet)?;
    } else {
        for block in blocks {
            let sheet = wb.add_worksheet();
            sheet.set_name(sheet_name(block.table, budget, style.sheet_names))?;
            put_block(sheet, block, 0, &f)?;
            widths(sheet)?;
        }
    }
    if style.extra_sheets {
        let hidden = wb.add_worksheet();
        hidden.set_name("代码表")?;
        hidden.write_string(0, 0, "科目编码")?;
        hidden.write_string(0, 1, "科目名称")?;
        let codes = budget
            .expenditure
            .lines
            .iter()
            .map(|l| (&l.code, &l.name))
            .chain(budget.economic.lines.iter().map(|l| (&l.code, &l.name)));
        for (r, (code, name)) in codes.enumerate() {
            hidden.write_string(r as u32 + 1, 0, code.as_str())?;
            hidden.write_string(r as u32 + 1, 1, name)?;
        }
        hidden.set_hidden(true);
    }
    wb.save_to_buffer()
}

fn widths(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_column_range_width(0, 12, 14.0)?;
    Ok(())
}

/// Writes a block at row `offset`.
fn put_block(
    sheet: &mut Worksheet,
    block: &Block,
    offset: usize,
    f: &Formats,
) -> Result<(), XlsxError> {
    let row_at = |r: usize| (r + offset) as u32;
    for (r, row) in block.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (rr, cc) = (row_at(r), c as u16);
            let fmt = |k: &Fmt| match k {
                Fmt::Integer => &f.integer,
                Fmt::Decimals => &f.decimals,
                Fmt::General => &f.general,
            };
            match cell {
                Out::Empty => Ok(&mut *sheet),
                Out::Text(t) => sheet.write_string(rr, cc, t),
                Out::Number(v, k) => sheet.write_number_with_format(rr, cc, *v, fmt(k)),
                Out::Sum(refs, _, k) => {
                    let terms: Vec<String> = refs.iter().map(|r| a1(r + offset, c)).collect();
                    let text = if terms.is_empty() {
                        "=0".to_string()
                    } else {
                        format!("={}", terms.join("+"))
                    };
                    let formula = Formula::new(text).set_result(cell_text(cell));
                    sheet.write_formula_with_format(rr, cc, formula, fmt(k))
                }
            }?;
        }
    }
    for m in &block.merges {
        let text = block
            .rows
            .get(m[0])
            .and_then(|r| r.get(m[1]))
            .map(cell_text)
            .unwrap_or_default();
        sheet.merge_range(
            row_at(m[0]),
            m[1] as u16,
            row_at(m[2]),
            m[3] as u16,
            &text,
            &f.header,
        )?;
    }
    Ok(())
}
