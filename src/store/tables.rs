//! The redb tables of a ledger file. Every table is keyed first by station id, so a township
//! can hold many villages' events and derived state in one file, each in its own scope.
//! Keys and values are fixed-width integers, strings or codec bytes — never `usize`.

use redb::TableDefinition;

/// Events: (station, seq) → 32-byte hash followed by the event's canonical encoding.
pub const EVENTS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("events");
/// Station meta (identity, policy, head): station → codec bytes.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
/// Households: (station, household id) → codec bytes.
pub const HOUSEHOLDS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("households");
/// Head-of-household names: (station, name, household id) → ().
pub const NAMES: TableDefinition<(&str, &str, &str), ()> = TableDefinition::new("names");
/// Cards: (station, card number) → codec bytes.
pub const CARDS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("cards");
/// Goods: (station, goods id) → codec bytes.
pub const GOODS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("goods");
/// Barcodes: (station, barcode) → goods id.
pub const BARCODES: TableDefinition<(&str, &str), &str> = TableDefinition::new("barcodes");
/// Awards: (station, seq) → codec bytes.
pub const AWARDS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("awards");
/// Voided sales: (station, sale seq) → (). A sale itself is its `Redeemed` event; keeping no
/// second copy saves a B-tree write on every sale.
pub const VOIDED: TableDefinition<(&str, u64), ()> = TableDefinition::new("voided");
/// Period tallies: (station, period, household id) → codec bytes.
pub const TALLIES: TableDefinition<(&str, &str, &str), &[u8]> = TableDefinition::new("tallies");
/// Budget used: (station, budget key) → points.
pub const BUDGET: TableDefinition<(&str, &str), i64> = TableDefinition::new("budget");
/// Days: (station, date) → codec bytes (the seq range of a calendar day, for `log --date`). The
/// station's latest day is kept in its meta instead, and written here when the date changes
/// (`OpenDay`); read a day through `domain::state::day_record`.
pub const DAYS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("days");
/// Closed till sessions (Z reports): (station, session number) → codec bytes.
pub const SESSIONS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("sessions");
/// How events written before lots and credit years were split when applied: (station, seq) →
/// codec bytes. Written only for such events; new events carry their split themselves.
pub const SPLITS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("splits");
/// Receipts (sales and voids), numbered per station without gaps: (station, receipt number)
/// → codec bytes.
pub const RECEIPTS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("receipts");
/// Receipts by verification code: (station, code, receipt number) → (). The number is in the key
/// so that two receipts sharing a code are both kept.
pub const RECEIPT_CODES: TableDefinition<(&str, &str, u64), ()> =
    TableDefinition::new("receipt_codes");
/// Last cleared year: station → year.
pub const CLEARED: TableDefinition<&str, i32> = TableDefinition::new("cleared");
/// Local settings of this file: key → bytes (`own_station`).
pub const LOCAL: TableDefinition<&str, &[u8]> = TableDefinition::new("local");
/// Roster of other stations (sync keys): (station, other station id) → codec bytes.
pub const ROSTER: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("roster");
/// Sync bookkeeping per peer, outside the hash chain (acknowledged heads, last sync times):
/// (station, peer station id) → bytes owned by `sync`.
pub const SYNC_PEERS: TableDefinition<(&str, &str), &[u8]> = TableDefinition::new("sync_peers");
/// Operators' PINs, station-local and outside the chain: operator name → codec bytes
/// (`store::pins::PinRecord`: the salted argon2id hash and the wrong tries in a row).
pub const PINS: TableDefinition<&str, &[u8]> = TableDefinition::new("operator_pins");
