//! Quarterly settlement (结算): each quarter a supplying merchant brings the ledger to the county
//! and is paid for the points redeemed on its goods (PRODUCT.md, "Settlement"). Who is owed for
//! a redeemed unit is decided by the lot it came from, never by the catalog: units from a
//! merchant's supply lots are payable to that merchant; donated units, units bought with a fund
//! (already paid) and units of unknown or stocktake origin are counted beside them, so that
//! payable + donated + fund-bought + other = every unit redeemed in the quarter.
//!
//! A sale counts in the quarter it was made unless it was voided (however late the void); its
//! value in fen uses the policy's point value in force when it was made, by replaying the
//! station's events.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use super::lots::event_takes;
use super::table::{format_fen, signers, AsSheet, AsTable, Cell, Sheet, Table};
use crate::domain::lots::LotOrigin;
use crate::domain::time::{parse_period, CivilDate, PeriodKind};
use crate::domain::{EventBody, Refusal};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// What the county owes each merchant for one quarter, and the redeemed units nobody is paid
/// for, by origin.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Settlement {
    /// The quarter, e.g. `2026-Q4`.
    pub quarter: String,
    /// One line per merchant with supply lots redeemed, by name.
    pub merchants: Vec<MerchantLine>,
    /// Points redeemed on donated units (not paid to anyone).
    pub donated_points: i64,
    /// Donated units redeemed.
    pub donated_units: i64,
    /// Points redeemed on units bought with a fund (already paid).
    pub fund_points: i64,
    /// Fund-bought units redeemed.
    pub fund_units: i64,
    /// Points redeemed on units of unknown origin (old transfers) or found at stocktakes.
    pub other_points: i64,
    /// Such units redeemed.
    pub other_units: i64,
}

/// One merchant's settlement.
#[derive(Clone, Debug, Serialize)]
pub struct MerchantLine {
    /// The merchant named on its supply lots.
    pub merchant: String,
    /// Points redeemed on its units.
    pub points: i64,
    /// What those points are worth, in fen.
    pub value_fen: i64,
    /// Its units redeemed.
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

impl MerchantSums {
    fn add(&mut self, goods_id: &str, name: &str, units: i64, points: i64, value_fen: i64) {
        self.points += points;
        self.value_fen = self.value_fen.saturating_add(value_fen);
        self.units += units;
        let item = self
            .goods
            .entry(goods_id.to_string())
            .or_insert_with(|| (name.to_string(), 0, 0));
        item.1 += units;
        item.2 += points;
    }
}

impl Settlement {
    /// Every unit redeemed in the quarter, whoever is owed for it.
    pub fn redeemed_units(&self) -> i64 {
        self.merchants.iter().map(|m| m.units).sum::<i64>()
            + self.donated_units
            + self.fund_units
            + self.other_units
    }

