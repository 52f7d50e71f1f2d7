//! `aixin-bench recovery [--households N] [--events N] [--dir DIR] [--rounds N]`: how long a
//! ledger of 100,000 households and 1,000,000 events takes to open after an unclean shutdown,
//! beside the time to open the same file after a clean one, measured in the same run.
//!
//! Each unclean round starts a child (`aixin-bench hold-open LEDGER`) that opens the ledger
//! for writing as the till does, records one sale, says so and waits; the parent kills it with
//! SIGKILL, so the file is left marked "not closed cleanly" and redb must repair it on the next
//! read-write open. A clean round opens and closes it in this process first. Both are timed
//! twice: with the file in the page cache (a till restarted after a crash), and with the
//! file's pages dropped from the cache first (`dd iflag=nocache`, a power cut), as the ledger
//! open alone and as a whole `aixin balance` process (start-up included). After an unclean
//! shutdown it also times the open followed by a full `verify` (every event's hash re-chained,
//! every derived table replayed and compared), which must find nothing wrong.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};
use std::time::{Duration, Instant};

use aixin::domain::{Command, HouseholdRef};
use aixin::store::Ledger;

use crate::ledger::{card, load_big, START_MS};
use crate::stats::{machine, median, ms, ratio};

/// Rounds of each kind when `--rounds` is not given.
const ROUNDS: usize = 5;

