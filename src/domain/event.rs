//! The ledger's events: the only thing aixin ever writes. Every change to a station is one of
//! these, appended with its station, sequence number, operator, UTC time and the hash of the
//! event before it. Balances, stock and reports are all derived from them.

use serde::{Deserialize, Serialize};

use super::operator::OperatorRole;
use super::policy::Policy;

/// A blake3 hash of an event's canonical encoding; links each event to the one before it.
pub type Hash = [u8; 32];

/// The hash that the first event of every station builds on.
pub const GENESIS_HASH: Hash = [0u8; 32];

/// Whether a station is a village shop or the township office; chosen once at `init`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StationRole {
    /// A village love supermarket: sells, receives stock, enters scores.
    Village,
    /// The township office: consolidates villages' bundles and sends updates back.
    Township,
}

/// One household's file (一户一档) as registered; balances live in the derived state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    /// The village's own household number, stable for life.
    pub household_id: String,
    /// The card number printed on the points card; changes when a card is reissued.
    pub card_no: String,
    /// Head of household (户主).
    pub head: String,
    /// Other members, by name.
    pub members: Vec<String>,
    /// Village group (村民小组), e.g. "一组".
    pub group: String,
    /// Contact phone, possibly empty; its last digits help find a household.
    pub phone: String,
    /// Registered-poor household (建档立卡).
    pub registered_poor: bool,
}

/// Where a catalog item sits in the shop: a points zone or the donation zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Zone {
    /// A goods zone of a fixed number of points (2, 5, 10, 20, 30, 50…).
    Points(u32),
    /// The donation zone (捐赠区), open after spending in the goods zone.
    Donation,
}

/// A catalog item as defined; stock lives in the derived state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Goods {
    /// Stable catalog id.
    pub goods_id: String,
    /// Display name.
    pub name: String,
    /// Unit of sale: 袋, 瓶, 个…
    pub unit: String,
    /// Barcode as the scanner types it; may be empty.
    pub barcode: String,
    /// Price in points per unit.
    pub price_points: i64,
    /// Zone of the shop.
    pub zone: Zone,
    /// Category for browsing: 粮油, 日用…
    pub category: String,
    /// Supplying merchant for settlement; empty for donated-only goods.
    pub supplier: String,
}

/// Where a lot of received stock came from (物品进出登记台账). Every receipt is a lot with one
/// source; the settlement pays a merchant only for units taken from its `Supply` lots, and the
/// donations ledger follows `Donation` lots (PRODUCT.md, "Stock comes in lots"). New variants go
/// at the end: the codec numbers variants by position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockSource {
    /// Donated goods; the donor goes into the donation ledger (捐赠台账). Never paid for.
    Donation { donor: String },
    /// Bought with a fund, already paid: the fund and total cost (fen) are recorded.
    Purchase { fund: String, cost_fen: i64 },
    /// Written before lots recorded their origin: sent by the township (or another station),
    /// origin unknown. Read as a shipment whose units are neither payable nor donated.
    Transfer { from: String },
    /// Supplied by a merchant to be paid at the quarter's settlement for the units redeemed.
    Supply { merchant: String },
    /// Shipped by the township (`from`) out of one of its own lots, whose source was `origin`:
    /// donated units stay donated and a merchant's units stay payable to that merchant.
    Shipment {
        from: String,
        origin: Box<StockSource>,
    },
}

/// Units taken from one lot of an item: by a sale, a stocktake loss or a township shipment.
/// A lot is named by the sequence number of the event that brought it in (`StockReceived`, or
/// a `StockAdjusted` gain) on the same station.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotTake {
    /// The item.
    pub goods_id: String,
    /// The lot: the seq of the event that received it.
    pub lot_seq: u64,
    /// Units taken (positive).
    pub quantity: i64,
}

/// Points of one credit year: spent from it by a sale, returned to it by a void, cleared from
/// it at year end. A confirmed award is credit of the year of its scoring period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearPoints {
    /// The credit year (the scoring period's year, China time).
    pub year: i32,
    /// Points (positive).
    pub points: i64,
}

/// The scoring period a score belongs to, as a sortable key: `2026-11-21` (day), `2026-11`
/// (month) or `2026-Q4` (quarter).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PeriodKey(pub String);

impl PeriodKey {
    /// The credit year of the period: its first four digits. An award is credit of the year
    /// of its scoring period, whenever it is confirmed (a December score confirmed in January
    /// is credit of the old year).
    pub fn year(&self) -> Option<i32> {
        let digits = self.0.get(..4)?;
        if !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok()
    }
}

