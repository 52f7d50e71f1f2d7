//! `update(model, msg) -> effects`: every decision the till makes, in one file per screen as
//! `view` draws them (the till's lookup, catalog and cart in `till`, then `receive`, `scores`,
//! `awards`, `day`, `void`, `board`, `setup`, `sync`, and the popups in `popup`). A key is
//! routed by the popup or screen context first, then `[global]` (`global`); a barcode scanner
//! is recognised before either (`scan`) and unbound printable keys type into the field that
//! has focus (`input`).
//!
//! Monitor mode is decided once, here at dispatch: `monitor` holds the one table of the actions
//! that write and refuses them with one message, so no screen asks. Write actions become
//! [`Effect::Commit`] values for the shell. After every message the cart is put to the domain
//! again if it, its household or the ledger changed (`till::recheck_cart`): the till never
//! decides itself whether a cart may be redeemed.

mod awards;
mod backup;
mod board;
mod day;
mod global;
mod input;
mod login;
mod monitor;
mod popup;
mod receive;
mod scan;
mod scores;
mod setup;
mod sync;
mod till;
mod void;

use crate::domain::event::{Event, PeriodKey};
use crate::domain::time::{period_start, CivilDate, PeriodKind};

use super::keymap::{Action, Context, KeyPress};
use super::model::{Modal, Model, Question, Tone};
use super::msg::{Effect, Loaded, Msg, Purpose, SyncDirection};

pub use scan::{SCAN_CHARS_MAX, SCAN_CHARS_MIN, SCAN_GAP_MS_MAX};

/// Rows moved by page up / page down.
pub const PAGE_ROWS: usize = 8;

/// Handles one message; returns what the shell must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let ledger_changed = matches!(
        &msg,
        Msg::Committed { result: Ok(_), .. }
            | Msg::Synced {
                direction: SyncDirection::Import,
                result: Ok(_),
            }
    );
    match msg {
        Msg::Key { key, at_ms } => on_key(model, key, at_ms, &mut effects),
        Msg::Committed { purpose, result } => on_committed(model, purpose, result, &mut effects),
        Msg::ClockRefused { clock, retry } => {
            model.modal = Some(Modal::Confirm(Question::Clock { clock, retry }));
        }
        Msg::Loaded(loaded) => on_loaded(model, loaded),
        Msg::ReceiptPrinted { text, result } => till::on_receipt_printed(model, text, result),
        Msg::KeysMade(result) => setup::keys_made(model, result),
        Msg::PinChecked {
            purpose,
            name,
            answer,
        } => login::on_pin_checked(model, purpose, name, answer),
        Msg::BackedUp(result) => backup::on_backed_up(model, result, &mut effects),
        Msg::Synced { direction, result } => {
            sync::on_synced(model, direction, result, &mut effects)
        }
    }
    till::recheck_cart(model, ledger_changed, &mut effects);
    effects
}

fn on_key(model: &mut Model, key: KeyPress, at_ms: u64, fx: &mut Vec<Effect>) {
    let key = key.normalized();
    model.key_at_ms = at_ms;
    if key == KeyPress::ctrl('c') {
        model.quitting = true;
        fx.push(Effect::Quit);
        return;
    }
    if let Some(run) = scan::observe(model, key, at_ms) {
        if scan::handle(model, &run) {
            return;
        }
    }
    match bound_action(model, key) {
        Some((context, action)) => dispatch(model, context, action, fx),
        None => input::type_key(model, key),
    }
}

/// The context and action a key is bound to: the popup's or screen's own section first, then
/// `[global]` (popups do not fall through).
fn bound_action(model: &Model, key: KeyPress) -> Option<(Context, Action)> {
    let context = model.context();
    if let Some(action) = model.keymap.action(context, key) {
        return Some((context, action));
    }
    if model.modal.is_some() {
        return None;
    }
    model
        .keymap
        .action(Context::Global, key)
        .map(|action| (Context::Global, action))
}

/// Runs a bound action, unless the till is in monitor mode and the action writes: that is
/// refused here, the one place that knows.
fn dispatch(model: &mut Model, context: Context, action: Action, fx: &mut Vec<Effect>) {
    if model.access.is_monitor() && model.writes(context, action) {
        monitor::refuse(model);
        return;
    }
    match context {
        Context::Global => global::act(model, action, fx),
        Context::Lookup => till::lookup(model, action, fx),
        Context::Catalog => till::catalog(model, action),
        Context::Cart => till::cart(model, action, fx),
        Context::Checkout => till::checkout(model, action, fx),
        Context::Confirm => popup::confirm(model, action, fx),
        Context::Reason => void::reason(model, action, fx),
        Context::Popup => popup::scroll_or_close(model, action),
        Context::Receive => receive::act(model, action, fx),
        Context::Scores => scores::act(model, action, fx),
        Context::Awards => awards::act(model, action),
        Context::Day => day::act(model, action, fx),
        Context::Void => void::act(model, action, fx),
        Context::Board => board::act(model, action, fx),
        Context::Setup => setup::act(model, action, fx),
        Context::Sync => sync::act(model, action, fx),
        Context::Login => login::act(model, action, fx),
        Context::Secret => match model.modal {
            Some(Modal::Unlock { .. }) => login::unlock(model, action, fx),
            _ => backup::passphrase(model, action, fx),
        },
    }
}

