//! The score grid: one row per household for one period, the committee's scores typed in and
//! previewed as the domain would take them ([`Model::score_preview`]), then committed as one
//! batch of `EnterScore` commands after a question. Where the policy has a score sheet
//! (评分细则) the row takes one score per item instead (Tab moves between the items) and commits
//! `EnterItemScores`. The period moves only when nothing typed would be lost.

use crate::domain::event::{Event, EventBody};
use crate::domain::state::PeriodTally;

use super::super::keymap::{Action, Context};
use super::super::model::{Modal, Model, Question, ScorePreview, Tone};
use super::super::msg::{Effect, Purpose, Query};
use super::{input, is_move, move_selection, say, shift_period};

/// Runs a score-grid action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            move_selection(&mut model.scores.selected, model.data.households.len(), a)
        }
        Action::ClearInput => {
            // With a score sheet the key clears the whole row, as it says.
            let id = model
                .data
                .households
                .get(model.scores.selected)
                .map(|h| h.household_id.to_string());
            if let Some(row) = id.and_then(|id| model.scores.item_entries.get_mut(&id)) {
                row.iter_mut().for_each(|input| input.clear());
            } else if let Some(input) = input::active_input(model) {
                input.clear();
            }
        }
        Action::FieldNext | Action::FieldPrev => {
            let Some(count) = model.score_items().map(|s| s.items.len()) else {
                return;
            };
            let item = model.scores.item;
            model.scores.item = if action == Action::FieldNext {
                (item + 1) % count.max(1)
            } else {
                (item + count.max(1) - 1) % count.max(1)
            };
        }
        Action::PeriodPrev | Action::PeriodNext => change_period(model, action, fx),
        Action::Submit => ask_to_commit(model),
        _ => {}
    }
}

fn change_period(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let typed = model.scores.entries.values().any(|i| !i.value().is_empty())
        || model
            .scores
            .item_entries
            .values()
            .flatten()
            .any(|i| !i.value().is_empty());
    if typed {
        let text = model.key_sentence(
            (
                "本期还有未提交的分数：先提交（",
                "this period has scores not yet committed: commit (",
            ),
            Context::Scores,
            Action::Submit,
            ("）或逐户清空", ") or clear them first"),
        );
        model.say(Tone::Bad, text);
        return;
    }
    let Some(kind) = model.data.meta.as_ref().map(|m| m.policy.period) else {
        return;
    };
    let delta = if action == Action::PeriodNext { 1 } else { -1 };
    if let Some(p) = shift_period(&model.scores.period, kind, delta) {
        model.scores.period = p;
        model.scores.existing.clear();
        fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
    }
}

/// Asks before committing, once every typed score is one the domain would take.
fn ask_to_commit(model: &mut Model) {
    let mut count = 0;
    for i in 0..model.data.households.len() {
        match model.score_preview(i) {
            ScorePreview::Empty => {}
            ScorePreview::Points(_) | ScorePreview::Items { .. } => count += 1,
            ScorePreview::NotNumber(_) | ScorePreview::Refused(_) => {
                model.scores.selected = i;
                let why = match model.score_preview(i) {
                    ScorePreview::NotNumber(e) => e.message(model.lang),
                    ScorePreview::Refused(r) => r.message(model.lang),
                    _ => String::new(),
                };
                let text = format!(
                    "{}{why}",
                    model.t(
                        "有一户的分数不能提交，改正或清空后再提交：",
                        "a score cannot be committed; fix or clear it first: "
                    )
                );
                model.say(Tone::Bad, text);
                return;
            }
        }
    }
    if count == 0 {
        say(
            model,
            Tone::Info,
            "还没有录入任何分数",
            "no scores typed yet",
        );
        return;
    }
    model.modal = Some(Modal::Confirm(Question::CommitScores));
}

/// "Yes" to committing: one `EnterScore` per typed score (`EnterItemScores` per typed row of
/// items), all or none.
pub(super) fn commit(model: &Model, fx: &mut Vec<Effect>) {
    let commands = model.score_commands();
    if !commands.is_empty() {
        fx.push(Effect::Commit {
            commands,
            purpose: Purpose::Scores,
        });
    }
}

/// The scores were entered: clear the grid and read the period's tallies again.
pub(super) fn committed(model: &mut Model, events: &[Event], fx: &mut Vec<Effect>) {
    model.scores.entries.clear();
    model.scores.item_entries.clear();
    let text = format!(
        "{}{}",
        model.t(
            "已录入评分，公示后确认生效：",
            "scores entered, to be confirmed after publicity: "
        ),
        events
            .iter()
            .filter(|e| matches!(
                e.body,
                EventBody::ScoreEntered { .. } | EventBody::ItemScoresEntered { .. }
            ))
            .count()
    );
    model.say(Tone::Good, text);
    fx.push(Effect::Load(Query::Tallies(model.scores.period.clone())));
}

/// A period's tallies came: the grid's "had" column and the previews use them.
pub(super) fn loaded(model: &mut Model, period: &str, tallies: Vec<(String, PeriodTally)>) {
    if model.scores.period == period {
        model.scores.existing = tallies.into_iter().collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Command, Refusal};
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn score_grid_previews_points_checks_and_commits_one_batch() {
        let mut m = model(Access::Till);
        let fx = named(&mut m, KeyName::F(7));
        assert_eq!(fx, vec![Effect::Load(Query::Tallies("2026-10".into()))]);
        update(
            &mut m,
            Msg::Loaded(Loaded::Tallies {
                period: "2026-10".into(),
                tallies: vec![(
                    "H004".into(),
                    PeriodTally {
                        points: 15,
                        score: 83,
                        entries: 1,
                    },
                )],
            }),
        );
        typed(&mut m, "91");
        assert_eq!(m.score_preview(0), ScorePreview::Points(55));
        named(&mut m, KeyName::Enter);
        typed(&mut m, "150");
        assert!(matches!(
            m.score_preview(1),
            ScorePreview::Refused(Refusal::ScoreOutOfRange { .. })
        ));
        named(&mut m, KeyName::F(5));
        bad(&m);
        assert_eq!(m.scores.selected, 1, "the bad row is highlighted");
        key(&mut m, KeyPress::ctrl('u'));
        named(&mut m, KeyName::Down);
        named(&mut m, KeyName::Down);
        typed(&mut m, "88");
        assert!(matches!(
            m.score_preview(3),
            ScorePreview::Refused(Refusal::AlreadyScored { .. })
        ));
        key(&mut m, KeyPress::ctrl('u'));
        named(&mut m, KeyName::Right);
        bad(&m);
        assert_eq!(
            m.scores.period, "2026-10",
            "the period does not change with scores typed"
        );
        let fx = named(&mut m, KeyName::F(5));
        assert!(fx.is_empty());
        assert_eq!(m.modal, Some(Modal::Confirm(Question::CommitScores)));
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::EnterScore {
                    household_id: "H001".into(),
                    period: "2026-10".into(),
                    score: 91,
                    note: String::new()
                }],
                purpose: Purpose::Scores,
            }]
        );
    }
}
