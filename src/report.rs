//! Placeholder; the real renderers arrive with the check branch.

use crate::finding::Finding;

/// Findings as readable text.
pub fn text(input: &str, findings: &[Finding]) -> String {
    let mut out = format!("{input}\n");
    for f in findings {
        out.push_str(&format!("{} {}\n", f.severity.label(), f.message));
    }
    out
}

/// Findings as JSON.
pub fn json(input: &str, findings: &[Finding]) -> String {
    serde_json::json!({ "input": input, "findings": findings }).to_string()
}
