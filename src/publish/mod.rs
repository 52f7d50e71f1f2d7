//! Publishing a township's or county's ledger into PostgreSQL, where a county or province
//! office reads totals, settlement and anomalies across villages with SQL (`aixin publish
//! --postgres URL`). aixin builds no distributed engine: PostgreSQL's protocol and SQL also
//! serve Citus and the PostgreSQL-compatible databases government offices run.
//!
//! A publish runs in two passes over every station scope the ledger holds:
//!
//! 1. **Check.** The schema is migrated ([`schema`]) and PostgreSQL's head (seq and hash) of
//!    each station is read. Every chain is verified link by link (sequence numbers, station,
//!    previous hash, blake3 of the canonical bytes), replayed up to PostgreSQL's head for the
//!    context the rows after it need ([`rows::Replay`]: policy, catalog, every household's
//!    credit years), and the hash this ledger holds at PostgreSQL's head is compared with
//!    PostgreSQL's. A different hash is a **fork**: the first
//!    differing seq is found by bisection, recorded in the `forks` table, and the publish stops
//!    with both hashes before sending anything. A damaged chain also stops it.
//! 2. **Send.** Each station's events after PostgreSQL's head go out in batches, one
//!    transaction each: lock the station's row, check its head is still the one expected,
//!    binary-COPY the events and their side rows (sale lines, lots, lot takes, credit lines,
//!    Z reports, clearing lines), move the head, commit. An interrupted
//!    publish leaves whole batches only, and the next run resumes after the last one; a re-run
//!    with nothing new sends nothing. Rows are made by one function ([`rows::typed_rows`],
//!    through [`rows::Replay::step`]).
//!
//! Cost: pass 1 reads and hashes every event held (about a microsecond each), so a re-run is a
//! full verification; pass 2 replays and maps what it sends (a derived state that contradicts
//! its events stops it there, as a damaged chain: the batches before stand) and is bound by
//! PostgreSQL's COPY
//! (docs/performance.md). The command line's door is `cli/publish.rs`; nothing here prints.

pub mod bench;
pub mod copy;
pub mod rows;
pub mod schema;

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::mpsc::{Receiver, SyncSender};
use std::time::Instant;

use postgres::{Client, NoTls};
use serde::Serialize;

use crate::domain::event::GENESIS_HASH;
use crate::domain::{Event, Hash, StationRole};
use crate::i18n::Lang;
use crate::report::township::{FUTURE_TOLERANCE_MS, STALE_DAYS_MAX};
use crate::store::codec;
use crate::store::ledger::View;
use crate::store::verify::hex;
use crate::store::{Ledger, StoreError};
use crate::sync::files::{ForkNote, HeldNote};
use crate::sync::peers::PeerSync;
use copy::{copy_lines, RowCopy, EVENT_COLUMNS, PUBLISHED};
use rows::{role_name, EventRow, LineRows, Replay};
use schema::MigrationError;

/// Events per transaction unless told otherwise: big enough that commits cost nothing, small
/// enough that a batch's line rows stay a few MiB.
pub const BATCH_EVENTS_DEFAULT: u64 = 50_000;
/// The largest batch accepted.
pub const BATCH_EVENTS_MAX: u64 = 1_000_000;
/// Events read from the ledger at a time.
const PAGE_EVENTS: u64 = 4_096;

/// How to publish.
#[derive(Clone, Copy, Debug)]
pub struct PublishOptions {
    /// Events per transaction (1 ..= [`BATCH_EVENTS_MAX`]).
    pub batch_events: u64,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            batch_events: BATCH_EVENTS_DEFAULT,
        }
    }
}

/// Where a publish stands, after each committed batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The station whose batch was just committed.
    pub station_id: String,
    /// Events committed so far in this publish.
    pub events_sent: u64,
    /// Events this publish will send in all.
    pub events_to_send: u64,
    /// Milliseconds since sending began.
    pub elapsed_ms: u64,
}

impl Progress {
    /// Events committed per second so far.
    pub fn events_per_s(&self) -> u64 {
        self.events_sent.saturating_mul(1000) / self.elapsed_ms.max(1)
    }

    /// The progress line for a long run.
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "发布中：{} / {} 条，每秒 {} 条（{}）",
                self.events_sent,
                self.events_to_send,
                self.events_per_s(),
                self.station_id
            ),
            Lang::En => format!(
                "publishing: {} / {} events, {} events/s ({})",
                self.events_sent,
                self.events_to_send,
                self.events_per_s(),
                self.station_id
            ),
        }
    }
}

/// What happened to one station.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StationOutcome {
    /// The station.
    pub station_id: String,
    /// Its head in this ledger.
    pub head_seq: u64,
    /// Events PostgreSQL held before this publish.
    pub published_before: u64,
    /// Events sent now.
    pub sent: u64,
    /// Events PostgreSQL holds beyond this ledger's head (published from a more complete copy).
    pub postgres_ahead: u64,
}

