//! Household lookup for the till: the narrowing list the village manager sees while typing.
//!
//! This module owns the in-memory search index over households and the rules for what a
//! keystroke query matches. It knows nothing of the store or the domain: the caller feeds it
//! [`LookupEntry`] values (or borrowed fields, through a [`LookupBuilder`]) and maps the
//! returned ids back to its own records.
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
//! then households are ordered by id (byte order).
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
//! use `build` for bulk loads.

use pinyin::ToPinyinMulti;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

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

/// The pinyin keys of a name: (full pinyin variants, initials variants), lowercase, no tones.
///
/// The first variant of each list uses every character's first reading; the lists hold no
/// duplicates and are empty for a name with no searchable characters. `ü` is written `v`.
pub fn pinyin_keys(name: &str) -> (Vec<String>, Vec<String>) {
    let mut scratch = KeyScratch::default();
    scratch.pinyin(name);
    let mut fulls: Vec<String> = Vec::with_capacity(scratch.live);
    let mut initials: Vec<String> = Vec::with_capacity(scratch.live);
    scratch.for_each_full(|key| fulls.push(key.to_string()));
    scratch.for_each_initials(|key| initials.push(key.to_string()));
    (fulls, initials)
}

/// Reusable buffers for computing keys, so building an index does not allocate per entry.
#[derive(Default)]
struct KeyScratch {
    /// A normalised field.
    text: String,
    /// A phone number's digits, reversed.
    phone: String,
    /// Full pinyin of each reading combination; only the first `live` are current.
    fulls: Vec<String>,
    /// Initials of each reading combination, parallel to `fulls`.
    initials: Vec<String>,
    /// How many combinations are current.
    live: usize,
    /// The distinct toneless readings of one character.
    readings: Vec<&'static str>,
    /// One normalised character without pinyin.
    passthrough: String,
}

impl KeyScratch {
    /// Computes the reading combinations of `name` into `fulls[..live]` and `initials[..live]`
    /// (possibly with duplicates or empty strings; see the `for_each_*` methods).
    fn pinyin(&mut self, name: &str) {
        if self.fulls.is_empty() {
            self.fulls.push(String::new());
            self.initials.push(String::new());
        }
        self.fulls[0].clear();
        self.initials[0].clear();
        self.live = 1;
        for c in name.chars() {
            if c.is_whitespace() {
                continue;
            }
            self.readings.clear();
            if !c.is_ascii() {
                if let Some(multi) = c.to_pinyin_multi() {
                    for reading in multi {
                        let plain = reading.plain();
                        if !plain.is_empty() && !self.readings.contains(&plain) {
                            self.readings.push(plain);
                        }
                    }
                }
            }
            let live = self.live;
            match self.readings.as_slice() {
                [] => {
                    self.passthrough.clear();
                    push_normalized(&mut self.passthrough, c);
                    for (full, initials) in self.fulls.iter_mut().zip(&mut self.initials).take(live)
                    {
                        full.push_str(&self.passthrough);
                        initials.push_str(&self.passthrough);
                    }
                }
                &[first, ..]
                    if self.readings.len() == 1
                        || live * self.readings.len() > MAX_READING_COMBINATIONS =>
                {
                    for (full, initials) in self.fulls.iter_mut().zip(&mut self.initials).take(live)
                    {
                        push_reading(full, initials, first);
                    }
                }
                readings => {
                    let total = live * readings.len();
                    while self.fulls.len() < total {
                        self.fulls.push(String::new());
                        self.initials.push(String::new());
                    }
                    // Combination `r * live + i` is combination `i` followed by reading `r`.
                    for (r, reading) in readings.iter().enumerate().rev() {
                        for i in 0..live {
                            let slot = r * live + i;
                            if slot != i {
                                let (base, rest) = self.fulls.split_at_mut(slot);
                                rest[0].clear();
                                rest[0].push_str(&base[i]);
                                let (base, rest) = self.initials.split_at_mut(slot);
                                rest[0].clear();
                                rest[0].push_str(&base[i]);
                            }
                            push_reading(&mut self.fulls[slot], &mut self.initials[slot], reading);
                        }
                    }
                    self.live = total;
                }
            }
        }
    }

    /// Each distinct non-empty full pinyin key of the last [`KeyScratch::pinyin`] call.
    fn for_each_full(&self, sink: impl FnMut(&str)) {
        distinct_keys(&self.fulls[..self.live.min(self.fulls.len())], sink);
    }

    /// Each distinct non-empty initials key of the last [`KeyScratch::pinyin`] call.
    fn for_each_initials(&self, sink: impl FnMut(&str)) {
        distinct_keys(&self.initials[..self.live.min(self.initials.len())], sink);
    }
}

