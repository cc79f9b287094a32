//! Batch: a folder of unit submissions in, one outcome per unit out, plus the consolidated
//! department. Never aborts on one bad unit.
//!
//! Each unit (a file, or a sub-folder of CSV files, anywhere under the folder) runs the whole
//! pipeline — read → recognise → check → write — on the rayon pool; errors *and panics* are
//! caught per unit and recorded with the unit's path. The units' budgets are consolidated (in
//! input order, so the result never depends on scheduling) into the department budget, which
//! is checked and written too. `units.csv` (optional) names the units, their kinds and the
//! department. Outputs: `OUTDIR/units/<unit>.xlsx`, `OUTDIR/<department>.xlsx`,
//! `OUTDIR/summary.xlsx` and `OUTDIR/summary.json`, all written atomically; inputs are never
//! modified and outputs inside the input folder are never read back. The exit code is decided
//! from the report ([`BatchReport::exit_code`]). The library prints nothing: progress goes to a
//! [`Progress`] the caller chooses.

mod consolidate;
mod discover;
mod progress;
mod summary;

pub use consolidate::{Consolidation, consolidate};
pub use discover::{
    UnitInput, UnitsList, apply_units_list, find_units, parse_units_csv, read_units_csv,
    sanitize_file_stem, unique_file_stem,
};
pub use progress::{NoProgress, Progress};

use crate::check;
use crate::finding::{Finding, Severity};
use crate::model::{Budget, UnitKind};
use crate::recognize::Submission;
use crate::write::{self, WriteOptions};
use rayon::prelude::*;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// What to run: validated by the CLI, usable directly by library callers.
#[derive(Debug, Clone)]
pub struct BatchPlan {
    /// The folder of unit submissions.
    pub input_dir: PathBuf,
    /// The output folder (created when missing; may lie inside `input_dir`).
    pub output_dir: PathBuf,
    /// How unit and department workbooks are rendered.
    pub options: WriteOptions,
    /// Worker threads; `None` means [`default_jobs`].
    pub jobs: Option<usize>,
}

impl BatchPlan {
    /// A plan with default options.
    pub fn new(input_dir: impl Into<PathBuf>, output_dir: impl Into<PathBuf>) -> BatchPlan {
        BatchPlan {
            input_dir: input_dir.into(),
            output_dir: output_dir.into(),
            options: WriteOptions::default(),
            jobs: None,
        }
    }
}

/// The default number of worker threads: twice the cores. Saving a workbook waits for the
/// disk (`save_atomically` syncs every file, ~4 ms each), and with twice the threads the cores
/// keep converting other units meanwhile (measured: 1,000 units on 2 cores, 7.8 s with 2
/// threads, 6.6 s with 4).
pub fn default_jobs() -> usize {
    2 * std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Why a batch could not run at all (a bad unit is never one of these).
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The input is not a folder.
    #[error("{dir} 不是文件夹")]
    NotADirectory {
        /// The path as given.
        dir: String,
    },
    /// A folder or file could not be read or written.
    #[error("无法访问 {path}：{reason}")]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        reason: String,
    },
    /// units.csv is malformed.
    #[error("{file} 第{line}行：{reason}")]
    UnitsCsv {
        /// The units.csv path.
        file: String,
        /// 1-based line (record) number.
        line: usize,
        /// What is wrong, in Chinese.
        reason: String,
    },
    /// The output folder is the input folder (outputs would be read back as units).
    #[error("输出文件夹不能是输入文件夹 {dir} 本身，请换一个输出文件夹")]
    OutputIsInput {
        /// The input folder.
        dir: String,
    },
    /// No unit submission was found.
    #[error("文件夹 {dir} 中没有找到任何单位报送材料（.xlsx/.xls/.csv 等文件或 CSV 文件夹）")]
    NoUnits {
        /// The input folder.
        dir: String,
    },
    /// The worker pool could not be started.
    #[error("无法启动并行处理：{0}")]
    Pool(String),
}

