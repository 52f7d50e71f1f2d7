//! Export and import of bundles against a ledger, with no files involved: bytes in, bytes out.
//!
//! **Export** takes this station's events after what the recipient acknowledged, plus an
//! acknowledgement of the recipient's chain as held here, and seals them in one or more bundles.
//!
//! **Import** trusts nothing until it is checked, in this order: the container (size, layout,
//! the sender's enrolled key and signature), the header's meaning (a known sender of the right
//! role, this station as recipient, a key not revoked before the bundle was written), then
//! decryption, then the payload (counts, sequence numbers and every hash link against the
//! header), and only then the chain held here: the same events again are skipped (idempotent),
//! a bundle that builds on events not yet received is a [`ImportOutcome::Gap`] and changes
//! nothing, and a different event at a held sequence number is a [`SyncError::Fork`]. New
//! events are stored in the sender's scope in one transaction with the commands they imply
//! for this station (a village receives the township's shipments, catalog, policy and
//! household list as its own events, so its chain stays self-contained).

use std::collections::BTreeMap;

use super::bundle::{
    bundle_file_name, peek_header, verify_bundle, write_bundle, BundleError, BundleHeader,
    BundleKind, VerifiedBundle, BUNDLE_BYTES_MAX,
};
use super::error::SyncError;
use super::keys::StationKeys;
use super::payload::{
    decode_payload, encode_payload, ChainAck, EVENTS_PER_BUNDLE_MAX, PAYLOAD_BYTES_TARGET,
};
use super::peers::PeerSync;
use crate::domain::event::GENESIS_HASH;
use crate::domain::roster::RosterEntry;
use crate::domain::state::StationMeta;
use crate::domain::time::Moment;
use crate::domain::trust::revoked_for;
use crate::domain::{Command, Event, EventBody, Goods, Hash, Refusal, StationRole, StockSource};
use crate::store::codec;
use crate::store::ledger::{ForeignEvent, View};
use crate::store::Ledger;

/// One bundle ready to be written: its header, its bytes and its file name.
#[derive(Clone, Debug)]
pub struct OutBundle {
    /// The signed header.
    pub header: BundleHeader,
    /// The whole file.
    pub bytes: Vec<u8>,
    /// The FAT32-safe file name (`bundle_file_name`).
    pub file_name: String,
}

/// What an import did when it was not refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImportOutcome {
    /// New events were stored (and maybe this station's implied events written).
    Applied(Applied),
    /// Everything in the bundle was already held: nothing changed.
    NothingNew {
        /// The sender.
        sender: String,
        /// The sender's head held here.
        held_seq: u64,
    },
    /// The bundle builds on events not received yet: nothing changed; hold it until the gap
    /// is filled.
    Gap {
        /// The sender.
        sender: String,
        /// The sender's head held here.
        held_seq: u64,
        /// The bundle's first event.
        first_seq: u64,
    },
}

/// The details of an applied import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The sender.
    pub sender: String,
    /// The sender's events newly stored.
    pub new_events: u64,
    /// The sender's head held here after the import.
    pub held_seq: u64,
    /// This station's own events written because of them (stock received, goods defined…).
    pub own_events: Vec<Event>,
    /// Implied commands this station's rules refused, with the reason: shown, not hidden.
    pub skipped: Vec<(Command, Refusal)>,
    /// The peer acknowledged an event of ours that differs from ours at that number.
    pub ack_mismatch_seq: Option<u64>,
}

impl ImportOutcome {
    /// The sending station.
    pub fn sender(&self) -> &str {
        match self {
            ImportOutcome::Applied(a) => &a.sender,
            ImportOutcome::NothingNew { sender, .. } | ImportOutcome::Gap { sender, .. } => sender,
        }
    }
}

/// The role's counterpart: a township exchanges with villages and a village with its township.
fn peer_role(own: StationRole) -> StationRole {
    match own {
        StationRole::Village => StationRole::Township,
        StationRole::Township => StationRole::Village,
    }
}

fn bundle_kind(own: StationRole) -> BundleKind {
    match own {
        StationRole::Village => BundleKind::VillageEvents,
        StationRole::Township => BundleKind::TownshipReply,
    }
}

