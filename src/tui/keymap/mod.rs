//! Keymaps as data. `keymaps/default.toml` (built into the binary) binds every action to keys,
//! one section per context, each binding `{ on, run, desc_zh, desc_en }`; a user file
//! `keymap.toml` in the config directory overrides only the bindings it names. Reading a file is
//! the edge ([`Keymap::load`]); [`parse`] is pure and every error carries the file and line, so a
//! bad key file stops the till before it touches the terminal instead of being silently ignored.

mod key;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::i18n::Lang;

pub use key::{KeyName, KeyPress};

/// The shipped keymap, built into the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../../keymaps/default.toml");

/// The name shown for the shipped keymap in errors.
pub const DEFAULT_KEYMAP_PATH: &str = "keymaps/default.toml";

/// The user keymap's file name inside the config directory.
pub const USER_KEYMAP_FILE: &str = "keymap.toml";

/// At most this many bindings in one keymap file (a limit on everything).
pub const BINDINGS_MAX: usize = 1_000;

/// At most this many bytes in a keymap file.
pub const KEYMAP_BYTES_MAX: u64 = 256 * 1024;

macro_rules! names {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$meta])*
        pub enum $name { $($(#[$vmeta])* $variant,)* }
        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];
            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text,)* }
            }
            /// Parses the name used in keymap files.
            pub fn from_name(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)* _ => None }
            }
        }
    };
}

names! {
    /// Where a key is pressed: a panel, a screen or a popup; one keymap section each.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Context {
        /// Everywhere outside popups.
        Global = "global",
        /// The household lookup panel.
        Lookup = "lookup",
        /// The goods catalog panel.
        Catalog = "catalog",
        /// The cart panel.
        Cart = "cart",
        /// The checkout popup (proxy collector, confirm).
        Checkout = "checkout",
        /// A yes/no question.
        Confirm = "confirm",
        /// A reason prompt (void a sale).
        Reason = "reason",
        /// Read-only popups: help, household details, receipt.
        Popup = "popup",
        /// The receive-stock screen.
        Receive = "receive",
        /// The score entry grid.
        Scores = "scores",
        /// Confirming awards after publicity.
        Awards = "awards",
        /// The day log (X/Z).
        Day = "day",
        /// Voiding a sale.
        Void = "void",
        /// The publicity board.
        Board = "board",
        /// The first-run setup screen.
        Setup = "setup",
        /// USB sync: state, export, import, township consolidation.
        Sync = "sync",
        /// The statistics of the year (charts).
        Stats = "stats",
        /// The households screen (一户一档).
        Households = "households",
        /// The goods screen (catalog, low-stock reminders).
        Goods = "goods",
        /// The stocktake screen (盘点).
        Stocktake = "stocktake",
        /// A popup form (a household's file, a card, an item, an objection…).
        Form = "form",
        /// Choosing a sheet file on the USB stick.
        Sheet = "sheet",
        /// The preview of a sheet import.
        Preview = "preview",
        /// The login screen: choose an operator and type the PIN (or create the first manager).
        Login = "login",
        /// A PIN or passphrase popup: a manager's PIN to leave monitor mode, a backup's
        /// passphrase.
        Secret = "secret",
    }
}