/// How one unit (or the department) came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitStatus {
    /// Converted, no error findings (warnings allowed).
    Ok,
    /// Converted, with error findings.
    Findings,
    /// Could not be converted.
    Failed,
}

impl UnitStatus {
    /// 通过, 有错误 or 失败.
    pub fn label(self) -> &'static str {
        match self {
            UnitStatus::Ok => "通过",
            UnitStatus::Findings => "有错误",
            UnitStatus::Failed => "失败",
        }
    }
}

/// One row of the summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitOutcome {
    /// The input, relative to the batch folder (`/` separators); for the department, its
    /// output file name.
    pub file: String,
    /// The unit name (units.csv, else the recognised 编制单位, else the file name).
    pub unit: String,
    /// 行政, 参公 or 事业, when known.
    pub kind: Option<String>,
    /// ok, findings or failed.
    pub status: UnitStatus,
    /// 收入总计 (表2 合计), 元.
    pub income_total: Option<Decimal>,
    /// 支出总计 (表3 合计), 元.
    pub expenditure_total: Option<Decimal>,
    /// Error-severity findings.
    pub errors: usize,
    /// Warning-severity findings.
    pub warnings: usize,
    /// The first error finding, or why the unit failed.
    pub first_error: Option<String>,
    /// The written workbook, relative to the output folder.
    pub output: Option<String>,
}

impl UnitOutcome {
    /// One line on what went wrong: "文件（N 个错误）：首个错误" for a unit with findings; for
    /// a failed one the reason, its leading path shortened to the file
    /// ("0007_损坏.xlsx：文件已损坏…", "0001.xlsb 的工作表「表2」…"), or "文件：原因" when the
    /// reason does not start with the path.
    fn problem(&self) -> String {
        let reason = self.first_error.as_deref().unwrap_or("");
        match self.status {
            UnitStatus::Findings => format!("{}（{} 个错误）：{reason}", self.file, self.errors),
            _ => match after_leading_path(reason, &self.file) {
                Some(rest) => format!("{}{rest}", self.file),
                None => format!("{}：{reason}", self.file),
            },
        }
    }
}

/// What follows `file` when `text` starts with a path to it ("in/a.xlsx：…" → "：…"); `None`
/// when it does not (a path is folders ending in a separator, without spaces or a "：").
fn after_leading_path<'a>(text: &'a str, file: &str) -> Option<&'a str> {
    let at = text.find(file)?;
    let folders = &text[..at];
    let path_like = folders.is_empty()
        || (folders.ends_with(['/', '\\'])
            && !folders.contains(char::is_whitespace)
            && !folders.contains('：'));
    path_like.then(|| &text[at + file.len()..])
}

/// Adds the first `limit` of `items` as indented lines, then "……另有 N 个" and `more` for the
/// rest.
fn listed(lines: &mut Vec<String>, items: &[String], limit: usize, more: &str) {
    lines.extend(items.iter().take(limit).map(|item| format!("  {item}")));
    if items.len() > limit {
        lines.push(format!("  ……另有 {} 个{more}", items.len() - limit));
    }
}

/// Everything a batch produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchReport {
    /// One outcome per unit, in input path order.
    pub units: Vec<UnitOutcome>,
    /// The consolidated department.
    pub department: UnitOutcome,
    /// Files under the folder that are not unit submissions (relative paths).
    pub ignored: Vec<String>,
    /// Workbooks in `OUTDIR/units` this batch did not write (left by an earlier batch over a
    /// unit since removed or renamed), relative to the output folder: never deleted, only
    /// named, so no one takes them for this batch's results.
    #[serde(default)]
    pub stale: Vec<String>,
}

impl BatchReport {
    /// How many outcomes (units and department) are ok, findings, failed.
    pub fn counts(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for o in self.units.iter().chain(std::iter::once(&self.department)) {
            counts[o.status as usize] += 1;
        }
        counts
    }

