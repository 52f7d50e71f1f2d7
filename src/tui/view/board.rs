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
use super::super::text::{pad_left, pad_right, width, Align, Columns};
use super::theme::Theme;
use super::{muted, panel, row, scroll_offset, ItemColumns};

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
/// under the publicity window. Every column is as wide as its heading and its widest value in
/// the manager's language (`Score`/`Pts` and `得分`/`积分` alike), so nothing is cut at 80
/// columns; item names too wide for their share break over two header lines
/// ([`ItemColumns`]).
fn draw_items(model: &Model, frame: &mut Frame, inner: Rect) {
    let board = &model.board;
    let cells = inner.width as usize;
    let rank_heading = model.t("名次", "Rank");
    let head_heading = model.t("户主", "Head");
    let (score_heading, points_heading) = (model.t("得分", "Score"), model.t("积分", "Pts"));
    let widest = |heading: &str, values: &mut dyn Iterator<Item = String>| {
        values
            .map(|v| width(&v))
            .max()
            .unwrap_or(0)
            .max(width(heading))
    };
    let rank_w = widest(
        rank_heading,
        &mut board.rows.iter().map(|r| r.rank.to_string()),
    );
    let head_w = widest(
        head_heading,
        &mut board.rows.iter().map(|r| shown_head(r).to_string()),
    )
    .clamp(4, HEAD_CELLS_MAX);
    let score_w = widest(
        score_heading,
        &mut board.rows.iter().map(|r| r.score.to_string()),
    );
    let points_w = widest(
        points_heading,
        &mut board.rows.iter().map(|r| r.points.to_string()),
    );
    let value_w = board
        .rows
        .iter()
        .flat_map(|r| board.items.iter().filter_map(|name| r.item(name)))
        .map(|v| width(&v.to_string()))
        .max()
        .unwrap_or(1);
    let room = cells.saturating_sub(rank_w + 1 + head_w + 1 + score_w + 1 + points_w);
    let items = ItemColumns::new(&board.items, room, value_w);
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
    let last = items.header.len() - 1;
    for (k, part) in items.header.iter().enumerate() {
        let (rank, head, score, points) = if k == last {
            (rank_heading, head_heading, score_heading, points_heading)
        } else {
            ("", "", "", "")
        };
        lines.push(muted(format!(
            "{} {}{part} {} {}",
            pad_left(rank, rank_w),
            pad_right(head, head_w),
            pad_left(score, score_w),
            pad_left(points, points_w)
        )));
    }
    let rows = (inner.height as usize).saturating_sub(lines.len());
    let offset = scroll_offset(board.scroll, rows);
    for (i, r) in board.rows.iter().enumerate().skip(offset).take(rows) {
        let mut text = format!(
            "{} {}",
            pad_left(&r.rank.to_string(), rank_w),
            pad_right(shown_head(r), head_w)
        );
        for (name, w) in board.items.iter().zip(&items.widths) {
            let value = r.item(name).map(|v| v.to_string()).unwrap_or_default();
            text.push(' ');
            text.push_str(&pad_left(&value, *w));
        }
        text.push_str(&format!(
            " {} {}",
            pad_left(&r.score.to_string(), score_w),
            pad_left(&r.points.to_string(), points_w)
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

/// A head's name is shown whole up to this many cells (five Chinese characters: 欧阳明月光).
const HEAD_CELLS_MAX: usize = 10;

/// The name a board row goes by: the head, or the household id when none is recorded.
fn shown_head(r: &crate::report::BoardRow) -> &str {
    if r.head.is_empty() {
        &r.household_id
    } else {
        &r.head
    }
}
