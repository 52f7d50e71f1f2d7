//! The state of each screen and panel: the till's lookup, catalog and cart, the receive form,
//! the score grid, the awards, the day log, the sales to void, the board, the sync screen and
//! the setup form. Plain values that `update` changes and `view` reads.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use crate::domain::event::{StationRole, Zone};
use crate::domain::state::{AwardRecord, PeriodTally, SaleRecord};
use crate::domain::Refusal;
use crate::report::{BoardRow, SessionReport};
use crate::sync::files::{ForkNote, HeldNote};
use crate::sync::township::Consolidation;
use crate::sync::usb::RosterLine;

use super::super::data::HouseholdHit;
use super::{Input, Tone};

/// The household lookup panel.
#[derive(Clone, Debug, Default)]
pub struct LookupPanel {
    /// What was typed.
    pub query: Input,
    /// The matches.
    pub hits: Vec<HouseholdHit>,
    /// Highlighted row.
    pub selected: usize,
}

/// The goods catalog panel.
#[derive(Clone, Debug, Default)]
pub struct CatalogPanel {
    /// What was typed.
    pub query: Input,
    /// Zone filter; `None` shows all zones.
    pub zone: Option<Zone>,
    /// Category filter; `None` shows all.
    pub category: Option<String>,
    /// Positions in `Data::goods` that match.
    pub hits: Vec<usize>,
    /// Highlighted row.
    pub selected: usize,
}

/// One line of the cart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartLine {
    /// The item.
    pub goods_id: String,
    /// Units.
    pub quantity: i64,
}

/// A cart as the domain is asked about it: the household and its lines, `(goods id, units)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartQuestion {
    /// The household the cart is for.
    pub household_id: String,
    /// The lines, in cart order.
    pub lines: Vec<(String, i64)>,
}

/// What the domain says of the cart as it stands. The till does not decide whether a cart may
/// be redeemed: whenever the cart, its household or the ledger changes, the shell runs the
/// redemption through `decide` without writing (a dry run) and this is its answer, shown in
/// the domain's own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CartVerdict {
    /// Not asked yet: no household chosen, or the answer for this cart has not come.
    Unknown,
    /// The redemption would be accepted, for this many points; for an empty cart, the
    /// household may redeem today and the total is 0.
    Accepted {
        /// The total the domain would charge.
        total_points: i64,
    },
    /// The redemption would be refused, for this reason.
    Refused(Refusal),
}

/// The cart.
#[derive(Clone, Debug)]
pub struct Cart {
    /// The household id it is for.
    pub household: Option<String>,
    /// The lines.
    pub lines: Vec<CartLine>,
    /// Highlighted line.
    pub selected: usize,
    /// Digits typed for a new quantity.
    pub typed_quantity: Input,
    /// The domain's answer for [`Cart::asked`].
    pub verdict: CartVerdict,
    /// The cart as last put to the domain; `None` while no household is chosen.
    pub asked: Option<CartQuestion>,
}

impl Default for Cart {
    fn default() -> Self {
        Cart {
            household: None,
            lines: Vec::new(),
            selected: 0,
            typed_quantity: Input::default(),
            verdict: CartVerdict::Unknown,
            asked: None,
        }
    }
}

impl Cart {
    /// How many pieces (件) the cart holds: the sum of its lines' quantities.
    pub fn units(&self) -> i64 {
        self.lines.iter().map(|l| l.quantity).sum()
    }

    /// The cart as a question for the domain, once a household is chosen.
    pub fn question(&self) -> Option<CartQuestion> {
        Some(CartQuestion {
            household_id: self.household.clone()?,
            lines: self
                .lines
                .iter()
                .map(|l| (l.goods_id.clone(), l.quantity))
                .collect(),
        })
    }
}

/// Where received stock comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// Donated (捐赠), with the donor.
    Donation,
    /// Bought (采购), with the fund and cost.
    Purchase,
    /// Sent by the township (调拨), with the sender.
    Transfer,
    /// Supplied by a merchant (供货), paid at settlement for the units redeemed; no merchant
    /// named means the catalog's supplier of the item.
    Supply,
}

impl SourceKind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [SourceKind; 4] = [
        SourceKind::Donation,
        SourceKind::Purchase,
        SourceKind::Supply,
        SourceKind::Transfer,
    ];

    fn position(self) -> usize {
        SourceKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// The next kind.
    pub fn next(self) -> SourceKind {
        SourceKind::ALL[(self.position() + 1) % SourceKind::ALL.len()]
    }

    /// The previous kind.
    pub fn prev(self) -> SourceKind {
        let count = SourceKind::ALL.len();
        SourceKind::ALL[(self.position() + count - 1) % count]
    }
}

/// A field of the receive-stock form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiveField {
    /// Which goods (search).
    Goods,
    /// How many units.
    Quantity,
    /// Donation, purchase or transfer.
    Source,
    /// Donor, fund or sender.
    Party,
    /// Total cost in yuan (purchase only).
    Cost,
}

