//! The USB sync screen: the folder on the stick, export and import (both refused in monitor
//! mode at dispatch), and the report of what they did and of the sync state, scrolled within
//! the report's own rows.

use std::path::PathBuf;

use super::super::keymap::Action;
use super::super::model::{Model, SyncLine, SyncState, Tone};
use super::super::msg::{Effect, Query, SyncDirection};
use super::super::sync_report::sync_scroll_max;
use super::{is_move, move_selection, say};

/// Runs a sync-screen action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let last = sync_scroll_max(model);
            move_selection(&mut model.sync.scroll, last + 1, a);
        }
        Action::ClearInput => model.sync.folder.clear(),
        Action::Backup => super::backup::open(model),
        Action::Export | Action::Import => {
            let folder = model.sync.folder.value();
            if folder.is_empty() {
                say(
                    model,
                    Tone::Bad,
                    "先输入U盘上的文件夹，例如 /media/usb",
                    "type the folder on the USB stick first, e.g. /media/usb",
                );
                return;
            }
            let folder = PathBuf::from(folder);
            fx.push(if action == Action::Export {
                Effect::Export { folder }
            } else {
                Effect::Import { folder }
            });
        }
        _ => {}
    }
}

/// An export or import finished: its lines go into the report, and the state is read again.
pub(super) fn on_synced(
    model: &mut Model,
    direction: SyncDirection,
    result: Result<Vec<SyncLine>, String>,
    fx: &mut Vec<Effect>,
) {
    model.sync.scroll = 0;
    match result {
        Ok(lines) => {
            let said = match direction {
                SyncDirection::Export => lines.last().map(|l| l.text.clone()).unwrap_or_default(),
                SyncDirection::Import => {
                    let files = lines.iter().filter(|l| !l.text.starts_with(' ')).count();
                    format!(
                        "{}{files}{}",
                        model.t("已处理 ", ""),
                        model.t(" 个数据包，结果见下", " bundles processed; see below")
                    )
                }
            };
            let tone = if lines.iter().any(|l| l.tone == Tone::Bad) {
                Tone::Bad
            } else {
                Tone::Good
            };
            model.sync.outcome = lines;
            model.say(tone, said);
            if direction == SyncDirection::Import {
                model.refresh_lists();
            }
        }
        Err(message) => {
            model.sync.outcome = vec![SyncLine {
                tone: Tone::Bad,
                text: message.clone(),
            }];
            model.say(Tone::Bad, message);
        }
    }
    fx.push(Effect::Load(Query::Sync));
}

