//! The till's whole state as plain values: which screen, which panel has focus, which popup is
//! open (all enums), the cart, the forms, and the [`Data`] copy of the ledger. `update` changes
//! it, `view` only reads it; nothing here touches the ledger, the terminal or the clock.
//!
//! What both `update` and `view` work out from the state lives here too, so neither asks the
//! other: which actions write, refused in monitor mode (`access`), the key labels of
//! sentences, drawn from the loaded keymap (`hints`), and the score preview and an award's
//! publicity, asked of the domain (`derived`).

mod access;
mod derived;
mod forms;
mod hints;
mod login;
mod registers;
mod screens;
mod stats;
mod work;

use crate::domain::state::{AwardRecord, HouseholdRecord, SaleRecord};
use crate::domain::time::CivilDate;
use crate::i18n::Lang;
use crate::report::year_end::YearEndSheet;

use super::data::{Data, HouseholdRow, SEARCH_RESULTS_MAX};
use super::keymap::{Action, Context, Keymap};
use super::msg::{ClockIssue, Retry};

pub use access::Access;
pub use derived::ScorePreview;
pub use forms::*;
pub use login::*;
pub use registers::*;
pub use screens::*;
pub use stats::StatsScreen;
pub use work::{Leave, Work};

/// At most this many characters in any input field.
pub const INPUT_CHARS_MAX: usize = 64;

/// The screen in front of the manager.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// First run: create the station.
    Setup,
    /// Lookup, catalog and cart.
    Till,
    /// Receive stock.
    Receive,
    /// Score entry grid.
    Scores,
    /// Confirm awards after publicity.
    Awards,
    /// The day log with X/Z totals.
    Day,
    /// Void a sale.
    Void,
    /// The publicity board.
    Board,
    /// USB sync: state, export, import, township consolidation.
    Sync,
    /// The statistics of the year: charts of points, stock and budget.
    Stats,
    /// Households (一户一档): register, correct, reissue a card, import, a household's page.
    Households,
    /// Goods: add, change, low-stock reminders.
    Goods,
    /// Stocktake (盘点): counted quantities, the differences recorded with a reason.
    Stocktake,
    /// Who is at the keyboard: choose an operator and type the PIN (or create the first
    /// manager of a station that has none).
    Login,
}

/// The till panel with the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    /// Household lookup.
    Lookup,
    /// Goods catalog.
    Catalog,
    /// Cart.
    Cart,
}

impl Focus {
    /// The next panel (Tab).
    pub fn next(self) -> Focus {
        match self {
            Focus::Lookup => Focus::Catalog,
            Focus::Catalog => Focus::Cart,
            Focus::Cart => Focus::Lookup,
        }
    }

    /// The previous panel (Shift-Tab).
    pub fn prev(self) -> Focus {
        match self {
            Focus::Lookup => Focus::Cart,
            Focus::Catalog => Focus::Lookup,
            Focus::Cart => Focus::Catalog,
        }
    }
}

/// At most this many characters in a field that holds a path on the USB stick.
pub const PATH_CHARS_MAX: usize = 255;

/// At most this many characters in a partner station's public key line (about 140 long).
pub const KEY_LINE_CHARS_MAX: usize = 256;

/// A one-line text field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    /// The text typed so far.
    pub text: String,
    /// Its limit in characters; 0 is [`INPUT_CHARS_MAX`] (names, ids, numbers).
    chars_max: usize,
}

impl Input {
    /// A field holding `text`.
    pub fn with(text: &str) -> Input {
        Input::long(text, INPUT_CHARS_MAX)
    }

    /// A field of up to `chars_max` characters holding `text` (a path, a key line).
    pub fn long(text: &str, chars_max: usize) -> Input {
        Input {
            text: text.chars().take(chars_max).collect(),
            chars_max,
        }
    }