names! {
    /// Everything a key can do; what it means depends on the context it is bound in.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
    pub enum Action {
        /// Show the key help overlay.
        Help = "help",
        /// Leave the till.
        Quit = "quit",
        /// Back to the till screen.
        Back = "back",
        /// Switch monitor (read-only) mode on or off.
        ToggleMonitor = "toggle_monitor",
        /// Focus the household lookup.
        FocusLookup = "focus_lookup",
        /// Focus the goods catalog.
        FocusCatalog = "focus_catalog",
        /// Focus the cart.
        FocusCart = "focus_cart",
        /// Next panel.
        FocusNext = "focus_next",
        /// Previous panel.
        FocusPrev = "focus_prev",
        /// Check the cart out.
        Checkout = "checkout",
        /// Open the till screen.
        OpenTill = "open_till",
        /// Open receive stock.
        OpenReceive = "open_receive",
        /// Open score entry.
        OpenScores = "open_scores",
        /// Open award confirmation.
        OpenAwards = "open_awards",
        /// Open the day log.
        OpenDay = "open_day",
        /// Open void a sale.
        OpenVoid = "open_void",
        /// Open the publicity board.
        OpenBoard = "open_board",
        /// Open the USB sync screen.
        OpenSync = "open_sync",
        /// Open the statistics of the year.
        OpenStats = "open_stats",
        /// Move up a row.
        Up = "up",
        /// Move down a row.
        Down = "down",
        /// Move up a page.
        PageUp = "page_up",
        /// Move down a page.
        PageDown = "page_down",
        /// Move to a list's first row.
        First = "first",
        /// Move to a list's last row (a long Z report's latest events).
        Last = "last",
        /// Choose the highlighted row.
        Select = "select",
        /// Show details of the household.
        Details = "details",
        /// Empty the input field.
        ClearInput = "clear_input",
        /// Next zone filter.
        ZoneNext = "zone_next",
        /// Previous zone filter.
        ZonePrev = "zone_prev",
        /// Next category filter.
        CategoryNext = "category_next",
        /// One more of the line.
        QtyUp = "qty_up",
        /// One less of the line.
        QtyDown = "qty_down",
        /// Remove the line.
        RemoveLine = "remove_line",
        /// Empty the cart.
        ClearCart = "clear_cart",
        /// Answer yes.
        Confirm = "confirm",
        /// Answer no / close.
        Cancel = "cancel",
        /// Next form field.
        FieldNext = "field_next",
        /// Previous form field.
        FieldPrev = "field_prev",
        /// Next choice in a field.
        OptionNext = "option_next",
        /// Previous choice in a field.
        OptionPrev = "option_prev",
        /// Commit the form or grid.
        Submit = "submit",
        /// Mark or unmark a row.
        ToggleMark = "toggle_mark",
        /// Mark every row that can be done.
        MarkAll = "mark_all",
        /// Close the till session (Z report).
        CloseDay = "close_day",
        /// Year-end clearing of last year, after its preview (一年一清).
        CloseYear = "close_year",
        /// Previous day.
        DayPrev = "day_prev",
        /// Next day.
        DayNext = "day_next",
        /// Print the chosen sale's or void's receipt again, marked 重印 / REPRINT.
        Reprint = "reprint",
        /// Save the report on screen as an A4 workbook (USB stick or data dir).
        SaveReport = "save_report",
        /// Print the report on screen on the receipt printer.
        PrintReport = "print_report",
        /// Previous period.
        PeriodPrev = "period_prev",
        /// Next period.
        PeriodNext = "period_next",
        /// Write bundles for the peer stations into the folder.
        Export = "export",
        /// Import the bundles in the folder addressed to this station.
        Import = "import",
        /// Open the households screen.
        OpenHouseholds = "open_households",
        /// Open the goods screen.
        OpenGoods = "open_goods",
        /// A new record: a household, a catalog item (also on the receive screen).
        New = "new",
        /// Correct or change the highlighted record.
        Edit = "edit",
        /// Replace the highlighted household's lost card.
        ReissueCard = "reissue_card",
        /// Read a sheet from the USB stick (households, stocktake counts).
        ImportSheet = "import_sheet",
        /// Set the highlighted item's low-stock reminder.
        LowStock = "low_stock",
        /// Open the stocktake.
        Stocktake = "stocktake",
        /// Revoke the highlighted award after an objection.
        Revoke = "revoke",
        /// Revoke the highlighted award and enter the corrected score.
        Correct = "correct",
        /// Enroll the partner station whose key line was typed.
        Enroll = "enroll",
        /// Look for the USB stick again.
        FindUsb = "find_usb",
        /// Write an encrypted backup of the station into the folder.
        Backup = "backup",
    }
}

