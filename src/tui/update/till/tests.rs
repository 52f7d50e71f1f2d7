//! The till screen's keys without a terminal or a ledger: lookup, catalog, cart, checkout and
//! the sale's receipt, and the cart put to the domain whenever it changes.

use crate::domain::event::{Event, EventBody, Zone, GENESIS_HASH};
use crate::domain::{Command, HouseholdRef, Refusal};
use crate::tui::keymap::{KeyName, KeyPress};
use crate::tui::model::{Access, CartVerdict, Focus, Modal};
use crate::tui::msg::{Effect, Loaded, Msg, Purpose, Query};
use crate::tui::testing::*;
use crate::tui::update::update;

#[test]
fn lookup_types_as_you_go_by_initials_pinyin_card_and_phone() {
    let mut m = model(Access::Till);
    assert_eq!(m.lookup.hits.len(), 4, "empty query lists everyone");
    typed(&mut m, "zs");
    assert_eq!(heads(&m), vec!["张三", "张珊珊"]);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "zhangsan");
    assert_eq!(heads(&m)[0], "张三");
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "LJ0004");
    assert_eq!(heads(&m), vec!["王五"]);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "5678");
    assert_eq!(heads(&m), vec!["张珊珊"]);
    named(&mut m, KeyName::Backspace);
    assert_eq!(m.lookup.query.text, "567");
}

#[test]
fn lookup_moves_and_selects_a_household() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Down);
    assert_eq!(m.lookup.selected, 2);
    named(&mut m, KeyName::Up);
    assert_eq!(m.lookup.selected, 1);
    named(&mut m, KeyName::PageDown);
    assert_eq!(m.lookup.selected, 3, "page down stops at the last row");
    named(&mut m, KeyName::PageUp);
    assert_eq!(m.lookup.selected, 0);
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H001", &[])))]);
    assert_eq!(m.cart.household.as_deref(), Some("H001"));
    assert_eq!(
        m.focus,
        Focus::Catalog,
        "choosing a household moves on to the goods"
    );
}

#[test]
fn a_replaced_card_says_so_and_cannot_be_selected() {
    let mut m = model(Access::Till);
    typed(&mut m, "LJ0003");
    assert_eq!(heads(&m)[0], "VOID");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("LJ0003"));
    assert_eq!(m.cart.household, None);
}

#[test]
fn lookup_details_and_clear() {
    let mut m = model(Access::Till);
    let fx = key(&mut m, KeyPress::ctrl('l'));
    assert_eq!(fx, vec![Effect::Load(Query::History("H001".into()))]);
    assert!(matches!(m.modal, Some(Modal::Details { .. })));
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None);
    typed(&mut m, "zs");
    named(&mut m, KeyName::Esc);
    assert!(
        m.lookup.query.text.is_empty(),
        "Esc on the till clears the search"
    );
}

#[test]
fn catalog_adds_goods_and_refuses_what_is_out_of_stock() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    assert_eq!(m.focus, Focus::Catalog);
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.lines.len(), 1);
    typed(&mut m, "mj");
    assert_eq!(m.catalog.hits.len(), 1);
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("毛巾"));
    assert_eq!(m.cart.lines.len(), 1);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "xiyi");
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains('2'), "only 2 in stock");
    assert_eq!(m.cart.lines[1].quantity, 2);
}

#[test]
fn catalog_filters_by_zone_and_category() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Right);
    let first = m.catalog.zone;
    assert!(first.is_some());
    assert!(m
        .catalog
        .hits
        .iter()
        .all(|&i| Some(m.data.goods[i].goods.zone) == first));
    named(&mut m, KeyName::Left);
    assert_eq!(m.catalog.zone, None);
    named(&mut m, KeyName::Left);
    assert_eq!(m.catalog.zone, Some(Zone::Donation));
    assert_eq!(m.catalog.hits.len(), 1);
    named(&mut m, KeyName::Right);
    key(&mut m, KeyPress::ctrl('l'));
    assert_eq!(m.catalog.category.as_deref(), Some("粮油"));
    assert_eq!(m.catalog.hits.len(), 1);
}

