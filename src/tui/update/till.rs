//! The till screen: the household lookup, the goods catalog and the cart, checkout and the
//! sale's receipt. Editing the cart stops at what the shelf holds and at the cart's line limit,
//! so a line never asks for more than can be handed over; whether the cart may be redeemed
//! (balance, stock, zones, the redemption window, eligibility, the card) is the domain's to
//! say: [`recheck_cart`] puts the cart to it after every change and [`on_verdict`] keeps the
//! answer for the view to show in the domain's words. A cart belongs to the household it was
//! filled for: [`choose_household`], the one place a household is chosen, asks before a cart
//! holding goods goes to another.

use crate::domain::command::{CART_LINES_MAX, QUANTITY_MAX};
use crate::domain::event::{Event, EventBody, Zone};
use crate::domain::input::{self, Field};
use crate::domain::refusal::Refusal;
use crate::domain::{Command, HouseholdRef};
use crate::i18n::Lang;
use crate::receipt::Print;

use super::super::data::HouseholdHit;
use super::super::keymap::{Action, Context};
use super::super::model::{
    About, CartLine, CartQuestion, CartVerdict, Focus, Input, Modal, Model, Question, Screen, Tone,
};
use super::super::msg::{Effect, Purpose, Query};
use super::{is_move, move_selection, say};

/// The household lookup panel.
pub(super) fn lookup(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.lookup.selected, model.lookup.hits.len(), a),
        Action::Select => select_household(model),
        Action::Details => {
            if let Some(HouseholdHit::Household(i) | HouseholdHit::VoidedCard(i)) =
                model.lookup.hits.get(model.lookup.selected)
            {
                if let Some(h) = model.data.households.get(*i) {
                    let id = h.household_id.to_string();
                    open_details(model, id, fx);
                }
            }
        }
        Action::ClearInput => {
            model.lookup.query.clear();
            model.refresh_lookup();
        }
        _ => {}
    }
}

/// Opens a household's file; its history is read from the ledger.
pub(super) fn open_details(model: &mut Model, household_id: String, fx: &mut Vec<Effect>) {
    model.modal = Some(Modal::Details {
        household_id: household_id.clone(),
        history: None,
        scroll: 0,
    });
    fx.push(Effect::Load(Query::History(household_id)));
}

/// Makes the highlighted household the cart's; a replaced card is named, never chosen.
pub(super) fn select_household(model: &mut Model) {
    match model.lookup.hits.get(model.lookup.selected).copied() {
        None => {
            let text = model.t(
                "没有找到农户：可输入卡号、户号、姓名、拼音首字母或电话尾号",
                "no household found: type a card, household id, name, pinyin initials or phone tail",
            );
            let about = About::Lookup(model.lookup.query.text.clone());
            model.say_about(Tone::Bad, text.to_string(), about);
        }
        Some(HouseholdHit::VoidedCard(i)) => {
            if let Some(h) = model.data.households.get(i) {
                let refusal = Refusal::CardVoided {
                    card_no: model.lookup.query.value().to_uppercase(),
                    household_id: h.household_id.to_string(),
                };
                let text = refusal.message(model.lang);
                model.say(Tone::Bad, text);
            }
        }
        Some(HouseholdHit::Household(i)) => {
            if let Some(h) = model.data.households.get(i) {
                let id = h.household_id.to_string();
                choose_household(model, id);
            }
        }
    }
}

/// The one rule for choosing the cart's household, however it is chosen (a scanned card,
/// household id or phone; Enter in the lookup): a cart belongs to the household it was filled
/// for. The same household again changes nothing; a cart with no goods, or goods picked before
/// any household was chosen, goes to the household at once. Goods held for another household
/// are never moved without asking: the till asks to empty the cart and switch
/// ([`Question::SwitchHousehold`], answered by [`switch_household`]), and monitor mode, which
/// prepares no sale, refuses with one line and leaves the cart as it is.
pub(super) fn choose_household(model: &mut Model, household_id: String) {
    let same = model.cart.household.as_deref() == Some(household_id.as_str());
    if same || model.cart.lines.is_empty() {
        take_household(model, household_id);
    } else if model.access.is_monitor() {
        let text = model.cart_kept_in_monitor_text();
        show_cart_household(model);
        model.say(Tone::Bad, text);
    } else if model.cart.household.is_some() {
        model.modal = Some(Modal::Confirm(Question::SwitchHousehold(household_id)));
    } else {
        take_household(model, household_id);
    }
}

