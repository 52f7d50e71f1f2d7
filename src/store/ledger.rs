//! The ledger file: opening it (read-write for the till, read-only for the monitor), the one
//! write path ([`Ledger::execute_batch`]), and read snapshots ([`View`]) for queries. Every
//! write is a single redb transaction with `Durability::Immediate`: the events, their hash
//! chain and every derived index are committed together or not at all.

use std::path::{Path, PathBuf};

use redb::{
    Database, Durability, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, ReadableTable,
};

use super::codec;
use super::scoped::{fault, ReadState, WriteState};
use super::tables;
use crate::domain::event::GENESIS_HASH;
use crate::domain::state::{
    AwardRecord, GoodsRecord, HouseholdRecord, PeriodTally, SaleRecord, State, StationMeta,
};
use crate::domain::time::Moment;
use crate::domain::{
    apply, decide_at, Command, DecideError, Event, EventBody, Fault, Hash, Refusal,
};
use crate::i18n::Lang;

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
    /// Disk, corruption or another storage failure.
    #[error("storage: {0}")]
    Storage(String),
}

impl From<Fault> for StoreError {
    fn from(f: Fault) -> Self {
        StoreError::Storage(f.0)
    }
}

impl StoreError {
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
                    "账本正被收银台打开；请在收银台里按 F9 切换到监督模式，或先关闭收银台",
                    "the ledger is open in the till; switch to monitor mode inside the till (F9) or close the till first",
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
            StoreError::ReadOnly => lang.pick("监督模式只能查看，不能修改账本", "monitor mode is read-only; nothing can be changed").into(),
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
            StoreError::Storage(m) => {
                if zh {
                    format!("存储出错（磁盘满或文件损坏？），账本未改动：{m}")
                } else {
                    format!("storage error (disk full or file damaged?); the ledger is unchanged: {m}")
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
}

/// An open ledger file.
pub struct Ledger {
    db: Db,
    path: PathBuf,
    station: String,
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
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(open_error)?;
        Ledger::create_in(db, path)
    }

    /// Creates a new, empty ledger on any redb storage backend (which must be empty): a
    /// benchmark that counts the pages and syncs of each write, or a test that injects faults.
    /// `path` only names the ledger in messages.
    pub fn create_with_backend(
        backend: impl redb::StorageBackend,
        path: &Path,
    ) -> Result<Ledger, StoreError> {
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create_with_backend(backend)
            .map_err(open_error)?;
        Ledger::create_in(db, path)
    }

    fn create_in(db: Database, path: &Path) -> Result<Ledger, StoreError> {
        let txn = db.begin_write().map_err(storage)?;
        {
            txn.open_table(tables::EVENTS).map_err(storage)?;
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            upgrade::record_format(&mut local)?;
            txn.open_table(tables::PINS).map_err(storage)?;
            WriteState::open(&txn, "")?;
        }
        txn.commit().map_err(storage)?;
        Ok(Ledger {
            db: Db::ReadWrite(db),
            path: path.to_path_buf(),
            station: String::new(),
        })
    }

    /// Opens an existing ledger for the till (read-write, exclusive).
    pub fn open(path: &Path) -> Result<Ledger, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .open(path)
            .map_err(open_error)?;
        let mut ledger = Ledger {
            db: Db::ReadWrite(db),
            path: path.to_path_buf(),
            station: String::new(),
        };
        ledger.station = ledger.read_own_station()?;
        if ledger.read_format()? != DERIVED_FORMAT {
            ledger.rebuild_derived()?;
        }
        Ok(ledger)
    }

