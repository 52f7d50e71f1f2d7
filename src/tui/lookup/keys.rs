//! The search keys of a household or an item, and the one normaliser every key and query goes
//! through: whitespace dropped, full-width ASCII made ASCII, letters lowercased, `ü` written `v`,
//! names read as pinyin (every reading of a polyphonic character, bounded) and codes indexed
//! whole, after their letters and without leading zeros. The rules themselves are written down
//! once, in the paragraph of [`super`]; the household index and the goods scan both take their
//! keys from here, so a query means the same thing in both.

use pinyin::ToPinyinMulti;

use super::{Fields, MatchKind, MAX_KEY_BYTES, MAX_READING_COMBINATIONS, MIN_PHONE_TAIL_DIGITS};

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
pub(super) struct KeyScratch {
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

/// Appends `c` the way every key and query is normalised (see the module docs): full-width
/// forms as the one normaliser folds them ([`crate::domain::input::fold_width`]), then case.
pub(super) fn push_normalized(out: &mut String, c: char) {
    let c = crate::domain::input::fold_width(c);
    match c {
        _ if c.is_whitespace() => {}
        _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        // CJK ideographs have no case: the common path for names.
        '\u{3400}'..='\u{9FFF}' => out.push(c),
        _ => {
            for lower in c.to_lowercase() {
                out.push(if lower == 'ü' { 'v' } else { lower });
            }
        }
    }
}

/// Normalises `s` into `out` (cleared first), cut to [`MAX_KEY_BYTES`].
pub(super) fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    for c in s.chars() {
        push_normalized(out, c);
    }
    let len = cut(out).len();
    out.truncate(len);
}

/// Normalises a query or a field for use as a key.
pub(super) fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// `s` cut to at most [`MAX_KEY_BYTES`] at a character boundary.
pub(super) fn cut(s: &str) -> &str {
    let mut end = s.len().min(MAX_KEY_BYTES);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Feeds every key of `entry` to `sink`, without duplicates within a kind.
pub(super) fn entry_keys(
    entry: Fields<'_>,
    scratch: &mut KeyScratch,
    mut sink: impl FnMut(MatchKind, &str),
) {
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
