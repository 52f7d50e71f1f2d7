//! The score grid: one household per row with its card and group, the score typed, what the
//! period already holds, and the domain's preview of the points it earns or of why not. Where
//! the policy has a score sheet (评分细则), the row has a column per item instead, the chosen
//! item's name and bounds are spelled out above the grid, and the preview shows the total (or,
//! on a row with nothing typed, what the period already holds). A refusal of the selected row
//! too long for its column is also shown whole under the grid.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::{Model, ScorePreview};
use super::super::text::{pad_left, pad_right, width, wrap, Align, Columns};
use super::theme::Theme;
use super::{muted, panel, row, scroll_offset, ItemColumns};
use crate::domain::ScoreSheet;

/// The score grid: one household per row, the typed score and a live preview of points.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let Some(policy) = model.data.meta.as_ref().map(|m| &m.policy) else {
        return;
    };
    if let Some(sheet) = model.score_items() {
        draw_items(model, sheet, frame, body);
        return;
    }
    let title = format!("{} {}", model.t("评分期", "Period"), model.scores.period);
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let cap = if policy.points_cap_per_period > 0 {
        format!(
            "{}{}",
            model.t("每户每期上限 ", "cap per household "),
            policy.points_cap_per_period
        )
    } else {
        model.t("无上限", "no cap").to_string()
    };
    let mut lines = vec![muted(format!(
        "{} · {}–{} · {cap} · {}",
        policy.name,
        policy.score_min,
        policy.score_max,
        model.key_pair(Context::Scores, Action::PeriodPrev, Action::PeriodNext)
            + model.t(" 换期", " period")
    ))];
    let (card_w, group_w, score_w, had_w) = (9, 6, 6, 8);
    let note_w = cells
        .saturating_sub(10 + card_w + group_w + score_w + had_w + 5)
        .max(4);
    let columns = Columns([
        (10, Align::Left),
        (card_w, Align::Left),
        (group_w, Align::Left),
        (score_w, Align::Right),
        (had_w, Align::Right),
        (note_w, Align::Left),
    ]);
    lines.push(columns.header([
        model.t("户主", "Head"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("分数", "Score"),
        model.t("本期已有", "Had"),
        model.t("将得积分", "Points"),
    ]));
    // A refusal of the selected row is shown whole under the grid: its column cuts it.
    let refusal = match preview(model, model.scores.selected) {
        (text, style) if style == Theme::BAD && width(&text) > note_w => wrap(&text, cells),
        _ => Vec::new(),
    };
    let rows = (inner.height as usize).saturating_sub(2 + refusal.len());
    let offset = scroll_offset(model.scores.selected, rows);
    for (i, h) in model
        .data
        .households
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
    {
        let id = h.household_id;
        let typed = model
            .scores
            .entries
            .get(id)
            .map(|i| i.text.clone())
            .unwrap_or_default();
        let selected = i == model.scores.selected;
        let shown = if selected && model.modal.is_none() {
            format!("{typed}▏")
        } else {
            typed
        };
        let had = model
            .scores
            .existing
            .get(id)
            .filter(|t| t.entries > 0)
            .map(|t| format!("{}/{}", t.score, t.points))
            .unwrap_or_default();
        let (note, base) = preview(model, i);
        let text = columns.text([h.head, h.card_no, h.group, &shown, &had, &note]);
        lines.push(row(text, cells, selected, model.modal.is_none(), base));
    }
    lines.extend(
        refusal
            .into_iter()
            .map(|text| Line::from(Span::styled(text, Theme::BAD))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The preview's words and colour for one row.
fn preview(model: &Model, position: usize) -> (String, ratatui::style::Style) {
    match model.score_preview(position) {
        ScorePreview::Empty => (String::new(), Theme::PLAIN),
        ScorePreview::NotNumber(e) => (e.message(model.lang), Theme::BAD),
        ScorePreview::Refused(refusal) => (refusal.message(model.lang), Theme::BAD),
        ScorePreview::Points(p) => (format!("+{p}"), Theme::GOOD),
        ScorePreview::Items { score, points } => (
            format!("{score}{} → +{points}", model.t("分", "")),
            Theme::GOOD,
        ),
    }
}

/// What the period already holds for a household with nothing typed, muted (`已录入 80分 → +0`),
/// so the grid by item shows what was just committed instead of going blank; empty when it
/// holds nothing.
fn held(model: &Model, household_id: &str) -> (String, ratatui::style::Style) {
    match model.scores.existing.get(household_id) {
        Some(t) if t.entries > 0 => (
            format!(
                "{}{}{} → +{}",
                model.t("已录入 ", "entered "),
                t.score,
                model.t("分", ""),
                t.points
            ),
            Theme::MUTED,
        ),
        _ => (String::new(), Theme::PLAIN),
    }
}

/// A bound as the sheet prints it: `+8`, `0`, `-20`.
fn signed(value: i64) -> String {
    if value > 0 {
        format!("+{value}")
    } else {
        value.to_string()
    }
}

/// The preview column of the grid by item is at least this wide (`entered 91 → +55`); the
/// item columns share the rest.
const ITEMS_PREVIEW_CELLS_MIN: usize = 14;

/// The grid by item: head, one column per item of the sheet ([`ItemColumns`]: names too wide
/// for their share break over two header lines, never cut), then the total and points. A
/// refusal of the selected row too long for its column is shown whole under the grid, as on
/// the plain grid.
fn draw_items(model: &Model, sheet: &ScoreSheet, frame: &mut Frame, body: Rect) {
    let title = format!("{} {}", model.t("评分期", "Period"), model.scores.period);
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let count = sheet.items.len().max(1);
    let chosen = model.scores.item.min(count - 1);
    let head_w = 8;
    let names: Vec<String> = sheet.items.iter().map(|i| i.name.clone()).collect();
    // A typed value with its cursor: `-20▏`.
    let value_w = sheet
        .items
        .iter()
        .flat_map(|i| [width(&i.min.to_string()), width(&i.max.to_string())])
        .max()
        .unwrap_or(1)
        + 1;
    let items = ItemColumns::new(
        &names,
        cells.saturating_sub(head_w + 1 + ITEMS_PREVIEW_CELLS_MIN),
        value_w,
    );
    let used: usize = head_w + items.widths.iter().map(|w| w + 1).sum::<usize>();
    let preview_w = cells.saturating_sub(used + 1).max(4);
    let item = &sheet.items[chosen];
    let keys = model.key_pair(Context::Scores, Action::FieldPrev, Action::FieldNext);
    let mut lines = vec![
        muted(format!(
            "{} · {} {} · {keys}{}",
            model
                .data
                .meta
                .as_ref()
                .map_or("", |m| m.policy.name.as_str()),
            model.t("基础分", "base"),
            sheet.base,
            model.t(" 换项目", " item"),
        )),
        muted(format!(
            "{}{}（{} … {}）",
            model.t("当前项目：", "item: "),
            item.name,
            signed(item.min),
            signed(item.max)
        )),
    ];
    let last = items.header.len() - 1;
    for (k, part) in items.header.iter().enumerate() {
        let (head, total) = if k == last {
            (
                model.t("户主", "Head"),
                model.t("合计 → 积分", "total → pt"),
            )
        } else {
            ("", "")
        };
        lines.push(muted(format!(
            "{}{part} {}",
            pad_right(head, head_w),
            pad_right(total, preview_w)
        )));
    }
    // A refusal of the selected row is shown whole under the grid: its column cuts it.
    let refusal = match preview(model, model.scores.selected) {
        (text, style) if style == Theme::BAD && width(&text) > preview_w => wrap(&text, cells),
        _ => Vec::new(),
    };
    let rows = (inner.height as usize).saturating_sub(lines.len() + refusal.len());
    let offset = scroll_offset(model.scores.selected, rows);
    for (i, h) in model
        .data
        .households
        .iter()
        .enumerate()
        .skip(offset)
        .take(rows)
    {
        let selected = i == model.scores.selected;
        let typed = model.scores.item_entries.get(h.household_id);
        let mut text = pad_right(h.head, head_w);
        for (k, w) in items.widths.iter().enumerate() {
            let value = typed
                .and_then(|row| row.get(k))
                .map(|input| input.text.clone())
                .unwrap_or_default();
            let shown = if selected && k == chosen && model.modal.is_none() {
                format!("{value}▏")
            } else {
                value
            };
            text.push(' ');
            text.push_str(&pad_left(&shown, *w));
        }
        let (note, base) = match preview(model, i) {
            (note, _) if note.is_empty() => held(model, h.household_id),
            shown => shown,
        };
        text.push(' ');
        text.push_str(&pad_right(&note, preview_w));
        lines.push(row(text, cells, selected, model.modal.is_none(), base));
    }
    lines.extend(
        refusal
            .into_iter()
            .map(|text| Line::from(Span::styled(text, Theme::BAD))),
    );
    frame.render_widget(Paragraph::new(lines), inner);
}
