//! Operators and backups: how long a PIN takes to hash and to check (Argon2id, the parameters
//! of `store::pins`), and how long the demo station takes to back up (snapshot, scrypt-age
//! encryption, write, read back and verify) and to restore, with the backup file's size.

use std::time::{Duration, Instant};

use aixin::backup::{backup_to, restore};
use aixin::domain::operator::Pin;
use aixin::store::pins::{hash_pin, pin_matches};
use aixin::store::Ledger;

use super::stats::{machine, median, ms};

/// Checks per figure: enough for a stable median, few enough for an old laptop.
const PIN_SAMPLES: usize = 20;

/// Runs the section in `dir` and prints its figures.
pub fn run(dir: &std::path::Path) -> Result<(), String> {
    println!("ops on {}", machine());
    let pin = Pin::new("2468");
    let mut hashes = Vec::with_capacity(PIN_SAMPLES);
    let mut checks = Vec::with_capacity(PIN_SAMPLES);
    let mut phc = String::new();
    for _ in 0..PIN_SAMPLES {
        let t = Instant::now();
        phc = hash_pin(&pin).map_err(|e| e.to_string())?;
        hashes.push(t.elapsed());
        let t = Instant::now();
        if !pin_matches(&phc, &pin) {
            return Err("a PIN did not match its own hash".into());
        }
        checks.push(t.elapsed());
    }
    println!(
        "PIN hash (Argon2id {phc:.31}…): median {}",
        ms(median(&hashes))
    );
    println!("PIN check: median {}", ms(median(&checks)));

    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let work = tempfile::tempdir_in(dir).map_err(|e| e.to_string())?;
    let station = work.path().join("station");
    let stick = work.path().join("stick");
    for d in [&station, &stick] {
        std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
    }
    let now_ms = 1_795_224_600_000;
    let mut ledger = Ledger::create(&station.join("ledger.redb")).map_err(|e| e.to_string())?;
    let summary = aixin::demo::build_demo(&mut ledger, now_ms).map_err(|e| e.to_string())?;
    aixin::sync::keys::StationKeys::generate()
        .save(&station)
        .map_err(|e| e.to_string())?;
    let ledger_bytes = std::fs::metadata(station.join("ledger.redb"))
        .map(|m| m.len())
        .unwrap_or(0);
    let passphrase = "bench passphrase 2026";
    let t = Instant::now();
    let done =
        backup_to(&ledger, &station, &stick, passphrase, now_ms).map_err(|e| e.to_string())?;
    let backup_time: Duration = t.elapsed();
    drop(ledger);
    let t = Instant::now();
    restore(&done.path, passphrase, &work.path().join("restored")).map_err(|e| e.to_string())?;
    let restore_time = t.elapsed();
    println!(
        "demo station ({} events, ledger file {} KB): backup written, read back and verified in {}; file {} KB",
        summary.events.max(done.manifest.events as usize),
        ledger_bytes.div_ceil(1024),
        ms(backup_time),
        done.bytes.div_ceil(1024)
    );
    println!(
        "restore (decrypt, unpack, rebuild, verify, move): {}",
        ms(restore_time)
    );
    Ok(())
}