/// The sync state came.
pub(super) fn loaded(model: &mut Model, state: Box<SyncState>) {
    model.sync.state = Some(state);
    model.sync.scroll = model.sync.scroll.min(sync_scroll_max(model));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::keymap::{KeyName, KeyPress};
    use crate::tui::model::{Access, Screen, USB_FOLDER_DEFAULT};
    use crate::tui::msg::{Loaded, Msg};
    use crate::tui::sync_report::sync_report;
    use crate::tui::testing::*;
    use crate::tui::update::update;

    #[test]
    fn the_sync_screen_loads_its_state_and_remembers_the_folder() {
        let mut m = model(Access::Till);
        let fx = key(&mut m, KeyPress::ctrl('y'));
        assert_eq!(m.screen, Screen::Sync);
        assert_eq!(fx, vec![Effect::Load(Query::Sync)]);
        assert_eq!(m.sync.folder.text, USB_FOLDER_DEFAULT);
        assert!(update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(0))))).is_empty());
        let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
        assert!(report.iter().any(|r| r.contains("LJC01")), "{report:?}");
        assert!(report.iter().any(|r| r.contains("xyk4-betd-doyk-vgc7")));
        assert!(
            report.iter().any(|r| r.contains("40 天前")),
            "how stale the last import is: {report:?}"
        );

        key(&mut m, KeyPress::ctrl('u'));
        typed(&mut m, "/mnt/stick9");
        named(&mut m, KeyName::Backspace);
        let folder = PathBuf::from("/mnt/stick");
        assert_eq!(
            named(&mut m, KeyName::F(5)),
            vec![Effect::Export {
                folder: folder.clone()
            }]
        );
        assert_eq!(
            key(&mut m, KeyPress::ctrl('s')),
            vec![Effect::Export {
                folder: folder.clone()
            }]
        );
        assert_eq!(
            named(&mut m, KeyName::F(6)),
            vec![Effect::Import {
                folder: folder.clone()
            }]
        );
        assert_eq!(
            key(&mut m, KeyPress::ctrl('l')),
            vec![Effect::Import {
                folder: folder.clone()
            }]
        );
        named(&mut m, KeyName::Esc);
        assert_eq!(m.screen, Screen::Till);
        key(&mut m, KeyPress::ctrl('y'));
        assert_eq!(
            m.sync.folder.value(),
            "/mnt/stick",
            "the last folder is kept"
        );
    }

    #[test]
    fn export_and_import_need_a_folder() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        key(&mut m, KeyPress::ctrl('u'));
        assert!(named(&mut m, KeyName::F(5)).is_empty());
        assert!(bad(&m).contains("文件夹"));
        assert!(named(&mut m, KeyName::F(6)).is_empty());
    }

    #[test]
    fn sync_in_monitor_mode_shows_the_state_and_writes_nothing() {
        for access in [Access::Monitor, Access::ReadOnly] {
            let mut m = model(access);
            assert_eq!(
                key(&mut m, KeyPress::ctrl('y')),
                vec![Effect::Load(Query::Sync)],
                "the state view works in monitor mode"
            );
            update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(0)))));
            for k in [
                KeyPress::plain(KeyName::F(5)),
                KeyPress::ctrl('s'),
                KeyPress::plain(KeyName::F(6)),
                KeyPress::ctrl('l'),
            ] {
                m.status = None;
                assert!(key(&mut m, k).is_empty(), "{access:?} {k}");
                assert!(bad(&m).contains("监督"), "{access:?} {k}: {:?}", m.status);
            }
            assert!(sync_report(&m).iter().any(|r| r.text.contains("监督模式")));
        }
    }

    #[test]
    fn an_export_says_safe_to_remove_and_a_refusal_in_one_line() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        let fx = update(
            &mut m,
            Msg::Synced {
                direction: SyncDirection::Export,
                result: Ok(vec![
                    sync_line(Tone::Info, "/media/usb/LJC01-000001-000020-T01.axb → T01"),
                    sync_line(Tone::Good, "已写入并读回校验，可以拔出U盘"),
                ]),
            },
        );
        assert_eq!(
            fx,
            vec![Effect::Load(Query::Sync)],
            "the state is read again"
        );
        let status = m.status.clone().expect("status");
        assert_eq!(status.tone, Tone::Good);
        assert!(status.text.contains("可以拔出U盘"));
        let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
        assert!(report
            .iter()
            .any(|r| r.contains("LJC01-000001-000020-T01.axb")));

        let fx = update(
            &mut m,
            Msg::Synced {
                direction: SyncDirection::Export,
                result: Err("/media/usb: not a folder".into()),
            },
        );
        assert_eq!(fx, vec![Effect::Load(Query::Sync)]);
        assert_eq!(bad(&m), "/media/usb: not a folder");
        assert_eq!(
            m.sync.outcome.len(),
            1,
            "the refusal replaces the old lines"
        );
    }

    #[test]
    fn an_import_lists_each_file_and_flags_refusals() {
        let mut m = model(Access::Till);
        with_household(&mut m);
        key(&mut m, KeyPress::ctrl('y'));
        let fx = update(
            &mut m,
            Msg::Synced {
                direction: SyncDirection::Import,
                result: Ok(vec![
                    sync_line(Tone::Good, "a.axb：收到 T01 的 3 条新记录"),
                    sync_line(Tone::Bad, "  ! 未能执行"),
                    sync_line(Tone::Info, "b.axb：没有新内容"),
                    sync_line(Tone::Bad, "c.axb: 签名不符"),
                ]),
            },
        );
        assert!(fx.contains(&Effect::Load(Query::Sync)));
        assert!(
            fx.contains(&Effect::Load(Query::Cart(cart_of("H001", &[])))),
            "the cart's household is checked again: {fx:?}"
        );
        assert!(bad(&m).contains("3 个数据包"), "{:?}", m.status);
        assert_eq!(m.sync.outcome.len(), 4);
    }

    #[test]
    fn the_sync_report_scrolls_within_its_rows() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        update(&mut m, Msg::Loaded(Loaded::Sync(Box::new(sync_state(40)))));
        let last = sync_scroll_max(&m);
        assert!(last > 20, "forty villages do not fit: {last}");
        for _ in 0..20 {
            named(&mut m, KeyName::PageDown);
        }
        assert_eq!(m.sync.scroll, last);
        named(&mut m, KeyName::Up);
        assert_eq!(m.sync.scroll, last - 1);
        named(&mut m, KeyName::PageUp);
        assert_eq!(m.sync.scroll, last - 1 - 8);
        let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
        assert!(report.iter().any(|r| r.contains("V039")));
    }
}
