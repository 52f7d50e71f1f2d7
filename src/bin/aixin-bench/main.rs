//! `aixin-bench`: the performance figures the issues ask for, measured in one run on one disk.
//! This binary owns every benchmark; the library holds none. Its sections:
//!
//! - [`ledger`]: the physical floor (a bare 4 KiB write + fsync), a durable single-sale commit
//!   beside it, loading 100,000 households and 1,000,000 events, lookups at that size, and the
//!   peak RSS of this process and of a process running the real CLI on the big ledger;
//! - [`till`]: the till's start-up and keystroke-to-frame times and its peak RSS;
//! - [`sync`]: export and import of a village's events, and a township's month of imports;
//! - [`ops`]: a PIN's hash and check (Argon2id), the demo station's backup and restore;
//! - [`commit_probe`]: durable sales on an existing ledger file (`commit-probe LEDGER`);
//! - [`recovery`]: opening the 100,000-household, 1,000,000-event ledger after an unclean
//!   shutdown beside a clean one (`recovery`; its killed child is `hold-open LEDGER N`);
//! - [`crash_child`]: not a benchmark: the child the kill -9 harness (`tests/crash.rs`) kills
//!   (`crash-child DATA_DIR SEED`).
//! - [`report`]: `all [--markdown]`, every figure beside its reference measured in the same
//!   run (the table of `docs/performance.md`; `scripts/bench-table.sh` regenerates it), with
//!   [`counting`] (pages and syncs per write) and, with `--features bench-peer`, `peer` (the
//!   same sale on SQLite).
//!
//! Usage: `cargo run --release --bin aixin-bench [-- --households N --events N --dir DIR
//! --only ledger|tui|sync|ops]`. The data dir defaults to `./bench-data` (same disk as a real
//! ledger, not a tmpfs).
#![allow(
    clippy::print_stdout,
    clippy::float_arithmetic,
    reason = "a benchmark prints its figures, and rates and ratios of timings are fractions"
)]

mod commit_probe;
mod counting;
mod crash_child;
mod ledger;
mod ops;
#[cfg(feature = "bench-peer")]
mod peer;
mod recovery;
mod report;
mod stats;
mod sync;
mod till;

use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let probe_args = args.get(2..).unwrap_or_default();
    match args.get(1).map(String::as_str) {
        Some("rss-probe") => return ledger::rss_probe(probe_args),
        Some("tui-rss-probe") => return till::tui_rss_probe(probe_args),
        Some("commit-probe") => return commit_probe::run(probe_args),
        Some("crash-child") => std::process::exit(crash_child::run(probe_args)),
        Some("hold-open") => std::process::exit(recovery::hold_open(probe_args)),
        Some("recovery") => {
            if let Err(e) = recovery::run(probe_args) {
                eprintln!("aixin-bench: recovery: {e}");
                std::process::exit(1);
            }
            return;
        }
        Some("startup-probe") => return till::startup_probe(probe_args),
        Some("sale-probe") => {
            match ledger::sale_probe(probe_args) {
                Ok(line) => println!("{line}"),
                Err(e) => {
                    eprintln!("aixin-bench: sale-probe: {e}");
                    std::process::exit(1);
                }
            }
            return;
        }
        Some("all") => {
            if let Err(e) = all(&args) {
                eprintln!("aixin-bench: {e}");
                std::process::exit(1);
            }
            return;
        }
        _ => {}
    }
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned();
    let households = flag(&args, "--households").unwrap_or(100_000);
    let events = flag(&args, "--events").unwrap_or(1_000_000);
    let dir = args
        .iter()
        .position(|a| a == "--dir")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("bench-data"));
    let sections: &[&str] = match only.as_deref() {
        Some("ledger") => &["ledger"],
        Some("tui") => &["tui"],
        Some("sync") => &["sync"],
        Some("ops") => &["ops"],
        _ => &["ledger", "tui", "sync", "ops"],
    };
    for section in sections {
        let result = match *section {
            "ledger" => ledger::run(&dir, households, events),
            "tui" => till::tui_bench(&dir.join("tui"), households),
            "ops" => ops::run(&dir.join("ops")),
            _ => sync_section(events),
        };
        if let Err(e) = result {
            eprintln!("aixin-bench: {section}: {e}");
            std::process::exit(1);
        }
    }
}

/// `all [--markdown] [--dir DIR] [--scales 10000,100000,1000000]`: the whole table.
fn all(args: &[String]) -> Result<(), String> {
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let scales = value("--scales").map_or_else(
        || vec![10_000, 100_000, 1_000_000],
        |v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
    );
    let options = report::Options {
        dir: value("--dir").map_or_else(|| PathBuf::from("bench-data"), PathBuf::from),
        scales,
        markdown: args.iter().any(|a| a == "--markdown"),
    };
    report::run(&options)
}

fn flag(args: &[String], name: &str) -> Option<u64> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

/// Export and import of `events` village events, signature and decryption per bundle, and a
/// 40-village month imported by the township.
fn sync_section(events: u64) -> Result<(), String> {
    let r = sync::run_sync_bench(events);
    if let Some(e) = r.error {
        return Err(e);
    }
    println!(
        "sync {} events in {} bundles: export {:.0} events/s, import {:.0} events/s, {:.0} bytes/event; per bundle: signature check {:.1} ms, decryption {:.1} ms",
        r.events, r.bundles, r.export_events_per_s, r.import_events_per_s, r.bytes_per_event, r.verify_ms_per_bundle, r.decrypt_ms_per_bundle
    );
    let month = sync::run_township_month_bench(40);
    if let Some(e) = month.error {
        return Err(e);
    }
    println!(
        "township month: {} villages, {} events, {:.1} MiB of bundles imported in {:.2} s",
        month.villages,
        month.events,
        month.bundle_bytes as f64 / 1_048_576.0,
        month.import_s
    );
    Ok(())
}