fn on_committed(
    model: &mut Model,
    purpose: Purpose,
    result: Result<Vec<Event>, String>,
    fx: &mut Vec<Effect>,
) {
    let events = match result {
        Ok(events) => events,
        Err(message) => {
            model.say(Tone::Bad, message);
            return;
        }
    };
    model.refresh_lists();
    match purpose {
        Purpose::FirstManager => login::committed(model),
        Purpose::Setup => setup::committed(model, fx),
        Purpose::Sale => till::committed(model, &events, fx),
        Purpose::Receive => receive::committed(model),
        Purpose::Scores => scores::committed(model, &events, fx),
        Purpose::Awards => awards::committed(model, &events, fx),
        Purpose::CloseDay => day::committed(model, fx),
        Purpose::Void => void::committed(model, &events, fx),
        Purpose::ClearYear => day::year_cleared(model, &events),
        Purpose::ClockCorrected => {
            let text = model
                .t("已登记时钟更正", "clock correction recorded")
                .to_string();
            model.say(Tone::Good, text);
        }
    }
}

fn on_loaded(model: &mut Model, loaded: Loaded) {
    match loaded {
        Loaded::Cart { question, verdict } => till::on_verdict(model, question, verdict),
        Loaded::History {
            household_id,
            history,
        } => popup::on_history(model, &household_id, history),
        Loaded::Session { asked, report } => day::loaded(model, asked, *report),
        Loaded::YearEnd(sheet) => model.modal = Some(Modal::Confirm(Question::ClearYear(sheet))),
        Loaded::PendingAwards(pending) => awards::loaded(model, pending),
        Loaded::Sales(sales) => void::loaded(model, sales),
        Loaded::Sale { seq, sale } => void::found(model, seq, sale),
        Loaded::Tallies { period, tallies } => scores::loaded(model, &period, tallies),
        Loaded::Board(board) => board::loaded(model, *board),
        Loaded::Sync(state) => sync::loaded(model, state),
        Loaded::Failed(message) => model.say(Tone::Bad, message),
    }
}

/// Moves a list's highlighted row for a move action, within `len` rows.
fn move_selection(selected: &mut usize, len: usize, action: Action) {
    let last = len.saturating_sub(1);
    *selected = match action {
        Action::Up => selected.saturating_sub(1),
        Action::Down => (*selected + 1).min(last),
        Action::PageUp => selected.saturating_sub(PAGE_ROWS),
        Action::PageDown => (*selected + PAGE_ROWS).min(last),
        _ => *selected,
    };
}

/// Whether the action moves a list's highlight.
fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown
    )
}

/// Sets the status line from a Chinese and an English sentence.
fn say(model: &mut Model, tone: Tone, zh: &str, en: &str) {
    let text = model.t(zh, en).to_string();
    model.say(tone, text);
}

/// The period the score grid and the board open on: the last complete one of the policy.
fn default_period(model: &Model) -> String {
    let kind = model
        .data
        .meta
        .as_ref()
        .map(|m| m.policy.period)
        .unwrap_or(PeriodKind::Month);
    model.today().previous_period(kind).0
}

/// Moves a period key by `delta` periods of its kind; `None` if the key is malformed.
pub fn shift_period(period: &str, kind: PeriodKind, delta: i32) -> Option<String> {
    let start = period_start(&PeriodKey(period.to_string()))?;
    let months = match kind {
        PeriodKind::Day => {
            let date = chrono::NaiveDate::from_ymd_opt(start.year, start.month, start.day)?;
            let moved = date.checked_add_signed(chrono::Duration::days(i64::from(delta)))?;
            return Some(moved.format("%Y-%m-%d").to_string());
        }
        PeriodKind::Month => delta,
        PeriodKind::Quarter => delta * 3,
    };
    let index = start.year * 12 + start.month as i32 - 1 + months;
    let date = CivilDate {
        year: index.div_euclid(12),
        month: index.rem_euclid(12) as u32 + 1,
        day: 1,
    };
    Some(date.period(kind).0)
}

#[cfg(test)]
mod tests;
