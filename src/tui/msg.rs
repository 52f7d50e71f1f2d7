//! What comes into `update` ([`Msg`]) and what comes out ([`Effect`]). Effects are values: the
//! shell runs them against the ledger and the file system and answers with another `Msg`, so
//! every decision stays in `update` where tests can see it.

use std::path::PathBuf;

use crate::domain::event::Event;
use crate::domain::operator::Pin;
use crate::domain::state::{AwardRecord, PeriodTally, SaleRecord};
use crate::domain::time::CivilDate;
use crate::domain::Command;
use crate::receipt::Print;
use crate::report::year_end::YearEndSheet;
use crate::report::{Board, SessionReport};

use super::keymap::KeyPress;
use super::model::{CartQuestion, CartVerdict, History, SyncLine, SyncState};

/// Something happened.
#[derive(Clone, Debug)]
pub enum Msg {
    /// A key was pressed at `at_ms` on the till's monotonic clock (for scanner detection).
    Key {
        /// The key.
        key: KeyPress,
        /// When, ms since the till started.
        at_ms: u64,
    },
    /// A commit finished: the events written, or the refusal in words.
    Committed {
        /// What the commit was for.
        purpose: Purpose,
        /// Events written, or the message to show.
        result: Result<Vec<Event>, String>,
    },
    /// A write was refused by the clock rules, which the manager can answer: the date shown is
    /// right after a long gap (confirm it), or the clock was fast and is right now (correct it).
    ClockRefused {
        /// What the clock found.
        clock: ClockIssue,
        /// The write to run again once answered.
        retry: Retry,
    },
    /// A query's answer.
    Loaded(Loaded),
    /// A receipt was laid out and sent to the printer or its file.
    ReceiptPrinted {
        /// The receipt's text (empty if it could not be read from the ledger).
        text: String,
        /// Where it went, or why it did not.
        result: Result<String, String>,
    },
    /// The station's sync keys were made at first run (their fingerprint), or why not.
    KeysMade(Result<String, String>),
    /// A PIN was checked (login, or a manager leaving monitor mode).
    PinChecked {
        /// What the PIN was for.
        purpose: PinPurpose,
        /// The operator whose PIN was typed.
        name: String,
        /// What the check found.
        answer: PinAnswer,
    },
    /// A backup finished: its lines (file, size, "safe to remove"), or the refusal in words.
    BackedUp(Result<Vec<SyncLine>, String>),
    /// An export or import finished: a line per bundle, or the refusal in one line.
    Synced {
        /// Export or import.
        direction: SyncDirection,
        /// What it did, or why it did nothing.
        result: Result<Vec<SyncLine>, String>,
    },
}

/// A clock refusal the till asks the manager about (PRODUCT.md, "Clocks are checked, never
/// trusted blindly, and never a dead end").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockIssue {
    /// The clock reads `now_ms`, far past the last entry (`last_ms`; `None` for a new station
    /// years past the build date): is that date right?
    Unconfirmed { now_ms: i64, last_ms: Option<i64> },
    /// The clock reads `now_ms`, before the last entry `last_ms`: was the clock fast before?
    Behind { now_ms: i64, last_ms: i64 },
}

/// What a typed PIN is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PinPurpose {
    /// Logging in at the login screen.
    Login,
    /// A manager leaving monitor mode.
    Unlock,
}

/// What a PIN check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PinAnswer {
    /// The PIN is the operator's.
    Right,
    /// The PIN is wrong; this many wrong ones in a row now.
    Wrong {
        /// Wrong PINs in a row.
        failures: u32,
    },
    /// The check could not be made, in words.
    Said(String),
}

/// A passphrase on its way to the shell; its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(****)")
    }
}

/// A write the clock rules refused, to run again once the manager answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Commands committed as one batch.
    Commit {
        /// The commands.
        commands: Vec<Command>,
        /// What they were for.
        purpose: Purpose,
    },
    /// An import of the bundles in a folder (the township's shipments it implies).
    Import {
        /// The folder on the stick.
        folder: PathBuf,
    },
}

/// Which way bundles went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncDirection {
    /// From this station onto the stick.
    Export,
    /// From the stick into this station.
    Import,
}

/// Why a commit was made, so `update` knows what to do with its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// First-run setup.
    Setup,
    /// A redemption.
    Sale,
    /// Receiving stock.
    Receive,
    /// The score grid.
    Scores,
    /// Confirming awards.
    Awards,
    /// Closing the till session (Z).
    CloseDay,
    /// Voiding a sale.
    Void,
    /// Creating the first manager of a station that has no operators yet.
    FirstManager,
    /// Recording that the clock was fast (before an import).
    ClockCorrected,
    /// Year-end clearing.
    ClearYear,
}