/// "Yes" to [`Question::SwitchHousehold`]: the cart is emptied and the new household chosen.
pub(super) fn switch_household(model: &mut Model, household_id: String) {
    model.cart.lines.clear();
    model.cart.selected = 0;
    model.cart.typed_quantity.clear();
    take_household(model, household_id);
}

/// "No" to [`Question::SwitchHousehold`]: the cart and its household stay; the lookup shows
/// them again ([`show_cart_household`]) and the line says whose cart it still is.
pub(super) fn keep_household(model: &mut Model) {
    show_cart_household(model);
    let owner = model.cart_household().map(|h| h.head.to_string());
    let text = match (owner, model.lang) {
        (Some(owner), Lang::Zh) => format!("没有换农户：购物车仍是{owner}的"),
        (Some(owner), Lang::En) => format!("no switch: the cart is still {owner}'s"),
        (None, _) => return,
    };
    model.say(Tone::Info, text);
}

/// The lookup after another household was asked for and not chosen ("no" to the switch, or
/// monitor mode's refusal): what was scanned or typed for it is cleared, so the next keys or
/// scans start afresh instead of being appended to it, and the cart's household is the row
/// highlighted.
fn show_cart_household(model: &mut Model) {
    model.lookup.query.clear();
    model.refresh_lookup();
    let current = model.cart.household.clone();
    let data = &model.data;
    model.lookup.selected = model
        .lookup
        .hits
        .iter()
        .position(|hit| match hit {
            HouseholdHit::Household(i) => data
                .households
                .get(*i)
                .is_some_and(|h| Some(h.household_id) == current.as_deref()),
            HouseholdHit::VoidedCard(_) => false,
        })
        .unwrap_or(0);
}

/// Makes `household_id` the cart's and moves on to the goods.
fn take_household(model: &mut Model, household_id: String) {
    let text = match model.data.household(&household_id) {
        Some(h) => format!(
            "{}{} {}",
            model.t("已选农户：", "household: "),
            h.head,
            h.card_no
        ),
        None => return,
    };
    model.cart.household = Some(household_id);
    model.say(Tone::Good, text);
    model.focus = Focus::Catalog;
}