/// The receive-stock form.
#[derive(Clone, Debug)]
pub struct ReceiveForm {
    /// Field with the keyboard.
    pub field: ReceiveField,
    /// Goods search text.
    pub goods_query: Input,
    /// Goods matches (positions in `Data::goods`).
    pub goods_hits: Vec<usize>,
    /// Highlighted match.
    pub goods_selected: usize,
    /// The chosen goods id.
    pub goods_id: Option<String>,
    /// Units typed.
    pub quantity: Input,
    /// Source kind.
    pub source: SourceKind,
    /// Donor / fund / sender.
    pub party: Input,
    /// Cost in yuan, e.g. `120.50`.
    pub cost: Input,
    /// An item not yet in the catalog, defined on this form: it is committed with its first
    /// lot in one batch (`goods_id` is its id).
    pub new_goods: Option<Box<crate::domain::event::Goods>>,
}

impl ReceiveForm {
    /// The form's fields in order: a purchase also asks its cost.
    pub fn fields(&self) -> &'static [ReceiveField] {
        match self.source {
            SourceKind::Purchase => &[
                ReceiveField::Goods,
                ReceiveField::Quantity,
                ReceiveField::Source,
                ReceiveField::Party,
                ReceiveField::Cost,
            ],
            SourceKind::Donation | SourceKind::Transfer | SourceKind::Supply => &[
                ReceiveField::Goods,
                ReceiveField::Quantity,
                ReceiveField::Source,
                ReceiveField::Party,
            ],
        }
    }
}

impl Default for ReceiveForm {
    fn default() -> Self {
        ReceiveForm {
            field: ReceiveField::Goods,
            goods_query: Input::default(),
            goods_hits: Vec::new(),
            goods_selected: 0,
            goods_id: None,
            quantity: Input::default(),
            source: SourceKind::Donation,
            party: Input::default(),
            cost: Input::default(),
            new_goods: None,
        }
    }
}

/// The score entry grid: one row per household for one period.
#[derive(Clone, Debug, Default)]
pub struct ScoresGrid {
    /// The period key, e.g. `2026-10`.
    pub period: String,
    /// Typed scores by household id.
    pub entries: HashMap<String, Input>,
    /// Typed item scores by household id, one input per item of the policy's score sheet
    /// (when it has one; the grid then takes items instead of a total).
    pub item_entries: HashMap<String, Vec<Input>>,
    /// The item column with the keyboard (position on the score sheet).
    pub item: usize,
    /// Tallies already in the ledger for the period, by household id.
    pub existing: HashMap<String, PeriodTally>,
    /// Highlighted row (position in `Data::households`).
    pub selected: usize,
}

/// Pending awards for confirmation.
#[derive(Clone, Debug, Default)]
pub struct AwardsList {
    /// Awards in publicity, oldest first.
    pub pending: Vec<AwardRecord>,
    /// Marked for confirmation (award seqs).
    pub marked: BTreeSet<u64>,
    /// Highlighted row.
    pub selected: usize,
}

/// The day screen: a till session's log and totals — the open session (X) as it happens, or a
/// closed one (Z) — in the words of `aixin log` (`report::day`).
#[derive(Clone, Debug, Default)]
pub struct DayLog {
    /// Which session: `None` for the open one, or a closed session's Z number.
    pub session: Option<u64>,
    /// The session's report, once read.
    pub report: Option<SessionReport>,
    /// First event row shown.
    pub scroll: usize,
}

impl DayLog {
    /// Whether the session shown is the open one (the one `close_day` closes).
    pub fn is_open(&self) -> bool {
        self.report.as_ref().is_none_or(|r| r.closed_ms.is_none())
    }

    /// How many event rows the session has.
    pub fn rows(&self) -> usize {
        self.report.as_ref().map_or(0, |r| r.lines.len())
    }
}

/// Recent sales for voiding.
#[derive(Clone, Debug, Default)]
pub struct SalesList {
    /// A sale number typed or scanned from a receipt (`LJC01-1199` or `1199`).
    pub number: Input,
    /// Newest first.
    pub sales: Vec<SaleRecord>,
    /// Highlighted row.
    pub selected: usize,
}

/// The publicity board.
#[derive(Clone, Debug, Default)]
pub struct Board {
    /// The period key.
    pub period: String,
    /// The period's rows as the printed board ranks them (by score, ties sharing a rank).
    pub rows: Vec<BoardRow>,
    /// The score sheet's items the period was scored on (empty for totals).
    pub items: Vec<String>,
    /// Days each score is posted (the policy's publicity).
    pub publicity_days: u32,
    /// When the period's scores were first posted, China date.
    pub posted_from: Option<String>,
    /// When the objection period of the last of them ends, China date.
    pub posted_until: Option<String>,
    /// First row shown.
    pub scroll: usize,
}

