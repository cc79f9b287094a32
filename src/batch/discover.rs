//! Finding the units under a batch folder, reading the optional `units.csv`, and giving every
//! unit a safe, unique output file name. No budget is read here.

use super::BatchError;
use crate::model::UnitKind;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// Extensions of files that are one unit each.
const UNIT_FILES: [&str; 9] = [
    "xlsx", "xlsm", "xls", "xlsb", "ods", "et", "csv", "tsv", "txt",
];
/// Extensions of files that make a sub-folder one CSV unit.
const CSV_FILES: [&str; 3] = ["csv", "tsv", "txt"];
/// The longest output file stem, in characters.
const MAX_NAME_CHARS: usize = 80;

/// One unit to process: a file, or a sub-folder of CSV files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitInput {
    /// The file or folder.
    pub path: PathBuf,
    /// Its path relative to the batch folder, with `/` separators (what the summary shows).
    pub file: String,
    /// The unit name from `units.csv`, when listed there.
    pub name: Option<String>,
    /// The unit kind from `units.csv`, when listed there.
    pub kind: Option<UnitKind>,
    /// The output file stem (sanitised, unique within the batch).
    pub output_stem: String,
}

/// What `units.csv` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitsList {
    /// The department name from a `部门名称` row.
    pub department: Option<String>,
    /// Listed units: file (relative, `/` separators) → (unit name, kind).
    pub units: BTreeMap<String, (String, Option<UnitKind>)>,
}

/// The units under `dir` in path order, skipping hidden files, `units.csv`, Office lock files
/// (`~$…`), files of other types, and `skip` (the output folder when it lies inside `dir`).
/// Returns the units and the skipped non-unit files (relative paths).
pub fn find_units(
    dir: &Path,
    skip: Option<&Path>,
) -> Result<(Vec<UnitInput>, Vec<String>), BatchError> {
    let mut units = Vec::new();
    let mut ignored = Vec::new();
    if is_one_units_tables(dir, skip)? {
        let mut unit = unit(dir, dir);
        unit.file = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string());
        return Ok((vec![unit], ignored));
    }
    walk(dir, dir, skip, &mut units, &mut ignored)?;
    Ok((units, ignored))
}

