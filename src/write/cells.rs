//! Buffered cell writes for one sheet, so that formats cost one lookup per run of cells rather
//! than one per cell.
//!
//! rust_xlsxwriter finds a format's index by hashing the whole `Format` (fonts, borders,
//! alignment, number format) on every `write_*_with_format` call; for our sheets that was a
//! third of the writer's time. [`Cells`] records the writes in order and [`Cells::flush`]
//! replays them as: every value unformatted, then each vertical run of cells that share a
//! format (by identity, as `style::Styles` hands them out) with one `set_range_format`, and
//! every merge as a `merge_range`, in the order of their first cell. The worksheet ends up
//! exactly as if each cell had been written with its format: the same values, the same format
//! per cell, formats registered in the same order (so the same style indices), the same used
//! range. Not for deciding what is written where: that is `sheet`'s.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A cell's value.
#[derive(Debug, Clone)]
enum Value<'a> {
    /// A formatted empty cell.
    Blank,
    /// Text (empty text is written as a formatted blank, as rust_xlsxwriter does).
    Text(Cow<'a, str>),
    /// A number.
    Number(f64),
}

/// One recorded write.
#[derive(Debug, Clone)]
enum Op<'a> {
    /// One cell.
    Cell {
        row: u32,
        col: u16,
        value: Value<'a>,
        format: &'static Format,
    },
    /// A merged range: the text in its first cell, the format on every cell.
    Merge {
        rows: (u32, u32),
        cols: (u16, u16),
        text: Cow<'a, str>,
        format: &'static Format,
    },
}

impl Op<'_> {
    fn into_owned(self) -> Op<'static> {
        match self {
            Op::Cell {
                row,
                col,
                value,
                format,
            } => Op::Cell {
                row,
                col,
                value: match value {
                    Value::Blank => Value::Blank,
                    Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
                    Value::Number(n) => Value::Number(n),
                },
                format,
            },
            Op::Merge {
                rows,
                cols,
                text,
                format,
            } => Op::Merge {
                rows,
                cols,
                text: Cow::Owned(text.into_owned()),
                format,
            },
        }
    }

    /// The first and last cell the op writes.
    fn corners(&self) -> ((u32, u16), (u32, u16)) {
        match self {
            Op::Cell { row, col, .. } => ((*row, *col), (*row, *col)),
            Op::Merge { rows, cols, .. } => ((rows.0, cols.0), (rows.1, cols.1)),
        }
    }

    /// The last cell the op writes.
    fn last_cell(&self) -> (u32, u16) {
        self.corners().1
    }
}

/// The writes of one sheet, in the order they were made.
#[derive(Debug, Default)]
pub struct Cells<'a> {
    ops: Vec<Op<'a>>,
}

/// A rectangle of cells sharing one format: first and last row, first and last column.
#[derive(Debug, Clone, Copy)]
struct Rect {
    rows: (u32, u32),
    cols: (u16, u16),
    format: &'static Format,
}

/// What the second pass applies, in the order of each item's first cell.
enum Apply {
    Rect(Rect),
    /// Index into `ops` of a merge.
    Merge(usize),
    /// Merged into an earlier rectangle.
    Done,
}

/// The used range (first row, first col, last row, last col) as rust_xlsxwriter tracks it.
type Bounds = Option<(u32, u16, u32, u16)>;

fn extend(bounds: &mut Bounds, row: u32, col: u16) {
    *bounds = Some(match *bounds {
        None => (row, col, row, col),
        Some((r0, c0, r1, c1)) => (r0.min(row), c0.min(col), r1.max(row), c1.max(col)),
    });
}

fn inside(bounds: Bounds, row: u32, col: u16) -> bool {
    bounds.is_some_and(|(r0, c0, r1, c1)| (r0..=r1).contains(&row) && (c0..=c1).contains(&col))
}

