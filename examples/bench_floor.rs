//! The batch benchmark's floor: the least work any batch over the same folder must do — read
//! every unit's cells (calamine for workbooks, csv + encoding_rs for CSV/TSV) and write the
//! same cells the batch writes to one xlsx per unit with rust_xlsxwriter, in parallel on the
//! same rayon pool, each saved as the batch saves (`save_atomically`). No recognition, checks,
//! derivations, layout or consolidation.
//!
//! `bench_floor INDIR OUTDIR [BATCH_OUTDIR]`: the floor. Before the clock starts each unit is
//! loaded and checked as the batch does (`batch::checked`) and its official workbook planned
//! (`write::plan`: every value, format, merge, width, height and the page setup, the batch's
//! default options); the timed part reads the unit's files (discarding the cells) and renders
//! the plan (`Book::render`, which only replays it through rust_xlsxwriter). With
//! `BATCH_OUTDIR` (a finished `yusuan batch` output folder) it then checks, after the clock,
//! that every workbook it wrote is the batch's, part by part (not docProps/core.xml, which holds
//! the time), and exits 1 when one is not.
//!
//! `bench_floor --values INDIR OUTDIR BATCH_OUTDIR`: a lower bound that is not a batch, for
//! comparison: each unit writes only the values of its batch output workbook (`BATCH_OUTDIR`,
//! a finished `yusuan batch` output folder, loaded before the clock starts), unformatted,
//! without merges, blank bordered cells or page setup.

use calamine::{Data, Reader, open_workbook_auto};
use rayon::prelude::*;
use rust_xlsxwriter::Workbook;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// One sheet's cells as text or numbers.
type Sheet = (String, Vec<Vec<Data>>);

fn read_text(path: &Path) -> Result<Sheet, String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    let tsv = path.extension().is_some_and(|e| e == "tsv" || e == "txt");
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_reader(text.as_bytes());
    let rows = rdr
        .records()
        .filter_map(Result::ok)
        .map(|r| r.iter().map(|c| Data::String(c.to_string())).collect())
        .collect();
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, rows))
}

fn read_unit(path: &Path) -> Result<Vec<Sheet>, String> {
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        return files.iter().map(|f| read_text(f)).collect();
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if matches!(ext.as_str(), "csv" | "tsv" | "txt") {
        return Ok(vec![read_text(path)?]);
    }
    let mut wb = open_workbook_auto(path).map_err(|e| e.to_string())?;
    let names = wb.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = wb.worksheet_range(&name).map_err(|e| e.to_string())?;
            let rows = range.rows().map(|r| r.to_vec()).collect();
            Ok((name, rows))
        })
        .collect()
}

fn write_unit(sheets: &[Sheet], out: &Path) -> Result<(), String> {
    let mut wb = Workbook::new();
    // The same deflate level as `write::workbook` (the default, 6, costs more).
    wb.set_zip_compression_level(1);
    for (i, (_, rows)) in sheets.iter().enumerate() {
        let ws = wb.add_worksheet();
        ws.set_name(format!("S{}", i + 1))
            .map_err(|e| e.to_string())?;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                let done = match cell {
                    Data::String(s) => ws.write_string(r, c, s).map(|_| ()),
                    Data::Float(f) => ws.write_number(r, c, *f).map(|_| ()),
                    Data::Int(n) => ws.write_number(r, c, *n as f64).map(|_| ()),
                    _ => Ok(()),
                };
                done.map_err(|e| e.to_string())?;
            }
        }
    }
    let bytes = wb.save_to_buffer().map_err(|e| e.to_string())?;
    yusuan::write::save_atomically(out, &bytes).map_err(|e| e.to_string())
}

/// User and system CPU time of this process so far (all threads), from /proc/self/stat, in
/// seconds (clock ticks of 1/100 s); None where there is no /proc.
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    Some((ticks(11)? / 100.0, ticks(12)? / 100.0))
}

/// The cells of every unit workbook a batch wrote, by input file (from its summary.json).
fn batch_cells(dir: &Path) -> Result<HashMap<String, Vec<Sheet>>, String> {
    let summary = std::fs::read(dir.join("summary.json")).map_err(|e| e.to_string())?;
    let summary: serde_json::Value = serde_json::from_slice(&summary).map_err(|e| e.to_string())?;
    let mut out = HashMap::new();
    for unit in summary["units"].as_array().into_iter().flatten() {
        if let (Some(file), Some(output)) = (unit["file"].as_str(), unit["output"].as_str()) {
            out.insert(file.to_string(), read_unit(&dir.join(output))?);
        }
    }
    Ok(out)
}