/// Runs the recovery benchmark; prints the figures as they are measured.
pub fn run(args: &[String]) -> Result<(), String> {
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let households: u64 = flag("--households")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let events: u64 = flag("--events")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let rounds: usize = flag("--rounds")
        .and_then(|v| v.parse().ok())
        .unwrap_or(ROUNDS);
    let dir = PathBuf::from(flag("--dir").unwrap_or_else(|| "bench-data/recovery".into()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let data = dir.join("station");
    std::fs::create_dir_all(&data).map_err(|e| e.to_string())?;
    let path = aixin::config::ledger_path(&data);
    println!(
        "recovery on {} ({} cores), data in {}",
        machine(),
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        dir.display()
    );
    let started = Instant::now();
    let (ledger, written) = load_big(&path, households, events)?;
    drop(ledger);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "ledger of {households} households and {written} events: built in {:.0} s, file {:.0} MiB",
        started.elapsed().as_secs_f64(),
        size as f64 / 1_048_576.0
    );

    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let aixin = exe.with_file_name("aixin");
    let mut figures = Figures::default();
    for round in 0..rounds {
        for cold in [false, true] {
            // Clean: the file was closed cleanly by the last open.
            hold_open_and_close(&path)?;
            drop_cache(&path, cold)?;
            figures.push(cold, false, false, time_open(&path)?);
            hold_open_and_close(&path)?;
            drop_cache(&path, cold)?;
            figures.push(cold, false, true, time_cli(&aixin, &data)?);
            // Unclean: a child holding it for writing was killed.
            kill_holder(&exe, &path, round)?;
            drop_cache(&path, cold)?;
            figures.push(cold, true, false, time_open(&path)?);
            kill_holder(&exe, &path, round)?;
            drop_cache(&path, cold)?;
            figures.push(cold, true, true, time_cli(&aixin, &data)?);
            // Unclean, then the whole file checked.
            kill_holder(&exe, &path, round)?;
            drop_cache(&path, cold)?;
            let verify = time_open_verify(&path)?;
            println!(
                "round {}: {} cache, open after an unclean shutdown + verify: {}",
                round + 1,
                if cold { "cold" } else { "warm" },
                ms(verify)
            );
            figures.verify.entry(cold).or_default().push(verify);
        }
    }
    figures.print(rounds);
    Ok(())
}

/// Samples by (cold cache, unclean, whole CLI process).
#[derive(Default)]
struct Figures {
    samples: std::collections::BTreeMap<(bool, bool, bool), Vec<Duration>>,
    /// Open after an unclean shutdown and `verify`, by cold cache.
    verify: std::collections::BTreeMap<bool, Vec<Duration>>,
}

impl Figures {
    fn push(&mut self, cold: bool, unclean: bool, cli: bool, sample: Duration) {
        self.samples
            .entry((cold, unclean, cli))
            .or_default()
            .push(sample);
    }

    fn print(&self, rounds: usize) {
        for cold in [false, true] {
            for cli in [false, true] {
                let clean = self.samples.get(&(cold, false, cli)).map(|s| median(s));
                let unclean = self.samples.get(&(cold, true, cli)).map(|s| median(s));
                let (Some(clean), Some(unclean)) = (clean, unclean) else {
                    continue;
                };
                let spread = |unclean: bool| {
                    let s = &self.samples[&(cold, unclean, cli)];
                    let min = s.iter().min().copied().unwrap_or_default();
                    let max = s.iter().max().copied().unwrap_or_default();
                    format!("{}–{}", ms(min), ms(max))
                };
                println!(
                    "{} cache, {}: after an unclean shutdown median {} ({}), after a clean one \
                     median {} ({}); ratio {:.1}x ({rounds} rounds each)",
                    if cold { "cold" } else { "warm" },
                    if cli {
                        "whole `aixin balance` process"
                    } else {
                        "Ledger::open + head read"
                    },
                    ms(unclean),
                    spread(true),
                    ms(clean),
                    spread(false),
                    ratio(unclean, clean)
                );
            }
        }
        for (cold, samples) in &self.verify {
            let min = samples.iter().min().copied().unwrap_or_default();
            let max = samples.iter().max().copied().unwrap_or_default();
            println!(
                "{} cache, Ledger::open after an unclean shutdown + verify of every event and \
                 derived table: median {} ({}–{}; {} rounds)",
                if *cold { "cold" } else { "warm" },
                ms(median(samples)),
                ms(min),
                ms(max),
                samples.len()
            );
        }
    }
}

/// Opens and closes the ledger cleanly (a read-write open repairs it if it needs it).
fn hold_open_and_close(path: &Path) -> Result<(), String> {
    Ledger::open(path).map(drop).map_err(|e| e.to_string())
}

/// Drops the file's pages from the page cache when `cold` (GNU dd's `iflag=nocache` with no
/// data copied advises the kernel to drop the whole file), so the next open reads the disk.
fn drop_cache(path: &Path, cold: bool) -> Result<(), String> {
    if !cold {
        return Ok(());
    }
    let status = Process::new("dd")
        .arg(format!("if={}", path.display()))
        .args(["iflag=nocache", "count=0", "status=none"])
        .status()
        .map_err(|e| format!("dd: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "dd could not drop the file's cache".into())
}

/// The time to open the ledger for writing (repairing it if needed) and read its head.
fn time_open(path: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let ledger = Ledger::open(path).map_err(|e| e.to_string())?;
    let head = ledger
        .view()
        .and_then(|v| v.require_meta())
        .map_err(|e| e.to_string())?
        .head_seq;
    let elapsed = started.elapsed();
    if head == 0 {
        return Err("the ledger is empty".into());
    }
    Ok(elapsed)
}

/// The time to open the ledger for writing (repairing it if needed) and verify all of it;
/// an error if verify finds anything wrong.
fn time_open_verify(path: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let ledger = Ledger::open(path).map_err(|e| e.to_string())?;
    let reports = aixin::store::verify::verify_all(&ledger).map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    let events: u64 = reports.iter().map(|r| r.events).sum();
    if let Some(problem) = reports.iter().flat_map(|r| &r.problems).next() {
        return Err(format!("verify after an unclean shutdown: {problem}"));
    }
    if events == 0 {
        return Err("verify read no events".into());
    }
    Ok(elapsed)
}

/// The time of a whole `aixin --json balance CARD` process on the station.
fn time_cli(aixin: &Path, data: &Path) -> Result<Duration, String> {
    let started = Instant::now();
    let out = Process::new(aixin)
        .arg("--data-dir")
        .arg(data)
        .args(["--json", "balance"])
        .arg(card(7))
        .env("AIXIN_NOW", "2026-12-01T02:00:00Z")
        .output()
        .map_err(|e| format!("{}: {e}", aixin.display()))?;
    let elapsed = started.elapsed();
    if !out.status.success() {
        return Err(format!(
            "aixin balance failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(elapsed)
}

/// Starts `hold-open`, waits until it has recorded its sale, and kills it (SIGKILL).
fn kill_holder(exe: &Path, path: &Path, round: usize) -> Result<(), String> {
    let mut child = Process::new(exe)
        .arg("hold-open")
        .arg(path)
        .arg(round.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    child.kill().map_err(|e| e.to_string())?;
    child.wait().map_err(|e| e.to_string())?;
    if line.trim() == "ready" {
        Ok(())
    } else {
        Err(format!("hold-open did not get ready: {line}"))
    }
}

/// `aixin-bench hold-open LEDGER N`: opens the ledger for writing, records one sale, prints
/// `ready` and waits to be killed.
pub fn hold_open(args: &[String]) -> i32 {
    let Some(path) = args.first() else {
        eprintln!("usage: aixin-bench hold-open LEDGER N");
        return 2;
    };
    let n: u64 = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(0);
    let sale = Command::Redeem {
        household: HouseholdRef::Card(card(n % 50 + 1)),
        lines: vec![("G00003".into(), 1)],
        proxy: None,
    };
    let held = Ledger::open(Path::new(path)).and_then(|mut ledger| {
        // A minute after the last entry: no clock question.
        let last_ms = ledger.view()?.require_meta()?.last_time_ms;
        ledger.execute("bench", last_ms.max(START_MS) + 60_000, &sale)?;
        Ok(ledger)
    });
    match held {
        Ok(_ledger) => {
            println!("ready");
            std::thread::sleep(Duration::from_secs(600));
            0
        }
        Err(e) => {
            eprintln!("hold-open: {e}");
            1
        }
    }
}