impl Action {
    /// Whether the action means something in the context; anything else in a keymap is an error.
    pub fn allowed_in(self, context: Context) -> bool {
        use Action::*;
        use Context as C;
        let rows = [
            C::Lookup,
            C::Catalog,
            C::Cart,
            C::Receive,
            C::Scores,
            C::Awards,
            C::Day,
            C::Void,
            C::Board,
            C::Popup,
            C::Setup,
            C::Sync,
            C::Households,
            C::Goods,
            C::Stocktake,
            C::Sheet,
            C::Preview,
            C::Form,
            C::Login,
        ];
        match self {
            Help | Quit | Back | ToggleMonitor | FocusLookup | FocusCatalog | FocusCart
            | FocusNext | FocusPrev | Checkout | OpenTill | OpenReceive | OpenScores
            | OpenAwards | OpenDay | OpenVoid | OpenBoard | OpenSync | OpenStats
            | OpenHouseholds | OpenGoods => context == C::Global,
            Up | Down | PageUp | PageDown => rows.contains(&context),
            // The lists whose highlight moves row by row (not the scrolled popups and forms).
            First | Last => matches!(
                context,
                C::Lookup
                    | C::Catalog
                    | C::Cart
                    | C::Scores
                    | C::Awards
                    | C::Day
                    | C::Void
                    | C::Board
                    | C::Sync
                    | C::Households
                    | C::Goods
                    | C::Stocktake
                    | C::Sheet
            ),
            Select => matches!(
                context,
                C::Lookup | C::Catalog | C::Cart | C::Void | C::Receive | C::Form | C::Sheet
            ),
            Details => matches!(context, C::Lookup | C::Cart | C::Households),
            ClearInput => matches!(
                context,
                C::Lookup
                    | C::Catalog
                    | C::Scores
                    | C::Receive
                    | C::Checkout
                    | C::Reason
                    | C::Setup
                    | C::Sync
                    | C::Login
                    | C::Secret
                    | C::Void
                    | C::Households
                    | C::Goods
                    | C::Stocktake
                    | C::Form
                    | C::Sheet
            ),
            ZoneNext | ZonePrev | CategoryNext => context == C::Catalog,
            QtyUp | QtyDown | RemoveLine | ClearCart => context == C::Cart,
            Confirm => matches!(
                context,
                C::Checkout | C::Confirm | C::Reason | C::Popup | C::Preview | C::Secret
            ),
            Cancel => matches!(
                context,
                C::Checkout
                    | C::Confirm
                    | C::Reason
                    | C::Popup
                    | C::Preview
                    | C::Form
                    | C::Sheet
                    | C::Secret
            ),
            FieldNext | FieldPrev => {
                matches!(
                    context,
                    C::Receive
                        | C::Setup
                        | C::Checkout
                        | C::Form
                        | C::Sync
                        | C::Scores
                        | C::Login
                        | C::Secret
                )
            }
            OptionNext | OptionPrev => {
                matches!(
                    context,
                    C::Receive | C::Setup | C::Checkout | C::Form | C::Secret
                )
            }
            Submit => matches!(
                context,
                C::Receive | C::Scores | C::Awards | C::Setup | C::Stocktake | C::Form | C::Login
            ),
            ToggleMark | MarkAll => context == C::Awards,
            CloseDay | CloseYear | DayPrev | DayNext | Reprint => context == C::Day,
            SaveReport | PrintReport => matches!(context, C::Day | C::Board),
            PeriodPrev | PeriodNext => matches!(context, C::Board | C::Scores | C::Stats),
            Export | Import | Enroll | FindUsb | Backup => context == C::Sync,
            New => matches!(context, C::Households | C::Goods | C::Receive),
            Edit => matches!(context, C::Households | C::Goods),
            ReissueCard => context == C::Households,
            ImportSheet => matches!(context, C::Households | C::Stocktake),
            LowStock | Stocktake => context == C::Goods,
            Revoke | Correct => context == C::Awards,
        }
    }
}

