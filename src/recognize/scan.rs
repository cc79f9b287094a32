//! Walks one grid top to bottom and cuts it into tables and prose: a title names the next
//! table; entity and unit lines are remembered for it; a header block (with or without a title)
//! starts a table, a repeated header continues it; notes, signatures, the next title or prose
//! end it. Everything that is not part of a table becomes a prose line.
//!
//! Decides nothing about the budget as a whole (see `build`).

use super::classified::ClassifiedReader;
use super::header::{HeaderBlock, Verdict, is_header_row, judge, read_block};
use super::meta::{Title, entity_in, sheet_title, title, unit_in};
use super::norm::{
    NOTE_PREFIX_CHARS, cell_str, cell_text, is_note, kept_char, may_be_note, norm_into, norm_row,
    norm_row_prefix,
};
use super::prose::ProseLine;
use super::reader::{Content, Feed, ReadTable, Sources, TableReader, TableSources};
use super::sides::SidesReader;
use super::table9::Table9Reader;
use super::{MissingColumn, RecognizeError};
use crate::grid::{CellValue, Grid};
use crate::model::{
    EconomicAmounts, IncomeAmounts, Level, Location, MoneyUnit, SplitAmounts, TableId,
};

/// Non-blank rows after a title within which its header must start.
const TITLE_REACH: usize = 8;

/// What one grid held.
#[derive(Debug, Default)]
pub(crate) struct GridScan {
    /// Tables in the order found.
    pub tables: Vec<ReadTable>,
    /// Text outside tables, one line per text cell.
    pub prose: Vec<ProseLine>,
    /// Entities named by `编制部门：`-style lines: name, implied level, label is 编制….
    pub entities: Vec<(String, Level, bool)>,
}

struct Pending {
    title: Title,
    location: Location,
    age: usize,
}

struct Active {
    reader: Box<dyn TableReader>,
    /// Where the table's entries start in the input's sources.
    sources_start: usize,
    year: Option<u16>,
    level: Option<Level>,
    location: Location,
}

impl Active {
    /// The table read, whose entries in the input's sources end before `sources_end`.
    fn finish(self, sources_end: usize) -> ReadTable {
        let id = self.reader.id();
        let (content, findings) = self.reader.finish();
        ReadTable {
            id,
            content,
            sources: self.sources_start..sources_end,
            findings,
            year: self.year,
            level: self.level,
            location: self.location,
        }
    }
}

struct Scanner<'s> {
    out: GridScan,
    pending: Option<Pending>,
    unit_hint: Option<MoneyUnit>,
    active: Option<Active>,
    /// Where the cells read go, for every table of the input.
    sources: &'s mut Sources,
}

