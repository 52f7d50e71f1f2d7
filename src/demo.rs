//! The demo station: about 200 households, 60 goods, donors and a few months of history, built
//! deterministically from `data/demo/` through the same commands a manager would use, so that
//! `aixin --demo` has something real to show and every demo figure passes `verify`.

use std::collections::BTreeMap;

use crate::domain::event::{StationRole, StockSource, Zone};
use crate::domain::time::{CivilDate, PeriodKind};
use crate::domain::{Command, HouseholdRef};
use crate::import::{parse_goods, parse_households, CsvError};
use crate::policies;
use crate::store::{Ledger, StoreError};

/// The demo households file, built in.
pub const HOUSEHOLDS_CSV: &str = include_str!("../data/demo/households.csv");
/// The demo goods file, built in.
pub const GOODS_CSV: &str = include_str!("../data/demo/goods.csv");
/// The demo donors file, built in.
pub const DONORS_CSV: &str = include_str!("../data/demo/donors.csv");
/// The demo station's id.
pub const DEMO_STATION_ID: &str = "LJC01";

const DAY_MS: i64 = 24 * 3600 * 1000;
const OPERATOR: &str = "demo";

/// What the demo build made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    /// Households registered.
    pub households: usize,
    /// Goods defined.
    pub goods: usize,
    /// Events written in all.
    pub events: usize,
}

