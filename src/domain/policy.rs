//! A village's scheme rules as data. Every village runs a slightly different points scheme
//! (direct points, threshold score, quarterly ranked, daily action points, member card), so the
//! rules live in a TOML policy file that this module parses, checks and applies. The policy is
//! stored inside the ledger's events, so it must round-trip through the codec: no internally
//! tagged enums, no untagged values.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

use super::event::PeriodKey;
use super::time::{CivilDate, PeriodKind};

/// Which of the seeds' schemes a policy follows; informational, the fields decide.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// 1 point = 1 yuan of goods, capped per month, village budget by population.
    DirectPoints,
    /// Monthly score; each point above 80 is worth 5 yuan.
    ThresholdScore,
    /// Quarterly score from a base of 100; redeem if ≥ 80 and in the top 60 %.
    QuarterlyRanked,
    /// Daily points for meeting criteria (rubbish sorting), capped per day.
    DailyAction,
    /// 1 yuan spent earns 1 point, tiers multiply.
    MemberCard,
}

/// How a committee score becomes points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Conversion {
    /// Points equal the score.
    Direct,
    /// Each score point above `threshold` is worth `points_per_score` points (81 → 5).
    Excess {
        threshold: i64,
        points_per_score: i64,
    },
}

/// Who may redeem: a minimum score and a rank in the village for the latest scored period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// The latest period's score must be at least this.
    pub min_score: i64,
    /// And the household must rank within this top percentage of its village (1–100).
    pub top_percent: u32,
}

/// When the shop may redeem points.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RedemptionWindow {
    /// Any day.
    Always,
    /// Only the first `days` days of each quarter's first month.
    QuarterFirstDays { days: u32 },
}

/// One row of the village budget table: up to `population_max` people, `points` a month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTier {
    /// Upper bound of population for this row; the last row may use a very large number.
    pub population_max: u32,
    /// Points the village may award per month.
    pub monthly_points: i64,
}

/// The village's monthly points budget by population.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Budget {
    /// The village's population.
    pub population: u32,
    /// The table, sorted by `population_max`.
    pub tiers: Vec<BudgetTier>,
}

/// A member-card tier that multiplies earning (in percent, 100 = ×1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardTier {
    /// Tier name, e.g. 金卡.
    pub name: String,
    /// Earning multiplier in percent.
    pub multiplier_percent: i64,
}

/// Earning points by spending money (member-card scheme).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseEarning {
    /// Points per whole yuan spent.
    pub points_per_yuan: i64,
    /// Tiers that multiply earning.
    pub tiers: Vec<CardTier>,
}

/// A village scheme's rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Human name of the scheme.
    pub name: String,
    /// Which seed scheme this follows.
    pub scheme: Scheme,
    /// What one point is worth in goods, in fen (100 = 1 yuan).
    pub point_value_fen: i64,
    /// Length of a scoring period.
    pub period: PeriodKind,
    /// Lowest score the committee may enter.
    pub score_min: i64,
    /// Highest score the committee may enter.
    pub score_max: i64,
    /// Whether a household gets one score per period (true) or many entries that add up.
    pub one_score_per_period: bool,
    /// At most this many points per household per period; 0 means no cap.
    pub points_cap_per_period: i64,
    /// A period scored below this earns nothing and does not accumulate; 0 means none.
    pub min_score_to_earn: i64,
    /// Score to points.
    pub conversion: Conversion,
    /// Who may redeem, if restricted.
    pub eligibility: Option<Eligibility>,
    /// When redemption is open.
    pub redemption_window: RedemptionWindow,
    /// Days an award is posted before it may be confirmed (公示).
    pub publicity_days: u32,
    /// Whether balances are cleared at year end (一年一清).
    pub clear_at_year_end: bool,
    /// Village budget by population, if any.
    pub budget: Option<Budget>,
    /// The goods zones, in points.
    pub zones: Vec<u32>,
    /// Member-card earning by spending, if any.
    pub purchase_earning: Option<PurchaseEarning>,
}

/// Why a policy file could not be used.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PolicyError {
    /// TOML syntax or a missing/unknown field.
    #[error("policy file is not valid: {0}")]
    Syntax(String),
    /// Fields parse but contradict each other.
    #[error("policy is inconsistent: {0}")]
    Inconsistent(String),
}