    /// Opens an existing ledger for the monitor: no write path exists on it.
    pub fn open_read_only(path: &Path) -> Result<Ledger, StoreError> {
        if !path.exists() {
            return Err(StoreError::NotFound(path.to_path_buf()));
        }
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .open_read_only(path)
            .map_err(open_error)?;
        let mut ledger = Ledger {
            db: Db::ReadOnly(db),
            path: path.to_path_buf(),
            station: String::new(),
        };
        ledger.station = ledger.read_own_station()?;
        if ledger.read_format()? != DERIVED_FORMAT {
            return Err(StoreError::NeedsUpgrade);
        }
        Ok(ledger)
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
        }
    }

    fn begin_read(&self) -> Result<ReadTransaction, StoreError> {
        match &self.db {
            Db::ReadWrite(db) => db.begin_read().map_err(storage),
            Db::ReadOnly(db) => db.begin_read().map_err(storage),
        }
    }

    /// The path of the ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This station's id (empty before `init`).
    pub fn station(&self) -> &str {
        &self.station
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
        let Db::ReadWrite(db) = &self.db else {
            return Err(StoreError::ReadOnly);
        };
        if commands.len() > BATCH_COMMANDS_MAX {
            return Err(StoreError::BatchRefused {
                index: BATCH_COMMANDS_MAX,
                refusal: Refusal::TooLong("batch"),
            });
        }
        let mut txn = db.begin_write().map_err(storage)?;
        txn.set_durability(Durability::Immediate).map_err(storage)?;
        let mut written = Vec::new();
        let mut station = self.station.clone();
        {
            let mut state = WriteState::open(&txn, &station)?;
            let mut pins = txn.open_table(tables::PINS).map_err(storage)?;
            for (index, command) in commands.iter().enumerate() {
                if let Command::Init { station_id, .. } = command {
                    if station.is_empty() {
                        station = station_id.clone();
                        state.set_station(&station);
                    }
                }
                let events = decide_append(&mut state, &station, operator, moment, command)
                    .map_err(|e| match e {
                        DecideError::Refused(refusal) => {
                            StoreError::BatchRefused { index, refusal }
                        }
                        DecideError::Fault(f) => StoreError::from(f),
                    })?;
                super::pins::store_pin_of(&mut pins, command)?;
                written.extend(events);
            }
        }
        if station != self.station {
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            local
                .insert("own_station", station.as_bytes())
                .map_err(storage)?;
        }
        txn.commit().map_err(storage)?;
        self.station = station;
        Ok(written)
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

/// Decides one command against the state of `station` and appends the events it yields,
/// inside the caller's transaction: the decide-and-append step of every write.
fn decide_append(
    state: &mut WriteState<'_>,
    station: &str,
    operator: &str,
    moment: &Moment,
    command: &Command,
) -> Result<Vec<Event>, DecideError> {
    // Once the station has operators, only they write, each as their role allows.
    if let Some(meta) = state.meta()? {
        crate::domain::operator::authorize(&meta.operators, operator, command)?;
    }
    let bodies = decide_at(state, command, moment)?;
    let mut events = Vec::with_capacity(bodies.len());
    for body in bodies {
        let event = append_one(state, station, operator, moment.now_ms, body)
            .map_err(|e| DecideError::Fault(Fault(e.to_string())))?;
        events.push(event);
    }
    Ok(events)
}

/// Appends one event of this station to its chain and applies it, inside the caller's
/// transaction. The event is stored before it is applied: a sale's record is its event. The
/// key must be free (the pair of [`apply`]'s check that the event follows the head).
fn append_one(
    state: &mut WriteState<'_>,
    station: &str,
    operator: &str,
    now_ms: i64,
    body: EventBody,
) -> Result<Event, StoreError> {
    let (seq, prev_hash) = match state.meta()? {
        Some(meta) => (meta.head_seq + 1, meta.head_hash),
        None => (1, GENESIS_HASH),
    };
    let event = Event {
        station_id: station.to_string(),
        seq,
        operator: operator.to_string(),
        time_ms: now_ms,
        prev_hash,
        body,
    };
    let (bytes, hash) = codec::encode_event(&event).map_err(storage)?;
    let previous = state
        .events
        .insert((station, seq), stored_event(&hash, &bytes).as_slice())
        .map_err(storage)?;
    if previous.is_some() {
        return Err(StoreError::Storage(format!(
            "event {station} #{seq} is already in the ledger"
        )));
    }
    drop(previous);
    apply(state, &event, &hash)?;
    Ok(event)
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
        let Some(day) = self.state.day(date)? else {
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
