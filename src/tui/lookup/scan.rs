//! [`ScanIndex`]: the lookup's matcher over a list small enough to scan on every keystroke (a
//! station's catalog of a few thousand items). Its keys come from the same normaliser and key
//! rules as the household index, and a key match ranks the same way, so `xyf`, `ＸＹＦ` and
//! `xi yi` find the same goods as they would find a household; what a scan adds is the last
//! tier of the ranking, names and pinyin that merely contain the query (see [`super`]).

use super::{entry_keys, normalize, KeyScratch, LookupEntry, MatchKind, MIN_PHONE_TAIL_DIGITS};

/// Where an entry ranks for one query: a key match (its kind, then exact before prefix), or
/// a name or pinyin that contains the query. Derived order is best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// A key starts with the query (`prefix_only` false when it equals it).
    Key { kind: MatchKind, prefix_only: bool },
    /// The name or its pinyin contains the query somewhere after its start.
    Within,
}

/// Every entry's keys, by position in the caller's list.
#[derive(Clone, Debug, Default)]
pub struct ScanIndex {
    entries: Vec<Vec<(MatchKind, String)>>,
}

/// A query as every key is compared with it: normalised, and reversed for phone tails.
struct Query {
    text: String,
    phone_tail: Option<String>,
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
        Some(Query { text, phone_tail })
    }

    /// The best rank of an entry with `keys`, or `None` when nothing matches.
    fn rank(&self, keys: &[(MatchKind, String)]) -> Option<Rank> {
        let mut best: Option<Rank> = None;
        for (kind, key) in keys {
            let wanted = match kind {
                MatchKind::Phone => match &self.phone_tail {
                    Some(tail) => tail.as_str(),
                    None => continue,
                },
                _ => self.text.as_str(),
            };
            let rank = if key.starts_with(wanted) {
                Rank::Key {
                    kind: *kind,
                    prefix_only: key != wanted,
                }
            } else if matches!(
                kind,
                MatchKind::Name | MatchKind::Initials | MatchKind::FullPinyin
            ) && key.contains(wanted)
            {
                Rank::Within
            } else {
                continue;
            };
            if best.is_none_or(|b| rank < b) {
                best = Some(rank);
            }
        }
        best
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
        ScanIndex {
            entries: entries
                .into_iter()
                .map(|entry| keys_of(&entry, &mut scratch))
                .collect(),
        }
    }

    /// Replaces the keys at `position`, or appends them when `position` is the length.
    pub fn set(&mut self, position: usize, entry: &LookupEntry) {
        let keys = keys_of(entry, &mut KeyScratch::default());
        match self.entries.get_mut(position) {
            Some(slot) => *slot = keys,
            None => self.entries.push(keys),
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
            .filter_map(|(position, keys)| query.rank(keys).map(|rank| (rank, position)))
            .collect();
        ranked.sort_unstable();
        ranked.into_iter().map(|(_, position)| position).collect()
    }

    /// The key matches alone, with their kinds, best first: what the household index answers
    /// for the same entries (the test that there is one matcher compares the two).
    #[cfg(test)]
    pub(super) fn key_matches(&self, query: &str) -> Vec<(usize, MatchKind)> {
        let Some(query) = Query::new(query) else {
            return Vec::new();
        };
        let mut ranked: Vec<(MatchKind, bool, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(position, keys)| match query.rank(keys)? {
                Rank::Key { kind, prefix_only } => Some((kind, prefix_only, position)),
                Rank::Within => None,
            })
            .collect();
        ranked.sort_unstable();
        ranked
            .into_iter()
            .map(|(kind, _, position)| (position, kind))
            .collect()
    }
}
