//! The command line: clap parses the raw arguments, then [`Args::into_job`] validates them into
//! a [`Job`] that knows what to run. Nothing here reads budgets or writes workbooks.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use yusuan::model::{MoneyUnit, UnitKind};
use yusuan::write::WriteOptions;

/// yusuan（预算）：把预算单位报送的预算数据转换为九张部门预算公开表，并逐项校验。
#[derive(Debug, Parser)]
#[command(
    name = "yusuan",
    version,
    about,
    long_about = None,
    help_template = HELP_TEMPLATE,
    override_usage = "yusuan <命令> [选项]",
    subcommand_help_heading = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
    /// 显示帮助
    #[arg(short, long, action = clap::ArgAction::Help, global = true, help_heading = "选项")]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long, action = clap::ArgAction::Version, help_heading = "选项")]
    version: Option<bool>,
}

/// clap's help layout with Chinese headings.
const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Debug, Subcommand)]
enum Command {
    /// 读取一份报送材料（工作簿、CSV 文件夹或公开文本），校验后生成九张公开表工作簿
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "yusuan convert <输入> -o <输出.xlsx> [选项]"
    )]
    Convert {
        /// 输入：.xlsx/.xlsm/.xls/.xlsb/.ods、.csv/.tsv/.txt，或存放 CSV 的文件夹
        #[arg(help_heading = "参数")]
        input: PathBuf,
        /// 输出工作簿路径（.xlsx）
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        render: RenderArgs,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// 只校验，不生成工作簿
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "yusuan check <输入> [选项]"
    )]
    Check {
        /// 输入：.xlsx/.xlsm/.xls/.xlsb/.ods、.csv/.tsv/.txt，或存放 CSV 的文件夹
        #[arg(help_heading = "参数")]
        input: PathBuf,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// 批量处理一个文件夹中的各单位报送材料，生成单位工作簿、部门汇总工作簿和结果汇总
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "yusuan batch <文件夹> -o <输出文件夹> [选项]"
    )]
    Batch {
        /// 存放各单位报送材料的文件夹（可含 units.csv）
        #[arg(help_heading = "参数")]
        dir: PathBuf,
        /// 输出文件夹
        #[arg(short, long)]
        output: PathBuf,
        /// 不显示进度
        #[arg(short, long)]
        quiet: bool,
        /// 同时处理的单位数（默认为 CPU 核数的两倍）
        #[arg(short, long, value_parser = parse_jobs)]
        jobs: Option<usize>,
        #[command(flatten)]
        render: RenderArgs,
    },
    /// 把一份预算拆分为 N 个模拟单位，以各种报送格式写入文件夹（用于测试和性能评估）
    #[command(
        help_template = HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "yusuan generate -o <输出文件夹> [选项]"
    )]
    Generate {
        /// 作为拆分来源的报送材料（默认 samples/seed-disclosure.txt）
        #[arg(
            long,
            default_value = "samples/seed-disclosure.txt",
            hide_default_value = true
        )]
        from: PathBuf,
        /// 单位个数（默认 6）
        #[arg(short = 'n', long, default_value_t = 6, hide_default_value = true)]
        units: usize,
        /// 随机种子（相同种子生成相同数据；默认 1）
        #[arg(long, default_value_t = 1, hide_default_value = true)]
        seed: u64,
        /// 输出文件夹
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Debug, clap::Args)]
struct CommonArgs {
    /// 输出格式：text（分表列出，默认）或 json
    #[arg(
        long,
        value_enum,
        default_value_t = Format::Text,
        hide_possible_values = true,
        hide_default_value = true
    )]
    format: Format,
    /// 单位类型（用于核对机关运行经费）：行政、参公或事业
    #[arg(long, value_parser = parse_kind)]
    kind: Option<UnitKind>,
}

#[derive(Debug, clap::Args)]
struct RenderArgs {
    /// 输出金额单位：元（默认）或 万元
    #[arg(long, default_value = "元", value_parser = parse_unit, hide_default_value = true)]
    unit: MoneyUnit,
    /// 零值显示：blank（留空，与公开表一致，默认）或 0
    #[arg(
        long,
        value_enum,
        default_value_t = Zero::Blank,
        hide_possible_values = true,
        hide_default_value = true
    )]
    zero: Zero,
    /// 增加封面和目录
    #[arg(long)]
    cover: bool,
}

impl RenderArgs {
    fn options(&self) -> WriteOptions {
        WriteOptions {
            unit: self.unit,
            zeros_as_digits: self.zero == Zero::Digit,
            cover: self.cover,
        }
    }
}

/// How findings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// 按表分组的中文文本
    Text,
    /// 标准输出上的一个 JSON 对象
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Zero {
    Blank,
    #[value(name = "0")]
    Digit,
}

fn parse_unit(s: &str) -> Result<MoneyUnit, String> {
    match s.trim() {
        "元" | "yuan" => Ok(MoneyUnit::Yuan),
        "万元" | "wan" => Ok(MoneyUnit::WanYuan),
        other => Err(format!("金额单位只能是“元”或“万元”，而不是“{other}”")),
    }
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("同时处理的单位数应为正整数，而不是“{s}”")),
    }
}

fn parse_kind(s: &str) -> Result<UnitKind, String> {
    UnitKind::from_label(s).ok_or_else(|| format!("单位类型只能是 行政、参公 或 事业，而不是“{s}”"))
}