#[test]
fn cart_quantities_remove_and_clear() {
    let mut m = model(Access::Till);
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(4));
    key(&mut m, KeyPress::char('+'));
    key(&mut m, KeyPress::char('+'));
    assert_eq!(m.cart.lines[0].quantity, 3);
    key(&mut m, KeyPress::char('-'));
    assert_eq!(m.cart.lines[0].quantity, 2);
    key(&mut m, KeyPress::char('-'));
    key(&mut m, KeyPress::char('-'));
    assert_eq!(m.cart.lines[0].quantity, 1, "never below one");
    typed(&mut m, "12");
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.lines[0].quantity, 12);
    typed(&mut m, "99");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("20"), "stock is 20");
    assert_eq!(m.cart.lines[0].quantity, 12);
    typed(&mut m, "1.5");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("数量“1.5”不是整数"), "1.5 is not 15");
    assert_eq!(m.cart.lines[0].quantity, 12);
    assert_eq!(m.cart.typed_quantity.text, "1.5", "kept, to be corrected");
    named(&mut m, KeyName::Esc);
    assert!(m.cart.typed_quantity.text.is_empty());
    typed(&mut m, "０");
    named(&mut m, KeyName::Enter);
    assert!(m.cart.lines.is_empty(), "a quantity of 0 removes the line");
    named(&mut m, KeyName::F(3));
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(4));
    assert_eq!(m.cart.lines.len(), 2);
    named(&mut m, KeyName::Delete);
    assert_eq!(m.cart.lines.len(), 1);
    key(&mut m, KeyPress::ctrl('x'));
    assert!(m.cart.lines.is_empty());
}

#[test]
fn checkout_needs_a_household_and_goods_then_commits_one_redeem() {
    let mut m = model(Access::Till);
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    bad(&m);
    with_household(&mut m);
    named(&mut m, KeyName::F(5));
    assert!(bad(&m).contains("空"), "empty cart");
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(5));
    assert!(matches!(m.modal, Some(Modal::Checkout { .. })));
    named(&mut m, KeyName::Esc);
    assert_eq!(m.modal, None);
    named(&mut m, KeyName::F(5));
    typed(&mut m, "王书记");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![Command::Redeem {
                household: HouseholdRef::Id("H001".into()),
                lines: vec![("G01".into(), 1)],
                proxy: Some("王书记".into()),
            }],
            purpose: Purpose::Sale,
        }]
    );
}

#[test]
fn checkout_without_proxy_sends_none() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(5));
    typed(&mut m, "x");
    key(&mut m, KeyPress::ctrl('u'));
    let fx = named(&mut m, KeyName::Enter);
    assert!(
        matches!(&fx[..], [Effect::Commit { commands, .. }] if matches!(&commands[0], Command::Redeem { proxy: None, .. }))
    );
}

#[test]
fn a_committed_sale_prints_its_receipt_shows_it_and_empties_the_cart() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    let event = Event {
        station_id: "LJC01".into(),
        seq: 11,
        operator: "管理员".into(),
        time_ms: NOW,
        prev_hash: GENESIS_HASH,
        body: EventBody::Redeemed {
            household_id: "H001".into(),
            card_no: "LJ0001".into(),
            lines: vec![crate::domain::SaleLine {
                goods_id: "G01".into(),
                quantity: 1,
                price_points: 30,
            }],
            total_points: 30,
            proxy: Some("王书记".into()),
            takes: vec![],
            credit: vec![],
        },
    };
    let fx = update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Sale,
            result: Ok(vec![event]),
        },
    );
    assert!(m.cart.lines.is_empty());
    assert_eq!(
        fx[0],
        Effect::PrintReceipt {
            seq: 11,
            print: crate::receipt::Print::Original
        }
    );
    update(
        &mut m,
        Msg::ReceiptPrinted {
            text: "李家村爱心超市\n代领人：王书记\n".into(),
            result: Ok("/r/2026-11-21-R000001.txt".into()),
        },
    );
    assert!(matches!(
        &m.modal,
        Some(Modal::Receipt { text, file: Some(_), .. }) if text.contains("王书记")
    ));
    // A printer that fails: the receipt is still shown, and the status says why.
    m.modal = None;
    update(
        &mut m,
        Msg::ReceiptPrinted {
            text: "李家村爱心超市\n".into(),
            result: Err("打印机没有接上".into()),
        },
    );
    assert!(matches!(&m.modal, Some(Modal::Receipt { file: None, .. })));
    assert_eq!(bad(&m), "打印机没有接上");
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Sale,
            result: Err("积分不足".into()),
        },
    );
    assert_eq!(bad(&m), "积分不足");
}

