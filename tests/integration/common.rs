//! Shared helpers for the integration tests: paths to the repo's samples and fixtures, and the
//! seed's canonical model.

use std::path::PathBuf;
use yusuan::model::Budget;

/// A path relative to the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The seed's canonical model, as committed in tests/fixtures/seed_budget.json.
pub fn seed_budget() -> Budget {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/seed_budget.json"))
        .expect("tests/fixtures/seed_budget.json is committed");
    serde_json::from_str(&text).expect("seed_budget.json matches the model")
}