impl Scanner<'_> {
    fn end_table(&mut self) {
        if let Some(active) = self.active.take() {
            self.out.tables.push(active.finish(self.sources.len()));
        }
    }

    fn prose(&mut self, grid: &Grid, r: usize) {
        let Some(row) = grid.rows.get(r) else {
            return;
        };
        for (c, value) in row.iter().enumerate() {
            if let Some(text) = cell_text(value) {
                self.out.prose.push(ProseLine {
                    text,
                    location: grid.location(r, c),
                });
            }
        }
        if let Some(p) = self.pending.as_mut() {
            p.age += 1;
            if p.age > TITLE_REACH {
                self.pending = None;
            }
        }
    }

    /// Handles a header block; returns the row after it, or None when it is no table's header.
    fn header(
        &mut self,
        grid: &Grid,
        block: &HeaderBlock,
    ) -> Result<Option<usize>, RecognizeError> {
        let title = self.pending.as_ref().map(|p| p.title.id);
        let active = self.active.as_ref().map(|a| a.reader.id());
        match judge(block, title, active) {
            Verdict::Table(id, layout) => {
                if title.is_none_or(|t| t == id)
                    && active == Some(id)
                    && let Some(a) = self.active.as_mut()
                {
                    a.reader.relayout(layout);
                    self.unit_hint = None;
                    self.pending = None;
                    return Ok(Some(block.last_row + 1));
                }
                self.end_table();
                self.start(grid, block, id, layout);
                Ok(Some(block.last_row + 1))
            }
            Verdict::Missing(id, missing) if active != Some(id) => {
                Err(RecognizeError::MissingColumn(Box::new(MissingColumn {
                    file: grid.file.to_string(),
                    sheet: grid.sheet.to_string(),
                    cell: crate::grid::a1(block.first_row, 0),
                    table: format!("{id}（{}）", id.title_stem()),
                    columns: missing.join("、"),
                    labels: block.printed(grid).join("、"),
                })))
            }
            _ => Ok(None),
        }
    }

    fn start(
        &mut self,
        grid: &Grid,
        block: &HeaderBlock,
        id: TableId,
        layout: super::header::Layout,
    ) {
        let pending = self.pending.take();
        let default_unit = if id == TableId::T9 {
            MoneyUnit::WanYuan
        } else {
            MoneyUnit::Yuan
        };
        let unit = self.unit_hint.take().unwrap_or(default_unit);
        let reader: Option<Box<dyn TableReader>> = match id {
            TableId::T1 | TableId::T4 => {
                SidesReader::new(id, layout, unit).map(|r| Box::new(r) as Box<dyn TableReader>)
            }
            TableId::T9 => Table9Reader::new(layout, unit).map(|r| Box::new(r) as _),
            TableId::T2 => {
                ClassifiedReader::<IncomeAmounts>::new(id, layout, unit, Content::Income)
                    .map(|r| Box::new(r) as _)
            }
            TableId::T8 => {
                ClassifiedReader::<EconomicAmounts>::new(id, layout, unit, Content::Economic)
                    .map(|r| Box::new(r) as _)
            }
            _ => ClassifiedReader::<SplitAmounts>::new(id, layout, unit, Content::Split)
                .map(|r| Box::new(r) as _),
        };
        let Some(reader) = reader else {
            return;
        };
        let (year, level, location) = match pending {
            Some(p) => (p.title.year, Some(p.title.level), p.location),
            None => (None, None, grid.location(block.first_row, 0)),
        };
        self.active = Some(Active {
            reader,
            sources_start: self.sources.len(),
            year,
            level,
            location,
        });
    }

    /// Handles row `r`; returns the next row to look at.
    fn row(&mut self, grid: &Grid, r: usize) -> Result<usize, RecognizeError> {
        let Some(cells) = grid.rows.get(r) else {
            return Ok(r + 1);
        };
        if cells.iter().all(|c| c.is_blank()) {
            return Ok(r + 1);
        }
        let text = RowText::new(cells);
        if self.title_row(grid, r, &text) {
            return Ok(r + 1);
        }
        if is_header_row(grid, r) {
            if let Some(next) = self.header_rows(grid, r, &text)? {
                return Ok(next);
            }
        } else if self.entity_or_unit_row(grid, r, &text) {
            return Ok(r + 1);
        }
        let skipped = self.active.is_some() && is_column_numbering(cells);
        if text.is_note() {
            self.end_table();
        } else if skipped || self.data_row(grid, r) {
            return Ok(r + 1);
        }
        self.prose(grid, r);
        Ok(r + 1)
    }

    /// A title ends the table being read and names the next one.
    fn title_row(&mut self, grid: &Grid, r: usize, text: &RowText<'_>) -> bool {
        // Every catalogue title stem ends in 表 (see `meta::title`).
        if !text.has_biao {
            return false;
        }
        let Some(t) = title(grid, r) else {
            return false;
        };
        // The same table's title inside its rows is a page break that repeated the title
        // (`续表` pages, copied print pages): the header after it continues the table.
        if !self.continues(t.id) {
            self.end_table();
        }
        // A unit may share the title's row: `…预算总表 | （单位：万元）`.
        self.unit_hint = text.unit();
        self.pending = Some(Pending {
            title: t,
            location: grid.location(r, 0),
            age: 0,
        });
        true
    }

    /// Whether a title naming `id` continues the table being read (it is that table's).
    fn continues(&self, id: TableId) -> bool {
        self.active.as_ref().is_some_and(|a| a.reader.id() == id)
    }

    /// `编制部门：X` and `单位：元` lines end the table being read and describe the next.
    fn entity_or_unit_row(&mut self, grid: &Grid, r: usize, text: &RowText<'_>) -> bool {
        let entity = if text.has_bu_or_dan {
            entity_in(grid, r)
        } else {
            None
        };
        let unit = text.unit();
        if entity.is_none() && unit.is_none() {
            return false;
        }
        if !self
            .pending
            .as_ref()
            .is_some_and(|p| self.continues(p.title.id))
        {
            self.end_table();
        }
        self.out.entities.extend(entity);
        self.unit_hint = unit.or(self.unit_hint);
        true
    }

    /// Header rows from `r`: start or continue a table; returns the row after them, or None
    /// when they are to be read as ordinary rows.
    fn header_rows(
        &mut self,
        grid: &Grid,
        r: usize,
        text: &RowText<'_>,
    ) -> Result<Option<usize>, RecognizeError> {
        self.unit_hint = text.unit().or(self.unit_hint);
        let block = read_block(grid, r);
        if let Some(next) = self.header(grid, &block)? {
            return Ok(Some(next));
        }
        // Stray header rows inside a coded table (a partial repeat after a page break) do not
        // end it; in 表1/4 a label row may be an income item, so it is read.
        let coded = self
            .active
            .as_ref()
            .is_some_and(|a| !matches!(a.reader.id(), TableId::T1 | TableId::T4));
        Ok(coded.then_some(block.last_row + 1))
    }

    /// Offers the row to the table being read; false when there is none or the row ended it.
    fn data_row(&mut self, grid: &Grid, r: usize) -> bool {
        let Some(active) = self.active.as_mut() else {
            return false;
        };
        let mut sources = TableSources::new(self.sources, active.sources_start);
        match active.reader.feed(grid, r, &mut sources) {
            Feed::Took => true,
            Feed::TookLast => {
                self.end_table();
                true
            }
            Feed::End => {
                self.end_table();
                false
            }
        }
    }
}

