//! The derived state of a station: balances, stock, awards, sales and tallies, computed from
//! events by [`super::apply`]. The domain reads and writes it through the [`State`] and
//! [`StateMut`] traits so that the same rules run over redb tables inside a write transaction
//! (the till) and over plain maps in memory (`verify`, tests, the reference model).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::event::{
    Goods, Hash, Household, LotTake, PeriodKey, SaleLine, SessionTotals, StationRole, YearPoints,
};
use super::operator::OperatorRecord;
use super::policy::Policy;
use super::receipt::{ReceiptRecord, VerificationCode};
use super::roster::RosterEntry;
use super::score_items::{ItemScore, ScoreSheet};

/// A storage failure under the domain (disk, corruption); never a rule refusal.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("storage fault: {0}")]
pub struct Fault(pub String);

/// The station's identity, policy and chain head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationMeta {
    /// This station's id.
    pub station_id: String,
    /// Display name, e.g. 李家村爱心超市.
    pub name: String,
    /// Village or township.
    pub role: StationRole,
    /// The policy in force.
    pub policy: Policy,
    /// The policy's score sheet (评分细则), if it scores by item: set by `ScoreSheetSet`,
    /// cleared by a new policy.
    pub score_sheet: Option<ScoreSheet>,
    /// Sequence number of the last event.
    pub head_seq: u64,
    /// Hash of the last event.
    pub head_hash: Hash,
    /// The time new events are checked against, UTC ms: the latest event's time, or the real
    /// time stated by the last clock correction (after which events may carry earlier times
    /// than the mis-dated ones before it).
    pub last_time_ms: i64,
    /// The open till session: what the next `close-day` closes.
    pub session: OpenSession,
    /// Every clock correction so far, in order (rare: a fast clock found out).
    pub clock_corrections: Vec<ClockCorrection>,
    /// The station's operators in the order they were added (a handful): who may write, and
    /// who may leave monitor mode. Empty until the first manager is created.
    pub operators: Vec<OperatorRecord>,
    /// Receipts issued so far (sales and voids): the last receipt's number
    /// ([`super::receipt`]).
    pub receipts_issued: u64,
    /// The calendar day of the latest event and where its events lie, kept here rather than
    /// in the days table while it is the latest (see [`OpenDay`]); `None` before the first
    /// event.
    pub open_day: Option<OpenDay>,
}

/// The station's latest calendar day in the day index. Every event extends its day's record;
/// keeping the latest day in the meta, which every event writes anyway, spares a sale the
/// lookup and write of a second table (and redb's commit the copy of that table's pages). The
/// record moves to the days table when an event of another date comes. Read a day through
/// [`day_record`], which looks here first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenDay {
    /// China date, `YYYY-MM-DD`.
    pub date: String,
    /// Where the day's events lie: the whole day, including any stretch of it written before
    /// (the days table's record of the same date is older).
    pub record: DayRecord,
}

/// Where the events of a China date (`YYYY-MM-DD`) lie in the station's chain: the open day in
/// the meta if it is that date, else the days table's record. `None` for a day without events.
pub fn day_record(state: &dyn State, date: &str) -> Result<Option<DayRecord>, Fault> {
    if let Some(open) = state
        .meta()?
        .and_then(|meta| meta.open_day)
        .filter(|open| open.date == date)
    {
        return Ok(Some(open.record));
    }
    state.day(date)
}

/// A clock correction as the day log, the monitor and the township need it: the events
/// before `seq` dated after `time_ms` were dated by a fast clock, up to `fast_until_ms`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockCorrection {
    /// The seq of the `ClockCorrected` event.
    pub seq: u64,
    /// The real time the manager stated (the event's time), UTC ms.
    pub time_ms: i64,
    /// The latest mis-dated time before it, UTC ms.
    pub fast_until_ms: i64,
}

impl StationMeta {
    /// The correction that found an event (`seq`, dated `time_ms`) dated by a fast clock, if
    /// any: a later correction whose real time is before the event's time.
    pub fn fast_dated(&self, seq: u64, time_ms: i64) -> Option<&ClockCorrection> {
        self.clock_corrections
            .iter()
            .find(|c| c.seq > seq && time_ms > c.time_ms)
    }
}

