//! The village budget report (积分预算使用情况): for each month (or quarter) of a year, the
//! points the village may award under its policy's population budget (`003_*.txt` 篇三第四条:
//! ≤3000 people 250 a month … more than 12000 1500) against the points awarded so far, pending
//! or confirmed (revoked awards give theirs back). The limit is
//! [`Policy::budget_for_period`](crate::domain::Policy::budget_for_period) and the use is the
//! ledger's own count ([`State::budget_used`](crate::domain::State::budget_used)), the same
//! figures the domain checks every score against, so the report and the refusals agree.

use serde::Serialize;

use super::table::{signers, AsSheet, AsTable, Cell, Sheet, Table};
use crate::domain::event::PeriodKey;
use crate::domain::time::PeriodKind;
use crate::domain::Refusal;
use crate::i18n::Lang;
use crate::store::ledger::View;
use crate::store::StoreError;

/// A year's budget by month or quarter.
#[derive(Clone, Debug, Serialize)]
pub struct BudgetReport {
    /// The year.
    pub year: i32,
    /// The village's population, as the policy gives it.
    pub population: u32,
    /// One line per month (or quarter, for a quarterly policy), in order.
    pub lines: Vec<BudgetLine>,
}

/// One budget period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BudgetLine {
    /// The budget key: `2026-10` or `2026-Q4`.
    pub period: String,
    /// Points the village may award in it.
    pub budget_points: i64,
    /// Points awarded against it, pending or confirmed.
    pub used_points: i64,
}

impl BudgetLine {
    /// What is left (negative only if a policy change lowered the budget after awards).
    pub fn remaining_points(&self) -> i64 {
        self.budget_points - self.used_points
    }

    /// The share used, in whole percent, rounded down (integers only).
    pub fn used_percent(&self) -> i64 {
        if self.budget_points <= 0 {
            return 0;
        }
        self.used_points.saturating_mul(100) / self.budget_points
    }
}

impl BudgetReport {
    /// The year's totals: (budget, used).
    pub fn totals(&self) -> (i64, i64) {
        self.lines.iter().fold((0, 0), |(b, u), l| {
            (b.saturating_add(l.budget_points), u + l.used_points)
        })
    }
}

/// The budget of `year` under the station's policy; a policy without a village budget is
/// refused ([`Refusal::NoBudget`]).
pub fn budget_report(view: &View, year: i32) -> Result<BudgetReport, StoreError> {
    let meta = view.require_meta()?;
    let policy = &meta.policy;
    let budget = policy
        .budget
        .as_ref()
        .ok_or(StoreError::Refused(Refusal::NoBudget))?;
    // Budgets count by the month, or by the quarter where the policy scores quarterly.
    let keys: Vec<String> = match policy.period {
        PeriodKind::Quarter => (1..=4).map(|q| format!("{year:04}-Q{q}")).collect(),
        _ => (1..=12).map(|m| format!("{year:04}-{m:02}")).collect(),
    };
    let mut lines = Vec::with_capacity(keys.len());
    for key in keys {
        let Some((budget_key, budget_points)) = policy.budget_for_period(&PeriodKey(key)) else {
            continue;
        };
        let used_points = view.state().budget_used(&budget_key)?;
        lines.push(BudgetLine {
            period: budget_key,
            budget_points,
            used_points,
        });
    }
    Ok(BudgetReport {
        year,
        population: budget.population,
        lines,
    })
}

impl AsTable for BudgetReport {
    fn to_table(&self, lang: Lang) -> Table {
        let headers = [
            ("期间", "period"),
            ("预算积分", "budget"),
            ("已发积分", "awarded"),
            ("剩余积分", "left"),
            ("使用率%", "used %"),
        ]
        .iter()
        .map(|(zh, en)| lang.pick(zh, en).to_string())
        .collect();
        let mut rows: Vec<Vec<Cell>> = self
            .lines
            .iter()
            .map(|l| {
                vec![
                    l.period.as_str().into(),
                    l.budget_points.into(),
                    l.used_points.into(),
                    l.remaining_points().into(),
                    l.used_percent().into(),
                ]
            })
            .collect();
        let (budget_points, used_points) = self.totals();
        let year = BudgetLine {
            period: String::new(),
            budget_points,
            used_points,
        };
        rows.push(vec![
            lang.pick("全年合计", "year").into(),
            year.budget_points.into(),
            year.used_points.into(),
            year.remaining_points().into(),
            year.used_percent().into(),
        ]);
        Table {
            title: match lang {
                Lang::Zh => format!("积分预算 {}", self.year),
                Lang::En => format!("points budget {}", self.year),
            },
            headers,
            rows,
        }
    }
}

impl AsSheet for BudgetReport {
    /// The budget on paper: the year's periods against their limits, and the lines to sign.
    fn to_sheet(&self, lang: Lang, station: &str) -> Sheet {
        let mut table = self.to_table(lang);
        table.title = String::new();
        let population = self.population;
        Sheet {
            title: lang.pick("积分预算使用情况", "points budget").to_string(),
            station: station.to_string(),
            period: self.year.to_string(),
            tables: vec![table],
            notes: vec![match lang {
                Lang::Zh => format!(
                    "按全村人口 {population} 人核定每月积分预算；已发积分含公示中的评分，撤销的评分不计。"
                ),
                Lang::En => format!(
                    "Monthly budget set by the village population of {population}; awarded points include scores still posted, not revoked ones."
                ),
            }],
            signatures: signers(lang, &[("经办人", "prepared by"), ("审核人", "checked by")]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_whole_percent_rounded_down() {
        let line = |budget_points, used_points| BudgetLine {
            period: "2026-10".into(),
            budget_points,
            used_points,
        };
        assert_eq!(line(250, 0).used_percent(), 0);
        assert_eq!(line(250, 249).used_percent(), 99);
        assert_eq!(line(250, 250).used_percent(), 100);
        assert_eq!(line(0, 5).used_percent(), 0);
        assert_eq!(line(250, 40).remaining_points(), 210);
    }
}
