//! The receive-stock screen: choose the goods (search or scan), the units, where they came
//! from (donation, purchase with its cost in yuan, transfer) and who from; one
//! `ReceiveStock` command for the domain.

use crate::domain::event::StockSource;
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
    if party.is_empty() {
        return match form.source {
            SourceKind::Donation => problem("请填写捐赠人", "write the donor"),
            SourceKind::Purchase => problem("请填写资金来源", "write the fund"),
            SourceKind::Transfer => problem("请填写调出单位", "write who sent it"),
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
    };
    Ok(Command::ReceiveStock {
        goods_id,
        quantity,
        source,
    })
}

fn submit(model: &mut Model, fx: &mut Vec<Effect>) {
    match command(model) {
        Ok(command) => fx.push(Effect::Commit {
            commands: vec![command],
            purpose: Purpose::Receive,
        }),
        Err(text) => model.say(Tone::Bad, text),
    }
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
                result: Ok(vec![]),
            },
        );
        assert_eq!(m.receive.goods_id, None);
        assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Good));
    }
}
