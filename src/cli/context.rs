//! What every subcommand is given: the data directory, the language, who is at the keyboard,
//! whether to print JSON, and the clock. The context opens the ledger and runs a command
//! through it at the clock's time, the one way a handler writes; it decides nothing itself.

use std::cell::Cell;
use std::path::PathBuf;

use super::auth::Writer;
use super::error::CliError;
use super::print::Printer;
use crate::config::{self, Clock};
use crate::domain::time::{CivilDate, Moment};
use crate::domain::{Command, Event};
use crate::i18n::Lang;
use crate::store::{Ledger, StoreError};

/// The settings every subcommand needs.
#[derive(Clone, Debug)]
pub struct Context {
    /// The data directory (ledger, keys, receipts, held bundles).
    pub data_dir: PathBuf,
    /// Output language.
    pub lang: Lang,
    /// Who is at the keyboard; recorded on every event.
    pub operator: String,
    /// Print JSON instead of text.
    pub json: bool,
    /// Where "now" comes from.
    pub clock: Clock,
    /// The date the manager confirmed as right (`--confirm-date`), if any.
    pub confirmed_date: Option<CivilDate>,
    /// Set once the operator's PIN was checked in this run (it is asked once per run).
    pub pin_checked: Cell<bool>,
    /// Set once the note that the station has no operators was shown in this run.
    pub note_shown: Cell<bool>,
}

impl Context {
    /// The ledger file in the data directory.
    pub fn ledger_path(&self) -> PathBuf {
        config::ledger_path(&self.data_dir)
    }

    /// Creates the data directory if it is not there yet.
    pub fn create_data_dir(&self) -> Result<(), CliError> {
        std::fs::create_dir_all(&self.data_dir).map_err(|source| CliError::DataDir {
            path: self.data_dir.clone(),
            source,
        })
    }

    /// Text in the context's language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// The printer for this run's language and format.
    pub fn out(&self) -> Printer {
        Printer::new(self.lang, self.json)
    }

    /// Now, UTC ms.
    pub fn now_ms(&self) -> Result<i64, CliError> {
        Ok(self.clock.now_ms()?)
    }

    /// The moment a write happens: now, with the date the manager confirmed.
    pub fn moment(&self) -> Result<Moment, CliError> {
        Ok(Moment {
            now_ms: self.now_ms()?,
            confirmed_date: self.confirmed_date,
        })
    }

    /// Today's date in China.
    pub fn today(&self) -> Result<CivilDate, CliError> {
        Ok(CivilDate::from_utc_ms(self.now_ms()?))
    }

    /// Opens the ledger for the till's own commands. Reads open it this way too: redb refuses a
    /// read-only open while the till holds the file, and only a read-write open repairs it after
    /// an unclean shutdown.
    pub fn open(&self) -> Result<Ledger, CliError> {
        let path = self.ledger_path();
        match Ledger::open(&path) {
            // A write-protected data folder (a copy on read-only media, a folder of another
            // user's) is still read: balance, log, reports and verify answer, and a write is
            // refused by the ledger as read-only, naming both causes.
            Err(e) if e.is_permission() => Ledger::open_read_only(&path).map_err(|_| e.into()),
            opened => Ok(opened?),
        }
    }

    /// Runs one command against the ledger at the current time; returns its events.
    pub fn execute(&self, command: &Command) -> Result<Vec<Event>, CliError> {
        let mut ledger = self.open()?;
        self.execute_on(&mut ledger, command)
    }

    /// Runs one command on a ledger already open, at the current time, once the one at the
    /// keyboard may write ([`super::auth::writer`]).
    pub fn execute_on(
        &self,
        ledger: &mut Ledger,
        command: &Command,
    ) -> Result<Vec<Event>, CliError> {
        self.execute_batch_on(ledger, std::slice::from_ref(command))
            .map_err(|e| match e {
                CliError::Store(StoreError::BatchRefused { refusal, .. }) => {
                    CliError::Store(StoreError::Refused(refusal))
                }
                other => other,
            })
    }

    /// Runs a batch of commands on a ledger already open, at the current time, in one
    /// transaction: all are written or none.
    pub fn execute_batch_on(
        &self,
        ledger: &mut Ledger,
        commands: &[Command],
    ) -> Result<Vec<Event>, CliError> {
        let writer = self.writer(ledger)?;
        let events = ledger.execute_batch_at(&self.operator, &self.moment()?, commands)?;
        self.after_write(writer);
        Ok(events)
    }

    /// Checks, before a write, that the one at the keyboard may write (operator and PIN once
    /// the station has operators); see [`super::auth`].
    pub fn writer(&self, ledger: &mut Ledger) -> Result<Writer, CliError> {
        super::auth::writer(self, ledger)
    }

    /// After a write that went through: at a station with no operators yet, the note on how
    /// to create the first manager.
    pub fn after_write(&self, writer: Writer) {
        if writer == Writer::Open {
            super::auth::note_open_station(self);
        }
    }

    /// A context for another data directory (the demo's throw-away station).
    pub fn with_data_dir(&self, data_dir: PathBuf) -> Context {
        Context {
            data_dir,
            ..self.clone()
        }
    }
}
