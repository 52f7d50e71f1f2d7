//! A simulated disk under a ledger: redb [`StorageBackend`]s in memory that record every
//! write and sync (to rebuild the files a crash or a power loss would leave at any point), and
//! fail chosen calls with ENOSPC or EIO (a full or failing disk). Modelled on redb's own
//! `tests/crash_consistency.rs`: each file has a "live" image that every write reaches at once
//! (what the kernel's page cache holds, and what survives a killed process) and a "durable"
//! image that only a completed sync *of that file* advances (what survives a power loss).
//!
//! One [`Disk`] is one file on a simulated volume; [`Disk::another_file`] makes a second file
//! on the same volume (the ledger's journal beside the ledger file). The files of a volume
//! share one recorded order of changes (each [`Op`] names its file), one count of calls that
//! faults are planned by, and one fault in force (a full disk is full for both files).
//!
//! A ledger opens on it with `Ledger::create_with_backend(disk.clone())`, or with its journal
//! with `Ledger::create_with_journal(disk.clone(), disk.another_file())`; clones share the same
//! bytes, so the ledger can reopen it after a failed write as it reopens a file.

use std::io::{Error, ErrorKind};
use std::sync::{Arc, Mutex, MutexGuard};

use aixin::store::ledger::JournalDevice;
use redb::StorageBackend;

/// ENOSPC on Linux.
const ENOSPC: i32 = 28;
/// EIO on Linux.
const EIO: i32 = 5;

/// One change made to a file of the volume, in the order the ledger made it; `file` is the
/// file's number on its volume (0 for the first, see [`Disk::file`]).
#[derive(Clone, Debug)]
pub enum Op {
    /// Bytes written at an offset.
    Write {
        file: usize,
        offset: u64,
        data: Vec<u8>,
    },
    /// The file's length set.
    SetLen { file: usize, len: u64 },
    /// A completed `sync_data` of the file: everything written to it before is durable.
    Sync { file: usize },
}

impl Op {
    /// The file the change was made to.
    pub fn file(&self) -> usize {
        match self {
            Op::Write { file, .. } | Op::SetLen { file, .. } | Op::Sync { file } => *file,
        }
    }
}

/// What a planned fault does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The disk is full from the chosen call on, until [`Disk::free_space`]: a write that needs
    /// a block never written before fails with ENOSPC (nothing of it reaches the disk), as on
    /// ext4; overwriting written blocks, changing the length (sparse) and syncing still work.
    Full,
    /// The disk is full as a copy-on-write file system (btrfs) is: from the chosen call on,
    /// until [`Disk::free_space`], every write fails with ENOSPC, overwrites too.
    FullCopyOnWrite,
    /// The chosen call alone fails with EIO; a failed write or length change does not reach
    /// the disk, a failed sync makes nothing durable.
    Io,
    /// The chosen call alone fails with ENOSPC, as a sync does when delayed allocation finds
    /// the disk full (or a thin volume runs out); otherwise as [`Fault::Io`].
    NoSpace,
    /// The disk fails from the chosen call on, until [`Disk::free_space`]: every write, length
    /// change and sync fails with EIO; reads still work.
    Broken,
    /// The disk is gone from the chosen call on (a cable pulled), until [`Disk::free_space`]:
    /// every call fails with EIO, reads too, so the ledger cannot even be opened again.
    Gone,
}

/// What kind of mutating call a planned fault hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    Write,
    SetLen,
    Sync,
}

/// Blocks of this size are allocated on their first write (a full disk refuses that).
const BLOCK_BYTES: usize = 4096;

/// One file of a volume.
#[derive(Debug, Default)]
struct File {
    live: Vec<u8>,
    /// Which blocks of `live` have been written at least once.
    allocated: Vec<bool>,
}

impl File {
    /// Whether writing `len` bytes at `start` needs a block never written before.
    fn allocates(&self, start: usize, len: usize) -> bool {
        let first = start / BLOCK_BYTES;
        let last = (start + len.max(1) - 1) / BLOCK_BYTES;
        (first..=last).any(|block| !self.allocated.get(block).copied().unwrap_or(false))
    }

    fn allocate(&mut self, start: usize, len: usize) {
        let first = start / BLOCK_BYTES;
        let last = (start + len.max(1) - 1) / BLOCK_BYTES;
        if self.allocated.len() <= last {
            self.allocated.resize(last + 1, false);
        }
        for block in first..=last {
            self.allocated[block] = true;
        }
    }

    fn holding(image: Vec<u8>) -> File {
        let mut file = File::default();
        file.allocate(0, image.len());
        file.live = image;
        file
    }
}