    /// One line for the user, e.g. "共 6 个单位：通过 5 个，有错误 0 个，失败 1 个；部门汇总：通过".
    pub fn describe(&self) -> String {
        let mut counts = [0; 3];
        for o in &self.units {
            counts[o.status as usize] += 1;
        }
        format!(
            "共 {} 个单位：通过 {} 个，有错误 {} 个，失败 {} 个；部门汇总：{}",
            self.units.len(),
            counts[0],
            counts[1],
            counts[2],
            self.department.status.label()
        )
    }

    /// What the budget officer must look at, as lines to print under [`BatchReport::describe`]:
    /// the failed units with why, then the units with error findings with their count and
    /// first error, then the department when it did not pass; at most `limit` units per group,
    /// the rest counted. Empty when everything passed.
    ///
    /// ```text
    /// 失败的单位：
    ///   0007_损坏.xlsx：文件已损坏或不完整（……）
    /// 有错误的单位：
    ///   0003_joined-codes.xlsx（2 个错误）：表3 合计 ≠ 基本支出 + 项目支出（表3 F12）
    /// ```
    pub fn problems(&self, limit: usize) -> Vec<String> {
        let mut lines = Vec::new();
        for (status, heading) in [
            (UnitStatus::Failed, "失败的单位："),
            (UnitStatus::Findings, "有错误的单位："),
        ] {
            let units: Vec<&UnitOutcome> =
                self.units.iter().filter(|u| u.status == status).collect();
            if units.is_empty() {
                continue;
            }
            lines.push(heading.to_string());
            let problems: Vec<String> = units.iter().map(|u| u.problem()).collect();
            listed(&mut lines, &problems, limit, "，详见 summary.xlsx");
        }
        if !self.stale.is_empty() {
            lines.push(format!(
                "输出文件夹中另有 {} 个不是本次生成的单位工作簿（之前处理留下的，可以删除）：",
                self.stale.len()
            ));
            listed(&mut lines, &self.stale, limit, "");
        }
        let department = &self.department;
        match department.status {
            UnitStatus::Ok => {}
            UnitStatus::Findings => lines.push(format!("部门汇总 {}", department.problem())),
            UnitStatus::Failed => {
                let reason = department.first_error.as_deref().unwrap_or("");
                let reason = reason.strip_prefix("部门汇总：").unwrap_or(reason);
                lines.push(format!("部门汇总失败：{reason}"));
            }
        }
        lines
    }

    /// The exit code: 2 when any unit (or the department) failed, else 1 when any has error
    /// findings, else 0.
    pub fn exit_code(&self) -> u8 {
        match self.counts() {
            [_, _, failed] if failed > 0 => 2,
            [_, findings, _] if findings > 0 => 1,
            _ => 0,
        }
    }
}

/// Loads one input into a recognised submission; errors say which file.
pub type LoadFn = dyn Fn(&Path) -> Result<Submission, String> + Sync;
/// Renders a budget and its findings as workbook bytes.
pub type RenderFn = dyn Fn(&Budget, &[Finding]) -> Result<Vec<u8>, String> + Sync;

/// The pipeline steps a batch runs, replaceable for tests.
pub struct Pipeline<'a> {
    /// read + recognise.
    pub load: &'a LoadFn,
    /// write.
    pub render: &'a RenderFn,
}

/// Runs a batch with the real pipeline (`crate::load`, `write::workbook`).
pub fn run(plan: &BatchPlan, progress: &dyn Progress) -> Result<BatchReport, BatchError> {
    let options = plan.options.clone();
    let load = |path: &Path| crate::load(path).map_err(|e| e.to_string());
    let render = move |budget: &Budget, findings: &[Finding]| {
        write::workbook(budget, findings, &options).map_err(|e| e.to_string())
    };
    run_with(
        plan,
        progress,
        &Pipeline {
            load: &load,
            render: &render,
        },
    )
}

