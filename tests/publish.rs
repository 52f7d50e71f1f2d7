//! Publishing a township into a real PostgreSQL (a throw-away cluster, tests/pg_support):
//! the views give the township's own numbers, a re-run sends only what is new, a fork is
//! refused with both hashes, an interrupted publish leaves whole batches and resumes, the
//! schema's versions are checked, and the command line's door works and refuses clearly.

mod common;
mod pg_support;
mod sync_support;

use std::collections::BTreeMap;
use std::ops::ControlFlow;

use aixin::domain::event::GENESIS_HASH;
use aixin::domain::{
    Command, Event, EventBody, Goods, Hash, Household, HouseholdRef, PeriodKey, SaleLine,
    StationRole, StockSource, Zone,
};
use aixin::publish::{publish, PublishError, PublishOptions, PublishReport};
use aixin::report::settlement::{merge_settlements, settlement, Settlement};
use aixin::store::codec;
use aixin::store::ledger::ForeignEvent;
use aixin::store::Ledger;
use aixin::sync::exchange::{export_bundles, ImportOutcome};
use aixin::sync::files::ForkNote;
use aixin::sync::keys::StationKeys;
use aixin::sync::township::{consolidate, AnomalyKind, Consolidation};
use pg_support::cluster;
use sync_support::{Station, HOUR, T0};

const DAY: i64 = 24 * HOUR;
/// 2027-01-05 10:00 China time: the year-end clearing of 2026 and V02's last bundle.
const JAN_2027: i64 = 1_799_114_400_000;
/// When the township looks (a day after V02's last bundle).
const NOW: i64 = JAN_2027 + DAY;

