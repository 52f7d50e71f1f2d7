//! `aixin-bench commit-probe LEDGER`: 300 durable sales on an existing ledger file (one made by
//! the ledger section, whose households hold cards `LJ0000000`… and goods `G00002`), and their
//! median commit time. For looking at one file's commit cost without rebuilding it.

use std::path::Path;
use std::time::{Duration, Instant};

use aixin::domain::time::DAY_MS;
use aixin::domain::{Command, HouseholdRef};
use aixin::store::Ledger;

use crate::ledger::START_MS;
use crate::stats::{median, ms};

/// Sales to time.
const SALES: u64 = 300;

/// Runs the probe on the ledger named by the first argument; prints the median or the error.
pub fn run(args: &[String]) {
    let Some(path) = args.first() else {
        eprintln!("usage: aixin-bench commit-probe LEDGER");
        return;
    };
    match probe(Path::new(path)) {
        Ok(samples) => println!("sale commit on {path}: median {}", ms(median(&samples))),
        Err(e) => eprintln!("aixin-bench: commit-probe: {e}"),
    }
}

fn probe(path: &Path) -> Result<Vec<Duration>, String> {
    let mut ledger = Ledger::open(path).map_err(|e| e.to_string())?;
    let now = START_MS + 61 * DAY_MS;
    let mut samples = Vec::new();
    for i in 0..SALES {
        let who = (i * 7919 + 13) % 100_000;
        let command = Command::Redeem {
            household: HouseholdRef::Card(format!("LJ{who:07}")),
            lines: vec![("G00002".into(), 1)],
            proxy: None,
        };
        let started = Instant::now();
        ledger
            .execute("bench", now, &command)
            .map_err(|e| format!("{e:?}"))?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}
