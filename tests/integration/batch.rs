//! Story: a budget officer drops one file (or CSV folder) per unit into a folder, runs
//! `yusuan batch DIR -o OUTDIR`, and gets one workbook per unit, the consolidated department
//! workbook, and a summary naming every unit that failed and why — one bad unit never stops the
//! others, and the exit code says whether anything failed.

use crate::common::seed_budget;
use crate::round_trip::core;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use yusuan::batch::{BatchPlan, NoProgress, Pipeline, UnitStatus, run, run_with};
use yusuan::finding::Finding;
use yusuan::model::Budget;
use yusuan::recognize::Submission;
use yusuan::synth::{Shape, generate_units_in, split_units};

const DEPARTMENT: &str = "上海市人民政府合作交流办公室";

/// Every file under `dir` with its bytes (to prove inputs are never modified).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// A test pipeline: units are budgets as JSON (whatever the extension); a file whose name
/// contains "boom" panics; the "workbook" is the budget as JSON plus its finding count.
fn json_load(path: &Path) -> Result<Submission, String> {
    if path.to_string_lossy().contains("boom") {
        panic!("injected failure in {}", path.display());
    }
    let bytes = std::fs::read(path).map_err(|e| format!("{}：{e}", path.display()))?;
    let budget: Budget = serde_json::from_slice(&bytes)
        .map_err(|_| format!("{}：不是有效的预算文件", path.display()))?;
    Ok(Submission {
        budget,
        ..Submission::default()
    })
}

fn json_render(budget: &Budget, findings: &[Finding]) -> Result<Vec<u8>, String> {
    let value = serde_json::json!({ "budget": budget, "findings": findings.len() });
    Ok(serde_json::to_vec(&value).unwrap())
}

/// Six split units as JSON files, a corrupt one, a panicking one, and a GBK units.csv.
fn json_units(dir: &Path) {
    let units = split_units(&seed_budget(), 6, 2024);
    let mut listing = format!("部门名称,{DEPARTMENT}\r\n单位名称,单位类型,文件\r\n");
    for (i, unit) in units.iter().enumerate() {
        let file = format!("u{i}.xlsx");
        std::fs::write(dir.join(&file), serde_json::to_vec(unit).unwrap()).unwrap();
        listing.push_str(&format!("{},行政,{file}\r\n", unit.meta.entity));
    }
    std::fs::write(
        dir.join("zz_corrupt.xlsx"),
        b"PK\x03\x04 not really a workbook",
    )
    .unwrap();
    std::fs::write(dir.join("zz_boom.xlsx"), b"{}").unwrap();
    std::fs::write(dir.join("notes.md"), "说明").unwrap();
    std::fs::write(dir.join("units.csv"), encoding_rs::GBK.encode(&listing).0).unwrap();
}

