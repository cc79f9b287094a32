//! The seed budget (上海市人民政府合作交流办公室, 2024) written out by hand as a canonical
//! [`Budget`]: a consistent, realistic fixture for docs, unit tests and benchmarks that needs no
//! file. Leaves are data; 款, 类 and 合计 rows are summed from them.
//!
//! Not read from the seed text at run time, and not a substitute for the committed
//! `tests/fixtures/seed_budget.json` (a test checks the two agree).

use crate::derive;
use crate::model::{
    Amounts, Budget, Classified, Code, EconomicAmounts, IncomeAmounts, Level, Line, Meta,
    MoneyUnit, SplitAmounts, Table9, ThreePublic, UnitKind,
};
use rust_decimal::Decimal;

/// One functional leaf: code, name, 表3 基本/项目, 表5 基本/项目 (元).
type FunctionLeaf = (&'static str, &'static str, i64, i64, i64, i64);

/// Functional leaves.
const FUNCTION_LEAVES: [FunctionLeaf; 11] = [
    ("2010301", "行政运行", 48_015_638, 200_000, 48_015_638, 0),
    ("2010302", "一般行政管理事务", 0, 16_063_382, 0, 16_063_382),
    ("2080501", "行政单位离退休", 3_394_120, 0, 3_394_120, 0),
    (
        "2080505",
        "机关事业单位基本养老保险缴费支出",
        3_365_906,
        0,
        3_365_906,
        0,
    ),
    (
        "2080506",
        "机关事业单位职业年金缴费支出",
        1_596_926,
        0,
        1_596_926,
        0,
    ),
    ("2080599", "其他行政事业单位养老支出", 42_000, 0, 42_000, 0),
    ("2080801", "死亡抚恤", 0, 695_261, 0, 695_261),
    ("2101101", "行政单位医疗", 2_041_505, 0, 2_041_505, 0),
    ("2109999", "其他卫生健康支出", 0, 54_000, 0, 54_000),
    ("2210201", "住房公积金", 4_301_462, 0, 4_301_462, 0),
    ("2210203", "购房补贴", 4_511_200, 0, 4_511_200, 0),
];

/// Names of the functional 类 and 款 rows.
const FUNCTION_PARENTS: [(&str, &str); 10] = [
    ("201", "一般公共服务支出"),
    ("20103", "政府办公厅（室）及相关机构事务"),
    ("208", "社会保障和就业支出"),
    ("20805", "行政事业单位养老支出"),
    ("20808", "抚恤"),
    ("210", "卫生健康支出"),
    ("21011", "行政事业单位医疗"),
    ("21099", "其他卫生健康支出"),
    ("221", "住房保障支出"),
    ("22102", "住房改革支出"),
];

/// Economic leaves: code, name, 人员经费, 公用经费 (元).
const ECONOMIC_LEAVES: [(&str, &str, i64, i64); 35] = [
    ("30101", "基本工资", 5_187_980, 0),
    ("30102", "津贴补贴", 27_180_400, 0),
    ("30103", "奖金", 438_998, 0),
    ("30108", "机关事业单位基本养老保险缴费", 3_365_906, 0),
    ("30109", "职业年金缴费", 1_596_926, 0),
    ("30110", "职工基本医疗保险缴费", 1_624_271, 0),
    ("30111", "公务员医疗补助缴费", 417_234, 0),
    ("30112", "其他社会保障缴费", 35_124, 0),
    ("30113", "住房公积金", 4_301_462, 0),
    ("30199", "其他工资福利支出", 1_389_600, 0),
    ("30201", "办公费", 0, 1_592_200),
    ("30202", "印刷费", 0, 193_000),
    ("30203", "咨询费", 0, 23_000),
    ("30204", "手续费", 0, 36_000),
    ("30205", "水费", 0, 180_000),
    ("30206", "电费", 0, 460_000),
    ("30207", "邮电费", 0, 781_273),
    ("30209", "物业管理费", 0, 1_824_971),
    ("30211", "差旅费", 0, 2_142_250),
    ("30212", "因公出国（境）费用", 0, 936_000),
    ("30213", "维修(护)费", 0, 558_927),
    ("30214", "租赁费", 0, 2_650_000),
    ("30215", "会议费", 0, 234_000),
    ("30216", "培训费", 0, 227_000),
    ("30217", "公务接待费", 0, 390_000),
    ("30224", "被装购置费", 0, 40_000),
    ("30225", "专用燃料费", 0, 2_000),
    ("30226", "劳务费", 0, 295_000),
    ("30228", "工会经费", 0, 633_765),
    ("30229", "福利费", 0, 1_021_280),
    ("30231", "公务用车运行维护费", 0, 2_380_000),
    ("30239", "其他交通费用", 0, 1_058_560),
    ("30299", "其他商品和服务支出", 0, 964_750),
    ("30302", "退休费", 2_938_080, 0),
    ("31002", "办公设备购置", 0, 168_800),
];

/// Names of the economic 类 rows.
const ECONOMIC_PARENTS: [(&str, &str); 4] = [
    ("301", "工资福利支出"),
    ("302", "商品和服务支出"),
    ("303", "对个人和家庭的补助"),
    ("310", "资本性支出"),
];

