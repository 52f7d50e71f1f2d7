//! Stock lots (PRODUCT.md, "Stock comes in lots, each with its source"). Every receipt is a
//! lot named by the seq of the event that brought it in: a donation, a purchase with a fund, a
//! merchant's supply to be settled, a shipment from the township, a stocktake gain. A sale and
//! a township shipment take units first in, first out per item; a stocktake loss takes from
//! the oldest lots; a void puts units back into the lots they came from. This module owns the
//! FIFO split and its booking, and [`LotOrigin`], the one answer to "who is owed for a unit":
//! the settlement pays a merchant only for units taken from its supply lots.

use serde::Serialize;

use super::event::{LotTake, StockSource};
use super::state::{Fault, GoodsRecord, LotBalance};

/// How `quantity` units of an item would be taken from its lots, oldest first, or `None` if
/// its lots hold fewer units.
pub fn take_fifo(goods_id: &str, lots: &[LotBalance], quantity: i64) -> Option<Vec<LotTake>> {
    let mut left = quantity;
    let mut takes = Vec::new();
    for lot in lots {
        if left <= 0 {
            break;
        }
        let take = lot.remaining_units.min(left);
        if take > 0 {
            takes.push(LotTake {
                goods_id: goods_id.to_string(),
                lot_seq: lot.lot_seq,
                quantity: take,
            });
            left -= take;
        }
    }
    (left <= 0).then_some(takes)
}

/// Units of an item on the shelf according to its lots.
pub fn units_in_lots(record: &GoodsRecord) -> i64 {
    record.lots.iter().map(|l| l.remaining_units).sum()
}

/// Books a new lot of `quantity` units received by event `lot_seq`.
pub fn add_lot(record: &mut GoodsRecord, lot_seq: u64, quantity: i64) {
    put_back_one(record, lot_seq, quantity);
}

/// Takes units out of the lots named (a sale, a loss, a shipment); a lot left empty is dropped
/// from the open list. Refuses, as a fault, a take from a lot that does not hold the units.
pub fn take(record: &mut GoodsRecord, takes: &[LotTake]) -> Result<(), Fault> {
    let goods_id = record.goods.goods_id.clone();
    for t in takes.iter().filter(|t| t.goods_id == goods_id) {
        let Some(index) = record.lots.iter().position(|l| l.lot_seq == t.lot_seq) else {
            return Err(Fault(format!(
                "goods {}: lot #{} has no units left",
                t.goods_id, t.lot_seq
            )));
        };
        let lot = &mut record.lots[index];
        if t.quantity <= 0 || lot.remaining_units < t.quantity {
            return Err(Fault(format!(
                "goods {}: lot #{} holds {}, not {}",
                t.goods_id, t.lot_seq, lot.remaining_units, t.quantity
            )));
        }
        lot.remaining_units -= t.quantity;
        if lot.remaining_units == 0 {
            record.lots.remove(index);
        }
    }
    Ok(())
}

/// Puts a void's units back into the lots they came from, in lot order.
pub fn put_back(record: &mut GoodsRecord, takes: &[LotTake]) {
    let goods_id = record.goods.goods_id.clone();
    for t in takes.iter().filter(|t| t.goods_id == goods_id) {
        put_back_one(record, t.lot_seq, t.quantity);
    }
}

fn put_back_one(record: &mut GoodsRecord, lot_seq: u64, quantity: i64) {
    match record.lots.binary_search_by_key(&lot_seq, |l| l.lot_seq) {
        Ok(i) => record.lots[i].remaining_units += quantity,
        Err(i) => record.lots.insert(
            i,
            LotBalance {
                lot_seq,
                remaining_units: quantity,
            },
        ),
    }
}

/// The units a set of takes moves for one item.
pub fn units_taken(takes: &[LotTake], goods_id: &str) -> i64 {
    takes
        .iter()
        .filter(|t| t.goods_id == goods_id)
        .map(|t| t.quantity)
        .sum()
}

