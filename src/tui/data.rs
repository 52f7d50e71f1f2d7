//! The till's copy of the ledger it shows: households, goods and the search indexes over them,
//! read from a [`View`] at start and refreshed after each commit. The model only ever reads this
//! copy, so `update` and `view` need no ledger and run in tests and benchmarks without one.
//!
//! A station may have 100,000 households, so the copy keeps only what the lists show of each
//! (a [`HouseholdRow`], all text in one string) and streams the ledger once to build it; the
//! whole file of one household is read from the ledger when its details are opened.

use std::collections::HashMap;

use crate::domain::event::{Event, EventBody, Zone};
use crate::domain::state::{GoodsRecord, HouseholdRecord, StationMeta};
use crate::store::ledger::View;
use crate::store::StoreError;

use super::lookup::{LookupBuilder, LookupEntry, LookupIndex, MatchKind, ScanIndex};

/// At most this many rows come back from one search.
pub const SEARCH_RESULTS_MAX: usize = 200;

/// How many of a code's best matches are compared with it whole (an exact card or id ranks
/// first within its kind, so a few are enough).
const HOUSEHOLD_CODE_CANDIDATES: usize = 16;

/// The lookup entry of a catalog item: its barcode is its card and its goods id its id, so the
/// catalog is searched by the same rules as the households (see [`super::lookup`]).
fn goods_entry(g: &GoodsRecord) -> LookupEntry {
    LookupEntry {
        id: g.goods.goods_id.clone(),
        card_no: g.goods.barcode.clone(),
        name: g.goods.name.clone(),
        phone: String::new(),
        members: Vec::new(),
    }
}

/// What the till's lists show of one household, borrowed from [`Households`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HouseholdRow<'a> {
    /// The village's household number.
    pub household_id: &'a str,
    /// The current card number.
    pub card_no: &'a str,
    /// Head of household.
    pub head: &'a str,
    /// Village group.
    pub group: &'a str,
    /// Contact phone, possibly empty (kept to tell when the search keys change).
    pub phone: &'a str,
    /// Confirmed points that may be spent now.
    pub balance_points: i64,
    /// Points awarded but still in publicity.
    pub pending_points: i64,
}

/// The text fields of a [`HouseholdRow`], in the order they are stored.
const ROW_FIELDS: usize = 5;

/// Every household's row, in load order (id order, then households registered since).
///
/// The text of all rows lives in one string, so a row costs its bytes plus 44 bytes, not a
/// dozen allocations. Replaced text stays behind as dead bytes; a till session replaces few.
#[derive(Clone, Debug, Default)]
pub struct Households {
    /// Every row's text fields, back to back.
    text: String,
    /// Where each row's text starts, then where each of its [`ROW_FIELDS`] fields ends.
    bounds: Vec<[u32; ROW_FIELDS + 1]>,
    /// `[balance_points, pending_points]` of each row.
    points: Vec<[i64; 2]>,
    /// Row positions sorted by household id.
    by_id: Vec<u32>,
}

impl Households {
    /// The number of households.
    pub fn len(&self) -> usize {
        self.bounds.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.bounds.is_empty()
    }

