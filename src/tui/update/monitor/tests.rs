//! Monitor mode's promise: every action that writes is refused with the one message, in every
//! screen, panel and popup, whichever key is pressed; switching back writes again.

use super::*;
use crate::tui::keymap::{KeyName, KeyPress, Keymap};
use crate::tui::model::{
    CartLine, Focus, Input, Modal, Question, ReceiveField, Screen, SourceKind,
};
use crate::tui::testing::*;

#[test]
fn monitor_mode_toggles_and_makes_every_write_inert() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Monitor);
    assert!(named(&mut m, KeyName::F(5)).is_empty());
    assert_eq!(m.modal, None);
    assert!(bad(&m).contains("监督"));
    named(&mut m, KeyName::F(6));
    assert_eq!(m.screen, Screen::Till, "receive stock does not open");
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Till);
    named(&mut m, KeyName::F(5));
    assert!(matches!(m.modal, Some(Modal::Checkout { .. })));
}

#[test]
fn a_read_only_monitor_cannot_switch_back() {
    let mut m = model(Access::ReadOnly);
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::ReadOnly);
    bad(&m);
}

/// Every bound key in every screen, popup and panel, pressed in monitor mode: no write effect.
#[test]
fn no_key_anywhere_writes_in_monitor_mode() {
    for access in [Access::Monitor, Access::ReadOnly] {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        let keys: Vec<KeyPress> = Context::ALL
            .iter()
            .flat_map(|c| keymap.bindings(*c).iter().map(|b| b.key))
            .collect();
        let screens = [
            Screen::Till,
            Screen::Receive,
            Screen::Scores,
            Screen::Awards,
            Screen::Day,
            Screen::Void,
            Screen::Board,
            Screen::Setup,
            Screen::Sync,
            Screen::Login,
        ];
        let modals = [
            None,
            Some(Modal::Checkout {
                proxy: Default::default(),
            }),
            Some(Modal::Confirm(Question::CloseDay(1))),
            Some(Modal::Confirm(Question::CommitScores)),
            Some(Modal::Confirm(Question::ConfirmAwards(vec![3]))),
            Some(Modal::Reason {
                sale_seq: 5,
                reason: Input::with("错了"),
            }),
            Some(Modal::Passphrase {
                passphrase: Input::with("a long passphrase"),
                again: Input::with("a long passphrase"),
                field: crate::tui::model::PassphraseField::Again,
            }),
        ];
        let mut keys = keys;
        keys.sort();
        keys.dedup();
        let mut base = model(access);
        base.cart.household = Some("H001".into());
        base.cart.lines.push(CartLine {
            goods_id: "G01".into(),
            quantity: 1,
        });
        base.scores.period = "2026-10".into();
        base.scores.entries.insert("H001".into(), Input::with("90"));
        base.receive.goods_id = Some("G01".into());
        base.receive.quantity = Input::with("3");
        base.receive.party = Input::with("县农商银行");
        base.sales.sales.push(sale(5, false));
        base.awards.pending.push(award(20, "H004", NOW - 11 * DAY));
        base.awards.marked.insert(20);
        for screen in screens {
            let focuses: &[Focus] = if screen == Screen::Till {
                &[Focus::Lookup, Focus::Catalog, Focus::Cart]
            } else {
                &[Focus::Lookup]
            };
            for focus in focuses {
                for modal in &modals {
                    for k in &keys {
                        let mut m = base.clone();
                        m.screen = screen;
                        m.focus = *focus;
                        m.modal = modal.clone();
                        for _ in 0..2 {
                            let fx = key(&mut m, *k);
                            assert!(
                                fx.iter().all(|e| !e.writes()),
                                "{access:?} {screen:?} {focus:?} {modal:?} {k}: {fx:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}

/// A copy of `base` with `context` taking the keys: its screen, panel or popup.
fn in_context(base: &Model, context: Context) -> Model {
    let mut m = base.clone();
    m.screen = Screen::Till;
    m.focus = Focus::Lookup;
    m.modal = None;
    match context {
        Context::Global | Context::Lookup => {}
        Context::Catalog => m.focus = Focus::Catalog,
        Context::Cart => m.focus = Focus::Cart,
        Context::Checkout => {
            m.modal = Some(Modal::Checkout {
                proxy: Input::default(),
            })
        }
        Context::Confirm => m.modal = Some(Modal::Confirm(Question::CloseDay(1))),
        Context::Reason => {
            m.modal = Some(Modal::Reason {
                sale_seq: 5,
                reason: Input::with("错了"),
            })
        }
        Context::Popup => m.modal = Some(Modal::Help { scroll: 0 }),
        Context::Receive => {
            m.screen = Screen::Receive;
            m.receive.source = SourceKind::Donation;
            m.receive.field = ReceiveField::Party;
        }
        Context::Scores => m.screen = Screen::Scores,
        Context::Awards => m.screen = Screen::Awards,
        Context::Day => m.screen = Screen::Day,
        Context::Void => m.screen = Screen::Void,
        Context::Board => m.screen = Screen::Board,
        Context::Setup => m.screen = Screen::Setup,
        Context::Sync => m.screen = Screen::Sync,
        Context::Login => m.screen = Screen::Login,
        Context::Secret => {
            m.modal = Some(Modal::Unlock {
                selected: 0,
                pin: Input::with("1234"),
            })
        }
    }
    m
}

/// The one table pinned, and each of its actions pressed by its own key in monitor mode: no
/// effect, the one message; the same key in the till is not refused that way.
#[test]
fn every_write_action_is_refused_in_monitor_mode_with_one_message() {
    use Action as A;
    use Context as C;
    let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut base = model(Access::Till);
    base.cart.household = Some("H001".into());
    base.cart.lines.push(CartLine {
        goods_id: "G01".into(),
        quantity: 1,
    });
    base.sales.sales.push(sale(5, false));
    base.awards.pending.push(award(20, "H004", NOW - 11 * DAY));
    base.awards.marked.insert(20);
    base.cart.asked = base.cart.question();
    let mut found = Vec::new();
    for context in Context::ALL {
        for action in Action::ALL {
            if action.allowed_in(*context) && in_context(&base, *context).writes(*context, *action)
            {
                found.push((*context, *action));
            }
        }
    }
    let expected = vec![
        (C::Global, A::Checkout),
        (C::Global, A::OpenReceive),
        (C::Global, A::OpenScores),
        (C::Global, A::OpenVoid),
        (C::Checkout, A::Confirm),
        (C::Confirm, A::Confirm),
        (C::Reason, A::Confirm),
        (C::Receive, A::Select),
        (C::Receive, A::Submit),
        (C::Scores, A::Submit),
        (C::Awards, A::Submit),
        (C::Day, A::CloseDay),
        (C::Day, A::CloseYear),
        (C::Day, A::Reprint),
        (C::Void, A::Select),
        (C::Setup, A::Submit),
        (C::Sync, A::Export),
        (C::Sync, A::Import),
        (C::Sync, A::Backup),
        (C::Login, A::Submit),
    ];
    assert!(
        !in_context(&base, C::Secret).writes(C::Secret, A::Confirm),
        "a manager's PIN to leave monitor mode writes nothing"
    );
    assert_eq!(found, expected);
    let message = "监督模式：只能查看，按 F9 回到收银";
    for (context, action) in expected {
        let key = keymap
            .key_for(context, action)
            .unwrap_or_else(|| panic!("{context:?} {action:?} has no key"));
        let mut m = in_context(&base, context);
        m.access = Access::Monitor;
        m.status = None;
        let fx = super::super::update(&mut m, crate::tui::msg::Msg::Key { key, at_ms: 0 });
        assert!(fx.is_empty(), "{context:?} {action:?}: {fx:?}");
        assert_eq!(bad(&m), message, "{context:?} {action:?}");
        let mut m = in_context(&base, context);
        m.status = None;
        super::super::update(&mut m, crate::tui::msg::Msg::Key { key, at_ms: 0 });
        assert_ne!(
            m.status.map(|s| s.text).as_deref(),
            Some(message),
            "{context:?} {action:?} is not refused in the till"
        );
    }
    let mut m = in_context(&base, Context::Global);
    m.access = Access::ReadOnly;
    key(&mut m, KeyPress::plain(KeyName::F(5)));
    assert_eq!(bad(&m), "监督模式（只读打开）：不能修改账本");
}
