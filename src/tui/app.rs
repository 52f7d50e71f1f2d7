//! The imperative shell around `update` and `view`: it owns the [`Ledger`], runs effects
//! (commits, reads, receipts) and feeds their answers back as messages. Reads ask the
//! domain and the reports rather than working anything out: a cart is checked by a dry run of
//! its redemption through `decide` (which never writes), the day log is `report::day`'s,
//! the board `report::board`'s and the statistics `report::stats`'. It needs no terminal, so
//! tests and the benchmark drive a whole till with [`App::press`] and draw it into a
//! `TestBackend` with [`App::draw`].
//!
//! Nothing recorded is a mystery to the manager: on start the till names the last sale when it
//! is the ledger's last event (it may have been recorded just before the till was closed or
//! killed) and how to print its receipt again; and after a write the disk failed in the middle
//! of, once the ledger opens again, it says whether that write was recorded.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Instant;

use ratatui::Frame;

use crate::backup::backup_to;
use crate::config::ClockError;
use crate::domain::command::redemption_gate;
use crate::domain::event::EventBody;
use crate::domain::operator::Pin;
use crate::domain::time::{CivilDate, Moment};
use crate::domain::{decide_at, Command, DecideError, HouseholdRef, Refusal};
use crate::i18n::Lang;
use crate::receipt::output::{self, ReceiptSettings};
use crate::receipt::{source, Print, ReceiptError};
use crate::report::table::{station_label, write_sheet, AsSheet, OutputKind, Sheet};
use crate::report::year_end::year_end_sheet;
use crate::report::{board, board_slip, session_report, stats_report};
use crate::store::ledger::View;
use crate::store::pins::PinCheck;
use crate::store::{Ledger, StoreError};
use crate::sync::files::{fork_notes, held_notes};
use crate::sync::keys::StationKeys;
use crate::sync::township::{consolidate, is_township};
use crate::sync::usb::{
    describe_outcome, export_lines, export_to_folder, import_paths, outcome_kind, roster_lines,
    safe_to_remove, OutcomeKind,
};
use crate::sync::SyncError;

use super::data::{Data, PendingHouseholds};
use super::keymap::{KeyPress, Keymap};
use super::model::{Access, CartQuestion, CartVerdict, History, Model, SyncLine, SyncState, Tone};
use super::msg::{
    ClockIssue, Effect, Loaded, Msg, Opened, PinAnswer, Purpose, Query, ReportOf, Retry,
    SyncDirection,
};
use super::update::update;
use super::view::view;

/// At most this many messages are handled for one input (effects answering effects).
pub const MESSAGES_PER_INPUT_MAX: usize = 64;

/// At most this many recent sales are offered for voiding, and history rows per household.
pub const RECENT_SALES_MAX: usize = 200;

/// Where the till gets the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    /// [`crate::config::now_ms`]: the system clock, or `AIXIN_NOW`.
    System,
    /// A fixed instant (tests, snapshots).
    Fixed(i64),
}

impl Clock {
    /// Now, UTC ms.
    pub fn now_ms(self) -> Result<i64, ClockError> {
        match self {
            Clock::System => crate::config::now_ms(),
            Clock::Fixed(ms) => Ok(ms),
        }
    }
}

/// A running till: the model, the ledger and what the effects need.
pub struct App {
    /// The till's state (read it in tests; change it only through messages).
    pub model: Model,
    ledger: Ledger,
    receipts_dir: PathBuf,
    receipt_settings: ReceiptSettings,
    data_dir: Option<PathBuf>,
    clock: Clock,
    started: Instant,
    key_offset_ms: u64,
    usb_mounts: Option<Vec<PathBuf>>,
    /// A write whose outcome the store could not read back (the disk failed mid-commit): what
    /// it was for and the head before it, until the ledger opens again and tells.
    unsettled: Option<(Purpose, u64)>,
    /// The households while they are read at start ([`App::starting`]); `None` once in.
    pending_households: Option<PendingHouseholds>,
}

impl App {
    /// Loads the whole station from the ledger and builds the till's model.
    pub fn new(
        ledger: Ledger,
        lang: Lang,
        operator: &str,
        access: Access,
        receipts_dir: PathBuf,
        keymap: Keymap,
        clock: Clock,
    ) -> Result<App, StoreError> {
        let data = Data::load(&ledger.view()?)?;
        App::with_data(
            ledger,
            data,
            None,
            (lang, operator, access),
            receipts_dir,
            keymap,
            clock,
        )
    }