    /// The row at `position`.
    pub fn get(&self, position: usize) -> Option<HouseholdRow<'_>> {
        let bounds = self.bounds.get(position)?;
        let [balance_points, pending_points] = *self.points.get(position)?;
        let field = |k: usize| {
            self.text
                .get(bounds[k] as usize..bounds[k + 1] as usize)
                .unwrap_or_default()
        };
        Some(HouseholdRow {
            household_id: field(0),
            card_no: field(1),
            head: field(2),
            group: field(3),
            phone: field(4),
            balance_points,
            pending_points,
        })
    }

    /// Every row, in position order.
    pub fn iter(&self) -> impl Iterator<Item = HouseholdRow<'_>> {
        (0..self.len()).filter_map(|position| self.get(position))
    }

    /// The position of household `id`.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.id_rank(id).ok().map(|rank| self.by_id[rank] as usize)
    }

    /// Where `id` is (`Ok`) or would go (`Err`) in `by_id`.
    fn id_rank(&self, id: &str) -> Result<usize, usize> {
        self.by_id
            .binary_search_by(|&position| self.id(position as usize).cmp(id))
    }

    /// The household id of the row at `position` (empty if there is none).
    fn id(&self, position: usize) -> &str {
        self.bounds
            .get(position)
            .and_then(|bounds| self.text.get(bounds[0] as usize..bounds[1] as usize))
            .unwrap_or_default()
    }

    /// Inserts or replaces the row of `record`; returns its position, or `None` when the
    /// text would outgrow `u32` offsets.
    pub fn put(&mut self, record: &HouseholdRecord) -> Option<usize> {
        let h = &record.household;
        let fields = [&h.household_id, &h.card_no, &h.head, &h.group, &h.phone];
        let points = [record.balance_points, record.pending_points];
        let rank = self.id_rank(&h.household_id);
        if let Ok(rank) = rank {
            let position = self.by_id[rank] as usize;
            let same = self.get(position).is_some_and(|row| {
                [
                    row.household_id,
                    row.card_no,
                    row.head,
                    row.group,
                    row.phone,
                ]
                .iter()
                .zip(fields)
                .all(|(stored, given)| *stored == given.as_str())
            });
            if !same {
                self.bounds[position] = self.store(fields)?;
            }
            self.points[position] = points;
            return Some(position);
        }
        let position = self.len();
        let bounds = self.store(fields)?;
        let rank = rank.err().unwrap_or(position);
        self.by_id.insert(rank, u32::try_from(position).ok()?);
        self.bounds.push(bounds);
        self.points.push(points);
        Some(position)
    }

    /// Appends the text of one row; its bounds.
    fn store(&mut self, fields: [&String; ROW_FIELDS]) -> Option<[u32; ROW_FIELDS + 1]> {
        let total: usize = fields.iter().map(|f| f.len()).sum();
        u32::try_from(self.text.len() + total).ok()?;
        let mut bounds = [0u32; ROW_FIELDS + 1];
        bounds[0] = u32::try_from(self.text.len()).ok()?;
        for (k, field) in fields.iter().enumerate() {
            self.text.push_str(field);
            bounds[k + 1] = u32::try_from(self.text.len()).ok()?;
        }
        Some(bounds)
    }

    /// Gives back the spare capacity left by growing (after a bulk load).
    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.bounds.shrink_to_fit();
        self.points.shrink_to_fit();
        self.by_id.shrink_to_fit();
    }
}

/// The households of a [`Data::load_deferred`], being read and indexed off the till's thread.
#[derive(Debug)]
pub enum PendingHouseholds {
    /// Still loading (or loaded and not yet collected).
    Loading(std::thread::JoinHandle<Result<HouseholdPart, StoreError>>),
    /// No thread could be started to load them.
    Lost,
}

/// Why deferred households could not be installed: their thread could not be started, failed
/// to read the ledger, or panicked. The caller reads the station whole with [`Data::load`].
#[derive(Debug)]
pub struct HouseholdsLost;

impl PendingHouseholds {
    /// Whether the households are ready to install without waiting.
    pub fn is_ready(&self) -> bool {
        match self {
            PendingHouseholds::Loading(handle) => handle.is_finished(),
            PendingHouseholds::Lost => true,
        }
    }

    /// Waits for the households and their index and puts them into `data`.
    pub fn install(self, data: &mut Data) -> Result<(), HouseholdsLost> {
        let part = match self {
            PendingHouseholds::Loading(handle) => handle
                .join()
                .map_err(|_| HouseholdsLost)?
                .map_err(|_| HouseholdsLost)?,
            PendingHouseholds::Lost => return Err(HouseholdsLost),
        };
        data.households = part.households;
        data.old_cards = part.old_cards;
        data.household_index = part.household_index;
        data.households_loading = false;
        Ok(())
    }
}

/// A station's households as the till keeps them: rows, replaced cards and the search index.
#[derive(Debug, Default)]
pub struct HouseholdPart {
    households: Households,
    old_cards: HashMap<String, usize>,
    household_index: LookupIndex,
}

impl HouseholdPart {
    /// Streams every household of the view once into rows and the search index.
    fn load(view: &View) -> Result<HouseholdPart, StoreError> {
        let mut part = HouseholdPart::default();
        let mut index = LookupBuilder::new();
        view.for_each_household(|record| {
            let h = &record.household;
            // The ledger gives each id once, in order, so the builder takes every one.
            index.push(&h.household_id, &h.card_no, &h.head, &h.phone, &h.members);
            load_row(&mut part.households, &mut part.old_cards, &record);
            Ok(())
        })?;
        part.households.shrink_to_fit();
        part.household_index = index.finish();
        Ok(part)
    }
}

/// One row of a household search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HouseholdHit {
    /// A household (position in [`Data::households`]).
    Household(usize),
    /// The query is a replaced card of this household: shown, never selectable.
    VoidedCard(usize),
}

