//! Rows against the ledger, so that importing a file again is safe. Both sides are compared
//! after the normaliser (the ledger may hold values typed before it existed):
//!
//! - a row identical to what the ledger holds is "nothing new" and skipped;
//! - a household or goods row whose id the ledger holds with other data is refused, naming the
//!   column and both values — an import never edits; a correction is a separate, explicit
//!   command (`household reissue-card`, `goods edit`, `award revoke`);
//! - a scores row the ledger already holds (same household, period, score and note; on a
//!   sheet by item, the same items) is skipped, as many times as the ledger holds it; under a
//!   one-score-per-period policy a different score for a scored period is refused with both
//!   values (by item, the domain refuses it);
//! - two rows of the file for one household, card, goods id or barcode are refused, naming
//!   the other row.
//!
//! Everything else is new and goes to the ledger's rules in one batch.

use std::collections::HashMap;

use super::headers::Table;
use super::rows::{Record, ScoreRow};
use super::{problem_at, Located, Problem};
use crate::domain::event::{EventBody, Goods, Household, Zone};
use crate::domain::input::{self, Field};
use crate::domain::state::AwardStatus;
use crate::domain::{Command, Policy};
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// What an import will write.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New rows, as commands, with their place in the file.
    pub new: Vec<Located<Command>>,
    /// Rows the ledger already holds.
    pub unchanged: usize,
}

/// Sorts `records` into new, unchanged and refused (added to `problems`).
pub fn plan(
    view: &View,
    policy: &Policy,
    tables: &[Table<'_>],
    records: Vec<Located<Record>>,
    problems: &mut Vec<Problem>,
) -> Result<Plan, StoreError> {
    let mut check = Check {
        view,
        tables,
        problems,
        plan: Plan::default(),
        seen: HashMap::new(),
        awards: None,
    };
    for record in records {
        let Located { table, row, value } = record;
        let at = Located {
            table,
            row,
            value: (),
        };
        match value {
            Record::Household(h) => check.household(at, h)?,
            Record::Goods(g) => check.goods(at, g)?,
            Record::Score(s) => check.score(at, s, policy)?,
        }
    }
    Ok(check.plan)
}

/// A value of a field, shown in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    Text(String),
    Flag(bool),
}

impl Shown {
    fn render(&self, lang: Lang) -> String {
        match self {
            Shown::Text(t) if t.is_empty() => lang.pick("（空）", "(empty)").to_string(),
            Shown::Text(t) => t.clone(),
            Shown::Flag(b) => match (b, lang) {
                (true, Lang::Zh) => "是".into(),
                (false, Lang::Zh) => "否".into(),
                (true, Lang::En) => "yes".into(),
                (false, Lang::En) => "no".into(),
            },
        }
    }
}

/// One field where the file and the ledger disagree.
struct Difference {
    field: Field,
    sheet: Shown,
    ledger: Shown,
}

fn differences(pairs: Vec<(Field, Shown, Shown)>) -> Vec<Difference> {
    pairs
        .into_iter()
        .filter(|(_, a, b)| a != b)
        .map(|(field, sheet, ledger)| Difference {
            field,
            sheet,
            ledger,
        })
        .collect()
}

fn list(differences: &[Difference], lang: Lang) -> String {
    differences
        .iter()
        .map(|d| match lang {
            Lang::Zh => format!(
                "{} 表格 {}，账本 {}",
                d.field.name(lang),
                d.sheet.render(lang),
                d.ledger.render(lang)
            ),
            Lang::En => format!(
                "{} sheet {}, ledger {}",
                d.field.name(lang),
                d.sheet.render(lang),
                d.ledger.render(lang)
            ),
        })
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

fn text(value: &str) -> Shown {
    Shown::Text(value.to_string())
}

fn zone_text(zone: Zone) -> String {
    match zone {
        Zone::Points(z) => z.to_string(),
        Zone::Donation => "捐赠区".to_string(),
    }
}

/// A file key (id, card, barcode) seen earlier in the file, and what held it there.
type Seen = HashMap<(Field, String), (Located<()>, String)>;

struct Check<'a, 'p> {
    view: &'a View,
    tables: &'a [Table<'a>],
    problems: &'p mut Vec<Problem>,
    plan: Plan,
    seen: Seen,
    /// Live (not revoked) awards by household and period, loaded for the first score row.
    awards: Option<HashMap<(String, String), Vec<Award>>>,
}

