//! Story: the recogniser reads the published seed text (tables split over pages, repeated
//! headers, empty 表6/7, 表9 only as prose) into exactly the committed canonical model, and
//! remembers the submitted cell of every amount.

use crate::common::{repo_path, seed_budget};
use rust_decimal::Decimal;
use yusuan::model::{CellKey, Code, RowKey, TableId};
use yusuan::read::text::disclosure_text;
use yusuan::recognize::{Submission, recognize};

fn seed() -> Submission {
    let path = repo_path("samples/seed-disclosure.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let grid = disclosure_text("seed-disclosure.txt", &text);
    recognize(&[grid]).unwrap()
}

fn cell(sub: &Submission, table: TableId, row: RowKey, column: usize) -> String {
    let key = CellKey { table, row, column };
    sub.sources
        .get(&key)
        .map(|l| format!("{}!{}", l.sheet, l.cell))
        .unwrap_or_else(|| panic!("no source for {key:?}"))
}

fn code(s: &str) -> RowKey {
    RowKey::Code(Code::new(s).unwrap())
}

#[test]
fn seed_text_recognises_to_the_committed_model() {
    let sub = seed();
    assert_eq!(sub.budget, seed_budget());
    assert_eq!(sub.findings, vec![]);
}

#[test]
fn seed_key_figures() {
    let b = seed().budget;
    let yuan = Decimal::from;
    let t2 = b.income.total.unwrap();
    assert_eq!(
        (t2.total, t2.fiscal, t2.other),
        (yuan(84_281_400), yuan(84_081_400), yuan(200_000))
    );
    let t3 = b.expenditure.total.unwrap();
    assert_eq!(
        (t3.total, t3.basic, t3.project),
        (yuan(84_281_400), yuan(67_268_757), yuan(17_012_643))
    );
    assert_eq!(b.general.total.unwrap().total, yuan(84_081_400));
    let t8 = b.economic.total.unwrap();
    assert_eq!(
        (t8.total, t8.personnel, t8.public),
        (yuan(67_268_757), yuan(48_475_981), yuan(18_792_776))
    );
    assert_eq!(
        [
            b.income.lines.len(),
            b.expenditure.lines.len(),
            b.general.lines.len(),
            b.economic.lines.len()
        ],
        [21, 21, 21, 39]
    );
    assert!(b.fund.present && b.fund.lines.is_empty() && b.fund.total.unwrap().total.is_zero());
    assert!(b.capital.present && b.capital.lines.is_empty());
    assert_eq!(b.table9.admin_running, Some(yuan(18_792_800)));
    assert_eq!(b.table9.three_public.unwrap().total, yuan(5_776_000));
    assert_eq!(b.stated_fiscal, None);
}

#[test]
fn seed_sources_name_the_printed_cells() {
    let sub = seed();
    // 2 tables × 22 rows … : T2 110 + T3 66 + T5 66 + T6 3 + T7 3 + T8 120 + T1 13 + T9 7.
    assert_eq!(sub.sources.len(), 388);
    // Line 113 of the text: `201→03→01→行政运行→48,215,638→48,015,638→→→200,000`.
    assert_eq!(cell(&sub, TableId::T2, code("2010301"), 0), "正文!E113");
    assert_eq!(cell(&sub, TableId::T2, code("2010301"), 4), "正文!I113");
    // The second page of 表2 (after the repeated header) and its 合计 row.
    assert_eq!(cell(&sub, TableId::T2, code("2210203"), 1), "正文!F135");
    assert_eq!(cell(&sub, TableId::T2, RowKey::Total, 0), "正文!E136");
    // 表8's 合计 row prints its amounts from column D.
    assert_eq!(cell(&sub, TableId::T8, RowKey::Total, 2), "正文!F288");
    // Empty 表6: the blank 合计 row is still the submitted cell.
    assert!(sub.sources.contains_key(&CellKey {
        table: TableId::T6,
        row: RowKey::Total,
        column: 2
    }));
    // 表1 items by label; 表9 figures from the prose sentences.
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("四、其他收入".into()), 0),
        "正文!B99"
    );
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("住房保障支出".into()), 1),
        "正文!D96"
    );
    assert_eq!(
        cell(&sub, TableId::T1, RowKey::Label("支出总计".into()), 1),
        "正文!D100"
    );
    assert_eq!(cell(&sub, TableId::T9, RowKey::Total, 1), "正文!A296");
    assert_eq!(cell(&sub, TableId::T9, RowKey::Total, 6), "正文!A304");
}
