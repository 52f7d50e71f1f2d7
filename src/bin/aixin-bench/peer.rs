//! The peer: the same village sale built the way a careful engineer would on SQLite (rusqlite,
//! bundled SQLite, WAL, `synchronous=FULL`), so every figure of ours has a reference measured in
//! the same run on the same disk. Built only with `--features bench-peer`.
//!
//! A sale here does what ours does with its rules: in one `BEGIN IMMEDIATE` transaction it
//! finds the household by card, checks its balance and the goods' stock, reads the chain's
//! head, and writes the balance, the stock, the event row (its blake3 hash over the previous
//! hash and the body), the day's totals and the sale's numbered receipt, indexed by its
//! verification code (issue 11: every sale issues one, and a paper receipt is looked up by its
//! code). [`Peer::sale_without_receipt`] is the sale as issue 12 first described it, before
//! receipts, kept as a second reference.

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{params, Connection, OptionalExtension};

/// Points one unit of any bench goods costs.
const PRICE_POINTS: i64 = 2;

/// A SQLite station: households, goods, events, days.
pub struct Peer {
    conn: Connection,
    seq: i64,
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// The body of event `seq`, about as long as our encoded `Redeemed` event.
fn body(seq: i64, household_id: &str, goods_id: &str, time_ms: i64) -> String {
    format!(
        "redeemed|B1|{seq}|bench|{time_ms}|{household_id}|{goods_id}x1@{PRICE_POINTS}|total {PRICE_POINTS}|proxy -|takes {goods_id}:lot1:1|credit 2026:{PRICE_POINTS}"
    )
}

impl Peer {
    /// Creates the schema in a new file with `households` households (`LJ0000007`, 1,000,000
    /// points each) and `goods` goods (`G00007`, 1,000,000 units), committed durably.
    pub fn create(path: &Path, households: u64, goods: u64) -> Result<Peer, String> {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let conn = Connection::open(path).map_err(text)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(text)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(text)?;
        conn.execute_batch(
            "CREATE TABLE households(id TEXT PRIMARY KEY, card TEXT NOT NULL UNIQUE, head TEXT NOT NULL,
                 phone TEXT NOT NULL, balance_points INTEGER NOT NULL) WITHOUT ROWID;
             CREATE INDEX households_head ON households(head);
             CREATE TABLE goods(id TEXT PRIMARY KEY, price_points INTEGER NOT NULL,
                 stock_units INTEGER NOT NULL, sold_units INTEGER NOT NULL) WITHOUT ROWID;
             CREATE TABLE events(seq INTEGER PRIMARY KEY, hash BLOB NOT NULL, body BLOB NOT NULL);
             CREATE TABLE days(date TEXT PRIMARY KEY, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,
                 sales INTEGER NOT NULL, points INTEGER NOT NULL) WITHOUT ROWID;
             CREATE TABLE receipts(receipt_no INTEGER PRIMARY KEY, seq INTEGER NOT NULL,
                 household_id TEXT NOT NULL, balance_before_points INTEGER NOT NULL,
                 balance_after_points INTEGER NOT NULL, code TEXT NOT NULL);
             CREATE INDEX receipts_code ON receipts(code);",
        )
        .map_err(text)?;
        let mut peer = Peer { conn, seq: 0 };
        let tx = peer.conn.transaction().map_err(text)?;
        {
            let mut h = tx
                .prepare("INSERT INTO households VALUES (?1, ?2, ?3, ?4, 1000000)")
                .map_err(text)?;
            for i in 0..households {
                h.execute(params![
                    format!("H{i:07}"),
                    crate::ledger::card(i),
                    crate::ledger::name(i),
                    format!("138{i:08}")
                ])
                .map_err(text)?;
            }
            let mut g = tx
                .prepare("INSERT INTO goods VALUES (?1, ?2, 1000000, 0)")
                .map_err(text)?;
            for j in 0..goods {
                g.execute(params![format!("G{j:05}"), PRICE_POINTS])
                    .map_err(text)?;
            }
        }
        tx.commit().map_err(text)?;
        Ok(peer)
    }

