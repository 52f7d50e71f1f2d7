//! The receive-stock screen: choose the goods (search or scan), the units, where they came
//! from (donation, purchase with its cost in yuan, a merchant's supply — no merchant named is
//! the catalog's supplier —, a transfer from the township) and who from; one `ReceiveStock`
//! command for the domain. An item not yet in the catalog is defined on the spot and committed
//! with its first lot in one batch (`DefineGoods` then `ReceiveStock`).

use crate::domain::event::{Goods, StockSource};
use crate::domain::input::{self, Field};
use crate::domain::Command;

use super::super::keymap::Action;
use super::super::model::{Model, ReceiveField, SourceKind, Tone};
use super::super::msg::{Effect, Purpose};
use super::{input as typing, is_move, move_selection};

/// Runs a receive-stock action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let form = &mut model.receive;
    let fields = form.fields();
    let at = fields.iter().position(|f| *f == form.field).unwrap_or(0);
    match action {
        Action::FieldNext => form.field = fields[(at + 1) % fields.len()],
        Action::FieldPrev => form.field = fields[(at + fields.len() - 1) % fields.len()],
        a if is_move(a) && form.field == ReceiveField::Goods => {
            move_selection(&mut form.goods_selected, form.goods_hits.len(), a);
        }
        Action::OptionNext if form.field == ReceiveField::Source => {
            form.source = form.source.next()
        }
        Action::OptionPrev if form.field == ReceiveField::Source => {
            form.source = form.source.prev()
        }
        Action::ClearInput => {
            if let Some(field) = typing::active_input(model) {
                field.clear();
            }
            model.refresh_lists();
        }
        Action::Select => {
            if form.field == ReceiveField::Goods {
                let picked = form
                    .goods_hits
                    .get(form.goods_selected)
                    .and_then(|&i| model.data.goods.get(i));
                match picked {
                    Some(g) => form.goods_id = Some(g.goods.goods_id.clone()),
                    None => return,
                }
            }
            if at + 1 == fields.len() {
                submit(model, fx);
            } else {
                form.field = fields[at + 1];
            }
        }
        Action::Submit => submit(model, fx),
        Action::New => open_new_goods(model),
        _ => {}
    }
}

/// The form read through the one normaliser: the `ReceiveStock` command, or what is missing or
/// wrong, in words (`1.5` units is refused, never 15).
fn command(model: &Model) -> Result<Command, String> {
    let form = &model.receive;
    let lang = model.lang;
    let problem = |zh: &str, en: &str| Err(lang.pick(zh, en).to_string());
    let Some(goods_id) = form.goods_id.clone() else {
        return problem(
            "请先选择商品（输入名称或扫码）",
            "choose the goods first (type its name or scan it)",
        );
    };
    if form.quantity.value().is_empty() {
        return problem("请输入入库数量", "type the quantity received");
    }
    let quantity =
        input::number(&form.quantity.text, Field::Quantity).map_err(|e| e.message(lang))?;
    let party = input::text(&form.party.text);
    // A supply with no merchant named is the catalog supplier's: the domain's rule.
    if party.is_empty() && form.source != SourceKind::Supply {
        return match form.source {
            SourceKind::Donation => problem("请填写捐赠人", "write the donor"),
            SourceKind::Purchase => problem("请填写资金来源", "write the fund"),
            _ => problem(
                "请填写调出单位（如乡镇）",
                "write who sent it (e.g. the township)",
            ),
        };
    }
    let source = match form.source {
        SourceKind::Donation => StockSource::Donation { donor: party },
        SourceKind::Purchase => {
            if form.cost.value().is_empty() {
                return problem(
                    "请填写采购金额（元，如 120.50）",
                    "write the cost in yuan (e.g. 120.50)",
                );
            }
            StockSource::Purchase {
                fund: party,
                cost_fen: input::yuan(&form.cost.text, Field::CostYuan)
                    .map_err(|e| e.message(lang))?,
            }
        }
        SourceKind::Transfer => StockSource::Transfer { from: party },
        SourceKind::Supply => StockSource::Supply { merchant: party },
    };
    Ok(Command::ReceiveStock {
        goods_id,
        quantity,
        source,
    })
}

