//! The USB sync screen: the folder on the stick, export and import (both refused in monitor
//! mode at dispatch), and the report of what they did and of the sync state, scrolled within
//! the report's own rows. The folder is found for the manager: the one remembered in the
//! station's settings when it is there, else a removable drive mounted now, else what was
//! typed; a folder that exported or imported is remembered. A partner station (the township,
//! at a village) is enrolled by its key line: the fingerprint is shown to be read aloud and
//! compared over the phone before the `EnrollStation` command `aixin station enroll` sends.

use std::path::PathBuf;

use crate::domain::input;
use crate::domain::trust::peer_role;
use crate::sync::keys::PublicKeys;

use super::super::keymap::{Action, Context};
use super::super::model::{
    Enrollment, Input, Modal, Model, Question, SyncField, SyncLine, SyncState, Tone, UsbFound,
    PATH_CHARS_MAX,
};
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
        Action::ClearInput => match model.sync.field {
            SyncField::Folder => {
                model.sync.folder.clear();
                model.sync.folder_typed = true;
            }
            SyncField::KeyLine => model.sync.key_line.clear(),
        },
        Action::FieldNext | Action::FieldPrev => {
            model.sync.field = match model.sync.field {
                SyncField::Folder => SyncField::KeyLine,
                SyncField::KeyLine => SyncField::Folder,
            }
        }
        Action::Enroll => ask_to_enroll(model),
        Action::FindUsb => {
            model.sync.folder_typed = false;
            fx.push(Effect::Load(Query::Usb));
        }
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
            // A folder that worked is the one offered next time.
            let folder = PathBuf::from(model.sync.folder.value());
            let remembered = model.sync.usb.as_ref().and_then(|u| u.remembered.as_ref());
            if remembered != Some(&folder) {
                fx.push(Effect::RememberUsb(folder.clone()));
                if let Some(usb) = model.sync.usb.as_mut() {
                    usb.remembered = Some(folder);
                    usb.remembered_present = true;
                }
            }
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

/// What the till found of the stick came: unless the manager typed a folder, the folder
/// becomes the remembered one when it is there, else the first removable drive mounted.
pub(super) fn usb_loaded(model: &mut Model, found: UsbFound) {
    if !model.sync.folder_typed {
        let offered = match &found.remembered {
            Some(folder) if found.remembered_present => Some(folder.clone()),
            _ => found.mounts.first().cloned(),
        };
        if let Some(folder) = offered {
            model.sync.folder = Input::long(&folder.to_string_lossy(), PATH_CHARS_MAX);
        }
    }
    if let Some(problem) = &found.problem {
        model.say(Tone::Bad, problem.clone());
    }
    model.sync.usb = Some(found);
}

/// The folder was remembered in the station's settings, or could not be.
pub(super) fn remembered(model: &mut Model, result: Result<(), String>) {
    if let Err(text) = result {
        model.say(Tone::Bad, text);
    }
}

/// Reads the key line typed and asks to enroll its station, showing the fingerprint to read
/// aloud; a line that is not a key line is refused with what is wrong.
fn ask_to_enroll(model: &mut Model) {
    let line = model.sync.key_line.value();
    if line.is_empty() {
        model.sync.field = SyncField::KeyLine;
        let text = model.key_sentence(
            (
                "先填对方的公钥（乡镇电脑上 aixin keys show 显示的 aixin-pub1:… 一行；",
                "type the partner's key line first (the aixin-pub1:… line aixin keys show prints; ",
            ),
            Context::Sync,
            Action::FieldNext,
            (" 切换到这一栏）", " moves to that field)"),
        );
        model.say(Tone::Info, text);
        return;
    }
    let public = match PublicKeys::parse_line(&input::code(line)) {
        Ok(public) => public,
        Err(e) => {
            let text = e.message(model.lang);
            model.say(Tone::Bad, text);
            return;
        }
    };
    let Some(own_role) = model.data.meta.as_ref().map(|m| m.role) else {
        return;
    };
    let role = peer_role(own_role);
    model.modal = Some(Modal::Confirm(Question::Enroll(Box::new(Enrollment {
        station_id: public.station_id.clone(),
        role,
        fingerprint: public.fingerprint(),
        command: public.enrollment(role),
    }))));
}