/// The folder offered for the USB stick until the manager types another.
pub const USB_FOLDER_DEFAULT: &str = "/media/usb";

/// One line of what an export or import did, coloured by how it went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncLine {
    /// How it reads.
    pub tone: Tone,
    /// The words.
    pub text: String,
}

/// The sync state as the ledger and the data dir's `held/` and `forks/` folders hold it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncState {
    /// This station.
    pub station_id: String,
    /// Village or township.
    pub role: StationRole,
    /// This station's head sequence number.
    pub head_seq: u64,
    /// Every enrolled peer station.
    pub peers: Vec<RosterLine>,
    /// Bundles waiting for earlier ones.
    pub held: Vec<HeldNote>,
    /// Bundles refused as forks.
    pub forks: Vec<ForkNote>,
    /// At a township: every village's figures and the anomalies.
    pub consolidation: Option<Consolidation>,
    /// When this station was last backed up (UTC ms), if ever: the screen reminds the
    /// manager when it is too long ago (`domain::backup::backup_due`).
    pub last_backup_ms: Option<i64>,
}

/// A field of the sync screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncField {
    /// The folder on the USB stick.
    Folder,
    /// A partner station's public key line, to enroll it.
    KeyLine,
}

/// The USB stick as the till found it: the folder remembered in the station's settings and
/// the removable drives mounted now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UsbFound {
    /// The folder used last (`station.toml`), if any.
    pub remembered: Option<PathBuf>,
    /// Whether the remembered folder is there now.
    pub remembered_present: bool,
    /// Mount points of removable drives (Linux; empty elsewhere).
    pub mounts: Vec<PathBuf>,
    /// Why the station's settings could not be read, if they could not.
    pub problem: Option<String>,
}

/// The USB sync screen.
#[derive(Clone, Debug)]
pub struct SyncPanel {
    /// The field with the keyboard.
    pub field: SyncField,
    /// The folder on the stick; it keeps the last one used.
    pub folder: Input,
    /// Whether the manager typed the folder (then what the till finds does not replace it).
    pub folder_typed: bool,
    /// What the till found of the stick, once looked.
    pub usb: Option<UsbFound>,
    /// A partner station's public key line (`aixin-pub1:…`), to enroll it.
    pub key_line: Input,
    /// The state, once loaded.
    pub state: Option<Box<SyncState>>,
    /// What the last export or import did.
    pub outcome: Vec<SyncLine>,
    /// First report row shown.
    pub scroll: usize,
}

impl Default for SyncPanel {
    fn default() -> Self {
        SyncPanel {
            field: SyncField::Folder,
            folder: Input::long(USB_FOLDER_DEFAULT, super::PATH_CHARS_MAX),
            folder_typed: false,
            usb: None,
            key_line: Input::long("", super::KEY_LINE_CHARS_MAX),
            state: None,
            outcome: Vec::new(),
            scroll: 0,
        }
    }
}

/// A field of the setup form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetupField {
    /// Station id.
    StationId,
    /// Station name.
    Name,
    /// Village or township.
    Role,
    /// Which shipped policy.
    Policy,
    /// The first manager's name.
    Manager,
    /// The first manager's PIN.
    Pin,
    /// The PIN once more.
    PinAgain,
}

/// The first-run setup form.
#[derive(Clone, Debug)]
pub struct SetupForm {
    /// Field with the keyboard.
    pub field: SetupField,
    /// Station id, e.g. `LJC01`.
    pub station_id: Input,
    /// Station name.
    pub name: Input,
    /// True for a township office.
    pub township: bool,
    /// Index into [`crate::policies::BUILTIN`].
    pub policy: usize,
    /// The first manager, created with the station.
    pub manager: super::ManagerFields,
}

impl Default for SetupForm {
    fn default() -> Self {
        SetupForm {
            field: SetupField::StationId,
            station_id: Input::default(),
            name: Input::default(),
            township: false,
            policy: 1,
            manager: super::ManagerFields::default(),
        }
    }
}

/// The characters typed since the last other key, and where the latest burst in them began:
/// what may be a barcode scanner (or a card reader) typing.
#[derive(Clone, Debug, Default)]
pub struct ScanRun {
    /// The characters since the last other key, as they came (a scanner may send full-width
    /// forms through an input method; they are normalised when the run ends).
    pub text: String,
    /// Where in `text` (bytes) the latest burst began: every character from there came within
    /// [`super::super::update::SCAN_GAP_MS_MAX`] of the one before.
    pub burst_start: usize,
    /// When the last character came, ms on the till's own clock.
    pub last_ms: u64,
    /// The latest burst ran past [`super::super::update::SCAN_CHARS_MAX`] characters: longer
    /// than any code, it is a paste (a key line, a path), never a scan.
    pub overlong: bool,
}