    /// The most characters the field takes.
    pub fn chars_max(&self) -> usize {
        if self.chars_max == 0 {
            INPUT_CHARS_MAX
        } else {
            self.chars_max
        }
    }

    /// Appends a character; control characters and overlong text are refused.
    pub fn push(&mut self, c: char) -> bool {
        if c.is_control() || self.text.chars().count() >= self.chars_max() {
            return false;
        }
        self.text.push(c);
        true
    }

    /// Deletes the last character.
    pub fn pop(&mut self) -> bool {
        self.text.pop().is_some()
    }

    /// Empties the field.
    pub fn clear(&mut self) {
        self.text.clear();
    }

    /// The text without surrounding spaces.
    pub fn value(&self) -> &str {
        self.text.trim()
    }

    /// Removes `suffix` from the end if the text ends with it (undoing a scanner's digits).
    /// A field with a length limit may hold only the first digits, so the longest prefix of
    /// `suffix` that ends the text is removed.
    pub fn strip_suffix(&mut self, suffix: &str) -> bool {
        for end in (1..=suffix.len()).rev() {
            let Some(part) = suffix.get(..end) else {
                continue;
            };
            if self.text.ends_with(part) {
                let keep = self.text.len() - part.len();
                self.text.truncate(keep);
                return true;
            }
        }
        false
    }
}

/// How a status message reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Neutral information.
    Info,
    /// Something was done.
    Good,
    /// Something was refused or failed.
    Bad,
}

/// The message in the status line. It belongs to the screen that said it: another screen
/// does not show it, and switching screens clears it. A refusal about something the user can
/// fix (the cart, a search) belongs to that thing as it was when said: once it changes the
/// refusal no longer holds and goes ([`Model::forget_stale_status`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    /// The sentence.
    pub text: String,
    /// How it is coloured.
    pub tone: Tone,
    /// The screen it was said on.
    pub screen: Screen,
    /// What the sentence was about, as it was then; `None` for a sentence that stands alone.
    pub about: Option<About>,
}

/// What a status sentence was about, as it was when said (see [`Status`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum About {
    /// The cart: its household and its lines (a refusal to check out, a stock limit).
    Cart(Option<String>, Vec<CartLine>),
    /// The household lookup's search text ("no household found").
    Lookup(String),
    /// The goods catalog's search text ("no matching goods").
    Catalog(String),
}

/// A yes/no question and what "yes" does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Question {
    /// Close the open till session, whose Z number this is.
    CloseDay(u64),
    /// Clear a year's credit, as its preview shows (一年一清).
    ClearYear(Box<YearEndSheet>),
    /// A write the clock rules refused: confirm the date shown, or record that the clock was
    /// fast; then the write runs again.
    Clock {
        /// What the clock found.
        clock: ClockIssue,
        /// The refused write.
        retry: Retry,
    },
    /// Leave with a filled cart; "no" shows again the popup it was asked over, if any (a
    /// checkout, a household's file).
    Quit(Option<Box<Modal>>),
    /// Commit the score grid.
    CommitScores,
    /// Confirm these awards.
    ConfirmAwards(Vec<u64>),
    /// Enroll the partner station whose key line was typed: its id, role and fingerprint are
    /// shown, to be read aloud and compared over the phone before "yes".
    Enroll(Box<Enrollment>),
    /// Typed work would be lost: leave anyway?
    Discard(Leave),
    /// Another household was chosen while the cart holds goods for the one it was filled for:
    /// "yes" empties the cart and chooses the household whose id this is, "no" keeps the cart
    /// and its household. Asked by the till's one rule for choosing a household.
    SwitchHousehold(String),
}

/// A partner station's key line, read and ready to enroll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrollment {
    /// The station the line names.
    pub station_id: String,
    /// The role it is enrolled in (the other one: a village enrolls its township).
    pub role: crate::domain::StationRole,
    /// The fingerprint to read aloud (`mkxg-kanp-4rqi-mng5`).
    pub fingerprint: String,
    /// The command that enrolls it, as `aixin station enroll` builds it.
    pub command: crate::domain::Command,
}

