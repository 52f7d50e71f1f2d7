//! What every screen draws with: a bordered panel, a row padded and highlighted, an input line
//! with its cursor, a muted note, a column header, the rows that fit with the highlighted one
//! in view, a zone's short name and the monitor-mode note.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use crate::domain::event::Zone;

use super::super::model::Model;
use super::super::text::{pad_right, width, wrap_ranges, Columns};
use super::theme::Theme;

/// A bordered panel with a title, yellow when it has the keyboard.
pub(crate) fn panel(title: &str, focused: bool) -> Block<'static> {
    let style = if focused {
        Theme::FOCUS_BORDER
    } else {
        Theme::BORDER
    };
    Block::bordered()
        .border_style(style)
        .title(Span::styled(format!(" {title} "), style))
}

/// First row to show so that `selected` is visible in `rows` rows.
pub(crate) fn scroll_offset(selected: usize, rows: usize) -> usize {
    if rows == 0 || selected < rows {
        0
    } else {
        selected + 1 - rows
    }
}

impl<const N: usize> Columns<N> {
    /// The header row, muted (drawn here; the columns themselves are plain text).
    pub fn header(&self, titles: [&str; N]) -> Line<'static> {
        muted(self.text(titles))
    }
}

/// A line of muted text: headers, hints and "nothing here" notes.
pub(crate) fn muted(text: impl Into<String>) -> Line<'static> {
    Line::from(Span::styled(text.into(), Theme::MUTED))
}

/// The items that fit in `rows` rows with `selected` in view, with their indexes.
pub(crate) fn visible<T>(
    items: &[T],
    selected: usize,
    rows: usize,
) -> impl Iterator<Item = (usize, &T)> {
    items
        .iter()
        .enumerate()
        .skip(scroll_offset(selected, rows))
        .take(rows)
}

/// A row padded to the full width, highlighted when selected.
pub(crate) fn row(
    text: String,
    cells: usize,
    selected: bool,
    focused: bool,
    base: Style,
) -> Line<'static> {
    let style = match (selected, focused) {
        (true, true) => Theme::HIGHLIGHT,
        (true, false) => Theme::HIGHLIGHT_DIM,
        _ => base,
    };
    Line::from(Span::styled(pad_right(&text, cells), style))
}

/// The input line: prompt, text and a cursor when focused.
pub(crate) fn input_line(prompt: &str, text: &str, focused: bool, cells: usize) -> Line<'static> {
    let cursor = if focused { "▏" } else { "" };
    let room = cells.saturating_sub(width(prompt) + 1);
    let shown: String = {
        let mut t = text.to_string();
        while width(&t) > room {
            t.remove(0);
        }
        t
    };
    Line::from(vec![
        Span::styled(prompt.to_string(), Theme::MUTED),
        Span::styled(
            shown,
            if focused {
                Theme::PLAIN.add_modifier(Modifier::BOLD)
            } else {
                Theme::PLAIN
            },
        ),
        Span::styled(cursor.to_string(), Theme::FOCUS_BORDER),
    ])
}

/// `line` broken into lines of at most `cells` cells as [`wrap_ranges`] sets Chinese, each
/// character keeping its style.
pub(crate) fn wrap_line(line: &Line<'_>, cells: usize) -> Vec<Line<'static>> {
    let mut chars = Vec::new();
    let mut styles = Vec::new();
    for span in &line.spans {
        let style = line.style.patch(span.style);
        for c in span.content.chars() {
            chars.push(c);
            styles.push(style);
        }
    }
    wrap_ranges(&chars, cells)
        .into_iter()
        .map(|range| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut text = String::new();
            let mut style = None;
            for i in range {
                if style.is_some_and(|s| s != styles[i]) {
                    spans.push(Span::styled(
                        std::mem::take(&mut text),
                        style.unwrap_or_default(),
                    ));
                }
                style = Some(styles[i]);
                text.push(chars[i]);
            }
            if let Some(style) = style {
                spans.push(Span::styled(text, style));
            }
            Line::from(spans)
        })
        .collect()
}

