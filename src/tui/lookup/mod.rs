//! Lookup for the till: the narrowing lists the village manager sees while typing, households
//! in the lookup panel and goods in the catalog and the receive form.
//!
//! This module owns the rules for what a keystroke query matches and how matches rank, the
//! in-memory index over households, and [`ScanIndex`], the same matcher over a list small
//! enough to scan (the catalog). It knows nothing of the store or the domain: the caller feeds
//! it [`LookupEntry`] values (or borrowed fields, through a [`LookupBuilder`]) and maps the
//! returned ids or positions back to its own records. A goods item is an entry whose card is
//! its barcode and whose id is its goods id, so one query means the same thing in both lists.
//!
//! # Matching rules
//!
//! Queries and keys are normalised the same way: whitespace is dropped, full-width ASCII
//! (`ＬＪ１２３`) becomes ASCII, letters are lowercased and `ü` is written `v` (as Chinese input
//! methods do). An empty normalised query matches nothing. A household matches when:
//!
//! * [`MatchKind::Card`] / [`MatchKind::HouseholdId`]: the card number (or household id) starts
//!   with the query, or its numeric part does. Each code is indexed three ways: whole
//!   (`lj0001234`), after its leading non-digits (`0001234`) and without the leading zeros
//!   (`1234`). Arbitrary "contains" matching in the middle of a code is deliberately not done:
//!   it would need a linear scan on every keystroke.
//! * [`MatchKind::Name`]: the head of household's name starts with the query (`张`, `张三`).
//! * [`MatchKind::Initials`]: the pinyin initials start with the query (`z`, `zs` for 张三).
//! * [`MatchKind::FullPinyin`]: the toneless full pinyin starts with the query (`zhang`,
//!   `zhangs`, `zhangsan`).
//! * [`MatchKind::Phone`]: the query is at least four digits and the phone number (digits only)
//!   ends with it.
//!
//! Polyphonic characters (多音字) are indexed under every reading the `pinyin` crate knows, so
//! 单田芳 is found by `dan`, `shan` and `stf`. To bound growth a name keeps at most
//! [`MAX_READING_COMBINATIONS`] reading combinations; once a further character would exceed
//! that, it (and any later one that would) contributes only its first reading. Characters
//! without pinyin (`·`, Latin letters, digits) pass through lowercased into both keys.
//!
//! # Ranking
//!
//! Each household appears once, under its best [`MatchKind`] (declaration order, `Card` best).
//! Within a kind, exact matches (the whole key equals the query) come before prefix matches,
//! then households are ordered by id (byte order). [`ScanIndex`] ranks its entries the same
//! way (by their position in its list, which for the catalog is goods id order) and, because a
//! scan costs nothing more, then adds the entries whose name or pinyin merely contains the
//! query (`米` finds 东北大米), in list order.
//!
//! # Cost
//!
//! Each kind's keys live in one string arena with a sorted index of `(start, len, household)`,
//! so a query costs a few binary searches plus a scan of the matching range's household
//! numbers that keeps only the `limit` best in a small heap (tens of microseconds for one
//! letter over 100,000 households). Building sorts each kind once, one kind at a time so the
//! sort's scratch (16 bytes a key) is needed for one table only; 100,000 households take
//! roughly 17 MiB. [`LookupBuilder`] takes households in id order without holding them, so a
//! station never has to be in memory whole.
//! [`LookupIndex::insert`] is linear in the index size: fine for one household at a time,
//! use `build` for bulk loads. A [`ScanIndex`] keeps each entry's keys in a plain list and
//! compares every one on every keystroke, so a query costs time in proportion to the whole
//! list: meant for a catalog of a few thousand items, never for the households.

mod keys;
mod scan;
mod table;
#[cfg(test)]
mod tests;

use std::collections::BinaryHeap;

use keys::{entry_keys, normalize, KeyScratch};
use table::{IdList, KeyTable};

pub use keys::pinyin_keys;
pub use scan::ScanIndex;

/// The most pinyin reading combinations kept per name (see the module docs).
pub const MAX_READING_COMBINATIONS: usize = 16;

/// The fewest digits a query needs before it is tried as a phone-number tail.
pub const MIN_PHONE_TAIL_DIGITS: usize = 4;

/// Keys are cut to this many bytes (at a character boundary); no real field is that long.
const MAX_KEY_BYTES: usize = u8::MAX as usize;

