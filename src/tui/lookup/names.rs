//! The name matcher: what the key tables cannot answer with a prefix search — a query that
//! starts inside a name (the given name 建国 of 李建国, or its pinyin `jianguo`, `jg`), that
//! mixes full pinyin and initials (`lijg`, `lijiang`, `ljianguo`), or that names a member of
//! the household rather than its head. See the rules in [`super`].
//!
//! Every name is kept as one 16-bit token per character (a [`Glyphs`] table maps tokens back to
//! the character and its toneless readings), so a household costs two bytes a character plus a
//! few bytes of bounds, and a query is matched by walking the tokens: the query must be spelled
//! by consecutive characters of one name, each giving a non-empty prefix of one of its readings
//! (or the character itself). The set of query positions reachable after each character is a
//! 64-bit mask, so a match costs a few word operations per character and never backtracks. A
//! per-entry mask of the letters its characters' readings start with lets a scan skip most
//! entries with one test.

use std::collections::HashMap;

use pinyin::ToPinyinMulti;

use super::keys::push_normalized;
use super::MatchKind;

/// Query characters beyond this many are never matched against names (no name is that long;
/// the reachable positions fit one `u64`).
const NAME_QUERY_CHARS_MAX: usize = 63;

/// The token of characters the table could not hold (more than 65,535 distinct ones): it
/// matches nothing.
const UNKNOWN: u16 = 0;

/// Bit of [`Glyphs::first_bits`] for spellings that start with a digit.
const DIGIT_BIT: u32 = 1 << 26;

/// Bit for spellings that start with anything else (a Chinese character, `·`).
const OTHER_BIT: u32 = 1 << 27;

/// Every distinct character seen, with its spellings: its toneless readings (`ü` as `v`) for a
/// Chinese character, itself (normalised) for any other.
#[derive(Clone, Debug, Default)]
struct Glyphs {
    /// The character of each token (token 0 is [`UNKNOWN`]).
    chars: Vec<char>,
    /// The token of each character.
    token_of: HashMap<char, u16>,
    /// The spellings of each token, as ids into `syllables`.
    spellings: Vec<Box<[u16]>>,
    /// Which first letters the token's spellings have (bit 0 = `a` … 25 = `z`).
    first_bits: Vec<u32>,
    /// Each distinct spelling, lowercase ASCII (or one normalised character).
    syllables: Vec<Box<str>>,
    /// The id of each spelling.
    syllable_of: HashMap<Box<str>, u16>,
}

impl Glyphs {
    /// The token of `c`, adding it (and its readings) on first sight; `None` for a character
    /// that normalises to nothing (a space).
    fn intern(&mut self, c: char) -> Option<u16> {
        if let Some(&token) = self.token_of.get(&c) {
            return Some(token);
        }
        let mut own = String::new();
        push_normalized(&mut own, c);
        if own.is_empty() {
            return None;
        }
        if self.chars.is_empty() {
            self.chars.push('\u{0}');
            self.spellings.push(Box::new([]));
            self.first_bits.push(0);
        }
        let Ok(token) = u16::try_from(self.chars.len()) else {
            return Some(UNKNOWN);
        };
        let mut spellings: Vec<u16> = Vec::new();
        let mut bits = 0;
        let mut add = |glyphs: &mut Glyphs, spelling: &str| {
            let id = match glyphs.syllable_of.get(spelling) {
                Some(&id) => id,
                None => {
                    let Ok(id) = u16::try_from(glyphs.syllables.len()) else {
                        return;
                    };
                    glyphs.syllables.push(spelling.into());
                    glyphs.syllable_of.insert(spelling.into(), id);
                    id
                }
            };
            if !spellings.contains(&id) {
                spellings.push(id);
                bits |= first_bit(spelling.chars().next());
            }
        };
        add(self, &own);
        if !c.is_ascii() {
            if let Some(multi) = c.to_pinyin_multi() {
                for reading in multi {
                    let plain: String = reading
                        .plain()
                        .chars()
                        .map(|ch| match ch {
                            'ü' => 'v',
                            'ê' => 'e',
                            other => other.to_ascii_lowercase(),
                        })
                        .collect();
                    if !plain.is_empty() {
                        add(self, &plain);
                    }
                }
            }
        }
        self.chars.push(c);
        self.spellings.push(spellings.into_boxed_slice());
        self.first_bits.push(bits);
        self.token_of.insert(c, token);
        Some(token)
    }