impl<'a> Cells<'a> {
    /// Room for about `writes` recorded writes.
    pub fn with_capacity(writes: usize) -> Cells<'a> {
        Cells {
            ops: Vec::with_capacity(writes),
        }
    }

    /// The same writes, owning their text.
    pub fn into_owned(self) -> Cells<'static> {
        Cells {
            ops: self.ops.into_iter().map(Op::into_owned).collect(),
        }
    }

    /// Records text with a format (empty text: a formatted blank).
    pub fn text(
        &mut self,
        row: u32,
        col: u16,
        text: impl Into<Cow<'a, str>>,
        format: &'static Format,
    ) {
        let value = Value::Text(text.into());
        self.ops.push(Op::Cell {
            row,
            col,
            value,
            format,
        });
    }

    /// Records a number with a format.
    pub fn number(&mut self, row: u32, col: u16, number: f64, format: &'static Format) {
        let value = Value::Number(number);
        self.ops.push(Op::Cell {
            row,
            col,
            value,
            format,
        });
    }

    /// Records a formatted blank cell.
    pub fn blank(&mut self, row: u32, col: u16, format: &'static Format) {
        let value = Value::Blank;
        self.ops.push(Op::Cell {
            row,
            col,
            value,
            format,
        });
    }

    /// Records a merged range (`merge_range`: more than one cell).
    pub fn merge(
        &mut self,
        rows: (u32, u32),
        cols: (u16, u16),
        text: impl Into<Cow<'a, str>>,
        format: &'static Format,
    ) {
        let text = text.into();
        self.ops.push(Op::Merge {
            rows,
            cols,
            text,
            format,
        });
    }

    /// Writes everything recorded into `ws` (see the module doc).
    pub fn flush(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        if self.overlaps() {
            // Some cell is written twice: the last write must win, so replay in order.
            return self.replay(ws);
        }
        // Pass 1: values, unformatted. They set the used range as the formatted writes would.
        let mut bounds: Bounds = None;
        for op in &self.ops {
            match op {
                Op::Cell {
                    row,
                    col,
                    value: Value::Text(text),
                    ..
                } if !text.is_empty() => {
                    ws.write_string(*row, *col, text.as_ref())?;
                    extend(&mut bounds, *row, *col);
                }
                Op::Cell {
                    row,
                    col,
                    value: Value::Number(n),
                    ..
                } => {
                    ws.write_number(*row, *col, *n)?;
                    extend(&mut bounds, *row, *col);
                }
                Op::Cell { .. } => {}
                Op::Merge { rows, cols, .. } => {
                    extend(&mut bounds, rows.0, cols.0);
                    extend(&mut bounds, rows.1, cols.1);
                }
            }
        }
        // Pass 2: formats and merges, each at its first cell's place in the original order.
        for item in self.plan() {
            match item {
                Apply::Rect(Rect { rows, cols, format }) => {
                    ws.set_range_format(rows.0, cols.0, rows.1, cols.1, format)?;
                }
                Apply::Done => {}
                Apply::Merge(i) => {
                    if let Some(Op::Merge {
                        rows,
                        cols,
                        text,
                        format,
                    }) = self.ops.get(i)
                    {
                        ws.merge_range(rows.0, cols.0, rows.1, cols.1, text, format)?;
                    }
                }
            }
        }
        // Blank cells outside the values' range widen the used range, as write_blank does
        // (set_range_format does not). Their formats are registered by now.
        for op in &self.ops {
            if let Op::Cell {
                row, col, format, ..
            } = op
                && !inside(bounds, *row, *col)
            {
                ws.write_blank(*row, *col, format)?;
                extend(&mut bounds, *row, *col);
            }
        }
        Ok(())
    }

    /// Rectangles and merges in the order of their first cell. A column's run grows while
    /// the next write in that column is the next row with the same format; then runs of the
    /// same format over the same rows in adjacent columns join. Applying a format to later
    /// cells early is harmless (no cell is written twice), and each format is still first
    /// applied at its first cell, so formats are registered in the original order.
    fn plan(&self) -> Vec<Apply> {
        let mut items: Vec<Apply> = Vec::new();
        // Per column: the index in `items` of its open run.
        let mut open: Vec<Option<usize>> = Vec::new();
        for (i, op) in self.ops.iter().enumerate() {
            match op {
                Op::Merge { .. } => items.push(Apply::Merge(i)),
                Op::Cell {
                    row, col, format, ..
                } => {
                    let c = usize::from(*col);
                    if open.len() <= c {
                        open.resize(c + 1, None);
                    }
                    let grown = open[c].and_then(|k| match items.get_mut(k) {
                        Some(Apply::Rect(run))
                            if std::ptr::eq(run.format, *format)
                                && run.rows.1.checked_add(1) == Some(*row) =>
                        {
                            run.rows.1 = *row;
                            Some(k)
                        }
                        _ => None,
                    });
                    if grown.is_none() {
                        open[c] = Some(items.len());
                        items.push(Apply::Rect(Rect {
                            rows: (*row, *row),
                            cols: (*col, *col),
                            format,
                        }));
                    }
                }
            }
        }
        join_columns(&mut items);
        items
    }

    /// True when some cell is written more than once (merges count every cell they cover).
    /// One flag per cell of the written extent, so no sorting and no hashing; a sheet's
    /// extent is its rows times its layout's columns, all of them written, so the flags take
    /// no more room than the writes.
    fn overlaps(&self) -> bool {
        let (mut rows, mut cols) = (0usize, 0usize);
        for op in &self.ops {
            let (row, col) = op.last_cell();
            rows = rows.max(row as usize + 1);
            cols = cols.max(usize::from(col) + 1);
        }
        let mut seen = vec![false; rows.saturating_mul(cols)];
        for op in &self.ops {
            let ((r0, c0), (r1, c1)) = op.corners();
            for r in r0..=r1 {
                for c in c0..=c1 {
                    match seen.get_mut(r as usize * cols + usize::from(c)) {
                        Some(written) if *written => return true,
                        Some(written) => *written = true,
                        None => {}
                    }
                }
            }
        }
        false
    }

    /// Writes every recorded op as it was recorded, each with its format.
    fn replay(&self, ws: &mut Worksheet) -> Result<(), XlsxError> {
        for op in &self.ops {
            match op {
                Op::Cell {
                    row,
                    col,
                    value,
                    format,
                } => match value {
                    Value::Blank => ws.write_blank(*row, *col, format)?,
                    Value::Text(text) => {
                        ws.write_string_with_format(*row, *col, text.as_ref(), format)?
                    }
                    Value::Number(n) => ws.write_number_with_format(*row, *col, *n, format)?,
                },
                Op::Merge {
                    rows,
                    cols,
                    text,
                    format,
                } => ws.merge_range(rows.0, cols.0, rows.1, cols.1, text, format)?,
            };
        }
        Ok(())
    }
}