#[test]
fn one_corrupt_and_one_panicking_unit_never_stop_the_others() {
    let input = tempfile::tempdir().unwrap();
    json_units(input.path());
    let before = snapshot(input.path());
    // The output folder lies inside the input folder: it must never be read as units.
    let out = input.path().join("结果");
    let plan = BatchPlan::new(input.path(), &out);
    let pipeline = Pipeline {
        load: &json_load,
        render: &json_render,
    };
    let report = run_with(&plan, &NoProgress, &pipeline).unwrap();

    let statuses: Vec<(&str, UnitStatus)> = report
        .units
        .iter()
        .map(|u| (u.file.as_str(), u.status))
        .collect();
    assert_eq!(statuses.len(), 8);
    assert!(statuses[..6].iter().all(|(_, s)| *s != UnitStatus::Failed));
    assert_eq!(statuses[6], ("zz_boom.xlsx", UnitStatus::Failed));
    assert_eq!(statuses[7], ("zz_corrupt.xlsx", UnitStatus::Failed));
    let boom = report.units[6].first_error.clone().unwrap();
    assert!(
        boom.starts_with("处理 zz_boom.xlsx 时程序内部出错：injected failure in"),
        "{boom}"
    );
    let corrupt = report.units[7].first_error.clone().unwrap();
    assert!(
        corrupt.ends_with("zz_corrupt.xlsx：不是有效的预算文件"),
        "{corrupt}"
    );
    assert_eq!(report.ignored, ["notes.md"]);
    assert_eq!(report.exit_code(), 2);
    assert_eq!(
        report.describe(),
        "共 8 个单位：通过 6 个，有错误 0 个，失败 2 个；部门汇总：通过"
    );
    assert_eq!(report.units[0].unit, format!("{DEPARTMENT}本部"));
    assert_eq!(report.units[0].kind.as_deref(), Some("行政"));

    // One workbook per converted unit, named after the unit.
    let written: Vec<String> = std::fs::read_dir(out.join("units"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written.len(), 6);
    assert!(written.contains(&format!("{DEPARTMENT}本部.xlsx")));

    // The department is the sum of the units: the seed's base tables and 三公, exactly.
    assert_eq!(report.department.status, UnitStatus::Ok);
    let dept: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join(format!("{DEPARTMENT}.xlsx"))).unwrap())
            .unwrap();
    let dept: Budget = serde_json::from_value(dept["budget"].clone()).unwrap();
    let seed = seed_budget();
    assert_eq!(dept.income, seed.income);
    assert_eq!(dept.expenditure, seed.expenditure);
    assert_eq!(dept.general, seed.general);
    assert_eq!(dept.economic, seed.economic);
    assert_eq!(dept.table9.three_public, seed.table9.three_public);
    assert_eq!(dept.meta.entity, DEPARTMENT);
    assert_eq!(dept.meta.admin_unit_count, Some(6));
    assert_eq!(
        report.department.income_total.map(|d| d.to_string()),
        Some("84281400".into())
    );

    // summary.json says the same, and inputs are untouched.
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["exit_code"], 2);
    assert_eq!(summary["counts"]["failed"], 2);
    assert_eq!(summary["units"][7]["status"], "failed");
    assert_eq!(summary["units"][7]["file"], "zz_corrupt.xlsx");
    assert_eq!(
        summary["units"][0]["income_total"],
        report.units[0].income_total.unwrap().to_string()
    );
    assert_eq!(summary["department"]["unit"], DEPARTMENT);
    // summary.xlsx: the same rows for the officer, totals as numbers, the department last.
    let sheet = {
        use calamine::Reader;
        let mut wb = calamine::open_workbook_auto(out.join("summary.xlsx")).unwrap();
        wb.worksheet_range("汇总").unwrap()
    };
    let last = sheet.height() - 1;
    assert_eq!(
        sheet.get((0, 4)),
        Some(&calamine::Data::String("收入总计（元）".into()))
    );
    assert_eq!(
        sheet.get((last, 1)),
        Some(&calamine::Data::String(DEPARTMENT.into()))
    );
    assert_eq!(
        sheet.get((last, 4)),
        Some(&calamine::Data::Float(84_281_400.0))
    );
    assert_eq!(
        sheet.get((last, 5)),
        Some(&calamine::Data::Float(84_281_400.0))
    );
    assert_eq!(
        sheet.get((8, 0)),
        Some(&calamine::Data::String("zz_corrupt.xlsx".into()))
    );
    assert_eq!(
        sheet.get((8, 3)),
        Some(&calamine::Data::String("失败".into()))
    );
    let after: BTreeMap<_, _> = snapshot(input.path())
        .into_iter()
        .filter(|(p, _)| !p.starts_with(&out))
        .collect();
    assert_eq!(after, before, "inputs are never modified");

    // A second run over the same folder (outputs now inside it) gives the same report and the
    // same files, byte for byte.
    let first_summary = std::fs::read(out.join("summary.json")).unwrap();
    let again = run_with(&plan, &NoProgress, &pipeline).unwrap();
    assert_eq!(again, report);
    assert_eq!(
        std::fs::read(out.join("summary.json")).unwrap(),
        first_summary
    );
}

