//! The popup forms (`[form]` in the keymap): moving between fields, switching a yes/no field,
//! and on submit reading every field through the one normaliser ([`crate::domain::input`])
//! into the commands the form stands for, committed as one batch. What the ledger allows is
//! the domain's to say when the batch is decided: the form only reads what was typed (a
//! number that is not a number is refused here, with its field named, and nothing is sent).
//! Leaving a form with typed work asks first.

use crate::domain::catalog::same_definition;
use crate::domain::event::{Goods, Household};
use crate::domain::input::{self, Field, InputError, InputProblem};
use crate::domain::stock::adjustments;
use crate::domain::Command;
use crate::i18n::Lang;

use super::super::keymap::Action;
use super::super::model::{FieldValue, Form, FormKind, Leave, Modal, Model, Question, Tone};
use super::super::msg::{Effect, Purpose};
use super::PAGE_ROWS;

/// At most this many lines a form's list scrolls (the stocktake's differences).
const FORM_SCROLL_MAX: usize = 100_000;

/// Runs a form action on the open form.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    let Some(Modal::Form(form)) = &mut model.modal else {
        return;
    };
    let count = form.fields.len().max(1);
    match action {
        Action::FieldNext => form.at = (form.at + 1) % count,
        Action::FieldPrev => form.at = (form.at + count - 1) % count,
        Action::OptionNext | Action::OptionPrev => {
            if let Some(FieldValue::Flag(value)) =
                form.fields.get_mut(form.at).map(|f| &mut f.value)
            {
                *value = !*value;
            }
        }
        Action::ClearInput => {
            if let Some(input) = form.input() {
                input.clear();
            }
        }
        Action::PageUp => form.scroll = form.scroll.saturating_sub(PAGE_ROWS),
        Action::PageDown => form.scroll = (form.scroll + PAGE_ROWS).min(FORM_SCROLL_MAX),
        Action::Select if !form.at_last() => form.at += 1,
        Action::Select | Action::Submit => submit(model, fx),
        Action::Cancel => cancel(model),
        _ => {}
    }
}

/// Closes the form; with typed work, asks first.
fn cancel(model: &mut Model) {
    let Some(Modal::Form(form)) = model.modal.take() else {
        return;
    };
    if form.is_dirty() {
        model.modal = Some(Modal::Confirm(Question::Discard(Leave::Form(form))));
    }
}

/// The form's commands, or what is wrong with what was typed; sends them as one batch.
fn submit(model: &mut Model, fx: &mut Vec<Effect>) {
    let Some(Modal::Form(form)) = &model.modal else {
        return;
    };
    let lang = model.lang;
    match commands(form) {
        Ok(Submitted::Commit(commands, purpose)) => fx.push(Effect::Commit { commands, purpose }),
        Ok(Submitted::ForReceive(goods)) => super::receive::new_goods_defined(model, *goods),
        Ok(Submitted::Unchanged) => {
            let text = nothing_written(model, Purpose::Goods);
            model.modal = None;
            model.say(Tone::Info, text);
        }
        Err(error) => {
            let text = error.message(lang);
            model.say(Tone::Bad, text);
        }
    }
}

/// What a submitted form asks for.
enum Submitted {
    /// Commands to commit as one batch.
    Commit(Vec<Command>, Purpose),
    /// A new item for the receive form, committed with its first lot.
    ForReceive(Box<Goods>),
    /// A change that changes nothing (the domain's `same_definition`): nothing to write.
    Unchanged,
}

/// The one line said when a form or screen was sent and nothing was written, because the
/// ledger already holds exactly that (the domain accepted it as nothing new, as `aixin goods
/// add` says "nothing new"): the item is named when a goods form was sent, so the manager
/// can tell the catalog already reads so and that nothing was recorded.
pub(super) fn nothing_written(model: &Model, purpose: Purpose) -> String {
    let item = match (&model.modal, purpose) {
        (Some(Modal::Form(form)), Purpose::Goods) => match &form.kind {
            FormKind::AddGoods { .. } => Some((
                input::code(form.text(Field::GoodsId)),
                input::text(form.text(Field::GoodsName)),
                true,
            )),
            FormKind::EditGoods { goods } => {
                Some((goods.goods_id.clone(), goods.name.clone(), false))
            }
            _ => None,
        },
        _ => None,
    };
    match (item, model.lang) {
        (Some((id, name, true)), Lang::Zh) => {
            format!("{id} {name} 已在商品目录里，与填写的完全相同：没有新内容，什么也没有记账")
        }
        (Some((id, name, true)), Lang::En) => format!(
            "{id} {name} is already in the catalog exactly like that: nothing new, nothing was recorded"
        ),
        (Some((id, name, false)), Lang::Zh) => {
            format!("{id} {name} 与填写的一样，没有修改：什么也没有记账")
        }
        (Some((id, name, false)), Lang::En) => format!(
            "{id} {name} already reads like that: nothing changed, nothing was recorded"
        ),
        (None, Lang::Zh) => "账本里已经是这样了：没有新内容，什么也没有记账".to_string(),
        (None, Lang::En) => {
            "the ledger already holds exactly that: nothing new, nothing was recorded".to_string()
        }
    }
}