/// What a batch over a folder converts.
#[derive(Debug, Clone, Default)]
pub struct Found {
    /// The units, with what units.csv says of them.
    pub units: Vec<UnitInput>,
    /// Files that are not units (listed in the summary).
    pub ignored: Vec<String>,
    /// Files units.csv lists that are not there.
    pub missing: Vec<String>,
    /// DIR/units.csv (empty without one).
    pub list: UnitsList,
}

/// The units under `input_dir` (not counting `output_dir`), with DIR/units.csv applied.
pub fn discover(input_dir: &Path, output_dir: &Path) -> Result<Found, BatchError> {
    let (mut units, ignored) = find_units(input_dir, Some(output_dir))?;
    let listing = input_dir.join("units.csv");
    let list = if listing.is_file() {
        read_units_csv(&listing)?
    } else {
        UnitsList::default()
    };
    let missing = apply_units_list(&mut units, &list);
    Ok(Found {
        units,
        ignored,
        missing,
        list,
    })
}

/// Runs a batch with the given pipeline steps.
pub fn run_with(
    plan: &BatchPlan,
    progress: &dyn Progress,
    pipeline: &Pipeline<'_>,
) -> Result<BatchReport, BatchError> {
    let units_dir = prepare_output(plan)?;
    let Found {
        units,
        ignored,
        missing,
        list,
    } = discover(&plan.input_dir, &plan.output_dir)?;
    if units.is_empty() && missing.is_empty() {
        return Err(BatchError::NoUnits {
            dir: plan.input_dir.display().to_string(),
        });
    }
    progress.start(units.len());
    let (mut outcomes, consolidation) = convert_all(&units, plan, pipeline, progress, &units_dir)?;
    outcomes.extend(
        missing
            .iter()
            .map(|file| failed_outcome(file, file, format!("units.csv 列出的文件 {file} 不存在"))),
    );
    outcomes.sort_by(|a, b| a.file.cmp(&b.file));
    let name = department_name(&list, &outcomes, &plan.input_dir);
    let mut department = department(&name, consolidation, pipeline, &plan.output_dir);
    flag_duplicate_units(&mut outcomes, &mut department);
    let stale = stale_workbooks(&units_dir, &outcomes);
    let report = BatchReport {
        units: outcomes,
        department,
        ignored,
        stale,
    };
    write_summary(&report, &plan.output_dir)?;
    progress.finish();
    Ok(report)
}

/// The `.xlsx` files in `units_dir` that no outcome names as its output ("units/<name>"),
/// sorted.
fn stale_workbooks(units_dir: &Path, outcomes: &[UnitOutcome]) -> Vec<String> {
    let written: std::collections::HashSet<&str> = outcomes
        .iter()
        .filter_map(|o| o.output.as_deref())
        .collect();
    let Ok(entries) = std::fs::read_dir(units_dir) else {
        return Vec::new();
    };
    let mut stale: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| name.to_ascii_lowercase().ends_with(".xlsx"))
        .map(|name| format!("units/{name}"))
        .filter(|path| !written.contains(path.as_str()))
        .collect();
    stale.sort();
    stale
}

/// Checks the folders and creates `OUTDIR/units`; returns that folder.
fn prepare_output(plan: &BatchPlan) -> Result<PathBuf, BatchError> {
    let input = &plan.input_dir;
    if !input.is_dir() {
        return Err(BatchError::NotADirectory {
            dir: input.display().to_string(),
        });
    }
    let units_dir = plan.output_dir.join("units");
    if discover::same_path(input, &plan.output_dir) || discover::same_path(input, &units_dir) {
        return Err(BatchError::OutputIsInput {
            dir: input.display().to_string(),
        });
    }
    std::fs::create_dir_all(&units_dir).map_err(|e| BatchError::Io {
        path: units_dir.display().to_string(),
        reason: crate::report::io_reason(&e),
    })?;
    Ok(units_dir)
}

