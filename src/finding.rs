//! Findings: problems in the *data* (not failures of the tool), typed and serialisable.
//!
//! Both the recogniser (a formula without a cached value, an error cell) and the checks produce
//! findings. Rendering them as text, JSON or a 校验结果 sheet is the caller's business.

use crate::model::{Location, TableId};
use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before publishing; makes `check` exit 1.
    Error,
    /// Worth a look; never changes the exit code.
    Warning,
}

impl Severity {
    /// 错误 or 警告.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        }
    }
}

/// One problem found in a submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// A stable rule id, e.g. "row-sum", "rollup", "t1-t2".
    pub rule: String,
    /// The official table number (1–9), or None for findings about the whole input.
    pub table: Option<u8>,
    /// The row: a code ("2010301"), "合计", or a printed label.
    pub row: Option<String>,
    /// The column header as printed, e.g. "基本支出".
    pub column: Option<String>,
    /// The submitted cell this finding is about, when known.
    pub location: Option<Location>,
    /// The value the identity requires, formatted (e.g. "48,215,638").
    pub expected: Option<String>,
    /// The value found, formatted.
    pub actual: Option<String>,
    /// The message for the budget officer, in Simplified Chinese.
    pub message: String,
}

impl Finding {
    /// A new finding with only severity, rule and message set.
    pub fn new(severity: Severity, rule: &str, message: impl Into<String>) -> Finding {
        Finding {
            severity,
            rule: rule.to_string(),
            table: None,
            row: None,
            column: None,
            location: None,
            expected: None,
            actual: None,
            message: message.into(),
        }
    }
    /// Sets the table.
    pub fn in_table(mut self, table: TableId) -> Finding {
        self.table = Some(table.number());
        self
    }
    /// Sets row and column labels.
    pub fn at(mut self, row: impl Into<String>, column: impl Into<String>) -> Finding {
        self.row = Some(row.into());
        self.column = Some(column.into());
        self
    }
    /// Sets the submitted cell.
    pub fn located(mut self, location: Option<Location>) -> Finding {
        self.location = location;
        self
    }
    /// Sets expected and actual values.
    pub fn values(mut self, expected: impl Into<String>, actual: impl Into<String>) -> Finding {
        self.expected = Some(expected.into());
        self.actual = Some(actual.into());
        self
    }
    /// True for error severity.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}