/// A read the shell does for `update`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Query {
    /// What the domain says of the cart: a dry run of its redemption (nothing is written).
    Cart(CartQuestion),
    /// A household's recent sales and awards.
    History(String),
    /// A till session's log and totals: the open one (`None`, the X report) or closed Z `n`.
    Session(Option<u64>),
    /// What clearing a year would do, with its honours (the domain's preview).
    YearEnd(i32),
    /// Awards in publicity.
    PendingAwards,
    /// Recent sales.
    Sales,
    /// One sale by its number (typed on the void screen, older than the recent ones).
    Sale(u64),
    /// Every household's tally for a period (the score grid).
    Tallies(String),
    /// A period's publicity board, ranked as the printed board is.
    Board(String),
    /// The sync state (and, at a township, the consolidation).
    Sync,
}

/// A query's answer.
#[derive(Clone, Debug)]
pub enum Loaded {
    /// The domain's answer for a cart.
    Cart {
        /// The cart as asked.
        question: CartQuestion,
        /// Accepted with its total, or refused with the domain's reason.
        verdict: CartVerdict,
    },
    /// A household's history.
    History {
        /// Which household.
        household_id: String,
        /// Its recent sales and awards.
        history: History,
    },
    /// A till session.
    Session {
        /// As asked: `None` for the open session.
        asked: Option<u64>,
        /// Its log in words and its totals.
        report: Box<SessionReport>,
    },
    /// A year-end preview.
    YearEnd(Box<YearEndSheet>),
    /// Awards in publicity.
    PendingAwards(Vec<AwardRecord>),
    /// Recent sales, newest first.
    Sales(Vec<SaleRecord>),
    /// The sale asked for by number, if this station has it.
    Sale {
        /// The number asked for.
        seq: u64,
        /// The sale.
        sale: Option<SaleRecord>,
    },
    /// A period's tallies.
    Tallies {
        /// The period key.
        period: String,
        /// By household id.
        tallies: Vec<(String, PeriodTally)>,
    },
    /// A period's board.
    Board(Box<Board>),
    /// The sync state.
    Sync(Box<SyncState>),
    /// The read failed.
    Failed(String),
}

/// Something for the shell to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Effect {
    /// Decide and commit commands as one batch (the only write path).
    Commit {
        /// The commands, all or none.
        commands: Vec<Command>,
        /// What for.
        purpose: Purpose,
    },
    /// The same as `Commit`, with the date the manager confirmed on the clock question.
    CommitConfirmed {
        /// The commands, all or none.
        commands: Vec<Command>,
        /// What for.
        purpose: Purpose,
        /// The date shown and confirmed.
        date: CivilDate,
    },
    /// Print the receipt of a sale or void event where the station's settings say (the
    /// printer, or a file in the receipts folder).
    PrintReceipt {
        /// The seq of the `Redeemed` or `SaleVoided` event.
        seq: u64,
        /// The first paper, or a copy marked 重印 / REPRINT.
        print: Print,
    },
    /// Read something from the ledger.
    Load(Query),
    /// Write bundles for the peer stations into a folder (and record the export time).
    Export {
        /// The folder on the stick.
        folder: PathBuf,
    },
    /// Import the bundles in a folder addressed to this station.
    Import {
        /// The folder on the stick.
        folder: PathBuf,
    },
    /// Check an operator's PIN (counting wrong ones in the station's local table).
    CheckPin {
        /// What for.
        purpose: PinPurpose,
        /// Whose.
        name: String,
        /// As typed.
        pin: Pin,
    },
    /// Back the station up into a folder, encrypted with the passphrase, and check it.
    Backup {
        /// The folder on the stick.
        folder: PathBuf,
        /// The passphrase.
        passphrase: Secret,
    },
    /// The same as `Import`, with the date the manager confirmed on the clock question.
    ImportConfirmed {
        /// The folder on the stick.
        folder: PathBuf,
        /// The date shown and confirmed.
        date: CivilDate,
    },
    /// Make the new station's sync keys in its data directory, as `aixin init` does; keys
    /// already there are kept.
    MakeKeys,
    /// Leave the till.
    Quit,
}

impl Effect {
    /// Whether the effect changes the ledger or the disk (never allowed in monitor mode).
    pub fn writes(&self) -> bool {
        matches!(
            self,
            Effect::Commit { .. }
                | Effect::CommitConfirmed { .. }
                | Effect::PrintReceipt { .. }
                | Effect::Export { .. }
                | Effect::Import { .. }
                | Effect::Backup { .. }
                | Effect::ImportConfirmed { .. }
                | Effect::MakeKeys
        )
    }
}