/// One line of a redemption.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleLine {
    /// The item.
    pub goods_id: String,
    /// How many units.
    pub quantity: i64,
    /// Price per unit in points at the time of sale.
    pub price_points: i64,
}

/// What happened; the payload of an [`Event`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventBody {
    /// The first event of every station.
    StationInitialized {
        station_id: String,
        name: String,
        role: StationRole,
        policy: Policy,
    },
    /// The scheme's rules changed.
    PolicySet { policy: Policy },
    /// A household's file was opened.
    HouseholdRegistered { household: Household },
    /// A lost card was replaced: the old number stops working at once.
    CardReissued {
        household_id: String,
        old_card_no: String,
        new_card_no: String,
    },
    /// A catalog item was defined or changed (price, zone, name).
    GoodsDefined { goods: Goods },
    /// Stock came in.
    StockReceived {
        goods_id: String,
        quantity: i64,
        source: StockSource,
    },
    /// Written before lots existed: a stocktake difference, with its reason. Read with the
    /// documented default: a loss takes from the oldest lots (first in, first out) when it is
    /// applied, a gain is a lot of its own.
    StockAdjustedV1 {
        goods_id: String,
        delta: i64,
        reason: String,
    },
    /// The committee's score for a household and period; its points wait out publicity.
    ScoreEntered {
        household_id: String,
        period: PeriodKey,
        score: i64,
        points: i64,
        note: String,
    },
    /// Publicity ended without objection: the award's points become spendable.
    AwardConfirmed { award_seq: u64 },
    /// An objection revoked an award before it became spendable.
    AwardRevoked { award_seq: u64, reason: String },
    /// Written before lots and credit years existed: a household spent points on goods. Read
    /// with the documented default: units come from the item's lots first in, first out and
    /// points from the oldest credit year, as they stand when the event is applied; that split
    /// is kept beside the event so that a void puts back exactly what it took.
    RedeemedV1 {
        household_id: String,
        card_no: String,
        lines: Vec<SaleLine>,
        total_points: i64,
        proxy: Option<String>,
    },
    /// A sale was reversed: its points and stock come back.
    SaleVoided { sale_seq: u64, reason: String },
    /// Year-end clearing (一年一清) of `year`: each listed household loses the points listed,
    /// taken from its oldest credit first — what was left of the credit of `year` and earlier
    /// years. Later years' credit is never listed (events written before credit years could
    /// list more; apply takes it from the next years, oldest first, so nothing is lost).
    YearCleared {
        year: i32,
        cleared: Vec<(String, i64)>,
    },
    /// Written before till sessions: a calendar day was closed. Read as the close of the
    /// session open at that point, numbered in order, with the totals it recorded.
    DayClosed { date: String, totals: SessionTotals },
    /// Another station's public keys were enrolled for sync (the signed roster): a village at
    /// the township, or the township at a village. A later enrollment of the same station
    /// replaces a revoked key.
    StationEnrolled {
        station_id: String,
        role: StationRole,
        verifying_key: [u8; 32],
        age_recipient: String,
    },
    /// A station's key was revoked (a stolen laptop): its bundles created at or after
    /// `from_ms` are refused.
    StationRevoked { station_id: String, from_ms: i64 },
    /// Written before lots existed: the township sent goods to a village. Read with the
    /// documented default: the units leave the township's oldest lots first, as they stand when
    /// the event is applied.
    GoodsShippedV1 {
        to_station: String,
        goods_id: String,
        quantity: i64,
    },
    /// The township (for the county) set a village's policy; the village adopts it on import.
    PolicyIssued { to_station: String, policy: Policy },
    /// The township (for the county) added a household to a village's list; the village
    /// registers it on import.
    HouseholdIssued {
        to_station: String,
        household: Household,
    },
    /// A household spent points on goods. `takes` says which lots the units came from (first
    /// in, first out per item) and `credit` which credit years the points came from (oldest
    /// first); a void puts both back.
    Redeemed {
        household_id: String,
        card_no: String,
        lines: Vec<SaleLine>,
        total_points: i64,
        proxy: Option<String>,
        takes: Vec<LotTake>,
        credit: Vec<YearPoints>,
    },
    /// A stocktake difference, with its reason. A loss (negative `delta`) lists the lots it
    /// took from, oldest first; a gain lists none and is a lot of its own (source: stocktake).
    StockAdjusted {
        goods_id: String,
        delta: i64,
        reason: String,
        takes: Vec<LotTake>,
    },
    /// The township sent goods to a village out of its own lots (oldest first); the village
    /// receives one lot per township lot, keeping its origin.
    GoodsShipped {
        to_station: String,
        goods_id: String,
        quantity: i64,
        takes: Vec<LotTake>,
    },
    /// The till session was closed (日结, the Z report number `session_no`): it covered events
    /// `first_seq..=last_seq`, whatever their calendar dates, and its totals are frozen here.
    SessionClosed {
        session_no: u64,
        first_seq: u64,
        last_seq: u64,
        totals: SessionTotals,
    },
    /// The manager confirmed that the date shown (`date`, China time) is right although it is
    /// far past the ledger's last event (`last_ms`): a shop closed for weeks, not a fast clock.
    ClockConfirmed { date: String, last_ms: i64 },
    /// The manager stated that the computer clock was fast: the events before this one that
    /// are dated after this event's own time (the real time) were mis-dated, up to
    /// `fast_until_ms`. Events after it may carry times earlier than those mis-dated ones.
    ClockCorrected { fast_until_ms: i64, reason: String },
    /// An operator was added with a role; the event's operator is who added them. Their PIN's
    /// hash stays in the station's local table, never in the chain (see `domain::operator`).
    OperatorAdded { name: String, role: OperatorRole },
    /// An operator's PIN was set anew (by themselves or a manager: the event's operator).
    OperatorPinChanged { name: String },
    /// An operator's role was changed by a manager.
    OperatorRoleChanged { name: String, role: OperatorRole },
    /// An operator was removed by a manager; the events they wrote keep their name.
    OperatorRemoved { name: String },
}

