//! The publish benchmark (`cargo test --release --test publish_bench -- --ignored --nocapture`,
//! which starts a throw-away PostgreSQL): a township holding a year of `villages` villages at a
//! county's density (about 13,000 events per village a year: 200 households, 80 of them scored
//! and shopping each week, stock received weekly as donations, fund purchases and merchants'
//! supply lots, a void and a till-session close a week) is published into an empty database,
//! published again (nothing new), and every view is queried. The reference, measured
//! in the same run on the same server, is a plain binary COPY of the very same rows into
//! copies of the tables, without reading the ledger, verifying chains or checking heads.

#![allow(
    clippy::float_arithmetic,
    reason = "the bench's rates, ratios and sizes per event are fractions of timings"
)]

use std::ops::ControlFlow;
use std::time::Instant;

use serde::Serialize;

use super::copy::{copy_lines, RowCopy, Tables, EVENT_COLUMNS};
use super::rows::{LineRows, Replay};
use super::{connect, publish, PublishOptions, BATCH_EVENTS_DEFAULT};
use crate::domain::time::{Moment, DAY_MS};
use crate::domain::{Command, Event, Goods, HouseholdRef, StationRole, StockSource, Zone};
use crate::store::codec;
use crate::store::ledger::ForeignEvent;
use crate::store::Ledger;

/// 2026-01-05 09:00 China time, a Monday: the bench year's first week.
const YEAR_START_MS: i64 = 1_767_574_800_000;
const HOUSEHOLDS: u64 = 200;
const SHOPPERS_PER_WEEK: u64 = 80;
const ITEMS: u64 = 10;

/// Copies of the published tables for the reference COPY.
const REFERENCE: Tables = Tables {
    events: "events_reference",
    sale_lines: "sale_lines_reference",
    clearing_lines: "clearing_lines_reference",
    lots: "lots_reference",
    lot_takes: "lot_takes_reference",
    credit_lines: "credit_lines_reference",
    sessions: "till_sessions_reference",
};

/// What [`run_publish_bench`] measured.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PublishBenchReport {
    /// Villages in the township.
    pub villages: u64,
    /// Weeks of activity per village.
    pub weeks: u64,
    /// Events published in all (villages and township).
    pub events: u64,
    /// Seconds to build the villages and the township (not part of publishing).
    pub fill_s: f64,
    /// Seconds of the first publish, all of it (migrations, verification, sending).
    pub publish_s: f64,
    /// Of which verifying every chain (pass 1).
    pub verify_s: f64,
    /// Events per second of the whole first publish.
    pub events_per_s: f64,
    /// Seconds of a second publish with nothing new (a full verification, nothing sent).
    pub republish_s: f64,
    /// Seconds of the reference: a plain binary COPY of the same rows.
    pub reference_s: f64,
    /// Seconds the reference spent before its COPY, reading the ledger and making the rows
    /// (not part of `reference_s`; the publish does the same work while it sends).
    pub rows_s: f64,
    /// Events per second of the reference.
    pub reference_events_per_s: f64,
    /// publish events/s ÷ reference events/s.
    pub ratio: f64,
    /// CPU seconds this process (reader thread included) spent in the first publish; with
    /// the server's figure below it shows the work apart from the wait for a core on a
    /// loaded machine. `None` where `/proc` cannot be read.
    pub publish_client_cpu_s: Option<f64>,
    /// CPU seconds PostgreSQL's backend (the one connection) spent in the first publish.
    pub publish_server_cpu_s: Option<f64>,
    /// CPU seconds PostgreSQL's backend spent in the reference's COPY.
    pub reference_server_cpu_s: Option<f64>,
    /// Rows of each side table published with the events: (table, rows).
    pub side_rows: Vec<(String, i64)>,
    /// Mean size of an event's canonical bytes (the `body` column).
    pub body_bytes_per_event: f64,
    /// Bytes PostgreSQL uses for events and every side table, with indexes.
    pub postgres_bytes: i64,
    /// Those bytes per event.
    pub postgres_bytes_per_event: f64,
    /// Each query of [`VIEW_QUERIES`], references first: (name, rows returned, milliseconds of
    /// the fastest of three runs).
    pub views: Vec<(String, u64, f64)>,
    /// The same with PostgreSQL's JIT compilation off (`set jit = off`).
    pub views_without_jit: Vec<(String, u64, f64)>,
    /// PostgreSQL's version.
    pub server_version: String,
    /// Set when the bench could not run to the end.
    pub error: Option<String>,
}

