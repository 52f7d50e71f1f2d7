//! The popup forms and pickers of the screens that keep the station's records: a household's
//! file (register or correct), a reissued card, a catalog item (add, change, or define while
//! receiving), an item's low-stock reminder, an objection to an award (revoke, or revoke and
//! score again), the reason of a stocktake, a sheet file on the USB stick and the preview of
//! what importing it would do. A form is a list of fields, each a text field or a yes/no
//! choice, named by the normaliser's [`Field`] so that its label and its reading at the edge are
//! the normaliser's; what the form is for ([`FormKind`]) decides the commands on submit.

use std::path::PathBuf;

use crate::domain::event::{Goods, Household};
use crate::domain::input::Field;
use crate::domain::state::AwardRecord;
use crate::domain::stock::Difference;
use crate::domain::Command;

use super::Input;

/// What a field holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldValue {
    /// Typed text.
    Text(Input),
    /// Yes or no, switched with the option keys.
    Flag(bool),
}

/// One field of a form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormField {
    /// Which field, for its label and its normalisation.
    pub field: Field,
    /// What it holds.
    pub value: FieldValue,
}

impl FormField {
    /// A text field holding `text`.
    pub fn text(field: Field, text: &str) -> FormField {
        FormField {
            field,
            value: FieldValue::Text(Input::with(text)),
        }
    }

    /// A yes/no field.
    pub fn flag(field: Field, value: bool) -> FormField {
        FormField {
            field,
            value: FieldValue::Flag(value),
        }
    }
}

/// What a form is for: it decides the form's title and the commands it submits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormKind {
    /// Open a new household's file.
    RegisterHousehold,
    /// Correct a household's file (its id and card stay).
    EditHousehold {
        /// The household's file as the ledger holds it.
        household: Box<Household>,
    },
    /// Replace a lost card.
    ReissueCard {
        /// Whose.
        household_id: String,
        /// The card that stops working.
        old_card_no: String,
    },
    /// Add an item to the catalog; `for_receive` when it is defined on the receive screen,
    /// to be committed with its first lot in one batch.
    AddGoods {
        /// Whether the receive screen asked for it.
        for_receive: bool,
    },
    /// Change a catalog item (its id stays).
    EditGoods {
        /// The item as the catalog holds it.
        goods: Box<Goods>,
    },
    /// Set an item's low-stock reminder.
    LowStock {
        /// The item.
        goods_id: String,
        /// Its reminder now.
        units: i64,
    },
    /// Revoke an award in publicity after an objection.
    Revoke {
        /// The award.
        award: Box<AwardRecord>,
    },
    /// Revoke an award and enter the corrected score, in one batch.
    Correct {
        /// The award.
        award: Box<AwardRecord>,
    },
    /// Record a stocktake's differences, with a reason.
    Stocktake {
        /// The items whose count differs, as the confirmation lists them.
        differences: Vec<Difference>,
    },
}

/// A popup form: its fields, the one with the keyboard, and what it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Form {
    /// What it is for.
    pub kind: FormKind,
    /// The fields, top to bottom.
    pub fields: Vec<FormField>,
    /// The field with the keyboard.
    pub at: usize,
    /// First line of a long list shown above the fields (the stocktake's differences).
    pub scroll: usize,
    /// The fields as the form opened, to tell typed work from an untouched form.
    pub initial: Vec<FormField>,
}

impl Form {
    /// A form for `kind` with `fields`, the first with the keyboard.
    pub fn new(kind: FormKind, fields: Vec<FormField>) -> Form {
        Form {
            kind,
            initial: fields.clone(),
            fields,
            at: 0,
            scroll: 0,
        }
    }

    /// The text of `field` (empty if the form has no such text field).
    pub fn text(&self, field: Field) -> &str {
        self.fields
            .iter()
            .find_map(|f| match (&f.value, f.field == field) {
                (FieldValue::Text(input), true) => Some(input.text.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// The yes/no value of `field` (no if the form has none).
    pub fn flag(&self, field: Field) -> bool {
        self.fields
            .iter()
            .any(|f| f.field == field && f.value == FieldValue::Flag(true))
    }

    /// The text field with the keyboard, if the field is a text field.
    pub fn input(&mut self) -> Option<&mut Input> {
        match self.fields.get_mut(self.at).map(|f| &mut f.value) {
            Some(FieldValue::Text(input)) => Some(input),
            _ => None,
        }
    }

    /// Whether the keyboard is on the last field (Enter there submits).
    pub fn at_last(&self) -> bool {
        self.at + 1 >= self.fields.len()
    }

    /// Whether anything was typed or switched since the form opened.
    pub fn is_dirty(&self) -> bool {
        self.fields != self.initial
    }
}

/// What a sheet from the stick is read for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SheetPurpose {
    /// A households list (一户一档), previewed, then registered.
    Households,
    /// A stocktake count sheet: its counts fill the stocktake screen.
    Counts,
}

/// Choosing a sheet file: the ones found in the USB folder, or a path typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetPicker {
    /// What the sheet is read for.
    pub purpose: SheetPurpose,
    /// The folder looked in.
    pub folder: PathBuf,
    /// The sheet files found there, by name.
    pub files: Vec<PathBuf>,
    /// The highlighted file.
    pub selected: usize,
    /// A path typed instead; it wins over the list when not empty.
    pub path: Input,
    /// Why the folder could not be listed, if it could not.
    pub note: Option<String>,
}

/// What importing a households sheet would do, read before anything is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetPreview {
    /// The file, as shown.
    pub file: String,
    /// The rows that would be added, with their row number, as the commands that add them.
    pub new: Vec<(u64, Command)>,
    /// Rows the ledger already holds as they are (skipped).
    pub unchanged: usize,
    /// What is refused, one line each (sheet, row, column and why).
    pub refused: Vec<String>,
    /// Refusals found beyond those listed.
    pub more_refused: usize,
    /// First line shown.
    pub scroll: usize,
}

impl SheetPreview {
    /// Whether the file can be imported as it is: rows to add and none refused (a file is
    /// imported whole or not at all, as `aixin household import` does).
    pub fn can_import(&self) -> bool {
        !self.new.is_empty() && self.refused.is_empty() && self.more_refused == 0
    }
}