#[test]
fn after_a_batch_the_officer_reads_which_units_failed_or_have_errors_and_why() {
    let input = tempfile::tempdir().unwrap();
    json_units(input.path());
    let out = tempfile::tempdir().unwrap();
    let plan = BatchPlan::new(input.path(), out.path());
    // Units u1 and u2 come with an error finding.
    let with_errors = |path: &Path| {
        let mut s = json_load(path)?;
        let name = path.file_name().unwrap().to_string_lossy();
        if name == "u1.xlsx" || name == "u2.xlsx" {
            s.findings.push(Finding::new(
                yusuan::finding::Severity::Error,
                "row-sum",
                "合计不等于各列之和",
            ));
        }
        Ok(s)
    };
    let pipeline = Pipeline {
        load: &with_errors,
        render: &json_render,
    };
    let report = run_with(&plan, &NoProgress, &pipeline).unwrap();
    let boom = format!(
        "  zz_boom.xlsx：处理 zz_boom.xlsx 时程序内部出错：injected failure in {}",
        input.path().join("zz_boom.xlsx").display()
    );
    assert_eq!(
        report.problems(10),
        [
            "失败的单位：",
            &boom,
            // The reason's own copy of the path is not repeated.
            "  zz_corrupt.xlsx：不是有效的预算文件",
            "有错误的单位：",
            "  u1.xlsx（1 个错误）：合计不等于各列之和",
            "  u2.xlsx（1 个错误）：合计不等于各列之和",
        ]
    );
    assert_eq!(
        report.problems(1),
        [
            "失败的单位：",
            &boom,
            "  ……另有 1 个，详见 summary.xlsx",
            "有错误的单位：",
            "  u1.xlsx（1 个错误）：合计不等于各列之和",
            "  ……另有 1 个，详见 summary.xlsx",
        ]
    );

    // Nothing to report when everything passed; a department that failed says why.
    let clean = tempfile::tempdir().unwrap();
    let unit = split_units(&seed_budget(), 1, 1).remove(0);
    std::fs::write(
        clean.path().join("a.xlsx"),
        serde_json::to_vec(&unit).unwrap(),
    )
    .unwrap();
    let fresh = tempfile::tempdir().unwrap();
    let plan = BatchPlan::new(clean.path(), fresh.path());
    let pipeline = Pipeline {
        load: &json_load,
        render: &json_render,
    };
    assert!(
        run_with(&plan, &NoProgress, &pipeline)
            .unwrap()
            .problems(10)
            .is_empty()
    );
    let unwritable = |_: &Budget, _: &[Finding]| Err::<Vec<u8>, String>("磁盘已满".into());
    let pipeline = Pipeline {
        load: &json_load,
        render: &unwritable,
    };
    assert_eq!(
        run_with(&plan, &NoProgress, &pipeline)
            .unwrap()
            .problems(10),
        [
            "失败的单位：",
            "  a.xlsx：磁盘已满",
            // The clean run's workbook of the unit that failed now is not this run's result.
            "输出文件夹中另有 1 个不是本次生成的单位工作簿（之前处理留下的，可以删除）：",
            "  units/a.xlsx",
            "部门汇总失败：没有任何单位转换成功，无法汇总部门预算"
        ]
    );
}

#[test]
fn a_unit_workbook_left_by_an_earlier_batch_is_named_not_taken_for_a_result() {
    let input = tempfile::tempdir().unwrap();
    let shapes = [Shape::Official, Shape::Official];
    generate_units_in(&seed_budget(), 2, 2024, input.path(), &shapes).unwrap();
    // Without units.csv, which would list the removed file as missing.
    std::fs::remove_file(input.path().join("units.csv")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let plan = BatchPlan::new(input.path(), out.path());
    let first = run(&plan, &NoProgress).unwrap();
    assert!(first.stale.is_empty());
    let gone = first.units[1].clone();
    std::fs::remove_file(input.path().join(&gone.file)).unwrap();
    let second = run(&plan, &NoProgress).unwrap();
    let old = gone.output.unwrap();
    assert_eq!(second.stale, std::slice::from_ref(&old));
    assert!(out.path().join(&old).is_file(), "never deleted");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["stale"], serde_json::json!([old]));
    assert_eq!(
        second.problems(10),
        [
            "输出文件夹中另有 1 个不是本次生成的单位工作簿（之前处理留下的，可以删除）："
                .to_string(),
            format!("  {old}"),
        ]
    );
}

