//! The ledger file: opening it (read-write for the till, read-only for the monitor), the one
//! write path ([`Ledger::execute_batch`]), and read snapshots ([`View`]) for queries. Every
//! write is a single redb transaction: the events, their hash chain and every derived index are
//! committed together or not at all. A station's own write on a ledger file is made durable by
//! its [`journal`] (one synced record of its events, then a redb commit without a sync of its
//! own; a durable redb commit checkpoints the journal every so often); every other write
//! (sync imports, operators' PINs, the first `init`, a batch too big to journal) is a redb
//! commit with `Durability::Immediate`. Opening a ledger applies what the journal holds beyond
//! the durable head, so a crash or a power loss keeps every write that was acknowledged.
//!
//! A write that fails in storage (disk full, an I/O error) leaves redb's handle refusing every
//! later call, so the ledger drops it and opens the file again (redb repairs it to its last
//! commit), then reads back whether the commit landed: the caller is told exactly what the
//! ledger now holds ([`StoreError::Uncertain`] if it cannot be opened yet), and the till keeps
//! running once the disk is back. Tests open a ledger on
//! their own redb [`StorageBackend`] ([`Ledger::create_with_backend`]) to simulate crashes,
//! power loss and disk faults at every write.

use std::path::{Path, PathBuf};

use redb::{
    Database, Durability, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
    StorageBackend,
};

pub use self::journal::JournalDevice;
use self::journal::{FileDevice, Journal, Record};
use super::codec;
use super::scoped::{fault, ReadState, WriteState};
use super::tables;
use crate::domain::event::GENESIS_HASH;
use crate::domain::state::{
    AwardRecord, GoodsRecord, HouseholdRecord, PeriodTally, SaleRecord, State, StationMeta,
};
use crate::domain::time::Moment;
use crate::domain::{apply, decide_at, Command, DecideError, Event, Fault, Hash, Refusal};
use crate::i18n::Lang;

pub mod journal;
mod sync_commit;
pub(super) mod upgrade;
pub use sync_commit::{ForeignEvent, SyncCommit};
pub use upgrade::DERIVED_FORMAT;

/// redb's page cache: the default (1 GiB) is far too much for a 2 GB laptop.
pub const CACHE_BYTES: usize = 32 * 1024 * 1024;

/// At most this many commands in one batch (one CSV import).
pub const BATCH_COMMANDS_MAX: usize = 200_000;

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A rule refused the command; nothing was written.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// Command number `index` of a batch was refused; nothing of the batch was written.
    #[error("refused at item {index}: {refusal:?}")]
    BatchRefused { index: usize, refusal: Refusal },
    /// The till has the file open (or another till does).
    #[error("ledger is in use by another aixin")]
    InUse,
    /// No ledger file at the path.
    #[error("no ledger at {0}")]
    NotFound(PathBuf),
    /// A ledger already exists at the path.
    #[error("a ledger already exists at {0}")]
    AlreadyExists(PathBuf),
    /// A write was attempted on a read-only ledger.
    #[error("ledger is open read-only")]
    ReadOnly,
    /// The file needs the till to open it once (after an unclean shutdown).
    #[error("ledger needs repair")]
    NeedsRepair,
    /// The file's derived tables were written by an older aixin and must be rebuilt from the
    /// events, which only a read-write open (the till, any write command) does.
    #[error("ledger needs upgrade")]
    NeedsUpgrade,
    /// Disk, corruption or another storage failure; nothing was written.
    #[error("storage: {0}")]
    Storage(String),
    /// A commit failed in storage after it had begun to write, and the ledger could not be
    /// opened again to read whether it landed (the disk still refuses writes). The next write,
    /// or [`Ledger::recover`], opens it again; then the ledger holds the commit whole or not
    /// at all, and the caller must look before doing it again.
    #[error("storage, outcome unknown: {0}")]
    Uncertain(String),
    /// The journal beside the ledger file holds events that are not this file's chain (it was
    /// copied beside another copy of the ledger): nothing of it was applied, and the file was
    /// not opened.
    #[error("the journal does not belong to the ledger ({station} #{seq})")]
    ForeignJournal { station: String, seq: u64 },
    /// The file was not closed cleanly and its journal (the path) is missing: writes
    /// acknowledged since may be only there. Nothing was opened or changed.
    #[error("the ledger's journal is missing: {0}")]
    JournalMissing(PathBuf),
}

impl From<Fault> for StoreError {
    fn from(f: Fault) -> Self {
        StoreError::Storage(f.0)
    }
}

