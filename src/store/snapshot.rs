//! A consistent copy of a ledger file while it stays open: one redb read transaction (which
//! sees one committed state however long it runs, while the till keeps writing) copied table by
//! table into a fresh database file. redb 4 has no backup call of its own, and copying the
//! file's bytes while it is open is not safe, so this is the way its author recommends.
//!
//! Only the tables that are not derived are copied ([`KEPT_TABLES`]: the events, the local
//! settings, the sync bookkeeping, the operators' PINs); the copy carries no derived-format
//! mark, so the first read-write open of it (the backup's read-back check, or the restored
//! station) rebuilds every balance, lot and index from the events through the one `apply`.
//! The copy is smaller, and a derived table added later needs nothing here.

use std::path::Path;

use redb::{Database, ReadableTable, TableDefinition, TableError};

use super::ledger::upgrade::{FORMAT_KEY_NAME, KEPT_TABLES};
use super::ledger::{Ledger, StoreError, CACHE_BYTES, JOURNAL_STATE_KEY};
use super::scoped::ReadState;
use super::tables;
use crate::domain::{Hash, State};

/// The own station's head as the snapshot holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotHead {
    /// The station's id.
    pub station_id: String,
    /// Its last event's seq.
    pub head_seq: u64,
    /// Its last event's hash.
    pub head_hash: Hash,
    /// Events in the file, every station's (a township holds its villages').
    pub events: u64,
}

fn storage(e: impl std::fmt::Display) -> StoreError {
    StoreError::Storage(e.to_string())
}

impl Ledger {
    /// Copies this ledger's events and local tables, as one read transaction sees them, into a
    /// new file at `path` (which must not exist); returns the own station's head in the copy.
    pub fn snapshot_to(&self, path: &Path) -> Result<SnapshotHead, StoreError> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_path_buf()));
        }
        let source = self.read_txn()?;
        let station = self.station().to_string();
        let meta = ReadState::open(&source, &station)?
            .meta()?
            .ok_or(StoreError::Refused(crate::domain::Refusal::NotInitialized))?;
        let target = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(storage)?;
        let mut txn = target.begin_write().map_err(storage)?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(storage)?;
        let events;
        {
            events = copy(&source, &txn, tables::EVENTS, |_| true)?;
            // Not the derived format (the copy rebuilds), nor the journal's state: the copy is
            // whole without a journal.
            copy(&source, &txn, tables::LOCAL, |k| {
                k != FORMAT_KEY_NAME && k != JOURNAL_STATE_KEY
            })?;
            copy(&source, &txn, tables::SYNC_PEERS, |_| true)?;
            copy(&source, &txn, tables::PINS, |_| true)?;
        }
        txn.commit().map_err(storage)?;
        debug_assert_eq!(KEPT_TABLES.len(), 4, "every kept table is copied above");
        Ok(SnapshotHead {
            station_id: meta.station_id,
            head_seq: meta.head_seq,
            head_hash: meta.head_hash,
            events,
        })
    }
}

/// The LOCAL key holding when this station was last backed up (UTC ms, little-endian).
const LAST_BACKUP_KEY: &str = "last_backup_ms";

impl Ledger {
    /// When this station was last backed up (and the backup checked), UTC ms, if ever.
    pub fn last_backup_ms(&self) -> Result<Option<i64>, StoreError> {
        let txn = self.read_txn()?;
        let local = txn.open_table(tables::LOCAL).map_err(storage)?;
        let value = local.get(LAST_BACKUP_KEY).map_err(storage)?;
        Ok(value
            .and_then(|v| <[u8; 8]>::try_from(v.value()).ok())
            .map(i64::from_le_bytes))
    }

    /// Records that a checked backup was made at `now_ms` (the sync screen's reminder reads
    /// it). A write of the local table only; the chain is untouched.
    pub fn record_backup_ms(&self, now_ms: i64) -> Result<(), StoreError> {
        let db = self.write_db()?;
        let mut txn = db.begin_write().map_err(storage)?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(storage)?;
        {
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            local
                .insert(LAST_BACKUP_KEY, now_ms.to_le_bytes().as_slice())
                .map_err(storage)?;
        }
        txn.commit().map_err(storage)
    }
}

/// Copies the rows of one table that `keep` accepts (by key) into the same table of `target`;
/// a table the source never had is created empty. Returns the rows copied.
fn copy<K, V>(
    source: &redb::ReadTransaction,
    target: &redb::WriteTransaction,
    table: TableDefinition<K, V>,
    keep: impl Fn(K::SelfType<'_>) -> bool,
) -> Result<u64, StoreError>
where
    K: redb::Key + 'static,
    V: redb::Value + 'static,
    for<'a> K::SelfType<'a>: Copy,
{
    let mut out = target.open_table(table).map_err(storage)?;
    let from = match source.open_table(table) {
        Ok(t) => t,
        Err(TableError::TableDoesNotExist(_)) => return Ok(0),
        Err(e) => return Err(storage(e)),
    };
    let mut rows = 0u64;
    for entry in from.iter().map_err(storage)? {
        let (k, v) = entry.map_err(storage)?;
        let key = k.value();
        if !keep(key) {
            continue;
        }
        out.insert(key, v.value()).map_err(storage)?;
        rows += 1;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use redb::{ReadableDatabase, TableHandle};

    use super::*;
    use crate::domain::{Command, StationRole};

    #[test]
    fn a_snapshot_holds_the_kept_tables_and_rebuilds_the_rest() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut ledger =
            Ledger::create(&dir.path().join("a.redb")).unwrap_or_else(|e| panic!("{e}"));
        let policy = crate::policies::builtin("threshold-score")
            .and_then(Result::ok)
            .unwrap_or_else(|| panic!("policy"));
        let now = 1_795_224_600_000;
        ledger
            .execute(
                "王丽",
                now,
                &Command::Init {
                    station_id: "LJC01".into(),
                    name: "李家村".into(),
                    role: StationRole::Village,
                    policy,
                },
            )
            .unwrap_or_else(|e| panic!("{e}"));
        let copy_path = dir.path().join("copy.redb");
        let head = ledger
            .snapshot_to(&copy_path)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (head.station_id.as_str(), head.head_seq, head.events),
            ("LJC01", 1, 1)
        );
        assert!(matches!(
            ledger.snapshot_to(&copy_path),
            Err(StoreError::AlreadyExists(_))
        ));
        {
            let db = Database::open(&copy_path).unwrap_or_else(|e| panic!("{e}"));
            let txn = db.begin_read().unwrap_or_else(|e| panic!("{e}"));
            let mut names: Vec<String> = txn
                .list_tables()
                .unwrap_or_else(|e| panic!("{e}"))
                .map(|h| h.name().to_string())
                .collect();
            names.sort();
            let mut kept: Vec<String> = KEPT_TABLES.iter().map(|s| s.to_string()).collect();
            kept.sort();
            assert_eq!(names, kept, "only the kept tables, every one of them");
        }
        let reopened = Ledger::open(&copy_path).unwrap_or_else(|e| panic!("{e}"));
        let meta = reopened
            .view()
            .and_then(|v| v.require_meta())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((meta.head_seq, meta.head_hash), (1, head.head_hash));
    }
}