/// The till session now open (X report): every event since the previous close, numbered per
/// station, whatever the calendar says (PRODUCT.md, "A till session, not a calendar day").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenSession {
    /// The Z number it will carry when closed (1 for a station's first session).
    pub session_no: u64,
    /// Seq of its first event; 0 while it is empty.
    pub first_seq: u64,
    /// Seq of its last event; 0 while it is empty.
    pub last_seq: u64,
    /// Time of its first event, UTC ms; 0 while it is empty.
    pub first_ms: i64,
    /// Running totals (the X report).
    pub totals: SessionTotals,
}

impl OpenSession {
    /// The empty session numbered `session_no`.
    pub fn new(session_no: u64) -> OpenSession {
        OpenSession {
            session_no,
            first_seq: 0,
            last_seq: 0,
            first_ms: 0,
            totals: SessionTotals::default(),
        }
    }

    /// Whether nothing has happened since the previous close.
    pub fn is_empty(&self) -> bool {
        self.first_seq == 0
    }
}

/// A closed till session (the Z report), keyed by its number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionRecord {
    /// Its Z number.
    pub session_no: u64,
    /// Seq of its first event.
    pub first_seq: u64,
    /// Seq of its last event.
    pub last_seq: u64,
    /// Time of its first event, UTC ms.
    pub first_ms: i64,
    /// Seq of the event that closed it.
    pub closed_seq: u64,
    /// When it was closed, UTC ms.
    pub closed_ms: i64,
    /// The frozen totals.
    pub totals: SessionTotals,
}

/// One credit year of a household: for every household and year,
/// `awarded = spent + cleared + remaining` (PRODUCT.md, "Credit belongs to a year").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearCredit {
    /// The year (of the awards' scoring periods).
    pub year: i32,
    /// Points confirmed as credit of this year.
    pub awarded_points: i64,
    /// Points of this year spent, net of voids.
    pub spent_points: i64,
    /// Points of this year removed by year-end clearing (including voids returned after it).
    pub cleared_points: i64,
}

impl YearCredit {
    /// What is left to spend of this year's credit.
    pub fn remaining_points(&self) -> i64 {
        self.awarded_points - self.spent_points - self.cleared_points
    }
}

/// What is left of one lot of an item: units that can still be sold, taken first in, first
/// out. The lot is named by the seq of the event that brought it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LotBalance {
    /// The seq of the receiving event (`StockReceived`, or a `StockAdjusted` gain).
    pub lot_seq: u64,
    /// Units of it still on the shelf (positive).
    pub remaining_units: i64,
}

/// How a sale, stocktake loss or shipment written before lots and credit years was split when
/// it was applied (the documented default: lots first in, first out; credit oldest first),
/// kept so that its void puts back exactly what it took.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Split {
    /// Units taken, by lot.
    pub takes: Vec<LotTake>,
    /// Points taken, by credit year.
    pub credit: Vec<YearPoints>,
}

/// A household with its derived balances.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdRecord {
    /// The file as registered, with the current card number.
    pub household: Household,
    /// Card numbers that were replaced and no longer work.
    pub old_cards: Vec<String>,
    /// Confirmed points that may be spent now.
    pub balance_points: i64,
    /// Points awarded but still in publicity.
    pub pending_points: i64,
    /// All points ever confirmed.
    pub earned_points: i64,
    /// All points spent, net of voids.
    pub spent_points: i64,
    /// All points cleared at year end.
    pub cleared_points: i64,
    /// Confirmed credit by year, oldest first; the totals above are its sums.
    pub credit: Vec<YearCredit>,
}

/// Where a card number points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardEntry {
    /// The household the card belongs (or belonged) to.
    pub household_id: String,
    /// False once the card has been replaced.
    pub active: bool,
}

/// A catalog item with its stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoodsRecord {
    /// The item as last defined.
    pub goods: Goods,
    /// Units on the shelf.
    pub stock_units: i64,
    /// Units ever received, by any source.
    pub received_units: i64,
    /// Units sold, net of voids.
    pub sold_units: i64,
    /// Stocktake differences, net (gains positive, losses negative).
    pub adjusted_units: i64,
    /// Units shipped to villages (township).
    pub shipped_units: i64,
    /// Lots with units left, oldest first; their units add up to `stock_units`.
    pub lots: Vec<LotBalance>,
    /// The stock level below which the item is listed as running low (`LowStockSet`); 0 when
    /// the manager set no reminder.
    pub low_stock_units: i64,
    /// The names the item had before it was renamed, oldest first, each with the seq of the
    /// definition that renamed it: what a receipt or the day log printed then ([`Self::name_at`]).
    /// Empty while the item was never renamed.
    pub former_names: Vec<FormerName>,
}

