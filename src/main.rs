//! The `yusuan` binary: parse arguments, run the job, decide the exit code in one place.
//!
//! Exit codes: 0 clean (warnings allowed), 1 converted/checked but error findings, 2 failure
//! (unreadable input, unwritable output; clap also uses 2 for usage errors).
//!
//! Not for work: every step (reading, checking, writing, batch) lives in the library and `cli`;
//! main only maps their outcome to a message and an exit code.

mod cli;
mod progress;

use clap::Parser;
use clap::error::ErrorKind;
use cli::{Args, Format, Job};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use yusuan::finding::Finding;
use yusuan::recognize::Submission;
use yusuan::{batch, check, report, synth, write};

/// Units listed per group (failed, with errors) after a batch; summary.xlsx has them all.
const PROBLEMS_SHOWN: usize = 10;

/// How a job ended, before it becomes an exit code.
enum Outcome {
    /// No error findings.
    Clean,
    /// Error findings (the job itself succeeded).
    Findings,
    /// The job could not be done.
    Failed,
}

fn main() -> ExitCode {
    quiet_parser_panics();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("yusuan：{}", cli::usage_error(&e));
            return ExitCode::from(2);
        }
    };
    let job = match args.into_job() {
        Ok(job) => job,
        Err(message) => {
            eprintln!("yusuan：{message}");
            return ExitCode::from(2);
        }
    };
    let outcome = match run(job) {
        Ok(outcome) => outcome,
        Err(message) => {
            eprintln!("yusuan：{message}");
            Outcome::Failed
        }
    };
    ExitCode::from(match outcome {
        Outcome::Clean => 0,
        Outcome::Findings => 1,
        Outcome::Failed => 2,
    })
}

/// The file parsers (calamine and what it uses) panic on some damaged workbooks; `read`
/// catches that and reports the file as damaged in Chinese, but the default panic hook would
/// first print an English panic message and backtrace at the budget officer. Those panics are
/// silenced; any other panic is a bug in yusuan and is still printed in full.
fn quiet_parser_panics() {
    const PARSERS: [&str; 5] = ["calamine", "/zip-", "/cfb-", "/quick-xml-", "/encoding_rs-"];
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let in_parser = info
            .location()
            .is_some_and(|l| PARSERS.iter().any(|p| l.file().contains(p)));
        if !in_parser {
            default(info);
        }
    }));
}

fn run(job: Job) -> Result<Outcome, String> {
    match job {
        Job::Convert {
            input,
            output,
            options,
            format,
            kind,
        } => {
            let submission = load(&input, kind)?;
            let findings = check::check(&submission);
            let bytes = write::workbook(&submission.budget, &findings, &options)
                .map_err(|e| e.to_string())?;
            save_workbook(&output, &bytes)?;
            print_findings(&input, &findings, format)?;
            if format == Format::Text {
                eprintln!("已生成 {}", output.display());
            }
            Ok(outcome_of(&findings))
        }
        Job::Check {
            input,
            format,
            kind,
        } => {
            let submission = load(&input, kind)?;
            let findings = check::check(&submission);
            print_findings(&input, &findings, format)?;
            Ok(outcome_of(&findings))
        }
        Job::Batch {
            dir,
            output,
            quiet,
            options,
            jobs,
        } => {
            let plan = batch::BatchPlan {
                options,
                jobs,
                ..batch::BatchPlan::new(dir, output)
            };
            let progress = progress::progress_for(quiet);
            let report = batch::run(&plan, progress.as_ref()).map_err(|e| e.to_string())?;
            if !quiet {
                eprintln!("{}", report.describe());
                for line in report.problems(PROBLEMS_SHOWN) {
                    eprintln!("{line}");
                }
                eprintln!(
                    "结果汇总：{}",
                    plan.output_dir.join("summary.xlsx").display()
                );
            }
            Ok(match report.exit_code() {
                0 => Outcome::Clean,
                1 => Outcome::Findings,
                _ => Outcome::Failed,
            })
        }
        Job::Generate {
            from,
            units,
            seed,
            output,
        } => {
            let budget = load(&from, None)?.budget;
            let written = synth::generate_units(&budget, units, seed, &output)
                .map_err(|e| format!("无法写入 {}：{e}", output.display()))?;
            eprintln!(
                "已在 {} 生成 {} 个模拟单位",
                output.display(),
                written.len()
            );
            Ok(Outcome::Clean)
        }
    }
}

/// Saves the workbook, creating a missing output folder first (as `batch` does for its output
/// folder): a budget officer naming `报送/2024/汇总.xlsx` expects the folders to appear.
fn save_workbook(output: &Path, bytes: &[u8]) -> Result<(), String> {
    let shown = output.display();
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        std::fs::create_dir_all(parent).map_err(|e| {
            format!(
                "无法创建输出文件夹 {}：{}",
                parent.display(),
                report::io_reason(&e)
            )
        })?;
    }
    write::save_atomically(output, bytes)
        .map_err(|e| format!("无法写入 {shown}：{}", report::io_reason(&e)))
}

fn load(input: &Path, kind: Option<yusuan::model::UnitKind>) -> Result<Submission, String> {
    let mut submission = yusuan::load(input).map_err(|e| e.to_string())?;
    if kind.is_some() {
        submission.budget.meta.unit_kind = kind;
    }
    Ok(submission)
}

fn outcome_of(findings: &[Finding]) -> Outcome {
    if findings.iter().any(Finding::is_error) {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// Prints findings to stdout; a closed pipe (e.g. `| head`) is not an error.
fn print_findings(input: &Path, findings: &[Finding], format: Format) -> Result<(), String> {
    let name = input.display().to_string();
    let text = match format {
        Format::Text => report::text(&name, findings),
        Format::Json => report::json(&name, findings),
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("无法输出结果：{e}")),
        _ => Ok(()),
    }
}