/// One searchable entry; the caller keeps its own records and maps `id` back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LookupEntry {
    /// The household id (e.g. `H0123`); unique within an index, returned by searches.
    pub id: String,
    /// The household's card number (e.g. `LJ0001234`); may be empty.
    pub card_no: String,
    /// The head of household's name, usually in Chinese characters.
    pub name: String,
    /// The household's phone number in any format; only its digits are indexed.
    pub phone: String,
}

impl LookupEntry {
    fn fields(&self) -> Fields<'_> {
        Fields {
            id: &self.id,
            card_no: &self.card_no,
            name: &self.name,
            phone: &self.phone,
        }
    }
}

/// The fields of one household as borrowed text, so keys can be made without owning them.
#[derive(Clone, Copy)]
struct Fields<'a> {
    id: &'a str,
    card_no: &'a str,
    name: &'a str,
    phone: &'a str,
}

/// Why an entry matched, best first; used to rank results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The card number, or its numeric part, starts with the query.
    Card,
    /// The household id, or its numeric part, starts with the query.
    HouseholdId,
    /// The name itself starts with the query.
    Name,
    /// The pinyin initials of the name start with the query.
    Initials,
    /// The full toneless pinyin of the name starts with the query.
    FullPinyin,
    /// The phone number ends with the query (at least [`MIN_PHONE_TAIL_DIGITS`] digits).
    Phone,
}

impl MatchKind {
    /// Every kind, best first.
    const ALL: [MatchKind; KIND_COUNT] = [
        MatchKind::Card,
        MatchKind::HouseholdId,
        MatchKind::Name,
        MatchKind::Initials,
        MatchKind::FullPinyin,
        MatchKind::Phone,
    ];

    fn slot(self) -> usize {
        self as usize
    }
}

const KIND_COUNT: usize = 6;

/// An in-memory index over up to a few hundred thousand households.
///
/// Households are numbered by their position in id order, so "id order" ranking is a plain
/// integer comparison. Holds at most `u32::MAX` households (and 4 GiB of ids and of keys per
/// kind); anything beyond that is silently not indexed.
#[derive(Clone, Debug, Default)]
pub struct LookupIndex {
    /// Household ids, sorted; the position is the household's number in the key tables.
    ids: IdList,
    /// One sorted key table per [`MatchKind`], indexed by [`MatchKind::slot`].
    tables: [KeyTable; KIND_COUNT],
}

impl LookupIndex {
    /// An empty index.
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds an index from `entries` in one pass. When ids repeat, the last entry wins.
    ///
    /// This collects `entries` first; a caller that can give households in id order without
    /// holding them all should use [`LookupBuilder`] instead.
    pub fn build(entries: impl IntoIterator<Item = LookupEntry>) -> Self {
        let all: Vec<LookupEntry> = entries.into_iter().collect();
        let mut order: Vec<usize> = (0..all.len()).collect();
        if !all.windows(2).all(|pair| pair[0].id < pair[1].id) {
            // Stable, so among repeated ids the last one given stays last.
            order.sort_by(|&a, &b| all[a].id.cmp(&all[b].id));
        }
        let mut builder = LookupBuilder::new();
        for (at, &i) in order.iter().enumerate() {
            let repeated = order
                .get(at + 1)
                .is_some_and(|&next| all[next].id == all[i].id);
            if !repeated {
                builder.push(&all[i].id, &all[i].card_no, &all[i].name, &all[i].phone);
            }
        }
        builder.finish()
    }

    /// Adds `entry`, replacing an entry with the same id. Linear in the index size, so load
    /// many households with [`LookupIndex::build`] instead.
    pub fn insert(&mut self, entry: LookupEntry) {
        let owner = match self.ids.find(&entry.id) {
            Ok(owner) => {
                for table in &mut self.tables {
                    table.remove_owner(owner);
                }
                owner
            }
            Err(number) => {
                let Some(owner) = self.ids.insert(number, &entry.id) else {
                    return;
                };
                for table in &mut self.tables {
                    table.shift_owners_from(owner);
                }
                owner
            }
        };
        let tables = &mut self.tables;
        entry_keys(entry.fields(), &mut KeyScratch::default(), |kind, key| {
            tables[kind.slot()].insert_sorted(key, owner);
        });
    }