/// Joins each column run into an earlier rectangle of the same format and rows that ends in
/// the column to its left.
fn join_columns(items: &mut [Apply]) {
    // (next column, first row, last row, format address) → index of the rectangle. Ordered
    // rather than hashed: the map stays small and the keys are cheap to compare.
    let mut ends: BTreeMap<(u16, u32, u32, usize), usize> = BTreeMap::new();
    for i in 0..items.len() {
        let run = match items.get(i) {
            Some(Apply::Rect(run)) => *run,
            _ => continue,
        };
        let address = std::ptr::from_ref(run.format) as usize;
        let mut owner = i;
        if let Some(j) = ends.remove(&(run.cols.0, run.rows.0, run.rows.1, address))
            && let Some(Apply::Rect(rect)) = items.get_mut(j)
        {
            rect.cols.1 = run.cols.1;
            owner = j;
            if let Some(slot) = items.get_mut(i) {
                *slot = Apply::Done;
            }
        }
        if let Some(next) = run.cols.1.checked_add(1) {
            ends.insert((next, run.rows.0, run.rows.1, address), owner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{FormatAlign, FormatBorder, Workbook};

    /// Every part of a saved workbook but docProps/core.xml (which holds the time).
    fn parts(book: &mut Workbook) -> Vec<(String, Vec<u8>)> {
        super::super::parts(&book.save_to_buffer().unwrap())
    }

    /// The formats the tests record with (static, as `style::Styles::shared` hands them out).
    fn formats() -> &'static [Format; 3] {
        static FORMATS: std::sync::OnceLock<[Format; 3]> = std::sync::OnceLock::new();
        FORMATS.get_or_init(|| {
            [
                Format::new().set_border(FormatBorder::Thin),
                Format::new().set_bold().set_align(FormatAlign::Center),
                Format::new()
                    .set_num_format("#,##0.00")
                    .set_border(FormatBorder::Thin),
            ]
        })
    }

    /// The workbook `record` makes, written through `flush` and written directly, cell by cell.
    fn both(
        record: impl Fn(&mut Cells<'static>, &'static [Format; 3]),
    ) -> [Vec<(String, Vec<u8>)>; 2] {
        let render = |buffered: bool| {
            let mut book = Workbook::new();
            for _ in 0..2 {
                let mut cells = Cells::default();
                record(&mut cells, formats());
                let ws = book.add_worksheet();
                if buffered {
                    cells.flush(ws).unwrap();
                } else {
                    cells.replay(ws).unwrap();
                }
            }
            parts(&mut book)
        };
        [render(true), render(false)]
    }

    #[test]
    fn buffered_writes_give_the_same_workbook_as_direct_writes() {
        let [buffered, direct] = both(|cells, [border, bold, amount]| {
            cells.merge((0, 0), (0, 3), "标题", bold);
            cells.text(1, 3, "单位：元", border);
            for r in 2..8 {
                cells.text(r, 0, format!("{r:03}"), border);
                // Alternating formats, blanks and empty text in one column.
                cells.text(r, 1, if r % 2 == 0 { "" } else { "名称" }, bold);
                cells.number(r, 2, f64::from(r) * 1.5, amount);
                cells.blank(r, 3, amount);
            }
            cells.merge((8, 8), (0, 1), "合计", bold);
            cells.number(8, 2, 3.0, bold);
            // A trailing row of blanks still widens the used range.
            cells.blank(9, 0, border);
            cells.blank(9, 4, border);
        });
        assert_eq!(buffered.len(), direct.len());
        for ((name, a), (_, b)) in buffered.iter().zip(&direct) {
            assert!(a == b, "{name} differs");
        }
    }

    #[test]
    fn a_cell_written_twice_keeps_the_last_write() {
        let [buffered, direct] = both(|cells, [border, bold, _]| {
            cells.text(0, 0, "first", border);
            cells.text(0, 0, "second", bold);
            cells.merge((1, 1), (0, 1), "merged", bold);
            cells.blank(1, 1, border);
        });
        assert!(buffered == direct);
        let sheet = buffered
            .iter()
            .find(|(name, _)| name == "xl/sharedStrings.xml")
            .map(|(_, data)| String::from_utf8_lossy(data).into_owned())
            .unwrap();
        assert!(sheet.contains("second"), "{sheet}");
    }
}
