//! Receipt codes are indexed a batch at a time (`CODE_BATCH_RECEIPTS`), off the sale's path:
//! every receipt is still found by its code at every count, across whole and part batches and
//! a reopen; the index holds exactly the whole batches; and `verify` reports an index entry
//! added early or one that went missing.

use std::path::Path;

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::{CivilDate, PeriodKind, DAY_MS};
use aixin::domain::{Command, HouseholdRef};
use aixin::receipt::source::{by_code, by_number};
use aixin::receipt::{Print, VerificationCode};
use aixin::store::scoped::CODE_BATCH_RECEIPTS;
use aixin::store::verify::verify_all;
use aixin::store::{tables, Ledger};
use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata};

const START_MS: i64 = 1_790_820_000_000;
const HOUSEHOLDS: u64 = 20;

/// The receipt-code table as a test edits it behind the ledger's back.
type CodeTable<'t> = redb::Table<'t, (&'static str, &'static str, u64), ()>;

/// A village of [`HOUSEHOLDS`] households with 100 points each and goods of 2 points in stock.
fn shop(path: &Path) -> (Ledger, i64) {
    let mut ledger = Ledger::create(path).expect("create");
    let policy = aixin::policies::builtin("member-card")
        .expect("policy")
        .expect("valid");
    let mut now = START_MS;
    let setup = vec![
        Command::Init {
            station_id: "V1".into(),
            name: "李家村".into(),
            role: StationRole::Village,
            policy,
        },
        Command::DefineGoods {
            goods: Goods {
                goods_id: "G1".into(),
                name: "肥皂".into(),
                unit: "块".into(),
                barcode: String::new(),
                price_points: 2,
                zone: Zone::Points(2),
                category: "日用".into(),
                supplier: String::new(),
            },
        },
        Command::ReceiveStock {
            goods_id: "G1".into(),
            quantity: 10_000,
            source: StockSource::Donation {
                donor: "县妇联".into(),
            },
        },
    ];
    let households = (1..=HOUSEHOLDS).map(|i| Command::RegisterHousehold {
        household: Household {
            household_id: format!("H{i}"),
            card_no: format!("C{i}"),
            head: format!("王建{i}"),
            members: vec![],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    });
    let setup: Vec<Command> = setup.into_iter().chain(households).collect();
    ledger.execute_batch("t", now, &setup).expect("setup");
    let period = CivilDate::from_utc_ms(now).period(PeriodKind::Month).0;
    let scores: Vec<Command> = (1..=HOUSEHOLDS)
        .map(|i| Command::EnterScore {
            household_id: format!("H{i}"),
            period: period.clone(),
            score: 100,
            note: String::new(),
        })
        .collect();
    let scored = ledger.execute_batch("t", now, &scores).expect("scores");
    now += DAY_MS;
    let confirms: Vec<Command> = scored
        .iter()
        .map(|e| Command::ConfirmAward { award_seq: e.seq })
        .collect();
    ledger.execute_batch("t", now, &confirms).expect("confirm");
    (ledger, now)
}

/// Sells one unit; every seventh sale is voided at once (a void issues a receipt too).
fn sell(ledger: &mut Ledger, now: i64, n: u64) {
    let sold = ledger
        .execute(
            "t",
            now,
            &Command::Redeem {
                household: HouseholdRef::Card(format!("C{}", n % HOUSEHOLDS + 1)),
                lines: vec![("G1".into(), 1)],
                proxy: None,
            },
        )
        .expect("sale");
    if n.is_multiple_of(7) {
        ledger
            .execute(
                "t",
                now,
                &Command::VoidSale {
                    sale_seq: sold[0].seq,
                    reason: "退货".into(),
                },
            )
            .expect("void");
    }
}

fn issued(ledger: &Ledger) -> u64 {
    ledger
        .view()
        .expect("view")
        .require_meta()
        .expect("meta")
        .receipts_issued
}

/// Every receipt 1..=issued is found by its own code, and nothing else is.
fn every_code_finds_its_receipt(ledger: &Ledger) {
    let view = ledger.view().expect("view");
    for no in 1..=issued(ledger) {
        let receipt = by_number(&view, no, Print::Original).expect("receipt");
        let found: Vec<u64> = by_code(ledger, &receipt.code)
            .expect("found by code")
            .iter()
            .map(|r| r.receipt_no)
            .collect();
        assert_eq!(found, vec![no], "receipt {no}, code {:?}", receipt.code);
    }
    let unknown = VerificationCode::parse("ZZZZZZZZZZ").expect("code");
    assert!(by_code(ledger, &unknown).is_err());
}

fn verify_problems(ledger: &Ledger) -> Vec<String> {
    verify_all(ledger)
        .expect("verify")
        .into_iter()
        .flat_map(|r| r.problems)
        .collect()
}

fn index_entries(path: &Path) -> Vec<u64> {
    let db = redb::Database::open(path).expect("open");
    let txn = db.begin_read().expect("read");
    let table = txn.open_table(tables::RECEIPT_CODES).expect("table");
    let mut numbers: Vec<u64> = table
        .iter()
        .expect("iter")
        .map(|e| e.expect("entry").0.value().2)
        .collect();
    numbers.sort_unstable();
    numbers
}

#[test]
fn every_receipt_is_found_by_its_code_before_and_after_each_batch_is_indexed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("ledger.redb");
    let (mut ledger, now) = shop(&path);
    let batch = CODE_BATCH_RECEIPTS;
    let mut n = 0;
    // Up to one short of a batch, then across it, then well into the third.
    for target in [batch - 1, batch + 1, 2 * batch + batch / 2] {
        while issued(&ledger) < target {
            n += 1;
            sell(&mut ledger, now, n);
        }
        every_code_finds_its_receipt(&ledger);
        assert_eq!(verify_problems(&ledger), Vec::<String>::new());
    }
    let last = issued(&ledger);
    drop(ledger);
    // The table holds exactly the whole batches; the rest are read from their events.
    let whole = last - last % batch;
    assert_eq!(index_entries(&path), (1..=whole).collect::<Vec<u64>>());
    let ledger = Ledger::open(&path).expect("reopen");
    every_code_finds_its_receipt(&ledger);
}

