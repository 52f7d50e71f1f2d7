//! The bench's arithmetic and machine facts: medians and percentiles of timings, their
//! printing in ms or µs, the CPU's name and this process's peak RSS.

use std::time::Duration;

/// The CPU model from `/proc/cpuinfo`, for the report's first line.
pub fn machine() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown cpu".into())
}

/// A duration in milliseconds, three decimals.
pub fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// A duration in microseconds, one decimal.
pub fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// `a / b` (b at least 1 ns), e.g. a commit against the fsync floor.
pub fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}

/// The median of the samples (zero when there are none).
pub fn median(samples: &[Duration]) -> Duration {
    percentile(samples, 50)
}

/// The mean of the samples (zero when there are none): what an operation costs on average,
/// its rare slow ones included, where the median leaves them out.
pub fn mean(samples: &[Duration]) -> Duration {
    let count = u32::try_from(samples.len()).unwrap_or(u32::MAX);
    if count == 0 {
        return Duration::ZERO;
    }
    samples.iter().sum::<Duration>() / count
}

/// The `pct`th percentile of the samples, nearest rank (zero when there are none).
pub fn percentile(samples: &[Duration], pct: usize) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() * pct).div_ceil(100))
        .saturating_sub(1)
        .min(sorted.len() - 1);
    sorted[index]
}

/// This process's peak resident set size in KiB (Linux `VmHWM`), if known.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