#[test]
fn exit_codes_follow_the_worst_outcome() {
    let input = tempfile::tempdir().unwrap();
    let unit = split_units(&seed_budget(), 1, 1).remove(0);
    std::fs::write(
        input.path().join("a.xlsx"),
        serde_json::to_vec(&unit).unwrap(),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let plan = BatchPlan::new(input.path(), out.path());
    let clean = run_with(
        &plan,
        &NoProgress,
        &Pipeline {
            load: &json_load,
            render: &json_render,
        },
    )
    .unwrap();
    assert_eq!(clean.exit_code(), 0, "{:?}", clean.units);
    let with_error = |path: &Path| {
        let mut s = json_load(path)?;
        s.findings.push(Finding::new(
            yusuan::finding::Severity::Error,
            "row-sum",
            "合计不等于各列之和",
        ));
        Ok(s)
    };
    let findings = run_with(
        &plan,
        &NoProgress,
        &Pipeline {
            load: &with_error,
            render: &json_render,
        },
    )
    .unwrap();
    assert_eq!(findings.units[0].status, UnitStatus::Findings);
    assert_eq!(
        findings.units[0].first_error.as_deref(),
        Some("合计不等于各列之和")
    );
    assert_eq!(findings.exit_code(), 1);
    let unwritable = |_: &Budget, _: &[Finding]| Err::<Vec<u8>, String>("磁盘已满".into());
    let failed = run_with(
        &plan,
        &NoProgress,
        &Pipeline {
            load: &json_load,
            render: &unwritable,
        },
    )
    .unwrap();
    assert_eq!(failed.units[0].first_error.as_deref(), Some("磁盘已满"));
    assert_eq!(failed.department.status, UnitStatus::Failed);
    assert_eq!(failed.exit_code(), 2);
}

#[test]
fn an_empty_folder_or_a_file_is_refused_with_a_chinese_message() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let err = run(&BatchPlan::new(input.path(), out.path()), &NoProgress).unwrap_err();
    assert!(
        err.to_string().contains("中没有找到任何单位报送材料"),
        "{err}"
    );
    let file = input.path().join("a.xlsx");
    std::fs::write(&file, b"x").unwrap();
    let err = run(&BatchPlan::new(&file, out.path()), &NoProgress).unwrap_err();
    assert_eq!(err.to_string(), format!("{} 不是文件夹", file.display()));
    let err = run(&BatchPlan::new(input.path(), input.path()), &NoProgress).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "输出文件夹不能是输入文件夹 {} 本身，请换一个输出文件夹",
            input.path().display()
        )
    );
    assert_eq!(
        std::fs::read_dir(input.path()).unwrap().count(),
        1,
        "nothing was written"
    );
}

#[test]
fn with_the_real_pipeline_every_unreadable_unit_is_recorded_with_its_path() {
    let input = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("乱码.xlsx"), b"\x00\x01garbage").unwrap();
    std::fs::write(input.path().join("空白.csv"), b"").unwrap();
    let out = tempfile::tempdir().unwrap();
    let report = run(&BatchPlan::new(input.path(), out.path()), &NoProgress).unwrap();
    assert_eq!(report.units.len(), 2);
    for unit in &report.units {
        assert_eq!(unit.status, UnitStatus::Failed);
        let message = unit.first_error.clone().unwrap_or_default();
        assert!(
            message.contains(&unit.file),
            "{message} names {}",
            unit.file
        );
    }
    assert_eq!(report.exit_code(), 2);
    assert!(out.path().join("summary.json").is_file());
}

/// The seed split into 6 units in 3 shapes plus one corrupt file.
fn seed_units(dir: &Path) {
    let shapes = [Shape::Official, Shape::CsvGbk, Shape::JoinedCodes];
    generate_units_in(&seed_budget(), 6, 2024, dir, &shapes).unwrap();
    std::fs::write(dir.join("0007_损坏.xlsx"), b"PK\x03\x04truncated").unwrap();
}