/// A name a catalog item had until a later definition renamed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormerName {
    /// The seq of the `GoodsDefined` that replaced this name (this station's scope).
    pub until_seq: u64,
    /// The name in force before it.
    pub name: String,
}

impl GoodsRecord {
    /// Whether the item is running low: a reminder is set and fewer units than it are on the
    /// shelf. The one definition the catalog's mark and the day screen's list both ask.
    pub fn is_low(&self) -> bool {
        self.low_stock_units > 0 && self.stock_units < self.low_stock_units
    }

    /// The item's name as it stood at event `seq` of its station (the last definition at or
    /// before it): a sale's receipt and the day log show the name the paper showed, however
    /// the item was renamed since.
    pub fn name_at(&self, seq: u64) -> &str {
        self.former_names
            .iter()
            .find(|former| former.until_seq > seq)
            .map_or(self.goods.name.as_str(), |former| former.name.as_str())
    }
}

/// Where an award stands in publicity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AwardStatus {
    /// Posted; not yet spendable.
    Pending,
    /// Spendable.
    Confirmed,
    /// Withdrawn after an objection.
    Revoked,
}

/// A score's award, keyed by the sequence number of its `ScoreEntered` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwardRecord {
    /// The `ScoreEntered` event's sequence number.
    pub seq: u64,
    /// Whose.
    pub household_id: String,
    /// Which period.
    pub period: PeriodKey,
    /// The committee's score.
    pub score: i64,
    /// Points it earns.
    pub points: i64,
    /// Publicity state.
    pub status: AwardStatus,
    /// When it was entered, UTC ms (publicity counts from here).
    pub entered_ms: i64,
    /// The score by item, in sheet order, when it was entered by item (empty for a total).
    pub items: Vec<ItemScore>,
}

/// A redemption, keyed by the sequence number of its `Redeemed` event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaleRecord {
    /// The `Redeemed` event's sequence number.
    pub seq: u64,
    /// Whose points.
    pub household_id: String,
    /// What was taken.
    pub lines: Vec<SaleLine>,
    /// Points spent.
    pub total_points: i64,
    /// Who collected on the household's behalf (代领), if anyone.
    pub proxy: Option<String>,
    /// When, UTC ms.
    pub time_ms: i64,
    /// Whether it was voided.
    pub voided: bool,
    /// Which lots the units came from.
    pub takes: Vec<LotTake>,
    /// Which credit years the points came from.
    pub credit: Vec<YearPoints>,
}

/// One household's tally for one period: points so far (excluding revoked) and the score.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTally {
    /// Points awarded in the period, pending or confirmed.
    pub points: i64,
    /// Sum of scores entered in the period.
    pub score: i64,
    /// Number of live (not revoked) entries.
    pub entries: u32,
}

/// Where a calendar day's events lie in the chain, for `log --date` (a calendar day is only a
/// view; the till session is what `close-day` closes).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRecord {
    /// Sequence number of the day's first event (0 before any): the day log reads from here.
    pub first_seq: u64,
    /// Sequence number of the day's last event.
    pub last_seq: u64,
}

impl DayRecord {
    /// Counts the event `seq` in the day. Events of one day need not be contiguous (a clock
    /// set back writes a later event with an earlier date), so the record spans them all.
    pub fn include(&mut self, seq: u64) {
        if self.first_seq == 0 {
            self.first_seq = seq;
        }
        self.first_seq = self.first_seq.min(seq);
        self.last_seq = self.last_seq.max(seq);
    }
}