/// The system's error number at the end of a storage message ("… (os error 28)"), if any.
fn os_error_code(message: &str) -> Option<i32> {
    let rest = &message[message.rfind("os error ")? + "os error ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// A storage error for a village manager: what the disk said in their language, that the
/// ledger is unchanged, and the way out; the system's own text follows for whoever helps.
/// The error numbers are Linux's (`errno`): 28 no space, 5 input/output, 13 and 1 no
/// permission, 30 read-only file system.
fn storage_message(message: &str, lang: Lang) -> String {
    let (zh, en) = match os_error_code(message) {
        Some(28) => (
            "存储出错：磁盘已满，账本未改动：请删掉不用的文件腾出空间，再试一次",
            "storage error: the disk is full; the ledger is unchanged: free some space, then try again",
        ),
        Some(5) => (
            "存储出错：磁盘读写出错，账本未改动：请再试一次；若再出错，请把数据文件夹备份到U盘（aixin backup），并请人检查硬盘",
            "storage error: the disk reported a read/write error; the ledger is unchanged: try again, and if it happens again, back up the data folder to a USB stick (aixin backup) and have the disk checked",
        ),
        Some(13 | 1) => (
            "存储出错：没有权限读写数据文件夹，账本未改动：请用平时收银的账户运行，或请人检查数据文件夹的权限",
            "storage error: no permission to use the data folder; the ledger is unchanged: run aixin as the usual till user, or have the folder's permissions checked",
        ),
        Some(30) => (
            "存储出错：磁盘是只读的，账本未改动：请检查磁盘或U盘是否写保护，再试一次",
            "storage error: the disk is read-only; the ledger is unchanged: check that the disk or USB stick is not write-protected, then try again",
        ),
        _ => (
            "存储出错（磁盘满或文件损坏？），账本未改动：请运行 aixin verify 检查账本",
            "storage error (disk full or file damaged?); the ledger is unchanged: run aixin verify to check the ledger",
        ),
    };
    if lang == Lang::Zh {
        format!("{zh}（系统信息：{message}）")
    } else {
        format!("{en} (system: {message})")
    }
}

impl StoreError {
    /// Whether the disk refused access (no permission, or a read-only file system): a
    /// write-protected copy of a data folder, which can still be opened to read.
    pub fn is_permission(&self) -> bool {
        matches!(self, StoreError::Storage(m) if matches!(os_error_code(m), Some(1 | 13 | 30)))
    }

    /// A one-line message for a village manager.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            StoreError::Refused(r) => r.message(lang),
            StoreError::BatchRefused { index, refusal } => {
                if zh {
                    format!("第 {} 条被拒绝：{}（整批都未写入）", index + 1, refusal.message(lang))
                } else {
                    format!("item {} refused: {} (nothing of the batch was written)", index + 1, refusal.message(lang))
                }
            }
            StoreError::InUse => lang
                .pick(
                    "账本正被收银台打开；请在收银台里办理，或先关闭收银台再运行这条命令（监督员可在收银台里按 F9 查看）",
                    "the ledger is open in the till; do this in the till, or close the till first and run the command again (a monitor can review inside the till with F9)",
                )
                .into(),
            StoreError::NotFound(p) => {
                if zh {
                    format!("{} 没有账本；请先运行 aixin init", p.display())
                } else {
                    format!("no ledger at {}; run aixin init first", p.display())
                }
            }
            StoreError::AlreadyExists(p) => {
                if zh {
                    format!("{} 已经有账本了，不会覆盖", p.display())
                } else {
                    format!("a ledger already exists at {}; it was not overwritten", p.display())
                }
            }
            StoreError::ReadOnly => lang.pick(
                "账本是只读打开的，不能修改：监督模式只能查看；数据文件夹没有写权限时，请用平时收银的账户运行，或请人检查文件夹的权限",
                "the ledger is open read-only and nothing can be changed: monitor mode only looks; if the data folder cannot be written, run aixin as the usual till user or have the folder's permissions checked",
            ).into(),
            StoreError::NeedsRepair => lang
                .pick(
                    "账本上次没有正常关闭；请先正常打开一次收银台（aixin）再进入监督模式",
                    "the ledger was not closed cleanly; open the till (aixin) once before monitoring",
                )
                .into(),
            StoreError::NeedsUpgrade => lang
                .pick(
                    "账本是旧版本写的，需要升级：请先正常打开一次收银台（aixin）或运行 aixin verify，再进入监督模式",
                    "the ledger was written by an older aixin and needs an upgrade: open the till (aixin) or run aixin verify once before monitoring",
                )
                .into(),
            StoreError::Storage(m) => storage_message(m, lang),
            StoreError::ForeignJournal { station, seq } => {
                if zh {
                    format!("账本旁的 -journal 文件不属于这本账（{station} 第 {seq} 条对不上），账本未改动：请把这个 -journal 文件移出数据文件夹，再打开收银台")
                } else {
                    format!("the -journal file beside the ledger is not this ledger's ({station} #{seq} does not match); the ledger is unchanged: move that -journal file out of the data folder, then open the till again")
                }
            }
            StoreError::JournalMissing(p) => {
                if zh {
                    format!("账本上次没有正常关闭，旁边的 {} 却不见了：最近的几笔可能只记在那个文件里，账本未打开。请把原来的这个文件放回账本旁边再打开；实在找不到，就在那里新建一个同名的空文件再打开（那几笔会丢失，请按小票补录）", p.display())
                } else {
                    format!("the ledger was not closed cleanly and {} beside it is missing: the last writes may be only in that file; nothing was opened. Put that file back beside the ledger and open again; if it is truly lost, create an empty file of that name there and open again (those writes are lost: enter them again from the receipts)", p.display())
                }
            }
            StoreError::Uncertain(m) => {
                if zh {
                    format!("存储出错（磁盘满或文件损坏？），还不知道这一笔是否已记账：腾出空间后先查看最近的记录，不要急着重做：{m}")
                } else {
                    format!("storage error (disk full or file damaged?) and it is not yet known whether this was recorded: free space, then look at the latest records before doing it again: {m}")
                }
            }
        }
    }
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

fn open_error(e: redb::DatabaseError) -> StoreError {
    match e {
        redb::DatabaseError::DatabaseAlreadyOpen => StoreError::InUse,
        // A read-only open of a file that was not closed cleanly: only the till may repair it.
        redb::DatabaseError::RepairAborted => StoreError::NeedsRepair,
        other => StoreError::Storage(other.to_string()),
    }
}

enum Db {
    ReadWrite(Database),
    ReadOnly(ReadOnlyDatabase),
    /// A write failed and the file could not be opened again (the message says why); the next
    /// write tries again.
    Closed(String),
}

/// Opens the database of a ledger on a caller's storage backend again.
type Reopen = Box<dyn Fn() -> Result<Database, redb::DatabaseError> + Send + Sync>;

/// Where the ledger's bytes are, so that it can open them again after a failed write.
enum Source {
    /// The file at [`Ledger::path`].
    File,
    /// A storage backend given by the caller.
    Backend(Reopen),
}

/// An open ledger file.
pub struct Ledger {
    db: Db,
    source: Source,
    path: PathBuf,
    station: String,
    /// The write-ahead journal of a read-write ledger; `None` read-only, or on a caller's
    /// backend given without one (every write is then a durable redb commit).
    journal: Option<Journal>,
    /// Whether this session has recorded in the file (durably, in its first write) that the
    /// journal may hold writes the file does not: until then every write is a durable commit.
    journal_marked: bool,
}

/// The key in the LOCAL table that says whether writes may be in the journal only: `dirty`
/// from a session's first write, `clean` after its clean close.
pub(super) const JOURNAL_STATE_KEY: &str = "journal_state";

/// The journal file of the ledger file at `ledger`: its name with `-journal` after it, in the
/// same folder (as SQLite names its own).
pub fn journal_path(ledger: &Path) -> PathBuf {
    let mut name = ledger.as_os_str().to_owned();
    name.push("-journal");
    PathBuf::from(name)
}

fn open_journal_file(ledger: &Path) -> Result<(Journal, Vec<Record>), StoreError> {
    let device = FileDevice::open(&journal_path(ledger)).map_err(storage)?;
    Journal::open(Box::new(device)).map_err(storage)
}

/// Stored form of one event: its hash, then its canonical bytes.
fn stored_event(hash: &Hash, bytes: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(32 + bytes.len());
    v.extend_from_slice(hash);
    v.extend_from_slice(bytes);
    v
}

/// Splits a stored event into its hash and decoded event.
pub fn parse_stored_event(stored: &[u8]) -> Result<(Hash, Event, &[u8]), Fault> {
    if stored.len() < 32 {
        return Err(Fault("stored event too short".into()));
    }
    let mut hash = [0u8; 32];
    hash.copy_from_slice(&stored[..32]);
    let bytes = &stored[32..];
    let event: Event = codec::decode(bytes).map_err(fault)?;
    Ok((hash, event, bytes))
}

impl Ledger {
    /// Creates a new, empty ledger file; refuses to overwrite one.
    pub fn create(path: &Path) -> Result<Ledger, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        let (mut journal, _) = open_journal_file(path)?;
        // A journal left beside a file that is gone belongs to no chain this ledger will hold.
        journal.clear().map_err(storage)?;
        let db = builder().create(path).map_err(open_error)?;
        Ledger::created(db, Source::File, path, Some(journal))
    }

    /// Creates a new, empty ledger on a storage backend (tests of crashes and disk faults); a
    /// clone of `backend` is opened again after a failed write, so clones must share its bytes.
    /// Refuses a backend that already holds data.
    pub fn create_with_backend<B: StorageBackend + Clone>(
        backend: B,
    ) -> Result<Ledger, StoreError> {
        if backend.len().map_err(storage)? > 0 {
            return Err(StoreError::AlreadyExists(PathBuf::new()));
        }
        let db = builder()
            .create_with_backend(backend.clone())
            .map_err(open_error)?;
        Ledger::created(db, backend_source(backend), Path::new(""), None)
    }

    /// Creates a new, empty ledger on a storage backend with its journal on another (tests of
    /// crashes and disk faults across both; the bench, counting what each writes). The
    /// journal is emptied first.
    pub fn create_with_journal<B: StorageBackend + Clone, J: JournalDevice>(
        backend: B,
        journal: J,
    ) -> Result<Ledger, StoreError> {
        if backend.len().map_err(storage)? > 0 {
            return Err(StoreError::AlreadyExists(PathBuf::new()));
        }
        let (mut journal, _) = Journal::open(Box::new(journal)).map_err(storage)?;
        journal.clear().map_err(storage)?;
        let db = builder()
            .create_with_backend(backend.clone())
            .map_err(open_error)?;
        Ledger::created(db, backend_source(backend), Path::new(""), Some(journal))
    }

    fn created(
        db: Database,
        source: Source,
        path: &Path,
        journal: Option<Journal>,
    ) -> Result<Ledger, StoreError> {
        let txn = db.begin_write().map_err(storage)?;
        {
            txn.open_table(tables::EVENTS).map_err(storage)?;
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            upgrade::record_format(&mut local)?;
            txn.open_table(tables::PINS).map_err(storage)?;
            WriteState::create_tables(&txn)?;
        }
        txn.commit().map_err(storage)?;
        Ok(Ledger {
            db: Db::ReadWrite(db),
            source,
            path: path.to_path_buf(),
            station: String::new(),
            journal,
            journal_marked: false,
        })
    }

    /// Opens an existing ledger for the till (read-write, exclusive).
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let journal_existed = journal_path(path).exists();
        let db = builder().open(path).map_err(open_error)?;
        if !journal_existed && journal_state(&db)? == Some(JournalState::Dirty) {
            // Writes acknowledged since the file's last clean close may be only in the
            // journal: opening without it would lose them and give their numbers again.
            return Err(StoreError::JournalMissing(journal_path(path)));
        }
        let (journal, records) = open_journal_file(path)?;
        Ledger::opened(db, Source::File, path, Some((journal, records)))
    }

    /// Opens the ledger held by a storage backend, read-write (tests reopening the image a
    /// simulated crash left). As with [`Ledger::create_with_backend`], clones must share bytes.
    pub fn open_with_backend<B: StorageBackend + Clone>(backend: B) -> Result<Ledger, StoreError> {
        if backend.len().map_err(storage)? == 0 {
            return Err(StoreError::NotFound(PathBuf::new()));
        }
        let db = builder()
            .create_with_backend(backend.clone())
            .map_err(open_error)?;
        Ledger::opened(db, backend_source(backend), Path::new(""), None)
    }

    /// Opens the ledger held by a storage backend with its journal on another, read-write,
    /// applying what the journal holds beyond the durable head (tests reopening the images a
    /// simulated crash left on both).
    pub fn open_with_journal<B: StorageBackend + Clone, J: JournalDevice>(
        backend: B,
        journal: J,
    ) -> Result<Ledger, StoreError> {
        if backend.len().map_err(storage)? == 0 {
            return Err(StoreError::NotFound(PathBuf::new()));
        }
        let journal = Journal::open(Box::new(journal)).map_err(storage)?;
        let db = builder()
            .create_with_backend(backend.clone())
            .map_err(open_error)?;
        Ledger::opened(db, backend_source(backend), Path::new(""), Some(journal))
    }

    fn opened(
        db: Database,
        source: Source,
        path: &Path,
        journal: Option<(Journal, Vec<Record>)>,
    ) -> Result<Ledger, StoreError> {
        let (journal, records) = match journal {
            Some((journal, records)) => (Some(journal), records),
            None => (None, Vec::new()),
        };
        let mut ledger = Ledger {
            db: Db::ReadWrite(db),
            source,
            path: path.to_path_buf(),
            station: String::new(),
            journal,
            journal_marked: false,
        };
        ledger.station = ledger.read_own_station()?;
        if ledger.read_format()? != DERIVED_FORMAT {
            ledger.rebuild_derived()?;
        }
        ledger.replay_journal(&records, true)?;
        Ok(ledger)
    }

    /// Opens an existing ledger for the monitor: no write path exists on it.
    pub fn open_read_only(path: &Path) -> Result<Ledger, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let db = builder().open_read_only(path).map_err(open_error)?;
        let mut ledger = Ledger {
            db: Db::ReadOnly(db),
            source: Source::File,
            path: path.to_path_buf(),
            station: String::new(),
            journal: None,
            journal_marked: false,
        };
        ledger.station = ledger.read_own_station()?;
        if ledger.read_format()? != DERIVED_FORMAT {
            return Err(StoreError::NeedsUpgrade);
        }
        // Writes the journal holds beyond the durable head are only applied by a read-write
        // open; without them this view would be behind what the till showed.
        if let Ok(bytes) = std::fs::read(journal_path(path)) {
            let (records, _) = journal::parse(&bytes);
            if ledger.journal_is_ahead(&records)? {
                return Err(StoreError::NeedsRepair);
            }
        }
        Ok(ledger)
    }

    /// Whether any journaled event is after its station's head in the file. Every open asks
    /// (after a clean close the journal still holds up to a checkpoint's worth of records, all
    /// at or before the head), so each station's head is read once and only each record's
    /// last event, the highest of its chain, is decoded.
    fn journal_is_ahead(&self, records: &[Record]) -> Result<bool, StoreError> {
        let mut heads: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for record in records {
            let Some(last) = record.events.last() else {
                continue;
            };
            let head = match heads.get(record.station.as_str()) {
                Some(head) => *head,
                None => {
                    let head = self
                        .view_of(&record.station)?
                        .meta()?
                        .map_or(0, |m| m.head_seq);
                    heads.insert(&record.station, head);
                    head
                }
            };
            if parse_stored_event(last)?.1.seq > head {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Applies, in one transaction, every journaled event after its station's head (those at
    /// or before it are in the file already), through the one `apply`, which refuses an event
    /// that does not follow the head. `durable` (on opening): the transaction is committed
    /// durably (saving the allocator state) and the journal starts again. Not durable (on
    /// opening again after a failed write): the commit writes nothing, so it works on a disk
    /// that is still full, and the records stay in the journal until the next durable commit.
    /// With nothing after the head (the usual case after a clean close) nothing is written, so
    /// a full disk does not stop a read-write open either.
    fn replay_journal(&mut self, records: &[Record], durable: bool) -> Result<(), StoreError> {
        if !self.journal_is_ahead(records)? {
            if let Some(journal) = self.journal.as_mut() {
                journal.checkpointed();
            }
            return Ok(());
        }
        let Db::ReadWrite(db) = &self.db else {
            return Ok(());
        };
        let mut txn = db.begin_write().map_err(storage)?;
        let durability = if durable {
            Durability::Immediate
        } else {
            Durability::None
        };
        txn.set_durability(durability).map_err(storage)?;
        txn.set_quick_repair(durable);
        {
            let mut state = WriteState::open(&txn, "")?;
            for record in records {
                state.set_station(&record.station);
                for stored in &record.events {
                    replay_event(&mut state, &record.station, stored)?;
                }
            }
        }
        txn.commit().map_err(storage)?;
        if let Some(journal) = self.journal.as_mut().filter(|_| durable) {
            journal.checkpointed();
        }
        Ok(())
    }

    /// Makes every write so far part of the ledger file with a durable redb commit, and starts
    /// the journal again.
    fn checkpoint(&mut self) -> Result<(), StoreError> {
        self.commit_durably(None)?;
        if let Some(journal) = self.journal.as_mut() {
            journal.checkpointed();
        }
        Ok(())
    }

    /// A durable redb commit of nothing but, if given, the journal's mark: it makes every
    /// commit before it part of the file. It saves the allocator state, so that opening after
    /// a crash need not walk the whole file.
    fn commit_durably(&self, mark: Option<JournalState>) -> Result<(), StoreError> {
        let Db::ReadWrite(db) = &self.db else {
            return Ok(());
        };
        let mut txn = db.begin_write().map_err(storage)?;
        txn.set_durability(Durability::Immediate).map_err(storage)?;
        txn.set_quick_repair(true);
        if let Some(mark) = mark {
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            local
                .insert(JOURNAL_STATE_KEY, mark.bytes())
                .map_err(storage)?;
        }
        txn.commit().map_err(storage)
    }

    fn read_own_station(&self) -> Result<String, StoreError> {
        let txn = self.begin_read()?;
        let local = txn.open_table(tables::LOCAL).map_err(storage)?;
        let station = local
            .get("own_station")
            .map_err(storage)?
            .map(|v| String::from_utf8_lossy(v.value()).into_owned())
            .unwrap_or_default();
        Ok(station)
    }

    /// A read transaction on the file (the store's own modules: PINs, snapshots).
    pub(super) fn read_txn(&self) -> Result<ReadTransaction, StoreError> {
        self.begin_read()
    }

    /// The database for a write outside the chain (the local tables), or the refusal of a
    /// read-only open.
    pub(super) fn write_db(&self) -> Result<&Database, StoreError> {
        match &self.db {
            Db::ReadWrite(db) => Ok(db),
            Db::ReadOnly(_) => Err(StoreError::ReadOnly),
            // A failed write closed it; the next chain write (or `recover`) opens it again.
            Db::Closed(message) => Err(StoreError::Storage(message.clone())),
        }
    }

    fn begin_read(&self) -> Result<ReadTransaction, StoreError> {
        match &self.db {
            Db::ReadWrite(db) => db.begin_read().map_err(storage),
            Db::ReadOnly(db) => db.begin_read().map_err(storage),
            Db::Closed(message) => Err(StoreError::Storage(message.clone())),
        }
    }

    /// Opens the ledger again if a failed write closed it and it could not be opened at once
    /// (the disk was still full); does nothing on an open ledger. Until then reads fail with
    /// the storage message; every write calls this first, and the till before each step.
    pub fn recover(&mut self) -> Result<(), StoreError> {
        match self.db {
            Db::Closed(_) => self.reopen(),
            Db::ReadWrite(_) | Db::ReadOnly(_) => Ok(()),
        }
    }

    /// The read-write database, opening it again first if a failed write closed it.
    fn writable(&mut self) -> Result<&Database, StoreError> {
        self.recover()?;
        match &self.db {
            Db::ReadWrite(db) => Ok(db),
            Db::ReadOnly(_) => Err(StoreError::ReadOnly),
            Db::Closed(message) => Err(StoreError::Storage(message.clone())),
        }
    }

    /// Drops the database handle and opens the ledger again. After a failed write redb refuses
    /// every call on the old handle ("close and re-open"); opening repairs the file to its last
    /// commit. If opening fails too (the disk is still full), the ledger stays closed and the
    /// next write tries again.
    fn reopen(&mut self) -> Result<(), StoreError> {
        if let Db::ReadOnly(_) = self.db {
            return Err(StoreError::ReadOnly);
        }
        // The old handle holds the file lock until it is dropped.
        self.db = Db::Closed(String::new());
        let opened = match &self.source {
            Source::File => builder().open(&self.path),
            Source::Backend(open) => open(),
        };
        match opened {
            Ok(db) => {
                self.db = Db::ReadWrite(db);
                // What the failed write may have left in the journal is read again: applied
                // if its record is whole, ignored if torn. The file may be behind the journal
                // (redb keeps no commit made without a sync once a write has failed): until
                // the journal is read and applied the ledger stays closed, or it would show a
                // ledger without acknowledged writes and give their numbers to new ones. The
                // records are made durable first: they are applied without a sync of the
                // ledger file, and the failed write's own record may not have been synced.
                let reread = match self.journal.as_mut() {
                    Some(journal) => journal
                        .reread()
                        .and_then(|records| journal.make_durable().map(|()| records))
                        .map_err(storage),
                    None => Ok(Vec::new()),
                };
                let replayed = reread.and_then(|records| self.replay_journal(&records, false));
                if let Err(e) = replayed {
                    self.db = Db::Closed(closed_message(&e));
                    return Err(e);
                }
                Ok(())
            }
            Err(e) => {
                let error = open_error(e);
                self.db = Db::Closed(closed_message(&error));
                Err(error)
            }
        }
    }

    /// After a write failed in storage: opens the ledger again and reads `station`'s head
    /// (`None` before init), so the caller can tell whether the commit landed (the header had
    /// reached the file before the failure).
    fn reopen_after_failure(&mut self, station: &str) -> Result<Option<(u64, Hash)>, StoreError> {
        self.reopen()?;
        let meta = self.view_of(station)?.meta()?;
        Ok(meta.map(|m| (m.head_seq, m.head_hash)))
    }

    /// The path of the ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This station's id (empty before `init`).
    pub fn station(&self) -> &str {
        &self.station
    }

    /// Checkpoints the journal every `records` records instead of
    /// [`journal::CHECKPOINT_RECORDS`] (crash tests); does nothing without a journal.
    pub fn set_checkpoint_records(&mut self, records: u32) {
        if let Some(journal) = self.journal.as_mut() {
            journal.set_checkpoint_records(records);
        }
    }

    /// Whether this handle can write.
    pub fn is_read_only(&self) -> bool {
        matches!(self.db, Db::ReadOnly(_))
    }

    /// Decides and commits one command at `now_ms`, nobody having confirmed the date; returns
    /// the events written.
    pub fn execute(
        &mut self,
        operator: &str,
        now_ms: i64,
        command: &Command,
    ) -> Result<Vec<Event>, StoreError> {
        self.execute_at(operator, &Moment::at(now_ms), command)
    }

    /// Decides and commits one command at `moment` (which may carry the date the manager
    /// confirmed); returns the events written.
    pub fn execute_at(
        &mut self,
        operator: &str,
        moment: &Moment,
        command: &Command,
    ) -> Result<Vec<Event>, StoreError> {
        self.execute_batch_at(operator, moment, std::slice::from_ref(command))
            .map_err(|e| match e {
                StoreError::BatchRefused { refusal, .. } => StoreError::Refused(refusal),
                other => other,
            })
    }

    /// Decides and commits a batch of commands at `now_ms` in one transaction: see
    /// [`Ledger::execute_batch_at`].
    pub fn execute_batch(
        &mut self,
        operator: &str,
        now_ms: i64,
        commands: &[Command],
    ) -> Result<Vec<Event>, StoreError> {
        self.execute_batch_at(operator, &Moment::at(now_ms), commands)
    }

    /// Decides and commits a batch of commands in one transaction: if any is refused, none is
    /// written and the error names its index. This is the one write path of the station's own
    /// events; a sync import decides its implied commands through the same [`decide_append`].
    pub fn execute_batch_at(
        &mut self,
        operator: &str,
        moment: &Moment,
        commands: &[Command],
    ) -> Result<Vec<Event>, StoreError> {
        if commands.len() > BATCH_COMMANDS_MAX {
            return Err(StoreError::BatchRefused {
                index: BATCH_COMMANDS_MAX,
                refusal: Refusal::TooLong("batch"),
            });
        }
        let mut station = self.station.clone();
        let attempt = self.write_batch(&mut station, operator, moment, commands);
        let written = match attempt {
            Ok(written) => written,
            Err(Failed::Staging(StoreError::Storage(message))) => {
                // Nothing was committed; the handle is reopened now or by the next write.
                let _ = self.reopen();
                return Err(StoreError::Storage(message));
            }
            Err(Failed::Staging(error)) => return Err(error),
            Err(Failed::Commit(error, written)) => match self.reopen_after_failure(&station) {
                Ok(head) if landed(head, &written) => written,
                Ok(_) => return Err(error),
                Err(_) => return Err(uncertain(error)),
            },
        };
        self.station = station;
        Ok(written)
    }

    /// Decides, appends and commits a batch in one transaction; `station` becomes the station
    /// an `Init` in the batch names.
    fn write_batch(
        &mut self,
        station: &mut String,
        operator: &str,
        moment: &Moment,
        commands: &[Command],
    ) -> Result<Vec<Event>, Failed> {
        self.recover().map_err(Failed::Staging)?;
        let journalable = !station.is_empty()
            && !commands.iter().any(super::pins::writes_pins)
            && !commands.iter().any(|c| matches!(c, Command::Init { .. }));
        let journaled = journalable && self.journal_marked;
        // A session's first write is a durable commit that also marks the file: from now on
        // the journal may hold writes the file does not.
        let mark_dirty = self.journal.is_some() && !self.journal_marked;
        let Db::ReadWrite(db) = &self.db else {
            return Err(Failed::Staging(StoreError::ReadOnly));
        };
        let beside_journal = self.journal.is_some();
        let staged = stage_batch(
            db,
            station,
            operator,
            moment,
            commands,
            Durable {
                journaled: journaled && beside_journal,
                beside_journal,
                mark_dirty,
            },
        );
        let (txn, written, record) = staged.map_err(Failed::Staging)?;
        if let (Some(record), Some(journal)) = (record, self.journal.as_mut()) {
            // The record is written and the disk starts writing it; redb commits without a
            // sync of its own while it does (its CPU work overlaps the disk's); the write is
            // acknowledged once the record's sync returns. A failure anywhere reopens the
            // ledger, which reads the journal to tell whether the record is there: redb drops
            // every commit made without a sync when it opens the file again.
            let pending = match journal.write(&record) {
                Ok(pending) => pending,
                Err(e) => {
                    drop(txn);
                    return Err(Failed::Commit(storage(e), written));
                }
            };
            if let Err(e) = txn.commit() {
                return Err(Failed::Commit(storage(e), written));
            }
            if let Err(e) = journal.sync(pending) {
                return Err(Failed::Commit(storage(e), written));
            }
            if journal.wants_checkpoint() && self.checkpoint().is_err() {
                // The write is safe in the journal; the handle is opened again (which
                // applies the journal) now or by the next write.
                let _ = self.reopen();
            }
            return Ok(written);
        }
        match txn.commit() {
            Ok(()) => {
                // A durable commit: everything journaled before it is in the file now.
                if let Some(journal) = self.journal.as_mut() {
                    journal.checkpointed();
                }
                self.journal_marked |= mark_dirty;
                Ok(written)
            }
            Err(e) => Err(Failed::Commit(storage(e), written)),
        }
    }

    /// A consistent read snapshot of this station's scope.
    pub fn view(&self) -> Result<View, StoreError> {
        self.view_of(&self.station)
    }

    /// A consistent read snapshot of any station's scope (township).
    pub fn view_of(&self, station: &str) -> Result<View, StoreError> {
        let txn = self.begin_read()?;
        let state = ReadState::open(&txn, station)?;
        Ok(View {
            txn,
            state,
            station: station.to_string(),
        })
    }
}

/// How a staged batch is to be made durable (see [`stage_batch`]).
#[derive(Clone, Copy, Debug)]
struct Durable {
    /// By the journal: the batch's record is returned and the transaction does not sync.
    journaled: bool,
    /// The ledger has a journal: a durable commit also saves redb's allocator state.
    beside_journal: bool,
    /// The session's first write: it marks the file `dirty` (see [`JOURNAL_STATE_KEY`]).
    mark_dirty: bool,
}

/// Opens a write transaction and decides and appends `commands` in it, uncommitted.
///
/// `how.journaled`: the transaction is to be committed without a sync, after the returned
/// journal record of its events (collected as each command's events are encoded) is synced;
/// `None` if it wrote no event or the events are too big for a record, and the transaction is
/// then a durable commit. `how.beside_journal`: the ledger has a journal, so a durable commit
/// also saves redb's allocator state. `how.mark_dirty`: a durable commit also marks the file.
fn stage_batch(
    db: &Database,
    station: &mut String,
    operator: &str,
    moment: &Moment,
    commands: &[Command],
    how: Durable,
) -> Result<(redb::WriteTransaction, Vec<Event>, Option<Record>), StoreError> {
    let Durable {
        journaled,
        beside_journal,
        mark_dirty,
    } = how;
    let mut txn = db.begin_write().map_err(storage)?;
    let mut written = Vec::new();
    let own_before = station.clone();
    // The stored events of the batch, for its journal record.
    let mut events: Vec<Vec<u8>> = Vec::new();
    let mut record_bytes = 0usize;
    {
        let mut state = WriteState::open(&txn, station)?;
        // Opened only for a batch that writes a PIN: a sale never touches the table.
        let mut pins = if commands.iter().any(super::pins::writes_pins) {
            Some(txn.open_table(tables::PINS).map_err(storage)?)
        } else {
            None
        };
        for (index, command) in commands.iter().enumerate() {
            if let Command::Init { station_id, .. } = command {
                if station.is_empty() {
                    *station = station_id.clone();
                    state.set_station(station);
                }
            }
            let mut collect = |encoded: &[Encoded]| -> Result<(), Fault> {
                for one in encoded {
                    record_bytes += one.stored.len();
                    if journaled && record_bytes <= journal::RECORD_BYTES_MAX {
                        events.push(one.stored.clone());
                    }
                }
                Ok(())
            };
            let decided = decide_append(
                &mut state,
                station,
                operator,
                moment,
                command,
                Some(&mut collect),
            );
            let decided = decided.map_err(|e| match e {
                DecideError::Refused(refusal) => StoreError::BatchRefused { index, refusal },
                DecideError::Fault(f) => StoreError::from(f),
            })?;
            if let Some(pins) = pins.as_mut() {
                super::pins::store_pin_of(pins, command)?;
            }
            written.extend(decided);
        }
    }
    let record = (journaled && !events.is_empty() && record_bytes <= journal::RECORD_BYTES_MAX)
        .then(|| Record {
            station: station.clone(),
            events,
        });
    if record.is_some() {
        txn.set_durability(Durability::None).map_err(storage)?;
    } else {
        // Nothing journaled (or too big for a record): an ordinary durable commit. Beside a
        // journal durable commits are rare, so each also saves the allocator state (a second
        // sync), and opening after a crash need not walk the file; without one every write is
        // a durable commit and keeps redb's single sync.
        txn.set_durability(Durability::Immediate).map_err(storage)?;
        txn.set_quick_repair(beside_journal);
    }
    if *station != own_before || (mark_dirty && record.is_none()) {
        let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
        if *station != own_before {
            local
                .insert("own_station", station.as_bytes())
                .map_err(storage)?;
        }
        if mark_dirty && record.is_none() {
            local
                .insert(JOURNAL_STATE_KEY, JournalState::Dirty.bytes())
                .map_err(storage)?;
        }
    }
    Ok((txn, written, record))
}

/// Applies one journaled event of `station` that is not yet in the file (skipping one that
/// is): its hash is checked against its bytes, it is stored, and `apply` checks that it
/// follows the head.
fn replay_event(
    state: &mut WriteState<'_>,
    station: &str,
    stored: &[u8],
) -> Result<(), StoreError> {
    let (hash, event, bytes) = parse_stored_event(stored)?;
    if event.station_id != station {
        return Err(StoreError::Storage(format!(
            "the journal holds an event of {} under {station}",
            event.station_id
        )));
    }
    let (head, head_hash) = state
        .meta()?
        .map_or((0, GENESIS_HASH), |m| (m.head_seq, m.head_hash));
    if event.seq > head && (event.seq != head + 1 || event.prev_hash != head_hash) {
        return Err(foreign_journal(station, event.seq));
    }
    if event.seq <= head {
        // In the file already, unless the journal belongs to another copy of the chain.
        let kept = state.events.get((station, event.seq)).map_err(storage)?;
        if kept.is_some_and(|k| k.value().get(..32) == Some(hash.as_slice())) {
            return Ok(());
        }
        return Err(foreign_journal(station, event.seq));
    }
    if codec::hash_bytes(bytes) != hash {
        return Err(StoreError::Storage(format!(
            "journaled event {station} #{} does not match its hash",
            event.seq
        )));
    }
    store_apply(state, station, &event, &hash, stored)?;
    Ok(())
}

/// What the file says of its journal (see [`JOURNAL_STATE_KEY`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JournalState {
    /// Writes since the last clean close may be in the journal only.
    Dirty,
    /// Closed cleanly: everything journaled is in the file.
    Clean,
}

impl JournalState {
    fn bytes(self) -> &'static [u8] {
        match self {
            JournalState::Dirty => b"dirty",
            JournalState::Clean => b"clean",
        }
    }
}