/// Why a form was not sent.
enum FormError {
    /// A field could not be read.
    Input(InputError),
}

impl FormError {
    fn message(&self, lang: Lang) -> String {
        match self {
            FormError::Input(e) => e.message(lang),
        }
    }
}

impl From<InputError> for FormError {
    fn from(e: InputError) -> Self {
        FormError::Input(e)
    }
}

/// A required text: normalised as its field says, refused when empty.
fn required(form: &Form, field: Field) -> Result<String, FormError> {
    let value = optional(form, field)?;
    if value.is_empty() {
        return Err(InputError::new(field, "", InputProblem::Empty).into());
    }
    Ok(value)
}

/// An optional text, normalised as its field says.
fn optional(form: &Form, field: Field) -> Result<String, FormError> {
    let raw = form.text(field);
    Ok(match field.kind() {
        input::FieldKind::Code => input::checked_code(raw, field)?,
        _ => input::text(raw),
    })
}

/// The household the form describes, for `household_id` and `card_no`.
fn household(form: &Form, household_id: String, card_no: String) -> Result<Household, FormError> {
    Ok(Household {
        household_id,
        card_no,
        head: required(form, Field::Head)?,
        members: input::names(form.text(Field::Members)),
        group: optional(form, Field::Group)?,
        phone: optional(form, Field::Phone)?,
        registered_poor: form.flag(Field::RegisteredPoor),
    })
}

/// The item the form describes, for `goods_id`.
/// A zone left empty is the price's own zone (an item of 10 points sits in the 10-point zone,
/// as the seeds' shops arrange them); the domain refuses a zone its policy does not have.
fn goods(form: &Form, goods_id: String) -> Result<Goods, FormError> {
    let price_points = input::number(form.text(Field::PricePoints), Field::PricePoints)?;
    let zone = match form.text(Field::Zone).trim() {
        "" => input::zone(&price_points.to_string())?,
        typed => input::zone(typed)?,
    };
    Ok(Goods {
        goods_id,
        name: required(form, Field::GoodsName)?,
        unit: optional(form, Field::Unit)?,
        barcode: optional(form, Field::Barcode)?,
        price_points,
        zone,
        category: optional(form, Field::Category)?,
        supplier: optional(form, Field::Supplier)?,
    })
}

fn commands(form: &Form) -> Result<Submitted, FormError> {
    let commit = |commands: Vec<Command>, purpose| Ok(Submitted::Commit(commands, purpose));
    match &form.kind {
        FormKind::RegisterHousehold => {
            let h = household(
                form,
                required(form, Field::HouseholdId)?,
                required(form, Field::CardNo)?,
            )?;
            commit(
                vec![Command::RegisterHousehold { household: h }],
                Purpose::Household,
            )
        }
        FormKind::EditHousehold { household: file } => {
            let h = household(form, file.household_id.clone(), file.card_no.clone())?;
            commit(
                vec![Command::EditHousehold { household: h }],
                Purpose::Household,
            )
        }
        FormKind::ReissueCard { household_id, .. } => commit(
            vec![Command::ReissueCard {
                household_id: household_id.clone(),
                new_card_no: required(form, Field::CardNo)?,
            }],
            Purpose::Household,
        ),
        FormKind::AddGoods { for_receive } => {
            let g = goods(form, required(form, Field::GoodsId)?)?;
            if *for_receive {
                Ok(Submitted::ForReceive(Box::new(g)))
            } else {
                commit(vec![Command::AddGoods { goods: g }], Purpose::Goods)
            }
        }
        FormKind::EditGoods { goods: item } => {
            let g = goods(form, item.goods_id.clone())?;
            if same_definition(item, &g) {
                return Ok(Submitted::Unchanged);
            }
            commit(vec![Command::DefineGoods { goods: g }], Purpose::Goods)
        }
        FormKind::LowStock { goods_id, .. } => commit(
            vec![Command::SetLowStock {
                goods_id: goods_id.clone(),
                units: input::number(form.text(Field::Quantity), Field::Quantity)?,
            }],
            Purpose::Goods,
        ),
        FormKind::Revoke { award } => commit(
            vec![Command::RevokeAward {
                award_seq: award.seq,
                reason: required(form, Field::Reason)?,
            }],
            Purpose::Objection,
        ),
        FormKind::Correct { award } => {
            let score = input::number(form.text(Field::Score), Field::Score)?;
            let reason = required(form, Field::Reason)?;
            commit(
                vec![
                    Command::RevokeAward {
                        award_seq: award.seq,
                        reason: reason.clone(),
                    },
                    Command::EnterScore {
                        household_id: award.household_id.clone(),
                        period: award.period.0.clone(),
                        score,
                        note: reason,
                    },
                ],
                Purpose::Objection,
            )
        }
        FormKind::Stocktake { differences } => {
            let reason = required(form, Field::Reason)?;
            commit(adjustments(differences, &reason), Purpose::Stocktake)
        }
    }
}
