//! `aixin publish --postgres URL`: the command line's door to [`super::publish`]. Opens the
//! township's ledger, reads its fork notes, connects, publishes with a progress line on stderr
//! about once a second for long runs, and prints the summary (text or `--json`). Exit codes
//! follow the command line's: 1 refused (not a township, a damaged chain, a fork), 2 bad
//! address, 3 the database or ledger could not be used (publish again to resume).

use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use super::{connect, publish, Progress, PublishError, PublishOptions};
use crate::cli::{Context, Failure, EXIT_REFUSED, EXIT_STORAGE, EXIT_USAGE};
use crate::i18n::Lang;
use crate::sync::files::fork_notes;

/// How often a long publish prints its progress line.
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// The exit code and message for a publish that stopped.
pub fn failure(e: PublishError, lang: Lang) -> Failure {
    let code = match e {
        PublishError::NotTownship | PublishError::Chain { .. } | PublishError::Fork { .. } => {
            EXIT_REFUSED
        }
        PublishError::BadAddress(_) => EXIT_USAGE,
        PublishError::Store(store) => return crate::cli::store_failure(store, lang),
        _ => EXIT_STORAGE,
    };
    (code, e.message(lang))
}

/// Runs `aixin publish`: `address` is the `--postgres` value, `batch_events` the events per
/// transaction.
pub fn run(ctx: &Context, address: &str, batch_events: u64) -> Result<(), Failure> {
    let lang = ctx.lang;
    let ledger = ctx.open()?;
    let forks = fork_notes(&ctx.data_dir);
    let mut client = connect(address).map_err(|e| failure(e, lang))?;
    let mut last_line = Instant::now();
    let mut progress = |p: &Progress| {
        if last_line.elapsed() >= PROGRESS_EVERY {
            eprintln!("{}", p.line(lang));
            last_line = Instant::now();
        }
        ControlFlow::Continue(())
    };
    let options = PublishOptions { batch_events };
    let report = publish(&ledger, &forks, &mut client, &options, &mut progress)
        .map_err(|e| failure(e, lang))?;
    if ctx.json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        value["events_per_s"] = report.events_per_s().into();
        println!("{value}");
        return Ok(());
    }
    let mut text = report.summary(lang);
    for station in report
        .stations
        .iter()
        .filter(|s| s.sent > 0 || s.postgres_ahead > 0)
    {
        text.push('\n');
        text.push_str(&match lang {
            Lang::Zh => format!(
                "  {}：到第 {} 条，新发送 {} 条{}",
                station.station_id,
                station.head_seq,
                station.sent,
                if station.postgres_ahead > 0 {
                    format!(
                        "（PostgreSQL 多出 {} 条，来自更完整的账本）",
                        station.postgres_ahead
                    )
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "  {}: up to #{}, {} new{}",
                station.station_id,
                station.head_seq,
                station.sent,
                if station.postgres_ahead > 0 {
                    format!(
                        " (PostgreSQL holds {} more, from a more complete ledger)",
                        station.postgres_ahead
                    )
                } else {
                    String::new()
                }
            ),
        });
    }
    println!("{text}");
    Ok(())
}
