//! Typing: an unbound printable key or Backspace edits the field that has the keyboard. A field
//! keeps what was typed, whatever it is (a Chinese input method's full-width digits, a stray
//! `.`): a number field is read through the one normaliser ([`crate::domain::input`]) when it
//! is used, and what is not a number is refused there with a message, never silently dropped
//! here (`1.5` is not 15). A change re-runs only the search of the field being edited.

use crate::domain::input;
use crate::domain::Refusal;

use super::super::keymap::{KeyName, KeyPress};
use super::super::model::{
    Focus, Input, ManagerField, Modal, Model, PassphraseField, ReceiveField, Screen, SetupField,
    SyncField, Tone,
};

/// The field that has the keyboard, if any.
pub(super) fn active_input(model: &mut Model) -> Option<&mut Input> {
    if let Some(modal) = &mut model.modal {
        return match modal {
            Modal::Checkout { proxy } => Some(proxy),
            Modal::Reason { reason, .. } => Some(reason),
            Modal::Form(form) => form.input(),
            Modal::Sheet(picker) => Some(&mut picker.path),
            Modal::Unlock { pin, .. } => Some(pin),
            Modal::Passphrase {
                passphrase,
                again,
                field,
            } => Some(match field {
                PassphraseField::Passphrase => passphrase,
                PassphraseField::Again => again,
            }),
            _ => None,
        };
    }
    match model.screen {
        Screen::Till => Some(match model.focus {
            Focus::Lookup => &mut model.lookup.query,
            Focus::Catalog => &mut model.catalog.query,
            Focus::Cart => &mut model.cart.typed_quantity,
        }),
        Screen::Receive => Some(match model.receive.field {
            ReceiveField::Goods | ReceiveField::Source => &mut model.receive.goods_query,
            ReceiveField::Quantity => &mut model.receive.quantity,
            ReceiveField::Party => &mut model.receive.party,
            ReceiveField::Cost => &mut model.receive.cost,
        }),
        Screen::Scores => {
            let id = model
                .data
                .households
                .get(model.scores.selected)?
                .household_id
                .to_string();
            // With a score sheet each row has one field per item; the chosen item's is typed.
            let sheet = model
                .data
                .meta
                .as_ref()
                .and_then(|m| m.score_sheet.as_ref());
            if let Some(items) = sheet.map(|s| s.items.len()) {
                let item = model.scores.item.min(items.saturating_sub(1));
                let row = model
                    .scores
                    .item_entries
                    .entry(id)
                    .or_insert_with(|| vec![Input::default(); items]);
                return row.get_mut(item);
            }
            Some(model.scores.entries.entry(id).or_default())
        }
        Screen::Setup => match model.setup.field {
            SetupField::StationId => Some(&mut model.setup.station_id),
            SetupField::Name => Some(&mut model.setup.name),
            SetupField::Manager => Some(&mut model.setup.manager.name),
            SetupField::Pin => Some(&mut model.setup.manager.pin),
            SetupField::PinAgain => Some(&mut model.setup.manager.pin_again),
            _ => None,
        },
        Screen::Login
            if model
                .data
                .meta
                .as_ref()
                .is_some_and(|m| m.operators.is_empty()) =>
        {
            Some(model.login.manager.input(model.login.field))
        }
        Screen::Login => Some(&mut model.login.pin),
        Screen::Sync => Some(match model.sync.field {
            SyncField::Folder => &mut model.sync.folder,
            SyncField::KeyLine => &mut model.sync.key_line,
        }),
        Screen::Households => Some(&mut model.households.query),
        Screen::Goods => Some(&mut model.goods.query),
        Screen::Stocktake => {
            let id = model
                .data
                .goods
                .get(model.stocktake.selected)?
                .goods
                .goods_id
                .clone();
            Some(model.stocktake.counts.entry(id).or_default())
        }
        Screen::Void => Some(&mut model.sales.number),
        _ => None,
    }
}

/// Whether the field with the keyboard is a PIN (the setup's and the first manager's two, the
/// login's, a manager's to leave monitor mode): it takes digits only (full-width digits from an
/// input method are digits).
fn pin_field(model: &Model) -> bool {
    match &model.modal {
        Some(Modal::Unlock { .. }) => return true,
        Some(_) => return false,
        None => {}
    }
    match model.screen {
        Screen::Setup => matches!(model.setup.field, SetupField::Pin | SetupField::PinAgain),
        Screen::Login
            if model
                .data
                .meta
                .as_ref()
                .is_some_and(|m| m.operators.is_empty()) =>
        {
            matches!(
                model.login.field,
                ManagerField::Pin | ManagerField::PinAgain
            )
        }
        Screen::Login => true,
        _ => false,
    }
}

/// An unbound key: printable characters and Backspace edit the focused field.
pub(super) fn type_key(model: &mut Model, key: KeyPress) {
    let backspace = key == KeyPress::plain(KeyName::Backspace);
    let Some(c) = key
        .typed_char()
        .or(if backspace { Some('\u{8}') } else { None })
    else {
        return;
    };
    // The source is chosen with the arrow keys; its field takes no text.
    let source_field = model.modal.is_none()
        && model.screen == Screen::Receive
        && model.receive.field == ReceiveField::Source;
    if source_field {
        return;
    }
    if !backspace && pin_field(model) && !input::fold_width(c).is_ascii_digit() {
        // A PIN is digits: a letter is refused as it is typed, not only when submitted.
        let text = Refusal::BadPin.message(model.lang);
        model.say(Tone::Bad, text);
        return;
    }
    let Some(input) = active_input(model) else {
        return;
    };
    let changed = if backspace {
        input.pop()
    } else {
        input.push(c)
    };
    if !changed || model.modal.is_some() {
        return;
    }
    // Only the list this field searches: a score or a quantity re-runs no search.
    match (model.screen, model.focus, model.receive.field) {
        (Screen::Till, Focus::Lookup, _) => {
            model.lookup.selected = 0;
            model.refresh_lookup();
        }
        (Screen::Till, Focus::Catalog, _) => {
            model.catalog.selected = 0;
            model.refresh_catalog();
        }
        (Screen::Receive, _, ReceiveField::Goods) => {
            model.receive.goods_selected = 0;
            model.refresh_receive_goods();
        }
        (Screen::Households, _, _) => {
            model.households.selected = 0;
            model.refresh_households();
        }
        (Screen::Goods, _, _) => {
            model.goods.selected = 0;
            model.refresh_goods();
        }
        (Screen::Sync, _, _) if model.sync.field == SyncField::Folder => {
            model.sync.folder_typed = true;
        }
        _ => {}
    }
}