/// Each view query runs this many times; the fastest is reported (the build machine is shared,
/// and one run may lose the CPU to others).
const VIEW_RUNS: usize = 3;

/// The view queries timed, as an office would run them, after the two references they are
/// compared with: the whole `events` table scanned (the floor of a whole-township view) and one
/// village's events read through the primary key (the floor of a one-village view).
pub const VIEW_QUERIES: &[(&str, &str)] = &[
    (
        "reference: every event scanned",
        "select count(*), sum(points), sum(quantity) from events",
    ),
    (
        "reference: one village's events",
        "select count(*), sum(points), sum(quantity) from events where station_id = 'V007'",
    ),
    ("village_totals", "select * from village_totals"),
    ("village_month_points", "select * from village_month_points"),
    ("household_balances", "select * from household_balances"),
    ("village_stock", "select * from village_stock"),
    ("settlement_lines", "select * from settlement_lines"),
    (
        "merchant_settlement (one quarter)",
        "select * from merchant_settlement where quarter = '2026-Q2'",
    ),
    ("donated_redemptions", "select * from donated_redemptions"),
    ("budget_use", "select * from budget_use"),
    ("anomalies", "select * from anomalies"),
    ("lot_ledger", "select * from lot_ledger"),
    ("lots_by_source", "select * from lots_by_source"),
    ("donations", "select * from donations"),
    ("donors", "select * from donors"),
    ("settlement_unpaid", "select * from settlement_unpaid"),
    (
        "household_credit_years",
        "select * from household_credit_years",
    ),
    ("session_reports", "select * from session_reports"),
    (
        "village_totals (one village)",
        "select * from village_totals where station_id = 'V007'",
    ),
    (
        "village_month_points (one village)",
        "select * from village_month_points where station_id = 'V007'",
    ),
    (
        "household_balances (one village)",
        "select * from household_balances where station_id = 'V007'",
    ),
    (
        "lot_ledger (one village)",
        "select * from lot_ledger where station_id = 'V007'",
    ),
    (
        "settlement_lines (one village, one quarter)",
        "select * from settlement_lines where station_id = 'V007' and quarter = '2026-Q2'",
    ),
    (
        "household_credit_years (one village)",
        "select * from household_credit_years where station_id = 'V007'",
    ),
    (
        "session_reports (one village)",
        "select * from session_reports where station_id = 'V007'",
    ),
];

/// Builds the township, publishes it to `address` (an empty database) and measures. Never
/// panics: a failure is reported in [`PublishBenchReport::error`].
pub fn run_publish_bench(address: &str, villages: u64, weeks: u64) -> PublishBenchReport {
    let mut report = PublishBenchReport {
        villages,
        weeks,
        ..Default::default()
    };
    report.error = bench(address, &mut report).err();
    report
}

fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn bench(address: &str, report: &mut PublishBenchReport) -> Result<(), String> {
    let township_dir = tempfile::tempdir().map_err(text)?;
    let started = Instant::now();
    let township = build_township(township_dir.path(), report.villages, report.weeks)?;
    report.fill_s = started.elapsed().as_secs_f64();

    let mut client = connect(address).map_err(text)?;
    let backend: i32 = client
        .query_one("select pg_backend_pid()", &[])
        .map_err(text)?
        .get(0);
    let options = PublishOptions::default();
    let (client_cpu, server_cpu) = (cpu_s("self"), cpu_s(&backend.to_string()));
    let started = Instant::now();
    let published = publish(&township, &[], &[], &mut client, &options, &mut |_| {
        ControlFlow::Continue(())
    })
    .map_err(text)?;
    report.publish_s = started.elapsed().as_secs_f64();
    report.publish_client_cpu_s = since(client_cpu, cpu_s("self"));
    report.publish_server_cpu_s = since(server_cpu, cpu_s(&backend.to_string()));
    report.verify_s = published.verify_ms as f64 / 1000.0;
    report.events = published.events_sent;
    report.events_per_s = report.events as f64 / report.publish_s.max(1e-9);

    let started = Instant::now();
    let again = publish(&township, &[], &[], &mut client, &options, &mut |_| {
        ControlFlow::Continue(())
    })
    .map_err(text)?;
    report.republish_s = started.elapsed().as_secs_f64();
    if again.events_sent != 0 {
        return Err(format!("a re-run sent {} events", again.events_sent));
    }

    let server_cpu = cpu_s(&backend.to_string());
    report.reference_s = reference_copy(&township, &mut client, report)?;
    report.reference_server_cpu_s = since(server_cpu, cpu_s(&backend.to_string()));
    report.reference_events_per_s = report.events as f64 / report.reference_s.max(1e-9);
    report.ratio = report.events_per_s / report.reference_events_per_s.max(1e-9);

    report.postgres_bytes = client
        .query_one(
            "select pg_total_relation_size('events') + pg_total_relation_size('sale_lines')
                  + pg_total_relation_size('clearing_lines') + pg_total_relation_size('lots')
                  + pg_total_relation_size('lot_takes') + pg_total_relation_size('credit_lines')
                  + pg_total_relation_size('till_sessions')",
            &[],
        )
        .map_err(text)?
        .get(0);
    report.postgres_bytes_per_event = report.postgres_bytes as f64 / report.events.max(1) as f64;
    report.body_bytes_per_event = client
        .query_one("select avg(octet_length(body))::float8 from events", &[])
        .map_err(text)?
        .get(0);
    for table in [
        "sale_lines",
        "clearing_lines",
        "lots",
        "lot_takes",
        "credit_lines",
        "till_sessions",
    ] {
        let rows: i64 = client
            .query_one(&format!("select count(*) from {table}"), &[])
            .map_err(text)?
            .get(0);
        report.side_rows.push((table.to_string(), rows));
    }
    report.server_version = client
        .query_one("show server_version", &[])
        .map_err(text)?
        .get(0);

    let year_end_ms = YEAR_START_MS + 7 * DAY_MS * report.weeks as i64;
    client
        .batch_execute(&format!("set aixin.now_ms = '{year_end_ms}'; analyze"))
        .map_err(text)?;
    report.views = time_views(&mut client)?;
    // PostgreSQL's JIT compiles a plan whose estimated cost passes `jit_above_cost`; the
    // views' estimates do, and compiling can cost more than running: time them without too.
    client.batch_execute("set jit = off").map_err(text)?;
    report.views_without_jit = time_views(&mut client)?;
    Ok(())
}

/// Each of [`VIEW_QUERIES`]: (name, rows returned, milliseconds of the fastest run).
fn time_views(client: &mut postgres::Client) -> Result<Vec<(String, u64, f64)>, String> {
    let mut views = Vec::new();
    for (name, sql) in VIEW_QUERIES {
        let mut fastest_ms = f64::MAX;
        let mut rows = 0;
        for _ in 0..VIEW_RUNS {
            let started = Instant::now();
            rows = client
                .query(*sql, &[])
                .map_err(|e| format!("{name}: {e}"))?
                .len() as u64;
            fastest_ms = fastest_ms.min(started.elapsed().as_secs_f64() * 1000.0);
        }
        views.push((name.to_string(), rows, fastest_ms));
    }
    Ok(views)
}

/// CPU seconds (user and system) process `pid` (or `self`) has used, from `/proc/PID/stat`
/// (fields 14 and 15, in the kernel's 100 ticks a second).
fn cpu_s(pid: &str) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let after_name = stat.rsplit_once(')')?.1;
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