/// The partner was enrolled: the key line is done with; the state shows it.
pub(super) fn enrolled(model: &mut Model, events: &[crate::domain::Event], fx: &mut Vec<Effect>) {
    model.sync.key_line.clear();
    model.sync.field = SyncField::Folder;
    if let Some(crate::domain::EventBody::StationEnrolled { station_id, .. }) =
        events.last().map(|e| &e.body)
    {
        let text = match model.lang {
            crate::i18n::Lang::Zh => format!("已登记 {station_id} 的公钥，可以互传U盘数据包了"),
            crate::i18n::Lang::En => {
                format!("{station_id} is enrolled; bundles can go both ways on the stick")
            }
        };
        model.say(Tone::Good, text);
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
        assert_eq!(
            fx,
            vec![Effect::Load(Query::Sync), Effect::Load(Query::Usb)]
        );
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
                vec![Effect::Load(Query::Sync), Effect::Load(Query::Usb)],
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
            vec![
                Effect::RememberUsb(PathBuf::from("/media/usb")),
                Effect::Load(Query::Sync)
            ],
            "a folder that worked is remembered; the state is read again"
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

    fn township_line() -> (String, String) {
        let keys = crate::sync::keys::StationKeys::generate();
        let public = keys.public("T01");
        (public.to_line(), public.fingerprint())
    }

    #[test]
    fn a_partners_key_line_is_enrolled_after_its_fingerprint_is_read_aloud() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        assert!(named(&mut m, KeyName::F(4)).is_empty());
        assert_eq!(
            m.sync.field,
            SyncField::KeyLine,
            "empty: the key line field is offered"
        );
        typed(&mut m, "aixin-pub1:T01:zz:age1x");
        assert!(named(&mut m, KeyName::F(4)).is_empty());
        assert!(bad(&m).contains("公钥"), "{}", bad(&m));
        assert_eq!(m.modal, None);
        key(&mut m, KeyPress::ctrl('u'));
        let (line, fingerprint) = township_line();
        typed(&mut m, &line);
        assert_eq!(m.sync.key_line.text, line, "a whole key line fits");
        assert_eq!(
            m.sync.folder.text, USB_FOLDER_DEFAULT,
            "the folder is untouched"
        );
        named(&mut m, KeyName::Enter);
        let Some(Modal::Confirm(Question::Enroll(enrollment))) = m.modal.clone() else {
            panic!("the fingerprint is shown first: {:?}", m.modal);
        };
        assert_eq!(enrollment.fingerprint, fingerprint);
        assert_eq!(enrollment.role, crate::domain::StationRole::Township);
        let public = PublicKeys::parse_line(&line).unwrap_or_else(|e| panic!("{e}"));
        let fx = key(&mut m, KeyPress::char('y'));
        assert_eq!(
            fx,
            vec![Effect::Commit {
                commands: vec![public.enrollment(crate::domain::StationRole::Township)],
                purpose: crate::tui::msg::Purpose::Enroll,
            }],
            "the command aixin station enroll sends"
        );
        let fx = update(
            &mut m,
            Msg::Committed {
                purpose: crate::tui::msg::Purpose::Enroll,
                result: Ok(vec![]),
            },
        );
        assert!(fx.contains(&Effect::Load(Query::Sync)));
        assert!(m.sync.key_line.text.is_empty());
    }

    #[test]
    fn a_refused_enrollment_keeps_the_key_line() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        named(&mut m, KeyName::Tab);
        let (line, _) = township_line();
        typed(&mut m, &line);
        named(&mut m, KeyName::F(4));
        key(&mut m, KeyPress::char('n'));
        assert_eq!(m.modal, None, "no: nothing is sent");
        update(
            &mut m,
            Msg::Committed {
                purpose: crate::tui::msg::Purpose::Enroll,
                result: Err("站点 T01 已经用这把公钥登记过了".into()),
            },
        );
        assert!(bad(&m).contains("已经"));
        assert_eq!(m.sync.key_line.text, line);
    }

    #[test]
    fn the_stick_is_found_remembered_and_a_typed_folder_wins() {
        let mut m = model(Access::Till);
        key(&mut m, KeyPress::ctrl('y'));
        update(
            &mut m,
            Msg::Loaded(Loaded::Usb(UsbFound {
                remembered: Some("/media/old".into()),
                remembered_present: false,
                mounts: vec!["/media/li/KINGSTON".into(), "/media/li/SD".into()],
                problem: None,
            })),
        );
        assert_eq!(
            m.sync.folder.value(),
            "/media/li/KINGSTON",
            "a mounted stick"
        );
        let report: Vec<String> = sync_report(&m).into_iter().map(|r| r.text).collect();
        assert!(report
            .iter()
            .any(|r| r.contains("找到U盘：/media/li/KINGSTON, /media/li/SD")));
        update(
            &mut m,
            Msg::Loaded(Loaded::Usb(UsbFound {
                remembered: Some("/media/li/KINGSTON/aixin".into()),
                remembered_present: true,
                mounts: vec!["/media/li/KINGSTON".into()],
                problem: None,
            })),
        );
        assert_eq!(
            m.sync.folder.value(),
            "/media/li/KINGSTON/aixin",
            "the folder used last"
        );
        named(&mut m, KeyName::Backspace);
        let fx = named(&mut m, KeyName::F(8));
        assert_eq!(fx, vec![Effect::Load(Query::Usb)]);
        update(
            &mut m,
            Msg::Loaded(Loaded::Usb(UsbFound {
                remembered: None,
                remembered_present: false,
                mounts: vec![],
                problem: Some("本站设置文件 station.toml 有误".into()),
            })),
        );
        assert!(bad(&m).contains("station.toml"));
        assert_eq!(
            m.sync.folder.value(),
            "/media/li/KINGSTON/aixi",
            "nothing found: kept"
        );
        named(&mut m, KeyName::Backspace);
        update(
            &mut m,
            Msg::Loaded(Loaded::Usb(UsbFound {
                remembered: None,
                remembered_present: false,
                mounts: vec!["/media/other".into()],
                problem: None,
            })),
        );
        assert_eq!(
            m.sync.folder.value(),
            "/media/li/KINGSTON/aix",
            "typed: kept"
        );
        let fx = update(
            &mut m,
            Msg::Synced {
                direction: SyncDirection::Export,
                result: Ok(vec![sync_line(Tone::Good, "可以拔出U盘")]),
            },
        );
        assert!(fx.contains(&Effect::RememberUsb("/media/li/KINGSTON/aix".into())));
        update(&mut m, Msg::UsbRemembered(Err("磁盘满".into())));
        assert_eq!(bad(&m), "磁盘满");
    }
}
