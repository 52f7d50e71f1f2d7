//! The day log: the X totals (running) or the Z totals (closed) on the left, and the day's
//! events on the right in the words of `aixin log` (`report::day`), so the printed log and the
//! screen say the same.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::DayTotals;
use crate::report::LogLine;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{pad_left, pad_right};
use super::theme::Theme;
use super::{monitor_note, muted, panel, row, visible};

fn totals_lines(model: &Model, totals: &DayTotals) -> Vec<Line<'static>> {
    let pair = |zh: &str, en: &str, value: String| {
        Line::from(format!(
            "{} {}",
            pad_right(model.t(zh, en), 17),
            pad_left(&value, 7)
        ))
    };
    vec![
        pair("兑换笔数", "sales", totals.sales.to_string()),
        pair("兑出积分", "points spent", totals.points_spent.to_string()),
        pair("作废笔数", "voids", totals.voids.to_string()),
        pair(
            "退回积分",
            "points voided",
            totals.points_voided.to_string(),
        ),
        pair(
            "净兑出积分",
            "net points",
            (totals.points_spent - totals.points_voided).to_string(),
        ),
        pair("售出件数", "units sold", totals.units_sold.to_string()),
        pair(
            "入库件数",
            "units received",
            totals.units_received.to_string(),
        ),
        pair(
            "录入评分",
            "scores entered",
            totals.scores_entered.to_string(),
        ),
        pair(
            "确认积分",
            "points confirmed",
            totals.points_confirmed.to_string(),
        ),
        pair("全部记录", "all events", totals.events.to_string()),
    ]
}

/// The day log: X totals (running) or Z totals (closed) and the day's events.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(32), Constraint::Min(20)]).areas(body);
    let (running, closed) = match &model.day.report {
        Some(report) => (report.totals.clone(), report.closed.clone()),
        None => (DayTotals::default(), None),
    };
    let (title, totals) = match &closed {
        Some(z) => (
            format!(
                "{} {} ({})",
                model.t("Z 日结", "Z closed"),
                model.day.date,
                model.t("已日结", "closed")
            ),
            z.clone(),
        ),
        None => (
            format!("{} {}", model.t("X 当日合计", "X running"), model.day.date),
            running,
        ),
    };
    let block = panel(&title, false);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let mut lines = totals_lines(model, &totals);
    lines.push(Line::from(""));
    if closed.is_some() {
        lines.push(Line::from(Span::styled(
            model.t("本日已日结", "this day is closed").to_string(),
            Theme::GOOD,
        )));
    } else {
        lines.push(muted(format!(
            "{} {}",
            model.keys(Context::Day, Action::CloseDay, " / "),
            model.t("日结（Z）", "close the day (Z)"),
        )));
    }
    lines.push(muted(format!(
        "{} {}",
        model.key_pair(Context::Day, Action::DayPrev, Action::DayNext),
        model.t("换日", "other day"),
    )));
    lines.extend(monitor_note(model));
    frame.render_widget(Paragraph::new(lines), inner);

    let block = panel(model.t("流水", "Events"), model.modal.is_none());
    let inner = block.inner(right);
    frame.render_widget(block, right);
    let cells = inner.width as usize;
    let rows = inner.height as usize;
    let mut lines = Vec::new();
    let log: &[LogLine] = model.day.report.as_ref().map_or(&[], |r| &r.lines);
    if log.is_empty() {
        lines.push(muted(
            model.t("这一天没有记录", "nothing recorded this day"),
        ));
    }
    for (i, line) in visible(log, model.day.scroll, rows) {
        let summary = model.lang.pick(&line.summary_zh, &line.summary_en);
        let text = format!(
            "{} {} {summary}",
            pad_left(&line.seq.to_string(), 5),
            line.time_local,
        );
        lines.push(row(
            text,
            cells,
            i == model.day.scroll,
            model.modal.is_none(),
            Theme::PLAIN,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