/// Read access to the derived state, for deciding commands.
pub trait State {
    /// The station's meta, `None` before `init`.
    fn meta(&self) -> Result<Option<StationMeta>, Fault>;
    /// A household by id.
    fn household(&self, household_id: &str) -> Result<Option<HouseholdRecord>, Fault>;
    /// A card number's entry.
    fn card(&self, card_no: &str) -> Result<Option<CardEntry>, Fault>;
    /// A catalog item by id.
    fn goods(&self, goods_id: &str) -> Result<Option<GoodsRecord>, Fault>;
    /// The goods id that owns a barcode.
    fn barcode(&self, barcode: &str) -> Result<Option<String>, Fault>;
    /// An award by the seq of its score event.
    fn award(&self, seq: u64) -> Result<Option<AwardRecord>, Fault>;
    /// A sale by the seq of its redemption event.
    fn sale(&self, seq: u64) -> Result<Option<SaleRecord>, Fault>;
    /// One household's tally for a period.
    fn tally(&self, period: &PeriodKey, household_id: &str) -> Result<Option<PeriodTally>, Fault>;
    /// All households' scores for a period (for ranking).
    fn period_scores(&self, period: &PeriodKey) -> Result<Vec<i64>, Fault>;
    /// Points awarded (not revoked) against a budget key (a month or quarter).
    fn budget_used(&self, budget_key: &str) -> Result<i64, Fault>;
    /// A day's record by `YYYY-MM-DD`.
    fn day(&self, date: &str) -> Result<Option<DayRecord>, Fault>;
    /// Awards still pending publicity.
    fn pending_awards(&self) -> Result<Vec<AwardRecord>, Fault>;
    /// Households with a non-zero balance (year-end clearing).
    fn households_with_balance(&self) -> Result<Vec<HouseholdRecord>, Fault>;
    /// The last year cleared, if any.
    fn last_cleared_year(&self) -> Result<Option<i32>, Fault>;
    /// Another station's roster entry (sync keys), if it was ever enrolled here.
    fn roster(&self, station_id: &str) -> Result<Option<RosterEntry>, Fault>;
    /// A closed till session by its Z number.
    fn session(&self, session_no: u64) -> Result<Option<SessionRecord>, Fault>;
    /// The split kept for an event written before lots and credit years, by its seq.
    fn split(&self, seq: u64) -> Result<Option<Split>, Fault>;
    /// A receipt by its number.
    fn receipt(&self, receipt_no: u64) -> Result<Option<ReceiptRecord>, Fault>;
    /// The numbers of the receipts whose verification code is `code` (one, but never assumed).
    fn receipts_by_code(&self, code: &VerificationCode) -> Result<Vec<u64>, Fault>;
}

/// Write access to the derived state, for applying events.
pub trait StateMut: State {
    /// Replaces the meta.
    fn put_meta(&mut self, meta: &StationMeta) -> Result<(), Fault>;
    /// Inserts or replaces a household, and indexes its head's name: for a new one, and again
    /// when a correction changed the head's name (the old name stops finding it).
    fn put_household(&mut self, record: &HouseholdRecord, is_new: bool) -> Result<(), Fault>;
    /// Sets a card's entry.
    fn put_card(&mut self, card_no: &str, entry: &CardEntry) -> Result<(), Fault>;
    /// Inserts or replaces a catalog item.
    fn put_goods(&mut self, record: &GoodsRecord) -> Result<(), Fault>;
    /// Points a barcode at an item, or frees it.
    fn put_barcode(&mut self, barcode: &str, goods_id: Option<&str>) -> Result<(), Fault>;
    /// Inserts or replaces an award.
    fn put_award(&mut self, record: &AwardRecord) -> Result<(), Fault>;
    /// Inserts or replaces a sale.
    fn put_sale(&mut self, record: &SaleRecord) -> Result<(), Fault>;
    /// Sets a household's tally for a period.
    fn put_tally(
        &mut self,
        period: &PeriodKey,
        household_id: &str,
        tally: &PeriodTally,
    ) -> Result<(), Fault>;
    /// Sets the points used against a budget key.
    fn put_budget_used(&mut self, budget_key: &str, points: i64) -> Result<(), Fault>;
    /// Sets a day's record.
    fn put_day(&mut self, date: &str, record: &DayRecord) -> Result<(), Fault>;
    /// Records the last year cleared.
    fn put_last_cleared_year(&mut self, year: i32) -> Result<(), Fault>;
    /// Inserts or replaces a roster entry.
    fn put_roster(&mut self, entry: &RosterEntry) -> Result<(), Fault>;
    /// Stores a closed till session.
    fn put_session(&mut self, record: &SessionRecord) -> Result<(), Fault>;
    /// Keeps the split of an event written before lots and credit years.
    fn put_split(&mut self, seq: u64, split: &Split) -> Result<(), Fault>;
    /// Stores a new receipt and indexes it by its verification code ([`State::receipts_by_code`]
    /// finds it from then on; a store may write the index a batch at a time). Returns whether a receipt
    /// of that number was already stored (and is now replaced): receipts are numbered once, so
    /// the caller reports that as a fault and the transaction is dropped. Told by the write
    /// itself, so issuing a receipt costs no lookup before it.
    fn put_receipt(
        &mut self,
        record: &ReceiptRecord,
        code: &VerificationCode,
    ) -> Result<bool, Fault>;
}

