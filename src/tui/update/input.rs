//! Typing: an unbound printable key or Backspace edits the field that has the keyboard, within
//! that field's limits (digits only for quantities and scores, yuan for a cost), and a change
//! re-runs only the search of the field being edited.

use super::super::keymap::{KeyName, KeyPress};
use super::super::model::{
    Focus, Input, Modal, Model, ReceiveField, Screen, SetupField, QUANTITY_DIGITS_MAX,
};

/// At most this many characters in a typed score (`-100`, `200`).
const SCORE_CHARS_MAX: usize = 4;

/// The field that has the keyboard, if any.
pub(super) fn active_input(model: &mut Model) -> Option<&mut Input> {
    if let Some(modal) = &mut model.modal {
        return match modal {
            Modal::Checkout { proxy } => Some(proxy),
            Modal::Reason { reason, .. } => Some(reason),
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
            _ => None,
        },
        Screen::Sync => Some(&mut model.sync.folder),
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
    let digits_only = match (&model.modal, model.screen) {
        (None, Screen::Till) => model.focus == Focus::Cart,
        (None, Screen::Receive) => model.receive.field == ReceiveField::Quantity,
        (None, Screen::Scores) => true,
        _ => false,
    };
    let cost_field = model.modal.is_none()
        && model.screen == Screen::Receive
        && model.receive.field == ReceiveField::Cost;
    let source_field = model.modal.is_none()
        && model.screen == Screen::Receive
        && model.receive.field == ReceiveField::Source;
    if source_field {
        return;
    }
    let is_cart =
        model.modal.is_none() && model.screen == Screen::Till && model.focus == Focus::Cart;
    let is_scores = model.modal.is_none() && model.screen == Screen::Scores;
    let Some(input) = active_input(model) else {
        return;
    };
    let allowed = if digits_only {
        c.is_ascii_digit() || (is_scores && c == '-' && input.text.is_empty())
    } else if cost_field {
        c.is_ascii_digit() || c == '.'
    } else {
        true
    };
    let full = (is_cart && input.text.len() >= QUANTITY_DIGITS_MAX)
        || (is_scores && input.text.len() >= SCORE_CHARS_MAX);
    let changed = if backspace {
        input.pop()
    } else {
        allowed && !full && input.push(c)
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