/// What the file says of its journal; `None` for a file no journaled aixin has written.
fn journal_state(db: &Database) -> Result<Option<JournalState>, StoreError> {
    let txn = db.begin_read().map_err(storage)?;
    let local = match txn.open_table(tables::LOCAL) {
        Ok(local) => local,
        Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
        Err(e) => return Err(storage(e)),
    };
    let state = local.get(JOURNAL_STATE_KEY).map_err(storage)?;
    Ok(state.map(|v| {
        if v.value() == JournalState::Dirty.bytes() {
            JournalState::Dirty
        } else {
            JournalState::Clean
        }
    }))
}

impl Drop for Ledger {
    /// A clean close: one durable commit that makes every journaled write part of the file
    /// and marks it clean, so that the file alone is the whole ledger again. If it fails, the
    /// file stays marked and the journal is read at the next open.
    fn drop(&mut self) {
        if self.journal_marked {
            let _ = self.commit_durably(Some(JournalState::Clean));
        }
    }
}

/// The refusal of a journal whose events are not this file's chain (a journal copied beside
/// another copy of the ledger): nothing of it is applied.
fn foreign_journal(station: &str, seq: u64) -> StoreError {
    StoreError::ForeignJournal {
        station: station.to_string(),
        seq,
    }
}

/// The text a closed ledger keeps of why it closed: a storage error's own message (every later
/// use wraps it in `StoreError::Storage` again, which adds the "storage:" prefix once).
fn closed_message(error: &StoreError) -> String {
    match error {
        StoreError::Storage(message) => message.clone(),
        other => other.to_string(),
    }
}