/// A volume: its files, and what is recorded and planned for all of them.
#[derive(Debug, Default)]
struct State {
    files: Vec<File>,
    /// Recorded changes since [`Disk::record`], if recording.
    log: Option<Vec<Op>>,
    /// Mutating calls (write, set_len, sync_data) made so far, to any file.
    calls: u64,
    /// The planned fault and the call number it starts at (1-based, counted by `calls`).
    fault: Option<(u64, Fault)>,
    /// A fault planned for the next sync (of any file).
    fault_at_sync: Option<Fault>,
    /// The lasting fault in force now (full, broken or gone), if any.
    lasting: Option<Fault>,
    /// The file and kind of the first call that failed since [`Disk::take_hit`].
    hit: Option<(usize, Call)>,
}

/// One simulated file on a volume; clones share the same bytes.
#[derive(Clone, Debug)]
pub struct Disk {
    state: Arc<Mutex<State>>,
    file: usize,
}

impl Default for Disk {
    fn default() -> Disk {
        Disk::new()
    }
}

impl Disk {
    /// An empty file on a new volume.
    pub fn new() -> Disk {
        Disk::from_image(Vec::new())
    }

    /// A file on a new volume holding `image` (a crash image to reopen), every block of it
    /// written.
    pub fn from_image(image: Vec<u8>) -> Disk {
        let state = State {
            files: vec![File::holding(image)],
            ..State::default()
        };
        Disk {
            state: Arc::new(Mutex::new(state)),
            file: 0,
        }
    }

    /// A new, empty file on this file's volume (a ledger's journal beside it).
    pub fn another_file(&self) -> Disk {
        self.another_file_holding(Vec::new())
    }

    /// A new file on this file's volume holding `image` (the journal's crash image).
    pub fn another_file_holding(&self, image: Vec<u8>) -> Disk {
        let mut state = self.lock();
        state.files.push(File::holding(image));
        Disk {
            state: self.state.clone(),
            file: state.files.len() - 1,
        }
    }

