//! Where batch time goes: runs every unit under a folder through each pipeline stage in turn
//! (read → recognise → check → write) on one thread and prints the total time per stage.
//!
//! Usage: `bench_stages INDIR`

use std::path::Path;
use std::time::{Duration, Instant};

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("用法：bench_stages INDIR");
        std::process::exit(2);
    };
    let (units, _) = match yusuan::batch::find_units(Path::new(&dir), None) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("bench_stages：{e}");
            std::process::exit(2);
        }
    };
    let mut spent = [Duration::ZERO; 4];
    let mut failed = 0;
    let mut timed = |i: usize, start: Instant| spent[i] += start.elapsed();
    for unit in &units {
        let t = Instant::now();
        let Ok(grids) = yusuan::read::read_path(&unit.path) else {
            failed += 1;
            continue;
        };
        timed(0, t);
        let t = Instant::now();
        let Ok(submission) = yusuan::recognize::recognize(&grids) else {
            failed += 1;
            continue;
        };
        timed(1, t);
        let t = Instant::now();
        let findings = yusuan::check::check(&submission);
        timed(2, t);
        let t = Instant::now();
        let options = yusuan::write::WriteOptions::default();
        if yusuan::write::workbook(&submission.budget, &findings, &options).is_err() {
            failed += 1;
        }
        timed(3, t);
    }
    let n = units.len().max(1) as f64;
    for (name, d) in ["read", "recognize", "check", "write"].iter().zip(spent) {
        println!(
            "{name:>10}: {:8.3} s total, {:7.3} ms/unit",
            d.as_secs_f64(),
            d.as_secs_f64() * 1e3 / n
        );
    }
    println!("{} units, {failed} failed", units.len());
}
