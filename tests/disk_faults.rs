//! A full or failing disk under the ledger: the simulated disk ([`common::disk`]) fails one
//! chosen write, length change or sync with ENOSPC (the disk stays full until space is freed)
//! or EIO (once), at every such call of each of the village's six kinds of write in turn. Each
//! time the write is refused with the store's one-line message (what the disk said — full,
//! a read/write error — "the ledger is unchanged", and the way out), the ledger is exactly as before (or, when only the final flush
//! failed after the commit reached the file, exactly as after — and then the write reports
//! success), `verify` passes, and once the disk is back the same write succeeds. The till, on
//! a full disk, shows the refusal, keeps running, and sells once space is freed.
//!
//! All of it runs on a ledger without a journal and on one with its write-ahead journal (a
//! second file on the same simulated volume), where the faults fall on the journal's write and
//! sync as well as on the ledger file's; and with the journal, every call of a step that
//! checkpoints (its record, then the checkpoint's durable commit) fails in turn, the ledger
//! stays readable when a full disk refuses the checkpoint, and a journal that cannot be read
//! again after a failed commit keeps the ledger closed rather than let it fork its chain.

mod common;

use aixin::domain::event::EventBody;
use aixin::i18n::Lang;
use aixin::store::{Ledger, StoreError};
use aixin::tui::model::Modal;
use aixin::tui::{Access, App, Clock, KeyName, Keymap};
use common::disk::{assert_verified, head_seq, ledger_state, Call, Crash, Disk, Fault, Op, Replay};
use common::scenario::{sales_and_voids, setup, steps, Step, PEERS, PERIODS};
use common::till::{press, scan, screen, SOAP_BARCODE};

/// Records between checkpoints in these tests (a station uses
/// `aixin::store::ledger::journal::CHECKPOINT_RECORDS`): few, so the steps cross checkpoints.
const CHECKPOINT_RECORDS: u32 = 64;

/// How the store's words for a storage failure begin, in Chinese: a refusal
/// (`StoreError::Storage`: the cause, "账本未改动", the way out) and an uncertain write alike.
const DISK_TROUBLE: &str = "存储出错";

/// Whether a message is the store's refusal of a write on a failing disk: it begins as every
/// storage message does and says the ledger is unchanged.
fn is_storage_refusal(message: &str) -> bool {
    message.starts_with(DISK_TROUBLE) && message.contains("账本未改动")
}
/// The store's words when a failed commit's outcome cannot be read back yet.
const UNCERTAIN_MESSAGE: &str = "存储出错（磁盘满或文件损坏？），还不知道这一笔是否已记账";

fn state(ledger: &Ledger) -> String {
    ledger_state(ledger, &PERIODS, &PEERS)
}

/// What the faulty attempts at a step came to.
#[derive(Debug, Default)]
struct Outcomes {
    /// Refused, and the ledger is as before.
    refused: usize,
    /// The commit reached the file before the fault: reported done, and done.
    landed: usize,
    /// The ledger could not be opened again to tell: said so; whole or absent afterwards.
    uncertain: usize,
    /// Which file's write, length change or sync each fault refused first, by fault:
    /// (file number, call, fault), each once.
    hits: Vec<(usize, Call, Fault)>,
}

impl Outcomes {
    fn add(&mut self, other: Outcomes) {
        self.refused += other.refused;
        self.landed += other.landed;
        self.uncertain += other.uncertain;
        for hit in other.hits {
            if !self.hits.contains(&hit) {
                self.hits.push(hit);
            }
        }
    }

    /// Whether a fault of one of `faults` refused a call of this kind to this file.
    fn hit(&self, file: usize, call: Call, faults: &[Fault]) -> bool {
        self.hits
            .iter()
            .any(|(f, c, fault)| *f == file && *c == call && faults.contains(fault))
    }
}