/// The stations a default export goes to: a village's one township, or every village of a
/// township (only stations with an unrevoked key); `recipient` narrows it to one.
pub fn export_recipients(
    view: &View,
    meta: &StationMeta,
    recipient: Option<&str>,
) -> Result<Vec<RosterEntry>, SyncError> {
    let wanted = peer_role(meta.role);
    let active: Vec<RosterEntry> = view
        .roster()?
        .into_iter()
        .filter(|e| e.role == wanted && e.is_active())
        .collect();
    if let Some(id) = recipient {
        return match active.into_iter().find(|e| e.station_id == id) {
            Some(entry) => Ok(vec![entry]),
            None => Err(SyncError::UnknownRecipient(id.to_string())),
        };
    }
    match (meta.role, active.len()) {
        (StationRole::Village, 0) => Err(SyncError::NoTownship),
        (StationRole::Village, 1) | (StationRole::Township, _) => Ok(active),
        (StationRole::Village, _) => Err(SyncError::AmbiguousRecipient),
    }
}

/// Builds the bundles for every default recipient (or the one named).
pub fn export_bundles(
    ledger: &Ledger,
    keys: &StationKeys,
    now_ms: i64,
    recipient: Option<&str>,
) -> Result<Vec<OutBundle>, SyncError> {
    let view = ledger.view()?;
    let meta = view.require_meta()?;
    let mut out = Vec::new();
    for entry in export_recipients(&view, &meta, recipient)? {
        out.extend(export_to(ledger, keys, now_ms, &entry)?);
    }
    Ok(out)
}

/// The point of this station's chain to export after: the peer's acknowledgement if it matches
/// this chain, else the very beginning (so the peer sees any fork).
fn export_start(
    view: &View,
    meta: &StationMeta,
    peer: &PeerSync,
) -> Result<(u64, Hash), SyncError> {
    if peer.ack_mismatch_seq.is_some() || peer.acked_seq == 0 || peer.acked_seq > meta.head_seq {
        return Ok((0, GENESIS_HASH));
    }
    match view.event_hash(peer.acked_seq)? {
        Some(hash) if hash == peer.acked_hash => Ok((peer.acked_seq, hash)),
        _ => Ok((0, GENESIS_HASH)),
    }
}

/// Builds the bundles for one recipient: this station's events it has not acknowledged (split
/// so that no bundle is too large; each builds on the one before), each carrying the
/// acknowledgement of the recipient's chain as held here. With nothing new, one empty bundle
/// still carries the acknowledgement.
pub fn export_to(
    ledger: &Ledger,
    keys: &StationKeys,
    now_ms: i64,
    recipient: &RosterEntry,
) -> Result<Vec<OutBundle>, SyncError> {
    let view = ledger.view()?;
    let meta = view.require_meta()?;
    let peer = PeerSync::load(&view, &recipient.station_id)?;
    let (from_seq, from_hash) = export_start(&view, &meta, &peer)?;
    export_range(
        ledger,
        keys,
        now_ms,
        recipient,
        from_seq,
        from_hash,
        meta.head_seq,
    )
}

