//! A redb storage backend that counts what redb asks of the disk: bytes and calls written and
//! syncs, on top of the ordinary file backend. The bench builds every ledger of its own on it,
//! so the pages a sale writes are counted on the very ledger whose time is measured. Besides
//! the bytes handed to `write`, it counts the distinct 4 KiB pages dirtied between two syncs:
//! what the sync actually makes the disk write (a page written twice before a sync, as redb's
//! commits without a sync of their own do, reaches the disk once).

use std::collections::HashSet;
use std::fs::File;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use redb::backends::FileBackend;
use std::io;
use std::ops::Bound;

use aixin::store::ledger::JournalDevice;
use redb::{BackendError, StorageBackend};

/// What has been written through one [`CountingBackend`] so far.
#[derive(Debug, Default)]
pub struct Counters {
    bytes: AtomicU64,
    writes: AtomicU64,
    syncs: AtomicU64,
    synced_pages: AtomicU64,
    /// Pages written since the last sync.
    dirty: Mutex<HashSet<u64>>,
}

/// The page size the disk is counted in.
const PAGE: u64 = 4096;

/// A snapshot of [`Counters`]; subtract two to get one operation's share.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counted {
    /// Bytes handed to `write`.
    pub bytes: u64,
    /// `write` calls.
    pub writes: u64,
    /// `sync_data` calls (each an fsync of the file).
    pub syncs: u64,
    /// Distinct 4 KiB pages the syncs made durable (pages dirtied since the sync before).
    pub synced_pages: u64,
}

impl std::ops::Add for Counted {
    type Output = Counted;
    fn add(self, other: Counted) -> Counted {
        Counted {
            bytes: self.bytes + other.bytes,
            writes: self.writes + other.writes,
            syncs: self.syncs + other.syncs,
            synced_pages: self.synced_pages + other.synced_pages,
        }
    }
}

impl Counters {
    /// The counts now.
    pub fn now(&self) -> Counted {
        Counted {
            bytes: self.bytes.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            syncs: self.syncs.load(Ordering::Relaxed),
            synced_pages: self.synced_pages.load(Ordering::Relaxed),
        }
    }

    fn dirty(&self) -> std::sync::MutexGuard<'_, HashSet<u64>> {
        self.dirty.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Counted {
    /// What was written between `earlier` and this snapshot.
    pub fn since(self, earlier: Counted) -> Counted {
        Counted {
            bytes: self.bytes - earlier.bytes,
            writes: self.writes - earlier.writes,
            syncs: self.syncs - earlier.syncs,
            synced_pages: self.synced_pages - earlier.synced_pages,
        }
    }
}

/// The file backend with counters in front of it. Clones share the file and the counters (the
/// ledger reopens a clone after a failed write).
#[derive(Clone, Debug)]
pub struct CountingBackend {
    inner: Arc<FileBackend>,
    /// The same file, for the journal's writeback hint (redb's backend owns the other handle).
    hint: Option<Arc<File>>,
    counters: Arc<Counters>,
}

impl CountingBackend {
    /// Wraps a new (empty) file; returns the backend and a handle on its counters.
    pub fn new(file: File) -> Result<(CountingBackend, Arc<Counters>), String> {
        let counters = Arc::new(Counters::default());
        let hint = file.try_clone().ok().map(Arc::new);
        let inner = FileBackend::new(file).map_err(|e| e.to_string())?;
        Ok((
            CountingBackend {
                inner: Arc::new(inner),
                hint,
                counters: Arc::clone(&counters),
            },
            counters,
        ))
    }
}

/// Under the journal it starts the writeback as the ledger's own journal file does, so the
/// sale timed through it is the sale the till makes.
impl JournalDevice for CountingBackend {
    fn start_writeback(&self, offset: u64, len: u64) {
        if let Some(file) = &self.hint {
            aixin::store::ledger::journal::start_writeback(file, offset, len);
        }
    }
}

impl StorageBackend for CountingBackend {
    fn len(&self) -> Result<u64, io::Error> {
        self.inner.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        self.inner.read(offset, out)
    }

    fn set_len(&self, len: u64) -> Result<(), io::Error> {
        self.inner.set_len(len)
    }

    fn sync_data(&self) -> Result<(), io::Error> {
        self.counters.syncs.fetch_add(1, Ordering::Relaxed);
        let pages = {
            let mut dirty = self.counters.dirty();
            let n = dirty.len() as u64;
            dirty.clear();
            n
        };
        self.counters
            .synced_pages
            .fetch_add(pages, Ordering::Relaxed);
        self.inner.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        self.counters
            .bytes
            .fetch_add(data.len() as u64, Ordering::Relaxed);
        self.counters.writes.fetch_add(1, Ordering::Relaxed);
        if !data.is_empty() {
            let last = (offset + data.len() as u64 - 1) / PAGE;
            self.counters.dirty().extend(offset / PAGE..=last);
        }
        self.inner.write(offset, data)
    }

    fn close(&self) -> Result<(), io::Error> {
        self.inner.close()
    }

    fn try_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.inner.try_lock_range(start, end)
    }

    fn try_lock_shared_range(
        &self,
        start: Bound<u64>,
        end: Bound<u64>,
    ) -> Result<bool, BackendError> {
        self.inner.try_lock_shared_range(start, end)
    }

    fn lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.inner.lock_range(start, end)
    }

    fn lock_shared_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.inner.lock_shared_range(start, end)
    }

    fn unlock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<(), BackendError> {
        self.inner.unlock_range(start, end)
    }

    fn query_lock_range(&self, start: Bound<u64>, end: Bound<u64>) -> Result<bool, BackendError> {
        self.inner.query_lock_range(start, end)
    }
}
