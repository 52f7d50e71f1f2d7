//! Crashes and power loss at every write: a village ledger on a simulated disk
//! ([`common::disk`]) runs a sale, a void, a batch import of households (`household import`'s
//! `Ledger::execute_batch`), a bundle import from the township (`commit_sync`), a year-end
//! clearing and a stocktake, and is closed; every change redb makes to the disk is recorded.
//! Then, for every point of that record and every kind of crash (a killed process keeps all
//! writes, a power loss keeps what was synced, a torn power loss keeps some of the unsynced
//! writes), the file left behind is opened again. It must open, `verify` must pass, and it must
//! be exactly one of the acknowledged states — every step that had returned is there, the step
//! in progress is there whole or not at all — compared by head and by everything a reader can
//! ask of it. As in redb's `tests/crash_consistency.rs`.

mod common;

use std::collections::HashMap;

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::{Moment, DAY_MS};
use aixin::domain::{Command, HouseholdRef};
use aixin::store::Ledger;
use aixin::sync::exchange::{export_bundles, import_bundle, ImportOutcome};
use aixin::sync::keys::StationKeys;
use common::disk::{assert_verified, ledger_state, Crash, Disk, Op, Replay};

/// 2025-11-20 10:00 China time.
const SETUP_MS: i64 = 1_763_604_000_000;
/// 2026-01-05 10:00 China time: the steps run after the year 2025 is over.
const STEPS_MS: i64 = SETUP_MS + 46 * DAY_MS;
/// Households in the batch import: enough that the file grows during the commit.
const IMPORT_HOUSEHOLDS: usize = 2_000;
const PERIODS: [&str; 1] = ["2025-11"];
const PEERS: [&str; 1] = ["T01"];

fn must<T>(what: &str, result: Result<T, aixin::store::StoreError>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn household(i: usize) -> Command {
    Command::RegisterHousehold {
        household: Household {
            household_id: format!("H{i:04}"),
            card_no: format!("C{i:04}"),
            head: format!("户主{i}"),
            members: vec![],
            group: "一组".into(),
            phone: String::new(),
            registered_poor: false,
        },
    }
}

fn goods(id: &str, price_points: i64) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: format!("商品{id}"),
            unit: "袋".into(),
            barcode: String::new(),
            price_points,
            zone: Zone::Points(price_points as u32),
            category: "粮油".into(),
            supplier: "县供销社".into(),
        },
    }
}

fn init(id: &str, role: StationRole) -> Command {
    let policy = aixin::policies::builtin("threshold-score")
        .expect("shipped policy")
        .expect("policy parses");
    Command::Init {
        station_id: id.into(),
        name: format!("{id} 站"),
        role,
        policy,
    }
}

fn enroll(keys: &StationKeys, id: &str, role: StationRole) -> Command {
    let public = keys.public(id);
    Command::EnrollStation {
        station_id: id.into(),
        role,
        verifying_key: public.verifying,
        age_recipient: public.age_recipient,
    }
}

