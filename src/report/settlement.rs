//! Quarterly settlement (结算): each quarter a supplying merchant brings the ledger to the county
//! and is paid for the points redeemed on its goods. This report adds up, per merchant, the
//! points of every sale in the quarter that was not voided (however late the void), their value
//! in fen at the policy's point value in force when the sale was made, and the units per item.
//! Goods with no supplier or in the donation zone were given, not sold to the shop, so nobody
//! is paid for them: they are counted separately.
//!
//! The supplier and point value are taken as they were at the moment of each sale, by replaying
//! the station's events, so re-assigning an item to another merchant later does not move money
//! already earned by the first one.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::table::{format_fen, AsTable, Table};
use crate::domain::time::{parse_period, CivilDate, PeriodKind};
use crate::domain::{EventBody, Goods, Refusal, Zone};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// What the county owes each merchant for one quarter, and what was donated.
#[derive(Clone, Debug, Serialize)]
pub struct Settlement {
    /// The quarter, e.g. `2026-Q4`.
    pub quarter: String,
    /// One line per supplying merchant, by name.
    pub merchants: Vec<MerchantLine>,
    /// Points redeemed on donated or donation-zone goods (not paid to anyone).
    pub donated_points: i64,
    /// Units of donated or donation-zone goods redeemed.
    pub donated_units: i64,
}

/// One merchant's settlement.
#[derive(Clone, Debug, Serialize)]
pub struct MerchantLine {
    /// The supplier as named on the goods.
    pub supplier: String,
    /// Points redeemed on its goods.
    pub points: i64,
    /// What those points are worth, in fen.
    pub value_fen: i64,
    /// Units of its goods redeemed.
    pub units: i64,
    /// Per item: (goods id, name, units, points), by goods id.
    pub goods: Vec<(String, String, i64, i64)>,
}

#[derive(Default)]
struct MerchantSums {
    points: i64,
    value_fen: i64,
    units: i64,
    goods: BTreeMap<String, (String, i64, i64)>,
}

/// Whether an item was given rather than supplied for payment (no supplier, or the donation
/// zone): nobody is paid for its units. Also asked by `publish` for the settlement columns.
pub fn is_donated(goods: &Goods) -> bool {
    goods.supplier.trim().is_empty() || goods.zone == Zone::Donation
}

/// The township's settlement: every village's settlement of the quarter added up per merchant,
/// since a merchant supplying several villages is paid once by the county.
pub fn merge_settlements(quarter: &str, parts: &[Settlement]) -> Settlement {
    let mut merchants: BTreeMap<String, MerchantSums> = BTreeMap::new();
    let (mut donated_points, mut donated_units) = (0i64, 0i64);
    for part in parts {
        donated_points += part.donated_points;
        donated_units += part.donated_units;
        for line in &part.merchants {
            let sums = merchants.entry(line.supplier.clone()).or_default();
            sums.points += line.points;
            sums.value_fen = sums.value_fen.saturating_add(line.value_fen);
            sums.units += line.units;
            for (goods_id, name, units, points) in &line.goods {
                let item = sums
                    .goods
                    .entry(goods_id.clone())
                    .or_insert_with(|| (name.clone(), 0, 0));
                item.1 += units;
                item.2 += points;
            }
        }
    }
    let merchants = merchants
        .into_iter()
        .map(|(supplier, sums)| MerchantLine {
            supplier,
            points: sums.points,
            value_fen: sums.value_fen,
            units: sums.units,
            goods: sums
                .goods
                .into_iter()
                .map(|(id, (name, units, points))| (id, name, units, points))
                .collect(),
        })
        .collect();
    Settlement {
        quarter: quarter.to_string(),
        merchants,
        donated_points,
        donated_units,
    }
}

