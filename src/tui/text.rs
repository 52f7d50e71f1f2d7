//! Display-width helpers. A Chinese character takes two terminal cells, so columns are padded
//! and cut by `unicode-width` cells, never by `char` or byte counts. [`Columns`] lays a list's
//! texts into fixed-width columns, for the view and for the sync report's rows alike.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cells a string takes on screen.
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts `text` to at most `cells` cells, ending with `…` when something was cut.
pub fn truncate(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_string();
    }
    if cells == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w > cells.saturating_sub(1) {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// `text` cut to `cells` and padded with spaces on the right to exactly `cells` cells.
pub fn pad_right(text: &str, cells: usize) -> String {
    let mut out = truncate(text, cells);
    let used = width(&out);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(used)));
    out
}

/// `text` cut to `cells` and padded with spaces on the left to exactly `cells` cells.
pub fn pad_left(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let used = width(&cut);
    let mut out: String = std::iter::repeat_n(' ', cells.saturating_sub(used)).collect();
    out.push_str(&cut);
    out
}

/// `text` centred in `cells` cells.
pub fn center(text: &str, cells: usize) -> String {
    let cut = truncate(text, cells);
    let used = width(&cut);
    let left = (cells.saturating_sub(used)) / 2;
    let mut out: String = std::iter::repeat_n(' ', left).collect();
    out.push_str(&cut);
    out.extend(std::iter::repeat_n(' ', cells.saturating_sub(used + left)));
    out
}

/// Left part and right part on one line of exactly `cells` cells (the right part wins space).
pub fn spread(left: &str, right: &str, cells: usize) -> String {
    let right_cells = width(right).min(cells);
    let left_cells = cells.saturating_sub(right_cells + 1);
    if left_cells == 0 {
        return pad_left(right, cells);
    }
    format!(
        "{} {}",
        pad_right(left, left_cells),
        pad_left(right, right_cells)
    )
}

/// `text` broken into lines of at most `cells` cells, the way Chinese is set: a line may
/// break between any two Chinese characters (or before and after one), while a run of Latin
/// letters and digits (a card number, a date, an English word) breaks only at a space, unless
/// it alone is wider than a line. Spaces at a break are dropped. A `\n` always breaks.
///
/// ratatui's word wrapper breaks only at spaces, so a Chinese sentence with one space in it
/// ("已有 40 天") broke at that space and left half a line empty.
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    wrap_ranges(&chars, cells)
        .into_iter()
        .map(|r| chars[r].iter().collect())
        .collect()
}

/// The lines of [`wrap`] as ranges of `chars` (for styled text, whose styles follow the
/// characters); spaces at a break and at a line's end are outside every range.
pub fn wrap_ranges(chars: &[char], cells: usize) -> Vec<std::ops::Range<usize>> {
    let cells = cells.max(2);
    let cell = |c: char| UnicodeWidthChar::width(c).unwrap_or(0);
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut used = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            out.push(trimmed(chars, start, i));
            start = i + 1;
            used = 0;
            i += 1;
            continue;
        }
        let w = cell(c);
        if used + w <= cells {
            used += w;
            i += 1;
            continue;
        }
        if c == ' ' {
            out.push(trimmed(chars, start, i));
        } else {
            // Break at the last opportunity on the line: after a space, or next to a wide
            // character; what follows it moves down.
            let at = (start + 1..=i)
                .rev()
                .find(|&j| breaks_between(chars[j - 1], chars[j]))
                .unwrap_or(i);
            out.push(trimmed(chars, start, at));
            i = at;
        }
        while i < chars.len() && chars[i] == ' ' {
            i += 1;
        }
        start = i;
        used = 0;
    }
    out.push(trimmed(chars, start, chars.len()));
    out
}

fn trimmed(chars: &[char], start: usize, end: usize) -> std::ops::Range<usize> {
    let mut end = end;
    while end > start && chars[end - 1] == ' ' {
        end -= 1;
    }
    start..end
}

/// Whether a line may break between `a` and `b`.
fn breaks_between(a: char, b: char) -> bool {
    let wide = |c: char| UnicodeWidthChar::width(c).unwrap_or(0) > 1;
    // No line starts with closing punctuation or ends with opening punctuation.
    let closing = |c: char| "，。；：、！？）》」』”’,.;:!?)".contains(c);
    let opening = |c: char| "（《「『“‘(".contains(c);
    if closing(b) || opening(a) {
        return false;
    }
    a == ' ' || wide(a) || wide(b)
}

/// Which side of its column a text keeps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// Padded on the right (names, ids).
    Left,
    /// Padded on the left (figures).
    Right,
}

/// A list's fixed-width columns, `(cells, align)` each, so a header and its rows line up by
/// construction.
#[derive(Clone, Copy, Debug)]
pub struct Columns<const N: usize>(pub [(usize, Align); N]);

impl<const N: usize> Columns<N> {
    /// Each text cut and padded to its column, the columns one space apart.
    pub fn text(&self, texts: [&str; N]) -> String {
        let cells: Vec<String> = self
            .0
            .iter()
            .zip(texts)
            .map(|(&(cells, align), text)| match align {
                Align::Left => pad_right(text, cells),
                Align::Right => pad_left(text, cells),
            })
            .collect();
        cells.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_wraps_between_characters_and_latin_at_spaces() {
        let lines = wrap(
            "电脑日期是 2026-12-31，距上一笔（2026-11-21 08:30）已有 40 天。",
            20,
        );
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "电脑日期是2026-12-31，距上一笔（2026-11-2108:30）已有40天。"
        );
        // A date is not cut; Chinese fills the line up to it.
        assert_eq!(
            lines,
            [
                "电脑日期是",
                "2026-12-31，距上一笔",
                "（2026-11-21 08:30）",
                "已有 40 天。"
            ]
        );
        assert_eq!(
            wrap("已有 40 天。这个日期对吗", 12),
            ["已有 40 天。", "这个日期对吗"]
        );
        assert_eq!(
            wrap("Ask them to run aixin keys show", 12),
            ["Ask them to", "run aixin", "keys show"]
        );
        assert_eq!(wrap("LJ0001LJ0002", 8), ["LJ0001LJ", "0002"]);
        assert_eq!(wrap("a\nb", 8), ["a", "b"]);
        assert_eq!(wrap("", 8), [""]);
        // No line starts with a comma.
        assert!(wrap("一二三四，五", 8).iter().all(|l| !l.starts_with('，')));
    }

    #[test]
    fn cjk_counts_two_cells() {
        assert_eq!(width("张三"), 4);
        assert_eq!(pad_right("张三", 6), "张三  ");
        assert_eq!(pad_left("张三", 5), " 张三");
        assert_eq!(truncate("东北大米五公斤", 7), "东北大…");
        assert_eq!(width(&pad_right("东北大米五公斤", 7)), 7);
        assert_eq!(width(&spread("合计", "120", 20)), 20);
    }

    #[test]
    fn odd_cells_never_split_a_wide_char() {
        let cut = pad_right("张三李四", 5);
        assert_eq!(width(&cut), 5);
    }
}