impl StationOutcome {
    /// The station's line under the summary: how far it is published and what was sent now.
    pub fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "  {}：到第 {} 条，新发送 {} 条{}",
                self.station_id,
                self.head_seq,
                self.sent,
                if self.postgres_ahead > 0 {
                    format!(
                        "（PostgreSQL 多出 {} 条，来自更完整的账本）",
                        self.postgres_ahead
                    )
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "  {}: up to #{}, {} new{}",
                self.station_id,
                self.head_seq,
                self.sent,
                if self.postgres_ahead > 0 {
                    format!(
                        " (PostgreSQL holds {} more, from a more complete ledger)",
                        self.postgres_ahead
                    )
                } else {
                    String::new()
                }
            ),
        }
    }
}

/// What a publish did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PublishReport {
    /// The publishing ledger's station.
    pub publisher: String,
    /// Migrations applied by this publish.
    pub migrations_applied: Vec<String>,
    /// One line per station scope, by id.
    pub stations: Vec<StationOutcome>,
    /// Events read and verified in pass 1.
    pub events_verified: u64,
    /// Events sent in pass 2.
    pub events_sent: u64,
    /// Milliseconds of pass 1.
    pub verify_ms: u64,
    /// Milliseconds of pass 2.
    pub send_ms: u64,
}

impl PublishReport {
    /// Events sent per second of pass 2.
    pub fn events_per_s(&self) -> u64 {
        self.events_sent.saturating_mul(1000) / self.send_ms.max(1)
    }

    /// The summary line.
    pub fn summary(&self, lang: Lang) -> String {
        let stations = self.stations.len();
        match lang {
            Lang::Zh => format!(
                "已发布到 PostgreSQL：{stations} 个站点，核验 {} 条，新发送 {} 条（每秒 {} 条）",
                self.events_verified,
                self.events_sent,
                self.events_per_s()
            ),
            Lang::En => format!(
                "published to PostgreSQL: {stations} stations, {} events verified, {} new sent ({} events/s)",
                self.events_verified,
                self.events_sent,
                self.events_per_s()
            ),
        }
    }
}

/// Why a publish stopped. Nothing of a batch is ever half written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Only a township or county holds villages' events to publish.
    #[error("only a township publishes")]
    NotTownship,
    /// The `--postgres` value is not a connection string.
    #[error("bad PostgreSQL address: {0}")]
    BadAddress(String),
    /// PostgreSQL could not be reached or refused the login.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(String),
    /// The database's schema cannot be used by this aixin.
    #[error("schema: {0}")]
    Schema(MigrationError),
    /// PostgreSQL refused a statement mid-publish.
    #[error("PostgreSQL: {0}")]
    Database(String),
    /// This ledger's chain fails verification; nothing was sent.
    #[error("{station_id} #{seq}: {problem}")]
    Chain {
        station_id: String,
        seq: u64,
        problem: String,
    },
    /// PostgreSQL holds another version of an event; nothing was sent.
    #[error("fork at {station_id} #{seq}")]
    Fork {
        station_id: String,
        seq: u64,
        /// Hex hash of the version in PostgreSQL.
        postgres_hash: String,
        /// Hex hash of the version in this ledger.
        ledger_hash: String,
        /// Stations found forked in all.
        stations: usize,
    },
    /// Another publish moved the station's head meanwhile.
    #[error("{station_id} was published by someone else meanwhile")]
    Concurrent { station_id: String },
    /// The caller stopped the publish after a committed batch.
    #[error("interrupted after {events_sent} events")]
    Interrupted { events_sent: u64 },
    /// The ledger could not be read.
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl From<postgres::Error> for PublishError {
    fn from(e: postgres::Error) -> Self {
        PublishError::Database(database_text(&e))
    }
}

impl From<MigrationError> for PublishError {
    fn from(e: MigrationError) -> Self {
        match e {
            MigrationError::Database(e) => e.into(),
            other => PublishError::Schema(other),
        }
    }
}

/// PostgreSQL's own message when it sent one, else the client's.
fn database_text(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    }
}

fn short(hash_hex: &str) -> &str {
    &hash_hex[..hash_hex.len().min(12)]
}