/// How a write failed: before its commit (nothing can have landed), or in the commit, with
/// the events it was committing (they may have landed if the header reached the file).
enum Failed {
    Staging(StoreError),
    Commit(StoreError, Vec<Event>),
}

/// A failed commit whose outcome could not be read back.
fn uncertain(error: StoreError) -> StoreError {
    match error {
        StoreError::Storage(message) => StoreError::Uncertain(message),
        other => other,
    }
}

/// Whether a commit that reported a failure landed all the same: the head read after opening
/// the ledger again is the last event it wrote.
fn landed(head: Option<(u64, Hash)>, written: &[Event]) -> bool {
    let (Some((head_seq, head_hash)), Some(last)) = (head, written.last()) else {
        return false;
    };
    head_seq == last.seq && codec::encode_event(last).is_ok_and(|(_, hash)| hash == head_hash)
}

fn builder() -> redb::Builder {
    let mut builder = Database::builder();
    builder.set_cache_size(CACHE_BYTES);
    builder
}

fn backend_source<B: StorageBackend + Clone>(backend: B) -> Source {
    Source::Backend(Box::new(move || {
        builder().create_with_backend(backend.clone())
    }))
}

/// One event of a command, encoded and hashed, not yet stored or applied.
pub(super) struct Encoded {
    event: Event,
    hash: Hash,
    /// The events table's value: the hash, then the canonical bytes.
    stored: Vec<u8>,
}