#[test]
fn a_changed_cart_is_put_to_the_domain_and_only_its_latest_answer_kept() {
    let mut m = model(Access::Till);
    assert!(
        named(&mut m, KeyName::Down).is_empty(),
        "no household, nothing to ask"
    );
    named(&mut m, KeyName::Up);
    with_household(&mut m);
    let fx = named(&mut m, KeyName::Enter);
    let asked = cart_of("H001", &[("G01", 1)]);
    assert_eq!(fx, vec![Effect::Load(Query::Cart(asked.clone()))]);
    assert_eq!(m.cart.verdict, CartVerdict::Unknown);
    let fx = named(&mut m, KeyName::Down);
    assert!(fx.is_empty(), "moving in the catalog changes no cart");
    let refused = CartVerdict::Refused(Refusal::BalanceShort {
        balance_points: 20,
        wanted: 30,
    });
    update(
        &mut m,
        Msg::Loaded(Loaded::Cart {
            question: cart_of("H001", &[]),
            verdict: CartVerdict::Accepted { total_points: 0 },
        }),
    );
    assert_eq!(
        m.cart.verdict,
        CartVerdict::Unknown,
        "an answer about an older cart is dropped"
    );
    update(
        &mut m,
        Msg::Loaded(Loaded::Cart {
            question: asked,
            verdict: refused.clone(),
        }),
    );
    assert_eq!(m.cart.verdict, refused);
    // Checking out a cart the domain refused says why at once; no popup to say yes to.
    named(&mut m, KeyName::F(5));
    assert_eq!(m.modal, None);
    assert!(bad(&m).contains("积分不足"), "{}", bad(&m));
    let fx = update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Receive,
            result: Ok(vec![]),
        },
    );
    assert!(
        fx.contains(&Effect::Load(Query::Cart(cart_of("H001", &[("G01", 1)])))),
        "a commit may change stock or balance: the cart is asked again"
    );
}

#[test]
fn after_a_sale_the_next_households_card_starts_its_own_cart() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    typed(&mut m, "米");
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 1)])));
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Sale,
            result: Ok(vec![sale_event(11, "H001", "G01")]),
        },
    );
    assert_eq!(
        m.cart.household, None,
        "the last household is not kept chosen"
    );
    assert_eq!(
        (m.focus, m.lookup.query.text.as_str()),
        (Focus::Lookup, ""),
        "ready for the next card or search"
    );
    assert_eq!(
        m.catalog.query.text, "",
        "the last household's goods search is gone"
    );
    // The next household's card, scanned in the catalog, chooses it; its goods go to its cart.
    named(&mut m, KeyName::F(3));
    typed(&mut m, "jyw");
    scan(&mut m, "LJ0002", 3);
    assert_eq!(m.cart.household.as_deref(), Some("H002"));
    assert_eq!(m.modal, None, "the emptied cart asks nothing");
    scan(&mut m, "6901234567915", 3);
    assert_eq!(m.cart.question(), Some(cart_of("H002", &[("G02", 1)])));
}

#[test]
fn the_lookup_key_starts_a_fresh_search() {
    let mut m = model(Access::Till);
    typed(&mut m, "LJ0002");
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.household.as_deref(), Some("H002"));
    for (lookup, card, id) in [
        (KeyPress::plain(KeyName::F(2)), "LJ0004", "H004"),
        (KeyPress::ctrl('f'), "LJ0001", "H001"),
    ] {
        key(&mut m, lookup);
        assert_eq!(m.focus, Focus::Lookup);
        assert_eq!(m.lookup.query.text, "", "{lookup}");
        typed(&mut m, card);
        named(&mut m, KeyName::Enter);
        assert_eq!(m.cart.household.as_deref(), Some(id), "{:?}", m.status);
    }
}

/// 张三's cart with two bags of rice, and the lookup typed for 李四.
fn zhang_cart_then_lookup_li() -> crate::tui::model::Model {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::Enter);
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
    named(&mut m, KeyName::F(2));
    typed(&mut m, "ls");
    assert_eq!(heads(&m)[0], "李四");
    m
}

/// A cart belongs to the household it was filled for: Enter on another household in the
/// lookup asks first; "no" keeps the household and its cart, "yes" empties it and switches.
#[test]
fn enter_on_another_household_over_a_filled_cart_asks_first() {
    use crate::tui::model::Question;
    let mut m = zhang_cart_then_lookup_li();
    let fx = named(&mut m, KeyName::Enter);
    assert!(fx.is_empty(), "nothing is asked of the domain: {fx:?}");
    assert_eq!(
        m.modal,
        Some(Modal::Confirm(Question::SwitchHousehold("H003".into())))
    );
    assert_eq!(
        m.switch_household_text("H003"),
        "购物车里还有张三的 2 件商品：清空购物车，换成 李四 吗？"
    );
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
    // No: nothing changes.
    let fx = named(&mut m, KeyName::Esc);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(m.modal, None);
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
    assert!(m.status.as_ref().is_some_and(|s| s.text.contains("张三")));
    assert_eq!(
        m.lookup.query.text, "",
        "what was typed for 李四 is cleared"
    );
    assert_eq!(heads(&m)[m.lookup.selected], "张三", "the cart's household");
    // Yes: the cart is emptied and 李四 chosen, with an empty cart put to the domain.
    typed(&mut m, "ls");
    named(&mut m, KeyName::Enter);
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(m.modal, None);
    assert_eq!(m.cart.question(), Some(cart_of("H003", &[])));
    assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H003", &[])))]);
    assert!(good(&m).contains("李四"));
    assert_eq!(m.focus, Focus::Catalog);
}

