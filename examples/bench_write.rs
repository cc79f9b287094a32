//! The writer alone: loads and checks every unit under a folder (untimed), then renders each
//! unit's workbook `REPS` times on one thread and prints the time per workbook; with an output
//! folder it also saves each rendered workbook there (`save_atomically`) and times that apart.
//! For profiling `write::workbook` (e.g. under callgrind, where the load is a fixed cost).
//!
//! Usage: `bench_write INDIR [REPS] [OUTDIR]`

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("用法：bench_write INDIR [REPS] [OUTDIR]");
        std::process::exit(2);
    };
    let reps: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(1);
    let out = args.get(2).map(Path::new);
    let (units, _) = match yusuan::batch::find_units(Path::new(dir), None) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("bench_write：{e}");
            std::process::exit(2);
        }
    };
    let loaded: Vec<_> = units
        .iter()
        .filter_map(|u| yusuan::load(&u.path).ok())
        .map(|s| {
            let findings = yusuan::check::check(&s);
            (s.budget, findings)
        })
        .collect();
    let options = yusuan::write::WriteOptions::default();
    let (mut render, mut save) = (Duration::ZERO, Duration::ZERO);
    let mut bytes_total = 0usize;
    for _ in 0..reps {
        for (i, (budget, findings)) in loaded.iter().enumerate() {
            let t = Instant::now();
            let Ok(bytes) = yusuan::write::workbook(budget, findings, &options) else {
                eprintln!("bench_write：第 {i} 个单位写出失败");
                std::process::exit(1);
            };
            render += t.elapsed();
            bytes_total += bytes.len();
            if let Some(out) = out {
                let t = Instant::now();
                let path = out.join(format!("{i:05}.xlsx"));
                if let Err(e) = yusuan::write::save_atomically(&path, &bytes) {
                    eprintln!("bench_write：{}：{e}", path.display());
                    std::process::exit(1);
                }
                save += t.elapsed();
            }
        }
    }
    let n = (loaded.len() * reps).max(1) as f64;
    println!(
        "render: {:.3} ms/workbook, save: {:.3} ms/workbook, {:.1} KB/workbook, {} workbooks",
        render.as_secs_f64() * 1e3 / n,
        save.as_secs_f64() * 1e3 / n,
        bytes_total as f64 / n / 1024.0,
        n
    );
}
