//! Story: the unit kind (行政/参公/事业) decides how 表9's 机关运行经费 is checked. A budget officer
//! converts the published text (whose 机构设置 prose says 行政单位), then converts or checks
//! yusuan's own workbook again: the kind travels in the workbook's custom document property
//! 单位类型, so the second pass checks 机关运行经费 exactly as the first did. `--kind` still
//! overrides it; a damaged or unknown property never fails the read.

use crate::common::{convert, repo_path, rezip_keeping};
use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use yusuan::finding::{Finding, Severity};
use yusuan::model::UnitKind;

const CUSTOM: &str = "docProps/custom.xml";

/// One part of a zip archive, as text.
fn part(xlsx: &Path, name: &str) -> Option<String> {
    let bytes = std::fs::read(xlsx).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut entry = archive.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    Some(text)
}

/// A copy of `xlsx` at `out` with `docProps/custom.xml` replaced by `custom` (or left out).
fn with_custom(xlsx: &Path, out: &Path, custom: Option<&[u8]>) {
    let bytes = std::fs::read(xlsx).unwrap();
    let edited = rezip_keeping(&bytes, |name, data| {
        if name != CUSTOM {
            return true;
        }
        match custom {
            Some(custom) => {
                *data = custom.to_vec();
                true
            }
            None => false,
        }
    });
    std::fs::write(out, edited).unwrap();
}

/// What `yusuan check` reports for an input: its findings, loaded as the CLI loads them.
fn findings(input: &Path) -> Vec<Finding> {
    yusuan::check::check(&yusuan::load(input).unwrap())
}

/// Findings without their locations (a text line and a workbook cell differ; the rest must not).
fn unlocated(findings: Vec<Finding>) -> Vec<Finding> {
    findings
        .into_iter()
        .map(|f| f.located(None))
        .collect::<Vec<_>>()
}

/// What a finding says apart from where (and the message, which may name the cell).
type Essence<'a> = (
    Severity,
    &'a str,
    Option<u8>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

/// Each finding's [`Essence`].
fn essence(findings: &[Finding]) -> Vec<Essence<'_>> {
    findings
        .iter()
        .map(|f| {
            (
                f.severity,
                f.rule.as_str(),
                f.table,
                f.row.as_deref(),
                f.column.as_deref(),
                f.expected.as_deref(),
                f.actual.as_deref(),
            )
        })
        .collect()
}

/// The seed text with the 机关运行经费 of its prose lowered from 1,879.28 to 1,800.00 万元:
/// under 表8's 公用经费, so only the check for a known 行政 kind catches it.
fn seed_with_wrong_admin_running(dir: &Path) -> std::path::PathBuf {
    let seed = std::fs::read_to_string(repo_path("samples/seed-disclosure.txt")).unwrap();
    let from = "机关运行经费预算为1,879.28万元";
    assert!(seed.contains(from));
    let path = dir.join("wrong.txt");
    std::fs::write(&path, seed.replace(from, "机关运行经费预算为1,800.00万元")).unwrap();
    path
}

#[test]
fn the_written_workbook_carries_the_kind_as_a_custom_property() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("out.xlsx");
    assert_eq!(
        convert(&repo_path("samples/seed-disclosure.txt"), &xlsx),
        Some(0)
    );
    let custom = part(&xlsx, CUSTOM).unwrap();
    assert!(
        custom.contains(
            r#"<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="3" name="单位类型"><vt:lpwstr>行政单位</vt:lpwstr></property>"#
        ),
        "{custom}"
    );
    // The year property is still there, before it.
    assert!(custom.contains(r#"name="预算年度"><vt:i4>2024</vt:i4></property>"#));
    let submission = yusuan::load(&xlsx).unwrap();
    assert_eq!(
        submission.budget.meta.unit_kind,
        Some(UnitKind::Administrative)
    );
    assert_eq!(submission.findings, []);
}

#[test]
fn a_wrong_admin_running_cost_is_caught_in_the_written_workbook_as_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let text = seed_with_wrong_admin_running(dir.path());
    let from_text = findings(&text);
    let rules: Vec<&str> = from_text.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(rules, ["culprit", "t9-admin"]);
    let admin = &from_text[1];
    assert_eq!(admin.severity, Severity::Error);
    assert_eq!(
        (admin.expected.as_deref(), admin.actual.as_deref()),
        (Some("1,879.28"), Some("1,800.00"))
    );
    assert_eq!(
        admin.message,
        "表9 “三公”经费和机关运行经费预算表 机关运行经费预算数列应等于表8 合计行 公用经费（行政、参公单位）（1,879.28），实为 1,800.00（万元），相差 792,776 元，超出允许的舍入误差 50 元"
    );

    // Converted (with the error), then checked again: the same findings, now at the 表9 cell.
    let xlsx = dir.path().join("wrong.xlsx");
    assert_eq!(convert(&text, &xlsx), Some(1));
    let from_xlsx = findings(&xlsx);
    let cells: Vec<String> = from_xlsx
        .iter()
        .filter_map(|f| f.location.as_ref())
        .map(|l| l.sheet_cell())
        .collect();
    assert_eq!(cells, ["9 三公经费表!G6", "9 三公经费表!G6"]);
    // The culprit's message names its cell; the rest is the same finding.
    assert_eq!(essence(&from_xlsx), essence(&from_text));
    assert_eq!(unlocated(from_xlsx)[1], unlocated(from_text)[1]);

    // Without the property the kind is unknown, 机关运行经费 is only bounded by 公用经费, and
    // the lowered figure passes: the property is what carries the full check.
    let stripped = dir.path().join("stripped.xlsx");
    with_custom(&xlsx, &stripped, None);
    assert_eq!(yusuan::load(&stripped).unwrap().budget.meta.unit_kind, None);
    assert_eq!(findings(&stripped), []);
}

