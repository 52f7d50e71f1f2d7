//! The day screen (F8 in the shipped keymap): the open till session's log and running totals
//! (the X report) as it stands, and the closed sessions' Z reports before it, in the words of
//! `aixin log`; closing the session (日结, Z) after a question; and the highlighted sale's or
//! void's receipt printed again, marked 重印 / REPRINT. A till session, not a calendar day, is
//! what a close closes: a close at 00:11 still closes the evening's sales.

use crate::domain::Command;
use crate::receipt::Print;
use crate::report::SessionReport;

use super::super::keymap::Action;
use super::super::model::{Modal, Model, Question, Tone};
use super::super::msg::{Effect, Purpose, Query, ReportOf};
use super::{is_move, move_selection};

/// Runs a day-screen action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let rows = model.day.rows();
            move_selection(&mut model.day.scroll, rows, a);
        }
        Action::DayPrev | Action::DayNext => {
            let Some(report) = &model.day.report else {
                return;
            };
            let shown = report.session_no;
            let open_no = model
                .data
                .meta
                .as_ref()
                .map_or(shown, |m| m.session.session_no);
            let target = match action {
                Action::DayPrev if shown > 1 => Some(shown - 1),
                Action::DayNext if shown + 1 < open_no => Some(shown + 1),
                Action::DayNext if shown + 1 == open_no => None,
                _ => return,
            };
            model.day.session = target;
            model.day.scroll = 0;
            fx.push(Effect::Load(Query::Session(target)));
        }
        Action::CloseYear => {
            // The domain's preview first: refusals (policy never clears, awards in publicity,
            // already cleared) come back as the screen's status, the figures as a question.
            fx.push(Effect::Load(Query::YearEnd(model.today().year - 1)));
        }
        Action::CloseDay => {
            let Some(report) = model.day.report.as_ref().filter(|_| model.day.is_open()) else {
                let text = model.t(
                    "这里显示的是已日结的班次；回到当前班次再日结",
                    "this session is already closed; go to the open session to close it",
                );
                let text = text.to_string();
                model.say(Tone::Bad, text);
                return;
            };
            // The domain refuses an empty session; the question is asked only when it is not.
            model.modal = Some(Modal::Confirm(Question::CloseDay(report.session_no)));
        }
        Action::Reprint => reprint(model, fx),
        Action::SaveReport => fx.push(Effect::SaveReport {
            report: ReportOf::Session(shown_session(model)),
            usb_folder: model.sync.folder.value().into(),
        }),
        Action::PrintReport => {
            fx.push(Effect::PrintReport(ReportOf::Session(shown_session(model))))
        }
        _ => {}
    }
}

/// The session on screen: `None` for the open one (X), else its Z number.
fn shown_session(model: &Model) -> Option<u64> {
    match &model.day.report {
        Some(report) if report.closed_ms.is_some() => Some(report.session_no),
        _ => None,
    }
}

/// The highlighted line's receipt, again, marked 重印 / REPRINT. Whether the line has a
/// receipt (a sale or a void) is the ledger's to answer.
fn reprint(model: &mut Model, fx: &mut Vec<Effect>) {
    let line = model
        .day
        .report
        .as_ref()
        .and_then(|r| r.lines.get(model.day.scroll));
    match line {
        Some(line) => fx.push(Effect::PrintReceipt {
            seq: line.seq,
            print: Print::Reprint,
        }),
        None => {
            let text = model.t(
                "本班次还没有记录，没有小票可重印",
                "nothing recorded in this session: no receipt to reprint",
            );
            let text = text.to_string();
            model.say(Tone::Bad, text);
        }
    }
}

/// "Yes" to closing the session.
pub(super) fn close(fx: &mut Vec<Effect>) {
    fx.push(Effect::Commit {
        commands: vec![Command::CloseSession],
        purpose: Purpose::CloseDay,
    });
}

/// "Yes" to the year-end preview.
pub(super) fn clear_year(year: i32, fx: &mut Vec<Effect>) {
    fx.push(Effect::Commit {
        commands: vec![Command::ClearYear { year }],
        purpose: Purpose::ClearYear,
    });
}

