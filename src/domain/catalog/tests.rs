//! Unit tests of the catalog's rules for a second definition of an id, over a [`MemoryState`]
//! through [`decide`]: the pure comparisons, `goods add`, the township's catalog entry and a
//! township shipment, each refusal leaving the state as it was.

use super::*;
use crate::domain::event::{Event, Zone};
use crate::domain::state::MemoryState;
use crate::domain::{apply, decide, Command, Policy, StationRole};
use crate::i18n::Lang;

/// 2026-10-10T02:00:00Z (10:00 in China).
const T: i64 = 1_791_597_600_000;

fn item(id: &str, name: &str, unit: &str, barcode: &str, price_points: i64) -> Goods {
    Goods {
        goods_id: id.into(),
        name: name.into(),
        unit: unit.into(),
        barcode: barcode.into(),
        price_points,
        zone: Zone::Points(5),
        category: String::new(),
        supplier: String::new(),
    }
}

fn shipped(units: i64) -> (i64, StockSource) {
    (
        units,
        StockSource::Shipment {
            from: "T01".into(),
            origin: Box::new(StockSource::Donation {
                donor: "爱心企业".into(),
            }),
        },
    )
}

struct Station {
    state: MemoryState,
    seq: u64,
}

impl Station {
    fn new(role: StationRole) -> Station {
        let policy: Policy = match crate::policies::builtin("direct-points") {
            Some(Ok(p)) => p,
            _ => panic!("builtin policy"),
        };
        let mut s = Station {
            state: MemoryState::default(),
            seq: 0,
        };
        s.ok(Command::Init {
            station_id: "V1".into(),
            name: "村".into(),
            role,
            policy,
        });
        s
    }

    fn run(&mut self, command: &Command) -> Result<Vec<EventBody>, Refusal> {
        let bodies = match decide(&self.state, command, T) {
            Ok(b) => b,
            Err(DecideError::Refused(r)) => return Err(r),
            Err(DecideError::Fault(f)) => panic!("fault {f}"),
        };
        for body in &bodies {
            self.seq += 1;
            let event = Event {
                station_id: "V1".into(),
                seq: self.seq,
                operator: "t".into(),
                time_ms: T,
                prev_hash: self.state.meta.as_ref().map_or([0; 32], |m| m.head_hash),
                body: body.clone(),
            };
            apply(&mut self.state, &event, &[self.seq as u8; 32]).unwrap_or_else(|f| panic!("{f}"));
        }
        Ok(bodies)
    }

    fn ok(&mut self, command: Command) -> Vec<EventBody> {
        self.run(&command)
            .unwrap_or_else(|r| panic!("{command:?} refused: {r:?}"))
    }

    fn refused(&mut self, command: Command) -> Refusal {
        let before = self.state.clone();
        match self.run(&command) {
            Ok(events) => panic!("{command:?} was accepted: {events:?}"),
            Err(r) => {
                assert_eq!(self.state, before, "a refusal must not change the state");
                r
            }
        }
    }

    fn goods(&self, id: &str) -> (Goods, i64) {
        let record = self.state.goods.get(id).cloned().expect("goods held");
        (record.goods, record.stock_units)
    }
}

#[test]
fn the_same_item_is_the_same_name_and_unit_after_the_normaliser() {
    let rice = item("G001", "大米5kg", "袋", "6910123614616", 5);
    let typed = item("G001", " 大米５kg ", "袋", "", 10);
    assert!(same_item(&rice, &typed), "full-width digits and spaces");
    assert!(
        same_item(&rice, &item("G001", "大米5kg", "", "", 5)),
        "no unit stated"
    );
    assert!(
        !same_item(&rice, &item("G001", "大米5kg", "个", "", 5)),
        "another unit"
    );
    assert!(
        !same_item(&rice, &item("G001", "面粉10kg", "袋", "", 5)),
        "another name"
    );
    assert!(same_definition(
        &rice,
        &item("G001", "大米５kg", "袋", "６９１０１２３６１４６１６", 5)
    ));
    assert!(
        !same_definition(&rice, &typed),
        "the price and barcode differ"
    );
}