    /// The number of households in the index.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the index holds no households.
    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// Up to `limit` ids best first (by MatchKind, then exact before prefix, then id order).
    ///
    /// Each household appears once, under its best kind; within a kind a match is exact when
    /// one of its keys equals the whole query. A query that is empty after normalisation (or a
    /// `limit` of 0) returns nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<(String, MatchKind)> {
        let q = normalize(query);
        let limit = limit.min(self.ids.len());
        if q.is_empty() || limit == 0 {
            return Vec::new();
        }
        let phone_tail: Option<String> = (q.len() >= MIN_PHONE_TAIL_DIGITS
            && q.bytes().all(|b| b.is_ascii_digit()))
        .then(|| q.chars().rev().collect());

        let mut picker = Picker::new(self.ids.len(), limit);
        for kind in MatchKind::ALL {
            let key = match kind {
                MatchKind::Phone => match &phone_tail {
                    Some(reversed) => reversed.as_bytes(),
                    None => continue,
                },
                _ => q.as_bytes(),
            };
            let table = &self.tables[kind.slot()];
            let (start, exact_end, end) = table.range(key);
            picker.take(&table.owners[start..exact_end], kind);
            if picker.is_full() {
                break;
            }
            picker.take(&table.owners[exact_end..end], kind);
            if picker.is_full() {
                break;
            }
        }
        picker
            .out
            .into_iter()
            .map(|(owner, kind)| (self.ids.get(owner).to_string(), kind))
            .collect()
    }
}

/// Builds a [`LookupIndex`] from households given one at a time in id order, keeping only
/// their keys: a station's households never need to be in memory all at once.
#[derive(Default)]
pub struct LookupBuilder {
    index: LookupIndex,
    scratch: KeyScratch,
}

impl LookupBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one household's keys. Ids must come in strictly increasing byte order (as a
    /// sorted store yields them); an id that does not sort after the previous one is skipped
    /// and `false` returned, as it is once the index is full.
    pub fn push(&mut self, id: &str, card_no: &str, name: &str, phone: &str) -> bool {
        let ids = &mut self.index.ids;
        if ids.len() > 0 && ids.get(ids.last_owner()) >= id {
            return false;
        }
        let Some(owner) = ids.push(id) else {
            return false;
        };
        let tables = &mut self.index.tables;
        let fields = Fields {
            id,
            card_no,
            name,
            phone,
        };
        entry_keys(fields, &mut self.scratch, |kind, key| {
            tables[kind.slot()].push(key, owner);
        });
        true
    }

    /// Sorts the keys (one table at a time, to keep the scratch space small) and returns the
    /// index with no spare capacity.
    pub fn finish(self) -> LookupIndex {
        let mut index = self.index;
        index.ids.shrink_to_fit();
        for table in &mut index.tables {
            table.sort();
        }
        index
    }
}

/// Collects the best `limit` households, kind by kind, each household at most once.
struct Picker {
    limit: usize,
    out: Vec<(u32, MatchKind)>,
    /// Households already picked, or considered by the current [`Picker::take`].
    seen: Vec<u64>,
}

impl Picker {
    fn new(households: usize, limit: usize) -> Self {
        Picker {
            limit,
            out: Vec::with_capacity(limit),
            seen: vec![0; households.div_ceil(64)],
        }
    }

    fn is_full(&self) -> bool {
        self.out.len() >= self.limit
    }

    fn test_and_set(&mut self, owner: u32) -> bool {
        let (word, bit) = (owner as usize / 64, 1u64 << (owner % 64));
        match self.seen.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                false
            }
            _ => true,
        }
    }

    /// Adds the lowest-numbered unseen households among `owners` as matches of `kind`.
    ///
    /// A bounded max-heap keeps the best candidates. An evicted household stays marked seen;
    /// that is harmless because an eviction means this call fills the result list.
    fn take(&mut self, owners: &[u32], kind: MatchKind) {
        let need = self.limit.saturating_sub(self.out.len());
        if need == 0 || owners.is_empty() {
            return;
        }
        let mut heap: BinaryHeap<u32> = BinaryHeap::with_capacity(need.min(owners.len()));
        for &owner in owners {
            if heap.len() >= need {
                match heap.peek() {
                    Some(&worst) if owner < worst => {}
                    _ => continue,
                }
            }
            if self.test_and_set(owner) {
                continue;
            }
            if heap.len() >= need {
                if let Some(mut worst) = heap.peek_mut() {
                    *worst = owner;
                }
            } else {
                heap.push(owner);
            }
        }
        self.out.extend(
            heap.into_sorted_vec()
                .into_iter()
                .map(|owner| (owner, kind)),
        );
    }
}
