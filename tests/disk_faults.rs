//! A full or failing disk under the ledger: the simulated disk ([`common::disk`]) fails one
//! chosen write, length change or sync with ENOSPC (the disk stays full until space is freed)
//! or EIO (once), at every such call of each of the village's six kinds of write in turn. Each
//! time the write is refused with the store's one-line message ("disk full or file damaged?
//! the ledger is unchanged"), the ledger is exactly as before (or, when only the final flush
//! failed after the commit reached the file, exactly as after — and then the write reports
//! success), `verify` passes, and once the disk is back the same write succeeds. The till, on
//! a full disk, shows the refusal, keeps running, and sells once space is freed.

mod common;

use aixin::domain::event::EventBody;
use aixin::i18n::Lang;
use aixin::store::Ledger;
use aixin::tui::model::Modal;
use aixin::tui::{Access, App, Clock, KeyName, Keymap};
use common::disk::{assert_verified, head_seq, ledger_state, Disk, Fault};
use common::scenario::{setup, steps, Step, PEERS, PERIODS};
use common::till::{press, scan, screen, SOAP_BARCODE};

/// The store's words for a storage failure (`StoreError::Storage`), in Chinese.
const STORAGE_MESSAGE: &str = "存储出错（磁盘满或文件损坏？），账本未改动";
/// How both begin.
const DISK_TROUBLE: &str = "存储出错（磁盘满或文件损坏？）";
/// The store's words when a failed commit's outcome cannot be read back yet.
const UNCERTAIN_MESSAGE: &str = "存储出错（磁盘满或文件损坏？），还不知道这一笔是否已记账";

fn state(ledger: &Ledger) -> String {
    ledger_state(ledger, &PERIODS, &PEERS)
}

/// What one faulty attempt at a step came to.
#[derive(Debug, Default)]
struct Outcomes {
    /// Refused, and the ledger is as before.
    refused: usize,
    /// The commit reached the file before the fault: reported done, and done.
    landed: usize,
    /// The ledger could not be opened again to tell: said so; whole or absent afterwards.
    uncertain: usize,
}

/// Households in the batch import: enough for a commit of many pages.
const IMPORT_HOUSEHOLDS: usize = 300;

#[test]
fn every_write_refused_by_a_full_or_failing_disk_leaves_the_ledger_as_it_was() {
    let mut all = Outcomes::default();
    for fault in [
        Fault::Full,
        Fault::FullCopyOnWrite,
        Fault::Io,
        Fault::Broken,
        Fault::Gone,
    ] {
        let disk = Disk::new();
        let created = Ledger::create_with_backend(disk.clone());
        let (mut ledger, bundle, keys) = setup(created.unwrap_or_else(|e| panic!("create: {e}")));
        let mut outcomes = Outcomes::default();
        for step in steps(bundle, keys, IMPORT_HOUSEHOLDS) {
            fail_every_call(&disk, &mut ledger, &step, fault, &mut outcomes);
        }
        eprintln!("{fault:?}: {outcomes:?}");
        all.refused += outcomes.refused;
        all.landed += outcomes.landed;
        all.uncertain += outcomes.uncertain;
    }
    // Every kind of outcome was seen, so each check above could fail.
    assert!(
        all.refused > 100 && all.uncertain > 0 && all.landed > 0,
        "faults at every call of six steps: {all:?}"
    );
}

/// Fails call 1, 2, 3… of `step` with `fault` (freeing the disk after each), until the step
/// makes fewer calls than that and so runs whole; checks each attempt's outcome.
fn fail_every_call(
    disk: &Disk,
    ledger: &mut Ledger,
    (name, step): &Step,
    fault: Fault,
    outcomes: &mut Outcomes,
) {
    let before = state(ledger);
    for call in 1.. {
        let start = disk.calls();
        disk.fail_at(start + call, fault);
        let result = step(ledger);
        let reached = disk.calls() >= start + call;
        disk.free_space();
        let context = format!("{name}, {fault:?} at call {call}");
        ledger
            .recover()
            .unwrap_or_else(|e| panic!("{context}: reopening: {e}"));
        assert_verified(ledger, &context);
        let now = state(ledger);
        if !reached {
            result.unwrap_or_else(|e| panic!("{name} with no fault: {e}"));
            assert_ne!(now, before, "{name} is done once the disk is back");
            return;
        }
        match result {
            Err(message) if message.starts_with(STORAGE_MESSAGE) => {
                outcomes.refused += 1;
                assert!(!message.contains('\n'), "{context}: one line: {message}");
                assert_eq!(now, before, "{context}: refused, so unchanged");
            }
            Err(message) if message.starts_with(UNCERTAIN_MESSAGE) => {
                outcomes.uncertain += 1;
                assert!(!message.contains('\n'), "{context}: one line: {message}");
                assert!(
                    matches!(fault, Fault::FullCopyOnWrite | Fault::Broken | Fault::Gone),
                    "{context}: only a disk that refuses the reopening leaves it unknown"
                );
                if now != before {
                    // It landed whole; `verify` passed. The step is done.
                    return;
                }
            }
            Err(message) => panic!("{context}: not the storage message: {message}"),
            Ok(()) => {
                outcomes.landed += 1;
                assert_ne!(now, before, "{context}: reported done, so done");
                return;
            }
        }
    }
}

