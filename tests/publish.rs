//! Publishing a township into a real PostgreSQL (a throw-away cluster, tests/pg_support):
//! the views give the township's own numbers (its consolidation and anomalies, every village's
//! settlement, lot ledger, donation ledger, credit years and Z reports, and the settlement
//! merged at the township), also for a ledger written before lots and credit years; a re-run
//! sends only what is new, a fork is refused with both hashes, an interrupted publish leaves
//! whole batches and resumes, the schema's versions are checked, and the command line's door
//! works and refuses clearly.

mod common;
mod pg_support;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use aixin::domain::event::GENESIS_HASH;
use aixin::domain::time::{format_local, CivilDate, Moment};
use aixin::domain::{
    Command, Event, EventBody, Goods, Hash, Household, HouseholdRef, PeriodKey, StationRole,
    StockSource, Zone,
};
use aixin::publish::rows::{origin_parts, source_name};
use aixin::publish::{publish, PublishError, PublishOptions, PublishReport};
use aixin::report::township::{consolidate, settlement_for_station, AnomalyKind, Consolidation};
use aixin::report::{donation_report, lot_ledger, session_report, settlement, Settlement};
use aixin::store::codec;
use aixin::store::ledger::{ForeignEvent, View};
use aixin::store::Ledger;
use aixin::sync::exchange::{export_bundles, import_bundle, ImportOutcome};
use aixin::sync::files::{ForkNote, HeldNote};
use aixin::sync::keys::StationKeys;
use aixin::sync::peers::PeerSync;
use common::sync::{self as sync_support, Station, HOUR, T0};
use pg_support::cluster;

const DAY: i64 = 24 * HOUR;
/// 2027-01-05 10:00 China time: V02's January.
const JAN_2027: i64 = 1_799_114_400_000;
/// V02's last bundle, after its year-end clearing and a void.
const V02_SYNC: i64 = JAN_2027 + 6 * DAY;
/// When the township looks (a day after V02's last bundle).
const NOW: i64 = V02_SYNC + DAY;
/// V06's fast clock: what it said while it was wrong.
const FAST: i64 = T0 + 400 * DAY;

fn go_on(_: &aixin::publish::Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn publish_all(
    ledger: &Ledger,
    held: &[HeldNote],
    forks: &[ForkNote],
    address: &str,
) -> Result<PublishReport, PublishError> {
    let mut client = postgres::Client::connect(address, postgres::NoTls).expect("connect");
    publish(
        ledger,
        held,
        forks,
        &mut client,
        &PublishOptions::default(),
        &mut go_on,
    )
}

/// The moment `now_ms`, with its date confirmed by the manager (a long gap is accepted and
/// recorded; a short one needs nothing).
fn confirmed(now_ms: i64) -> Moment {
    Moment::confirmed(now_ms, CivilDate::from_utc_ms(now_ms))
}

/// Runs a command at a station, the manager confirming the date; returns its events.
fn exec(station: &mut Station, now_ms: i64, command: Command) -> Vec<Event> {
    station
        .ledger
        .execute_at("测试", &confirmed(now_ms), &command)
        .unwrap_or_else(|e| panic!("{command:?}: {e:?}"))
}

fn run(station: &mut Station, now_ms: i64, command: Command) {
    exec(station, now_ms, command);
}

fn goods(id: &str, price: i64, supplier: &str) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: format!("商品{id}"),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: price,
            zone: Zone::Points(u32::try_from(price).expect("a zone")),
            category: "粮油".into(),
            supplier: supplier.into(),
        },
    }
}

fn receive(goods_id: &str, quantity: i64, source: StockSource) -> Command {
    Command::ReceiveStock {
        goods_id: goods_id.into(),
        quantity,
        source,
    }
}

fn supply(merchant: &str) -> StockSource {
    StockSource::Supply {
        merchant: merchant.into(),
    }
}

fn donation(donor: &str) -> StockSource {
    StockSource::Donation {
        donor: donor.into(),
    }
}

fn score(household: &str, period: &str, score: i64) -> Command {
    Command::EnterScore {
        household_id: household.into(),
        period: period.into(),
        score,
        note: String::new(),
    }
}

fn redeem(household: &str, lines: &[(&str, i64)]) -> Command {
    Command::Redeem {
        household: HouseholdRef::Id(household.into()),
        lines: lines.iter().map(|(g, q)| (g.to_string(), *q)).collect(),
        proxy: None,
    }
}

fn void(sale_seq: u64, reason: &str) -> Command {
    Command::VoidSale {
        sale_seq,
        reason: reason.into(),
    }
}

/// The seq of the event a command wrote (after a date confirmation, if any).
fn own_seq(events: &[Event]) -> u64 {
    events.last().map(|e| e.seq).expect("an event")
}

fn import(station: &mut Station, bytes: &[u8], now_ms: i64) -> ImportOutcome {
    import_bundle(
        &mut station.ledger,
        &station.keys,
        bytes,
        "测试",
        confirmed(now_ms),
    )
    .unwrap_or_else(|e| panic!("import: {e:?}"))
}

/// Sends a village's new events to the township as a real bundle.
fn sync(village: &Station, township: &mut Station, now_ms: i64) {
    for bundle in village.export(now_ms) {
        match import(township, &bundle.bytes, now_ms) {
            ImportOutcome::Applied(_) | ImportOutcome::NothingNew { .. } => {}
            other => panic!("import: {other:?}"),
        }
    }
}

/// V01, direct points. Lots from a merchant's supply, a fund and a donor; scores confirmed and
/// revoked, a card reissued; sales that take from several lots, a void, a stocktake loss, a
/// till session closed; the merchant of G2 changes in the second quarter (old lots stay the old
/// merchant's); the township ships G9 out of a donated and a supplied lot, and both are
/// redeemed. Last synced at T0 + 41 days.
fn village_direct(township: &mut Station, mut v: Station) -> Station {
    for h in ["H1", "H2", "H3"] {
        run(&mut v, T0, sync_support::household(h));
    }
    run(&mut v, T0, goods("G1", 10, "县供销社"));
    run(&mut v, T0, goods("G2", 5, "兴农"));
    run(&mut v, T0, goods("D1", 2, ""));
    run(&mut v, T0, receive("G1", 1, supply("县供销社")));
    run(
        &mut v,
        T0,
        receive(
            "G1",
            50,
            StockSource::Purchase {
                fund: "专项".into(),
                cost_fen: 10_000,
            },
        ),
    );
    run(&mut v, T0, receive("G2", 1, donation("爱心企业")));
    run(&mut v, T0, receive("G2", 30, supply("兴农")));
    run(&mut v, T0, receive("D1", 20, donation("县农商银行")));
    let h1 = own_seq(&exec(&mut v, T0, score("H1", "2026-02", 20)));
    let h2 = own_seq(&exec(&mut v, T0, score("H2", "2026-02", 15)));
    let h3 = own_seq(&exec(&mut v, T0, score("H3", "2026-02", 10)));
    run(
        &mut v,
        T0 + DAY,
        Command::RevokeAward {
            award_seq: h3,
            reason: "异议成立".into(),
        },
    );
    run(
        &mut v,
        T0 + 2 * DAY,
        Command::ReissueCard {
            household_id: "H3".into(),
            new_card_no: "CH3-2".into(),
        },
    );
    let week = T0 + 8 * DAY;
    run(&mut v, week, Command::ConfirmAward { award_seq: h1 });
    run(&mut v, week, Command::ConfirmAward { award_seq: h2 });
    // G1 × 2: 1 from the supply lot, 1 from the fund's.
    run(&mut v, week, redeem("H1", &[("G1", 2)]));
    let voided = own_seq(&exec(&mut v, week, redeem("H2", &[("G2", 2)])));
    run(&mut v, week + DAY, void(voided, "拿错了"));
    // G2 × 2: the donated unit first, then one of 兴农's (the void put them back).
    run(&mut v, week + DAY, redeem("H2", &[("G2", 2), ("D1", 2)]));
    run(
        &mut v,
        week + DAY,
        Command::AdjustStock {
            goods_id: "G1".into(),
            delta: -1,
            reason: "破损".into(),
        },
    );
    run(&mut v, week + DAY + HOUR, Command::CloseSession);
    run(&mut v, T0 + 30 * DAY, score("H3", "2026-03", 10));
    let h1_march = own_seq(&exec(&mut v, T0 + 30 * DAY, score("H1", "2026-03", 20)));
    // The catalog's merchant is only the default for a new supply lot.
    run(&mut v, T0 + 35 * DAY, goods("G2", 5, "新供销"));
    run(&mut v, T0 + 35 * DAY, receive("G2", 4, supply("新供销")));
    // The township ships G9 out of its own lots: the donated one first, then the supplied.
    run(township, T0 + 36 * DAY, goods("G9", 5, "县供销社"));
    run(
        township,
        T0 + 36 * DAY,
        receive("G9", 2, donation("爱心企业")),
    );
    run(
        township,
        T0 + 36 * DAY,
        receive("G9", 6, supply("县供销社")),
    );
    run(
        township,
        T0 + 36 * DAY,
        Command::ShipGoods {
            to_station: "V01".into(),
            goods_id: "G9".into(),
            quantity: 5,
        },
    );
    let reply = export_bundles(&township.ledger, &township.keys, T0 + 36 * DAY, Some("V01"))
        .expect("township reply");
    for bundle in reply {
        import(&mut v, &bundle.bytes, T0 + 36 * DAY);
    }
    run(
        &mut v,
        T0 + 38 * DAY,
        Command::ConfirmAward {
            award_seq: h1_march,
        },
    );
    // G9 × 3: the two donated units, then one of 县供销社's; G2 from 兴农's old lot.
    run(&mut v, T0 + 40 * DAY, redeem("H1", &[("G9", 3), ("G2", 1)]));
    sync(&v, township, T0 + 41 * DAY);
    v
}

