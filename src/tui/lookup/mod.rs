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
//! * [`MatchKind::Mixed`]: the head's name is spelled from its first character by a query that
//!   mixes full pinyin and initials (`lijg`, `lijiang`, `ljianguo` for 李建国): each character
//!   gives a non-empty prefix of one of its readings, or itself (`李jg`).
//! * [`MatchKind::Within`]: the same, from a later character: the given name (`建国`,
//!   `jianguo`, `jg` find 李建国).
//! * [`MatchKind::Member`]: the same, in the name of another member of the household.
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
//! then households are ordered by id (byte order); the name kinds (`Mixed`, `Within`,
//! `Member`) have no exact tier. [`ScanIndex`] ranks its entries the same way, by their
//! position in its list (for the catalog, goods id order): `米` finds 米粉 by its name, then
//! 东北大米 within it.
//!
//! # Cost
//!
//! Each key kind's keys live in one string arena with a sorted index of `(start, len,
//! household)`, so a query costs a few binary searches plus a scan of the matching range's
//! household numbers that keeps only the `limit` best in a small heap (tens of microseconds
//! for one letter over 100,000 households). The name kinds are found by walking every
//! household's names as 16-bit character tokens (`names`), only when the key tables gave
//! fewer than `limit` households; a per-household mask of the letters its characters can be
//! spelled with skips most of them with one test, and the walk stops once `limit` households
//! match from the head's first character. The tokens cost two bytes a character plus 13
//! bytes a household. Building sorts each kind once, one kind at a time so the
//! sort's scratch (16 bytes a key) is needed for one table only; 100,000 households take
//! roughly 17 MiB. [`LookupBuilder`] takes households in id order without holding them, so a
//! station never has to be in memory whole.
//! [`LookupIndex::insert`] is linear in the index size: fine for one household at a time,
//! use `build` for bulk loads. A [`ScanIndex`] keeps each entry's keys in a plain list and
//! compares every one on every keystroke, so a query costs time in proportion to the whole
//! list: meant for a catalog of a few thousand items, never for the households.

mod keys;
mod names;
mod scan;
mod table;
#[cfg(test)]
mod tests;

use std::collections::BinaryHeap;

use keys::{entry_keys, normalize, KeyScratch};
use names::{NameQuery, NameStore};
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
    /// The other members' names (found as [`MatchKind::Member`]); empty for goods.
    pub members: Vec<String>,
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

    /// The head's name, then the members'.
    fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.members.iter().map(String::as_str))
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
    /// The head's name is spelled from its first character by full pinyin and initials mixed.
    Mixed,
    /// The head's name is spelled from a later character (the given name).
    Within,
    /// Another member's name is spelled.
    Member,
}

impl MatchKind {
    /// The kinds with a key table, best first.
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

/// How many kinds have a key table (the first six); the name kinds are found in `names`.
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
    /// One sorted key table per key kind, indexed by [`MatchKind::slot`].
    tables: [KeyTable; KIND_COUNT],
    /// Every household's names, by household number, for the name kinds.
    names: NameStore,
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
                let e = &all[i];
                builder.push(&e.id, &e.card_no, &e.name, &e.phone, &e.members);
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
                self.names.replace(owner as usize, entry.names());
                owner
            }
            Err(number) => {
                let Some(owner) = self.ids.insert(number, &entry.id) else {
                    return;
                };
                for table in &mut self.tables {
                    table.shift_owners_from(owner);
                }
                self.names.insert(owner as usize, entry.names());
                owner
            }
        };
        let tables = &mut self.tables;
        entry_keys(entry.fields(), &mut KeyScratch::default(), |kind, key| {
            tables[kind.slot()].insert_sorted(key, owner);
        });
    }

    /// Whether household `id` is indexed under exactly these names (head, then members), so a
    /// refresh that changed neither them nor its card or phone need not re-index it.
    pub fn has_names(&self, id: &str, head: &str, members: &[String]) -> bool {
        match self.ids.find(id) {
            Ok(owner) => self.names.same(
                owner as usize,
                std::iter::once(head).chain(members.iter().map(String::as_str)),
            ),
            Err(_) => false,
        }
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
        if !picker.is_full() {
            if let Some(names) = NameQuery::new(&q) {
                picker.take_names(&self.names, &names);
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

    /// Adds one household's keys and names (`name` is the head's). Ids must come in strictly
    /// increasing byte order (as a sorted store yields them); an id that does not sort after
    /// the previous one is skipped and `false` returned, as it is once the index is full.
    pub fn push(
        &mut self,
        id: &str,
        card_no: &str,
        name: &str,
        phone: &str,
        members: &[String],
    ) -> bool {
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
        self.index
            .names
            .push(std::iter::once(name).chain(members.iter().map(String::as_str)));
        true
    }

    /// Sorts the keys (one table at a time, to keep the scratch space small) and returns the
    /// index with no spare capacity.
    pub fn finish(self) -> LookupIndex {
        let mut index = self.index;
        index.ids.shrink_to_fit();
        index.names.shrink_to_fit();
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

    fn is_seen(&self, owner: u32) -> bool {
        let (word, bit) = (owner as usize / 64, 1u64 << (owner % 64));
        self.seen.get(word).is_none_or(|w| w & bit != 0)
    }

    /// Adds the households the name kinds match and the key tables did not, best first: every
    /// household whose head is spelled from its start (`Mixed`), then from within, then by a
    /// member, each in id order. Stops once `limit` households match from the start.
    fn take_names(&mut self, names: &NameStore, query: &NameQuery) {
        let need = self.limit.saturating_sub(self.out.len());
        if need == 0 {
            return;
        }
        let mut found: [Vec<u32>; 3] = Default::default();
        for at in 0..names.len() {
            let Ok(owner) = u32::try_from(at) else {
                break;
            };
            if self.is_seen(owner) {
                continue;
            }
            let tier = match names.best(at, query) {
                Some(MatchKind::Mixed) => 0,
                Some(MatchKind::Within) => 1,
                Some(MatchKind::Member) => 2,
                _ => continue,
            };
            if found[tier].len() < need {
                found[tier].push(owner);
            }
            if found[0].len() >= need {
                break;
            }
        }
        let kinds = [MatchKind::Mixed, MatchKind::Within, MatchKind::Member];
        for (owners, kind) in found.into_iter().zip(kinds) {
            for owner in owners {
                if self.out.len() >= self.limit {
                    return;
                }
                self.test_and_set(owner);
                self.out.push((owner, kind));
            }
        }
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