/// The village on `disk` with five scored and confirmed households, goods and stock, and the
/// township's reply bundle (a shipment of goods) waiting for it; and the village's keys.
fn setup(disk: &Disk) -> (Ledger, Vec<u8>, StationKeys) {
    let village_keys = StationKeys::generate();
    let township_keys = StationKeys::generate();
    let mut village = must("create", Ledger::create_with_backend(disk.clone()));
    let mut commands = vec![init("V001", StationRole::Village)];
    commands.extend((0..5).map(household));
    commands.push(goods("G1", 10));
    commands.push(Command::ReceiveStock {
        goods_id: "G1".into(),
        quantity: 50,
        source: StockSource::Donation {
            donor: "县农商银行".into(),
        },
    });
    commands.push(enroll(&township_keys, "T01", StationRole::Township));
    must(
        "setup",
        village.execute_batch("管理员", SETUP_MS, &commands),
    );
    let scores: Vec<Command> = (0..5)
        .map(|i| Command::EnterScore {
            household_id: format!("H{i:04}"),
            period: "2025-11".into(),
            score: 90,
            note: String::new(),
        })
        .collect();
    let scored = must(
        "scores",
        village.execute_batch("管理员", SETUP_MS + 12 * DAY_MS, &scores),
    );
    let confirms: Vec<Command> = scored
        .iter()
        .map(|e| Command::ConfirmAward { award_seq: e.seq })
        .collect();
    must(
        "confirm",
        village.execute_batch("管理员", SETUP_MS + 20 * DAY_MS, &confirms),
    );

    let town_dir = tempfile::tempdir().expect("tempdir");
    let mut township = must("township", Ledger::create(&town_dir.path().join("t.redb")));
    let town = [
        init("T01", StationRole::Township),
        enroll(&village_keys, "V001", StationRole::Village),
        goods("G2", 5),
        Command::ReceiveStock {
            goods_id: "G2".into(),
            quantity: 100,
            source: StockSource::Donation {
                donor: "县民政局".into(),
            },
        },
        Command::ShipGoods {
            to_station: "V001".into(),
            goods_id: "G2".into(),
            quantity: 30,
        },
    ];
    must(
        "township",
        township.execute_batch("镇管理员", SETUP_MS + 25 * DAY_MS, &town),
    );
    let bundles = export_bundles(&township, &township_keys, SETUP_MS + 25 * DAY_MS, None)
        .unwrap_or_else(|e| panic!("export: {e:?}"));
    assert_eq!(bundles.len(), 1, "one reply bundle for the village");
    let bundle = bundles
        .into_iter()
        .next()
        .map(|b| b.bytes)
        .unwrap_or_default();
    (village, bundle, village_keys)
}

