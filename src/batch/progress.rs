//! Progress reporting for batch runs: the trait the batch calls from its worker threads, and
//! silence. The batch itself never prints; displays (a bar, plain lines) belong to the caller
//! (the CLI's `progress` module).

use super::UnitStatus;

/// Receives batch progress. Called from several threads at once.
pub trait Progress: Sync {
    /// The batch found `total` units and starts.
    fn start(&self, total: usize);
    /// One unit finished (in completion order, not input order).
    fn unit_done(&self, name: &str, status: UnitStatus);
    /// Every unit and the department are done.
    fn finish(&self);
}

/// Reports nothing.
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _total: usize) {}
    fn unit_done(&self, _name: &str, _status: UnitStatus) {}
    fn finish(&self) {}
}
