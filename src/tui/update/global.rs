//! The `[global]` keys, pressed outside popups (quit, and Ctrl-C, also inside one): help, quit,
//! back, monitor mode, the till's panels (the lookup key starts a fresh search), checkout, and
//! opening each screen (with the read it needs). Until the station is set
//! up and someone has logged in, only help and quit work. No typed work is lost by a key:
//! quitting with work anywhere, or leaving a screen with its own typed work, asks first
//! ([`Leave`]); a status line said on one screen is not shown on the next ([`Model::show`]).

use super::super::keymap::Action;
use super::super::model::{Focus, Leave, Modal, Model, Question, Screen, Work};
use super::super::msg::{Effect, Query};
use super::{default_period, monitor, stats, till};

/// Runs a global action, first asking when it would leave typed work behind.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let gate = matches!(model.screen, Screen::Setup | Screen::Login);
    if gate && !matches!(action, Action::Help | Action::Quit) {
        return;
    }
    if target(action).is_some_and(|to| to != model.screen) && model.screen_work().is_some() {
        model.modal = Some(Modal::Confirm(Question::Discard(Leave::Screen(action))));
        return;
    }
    run(model, action, fx);
}

/// The screen a global action shows, if it shows one.
fn target(action: Action) -> Option<Screen> {
    Some(match action {
        Action::Back
        | Action::OpenTill
        | Action::FocusLookup
        | Action::FocusCatalog
        | Action::FocusCart
        | Action::FocusNext
        | Action::FocusPrev
        | Action::Checkout => Screen::Till,
        Action::OpenReceive => Screen::Receive,
        Action::OpenScores => Screen::Scores,
        Action::OpenVoid => Screen::Void,
        Action::OpenAwards => Screen::Awards,
        Action::OpenDay => Screen::Day,
        Action::OpenBoard => Screen::Board,
        Action::OpenSync => Screen::Sync,
        Action::OpenHouseholds => Screen::Households,
        Action::OpenGoods => Screen::Goods,
        _ => return None,
    })
}

/// Runs a global action without asking (nothing typed would be lost, or the manager said to
/// leave it).
pub(super) fn run(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        Action::Help => model.modal = Some(Modal::Help { scroll: 0 }),
        Action::Quit => quit(model, fx),
        Action::Back => back(model),
        Action::ToggleMonitor => monitor::toggle(model),
        Action::FocusLookup => {
            model.show(Screen::Till);
            till::fresh_lookup(model);
        }
        Action::FocusCatalog => focus(model, Focus::Catalog),
        Action::FocusCart => focus(model, Focus::Cart),
        Action::FocusNext => focus(model, model.focus.next()),
        Action::FocusPrev => focus(model, model.focus.prev()),
        Action::Checkout => till::open_checkout(model),
        Action::OpenTill => model.show(Screen::Till),
        Action::OpenReceive => open(model, Screen::Receive, fx),
        Action::OpenScores => open(model, Screen::Scores, fx),
        Action::OpenVoid => open(model, Screen::Void, fx),
        Action::OpenAwards => open(model, Screen::Awards, fx),
        Action::OpenDay => open(model, Screen::Day, fx),
        Action::OpenBoard => open(model, Screen::Board, fx),
        Action::OpenSync => open(model, Screen::Sync, fx),
        Action::OpenStats => open(model, Screen::Stats, fx),
        Action::OpenHouseholds => open(model, Screen::Households, fx),
        Action::OpenGoods => open(model, Screen::Goods, fx),
        _ => {}
    }
}

/// Leaves at once, or asks first when typed work would be lost: a filled cart, the screen's
/// typed work, a filled form (in monitor mode nothing can be written, so nothing is lost).
/// The quit key and Ctrl-C both come here, from a popup too: "no" shows the popup again.
pub(super) fn quit(model: &mut Model, fx: &mut Vec<Effect>) {
    if matches!(
        model.modal,
        Some(Modal::Confirm(
            Question::Quit(_) | Question::Discard(Leave::Quit(_))
        ))
    ) {
        // Already asked: the question on screen is the answer's place.
        return;
    }
    let work = model.all_work();
    if work.is_empty() || model.access.is_monitor() {
        model.quitting = true;
        fx.push(Effect::Quit);
        return;
    }
    let back = model.modal.take().map(Box::new);
    model.modal = Some(Modal::Confirm(
        if matches!(work.as_slice(), [Work::Cart(_)]) {
            Question::Quit(back)
        } else {
            Question::Discard(Leave::Quit(back))
        },
    ));
}

/// Back to the till from another screen; on the till, clears the focused panel's field.
fn back(model: &mut Model) {
    if model.screen != Screen::Till {
        model.show(Screen::Till);
        return;
    }
    match model.focus {
        Focus::Lookup => model.lookup.query.clear(),
        Focus::Catalog => model.catalog.query.clear(),
        Focus::Cart => model.cart.typed_quantity.clear(),
    }
    model.refresh_lists();
}

fn focus(model: &mut Model, focus: Focus) {
    model.show(Screen::Till);
    model.focus = focus;
}