/// Checks an item's books after a write: lots in order, none empty or negative, their units
/// equal to the shelf count, and received + adjusted = sold + shipped + on the shelf.
pub fn check(record: &GoodsRecord) -> Result<(), Fault> {
    let id = &record.goods.goods_id;
    if record.lots.iter().any(|l| l.remaining_units <= 0)
        || record.lots.windows(2).any(|w| w[0].lot_seq >= w[1].lot_seq)
    {
        return Err(Fault(format!(
            "goods {id}: open lots out of order or empty"
        )));
    }
    if units_in_lots(record) != record.stock_units || record.stock_units < 0 {
        return Err(Fault(format!(
            "goods {id}: {} on the shelf but {} in its lots",
            record.stock_units,
            units_in_lots(record)
        )));
    }
    let flow =
        record.received_units + record.adjusted_units - record.sold_units - record.shipped_units;
    if flow != record.stock_units {
        return Err(Fault(format!(
            "goods {id}: received {} + adjusted {} − sold {} − shipped {} ≠ stock {}",
            record.received_units,
            record.adjusted_units,
            record.sold_units,
            record.shipped_units,
            record.stock_units
        )));
    }
    Ok(())
}

/// Who a unit taken from a lot is owed to, decided from the lot's source alone (never from the
/// catalog's supplier). Every redeemed unit has exactly one origin, so the settlement, the
/// donations ledger and the fund account always add up to all redeemed units.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum LotOrigin {
    /// Supplied by this merchant: payable to it at settlement.
    Merchant(String),
    /// Donated by this donor: never paid; in the donations ledger.
    Donated(String),
    /// Bought with this fund: already paid.
    Fund(String),
    /// Sent by this station before lots recorded their origin: not payable here.
    Township(String),
    /// Found at a stocktake: nobody is owed.
    Stocktake,
}

impl LotOrigin {
    /// The origin of a lot received with `source`; a township shipment keeps the origin of the
    /// township's own lot.
    pub fn of(source: &StockSource) -> LotOrigin {
        match source {
            StockSource::Donation { donor } => LotOrigin::Donated(donor.clone()),
            StockSource::Purchase { fund, .. } => LotOrigin::Fund(fund.clone()),
            StockSource::Transfer { from } => LotOrigin::Township(from.clone()),
            StockSource::Supply { merchant } => LotOrigin::Merchant(merchant.clone()),
            StockSource::Shipment { origin, .. } => LotOrigin::of(origin),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::{Goods, Zone};

    fn goods() -> GoodsRecord {
        GoodsRecord {
            goods: Goods {
                goods_id: "G1".into(),
                name: "大米".into(),
                unit: "袋".into(),
                barcode: String::new(),
                price_points: 10,
                zone: Zone::Points(10),
                category: String::new(),
                supplier: String::new(),
            },
            stock_units: 0,
            received_units: 0,
            sold_units: 0,
            adjusted_units: 0,
            shipped_units: 0,
            lots: vec![],
            low_stock_units: 0,
            former_names: Vec::new(),
        }
    }

    #[test]
    fn fifo_takes_the_oldest_lot_first_and_a_void_puts_back() {
        let mut g = goods();
        add_lot(&mut g, 5, 3);
        add_lot(&mut g, 9, 4);
        let takes = take_fifo("G1", &g.lots, 5).expect("7 units");
        assert_eq!(
            takes
                .iter()
                .map(|t| (t.lot_seq, t.quantity))
                .collect::<Vec<_>>(),
            vec![(5, 3), (9, 2)]
        );
        assert_eq!(take_fifo("G1", &g.lots, 8), None);
        take(&mut g, &takes).expect("held");
        assert_eq!(g.lots.len(), 1, "an empty lot leaves the open list");
        put_back(&mut g, &takes);
        assert_eq!(
            g.lots
                .iter()
                .map(|l| (l.lot_seq, l.remaining_units))
                .collect::<Vec<_>>(),
            vec![(5, 3), (9, 4)]
        );
    }

    #[test]
    fn a_take_from_a_lot_that_lacks_the_units_is_a_fault() {
        let mut g = goods();
        add_lot(&mut g, 5, 1);
        let bad = LotTake {
            goods_id: "G1".into(),
            lot_seq: 5,
            quantity: 2,
        };
        assert!(take(&mut g, &[bad]).is_err());
    }

    #[test]
    fn a_shipment_keeps_its_origin() {
        let donated = StockSource::Shipment {
            from: "TS01".into(),
            origin: Box::new(StockSource::Donation {
                donor: "县农商银行".into(),
            }),
        };
        assert_eq!(
            LotOrigin::of(&donated),
            LotOrigin::Donated("县农商银行".into())
        );
        let supplied = StockSource::Supply {
            merchant: "县供销社".into(),
        };
        assert_eq!(
            LotOrigin::of(&supplied),
            LotOrigin::Merchant("县供销社".into())
        );
    }
}
