//! The till's copy of the ledger it shows: households, goods and the search indexes over them,
//! read from a [`View`] at start and refreshed after each commit. The model only ever reads this
//! copy, so `update` and `view` need no ledger and run in tests and benchmarks without one.

use std::collections::HashMap;

use crate::domain::event::{Event, EventBody, Zone};
use crate::domain::state::{GoodsRecord, HouseholdRecord, StationMeta};
use crate::lookup::{pinyin_keys, LookupEntry, LookupIndex, MatchKind};
use crate::store::ledger::View;
use crate::store::StoreError;

/// At most this many rows come back from one search.
pub const SEARCH_RESULTS_MAX: usize = 200;

/// Search keys of one catalog item.
#[derive(Clone, Debug, Default)]
struct GoodsKeys {
    name: String,
    fulls: Vec<String>,
    initials: Vec<String>,
    codes: Vec<String>,
}

/// Name and pinyin search over the catalog (a few thousand items: a scan is fast enough).
#[derive(Clone, Debug, Default)]
pub struct GoodsSearch {
    keys: Vec<GoodsKeys>,
}

fn normalize(query: &str) -> String {
    query
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

impl GoodsSearch {
    /// Builds keys for every item, in the same order as `goods`.
    pub fn build(goods: &[GoodsRecord]) -> GoodsSearch {
        GoodsSearch {
            keys: goods.iter().map(goods_keys).collect(),
        }
    }

    /// Replaces or appends the keys of the item at `position`.
    pub fn set(&mut self, position: usize, goods: &GoodsRecord) {
        let keys = goods_keys(goods);
        if position < self.keys.len() {
            self.keys[position] = keys;
        } else {
            self.keys.push(keys);
        }
    }

    /// Positions of items matching `query`, best first: exact, then prefix of name, initials,
    /// pinyin, code, then contains; an empty query matches everything in catalog order.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let q = normalize(query);
        if q.is_empty() {
            return (0..self.keys.len()).collect();
        }
        let mut ranked: Vec<(u8, usize)> = Vec::new();
        for (i, k) in self.keys.iter().enumerate() {
            let exact = k.name == q
                || k.initials
                    .iter()
                    .chain(&k.fulls)
                    .chain(&k.codes)
                    .any(|s| *s == q);
            let rank = if exact {
                Some(0)
            } else if k.name.starts_with(&q) {
                Some(1)
            } else if k.initials.iter().any(|s| s.starts_with(&q)) {
                Some(2)
            } else if k.fulls.iter().any(|s| s.starts_with(&q)) {
                Some(3)
            } else if k.codes.iter().any(|s| s.starts_with(&q)) {
                Some(4)
            } else if k.name.contains(&q)
                || k.fulls.iter().chain(&k.initials).any(|s| s.contains(&q))
            {
                Some(5)
            } else {
                None
            };
            if let Some(r) = rank {
                ranked.push((r, i));
            }
        }
        ranked.sort();
        ranked.into_iter().map(|(_, i)| i).collect()
    }
}