/// What to run, validated.
#[derive(Debug)]
pub enum Job {
    /// Read, check, write one workbook.
    Convert {
        /// The input file or folder.
        input: PathBuf,
        /// The workbook to write.
        output: PathBuf,
        /// Rendering options.
        options: WriteOptions,
        /// Findings format.
        format: Format,
        /// Unit kind override.
        kind: Option<UnitKind>,
    },
    /// Read and check one input.
    Check {
        /// The input file or folder.
        input: PathBuf,
        /// Findings format.
        format: Format,
        /// Unit kind override.
        kind: Option<UnitKind>,
    },
    /// A folder of units.
    Batch {
        /// The folder of unit submissions.
        dir: PathBuf,
        /// The output folder.
        output: PathBuf,
        /// No progress display.
        quiet: bool,
        /// Rendering options of every written workbook.
        options: WriteOptions,
        /// Worker threads (`None`: the default).
        jobs: Option<usize>,
    },
    /// Synthetic units for tests and benchmarks.
    Generate {
        /// The budget to split.
        from: PathBuf,
        /// How many units.
        units: usize,
        /// PRNG seed.
        seed: u64,
        /// Output folder.
        output: PathBuf,
    },
}

impl Args {
    /// Validates the parsed arguments into a job, or says in Chinese why they cannot work.
    pub fn into_job(self) -> Result<Job, String> {
        match self.command {
            Command::Convert {
                input,
                output,
                render,
                common,
            } => {
                check_output_name(&output)?;
                refuse_overwriting_input(&input, &output)?;
                Ok(Job::Convert {
                    input,
                    output,
                    options: render.options(),
                    format: common.format,
                    kind: common.kind,
                })
            }
            Command::Check { input, common } => Ok(Job::Check {
                input,
                format: common.format,
                kind: common.kind,
            }),
            Command::Batch {
                dir,
                output,
                quiet,
                jobs,
                render,
            } => {
                if !dir.is_dir() {
                    return Err(format!("{} 不是文件夹", dir.display()));
                }
                Ok(Job::Batch {
                    dir,
                    output,
                    quiet,
                    options: render.options(),
                    jobs,
                })
            }
            Command::Generate {
                from,
                units,
                seed,
                output,
            } => {
                if units == 0 {
                    return Err("单位个数至少为 1".into());
                }
                refuse_non_empty_folder(&output)?;
                Ok(Job::Generate {
                    from,
                    units,
                    seed,
                    output,
                })
            }
        }
    }
}

/// The output of `convert` is one .xlsx workbook: a folder, or a name Excel would not open as
/// a workbook (`结果.csv`, `结果`), is refused before any work is done.
fn check_output_name(output: &Path) -> Result<(), String> {
    let example = |dir: &Path| dir.join("公开表.xlsx").display().to_string();
    if output.is_dir() {
        return Err(format!(
            "输出路径 {} 是一个文件夹，请给出工作簿的文件名，例如 {}",
            output.display(),
            example(output)
        ));
    }
    let is_xlsx = output
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(format!(
            "输出文件 {} 的扩展名应为 .xlsx（生成的是 Excel 工作簿），例如 {}",
            output.display(),
            output.with_extension("xlsx").display()
        ));
    }
    Ok(())
}

/// A usage error in Chinese (clap's own text is English): what is wrong and where to look.
pub fn usage_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let context = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let suggestion = |kind| {
        let s = context(kind);
        if s.is_empty() {
            String::new()
        } else {
            format!("（是不是想用 {s}？）")
        }
    };
    let what = match e.kind() {
        ErrorKind::InvalidValue => {
            let valid = context(ContextKind::ValidValue);
            let valid = if valid.is_empty() {
                String::new()
            } else {
                format!("，可选值：{valid}")
            };
            format!(
                "参数 {} 的值“{}”无效{valid}",
                context(ContextKind::InvalidArg),
                context(ContextKind::InvalidValue)
            )
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e)
                .map(|r| r.to_string())
                .filter(|r| !r.is_ascii())
                .unwrap_or_else(|| {
                    format!("“{}”不是有效的数字", context(ContextKind::InvalidValue))
                });
            format!(
                "参数 {} 的值无效：{reason}",
                context(ContextKind::InvalidArg)
            )
        }
        ErrorKind::UnknownArgument => format!(
            "不认识的参数 {}{}",
            context(ContextKind::InvalidArg),
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidSubcommand => format!(
            "不认识的命令 {}{}；可用的命令：convert、check、batch、generate",
            context(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", context(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "缺少命令：convert、check、batch 或 generate".to_string()
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("参数 {} 用法有误", context(ContextKind::InvalidArg))
        }
        _ => format!(
            "参数有误：{}",
            e.to_string().trim().trim_start_matches("error: ")
        ),
    };
    format!("{what}。用 yusuan --help 查看用法")
}

/// `generate` writes `0001_….xlsx`, `units.csv`, … into its folder, replacing files of those
/// names: a folder that already holds anything (real submissions, an officer's units.csv, the
/// `--from` input itself) is refused.
fn refuse_non_empty_folder(output: &Path) -> Result<(), String> {
    if output.exists() && !output.is_dir() {
        return Err(format!("输出路径 {} 不是文件夹", output.display()));
    }
    let count = std::fs::read_dir(output).map_or(0, |entries| entries.count());
    if count > 0 {
        return Err(format!(
            "输出文件夹 {} 不是空的（已有 {count} 项），模拟单位会覆盖其中的同名文件和 units.csv；请换一个空文件夹或新文件夹",
            output.display()
        ));
    }
    Ok(())
}

/// Refuses an output path that is the input itself (or would replace a file inside it).
fn refuse_overwriting_input(input: &Path, output: &Path) -> Result<(), String> {
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b || b.starts_with(&a) && a.is_dir(),
        _ => false,
    };
    if same {
        return Err(format!(
            "输出文件 {} 会覆盖输入，请换一个输出路径",
            output.display()
        ));
    }
    Ok(())
}
