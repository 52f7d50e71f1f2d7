//! `aixin verify` trusts nothing derived: a balance edited behind the ledger's back, an event
//! whose bytes were changed, a removed event, and a forged void mark are each reported, and
//! verify exits non-zero.

mod common;

use std::path::Path;

use aixin::domain::state::HouseholdRecord;
use aixin::store::{codec, tables};
use common::cli::{aixin, ok};
use redb::ReadableTable;

const LATER: &str = "2026-10-09T03:00:00Z";

fn station() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    common::cli::one_household_shop(dir, "threshold-score", 5, 10, "2026-09", 90, LATER);
    ok(dir, LATER, &["redeem", "C1", "G1:2"]);
    assert!(aixin(dir, LATER, &["verify"]).status.success());
    tmp
}

fn tamper(dir: &Path, change: impl FnOnce(&redb::WriteTransaction)) {
    let db = redb::Database::open(dir.join("ledger.redb")).expect("open");
    let txn = db.begin_write().expect("write");
    change(&txn);
    txn.commit().expect("commit");
}

fn verify_fails(dir: &Path, needle: &str) {
    let out = aixin(dir, LATER, &["--lang", "en", "verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(needle),
        "verify should report {needle:?}: {stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("verification failed"));
}

#[test]
fn an_edited_balance_is_reported() {
    let tmp = station();
    tamper(tmp.path(), |txn| {
        let mut table = txn.open_table(tables::HOUSEHOLDS).expect("table");
        let mut record: HouseholdRecord = {
            let stored = table.get(("V1", "H1")).expect("get").expect("H1");
            codec::decode(stored.value()).expect("decode")
        };
        record.balance_points += 100;
        table
            .insert(
                ("V1", "H1"),
                codec::encode(&record).expect("encode").as_slice(),
            )
            .expect("insert");
    });
    verify_fails(tmp.path(), "derived table 'households' differs");
}

#[test]
fn a_changed_event_breaks_its_hash() {
    let tmp = station();
    tamper(tmp.path(), |txn| {
        let mut table = txn.open_table(tables::EVENTS).expect("table");
        let mut bytes = table
            .get(("V1", 2))
            .expect("get")
            .expect("event 2")
            .value()
            .to_vec();
        let last = bytes.len() - 1;
        bytes[last] ^= 0x01;
        table.insert(("V1", 2), bytes.as_slice()).expect("insert");
    });
    verify_fails(tmp.path(), "event #2");
}

#[test]
fn a_removed_event_breaks_the_chain() {
    let tmp = station();
    tamper(tmp.path(), |txn| {
        let mut table = txn.open_table(tables::EVENTS).expect("table");
        table.remove(("V1", 3)).expect("remove");
    });
    verify_fails(tmp.path(), "expected sequence number 3");
}

#[test]
fn a_forged_void_is_reported() {
    let tmp = station();
    tamper(tmp.path(), |txn| {
        let mut table = txn.open_table(tables::VOIDED).expect("table");
        // The shop's sale: init, score sheet, household, goods, stock, score, confirm, sale.
        let sale = 8u64;
        table.insert(("V1", sale), ()).expect("insert");
    });
    verify_fails(tmp.path(), "derived table 'sales' differs");
}