/// A village enrolled at the township and the township at it (all at T0, before anything).
fn enrolled_village(township: &mut Station, id: &str) -> Station {
    let mut v = Station::new(id, StationRole::Village);
    township.enroll(&v);
    v.enroll(township);
    v
}

/// V02, threshold score with year-end clearing. 2026 credit spent and cleared; in January
/// 2027 (after a long gap, the date confirmed) a 2027 award, a sale that spends the rest of
/// 2026 and some of 2027, the clearing of 2026, and the void of that sale: what returns to
/// 2026 stays cleared. A point is worth half a yuan from March. Last synced at `V02_SYNC`.
fn village_clearing(township: &mut Station, mut v: Station) -> Station {
    let policy = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("valid");
    run(&mut v, T0, Command::SetPolicy { policy });
    run(&mut v, T0, sync_support::household("H1"));
    run(&mut v, T0, sync_support::household("H9"));
    run(&mut v, T0, goods("G1", 10, "县供销社"));
    run(&mut v, T0, receive("G1", 5, supply("县供销社")));
    run(&mut v, T0, sync_support::donate("G1", 10));
    let h1 = own_seq(&exec(&mut v, T0, score("H1", "2026-02", 90)));
    let h9 = own_seq(&exec(&mut v, T0, score("H9", "2026-02", 85)));
    run(
        &mut v,
        T0 + 8 * DAY,
        Command::ConfirmAward { award_seq: h1 },
    );
    run(
        &mut v,
        T0 + 8 * DAY,
        Command::ConfirmAward { award_seq: h9 },
    );
    let mut cheaper = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("valid");
    cheaper.point_value_fen = 50;
    run(&mut v, T0 + 8 * DAY, Command::SetPolicy { policy: cheaper });
    run(&mut v, T0 + 8 * DAY, redeem("H1", &[("G1", 2)]));
    run(&mut v, T0 + 8 * DAY + HOUR, Command::CloseSession);
    let january = own_seq(&exec(
        &mut v,
        JAN_2027 - 3 * DAY,
        score("H1", "2027-01", 88),
    ));
    run(
        &mut v,
        JAN_2027 + 5 * DAY,
        Command::ConfirmAward { award_seq: january },
    );
    // 40 points: the 30 left of 2026, then 10 of 2027 (G1: 3 supplied, then 1 donated).
    let spanning = own_seq(&exec(
        &mut v,
        JAN_2027 + 5 * DAY,
        redeem("H1", &[("G1", 4)]),
    ));
    run(
        &mut v,
        JAN_2027 + 5 * DAY,
        Command::ClearYear { year: 2026 },
    );
    run(&mut v, V02_SYNC - HOUR, void(spanning, "退货"));
    sync(&v, township, V02_SYNC);
    v
}

/// V06: a village whose clock ran fast (it said `FAST`, 400 days ahead): the manager confirmed
/// that date, then found the clock wrong and recorded a correction at the real time. Synced at
/// T0 + 11 days.
fn village_fast_clock(township: &mut Station, mut v: Station) -> Station {
    run(&mut v, T0, sync_support::household("H1"));
    run(&mut v, FAST, sync_support::household("H2"));
    run(
        &mut v,
        T0 + 10 * DAY,
        Command::CorrectClock {
            reason: "主板电池没电".into(),
        },
    );
    run(&mut v, T0 + 10 * DAY + HOUR, sync_support::household("H3"));
    sync(&v, township, T0 + 11 * DAY);
    v
}

fn enroll_keys(township: &mut Station, id: &str, now_ms: i64) {
    let public = StationKeys::generate().public(id);
    run(
        township,
        now_ms,
        Command::EnrollStation {
            station_id: id.into(),
            role: StationRole::Village,
            verifying_key: public.verifying,
            age_recipient: public.age_recipient,
        },
    );
}

/// Builds a chain of `station` from bodies at the given times, hashed and linked like a
/// station's own, starting after `prev` at `first_seq`.
fn chain(
    station: &str,
    first_seq: u64,
    prev: Hash,
    bodies: Vec<(i64, EventBody)>,
) -> Vec<ForeignEvent> {
    let mut prev_hash = prev;
    let mut out = Vec::new();
    for (i, (time_ms, body)) in bodies.into_iter().enumerate() {
        let event = Event {
            station_id: station.into(),
            seq: first_seq + i as u64,
            operator: "外来".into(),
            time_ms,
            prev_hash,
            body,
        };
        let (bytes, hash) = codec::encode_event(&event).expect("encode");
        prev_hash = hash;
        out.push(ForeignEvent { event, hash, bytes });
    }
    out
}

fn household(id: &str, card: &str) -> Household {
    Household {
        household_id: id.into(),
        card_no: card.into(),
        head: format!("户主{id}"),
        members: vec![],
        group: "一组".into(),
        phone: String::new(),
        registered_poor: false,
    }
}

/// V05: a village whose chain no till would write today (the rules refuse it) but whose events
/// the ledger applies: scores over the month's budget, a clearing of 2026 and then an award of
/// 2026 confirmed after it (as old tills allowed: cleared at once), and a receipt dated in the
/// future. Its events reach the township as an import commits them, without a bundle.
fn village_rogue(township: &mut Station) {
    let december = JAN_2027 - 20 * DAY;
    let policy = aixin::policies::builtin("direct-points")
        .expect("shipped")
        .expect("valid");
    let bodies = vec![
        (
            december,
            EventBody::StationInitialized {
                station_id: "V05".into(),
                name: "V05 站".into(),
                role: StationRole::Village,
                policy,
            },
        ),
        (
            december,
            EventBody::HouseholdRegistered {
                household: household("H1", "CH1"),
            },
        ),
        (
            december,
            EventBody::HouseholdRegistered {
                household: household("H5", "CH5"),
            },
        ),
        (
            december,
            EventBody::ScoreEntered {
                household_id: "H1".into(),
                period: PeriodKey("2026-12".into()),
                score: 20,
                points: 200,
                note: String::new(),
            },
        ),
        (
            december,
            EventBody::ScoreEntered {
                household_id: "H5".into(),
                period: PeriodKey("2026-12".into()),
                score: 20,
                points: 100,
                note: String::new(),
            },
        ),
        (december + DAY, EventBody::AwardConfirmed { award_seq: 4 }),
        (
            december + DAY,
            EventBody::YearCleared {
                year: 2026,
                cleared: vec![("H1".into(), 200)],
            },
        ),
        (december + DAY, EventBody::AwardConfirmed { award_seq: 5 }),
        (december + DAY, goods_body("G1")),
        (
            JAN_2027 + 150 * DAY,
            EventBody::StockReceived {
                goods_id: "G1".into(),
                quantity: 10,
                source: donation("未来"),
            },
        ),
    ];
    township
        .ledger
        .commit_sync(
            "测试",
            &Moment::at(V02_SYNC),
            &chain("V05", 1, GENESIS_HASH, bodies),
            &[],
            &[],
        )
        .expect("commit V05");
}