/// Shows a screen and asks for what it shows.
fn open(model: &mut Model, screen: Screen, fx: &mut Vec<Effect>) {
    model.show(screen);
    match screen {
        Screen::Scores => {
            if model.scores.period.is_empty() {
                model.scores.period = default_period(model);
            }
            fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
        }
        Screen::Void => fx.push(Effect::Load(Query::Sales)),
        Screen::Awards => fx.push(Effect::Load(Query::PendingAwards)),
        Screen::Day => {
            // Back on the screen, the open session is shown as it stands now.
            model.day.session = None;
            model.day.scroll = 0;
            fx.push(Effect::Load(Query::Session(None)));
        }
        Screen::Board => {
            if model.board.period.is_empty() {
                model.board.period = default_period(model);
            }
            fx.push(Effect::Load(Query::Board(model.board.period.clone())));
            // The board marks what is still in publicity, and until when.
            fx.push(Effect::Load(Query::PendingAwards));
        }
        Screen::Stats => stats::open(model, fx),
        Screen::Sync => {
            fx.push(Effect::Load(Query::Sync));
            fx.push(Effect::Load(Query::Usb));
        }
        Screen::Receive
        | Screen::Till
        | Screen::Setup
        | Screen::Login
        | Screen::Households
        | Screen::Goods
        | Screen::Stocktake => model.refresh_lists(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::testing::*;

    #[test]
    fn help_quit_and_ctrl_c() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(1));
        assert_eq!(m.modal, Some(Modal::Help { scroll: 0 }));
        named(&mut m, KeyName::Down);
        assert_eq!(m.modal, Some(Modal::Help { scroll: 1 }));
        named(&mut m, KeyName::F(1));
        assert_eq!(m.modal, None);
        assert_eq!(named(&mut m, KeyName::F(10)), vec![Effect::Quit]);
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(3));
        named(&mut m, KeyName::Enter);
        assert!(named(&mut m, KeyName::F(10)).is_empty());
        assert_eq!(m.modal, Some(Modal::Confirm(Question::Quit(None))));
        assert_eq!(named(&mut m, KeyName::Enter), vec![Effect::Quit]);
        let mut m = model(Access::Till);
        m.modal = Some(Modal::Checkout {
            proxy: Default::default(),
        });
        assert_eq!(
            key(&mut m, KeyPress::ctrl('c')),
            vec![Effect::Quit],
            "nothing typed: Ctrl-C quits at once"
        );
    }

    #[test]
    fn ctrl_c_and_the_quit_key_ask_first_from_a_checkout_or_a_form() {
        // A filled cart, from inside the checkout popup: the cart's question; no, back to it.
        let mut m = model(Access::Till);
        with_household(&mut m);
        named(&mut m, KeyName::Enter);
        named(&mut m, KeyName::F(5));
        typed(&mut m, "王");
        for quit in [KeyPress::ctrl('c'), KeyPress::plain(KeyName::F(10))] {
            assert!(key(&mut m, quit).is_empty(), "{quit}");
            assert!(
                matches!(&m.modal, Some(Modal::Confirm(Question::Quit(Some(_))))),
                "{quit}: {:?}",
                m.modal
            );
            assert!(key(&mut m, quit).is_empty(), "asked once, not twice");
            assert!(!m.quitting);
            key(&mut m, KeyPress::char('n'));
            assert!(
                matches!(&m.modal, Some(Modal::Checkout { proxy }) if proxy.text == "王"),
                "no: back to the checkout as it was: {:?}",
                m.modal
            );
        }
        key(&mut m, KeyPress::ctrl('c'));
        assert_eq!(named(&mut m, KeyName::Enter), vec![Effect::Quit]);
        // A filled form: its question; no, back to the form as it was.
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('b'));
        named(&mut m, KeyName::F(5));
        typed(&mut m, "H201");
        for quit in [KeyPress::plain(KeyName::F(10)), KeyPress::ctrl('c')] {
            assert!(key(&mut m, quit).is_empty(), "{quit}");
            assert!(
                matches!(
                    &m.modal,
                    Some(Modal::Confirm(Question::Discard(Leave::Quit(Some(_)))))
                ),
                "{quit}: {:?}",
                m.modal
            );
            assert_eq!(
                m.all_work(),
                vec![Work::Form],
                "the question names the form"
            );
            key(&mut m, KeyPress::char('n'));
            assert!(
                matches!(&m.modal, Some(Modal::Form(f))
                    if f.text(crate::domain::input::Field::HouseholdId) == "H201"),
                "{:?}",
                m.modal
            );
        }
        // Asked whether to close the form, Ctrl-C still counts it as typed work.
        named(&mut m, KeyName::Esc);
        assert!(key(&mut m, KeyPress::ctrl('c')).is_empty());
        assert_eq!(key(&mut m, KeyPress::char('y')), vec![Effect::Quit]);
        // An empty form: nothing typed, the quit key leaves at once.
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('b'));
        named(&mut m, KeyName::F(5));
        assert_eq!(named(&mut m, KeyName::F(10)), vec![Effect::Quit]);
    }

    #[test]
    fn focus_keys_cycle_the_panels() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::Tab);
        assert_eq!(m.focus, Focus::Catalog);
        named(&mut m, KeyName::Tab);
        assert_eq!(m.focus, Focus::Cart);
        named(&mut m, KeyName::BackTab);
        assert_eq!(m.focus, Focus::Catalog);
        key(&mut m, KeyPress::ctrl('f'));
        assert_eq!(m.focus, Focus::Lookup);
        named(&mut m, KeyName::F(8));
        key(&mut m, KeyPress::ctrl('t'));
        assert_eq!((m.screen, m.focus), (Screen::Till, Focus::Cart));
        named(&mut m, KeyName::F(12));
        named(&mut m, KeyName::Esc);
        assert_eq!(m.screen, Screen::Till);
    }
}
