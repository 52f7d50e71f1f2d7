//! The stocktake screen (盘点): every catalog item with the units the ledger holds; the manager
//! types what is on the shelf item by item (or reads a count sheet from the USB stick, which
//! fills the same counts for review). Submitting asks the domain for the differences
//! ([`crate::domain::stock::differences`]) and opens a confirmation that lists them with a
//! reason to give; "yes" commits them as `AdjustStock` commands in one batch. Items not counted
//! are not adjusted.

use crate::domain::input::{self, Field};
use crate::domain::stock::differences;

use super::super::keymap::Action;
use super::super::model::{Form, FormField, FormKind, Modal, Model, SheetPurpose, Tone};
use super::super::msg::Effect;
use super::{is_move, move_selection, say, sheets};

/// Runs a stocktake action.
pub(super) fn act(model: &mut Model, action: Action, fx: &mut Vec<Effect>) {
    match action {
        a if is_move(a) => {
            let len = model.data.goods.len();
            move_selection(&mut model.stocktake.selected, len, a);
        }
        Action::ClearInput => {
            if let Some(g) = model.data.goods.get(model.stocktake.selected) {
                model.stocktake.counts.remove(&g.goods.goods_id);
            }
        }
        Action::ImportSheet => sheets::open(model, SheetPurpose::Counts, fx),
        Action::Submit => confirm(model),
        _ => {}
    }
}

/// The counts read through the normaliser and put to the domain: the confirmation listing the
/// differences, or what is wrong (a count that is not a number, below zero, or no difference).
fn confirm(model: &mut Model) {
    let lang = model.lang;
    let mut counted = Vec::new();
    for (goods_id, typed) in &model.stocktake.counts {
        if typed.value().is_empty() {
            continue;
        }
        let Some(record) = model.data.goods_by_id(goods_id) else {
            continue;
        };
        match input::number(&typed.text, Field::Quantity) {
            Ok(units) => counted.push((record, units)),
            Err(e) => {
                let text = format!("{}：{}", record.goods.name, e.message(lang));
                model.say(Tone::Bad, text);
                return;
            }
        }
    }
    if counted.is_empty() {
        say(
            model,
            Tone::Info,
            "还没有填实盘数：选中商品，输入数出来的件数",
            "no counts yet: choose an item and type the units counted",
        );
        return;
    }
    let found = match differences(counted) {
        Ok(found) => found,
        Err(refusal) => {
            let text = refusal.message(lang);
            model.say(Tone::Bad, text);
            return;
        }
    };
    if found.is_empty() {
        say(
            model,
            Tone::Good,
            "实盘数与账面一致，没有要调整的",
            "every count matches the ledger; nothing to adjust",
        );
        return;
    }
    let reason = model.t("盘点", "stocktake").to_string();
    model.modal = Some(Modal::Form(Box::new(Form::new(
        FormKind::Stocktake { differences: found },
        vec![FormField::text(Field::Reason, &reason)],
    ))));
}

/// The differences were recorded: the counts are done with.
pub(super) fn committed(model: &mut Model, events: &[crate::domain::Event]) {
    model.modal = None;
    model.stocktake.counts.clear();
    model.stocktake.sheet_problems.clear();
    let count = events
        .iter()
        .filter(|e| matches!(e.body, crate::domain::EventBody::StockAdjusted { .. }))
        .count();
    let text = match model.lang {
        crate::i18n::Lang::Zh => format!("盘点已记账：调整 {count} 种商品"),
        crate::i18n::Lang::En => format!("stocktake recorded: {count} items adjusted"),
    };
    model.say(Tone::Good, text);
}

/// A count sheet's counts came: they fill the counts for review (a count typed already is
/// replaced); what could not be used is listed.
pub(super) fn counts_loaded(
    model: &mut Model,
    file: &str,
    counts: Vec<(String, i64)>,
    problems: Vec<String>,
) {
    let filled = counts.len();
    for (goods_id, units) in counts {
        model.stocktake.counts.insert(
            goods_id,
            super::super::model::Input::with(&units.to_string()),
        );
    }
    model.stocktake.sheet_problems = problems;
    let troubles = model.stocktake.sheet_problems.len();
    let text = match model.lang {
        crate::i18n::Lang::Zh if troubles > 0 => {
            format!("{file}：已填入 {filled} 项；{troubles} 行不能用，见下方；请核对后再记账")
        }
        crate::i18n::Lang::Zh => format!("{file}：已填入 {filled} 项实盘数；请核对后再记账"),
        crate::i18n::Lang::En if troubles > 0 => format!(
            "{file}: {filled} counts filled in; {troubles} rows could not be used (below); check before recording"
        ),
        crate::i18n::Lang::En => {
            format!("{file}: {filled} counts filled in; check them before recording")
        }
    };
    let tone = if troubles > 0 { Tone::Bad } else { Tone::Info };
    model.say(tone, text);
}

#[cfg(test)]
mod tests;