    /// The token of `c` if it was seen.
    fn find(&self, c: char) -> Option<u16> {
        self.token_of.get(&c).copied()
    }
}

/// The bit of a spelling's (or a query's) first character.
fn first_bit(c: Option<char>) -> u32 {
    match c {
        Some(c @ 'a'..='z') => 1 << (c as u32 - 'a' as u32),
        Some('0'..='9') => DIGIT_BIT,
        Some(_) => OTHER_BIT,
        None => 0,
    }
}

/// A query as names are matched against it: its normalised characters.
pub(super) struct NameQuery {
    chars: Vec<char>,
    first_bits: u32,
}

impl NameQuery {
    /// The query for normalised text `q`; `None` when it is empty or too long for a name.
    pub(super) fn new(q: &str) -> Option<NameQuery> {
        let chars: Vec<char> = q.chars().collect();
        if chars.is_empty() || chars.len() > NAME_QUERY_CHARS_MAX {
            return None;
        }
        Some(NameQuery {
            first_bits: first_bit(chars.first().copied()),
            chars,
        })
    }
}

/// The names of entries (a household's head then its members; an item's name), as tokens.
#[derive(Clone, Debug, Default)]
pub(super) struct NameStore {
    glyphs: Glyphs,
    /// Every name's tokens, back to back (replaced names leave dead tokens behind).
    tokens: Vec<u16>,
    /// Where each name's tokens start in `tokens`.
    name_start: Vec<u32>,
    /// How many tokens each name has (names are cut at 255 characters).
    name_len: Vec<u8>,
    /// The first name of each entry (its head).
    entry_first: Vec<u32>,
    /// How many names each entry has (at most 255).
    entry_names: Vec<u8>,
    /// The first letters any of the entry's characters can be spelled with.
    entry_bits: Vec<u32>,
}

impl NameStore {
    /// The number of entries.
    pub(super) fn len(&self) -> usize {
        self.entry_first.len()
    }

