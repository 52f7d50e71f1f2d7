//! Crashes and power loss at every write: a village ledger on a simulated disk
//! ([`common::disk`]) runs a sale, a void, a batch import of households (`household import`'s
//! `Ledger::execute_batch`), a bundle import from the township (`commit_sync`), a year-end
//! clearing and a stocktake, and is closed; every change made to the disk is recorded. Then,
//! for every point of that record and every kind of crash (a killed process keeps all writes,
//! a power loss keeps what was synced, a torn power loss keeps some of the unsynced writes, or
//! some 512-byte sectors of them), the files left behind are opened again. They must open, `verify` must pass, and the ledger
//! must be exactly one of the acknowledged states — every step that had returned is there, the
//! step in progress is there whole or not at all — compared by head and by everything a reader
//! can ask of it. As in redb's `tests/crash_consistency.rs`.
//!
//! It runs twice: on a ledger without a journal (every write a durable redb commit), and on a
//! ledger with its write-ahead journal beside it on the same simulated volume, as every station
//! runs: a station's own write is a synced journal record and a redb commit without a sync,
//! and every 64 records (set for the test) a durable commit checkpoints and the journal starts again at its first
//! byte. That run puts enough sale-and-void pairs after the void to cross a checkpoint and to
//! write over the journal's old records after it (their crash points sampled, see
//! [`PAIRS_CHECKED_EVERY`]), and imports a batch too big to journal (a durable commit that
//! grows the file, after which the journal starts again). Where a crash leaves the most to
//! recover, a second crash is tried at every change the recovery makes.

mod common;

use std::collections::HashMap;
use std::time::Instant;

use aixin::store::{Ledger, StoreError};
use common::disk::{assert_verified, ledger_state, Crash, Disk, Op, Replay};
use common::scenario::{sales_and_voids, setup, steps, Step, PEERS, PERIODS};

/// Records between checkpoints in these tests (a station uses
/// `aixin::store::ledger::journal::CHECKPOINT_RECORDS`): few, so the steps cross checkpoints.
const CHECKPOINT_RECORDS: u32 = 64;

/// Households in the batch import: enough that the file grows during the commit.
const IMPORT_HOUSEHOLDS: usize = 3_000;
/// Households in the batch import with the journal: enough that its events are more than a
/// journal record takes (`RECORD_BYTES_MAX`), so it is a durable redb commit that grows the
/// file and after which the journal starts again at its first byte.
const IMPORT_HOUSEHOLDS_UNJOURNALED: usize = 3_000;
/// With the journal, of the many sale-and-void steps between the six, every crash point is
/// checked for the first two, every eighth, the last, and the one that checkpoints with the
/// four after it (the journal written again from its first byte); the rest run, and their
/// changes are replayed, but their crash points are not opened (each is like the others).
const PAIRS_CHECKED_EVERY: usize = 8;

/// The ledger file's number on the simulated volume, and its journal's.
const LEDGER_FILE: usize = 0;
const JOURNAL_FILE: usize = 1;

/// Every kind of crash, each tried at every point.
const CRASHES: [Crash; 4] = [
    Crash::Kill,
    Crash::PowerLoss,
    Crash::TornPowerLoss,
    Crash::TornSectors,
];

/// How the ledger under test makes its writes durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    /// `create_with_backend`: every write is a durable redb commit.
    NoJournal,
    /// `create_with_journal`: the station's own writes go through the journal.
    Journal,
}

/// A ledger opened on the crash images of the ledger file and (with a journal) its journal.
fn open_images(mut images: Vec<Vec<u8>>, storage: Storage) -> Result<Ledger, StoreError> {
    let ledger_image = std::mem::take(&mut images[LEDGER_FILE]);
    let disk = Disk::from_image(ledger_image);
    match storage {
        Storage::NoJournal => Ledger::open_with_backend(disk),
        Storage::Journal => {
            let journal_image = std::mem::take(&mut images[JOURNAL_FILE]);
            let journal = disk.another_file_holding(journal_image);
            Ledger::open_with_journal(disk, journal)
        }
    }
}