/// The year was cleared: say how much, as recorded.
pub(super) fn year_cleared(model: &mut Model, events: &[crate::domain::Event]) {
    let cleared = events.iter().find_map(|e| match &e.body {
        crate::domain::EventBody::YearCleared { year, cleared } => Some((
            *year,
            cleared.len(),
            cleared.iter().map(|(_, p)| p).sum::<i64>(),
        )),
        _ => None,
    });
    if let Some((year, households, points)) = cleared {
        let text = match model.lang {
            crate::i18n::Lang::Zh => format!("{year} 年清零完成：{households} 户，共 {points} 分"),
            crate::i18n::Lang::En => {
                format!("{year} cleared: {households} households, {points} points")
            }
        };
        model.say(Tone::Good, text);
    }
}

/// The session was closed: show its Z report, frozen, ready to print.
pub(super) fn committed(model: &mut Model, fx: &mut Vec<Effect>) {
    let closed = model.day.report.as_ref().map_or(0, |r| r.session_no);
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("Z{closed} 已日结；新班次已开始"),
        crate::i18n::Lang::En => format!("Z{closed} closed; a new session is open"),
    };
    model.say(Tone::Good, text);
    model.day.session = Some(closed);
    fx.push(Effect::Load(Query::Session(Some(closed))));
}