/// One key bound to one action in one context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    /// The key.
    pub key: KeyPress,
    /// What it does.
    pub action: Action,
    /// Chinese description for the help overlay.
    pub desc_zh: String,
    /// English description for the help overlay.
    pub desc_en: String,
    /// The line it was defined on (for messages).
    pub line: usize,
}

impl Binding {
    /// The description in a language.
    pub fn desc(&self, lang: Lang) -> &str {
        lang.pick(&self.desc_zh, &self.desc_en)
    }
}

/// Why a keymap could not be used; always names the file and, when known, the line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct KeymapError {
    /// The keymap file.
    pub path: PathBuf,
    /// 1-based line, 0 when the file could not be read at all.
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The bindings of every context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keymap {
    sections: BTreeMap<Context, Vec<Binding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    keymap: Vec<toml::Spanned<RawBinding>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinding {
    on: toml::Spanned<String>,
    run: toml::Spanned<String>,
    #[serde(default)]
    desc_zh: Option<String>,
    #[serde(default)]
    desc_en: Option<String>,
}

fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Parses one keymap file's text; `path` is only used in errors. Pure: no I/O.
pub fn parse(text: &str, path: &Path) -> Result<Vec<(Context, Binding)>, KeymapError> {
    let error = |offset: usize, message: String| KeymapError {
        path: path.to_path_buf(),
        line: line_of(text, offset),
        message,
    };
    let raw: BTreeMap<String, toml::Spanned<RawSection>> = toml::from_str(text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        let message = e.message().trim().to_string();
        error(offset, format!("not a valid keymap: {message}"))
    })?;
    let mut out = Vec::new();
    for (name, section) in raw {
        let Some(context) = Context::from_name(&name) else {
            let known: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
            return Err(error(
                section.span().start,
                format!(
                    "unknown section [{name}]; known sections: {}",
                    known.join(", ")
                ),
            ));
        };
        let mut seen: BTreeMap<KeyPress, usize> = BTreeMap::new();
        for spanned in section.into_inner().keymap {
            let start = spanned.span().start;
            let raw = spanned.into_inner();
            let Some(key) = KeyPress::parse(raw.on.get_ref()) else {
                return Err(error(
                    raw.on.span().start,
                    format!(
                        "unknown key \"{}\" (write e.g. F2, ctrl-g, enter, +)",
                        raw.on.get_ref()
                    ),
                ));
            };
            let Some(action) = Action::from_name(raw.run.get_ref()) else {
                return Err(error(
                    raw.run.span().start,
                    format!(
                        "unknown action \"{}\" (see keymaps/default.toml for the list)",
                        raw.run.get_ref()
                    ),
                ));
            };
            if !action.allowed_in(context) {
                return Err(error(
                    raw.run.span().start,
                    format!(
                        "action \"{}\" does nothing in [{}]",
                        action.name(),
                        context.name()
                    ),
                ));
            }
            let line = line_of(text, start);
            if let Some(first) = seen.insert(key, line) {
                return Err(error(
                    start,
                    format!(
                        "key {} is bound twice in [{}] (first on line {first})",
                        key.label(),
                        context.name()
                    ),
                ));
            }
            if out.len() >= BINDINGS_MAX {
                return Err(error(start, format!("more than {BINDINGS_MAX} bindings")));
            }
            out.push((
                context,
                Binding {
                    key,
                    action,
                    desc_zh: raw.desc_zh.unwrap_or_default(),
                    desc_en: raw.desc_en.unwrap_or_default(),
                    line,
                },
            ));
        }
    }
    Ok(out)
}