/// One acknowledged step of the scenario: its name and what it does to the ledger.
type Step = (&'static str, Box<dyn Fn(&mut Ledger) -> Result<(), String>>);

fn steps(bundle: Vec<u8>, keys: StationKeys) -> Vec<Step> {
    let run = |command: Command| {
        move |ledger: &mut Ledger| {
            ledger
                .execute_at("管理员", &Moment::at(STEPS_MS), &command)
                .map(|_| ())
                .map_err(|e| format!("{e:?}"))
        }
    };
    vec![
        (
            "sale",
            Box::new(run(Command::Redeem {
                household: HouseholdRef::Card("C0000".into()),
                lines: vec![("G1".into(), 2)],
                proxy: None,
            })),
        ),
        (
            "void",
            Box::new(move |ledger: &mut Ledger| {
                let seq = ledger
                    .view()
                    .and_then(|v| v.recent_sales(1))
                    .map_err(|e| e.to_string())?
                    .first()
                    .map(|s| s.seq)
                    .ok_or("no sale to void")?;
                let void = Command::VoidSale {
                    sale_seq: seq,
                    reason: "拿错了".into(),
                };
                run(void)(ledger)
            }),
        ),
        (
            "batch import",
            Box::new(|ledger: &mut Ledger| {
                let batch: Vec<Command> = (100..100 + IMPORT_HOUSEHOLDS).map(household).collect();
                ledger
                    .execute_batch("管理员", STEPS_MS, &batch)
                    .map(|_| ())
                    .map_err(|e| format!("{e:?}"))
            }),
        ),
        (
            "bundle import",
            Box::new(move |ledger: &mut Ledger| {
                match import_bundle(ledger, &keys, &bundle, "管理员", STEPS_MS) {
                    Ok(ImportOutcome::Applied(applied)) if applied.skipped.is_empty() => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            }),
        ),
        (
            "year-end clearing",
            Box::new(run(Command::ClearYear { year: 2025 })),
        ),
        (
            "stocktake",
            Box::new(run(Command::AdjustStock {
                goods_id: "G1".into(),
                delta: -1,
                reason: "盘点少一袋".into(),
            })),
        ),
    ]
}

/// What a reopened crash image holds: its state digest, or why it is not a ledger.
fn reopen(image: Vec<u8>) -> Result<String, String> {
    let ledger = Ledger::open_with_backend(Disk::from_image(image))
        .map_err(|e| format!("does not open: {e}"))?;
    assert_verified(&ledger, "reopened after a crash");
    Ok(ledger_state(&ledger, &PERIODS, &PEERS))
}

#[test]
fn a_crash_at_every_write_leaves_exactly_an_acknowledged_state() {
    let disk = Disk::new();
    let (mut ledger, bundle, keys) = setup(&disk);
    let start = disk.record();
    let steps = steps(bundle, keys);
    let mut states = vec![ledger_state(&ledger, &PERIODS, &PEERS)];
    // ends[i]: how many changes had been made when step i returned (was acknowledged).
    let mut ends = Vec::new();
    for (name, step) in &steps {
        step(&mut ledger).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_verified(&ledger, name);
        ends.push(disk.recorded().len());
        states.push(ledger_state(&ledger, &PERIODS, &PEERS));
    }
    // A clean close writes too; a crash during it must leave the last state.
    drop(ledger);
    let ops = disk.recorded();
    assert!(
        ops.iter().filter(|op| matches!(op, Op::Sync)).count() >= steps.len(),
        "every step synced"
    );

    let start_len = start.len();
    let mut longest = start_len;
    let mut replay = Replay::new(start);
    let mut seen: HashMap<blake3::Hash, Result<String, String>> = HashMap::new();
    let mut checked = 0usize;
    // How many crash points found the step in progress not yet there, or already whole.
    let mut before_after = vec![(0usize, 0usize); steps.len() + 1];
    for k in 0..=ops.len() {
        let done = ends.iter().filter(|&&end| end <= k).count();
        let acceptable = &states[done..(done + 2).min(states.len())];
        let in_progress = steps.get(done).map_or("close", |(name, _)| *name);
        for crash in [Crash::Kill, Crash::PowerLoss, Crash::TornPowerLoss] {
            if crash == Crash::TornPowerLoss && !replay.has_unsynced_writes() {
                continue;
            }
            let image = replay.image(crash, k as u64);
            let key = blake3::hash(&image);
            let state = seen.entry(key).or_insert_with(|| {
                checked += 1;
                reopen(image)
            });
            match state {
                Ok(state) => {
                    let found = acceptable.iter().position(|s| s == state);
                    assert!(
                        found.is_some(),
                        "{crash:?} after change {k} of {} (during {in_progress}): the reopened \
                         ledger is not one of the acknowledged states {done}..={}",
                        ops.len(),
                        done + 1
                    );
                    if found == Some(0) {
                        before_after[done].0 += 1;
                    } else {
                        before_after[done].1 += 1;
                    }
                }
                Err(e) => panic!("{crash:?} after change {k} (during {in_progress}): {e}"),
            }
        }
        if let Some(op) = ops.get(k) {
            replay.apply(op);
            match op {
                Op::SetLen(len) => longest = longest.max(*len as usize),
                Op::Write { offset, data } => longest = longest.max(*offset as usize + data.len()),
                Op::Sync => {}
            }
        }
    }
    eprintln!(
        "{} changes recorded over {} steps, file {start_len} bytes growing to {longest}; \
         {checked} distinct crash images reopened; per step (not there, whole): \
         {before_after:?}",
        ops.len(),
        steps.len(),
    );
    assert!(
        longest > start_len,
        "the file grew during the run, so crashes while it grows are covered"
    );
    // Each step's commit was caught both before and after it landed: the crash points span
    // the commit, so the test can tell a lost write from a kept one.
    for (i, (name, _)) in steps.iter().enumerate() {
        let (not_there, whole) = before_after[i];
        assert!(
            not_there > 0 && whole > 0,
            "{name}: crash points saw it missing {not_there} times and whole {whole} times"
        );
    }
}
