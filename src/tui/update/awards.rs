//! Award confirmation and objections: the awards in publicity, those the domain says are due
//! marked (one by one, or all at once) and confirmed together after a question. While an award
//! is in publicity an objection can revoke it with a reason (`RevokeAward`), or correct it:
//! revoke it and enter the corrected score in one batch, whose new award starts its own
//! publicity (PRODUCT.md, "Publicity").

use crate::domain::event::{Event, EventBody};
use crate::domain::input::Field;
use crate::domain::state::AwardRecord;
use crate::domain::{Command, Refusal};

use super::super::keymap::{Action, Context};
use super::super::model::{Form, FormField, FormKind, Modal, Model, Question, Tone};
use super::super::msg::{Effect, Purpose, Query};
use super::{is_move, move_selection};

/// Runs an awards action.
pub(super) fn act(model: &mut Model, action: Action) {
    match action {
        a if is_move(a) => {
            move_selection(&mut model.awards.selected, model.awards.pending.len(), a)
        }
        Action::ToggleMark => toggle_mark(model),
        Action::MarkAll => {
            let due: Vec<u64> = model
                .awards
                .pending
                .iter()
                .filter(|a| model.award_due(a))
                .map(|a| a.seq)
                .collect();
            model.awards.marked.extend(due);
        }
        Action::Submit => ask_to_confirm(model),
        Action::Revoke | Action::Correct => object(model, action),
        _ => {}
    }
}

/// Opens the objection form for the highlighted award: a reason, and for a correction the
/// corrected score.
fn object(model: &mut Model, action: Action) {
    let Some(award) = model.awards.pending.get(model.awards.selected).cloned() else {
        super::say(
            model,
            Tone::Info,
            "没有公示中的评分",
            "no award is in publicity",
        );
        return;
    };
    let award = Box::new(award);
    let form = if action == Action::Revoke {
        Form::new(
            FormKind::Revoke { award },
            vec![FormField::text(Field::Reason, "")],
        )
    } else {
        Form::new(
            FormKind::Correct { award },
            vec![
                FormField::text(Field::Score, ""),
                FormField::text(Field::Reason, ""),
            ],
        )
    };
    model.modal = Some(Modal::Form(Box::new(form)));
}

/// An objection was recorded: say what happened and read the awards again.
pub(super) fn objection_committed(model: &mut Model, events: &[Event], fx: &mut Vec<Effect>) {
    model.modal = None;
    let revoked = events.iter().find_map(|e| match e.body {
        EventBody::AwardRevoked { award_seq, .. } => Some(award_seq),
        _ => None,
    });
    let entered = events.iter().find_map(|e| match &e.body {
        EventBody::ScoreEntered { score, points, .. } => Some((*score, *points)),
        _ => None,
    });
    fx.push(Effect::Load(Query::PendingAwards));
    let text = match (revoked, entered, model.lang) {
        (Some(seq), None, crate::i18n::Lang::Zh) => format!("已撤销评分 #{seq}"),
        (Some(seq), None, crate::i18n::Lang::En) => format!("award #{seq} revoked"),
        (Some(seq), Some((score, points)), crate::i18n::Lang::Zh) => {
            format!("已更正评分 #{seq}：新分数 {score}（{points} 积分）重新公示")
        }
        (Some(seq), Some((score, points)), crate::i18n::Lang::En) => format!(
            "award #{seq} corrected: the new score {score} ({points} pt) starts its publicity"
        ),
        _ => return,
    };
    model.say(Tone::Good, text);
}

/// Marks or unmarks the highlighted award; one still in publicity is refused in the domain's
/// words.
fn toggle_mark(model: &mut Model) {
    let Some(award) = model.awards.pending.get(model.awards.selected) else {
        return;
    };
    let seq = award.seq;
    if !model.award_due(award) {
        let until_ms = model.publicity_until_ms(award).unwrap_or(award.entered_ms);
        let text = Refusal::PublicityNotOver { until_ms }.message(model.lang);
        model.say(Tone::Bad, text);
    } else if !model.awards.marked.remove(&seq) {
        model.awards.marked.insert(seq);
    }
}

fn ask_to_confirm(model: &mut Model) {
    if model.awards.marked.is_empty() {
        let text = format!(
            "{}{}{}{}{}",
            model.t("先用", "mark awards with "),
            model.key(Context::Awards, Action::ToggleMark),
            model.t("选中要确认的评分（", " first ("),
            model.key(Context::Awards, Action::MarkAll),
            model.t(" 选中全部期满的）", " marks all that are due)"),
        );
        model.say(Tone::Info, text);
        return;
    }
    model.modal = Some(Modal::Confirm(Question::ConfirmAwards(
        model.awards.marked.iter().copied().collect(),
    )));
}

/// "Yes" to confirming: one `ConfirmAward` per marked award, all or none.
pub(super) fn confirm(seqs: Vec<u64>, fx: &mut Vec<Effect>) {
    let commands = seqs
        .into_iter()
        .map(|award_seq| Command::ConfirmAward { award_seq })
        .collect();
    fx.push(Effect::Commit {
        commands,
        purpose: Purpose::Awards,
    });
}

