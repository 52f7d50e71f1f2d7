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
