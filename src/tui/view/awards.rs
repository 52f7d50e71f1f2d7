//! Awards in publicity: each with its household, period, score and points and the date its
//! publicity ends, as the domain counts it; those due can be marked and confirmed.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::time::format_local;

use super::super::model::Model;
use super::super::text::{Align, Columns};
use super::theme::Theme;
use super::{monitor_note, muted, panel, row, visible};

/// Awards in publicity; those whose week is over can be marked and confirmed.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let block = panel(
        model.t(
            "公示中的评分（期满可确认）",
            "Awards in publicity (confirm when due)",
        ),
        model.modal.is_none(),
    );
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let columns = Columns([
        (2, Align::Left),
        (10, Align::Left),
        (10, Align::Left),
        (5, Align::Right),
        (6, Align::Right),
        (cells.saturating_sub(39), Align::Left),
    ]);
    let mut lines = vec![columns.header([
        "",
        model.t("户主", "Head"),
        model.t("期", "Period"),
        model.t("分数", "Score"),
        model.t("积分", "Points"),
        model.t("公示至", "Publicity until"),
    ])];
    if model.awards.pending.is_empty() {
        lines.push(muted(model.t("没有公示中的评分", "no awards in publicity")));
    }
    let rows = (inner.height as usize).saturating_sub(1 + usize::from(model.access.is_monitor()));
    for (i, a) in visible(&model.awards.pending, model.awards.selected, rows) {
        let until = model.publicity_until_ms(a).unwrap_or(a.entered_ms);
        let due = model.award_due(a);
        let marked = model.awards.marked.contains(&a.seq);
        let name = model.data.head_or_id(&a.household_id);
        let state = if due {
            model.t("期满", "due")
        } else {
            model.t("公示中", "waiting")
        };
        let text = columns.text([
            if marked { "✓" } else { "" },
            &name,
            &a.period.0,
            &a.score.to_string(),
            &a.points.to_string(),
            &format!("{} {state}", format_local(until)),
        ]);
        let base = if marked {
            Theme::MARKED
        } else if due {
            Theme::PLAIN
        } else {
            Theme::DISABLED
        };
        lines.push(row(
            text,
            cells,
            i == model.awards.selected,
            model.modal.is_none(),
            base,
        ));
    }
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);
}
