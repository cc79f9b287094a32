//! `yusuan batch` as a stand-alone binary over the library (what `src/main.rs` runs for the
//! batch job), for benchmarking before the CLI is wired: `batch_cli batch DIR -o OUTDIR
//! [--quiet]`. Exit codes as the CLI: 0 clean, 1 error findings, 2 failures.

use std::path::PathBuf;
use std::process::ExitCode;
use yusuan::batch::{self, BatchPlan};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).filter(|a| a != "batch");
    let (mut dir, mut out, mut quiet) = (None, None, false);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-o" | "--output" => out = args.next().map(PathBuf::from),
            "-q" | "--quiet" => quiet = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let (Some(dir), Some(out)) = (dir, out) else {
        eprintln!("用法：batch_cli batch DIR -o OUTDIR [--quiet]");
        return ExitCode::from(2);
    };
    let mut plan = BatchPlan::new(dir, out);
    plan.quiet = quiet;
    let progress = batch::progress_for(quiet);
    match batch::run(&plan, progress.as_ref()) {
        Ok(report) => ExitCode::from(report.exit_code()),
        Err(e) => {
            eprintln!("yusuan：{e}");
            ExitCode::from(2)
        }
    }
}