fn goods_body(id: &str) -> EventBody {
    EventBody::GoodsDefined {
        goods: Goods {
            goods_id: id.into(),
            name: "大米".into(),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: 10,
            zone: Zone::Points(10),
            category: "粮油".into(),
            supplier: "县供销社".into(),
        },
    }
}

/// The township's sync record of `village` says the village acknowledged a township event that
/// the township holds in another version (as after a township restored from an old backup).
fn ack_mismatch(township: &mut Station, village: &str, seq: u64) {
    let view = township.ledger.view().expect("view");
    let mut peer = PeerSync::load(&view, village).expect("peer");
    peer.ack_mismatch_seq = Some(seq);
    let record = peer.to_record(village).expect("record");
    township
        .ledger
        .commit_sync("测试", &Moment::at(NOW), &[], &[], &[record])
        .expect("peer record");
}

/// A township with six villages: V01, V02 and V06 synced by real bundles, V03 enrolled but
/// never synced (a bundle of it held for a gap), V04 revoked, V05 committed without a bundle;
/// V02 acknowledged a township event the township holds in another version.
fn township() -> Station {
    let mut township = Station::new("T01", StationRole::Township);
    let v01 = enrolled_village(&mut township, "V01");
    let v02 = enrolled_village(&mut township, "V02");
    let v06 = enrolled_village(&mut township, "V06");
    enroll_keys(&mut township, "V03", T0);
    enroll_keys(&mut township, "V04", T0);
    run(
        &mut township,
        T0 + DAY,
        Command::RevokeStation {
            station_id: "V04".into(),
            from_ms: T0,
        },
    );
    enroll_keys(&mut township, "V05", T0 + DAY);
    village_fast_clock(&mut township, v06);
    village_direct(&mut township, v01);
    village_clearing(&mut township, v02);
    village_rogue(&mut township);
    ack_mismatch(&mut township, "V02", 2);
    township
}

fn fork_note() -> ForkNote {
    ForkNote {
        station_id: "V02".into(),
        seq: 3,
        held_hash: "ab".repeat(32),
        bundle_hash: "cd".repeat(32),
        bundle_file: "V02-000000000003-000000000009-0a1b2c3d.axb".into(),
        refused_ms: JAN_2027,
    }
}

fn held_note() -> HeldNote {
    HeldNote {
        station_id: "V03".into(),
        first_seq: 5,
        last_seq: 9,
        file: "V03-000000000005-000000000009-1a2b3c4d.axb".into(),
    }
}

fn at_now(client: &mut postgres::Client) {
    client
        .batch_execute(&format!("set aixin.now_ms = '{NOW}'"))
        .expect("set now");
}

fn i64_of(row: &postgres::Row, column: &str) -> i64 {
    row.get::<_, i64>(column)
}

fn compare_village_totals(client: &mut postgres::Client, expected: &Consolidation) {
    let rows = client
        .query("select * from village_totals order by station_id", &[])
        .expect("village_totals");
    let got: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{} {:?} {:?} hh={} issued={} pending={} spent={} cleared={} out={} stock={} donated={} events={} last_event={:?} last_sync={:?} days={:?} future={} latest={}",
                r.get::<_, String>("station_id"),
                r.get::<_, String>("name"),
                r.get::<_, Option<bool>>("key_active"),
                i64_of(r, "households"),
                i64_of(r, "points_issued"),
                i64_of(r, "points_pending"),
                i64_of(r, "points_spent"),
                i64_of(r, "points_cleared"),
                i64_of(r, "balance_outstanding"),
                i64_of(r, "stock_units"),
                i64_of(r, "donated_units"),
                i64_of(r, "events"),
                r.get::<_, Option<i64>>("last_event_ms"),
                r.get::<_, Option<i64>>("last_sync_ms"),
                r.get::<_, Option<i64>>("days_since_sync"),
                i64_of(r, "future_dated"),
                i64_of(r, "latest_future_ms"),
            )
        })
        .collect();
    let want: Vec<String> = expected
        .villages
        .iter()
        .map(|l| {
            format!(
                "{} {:?} {:?} hh={} issued={} pending={} spent={} cleared={} out={} stock={} donated={} events={} last_event={:?} last_sync={:?} days={:?} future={} latest={}",
                l.station_id,
                l.name,
                Some(l.key_active),
                l.households,
                l.points_issued,
                l.points_pending,
                l.points_spent,
                l.points_cleared,
                l.balance_outstanding,
                l.stock_units,
                l.donated_units,
                l.events,
                l.last_event_ms,
                l.last_sync_ms,
                l.days_since_sync,
                l.future_dated,
                l.latest_future_ms,
            )
        })
        .collect();
    assert_eq!(got, want);
}

fn township_anomaly_name(kind: AnomalyKind) -> &'static str {
    match kind {
        AnomalyKind::Gap => "gap",
        AnomalyKind::Fork => "fork",
        AnomalyKind::AckMismatch => "ack_mismatch",
        AnomalyKind::RevokedKey => "revoked_key",
        AnomalyKind::BudgetOverrun => "budget_overrun",
        AnomalyKind::CrossStationOverdraw => "overdrawn_across_stations",
        AnomalyKind::NegativeBalance => "negative_balance",
        AnomalyKind::Stale => "stale",
        AnomalyKind::NeverSynced => "never_synced",
        AnomalyKind::FutureDated => "future_dated",
        AnomalyKind::ClockCorrected => "clock_corrected",
        AnomalyKind::ClockConfirmed => "clock_confirmed",
        AnomalyKind::ShipmentNotReceived => "shipment_not_received",
    }
}

/// The township's anomalies, every one as (kind, station, English text), against the view's.
/// The texts of the clock kinds are compared word for word; the others by kind and station
/// (the view's texts are shorter where the township adds local detail).
fn compare_anomalies(client: &mut postgres::Client, expected: &Consolidation) -> Vec<String> {
    let exact = ["future_dated", "clock_corrected", "clock_confirmed", "gap"];
    let text = |kind: &str, en: &str| {
        if exact.contains(&kind) {
            en.to_string()
        } else {
            String::new()
        }
    };
    let mut want: Vec<(String, String, String)> = expected
        .anomalies
        .iter()
        .map(|a| {
            let kind = township_anomaly_name(a.kind);
            (kind.to_string(), a.station_id.clone(), text(kind, &a.en))
        })
        .collect();
    want.sort();
    let mut got: Vec<(String, String, String)> = client
        .query("select kind, station_id, detail_en from anomalies", &[])
        .expect("anomalies")
        .iter()
        .map(|r| {
            let kind: String = r.get(0);
            let en: String = r.get(2);
            let en = text(&kind, &en);
            (kind, r.get(1), en)
        })
        .collect();
    got.sort();
    assert_eq!(got, want);
    want.into_iter().map(|(kind, _, _)| kind).collect()
}

/// One merchant's settlement: (merchant, points, value in fen, units, per item (goods id,
/// units, points)).
type MerchantShape = (String, i64, i64, i64, Vec<(String, i64, i64)>);
/// A settlement: its merchants, and the unpaid units and points (donated, fund, other).
type SettlementShape = (Vec<MerchantShape>, [i64; 6]);
/// A merchant's sums while they are added up: (points, value in fen, units, items).
type MerchantSums = (i64, i64, i64, Vec<(String, i64, i64)>);

