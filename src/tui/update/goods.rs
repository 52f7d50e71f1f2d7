//! The goods screen: the catalog with stock and low-stock reminders; add an item, change one
//! (a new `GoodsDefined` for the same id: its stock and lots stay), set the level below which
//! an item is listed as running low (`LowStockSet`), and open the stocktake. The same forms
//! define an item not yet in the catalog from the receive screen. Every write is a domain
//! command, as `aixin goods add` sends it; the rules (price, zone, barcode) are the domain's.

use crate::domain::event::{Goods, Zone};
use crate::domain::input::Field;

use super::super::keymap::Action;
use super::super::model::{Form, FormField, FormKind, Modal, Model, Screen, Tone};
use super::super::msg::Effect;
use super::{is_move, move_selection, say};

/// Runs a goods-screen action.
pub(super) fn act(model: &mut Model, action: Action, _fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let len = model.goods.hits.len();
            move_selection(&mut model.goods.selected, len, a);
        }
        Action::ClearInput => {
            model.goods.query.clear();
            model.refresh_goods();
        }
        Action::New => open_add(model, false, ""),
        Action::Stocktake => {
            model.show(Screen::Stocktake);
            model.stocktake.selected = 0;
        }
        Action::Edit | Action::LowStock => {
            let Some(item) = model
                .goods
                .hits
                .get(model.goods.selected)
                .and_then(|&p| model.data.goods.get(p))
            else {
                say(
                    model,
                    Tone::Bad,
                    "先选中一个商品（输入名称、拼音或扫码查找）",
                    "choose an item first (type its name or pinyin, or scan it)",
                );
                return;
            };
            let form = if action == Action::Edit {
                edit_form(&item.goods)
            } else {
                Form::new(
                    FormKind::LowStock {
                        goods_id: item.goods.goods_id.clone(),
                        units: item.low_stock_units,
                    },
                    vec![FormField::text(
                        Field::Quantity,
                        &item.low_stock_units.to_string(),
                    )],
                )
            };
            model.modal = Some(Modal::Form(Box::new(form)));
        }
        _ => {}
    }
}

/// The next free goods id in the catalog's own pattern: `G011` after `G010`; `G001` for the
/// first item.
pub fn next_goods_id(model: &Model) -> String {
    let mut best: Option<(String, u64, usize)> = None;
    for g in &model.data.goods {
        let id = &g.goods.goods_id;
        let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            continue;
        }
        let (prefix, number) = id.split_at(id.len() - digits);
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        if best.as_ref().is_none_or(|(_, n, _)| number > *n) {
            best = Some((prefix.to_string(), number, digits));
        }
    }
    let (prefix, number, digits) = best.unwrap_or_else(|| ("G".to_string(), 0, 3));
    let mut next = number.saturating_add(1);
    loop {
        let id = format!("{prefix}{next:0digits$}");
        if model.data.goods_by_id(&id).is_none() {
            return id;
        }
        next = next.saturating_add(1);
    }
}

/// The form for a new item, its id suggested and `barcode` filled in (a scanned barcode the
/// catalog did not know); `for_receive` when the receive screen asked for it.
pub(super) fn open_add(model: &mut Model, for_receive: bool, barcode: &str) {
    let fields = vec![
        FormField::text(Field::GoodsId, &next_goods_id(model)),
        FormField::text(Field::GoodsName, ""),
        FormField::text(Field::Unit, ""),
        FormField::text(Field::Barcode, barcode),
        FormField::text(Field::PricePoints, ""),
        FormField::text(Field::Zone, ""),
        FormField::text(Field::Category, ""),
        FormField::text(Field::Supplier, ""),
    ];
    let mut form = Form::new(FormKind::AddGoods { for_receive }, fields);
    form.at = 1;
    model.modal = Some(Modal::Form(Box::new(form)));
}

fn zone_text(zone: Zone) -> String {
    match zone {
        Zone::Points(p) => p.to_string(),
        Zone::Donation => "捐赠".to_string(),
    }
}

fn edit_form(goods: &Goods) -> Form {
    Form::new(
        FormKind::EditGoods {
            goods: Box::new(goods.clone()),
        },
        vec![
            FormField::text(Field::GoodsName, &goods.name),
            FormField::text(Field::Unit, &goods.unit),
            FormField::text(Field::Barcode, &goods.barcode),
            FormField::text(Field::PricePoints, &goods.price_points.to_string()),
            FormField::text(Field::Zone, &zone_text(goods.zone)),
            FormField::text(Field::Category, &goods.category),
            FormField::text(Field::Supplier, &goods.supplier),
        ],
    )
}

/// An item was added or changed, or its reminder set: the form closes, the list shows it.
pub(super) fn committed(model: &mut Model, events: &[crate::domain::Event]) {
    model.modal = None;
    model.refresh_goods();
    use crate::domain::EventBody as E;
    let text = match events.last().map(|e| &e.body) {
        Some(E::GoodsDefined { goods }) => format!(
            "{}{} {}",
            model.t("已保存商品：", "item saved: "),
            goods.goods_id,
            goods.name
        ),
        Some(E::LowStockSet { goods_id, units: 0 }) => format!(
            "{}{goods_id}",
            model.t("已取消低库存提醒：", "low-stock reminder off: ")
        ),
        Some(E::LowStockSet { goods_id, units }) => match model.lang {
            crate::i18n::Lang::Zh => format!("{goods_id} 少于 {units} 件时提醒"),
            crate::i18n::Lang::En => format!("{goods_id}: reminder below {units} units"),
        },
        _ => return,
    };
    model.say(Tone::Good, text);
}

#[cfg(test)]
mod tests;
