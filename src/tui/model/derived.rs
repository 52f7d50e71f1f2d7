//! What the screens show that is worked out from the model by asking the domain, so `update`
//! (which acts on it) and `view` (which shows it) ask the same question the same way: the
//! points a typed score would earn or the domain's refusal ([`score_points`]), and when an
//! award's publicity ends and whether it is due ([`crate::domain::publicity`]).

use crate::domain::event::PeriodKey;
use crate::domain::input::{self, Field, InputError};
use crate::domain::publicity::{is_due, publicity_until_ms};
use crate::domain::state::AwardRecord;
use crate::domain::{score_points, Refusal};

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
