//! The till: a ratatui point of sale for the village manager, in the Elm style. [`model`] holds
//! the state as plain values, [`update()`] turns a message into effects, [`view()`] draws without
//! changing anything, and [`app`] is the shell that runs effects against the [`Ledger`] (the one
//! write path, `Ledger::execute`). [`run`] adds the terminal: it loads the keymap first (a bad
//! keymap fails before the screen is touched), restores the terminal on every exit including a
//! panic, and in monitor mode no key can write. The till opens at the login ([`TuiLogin`]):
//! nothing is written before an operator's PIN is checked, and every event records them.

pub mod app;
pub mod data;
pub mod keymap;
pub mod lookup;
pub mod model;
pub mod msg;
pub mod sync_report;
pub mod text;
pub mod update;
pub mod view;

#[cfg(test)]
mod testing;

use std::path::PathBuf;
use std::time::Duration;

use crossterm::event::{self, Event as TermEvent, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::config::ClockError;
use crate::i18n::Lang;
use crate::receipt::output::ReceiptSettings;
use crate::store::Ledger;

pub use app::{App, Clock};
pub use keymap::{KeyName, KeyPress, Keymap, KeymapError};
pub use model::{Access, Model, ScorePreview};
pub use msg::{Effect, Msg};
pub use update::update;
pub use view::view;

/// How long the loop waits for a key before redrawing (the clock in the title bar).
pub const IDLE_REDRAW_MS: u64 = 1_000;

/// How often the till looks whether the households read at start are in, until they are.
pub const LOADING_REDRAW_MS: u64 = 20;

/// How the till was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TuiMode {
    /// The manager's till (read-write ledger).
    Till,
    /// `aixin monitor`: the ledger was opened read-only; nothing can be written.
    Monitor,
}

/// What `aixin` passes to the till.
#[derive(Clone, Debug)]
pub struct TuiOptions {
    /// Interface language.
    pub lang: Lang,
    /// Who is at the keyboard (recorded in every event).
    pub operator: String,
    /// Where receipt files go when no printer is set.
    pub receipts_dir: PathBuf,
    /// How receipts are printed (the station's `station.toml`).
    pub receipt: ReceiptSettings,
    /// Till or monitor.
    pub mode: TuiMode,
    /// Where a user `keymap.toml` may be.
    pub config_dir: Option<PathBuf>,
    /// The station's data directory: its keys, and the bundles held for a gap or a fork.
    pub data_dir: PathBuf,
    /// Who is at the keyboard when the till opens.
    pub login: TuiLogin,
    /// A sentence for the status line when the till opens (the demo's operators and PINs).
    pub notice: Option<String>,
}

/// Who is at the keyboard when the till opens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TuiLogin {
    /// The login screen asks (the till of a real station; PRODUCT.md, "Operators").
    Ask,
    /// Already known: the demo's manager, or the monitor of a ledger opened read-only (where
    /// nothing can be written at all).
    As(String),
}

/// Why the till could not run.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    /// The keymap (shipped or the user's) is broken; names file and line.
    #[error("keymap {0}")]
    Keymap(#[from] KeymapError),
    /// The ledger could not be read.
    #[error("{0}")]
    Store(String),
    /// The terminal could not be set up or drawn.
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
    /// The clock is unreadable (`AIXIN_NOW`).
    #[error(transparent)]
    Clock(#[from] ClockError),
}

/// Restores the terminal when dropped, whichever way `run` leaves.
struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs the till on `ledger` until the manager quits.
pub fn run(ledger: Ledger, options: TuiOptions) -> Result<(), TuiError> {
    let keymap = Keymap::load(options.config_dir.as_deref())?;
    crate::config::now_ms()?;
    let access = match options.mode {
        TuiMode::Till => Access::Till,
        TuiMode::Monitor => Access::ReadOnly,
    };
    let receipts = options.receipts_dir.clone();
    let opened = match &options.login {
        TuiLogin::Ask if access == Access::Till => {
            App::at_login(ledger, options.lang, receipts, keymap, Clock::System)
        }
        TuiLogin::Ask => App::starting(
            ledger,
            options.lang,
            &options.operator,
            access,
            receipts,
            keymap,
            Clock::System,
        ),
        TuiLogin::As(name) => App::starting(
            ledger,
            options.lang,
            name,
            access,
            receipts,
            keymap,
            Clock::System,
        ),
    };
    let mut app = opened
        .map_err(|e| TuiError::Store(e.message(options.lang)))?
        .with_data_dir(options.data_dir.clone())
        .with_receipt_settings(options.receipt.clone());
    if let Some(notice) = &options.notice {
        app.model.say(model::Tone::Info, notice.clone());
    }
    let _guard = RestoreGuard;
    let mut terminal = ratatui::try_init()?;
    loop {
        terminal.draw(|frame| app.draw(frame))?;
        if app.quitting() {
            break;
        }
        // While the households are still being read at start, look for them often.
        let wait_ms = if app.households_ready() {
            IDLE_REDRAW_MS
        } else {
            LOADING_REDRAW_MS
        };
        if !event::poll(Duration::from_millis(wait_ms))? {
            app.poll_households();
            continue;
        }
        loop {
            if let TermEvent::Key(key) = event::read()? {
                if key.kind != KeyEventKind::Release {
                    if let Some(press) = key_press(key) {
                        app.press(press);
                    }
                }
            }
            if app.quitting() || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
    Ok(())
}

/// Translates a crossterm key into the till's own key type.
pub fn key_press(key: KeyEvent) -> Option<KeyPress> {
    let name = match key.code {
        KeyCode::Char(c) => KeyName::Char(c),
        KeyCode::F(n) => KeyName::F(n),
        KeyCode::Enter => KeyName::Enter,
        KeyCode::Esc => KeyName::Esc,
        KeyCode::Tab => KeyName::Tab,
        KeyCode::BackTab => KeyName::BackTab,
        KeyCode::Backspace => KeyName::Backspace,
        KeyCode::Delete => KeyName::Delete,
        KeyCode::Insert => KeyName::Insert,
        KeyCode::Up => KeyName::Up,
        KeyCode::Down => KeyName::Down,
        KeyCode::Left => KeyName::Left,
        KeyCode::Right => KeyName::Right,
        KeyCode::Home => KeyName::Home,
        KeyCode::End => KeyName::End,
        KeyCode::PageUp => KeyName::PageUp,
        KeyCode::PageDown => KeyName::PageDown,
        _ => return None,
    };
    let press = KeyPress {
        key: name,
        ctrl: key.modifiers.contains(KeyModifiers::CONTROL),
        alt: key.modifiers.contains(KeyModifiers::ALT),
        shift: key.modifiers.contains(KeyModifiers::SHIFT),
    };
    Some(press.normalized())
}
