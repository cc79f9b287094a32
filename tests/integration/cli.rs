//! Story: a budget officer runs `yusuan check` and `yusuan convert` on the bundled samples and
//! on a copy of the sample workbook with one amount changed, and reads the exit code and the
//! findings.

use crate::common::{repo_path, rezip};
use std::io::Read;
use std::process::Command;
use yusuan::finding::Finding;

fn yusuan(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(args)
        .current_dir(repo_path(""))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_sample_checks_clean() {
    let mut samples = vec![
        "samples/seed-disclosure.txt".to_string(),
        "samples/seed-submission.xlsx".to_string(),
        "samples/seed-csv-gbk".to_string(),
    ];
    for entry in std::fs::read_dir(repo_path("samples/units")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name != "units.csv" {
            samples.push(format!("samples/units/{name}"));
        }
    }
    for sample in samples {
        let (code, stdout, stderr) = yusuan(&["check", &sample, "--format", "json"]);
        assert_eq!(code, 0, "{sample}: {stdout}{stderr}");
        let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let errors = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .count();
        assert_eq!(errors, 0, "{sample}");
    }
}

/// The numeric cells `<c r="B5" s="1"><v>84081400</v></c>` of a sheet's XML: (cell, value).
fn numeric_cells(xml: &str) -> Vec<(String, String)> {
    let mut cells = Vec::new();
    for part in xml.split("<c r=\"").skip(1) {
        let Some((cell, rest)) = part.split_once('"') else {
            continue;
        };
        let head = &rest[..rest.find('>').unwrap_or(0)];
        if head.contains("t=\"") || head.ends_with('/') {
            continue;
        }
        if let Some(v) = rest
            .split("<v>")
            .nth(1)
            .and_then(|v| v.split("</v>").next())
        {
            cells.push((cell.to_string(), v.to_string()));
        }
    }
    cells
}

/// A copy of an xlsx with one numeric cell of one sheet XML replaced.
fn with_cell(xlsx: &[u8], entry: &str, cell: &str, old: &str, new: &str) -> Vec<u8> {
    rezip(xlsx, |name, data| {
        if name == entry {
            let xml = String::from_utf8(std::mem::take(data)).unwrap();
            let from = format!("<c r=\"{cell}\"");
            let at = xml.find(&from).unwrap();
            let v = at + xml[at..].find(&format!("<v>{old}</v>")).unwrap();
            *data = format!("{}<v>{new}</v>{}", &xml[..v], &xml[v + old.len() + 7..]).into_bytes();
        }
    })
}

fn findings_of(name: &str, bytes: &[u8]) -> Vec<Finding> {
    let grids = yusuan::read::read_bytes(name, bytes).unwrap();
    let submission = yusuan::recognize::recognize(&grids).unwrap();
    yusuan::check::check(&submission)
}

#[test]
fn changing_any_single_amount_of_the_sample_workbook_is_an_error_at_that_cell() {
    let path = repo_path("samples/seed-submission.xlsx");
    let xlsx = std::fs::read(&path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&xlsx[..])).unwrap();
    let sheet_names = {
        use calamine::Reader;
        calamine::open_workbook_auto(&path).unwrap().sheet_names()
    };
    let mut changed = 0;
    let mut missed = Vec::new();
    for (index, sheet) in sheet_names.iter().enumerate() {
        let entry = format!("xl/worksheets/sheet{}.xml", index + 1);
        let mut xml = String::new();
        archive
            .by_name(&entry)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        for (cell, value) in numeric_cells(&xml) {
            let Ok(number) = value.parse::<f64>() else {
                continue;
            };
            let edited = with_cell(&xlsx, &entry, &cell, &value, &format!("{}", number + 1.0));
            let findings = findings_of("edited.xlsx", &edited);
            changed += 1;
            let named = findings.iter().any(|f| {
                f.is_error()
                    && f.table.is_some()
                    && f.row.is_some()
                    && f.column.is_some()
                    && f.location
                        .as_ref()
                        .is_some_and(|l| l.cell.to_string() == *cell && *l.sheet == **sheet)
            });
            if !named {
                missed.push(format!("{sheet}!{cell}"));
            }
        }
    }
    assert!(changed > 200, "only {changed} amount cells found");
    assert!(
        missed.is_empty(),
        "{} of {changed} changes not pinned to their cell: {missed:?}",
        missed.len()
    );
}