struct Award {
    seq: u64,
    score: i64,
    /// The items it was scored by, sorted (empty for a total).
    items: Vec<(String, i64)>,
    confirmed: bool,
    matched: bool,
}

/// Items as compared: by name and score, in name order (a sheet's column order is not data).
fn sorted_items(items: &[crate::domain::score_items::ItemScore]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = items
        .iter()
        .map(|i| (input::text(&i.item), i.score))
        .collect();
    out.sort();
    out
}

impl Check<'_, '_> {
    fn refuse(&mut self, at: &Located<()>, field: Field, zh: String, en: String) {
        self.problems
            .push(problem_at(self.tables, at, Some(field), zh, en));
    }

    fn add(&mut self, at: &Located<()>, value: Command) {
        self.plan.new.push(Located {
            table: at.table,
            row: at.row,
            value,
        });
    }

    /// Skips the row as "nothing new" when nothing differs; otherwise refuses it at the first
    /// differing column, listing every difference (`message` gets the list in its language).
    fn compare(
        &mut self,
        at: &Located<()>,
        diffs: Vec<Difference>,
        message: impl Fn(Lang, &str) -> String,
    ) {
        let Some(first) = diffs.first() else {
            self.plan.unchanged += 1;
            return;
        };
        let field = first.field;
        let zh = message(Lang::Zh, &list(&diffs, Lang::Zh));
        let en = message(Lang::En, &list(&diffs, Lang::En));
        self.refuse(at, field, zh, en);
    }

    /// Where a row is, for "also on row 3" (naming the sheet when it is another one).
    fn place(&self, other: &Located<()>, here: &Located<()>, lang: Lang) -> String {
        let sheet = if other.table == here.table {
            None
        } else {
            self.tables
                .get(other.table)
                .and_then(|t| t.sheet.name.clone())
        };
        let csv = self
            .tables
            .get(other.table)
            .is_some_and(|t| t.sheet.name.is_none());
        match (lang, sheet) {
            (Lang::Zh, Some(s)) => format!("工作表“{s}”第 {} 行", other.row),
            (Lang::Zh, None) => format!("第 {} 行", other.row),
            (Lang::En, Some(s)) => format!("sheet '{s}' row {}", other.row),
            (Lang::En, None) if csv => format!("line {}", other.row),
            (Lang::En, None) => format!("row {}", other.row),
        }
    }

    /// Records `key` of `field` for this row; refuses the row if an earlier row had it.
    /// `owner` is the row's id, shown in the other row's message.
    fn once(&mut self, at: &Located<()>, field: Field, key: &str, owner: &str) -> bool {
        if key.is_empty() {
            return true;
        }
        if let Some((other, other_owner)) = self.seen.get(&(field, key.to_string())) {
            let (other, other_owner) = (other.clone(), other_owner.clone());
            let name = |lang| field.name(lang);
            let (zh, en) = if other_owner == key {
                (
                    format!(
                        "{} {key} 在{}已经有了；每项只写一行",
                        name(Lang::Zh),
                        self.place(&other, at, Lang::Zh)
                    ),
                    format!(
                        "{} {key} is already on {}; one row for each",
                        name(Lang::En),
                        self.place(&other, at, Lang::En)
                    ),
                )
            } else {
                (
                    format!(
                        "{} {key} 在{}已用于 {other_owner}；请核对",
                        name(Lang::Zh),
                        self.place(&other, at, Lang::Zh)
                    ),
                    format!(
                        "{} {key} is also on {}, for {other_owner}; check it",
                        name(Lang::En),
                        self.place(&other, at, Lang::En)
                    ),
                )
            };
            self.refuse(at, field, zh, en);
            return false;
        }
        self.seen
            .insert((field, key.to_string()), (at.clone(), owner.to_string()));
        true
    }