/// Reads the unit's files (discarding the cells) and renders its planned workbook.
fn write_planned(
    unit: &Path,
    book: &yusuan::write::Book<'static>,
    out: &Path,
) -> Result<(), String> {
    read_unit(unit)?;
    let bytes = book.render().map_err(|e| e.to_string())?;
    yusuan::write::save_atomically(out, &bytes).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let values = args.first().is_some_and(|a| a == "--values");
    if values {
        args.remove(0);
    }
    let (input, output, batch_out) = match args.as_slice() {
        [i, o] if !values => (i, o, None),
        [i, o, b] => (i, o, Some(PathBuf::from(b))),
        _ => {
            eprintln!("用法：bench_floor [--values] INDIR OUTDIR [BATCH_OUTDIR]");
            return ExitCode::from(2);
        }
    };
    let output = PathBuf::from(output);
    if let Err(e) = std::fs::create_dir_all(&output) {
        eprintln!("bench_floor：{}：{e}", output.display());
        return ExitCode::from(2);
    }
    // The units as the batch finds them (units.csv applied).
    let units = match yusuan::batch::discover(Path::new(input), &output) {
        Ok(found) => found.units,
        Err(e) => {
            eprintln!("bench_floor：{e}");
            return ExitCode::from(2);
        }
    };
    // The batch's output cells per input file (--values), loaded before timing.
    let mut written: HashMap<String, Vec<Sheet>> = HashMap::new();
    if let (true, Some(dir)) = (values, &batch_out) {
        match batch_cells(dir) {
            Ok(cells) => written = cells,
            Err(e) => {
                eprintln!("bench_floor：{}：{e}", dir.display());
                return ExitCode::from(2);
            }
        }
    }
    // Each unit's workbook as the batch writes it, planned before timing (the floor). The plans
    // are freed after the clock stops: they were allocated on this thread, and freeing them on
    // the workers would make the floor pay for cross-thread frees the batch never makes.
    let options = yusuan::write::WriteOptions::default();
    let books: Vec<Option<yusuan::write::Book<'static>>> = if values {
        Vec::new()
    } else {
        units
            .iter()
            .map(|unit| {
                let (budget, findings) =
                    yusuan::batch::checked(unit, yusuan::load(&unit.path).ok()?);
                yusuan::write::plan(&budget, &findings, &options).ok()
            })
            .collect()
    };
    // The same pool size as the batch.
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(yusuan::batch::default_jobs())
        .build()
    {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("bench_floor：{e}");
            return ExitCode::from(2);
        }
    };
    let (start, cpu_start) = (Instant::now(), cpu_seconds());
    let failed = pool.install(|| {
        let outcomes: Vec<bool> = if values {
            units
                .par_iter()
                .enumerate()
                .map(|(i, unit)| {
                    let out = output.join(format!("{i:05}.xlsx"));
                    read_unit(&unit.path)
                        .and_then(|read| match written.get(&unit.file) {
                            Some(cells) => write_unit(cells, &out),
                            None => write_unit(&read, &out),
                        })
                        .is_ok()
                })
                .collect()
        } else {
            units
                .par_iter()
                .zip(&books)
                .map(|(unit, book)| {
                    let out = output.join(format!("{}.xlsx", unit.output_stem));
                    book.as_ref()
                        .is_some_and(|book| write_planned(&unit.path, book, &out).is_ok())
                })
                .collect()
        };
        outcomes.iter().filter(|ok| !**ok).count()
    });
    let secs = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_seconds()) {
        (Some((u0, s0)), Some((u1, s1))) => format!(
            "{:.2} s (user {:.2} s, sys {:.2} s)",
            u1 - u0 + s1 - s0,
            u1 - u0,
            s1 - s0
        ),
        _ => "n/a".to_string(),
    };
    println!(
        "{}: {} units in {secs:.3} s ({:.1} units/s), {failed} failed, cpu {cpu}",
        if values { "values floor" } else { "floor" },
        units.len(),
        units.len() as f64 / secs.max(1e-9)
    );
    // After the clock: the floor's workbooks against the batch's, when a batch output is given.
    if let (false, Some(dir)) = (values, &batch_out) {
        let same = units
            .iter()
            .filter(|unit| {
                let name = format!("{}.xlsx", unit.output_stem);
                same_workbook(&output.join(&name), &dir.join("units").join(&name))
            })
            .count();
        println!("same as the batch's: {same} of {} workbooks", units.len());
        if same != units.len() {
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}

/// True when two workbooks hold the same parts with the same bytes, but for
/// docProps/core.xml (which holds the time of writing).
fn same_workbook(a: &Path, b: &Path) -> bool {
    let parts = |path: &Path| -> Option<Vec<(String, Vec<u8>)>> {
        use std::io::Read;
        let file = std::fs::File::open(path).ok()?;
        let mut zip = zip::ZipArchive::new(file).ok()?;
        let mut out = Vec::new();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).ok()?;
            let name = part.name().ok()?.to_string();
            let mut data = Vec::new();
            part.read_to_end(&mut data).ok()?;
            if name != "docProps/core.xml" {
                out.push((name, data));
            }
        }
        Some(out)
    };
    matches!((parts(a), parts(b)), (Some(x), Some(y)) if x == y)
}
