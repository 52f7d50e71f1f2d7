//! The sync section of `aixin-bench`: a village ledger with N events is exported to its township
//! and imported there, on temporary data dirs. It reports events per second each way, bundle
//! bytes per event, and the time per bundle to check the signature and to decrypt, separately
//! from decoding and storing; and a township's month of imports from many villages. It names
//! the library only by `aixin::` paths, so `tests/sync_bench.rs` includes this same file.

use std::time::Instant;

use serde::Serialize;

use aixin::domain::time::{CivilDate, PeriodKind, DAY_MS};
use aixin::domain::{Command, Goods, HouseholdRef, StationRole, StockSource, Zone};
use aixin::store::{Ledger, StoreError};
use aixin::sync::bundle::verify_bundle;
use aixin::sync::exchange::{export_bundles, import_bundle, ImportOutcome, OutBundle};
use aixin::sync::keys::StationKeys;

/// 2026-03-02 10:00 China time: the bench's clock.
const BENCH_NOW_MS: i64 = 1_772_416_800_000;
/// Commands per transaction while filling the village.
const FILL_BATCH: u64 = 100_000;

/// What [`run_sync_bench`] measured.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncBenchReport {
    /// Village events exported and imported.
    pub events: u64,
    /// Bundles the export was split into.
    pub bundles: u64,
    /// Total bundle bytes.
    pub bundle_bytes: u64,
    /// Bundle bytes per event.
    pub bytes_per_event: f64,
    /// Seconds to fill the village ledger (not part of sync; for scale).
    pub fill_s: f64,
    /// Seconds to build all bundles (read events, encrypt, sign).
    pub export_s: f64,
    /// Exported events per second.
    pub export_events_per_s: f64,
    /// Seconds to import all bundles (verify, decrypt, check, store, apply).
    pub import_s: f64,
    /// Imported events per second.
    pub import_events_per_s: f64,
    /// Milliseconds to check one bundle's signature (mean).
    pub verify_ms_per_bundle: f64,
    /// Milliseconds to decrypt one bundle (mean).
    pub decrypt_ms_per_bundle: f64,
    /// Set when the bench could not run to the end.
    pub error: Option<String>,
}

/// Exports and imports `events` village events and measures it. Never panics: a failure is
/// reported in [`SyncBenchReport::error`].
pub fn run_sync_bench(events: u64) -> SyncBenchReport {
    let mut report = SyncBenchReport {
        events,
        ..Default::default()
    };
    report.error = bench(events, &mut report).err();
    report
}