/// The faults that answer ENOSPC, and those that answer EIO.
const ENOSPC_FAULTS: [Fault; 3] = [Fault::Full, Fault::FullCopyOnWrite, Fault::NoSpace];
const EIO_FAULTS: [Fault; 3] = [Fault::Io, Fault::Broken, Fault::Gone];

/// Households in the batch import: enough for a commit of many pages.
const IMPORT_HOUSEHOLDS: usize = 300;

/// The ledger file's number on the simulated volume, and its journal's.
const LEDGER_FILE: usize = 0;
const JOURNAL_FILE: usize = 1;

/// How the ledger under test makes its writes durable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Storage {
    /// `create_with_backend`: every write is a durable redb commit.
    NoJournal,
    /// `create_with_journal`: the station's own writes go through the journal, a second file
    /// on the same simulated volume (a full disk is full for both).
    Journal,
}

fn create(disk: &Disk, storage: Storage) -> Ledger {
    let created = match storage {
        Storage::NoJournal => Ledger::create_with_backend(disk.clone()),
        Storage::Journal => {
            Ledger::create_with_journal(disk.clone(), disk.another_file()).map(|mut l| {
                l.set_checkpoint_records(CHECKPOINT_RECORDS);
                l
            })
        }
    };
    created.unwrap_or_else(|e| panic!("create: {e}"))
}

/// A ledger opened on the images of its file and (with a journal) its journal, by number.
fn open_images(mut images: Vec<Vec<u8>>, storage: Storage) -> Result<Ledger, StoreError> {
    let disk = Disk::from_image(std::mem::take(&mut images[LEDGER_FILE]));
    match storage {
        Storage::NoJournal => Ledger::open_with_backend(disk),
        Storage::Journal => {
            let journal = disk.another_file_holding(std::mem::take(&mut images[JOURNAL_FILE]));
            Ledger::open_with_journal(disk, journal)
        }
    }
}

#[test]
fn every_write_refused_by_a_full_or_failing_disk_leaves_the_ledger_as_it_was() {
    let all = every_write_refused(Storage::NoJournal);
    // Every kind of outcome was seen, so each check could fail.
    assert!(
        all.refused > 100 && all.uncertain > 0 && all.landed > 0,
        "faults at every call of six steps: {all:?}"
    );
}

#[test]
fn with_the_journal_every_write_refused_by_a_full_or_failing_disk_leaves_the_ledger_as_it_was() {
    // The journal's write and its sync, and the durable commits of the writes that are not
    // journaled (the bundle import), each fail with ENOSPC and with EIO.
    let all = every_write_refused(Storage::Journal);
    assert!(
        all.refused > 20 && all.uncertain > 0 && all.landed > 0,
        "faults at every call of six steps: {all:?}"
    );
    for (file, call) in [
        (JOURNAL_FILE, Call::Write),
        (JOURNAL_FILE, Call::Sync),
        (LEDGER_FILE, Call::Write),
        (LEDGER_FILE, Call::Sync),
    ] {
        for (errno, faults) in [("ENOSPC", ENOSPC_FAULTS), ("EIO", EIO_FAULTS)] {
            assert!(
                all.hit(file, call, &faults),
                "an {errno} refused a {call:?} of file {file}: {:?}",
                all.hits
            );
        }
    }
}

/// Fails every call of each of the six steps in turn with each kind of fault.
fn every_write_refused(storage: Storage) -> Outcomes {
    let mut all = Outcomes::default();
    for fault in [
        Fault::Full,
        Fault::FullCopyOnWrite,
        Fault::NoSpace,
        Fault::Io,
        Fault::Broken,
        Fault::Gone,
    ] {
        let disk = Disk::new();
        let (mut ledger, bundle, keys) = setup(create(&disk, storage));
        let mut power_loss = PowerLoss::new(&disk, storage);
        let mut outcomes = Outcomes::default();
        for step in steps(bundle, keys, IMPORT_HOUSEHOLDS) {
            let run = (&disk, &mut ledger, &mut power_loss);
            fail_every_call(run, &step, storage, fault, &mut outcomes);
        }
        eprintln!(
            "{storage:?}, {fault:?}: {outcomes:?}; {} power losses after the attempts",
            power_loss.checked
        );
        all.add(outcomes);
    }
    all
}