/// Called with a command's encoded events after they are decided and before they are stored
/// and applied (the write path collects them for the journal record).
pub(super) type BeforeApply<'a> = &'a mut dyn FnMut(&[Encoded]) -> Result<(), Fault>;

/// Decides one command against the state of `station` and appends the events it yields,
/// inside the caller's transaction: the decide-and-append step of every write. The events
/// are chained to the head and encoded first (`before_apply` sees them), then each is stored
/// and applied in order.
pub(super) fn decide_append(
    state: &mut WriteState<'_>,
    station: &str,
    operator: &str,
    moment: &Moment,
    command: &Command,
    before_apply: Option<BeforeApply<'_>>,
) -> Result<Vec<Event>, DecideError> {
    let meta = state.meta()?;
    // Once the station has operators, only they write, each as their role allows.
    if let Some(meta) = &meta {
        crate::domain::operator::authorize(&meta.operators, operator, command)?;
    }
    let bodies = decide_at(state, command, moment)?;
    let (mut seq, mut prev_hash) = meta.map_or((0, GENESIS_HASH), |m| (m.head_seq, m.head_hash));
    let mut encoded = Vec::with_capacity(bodies.len());
    for body in bodies {
        seq += 1;
        let event = Event {
            station_id: station.to_string(),
            seq,
            operator: operator.to_string(),
            time_ms: moment.now_ms,
            prev_hash,
            body,
        };
        let (bytes, hash) = codec::encode_event(&event).map_err(fault)?;
        prev_hash = hash;
        encoded.push(Encoded {
            stored: stored_event(&hash, &bytes),
            event,
            hash,
        });
    }
    if let Some(hook) = before_apply {
        hook(&encoded)?;
    }
    let mut events = Vec::with_capacity(encoded.len());
    for one in encoded {
        store_apply(state, station, &one.event, &one.hash, &one.stored)?;
        events.push(one.event);
    }
    Ok(events)
}

