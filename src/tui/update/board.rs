//! The publicity board: a period's households ranked as the printed board ranks them
//! (`report::board`, by score with ties sharing a rank, the ranking eligibility counts), moving
//! between periods.

use crate::report::Board;

use super::super::keymap::Action;
use super::super::model::Model;
use super::super::msg::{Effect, Query, ReportOf};
use super::{is_move, move_selection, shift_period};

/// Runs a board action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => move_selection(&mut model.board.scroll, model.board.rows.len(), a),
        Action::PeriodPrev | Action::PeriodNext => {
            let Some(kind) = model.data.meta.as_ref().map(|m| m.policy.period) else {
                return;
            };
            let delta = if action == Action::PeriodNext { 1 } else { -1 };
            if let Some(p) = shift_period(&model.board.period, kind, delta) {
                model.board.period = p;
                model.board.scroll = 0;
                model.board.rows.clear();
                fx.push(Effect::Load(Query::Board(model.board.period.clone())));
            }
        }
        Action::SaveReport => fx.push(Effect::SaveReport {
            report: ReportOf::Board(model.board.period.clone()),
            usb_folder: model.sync.folder.value().into(),
        }),
        Action::PrintReport => fx.push(Effect::PrintReport(ReportOf::Board(
            model.board.period.clone(),
        ))),
        _ => {}
    }
}

/// A period's board came; kept if it is still the period shown.
pub(super) fn loaded(model: &mut Model, board: Board) {
    if model.board.period == board.period {
        model.board.rows = board.rows;
        model.board.items = board.items;
        model.board.publicity_days = board.publicity_days;
        model.board.posted_from = board.posted_from;
        model.board.posted_until = board.posted_until;
        model.board.scroll = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::BoardRow;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    fn row(rank: u32, id: &str, score: i64, points: i64) -> BoardRow {
        BoardRow {
            rank,
            household_id: id.into(),
            head: String::new(),
            group: String::new(),
            score,
            points,
            eligible: None,
            items: Vec::new(),
            in_publicity: false,
        }
    }

    fn board(period: &str, rows: Vec<BoardRow>) -> Board {
        Board {
            period: period.into(),
            rows,
            items: Vec::new(),
            publicity_days: 7,
            posted_from: None,
            posted_until: None,
        }
    }

    /// The ranking itself is `report::board`'s, tested against a ledger in the shell's tests.
    #[test]
    fn board_shows_the_periods_ranking_and_moves_between_periods() {
        let mut m = model(Access::Till);
        let fx = named(&mut m, KeyName::F(12));
        assert_eq!(
            fx,
            vec![
                Effect::Load(Query::Board("2026-10".into())),
                Effect::Load(Query::PendingAwards)
            ],
            "the board and what is still in publicity"
        );
        let ranked = vec![row(1, "H004", 92, 60), row(2, "H001", 91, 55)];
        update(
            &mut m,
            Msg::Loaded(Loaded::Board(Box::new(board("2026-09", ranked.clone())))),
        );
        assert!(m.board.rows.is_empty(), "another period's board is dropped");
        update(
            &mut m,
            Msg::Loaded(Loaded::Board(Box::new(board("2026-10", ranked)))),
        );
        let order: Vec<&str> = m
            .board
            .rows
            .iter()
            .map(|r| r.household_id.as_str())
            .collect();
        assert_eq!(order, vec!["H004", "H001"]);
        let fx = named(&mut m, KeyName::Left);
        assert_eq!(fx, vec![Effect::Load(Query::Board("2026-09".into()))]);
        assert_eq!(
            key(&mut m, KeyPress::char('s')),
            vec![Effect::SaveReport {
                report: ReportOf::Board("2026-09".into()),
                usb_folder: "/media/usb".into(),
            }]
        );
        assert_eq!(
            key(&mut m, KeyPress::char('t')),
            vec![Effect::PrintReport(ReportOf::Board("2026-09".into()))]
        );
    }
}
