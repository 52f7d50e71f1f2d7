//! The state of the screens that keep the station's registers: the households (一户一档:
//! register, correct, reissue a card, import a sheet, a household's page), the goods (add,
//! change, low-stock reminders) and the stocktake (counted quantities item by item). Plain
//! values that `update` changes and `view` reads.

use std::collections::BTreeMap;

use super::super::data::HouseholdHit;
use super::Input;

/// The households screen: a search over every household and the highlighted one.
#[derive(Clone, Debug, Default)]
pub struct HouseholdsScreen {
    /// What was typed (as in the till's lookup: card, id, name, pinyin, phone tail).
    pub query: Input,
    /// The matches.
    pub hits: Vec<HouseholdHit>,
    /// The highlighted row.
    pub selected: usize,
    /// The household whose file was asked for, to open its correction form when it comes.
    pub awaiting_edit: Option<String>,
}

/// The goods screen: the catalog with stock and low-stock reminders.
#[derive(Clone, Debug, Default)]
pub struct GoodsScreen {
    /// What was typed (name, pinyin initials, barcode, id).
    pub query: Input,
    /// Positions in `Data::goods` that match.
    pub hits: Vec<usize>,
    /// The highlighted row.
    pub selected: usize,
}

/// The stocktake screen (盘点): every catalog item with its stock, and the count typed for it.
#[derive(Clone, Debug, Default)]
pub struct Stocktake {
    /// The counts typed (or read from a count sheet), by goods id; an item not counted is not
    /// adjusted.
    pub counts: BTreeMap<String, Input>,
    /// The highlighted row (position in `Data::goods`).
    pub selected: usize,
    /// What a count sheet could not fill in (unknown items, unreadable counts), one line each.
    pub sheet_problems: Vec<String>,
}

impl Stocktake {
    /// Whether any count was typed.
    pub fn is_dirty(&self) -> bool {
        self.counts.values().any(|c| !c.value().is_empty())
    }
}