/// The settlement as the view gives it for one village (`Some`) or merged over every village
/// (`None`): merchants with their items, and the unpaid units by origin.
fn settlement_in_postgres(
    client: &mut postgres::Client,
    station: Option<&str>,
    quarter: &str,
) -> SettlementShape {
    let mut merchants: BTreeMap<String, MerchantSums> = BTreeMap::new();
    for r in client
        .query(
            "select supplier, goods_id, sum(units)::bigint, sum(points)::bigint,
                    sum(value_fen)::bigint
             from settlement_lines
             where quarter = $1 and supplier is not null and ($2::text is null or station_id = $2)
             group by supplier, goods_id order by supplier, goods_id",
            &[&quarter, &station],
        )
        .expect("settlement_lines")
    {
        let (supplier, goods_id, units, points, value_fen): (String, String, i64, i64, i64) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let m = merchants.entry(supplier).or_default();
        m.0 += points;
        m.1 += value_fen;
        m.2 += units;
        m.3.push((goods_id, units, points));
    }
    if station.is_none() {
        // merchant_settlement is the county's view of the same lines.
        let paid: Vec<(String, i64, i64, i64)> = client
            .query(
                "select supplier, points, value_fen, units from merchant_settlement
                 where quarter = $1 order by supplier",
                &[&quarter],
            )
            .expect("merchant_settlement")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        let lines: Vec<(String, i64, i64, i64)> = merchants
            .iter()
            .map(|(s, m)| (s.clone(), m.0, m.1, m.2))
            .collect();
        assert_eq!(paid, lines, "{quarter}");
    }
    let unpaid = client
        .query_one(
            "select coalesce(sum(donated_units), 0)::bigint, coalesce(sum(donated_points), 0)::bigint,
                    coalesce(sum(fund_units), 0)::bigint, coalesce(sum(fund_points), 0)::bigint,
                    coalesce(sum(other_units), 0)::bigint, coalesce(sum(other_points), 0)::bigint
             from settlement_unpaid where quarter = $1 and ($2::text is null or station_id = $2)",
            &[&quarter, &station],
        )
        .expect("settlement_unpaid");
    let unpaid = [0, 1, 2, 3, 4, 5].map(|i| unpaid.get::<_, i64>(i));
    (
        merchants
            .into_iter()
            .map(|(s, (points, fen, units, goods))| (s, points, fen, units, goods))
            .collect(),
        unpaid,
    )
}

/// A settlement as the township reports it, in the shape of [`settlement_in_postgres`].
fn settlement_shape(s: &Settlement) -> SettlementShape {
    (
        s.merchants
            .iter()
            .map(|m| {
                (
                    m.merchant.clone(),
                    m.points,
                    m.value_fen,
                    m.units,
                    m.goods
                        .iter()
                        .map(|(id, _, units, points)| (id.clone(), *units, *points))
                        .collect(),
                )
            })
            .collect(),
        [
            s.donated_units,
            s.donated_points,
            s.fund_units,
            s.fund_points,
            s.other_units,
            s.other_points,
        ],
    )
}

fn quarters() -> Vec<String> {
    let mut out = Vec::new();
    for year in [2026, 2027] {
        for q in 1..=4 {
            out.push(format!("{year}-Q{q}"));
        }
    }
    out
}

/// Everything the township reports about one station scope, against the views: settlement of
/// each quarter (villages), lot ledger, donation ledger, credit by household and year, the Z
/// reports and the open session's X, balances and stock.
fn compare_station(client: &mut postgres::Client, view: &View) {
    let station = view.station().to_string();
    let is_village = view
        .meta()
        .expect("meta")
        .is_some_and(|m| m.role == StationRole::Village);
    if is_village {
        for quarter in quarters() {
            let own = settlement(view, &quarter).expect("settlement");
            assert_eq!(
                settlement_in_postgres(client, Some(&station), &quarter),
                settlement_shape(&own),
                "{station} {quarter}"
            );
        }
    }

    let lots = lot_ledger(view).expect("lot ledger");
    let want: Vec<String> = lots
        .lots
        .iter()
        .map(|l| {
            let (origin, owed_to) = origin_parts(&l.origin);
            let source = l.source.as_ref().map_or("stocktake", source_name);
            format!(
                "#{} {} {} {source} {origin}:{owed_to} in={} redeemed={} lost={} shipped={} stock={}",
                l.lot_seq,
                l.goods_id,
                l.date,
                l.received_units,
                l.redeemed_units,
                l.lost_units,
                l.shipped_units,
                l.in_stock_units
            )
        })
        .collect();
    let got: Vec<String> = client
        .query(
            "select lot_seq, goods_id, day::text, source, origin, owed_to, received_units,
                    redeemed_units, lost_units, shipped_units, in_stock_units
             from lot_ledger where station_id = $1 order by lot_seq",
            &[&station],
        )
        .expect("lot_ledger")
        .iter()
        .map(|r| {
            format!(
                "#{} {} {} {} {}:{} in={} redeemed={} lost={} shipped={} stock={}",
                r.get::<_, i64>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, String>(3),
                r.get::<_, String>(4),
                r.get::<_, String>(5),
                r.get::<_, i64>(6),
                r.get::<_, i64>(7),
                r.get::<_, i64>(8),
                r.get::<_, i64>(9),
                r.get::<_, i64>(10),
            )
        })
        .collect();
    assert_eq!(got, want, "{station}: lot ledger");

    let donations = donation_report(view).expect("donations");
    let want: Vec<String> = donations
        .lines
        .iter()
        .map(|d| {
            format!(
                "#{} {} {} {} {} given={} redeemed={} stock={} other={} points={}",
                d.seq,
                d.date,
                d.donor,
                d.goods_id,
                d.name,
                d.quantity,
                d.redeemed_units,
                d.in_stock_units,
                d.other_units,
                d.points
            )
        })
        .chain(donations.by_donor.iter().map(|d| {
            format!(
                "{}: units={} redeemed={} stock={} points={}",
                d.donor, d.units, d.redeemed_units, d.in_stock_units, d.points
            )
        }))
        .collect();
    let mut got: Vec<String> = client
        .query(
            "select lot_seq, day::text, donor, goods_id, name, units, redeemed_units,
                    in_stock_units, other_units, points
             from donations where station_id = $1 order by lot_seq",
            &[&station],
        )
        .expect("donations")
        .iter()
        .map(|r| {
            format!(
                "#{} {} {} {} {} given={} redeemed={} stock={} other={} points={}",
                r.get::<_, i64>(0),
                r.get::<_, String>(1),
                r.get::<_, String>(2),
                r.get::<_, String>(3),
                r.get::<_, String>(4),
                r.get::<_, i64>(5),
                r.get::<_, i64>(6),
                r.get::<_, i64>(7),
                r.get::<_, i64>(8),
                r.get::<_, i64>(9),
            )
        })
        .collect();
    got.extend(
        client
            .query(
                "select donor, units, redeemed_units, in_stock_units, points
                 from donors where station_id = $1 order by donor",
                &[&station],
            )
            .expect("donors")
            .iter()
            .map(|r| {
                format!(
                    "{}: units={} redeemed={} stock={} points={}",
                    r.get::<_, String>(0),
                    r.get::<_, i64>(1),
                    r.get::<_, i64>(2),
                    r.get::<_, i64>(3),
                    r.get::<_, i64>(4),
                )
            }),
    );
    assert_eq!(got, want, "{station}: donation ledger");

    // Credit by household and year (years with nothing booked carry nothing).
    let mut want = Vec::new();
    let mut balances = Vec::new();
    for h in view.households().expect("households") {
        for c in h
            .credit
            .iter()
            .filter(|c| (c.awarded_points, c.spent_points, c.cleared_points) != (0, 0, 0))
        {
            assert_eq!(
                c.awarded_points,
                c.spent_points + c.cleared_points + c.remaining_points()
            );
            want.push((
                h.household.household_id.clone(),
                c.year,
                c.awarded_points,
                c.spent_points,
                c.cleared_points,
                c.remaining_points(),
            ));
        }
        balances.push((
            h.household.household_id,
            h.household.card_no,
            h.earned_points,
            h.pending_points,
            h.spent_points,
            h.cleared_points,
            h.balance_points,
        ));
    }
    let got: Vec<(String, i32, i64, i64, i64, i64)> = client
        .query(
            "select household_id, year, awarded, spent, cleared, remaining
             from household_credit_years where station_id = $1 order by household_id, year",
            &[&station],
        )
        .expect("household_credit_years")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
        .collect();
    assert_eq!(got, want, "{station}: credit years");
    let got: Vec<(String, String, i64, i64, i64, i64, i64)> = client
        .query(
            "select household_id, card_no, earned, pending, spent, cleared, balance
             from household_balances where station_id = $1 order by household_id",
            &[&station],
        )
        .expect("household_balances")
        .iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
            )
        })
        .collect();
    assert_eq!(got, balances, "{station}: balances");

    // Every Z report, and the open session's X report.
    let open = view.require_meta().expect("meta").session.session_no;
    let mut want = Vec::new();
    for no in (1..open).map(Some).chain([None]) {
        let r = session_report(view, no).expect("session report");
        let t = &r.totals;
        want.push(format!(
            "Z{} closed={:?} first={}@{} last={} sales={} spent={} voids={} voided={} sold={} received={} scores={} confirmed={} events={}",
            r.session_no, r.closed_ms, r.first_seq, r.first_ms, r.last_seq, t.sales,
            t.points_spent, t.voids, t.points_voided, t.units_sold, t.units_received,
            t.scores_entered, t.points_confirmed, t.events
        ));
    }
    let got: Vec<String> = client
        .query(
            "select session_no, closed_ms, first_seq, first_ms, last_seq, sales, points_spent,
                    voids, points_voided, units_sold, units_received, scores_entered,
                    points_confirmed, events
             from session_reports where station_id = $1 order by session_no",
            &[&station],
        )
        .expect("session_reports")
        .iter()
        .map(|r| {
            format!(
                "Z{} closed={:?} first={}@{} last={} sales={} spent={} voids={} voided={} sold={} received={} scores={} confirmed={} events={}",
                r.get::<_, i64>(0),
                r.get::<_, Option<i64>>(1),
                r.get::<_, i64>(2),
                r.get::<_, i64>(3),
                r.get::<_, i64>(4),
                r.get::<_, i64>(5),
                r.get::<_, i64>(6),
                r.get::<_, i64>(7),
                r.get::<_, i64>(8),
                r.get::<_, i64>(9),
                r.get::<_, i64>(10),
                r.get::<_, i64>(11),
                r.get::<_, i64>(12),
                r.get::<_, i64>(13),
            )
        })
        .collect();
    assert_eq!(got, want, "{station}: till sessions");

    if is_village {
        let want: Vec<(String, i64)> = view
            .goods()
            .expect("goods")
            .into_iter()
            .map(|g| (g.goods.goods_id, g.stock_units))
            .collect();
        let got: Vec<(String, i64)> = client
            .query(
                "select goods_id, on_hand from village_stock where station_id = $1 order by goods_id",
                &[&station],
            )
            .expect("village_stock")
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        assert_eq!(got, want, "{station}: stock");
    }
}

