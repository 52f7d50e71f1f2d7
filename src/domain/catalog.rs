//! The catalog's rules for a second definition of a goods id. An id names one thing for good:
//! its lots, sales, receipts and settlement all follow the id, so an id silently redefined as
//! something else corrupts the books (a trial found `goods add` replacing 食用油5L with 酱油, and
//! a township's 面粉10kg turning a village's 洗衣粉 into flour, merchant's lot and all).
//!
//! - **Adding** ([`add_goods`], `aixin goods add`, the till's new-item form): an id not in the
//!   catalog is defined; the very same definition again is nothing new; any other definition
//!   of a held id is refused, naming each field that differs, held and given ([`differences`]),
//!   and the way out (`aixin goods edit` of those fields, which changes an item on purpose with
//!   `DefineGoods`).
//! - **The township's catalog** ([`take_township_goods`], on a village's import): the same item
//!   ([`same_item`]: the same name and unit after the normaliser) takes the township's price
//!   and zone and whatever else the township states, keeping the village's own values where
//!   the township's are empty ([`merged`]); a different item under the same id is left as it
//!   is and refused, so that the import reports it.
//! - **A township shipment** ([`receive_shipment`]): received into the village's item only if
//!   it is the same item as the township's; an id the village lacks is defined as the
//!   township's first. Otherwise nothing is received and the refusal names the way out.
//!
//! Every decision reads only the ledger's state and the command, so a village decides the same
//! way however often it replays its events. Source: PRODUCT.md, "Stock ledger" and "Station
//! and township" (the township sends back catalog changes and goods shipments).

use super::command::{check_source, define_goods, quantity, village_only, DecideError};
use super::event::{EventBody, Goods, StockSource, Zone};
use super::input::{code, text, Field};
use super::refusal::{GoodsConflict, GoodsDifference, Refusal};
use super::state::{State, StationMeta};

type Decision = Result<Vec<EventBody>, DecideError>;

/// A definition as the normaliser reads it (the ledger may hold values typed before the
/// normaliser existed), for comparisons only.
fn normalised(g: &Goods) -> Goods {
    Goods {
        goods_id: code(&g.goods_id),
        name: text(&g.name),
        unit: text(&g.unit),
        barcode: code(&g.barcode),
        price_points: g.price_points,
        zone: g.zone,
        category: text(&g.category),
        supplier: text(&g.supplier),
    }
}

/// Whether two definitions say exactly the same, field by field after the normaliser: what
/// `goods import` skips as "nothing new", and what `goods add` of a held id may repeat.
pub fn same_definition(a: &Goods, b: &Goods) -> bool {
    normalised(a) == normalised(b)
}

/// Each field in which `given` differs from `held` after the normaliser, in the order `goods
/// add` takes them: name, unit, price, zone, barcode, category, supplier. Empty when
/// [`same_definition`]. A field left empty in `given` that `held` has differs too (a barcode
/// left out is not the barcode kept): `goods add` states a whole definition.
pub fn differences(held: &Goods, given: &Goods) -> Vec<GoodsDifference> {
    let (held, given) = (normalised(held), normalised(given));
    let zone = |z: Zone| match z {
        Zone::Points(points) => points.to_string(),
        Zone::Donation => "捐赠区".to_string(),
    };
    [
        (Field::GoodsName, held.name, given.name),
        (Field::Unit, held.unit, given.unit),
        (
            Field::PricePoints,
            held.price_points.to_string(),
            given.price_points.to_string(),
        ),
        (Field::Zone, zone(held.zone), zone(given.zone)),
        (Field::Barcode, held.barcode, given.barcode),
        (Field::Category, held.category, given.category),
        (Field::Supplier, held.supplier, given.supplier),
    ]
    .into_iter()
    .filter(|(_, held, given)| held != given)
    .map(|(field, held, given)| GoodsDifference { field, held, given })
    .collect()
}

/// Whether two definitions of one id are the same thing on the shelf: the same name and the
/// same unit after the normaliser (a unit left empty on either side agrees with any). Price,
/// zone, barcode, category and supplier may differ: they are what a catalog change changes.
pub fn same_item(a: &Goods, b: &Goods) -> bool {
    let (unit_a, unit_b) = (text(&a.unit), text(&b.unit));
    text(&a.name) == text(&b.name) && (unit_a == unit_b || unit_a.is_empty() || unit_b.is_empty())
}

