//! Batch progress displays for the terminal: an indicatif bar when stderr is a terminal, one
//! plain line per unit otherwise (logs, pipes), nothing with `--quiet`. The library's batch
//! calls these through `yusuan::batch::Progress`; it never prints itself.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use yusuan::batch::{NoProgress, Progress, UnitStatus};

/// An indicatif progress bar on stderr.
#[derive(Debug)]
pub struct BarProgress {
    bar: indicatif::ProgressBar,
}

impl BarProgress {
    /// A hidden bar until `start`.
    pub fn new() -> BarProgress {
        BarProgress {
            bar: indicatif::ProgressBar::hidden(),
        }
    }
}

impl Default for BarProgress {
    fn default() -> Self {
        BarProgress::new()
    }
}

impl Progress for BarProgress {
    fn start(&self, total: usize) {
        self.bar.set_length(total as u64);
        self.bar
            .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} 个单位 {per_sec} 剩余 {eta} {wide_msg}",
        ) {
            self.bar.set_style(style);
        }
    }
    fn unit_done(&self, name: &str, _status: UnitStatus) {
        self.bar.set_message(name.to_string());
        self.bar.inc(1);
    }
    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// One line per unit on stderr: `[3/120] 上海市人民政府驻广州办事处：通过`.
#[derive(Debug, Default)]
pub struct LineProgress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress for LineProgress {
    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }
    fn unit_done(&self, name: &str, status: UnitStatus) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        // A closed stderr is no reason to stop the batch.
        let _ = writeln!(
            std::io::stderr().lock(),
            "[{done}/{total}] {name}：{}",
            status.label()
        );
    }
    fn finish(&self) {}
}

/// The progress display for a run: none when `quiet`, a bar when stderr is a terminal, plain
/// lines otherwise.
pub fn progress_for(quiet: bool) -> Box<dyn Progress> {
    if quiet {
        Box::new(NoProgress)
    } else if std::io::stderr().is_terminal() {
        Box::new(BarProgress::new())
    } else {
        Box::new(LineProgress::default())
    }
}