/// Builds bundles for the events `from_seq + 1 ..= to_seq` of this station (`from_hash` is the
/// hash of event `from_seq`). Used by [`export_to`] and by tests that need a particular range.
pub fn export_range(
    ledger: &Ledger,
    keys: &StationKeys,
    now_ms: i64,
    recipient: &RosterEntry,
    from_seq: u64,
    from_hash: Hash,
    to_seq: u64,
) -> Result<Vec<OutBundle>, SyncError> {
    let view = ledger.view()?;
    let meta = view.require_meta()?;
    let key = recipient
        .active_key()
        .ok_or_else(|| SyncError::UnknownRecipient(recipient.station_id.clone()))?;
    let held = ledger.view_of(&recipient.station_id)?.meta()?;
    let ack = Some(ChainAck {
        station_id: recipient.station_id.clone(),
        seq: held.as_ref().map_or(0, |m| m.head_seq),
        hash: held.as_ref().map_or(GENESIS_HASH, |m| m.head_hash),
    });
    let mut bundles = Vec::new();
    let mut prev_seq = from_seq;
    let mut prev_hash = from_hash;
    loop {
        let chunk = next_chunk(&view, prev_seq + 1, to_seq)?;
        let header = BundleHeader {
            sender: meta.station_id.clone(),
            recipient: recipient.station_id.clone(),
            first_seq: prev_seq + 1,
            last_seq: prev_seq + chunk.len() as u64,
            prev_head_hash: prev_hash,
            created_ms: now_ms,
            event_count: chunk.len() as u64,
            kind: bundle_kind(meta.role),
        };
        let payload = encode_payload(&ack, &chunk)?;
        let bytes = write_bundle(&header, &payload, keys, &key.age_recipient)?;
        if let Some((hash, _)) = chunk.last() {
            prev_hash = *hash;
        }
        prev_seq = header.last_seq;
        let file_name = bundle_file_name(&header);
        bundles.push(OutBundle {
            header,
            bytes,
            file_name,
        });
        if prev_seq >= to_seq {
            break;
        }
    }
    Ok(bundles)
}

/// The next run of stored events from `from`, at most [`EVENTS_PER_BUNDLE_MAX`] of them and
/// about [`PAYLOAD_BYTES_TARGET`] bytes (always at least one event if any is left).
fn next_chunk(view: &View, from: u64, to: u64) -> Result<Vec<(Hash, Vec<u8>)>, SyncError> {
    if from > to {
        return Ok(Vec::new());
    }
    let mut events = view.raw_events(from, to, EVENTS_PER_BUNDLE_MAX)?;
    let mut bytes = 0u64;
    let mut keep = 0;
    for (_, event) in &events {
        bytes += event.len() as u64 + 4;
        if keep > 0 && bytes > PAYLOAD_BYTES_TARGET {
            break;
        }
        keep += 1;
    }
    events.truncate(keep);
    Ok(events)
}

