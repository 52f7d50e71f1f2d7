//! Monitor mode's promise: every action that writes is refused with the one message, in every
//! screen, panel and popup, whichever key is pressed; switching back writes again.

use super::*;
use crate::domain::input::Field;
use crate::tui::keymap::{KeyName, KeyPress, Keymap};
use crate::tui::model::{
    CartLine, Focus, Form, FormField, FormKind, Input, Modal, Question, ReceiveField, Screen,
    SheetPicker, SheetPreview, SheetPurpose, SourceKind,
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
            Screen::Households,
            Screen::Goods,
            Screen::Stocktake,
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
            Some(Modal::Form(Box::new(household_form()))),
            Some(Modal::Preview(Box::new(preview()))),
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
        base.stocktake.counts.insert("G01".into(), Input::with("7"));
        base.sync.key_line = Input::with("aixin-pub1:T01:00:age1");
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
        Context::Stats => m.screen = Screen::Stats,
        Context::Households => m.screen = Screen::Households,
        Context::Goods => m.screen = Screen::Goods,
        Context::Stocktake => {
            m.screen = Screen::Stocktake;
            m.stocktake.counts.insert("G01".into(), Input::with("7"));
        }
        Context::Form => {
            let mut form = household_form();
            form.at = form.fields.len() - 1;
            m.modal = Some(Modal::Form(Box::new(form)));
        }
        Context::Sheet => {
            m.modal = Some(Modal::Sheet(Box::new(SheetPicker {
                purpose: SheetPurpose::Households,
                folder: "/media/usb".into(),
                files: vec!["/media/usb/农户.xlsx".into()],
                selected: 0,
                path: Input::default(),
                note: None,
            })))
        }
        Context::Preview => m.modal = Some(Modal::Preview(Box::new(preview()))),
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

/// A registration form, filled.
fn household_form() -> Form {
    let mut form = Form::new(
        FormKind::RegisterHousehold,
        vec![
            FormField::text(Field::HouseholdId, "H009"),
            FormField::text(Field::CardNo, "LJ0009"),
            FormField::text(Field::Head, "周九"),
        ],
    );
    form.fields
        .push(FormField::flag(Field::RegisteredPoor, true));
    form
}

/// A sheet's preview with one household to add.
fn preview() -> SheetPreview {
    SheetPreview {
        file: "/media/usb/农户.xlsx".into(),
        new: vec![(
            2,
            crate::domain::Command::RegisterHousehold {
                household: crate::domain::Household {
                    household_id: "H009".into(),
                    card_no: "LJ0009".into(),
                    head: "周九".into(),
                    members: vec![],
                    group: String::new(),
                    phone: String::new(),
                    registered_poor: false,
                },
            },
        )],
        unchanged: 0,
        refused: vec![],
        more_refused: 0,
        scroll: 0,
    }
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
        (C::Catalog, A::Select),
        (C::Cart, A::Select),
        (C::Cart, A::QtyUp),
        (C::Cart, A::QtyDown),
        (C::Cart, A::RemoveLine),
        (C::Cart, A::ClearCart),
        (C::Checkout, A::Confirm),
        (C::Confirm, A::Confirm),
        (C::Reason, A::Confirm),
        (C::Receive, A::Select),
        (C::Receive, A::Submit),
        (C::Receive, A::New),
        (C::Scores, A::Submit),
        (C::Awards, A::Submit),
        (C::Awards, A::Revoke),
        (C::Awards, A::Correct),
        (C::Day, A::CloseDay),
        (C::Day, A::CloseYear),
        (C::Day, A::Reprint),
        (C::Void, A::Select),
        (C::Setup, A::Submit),
        (C::Sync, A::Export),
        (C::Sync, A::Import),
        (C::Sync, A::Enroll),
        (C::Sync, A::Backup),
        (C::Households, A::New),
        (C::Households, A::Edit),
        (C::Households, A::ReissueCard),
        (C::Households, A::ImportSheet),
        (C::Goods, A::New),
        (C::Goods, A::Edit),
        (C::Goods, A::LowStock),
        (C::Goods, A::Stocktake),
        (C::Stocktake, A::Submit),
        (C::Stocktake, A::ImportSheet),
        (C::Form, A::Select),
        (C::Form, A::Submit),
        (C::Preview, A::Confirm),
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

#[test]
fn in_monitor_mode_the_cart_stays_as_it_was_whatever_is_scanned_or_pressed() {
    let mut m = model(Access::Till);
    with_household(&mut m);
    named(&mut m, KeyName::Enter);
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Monitor);
    let cart = m.cart.lines.clone();
    scan(&mut m, "6901234567915", 3);
    assert!(bad(&m).contains("监督模式：只能查看"), "{}", bad(&m));
    assert_eq!(m.cart.lines, cart, "a scanned item fills no cart");
    named(&mut m, KeyName::F(3));
    let tries: Vec<(Focus, KeyPress)> = vec![
        (Focus::Catalog, KeyPress::plain(KeyName::Enter)),
        (Focus::Cart, KeyPress::char('+')),
        (Focus::Cart, KeyPress::char('-')),
        (Focus::Cart, KeyPress::plain(KeyName::Delete)),
        (Focus::Cart, KeyPress::ctrl('x')),
    ];
    for (focus, k) in tries {
        m.focus = focus;
        m.status = None;
        key(&mut m, k);
        assert!(bad(&m).contains("监督模式：只能查看"), "{k}");
        assert_eq!(m.cart.lines, cart, "{k}");
    }
    typed(&mut m, "3");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("监督模式"));
    assert_eq!(m.cart.lines, cart, "a typed quantity is not set");
    // Choosing another household would hand it this cart: refused, the cart still 张三's.
    named(&mut m, KeyName::F(2));
    typed(&mut m, "ww");
    named(&mut m, KeyName::Enter);
    assert!(bad(&m).contains("张三"), "{}", bad(&m));
    assert_eq!(m.cart.household.as_deref(), Some("H001"));
    assert_eq!(m.cart.lines, cart);
    // Back at the till, the cart fills again.
    named(&mut m, KeyName::F(9));
    scan(&mut m, "6901234567915", 3);
    assert_eq!(m.cart.lines.len(), cart.len() + 1);
}