/// What a reopened crash image holds: its state digest, or why it is not a ledger.
fn reopen(images: Vec<Vec<u8>>, storage: Storage) -> Result<String, String> {
    let ledger = open_images(images, storage).map_err(|e| format!("does not open: {e}"))?;
    assert_verified(&ledger, "reopened after a crash");
    Ok(ledger_state(&ledger, &PERIODS, &PEERS))
}

#[test]
fn a_crash_at_every_write_leaves_exactly_an_acknowledged_state() {
    let steps = |bundle, keys| steps(bundle, keys, IMPORT_HOUSEHOLDS);
    crash_at_every_write(Storage::NoJournal, steps, |_| true);
}

#[test]
fn with_the_journal_a_crash_at_every_write_leaves_exactly_an_acknowledged_state() {
    // Setup journals two records (the scores and their confirmation); the sale and the void
    // two more; these pairs after the void cross the checkpoint at 64 and then write over the
    // journal's old records. The batch import after them is too big to journal.
    let pairs = CHECKPOINT_RECORDS as usize / 2 + 4;
    let steps = |bundle, keys| {
        let mut all = steps(bundle, keys, IMPORT_HOUSEHOLDS_UNJOURNALED);
        all.splice(2..2, sales_and_voids(pairs));
        all
    };
    let checked = |step: usize| {
        let pair = step.wrapping_sub(2);
        step < 4 || pair.is_multiple_of(PAIRS_CHECKED_EVERY) || pair >= 2 * pairs - 1
    };
    crash_at_every_write(Storage::Journal, steps, checked);
}