fn goods_keys(g: &GoodsRecord) -> GoodsKeys {
    let (fulls, initials) = pinyin_keys(&g.goods.name);
    GoodsKeys {
        name: normalize(&g.goods.name),
        fulls: fulls.iter().map(|s| normalize(s)).collect(),
        initials: initials.iter().map(|s| normalize(s)).collect(),
        codes: vec![normalize(&g.goods.goods_id), normalize(&g.goods.barcode)],
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
    /// Every household, by id.
    pub households: Vec<HouseholdRecord>,
    /// Household id → position.
    pub household_at: HashMap<String, usize>,
    /// Replaced card number (upper case) → household position.
    pub old_cards: HashMap<String, usize>,
    /// The household search index (pinyin, card, phone tail).
    pub household_index: LookupIndex,
    /// Every catalog item, by id.
    pub goods: Vec<GoodsRecord>,
    /// Goods id → position.
    pub goods_at: HashMap<String, usize>,
    /// Barcode → goods position.
    pub barcodes: HashMap<String, usize>,
    /// Name/pinyin search over the goods.
    pub goods_search: GoodsSearch,
    /// Categories in first-seen order.
    pub categories: Vec<String>,
}

fn lookup_entry(h: &HouseholdRecord) -> LookupEntry {
    LookupEntry {
        id: h.household.household_id.clone(),
        card_no: h.household.card_no.clone(),
        name: h.household.head.clone(),
        phone: h.household.phone.clone(),
    }
}

impl Data {
    /// Reads the whole station from a view.
    pub fn load(view: &View) -> Result<Data, StoreError> {
        let meta = view.meta()?;
        let households = view.households()?;
        let goods = view.goods()?;
        Ok(Data::from_records(meta, households, goods))
    }

    /// Builds the copy and its indexes from records (tests build data without a ledger).
    pub fn from_records(
        meta: Option<StationMeta>,
        households: Vec<HouseholdRecord>,
        goods: Vec<GoodsRecord>,
    ) -> Data {
        let household_index = LookupIndex::build(households.iter().map(lookup_entry));
        let mut data = Data {
            meta,
            household_index,
            goods_search: GoodsSearch::build(&goods),
            ..Data::default()
        };
        for (i, h) in households.iter().enumerate() {
            data.household_at
                .insert(h.household.household_id.clone(), i);
            for old in &h.old_cards {
                data.old_cards.insert(old.to_uppercase(), i);
            }
        }
        data.households = households;
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
                self.put_household(record);
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
    pub fn put_household(&mut self, record: HouseholdRecord) {
        for old in &record.old_cards {
            let position = self
                .household_at
                .get(&record.household.household_id)
                .copied()
                .unwrap_or(self.households.len());
            self.old_cards.insert(old.to_uppercase(), position);
        }
        let entry = lookup_entry(&record);
        let known = self
            .household(&record.household.household_id)
            .map(lookup_entry);
        // Re-indexing costs time in proportion to the index; a balance change needs none.
        if known.as_ref() != Some(&entry) {
            self.household_index.insert(entry);
        }
        match self.household_at.get(&record.household.household_id) {
            Some(&i) => self.households[i] = record,
            None => {
                self.household_at
                    .insert(record.household.household_id.clone(), self.households.len());
                self.households.push(record);
            }
        }
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
        self.goods_search.set(position, &record);
        if position < self.goods.len() {
            self.goods[position] = record;
        } else {
            self.goods.push(record);
        }
    }

    /// A household by id.
    pub fn household(&self, id: &str) -> Option<&HouseholdRecord> {
        self.household_at
            .get(id)
            .and_then(|&i| self.households.get(i))
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
            if let Some(&i) = self.household_at.get(&id) {
                out.push(HouseholdHit::Household(i));
            }
        }
        out.truncate(limit);
        out
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
        EventBody::GoodsDefined { goods: g } => goods.push(g.goods_id.clone()),
        EventBody::StockReceived { goods_id, .. } | EventBody::StockAdjusted { goods_id, .. } => {
            goods.push(goods_id.clone())
        }
        EventBody::ScoreEntered { household_id, .. } => households.push(household_id.clone()),
        EventBody::AwardConfirmed { award_seq } | EventBody::AwardRevoked { award_seq, .. } => {
            if let Some(a) = view.state().award(*award_seq)? {
                households.push(a.household_id);
            }
        }
        EventBody::Redeemed {
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
        EventBody::GoodsShipped { goods_id, .. } => goods.push(goods_id.clone()),
        EventBody::StationInitialized { .. }
        | EventBody::PolicySet { .. }
        | EventBody::DayClosed { .. }
        | EventBody::StationEnrolled { .. }
        | EventBody::StationRevoked { .. }
        | EventBody::PolicyIssued { .. }
        | EventBody::HouseholdIssued { .. } => {}
    }
    Ok(())
}
