//! The stock a manager watches and counts. A **low-stock reminder** per item: the level below
//! which the item is listed as running low, in the catalog and on the day screen, so the shop
//! asks the township or a merchant in time ([`set_low_stock`]; whether an item is low is
//! [`crate::domain::state::GoodsRecord::is_low`]). A **stocktake** (盘点): the manager counts
//! what is on the shelf, and each difference from the ledger's stock becomes one
//! `AdjustStock` command with the stocktake's reason, a loss taken from the oldest lots as the
//! adjustment rule says ([`differences`], [`adjustments`]). Source: PRODUCT.md, "Stock
//! ledger" (stocktakes record differences with a reason).

use super::command::{Command, DecideError, QUANTITY_MAX};
use super::event::EventBody;
use super::refusal::Refusal;
use super::state::{GoodsRecord, State};

/// Decides a low-stock reminder of `units` for an item: 0 (no reminder) to [`QUANTITY_MAX`],
/// for an item in the catalog, different from the reminder it has.
pub fn set_low_stock(
    state: &dyn State,
    goods_id: &str,
    units: i64,
) -> Result<Vec<EventBody>, DecideError> {
    if !(0..=QUANTITY_MAX).contains(&units) {
        return Err(Refusal::LowStockOutOfRange(units).into());
    }
    let record = state
        .goods(goods_id)?
        .ok_or_else(|| Refusal::UnknownGoods(goods_id.to_string()))?;
    if record.low_stock_units == units {
        return Err(Refusal::LowStockUnchanged {
            goods_id: goods_id.to_string(),
            units,
        }
        .into());
    }
    Ok(vec![EventBody::LowStockSet {
        goods_id: goods_id.to_string(),
        units,
    }])
}

/// One item's stocktake line: what the ledger holds and what was counted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// The item.
    pub goods_id: String,
    /// Units the ledger holds.
    pub stock_units: i64,
    /// Units counted on the shelf.
    pub counted_units: i64,
}

impl Difference {
    /// Counted minus held: positive for a gain, negative for a loss.
    pub fn delta(&self) -> i64 {
        self.counted_units - self.stock_units
    }
}

/// The items whose count differs from the ledger's stock, in the order counted; an item
/// counted as it stands is left out, a count below zero is refused.
pub fn differences<'a>(
    counted: impl IntoIterator<Item = (&'a GoodsRecord, i64)>,
) -> Result<Vec<Difference>, Refusal> {
    let mut out = Vec::new();
    for (record, counted_units) in counted {
        let goods_id = &record.goods.goods_id;
        if counted_units < 0 {
            return Err(Refusal::CountNegative {
                goods_id: goods_id.clone(),
                counted: counted_units,
            });
        }
        if counted_units != record.stock_units {
            out.push(Difference {
                goods_id: goods_id.clone(),
                stock_units: record.stock_units,
                counted_units,
            });
        }
    }
    Ok(out)
}

/// The stocktake as commands: one `AdjustStock` per difference, all with `reason`, to be
/// committed as one batch (a stocktake is recorded whole or not at all).
pub fn adjustments(differences: &[Difference], reason: &str) -> Vec<Command> {
    differences
        .iter()
        .map(|d| Command::AdjustStock {
            goods_id: d.goods_id.clone(),
            delta: d.delta(),
            reason: reason.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Goods, Zone};
    use crate::domain::state::MemoryState;

    fn item(id: &str, stock_units: i64, low_stock_units: i64) -> GoodsRecord {
        GoodsRecord {
            goods: Goods {
                goods_id: id.into(),
                name: id.into(),
                unit: "袋".into(),
                barcode: String::new(),
                price_points: 10,
                zone: Zone::Points(10),
                category: String::new(),
                supplier: String::new(),
            },
            stock_units,
            received_units: stock_units,
            sold_units: 0,
            adjusted_units: 0,
            shipped_units: 0,
            lots: Vec::new(),
            low_stock_units,
            former_names: Vec::new(),
        }
    }

    #[test]
    fn an_item_is_low_below_its_reminder_only() {
        assert!(!item("G1", 0, 0).is_low(), "no reminder, never low");
        assert!(item("G1", 4, 5).is_low());
        assert!(!item("G1", 5, 5).is_low(), "at the level is not below it");
    }

    #[test]
    fn a_reminder_needs_the_item_a_sane_level_and_a_change() {
        let mut state = MemoryState::default();
        state.goods.insert("G1".into(), item("G1", 3, 5));
        assert_eq!(
            set_low_stock(&state, "G1", 8),
            Ok(vec![EventBody::LowStockSet {
                goods_id: "G1".into(),
                units: 8
            }])
        );
        assert_eq!(
            set_low_stock(&state, "G1", 0).map(|e| e.len()),
            Ok(1),
            "0 turns it off"
        );
        for (goods_id, units, refusal) in [
            ("G1", -1, Refusal::LowStockOutOfRange(-1)),
            (
                "G1",
                QUANTITY_MAX + 1,
                Refusal::LowStockOutOfRange(QUANTITY_MAX + 1),
            ),
            ("G9", 5, Refusal::UnknownGoods("G9".into())),
            (
                "G1",
                5,
                Refusal::LowStockUnchanged {
                    goods_id: "G1".into(),
                    units: 5,
                },
            ),
        ] {
            assert_eq!(
                set_low_stock(&state, goods_id, units),
                Err(DecideError::Refused(refusal))
            );
        }
    }

    #[test]
    fn a_stocktake_adjusts_only_what_differs() {
        let rice = item("G1", 10, 0);
        let soap = item("G2", 4, 0);
        let oil = item("G3", 0, 0);
        let found =
            differences([(&rice, 8), (&soap, 4), (&oil, 2)]).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            found
                .iter()
                .map(|d| (d.goods_id.as_str(), d.delta()))
                .collect::<Vec<_>>(),
            vec![("G1", -2), ("G3", 2)]
        );
        assert_eq!(
            adjustments(&found, "月末盘点"),
            vec![
                Command::AdjustStock {
                    goods_id: "G1".into(),
                    delta: -2,
                    reason: "月末盘点".into()
                },
                Command::AdjustStock {
                    goods_id: "G3".into(),
                    delta: 2,
                    reason: "月末盘点".into()
                },
            ]
        );
        assert_eq!(
            differences([(&rice, -1)]),
            Err(Refusal::CountNegative {
                goods_id: "G1".into(),
                counted: -1
            })
        );
    }
}