/// Stores one event of this station under its seq and applies it, inside the caller's
/// transaction. The event is stored before it is applied: a sale's record is its event. The
/// key must be free (the pair of [`apply`]'s check that the event follows the head).
fn store_apply(
    state: &mut WriteState<'_>,
    station: &str,
    event: &Event,
    hash: &Hash,
    stored: &[u8],
) -> Result<(), Fault> {
    let previous = state.events.insert((station, event.seq), stored)?;
    if previous.is_some() {
        return Err(Fault(format!(
            "event {station} #{} is already in the ledger",
            event.seq
        )));
    }
    drop(previous);
    apply(state, event, hash)
}

/// A read snapshot of one station's scope: queries for the CLI, TUI, reports and monitor.
pub struct View {
    txn: ReadTransaction,
    state: ReadState,
    station: String,
}

impl View {
    /// The station this view reads.
    pub fn station(&self) -> &str {
        &self.station
    }

    /// The domain's read access (household, goods, award, sale…).
    pub fn state(&self) -> &dyn State {
        &self.state
    }

    /// The scoped tables behind [`View::state`], for the store's own checks (`verify`).
    pub(crate) fn read_state(&self) -> &ReadState {
        &self.state
    }

    /// The station's meta; `None` before init.
    pub fn meta(&self) -> Result<Option<StationMeta>, StoreError> {
        Ok(self.state.meta()?)
    }

