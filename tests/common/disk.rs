//! A simulated disk under a ledger: a redb [`StorageBackend`] in memory that can record every
//! write and sync (to rebuild the file a crash or a power loss would leave at any point), and
//! fail chosen calls with ENOSPC or EIO (a full or failing disk). Modelled on redb's own
//! `tests/crash_consistency.rs`: a "live" image that every write reaches at once (what the
//! kernel's page cache holds, and what survives a killed process) and a "durable" image that
//! only a completed sync advances (what survives a power loss).
//!
//! A ledger opens on it with `Ledger::create_with_backend(disk.clone())`; clones share the
//! same bytes, so the ledger can reopen it after a failed write as it reopens a file.

use std::io::{Error, ErrorKind};
use std::sync::{Arc, Mutex, MutexGuard};

use redb::StorageBackend;

/// ENOSPC on Linux.
const ENOSPC: i32 = 28;
/// EIO on Linux.
const EIO: i32 = 5;

/// One change made to the disk, in the order redb made it.
#[derive(Clone, Debug)]
pub enum Op {
    /// Bytes written at an offset.
    Write { offset: u64, data: Vec<u8> },
    /// The file's length set.
    SetLen(u64),
    /// A completed `sync_data`: everything before it is durable.
    Sync,
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
    /// The disk fails from the chosen call on, until [`Disk::free_space`]: every write, length
    /// change and sync fails with EIO; reads still work.
    Broken,
    /// The disk is gone from the chosen call on (a cable pulled), until [`Disk::free_space`]:
    /// every call fails with EIO, reads too, so the ledger cannot even be opened again.
    Gone,
}

/// Blocks of this size are allocated on their first write (a full disk refuses that).
const BLOCK_BYTES: usize = 4096;

#[derive(Debug, Default)]
struct State {
    live: Vec<u8>,
    /// Which blocks of `live` have been written at least once.
    allocated: Vec<bool>,
    /// Recorded changes since [`Disk::record`], if recording.
    log: Option<Vec<Op>>,
    /// Mutating calls (write, set_len, sync_data) made so far.
    calls: u64,
    /// The planned fault and the call number it starts at (1-based, counted by `calls`).
    fault: Option<(u64, Fault)>,
    /// A fault planned for the next sync.
    fault_at_sync: Option<Fault>,
    /// The lasting fault in force now (full, broken or gone), if any.
    lasting: Option<Fault>,
}

impl State {
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
}

/// The simulated disk; clones share the same bytes.
#[derive(Clone, Debug, Default)]
pub struct Disk {
    state: Arc<Mutex<State>>,
}

impl Disk {
    /// An empty disk.
    pub fn new() -> Disk {
        Disk::default()
    }

