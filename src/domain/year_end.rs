//! Year-end clearing (一年一清, seed 000 篇二 and 篇五): what `close-year Y` would remove and
//! whether it may run. The command line's `close-year --preview`, the till's preview popup and
//! the decision itself all read the same [`YearEndPreview`], so the manager sees exactly what
//! the ledger will record: per household, the credit of `Y` and earlier that is left (later
//! years' credit stays), the total, and the scoring periods of `Y` that have no scores.

use serde::Serialize;

use super::command::DecideError;
use super::credit;
use super::event::PeriodKey;
use super::policy::Policy;
use super::refusal::Refusal;
use super::state::State;
use super::time::{CivilDate, PeriodKind};
use crate::i18n::Lang;

/// One household's part of a year-end clearing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearEndLine {
    /// Whose.
    pub household_id: String,
    /// Head of household, for the printed list.
    pub head: String,
    /// Points of the cleared year and earlier that are removed.
    pub cleared_points: i64,
    /// Points of later years that stay spendable.
    pub kept_points: i64,
}

/// What clearing a year would do; refusals come before it is built.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearEndPreview {
    /// The year cleared.
    pub year: i32,
    /// Households that lose points, by household id.
    pub households: Vec<YearEndLine>,
    /// All points removed.
    pub total_points: i64,
    /// Later years' points that stay, over all households.
    pub kept_points: i64,
    /// Scoring periods of the year with no score entered for anyone (maybe forgotten).
    pub unscored_periods: Vec<PeriodKey>,
}

/// Decides whether `year` may be cleared today and, if so, what the clearing removes.
///
/// Refusals: the policy never clears ([`Refusal::PolicyNeverClears`]); the year has not ended
/// ([`Refusal::YearNotOver`]); it (or a later year) was cleared ([`Refusal::YearAlreadyCleared`]);
/// awards of it or earlier are still in publicity ([`Refusal::PendingAwards`]).
pub fn preview(
    state: &dyn State,
    policy: &Policy,
    today: CivilDate,
    year: i32,
) -> Result<YearEndPreview, DecideError> {
    if !policy.clear_at_year_end {
        return Err(Refusal::PolicyNeverClears.into());
    }
    if year >= today.year {
        return Err(Refusal::YearNotOver(year).into());
    }
    if state.last_cleared_year()?.is_some_and(|y| y >= year) {
        return Err(Refusal::YearAlreadyCleared(year).into());
    }
    let pending = state
        .pending_awards()?
        .iter()
        .filter(|a| a.period.year().is_some_and(|y| y <= year))
        .count();
    if pending > 0 {
        return Err(Refusal::PendingAwards {
            year,
            count: pending,
        }
        .into());
    }
    let mut households = Vec::new();
    let mut kept_points = 0;
    for record in state.households_with_balance()? {
        let cleared_points = credit::remaining_through(&record.credit, year);
        let kept = credit::remaining_after(&record.credit, year);
        kept_points += kept;
        if cleared_points > 0 {
            households.push(YearEndLine {
                household_id: record.household.household_id,
                head: record.household.head,
                cleared_points,
                kept_points: kept,
            });
        }
    }
    households.sort_by(|a, b| a.household_id.cmp(&b.household_id));
    let total_points = households.iter().map(|h| h.cleared_points).sum();
    let mut unscored_periods = Vec::new();
    for period in periods_of_year(year, policy.period) {
        if state.period_scores(&period)?.is_empty() {
            unscored_periods.push(period);
        }
    }
    Ok(YearEndPreview {
        year,
        households,
        total_points,
        kept_points,
        unscored_periods,
    })
}

/// Every scoring period of a year for a period kind, in order.
pub fn periods_of_year(year: i32, kind: PeriodKind) -> Vec<PeriodKey> {
    match kind {
        PeriodKind::Month => (1..=12)
            .map(|m| PeriodKey(format!("{year:04}-{m:02}")))
            .collect(),
        PeriodKind::Quarter => (1..=4)
            .map(|q| PeriodKey(format!("{year:04}-Q{q}")))
            .collect(),
        PeriodKind::Day => {
            let mut out = Vec::new();
            for month in 1..=12u32 {
                for day in 1..=31u32 {
                    let date = CivilDate { year, month, day };
                    let key = date.to_string();
                    if CivilDate::parse(&key).is_some() {
                        out.push(PeriodKey(key));
                    }
                }
            }
            out
        }
    }
}

/// Runs of consecutive periods written compactly for a message or a printout in `lang`:
/// `2026-01, 2026-03–2026-05` in English, `2026-01、2026-03–2026-05` in Chinese (Chinese
/// lists take the enumeration comma). Periods must be in order, as [`preview`] returns them.
pub fn describe_periods(periods: &[PeriodKey], kind: PeriodKind, lang: Lang) -> String {
    let all: Vec<PeriodKey> = match periods.first().and_then(PeriodKey::year) {
        Some(year) => periods_of_year(year, kind),
        None => return String::new(),
    };
    let index = |p: &PeriodKey| all.iter().position(|q| q == p);
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for i in periods.iter().filter_map(index) {
        match runs.last_mut() {
            Some((_, end)) if *end + 1 == i => *end = i,
            _ => runs.push((i, i)),
        }
    }
    runs.iter()
        .map(|&(a, b)| {
            if a == b {
                all[a].0.clone()
            } else {
                format!("{}–{}", all[a].0, all[b].0)
            }
        })
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_a_year() {
        assert_eq!(periods_of_year(2026, PeriodKind::Month).len(), 12);
        assert_eq!(periods_of_year(2026, PeriodKind::Quarter)[3].0, "2026-Q4");
        assert_eq!(periods_of_year(2024, PeriodKind::Day).len(), 366);
        assert_eq!(periods_of_year(2026, PeriodKind::Day).len(), 365);
    }

    #[test]
    fn runs_are_written_compactly() {
        let months: Vec<PeriodKey> = ["2026-01", "2026-03", "2026-04", "2026-05", "2026-12"]
            .iter()
            .map(|m| PeriodKey(m.to_string()))
            .collect();
        assert_eq!(
            describe_periods(&months, PeriodKind::Month, Lang::En),
            "2026-01, 2026-03–2026-05, 2026-12"
        );
        assert_eq!(
            describe_periods(&months, PeriodKind::Month, Lang::Zh),
            "2026-01、2026-03–2026-05、2026-12"
        );
        assert_eq!(describe_periods(&[], PeriodKind::Month, Lang::En), "");
    }
}