/// Everything the till shows that comes from the ledger.
#[derive(Clone, Debug, Default)]
pub struct Data {
    /// The station; `None` before the first-run setup.
    pub meta: Option<StationMeta>,
    /// What the lists show of every household, by id.
    pub households: Households,
    /// Replaced card number (upper case) → household position.
    pub old_cards: HashMap<String, usize>,
    /// The household search index (card, id, phone tail; names of the head and the members).
    pub household_index: LookupIndex,
    /// Every catalog item, by id.
    pub goods: Vec<GoodsRecord>,
    /// Goods id → position.
    pub goods_at: HashMap<String, usize>,
    /// Barcode → goods position.
    pub barcodes: HashMap<String, usize>,
    /// The goods search, by position in [`Data::goods`].
    pub goods_search: ScanIndex,
    /// Categories in first-seen order.
    pub categories: Vec<String>,
    /// Whether the households are still being read at start ([`Data::load_deferred`]).
    pub households_loading: bool,
}

fn lookup_entry(h: &HouseholdRecord) -> LookupEntry {
    LookupEntry {
        id: h.household.household_id.clone(),
        card_no: h.household.card_no.clone(),
        name: h.household.head.clone(),
        phone: h.household.phone.clone(),
        members: h.household.members.clone(),
    }
}

/// Adds a household's row in a bulk load, and its replaced cards.
fn load_row(
    households: &mut Households,
    old_cards: &mut HashMap<String, usize>,
    record: &HouseholdRecord,
) {
    if let Some(position) = households.put(record) {
        for old in &record.old_cards {
            old_cards.insert(old.to_uppercase(), position);
        }
    }
}

impl Data {
    /// Reads the whole station from a view, one household at a time.
    pub fn load(view: &View) -> Result<Data, StoreError> {
        let meta = view.meta()?;
        let part = HouseholdPart::load(view)?;
        let goods = view.goods()?;
        Ok(Data::assemble(
            meta,
            part.households,
            part.old_cards,
            part.household_index,
            goods,
        ))
    }

    /// Reads the station like [`Data::load`], but leaves its households (their rows and
    /// search index) to another thread, so the till shows its first screen without waiting:
    /// on 100,000 households, decoding every record and building the pinyin keys take several
    /// times the rest of the start-up. Until [`PendingHouseholds::install`] the copy has no
    /// households and says it is loading them ([`Data::households_loading`]); the till installs
    /// them before its model handles its first message.
    pub fn load_deferred(view: View) -> Result<(Data, PendingHouseholds), StoreError> {
        let meta = view.meta()?;
        let goods = view.goods()?;
        let pending = match std::thread::Builder::new()
            .name("households".into())
            .spawn(move || HouseholdPart::load(&view))
        {
            Ok(handle) => PendingHouseholds::Loading(handle),
            // No thread to be had: installing says so, and the caller reads the station whole.
            Err(_) => PendingHouseholds::Lost,
        };
        let mut data = Data::assemble(
            meta,
            Households::default(),
            HashMap::new(),
            LookupIndex::new(),
            goods,
        );
        data.households_loading = true;
        Ok((data, pending))
    }

    /// Builds the copy and its indexes from records (tests build data without a ledger).
    pub fn from_records(
        meta: Option<StationMeta>,
        households: Vec<HouseholdRecord>,
        goods: Vec<GoodsRecord>,
    ) -> Data {
        let household_index = LookupIndex::build(households.iter().map(lookup_entry));
        let mut rows = Households::default();
        let mut old_cards = HashMap::new();
        for record in &households {
            load_row(&mut rows, &mut old_cards, record);
        }
        Data::assemble(meta, rows, old_cards, household_index, goods)
    }

    fn assemble(
        meta: Option<StationMeta>,
        households: Households,
        old_cards: HashMap<String, usize>,
        household_index: LookupIndex,
        goods: Vec<GoodsRecord>,
    ) -> Data {
        let mut data = Data {
            meta,
            households,
            old_cards,
            household_index,
            goods_search: ScanIndex::build(goods.iter().map(goods_entry)),
            ..Data::default()
        };
        for (i, g) in goods.iter().enumerate() {
            data.index_goods(i, g);
        }
        data.goods = goods;
        data
    }

    fn index_goods(&mut self, position: usize, g: &GoodsRecord) {
        self.goods_at.insert(g.goods.goods_id.clone(), position);
        if !g.goods.barcode.is_empty() {
            self.barcodes.insert(g.goods.barcode.clone(), position);
        }
        if !g.goods.category.is_empty() && !self.categories.contains(&g.goods.category) {
            self.categories.push(g.goods.category.clone());
        }
    }

