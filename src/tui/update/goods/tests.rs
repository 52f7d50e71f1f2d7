//! The goods screen's actions and refusals on the model alone: a new item is one `AddGoods`
//! (the domain refuses a held id), a change one `DefineGoods`, a reminder is one `SetLowStock`; what cannot be read is refused, nothing sent.

use super::*;
use crate::domain::event::Goods;
use crate::domain::Command;
use crate::tui::keymap::{KeyName, KeyPress};
use crate::tui::model::Access;
use crate::tui::msg::Purpose;
use crate::tui::testing::*;

fn on_screen() -> Model {
    let mut m = model(Access::Till);
    key(
        &mut m,
        KeyPress {
            alt: true,
            ..KeyPress::char('g')
        },
    );
    assert_eq!(m.screen, Screen::Goods);
    m
}

fn commit(fx: &[Effect]) -> Option<(Vec<Command>, Purpose)> {
    fx.iter().find_map(|e| match e {
        Effect::Commit { commands, purpose } => Some((commands.clone(), *purpose)),
        _ => None,
    })
}

#[test]
fn a_new_item_gets_the_next_id_and_is_one_definition() {
    let mut m = on_screen();
    assert_eq!(next_goods_id(&m), "G05");
    named(&mut m, KeyName::F(5));
    let Some(Modal::Form(form)) = &m.modal else {
        panic!("the form opens");
    };
    assert_eq!(form.text(Field::GoodsId), "G05");
    assert_eq!(form.at, 1, "the name has the keyboard");
    typed(&mut m, "食用盐");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "袋");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "６９０１２３４５６７０００");
    named(&mut m, KeyName::Tab);
    typed(&mut m, "2");
    named(&mut m, KeyName::Tab);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "2分");
    let fx = named(&mut m, KeyName::F(5));
    assert_eq!(
        commit(&fx),
        Some((
            vec![Command::AddGoods {
                goods: Goods {
                    goods_id: "G05".into(),
                    name: "食用盐".into(),
                    unit: "袋".into(),
                    barcode: "6901234567000".into(),
                    price_points: 2,
                    zone: Zone::Points(2),
                    category: String::new(),
                    supplier: String::new(),
                }
            }],
            Purpose::Goods
        ))
    );
}

/// The zone left empty is the price's own zone: a 10-point item in the 10-point zone (the new
/// user's case: a prefilled 2 put a 10-point item into the 2-point zone).
#[test]
fn a_zone_left_empty_is_the_price_zone() {
    let mut m = on_screen();
    named(&mut m, KeyName::F(5));
    typed(&mut m, "大米");
    for _ in 0..3 {
        named(&mut m, KeyName::Tab);
    }
    typed(&mut m, "１０");
    let fx = named(&mut m, KeyName::F(5));
    let zone = commit(&fx).and_then(|(commands, _)| match commands.first() {
        Some(Command::AddGoods { goods }) => Some(goods.zone),
        _ => None,
    });
    assert_eq!(zone, Some(Zone::Points(10)));
}

#[test]
fn a_price_that_is_not_a_whole_number_is_refused() {
    let mut m = on_screen();
    named(&mut m, KeyName::Enter);
    let Some(Modal::Form(form)) = &mut m.modal else {
        panic!("the change form opens");
    };
    assert!(matches!(&form.kind, FormKind::EditGoods { goods } if goods.goods_id == "G01"));
    form.at = 3;
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "2.5");
    let fx = named(&mut m, KeyName::F(5));
    assert!(fx.is_empty());
    assert!(bad(&m).contains("不是整数"), "{}", bad(&m));
}

#[test]
fn a_low_stock_reminder_is_one_command() {
    let mut m = on_screen();
    named(&mut m, KeyName::Down);
    named(&mut m, KeyName::F(7));
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "5");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        commit(&fx),
        Some((
            vec![Command::SetLowStock {
                goods_id: "G02".into(),
                units: 5
            }],
            Purpose::Goods
        ))
    );
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "五");
    assert!(named(&mut m, KeyName::Enter).is_empty());
    assert!(bad(&m).contains("数量"));
}

#[test]
fn low_items_are_marked_by_the_domains_rule() {
    let mut m = on_screen();
    if let Some(g) = m.data.goods.get_mut(1) {
        g.low_stock_units = 5;
    }
    assert!(m.data.goods[1].is_low(), "2 on the shelf, reminder below 5");
    assert!(!m.data.goods[0].is_low());
}

#[test]
fn the_stocktake_opens_from_the_goods() {
    let mut m = on_screen();
    named(&mut m, KeyName::F(8));
    assert_eq!(m.screen, Screen::Stocktake);
}
