//! The write-ahead journal on real files (`src/store/ledger/journal.rs`): a ledger file left
//! behind its journal (as a power loss before a checkpoint leaves it) gets the journaled writes
//! back when the till opens it, the monitor's read-only open refuses it until then, a journal
//! that does not follow the file's chain is refused, a new ledger never inherits an old
//! journal, and checkpoints keep the journal small.

mod common;

use aixin::domain::Command;
use aixin::store::ledger::journal::{self, CHECKPOINT_RECORDS};
use aixin::store::ledger::{journal_path, parse_stored_event};
use aixin::store::verify::verify_all;
use aixin::store::{Ledger, StoreError};
use common::till::{ledger, NOW};

/// A cheap journaled write: the rice's low-stock reminder.
fn low_stock(units: i64) -> Command {
    Command::SetLowStock {
        goods_id: "G01".into(),
        units,
    }
}

fn rice_reminder(ledger: &Ledger) -> i64 {
    let view = ledger.view().expect("view");
    let goods = view.goods().expect("goods");
    goods
        .iter()
        .find(|g| g.goods.goods_id == "G01")
        .map(|g| g.low_stock_units)
        .expect("rice")
}

fn head(ledger: &Ledger) -> u64 {
    ledger
        .view()
        .and_then(|v| v.require_meta())
        .map(|m| m.head_seq)
        .expect("head")
}