    /// Re-reads what the events touched: households and goods by id (registering new ones in
    /// the indexes) and the meta. Cheap enough to run after every commit.
    pub fn refresh(&mut self, view: &View, events: &[Event]) -> Result<(), StoreError> {
        self.meta = view.meta()?;
        let mut households: Vec<String> = Vec::new();
        let mut goods: Vec<String> = Vec::new();
        for event in events {
            touched(view, &event.body, &mut households, &mut goods)?;
        }
        for id in households {
            if let Some(record) = view.state().household(&id)? {
                self.put_household(&record);
            }
        }
        for id in goods {
            if let Some(record) = view.state().goods(&id)? {
                self.put_goods(record);
            }
        }
        Ok(())
    }

    /// Inserts or replaces a household and updates the search index.
    pub fn put_household(&mut self, record: &HouseholdRecord) {
        let h = &record.household;
        let known = self.households.position(&h.household_id);
        for old in &record.old_cards {
            let position = known.unwrap_or(self.households.len());
            self.old_cards.insert(old.to_uppercase(), position);
        }
        // Re-indexing costs time in proportion to the index; a balance change needs none.
        let same_keys = known
            .and_then(|position| self.households.get(position))
            .is_some_and(|row| {
                (row.card_no, row.phone) == (h.card_no.as_str(), h.phone.as_str())
                    && self
                        .household_index
                        .has_names(&h.household_id, &h.head, &h.members)
            });
        if !same_keys {
            self.household_index.insert(lookup_entry(record));
        }
        self.households.put(record);
    }

    /// Inserts or replaces a catalog item and updates the indexes.
    pub fn put_goods(&mut self, record: GoodsRecord) {
        let position = self
            .goods_at
            .get(&record.goods.goods_id)
            .copied()
            .unwrap_or(self.goods.len());
        if let Some(old) = self.goods.get(position) {
            if old.goods.barcode != record.goods.barcode {
                self.barcodes.remove(&old.goods.barcode);
            }
        }
        self.index_goods(position, &record);
        self.goods_search.set(position, &goods_entry(&record));
        if position < self.goods.len() {
            self.goods[position] = record;
        } else {
            self.goods.push(record);
        }
    }

    /// What the lists show of a household, by id.
    pub fn household(&self, id: &str) -> Option<HouseholdRow<'_>> {
        self.households
            .position(id)
            .and_then(|i| self.households.get(i))
    }

    /// A household's head for lists and logs, or its id when the household is unknown here.
    pub fn head_or_id(&self, id: &str) -> String {
        self.household(id)
            .map(|h| h.head.to_string())
            .unwrap_or_else(|| id.to_string())
    }

    /// A catalog item by id.
    pub fn goods_by_id(&self, id: &str) -> Option<&GoodsRecord> {
        self.goods_at.get(id).and_then(|&i| self.goods.get(i))
    }

    /// A catalog item by barcode.
    pub fn goods_by_barcode(&self, barcode: &str) -> Option<&GoodsRecord> {
        self.barcodes.get(barcode).and_then(|&i| self.goods.get(i))
    }

    /// Households matching a query, best first; a replaced card comes first, marked.
    pub fn search_households(&self, query: &str, limit: usize) -> Vec<HouseholdHit> {
        let mut out = Vec::new();
        let trimmed = query.trim();
        if trimmed.is_empty() {
            return (0..self.households.len().min(limit))
                .map(HouseholdHit::Household)
                .collect();
        }
        if let Some(&i) = self.old_cards.get(&trimmed.to_uppercase()) {
            out.push(HouseholdHit::VoidedCard(i));
        }
        for (id, _kind) in self.household_index.search(trimmed, limit) {
            if let Some(i) = self.households.position(&id) {
                out.push(HouseholdHit::Household(i));
            }
        }
        out.truncate(limit);
        out
    }

    /// Catalog positions matching a query, best first; a blank query lists the whole catalog
    /// in order (as a blank household query lists every household).
    pub fn search_goods(&self, query: &str) -> Vec<usize> {
        if query.trim().is_empty() {
            return (0..self.goods.len()).collect();
        }
        self.goods_search.search(query)
    }

    /// The household a whole code names — its card number, household id or phone, as a card
    /// reader or scanner sends it (normalised by the caller) — or a replaced card (shown,
    /// never chosen). A code that only starts a card, or a phone's tail, names nobody here.
    pub fn household_by_code(&self, code: &str) -> Option<HouseholdHit> {
        if code.is_empty() {
            return None;
        }
        let digits = |s: &str| -> String { s.chars().filter(char::is_ascii_digit).collect() };
        let phone = (code.len() >= 7 && code.bytes().all(|b| b.is_ascii_digit())).then_some(code);
        for (id, _kind) in self.household_index.search(code, HOUSEHOLD_CODE_CANDIDATES) {
            let Some(position) = self.households.position(&id) else {
                continue;
            };
            let Some(row) = self.households.get(position) else {
                continue;
            };
            if row.card_no.eq_ignore_ascii_case(code)
                || row.household_id.eq_ignore_ascii_case(code)
                || phone.is_some_and(|p| digits(row.phone) == p)
            {
                return Some(HouseholdHit::Household(position));
            }
        }
        self.old_cards
            .get(&code.to_uppercase())
            .map(|&position| HouseholdHit::VoidedCard(position))
    }

    /// Whether the best household match is by card number (a card scanned or typed whole).
    pub fn card_match(&self, query: &str) -> bool {
        self.household_index
            .search(query.trim(), 1)
            .first()
            .is_some_and(|(_, k)| *k == MatchKind::Card)
    }

    /// Zone filters offered in the catalog: the policy's zones that have goods, then donation.
    pub fn zones(&self) -> Vec<Zone> {
        let mut zones: Vec<Zone> = self.goods.iter().map(|g| g.goods.zone).collect();
        if let Some(meta) = &self.meta {
            zones.extend(meta.policy.zones.iter().map(|z| Zone::Points(*z)));
        }
        zones.sort();
        zones.dedup();
        zones
    }
}

