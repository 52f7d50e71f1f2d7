//! The store's side of a sync import, kept beside the one write path it mirrors: one
//! transaction that appends another station's verified events to that station's scope, decides
//! and appends this station's own commands implied by them (a township's shipment becomes this
//! village's stock receipt), and records sync bookkeeping — all committed together or not at
//! all. Also the read queries sync needs: raw stored events for export, the roster and the
//! per-peer bookkeeping records.

use redb::{Database, Durability, WriteTransaction};

use super::{decide_append, storage, stored_event, Ledger, StoreError, View};
use crate::domain::roster::RosterEntry;
use crate::domain::time::Moment;
use crate::domain::{apply, Command, DecideError, Event, Hash, Refusal};
use crate::store::codec;
use crate::store::scoped::WriteState;
use crate::store::tables;

/// Another station's event, verified by the importer: its canonical bytes and their hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignEvent {
    /// The decoded event.
    pub event: Event,
    /// blake3 of `bytes`.
    pub hash: Hash,
    /// The event's canonical encoding, exactly as hashed.
    pub bytes: Vec<u8>,
}

/// What [`Ledger::commit_sync`] wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncCommit {
    /// Foreign events newly stored (already-held ones are skipped).
    pub foreign_appended: u64,
    /// This station's own events written for the implied commands.
    pub own_events: Vec<Event>,
    /// Implied commands that this station's rules refused, by index: skipped, not fatal.
    pub skipped: Vec<(usize, Refusal)>,
}

impl Ledger {
    /// One transaction for a sync import. Appends `foreign` (verified, in chain order) to their
    /// stations' scopes and applies them; then decides `own` commands against this station's
    /// state at `moment`, appending the accepted ones and reporting the refused ones; then
    /// stores `peer_records` (opaque sync bookkeeping bytes by peer id). A foreign event whose
    /// station and seq are already held is skipped: the importer has checked it is the same.
    /// A clock refusal of an own command aborts the whole import instead of skipping it: the
    /// foreign events would otherwise be held and the command never implied again, so the
    /// manager answers the clock question and imports again.
    pub fn commit_sync(
        &mut self,
        operator: &str,
        moment: &Moment,
        foreign: &[ForeignEvent],
        own: &[Command],
        peer_records: &[(String, Vec<u8>)],
    ) -> Result<SyncCommit, StoreError> {
        let own_station = self.station.clone();
        let db = self.writable()?;
        let staged = stage_sync(
            db,
            &own_station,
            operator,
            moment,
            foreign,
            own,
            peer_records,
        );
        let (txn, outcome) = match staged {
            Ok(staged) => staged,
            Err(StoreError::Storage(message)) => {
                // Nothing was committed; the handle is reopened now or by the next write.
                let _ = self.reopen();
                return Err(StoreError::Storage(message));
            }
            Err(error) => return Err(error),
        };
        let Err(error) = txn.commit() else {
            return Ok(outcome);
        };
        // The commit may have landed if its header reached the file: read back what it wrote.
        let landed = match self.reopen_after_failure(&own_station) {
            Err(_) => return Err(super::uncertain(storage(error))),
            Ok(head) if !outcome.own_events.is_empty() => super::landed(head, &outcome.own_events),
            Ok(_) => self.holds_sync(foreign, peer_records),
        };
        if landed {
            Ok(outcome)
        } else {
            Err(storage(error))
        }
    }

    /// Whether the ledger holds every foreign event and peer record of a sync commit.
    fn holds_sync(&self, foreign: &[ForeignEvent], peer_records: &[(String, Vec<u8>)]) -> bool {
        let holds_events = foreign.iter().all(|item| {
            let event = &item.event;
            self.view_of(&event.station_id)
                .and_then(|view| view.event_hash(event.seq))
                .is_ok_and(|hash| hash == Some(item.hash))
        });
        let holds_records = self.view().is_ok_and(|view| {
            peer_records
                .iter()
                .all(|(peer, bytes)| view.peer_record(peer).ok().flatten().as_ref() == Some(bytes))
        });
        holds_events && holds_records
    }

    /// Stores sync bookkeeping records (e.g. the time of the last export) in one transaction.
    pub fn put_peer_records(
        &mut self,
        peer_records: &[(String, Vec<u8>)],
    ) -> Result<(), StoreError> {
        self.commit_sync("", &Moment::at(0), &[], &[], peer_records)
            .map(|_| ())
    }
}