/// Compares every station scope and the township-wide reports; returns the anomaly kinds.
fn compare_township(
    client: &mut postgres::Client,
    ledger: &Ledger,
    expected: &Consolidation,
) -> Vec<String> {
    compare_village_totals(client, expected);
    let kinds = compare_anomalies(client, expected);
    let own = ledger.view().expect("view");
    for station in own.stations().expect("stations") {
        compare_station(client, &ledger.view_of(&station).expect("view_of"));
    }
    for quarter in quarters() {
        let merged = settlement_for_station(ledger, &own, &quarter).expect("settlement");
        assert_eq!(
            settlement_in_postgres(client, None, &quarter),
            settlement_shape(&merged),
            "township {quarter}"
        );
    }
    for line in &expected.villages {
        let sums = client
            .query_one(
                "select coalesce(sum(awarded), 0)::bigint, coalesce(sum(spent), 0)::bigint,
                        coalesce(sum(cleared), 0)::bigint,
                        coalesce((array_agg(outstanding order by month desc))[1], 0)
                 from village_month_points where station_id = $1",
                &[&line.station_id],
            )
            .expect("sums");
        let got: (i64, i64, i64, i64) = (sums.get(0), sums.get(1), sums.get(2), sums.get(3));
        assert_eq!(
            got,
            (
                line.points_issued,
                line.points_spent,
                line.points_cleared,
                line.balance_outstanding
            ),
            "{}: months add up to the totals",
            line.station_id
        );
    }
    kinds
}

#[test]
fn the_views_give_the_townships_own_numbers() {
    let Some(pg) = cluster() else { return };
    let township = township();
    township.verify();
    let (held, forks) = ([held_note()], [fork_note()]);
    let expected = consolidate(&township.ledger, &held, &forks, NOW).expect("consolidate");
    let address = pg.fresh_database("views");
    let report = publish_all(&township.ledger, &held, &forks, &address).expect("publish");
    let sent: u64 = ["T01", "V01", "V02", "V05", "V06"]
        .iter()
        .map(|s| township.held(s))
        .sum();
    assert_eq!(
        report.events_sent,
        sent + township.head() - township.held("T01")
    );
    let mut client = pg.connect(&address);
    at_now(&mut client);

    let kinds = compare_township(&mut client, &township.ledger, &expected);
    for kind in [
        "gap",
        "fork",
        "ack_mismatch",
        "revoked_key",
        "budget_overrun",
        "stale",
        "never_synced",
        "future_dated",
        "clock_corrected",
        "clock_confirmed",
    ] {
        assert!(
            kinds.iter().any(|k| k == kind),
            "the fixture must exercise {kind}: {kinds:?}"
        );
    }
    let future: Vec<(String, i64, String)> = client
        .query(
            "select station_id, amount, detail_en from anomalies where kind = 'future_dated'
             order by station_id",
            &[],
        )
        .expect("future")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        future
            .iter()
            .map(|(s, n, _)| (s.as_str(), *n))
            .collect::<Vec<_>>(),
        vec![("V05", 1), ("V06", 2)],
        "V06's confirmed date and the entry it allowed"
    );
    assert!(future[1].2.contains(&format_local(FAST)), "{future:?}");

    // Worked out by hand from the fixture. Settlement pays by lot: V01's G1 from 县供销社's
    // supply lot (1 of the 2 sold; the other came from the fund's lot), G2 from 兴农's lot
    // (the first unit sold was donated; the voided sale is out; 新供销's later lot is unsold),
    // G9 shipped out of the township's supplied lot; V02's G1 × 2 at the half-yuan point value
    // then in force (its January sale was voided).
    let paid: Vec<(String, String, i64, i64, i64)> = client
        .query(
            "select quarter, supplier, units, points, value_fen from merchant_settlement
             order by quarter, supplier",
            &[],
        )
        .expect("paid")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    let row =
        |q: &str, s: &str, units, points, fen| (q.to_string(), s.to_string(), units, points, fen);
    assert_eq!(
        paid,
        vec![
            row("2026-Q1", "兴农", 1, 5, 500),
            row("2026-Q1", "县供销社", 3, 30, 2000),
            row("2026-Q2", "兴农", 1, 5, 500),
            row("2026-Q2", "县供销社", 1, 5, 500),
        ]
    );
    let donated: Vec<(String, i64, i64)> = client
        .query(
            "select quarter, units, points from donated_redemptions order by quarter",
            &[],
        )
        .expect("donated")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(
        donated,
        vec![
            ("2026-Q1".to_string(), 3, 9),
            ("2026-Q2".to_string(), 2, 10)
        ],
        "D1 × 2 and G2's donated unit; the township's donated G9 shipped on"
    );
    // V02's spanning sale took 30 points of 2026 and 10 of 2027; its void after the clearing
    // left 2026 cleared and gave 2027 its 10 back.
    let years: Vec<(i32, i64, i64, i64, i64)> = client
        .query(
            "select year, awarded, spent, cleared, remaining from household_credit_years
             where station_id = 'V02' and household_id = 'H1' order by year",
            &[],
        )
        .expect("years")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
        .collect();
    assert_eq!(years, vec![(2026, 50, 20, 30, 0), (2027, 40, 0, 0, 40)]);
}
/// Every station's rows re-checked from PostgreSQL alone: consecutive, linked, and each body
/// hashing to its hash. Returns (station, seq, hash hex) of every row.
fn chain_in_postgres(client: &mut postgres::Client) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    let mut last: Option<(String, i64, Vec<u8>)> = None;
    for r in client
        .query(
            "select station_id, seq, body, hash, prev_hash from events order by station_id, seq",
            &[],
        )
        .expect("events")
    {
        let (station, seq, body, hash, prev): (String, i64, Vec<u8>, Vec<u8>, Vec<u8>) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        assert_eq!(codec::hash_bytes(&body).to_vec(), hash, "{station} #{seq}");
        match &last {
            Some((s, n, h)) if *s == station => {
                assert_eq!((seq, &prev), (n + 1, h), "{station} #{seq} links on");
            }
            _ => assert_eq!(
                (seq, prev),
                (1, GENESIS_HASH.to_vec()),
                "{station} starts at 1"
            ),
        }
        out.push((station.clone(), seq, aixin::store::verify::hex(&hash)));
        last = Some((station, seq, hash));
    }
    out
}

