//! The receive-stock screen: choose the goods (search or scan), the units, where they came
//! from (donation, purchase with its cost in yuan, transfer) and who from; one
//! `ReceiveStock` command for the domain.

use crate::domain::event::StockSource;
use crate::domain::Command;

use super::super::keymap::Action;
use super::super::model::{Model, ReceiveField, SourceKind, Tone};
use super::super::msg::{Effect, Purpose};
use super::{input, is_move, move_selection};

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
            if let Some(input) = input::active_input(model) {
                input.clear();
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

/// Parses yuan like `12`, `12.5` or `12.50` into fen.
pub fn parse_yuan(text: &str) -> Option<i64> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole
            .chars()
            .chain(fraction.chars())
            .all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut fen: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    if fraction.len() == 1 {
        fen *= 10;
    }
    whole.checked_mul(100)?.checked_add(fen)
}

/// What is missing from the form, in words; `None` when it can be submitted.
fn missing(model: &Model) -> Option<String> {
    let form = &model.receive;
    let problem = |zh: &str, en: &str| Some(model.t(zh, en).to_string());
    if form.goods_id.is_none() {
        problem(
            "请先选择商品（输入名称或扫码）",
            "choose the goods first (type its name or scan it)",
        )
    } else if form.quantity.value().parse::<i64>().unwrap_or(0) <= 0 {
        problem("请输入入库数量", "type the quantity received")
    } else if form.party.value().is_empty() {
        match form.source {
            SourceKind::Donation => problem("请填写捐赠人", "write the donor"),
            SourceKind::Purchase => problem("请填写资金来源", "write the fund"),
            SourceKind::Transfer => problem("请填写调出单位", "write who sent it"),
        }
    } else if form.source == SourceKind::Purchase && parse_yuan(form.cost.value()).is_none() {
        problem(
            "请填写采购金额（元，如 120.50）",
            "write the cost in yuan (e.g. 120.50)",
        )
    } else {
        None
    }
}

fn submit(model: &mut Model, fx: &mut Vec<Effect>) {
    if let Some(text) = missing(model) {
        model.say(Tone::Bad, text);
        return;
    }
    let form = &model.receive;
    let party = form.party.value().to_string();
    let source = match form.source {
        SourceKind::Donation => StockSource::Donation { donor: party },
        SourceKind::Purchase => StockSource::Purchase {
            fund: party,
            cost_fen: parse_yuan(form.cost.value()).unwrap_or(0),
        },
        SourceKind::Transfer => StockSource::Transfer { from: party },
    };
    fx.push(Effect::Commit {
        commands: vec![Command::ReceiveStock {
            goods_id: form.goods_id.clone().unwrap_or_default(),
            quantity: form.quantity.value().parse::<i64>().unwrap_or(0),
            source,
        }],
        purpose: Purpose::Receive,
    });
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
    let text = format!(
        "{}{name} × {}",
        model.t("已入库：", "received: "),
        model.receive.quantity.value()
    );
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
        typed(&mut m, "2x4");
        assert_eq!(m.receive.quantity.text, "24", "digits only");
        named(&mut m, KeyName::Tab);
        named(&mut m, KeyName::Right);
        assert_eq!(m.receive.source, SourceKind::Purchase);
        named(&mut m, KeyName::F(5));
        assert!(bad(&m).contains("资金"));
        named(&mut m, KeyName::Tab);
        typed(&mut m, "专项资金");
        named(&mut m, KeyName::Tab);
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

    #[test]
    fn money_is_typed_in_yuan_and_kept_in_fen() {
        assert_eq!(parse_yuan("12"), Some(1200));
        assert_eq!(parse_yuan("12.5"), Some(1250));
        assert_eq!(parse_yuan("0.05"), Some(5));
        assert_eq!(parse_yuan("1.234"), None);
        assert_eq!(parse_yuan("."), None);
        assert_eq!(parse_yuan("-1"), None);
        assert_eq!(parse_yuan("99999999999999999999"), None);
    }
}
