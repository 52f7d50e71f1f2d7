//! `update(model, msg) -> effects`: every decision the till makes, in one file per screen as
//! `view` draws them (the till's lookup, catalog and cart in `till`, then `receive`, `scores`,
//! `awards`, `day`, `void`, `board`, `setup`, `sync`, `stats`, `households`, `goods`, `stocktake`, the
//! popups in `popup`, the popup forms in `forms` and the sheets from the stick in `sheets`).
//! Leaving typed work behind — quitting, switching screens, closing a form — asks first
//! (`global`, `forms`, [`super::model::Work`]); Ctrl-C is the quit key. A key is
//! routed by the popup or screen context first, then `[global]` (`global`; from a popup only
//! the quit key); a barcode scanner is recognised before either (`scan`) and unbound printable
//! keys type into the field that has focus (`input`).
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
mod forms;
mod global;
mod goods;
mod households;
mod input;
mod login;
mod monitor;
mod popup;
mod receive;
mod scan;
mod scores;
mod setup;
mod sheets;
mod stats;
mod stocktake;
mod sync;
mod till;
mod void;

use crate::domain::event::{Event, PeriodKey};
use crate::domain::time::{period_start, CivilDate, PeriodKind};

use super::keymap::{Action, Context, KeyPress};
use super::model::{Modal, Model, Question, Tone};
use super::msg::{Effect, Loaded, Msg, Opened, Purpose, SyncDirection};

pub use scan::{SCAN_CHARS_MAX, SCAN_CHARS_MIN, SCAN_GAP_MS_MAX};

/// Rows moved by page up / page down.
pub const PAGE_ROWS: usize = 8;

/// Handles one message; returns what the shell must do.
pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let ledger_changed = matches!(
        &msg,
        Msg::Committed { result: Ok(_), .. }
            | Msg::Opened(Opened::Settled { .. })
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
        Msg::UsbRemembered(result) => sync::remembered(model, result),
        Msg::Opened(Opened::Start {
            last_sale,
            receipt_no,
        }) => {
            if let Some(sale) = last_sale {
                till::last_sale_on_start(model, &sale, receipt_no);
            }
        }
        Msg::Opened(Opened::Settled { purpose, events }) => {
            on_settled(model, purpose, events, &mut effects)
        }
        Msg::ReportOut { result } => match result {
            Ok(text) => model.say(Tone::Good, text),
            Err(text) => model.say(Tone::Bad, text),
        },
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
    model.forget_stale_status();
    effects
}

fn on_key(model: &mut Model, key: KeyPress, at_ms: u64, fx: &mut Vec<Effect>) {
    let key = key.normalized();
    model.key_at_ms = at_ms;
    // Ctrl-C is the terminal's way out: it quits as the quit key does, asking first when
    // typed work would be lost.
    if key == KeyPress::ctrl('c') {
        global::quit(model, fx);
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
/// `[global]`. Popups do not fall through, except to quit (a key that types nothing): quitting
/// from a popup asks as it does anywhere.
fn bound_action(model: &Model, key: KeyPress) -> Option<(Context, Action)> {
    let context = model.context();
    if let Some(action) = model.keymap.action(context, key) {
        return Some((context, action));
    }
    if model.modal.is_some() {
        let quit = key.typed_char().is_none()
            && model.keymap.action(Context::Global, key) == Some(Action::Quit);
        return quit.then_some((Context::Global, Action::Quit));
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
        Context::Stats => stats::act(model, action, fx),
        Context::Households => households::act(model, action, fx),
        Context::Goods => goods::act(model, action, fx),
        Context::Stocktake => stocktake::act(model, action, fx),
        Context::Form => forms::act(model, action, fx),
        Context::Sheet => sheets::act(model, action, fx),
        Context::Preview => sheets::preview(model, action, fx),
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
        // A refused sale is about the cart as it stands: it goes once the cart changes.
        Err(message) if purpose == Purpose::Sale => {
            model.say_about_cart(Tone::Bad, message);
            return;
        }
        Err(message) => {
            model.say(Tone::Bad, message);
            return;
        }
    };
    // The domain accepted and wrote nothing (the very same definition again): said in one line
    // once the screen has done as after any write, never a form closing in silence.
    let nothing = events
        .is_empty()
        .then(|| forms::nothing_written(model, purpose));
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
        Purpose::Household => households::committed(model, &events),
        Purpose::ImportHouseholds => sheets::imported(model, &events),
        Purpose::Goods => goods::committed(model, &events),
        Purpose::Objection => awards::objection_committed(model, &events, fx),
        Purpose::Stocktake => stocktake::committed(model, &events),
        Purpose::Enroll => sync::enrolled(model, &events, fx),
    }
    if let Some(text) = nothing {
        model.say(Tone::Info, text);
    }
}

/// A write whose outcome was unknown is known now: done as if it had just committed, or said
/// to be not recorded, so the manager neither loses it nor does it twice.
fn on_settled(model: &mut Model, purpose: Purpose, events: Vec<Event>, fx: &mut Vec<Effect>) {
    if events.is_empty() {
        let said = model.t(
            "磁盘恢复后查明：刚才那一笔没有记账，可以重做",
            "checked now the disk is back: that write was not recorded; it can be done again",
        );
        model.say(Tone::Info, said);
        return;
    }
    let last = events.last().map_or(0, |e| e.seq);
    on_committed(model, purpose, Ok(events), fx);
    let said = format!(
        "{}{last}",
        model.t(
            "磁盘恢复后查明：刚才那一笔已记账，单号 ",
            "checked now the disk is back: that write was recorded, number "
        )
    );
    model.say(Tone::Good, said);
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
        Loaded::Stats(report) => stats::loaded(model, report),
        Loaded::Household(record) => households::file_loaded(model, record),
        Loaded::SheetFiles { folder, files } => sheets::files_loaded(model, folder, files),
        Loaded::SheetPreview(preview) => sheets::preview_loaded(model, preview),
        Loaded::Counts {
            file,
            counts,
            problems,
        } => stocktake::counts_loaded(model, &file, counts, problems),
        Loaded::Usb(found) => sync::usb_loaded(model, found),
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
        Action::First => 0,
        Action::Last => last,
        _ => *selected,
    };
}

/// Whether the action moves a list's highlight.
fn is_move(action: Action) -> bool {
    matches!(
        action,
        Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::First
            | Action::Last
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
    crate::domain::publicity::scored_period(model.today(), kind)
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