    /// This file's number on its volume, as [`Op`]s name it.
    pub fn file(&self) -> usize {
        self.file
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already; go on reading.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bytes every write so far has reached.
    pub fn image(&self) -> Vec<u8> {
        self.lock().files[self.file].live.clone()
    }

    /// Starts recording every change to every file of the volume from now on; returns the
    /// images they start from, by file number.
    pub fn record(&self) -> Vec<Vec<u8>> {
        let mut state = self.lock();
        state.log = Some(Vec::new());
        state.files.iter().map(|f| f.live.clone()).collect()
    }

    /// The changes recorded since [`Disk::record`], to every file of the volume.
    pub fn recorded(&self) -> Vec<Op> {
        self.lock().log.clone().unwrap_or_default()
    }

    /// How many changes have been recorded since [`Disk::record`].
    pub fn recorded_len(&self) -> usize {
        self.lock().log.as_ref().map_or(0, Vec::len)
    }

    /// Mutating calls made so far to any file of the volume (write, set_len, sync_data): a
    /// fault is planned by this count.
    pub fn calls(&self) -> u64 {
        self.lock().calls
    }

    /// Plans `fault` at mutating call number `call` (1-based, see [`Disk::calls`]).
    pub fn fail_at(&self, call: u64, fault: Fault) {
        self.lock().fault = Some((call, fault));
    }

    /// Plans `fault` at the next `sync_data` of any file of the volume: a commit's writes
    /// have all reached the page cache, and only making them durable fails.
    pub fn fail_at_next_sync(&self, fault: Fault) {
        self.lock().fault_at_sync = Some(fault);
    }

    /// Puts `fault` (a lasting one: full, broken or gone) in force at once, before any call:
    /// a volume gone while nothing was being written to it fails the next read too.
    pub fn fail_now(&self, fault: Fault) {
        self.lock().lasting = Some(fault);
    }

    /// The file and kind of the first call that failed since the last time this was asked,
    /// if any (and forgets it): which file's write, length change or sync a fault refused.
    pub fn take_hit(&self) -> Option<(usize, Call)> {
        self.lock().hit.take()
    }

    /// Fails a read-only call if the disk is gone.
    fn check_gone(state: &State) -> Result<(), Error> {
        match state.lasting {
            Some(Fault::Gone) => Err(Error::from_raw_os_error(EIO)),
            _ => Ok(()),
        }
    }

    /// Frees space, mends the disk and cancels any planned fault: writes succeed again.
    pub fn free_space(&self) {
        let mut state = self.lock();
        state.lasting = None;
        state.fault = None;
        state.fault_at_sync = None;
    }

    /// Counts a mutating call of `file` and says whether it fails, and how. `allocates` says
    /// whether it is a write that needs new blocks.
    fn next_call(state: &mut State, file: usize, call: Call, allocates: bool) -> Result<(), Error> {
        let is_sync = call == Call::Sync;
        let is_write = !is_sync;
        state.calls += 1;
        let planned = match state.fault {
            Some((at, fault)) if state.calls == at => Some(fault),
            _ if is_sync => state.fault_at_sync.take(),
            _ => None,
        };
        let result = match planned {
            Some(Fault::Io) => Err(Error::from_raw_os_error(EIO)),
            Some(Fault::NoSpace) => Err(Error::from_raw_os_error(ENOSPC)),
            Some(fault) => {
                state.lasting = Some(fault);
                Ok(())
            }
            None => Ok(()),
        };
        let result = result.and_then(|()| match state.lasting {
            Some(Fault::Broken | Fault::Gone) => Err(Error::from_raw_os_error(EIO)),
            Some(Fault::Full) if allocates => Err(Error::from_raw_os_error(ENOSPC)),
            Some(Fault::FullCopyOnWrite) if is_write => Err(Error::from_raw_os_error(ENOSPC)),
            _ => Ok(()),
        });
        if result.is_err() && state.hit.is_none() {
            state.hit = Some((file, call));
        }
        result
    }
}

/// A simulated journal cannot start a write early: the hint does nothing, and only
/// `sync_data` makes a write durable, as on a real disk.
impl JournalDevice for Disk {}

impl StorageBackend for Disk {
    fn len(&self) -> Result<u64, Error> {
        let state = self.lock();
        Disk::check_gone(&state)?;
        Ok(state.files[self.file].live.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), Error> {
        let state = self.lock();
        Disk::check_gone(&state)?;
        let live = &state.files[self.file].live;
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let end = start + out.len();
        if end > live.len() {
            return Err(Error::from(ErrorKind::UnexpectedEof));
        }
        out.copy_from_slice(&live[start..end]);
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), Error> {
        let mut state = self.lock();
        Disk::next_call(&mut state, self.file, Call::SetLen, false)?;
        let size = usize::try_from(len).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let file = &mut state.files[self.file];
        file.live.resize(size, 0);
        // Growing leaves a hole (no blocks); shrinking frees the blocks past the end.
        let blocks = size.div_ceil(BLOCK_BYTES);
        if file.allocated.len() > blocks {
            file.allocated.truncate(blocks);
        }
        let file = self.file;
        if let Some(log) = &mut state.log {
            log.push(Op::SetLen { file, len });
        }
        Ok(())
    }

    fn sync_data(&self) -> Result<(), Error> {
        let mut state = self.lock();
        Disk::next_call(&mut state, self.file, Call::Sync, false)?;
        let file = self.file;
        if let Some(log) = &mut state.log {
            log.push(Op::Sync { file });
        }
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let mut state = self.lock();
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let allocates = state.files[self.file].allocates(start, data.len());
        Disk::next_call(&mut state, self.file, Call::Write, allocates)?;
        let file = &mut state.files[self.file];
        file.allocate(start, data.len());
        write_at(&mut file.live, offset, data);
        let file = self.file;
        if let Some(log) = &mut state.log {
            log.push(Op::Write {
                file,
                offset,
                data: data.to_vec(),
            });
        }
        Ok(())
    }
}

/// The files a crash at some point would leave behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crash {
    /// The process was killed: every write made so far is in the page cache and survives.
    Kill,
    /// The power failed: of each file, only what its last completed sync made durable survives.
    PowerLoss,
    /// The power failed, and of the writes since each file's last sync the disk had kept some,
    /// in any order (a seeded choice): redb's checksums, and the journal's, must notice a
    /// header whose pages are missing and a record half written.
    TornPowerLoss,
    /// The power failed in the middle of writes: of every write since its file's last sync,
    /// each 512-byte sector reached the disk or not (a seeded choice), so one write can be
    /// left half done: a journal record cut inside must fail its checksum.
    TornSectors,
}

/// The unit a disk writes atomically.
const SECTOR_BYTES: usize = 512;

/// One file being replayed.
#[derive(Clone, Debug)]
struct Replayed {
    live: Vec<u8>,
    durable: Vec<u8>,
    since_sync: Vec<(u64, Vec<u8>)>,
}

/// Every crash image of a recorded run: for each point `k` (after the first `k` changes) and
/// each kind of crash, the bytes left in each file of the volume.
pub struct Replay {
    files: Vec<Replayed>,
}

impl Replay {
    /// Replay from the images recording started at ([`Disk::record`]), by file number.
    pub fn new(starts: Vec<Vec<u8>>) -> Replay {
        let files = starts
            .into_iter()
            .map(|start| Replayed {
                live: start.clone(),
                durable: start,
                since_sync: Vec::new(),
            })
            .collect();
        Replay { files }
    }