impl PublishError {
    /// One line for the clerk: what happened and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        match self {
            PublishError::NotTownship => lang
                .pick(
                    "只有乡镇（或县）才发布到 PostgreSQL，因为它持有各村核验过的记录；村里请用 aixin export 给乡镇导出数据包",
                    "only a township (or county) publishes to PostgreSQL, since it holds every village's verified events; at a village, export a bundle for the township (aixin export)",
                )
                .into(),
            PublishError::BadAddress(e) => {
                if zh {
                    format!("--postgres 不是有效的 PostgreSQL 地址（“{e}”）；例如 postgresql://用户@主机:5432/数据库")
                } else {
                    format!("--postgres is not a PostgreSQL address ({e}); e.g. postgresql://user@host:5432/dbname")
                }
            }
            PublishError::Connect(e) => {
                if zh {
                    format!("无法连接 PostgreSQL（“{e}”）；请检查地址、用户和密码，以及服务器是否在运行；什么都没有发布")
                } else {
                    format!("cannot connect to PostgreSQL ({e}); check the address, user and password and that the server runs; nothing was published")
                }
            }
            PublishError::Schema(MigrationError::Newer { version, .. }) => {
                if zh {
                    format!("数据库的表结构是更新版本的 aixin 建立的（第 {version} 版）；请先升级 aixin；什么都没有发布")
                } else {
                    format!("the database's schema was set up by a newer aixin (version {version}); update aixin first; nothing was published")
                }
            }
            PublishError::Schema(MigrationError::Changed { version, name }) => {
                if zh {
                    format!("数据库里表结构第 {version} 版（{name}）与本程序的不同；请数据库管理员核对后再发布；什么都没有发布")
                } else {
                    format!("schema version {version} ({name}) in the database differs from this aixin's; ask its administrator to check it before publishing; nothing was published")
                }
            }
            PublishError::Schema(MigrationError::Database(e)) => {
                PublishError::Database(database_text(e)).message(lang)
            }
            PublishError::Database(e) => {
                if zh {
                    format!("PostgreSQL 出错（“{e}”）；已提交的批次完整保留，排除问题后重新运行 aixin publish 会接着发布")
                } else {
                    format!("PostgreSQL failed ({e}); the batches committed are complete; fix the problem and run aixin publish again to resume")
                }
            }
            PublishError::Chain {
                station_id,
                seq,
                problem,
            } => {
                if zh {
                    format!("本账本中 {station_id} 第 {seq} 条记录校验不通过（“{problem}”）；什么都没有发布；请运行 aixin verify 查明")
                } else {
                    format!("event #{seq} of {station_id} in this ledger fails verification ({problem}); nothing was published; run aixin verify")
                }
            }
            PublishError::Fork {
                station_id,
                seq,
                postgres_hash,
                ledger_hash,
                stations,
            } => {
                let (pg, ours) = (short(postgres_hash), short(ledger_hash));
                if zh {
                    format!("分叉：PostgreSQL 里 {station_id} 第 {seq} 条与本账本不同（PostgreSQL {pg}…，本账本 {ours}…；共 {stations} 个站点）；什么都没有发布；请先查明哪个版本是对的（见 forks 表）")
                } else {
                    format!("fork: PostgreSQL holds another version of {station_id} #{seq} (PostgreSQL {pg}…, this ledger {ours}…; {stations} stations in all); nothing was published; find out which version is right first (see the forks table)")
                }
            }
            PublishError::Concurrent { station_id } => {
                if zh {
                    format!("发布 {station_id} 时另一个发布也在写它；已提交的批次完整保留；请稍后重新运行 aixin publish")
                } else {
                    format!("another publish wrote {station_id} at the same time; the batches committed are complete; run aixin publish again later")
                }
            }
            PublishError::Interrupted { events_sent } => {
                if zh {
                    format!("发布被中断：已完整提交 {events_sent} 条；重新运行 aixin publish 会接着发布")
                } else {
                    format!("publish interrupted after {events_sent} events committed; run aixin publish again to resume")
                }
            }
            PublishError::Store(e) => e.message(lang),
        }
    }
}

/// How long to wait for PostgreSQL to answer a connection unless the address says otherwise
/// (`connect_timeout=`): a clerk should not stare at a silent terminal.
pub const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

/// Opens a connection from a libpq connection string (`host=… user=… dbname=…`) or URL
/// (`postgresql://user:password@host:5432/dbname`). No TLS: use it on the office network or
/// through a tunnel.
pub fn connect(address: &str) -> Result<Client, PublishError> {
    let mut config: postgres::Config = address
        .parse()
        .map_err(|e: postgres::Error| PublishError::BadAddress(e.to_string()))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config
        .connect(NoTls)
        .map_err(|e| PublishError::Connect(database_text(&e)))
}

/// What pass 1 found for one station.
struct Plan {
    station_id: String,
    head_seq: u64,
    /// PostgreSQL's head, and this ledger's hash at it (equal, or it would be a fork).
    postgres_seq: u64,
    postgres_hash: Hash,
    postgres_ahead: u64,
    /// The chain's context at `postgres_seq`, where sending resumes.
    replay: Replay,
    /// Set when PostgreSQL and this ledger disagree at this seq: (seq, postgres, ledger).
    fork: Option<(u64, Hash, Hash)>,
}

