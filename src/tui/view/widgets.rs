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