/// The settlement of one quarter (`YYYY-Qn`); a malformed quarter is refused.
pub fn settlement(view: &View, quarter: &str) -> Result<Settlement, StoreError> {
    let meta = view.require_meta()?;
    let quarter = parse_period(quarter, PeriodKind::Quarter)
        .ok_or_else(|| StoreError::Refused(Refusal::BadPeriod(quarter.to_string())))?
        .0;
    let events = view.events(1, u64::MAX)?;
    let voided: BTreeSet<u64> = events
        .iter()
        .filter_map(|(e, _)| match &e.body {
            EventBody::SaleVoided { sale_seq, .. } => Some(*sale_seq),
            _ => None,
        })
        .collect();
    let mut catalog: HashMap<String, Goods> = HashMap::new();
    let mut point_value_fen = meta.policy.point_value_fen;
    let mut merchants: BTreeMap<String, MerchantSums> = BTreeMap::new();
    let (mut donated_points, mut donated_units) = (0i64, 0i64);
    for (event, _) in &events {
        match &event.body {
            EventBody::StationInitialized { policy, .. } | EventBody::PolicySet { policy } => {
                point_value_fen = policy.point_value_fen
            }
            EventBody::GoodsDefined { goods } => {
                catalog.insert(goods.goods_id.clone(), goods.clone());
            }
            EventBody::Redeemed { lines, .. } => {
                if voided.contains(&event.seq)
                    || CivilDate::from_utc_ms(event.time_ms)
                        .period(PeriodKind::Quarter)
                        .0
                        != quarter
                {
                    continue;
                }
                for line in lines {
                    let points = line.quantity.saturating_mul(line.price_points);
                    let goods = catalog.get(&line.goods_id);
                    match goods.filter(|g| !is_donated(g)) {
                        Some(g) => {
                            let sums = merchants.entry(g.supplier.clone()).or_default();
                            sums.points += points;
                            sums.value_fen = sums
                                .value_fen
                                .saturating_add(points.saturating_mul(point_value_fen));
                            sums.units += line.quantity;
                            let item = sums
                                .goods
                                .entry(g.goods_id.clone())
                                .or_insert_with(|| (g.name.clone(), 0, 0));
                            item.1 += line.quantity;
                            item.2 += points;
                        }
                        None => {
                            donated_points += points;
                            donated_units += line.quantity;
                        }
                    }
                }
            }
            _ => {}
        }
    }
    let mut lines = Vec::with_capacity(merchants.len());
    for (supplier, sums) in merchants {
        let mut goods = Vec::with_capacity(sums.goods.len());
        for (goods_id, (name_then, units, points)) in sums.goods {
            let name = view
                .state()
                .goods(&goods_id)?
                .map(|g| g.goods.name)
                .unwrap_or(name_then);
            goods.push((goods_id, name, units, points));
        }
        lines.push(MerchantLine {
            supplier,
            points: sums.points,
            value_fen: sums.value_fen,
            units: sums.units,
            goods,
        });
    }
    Ok(Settlement {
        quarter,
        merchants: lines,
        donated_points,
        donated_units,
    })
}

impl AsTable for Settlement {
    fn to_table(&self, lang: Lang) -> Table {
        let headers = [
            ("供货商", "supplier"),
            ("物品编号", "goods id"),
            ("物品", "goods"),
            ("数量", "units"),
            ("积分", "points"),
            ("金额(元)", "value (yuan)"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        let mut rows = Vec::new();
        for m in &self.merchants {
            for (goods_id, name, units, points) in &m.goods {
                rows.push(vec![
                    m.supplier.clone(),
                    goods_id.clone(),
                    name.clone(),
                    units.to_string(),
                    points.to_string(),
                    String::new(),
                ]);
            }
            rows.push(vec![
                m.supplier.clone(),
                lang.pick("小计", "subtotal").to_string(),
                String::new(),
                m.units.to_string(),
                m.points.to_string(),
                format_fen(m.value_fen),
            ]);
        }
        rows.push(vec![
            lang.pick("捐赠物品（不结算）", "donated goods (not paid)")
                .to_string(),
            String::new(),
            String::new(),
            self.donated_units.to_string(),
            self.donated_points.to_string(),
            String::new(),
        ]);
        let total_fen = self
            .merchants
            .iter()
            .fold(0i64, |sum, m| sum.saturating_add(m.value_fen));
        rows.push(vec![
            lang.pick("应结算合计", "total payable").to_string(),
            String::new(),
            String::new(),
            self.merchants
                .iter()
                .map(|m| m.units)
                .sum::<i64>()
                .to_string(),
            self.merchants
                .iter()
                .map(|m| m.points)
                .sum::<i64>()
                .to_string(),
            format_fen(total_fen),
        ]);
        let title = match lang {
            Lang::Zh => format!("商户结算 {}", self.quarter),
            Lang::En => format!("merchant settlement {}", self.quarter),
        };
        Table {
            title,
            headers,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(supplier: &str, points: i64, goods: &str) -> MerchantLine {
        MerchantLine {
            supplier: supplier.into(),
            points,
            value_fen: points * 100,
            units: 1,
            goods: vec![(goods.into(), "米".into(), 1, points)],
        }
    }

    #[test]
    fn villages_add_up_per_merchant() {
        let a = Settlement {
            quarter: "2026-Q4".into(),
            merchants: vec![line("供销社", 20, "G1"), line("兴农", 5, "G2")],
            donated_points: 3,
            donated_units: 1,
        };
        let b = Settlement {
            quarter: "2026-Q4".into(),
            merchants: vec![line("供销社", 30, "G1")],
            donated_points: 2,
            donated_units: 2,
        };
        let all = merge_settlements("2026-Q4", &[a, b]);
        assert_eq!(all.merchants.len(), 2);
        let coop = all
            .merchants
            .iter()
            .find(|m| m.supplier == "供销社")
            .cloned();
        let coop = coop.unwrap_or_else(|| line("missing", 0, ""));
        assert_eq!((coop.points, coop.value_fen, coop.units), (50, 5000, 2));
        assert_eq!(
            coop.goods,
            vec![("G1".to_string(), "米".to_string(), 2, 50)]
        );
        assert_eq!((all.donated_points, all.donated_units), (5, 3));
    }
}
