//! The sync benchmark as an ignored test, for measuring without the bench binary:
//! `cargo test --release --test sync_bench -- --ignored --nocapture` (env `AIXIN_SYNC_BENCH_EVENTS`).

#[test]
#[ignore = "a benchmark: run it on purpose, in release"]
fn sync_bench() {
    let events = std::env::var("AIXIN_SYNC_BENCH_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let report = aixin::sync::bench::run_sync_bench(events);
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    assert_eq!(report.error, None);
}
