//! Typing: an unbound printable key or Backspace edits the field that has the keyboard. A field
//! keeps what was typed, whatever it is (a Chinese input method's full-width digits, a stray
//! `.`): a number field is read through the one normaliser ([`crate::domain::input`]) when it
//! is used, and what is not a number is refused there with a message, never silently dropped
//! here (`1.5` is not 15). A change re-runs only the search of the field being edited.

use super::super::keymap::{KeyName, KeyPress};
use super::super::model::{
    Focus, Input, Modal, Model, PassphraseField, ReceiveField, Screen, SetupField,
};

/// The field that has the keyboard, if any.
pub(super) fn active_input(model: &mut Model) -> Option<&mut Input> {
    if let Some(modal) = &mut model.modal {
        return match modal {
            Modal::Checkout { proxy } => Some(proxy),
            Modal::Reason { reason, .. } => Some(reason),
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
        Screen::Sync => Some(&mut model.sync.folder),
        Screen::Void => Some(&mut model.sales.number),
        _ => None,
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
        _ => {}
    }
}