/// Feeds each distinct non-empty key of `keys` (cut to [`MAX_KEY_BYTES`]) to `sink`, in order.
fn distinct_keys(keys: &[String], mut sink: impl FnMut(&str)) {
    for (i, key) in keys.iter().enumerate() {
        let key = cut(key);
        if !key.is_empty() && !keys[..i].iter().any(|earlier| cut(earlier) == key) {
            sink(key);
        }
    }
}

/// Appends one toneless reading to the full key and its first letter to the initials key.
fn push_reading(full: &mut String, initials: &mut String, reading: &str) {
    let mut first = true;
    for c in reading.chars() {
        let c = match c {
            'ü' => 'v',
            'ê' => 'e',
            other => other.to_ascii_lowercase(),
        };
        full.push(c);
        if first {
            initials.push(c);
            first = false;
        }
    }
}

/// Appends `c` the way every key and query is normalised (see the module docs).
fn push_normalized(out: &mut String, c: char) {
    match c {
        _ if c.is_whitespace() => {}
        _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // CJK ideographs have no case: the common path for names.
        '\u{3400}'..='\u{9FFF}' => out.push(c),
        // Full-width ASCII (U+FF01..=U+FF5E) to ASCII.
        '\u{FF01}'..='\u{FF5E}' => {
            let ascii = char::from_u32(c as u32 - 0xFEE0).unwrap_or(c);
            out.push(ascii.to_ascii_lowercase());
        }
        _ => {
            for lower in c.to_lowercase() {
                out.push(if lower == 'ü' { 'v' } else { lower });
            }
        }
    }
}

/// Normalises `s` into `out` (cleared first), cut to [`MAX_KEY_BYTES`].
fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    for c in s.chars() {
        push_normalized(out, c);
    }
    let len = cut(out).len();
    out.truncate(len);
}

