//! The village scenario the crash and disk-fault tests run: a village ledger (on any storage
//! the test chooses) with five scored and confirmed households, goods and stock, and a reply
//! bundle from its township waiting; then six acknowledged steps, one of each kind of write a
//! station makes: a sale, a void, a batch import of households (`household import`'s one
//! `Ledger::execute_batch`), the bundle import (`commit_sync`), a year-end clearing and a
//! stocktake (`AdjustStock`). A step's error is the one-line message a manager reads (Chinese).

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::{Moment, DAY_MS};
use aixin::domain::{Command, HouseholdRef};
use aixin::i18n::Lang;
use aixin::store::{Ledger, StoreError};
use aixin::sync::exchange::{export_bundles, import_bundle, ImportOutcome};
use aixin::sync::keys::StationKeys;

/// 2025-11-20 10:00 China time.
pub const SETUP_MS: i64 = 1_763_604_000_000;
/// 2026-01-05 10:00 China time: the steps run after the year 2025 is over.
pub const STEPS_MS: i64 = SETUP_MS + 46 * DAY_MS;
/// The scoring periods and sync peers whose records a state digest covers.
pub const PERIODS: [&str; 1] = ["2025-11"];
pub const PEERS: [&str; 1] = ["T01"];

fn must<T>(what: &str, result: Result<T, StoreError>) -> T {
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
            zone: Zone::Points(u32::try_from(price_points).expect("a test price fits a zone")),
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

/// The village on the empty `village` ledger with five scored and confirmed households, goods and stock, and the
/// township's reply bundle (a shipment of goods) waiting for it; and the village's keys.
pub fn setup(mut village: Ledger) -> (Ledger, Vec<u8>, StationKeys) {
    let village_keys = StationKeys::generate();
    let township_keys = StationKeys::generate();
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

/// Runs one command as the manager at the steps' time.
fn execute(ledger: &mut Ledger, command: &Command) -> Result<(), String> {
    ledger
        .execute_at("管理员", &Moment::at(STEPS_MS), command)
        .map(|_| ())
        .map_err(|e| e.message(Lang::Zh))
}

/// Voids the latest sale (a sale always comes just before it in the steps).
fn void_latest_sale(ledger: &mut Ledger) -> Result<(), String> {
    let seq = ledger
        .view()
        .and_then(|v| v.recent_sales(1))
        .map_err(|e| e.message(Lang::Zh))?
        .first()
        .map(|s| s.seq)
        .ok_or("no sale to void")?;
    let void = Command::VoidSale {
        sale_seq: seq,
        reason: "拿错了".into(),
    };
    execute(ledger, &void)
}

/// One acknowledged step of the scenario: its name and what it does to the ledger.
pub type Step = (&'static str, Box<dyn Fn(&mut Ledger) -> Result<(), String>>);

/// The six steps, in order; the bundle and keys are [`setup`]'s; the batch import registers
/// `import_households` households.
pub fn steps(bundle: Vec<u8>, keys: StationKeys, import_households: usize) -> Vec<Step> {
    let run = |command: Command| move |ledger: &mut Ledger| execute(ledger, &command);
    vec![
        (
            "sale",
            Box::new(run(Command::Redeem {
                household: HouseholdRef::Card("C0000".into()),
                lines: vec![("G1".into(), 2)],
                proxy: None,
            })),
        ),
        ("void", Box::new(void_latest_sale)),
        (
            "batch import",
            Box::new(move |ledger: &mut Ledger| {
                let batch: Vec<Command> = (100..100 + import_households).map(household).collect();
                ledger
                    .execute_batch("管理员", STEPS_MS, &batch)
                    .map(|_| ())
                    .map_err(|e| e.message(Lang::Zh))
            }),
        ),
        (
            "bundle import",
            Box::new(move |ledger: &mut Ledger| {
                match import_bundle(ledger, &keys, &bundle, "管理员", Moment::at(STEPS_MS)) {
                    Ok(ImportOutcome::Applied(applied)) if applied.skipped.is_empty() => Ok(()),
                    Ok(other) => Err(format!("unexpected import outcome: {other:?}")),
                    Err(e) => Err(e.message(Lang::Zh)),
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

/// `pairs` cheap steps of a station's own write, to put after the six's void: a sale of one
/// bag of G1 (to each household in turn), then its void (so the points and the stock come back
/// and any number of them can run). Each is one journaled record on a ledger with a journal,
/// so enough of them cross a checkpoint.
pub fn sales_and_voids(pairs: usize) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(pairs * 2);
    for i in 0..pairs {
        let card = format!("C{:04}", i % 5);
        out.push((
            "a sale (of the pairs)",
            Box::new(move |ledger: &mut Ledger| {
                let sale = Command::Redeem {
                    household: HouseholdRef::Card(card.clone()),
                    lines: vec![("G1".into(), 1)],
                    proxy: None,
                };
                execute(ledger, &sale)
            }),
        ));
        out.push(("its void (of the pairs)", Box::new(void_latest_sale)));
    }
    out
}
