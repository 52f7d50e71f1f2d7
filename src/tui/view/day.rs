//! The day screen: a till session's totals on the left — the open session's running X report,
//! or a closed session's frozen Z — and its events on the right in the words of `aixin log`
//! (`report::day`), so the printed log and the screen say the same. The highlighted line is the
//! one whose receipt the reprint key prints again.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::SessionTotals;
use crate::domain::time::format_local;
use crate::report::LogLine;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{pad_left, pad_right};
use super::theme::Theme;
use super::{monitor_note, muted, panel, row, visible};

fn totals_lines(model: &Model, totals: &SessionTotals) -> Vec<Line<'static>> {
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

/// The day screen: a session's X or Z totals and its events.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Length(32), Constraint::Min(20)]).areas(body);
    let report = model.day.report.as_ref();
    let totals = report.map(|r| r.totals.clone()).unwrap_or_default();
    let no = report.map_or(0, |r| r.session_no);
    let title = match report.and_then(|r| r.closed_ms) {
        Some(_) => format!("{} Z{no}", model.t("日结", "closed")),
        None => format!("X {} Z{no}", model.t("当前班次", "open session")),
    };
    let block = panel(&title, false);
    let inner = block.inner(left);
    frame.render_widget(block, left);
    let mut lines = Vec::new();
    if let Some(r) = report.filter(|r| r.first_ms > 0) {
        lines.push(muted(format!(
            "{} {}",
            model.t("自", "from"),
            format_local(r.first_ms)
        )));
    }
    if let Some(closed) = report.and_then(|r| r.closed_ms) {
        lines.push(Line::from(Span::styled(
            format!("{} {}", model.t("日结于", "closed"), format_local(closed)),
            Theme::GOOD,
        )));
    }
    lines.extend(totals_lines(model, &totals));
    lines.push(Line::from(""));
    if model.day.is_open() {
        lines.push(muted(format!(
            "{} {}",
            model.keys(Context::Day, Action::CloseDay, " / "),
            model.t("日结（Z）", "close (Z)"),
        )));
    }
    lines.push(muted(format!(
        "{} {}",
        model.key_pair(Context::Day, Action::DayPrev, Action::DayNext),
        model.t("换班次", "other session"),
    )));
    if !model.access.is_monitor() {
        lines.push(muted(format!(
            "{} {}",
            model.keys(Context::Day, Action::Reprint, " / "),
            model.t("重印选中那笔的小票", "reprint the chosen receipt"),
        )));
        lines.push(muted(format!(
            "{} {}",
            model.keys(Context::Day, Action::CloseYear, " / "),
            model.t("年终清零（先预览）", "year end (preview first)"),
        )));
    }
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
            model.t("本班次还没有记录", "nothing recorded in this session"),
        ));
    }
    for (i, line) in visible(log, model.day.scroll, rows) {
        let text = format!(
            "{} {} {}",
            pad_left(&line.seq.to_string(), 5),
            // A session may cross midnight: month-day and time.
            line.time_local.get(5..).unwrap_or(&line.time_local),
            line.summary(model.lang),
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