/// A folder of CSV files named after at least two different tables (`表2_收入预算总表.csv`,
/// `表3_支出预算总表.csv`, …) is one unit's submission, not a folder of units.
/// (The output folder `skip`, when it lies inside, does not count.)
fn is_one_units_tables(dir: &Path, skip: Option<&Path>) -> Result<bool, BatchError> {
    let items: Vec<PathBuf> = entries(dir)?
        .into_iter()
        .filter(|p| !skip.is_some_and(|s| same_path(s, p)))
        .collect();
    let other = items.iter().any(|p| {
        p.is_dir()
            || !CSV_FILES.contains(&extension(p).as_str())
                && UNIT_FILES.contains(&extension(p).as_str())
    });
    if other {
        return Ok(false);
    }
    let tables: std::collections::BTreeSet<_> = items
        .iter()
        .filter(|p| CSV_FILES.contains(&extension(p).as_str()))
        .filter_map(|p| p.file_stem())
        .filter_map(|stem| crate::recognize::table_named(&stem.to_string_lossy()))
        .collect();
    Ok(tables.len() >= 2)
}

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn relative(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Sorted, visible entries of a folder.
fn entries(folder: &Path) -> Result<Vec<PathBuf>, BatchError> {
    let io = |e: std::io::Error| BatchError::Io {
        path: folder.display().to_string(),
        reason: crate::report::io_reason(&e),
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        out.push(path);
    }
    out.sort();
    Ok(out)
}

fn walk(
    root: &Path,
    folder: &Path,
    skip: Option<&Path>,
    units: &mut Vec<UnitInput>,
    ignored: &mut Vec<String>,
) -> Result<(), BatchError> {
    for path in entries(folder)? {
        if skip.is_some_and(|s| same_path(s, &path)) {
            continue;
        }
        if path.is_dir() {
            if is_csv_folder(&path)? {
                units.push(unit(root, &path));
            } else {
                walk(root, &path, skip, units, ignored)?;
            }
            continue;
        }
        let name = path.file_name().map(|n| n.to_string_lossy().to_lowercase());
        if folder == root && name.as_deref() == Some("units.csv") {
            continue;
        }
        // An empty text file (a 新建文本文档.txt left beside the units) is not a submission; an
        // empty .csv or .xlsx is a unit's failed export and is reported as a failed unit.
        let empty_note =
            extension(&path) == "txt" && std::fs::metadata(&path).is_ok_and(|m| m.len() == 0);
        if UNIT_FILES.contains(&extension(&path).as_str()) && !empty_note {
            units.push(unit(root, &path));
        } else {
            ignored.push(relative(root, &path));
        }
    }
    Ok(())
}

fn unit(root: &Path, path: &Path) -> UnitInput {
    UnitInput {
        path: path.to_path_buf(),
        file: relative(root, path),
        name: None,
        kind: None,
        output_stem: String::new(),
    }
}

/// A sub-folder holding CSV/TSV files and no sub-folders or workbooks is one unit.
fn is_csv_folder(folder: &Path) -> Result<bool, BatchError> {
    let items = entries(folder)?;
    let csv = items
        .iter()
        .filter(|p| p.is_file() && CSV_FILES.contains(&extension(p).as_str()))
        .count();
    let other = items
        .iter()
        .filter(|p| p.is_dir() || UNIT_FILES.contains(&extension(p).as_str()))
        .count()
        - csv;
    Ok(csv > 0 && other == 0)
}

/// True when both paths name the same existing file or folder (or are equal as given).
pub(crate) fn same_path(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Reads `units.csv` (UTF-8, UTF-8 with BOM, or GBK/GB18030): an optional `部门名称,X` row,
/// a header row naming 单位名称, 单位类型 and 文件 (any order), then one row per unit.
pub fn read_units_csv(path: &Path) -> Result<UnitsList, BatchError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| BatchError::Io {
        path: file.clone(),
        reason: crate::report::io_reason(&e),
    })?;
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(&bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    };
    parse_units_csv(&file, &text)
}