/// The goods catalog panel.
pub(super) fn catalog(model: &mut Model, action: Action) {
    match action {
        a if is_move(a) => move_selection(&mut model.catalog.selected, model.catalog.hits.len(), a),
        Action::Select => match model.catalog.hits.get(model.catalog.selected).copied() {
            Some(position) => add_goods(model, position),
            None => {
                let text = model.t("没有匹配的商品", "no matching goods").to_string();
                let about = About::Catalog(model.catalog.query.text.clone());
                model.say_about(Tone::Bad, text, about);
            }
        },
        Action::ZoneNext | Action::ZonePrev => {
            let mut options: Vec<Option<Zone>> = vec![None];
            options.extend(model.data.zones().into_iter().map(Some));
            let at = options
                .iter()
                .position(|z| *z == model.catalog.zone)
                .unwrap_or(0);
            let len = options.len();
            let next = if action == Action::ZoneNext {
                (at + 1) % len
            } else {
                (at + len - 1) % len
            };
            model.catalog.zone = options[next];
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        Action::CategoryNext => {
            let mut options: Vec<Option<String>> = vec![None];
            options.extend(model.data.categories.iter().cloned().map(Some));
            let at = options
                .iter()
                .position(|c| *c == model.catalog.category)
                .unwrap_or(0);
            model.catalog.category = options[(at + 1) % options.len()].clone();
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        Action::ClearInput => {
            model.catalog.query.clear();
            model.refresh_catalog();
        }
        _ => {}
    }
}

/// Adds one unit of the goods at `position` to the cart, if the shelf holds it.
pub(super) fn add_goods(model: &mut Model, position: usize) {
    let Some(g) = model.data.goods.get(position) else {
        return;
    };
    let (id, name, stock) = (
        g.goods.goods_id.clone(),
        g.goods.name.clone(),
        g.stock_units,
    );
    let in_cart = model.cart.lines.iter().position(|l| l.goods_id == id);
    let wanted = in_cart.map(|i| model.cart.lines[i].quantity).unwrap_or(0) + 1;
    if stock <= 0 {
        let text = format!(
            "{name}{}",
            model.t(
                " 缺货，不能加入购物车",
                " is out of stock; it cannot be added"
            )
        );
        model.say_about_cart(Tone::Bad, text);
        return;
    }
    if wanted > stock {
        let text = format!(
            "{name}{}{stock}",
            model.t(" 库存只有 ", ": only in stock: ")
        );
        model.say_about_cart(Tone::Bad, text);
        return;
    }
    match in_cart {
        Some(i) => {
            model.cart.lines[i].quantity = wanted;
            model.cart.selected = i;
        }
        None => {
            if model.cart.lines.len() >= CART_LINES_MAX {
                let text = Refusal::CartTooLarge.message(model.lang);
                model.say_about_cart(Tone::Bad, text);
                return;
            }
            model.cart.lines.push(CartLine {
                goods_id: id,
                quantity: 1,
            });
            model.cart.selected = model.cart.lines.len() - 1;
        }
    }
    let text = format!("{}{name} × {wanted}", model.t("已加入：", "added: "));
    model.say(Tone::Good, text);
}

/// The cart panel: quantities, removing lines, emptying, the household's file.
pub(super) fn cart(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let selected = model.cart.selected;
    match action {
        a if is_move(a) => move_selection(&mut model.cart.selected, model.cart.lines.len(), a),
        Action::QtyUp => {
            if let Some(line) = model.cart.lines.get(selected) {
                let quantity = line.quantity + 1;
                set_quantity(model, selected, quantity);
            }
        }
        Action::QtyDown => {
            if let Some(line) = model.cart.lines.get(selected) {
                if line.quantity <= 1 {
                    let text = format!(
                        "{}{}{}",
                        model.t(
                            "数量最少为 1；要删除这一行请按 ",
                            "quantity is at least 1; press "
                        ),
                        model.keys(Context::Cart, Action::RemoveLine, model.t(" 或 ", " or ")),
                        model.t("", " to remove the line"),
                    );
                    model.say_about_cart(Tone::Info, text);
                } else {
                    let quantity = line.quantity - 1;
                    set_quantity(model, selected, quantity);
                }
            }
        }
        Action::Select => set_typed_quantity(model),
        Action::RemoveLine => remove_line(model),
        Action::ClearCart => {
            model.cart.lines.clear();
            model.cart.selected = 0;
            say(model, Tone::Info, "购物车已清空", "cart emptied");
        }
        Action::Details => {
            if let Some(id) = model.cart.household.clone() {
                open_details(model, id, fx);
            }
        }
        _ => {}
    }
}

/// Enter in the cart: the digits typed become the highlighted line's quantity (0 removes it).
fn set_typed_quantity(model: &mut Model) {
    let selected = model.cart.selected;
    let typed = std::mem::take(&mut model.cart.typed_quantity);
    if typed.value().is_empty() {
        let text = model.key_sentence(
            ("先输入数字，再按", "type a number, then "),
            Context::Cart,
            Action::Select,
            ("修改数量", " to set the quantity"),
        );
        model.say(Tone::Info, text);
        return;
    }
    match input::number(&typed.text, Field::Quantity) {
        Ok(0) => remove_line(model),
        Ok(q) if model.cart.lines.get(selected).is_some() => set_quantity(model, selected, q),
        Ok(_) => say(model, Tone::Bad, "购物车是空的", "the cart is empty"),
        Err(e) => {
            // What was typed stays, so it can be corrected.
            let text = e.message(model.lang);
            model.cart.typed_quantity = typed;
            model.say(Tone::Bad, text);
        }
    }
}

fn set_quantity(model: &mut Model, index: usize, quantity: i64) {
    let Some(line) = model.cart.lines.get(index) else {
        return;
    };
    let stock = model
        .data
        .goods_by_id(&line.goods_id)
        .map(|g| g.stock_units)
        .unwrap_or(0);
    if quantity <= 0 || quantity > QUANTITY_MAX {
        let text = Refusal::QuantityNotPositive.message(model.lang);
        model.say_about_cart(Tone::Bad, text);
    } else if quantity > stock {
        let text = Refusal::StockShort {
            goods_id: line.goods_id.clone(),
            stock_units: stock,
            wanted: quantity,
        }
        .message(model.lang);
        model.say_about_cart(Tone::Bad, text);
    } else {
        model.cart.lines[index].quantity = quantity;
        model.status = None;
    }
}

fn remove_line(model: &mut Model) {
    if model.cart.selected < model.cart.lines.len() {
        model.cart.lines.remove(model.cart.selected);
        model.cart.selected = model
            .cart
            .selected
            .min(model.cart.lines.len().saturating_sub(1));
    }
}

/// The checkout popup, once there is a household and something in the cart.
pub(super) fn open_checkout(model: &mut Model) {
    model.screen = Screen::Till;
    if model.cart_household().is_none() {
        let text = model.key_sentence(
            ("请先在左上方查找并选定农户（", "choose a household first ("),
            Context::Global,
            Action::FocusLookup,
            ("）", ")"),
        );
        model.say_about_cart(Tone::Bad, text);
        model.focus = Focus::Lookup;
        return;
    }
    if model.cart.lines.is_empty() {
        let text = Refusal::EmptyCart.message(model.lang);
        model.say_about_cart(Tone::Bad, text);
        model.focus = Focus::Catalog;
        return;
    }
    // The domain already refused this cart (its dry run): say why now, not after the popup. A
    // clock refusal goes on to the commit, whose answer asks the clock question.
    if let CartVerdict::Refused(refusal) = &model.cart.verdict {
        if !refusal.is_clock() {
            let text = refusal.message(model.lang);
            model.say_about_cart(Tone::Bad, text);
            model.focus = Focus::Cart;
            return;
        }
    }
    model.modal = Some(Modal::Checkout {
        proxy: Input::default(),
    });
}

/// The checkout popup: the proxy collector, then one redemption for the domain to decide.
pub(super) fn checkout(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Checkout { proxy }) = &mut model.modal else {
        return;
    };
    match action {
        Action::ClearInput => proxy.clear(),
        Action::Cancel => model.modal = None,
        Action::Confirm => {
            let proxy = input::text(&proxy.text);
            model.modal = None;
            let Some(question) = model.cart.question() else {
                return;
            };
            fx.push(Effect::Commit {
                commands: vec![Command::Redeem {
                    household: HouseholdRef::Id(question.household_id),
                    lines: question.lines,
                    proxy: (!proxy.is_empty()).then_some(proxy),
                }],
                purpose: Purpose::Sale,
            });
        }
        _ => {}
    }
}

/// A sale was recorded: print its receipt (shown once printed), empty the cart and make the
/// till ready for the next household in the queue: no household chosen (the next card or
/// search chooses one, so nothing scanned lands in the last household's cart), a fresh search
/// in the lookup and none left in the catalog.
pub(super) fn committed(model: &mut Model, events: &[Event], fx: &mut Vec<Effect>) {
    let sale = events
        .iter()
        .find(|e| matches!(e.body, EventBody::Redeemed { .. }));
    if let Some(event) = sale {
        fx.push(Effect::PrintReceipt {
            seq: event.seq,
            print: Print::Original,
        });
        let said = format!(
            "{}{}",
            model.t("兑换成功，单号 ", "sale recorded, number "),
            event.seq
        );
        model.say(Tone::Good, said);
    }
    model.cart.lines.clear();
    model.cart.selected = 0;
    model.cart.household = None;
    model.cart.typed_quantity.clear();
    model.catalog.query.clear();
    model.catalog.selected = 0;
    model.refresh_catalog();
    fresh_lookup(model);
}

/// Puts the keyboard in an empty household lookup: a new search, not one appended to the last.
pub(super) fn fresh_lookup(model: &mut Model) {
    model.lookup.query.clear();
    model.lookup.selected = 0;
    model.refresh_lookup();
    model.focus = Focus::Lookup;
}

/// At start the ledger's last event is a sale, which the manager may not have seen (the till
/// was closed, or killed, right after recording it): say it is recorded, and how to print its
/// receipt again — the day log's reprint key, or `aixin receipt reprint` with its number.
pub(super) fn last_sale_on_start(model: &mut Model, sale: &Event, receipt_no: Option<u64>) {
    let points = match &sale.body {
        EventBody::Redeemed { total_points, .. } | EventBody::RedeemedV1 { total_points, .. } => {
            *total_points
        }
        _ => return,
    };
    let day = model.key(Context::Global, Action::OpenDay);
    let reprint = model.key(Context::Day, Action::Reprint);
    let number = receipt_no.map_or_else(|| "N".to_string(), |n| n.to_string());
    let said = match model.lang {
        Lang::Zh => format!(
            "上一笔兑换 #{} 已记账（{points} 分）；补打小票：{day} 当日流水里选中它按 {reprint}，或 aixin receipt reprint {number}",
            sale.seq
        ),
        Lang::En => format!(
            "last sale #{} is recorded ({points} points); to print its receipt again: {day} day log, choose it, {reprint}; or aixin receipt reprint {number}",
            sale.seq
        ),
    };
    model.say(Tone::Info, said);
}

/// A receipt was printed (shown, with where it went) or was not (said why, with the receipt
/// still shown when it could be read: the sale or void is recorded either way, and the F8 log
/// reprints it).
pub(super) fn on_receipt_printed(model: &mut Model, text: String, result: Result<String, String>) {
    let file = match result {
        Ok(path) => {
            // A refusal still on the status line (a reprint asked of a line without a receipt,
            // a printer that failed before) no longer holds once a receipt printed.
            if model.status.as_ref().is_some_and(|s| s.tone == Tone::Bad) {
                model.status = None;
            }
            Some(path)
        }
        Err(message) => {
            model.say(Tone::Bad, message);
            None
        }
    };
    if !text.is_empty() {
        model.modal = Some(Modal::Receipt {
            text,
            file,
            scroll: 0,
        });
    }
}

/// Puts the cart to the domain again when it, its household or the ledger changed since it was
/// last asked; until the answer comes the verdict is unknown.
pub(super) fn recheck_cart(model: &mut Model, ledger_changed: bool, fx: &mut Vec<Effect>) {
    let question = model.cart.question();
    if question == model.cart.asked && !ledger_changed {
        return;
    }
    model.cart.verdict = CartVerdict::Unknown;
    model.cart.asked.clone_from(&question);
    if let Some(question) = question {
        fx.push(Effect::Load(Query::Cart(question)));
    }
}

/// The domain's answer for a cart; kept only while the cart is still the one asked about.
pub(super) fn on_verdict(model: &mut Model, question: CartQuestion, verdict: CartVerdict) {
    if model.cart.asked.as_ref() == Some(&question) {
        model.cart.verdict = verdict;
    }
}

#[cfg(test)]
mod tests;