/// A till on the fixture station, its ledger on `disk`; and the receipts' temp dir.
fn till_on(disk: &Disk) -> (App, tempfile::TempDir) {
    let mut ledger = Ledger::create_with_backend(disk.clone()).unwrap_or_else(|e| panic!("{e}"));
    common::till::fill(&mut ledger);
    let receipts = tempfile::tempdir().expect("tempdir");
    let keymap = Keymap::builtin().expect("keymap");
    let app = App::new(
        ledger,
        Lang::Zh,
        "管理员",
        Access::Till,
        receipts.path().to_path_buf(),
        keymap,
        Clock::Fixed(common::till::NOW),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (app, receipts)
}

/// Puts soap in 张三's cart and checks out (no proxy).
fn sell_soap(app: &mut App) {
    app.type_text("zs");
    press(app, &[KeyName::Enter, KeyName::Enter]);
    scan(app, SOAP_BARCODE, 1_000_000);
    checkout(app);
}

fn checkout(app: &mut App) {
    press(app, &[KeyName::F(5), KeyName::Enter]);
}

fn status(app: &App) -> String {
    app.model.status.clone().map(|s| s.text).unwrap_or_default()
}

/// The events after `seq`, by kind.
fn sales_after(app: &App, seq: u64) -> usize {
    let view = app.ledger().view().expect("view");
    view.events(seq + 1, u64::MAX)
        .expect("events")
        .iter()
        .filter(|(e, _)| matches!(e.body, EventBody::Redeemed { .. }))
        .count()
}

#[test]
fn the_till_on_a_full_or_failing_disk_says_so_keeps_running_and_sells_once_it_is_back() {
    for fault in [Fault::FullCopyOnWrite, Fault::Io, Fault::Broken] {
        let disk = Disk::new();
        let (mut app, _receipts) = till_on(&disk);
        let before = head_seq(app.ledger());
        // The disk fails at the sale's first write.
        disk.fail_at(disk.calls() + 1, fault);
        sell_soap(&mut app);
        let said = status(&app);
        assert!(
            said.starts_with(DISK_TROUBLE) && !said.contains('\n'),
            "{fault:?}: the till shows the refusal in one line: {said}"
        );
        assert!(screen(&app).contains("磁盘满"), "{}", screen(&app));
        assert!(!app.quitting(), "the till keeps running");

        // The disk is back. A key settles a write whose outcome was unknown; checkout again
        // sells, once.
        disk.free_space();
        press(&mut app, &[KeyName::Down]);
        assert_eq!(
            sales_after(&app, before),
            0,
            "{fault:?}: nothing was recorded"
        );
        checkout(&mut app);
        assert_eq!(sales_after(&app, before), 1, "{fault:?}: {}", status(&app));
        assert_eq!(head_seq(app.ledger()), before + 1);
        assert_verified(app.ledger(), "after the sale");
    }
}

#[test]
fn a_sale_whose_outcome_was_unknown_is_told_once_the_disk_is_back() {
    // Gone at the sale's sync: its writes reached the file, so once the disk is back the
    // ledger holds it. Gone at its first write: nothing reached the file.
    for (at_sync, landed) in [(true, true), (false, false)] {
        let disk = Disk::new();
        let (mut app, _receipts) = till_on(&disk);
        let before = head_seq(app.ledger());
        if at_sync {
            disk.fail_at_next_sync(Fault::Gone);
        } else {
            disk.fail_at(disk.calls() + 1, Fault::Gone);
        }
        sell_soap(&mut app);
        let said = status(&app);
        assert!(
            said.starts_with(UNCERTAIN_MESSAGE),
            "the till says it does not know yet: {said}"
        );

        disk.free_space();
        // Any key: the till opens the ledger again and tells what happened.
        press(&mut app, &[KeyName::Down]);
        let said = status(&app);
        if landed {
            assert!(said.contains("已记账"), "{said}");
            assert_eq!(sales_after(&app, before), 1);
            match &app.model.modal {
                Some(Modal::Receipt { text, file, .. }) => {
                    assert!(
                        text.contains("洗衣粉"),
                        "the sale's receipt is shown: {text}"
                    );
                    assert!(file.is_some(), "and printed (to the receipts folder)");
                }
                other => panic!("the receipt of the sale that landed is printed: {other:?}"),
            }
            // The cart was emptied as after any sale: checking out again sells nothing twice.
            checkout(&mut app);
            assert_eq!(sales_after(&app, before), 1, "not sold twice");
        } else {
            assert!(said.contains("没有记账"), "{said}");
            assert_eq!(sales_after(&app, before), 0);
            checkout(&mut app);
            assert_eq!(sales_after(&app, before), 1, "sold once when done again");
        }
        assert_verified(app.ledger(), "after the disk came back");
    }
}