impl Keymap {
    /// The shipped keymap alone.
    pub fn builtin() -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        keymap.merge(parse(DEFAULT_KEYMAP, Path::new(DEFAULT_KEYMAP_PATH))?);
        Ok(keymap)
    }

    /// The shipped keymap with the user's `keymap.toml` from `config_dir` over it, if present.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::builtin()?;
        let Some(dir) = config_dir else {
            return Ok(keymap);
        };
        let path = dir.join(USER_KEYMAP_FILE);
        if !path.exists() {
            return Ok(keymap);
        }
        let unreadable = |message: String| KeymapError {
            path: path.clone(),
            line: 0,
            message,
        };
        let size = std::fs::metadata(&path)
            .map_err(|e| unreadable(format!("cannot read: {e}")))?
            .len();
        if size > KEYMAP_BYTES_MAX {
            return Err(unreadable(format!(
                "file is larger than {KEYMAP_BYTES_MAX} bytes"
            )));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| unreadable(format!("cannot read (is it UTF-8?): {e}")))?;
        keymap.merge(parse(&text, &path)?);
        Ok(keymap)
    }

    /// The shipped keymap overridden by a user file's text (for tests and `load`).
    pub fn with_override(text: &str, path: &Path) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::builtin()?;
        keymap.merge(parse(text, path)?);
        Ok(keymap)
    }

    /// Lays `bindings` over this keymap: in each context a named action loses its old keys, a
    /// named key loses its old action; everything not named stays. Descriptions left out are
    /// taken from the binding replaced.
    pub fn merge(&mut self, bindings: Vec<(Context, Binding)>) {
        let mut named: BTreeMap<Context, Vec<Binding>> = BTreeMap::new();
        for (context, binding) in bindings {
            named.entry(context).or_default().push(binding);
        }
        for (context, new) in named {
            let old = self.sections.remove(&context).unwrap_or_default();
            let (replaced, kept): (Vec<Binding>, Vec<Binding>) = old
                .into_iter()
                .partition(|b| new.iter().any(|n| n.action == b.action || n.key == b.key));
            let mut section = kept;
            for mut binding in new {
                if let Some(previous) = replaced.iter().find(|b| b.action == binding.action) {
                    if binding.desc_zh.is_empty() {
                        binding.desc_zh = previous.desc_zh.clone();
                    }
                    if binding.desc_en.is_empty() {
                        binding.desc_en = previous.desc_en.clone();
                    }
                }
                if binding.desc_en.is_empty() {
                    binding.desc_en = binding.action.name().replace('_', " ");
                }
                if binding.desc_zh.is_empty() {
                    binding.desc_zh = binding.desc_en.clone();
                }
                section.push(binding);
            }
            self.sections.insert(context, section);
        }
    }

    /// The action bound to a key in a context (not falling back to global).
    pub fn action(&self, context: Context, key: KeyPress) -> Option<Action> {
        let key = key.normalized();
        self.sections
            .get(&context)?
            .iter()
            .find(|b| b.key == key)
            .map(|b| b.action)
    }

    /// The bindings of a context, in file order.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        self.sections
            .get(&context)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The first key bound to an action in a context, for hints.
    pub fn key_for(&self, context: Context, action: Action) -> Option<KeyPress> {
        self.bindings(context)
            .iter()
            .find(|b| b.action == action)
            .map(|b| b.key)
    }

    /// Every key bound to an action in a context, as the hint line's caps in `lang`
    /// ([`KeyPress::cap`]: `F5/^S`, `回车/y`), joined by `/`: the help overlay lists keys by
    /// these, so help and hint line never name one key two ways.
    pub fn keys_cap(&self, context: Context, action: Action, lang: Lang) -> String {
        let keys: Vec<String> = self
            .bindings(context)
            .iter()
            .filter(|b| b.action == action)
            .map(|b| b.key.cap(lang))
            .collect();
        keys.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_count_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn every_action_in_the_keymap_is_reachable_by_some_key() {
        let keymap = Keymap::builtin().unwrap_or_else(|e| panic!("{e}"));
        for action in Action::ALL {
            let bound = Context::ALL
                .iter()
                .any(|c| keymap.bindings(*c).iter().any(|b| b.action == *action));
            assert!(bound, "{} has no key in the shipped keymap", action.name());
        }
    }
}