/// The whole derived state in plain maps: the reference for `verify` and for tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryState {
    /// Station meta.
    pub meta: Option<StationMeta>,
    /// Households by id.
    pub households: BTreeMap<String, HouseholdRecord>,
    /// Head-of-household name index: (name, household id).
    pub names: BTreeMap<(String, String), ()>,
    /// Cards by number.
    pub cards: BTreeMap<String, CardEntry>,
    /// Goods by id.
    pub goods: BTreeMap<String, GoodsRecord>,
    /// Barcodes to goods ids.
    pub barcodes: BTreeMap<String, String>,
    /// Awards by seq.
    pub awards: BTreeMap<u64, AwardRecord>,
    /// Sales by seq.
    pub sales: BTreeMap<u64, SaleRecord>,
    /// Tallies by (period, household).
    pub tallies: BTreeMap<(String, String), PeriodTally>,
    /// Budget used by key.
    pub budget: BTreeMap<String, i64>,
    /// Days by date.
    pub days: BTreeMap<String, DayRecord>,
    /// Last year cleared.
    pub last_cleared_year: Option<i32>,
    /// Roster of other stations by id.
    pub roster: BTreeMap<String, RosterEntry>,
    /// Closed till sessions by number.
    pub sessions: BTreeMap<u64, SessionRecord>,
    /// Splits of events written before lots and credit years, by seq.
    pub splits: BTreeMap<u64, Split>,
    /// Receipts by number.
    pub receipts: BTreeMap<u64, ReceiptRecord>,
    /// Verification-code index: (code, receipt number).
    pub receipt_codes: BTreeMap<(String, u64), ()>,
}

impl State for MemoryState {
    fn meta(&self) -> Result<Option<StationMeta>, Fault> {
        Ok(self.meta.clone())
    }
    fn household(&self, household_id: &str) -> Result<Option<HouseholdRecord>, Fault> {
        Ok(self.households.get(household_id).cloned())
    }
    fn card(&self, card_no: &str) -> Result<Option<CardEntry>, Fault> {
        Ok(self.cards.get(card_no).cloned())
    }
    fn goods(&self, goods_id: &str) -> Result<Option<GoodsRecord>, Fault> {
        Ok(self.goods.get(goods_id).cloned())
    }
    fn barcode(&self, barcode: &str) -> Result<Option<String>, Fault> {
        Ok(self.barcodes.get(barcode).cloned())
    }
    fn award(&self, seq: u64) -> Result<Option<AwardRecord>, Fault> {
        Ok(self.awards.get(&seq).cloned())
    }
    fn sale(&self, seq: u64) -> Result<Option<SaleRecord>, Fault> {
        Ok(self.sales.get(&seq).cloned())
    }
    fn tally(&self, period: &PeriodKey, household_id: &str) -> Result<Option<PeriodTally>, Fault> {
        Ok(self
            .tallies
            .get(&(period.0.clone(), household_id.to_string()))
            .cloned())
    }
    fn period_scores(&self, period: &PeriodKey) -> Result<Vec<i64>, Fault> {
        Ok(self
            .tallies
            .range((period.0.clone(), String::new())..)
            .take_while(|((p, _), _)| *p == period.0)
            .filter(|(_, t)| t.entries > 0)
            .map(|(_, t)| t.score)
            .collect())
    }
    fn budget_used(&self, budget_key: &str) -> Result<i64, Fault> {
        Ok(self.budget.get(budget_key).copied().unwrap_or(0))
    }
    fn day(&self, date: &str) -> Result<Option<DayRecord>, Fault> {
        Ok(self.days.get(date).cloned())
    }
    fn pending_awards(&self) -> Result<Vec<AwardRecord>, Fault> {
        Ok(self
            .awards
            .values()
            .filter(|a| a.status == AwardStatus::Pending)
            .cloned()
            .collect())
    }
    fn households_with_balance(&self) -> Result<Vec<HouseholdRecord>, Fault> {
        Ok(self
            .households
            .values()
            .filter(|h| h.balance_points != 0)
            .cloned()
            .collect())
    }
    fn last_cleared_year(&self) -> Result<Option<i32>, Fault> {
        Ok(self.last_cleared_year)
    }
    fn roster(&self, station_id: &str) -> Result<Option<RosterEntry>, Fault> {
        Ok(self.roster.get(station_id).cloned())
    }
    fn session(&self, session_no: u64) -> Result<Option<SessionRecord>, Fault> {
        Ok(self.sessions.get(&session_no).cloned())
    }
    fn split(&self, seq: u64) -> Result<Option<Split>, Fault> {
        Ok(self.splits.get(&seq).cloned())
    }
    fn receipt(&self, receipt_no: u64) -> Result<Option<ReceiptRecord>, Fault> {
        Ok(self.receipts.get(&receipt_no).cloned())
    }
    fn receipts_by_code(&self, code: &VerificationCode) -> Result<Vec<u64>, Fault> {
        let code = code.as_str().to_string();
        Ok(self
            .receipt_codes
            .range((code.clone(), 0)..=(code, u64::MAX))
            .map(|((_, no), ())| *no)
            .collect())
    }
}

