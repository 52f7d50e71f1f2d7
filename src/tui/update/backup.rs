//! Backup from the till (PRODUCT.md, "Backups are one encrypted file"): on the sync screen the
//! backup key asks the passphrase twice in a popup (hidden; the domain's length rule), then the
//! shell writes the encrypted file into the USB folder, reads it back and checks it; its lines
//! ("safe to remove") go into the sync report like an export's. Refused in monitor mode at
//! dispatch, like every write.

use std::path::PathBuf;

use crate::domain::backup::check_passphrase;

use super::super::keymap::Action;
use super::super::model::{Input, Modal, Model, PassphraseField, SyncLine, Tone};
use super::super::msg::{Effect, Query, Secret};
use super::say;

/// The backup key on the sync screen: asks the passphrase (the folder must be typed first).
pub(super) fn open(model: &mut Model) {
    if model.sync.folder.value().is_empty() {
        say(
            model,
            Tone::Bad,
            "先输入U盘上的文件夹，例如 /media/usb",
            "type the folder on the USB stick first, e.g. /media/usb",
        );
        return;
    }
    model.modal = Some(Modal::Passphrase {
        passphrase: Input::default(),
        again: Input::default(),
        field: PassphraseField::Passphrase,
    });
    say(
        model,
        Tone::Info,
        "请输入备份口令两遍（至少 10 个字符，请另外写下保管）",
        "type the backup passphrase twice (at least 10 characters; write it down and keep it apart)",
    );
}

/// Runs an action in the passphrase popup.
pub(super) fn passphrase(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Passphrase {
        passphrase,
        again,
        field,
    }) = &mut model.modal
    else {
        return;
    };
    match action {
        Action::FieldNext | Action::FieldPrev | Action::OptionNext | Action::OptionPrev => {
            *field = match field {
                PassphraseField::Passphrase => PassphraseField::Again,
                PassphraseField::Again => PassphraseField::Passphrase,
            };
        }
        Action::ClearInput => match field {
            PassphraseField::Passphrase => passphrase.clear(),
            PassphraseField::Again => again.clear(),
        },
        Action::Cancel => model.modal = None,
        Action::Confirm if *field == PassphraseField::Passphrase => {
            *field = PassphraseField::Again;
        }
        Action::Confirm => {
            let first = passphrase.text.clone();
            let second = again.text.clone();
            if let Err(refusal) = check_passphrase(&first) {
                again.clear();
                *field = PassphraseField::Passphrase;
                model.say(Tone::Bad, refusal.message(model.lang));
                return;
            }
            if first != second {
                again.clear();
                say(
                    model,
                    Tone::Bad,
                    "两次输入的口令不一样，请再输一遍",
                    "the two passphrases differ; type it again",
                );
                return;
            }
            model.modal = None;
            fx.push(Effect::Backup {
                folder: PathBuf::from(model.sync.folder.value()),
                passphrase: Secret(first),
            });
        }
        _ => {}
    }
}

/// A backup finished: its lines into the report, the status from its last line, and the
/// state read again (the reminder goes away).
pub(super) fn on_backed_up(
    model: &mut Model,
    result: Result<Vec<SyncLine>, String>,
    fx: &mut Vec<Effect>,
) {
    model.sync.scroll = 0;
    match result {
        Ok(lines) => {
            let said = lines.last().map(|l| l.text.clone()).unwrap_or_default();
            model.sync.outcome = lines;
            model.say(Tone::Good, said);
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