impl PolicyError {
    /// One line for the person who wrote the policy file, in `lang`. The file's own keys
    /// (`point_value_fen`) are named as written; the TOML reader's detail is English, so the
    /// Chinese line gives its line number and the way out.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (PolicyError::Syntax(detail), Lang::Zh) => {
                let line = detail
                    .split("line ")
                    .nth(1)
                    .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                    .filter(|n| !n.is_empty());
                match line {
                    Some(n) => {
                        format!("积分政策文件第 {n} 行格式不对；请对照 data/policies/ 里的样例修改")
                    }
                    None => "积分政策文件格式不对；请对照 data/policies/ 里的样例修改".to_string(),
                }
            }
            (PolicyError::Inconsistent(what), Lang::Zh) => {
                let zh = match what.as_str() {
                    "point_value_fen must be positive" => {
                        "point_value_fen（每分值多少分钱）必须大于 0"
                    }
                    "score_min is above score_max" => "score_min（最低分）大于 score_max（最高分）",
                    "points_cap_per_period must not be negative" => {
                        "points_cap_per_period（每期积分上限）不能是负数"
                    }
                    "points_per_score must be positive" => {
                        "points_per_score（每分折多少积分）必须大于 0"
                    }
                    "top_percent must be 1 to 100" => {
                        "top_percent（前百分之几）必须在 1 到 100 之间"
                    }
                    "redemption window days must be 1 to 31" => "兑换窗口的天数必须在 1 到 31 之间",
                    "budget needs at least one tier" => "budget（预算）至少要有一档",
                    "budget tiers must be sorted by population_max" => {
                        "budget 的各档要按 population_max（人口上限）从小到大排列"
                    }
                    "zones must be positive" => "zones（专区）的积分必须大于 0",
                    _ => "各项设置互相矛盾",
                };
                format!("积分政策不能用：{zh}")
            }
        }
    }
}

impl Policy {
    /// Parses and checks a policy from TOML text.
    pub fn from_toml(text: &str) -> Result<Policy, PolicyError> {
        let policy: Policy =
            toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        policy.check()?;
        Ok(policy)
    }

    /// Renders the policy back to TOML (for `aixin init` and the township's bundles).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Refuses contradictory settings so a bad file fails at load, not at the till.
    pub fn check(&self) -> Result<(), PolicyError> {
        let bad = |m: &str| Err(PolicyError::Inconsistent(m.to_string()));
        if self.point_value_fen <= 0 {
            return bad("point_value_fen must be positive");
        }
        if self.score_min > self.score_max {
            return bad("score_min is above score_max");
        }
        if self.points_cap_per_period < 0 {
            return bad("points_cap_per_period must not be negative");
        }
        if let Conversion::Excess {
            points_per_score, ..
        } = self.conversion
        {
            if points_per_score <= 0 {
                return bad("points_per_score must be positive");
            }
        }
        if let Some(e) = &self.eligibility {
            if e.top_percent == 0 || e.top_percent > 100 {
                return bad("top_percent must be 1 to 100");
            }
        }
        if let RedemptionWindow::QuarterFirstDays { days } = self.redemption_window {
            if days == 0 || days > 31 {
                return bad("redemption window days must be 1 to 31");
            }
        }
        if let Some(b) = &self.budget {
            if b.tiers.is_empty() {
                return bad("budget needs at least one tier");
            }
            if b.tiers
                .windows(2)
                .any(|w| w[0].population_max >= w[1].population_max)
            {
                return bad("budget tiers must be sorted by population_max");
            }
        }
        if self.zones.contains(&0) {
            return bad("zones must be positive");
        }
        Ok(())
    }

    /// Points a score earns under this policy, before any cap (0 below the earning minimum).
    pub fn points_for_score(&self, score: i64) -> i64 {
        if self.min_score_to_earn > 0 && score < self.min_score_to_earn {
            return 0;
        }
        match self.conversion {
            Conversion::Direct => score.max(0),
            Conversion::Excess {
                threshold,
                points_per_score,
            } => (score - threshold).max(0).saturating_mul(points_per_score),
        }
    }

    /// The village's monthly points budget for its population, if the policy has one.
    pub fn monthly_budget(&self) -> Option<i64> {
        let budget = self.budget.as_ref()?;
        let tier = budget
            .tiers
            .iter()
            .find(|t| budget.population <= t.population_max)
            .or(budget.tiers.last())?;
        Some(tier.monthly_points)
    }

