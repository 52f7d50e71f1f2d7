//! Property tests of the ledger's invariants against a simple reference model: for any sequence
//! of random commands, valid or not, balances and stock never go negative and match the model,
//! points issued = spent + cleared + balances, every refused command leaves the ledger exactly
//! as it was (same event count and head hash), and `verify` passes at the end.

use std::collections::BTreeMap;

use aixin::domain::event::{Goods, Household, StationRole, StockSource, Zone};
use aixin::domain::time::DAY_MS;
use aixin::domain::{Command, HouseholdRef};
use aixin::store::verify::verify_all;
use aixin::store::{Ledger, StoreError};
use proptest::prelude::*;

/// 2026-01-10T02:00:00Z.
const START_MS: i64 = 1_768_010_400_000;

#[derive(Clone, Debug)]
enum Op {
    AddHousehold(u8),
    AddGoods(u8, i64),
    Receive(u8, i64),
    Adjust(u8, i64),
    Score(u8, i64),
    Advance(i64),
    ConfirmAll,
    RevokeFirst,
    Redeem(u8, Vec<(u8, i64)>),
    Void(u8),
    ClearYear,
    Reissue(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (0u8..4).prop_map(Op::AddHousehold),
        1 => (0u8..3, -2i64..30).prop_map(|(g, p)| Op::AddGoods(g, p)),
        1 => (0u8..4, -2i64..20).prop_map(|(g, q)| Op::Receive(g, q)),
        1 => (0u8..4, -12i64..8).prop_map(|(g, d)| Op::Adjust(g, d)),
        1 => (0u8..5, -5i64..110).prop_map(|(h, s)| Op::Score(h, s)),
        1 => (0i64..60).prop_map(Op::Advance),
        1 => Just(Op::ConfirmAll),
        1 => Just(Op::RevokeFirst),
        3 => (0u8..5, prop::collection::vec((0u8..4, -1i64..5), 0..4)).prop_map(|(h, l)| Op::Redeem(h, l)),
        1 => (0u8..6).prop_map(Op::Void),
        1 => Just(Op::ClearYear),
        1 => (0u8..5).prop_map(Op::Reissue),
    ]
}

/// Households with confirmed points and goods in stock.
fn funded_prelude() -> Vec<Op> {
    let mut ops = Vec::new();
    for i in 0..4 {
        ops.push(Op::AddHousehold(i));
    }
    for g in 0..3 {
        ops.push(Op::AddGoods(g, 5 + i64::from(g) * 5));
        ops.push(Op::Receive(g, 15));
    }
    for i in 0..4 {
        ops.push(Op::Score(i, 90 + i64::from(i) * 3));
    }
    ops.push(Op::Advance(8));
    ops.push(Op::ConfirmAll);
    ops
}

/// A sale in the model: (seq, household, lines, points, voided).
type ModelSale = (u64, String, Vec<(String, i64)>, i64, bool);

#[derive(Default)]
struct Model {
    households: BTreeMap<String, String>,
    balance: BTreeMap<String, i64>,
    price: BTreeMap<String, i64>,
    stock: BTreeMap<String, i64>,
    pending: Vec<(u64, String, i64)>,
    sales: Vec<ModelSale>,
    issued: i64,
    spent: i64,
    cleared: i64,
    cards: u32,
}

fn head(ledger: &Ledger) -> (u64, [u8; 32]) {
    let view = ledger.view().expect("view");
    let meta = view.require_meta().expect("meta");
    (meta.head_seq, meta.head_hash)
}

fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut ledger = Ledger::create(&dir.path().join("ledger.redb")).expect("create");
    let mut policy = aixin::policies::builtin("threshold-score")
        .expect("policy")
        .expect("parses");
    policy.publicity_days = 7;
    let mut now = START_MS;
    ledger
        .execute(
            "t",
            now,
            &Command::Init {
                station_id: "P1".into(),
                name: "prop".into(),
                role: StationRole::Village,
                policy,
            },
        )
        .expect("init");
    let mut m = Model::default();
    for op in ops {
        let before = head(&ledger);
        let mut expect_refusal = false;
        let command = match &op {
            Op::AddHousehold(i) => {
                let id = format!("H{i}");
                expect_refusal = m.households.contains_key(&id);
                m.cards += 1;
                Command::RegisterHousehold {
                    household: Household {
                        household_id: id,
                        card_no: format!("C{}-{}", i, m.cards),
                        head: format!("户主{i}"),
                        members: vec![],
                        group: "一组".into(),
                        phone: String::new(),
                        registered_poor: false,
                    },
                }
            }
            Op::AddGoods(g, price) => {
                expect_refusal = *price <= 0;
                Command::DefineGoods {
                    goods: Goods {
                        goods_id: format!("G{g}"),
                        name: format!("商品{g}"),
                        unit: "个".into(),
                        barcode: format!("69000{g}"),
                        price_points: *price,
                        zone: Zone::Points(5),
                        category: String::new(),
                        supplier: "供销社".into(),
                    },
                }
            }
            Op::Receive(g, q) => {
                let id = format!("G{g}");
                expect_refusal = *q <= 0 || !m.price.contains_key(&id);
                Command::ReceiveStock {
                    goods_id: id,
                    quantity: *q,
                    source: StockSource::Donation {
                        donor: "乡贤".into(),
                    },
                }
            }
            Op::Adjust(g, d) => {
                let id = format!("G{g}");
                let stock = m.stock.get(&id).copied().unwrap_or(0);
                expect_refusal = *d == 0 || !m.price.contains_key(&id) || stock + d < 0;
                Command::AdjustStock {
                    goods_id: id,
                    delta: *d,
                    reason: "盘点".into(),
                }
            }
            Op::Score(h, s) => Command::EnterScore {
                household_id: format!("H{h}"),
                period: aixin::domain::time::CivilDate::from_utc_ms(now)
                    .period(aixin::domain::time::PeriodKind::Month)
                    .0,
                score: *s,
                note: String::new(),
            },
            Op::Advance(days) => {
                now += days * DAY_MS;
                continue;
            }
            Op::ConfirmAll => {
                let due: Vec<Command> = m
                    .pending
                    .iter()
                    .filter(|(_, _, _)| true)
                    .map(|(seq, _, _)| Command::ConfirmAward { award_seq: *seq })
                    .collect();
                if due.is_empty() {
                    continue;
                }
                // A batch: all confirmed or (if any is still in publicity) none.
                match ledger.execute_batch("t", now, &due) {
                    Ok(_) => {
                        for (_, h, p) in m.pending.drain(..) {
                            *m.balance.entry(h).or_insert(0) += p;
                            m.issued += p;
                        }
                    }
                    Err(StoreError::BatchRefused { .. }) => prop_assert_eq!(head(&ledger), before),
                    Err(e) => return Err(TestCaseError::fail(format!("storage: {e}"))),
                }
                check(&ledger, &m)?;
                continue;
            }
            Op::RevokeFirst => match m.pending.first() {
                Some((seq, _, _)) => Command::RevokeAward {
                    award_seq: *seq,
                    reason: "异议".into(),
                },
                None => continue,
            },
            Op::Redeem(h, lines) => {
                let id = format!("H{h}");
                let mut total = 0;
                for (g, q) in lines {
                    let gid = format!("G{g}");
                    let price = m.price.get(&gid).copied();
                    let stock = m.stock.get(&gid).copied().unwrap_or(0);
                    if *q <= 0 || price.is_none() || stock < *q {
                        expect_refusal = true;
                    }
                    total += price.unwrap_or(0) * q;
                }
                let mut seen = std::collections::BTreeSet::new();
                if lines.is_empty()
                    || !m.households.contains_key(&id)
                    || lines.iter().any(|(g, _)| !seen.insert(*g))
                {
                    expect_refusal = true;
                }
                if total > m.balance.get(&id).copied().unwrap_or(0) {
                    expect_refusal = true;
                }
                Command::Redeem {
                    household: HouseholdRef::Id(id),
                    lines: lines.iter().map(|(g, q)| (format!("G{g}"), *q)).collect(),
                    proxy: None,
                }
            }
            Op::Void(k) => {
                let seq = m.sales.get(*k as usize).map(|s| s.0).unwrap_or(9_999);
                expect_refusal = m.sales.get(*k as usize).is_none_or(|s| s.4);
                Command::VoidSale {
                    sale_seq: seq,
                    reason: "退货".into(),
                }
            }
            Op::ClearYear => {
                let year = aixin::domain::time::CivilDate::from_utc_ms(now).year - 1;
                Command::ClearYear { year }
            }
            Op::Reissue(h) => {
                m.cards += 1;
                Command::ReissueCard {
                    household_id: format!("H{h}"),
                    new_card_no: format!("R{}", m.cards),
                }
            }
        };
        match ledger.execute("t", now, &command) {
            Ok(events) => {
                prop_assert!(
                    !expect_refusal,
                    "accepted but the model expected a refusal: {:?}",
                    op
                );
                for event in events {
                    apply_model(&mut m, &event.body, event.seq);
                }
            }
            Err(StoreError::Refused(_)) => {
                prop_assert_eq!(head(&ledger), before, "a refusal changed the ledger")
            }
            Err(e) => return Err(TestCaseError::fail(format!("storage: {e}"))),
        }
        check(&ledger, &m)?;
    }
    let reports = verify_all(&ledger).expect("verify");
    for r in reports {
        prop_assert!(r.problems.is_empty(), "verify: {:?}", r.problems);
    }
    prop_assert_eq!(
        m.issued,
        m.spent + m.cleared + m.balance.values().sum::<i64>()
    );
    Ok(())
}