fn submit(model: &mut Model, fx: &mut Vec<Effect>) {
    match command(model) {
        Ok(command) => {
            // An item defined on this form goes into the catalog with its first lot, in one
            // batch: both or neither.
            let mut commands: Vec<Command> = model
                .receive
                .new_goods
                .as_ref()
                .map(|g| Command::AddGoods {
                    goods: (**g).clone(),
                })
                .into_iter()
                .collect();
            commands.push(command);
            fx.push(Effect::Commit {
                commands,
                purpose: Purpose::Receive,
            })
        }
        Err(text) => model.say(Tone::Bad, text),
    }
}

/// Opens the form for an item not yet in the catalog; a barcode typed or scanned into the
/// goods search that no item has is filled in.
fn open_new_goods(model: &mut Model) {
    let typed = input::code(&model.receive.goods_query.text);
    let barcode = if !typed.is_empty()
        && typed.bytes().all(|b| b.is_ascii_digit())
        && model.data.goods_by_barcode(&typed).is_none()
    {
        typed
    } else {
        String::new()
    };
    super::goods::open_add(model, true, &barcode);
}

/// The new item's form was filled: the item is this delivery's goods, to be defined when the
/// delivery is received. An id the catalog has already is refused: changing an item is the
/// goods screen's, so a new item never replaces one by accident.
pub(super) fn new_goods_defined(model: &mut Model, goods: Goods) {
    if let Some(known) = model.data.goods_by_id(&goods.goods_id) {
        let text = match model.lang {
            crate::i18n::Lang::Zh => format!(
                "商品编号 {} 已经有商品（{}）；新商品请换一个编号，要修改请到商品管理",
                goods.goods_id, known.goods.name
            ),
            crate::i18n::Lang::En => format!(
                "goods id {} is taken ({}); give the new item another id, or change that item on the goods screen",
                goods.goods_id, known.goods.name
            ),
        };
        model.say(Tone::Bad, text);
        return;
    }
    let form = &mut model.receive;
    form.goods_id = Some(goods.goods_id.clone());
    form.new_goods = Some(Box::new(goods));
    form.field = ReceiveField::Quantity;
    model.modal = None;
}