/// Why the demo could not be built.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// A built-in CSV is broken (a bug).
    #[error("demo data: {0}")]
    Csv(#[from] CsvError),
    /// The ledger refused or failed.
    #[error("demo ledger: {0}")]
    Store(#[from] StoreError),
    /// The built-in policy is broken (a bug).
    #[error("demo policy: {0}")]
    Policy(String),
}

/// A tiny deterministic generator (xorshift64*): the demo must look the same every time.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

struct Shadow {
    balance: BTreeMap<String, i64>,
    stock: BTreeMap<String, i64>,
    price: BTreeMap<String, (i64, Zone)>,
}

/// Fills an empty ledger with the demo station, its history ending at `now_ms`.
pub fn build_demo(ledger: &mut Ledger, now_ms: i64) -> Result<DemoSummary, DemoError> {
    let policy = policies::builtin("threshold-score")
        .ok_or_else(|| DemoError::Policy("threshold-score missing".into()))?
        .map_err(|e| DemoError::Policy(e.to_string()))?;
    let households = parse_households(HOUSEHOLDS_CSV)?;
    let goods = parse_goods(GOODS_CSV)?;
    let donors: Vec<String> = DONORS_CSV
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(String::from)
        .collect();
    let mut dice = Dice(0x5eed_2026_1121);
    let mut summary = DemoSummary {
        households: households.len(),
        goods: goods.len(),
        events: 0,
    };
    let today = CivilDate::from_utc_ms(now_ms);
    let start_ms = now_ms - 100 * DAY_MS;

    let mut setup = vec![Command::Init {
        station_id: DEMO_STATION_ID.into(),
        name: "李家村爱心超市".into(),
        role: StationRole::Village,
        policy: policy.clone(),
    }];
    setup.extend(households.iter().map(|(_, c)| c.clone()));
    setup.extend(goods.iter().map(|(_, c)| c.clone()));
    let mut shadow = Shadow {
        balance: BTreeMap::new(),
        stock: BTreeMap::new(),
        price: BTreeMap::new(),
    };
    for (_, command) in &goods {
        if let Command::DefineGoods { goods } = command {
            let quantity = 20 + dice.below(40) as i64;
            let source = match goods.zone {
                Zone::Donation => StockSource::Donation {
                    donor: pick(&donors, &mut dice),
                },
                Zone::Points(_) if dice.below(3) == 0 => StockSource::Donation {
                    donor: pick(&donors, &mut dice),
                },
                Zone::Points(_) => StockSource::Purchase {
                    fund: "县级爱心超市专项资金".into(),
                    cost_fen: quantity * goods.price_points * 90,
                },
            };
            setup.push(Command::ReceiveStock {
                goods_id: goods.goods_id.clone(),
                quantity,
                source,
            });
            shadow.stock.insert(goods.goods_id.clone(), quantity);
            shadow
                .price
                .insert(goods.goods_id.clone(), (goods.price_points, goods.zone));
        }
    }
    summary.events += ledger.execute_batch(OPERATOR, start_ms, &setup)?.len();

    let ids: Vec<String> = households
        .iter()
        .filter_map(|(_, c)| match c {
            Command::RegisterHousehold { household } => Some(household.household_id.clone()),
            _ => None,
        })
        .collect();
    // Three monthly rounds: score on the 1st of the next month, confirm after publicity, shop.
    let mut t = start_ms + DAY_MS;
    for round in 0..3 {
        let period = CivilDate::from_utc_ms(t).period(PeriodKind::Month);
        t += 2 * DAY_MS;
        let scores: Vec<Command> = ids
            .iter()
            .map(|id| Command::EnterScore {
                household_id: id.clone(),
                period: period.0.clone(),
                score: 70 + dice.below(29) as i64,
                note: String::new(),
            })
            .collect();
        let written = ledger.execute_batch("村评议小组", t, &scores)?;
        summary.events += written.len();
        t += (i64::from(policy.publicity_days) + 1) * DAY_MS;
        let mut confirms = Vec::new();
        for event in &written {
            if let crate::domain::EventBody::ScoreEntered {
                household_id,
                points,
                ..
            } = &event.body
            {
                // One objection per round is upheld: that award is revoked instead.
                if *points > 0 && confirms.len() == 3 {
                    confirms.push(Command::RevokeAward {
                        award_seq: event.seq,
                        reason: "公示期间群众异议，核实后撤销".into(),
                    });
                    continue;
                }
                confirms.push(Command::ConfirmAward {
                    award_seq: event.seq,
                });
                *shadow.balance.entry(household_id.clone()).or_insert(0) += points;
            }
        }
        summary.events += ledger.execute_batch(OPERATOR, t, &confirms)?.len();
        for day in 0..8 {
            let day_ms = t + day * DAY_MS + 3600 * 1000;
            if CivilDate::from_utc_ms(day_ms) >= today {
                break;
            }
            let sales = shopping_day(&ids, &mut shadow, &mut dice, 6);
            summary.events += ledger.execute_batch(OPERATOR, day_ms, &sales)?.len();
        }
        t += 12 * DAY_MS;
        if round == 1 {
            let restock: Vec<Command> = shadow
                .stock
                .iter()
                .filter(|(_, s)| **s < 10)
                .map(|(id, _)| Command::ReceiveStock {
                    goods_id: id.clone(),
                    quantity: 30,
                    source: StockSource::Transfer {
                        from: "镇爱心超市".into(),
                    },
                })
                .collect();
            for c in &restock {
                if let Command::ReceiveStock {
                    goods_id, quantity, ..
                } = c
                {
                    *shadow.stock.entry(goods_id.clone()).or_insert(0) += quantity;
                }
            }
            summary.events += ledger.execute_batch(OPERATOR, t, &restock)?.len();
        }
    }
    // A lost card, a stocktake difference, and this morning's first customers.
    let t = (now_ms - 2 * 3600 * 1000).max(t);
    let reissue = Command::ReissueCard {
        household_id: ids.get(4).cloned().unwrap_or_default(),
        new_card_no: "LJ900005".into(),
    };
    summary.events += ledger.execute_batch(OPERATOR, t, &[reissue])?.len();
    if let Some((goods_id, stock)) = shadow.stock.iter_mut().find(|(_, s)| **s > 2) {
        *stock -= 1;
        let adjust = Command::AdjustStock {
            goods_id: goods_id.clone(),
            delta: -1,
            reason: "盘点发现破损".into(),
        };
        summary.events += ledger.execute_batch(OPERATOR, t, &[adjust])?.len();
    }
    let mut sales = shopping_day(&ids, &mut shadow, &mut dice, 4);
    if let Some(Command::Redeem { proxy, .. }) = sales.first_mut() {
        *proxy = Some("帮扶干部 刘明".into());
    }
    let written = ledger.execute_batch(OPERATOR, t, &sales)?;
    summary.events += written.len();
    if let Some(last) = written.last() {
        let void = Command::VoidSale {
            sale_seq: last.seq,
            reason: "拿错了商品，重新兑换".into(),
        };
        summary.events += ledger.execute_batch(OPERATOR, t, &[void])?.len();
    }
    Ok(summary)
}

fn pick(list: &[String], dice: &mut Dice) -> String {
    list.get(dice.below(list.len() as u64) as usize)
        .cloned()
        .unwrap_or_else(|| "爱心人士".into())
}

/// A day's redemptions that the shadow balances and stock allow.
fn shopping_day(
    ids: &[String],
    shadow: &mut Shadow,
    dice: &mut Dice,
    customers: u64,
) -> Vec<Command> {
    let goods: Vec<(String, i64, Zone)> = shadow
        .price
        .iter()
        .map(|(id, (p, z))| (id.clone(), *p, *z))
        .collect();
    let mut sales = Vec::new();
    let mut served = Vec::new();
    for _ in 0..customers {
        let Some(id) = ids.get(dice.below(ids.len() as u64) as usize) else {
            continue;
        };
        if served.contains(id) {
            continue;
        }
        let mut balance = shadow.balance.get(id).copied().unwrap_or(0);
        let mut lines: Vec<(String, i64)> = Vec::new();
        for _ in 0..(1 + dice.below(3)) {
            let Some((gid, price, zone)) = goods.get(dice.below(goods.len() as u64) as usize)
            else {
                continue;
            };
            let stock = shadow.stock.get(gid).copied().unwrap_or(0);
            if *zone == Zone::Donation
                || *price > balance
                || stock < 1
                || lines.iter().any(|(g, _)| g == gid)
            {
                continue;
            }
            balance -= price;
            shadow.stock.insert(gid.clone(), stock - 1);
            lines.push((gid.clone(), 1));
        }
        if lines.is_empty() {
            continue;
        }
        shadow.balance.insert(id.clone(), balance);
        served.push(id.clone());
        sales.push(Command::Redeem {
            household: HouseholdRef::Id(id.clone()),
            lines,
            proxy: None,
        });
    }
    sales
}
