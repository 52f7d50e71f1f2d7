//! The committee's score sheet (评分细则): the items a household is scored on, each with its
//! bounds, as the seeds' "positive incentive" (正向激励, 加分) and "reverse constraint" (反向约束,
//! 扣分) rules list them (`000_*.txt` 篇二: 主动脱贫、家庭美德、遵纪守法、环境卫生、配合工作;
//! 篇五 and `002_*.txt` 篇一: a base of 100 with items for and against; `003_*.txt` 篇一: the
//! rubbish-sorting categories of 1, 2 and 4 points). The seeds name the items and let each
//! village set their points (各村可根据实际情况对评分细则进行适当调整), so the sheet is data in the
//! policy file, beside the policy:
//!
//! ```toml
//! [score_items]
//! base = 100
//! items = [
//!   { name = "人居环境", min = -10, max = 10 },
//!   { name = "违规", min = -20, max = 0 },
//! ]
//! ```
//!
//! A score entered by item is `base + Σ items`; each item must lie within its bounds and an item
//! not given counts 0. The total is then checked by the policy's own rules (range, one score a
//! period, the cap, the village budget) exactly as a total typed in is.
//!
//! The sheet travels in events of its own (`ScoreSheetSet`, `ScoreSheetIssued`), not inside
//! [`Policy`](super::Policy): the policy is encoded by field position inside
//! `StationInitialized`, `PolicySet` and `PolicyIssued`, so a new field there would make every
//! existing ledger unreadable.

use serde::{Deserialize, Serialize};

use super::policy::PolicyError;
use super::refusal::Refusal;

/// At most this many items on one sheet (a sheet is a page the committee fills in by hand).
pub const SCORE_ITEMS_MAX: usize = 24;

/// At most this many characters in an item's name.
pub const ITEM_NAME_CHARS_MAX: usize = 16;

/// The largest bound an item may have, either way.
pub const ITEM_POINTS_ABS_MAX: i64 = 1_000;

/// Column names of the score import file that an item may not take.
const RESERVED_NAMES: [&str; 4] = ["household_id", "period", "score", "note"];

/// One item of the sheet: the committee gives a household between `min` and `max` on it. A
/// positive-incentive item (加分) runs from 0 up; a reverse-constraint item (扣分) from a
/// negative bound up to 0; an item may also run both ways around 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreItem {
    /// The item as the committee names it, e.g. 环境卫生.
    pub name: String,
    /// The lowest score on the item (0 or negative).
    pub min: i64,
    /// The highest score on the item (0 or positive).
    pub max: i64,
}

/// The score sheet of a policy: the base every household starts from and the items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreSheet {
    /// What a household scores before any item (100 where the seeds give a base, else 0).
    #[serde(default)]
    pub base: i64,
    /// The items, in the order of the paper sheet.
    pub items: Vec<ScoreItem>,
}

/// What a household got on one item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    /// The item's name, as on the sheet.
    pub item: String,
    /// The score on it (negative for a deduction).
    pub score: i64,
}

impl ItemScore {
    /// An item's score.
    pub fn new(item: impl Into<String>, score: i64) -> ItemScore {
        ItemScore {
            item: item.into(),
            score,
        }
    }
}

/// The `[score_items]` table of a policy file, read beside the policy.
#[derive(Deserialize)]
struct PolicyFileItems {
    score_items: Option<ScoreSheet>,
}

impl ScoreSheet {
    /// The score sheet in a policy file's text, if it has one; checked.
    pub fn from_policy_toml(text: &str) -> Result<Option<ScoreSheet>, PolicyError> {
        let file: PolicyFileItems =
            toml::from_str(text).map_err(|e| PolicyError::Syntax(e.to_string()))?;
        match file.score_items {
            Some(sheet) => {
                sheet.check()?;
                Ok(Some(sheet))
            }
            None => Ok(None),
        }
    }

