//! Shared helpers for the integration tests: paths to the repo's samples and fixtures, the
//! seed's canonical model, grids spelled as rows of strings, rewriting an xlsx (zip) entry by
//! entry, and writing grids as an xlsb workbook ([`xlsb`]).

pub mod xlsb;

use std::io::{Read, Write};
use std::path::PathBuf;
use yusuan::model::Budget;

/// A path relative to the repository root.
pub fn repo_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The seed's canonical model, as committed in tests/fixtures/seed_budget.json.
pub fn seed_budget() -> Budget {
    let text = std::fs::read_to_string(repo_path("tests/fixtures/seed_budget.json"))
        .expect("tests/fixtures/seed_budget.json is committed");
    serde_json::from_str(&text).expect("seed_budget.json matches the model")
}

/// Rewrites a zip, letting `edit` change each entry's inflated bytes.
pub fn rezip(archive: &[u8], mut edit: impl FnMut(&str, &mut Vec<u8>)) -> Vec<u8> {
    rezip_keeping(archive, |name, data| {
        edit(name, data);
        true
    })
}

/// Sheet `sheet` of `file` holding `rows` from A1, spelled as the recogniser's unit tests spell
/// theirs ("=12.5" a number, "" no cell, anything else text), with `merges` as 0-based
/// (first row, first column, last row, last column).
pub fn grid(
    file: &str,
    sheet: &str,
    rows: &[&[&str]],
    merges: &[(u32, u32, u32, u32)],
) -> yusuan::grid::Grid {
    use yusuan::grid::{CellValue, Grid, Merge};
    let mut grid = Grid::new(file, sheet);
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let value = match text.strip_prefix('=') {
                Some(n) => CellValue::Number(n.parse().unwrap()),
                None if text.is_empty() => continue,
                None => CellValue::Text(text.to_string()),
            };
            grid.set(r, c, value);
        }
    }
    grid.merges = merges
        .iter()
        .map(|&(first_row, first_col, last_row, last_col)| Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        })
        .collect();
    grid
}

/// Rewrites a zip, letting `edit` change each entry's inflated bytes and drop the entries for
/// which it returns false.
pub fn rezip_keeping(archive: &[u8], mut edit: impl FnMut(&str, &mut Vec<u8>) -> bool) -> Vec<u8> {
    rezip_as(archive, |name, data| {
        edit(name, data).then(|| name.to_string())
    })
}

/// Rewrites a zip, letting `edit` change each entry's inflated bytes and say the name to store
/// it under (`None` drops it).
pub fn rezip_as(
    archive: &[u8],
    mut edit: impl FnMut(&str, &mut Vec<u8>) -> Option<String>,
) -> Vec<u8> {
    let mut input = zip::ZipArchive::new(std::io::Cursor::new(archive)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..input.len() {
        let mut entry = input.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        let Some(stored) = edit(&name, &mut data) else {
            continue;
        };
        out.start_file(stored, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// Runs `yusuan convert INPUT -o OUTPUT`, asserts the workbook was written and returns the exit
/// code.
pub fn convert(input: &std::path::Path, output: &std::path::Path) -> Option<i32> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("convert")
        .arg(input)
        .arg("-o")
        .arg(output)
        .output()
        .unwrap();
    assert!(
        output.is_file(),
        "convert {} wrote nothing: {}{}",
        input.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out.status.code()
}

/// Rewrites an xlsx, replacing cells of the worksheet part `part` (e.g.
/// "xl/worksheets/sheet5.xml") by inline text: (A1 address, text) pairs, each cell present.
pub fn set_cell_texts(xlsx: &[u8], part: &str, cells: &[(&str, &str)]) -> Vec<u8> {
    rezip(xlsx, |name, data| {
        if name != part {
            return;
        }
        let mut xml = String::from_utf8(std::mem::take(data)).unwrap();
        for (address, text) in cells {
            let open = format!("<c r=\"{address}\"");
            let start = xml
                .find(&open)
                .unwrap_or_else(|| panic!("no cell {address} in {part}"));
            let end = start + xml[start..].find("</c>").unwrap() + "</c>".len();
            let cell = format!("<c r=\"{address}\" t=\"inlineStr\"><is><t>{text}</t></is></c>");
            xml.replace_range(start..end, &cell);
        }
        *data = xml.into_bytes();
    })
}

/// Loads and checks an input as `yusuan check` does.
pub fn check_file(path: &std::path::Path) -> Vec<yusuan::finding::Finding> {
    let sub = yusuan::load(path).unwrap();
    yusuan::check::check(&sub)
}

/// Writes `bytes` as `name` in a fresh temporary folder and checks that file as `yusuan check`
/// does (the file name decides how it is read).
pub fn check_bytes(name: &str, bytes: &[u8]) -> Vec<yusuan::finding::Finding> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    check_file(&path)
}

/// Where a finding points, as "sheet!cell" ("" when it names no cell).
pub fn sheet_cell(finding: &yusuan::finding::Finding) -> String {
    finding
        .location
        .as_ref()
        .map(|l| l.sheet_cell())
        .unwrap_or_default()
}