#[test]
fn the_township_sets_price_and_zone_and_fills_only_what_it_states() {
    let mut village = item("G001", "大米5kg", "袋", "6910123614616", 5);
    village.category = "粮油".into();
    village.supplier = "县供销社".into();
    let mut township = item("G001", "大米5kg", "", "", 10);
    township.zone = Zone::Points(10);
    township.supplier = "乡供销社".into();
    let m = merged(&village, &township);
    assert_eq!((m.price_points, m.zone), (10, Zone::Points(10)));
    assert_eq!(
        m.unit, "袋",
        "the village's unit where the township has none"
    );
    assert_eq!(m.barcode, "6910123614616", "the village's barcode kept");
    assert_eq!(m.category, "粮油");
    assert_eq!(m.supplier, "乡供销社", "what the township states is taken");
}

#[test]
fn adding_a_held_id_is_refused_unless_it_is_the_same_definition() {
    let mut s = Station::new(StationRole::Village);
    let oil = item("G003", "食用油5L", "桶", "6901234500011", 50);
    let add = |g: &Goods| Command::AddGoods { goods: g.clone() };
    assert!(matches!(
        s.ok(add(&oil)).as_slice(),
        [EventBody::GoodsDefined { .. }]
    ));
    let mut again = oil.clone();
    again.name = " 食用油５L".into();
    assert_eq!(
        s.ok(add(&again)),
        vec![],
        "the same definition: nothing new"
    );
    let soy = item("G003", "酱油", "个", "", 3);
    assert_eq!(
        s.refused(add(&soy)),
        Refusal::GoodsIdTaken {
            goods_id: "G003".into(),
            name: "食用油5L".into(),
            differences: differences(&oil, &soy),
        }
    );
    let named: Vec<Field> = differences(&oil, &soy).iter().map(|d| d.field).collect();
    assert_eq!(
        named,
        [
            Field::GoodsName,
            Field::Unit,
            Field::PricePoints,
            Field::Barcode
        ]
    );
    assert_eq!(s.goods("G003").0, oil);
    // A change on purpose is still `DefineGoods` (goods edit).
    s.ok(Command::DefineGoods { goods: soy.clone() });
    assert_eq!(s.goods("G003").0, soy);
}

#[test]
fn the_townships_catalog_never_redefines_another_village_item() {
    let mut s = Station::new(StationRole::Village);
    let rice = item("G001", "大米5kg", "袋", "6910123614616", 5);
    let soap = item("G002", "洗衣粉", "袋", "", 5);
    s.ok(Command::DefineGoods {
        goods: rice.clone(),
    });
    s.ok(Command::DefineGoods {
        goods: soap.clone(),
    });
    let take = |g: Goods| Command::TakeTownshipGoods { goods: g };

    let flour = item("G002", "面粉10kg", "个", "", 20);
    assert_eq!(
        s.refused(take(flour)),
        Refusal::TownshipGoodsConflict(Box::new(GoodsConflict {
            goods_id: "G002".into(),
            township_name: "面粉10kg".into(),
            township_unit: "个".into(),
            village_name: "洗衣粉".into(),
            village_unit: "袋".into(),
            quantity: 0,
            from: String::new(),
        }))
    );
    assert_eq!(s.goods("G002").0, soap);

    // The same item: the township's price, the village's unit and barcode.
    s.ok(take(item("G001", "大米5kg", "", "", 10)));
    let (now, _) = s.goods("G001");
    assert_eq!(now.price_points, 10);
    assert_eq!(
        (now.unit.as_str(), now.barcode.as_str()),
        ("袋", "6910123614616")
    );
    assert_eq!(
        s.ok(take(item("G001", "大米5kg", "袋", "", 10))),
        vec![],
        "nothing the village does not hold already"
    );
    // An id the village lacks is the township's.
    let salt = item("G009", "食盐", "袋", "", 2);
    s.ok(take(salt.clone()));
    assert_eq!(s.goods("G009").0, salt);
}

#[test]
fn a_shipment_is_received_only_into_the_same_item() {
    let mut s = Station::new(StationRole::Village);
    let soap = item("G002", "洗衣粉", "袋", "", 5);
    s.ok(Command::DefineGoods {
        goods: soap.clone(),
    });
    let ship =
        |g: Goods, lots: Vec<(i64, StockSource)>| Command::ReceiveShipment { goods: g, lots };

    let refusal = s.refused(ship(
        item("G002", "面粉10kg", "个", "", 20),
        vec![shipped(3), shipped(2)],
    ));
    assert!(
        matches!(&refusal, Refusal::ShipmentConflict(c) if c.quantity == 5 && c.from == "T01" && c.village_name == "洗衣粉"),
        "{refusal:?}"
    );
    assert_eq!(s.goods("G002"), (soap, 0));

    // The same item (the township states no unit): received as the village holds it.
    let events = s.ok(ship(item("G002", "洗衣粉", "", "", 6), vec![shipped(4)]));
    assert!(matches!(
        events.as_slice(),
        [EventBody::StockReceived { quantity: 4, .. }]
    ));
    assert_eq!(s.goods("G002").1, 4);

    // An id the village lacks: defined as the township's, then received, in one decision.
    let salt = item("G009", "食盐", "袋", "", 2);
    let events = s.ok(ship(salt.clone(), vec![shipped(1), shipped(2)]));
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(s.goods("G009"), (salt, 3));
}