/// A till session's totals: the same computation for the running X report of the open session
/// and the Z report frozen when it is closed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionTotals {
    /// Redemptions committed.
    pub sales: u64,
    /// Points spent (gross, before voids).
    pub points_spent: i64,
    /// Sales voided.
    pub voids: u64,
    /// Points returned by voids.
    pub points_voided: i64,
    /// Units of stock sold (net of voids).
    pub units_sold: i64,
    /// Units of stock received.
    pub units_received: i64,
    /// Scores entered.
    pub scores_entered: u64,
    /// Points confirmed.
    pub points_confirmed: i64,
    /// All events.
    pub events: u64,
}

/// An event as stored: the envelope that makes the ledger a hash chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The station that wrote it.
    pub station_id: String,
    /// Its position in that station's chain, from 1.
    pub seq: u64,
    /// Who was at the keyboard.
    pub operator: String,
    /// UTC time in milliseconds since the Unix epoch.
    pub time_ms: i64,
    /// Hash of the previous event of the same station ([`GENESIS_HASH`] for the first).
    pub prev_hash: Hash,
    /// What happened.
    pub body: EventBody,
}

impl EventBody {
    /// A short stable name for logs and JSON.
    pub fn kind(&self) -> &'static str {
        match self {
            EventBody::StationInitialized { .. } => "station_initialized",
            EventBody::PolicySet { .. } => "policy_set",
            EventBody::HouseholdRegistered { .. } => "household_registered",
            EventBody::CardReissued { .. } => "card_reissued",
            EventBody::GoodsDefined { .. } => "goods_defined",
            EventBody::StockReceived { .. } => "stock_received",
            EventBody::StockAdjustedV1 { .. } | EventBody::StockAdjusted { .. } => "stock_adjusted",
            EventBody::ScoreEntered { .. } => "score_entered",
            EventBody::AwardConfirmed { .. } => "award_confirmed",
            EventBody::AwardRevoked { .. } => "award_revoked",
            EventBody::RedeemedV1 { .. } | EventBody::Redeemed { .. } => "redeemed",
            EventBody::SaleVoided { .. } => "sale_voided",
            EventBody::YearCleared { .. } => "year_cleared",
            EventBody::DayClosed { .. } => "day_closed",
            EventBody::StationEnrolled { .. } => "station_enrolled",
            EventBody::StationRevoked { .. } => "station_revoked",
            EventBody::GoodsShippedV1 { .. } | EventBody::GoodsShipped { .. } => "goods_shipped",
            EventBody::PolicyIssued { .. } => "policy_issued",
            EventBody::HouseholdIssued { .. } => "household_issued",
            EventBody::SessionClosed { .. } => "session_closed",
            EventBody::ClockConfirmed { .. } => "clock_confirmed",
            EventBody::ClockCorrected { .. } => "clock_corrected",
            EventBody::OperatorAdded { .. } => "operator_added",
            EventBody::OperatorPinChanged { .. } => "operator_pin_changed",
            EventBody::OperatorRoleChanged { .. } => "operator_role_changed",
            EventBody::OperatorRemoved { .. } => "operator_removed",
        }
    }
}
