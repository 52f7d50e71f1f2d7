//! Sheets from the USB stick: choosing the file (the sheet files found in the USB folder, or a
//! path typed), then, for a households sheet, the preview of what importing it would do — the
//! rows to be added, those already in the ledger, and each refused row with the reason — and on
//! "yes" its commands, committed as one batch (a file imports whole or not at all, as
//! `aixin household import` does). A stocktake count sheet fills the stocktake's counts.

use std::path::PathBuf;

use crate::domain::Command;

use super::super::keymap::Action;
use super::super::model::{Input, Modal, Model, SheetPicker, SheetPreview, SheetPurpose, Tone};
use super::super::msg::{Effect, Purpose, Query};
use super::{is_move, move_selection, say, PAGE_ROWS};

/// Opens the sheet picker on the USB folder and asks for its files.
pub(super) fn open(model: &mut Model, purpose: SheetPurpose, fx: &mut Vec<Effect>) {
    let folder = PathBuf::from(model.sync.folder.value());
    model.modal = Some(Modal::Sheet(Box::new(SheetPicker {
        purpose,
        folder: folder.clone(),
        files: Vec::new(),
        selected: 0,
        path: Input::long("", super::super::model::PATH_CHARS_MAX),
        note: None,
    })));
    fx.push(Effect::Load(Query::SheetFiles(folder)));
}

/// The files of a folder came; kept if the picker is still open on it.
pub(super) fn files_loaded(
    model: &mut Model,
    folder: PathBuf,
    files: Result<Vec<PathBuf>, String>,
) {
    let Some(Modal::Sheet(picker)) = &mut model.modal else {
        return;
    };
    if picker.folder != folder {
        return;
    }
    match files {
        Ok(files) => {
            picker.files = files;
            picker.note = None;
        }
        Err(note) => picker.note = Some(note),
    }
    picker.selected = 0;
}

/// Runs a sheet-picker action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Sheet(picker)) = &mut model.modal else {
        return;
    };
    match action {
        a if is_move(a) => move_selection(&mut picker.selected, picker.files.len(), a),
        Action::ClearInput => picker.path.clear(),
        Action::Cancel => model.modal = None,
        Action::Select => {
            let typed = picker.path.value();
            let path = if typed.is_empty() {
                picker.files.get(picker.selected).cloned()
            } else {
                Some(PathBuf::from(typed))
            };
            let Some(path) = path else {
                say(
                    model,
                    Tone::Bad,
                    "U盘文件夹里没有表格文件：请输入表格文件的路径",
                    "no sheet file in the USB folder: type the sheet file's path",
                );
                return;
            };
            let query = match picker.purpose {
                SheetPurpose::Households => Query::SheetPreview(path),
                SheetPurpose::Counts => Query::CountSheet(path),
            };
            model.modal = None;
            fx.push(Effect::Load(query));
        }
        _ => {}
    }
}

/// A households sheet's preview came: it opens, or the file's refusal is said.
pub(super) fn preview_loaded(model: &mut Model, preview: Result<Box<SheetPreview>, String>) {
    match preview {
        Ok(preview) => model.modal = Some(Modal::Preview(preview)),
        Err(text) => model.say(Tone::Bad, text),
    }
}

/// At most this many lines a preview scrolls.
const PREVIEW_SCROLL_MAX: usize = 200_000;

/// Runs a preview action: scroll, import (when nothing is refused) or leave it.
pub(super) fn preview(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Preview(preview)) = &mut model.modal else {
        return;
    };
    match action {
        Action::Up => preview.scroll = preview.scroll.saturating_sub(1),
        Action::Down => preview.scroll = (preview.scroll + 1).min(PREVIEW_SCROLL_MAX),
        Action::PageUp => preview.scroll = preview.scroll.saturating_sub(PAGE_ROWS),
        Action::PageDown => preview.scroll = (preview.scroll + PAGE_ROWS).min(PREVIEW_SCROLL_MAX),
        Action::Cancel => {
            model.modal = None;
            say(model, Tone::Info, "没有导入", "nothing was imported");
        }
        Action::Confirm if preview.can_import() => {
            let commands: Vec<Command> = preview.new.iter().map(|(_, c)| c.clone()).collect();
            fx.push(Effect::Commit {
                commands,
                purpose: Purpose::ImportHouseholds,
            });
        }
        Action::Confirm if preview.new.is_empty() && preview.refused.is_empty() => {
            model.modal = None;
            say(
                model,
                Tone::Info,
                "表里的农户都已登记过，没有要导入的",
                "every household in the sheet is already registered; nothing to import",
            );
        }
        Action::Confirm => say(
            model,
            Tone::Bad,
            "表格里有被拒绝的行，整个文件都未导入；请在表格里改正这些行后再导入",
            "the sheet has refused rows, so nothing was imported; correct them in the sheet and import again",
        ),
        _ => {}
    }
}

/// The sheet's households were registered.
pub(super) fn imported(model: &mut Model, events: &[crate::domain::Event]) {
    model.modal = None;
    model.refresh_households();
    let count = events
        .iter()
        .filter(|e| matches!(e.body, crate::domain::EventBody::HouseholdRegistered { .. }))
        .count();
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("已导入 {count} 户"),
        crate::i18n::Lang::En => format!("{count} households imported"),
    };
    model.say(Tone::Good, text);
}