    /// Like [`App::new`], but the households are read and indexed on another thread, so the
    /// first screen is up at once (the till's start: on 100,000 households that reading is most
    /// of the start-up). The first message waits for them; [`App::poll_households`] puts them
    /// in as soon as they are ready, for a redraw.
    pub fn starting(
        ledger: Ledger,
        lang: Lang,
        operator: &str,
        access: Access,
        receipts_dir: PathBuf,
        keymap: Keymap,
        clock: Clock,
    ) -> Result<App, StoreError> {
        let (data, pending) = Data::load_deferred(ledger.view()?)?;
        App::with_data(
            ledger,
            data,
            Some(pending),
            (lang, operator, access),
            receipts_dir,
            keymap,
            clock,
        )
    }

    fn with_data(
        ledger: Ledger,
        data: Data,
        pending_households: Option<PendingHouseholds>,
        (lang, operator, access): (Lang, &str, Access),
        receipts_dir: PathBuf,
        keymap: Keymap,
        clock: Clock,
    ) -> Result<App, StoreError> {
        let access = if ledger.is_read_only() {
            Access::ReadOnly
        } else {
            access
        };
        let now_ms = clock.now_ms().unwrap_or(0);
        let model = Model::new(data, lang, operator, access, keymap, now_ms);
        let mut app = App {
            model,
            ledger,
            receipts_dir,
            receipt_settings: ReceiptSettings::default(),
            data_dir: None,
            usb_mounts: None,
            clock,
            started: Instant::now(),
            key_offset_ms: 0,
            unsettled: None,
            pending_households,
        };
        let opened = app.opened_at_start()?;
        // Said at once, without waiting for households still being read: the message names
        // the sale and its receipt, no household.
        for effect in update(&mut app.model, Msg::Opened(opened)) {
            let _ = app.run(effect);
        }
        Ok(app)
    }

    /// What the till tells the manager on start: the last sale, if it is the ledger's last
    /// event, and its receipt number.
    fn opened_at_start(&self) -> Result<Opened, StoreError> {
        let view = self.ledger.view()?;
        let head = view.meta()?.map_or(0, |m| m.head_seq);
        let last = view.events(head, head)?.pop().map(|(event, _)| event);
        let last_sale = last.filter(|event| {
            matches!(
                event.body,
                EventBody::Redeemed { .. } | EventBody::RedeemedV1 { .. }
            )
        });
        let receipt_no = last_sale
            .as_ref()
            .and_then(|sale| source::by_seq(&view, sale.seq, Print::Reprint).ok())
            .map(|receipt| receipt.receipt_no);
        Ok(Opened::Start {
            last_sale: last_sale.map(Box::new),
            receipt_no,
        })
    }

    /// Whether the households read at start are in (always, after [`App::new`]).
    pub fn households_ready(&self) -> bool {
        self.pending_households.is_none()
    }

    /// Puts in the households read at start if they are ready, without waiting; whether it did
    /// (the screen should be drawn again).
    pub fn poll_households(&mut self) -> bool {
        if self
            .pending_households
            .as_ref()
            .is_some_and(PendingHouseholds::is_ready)
        {
            self.settle_households();
            return true;
        }
        false
    }

    /// Puts in the households read at start, waiting for them if need be. If their thread
    /// failed, the station is read again whole on this thread.
    pub fn settle_households(&mut self) {
        let Some(pending) = self.pending_households.take() else {
            return;
        };
        if pending.install(&mut self.model.data).is_err() {
            if let Ok(data) = self.ledger.view().and_then(|view| Data::load(&view)) {
                self.model.data = data;
            }
        }
        self.model.refresh_lists();
    }

    /// Opens the ledger again if a failed write closed it (the disk is back); if that write's
    /// outcome was unknown, reads which of its events landed and says so.
    fn settle(&mut self) -> Option<Msg> {
        self.ledger.recover().ok()?;
        let (purpose, head_before) = self.unsettled?;
        let view = self.ledger.view().ok()?;
        let events: Vec<_> = view
            .events(head_before + 1, u64::MAX)
            .ok()?
            .into_iter()
            .map(|(event, _)| event)
            .collect();
        self.model.data.refresh(&view, &events).ok()?;
        self.unsettled = None;
        Some(Msg::Opened(Opened::Settled { purpose, events }))
    }