/// Opens a write transaction and stages a sync import in it, uncommitted: see
/// [`Ledger::commit_sync`].
fn stage_sync(
    db: &Database,
    own_station: &str,
    operator: &str,
    moment: &Moment,
    foreign: &[ForeignEvent],
    own: &[Command],
    peer_records: &[(String, Vec<u8>)],
) -> Result<(WriteTransaction, SyncCommit), StoreError> {
    let mut txn = db.begin_write().map_err(storage)?;
    txn.set_durability(Durability::Immediate).map_err(storage)?;
    let mut outcome = SyncCommit::default();
    {
        let mut state = WriteState::open(&txn, "")?;
        for item in foreign {
            let event = &item.event;
            if event.station_id == own_station || codec::hash_bytes(&item.bytes) != item.hash {
                return Err(StoreError::Storage(format!(
                    "foreign event {} #{} is not verified",
                    event.station_id, event.seq
                )));
            }
            let key = (event.station_id.as_str(), event.seq);
            if state.events.get(key).map_err(storage)?.is_some() {
                continue;
            }
            state.set_station(&event.station_id);
            state
                .events
                .insert(key, stored_event(&item.hash, &item.bytes).as_slice())
                .map_err(storage)?;
            apply(&mut state, event, &item.hash)?;
            outcome.foreign_appended += 1;
        }
        state.set_station(own_station);
        for (index, command) in own.iter().enumerate() {
            match decide_append(&mut state, own_station, operator, moment, command, None) {
                Ok(events) => outcome.own_events.extend(events),
                Err(DecideError::Refused(refusal)) if refusal.is_clock() => {
                    return Err(StoreError::Refused(refusal));
                }
                Err(DecideError::Refused(refusal)) => outcome.skipped.push((index, refusal)),
                Err(DecideError::Fault(f)) => return Err(f.into()),
            }
        }
        let mut peers = txn.open_table(tables::SYNC_PEERS).map_err(storage)?;
        for (peer, bytes) in peer_records {
            peers
                .insert((own_station, peer.as_str()), bytes.as_slice())
                .map_err(storage)?;
        }
    }
    Ok((txn, outcome))
}

impl View {
    /// Stored events with seq in `[from, to]`, at most `limit`, as (hash, canonical bytes)
    /// without decoding them: what an export copies into a bundle.
    pub fn raw_events(
        &self,
        from: u64,
        to: u64,
        limit: u64,
    ) -> Result<Vec<(Hash, Vec<u8>)>, StoreError> {
        let s = self.station.as_str();
        let table = self.txn.open_table(tables::EVENTS).map_err(storage)?;
        let mut out = Vec::new();
        for entry in table.range((s, from)..=(s, to)).map_err(storage)? {
            if out.len() as u64 >= limit {
                break;
            }
            let (_, v) = entry.map_err(storage)?;
            let stored = v.value();
            if stored.len() < 32 {
                return Err(StoreError::Storage("stored event too short".into()));
            }
            let mut hash = [0u8; 32];
            hash.copy_from_slice(&stored[..32]);
            out.push((hash, stored[32..].to_vec()));
        }
        Ok(out)
    }

    /// The stored hash of this scope's event `seq`, if held.
    pub fn event_hash(&self, seq: u64) -> Result<Option<Hash>, StoreError> {
        Ok(self
            .raw_events(seq, seq, 1)?
            .into_iter()
            .next()
            .map(|(hash, _)| hash))
    }

    /// Every station on this scope's roster, by id.
    pub fn roster(&self) -> Result<Vec<RosterEntry>, StoreError> {
        let s = self.station.as_str();
        let mut out = Vec::new();
        for entry in self.state.roster.range((s, "")..).map_err(storage)? {
            let (k, v) = entry.map_err(storage)?;
            if k.value().0 != s {
                break;
            }
            out.push(codec::decode(v.value()).map_err(storage)?);
        }
        Ok(out)
    }

    /// This scope's sync bookkeeping record for one peer (bytes owned by `sync`).
    pub fn peer_record(&self, peer: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let table = match self.txn.open_table(tables::SYNC_PEERS) {
            Ok(t) => t,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(e) => return Err(storage(e)),
        };
        let value = table.get((self.station.as_str(), peer)).map_err(storage)?;
        Ok(value.map(|v| v.value().to_vec()))
    }
}
