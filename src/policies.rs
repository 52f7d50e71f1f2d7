//! The policy files shipped in `data/policies/`, built into the binary so that `init` and the
//! setup screen can offer them on a laptop with nothing else installed.

use crate::domain::policy::{Policy, PolicyError};
use crate::domain::score_items::ScoreSheet;

/// Shipped policies: (file stem, TOML text).
pub const BUILTIN: [(&str, &str); 5] = [
    (
        "direct-points",
        include_str!("../data/policies/direct-points.toml"),
    ),
    (
        "threshold-score",
        include_str!("../data/policies/threshold-score.toml"),
    ),
    (
        "quarterly-ranked",
        include_str!("../data/policies/quarterly-ranked.toml"),
    ),
    (
        "daily-action",
        include_str!("../data/policies/daily-action.toml"),
    ),
    (
        "member-card",
        include_str!("../data/policies/member-card.toml"),
    ),
];

/// A shipped policy's TOML text by its file stem.
pub fn text(stem: &str) -> Option<&'static str> {
    BUILTIN
        .iter()
        .find(|(s, _)| *s == stem)
        .map(|(_, text)| *text)
}

/// A shipped policy by its file stem.
pub fn builtin(stem: &str) -> Option<Result<Policy, PolicyError>> {
    text(stem).map(Policy::from_toml)
}

/// A shipped policy's score sheet (`[score_items]`), if it has one.
pub fn builtin_sheet(stem: &str) -> Option<Result<Option<ScoreSheet>, PolicyError>> {
    text(stem).map(ScoreSheet::from_policy_toml)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_policy_parses_and_round_trips() {
        for (stem, text) in BUILTIN {
            let policy = Policy::from_toml(text).unwrap_or_else(|e| panic!("{stem}: {e}"));
            let again = Policy::from_toml(&policy.to_toml())
                .unwrap_or_else(|e| panic!("{stem} round trip: {e}"));
            assert_eq!(policy, again, "{stem}");
            let bytes = crate::store::codec::encode(&policy).unwrap_or_default();
            let decoded: Policy =
                crate::store::codec::decode(&bytes).unwrap_or_else(|e| panic!("{stem} codec: {e}"));
            assert_eq!(decoded, policy);
            let sheet = ScoreSheet::from_policy_toml(text)
                .unwrap_or_else(|e| panic!("{stem} score items: {e}"));
            if let Some(sheet) = sheet {
                // A sheet filled in within every item's bounds is a score the policy takes.
                let best = sheet.base + sheet.items.iter().map(|i| i.max).sum::<i64>();
                let worst = sheet.base + sheet.items.iter().map(|i| i.min).sum::<i64>();
                assert!(best <= policy.score_max, "{stem}: best {best}");
                assert!(worst >= policy.score_min, "{stem}: worst {worst}");
            }
        }
    }
}