    /// Loads the station and opens the till at its login screen (the setup screen for a new
    /// station): nobody is logged in until an operator's PIN is checked.
    pub fn at_login(
        ledger: Ledger,
        lang: Lang,
        receipts_dir: PathBuf,
        keymap: Keymap,
        clock: Clock,
    ) -> Result<App, StoreError> {
        // The households come in after the first frame, into the login model's copy.
        let mut app = App::starting(ledger, lang, "", Access::Till, receipts_dir, keymap, clock)?;
        let model = &app.model;
        app.model = Model::at_login(model.data.clone(), lang, model.keymap.clone(), model.now_ms);
        Ok(app)
    }

    /// The station's data directory, where its keys are and bundles are held (USB sync needs it;
    /// without one the sync screen shows the state but cannot export or import).
    pub fn with_data_dir(mut self, data_dir: PathBuf) -> App {
        self.data_dir = Some(data_dir);
        self
    }

    /// Removable drives as fixed mount points instead of the system's (tests and snapshots,
    /// which must not depend on the sticks plugged into the machine running them).
    pub fn with_usb_mounts(mut self, mounts: Vec<PathBuf>) -> App {
        self.usb_mounts = Some(mounts);
        self
    }

    /// How receipts are printed (the station's `station.toml`); without it, 58 mm text files
    /// in the receipts folder.
    pub fn with_receipt_settings(mut self, settings: ReceiptSettings) -> App {
        self.receipt_settings = settings;
        self
    }

    /// The ledger (for tests that check what was written).
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// Whether the till should close.
    pub fn quitting(&self) -> bool {
        self.model.quitting
    }

    /// A key pressed now.
    pub fn press(&mut self, key: KeyPress) {
        let at_ms = self.key_clock_ms();
        self.send(Msg::Key { key, at_ms });
    }

