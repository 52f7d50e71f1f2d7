//! Crashes and power loss at every write: a village ledger on a simulated disk
//! ([`common::disk`]) runs a sale, a void, a batch import of households (`household import`'s
//! `Ledger::execute_batch`), a bundle import from the township (`commit_sync`), a year-end
//! clearing and a stocktake, and is closed; every change redb makes to the disk is recorded.
//! Then, for every point of that record and every kind of crash (a killed process keeps all
//! writes, a power loss keeps what was synced, a torn power loss keeps some of the unsynced
//! writes), the file left behind is opened again. It must open, `verify` must pass, and it must
//! be exactly one of the acknowledged states — every step that had returned is there, the step
//! in progress is there whole or not at all — compared by head and by everything a reader can
//! ask of it. As in redb's `tests/crash_consistency.rs`.

mod common;

use std::collections::HashMap;

use aixin::store::Ledger;
use common::disk::{assert_verified, ledger_state, Crash, Disk, Op, Replay};
use common::scenario::{setup, steps, PEERS, PERIODS};

/// Households in the batch import: enough that the file grows during the commit.
const IMPORT_HOUSEHOLDS: usize = 4_000;

/// What a reopened crash image holds: its state digest, or why it is not a ledger.
fn reopen(image: Vec<u8>) -> Result<String, String> {
    let ledger = Ledger::open_with_backend(Disk::from_image(image))
        .map_err(|e| format!("does not open: {e}"))?;
    assert_verified(&ledger, "reopened after a crash");
    Ok(ledger_state(&ledger, &PERIODS, &PEERS))
}

#[test]
fn a_crash_at_every_write_leaves_exactly_an_acknowledged_state() {
    let disk = Disk::new();
    let created = Ledger::create_with_backend(disk.clone());
    let (mut ledger, bundle, keys) = setup(created.unwrap_or_else(|e| panic!("create: {e}")));
    let start = disk.record();
    let steps = steps(bundle, keys, IMPORT_HOUSEHOLDS);
    let mut states = vec![ledger_state(&ledger, &PERIODS, &PEERS)];
    // ends[i]: how many changes had been made when step i returned (was acknowledged).
    let mut ends = Vec::new();
    for (name, step) in &steps {
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_verified(&ledger, name);
        ends.push(disk.recorded().len());
        states.push(ledger_state(&ledger, &PERIODS, &PEERS));
    }
    // A clean close writes too; a crash during it must leave the last state.
    drop(ledger);
    let ops = disk.recorded();
    assert!(
        ops.iter().filter(|op| matches!(op, Op::Sync)).count() >= steps.len(),
        "every step synced"
    );

    let start_len = start.len();
    let mut longest = start_len;
    let mut replay = Replay::new(start);
    let mut seen: HashMap<blake3::Hash, Result<String, String>> = HashMap::new();
    let mut checked = 0usize;
    // How many crash points found the step in progress not yet there, or already whole.
    let mut before_after = vec![(0usize, 0usize); steps.len() + 1];
    for k in 0..=ops.len() {
        let done = ends.iter().filter(|&&end| end <= k).count();
        let acceptable = &states[done..(done + 2).min(states.len())];
        let in_progress = steps.get(done).map_or("close", |(name, _)| *name);
        for crash in [Crash::Kill, Crash::PowerLoss, Crash::TornPowerLoss] {
            if crash == Crash::TornPowerLoss && !replay.has_unsynced_writes() {
                continue;
            }
            let image = replay.image(crash, k as u64);
            let key = blake3::hash(&image);
            let state = seen.entry(key).or_insert_with(|| {
                checked += 1;
                reopen(image)
            });
            match state {
                Ok(state) => {
                    let found = acceptable.iter().position(|s| s == state);
                    assert!(
                        found.is_some(),
                        "{crash:?} after change {k} of {} (during {in_progress}): the reopened \
                         ledger is not one of the acknowledged states {done}..={}",
                        ops.len(),
                        done + 1
                    );
                    if found == Some(0) {
                        before_after[done].0 += 1;
                    } else {
                        before_after[done].1 += 1;
                    }
                }
                Err(e) => panic!("{crash:?} after change {k} (during {in_progress}): {e}"),
            }
        }
        if let Some(op) = ops.get(k) {
            replay.apply(op);
            match op {
                Op::SetLen(len) => longest = longest.max(*len as usize),
                Op::Write { offset, data } => longest = longest.max(*offset as usize + data.len()),
                Op::Sync => {}
            }
        }
    }
    eprintln!(
        "{} changes recorded over {} steps, file {start_len} bytes growing to {longest}; \
         {checked} distinct crash images reopened; per step (not there, whole): \
         {before_after:?}",
        ops.len(),
        steps.len(),
    );
    assert!(
        longest > start_len,
        "the file grew during the run, so crashes while it grows are covered"
    );
    // Each step's commit was caught both before and after it landed: the crash points span
    // the commit, so the test can tell a lost write from a kept one.
    for (i, (name, _)) in steps.iter().enumerate() {
        let (not_there, whole) = before_after[i];
        assert!(
            not_there > 0 && whole > 0,
            "{name}: crash points saw it missing {not_there} times and whole {whole} times"
        );
    }
}