/// Runs the scenario's steps on `storage`, recording every change, then reopens the files a
/// crash of every kind at every point would leave and checks each is an acknowledged state.
/// The crash points of a step are all checked if `checked(step)` says so, or if the step
/// synced the ledger file (a checkpoint, a durable commit) or follows one by four or fewer
/// steps; otherwise none is.
fn crash_at_every_write(
    storage: Storage,
    steps: impl FnOnce(Vec<u8>, aixin::sync::keys::StationKeys) -> Vec<Step>,
    checked: impl Fn(usize) -> bool,
) {
    let began = Instant::now();
    let disk = Disk::new();
    let created = match storage {
        Storage::NoJournal => Ledger::create_with_backend(disk.clone()),
        Storage::Journal => {
            Ledger::create_with_journal(disk.clone(), disk.another_file()).map(|mut l| {
                l.set_checkpoint_records(CHECKPOINT_RECORDS);
                l
            })
        }
    };
    let (mut ledger, bundle, keys) = setup(created.unwrap_or_else(|e| panic!("create: {e}")));
    let starts = disk.record();
    let steps = steps(bundle, keys);
    let mut states = vec![ledger_state(&ledger, &PERIODS, &PEERS)];
    // ends[i]: how many changes had been made when step i returned (was acknowledged).
    let mut ends = Vec::new();
    for (name, step) in &steps {
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_verified(&ledger, name);
        ends.push(disk.recorded_len());
        states.push(ledger_state(&ledger, &PERIODS, &PEERS));
    }
    // A clean close writes too; a crash during it must leave the last state.
    drop(ledger);
    let ops = disk.recorded();
    let ran = began.elapsed();
    let synced_steps = (0..steps.len())
        .filter(|&i| {
            let from = if i == 0 { 0 } else { ends[i - 1] };
            ops[from..ends[i]]
                .iter()
                .any(|op| matches!(op, Op::Sync { .. }))
        })
        .count();
    assert_eq!(synced_steps, steps.len(), "every step synced");
    let ledger_synced: Vec<bool> = (0..steps.len())
        .map(|i| {
            let from = if i == 0 { 0 } else { ends[i - 1] };
            ops[from..ends[i]]
                .iter()
                .any(|op| matches!(op, Op::Sync { file } if *file == LEDGER_FILE))
        })
        .collect();
    if storage == Storage::Journal {
        assert_journal_exercised(&ops, &ends, &steps);
    }
    // Whether step i's crash points are opened (the close's always are).
    let opened: Vec<bool> = (0..=steps.len())
        .map(|i| {
            i == steps.len() || checked(i) || (i.saturating_sub(4)..=i).any(|j| ledger_synced[j])
        })
        .collect();

    let start_lens: Vec<usize> = starts.iter().map(Vec::len).collect();
    let mut longest = start_lens.clone();
    // Where a crash leaves the most to recover: in each step that synced the ledger file (the
    // checkpoint, and the writes that are not journaled), right before its first change to
    // the ledger file (every record since the last checkpoint synced in the journal, none of
    // it in the file). There a second crash is also tried at every change the recovery itself
    // makes.
    let recovery_points: Vec<usize> = if storage == Storage::Journal {
        (0..steps.len())
            .filter(|&i| ledger_synced[i])
            .filter_map(|i| {
                let from = if i == 0 { 0 } else { ends[i - 1] };
                (from..ends[i]).find(|&k| ops[k].file() == LEDGER_FILE)
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut recoveries = 0usize;
    let mut replay = Replay::new(starts);
    let mut seen: HashMap<blake3::Hash, Result<String, String>> = HashMap::new();
    let mut checked = 0usize;
    // How many crash points found the step in progress not yet there, or already whole.
    let mut before_after = vec![(0usize, 0usize); steps.len() + 1];
    for k in 0..=ops.len() {
        let done = ends.iter().filter(|&&end| end <= k).count();
        let acceptable = &states[done..(done + 2).min(states.len())];
        let in_progress = steps.get(done).map_or("close", |(name, _)| *name);
        for crash in CRASHES {
            if !opened[done] {
                break;
            }
            let torn = matches!(crash, Crash::TornPowerLoss | Crash::TornSectors);
            if torn && !replay.has_unsynced_writes() {
                continue;
            }
            let images = replay.images(crash, k as u64);
            let mut key = blake3::Hasher::new();
            for image in &images {
                key.update(&(image.len() as u64).to_le_bytes());
                key.update(image);
            }
            let state = seen.entry(key.finalize()).or_insert_with(|| {
                checked += 1;
                reopen(images, storage)
            });
            match state {
                Ok(state) => {
                    let found = acceptable.iter().position(|s| s == state);
                    assert!(
                        found.is_some(),
                        "{storage:?}, {crash:?} after change {k} of {} (during step {done}, \
                         {in_progress}): the reopened ledger is not one of the acknowledged \
                         states {done}..={}",
                        ops.len(),
                        done + 1
                    );
                    if found == Some(0) {
                        before_after[done].0 += 1;
                    } else {
                        before_after[done].1 += 1;
                    }
                }
                Err(e) => panic!(
                    "{storage:?}, {crash:?} after change {k} (during step {done}, \
                     {in_progress}): {e}"
                ),
            }
            if recovery_points.contains(&k) && !torn {
                let context = format!("{crash:?} after change {k} (during {in_progress})");
                recoveries += crash_during_recovery(replay.images(crash, k as u64), &context);
            }
        }
        if let Some(op) = ops.get(k) {
            replay.apply(op);
            match op {
                Op::SetLen { file, len } => longest[*file] = longest[*file].max(*len as usize),
                Op::Write { file, offset, data } => {
                    longest[*file] = longest[*file].max(*offset as usize + data.len());
                }
                Op::Sync { .. } => {}
            }
        }
    }
    eprintln!(
        "{storage:?}: {} changes recorded over {} steps (run {ran:?}), files (ledger, journal) \
         of {start_lens:?} bytes growing to {longest:?}; {checked} distinct crash \
         images reopened (total {:?}) at the crash points of {} steps, and {recoveries} \
         crashed while recovering; per step (not there, whole): {before_after:?}",
        ops.len(),
        steps.len(),
        began.elapsed(),
        opened.iter().filter(|&&o| o).count() - 1,
    );
    assert!(
        longest[LEDGER_FILE] > start_lens[LEDGER_FILE],
        "the ledger file grew during the run, so crashes while it grows are covered"
    );
    // Each step's commit was caught both before and after it landed: the crash points span
    // the commit, so the test can tell a lost write from a kept one.
    for (i, (name, _)) in steps.iter().enumerate().filter(|(i, _)| opened[*i]) {
        let (not_there, whole) = before_after[i];
        assert!(
            not_there > 0 && whole > 0,
            "step {i}, {name}: crash points saw it missing {not_there} times and whole \
             {whole} times"
        );
    }
}

/// Opens the crash `images` of a ledger with its journal, recording what the recovery writes
/// (applying the journal in one durable commit), then crashes it again at every change of that
/// recovery, in every way: each reopens to exactly the state the first recovery found.
/// Returns how many images it opened.
fn crash_during_recovery(images: Vec<Vec<u8>>, context: &str) -> usize {
    let mut images = images;
    let disk = Disk::from_image(std::mem::take(&mut images[LEDGER_FILE]));
    let journal = disk.another_file_holding(std::mem::take(&mut images[JOURNAL_FILE]));
    let starts = disk.record();
    let ledger = Ledger::open_with_journal(disk.clone(), journal)
        .unwrap_or_else(|e| panic!("{context}: does not open: {e}"));
    let recovered = ledger_state(&ledger, &PERIODS, &PEERS);
    drop(ledger);
    let ops = disk.recorded();
    assert!(
        ops.iter()
            .any(|op| matches!(op, Op::Sync { file } if *file == LEDGER_FILE)),
        "{context}: the recovery committed durably"
    );
    let mut replay = Replay::new(starts);
    let mut seen = std::collections::HashSet::new();
    for k in 0..=ops.len() {
        for crash in CRASHES {
            let images = replay.images(crash, k as u64);
            if !seen.insert(blake3::hash(&images.concat())) {
                continue;
            }
            let state = reopen(images, Storage::Journal).unwrap_or_else(|e| {
                panic!("{context}, then {crash:?} after change {k} of the recovery: {e}")
            });
            assert_eq!(
                state, recovered,
                "{context}, then {crash:?} after change {k} of the recovery"
            );
        }
        if let Some(op) = ops.get(k) {
            replay.apply(op);
        }
    }
    seen.len()
}

/// Checks that the journal run went the journal's way: the station's own small writes were
/// made durable by a journal sync and no sync of the ledger file; at least one of them
/// checkpointed (synced the ledger file too); and after that the journal started again at
/// its first byte, over the records it held.
fn assert_journal_exercised(ops: &[Op], ends: &[usize], steps: &[Step]) {
    let mut journaled = 0;
    let mut checkpointed = Vec::new();
    for (i, (name, _)) in steps.iter().enumerate() {
        let from = if i == 0 { 0 } else { ends[i - 1] };
        let step_ops = &ops[from..ends[i]];
        let journal_syncs = step_ops
            .iter()
            .filter(|op| matches!(op, Op::Sync { file } if *file == JOURNAL_FILE))
            .count();
        let ledger_syncs = step_ops
            .iter()
            .filter(|op| matches!(op, Op::Sync { file } if *file == LEDGER_FILE))
            .count();
        if journal_syncs > 0 && ledger_syncs == 0 {
            journaled += 1;
        } else if journal_syncs > 0 {
            checkpointed.push((i, *name));
        }
    }
    let rewound = ops
        .iter()
        .any(|op| matches!(op, Op::Write { file, offset: 0, .. } if *file == JOURNAL_FILE));
    eprintln!("journal: {journaled} steps journaled alone, checkpointed in {checkpointed:?}");
    assert!(
        journaled >= CHECKPOINT_RECORDS as usize,
        "{journaled} steps were journaled without a sync of the ledger file"
    );
    assert!(
        !checkpointed.is_empty(),
        "a journaled step checkpointed the ledger file"
    );
    assert!(
        rewound,
        "after the checkpoint the journal started again at its first byte"
    );
}