/// Converts every unit on the worker pool: outcomes in unit order and the consolidation of the
/// converted units, folded in unit order (so names and results never depend on scheduling, and
/// no more than a few budgets are alive at once).
fn convert_all(
    units: &[UnitInput],
    plan: &BatchPlan,
    pipeline: &Pipeline<'_>,
    progress: &dyn Progress,
    units_dir: &Path,
) -> Result<(Vec<UnitOutcome>, Consolidation), BatchError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(plan.jobs.unwrap_or_else(default_jobs))
        .build()
        .map_err(|e| BatchError::Pool(e.to_string()))?;
    Ok(pool.install(|| {
        units
            .par_iter()
            .map(|unit| {
                let (outcome, budget) = process(unit, pipeline, units_dir);
                progress.unit_done(&outcome.unit, outcome.status);
                let mut c = Consolidation::new();
                if let Some((budget, kind)) = budget {
                    c.add_owned(budget, kind);
                }
                (vec![outcome], c)
            })
            .reduce(
                || (Vec::new(), Consolidation::new()),
                |(mut a, ca), (b, cb)| {
                    a.extend(b);
                    (a, ca.merge(cb))
                },
            )
    }))
}

/// Writes summary.json and summary.xlsx.
fn write_summary(report: &BatchReport, output_dir: &Path) -> Result<(), BatchError> {
    save(&output_dir.join("summary.json"), &summary::json(report))?;
    let path = output_dir.join("summary.xlsx");
    let xlsx = summary::xlsx(report).map_err(|e| BatchError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    save(&path, &xlsx)
}

fn save(path: &Path, bytes: &[u8]) -> Result<(), BatchError> {
    write::save_atomically(path, bytes).map_err(|e| BatchError::Io {
        path: path.display().to_string(),
        reason: crate::report::io_reason(&e),
    })
}

/// Writes a unit's or the department's workbook; a failure (in Chinese, with the path) becomes
/// that one outcome's error, not the batch's.
fn save_workbook(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write::save_atomically(path, bytes).map_err(|e| {
        format!(
            "无法写入 {}：{}",
            path.display(),
            crate::report::io_reason(&e)
        )
    })
}

/// The department's name: units.csv's 部门名称, else the unit called "…本部" without 本部,
/// else the input folder's name.
fn department_name(list: &UnitsList, outcomes: &[UnitOutcome], input: &Path) -> String {
    if let Some(name) = &list.department {
        return name.clone();
    }
    if let Some(head) = outcomes
        .iter()
        .find_map(|o| o.unit.strip_suffix("本部").filter(|s| !s.is_empty()))
    {
        return head.to_string();
    }
    input
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "部门".to_string())
}

fn failed_outcome(file: &str, unit: &str, message: String) -> UnitOutcome {
    UnitOutcome {
        file: file.to_string(),
        unit: unit.to_string(),
        kind: None,
        status: UnitStatus::Failed,
        income_total: None,
        expenditure_total: None,
        errors: 0,
        warnings: 0,
        first_error: Some(message),
        output: None,
    }
}

/// The text of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".to_string())
}

/// A finding as one line: message plus the submitted cell.
fn finding_text(f: &Finding) -> String {
    match &f.location {
        Some(l) => format!("{}（{} {}）", f.message, l.sheet, l.cell),
        None => f.message.clone(),
    }
}

/// The outcome of a converted budget.
fn converted(
    file: &str,
    unit: String,
    budget: &Budget,
    findings: &[Finding],
    output: String,
) -> UnitOutcome {
    let errors = findings.iter().filter(|f| f.is_error()).count();
    UnitOutcome {
        file: file.to_string(),
        unit,
        kind: budget.meta.unit_kind.map(|k| k.label().to_string()),
        status: if errors > 0 {
            UnitStatus::Findings
        } else {
            UnitStatus::Ok
        },
        income_total: Some(budget.income.total_or_sum().total),
        expenditure_total: Some(budget.expenditure.total_or_sum().total),
        errors,
        warnings: findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count(),
        first_error: findings.iter().find(|f| f.is_error()).map(finding_text),
        output: Some(output),
    }
}