#[test]
fn verify_reports_a_code_indexed_early_and_one_gone_missing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("ledger.redb");
    let (mut ledger, now) = shop(&path);
    let mut n = 0;
    while issued(&ledger) < CODE_BATCH_RECEIPTS + 3 {
        n += 1;
        sell(&mut ledger, now, n);
    }
    let view = ledger.view().expect("view");
    let early = by_number(&view, CODE_BATCH_RECEIPTS + 2, Print::Original).expect("receipt");
    let indexed = by_number(&view, 5, Print::Original).expect("receipt");
    drop(view);
    drop(ledger);
    let tamper = |change: &dyn Fn(&mut CodeTable)| {
        let db = redb::Database::open(&path).expect("open");
        let txn = db.begin_write().expect("write");
        change(&mut txn.open_table(tables::RECEIPT_CODES).expect("table"));
        txn.commit().expect("commit");
    };
    let early_key = ("V1", early.code.as_str(), early.receipt_no);
    tamper(&|t| {
        t.insert(early_key, ()).expect("insert");
    });
    let problems = verify_problems(&Ledger::open(&path).expect("open"));
    assert!(
        problems.iter().any(|p| p.contains(&format!(
            "receipt {} is in the code index",
            early.receipt_no
        ))),
        "{problems:?}"
    );
    tamper(&|t| {
        t.remove(early_key).expect("remove");
        t.remove(("V1", indexed.code.as_str(), 5)).expect("remove");
    });
    let ledger = Ledger::open(&path).expect("open");
    let problems = verify_problems(&ledger);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("derived table 'receipt_codes' differs")),
        "{problems:?}"
    );
    assert!(
        by_code(&ledger, &indexed.code).is_err(),
        "the lost entry is lost"
    );
}

#[test]
fn the_latest_receipts_kept_beside_the_meta_are_read_and_checked_like_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("ledger.redb");
    let (mut ledger, now) = shop(&path);
    let kept = aixin::store::scoped::OPEN_RECEIPTS as u64;
    let mut n = 0;
    // Two whole moves and part of a third: receipts 1..=32 are in the table, the rest beside
    // the meta.
    while issued(&ledger) < 2 * kept + 5 {
        n += 1;
        sell(&mut ledger, now, n);
    }
    every_code_finds_its_receipt(&ledger);
    assert_eq!(verify_problems(&ledger), Vec::<String>::new());
    drop(ledger);
    let db = redb::Database::open(&path).expect("open");
    let txn = db.begin_write().expect("write");
    {
        let mut table = txn.open_table(tables::RECEIPTS).expect("table");
        assert_eq!(
            table.len().expect("len"),
            2 * kept,
            "only whole moves are in the table"
        );
        table.remove(("V1", 2 * kept)).expect("remove");
    }
    txn.commit().expect("commit");
    drop(db);
    let problems = verify_problems(&Ledger::open(&path).expect("open"));
    assert!(
        problems
            .iter()
            .any(|p| p.contains(&format!("do not follow receipt {}", 2 * kept - 1))),
        "{problems:?}"
    );
}
