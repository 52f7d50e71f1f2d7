//! The `[global]` keys, pressed outside popups: help, quit, back, monitor mode, the till's
//! panels, checkout, and opening each screen (with the read it needs). Until the station is set
//! up and someone has logged in, only help and quit work.

use super::super::keymap::Action;
use super::super::model::{Focus, Modal, Model, Question, Screen};
use super::super::msg::{Effect, Query};
use super::{default_period, monitor, till};

/// Runs a global action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let gate = matches!(model.screen, Screen::Setup | Screen::Login);
    if gate && !matches!(action, Action::Help | Action::Quit) {
        return;
    }
    match action {
        Action::Help => model.modal = Some(Modal::Help { scroll: 0 }),
        Action::Quit => quit(model, fx),
        Action::Back => back(model),
        Action::ToggleMonitor => monitor::toggle(model),
        Action::FocusLookup => focus(model, Focus::Lookup),
        Action::FocusCatalog => focus(model, Focus::Catalog),
        Action::FocusCart => focus(model, Focus::Cart),
        Action::FocusNext => focus(model, model.focus.next()),
        Action::FocusPrev => focus(model, model.focus.prev()),
        Action::Checkout => till::open_checkout(model),
        Action::OpenTill => model.screen = Screen::Till,
        Action::OpenReceive => open(model, Screen::Receive, fx),
        Action::OpenScores => open(model, Screen::Scores, fx),
        Action::OpenVoid => open(model, Screen::Void, fx),
        Action::OpenAwards => open(model, Screen::Awards, fx),
        Action::OpenDay => open(model, Screen::Day, fx),
        Action::OpenBoard => open(model, Screen::Board, fx),
        Action::OpenSync => open(model, Screen::Sync, fx),
        _ => {}
    }
}

/// Leaves at once, or asks first when a filled cart would be lost (in monitor mode nothing can
/// be checked out, so nothing is lost).
fn quit(model: &mut Model, fx: &mut Vec<Effect>) {
    if model.cart.lines.is_empty() || model.access.is_monitor() {
        model.quitting = true;
        fx.push(Effect::Quit);
    } else {
        model.modal = Some(Modal::Confirm(Question::Quit));
    }
}

/// Back to the till from another screen; on the till, clears the focused panel's field.
fn back(model: &mut Model) {
    if model.screen != Screen::Till {
        model.screen = Screen::Till;
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
    model.screen = Screen::Till;
    model.focus = focus;
}

/// Shows a screen and asks for what it shows.
fn open(model: &mut Model, screen: Screen, fx: &mut Vec<Effect>) {
    model.screen = screen;
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
        }
        Screen::Sync => fx.push(Effect::Load(Query::Sync)),
        Screen::Receive | Screen::Till | Screen::Setup | Screen::Login => model.refresh_lists(),
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
        assert_eq!(m.modal, Some(Modal::Confirm(Question::Quit)));
        assert_eq!(named(&mut m, KeyName::Enter), vec![Effect::Quit]);
        let mut m = model(Access::Till);
        m.modal = Some(Modal::Checkout {
            proxy: Default::default(),
        });
        assert_eq!(key(&mut m, KeyPress::ctrl('c')), vec![Effect::Quit]);
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