#[test]
fn a_workbook_without_the_property_has_no_kind() {
    // The committed sample was written before the property existed.
    let sample = repo_path("samples/seed-submission.xlsx");
    assert!(
        part(&sample, CUSTOM).is_none_or(|c| !c.contains("单位类型")),
        "the sample now carries 单位类型: pick another workbook"
    );
    let submission = yusuan::load(&sample).unwrap();
    assert_eq!(submission.budget.meta.unit_kind, None);
    assert!(
        submission
            .findings
            .iter()
            .all(|f| f.rule != yusuan::recognize::UNKNOWN_UNIT_KIND)
    );
}

#[test]
fn a_malformed_or_unknown_property_never_fails_the_read() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("out.xlsx");
    assert_eq!(
        convert(&repo_path("samples/seed-disclosure.txt"), &xlsx),
        Some(0)
    );
    let clean = yusuan::load(&xlsx).unwrap().budget;
    let damaged: [&[u8]; 4] = [
        b"<Properties><property name=\"\xE5\x8D\x95\xE4\xBD\x8D\xE7\xB1\xBB\xE5\x9E\x8B\"><vt:lpwstr>\xFF\xFE",
        b"\x00\x01 not xml",
        b"",
        b"<Properties><property name='x'></wrong></Properties>",
    ];
    for (i, custom) in damaged.into_iter().enumerate() {
        let path = dir.path().join(format!("damaged{i}.xlsx"));
        with_custom(&xlsx, &path, Some(custom));
        let submission = yusuan::load(&path).unwrap();
        assert_eq!(submission.budget.meta.unit_kind, None, "{i}");
        let mut expected = clean.clone();
        expected.meta.unit_kind = None;
        assert_eq!(submission.budget, expected, "{i}");
        assert_eq!(submission.findings, [], "{i}");
    }

    // A label that names no kind: ignored, with a warning naming the file.
    let unknown = dir.path().join("unknown.xlsx");
    let custom = part(&xlsx, CUSTOM).unwrap().replace("行政单位", "社会团体");
    with_custom(&xlsx, &unknown, Some(custom.as_bytes()));
    let submission = yusuan::load(&unknown).unwrap();
    assert_eq!(submission.budget.meta.unit_kind, None);
    let [warning] = submission.findings.as_slice() else {
        panic!("{:?}", submission.findings)
    };
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.rule, "unknown-unit-kind");
    assert_eq!(
        warning.message,
        format!(
            "{}：文档属性“单位类型”的值“社会团体”不是可识别的单位类型（应为 行政单位、参照公务员法管理事业单位 或 事业单位），已忽略",
            unknown.display()
        )
    );
    // The warning alone does not make `check` exit 1.
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("check")
        .arg(&unknown)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("社会团体"));
}

#[test]
fn the_cli_kind_beats_the_property_and_the_prose_beats_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("out.xlsx");
    assert_eq!(
        convert(&repo_path("samples/seed-disclosure.txt"), &xlsx),
        Some(0)
    );
    // --kind 事业 over the property 行政单位: a 事业单位 has no 机关运行经费, so the printed
    // 1,879.28 is an error.
    let out = Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .args(["check", "--format", "json", "--kind", "事业"])
        .arg(&xlsx)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let admin: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "t9-admin")
        .collect();
    assert_eq!(admin.len(), 1);
    assert_eq!(admin[0]["expected"], "0.00");
    assert_eq!(admin[0]["actual"], "1,879.28");

    // The document's own prose (行政: 6家机关) beats a property saying 事业单位.
    let path = repo_path("samples/seed-disclosure.txt");
    let mut document = yusuan::read::read_document(&path).unwrap();
    assert_eq!(document.unit_kind_property, None);
    document.unit_kind_property = Some("事业单位".into());
    let submission = yusuan::recognize::recognize_document(&document).unwrap();
    assert_eq!(
        submission.budget.meta.unit_kind,
        Some(UnitKind::Administrative)
    );
    // Each full label reads back as its kind.
    for kind in [
        UnitKind::Administrative,
        UnitKind::CivilServiceManaged,
        UnitKind::Institution,
    ] {
        assert_eq!(UnitKind::from_label(kind.full_label()), Some(kind));
    }
}
