//! Voiding a sale: the recent sales, newest first, with their time, household, points and
//! whether they were voided already or collected by a proxy.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::time::format_local;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{Align, Columns};
use super::theme::Theme;
use super::{input_line, muted, panel, row, visible};

/// Recent sales; choosing one asks for a reason and voids it.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let title = model.key_sentence(
        ("最近的兑换（", "Recent sales ("),
        Context::Void,
        Action::Select,
        ("作废）", " to void)"),
    );
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    let columns = Columns([
        (6, Align::Right),
        (16, Align::Left),
        (12, Align::Left),
        (6, Align::Right),
        (cells.saturating_sub(44), Align::Left),
    ]);
    let mut lines = vec![
        input_line(
            model.t("单号：", "Sale no.: "),
            &model.sales.number.text,
            model.modal.is_none(),
            cells,
        ),
        columns.header([
            model.t("单号", "No."),
            model.t("时间", "Time"),
            model.t("农户", "Household"),
            model.t("积分", "Points"),
            model.t("状态", "State"),
        ]),
    ];
    if model.sales.sales.is_empty() {
        lines.push(muted(model.t("还没有兑换记录", "no sales yet")));
    }
    let rows = (inner.height as usize).saturating_sub(2);
    for (i, s) in visible(&model.sales.sales, model.sales.selected, rows) {
        let name = model.data.head_or_id(&s.household_id);
        let mut state = if s.voided {
            model.t("已作废", "voided").to_string()
        } else {
            String::new()
        };
        if let Some(p) = &s.proxy {
            state.push_str(&format!(" {}{p}", model.t("代领:", "by ")));
        }
        let text = columns.text([
            &s.seq.to_string(),
            &format_local(s.time_ms),
            &name,
            &s.total_points.to_string(),
            state.trim(),
        ]);
        let base = if s.voided {
            Theme::DISABLED
        } else {
            Theme::PLAIN
        };
        lines.push(row(
            text,
            cells,
            i == model.sales.selected,
            model.modal.is_none(),
            base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