/// The question in English, and "n" answers no like Esc.
#[test]
fn the_switch_question_reads_in_english_and_n_says_no() {
    let mut m = zhang_cart_then_lookup_li();
    m.lang = crate::i18n::Lang::En;
    named(&mut m, KeyName::Enter);
    assert_eq!(
        m.switch_household_text("H003"),
        "the cart still holds 2 items for 张三: empty it and switch to 李四?"
    );
    key(&mut m, KeyPress::char('n'));
    assert_eq!(m.modal, None);
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
    assert_eq!(
        m.status.as_ref().map(|s| s.text.as_str()),
        Some("no switch: the cart is still 张三's")
    );
}

/// The same household again is no switch: no question, and the cart stays as it is.
#[test]
fn choosing_the_carts_own_household_again_asks_nothing() {
    let mut m = zhang_cart_then_lookup_li();
    named(&mut m, KeyName::F(2));
    typed(&mut m, "zs");
    let fx = named(&mut m, KeyName::Enter);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(m.modal, None);
    assert_eq!(m.cart.question(), Some(cart_of("H001", &[("G01", 2)])));
    assert!(good(&m).contains("张三"));
}

/// An empty cart goes to the next household at once, without a question.
#[test]
fn an_empty_cart_switches_households_at_once() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(4));
    key(&mut m, KeyPress::ctrl('x'));
    assert!(m.cart.lines.is_empty(), "{:?}", m.status);
    named(&mut m, KeyName::F(2));
    typed(&mut m, "ls");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(m.modal, None);
    assert_eq!(fx, vec![Effect::Load(Query::Cart(cart_of("H003", &[])))]);
}

/// The trial: 85 points of goods against 75 available, F5 refused it in the status line;
/// Del removed a line and the cart panel said "可以结账" while the status line still said
/// "积分不足". A refusal about the cart goes as soon as the cart changes, in both languages;
/// a sentence not about the cart (a household chosen) stays while the cart changes.
#[test]
fn a_refusal_about_the_cart_goes_when_the_cart_changes() {
    for lang in [crate::i18n::Lang::Zh, crate::i18n::Lang::En] {
        let mut m = model(Access::Till);
        m.lang = lang;
        with_household(&mut m);
        named(&mut m, KeyName::Enter);
        named(&mut m, KeyName::Down);
        named(&mut m, KeyName::Enter);
        let asked = m.cart.question().expect("a household is chosen");
        assert_eq!(asked.lines.len(), 2, "{:?}", m.status);
        update(
            &mut m,
            Msg::Loaded(Loaded::Cart {
                question: asked,
                verdict: CartVerdict::Refused(Refusal::BalanceShort {
                    balance_points: 75,
                    wanted: 85,
                }),
            }),
        );
        named(&mut m, KeyName::F(5));
        assert_eq!(m.modal, None);
        assert!(bad(&m).contains("75"), "{lang:?}: {}", bad(&m));
        assert_eq!(m.focus, Focus::Cart);
        // Moving in the cart changes nothing: the refusal still holds.
        named(&mut m, KeyName::Up);
        assert!(bad(&m).contains("75"), "{lang:?}");
        named(&mut m, KeyName::Delete);
        assert_eq!(m.cart.lines.len(), 1);
        assert_eq!(m.status, None, "{lang:?}: the refusal no longer holds");
        // So does a stock limit once the line it was about goes.
        typed(&mut m, "999");
        named(&mut m, KeyName::Enter);
        assert!(!bad(&m).is_empty(), "{lang:?}: more than the shelf holds");
        named(&mut m, KeyName::Delete);
        assert!(m.cart.lines.is_empty());
        assert_eq!(m.status, None, "{lang:?}: {:?}", m.status);
        // A sentence that is not about the cart stays while the cart changes.
        named(&mut m, KeyName::F(3));
        named(&mut m, KeyName::Enter);
        assert!(!good(&m).is_empty(), "{lang:?}: added");
    }
}

/// "No household found" and "no matching goods" are about the search as typed: typing again
/// (a letter more, Backspace) makes them no longer hold, and they go.
#[test]
fn a_search_refusal_goes_when_the_search_is_typed_again() {
    let mut m = model(Access::Till);
    typed(&mut m, "qqq");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("没有找到农户"), "{}", bad(&m));
    named(&mut m, KeyName::Backspace);
    assert_eq!(m.status, None);
    key(&mut m, KeyPress::ctrl('u'));
    with_household(&mut m);
    named(&mut m, KeyName::F(3));
    typed(&mut m, "qqq");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("没有匹配的商品"), "{}", bad(&m));
    named(&mut m, KeyName::Down);
    assert!(
        bad(&m).contains("没有匹配的商品"),
        "moving changes no search"
    );
    named(&mut m, KeyName::Backspace);
    assert_eq!(m.status, None);
}
