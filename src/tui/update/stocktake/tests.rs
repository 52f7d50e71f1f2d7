//! The stocktake on the model alone: counts typed item by item, the differences put to the
//! domain and listed for confirmation, then one batch of `AdjustStock` with the reason; a count
//! that is not a number, or no count at all, sends nothing.

use super::*;
use crate::domain::stock::Difference;
use crate::domain::Command;
use crate::tui::keymap::Action;
use crate::tui::keymap::{KeyName, KeyPress};
use crate::tui::model::{Access, Leave, Question, Screen};
use crate::tui::msg::{Loaded, Msg, Purpose, Query};
use crate::tui::testing::*;
use crate::tui::update::update;

fn on_screen() -> Model {
    let mut m = model(Access::Till);
    key(
        &mut m,
        KeyPress {
            alt: true,
            ..KeyPress::char('g')
        },
    );
    named(&mut m, KeyName::F(8));
    assert_eq!(m.screen, Screen::Stocktake);
    m
}

#[test]
fn counted_differences_are_confirmed_then_recorded_in_one_batch() {
    let mut m = on_screen();
    typed(&mut m, "18");
    named(&mut m, KeyName::Enter);
    typed(&mut m, "2");
    named(&mut m, KeyName::Down);
    typed(&mut m, "１");
    let fx = named(&mut m, KeyName::F(5));
    assert!(fx.is_empty());
    let Some(Modal::Form(form)) = &m.modal else {
        panic!("the confirmation lists the differences: {:?}", m.status);
    };
    let FormKind::Stocktake { differences } = &form.kind else {
        panic!("a stocktake form");
    };
    assert_eq!(
        differences,
        &vec![
            Difference {
                goods_id: "G01".into(),
                stock_units: 20,
                counted_units: 18
            },
            Difference {
                goods_id: "G03".into(),
                stock_units: 0,
                counted_units: 1
            },
        ],
        "the soap counted as it stands is left out"
    );
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "月末盘点");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Commit {
            commands: vec![
                Command::AdjustStock {
                    goods_id: "G01".into(),
                    delta: -2,
                    reason: "月末盘点".into()
                },
                Command::AdjustStock {
                    goods_id: "G03".into(),
                    delta: 1,
                    reason: "月末盘点".into()
                },
            ],
            purpose: Purpose::Stocktake
        }]
    );
    update(
        &mut m,
        Msg::Committed {
            purpose: Purpose::Stocktake,
            result: Ok(vec![]),
        },
    );
    assert!(m.stocktake.counts.is_empty());
    assert_eq!(m.modal, None);
}

#[test]
fn a_count_that_is_not_a_number_or_no_count_sends_nothing() {
    let mut m = on_screen();
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Info));
    typed(&mut m, "1.5");
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert!(bad(&m).contains("不是整数"), "{}", bad(&m));
    assert_eq!(m.modal, None);
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "-3");
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert!(bad(&m).contains("不能小于 0"), "{}", bad(&m));
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "20");
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert_eq!(m.status.as_ref().map(|s| s.tone), Some(Tone::Good));
}

#[test]
fn a_count_sheet_fills_the_counts_for_review() {
    let mut m = on_screen();
    let fx = named(&mut m, KeyName::F(8));
    assert_eq!(
        fx,
        vec![Effect::Load(Query::SheetFiles("/media/usb".into()))]
    );
    key(&mut m, KeyPress::ctrl('u'));
    typed(&mut m, "/media/usb/盘点.xlsx");
    let fx = named(&mut m, KeyName::Enter);
    assert_eq!(
        fx,
        vec![Effect::Load(Query::CountSheet(
            "/media/usb/盘点.xlsx".into()
        ))]
    );
    update(
        &mut m,
        Msg::Loaded(Loaded::Counts {
            file: "盘点.xlsx".into(),
            counts: vec![("G01".into(), 19), ("G04".into(), 12)],
            problems: vec!["盘点.xlsx 第 5 行：没有编号为 G99 的商品".into()],
        }),
    );
    assert_eq!(
        m.stocktake.counts.get("G01").map(|c| c.text.as_str()),
        Some("19")
    );
    assert!(bad(&m).contains("1 行不能用"));
    assert_eq!(m.stocktake.sheet_problems.len(), 1);
}

#[test]
fn leaving_typed_counts_asks_first_and_yes_leaves_them() {
    let mut m = on_screen();
    typed(&mut m, "7");
    let fx = named(&mut m, KeyName::Esc);
    assert!(fx.is_empty());
    assert!(matches!(
        m.modal,
        Some(Modal::Confirm(Question::Discard(Leave::Screen(
            Action::Back
        ))))
    ));
    key(&mut m, KeyPress::char('n'));
    assert_eq!(m.screen, Screen::Stocktake);
    assert_eq!(m.stocktake.counts.len(), 1, "no: the counts stay");
    named(&mut m, KeyName::F(10));
    assert!(matches!(
        m.modal,
        Some(Modal::Confirm(Question::Discard(Leave::Quit(None))))
    ));
    key(&mut m, KeyPress::char('n'));
    named(&mut m, KeyName::F(2));
    key(&mut m, KeyPress::char('y'));
    assert_eq!(m.screen, Screen::Till);
    assert!(
        m.stocktake.counts.is_empty(),
        "yes: the counts are left behind"
    );
}
