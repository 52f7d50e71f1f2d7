//! The sync benchmark's own module from the `aixin-bench` binary, included here so that a
//! small run proves it works on every `cargo test`, and the full run can be measured without
//! the bench binary: `cargo test --release --test sync_bench -- --ignored --nocapture`
//! (env `AIXIN_SYNC_BENCH_EVENTS`).

#[path = "../src/bin/aixin-bench/sync.rs"]
#[allow(clippy::float_arithmetic, reason = "the bench's rates are fractions")]
mod sync;

use sync::{run_sync_bench, run_township_month_bench};

#[test]
fn township_month_bench_runs() {
    let report = run_township_month_bench(2);
    assert_eq!(report.error, None);
    assert!(report.events > 500, "{report:?}");
}

#[test]
fn small_bench_runs() {
    let report = run_sync_bench(200);
    assert_eq!(report.error, None);
    assert_eq!(report.events, 200);
    assert!(report.bytes_per_event > 10.0);
}

#[test]
#[ignore = "a benchmark: run it on purpose, in release"]
fn sync_bench() {
    let events = std::env::var("AIXIN_SYNC_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let report = run_sync_bench(events);
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    assert_eq!(report.error, None);
}