#[test]
fn only_a_village_takes_the_townships_catalog_and_shipments() {
    let mut s = Station::new(StationRole::Township);
    let salt = item("G009", "食盐", "袋", "", 2);
    assert_eq!(
        s.refused(Command::TakeTownshipGoods {
            goods: salt.clone()
        }),
        Refusal::WrongRole
    );
    assert_eq!(
        s.refused(Command::ReceiveShipment {
            goods: salt,
            lots: vec![shipped(1)]
        }),
        Refusal::WrongRole
    );
}

#[test]
fn a_rename_keeps_the_name_each_earlier_event_saw() {
    let mut s = Station::new(StationRole::Village);
    s.ok(Command::AddGoods {
        goods: item("G003", "食用油5L", "桶", "", 50),
    });
    let defined_at = s.seq;
    s.ok(Command::DefineGoods {
        goods: item("G003", "酱油", "桶", "", 50),
    });
    let renamed_at = s.seq;
    s.ok(Command::DefineGoods {
        goods: item("G003", "酱油", "桶", "", 45),
    });
    let record = s.state.goods.get("G003").cloned().expect("held");
    assert_eq!(record.former_names.len(), 1, "a price change is no rename");
    assert_eq!(record.name_at(defined_at), "食用油5L");
    assert_eq!(record.name_at(renamed_at - 1), "食用油5L");
    assert_eq!(record.name_at(renamed_at), "酱油");
    assert_eq!(record.name_at(u64::MAX), "酱油");
}

/// The trial: the same item again with its barcode left out was refused without saying why.
/// The refusal names each field that differs, held and given, and the `goods edit` that
/// makes it so.
#[test]
fn a_refused_add_names_each_field_that_differs_and_the_edit_that_changes_it() {
    let mut s = Station::new(StationRole::Village);
    let oil = item("G003", "食用油5L", "桶", "6901234500011", 50);
    s.ok(Command::AddGoods { goods: oil.clone() });
    let mut no_barcode = oil.clone();
    no_barcode.barcode = String::new();
    let refusal = s.refused(Command::AddGoods {
        goods: no_barcode.clone(),
    });
    assert_eq!(
        refusal,
        Refusal::GoodsIdTaken {
            goods_id: "G003".into(),
            name: "食用油5L".into(),
            differences: vec![GoodsDifference {
                field: Field::Barcode,
                held: "6901234500011".into(),
                given: String::new(),
            }],
        }
    );
    assert_eq!(
        refusal.message(Lang::Zh),
        "商品编号 G003 已是“食用油5L”，与这次给的不同：条码“6901234500011”→空；账本未改动。要改成这次给的请用 aixin goods edit G003 --barcode ''，新商品请换一个编号"
    );
    assert_eq!(
        refusal.message(Lang::En),
        "goods id G003 is already \"食用油5L\", and what was given differs: barcode \"6901234500011\" → none; nothing was changed. To change it to what was given use aixin goods edit G003 --barcode ''; a new item needs another id"
    );
    assert_eq!(s.goods("G003").0, oil, "the catalog is unchanged");

    let mut other = oil.clone();
    other.unit = "瓶".into();
    other.price_points = 45;
    other.zone = Zone::Donation;
    other.supplier = "李记 粮油".into();
    let en = s
        .refused(Command::AddGoods { goods: other })
        .message(Lang::En);
    assert!(
        en.contains("unit \"桶\" → \"瓶\", price in points \"50\" → \"45\", zone \"5\" → \"donation\", supplier none → \"李记 粮油\"")
            && en.contains("aixin goods edit G003 --unit 瓶 --price 45 --zone donation --supplier '李记 粮油'"),
        "{en}"
    );
    // Whitespace and width alone are no difference.
    let mut same = oil.clone();
    same.barcode = "６９０１２３４５０００１１ ".into();
    assert!(differences(&oil, &same).is_empty());
}