#[test]
fn a_changed_amount_makes_check_exit_1_and_name_table_row_and_column() {
    let xlsx = std::fs::read(repo_path("samples/seed-submission.xlsx")).unwrap();
    // 表3 支出预算总表, 2010301 行政运行, 基本支出: 48,015,638 → 48,015,683.
    let dir = tempfile::tempdir().unwrap();
    let mut edited = None;
    for i in 1..=12 {
        let entry = format!("xl/worksheets/sheet{i}.xml");
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&xlsx[..])).unwrap();
        let Ok(mut file) = archive.by_name(&entry) else {
            continue;
        };
        let mut xml = String::new();
        file.read_to_string(&mut xml).unwrap();
        if xml.contains("<v>17012643</v>") {
            // 201 and 20103 carry the same 基本支出; the third occurrence is 2010301's.
            let (cell, _) = numeric_cells(&xml)
                .into_iter()
                .filter(|(_, v)| v == "48015638")
                .nth(2)
                .unwrap();
            edited = Some((
                cell.clone(),
                with_cell(&xlsx, &entry, &cell, "48015638", "48015683"),
            ));
        }
    }
    let (cell, bytes) = edited.expect("the sample has a 表3 sheet");
    let copy = dir.path().join("edited.xlsx");
    std::fs::write(&copy, bytes).unwrap();
    let (code, stdout, _) = yusuan(&["check", copy.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let hit = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["severity"] == "error" && f["location"]["cell"] == cell.as_str())
        .unwrap_or_else(|| panic!("no error at {cell}: {stdout}"));
    assert_eq!(hit["table"], 3);
    assert_eq!(hit["row"], "2010301");
    assert_eq!(hit["column"], "基本支出");

    let (code, stdout, _) = yusuan(&["check", copy.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stdout.contains("48,015,638"), "{stdout}");
}

#[test]
fn convert_never_overwrites_its_input_and_fails_with_exit_2_on_unreadable_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.xlsx");
    std::fs::copy(repo_path("samples/seed-submission.xlsx"), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let (code, _, stderr) = yusuan(&[
        "convert",
        input.to_str().unwrap(),
        "-o",
        input.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("会覆盖输入"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);

    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let out = dir.path().join("out.xlsx");
    let (code, _, stderr) = yusuan(&[
        "convert",
        bad.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("bad.xlsx"), "{stderr}");
    assert!(!out.exists());
}

/// Regression: `--help` printed clap's English `[default: 元]` and `[possible values: …]`.
#[test]
fn help_states_defaults_in_chinese() {
    for command in ["convert", "check", "batch", "generate"] {
        let (code, stdout, stderr) = yusuan(&[command, "--help"]);
        assert_eq!(code, 0, "{command}: {stderr}");
        assert!(!stdout.contains("[default"), "{command}: {stdout}");
        assert!(!stdout.contains("[possible values"), "{command}: {stdout}");
    }
    let (_, stdout, _) = yusuan(&["convert", "--help"]);
    assert!(
        stdout.contains("--unit <UNIT>      输出金额单位：元（默认）或 万元"),
        "{stdout}"
    );
    let (_, stdout, _) = yusuan(&["generate", "--help"]);
    assert!(stdout.contains("单位个数（默认 6）"), "{stdout}");
}

#[test]
fn batch_takes_the_number_of_units_at_once_and_refuses_zero() {
    let (code, _, stderr) = yusuan(&["batch", "samples/units", "-o", "out", "-j", "0"]);
    assert_eq!(code, 2);
    assert_eq!(
        stderr.trim_end(),
        "yusuan：参数 --jobs <JOBS> 的值无效：同时处理的单位数应为正整数，而不是“0”。用 yusuan --help 查看用法"
    );
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().to_string_lossy().into_owned();
    let (code, _, stderr) = yusuan(&["batch", "samples/units", "-o", &dir, "-j", "1", "-q"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_dir(out.path().join("units")).unwrap().count(),
        6
    );
}
