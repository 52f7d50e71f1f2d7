//! The household index's storage: household ids in one sorted string, and one sorted table of
//! keys per match kind with the key bytes in an append-only arena. This is what makes a
//! keystroke cost a few binary searches over 100,000 households (see the cost paragraph of
//! [`super`]); it knows nothing of what the keys mean.

use std::cmp::Ordering;

/// The household ids in byte order, kept in one string.
#[derive(Clone, Debug, Default)]
pub(super) struct IdList {
    text: String,
    /// `(start, end)` of each id in `text`, sorted by id.
    spans: Vec<(u32, u32)>,
}

impl IdList {
    pub(super) fn len(&self) -> usize {
        self.spans.len()
    }

    pub(super) fn shrink_to_fit(&mut self) {
        self.spans.shrink_to_fit();
        self.text.shrink_to_fit();
    }

    /// The number of the last household (0 when there is none).
    pub(super) fn last_owner(&self) -> u32 {
        u32::try_from(self.spans.len().saturating_sub(1)).unwrap_or(u32::MAX)
    }

    /// The id of household `owner` (empty if there is none).
    pub(super) fn get(&self, owner: u32) -> &str {
        self.spans
            .get(owner as usize)
            .and_then(|&(start, end)| self.text.get(start as usize..end as usize))
            .unwrap_or_default()
    }

    /// The household number of `id`, or where it would be inserted.
    pub(super) fn find(&self, id: &str) -> Result<u32, usize> {
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
    pub(super) fn push(&mut self, id: &str) -> Option<u32> {
        let owner = u32::try_from(self.spans.len()).ok()?;
        let span = self.store(id)?;
        self.spans.push(span);
        Some(owner)
    }

    /// Inserts `id` at position `at` (from [`IdList::find`]); returns its number.
    pub(super) fn insert(&mut self, at: usize, id: &str) -> Option<u32> {
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
pub(super) struct KeyTable {
    /// The key bytes. Replaced keys leave dead bytes behind until the next compaction.
    pub(super) arena: String,
    /// Where each key starts in `arena`, in sorted order.
    starts: Vec<u32>,
    /// Each key's length in bytes (at most [`MAX_KEY_BYTES`]), parallel to `starts`.
    pub(super) lens: Vec<u8>,
    /// The household number of each key, parallel to `starts`.
    pub(super) owners: Vec<u32>,
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
    pub(super) fn push(&mut self, key: &str, owner: u32) {
        if let Some((start, len)) = self.store(key) {
            self.starts.push(start);
            self.lens.push(len);
            self.owners.push(owner);
        }
    }

    /// Sorts the keys after a run of [`KeyTable::push`], leaving no spare capacity.
    ///
    /// The scratch is 16 bytes a key (a [`SortKey`]) plus one reordered column at a time.
    pub(super) fn sort(&mut self) {
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
    pub(super) fn range(&self, q: &[u8]) -> (usize, usize, usize) {
        let n = self.starts.len();
        let start = self.partition(0, n, |key| key < q);
        let end = self.partition(start, n, |key| key.starts_with(q));
        let exact_end = self.partition(start, end, |key| key == q);
        (start, exact_end, end)
    }

    /// Inserts one key at its sorted place.
    pub(super) fn insert_sorted(&mut self, key: &str, owner: u32) {
        let (start, exact_end, _) = self.range(key.as_bytes());
        let at = start + self.owners[start..exact_end].partition_point(|&o| o < owner);
        if let Some((key_start, len)) = self.store(key) {
            self.starts.insert(at, key_start);
            self.lens.insert(at, len);
            self.owners.insert(at, owner);
        }
    }

    /// Drops every key of household `owner`, compacting the arena when it is mostly dead.
    pub(super) fn remove_owner(&mut self, owner: u32) {
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
    pub(super) fn shift_owners_from(&mut self, from: u32) {
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