    /// Appends `events` event rows (sales' bodies, chained) and their receipts in one
    /// transaction, so the peer's tables are as big as ours at each scale.
    pub fn fill(&mut self, events: u64, households: u64) -> Result<(), String> {
        let tx = self.conn.transaction().map_err(text)?;
        {
            let mut insert = tx
                .prepare("INSERT INTO events VALUES (?1, ?2, ?3)")
                .map_err(text)?;
            let mut receipt = tx
                .prepare("INSERT INTO receipts VALUES (?1, ?1, ?2, 1000000, 999998, ?3)")
                .map_err(text)?;
            let mut prev = [0u8; 32];
            for k in 0..events {
                self.seq += 1;
                let household_id = format!("H{:07}", k % households.max(1));
                let b = body(self.seq, &household_id, "G00001", crate::ledger::START_MS);
                let hash = chain_hash(&prev, b.as_bytes());
                insert
                    .execute(params![self.seq, hash.as_slice(), b.as_bytes()])
                    .map_err(text)?;
                receipt
                    .execute(params![self.seq, household_id, code(&hash)])
                    .map_err(text)?;
                prev = hash;
            }
        }
        tx.commit().map_err(text)?;
        Ok(())
    }

    /// One durable sale of one unit of `goods_id` to the household holding `card`, with its
    /// numbered receipt indexed by its verification code.
    pub fn sale(&mut self, card: &str, goods_id: &str, time_ms: i64) -> Result<(), String> {
        self.sale_with(card, goods_id, time_ms, true)
    }

    /// The same sale without the receipt: the reference issue 12 first named.
    pub fn sale_without_receipt(
        &mut self,
        card: &str,
        goods_id: &str,
        time_ms: i64,
    ) -> Result<(), String> {
        self.sale_with(card, goods_id, time_ms, false)
    }