/// A household's whole file and recent history for the details popup, read when it opens
/// (the till keeps only list rows of its households).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    /// The household's file (members, old cards, all its points); `None` if it is gone.
    pub household: Option<Box<HouseholdRecord>>,
    /// Recent sales, newest first.
    pub sales: Vec<SaleRecord>,
    /// Recent awards, newest first.
    pub awards: Vec<AwardRecord>,
}

/// A popup over the screen; it takes the keyboard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Modal {
    /// The key help overlay.
    Help {
        /// First line shown.
        scroll: usize,
    },
    /// A household's file.
    Details {
        /// Which household.
        household_id: String,
        /// Loaded history, when it came.
        history: Option<History>,
        /// First line shown.
        scroll: usize,
    },
    /// Checkout: confirm with an optional proxy collector.
    Checkout {
        /// Who collects for the household (代领人), may be empty.
        proxy: Input,
    },
    /// A yes/no question.
    Confirm(Question),
    /// The reason for voiding a sale.
    Reason {
        /// Which sale.
        sale_seq: u64,
        /// Why.
        reason: Input,
    },
    /// A form: a household's file, a card, a catalog item, a low-stock reminder, an
    /// objection, a stocktake's reason.
    Form(Box<Form>),
    /// Choosing a sheet file on the USB stick.
    Sheet(Box<SheetPicker>),
    /// What importing a sheet would do, before it is committed.
    Preview(Box<SheetPreview>),
    /// A receipt just printed: of the sale or void just made, or a reprint.
    Receipt {
        /// The receipt text (32 or 48 columns, as the station prints).
        text: String,
        /// Where it was written, once written.
        file: Option<String>,
        /// First line shown.
        scroll: usize,
    },
    /// Leaving monitor mode: a manager chooses their name and types their PIN.
    Unlock {
        /// The operator chosen (position in the station's operator list).
        selected: usize,
        /// The PIN typed, hidden.
        pin: Input,
    },
    /// A backup's passphrase, typed twice, hidden.
    Passphrase {
        /// The passphrase.
        passphrase: Input,
        /// Once more.
        again: Input,
        /// The field with the keyboard.
        field: PassphraseField,
    },
}

impl Modal {
    /// The keymap context of the popup.
    pub fn context(&self) -> Context {
        match self {
            Modal::Help { .. } | Modal::Details { .. } | Modal::Receipt { .. } => Context::Popup,
            Modal::Checkout { .. } => Context::Checkout,
            Modal::Confirm(_) => Context::Confirm,
            Modal::Reason { .. } => Context::Reason,
            Modal::Form(_) => Context::Form,
            Modal::Sheet(_) => Context::Sheet,
            Modal::Preview(_) => Context::Preview,
            Modal::Unlock { .. } | Modal::Passphrase { .. } => Context::Secret,
        }
    }
}

/// The whole till.
#[derive(Clone, Debug)]
pub struct Model {
    /// Interface language.
    pub lang: Lang,
    /// Who is at the keyboard (recorded in every event).
    pub operator: String,
    /// Whether writes are allowed.
    pub access: Access,
    /// Keys.
    pub keymap: Keymap,
    /// The ledger's copy.
    pub data: Data,
    /// Now, UTC ms (set by the shell before each message).
    pub now_ms: i64,
    /// The screen.
    pub screen: Screen,
    /// The till panel with focus.
    pub focus: Focus,
    /// The popup, if any.
    pub modal: Option<Modal>,
    /// The status line.
    pub status: Option<Status>,
    /// Household lookup.
    pub lookup: LookupPanel,
    /// Goods catalog.
    pub catalog: CatalogPanel,
    /// The cart.
    pub cart: Cart,
    /// Receive stock.
    pub receive: ReceiveForm,
    /// Score entry.
    pub scores: ScoresGrid,
    /// Award confirmation.
    pub awards: AwardsList,
    /// Day log.
    pub day: DayLog,
    /// Void a sale.
    pub sales: SalesList,
    /// Publicity board.
    pub board: Board,
    /// First-run setup.
    pub setup: SetupForm,
    /// USB sync.
    pub sync: SyncPanel,
    /// The statistics of the year.
    pub stats: StatsScreen,
    /// Households.
    pub households: HouseholdsScreen,
    /// Goods.
    pub goods: GoodsScreen,
    /// Stocktake.
    pub stocktake: Stocktake,
    /// Barcode scanner detection.
    pub scan: ScanRun,
    /// Who logs in (the login screen).
    pub login: LoginForm,
    /// When the key being handled was pressed, ms on the till's own clock (the login's wait
    /// after wrong PINs counts on it).
    pub key_at_ms: u64,
    /// Set once the till should close.
    pub quitting: bool,
}