    /// Applies the next recorded change.
    pub fn apply(&mut self, op: &Op) {
        let file = &mut self.files[op.file()];
        match op {
            Op::Write { offset, data, .. } => {
                write_at(&mut file.live, *offset, data);
                file.since_sync.push((*offset, data.clone()));
            }
            Op::SetLen { len, .. } => file.live.resize(*len as usize, 0),
            Op::Sync { .. } => {
                file.durable.clone_from(&file.live);
                file.since_sync.clear();
            }
        }
    }

    /// The images a crash of this kind would leave now, by file number; `seed` picks the
    /// torn subset.
    pub fn images(&self, crash: Crash, seed: u64) -> Vec<Vec<u8>> {
        let mut state = seed | 1;
        self.files
            .iter()
            .map(|file| match crash {
                Crash::Kill => file.live.clone(),
                Crash::PowerLoss => file.durable.clone(),
                Crash::TornPowerLoss => {
                    let mut image = file.durable.clone();
                    for (offset, data) in &file.since_sync {
                        // xorshift: a fixed, seeded half of the writes reach the disk.
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        if state.is_multiple_of(2) {
                            write_at(&mut image, *offset, data);
                        }
                    }
                    image
                }
                Crash::TornSectors => {
                    let mut image = file.durable.clone();
                    for (offset, data) in &file.since_sync {
                        for (i, sector) in data.chunks(SECTOR_BYTES).enumerate() {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            if state.is_multiple_of(2) {
                                let at = *offset + (i * SECTOR_BYTES) as u64;
                                write_at(&mut image, at, sector);
                            }
                        }
                    }
                    image
                }
            })
            .collect()
    }

    /// Whether writes since the last sync exist in any file (otherwise a torn image is the
    /// durable one).
    pub fn has_unsynced_writes(&self) -> bool {
        self.files.iter().any(|f| !f.since_sync.is_empty())
    }
}

fn write_at(image: &mut Vec<u8>, offset: u64, data: &[u8]) {
    let start = offset as usize;
    let end = start + data.len();
    if end > image.len() {
        image.resize(end, 0);
    }
    image[start..end].copy_from_slice(data);
}

/// Everything a reader can ask of a ledger, every station scope in it, as one digest: the
/// head (seq and hash), the meta, households, goods, awards, sales with their void marks, the
/// roster, the period tallies of `periods` and the sync bookkeeping of `peers`. Two ledgers
/// with the same digest answer every query the same.
pub fn ledger_state(ledger: &aixin::store::Ledger, periods: &[&str], peers: &[&str]) -> String {
    let mut text = String::new();
    let stations = ledger
        .view()
        .and_then(|v| v.stations())
        .unwrap_or_else(|e| panic!("stations: {e}"));
    for station in stations {
        let view = ledger
            .view_of(&station)
            .unwrap_or_else(|e| panic!("view of {station}: {e}"));
        let read = |what: &str, value: Result<String, aixin::store::StoreError>| {
            value.unwrap_or_else(|e| panic!("{station} {what}: {e}"))
        };
        text += &read("meta", view.meta().map(|m| format!("{m:?}")));
        text += &read("households", view.households().map(|h| format!("{h:?}")));
        text += &read("goods", view.goods().map(|g| format!("{g:?}")));
        text += &read("awards", view.awards().map(|a| format!("{a:?}")));
        text += &read("sales", view.sales().map(|s| format!("{s:?}")));
        text += &read("roster", view.roster().map(|r| format!("{r:?}")));
        text += &read(
            "cleared",
            view.state()
                .last_cleared_year()
                .map(|y| format!("{y:?}"))
                .map_err(aixin::store::StoreError::from),
        );
        for period in periods {
            text += &read(
                "tallies",
                view.period_tallies(period).map(|t| format!("{t:?}")),
            );
        }
        for peer in peers {
            text += &read("peer", view.peer_record(peer).map(|p| format!("{p:?}")));
        }
    }
    blake3::hash(text.as_bytes()).to_hex().to_string()
}

/// The head (seq) of the ledger's own station, 0 before init.
pub fn head_seq(ledger: &aixin::store::Ledger) -> u64 {
    ledger
        .view()
        .and_then(|v| v.meta())
        .map(|m| m.map_or(0, |m| m.head_seq))
        .unwrap_or_else(|e| panic!("head: {e}"))
}

/// Panics unless `aixin verify` finds every station scope of the ledger sound.
pub fn assert_verified(ledger: &aixin::store::Ledger, context: &str) {
    let reports = aixin::store::verify::verify_all(ledger)
        .unwrap_or_else(|e| panic!("{context}: verify could not run: {e}"));
    for report in reports {
        assert!(
            report.problems.is_empty(),
            "{context}: verify found problems in {}: {:?}",
            report.station_id,
            report.problems
        );
    }
}