/// The text of one row for the line checks (title, title unit, unit line, note), normalised
/// only as far as a check needs: most rows are data rows that are no title, state no unit and
/// are no note. The characters those checks look for are found in one pass over the row.
struct RowText<'a> {
    cells: &'a [CellValue],
    /// A text cell holds 表, which every title stem ends in.
    has_biao: bool,
    /// Text cells hold both 位 and 元, as `单位:元` does (normalising keeps both).
    has_wei_and_yuan: bool,
    /// A text cell holds 部 or 单, as every entity label does (`编制部门`, `单位名称`, …).
    has_bu_or_dan: bool,
}

impl<'a> RowText<'a> {
    fn new(cells: &'a [CellValue]) -> RowText<'a> {
        let (mut biao, mut wei, mut yuan, mut bu_or_dan) = (false, false, false, false);
        let texts = cells.iter().filter_map(|c| match c {
            CellValue::Text(t) => Some(t),
            _ => None,
        });
        // The characters looked for are not ASCII: codes and amounts typed as text need no look.
        for text in texts.filter(|t| !t.is_ascii()) {
            for ch in text.chars() {
                match ch {
                    '表' => biao = true,
                    '位' => wei = true,
                    '元' => yuan = true,
                    '部' | '单' => bu_or_dan = true,
                    _ => {}
                }
            }
        }
        RowText {
            cells,
            has_biao: biao,
            has_wei_and_yuan: wei && yuan,
            has_bu_or_dan: bu_or_dan,
        }
    }

    /// The money unit the row states (`unit_in` of `norm_row`).
    fn unit(&self) -> Option<MoneyUnit> {
        self.has_wei_and_yuan
            .then(|| unit_in(&norm_row(self.cells)))
            .flatten()
    }

    /// True for a note or signature line (`is_note` of `norm_row`).
    fn is_note(&self) -> bool {
        may_be_note(self.cells) && is_note(&norm_row_prefix(self.cells, NOTE_PREFIX_CHARS))
    }
}

/// True for the column-numbering row some forms print under the header: `栏次 | 1 | 2 | 3`,
/// `甲 | 乙 | 1 | 2`.
fn is_column_numbering(cells: &[CellValue]) -> bool {
    let first = cells.iter().find(|v| !v.is_blank());
    if !first.is_some_and(may_start_numbering) {
        return false;
    }
    let mut next = 1;
    let mut numbers = 0;
    let mut t = String::new();
    for value in cells {
        let Some(text) = cell_str(value) else {
            if value.is_blank() {
                continue;
            }
            return false;
        };
        t.clear();
        norm_into(&mut t, &text);
        let digits = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if digits && t == next.to_string() {
            next += 1;
            numbers += 1;
        } else if !matches!(t.as_str(), "栏次" | "甲" | "乙" | "丙" | "丁" | "行次") {
            return false;
        }
    }
    numbers >= 2
}

/// False when a row whose first non-blank cell is `value` cannot be a column numbering: that
/// cell must be 1 or a label such as 栏次 or 甲, which tells most rows by one character.
fn may_start_numbering(value: &CellValue) -> bool {
    match value {
        CellValue::Number(f) => *f == 1.0,
        CellValue::Text(t) => t
            .chars()
            .find_map(kept_char)
            .is_some_and(|c| matches!(c, '1' | '栏' | '甲' | '乙' | '丙' | '丁' | '行')),
        _ => false,
    }
}

/// Cuts one grid into tables and prose; the cells the tables' amounts were read from are added
/// to `sources`. Fails only when a titled table lacks a required column.
pub(crate) fn scan(grid: &Grid, sources: &mut Sources) -> Result<GridScan, RecognizeError> {
    // A sheet named after a table titles an untitled table at its top.
    let mut scanner = Scanner {
        out: GridScan::default(),
        pending: sheet_title(&grid.sheet).map(|title| Pending {
            title,
            location: grid.location(0, 0),
            age: 0,
        }),
        unit_hint: None,
        active: None,
        sources,
    };
    let mut r = 0;
    while r < grid.rows.len() {
        r = scanner.row(grid, r)?.max(r + 1);
    }
    scanner.end_table();
    Ok(scanner.out)
}