fn touched(
    view: &View,
    body: &EventBody,
    households: &mut Vec<String>,
    goods: &mut Vec<String>,
) -> Result<(), StoreError> {
    match body {
        EventBody::HouseholdRegistered { household } => {
            households.push(household.household_id.clone())
        }
        EventBody::CardReissued { household_id, .. } => households.push(household_id.clone()),
        EventBody::HouseholdEdited { household } => households.push(household.household_id.clone()),
        EventBody::LowStockSet { goods_id, .. } => goods.push(goods_id.clone()),
        EventBody::GoodsDefined { goods: g } => goods.push(g.goods_id.clone()),
        EventBody::StockReceived { goods_id, .. }
        | EventBody::StockAdjusted { goods_id, .. }
        | EventBody::StockAdjustedV1 { goods_id, .. } => goods.push(goods_id.clone()),
        EventBody::ScoreEntered { household_id, .. }
        | EventBody::ItemScoresEntered { household_id, .. } => {
            households.push(household_id.clone())
        }
        EventBody::AwardConfirmed { award_seq } | EventBody::AwardRevoked { award_seq, .. } => {
            if let Some(a) = view.state().award(*award_seq)? {
                households.push(a.household_id);
            }
        }
        EventBody::Redeemed {
            household_id,
            lines,
            ..
        }
        | EventBody::RedeemedV1 {
            household_id,
            lines,
            ..
        } => {
            households.push(household_id.clone());
            goods.extend(lines.iter().map(|l| l.goods_id.clone()));
        }
        EventBody::SaleVoided { sale_seq, .. } => {
            if let Some(s) = view.state().sale(*sale_seq)? {
                households.push(s.household_id);
                goods.extend(s.lines.iter().map(|l| l.goods_id.clone()));
            }
        }
        EventBody::YearCleared { cleared, .. } => {
            households.extend(cleared.iter().map(|(id, _)| id.clone()))
        }
        EventBody::GoodsShipped { goods_id, .. } | EventBody::GoodsShippedV1 { goods_id, .. } => {
            goods.push(goods_id.clone())
        }
        EventBody::StationInitialized { .. }
        | EventBody::PolicySet { .. }
        | EventBody::DayClosed { .. }
        | EventBody::SessionClosed { .. }
        | EventBody::ClockConfirmed { .. }
        | EventBody::ClockCorrected { .. }
        | EventBody::StationEnrolled { .. }
        | EventBody::StationRevoked { .. }
        | EventBody::PolicyIssued { .. }
        | EventBody::HouseholdIssued { .. }
        | EventBody::ScoreSheetSet { .. }
        | EventBody::ScoreSheetIssued { .. } => {}
        EventBody::OperatorAdded { .. }
        | EventBody::OperatorPinChanged { .. }
        | EventBody::OperatorRoleChanged { .. }
        | EventBody::OperatorRemoved { .. } => {}
    }
    Ok(())
}