    fn household(&mut self, at: Located<()>, h: Household) -> Result<(), StoreError> {
        let id = h.household_id.clone();
        if !self.once(&at, Field::HouseholdId, &id, &id)
            || !self.once(&at, Field::CardNo, &h.card_no, &id)
        {
            return Ok(());
        }
        let Some(held) = self.view.state().household(&id)? else {
            self.add(&at, Command::RegisterHousehold { household: h });
            return Ok(());
        };
        let held = held.household;
        let names = |v: &[String]| {
            Shown::Text(
                v.iter()
                    .map(|m| input::text(m))
                    .collect::<Vec<_>>()
                    .join("、"),
            )
        };
        let diffs = differences(vec![
            (
                Field::CardNo,
                text(&h.card_no),
                text(&input::code(&held.card_no)),
            ),
            (Field::Head, text(&h.head), text(&input::text(&held.head))),
            (Field::Members, names(&h.members), names(&held.members)),
            (
                Field::Group,
                text(&h.group),
                text(&input::text(&held.group)),
            ),
            (
                Field::Phone,
                text(&h.phone),
                text(&input::code(&held.phone)),
            ),
            (
                Field::RegisteredPoor,
                Shown::Flag(h.registered_poor),
                Shown::Flag(held.registered_poor),
            ),
        ]);
        self.compare(&at, diffs, |lang, list| match lang {
            Lang::Zh => format!("户号 {id} 已登记，但与表格不同：{list}。导入不会修改已登记的农户：请让表格与账本一致，或另行修改（换卡用 aixin household reissue-card）"),
            Lang::En => format!("household {id} is registered with other data: {list}. An import never changes a registered household: make the sheet match the ledger, or change it separately (a new card: aixin household reissue-card)"),
        });
        Ok(())
    }

    fn goods(&mut self, at: Located<()>, g: Goods) -> Result<(), StoreError> {
        let id = g.goods_id.clone();
        if !self.once(&at, Field::GoodsId, &id, &id)
            || !self.once(&at, Field::Barcode, &g.barcode, &id)
        {
            return Ok(());
        }
        let Some(held) = self.view.state().goods(&id)? else {
            self.add(&at, Command::DefineGoods { goods: g });
            return Ok(());
        };
        let held = held.goods;
        let diffs = differences(vec![
            (
                Field::GoodsName,
                text(&g.name),
                text(&input::text(&held.name)),
            ),
            (Field::Unit, text(&g.unit), text(&input::text(&held.unit))),
            (
                Field::Barcode,
                text(&g.barcode),
                text(&input::code(&held.barcode)),
            ),
            (
                Field::PricePoints,
                text(&g.price_points.to_string()),
                text(&held.price_points.to_string()),
            ),
            (
                Field::Zone,
                text(&zone_text(g.zone)),
                text(&zone_text(held.zone)),
            ),
            (
                Field::Category,
                text(&g.category),
                text(&input::text(&held.category)),
            ),
            (
                Field::Supplier,
                text(&g.supplier),
                text(&input::text(&held.supplier)),
            ),
        ]);
        self.compare(&at, diffs, |lang, list| match lang {
            Lang::Zh => format!("商品 {id} 已在目录里，但与表格不同：{list}。导入不会修改已有商品：请让表格与账本一致，或用 aixin goods edit {id} 另行修改"),
            Lang::En => format!("goods {id} is in the catalog with other data: {list}. An import never changes existing goods: make the sheet match the ledger, or change it with aixin goods edit {id}"),
        });
        Ok(())
    }

    fn load_awards(&mut self) -> Result<(), StoreError> {
        if self.awards.is_some() {
            return Ok(());
        }
        let mut by_key: HashMap<(String, String), Vec<Award>> = HashMap::new();
        for a in self.view.awards()? {
            if a.status == AwardStatus::Revoked {
                continue;
            }
            by_key
                .entry((input::code(&a.household_id), a.period.0.clone()))
                .or_default()
                .push(Award {
                    seq: a.seq,
                    score: a.score,
                    items: sorted_items(&a.items),
                    confirmed: a.status == AwardStatus::Confirmed,
                    matched: false,
                });
        }
        self.awards = Some(by_key);
        Ok(())
    }