/// The short name of a zone.
pub(crate) fn zone_label(model: &Model, zone: Zone) -> String {
    match zone {
        Zone::Points(p) => p.to_string(),
        Zone::Donation => model.t("捐赠", "Don.").to_string(),
    }
}

/// In monitor mode, the line that says the screen is only for looking.
pub(crate) fn monitor_note(model: &Model) -> Option<Line<'static>> {
    model.access.is_monitor().then(|| {
        Line::from(Span::styled(
            model
                .t("监督模式：只能查看", "monitor mode: read-only")
                .to_string(),
            Theme::MONITOR,
        ))
    })
}

/// The columns of a score sheet's items side by side (the score grid and the board by item):
/// each as wide as its name (at least `values` cells, for the widest figure it holds), sharing
/// `room` cells with a one-cell gap before each. A name wider than its share is never cut:
/// the header takes two lines and the name breaks between its halves (`主动` over `脱贫`), as
/// the printed board breaks it; only a share narrower than half a name cuts it (with `…`).
pub(crate) struct ItemColumns {
    /// Each item column's width in cells.
    pub widths: Vec<usize>,
    /// The header's lines (one or two), each item's part of it padded to its column, each
    /// part led by its gap.
    pub header: Vec<String>,
}

impl ItemColumns {
    /// Lays out `names` in `room` cells (gaps included), each column at least `values` wide.
    pub(crate) fn new(names: &[String], room: usize, values: usize) -> ItemColumns {
        let share = (room / names.len().max(1)).saturating_sub(1).max(2);
        let mut widths = Vec::with_capacity(names.len());
        let mut parts: Vec<(String, String)> = Vec::with_capacity(names.len());
        for name in names {
            let whole = width(name).max(values).max(2);
            if whole <= share {
                widths.push(whole.max(4).min(share));
                parts.push((String::new(), name.clone()));
                continue;
            }
            let chars: Vec<char> = name.chars().collect();
            let (top, bottom) = chars.split_at(chars.len().div_ceil(2));
            let (top, bottom): (String, String) = (top.iter().collect(), bottom.iter().collect());
            let w = width(&top).max(width(&bottom)).max(values).min(share);
            widths.push(w);
            parts.push((top, bottom));
        }
        let two = parts.iter().any(|(top, _)| !top.is_empty());
        let line = |pick: &dyn Fn(&(String, String)) -> String| -> String {
            parts
                .iter()
                .zip(&widths)
                .map(|(part, w)| format!(" {}", super::super::text::pad_left(&pick(part), *w)))
                .collect()
        };
        let mut header = Vec::new();
        if two {
            header.push(line(&|(top, _)| top.clone()));
        }
        header.push(line(&|(_, bottom)| bottom.clone()));
        ItemColumns { widths, header }
    }
}

#[cfg(test)]
mod item_columns_tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_that_fit_stay_whole_on_one_line() {
        let c = ItemColumns::new(&names(&["主动脱贫", "违规"]), 40, 3);
        assert_eq!(c.widths, vec![8, 4]);
        assert_eq!(c.header, vec![" 主动脱贫 违规".to_string()]);
    }

    /// Eight items in 60 cells: a share of 6 cells; 4-character names break between halves
    /// on two header lines, never cut with `…`.
    #[test]
    fn names_wider_than_their_share_break_between_halves_never_cut() {
        let list = names(&[
            "主动脱贫",
            "家庭美德",
            "遵纪守法",
            "环境卫生",
            "配合工作",
            "孝老爱亲",
            "邻里和睦",
            "违规",
        ]);
        let c = ItemColumns::new(&list, 60, 3);
        assert!(c.widths.iter().all(|w| *w <= 6), "{:?}", c.widths);
        assert_eq!(c.header.len(), 2);
        assert!(c.header[0].contains("主动") && c.header[1].contains("脱贫"));
        assert!(!c.header.concat().contains('…'));
        let used: usize = c.widths.iter().map(|w| w + 1).sum();
        assert!(used <= 60, "{used}");
    }
}