/// Publishes every station scope `ledger` holds into the database behind `client`, with the
/// township's notes of bundles held for a gap and refused as forks (as `consolidate` reads
/// them: `sync::files::held_notes`, `fork_notes`). `progress` is called after each committed
/// batch; returning `ControlFlow::Break` stops the publish there (reported as
/// [`PublishError::Interrupted`]).
pub fn publish(
    ledger: &Ledger,
    held: &[HeldNote],
    forks: &[ForkNote],
    client: &mut Client,
    options: &PublishOptions,
    progress: &mut dyn FnMut(&Progress) -> ControlFlow<()>,
) -> Result<PublishReport, PublishError> {
    let own = ledger.view()?;
    let meta = own.require_meta()?;
    if meta.role != StationRole::Township {
        return Err(PublishError::NotTownship);
    }
    let batch_events = options.batch_events.clamp(1, BATCH_EVENTS_MAX);
    let mut report = PublishReport {
        publisher: meta.station_id.clone(),
        ..PublishReport::default()
    };
    report.migrations_applied = schema::migrate(client)?
        .into_iter()
        .map(str::to_string)
        .collect();

    let started = Instant::now();
    let heads = postgres_heads(client)?;
    let mut plans = Vec::new();
    for station in own.stations()? {
        let view = ledger.view_of(&station)?;
        let plan = check_station(&view, heads.get(&station).copied(), client)?;
        report.events_verified += plan.head_seq;
        plans.push(plan);
    }
    let forked: Vec<&Plan> = plans.iter().filter(|p| p.fork.is_some()).collect();
    if let Some(first) = forked.first() {
        let count = forked.len();
        let (seq, postgres_hash, ledger_hash) = first.fork.unwrap_or_default();
        record_forks(client, &meta.station_id, &forked)?;
        return Err(PublishError::Fork {
            station_id: first.station_id.clone(),
            seq,
            postgres_hash: hex(&postgres_hash),
            ledger_hash: hex(&ledger_hash),
            stations: count,
        });
    }
    report.verify_ms = started.elapsed().as_millis() as u64;

    record_stations(client, ledger, &own, held, forks)?;
    let started = Instant::now();
    let events_to_send: u64 = plans
        .iter()
        .map(|p| p.head_seq - p.postgres_seq.min(p.head_seq))
        .sum();
    let mut sent_total = 0u64;
    for plan in &plans {
        let view = ledger.view_of(&plan.station_id)?;
        let outcome = send_station(client, &view, plan, batch_events, &mut |station_sent| {
            let line = Progress {
                station_id: plan.station_id.clone(),
                events_sent: sent_total + station_sent,
                events_to_send,
                elapsed_ms: started.elapsed().as_millis() as u64,
            };
            progress(&line)
        });
        let sent = match outcome {
            Ok(sent) => sent,
            // Stopped after the very last batch: nothing was left to interrupt.
            Err(PublishError::Interrupted { events_sent })
                if sent_total + events_sent == events_to_send =>
            {
                events_sent
            }
            Err(PublishError::Interrupted { events_sent }) => {
                return Err(PublishError::Interrupted {
                    events_sent: sent_total + events_sent,
                })
            }
            Err(other) => return Err(other),
        };
        sent_total += sent;
        report.stations.push(StationOutcome {
            station_id: plan.station_id.clone(),
            head_seq: plan.head_seq,
            published_before: plan.postgres_seq.min(plan.head_seq),
            sent,
            postgres_ahead: plan.postgres_ahead,
        });
    }
    report.events_sent = sent_total;
    report.send_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Every station's head as PostgreSQL holds it.
fn postgres_heads(client: &mut Client) -> Result<HashMap<String, (u64, Hash)>, PublishError> {
    let mut out = HashMap::new();
    for row in client.query("select station_id, head_seq, head_hash from stations", &[])? {
        let station: String = row.get(0);
        let seq: i64 = row.get(1);
        let hash = hash_from(row.get(2)).ok_or_else(|| {
            PublishError::Database(format!("stations.head_hash of {station} is not 32 bytes"))
        })?;
        out.insert(station, (u64::try_from(seq).unwrap_or(0), hash));
    }
    Ok(out)
}

fn hash_from(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

/// One link of a chain, checked: the event decodes, is the expected station and seq, builds on
/// `prev`, and its bytes hash to the stored hash.
fn check_link(
    station_id: &str,
    seq: u64,
    prev: &Hash,
    hash: &Hash,
    bytes: &[u8],
) -> Result<Event, PublishError> {
    let problem = |text: String| PublishError::Chain {
        station_id: station_id.to_string(),
        seq,
        problem: text,
    };
    let event: Event = codec::decode(bytes).map_err(|e| problem(e.to_string()))?;
    if codec::hash_bytes(bytes) != *hash {
        return Err(problem("content does not match its hash".into()));
    }
    if event.seq != seq {
        return Err(problem(format!("holds sequence number {}", event.seq)));
    }
    if event.station_id != station_id {
        return Err(problem(format!("belongs to station {}", event.station_id)));
    }
    if event.prev_hash != *prev {
        return Err(problem("previous-hash link broken".into()));
    }
    Ok(event)
}

/// Pass 1 for one station: verifies the whole chain and compares it with PostgreSQL's head.
fn check_station(
    view: &View,
    postgres: Option<(u64, Hash)>,
    client: &mut Client,
) -> Result<Plan, PublishError> {
    let station_id = view.station().to_string();
    let (postgres_seq, postgres_hash) = postgres.unwrap_or((0, GENESIS_HASH));
    let mut plan = Plan {
        station_id: station_id.clone(),
        head_seq: 0,
        postgres_seq,
        postgres_hash,
        postgres_ahead: 0,
        replay: Replay::default(),
        fork: None,
    };
    // Rows after PostgreSQL's head need the chain's context there; a station with nothing to
    // send needs none, and events after the head are replayed while they are sent.
    let meta_head = view.meta()?.map_or(0, |m| m.head_seq);
    let replay_through = if meta_head > postgres_seq {
        postgres_seq
    } else {
        0
    };
    let mut replay = Replay::default();
    let mut prev = GENESIS_HASH;
    let mut seq = 0u64;
    loop {
        let page = view.raw_events(seq + 1, u64::MAX, PAGE_EVENTS)?;
        let full = page.len() as u64 == PAGE_EVENTS;
        for (hash, bytes) in page {
            seq += 1;
            let event = check_link(&station_id, seq, &prev, &hash, &bytes)?;
            if seq <= replay_through {
                replay
                    .advance(&event, view.state())
                    .map_err(|f| PublishError::Chain {
                        station_id: station_id.clone(),
                        seq,
                        problem: f.0,
                    })?;
            }
            prev = hash;
            if seq == postgres_seq && hash != postgres_hash {
                plan.fork = Some((seq, postgres_hash, hash));
            }
        }
        if !full {
            break;
        }
    }
    plan.replay = replay;
    if meta_head != seq {
        return Err(PublishError::Chain {
            station_id,
            seq: meta_head,
            problem: format!("the station's head is #{meta_head} but its chain ends at #{seq}"),
        });
    }
    plan.head_seq = seq;
    if postgres_seq > seq {
        plan.postgres_ahead = postgres_seq - seq;
        let at_head = postgres_hash_at(client, &station_id, seq)?;
        if seq > 0 && at_head != Some(prev) {
            plan.fork = Some((seq, at_head.unwrap_or(GENESIS_HASH), prev));
        } else {
            // Nothing to send: continue from our head so pass 2 sends nothing.
            plan.postgres_seq = seq;
            plan.postgres_hash = prev;
        }
    }
    if let Some((at, _, _)) = plan.fork {
        plan.fork = Some(first_difference(view, client, &station_id, at)?);
    }
    Ok(plan)
}

/// PostgreSQL's hash of one event, if it holds it.
fn postgres_hash_at(
    client: &mut Client,
    station_id: &str,
    seq: u64,
) -> Result<Option<Hash>, PublishError> {
    let seq = i64::try_from(seq).unwrap_or(i64::MAX);
    let row = client.query_opt(
        "select hash from events where station_id = $1 and seq = $2",
        &[&station_id, &seq],
    )?;
    Ok(row.and_then(|r| hash_from(r.get(0))))
}

/// The first seq at which PostgreSQL and this ledger disagree, knowing they disagree at `at`.
/// Both are hash chains, so agreeing at one seq means agreeing at every seq before it: a
/// bisection finds the first difference in about log2(at) queries.
fn first_difference(
    view: &View,
    client: &mut Client,
    station_id: &str,
    at: u64,
) -> Result<(u64, Hash, Hash), PublishError> {
    let mut differs = |seq: u64| -> Result<(bool, Hash, Hash), PublishError> {
        let ours = view.event_hash(seq)?.unwrap_or(GENESIS_HASH);
        let theirs = postgres_hash_at(client, station_id, seq)?.unwrap_or(GENESIS_HASH);
        Ok((ours != theirs, theirs, ours))
    };
    let (mut low, mut high) = (1u64, at.max(1));
    while low < high {
        let middle = low + (high - low) / 2;
        if differs(middle)?.0 {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    let (_, theirs, ours) = differs(low)?;
    Ok((low, theirs, ours))
}

/// Records the forks found by this publish, so the office sees them in `anomalies`.
fn record_forks(
    client: &mut Client,
    publisher: &str,
    forked: &[&Plan],
) -> Result<(), PublishError> {
    let mut txn = client.transaction()?;
    for plan in forked {
        let Some((seq, postgres_hash, ledger_hash)) = plan.fork else {
            continue;
        };
        let seq = i64::try_from(seq).unwrap_or(i64::MAX);
        txn.execute(
            "insert into forks (station_id, seq, held_hash, other_hash, found_by, note)
             values ($1, $2, $3, $4, 'publish', $5) on conflict do nothing",
            &[
                &plan.station_id,
                &seq,
                &hex(&postgres_hash),
                &hex(&ledger_hash),
                &format!("publish by {publisher}"),
            ],
        )?;
    }
    txn.commit()?;
    Ok(())
}

/// Upserts every station's description (name, role, roster and sync state as the publisher
/// knows them), the township's fork notes, the bundles it holds for a gap (replacing those it
/// held at its last publish) and the shared thresholds, in one transaction.
fn record_stations(
    client: &mut Client,
    ledger: &Ledger,
    own: &View,
    held: &[HeldNote],
    forks: &[ForkNote],
) -> Result<(), PublishError> {
    #[derive(Default)]
    struct Row {
        name: String,
        role: &'static str,
        key_active: Option<bool>,
        key_revoked_from_ms: Option<i64>,
        last_sync_ms: Option<i64>,
        ack_mismatch_seq: Option<i64>,
    }
    let mut rows: std::collections::BTreeMap<String, Row> = Default::default();
    for station in own.stations()? {
        let meta = ledger.view_of(&station)?.meta()?;
        rows.insert(
            station,
            Row {
                name: meta.as_ref().map(|m| m.name.clone()).unwrap_or_default(),
                role: meta.as_ref().map_or("", |m| role_name(m.role)),
                ..Row::default()
            },
        );
    }
    for entry in own.roster()? {
        let peer = PeerSync::load(own, &entry.station_id)?;
        let row = rows.entry(entry.station_id.clone()).or_insert(Row {
            role: role_name(entry.role),
            ..Row::default()
        });
        row.key_active = Some(entry.is_active());
        row.key_revoked_from_ms = entry.keys.last().and_then(|k| k.revoked_from_ms);
        row.last_sync_ms = peer.last_import_ms;
        row.ack_mismatch_seq = peer
            .ack_mismatch_seq
            .map(|seq| i64::try_from(seq).unwrap_or(i64::MAX));
    }
    let publisher = own.station().to_string();
    let mut txn = client.transaction()?;
    for (station_id, row) in &rows {
        txn.execute(
            "insert into stations (station_id, name, role, published_by, head_hash, key_active,
                                   key_revoked_from_ms, last_sync_ms, ack_mismatch_seq)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             on conflict (station_id) do update set
                 name = case when excluded.name <> '' then excluded.name else stations.name end,
                 role = case when excluded.role <> '' then excluded.role else stations.role end,
                 published_by = excluded.published_by,
                 key_active = coalesce(excluded.key_active, stations.key_active),
                 key_revoked_from_ms = coalesce(excluded.key_revoked_from_ms, stations.key_revoked_from_ms),
                 last_sync_ms = greatest(excluded.last_sync_ms, stations.last_sync_ms),
                 ack_mismatch_seq = case when excluded.key_active is null
                     then stations.ack_mismatch_seq else excluded.ack_mismatch_seq end,
                 published_at = now()",
            &[
                station_id,
                &row.name,
                &row.role,
                &publisher,
                &GENESIS_HASH.as_slice(),
                &row.key_active,
                &row.key_revoked_from_ms,
                &row.last_sync_ms,
                &row.ack_mismatch_seq,
            ],
        )?;
    }
    for note in forks {
        let seq = i64::try_from(note.seq).unwrap_or(i64::MAX);
        txn.execute(
            "insert into forks (station_id, seq, held_hash, other_hash, found_by, note)
             values ($1, $2, $3, $4, 'township', $5) on conflict do nothing",
            &[
                &note.station_id,
                &seq,
                &note.held_hash,
                &note.bundle_hash,
                &note.bundle_file,
            ],
        )?;
    }
    txn.execute("delete from held_bundles where held_by = $1", &[&publisher])?;
    for note in held {
        let first = i64::try_from(note.first_seq).unwrap_or(i64::MAX);
        let last = i64::try_from(note.last_seq).unwrap_or(i64::MAX);
        txn.execute(
            "insert into held_bundles (station_id, file, first_seq, last_seq, held_by)
             values ($1, $2, $3, $4, $5)
             on conflict (station_id, file) do update set
                 first_seq = excluded.first_seq, last_seq = excluded.last_seq,
                 held_by = excluded.held_by",
            &[&note.station_id, &note.file, &first, &last, &publisher],
        )?;
    }
    let rules: [(&str, i64); 3] = [
        ("stale_days_max", STALE_DAYS_MAX),
        ("clock_skew_ms_max", crate::domain::time::CLOCK_SKEW_MS_MAX),
        ("future_tolerance_ms", FUTURE_TOLERANCE_MS),
    ];
    for (name, value) in rules {
        txn.execute(
            "insert into rules (name, value) values ($1, $2)
             on conflict (name) do update set value = excluded.value",
            &[&name, &value],
        )?;
    }
    txn.commit()?;
    Ok(())
}

/// Chunks of rows the reader may make ahead of the COPY (a chunk is at most a page of
/// [`PAGE_EVENTS`] events): reading and mapping overlap with PostgreSQL's work, in bounded
/// memory.
const CHUNKS_AHEAD: usize = 2;

/// Events read, checked and mapped, ready to be copied: at most a page, never across the end of
/// a batch.
struct Chunk {
    rows: Vec<EventRow>,
    lines: LineRows,
    /// The seq and hash of its last event.
    last_seq: u64,
    last_hash: Hash,
    /// The newest event time in it, UTC ms.
    newest_ms: i64,
}

/// Pass 2 for one station: sends its events after PostgreSQL's head, a batch per transaction.
/// A reader thread reads, checks and maps the events ([`read_chunks`]) while this thread copies
/// them. `committed` is told the station's events committed so far after each batch. Returns
/// the events sent.
fn send_station(
    client: &mut Client,
    view: &View,
    plan: &Plan,
    batch_events: u64,
    committed: &mut dyn FnMut(u64) -> ControlFlow<()>,
) -> Result<u64, PublishError> {
    let head_meta = view.meta()?;
    std::thread::scope(|scope| {
        let (chunks, received) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        scope.spawn(move || read_chunks(view, plan, batch_events, &chunks));
        // Returning drops `received`: a reader still at work stops at its next chunk.
        copy_chunks(client, plan, batch_events, head_meta, &received, committed)
    })
}

/// The reader of [`send_station`]: the station's events after PostgreSQL's head, checked link
/// by link again right before they are written (pass 1 read another snapshot) and mapped by
/// [`Replay::step`], in chunks, until they are all sent or the receiver hangs up. A failure is
/// sent as the last item.
fn read_chunks(
    view: &View,
    plan: &Plan,
    batch_events: u64,
    chunks: &SyncSender<Result<Chunk, PublishError>>,
) {
    let station_id = plan.station_id.as_str();
    let state = view.state();
    let mut replay = plan.replay.clone();
    let mut prev = plan.postgres_hash;
    let mut read = || -> Result<(), PublishError> {
        let mut next = plan.postgres_seq + 1;
        while next <= plan.head_seq {
            let batch_last = plan.head_seq.min(next.saturating_add(batch_events - 1));
            while next <= batch_last {
                let page = view.raw_events(next, batch_last, PAGE_EVENTS)?;
                if page.is_empty() {
                    return Err(PublishError::Chain {
                        station_id: station_id.to_string(),
                        seq: next,
                        problem: "missing".into(),
                    });
                }
                let mut chunk = Chunk {
                    rows: Vec::with_capacity(page.len()),
                    lines: LineRows::default(),
                    last_seq: next,
                    last_hash: prev,
                    newest_ms: i64::MIN,
                };
                for (hash, bytes) in page {
                    let seq = next;
                    let event = check_link(station_id, seq, &prev, &hash, &bytes)?;
                    let rows = replay.step(&event, bytes, &hash, state).map_err(|f| {
                        PublishError::Chain {
                            station_id: station_id.to_string(),
                            seq,
                            problem: f.0,
                        }
                    })?;
                    chunk.rows.push(rows.event);
                    chunk.lines.extend(rows.lines);
                    chunk.newest_ms = chunk.newest_ms.max(event.time_ms);
                    (chunk.last_seq, chunk.last_hash) = (seq, hash);
                    prev = hash;
                    next += 1;
                }
                if chunks.send(Ok(chunk)).is_err() {
                    return Ok(());
                }
            }
        }
        Ok(())
    };
    if let Err(e) = read() {
        let _ = chunks.send(Err(e));
    }
}

/// The copier of [`send_station`]: one transaction per batch (lock the station's row, check
/// its head, COPY the batch's chunks and their side rows, move the head, commit).
fn copy_chunks(
    client: &mut Client,
    plan: &Plan,
    batch_events: u64,
    head_meta: Option<crate::domain::state::StationMeta>,
    chunks: &Receiver<Result<Chunk, PublishError>>,
    committed: &mut dyn FnMut(u64) -> ControlFlow<()>,
) -> Result<u64, PublishError> {
    let station_id = plan.station_id.as_str();
    let mut prev = plan.postgres_hash;
    let mut next = plan.postgres_seq + 1;
    let mut sent = 0u64;
    while next <= plan.head_seq {
        let last = plan.head_seq.min(next.saturating_add(batch_events - 1));
        let mut txn = client.transaction()?;
        let head = txn.query_one(
            "select head_seq, head_hash from stations where station_id = $1 for update",
            &[&station_id],
        )?;
        let (head_seq, head_hash): (i64, &[u8]) = (head.get(0), head.get(1));
        if u64::try_from(head_seq).ok() != Some(next - 1) || head_hash != prev.as_slice() {
            return Err(PublishError::Concurrent {
                station_id: station_id.to_string(),
            });
        }
        let mut lines = LineRows::default();
        let mut newest_ms = i64::MIN;
        {
            let mut copy = RowCopy::start(&mut txn, PUBLISHED.events, &EVENT_COLUMNS)?;
            let mut seq = next;
            while seq <= last {
                let chunk = chunks.recv().map_err(|_| PublishError::Chain {
                    station_id: station_id.to_string(),
                    seq,
                    problem: "the reader stopped".into(),
                })??;
                for row in &chunk.rows {
                    copy.event(row)?;
                }
                lines.extend(chunk.lines);
                newest_ms = newest_ms.max(chunk.newest_ms);
                prev = chunk.last_hash;
                seq = chunk.last_seq + 1;
            }
            copy.finish()?;
        }
        copy_lines(&mut txn, &PUBLISHED, &lines)?;
        let last_i64 = i64::try_from(last).unwrap_or(i64::MAX);
        // At the head, the station's last time as its ledger keeps it (after a clock
        // correction, the real time stated, not the fast clock's); before, the newest so far.
        let at_head = last == plan.head_seq;
        let last_event_ms = match &head_meta {
            Some(meta) if at_head => meta.last_time_ms,
            _ => newest_ms,
        };
        txn.execute(
            "update stations set head_seq = $2, head_hash = $3,
                 last_event_ms = case when $5 then $4 else greatest(last_event_ms, $4) end,
                 published_at = now()
             where station_id = $1",
            &[
                &station_id,
                &last_i64,
                &prev.as_slice(),
                &last_event_ms,
                &at_head,
            ],
        )?;
        txn.commit()?;
        sent += last - next + 1;
        next = last + 1;
        if committed(sent).is_break() {
            return Err(PublishError::Interrupted { events_sent: sent });
        }
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_gives_events_per_second() {
        let p = Progress {
            station_id: "V01".into(),
            events_sent: 250_000,
            events_to_send: 1_000_000,
            elapsed_ms: 2_000,
        };
        assert_eq!(p.events_per_s(), 125_000);
        assert_eq!(
            p.line(Lang::En),
            "publishing: 250000 / 1000000 events, 125000 events/s (V01)"
        );
        assert_eq!(
            p.line(Lang::Zh),
            "发布中：250000 / 1000000 条，每秒 125000 条（V01）"
        );
    }

    #[test]
    fn every_refusal_is_one_line_in_both_languages_and_names_the_way_out() {
        let errors = [
            PublishError::NotTownship,
            PublishError::BadAddress("x".into()),
            PublishError::Connect("refused".into()),
            PublishError::Schema(MigrationError::Newer {
                version: 9,
                name: "0009_x".into(),
                known: 2,
            }),
            PublishError::Schema(MigrationError::Changed {
                version: 2,
                name: "0002_views".into(),
            }),
            PublishError::Database("disk full".into()),
            PublishError::Chain {
                station_id: "V01".into(),
                seq: 3,
                problem: "previous-hash link broken".into(),
            },
            PublishError::Fork {
                station_id: "V01".into(),
                seq: 2,
                postgres_hash: "ab".repeat(32),
                ledger_hash: "cd".repeat(32),
                stations: 1,
            },
            PublishError::Concurrent {
                station_id: "V01".into(),
            },
            PublishError::Interrupted { events_sent: 10 },
        ];
        let ways_out = [
            "aixin export",
            "postgresql://",
            "check",
            "update aixin",
            "administrator",
            "run aixin publish again",
            "aixin verify",
            "which version is right",
            "again later",
            "run aixin publish again",
        ];
        for (error, way_out) in errors.iter().zip(ways_out) {
            let (zh, en) = (error.message(Lang::Zh), error.message(Lang::En));
            assert!(!zh.contains('\n') && !en.contains('\n'), "{en}");
            assert!(en.contains(way_out), "{en} should say {way_out}");
            assert!(zh.chars().any(|c| c > '\u{4e00}'), "{zh} should be Chinese");
        }
    }
}
