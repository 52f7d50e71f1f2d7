//! The publicity board (公示榜): one period's scores and points per household, ranked, as the
//! committee posts it on the village notice board so that neighbours can check and object.
//! Ranking is by the committee's score, with ties sharing a rank, exactly as
//! [`eligible_by_rank`] counts it, so the board and the till never disagree about who may
//! redeem. Revoked entries do not count; a household whose only entry was revoked is not listed.

use serde::Serialize;

use super::table::{AsTable, Table};
use crate::domain::policy::eligible_by_rank;
use crate::domain::time::{parse_period, PeriodKind};
use crate::domain::Refusal;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// A period's ranked board.
#[derive(Clone, Debug, Serialize)]
pub struct Board {
    /// The period key, e.g. `2026-09` or `2026-Q3`.
    pub period: String,
    /// Households ranked by score, best first.
    pub rows: Vec<BoardRow>,
}

/// One household on the board.
#[derive(Clone, Debug, Serialize)]
pub struct BoardRow {
    /// 1 + the number of households with a strictly higher score: ties share a rank.
    pub rank: u32,
    /// The household's id.
    pub household_id: String,
    /// Head of household.
    pub head: String,
    /// Village group.
    pub group: String,
    /// The period's score (sum of live entries).
    pub score: i64,
    /// Points the period earned (pending or confirmed).
    pub points: i64,
    /// Whether the household may redeem on this period's result, when the policy ranks.
    pub eligible: Option<bool>,
}

/// Accepts a day, month or quarter key; the policy may have changed its period kind mid-year.
fn parse_any_period(period: &str) -> Result<String, StoreError> {
    [PeriodKind::Quarter, PeriodKind::Month, PeriodKind::Day]
        .into_iter()
        .find_map(|kind| parse_period(period, kind))
        .map(|key| key.0)
        .ok_or_else(|| StoreError::Refused(Refusal::BadPeriod(period.to_string())))
}

/// The board of one period; a malformed period is refused.
pub fn board(view: &View, period: &str) -> Result<Board, StoreError> {
    let meta = view.require_meta()?;
    let key = parse_any_period(period)?;
    let tallies: Vec<_> = view
        .period_tallies(&key)?
        .into_iter()
        .filter(|(_, t)| t.entries > 0)
        .collect();
    let all_scores: Vec<i64> = tallies.iter().map(|(_, t)| t.score).collect();
    // Eligibility is decided on the policy's own period kind; other periods get no verdict.
    let eligibility = meta
        .policy
        .eligibility
        .as_ref()
        .filter(|_| parse_period(&key, meta.policy.period).is_some());
    let mut rows = Vec::with_capacity(tallies.len());
    for (household_id, tally) in tallies {
        let (head, group) = match view.state().household(&household_id)? {
            Some(h) => (h.household.head, h.household.group),
            None => (String::new(), String::new()),
        };
        let higher = all_scores.iter().filter(|s| **s > tally.score).count();
        rows.push(BoardRow {
            rank: u32::try_from(higher + 1).unwrap_or(u32::MAX),
            household_id,
            head,
            group,
            score: tally.score,
            points: tally.points,
            eligible: eligibility.map(|e| eligible_by_rank(e, tally.score, &all_scores)),
        });
    }
    rows.sort_by(|a, b| {
        a.rank
            .cmp(&b.rank)
            .then(b.points.cmp(&a.points))
            .then_with(|| a.household_id.cmp(&b.household_id))
    });
    Ok(Board { period: key, rows })
}

impl AsTable for Board {
    fn to_table(&self, lang: Lang) -> Table {
        let with_eligibility = self.rows.iter().any(|r| r.eligible.is_some());
        let mut headers: Vec<String> = [
            ("名次", "rank"),
            ("户号", "household"),
            ("户主", "head"),
            ("小组", "group"),
            ("得分", "score"),
            ("积分", "points"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        if with_eligibility {
            headers.push(lang.pick("可兑换", "may redeem").to_string());
        }
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let mut row = vec![
                    r.rank.to_string(),
                    r.household_id.clone(),
                    r.head.clone(),
                    r.group.clone(),
                    r.score.to_string(),
                    r.points.to_string(),
                ];
                if with_eligibility {
                    let verdict = match r.eligible {
                        Some(true) => lang.pick("是", "yes"),
                        Some(false) => lang.pick("否", "no"),
                        None => "",
                    };
                    row.push(verdict.to_string());
                }
                row
            })
            .collect();
        let title = match lang {
            Lang::Zh => format!("公示榜 {}", self.period),
            Lang::En => format!("publicity board {}", self.period),
        };
        Table {
            title,
            headers,
            rows,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_period_kind_is_accepted_and_junk_refused() {
        assert_eq!(
            parse_any_period("2026-Q3").ok(),
            Some("2026-Q3".to_string())
        );
        assert_eq!(
            parse_any_period("2026-09").ok(),
            Some("2026-09".to_string())
        );
        assert_eq!(
            parse_any_period("2026-09-30").ok(),
            Some("2026-09-30".to_string())
        );
        assert!(matches!(
            parse_any_period("2026-Q5"),
            Err(StoreError::Refused(Refusal::BadPeriod(_)))
        ));
        assert!(parse_any_period("last month").is_err());
    }
}