fn apply_model(m: &mut Model, body: &aixin::domain::EventBody, seq: u64) {
    use aixin::domain::EventBody as B;
    match body {
        B::HouseholdRegistered { household } => {
            m.households
                .insert(household.household_id.clone(), household.card_no.clone());
            m.balance.insert(household.household_id.clone(), 0);
        }
        B::GoodsDefined { goods } => {
            m.price.insert(goods.goods_id.clone(), goods.price_points);
            m.stock.entry(goods.goods_id.clone()).or_insert(0);
        }
        B::StockReceived {
            goods_id, quantity, ..
        } => *m.stock.entry(goods_id.clone()).or_insert(0) += quantity,
        B::StockAdjusted {
            goods_id, delta, ..
        } => *m.stock.entry(goods_id.clone()).or_insert(0) += delta,
        B::ScoreEntered {
            household_id,
            points,
            ..
        } => m.pending.push((seq, household_id.clone(), *points)),
        B::AwardRevoked { award_seq, .. } => m.pending.retain(|(s, _, _)| s != award_seq),
        B::Redeemed {
            household_id,
            lines,
            total_points,
            ..
        } => {
            *m.balance.entry(household_id.clone()).or_insert(0) -= total_points;
            m.spent += total_points;
            for l in lines {
                *m.stock.entry(l.goods_id.clone()).or_insert(0) -= l.quantity;
            }
            let lines = lines
                .iter()
                .map(|l| (l.goods_id.clone(), l.quantity))
                .collect();
            m.sales
                .push((seq, household_id.clone(), lines, *total_points, false));
        }
        B::SaleVoided { sale_seq, .. } => {
            if let Some(sale) = m.sales.iter_mut().find(|s| s.0 == *sale_seq) {
                sale.4 = true;
                *m.balance.entry(sale.1.clone()).or_insert(0) += sale.3;
                m.spent -= sale.3;
                for (g, q) in &sale.2 {
                    *m.stock.entry(g.clone()).or_insert(0) += q;
                }
            }
        }
        B::YearCleared { cleared, .. } => {
            for (h, p) in cleared {
                *m.balance.entry(h.clone()).or_insert(0) -= p;
                m.cleared += p;
            }
        }
        _ => {}
    }
}

fn check(ledger: &Ledger, m: &Model) -> Result<(), TestCaseError> {
    let view = ledger.view().expect("view");
    for (id, balance) in &m.balance {
        let record = view
            .state()
            .household(id)
            .expect("read")
            .expect("household exists");
        prop_assert!(record.balance_points >= 0, "negative balance for {}", id);
        prop_assert_eq!(record.balance_points, *balance, "balance of {}", id);
    }
    for (id, stock) in &m.stock {
        let record = view.state().goods(id).expect("read").expect("goods exists");
        prop_assert!(record.stock_units >= 0, "negative stock for {}", id);
        prop_assert_eq!(record.stock_units, *stock, "stock of {}", id);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn ledger_matches_reference_model(ops in prop::collection::vec(op(), 1..60)) {
        run(ops)?;
    }

    /// The same, starting from a funded shop so that sales, voids and clearing happen often.
    #[test]
    fn funded_shop_matches_reference_model(ops in prop::collection::vec(op(), 1..60)) {
        let mut all = funded_prelude();
        all.extend(ops);
        run(all)?;
    }
}