impl StateMut for MemoryState {
    fn put_meta(&mut self, meta: &StationMeta) -> Result<(), Fault> {
        self.meta = Some(meta.clone());
        Ok(())
    }
    fn put_household(&mut self, record: &HouseholdRecord, is_new: bool) -> Result<(), Fault> {
        let id = &record.household.household_id;
        let renamed = match self.households.get(id) {
            Some(old) if old.household.head != record.household.head => {
                self.names.remove(&(old.household.head.clone(), id.clone()));
                true
            }
            _ => false,
        };
        if is_new || renamed {
            self.names
                .insert((record.household.head.clone(), id.clone()), ());
        }
        self.households
            .insert(record.household.household_id.clone(), record.clone());
        Ok(())
    }
    fn put_card(&mut self, card_no: &str, entry: &CardEntry) -> Result<(), Fault> {
        self.cards.insert(card_no.to_string(), entry.clone());
        Ok(())
    }
    fn put_goods(&mut self, record: &GoodsRecord) -> Result<(), Fault> {
        self.goods
            .insert(record.goods.goods_id.clone(), record.clone());
        Ok(())
    }
    fn put_barcode(&mut self, barcode: &str, goods_id: Option<&str>) -> Result<(), Fault> {
        match goods_id {
            Some(id) => self.barcodes.insert(barcode.to_string(), id.to_string()),
            None => self.barcodes.remove(barcode),
        };
        Ok(())
    }
    fn put_award(&mut self, record: &AwardRecord) -> Result<(), Fault> {
        self.awards.insert(record.seq, record.clone());
        Ok(())
    }
    fn put_sale(&mut self, record: &SaleRecord) -> Result<(), Fault> {
        self.sales.insert(record.seq, record.clone());
        Ok(())
    }
    fn put_tally(
        &mut self,
        period: &PeriodKey,
        household_id: &str,
        tally: &PeriodTally,
    ) -> Result<(), Fault> {
        self.tallies
            .insert((period.0.clone(), household_id.to_string()), tally.clone());
        Ok(())
    }
    fn put_budget_used(&mut self, budget_key: &str, points: i64) -> Result<(), Fault> {
        self.budget.insert(budget_key.to_string(), points);
        Ok(())
    }
    fn put_day(&mut self, date: &str, record: &DayRecord) -> Result<(), Fault> {
        self.days.insert(date.to_string(), record.clone());
        Ok(())
    }
    fn put_last_cleared_year(&mut self, year: i32) -> Result<(), Fault> {
        self.last_cleared_year = Some(year);
        Ok(())
    }
    fn put_roster(&mut self, entry: &RosterEntry) -> Result<(), Fault> {
        self.roster.insert(entry.station_id.clone(), entry.clone());
        Ok(())
    }
    fn put_session(&mut self, record: &SessionRecord) -> Result<(), Fault> {
        self.sessions.insert(record.session_no, record.clone());
        Ok(())
    }
    fn put_split(&mut self, seq: u64, split: &Split) -> Result<(), Fault> {
        self.splits.insert(seq, split.clone());
        Ok(())
    }
    fn put_receipt(
        &mut self,
        record: &ReceiptRecord,
        code: &VerificationCode,
    ) -> Result<bool, Fault> {
        let replaced = self
            .receipts
            .insert(record.receipt_no, record.clone())
            .is_some();
        self.receipt_codes
            .insert((code.as_str().to_string(), record.receipt_no), ());
        Ok(replaced)
    }
}