/// The village's item after the township's definition of the same item ([`same_item`]): the
/// township's price and zone; its unit, barcode, category and supplier where it states one,
/// the village's own where the township's is empty. The village's id and name stay as written.
pub fn merged(village: &Goods, township: &Goods) -> Goods {
    let stated = |township: &str, village: &str| {
        if text(township).is_empty() {
            village.to_string()
        } else {
            township.to_string()
        }
    };
    Goods {
        goods_id: village.goods_id.clone(),
        name: village.name.clone(),
        unit: if text(&village.unit).is_empty() {
            township.unit.clone()
        } else {
            village.unit.clone()
        },
        barcode: stated(&township.barcode, &village.barcode),
        price_points: township.price_points,
        zone: township.zone,
        category: stated(&township.category, &village.category),
        supplier: stated(&township.supplier, &village.supplier),
    }
}

/// Decides `goods add`: a new id is defined (the catalog's checks: price, zone, barcode); the
/// same definition of a held id writes nothing; another definition of a held id is refused
/// with [`Refusal::GoodsIdTaken`], naming each field that differs ([`differences`]).
pub fn add_goods(state: &dyn State, meta: &StationMeta, goods: &Goods) -> Decision {
    match state.goods(&goods.goods_id)? {
        None => define_goods(state, meta, goods),
        Some(held) if same_definition(&held.goods, goods) => Ok(Vec::new()),
        Some(held) => Err(Refusal::GoodsIdTaken {
            goods_id: goods.goods_id.clone(),
            differences: differences(&held.goods, goods),
            name: held.goods.name,
        }
        .into()),
    }
}

/// Decides a village's answer to its township's catalog entry `township`: an id the village
/// lacks is defined as the township's; the same item takes [`merged`] (nothing is written when
/// that is what the village holds); a different item is refused with
/// [`Refusal::TownshipGoodsConflict`] and stays as it is.
pub fn take_township_goods(state: &dyn State, meta: &StationMeta, township: &Goods) -> Decision {
    village_only(meta)?;
    match state.goods(&township.goods_id)? {
        None => define_goods(state, meta, township),
        Some(held) if same_item(&held.goods, township) => {
            let changed = merged(&held.goods, township);
            if changed == held.goods {
                Ok(Vec::new())
            } else {
                define_goods(state, meta, &changed)
            }
        }
        Some(held) => Err(Refusal::TownshipGoodsConflict(Box::new(conflict(
            township,
            &held.goods,
            0,
            String::new(),
        )))
        .into()),
    }
}

/// Decides a village's receipt of a township shipment of the item the township defines as
/// `township`, one lot per `(units, source)` in `lots` (each keeping its origin). An id the
/// village lacks is defined as the township's first, in the same decision; the same item
/// ([`same_item`]) is received as the village holds it; a different item receives nothing and
/// is refused with [`Refusal::ShipmentConflict`].
pub fn receive_shipment(
    state: &dyn State,
    meta: &StationMeta,
    township: &Goods,
    lots: &[(i64, StockSource)],
) -> Decision {
    village_only(meta)?;
    let goods_id = &township.goods_id;
    let mut events = match state.goods(goods_id)? {
        None => define_goods(state, meta, township)?,
        Some(held) if same_item(&held.goods, township) => Vec::new(),
        Some(held) => {
            let units = lots.iter().fold(0i64, |sum, (q, _)| sum.saturating_add(*q));
            let from = lots.first().map(|(_, s)| sender(s)).unwrap_or_default();
            return Err(Refusal::ShipmentConflict(Box::new(conflict(
                township,
                &held.goods,
                units,
                from,
            )))
            .into());
        }
    };
    if lots.is_empty() {
        return Err(Refusal::QuantityNotPositive.into());
    }
    for (units, source) in lots {
        quantity(*units)?;
        check_source(source)?;
        events.push(EventBody::StockReceived {
            goods_id: goods_id.clone(),
            quantity: *units,
            source: source.clone(),
        });
    }
    Ok(events)
}

/// The township's and the village's item under one id, for a refusal.
fn conflict(township: &Goods, village: &Goods, quantity: i64, from: String) -> GoodsConflict {
    GoodsConflict {
        goods_id: township.goods_id.clone(),
        township_name: township.name.clone(),
        township_unit: township.unit.clone(),
        village_name: village.name.clone(),
        village_unit: village.unit.clone(),
        quantity,
        from,
    }
}

/// The station a shipment came from, as its lot names it.
fn sender(source: &StockSource) -> String {
    match source {
        StockSource::Shipment { from, .. } | StockSource::Transfer { from } => from.clone(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