fn heads(client: &mut postgres::Client) -> Vec<(String, i64)> {
    client
        .query(
            "select station_id, head_seq from stations order by station_id",
            &[],
        )
        .expect("stations")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect()
}

/// Rows in events and in each side table.
fn counts(client: &mut postgres::Client) -> [i64; 7] {
    let r = client
        .query_one(
            "select (select count(*) from events), (select count(*) from sale_lines),
                    (select count(*) from clearing_lines), (select count(*) from lots),
                    (select count(*) from lot_takes), (select count(*) from credit_lines),
                    (select count(*) from till_sessions)",
            &[],
        )
        .expect("counts");
    [0, 1, 2, 3, 4, 5, 6].map(|i| r.get(i))
}

#[test]
fn a_rerun_sends_only_what_is_new() {
    let Some(pg) = cluster() else { return };
    let mut township = Station::new("T01", StationRole::Township);
    let village = enrolled_village(&mut township, "V02");
    let mut village = village_clearing(&mut township, village);
    let address = pg.fresh_database("rerun");
    let first = publish_all(&township.ledger, &[held_note()], &[], &address).expect("publish");
    assert_eq!(
        first.migrations_applied,
        vec!["0001_ledger", "0002_views", "0003_boundaries"]
    );
    let mut client = pg.connect(&address);
    let gaps = |client: &mut postgres::Client| -> i64 {
        client
            .query_one("select count(*) from anomalies where kind = 'gap'", &[])
            .expect("gaps")
            .get(0)
    };
    assert_eq!(gaps(&mut client), 1);
    let before = (
        chain_in_postgres(&mut client),
        counts(&mut client),
        heads(&mut client),
    );
    assert_eq!(u64::try_from(before.1[0]).ok(), Some(first.events_sent));

    let again = publish_all(&township.ledger, &[], &[], &address).expect("re-publish");
    assert_eq!((again.events_sent, again.migrations_applied.len()), (0, 0));
    assert_eq!(again.events_verified, first.events_verified);
    let after = (
        chain_in_postgres(&mut client),
        counts(&mut client),
        heads(&mut client),
    );
    assert_eq!(after, before, "a re-run with nothing new changes nothing");
    assert_eq!(
        gaps(&mut client),
        0,
        "the held bundle was imported meanwhile: no gap any more"
    );

    // Two more events at the village reach the township; only they are sent.
    village.run(V02_SYNC + HOUR, sync_support::household("H10"));
    village.run(V02_SYNC + HOUR, sync_support::donate("G1", 3));
    sync(&village, &mut township, V02_SYNC + 2 * HOUR);
    let third = publish_all(&township.ledger, &[], &[], &address).expect("publish the new");
    let v02 = third
        .stations
        .iter()
        .find(|s| s.station_id == "V02")
        .expect("V02 line");
    assert_eq!((v02.sent, v02.published_before), (2, v02.head_seq - 2));
    assert_eq!(
        third.events_sent, 2,
        "the township's own chain did not grow"
    );
    let chain = chain_in_postgres(&mut client);
    assert_eq!(chain.len() as i64, before.1[0] + 2);
    let kept: Vec<_> = chain
        .iter()
        .filter(|(s, seq, _)| s != "V02" || *seq <= v02.head_seq as i64 - 2)
        .cloned()
        .collect();
    assert_eq!(kept, before.0, "what was published stays as it was");
}

/// Two copies of V01 that part after their first event (a laptop restored from a backup
/// that then went on), each imported by its own township.
fn forked_townships() -> (Station, Station) {
    let mut a = Station::new("T01", StationRole::Township);
    let mut b = Station::new("T02", StationRole::Township);
    let mut v = Station::new("V01", StationRole::Village);
    let mut w = Station::new("V01", StationRole::Village);
    for (town, village) in [(&mut a, &mut v), (&mut b, &mut w)] {
        town.enroll(village);
        village.enroll(town);
    }
    v.run(T0 + HOUR, sync_support::household("H1"));
    w.run(T0 + HOUR, sync_support::household("H2"));
    v.run(T0 + HOUR, sync_support::household("H3"));
    sync(&v, &mut a, T0 + 2 * HOUR);
    sync(&w, &mut b, T0 + 2 * HOUR);
    (a, b)
}

#[test]
fn a_fork_is_refused_with_both_hashes_and_nothing_sent() {
    let Some(pg) = cluster() else { return };
    let (a, b) = forked_townships();
    let address = pg.fresh_database("fork");
    publish_all(&a.ledger, &[], &[], &address).expect("publish A");
    let mut client = pg.connect(&address);
    let before = (chain_in_postgres(&mut client), heads(&mut client));

    let refused = publish_all(&b.ledger, &[], &[], &address);
    let ours = b.held_events("V01");
    let theirs = a.held_events("V01");
    assert_eq!(
        ours[0].0, theirs[0].0,
        "the copies share their first events"
    );
    let fork_seq = (0..ours.len())
        .find(|&i| ours[i].0 != theirs[i].0)
        .expect("they part")
        + 1;
    match &refused {
        Err(PublishError::Fork {
            station_id,
            seq,
            postgres_hash,
            ledger_hash,
            stations,
        }) => {
            assert_eq!(
                (station_id.as_str(), *seq as usize, *stations),
                ("V01", fork_seq, 1)
            );
            assert_eq!(
                postgres_hash,
                &aixin::store::verify::hex(&theirs[fork_seq - 1].0)
            );
            assert_eq!(
                ledger_hash,
                &aixin::store::verify::hex(&ours[fork_seq - 1].0)
            );
        }
        other => panic!("expected a fork, got {other:?}"),
    }
    let message = refused
        .err()
        .map(|e| e.message(aixin::i18n::Lang::En))
        .unwrap_or_default();
    assert!(
        message.contains("fork") && message.contains("nothing was published"),
        "{message}"
    );
    assert_eq!(
        (chain_in_postgres(&mut client), heads(&mut client)),
        before,
        "a refused publish sends nothing (not even T02's own chain)"
    );
    let anomalies: Vec<(String, String)> = client
        .query(
            "select kind, station_id from anomalies where kind = 'fork'",
            &[],
        )
        .expect("anomalies")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(anomalies, vec![("fork".to_string(), "V01".to_string())]);
}

#[test]
fn a_damaged_chain_is_refused_before_anything_is_sent() {
    let Some(pg) = cluster() else { return };
    let mut township = Station::new("T01", StationRole::Township);
    enroll_keys(&mut township, "V07", T0);
    let policy = aixin::policies::builtin("direct-points")
        .expect("shipped")
        .expect("valid");
    let mut events = chain(
        "V07",
        1,
        GENESIS_HASH,
        vec![
            (
                T0,
                EventBody::StationInitialized {
                    station_id: "V07".into(),
                    name: "七村".into(),
                    role: StationRole::Village,
                    policy,
                },
            ),
            (
                T0,
                EventBody::HouseholdRegistered {
                    household: household("H1", "C1"),
                },
            ),
        ],
    );
    let third = chain(
        "V07",
        3,
        events[1].hash,
        vec![(
            T0,
            EventBody::HouseholdRegistered {
                household: household("H2", "C2"),
            },
        )],
    );
    events.extend(third);
    township
        .ledger
        .commit_sync("测试", &Moment::at(T0), &events, &[], &[])
        .expect("commit");
    // Behind the ledger's back, the third event is replaced by one that does not build on the
    // second (hashed correctly, linked wrongly): what a disk fault or an editor could leave.
    let Station { dir, ledger, .. } = township;
    drop(ledger);
    let forged = chain(
        "V07",
        3,
        [9; 32],
        vec![(
            T0,
            EventBody::HouseholdRegistered {
                household: household("H2", "C2"),
            },
        )],
    );
    let path = dir.path().join("ledger.redb");
    {
        let db = redb::Database::open(&path).expect("open");
        let txn = db.begin_write().expect("write");
        {
            let mut table = txn.open_table(aixin::store::tables::EVENTS).expect("table");
            let stored = [forged[0].hash.as_slice(), forged[0].bytes.as_slice()].concat();
            table.insert(("V07", 3), stored.as_slice()).expect("insert");
        }
        txn.commit().expect("commit");
    }
    let ledger = Ledger::open(&path).expect("reopen");
    let address = pg.fresh_database("damaged");
    match publish_all(&ledger, &[], &[], &address) {
        Err(PublishError::Chain {
            station_id,
            seq,
            problem,
        }) => {
            assert_eq!((station_id.as_str(), seq), ("V07", 3));
            assert!(problem.contains("link"), "{problem}");
        }
        other => panic!("expected a chain refusal, got {other:?}"),
    }
    let mut client = pg.connect(&address);
    assert_eq!(counts(&mut client), [0; 7], "nothing was sent");
}

