//! `aixin verify`: trust nothing that was derived. Re-reads every event, recomputes the hash
//! chain, replays the events into an in-memory state with the same [`apply`] the till uses,
//! and compares that state with every derived table in the file. Any difference is reported.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::codec;
use super::ledger::{parse_stored_event, Ledger, StoreError};
use super::scoped::{decode_meta, CODE_BATCH_RECEIPTS, OPEN_RECEIPTS};
use super::tables;
use crate::domain::event::GENESIS_HASH;
use crate::domain::{apply, MemoryState};

/// What verify found for one station scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    /// The station scope checked.
    pub station_id: String,
    /// Events read.
    pub events: u64,
    /// Head seq.
    pub head_seq: u64,
    /// Head hash as hex.
    pub head_hash: String,
    /// Problems found; empty means all is well.
    pub problems: Vec<String>,
}

/// Verifies every station scope in the file.
pub fn verify_all(ledger: &Ledger) -> Result<Vec<VerifyReport>, StoreError> {
    let stations = ledger.view()?.stations()?;
    stations.iter().map(|s| verify_station(ledger, s)).collect()
}

fn decode_or<T: DeserializeOwned>(
    bytes: &[u8],
    problems: &mut Vec<String>,
    what: &str,
) -> Option<T> {
    match codec::decode(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(format!("{what}: {e}"));
            None
        }
    }
}