/// The field trial in monitor mode: 王五's rice in the cart, and the monitor scans 张三's card
/// or picks him in the lookup. Refused in one line naming 王五 and the way back; the cart and
/// its household stay. His own household again is no switch; back at the till, it asks.
#[test]
fn a_monitor_cannot_move_a_cart_to_another_household() {
    let mut m = model(Access::Till);
    scan(&mut m, "LJ0004", 3);
    scan(&mut m, "6901234567892", 3);
    let wang = Some(cart_of("H004", &[("G01", 1)]));
    assert_eq!(m.cart.question(), wang);
    named(&mut m, KeyName::F(9));
    let fx = scan(&mut m, "LJ0001", 3);
    assert!(fx.is_empty(), "{fx:?}");
    assert_eq!(
        bad(&m),
        "购物车里是王五的 1 件商品，监督模式不能换农户；按 F9 回到收银"
    );
    assert_eq!((m.modal.as_ref(), m.cart.question()), (None, wang.clone()));
    // Enter in the lookup likewise.
    named(&mut m, KeyName::F(2));
    typed(&mut m, "zs");
    let fx = named(&mut m, KeyName::Enter);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(bad(&m).contains("王五"), "{}", bad(&m));
    assert_eq!((m.modal.as_ref(), m.cart.question()), (None, wang.clone()));
    // In English too; the lookup was cleared onto 王五's row, so 张三 is typed again.
    m.lang = crate::i18n::Lang::En;
    typed(&mut m, "zs");
    named(&mut m, KeyName::Enter);
    assert_eq!(
        bad(&m),
        "the cart is 王五's (1 item): no switch in monitor mode; press F9 for the till"
    );
    m.lang = crate::i18n::Lang::Zh;
    // 王五 again changes nothing.
    named(&mut m, KeyName::F(2));
    typed(&mut m, "LJ0004");
    named(&mut m, KeyName::Enter);
    assert!(good(&m).contains("王五"));
    assert_eq!((m.modal.as_ref(), m.cart.question()), (None, wang.clone()));
    // Back at the till, the card asks.
    named(&mut m, KeyName::F(9));
    assert_eq!(m.access, Access::Till);
    scan(&mut m, "LJ0001", 3);
    assert_eq!(
        m.modal,
        Some(Modal::Confirm(Question::SwitchHousehold("H001".into())))
    );
    assert_eq!(m.cart.question(), wang);
}

/// A monitor still chooses households over an empty cart, to see their balances; a cart
/// holding goods picked before any household is not given to one (that prepares a sale).
#[test]
fn a_monitor_chooses_households_over_an_empty_cart_only() {
    for access in [Access::Monitor, Access::ReadOnly] {
        let mut m = model(access);
        scan(&mut m, "LJ0001", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H001"), "{:?}", m.status);
        scan(&mut m, "LJ0002", 3);
        assert_eq!(m.cart.household.as_deref(), Some("H002"), "{:?}", m.status);
        let mut m = model(access);
        m.cart.lines.push(CartLine {
            goods_id: "G01".into(),
            quantity: 2,
        });
        scan(&mut m, "LJ0001", 3);
        assert_eq!(m.cart.household, None);
        assert_eq!(m.cart.lines.len(), 1);
        let said = bad(&m);
        assert!(said.contains("2 件商品"), "{said}");
        assert_eq!(
            said.contains("只读打开"),
            access == Access::ReadOnly,
            "{said}"
        );
    }
}