    /// Appends an entry's names (head first).
    pub(super) fn push<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) {
        let (first, count, bits) = self.store(names);
        self.entry_first.push(first);
        self.entry_names.push(count);
        self.entry_bits.push(bits);
    }

    /// Inserts an entry's names at position `at` (the others move up one).
    pub(super) fn insert<'a>(&mut self, at: usize, names: impl IntoIterator<Item = &'a str>) {
        let (first, count, bits) = self.store(names);
        let at = at.min(self.len());
        self.entry_first.insert(at, first);
        self.entry_names.insert(at, count);
        self.entry_bits.insert(at, bits);
    }

    /// Replaces the names of the entry at `at`.
    pub(super) fn replace<'a>(&mut self, at: usize, names: impl IntoIterator<Item = &'a str>) {
        let (first, count, bits) = self.store(names);
        if at < self.len() {
            self.entry_first[at] = first;
            self.entry_names[at] = count;
            self.entry_bits[at] = bits;
        }
    }

    /// Whether the entry at `at` has exactly these names (so nothing need be re-indexed).
    pub(super) fn same<'a>(&self, at: usize, names: impl IntoIterator<Item = &'a str>) -> bool {
        let Some(&first) = self.entry_first.get(at) else {
            return false;
        };
        let count = usize::from(self.entry_names[at]);
        let mut n = 0;
        for name in names {
            if n >= count {
                return false;
            }
            let stored = self.name_tokens(first as usize + n);
            let mut given = name.chars().filter_map(|c| {
                let mut own = String::new();
                push_normalized(&mut own, c);
                (!own.is_empty()).then(|| self.glyphs.find(c))
            });
            for &token in stored {
                if given.next() != Some(Some(token)) || token == UNKNOWN {
                    return false;
                }
            }
            if given.next().is_some() {
                return false;
            }
            n += 1;
        }
        n == count
    }

    /// Gives back spare capacity after a bulk load.
    pub(super) fn shrink_to_fit(&mut self) {
        self.tokens.shrink_to_fit();
        self.name_start.shrink_to_fit();
        self.name_len.shrink_to_fit();
        self.entry_first.shrink_to_fit();
        self.entry_names.shrink_to_fit();
        self.entry_bits.shrink_to_fit();
    }

    /// Stores names; returns (first name, how many, first-letter bits).
    fn store<'a>(&mut self, names: impl IntoIterator<Item = &'a str>) -> (u32, u8, u32) {
        let first = u32::try_from(self.name_start.len()).unwrap_or(u32::MAX);
        let mut count: u8 = 0;
        let mut bits = 0;
        for name in names {
            if count == u8::MAX {
                break;
            }
            let start = u32::try_from(self.tokens.len()).unwrap_or(u32::MAX);
            let mut len: u8 = 0;
            for c in name.chars() {
                if len == u8::MAX {
                    break;
                }
                let Some(token) = self.glyphs.intern(c) else {
                    continue;
                };
                bits |= self.glyphs.first_bits[usize::from(token)];
                self.tokens.push(token);
                len += 1;
            }
            self.name_start.push(start);
            self.name_len.push(len);
            count += 1;
        }
        (first, count, bits)
    }

    fn name_tokens(&self, name: usize) -> &[u16] {
        let (Some(&start), Some(&len)) = (self.name_start.get(name), self.name_len.get(name))
        else {
            return &[];
        };
        let start = start as usize;
        self.tokens
            .get(start..start + usize::from(len))
            .unwrap_or_default()
    }

    /// How the entry at `at` matches: [`MatchKind::Mixed`] when its head's name is spelled
    /// from its first character, [`MatchKind::Within`] from a later one, [`MatchKind::Member`]
    /// when a member's name is; `None` when no name spells the query.
    pub(super) fn best(&self, at: usize, query: &NameQuery) -> Option<MatchKind> {
        if self.entry_bits.get(at)? & query.first_bits == 0 {
            return None;
        }
        let first = self.entry_first[at] as usize;
        let count = usize::from(self.entry_names[at]);
        for n in 0..count {
            let tokens = self.name_tokens(first + n);
            for start in 0..tokens.len() {
                if self.spells(&tokens[start..], query) {
                    return Some(match (n, start) {
                        (0, 0) => MatchKind::Mixed,
                        (0, _) => MatchKind::Within,
                        _ => MatchKind::Member,
                    });
                }
            }
        }
        None
    }

    /// Whether consecutive characters from the first of `tokens` spell the whole query, each
    /// giving a non-empty prefix of one of its spellings.
    fn spells(&self, tokens: &[u16], query: &NameQuery) -> bool {
        let q = &query.chars;
        let done = 1u64 << q.len();
        // Bit k: the first k query characters are spelled so far.
        let mut reach: u64 = 1;
        for &token in tokens {
            let spellings = self
                .glyphs
                .spellings
                .get(usize::from(token))
                .map_or(&[][..], |s| &s[..]);
            let mut next: u64 = 0;
            let mut from = reach;
            while from != 0 {
                let k = from.trailing_zeros() as usize;
                from &= from - 1;
                for &id in spellings {
                    let spelling = &self.glyphs.syllables[usize::from(id)];
                    let common = spelling
                        .chars()
                        .zip(&q[k..])
                        .take_while(|(a, b)| a == *b)
                        .count();
                    // Prefixes of 1..=common characters: bits k+1..=k+common.
                    if common > 0 {
                        let upto = if k + common >= 63 {
                            u64::MAX
                        } else {
                            (1u64 << (k + common + 1)) - 1
                        };
                        next |= upto & !((1u64 << (k + 1)) - 1);
                    }
                }
            }
            if next & done != 0 {
                return true;
            }
            if next == 0 {
                return false;
            }
            reach = next;
        }
        false
    }
}