    fn note_of(&self, seq: u64) -> Result<String, StoreError> {
        Ok(self
            .view
            .events(seq, seq)?
            .into_iter()
            .find_map(|(event, _)| match event.body {
                EventBody::ScoreEntered { note, .. }
                | EventBody::ItemScoresEntered { note, .. } => Some(input::text(&note)),
                _ => None,
            })
            .unwrap_or_default())
    }

    fn score(&mut self, at: Located<()>, s: ScoreRow, policy: &Policy) -> Result<(), StoreError> {
        self.load_awards()?;
        let key = (s.household_id.clone(), s.period.clone());
        if let Some(items) = &s.items {
            // A row by item: the same items and note as an award the ledger holds is nothing
            // new; anything else is the domain's to decide (one score a period, bounds, cap)
            // when the batch is written, since the total is the score sheet's to work out.
            let items = sorted_items(items);
            let held: Vec<u64> = self
                .awards
                .as_ref()
                .and_then(|a| a.get(&key))
                .map(|list| {
                    list.iter()
                        .filter(|a| !a.matched && !a.items.is_empty() && a.items == items)
                        .map(|a| a.seq)
                        .collect()
                })
                .unwrap_or_default();
            for seq in held {
                if self.note_of(seq)? == s.note {
                    if let Some(award) = self
                        .awards
                        .as_mut()
                        .and_then(|a| a.get_mut(&key))
                        .and_then(|list| list.iter_mut().find(|a| a.seq == seq))
                    {
                        award.matched = true;
                    }
                    self.plan.unchanged += 1;
                    return Ok(());
                }
            }
            self.add(&at, Record::Score(s).into_command());
            return Ok(());
        }
        let candidates: Vec<(u64, i64, bool)> = self
            .awards
            .as_ref()
            .and_then(|a| a.get(&key))
            .map(|list| {
                list.iter()
                    .filter(|a| !a.matched)
                    .map(|a| (a.seq, a.score, a.confirmed))
                    .collect()
            })
            .unwrap_or_default();
        for (seq, score, _) in &candidates {
            if *score == s.score && self.note_of(*seq)? == s.note {
                if let Some(award) = self
                    .awards
                    .as_mut()
                    .and_then(|a| a.get_mut(&key))
                    .and_then(|list| list.iter_mut().find(|a| a.seq == *seq))
                {
                    award.matched = true;
                }
                self.plan.unchanged += 1;
                return Ok(());
            }
        }
        if let (true, Some((seq, score, confirmed))) =
            (policy.one_score_per_period, candidates.first().copied())
        {
            let note = self.note_of(seq)?;
            let diffs = differences(vec![
                (
                    Field::Score,
                    text(&s.score.to_string()),
                    text(&score.to_string()),
                ),
                (Field::Note, text(&s.note), text(&note)),
            ]);
            let (id, period) = (&s.household_id, &s.period);
            let way = |lang| {
                match (lang, confirmed) {
                (Lang::Zh, true) => "该评分已确认，不能更改；请从表格中删去这一行".to_string(),
                (Lang::En, true) => "it is confirmed and stands; remove the row from the sheet".to_string(),
                (Lang::Zh, false) => format!("更正请先撤销（aixin award revoke {seq} --reason …）再导入"),
                (Lang::En, false) => format!("to correct it, revoke it (aixin award revoke {seq} --reason …) and import again"),
            }
            };
            self.compare(&at, diffs, |lang, list| match lang {
                Lang::Zh => format!("农户 {id} 的 {period} 已有评分 #{seq}，但与表格不同：{list}。导入不会修改已有评分：{}", way(lang)),
                Lang::En => format!("household {id} already has score #{seq} for {period} with other data: {list}. An import never changes a score: {}", way(lang)),
            });
            return Ok(());
        }
        self.add(&at, Record::Score(s).into_command());
        Ok(())
    }
}
