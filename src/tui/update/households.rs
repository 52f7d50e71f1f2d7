//! The households screen (一户一档): find a household as at the till's lookup; open its page
//! (members, points by credit year, awards and sales); register a new one; correct its file
//! (a `HouseholdEdited` event: the earlier file stays in the ledger); reissue a lost card (the
//! old number stops at once and shows "作废 → new card" in every lookup); import a households
//! sheet from the USB stick after a preview of what would be added and what is refused. Every
//! write is a domain command for the one write path, as `aixin household …` sends it.

use crate::domain::input::Field;
use crate::domain::state::HouseholdRecord;

use super::super::data::HouseholdHit;
use super::super::keymap::Action;
use super::super::model::{Form, FormField, FormKind, Modal, Model, Screen, Tone};
use super::super::msg::{Effect, Query};
use super::{is_move, move_selection, say, sheets, till};

/// Runs a households-screen action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let len = model.households.hits.len();
            move_selection(&mut model.households.selected, len, a);
        }
        Action::ClearInput => {
            model.households.query.clear();
            model.refresh_households();
        }
        Action::New => open_register(model),
        Action::ImportSheet => {
            sheets::open(model, super::super::model::SheetPurpose::Households, fx)
        }
        Action::Details | Action::Edit | Action::ReissueCard => {
            let Some(id) = selected_id(model) else {
                say(
                    model,
                    Tone::Bad,
                    "先选中一户（输入卡号、户号、姓名或拼音查找）",
                    "choose a household first (type a card, id, name or pinyin)",
                );
                return;
            };
            match action {
                Action::Details => till::open_details(model, id, fx),
                Action::Edit => {
                    model.households.awaiting_edit = Some(id.clone());
                    fx.push(Effect::Load(Query::Household(id)));
                }
                _ => open_reissue(model, id),
            }
        }
        _ => {}
    }
}

/// The highlighted household's id (a replaced card's row names its household).
fn selected_id(model: &Model) -> Option<String> {
    let hit = model.households.hits.get(model.households.selected)?;
    let (HouseholdHit::Household(position) | HouseholdHit::VoidedCard(position)) = *hit;
    model
        .data
        .households
        .get(position)
        .map(|row| row.household_id.to_string())
}

/// The registration form, empty.
fn open_register(model: &mut Model) {
    let fields = vec![
        FormField::text(Field::HouseholdId, ""),
        FormField::text(Field::CardNo, ""),
        FormField::text(Field::Head, ""),
        FormField::text(Field::Members, ""),
        FormField::text(Field::Group, ""),
        FormField::text(Field::Phone, ""),
        FormField::flag(Field::RegisteredPoor, false),
    ];
    model.modal = Some(Modal::Form(Box::new(Form::new(
        FormKind::RegisterHousehold,
        fields,
    ))));
}

/// The card form for a household: its new card number.
fn open_reissue(model: &mut Model, household_id: String) {
    let Some(old_card_no) = model
        .data
        .household(&household_id)
        .map(|row| row.card_no.to_string())
    else {
        return;
    };
    model.modal = Some(Modal::Form(Box::new(Form::new(
        FormKind::ReissueCard {
            household_id,
            old_card_no,
        },
        vec![FormField::text(Field::CardNo, "")],
    ))));
}

/// A household's file came: it opens the correction form if that is what was asked for.
pub(super) fn file_loaded(model: &mut Model, record: Option<Box<HouseholdRecord>>) {
    let Some(asked) = model.households.awaiting_edit.take() else {
        return;
    };
    let Some(record) = record.filter(|r| r.household.household_id == asked) else {
        return;
    };
    if model.screen != Screen::Households || model.modal.is_some() {
        return;
    }
    let h = &record.household;
    let fields = vec![
        FormField::text(Field::Head, &h.head),
        FormField::text(Field::Members, &h.members.join("、")),
        FormField::text(Field::Group, &h.group),
        FormField::text(Field::Phone, &h.phone),
        FormField::flag(Field::RegisteredPoor, h.registered_poor),
    ];
    model.modal = Some(Modal::Form(Box::new(Form::new(
        FormKind::EditHousehold {
            household: Box::new(h.clone()),
        },
        fields,
    ))));
}

/// A household was registered, corrected or given a new card: the form closes and the list
/// shows it.
pub(super) fn committed(model: &mut Model, events: &[crate::domain::Event]) {
    model.modal = None;
    model.refresh_households();
    let Some(event) = events.last() else {
        return;
    };
    use crate::domain::EventBody as E;
    let text = match (&event.body, model.lang) {
        (E::HouseholdRegistered { household: h }, crate::i18n::Lang::Zh) => {
            format!(
                "已登记农户 {} {}，卡号 {}",
                h.household_id, h.head, h.card_no
            )
        }
        (E::HouseholdRegistered { household: h }, crate::i18n::Lang::En) => format!(
            "household {} {} registered, card {}",
            h.household_id, h.head, h.card_no
        ),
        (E::HouseholdEdited { household: h }, crate::i18n::Lang::Zh) => {
            format!(
                "已更正 {} {} 的档案（原档案留有记录）",
                h.household_id, h.head
            )
        }
        (E::HouseholdEdited { household: h }, crate::i18n::Lang::En) => format!(
            "the file of {} {} is corrected (the earlier file stays on record)",
            h.household_id, h.head
        ),
        (
            E::CardReissued {
                household_id,
                old_card_no,
                new_card_no,
            },
            crate::i18n::Lang::Zh,
        ) => format!("已补卡：{household_id} 新卡 {new_card_no}，旧卡 {old_card_no} 作废"),
        (
            E::CardReissued {
                household_id,
                old_card_no,
                new_card_no,
            },
            crate::i18n::Lang::En,
        ) => format!(
            "card reissued: {household_id} has card {new_card_no}; {old_card_no} no longer works"
        ),
        _ => return,
    };
    model.say(Tone::Good, text);
}

#[cfg(test)]
mod tests;