    fn key_clock_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .saturating_add(self.key_offset_ms)
    }

    /// A key pressed at a given time on the till's own clock (tests of scanner timing).
    pub fn press_at(&mut self, key: KeyPress, at_ms: u64) {
        self.send(Msg::Key { key, at_ms });
    }

    /// Types each character of `text` as a key, slowly (as a person, not a scanner).
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.key_offset_ms = self.key_offset_ms.saturating_add(1_000);
            let at_ms = self.key_clock_ms();
            self.send(Msg::Key {
                key: KeyPress::char(c),
                at_ms,
            });
        }
    }

    /// Handles a message and every message its effects answer with.
    pub fn send(&mut self, msg: Msg) {
        self.settle_households();
        let mut queue = VecDeque::from([msg]);
        if let Some(settled) = self.settle() {
            queue.push_front(settled);
        }
        let mut handled = 0;
        while let Some(msg) = queue.pop_front() {
            handled += 1;
            if handled > MESSAGES_PER_INPUT_MAX {
                break;
            }
            if let Ok(now) = self.clock.now_ms() {
                self.model.now_ms = now;
            }
            for effect in update(&mut self.model, msg) {
                if let Some(answer) = self.run(effect) {
                    queue.push_back(answer);
                }
            }
        }
    }

    /// Draws the till.
    pub fn draw(&self, frame: &mut Frame) {
        view(&self.model, frame);
    }

    fn run(&mut self, effect: Effect) -> Option<Msg> {
        match effect {
            Effect::Commit { commands, purpose } => Some(self.committed(commands, purpose, None)),
            Effect::CommitConfirmed {
                commands,
                purpose,
                date,
            } => Some(self.committed(commands, purpose, Some(date))),
            Effect::PrintReceipt { seq, print } => Some(self.print_receipt(seq, print)),
            Effect::SaveReport { report, usb_folder } => Some(Msg::ReportOut {
                result: self.save_report(&report, &usb_folder),
            }),
            Effect::PrintReport(report) => Some(Msg::ReportOut {
                result: self.print_report(&report),
            }),
            Effect::Load(query) => {
                Some(Msg::Loaded(self.load(&query).unwrap_or_else(|e| {
                    Loaded::Failed(e.message(self.model.lang))
                })))
            }
            Effect::Export { folder } => Some(Msg::Synced {
                direction: SyncDirection::Export,
                result: self.export(&folder),
            }),
            Effect::Import { folder } => Some(self.imported(folder, None)),
            Effect::ImportConfirmed { folder, date } => Some(self.imported(folder, Some(date))),
            Effect::MakeKeys => Some(Msg::KeysMade(self.make_keys())),
            Effect::RememberUsb(folder) => Some(Msg::UsbRemembered(reads::remember_usb(
                self.data_dir.as_deref(),
                &folder,
                self.model.lang,
            ))),
            Effect::CheckPin { purpose, name, pin } => {
                let answer = self.check_pin(&name, &pin);
                Some(Msg::PinChecked {
                    purpose,
                    name,
                    answer,
                })
            }
            Effect::Backup { folder, passphrase } => {
                Some(Msg::BackedUp(self.backup(&folder, &passphrase.0)))
            }
            Effect::Quit => {
                self.model.quitting = true;
                None
            }
        }
    }

    /// Makes the new station's sync keys in its data directory (as `aixin init` does) and
    /// returns their fingerprint; keys already there are kept and theirs is returned.
    fn make_keys(&self) -> Result<String, String> {
        let lang = self.model.lang;
        let station = self.ledger.station().to_string();
        let data_dir = self.data_dir.as_ref().ok_or_else(|| {
            lang.pick(
                "不知道本站的数据目录，没有生成同步密钥；请运行 aixin keys create",
                "this station's data directory is unknown, so no sync keys were made; run aixin keys create",
            )
            .to_string()
        })?;
        let keys = match StationKeys::load(data_dir) {
            Ok(keys) => keys,
            Err(_) => {
                let keys = StationKeys::generate();
                keys.save(data_dir).map_err(|e| e.message(lang))?;
                keys
            }
        };
        Ok(keys.public(&station).fingerprint())
    }

    /// The data dir and this station's keys, or why sync cannot run.
    fn sync_setup(&self) -> Result<(PathBuf, StationKeys, i64), String> {
        let lang = self.model.lang;
        let data_dir = self.data_dir.clone().ok_or_else(|| {
            lang.pick(
                "不知道本站的数据目录，无法同步；请用 aixin 打开本站",
                "this station's data directory is unknown, so it cannot sync; open it with aixin",
            )
            .to_string()
        })?;
        let keys = StationKeys::load(&data_dir).map_err(|e| SyncError::from(e).message(lang))?;
        let now_ms = self.clock.now_ms().map_err(|e| e.to_string())?;
        Ok((data_dir, keys, now_ms))
    }

    fn export(&mut self, folder: &Path) -> Result<Vec<SyncLine>, String> {
        let lang = self.model.lang;
        let (_, keys, now_ms) = self.sync_setup()?;
        let exported = export_to_folder(&mut self.ledger, &keys, folder, None, now_ms)
            .map_err(|e| e.message(lang))?;
        let mut lines: Vec<SyncLine> = export_lines(lang, &exported)
            .into_iter()
            .map(|text| SyncLine {
                tone: Tone::Info,
                text,
            })
            .collect();
        lines.push(SyncLine {
            tone: Tone::Good,
            text: safe_to_remove(lang).to_string(),
        });
        Ok(lines)
    }

    /// Runs an import and answers: what each bundle did, or a clock question for the manager
    /// when the clock rules refused this station's own entries the bundles imply.
    fn imported(&mut self, folder: PathBuf, confirmed_date: Option<CivilDate>) -> Msg {
        match self.import(&folder, confirmed_date) {
            Err(ImportError::Clock(clock)) => Msg::ClockRefused {
                clock,
                retry: Retry::Import { folder },
            },
            result => Msg::Synced {
                direction: SyncDirection::Import,
                result: result.map_err(|e| match e {
                    ImportError::Said(text) => text,
                    ImportError::Clock(_) => String::new(),
                }),
            },
        }
    }

    fn import(
        &mut self,
        folder: &Path,
        confirmed_date: Option<CivilDate>,
    ) -> Result<Vec<SyncLine>, ImportError> {
        let lang = self.model.lang;
        let (data_dir, keys, now_ms) = self.sync_setup().map_err(ImportError::Said)?;
        let moment = Moment {
            now_ms,
            confirmed_date,
        };
        let outcomes = import_paths(
            &mut self.ledger,
            &keys,
            &data_dir,
            &[folder.to_path_buf()],
            &self.model.operator,
            moment,
        )
        .map_err(|e| ImportError::Said(e.message(lang)))?;
        if let Some(clock) = outcomes.iter().find_map(clock_issue_of) {
            return Err(ImportError::Clock(clock));
        }
        let mut lines = Vec::new();
        for outcome in &outcomes {
            let tone = match outcome_kind(outcome) {
                OutcomeKind::Applied => Tone::Good,
                OutcomeKind::NothingNew | OutcomeKind::Held => Tone::Info,
                OutcomeKind::Fork | OutcomeKind::Refused => Tone::Bad,
            };
            let (text, _) = describe_outcome(lang, outcome);
            for (i, part) in text.lines().enumerate() {
                lines.push(SyncLine {
                    tone: if i > 0 { Tone::Bad } else { tone },
                    text: part.to_string(),
                });
            }
        }
        // Imported bundles may have brought stock, goods, policy or households for this station.
        let said = |e: StoreError| ImportError::Said(e.message(lang));
        let view = self.ledger.view().map_err(said)?;
        self.model.data = Data::load(&view).map_err(said)?;
        Ok(lines)
    }

    /// Checks an operator's PIN; the store counts wrong ones in a row.
    fn check_pin(&mut self, name: &str, pin: &Pin) -> PinAnswer {
        let lang = self.model.lang;
        match self.ledger.check_pin(name, pin) {
            Ok(PinCheck::Right) => PinAnswer::Right,
            Ok(PinCheck::Wrong { failures }) => PinAnswer::Wrong { failures },
            Ok(PinCheck::NoPin) => PinAnswer::Said(match lang {
                Lang::Zh => format!("本机没有保存 {name} 的密码；请另一位管理员重设（aixin operator pin {name}）"),
                Lang::En => format!("this computer keeps no PIN for {name}; another manager can set one (aixin operator pin {name})"),
            }),
            Err(e) => PinAnswer::Said(e.message(lang)),
        }
    }

    /// Backs the station up into `folder` and checks the file; the lines for the report.
    fn backup(&mut self, folder: &Path, passphrase: &str) -> Result<Vec<SyncLine>, String> {
        let lang = self.model.lang;
        let data_dir = self.data_dir.clone().ok_or_else(|| {
            lang.pick(
                "不知道本站的数据目录，无法备份；请用 aixin 打开本站",
                "this station's data directory is unknown, so it cannot be backed up; open it with aixin",
            )
            .to_string()
        })?;
        let now_ms = self.clock.now_ms().map_err(|e| e.to_string())?;
        let done = backup_to(&self.ledger, &data_dir, folder, passphrase, now_ms)
            .map_err(|e| e.message(lang))?;
        self.ledger
            .record_backup_ms(now_ms)
            .map_err(|e| e.message(lang))?;
        let kib = done.bytes.div_ceil(1024);
        let line = |tone, text: String| SyncLine { tone, text };
        Ok(vec![
            line(
                Tone::Info,
                match lang {
                    Lang::Zh => format!(
                        "备份 {}（{kib} KB，记录至 #{}）",
                        done.path.display(),
                        done.manifest.head_seq
                    ),
                    Lang::En => format!(
                        "backup {} ({kib} KB, up to #{})",
                        done.path.display(),
                        done.manifest.head_seq
                    ),
                },
            ),
            line(
                Tone::Good,
                lang.pick(
                    "备份已写入并读回校验，可以拔出U盘；口令请另外保管",
                    "backup written, read back and checked: safe to remove the stick; keep the passphrase apart",
                )
                .to_string(),
            ),
        ])
    }

    fn sync_state(&self) -> Result<SyncState, StoreError> {
        let meta = self.ledger.view()?.require_meta()?;
        let (held, forks) = match &self.data_dir {
            Some(dir) => (held_notes(dir), fork_notes(dir)),
            None => (Vec::new(), Vec::new()),
        };
        let consolidation = if is_township(meta.role) {
            Some(consolidate(&self.ledger, &held, &forks, self.model.now_ms)?)
        } else {
            None
        };
        Ok(SyncState {
            station_id: meta.station_id,
            role: meta.role,
            head_seq: meta.head_seq,
            peers: roster_lines(&self.ledger)?,
            held,
            forks,
            consolidation,
            last_backup_ms: self.ledger.last_backup_ms()?,
        })
    }

    /// Runs a commit and answers: done, refused in words, or a clock question for the manager.
    fn committed(
        &mut self,
        commands: Vec<Command>,
        purpose: Purpose,
        confirmed_date: Option<CivilDate>,
    ) -> Msg {
        match self.commit(&commands, purpose, confirmed_date) {
            Ok(events) => Msg::Committed {
                purpose,
                result: Ok(events),
            },
            Err(CommitError::Clock(clock)) => Msg::ClockRefused {
                clock,
                retry: Retry::Commit { commands, purpose },
            },
            Err(CommitError::Said(message)) => Msg::Committed {
                purpose,
                result: Err(message),
            },
        }
    }

    fn commit(
        &mut self,
        commands: &[Command],
        purpose: Purpose,
        confirmed_date: Option<CivilDate>,
    ) -> Result<Vec<crate::domain::Event>, CommitError> {
        let lang = self.model.lang;
        let now_ms = self
            .clock
            .now_ms()
            .map_err(|e| CommitError::Said(e.to_string()))?;
        let moment = Moment {
            now_ms,
            confirmed_date,
        };
        let result = self
            .ledger
            .execute_batch_at(&self.model.operator, &moment, commands);
        let events = match result {
            Ok(events) => events,
            Err(e) => {
                if let StoreError::Uncertain(_) = e {
                    let head = self.model.data.meta.as_ref().map_or(0, |m| m.head_seq);
                    self.unsettled = Some((purpose, head));
                }
                let refusal = match &e {
                    StoreError::Refused(r) | StoreError::BatchRefused { refusal: r, .. } => Some(r),
                    _ => None,
                };
                return Err(match refusal {
                    Some(Refusal::ClockUnconfirmed { now_ms, last_ms }) => {
                        CommitError::Clock(ClockIssue::Unconfirmed {
                            now_ms: *now_ms,
                            last_ms: *last_ms,
                        })
                    }
                    Some(Refusal::ClockBehind { now_ms, last_ms }) => {
                        CommitError::Clock(ClockIssue::Behind {
                            now_ms: *now_ms,
                            last_ms: *last_ms,
                        })
                    }
                    _ => CommitError::Said(match e {
                        StoreError::BatchRefused { refusal, .. } if commands.len() == 1 => {
                            refusal.message(lang)
                        }
                        other => other.message(lang),
                    }),
                });
            }
        };
        let said = |e: StoreError| CommitError::Said(e.message(lang));
        let view = self.ledger.view().map_err(said)?;
        if purpose == Purpose::Setup {
            self.model.data = Data::load(&view).map_err(said)?;
        } else {
            self.model.data.refresh(&view, &events).map_err(said)?;
        }
        Ok(events)
    }

    /// Reads the receipt of event `seq` from the ledger, lays it out and sends it where the
    /// station's settings say; answers with its text and where it went.
    fn print_receipt(&self, seq: u64, print: Print) -> Msg {
        let lang = self.model.lang;
        let receipt = self
            .ledger
            .view()
            .map_err(ReceiptError::from)
            .and_then(|view| source::by_seq(&view, seq, print));
        let receipt = match receipt {
            Ok(receipt) => receipt,
            Err(e) => {
                return Msg::ReceiptPrinted {
                    text: String::new(),
                    result: Err(e.message(lang)),
                }
            }
        };
        let rendered = output::render(&receipt, &self.receipt_settings, lang);
        let result = output::send(
            &rendered,
            &receipt,
            &self.receipt_settings,
            &self.receipts_dir,
        )
        .map(|path| path.display().to_string())
        .map_err(|e| e.message(lang));
        Msg::ReceiptPrinted {
            text: rendered.text,
            result,
        }
    }

    /// The report on screen as a sheet, with its file name (ASCII, for a FAT USB stick) and
    /// the short form for the receipt printer.
    fn report_sheet(&self, report: &ReportOf) -> Result<(Sheet, String, String), StoreError> {
        let lang = self.model.lang;
        let view = self.ledger.view()?;
        let meta = view.require_meta()?;
        let station = station_label(&meta.name, &meta.station_id, lang);
        let columns = self.receipt_settings.width.columns();
        Ok(match report {
            ReportOf::Session(asked) => {
                let report = session_report(&view, *asked)?;
                let name = match report.closed_ms {
                    Some(_) => format!("{}-Z{}", meta.station_id, report.session_no),
                    None => format!("{}-X{}", meta.station_id, report.session_no),
                };
                let slip = report.slip(lang, &station, columns);
                (report.to_sheet(lang, &station), name, slip)
            }
            ReportOf::Board(period) => {
                let board = board(&view, period)?;
                let name = format!("{}-board-{}", meta.station_id, board.period);
                let slip = board_slip(&board, lang, &station, columns);
                (board.to_sheet(lang, &station), name, slip)
            }
        })
    }

    /// Saves the report on screen as an A4 workbook: on the USB stick when its folder is there,
    /// else in the data dir's `reports` folder. Answers with where it went.
    fn save_report(&self, report: &ReportOf, usb_folder: &Path) -> Result<String, String> {
        let lang = self.model.lang;
        let (sheet, name, _) = self.report_sheet(report).map_err(|e| e.message(lang))?;
        let folder = if usb_folder.is_dir() {
            usb_folder.to_path_buf()
        } else {
            let reports = match &self.data_dir {
                Some(dir) => dir.join("reports"),
                None => self.receipts_dir.with_file_name("reports"),
            };
            std::fs::create_dir_all(&reports).map_err(|e| {
                format!(
                    "{} {}: {e}",
                    lang.pick("无法建立文件夹", "cannot make"),
                    reports.display()
                )
            })?;
            reports
        };
        let path = folder.join(format!("{name}.xlsx"));
        write_sheet(&sheet, OutputKind::Xlsx, &path).map_err(|e| e.message(lang))?;
        Ok(format!(
            "{}{}",
            lang.pick(
                "已保存 A4 报表（可用 Excel/WPS 打印）：",
                "A4 report saved (print it from Excel/WPS): "
            ),
            path.display()
        ))
    }

    /// Prints the short form of the report on screen on the station's receipt printer (or its
    /// file in the receipts folder). Answers with where it went.
    fn print_report(&self, report: &ReportOf) -> Result<String, String> {
        let lang = self.model.lang;
        let (_, name, slip) = self.report_sheet(report).map_err(|e| e.message(lang))?;
        let to = output::send_slip(&slip, &self.receipt_settings, &self.receipts_dir, &name)
            .map_err(|e| e.message(lang))?;
        Ok(format!(
            "{}{}",
            lang.pick("已打印到：", "printed to: "),
            to.display()
        ))
    }

    fn load(&self, query: &Query) -> Result<Loaded, StoreError> {
        let view = self.ledger.view()?;
        Ok(match query {
            Query::Cart(question) => Loaded::Cart {
                question: question.clone(),
                verdict: cart_verdict(&view, question, self.model.now_ms)?,
            },
            Query::History(id) => {
                let mut sales: Vec<_> = view
                    .sales()?
                    .into_iter()
                    .filter(|s| &s.household_id == id)
                    .collect();
                sales.reverse();
                sales.truncate(RECENT_SALES_MAX);
                let mut awards: Vec<_> = view
                    .awards()?
                    .into_iter()
                    .filter(|a| &a.household_id == id)
                    .collect();
                awards.reverse();
                awards.truncate(RECENT_SALES_MAX);
                Loaded::History {
                    household_id: id.clone(),
                    history: History {
                        household: view.state().household(id)?.map(Box::new),
                        sales,
                        awards,
                    },
                }
            }
            Query::Session(asked) => Loaded::Session {
                asked: *asked,
                report: Box::new(session_report(&view, *asked)?),
            },
            Query::YearEnd(year) => Loaded::YearEnd(Box::new(year_end_sheet(
                &view,
                *year,
                CivilDate::from_utc_ms(self.model.now_ms),
            )?)),
            Query::PendingAwards => {
                Loaded::PendingAwards(view.state().pending_awards().map_err(StoreError::from)?)
            }
            Query::Sales => Loaded::Sales(view.recent_sales(RECENT_SALES_MAX)?),
            Query::Sale(seq) => Loaded::Sale {
                seq: *seq,
                sale: view.state().sale(*seq)?,
            },
            Query::Tallies(period) => Loaded::Tallies {
                period: period.clone(),
                tallies: view.period_tallies(period)?,
            },
            Query::Board(period) => Loaded::Board(Box::new(board(&view, period)?)),
            Query::Sync => Loaded::Sync(Box::new(self.sync_state()?)),
            Query::Stats(year) => Loaded::Stats(Box::new(stats_report(
                &view,
                *year,
                CivilDate::from_utc_ms(self.model.now_ms),
            )?)),
            Query::Household(id) => Loaded::Household(view.state().household(id)?.map(Box::new)),
            Query::SheetFiles(folder) => Loaded::SheetFiles {
                folder: folder.clone(),
                files: reads::sheet_files(folder, self.model.lang),
            },
            Query::SheetPreview(path) => Loaded::SheetPreview(reads::sheet_preview(
                &view,
                path,
                self.model.now_ms,
                self.model.lang,
            )),
            Query::CountSheet(path) => reads::count_sheet(&view, path, self.model.lang)?,
            Query::Usb => Loaded::Usb(reads::usb_found(
                self.data_dir.as_deref(),
                self.usb_mounts.clone(),
                self.model.lang,
            )),
        })
    }
}