    /// The budget that a period's awards count against: its month's (or quarter's) budget.
    pub fn budget_for_period(&self, period: &PeriodKey) -> Option<(String, i64)> {
        let monthly = self.monthly_budget()?;
        let key = &period.0;
        if key.len() >= 7
            && key.as_bytes().get(4) == Some(&b'-')
            && key.as_bytes().get(5) == Some(&b'Q')
        {
            Some((key.clone(), monthly.saturating_mul(3)))
        } else {
            Some((key.chars().take(7).collect(), monthly))
        }
    }

    /// Whether redemption is open on this civil (China) date.
    pub fn redemption_open(&self, date: CivilDate) -> bool {
        match self.redemption_window {
            RedemptionWindow::Always => true,
            RedemptionWindow::QuarterFirstDays { days } => {
                matches!(date.month, 1 | 4 | 7 | 10) && date.day <= days
            }
        }
    }

    /// Points earned by spending `spent_fen` at a tier (member-card scheme); 0 without one.
    pub fn points_for_purchase(&self, spent_fen: i64, tier: &str) -> i64 {
        let Some(earning) = &self.purchase_earning else {
            return 0;
        };
        let multiplier = earning
            .tiers
            .iter()
            .find(|t| t.name == tier)
            .map(|t| t.multiplier_percent)
            .unwrap_or(100);
        (spent_fen / 100)
            .saturating_mul(earning.points_per_yuan)
            .saturating_mul(multiplier)
            / 100
    }
}

/// Whether a household with `score` is eligible given all scores of its village for the period.
/// Ranking counts households with a strictly higher score, so ties share a rank.
pub fn eligible_by_rank(eligibility: &Eligibility, score: i64, all_scores: &[i64]) -> bool {
    let higher = all_scores.iter().filter(|s| **s > score).count();
    eligible_at(eligibility, score, all_scores.len(), higher)
}

/// The rule of [`eligible_by_rank`] given the count of scores and how many are higher.
fn eligible_at(eligibility: &Eligibility, score: i64, total: usize, higher: usize) -> bool {
    if score < eligibility.min_score || total == 0 {
        return false;
    }
    // Rank is 1 + number strictly higher; eligible when rank ≤ ceil(total × pct / 100).
    let allowed = (total as u64 * u64::from(eligibility.top_percent)).div_ceil(100);
    (higher as u64) < allowed
}

/// A period's scores ranked once, so that the rank and eligibility of every household on a
/// board cost a binary search each instead of a pass over all scores (100,000 households:
/// 3 s for the board before). Answers exactly as [`eligible_by_rank`].
#[derive(Clone, Debug)]
pub struct Ranking {
    descending: Vec<i64>,
}

impl Ranking {
    /// Ranks `scores` (one per scored household).
    pub fn new(scores: &[i64]) -> Ranking {
        let mut descending = scores.to_vec();
        descending.sort_unstable_by(|a, b| b.cmp(a));
        Ranking { descending }
    }

    /// How many scores are strictly higher than `score` (the rank is one more).
    pub fn higher(&self, score: i64) -> usize {
        self.descending.partition_point(|s| *s > score)
    }

