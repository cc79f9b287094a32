//! The committed seed model is the ground truth the other tests compare with: make sure it
//! holds the figures the published document prints.

use crate::common::seed_budget;
use rust_decimal::Decimal;
use yusuan::derive;

fn yuan(n: i64) -> Decimal {
    Decimal::from(n)
}

#[test]
fn seed_model_holds_the_published_totals() {
    let b = seed_budget();
    let t2 = b.income.total.clone().unwrap();
    assert_eq!(
        (t2.total, t2.fiscal, t2.other),
        (yuan(84_281_400), yuan(84_081_400), yuan(200_000))
    );
    let t3 = b.expenditure.total.clone().unwrap();
    assert_eq!((t3.basic, t3.project), (yuan(67_268_757), yuan(17_012_643)));
    assert_eq!(b.economic.total.clone().unwrap().public, yuan(18_792_776));
    assert_eq!(b.income.lines.len(), 21);
    assert_eq!(b.economic.lines.len(), 39);
}

#[test]
fn seed_derivations_match_the_domain_figures() {
    let b = seed_budget();
    let t4 = derive::fiscal_overview(&b);
    let rows: Vec<(String, Decimal)> = t4
        .expenditure
        .iter()
        .map(|r| (r.name.clone(), r.total))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("一般公共服务支出".to_string(), yuan(64_079_020)),
            ("社会保障和就业支出".to_string(), yuan(9_094_213)),
            ("卫生健康支出".to_string(), yuan(2_095_505)),
            ("住房保障支出".to_string(), yuan(8_812_662)),
        ]
    );
    assert_eq!(t4.income_total, Some(yuan(84_081_400)));
    assert_eq!(derive::admin_running(&b), Some(yuan(18_792_776)));
    let t1 = derive::overview(&b);
    assert_eq!(Some(t1), b.stated_overview);
}