/// What the domain says of a cart, without writing: an empty cart asks whether the household
/// may redeem today (the window and eligibility); a filled one is decided as the redemption it
/// would be, at `now_ms`.
fn cart_verdict(
    view: &View,
    question: &CartQuestion,
    now_ms: i64,
) -> Result<CartVerdict, StoreError> {
    let decided = if question.lines.is_empty() {
        let meta = view.require_meta()?;
        let today = CivilDate::from_utc_ms(now_ms);
        redemption_gate(view.state(), &meta.policy, today, &question.household_id).map(|()| 0)
    } else {
        let redeem = Command::Redeem {
            household: HouseholdRef::Id(question.household_id.clone()),
            lines: question.lines.clone(),
            proxy: None,
        };
        // A long gap since the last entry is asked about at checkout, not in the cart: the dry
        // run takes the date shown as confirmed.
        let moment = Moment::confirmed(now_ms, CivilDate::from_utc_ms(now_ms));
        decide_at(view.state(), &redeem, &moment).map(|bodies| {
            bodies
                .iter()
                .find_map(|body| match body {
                    EventBody::Redeemed { total_points, .. } => Some(*total_points),
                    _ => None,
                })
                .unwrap_or(0)
        })
    };
    match decided {
        Ok(total_points) => Ok(CartVerdict::Accepted { total_points }),
        Err(DecideError::Refused(refusal)) => Ok(CartVerdict::Refused(refusal)),
        Err(DecideError::Fault(fault)) => Err(StoreError::from(fault)),
    }
}

mod reads;
#[cfg(test)]
mod tests;

/// Why a commit did not go through.
enum CommitError {
    /// A clock refusal the manager can answer in the till.
    Clock(ClockIssue),
    /// Anything else, in words.
    Said(String),
}

/// Why an import did not go through.
enum ImportError {
    /// A clock refusal of this station's own implied entries: the manager can answer it.
    Clock(ClockIssue),
    /// Anything else, in words.
    Said(String),
}

/// The clock question a refused bundle asks, if its refusal was the clock's.
fn clock_issue_of(outcome: &crate::sync::files::FileOutcome) -> Option<ClockIssue> {
    let Err(SyncError::Store(StoreError::Refused(refusal))) = &outcome.result else {
        return None;
    };
    match refusal {
        Refusal::ClockUnconfirmed { now_ms, last_ms } => Some(ClockIssue::Unconfirmed {
            now_ms: *now_ms,
            last_ms: *last_ms,
        }),
        Refusal::ClockBehind { now_ms, last_ms } => Some(ClockIssue::Behind {
            now_ms: *now_ms,
            last_ms: *last_ms,
        }),
        _ => None,
    }
}