fn go_on(_: &aixin::publish::Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

fn publish_all(
    ledger: &Ledger,
    forks: &[ForkNote],
    address: &str,
) -> Result<PublishReport, PublishError> {
    let mut client = postgres::Client::connect(address, postgres::NoTls).expect("connect");
    publish(
        ledger,
        forks,
        &mut client,
        &PublishOptions::default(),
        &mut go_on,
    )
}

/// Runs a command at a station and returns its events.
fn exec(station: &mut Station, now_ms: i64, command: Command) -> Vec<Event> {
    station
        .ledger
        .execute("测试", now_ms, &command)
        .unwrap_or_else(|e| panic!("{command:?}: {e:?}"))
}

fn goods(id: &str, price: i64, supplier: &str) -> Command {
    Command::DefineGoods {
        goods: Goods {
            goods_id: id.into(),
            name: format!("商品{id}"),
            unit: "袋".into(),
            barcode: String::new(),
            price_points: price,
            zone: Zone::Points(price as u32),
            category: "粮油".into(),
            supplier: supplier.into(),
        },
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

fn first_seq(events: &[Event]) -> u64 {
    events.first().map(|e| e.seq).expect("an event")
}

/// Sends a village's new events to the township as a real bundle.
fn sync(village: &Station, township: &mut Station, now_ms: i64) {
    for bundle in village.export(now_ms) {
        match township.import(&bundle.bytes, now_ms) {
            Ok(ImportOutcome::Applied(_)) | Ok(ImportOutcome::NothingNew { .. }) => {}
            other => panic!("import: {other:?}"),
        }
    }
}

/// V01, direct points: purchases, donations, scores confirmed and revoked, sales in two
/// quarters, a void, a stocktake loss and an award still in publicity. Last synced 2026-04-12.
fn village_direct(township: &mut Station, mut v: Station) -> Station {
    for h in ["H1", "H2", "H3"] {
        v.run(T0, sync_support::household(h));
    }
    v.run(T0, goods("G1", 10, "县供销社"));
    v.run(T0, goods("G2", 5, "兴农"));
    v.run(T0, goods("D1", 2, ""));
    v.run(
        T0,
        Command::ReceiveStock {
            goods_id: "G1".into(),
            quantity: 50,
            source: StockSource::Purchase {
                fund: "专项".into(),
                cost_fen: 10_000,
            },
        },
    );
    v.run(T0, sync_support::donate("G2", 30));
    v.run(T0, sync_support::donate("D1", 20));
    let h1 = first_seq(&exec(&mut v, T0, score("H1", "2026-02", 20)));
    let h2 = first_seq(&exec(&mut v, T0, score("H2", "2026-02", 15)));
    let h3 = first_seq(&exec(&mut v, T0, score("H3", "2026-02", 10)));
    v.run(
        T0 + DAY,
        Command::RevokeAward {
            award_seq: h3,
            reason: "异议成立".into(),
        },
    );
    v.run(
        T0 + 2 * DAY,
        Command::ReissueCard {
            household_id: "H3".into(),
            new_card_no: "CH3-2".into(),
        },
    );
    let week = T0 + 8 * DAY;
    v.run(week, Command::ConfirmAward { award_seq: h1 });
    v.run(week, Command::ConfirmAward { award_seq: h2 });
    v.run(week, redeem("H1", &[("G1", 1), ("D1", 2)]));
    let voided = first_seq(&exec(&mut v, week, redeem("H2", &[("G2", 2)])));
    v.run(
        week + DAY,
        Command::VoidSale {
            sale_seq: voided,
            reason: "拿错了".into(),
        },
    );
    v.run(week + DAY, redeem("H2", &[("G2", 1)]));
    v.run(
        week + DAY,
        Command::AdjustStock {
            goods_id: "G1".into(),
            delta: -1,
            reason: "破损".into(),
        },
    );
    v.run(T0 + 30 * DAY, score("H3", "2026-03", 10));
    // G2 changes merchant in the second quarter: later sales pay the new one.
    v.run(T0 + 35 * DAY, goods("G2", 5, "新供销"));
    // The township ships goods of its own catalog; they arrive with its reply bundle.
    township.run(T0 + 36 * DAY, goods("G9", 10, "县供销社"));
    township.run(T0 + 36 * DAY, sync_support::donate("G9", 20));
    township.run(
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
        v.import(&bundle.bytes, T0 + 36 * DAY)
            .expect("village imports the reply");
    }
    v.run(T0 + 40 * DAY, redeem("H1", &[("G2", 1)]));
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

/// V02, threshold score with year-end clearing: scored, spent, and 2026 cleared in January.
fn village_clearing(township: &mut Station, mut v: Station) -> Station {
    let policy = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("valid");
    v.run(T0, Command::SetPolicy { policy });
    v.run(T0, sync_support::household("H1"));
    v.run(T0, sync_support::household("H9"));
    v.run(T0, goods("G1", 10, "县供销社"));
    v.run(T0, sync_support::donate("G1", 10));
    let h1 = first_seq(&exec(&mut v, T0, score("H1", "2026-02", 90)));
    let h9 = first_seq(&exec(&mut v, T0, score("H9", "2026-02", 85)));
    v.run(T0 + 8 * DAY, Command::ConfirmAward { award_seq: h1 });
    v.run(T0 + 8 * DAY, Command::ConfirmAward { award_seq: h9 });
    // A point is worth half a yuan from now on: the sale below is paid at that value.
    let mut cheaper = aixin::policies::builtin("threshold-score")
        .expect("shipped")
        .expect("valid");
    cheaper.point_value_fen = 50;
    v.run(T0 + 8 * DAY, Command::SetPolicy { policy: cheaper });
    v.run(T0 + 8 * DAY, redeem("H1", &[("G1", 2)]));
    v.run(JAN_2027, Command::ClearYear { year: 2026 });
    sync(&v, township, JAN_2027);
    v
}

fn enroll_keys(township: &mut Station, id: &str, now_ms: i64) {
    let public = StationKeys::generate().public(id);
    township.run(
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

/// V05: a village whose chain no till would write (the rules refuse it) but whose events are
/// well-formed: a budget overrun, a household overdrawn (also across stations, by id and card)
/// and an event dated in the future. Its events reach the township as an import commits them.
fn village_rogue(township: &mut Station) {
    let december = JAN_2027 - 20 * DAY;
    let policy = aixin::policies::builtin("direct-points")
        .expect("shipped")
        .expect("valid");
    let g1 = Goods {
        goods_id: "G1".into(),
        name: "大米".into(),
        unit: "袋".into(),
        barcode: String::new(),
        price_points: 10,
        zone: Zone::Points(10),
        category: "粮油".into(),
        supplier: "县供销社".into(),
    };
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
        (december, EventBody::GoodsDefined { goods: g1 }),
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
        (december + DAY, EventBody::AwardConfirmed { award_seq: 5 }),
        (
            december + DAY,
            EventBody::Redeemed {
                household_id: "H1".into(),
                card_no: "CH1".into(),
                lines: vec![SaleLine {
                    goods_id: "G1".into(),
                    quantity: 50,
                    price_points: 10,
                }],
                total_points: 500,
                proxy: Some("村支书".into()),
            },
        ),
        (
            JAN_2027 + 150 * DAY,
            EventBody::StockReceived {
                goods_id: "G1".into(),
                quantity: 10,
                source: StockSource::Donation {
                    donor: "未来".into(),
                },
            },
        ),
    ];
    township
        .ledger
        .commit_sync(
            "测试",
            JAN_2027,
            &chain("V05", 1, GENESIS_HASH, bodies),
            &[],
            &[],
        )
        .expect("commit V05");
}

/// A township with five villages: V01 and V02 synced by real bundles, V03 enrolled but never
/// synced, V04 revoked, V05 with a chain that overdraws, overruns and is dated in the future.
fn township() -> (Station, Vec<Station>) {
    let mut township = Station::new("T01", StationRole::Township);
    let v01 = enrolled_village(&mut township, "V01");
    let v02 = enrolled_village(&mut township, "V02");
    enroll_keys(&mut township, "V03", T0);
    enroll_keys(&mut township, "V04", T0);
    township.run(
        T0 + DAY,
        Command::RevokeStation {
            station_id: "V04".into(),
            from_ms: T0,
        },
    );
    enroll_keys(&mut township, "V05", T0 + DAY);
    let v01 = village_direct(&mut township, v01);
    let v02 = village_clearing(&mut township, v02);
    village_rogue(&mut township);
    (township, vec![v01, v02])
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

/// The township's settlement of a quarter, as `aixin report settlement` computes it there.
fn township_settlement(ledger: &Ledger, quarter: &str) -> Settlement {
    let own = ledger.view().expect("view");
    let mut parts = Vec::new();
    for station in own.stations().expect("stations") {
        let view = ledger.view_of(&station).expect("view_of");
        let village = view
            .meta()
            .expect("meta")
            .is_some_and(|m| m.role == StationRole::Village);
        if station != ledger.station() && village {
            parts.push(settlement(&view, quarter).expect("settlement"));
        }
    }
    merge_settlements(quarter, &parts)
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
                "{} {:?} {:?} hh={} issued={} pending={} spent={} cleared={} out={} stock={} donated={} events={} last_event={:?} last_sync={:?} days={:?}",
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
            )
        })
        .collect();
    let want: Vec<String> = expected
        .villages
        .iter()
        .map(|l| {
            format!(
                "{} {:?} {:?} hh={} issued={} pending={} spent={} cleared={} out={} stock={} donated={} events={} last_event={:?} last_sync={:?} days={:?}",
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
    }
}

#[test]
fn the_views_give_the_townships_own_numbers() {
    let Some(pg) = cluster() else { return };
    let (township, _villages) = township();
    township.verify();
    let notes = [fork_note()];
    let expected = consolidate(&township.ledger, &[], &notes, NOW).expect("consolidate");
    let address = pg.fresh_database("views");
    let report = publish_all(&township.ledger, &notes, &address).expect("publish");
    let held: u64 = ["T01", "V01", "V02", "V05"]
        .iter()
        .map(|s| township.held(s))
        .sum();
    assert_eq!(
        report.events_sent,
        held + township.head() - township.held("T01")
    );
    let mut client = pg.connect(&address);
    at_now(&mut client);

    compare_village_totals(&mut client, &expected);

    // Anomalies: the township's, kind by kind and station by station, plus what only the
    // consolidated ledger sees (events dated in the future).
    let mut want: Vec<(String, String)> = expected
        .anomalies
        .iter()
        .map(|a| {
            (
                township_anomaly_name(a.kind).to_string(),
                a.station_id.clone(),
            )
        })
        .collect();
    want.push(("future_dated".into(), "V05".into()));
    want.sort();
    let mut got: Vec<(String, String)> = client
        .query("select kind, station_id from anomalies", &[])
        .expect("anomalies")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    got.sort();
    assert_eq!(got, want);
    let kinds: Vec<&str> = want.iter().map(|(k, _)| k.as_str()).collect();
    for kind in [
        "overdrawn_across_stations",
        "negative_balance",
        "budget_overrun",
        "stale",
        "never_synced",
        "revoked_key",
        "fork",
    ] {
        assert!(
            kinds.contains(&kind),
            "the fixture must exercise {kind}: {want:?}"
        );
    }
    let overdraft: Vec<(String, i64)> = client
        .query(
            "select subject, amount from anomalies where kind = 'overdrawn_across_stations' order by subject",
            &[],
        )
        .expect("overdrafts")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        overdraft,
        vec![("card CH1".into(), 299), ("household H1".into(), 299)]
    );

    // Settlement per merchant and quarter, and donated goods, as the township's report.
    for quarter in ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] {
        let own = township_settlement(&township.ledger, quarter);
        let want: Vec<(String, i64, i64, i64)> = own
            .merchants
            .iter()
            .map(|m| (m.supplier.clone(), m.units, m.points, m.value_fen))
            .collect();
        let got: Vec<(String, i64, i64, i64)> = client
            .query(
                "select supplier, units, points, value_fen from merchant_settlement
                 where quarter = $1 order by supplier",
                &[&quarter],
            )
            .expect("merchant_settlement")
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
            .collect();
        assert_eq!(got, want, "{quarter}");
        let donated = client
            .query_opt(
                "select units, points from donated_redemptions where quarter = $1",
                &[&quarter],
            )
            .expect("donated")
            .map_or((0, 0), |r| (r.get::<_, i64>(0), r.get::<_, i64>(1)));
        assert_eq!(
            donated,
            (own.donated_units, own.donated_points),
            "{quarter}"
        );
        let mut per_goods: BTreeMap<(String, String), (i64, i64)> = BTreeMap::new();
        for m in &own.merchants {
            for (goods_id, _, units, points) in &m.goods {
                per_goods.insert((m.supplier.clone(), goods_id.clone()), (*units, *points));
            }
        }
        let got: BTreeMap<(String, String), (i64, i64)> = client
            .query(
                "select supplier, goods_id, sum(units)::bigint, sum(points)::bigint
                 from settlement_lines where quarter = $1 and supplier is not null
                 group by supplier, goods_id",
                &[&quarter],
            )
            .expect("settlement_lines")
            .iter()
            .map(|r| ((r.get(0), r.get(1)), (r.get(2), r.get(3))))
            .collect();
        assert_eq!(got, per_goods, "{quarter}");
    }
    let q1: i64 = client
        .query_one("select coalesce(sum(points), 0)::bigint from merchant_settlement where quarter = '2026-Q1'", &[])
        .expect("q1")
        .get(0);
    assert_eq!(
        q1, 35,
        "V01: G1 10 + G2 5 (the voided sale is out); V02: G1 20"
    );
    let paid: Vec<(String, String, i64)> = client
        .query(
            "select quarter, supplier, value_fen from merchant_settlement
             where quarter in ('2026-Q1', '2026-Q2') order by quarter, supplier",
            &[],
        )
        .expect("paid")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let paid_row = |q: &str, s: &str, fen| (q.to_string(), s.to_string(), fen);
    assert_eq!(
        paid,
        vec![
            paid_row("2026-Q1", "兴农", 500),
            paid_row("2026-Q1", "县供销社", 2000),
            paid_row("2026-Q2", "新供销", 500),
        ],
        "V02's 20 points at the half-yuan point value then in force; G2's new merchant in Q2"
    );
    let transfer: (i64, i64) = client
        .query_one(
            "select received_transfer, on_hand from village_stock
             where station_id = 'V01' and goods_id = 'G9'",
            &[],
        )
        .map(|r| (r.get(0), r.get(1)))
        .expect("G9 at V01");
    assert_eq!(
        transfer,
        (5, 5),
        "the township's shipment arrived as a transfer"
    );

    // Every household's points, and every item's stock, as each village's ledger holds them.
    for station in ["V01", "V02", "V05"] {
        let view = township.ledger.view_of(station).expect("view_of");
        let want: Vec<(String, String, i64, i64, i64, i64, i64)> = view
            .households()
            .expect("households")
            .into_iter()
            .map(|h| {
                (
                    h.household.household_id,
                    h.household.card_no,
                    h.earned_points,
                    h.pending_points,
                    h.spent_points,
                    h.cleared_points,
                    h.balance_points,
                )
            })
            .collect();
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
        assert_eq!(got, want, "{station}");
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
        assert_eq!(got, want, "{station}");
    }

    // Per village and month: worked out by hand from the fixture, and adding up to the totals.
    let months: Vec<(String, String, i64, i64, i64, i64, i64)> = client
        .query(
            "select station_id, month, awarded, spent, cleared, pending, outstanding
             from village_month_points where station_id in ('V01', 'V02') order by station_id, month",
            &[],
        )
        .expect("village_month_points")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6)))
        .collect();
    let row = |s: &str, m: &str, a, sp, c, p, o| (s.to_string(), m.to_string(), a, sp, c, p, o);
    assert_eq!(
        months,
        vec![
            row("V01", "2026-03", 35, 19, 0, 0, 16),
            row("V01", "2026-04", 0, 5, 0, 10, 11),
            row("V02", "2026-03", 75, 20, 0, 0, 55),
            row("V02", "2027-01", 0, 0, 55, 0, 0),
        ]
    );
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
            "{}",
            line.station_id
        );
    }
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