impl Model {
    /// A till over `data`; the setup screen if the station does not exist yet.
    pub fn new(
        data: Data,
        lang: Lang,
        operator: &str,
        access: Access,
        keymap: Keymap,
        now_ms: i64,
    ) -> Model {
        let screen = if data.meta.is_none() {
            Screen::Setup
        } else {
            Screen::Till
        };
        let mut model = Model {
            lang,
            operator: operator.to_string(),
            access,
            keymap,
            data,
            now_ms,
            screen,
            focus: Focus::Lookup,
            modal: None,
            status: None,
            lookup: LookupPanel::default(),
            catalog: CatalogPanel::default(),
            cart: Cart::default(),
            receive: ReceiveForm::default(),
            scores: ScoresGrid::default(),
            awards: AwardsList::default(),
            day: DayLog::default(),
            sales: SalesList::default(),
            board: Board::default(),
            setup: SetupForm::default(),
            sync: SyncPanel::default(),
            stats: StatsScreen::default(),
            households: HouseholdsScreen::default(),
            goods: GoodsScreen::default(),
            stocktake: Stocktake::default(),
            scan: ScanRun::default(),
            login: LoginForm::default(),
            key_at_ms: 0,
            quitting: false,
        };
        model.refresh_lists();
        model
    }

    /// A till that opens at the login screen (PRODUCT.md: "The till opens at a login"): the
    /// setup screen for a new station (which creates the first manager with it), the login
    /// otherwise (which creates the first manager of a station that has no operators yet).
    /// Nobody is logged in, so nothing can be written until someone is.
    pub fn at_login(data: Data, lang: Lang, keymap: Keymap, now_ms: i64) -> Model {
        let mut model = Model::new(data, lang, "", Access::Till, keymap, now_ms);
        if model.screen != Screen::Setup {
            model.screen = Screen::Login;
        }
        model
    }

    /// The station's operators (none before the first manager is created).
    pub fn operators(&self) -> &[crate::domain::operator::OperatorRecord] {
        self.data
            .meta
            .as_ref()
            .map(|m| m.operators.as_slice())
            .unwrap_or(&[])
    }

    /// Today on China time.
    pub fn today(&self) -> CivilDate {
        CivilDate::from_utc_ms(self.now_ms)
    }