#[test]
fn an_interrupted_publish_leaves_whole_batches_and_resumes() {
    let Some(pg) = cluster() else { return };
    let township = township();
    let options = PublishOptions { batch_events: 5 };

    // Stopped by the caller after two batches.
    let address = pg.fresh_database("interrupted");
    let mut client = pg.connect(&address);
    let mut batches = 0;
    let stopped = publish(
        &township.ledger,
        &[],
        &[],
        &mut client,
        &options,
        &mut |_| {
            batches += 1;
            if batches == 2 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    );
    let Err(PublishError::Interrupted { events_sent }) = stopped else {
        panic!("expected an interruption, got {stopped:?}");
    };
    let mut check = pg.connect(&address);
    assert_eq!(
        u64::try_from(counts(&mut check)[0]).unwrap_or(0),
        events_sent,
        "two whole batches, committed"
    );
    assert!(events_sent > 5 && events_sent <= 10, "{events_sent}");
    let consistent = |c: &mut postgres::Client| {
        let bad: i64 = c
            .query_one(
                "select count(*) from stations s
                 where s.head_seq <> (select count(*) from events e where e.station_id = s.station_id)
                    or s.head_seq <> coalesce((select max(seq) from events e where e.station_id = s.station_id), 0)",
                &[],
            )
            .expect("consistency")
            .get(0);
        assert_eq!(bad, 0, "every station's rows are exactly 1..head");
    };
    consistent(&mut check);

    // A batch that fails inside PostgreSQL half-way through its COPY leaves nothing of it.
    check
        .batch_execute(
            "create function refuse_v02_7() returns trigger language plpgsql as $$
             begin
                 if new.station_id = 'V02' and new.seq = 7 then
                     raise exception 'disk full (simulated)';
                 end if;
                 return new;
             end $$;
             create trigger refuse_v02_7 before insert on events
                 for each row execute function refuse_v02_7();",
        )
        .expect("trigger");
    let failed = publish(
        &township.ledger,
        &[],
        &[],
        &mut client,
        &options,
        &mut go_on,
    );
    match &failed {
        Err(PublishError::Database(text)) => assert!(text.contains("disk full"), "{text}"),
        other => panic!("expected the simulated failure, got {other:?}"),
    }
    consistent(&mut check);
    let v02: i64 = check
        .query_one(
            "select head_seq from stations where station_id = 'V02'",
            &[],
        )
        .expect("V02 head")
        .get(0);
    assert_eq!(
        v02, 5,
        "V02's first batch (1..5) stands; the failed one (6..10) left nothing"
    );

    // Resumes, and ends exactly as one uninterrupted publish does.
    check
        .batch_execute("drop trigger refuse_v02_7 on events")
        .expect("drop");
    let resumed = publish(
        &township.ledger,
        &[],
        &[],
        &mut client,
        &options,
        &mut go_on,
    )
    .expect("resume");
    assert!(resumed.events_sent > 0);
    let whole = pg.fresh_database("uninterrupted");
    publish_all(&township.ledger, &[], &[], &whole).expect("publish whole");
    let mut other = pg.connect(&whole);
    assert_eq!(chain_in_postgres(&mut check), chain_in_postgres(&mut other));
    assert_eq!(counts(&mut check), counts(&mut other));
    assert_eq!(heads(&mut check), heads(&mut other));

    // Another publisher moving a head between batches is noticed, not overwritten.
    let raced = pg.fresh_database("raced");
    let mut client = pg.connect(&raced);
    let mut rival = pg.connect(&raced);
    let outcome = publish(
        &township.ledger,
        &[],
        &[],
        &mut client,
        &options,
        &mut |p| {
            if p.events_sent == 5 {
                rival
                    .batch_execute(&format!(
                        "update stations set head_seq = head_seq + 1 where station_id = '{}'",
                        p.station_id
                    ))
                    .expect("rival");
            }
            ControlFlow::Continue(())
        },
    );
    assert!(
        matches!(outcome, Err(PublishError::Concurrent { .. })),
        "{outcome:?}"
    );
}

#[test]
fn schema_versions_are_recorded_and_checked() {
    let Some(pg) = cluster() else { return };
    let township = Station::new("T01", StationRole::Township);
    let address = pg.fresh_database("schema");
    publish_all(&township.ledger, &[], &[], &address).expect("publish");
    let mut client = pg.connect(&address);
    let recorded: Vec<(i32, String, String)> = client
        .query(
            "select version, name, checksum from schema_migrations order by version",
            &[],
        )
        .expect("schema_migrations")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let shipped: Vec<(i32, String, String)> = aixin::publish::schema::MIGRATIONS
        .iter()
        .map(|m| {
            (
                m.version,
                m.name.to_string(),
                aixin::publish::schema::checksum(m.sql),
            )
        })
        .collect();
    assert_eq!(recorded, shipped);

    client
        .batch_execute("update schema_migrations set checksum = 'edited' where version = 2")
        .expect("edit");
    let changed = publish_all(&township.ledger, &[], &[], &address);
    let message = changed
        .err()
        .map(|e| e.message(aixin::i18n::Lang::En))
        .unwrap_or_default();
    assert!(message.contains("schema version 2"), "{message}");

    client
        .batch_execute(&format!(
            "update schema_migrations set checksum = '{}' where version = 2;
             insert into schema_migrations (version, name, checksum) values (99, '0099_future', 'x')",
            aixin::publish::schema::checksum(aixin::publish::schema::MIGRATIONS[1].sql)
        ))
        .expect("newer");
    let newer = publish_all(&township.ledger, &[], &[], &address);
    let message = newer
        .err()
        .map(|e| e.message(aixin::i18n::Lang::Zh))
        .unwrap_or_default();
    assert!(message.contains("升级 aixin"), "{message}");
}

/// A township and one village set up through the real binary (as in township_settlement.rs).
fn cli_township(root: &Path) -> (PathBuf, PathBuf) {
    use common::cli::{json, ok, T0 as NOW0};
    let town = root.join("town");
    let village = root.join("V01");
    let usb = root.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    ok(
        &town,
        NOW0,
        &[
            "init",
            "--station-id",
            "TS01",
            "--name",
            "城关镇",
            "--role",
            "township",
        ],
    );
    ok(
        &village,
        NOW0,
        &["init", "--station-id", "V01", "--name", "李家村"],
    );
    let key = |dir: &Path| {
        json(dir, NOW0, &["keys", "show"])["key_line"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    ok(
        &village,
        NOW0,
        &["station", "enroll", &key(&town), "--township"],
    );
    ok(&town, NOW0, &["station", "enroll", &key(&village)]);
    ok(
        &village,
        NOW0,
        &[
            "household",
            "add",
            "--id",
            "H1",
            "--card",
            "C1",
            "--head",
            "张三",
        ],
    );
    ok(&village, NOW0, &["export", "--to", &usb.to_string_lossy()]);
    ok(&town, NOW0, &["import", &usb.to_string_lossy()]);
    (town, village)
}

#[test]
fn the_command_line_publishes_and_refuses_clearly() {
    let Some(pg) = cluster() else { return };
    use common::cli::{aixin, ok, T0 as NOW0};
    let root = tempfile::tempdir().expect("tempdir");
    let (town, village) = cli_township(root.path());
    let address = pg.fresh_database("cli");

    let out = ok(
        &town,
        NOW0,
        &["--lang", "en", "publish", "--postgres", &address],
    );
    assert!(
        out.starts_with("published to PostgreSQL: 2 stations"),
        "{out}"
    );
    assert!(out.contains("V01: up to #"), "{out}");
    let again = common::cli::json(&town, NOW0, &["publish", "--postgres", &address]);
    assert_eq!(again["events_sent"], 0, "{again}");
    assert_eq!(again["stations"].as_array().map(Vec::len), Some(2));

    let refusals: [(&Path, String, i32, &str); 4] = [
        (&village, address.clone(), 1, "乡镇"),
        (&town, "postgresql://[nonsense".into(), 2, "--postgres"),
        (
            &town,
            format!(
                "host=127.0.0.1 port={} user=nobody dbname=x connect_timeout=5",
                closed_port()
            ),
            3,
            "PostgreSQL",
        ),
        (
            &town,
            format!(
                "host=127.0.0.1 port={} user=aixin dbname=no_such_db",
                pg.port
            ),
            3,
            "no_such_db",
        ),
    ];
    for (dir, url, code, needle) in refusals {
        let head_before = common::cli::head(dir);
        let out = aixin(dir, NOW0, &["publish", "--postgres", &url]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{url}: {stderr}");
        assert!(
            stderr.starts_with("aixin: ") && stderr.trim_end().lines().count() == 1,
            "{stderr}"
        );
        assert!(stderr.contains(needle), "{url}: {stderr}");
        assert_eq!(
            common::cli::head(dir),
            head_before,
            "publishing never changes the ledger"
        );
    }
}

/// A local port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Copies the first `count` events of `station` held at `from` into `to`, as an import would.
fn copy_chain(from: &Station, to: &mut Station, station: &str, count: usize) {
    let events: Vec<ForeignEvent> = from
        .held_events(station)
        .into_iter()
        .take(count)
        .map(|(hash, bytes)| ForeignEvent {
            event: codec::decode(&bytes).expect("decode"),
            hash,
            bytes,
        })
        .collect();
    to.ledger
        .commit_sync("测试", &Moment::at(T0), &events, &[], &[])
        .expect("commit");
}

#[test]
fn publishers_holding_the_same_chain_agree() {
    let Some(pg) = cluster() else { return };
    let mut a = Station::new("T01", StationRole::Township);
    let mut v = enrolled_village(&mut a, "V01");
    for h in ["H1", "H2", "H3", "H4"] {
        v.run(T0 + HOUR, sync_support::household(h));
    }
    sync(&v, &mut a, T0 + 2 * HOUR);
    let held = a.held("V01");
    // A county that has only the first three of V01's events.
    let mut county = Station::new("C01", StationRole::Township);
    copy_chain(&a, &mut county, "V01", 3);
    let address = pg.fresh_database("agree");
    publish_all(&a.ledger, &[], &[], &address).expect("township publishes");

    let behind = publish_all(&county.ledger, &[], &[], &address).expect("the county publishes");
    let line = |report: &PublishReport| {
        report
            .stations
            .iter()
            .find(|s| s.station_id == "V01")
            .map(|s| (s.head_seq, s.sent, s.postgres_ahead))
    };
    assert_eq!(
        line(&behind),
        Some((3, 0, held - 3)),
        "PostgreSQL is ahead: not a fork"
    );

    // The village goes on; the county catches up with all of it and sends only the new.
    v.run(T0 + 3 * HOUR, sync_support::household("H5"));
    sync(&v, &mut a, T0 + 4 * HOUR);
    let mut county = Station::new("C01", StationRole::Township);
    copy_chain(&a, &mut county, "V01", usize::MAX);
    let caught_up = publish_all(&county.ledger, &[], &[], &address).expect("the county catches up");
    assert_eq!(line(&caught_up), Some((held + 1, 1, 0)));
    let mut client = pg.connect(&address);
    assert_eq!(
        chain_in_postgres(&mut client)
            .iter()
            .filter(|(s, _, _)| s == "V01")
            .count() as u64,
        held + 1
    );
}

/// Copies a fixture data dir of tests/fixtures/legacy into `to`.
fn copy_fixture(name: &str, to: &Path) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/legacy")
        .join(name);
    let dir = to.join(name);
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::copy(from.join("ledger.redb"), dir.join("ledger.redb")).expect("copy ledger");
    dir
}

/// A township ledger written before lots, credit years, till sessions and clock events
/// (tests/fixtures/legacy/township: LGT01 holding LGV01's old sales, a void, stocktake loss and
/// gain, a calendar-day close, an old transfer and an old year-end clearing, and its own old
/// shipment): PostgreSQL gets lots and credit years for the old events from the splits the
/// ledger kept when it applied them, and the views give the township's numbers.
#[test]
fn a_ledger_from_before_lots_publishes_the_splits_it_kept() {
    let Some(pg) = cluster() else { return };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = copy_fixture("township", dir.path()).join("ledger.redb");
    let ledger = Ledger::open(&path).expect("upgrade");
    // 2027-01-06 09:00 China time: the day after the fixture's last events.
    let now_ms = 1_799_197_200_000;
    let expected = consolidate(&ledger, &[], &[], now_ms).expect("consolidate");
    let address = pg.fresh_database("legacy");
    publish_all(&ledger, &[], &[], &address).expect("publish");
    let mut client = pg.connect(&address);
    client
        .batch_execute(&format!("set aixin.now_ms = '{now_ms}'"))
        .expect("set now");
    compare_township(&mut client, &ledger, &expected);

    // The old sale #13 (G1 × 4 + G2 × 1, 45 points) has lots and a credit year now.
    let takes: Vec<(String, i64)> = client
        .query(
            "select goods_id, sum(units)::bigint from lot_takes
             where station_id = 'LGV01' and seq = 13 group by goods_id order by goods_id",
            &[],
        )
        .expect("takes")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(takes, vec![("G1".to_string(), 4), ("G2".to_string(), 1)]);
    let spent: Vec<(i32, i64)> = client
        .query(
            "select year, spent from credit_lines where station_id = 'LGV01' and seq = 13",
            &[],
        )
        .expect("credit")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(spent, vec![(2026, 45)]);
    let zs: i64 = client
        .query_one(
            "select count(*) from session_reports where station_id = 'LGV01' and closed",
            &[],
        )
        .expect("sessions")
        .get(0);
    assert_eq!(zs, 1, "the old calendar-day close is Z1");
}

/// Balances below zero can no longer be written (the ledger refuses a sale beyond a year's
/// credit), but the views still flag them, as the township does, should rows say so: here
/// written straight into the tables.
#[test]
fn the_views_flag_overdrafts_the_ledger_no_longer_allows() {
    let Some(pg) = cluster() else { return };
    let township = Station::new("T01", StationRole::Township);
    let address = pg.fresh_database("overdraft");
    publish_all(&township.ledger, &[], &[], &address).expect("publish");
    let mut client = pg.connect(&address);
    client
        .batch_execute(
            "insert into stations (station_id, name, role, published_by, head_hash, head_seq)
             values ('V08', '八村', 'village', 'T01', decode(repeat('00', 32), 'hex'), 1),
                    ('V09', '九村', 'village', 'T01', decode(repeat('00', 32), 'hex'), 1);
             insert into events (station_id, seq, time_ms, day, month, quarter, operator, kind,
                                 household_id, card_no, body, hash, prev_hash)
             select s, 1, 1772416800000, '2026-03-02', '2026-03', '2026-Q1', 'x',
                    'household_registered', 'H1', 'C1', '\\x00'::bytea,
                    decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
             from unnest(array['V08', 'V09']) s;
             insert into events (station_id, seq, time_ms, day, month, quarter, operator, kind,
                                 household_id, points, ref_seq, body, hash, prev_hash)
             select s, 2, 1772416800000, '2026-03-02', '2026-03', '2026-Q1', 'x',
                    'award_confirmed', 'H1', 10, 1, '\\x00'::bytea,
                    decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex')
             from unnest(array['V08', 'V09']) s;
             insert into credit_lines
             values ('V08', 2, 1, '2026-03-02', '2026-03', 'H1', 2026, 10, 0, 0),
                    ('V08', 1, 1, '2026-03-02', '2026-03', 'H1', 2026, 0, 30, 0),
                    ('V09', 2, 1, '2026-03-02', '2026-03', 'H1', 2026, 10, 0, 0);",
        )
        .expect("rows");
    let flagged: Vec<(String, String, String, i64)> = client
        .query(
            "select kind, station_id, subject, amount from anomalies
             where kind in ('negative_balance', 'overdrawn_across_stations')
             order by kind, subject",
            &[],
        )
        .expect("anomalies")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let row =
        |k: &str, s: &str, subject: &str, n| (k.to_string(), s.to_string(), subject.to_string(), n);
    assert_eq!(
        flagged,
        vec![
            row("negative_balance", "V08", "household H1", -20),
            row("overdrawn_across_stations", "V08+V09", "card C1", 10),
            row("overdrawn_across_stations", "V08+V09", "household H1", 10),
        ]
    );
}