fn since(before: Option<f64>, after: Option<f64>) -> Option<f64> {
    Some(after? - before?)
}

/// The same rows, made beforehand a batch at a time, copied into `*_reference` tables (same
/// columns, keys and checks) in transactions of the same size; returns the seconds spent in
/// COPY and commit only.
fn reference_copy(
    township: &Ledger,
    client: &mut postgres::Client,
    report: &mut PublishBenchReport,
) -> Result<f64, String> {
    client
        .batch_execute(
            "create table events_reference (like events including all);
             create table sale_lines_reference (like sale_lines including all);
             create table clearing_lines_reference (like clearing_lines including all);
             create table lots_reference (like lots including all);
             create table lot_takes_reference (like lot_takes including all);
             create table credit_lines_reference (like credit_lines including all);
             create table till_sessions_reference (like till_sessions including all);",
        )
        .map_err(text)?;
    let mut seconds = 0.0;
    for station in township.view().map_err(text)?.stations().map_err(text)? {
        let view = township.view_of(&station).map_err(text)?;
        let head = view.meta().map_err(text)?.map_or(0, |m| m.head_seq);
        let mut replay = Replay::default();
        let mut next = 1;
        while next <= head {
            let last = head.min(next + BATCH_EVENTS_DEFAULT - 1);
            let mut rows = Vec::new();
            let mut lines = LineRows::default();
            let making = Instant::now();
            for (hash, bytes) in view.raw_events(next, last, u64::MAX).map_err(text)? {
                let event: Event = codec::decode(&bytes).map_err(text)?;
                let typed = replay
                    .step(&event, bytes, &hash, view.state())
                    .map_err(text)?;
                rows.push(typed.event);
                lines.extend(typed.lines);
            }
            report.rows_s += making.elapsed().as_secs_f64();
            let started = Instant::now();
            let mut txn = client.transaction().map_err(text)?;
            {
                let mut copy =
                    RowCopy::start(&mut txn, REFERENCE.events, &EVENT_COLUMNS).map_err(text)?;
                for row in &rows {
                    copy.event(row).map_err(text)?;
                }
                copy.finish().map_err(text)?;
            }
            copy_lines(&mut txn, &REFERENCE, &lines).map_err(text)?;
            txn.commit().map_err(text)?;
            seconds += started.elapsed().as_secs_f64();
            next = last + 1;
        }
    }
    Ok(seconds)
}

fn station(dir: &std::path::Path, id: &str, role: StationRole) -> Result<Ledger, String> {
    let mut ledger = Ledger::create(&dir.join("ledger.redb")).map_err(text)?;
    let policy = crate::policies::builtin("daily-action")
        .ok_or("no daily-action policy")?
        .map_err(text)?;
    let init = Command::Init {
        station_id: id.into(),
        name: format!("{id} 爱心超市"),
        role,
        policy,
    };
    ledger
        .execute("bench", YEAR_START_MS - DAY_MS, &init)
        .map_err(text)?;
    Ok(ledger)
}

/// A township holding `villages` villages' years, committed to its ledger the way an import
/// commits verified events.
fn build_township(dir: &std::path::Path, villages: u64, weeks: u64) -> Result<Ledger, String> {
    let mut township = station(dir, "T01", StationRole::Township)?;
    for v in 0..villages {
        let village_dir = tempfile::tempdir().map_err(text)?;
        let id = format!("V{v:03}");
        let village = village_year(village_dir.path(), &id, weeks)?;
        let view = village.view().map_err(text)?;
        let head = view.require_meta().map_err(text)?.head_seq;
        let mut foreign = Vec::new();
        for (hash, bytes) in view.raw_events(1, head, u64::MAX).map_err(text)? {
            let event = codec::decode(&bytes).map_err(text)?;
            foreign.push(ForeignEvent { event, hash, bytes });
        }
        let now = YEAR_START_MS + 7 * DAY_MS * weeks as i64;
        township
            .commit_sync("bench", &Moment::at(now), &foreign, &[], &[])
            .map_err(text)?;
    }
    Ok(township)
}