/// Normalises a query or a field for use as a key.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// `s` cut to at most [`MAX_KEY_BYTES`] at a character boundary.
fn cut(s: &str) -> &str {
    let mut end = s.len().min(MAX_KEY_BYTES);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Feeds every key of `entry` to `sink`, without duplicates within a kind.
fn entry_keys(entry: Fields<'_>, scratch: &mut KeyScratch, mut sink: impl FnMut(MatchKind, &str)) {
    normalize_into(entry.card_no, &mut scratch.text);
    code_keys(&scratch.text, |key| sink(MatchKind::Card, key));
    normalize_into(entry.id, &mut scratch.text);
    code_keys(&scratch.text, |key| sink(MatchKind::HouseholdId, key));
    normalize_into(entry.name, &mut scratch.text);
    if !scratch.text.is_empty() {
        sink(MatchKind::Name, &scratch.text);
    }
    scratch.pinyin(entry.name);
    scratch.for_each_initials(|key| sink(MatchKind::Initials, key));
    scratch.for_each_full(|key| sink(MatchKind::FullPinyin, key));
    normalize_into(entry.phone, &mut scratch.text);
    scratch.phone.clear();
    scratch
        .phone
        .extend(scratch.text.chars().rev().filter(char::is_ascii_digit));
    if scratch.phone.len() >= MIN_PHONE_TAIL_DIGITS {
        sink(MatchKind::Phone, &scratch.phone);
    }
}

/// The keys of a normalised card number or household id: whole, after leading non-digits,
/// and without leading zeros (`lj0001234`, `0001234`, `1234`).
fn code_keys(whole: &str, mut sink: impl FnMut(&str)) {
    if whole.is_empty() {
        return;
    }
    sink(whole);
    let numeric = whole.trim_start_matches(|c: char| !c.is_ascii_digit());
    if !numeric.is_empty() && numeric.len() != whole.len() {
        sink(numeric);
    }
    let significant = numeric.trim_start_matches('0');
    if !significant.is_empty() && significant.len() != numeric.len() {
        sink(significant);
    }
}

/// The household ids in byte order, kept in one string.
#[derive(Clone, Debug, Default)]
struct IdList {
    text: String,
    /// `(start, end)` of each id in `text`, sorted by id.
    spans: Vec<(u32, u32)>,
}

impl IdList {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn shrink_to_fit(&mut self) {
        self.spans.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// The number of the last household (0 when there is none).
    fn last_owner(&self) -> u32 {
        u32::try_from(self.spans.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The id of household `owner` (empty if there is none).
    fn get(&self, owner: u32) -> &str {
        self.spans
            .get(owner as usize)
            .and_then(|&(start, end)| self.text.get(start as usize..end as usize))
            .unwrap_or_default()
    }

    /// The household number of `id`, or where it would be inserted.
    fn find(&self, id: &str) -> Result<u32, usize> {
        let at = self.spans.partition_point(|&(start, end)| {
            self.text.get(start as usize..end as usize) < Some(id)
        });
        if at < self.spans.len() && self.get(at as u32) == id {
            u32::try_from(at).map_err(|_| at)
        } else {
            Err(at)
        }
    }

    /// Stores `id`; `None` when the list is full.
    fn store(&mut self, id: &str) -> Option<(u32, u32)> {
        u32::try_from(self.spans.len()).ok()?;
        let start = u32::try_from(self.text.len()).ok()?;
        let end = u32::try_from(self.text.len() + id.len()).ok()?;
        self.text.push_str(id);
        Some((start, end))
    }

    /// Appends `id`, which must sort after every id present; returns its number.
    fn push(&mut self, id: &str) -> Option<u32> {
        let owner = u32::try_from(self.spans.len()).ok()?;
        let span = self.store(id)?;
        self.spans.push(span);
        Some(owner)
    }

    /// Inserts `id` at position `at` (from [`IdList::find`]); returns its number.
    fn insert(&mut self, at: usize, id: &str) -> Option<u32> {
        let owner = u32::try_from(at).ok()?;
        let span = self.store(id)?;
        self.spans.insert(at, span);
        Some(owner)
    }
}

/// One kind's keys: sorted by (key bytes, owner), the bytes kept in one append-only arena.
///
/// A key that equals the arena's tail (as a card's numeric part does right after the whole
/// card) shares those bytes instead of being stored again.
#[derive(Clone, Debug, Default)]
struct KeyTable {
    /// The key bytes. Replaced keys leave dead bytes behind until the next compaction.
    arena: String,
    /// Where each key starts in `arena`, in sorted order.
    starts: Vec<u32>,
    /// Each key's length in bytes (at most [`MAX_KEY_BYTES`]), parallel to `starts`.
    lens: Vec<u8>,
    /// The household number of each key, parallel to `starts`.
    owners: Vec<u32>,
    /// Roughly how many arena bytes no key uses any more (shared bytes may count twice).
    dead_bytes: usize,
}

impl KeyTable {
    /// The bytes of key `i` (empty if there is none).
    fn key(&self, i: usize) -> &[u8] {
        match (self.starts.get(i), self.lens.get(i)) {
            (Some(&start), Some(&len)) => {
                let start = start as usize;
                self.arena
                    .as_bytes()
                    .get(start..start + usize::from(len))
                    .unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// Stores `key` in the arena, reusing the arena's tail when it already ends with `key`;
    /// `None` if the key is too long or the arena would outgrow `u32` offsets.
    fn store(&mut self, key: &str) -> Option<(u32, u8)> {
        let len = u8::try_from(key.len()).ok()?;
        if !self.arena.ends_with(key) {
            u32::try_from(self.arena.len() + key.len()).ok()?;
            self.arena.push_str(key);
        }
        let start = u32::try_from(self.arena.len() - key.len()).ok()?;
        Some((start, len))
    }

    /// Appends a key without keeping the order; call [`KeyTable::sort`] afterwards.
    fn push(&mut self, key: &str, owner: u32) {
        if let Some((start, len)) = self.store(key) {
            self.starts.push(start);
            self.lens.push(len);
            self.owners.push(owner);
        }
    }

    /// Sorts the keys after a run of [`KeyTable::push`], leaving no spare capacity.
    ///
    /// The scratch is 16 bytes a key (a [`SortKey`]) plus one reordered column at a time.
    fn sort(&mut self) {
        // Most keys fit in PREFIX_BYTES, so most comparisons never touch the arena.
        let mut order: Vec<SortKey> = Vec::with_capacity(self.starts.len());
        order.extend((0..self.starts.len()).filter_map(|i| {
            let key = self.key(i);
            Some(SortKey {
                prefix: prefix_u64(key),
                // Equal zero-padded prefixes of short keys differ only in trailing NULs.
                len: u8::try_from(key.len()).map_or(LONG_KEY, |len| len.min(LONG_KEY)),
                position: u32::try_from(i).ok()?,
            })
        }));
        let owner = |k: &SortKey| self.owners.get(k.position as usize).copied();
        order.sort_unstable_by(|a, b| {
            (a.prefix, a.len)
                .cmp(&(b.prefix, b.len))
                .then_with(|| {
                    if a.len >= LONG_KEY {
                        self.key(a.position as usize)
                            .cmp(self.key(b.position as usize))
                    } else {
                        Ordering::Equal
                    }
                })
                .then_with(|| owner(a).cmp(&owner(b)))
        });
        self.starts = permuted(&self.starts, &order);
        self.lens = permuted(&self.lens, &order);
        self.owners = permuted(&self.owners, &order);
        self.arena.shrink_to_fit();
    }

    /// Copies the live keys into a fresh arena, longest first per end offset so that keys
    /// sharing bytes keep sharing them.
    fn compact(&mut self) {
        let mut by_end: Vec<usize> = (0..self.starts.len()).collect();
        by_end.sort_unstable_by_key(|&i| {
            let len = self.lens[i];
            (self.starts[i] + u32::from(len), std::cmp::Reverse(len))
        });
        let mut fresh = KeyTable {
            arena: String::with_capacity(self.arena.len().saturating_sub(self.dead_bytes)),
            ..KeyTable::default()
        };
        let mut starts = self.starts.clone();
        for i in by_end {
            let key = std::str::from_utf8(self.key(i)).unwrap_or_default();
            if let Some((start, _)) = fresh.store(key) {
                starts[i] = start;
            }
        }
        self.arena = fresh.arena;
        self.starts = starts;
        self.dead_bytes = 0;
    }

    /// The first position in `lo..hi` where `pred` stops holding (it must hold, then not).
    fn partition(&self, mut lo: usize, mut hi: usize, pred: impl Fn(&[u8]) -> bool) -> usize {
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if pred(self.key(mid)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// `(start, exact_end, end)`: keys in `start..end` start with `q`, those in
    /// `start..exact_end` equal it.
    fn range(&self, q: &[u8]) -> (usize, usize, usize) {
        let n = self.starts.len();
        let start = self.partition(0, n, |key| key < q);
        let end = self.partition(start, n, |key| key.starts_with(q));
        let exact_end = self.partition(start, end, |key| key == q);
        (start, exact_end, end)
    }

    /// Inserts one key at its sorted place.
    fn insert_sorted(&mut self, key: &str, owner: u32) {
        let (start, exact_end, _) = self.range(key.as_bytes());
        let at = start + self.owners[start..exact_end].partition_point(|&o| o < owner);
        if let Some((key_start, len)) = self.store(key) {
            self.starts.insert(at, key_start);
            self.lens.insert(at, len);
            self.owners.insert(at, owner);
        }
    }

    /// Drops every key of household `owner`, compacting the arena when it is mostly dead.
    fn remove_owner(&mut self, owner: u32) {
        // A household has only a few keys: find them with a tight scan, then close the gaps.
        let mut from = 0;
        while let Some(found) = self
            .owners
            .get(from..)
            .and_then(|rest| rest.iter().position(|&o| o == owner))
        {
            let at = from + found;
            self.dead_bytes += usize::from(self.lens.remove(at));
            self.starts.remove(at);
            self.owners.remove(at);
            from = at;
        }
        if self.dead_bytes > 4096 && self.dead_bytes * 2 > self.arena.len() {
            self.compact();
        }
    }

    /// Renumbers households `from..` one up, making room for a new household at `from`.
    fn shift_owners_from(&mut self, from: u32) {
        for owner in &mut self.owners {
            if *owner >= from {
                *owner += 1;
            }
        }
    }
}

/// `items` reordered so that position `k` holds `items[order[k].position]`, with no spare
/// capacity.
fn permuted<T: Copy>(items: &[T], order: &[SortKey]) -> Vec<T> {
    let mut out = Vec::with_capacity(order.len());
    out.extend(
        order
            .iter()
            .filter_map(|k| items.get(k.position as usize).copied()),
    );
    out
}

/// How many leading key bytes [`prefix_u64`] packs.
const PREFIX_BYTES: usize = 8;

/// [`SortKey::len`] of every key longer than [`PREFIX_BYTES`].
const LONG_KEY: u8 = PREFIX_BYTES as u8 + 1;

/// What [`KeyTable::sort`] orders by; only keys longer than [`PREFIX_BYTES`] (and equal
/// keys, for their owners) need more than this.
struct SortKey {
    prefix: u64,
    position: u32,
    len: u8,
}

/// The first [`PREFIX_BYTES`] bytes of `key`, big-endian, zero padded: orders like the key
/// itself whenever two prefixes differ.
fn prefix_u64(key: &[u8]) -> u64 {
    let mut buf = [0u8; PREFIX_BYTES];
    let n = key.len().min(PREFIX_BYTES);
    buf[..n].copy_from_slice(&key[..n]);
    u64::from_be_bytes(buf)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn entry(id: &str, card_no: &str, name: &str, phone: &str) -> LookupEntry {
        LookupEntry {
            id: id.to_string(),
            card_no: card_no.to_string(),
            name: name.to_string(),
            phone: phone.to_string(),
        }
    }

    fn ids(results: &[(String, MatchKind)]) -> Vec<&str> {
        results.iter().map(|(id, _)| id.as_str()).collect()
    }

    fn kind_of(index: &LookupIndex, query: &str, id: &str) -> Option<MatchKind> {
        index
            .search(query, 1000)
            .into_iter()
            .find(|(found, _)| found == id)
            .map(|(_, kind)| kind)
    }

    fn village() -> LookupIndex {
        LookupIndex::build([
            entry("H0001", "LJ0001234", "张三", "13812345678"),
            entry("H0002", "LJ0001235", "单田芳", "13900001111"),
            entry("H0003", "LJ0002000", "曾国藩", ""),
            entry("H0004", "LJ0002001", "解缙", ""),
            entry("H0005", "LJ0002002", "仇英", ""),
            entry("H0006", "LJ0002003", "朴槿惠", ""),
            entry("H0007", "LJ0002004", "张三丰", "021-5555 0000"),
            entry("H0008", "LJ0002005", "阿依古丽·买买提", ""),
            entry("H0009", "LJ0002006", "吕布", ""),
        ])
    }

    #[test]
    fn pinyin_keys_of_zhang_san() {
        let (full, initials) = pinyin_keys("张三");
        assert_eq!(full, vec!["zhangsan"]);
        assert_eq!(initials, vec!["zs"]);
    }

    #[test]
    fn pinyin_keys_cover_every_reading() {
        let (full, initials) = pinyin_keys("单田芳");
        for want in ["dantianfang", "shantianfang", "chantianfang"] {
            assert!(full.contains(&want.to_string()), "{full:?} lacks {want}");
        }
        for want in ["dtf", "stf", "ctf"] {
            assert!(
                initials.contains(&want.to_string()),
                "{initials:?} lacks {want}"
            );
        }
        let (full, _) = pinyin_keys("曾");
        assert!(full.contains(&"zeng".to_string()) && full.contains(&"ceng".to_string()));
    }

    #[test]
    fn pinyin_keys_pass_other_characters_through() {
        let (full, initials) = pinyin_keys("阿依古丽·Maimaiti");
        assert_eq!(full[0], "ayiguli·maimaiti");
        assert_eq!(initials[0], "aygl·maimaiti");
        assert_eq!(pinyin_keys("吕").0, vec!["lv"]);
        assert_eq!(pinyin_keys(""), (vec![], vec![]));
        assert_eq!(pinyin_keys("  "), (vec![], vec![]));
    }

    #[test]
    fn pinyin_combinations_are_bounded() {
        // 方 has six readings, 朴 three, 平 four: the product would be far above the bound.
        let (full, initials) = pinyin_keys("方朴平方朴平");
        assert!(full.len() <= MAX_READING_COMBINATIONS);
        assert!(initials.len() <= MAX_READING_COMBINATIONS);
        assert_eq!(full[0], "fangpupingfangpuping");
    }

    #[test]
    fn initials_and_full_pinyin_find_zhang_san() {
        let index = village();
        for (query, kind) in [
            ("z", MatchKind::Initials),
            ("zs", MatchKind::Initials),
            ("ZS", MatchKind::Initials),
            ("zhang", MatchKind::FullPinyin),
            ("zhangs", MatchKind::FullPinyin),
            ("zhang san", MatchKind::FullPinyin),
            ("zhangsan", MatchKind::FullPinyin),
            ("张", MatchKind::Name),
            ("张三", MatchKind::Name),
        ] {
            assert_eq!(kind_of(&index, query, "H0001"), Some(kind), "query {query}");
        }
        assert_eq!(kind_of(&index, "zhangsi", "H0001"), None);
        assert_eq!(kind_of(&index, "zx", "H0001"), None);
    }

    #[test]
    fn polyphonic_names_match_under_every_reading() {
        let index = village();
        for query in ["sh", "shan", "dan", "stf", "dtf", "shantianfang"] {
            assert!(
                kind_of(&index, query, "H0002").is_some(),
                "单田芳 by {query}"
            );
        }
        for query in ["zeng", "ceng", "zgf", "cgf"] {
            assert!(
                kind_of(&index, query, "H0003").is_some(),
                "曾国藩 by {query}"
            );
        }
        for query in ["jie", "xie"] {
            assert!(kind_of(&index, query, "H0004").is_some(), "解缙 by {query}");
        }
        for query in ["chou", "qiu"] {
            assert!(kind_of(&index, query, "H0005").is_some(), "仇英 by {query}");
        }
        for query in ["pu", "piao", "pjh"] {
            assert!(
                kind_of(&index, query, "H0006").is_some(),
                "朴槿惠 by {query}"
            );
        }
        assert!(kind_of(&index, "lv", "H0009").is_some());
        assert!(kind_of(&index, "lü", "H0009").is_some());
    }

    #[test]
    fn non_chinese_name_parts_are_searchable() {
        let index = village();
        assert_eq!(
            kind_of(&index, "ayiguli·mai", "H0008"),
            Some(MatchKind::FullPinyin)
        );
        assert_eq!(kind_of(&index, "aygl·", "H0008"), Some(MatchKind::Initials));
    }

    #[test]
    fn card_and_id_prefixes() {
        let index = village();
        assert_eq!(kind_of(&index, "lj000123", "H0001"), Some(MatchKind::Card));
        assert_eq!(kind_of(&index, "LJ0001234", "H0001"), Some(MatchKind::Card));
        assert_eq!(
            kind_of(&index, "ｌｊ０００１２３４", "H0001"),
            Some(MatchKind::Card)
        );
        // The numeric part, with and without leading zeros.
        assert_eq!(kind_of(&index, "0001234", "H0001"), Some(MatchKind::Card));
        assert_eq!(kind_of(&index, "123", "H0001"), Some(MatchKind::Card));
        // Middle-of-code substrings are not matched (documented).
        assert_eq!(kind_of(&index, "234", "H0001"), None);
        assert_eq!(
            kind_of(&index, "h000", "H0001"),
            Some(MatchKind::HouseholdId)
        );
        assert_eq!(
            kind_of(&index, "H0001", "H0001"),
            Some(MatchKind::HouseholdId)
        );
        assert_eq!(kind_of(&index, "9", "H0009"), Some(MatchKind::HouseholdId));
        // An exact card match is ranked first.
        let results = index.search("LJ0001234", 10);
        assert_eq!(results[0], ("H0001".to_string(), MatchKind::Card));
        assert_eq!(results.len(), 1);
    }

    #[test]
    fn phone_tail() {
        let index = village();
        assert_eq!(
            index.search("5678", 10),
            vec![("H0001".to_string(), MatchKind::Phone)]
        );
        assert_eq!(
            kind_of(&index, "13812345678", "H0001"),
            Some(MatchKind::Phone)
        );
        assert_eq!(kind_of(&index, "55550000", "H0007"), Some(MatchKind::Phone));
        assert_eq!(
            kind_of(&index, "5555 0000", "H0007"),
            Some(MatchKind::Phone)
        );
        // Fewer than four digits never match a phone.
        assert_eq!(kind_of(&index, "678", "H0001"), None);
        // The head of the number is not a tail.
        assert_eq!(kind_of(&index, "1381", "H0001"), None);
    }

    #[test]
    fn ranking_by_kind_then_exact_then_id() {
        let index = LookupIndex::build([
            entry("H9", "", "张三丰", ""),
            entry("H8", "", "张三", ""),
            entry("H7", "", "张三", ""),
            entry("H1", "", "张思", ""),
            entry("H2", "", "赵四", ""),
            entry("H3", "ZS001", "", ""),
            entry("H4", "", "", ""),
        ]);
        let results = index.search("zs", 10);
        assert_eq!(
            results,
            vec![
                ("H3".to_string(), MatchKind::Card),
                ("H1".to_string(), MatchKind::Initials),
                ("H2".to_string(), MatchKind::Initials),
                ("H7".to_string(), MatchKind::Initials),
                ("H8".to_string(), MatchKind::Initials),
                ("H9".to_string(), MatchKind::Initials),
            ]
        );
        // Exact name matches before prefix matches, then by id.
        assert_eq!(ids(&index.search("张三", 10)), vec!["H7", "H8", "H9"]);
        // Exact full pinyin before prefix, within the same kind.
        assert_eq!(ids(&index.search("zhangsan", 10)), vec!["H7", "H8", "H9"]);
        assert_eq!(ids(&index.search("zhangsan", 1)), vec!["H7"]);
    }

    #[test]
    fn each_household_appears_once_under_its_best_kind() {
        // Card, name initials and full pinyin all match "z"; 张朝 has two readings.
        let index =
            LookupIndex::build([entry("H1", "Z1", "张朝", ""), entry("H2", "", "张朝", "")]);
        assert_eq!(
            index.search("z", 10),
            vec![
                ("H1".to_string(), MatchKind::Card),
                ("H2".to_string(), MatchKind::Initials),
            ]
        );
        assert_eq!(
            index.search("zhang", 10),
            vec![
                ("H1".to_string(), MatchKind::FullPinyin),
                ("H2".to_string(), MatchKind::FullPinyin),
            ]
        );
    }

    #[test]
    fn insert_replaces_and_renumbers() {
        let mut index = village();
        let before = index.len();
        index.insert(entry("H0001", "LJ0009999", "李四", "13700000000"));
        assert_eq!(index.len(), before);
        assert_eq!(kind_of(&index, "zhangsan", "H0001"), None);
        assert_eq!(kind_of(&index, "LJ0001234", "H0001"), None);
        assert_eq!(kind_of(&index, "ls", "H0001"), Some(MatchKind::Initials));
        assert_eq!(kind_of(&index, "9999", "H0001"), Some(MatchKind::Card));
        assert_eq!(kind_of(&index, "0000", "H0001"), Some(MatchKind::Phone));

        // A new id sorting before everything shifts the others; results must stay right.
        index.insert(entry("H0000", "LJ0000001", "张三", ""));
        assert_eq!(index.len(), before + 1);
        assert_eq!(ids(&index.search("zhangsan", 10)), vec!["H0000", "H0007"]);
        assert_eq!(
            kind_of(&index, "shan", "H0002"),
            Some(MatchKind::FullPinyin)
        );
        assert_eq!(kind_of(&index, "ls", "H0001"), Some(MatchKind::Initials));
    }

    #[test]
    fn build_keeps_the_last_of_repeated_ids() {
        let index = LookupIndex::build([entry("H1", "", "张三", ""), entry("H1", "", "李四", "")]);
        assert_eq!(index.len(), 1);
        assert!(index.search("zs", 10).is_empty());
        assert_eq!(ids(&index.search("ls", 10)), vec!["H1"]);
    }

    #[test]
    fn empty_queries_and_limits() {
        let index = village();
        assert!(index.search("", 10).is_empty());
        assert!(index.search("   ", 10).is_empty());
        assert!(index.search("z", 0).is_empty());
        assert_eq!(index.search("lj", 3).len(), 3);
        assert_eq!(index.search("lj", usize::MAX).len(), index.len());
        assert!(LookupIndex::new().search("z", 10).is_empty());
        assert!(LookupIndex::default().is_empty());
        assert!(!index.is_empty());
    }

    /// A deterministic synthetic village of `n` households with common surnames.
    fn synthetic(n: usize) -> Vec<LookupEntry> {
        const SURNAMES: &[char] = &[
            '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱',
            '胡', '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯',
            '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡', '余', '杜',
            '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '单', '解', '仇', '朴',
        ];
        const GIVEN: &[char] = &[
            '伟', '芳', '娜', '秀', '英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳',
            '杰', '娟', '涛', '明', '超', '兰', '霞', '平', '刚', '桂', '华', '国', '建', '文',
            '红', '春', '海', '云', '峰', '长', '乐', '重', '和', '朝',
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |m: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % m as u64) as usize
        };
        (0..n)
            .map(|i| {
                let mut name = String::new();
                name.push(SURNAMES[next(SURNAMES.len())]);
                for _ in 0..1 + next(2) {
                    name.push(GIVEN[next(GIVEN.len())]);
                }
                LookupEntry {
                    id: format!("H{i:06}"),
                    card_no: format!("LJ{:07}", i * 7 % 10_000_000),
                    name,
                    phone: format!("13{:09}", (i as u64 * 7_919) % 1_000_000_000),
                }
            })
            .collect()
    }

    #[test]
    fn hundred_thousand_households_build_and_search() {
        let entries = synthetic(100_000);
        let probe = entries[4242].clone();
        let index = LookupIndex::build(entries);
        assert_eq!(index.len(), 100_000);
        for query in [
            "z", "zh", "zhang", "l", "lj", "wang", "张", "h0", "138", "1",
        ] {
            let results = index.search(query, 50);
            assert_eq!(results.len(), 50, "query {query}");
            let mut sorted = results.clone();
            sorted.sort_by_key(|hit| hit.1);
            assert_eq!(results, sorted, "kinds out of order for {query}");
        }
        let results = index.search(&probe.card_no, 50);
        assert_eq!(results[0], (probe.id.clone(), MatchKind::Card));
        let results = index.search(&probe.id, 50);
        assert_eq!(results[0], (probe.id.clone(), MatchKind::HouseholdId));
        assert!(kind_of(&index, &probe.phone, &probe.id).is_some());
        let (full, initials) = pinyin_keys(&probe.name);
        assert!(index
            .search(&full[0], 100_000)
            .iter()
            .any(|(id, _)| *id == probe.id));
        assert!(index
            .search(&initials[0], 100_000)
            .iter()
            .any(|(id, _)| *id == probe.id));
    }

    #[test]
    fn heavy_replacement_reclaims_space_and_stays_correct() {
        let mut all = synthetic(300);
        let mut index = LookupIndex::build(all.clone());
        let names = ["张三", "单田芳", "曾国藩", "李四", "阿依古丽·买买提"];
        for round in 0..3000 {
            let replaced = LookupEntry {
                id: all[(round * 37) % 300].id.clone(),
                card_no: format!("LJ{round:07}"),
                name: format!("{}{}", names[round % names.len()], round % 7),
                phone: format!("139{round:08}"),
            };
            index.insert(replaced.clone());
            all.push(replaced);
        }
        assert_eq!(index.len(), 300);
        for query in [
            "z", "zs", "zhangsan", "shan", "ceng", "a", "lj0002", "2999", "h0", "李",
        ] {
            assert_eq!(
                index.search(query, 20),
                reference(&all, query, 20),
                "query {query}"
            );
        }
        for table in &index.tables {
            let live: usize = table.lens.iter().map(|&len| usize::from(len)).sum();
            assert!(table.arena.len() <= 2 * live + 4096 + MAX_KEY_BYTES);
        }
    }

    /// The obvious linear implementation of [`LookupIndex::search`], for comparison.
    fn reference(entries: &[LookupEntry], query: &str, limit: usize) -> Vec<(String, MatchKind)> {
        let q = normalize(query);
        if q.is_empty() {
            return Vec::new();
        }
        let phone_q: String = q.chars().rev().collect();
        let phone_ok = q.len() >= MIN_PHONE_TAIL_DIGITS && q.bytes().all(|b| b.is_ascii_digit());
        let mut latest: Vec<&LookupEntry> = Vec::new();
        for e in entries {
            latest.retain(|other| other.id != e.id);
            latest.push(e);
        }
        let mut hits: Vec<(MatchKind, bool, &str)> = Vec::new();
        for e in latest {
            let mut best: Option<(MatchKind, bool)> = None;
            entry_keys(e.fields(), &mut KeyScratch::default(), |kind, key| {
                let wanted = if kind == MatchKind::Phone {
                    if !phone_ok {
                        return;
                    }
                    phone_q.as_str()
                } else {
                    q.as_str()
                };
                if key.starts_with(wanted) {
                    let candidate = (kind, key != wanted);
                    if best.is_none_or(|b| candidate < b) {
                        best = Some(candidate);
                    }
                }
            });
            if let Some((kind, prefix_only)) = best {
                hits.push((kind, prefix_only, e.id.as_str()));
            }
        }
        hits.sort();
        hits.into_iter()
            .take(limit)
            .map(|(kind, _, id)| (id.to_string(), kind))
            .collect()
    }

    fn arb_entry() -> impl Strategy<Value = LookupEntry> {
        let name = proptest::collection::vec(
            proptest::sample::select(vec![
                "张", "三", "单", "曾", "解", "仇", "朴", "长", "朝", "李", "吕", "·", "a", "Z",
                " ",
            ]),
            0..4,
        )
        .prop_map(|parts| parts.concat());
        (0u8..12, "(LJ|lj|Z)?[0-3]{0,4}", name, "[0-3 -]{0,8}").prop_map(
            |(id, card_no, name, phone)| LookupEntry {
                id: format!("H{id}"),
                card_no,
                name,
                phone,
            },
        )
    }

    fn arb_query() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            proptest::sample::select(vec![
                "z", "h", "a", "n", "g", "s", "c", "d", "e", "j", "x", "i", "l", "v", "0", "1",
                "2", "3", "张", "单", "·", "H", " ", "lj", "zhang", "chang", "shan",
            ]),
            0..4,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn search_agrees_with_linear_reference(
            built in proptest::collection::vec(arb_entry(), 0..12),
            inserted in proptest::collection::vec(arb_entry(), 0..6),
            queries in proptest::collection::vec(arb_query(), 1..8),
            limit in 0usize..8,
        ) {
            let mut index = LookupIndex::build(built.clone());
            for e in &inserted {
                index.insert(e.clone());
            }
            let all: Vec<LookupEntry> = built.iter().chain(&inserted).cloned().collect();
            for q in &queries {
                prop_assert_eq!(index.search(q, limit), reference(&all, q, limit), "query {:?}", q);
            }
        }

        #[test]
        fn searching_never_panics(query in "\\PC{0,12}", limit in 0usize..100) {
            let index = village();
            let results = index.search(&query, limit);
            prop_assert!(results.len() <= limit);
        }
    }
}
