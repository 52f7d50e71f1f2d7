//! The popups that are not a screen's own form: the read-only ones (key help, a household's
//! file, the receipt) scroll and close, and a yes/no question hands its "yes" to the screen
//! that asked it.

use super::super::keymap::{Action, Context};
use super::super::model::{History, Leave, Modal, Model, Question, Tone};
use super::super::msg::{ClockIssue, Effect, Purpose, Retry};
use super::{awards, day, global, scores, till, PAGE_ROWS};
use crate::domain::time::CivilDate;
use crate::domain::Command;
use crate::i18n::Lang;

/// The furthest a read-only popup scrolls, in lines.
const POPUP_SCROLL_MAX: usize = 500;

/// Help, details or receipt: scroll, or close with either answer.
pub(super) fn scroll_or_close(model: &mut Model, action: Action) {
    let Some(modal) = &mut model.modal else {
        return;
    };
    let scroll = match modal {
        Modal::Help { scroll } | Modal::Details { scroll, .. } | Modal::Receipt { scroll, .. } => {
            scroll
        }
        _ => return,
    };
    match action {
        Action::Cancel | Action::Confirm => model.modal = None,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::Down => *scroll = (*scroll + 1).min(POPUP_SCROLL_MAX),
        Action::PageUp => *scroll = scroll.saturating_sub(PAGE_ROWS),
        Action::PageDown => *scroll = (*scroll + PAGE_ROWS).min(POPUP_SCROLL_MAX),
        _ => {}
    }
}

/// A yes/no question: "no" closes it, "yes" does what it asked.
pub(super) fn confirm(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Confirm(question)) = model.modal.take() else {
        return;
    };
    if action != Action::Confirm {
        model.modal = match (action, question) {
            // "No" to closing a filled form: back to the form as it was.
            (Action::Cancel, Question::Discard(Leave::Form(form))) => Some(Modal::Form(form)),
            // "No" to quitting from a popup: back to the popup.
            (Action::Cancel, Question::Quit(back) | Question::Discard(Leave::Quit(back))) => {
                back.map(|modal| *modal)
            }
            // "No" to switching households: the cart and its household stay.
            (Action::Cancel, Question::SwitchHousehold(_)) => {
                till::keep_household(model);
                None
            }
            (Action::Cancel, Question::Clock { clock, .. }) => {
                clock_declined(model, &clock);
                None
            }
            (Action::Cancel, _) => None,
            (_, question) => Some(Modal::Confirm(question)),
        };
        return;
    }
    match question {
        Question::Quit(_) => {
            model.quitting = true;
            fx.push(Effect::Quit);
        }
        Question::CloseDay(_) => day::close(fx),
        Question::ClearYear(sheet) => day::clear_year(sheet.preview.year, fx),
        Question::Clock { clock, retry } => fx.extend(clock_answered(model, clock, retry)),
        Question::ConfirmAwards(seqs) => awards::confirm(seqs, fx),
        Question::CommitScores => scores::commit(model, fx),
        Question::Enroll(enrollment) => fx.push(Effect::Commit {
            commands: vec![enrollment.command],
            purpose: Purpose::Enroll,
        }),
        Question::Discard(Leave::Form(_)) => {}
        Question::SwitchHousehold(household_id) => till::switch_household(model, household_id),
        Question::Discard(Leave::Screen(action)) => {
            model.drop_screen_work();
            global::run(model, action, fx);
        }
        Question::Discard(Leave::Quit(_)) => {
            model.quitting = true;
            fx.push(Effect::Quit);
        }
    }
}

/// "No" to a clock question: nothing was recorded; say so, and the two ways on — set the
/// computer's clock and do it again, or, if the clock was right after all, do it again and
/// answer yes.
fn clock_declined(model: &mut Model, clock: &ClockIssue) {
    let yes = model.key(Context::Confirm, Action::Confirm);
    let text = match (clock, model.lang) {
        (ClockIssue::Unconfirmed { .. }, Lang::Zh) => format!(
            "没有记账。请先校准电脑的日期再重做；日期其实是对的，就重做一次，问到时按 {yes} 确认"
        ),
        (ClockIssue::Unconfirmed { .. }, Lang::En) => format!(
            "nothing recorded. Set the computer's date, then do it again; if the date was right, do it again and press {yes} when asked"
        ),
        (ClockIssue::Behind { .. }, Lang::Zh) => format!(
            "没有记账。请先校准电脑时钟再重做；时钟现在是准的（之前偏快），就重做一次，问到时按 {yes} 登记时钟更正"
        ),
        (ClockIssue::Behind { .. }, Lang::En) => format!(
            "nothing recorded. Set the computer's clock, then do it again; if it is right now (it was fast before), do it again and press {yes} when asked to record a clock correction"
        ),
    };
    model.say(Tone::Info, text);
}

/// "Yes" to a clock question: run the refused write again with the date confirmed, or after
/// recording that the clock was fast (a commit in the same transaction as the correction; an
/// import right after it).
fn clock_answered(model: &Model, clock: ClockIssue, retry: Retry) -> Vec<Effect> {
    let correction = || Command::CorrectClock {
        reason: model
            .t(
                "电脑时钟偏快，已校准",
                "the computer clock was fast; set right",
            )
            .to_string(),
    };
    match (clock, retry) {
        (ClockIssue::Unconfirmed { now_ms, .. }, Retry::Commit { commands, purpose }) => {
            vec![Effect::CommitConfirmed {
                commands,
                purpose,
                date: CivilDate::from_utc_ms(now_ms),
            }]
        }
        (ClockIssue::Unconfirmed { now_ms, .. }, Retry::Import { folder }) => {
            vec![Effect::ImportConfirmed {
                folder,
                date: CivilDate::from_utc_ms(now_ms),
            }]
        }
        (ClockIssue::Behind { .. }, Retry::Commit { commands, purpose }) => {
            let mut all = vec![correction()];
            all.extend(commands);
            vec![Effect::Commit {
                commands: all,
                purpose,
            }]
        }
        (ClockIssue::Behind { .. }, Retry::Import { folder }) => vec![
            Effect::Commit {
                commands: vec![correction()],
                purpose: Purpose::ClockCorrected,
            },
            Effect::Import { folder },
        ],
    }
}

/// A household's history came: it fills the details popup if that household's is still open.
pub(super) fn on_history(model: &mut Model, household_id: &str, history: History) {
    if let Some(Modal::Details {
        household_id: shown,
        history: slot,
        ..
    }) = &mut model.modal
    {
        if shown == household_id {
            *slot = Some(history);
        }
    }
}
