//! The lot ledger: every lot of every item with where it came from and where its units went —
//! redeemed (net of voids), lost at stocktakes, shipped to villages, still on the shelf. It is
//! computed once from the station's events (each sale, loss and shipment names the lots it took
//! from; events written before lots carry the split kept when they were applied) and read by the
//! settlement, the donations ledger and the stock ledger, so the three always add up: for every
//! lot, `received = redeemed + lost + shipped + in stock`, and every redeemed unit has exactly
//! one [`LotOrigin`].

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::event::LotTake;
use crate::domain::lots::LotOrigin;
use crate::domain::time::CivilDate;
use crate::domain::{Event, EventBody, StockSource};
use crate::store::ledger::View;
use crate::store::StoreError;

/// One lot and what became of its units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LotLine {
    /// The seq of the event that brought it in.
    pub lot_seq: u64,
    /// The item.
    pub goods_id: String,
    /// China date received, `YYYY-MM-DD`.
    pub date: String,
    /// Who is owed for its units.
    pub origin: LotOrigin,
    /// Its source as received (`None` for a stocktake gain).
    pub source: Option<StockSource>,
    /// Units that came in.
    pub received_units: i64,
    /// Units redeemed, net of voids.
    pub redeemed_units: i64,
    /// Units written off at stocktakes.
    pub lost_units: i64,
    /// Units shipped on to villages (township).
    pub shipped_units: i64,
    /// Units still on the shelf.
    pub in_stock_units: i64,
}

/// Every lot of the station, in the order received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LotLedger {
    /// One line per lot, by lot seq.
    pub lots: Vec<LotLine>,
}

impl LotLedger {
    /// The lot received by event `lot_seq`.
    pub fn lot(&self, lot_seq: u64) -> Option<&LotLine> {
        self.lots
            .binary_search_by_key(&lot_seq, |l| l.lot_seq)
            .ok()
            .map(|i| &self.lots[i])
    }
}

/// The lots a stock-moving event took from: its own list, or the split kept for an event
/// written before lots. Empty for any other event.
pub fn event_takes(view: &View, event: &Event) -> Result<Vec<LotTake>, StoreError> {
    Ok(match &event.body {
        EventBody::Redeemed { takes, .. }
        | EventBody::StockAdjusted { takes, .. }
        | EventBody::GoodsShipped { takes, .. } => takes.clone(),
        EventBody::RedeemedV1 { .. }
        | EventBody::StockAdjustedV1 { .. }
        | EventBody::GoodsShippedV1 { .. } => view
            .state()
            .split(event.seq)?
            .map(|s| s.takes)
            .unwrap_or_default(),
        _ => Vec::new(),
    })
}

/// The station's lot ledger, from its events and the lots still open.
pub fn lot_ledger(view: &View) -> Result<LotLedger, StoreError> {
    view.require_meta()?;
    let events = view.events(1, u64::MAX)?;
    let voided: BTreeSet<u64> = events
        .iter()
        .filter_map(|(e, _)| match &e.body {
            EventBody::SaleVoided { sale_seq, .. } => Some(*sale_seq),
            _ => None,
        })
        .collect();
    let mut lots: BTreeMap<u64, LotLine> = BTreeMap::new();
    for (event, _) in &events {
        let date = || CivilDate::from_utc_ms(event.time_ms).to_string();
        match &event.body {
            EventBody::StockReceived {
                goods_id,
                quantity,
                source,
            } => {
                lots.insert(
                    event.seq,
                    new_lot(event.seq, goods_id, date(), Some(source), *quantity),
                );
            }
            EventBody::StockAdjusted {
                goods_id, delta, ..
            }
            | EventBody::StockAdjustedV1 {
                goods_id, delta, ..
            } if *delta > 0 => {
                lots.insert(
                    event.seq,
                    new_lot(event.seq, goods_id, date(), None, *delta),
                );
            }
            _ => {}
        }
        let takes = event_takes(view, event)?;
        for take in &takes {
            let Some(lot) = lots.get_mut(&take.lot_seq) else {
                return Err(StoreError::Storage(format!(
                    "event #{} takes from unknown lot #{}",
                    event.seq, take.lot_seq
                )));
            };
            match &event.body {
                EventBody::Redeemed { .. } | EventBody::RedeemedV1 { .. } => {
                    if !voided.contains(&event.seq) {
                        lot.redeemed_units += take.quantity;
                    }
                }
                EventBody::GoodsShipped { .. } | EventBody::GoodsShippedV1 { .. } => {
                    lot.shipped_units += take.quantity
                }
                _ => lot.lost_units += take.quantity,
            }
        }
    }
    for record in view.goods()? {
        for open in &record.lots {
            if let Some(lot) = lots.get_mut(&open.lot_seq) {
                lot.in_stock_units = open.remaining_units;
            }
        }
    }
    Ok(LotLedger {
        lots: lots.into_values().collect(),
    })
}

fn new_lot(
    lot_seq: u64,
    goods_id: &str,
    date: String,
    source: Option<&StockSource>,
    quantity: i64,
) -> LotLine {
    LotLine {
        lot_seq,
        goods_id: goods_id.to_string(),
        date,
        origin: source.map_or(LotOrigin::Stocktake, LotOrigin::of),
        source: source.cloned(),
        received_units: quantity,
        redeemed_units: 0,
        lost_units: 0,
        shipped_units: 0,
        in_stock_units: 0,
    }
}