fn verified(ledger: &Ledger) {
    let reports = verify_all(ledger).expect("verify");
    for report in reports {
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
}

#[test]
fn a_file_behind_its_journal_gets_the_journaled_writes_back_when_the_till_opens_it() {
    let (dir, ledger) = ledger();
    let path = ledger.path().to_path_buf();
    drop(ledger);
    let mut ledger = Ledger::open(&path).expect("open");
    let before = head(&ledger);
    // A session's first write is a durable commit; the file as it is now is what a power loss
    // before the next checkpoint leaves.
    ledger.execute("管理员", NOW, &low_stock(6)).expect("first");
    let behind = dir.path().join("behind.redb");
    std::fs::copy(&path, &behind).expect("copy");
    ledger
        .execute("管理员", NOW, &low_stock(7))
        .expect("second");
    ledger.execute("管理员", NOW, &low_stock(9)).expect("third");
    assert_eq!(head(&ledger), before + 3);
    drop(ledger);

    // The file as it was after the first write, beside the journal that holds the other two.
    std::fs::copy(&behind, &path).expect("put back");
    assert!(
        matches!(Ledger::open_read_only(&path), Err(StoreError::NeedsRepair)),
        "the monitor must not read a ledger that is behind what the till showed"
    );
    let ledger = Ledger::open(&path).expect("the till opens it");
    assert_eq!(head(&ledger), before + 3, "both journaled writes are back");
    assert_eq!(rice_reminder(&ledger), 9);
    verified(&ledger);
    drop(ledger);
    let monitor = Ledger::open_read_only(&path).expect("the monitor may open it now");
    assert_eq!(head(&monitor), before + 3);
}

#[test]
fn a_journal_that_does_not_follow_the_files_chain_is_refused() {
    // Two ledgers of the same station that parted after their common start: the journal of
    // one beside the other file links to a head that file does not have.
    let (dir, ledger) = ledger();
    let path = ledger.path().to_path_buf();
    drop(ledger);
    let other = dir.path().join("other.redb");
    std::fs::copy(&path, &other).expect("copy");
    {
        let mut a = Ledger::open(&path).expect("open a");
        a.execute("管理员", NOW, &low_stock(3)).expect("a writes");
    }
    {
        let mut b = Ledger::open(&other).expect("open b");
        b.execute("管理员", NOW, &low_stock(4)).expect("b writes");
        b.execute("管理员", NOW, &low_stock(5))
            .expect("b writes again");
    }
    // b's journal beside a's file: its first write has the seq of a's but is another event.
    std::fs::copy(journal_path(&other), journal_path(&path)).expect("swap journals");
    let refused = Ledger::open(&path);
    assert!(
        matches!(refused, Err(StoreError::ForeignJournal { .. })),
        "a journal that is not the file's chain is refused, got {:?}",
        refused.as_ref().err()
    );
    // The file itself is untouched: with its own (empty) journal it opens as it was.
    std::fs::write(journal_path(&path), b"").expect("empty journal");
    let ledger = Ledger::open(&path).expect("opens without the foreign journal");
    assert_eq!(rice_reminder(&ledger), 3);
    verified(&ledger);
}

#[test]
fn a_file_copied_without_its_journal_after_a_crash_is_refused_until_the_journal_is_back() {
    // The till has written (the last writes only in the journal) and has not closed: a copy of
    // its files now is what a crash leaves.
    let (dir, mut ledger) = ledger();
    let path = ledger.path().to_path_buf();
    for units in [3, 4, 5] {
        ledger
            .execute("管理员", NOW, &low_stock(units))
            .expect("write");
    }
    let acknowledged = head(&ledger);
    let alone = dir.path().join("alone");
    let both = dir.path().join("both");
    for to in [&alone, &both] {
        std::fs::create_dir(to).expect("dir");
        std::fs::copy(&path, to.join("ledger.redb")).expect("copy");
    }
    std::fs::copy(journal_path(&path), journal_path(&both.join("ledger.redb"))).expect("copy");
    drop(ledger);

    // With its journal: every acknowledged write.
    let whole = Ledger::open(&both.join("ledger.redb")).expect("opens with its journal");
    assert_eq!(head(&whole), acknowledged);
    assert_eq!(rice_reminder(&whole), 5);
    verified(&whole);

    // Without it: refused, naming the file, and nothing created in its place.
    let lone = alone.join("ledger.redb");
    let refused = Ledger::open(&lone);
    assert!(
        matches!(&refused, Err(StoreError::JournalMissing(p)) if *p == journal_path(&lone)),
        "a crashed file without its journal is refused, got {:?}",
        refused.as_ref().err()
    );
    let message = refused
        .err()
        .map(|e| e.message(aixin::i18n::Lang::Zh))
        .unwrap_or_default();
    assert!(
        message.contains("放回") && message.contains("空文件"),
        "{message}"
    );
    assert!(!journal_path(&lone).exists());
    assert!(
        Ledger::open(&lone).is_err(),
        "still refused on a second try"
    );

    // The manager's way out when it is truly lost: an empty journal, and the file as it was.
    std::fs::write(journal_path(&lone), b"").expect("empty journal");
    let partial = Ledger::open(&lone).expect("opens with an empty journal");
    assert!(
        head(&partial) < acknowledged,
        "the journal-only writes are gone"
    );
    verified(&partial);
}

#[test]
fn a_cleanly_closed_file_opens_alone() {
    let (dir, mut ledger) = ledger();
    let path = ledger.path().to_path_buf();
    ledger.execute("管理员", NOW, &low_stock(8)).expect("write");
    ledger.execute("管理员", NOW, &low_stock(9)).expect("write");
    let acknowledged = head(&ledger);
    drop(ledger);
    let alone = dir.path().join("alone");
    std::fs::create_dir(&alone).expect("dir");
    std::fs::copy(&path, alone.join("ledger.redb")).expect("copy");
    let reopened = Ledger::open(&alone.join("ledger.redb")).expect("a clean file needs no journal");
    assert_eq!(head(&reopened), acknowledged);
    assert_eq!(rice_reminder(&reopened), 9);
}

#[test]
fn a_new_ledger_does_not_inherit_a_journal_left_at_its_path() {
    let (dir, ledger) = ledger();
    let path = ledger.path().to_path_buf();
    drop(ledger);
    {
        let mut ledger = Ledger::open(&path).expect("open");
        ledger.execute("管理员", NOW, &low_stock(6)).expect("write");
    }
    std::fs::remove_file(&path).expect("remove the file, keep its journal");
    assert!(journal_path(&path).exists());
    let fresh = Ledger::create(&path).expect("create");
    drop(fresh);
    let reopened = Ledger::open(&path).expect("reopen");
    assert!(
        reopened
            .view()
            .expect("view")
            .meta()
            .expect("meta")
            .is_none(),
        "nothing of the old journal was applied to the new ledger"
    );
    drop(dir);
}

#[test]
fn checkpoints_restart_the_journal_and_keep_every_write() {
    let (_dir, mut ledger) = ledger();
    let path = ledger.path().to_path_buf();
    let before = head(&ledger);
    let writes = 2 * u64::from(CHECKPOINT_RECORDS) + 300;
    for i in 0..writes {
        ledger
            .execute("管理员", NOW, &low_stock((i % 50) as i64 + 1))
            .expect("write");
    }
    assert_eq!(head(&ledger), before + writes);
    // The journal starts with the writes since the last checkpoint, not with the first ones.
    let bytes = std::fs::read(journal_path(&path)).expect("journal");
    let (records, _) = journal::parse(&bytes);
    let first = records
        .first()
        .and_then(|r| r.events.first())
        .expect("a record");
    let (_, event, _) = parse_stored_event(first).expect("event");
    assert!(
        event.seq > before + u64::from(CHECKPOINT_RECORDS),
        "the journal was rewound at the checkpoints (first record #{})",
        event.seq
    );
    assert!(bytes.len() < 4 * 1024 * 1024, "{} bytes", bytes.len());
    verified(&ledger);
    drop(ledger);
    let ledger = Ledger::open(&path).expect("reopen");
    assert_eq!(head(&ledger), before + writes);
    assert_eq!(rice_reminder(&ledger), ((writes - 1) % 50) as i64 + 1);
}
