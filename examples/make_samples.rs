//! Regenerates the bundled samples from the seed disclosure text:
//! `cargo run --example make_samples` (from the repository root).
//!
//! - samples/seed-submission.xlsx — the seed budget as a unit's submission workbook
//! - samples/seed-csv-gbk/        — the same as a folder of GBK CSV files, one per table
//! - samples/units/               — the department split into its six units, in three shapes

use std::path::Path;
use yusuan::synth::{self, Shape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = yusuan::load(Path::new("samples/seed-disclosure.txt"))?.budget;
    write_shape(
        &seed,
        Shape::ExtraSheets,
        Path::new("samples/seed-submission.xlsx"),
    )?;
    write_shape(&seed, Shape::CsvGbk, Path::new("samples/seed-csv-gbk"))?;
    let units = Path::new("samples/units");
    if units.exists() {
        std::fs::remove_dir_all(units)?;
    }
    synth::generate_units_in(
        &seed,
        6,
        2024,
        units,
        &[Shape::Official, Shape::CsvGbk, Shape::JoinedCodes],
    )?;
    Ok(())
}

/// Writes one shape's files to `target` (a file, or a folder for CSV shapes).
fn write_shape(budget: &yusuan::model::Budget, shape: Shape, target: &Path) -> std::io::Result<()> {
    let files = synth::render(budget, shape).map_err(std::io::Error::other)?;
    if shape.is_folder() {
        std::fs::create_dir_all(target)?;
        for (name, bytes) in &files {
            std::fs::write(target.join(name), bytes)?;
        }
    } else if let Some((_, bytes)) = files.first() {
        std::fs::write(target, bytes)?;
    }
    Ok(())
}