/// A bench failure as the report's text.
fn text(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Imports every bundle, each of which must apply; returns the seconds it took.
pub fn import_all(
    township: &mut Ledger,
    keys: &StationKeys,
    bundles: &[OutBundle],
    now_ms: i64,
) -> Result<f64, String> {
    let started = Instant::now();
    for bundle in bundles {
        match import_bundle(
            township,
            keys,
            &bundle.bytes,
            "bench",
            aixin::domain::time::Moment::at(now_ms),
        )
        .map_err(text)?
        {
            ImportOutcome::Applied(_) => {}
            other => return Err(format!("unexpected import outcome {other:?}")),
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// A new station `id` in `dir/ledger.redb` under the direct-points policy, created at `now_ms`.
pub fn station(
    dir: &std::path::Path,
    id: &str,
    role: StationRole,
    now_ms: i64,
) -> Result<Ledger, String> {
    let mut ledger = Ledger::create(&dir.join("ledger.redb")).map_err(text)?;
    let policy = aixin::policies::builtin("direct-points")
        .ok_or("no policy")?
        .map_err(text)?;
    let init = Command::Init {
        station_id: id.into(),
        name: id.into(),
        role,
        policy,
    };
    ledger.execute("bench", now_ms, &init).map_err(text)?;
    Ok(ledger)
}

/// Enrolls station `id`'s public keys on `ledger` at `now_ms`.
pub fn enroll(
    ledger: &mut Ledger,
    id: &str,
    role: StationRole,
    keys: &StationKeys,
    now_ms: i64,
) -> Result<(), StoreError> {
    let public = keys.public(id);
    let command = Command::EnrollStation {
        station_id: id.into(),
        role,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient,
    };
    ledger.execute("bench", now_ms, &command).map(|_| ())
}

fn bench(events: u64, report: &mut SyncBenchReport) -> Result<(), String> {
    let village_dir = tempfile::tempdir().map_err(text)?;
    let township_dir = tempfile::tempdir().map_err(text)?;
    let (village_keys, township_keys) = (StationKeys::generate(), StationKeys::generate());
    let now = BENCH_NOW_MS;
    let mut village = station(village_dir.path(), "V001", StationRole::Village, now)?;
    let mut township = station(township_dir.path(), "T01", StationRole::Township, now)?;
    let (village_role, township_role) = (StationRole::Village, StationRole::Township);
    enroll(&mut village, "T01", township_role, &township_keys, now).map_err(text)?;
    enroll(&mut township, "V001", village_role, &village_keys, now).map_err(text)?;

    let started = Instant::now();
    let goods = Goods {
        goods_id: "G1".into(),
        name: "大米".into(),
        unit: "袋".into(),
        barcode: String::new(),
        price_points: 10,
        zone: Zone::Points(10),
        category: "粮油".into(),
        supplier: "供销社".into(),
    };
    village
        .execute("bench", BENCH_NOW_MS, &Command::DefineGoods { goods })
        .map_err(text)?;
    let fill = events.saturating_sub(3);
    let mut done = 0;
    while done < fill {
        let n = FILL_BATCH.min(fill - done);
        let commands: Vec<Command> = (0..n)
            .map(|i| Command::ReceiveStock {
                goods_id: "G1".into(),
                quantity: 1 + (i % 7) as i64,
                source: StockSource::Donation {
                    donor: format!("捐赠人{}", i % 100),
                },
            })
            .collect();
        village
            .execute_batch("bench", BENCH_NOW_MS, &commands)
            .map_err(text)?;
        done += n;
    }
    report.fill_s = started.elapsed().as_secs_f64();

    let started = Instant::now();
    let bundles = export_bundles(&village, &village_keys, BENCH_NOW_MS, None).map_err(text)?;
    report.export_s = started.elapsed().as_secs_f64();
    report.events = bundles.iter().map(|b| b.header.event_count).sum();
    report.bundles = bundles.len() as u64;
    report.bundle_bytes = bundles.iter().map(|b| b.bytes.len() as u64).sum();

    let village_key = village_keys.public("V001").verifying;
    let trusted = |id: &str| (id == "V001").then_some(village_key);
    let (mut verify_s, mut decrypt_s) = (0.0, 0.0);
    for bundle in &bundles {
        let started = Instant::now();
        let verified = verify_bundle(&bundle.bytes, &trusted).map_err(text)?;
        verify_s += started.elapsed().as_secs_f64();
        let started = Instant::now();
        verified.decrypt(&township_keys).map_err(text)?;
        decrypt_s += started.elapsed().as_secs_f64();
    }

    report.import_s = import_all(&mut township, &township_keys, &bundles, BENCH_NOW_MS)?;
    let per_s = |seconds: f64| {
        if seconds > 0.0 {
            report.events as f64 / seconds
        } else {
            0.0
        }
    };
    report.export_events_per_s = per_s(report.export_s);
    report.import_events_per_s = per_s(report.import_s);
    report.bytes_per_event = report.bundle_bytes as f64 / report.events.max(1) as f64;
    let bundles_f = report.bundles.max(1) as f64;
    report.verify_ms_per_bundle = verify_s * 1000.0 / bundles_f;
    report.decrypt_ms_per_bundle = decrypt_s * 1000.0 / bundles_f;
    Ok(())
}

/// What a township's month of imports cost: many villages' bundles imported in one sitting.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TownshipMonthReport {
    /// Villages whose bundles were imported.
    pub villages: u64,
    /// Events imported in all.
    pub events: u64,
    /// Bundle bytes in all.
    pub bundle_bytes: u64,
    /// Seconds to import every bundle (verify, decrypt, check, store, apply).
    pub import_s: f64,
    /// Set when the bench could not run.
    pub error: Option<String>,
}

/// A month of `villages` villages, each with the demo's 200 households and 60 goods: households
/// and catalog registered, stock received, every household scored and confirmed, and sales on
/// most days; then the township imports all of their bundles.
pub fn run_township_month_bench(villages: u64) -> TownshipMonthReport {
    let mut report = TownshipMonthReport {
        villages,
        ..Default::default()
    };
    report.error = township_month(villages, &mut report).err();
    report
}

fn township_month(villages: u64, report: &mut TownshipMonthReport) -> Result<(), String> {
    let township_dir = tempfile::tempdir().map_err(text)?;
    let township_keys = StationKeys::generate();
    let now = BENCH_NOW_MS;
    let mut township = station(township_dir.path(), "T01", StationRole::Township, now)?;
    let households = aixin::import::parse_households(aixin::demo::HOUSEHOLDS_CSV).map_err(text)?;
    let goods = aixin::import::parse_goods(aixin::demo::GOODS_CSV).map_err(text)?;
    let mut bundles = Vec::new();
    for v in 0..villages {
        let id = format!("V{v:03}");
        let dir = tempfile::tempdir().map_err(text)?;
        let keys = StationKeys::generate();
        let mut village = station(dir.path(), &id, StationRole::Village, now)?;
        let township_role = StationRole::Township;
        enroll(&mut village, "T01", township_role, &township_keys, now).map_err(text)?;
        enroll(&mut township, &id, StationRole::Village, &keys, now).map_err(text)?;
        let mut setup: Vec<Command> = households
            .iter()
            .chain(goods.iter())
            .map(|(_, c)| c.clone())
            .collect();
        for (_, command) in &goods {
            if let Command::DefineGoods { goods } = command {
                setup.push(Command::ReceiveStock {
                    goods_id: goods.goods_id.clone(),
                    quantity: 500,
                    source: StockSource::Donation {
                        donor: "县农商银行".into(),
                    },
                });
            }
        }
        let ids: Vec<String> = households
            .iter()
            .filter_map(|(_, c)| match c {
                Command::RegisterHousehold { household } => Some(household.household_id.clone()),
                _ => None,
            })
            .collect();
        village
            .execute_batch("bench", BENCH_NOW_MS, &setup)
            .map_err(text)?;
        // The direct-points policy caps a month at 20 points and the village at 250: score
        // 12 households the full 20 and confirm them after publicity.
        let period = CivilDate::from_utc_ms(BENCH_NOW_MS)
            .period(PeriodKind::Month)
            .0;
        let scores: Vec<Command> = ids
            .iter()
            .take(12)
            .map(|h| Command::EnterScore {
                household_id: h.clone(),
                period: period.clone(),
                score: 20,
                note: String::new(),
            })
            .collect();
        let scored = village
            .execute_batch("bench", BENCH_NOW_MS, &scores)
            .map_err(text)?;
        let later = BENCH_NOW_MS + 8 * DAY_MS;
        let confirms: Vec<Command> = scored
            .iter()
            .map(|e| Command::ConfirmAward { award_seq: e.seq })
            .collect();
        village
            .execute_batch("bench", later, &confirms)
            .map_err(text)?;
        // Each funded household shops every fourth day: four 5-point sales spend its 20 points.
        for day in 0..16i64 {
            let sales: Vec<Command> = ids
                .iter()
                .take(12)
                .enumerate()
                .filter(|(i, _)| (*i as i64 + day) % 4 == 0)
                .map(|(_, h)| Command::Redeem {
                    household: HouseholdRef::Id(h.clone()),
                    lines: vec![("G006".into(), 1)],
                    proxy: None,
                })
                .collect();
            village
                .execute_batch("bench", later + day * 3_600_000, &sales)
                .map_err(text)?;
        }
        let out = export_bundles(&village, &keys, later + DAY_MS, Some("T01")).map_err(text)?;
        bundles.extend(out);
    }
    report.events = bundles.iter().map(|b| b.header.event_count).sum();
    report.bundle_bytes = bundles.iter().map(|b| b.bytes.len() as u64).sum();
    report.import_s = import_all(
        &mut township,
        &township_keys,
        &bundles,
        BENCH_NOW_MS + 40 * DAY_MS,
    )?;
    Ok(())
}
