//! Keys from anywhere: a storm of keys never panics and every frame size draws; periods move
//! by their kind.

use super::*;
use crate::tui::keymap::KeyName;
use crate::tui::model::Access;
use crate::tui::testing::*;

/// A deterministic storm of keys (including control and wide characters) never panics, and
/// every frame size draws.
#[test]
fn nothing_typed_can_panic() {
    let alphabet: Vec<KeyPress> = {
        let mut v: Vec<KeyPress> = "az09 +-=.张\u{7}\u{0}"
            .chars()
            .map(KeyPress::char)
            .collect();
        for n in 1..=12 {
            v.push(KeyPress::plain(KeyName::F(n)));
        }
        for k in [
            KeyName::Enter,
            KeyName::Esc,
            KeyName::Tab,
            KeyName::BackTab,
            KeyName::Backspace,
            KeyName::Delete,
            KeyName::Up,
            KeyName::Down,
            KeyName::Left,
            KeyName::Right,
            KeyName::PageUp,
            KeyName::PageDown,
            KeyName::Home,
        ] {
            v.push(KeyPress::plain(k));
        }
        for c in "aefgklnoprtuvwxsz".chars() {
            v.push(KeyPress::ctrl(c));
        }
        v
    };
    let mut seed: u64 = 0x2026_1121;
    let mut m = model(Access::Till);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .unwrap_or_else(|e| panic!("{e}"));
    for step in 0..20_000u64 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let k = alphabet[(seed % alphabet.len() as u64) as usize];
        if k == KeyPress::plain(KeyName::F(10)) || k == KeyPress::ctrl('q') {
            continue;
        }
        let fx = update(
            &mut m,
            Msg::Key {
                key: k,
                at_ms: step * 7,
            },
        );
        for e in fx {
            if let Effect::Commit { purpose, .. } = e {
                update(
                    &mut m,
                    Msg::Committed {
                        purpose,
                        result: Err("refused".into()),
                    },
                );
            }
        }
        if step % 97 == 0 {
            let size = [(80, 24), (79, 23), (120, 40), (1, 1), (200, 60)][(step / 97 % 5) as usize];
            terminal.backend_mut().resize(size.0, size.1);
            terminal
                .draw(|f| crate::tui::view::view(&m, f))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn periods_move_by_their_kind() {
    assert_eq!(
        shift_period("2026-01", PeriodKind::Month, -1).as_deref(),
        Some("2025-12")
    );
    assert_eq!(
        shift_period("2026-12", PeriodKind::Month, 1).as_deref(),
        Some("2027-01")
    );
    assert_eq!(
        shift_period("2026-Q1", PeriodKind::Quarter, -1).as_deref(),
        Some("2025-Q4")
    );
    assert_eq!(
        shift_period("2026-03-01", PeriodKind::Day, -1).as_deref(),
        Some("2026-02-28")
    );
    assert_eq!(shift_period("junk", PeriodKind::Month, 1), None);
}

#[test]
fn no_to_a_clock_question_says_nothing_was_recorded_and_the_two_ways_on() {
    use crate::tui::keymap::KeyPress;
    use crate::tui::msg::{ClockIssue, Retry};
    let retry = || Retry::Commit {
        commands: vec![],
        purpose: Purpose::Sale,
    };
    for (clock, words) in [
        (
            ClockIssue::Unconfirmed {
                now_ms: NOW + 40 * DAY,
                last_ms: Some(NOW),
            },
            "校准电脑的日期",
        ),
        (
            ClockIssue::Behind {
                now_ms: NOW - 2 * DAY,
                last_ms: NOW,
            },
            "登记时钟更正",
        ),
    ] {
        let mut m = model(Access::Till);
        update(
            &mut m,
            Msg::ClockRefused {
                clock,
                retry: retry(),
            },
        );
        let fx = key(&mut m, KeyPress::char('n'));
        assert!(fx.is_empty(), "{fx:?}");
        assert_eq!(m.modal, None);
        let said = m
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(
            said.contains("没有记账") && said.contains(words) && said.contains("重做"),
            "{said}"
        );
    }
}