    /// The meta, or the refusal that says to run init.
    pub fn require_meta(&self) -> Result<StationMeta, StoreError> {
        self.meta()?
            .ok_or(StoreError::Refused(Refusal::NotInitialized))
    }

    /// All households of the station, by id.
    pub fn households(&self) -> Result<Vec<HouseholdRecord>, StoreError> {
        let mut out = Vec::new();
        self.for_each_household(|h| {
            out.push(h);
            Ok(())
        })?;
        Ok(out)
    }

    /// Feeds the station's households to `f` one at a time, by id, without holding them all:
    /// the till keeps only what its lists show. Stops at the first error `f` returns.
    pub fn for_each_household(
        &self,
        mut f: impl FnMut(HouseholdRecord) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let s = self.station.as_str();
        for entry in self.state.households.range((s, "")..).map_err(storage)? {
            let (k, v) = entry.map_err(storage)?;
            if k.value().0 != s {
                break;
            }
            f(codec::decode(v.value()).map_err(storage)?)?;
        }
        Ok(())
    }

    /// Households whose head's name starts with `prefix`, at most `limit`.
    pub fn households_by_name(
        &self,
        prefix: &str,
        limit: usize,
    ) -> Result<Vec<HouseholdRecord>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        for entry in self.state.names.range((s, prefix, "")..).map_err(storage)? {
            let (k, _) = entry.map_err(storage)?;
            let (ks, name, id) = k.value();
            if ks != s || !name.starts_with(prefix) || out.len() >= limit {
                break;
            }
            if let Some(h) = self.state.household(id)? {
                out.push(h);
            }
        }
        Ok(out)
    }

    /// The household holding a card, with whether the card is still active.
    pub fn household_by_card(
        &self,
        card_no: &str,
    ) -> Result<Option<(HouseholdRecord, bool)>, StoreError> {
        let Some(entry) = self.state.card(card_no)? else {
            return Ok(None);
        };
        Ok(self
            .state
            .household(&entry.household_id)?
            .map(|h| (h, entry.active)))
    }

    /// All catalog items, by id.
    pub fn goods(&self) -> Result<Vec<GoodsRecord>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        for entry in self.state.goods.range((s, "")..).map_err(storage)? {
            let (k, v) = entry.map_err(storage)?;
            if k.value().0 != s {
                break;
            }
            out.push(codec::decode(v.value()).map_err(storage)?);
        }
        Ok(out)
    }

    /// A catalog item by barcode.
    pub fn goods_by_barcode(&self, barcode: &str) -> Result<Option<GoodsRecord>, StoreError> {
        match self.state.barcode(barcode)? {
            Some(id) => Ok(self.state.goods(&id)?),
            None => Ok(None),
        }
    }

    /// All awards, by seq.
    pub fn awards(&self) -> Result<Vec<AwardRecord>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        for entry in self
            .state
            .awards
            .range((s, 0u64)..=(s, u64::MAX))
            .map_err(storage)?
        {
            let (_, v) = entry.map_err(storage)?;
            out.push(codec::decode(v.value()).map_err(storage)?);
        }
        Ok(out)
    }

    /// All sales, by seq: the station's `Redeemed` events with their void marks.
    pub fn sales(&self) -> Result<Vec<SaleRecord>, StoreError> {
        self.sales_in(u64::MAX, false)
    }

    /// The latest `limit` sales, newest first (the void screen, a household's history).
    pub fn recent_sales(&self, limit: usize) -> Result<Vec<SaleRecord>, StoreError> {
        self.sales_in(limit as u64, true)
    }

    fn sales_in(&self, limit: u64, newest_first: bool) -> Result<Vec<SaleRecord>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        let range = self
            .state
            .events
            .range((s, 0u64)..=(s, u64::MAX))
            .map_err(storage)?;
        let mut visit = |stored: &[u8], seq: u64| -> Result<bool, StoreError> {
            let voided = self.state.voided.get((s, seq)).map_err(storage)?.is_some();
            let split = |seq| self.state.split(seq);
            if let Some(sale) = super::scoped::sale_from_event(stored, voided, split)? {
                out.push(sale);
            }
            Ok((out.len() as u64) < limit)
        };
        if newest_first {
            for entry in range.rev() {
                let (k, v) = entry.map_err(storage)?;
                if !visit(v.value(), k.value().1)? {
                    break;
                }
            }
        } else {
            for entry in range {
                let (k, v) = entry.map_err(storage)?;
                if !visit(v.value(), k.value().1)? {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Every household's tally for a period.
    pub fn period_tallies(&self, period: &str) -> Result<Vec<(String, PeriodTally)>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        for entry in self
            .state
            .tallies
            .range((s, period, "")..)
            .map_err(storage)?
        {
            let (k, v) = entry.map_err(storage)?;
            let (ks, kp, id) = k.value();
            if ks != s || kp != period {
                break;
            }
            out.push((id.to_string(), codec::decode(v.value()).map_err(storage)?));
        }
        Ok(out)
    }

    /// Events of this station with seq in `[from, to]`, with their stored hashes.
    pub fn events(&self, from: u64, to: u64) -> Result<Vec<(Event, Hash)>, StoreError> {
        let s = self.station.as_str();
        let table = self.txn.open_table(tables::EVENTS).map_err(storage)?;
        let mut out = Vec::new();
        for entry in table.range((s, from)..=(s, to)).map_err(storage)? {
            let (_, v) = entry.map_err(storage)?;
            let (hash, event, _) = parse_stored_event(v.value())?;
            out.push((event, hash));
        }
        Ok(out)
    }

    /// Events of this station recorded on a China date (`YYYY-MM-DD`). The day's record holds
    /// the seq range; events in it dated another day (clock skew at midnight) are skipped.
    pub fn events_on(&self, date: &str) -> Result<Vec<Event>, StoreError> {
        let Some(day) = crate::domain::state::day_record(&self.state, date)? else {
            return Ok(Vec::new());
        };
        if day.first_seq == 0 {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (event, _) in self.events(day.first_seq, day.last_seq)? {
            if crate::domain::time::CivilDate::from_utc_ms(event.time_ms).to_string() == date {
                out.push(event);
            }
        }
        Ok(out)
    }

    /// Station ids that have a scope in this file (a township holds many).
    pub fn stations(&self) -> Result<Vec<String>, StoreError> {
        let mut out = Vec::new();
        for entry in self.state.meta.iter().map_err(storage)? {
            let (k, _) = entry.map_err(storage)?;
            if !k.value().is_empty() {
                out.push(k.value().to_string());
            }
        }
        Ok(out)
    }

    pub(crate) fn raw_txn(&self) -> &ReadTransaction {
        &self.txn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn io(code: i32) -> String {
        StoreError::Storage(std::io::Error::from_raw_os_error(code).to_string()).message(Lang::Zh)
    }

    #[test]
    fn a_storage_error_names_the_disk_s_trouble_and_the_way_out_in_chinese() {
        let full = io(28);
        assert!(
            full.starts_with("存储出错：磁盘已满，账本未改动：请删掉不用的文件腾出空间"),
            "{full}"
        );
        assert!(
            full.ends_with("（系统信息：No space left on device (os error 28)）"),
            "{full}"
        );
        assert!(io(5).starts_with("存储出错：磁盘读写出错，账本未改动：请再试一次"));
        assert!(io(13).starts_with("存储出错：没有权限读写数据文件夹"));
        assert!(io(30).starts_with("存储出错：磁盘是只读的"));
        let other = StoreError::Storage("table is corrupted".into()).message(Lang::Zh);
        assert!(
            other.starts_with("存储出错（磁盘满或文件损坏？），账本未改动：请运行 aixin verify"),
            "{other}"
        );
        let en = StoreError::Storage(std::io::Error::from_raw_os_error(28).to_string())
            .message(Lang::En);
        assert!(
            en.starts_with(
                "storage error: the disk is full; the ledger is unchanged: free some space"
            ),
            "{en}"
        );
        assert!(!full.contains('\n') && !en.contains('\n'));
    }

    #[test]
    fn the_error_number_is_read_from_the_end_of_the_system_s_text() {
        assert_eq!(
            os_error_code("write: Input/output error (os error 5)"),
            Some(5)
        );
        assert_eq!(os_error_code("storage: os error 28"), Some(28));
        assert_eq!(os_error_code("no number here"), None);
        assert_eq!(os_error_code("os error x"), None);
    }
}