/// A power loss after each attempt (its fault, and the ledger's recovery once the disk was
/// back): the files left must open to exactly the state the ledger shows, so nothing the
/// ledger reports done is only in memory or in an unsynced page.
struct PowerLoss {
    replay: Replay,
    replayed: usize,
    storage: Storage,
    checked: usize,
}

impl PowerLoss {
    /// Starts recording `disk`'s changes.
    fn new(disk: &Disk, storage: Storage) -> PowerLoss {
        PowerLoss {
            replay: Replay::new(disk.record()),
            replayed: 0,
            storage,
            checked: 0,
        }
    }

    fn check(&mut self, disk: &Disk, ledger: &Ledger, context: &str) {
        let ops = disk.recorded();
        for op in &ops[self.replayed..] {
            self.replay.apply(op);
        }
        self.replayed = ops.len();
        let images = self.replay.images(Crash::PowerLoss, 0);
        let reopened = open_images(images, self.storage)
            .unwrap_or_else(|e| panic!("{context}, then a power loss: does not open: {e}"));
        assert_verified(&reopened, context);
        assert_eq!(
            state(&reopened),
            state(ledger),
            "{context}, then a power loss: not what the ledger showed"
        );
        self.checked += 1;
    }
}

/// Fails call 1, 2, 3… of `step` with `fault` (freeing the disk after each), until the step
/// makes fewer calls than that and so runs whole; checks each attempt's outcome, and a power
/// loss after it.
fn fail_every_call(
    (disk, ledger, power_loss): (&Disk, &mut Ledger, &mut PowerLoss),
    (name, step): &Step,
    storage: Storage,
    fault: Fault,
    outcomes: &mut Outcomes,
) {
    let before = state(ledger);
    for call in 1.. {
        let start = disk.calls();
        disk.take_hit();
        disk.fail_at(start + call, fault);
        let result = step(ledger);
        let attempt = Attempt {
            context: format!("{storage:?}, {name}, {fault:?} at call {call}"),
            fault,
            reached: disk.calls() >= start + call,
            result,
        };
        let context = attempt.context.clone();
        let done = settle(disk, ledger, attempt, &before, outcomes);
        power_loss.check(disk, ledger, &context);
        if done {
            return;
        }
    }
}

/// One attempt at a step with a fault planned.
struct Attempt {
    context: String,
    fault: Fault,
    /// Whether the step made the call the fault was planned at.
    reached: bool,
    result: Result<(), String>,
}

/// Frees the disk after an attempt at a step that had a fault planned, opens the ledger again
/// if need be, and checks the attempt's outcome: refused with the storage message and the
/// ledger unchanged; reported done and done; or (only on a disk that refused the reopening)
/// reported unknown and either. `verify` passes each time. Returns whether the step is done.
fn settle(
    disk: &Disk,
    ledger: &mut Ledger,
    attempt: Attempt,
    before: &str,
    outcomes: &mut Outcomes,
) -> bool {
    let Attempt {
        context,
        fault,
        reached,
        result,
    } = attempt;
    if let Some((file, call)) = disk.take_hit() {
        if !outcomes.hits.contains(&(file, call, fault)) {
            outcomes.hits.push((file, call, fault));
        }
    }
    disk.free_space();
    ledger
        .recover()
        .unwrap_or_else(|e| panic!("{context}: reopening: {e}"));
    assert_verified(ledger, &context);
    let now = state(ledger);
    if !reached {
        result.unwrap_or_else(|e| panic!("{context}, never reached: {e}"));
        assert_ne!(now, before, "{context}: done once the disk is back");
        return true;
    }
    match result {
        Err(message) if is_storage_refusal(&message) => {
            outcomes.refused += 1;
            assert!(!message.contains('\n'), "{context}: one line: {message}");
            assert_eq!(now, before, "{context}: refused, so unchanged");
            false
        }
        Err(message) if message.starts_with(UNCERTAIN_MESSAGE) => {
            outcomes.uncertain += 1;
            assert!(!message.contains('\n'), "{context}: one line: {message}");
            assert!(
                matches!(fault, Fault::FullCopyOnWrite | Fault::Broken | Fault::Gone),
                "{context}: only a disk that refuses the reopening leaves it unknown"
            );
            // Either it landed whole (`verify` passed) and the step is done, or nothing of it
            // is there.
            now != before
        }
        Err(message) => panic!("{context}: not the storage message: {message}"),
        Ok(()) => {
            outcomes.landed += 1;
            assert_ne!(now, before, "{context}: reported done, so done");
            true
        }
    }
}