    /// The sheet as the `[score_items]` table of a policy file.
    pub fn to_toml(&self) -> String {
        #[derive(Serialize)]
        struct File<'a> {
            score_items: &'a ScoreSheet,
        }
        toml::to_string_pretty(&File { score_items: self }).unwrap_or_default()
    }

    /// Refuses a sheet the committee could not fill in: no items, an empty, reserved, repeated
    /// or over-long name, bounds that do not include 0 or are out of order.
    pub fn check(&self) -> Result<(), PolicyError> {
        let bad = |m: String| Err(PolicyError::Inconsistent(m));
        if self.items.is_empty() {
            return bad("score_items needs at least one item".into());
        }
        if self.items.len() > SCORE_ITEMS_MAX {
            return bad(format!("score_items has more than {SCORE_ITEMS_MAX} items"));
        }
        if self.base.abs() > ITEM_POINTS_ABS_MAX {
            return bad(format!("score_items base is beyond ±{ITEM_POINTS_ABS_MAX}"));
        }
        for (i, item) in self.items.iter().enumerate() {
            let name = item.name.trim();
            if name.is_empty() || name != item.name {
                return bad(format!("score item {} has an empty or padded name", i + 1));
            }
            if name.chars().count() > ITEM_NAME_CHARS_MAX
                || name.chars().any(|c| c.is_control() || c == ',' || c == '=')
            {
                return bad(format!(
                    "score item \"{name}\": at most {ITEM_NAME_CHARS_MAX} characters, no comma or ="
                ));
            }
            if RESERVED_NAMES.contains(&name) {
                return bad(format!(
                    "score item \"{name}\" is a column name of the import file"
                ));
            }
            if self.items[..i].iter().any(|other| other.name == item.name) {
                return bad(format!("score item \"{name}\" is listed twice"));
            }
            if item.min > 0 || item.max < 0 || item.min > item.max {
                return bad(format!(
                    "score item \"{name}\": min {} and max {} must have min ≤ 0 ≤ max",
                    item.min, item.max
                ));
            }
            if item.min < -ITEM_POINTS_ABS_MAX || item.max > ITEM_POINTS_ABS_MAX {
                return bad(format!(
                    "score item \"{name}\" is beyond ±{ITEM_POINTS_ABS_MAX}"
                ));
            }
        }
        Ok(())
    }

    /// The item named `name`, if the sheet has it.
    pub fn item(&self, name: &str) -> Option<&ScoreItem> {
        self.items.iter().find(|i| i.name == name)
    }

    /// The names of the items, in sheet order.
    pub fn names(&self) -> Vec<String> {
        self.items.iter().map(|i| i.name.clone()).collect()
    }

    /// The total score of a household scored `entered` on this sheet, `base + Σ items`, with
    /// the items put in sheet order; or the refusal naming the first wrong item: one the sheet
    /// does not have, one given twice, or one outside its bounds.
    pub fn total(&self, entered: &[ItemScore]) -> Result<(i64, Vec<ItemScore>), Refusal> {
        if entered.is_empty() {
            return Err(Refusal::NoItemScores);
        }
        for (i, given) in entered.iter().enumerate() {
            let Some(item) = self.item(&given.item) else {
                return Err(Refusal::UnknownScoreItem {
                    item: given.item.clone(),
                    known: self.names(),
                });
            };
            if entered[..i].iter().any(|other| other.item == given.item) {
                return Err(Refusal::ScoreItemTwice(given.item.clone()));
            }
            if given.score < item.min || given.score > item.max {
                return Err(Refusal::ScoreItemOutOfRange {
                    item: item.name.clone(),
                    score: given.score,
                    min: item.min,
                    max: item.max,
                });
            }
        }
        let ordered: Vec<ItemScore> = self
            .items
            .iter()
            .filter_map(|item| entered.iter().find(|g| g.item == item.name).cloned())
            .collect();
        let total = ordered
            .iter()
            .fold(self.base, |sum, g| sum.saturating_add(g.score));
        Ok((total, ordered))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> ScoreSheet {
        ScoreSheet {
            base: 100,
            items: vec![
                ScoreItem {
                    name: "环境卫生".into(),
                    min: -5,
                    max: 5,
                },
                ScoreItem {
                    name: "家庭美德".into(),
                    min: 0,
                    max: 3,
                },
                ScoreItem {
                    name: "违规".into(),
                    min: -10,
                    max: 0,
                },
            ],
        }
    }

    #[test]
    fn total_is_base_plus_items_in_sheet_order() {
        let (total, items) = sheet()
            .total(&[ItemScore::new("违规", -10), ItemScore::new("环境卫生", 5)])
            .expect("within bounds");
        assert_eq!(total, 95);
        assert_eq!(
            items,
            vec![ItemScore::new("环境卫生", 5), ItemScore::new("违规", -10)]
        );
    }

    #[test]
    fn each_wrong_item_is_refused_by_name_and_bound() {
        let s = sheet();
        assert_eq!(
            s.total(&[ItemScore::new("家庭美德", 4)]),
            Err(Refusal::ScoreItemOutOfRange {
                item: "家庭美德".into(),
                score: 4,
                min: 0,
                max: 3
            })
        );
        assert_eq!(
            s.total(&[ItemScore::new("违规", -11)]).err(),
            Some(Refusal::ScoreItemOutOfRange {
                item: "违规".into(),
                score: -11,
                min: -10,
                max: 0
            })
        );
        assert!(matches!(
            s.total(&[ItemScore::new("卫生", 1)]),
            Err(Refusal::UnknownScoreItem { .. })
        ));
        assert_eq!(
            s.total(&[ItemScore::new("违规", -1), ItemScore::new("违规", -2)]),
            Err(Refusal::ScoreItemTwice("违规".into()))
        );
        assert_eq!(s.total(&[]), Err(Refusal::NoItemScores));
    }

    #[test]
    fn a_policy_file_sheet_parses_round_trips_and_is_checked() {
        let text = "name = \"x\"\n[score_items]\nbase = 100\nitems = [\n  { name = \"环境卫生\", min = 0, max = 5 },\n  { name = \"违规\", min = -10, max = 0 },\n]\n";
        let parsed = ScoreSheet::from_policy_toml(text).expect("valid");
        let parsed = parsed.expect("has items");
        assert_eq!(parsed.base, 100);
        assert_eq!(parsed.names(), vec!["环境卫生", "违规"]);
        assert_eq!(
            ScoreSheet::from_policy_toml(&parsed.to_toml()),
            Ok(Some(parsed))
        );
        assert_eq!(ScoreSheet::from_policy_toml("name = \"x\"\n"), Ok(None));
        for bad in [
            "[score_items]\nitems = []\n",
            "[score_items]\nitems = [{ name = \"a\", min = 1, max = 5 }]\n",
            "[score_items]\nitems = [{ name = \"a\", min = -1, max = -1 }]\n",
            "[score_items]\nitems = [{ name = \"a\", min = 0, max = 1 }, { name = \"a\", min = 0, max = 1 }]\n",
            "[score_items]\nitems = [{ name = \"score\", min = 0, max = 1 }]\n",
            "[score_items]\nitems = [{ name = \"a,b\", min = 0, max = 1 }]\n",
            "[score_items]\nitems = [{ name = \"a\", min = 0, max = 1, weight = 2 }]\n",
        ] {
            assert!(ScoreSheet::from_policy_toml(bad).is_err(), "{bad}");
        }
    }
}
