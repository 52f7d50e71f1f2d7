//! Monitor mode (监督模式): the till read-only, switched on in a running till or opened with
//! `aixin monitor` on a read-only ledger. `dispatch` asks the model's one table of the actions
//! that write ([`Model::writes`]) for every bound key and, in monitor mode, [`refuse`] answers
//! with the one message instead of running the action; a scanned barcode is refused the same
//! way (`scan`). Looking around (lookup and choosing a household to see its balance, details,
//! the day log, the awards and the board, the sync state) still works; filling or changing the
//! cart does not, since it only prepares a sale, and neither does choosing another household
//! while the cart holds goods (`till::choose_household` refuses it). Leaving it
//! asks a manager's PIN (`login::open_unlock`) once the station has operators.

use super::super::keymap::{Action, Context};
use super::super::model::{Access, Model, Tone};

/// Says why nothing was written: read-only for good, or until the monitor key is pressed again.
pub(super) fn refuse(model: &mut Model) {
    let text = model.read_only_text();
    model.say(Tone::Bad, text);
}

/// Switches monitor mode on or off; a ledger opened read-only stays read-only.
pub(super) fn toggle(model: &mut Model) {
    match model.access {
        Access::Till => {
            model.access = Access::Monitor;
            let text = model.key_sentence(
                (
                    "已进入监督模式：只能查看，不能修改；再按 ",
                    "monitor mode: read-only; press ",
                ),
                Context::Global,
                Action::ToggleMonitor,
                (" 回到收银", " again to return to the till"),
            );
            model.say(Tone::Info, text);
        }
        // Leaving monitor mode needs a manager's PIN once the station has operators.
        Access::Monitor if !model.operators().is_empty() => super::login::open_unlock(model),
        Access::Monitor => {
            model.access = Access::Till;
            super::say(model, Tone::Info, "已回到收银模式", "back to the till");
        }
        Access::ReadOnly => refuse(model),
    }
}

#[cfg(test)]
mod tests;