/// Sale-and-void pairs enough to reach the journal's checkpoint from a fresh journal.
const CHECKPOINT_PAIRS: usize = CHECKPOINT_RECORDS as usize / 2 + 2;

#[test]
fn with_the_journal_a_fault_at_every_call_of_a_checkpoint_loses_nothing() {
    // A dry run finds the step that checkpoints (the first of the pairs that writes and syncs
    // the ledger file: redb also syncs the file alone after it grows it, writing nothing) and
    // how many calls it makes.
    let disk = Disk::new();
    let (mut ledger, _, _) = setup(create(&disk, Storage::Journal));
    disk.record();
    let pairs = sales_and_voids(CHECKPOINT_PAIRS);
    let mut checkpoint = None;
    for (i, (name, step)) in pairs.iter().enumerate() {
        let from = disk.recorded_len();
        let calls = disk.calls();
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ops = disk.recorded();
        let syncs_ledger = ops[from..]
            .iter()
            .any(|op| matches!(op, Op::Sync { file } if *file == LEDGER_FILE));
        let writes_ledger = ops[from..]
            .iter()
            .any(|op| matches!(op, Op::Write { file, .. } if *file == LEDGER_FILE));
        if syncs_ledger && writes_ledger {
            checkpoint = Some((i, disk.calls() - calls, head_seq(&ledger)));
            break;
        }
    }
    let Some((at, calls, head_after)) = checkpoint else {
        panic!("no step of {} checkpointed", pairs.len());
    };
    drop(ledger);
    eprintln!("the checkpoint is in step {at}, which makes {calls} calls");

    // Then, for every fault at every call of that step: a fresh station, the steps before it,
    // and the step with the fault; then the next step; then a power loss.
    let mut all = Outcomes::default();
    for fault in [
        Fault::Full,
        Fault::FullCopyOnWrite,
        Fault::NoSpace,
        Fault::Io,
        Fault::Broken,
        Fault::Gone,
    ] {
        let mut outcomes = Outcomes::default();
        for call in 1..=calls {
            let disk = Disk::new();
            let (mut ledger, _, _) = setup(create(&disk, Storage::Journal));
            for (name, step) in &pairs[..at] {
                step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            let starts = disk.record();
            let (name, step) = &pairs[at];
            let before = state(&ledger);
            let start = disk.calls();
            disk.take_hit();
            disk.fail_at(start + call, fault);
            let result = step(&mut ledger);
            let context = format!("checkpointing {name}, {fault:?} at call {call} of {calls}");
            let reached = disk.calls() >= start + call;
            assert!(
                reached,
                "{context}: the step makes as many calls as in the dry run"
            );
            let attempt = Attempt {
                context: context.clone(),
                fault,
                reached,
                result,
            };
            if !settle(&disk, &mut ledger, attempt, &before, &mut outcomes) {
                step(&mut ledger).unwrap_or_else(|e| panic!("{context}, again: {e}"));
            }
            assert_eq!(
                head_seq(&ledger),
                head_after,
                "{context}: the step is there once, nothing before it is lost"
            );
            // The next write works, and a power loss after it keeps it.
            let (next, step) = &pairs[at + 1];
            step(&mut ledger).unwrap_or_else(|e| panic!("{context}, then {next}: {e}"));
            assert_verified(&ledger, &context);
            let after = state(&ledger);
            let mut replay = Replay::new(starts);
            for op in disk.recorded() {
                replay.apply(&op);
            }
            let mut images = replay.images(Crash::PowerLoss, 0);
            let ledger_image = Disk::from_image(std::mem::take(&mut images[LEDGER_FILE]));
            let journal_image =
                ledger_image.another_file_holding(std::mem::take(&mut images[JOURNAL_FILE]));
            let reopened = Ledger::open_with_journal(ledger_image, journal_image)
                .unwrap_or_else(|e| panic!("{context}: opening after a power loss: {e}"));
            assert_verified(&reopened, &context);
            assert_eq!(
                state(&reopened),
                after,
                "{context}: after a power loss, the same"
            );
        }
        eprintln!("checkpoint, {fault:?}: {outcomes:?}");
        all.add(outcomes);
    }
    assert!(
        all.landed > 0 && all.refused > 0,
        "faults at every call of the checkpointing step: {all:?}"
    );
    // The checkpoint's redb commit failed at its writes and at its sync, with each errno.
    for call in [Call::Write, Call::Sync] {
        for (errno, faults) in [("ENOSPC", ENOSPC_FAULTS), ("EIO", EIO_FAULTS)] {
            assert!(
                all.hit(LEDGER_FILE, call, &faults),
                "an {errno} refused the checkpoint's {call:?}: {:?}",
                all.hits
            );
        }
    }
}

#[test]
fn with_the_journal_unreadable_after_a_failed_commit_the_ledger_waits_instead_of_forking() {
    // The journal on a volume of its own. A durable redb commit (the bundle import, which is
    // not journaled) fails with EIO while the journal's volume is gone. Opening the ledger file
    // again after the failure finds it at its last durable commit, without the journaled
    // writes since (redb does not persist them after an I/O error): until the journal can be
    // read and they are applied again, the ledger must not take writes or answer reads, or the
    // next write would reuse their sequence numbers (and be skipped by every later opening:
    // an acknowledged sale lost) and the till would show a ledger without acknowledged sales.
    let disk = Disk::new();
    let journal = Disk::new();
    let created = Ledger::create_with_journal(disk.clone(), journal.clone()).map(|mut l| {
        l.set_checkpoint_records(CHECKPOINT_RECORDS);
        l
    });
    let (mut ledger, bundle, keys) = setup(created.unwrap_or_else(|e| panic!("create: {e}")));
    let starts = (disk.record(), journal.record());
    let pairs = sales_and_voids(2);
    for (name, step) in &pairs[..2] {
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let acknowledged = head_seq(&ledger);
    let before = state(&ledger);
    let import = steps(bundle, keys, 0)
        .into_iter()
        .find(|(name, _)| *name == "bundle import")
        .map(|(_, step)| step)
        .unwrap_or_else(|| panic!("the scenario imports a bundle"));

    journal.fail_now(Fault::Gone);
    disk.fail_at(disk.calls() + 1, Fault::Io);
    let result = import(&mut ledger);
    assert!(
        result.as_ref().is_err_and(|m| m.starts_with(DISK_TROUBLE)),
        "the import with EIO on the ledger file and the journal gone: {result:?}"
    );
    // The journal is still gone: the ledger neither takes a write nor shows a ledger without
    // the acknowledged writes.
    let (name, sale) = &pairs[2];
    assert!(
        sale(&mut ledger).is_err(),
        "no {name} while the journal is gone"
    );
    // The closed ledger says why once, not "storage: storage: …".
    match ledger.view() {
        Ok(_) => {}
        Err(e) => assert!(
            !e.to_string().contains("storage: storage"),
            "a closed ledger's error wraps its cause once: {e}"
        ),
    }
    if ledger.recover().is_ok() {
        assert_eq!(
            head_seq(&ledger),
            acknowledged,
            "an open ledger shows every acknowledged write"
        );
    }

    journal.free_space();
    disk.free_space();
    ledger
        .recover()
        .unwrap_or_else(|e| panic!("reopening once the journal is back: {e}"));
    assert_eq!(
        head_seq(&ledger),
        acknowledged,
        "nothing acknowledged is missing"
    );
    assert_eq!(
        state(&ledger),
        before,
        "and nothing of the failed import is there"
    );
    sale(&mut ledger).unwrap_or_else(|e| panic!("{name} once the journal is back: {e}"));
    import(&mut ledger).unwrap_or_else(|e| panic!("the import once the disk is back: {e}"));
    let (name, void) = &pairs[3];
    void(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_verified(&ledger, "after the journal came back");
    let after = state(&ledger);
    let head = head_seq(&ledger);
    assert!(head > acknowledged);

    // A power loss now keeps what each file synced: the same ledger opens again.
    drop(ledger);
    let power_loss = |disk: &Disk, start: Vec<Vec<u8>>| {
        let mut replay = Replay::new(start);
        for op in disk.recorded() {
            replay.apply(&op);
        }
        replay.images(Crash::PowerLoss, 0).remove(0)
    };
    let reopened = Ledger::open_with_journal(
        Disk::from_image(power_loss(&disk, starts.0)),
        Disk::from_image(power_loss(&journal, starts.1)),
    )
    .unwrap_or_else(|e| panic!("opening again: {e}"));
    assert_verified(&reopened, "opened again");
    assert_eq!(
        head_seq(&reopened),
        head,
        "every acknowledged write is there"
    );
    assert_eq!(state(&reopened), after);
}

/// A till on the fixture station, its ledger on `disk`; and the receipts' temp dir.
fn till_on(disk: &Disk, storage: Storage) -> (App, tempfile::TempDir) {
    let mut ledger = create(disk, storage);
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
    let cases = [Fault::FullCopyOnWrite, Fault::Io, Fault::Broken]
        .into_iter()
        .flat_map(|fault| [(fault, Storage::NoJournal), (fault, Storage::Journal)]);
    for (fault, storage) in cases {
        let disk = Disk::new();
        let (mut app, _receipts) = till_on(&disk, storage);
        let before = head_seq(app.ledger());
        // The disk fails at the sale's first write.
        disk.fail_at(disk.calls() + 1, fault);
        sell_soap(&mut app);
        let said = status(&app);
        assert!(
            said.starts_with(DISK_TROUBLE) && !said.contains('\n'),
            "{fault:?}, {storage:?}: the till shows the refusal in one line: {said}"
        );
        assert!(screen(&app).contains("存储出错"), "{}", screen(&app));
        assert!(!app.quitting(), "the till keeps running");

        // The disk is back. A key settles a write whose outcome was unknown; checkout again
        // sells, once.
        disk.free_space();
        press(&mut app, &[KeyName::Down]);
        assert_eq!(
            sales_after(&app, before),
            0,
            "{fault:?}, {storage:?}: nothing was recorded"
        );
        checkout(&mut app);
        assert_eq!(
            sales_after(&app, before),
            1,
            "{fault:?}, {storage:?}: {}",
            status(&app)
        );
        assert_eq!(head_seq(app.ledger()), before + 1);
        assert_verified(app.ledger(), "after the sale");
    }
}

#[test]
fn a_sale_whose_outcome_was_unknown_is_told_once_the_disk_is_back() {
    // Gone at the sale's sync: its writes reached the file, so once the disk is back the
    // ledger holds it. Gone at its first write: nothing reached the file.
    let cases = [(true, true), (false, false)]
        .into_iter()
        .flat_map(|case| [(case, Storage::NoJournal), (case, Storage::Journal)]);
    for ((at_sync, landed), storage) in cases {
        let disk = Disk::new();
        let (mut app, _receipts) = till_on(&disk, storage);
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
            "{storage:?}: the till says it does not know yet: {said}"
        );

        disk.free_space();
        // Any key: the till opens the ledger again and tells what happened.
        press(&mut app, &[KeyName::Down]);
        let said = status(&app);
        if landed {
            assert!(said.contains("已记账"), "{storage:?}: {said}");
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
            assert!(said.contains("没有记账"), "{storage:?}: {said}");
            assert_eq!(sales_after(&app, before), 0);
            checkout(&mut app);
            assert_eq!(sales_after(&app, before), 1, "sold once when done again");
        }
        assert_verified(app.ledger(), "after the disk came back");
    }
}

#[test]
fn with_the_journal_a_checkpoint_refused_by_a_full_disk_leaves_the_ledger_readable() {
    // On a full disk (ext4: no new blocks) the checkpoint's durable commit fails after the
    // sale was journaled (so the sale is done). Opening the ledger again must not need new
    // blocks either: the journaled writes redb dropped with the failed commit are applied
    // without a sync and stay in the journal until a checkpoint succeeds. The till can still
    // look households up and show every acknowledged sale while the disk is full, as it can
    // without the journal; once space is freed the next write checkpoints.
    let disk = Disk::new();
    let (mut ledger, _, _) = setup(create(&disk, Storage::Journal));
    let starts = disk.record();
    let pairs = sales_and_voids(CHECKPOINT_PAIRS);
    // Setup journaled two records; the step at this index journals the last record before the checkpoint.
    let at = CHECKPOINT_RECORDS as usize - 3;
    for (name, step) in &pairs[..at] {
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let head = head_seq(&ledger);

    disk.fail_now(Fault::Full);
    disk.take_hit();
    let (name, step) = &pairs[at];
    step(&mut ledger).unwrap_or_else(|e| panic!("{name}, journaled, is done: {e}"));
    assert_eq!(
        disk.take_hit(),
        Some((LEDGER_FILE, Call::Write)),
        "the checkpoint tried to write the ledger file, and the full disk refused it"
    );
    let view = ledger.view().map(|_| ());
    assert!(
        view.is_ok(),
        "the ledger is readable on the full disk: {view:?}"
    );
    assert_eq!(head_seq(&ledger), head + 1, "{name} is there");
    assert_verified(&ledger, "on the full disk");
    // Writes go on while the journal has room; each is done or refused whole.
    let mut acknowledged = head_seq(&ledger);
    for (name, step) in &pairs[at + 1..at + 5] {
        let before = state(&ledger);
        match step(&mut ledger) {
            Ok(()) => acknowledged = head_seq(&ledger),
            Err(message) => {
                assert!(is_storage_refusal(&message), "{name}: {message}");
                ledger
                    .recover()
                    .unwrap_or_else(|e| panic!("{name}: reopening: {e}"));
                assert_eq!(state(&ledger), before, "{name}: refused, so unchanged");
            }
        }
        assert_eq!(
            head_seq(&ledger),
            acknowledged,
            "{name}: every done write shows"
        );
    }

    disk.free_space();
    let (name, step) = &pairs[at + 5];
    step(&mut ledger).unwrap_or_else(|e| panic!("{name} once space is freed: {e}"));
    let after = state(&ledger);
    let ops = disk.recorded();
    let mut replay = Replay::new(starts);
    for op in &ops {
        replay.apply(op);
    }
    let mut images = replay.images(Crash::PowerLoss, 0);
    let ledger_image = Disk::from_image(std::mem::take(&mut images[LEDGER_FILE]));
    let journal_image =
        ledger_image.another_file_holding(std::mem::take(&mut images[JOURNAL_FILE]));
    let reopened = Ledger::open_with_journal(ledger_image, journal_image)
        .unwrap_or_else(|e| panic!("opening after a power loss: {e}"));
    assert_verified(&reopened, "after a power loss");
    assert_eq!(
        state(&reopened),
        after,
        "a power loss keeps every acknowledged write"
    );
}