/// The parser behind [`read_units_csv`], on decoded text.
pub fn parse_units_csv(file: &str, text: &str) -> Result<UnitsList, BatchError> {
    let err = |line: usize, reason: String| BatchError::UnitsCsv {
        file: file.to_string(),
        line,
        reason,
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut list = UnitsList::default();
    let mut columns: Option<[usize; 3]> = None;
    for (i, record) in rdr.records().enumerate() {
        let line = i + 1;
        let record = record.map_err(|e| err(line, format!("无法解析：{e}")))?;
        let cells: Vec<&str> = record.iter().map(str::trim).collect();
        let Some(first) = cells.first().copied() else {
            continue;
        };
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        if let Some(rest) = first.strip_prefix("部门名称") {
            let inline = rest.trim_start_matches([':', '：']).trim();
            let name = if inline.is_empty() {
                cells.get(1).copied().unwrap_or_default()
            } else {
                inline
            };
            list.department = Some(name.to_string()).filter(|n| !n.is_empty());
            continue;
        }
        let Some([name_col, kind_col, file_col]) = columns else {
            let find = |label: &str| cells.iter().position(|c| c.contains(label));
            match (find("单位名称"), find("单位类型"), find("文件")) {
                (Some(n), Some(k), Some(f)) => columns = Some([n, k, f]),
                _ => {
                    return Err(err(
                        line,
                        "缺少表头行（应含“单位名称”“单位类型”“文件”三列）".into(),
                    ));
                }
            }
            continue;
        };
        let get = |c: usize| cells.get(c).copied().unwrap_or_default();
        let (name, kind_label, unit_file) = (get(name_col), get(kind_col), get(file_col));
        if unit_file.is_empty() {
            return Err(err(line, "“文件”一列为空".into()));
        }
        let kind = if kind_label.is_empty() {
            None
        } else {
            Some(UnitKind::from_label(kind_label).ok_or_else(|| {
                err(
                    line,
                    format!("单位类型“{kind_label}”无法识别，应为 行政、参公 或 事业"),
                )
            })?)
        };
        let key = unit_file
            .replace('\\', "/")
            .trim_start_matches("./")
            .to_string();
        list.units.insert(key, (name.to_string(), kind));
    }
    Ok(list)
}

/// Gives every unit its `units.csv` name and kind (matched by relative path, or by file name
/// when that is unique) and a unique output stem. Returns the `units.csv` entries that match no
/// unit (relative file names).
pub fn apply_units_list(units: &mut [UnitInput], list: &UnitsList) -> Vec<String> {
    let mut used = HashSet::new();
    for unit in units.iter_mut() {
        let by_name = || {
            let base = unit.file.rsplit('/').next().unwrap_or_default();
            let mut hits = list
                .units
                .iter()
                .filter(|(k, _)| k.rsplit('/').next() == Some(base));
            match (hits.next(), hits.next()) {
                (Some(hit), None) => Some(hit),
                _ => None,
            }
        };
        if let Some((key, (name, kind))) = list.units.get_key_value(&unit.file).or_else(by_name) {
            used.insert(key.clone());
            unit.name = Some(name.clone()).filter(|n| !n.is_empty());
            unit.kind = *kind;
        }
    }
    let mut taken = HashSet::new();
    for unit in units.iter_mut() {
        let stem = unit.name.clone().unwrap_or_else(|| {
            let base = unit.file.rsplit('/').next().unwrap_or_default();
            match base.rsplit_once('.') {
                Some((stem, _)) if !stem.is_empty() && !unit.path.is_dir() => stem.to_string(),
                _ => base.to_string(),
            }
        });
        unit.output_stem = unique_file_stem(&stem, &mut taken);
    }
    list.units
        .keys()
        .filter(|k| !used.contains(*k))
        .cloned()
        .collect()
}

/// A file stem safe on every file system: no `/ \ : * ? " < > |` or control characters, no
/// leading or trailing dots or spaces, not a reserved Windows device name, at most 80
/// characters, never empty ("单位").
pub fn sanitize_file_stem(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '.' || c.is_whitespace());
    let mut stem: String = trimmed.chars().take(MAX_NAME_CHARS).collect();
    stem = stem
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
        .to_string();
    if stem.is_empty() {
        return "单位".to_string();
    }
    let device = stem
        .split('.')
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let reserved = matches!(device.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((device.starts_with("COM") || device.starts_with("LPT"))
            && device.len() == 4
            && device.as_bytes()[3].is_ascii_digit());
    if reserved {
        stem.insert(0, '_');
    }
    stem
}

/// [`sanitize_file_stem`], made unique (case-insensitively) against `taken` by appending
/// `_2`, `_3`, …; records the result in `taken`.
pub fn unique_file_stem(name: &str, taken: &mut HashSet<String>) -> String {
    let base = sanitize_file_stem(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.contains(&candidate.to_lowercase()) {
        candidate = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(candidate.to_lowercase());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_stems_are_safe_and_unique() {
        assert_eq!(
            sanitize_file_stem("a/b\\c:d*e?f\"g<h>i|j"),
            "a_b_c_d_e_f_g_h_i_j"
        );
        assert_eq!(sanitize_file_stem("..隐藏.单位. "), "隐藏.单位");
        assert_eq!(sanitize_file_stem("tab\there\n"), "tab_here_");
        assert_eq!(sanitize_file_stem("  "), "单位");
        assert_eq!(sanitize_file_stem("CON"), "_CON");
        assert_eq!(sanitize_file_stem("com1.report"), "_com1.report");
        assert_eq!(sanitize_file_stem("COMMENT"), "COMMENT");
        assert_eq!(sanitize_file_stem(&"长".repeat(200)).chars().count(), 80);
        let mut taken = HashSet::new();
        assert_eq!(unique_file_stem("驻广州办事处", &mut taken), "驻广州办事处");
        assert_eq!(
            unique_file_stem("驻广州办事处", &mut taken),
            "驻广州办事处_2"
        );
        assert_eq!(unique_file_stem("Unit", &mut taken), "Unit");
        assert_eq!(unique_file_stem("unit", &mut taken), "unit_2");
    }

    #[test]
    fn units_csv_with_department_row_and_any_column_order() {
        let text = "部门名称,上海市人民政府合作交流办公室\n文件,单位名称,单位类型\nunits\\a.xlsx,本部,行政\nb.xlsx,驻昆明办事处,参公单位\nc,研究中心,\n";
        let list = parse_units_csv("units.csv", text).unwrap();
        assert_eq!(
            list.department.as_deref(),
            Some("上海市人民政府合作交流办公室")
        );
        assert_eq!(
            list.units.get("units/a.xlsx"),
            Some(&("本部".to_string(), Some(UnitKind::Administrative)))
        );
        assert_eq!(
            list.units.get("b.xlsx").unwrap().1,
            Some(UnitKind::CivilServiceManaged)
        );
        assert_eq!(list.units.get("c").unwrap().1, None);
        let inline = parse_units_csv("u", "部门名称：某局\n单位名称,单位类型,文件\n").unwrap();
        assert_eq!(inline.department.as_deref(), Some("某局"));
    }

    #[test]
    fn units_csv_errors_name_file_and_line() {
        let e =
            parse_units_csv("d/units.csv", "单位名称,单位类型,文件\n甲,企业,a.xlsx\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "d/units.csv 第2行：单位类型“企业”无法识别，应为 行政、参公 或 事业"
        );
        let e = parse_units_csv("units.csv", "名称,类型\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "units.csv 第1行：缺少表头行（应含“单位名称”“单位类型”“文件”三列）"
        );
    }

    #[test]
    fn gbk_units_csv_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("units.csv");
        let text = "单位名称,单位类型,文件\r\n上海市人民政府驻广州办事处,行政,广州.xlsx\r\n";
        std::fs::write(&path, encoding_rs::GBK.encode(text).0).unwrap();
        let list = read_units_csv(&path).unwrap();
        assert_eq!(
            list.units.get("广州.xlsx").unwrap().0,
            "上海市人民政府驻广州办事处"
        );
    }

    #[test]
    fn discovery_finds_files_and_csv_folders_and_skips_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let touch = |rel: &str| {
            let p = root.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, b"x").unwrap();
        };
        for rel in [
            "a.xlsx",
            "units.csv",
            ".hidden.xlsx",
            "~$a.xlsx",
            "readme.md",
            "csvunit/表2.csv",
            "csvunit/表3.csv",
            "nested/b.xls",
            "nested/deeper/c.tsv",
            "nested/deeper/d.xlsx",
            "out/units/old.xlsx",
            ".git/config.xlsx",
        ] {
            touch(rel);
        }
        let out = root.join("out");
        let (units, ignored) = find_units(root, Some(&out)).unwrap();
        let files: Vec<&str> = units.iter().map(|u| u.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "a.xlsx",
                "csvunit",
                "nested/b.xls",
                "nested/deeper/c.tsv",
                "nested/deeper/d.xlsx"
            ]
        );
        assert_eq!(ignored, ["readme.md"]);
    }

    #[test]
    fn units_list_names_kinds_and_output_stems() {
        let mk = |file: &str| UnitInput {
            path: PathBuf::from(file),
            file: file.to_string(),
            name: None,
            kind: None,
            output_stem: String::new(),
        };
        let mut units = vec![mk("x/a.xlsx"), mk("b.xlsx"), mk("c.xlsx"), mk("d:e.csv")];
        let list = parse_units_csv(
            "units.csv",
            "单位名称,单位类型,文件\n本部,行政,x/a.xlsx\n本部,事业,c.xlsx\n广州,行政,b.xlsx\n缺失,行政,zz.xlsx\n",
        )
        .unwrap();
        let missing = apply_units_list(&mut units, &list);
        assert_eq!(missing, ["zz.xlsx"]);
        let stems: Vec<&str> = units.iter().map(|u| u.output_stem.as_str()).collect();
        assert_eq!(stems, ["本部", "广州", "本部_2", "d_e"]);
        assert_eq!(units[2].kind, Some(UnitKind::Institution));
        assert_eq!(units[3].name, None);
    }
}
