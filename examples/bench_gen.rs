//! Benchmark input generator: splits a budget (canonical model as JSON) into N synthetic units
//! in rotating shapes and writes them, with units.csv, to a folder.
//!
//! Usage: `bench_gen BUDGET.json N SEED OUTDIR`

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [budget, n, seed, out] = args.as_slice() else {
        eprintln!("用法：bench_gen BUDGET.json N SEED OUTDIR");
        return ExitCode::from(2);
    };
    let run = || -> Result<usize, String> {
        let text = std::fs::read_to_string(budget).map_err(|e| format!("{budget}：{e}"))?;
        let budget: yusuan::model::Budget =
            serde_json::from_str(&text).map_err(|e| format!("{budget}：{e}"))?;
        let n: usize = n.parse().map_err(|_| format!("N 不是数字：{n}"))?;
        let seed: u64 = seed.parse().map_err(|_| format!("SEED 不是数字：{seed}"))?;
        let paths = yusuan::synth::generate_units(&budget, n, seed, &PathBuf::from(out))
            .map_err(|e| format!("{out}：{e}"))?;
        Ok(paths.len())
    };
    match run() {
        Ok(n) => {
            println!("generated {n} units in {out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bench_gen：{e}");
            ExitCode::from(2)
        }
    }
}
