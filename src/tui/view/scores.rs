//! The score grid: one household per row with its card and group, the score typed, what the
//! period already holds, and the domain's preview of the points it earns or of why not.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::super::keymap::{Action, Context};
use super::super::model::{Model, ScorePreview};
use super::super::text::{Align, Columns};
use super::theme::Theme;
use super::{muted, panel, row, scroll_offset};

/// The score grid: one household per row, the typed score and a live preview of points.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let Some(policy) = model.data.meta.as_ref().map(|m| &m.policy) else {
        return;
    };
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
    let rows = (inner.height as usize).saturating_sub(2);
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
        let (note, base) = match model.score_preview(i) {
            ScorePreview::Empty => (String::new(), Theme::PLAIN),
            ScorePreview::NotNumber(e) => (e.message(model.lang), Theme::BAD),
            ScorePreview::Refused(refusal) => (refusal.message(model.lang), Theme::BAD),
            ScorePreview::Points(p) => (format!("+{p}"), Theme::GOOD),
        };
        let text = columns.text([h.head, h.card_no, h.group, &shown, &had, &note]);
        lines.push(row(text, cells, selected, model.modal.is_none(), base));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