/// The stock was received: say so and clear the form for the next delivery.
pub(super) fn committed(model: &mut Model) {
    let name = model
        .receive
        .goods_id
        .as_deref()
        .and_then(|id| model.data.goods_by_id(id))
        .map(|g| g.goods.name.clone())
        .unwrap_or_default();
    let quantity = input::number(&model.receive.quantity.text, Field::Quantity).unwrap_or(0);
    let text = format!("{}{name} × {quantity}", model.t("已入库：", "received: "));
    let form = &mut model.receive;
    form.goods_id = None;
    form.new_goods = None;
    form.goods_query.clear();
    form.quantity.clear();
    form.cost.clear();
    form.field = ReceiveField::Goods;
    model.refresh_lists();
    model.say(Tone::Good, text);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::KeyName;
    use crate::tui::model::{Access, Screen};
    use crate::tui::msg::Msg;
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn receive_stock_form_builds_one_command() {
        let mut m = model(Access::Till);
        let fx = named(&mut m, KeyName::F(6));
        assert!(fx.is_empty());
        assert_eq!(m.screen, Screen::Receive);
        typed(&mut m, "xyf");
        named(&mut m, KeyName::Enter);
        assert_eq!(m.receive.goods_id.as_deref(), Some("G02"));
        assert_eq!(m.receive.field, ReceiveField::Quantity);
        typed(&mut m, "1.5");
        assert_eq!(
            m.receive.quantity.text, "1.5",
            "the field keeps what was typed"
        );
        named(&mut m, KeyName::F(5));
        assert!(bad(&m).contains("数量“1.5”不是整数"), "1.5 is not 15");
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "２４");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Right);
        assert_eq!(m.receive.source, SourceKind::Purchase);
        named(&mut m, KeyName::F(5));
        assert!(bad(&m).contains("资金"));
        named(&mut m, KeyName::Tab);
        typed(&mut m, "专项资金");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "120.5.0");
        assert!(named(&mut m, KeyName::Enter).is_empty());
        assert!(
            bad(&m).contains("不是金额"),
            "a cost that is no amount is refused"
        );
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "120.5");
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::ReceiveStock {
                    goods_id: "G02".into(),
                    quantity: 24,
                    source: StockSource::Purchase {
                        fund: "专项资金".into(),
                        cost_fen: 12_050
                    },
                }],
                purpose: Purpose::Receive,
            }]
        );
        update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Receive,
                result: Ok(vec![sale_event(1, "H001", "G02")]),
            },
        );
        assert_eq!(m.receive.goods_id, None);
        assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Good));
    }

    #[test]
    fn a_merchant_supply_may_leave_the_merchant_to_the_catalog() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(6));
        typed(&mut m, "xyf");
        named(&mut m, KeyName::Enter);
        typed(&mut m, "6");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Right);
        named(&mut m, KeyName::Right);
        assert_eq!(m.receive.source, SourceKind::Supply);
        let fx = named(&mut m, KeyName::F(5));
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::ReceiveStock {
                    goods_id: "G02".into(),
                    quantity: 6,
                    source: StockSource::Supply {
                        merchant: String::new()
                    },
                }],
                purpose: Purpose::Receive,
            }],
            "the domain names the catalog's supplier"
        );
        named(&mut m, KeyName::Right);
        assert_eq!(m.receive.source, SourceKind::Transfer);
        assert!(named(&mut m, KeyName::F(5)).is_empty());
        assert!(bad(&m).contains("调出单位"));
        named(&mut m, KeyName::Tab);
        typed(&mut m, "城关镇");
        let fx = named(&mut m, KeyName::F(5));
        assert!(matches!(&fx[..], [Effect::Commit { commands, .. }]
            if matches!(&commands[..], [Command::ReceiveStock { source: StockSource::Transfer { from }, .. }] if from == "城关镇")));
    }

    #[test]
    fn an_item_not_in_the_catalog_is_defined_and_received_in_one_batch() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(6));
        typed(&mut m, "6901234567999");
        named(&mut m, KeyName::Insert);
        let Some(crate::tui::model::Modal::Form(form)) = &m.modal else {
            panic!("the item form opens");
        };
        assert_eq!(form.text(Field::Barcode), "6901234567999");
        assert_eq!(form.text(Field::GoodsId), "G05");
        typed(&mut m, "酱油");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "瓶");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Tab);
        typed(&mut m, "10");
        named(&mut m, KeyName::Tab);
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "10");
        assert!(named(&mut m, KeyName::F(5)).is_empty(), "not committed yet");
        assert_eq!(m.modal, None);
        assert_eq!(m.receive.goods_id.as_deref(), Some("G05"));
        assert_eq!(m.receive.field, ReceiveField::Quantity);
        typed(&mut m, "24");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Tab);
        typed(&mut m, "县供销社");
        let fx = named(&mut m, KeyName::Enter);
        let Some(Effect::Commit { commands, .. }) = fx.first() else {
            panic!("one commit: {fx:?}");
        };
        assert!(
            matches!(&commands[0], Command::AddGoods { goods } if goods.goods_id == "G05" && goods.barcode == "6901234567999" && goods.price_points == 10)
        );
        assert_eq!(
            commands[1],
            Command::ReceiveStock {
                goods_id: "G05".into(),
                quantity: 24,
                source: StockSource::Donation {
                    donor: "县供销社".into()
                }
            }
        );
        update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Receive,
                result: Ok(vec![]),
            },
        );
        assert_eq!(m.receive.new_goods, None);
    }

    #[test]
    fn a_new_item_may_not_take_an_id_the_catalog_has() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(6));
        named(&mut m, KeyName::Insert);
        if let Some(crate::tui::model::Modal::Form(form)) = &mut m.modal {
            form.at = 0;
        }
        key(&mut m, crate::tui::keymap::KeyPress::ctrl('u'));
        typed(&mut m, "G01");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "大米");
        for _ in 0..3 {
            named(&mut m, KeyName::Tab);
        }
        typed(&mut m, "30");
        named(&mut m, KeyName::F(5));
        assert!(bad(&m).contains("G01 已经有商品"), "{}", bad(&m));
        assert!(matches!(m.modal, Some(crate::tui::model::Modal::Form(_))));
        assert_eq!(m.receive.new_goods, None);
    }
}
