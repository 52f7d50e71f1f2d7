//! What the screens show that is worked out from the model by asking the domain, so `update`
//! (which acts on it) and `view` (which shows it) ask the same question the same way: the
//! points a typed score would earn or the domain's refusal ([`score_points`]), and when an
//! award's publicity ends and whether it is due ([`crate::domain::publicity`]).

use crate::domain::event::PeriodKey;
use crate::domain::input::{self, Field, InputError};
use crate::domain::publicity::{is_due, publicity_until_ms};
use crate::domain::state::AwardRecord;
use crate::domain::{item_score_points, score_points, Command, ItemScore, Refusal, ScoreSheet};

use super::Model;

/// What a typed score will do, for the grid's preview and the check before committing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScorePreview {
    /// Nothing typed.
    Empty,
    /// Typed, but not a whole number (`8.5`, `八十`, a lone `-`): the normaliser's refusal.
    NotNumber(InputError),
    /// The domain would accept it: the points it earns.
    Points(i64),
    /// The items typed add up to `score` on the policy's score sheet, which the domain would
    /// accept for `points`.
    Items {
        /// The sheet's base plus the items.
        score: i64,
        /// The points it earns.
        points: i64,
    },
    /// The domain would refuse it: out of range, already scored this period, or over the cap.
    Refused(Refusal),
}

impl Model {
    /// The preview of the score typed for the household at `position` in the grid: the
    /// domain's [`score_points`] for the period's tally as the ledger holds it. The village
    /// budget needs every award of the village and is checked only when the scores commit.
    pub fn score_preview(&self, position: usize) -> ScorePreview {
        let (Some(meta), Some(household)) =
            (self.data.meta.as_ref(), self.data.households.get(position))
        else {
            return ScorePreview::Empty;
        };
        let id = household.household_id;
        if let Some(sheet) = &meta.score_sheet {
            let items = match self.typed_items(sheet, id) {
                Ok(items) if items.is_empty() => return ScorePreview::Empty,
                Ok(items) => items,
                Err(e) => return ScorePreview::NotNumber(e),
            };
            let tally = self.scores.existing.get(id).cloned().unwrap_or_default();
            let period = PeriodKey(self.scores.period.clone());
            return match item_score_points(&meta.policy, sheet, &period, &tally, &items) {
                Ok((score, points)) => ScorePreview::Items { score, points },
                Err(refusal) => ScorePreview::Refused(refusal),
            };
        }
        let Some(input) = self
            .scores
            .entries
            .get(id)
            .filter(|i| !i.value().is_empty())
        else {
            return ScorePreview::Empty;
        };
        let score = match input::number(&input.text, Field::Score) {
            Ok(score) => score,
            Err(e) => return ScorePreview::NotNumber(e),
        };
        let tally = self.scores.existing.get(id).cloned().unwrap_or_default();
        let period = PeriodKey(self.scores.period.clone());
        match score_points(&meta.policy, &period, &tally, score) {
            Ok(points) => ScorePreview::Points(points),
            Err(refusal) => ScorePreview::Refused(refusal),
        }
    }

    /// The policy's score sheet (评分细则), when the grid takes scores by item.
    pub fn score_items(&self) -> Option<&ScoreSheet> {
        self.data.meta.as_ref()?.score_sheet.as_ref()
    }

    /// The commands committing the score grid sends: one `EnterScore` per typed score, or, when
    /// the policy has a score sheet, one `EnterItemScores` per household with items typed. The
    /// confirmation counts these, so it names exactly what the commit will send.
    pub fn score_commands(&self) -> Vec<Command> {
        let period = &self.scores.period;
        let households = self.data.households.iter();
        if let Some(sheet) = self.score_items() {
            return households
                .filter_map(|h| {
                    let items = self.typed_items(sheet, h.household_id).ok()?;
                    (!items.is_empty()).then(|| Command::EnterItemScores {
                        household_id: h.household_id.to_string(),
                        period: period.clone(),
                        items,
                        note: String::new(),
                    })
                })
                .collect();
        }
        households
            .filter_map(|h| {
                let typed = self.scores.entries.get(h.household_id)?;
                let score = input::number(&typed.text, Field::Score).ok()?;
                Some(Command::EnterScore {
                    household_id: h.household_id.to_string(),
                    period: period.clone(),
                    score,
                    note: String::new(),
                })
            })
            .collect()
    }

    /// The items typed for household `id`, in sheet order (empty cells left out), each read
    /// by the one normaliser; or its refusal when one is not a whole number.
    pub fn typed_items(&self, sheet: &ScoreSheet, id: &str) -> Result<Vec<ItemScore>, InputError> {
        let Some(inputs) = self.scores.item_entries.get(id) else {
            return Ok(Vec::new());
        };
        let mut items = Vec::new();
        for (item, input) in sheet.items.iter().zip(inputs) {
            let text = input.value();
            if text.is_empty() {
                continue;
            }
            let score = input::number(text, Field::Score)?;
            items.push(ItemScore::new(item.name.clone(), score));
        }
        Ok(items)
    }

    /// When `award`'s publicity ends under the station's policy, UTC ms; `None` before the
    /// station exists.
    pub fn publicity_until_ms(&self, award: &AwardRecord) -> Option<i64> {
        let policy = &self.data.meta.as_ref()?.policy;
        Some(publicity_until_ms(award.entered_ms, policy))
    }

    /// Whether `award` may be confirmed now (pending, and its publicity over).
    pub fn award_due(&self, award: &AwardRecord) -> bool {
        self.data
            .meta
            .as_ref()
            .is_some_and(|meta| is_due(award, &meta.policy, self.now_ms))
    }
}