/// The awards were confirmed: their points are spendable; read the list again.
pub(super) fn committed(model: &mut Model, events: &[Event], fx: &mut Vec<Effect>) {
    model.awards.marked.clear();
    let text = format!(
        "{}{}",
        model.t("已确认评分：", "awards confirmed: "),
        events
            .iter()
            .filter(|e| matches!(e.body, EventBody::AwardConfirmed { .. }))
            .count()
    );
    model.say(Tone::Good, text);
    fx.push(Effect::Load(Query::PendingAwards));
}

/// The awards in publicity came; marks of awards no longer pending are dropped.
pub(super) fn loaded(model: &mut Model, pending: Vec<AwardRecord>) {
    model
        .awards
        .marked
        .retain(|s| pending.iter().any(|a| a.seq == *s));
    model.awards.pending = pending;
    model.awards.selected = model
        .awards
        .selected
        .min(model.awards.pending.len().saturating_sub(1));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::{Access, FormKind};
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn awards_whose_publicity_is_over_are_confirmed_together() {
        let mut m = model(Access::Till);
        let fx = named(&mut m, KeyName::F(11));
        assert_eq!(fx, vec![Effect::Load(Query::PendingAwards)]);
        update(
            &mut m,
            Msg::Loaded(Loaded::PendingAwards(vec![
                award(20, "H004", NOW - 11 * DAY),
                award(21, "H001", NOW - 3 * DAY),
            ])),
        );
        named(&mut m, KeyName::Enter);
        assert_eq!(m.modal, None, "nothing marked");
        named(&mut m, KeyName::Down);
        key(&mut m, KeyPress::char(' '));
        assert!(bad(&m).contains("公示"));
        key(&mut m, KeyPress::char('a'));
        assert_eq!(
            m.awards.marked.iter().copied().collect::<Vec<_>>(),
            vec![20]
        );
        named(&mut m, KeyName::Up);
        key(&mut m, KeyPress::char(' '));
        assert!(m.awards.marked.is_empty(), "space unmarks");
        key(&mut m, KeyPress::char(' '));
        named(&mut m, KeyName::F(5));
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::ConfirmAward { award_seq: 20 }],
                purpose: Purpose::Awards
            }]
        );
    }

    fn with_pending() -> Model {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(11));
        update(
            &mut m,
            Msg::Loaded(Loaded::PendingAwards(vec![
                award(20, "H004", NOW - 11 * DAY),
                award(21, "H001", NOW - 3 * DAY),
            ])),
        );
        named(&mut m, KeyName::Down);
        m
    }

    #[test]
    fn an_objection_revokes_an_award_with_its_reason() {
        let mut m = with_pending();
        key(&mut m, KeyPress::char('r'));
        assert!(
            matches!(&m.modal, Some(Modal::Form(f)) if matches!(&f.kind, FormKind::Revoke { award } if award.seq == 21))
        );
        assert!(named(&mut m, KeyName::Enter).is_empty());
        assert!(bad(&m).contains("原因不能为空"), "{}", bad(&m));
        typed(&mut m, "邻居反映院子没打扫");
        let fx = named(&mut m, KeyName::Enter);
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::RevokeAward {
                    award_seq: 21,
                    reason: "邻居反映院子没打扫".into()
                }],
                purpose: Purpose::Objection
            }]
        );
        let fx = update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Objection,
                result: Ok(vec![]),
            },
        );
        assert_eq!(fx, vec![Effect::Load(Query::PendingAwards)]);
        assert_eq!(m.modal, None);
    }

    #[test]
    fn a_correction_revokes_and_scores_again_in_one_batch() {
        let mut m = with_pending();
        key(&mut m, KeyPress::char('c'));
        typed(&mut m, "8.5");
        named(&mut m, KeyName::Tab);
        typed(&mut m, "加分项算错");
        assert!(named(&mut m, KeyName::F(5)).is_empty());
        assert!(bad(&m).contains("不是整数"), "{}", bad(&m));
        named(&mut m, KeyName::Tab);
        key(&mut m, KeyPress::ctrl('u'));
        typed(&mut m, "８２");
        let fx = named(&mut m, KeyName::F(5));
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![
                    Command::RevokeAward {
                        award_seq: 21,
                        reason: "加分项算错".into()
                    },
                    Command::EnterScore {
                        household_id: "H001".into(),
                        period: "2026-10".into(),
                        score: 82,
                        note: "加分项算错".into()
                    },
                ],
                purpose: Purpose::Objection
            }]
        );
        update(
            &mut m,
            Msg::Committed {
                purpose: Purpose::Objection,
                result: Err("该户 2026-10 已经评过分；如需更正请先撤销".into()),
            },
        );
        assert!(
            matches!(m.modal, Some(Modal::Form(_))),
            "a refusal keeps the form"
        );
    }

    #[test]
    fn objections_are_refused_in_monitor_mode() {
        let mut m = with_pending();
        m.access = Access::Monitor;
        for c in ['r', 'c'] {
            m.status = None;
            assert!(key(&mut m, KeyPress::char(c)).is_empty());
            assert!(bad(&m).contains("监督"));
            assert_eq!(m.modal, None);
        }
    }
}
