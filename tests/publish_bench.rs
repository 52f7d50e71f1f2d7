//! The publish benchmark, run on purpose and in release (not part of `cargo test`):
//! `cargo test --release --test publish_bench -- --ignored --nocapture`
//! (`AIXIN_PUBLISH_BENCH_VILLAGES`, default 40; `AIXIN_PUBLISH_BENCH_WEEKS`, default 52).
//! It starts its own throw-away PostgreSQL with the server's default durability (fsync on)
//! and prints the figures of docs/performance.md as JSON.

mod pg_support;

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cpu() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

#[test]
#[ignore = "a benchmark: run it on purpose, in release"]
fn publish_bench() {
    let cluster = pg_support::Cluster::start(true)
        .unwrap_or_else(|e| panic!("the benchmark needs PostgreSQL: {e}"));
    let address = cluster.fresh_database("bench");
    let villages = env_or("AIXIN_PUBLISH_BENCH_VILLAGES", 40);
    let weeks = env_or("AIXIN_PUBLISH_BENCH_WEEKS", 52);
    let report = aixin::publish::bench::run_publish_bench(&address, villages, weeks);
    println!(
        "machine: {}, {} cores",
        cpu(),
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    assert_eq!(report.error, None);
}