fn item(j: u64) -> Goods {
    let donated = j % 2 == 1;
    Goods {
        goods_id: format!("G{j:02}"),
        name: format!("物品{j}"),
        unit: "个".into(),
        barcode: String::new(),
        price_points: 2,
        zone: Zone::Points(2),
        category: "日用".into(),
        supplier: if donated {
            String::new()
        } else {
            format!("商户{}", j % 4)
        },
    }
}

fn receipt(j: u64, week: u64, quantity: i64) -> Command {
    let source = match (j + week) % 3 {
        0 => StockSource::Donation {
            donor: "爱心企业".into(),
        },
        1 => StockSource::Purchase {
            fund: "村集体".into(),
            cost_fen: quantity * 150,
        },
        _ => StockSource::Supply {
            merchant: format!("商户{}", j % 4),
        },
    };
    Command::ReceiveStock {
        goods_id: format!("G{j:02}"),
        quantity,
        source,
    }
}

fn execute(ledger: &mut Ledger, now: i64, commands: &[Command]) -> Result<Vec<Event>, String> {
    ledger.execute_batch("bench", now, commands).map_err(text)
}

/// A village's year: households and catalog, then each week 80 households scored 4 points and
/// confirmed, each buying two 2-point items, ten receipts, one sale of the week before voided,
/// and the till session closed.
fn village_year(dir: &std::path::Path, id: &str, weeks: u64) -> Result<Ledger, String> {
    let mut village = station(dir, id, StationRole::Village)?;
    let mut setup = Vec::new();
    for h in 0..HOUSEHOLDS {
        setup.push(Command::RegisterHousehold {
            household: crate::domain::Household {
                household_id: format!("H{h:03}"),
                card_no: format!("{id}C{h:03}"),
                head: format!("户主{h}"),
                members: Vec::new(),
                group: format!("{}组", h % 5 + 1),
                phone: String::new(),
                registered_poor: h % 10 == 0,
            },
        });
    }
    for j in 0..ITEMS {
        setup.push(Command::DefineGoods { goods: item(j) });
        setup.push(receipt(j, 0, 100));
    }
    execute(&mut village, YEAR_START_MS - DAY_MS + 60_000, &setup)?;
    let mut last_sale = None;
    for week in 0..weeks {
        let monday = YEAR_START_MS + week as i64 * 7 * DAY_MS;
        let shoppers: Vec<String> = (0..SHOPPERS_PER_WEEK)
            .map(|i| format!("H{:03}", (week * SHOPPERS_PER_WEEK + i) % HOUSEHOLDS))
            .collect();
        let period = crate::domain::time::CivilDate::from_utc_ms(monday).to_string();
        let mut scores: Vec<Command> = shoppers
            .iter()
            .map(|h| Command::EnterScore {
                household_id: h.clone(),
                period: period.clone(),
                score: 4,
                note: String::new(),
            })
            .collect();
        if let Some(sale_seq) = last_sale.take() {
            scores.push(Command::VoidSale {
                sale_seq,
                reason: "退货".into(),
            });
        }
        let scored = execute(&mut village, monday, &scores)?;
        let mut shop: Vec<Command> = scored
            .iter()
            .filter(|e| e.body.kind() == "score_entered")
            .map(|e| Command::ConfirmAward { award_seq: e.seq })
            .collect();
        for (i, h) in shoppers.iter().enumerate() {
            shop.push(Command::Redeem {
                household: HouseholdRef::Id(h.clone()),
                lines: vec![(format!("G{:02}", (i as u64 + week) % ITEMS), 2)],
                proxy: None,
            });
        }
        for j in 0..ITEMS {
            shop.push(receipt(j, week + 1, 20));
        }
        let sold = execute(&mut village, monday + 3_600_000, &shop)?;
        last_sale = sold
            .iter()
            .rev()
            .find(|e| e.body.kind() == "redeemed")
            .map(|e| e.seq);
        execute(&mut village, monday + 7_200_000, &[Command::CloseSession])?;
    }
    Ok(village)
}
