//! Upgrading a ledger file whose derived tables an older aixin wrote. The events never change;
//! everything else in the file is derived from them. When the layout of the derived state
//! changes (lots, credit years and till sessions came in format 2, receipts and operators in
//! formats 3 and 4, each item's low-stock reminder in its goods record in format 5, score
//! sheets and itemised awards in format 6, each item's former names in format 7), a read-write open rebuilds every derived table by
//! replaying each station's events through the one `apply`, in one transaction: either the
//! whole file is upgraded or it is left as it was.
//! A read-only open (the monitor) cannot write, so it refuses with [`StoreError::NeedsUpgrade`].

use redb::{Table, TableHandle};

use super::{parse_stored_event, storage, Db, Ledger, StoreError};
use crate::domain::apply;
use crate::store::scoped::WriteState;
use crate::store::tables;

/// The layout of the derived tables this build writes. Files without the mark are format 1;
/// format 3 numbered receipts (main) or kept the station's operators in its meta (ops);
/// format 4 has both, so a ledger built by either format 3 is rebuilt; format 5 keeps each
/// item's low-stock reminder in its goods record; format 6 adds the score sheet to the
/// station's meta and the items to each award (paper); format 7 keeps each item's former names
/// in its goods record, so that receipts and the day log show the name as sold (goods); format
/// 8 keeps the latest calendar day's record in the station's meta instead of the days table;
/// format 9 indexes receipt codes a batch at a time (`scoped::CODE_BATCH_RECEIPTS`); format 10
/// keeps the latest receipts beside the meta (`scoped::OPEN_RECEIPTS`).
pub const DERIVED_FORMAT: u32 = 10;

const FORMAT_KEY: &str = "derived_format";

/// How many events are read per step of a rebuild: bounded memory on a 2 GB laptop.
const REPLAY_CHUNK_EVENTS: usize = 4096;

/// Records in the LOCAL table that the derived tables have this build's layout.
/// The tables that are not derived: the events, the file's local settings, the sync
/// bookkeeping and the operators' PINs. A backup copies exactly these; everything else is
/// rebuilt from the events.
pub const KEPT_TABLES: [&str; 4] = ["events", "local", "sync_peers", "operator_pins"];

/// The key of the derived-format mark in the LOCAL table (a snapshot leaves it out, so that
/// the restored file rebuilds its derived tables from the events).
pub const FORMAT_KEY_NAME: &str = FORMAT_KEY;

pub(super) fn record_format(local: &mut Table<'_, &str, &[u8]>) -> Result<(), StoreError> {
    local
        .insert(FORMAT_KEY, DERIVED_FORMAT.to_le_bytes().as_slice())
        .map_err(storage)?;
    Ok(())
}

/// The names of every derived table: everything in the file but the events, the file's local
/// settings and the sync bookkeeping.
const DERIVED_TABLES: [&str; 17] = [
    "meta",
    "households",
    "names",
    "cards",
    "goods",
    "barcodes",
    "awards",
    "voided",
    "tallies",
    "budget",
    "days",
    "sessions",
    "splits",
    "cleared",
    "roster",
    "receipts",
    "receipt_codes",
];

impl Ledger {
    /// The derived-state format recorded in the file (1 if unmarked).
    pub(super) fn read_format(&self) -> Result<u32, StoreError> {
        let txn = self.begin_read()?;
        let local = txn.open_table(tables::LOCAL).map_err(storage)?;
        let value = local.get(FORMAT_KEY).map_err(storage)?;
        Ok(value
            .and_then(|v| <[u8; 4]>::try_from(v.value()).ok())
            .map_or(1, u32::from_le_bytes))
    }

    /// Rebuilds every derived table from the events, in one transaction, and records the
    /// format. The events themselves are only read.
    pub(super) fn rebuild_derived(&mut self) -> Result<(), StoreError> {
        let Db::ReadWrite(db) = &self.db else {
            return Err(StoreError::NeedsUpgrade);
        };
        let mut txn = db.begin_write().map_err(storage)?;
        txn.set_durability(redb::Durability::Immediate)
            .map_err(storage)?;
        {
            let derived: Vec<_> = txn
                .list_tables()
                .map_err(storage)?
                .filter(|h| DERIVED_TABLES.contains(&h.name()))
                .collect();
            for handle in derived {
                txn.delete_table(handle).map_err(storage)?;
            }
            WriteState::create_tables(&txn)?;
            let mut state = WriteState::open(&txn, "")?;
            let mut next: Option<(String, u64)> = Some((String::new(), 0));
            while let Some((station, seq)) = next.take() {
                let mut chunk = Vec::with_capacity(REPLAY_CHUNK_EVENTS);
                for entry in state
                    .events
                    .range((station.as_str(), seq)..)
                    .map_err(storage)?
                {
                    let (k, v) = entry.map_err(storage)?;
                    let (s, q) = k.value();
                    if chunk.len() == REPLAY_CHUNK_EVENTS {
                        next = Some((s.to_string(), q));
                        break;
                    }
                    chunk.push(v.value().to_vec());
                }
                for stored in &chunk {
                    let (hash, event, _) = parse_stored_event(stored)?;
                    state.set_station(&event.station_id);
                    apply(&mut state, &event, &hash)?;
                }
            }
            let mut local = txn.open_table(tables::LOCAL).map_err(storage)?;
            record_format(&mut local)?;
        }
        txn.commit().map_err(storage)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_derived_list_names_every_table_but_events_local_and_sync() {
        let all = [
            tables::EVENTS.name(),
            tables::META.name(),
            tables::HOUSEHOLDS.name(),
            tables::NAMES.name(),
            tables::CARDS.name(),
            tables::GOODS.name(),
            tables::BARCODES.name(),
            tables::AWARDS.name(),
            tables::VOIDED.name(),
            tables::TALLIES.name(),
            tables::BUDGET.name(),
            tables::DAYS.name(),
            tables::SESSIONS.name(),
            tables::SPLITS.name(),
            tables::CLEARED.name(),
            tables::LOCAL.name(),
            tables::ROSTER.name(),
            tables::SYNC_PEERS.name(),
            tables::PINS.name(),
            tables::RECEIPTS.name(),
            tables::RECEIPT_CODES.name(),
        ];
        let kept = [
            tables::EVENTS.name(),
            tables::LOCAL.name(),
            tables::SYNC_PEERS.name(),
            tables::PINS.name(),
        ];
        assert_eq!(kept, KEPT_TABLES);
        let derived: Vec<&str> = all.into_iter().filter(|n| !kept.contains(n)).collect();
        assert_eq!(derived, DERIVED_TABLES.to_vec());
    }
}