    /// Whether `score` is within the policy's top share: [`eligible_by_rank`]'s rule.
    pub fn eligible(&self, eligibility: &Eligibility, score: i64) -> bool {
        eligible_at(
            eligibility,
            score,
            self.descending.len(),
            self.higher(score),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ranking_answers_as_counting_every_score() {
        let scores: Vec<i64> = (0..200i64).map(|i| (i * 37) % 23 - 5).collect();
        let ranking = Ranking::new(&scores);
        for top_percent in [0u32, 1, 10, 33, 50, 100] {
            for min_score in [-10i64, 0, 7] {
                let eligibility = Eligibility {
                    top_percent,
                    min_score,
                };
                for score in -8..20 {
                    assert_eq!(
                        ranking.eligible(&eligibility, score),
                        eligible_by_rank(&eligibility, score, &scores),
                        "top {top_percent}% min {min_score} score {score}"
                    );
                    let higher = scores.iter().filter(|s| **s > score).count();
                    assert_eq!(ranking.higher(score), higher);
                }
            }
        }
        assert!(!Ranking::new(&[]).eligible(
            &Eligibility {
                top_percent: 100,
                min_score: 0
            },
            5
        ));
    }

    fn budget_policy(population: u32) -> Policy {
        let mut p = sample();
        p.budget = Some(Budget {
            population,
            tiers: vec![
                BudgetTier {
                    population_max: 3000,
                    monthly_points: 250,
                },
                BudgetTier {
                    population_max: 6000,
                    monthly_points: 500,
                },
                BudgetTier {
                    population_max: 9000,
                    monthly_points: 750,
                },
                BudgetTier {
                    population_max: 12000,
                    monthly_points: 1000,
                },
                BudgetTier {
                    population_max: u32::MAX,
                    monthly_points: 1500,
                },
            ],
        });
        p
    }

    fn sample() -> Policy {
        Policy {
            name: "t".into(),
            scheme: Scheme::ThresholdScore,
            point_value_fen: 100,
            period: PeriodKind::Month,
            score_min: 0,
            score_max: 100,
            one_score_per_period: true,
            points_cap_per_period: 0,
            min_score_to_earn: 80,
            conversion: Conversion::Excess {
                threshold: 80,
                points_per_score: 5,
            },
            eligibility: None,
            redemption_window: RedemptionWindow::Always,
            publicity_days: 7,
            clear_at_year_end: true,
            budget: None,
            zones: vec![2, 5, 10, 20, 30, 50],
            purchase_earning: None,
        }
    }

    #[test]
    fn threshold_excess_worked_examples() {
        let p = sample();
        assert_eq!(p.points_for_score(81), 5);
        assert_eq!(p.points_for_score(82), 10);
        assert_eq!(p.points_for_score(80), 0);
        assert_eq!(p.points_for_score(79), 0);
    }

    #[test]
    fn population_budget_table() {
        assert_eq!(budget_policy(2800).monthly_budget(), Some(250));
        assert_eq!(budget_policy(3000).monthly_budget(), Some(250));
        assert_eq!(budget_policy(3001).monthly_budget(), Some(500));
        assert_eq!(budget_policy(9000).monthly_budget(), Some(750));
        assert_eq!(budget_policy(12000).monthly_budget(), Some(1000));
        assert_eq!(budget_policy(12001).monthly_budget(), Some(1500));
    }

    #[test]
    fn top_sixty_percent_with_ties() {
        let e = Eligibility {
            min_score: 80,
            top_percent: 60,
        };
        let scores = [95, 90, 85, 82, 80];
        // 5 households → top 3 may redeem.
        assert!(eligible_by_rank(&e, 95, &scores));
        assert!(eligible_by_rank(&e, 85, &scores));
        assert!(!eligible_by_rank(&e, 82, &scores));
        assert!(!eligible_by_rank(&e, 79, &[79, 70]));
        // A tie at the cut shares the rank.
        assert!(eligible_by_rank(&e, 85, &[95, 90, 85, 85, 80]));
    }

    #[test]
    fn quarter_window_first_five_days() {
        let mut p = sample();
        p.redemption_window = RedemptionWindow::QuarterFirstDays { days: 5 };
        assert!(p.redemption_open(CivilDate {
            year: 2026,
            month: 4,
            day: 1
        }));
        assert!(p.redemption_open(CivilDate {
            year: 2026,
            month: 10,
            day: 5
        }));
        assert!(!p.redemption_open(CivilDate {
            year: 2026,
            month: 10,
            day: 6
        }));
        assert!(!p.redemption_open(CivilDate {
            year: 2026,
            month: 5,
            day: 1
        }));
    }

    #[test]
    fn refuses_inconsistent_policy() {
        let mut p = sample();
        p.score_min = 200;
        assert!(p.check().is_err());
    }

    #[test]
    fn purchase_earning_with_tier() {
        let mut p = sample();
        p.purchase_earning = Some(PurchaseEarning {
            points_per_yuan: 1,
            tiers: vec![CardTier {
                name: "金卡".into(),
                multiplier_percent: 200,
            }],
        });
        assert_eq!(p.points_for_purchase(12_345, "普通"), 123);
        assert_eq!(p.points_for_purchase(12_345, "金卡"), 246);
    }
}