/// A session's report came; kept if it is still the session shown.
pub(super) fn loaded(model: &mut Model, asked: Option<u64>, report: SessionReport) {
    if model.day.session == asked {
        let open = report.closed_ms.is_none();
        model.day.report = Some(report);
        let last = model.day.rows().saturating_sub(1);
        // The open session shows its latest events, as they happen.
        model.day.scroll = if open {
            last
        } else {
            model.day.scroll.min(last)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::SessionTotals;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::Access;
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::testing::*;
    use crate::tui::update::update;

    fn session(no: u64, closed: bool) -> SessionReport {
        SessionReport {
            station_id: "LJC01".into(),
            session_no: no,
            closed_ms: closed.then_some(1),
            first_ms: 0,
            first_seq: 0,
            last_seq: 0,
            totals: SessionTotals {
                sales: 2,
                points_spent: 40,
                ..SessionTotals::default()
            },
            lines: vec![],
        }
    }

    fn loaded_msg(asked: Option<u64>, report: SessionReport) -> Msg {
        Msg::Loaded(Loaded::Session {
            asked,
            report: Box::new(report),
        })
    }

    #[test]
    fn the_day_screen_shows_the_open_session_and_closes_it_with_a_question() {
        let mut m = model(Access::Till);
        if let Some(meta) = m.data.meta.as_mut() {
            meta.session.session_no = 3;
        }
        let fx = named(&mut m, KeyName::F(8));
        assert_eq!(fx, vec![Effect::Load(Query::Session(None))]);
        update(&mut m, loaded_msg(None, session(3, false)));
        assert!(
            named(&mut m, KeyName::Right).is_empty(),
            "nothing after the open session"
        );
        key(&mut m, KeyPress::char('z'));
        assert_eq!(m.modal, Some(Modal::Confirm(Question::CloseDay(3))));
        assert!(key(&mut m, KeyPress::char('n')).is_empty());
        assert_eq!(m.modal, None);
        key(&mut m, KeyPress::char('z'));
        let fx = key(&mut m, KeyPress::char('y'));
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![Command::CloseSession],
                purpose: Purpose::CloseDay
            }]
        );
        // Earlier sessions are their Z reports; they cannot be closed again.
        let fx = named(&mut m, KeyName::Left);
        assert_eq!(fx, vec![Effect::Load(Query::Session(Some(2)))]);
        update(&mut m, loaded_msg(Some(2), session(2, true)));
        key(&mut m, KeyPress::char('z'));
        assert_eq!(m.modal, None);
        assert!(bad(&m).contains("已日结"));
        let fx = named(&mut m, KeyName::Right);
        assert_eq!(fx, vec![Effect::Load(Query::Session(None))]);
    }

    /// F8's `s` saves and `t` prints the session on screen: the open one as X, a closed one as
    /// its Z; both are reads, so the monitor may use them too. Where it went (or why not) comes
    /// back as the status line.
    #[test]
    fn the_day_screen_saves_and_prints_the_session_on_screen_even_for_the_monitor() {
        for access in [Access::Till, Access::Monitor] {
            let mut m = model(access);
            named(&mut m, KeyName::F(8));
            update(&mut m, loaded_msg(None, session(3, false)));
            assert_eq!(
                key(&mut m, KeyPress::char('s')),
                vec![Effect::SaveReport {
                    report: ReportOf::Session(None),
                    usb_folder: "/media/usb".into(),
                }],
                "{access:?}: the open session is the X report"
            );
            assert_eq!(
                key(&mut m, KeyPress::char('t')),
                vec![Effect::PrintReport(ReportOf::Session(None))]
            );
            named(&mut m, KeyName::Left);
            update(&mut m, loaded_msg(Some(2), session(2, true)));
            assert_eq!(
                key(&mut m, KeyPress::char('s')),
                vec![Effect::SaveReport {
                    report: ReportOf::Session(Some(2)),
                    usb_folder: "/media/usb".into(),
                }],
                "{access:?}: a closed session is its Z report"
            );
            assert_eq!(
                key(&mut m, KeyPress::char('t')),
                vec![Effect::PrintReport(ReportOf::Session(Some(2)))]
            );
            update(
                &mut m,
                Msg::ReportOut {
                    result: Ok("已保存 A4 报表：/media/usb/LJC01-Z2.xlsx".into()),
                },
            );
            assert!(
                matches!(&m.status, Some(s) if s.tone == Tone::Good && s.text.contains("LJC01-Z2.xlsx"))
            );
            update(
                &mut m,
                Msg::ReportOut {
                    result: Err("打印机没有响应".into()),
                },
            );
            assert_eq!(bad(&m), "打印机没有响应");
        }
    }

    #[test]
    fn the_reprint_key_prints_the_highlighted_lines_receipt_again() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(8));
        assert!(key(&mut m, KeyPress::char('p')).is_empty());
        assert!(bad(&m).contains("没有小票"));
        let line = |seq: u64, kind: &str| crate::report::LogLine {
            seq,
            time_local: "2026-11-21 09:30".into(),
            operator: "管理员".into(),
            kind: kind.into(),
            summary_zh: String::new(),
            summary_en: String::new(),
            fast_clock: false,
        };
        let mut report = session(1, false);
        report.lines = vec![line(7, "redeemed"), line(9, "sale_voided")];
        update(&mut m, loaded_msg(None, report));
        let reprint = |seq| {
            vec![Effect::PrintReceipt {
                seq,
                print: Print::Reprint,
            }]
        };
        assert_eq!(
            key(&mut m, KeyPress::char('p')),
            reprint(9),
            "the latest line"
        );
        named(&mut m, KeyName::Up);
        assert_eq!(key(&mut m, KeyPress::char('p')), reprint(7));
    }

    #[test]
    fn home_and_end_go_to_a_long_z_reports_first_and_last_rows() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(8));
        let mut report = session(1, true);
        report.lines = (1..=385)
            .map(|seq| crate::report::LogLine {
                seq,
                time_local: "2026-11-21 09:30".into(),
                operator: "管理员".into(),
                kind: "redeemed".into(),
                summary_zh: String::new(),
                summary_en: String::new(),
                fast_clock: false,
            })
            .collect();
        update(&mut m, loaded_msg(None, report));
        assert_eq!(m.day.scroll, 0, "a closed session opens at its first row");
        named(&mut m, KeyName::End);
        assert_eq!(m.day.scroll, 384);
        named(&mut m, KeyName::Home);
        assert_eq!(m.day.scroll, 0);
    }

    #[test]
    fn a_receipt_printed_after_a_refusal_clears_the_refusal() {
        let mut m = model(Access::Till);
        named(&mut m, KeyName::F(8));
        update(
            &mut m,
            Msg::ReceiptPrinted {
                text: String::new(),
                result: Err("第 3 条记录不是兑换或作废，没有小票".into()),
            },
        );
        assert!(bad(&m).contains("没有小票"));
        update(
            &mut m,
            Msg::ReceiptPrinted {
                text: "小票".into(),
                result: Ok("receipts/R000007-reprint.txt".into()),
            },
        );
        assert!(m.status.is_none(), "{:?}", m.status);
        assert!(matches!(m.modal, Some(Modal::Receipt { .. })));
    }
}