    /// A disk holding `image` (a crash image to reopen), every block of it written.
    pub fn from_image(image: Vec<u8>) -> Disk {
        let disk = Disk::default();
        {
            let mut state = disk.lock();
            state.allocate(0, image.len());
            state.live = image;
        }
        disk
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock has failed already; go on reading.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The bytes every write so far has reached.
    pub fn image(&self) -> Vec<u8> {
        self.lock().live.clone()
    }

    /// Starts recording every change from now on; returns the image they start from.
    pub fn record(&self) -> Vec<u8> {
        let mut state = self.lock();
        state.log = Some(Vec::new());
        state.live.clone()
    }

    /// The changes recorded since [`Disk::record`].
    pub fn recorded(&self) -> Vec<Op> {
        self.lock().log.clone().unwrap_or_default()
    }

    /// Mutating calls made so far (write, set_len, sync_data): a fault is planned by this count.
    pub fn calls(&self) -> u64 {
        self.lock().calls
    }

    /// Plans `fault` at mutating call number `call` (1-based, see [`Disk::calls`]).
    pub fn fail_at(&self, call: u64, fault: Fault) {
        self.lock().fault = Some((call, fault));
    }

    /// Plans `fault` at the next `sync_data`: a commit's writes have all reached the page
    /// cache, and only making them durable fails.
    pub fn fail_at_next_sync(&self, fault: Fault) {
        self.lock().fault_at_sync = Some(fault);
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

    /// Counts a mutating call and says whether it fails, and how. `allocates` says whether it
    /// is a write that needs new blocks, `is_sync` whether it is a sync.
    fn next_call(state: &mut State, allocates: bool, is_sync: bool) -> Result<(), Error> {
        let is_write = !is_sync;
        state.calls += 1;
        let planned = match state.fault {
            Some((at, fault)) if state.calls == at => Some(fault),
            _ if is_sync => state.fault_at_sync.take(),
            _ => None,
        };
        match planned {
            Some(Fault::Io) => return Err(Error::from_raw_os_error(EIO)),
            Some(fault) => state.lasting = Some(fault),
            None => {}
        }
        match state.lasting {
            Some(Fault::Broken | Fault::Gone) => Err(Error::from_raw_os_error(EIO)),
            Some(Fault::Full) if allocates => Err(Error::from_raw_os_error(ENOSPC)),
            Some(Fault::FullCopyOnWrite) if is_write => Err(Error::from_raw_os_error(ENOSPC)),
            _ => Ok(()),
        }
    }
}

impl StorageBackend for Disk {
    fn len(&self) -> Result<u64, Error> {
        let state = self.lock();
        Disk::check_gone(&state)?;
        Ok(state.live.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), Error> {
        let state = self.lock();
        Disk::check_gone(&state)?;
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let end = start + out.len();
        if end > state.live.len() {
            return Err(Error::from(ErrorKind::UnexpectedEof));
        }
        out.copy_from_slice(&state.live[start..end]);
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), Error> {
        let mut state = self.lock();
        Disk::next_call(&mut state, false, false)?;
        let len = usize::try_from(len).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        state.live.resize(len, 0);
        // Growing leaves a hole (no blocks); shrinking frees the blocks past the end.
        let blocks = len.div_ceil(BLOCK_BYTES);
        if state.allocated.len() > blocks {
            state.allocated.truncate(blocks);
        }
        if let Some(log) = &mut state.log {
            log.push(Op::SetLen(len as u64));
        }
        Ok(())
    }

    fn sync_data(&self) -> Result<(), Error> {
        let mut state = self.lock();
        Disk::next_call(&mut state, false, true)?;
        if let Some(log) = &mut state.log {
            log.push(Op::Sync);
        }
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), Error> {
        let mut state = self.lock();
        let start = usize::try_from(offset).map_err(|_| Error::from(ErrorKind::InvalidInput))?;
        let allocates = state.allocates(start, data.len());
        Disk::next_call(&mut state, allocates, false)?;
        state.allocate(start, data.len());
        let end = start + data.len();
        if end > state.live.len() {
            state.live.resize(end, 0);
        }
        state.live[start..end].copy_from_slice(data);
        if let Some(log) = &mut state.log {
            log.push(Op::Write {
                offset,
                data: data.to_vec(),
            });
        }
        Ok(())
    }
}

/// The file a crash at some point would leave behind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Crash {
    /// The process was killed: every write made so far is in the page cache and survives.
    Kill,
    /// The power failed: only what the last completed sync made durable survives.
    PowerLoss,
    /// The power failed, and of the writes since the last sync the disk had kept some, in any
    /// order (a seeded choice): redb's checksums must notice a header whose pages are missing.
    TornPowerLoss,
}

/// Every crash image of a recorded run: for each point `k` (after the first `k` changes) and
/// each kind of crash, the bytes left. `start` is the image recording started from.
pub struct Replay {
    live: Vec<u8>,
    durable: Vec<u8>,
    since_sync: Vec<(u64, Vec<u8>)>,
}

impl Replay {
    /// Replay from the image recording started at.
    pub fn new(start: Vec<u8>) -> Replay {
        Replay {
            live: start.clone(),
            durable: start,
            since_sync: Vec::new(),
        }
    }

    /// Applies the next recorded change.
    pub fn apply(&mut self, op: &Op) {
        match op {
            Op::Write { offset, data } => {
                write_at(&mut self.live, *offset, data);
                self.since_sync.push((*offset, data.clone()));
            }
            Op::SetLen(len) => self.live.resize(*len as usize, 0),
            Op::Sync => {
                self.durable.clone_from(&self.live);
                self.since_sync.clear();
            }
        }
    }

    /// The image a crash of this kind would leave now; `seed` picks the torn subset.
    pub fn image(&self, crash: Crash, seed: u64) -> Vec<u8> {
        match crash {
            Crash::Kill => self.live.clone(),
            Crash::PowerLoss => self.durable.clone(),
            Crash::TornPowerLoss => {
                let mut image = self.durable.clone();
                let mut state = seed | 1;
                for (offset, data) in &self.since_sync {
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
        }
    }

    /// Whether writes since the last sync exist (otherwise a torn image is the durable one).
    pub fn has_unsynced_writes(&self) -> bool {
        !self.since_sync.is_empty()
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