fn counts(client: &mut postgres::Client) -> (i64, i64, i64) {
    let r = client
        .query_one(
            "select (select count(*) from events), (select count(*) from sale_lines),
                    (select count(*) from clearing_lines)",
            &[],
        )
        .expect("counts");
    (r.get(0), r.get(1), r.get(2))
}

#[test]
fn a_rerun_sends_only_what_is_new() {
    let Some(pg) = cluster() else { return };
    let mut township = Station::new("T01", StationRole::Township);
    let village = enrolled_village(&mut township, "V02");
    let mut village = village_clearing(&mut township, village);
    let address = pg.fresh_database("rerun");
    let first = publish_all(&township.ledger, &[], &address).expect("publish");
    assert_eq!(first.migrations_applied, vec!["0001_ledger", "0002_views"]);
    let mut client = pg.connect(&address);
    let before = (
        chain_in_postgres(&mut client),
        counts(&mut client),
        heads(&mut client),
    );
    assert_eq!(before.1 .0 as u64, first.events_sent);

    let again = publish_all(&township.ledger, &[], &address).expect("re-publish");
    assert_eq!((again.events_sent, again.migrations_applied.len()), (0, 0));
    assert_eq!(again.events_verified, first.events_verified);
    let after = (
        chain_in_postgres(&mut client),
        counts(&mut client),
        heads(&mut client),
    );
    assert_eq!(after, before, "a re-run with nothing new changes nothing");

    // Two more events at the village reach the township; only they are sent.
    village.run(JAN_2027 + HOUR, sync_support::household("H10"));
    village.run(JAN_2027 + HOUR, sync_support::donate("G1", 3));
    sync(&village, &mut township, JAN_2027 + 2 * HOUR);
    let third = publish_all(&township.ledger, &[], &address).expect("publish the new");
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
    assert_eq!(chain.len() as i64, before.1 .0 + 2);
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
    publish_all(&a.ledger, &[], &address).expect("publish A");
    let mut client = pg.connect(&address);
    let before = (chain_in_postgres(&mut client), heads(&mut client));

    let refused = publish_all(&b.ledger, &[], &address);
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
    // A third event that does not build on the second (hashed correctly, linked wrongly).
    events.extend(chain(
        "V07",
        3,
        [9; 32],
        vec![(
            T0,
            EventBody::HouseholdRegistered {
                household: household("H2", "C2"),
            },
        )],
    ));
    township
        .ledger
        .commit_sync("测试", T0, &events, &[], &[])
        .expect("commit");
    let address = pg.fresh_database("damaged");
    match publish_all(&township.ledger, &[], &address) {
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
    assert_eq!(counts(&mut client), (0, 0, 0), "nothing was sent");
}

#[test]
fn an_interrupted_publish_leaves_whole_batches_and_resumes() {
    let Some(pg) = cluster() else { return };
    let (township, _villages) = township();
    let options = PublishOptions { batch_events: 5 };

    // Stopped by the caller after two batches.
    let address = pg.fresh_database("interrupted");
    let mut client = pg.connect(&address);
    let mut batches = 0;
    let stopped = publish(&township.ledger, &[], &mut client, &options, &mut |_| {
        batches += 1;
        if batches == 2 {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    let Err(PublishError::Interrupted { events_sent }) = stopped else {
        panic!("expected an interruption, got {stopped:?}");
    };
    let mut check = pg.connect(&address);
    assert_eq!(
        counts(&mut check).0 as u64,
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
    let failed = publish(&township.ledger, &[], &mut client, &options, &mut go_on);
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
    let resumed =
        publish(&township.ledger, &[], &mut client, &options, &mut go_on).expect("resume");
    assert!(resumed.events_sent > 0);
    let whole = pg.fresh_database("uninterrupted");
    publish_all(&township.ledger, &[], &whole).expect("publish whole");
    let mut other = pg.connect(&whole);
    assert_eq!(chain_in_postgres(&mut check), chain_in_postgres(&mut other));
    assert_eq!(counts(&mut check), counts(&mut other));
    assert_eq!(heads(&mut check), heads(&mut other));

    // Another publisher moving a head between batches is noticed, not overwritten.
    let raced = pg.fresh_database("raced");
    let mut client = pg.connect(&raced);
    let mut rival = pg.connect(&raced);
    let outcome = publish(&township.ledger, &[], &mut client, &options, &mut |p| {
        if p.events_sent == 5 {
            rival
                .batch_execute(&format!(
                    "update stations set head_seq = head_seq + 1 where station_id = '{}'",
                    p.station_id
                ))
                .expect("rival");
        }
        ControlFlow::Continue(())
    });
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
    publish_all(&township.ledger, &[], &address).expect("publish");
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
    let changed = publish_all(&township.ledger, &[], &address);
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
    let newer = publish_all(&township.ledger, &[], &address);
    let message = newer
        .err()
        .map(|e| e.message(aixin::i18n::Lang::Zh))
        .unwrap_or_default();
    assert!(message.contains("升级 aixin"), "{message}");
}

/// A township and one village set up through the real binary (as in township_settlement.rs).
fn cli_township(root: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use common::{json, ok, T0 as NOW0};
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
    let key = |dir: &std::path::Path| {
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
    use common::{aixin, ok, T0 as NOW0};
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
    let again = common::json(&town, NOW0, &["publish", "--postgres", &address]);
    assert_eq!(again["events_sent"], 0, "{again}");
    assert_eq!(again["stations"].as_array().map(Vec::len), Some(2));

    let refusals: [(&std::path::Path, String, i32, &str); 4] = [
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
        let head_before = common::head(dir);
        let out = aixin(dir, NOW0, &["publish", "--postgres", &url]);
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(code), "{url}: {stderr}");
        assert!(
            stderr.starts_with("aixin: ") && stderr.trim_end().lines().count() == 1,
            "{stderr}"
        );
        assert!(stderr.contains(needle), "{url}: {stderr}");
        assert_eq!(
            common::head(dir),
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
        .commit_sync("测试", T0, &events, &[], &[])
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
    publish_all(&a.ledger, &[], &address).expect("township publishes");

    let behind = publish_all(&county.ledger, &[], &address).expect("the county publishes");
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
    let caught_up = publish_all(&county.ledger, &[], &address).expect("the county catches up");
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
