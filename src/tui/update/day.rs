//! The day log (F8 in the shipped keymap): a day's events in the words of `aixin log` and its
//! X/Z totals, moving between days up to today, and closing a day (Z) after a question.

use crate::domain::refusal::Refusal;
use crate::domain::time::PeriodKind;
use crate::domain::Command;
use crate::report::DayReport;

use super::super::keymap::Action;
use super::super::model::{Modal, Model, Question, Tone};
use super::super::msg::{Effect, Purpose, Query};
use super::{is_move, move_selection, shift_period};

/// Runs a day-log action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let rows = model.day.rows();
            move_selection(&mut model.day.scroll, rows, a);
        }
        Action::DayPrev | Action::DayNext => {
            let delta = if action == Action::DayNext { 1 } else { -1 };
            let today = model.today().to_string();
            if let Some(date) = shift_period(&model.day.date, PeriodKind::Day, delta) {
                if date <= today {
                    model.day.date = date;
                    model.day.scroll = 0;
                    fx.push(Effect::Load(Query::Day(model.day.date.clone())));
                }
            }
        }
        Action::CloseDay => {
            if model.day.closed() {
                let text = Refusal::DayAlreadyClosed(model.day.date.clone()).message(model.lang);
                model.say(Tone::Bad, text);
                return;
            }
            model.modal = Some(Modal::Confirm(Question::CloseDay(model.day.date.clone())));
        }
        _ => {}
    }
}

/// "Yes" to closing the day.
pub(super) fn close(date: String, fx: &mut Vec<Effect>) {
    fx.push(Effect::Commit {
        commands: vec![Command::CloseDay { date }],
        purpose: Purpose::CloseDay,
    });
}

/// The day was closed: its Z totals are frozen; read it again.
pub(super) fn committed(model: &mut Model, fx: &mut Vec<Effect>) {
    let text = format!(
        "{}{}",
        model.day.date,
        model.t(" 已日结（Z）", " closed (Z)")
    );
    model.say(Tone::Good, text);
    fx.push(Effect::Load(Query::Day(model.day.date.clone())));
}

/// A day's log came; kept if it is still the day shown.
pub(super) fn loaded(model: &mut Model, date: &str, report: DayReport) {
    if model.day.date == date {
        model.day.report = Some(report);
        model.day.scroll = model.day.scroll.min(model.day.rows().saturating_sub(1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::DayTotals;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn day_log_moves_between_days_and_closes_with_a_question() {
        let mut m = model(Access::Till);
        let fx = named(&mut m, KeyName::F(8));
        assert_eq!(fx, vec![Effect::Load(Query::Day("2026-11-21".into()))]);
        assert!(
            named(&mut m, KeyName::Right).is_empty(),
            "no days after today"
        );
        let fx = named(&mut m, KeyName::Left);
        assert_eq!(fx, vec![Effect::Load(Query::Day("2026-11-20".into()))]);
        named(&mut m, KeyName::Right);
        key(&mut m, KeyPress::char('z'));
        assert_eq!(
            m.modal,
            Some(Modal::Confirm(Question::CloseDay("2026-11-21".into())))
        );
        assert!(key(&mut m, KeyPress::char('n')).is_empty());
        assert_eq!(m.modal, None);
        key(&mut m, KeyPress::char('z'));
        let fx = key(&mut m, KeyPress::char('y'));
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::CloseDay {
                    date: "2026-11-21".into()
                }],
                purpose: Purpose::CloseDay
            }]
        );
        let closed = DayReport {
            date: "2026-11-21".into(),
            station_id: "LJC01".into(),
            totals: DayTotals::default(),
            closed: Some(DayTotals::default()),
            lines: vec![],
        };
        update(
            &mut m,
            Msg::Loaded(Loaded::Day {
                date: "2026-11-21".into(),
                report: Box::new(closed),
            }),
        );
        key(&mut m, KeyPress::char('z'));
        assert!(bad(&m).contains("已经日结"));
    }
}
