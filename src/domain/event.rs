//! The ledger's events: the only thing aixin ever writes. Every change to a station is one of
//! these, appended with its station, sequence number, operator, UTC time and the hash of the
//! event before it. Balances, stock and reports are all derived from them.

use serde::{Deserialize, Serialize};

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

/// Where received stock came from (物品进出登记台账).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StockSource {
    /// Donated goods; the donor goes into the donation ledger (捐赠台账).
    Donation { donor: String },
    /// Bought with a fund; the fund and total cost are recorded.
    Purchase { fund: String, cost_fen: i64 },
    /// Sent by the township (or another station).
    Transfer { from: String },
}

/// The scoring period a score belongs to, as a sortable key like `2026-M03`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PeriodKey(pub String);

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
    /// A stocktake difference, with its reason.
    StockAdjusted {
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
    /// A household spent points on goods.
    Redeemed {
        household_id: String,
        card_no: String,
        lines: Vec<SaleLine>,
        total_points: i64,
        proxy: Option<String>,
    },
    /// A sale was reversed: its points and stock come back.
    SaleVoided { sale_seq: u64, reason: String },
    /// Year-end clearing (一年一清): each listed household's balance goes to zero.
    YearCleared {
        year: i32,
        cleared: Vec<(String, i64)>,
    },
    /// The day was closed (Z report); its totals are frozen in the event.
    DayClosed { date: String, totals: DayTotals },
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
    /// The township sent goods to a village: they leave the township's stock here and arrive
    /// in the village's stock when the village imports the township's bundle.
    GoodsShipped {
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
}

/// A day's totals, the same for the running X report and the closing Z report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayTotals {
    /// Redemptions committed that day.
    pub sales: u64,
    /// Points spent that day (gross, before voids).
    pub points_spent: i64,
    /// Sales voided that day.
    pub voids: u64,
    /// Points returned by voids that day.
    pub points_voided: i64,
    /// Units of stock sold (net of voids).
    pub units_sold: i64,
    /// Units of stock received.
    pub units_received: i64,
    /// Scores entered.
    pub scores_entered: u64,
    /// Points confirmed that day.
    pub points_confirmed: i64,
    /// All events that day.
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
            EventBody::StockAdjusted { .. } => "stock_adjusted",
            EventBody::ScoreEntered { .. } => "score_entered",
            EventBody::AwardConfirmed { .. } => "award_confirmed",
            EventBody::AwardRevoked { .. } => "award_revoked",
            EventBody::Redeemed { .. } => "redeemed",
            EventBody::SaleVoided { .. } => "sale_voided",
            EventBody::YearCleared { .. } => "year_cleared",
            EventBody::DayClosed { .. } => "day_closed",
            EventBody::StationEnrolled { .. } => "station_enrolled",
            EventBody::StationRevoked { .. } => "station_revoked",
            EventBody::GoodsShipped { .. } => "goods_shipped",
            EventBody::PolicyIssued { .. } => "policy_issued",
            EventBody::HouseholdIssued { .. } => "household_issued",
        }
    }
}