#[test]
fn the_seed_split_into_six_units_consolidates_back_to_the_seed() {
    let input = tempfile::tempdir().unwrap();
    seed_units(input.path());
    let out = tempfile::tempdir().unwrap();
    let report = run(&BatchPlan::new(input.path(), out.path()), &NoProgress).unwrap();
    assert_eq!(report.units.len(), 7);
    for unit in &report.units[..6] {
        assert_eq!(unit.status, UnitStatus::Ok, "{unit:?}");
        assert!(out.path().join(unit.output.as_ref().unwrap()).is_file());
    }
    assert_eq!(report.units[6].file, "0007_损坏.xlsx");
    assert_eq!(report.units[6].status, UnitStatus::Failed);
    assert_eq!(report.exit_code(), 2);
    let dept_file = out.path().join(format!("{DEPARTMENT}.xlsx"));
    let dept = yusuan::load(&dept_file).unwrap().budget;
    let seed = seed_budget();
    assert_eq!(core(&dept), core(&seed));
    // The printed 表1 and 表4, derived from the summed units, are the seed's: its printed 表1
    // and the 表4 its base tables give (the seed prints no 表4).
    assert_eq!(dept.stated_overview, seed.stated_overview, "表1");
    let seed_t4 = yusuan::derive::fiscal_overview(&seed);
    assert_eq!(dept.stated_fiscal.as_ref(), Some(&seed_t4), "表4");

    // Same input, same cell contents in every output workbook; same summary.json bytes.
    let again = tempfile::tempdir().unwrap();
    run(&BatchPlan::new(input.path(), again.path()), &NoProgress).unwrap();
    let first = workbook_cells(out.path());
    assert_eq!(first.len(), 8, "6 units, the department and the summary");
    assert_eq!(first, workbook_cells(again.path()));
    let json = |dir: &Path| std::fs::read(dir.join("summary.json")).unwrap();
    assert_eq!(json(out.path()), json(again.path()));
}

/// Every xlsx under `dir` (relative path) with every sheet's cells as text.
fn workbook_cells(dir: &Path) -> BTreeMap<PathBuf, Vec<(String, Vec<String>)>> {
    use calamine::{Reader, open_workbook_auto};
    snapshot(dir)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| {
            let mut wb = open_workbook_auto(&p).unwrap();
            let sheets = wb
                .sheet_names()
                .into_iter()
                .map(|name| {
                    let range = wb.worksheet_range(&name).unwrap();
                    let cells = range
                        .cells()
                        .map(|(r, c, v)| format!("{r},{c}={v}"))
                        .collect();
                    (name, cells)
                })
                .collect();
            (p.strip_prefix(dir).unwrap().to_path_buf(), sheets)
        })
        .collect()
}

#[test]
fn the_cli_batch_exits_2_and_writes_the_summary() {
    let input = tempfile::tempdir().unwrap();
    seed_units(input.path());
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("batch")
        .arg(input.path())
        .arg("-o")
        .arg(out.path())
        .arg("--quiet")
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["units"][6]["file"], "0007_损坏.xlsx");
    assert_eq!(summary["units"][6]["status"], "failed");
    assert_eq!(summary["counts"]["ok"], 7, "six units and the department");

    // Without --quiet the failed file and why are printed under the counts.
    let again = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("batch")
        .arg(input.path())
        .arg("-o")
        .arg(again.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    let expected = format!(
        "共 7 个单位：通过 6 个，有错误 0 个，失败 1 个；部门汇总：通过\n\
         失败的单位：\n\
         \x20 0007_损坏.xlsx：文件已损坏或不完整（压缩结构不完整，可能下载或拷贝中断）。\
         请重新导出，或用 Excel/WPS 打开后另存为 .xlsx\n\
         结果汇总：{}\n",
        again.path().join("summary.xlsx").display()
    );
    assert!(stderr.ends_with(&expected), "{stderr}");
}

#[test]
fn the_cli_batch_prints_in_wan_yuan_with_a_cover_when_asked() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let input = tempfile::tempdir().unwrap();
    let shapes = [Shape::Official, Shape::CsvGbk];
    generate_units_in(&seed_budget(), 2, 2024, input.path(), &shapes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_yusuan"))
        .arg("batch")
        .arg(input.path())
        .args(["-o"])
        .arg(out.path())
        .args(["--quiet", "--unit", "万元", "--cover"])
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(0));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    // The summary keeps exact 元.
    assert_eq!(summary["department"]["income_total"], "84281400");
    let mut written = vec![out.path().join(format!("{DEPARTMENT}.xlsx"))];
    for unit in summary["units"].as_array().unwrap() {
        written.push(out.path().join(unit["output"].as_str().unwrap()));
    }
    assert_eq!(written.len(), 3);
    for path in &written {
        let book: Xlsx<_> = open_workbook(path).unwrap();
        assert_eq!(
            book.sheet_names()[..2],
            ["封面", "目录"],
            "{}",
            path.display()
        );
    }
    let mut department: Xlsx<_> = open_workbook(&written[0]).unwrap();
    let t2 = department.worksheet_range("2 收入总表").unwrap();
    let at = |r: u32, c: u32| t2.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(1, 8), Data::String("单位：万元".into()));
    // The department's first income row, 64,279,020 元, and its 合计, 84,281,400 元, printed
    // in 万元 rounded half-up to 2 decimals.
    assert_eq!(at(5, 4), Data::Float(6427.9));
    assert_eq!(at(26, 4), Data::Float(8428.14));
}