/// A loaded unit as the batch writes it, with its findings: the kind from units.csv when it
/// gives one, the unit's name (from units.csv, else its file) when the input names no 编制单位.
pub fn checked(unit: &UnitInput, mut submission: Submission) -> (Budget, Vec<Finding>) {
    let budget = &mut submission.budget;
    if unit.kind.is_some() {
        budget.meta.unit_kind = unit.kind;
    }
    if budget.meta.entity.trim().is_empty() {
        budget.meta.entity = fallback_name(unit);
    }
    let findings = check::check(&submission);
    (submission.budget, findings)
}

/// The unit's name when its input names none: units.csv's, else its output file's stem.
fn fallback_name(unit: &UnitInput) -> String {
    unit.name
        .clone()
        .unwrap_or_else(|| unit.output_stem.clone())
}

/// One unit through the pipeline, with errors and panics caught. Returns its outcome and, when
/// it converted, its budget and kind for the consolidation.
fn process(
    unit: &UnitInput,
    pipeline: &Pipeline<'_>,
    units_dir: &Path,
) -> (UnitOutcome, Option<(Budget, Option<UnitKind>)>) {
    let fallback_name = fallback_name(unit);
    let attempt = catch_unwind(AssertUnwindSafe(|| -> Result<_, String> {
        let submission = (pipeline.load)(&unit.path)?;
        let (budget, findings) = checked(unit, submission);
        let bytes = (pipeline.render)(&budget, &findings)?;
        let file_name = format!("{}.xlsx", unit.output_stem);
        let path = units_dir.join(&file_name);
        save_workbook(&path, &bytes)?;
        let name = unit
            .name
            .clone()
            .unwrap_or_else(|| budget.meta.entity.clone());
        let outcome = converted(
            &unit.file,
            name,
            &budget,
            &findings,
            format!("units/{file_name}"),
        );
        let kind = budget.meta.unit_kind;
        Ok((outcome, Some((budget, kind))))
    }));
    match attempt {
        Ok(Ok(done)) => done,
        Ok(Err(message)) => (failed_outcome(&unit.file, &fallback_name, message), None),
        Err(payload) => {
            let message = format!(
                "处理 {} 时程序内部出错：{}",
                unit.file,
                panic_message(payload.as_ref())
            );
            (failed_outcome(&unit.file, &fallback_name, message), None)
        }
    }
}

/// Two converted inputs naming the same unit (a resubmission left beside the first one) are
/// both added into the department: each later one becomes an error finding, and so does the
/// department, so the double count cannot pass unnoticed.
fn flag_duplicate_units(outcomes: &mut [UnitOutcome], department: &mut UnitOutcome) {
    let mut first: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut duplicates = Vec::new();
    for outcome in outcomes.iter_mut() {
        if outcome.status == UnitStatus::Failed {
            continue;
        }
        let Some(earlier) = first.get(&outcome.unit) else {
            first.insert(outcome.unit.clone(), outcome.file.clone());
            continue;
        };
        let message = format!(
            "{} 与 {} 是同一单位“{}”的报送材料，部门汇总中被重复计入；请只保留一份后重新运行",
            outcome.file, earlier, outcome.unit
        );
        outcome.status = outcome.status.max(UnitStatus::Findings);
        outcome.errors += 1;
        outcome.first_error = Some(message.clone());
        duplicates.push(message);
    }
    if let Some(message) = duplicates.first()
        && department.status != UnitStatus::Failed
    {
        department.status = UnitStatus::Findings;
        department.errors += duplicates.len();
        department.first_error = Some(message.clone());
    }
}