/// Verifies one station scope: chain, hashes, and derived tables.
pub fn verify_station(ledger: &Ledger, station: &str) -> Result<VerifyReport, StoreError> {
    let view = ledger.view_of(station)?;
    let txn = view.raw_txn();
    let mut report = VerifyReport {
        station_id: station.to_string(),
        ..Default::default()
    };
    let mut memory = MemoryState::default();
    let events = txn
        .open_table(tables::EVENTS)
        .map_err(|e| StoreError::Storage(e.to_string()))?;
    let mut prev = GENESIS_HASH;
    let mut expected_seq = 1u64;
    let map = |e: redb::StorageError| StoreError::Storage(e.to_string());
    for entry in events
        .range((station, 0u64)..=(station, u64::MAX))
        .map_err(map)?
    {
        let (k, v) = entry.map_err(map)?;
        let (_, seq) = k.value();
        let (hash, event, bytes) = match parse_stored_event(v.value()) {
            Ok(parsed) => parsed,
            Err(e) => {
                report.problems.push(format!("event #{seq}: {}", e.0));
                break;
            }
        };
        report.events += 1;
        if seq != expected_seq || event.seq != seq {
            report.problems.push(format!(
                "event #{seq}: expected sequence number {expected_seq}"
            ));
        }
        if event.station_id != station {
            report.problems.push(format!(
                "event #{seq}: belongs to station {}",
                event.station_id
            ));
        }
        if event.prev_hash != prev {
            report
                .problems
                .push(format!("event #{seq}: previous-hash link broken"));
        }
        if codec::hash_bytes(bytes) != hash {
            report
                .problems
                .push(format!("event #{seq}: content does not match its hash"));
        }
        if let Err(f) = apply(&mut memory, &event, &hash) {
            report
                .problems
                .push(format!("event #{seq}: cannot be replayed: {}", f.0));
        }
        prev = hash;
        expected_seq = seq + 1;
        report.head_seq = seq;
    }
    report.head_hash = hex(&prev);
    compare(&view, &memory, &mut report)?;
    Ok(report)
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn compare(
    view: &super::ledger::View,
    memory: &MemoryState,
    report: &mut VerifyReport,
) -> Result<(), StoreError> {
    let stored = read_scope(view, &mut report.problems)?;
    let mut diff = |table: &str, same: bool| {
        if !same {
            report
                .problems
                .push(format!("derived table '{table}' differs from the events"));
        }
    };
    diff("meta", stored.meta == memory.meta);
    diff("households", stored.households == memory.households);
    diff("names", stored.names == memory.names);
    diff("cards", stored.cards == memory.cards);
    diff("goods", stored.goods == memory.goods);
    diff("barcodes", stored.barcodes == memory.barcodes);
    diff("awards", stored.awards == memory.awards);
    diff("sales", stored.sales == memory.sales);
    diff("tallies", stored.tallies == memory.tallies);
    diff("budget", stored.budget == memory.budget);
    diff("days", stored.days == memory.days);
    diff("roster", stored.roster == memory.roster);
    diff("sessions", stored.sessions == memory.sessions);
    diff("splits", stored.splits == memory.splits);
    diff("receipts", stored.receipts == memory.receipts);
    diff(
        "receipt_codes",
        stored.receipt_codes == memory.receipt_codes,
    );
    diff(
        "cleared",
        stored.last_cleared_year == memory.last_cleared_year,
    );
    Ok(())
}

fn read_scope(
    view: &super::ledger::View,
    problems: &mut Vec<String>,
) -> Result<MemoryState, StoreError> {
    let txn = view.raw_txn();
    let s = view.station();
    let map = |e: redb::StorageError| StoreError::Storage(e.to_string());
    let open = |e: redb::TableError| StoreError::Storage(e.to_string());
    let mut m = MemoryState::default();
    let mut open_receipts = Vec::new();
    if let Some(v) = txn
        .open_table(tables::META)
        .map_err(open)?
        .get(s)
        .map_err(map)?
    {
        match decode_meta(v.value()) {
            Ok((meta, open)) => {
                m.meta = Some(meta);
                open_receipts = open;
            }
            Err(e) => problems.push(format!("meta: {}", e.0)),
        }
    }
    macro_rules! scan_str {
        ($table:expr, $target:expr, $what:expr) => {
            for entry in txn
                .open_table($table)
                .map_err(open)?
                .range((s, "")..)
                .map_err(map)?
            {
                let (k, v) = entry.map_err(map)?;
                let (ks, id) = k.value();
                if ks != s {
                    break;
                }
                if let Some(rec) = decode_or(v.value(), problems, $what) {
                    $target.insert(id.to_string(), rec);
                }
            }
        };
    }
    scan_str!(tables::HOUSEHOLDS, m.households, "household");
    scan_str!(tables::CARDS, m.cards, "card");
    scan_str!(tables::GOODS, m.goods, "goods");
    scan_str!(tables::DAYS, m.days, "day");
    scan_str!(tables::ROSTER, m.roster, "roster");
    for entry in txn
        .open_table(tables::NAMES)
        .map_err(open)?
        .range((s, "", "")..)
        .map_err(map)?
    {
        let (k, _) = entry.map_err(map)?;
        let (ks, name, id) = k.value();
        if ks != s {
            break;
        }
        m.names.insert((name.to_string(), id.to_string()), ());
    }
    for entry in txn
        .open_table(tables::BARCODES)
        .map_err(open)?
        .range((s, "")..)
        .map_err(map)?
    {
        let (k, v) = entry.map_err(map)?;
        if k.value().0 != s {
            break;
        }
        m.barcodes
            .insert(k.value().1.to_string(), v.value().to_string());
    }
    for entry in txn
        .open_table(tables::AWARDS)
        .map_err(open)?
        .range((s, 0u64)..=(s, u64::MAX))
        .map_err(map)?
    {
        let (k, v) = entry.map_err(map)?;
        if let Some(rec) = decode_or(v.value(), problems, "award") {
            m.awards.insert(k.value().1, rec);
        }
    }
    // A sale is its Redeemed event; the derived part is the void mark, checked here too.
    for sale in view.sales()? {
        m.sales.insert(sale.seq, sale);
    }
    let marks = txn
        .open_table(tables::VOIDED)
        .map_err(open)?
        .range((s, 0u64)..=(s, u64::MAX))
        .map_err(map)?
        .count();
    let voided = m.sales.values().filter(|sale| sale.voided).count();
    if marks != voided {
        problems.push(format!("{marks} void marks for {voided} voided sales"));
    }
    for entry in txn
        .open_table(tables::TALLIES)
        .map_err(open)?
        .range((s, "", "")..)
        .map_err(map)?
    {
        let (k, v) = entry.map_err(map)?;
        let (ks, period, id) = k.value();
        if ks != s {
            break;
        }
        if let Some(rec) = decode_or(v.value(), problems, "tally") {
            m.tallies.insert((period.to_string(), id.to_string()), rec);
        }
    }
    macro_rules! scan_seq {
        ($table:expr, $target:expr, $what:expr) => {
            for entry in txn
                .open_table($table)
                .map_err(open)?
                .range((s, 0u64)..=(s, u64::MAX))
                .map_err(map)?
            {
                let (k, v) = entry.map_err(map)?;
                if let Some(rec) = decode_or(v.value(), problems, $what) {
                    $target.insert(k.value().1, rec);
                }
            }
        };
    }
    scan_seq!(tables::SESSIONS, m.sessions, "session");
    scan_seq!(tables::SPLITS, m.splits, "split");
    scan_seq!(tables::RECEIPTS, m.receipts, "receipt");
    // The receipts kept with the meta follow the table's last, fewer than OPEN_RECEIPTS.
    let moved = m.receipts.keys().next_back().copied().unwrap_or(0);
    let numbers: Vec<u64> = open_receipts.iter().map(|r| r.receipt_no).collect();
    if numbers.len() >= OPEN_RECEIPTS
        || numbers != (moved + 1..=moved + numbers.len() as u64).collect::<Vec<_>>()
    {
        problems.push(format!(
            "the receipts kept with the meta ({numbers:?}) do not follow receipt {moved} in the receipts table"
        ));
    }
    for record in open_receipts {
        m.receipts.insert(record.receipt_no, record);
    }
    let indexed_through = view.read_state().codes_indexed_through()?;
    let unindexed = view.read_state().unindexed_codes()?;
    for entry in txn
        .open_table(tables::RECEIPT_CODES)
        .map_err(open)?
        .range((s, "", 0u64)..)
        .map_err(map)?
    {
        let (k, _) = entry.map_err(map)?;
        let (ks, code, no) = k.value();
        if ks != s {
            break;
        }
        if no > indexed_through {
            problems.push(format!(
                "receipt {no} is in the code index before its batch of {CODE_BATCH_RECEIPTS} is complete"
            ));
        }
        m.receipt_codes.insert((code.to_string(), no), ());
    }
    // The receipts after the last whole batch are found by their events' codes.
    for (no, code) in unindexed {
        m.receipt_codes.insert((code.as_str().to_string(), no), ());
    }
    let mut budget = BTreeMap::new();
    for entry in txn
        .open_table(tables::BUDGET)
        .map_err(open)?
        .range((s, "")..)
        .map_err(map)?
    {
        let (k, v) = entry.map_err(map)?;
        if k.value().0 != s {
            break;
        }
        budget.insert(k.value().1.to_string(), v.value());
    }
    m.budget = budget;
    m.last_cleared_year = txn
        .open_table(tables::CLEARED)
        .map_err(open)?
        .get(s)
        .map_err(map)?
        .map(|v| v.value());
    Ok(m)
}