#[test]
fn a_department_sending_every_shape_converts_clean() {
    let input = tempfile::tempdir().unwrap();
    let paths =
        yusuan::synth::generate_units(&seed_budget(), Shape::ALL.len(), 3, input.path()).unwrap();
    assert_eq!(paths.len(), Shape::ALL.len());
    let out = tempfile::tempdir().unwrap();
    let report = run(&BatchPlan::new(input.path(), out.path()), &NoProgress).unwrap();
    let not_ok: Vec<_> = report
        .units
        .iter()
        .filter(|u| u.status != UnitStatus::Ok)
        .map(|u| format!("{}: {:?}", u.file, u.first_error))
        .collect();
    assert!(not_ok.is_empty(), "{not_ok:#?}");
    assert_eq!(report.department.status, UnitStatus::Ok);
    assert_eq!(report.exit_code(), 0);
    // Every unit is named as units.csv says, whatever its shape printed (no titles, …).
    let units = split_units(&seed_budget(), Shape::ALL.len(), 3);
    for (outcome, unit) in report.units.iter().zip(&units) {
        assert_eq!(outcome.unit, unit.meta.entity);
        assert_eq!(outcome.kind.as_deref(), Some("行政"));
    }
    // Only the 万元 unit rounds: the department differs from the seed by its rounding alone.
    let total = report.department.income_total.unwrap();
    let seed_total = seed_budget().income.total.unwrap().total;
    assert!(
        (total - seed_total).abs() <= rust_decimal::Decimal::from(50),
        "{total}"
    );
}

#[test]
fn an_xlsb_unit_converts_in_a_batch_to_the_same_workbook_as_its_xlsx() {
    // The same unit submitted once as the xlsx the samples hold and once saved as xlsb (its
    // grids with their merges), each in a batch of its own.
    let xlsx = crate::common::repo_path("samples/units/0001_official.xlsx");
    let grids = yusuan::read::read_path(&xlsx).unwrap();
    let (as_xlsx, as_xlsb) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    std::fs::copy(&xlsx, as_xlsx.path().join("本部.xlsx")).unwrap();
    let xlsb = crate::common::xlsb::workbook(&grids);
    std::fs::write(as_xlsb.path().join("本部.xlsb"), xlsb).unwrap();
    let outputs = [as_xlsx.path(), as_xlsb.path()].map(|input| {
        let out = tempfile::tempdir().unwrap();
        let report = run(&BatchPlan::new(input, out.path()), &NoProgress).unwrap();
        assert_eq!(report.units.len(), 1);
        assert_eq!(report.units[0].status, UnitStatus::Ok, "{:?}", report.units);
        (report, out)
    });
    let [(from_xlsx, xlsx_out), (from_xlsb, xlsb_out)] = outputs;
    assert_eq!(
        (
            from_xlsb.units[0].income_total,
            from_xlsb.units[0].expenditure_total
        ),
        (
            from_xlsx.units[0].income_total,
            from_xlsx.units[0].expenditure_total
        )
    );
    // The unit's and the department's workbooks, cell for cell (summary.xlsx names the input
    // files, which differ).
    let workbooks = |dir: &Path| {
        let mut cells = workbook_cells(dir);
        cells.remove(Path::new("summary.xlsx")).unwrap();
        cells
    };
    let cells = workbooks(xlsb_out.path());
    assert_eq!(cells.len(), 2);
    assert_eq!(cells, workbooks(xlsx_out.path()));
}