/// Checks, renders and writes the consolidated department.
fn department(
    name: &str,
    consolidation: Consolidation,
    pipeline: &Pipeline<'_>,
    output_dir: &Path,
) -> UnitOutcome {
    let mut stem = sanitize_file_stem(name);
    if stem.eq_ignore_ascii_case("summary") || stem.eq_ignore_ascii_case("units") {
        stem.push_str("_部门");
    }
    let file_name = format!("{stem}.xlsx");
    if consolidation.units() == 0 {
        return failed_outcome(
            &file_name,
            name,
            "没有任何单位转换成功，无法汇总部门预算".into(),
        );
    }
    let attempt = catch_unwind(AssertUnwindSafe(|| -> Result<UnitOutcome, String> {
        let budget = consolidation.finish(name);
        let submission = Submission {
            budget,
            ..Submission::default()
        };
        let findings = check::check(&submission);
        let bytes = (pipeline.render)(&submission.budget, &findings)?;
        let path = output_dir.join(&file_name);
        save_workbook(&path, &bytes)?;
        Ok(converted(
            &file_name,
            name.to_string(),
            &submission.budget,
            &findings,
            file_name.clone(),
        ))
    }));
    match attempt {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(message)) => failed_outcome(&file_name, name, format!("部门汇总：{message}")),
        Err(payload) => failed_outcome(
            &file_name,
            name,
            format!(
                "部门汇总时程序内部出错：{}",
                panic_message(payload.as_ref())
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(file: &str, status: UnitStatus, errors: usize, first_error: &str) -> UnitOutcome {
        UnitOutcome {
            errors,
            status,
            first_error: Some(first_error.to_string()),
            ..failed_outcome(file, file, String::new())
        }
    }

    #[test]
    fn problem_lines_shorten_a_leading_path_and_keep_every_other_reason_whole() {
        let report = BatchReport {
            units: vec![
                outcome(
                    "sub/0001_坏.xlsb",
                    UnitStatus::Failed,
                    0,
                    "/tmp/in/sub/0001_坏.xlsb 的工作表「表2」内容已损坏，无法读取",
                ),
                outcome(
                    "a.xlsx",
                    UnitStatus::Failed,
                    0,
                    "无法读取文件 /tmp/in/a.xlsx：权限不足",
                ),
                outcome("b.csv", UnitStatus::Failed, 0, "in/b.csv：文件是空的"),
                outcome(
                    "c.xlsx",
                    UnitStatus::Findings,
                    2,
                    "合计不等于各列之和（表3 F8）",
                ),
            ],
            department: outcome("部门.xlsx", UnitStatus::Findings, 1, "表1 收支不平衡"),
            ignored: Vec::new(),
            stale: vec!["units/旧单位.xlsx".into()],
        };
        assert_eq!(
            report.problems(10),
            [
                "失败的单位：",
                "  sub/0001_坏.xlsb 的工作表「表2」内容已损坏，无法读取",
                "  a.xlsx：无法读取文件 /tmp/in/a.xlsx：权限不足",
                "  b.csv：文件是空的",
                "有错误的单位：",
                "  c.xlsx（2 个错误）：合计不等于各列之和（表3 F8）",
                "输出文件夹中另有 1 个不是本次生成的单位工作簿（之前处理留下的，可以删除）：",
                "  units/旧单位.xlsx",
                "部门汇总 部门.xlsx（1 个错误）：表1 收支不平衡",
            ]
        );

        // Past the limit, each list is cut and the rest counted.
        let mut more = report.clone();
        more.stale.push("units/更旧单位.xlsx".into());
        assert_eq!(
            more.problems(1),
            [
                "失败的单位：",
                "  sub/0001_坏.xlsb 的工作表「表2」内容已损坏，无法读取",
                "  ……另有 2 个，详见 summary.xlsx",
                "有错误的单位：",
                "  c.xlsx（2 个错误）：合计不等于各列之和（表3 F8）",
                "输出文件夹中另有 2 个不是本次生成的单位工作簿（之前处理留下的，可以删除）：",
                "  units/旧单位.xlsx",
                "  ……另有 1 个",
                "部门汇总 部门.xlsx（1 个错误）：表1 收支不平衡",
            ]
        );
    }
}
