//! [`ScanIndex`]: the lookup's matcher over a list small enough to scan on every keystroke (a
//! station's catalog of a few thousand items). Its keys come from the same normaliser and key
//! rules as the household index, its names are matched by the same name matcher, and a match
//! ranks the same way, so `xyf`, `ＸＹＦ`, `xi yi`, `dami` or `米` find the same goods as they
//! would find a household (see [`super`]).

use super::names::{NameQuery, NameStore};
use super::{entry_keys, normalize, KeyScratch, LookupEntry, MatchKind, MIN_PHONE_TAIL_DIGITS};

/// Where an entry ranks for one query: its kind, then (for the key kinds) exact before prefix.
/// Derived order is best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Rank {
    kind: MatchKind,
    /// False when a key equals the query; true for a prefix, and for the name kinds.
    prefix_only: bool,
}

/// Every entry's keys and names, by position in the caller's list.
#[derive(Clone, Debug, Default)]
pub struct ScanIndex {
    entries: Vec<Vec<(MatchKind, String)>>,
    names: NameStore,
}

/// A query as every key is compared with it: normalised, and reversed for phone tails.
struct Query {
    text: String,
    phone_tail: Option<String>,
    names: Option<NameQuery>,
}

impl Query {
    fn new(query: &str) -> Option<Query> {
        let text = normalize(query);
        if text.is_empty() {
            return None;
        }
        let phone_tail = (text.len() >= MIN_PHONE_TAIL_DIGITS
            && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.chars().rev().collect());
        Some(Query {
            names: NameQuery::new(&text),
            text,
            phone_tail,
        })
    }

    /// The best rank of the entry at `position` with `keys`, or `None` when nothing matches.
    fn rank(
        &self,
        keys: &[(MatchKind, String)],
        names: &NameStore,
        position: usize,
    ) -> Option<Rank> {
        let mut best: Option<Rank> = None;
        for (kind, key) in keys {
            let wanted = match kind {
                MatchKind::Phone => match &self.phone_tail {
                    Some(tail) => tail.as_str(),
                    None => continue,
                },
                _ => self.text.as_str(),
            };
            if !key.starts_with(wanted) {
                continue;
            }
            let rank = Rank {
                kind: *kind,
                prefix_only: key != wanted,
            };
            if best.is_none_or(|b| rank < b) {
                best = Some(rank);
            }
        }
        if best.is_some() {
            return best;
        }
        let kind = names.best(position, self.names.as_ref()?)?;
        Some(Rank {
            kind,
            prefix_only: true,
        })
    }
}

fn keys_of(entry: &LookupEntry, scratch: &mut KeyScratch) -> Vec<(MatchKind, String)> {
    let mut keys = Vec::new();
    entry_keys(entry.fields(), scratch, |kind, key| {
        keys.push((kind, key.to_string()))
    });
    keys
}

impl ScanIndex {
    /// The keys of `entries`, positions in the order given.
    pub fn build(entries: impl IntoIterator<Item = LookupEntry>) -> ScanIndex {
        let mut scratch = KeyScratch::default();
        let mut index = ScanIndex::default();
        for entry in entries {
            index.entries.push(keys_of(&entry, &mut scratch));
            index.names.push(entry.names());
        }
        index
    }

    /// Replaces the keys at `position`, or appends them when `position` is the length.
    pub fn set(&mut self, position: usize, entry: &LookupEntry) {
        let keys = keys_of(entry, &mut KeyScratch::default());
        match self.entries.get_mut(position) {
            Some(slot) => {
                *slot = keys;
                self.names.replace(position, entry.names());
            }
            None => {
                self.entries.push(keys);
                self.names.push(entry.names());
            }
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Positions of the entries matching `query`, best first (see the ranking in [`super`]);
    /// a query that is empty after normalisation matches nothing.
    pub fn search(&self, query: &str) -> Vec<usize> {
        let Some(query) = Query::new(query) else {
            return Vec::new();
        };
        let mut ranked: Vec<(Rank, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(position, keys)| {
                query
                    .rank(keys, &self.names, position)
                    .map(|rank| (rank, position))
            })
            .collect();
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, position)| position).collect()
    }

    /// Every match with its kind, best first: what the household index answers for the same
    /// entries (the test that there is one matcher compares the two).
    #[cfg(test)]
    pub(super) fn matches(&self, query: &str) -> Vec<(usize, MatchKind)> {
        let Some(query) = Query::new(query) else {
            return Vec::new();
        };
        let mut ranked: Vec<(Rank, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(position, keys)| {
                query
                    .rank(keys, &self.names, position)
                    .map(|rank| (rank, position))
            })
            .collect();
        ranked.sort_unstable();
        ranked
            .into_iter()
            .map(|(rank, position)| (position, rank.kind))
            .collect()
    }
}
