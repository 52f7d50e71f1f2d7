//! The publicity board: a period's households with their rank, card, group, score and points
//! (and, where the scores were entered by item, each item instead of the card and group), in
//! the order and with the ranks of the printed board (`report::board`: by score, ties sharing
//! a rank), so the screen and the notice board never disagree. The publicity window is spelled
//! out above the table, and a row still in publicity is marked with the date its publicity ends
//! (`domain::publicity`), until which an objection may revoke or correct it; the board is saved
//! for A4 or printed on the receipt printer from here.

use ratatui::layout::Rect;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::time::format_local;

use super::super::keymap::{Action, Context};
use super::super::model::Model;
use super::super::text::{pad_left, pad_right, truncate, width, Align, Columns};
use super::theme::Theme;
use super::{muted, panel, row, scroll_offset};

/// The publicity board: the period's scores and points per household, ranked.
pub fn draw(model: &Model, frame: &mut Frame, body: Rect) {
    let title = format!(
        "{} {}",
        model.t("公示榜", "Publicity board"),
        model.board.period
    );
    let block = panel(&title, model.modal.is_none());
    let inner = block.inner(body);
    frame.render_widget(block, body);
    let cells = inner.width as usize;
    if !model.board.items.is_empty() {
        draw_items(model, frame, inner);
        return;
    }
    let columns = Columns([
        (4, Align::Right),
        (10, Align::Left),
        (9, Align::Left),
        (6, Align::Left),
        (5, Align::Right),
        (6, Align::Right),
        (cells.saturating_sub(46).max(8), Align::Left),
    ]);
    let mut lines = vec![columns.header([
        model.t("名次", "Rank"),
        model.t("户主", "Head"),
        model.t("卡号", "Card"),
        model.t("组", "Group"),
        model.t("分数", "Score"),
        model.t("积分", "Points"),
        model.t("公示", "Publicity"),
    ])];
    let keys = model.key_pair(Context::Board, Action::PeriodPrev, Action::PeriodNext);
    if model.board.rows.is_empty() {
        lines.push(muted(format!(
            "{}{keys}{}",
            model.t("本期还没有评分（", "no scores this period ("),
            model.t(" 换期）", " other period)"),
        )));
    }
    let rows = (inner.height as usize).saturating_sub(1);
    let offset = scroll_offset(model.board.scroll, rows);
    for (i, board_row) in model.board.rows.iter().enumerate().skip(offset).take(rows) {
        let card = model
            .data
            .household(&board_row.household_id)
            .map(|h| h.card_no)
            .unwrap_or_default();
        let head = if board_row.head.is_empty() {
            &board_row.household_id
        } else {
            &board_row.head
        };
        // Still in publicity (an objection may still revoke or correct it), and until when:
        // the domain's publicity end of the household's pending award of the period.
        let pending: Vec<_> = model
            .awards
            .pending
            .iter()
            .filter(|a| {
                a.household_id == board_row.household_id && a.period.0 == model.board.period
            })
            .collect();
        let until = pending
            .iter()
            .filter(|a| !model.award_due(a))
            .filter_map(|a| model.publicity_until_ms(a))
            .max();
        let publicity = match until {
            Some(ms) => format!("{} {}", model.t("公示至", "until"), format_local(ms)),
            None if !pending.is_empty() => model.t("期满待确认", "over, to confirm").to_string(),
            None => String::new(),
        };
        let text = columns.text([
            &board_row.rank.to_string(),
            head,
            card,
            &board_row.group,
            &board_row.score.to_string(),
            &board_row.points.to_string(),
            &publicity,
        ]);
        let base = if until.is_some() {
            Theme::MARKED
        } else {
            Theme::PLAIN
        };
        lines.push(row(
            text,
            cells,
            i == model.board.scroll,
            model.modal.is_none(),
            base,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The board of a period scored by item: rank, head, one column per item, score and points,
/// under the publicity window.
fn draw_items(model: &Model, frame: &mut Frame, inner: Rect) {
    let board = &model.board;
    let cells = inner.width as usize;
    let count = board.items.len().max(1);
    let (rank_w, head_w) = (4, 8);
    let score_w = width(model.t("得分", "Score")).max(4);
    let room = cells.saturating_sub(rank_w + 1 + head_w + 2 * (score_w + 1));
    let item_w = (room / count).saturating_sub(1).clamp(3, 8);
    let widths: Vec<usize> = board
        .items
        .iter()
        .map(|name| width(name).clamp(4, 8).min(item_w))
        .collect();
    let note = crate::report::Board {
        period: board.period.clone(),
        rows: Vec::new(),
        items: Vec::new(),
        publicity_days: board.publicity_days,
        posted_from: board.posted_from.clone(),
        posted_until: board.posted_until.clone(),
    }
    .publicity_note(model.lang);
    // The notice is read whole: who to object to and until when is its point.
    let mut lines: Vec<_> = crate::tui::text::wrap(&note, cells)
        .into_iter()
        .map(muted)
        .collect();
    let notice_lines = lines.len();
    let mut header = format!(
        "{} {}",
        pad_left(model.t("名次", "Rank"), rank_w),
        pad_right(model.t("户主", "Head"), head_w)
    );
    for (name, w) in board.items.iter().zip(&widths) {
        header.push(' ');
        header.push_str(&pad_left(&truncate(name, *w), *w));
    }
    header.push_str(&format!(
        " {} {}",
        pad_left(model.t("得分", "Score"), score_w),
        pad_left(model.t("积分", "Pts"), score_w)
    ));
    lines.push(muted(header));
    let rows = (inner.height as usize).saturating_sub(notice_lines + 1);
    let offset = scroll_offset(board.scroll, rows);
    for (i, r) in board.rows.iter().enumerate().skip(offset).take(rows) {
        let head = if r.head.is_empty() {
            &r.household_id
        } else {
            &r.head
        };
        let mut text = format!(
            "{} {}",
            pad_left(&r.rank.to_string(), rank_w),
            pad_right(head, head_w)
        );
        for (name, w) in board.items.iter().zip(&widths) {
            let value = r.item(name).map(|v| v.to_string()).unwrap_or_default();
            text.push(' ');
            text.push_str(&pad_left(&value, *w));
        }
        text.push_str(&format!(
            " {} {}",
            pad_left(&r.score.to_string(), score_w),
            pad_left(&r.points.to_string(), score_w)
        ));
        let tone = if r.in_publicity {
            Theme::PLAIN
        } else {
            Theme::GOOD
        };
        lines.push(row(
            text,
            cells,
            i == board.scroll,
            model.modal.is_none(),
            tone,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}