    /// What the county pays in all, in fen.
    pub fn payable_fen(&self) -> i64 {
        self.merchants
            .iter()
            .fold(0i64, |sum, m| sum.saturating_add(m.value_fen))
    }
}

/// The township's settlement: every village's settlement of the quarter added up per merchant,
/// since a merchant supplying several villages is paid once by the county.
pub fn merge_settlements(quarter: &str, parts: &[Settlement]) -> Settlement {
    let mut merchants: BTreeMap<String, MerchantSums> = BTreeMap::new();
    let mut total = Settlement {
        quarter: quarter.to_string(),
        ..Settlement::default()
    };
    for part in parts {
        total.donated_points += part.donated_points;
        total.donated_units += part.donated_units;
        total.fund_points += part.fund_points;
        total.fund_units += part.fund_units;
        total.other_points += part.other_points;
        total.other_units += part.other_units;
        for line in &part.merchants {
            let sums = merchants.entry(line.merchant.clone()).or_default();
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
    total.merchants = merchants
        .into_iter()
        .map(|(merchant, sums)| MerchantLine {
            merchant,
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
    total
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
    let mut origins: HashMap<u64, LotOrigin> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut point_value_fen = meta.policy.point_value_fen;
    let mut merchants: BTreeMap<String, MerchantSums> = BTreeMap::new();
    let mut out = Settlement {
        quarter: quarter.clone(),
        ..Settlement::default()
    };
    for (event, _) in &events {
        match &event.body {
            EventBody::StationInitialized { policy, .. } | EventBody::PolicySet { policy } => {
                point_value_fen = policy.point_value_fen
            }
            EventBody::GoodsDefined { goods } => {
                names.insert(goods.goods_id.clone(), goods.name.clone());
            }
            EventBody::StockReceived { source, .. } => {
                origins.insert(event.seq, LotOrigin::of(source));
            }
            EventBody::StockAdjusted { delta, .. } | EventBody::StockAdjustedV1 { delta, .. }
                if *delta > 0 =>
            {
                origins.insert(event.seq, LotOrigin::Stocktake);
            }
            EventBody::Redeemed { lines, .. } | EventBody::RedeemedV1 { lines, .. } => {
                let in_quarter = CivilDate::from_utc_ms(event.time_ms)
                    .period(PeriodKind::Quarter)
                    .0
                    == quarter;
                if voided.contains(&event.seq) || !in_quarter {
                    continue;
                }
                let takes = event_takes(view, event)?;
                for line in lines {
                    let name = names.get(&line.goods_id).map_or("", String::as_str);
                    for take in takes.iter().filter(|t| t.goods_id == line.goods_id) {
                        let points = take.quantity.saturating_mul(line.price_points);
                        let units = take.quantity;
                        match origins.get(&take.lot_seq) {
                            Some(LotOrigin::Merchant(merchant)) => {
                                let value_fen = points.saturating_mul(point_value_fen);
                                merchants.entry(merchant.clone()).or_default().add(
                                    &line.goods_id,
                                    name,
                                    units,
                                    points,
                                    value_fen,
                                );
                            }
                            Some(LotOrigin::Donated(_)) => {
                                out.donated_points += points;
                                out.donated_units += units;
                            }
                            Some(LotOrigin::Fund(_)) => {
                                out.fund_points += points;
                                out.fund_units += units;
                            }
                            Some(LotOrigin::Township(_) | LotOrigin::Stocktake) | None => {
                                out.other_points += points;
                                out.other_units += units;
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for (merchant, sums) in merchants {
        let mut goods = Vec::with_capacity(sums.goods.len());
        for (goods_id, (name_then, units, points)) in sums.goods {
            let name = view
                .state()
                .goods(&goods_id)?
                .map(|g| g.goods.name)
                .unwrap_or(name_then);
            goods.push((goods_id, name, units, points));
        }
        out.merchants.push(MerchantLine {
            merchant,
            points: sums.points,
            value_fen: sums.value_fen,
            units: sums.units,
            goods,
        });
    }
    Ok(out)
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
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        for m in &self.merchants {
            for (goods_id, name, units, points) in &m.goods {
                rows.push(vec![
                    m.merchant.as_str().into(),
                    goods_id.as_str().into(),
                    name.as_str().into(),
                    (*units).into(),
                    (*points).into(),
                    Cell::empty(),
                ]);
            }
            rows.push(vec![
                m.merchant.as_str().into(),
                lang.pick("小计", "subtotal").into(),
                Cell::empty(),
                m.units.into(),
                m.points.into(),
                Cell::Fen(m.value_fen),
            ]);
        }
        // The donated row always prints (the county asks for it); the others only when used.
        for (i, (label, units, points)) in [
            (
                lang.pick("捐赠物品（不结算）", "donated goods (not paid)"),
                self.donated_units,
                self.donated_points,
            ),
            (
                lang.pick("资金采购（已付款）", "bought with a fund (paid)"),
                self.fund_units,
                self.fund_points,
            ),
            (
                lang.pick("调拨或盘盈（不结算）", "transfers or stocktake gains"),
                self.other_units,
                self.other_points,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            if i == 0 || units != 0 {
                rows.push(vec![
                    label.into(),
                    Cell::empty(),
                    Cell::empty(),
                    units.into(),
                    points.into(),
                    Cell::empty(),
                ]);
            }
        }
        rows.push(vec![
            lang.pick("应结算合计", "total payable").into(),
            Cell::empty(),
            Cell::empty(),
            self.merchants.iter().map(|m| m.units).sum::<i64>().into(),
            self.merchants.iter().map(|m| m.points).sum::<i64>().into(),
            Cell::Fen(self.payable_fen()),
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

impl AsSheet for Settlement {
    /// The settlement a merchant brings to the county: its lines, what is paid, and the lines
    /// the clerk, the checker and each merchant sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let mut table = self.to_table(lang);
        table.title = String::new();
        let total = format_fen(self.payable_fen());
        let notes = vec![match lang {
            Lang::Zh => format!(
                "本季度应付商户合计 {total} 元（按兑换时的积分价值计）；捐赠物品和已用资金采购的物品不结算。"
            ),
            Lang::En => format!(
                "Payable to merchants this quarter: {total} yuan (at the point value of each sale); donated and fund-bought goods are not paid."
            ),
        }];
        Sheet {
            title: lang.pick("商户结算单", "merchant settlement").to_string(),
            station: station.to_string(),
            period: self.quarter.clone(),
            tables: vec![table],
            notes,
            signatures: signers(
                lang,
                &[
                    ("经办人", "prepared by"),
                    ("审核人", "checked by"),
                    ("商户签字", "merchant"),
                ],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(merchant: &str, points: i64, goods: &str) -> MerchantLine {
        MerchantLine {
            merchant: merchant.into(),
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
            ..Settlement::default()
        };
        let b = Settlement {
            quarter: "2026-Q4".into(),
            merchants: vec![line("供销社", 30, "G1")],
            donated_points: 2,
            donated_units: 2,
            fund_points: 4,
            fund_units: 1,
            ..Settlement::default()
        };
        let all = merge_settlements("2026-Q4", &[a, b]);
        assert_eq!(all.merchants.len(), 2);
        let coop = all
            .merchants
            .iter()
            .find(|m| m.merchant == "供销社")
            .cloned();
        let coop = coop.unwrap_or_else(|| line("missing", 0, ""));
        assert_eq!((coop.points, coop.value_fen, coop.units), (50, 5000, 2));
        assert_eq!(
            coop.goods,
            vec![("G1".to_string(), "米".to_string(), 2, 50)]
        );
        assert_eq!((all.donated_points, all.donated_units), (5, 3));
        assert_eq!((all.fund_points, all.fund_units), (4, 1));
        assert_eq!(all.redeemed_units(), 2 + 1 + 3 + 1);
    }
}