/// Verifies a bundle against this station's roster: tries the sender's keys newest first (an
/// older key may have signed a bundle before it was revoked), then refuses a key revoked at or
/// before the time the bundle was written.
fn verify_with_roster<'a>(
    bytes: &'a [u8],
    view: &View,
) -> Result<(VerifiedBundle<'a>, RosterEntry), SyncError> {
    let lookup = |id: &str| view.state().roster(id).ok().flatten();
    let key_at = |entry: &RosterEntry, back: usize| {
        entry
            .keys
            .len()
            .checked_sub(1 + back)
            .and_then(|i| entry.keys.get(i))
            .cloned()
    };
    let claimed = peek_header(bytes).ok().and_then(|h| lookup(&h.sender));
    let epochs = claimed.map_or(1, |e| e.keys.len().max(1));
    for back in 0..epochs {
        let trusted = |id: &str| {
            lookup(id)
                .and_then(|e| key_at(&e, back))
                .map(|k| k.verifying_key)
        };
        match verify_bundle(bytes, &trusted) {
            Ok(verified) => {
                let entry = lookup(&verified.header.sender)
                    .ok_or(SyncError::Inconsistent("sender vanished"))?;
                let epoch =
                    key_at(&entry, back).ok_or(SyncError::Inconsistent("sender key vanished"))?;
                if let Some(from_ms) = revoked_for(&epoch, verified.header.created_ms) {
                    return Err(SyncError::Revoked {
                        station: entry.station_id.clone(),
                        from_ms,
                    });
                }
                return Ok((verified, entry));
            }
            Err(BundleError::BadSignature) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(BundleError::BadSignature.into())
}

/// A bundle's events, decoded and checked against its header and their own hash links.
struct CheckedPayload {
    header: BundleHeader,
    ack: Option<ChainAck>,
    events: Vec<ForeignEvent>,
}

/// Decrypts and checks everything a bundle says about itself.
fn open_payload(
    verified: &VerifiedBundle<'_>,
    keys: &StationKeys,
) -> Result<CheckedPayload, SyncError> {
    let header = verified.header.clone();
    let plain = verified.decrypt(keys)?;
    let (ack, raw) = decode_payload(&plain)?;
    if raw.len() as u64 != header.event_count {
        return Err(SyncError::Inconsistent("event count"));
    }
    if header.first_seq == 0
        || header.last_seq.checked_add(1) != Some(header.first_seq + header.event_count)
    {
        return Err(SyncError::Inconsistent("sequence range"));
    }
    let mut events = Vec::with_capacity(raw.len());
    let mut prev = header.prev_head_hash;
    for (i, bytes) in raw.iter().enumerate() {
        let event: Event = codec::decode(bytes)
            .map_err(|_| SyncError::Inconsistent("an event is not readable"))?;
        // One event, one encoding: the decoder also reads longer spellings of a number, but
        // the chain hashes bytes, so a second spelling would be a different event to every
        // station holding the first. Found by fuzzing (fuzz/artifacts/payload).
        if codec::encode(&event).ok().as_deref() != Some(*bytes) {
            return Err(SyncError::Inconsistent(
                "an event is not in its one encoding",
            ));
        }
        if event.station_id != header.sender {
            return Err(SyncError::Inconsistent("event of another station"));
        }
        if event.seq != header.first_seq + i as u64 {
            return Err(SyncError::Inconsistent("sequence numbers"));
        }
        if event.prev_hash != prev {
            return Err(SyncError::Inconsistent("hash chain"));
        }
        let is_init = matches!(event.body, EventBody::StationInitialized { .. });
        if is_init != (event.seq == 1) {
            return Err(SyncError::Inconsistent("station start"));
        }
        if let EventBody::StationInitialized { station_id, .. } = &event.body {
            if *station_id != header.sender {
                return Err(SyncError::Inconsistent("station start"));
            }
        }
        let hash = codec::hash_bytes(bytes);
        prev = hash;
        events.push(ForeignEvent {
            event,
            hash,
            bytes: bytes.to_vec(),
        });
    }
    Ok(CheckedPayload {
        header,
        ack,
        events,
    })
}

/// Imports one bundle's bytes at `moment` (the date the manager confirmed, if any, covers this
/// station's own entries the bundle implies). Refusals change nothing; see the module
/// documentation for the order of checks.
pub fn import_bundle(
    ledger: &mut Ledger,
    keys: &StationKeys,
    bytes: &[u8],
    operator: &str,
    moment: Moment,
) -> Result<ImportOutcome, SyncError> {
    let now_ms = moment.now_ms;
    if bytes.len() as u64 > BUNDLE_BYTES_MAX {
        return Err(BundleError::TooLarge.into());
    }
    let own_view = ledger.view()?;
    let meta = own_view.require_meta()?;
    // This station's own export, carried back in: said before the roster (which never holds
    // this station) would call its sender unknown. Trusting the header's word costs nothing:
    // the bundle is refused either way.
    if let Some(own) = peek_header(bytes)
        .ok()
        .filter(|h| h.sender == meta.station_id)
    {
        return Err(SyncError::OwnBundle {
            recipient: own.recipient,
        });
    }
    let (verified, entry) = verify_with_roster(bytes, &own_view)?;
    let header = &verified.header;
    if header.kind != bundle_kind(peer_role(meta.role)) || entry.role != peer_role(meta.role) {
        return Err(SyncError::WrongKind);
    }
    if header.recipient != meta.station_id {
        return Err(SyncError::WrongRecipient {
            recipient: header.recipient.clone(),
            own: meta.station_id.clone(),
        });
    }
    let checked = open_payload(&verified, keys)?;
    let sender = checked.header.sender.clone();
    let sender_view = ledger.view_of(&sender)?;
    let (held_seq, held_hash) = sender_view
        .meta()?
        .map_or((0, GENESIS_HASH), |m| (m.head_seq, m.head_hash));
    let first = checked.header.first_seq;
    if first > held_seq + 1 {
        return Ok(ImportOutcome::Gap {
            sender,
            held_seq,
            first_seq: first,
        });
    }
    check_overlap(&sender_view, &checked, held_seq, held_hash)?;
    let new: Vec<ForeignEvent> = checked
        .events
        .iter()
        .filter(|e| e.event.seq > held_seq)
        .cloned()
        .collect();
    drop(sender_view);

    let mut peer = PeerSync::load(&own_view, &sender)?;
    let before = peer.clone();
    let ack_mismatch = absorb_ack(&own_view, &meta, &mut peer, &checked, held_seq)?;
    if !new.is_empty() {
        peer.last_import_ms = Some(now_ms);
        peer.last_bundle_created_ms = Some(checked.header.created_ms);
        peer.bundles_imported += 1;
    }
    if new.is_empty() && peer == before {
        return Ok(ImportOutcome::NothingNew { sender, held_seq });
    }
    let own_commands = match meta.role {
        StationRole::Village => implied_commands(ledger, &own_view, &meta, &sender, &new)?,
        StationRole::Township => Vec::new(),
    };
    drop(own_view);
    let record = peer.to_record(&sender)?;
    let commit = ledger.commit_sync(operator, &moment, &new, &own_commands, &[record])?;
    let skipped = commit
        .skipped
        .into_iter()
        .filter_map(|(i, refusal)| own_commands.get(i).cloned().map(|c| (c, refusal)))
        .collect();
    Ok(ImportOutcome::Applied(Applied {
        sender,
        new_events: commit.foreign_appended,
        held_seq: held_seq.max(checked.header.last_seq),
        own_events: commit.own_events,
        skipped,
        ack_mismatch_seq: ack_mismatch,
    }))
}

/// Every event of the bundle that is already held must be the very same event (and the event
/// it builds on too); otherwise the sender's chain forked.
fn check_overlap(
    view: &View,
    checked: &CheckedPayload,
    held_seq: u64,
    held_hash: Hash,
) -> Result<(), SyncError> {
    let sender = &checked.header.sender;
    let before = checked.header.first_seq - 1;
    if before >= 1 && before <= held_seq {
        let held = if before == held_seq {
            Some(held_hash)
        } else {
            view.event_hash(before)?
        };
        if let Some(held) = held {
            if held != checked.header.prev_head_hash {
                return Err(SyncError::Fork {
                    station: sender.clone(),
                    seq: before,
                    held,
                    bundle: checked.header.prev_head_hash,
                });
            }
        }
    }
    let overlap_last = held_seq.min(checked.header.last_seq);
    if overlap_last < checked.header.first_seq {
        return Ok(());
    }
    let held = view.raw_events(checked.header.first_seq, overlap_last, u64::MAX)?;
    for ((held_hash, _), event) in held.iter().zip(&checked.events) {
        if *held_hash != event.hash {
            return Err(SyncError::Fork {
                station: sender.clone(),
                seq: event.event.seq,
                held: *held_hash,
                bundle: event.hash,
            });
        }
    }
    Ok(())
}

/// Takes in the peer's acknowledgement of this station's chain. A stale bundle (one that
/// brings nothing beyond what is held) cannot lower the acknowledgement; an acknowledgement of
/// an event this station does not have is returned as a mismatch (the peer holds a fork).
fn absorb_ack(
    own: &View,
    meta: &StationMeta,
    peer: &mut PeerSync,
    checked: &CheckedPayload,
    held_seq: u64,
) -> Result<Option<u64>, SyncError> {
    let Some(ack) = &checked.ack else {
        return Ok(None);
    };
    if ack.station_id != meta.station_id {
        return Err(SyncError::Inconsistent(
            "acknowledgement of another station",
        ));
    }
    let ours = match ack.seq {
        0 => Some(GENESIS_HASH),
        seq if seq <= meta.head_seq => own.event_hash(seq)?,
        _ => None,
    };
    if ours != Some(ack.hash) {
        peer.ack_mismatch_seq = Some(ack.seq);
        return Ok(Some(ack.seq));
    }
    let fresh = checked.header.last_seq >= held_seq;
    if fresh || ack.seq > peer.acked_seq {
        peer.acked_seq = ack.seq;
        peer.acked_hash = ack.hash;
        peer.ack_mismatch_seq = None;
    }
    Ok(None)
}

/// The village's own commands implied by the township's new events: catalog changes for
/// everyone, and the shipments, policy and household-list changes addressed to this village.
/// Whether a catalog entry or a shipment may touch the village's item of the same id is the
/// domain's rule (`domain::catalog`), decided with the rest as each command is appended: a
/// different item is refused there and reported in [`Applied::skipped`].
fn implied_commands(
    ledger: &Ledger,
    own: &View,
    meta: &StationMeta,
    township: &str,
    new: &[ForeignEvent],
) -> Result<Vec<Command>, SyncError> {
    let township_view = ledger.view_of(township)?;
    // The township's definitions as of each event: the new ones of this bundle over those held.
    let mut township_goods: BTreeMap<String, Goods> = BTreeMap::new();
    let mut households_here: Vec<String> = Vec::new();
    let mut commands = Vec::new();
    for item in new {
        match &item.event.body {
            EventBody::GoodsDefined { goods } => {
                township_goods.insert(goods.goods_id.clone(), goods.clone());
                commands.push(Command::TakeTownshipGoods {
                    goods: goods.clone(),
                });
            }
            EventBody::GoodsShippedV1 {
                to_station,
                goods_id,
                quantity,
            }
            | EventBody::GoodsShipped {
                to_station,
                goods_id,
                quantity,
                ..
            } if *to_station == meta.station_id => {
                let definition = match township_goods.get(goods_id) {
                    Some(g) => Some(g.clone()),
                    None => township_view.state().goods(goods_id)?.map(|r| r.goods),
                };
                let lots =
                    shipment_lots(&township_view, new, township, &item.event.body, *quantity)?;
                match definition {
                    Some(goods) => commands.push(Command::ReceiveShipment { goods, lots }),
                    // The township never defined it (no township writes that): the village's
                    // own rules refuse an unknown id.
                    None => commands.extend(lots.into_iter().map(|(quantity, source)| {
                        Command::ReceiveStock {
                            goods_id: goods_id.clone(),
                            quantity,
                            source,
                        }
                    })),
                }
            }
            EventBody::PolicyIssued { to_station, policy } if *to_station == meta.station_id => {
                commands.push(Command::SetPolicy {
                    policy: policy.clone(),
                });
            }
            EventBody::ScoreSheetIssued { to_station, sheet } if *to_station == meta.station_id => {
                commands.push(Command::SetScoreSheet {
                    sheet: sheet.clone(),
                });
            }
            EventBody::HouseholdIssued {
                to_station,
                household,
            } if *to_station == meta.station_id => {
                let known = households_here.contains(&household.household_id)
                    || own.state().household(&household.household_id)?.is_some();
                if !known {
                    households_here.push(household.household_id.clone());
                    commands.push(Command::RegisterHousehold {
                        household: household.clone(),
                    });
                }
            }
            _ => {}
        }
    }
    Ok(commands)
}

/// The village's lots for one township shipment, as `(units, source)`: one per township lot
/// the units came from, keeping that lot's origin (donated units stay donated, a merchant's
/// stay payable to it). A shipment written before lots existed arrives as one transfer of
/// unknown origin.
fn shipment_lots(
    township_view: &View,
    new: &[ForeignEvent],
    township: &str,
    body: &EventBody,
    quantity: i64,
) -> Result<Vec<(i64, StockSource)>, SyncError> {
    let from = township.to_string();
    let EventBody::GoodsShipped { takes, .. } = body else {
        return Ok(vec![(quantity, StockSource::Transfer { from })]);
    };
    let mut lots = Vec::with_capacity(takes.len());
    for take in takes {
        let held = township_view.events(take.lot_seq, take.lot_seq)?;
        let lot_event = new
            .iter()
            .map(|f| &f.event)
            .chain(held.iter().map(|(e, _)| e))
            .find(|e| e.station_id == township && e.seq == take.lot_seq);
        let origin = match lot_event.map(|e| &e.body) {
            Some(EventBody::StockReceived { source, .. }) => source.clone(),
            _ => StockSource::Transfer { from: from.clone() },
        };
        lots.push((
            take.quantity,
            StockSource::Shipment {
                from: from.clone(),
                origin: Box::new(origin),
            },
        ));
    }
    Ok(lots)
}
