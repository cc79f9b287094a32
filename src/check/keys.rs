//! Cell keys and column headers: how the checks address every amount of the model, with the
//! vocabulary of `model` (表1/表4/表9 columns, 收入总计/支出总计) that the recogniser also uses
//! for `Submission::sources`, so that a finding's cell key finds the submitted cell. 表1: income
//! items column 0 and expenditure items column 1, by label (a unit-level 表1's split in columns
//! 2..=5, see `model::T1_COLUMNS`); 表4: expenditure columns 1..=4;
//! 表9: its single data row keyed as the 合计 row. A coded row's code and name cells are keyed
//! by [`CellKey::code_cell`] and [`CellKey::name_cell`], for findings about the code or the
//! name itself.
//!
//! Not for values: this module only names cells; it reads no amounts.

use crate::model::{
    Amounts, CellKey, Code, EconomicAmounts, IncomeAmounts, RowKey, SplitAmounts, TableId,
};

pub use crate::model::{EXPENDITURE_TOTAL, INCOME_TOTAL, T1_COLUMNS, T4_COLUMNS, T9_COLUMNS};

/// 表9 column indices, named.
pub mod t9 {
    /// 三公 合计.
    pub const TOTAL: usize = 0;
    /// 因公出国(境)费.
    pub const OVERSEAS: usize = 1;
    /// 公务接待费.
    pub const RECEPTION: usize = 2;
    /// 公务用车购置及运行费 小计.
    pub const VEHICLE_SUBTOTAL: usize = 3;
    /// 公务用车购置费.
    pub const VEHICLE_PURCHASE: usize = 4;
    /// 公务用车运行费.
    pub const VEHICLE_RUNNING: usize = 5;
    /// 机关运行经费预算数.
    pub const ADMIN_RUNNING: usize = 6;
}

/// The official column headers of a table's amount columns.
pub fn columns(table: TableId) -> &'static [&'static str] {
    match table {
        TableId::T1 => &T1_COLUMNS,
        TableId::T2 => IncomeAmounts::COLUMNS,
        TableId::T3 | TableId::T5 | TableId::T6 | TableId::T7 => SplitAmounts::COLUMNS,
        TableId::T4 => &T4_COLUMNS,
        TableId::T8 => EconomicAmounts::COLUMNS,
        TableId::T9 => &T9_COLUMNS,
    }
}

/// The header of column `column` of `table` ("" when out of range).
pub fn column_header(table: TableId, column: usize) -> &'static str {
    columns(table).get(column).copied().unwrap_or("")
}

/// A coded cell of 表2/3/5/6/7/8.
pub fn coded(table: TableId, code: &Code, column: usize) -> CellKey {
    CellKey {
        table,
        row: RowKey::Code(code.clone()),
        column,
    }
}

/// The 合计 row cell of 表2/3/5/6/7/8.
pub fn total(table: TableId, column: usize) -> CellKey {
    CellKey {
        table,
        row: RowKey::Total,
        column,
    }
}

/// A 表1 income cell (label as printed, e.g. "一、财政拨款收入"; "收入总计" for the total).
pub fn t1_income(label: &str) -> CellKey {
    labelled(TableId::T1, label, 0)
}

/// A 表1 expenditure cell (类 name as printed without numbering; "支出总计" for the total).
pub fn t1_expenditure(name: &str) -> CellKey {
    labelled(TableId::T1, name, 1)
}

/// A 表1 本年支出 cell in any column of `T1_COLUMNS` from 1: 合计 (1) or the unit-level split
/// (`T1_BASIC`, `T1_PERSONNEL`, `T1_PUBLIC`, `T1_PROJECT`); row "支出总计" for the total.
pub fn t1_expenditure_column(name: &str, column: usize) -> CellKey {
    labelled(TableId::T1, name, column)
}

/// A 表4 income cell (label as printed; "收入总计" for the total).
pub fn t4_income(label: &str) -> CellKey {
    labelled(TableId::T4, label, 0)
}

/// A 表4 expenditure cell: `column` is 1 (合计) to 4 (国有资本经营预算); row "支出总计" for
/// the total.
pub fn t4_expenditure(name: &str, column: usize) -> CellKey {
    labelled(TableId::T4, name, column)
}

/// A 表9 cell: its single data row is keyed as the 合计 row; `column` per [`mod@t9`].
pub fn t9(column: usize) -> CellKey {
    total(TableId::T9, column)
}

fn labelled(table: TableId, label: &str, column: usize) -> CellKey {
    CellKey {
        table,
        row: RowKey::Label(label.to_string()),
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_follow_the_printed_tables() {
        assert_eq!(column_header(TableId::T2, 3), "事业单位经营收入");
        assert_eq!(column_header(TableId::T8, 2), "公用经费");
        assert_eq!(
            column_header(TableId::T9, t9::ADMIN_RUNNING),
            "机关运行经费预算数"
        );
        assert_eq!(column_header(TableId::T4, 9), "");
        assert_eq!(t9(2).row, RowKey::Total);
        assert_eq!(t1_expenditure("支出总计").column, 1);
    }
}
