//! The demo station: about 200 households, 60 goods, donors and a few months of history, built
//! deterministically from `data/demo/` through the same commands a manager would use, so that
//! `aixin --demo` has something real to show and every demo figure passes `verify`.

use std::collections::BTreeMap;

use crate::domain::event::{StationRole, StockSource, Zone};
use crate::domain::time::{CivilDate, DAY_MS};
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

const OPERATOR: &str = "demo";

/// The demo's manager, logged in by itself when `aixin --demo` opens the till.
pub const DEMO_MANAGER: &str = "管理员";
/// The demo manager's PIN (a throw-away station: printed on its status line).
pub const DEMO_MANAGER_PIN: &str = "1234";
/// The demo's monitor, to try monitor mode with.
pub const DEMO_MONITOR: &str = "监督员";
/// The demo monitor's PIN.
pub const DEMO_MONITOR_PIN: &str = "0000";

/// Adds the demo's two operators (a manager and a monitor, with the PINs above) to a demo
/// station, so that `aixin --demo` shows the login's rules: leaving monitor mode needs the
/// manager's PIN, the monitor's cannot.
pub fn add_demo_operators(ledger: &mut Ledger, now_ms: i64) -> Result<(), DemoError> {
    use crate::domain::operator::{OperatorRole, Pin};
    ledger.execute_batch(
        DEMO_MANAGER,
        now_ms,
        &[
            Command::AddOperator {
                name: DEMO_MANAGER.into(),
                role: OperatorRole::Manager,
                pin: Pin::new(DEMO_MANAGER_PIN),
            },
            Command::AddOperator {
                name: DEMO_MONITOR.into(),
                role: OperatorRole::Monitor,
                pin: Pin::new(DEMO_MONITOR_PIN),
            },
        ],
    )?;
    Ok(())
}

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
    // Three monthly rounds: the committee scores month M on the 2nd of M+1 at 10:00.
    let rounds: Vec<(String, i64)> = (1..=3)
        .rev()
        .map(|back| {
            let (year, month) = months_before(today.year, today.month, back);
            let (entry_year, entry_month) = months_before(year, month, -1);
            let entry = CivilDate {
                year: entry_year,
                month: entry_month,
                day: 2,
            }
            .utc_range_ms()
            .0 + 2 * 3600 * 1000;
            (format!("{year:04}-{month:02}"), entry)
        })
        .collect();
    let start_ms = rounds.first().map(|r| r.1).unwrap_or(now_ms) - 20 * DAY_MS;
    let latest_ms = now_ms - 3600 * 1000;

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
            // Every receipt is a lot: donated, supplied by the catalog's merchant (paid at
            // settlement), or bought with the county fund when nobody supplies the item.
            let source = match goods.zone {
                Zone::Donation => StockSource::Donation {
                    donor: pick(&donors, &mut dice),
                },
                Zone::Points(_) if dice.below(3) == 0 => StockSource::Donation {
                    donor: pick(&donors, &mut dice),
                },
                Zone::Points(_) if !goods.supplier.is_empty() => StockSource::Supply {
                    merchant: goods.supplier.clone(),
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
    for (round, (period, entry_ms)) in rounds.iter().enumerate() {
        if *entry_ms > latest_ms {
            break;
        }
        let scores: Vec<Command> = ids
            .iter()
            .map(|id| Command::EnterScore {
                household_id: id.clone(),
                period: period.clone(),
                score: 70 + dice.below(29) as i64,
                note: String::new(),
            })
            .collect();
        let written = ledger.execute_batch("村评议小组", *entry_ms, &scores)?;
        summary.events += written.len();
        let confirm_ms = entry_ms + (i64::from(policy.publicity_days) + 1) * DAY_MS;
        if confirm_ms > latest_ms {
            // Still in publicity today: the till shows these as pending.
            continue;
        }
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
        summary.events += ledger.execute_batch(OPERATOR, confirm_ms, &confirms)?.len();
        for day in 0..8 {
            let day_ms = confirm_ms + day * DAY_MS + 3600 * 1000;
            if day_ms > latest_ms - 3600 * 1000 || CivilDate::from_utc_ms(day_ms) >= today {
                break;
            }
            let sales = shopping_day(&ids, &mut shadow, &mut dice, 6);
            summary.events += ledger.execute_batch(OPERATOR, day_ms, &sales)?.len();
        }
        if round == 1 {
            let restock_ms = confirm_ms + 9 * DAY_MS;
            if restock_ms > latest_ms - 3600 * 1000 {
                continue;
            }
            let restock: Vec<Command> = shadow
                .stock
                .iter()
                .filter(|(_, s)| **s < 10)
                .map(|(id, _)| Command::ReceiveStock {
                    goods_id: id.clone(),
                    quantity: 30,
                    // A goods-zone restock comes from the catalog's merchant (paid at
                    // settlement); the donation zone is restocked by a donor.
                    source: match shadow.price.get(id).map(|(_, zone)| *zone) {
                        Some(Zone::Donation) => StockSource::Donation {
                            donor: pick(&donors, &mut dice),
                        },
                        _ => StockSource::Supply {
                            merchant: String::new(),
                        },
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
            summary.events += ledger.execute_batch(OPERATOR, restock_ms, &restock)?.len();
        }
    }
    // A lost card, a stocktake difference, and this morning's first customers.
    let t = ledger
        .view()?
        .require_meta()?
        .last_time_ms
        .max(now_ms - 2 * 3600 * 1000);
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

/// The (year, month) `back` months before (negative: after) the given month.
fn months_before(year: i32, month: u32, back: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 - back;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rfc3339: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .map(|t| t.timestamp_millis())
            .unwrap_or(0)
    }

    #[test]
    fn demo_builds_and_verifies_on_any_day_of_the_year() {
        for now in [
            "2026-11-22T00:30:00Z",
            "2027-01-01T01:00:00Z",
            "2026-03-05T09:00:00Z",
            "2026-07-31T15:59:00Z",
        ] {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            let mut ledger =
                Ledger::create(&dir.path().join("l.redb")).unwrap_or_else(|e| panic!("{e}"));
            let summary = build_demo(&mut ledger, at(now)).unwrap_or_else(|e| panic!("{now}: {e}"));
            assert_eq!(summary.households, 200, "{now}");
            assert!(
                summary.events > 600,
                "{now}: only {} events",
                summary.events
            );
            let reports = crate::store::verify::verify_all(&ledger).unwrap_or_default();
            assert!(
                reports.iter().all(|r| r.problems.is_empty()),
                "{now}: {reports:?}"
            );
            let view = ledger.view().unwrap_or_else(|e| panic!("{e}"));
            let meta = view.require_meta().unwrap_or_else(|e| panic!("{e}"));
            assert!(
                meta.last_time_ms <= at(now),
                "{now}: history must not be in the future"
            );
            let funded = view
                .households()
                .unwrap_or_default()
                .iter()
                .filter(|h| h.balance_points > 0)
                .count();
            assert!(funded > 50, "{now}: only {funded} households can shop");
        }
    }
}