    fn sale_with(
        &mut self,
        card: &str,
        goods_id: &str,
        time_ms: i64,
        receipt: bool,
    ) -> Result<(), String> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(text)?;
        let seq;
        {
            let (household_id, balance): (String, i64) = tx
                .prepare_cached("SELECT id, balance_points FROM households WHERE card = ?1")
                .map_err(text)?
                .query_row([card], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(text)?;
            let (price, stock): (i64, i64) = tx
                .prepare_cached("SELECT price_points, stock_units FROM goods WHERE id = ?1")
                .map_err(text)?
                .query_row([goods_id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(text)?;
            if balance < price || stock < 1 {
                return Err(format!("peer: {card} cannot buy {goods_id}"));
            }
            let head: Option<(i64, Vec<u8>)> = tx
                .prepare_cached("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1")
                .map_err(text)?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()
                .map_err(text)?;
            let (head_seq, prev) = head.unwrap_or((0, vec![0u8; 32]));
            seq = head_seq + 1;
            tx.prepare_cached(
                "UPDATE households SET balance_points = balance_points - ?1 WHERE id = ?2",
            )
            .map_err(text)?
            .execute(params![price, household_id])
            .map_err(text)?;
            tx.prepare_cached(
                "UPDATE goods SET stock_units = stock_units - 1, sold_units = sold_units + 1 WHERE id = ?1",
            )
            .map_err(text)?
            .execute([goods_id])
            .map_err(text)?;
            let b = body(seq, &household_id, goods_id, time_ms);
            let mut prev32 = [0u8; 32];
            prev32.copy_from_slice(prev.get(..32).unwrap_or(&[0u8; 32]));
            let hash = chain_hash(&prev32, b.as_bytes());
            tx.prepare_cached("INSERT INTO events VALUES (?1, ?2, ?3)")
                .map_err(text)?
                .execute(params![seq, hash.as_slice(), b.as_bytes()])
                .map_err(text)?;
            let date = aixin::domain::time::CivilDate::from_utc_ms(time_ms).to_string();
            tx.prepare_cached(
                "INSERT INTO days VALUES (?1, ?2, ?2, 1, ?3) ON CONFLICT(date) DO UPDATE SET
                     last_seq = excluded.last_seq, sales = sales + 1, points = points + excluded.points",
            )
            .map_err(text)?
            .execute(params![date, seq, price])
            .map_err(text)?;
            if receipt {
                tx.prepare_cached(
                    "INSERT INTO receipts VALUES ((SELECT COALESCE(MAX(receipt_no), 0) + 1 FROM receipts),
                         ?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(text)?
                .execute(params![seq, household_id, balance, balance - price, code(&hash)])
                .map_err(text)?;
            }
        }
        tx.commit().map_err(text)?;
        self.seq = seq;
        Ok(())
    }

    /// Pages SQLite writes per sale, over one sale for each of the given cards: WAL frames (one
    /// page each) per sale. The WAL is truncated first so the frames counted are these sales'
    /// only; a checkpoint later copies each distinct page once more into the database file.
    pub fn pages_per_sale(&mut self, cards: &[String], time_ms: i64) -> Result<f64, String> {
        let checkpoint = |conn: &Connection, mode: &str| -> Result<(i64, i64), String> {
            conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |r| {
                Ok((r.get(1)?, r.get(2)?))
            })
            .map_err(text)
        };
        checkpoint(&self.conn, "TRUNCATE")?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(text)?;
        for card in cards {
            self.sale(card, "G00001", time_ms)?;
        }
        let (frames, _) = checkpoint(&self.conn, "PASSIVE")?;
        checkpoint(&self.conn, "TRUNCATE")?;
        self.conn
            .pragma_update(None, "wal_autocheckpoint", 1000)
            .map_err(text)?;
        let n = cards.len().max(1) as f64;
        Ok(frames as f64 / n)
    }

    /// The household with this card, as a till asks at the counter.
    pub fn lookup_card(&self, card: &str) -> Result<Duration, String> {
        let t = Instant::now();
        let found: Option<String> = self
            .conn
            .prepare_cached("SELECT id FROM households WHERE card = ?1")
            .map_err(text)?
            .query_row([card], |r| r.get(0))
            .optional()
            .map_err(text)?;
        let elapsed = t.elapsed();
        found
            .map(|_| elapsed)
            .ok_or(format!("peer: no card {card}"))
    }

    /// At most 20 households whose head's name starts with `prefix`.
    pub fn lookup_name(&self, prefix: &str) -> Result<Duration, String> {
        let t = Instant::now();
        let mut upper = prefix.to_string();
        upper.push(char::MAX);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, card, head, phone, balance_points FROM households
                 WHERE head >= ?1 AND head < ?2 ORDER BY head LIMIT 20",
            )
            .map_err(text)?;
        let rows = stmt
            .query_map(params![prefix, upper], |r| r.get::<_, String>(0))
            .map_err(text)?
            .count();
        let elapsed = t.elapsed();
        if rows == 0 {
            return Err(format!("peer: nobody named {prefix}…"));
        }
        Ok(elapsed)
    }
}

/// What a SQLite till does to show its first screen: open the file and read every
/// household's row (id, card, head, phone, balance) into memory.
pub fn start_up(path: &Path) -> Result<Duration, String> {
    let t = Instant::now();
    let conn = Connection::open(path).map_err(text)?;
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(text)?;
    let mut stmt = conn
        .prepare("SELECT id, card, head, phone, balance_points FROM households ORDER BY id")
        .map_err(text)?;
    let rows: Vec<(String, String, String, String, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .map_err(text)?
        .collect::<Result<_, _>>()
        .map_err(text)?;
    let elapsed = t.elapsed();
    if rows.is_empty() {
        return Err("peer: no households".into());
    }
    Ok(elapsed)
}

/// What verifying the peer's chain costs: read every event in order and recompute its hash.
pub fn verify(path: &Path) -> Result<Duration, String> {
    let t = Instant::now();
    let conn = Connection::open(path).map_err(text)?;
    let mut stmt = conn
        .prepare("SELECT hash, body FROM events ORDER BY seq")
        .map_err(text)?;
    let mut rows = stmt.query([]).map_err(text)?;
    let mut prev = [0u8; 32];
    while let Some(row) = rows.next().map_err(text)? {
        let stored: Vec<u8> = row.get(0).map_err(text)?;
        let b: Vec<u8> = row.get(1).map_err(text)?;
        let hash = chain_hash(&prev, &b);
        if stored.as_slice() != hash.as_slice() {
            return Err("peer: chain broken".into());
        }
        prev = hash;
    }
    Ok(t.elapsed())
}

/// The verification code printed on the receipt of the event with this hash (ours).
fn code(hash: &[u8; 32]) -> String {
    aixin::domain::receipt::VerificationCode::of(hash)
        .as_str()
        .to_string()
}

fn chain_hash(prev: &[u8; 32], body: &[u8]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    hasher.update(prev);
    hasher.update(body);
    *hasher.finalize().as_bytes()
}