/// The seed department budget: 2024, 上海市人民政府合作交流办公室, six 行政 units, 表6/7 empty,
/// 表1 stated, 表9 in 万元 (三公 577.60, 机关运行经费 1,879.28).
pub fn example_budget() -> Budget {
    let y = |v: i64| Decimal::from(v);
    let function_leaves = |f: fn(&FunctionLeaf) -> (i64, i64)| {
        FUNCTION_LEAVES
            .iter()
            .map(|row| {
                let (basic, project) = f(row);
                (row.0, row.1, split(y(basic), y(project)))
            })
            .collect::<Vec<_>>()
    };
    let expenditure = classified(&function_leaves(|r| (r.2, r.3)), &FUNCTION_PARENTS);
    let general = classified(&function_leaves(|r| (r.4, r.5)), &FUNCTION_PARENTS);
    let income_leaves: Vec<(&str, &str, IncomeAmounts)> = FUNCTION_LEAVES
        .iter()
        .map(|r| {
            let fiscal = y(r.4 + r.5);
            let other = y(r.2 + r.3) - fiscal;
            (
                r.0,
                r.1,
                IncomeAmounts {
                    total: fiscal + other,
                    fiscal,
                    other,
                    ..IncomeAmounts::default()
                },
            )
        })
        .collect();
    let economic_leaves: Vec<(&str, &str, EconomicAmounts)> = ECONOMIC_LEAVES
        .iter()
        .map(|r| {
            (
                r.0,
                r.1,
                EconomicAmounts {
                    total: y(r.2 + r.3),
                    personnel: y(r.2),
                    public: y(r.3),
                },
            )
        })
        .collect();
    let empty = Classified {
        total: Some(SplitAmounts::default()),
        present: true,
        ..Classified::default()
    };
    let mut budget = Budget {
        meta: Meta {
            year: Some(2024),
            entity: "上海市人民政府合作交流办公室".into(),
            level: Level::Department,
            unit_kind: Some(UnitKind::Administrative),
            admin_unit_count: Some(6),
        },
        income: classified(&income_leaves, &FUNCTION_PARENTS),
        expenditure,
        general,
        fund: empty.clone(),
        capital: empty,
        economic: classified(&economic_leaves, &ECONOMIC_PARENTS),
        table9: Table9 {
            three_public: Some(ThreePublic {
                total: y(5_776_000),
                overseas: y(936_000),
                reception: y(2_460_000),
                vehicle_subtotal: y(2_380_000),
                vehicle_purchase: y(0),
                vehicle_running: y(2_380_000),
            }),
            admin_running: Some(y(18_792_800)),
            unit: MoneyUnit::WanYuan,
        },
        ..Budget::default()
    };
    budget.stated_overview = Some(derive::overview(&budget));
    budget
}

fn split(basic: Decimal, project: Decimal) -> SplitAmounts {
    SplitAmounts {
        total: basic + project,
        basic,
        project,
    }
}

/// A table from its leaves, with every 款 and 类 row summed and the 合计 row set.
fn classified<A: Amounts>(leaves: &[(&str, &str, A)], parents: &[(&str, &str)]) -> Classified<A> {
    let mut lines: Vec<Line<A>> = Vec::new();
    for (code, name) in parents {
        let Some(code) = Code::new(code) else {
            continue;
        };
        let amounts = leaves
            .iter()
            .filter(|(c, _, _)| c.starts_with(code.as_str()))
            .fold(A::default(), |acc, (_, _, a)| acc.add(a));
        lines.push(Line {
            code,
            name: name.to_string(),
            amounts,
        });
    }
    for (code, name, amounts) in leaves {
        if let Some(code) = Code::new(code) {
            lines.push(Line {
                code,
                name: name.to_string(),
                amounts: amounts.clone(),
            });
        }
    }
    lines.sort_by(|a, b| a.code.cmp(&b.code));
    let mut table = Classified {
        lines,
        total: None,
        unit: MoneyUnit::Yuan,
        present: true,
    };
    table.total = Some(table.sum_of_lei());
    table
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_matches_the_published_seed_totals() {
        let b = example_budget();
        let d = |v: i64| Decimal::from(v);
        assert_eq!(b.income.total.as_ref().unwrap().total, d(84_281_400));
        assert_eq!(b.income.total.as_ref().unwrap().other, d(200_000));
        let t3 = b.expenditure.total.clone().unwrap();
        assert_eq!((t3.basic, t3.project), (d(67_268_757), d(17_012_643)));
        let t5 = b.general.total.clone().unwrap();
        assert_eq!((t5.total, t5.project), (d(84_081_400), d(16_812_643)));
        let t8 = b.economic.total.clone().unwrap();
        assert_eq!(
            (t8.total, t8.personnel, t8.public),
            (d(67_268_757), d(48_475_981), d(18_792_776))
        );
        let l = b.expenditure.line(&Code::new("201").unwrap()).unwrap();
        assert_eq!(l.amounts.project, d(16_263_382));
    }
}