    /// Picks the text for the interface language.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(zh, en)
    }

    /// Sets the status line.
    pub fn say(&mut self, tone: Tone, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            tone,
            screen: self.screen,
            about: None,
        });
    }

    /// Sets the status line with a sentence about the cart as it stands (a refusal to check
    /// out, a stock limit, an empty cart): it goes as soon as the cart or its household
    /// changes, so the line never contradicts the cart panel.
    pub fn say_about_cart(&mut self, tone: Tone, text: impl Into<String>) {
        let about = About::Cart(self.cart.household.clone(), self.cart.lines.clone());
        self.say_about(tone, text, about);
    }

    /// Sets the status line with a sentence about `about` as it is now; it goes once that
    /// changes ([`Model::forget_stale_status`]).
    pub fn say_about(&mut self, tone: Tone, text: impl Into<String>, about: About) {
        self.status = Some(Status {
            text: text.into(),
            tone,
            screen: self.screen,
            about: Some(about),
        });
    }

    /// Clears a sentence whose subject has changed since it was said (a line removed, a
    /// quantity set, another household chosen, the search typed again): it no longer holds.
    pub fn forget_stale_status(&mut self) {
        let stale = match self.status.as_ref().and_then(|s| s.about.as_ref()) {
            Some(About::Cart(household, lines)) => {
                *household != self.cart.household || *lines != self.cart.lines
            }
            Some(About::Lookup(query)) => *query != self.lookup.query.text,
            Some(About::Catalog(query)) => *query != self.catalog.query.text,
            None => false,
        };
        if stale {
            self.status = None;
        }
    }

    /// The keymap context that gets keys now.
    pub fn context(&self) -> Context {
        match &self.modal {
            Some(modal) => modal.context(),
            None => self.screen_context(),
        }
    }

    /// The keymap context of the screen under any popup.
    pub fn screen_context(&self) -> Context {
        match self.screen {
            Screen::Setup => Context::Setup,
            Screen::Till => match self.focus {
                Focus::Lookup => Context::Lookup,
                Focus::Catalog => Context::Catalog,
                Focus::Cart => Context::Cart,
            },
            Screen::Receive => Context::Receive,
            Screen::Scores => Context::Scores,
            Screen::Awards => Context::Awards,
            Screen::Day => Context::Day,
            Screen::Void => Context::Void,
            Screen::Board => Context::Board,
            Screen::Sync => Context::Sync,
            Screen::Stats => Context::Stats,
            Screen::Households => Context::Households,
            Screen::Goods => Context::Goods,
            Screen::Stocktake => Context::Stocktake,
            Screen::Login => Context::Login,
        }
    }

    /// Shows `screen`; the status line said on the screen left is not carried over.
    pub fn show(&mut self, screen: Screen) {
        if self.screen != screen {
            self.status = None;
        }
        self.screen = screen;
    }

    /// The cart's household record.
    pub fn cart_household(&self) -> Option<HouseholdRow<'_>> {
        self.cart
            .household
            .as_deref()
            .and_then(|id| self.data.household(id))
    }

    /// The question asked before the cart's goods leave the household they were chosen for
    /// (`购物车里还有张三的 2 件商品：清空购物车，换成 李　四 吗？`); `to_household_id` is the
    /// household just chosen. Shapes: the cart's owner by head (its id if unknown here), the
    /// pieces (件) summed over the lines.
    pub fn switch_household_text(&self, to_household_id: &str) -> String {
        let owner = self
            .cart
            .household
            .as_deref()
            .map(|id| self.data.head_or_id(id))
            .unwrap_or_default();
        let to = self.data.head_or_id(to_household_id);
        let units = self.cart.units();
        let items = if units == 1 { "item" } else { "items" };
        match self.lang {
            Lang::Zh => format!("购物车里还有{owner}的 {units} 件商品：清空购物车，换成 {to} 吗？"),
            Lang::En => format!(
                "the cart still holds {units} {items} for {owner}: empty it and switch to {to}?"
            ),
        }
    }

    /// Monitor mode's one line when another household is chosen over a cart that holds goods:
    /// the cart stays its household's (choosing would prepare a sale for another), and the
    /// monitor key returns to the till, where the question can be asked. Kept within one
    /// 80-column status line in both languages.
    pub fn cart_kept_in_monitor_text(&self) -> String {
        let units = self.cart.units();
        let items = if units == 1 { "item" } else { "items" };
        let owner = self
            .cart
            .household
            .as_deref()
            .map(|id| self.data.head_or_id(id));
        let key = self.key(Context::Global, Action::ToggleMonitor);
        let (mode, back) = match (self.access, self.lang) {
            (Access::ReadOnly, Lang::Zh) => ("监督模式（只读打开）", String::new()),
            (Access::ReadOnly, Lang::En) => ("monitor mode (opened read-only)", String::new()),
            (Access::Till | Access::Monitor, Lang::Zh) => {
                ("监督模式", format!("；按 {key} 回到收银"))
            }
            (Access::Till | Access::Monitor, Lang::En) => {
                ("monitor mode", format!("; press {key} for the till"))
            }
        };
        match (owner, self.lang) {
            (Some(owner), Lang::Zh) => {
                format!("购物车里是{owner}的 {units} 件商品，{mode}不能换农户{back}")
            }
            (Some(owner), Lang::En) => {
                format!("the cart is {owner}'s ({units} {items}): no switch in {mode}{back}")
            }
            (None, Lang::Zh) => format!("购物车里有 {units} 件商品，{mode}不能选农户{back}"),
            (None, Lang::En) => {
                format!("{units} {items} in the cart: {mode} chooses no household{back}")
            }
        }
    }

    /// The cart total in points: the domain's, once it has accepted the cart as it stands;
    /// until then the lines at the catalog's prices, as the cart shows them.
    pub fn cart_total(&self) -> i64 {
        if let CartVerdict::Accepted { total_points } = self.cart.verdict {
            return total_points;
        }
        self.cart
            .lines
            .iter()
            .map(|l| {
                self.data
                    .goods_by_id(&l.goods_id)
                    .map(|g| g.goods.price_points)
                    .unwrap_or(0)
                    .saturating_mul(l.quantity)
            })
            .fold(0i64, i64::saturating_add)
    }

    /// Re-runs every list's search (after a data refresh or a filter change).
    pub fn refresh_lists(&mut self) {
        self.refresh_lookup();
        self.refresh_catalog();
        self.refresh_receive_goods();
        self.refresh_households();
        self.refresh_goods();
    }

    /// Re-runs the households screen's search.
    pub fn refresh_households(&mut self) {
        let screen = &mut self.households;
        screen.hits = self
            .data
            .search_households(&screen.query.text, SEARCH_RESULTS_MAX);
        screen.selected = screen.selected.min(screen.hits.len().saturating_sub(1));
    }

    /// Re-runs the goods screen's search.
    pub fn refresh_goods(&mut self) {
        let screen = &mut self.goods;
        screen.hits = self.data.search_goods(&screen.query.text);
        screen.selected = screen.selected.min(screen.hits.len().saturating_sub(1));
    }

    /// Re-runs the household lookup for its query.
    pub fn refresh_lookup(&mut self) {
        self.lookup.hits = self
            .data
            .search_households(&self.lookup.query.text, SEARCH_RESULTS_MAX);
        self.lookup.selected = self
            .lookup
            .selected
            .min(self.lookup.hits.len().saturating_sub(1));
    }

    /// Re-runs the till's goods search with its zone and category filters.
    pub fn refresh_catalog(&mut self) {
        let zone = self.catalog.zone;
        let category = self.catalog.category.clone();
        let data = &self.data;
        self.catalog.hits = data
            .search_goods(&self.catalog.query.text)
            .into_iter()
            .filter(|&i| {
                data.goods.get(i).is_some_and(|g| {
                    zone.is_none_or(|z| g.goods.zone == z)
                        && category.as_ref().is_none_or(|c| &g.goods.category == c)
                })
            })
            .collect();
        self.catalog.selected = self
            .catalog
            .selected
            .min(self.catalog.hits.len().saturating_sub(1));
    }

    /// Re-runs the receive screen's goods search.
    pub fn refresh_receive_goods(&mut self) {
        self.receive.goods_hits = self.data.search_goods(&self.receive.goods_query.text);
        self.receive.goods_selected = self
            .receive
            .goods_selected
            .min(self.receive.goods_hits.len().saturating_sub(1));
    }
}
